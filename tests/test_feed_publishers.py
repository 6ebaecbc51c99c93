"""Who published a feed item, as the memo's source list names it."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest

from briefer.sources.feeditems import feed_articles
from briefer.sources.feeds import fetch_all, store_path
from briefer.sources.publisher import publisher_name

from .feedserver import FeedServer, rfc822, rss
from .helpers import JANUARY, feed_settings, needs_corpora

EDITION = datetime(2026, 1, 6, 7, 0, tzinfo=UTC)
# The name each January feed's title gives, by file.
JANUARY_NAMES = {
    "aljazeera.xml": "Al Jazeera",
    "bbc-middle-east.xml": "BBC News",
    "guardian-world.xml": "The Guardian",
    "newarab.xml": "The New Arab",
    "nyt-world.xml": "NYT",
    "skynews-world.xml": "Sky News",
    "tehrantimes.xml": "Tehran Times",
    "timesofisrael.xml": "The Times of Israel",
}
SEPARATORS = (" | ", " > ", " - ", " – ", ": ")


def channel_title(path: Path) -> str:
    found = ElementTree.parse(path).getroot().findtext("channel/title")
    assert found
    return found


def one_item(title: str, *, link: str = "https://news.example/") -> bytes:
    item = {
        "title": "Ceasefire talks resume in Cairo",
        "link": "https://news.example/cairo",
        "guid": "https://news.example/cairo",
        "description": "Mediators met again.",
        "pubDate": rfc822("2026-01-05T09:00"),
    }
    return rss([item], title=title, link=link)


def publishers(settings) -> set[str | None]:
    fetch_all(settings, progress=False)
    return {a.publisher for a in feed_articles(settings, EDITION)}


@needs_corpora
@pytest.mark.parametrize("name", sorted(JANUARY_NAMES))
def test_the_real_feed_titles_give_the_publishers_name(
    feed_server: FeedServer, tmp_path: Path, name: str
) -> None:
    path = JANUARY / "2026-01-05" / name
    title = channel_title(path)
    feed_server.mount("/jan/", path.parent)
    found = publishers(feed_settings(tmp_path, [feed_server.url(f"/jan/{name}")]))
    assert found == {JANUARY_NAMES[name]}
    # The name is the title's, without the section it covers or its separators.
    assert JANUARY_NAMES[name] in title.replace("&gt;", ">")
    assert not any(sep in JANUARY_NAMES[name] for sep in SEPARATORS)


def test_a_configured_name_wins_over_the_title(feed_server: FeedServer, tmp_path: Path) -> None:
    url = feed_server.add("/a.xml", one_item("World news | The Guardian"))
    assert publishers(feed_settings(tmp_path, [{"url": url, "name": "Guardian (world)"}])) == {
        "Guardian (world)"
    }


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        # A title that is all section words names no one: the site's host, without www.
        ("World News", "https://www.example.org/world", "example.org"),
        ("Top stories - RSS", "https://news.example.net/", "news.example.net"),
        # The part that matches the site's host wins over an earlier part.
        ("Latest from the region | Example Times", "https://exampletimes.com/", "Example Times"),
        ("Reuters RSS", "https://www.reuters.com/", "Reuters"),
    ],
)  # fmt: skip
def test_names_from_titles_and_sites(
    feed_server: FeedServer, tmp_path: Path, title: str, site: str, expected: str
) -> None:
    url = feed_server.add("/a.xml", one_item(title, link=site))
    assert publishers(feed_settings(tmp_path, [url])) == {expected}


def test_no_title_and_no_site_give_the_feeds_host(feed_server: FeedServer, tmp_path: Path) -> None:
    body = (
        one_item("x")
        .replace(b"<title>x</title>", b"")
        .replace(b"<link>https://news.example/</link>", b"")
    )
    url = feed_server.add("/a.xml", body)
    assert publishers(feed_settings(tmp_path, [url])) == {"127.0.0.1"}


def test_a_store_holding_whole_titles_shows_the_name(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    url = feed_server.add("/a.xml", one_item("BBC News - Middle East"))
    settings = feed_settings(tmp_path, [url])
    fetch_all(settings, progress=False)
    # Stores written by earlier versions kept the feed's whole title.
    db = sqlite3.connect(store_path(settings))
    with db:
        db.execute("UPDATE items SET publisher = 'BBC News - Middle East'")
    db.close()
    assert {a.publisher for a in feed_articles(settings, EDITION)} == {"BBC News"}


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("NYT > World News", "NYT"),
        ("World News - Sky News", "Sky News"),
        ("The Day Off: Tampa", "The Day Off"),
        ("Al-Monitor", "Al-Monitor"),
        ("Jornal de Notícias - Últimas Notícias", "Jornal de Notícias"),
        ("", None),
    ],
)
def test_publisher_name_is_stable(title: str, expected: str | None) -> None:
    assert publisher_name(title) == expected
    # A name already clean stays as it is (stores keep the clean name).
    assert expected is None or publisher_name(expected) == expected
