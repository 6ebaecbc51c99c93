"""Score candidate sentences and pick the bullets of a memo.

The steps, each visible in ``--explain``:

1. a sentence is a *candidate* if it can stand alone as a bullet (length,
   no unresolved pronoun, balanced quotes) and some section's cues reach
   that section's ``min_score``; it belongs to its best section only;
2. its salience combines cue weight, how many other sources make the same
   point, how recent its source is, whether it opens its article, and
   whether it carries figures;
3. candidates that say the same thing collapse into one point, worded by
   the most salient (usually newest) source and cited with all of them;
4. the bottom line takes the strongest points from the most recent
   sources; the sections then fill in turns, best first, within the word
   budget and each section's limit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from ..models import Article, Decision, Sentence
from .rules import Rules

BOTTOM_LINE = "bottom_line"

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_SPECIFIC = re.compile(
    r"\d+(?:[,.:]\d+)*|\b(January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
_NAME = re.compile(r"(?<![\w’'])[A-Z][\w’'.-]*(?:\s+(?:of\s+)?[A-Z][\w’'.-]*)*")
_ATTRIBUTION = re.compile(
    r",\s+(?:according\s+to\s+[^,;:\"“”]{3,160}"
    r"|(?:the\s+|some\s+|two\s+|three\s+|several\s+|local\s+|senior\s+)*"
    r"(?:sources?|officials?|people|analysts|diplomats|reports?|media|officers?)"
    r"(?:\s+[a-z][\w-]*){0,4}\s+(?:said|say|says|reported|report))\.$"
)
_END = re.compile(r"""[.!?]["'”’)\]]*$""")
_CUT = re.compile(r"(\.\.\.|…|\[…\]|\[\.\.\.\])\s*$")
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself said says say told according would also its it's that's one two new""".split()
)


def content_words(text: str) -> frozenset[str]:
    """Lower-cased content words with a light plural fold, for overlap tests."""
    words = set()
    for word in _WORD.findall(text.lower()):
        word = word.replace("’", "'").removesuffix("'s")
        if word in STOPWORDS or len(word) < 2:
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.add(word)
    return frozenset(words)


def specifics(text: str, common: frozenset[str] = frozenset()) -> int:
    """Distinct figures, dates and names in ``text``, leaving out ``common`` names.

    A name is a run of capitalized words not opening the sentence ("Prime
    Minister Benjamin Netanyahu" counts once); ``common`` holds lower-cased
    names too frequent to tell one sentence from another.
    """
    figures, names = _specific_parts(text)
    return len(figures) + len(names - common - figures)


def _specific_parts(text: str) -> tuple[set[str], set[str]]:
    figures = {m.group(0).lower() for m in _SPECIFIC.finditer(text)}
    names = set()
    body = text.lstrip("\"'“‘(")
    for match in _NAME.finditer(body):
        if match.start() == 0:
            rest = match.group(0).split(maxsplit=1)
            if len(rest) < 2:
                continue
            name = rest[1]
        else:
            name = match.group(0)
        names.add(name.rstrip(".").lower())
    return figures, names


def _common_names(sentences: Sequence[Sentence], share: float) -> frozenset[str]:
    """Names found in more than ``share`` of the articles (at least three articles)."""
    seen: dict[str, set[str]] = {}
    articles = set()
    for sentence in sentences:
        articles.add(sentence.article_key)
        for name in _specific_parts(sentence.text)[1]:
            seen.setdefault(name, set()).add(sentence.article_key)
    if share >= 1.0 or len(articles) < 3:
        return frozenset()
    return frozenset(n for n, keys in seen.items() if len(keys) > share * len(articles))


def overlap(a: frozenset[str], b: frozenset[str]) -> tuple[float, float]:
    """(Jaccard, containment of the smaller set) of two word sets."""
    if not a or not b:
        return 0.0, 0.0
    common = len(a & b)
    return common / len(a | b), common / min(len(a), len(b))


@dataclass(slots=True)
class Candidate:
    """A sentence that may become a bullet, with its scores."""

    sentence: Sentence
    text: str  # the bullet text: the sentence, leading connective trimmed
    section: str
    section_scores: tuple[tuple[str, float], ...]
    relevance: float
    published: date | None
    words: frozenset[str]
    score: float = 0.0
    priority: float = 0.0  # score per word (see ScoringRule.length_penalty), the fill order
    specifics: int = 0
    corroborated_by: set[str] = field(default_factory=set)
    supporters: list[Candidate] = field(default_factory=list)

    @property
    def article_key(self) -> str:
        return self.sentence.article_key

    @property
    def length(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True, slots=True)
class Selection:
    """What the selection kept, in memo order, and why every sentence fared as it did."""

    bottom_line: tuple[Candidate, ...]
    sections: tuple[tuple[str, tuple[Candidate, ...]], ...]
    decisions: tuple[Decision, ...]
    candidates: int


def select(
    articles: Sequence[Article], sentences: Sequence[Sentence], rules: Rules, budget: int
) -> Selection:
    """Pick the memo's bullets from ``sentences`` under ``rules`` and ``budget`` words."""
    dates = {a.key: a.published for a in articles}
    known = [d for d in dates.values() if d is not None]
    newest = max(known) if known else None
    verdicts: dict[tuple[str, int], tuple[str, bool]] = {}
    candidates: list[Candidate] = []
    scored: dict[tuple[str, int], tuple[tuple[str, float], ...]] = {}
    keys = tuple(s.rule.key for s in rules.sections)

    titles = {a.key: a.title or "" for a in articles}
    topical_articles = _topical_articles(sentences, rules, titles)
    for n, sentence in enumerate(sentences):
        ident = (sentence.article_key, sentence.index)
        following = sentences[n + 1] if n + 1 < len(sentences) else None
        paragraph_end = following is None or (following.article_key, following.paragraph) != (
            sentence.article_key,
            sentence.paragraph,
        )
        text, problem = _standalone(sentence.text, rules, paragraph_end)
        on_topic = sentence.article_key in topical_articles
        context = titles.get(sentence.article_key, "")
        values = rules.section_scores(text or sentence.text, on_topic, context)
        scores = tuple(zip(keys, values, strict=True))
        scored[ident] = scores
        if problem:
            verdicts[ident] = (problem, False)
            continue
        best = _best_section(scores, rules)
        if best is None:
            verdicts[ident] = ("no section reached its min_score", False)
            continue
        key, value = best
        candidates.append(
            Candidate(
                sentence=sentence,
                text=text,
                section=key,
                section_scores=scores,
                relevance=value,
                published=dates.get(sentence.article_key),
                words=content_words(text),
            )
        )

    common = _common_names(sentences, rules.scoring.common_name_share)
    _score(candidates, rules, newest, common)
    ranked = sorted(candidates, key=lambda c: (-c.score, c.article_key, c.sentence.index))
    points = _collapse(ranked, rules, verdicts)
    bottom, sections = _fill(points, rules, budget, newest, verdicts)

    decisions = []
    by_ident = {(c.article_key, c.sentence.index): c for c in candidates}
    for sentence in sentences:
        ident = (sentence.article_key, sentence.index)
        reason, kept = verdicts.get(ident, ("over the word budget or section limit", False))
        cand = by_ident.get(ident)
        decisions.append(
            Decision(
                article_key=sentence.article_key,
                sentence_index=sentence.index,
                text=sentence.text,
                section_scores=scored.get(ident, ()),
                section=cand.section if cand else None,
                score=round(cand.score, 3) if cand else 0.0,
                kept=kept,
                reason=reason,
            )
        )
    return Selection(
        bottom_line=tuple(bottom),
        sections=tuple((k, tuple(v)) for k, v in sections.items()),
        decisions=tuple(decisions),
        candidates=len(candidates),
    )


def _standalone(text: str, rules: Rules, paragraph_end: bool = False) -> tuple[str, str]:
    """The bullet text of a sentence, or a reason why it cannot stand alone.

    A sentence without a full stop is accepted only at the end of its
    paragraph (feed summaries often drop the last full stop), and not when
    it ends in an ellipsis or on a function word (a cut-off summary).
    """
    cand = rules.candidates
    trimmed = text.strip()
    for lead in cand.trim_leading:
        if trimmed.startswith(lead + " ") and len(trimmed) > len(lead) + 2:
            rest = trimmed[len(lead) + 1 :].lstrip()
            trimmed = rest[0].upper() + rest[1:]
            break
    if cand.trim_trailing_attribution:
        trimmed = trim_attribution(trimmed, cand.min_words)
    words = trimmed.split()
    if len(words) < cand.min_words:
        return "", f"too short ({len(words)} words)"
    if len(words) > cand.max_words:
        return "", f"too long ({len(words)} words)"
    for start in cand.unresolved_starts:
        if trimmed == start or trimmed.startswith(start + " ") or trimmed.startswith(start + ","):
            return "", f"starts with unresolved '{start}'"
    first = trimmed.lstrip("\"'“‘(")
    if first[:1].islower():
        return "", "starts mid-sentence"
    if not _END.search(trimmed):
        last = trimmed.split()[-1].lower().strip("\"'”’),;:")
        if not paragraph_end or _CUT.search(trimmed) or last in STOPWORDS or not last:
            return "", "no sentence end (a heading or a cut)"
    if trimmed.count('"') % 2 or trimmed.count("“") != trimmed.count("”"):
        return "", "quote opened or closed outside the sentence"
    return trimmed, ""


def trim_attribution(text: str, min_words: int = 1) -> str:
    """``text`` without a closing attribution clause, if what is left is a sentence.

    "Talks resumed, officials said." becomes "Talks resumed."; so does "Talks
    resumed, according to two people familiar with the plans." The rest is kept
    verbatim; a sentence whose rest would be short, or would end inside a
    quote or bracket, is returned as it was.
    """
    match = _ATTRIBUTION.search(text)
    if match is None:
        return text
    rest = text[: match.start()].rstrip()
    if len(rest.split()) < min_words or not rest[-1:].isalnum():
        return text
    quotes = rest.count('"') % 2 or rest.count("“") != rest.count("”")
    if quotes or rest.count("(") != rest.count(")"):
        return text
    return rest + "."


def _topical_articles(
    sentences: Sequence[Sentence], rules: Rules, titles: dict[str, str]
) -> set[str]:
    """Articles whose headline and sentences together reach a topic's min_score twice over."""
    totals: dict[str, list[float]] = {}
    for key, title in titles.items():
        if title:
            totals[key] = list(rules.section_scores(title, on_topic=False))
    for sentence in sentences:
        scores = rules.section_scores(sentence.text, on_topic=False)
        sums = totals.setdefault(sentence.article_key, [0.0] * len(scores))
        for i, value in enumerate(scores):
            sums[i] += value
    return {key for key, sums in totals.items() if rules.is_topical([value / 2 for value in sums])}


def _best_section(scores: tuple[tuple[str, float], ...], rules: Rules) -> tuple[str, float] | None:
    best: tuple[str, float] | None = None
    for (key, value), section in zip(scores, rules.sections, strict=True):
        if value < section.rule.min_score:
            continue
        if section.rule.takes_precedence:
            return key, value
        if best is None or value > best[1]:
            best = (key, value)
    return best


def _score(
    candidates: list[Candidate], rules: Rules, newest: date | None, common: frozenset[str]
) -> None:
    weights = rules.scoring
    # Corroboration: other articles with a sentence making the same point.
    for i, a in enumerate(candidates):
        for b in candidates[i + 1 :]:
            if a.article_key == b.article_key:
                continue
            jaccard, _ = overlap(a.words, b.words)
            if jaccard >= weights.corroboration_similarity:
                a.corroborated_by.add(b.article_key)
                b.corroborated_by.add(a.article_key)
    for c in candidates:
        recency = 0.0
        if newest is not None and c.published is not None:
            age = (newest - c.published).days
            recency = math.pow(0.5, age / weights.recency_half_life_days)
        lead = 1.0 / (1 + c.sentence.index)
        found = specifics(c.text, common)
        c.specifics = found
        c.score = (
            weights.relevance * min(c.relevance, weights.relevance_cap)
            + weights.corroboration * len(c.corroborated_by)
            + weights.recency * recency
            + weights.lead * lead
            + weights.specifics * min(found, weights.specifics_cap)
            - (weights.vague_penalty if found <= 1 else 0.0)
        )
        c.priority = c.score / math.pow(max(c.length, 1), weights.length_penalty)


def _same_point(a: Candidate, b: Candidate, threshold: float) -> bool:
    jaccard, containment = overlap(a.words, b.words)
    return jaccard >= threshold or containment >= max(0.7, threshold)


def _collapse(
    ranked: list[Candidate], rules: Rules, verdicts: dict[tuple[str, int], tuple[str, bool]]
) -> list[Candidate]:
    """One candidate per point: the best-ranked wording, the others its supporters."""
    points: list[Candidate] = []
    threshold = rules.scoring.duplicate_similarity
    for cand in ranked:
        for head in points:
            if _same_point(head, cand, threshold):
                head.supporters.append(cand)
                where = f"{head.article_key}#{head.sentence.index}"
                verdicts[(cand.article_key, cand.sentence.index)] = (
                    f"says the same as {where} (cited there)",
                    False,
                )
                break
        else:
            points.append(cand)
    return points


def _limit(limit: int, rules: Rules, budget: int) -> int:
    """A section's item limit at ``budget`` words (see ScoringRule.limit_words)."""
    per = rules.scoring.limit_words
    if per <= 0 or limit == 0:
        return limit
    return max(1, round(limit * budget / per))


def _fill(
    points: list[Candidate],
    rules: Rules,
    budget: int,
    newest: date | None,
    verdicts: dict[tuple[str, int], tuple[str, bool]],
) -> tuple[list[Candidate], dict[str, list[Candidate]]]:
    used = 0
    bottom: list[Candidate] = []
    blu = rules.bottom_line
    recent = [
        p
        for p in points
        if newest is None
        or (p.published is not None and (newest - p.published).days <= blu.max_age_days)
    ]
    # Bottom line: strongest recent points, one per section first.
    taken_sections: set[str] = set()
    for distinct in (True, False):
        for p in recent:
            if len(bottom) >= blu.max_items:
                break
            if p in bottom or (distinct and p.section in taken_sections):
                continue
            if used + p.length > budget * 0.4:
                continue
            bottom.append(p)
            taken_sections.add(p.section)
            used += p.length
    for p in bottom:
        verdicts[(p.article_key, p.sentence.index)] = (
            f"kept: bottom line (from section '{p.section}')",
            True,
        )

    # Sections: densest first (score per word, see ScoringRule.length_penalty).
    points = sorted(points, key=lambda p: -p.priority)
    queues = {
        s.rule.key: [p for p in points if p.section == s.rule.key and p not in bottom]
        for s in rules.sections
    }
    limits = {s.rule.key: _limit(s.rule.limit, rules, budget) for s in rules.sections}
    chosen: dict[str, list[Candidate]] = {s.rule.key: [] for s in rules.sections}
    progress = True
    while progress:
        progress = False
        for key, queue in queues.items():
            if len(chosen[key]) >= limits[key]:
                continue
            for p in queue:
                if used + p.length <= budget:
                    chosen[key].append(p)
                    queue.remove(p)
                    used += p.length
                    verdicts[(p.article_key, p.sentence.index)] = (f"kept: section '{key}'", True)
                    progress = True
                    break
    for key, queue in queues.items():
        for p in queue:
            why = "section limit reached" if len(chosen[key]) >= limits[key] else "over budget"
            verdicts[(p.article_key, p.sentence.index)] = (why, False)
    return bottom, chosen
