"""Whether a user regular expression can backtrack without bound (:func:`danger`).

The constructs that make a backtracking engine super-quadratic: a repeated
group whose body can read the same text in two ways (a quantifier nested in
a quantifier, ``(\\w+\\s?)+``; alternatives that start alike,
``(\\w+|\\d+)+``), and two unbounded quantifiers in a row that can read
the same text, with something after them that can fail (``\\w+\\w+x``,
``.*a.*b``). The check reads Python's own parse of the pattern and compares
the characters each part can read, so it errs on the side of refusing.
Possessive quantifiers (``\\w++``) and atomic groups (``(?>...)``) never
give back what they read, so they are the way to keep such a pattern. See
:mod:`briefer.rules.patterns` for how user patterns are compiled and
bounded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from re import _compiler, _parser  # type: ignore[attr-defined]
from re._constants import (  # type: ignore[import-not-found]
    ANY,
    ASSERT,
    ASSERT_NOT,
    AT,
    AT_BOUNDARY,
    AT_NON_BOUNDARY,
    ATOMIC_GROUP,
    BRANCH,
    GROUPREF,
    GROUPREF_EXISTS,
    IN,
    LITERAL,
    MAX_REPEAT,
    MAXREPEAT,
    MIN_REPEAT,
    NOT_LITERAL,
    POSSESSIVE_REPEAT,
    RANGE,
    SUBPATTERN,
)

from .regexshow import show, show_seq

# Repeats allowing at least this many rounds count as unbounded loops.
_LONG = 50
# User patterns are compiled case-insensitive (briefer.rules.patterns).
FLAGS = re.IGNORECASE

_HINT = "; make the inner quantifier possessive (e.g. '\\w++') or the group atomic ('(?>...)')"


@dataclass(frozen=True, slots=True)
class _Loop:
    """An unbounded repeat and the characters its body can read."""

    item: tuple[object, object]
    chars: int


@dataclass(frozen=True, slots=True)
class _Alphabet:
    """Characters to compare character classes on: ASCII, samples of other
    scripts and categories, and every character the pattern names."""

    chars: str

    @property
    def every(self) -> int:
        return (1 << len(self.chars)) - 1


_SAMPLES = (
    "\u00a0\u00e9\u00c9\u00df\u017f\u212a\u0130\u0131\u03a9\u03c9\u0434\u0414"
    "\u063a\u0663\u05d0\u4e2d\u2019\u201c\u2014\u2028\u3000\u00b2\u01c5\u0301\U0001f600"
)


def danger(source: str) -> str | None:
    """Why ``source`` can backtrack super-quadratically, or None if it cannot.

    ``source`` must compile (see :func:`briefer.rules.patterns.compile_user`).
    """
    try:
        parsed = _parser.parse(source, FLAGS)
    except re.error:
        return None
    return _Check(parsed, source).run()


class _Check:
    def __init__(self, parsed: _parser.SubPattern, source: str) -> None:
        self.parsed = parsed
        self.state = parsed.state
        self.alphabet = _Alphabet(_alphabet(parsed))
        self._masks: dict[tuple[str, int], int] = {}

    def run(self) -> str | None:
        return self._sequence(list(self.parsed), self.state.flags, failable_after=False)

    # Character masks over the alphabet --------------------------------------

    def mask(self, item: tuple[object, object], flags: int) -> int:
        """The alphabet characters a one-character item can read."""
        key = (repr(item), flags)
        found = self._masks.get(key)
        if found is not None:
            return found
        sub = _parser.SubPattern(self.state, [item])
        regex = _compiler.compile(sub, flags)
        mask = 0
        for i, ch in enumerate(self.alphabet.chars):
            if regex.fullmatch(ch):
                mask |= 1 << i
        self._masks[key] = mask
        return mask

    def chars(self, items: Sequence[tuple[object, object]], flags: int) -> int:
        """Every alphabet character some part of ``items`` can read."""
        total = 0
        for op, av in items:
            if op in (LITERAL, NOT_LITERAL, ANY, IN):
                total |= self.mask((op, av), flags)
            elif op in (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT):
                total |= self.chars(av[2], flags)  # type: ignore[index]
            elif op is SUBPATTERN:
                total |= self.chars(av[3], _flags(flags, av))  # type: ignore[index]
            elif op is ATOMIC_GROUP:
                total |= self.chars(av, flags)  # type: ignore[arg-type]
            elif op is BRANCH:
                for branch in av[1]:  # type: ignore[index]
                    total |= self.chars(branch, flags)
            elif op is GROUPREF_EXISTS:
                total |= self.chars(av[1], flags)  # type: ignore[index]
                if av[2] is not None:  # type: ignore[index]
                    total |= self.chars(av[2], flags)  # type: ignore[index]
            elif op is GROUPREF:
                total |= self.alphabet.every
        return total

    def first(self, items: Sequence[tuple[object, object]], flags: int) -> int:
        """Alphabet characters a non-empty match of ``items`` can start with."""
        total = 0
        for item in items:
            op, av = item
            if op in (LITERAL, NOT_LITERAL, ANY, IN):
                return total | self.mask(item, flags)
            if op in (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT):
                total |= self.first(av[2], flags)  # type: ignore[index]
            elif op is SUBPATTERN:
                total |= self.first(av[3], _flags(flags, av))  # type: ignore[index]
            elif op is ATOMIC_GROUP:
                total |= self.first(av, flags)  # type: ignore[arg-type]
            elif op is BRANCH:
                for branch in av[1]:  # type: ignore[index]
                    total |= self.first(branch, flags)
            elif op in (GROUPREF, GROUPREF_EXISTS):
                return self.alphabet.every
            if not _nullable(item):
                return total
        return total

    # Pumping: can a run of characters of ``alphabet`` pass ``items``? ---------

    def passes(self, items: Sequence[tuple[object, object]], flags: int, alphabet: int) -> bool:
        """Whether some text made of ``alphabet`` characters can pass through ``items``.

        A necessary condition for two ways of reading the same text: every
        part that must read a character must be able to read one of them.
        """
        for item in items:
            op, av = item
            if _nullable(item) and op is not AT:
                continue
            if op in (LITERAL, NOT_LITERAL, ANY, IN):
                if not self.mask(item, flags) & alphabet:
                    return False
            elif op is AT:
                if av is AT_BOUNDARY and not self._mixed(alphabet):
                    return False  # no word boundary inside a run of only word (or non-word) chars
                if av not in (AT_BOUNDARY, AT_NON_BOUNDARY):
                    return False  # ^, $, \A, \Z: not inside a run of text
            elif op in (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT):
                if not self.passes(av[2], flags, alphabet):  # type: ignore[index]
                    return False
            elif op is SUBPATTERN:
                if not self.passes(av[3], _flags(flags, av), alphabet):  # type: ignore[index]
                    return False
            elif op is ATOMIC_GROUP:
                if not self.passes(av, flags, alphabet):  # type: ignore[arg-type]
                    return False
            elif op is BRANCH and not any(
                self.passes(b, flags, alphabet)
                for b in av[1]  # type: ignore[index]
            ):
                return False
        return True

    def _mixed(self, alphabet: int) -> bool:
        word = self.mask((IN, [(_parser.CATEGORY, _parser.CATEGORY_WORD)]), FLAGS)
        return bool(alphabet & word) and bool(alphabet & ~word & self.alphabet.every)

    # The walk ----------------------------------------------------------------

    def _sequence(
        self, items: list[tuple[object, object]], flags: int, failable_after: bool
    ) -> str | None:
        """Check every part of a sequence; ``failable_after``: what follows it can fail."""
        # Two unbounded loops in a row that can read the same text, then something that can fail.
        for i, item in enumerate(items):
            exits = list(self._ends(item, flags, tail=True))
            if not exits:
                continue
            for j in range(i + 1, len(items)):
                for first, post in exits:
                    for second, pre in self._ends(items[j], flags, tail=False):
                        shared = first.chars & second.chars
                        if not shared or not self.passes(
                            [*post, *items[i + 1 : j], *pre], flags, shared
                        ):
                            continue
                        if failable_after or any(_failable(x) for x in items[j + 1 :]):
                            return (
                                f"two quantifiers in a row can read the same text "
                                f"({show(first.item)} then {show(second.item)}), so a failing "
                                f"search tries every way of splitting it{_HINT}"
                            )
        for index, item in enumerate(items):
            op, av = item
            after = failable_after or any(_failable(x) for x in items[index + 1 :])
            problem: str | None = None
            if op in (MAX_REPEAT, MIN_REPEAT):
                _, high, body = av  # type: ignore[misc]
                if high > 1:
                    problem = self._repeat(list(body), flags, item)
                problem = problem or self._sequence(list(body), flags, after or high > 1)
            elif op is POSSESSIVE_REPEAT:
                problem = self._sequence(list(av[2]), flags, False)  # type: ignore[index]
            elif op is ATOMIC_GROUP:
                problem = self._sequence(list(av), flags, False)  # type: ignore[arg-type]
            elif op in (ASSERT, ASSERT_NOT):
                problem = self._sequence(list(av[1]), flags, False)  # type: ignore[index]
            elif op is SUBPATTERN:
                problem = self._sequence(list(av[3]), _flags(flags, av), after)  # type: ignore[index]
            elif op is BRANCH:
                for branch in av[1]:  # type: ignore[index]
                    problem = problem or self._sequence(list(branch), flags, after)
            elif op is GROUPREF_EXISTS:
                for branch in (av[1], av[2]):  # type: ignore[index]
                    if branch is not None:
                        problem = problem or self._sequence(list(branch), flags, after)
            if problem:
                return problem
        return None

    def _ends(
        self, item: tuple[object, object], flags: int, tail: bool
    ) -> Iterator[tuple[_Loop, list[tuple[object, object]]]]:
        """Unbounded backtracking loops in ``item`` that a neighbour can reach.

        With ``tail``, each loop comes with what follows it inside ``item``;
        else with what precedes it (what a text must pass to reach it).
        """
        op, av = item
        if op in (MAX_REPEAT, MIN_REPEAT):
            low, high, body = av  # type: ignore[misc]
            if high != low and (high is MAXREPEAT or high - low >= _LONG):
                yield _Loop(item, self.chars(body, flags)), []
            yield from self._ends_in(list(body), flags, tail)
        elif op is SUBPATTERN:
            yield from self._ends_in(list(av[3]), _flags(flags, av), tail)  # type: ignore[index]
        elif op is BRANCH:
            for branch in av[1]:  # type: ignore[index]
                yield from self._ends_in(list(branch), flags, tail)

    def _ends_in(
        self, items: list[tuple[object, object]], flags: int, tail: bool
    ) -> Iterator[tuple[_Loop, list[tuple[object, object]]]]:
        for index, item in enumerate(items):
            for loop, rest in self._ends(item, flags, tail):
                if tail:
                    yield loop, [*rest, *items[index + 1 :]]
                else:
                    yield loop, [*items[:index], *rest]

    def _repeat(
        self, body: list[tuple[object, object]], flags: int, outer: tuple[object, object]
    ) -> str | None:
        """A repeated body that can read the same text in two ways (exponential)."""
        for branch_item, flags_at in _walk(body, flags):
            op, av = branch_item
            if op is BRANCH:
                branches = av[1]  # type: ignore[index]
                starts = [self.first(b, flags_at) for b in branches]
                empty = [all(_nullable(x) for x in b) for b in branches]
                for i in range(len(starts)):
                    for j in range(i + 1, len(starts)):
                        if starts[i] & starts[j] or (empty[i] and empty[j]):
                            return (
                                f"alternatives that can start alike ({show_seq(branches[i])}"
                                f" | {show_seq(branches[j])}) inside the repeated "
                                f"{show(outer)}{_HINT}"
                            )
        for inner, before, after, flags_at in _loops(body, flags, [], []):
            alphabet = self.chars(inner[1][2], flags_at)  # type: ignore[index]
            if alphabet and self.passes(after + before, flags, alphabet):
                return (
                    f"the quantifier in {show(inner)} is nested in the repeated "
                    f"{show(outer)} and both can read the same text{_HINT}"
                )
        return None


def _walk(
    items: Sequence[tuple[object, object]], flags: int
) -> Iterator[tuple[tuple[object, object], int]]:
    """Every item inside ``items`` (not inside atomic, possessive or look-around parts)."""
    for item in items:
        yield item, flags
        op, av = item
        if op in (MAX_REPEAT, MIN_REPEAT):
            yield from _walk(av[2], flags)  # type: ignore[index]
        elif op is SUBPATTERN:
            yield from _walk(av[3], _flags(flags, av))  # type: ignore[index]
        elif op is BRANCH:
            for branch in av[1]:  # type: ignore[index]
                yield from _walk(branch, flags)


def _loops(
    items: Sequence[tuple[object, object]],
    flags: int,
    before: list[tuple[object, object]],
    after: list[tuple[object, object]],
) -> Iterator[tuple[tuple[object, object], list, list, int]]:
    """Variable repeats inside ``items``, each with what stands before and after it
    (within the outer repeat's body)."""
    for index, item in enumerate(items):
        op, av = item
        here_before = before + list(items[:index])
        here_after = list(items[index + 1 :]) + after
        if op in (MAX_REPEAT, MIN_REPEAT):
            low, high, body = av  # type: ignore[misc]
            if low != high:
                yield item, here_before, here_after, flags
            yield from _loops(body, flags, here_before, here_after)
        elif op is SUBPATTERN:
            yield from _loops(av[3], _flags(flags, av), here_before, here_after)  # type: ignore[index]
        elif op is BRANCH:
            branches = av[1]  # type: ignore[index]
            if any(all(_nullable(x) for x in b) for b in branches) and not all(
                all(_nullable(x) for x in b) for b in branches
            ):
                # (?:|a) (what "a|aa" becomes): optional like a?, so a variable part
                yield (MAX_REPEAT, (0, 1, [item])), here_before, here_after, flags
            for branch in branches:
                yield from _loops(branch, flags, here_before, here_after)


def _nullable(item: tuple[object, object]) -> bool:
    """Whether ``item`` can match without reading a character."""
    op, av = item
    if op in (LITERAL, NOT_LITERAL, ANY, IN, GROUPREF):
        return False
    if op in (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT):
        return av[0] == 0 or all(_nullable(x) for x in av[2])  # type: ignore[index]
    if op is SUBPATTERN:
        return all(_nullable(x) for x in av[3])  # type: ignore[index]
    if op is ATOMIC_GROUP:
        return all(_nullable(x) for x in av)  # type: ignore[union-attr]
    if op is BRANCH:
        return any(all(_nullable(x) for x in b) for b in av[1])  # type: ignore[index]
    return True  # anchors, look-arounds, conditionals


def _failable(item: tuple[object, object]) -> bool:
    """Whether ``item`` can fail where the text goes on: it reads, or it asserts."""
    op, _ = item
    return not _nullable(item) or op in (AT, ASSERT, ASSERT_NOT, GROUPREF_EXISTS)


def _flags(flags: int, av: object) -> int:
    _, add, remove, _ = av  # type: ignore[misc]
    return (flags | add) & ~remove


@cache
def _sample_chars() -> str:
    return "".join(chr(c) for c in range(128)) + _SAMPLES


def _alphabet(parsed: _parser.SubPattern) -> str:
    """The comparison alphabet: samples plus every character ``parsed`` names."""
    named: set[str] = set()

    def visit(items: Iterable[tuple[object, object]]) -> None:
        for op, av in items:
            if op in (LITERAL, NOT_LITERAL):
                named.add(chr(av))  # type: ignore[arg-type]
            elif op is IN:
                for sub_op, sub_av in av:  # type: ignore[attr-defined]
                    if sub_op in (LITERAL, NOT_LITERAL):
                        named.add(chr(sub_av))
                    elif sub_op is RANGE:
                        low, high = sub_av
                        for code in (low - 1, low, high, high + 1):
                            if 0 <= code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
                                named.add(chr(code))
            elif op in (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT):
                visit(av[2])  # type: ignore[index]
            elif op is SUBPATTERN:
                visit(av[3])  # type: ignore[index]
            elif op is ATOMIC_GROUP:
                visit(av)  # type: ignore[arg-type]
            elif op in (ASSERT, ASSERT_NOT):
                visit(av[1])  # type: ignore[index]
            elif op is BRANCH:
                for branch in av[1]:  # type: ignore[index]
                    visit(branch)
            elif op is GROUPREF_EXISTS:
                visit(av[1])  # type: ignore[index]
                if av[2] is not None:  # type: ignore[index]
                    visit(av[2])  # type: ignore[index]

    visit(parsed)
    for ch in list(named):
        named.update(c for c in (ch.lower(), ch.upper()) if len(c) == 1)
    base = _sample_chars()
    return base + "".join(sorted(c for c in named if c not in base))
