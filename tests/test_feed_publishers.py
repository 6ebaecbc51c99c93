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


# -- one publisher's item twice: one source ---------------------------------


def item(link: str, title: str, when: str = "2026-01-05T09:00", **extra: str) -> dict[str, str]:
    return {
        "title": title,
        "link": link,
        "guid": extra.pop("guid", link),
        "description": extra.pop("text", "Protests have spread across Iran for two weeks."),
        "pubDate": rfc822(when),
        **extra,
    }


def articles_of(settings, edition: datetime = EDITION):
    fetch_all(settings, progress=False)
    return feed_articles(settings, edition)


@needs_corpora
def test_a_real_typo_in_link_and_headline_is_one_source(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    from briefer.brief import build_brief

    # The New Arab carried this story twice on 10 January: IRCG (a typo) and IRGC.
    day = JANUARY / "2026-01-10"
    feed_server.mount("/jan/", day)
    settings = feed_settings(tmp_path, [feed_server.url("/jan/newarab.xml")])
    found = articles_of(settings, datetime(2026, 1, 11, 7, 0, tzinfo=UTC))
    titles = [a.title for a in found if "say security a 'red line'" in (a.title or "")]
    assert len(titles) == 1, titles
    items = ElementTree.parse(day / "newarab.xml").getroot().findall("channel/item")
    assert len(found) == len(items) - 1  # every other item is an article of its own
    brief = build_brief(settings, articles=found)
    shown = [s.title for s in brief.sources if "red line" in s.title]
    assert len(shown) <= 1


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # The same link but for tracking parameters (two guids).
        (("https://news.example/iran-protests?utm_source=rss", "Iran protests spread to Tabriz"),
         ("https://news.example/iran-protests?traffic_source=rss&fbclid=x",
          "Iran protests spread to Tabriz")),
        # A typo in the link's last segment, the same headline.
        (("https://news.example/news/irgc-say-security-red-line-iran-protests",
          "IRGC say security a 'red line' as Iran seeks to quell protests"),
         ("https://news.example/news/ircg-say-security-red-line-iran-protests",
          "IRGC say security a 'red line' as Iran seeks to quell protests")),
        # A typo in both, and www. on one.
        (("https://www.news.example/news/irgc-say-security-red-line-iran-protests",
          "IRGC say security a 'red line' as Iran seeks to quell protests"),
         ("https://news.example/news/ircg-say-security-red-line-iran-protests/",
          "IRCG say security a 'red line' as Iran seeks to quell protests")),
    ],
)  # fmt: skip
def test_near_identical_links_of_one_publisher_are_one_article(
    feed_server: FeedServer,
    tmp_path: Path,
    first: tuple[str, str],
    second: tuple[str, str],
) -> None:
    url = feed_server.add(
        "/a.xml", rss([item(*first), item(*second, when="2026-01-05T09:05")], title="Alpha")
    )
    found = articles_of(feed_settings(tmp_path, [url]))
    assert [(a.publisher, a.also_published_by) for a in found] == [("Alpha", ())]


def test_the_same_copy_in_two_feeds_of_one_publisher_is_one_article(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    headline = "Iran protests spread to Tabriz as currency falls"
    world = item("https://news.example/iran-protests?CMP=world", headline)
    mideast = item("https://news.example/iran-protests?CMP=me", headline)
    a = feed_server.add("/world.xml", rss([world], title="World | Alpha"))
    b = feed_server.add("/mideast.xml", rss([mideast], title="Alpha - Mideast"))
    found = articles_of(feed_settings(tmp_path, [a, b]))
    assert [(a.publisher, a.url) for a in found] == [
        ("Alpha", "https://news.example/iran-protests")
    ]


@pytest.mark.parametrize(
    ("first", "second", "publishers"),
    [
        # Another publisher: its own source, whatever its link.
        (("https://news.example/iran-protests-spread-to-tabriz", "Iran protests spread to Tabriz"),
         ("https://news.example/iran-protests-spread-to-tabriz", "Iran protests spread to Tabriz"),
         ("Alpha", "Bravo")),
        # Another headline: another item, though the link is nearly the same.
        (("https://news.example/news/iran-protests-spread-to-tabriz",
          "Iran protests spread to Tabriz"),
         ("https://news.example/news/iran-protests-spread-to-tabriq",
          "Oil prices rise as markets weigh Iran unrest"),
         ("Alpha", "Alpha")),
        # The numbers differ: the next day's briefing.
        (("https://news.example/daily-briefing-jan-7-day-824-of-the-war",
          "Daily Briefing Jan. 7: Day 824 of the war in Gaza"),
         ("https://news.example/daily-briefing-jan-8-day-825-of-the-war",
          "Daily Briefing Jan. 8: Day 825 of the war in Gaza"),
         ("Alpha", "Alpha")),
        # Another folder of the site: another kind of item.
        (("https://news.example/news/how-is-gum-arabic-fuelling-the-war-in-sudan",
          "How is gum arabic fuelling the war in Sudan?"),
         ("https://news.example/video/how-is-gum-arabic-fuelling-the-war-in-sudan",
          "How is gum arabic fuelling the war in Sudan?"),
         ("Alpha", "Alpha")),
        # Short last segments are ids: one letter apart is another item.
        (("https://news.example/a/b7Kx2q", "Iran protests spread to Tabriz"),
         ("https://news.example/a/b7Kx2r", "Iran protests spread to Tabriz"), ("Alpha", "Alpha")),
    ],
)  # fmt: skip
def test_items_that_stay_sources_of_their_own(
    feed_server: FeedServer,
    tmp_path: Path,
    first: tuple[str, str],
    second: tuple[str, str],
    publishers: tuple[str, str],
) -> None:
    one, two = (item(*first, guid="one"), item(*second, guid="two"))
    if publishers[0] == publishers[1]:
        feeds = [feed_server.add("/a.xml", rss([one, two], title=publishers[0]))]
    else:
        feeds = [
            feed_server.add("/a.xml", rss([one], title=publishers[0])),
            feed_server.add("/b.xml", rss([two], title=publishers[1])),
        ]
    assert len(articles_of(feed_settings(tmp_path, feeds))) == 2


def test_a_copy_is_found_among_many_items_that_open_alike(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    live = [
        item(f"https://news.example/live/israel-strikes-gaza-day-{n}-of-the-truce",
             f"Live: Israel strikes Gaza on day {n} of the truce", guid=f"live-{n}")
        for n in range(120)
    ]  # fmt: skip
    headline = "Live: Israel strikes Gaza as talks stall in Cairo"
    copies = [
        item("https://news.example/live/israel-strikes-gaza-as-talks-stall-in-cairo", headline),
        item("https://news.example/live/israel-strikes-gaza-as-talks-stal-in-cairo", headline),
    ]
    url = feed_server.add("/a.xml", rss([*live, *copies], title="Alpha"))
    found = articles_of(feed_settings(tmp_path, [url]))
    assert len(found) == 121
    assert [a.title for a in found].count(headline) == 1


@pytest.mark.parametrize(
    ("a", "b", "limit", "expected"),
    [
        ("irgc-say-security", "ircg-say-security", 2, True),  # two letters swapped
        ("irgc-say-security", "ircg-say-securty", 2, False),
        ("red-line", "red-lines", 1, True),
        ("red-line", "bed-lime", 1, False),
        ("", "ab", 2, True),
        ("abc", "abc", 0, True),
        ("abcdef", "abc", 2, False),
    ],
)
def test_within_edits(a: str, b: str, limit: int, expected: bool) -> None:
    from briefer.sources.feeditems import within_edits

    assert within_edits(a, b, limit) is expected
    assert within_edits(b, a, limit) is expected


def test_a_feed_without_a_title_this_time_keeps_its_name(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    url = feed_server.add("/a.xml", one_item("World news | Alpha Times"))
    settings = feed_settings(tmp_path, [url])
    fetch_all(settings, progress=False)
    later = rss(
        [item("https://news.example/iran-protests-spread", "Iran protests spread to Tabriz")],
        title="",
    ).replace(b"<title></title>", b"")
    feed_server.add("/a.xml", later, mtime=1767312000.0)
    assert publishers(settings) == {"Alpha Times"}
