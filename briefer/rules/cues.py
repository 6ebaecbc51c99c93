"""Section scores of many paragraphs at once: the same scores, found faster.

:meth:`Rules.text_scores <briefer.rules.load.Rules.text_scores>` scores
one text by trying every term and pattern on it. An item's topic is judged
on all its paragraphs, and most items of a large run are on no topic, so
:class:`CueScanner` scores all of an item's paragraphs in one pass instead:

- the places where a term's first word stands are found by one
  Aho-Corasick pass over the lower-cased item; only the terms that can
  start at such a place are tried there, and only there;
- a pattern, ``require_any`` or ``exclude`` regex is tried on a paragraph
  only when the pass found one of its needles (strings every match holds)
  in that paragraph.

The result is exactly ``[rules.text_scores(p, met) for p in paragraphs]``;
a property test holds the two equal over whole corpora. A section whose
terms cannot be found this way (a term whose first word is not plain
ASCII) and text whose case folding is unusual are scored the plain way.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence

from .load import CompiledSection, Rules
from .patterns import lowered

_BYTE_GAPS = bytes(b if b < 128 and (chr(b).isalnum() or b == 95) else 32 for b in range(256))


class CueScanner:
    """Scores paragraphs for every section of ``rules`` (see the module docstring)."""

    def __init__(self, rules: Rules) -> None:
        import ahocorasick

        self.rules = rules
        sections = rules.sections
        self.scannable = tuple(
            all(t.lead is not None and t.lower is not None and t.lead[0].isascii() for t in s.terms)
            for s in sections
        )
        # word -> [(section, term index)] for exact first words; running leads apart.
        exact: dict[str, list[tuple[int, int]]] = {}
        running: dict[str, list[tuple[int, int]]] = {}
        for k, section in enumerate(sections):
            if not self.scannable[k]:
                continue
            for i, term in enumerate(section.terms):
                assert term.lead is not None
                word, runs_on = term.lead
                (running if runs_on else exact).setdefault(word, []).append((k, i))
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
        for k, section in enumerate(sections):
            free: set[tuple[str, int]] = set()
            for kind, found in (
                ("pattern", section.pattern_needles),
                ("require", section.require_needles),
                ("exclude", section.exclude_needles),
            ):
                for j, needles in enumerate(found):
                    if needles is None:
                        free.add((kind, j))
                        continue
                    for needle in needles:
                        uses.setdefault(needle, []).append((k, kind, j))
            self.free.append(free)
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
        """``rules.text_scores(p, met)`` for every paragraph ``p`` (none may hold a newline)."""
        rules = self.rules
        n = len(rules.sections)
        if met is None:
            met = (False,) * n
        if not paragraphs:
            return []
        text = "\n".join(paragraphs)
        low = lowered(text)
        if low is None:
            return [rules.text_scores(p, met) for p in paragraphs]
        starts = []
        offset = 0
        for paragraph in paragraphs:
            starts.append(offset)
            offset += len(paragraph) + 1
        count = len(paragraphs)
        found: list[list[set[int]]] = [[set() for _ in range(n)] for _ in range(count)]
        for pos, word in self._places(low):
            at = bisect_right(starts, pos) - 1
            for k, i in self._targets(word):
                if i in found[at][k]:
                    continue
                term = rules.sections[k].terms[i]
                assert term.lower is not None
                if term.lower.match(low, pos):
                    found[at][k].add(i)
        hits: list[list[set[tuple[str, int]]]] = [[set() for _ in range(n)] for _ in range(count)]
        if self._needles is not None:
            for end, (size, where) in self._needles.iter(low):
                at = bisect_right(starts, end - size + 1) - 1
                cell = hits[at]
                for k, kind, j in where:
                    cell[k].add((kind, j))
        out = []
        for at, paragraph in enumerate(paragraphs):
            plow = low[starts[at] : starts[at] + len(paragraph)]
            row = []
            for k, section in enumerate(rules.sections):
                if not self.scannable[k]:
                    row.append(section.score(paragraph, met[k]))
                    continue
                tried = hits[at][k] | self.free[k]
                row.append(self._score(section, paragraph, plow, met[k], found[at][k], tried))
            out.append(tuple(row))
        return out

    @staticmethod
    def _score(
        section: CompiledSection,
        text: str,
        low: str,
        met: bool,
        terms: set[int],
        tried: set[tuple[str, int]],
    ) -> float:
        if (
            section.require
            and not met
            and not any(
                ("require", j) in tried and p.search(text) for j, p in enumerate(section.require)
            )
        ):
            return 0.0
        total = sum(section.terms[i].weight for i in terms)
        for j, (pattern, weight) in enumerate(section.patterns):
            if ("pattern", j) in tried and pattern.search(text):
                total += weight
        if total and any(
            ("exclude", j) in tried and p.search(text) for j, p in enumerate(section.exclude)
        ):
            return 0.0
        return total

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
