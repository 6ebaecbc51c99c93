"""A section's cues compiled, and the one scorer that weighs texts by them.

A text's score for a section is the sum of the weights of the distinct
terms and patterns found in it; zero when an ``exclude`` pattern matches,
or when the section's subject (``require_any``) is named neither in the
text nor in its context (its item's headline or opening: ``met``).

:class:`CueScanner` computes these scores for all of an item's paragraphs
in one pass, since most items of a large run are on no topic:

- the places where a term's first word stands are found by one
  Aho-Corasick pass over the lower-cased item; only the terms that can
  start at such a place are tried there, and only there;
- a pattern, ``require_any`` or ``exclude`` regex is tried on a paragraph
  only when the pass found one of its needles (strings every match holds)
  in that paragraph.

A term whose first word is not plain ASCII is searched directly, and
text whose case folding lower-casing does not reproduce is searched
directly with every term and regex: the same scores, the slow way.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .patterns import CASE_UNSAFE, UserPattern, lowered, may_hold
from .schema import SectionRule

if TYPE_CHECKING:
    from .load import Rules

_TOKEN = re.compile(r"\w+")
_BYTE_GAPS = bytes(b if b < 128 and (chr(b).isalnum() or b == 95) else 32 for b in range(256))


@dataclass(frozen=True, slots=True)
class Term:
    """One cue term compiled: case-insensitive, and for lower-cased text when possible."""

    weight: float
    pattern: re.Pattern[str]  # case-insensitive
    lower: re.Pattern[str] | None  # for lower-cased text (None: use ``pattern``)
    lead: tuple[str, bool] | None  # first word lower-cased, and whether it may run on

    @property
    def scannable(self) -> bool:
        """Whether the scanner can find this term's places by its first word."""
        return self.lead is not None and self.lower is not None and self.lead[0].isascii()


@dataclass(frozen=True, slots=True)
class CompiledSection:
    """A section rule with its cues compiled once.

    ``*_needles`` hold, for each pattern, strings one of which any match
    contains (None: not known), so a text holding none of them is not
    searched.
    """

    rule: SectionRule
    terms: tuple[Term, ...]
    patterns: tuple[tuple[UserPattern, float], ...]
    exclude: tuple[UserPattern, ...]
    require: tuple[UserPattern, ...] = ()
    pattern_needles: tuple[frozenset[str] | None, ...] = ()
    require_needles: tuple[frozenset[str] | None, ...] = ()
    exclude_needles: tuple[frozenset[str] | None, ...] = ()

    @property
    def key(self) -> str:
        return self.rule.key

    def first_cue(self, text: str) -> int | None:
        """Where in ``text`` the first term or pattern of this section matches, if any."""
        starts = [m.start() for t in self.terms if (m := t.pattern.search(text))]
        starts += [m.start() for p, _ in self.patterns if (m := p.search(text))]
        return min(starts) if starts else None

    def first_subject(self, text: str) -> int | None:
        """Where in ``text`` this section's subject (``require_any``) is first named.

        A section without a subject of its own: where its first cue is.
        """
        if not self.require:
            return self.first_cue(text)
        starts = [m.start() for p in self.require if (m := p.search(text))]
        return min(starts) if starts else None

    def names_subject(self, text: str, low: str | None = None) -> bool:
        """True if ``text`` matches one of ``require_any`` (or there is none)."""
        if not self.require:
            return True
        if low is None:
            low = lowered(text)
        return any(
            may_hold(low, needles) and p.search(text)
            for p, needles in zip(self.require, self.require_needles, strict=True)
        )


def compile_term(term: str, weight: float) -> Term:
    """A cue term (``"hostage*"``, ``"Khan Younis"``) as whole-word, case-insensitive regexes."""
    lead = _lead(term)
    lower = re.compile(_term_regex(term.lower())) if lead is not None else None
    return Term(weight, re.compile(_term_regex(term), re.IGNORECASE), lower, lead)


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
    if len(low) != len(term) or CASE_UNSAFE.search(term):
        return None
    words = low.rstrip("*").split()
    if not words:
        return None
    first = _TOKEN.match(words[0])
    if first is None:
        return None
    lead = first.group(0)
    # "cease-fire" starts with the whole word "cease"; only a one-word term
    # ending in * ("hostage*") may run on into a longer word.
    runs_on = term.endswith("*") and len(words) == 1 and lead == words[0]
    return lead, runs_on


class CueScanner:
    """Scores paragraphs for every section of ``rules`` (see the module docstring)."""

    def __init__(self, rules: Rules) -> None:
        import ahocorasick

        self.rules = rules
        sections = rules.sections
        # word -> [(section, term index)] for exact first words; running leads apart.
        exact: dict[str, list[tuple[int, int]]] = {}
        running: dict[str, list[tuple[int, int]]] = {}
        self.direct: list[tuple[int, ...]] = []  # per section: terms searched directly
        for k, section in enumerate(sections):
            direct = []
            for i, term in enumerate(section.terms):
                if not term.scannable:
                    direct.append(i)
                    continue
                assert term.lead is not None
                word, runs_on = term.lead
                (running if runs_on else exact).setdefault(word, []).append((k, i))
            self.direct.append(tuple(direct))
        self._exact = exact
        self._running = running
        self._cache: dict[str, list[tuple[int, int]]] = {}
        self._words: ahocorasick.Automaton | None = None
        if exact or running:
            automaton = ahocorasick.Automaton()
            for word in exact:
                automaton.add_word(f" {word} ", len(word) + 2)
            for word in running:
                automaton.add_word(f" {word}", len(word) + 1)
            automaton.make_automaton()
            self._words = automaton
        # Needles of patterns, require_any and exclude: needle -> [(section, kind, index)].
        uses: dict[str, list[tuple[int, str, int]]] = {}
        self.free: list[set[tuple[str, int]]] = []  # regexes without needles: always tried
        self.every: list[set[tuple[str, int]]] = []  # every regex of the section
        for k, section in enumerate(sections):
            free: set[tuple[str, int]] = set()
            every: set[tuple[str, int]] = set()
            for kind, found in (
                ("pattern", section.pattern_needles),
                ("require", section.require_needles),
                ("exclude", section.exclude_needles),
            ):
                for j, needles in enumerate(found):
                    every.add((kind, j))
                    if needles is None:
                        free.add((kind, j))
                        continue
                    for needle in needles:
                        uses.setdefault(needle, []).append((k, kind, j))
            self.free.append(free)
            self.every.append(every)
        # Per section: whether a pattern without needles is tried on every text.
        self._free_pattern = tuple(
            any(kind == "pattern" for kind, _ in free) for free in self.free
        )
        self._needles: ahocorasick.Automaton | None = None
        if uses:
            automaton = ahocorasick.Automaton()
            for needle, where in uses.items():
                automaton.add_word(needle, (len(needle), tuple(where)))
            automaton.make_automaton()
            self._needles = automaton

    def scores(
        self, paragraphs: Sequence[str], met: tuple[bool, ...] | None = None
    ) -> list[tuple[float, ...]]:
        """Each section's score of every paragraph (none may hold a newline).

        ``met[k]``: the paragraphs' context names section k's subject.
        """
        sections = self.rules.sections
        n = len(sections)
        if met is None:
            met = (False,) * n
        if not paragraphs:
            return []
        text = "\n".join(paragraphs)
        low = lowered(text)
        starts = []
        offset = 0
        for paragraph in paragraphs:
            starts.append(offset)
            offset += len(paragraph) + 1
        found: dict[tuple[int, int], set[int]] = {}  # (paragraph, section) -> terms found
        hits: dict[tuple[int, int], set[tuple[str, int]]] = {}  # ... -> regexes worth trying
        if low is not None:
            for pos, word in self._places(low):
                at = bisect_right(starts, pos) - 1
                end = starts[at] + len(paragraphs[at])
                for k, i in self._targets(word):
                    term = sections[k].terms[i]
                    assert term.lower is not None
                    if term.lower.match(low, pos, end):
                        found.setdefault((at, k), set()).add(i)
            if self._needles is not None:
                for end, (size, where) in self._needles.iter(low):
                    at = bisect_right(starts, end - size + 1) - 1
                    for k, kind, j in where:
                        hits.setdefault((at, k), set()).add((kind, j))
        out = []
        empty: set[int] = set()
        for at, paragraph in enumerate(paragraphs):
            row = []
            for k, section in enumerate(sections):
                cell = (at, k)
                if (
                    low is not None
                    and cell not in found
                    and cell not in hits
                    and not self.direct[k]
                    and not self._free_pattern[k]
                ):
                    row.append(0.0)  # no term placed here, no pattern worth trying
                    continue
                terms = found.get(cell, empty)
                searched = range(len(section.terms)) if low is None else self.direct[k]
                if searched:
                    terms = terms | {
                        i for i in searched if section.terms[i].pattern.search(paragraph)
                    }
                if low is None:
                    tried = self.every[k]
                else:
                    hit = hits.get(cell)
                    tried = hit | self.free[k] if hit else self.free[k]
                if not terms and not any(kind == "pattern" for kind, _ in tried):
                    row.append(0.0)  # no cue can count: nothing to search
                    continue
                row.append(_score(section, paragraph, met[k], terms, tried))
            out.append(tuple(row))
        return out

    def _targets(self, word: str) -> list[tuple[int, int]]:
        """(section, term) pairs whose first word is ``word``, or runs on from a start of it."""
        targets = self._cache.get(word)
        if targets is None:
            targets = list(self._exact.get(word, ()))
            for end in range(1, len(word) + 1):
                targets.extend(self._running.get(word[:end], ()))
            if len(self._cache) < 100_000:
                self._cache[word] = targets
        return targets

    def _places(self, low: str) -> Iterator[tuple[int, str]]:
        """Offsets in ``low`` where a word stands at which some term can start, with the word.

        One pass over a copy of ``low`` in which every character that is not
        an ASCII word character is a space: a word holding a non-ASCII
        letter comes out cut, which only adds places to try, never loses
        one where an ASCII first word stands.
        """
        if self._words is None:
            return
        probe = " " + low.encode("ascii", "replace").translate(_BYTE_GAPS).decode("ascii") + " "
        seen: set[int] = set()
        for end, size in self._words.iter(probe):
            # The key (" word " or " word") starts at a space, probe[pos], and
            # the word itself is low[pos:...] (the probe is one longer in front).
            pos = end - size + 1
            if pos in seen:
                continue
            seen.add(pos)
            yield pos, probe[pos + 1 : probe.find(" ", pos + 1)]


def _score(
    section: CompiledSection,
    text: str,
    met: bool,
    terms: set[int],
    tried: set[tuple[str, int]],
) -> float:
    """The section's score of ``text`` from the terms found and the regexes worth trying."""
    if (
        section.require
        and not met
        and not any(
            ("require", j) in tried and p.search(text) for j, p in enumerate(section.require)
        )
    ):
        return 0.0
    total = sum((section.terms[i].weight for i in sorted(terms)), 0.0)
    for j, (pattern, weight) in enumerate(section.patterns):
        if ("pattern", j) in tried and pattern.search(text):
            total += weight
    if total and any(
        ("exclude", j) in tried and p.search(text) for j, p in enumerate(section.exclude)
    ):
        return 0.0
    return total
