"""User regular expressions that cannot hang a run.

The rules file's ``patterns``, ``require_any`` and ``exclude`` are Python
regular expressions, run on untrusted feed text. Python's engine
backtracks: ``(a+)+$`` on forty ``a`` and a ``!`` takes hours, and
``\\w+\\w+x`` on a 2,000-letter word takes seconds. Two measures keep every
search short:

1. **Refused at load time** (:func:`~briefer.rules.backtrack.danger`):
   the constructs that make a backtracking engine super-quadratic. A repeated group whose body can
   read the same text in two ways (a quantifier nested in a quantifier,
   ``(\\w+\\s?)+``; alternatives that start alike, ``(\\w+|\\d+)+``), and two
   unbounded quantifiers in a row that can read the same text, with
   something after them that can fail (``\\w+\\w+x``, ``.*a.*b``). The
   check reads Python's own parse of the pattern and compares the
   characters each part can read, so it errs on the side of refusing.
   Possessive quantifiers (``\\w++``) and atomic groups (``(?>...)``) never
   give back what they read, so they are the way to keep such a pattern.
2. **Bounded input** (:class:`UserPattern`): a search reads at most
   :data:`MAX_TEXT` characters of a text, so what remains (a single
   quantifier retried at each start, quadratic at worst) stays within
   milliseconds. No bullet is that long.

Why not an engine without backtracking (RE2)? Its ``\\b`` and ``\\w`` know
only ASCII letters: a rule naming a place in Arabic or Hebrew script
(``\\bغزة``) would silently never match, and ``\\bIran\\b`` would match
inside ``Iranê``. Python's engine keeps the meaning the rules file
documents; the two measures above keep its time bounded.

:func:`needles` and :func:`lowered` let a caller skip a search: strings
one of which every match contains, and text lower-cased where that is
the same as case-insensitive matching.
"""

from __future__ import annotations

import re
from re import _casefix, _parser  # type: ignore[attr-defined]

from .backtrack import FLAGS, danger

# A search reads at most this many characters of a text (a bullet is far shorter).
MAX_TEXT = 1_000


class UserPattern:
    """A compiled user pattern whose searches read at most :data:`MAX_TEXT` characters.

    Stands in for :class:`re.Pattern` where the engine uses one (``pattern``,
    ``search``, ``match``, ``fullmatch``).
    """

    __slots__ = ("_regex", "pattern")

    def __init__(self, regex: re.Pattern[str]) -> None:
        self._regex = regex
        self.pattern: str = regex.pattern

    def search(self, text: str, pos: int = 0, endpos: int = MAX_TEXT) -> re.Match[str] | None:
        return self._regex.search(text, pos, min(endpos, pos + MAX_TEXT))

    def match(self, text: str, pos: int = 0, endpos: int = MAX_TEXT) -> re.Match[str] | None:
        return self._regex.match(text, pos, min(endpos, pos + MAX_TEXT))

    def fullmatch(self, text: str, pos: int = 0, endpos: int = MAX_TEXT) -> re.Match[str] | None:
        return self._regex.fullmatch(text, pos, min(endpos, pos + MAX_TEXT))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UserPattern) and other._regex == self._regex

    def __hash__(self) -> int:
        return hash(self._regex)

    def __repr__(self) -> str:
        return f"UserPattern({self.pattern!r})"


def compile_pattern(source: str, flags: int = FLAGS) -> UserPattern:
    """Compile one user regex (case-insensitive by default).

    Raises ValueError, saying why, for a bad pattern or one that can
    backtrack without bound.
    """
    try:
        regex = re.compile(source, flags)
    except re.error as exc:
        raise ValueError(f"bad regular expression {source!r}: {exc}") from None
    reason = danger(source)
    if reason is not None:
        raise ValueError(f"{source!r} can backtrack without bound on hostile text: {reason}")
    return UserPattern(regex)


# Characters whose case-insensitive matching ``str.lower`` does not reproduce
# (the dotless i, the long s, Greek and Cyrillic letters with several cases,
# and the dotted capital I, which lowers to two characters). Text holding one
# is matched the slow, exact way.
CASE_UNSAFE = re.compile(
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


def lowered(text: str) -> str | None:
    """``text`` lower-cased, or None where lower-casing is not case-insensitive matching."""
    if text.isascii():
        return text.lower()
    if CASE_UNSAFE.search(text):
        return None
    return text.lower()


def may_hold(low: str | None, needles: frozenset[str] | None) -> bool:
    """False only when ``low`` (a lowered text) holds none of ``needles``."""
    return low is None or needles is None or any(n in low for n in needles)


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
    if any(not n or CASE_UNSAFE.search(n) or len(n.lower()) != len(n) for n in trimmed):
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
