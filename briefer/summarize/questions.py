"""Open questions: what is unresolved in this edition's news, each entry cited and current.

Three sorts of entry, found by ``[questions]`` and the cues of its section
in the rules file:

1. **Stated uncertainty and decisions pending**: a text of an on-topic item
   that reaches the section's ``min_score`` (what is unclear, unconfirmed,
   not decided, left unsaid; what is expected, awaited or needs someone's
   approval). The entry is the whole sentence or headline when it stands
   alone and is at most ``max_words`` long, else the clause that holds the
   cue, verbatim, when it has at least ``min_words``.
2. **Conflicting figures**: when the sources of one story give different
   values for one figure (``[[questions.figure]]``: a death toll, arrests),
   one entry gives each value in its source's words, each cited. The label
   ("Death toll") is the only word added.
3. Each entry belongs to a story (the one its item tells) and weighs what
   that story weighs; an entry whose source is older than the memo's stale
   threshold is left out (a question from last July is not open this
   morning), unless it is the only thing asked of a story still in the news
   (its newest source within the threshold of the edition's newest), and it
   then shows its date.

At most ``max_per_story`` entries per story (the second only when it says
something else), heaviest first. The fill leaves out any entry that says
what a printed bullet says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from ..models import Origin
from ..rules import Rules
from .candidates import Asked, Candidate, trim_leading, unresolved_start
from .figures import comparable, value_of
from .rank import Ranked
from .words import content_words, new_share, same_point

# Where a clause ends inside a sentence or headline: a semicolon, a colon, a
# dash set off by spaces, or a comma before a contrasting conjunction.
_CLAUSE = re.compile(r";\s|:\s|\s[—–-]\s|,\s(?=(?:but|while|although|though|yet)\s)")
_OPENERS = "\"'“‘("


@dataclass(frozen=True, slots=True)
class Question:
    """One entry of Open questions."""

    text: str  # the words shown: a source's own, or a figure's label
    sources: tuple[Origin, ...]  # cited, the worded one first
    index: int  # the text's sentence number in its first source (HEADLINE for a headline)
    story: int  # the number of the story it belongs to (-1: none)
    weight: float  # that story's weight
    why: str  # what made it a question (for ``briefer explain``)
    figures: tuple[tuple[str, Origin], ...] = ()  # conflicting figures, each with its source
    dated: date | None = None  # shown: its source is old, but its story is in the news
    bullet: bool = False  # it is, word for word, its story's section bullet
    asks: frozenset[str] = frozenset()  # content words from its cue on: what it asks about
    cut: bool = False  # its words are a clause cut from inside a longer sentence or headline


def questions(
    stories: Sequence[Ranked],
    asked: Sequence[Asked],
    rules: Rules,
    edition_day: date,
    stale_days: int,
    newest: date | None,
) -> tuple[Question, ...]:
    """Every candidate entry, heaviest story first (the fill chooses among them)."""
    k = rules.questions_section
    if k is None:
        return ()
    section = rules.sections[k]
    config = rules.questions
    story_of = _stories_of_items(stories, k)
    found: list[Question] = []
    for text in asked:
        unresolved = text.score >= section.rule.min_score
        cue = section.first_cue(text.text) if unresolved else text.pending
        entry = _standalone(text.text, cue, config.min_words, config.max_words)
        if entry is None:
            continue
        shown, cut = entry
        # As a bullet: without a leading connective, never opening on an unresolved "He".
        shown = trim_leading(shown, rules)
        if unresolved_start(shown, rules) is not None:
            continue
        number = story_of.get((text.origin.number, text.index), story_of.get(text.origin.number))
        weight = stories[number].weight if number is not None else 0.0
        word = text.text[cue:].split()[0].strip(",.;:'\"") if cue is not None else ""
        if unresolved:
            why = f"states something unresolved ('{word}', score {text.score:g})"
        else:
            why = f"a decision or event pending ('{word}')"
        bullet = number is not None and _is_bullet(stories[number].bullet, text, shown)
        # Its story's own bullet is cited as the story is, by every source telling it.
        sources = stories[number].sources if bullet and number is not None else (text.origin,)
        # What it asks about: the words after its cue ("expected to" -> "head the board").
        asks = content_words(text.text[cue:]) - content_words(word) if word else frozenset()
        found.append(Question(shown, sources, text.index, -1 if number is None else number,
                              weight, why, bullet=bullet, asks=asks, cut=cut))  # fmt: skip
    found.extend(_figures(stories, rules))
    current = _current(found, stories, edition_day, stale_days, newest)
    # Within a story, its bullet's own words come first: told there, they are its entry.
    order = sorted(current, key=lambda q: (-q.weight, q.story, not q.bullet, q.sources[0].number))
    return _per_story(order, config.max_per_story, rules)


def _is_bullet(bullet: Candidate, text: Asked, shown: str) -> bool:
    """Whether an entry is, word for word, its story's section bullet."""
    return (bullet.origin.number, bullet.index) == (text.origin.number, text.index) and (
        " ".join(bullet.text.split()) == shown
    )


def _stories_of_items(stories: Sequence[Ranked], skip: int) -> dict:
    """Story numbers by (item, sentence) and by item: the story an item's text belongs to.

    A text that is one of a story's candidates belongs to it; any other text
    of an item belongs to the heaviest topical story the item tells.
    """
    by_text: dict[tuple[int, int], int] = {}
    by_item: dict[int, int] = {}
    for story in sorted(stories, key=lambda s: -s.weight):
        if not story.leads:
            continue
        for candidate in story.story.candidates:
            by_text.setdefault((candidate.origin.number, candidate.index), story.number)
            if story.section != skip:
                by_item.setdefault(candidate.origin.number, story.number)
    for story in stories:  # an item whose only story is a question gets that one
        for candidate in story.story.candidates:
            by_item.setdefault(candidate.origin.number, story.number)
    return {**by_text, **by_item}


def _standalone(text: str, cue: int | None, least: int, most: int) -> tuple[str, bool] | None:
    """The words of ``text`` that stand alone as an entry: all of it, or its cue's clause.

    The second value says whether the words are a clause cut from inside it.
    """
    text = " ".join(text.split())
    words = len(text.split())
    starts_well = text.lstrip(_OPENERS)[:1].isupper()
    if least <= words <= most and starts_well and not text.endswith("?"):
        return text.rstrip(" ;,:"), False  # a digest's separator is not part of the entry
    if cue is None:
        return None
    start = 0
    end = len(text)
    for boundary in _CLAUSE.finditer(text):
        if boundary.end() <= cue:
            start = boundary.end()
        elif boundary.start() >= cue:
            end = boundary.start()
            break
    clause = text[start:end].strip().rstrip(",;:")
    if not least <= len(clause.split()) <= most or clause.endswith("?"):
        return None
    if clause.count('"') % 2 or clause.count("“") != clause.count("”"):
        return None
    return clause, start > 0


def _figures(stories: Sequence[Ranked], rules: Rules) -> Iterable[Question]:
    """One entry per story and figure whose sources give different values."""
    for story in stories:
        if not story.leads:
            continue
        # Only the items that tell what its bullet tells: the same event's figures.
        telling = {o.number for o in story.sources}
        texts: dict[int, list[tuple[str, Origin]]] = {}
        for candidate in story.story.candidates:
            if candidate.origin.number in telling:
                texts.setdefault(candidate.origin.number, []).append(
                    (candidate.text, candidate.origin)
                )
        labels: dict[str, list] = {}
        for label, pattern in rules.figures:  # one label may have several patterns
            labels.setdefault(label, []).append(pattern)
        for label, patterns in labels.items():
            values: dict[object, tuple[str, Origin]] = {}
            publishers: dict[object, str] = {}
            for told in texts.values():
                for text, origin in told:
                    match = next((m for p in patterns if (m := p.search(text))), None)
                    if match is None:
                        continue
                    value = value_of(match)
                    if value not in values:
                        values[value] = (match.group("figure").strip(), origin)
                        publishers[value] = origin.publisher
            near = _near(values, publishers, story.sources[0].number, rules.questions.max_ratio)
            if near is None:
                continue
            figures = tuple(sorted(near.values(), key=lambda f: f[1].number))
            yield Question(
                label,
                tuple(dict.fromkeys(o for _, o in figures)),
                figures[0][1].number,
                story.number,
                story.weight,
                f"sources of story {story.number} give {len(near)} values for '{label}'",
                figures,
            )


def _near(
    values: Mapping[object, tuple[str, Origin]],
    publishers: Mapping[object, str],
    bullet: int,
    ratio: float,
) -> dict[object, tuple[str, Origin]] | None:
    """Figures of one thing told differently by two sources or more, or None.

    Figures far apart count different things (one strike's toll, the toll
    since the ceasefire): they are compared around one precise figure, the
    bullet's first, then each other one, until one has a figure of another
    source near it.
    """
    precise = sorted(
        (v for v in values if isinstance(v, int) and v > 0),
        key=lambda v: values[v][1].number != bullet,
    )
    for anchor in precise or list(values)[:1]:
        near = {v: f for v, f in values.items() if comparable(v, anchor, ratio)}
        if len(near) > 1 and len({publishers[v] for v in near}) > 1:
            return near
    return None


def _current(
    found: Sequence[Question],
    stories: Sequence[Ranked],
    day: date,
    stale_days: int,
    newest: date | None,
) -> list[Question]:
    """Current entries; an old one only as the only entry of a story still in the news."""
    asked_of: set[int] = set()
    kept = []
    old = []
    for question in found:
        dated = max((o.published for o in question.sources if o.published), default=None)
        if dated is None or (day - dated).days <= stale_days:
            kept.append(question)
            asked_of.add(question.story)
        else:
            old.append((question, dated))
    for question, dated in old:
        if question.story < 0 or question.story in asked_of:
            continue
        story = stories[question.story]
        in_news = story.published is not None and newest is not None and (
            (newest - story.published).days <= stale_days
        )
        if story.leads and in_news:
            kept.append(replace(question, dated=dated))
            asked_of.add(question.story)
    return kept


def _per_story(found: Sequence[Question], most: int, rules: Rules) -> tuple[Question, ...]:
    """At most ``most`` entries per story, each asking something the ones before do not.

    A second entry of a story that says the same (``same_point``), whose
    content words are mostly the first's (less than ``novelty`` of them new),
    or that asks about mostly the same (the words from its cue on: "expected
    to serve on the Board of Peace", "expected to head the Board of Peace"),
    is left out.
    """
    kept: list[Question] = []
    words: dict[int, list[frozenset[str]]] = {}
    asked: dict[int, list[frozenset[str]]] = {}
    seen_text: set[str] = set()
    for question in found:
        folded = " ".join(question.text.casefold().split())
        if folded in seen_text and not question.figures:
            continue
        mine = words.setdefault(question.story, [])
        if question.story >= 0 and len(mine) >= most:
            continue
        said = content_words(question.text)
        if not question.figures and any(same_point(said, w, rules.stories) for w in mine):
            continue
        # A story's second entry asks something else: mostly words the first does not hold.
        novel = new_share(said, mine) >= rules.questions.novelty
        before = asked.setdefault(question.story, [])
        if question.asks and before:
            novel = novel and new_share(question.asks, before) >= rules.questions.novelty
        if question.story >= 0 and not question.figures and mine and not novel:
            continue
        if question.asks:
            before.append(question.asks)
        mine.append(said)
        seen_text.add(folded)
        kept.append(question)
    return tuple(kept)
