"""Quality benchmark: briefer's memo against extractive baselines.

Every system gets the same articles and the same word budget; each memo is
a list of bullets ``(section_key, text)`` and is scored against the key
facts in ``bench/facts.toml``:

* weighted recall: weight of the facts found in any bullet / total weight
  (a fact is found in a bullet when all of its patterns match the bullet);
* section accuracy: of the facts found, the share found in a bullet of the
  fact's own section or of the bottom line ("n/a" for the baselines, which
  have no sections);
* body words: words in all bullets (whitespace split, as briefer counts);
* near-duplicate pairs: bullet pairs whose content-word sets (lowercased,
  stop words removed) have Jaccard >= 0.5, or where the smaller set is
  >= 80% contained in the other;
* fidelity: share of bullets found verbatim in a source article (whitespace
  collapsed, curly quotes straightened, trailing punctuation ignored; a
  bullet may drop a source sentence's leading connective such as "But" or
  "However," and capitalize the next word).

Baselines: Lead (first sentences of each article, round robin) and sumy's
LexRank, TextRank, LSA and Luhn over all articles; sentences are taken in
ranking order, skipping any that would overrun the budget.

Run from the project root::

    .venv/bin/python bench/quality.py                  # budgets 400, 700, 1000
    .venv/bin/python bench/quality.py --budgets 700
    .venv/bin/python bench/quality.py --seeds DIR --facts FILE
    .venv/bin/python bench/quality.py --check-facts [--verbose]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS = ROOT / "seeds"
DEFAULT_FACTS = ROOT / "bench" / "facts.toml"
RESULTS_DIR = ROOT / "bench" / "results"
DEFAULT_BUDGETS = (400, 700, 1000)

SECTIONS = ("gaza", "iran", "normalization", "open_questions")
BOTTOM_LINE = "bottom_line"
NO_SECTION = "none"
WEIGHTS = {"headline": 2.0, "supporting": 1.0}
ARTICLE_SUFFIXES = (".txt", ".md")

JACCARD_LIMIT = 0.5
CONTAINMENT_LIMIT = 0.8

Bullet = tuple[str, str]
"""One memo bullet: ``(section_key, text)``."""


# ------------------------------------------------------------------ records


@dataclass(frozen=True)
class Fact:
    """A key fact and the regexes that recognize it in one bullet."""

    id: str
    text: str
    section: str
    weight: float
    patterns: tuple[re.Pattern[str], ...]

    def matches(self, text: str) -> bool:
        """True when every pattern matches ``text`` (normalized first)."""
        norm = normalize_text(text)
        return all(p.search(norm) for p in self.patterns)


@dataclass(frozen=True)
class SourceArticle:
    """One article file as read from disk."""

    name: str
    text: str  # raw file contents

    @property
    def body(self) -> str:
        """The text a user would feed a summarizer: minus a leading date token."""
        return _DATE_TOKEN.sub("", self.text, count=1)


@dataclass(frozen=True)
class Scores:
    """The scores of one memo; the tuples say which facts and bullets count."""

    recall: float
    section_accuracy: float | None  # None: not applicable (no sections)
    body_words: int
    near_dup_pairs: int
    fidelity: float | None  # None: no bullets
    bullets: int
    found: tuple[str, ...]
    missed: tuple[str, ...]
    misplaced: tuple[str, ...]
    dup_pairs: tuple[tuple[int, int], ...]
    unfaithful: tuple[int, ...]  # indexes of bullets not found verbatim


@dataclass(frozen=True)
class Row:
    """One line of the results table."""

    system: str
    budget: int
    scores: Scores | None
    seconds: float
    error: str | None = None
    bullets: tuple[Bullet, ...] = ()


# ------------------------------------------------------------------ text

_DATE_TOKEN = re.compile(r"\A\s*date\s+\d{4}-\d{2}-\d{2}\b\s*", re.IGNORECASE)
_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
    }
)
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")
_CONTENT_TOKEN = re.compile(r"[a-z0-9]+")
_TERMINAL = re.compile(r"[.!?:;\"')\]\u201d\u2019]\s*$")

# Connectives a bullet may drop from the start of its source sentence.
CONNECTIVES = (
    "but",
    "however",
    "and",
    "yet",
    "still",
    "meanwhile",
    "also",
    "so",
    "moreover",
    "furthermore",
    "further",
    "nevertheless",
    "nonetheless",
    "instead",
    "indeed",
    "besides",
    "then",
    "thus",
    "hence",
    "now",
    "therefore",
    "consequently",
    "accordingly",
    "additionally",
    "in addition",
    "separately",
    "similarly",
    "likewise",
    "in turn",
    "even so",
    "by contrast",
    "in contrast",
    "on the other hand",
    "at the same time",
    "for his part",
    "for her part",
    "for its part",
    "for their part",
    "overall",
    "ultimately",
    "though",
)
_CONNECTIVE_BEFORE = re.compile(
    r"(?:^|[\s\"'(\[\u2014\u2013-])(?:"
    + "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in CONNECTIVES)
    + r")\s*[,;:]?\s*$",
    re.IGNORECASE,
)


def normalize_text(text: str) -> str:
    """Straight quotes, whitespace runs collapsed to one space, trimmed."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip()


def word_count(text: str) -> int:
    """Words as briefer counts them (whitespace split)."""
    return len(text.split())


def paragraphs(text: str) -> list[str]:
    """Paragraphs of an article file: one per line, hard wraps re-joined.

    The seed files hold one paragraph per line. A line that does not end a
    sentence and is followed by a line starting in lower case is taken to be
    hard-wrapped and joined with the next one.
    """
    out: list[str] = []
    joinable = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            joinable = False
            continue
        if joinable and out and line[0].islower():
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        joinable = not _TERMINAL.search(out[-1])
    return out


def segment(paragraph: str) -> list[str]:
    """Sentences of one paragraph (syntok), as verbatim slices of it."""
    from syntok import segmenter
    from syntok.tokenizer import Tokenizer

    tokenizer = Tokenizer(replace_not_contraction=False)
    out = []
    for tokens in segmenter.split(tokenizer.tokenize(paragraph)):
        if not tokens:
            continue
        start = tokens[0].offset
        end = tokens[-1].offset + len(tokens[-1].value)
        piece = paragraph[start:end].strip()
        if piece:
            out.append(piece)
    return out


def split_sentences(text: str) -> list[str]:
    """Every sentence of an article text, in order."""
    return [s for p in paragraphs(text) for s in segment(p)]


def load_articles(folder: Path) -> list[SourceArticle]:
    """The article files of ``folder`` (.txt, .md), sorted by name."""
    files = sorted(
        p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
    )
    return [SourceArticle(p.name, p.read_text(encoding="utf-8")) for p in files]


def load_facts(path: Path) -> list[Fact]:
    """Read ``[[fact]]`` tables; any malformed fact is a ValueError."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    facts: list[Fact] = []
    seen: set[str] = set()
    problems: list[str] = []
    for n, entry in enumerate(data.get("fact", []), start=1):
        fid = str(entry.get("id", f"#{n}"))
        where = f"{path}: fact {fid}"
        if fid in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(fid)
        section = entry.get("section")
        if section not in SECTIONS:
            problems.append(f"{where}: section must be one of {', '.join(SECTIONS)}")
        weight = entry.get("weight")
        if weight not in WEIGHTS:
            problems.append(f"{where}: weight must be one of {', '.join(WEIGHTS)}")
        raw_patterns = entry.get("patterns")
        if not isinstance(raw_patterns, list) or not raw_patterns:
            problems.append(f"{where}: patterns must be a non-empty list")
            raw_patterns = []
        compiled = []
        for pattern in raw_patterns:
            try:
                compiled.append(re.compile(str(pattern), re.IGNORECASE))
            except re.error as exc:
                problems.append(f"{where}: bad pattern {pattern!r}: {exc}")
        if not entry.get("text"):
            problems.append(f"{where}: text is missing")
        facts.append(
            Fact(
                id=fid,
                text=str(entry.get("text", "")),
                section=str(section),
                weight=WEIGHTS.get(str(weight), 0.0),
                patterns=tuple(compiled),
            )
        )
    if not facts:
        problems.append(f"{path}: no [[fact]] tables")
    if problems:
        raise ValueError("\n".join(problems))
    return facts


# ------------------------------------------------------------------ scoring


def _matches(facts: Sequence[Fact], bullets: Sequence[Bullet]) -> dict[str, list[int]]:
    """For each fact id, the indexes of the bullets it is found in."""
    return {f.id: [i for i, (_, text) in enumerate(bullets) if f.matches(text)] for f in facts}


def weighted_recall(bullets: Sequence[Bullet], facts: Sequence[Fact]) -> float:
    """Weight of the facts found in any bullet over the total weight."""
    total = sum(f.weight for f in facts)
    hits = _matches(facts, bullets)
    return sum(f.weight for f in facts if hits[f.id]) / total if total else 0.0


def section_accuracy(bullets: Sequence[Bullet], facts: Sequence[Fact]) -> float | None:
    """Of the facts found, the share found in their own section or the bottom line.

    None when no fact is found.
    """
    hits = _matches(facts, bullets)
    found = [f for f in facts if hits[f.id]]
    if not found:
        return None
    placed = [f for f in found if _well_placed(f, hits[f.id], bullets)]
    return len(placed) / len(found)


def _well_placed(fact: Fact, where: Iterable[int], bullets: Sequence[Bullet]) -> bool:
    return any(_section(bullets[i][0]) in (fact.section, BOTTOM_LINE) for i in where)


# The figures of one Open questions entry share a key: "open_questions#2" (see memo_bullets).
_ENTRY = "#"


def _section(key: str) -> str:
    """The section of a bullet's key (a figure's key names its entry too)."""
    return key.split(_ENTRY, 1)[0]


def body_words(bullets: Sequence[Bullet]) -> int:
    """Words in all bullets."""
    return sum(word_count(text) for _, text in bullets)


def _stop_words() -> frozenset[str]:
    from sumy.utils import get_stop_words

    return frozenset(w.lower() for w in get_stop_words("english"))


_STOP_WORDS: frozenset[str] | None = None


def content_words(text: str) -> frozenset[str]:
    """Lowercased word tokens of ``text`` minus stop words and single letters."""
    global _STOP_WORDS
    if _STOP_WORDS is None:
        _STOP_WORDS = _stop_words()
    tokens = _CONTENT_TOKEN.findall(normalize_text(text).lower())
    return frozenset(t for t in tokens if len(t) > 1 and t not in _STOP_WORDS)


def is_near_duplicate(a: str, b: str) -> bool:
    """Jaccard >= 0.5 or containment of the smaller set >= 0.8."""
    wa, wb = content_words(a), content_words(b)
    if not wa or not wb:
        return False
    common = len(wa & wb)
    return (
        common / len(wa | wb) >= JACCARD_LIMIT
        or common / min(len(wa), len(wb)) >= CONTAINMENT_LIMIT
    )


def near_duplicate_pairs(bullets: Sequence[Bullet]) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)``, i < j, of near-duplicate bullets.

    The figures of an Open questions entry ("at least 13" beside "Eight
    people killed") quote, on purpose, what bullets already tell, to set
    the sources' figures side by side: they are not counted.
    """
    return [
        (i, j)
        for (i, (x, a)), (j, (y, b)) in combinations(enumerate(bullets), 2)
        if _ENTRY not in x and _ENTRY not in y and is_near_duplicate(a, b)
    ]


def _bounded(source: str, start: int, end: int) -> bool:
    before = source[start - 1] if start > 0 else " "
    after = source[end] if end < len(source) else " "
    return not before.isalnum() and not after.isalnum()


def is_verbatim(text: str, sources: Iterable[str]) -> bool:
    """True when ``text`` appears word-for-word in one of ``sources``.

    Both sides are normalized (:func:`normalize_text`); the bullet's trailing
    punctuation is ignored, and a bullet whose first letter is capitalized
    only because a leading connective ("But", "However,") was dropped also
    counts. ``sources`` must already be normalized.
    """
    bullet = re.sub(r"[\s.,;:!?\u2014\u2013-]+$", "", normalize_text(text))
    if not bullet:
        return False
    lowered = bullet[0].lower() + bullet[1:]
    for source in sources:
        for start in _find_all(source, bullet):
            if _bounded(source, start, start + len(bullet)):
                return True
        if lowered == bullet:
            continue
        for start in _find_all(source, lowered):
            if _bounded(source, start, start + len(lowered)) and _CONNECTIVE_BEFORE.search(
                source[max(0, start - 40) : start]
            ):
                return True
    return False


def _find_all(haystack: str, needle: str) -> Iterator[int]:
    start = haystack.find(needle)
    while start >= 0:
        yield start
        start = haystack.find(needle, start + 1)


def fidelity(bullets: Sequence[Bullet], articles: Sequence[SourceArticle]) -> float | None:
    """Share of bullets found verbatim in a source article (None: no bullets)."""
    if not bullets:
        return None
    sources = [normalize_text(a.text) for a in articles]
    return sum(is_verbatim(text, sources) for _, text in bullets) / len(bullets)


def score_memo(
    bullets: Sequence[Bullet],
    facts: Sequence[Fact],
    articles: Sequence[SourceArticle],
    *,
    sectioned: bool = True,
) -> Scores:
    """All scores of one memo. ``sectioned=False`` (baselines): accuracy is n/a."""
    hits = _matches(facts, bullets)
    total = sum(f.weight for f in facts)
    found = [f for f in facts if hits[f.id]]
    misplaced = [f.id for f in found if not _well_placed(f, hits[f.id], bullets)]
    accuracy = None
    if sectioned and found:
        accuracy = (len(found) - len(misplaced)) / len(found)
    sources = [normalize_text(a.text) for a in articles]
    unfaithful = tuple(i for i, (_, text) in enumerate(bullets) if not is_verbatim(text, sources))
    pairs = tuple(near_duplicate_pairs(bullets))
    return Scores(
        recall=sum(f.weight for f in found) / total if total else 0.0,
        section_accuracy=accuracy,
        body_words=body_words(bullets),
        near_dup_pairs=len(pairs),
        fidelity=(len(bullets) - len(unfaithful)) / len(bullets) if bullets else None,
        bullets=len(bullets),
        found=tuple(f.id for f in found),
        missed=tuple(f.id for f in facts if not hits[f.id]),
        misplaced=tuple(misplaced) if sectioned else (),
        dup_pairs=pairs,
        unfaithful=unfaithful,
    )


# ------------------------------------------------------------------ baselines


def fill_budget(sentences: Iterable[str], budget: int) -> list[str]:
    """Sentences in the given order, skipping any that would overrun ``budget``."""
    chosen: list[str] = []
    used = 0
    for sentence in sentences:
        n = word_count(sentence)
        if n == 0 or used + n > budget:
            continue
        chosen.append(sentence)
        used += n
        if used == budget:
            break
    return chosen


def lead_baseline(articles: Sequence[SourceArticle], budget: int) -> list[Bullet]:
    """First sentences of each article, round robin across articles."""
    per_article = [split_sentences(a.body) for a in articles]
    depth = max((len(s) for s in per_article), default=0)
    order = [s[k] for k in range(depth) for s in per_article if k < len(s)]
    return [(NO_SECTION, s) for s in fill_budget(order, budget)]


# Where a sentence may be cut into clauses for the clause oracle: after a
# comma, semicolon or colon, and before a dash or a joining word.
_CLAUSE_CUT = re.compile(
    r"(?<=[,;:])\s+|\s+(?=[–—]\s)"
    r"|\s+(?=(?:while|but|which|and|after|as|although|where|because)\s)"
)
ORACLES = ("oracle-sentences", "oracle-clauses")


def clause_spans(sentence: str) -> list[str]:
    """Every run of consecutive clauses of ``sentence`` (the sentence itself included)."""
    parts = [p for p in _CLAUSE_CUT.split(sentence) if p]
    return [" ".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)]


def oracle_bullets(
    articles: Sequence[SourceArticle], facts: Sequence[Fact], budget: int, clauses: bool
) -> list[Bullet]:
    """A reference point, not a system: greedy choice knowing the facts.

    Repeatedly takes the source span (a whole sentence, or with ``clauses``
    any run of consecutive clauses of one) that adds the most fact weight
    per word and still fits ``budget``. Shows how much any extractive memo
    of that granularity can carry at that length.
    """
    spans: dict[str, frozenset[str]] = {}
    for article in articles:
        for sentence in split_sentences(article.body):
            for span in clause_spans(sentence) if clauses else [sentence]:
                found = frozenset(f.id for f in facts if f.matches(span))
                if found:
                    spans[span] = found
    weight = {f.id: f.weight for f in facts}
    got: set[str] = set()
    chosen: list[str] = []
    used = 0
    while True:
        best: tuple[float, str] | None = None
        for span, found in spans.items():
            words = word_count(span)
            gain = sum(weight[i] for i in found - got)
            if gain and used + words <= budget and (best is None or gain / words > best[0]):
                best = (gain / words, span)
        if best is None:
            break
        span = best[1]
        chosen.append(span)
        got |= spans.pop(span)
        used += word_count(span)
    return [(NO_SECTION, span) for span in chosen]


class SyntokTokenizer:
    """A sumy tokenizer that needs no NLTK data: syntok sentences, regex words."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(segment(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(_WORD.findall(sentence))


class _RankingOrder:
    """Passed to sumy as the sentence count: records the full ranking."""

    def __init__(self) -> None:
        self.sentences: list[str] = []

    def __call__(self, infos: list[Any]) -> list[Any]:
        # sumy hands over SentenceInfo tuples sorted best first
        self.sentences = [str(info.sentence) for info in infos]
        return infos


def _summarizers() -> dict[str, Callable[..., Any]]:
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.luhn import LuhnSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer

    class SortedLsaSummarizer(LsaSummarizer):
        """sumy's LSA with its term rows in sorted order.

        sumy numbers the terms in set order, which changes with the string
        hash seed; near-tied sentences then swap places from run to run.
        """

        def _create_dictionary(self, document: Any) -> dict[str, int]:
            terms = super()._create_dictionary(document)
            return {w: i for i, w in enumerate(sorted(terms))}

    return {
        "lexrank": LexRankSummarizer,
        "textrank": TextRankSummarizer,
        "lsa": SortedLsaSummarizer,
        "luhn": LuhnSummarizer,
    }


SUMY_SYSTEMS = ("lexrank", "textrank", "lsa", "luhn")


def sumy_ranking(name: str, articles: Sequence[SourceArticle]) -> list[str]:
    """All sentences of all articles, best first, by sumy summarizer ``name``."""
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.utils import get_stop_words

    # One paragraph per blank-line-separated block, articles one after another.
    text = "\n\n".join(p for a in articles for p in paragraphs(a.body))
    parser = PlaintextParser.from_string(text, SyntokTokenizer())
    summarizer = _summarizers()[name](Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    ranking = _RankingOrder()
    summarizer(parser.document, ranking)
    return ranking.sentences


def sumy_baseline(name: str, articles: Sequence[SourceArticle], budget: int) -> list[Bullet]:
    """Sumy summarizer ``name``'s best sentences up to ``budget`` words."""
    return [(NO_SECTION, s) for s in fill_budget(sumy_ranking(name, articles), budget)]


# ------------------------------------------------------------------ briefer


def missed_notes(
    bullets: Sequence[Bullet], facts: Sequence[Fact], articles: Sequence[SourceArticle]
) -> list[str]:
    """One line per fact the memo misses: ``fact missed (weight): id: text``."""
    by_id = {f.id: f for f in facts}
    return [
        f"fact missed ({by_id[fact].weight:g}): {fact}: {by_id[fact].text[:80]}"
        for fact in score_memo(bullets, facts, articles).missed
    ]


@dataclass(frozen=True)
class MemoScore:
    """A built memo against the facts: its recall, the facts it misses, and its length
    in scored words (the memo may stop short of its budget: baselines are scored at
    both lengths)."""

    recall: float
    missed: list[str]
    words: int


def memo_score(
    brief: Any, facts: Sequence[Fact], articles: Sequence[SourceArticle]
) -> MemoScore:
    """Score a briefer ``Brief`` (see :func:`memo_bullets`) against ``facts``."""
    bullets = memo_bullets(brief)
    return MemoScore(
        weighted_recall(bullets, facts),
        missed_notes(bullets, facts, articles),
        sum(word_count(text) for _, text in bullets),
    )


def memo_bullets(brief: Any) -> list[Bullet]:
    """A briefer ``Brief`` as bullets: bottom line first, then each section.

    An entry of figures that differ ("Death toll: "At least 51 ..." [3];
    "At least 35 ..." [5]") is its figures, each a source's own words: its
    label is the one word briefer adds, not a text of the sources.
    """
    bullets: list[Bullet] = [(BOTTOM_LINE, item.text) for item in brief.bottom_line]
    for section in brief.sections:
        for n, item in enumerate(section.items):
            figures = getattr(item, "figures", ())
            if figures:
                key = f"{section.key}{_ENTRY}{n}"
                bullets.extend((key, figure) for figure, _ in figures)
            else:
                bullets.append((section.key, item.text))
    return bullets


def briefer_bullets(budget: int, seeds_dir: Path, work_dir: Path) -> list[Bullet]:
    """Build a memo with briefer at ``budget`` words from ``seeds_dir``.

    Uses config/briefer.toml when present; the seeds folder and budget are
    overridden, and state/out go to ``work_dir`` so runs leave nothing behind.
    """
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from briefer.brief import build_brief
    from briefer.settings import load_settings

    config = ROOT / "config" / "briefer.toml"
    settings = load_settings(
        config if config.is_file() else None,
        budget_words=budget,
        seeds_dir=seeds_dir,
        state_dir=work_dir / "state",
        out_dir=work_dir / "out",
    )
    return memo_bullets(build_brief(settings))


# ------------------------------------------------------------------ runs


def _describe_error(exc: BaseException) -> str:
    message = " ".join(str(exc).split()) or "(no message)"
    return f"{type(exc).__name__}: {message}"


def run_systems(
    articles: Sequence[SourceArticle],
    facts: Sequence[Fact],
    budgets: Sequence[int],
    seeds_dir: Path,
    *,
    with_briefer: bool = True,
) -> list[Row]:
    """Score briefer and every baseline at every budget."""
    rows: list[Row] = []
    rankings: dict[str, list[str]] = {}
    ranking_seconds: dict[str, float] = {}
    for name in SUMY_SYSTEMS:  # rank once, cut per budget
        started = time.perf_counter()
        rankings[name] = sumy_ranking(name, articles)
        ranking_seconds[name] = time.perf_counter() - started
    import_error: str | None = None  # briefer missing: no use trying each budget
    with tempfile.TemporaryDirectory(prefix="briefer-bench-") as tmp:
        for budget in budgets:
            if with_briefer:
                started = time.perf_counter()
                error = import_error
                if error is None:
                    try:
                        bullets = briefer_bullets(budget, seeds_dir, Path(tmp))
                    except ImportError as exc:
                        error = import_error = _describe_error(exc)
                    except Exception as exc:  # any failure: report it, keep going
                        error = _describe_error(exc)
                if error is None:
                    scores = score_memo(bullets, facts, articles)
                    seconds = time.perf_counter() - started
                    rows.append(Row("briefer", budget, scores, seconds, None, tuple(bullets)))
                else:
                    rows.append(Row("briefer", budget, None, 0.0, error))
            started = time.perf_counter()
            lead = lead_baseline(articles, budget)
            scores = score_memo(lead, facts, articles, sectioned=False)
            seconds = time.perf_counter() - started
            rows.append(Row("lead", budget, scores, seconds, None, tuple(lead)))
            for name in SUMY_SYSTEMS:
                started = time.perf_counter()
                bullets = [(NO_SECTION, s) for s in fill_budget(rankings[name], budget)]
                scores = score_memo(bullets, facts, articles, sectioned=False)
                seconds = ranking_seconds[name] + time.perf_counter() - started
                rows.append(Row(name, budget, scores, seconds, None, tuple(bullets)))
            for name in ORACLES:
                started = time.perf_counter()
                bullets = oracle_bullets(articles, facts, budget, clauses=name == ORACLES[1])
                scores = score_memo(bullets, facts, articles, sectioned=False)
                seconds = time.perf_counter() - started
                rows.append(Row(name, budget, scores, seconds, None, tuple(bullets)))
    return rows


def _fraction(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


TABLE_HEADER = (
    "| system | budget | weighted recall | section accuracy | body words "
    "| near-dup pairs | fidelity |\n"
    "|---|---:|---:|---:|---:|---:|---:|"
)


def format_table(rows: Sequence[Row]) -> str:
    """The results as one Markdown table."""
    lines = [TABLE_HEADER]
    for row in rows:
        s = row.scores
        if s is None:
            lines.append(f"| {row.system} | {row.budget} | error | error | - | - | - |")
            continue
        lines.append(
            f"| {row.system} | {row.budget} | {s.recall:.3f} | {_fraction(s.section_accuracy)} "
            f"| {s.body_words} | {s.near_dup_pairs} | {_fraction(s.fidelity)} |"
        )
    return "\n".join(lines)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def format_report(
    rows: Sequence[Row],
    articles: Sequence[SourceArticle],
    facts: Sequence[Fact],
    seeds_dir: Path,
    facts_file: Path,
) -> str:
    """The Markdown written to bench/results: context lines, table, notes."""
    sentences = sum(len(split_sentences(a.body)) for a in articles)
    total = sum(f.weight for f in facts)
    headline = sum(1 for f in facts if f.weight == WEIGHTS["headline"])
    parts = [
        "# Quality benchmark",
        "",
        f"Articles: `{_shown(seeds_dir)}` ({len(articles)} files, {sentences} sentences). "
        f"Facts: `{_shown(facts_file)}` ({len(facts)} facts, {headline} headline; "
        f"total weight {total:g}).",
        "Baselines have no sections, so their section accuracy is n/a. "
        "Scoring is defined in `bench/README.md`.",
        "",
        "The two oracle rows are reference points, not systems: they know the facts and "
        "greedily take the source span that adds the most fact weight per word, whole "
        "sentences (`oracle-sentences`) or any run of consecutive clauses of a sentence "
        "(`oracle-clauses`, cut after , ; : and before a dash or a joining word). They show "
        "how much an extractive memo of that granularity can carry at each length.",
        "",
        format_table(rows),
    ]
    errors = sorted({(r.system, r.error) for r in rows if r.error})
    if errors:
        parts.append("")
        parts.extend(f"{system}: not measured ({error})" for system, error in errors)
    return "\n".join(parts) + "\n"


def format_detail(row: Row, facts: Sequence[Fact]) -> str:
    """Missed and misplaced facts, near duplicates, non-verbatim bullets of one row."""
    s = row.scores
    bullets = row.bullets
    if s is None:
        return f"{row.system} @ {row.budget}: {row.error}"
    by_id = {f.id: f for f in facts}
    lines = [f"## {row.system} @ {row.budget} ({s.bullets} bullets, {row.seconds:.2f}s)"]
    lines.append("missed: " + (", ".join(s.missed) or "-"))
    if s.misplaced:
        lines.append(
            "misplaced: " + ", ".join(f"{i} (wants {by_id[i].section})" for i in s.misplaced)
        )
    for i, j in s.dup_pairs:
        lines.append(f"near-dup: [{bullets[i][0]}] {bullets[i][1]!r}")
        lines.append(f"       ~  [{bullets[j][0]}] {bullets[j][1]!r}")
    for i in s.unfaithful:
        lines.append(f"not verbatim: [{bullets[i][0]}] {bullets[i][1]!r}")
    return "\n".join(lines)


def check_facts(
    facts: Sequence[Fact], articles: Sequence[SourceArticle]
) -> dict[str, list[tuple[str, str]]]:
    """For each fact id, the seed sentences ``(file, sentence)`` it is found in."""
    sentences = [(a.name, s) for a in articles for s in split_sentences(a.body)]
    return {f.id: [(name, s) for name, s in sentences if f.matches(s)] for f in facts}


def _parse_budgets(values: Sequence[str]) -> tuple[int, ...]:
    budgets: list[int] = []
    for value in values:
        for part in value.replace(",", " ").split():
            number = int(part.replace("_", ""))
            if number < 1:
                raise argparse.ArgumentTypeError(f"budget must be positive: {part}")
            budgets.append(number)
    return tuple(budgets)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Score briefer and extractive baselines against key facts."
    )
    parser.add_argument(
        "--seeds", type=Path, default=DEFAULT_SEEDS, help="folder of articles (.txt, .md)"
    )
    parser.add_argument("--facts", type=Path, default=DEFAULT_FACTS, help="facts TOML file")
    parser.add_argument(
        "--budgets",
        nargs="+",
        default=[",".join(map(str, DEFAULT_BUDGETS))],
        help="word budgets, e.g. 700 or 400,700,1000 (default: 400 700 1000)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="Markdown results file (default: bench/results/quality.md for the seeds, "
        "bench/results/quality-<folder>.md for another --seeds folder)",
    )
    parser.add_argument(
        "--check-facts",
        action="store_true",
        help="only check that every fact is found in some article sentence",
    )
    parser.add_argument(
        "--verbose", action="store_true", help="with --check-facts: show matching sentences"
    )
    parser.add_argument(
        "--detail",
        nargs="*",
        metavar="SYSTEM",
        help="after the table, list missed/misplaced facts, near duplicates and "
        "non-verbatim bullets of these systems (default: briefer)",
    )
    parser.add_argument("--no-briefer", action="store_true", help="baselines only")
    return parser


def _run_check(facts: Sequence[Fact], articles: Sequence[SourceArticle], verbose: bool) -> int:
    matches = check_facts(facts, articles)
    unmatched = [f for f in facts if not matches[f.id]]
    if verbose:
        for f in facts:
            print(f"{f.id} [{f.section}, {f.weight:g}]: {len(matches[f.id])} sentence(s)")
            for name, sentence in matches[f.id]:
                print(f"    {name}: {sentence}")
    for f in unmatched:
        patterns = ", ".join(p.pattern for p in f.patterns)
        print(f"no seed sentence matches fact {f.id}: {f.text} [{patterns}]")
    print(f"{len(facts) - len(unmatched)}/{len(facts)} facts found in the articles")
    return 1 if unmatched else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    seeds_dir: Path = args.seeds.resolve()
    if not seeds_dir.is_dir():
        print(f"{args.seeds}: not a folder", file=sys.stderr)
        return 2
    try:
        budgets = _parse_budgets(args.budgets)
        facts = load_facts(args.facts)
    except (ValueError, OSError, tomllib.TOMLDecodeError) as exc:
        print(exc, file=sys.stderr)
        return 2
    articles = load_articles(seeds_dir)
    if not articles:
        print(f"{args.seeds}: no article files (.txt, .md)", file=sys.stderr)
        return 2
    if args.check_facts:
        return _run_check(facts, articles, args.verbose)

    started = time.perf_counter()
    rows = run_systems(articles, facts, budgets, seeds_dir, with_briefer=not args.no_briefer)
    for error in sorted({r.error for r in rows if r.error}):
        print(f"briefer could not be measured ({error}); showing baselines only.\n")
    report = format_report(rows, articles, facts, seeds_dir, args.facts)
    print(format_table(rows))

    out: Path | None = args.out
    if out is None:
        default = seeds_dir == DEFAULT_SEEDS.resolve()
        out = RESULTS_DIR / ("quality.md" if default else f"quality-{seeds_dir.name}.md")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    print(f"\nwritten to {_shown(out)} in {time.perf_counter() - started:.1f}s")

    if args.detail is not None:
        wanted = set(args.detail or ["briefer"])
        for row in rows:
            if row.system in wanted:
                print()
                print(format_detail(row, facts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
