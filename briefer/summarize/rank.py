"""Rank: how heavy a story is, and which of its texts speaks for it.

A story's weight (``[scoring]`` in the rules file) adds up:

- its cue weight for its section, in multiples of the section's ``min_score``
  (capped): how squarely it is on topic;
- ``publishers`` per independent publisher beyond the first that tells it;
- ``recency``, halving every ``recency_half_life_days`` back from the
  newest source of the edition;
- ``lead`` when an item opens with it (a feed item's story, an article's
  lead sentence);
- ``specifics`` per distinct figure, date or name in its bullet (names
  that most items carry, the day's main actors, do not count).

Its bullet is its clearest standalone sentence: on topic, specific, early
in its item, from a recent source; a headline only when no sentence is
left. Its bottom-line line is a headline of the story (or its shortest
sentence) other than the bullet, so no text is printed twice.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date

from ..rules import Rules
from ..text import fold
from .candidates import Candidate
from .stories import Point, Story
from .words import content_words, cosine, specifics


class Ranker:
    """Weights and texts of points and stories under one edition's rules."""

    def __init__(
        self,
        rules: Rules,
        newest: date | None,
        published: Callable[[int], date | None],
        publisher: Callable[[int], str],
        common: frozenset[str],
    ) -> None:
        self.rules = rules
        self.newest = newest
        self.published = published
        self.publisher = publisher
        self.common = common
        self._specifics: dict[str, int] = {}

    def recency(self, day: date | None) -> float:
        """1.0 for the newest source of the edition, halving every half-life before it."""
        if self.newest is None or day is None:
            return 0.0
        age = max((self.newest - day).days, 0)
        return math.pow(0.5, age / self.rules.scoring.recency_half_life_days)

    def specifics(self, text: str) -> int:
        found = self._specifics.get(text)
        if found is None:
            found = self._specifics[text] = specifics(text, self.common)
        return found

    def quality(self, candidate: Candidate, core: dict[str, float] | None = None) -> float:
        """How well a candidate speaks for its story as a section bullet.

        ``core``: the story's words, each weighted by how many of its texts
        hold it; a candidate that tells what the story's texts share (its
        centrality) is preferred to a side detail or background.
        """
        weights = self.rules.scoring
        low = self.rules.sections[candidate.section].rule.min_score
        value = (
            weights.cue * min(candidate.cue / low, weights.cue_cap)
            + weights.specifics * min(self.specifics(candidate.text), weights.specifics_cap)
            + weights.recency * self.recency(self.published(candidate.item))
        )
        if candidate.headline:
            value -= weights.headline_penalty
        else:
            value += weights.lead / (1 + candidate.index)
        if core:
            value += weights.centrality * _cosine(content_words(candidate.text), core)
        return value

    def point_weight(self, point: Point) -> float:
        """A point's weight before stories are grouped (orders the grouping)."""
        return self._weight(point.candidates, [point.items], point.lead, point.published)

    def weigh(self, story: Story, max_citations: int) -> None:
        """Set a story's weight, bullet, bottom-line line and cited sources."""
        story.points.sort(key=lambda p: (-p.weight, p.item))
        candidates = [c for p in story.points for c in p.candidates if c.section == story.section]
        if not candidates:
            candidates = list(story.candidates)
        core = _core(candidates)
        story.bullet = max(candidates, key=lambda c: (self.quality(c, core), -c.item, -c.index))
        story.line = self._line(story, candidates, core)
        story.published = max(
            (d for d in (self.published(i) for i in story.items) if d is not None), default=None
        )
        story.weight = self._weight(
            [story.bullet], [p.items for p in story.points], any(p.lead for p in story.points),
            story.published, story=story,
        )
        story.sources = self._sources(story, max_citations)

    def _weight(
        self,
        candidates: Sequence[Candidate],
        items: Sequence[Sequence[int]],
        lead: bool,
        published: date | None,
        story: Story | None = None,
    ) -> float:
        weights = self.rules.scoring
        cue = max((c.cue for c in candidates), default=0.0)
        if story is not None:
            cue = max(
                (c.cue for c in story.candidates if c.section == story.section), default=cue
            )
        section = candidates[0].section if story is None else story.section
        # In units of the section's min_score: sections weigh alike whatever their scale.
        cue /= self.rules.sections[section].rule.min_score
        publishers = {self.publisher(i) for group in items for i in group}
        text = next((c.text for c in candidates if not c.headline), candidates[0].text)
        found = self.specifics(text)
        parts = {
            "cue": weights.cue * min(cue, weights.cue_cap),
            "publishers": weights.publishers * (len(publishers) - 1),
            "recency": weights.recency * self.recency(published),
            "lead": weights.lead if lead else 0.0,
            "specifics": weights.specifics * min(found, weights.specifics_cap),
            "vague": -weights.vague_penalty if found <= 1 else 0.0,
        }
        return sum(parts.values())

    def _line(
        self, story: Story, candidates: Sequence[Candidate], core: dict[str, float]
    ) -> Candidate | None:
        """The story's one line for the bottom line: a headline, else its shortest sentence.

        Of several headlines, the one that tells most of what the story's
        texts share, and gives figures or names, not a side angle.
        """
        bullet = story.bullet
        assert bullet is not None
        same = fold(bullet.text)
        others = [c for c in candidates if fold(c.text) != same]
        heads = [c for c in others if c.headline]
        if heads:
            leader = story.points[0].item

            def telling(c: Candidate) -> tuple[float, bool, int]:
                central = _cosine(content_words(c.text), core)
                return central + 0.05 * min(self.specifics(c.text), 4), c.item == leader, -c.item

            return max(heads, key=telling)
        sentences = [c for c in others if not c.joined]
        if sentences:
            return min(sentences, key=lambda c: (c.words, c.item, c.index))
        return None

    def _sources(self, story: Story, limit: int) -> tuple[int, ...]:
        """Items cited: the bullet's own first, then one per publisher, newest first."""
        bullet = story.bullet
        assert bullet is not None
        first = bullet.item
        rest = [i for i in story.items if i != first]
        rest.sort(key=lambda i: (-(self.published(i) or date.min).toordinal(), i))
        seen = {self.publisher(first)}
        ordered = [first]
        later = []
        for item in rest:
            name = self.publisher(item)
            if name in seen:
                later.append(item)
            else:
                seen.add(name)
                ordered.append(item)
        ordered.extend(later)
        return tuple(ordered[:limit])


def _core(candidates: Sequence[Candidate]) -> dict[str, float]:
    """A story's words, each weighted by how many of its texts hold it (headlines twice)."""
    core: dict[str, float] = {}
    for candidate in candidates[:40]:
        for word in content_words(candidate.text):
            core[word] = core.get(word, 0.0) + (2.0 if candidate.headline else 1.0)
    return core


def _cosine(words: frozenset[str], core: dict[str, float]) -> float:
    """How central a text's words are to a story's (each word counted once)."""
    return cosine(dict.fromkeys(words, 1.0), core)
