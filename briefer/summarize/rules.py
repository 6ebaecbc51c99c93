"""Load and validate the summarization rules (``config/rules.toml``).

The rules say which sections a memo has, what puts a sentence into each
(cue terms and regular expressions with weights, exclusions), and how
candidates are weighed. A mistake in the file is a :class:`ConfigError`
naming the file, the rule and the key; every mistake is reported at once.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from re import _casefix, _parser  # type: ignore[attr-defined]

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..errors import ConfigError
from ..settings import read_toml
from .patterns import UserPattern, compile_user


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class SectionRule(_Strict):
    """One memo section and the cues that put a sentence in it."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Short id, e.g. 'gaza'.")
    title: str = Field(min_length=1, description="Heading shown in the memo.")
    limit: int = Field(6, ge=0, description="At most this many bullets.")
    min_score: float = Field(2.0, gt=0, description="Cue weight a sentence needs to belong here.")
    terms: dict[str, float] = Field(
        default_factory=dict,
        description="Cue words or phrases -> weight; case-insensitive, whole words; a "
        "trailing * matches any ending ('hostage*').",
    )
    patterns: dict[str, float] = Field(
        default_factory=dict, description="Regular expressions -> weight (case-insensitive)."
    )
    require_any: list[str] = Field(
        default_factory=list,
        description="Regular expressions of which a sentence must match at least one to "
        "belong here (e.g. the section's subject must be named); empty means no requirement.",
    )
    exclude: list[str] = Field(
        default_factory=list, description="Regular expressions that keep a sentence out."
    )
    requires_topic: bool = Field(
        False,
        description="Count only sentences on a topic: the sentence reaches another "
        "section's min_score, or its article does overall (for cross-cutting sections such "
        "as open questions).",
    )
    takes_precedence: bool = Field(
        False,
        description="A sentence that reaches this section's min_score goes here even when "
        "another section scores higher.",
    )

    @model_validator(mode="after")
    def _has_cues(self) -> SectionRule:
        if not self.terms and not self.patterns:
            raise ValueError("needs at least one entry in terms or patterns")
        return self


class BottomLineRule(_Strict):
    """The bottom-line-up-front block."""

    title: str = Field("Bottom line", description="Heading of the block.")
    min_items: int = Field(2, ge=0, description="At least this many bullets when possible.")
    max_items: int = Field(4, ge=0, description="At most this many bullets.")
    max_age_days: int = Field(
        45, ge=0, description="Only sources this close to the newest source qualify."
    )


class CandidateRule(_Strict):
    """Which sentences may become bullets at all."""

    min_words: int = Field(7, ge=1, description="Shorter sentences are skipped.")
    max_words: int = Field(60, ge=5, description="Longer sentences are skipped.")
    trim_leading: list[str] = Field(
        default_factory=lambda: ["But", "However,", "And", "Yet", "Still,", "Meanwhile,"],
        description="Leading connectives removed from a bullet (the rest is kept verbatim).",
    )
    trim_trailing_attribution: bool = Field(
        False,
        description="Drop a closing attribution clause (', the sources said.', ', according "
        "to ...') when the rest is a full sentence; the rest stays the source's words.",
    )
    unresolved_starts: list[str] = Field(
        default_factory=lambda: ["He", "She", "It", "They", "This", "These", "Those", "His"],
        description="First words that need the sentence before; such a sentence is "
        "skipped, or joined to that sentence (see join_previous).",
    )
    headlines: bool = Field(
        True,
        description="An article's headline, as printed in its text or feed item, may be a "
        "bullet like any sentence (it need not end in a full stop); never in the bottom line.",
    )
    join_previous: bool = Field(
        True,
        description="A sentence opening with an unresolved_starts word may become a bullet "
        "together with the sentence just before it (same or previous paragraph), when the "
        "two read as one bullet within max_words.",
    )


class ScoringRule(_Strict):
    """Weights of the salience score (higher is more salient)."""

    relevance: float = Field(1.0, ge=0, description="Per point of section cue weight.")
    relevance_cap: float = Field(8.0, gt=0, description="Cue weight counted at most.")
    corroboration: float = Field(
        1.5, ge=0, description="Per other source that reports the same point."
    )
    corroboration_similarity: float = Field(
        0.28, gt=0, le=1, description="Content-word overlap that counts as the same point."
    )
    recency: float = Field(3.0, ge=0, description="Weight of source recency (1.0 = newest).")
    recency_half_life_days: float = Field(60.0, gt=0, description="Recency halves this often.")
    lead: float = Field(1.0, ge=0, description="Bonus for an article's opening sentences.")
    specifics: float = Field(
        0.5, ge=0, description="Bonus per distinct figure, date or name in the sentence."
    )
    specifics_cap: int = Field(
        1, ge=0, description="Figures, dates and names counted at most (1: a flat bonus)."
    )
    common_name_share: float = Field(
        1.0,
        gt=0,
        le=1,
        description="Names found in more than this share of the articles that offer a "
        "candidate (the main actors) do not count as specifics; 1.0 counts every name.",
    )
    length_penalty: float = Field(
        0.0,
        ge=0,
        le=2,
        description="Sections and the bottom line fill by score / words ** this: 0 ranks by "
        "score alone, 1 by score per word (favours short, dense sentences).",
    )
    limit_words: int = Field(
        0,
        ge=0,
        description="Section limits hold per this many words of budget; a larger or smaller "
        "budget scales them proportionally (0: limits are fixed).",
    )
    vague_penalty: float = Field(
        0.0,
        ge=0,
        description="Subtracted from a sentence that carries no figure, date or name beyond "
        "its cue words.",
    )
    duplicate_similarity: float = Field(
        0.45, gt=0, le=1, description="Overlap above which two sentences say the same thing."
    )


class RulesFile(_Strict):
    """The whole rules file."""

    candidates: CandidateRule = Field(default_factory=CandidateRule)
    scoring: ScoringRule = Field(default_factory=ScoringRule)
    bottom_line: BottomLineRule = Field(default_factory=BottomLineRule)
    sections: list[SectionRule] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_keys(self) -> RulesFile:
        keys = [s.key for s in self.sections]
        doubles = sorted({k for k in keys if keys.count(k) > 1})
        if doubles:
            raise ValueError(f"section keys must be unique: {', '.join(doubles)}")
        titles = [" ".join(s.title.casefold().split()) for s in self.sections]
        same = sorted(
            {s.title for s, t in zip(self.sections, titles, strict=True) if titles.count(t) > 1}
        )
        if same:
            raise ValueError(f"section titles must be unique: {', '.join(map(repr, same))}")
        return self


# Characters whose case-insensitive matching ``str.lower`` does not reproduce
# (the dotless i, the long s, Greek and Cyrillic letters with several cases,
# and the dotted capital I, which lowers to two characters). Text holding one
# is matched the slow, exact way.
_CASE_UNSAFE = re.compile(
    "["
    + "".join(
        sorted(
            {chr(c) for c in _casefix._EXTRA_CASES if c > 127}
            | {chr(c) for v in _casefix._EXTRA_CASES.values() for c in v if c > 127}
            | {"\u0130"}
        )
    )
    + "]"
)
_TOKEN = re.compile(r"\w+")


def _lowered(text: str) -> str | None:
    """``text`` lower-cased, or None where lower-casing is not case-insensitive matching."""
    if text.isascii():
        return text.lower()
    if _CASE_UNSAFE.search(text):
        return None
    return text.lower()


@dataclass(frozen=True, slots=True)
class CompiledSection:
    """A section rule with its cues compiled once.

    Terms are matched as one alternation, as the rules file describes
    (leftmost match first, the earlier term winning at the same place); the
    term that matched is found by trying only the terms whose first word is
    the word at that place. ``needles`` hold, for each pattern, strings one
    of which any match contains (None: not known), so a text without any of
    them is not searched.
    """

    rule: SectionRule
    terms: re.Pattern[str] | None  # all terms, case-insensitive, for text _lowered cannot take
    weights: tuple[float, ...]  # weight of term i
    patterns: tuple[tuple[UserPattern, float], ...]
    exclude: tuple[UserPattern, ...]
    require: tuple[UserPattern, ...] = ()
    each: tuple[re.Pattern[str], ...] = ()  # term i alone, case-insensitive
    lower_terms: re.Pattern[str] | None = None  # all terms, for lower-cased text
    lower_each: tuple[re.Pattern[str], ...] = ()  # term i alone, for lower-cased text
    leads: tuple[tuple[str, bool] | None, ...] = ()  # term i's first word, and if it runs on
    pattern_needles: tuple[frozenset[str] | None, ...] = ()
    require_needles: tuple[frozenset[str] | None, ...] = ()
    # All of require_needles together (None if any pattern has none).
    require_any_needles: frozenset[str] | None = None
    exclude_needles: tuple[frozenset[str] | None, ...] = ()
    _by_word: dict[str, tuple[int, ...]] = field(default_factory=dict)  # cache

    def score(self, text: str, context: str = "") -> float:
        """Sum of the weights of the distinct cues found in ``text``.

        ``require_any`` may be met by ``context`` (the article's headline): a
        sentence of an article headlined about Iran need not repeat "Iran".
        """
        return self.score_lowered(text, _lowered(text), context)

    def score_lowered(
        self, text: str, low: str | None, context: str = "", met: bool = False
    ) -> float:
        """:meth:`score`, given ``_lowered(text)``; ``met``: the context meets require_any."""
        if self.require and not met and not self.meets_require(text, low, context):
            return 0.0
        total = 0.0
        if self.terms is not None:
            seen: set[int] = set()
            weights = self.weights
            if low is not None and self.lower_terms is not None:
                for match in self.lower_terms.finditer(low):
                    term = self._winner(low, match.start(), self.lower_each, True)
                    if term not in seen:
                        seen.add(term)
                        total += weights[term]
            else:
                for match in self.terms.finditer(text):
                    term = self._winner(text, match.start(), self.each, False)
                    if term not in seen:
                        seen.add(term)
                        total += weights[term]
        for (pattern, weight), needles in zip(self.patterns, self.pattern_needles, strict=True):
            if _may_hold(low, needles) and pattern.search(text):
                total += weight
        if total and any(
            _may_hold(low, needles) and p.search(text)
            for p, needles in zip(self.exclude, self.exclude_needles, strict=True)
        ):
            return 0.0
        return total

    def meets_require(self, text: str, low: str | None, context: str = "") -> bool:
        """True if ``text`` (or ``context``) matches one of ``require_any``."""
        return any(
            (_may_hold(low, needles) and p.search(text)) or (context and p.search(context))
            for p, needles in zip(self.require, self.require_needles, strict=True)
        )

    def _winner(self, text: str, pos: int, each: tuple[re.Pattern[str], ...], lowered: bool) -> int:
        """The first term (in file order) that matches at ``pos``: the alternation's pick."""
        order: Iterable[int] = range(len(each))
        if lowered:
            word = _TOKEN.match(text, pos)
            if word is not None:
                order = self.terms_for(word.group(0))
        for i in order:
            if each[i].match(text, pos):
                return i
        raise AssertionError("a term alternation matched where no term does")  # pragma: no cover

    def terms_for(self, word: str) -> tuple[int, ...]:
        """Terms (in file order) that can start at a lower-cased word ``word``."""
        found = self._by_word.get(word)
        if found is None:
            found = tuple(
                i
                for i, lead in enumerate(self.leads)
                if lead is None or word == lead[0] or (lead[1] and word.startswith(lead[0]))
            )
            self._by_word[word] = found
        return found


def _union(sets: Iterable[frozenset[str] | None]) -> frozenset[str] | None:
    """Every string of ``sets`` together; None if one of them is None."""
    found: set[str] = set()
    for one in sets:
        if one is None:
            return None
        found |= one
    return frozenset(found)


def _may_hold(low: str | None, needles: frozenset[str] | None) -> bool:
    return low is None or needles is None or any(n in low for n in needles)


@dataclass(frozen=True, slots=True)
class ParagraphCues:
    """Upper bounds on what a paragraph's sentences can score, per section.

    ``best[i]``: no sentence of the paragraph scores more than this for
    section i (whatever the sentence splitter makes of it). ``total[i]``:
    the sentences' scores for section i add up to at most this. Both ignore
    ``exclude`` and ``requires_topic``, which only lower a score.
    """

    best: tuple[float, ...]
    total: tuple[float, ...]

    @property
    def any(self) -> bool:
        return any(self.best)


@dataclass(frozen=True, slots=True)
class Rules:
    """Validated, compiled rules ready for selection."""

    path: Path
    candidates: CandidateRule
    scoring: ScoringRule
    bottom_line: BottomLineRule
    sections: tuple[CompiledSection, ...]
    _scan: _CueScan | None = None  # see paragraph_cues

    def section_scores(
        self, text: str, on_topic: bool = False, context: str = ""
    ) -> tuple[float, ...]:
        """Score of ``text`` for every section, in file order.

        ``on_topic`` says the sentence's article is on a section's topic as a
        whole, which lets ``requires_topic`` sections count it; ``context``
        (the headline) can meet a section's ``require_any``.
        """
        return self.topic_scores(self.raw_scores(text, context=context), on_topic)

    def raw_scores(
        self,
        text: str,
        only: tuple[float, ...] | None = None,
        context: str = "",
        met: tuple[bool, ...] | None = None,
    ) -> tuple[float, ...]:
        """Each section's cue weight in ``text``, before ``requires_topic`` applies.

        With ``only`` (bounds from :meth:`article_cues`), sections bounded at
        0 are not searched; ``met`` (from :meth:`context_meets`) stands for
        ``context`` when it is the same for many texts.
        """
        low = _lowered(text)
        if met is None:
            met = self.context_meets(context) if context else (False,) * len(self.sections)
        if only is None:
            only = (1.0,) * len(self.sections)
        return tuple(
            s.score_lowered(text, low, "", m) if bound else 0.0
            for s, bound, m in zip(self.sections, only, met, strict=True)
        )

    def context_meets(self, context: str) -> tuple[bool, ...]:
        """For each section, whether ``context`` (a headline) meets its ``require_any``."""
        low = _lowered(context)
        return tuple(
            bool(s.require)
            and _may_hold(low, s.require_any_needles)
            and any(p.search(context) for p in s.require)
            for s in self.sections
        )

    def topic_scores(self, raw: tuple[float, ...], on_topic: bool) -> tuple[float, ...]:
        """``raw`` with ``requires_topic`` sections zeroed unless the text is on a topic."""
        if on_topic or self.is_topical(raw):
            return raw
        return tuple(
            0.0 if s.rule.requires_topic else score
            for score, s in zip(raw, self.sections, strict=True)
        )

    def is_topical(self, scores: list[float] | tuple[float, ...]) -> bool:
        """True if some topic section (not ``requires_topic``) reaches its min_score."""
        return any(
            score >= s.rule.min_score
            for score, s in zip(scores, self.sections, strict=True)
            if not s.rule.requires_topic
        )

    def paragraph_cues(self, paragraph: str, context: str = "") -> ParagraphCues:
        """Bounds on the section scores of any sentence of ``paragraph`` (see ParagraphCues)."""
        return self.article_cues((paragraph,), context)[0]

    def article_cues(
        self,
        paragraphs: Sequence[str],
        context: str = "",
        only: Sequence[int] | None = None,
        met: tuple[bool, ...] | None = None,
    ) -> list[ParagraphCues]:
        """:meth:`paragraph_cues` of each paragraph, in one pass over the article.

        With ``only`` (section indices), the other sections' bounds are left
        at 0: not computed, so not bounds; see :meth:`Selector.add` for when
        that is safe.

        The places where a term's first word stands are found once; each
        term that can start there is tried there alone, so every occurrence
        counts (a sentence boundary may fall anywhere). A pattern counts once
        per occurrence of one of its needles. A pattern without needles, or
        text whose case folding is unusual, gives no bound (infinity).
        ``context`` (the headline) meeting ``require_any`` lifts that test;
        ``met`` (from :meth:`context_meets`) stands for it when known.
        """
        n = len(self.sections)
        scan = self._scan
        count = len(paragraphs)
        wanted = range(n) if only is None else sorted(set(only))
        if not wanted:
            return [ParagraphCues((0.0,) * n, (0.0,) * n)] * count
        limit = tuple(math.inf if k in wanted else 0.0 for k in range(n))
        unbounded = ParagraphCues(limit, limit)
        if scan is None:
            return [unbounded] * count
        text = "\n".join(paragraphs)  # paragraphs are lines: no newline inside
        low = _lowered(text)
        if low is None:
            if count == 1:
                return [unbounded]
            return [self.article_cues((p,), context, only, met)[0] for p in paragraphs]
        starts = []
        offset = 0
        for paragraph in paragraphs:
            starts.append(offset)
            offset += len(paragraph) + 1
        best = [[0.0] * n for _ in range(count)]
        total = [[0.0] * n for _ in range(count)]
        sections = self.sections
        scanned = [k for k in wanted if scan.scannable[k]]
        targets_of: dict[str, list[tuple[int, tuple[int, ...]]]] = {}
        seen: set[tuple[int, int, int]] = set()  # (paragraph, section, term) counted in best
        for pos, word in scan.places(low):
            targets = targets_of.get(word)
            if targets is None:
                targets = [(k, terms) for k in scanned if (terms := sections[k].terms_for(word))]
                targets_of[word] = targets
            if not targets:
                continue
            at = bisect_right(starts, pos) - 1
            for k, terms in targets:
                section = sections[k]
                for i in terms:
                    if section.lower_each[i].match(low, pos):
                        weight = max(section.weights[i], 0.0)  # a negative weight only lowers
                        total[at][k] += weight
                        if (at, k, i) not in seen:
                            seen.add((at, k, i))
                            best[at][k] += weight
        # Patterns and require_any, by their needles: one pass finds them all.
        if met is None:
            met = self.context_meets(context) if context else (False,) * n
        hits: dict[tuple[int, int], list[int]] = {}  # (section, pattern) -> count per paragraph
        held: dict[int, list[bool]] = {}  # section -> paragraphs holding a require_any needle
        for pos, uses in scan.needle_places(low):
            at = bisect_right(starts, pos) - 1
            for k, j in uses:
                if j < 0:
                    held.setdefault(k, [False] * count)[at] = True
                else:
                    hits.setdefault((k, j), [0] * count)[at] += 1
        for k in wanted:
            if not scan.scannable[k]:
                for at in range(count):
                    best[at][k] = total[at][k] = math.inf
                continue
            for j, (signed, needles) in enumerate(scan.patterns[k]):
                weight = max(signed, 0.0)
                if needles is None:
                    for at in range(count):
                        best[at][k] = total[at][k] = math.inf
                    continue
                for at, times in enumerate(hits.get((k, j), ())):
                    if times:
                        best[at][k] += weight
                        total[at][k] += weight * times
            if scan.require[k] is not None and not met[k]:
                found = held.get(k)
                for at in range(count):
                    if found is None or not found[at]:
                        best[at][k] = total[at][k] = 0.0
        return [ParagraphCues(tuple(b), tuple(t)) for b, t in zip(best, total, strict=True)]


class _CueScan:
    """What :meth:`Rules.paragraph_cues` needs, prepared once per rules file.

    Which words of a text can open a term is read from a set of its words
    (kept across calls, so each distinct word is looked at once).
    """

    def __init__(self, sections: Sequence[CompiledSection]) -> None:
        exact: set[str] = set()
        running: set[str] = set()
        for section in sections:
            for lead in section.leads:
                if lead is not None:
                    (running if lead[1] else exact).add(lead[0])
        self.exact = frozenset(w.encode("ascii") for w in exact if w.isascii())
        self.running = tuple(sorted(w.encode("ascii") for w in running if w.isascii()))
        self.scannable = tuple(
            all(lead is not None and lead[0].isascii() for lead in s.leads)
            and (bool(s.lower_each) or not s.leads)
            for s in sections
        )
        self.patterns = tuple(
            tuple(
                (weight, None if n is None else tuple(sorted(n)))
                for (_, weight), n in zip(s.patterns, s.pattern_needles, strict=True)
            )
            for s in sections
        )
        # Needles of which a text must hold one to meet require_any (None: no such list).
        self.require = tuple(
            tuple(sorted(set().union(*s.require_needles)))
            if s.require and all(n is not None for n in s.require_needles)
            else None
            for s in sections
        )
        # Needles of patterns ((section, pattern)) and of require_any ((section, -1)).
        uses: dict[str, set[tuple[int, int]]] = {}
        for k, section in enumerate(self.patterns):
            for j, (_, found) in enumerate(section):
                for needle in found or ():
                    uses.setdefault(needle, set()).add((k, j))
        for k, required in enumerate(self.require):
            for needle in required or ():
                uses.setdefault(needle, set()).add((k, -1))
        self._needles = None
        if uses:
            import ahocorasick

            automaton = ahocorasick.Automaton()
            for needle, where in uses.items():
                automaton.add_word(needle, (len(needle), tuple(sorted(where))))
            automaton.make_automaton()
            self._needles = automaton
        # Keys: " word " for a first word, " word" for one that may run on.
        self._automaton = None
        if self.exact or self.running:
            import ahocorasick

            automaton = ahocorasick.Automaton()
            for word in self.exact:
                key = f" {word.decode('ascii')} "
                automaton.add_word(key, (len(key), False))
            for word in self.running:
                key = f" {word.decode('ascii')}"
                automaton.add_word(key, (len(key), True))
            automaton.make_automaton()
            self._automaton = automaton

    def needle_places(self, low: str) -> Iterator[tuple[int, tuple[tuple[int, int], ...]]]:
        """Every occurrence in ``low`` of a pattern or require_any needle (overlapping too).

        Yields (offset, the (section, pattern) pairs using that needle; -1 as
        the pattern for require_any).
        """
        if self._needles is None:
            return
        for end, (size, where) in self._needles.iter(low):
            yield end - size + 1, where

    def places(self, low: str) -> Iterator[tuple[int, str]]:
        """Where in lower-cased ``low`` a word stands at which some term can start.

        Yields (offset, the whole word there), in text order. One pass of an
        Aho-Corasick automaton over a copy of ``low`` in which every
        character that is not an ASCII word character is a space: a word
        holding a non-ASCII letter comes out cut, which only adds places to
        try, never loses one where an ASCII first word stands (every first
        word is ASCII here, or the section is not scanned).
        """
        if self._automaton is None:
            return
        probe = " " + low.encode("ascii", "replace").translate(_BYTE_GAPS).decode("ascii") + " "
        done = -1
        for end, (size, runs_on) in self._automaton.iter(probe):
            # The key (" word " or " word") starts at a space, which is
            # probe[pos]; the word itself is low[pos:...].
            pos = end - size + 1
            if pos == done:
                continue  # "iran" both as a word and as a running lead
            done = pos
            stop = probe.find(" ", pos + 1) if runs_on else end
            yield pos, probe[pos + 1 : stop]


_BYTE_GAPS = bytes(b if b < 128 and (chr(b).isalnum() or b == 95) else 32 for b in range(256))


def _term_regex(term: str) -> str:
    prefix = term.endswith("*")
    words = term.rstrip("*").split()
    body = r"\s+".join(re.escape(w) for w in words)
    return r"\b" + body + (r"\w*" if prefix else r"\b")


def _lead(term: str) -> tuple[str, bool] | None:
    """A term's first word, lower-cased, and whether that word may run on (``hostage*``).

    At any place the term matches, the text's word there is this word (or
    starts with it when it runs on). None when that cannot be said.
    """
    low = term.lower()
    if len(low) != len(term) or _CASE_UNSAFE.search(term):
        return None
    words = low.rstrip("*").split()
    if not words:
        return None
    first = _TOKEN.match(words[0])
    if first is None:
        return None
    lead = first.group(0)
    runs_on = term.endswith("*") and len(words) == 1 and lead == words[0]
    return lead, runs_on


def needles(pattern: str, flags: int = re.IGNORECASE) -> frozenset[str] | None:
    """Lower-case strings one of which every match of ``pattern`` contains.

    None when the pattern is too free to say (it can match without any
    fixed text). Used only to skip searching text that cannot match.
    """
    try:
        parsed = _parser.parse(pattern, flags)
        found = _required(list(parsed))
    except Exception:  # an unfamiliar construct: no shortcut
        return None
    if not found:
        return None
    # A trailing full stop may be added when an attribution is trimmed.
    trimmed = frozenset(n.rstrip(".") for n in found)
    if any(not n or _CASE_UNSAFE.search(n) or len(n.lower()) != len(n) for n in trimmed):
        return None
    return frozenset(n.lower() for n in trimmed)


def _required(items: list[tuple[object, object]]) -> set[str] | None:
    """Strings one of which any match of the item sequence contains, the longest known."""
    options: list[set[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            options.append({"".join(run)})
            run.clear()

    for op, av in items:
        if op is _parser.LITERAL:
            run.append(chr(av))  # type: ignore[arg-type]
            continue
        flush()
        found: set[str] | None = None
        if op is _parser.SUBPATTERN:
            found = _required(list(av[-1]))  # type: ignore[index]
        elif op is _parser.ATOMIC_GROUP:
            found = _required(list(av))  # type: ignore[arg-type]
        elif op is _parser.BRANCH:
            branches = [_required(list(b)) for b in av[1]]  # type: ignore[index]
            if all(branches):
                found = set().union(*branches)  # type: ignore[arg-type]
        elif op in (_parser.MAX_REPEAT, _parser.MIN_REPEAT, _parser.POSSESSIVE_REPEAT):
            low, _, body = av  # type: ignore[misc]
            if low >= 1:
                found = _required(list(body))
        if found:
            options.append(found)
    flush()
    if not options:
        return None
    return max(options, key=lambda o: (min(len(n) for n in o), -len(o)))


def _compile_each(sources: Iterable[str], where: str, problems: list[str]) -> list[UserPattern]:
    """Compile user regexes (case-insensitive); a bad or dangerous one adds a line to ``problems``.

    See :mod:`briefer.summarize.patterns`: patterns that can backtrack without
    bound are refused, and searches read a bounded length of text.
    """
    return compile_user(sources, where, problems)


def compile_rules(data: RulesFile, path: Path) -> Rules:
    """Compile every cue; a bad regular expression names its rule."""
    problems: list[str] = []
    compiled = []
    for rule in data.sections:
        where = f"{path}: section '{rule.key}'"
        names = list(rule.terms)
        terms = lower_terms = None
        each: tuple[re.Pattern[str], ...] = ()
        lower_each: tuple[re.Pattern[str], ...] = ()
        leads = tuple(_lead(t) for t in names)
        if names:
            sources = [_term_regex(t) for t in names]
            terms = re.compile("|".join(f"(?:{r})" for r in sources), re.IGNORECASE)
            each = tuple(re.compile(r, re.IGNORECASE) for r in sources)
            if all(lead is not None for lead in leads):
                lowered = [_term_regex(t.lower()) for t in names]
                lower_terms = re.compile("|".join(f"(?:{r})" for r in lowered))
                lower_each = tuple(re.compile(r) for r in lowered)
        compiled_patterns = _compile_each(rule.patterns, f"{where}: patterns", problems)
        patterns = [(p, rule.patterns[p.pattern]) for p in compiled_patterns]
        require = _compile_each(rule.require_any, f"{where}: require_any", problems)
        exclude = _compile_each(rule.exclude, f"{where}: exclude", problems)
        compiled.append(
            CompiledSection(
                rule=rule,
                terms=terms,
                weights=tuple(rule.terms[n] for n in names),
                patterns=tuple(patterns),
                exclude=tuple(exclude),
                require=tuple(require),
                each=each,
                lower_terms=lower_terms,
                lower_each=lower_each,
                leads=leads if lower_terms is not None or not names else (None,) * len(names),
                pattern_needles=tuple(needles(p.pattern) for p, _ in patterns),
                require_needles=tuple(needles(p.pattern) for p in require),
                require_any_needles=_union(needles(p.pattern) for p in require),
                exclude_needles=tuple(needles(p.pattern) for p in exclude),
            )
        )
    if problems:
        raise ConfigError(*problems)
    return Rules(
        path=path,
        candidates=data.candidates,
        scoring=data.scoring,
        bottom_line=data.bottom_line,
        sections=tuple(compiled),
        _scan=_CueScan(compiled),
    )


def load_rules(path: Path) -> Rules:
    """Read, validate and compile a rules file."""
    if not path.is_file():
        raise ConfigError(f"{path}: rules file not found")
    raw = read_toml(path, "rules")
    try:
        data = RulesFile.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(*_describe(exc, path, raw)) from None
    return compile_rules(data, path)


def _describe(exc: ValidationError, path: Path, raw: dict[str, object]) -> list[str]:
    lines = []
    sections = raw.get("sections")
    for error in exc.errors():
        loc = list(error["loc"])
        where = str(path)
        if len(loc) >= 2 and loc[0] == "sections" and isinstance(loc[1], int):
            index = loc[1]
            key = None
            if isinstance(sections, list) and index < len(sections):
                entry = sections[index]
                key = entry.get("key") if isinstance(entry, dict) else None
            where += f": section '{key}'" if key else f": section #{index + 1}"
            loc = loc[2:]
        name = ".".join(str(p) for p in loc) or "(rule)"
        message = "unknown field" if error["type"] == "extra_forbidden" else error["msg"]
        lines.append(f"{where}: {name}: {message}")
    return lines
