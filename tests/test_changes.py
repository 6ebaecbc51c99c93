"""What changed since the previous edition."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from briefer.changes import compare
from briefer.models import Brief, Item, Section
from briefer.state import EditionRecord, StoredItem

WHEN = datetime(2026, 1, 5, 7, 0, tzinfo=UTC)


def item(text: str, key: str = "a", index: int = 0) -> Item:
    return Item(
        text=text,
        section="gaza",
        article_key=key,
        sentence_index=index,
        sources=(1,),
        published=None,
        score=1.0,
    )


def brief(*items: Item) -> Brief:
    return Brief(
        title="t",
        edition_time=WHEN,
        bottom_line=(),
        sections=(Section(key="gaza", title="Gaza", items=items),),
        sources=(),
        articles=1,
        sentences=1,
        newest=None,
        oldest=None,
    )


def previous(*items: Item, read: tuple[str, ...] = ("a",)) -> EditionRecord:
    return EditionRecord(
        stem="briefing-old",
        edition_time=datetime(2026, 1, 4, 7, 0, tzinfo=UTC),
        written_at=datetime(2026, 1, 4, 7, 0, tzinfo=UTC),
        docx=Path("x.docx"),
        markdown=Path("x.md"),
        items=tuple(
            StoredItem(
                section=i.section,
                text=i.text,
                article_key=i.article_key,
                sentence_index=i.sentence_index,
            )
            for i in items
        ),
        articles=frozenset(read),
    )


SAME = "Hamas freed 18 hostages in exchange for 600 prisoners under the truce."
REWORDED = "Under the truce, Hamas has freed 18 hostages in exchange for some 600 prisoners."
OTHER = "Israel sent a delegation to Doha for talks on the second phase."


def test_first_edition_has_no_changes() -> None:
    b = brief(item(SAME))
    assert compare(b, None) is b


def test_unchanged_updated_new_and_dropped() -> None:
    old = previous(item(SAME), item(OTHER, index=3), read=("a",))
    now = brief(
        item(SAME),  # same sentence of the same source
        item(REWORDED, key="b"),  # same point, newer source
        item("Qatar said talks on Gaza would resume next week in Cairo.", key="c"),
    )
    result = compare(now, old)
    assert [i.status for i in result.sections[0].items] == ["", "updated", "new"]
    assert result.changes is not None
    assert [i.text for i in result.changes.new] == [
        "Qatar said talks on Gaza would resume next week in Cairo."
    ]
    assert [i.text for i in result.changes.updated] == [REWORDED]
    assert result.changes.dropped == (OTHER,)
    assert result.changes.previous_time == datetime(2026, 1, 4, 7, 0, tzinfo=UTC)


def test_bullet_from_an_article_already_read_is_not_news() -> None:
    old = previous(item(SAME), read=("a", "b"))
    result = compare(brief(item(SAME), item(OTHER, key="b")), old)
    assert [i.status for i in result.sections[0].items] == ["", ""]
    assert result.changes is not None and result.changes.new == ()
