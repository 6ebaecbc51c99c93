"""Route, step one: what an item as a whole is about.

An item (an article file or a feed item) feeds a section only when it is
on that section's topic as a whole, not because one sentence mentions it
in passing (``[topics]`` in the rules file):

- its headline reaches the section's ``min_score`` and its body (if any)
  has a cue for the section too, or the headline alone reaches
  ``headline_factor`` times ``min_score``; or
- its cue weight (the headline counted ``headline_weight`` times, plus
  every paragraph) reaches ``item_factor`` times ``min_score``, with cues
  in at least ``item_share`` of its paragraphs.

A section's subject (``require_any``) named in the headline or the opening
paragraphs counts for the whole item; elsewhere a paragraph must name it
itself. A *sink* section (news that shares cue words with a shown section:
the West Bank, a ceasefire elsewhere, a central bank) takes an item away
from a shown section when the headline leads with the sink's topic
(scores it higher, or on a tie names it first), or, with a headline that
names neither, when its weight equals or beats the section's. In an item
on another topic,
a paragraph scoring ``point_factor`` times a section's ``min_score`` is
still a point for that section: a stated point, not a passing mention.
A long article's thread ends ``thread_paragraphs`` paragraphs after the last
paragraph that reached a section's ``min_score``: past it, a sentence naming
no topic is about the article's other news, not the memo's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..rules import CueScanner, Rules
from ..rules.patterns import lowered
from .clean import Prepared


@dataclass(frozen=True, slots=True)
class ItemTopics:
    """What one item is about, section by section (indices into ``rules.sections``)."""

    main: tuple[int, ...]  # shown topic sections the item is about, heaviest first
    mass: tuple[float, ...]  # the item's cue weight per section
    headline: tuple[float, ...]  # the headline's score per section
    paragraphs: tuple[tuple[float, ...], ...]  # each paragraph's score per section
    points: tuple[tuple[int, ...], ...]  # per paragraph: other sections it is a point for
    met: tuple[bool, ...]  # per section: its subject is named in the headline or opening
    sink: int | None = None  # the sink section that took the item away, if any
    long: bool = False  # a long article (not a feed summary): it moves from topic to topic
    # per paragraph of a long article: whether it is still on one of the item's topics
    on_thread: tuple[bool, ...] = ()

    @property
    def on_topic(self) -> bool:
        return bool(self.main) or any(self.points)

    def allowed(self, paragraph: int | None) -> tuple[int, ...]:
        """Topic sections a sentence of ``paragraph`` (None: the headline) may go to."""
        return _allowed(self.main, self.points[paragraph] if paragraph is not None else ())


def _allowed(main: Sequence[int], extra: Sequence[int]) -> tuple[int, ...]:
    return (*main, *(k for k in extra if k not in main))


def item_topics(prepared: Prepared, rules: Rules, scanner: CueScanner) -> ItemTopics:
    """Judge one item's topics (see the module docstring)."""
    topics = rules.topics
    sections = rules.sections
    n = len(sections)
    first = prepared.paragraphs[: topics.subject_paragraphs]
    opening = [t for t in (prepared.headline, *first) if t]
    lows = [lowered(t) for t in opening]  # once per text, not once per section
    met = tuple(
        any(s.names_subject(text, low) for text, low in zip(opening, lows, strict=True))
        if s.require
        else False
        for s in sections
    )
    paragraphs = scanner.scores(prepared.paragraphs, met) if prepared.paragraphs else []
    headline = (0.0,) * n
    for part in prepared.headlines:  # a digest headline: the best of its parts
        scores = rules.text_scores(part, met)
        headline = tuple(max(a, b) for a, b in zip(headline, scores, strict=True))
    mass = tuple(
        topics.headline_weight * headline[k] + sum(row[k] for row in paragraphs) for k in range(n)
    )
    count = max(len(paragraphs), 1)

    def qualifies(k: int) -> bool:
        low = sections[k].rule.min_score
        share = sum(1 for row in paragraphs if row[k] > 0) / count
        if headline[k] >= low and (
            share > 0 or not paragraphs or headline[k] >= topics.headline_factor * low
        ):
            return True  # the headline says it, and the body does not change the subject
        return mass[k] >= topics.item_factor * low and share >= topics.item_share

    topical = rules.topical
    # A sink needs no share of the paragraphs: any weight of its own may outweigh a topic.
    sinks = [k for k, s in enumerate(sections) if s.rule.sink and mass[k] >= s.rule.min_score]
    main = sorted((k for k in topical if qualifies(k)), key=lambda k: (-mass[k], k))
    sink = None
    if sinks:
        strongest = max(sinks, key=lambda k: (mass[k], -k))
        beaten = [k for k in main if _outweighs(strongest, k, headline, mass, prepared, rules)]
        if beaten:
            sink = strongest
            main = [k for k in main if k not in beaten]
    # A feed summary or a short text tells one story; a long article moves from
    # topic to topic.
    long = not prepared.article.summary and len(paragraphs) > topics.single_story_sentences
    factor = topics.article_point_factor if long else topics.point_factor
    points = tuple(
        _points(row, main, topical, _sink_scores(row, rules), factor, rules)
        for row in paragraphs
    )
    on_thread = _on_thread(paragraphs, main, points, rules) if long else ()
    return ItemTopics(
        main=tuple(main),
        mass=mass,
        headline=headline,
        paragraphs=tuple(paragraphs),
        points=points,
        met=met,
        sink=sink,
        long=long,
        on_thread=on_thread,
    )


def _on_thread(
    paragraphs: Sequence[tuple[float, ...]],
    main: Sequence[int],
    points: Sequence[tuple[int, ...]],
    rules: Rules,
) -> tuple[bool, ...]:
    """Per paragraph of a long article, whether it is still on the item's topics.

    A paragraph reaching the ``min_score`` of a section its sentences may
    go to is; so are the opening ``subject_paragraphs`` of an item with a
    main topic; any other paragraph is while at most ``thread_paragraphs``
    paragraphs have passed since the last one that was.
    """
    topics = rules.topics
    gone = topics.thread_paragraphs + 1
    since = 0 if main else gone
    found = []
    for p, row in enumerate(paragraphs):
        if any(row[k] >= rules.sections[k].rule.min_score for k in _allowed(main, points[p])):
            since = 0
        elif p >= topics.subject_paragraphs:
            since = min(since + 1, gone)
        found.append(since < gone)
    return tuple(found)


def _outweighs(
    sink: int,
    topic: int,
    headline: tuple[float, ...],
    mass: tuple[float, ...],
    prepared: Prepared,
    rules: Rules,
) -> bool:
    """Whether a sink takes an item from a topic: the headline leads with the sink.

    A headline that names the topic's subject before any cue of the sink
    keeps the item on the topic ("NGO ban in Gaza, West Bank" stays Gaza
    news); otherwise the headline's higher score decides, or on a tie the
    cue that comes first; a headline with neither leaves it to the item's
    weight.
    """
    sections = rules.sections
    if headline[sink] > 0 and headline[topic] > 0:
        first_sink = sections[sink].first_cue(prepared.headline)
        subject = sections[topic].first_subject(prepared.headline)
        if first_sink is not None and subject is not None and subject < first_sink:
            return False
    if headline[sink] != headline[topic]:
        return headline[sink] > headline[topic]
    if headline[sink] > 0:
        first_sink = sections[sink].first_cue(prepared.headline)
        first_topic = sections[topic].first_cue(prepared.headline)
        if first_sink is not None and first_topic is not None and first_sink != first_topic:
            return first_sink < first_topic
    return mass[sink] >= mass[topic]


def _sink_scores(row: tuple[float, ...], rules: Rules) -> float:
    return max((row[k] for k, s in enumerate(rules.sections) if s.rule.sink), default=0.0)


def _points(
    row: tuple[float, ...],
    main: Sequence[int],
    topical: Sequence[int],
    sinks_of: float,
    factor: float,
    rules: Rules,
) -> tuple[int, ...]:
    return tuple(
        k
        for k in topical
        if k not in main
        and row[k] >= factor * rules.sections[k].rule.min_score
        and row[k] > sinks_of
    )
