"""Real feeds from ../shared/corpora through briefer's ingestion, over HTTP."""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime
from pathlib import Path

import feedparser

from briefer.sources.feeds import fetch_all
from briefer.sources.text import inline_text

from .feedserver import FeedServer, comment_headers
from .helpers import (
    FEEDPARSER_TESTS,
    JANUARY,
    REAL_FEEDS,
    by_url,
    feed_settings,
    needs_corpora,
    stored_rows,
)

pytestmark = needs_corpora

PUBLISHERS = sorted(p.name for p in (JANUARY / "2026-01-01").glob("*.xml"))



def entry_ids(path: Path) -> set[str]:
    """Item ids as feedparser reads them straight from the file."""
    parsed = feedparser.parse(io.BytesIO(path.read_bytes()))
    return {e.get("id") or e.get("link") for e in parsed.entries}


def test_day_two_stores_exactly_its_new_items(feed_server: FeedServer, tmp_path: Path) -> None:
    assert len(PUBLISHERS) == 8
    urls = [feed_server.url(f"/jan/{name}") for name in PUBLISHERS]
    settings = feed_settings(tmp_path, urls)

    feed_server.mount("/jan/", JANUARY / "2026-01-01")
    day1 = fetch_all(settings, progress=False)
    feed_server.mount("/jan/", JANUARY / "2026-01-02")
    day2 = fetch_all(settings, progress=False)

    for name, url in zip(PUBLISHERS, urls, strict=True):
        old = entry_ids(JANUARY / "2026-01-01" / name)
        now = entry_ids(JANUARY / "2026-01-02" / name)
        assert by_url(day1)[url].items_new == len(old)
        assert by_url(day2)[url].status == "ok"
        assert by_url(day2)[url].items_new == len(now - old), name
        stored = stored_rows(settings, "SELECT item_id FROM items WHERE feed_url = ?", url)
        assert {i for (i,) in stored} == old | now
    assert day1.new_items == 154 and day2.new_items == 138

    # Nothing changed on the server: every feed answers 304, nothing is stored.
    day2_again = fetch_all(settings, progress=False)
    assert [r.status for r in day2_again.results] == ["not_modified"] * 8
    assert day2_again.new_items == 0
    assert stored_rows(settings, "SELECT count(*) FROM items") == [(154 + 138,)]
    for name in PUBLISHERS:
        assert feed_server.statuses(f"/jan/{name}") == [200, 200, 304]


def test_edition_window_over_the_january_feeds(feed_server: FeedServer, tmp_path: Path) -> None:
    from briefer.sources.feeditems import feed_articles

    urls = [feed_server.url(f"/jan/{name}") for name in PUBLISHERS]
    settings = feed_settings(tmp_path, urls, fetch={"window_days": 2})
    for day in ("2026-01-04", "2026-01-05", "2026-01-06"):
        feed_server.mount("/jan/", JANUARY / day)
        fetch_all(settings, progress=False)
    edition = datetime(2026, 1, 5, 7, 0, tzinfo=UTC)
    articles = feed_articles(settings, edition)
    assert articles
    dates = {a.published for a in articles}
    assert max(dates) <= edition.date()
    assert min(dates) >= datetime(2026, 1, 3, tzinfo=UTC).date()
    # Every article names its publisher (the name in the feed's title, without the
    # section it covers) and links only to http(s).
    assert {a.publisher for a in articles} == {
        "Al Jazeera",
        "BBC News",
        "The Guardian",
        "The New Arab",
        "NYT",
        "Sky News",
        "Tehran Times",
        "The Times of Israel",
    }
    assert all(a.url is None or a.url.startswith(("http://", "https://")) for a in articles)
    assert all("<" not in p for a in articles for p in a.paragraphs)
    assert not any("appeared first on" in p for a in articles for p in a.paragraphs)
    assert len({a.key for a in articles}) == len(articles)


def test_real_feeds_from_the_web(feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.mount("/real/", REAL_FEEDS)
    names = sorted(p.name for p in REAL_FEEDS.iterdir() if not p.name.startswith("LICENSE"))
    urls = {name: feed_server.url(f"/real/{name}") for name in names}
    report = fetch_all(feed_settings(tmp_path, list(urls.values())), progress=False)
    results = by_url(report)
    assert results[urls["unrecognized.rss"]].status == "error"
    assert "HTML page" in (results[urls["unrecognized.rss"]].error or "")
    uol = results[urls["uolNoticias.rss"]]
    assert uol.status == "partial" and "mis-declared encoding" in (uol.error or "")
    assert uol.items_new == 15
    for name in names:
        if name not in ("unrecognized.rss", "uolNoticias.rss"):
            assert results[urls[name]].status == "ok", (name, results[urls[name]].error)
    assert results[urls["guardian.rss"]].items_new == 55
    assert results[urls["heise.atom"]].items_new == 15


def test_sweep_every_feedparser_test_file(feed_server: FeedServer, tmp_path: Path) -> None:
    """No exception, no hang, no well-formed item lost, over 2,106 odd feeds."""
    feed_server.mount("/fp/", FEEDPARSER_TESTS, file_headers=True)
    files = sorted(p for p in FEEDPARSER_TESTS.rglob("*") if p.is_file())
    assert len(files) > 2000
    urls = {feed_server.url(f"/fp/{p.relative_to(FEEDPARSER_TESTS)}"): p for p in files}
    settings = feed_settings(tmp_path, list(urls), fetch={"concurrency": 4})
    started = time.monotonic()
    report = fetch_all(settings, progress=False)
    assert time.monotonic() - started < 60
    assert len(report.results) == len(files)
    internal = [(r.url, r.error) for r in report.results if "internal error" in (r.error or "")]
    assert internal == []

    stored: dict[str, set[str]] = {}
    for url, title in stored_rows(settings, "SELECT feed_url, title FROM items"):
        stored.setdefault(url, set()).add(title)
    lost = []
    for url, path in urls.items():
        if "/wellformed/" not in url:
            continue
        body = path.read_bytes()
        headers = {k.lower(): v for k, v in comment_headers(body).items()}
        parsed = feedparser.parse(io.BytesIO(body), response_headers=headers, sanitize_html=False)
        if parsed.bozo:
            continue
        for entry in parsed.entries:
            detail = entry.get("title_detail") or {}
            plain = detail.get("type") not in ("text/html", "application/xhtml+xml")
            title = inline_text(entry.get("title", ""), is_html=not plain)
            if title and title not in stored.get(url, set()):
                lost.append((path.name, title))
    assert lost == [], lost
