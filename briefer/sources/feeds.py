"""RSS and Atom feeds: fetch them all, keep their items, turn items into articles.

Two entry points, used by ``briefer fetch`` and ``briefer make``:

- :func:`fetch_all` downloads every configured feed (many at once, each
  within the limits of :mod:`briefer.sources.fetch`), parses it, and
  stores new items in the feed store (:mod:`briefer.sources.store`). A
  feed that fails is logged in one line and recorded; the others go on.
- :func:`feed_articles` reads the stored items inside the edition's
  window and returns them as :class:`~briefer.models.Article` objects,
  one per story: a story carried by several feeds (same id, same link or
  a near-identical title) becomes one article citing all its publishers.

feedparser never sees a URL, only bytes: it has no timeout and no size
limit of its own. Before it parses, :func:`~briefer.sources.safexml.check_entities`
rejects entity tricks (XXE, billion laughs, quadratic blowup).
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
import re
import sys
import time
import xml.sax
from collections import Counter
from collections.abc import Callable, Coroutine, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, tzinfo
from functools import partial
from pathlib import Path
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit

import feedparser

from ..errors import FeedError
from ..models import Article
from ..settings import FeedSettings, Settings
from ..text import safe_url
from .fetch import PAGE_ACCEPT, FetchError, Limits, fetch, make_client
from .safexml import check_entities
from .store import FeedStore, NewItem, StoredItem
from .text import (
    clean_text,
    drop_furniture,
    extract_article,
    html_to_text,
    inline_text,
    looks_like_markup,
    paragraphs_of,
)

log = logging.getLogger("briefer.feeds")

STORE_NAME = "briefer.sqlite3"
Status = Literal["ok", "not_modified", "error", "partial"]

MAX_TITLE = 500
MAX_SUMMARY = 20_000
MAX_BODY = 200_000
_HTML_TYPES = ("text/html", "application/xhtml+xml")

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

    def summary_line(self) -> str:
        """One line for the end of a run."""
        feeds = len(self.results)
        return (
            f"Fetched {feeds} feed{'s' if feeds != 1 else ''} in {self.seconds:.2f} s: "
            f"{self.count('ok')} ok, {self.count('not_modified')} unchanged, "
            f"{self.count('partial')} partial, {self.errors} failed; "
            f"{self.new_items} new item{'s' if self.new_items != 1 else ''}"
        )


def store_path(settings: Settings) -> Path:
    """Where the feed store lives."""
    return settings.state_dir / STORE_NAME


# -- fetching --------------------------------------------------------------


def fetch_all(settings: Settings, *, progress: bool | None = None) -> FetchReport:
    """Fetch every configured feed and store what is new.

    Feeds are fetched ``settings.fetch.concurrency`` at a time. A feed's
    failure is logged (one warning line) and recorded in its result and
    in the store; it never raises. ``progress``: a progress bar on stderr
    (None: only when stderr is a terminal), else a log line per feed.
    Raises :class:`~briefer.errors.SourceError` only when the store itself
    cannot be opened.
    """
    feeds = _unique(settings.feeds, warn=True)
    if not feeds:
        return FetchReport(())
    show = sys.stderr.isatty() if progress is None else progress
    started = time.monotonic()
    results = _run(lambda: _fetch_feeds(settings, feeds, show))
    return FetchReport(tuple(results), time.monotonic() - started)


def _unique(feeds: Sequence[FeedSettings], *, warn: bool = False) -> list[FeedSettings]:
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

    def _failed(self, url: str, name: str | None, message: str, started: float) -> FeedResult:
        try:
            self.store.save_failure(url, message, now=datetime.now(UTC))
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
                publisher=name or _host(url),
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
            message = f"internal error: {type(exc).__name__}: {exc}"[:300]
        try:
            self.store.save_failure(url, message, now=now)
        except Exception as exc:
            message += f" (and cannot record it: {exc})"
        return FeedResult(url, name, "error", 0, 0, message, _since(started))

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
        return "\n\n".join(drop_furniture(list(paragraphs_of(text)), title))[:MAX_BODY] or None


def _since(started: float) -> float:
    return round(time.monotonic() - started, 3)


def _host(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


# -- parsing ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed document read into items."""

    title: str | None
    items: tuple[NewItem, ...]
    problem: str | None = None  # set when the items were recovered from a flawed document
    version: str = ""
    entries: int = field(default=0)  # entries in the document, before skipping empty ones


def parse_feed(
    body: bytes,
    *,
    url: str,
    headers: Mapping[str, str] | None = None,
    max_items: int = 200,
    max_bytes: int = 10_000_000,
) -> ParsedFeed:
    """Parse a feed document; raise :class:`FeedError` if it yields nothing usable.

    ``url`` is where the document came from (relative links resolve
    against it); ``headers`` are the response headers (the charset of
    ``content-type`` is honoured). Items come back in document order,
    without duplicates, at most ``max_items``.
    """
    if not body.strip():
        raise FeedError("empty body")
    check_entities(body, max_expansion=max_bytes)
    body = first_entries(body, 2 * max_items + 10)
    headers = headers or {}
    # feedparser's HTML sanitizing and link rewriting inside content are
    # skipped: briefer reduces all markup to plain text and never renders
    # feed HTML, and they cost about 40% of the parse time.
    parsed = feedparser.parse(
        io.BytesIO(body),
        response_headers=_parser_headers(url, headers),
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    problem = _describe(parsed.get("bozo_exception")) if parsed.get("bozo") else None
    entries = parsed.get("entries") or []
    title = inline_text(parsed.feed.get("title", ""), is_html=_is_html(parsed.feed, "title"))
    version = parsed.get("version") or ""
    if not entries:
        if not version:
            raise FeedError(_not_a_feed(body, headers, problem))
        if problem:
            raise FeedError(problem)
    items: dict[str, NewItem] = {}
    for entry in entries:
        item = _item(entry)
        if item is not None and item.item_id not in items:
            items[item.item_id] = item
            if len(items) >= max_items:
                break
    return ParsedFeed(title or None, tuple(items.values()), problem, version, len(entries))


# An item or entry start tag, namespace prefix allowed ("<item>", "<atom:entry ").
_ENTRY_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s/>]")
_TAG_NAME = re.compile(rb"[^\s/>]+")


def first_entries(body: bytes, keep: int) -> bytes:
    """The document cut after its first ``keep`` items, its open elements closed again.

    feedparser reads a whole document before ``max_items`` can apply: a feed
    of 100,000 items would be parsed whole to keep 200. The cut is made at
    the start tag of item ``keep + 1`` and the elements open around the
    first item (``<rss><channel>``, ``<feed>``, ``<rdf:RDF>``) are closed,
    so the rest still parses as a well-formed feed. Documents in UTF-16 or
    UTF-32, or whose head cannot be read simply, are returned as they are
    (they are bounded by the size limit all the same).
    """
    if body[:2] in (b"\xff\xfe", b"\xfe\xff") or body[:4] in (b"\x00\x00\x00<", b"<\x00\x00\x00"):
        return body
    starts = _ENTRY_START.finditer(body)
    open_elements = None
    for _, first in zip(range(10), starts, strict=False):
        # The first start tag outside comments and CDATA: where the head reads cleanly.
        open_elements = _open_elements(body[: first.start()])
        if open_elements is not None:
            break
    if open_elements is None:
        return body
    cut = None
    for count, match in enumerate(starts, start=2):
        if count > keep:
            cut = match.start()
            break
    if cut is None:
        return body
    closing = b"".join(b"</" + name + b">" for name in reversed(open_elements))
    return body[:cut] + closing


def _open_elements(head: bytes) -> list[bytes] | None:
    """Names of the elements open at the end of ``head``; None if it cannot be read simply."""
    stack: list[bytes] = []
    pos = 0
    while True:
        start = head.find(b"<", pos)
        if start < 0:
            return stack
        if head.startswith(b"<!--", start):
            end = head.find(b"-->", start + 4)
            pos = end + 3
        elif head.startswith(b"<![CDATA[", start):
            end = head.find(b"]]>", start + 9)
            pos = end + 3
        elif head.startswith((b"<?", b"<!"), start):
            end = head.find(b">", start)  # declarations; a DOCTYPE subset is read as one
            if head.startswith(b"<!DOCTYPE", start) and b"[" in head[start:end]:
                end = head.find(b"]>", start)
                end = end + 1 if end >= 0 else end
            pos = end + 1
        else:
            end = head.find(b">", start)
            if end < 0:
                return None
            tag = head[start + 1 : end]
            pos = end + 1
            if tag.startswith(b"/"):
                name = _TAG_NAME.match(tag, 1)
                if not stack or name is None or stack[-1] != name.group(0):
                    return None
                stack.pop()
            elif not tag.endswith(b"/"):
                name = _TAG_NAME.match(tag)
                if name is None:
                    return None
                stack.append(name.group(0))
        if end < 0:
            return None


def _parser_headers(url: str, headers: Mapping[str, str]) -> dict[str, str]:
    """The response headers feedparser should see.

    Content-Type is always ``application/xml``, with the server's charset
    when it gave one: a bare ``text/xml`` would make feedparser assume
    US-ASCII (RFC 3023) where every real server means "see the XML
    declaration", and what the server calls its media type says nothing
    about the bytes (HTML pages are recognized after parsing).
    """
    out = {"content-location": url, "content-type": "application/xml"}
    if headers.get("content-language"):
        out["content-language"] = headers["content-language"]
    charset = _charset(headers.get("content-type", ""))
    if charset:
        out["content-type"] = f"application/xml; charset={charset}"
    return out


def _charset(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", content_type, re.I)
    return match.group(1) if match else None


def _describe(exc: object) -> str:
    if isinstance(exc, xml.sax.SAXParseException):
        return f"XML error at line {exc.getLineNumber()}: {exc.getMessage()}"
    if isinstance(exc, feedparser.CharacterEncodingOverride):
        return f"mis-declared encoding: {exc}"
    if isinstance(exc, feedparser.CharacterEncodingUnknown):
        return f"unknown encoding: {exc}"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__


def _not_a_feed(body: bytes, headers: Mapping[str, str], problem: str | None) -> str:
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    start = body[:2048].lower()
    if "html" in content_type or re.search(rb"<(html|head|body|!doctype html)\b", start):
        match = re.search(rb"<title[^>]*>(.{1,200}?)</title>", body[:20000], re.I | re.S)
        title = inline_text(match.group(1).decode("utf-8", "replace")) if match else ""
        return "got an HTML page, not a feed" + (f" ({title!r})" if title else "")
    what = f" ({content_type})" if content_type else ""
    return f"not an RSS or Atom feed{what}" + (f": {problem}" if problem else "")


def _is_html(container: Mapping[str, Any], key: str) -> bool:
    detail = container.get(f"{key}_detail") or {}
    return detail.get("type", "text/html") in _HTML_TYPES


def _item(entry: Mapping[str, Any]) -> NewItem | None:
    title = inline_text(str(entry.get("title") or ""), is_html=_is_html(entry, "title"))
    title = title[:MAX_TITLE]
    summary = _text_of(str(entry.get("summary") or ""), _is_html(entry, "summary"), title)
    body = None
    for content in entry.get("content") or ():
        text = _text_of(
            str(content.get("value") or ""),
            content.get("type") in _HTML_TYPES or not content.get("type"),
            title,
        )
        # Feed-provided article text counts when it is more than the summary.
        if len(text) > max(2 * len(summary), len(summary) + 200):
            body = text[:MAX_BODY]
            break
    summary = _cut(summary, MAX_SUMMARY)
    link = safe_url(entry.get("link"))
    if link is None:
        for candidate in entry.get("links") or ():
            if candidate.get("rel", "alternate") == "alternate":
                link = safe_url(candidate.get("href"))
                if link:
                    break
    guid = str(entry.get("id") or "").strip()[:1000] or None
    if not (title or summary or body or link or guid):
        return None  # an empty <item/>
    fingerprint = hashlib.sha1(f"{title}\0{summary}\0{body or ''}".encode()).hexdigest()
    item_id = guid or link or f"sha1:{fingerprint}"
    author = inline_text(str(entry.get("author") or ""), is_html=False)[:200] or None
    return NewItem(
        item_id=item_id,
        guid=guid,
        link=link,
        title=title,
        summary=summary,
        published=_published(entry),
        content_hash=fingerprint,
        author=author,
        body=body,
    )


def _text_of(markup: str, is_html: bool, title: str) -> str:
    if is_html or looks_like_markup(markup):
        text = html_to_text(markup, drop_link_blocks=True)
    else:
        text = clean_text(markup)
    return "\n\n".join(drop_furniture(list(paragraphs_of(text)), title))


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind("\n\n", 0, limit)
    return text[: cut if cut > 0 else limit]


def _published(entry: Mapping[str, Any]) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        # dict.get: FeedParserDict.get maps a missing "published_parsed" to
        # "updated_parsed" with a DeprecationWarning.
        value = dict.get(entry, key)
        if value:
            try:
                return datetime(*value[:6], tzinfo=UTC)
            except (TypeError, ValueError):
                continue
    return None


# -- items into articles ---------------------------------------------------


def feed_articles(settings: Settings, edition_time: datetime) -> list[Article]:
    """Stored items of the configured feeds inside the edition's window, as articles.

    The window is ``settings.fetch.window_days`` before ``edition_time``
    (exclusive) up to ``edition_time`` (inclusive); an item's time is its
    published time, or when briefer first saw it if that is earlier or the
    item has no date. One item carried by several feeds (the same global
    id) is one article whose ``also_published_by`` names the other
    publishers. Newest first.
    """
    feeds = _unique(settings.feeds)
    path = store_path(settings)
    if not feeds or not path.exists():
        return []
    if edition_time.tzinfo is None:
        edition_time = edition_time.astimezone()
    start = edition_time - timedelta(days=settings.fetch.window_days)
    with FeedStore.open(path) as store:
        rows = store.items_between([f.url for f in feeds], start, edition_time)
    return articles_from_items(rows, feeds, edition_time.tzinfo)


def articles_from_items(
    rows: Sequence[StoredItem], feeds: Sequence[FeedSettings], zone: tzinfo | None
) -> list[Article]:
    """One article per stored item (an item carried by several feeds: one article)."""
    rows = [r for r in rows if r.title or r.summary or r.body]  # nothing to say otherwise
    order = {feed.url: index for index, feed in enumerate(feeds)}
    names = {feed.url: feed.name for feed in feeds}
    publishers = [
        names.get(r.feed_url) or r.publisher or _host(r.feed_url) or r.feed_url for r in rows
    ]
    groups = _stories(rows, publishers)
    articles = []
    for members in groups:
        members.sort(key=lambda i: (rows[i].first_seen, order.get(rows[i].feed_url, 0), i))
        first = rows[members[0]]
        publisher = publishers[members[0]]
        others: list[str] = []
        for index in sorted(members[1:], key=lambda i: order.get(rows[i].feed_url, 0)):
            name = publishers[index]
            if name != publisher and name not in others:
                others.append(name)
        articles.append(
            Article(
                key="feed:" + hashlib.sha1(_identity(first).encode()).hexdigest()[:16],
                origin=first.feed_url,
                paragraphs=paragraphs_of(first.body or first.summary),
                title=first.title or None,
                publisher=publisher,
                published=first.dated.astimezone(zone).date(),
                url=safe_url(first.link),
                author=first.author,
                standfirst=(first.summary or None) if first.body else None,
                summary=not first.body,
                content_hash=first.content_hash,
                also_published_by=tuple(others),
                headline=first.title or None,
            )
        )
    dated = {a.key: rows[g[0]].dated for a, g in zip(articles, groups, strict=True)}
    articles.sort(key=lambda a: (-dated[a.key].timestamp(), a.key))
    return articles


def _identity(row: StoredItem) -> str:
    """A story id: global for URL-like guids, else scoped to the feed."""
    if re.match(r"(https?|tag|urn):", row.item_id, re.I):
        return row.item_id
    return f"{row.feed_url}\n{row.item_id}"


def _stories(rows: Sequence[StoredItem], publishers: Sequence[str]) -> list[list[int]]:
    """Group row indexes that are one item carried by several feeds (the same global id).

    Only identity counts here: a guid that is a URL (or tag/urn) names one
    item wherever it appears. Items that tell the same story in their own
    words are grouped by the engine (:mod:`briefer.summarize.stories`), so
    each is cited as a source of its own; a link alone never merges two
    items, or one feed could get itself credited on another's story.
    """
    groups: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        groups.setdefault(_identity(row), []).append(index)
    return list(groups.values())


__all__ = [
    "FeedResult",
    "FetchReport",
    "ParsedFeed",
    "articles_from_items",
    "feed_articles",
    "fetch_all",
    "parse_feed",
    "store_path",
]
