"""The feed store: items stored once, one transaction per feed, health recorded."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from briefer.errors import SourceError
from briefer.sources.store import SCHEMA_VERSION, FeedStore, NewItem

from .helpers import ROOT, query

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def item(n: int, *, title: str | None = None, published: datetime | None = None) -> NewItem:
    text = title or f"Story {n}"
    return NewItem(
        item_id=f"https://news.example/{n}",
        guid=f"https://news.example/{n}",
        link=f"https://news.example/{n}",
        title=text,
        summary=f"Summary of story {n}.",
        published=published or NOW - timedelta(hours=n),
        content_hash=f"{n}:{text}",
    )


def save(store: FeedStore, url: str, items: list[NewItem], now: datetime = NOW) -> int:
    return store.save_feed(
        url,
        items,
        now=now,
        title="Example",
        publisher="Example",
        status="ok",
        error=None,
        etag='"e1"',
        last_modified=None,
    )


@pytest.fixture
def store(tmp_path: Path) -> FeedStore:
    with FeedStore.open(tmp_path / "state" / "briefer.sqlite3") as opened:
        yield opened


def test_an_item_seen_before_is_not_stored_twice(store: FeedStore) -> None:
    assert save(store, "http://a/", [item(n) for n in range(5)]) == 5
    assert save(store, "http://a/", [item(n) for n in range(2, 8)]) == 3
    assert store.count_items("http://a/") == 8
    # The same item in another feed is that feed's item too.
    assert save(store, "http://b/", [item(1)]) == 1
    assert store.count_items() == 9


def test_a_changed_item_is_updated_not_added(store: FeedStore) -> None:
    save(store, "http://a/", [item(1)])
    later = NOW + timedelta(hours=3)
    assert save(store, "http://a/", [item(1, title="Story 1, corrected")], now=later) == 0
    rows = query(store.path, "SELECT title, first_seen, updated FROM items")
    assert rows == [("Story 1, corrected", "2026-01-05T12:00:00Z", "2026-01-05T15:00:00Z")]


def test_item_dates_never_lie_about_the_future(store: FeedStore) -> None:
    future = NOW + timedelta(days=300)
    save(store, "http://a/", [item(1, published=future), item(2)])
    rows = dict(query(store.path, "SELECT item_id, dated FROM items"))
    assert rows["https://news.example/1"] == "2026-01-05T12:00:00Z"  # first seen
    assert rows["https://news.example/2"] == "2026-01-05T10:00:00Z"  # published


def test_feed_health_is_recorded(store: FeedStore) -> None:
    assert store.save_failure("http://a/", "HTTP 500 Internal Server Error", now=NOW) == 1
    assert store.save_failure("http://a/", "read timed out after 2 s", now=NOW) == 2
    state = store.feed_state("http://a/")
    assert (state.last_error, state.consecutive_failures, state.last_success) == (
        "read timed out after 2 s", 2, None
    )  # fmt: skip
    save(store, "http://a/", [item(1)])
    state = store.feed_state("http://a/")
    assert (state.etag, state.consecutive_failures, state.last_success) == (
        '"e1"', 0, "2026-01-05T12:00:00Z"
    )  # fmt: skip
    store.save_not_modified("http://a/", now=NOW + timedelta(hours=1))
    assert store.feed_state("http://a/").last_success == "2026-01-05T13:00:00Z"


def test_items_no_feed_carries_any_more_are_pruned(store: FeedStore) -> None:
    save(store, "http://a/", [item(1), item(2)], now=NOW - timedelta(days=100))
    save(store, "http://a/", [item(2), item(3)], now=NOW)
    assert store.prune(now=NOW, keep_days=90) == 1
    assert {i for (i,) in query(store.path, "SELECT item_id FROM items")} == {
        "https://news.example/2", "https://news.example/3"
    }  # fmt: skip


def test_an_unchanged_feed_keeps_its_items(store: FeedStore) -> None:
    long_ago = NOW - timedelta(days=100)
    save(store, "http://a/", [item(1), item(2)], now=long_ago - timedelta(days=1))
    save(store, "http://a/", [item(2)], now=long_ago)  # item 1 left the feed
    store.save_not_modified("http://a/", now=NOW)  # 304: item 2 is still there
    assert store.prune(now=NOW, keep_days=90) == 1
    assert store.count_items("http://a/") == 1


def test_store_is_in_wal_mode_with_its_schema(store: FeedStore) -> None:
    assert query(store.path, "PRAGMA journal_mode") == [("wal",)]
    assert query(store.path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]


def test_a_store_from_a_newer_briefer_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "briefer.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(SourceError, match="written by a newer briefer"):
        FeedStore.open(path)


def test_an_unusable_store_path_is_one_error(tmp_path: Path) -> None:
    (tmp_path / "state").write_text("a file where the folder should be")
    with pytest.raises(SourceError, match="cannot open the feed store"):
        FeedStore.open(tmp_path / "state" / "briefer.sqlite3")


CRASH = textwrap.dedent(
    """
    import os, sqlite3, sys
    from datetime import datetime, UTC
    from pathlib import Path
    from briefer.sources.store import FeedStore, NewItem

    connections = []
    connect = sqlite3.connect
    def remembered(*args, **kwargs):
        connections.append(connect(*args, **kwargs))
        return connections[-1]
    sqlite3.connect = remembered  # the store's own connection, to cut it short
    store = FeedStore.open(Path(sys.argv[1]))
    (db,) = connections
    items = [NewItem(item_id=f"i{n}", guid=None, link=None, title=f"t{n}", summary="s",
                     published=None, content_hash=str(n)) for n in range(200)]
    def save(url):
        store.save_feed(url, items, now=datetime.now(UTC), title="T", publisher="P",
                        status="ok", error=None, etag=None, last_modified=None)
    save("http://a/")
    steps = 0
    def die_mid_transaction():
        global steps
        if db.in_transaction:
            steps += 1
            if steps > 200:
                os._exit(9)  # no rollback, no cleanup: as if the power went
        return 0
    db.set_progress_handler(die_mid_transaction, 10)
    save("http://b/")
    """
)


def test_a_crash_mid_feed_leaves_the_store_as_before_that_feed(tmp_path: Path) -> None:
    path = tmp_path / "briefer.sqlite3"
    child = subprocess.run(
        [sys.executable, "-c", CRASH, str(path)], cwd=ROOT, capture_output=True, timeout=60
    )
    assert child.returncode == 9, child.stderr.decode()
    with FeedStore.open(path) as store:
        assert query(path, "PRAGMA integrity_check") == [("ok",)]
        assert store.count_items("http://a/") == 200
        assert store.count_items("http://b/") == 0
        assert [url for url, _, _ in store.feeds()] == ["http://a/"]


def test_a_damaged_store_is_moved_aside_and_the_run_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "state" / "briefer.sqlite3"
    path.parent.mkdir()
    path.write_bytes(b"not a database at all, " * 200)
    with caplog.at_level("WARNING", logger="briefer"), FeedStore.open(path) as store:
        assert store.count_items() == 0
        assert save(store, "http://a/", [item(1)]) == 1
    aside = [p.name for p in path.parent.iterdir() if ".corrupt-" in p.name]
    assert len(aside) == 1 and aside[0].startswith("briefer.sqlite3.corrupt-")
    assert "not a usable database" in caplog.text and aside[0] in caplog.text
