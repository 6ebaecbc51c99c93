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
  that most items carry, the day's main actors, do not count);
- its news value (``[news_value]``): cues of a decision, threat, plan,
  agreement or casualty figure, and of a principal actor, in its bullet
  and line; less for human interest, celebrity, diaspora events and
  routine incidents; more when it is dated the edition's day or the day
  before.

Only a text of a kind that may lead (news, live: ``[kinds] never_lead``)
words a story's bullet or line; a story no such text tells is not shown.
A story the stream's previous edition told, now with new sources, is
worded by a new source: an update leads with what is new.

Its bullet is its clearest standalone sentence: on topic, specific, early
in its item, from a recent source; a headline only when no sentence is
left. Its bottom-line line is a headline of the story (or its shortest
sentence) other than the bullet, so no text is printed twice.

:class:`Scorer` holds one edition's scale (its newest date, its common
names); the same scorer orders points for grouping and stories for
merging. :func:`rank` is the stage: stories in, ranked stories out,
nothing it is given changed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from ..models import Origin
from ..rules import Rules
from ..text import fold
from .candidates import Candidate
from .figures import disagree
from .stories import Point, Story
from .words import content_words, cosine, set_cosine, specifics


@dataclass(frozen=True, slots=True)
class Ranked:
    """A story with its weight and the texts that speak for it."""

    number: int  # the story's number in this edition
    story: Story  # its points heaviest first
    weight: float
    bullet: Candidate  # its section bullet
    line: Candidate | None  # its bottom-line line, when it has one besides the bullet
    leads: bool  # a text of a kind that may lead tells it (else it is not shown)
    sources: tuple[Origin, ...]  # the items it cites, the bullet's own first
    published: date | None  # the newest of its items' dates

    @property
    def section(self) -> int:
        return self.story.section

    @property
    def shown_line(self) -> Candidate:
        """Its bottom-line text: its line, else (given up to the bottom line) its bullet."""
        return self.line or self.bullet


class Scorer:
    """Weights of texts, points and stories on one edition's scale."""

    def __init__(
        self,
        rules: Rules,
        newest: date | None,
        common: frozenset[str],
        edition_day: date,
        seen: frozenset[str] = frozenset(),
    ) -> None:
        self.rules = rules
        self.newest = newest
        self.common = common
        self.edition_day = edition_day
        self.seen = seen  # articles the previous edition read: a story told again leads anew
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
            + weights.recency * self.recency(candidate.origin.published)
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
        texts = point.candidates
        cue = max(c.cue for c in texts)
        return self._weight(texts, texts[0].section, cue, point.items, point.lead, point.published)

    def _weight(
        self,
        texts: Sequence[Candidate],
        section: int,
        cue: float,
        items: Iterable[Origin],
        lead: bool,
        published: date | None,
    ) -> float:
        weights = self.rules.scoring
        # In units of the section's min_score: sections weigh alike whatever their scale.
        cue /= self.rules.sections[section].rule.min_score
        publishers = {origin.publisher for origin in items}
        text = next((c.text for c in texts if not c.headline), texts[0].text)
        found = self.specifics(text)
        parts = (
            weights.cue * min(cue, weights.cue_cap),
            weights.publishers * (len(publishers) - 1),
            weights.recency * self.recency(published),
            weights.lead if lead else 0.0,
            weights.specifics * min(found, weights.specifics_cap),
        )
        return sum(parts)

    def story_weight(self, story: Story) -> float:
        """A story's weight (orders the merging of stories)."""
        return self.ranked(0, story).weight

    def ranked(self, number: int, story: Story) -> Ranked:
        """One story's weight, bullet, bottom-line line and cited sources."""
        weighed = sorted((-self.point_weight(p), p.item, n) for n, p in enumerate(story.points))
        points = tuple(story.points[n] for *_, n in weighed)
        story = replace(story, points=points)
        section = story.section
        candidates = [c for c in story.candidates if c.section == section]
        if not candidates:
            candidates = list(story.candidates)
        leading = [c for c in candidates if c.origin.leads]
        # A story the previous edition told, now with new sources: what is new leads.
        new = [c for c in leading if c.origin.key not in self.seen]
        if self.seen and new and len(new) < len(leading):
            leading = new
        core = _core(candidates, self.rules)
        # A state-affiliated source's words word a bullet or line only when no
        # other source's can: an independent report of the story comes first.
        free = [c for c in leading if c.origin.attribution is None]
        bullet = max(
            free or leading or candidates, key=lambda c: (self.quality(c, core), -c.item, -c.index)
        )
        line = self._line(story, bullet, free or leading, core) if leading else None
        items = self._telling(story, bullet)
        published = max((o.published for o in items if o.published is not None), default=None)
        cue = max((c.cue for c in story.candidates if c.section == section), default=bullet.cue)
        weight = self._weight(
            [bullet], section, cue, items, any(p.lead for p in points), published
        ) + self.news_value([c.text for c in (bullet, line) if c is not None], published)
        sources = self._sources(bullet, items)
        return Ranked(number, story, weight, bullet, line, bool(leading), sources, published)

    def news_value(self, texts: Sequence[str], published: date | None) -> float:
        """What an editor weighs in a story beyond its sources (``[news_value]``)."""
        rule = self.rules.news_value
        cues = self.rules.news_cues
        text = " ".join(texts)
        value = (
            rule.development * min(cues.development(text), rule.development_cap)
            + rule.actor * min(cues.actors(text), rule.actor_cap)
            - rule.soft * min(cues.soft(text), rule.soft_cap)
        )
        if published is not None and (self.edition_day - published).days <= rule.fresh_days:
            value += rule.fresh
        return value

    def _line(
        self,
        story: Story,
        bullet: Candidate,
        candidates: Sequence[Candidate],
        core: dict[str, float],
    ) -> Candidate | None:
        """The story's one line for the bottom line: a headline, else its shortest sentence.

        Of several headlines, the one that tells most of what the story's
        texts share, and gives figures or names, not a side angle.
        """
        same = fold(bullet.text)
        others = [c for c in candidates if fold(c.text) != same]
        heads = [c for c in others if c.headline]
        if heads:
            leader = story.points[0].item
            config = self.rules.scoring

            def telling(c: Candidate) -> tuple[float, bool, int]:
                central = _cosine(content_words(c.text), core)
                found = min(self.specifics(c.text), config.line_specifics_cap)
                return central + config.line_specifics * found, c.item == leader, -c.item

            return max(heads, key=telling)
        sentences = [c for c in others if not c.joined]
        if sentences:
            return min(sentences, key=lambda c: (c.words, c.item, c.index))
        return None

    def _telling(self, story: Story, bullet: Candidate) -> tuple[Origin, ...]:
        """The items of a story that tell what its bullet tells: those it may cite.

        An item whose point shares less than ``cite_similarity`` of its words
        with the bullet's point (cosine, each word once), and in a story
        grouped by meaning is less alike in meaning than
        ``cite_meaning_similarity``, is part of the story
        but tells another side of it; one whose figures of a thing the
        bullet's point counts too are all far from its own (3 killed in one
        strike, 414 since the ceasefire) tells another event. Neither is
        cited nor counted.
        """
        least = self.rules.stories.cite_similarity
        ratio = self.rules.questions.max_ratio
        home = next(p for p in story.points if any(c is bullet for c in p.candidates))
        words = home.head_words | home.body_words
        mine = dict(home.figures)
        meant = self.rules.stories.cite_meaning_similarity or math.inf
        close: dict[int, Origin] = {}
        for point in story.points:
            other = point.head_words | point.body_words
            if point is not home and set_cosine(words, other) < least:
                alike = story.likeness(home, point)
                if alike is None or alike < meant:
                    continue
            if point is not home and disagree(mine, dict(point.figures), ratio):
                continue
            for origin in point.items:
                close.setdefault(origin.number, origin)
        return tuple(close.values())

    def _sources(self, bullet: Candidate, items: Sequence[Origin]) -> tuple[Origin, ...]:
        """Items cited: the bullet's own first, then one per publisher, newest first."""
        first = bullet.origin
        rest = [o for o in items if o.number != first.number]
        rest.sort(key=lambda o: (-(o.published or date.min).toordinal(), o.number))
        seen = {first.publisher}
        ordered = [first]
        later = []
        for origin in rest:
            if origin.publisher in seen:
                later.append(origin)
            else:
                seen.add(origin.publisher)
                ordered.append(origin)
        ordered.extend(later)
        return tuple(ordered[: self.rules.stories.max_citations])


def rank(stories: Sequence[Story], scorer: Scorer) -> tuple[Ranked, ...]:
    """Every story ranked, numbered in the order given."""
    return tuple(scorer.ranked(n, story) for n, story in enumerate(stories))


def _core(candidates: Sequence[Candidate], rules: Rules) -> dict[str, float]:
    """A story's words, each weighted by how many of its texts hold it (headlines more)."""
    config = rules.scoring
    core: dict[str, float] = {}
    for candidate in candidates[: config.core_texts]:
        weight = config.core_headline_weight if candidate.headline else 1.0
        for word in content_words(candidate.text):
            core[word] = core.get(word, 0.0) + weight
    return core


def _cosine(words: frozenset[str], core: dict[str, float]) -> float:
    """How central a text's words are to a story's (each word counted once)."""
    return cosine(dict.fromkeys(words, 1.0), core)
