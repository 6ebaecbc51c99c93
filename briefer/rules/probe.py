"""Whether a user pattern can backtrack without bound: try it on hostile lines.

A backtracking engine is slow on a pattern that can read the same text in
many ways when the search must fail at the end: ``(\\w+\\s?)+$`` on a long
word and a ``!``, ``\\w+\\w+x`` on a long word, an ``!`` and an ``x``. So
:func:`danger` builds such lines from the pattern's own parts (long runs
of what its parts can read, alone, mixed in pairs or after one of its
literal texts, each ending in a character that makes the match fail),
each as long as a search ever reads (:data:`~briefer.rules.patterns.MAX_TEXT`),
and searches each with the rules file's timeout. A pattern whose search
takes longer than that on one of them (twice, so that a busy machine does
not refuse a good pattern) is refused. Possessive quantifiers (``\\w++``)
and atomic groups (``(?>...)``) never give back what they read, and are
the way to keep such a pattern.

The lines are a search, not a proof: a pattern slow only on text of a
shape none of them has is not refused here; its searches are still cut
off by the timeout when the memo is built.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

import regex

from .patterns import MAX_TEXT
from .tokens import tokens

# Endings a search must fail on: a character few patterns read, or a line break then one.
_ENDINGS = ("!", "\n!")
# Pairs of parts (and literal texts of at most two characters), the first
# repeated this many times before the second: "abab", "aaa aaa aaa".
_PAIRS = (1, 3)
# At most this many parts and literal texts of one pattern are combined.
_PARTS = 12
_LITERALS = 8

_HINT = "make the inner quantifier possessive (e.g. '\\w++') or the group atomic ('(?>...)')"

_verdicts: dict[tuple[str, int, float], str | None] = {}


def danger(compiled: regex.Pattern[str], timeout: float) -> str | None:
    """Why ``compiled`` is refused (a hostile line it is slow on), or None."""
    key = (compiled.pattern, compiled.flags, timeout)
    if key not in _verdicts:
        _verdicts[key] = _try(compiled, timeout)
    return _verdicts[key]


def _try(compiled: regex.Pattern[str], timeout: float) -> str | None:
    for line in hostile_lines(compiled.pattern):
        if _slow(compiled, line, timeout) and _slow(compiled, line, timeout):
            return (
                f"one search of a {len(line):,}-character line ({_show(line)}) took over "
                f"{timeout:g} s; {_HINT}"
            )
    return None


def _slow(compiled: regex.Pattern[str], line: str, timeout: float) -> bool:
    try:
        compiled.search(line, timeout=timeout)
    except TimeoutError:
        return True
    return False


def hostile_lines(source: str) -> Iterator[str]:
    """Lines of :data:`MAX_TEXT` characters on which ``source`` may backtrack most."""
    parts, loops, literals = _parts(source)
    units = list(dict.fromkeys(parts + loops))[:_PARTS]
    for unit in units:
        for end in ("", *_ENDINGS):
            yield _run(unit, end)
    for literal in literals[:_LITERALS]:
        for unit in parts[:_PARTS]:
            for end in _ENDINGS:
                yield literal + _run(unit, end, len(literal))
                yield _run(unit, end + literal)
    # Two parts in turn ("a a a", "abab") matter where a whole group repeats.
    short = [u for u in units if len(u) <= 2] if _repeats_a_group(source) else []
    for first in short:
        for second in short:
            if first != second:
                for times in _PAIRS:
                    for end in _ENDINGS:
                        yield _run(first * times + second, end)


def _repeats_a_group(source: str) -> bool:
    found = tokens(source)
    return any(a.kind == "close" and b.kind == "repeat" for a, b in pairwise(found))


def _run(unit: str, end: str, room: int = 0) -> str:
    """``unit`` repeated, then ``end``: :data:`MAX_TEXT` characters with ``room`` before."""
    size = MAX_TEXT - room - len(end)
    return (unit * (size // len(unit) + 1))[:size] + end


def _parts(source: str) -> tuple[list[str], list[str], list[str]]:
    """What the pattern's repeated parts read, one character each; the literal texts
    inside its repeated groups; and all its literal texts.

    Only a repeat can backtrack, so the hostile runs are made of what the
    repeats read; a literal text elsewhere is put before or after a run,
    where the pattern needs it to reach or to try its repeats.
    """
    found = tokens(source)
    repeated = [False] * len(found)
    opened: list[int] = []
    for i, token in enumerate(found):
        after = found[i + 1].kind == "repeat" if i + 1 < len(found) else False
        if token.kind == "open":
            opened.append(i)
        elif token.kind == "close" and opened:
            start = opened.pop()
            if after:
                repeated[start:i] = [True] * (i - start)
        if after and token.kind in ("char", "class"):
            repeated[i] = True
    parts: list[str] = []
    loops: list[str] = []
    literals: list[str] = []
    run: list[int] = []

    def flush() -> None:
        if run:
            text = "".join(found[k].text for k in run)
            literals.append(text)
            if all(repeated[k] for k in run):
                loops.append(text)
            run.clear()

    for i, token in enumerate(found):
        alone = not (i + 1 < len(found) and found[i + 1].kind == "repeat")
        if token.kind == "char" and alone and (not run or repeated[run[0]] == repeated[i]):
            run.append(i)
            continue
        flush()
        if token.kind == "char" and alone:
            run.append(i)
        elif token.kind in ("char", "class") and repeated[i]:
            parts.extend(token.text)
    flush()
    return list(dict.fromkeys(parts)), list(dict.fromkeys(loops)), list(dict.fromkeys(literals))


def _show(line: str) -> str:
    """A hostile line in short: ``'aaaaaaaa…aa!'``."""
    return repr(line if len(line) <= 16 else line[:10] + "…" + line[-4:])
