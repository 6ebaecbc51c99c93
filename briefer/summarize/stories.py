"""Stories: candidates from all sources grouped by the event or point they tell.

Two steps:

1. **Points.** An item short enough to tell one story (a feed item's
   summary: ``[topics] single_story_sentences``) is one point, holding its
   headline and sentences. A longer article gives one point per candidate
   sentence. A point told in the very same words by another item (the same
   wire copy in two feeds, a republished article) is that point, with one
   more item telling it.
2. **Stories.** Points from different items are one story when their
   content words are alike (cosine similarity, each word weighted by how
   rare it is among the edition's points, at least ``[stories]
   similarity``) and their sources are at most ``[stories] days`` apart.
   Points are taken heaviest first; each joins the most similar story led
   by an earlier point, or leads a story of its own. Comparing with story
   leaders only (not every member) keeps one story from chaining into its
   neighbours.

The work stays near-linear in the number of points: candidate stories are
found through an inverted index of each point's ``rare_words`` rarest
words, and a word found in more than ``common_words`` points finds none.
Points of different sections are never the same story.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from ..rules import Rules
from ..text import fold
from .candidates import Candidate
from .words import cosine


@dataclass(slots=True)
class Point:
    """One thing an item says: a single-story item's candidates, or one sentence."""

    section: int
    candidates: tuple[Candidate, ...]  # of its first item, the best first
    items: list[int]  # every item that tells it in these words (the first is the source)
    published: date | None  # the newest of its items' dates
    signature: str  # the words that make it the same point as another (exact copies)
    lead: bool  # an item opens with it (a single-story item, or an article's lead)
    single: bool = False  # the whole of a single-story item (not one sentence of many)
    weight: float = 0.0  # set by rank.point_weight
    head_words: frozenset[str] = frozenset()  # compared: its headline's content words
    body_words: frozenset[str] = frozenset()  # ... and the rest of its text's

    @property
    def item(self) -> int:
        return self.items[0]


@dataclass(slots=True)
class Story:
    """Points that tell the same story; the leader (heaviest) first."""

    points: list[Point]
    weight: float = 0.0
    bullet: Candidate | None = None  # set by rank
    line: Candidate | None = None  # the bottom-line text, when the story has one
    sources: tuple[int, ...] = ()  # items cited, the bullet's own first
    published: date | None = None
    centroid: dict[str, float] = field(default_factory=dict)  # its words, weighted (grouping)

    @property
    def section(self) -> int:
        return self.points[0].section

    @property
    def candidates(self) -> Iterable[Candidate]:
        for point in self.points:
            yield from point.candidates

    @property
    def items(self) -> list[int]:
        seen: dict[int, None] = {}
        for point in self.points:
            for item in point.items:
                seen.setdefault(item, None)
        return list(seen)


def signature_key(point: Point) -> tuple[int, str, date | None]:
    """Points with the same key are the same words on the same day: one point, more items."""
    return point.section, fold(point.signature), point.published


def group(points: Sequence[Point], rules: Rules) -> list[Story]:
    """Stories of ``points`` (see the module docstring); points must carry their weight."""
    config = rules.stories
    texts = [(p.head_words, p.body_words) for p in points]
    counts: Counter[str] = Counter()
    for head, body in texts:
        counts.update(head | body)
    total = max(len(points), 1)
    idf = {w: math.log(1 + total / c) for w, c in counts.items()}
    order = sorted(range(len(points)), key=lambda i: (-points[i].weight, i))
    stories: list[Story] = []
    centroids: list[dict[str, float]] = []
    leaders: list[tuple[dict[str, float], float]] = []  # each story's first point, and its norm
    norms: list[float] = []  # squared norms of the centroids
    index: dict[str, list[int]] = {}
    for i in order:
        point = points[i]
        head, body = texts[i]
        vector = {w: idf[w] for w in body}
        for w in head:
            vector[w] = idf[w] * config.headline_weight
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        # Words no other point has cannot find a story; the rarest of the rest can.
        rare = sorted(
            (w for w in vector if 1 < counts[w] <= config.common_words),
            key=lambda w: (counts[w], w),
        )[: config.rare_words]
        shared: Counter[int] = Counter()
        for word in rare:
            shared.update(index.get(word, ()))
        best: tuple[float, int] | None = None
        for s, _ in shared.most_common(16):
            story = stories[s]
            if not _compatible(point, story.points[0], config.days):
                continue
            # Two single-story items join more easily than anything with a sentence.
            both_single = point.single and story.points[0].single
            need = config.similarity if both_single else config.sentence_similarity
            close = cosine(vector, centroids[s], norm, math.sqrt(norms[s]))
            if close < need or (best is not None and close <= best[0]):
                continue
            # Near the story's words, and not far from its leader: no drift.
            lead, lead_norm = leaders[s]
            if cosine(vector, lead, norm, lead_norm) >= config.leader_similarity:
                best = (close, s)
        if best is not None:
            s = best[1]
            stories[s].points.append(point)
            centroid = centroids[s]
            for w, v in vector.items():
                old = centroid.get(w, 0.0)
                centroid[w] = old + v
                norms[s] += (old + v) ** 2 - old**2
                if old == 0.0 and w in rare:
                    index.setdefault(w, []).append(s)
            continue
        stories.append(Story([point]))
        leaders.append((vector, norm))
        centroids.append(dict(vector))
        stories[-1].centroid = centroids[-1]
        norms.append(sum(v * v for v in vector.values()) or 1.0)
        for word in rare:
            index.setdefault(word, []).append(len(stories) - 1)
    return stories


def similarity(a: Story, b: Story) -> float:
    """Cosine similarity of two stories' words (every point's, as grouped)."""
    return cosine(a.centroid, b.centroid)


def merge(stories: Sequence[Story], rules: Rules) -> list[Story]:
    """Stories of one section whose words are close (``merge_similarity``) become one.

    A second, looser pass over whole stories: two stories built from points
    that were each too far apart may still tell the same thing, seen once
    all their points are in. Heaviest first, each story joins the closest
    earlier one or stays; candidates are found through the same kind of
    index of rare words as in :func:`group`, so it stays near-linear.
    """
    config = rules.stories
    threshold = config.merge_similarity
    if not threshold:
        return list(stories)
    counts: Counter[str] = Counter()
    for story in stories:
        counts.update(story.centroid)
    order = sorted(range(len(stories)), key=lambda i: (-stories[i].weight, i))
    kept: list[Story] = []
    index: dict[str, list[int]] = {}
    for i in order:
        story = stories[i]
        # A story is found through its heaviest words (what its points share).
        centroid = story.centroid
        rare = sorted(
            (w for w in centroid if 1 < counts[w] <= config.common_words),
            key=lambda w: (-centroid[w], w),
        )[: 2 * config.rare_words]
        shared: Counter[int] = Counter()
        for word in rare:
            shared.update(index.get(word, ()))
        best: tuple[float, int] | None = None
        for k, _ in shared.most_common(16):
            other = kept[k]
            if not _compatible(story.points[0], other.points[0], config.days):
                continue
            close = similarity(story, other)
            if close >= threshold and (best is None or close > best[0]):
                best = (close, k)
        if best is None:
            kept.append(story)
            for word in rare:
                index.setdefault(word, []).append(len(kept) - 1)
            continue
        into = kept[best[1]]
        into.points.extend(story.points)
        for w, v in story.centroid.items():
            into.centroid[w] = into.centroid.get(w, 0.0) + v
    return kept


def _compatible(a: Point, b: Point, days: float) -> bool:
    if a.item == b.item:
        return False  # one item's points are its own distinct points
    if a.section != b.section:
        return False  # a story is told in one section; an open question is not a finding
    if a.published is not None and b.published is not None:
        return abs((a.published - b.published).days) <= days
    return True
