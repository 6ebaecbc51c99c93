"""What changed since the previous edition of the same stream.

An edition is compared only with the previous edition of its stream (see
:mod:`briefer.streams`); with none, it has no change section at all.
Marks are given to *stories* (the engine's story numbers): a story's
bottom-line line and its section bullet carry the same mark, its detail
lines none. A story *continues* a story of the previous edition when one
of its texts is the same sentence of the same source as a previous bullet,
the same text, or the same point in other words (:func:`briefer.summarize.words.same_point`), or
when both cite the same feed item's summary (an item that tells one story
only, so both are that story).

NEW
    a story none of whose sources the previous edition had read (cited or
    not), and that continues no story of the previous edition.
UPDATED
    a story that continues a story of the previous edition, now cited with a
    source the previous edition had not read.
no mark
    anything else: a point from sources the previous edition had read,
    whether or not it showed it. A budget change alone never marks anything.

A story of the previous edition that no story of this one continues is
listed as a short reference (its opening words and its source), never as
a full bullet: *no longer reported* when no source of this edition carries
it (none of its sources was read), else *not in this edition for space*
(its sources are still read, the memo had no room for it).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import replace

from .models import BOTTOM_LINE, Brief, Changes, Dropped, Item
from .state import EditionRecord, RememberedBullet
from .summarize.words import SamePoint, content_words, same_point
from .text import fold

NEW = "new"
UPDATED = "updated"
REFERENCE_WORDS = 6  # opening words of a dropped story's reference


def remembered_bullets(brief: Brief) -> tuple[RememberedBullet, ...]:
    """The brief's bullets as the state store keeps them for the next comparison."""
    keys = {s.number: s.article_key for s in brief.sources}
    labels = {s.article_key: s.publisher for s in brief.sources}
    single = {s.number for s in brief.sources if s.summary}
    return tuple(
        RememberedBullet(
            section=i.section,
            text=i.text,
            article_key=i.article_key,
            sentence_index=i.sentence_index,
            sources=i.sources,
            story=i.story,
            detail=i.detail,
            source_keys=tuple(keys[n] for n in i.sources if n in keys),
            source_label=labels.get(i.article_key),
            story_keys=tuple(keys[n] for n in i.sources if n in single and n in keys),
        )
        for i in brief.items
    )


def _story_of(story: int, position: int) -> Hashable:
    """A story's identity in its edition; items without a number stand alone."""
    return story if story >= 0 else ("item", position)


class _Previous:
    """The previous edition's bullets, grouped by story, ready to be matched."""

    def __init__(self, items: Sequence[RememberedBullet], rule: SamePoint) -> None:
        self.rule = rule
        self.items = items
        self.story = [_story_of(i.story, n) for n, i in enumerate(items)]
        self.by_ident = {(i.article_key, i.sentence_index): n for n, i in enumerate(items)}
        self.by_text = {fold(i.text): n for n, i in enumerate(items)}
        self.words = [content_words(i.text) for i in items]
        # A feed item's summary tells one story: a story citing it continues its story.
        self.by_source: dict[str, set[Hashable]] = {}
        for n, i in enumerate(items):
            for key in i.story_keys:
                self.by_source.setdefault(key, set()).add(self.story[n])

    def told(self, item: Item) -> set[Hashable]:
        """The previous stories whose points ``item`` tells."""
        n = self.by_ident.get((item.article_key, item.sentence_index))
        if n is None:
            n = self.by_text.get(fold(item.text))
        if n is not None:
            return {self.story[n]}
        words = content_words(item.text)
        same = [n for n, old in enumerate(self.words) if same_point(words, old, self.rule)]
        return {self.story[n] for n in same}

    def continued(self, sources: set[str]) -> set[Hashable]:
        """The previous stories that cited one of these one-story sources."""
        found: set[Hashable] = set()
        for key in sources:
            found |= self.by_source.get(key, set())
        return found


def compare(
    brief: Brief,
    previous: EditionRecord | None,
    rule: SamePoint,
    *,
    feeds_unchanged: bool = False,
) -> Brief:
    """The brief with its stories marked and a :class:`Changes` block; as is without previous.

    ``rule``: when two texts say the same point (``[stories]`` of the rules file).
    ``feeds_unchanged``: every feed answered "not modified" to this edition's
    fetch (the change line says so).
    """
    if previous is None:
        return brief
    before = _Previous(previous.items, rule)
    keys = {s.number: s.article_key for s in brief.sources}
    single = {s.article_key for s in brief.sources if s.summary}
    items = brief.items
    ids = [_story_of(item.story, -1 - n) for n, item in enumerate(items)]
    told: dict[Hashable, set[Hashable]] = {}
    sources: dict[Hashable, set[str]] = {}
    for story, item in zip(ids, items, strict=True):
        told.setdefault(story, set()).update(before.told(item))
        sources.setdefault(story, set()).update(keys[k] for k in item.sources if k in keys)
    for story, cited in sources.items():
        told[story] |= before.continued(cited & single)
    status: dict[Hashable, str] = {}
    for story, cited in sources.items():
        unread = {k for k in cited if k not in previous.articles}
        if told[story]:
            status[story] = UPDATED if unread else ""
        else:
            status[story] = NEW if cited and unread == cited else ""
    marked = iter(
        replace(item, status="" if item.detail else status[story])
        for story, item in zip(ids, items, strict=True)
    )
    bottom = tuple(next(marked) for _ in brief.bottom_line)
    sections = tuple(
        replace(section, items=tuple(next(marked) for _ in section.items))
        for section in brief.sections
    )
    # NEW stories by where their bullet is (a story only in the bottom line counts there).
    where: dict[Hashable, str] = {}
    for story, item in zip(ids, (*bottom, *(i for s in sections for i in s.items)), strict=True):
        if status[story] == NEW:
            where[story] = item.section
    titles = {s.key: s.title for s in sections}
    counts = {key: 0 for key in (BOTTOM_LINE, *titles)}
    for section in where.values():
        counts[section if section in counts else BOTTOM_LINE] += 1
    titles[BOTTOM_LINE] = brief.bottom_line_title
    gone = _dropped(before, set().union(*told.values()), brief.read)
    changes = Changes(
        previous_time=previous.edition_time,
        previous_stem=previous.stem,
        new=tuple((titles[k], n) for k, n in counts.items() if n),
        updated=sum(1 for s in status.values() if s == UPDATED),
        dropped=tuple(d for d, carried in gone if not carried),
        left_out=tuple(d for d, carried in gone if carried),
        feeds_unchanged=feeds_unchanged,
    )
    return replace(brief, bottom_line=bottom, sections=sections, changes=changes)


def _dropped(
    before: _Previous, told: set[Hashable], read: frozenset[str]
) -> list[tuple[Dropped, bool]]:
    """Previous stories no story of this edition tells, each once (its section bullet).

    Each with whether this edition still read one of its sources (``read``):
    then it was left out for space, not dropped from the news.
    """
    first: dict[Hashable, RememberedBullet] = {}
    keys: dict[Hashable, set[str]] = {}
    for n, item in enumerate(before.items):
        story = before.story[n]
        if story in told:
            continue
        keys.setdefault(story, set()).update((item.article_key, *item.source_keys))
        if item.detail:
            continue
        # The section bullet names the story better than its bottom-line line.
        if story not in first or first[story].section == BOTTOM_LINE:
            first[story] = item
    return [
        (Dropped(words=_opening(item.text), source=item.source_label), bool(keys[story] & read))
        for story, item in first.items()
    ]


def _opening(text: str) -> str:
    words = text.split()
    cut = words[:REFERENCE_WORDS]
    return " ".join(cut) + ("…" if len(words) > REFERENCE_WORDS else "")
