"""The feed store: one SQLite file with what every feed has brought.

Two tables. ``feeds`` holds each feed's HTTP validators (ETag,
Last-Modified) and health (last success, last error, consecutive
failures). ``items`` holds every item ever seen, once per feed: a second
sighting updates the row (and its ``last_seen``), never adds one.

Each fetched feed is written in one transaction (:meth:`FeedStore.save_feed`):
if briefer dies half-way, the store is as it was before that feed. The
file is in WAL mode, so a build can read while a fetch writes. It heals
as the state file does (:mod:`briefer.statedb`): a damaged store is moved
aside with a warning and the run goes on with an empty one (the feeds
fill it again). A :class:`FeedStore` belongs to the thread that opened it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ..errors import SourceError, StateError
from ..statedb import HealingDatabase

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY,
    title TEXT,
    etag TEXT,
    last_modified TEXT,
    last_fetch TEXT,
    last_status TEXT,
    last_success TEXT,
    last_error TEXT,
    last_error_at TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS items (
    id INTEGER PRIMARY KEY,
    feed_url TEXT NOT NULL REFERENCES feeds(url) ON DELETE CASCADE,
    item_id TEXT NOT NULL,
    guid TEXT,
    link TEXT,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT,
    author TEXT,
    publisher TEXT,
    published TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    updated TEXT,
    dated TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    UNIQUE (feed_url, item_id)
);
CREATE INDEX IF NOT EXISTS items_dated ON items (dated);
"""

# Columns added since the first version: a store written before gets them on opening.
ADDED_COLUMNS = {"items": {"categories": "categories TEXT"}}  # one per line


def db_time(moment: datetime) -> str:
    """A datetime as stored: UTC, second precision, sortable as text."""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_db_time(text: str) -> datetime:
    """The inverse of :func:`db_time`."""
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class FeedState:
    """What the store knows about one feed before a fetch."""

    url: str
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_success: str | None = None
    last_error: str | None = None
    consecutive_failures: int = 0


@dataclass(frozen=True, slots=True)
class NewItem:
    """An item as parsed from a feed, ready to store."""

    item_id: str  # guid, else link, else a hash of title and summary
    guid: str | None
    link: str | None  # http(s) only
    title: str
    summary: str  # plain text, paragraphs separated by a blank line
    published: datetime | None
    content_hash: str
    author: str | None = None
    body: str | None = None  # article text (feed content or extracted page)
    categories: tuple[str, ...] = ()  # as the feed names them (Opinion, Video, ...)


@dataclass(frozen=True, slots=True)
class StoredItem:
    """An item read back from the store."""

    feed_url: str
    item_id: str
    guid: str | None
    link: str | None
    title: str
    summary: str
    body: str | None
    author: str | None
    publisher: str | None
    published: datetime | None
    first_seen: datetime
    dated: datetime  # published, but never later than first seen
    content_hash: str
    categories: tuple[str, ...] = ()


class FeedStore:
    """Feeds and their items in one SQLite file (see the module docstring)."""

    def __init__(self, base: HealingDatabase) -> None:
        self._base = base
        self._db = base.connection  # for statements inside a transaction
        self.path = base.path

    @classmethod
    def open(cls, path: Path) -> FeedStore:
        """Open the store at ``path``, creating the file and its tables if needed."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            base = HealingDatabase(
                path,
                _SCHEMA,
                version=SCHEMA_VERSION,
                added_columns=ADDED_COLUMNS,
                pragmas=("foreign_keys = ON", "synchronous = NORMAL"),
            )
        except OSError as exc:
            raise SourceError(f"{path}: cannot open the feed store: {exc}") from None
        except StateError as exc:
            why = str(exc).removeprefix(f"{path}: ")
            raise SourceError(f"{path}: cannot open the feed store: {why}") from None
        return cls(base)

    def close(self) -> None:
        """Close the file (an unfinished transaction is rolled back)."""
        self._base.close()

    def __enter__(self) -> FeedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ------------------------------------------------------------

    def feed_state(self, url: str) -> FeedState:
        """The stored state of ``url`` (an empty state for a new feed)."""
        rows = self._base.read(
            "SELECT title, etag, last_modified, last_success, last_error, consecutive_failures"
            " FROM feeds WHERE url = ?",
            (url,),
        )
        return FeedState(url, *rows[0]) if rows else FeedState(url)

    def known_ids(self, feed_url: str, item_ids: Iterable[str]) -> set[str]:
        """The ids among ``item_ids`` already stored for ``feed_url``."""
        ids = list(item_ids)
        known: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._base.read(
                f"SELECT item_id FROM items WHERE feed_url = ? AND item_id IN ({marks})",
                (feed_url, *chunk),
            )
            known.update(r[0] for r in rows)
        return known

    def items_between(
        self, feed_urls: Sequence[str], start: datetime, end: datetime
    ) -> list[StoredItem]:
        """Items of these feeds dated after ``start`` and not after ``end``.

        An item's date is its published time, or the time it was first
        seen when that is earlier or there is no published time.
        """
        if not feed_urls:
            return []
        marks = ",".join("?" * len(feed_urls))
        rows = self._base.read(
            "SELECT feed_url, item_id, guid, link, title, summary, body, author, publisher,"
            " published, first_seen, dated, content_hash, categories FROM items"
            f" WHERE dated > ? AND dated <= ? AND feed_url IN ({marks})"
            " ORDER BY dated DESC, feed_url, item_id",
            (db_time(start), db_time(end), *feed_urls),
        )
        return [
            StoredItem(
                feed_url=r[0],
                item_id=r[1],
                guid=r[2],
                link=r[3],
                title=r[4],
                summary=r[5],
                body=r[6],
                author=r[7],
                publisher=r[8],
                published=from_db_time(r[9]) if r[9] else None,
                first_seen=from_db_time(r[10]),
                dated=from_db_time(r[11]),
                content_hash=r[12],
                categories=tuple(r[13].split("\n")) if r[13] else (),
            )
            for r in rows
        ]

    def feeds(self) -> list[tuple[str, str | None, str | None]]:
        """(url, last_status, last_error) of every feed ever fetched."""
        return self._base.read("SELECT url, last_status, last_error FROM feeds")

    def count_items(self, feed_url: str | None = None) -> int:
        """Items stored, for one feed or all."""
        if feed_url is None:
            return self._base.read("SELECT count(*) FROM items")[0][0]
        return self._base.read("SELECT count(*) FROM items WHERE feed_url = ?", (feed_url,))[0][0]

    # -- writing ------------------------------------------------------------

    def save_feed(
        self,
        url: str,
        items: Sequence[NewItem],
        *,
        now: datetime,
        title: str | None,
        publisher: str | None,
        status: str,
        error: str | None,
        etag: str | None,
        last_modified: str | None,
    ) -> int:
        """Store one successful fetch (``ok`` or ``partial``); return new items.

        Known items are updated when their content changed; all get their
        ``last_seen`` moved to ``now``. One transaction: all or nothing.
        """
        when = db_time(now)
        with self._base.transaction():
            self._db.execute(
                "INSERT INTO feeds (url, title, etag, last_modified, last_fetch, last_status,"
                " last_success, last_error, last_error_at, consecutive_failures)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)"
                " ON CONFLICT (url) DO UPDATE SET title = coalesce(excluded.title, title),"
                " etag = excluded.etag, last_modified = excluded.last_modified,"
                " last_fetch = excluded.last_fetch, last_status = excluded.last_status,"
                " last_success = excluded.last_success,"
                " last_error = coalesce(excluded.last_error, last_error),"
                " last_error_at = coalesce(excluded.last_error_at, last_error_at),"
                " consecutive_failures = 0",
                (
                    url,
                    title,
                    etag,
                    last_modified,
                    when,
                    status,
                    when,
                    error,
                    when if error else None,
                ),
            )
            known = dict(
                self._db.execute(
                    "SELECT item_id, content_hash FROM items WHERE feed_url = ?", (url,)
                ).fetchall()
            )
            new = 0
            unchanged = []
            for item in items:
                published = db_time(item.published) if item.published else None
                categories = "\n".join(item.categories) or None
                dated = min(published, when) if published else when
                if item.item_id not in known:
                    self._db.execute(
                        "INSERT INTO items (feed_url, item_id, guid, link, title, summary,"
                        " body, author, publisher, published, first_seen, last_seen, dated,"
                        " content_hash, categories)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            url, item.item_id, item.guid, item.link, item.title, item.summary,
                            item.body, item.author, publisher, published, when, when, dated,
                            item.content_hash, categories,
                        ),
                    )  # fmt: skip
                    known[item.item_id] = item.content_hash
                    new += 1
                elif known[item.item_id] != item.content_hash:
                    self._db.execute(
                        "UPDATE items SET guid = ?, link = ?, title = ?, summary = ?,"
                        " body = coalesce(?, body), author = ?, publisher = ?, published = ?,"
                        " dated = min(coalesce(?, first_seen), first_seen), content_hash = ?,"
                        " categories = ?, updated = ?, last_seen = ?"
                        " WHERE feed_url = ? AND item_id = ?",
                        (
                            item.guid, item.link, item.title, item.summary, item.body,
                            item.author, publisher, published, published, item.content_hash,
                            categories, when, when, url, item.item_id,
                        ),
                    )  # fmt: skip
                    known[item.item_id] = item.content_hash
                else:  # categories too: a store written before had none
                    unchanged.append((when, categories, url, item.item_id))
            self._db.executemany(
                "UPDATE items SET last_seen = ?, categories = ? WHERE feed_url = ? AND item_id = ?",
                unchanged,
            )
        return new

    def save_not_modified(self, url: str, *, now: datetime) -> None:
        """Record a 304 answer: the feed is healthy and unchanged."""
        when = db_time(now)
        with self._base.transaction():
            # The items of the last successful fetch are still in the feed.
            self._db.execute(
                "UPDATE items SET last_seen = ? WHERE feed_url = ?"
                " AND last_seen = (SELECT last_success FROM feeds WHERE url = ?)",
                (when, url, url),
            )
            self._db.execute(
                "INSERT INTO feeds (url, last_fetch, last_status, last_success)"
                " VALUES (?, ?, 'not_modified', ?)"
                " ON CONFLICT (url) DO UPDATE SET last_fetch = excluded.last_fetch,"
                " last_status = 'not_modified', last_success = excluded.last_success,"
                " consecutive_failures = 0",
                (url, when, when),
            )

    def save_failure(self, url: str, error: str, *, now: datetime) -> int:
        """Record a failed fetch; return the feed's consecutive failures."""
        when = db_time(now)
        with self._base.transaction():
            self._db.execute(
                "INSERT INTO feeds (url, last_fetch, last_status, last_error, last_error_at,"
                " consecutive_failures) VALUES (?, ?, 'error', ?, ?, 1)"
                " ON CONFLICT (url) DO UPDATE SET last_fetch = excluded.last_fetch,"
                " last_status = 'error', last_error = excluded.last_error,"
                " last_error_at = excluded.last_error_at,"
                " consecutive_failures = consecutive_failures + 1",
                (url, when, error, when),
            )
            row = self._db.execute(
                "SELECT consecutive_failures FROM feeds WHERE url = ?", (url,)
            ).fetchone()
        return int(row[0])

    def prune(self, *, now: datetime, keep_days: float) -> int:
        """Delete items no feed has carried for ``keep_days``; return how many."""
        cutoff = db_time(now - timedelta(days=keep_days))
        with self._base.transaction():
            cursor = self._db.execute("DELETE FROM items WHERE last_seen < ?", (cutoff,))
        return cursor.rowcount
