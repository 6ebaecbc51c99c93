"""A feed of 100,000 items is cut to what max_items needs before feedparser reads it."""

from __future__ import annotations

import io

import feedparser
import pytest

from briefer.sources import feedparse as feeds
from briefer.sources.feedparse import first_entries, parse_feed

from .feedserver import rfc822, rss


def many_items(count: int) -> bytes:
    return rss(
        {
            "title": f"Story {n} about the Gaza ceasefire",
            "link": f"https://news.example/{n}",
            "guid": f"https://news.example/{n}",
            "description": f"Mediators met on day {n}.",
            "pubDate": rfc822("2026-01-05T10:00"),
        }
        for n in range(count)
    )


def test_a_100000_item_feed_is_not_parsed_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    parse = feedparser.parse

    def spy(source: io.BytesIO, **kw: object) -> object:
        seen.append(source.getvalue().count(b"<item>"))
        source.seek(0)
        return parse(source, **kw)

    monkeypatch.setattr(feeds.feedparser, "parse", spy)
    parsed = parse_feed(many_items(100_000), url="https://news.example/feed", max_items=200)
    assert len(parsed.items) == 200 and parsed.problem is None
    assert [i.title for i in parsed.items[:2]] == [
        "Story 0 about the Gaza ceasefire",
        "Story 1 about the Gaza ceasefire",
    ]
    assert seen == [410]  # 2 * max_items + 10: room for repeated and empty items


def test_cut_documents_stay_well_formed() -> None:
    atom = (
        b'<?xml version="1.0"?><!-- <entry> in a comment -->'
        b'<atom:feed xmlns:atom="http://www.w3.org/2005/Atom"><atom:title>A</atom:title>'
        + b"".join(
            b"<atom:entry><atom:id>urn:%d</atom:id><atom:title>T %d</atom:title></atom:entry>"
            % (i, i)
            for i in range(50)
        )
        + b"</atom:feed>"
    )
    cut = first_entries(atom, 5)
    assert cut.endswith(b"</atom:feed>") and cut.count(b"<atom:entry>") == 5
    parsed = parse_feed(atom, url="https://news.example/a", max_items=2)
    assert [i.title for i in parsed.items] == ["T 0", "T 1"] and parsed.problem is None
    rdf = (
        b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        b' xmlns="http://purl.org/rss/1.0/"><channel><title>R</title></channel>'
        + b"".join(
            b'<item rdf:about="https://x.example/%d"><title>R %d</title>'
            b"<link>https://x.example/%d</link></item>" % (i, i, i)
            for i in range(30)
        )
        + b"</rdf:RDF>"
    )
    parsed = parse_feed(rdf, url="https://x.example/rdf", max_items=3)
    assert [i.title for i in parsed.items] == ["R 0", "R 1", "R 2"] and parsed.problem is None


def test_small_and_utf16_feeds_are_left_as_they_are() -> None:
    small = many_items(20)
    assert first_entries(small, 50) == small
    wide = small.decode().replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16")
    assert first_entries(wide, 3) == wide
