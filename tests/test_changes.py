"""What changed since the previous edition of the same stream: marks, counts, dropped stories."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from briefer.changes import NEW, UPDATED, compare, remembered_bullets
from briefer.models import Brief, Item, Section, Source
from briefer.render.common import changes_line
from briefer.rules import load_rules
from briefer.state import EditionRecord

from .helpers import ROOT

RULES = load_rules(ROOT / "config" / "rules.toml")

WHEN = datetime(2026, 1, 5, 7, 0, tzinfo=UTC)
BEFORE = datetime(2026, 1, 4, 7, 0, tzinfo=UTC)

SAME = "Hamas freed 18 hostages in exchange for 600 prisoners under the truce."
REWORDED = "Under the truce, Hamas has freed 18 hostages in exchange for some 600 prisoners."
OTHER = "Israel sent a delegation to Doha for talks on the second phase of the truce."
FRESH = "Qatar said talks on Gaza would resume next week in Cairo with Egyptian mediators."


def item(text: str, *keys: str, index: int = 0, story: int = -1, **kw) -> Item:
    """A bullet worded by ``keys[0]`` and cited with every key (numbered by ``brief``)."""
    return Item(
        text=text,
        section=kw.pop("section", "gaza"),
        article_key=keys[0],
        sentence_index=index,
        sources=tuple(keys),  # type: ignore[arg-type]  # keys until brief() numbers them
        published=None,
        score=1.0,
        story=story,
        **kw,
    )


def brief(
    *items: Item,
    bottom: tuple[Item, ...] = (),
    iran: tuple[Item, ...] = (),
    summaries: tuple[str, ...] = (),
) -> Brief:
    """A brief whose sources are numbered by first citation, as the build numbers them.

    ``summaries``: the keys of sources that are feed items' summaries (one story each).
    """
    numbers: dict[str, int] = {}
    for i in (*bottom, *items, *iran):
        for key in i.sources:
            numbers.setdefault(str(key), len(numbers) + 1)

    def numbered(i: Item) -> Item:
        return replace(i, sources=tuple(numbers[str(k)] for k in i.sources))

    return Brief(
        title="t",
        edition_time=WHEN,
        bottom_line=tuple(numbered(i) for i in bottom),
        sections=(
            Section(key="gaza", title="Gaza", items=tuple(numbered(i) for i in items)),
            Section(key="iran", title="Iran", items=tuple(numbered(i) for i in iran)),
        ),
        sources=tuple(
            Source(n, k, title=k, publisher=f"{k.upper()} News", published=None, url=None,
                   summary=k in summaries)
            for k, n in numbers.items()
        ),
        articles=len(numbers),
        sentences=1,
        newest=None,
        oldest=None,
        read=frozenset(numbers),
    )


def previous(edition: Brief, read: tuple[str, ...] | None = None) -> EditionRecord:
    """The record the state store keeps of ``edition`` (it read ``read``, default its sources)."""
    return EditionRecord(
        stem="briefing-2026-01-04-0700",
        edition_time=BEFORE,
        written_at=BEFORE,
        docx=Path("x.docx"),
        markdown=Path("x.md"),
        items=remembered_bullets(edition),
        articles=frozenset(read if read is not None else edition.read),
    )


def marks(edition: Brief) -> list[str]:
    return [i.status for i in edition.items]


def test_first_edition_of_a_stream_has_no_change_section() -> None:
    b = brief(item(SAME, "a"))
    assert compare(b, None, RULES.stories) is b
    assert changes_line(b) is None


def test_same_point_from_the_same_source_carries_no_mark() -> None:
    old = previous(brief(item(SAME, "a")))
    now = compare(brief(item(SAME, "a")), old, RULES.stories)
    assert marks(now) == [""]
    assert now.changes is not None and now.changes.unchanged
    assert changes_line(now) == "Nothing new since Sun\xa04\xa0Jan\xa007:00."


def test_new_source_telling_a_new_story_is_new() -> None:
    old = previous(brief(item(SAME, "a")))
    now = compare(brief(item(SAME, "a"), item(FRESH, "b", story=2)), old, RULES.stories)
    assert marks(now) == ["", NEW]
    assert now.changes is not None and now.changes.new == (("Gaza", 1),)
    assert changes_line(now) == "Since Sun\xa04\xa0Jan\xa007:00: 1 new story (Gaza 1)."


def test_reworded_point_from_a_new_source_is_updated() -> None:
    old = previous(brief(item(SAME, "a")))
    now = compare(brief(item(REWORDED, "b", "a")), old, RULES.stories)
    assert marks(now) == [UPDATED]
    assert now.changes is not None and now.changes.updated == 1 and not now.changes.new
    assert now.changes.dropped == ()  # the point is still told


def test_reworded_point_from_sources_already_read_carries_no_mark() -> None:
    # The previous edition read b but did not show it: a budget or rules change, no news.
    old = previous(brief(item(SAME, "a")), read=("a", "b"))
    now = compare(brief(item(REWORDED, "b")), old, RULES.stories)
    assert marks(now) == [""]
    assert now.changes is not None and now.changes.unchanged


def test_a_story_from_an_article_already_read_is_not_new() -> None:
    # A budget change alone: a story the previous edition read but had no room for.
    old = previous(brief(item(SAME, "a")), read=("a", "b"))
    now = compare(brief(item(SAME, "a"), item(OTHER, "b", story=2)), old, RULES.stories)
    assert marks(now) == ["", ""]
    assert now.changes is not None and now.changes.new == ()


def test_a_story_with_one_source_already_read_is_not_new() -> None:
    old = previous(brief(item(SAME, "a")), read=("a", "b"))
    now = compare(brief(item(FRESH, "c", "b", story=3)), old, RULES.stories)
    assert marks(now) == [""]


def test_dropped_story_is_a_short_reference_naming_its_source() -> None:
    old = previous(brief(item(SAME, "a", story=0), item(OTHER, "b", index=3, story=1)))
    now = compare(brief(item(SAME, "a")), old, RULES.stories)
    assert now.changes is not None
    (dropped,) = now.changes.dropped
    assert dropped.words == "Israel sent a delegation to Doha…"
    assert dropped.source == "B News"
    assert changes_line(now) == (
        "Since Sun\xa04\xa0Jan\xa007:00: nothing new; no longer reported: "
        "“Israel sent a delegation to Doha…” (B News)."
    )


def test_a_story_is_marked_once_in_the_bottom_line_and_its_section_and_counted_once() -> None:
    line = item("Qatar: Gaza talks resume next week in Cairo", "b", index=-1, story=5,
                section="bottom_line")  # fmt: skip
    bullet = item(FRESH, "b", story=5)
    detail = item("Egyptian mediators will host both delegations.", "b", index=4, story=5,
                  detail=True)  # fmt: skip
    iran = item("Iran's rial fell to a record low.", "c", story=6, section="iran")
    old = previous(brief(item(SAME, "a", story=0)))
    now = compare(brief(item(SAME, "a", story=0), bullet, detail, bottom=(line,), iran=(iran,)),
                  old, RULES.stories)  # fmt: skip
    assert marks(now) == [NEW, "", NEW, "", NEW]  # line, SAME, bullet, detail, iran
    assert now.changes is not None and now.changes.new == (("Gaza", 1), ("Iran", 1))
    assert changes_line(now) == "Since Sun\xa04\xa0Jan\xa007:00: 2 new stories (Gaza 1, Iran 1)."


def test_dropped_references_are_few_and_the_rest_counted() -> None:
    texts = [f"Point number {n} about the Gaza truce talks in Cairo and Doha." for n in range(5)]
    old = previous(brief(*(item(t, f"k{n}", story=n) for n, t in enumerate(texts))))
    now = compare(brief(item(FRESH, "z", story=9)), old, RULES.stories)
    line = changes_line(now)
    assert line is not None
    assert line.startswith("Since Sun\xa04\xa0Jan\xa007:00: 1 new story (Gaza 1); no longer ")
    assert line.endswith("(K2 News) and 2 more.")


def test_a_story_continued_by_new_feed_items_in_other_words_is_updated_not_dropped() -> None:
    # Day one: a story told by feed item f1. Day two: f1 and the new f2 tell it,
    # the bullet now in f2's words, which share too few words with day one's.
    recognised = "Israel's recognition of Somaliland pulls the Horn of Africa into new rivalries."
    condemned = "Somalia condemns Israel's visit to Somaliland"
    old = previous(brief(item(recognised, "f1", story=0), summaries=("f1",)))
    now = compare(
        brief(item(condemned, "f2", "f1", story=3), summaries=("f1", "f2")), old, RULES.stories
    )
    assert marks(now) == [UPDATED]
    assert now.changes is not None and now.changes.dropped == ()
    # A long article tells many stories: sharing one says nothing, the words decide.
    old = previous(brief(item(recognised, "long", story=0)))
    now = compare(
        brief(item(condemned, "f2", "long", story=3), summaries=("f2",)), old, RULES.stories
    )
    assert marks(now) == [""]
    # Not continued; its source is still read, so it was left out for space.
    assert now.changes is not None and len(now.changes.left_out) == 1


def test_a_story_whose_sources_are_still_read_was_left_out_for_space() -> None:
    old = previous(brief(item(SAME, "a", story=0), item(OTHER, "b", index=3, story=1),
                         item(FRESH, "c", "d", story=2)))  # fmt: skip
    # This edition still reads b (and d, a source of the third story) but has no room for them.
    now = compare(replace(brief(item(SAME, "a")), read=frozenset("abd")), old, RULES.stories)
    assert now.changes is not None
    assert now.changes.dropped == ()
    assert [d.words for d in now.changes.left_out] == [
        "Israel sent a delegation to Doha…",
        "Qatar said talks on Gaza would…",
    ]
    assert not now.changes.unchanged
    assert changes_line(now) == (
        "Since Sun\xa04\xa0Jan\xa007:00: nothing new; not in this edition for space: "
        "“Israel sent a delegation to Doha…” (B News), “Qatar said talks on Gaza would…” (C News)."
    )


def test_only_stories_no_source_still_carries_are_no_longer_reported() -> None:
    old = previous(brief(item(SAME, "a", story=0), item(OTHER, "b", index=3, story=1),
                         item(FRESH, "c", story=2)))  # fmt: skip
    now = compare(replace(brief(item(SAME, "a")), read=frozenset("ac")), old, RULES.stories)
    assert now.changes is not None
    assert [d.words for d in now.changes.dropped] == ["Israel sent a delegation to Doha…"]
    assert [d.words for d in now.changes.left_out] == ["Qatar said talks on Gaza would…"]
    assert changes_line(now) == (
        "Since Sun\xa04\xa0Jan\xa007:00: nothing new; no longer reported: "
        "“Israel sent a delegation to Doha…” (B News); not in this edition for space: "
        "“Qatar said talks on Gaza would…” (C News)."
    )


def test_the_change_line_says_when_no_feed_has_changed() -> None:
    old = previous(brief(item(SAME, "a", story=0), item(OTHER, "b", index=3, story=1)))
    same = compare(brief(item(SAME, "a"), item(OTHER, "b", index=3, story=1)), old, RULES.stories,
                   feeds_unchanged=True)  # fmt: skip
    assert changes_line(same) == (
        "No feed has changed since the last fetch; nothing new since Sun\xa04\xa0Jan\xa007:00."
    )
    # The window moved on: a story went, though no feed changed.
    fewer = compare(brief(item(SAME, "a")), old, RULES.stories, feeds_unchanged=True)
    assert changes_line(fewer) == (
        "No feed has changed since the last fetch; since Sun\xa04\xa0Jan\xa007:00: nothing new; "
        "no longer reported: “Israel sent a delegation to Doha…” (B News)."
    )
    assert changes_line(compare(brief(item(SAME, "a")), old, RULES.stories)) == (
        "Since Sun\xa04\xa0Jan\xa007:00: nothing new; no longer reported: "
        "“Israel sent a delegation to Doha…” (B News)."
    )
