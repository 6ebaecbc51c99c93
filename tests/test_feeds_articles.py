"""Stored feed items into articles: the window, one article per story, clean text."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from briefer.models import Article
from briefer.settings import Settings
from briefer.sources.feeditems import feed_articles
from briefer.sources.feeds import fetch_all

from .feedserver import BAD_LINKS_FEED, FeedServer, rfc822, rss
from .helpers import FIXTURES, feed_settings, stored_rows

EDITION = datetime(2026, 1, 6, 7, 0, tzinfo=UTC)



def story(slug: str, title: str, when: str, text: str = "", **extra: str) -> dict[str, str]:
    return {
        "title": title,
        "link": f"https://news.example/{slug}",
        "guid": extra.pop("guid", f"https://news.example/{slug}"),
        "description": text or f"What happened in {slug}, told in one sentence.",
        "pubDate": rfc822(when),
        **extra,
    }


def serve(server: FeedServer, path: str, items: list[Mapping[str, str]], title: str) -> str:
    return server.add(path, rss(items, title=title))


def articles(settings: Settings, edition: datetime = EDITION) -> dict[str, Article]:
    fetch_all(settings, progress=False)
    return {a.title or "": a for a in feed_articles(settings, edition)}


def test_only_items_inside_the_window_count(feed_server: FeedServer, tmp_path: Path) -> None:
    url = serve(
        feed_server,
        "/a.xml",
        [
            story("old", "Too old", "2025-12-29T06:59"),
            story("start", "Exactly seven days", "2025-12-30T07:00"),
            story("in", "Inside the window", "2026-01-02T12:00"),
            story("edge", "At the edition time", "2026-01-06T07:00"),
            story("late", "After the edition", "2026-01-06T08:00"),
        ],
        "A",
    )
    found = articles(feed_settings(tmp_path, [url]))
    assert sorted(found) == ["At the edition time", "Inside the window"]
    assert found["Inside the window"].published == date(2026, 1, 2)


def test_window_length_is_a_setting(feed_server: FeedServer, tmp_path: Path) -> None:
    url = serve(feed_server, "/a.xml", [story("in", "Two days ago", "2026-01-04T06:00")], "A")
    assert articles(feed_settings(tmp_path, [url], fetch={"window_days": 1})) == {}
    assert list(articles(feed_settings(tmp_path, [url], fetch={"window_days": 3}))) == [
        "Two days ago"
    ]


def test_undated_item_counts_from_when_it_was_first_seen(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    undated = {"title": "No date given", "guid": "https://news.example/x", "description": "Text."}
    settings = feed_settings(tmp_path, [serve(feed_server, "/a.xml", [undated], "A")])
    assert articles(settings, EDITION) == {}  # first seen after this past edition
    now = datetime.now(UTC)
    assert articles(settings, now)["No date given"].published == now.date()


def test_article_fields(feed_server: FeedServer, tmp_path: Path) -> None:
    html = (
        "&lt;p&gt;Talks on the &lt;b&gt;second phase&lt;/b&gt; resumed in Cairo.&lt;/p&gt;"
        "&lt;p&gt;Mediators expect a deal.&lt;/p&gt;"
    )
    url = serve(
        feed_server,
        "/a.xml",
        [story("cairo", "Ceasefire talks resume in Cairo", "2026-01-05T09:00", html)],
        "Example Wire",
    )
    found = articles(feed_settings(tmp_path, [url]))
    article = found["Ceasefire talks resume in Cairo"]
    assert article.key.startswith("feed:") and len(article.key) == 21
    assert article.publisher == "Example Wire"
    assert article.url == "https://news.example/cairo"
    assert article.published == date(2026, 1, 5)
    assert article.paragraphs == (
        "Talks on the second phase resumed in Cairo.",
        "Mediators expect a deal.",
    )
    assert article.also_published_by == ()
    assert article.content_hash


def test_configured_name_is_the_publisher(feed_server: FeedServer, tmp_path: Path) -> None:
    url = serve(feed_server, "/a.xml", [story("a", "Some news", "2026-01-05T09:00")], "Feed Title")
    settings = feed_settings(tmp_path, [{"url": url, "name": "Our Desk"}])
    assert articles(settings)["Some news"].publisher == "Our Desk"


def test_dates_follow_the_edition_time_zone(feed_server: FeedServer, tmp_path: Path) -> None:
    url = serve(feed_server, "/a.xml", [story("a", "Late news", "2026-01-04T23:30")], "A")
    settings = feed_settings(tmp_path, [url], timezone="Asia/Tokyo")
    edition = EDITION.astimezone(ZoneInfo("Asia/Tokyo"))
    assert articles(settings, edition)["Late news"].published == date(2026, 1, 5)


def test_links_that_are_not_http_are_dropped_and_html_reduced(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    url = feed_server.add("/bad.xml", BAD_LINKS_FEED)
    found = articles(feed_settings(tmp_path, [url]))
    assert {title: a.url for title, a in found.items()} == {
        "Script link & more": None,
        "Data link": None,
        "File link": None,
        "Good link": "https://news.example/good",
    }
    script = found["Script link & more"]
    assert script.paragraphs == ("Hello world", "Second & last.")
    rows = stored_rows(feed_settings(tmp_path, [url]), "SELECT link FROM items ORDER BY link")
    assert rows == [(None,), (None,), (None,), ("https://news.example/good",)]


def test_links_lose_their_tracking_parameters_but_keep_the_rest(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    from briefer.brief import build_brief
    from briefer.render.markdown import render_markdown

    link = "https://news.example/gaza-truce?id=7&amp;utm_source=rss&amp;traffic_source=rss"
    text = "Israel and Hamas agreed to extend the Gaza ceasefire by two weeks, mediators said."
    item = story("gaza-truce", "Israel and Hamas extend Gaza ceasefire", "2026-01-05T09:00", text,
                 link=link)  # fmt: skip
    settings = feed_settings(tmp_path, [serve(feed_server, "/a.xml", [item], "Alpha")])
    found = feed_articles_after_fetch(settings)
    assert [a.url for a in found] == ["https://news.example/gaza-truce?id=7"]
    brief = build_brief(settings, articles=found)
    assert [s.url for s in brief.sources] == ["https://news.example/gaza-truce?id=7"]
    markdown = render_markdown(brief, settings.templates_dir)
    assert "(https://news.example/gaza-truce?id=7)" in markdown
    assert "utm_source" not in markdown


def test_one_story_in_several_feeds_is_one_bullet_citing_each(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    from briefer.brief import build_brief

    headline = "Israel and Hamas agree to extend Gaza ceasefire by two weeks"
    text = "Israel and Hamas agreed to extend the Gaza ceasefire by two weeks, mediators said."
    a = serve(feed_server, "/a.xml", [story("a1", headline, "2026-01-05T09:00", text)], "Alpha")
    b = serve(
        feed_server,
        "/b.xml",
        [story("b1", headline + " - Bravo Post", "2026-01-05T10:00",
               "Mediators said the Gaza truce between Israel and Hamas would run two more weeks.")],
        "Bravo Post",
    )  # fmt: skip
    c = serve(
        feed_server,
        "/c.xml",
        [story("c1", "Israel, Hamas agree to extend Gaza ceasefire by two weeks",
               "2026-01-05T11:00", text)],
        "Charlie Times",
    )  # fmt: skip
    settings = feed_settings(tmp_path, [a, b, c])
    found = feed_articles_after_fetch(settings)
    # Each item is a source of its own; the engine makes them one story.
    assert sorted(x.publisher for x in found) == ["Alpha", "Bravo Post", "Charlie Times"]
    brief = build_brief(settings, articles=found)
    stories = {i.story for i in brief.items}
    assert len(stories) == 1
    assert {s.publisher for s in brief.sources} == {"Alpha", "Bravo Post", "Charlie Times"}


def test_the_same_guid_in_two_feeds_is_one_article(feed_server: FeedServer, tmp_path: Path) -> None:
    item = story("shared", "Shared wire copy on Gaza", "2026-01-05T09:00")
    a = serve(feed_server, "/a.xml", [item], "Alpha Wire")
    b = serve(feed_server, "/b.xml", [item], "Bravo News")
    found = feed_articles_after_fetch(feed_settings(tmp_path, [a, b]))
    assert [(x.publisher, x.also_published_by) for x in found] == [("Alpha Wire", ("Bravo News",))]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # One publisher reusing a headline for new text (a live blog).
        (("Netanyahu rings in 2026 with Trump at Mar-a-Lago", "The PM was spotted at the party."),
         ("Netanyahu rings in 2026 with Trump at Mar-a-Lago", "15 injured in Nazareth blast.")),
        # Too few telling words to judge by.
        (("Here's the latest.", "Ski resort fire."), ("Here’s the latest.", "Strikes on Caracas.")),
        # The numbers differ: another report.
        (("Daily Briefing Jan. 7: Day 824 of the war in Gaza", "x"),
         ("Daily Briefing Jan. 8: Day 825 of the war in Gaza", "x")),
    ],
)  # fmt: skip
def test_similar_headlines_that_are_different_stories(
    feed_server: FeedServer, tmp_path: Path, first: tuple[str, str], second: tuple[str, str]
) -> None:
    url = serve(
        feed_server,
        "/a.xml",
        [
            story("one", first[0], "2026-01-05T09:00", first[1]),
            story("two", second[0], "2026-01-05T10:00", second[1]),
        ],
        "Same Publisher",
    )
    assert len(feed_articles_after_fetch(feed_settings(tmp_path, [url]))) == 2


def test_article_keys_are_stable_when_more_copies_arrive(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    headline = "Iran protests spread to a dozen cities as currency collapses"
    a = serve(feed_server, "/a.xml", [story("a", headline, "2026-01-05T09:00")], "Alpha")
    first = feed_articles_after_fetch(feed_settings(tmp_path, [a]))
    b = serve(feed_server, "/b.xml", [story("b", headline, "2026-01-05T09:30")], "Bravo")
    second = feed_articles_after_fetch(feed_settings(tmp_path, [a, b]))
    assert {x.key for x in first} < {x.key for x in second}


def test_a_link_alone_never_credits_another_feed(feed_server: FeedServer, tmp_path: Path) -> None:
    original = story("real", "Israeli strikes kill 13 in Gaza", "2026-01-05T09:00")
    copycat = dict(story("fake", "Buy cheap watches today", "2026-01-05T09:30"),
                   link=original["link"])  # fmt: skip
    a = serve(feed_server, "/a.xml", [original], "Alpha")
    b = serve(feed_server, "/b.xml", [copycat], "Spam")
    found = feed_articles_after_fetch(feed_settings(tmp_path, [a, b]))
    assert sorted((x.publisher, x.also_published_by) for x in found) == [
        ("Alpha", ()),
        ("Spam", ()),
    ]


def test_items_of_feeds_no_longer_configured_are_left_out(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    a = serve(feed_server, "/a.xml", [story("a", "From A", "2026-01-05T09:00")], "A")
    b = serve(feed_server, "/b.xml", [story("b", "From B", "2026-01-05T09:00")], "B")
    fetch_all(feed_settings(tmp_path, [a, b]), progress=False)
    assert [x.title for x in feed_articles(feed_settings(tmp_path, [b]), EDITION)] == ["From B"]


def test_no_feeds_or_no_store_means_no_articles(tmp_path: Path) -> None:
    assert feed_articles(feed_settings(tmp_path, []), EDITION) == []
    assert feed_articles(feed_settings(tmp_path, ["http://127.0.0.1:9/x"]), EDITION) == []
    assert not (tmp_path / "state").exists()


def test_full_text_from_the_linked_page(feed_server: FeedServer, tmp_path: Path) -> None:
    body = "".join(
        f"<p>Paragraph {n} of the full report from Gaza, with enough words to count as "
        f"article text for the extractor to keep it in the body.</p>"
        for n in range(8)
    )
    page = (
        "<html><head><title>Report</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>Good page</h1>{body}</article><footer>Copyright</footer></body></html>"
    )
    feed_server.add("/page/good", page.encode(), content_type="text/html; charset=utf-8")
    items = [
        {**story("good", "Good page", "2026-01-05T09:00"),
         "link": feed_server.url("/page/good")},
        {**story("gone", "Missing page", "2026-01-05T09:00", "Summary kept."),
         "link": feed_server.url("/page/missing")},
    ]  # fmt: skip
    full = feed_server.add("/full.xml", rss(items, title="Full"))
    plain = feed_server.add("/plain.xml", rss([story("p", "Plain", "2026-01-05T09:00")]))
    settings = feed_settings(tmp_path, [{"url": full, "full_text": True}, plain])
    found = articles(settings)
    good = found["Good page"]
    assert good.paragraphs[0].startswith("Paragraph 0 of the full report")
    assert len(good.paragraphs) == 8
    assert not good.summary  # the page itself: it may tell several stories
    assert found["Missing page"].paragraphs == ("Summary kept.",)
    assert found["Plain"].paragraphs == ("What happened in p, told in one sentence.",)
    # Pages are fetched once, for new items only.
    fetch_all(settings, progress=False)
    assert feed_server.statuses("/page/good") == [200]
    assert feed_server.statuses("/page/missing") == [404]


def test_fetch_inside_a_running_event_loop(feed_server: FeedServer, tmp_path: Path) -> None:
    url = feed_server.add("/a.xml", (FIXTURES / "rss_2.0_bbc.xml").read_bytes())
    settings = feed_settings(tmp_path, [url])

    async def caller() -> str:
        return fetch_all(settings, progress=True).summary_line()

    assert asyncio.run(caller()).endswith("1 ok, 0 unchanged, 0 partial, 0 failed; 1 new item")


def test_a_feed_listed_twice_is_fetched_once(
    feed_server: FeedServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = feed_server.add("/a.xml", (FIXTURES / "heise.atom").read_bytes())
    with caplog.at_level(logging.INFO, logger="briefer.feeds"):
        report = fetch_all(feed_settings(tmp_path, [url, url]), progress=False)
    assert [(r.status, r.items_new) for r in report.results] == [("ok", 15)]
    assert f"feed {url}: listed twice; fetched once" in caplog.messages
    assert f"feed {url}: 15 items, 15 new" in caplog.text


def feed_articles_after_fetch(settings: Settings) -> list[Article]:
    fetch_all(settings, progress=False)
    return feed_articles(settings, EDITION)
