"""The editorial engine: articles in, the memo's chosen stories out.

Articles are read one at a time (:meth:`Summarizer.add`), so memory grows
with what the memo may use, not with the text read:

    clean -> topics (route 1) -> candidates (route 2) -> points
    ... all articles read ...
    rank points -> stories -> rank stories -> merge close stories -> fill

An item on no section's topic is never split into sentences. Only items
that gave a candidate are kept (without their text): no other can be
cited.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from ..models import Article, Decision
from ..rules import CueScanner, Rules
from .candidates import HEADLINE, Candidate, item_candidates
from .clean import Prepared, prepare
from .fill import Filled, fill
from .rank import Ranker
from .segment import SPLITTERS
from .stories import Point, Story, group, merge, signature_key
from .topics import ItemTopics, item_topics
from .words import content_words, specific_parts

BOTTOM_LINE = "bottom_line"


@dataclass(frozen=True, slots=True)
class Bullet:
    """One chosen text and what it cites."""

    text: str
    section: str  # a section key, or BOTTOM_LINE
    article_key: str  # whose words these are
    sentence_index: int  # in that article's body; -1 for its headline
    sources: tuple[str, ...]  # article keys cited, the worded one first
    published: date | None  # the newest date among the cited sources
    weight: float
    story: int  # the story's number in this edition
    headline: bool = False
    detail: bool = False  # shown under its story's bullet (a thin day's spare words)


@dataclass(frozen=True, slots=True)
class Selection:
    """What the engine chose, in memo order, and why every text fared as it did."""

    bottom_line: tuple[Bullet, ...]
    sections: tuple[tuple[str, tuple[Bullet, ...]], ...]
    decisions: tuple[Decision, ...]
    candidates: int
    stories: int


class Summarizer:
    """Reads articles one at a time and chooses the memo's stories at the end."""

    def __init__(self, rules: Rules, splitter: str = "syntok", explain: bool = False) -> None:
        self.rules = rules
        self.split = SPLITTERS[splitter]
        self.explain = explain
        self.scanner = CueScanner(rules)
        self.articles: list[Article] = []  # items that gave a candidate, text dropped
        self.points: list[Point] = []
        self._by_words: dict[tuple[int, str, date | None], Point] = {}
        self._entries: list[Decision] = []
        self.names: Counter[str] = Counter()  # name -> items naming it
        self.sentences = 0  # body sentences read (of on-topic items)
        self.candidates = 0
        self.read = 0
        self.open_sections = frozenset(
            k for k, s in enumerate(rules.sections) if s.rule.requires_topic
        )

    def add(self, article: Article) -> bool:
        """Read one article; True if it gave a candidate (only such an article is cited)."""
        self.read += 1
        rules = self.rules
        prepared = prepare(article, rules)
        topics = item_topics(prepared, rules, self.scanner)
        if not topics.on_topic:
            if self.explain:
                self._entries.append(_off_topic(article, topics, rules))
            return False
        number = len(self.articles)
        found = item_candidates(prepared, topics, rules, number, self.split, self.explain)
        self.sentences += found.sentences
        if self.explain:
            self._entries.extend(found.decisions)
        if not found.candidates:
            return False
        self.articles.append(replace(article, paragraphs=article.paragraphs[:1]))
        self.candidates += len(found.candidates)
        names: set[str] = set()
        for candidate in found.candidates:
            names |= specific_parts(candidate.text)[1]
        self.names.update(names)
        for point in self._points(found.candidates, topics, found.sentences, number, prepared):
            self._keep(point)
        return True

    def _points(
        self,
        candidates: Sequence[Candidate],
        topics: ItemTopics,
        sentences: int,
        number: int,
        prepared: Prepared,
    ) -> list[Point]:
        published = self.articles[number].published
        if prepared.article.summary or sentences <= self.rules.topics.single_story_sentences:
            # One story: its section is the item's main topic (or what its lead says).
            lead = min(candidates, key=lambda c: (c.headline, c.index))
            section = topics.main[0] if topics.main else lead.section
            if lead.section in self.open_sections:
                section = lead.section
            mine = tuple(c for c in candidates if c.section == section) or (lead,)
            ordered = sorted(mine, key=lambda c: (c.headline, c.index))
            heads = [c.text for c in candidates if c.headline]
            first = next((c.text for c in ordered if not c.headline), "")
            signature = " ".join((*heads, first)) or ordered[0].text
            point = Point(section, tuple(ordered), [number], published, signature, True, True)
            # Compared by all it says, not only by the sentences that can be bullets.
            point.head_words = content_words(prepared.headline)
            point.body_words = content_words(" ".join(prepared.paragraphs[:1]))
            return [point]
        # A longer article: a point per sentence; its headline goes with its lead.
        points = []
        for c in candidates:
            if not c.headline:
                point = Point(c.section, (c,), [number], published, c.text, c.index == 0)
                point.body_words = content_words(c.text)
                points.append(point)
        for head in (c for c in candidates if c.headline):
            lead = next((p for p in points if p.lead and p.section == head.section), None)
            if lead is None:
                lead = Point(head.section, (), [number], published, head.text, True)
                points.append(lead)
            lead.candidates = (*lead.candidates, head)
            lead.head_words = content_words(head.text)
        return points

    def _keep(self, point: Point) -> None:
        key = signature_key(point)
        known = self._by_words.get(key)
        if known is not None:
            # The same words from another item: one point, told by one more item.
            known.items.append(point.item)
            if point.published and (known.published is None or point.published > known.published):
                known.published = point.published
            return
        self._by_words[key] = point
        self.points.append(point)

    def finish(self, budget: int) -> Selection:
        """Group, weigh and fill: the memo's bullets and every decision."""
        rules = self.rules
        dated = [a.published for a in self.articles if a.published is not None]
        newest = max(dated) if dated else None
        share = rules.scoring.common_name_share
        total = len(self.articles)
        common = frozenset()
        if share < 1.0 and total >= 3:
            common = frozenset(n for n, c in self.names.items() if c > share * total)
        ranker = Ranker(rules, newest, self._published, self._publisher, common)
        for point in self.points:
            point.weight = ranker.point_weight(point)
        stories = group(self.points, rules)
        for story in stories:
            ranker.weigh(story, rules.stories.max_citations)
        merged = merge(stories, rules)
        if len(merged) < len(stories):  # merged stories weigh what all their sources say
            for story in merged:
                ranker.weigh(story, rules.stories.max_citations)
        stories = merged
        filled = fill(stories, rules, budget, newest, self._publisher)
        keys = rules.keys
        number = {id(s): n for n, s in enumerate(stories)}

        def bullet(story: Story, line: bool, detail: Candidate | None = None) -> Bullet:
            chosen = (story.line or story.bullet) if line else (detail or story.bullet)
            assert chosen is not None
            if detail is not None:  # a detail cites its own source only
                cited: tuple[int, ...] = (chosen.item,)
            else:
                cited = (chosen.item, *(i for i in story.sources if i != chosen.item))
            cited = cited[: rules.stories.max_citations]
            days = [d for d in (self._published(i) for i in cited) if d is not None]
            article = self.articles[chosen.item]
            return Bullet(
                text=chosen.text,
                section=BOTTOM_LINE if line else keys[story.section],
                article_key=article.key,
                sentence_index=chosen.index,
                sources=tuple(self.articles[i].key for i in cited),
                published=max(days) if days else None,
                weight=round(story.weight, 3),
                story=number[id(story)],
                headline=chosen.headline,
                detail=detail is not None,
            )

        bottom = tuple(bullet(s, True) for s in filled.bottom_line)
        sections = tuple(
            (
                keys[k],
                tuple(
                    b
                    for s in chosen
                    for b in (
                        bullet(s, False),
                        *(bullet(s, False, d) for d in filled.details.get(id(s), ())),
                    )
                ),
            )
            for k, chosen in filled.sections
        )
        decisions = self._decisions(stories, filled, bottom, sections) if self.explain else ()
        return Selection(bottom, sections, decisions, self.candidates, len(stories))

    def _published(self, item: int) -> date | None:
        return self.articles[item].published

    def _publisher(self, item: int) -> str:
        article = self.articles[item]
        return article.publisher or article.key

    def _decisions(
        self,
        stories: Sequence[Story],
        filled: Filled,
        bottom: Sequence[Bullet],
        sections: Sequence[tuple[str, Sequence[Bullet]]],
    ) -> tuple[Decision, ...]:
        """Every entry's final verdict: kept (where), told by another bullet, or left out why."""
        keys = self.rules.keys
        verdict: dict[tuple[str, int], tuple[str, bool, float, str]] = {}
        kept = {(b.article_key, b.sentence_index): b for _, bs in sections for b in bs}
        details = {k for k, b in kept.items() if b.detail}
        lines = {(b.article_key, b.sentence_index): b for b in bottom}
        for n, story in enumerate(stories):
            for candidate in story.candidates:
                key = self.articles[candidate.item].key
                ident = (key, candidate.index)
                section = keys[candidate.section]
                if ident in kept:
                    what = "a detail of story" if ident in details else "story"
                    why = f"kept: section '{kept[ident].section}' ({what} {n})"
                    verdict[ident] = (why, True, story.weight, kept[ident].section)
                elif ident in lines:
                    why = f"kept: bottom line (story {n}, '{keys[story.section]}')"
                    verdict[ident] = (why, True, story.weight, BOTTOM_LINE)
                elif n in filled.left_out:
                    verdict[ident] = (filled.left_out[n], False, story.weight, section)
                else:
                    bullet = story.bullet
                    assert bullet is not None
                    where = f"{self.articles[bullet.item].key}#{bullet.index}"
                    verdict[ident] = (f"same story as {where}", False, story.weight, section)
        out = []
        for entry in self._entries:
            found = verdict.get((entry.article_key, entry.sentence_index))
            if found is None or entry.reason != "candidate":
                out.append(entry)
                continue
            reason, is_kept, weight, section = found
            out.append(
                replace(entry, reason=reason, kept=is_kept, score=round(weight, 3), section=section)
            )
        return tuple(out)


def _off_topic(article: Article, topics: ItemTopics, rules: Rules) -> Decision:
    """One entry for an item on no topic, naming its best section's weight."""
    keys = rules.keys
    if topics.sink is not None:
        reason = f"item left out: its topic is '{keys[topics.sink]}'"
    else:
        best = max(
            (k for k, s in enumerate(rules.sections) if not s.rule.sink),
            key=lambda k: topics.mass[k],
        )
        reason = (
            f"item not on any section's topic (best: '{keys[best]}' "
            f"{topics.mass[best]:g}, headline {topics.headline[best]:g})"
        )
    text = article.headline or (article.paragraphs[0] if article.paragraphs else article.key)
    return Decision(
        article_key=article.key,
        sentence_index=HEADLINE,
        text=text,
        section_scores=tuple(zip(keys, topics.mass, strict=True)),
        section=None,
        score=0.0,
        kept=False,
        reason=reason,
    )
