"""The feeds of a settings file: adding one after checking it, and each one's health.

``briefer feeds add URL`` fetches the address once, with the limits of a
run, and says what it found (title, items, newest date) or why it is not
a feed; only then is a ``[[feeds]]`` table appended to the settings file,
which keeps its comments and layout (tomlkit). ``briefer feeds list``
reads each feed's health from the feed store, as the last run left it.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import tomlkit
from pydantic import ValidationError
from tomlkit.exceptions import TOMLKitError

from ..atomic import write_temp
from ..errors import ConfigError, FeedError
from ..feedsettings import FeedSettings
from ..redact import has_password, redacted
from ..settings import Settings, load_settings
from ..statedb import os_reason
from .credentials import feed_login
from .feedparse import parse_feed
from .feeds import store_path
from .fetch import Limits, fetch, make_client
from .store import FeedStore

LOCK_WAIT = 60.0  # seconds to wait for another command changing the settings file


@dataclass(frozen=True, slots=True)
class FeedCheck:
    """What one fetch of a feed address found."""

    url: str  # after redirects
    title: str | None
    items: int
    newest: datetime | None
    problem: str | None = None  # items recovered from a flawed document


@dataclass(frozen=True, slots=True)
class FeedHealth:
    """A configured feed and what the feed store says of it."""

    url: str
    name: str | None
    last_success: str | None
    last_error: str | None
    consecutive_failures: int
    items: int


def new_feed(
    url: str,
    name: str | None = None,
    *,
    user: str | None = None,
    password_env: str | None = None,
    password_file: Path | None = None,
) -> FeedSettings:
    """The ``[[feeds]]`` table ``feeds add`` is asked for; :class:`ConfigError` if it is not one.

    An address holding a password is refused (its password never shown):
    the password comes from ``password_env`` or ``password_file``.
    """
    if not url.lower().startswith(("http://", "https://")):
        raise FeedError(f"{redacted(url)}: a feed address starts with http:// or https://")
    if has_password(url):
        raise ConfigError(
            f"{redacted(url)}: a feed address never holds its password; give --user NAME "
            "and --password-env VARIABLE (or --password-file FILE)"
        )
    if password_file is not None:
        password_file = password_file.expanduser().resolve()
    try:
        return FeedSettings(
            url=url, name=name or None, user=user,
            password_env=password_env, password_file=password_file,
        )  # fmt: skip
    except ValidationError as exc:
        raise ConfigError(
            *(redacted(f"{url}: {e['msg'].removeprefix('Value error, ')}") for e in exc.errors())
        ) from None


def check_feed(settings: Settings, feed: FeedSettings) -> FeedCheck:
    """Fetch ``feed`` once within the run's limits; :class:`FeedError` if it is not a feed."""
    url = feed.url
    shown = redacted(url)
    limits = Limits.from_settings(settings.fetch)

    async def once() -> FeedCheck:
        login = feed_login(feed)
        async with make_client(limits, 2) as client:
            download = await fetch(client, url, limits, login=login)
        parsed = parse_feed(download.body, url=download.url, headers=download.headers)
        dates = [i.published for i in parsed.items if i.published is not None]
        return FeedCheck(
            download.url, parsed.title, len(parsed.items), max(dates) if dates else None,
            parsed.problem,
        )  # fmt: skip

    try:
        return asyncio.run(asyncio.wait_for(once(), settings.fetch.run_deadline))
    except TimeoutError:
        raise FeedError(f"{shown}: no answer within {settings.fetch.run_deadline:g} s") from None
    except FeedError as exc:
        raise FeedError(redacted(f"{shown}: {exc}")) from None


def add_feed(config: Path, feed: FeedSettings) -> None:
    """Append a ``[[feeds]]`` table for ``feed`` to the settings file ``config``.

    The file keeps its comments, layout and permissions; the result is
    validated before it is written (atomically), so a failure leaves the
    file as it was. The read, change and write happen under a lock beside
    the file, so commands changing it at the same time each keep their change.
    """
    with settings_lock(config):
        try:
            document = tomlkit.parse(config.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, TOMLKitError) as exc:
            raise ConfigError(f"{config}: cannot read the settings file: {exc}") from None
        feeds = document.get("feeds")
        if feeds is not None and any(f.get("url") == feed.url for f in feeds):
            raise ConfigError(f"{config}: feeds: {redacted(feed.url)} is already listed")
        table = tomlkit.table()
        table.add("url", feed.url)
        for key in ("name", "user", "password_env", "password_file"):
            value = getattr(feed, key)
            if value is not None:
                table.add(key, str(value))
        if feeds is None:
            feeds = tomlkit.aot()
            document.append("feeds", feeds)
        feeds.append(table)
        _rewrite(config, tomlkit.dumps(document))


@contextmanager
def settings_lock(config: Path, wait: float = LOCK_WAIT) -> Iterator[None]:
    """Hold the lock that every change to the settings file ``config`` takes."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(config.parent / f".{config.name}.lock"))
    try:
        lock.acquire(timeout=wait)
    except Timeout:
        raise ConfigError(
            f"{config}: another briefer command is still changing the settings file "
            f"after {wait:.0f} s"
        ) from None
    except OSError as exc:
        raise ConfigError(f"{config}: cannot write the settings file: {os_reason(exc)}") from None
    try:
        yield
    finally:
        lock.release()


def _rewrite(config: Path, text: str) -> None:
    """Replace the settings file with ``text`` once it validates, keeping its mode."""
    temp: Path | None = None
    try:
        temp = write_temp(config.parent, text.encode("utf-8"), like=config)
        load_settings(temp)  # the new file must still be valid settings
        os.replace(temp, config)
    except OSError as exc:
        raise ConfigError(f"{config}: cannot write the settings file: {os_reason(exc)}") from None
    finally:
        if temp is not None:
            temp.unlink(missing_ok=True)


def feed_health(settings: Settings) -> list[FeedHealth]:
    """Each configured feed with its health in the feed store (empty if never fetched)."""
    path = store_path(settings)
    out = []
    store = FeedStore.open(path) if path.exists() else None
    try:
        for feed in settings.feeds:
            if store is None:
                out.append(FeedHealth(feed.url, feed.name, None, None, 0, 0))
                continue
            state = store.feed_state(feed.url)
            out.append(
                FeedHealth(
                    feed.url, feed.name or state.title, state.last_success, state.last_error,
                    state.consecutive_failures, store.count_items(feed.url),
                )
            )  # fmt: skip
    finally:
        if store is not None:
            store.close()
    return out
