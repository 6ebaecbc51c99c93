"""Strings one of which every match of a pattern holds, to skip texts that hold none.

``\\bphase\\s+(1|2|one|two)\\b`` matches only text holding ``phase``; the
cue scanner (:mod:`briefer.rules.cues`) searches a paragraph with a
pattern only when one of its needles is in it. Finding them must never
be wrong, only sometimes silent: a pattern written with anything beyond
characters, classes, anchors, groups, alternatives and repeats has no
needles, and is searched everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from .patterns import CASE_UNSAFE, UserPattern, lowered
from .tokens import Token, tokens


class _Unsure(Exception):
    """The pattern holds something the needle finder does not read."""


def needles(pattern: str) -> frozenset[str] | None:
    """Lower-case strings one of which every (case-insensitive) match of ``pattern`` contains.

    None when the pattern is too free to say (it can match without any
    fixed text) or is written in a way this does not read.
    """
    parts = tokens(pattern)
    try:
        found, end = _alternatives(parts, 0)
        if end != len(parts):
            raise _Unsure
    except _Unsure:
        return None
    if not found:
        return None
    # A trailing full stop may be added when an attribution is trimmed.
    trimmed = frozenset(n.rstrip(".") for n in found)
    if any(not n or CASE_UNSAFE.search(n) or len(n.lower()) != len(n) for n in trimmed):
        return None
    return frozenset(n.lower() for n in trimmed)


def _reads(opening: str) -> bool:
    """Whether a group's text is part of the match (not a look-around)."""
    if opening.startswith(("(?<=", "(?<!")):
        return False
    return opening in ("(", "(?:", "(?>") or opening.startswith(("(?P<", "(?<"))


def _alternatives(parts: list[Token], i: int) -> tuple[set[str] | None, int]:
    """Needles of the alternatives from ``i`` to the closing parenthesis (or the end)."""
    branches = []
    while True:
        found, i = _sequence(parts, i)
        branches.append(found)
        if i < len(parts) and parts[i].kind == "alt":
            i += 1
            continue
        break
    if all(branches):
        return set().union(*branches), i  # type: ignore[arg-type]
    return None, i


def _sequence(parts: list[Token], i: int) -> tuple[set[str] | None, int]:
    """Needles of one alternative: the best of its literal runs and required groups."""
    options: list[set[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            options.append({"".join(run)})
            run.clear()

    while i < len(parts) and parts[i].kind not in ("alt", "close"):
        token = parts[i]
        i += 1
        if token.kind == "char":
            found: set[str] | None = {token.text}
        elif token.kind == "open":
            inner, i = _alternatives(parts, i)
            if i >= len(parts) or parts[i].kind != "close":
                raise _Unsure
            i += 1
            found = inner if _reads(token.text) else None
        elif token.kind in ("class", "zero"):
            found = None
        else:  # a repeat with nothing before it, or a construct not read here
            raise _Unsure
        repeat = parts[i] if i < len(parts) and parts[i].kind == "repeat" else None
        if repeat is not None:
            i += 1
        if token.kind == "char" and repeat is None:
            run.append(token.text)
            continue
        flush()
        if found and (repeat is None or repeat.low >= 1):
            options.append(found)
    flush()
    if not options:
        return None, i
    return max(options, key=lambda o: (min(len(n) for n in o), -len(o))), i


class NeedleIndex:
    """Which of several patterns can match a text: those whose needles it holds
    (found in one Aho-Corasick pass), and those without needles."""

    def __init__(self, patterns: Sequence[UserPattern]) -> None:
        import ahocorasick

        self.patterns = tuple(patterns)
        self.count = len(patterns)
        self.free: set[int] = set()
        self._automaton: ahocorasick.Automaton | None = None
        uses: dict[str, list[int]] = {}
        for i, pattern in enumerate(patterns):
            found = needles(pattern.pattern)
            if found is None:
                self.free.add(i)
                continue
            for needle in found:
                uses.setdefault(needle, []).append(i)
        if uses:
            automaton = ahocorasick.Automaton()
            for needle, where in uses.items():
                automaton.add_word(needle, tuple(where))
            automaton.make_automaton()
            self._automaton = automaton

    def worth_trying(self, text: str) -> list[int]:
        """Indices of the patterns that can match ``text``, in order."""
        low = lowered(text)
        if low is None:
            return list(range(self.count))
        found: set[int] | None = None
        if self._automaton is not None:
            for _, where in self._automaton.iter(low):
                if found is None:
                    found = set(self.free)
                found.update(where)
        return sorted(self.free if found is None else found)

    def first(self, text: str) -> tuple[int, regex.Match[str]] | None:
        """The first pattern (in order) that matches ``text``: its index and match."""
        for i in self.worth_trying(text):
            match = self.patterns[i].search(text)
            if match is not None:
                return i, match
        return None
