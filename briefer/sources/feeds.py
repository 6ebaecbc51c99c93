"""RSS and Atom feeds: fetch them all and keep their items.

:func:`fetch_all` downloads every configured feed (many at once, each
within the limits of :mod:`briefer.sources.fetch`), parses it
(:mod:`briefer.sources.feedparse`), and stores new items in the feed store
(:mod:`briefer.sources.store`). A feed that fails is logged in one line
and recorded; the others go on. One deadline (``fetch.run_deadline``)
bounds all of a run's fetching. The stored items become articles in
:mod:`briefer.sources.feeditems`.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections import Counter
from collections.abc import Callable, Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, Literal, TypeVar

from ..errors import FeedError
from ..feedsettings import FeedSettings
from ..redact import redacted
from ..settings import Settings
from ..text import plural
from .credentials import feed_login
from .feedparse import MAX_BODY, parse_feed
from .fetch import PAGE_ACCEPT, FetchError, Limits, fetch, make_client
from .publisher import publisher_name
from .store import FeedStore, NewItem
from .text import (
    extract_article,
    without_furniture,
)

log = logging.getLogger("briefer.feeds")

STORE_NAME = "briefer.sqlite3"
Status = Literal["ok", "not_modified", "error", "partial"]


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class FeedResult:
    """How one feed's fetch went."""

    url: str
    name: str | None  # configured name, else the feed's title
    status: Status
    items_seen: int  # items read from the feed this time
    items_new: int  # of those, items the store did not have
    error: str | None  # the problem, for "error" and "partial"
    seconds: float


@dataclass(frozen=True, slots=True)
class FetchReport:
    """The outcome of :func:`fetch_all`, one result per configured feed."""

    results: tuple[FeedResult, ...]
    seconds: float = 0.0

    @property
    def new_items(self) -> int:
        return sum(r.items_new for r in self.results)

    @property
    def errors(self) -> int:
        return self.count("error")

    def count(self, status: Status) -> int:
        """How many feeds ended with ``status``."""
        return sum(r.status == status for r in self.results)

    @property
    def unchanged(self) -> bool:
        """Every feed answered "not modified": nothing has changed since the last fetch."""
        return bool(self.results) and self.count("not_modified") == len(self.results)

    def summary_line(self) -> str:
        """One line for the end of a run."""
        feeds = len(self.results)
        if self.unchanged:
            counts = "no feed has changed since the last fetch"
        else:
            counts = (
                f"{self.count('ok')} ok, {self.count('not_modified')} unchanged, "
                f"{self.count('partial')} partial, {self.errors} failed"
            )
        return (
            f"Fetched {plural(feeds, 'feed')} in {self.seconds:.2f} s: {counts}; "
            f"{plural(self.new_items, 'new item')}"
        )


def store_path(settings: Settings) -> Path:
    """Where the feed store lives."""
    return settings.state_dir / STORE_NAME


def fetch_all(settings: Settings, *, progress: bool | None = None) -> FetchReport:
    """Fetch every configured feed and store what is new.

    Feeds are fetched ``settings.fetch.concurrency`` at a time. A feed's
    failure is logged (one warning line) and recorded in its result and
    in the store; it never raises. ``progress``: a progress bar on stderr
    (None: only when stderr is a terminal), else a log line per feed.
    Raises :class:`~briefer.errors.SourceError` only when the store itself
    cannot be opened.
    """
    feeds = unique_feeds(settings.feeds, warn=True)
    if not feeds:
        return FetchReport(())
    show = sys.stderr.isatty() if progress is None else progress
    started = time.monotonic()
    results = _run(lambda: _fetch_feeds(settings, feeds, show))
    return FetchReport(tuple(results), time.monotonic() - started)


def unique_feeds(feeds: Sequence[FeedSettings], *, warn: bool = False) -> list[FeedSettings]:
    """The feeds without repeats (the first listing of a URL wins)."""
    seen: set[str] = set()
    unique = []
    for feed in feeds:
        if feed.url in seen:
            if warn:
                log.warning("feed %s: listed twice; fetched once", feed.url)
            continue
        seen.add(feed.url)
        unique.append(feed)
    return unique


def _run(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion, also when called from inside an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefer-fetch") as worker:
        return worker.submit(lambda: asyncio.run(make())).result()


async def _fetch_feeds(
    settings: Settings, feeds: Sequence[FeedSettings], show: bool
) -> list[FeedResult]:
    # The store is opened here so that every write happens on the thread
    # running the event loop.
    store = FeedStore.open(store_path(settings))
    try:
        with _Reporter(len(feeds), show) as reporter:
            fetcher = _Fetcher(settings, store, reporter)
            results = await fetcher.run(feeds)
        removed = store.prune(now=datetime.now(UTC), keep_days=settings.fetch.keep_days)
        if removed:
            log.info(
                "feed store: removed %d items no feed has carried for %g days",
                removed,
                settings.fetch.keep_days,
            )
        return results
    finally:
        store.close()


class _Reporter:
    """Progress: a rich bar on stderr, or one log line per feed."""

    def __init__(self, total: int, show: bool) -> None:
        self.total = total
        self.show = show
        self._bar: Any = None
        self._task: Any = None
        self._counts: Counter[str] = Counter()

    def __enter__(self) -> _Reporter:
        if self.show:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._bar = Progress(
                TextColumn("Fetching feeds"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[note]}"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.__enter__()
            self._task = self._bar.add_task("feeds", total=self.total, note="")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)

    def done(self, result: FeedResult) -> None:
        self._counts[result.status] += 1
        if result.status == "error":
            log.warning("feed %s: %s", result.url, result.error)
        elif result.status == "partial":
            log.warning(
                "feed %s: %s (kept %d items, %d new)",
                result.url,
                result.error,
                result.items_seen,
                result.items_new,
            )
        elif not self.show:
            if result.status == "not_modified":
                log.info("feed %s: not modified (%.2f s)", result.url, result.seconds)
            else:
                log.info(
                    "feed %s: %d items, %d new (%.2f s)",
                    result.url,
                    result.items_seen,
                    result.items_new,
                    result.seconds,
                )
        if self._bar is not None:
            failed = self._counts["error"]
            note = f"{failed} failed" if failed else ""
            self._bar.update(self._task, advance=1, note=note)


class _Fetcher:
    """Fetches feeds concurrently; parses on a worker thread; stores on this one."""

    def __init__(self, settings: Settings, store: FeedStore, reporter: _Reporter) -> None:
        self.settings = settings
        self.limits = Limits.from_settings(settings.fetch)
        self.store = store
        self.reporter = reporter
        concurrency = settings.fetch.concurrency
        self.feed_slots = asyncio.Semaphore(concurrency)
        self.page_slots = asyncio.Semaphore(concurrency)
        self.connections = 2 * concurrency
        self.run_deadline = settings.fetch.run_deadline

    async def run(self, feeds: Sequence[FeedSettings]) -> list[FeedResult]:
        # One overall deadline for the run's fetching: feeds and pages alike.
        self.ends = asyncio.get_running_loop().time() + self.run_deadline
        # One parsing thread: feedparser and trafilatura are pure Python, so
        # more threads would not parse faster (the GIL), they would only take
        # the GIL from the event loop often enough to stall downloads into
        # their deadlines (measured with bench/feeds.py).
        pool = ThreadPoolExecutor(1, thread_name_prefix="briefer-parse")
        self.pool = pool
        try:
            async with make_client(self.limits, self.connections) as client:
                self.client = client
                return list(await asyncio.gather(*(self.one(feed) for feed in feeds)))
        finally:
            # Work queued when the deadline cut its feed is not done afterwards.
            pool.shutdown(wait=True, cancel_futures=True)

    def _left(self) -> float:
        return self.ends - asyncio.get_running_loop().time()

    def _cut_message(self) -> str:
        return f"not fetched: the run's fetch deadline ({self.run_deadline:g} s) was reached"

    async def one(self, feed: FeedSettings) -> FeedResult:
        started = time.monotonic()
        try:
            async with asyncio.timeout_at(self.ends):
                await self.feed_slots.acquire()
        except TimeoutError:
            result = self._failed(feed.url, feed.name, self._cut_message(), started)
        else:
            try:
                result = await self._fetch(feed, started)
            finally:
                self.feed_slots.release()
        self.reporter.done(result)
        return result

    def _failed(
        self, url: str, name: str | None, message: str, started: float, now: datetime | None = None
    ) -> FeedResult:
        """The feed's failure, recorded in the store (or why it could not be)."""
        try:
            self.store.save_failure(url, message, now=now or datetime.now(UTC))
        except Exception as exc:
            message += f" (and cannot record it: {exc})"
        return FeedResult(url, name, "error", 0, 0, message, _since(started))

    async def _in_thread(self, func: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.pool, func)

    async def _fetch(self, feed: FeedSettings, started: float) -> FeedResult:
        url = feed.url
        now = datetime.now(UTC)
        name = feed.name
        try:
            login = feed_login(feed)
            state = self.store.feed_state(url)
            name = name or state.title
            try:
                async with asyncio.timeout_at(self.ends):
                    download = await fetch(
                        self.client,
                        url,
                        self.limits,
                        etag=state.etag,
                        last_modified=state.last_modified,
                        login=login,
                    )
                    if download.not_modified:
                        self.store.save_not_modified(url, now=now)
                        return FeedResult(url, name, "not_modified", 0, 0, None, _since(started))
                    parsed = await self._in_thread(
                        partial(
                            parse_feed,
                            download.body,
                            url=download.url,
                            headers=download.headers,
                            max_items=feed.max_items,
                            max_bytes=self.limits.max_bytes,
                        )
                    )
            except TimeoutError:
                raise FeedError(self._cut_message()) from None
            items = parsed.items
            if feed.full_text:
                items = await self._full_text(url, items)
            name = feed.name or parsed.title or name
            status: Status = "partial" if parsed.problem else "ok"
            new = self.store.save_feed(
                url,
                items,
                now=now,
                title=parsed.title,
                publisher=feed.name or publisher_name(name, parsed.site, url),
                status=status,
                error=parsed.problem,
                etag=download.etag,
                last_modified=download.last_modified,
            )
            return FeedResult(url, name, status, len(items), new, parsed.problem, _since(started))
        except FeedError as exc:
            message = str(exc)
        except Exception as exc:  # a parser bug on hostile input costs this feed only
            log.debug("feed %s: unexpected failure", url, exc_info=True)
            message = redacted(f"internal error: {type(exc).__name__}: {exc}")[:300]
        return self._failed(url, name, message, started, now)

    async def _full_text(self, feed_url: str, items: Sequence[NewItem]) -> list[NewItem]:
        """Fill ``body`` of new items from their pages; keep the summary on failure."""
        known = self.store.known_ids(feed_url, [i.item_id for i in items])
        wanted = [i for i in items if i.item_id not in known and i.link]
        tasks = [asyncio.ensure_future(self._page_text(i.link or "", i.title)) for i in wanted]
        if tasks:
            # Pages not in by the run's deadline are cut; the feed keeps their summaries.
            await asyncio.wait(tasks, timeout=max(self._left(), 0.0))
        cut = 0
        bodies: list[str | None] = []
        for task in tasks:
            if task.done():
                bodies.append(task.result())
            else:
                task.cancel()
                cut += 1
                bodies.append(None)
        if cut:
            await asyncio.gather(*tasks, return_exceptions=True)
            log.warning(
                "feed %s: full text of %d of %d new items not fetched: the run's fetch "
                "deadline (%g s) was reached (their summaries are kept)",
                feed_url,
                cut,
                len(wanted),
                self.run_deadline,
            )
        found = {i.item_id: b for i, b in zip(wanted, bodies, strict=True) if b}
        if len(found) < len(wanted) - cut:
            log.info(
                "feed %s: kept the summary for %d of %d new items (page not usable)",
                feed_url,
                len(wanted) - cut - len(found),
                len(wanted),
            )
        return [replace(i, body=found[i.item_id]) if i.item_id in found else i for i in items]

    async def _page_text(self, link: str, title: str) -> str | None:
        """The article text of one page, or None (any failure: the summary stays)."""
        try:
            async with self.page_slots:
                page = await fetch(self.client, link, self.limits, accept=PAGE_ACCEPT)
            text = await self._in_thread(partial(extract_article, page.body, page.url))
        except FetchError as exc:
            log.debug("page %s: %s", link, exc)
            return None
        except Exception:  # one hostile page must not cost the feed
            log.debug("page %s: unexpected failure", link, exc_info=True)
            return None
        if not text:
            return None
        return without_furniture(text, title)[:MAX_BODY] or None


def _since(started: float) -> float:
    return round(time.monotonic() - started, 3)


__all__ = ["STORE_NAME", "FeedResult", "FetchReport", "fetch_all", "store_path"]
