"""Helpers shared by the feed tests: the local server, settings, store access."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from briefer.settings import Settings, load_settings
from briefer.sources.feeds import FeedResult, FetchReport, store_path
from briefer.sources.store import FeedStore

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "feeds"
CORPORA = ROOT.parent / "shared" / "corpora"
JANUARY = CORPORA / "news-feeds-2026-01"
REAL_FEEDS = CORPORA / "real-feeds"
FEEDPARSER_TESTS = CORPORA / "feedparser-tests"

needs_corpora = pytest.mark.skipif(
    not CORPORA.is_dir(), reason="needs ../shared/corpora (not in a user's clone)"
)

# Short limits so that fault tests finish in seconds.
FAST_FETCH: dict[str, Any] = {
    "connect_timeout": 1.0,
    "read_timeout": 1.5,
    "deadline": 3.0,
    "max_bytes": 2_000_000,
    "concurrency": 8,
}


def feed_settings(
    tmp_path: Path,
    feeds: Sequence[str | Mapping[str, Any]],
    *,
    fetch: Mapping[str, Any] | None = None,
    **overrides: Any,
) -> Settings:
    """Settings whose state lives in ``tmp_path``; ``feeds`` are URLs or tables.

    An empty settings file keeps a ``config/briefer.toml`` in the working
    folder out of the tests.
    """
    config = tmp_path / "empty.toml"
    if not config.exists():
        config.write_text("")
    tables = [{"url": f} if isinstance(f, str) else dict(f) for f in feeds]
    values: dict[str, Any] = {
        "state_dir": tmp_path / "state",
        "out_dir": tmp_path / "out",
        "timezone": "UTC",
        "feeds": tables,
        "fetch": {**FAST_FETCH, **(fetch or {})},
    }
    values.update(overrides)
    return load_settings(config, **values)


def by_url(report: FetchReport) -> dict[str, FeedResult]:
    return {r.url: r for r in report.results}


def open_store(settings: Settings) -> FeedStore:
    return FeedStore.open(store_path(settings))


def stored_rows(settings: Settings, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Run a read-only query against the feed store."""
    with open_store(settings) as store:
        return list(store._db.execute(sql, params))
