"""What changed since the previous edition.

A bullet is *unchanged* if the previous edition had the same sentence of
the same source (or the same text), *updated* if it makes the same point
as a previous bullet in other words (typically a newer source reporting
the same fact), and *new* if its source is one the previous edition had
not read. A bullet from an article the previous edition had read but
did not use is not news, so it carries no mark. Previous bullets matched
by nothing *dropped out*.
"""

from __future__ import annotations

from dataclasses import replace

from .models import Brief, Changes, Item
from .state import EditionRecord
from .summarize.words import content_words, overlap

# Same thresholds as "says the same thing" in selection.
SAME_POINT_JACCARD = 0.45
SAME_POINT_CONTAINMENT = 0.7


def _same_point(a: frozenset[str], b: frozenset[str]) -> bool:
    jaccard, containment = overlap(a, b)
    return jaccard >= SAME_POINT_JACCARD or containment >= SAME_POINT_CONTAINMENT


def _norm(text: str) -> str:
    return " ".join(text.split())


def compare(brief: Brief, previous: EditionRecord | None) -> Brief:
    """The brief with item statuses and a Changes block; unchanged if no previous."""
    if previous is None:
        return brief
    by_ident = {(i.article_key, i.sentence_index): n for n, i in enumerate(previous.items)}
    by_text = {_norm(i.text): n for n, i in enumerate(previous.items)}
    old_words = [content_words(i.text) for i in previous.items]
    matched: set[int] = set()

    def status(item: Item) -> str:
        n = by_ident.get((item.article_key, item.sentence_index), by_text.get(_norm(item.text)))
        if n is not None:
            matched.add(n)
            return ""
        words = content_words(item.text)
        for n, old in enumerate(old_words):
            if _same_point(words, old):
                matched.add(n)
                return "updated"
        return "" if item.article_key in previous.articles else "new"

    bottom = tuple(replace(i, status=status(i)) for i in brief.bottom_line)
    sections = tuple(
        replace(s, items=tuple(replace(i, status=status(i)) for i in s.items))
        for s in brief.sections
    )
    everything = bottom + tuple(i for s in sections for i in s.items)
    dropped = tuple(old.text for n, old in enumerate(previous.items) if n not in matched)
    changes = Changes(
        previous_time=previous.edition_time,
        new=tuple(i for i in everything if i.status == "new"),
        updated=tuple(i for i in everything if i.status == "updated"),
        dropped=dropped,
    )
    return replace(brief, bottom_line=bottom, sections=sections, changes=changes)
