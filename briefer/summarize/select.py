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

Articles are read one at a time (:class:`Selector`) and only candidates
are kept, so memory grows with the candidates, not with the text. A
paragraph whose cues cannot make any of its sentences a candidate is not
split into sentences (``--explain`` shows it as one entry saying so); the
memo is the one a split of every paragraph gives. Comparisons between
candidates go through an inverted index of their words when there are many.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from ..models import Article, Decision, Sentence
from .rules import ParagraphCues, Rules
from .segment import split_sentences

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
_QUESTION = re.compile(r"""\?["'”’)\]]*$""")
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
    joined: bool = False  # the text opens with the sentence before (see join_previous)
    headline: bool = False  # the article's headline (sentence index HEADLINE)

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
    by_article: dict[str, list[Sentence]] = {}
    for sentence in sentences:
        by_article.setdefault(sentence.article_key, []).append(sentence)
    selector = Selector(rules)
    for article in articles:
        selector.add_sentences(article, by_article.get(article.key, []))
    return selector.finish(budget)


# Why a paragraph was not split into sentences (see Selector.add).
NOT_SPLIT = "paragraph not split: its cues cannot reach any section's min_score"

_Ident = tuple[str, int]


class Selector:
    """Selection one article at a time, keeping only candidates and verdicts.

    :meth:`add` splits an article with the configured splitter only where
    it matters. Per paragraph, :meth:`Rules.article_cues` bounds what any of
    its sentences can score; a paragraph none of whose sentences can become
    a candidate, and whose cues cannot change whether its article is on a
    topic, is not split: it appears in the decisions as one entry. An
    article that yields a candidate is split whole, so sentence positions
    (the lead bonus) and the names counted for ``common_name_share`` are
    those of a full split. The memo is the same as with every paragraph
    split; only the work differs.

    Verdicts on every sentence are kept only with ``explain``; without it,
    only candidates are kept and :attr:`sentences` counts the sentences
    scored (those of split paragraphs).
    """

    def __init__(self, rules: Rules, splitter: str = "syntok", explain: bool = True) -> None:
        self.rules = rules
        self.splitter = splitter
        self.explain = explain
        self.topical = [i for i, s in enumerate(rules.sections) if not s.rule.requires_topic]
        self.gated = [i for i, s in enumerate(rules.sections) if s.rule.requires_topic]
        self.keys = tuple(s.rule.key for s in rules.sections)
        self.dates: dict[str, date | None] = {}
        self.candidates: list[Candidate] = []
        # Decisions in reading order; a candidate's waits for the final verdict.
        self.entries: list[Decision | Candidate] = []
        self.sentences = 0
        self.name_articles: dict[str, int] = {}  # name -> candidate articles naming it
        self.candidate_articles = 0

    def add(self, article: Article) -> bool:
        """Read one article: split where needed, score, keep its candidates.

        True if it gave a candidate (only such an article can be cited).
        """
        rules = self.rules
        title = article.title or ""
        # Bounds for the topic sections first: requires_topic sections count
        # only in an article that may be on a topic, or beside a sentence that
        # may be (see Rules.topic_scores); otherwise their bounds stay 0.
        met = rules.context_meets(title) if title else None
        # The headline rides along as a last paragraph: a headline without a
        # cue for any topic section scores 0 everywhere, without scoring it.
        cues = rules.article_cues((*article.paragraphs, title), title, self.topical, met)
        title_cue = cues.pop()
        title_scores = self._title_scores(title if any(title_cue.best) else "")
        # The topic test of _article (headline plus all sentences), on upper bounds.
        sums = list(title_scores)
        for cue in cues:
            for i, value in enumerate(cue.total):
                sums[i] += value
        maybe_topical = rules.is_topical([value / 2 for value in sums])
        if self.gated and (maybe_topical or (cues and rules.is_topical(_peaks(cues)))):
            more = rules.article_cues(article.paragraphs, title, self.gated, met)
            cues = [
                ParagraphCues(
                    tuple(a + b for a, b in zip(c.best, m.best, strict=True)),
                    tuple(a + b for a, b in zip(c.total, m.total, strict=True)),
                )
                for c, m in zip(cues, more, strict=True)
            ]
        topics = [(i, s.rule.min_score) for i, s in enumerate(rules.sections)]
        wanted = []
        for cue in cues:
            need = False
            for i, low in topics:
                section = rules.sections[i].rule
                if cue.best[i] >= low and (not section.requires_topic or maybe_topical):
                    need = True
                    break
                if maybe_topical and not section.requires_topic and cue.total[i] > 0:
                    need = True
                    break
            wanted.append(need)
        if rules.candidates.join_previous:
            # A wanted paragraph opening with "He ..." may join the sentence
            # before it: the paragraph before must be split too.
            paragraphs = article.paragraphs
            for number in range(1, len(wanted)):
                if wanted[number] and not wanted[number - 1]:
                    wanted[number - 1] = opens_unresolved(paragraphs[number], rules)
        # A headline with a cue may itself be a candidate: then split as for any.
        headline = article.headline if rules.candidates.headlines else None
        headline_may = bool(headline) and (headline != title or any(title_cue.best))
        split: dict[int, list[str]] = {}
        if any(wanted) or headline_may:
            for number, paragraph in enumerate(article.paragraphs):
                if wanted[number]:
                    split[number] = split_sentences(paragraph, self.splitter)
            if self._article(article, split, cues, title_scores, dry_run=True, met=met):
                for number, paragraph in enumerate(article.paragraphs):
                    if number not in split:
                        split[number] = split_sentences(paragraph, self.splitter)
        return self._article(article, split, cues, title_scores, met=met)

    def add_sentences(self, article: Article, sentences: Sequence[Sentence]) -> None:
        """Read one article already split into ``sentences`` (every one is scored)."""
        self._article(article, None, None, self._title_scores(article.title or ""), given=sentences)

    def _title_scores(self, title: str) -> tuple[float, ...]:
        if not title:
            return (0.0,) * len(self.keys)
        return self.rules.section_scores(title, on_topic=False)

    def _article(
        self,
        article: Article,
        split: dict[int, list[str]] | None,
        cues: Sequence[ParagraphCues] | None,
        title_scores: tuple[float, ...],
        dry_run: bool = False,
        given: Sequence[Sentence] | None = None,
        met: tuple[bool, ...] | None = None,
    ) -> bool:
        """Score one article's sentences; with ``dry_run``, only say if one is a candidate.

        ``split`` holds the sentences of the paragraphs that were split;
        the others count as many sentences as the fast splitter finds.
        """
        rules = self.rules
        title = article.title or ""
        units: list[Sentence | tuple[int, int, str, int]] = []  # sentences, unsplit paragraphs
        if given is not None:
            units.extend(given)
        else:
            assert split is not None
            index = 0
            for number, paragraph in enumerate(article.paragraphs):
                texts = split.get(number)
                if texts is None:
                    if not self.explain or dry_run:
                        continue
                    count = len(split_sentences(paragraph, "fast"))
                    units.append((index, number, paragraph, count))
                    index += count
                    continue
                for text in texts:
                    units.append(Sentence(article.key, index, number, text, len(text.split())))
                    index += 1
        sentences = [u for u in units if isinstance(u, Sentence)]
        bounds: dict[int, tuple[float, ...]] = {}
        if cues is not None:
            bounds = {n: cue.best for n, cue in enumerate(cues)}
        raw = [rules.raw_scores(s.text, bounds.get(s.paragraph)) for s in sentences]
        # On a topic: headline and sentences together reach a topic's min_score twice over.
        sums = list(title_scores)
        for values in raw:
            for i, value in enumerate(rules.topic_scores(values, False)):
                sums[i] += value
        on_topic = rules.is_topical([value / 2 for value in sums])

        # Which sections' require_any the headline meets, once for all sentences.
        if met is None and title:
            met = rules.context_meets(title)
        found: list[Candidate] = []
        entries: list[Decision | Candidate] = []
        published = article.published
        for n, sentence in enumerate(sentences):
            following = sentences[n + 1] if n + 1 < len(sentences) else None
            paragraph_end = following is None or following.paragraph != sentence.paragraph
            text, problem = _standalone(sentence.text, rules, paragraph_end)
            bound = bounds.get(sentence.paragraph)
            joined = False
            if problem.startswith(UNRESOLVED) and n and rules.candidates.join_previous:
                # "He is also expected to ..." can stand with the sentence before it.
                before = sentences[n - 1]
                if before.paragraph in (sentence.paragraph, sentence.paragraph - 1) and (
                    _ends_whole(before.text)
                ):
                    both, trouble = _standalone(
                        f"{before.text} {sentence.text}", rules, paragraph_end
                    )
                    if not trouble:
                        text, problem, joined = both, "", True
            if joined:
                # Scored as the sentence itself: the one before only gives it context.
                values = rules.raw_scores(sentence.text, bound, met=met)
            elif (text and text != sentence.text) or (met and any(met)):
                values = rules.raw_scores(text or sentence.text, bound, met=met)
            else:
                values = raw[n]
            scores, best = self._judged(values, on_topic, problem)
            if best is None:
                if dry_run or not self.explain:
                    continue
                reason = problem or "no section reached its min_score"
                entries.append(_decision(sentence, scores, reason))
                continue
            if dry_run:
                return True
            cand = _candidate(sentence, text, scores, best, published, joined=joined)
            found.append(cand)
            entries.append(cand)
        # The headline stands in for an article whose body offers no candidate
        # (a feed item cut short, say); it never displaces the body's own words.
        if not found and rules.candidates.headlines and article.headline:
            head = Sentence(
                article.key, HEADLINE, HEADLINE, article.headline, len(article.headline.split())
            )
            text, problem = _standalone(head.text, rules, heading=True)
            values = rules.raw_scores(text or head.text, met=met)
            scores, best = self._judged(values, on_topic, problem)
            if best is not None:
                if dry_run:
                    return True
                cand = _candidate(head, text, scores, best, published, headline=True)
                found.append(cand)
                entries.append(cand)
            elif self.explain and not dry_run:
                entries.append(
                    _decision(head, scores, problem or "no section reached its min_score")
                )
        if dry_run:
            return False
        self.dates[article.key] = published
        self.sentences += sum(1 if isinstance(u, Sentence) else u[3] for u in units)
        if self.explain:
            # Unsplit paragraphs keep their place among the decisions.
            at = 0
            for unit in units:
                if isinstance(unit, Sentence):
                    at += 1
                    continue
                index, number, paragraph, count = unit
                plural = "s" if count != 1 else ""
                shown = f"{NOT_SPLIT} ({count} sentence{plural} by the fast splitter)"
                entries.insert(
                    at, Decision(article.key, index, paragraph, (), None, 0.0, False, shown)
                )
                at += 1
            self.entries.extend(entries)
        if found:
            self.candidates.extend(found)
            self.candidate_articles += 1
            names: set[str] = set()
            for sentence in sentences:
                names |= _specific_parts(sentence.text)[1]
            for name in names:
                self.name_articles[name] = self.name_articles.get(name, 0) + 1
        return bool(found)

    def _judged(
        self, values: tuple[float, ...], on_topic: bool, problem: str
    ) -> tuple[tuple[tuple[str, float], ...], tuple[str, float] | None]:
        """Section scores of a text, and its section and score if it is a candidate."""
        scores = tuple(zip(self.keys, self.rules.topic_scores(values, on_topic), strict=True))
        return scores, None if problem else _best_section(scores, self.rules)

    def finish(self, budget: int) -> Selection:
        """Score, collapse and fill: the memo's bullets and every decision."""
        rules = self.rules
        known = [d for d in self.dates.values() if d is not None]
        newest = max(known) if known else None
        verdicts: dict[_Ident, tuple[str, bool]] = {}
        candidates = self.candidates
        common = self._common_names(rules.scoring.common_name_share)
        _score(candidates, rules, newest, common)
        ranked = sorted(candidates, key=lambda c: (-c.score, c.article_key, c.sentence.index))
        points = _collapse(ranked, rules, verdicts)
        bottom, sections = _fill(points, rules, budget, newest, verdicts)

        decisions = []
        for entry in self.entries:
            if isinstance(entry, Decision):
                decisions.append(entry)
                continue
            ident = (entry.article_key, entry.sentence.index)
            reason, kept = verdicts.get(ident, ("over the word budget or section limit", False))
            if entry.joined:  # show the bullet: this sentence and the one before
                reason += " (joined to the sentence before)"
            decisions.append(
                Decision(
                    article_key=entry.article_key,
                    sentence_index=entry.sentence.index,
                    text=entry.text if entry.joined else entry.sentence.text,
                    section_scores=entry.section_scores,
                    section=entry.section,
                    score=round(entry.score, 3),
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

    def _common_names(self, share: float) -> frozenset[str]:
        """Names found in more than ``share`` of the articles offering a candidate (>= 3)."""
        total = self.candidate_articles
        if share >= 1.0 or total < 3:
            return frozenset()
        return frozenset(n for n, count in self.name_articles.items() if count > share * total)


def _candidate(
    sentence: Sentence,
    text: str,
    scores: tuple[tuple[str, float], ...],
    best: tuple[str, float],
    published: date | None,
    joined: bool = False,
    headline: bool = False,
) -> Candidate:
    return Candidate(
        sentence=sentence,
        text=text,
        section=best[0],
        section_scores=scores,
        relevance=best[1],
        published=published,
        words=content_words(text),
        joined=joined,
        headline=headline,
    )


def _peaks(cues: Sequence[ParagraphCues]) -> tuple[float, ...]:
    """Per section, the highest bound of any one paragraph."""
    return tuple(max(values) for values in zip(*(c.best for c in cues), strict=True))


def _decision(sentence: Sentence, scores: tuple[tuple[str, float], ...], reason: str) -> Decision:
    return Decision(
        article_key=sentence.article_key,
        sentence_index=sentence.index,
        text=sentence.text,
        section_scores=scores,
        section=None,
        score=0.0,
        kept=False,
        reason=reason,
    )


def _standalone(
    text: str, rules: Rules, paragraph_end: bool = False, heading: bool = False
) -> tuple[str, str]:
    """The bullet text of a sentence, or a reason why it cannot stand alone.

    A sentence without a full stop is accepted only at the end of its
    paragraph (feed summaries often drop the last full stop), and not when
    it ends in an ellipsis or on a function word (a cut-off summary). A
    ``heading`` (an article's headline) needs no full stop, only no ellipsis.
    """
    cand = rules.candidates
    trimmed = _trim_leading(text, rules)
    if cand.trim_trailing_attribution:
        trimmed = trim_attribution(trimmed, cand.min_words)
    words = trimmed.split()
    if len(words) < cand.min_words:
        return "", f"too short ({len(words)} words)"
    if len(words) > cand.max_words:
        return "", f"too long ({len(words)} words)"
    start = _unresolved_start(trimmed, rules)
    if start is not None:
        return "", f"{UNRESOLVED} '{start}'"
    first = trimmed.lstrip("\"'“‘(")
    if first[:1].islower():
        return "", "starts mid-sentence"
    if heading:
        if _CUT.search(trimmed):
            return "", "a headline cut short"
    elif not _END.search(trimmed):
        last = trimmed.split()[-1].lower().strip("\"'”’),;:")
        if not paragraph_end or _CUT.search(trimmed) or last in STOPWORDS or not last:
            return "", "no sentence end (a heading or a cut)"
    if _QUESTION.search(trimmed):
        return "", "a question, not a finding"
    if trimmed.count('"') % 2 or trimmed.count("“") != trimmed.count("”"):
        return "", "quote opened or closed outside the sentence"
    return trimmed, ""


UNRESOLVED = "starts with unresolved"
HEADLINE = -1  # sentence index (and paragraph) of an article's headline


def _ends_whole(text: str) -> bool:
    """Whether ``text`` ends as a finished statement: a full stop or "!", no cut, no question."""
    text = text.strip()
    return bool(_END.search(text)) and not _CUT.search(text) and not _QUESTION.search(text)


def opens_unresolved(text: str, rules: Rules) -> bool:
    """Whether ``text`` (a paragraph or sentence) opens with an unresolved_starts word.

    The same test as in :func:`_standalone`, after a leading connective is trimmed.
    """
    return _unresolved_start(_trim_leading(text, rules), rules) is not None


def _trim_leading(text: str, rules: Rules) -> str:
    """``text`` stripped, without a leading connective ("But", "However,"), recapitalised."""
    trimmed = text.strip()
    for lead in rules.candidates.trim_leading:
        if trimmed.startswith(lead + " ") and len(trimmed) > len(lead) + 2:
            rest = trimmed[len(lead) + 1 :].lstrip()
            return rest[0].upper() + rest[1:]
    return trimmed


def _unresolved_start(trimmed: str, rules: Rules) -> str | None:
    """The unresolved_starts word ``trimmed`` opens with, if any."""
    for start in rules.candidates.unresolved_starts:
        if trimmed == start or trimmed.startswith(start + " ") or trimmed.startswith(start + ","):
            return start
    return None


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
    if len(candidates) <= PAIRWISE_LIMIT:
        for i, a in enumerate(candidates):
            for b in candidates[i + 1 :]:
                if a.article_key == b.article_key:
                    continue
                jaccard, _ = overlap(a.words, b.words)
                if jaccard >= weights.corroboration_similarity:
                    a.corroborated_by.add(b.article_key)
                    b.corroborated_by.add(a.article_key)
    else:
        index = _OverlapIndex([c.words for c in candidates])
        threshold = weights.corroboration_similarity
        for i, a in enumerate(candidates):
            for j in index.similar(i, threshold):
                b = candidates[j]
                if b.article_key != a.article_key:
                    a.corroborated_by.add(b.article_key)
    for c in candidates:
        recency = 0.0
        if newest is not None and c.published is not None:
            age = (newest - c.published).days
            recency = math.pow(0.5, age / weights.recency_half_life_days)
        lead = 1.0 / (1 + max(c.sentence.index, 0))  # a headline counts as the lead
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
    if len(ranked) <= PAIRWISE_LIMIT:
        for cand in ranked:
            for head in points:
                if _same_point(head, cand, threshold):
                    _support(head, cand, verdicts)
                    break
            else:
                points.append(cand)
        return points
    # The first point (in rank order) that says the same, found among all
    # earlier candidates sharing a word with this one.
    index = _OverlapIndex([c.words for c in ranked])
    containment = max(0.7, threshold)
    for r, cand in enumerate(ranked):
        head = index.first_point(r, threshold, containment)
        if head is None:
            index.mark_point(r)
            points.append(cand)
        else:
            _support(ranked[head], cand, verdicts)
    return points


def _support(
    head: Candidate, cand: Candidate, verdicts: dict[tuple[str, int], tuple[str, bool]]
) -> None:
    head.supporters.append(cand)
    where = f"{head.article_key}#{head.sentence.index}"
    verdicts[(cand.article_key, cand.sentence.index)] = (
        f"says the same as {where} (cited there)",
        False,
    )


# Up to this many candidates, pairs are compared one by one; above, through
# an inverted index of words (same results, a fraction of the work).
PAIRWISE_LIMIT = 300


class _OverlapIndex:
    """Word overlap of one word set with all others, via an inverted index (numpy).

    For set ``i`` the counts of shared words with every other set come from
    the posting lists of ``i``'s words only; Jaccard and containment are
    then the same divisions :func:`overlap` makes, so results are identical.
    """

    def __init__(self, sets: Sequence[frozenset[str]]) -> None:
        import numpy as np

        self.np = np
        ids: dict[str, int] = {}
        rows: list[list[int]] = []
        postings: list[list[int]] = []
        for n, words in enumerate(sets):
            row = []
            for word in words:
                w = ids.get(word)
                if w is None:
                    w = ids[word] = len(postings)
                    postings.append([])
                postings[w].append(n)
                row.append(w)
            rows.append(row)
        self.rows = rows
        self.postings = [np.array(p, dtype=np.int64) for p in postings]
        self.sizes = np.array([len(w) for w in sets], dtype=np.float64)
        self.count = len(sets)
        self.points = np.zeros(len(sets), dtype=bool)

    def _shared(self, i: int, upto: int | None = None):  # -> np.ndarray
        np = self.np
        row = self.rows[i]
        if not row:
            return None
        lists = [self.postings[w] for w in row]
        if upto is not None:
            lists = [p[: np.searchsorted(p, upto)] for p in lists]
        return np.bincount(np.concatenate(lists), minlength=upto or self.count)

    def similar(self, i: int, jaccard: float) -> list[int]:
        """Sets other than ``i`` whose Jaccard similarity with ``i`` is at least ``jaccard``."""
        np = self.np
        shared = self._shared(i)
        if shared is None:
            return []
        union = self.sizes[i] + self.sizes - shared
        hits = np.flatnonzero((shared > 0) & (shared / np.maximum(union, 1) >= jaccard))
        return [int(j) for j in hits if j != i]

    def first_point(self, r: int, jaccard: float, containment: float) -> int | None:
        """The first marked set before ``r`` that ``r`` overlaps enough with, if any."""
        np = self.np
        if r == 0:
            return None
        shared = self._shared(r, upto=r)
        if shared is None:
            return None
        sizes = self.sizes[:r]
        union = self.sizes[r] + sizes - shared
        smaller = np.minimum(self.sizes[r], sizes)
        same = (shared > 0) & (
            (shared / np.maximum(union, 1) >= jaccard)
            | (shared / np.maximum(smaller, 1) >= containment)
        )
        same &= self.points[:r]
        hits = np.flatnonzero(same)
        return int(hits[0]) if len(hits) else None

    def mark_point(self, r: int) -> None:
        self.points[r] = True


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
        if not p.joined
        and not p.headline  # the bottom line takes body sentences
        and (
            newest is None
            or (p.published is not None and (newest - p.published).days <= blu.max_age_days)
        )
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
    # In the memo, newest first (then strongest): a section read top down
    # runs back in time, so an older point never reads as the latest.
    for items in chosen.values():
        items.sort(key=_newest_first)
    return bottom, chosen


def _newest_first(p: Candidate) -> tuple[bool, int, float]:
    return (p.published is None, -(p.published or date.min).toordinal(), -p.score)
