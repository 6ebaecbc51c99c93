"""Stories: candidates from all sources grouped by the event or point they tell.

Two steps:

1. **Points.** An item short enough to tell one story (a feed item's
   summary: ``[topics] single_story_sentences``) is one point, holding its
   headline and sentences (:func:`item_points`). A longer article gives one
   point per candidate sentence. A point told in the very same words by
   another item (the same wire copy in two feeds, a republished article) is
   that point, with one more item telling it (:func:`told_again`).
2. **Stories.** Points from different items are one story when their
   content words are alike (cosine similarity, each word weighted by how
   rare it is among the edition's points, at least ``[stories]
   similarity``), their sources are at most ``[stories] days`` apart, and
   they do not count one thing far apart (a toll of 3 and one of 414:
   ``[questions] max_ratio``, :mod:`briefer.summarize.figures`).
   Points are taken heaviest first; each joins the most similar story led
   by an earlier point, or leads a story of its own. Comparing with story
   leaders only (not every member) keeps one story from chaining into its
   neighbours. A second, looser pass then joins whole stories of a section
   whose words are close (``merge_similarity``).

The work stays near-linear in the number of points: candidate stories are
found through an inverted index of each point's ``rare_words`` rarest
words, and a word found in more than ``common_words`` points finds none.
Points of different sections are never the same story.

Points are grouped, and stories merged, heaviest first (their weights,
from the ranking's scorer, are given); :func:`group` and :func:`merge`
return new stories and change none they are given.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import combinations
from typing import TYPE_CHECKING

from ..models import Origin
from ..rules import Rules
from ..text import fold
from .candidates import Candidate
from .figures import counts as figure_counts
from .figures import disagree, reported
from .words import content_words, cosine, set_cosine

if TYPE_CHECKING:  # NumPy and the model are loaded only when meaning is read
    from .meaning import Nearness


@dataclass(frozen=True, slots=True)
class Point:
    """One thing an item says: a single-story item's candidates, or one sentence."""

    section: int
    candidates: tuple[Candidate, ...]  # of its first item, the best first
    items: tuple[Origin, ...]  # every item that tells it in these words (the first is the source)
    published: date | None  # the newest of its items' dates
    signature: str  # the words that make it the same point as another (exact copies)
    lead: bool  # an item opens with it (a single-story item, or an article's lead)
    single: bool = False  # the whole of a single-story item (not one sentence of many)
    head_words: frozenset[str] = frozenset()  # compared: its headline's content words
    body_words: frozenset[str] = frozenset()  # ... and the rest of its text's
    # The figures it reports ([[questions.figure]]: label, values, whether a
    # running total; a single-story item's headline figure stands for its
    # label): a total far from another point's day figure is another event.
    figures: tuple[tuple[str, tuple[frozenset[int], bool]], ...] = ()
    # A single-story item's headline and opening as one text: what its
    # meaning is read from (:mod:`briefer.summarize.meaning`).
    gist: str = ""

    @property
    def item(self) -> int:
        """Its source's place in reading order."""
        return self.items[0].number


@dataclass(frozen=True, slots=True)
class Story:
    """Points that tell the same story, in the order they joined (the leader first)."""

    points: tuple[Point, ...]
    centroid: Mapping[str, float]  # its words, weighted as they were grouped
    by_meaning: bool = False  # (holds points) grouped by meaning (sentence embeddings)
    # Grouped by meaning: how alike two of its points are (cosine of their
    # embeddings), keyed by their items' numbers, the smaller first; empty otherwise.
    alike: Mapping[tuple[int, int], float] = field(default_factory=dict)

    def likeness(self, a: Point, b: Point) -> float | None:
        """How alike in meaning two of its points are (None: not read for meaning)."""
        return self.alike.get(_pair(a, b))

    @property
    def section(self) -> int:
        return self.points[0].section

    @property
    def candidates(self) -> Iterator[Candidate]:
        for point in self.points:
            yield from point.candidates

    @property
    def items(self) -> tuple[Origin, ...]:
        """Every item that tells it, each once, in the order of its points."""
        seen: dict[int, Origin] = {}
        for point in self.points:
            for origin in point.items:
                seen.setdefault(origin.number, origin)
        return tuple(seen.values())


def _pair(a: Point, b: Point) -> tuple[int, int]:
    """Two points' items' numbers, the smaller first: a key of :attr:`Story.alike`."""
    return (a.item, b.item) if a.item <= b.item else (b.item, a.item)


def _vector(point: Point, idf: Mapping[str, float], headline_weight: float) -> dict[str, float]:
    """A point's words weighted by rarity, its headline's ``headline_weight`` times."""
    vector = {w: idf[w] for w in point.body_words}
    for w in point.head_words:
        vector[w] = idf[w] * headline_weight
    return vector


def item_points(
    candidates: Sequence[Candidate],
    main: Sequence[int],
    one_story: bool,
    head_text: str,
    lead_text: str,
    rules: Rules,
) -> tuple[Point, ...]:
    """The points of one item: one for a single-story item, else one per sentence.

    ``main``: the item's topic sections, heaviest first; ``one_story``: the
    item tells one story (a feed item's summary, a short text);
    ``head_text`` and ``lead_text``: its headline and opening paragraph,
    compared as a single story's words.
    """
    origin = candidates[0].origin
    published = origin.published
    if one_story:
        # One story: its section is the item's main topic (or what its lead says).
        lead = min(candidates, key=lambda c: (c.headline, c.index))
        section = main[0] if main else lead.section
        mine = tuple(c for c in candidates if c.section == section)
        if rules.sections[lead.section].rule.requires_topic:
            # A lead that asks (Open questions) makes the story a question,
            # unless a headline tells the item's news on its topic: then that
            # headline alone words it there, and the question is still asked.
            mine = tuple(c for c in mine if c.headline)
            if not mine:
                section = lead.section
        mine = mine or (lead,)
        ordered = tuple(sorted(mine, key=lambda c: (c.headline, c.index)))
        heads = [c.text for c in candidates if c.headline]
        first = next((c.text for c in ordered if not c.headline), "")
        signature = " ".join((*heads, first)) or ordered[0].text
        # Compared by all it says, not only by the sentences that can be bullets.
        body = (lead_text, *(c.text for c in ordered if not c.headline))
        told = reported(
            figure_counts((head_text,), rules), figure_counts(body, rules),
            rules.questions.max_ratio,
        )  # fmt: skip
        gist = f"{head_text}. {lead_text}" if head_text else lead_text
        return (
            Point(section, ordered, (origin,), published, signature, True, True,
                  content_words(head_text), content_words(lead_text), tuple(told.items()),
                  gist.strip()),
        )  # fmt: skip
    # A longer article: a point per sentence; its headline goes with its lead.
    points = [
        Point(c.section, (c,), (origin,), published, c.text, c.index == 0,
              body_words=content_words(c.text),
              figures=tuple(figure_counts((c.text,), rules).items()))
        for c in candidates
        if not c.headline
    ]  # fmt: skip
    for head in (c for c in candidates if c.headline):
        at = next((n for n, p in enumerate(points) if p.lead and p.section == head.section), None)
        if at is None:
            points.append(Point(head.section, (), (origin,), published, head.text, True))
            at = len(points) - 1
        lead = points[at]
        said = (*lead.candidates, head)
        points[at] = replace(
            lead, candidates=said, head_words=content_words(head.text),
            figures=tuple(figure_counts((c.text for c in said), rules).items()),
        )  # fmt: skip
    return tuple(points)


def signature_key(point: Point) -> tuple[int, str, date | None]:
    """Points with the same key are the same words on the same day: one point, more items."""
    return point.section, fold(point.signature), point.published


def told_again(known: Point, copy: Point) -> Point:
    """``known`` told by one more item, in the very same words (``copy``)."""
    published = known.published
    if copy.published and (published is None or copy.published > published):
        published = copy.published
    return replace(known, items=(*known.items, copy.items[0]), published=published)


def group(
    points: Sequence[Point],
    weights: Sequence[float],
    rules: Rules,
    near: Nearness | None = None,
) -> tuple[Story, ...]:
    """Stories of ``points`` (see the module docstring); ``weights`` are the points'.

    The points ``near`` covers (single-story items whose meaning was read)
    are grouped by meaning instead (:func:`_by_meaning`); the rest by words.
    """
    config = rules.stories
    ratio = rules.questions.max_ratio
    texts = [(p.head_words, p.body_words) for p in points]
    counts: Counter[str] = Counter()
    for head, body in texts:
        counts.update(head | body)
    total = max(len(points), 1)
    idf = {w: math.log(1 + total / c) for w, c in counts.items()}
    by_meaning = set(near.points) if near is not None else set()
    order = sorted(
        (i for i in range(len(points)) if i not in by_meaning), key=lambda i: (-weights[i], i)
    )
    members: list[list[Point]] = []
    centroids: list[dict[str, float]] = []
    leaders: list[tuple[dict[str, float], float]] = []  # each story's first point, and its norm
    norms: list[float] = []  # squared norms of the centroids
    index: dict[str, list[int]] = {}
    for i in order:
        point = points[i]
        vector = _vector(point, idf, config.headline_weight)
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
        for s, _ in shared.most_common(config.compared_stories):
            leader = members[s][0]
            if not _compatible(point, leader, config.days, ratio):
                continue
            # Two single-story items join more easily than anything with a sentence.
            both_single = point.single and leader.single
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
            members[s].append(point)
            centroid = centroids[s]
            for w, v in vector.items():
                old = centroid.get(w, 0.0)
                centroid[w] = old + v
                norms[s] += (old + v) ** 2 - old**2
                if old == 0.0 and w in rare:
                    index.setdefault(w, []).append(s)
            continue
        members.append([point])
        leaders.append((vector, norm))
        centroids.append(dict(vector))
        norms.append(sum(v * v for v in vector.values()) or 1.0)
        for word in rare:
            index.setdefault(word, []).append(len(members) - 1)
    stories = [Story(tuple(m), c) for m, c in zip(members, centroids, strict=True)]
    if near is not None:
        stories += _by_meaning(points, weights, near, idf, rules)
        # In the order their leaders were read, as the points came.
        place = {id(p): n for n, p in enumerate(points)}
        stories.sort(key=lambda story: place[id(story.points[0])])
    return tuple(stories)


def _by_meaning(
    points: Sequence[Point],
    weights: Sequence[float],
    near: Nearness,
    idf: Mapping[str, float],
    rules: Rules,
) -> list[Story]:
    """Stories of the points ``near`` covers: average-link clusters of their meaning.

    Per section, two groups join while the mean similarity of their members
    reaches ``[stories] meaning_similarity``; two points that may not be one
    story (days apart, far-apart counts) are so far apart that no group
    holding both can form (a distance no average of the others can bring
    under the threshold). ``near`` covers at most ``meaning_points``
    points, so this stays bounded.
    """
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    config = rules.stories
    ratio = rules.questions.max_ratio
    row_of = {i: row for row, i in enumerate(near.points)}
    sections: dict[int, list[int]] = {}
    for row, i in enumerate(near.points):
        sections.setdefault(points[i].section, []).append(row)
    stories: list[Story] = []
    for rows in sections.values():
        if len(rows) == 1:
            clusters = [1]
        else:
            similar = near.similarity[np.ix_(rows, rows)].astype(np.float64)
            distance = np.clip(1.0 - similar, 0.0, 2.0)
            # One such pair adds more than 1 to the mean distance of any two
            # groups it would join: they never join.
            apart = float(len(rows) ** 2)
            for a, b in combinations(range(len(rows)), 2):
                pa, pb = points[near.points[rows[a]]], points[near.points[rows[b]]]
                if not _compatible(pa, pb, config.days, ratio):
                    distance[a, b] = distance[b, a] = apart
            np.fill_diagonal(distance, 0.0)
            tree = linkage(squareform(distance, checks=False), "average")
            clusters = list(fcluster(tree, t=1.0 - config.meaning_similarity, criterion="distance"))
        found: dict[int, list[int]] = {}
        for row, cluster in zip(rows, clusters, strict=True):
            found.setdefault(int(cluster), []).append(near.points[row])
        for members in found.values():
            members.sort(key=lambda i: (-weights[i], i))
            chosen = tuple(points[i] for i in members)
            centroid: Counter[str] = Counter()
            for point in chosen:
                centroid.update(_vector(point, idf, config.headline_weight))
            alike = {
                _pair(points[a], points[b]): float(near.similarity[row_of[a], row_of[b]])
                for a, b in combinations(members, 2)
            }
            stories.append(Story(chosen, dict(centroid), by_meaning=True, alike=alike))
    return stories


def merge(stories: Sequence[Story], weights: Sequence[float], rules: Rules) -> tuple[Story, ...]:
    """Stories of one section whose words are close (``merge_similarity``) become one.

    A second, looser pass over whole stories: two stories built from points
    that were each too far apart may still tell the same thing, seen once
    all their points are in. Heaviest first (``weights`` are the stories'),
    each story joins the closest earlier one or stays; candidates are found
    through an index of each story's heaviest words, as in :func:`group`,
    so it stays near-linear.
    """
    config = rules.stories
    ratio = rules.questions.max_ratio
    threshold = config.merge_similarity
    if not threshold:
        return tuple(stories)
    counts: Counter[str] = Counter()
    for story in stories:
        counts.update(story.centroid)
    kept: list[list[Point]] = []
    meant: list[bool] = []  # each kept story holds one grouped by meaning
    alikes: list[Mapping[tuple[int, int], float]] = []  # ... and how alike its points are
    centroids: list[dict[str, float]] = []
    index: dict[str, list[int]] = {}
    for i in sorted(range(len(stories)), key=lambda i: (-weights[i], i)):
        story = stories[i]
        # A story is found through its heaviest words (what its points share).
        centroid = story.centroid
        rare = sorted(
            (w for w in centroid if 1 < counts[w] <= config.common_words),
            key=lambda w: (-centroid[w], w),
        )[: config.merge_rare_words]
        shared: Counter[int] = Counter()
        for word in rare:
            shared.update(index.get(word, ()))
        best: tuple[float, int] | None = None
        leader = story.points[0]
        for k, _ in shared.most_common(config.compared_stories):
            if story.by_meaning and meant[k]:
                continue  # their meaning already kept them apart (so did any it holds)
            if not _compatible(leader, kept[k][0], config.days, ratio):
                continue
            # Their leaders must be alike too: two stories do not merge through their
            # members alone (one story's words reaching into its neighbours').
            if set_cosine(_words(leader), _words(kept[k][0])) < config.merge_leader_similarity:
                continue
            close = cosine(centroid, centroids[k])
            if close >= threshold and (best is None or close > best[0]):
                best = (close, k)
        if best is None:
            kept.append(list(story.points))
            meant.append(story.by_meaning)
            alikes.append(story.alike)
            centroids.append(dict(centroid))
            for word in rare:
                index.setdefault(word, []).append(len(kept) - 1)
            continue
        k = best[1]
        kept[k].extend(story.points)
        meant[k] = meant[k] or story.by_meaning
        alikes[k] = {**alikes[k], **story.alike}  # each part's likeness, read apart
        into = centroids[k]
        for w, v in centroid.items():
            into[w] = into.get(w, 0.0) + v
    return tuple(
        Story(tuple(p), c, m, a) for p, c, m, a in zip(kept, centroids, meant, alikes, strict=True)
    )


def _words(point: Point) -> frozenset[str]:
    return point.head_words | point.body_words


def _compatible(a: Point, b: Point, days: float, ratio: float) -> bool:
    if a.item == b.item:
        return False  # one item's points are its own distinct points
    if a.section != b.section:
        return False  # a story is told in one section; an open question is not a finding
    if a.published and b.published and abs((a.published - b.published).days) > days:
        return False
    # 3 killed in one strike and 414 since the ceasefire: other events.
    return not disagree(dict(a.figures), dict(b.figures), ratio)
