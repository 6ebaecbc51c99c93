"""User regular expressions that cannot hang a run.

The rules file's ``patterns``, ``require_any`` and ``exclude``, and the
``[candidates]`` patterns (``dateline``, ``junk``, ``headline_trim``), are
regular expressions run on feed text nobody vetted, with the ``regex``
module (version 0: the syntax and meaning of Python's ``re``; possessive
quantifiers ``\\w++`` and atomic groups ``(?>...)`` included). A
backtracking engine can take hours on one search (``(a+)+$`` on a run of
``a`` and a ``!``), so three measures keep every search short:

1. **Refused at load time** (:mod:`briefer.rules.probe`): each pattern is
   tried on hostile lines built from its own parts, and one that takes
   longer than ``[regex] timeout`` on one of them is refused, naming the
   file, section and key.
2. **Bounded input** (:class:`UserPattern`): a search reads at most
   :data:`MAX_TEXT` characters of a text (no bullet is that long), the
   length the probe tried, so what the probe saw bounds what a feed can do.
3. **A timeout on every search**: a search that takes longer than
   ``[regex] timeout`` counts as no match, and the run says so once per
   pattern (a warning naming the file, section, key and pattern).

Where ``regex`` differs from ``re``: ``\\w`` (and so ``\\b``) also reads
combining marks (``é`` written as ``e`` and an accent is one word) and
not superscript digits or vulgar fractions (``²``, ``½``); a dotless
``ı`` no longer matches ``i``; look-behinds may have any length. An engine
without backtracking (RE2) was not an option: its ``\\b`` and ``\\w`` know
only ASCII, so a rule naming a place in Arabic or Hebrew script would
silently never match.

:func:`lowered` lets a caller skip a search: the text lower-cased where
that is the same as case-insensitive matching.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

import regex

log = logging.getLogger("briefer.rules")

# Case-insensitive, with the meaning of Python's re (version 0).
FLAGS = regex.IGNORECASE | regex.V0
CASED = regex.V0

# A search reads at most this many characters of a text (a bullet is far shorter).
MAX_TEXT = 1_000


class UserPattern:
    """A user's compiled pattern: searches bounded in length and in time.

    Stands in for a compiled pattern where the engine uses one
    (``pattern``, ``search``, ``match``, ``fullmatch``). A search that takes
    longer than ``timeout`` seconds counts as no match; the first such
    search logs one warning naming ``where`` (the file, section and key).
    """

    __slots__ = ("_regex", "_warned", "pattern", "timeout", "where")

    def __init__(self, compiled: regex.Pattern[str], timeout: float, where: str = "") -> None:
        self._regex = compiled
        self.pattern: str = compiled.pattern
        self.timeout = timeout
        self.where = where
        self._warned = False

    def placed(self, where: str, timeout: float) -> UserPattern:
        """This pattern (compiled once) with its searches' timeout, named by ``where``."""
        return UserPattern(self._regex, timeout, where)

    def search(self, text: str, pos: int = 0, endpos: int = MAX_TEXT) -> regex.Match[str] | None:
        try:
            return self._regex.search(text, pos, min(endpos, pos + MAX_TEXT), timeout=self.timeout)
        except TimeoutError:
            return self._timed_out()

    def match(self, text: str, pos: int = 0, endpos: int = MAX_TEXT) -> regex.Match[str] | None:
        try:
            return self._regex.match(text, pos, min(endpos, pos + MAX_TEXT), timeout=self.timeout)
        except TimeoutError:
            return self._timed_out()

    def fullmatch(
        self, text: str, pos: int = 0, endpos: int = MAX_TEXT
    ) -> regex.Match[str] | None:
        try:
            return self._regex.fullmatch(
                text, pos, min(endpos, pos + MAX_TEXT), timeout=self.timeout
            )
        except TimeoutError:
            return self._timed_out()

    @property
    def groupindex(self) -> Mapping[str, int]:
        """The pattern's named groups."""
        return self._regex.groupindex

    def _timed_out(self) -> None:
        if not self._warned:
            self._warned = True
            log.warning(
                "%s: %r took over %g s on a text and counted as no match there "
                "(said once per run)",
                self.where or "rules",
                self.pattern,
                self.timeout,
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UserPattern) and (other.pattern, other._regex.flags) == (
            self.pattern,
            self._regex.flags,
        )

    def __hash__(self) -> int:
        return hash((self.pattern, self._regex.flags))

    def __repr__(self) -> str:
        return f"UserPattern({self.pattern!r})"


def compile_pattern(source: str, timeout: float, flags: int = FLAGS) -> UserPattern:
    """Compile one user regex (case-insensitive by default) and probe it.

    Raises ValueError, saying why, for a bad pattern or one that can take
    longer than ``timeout`` on one hostile line (see :mod:`briefer.rules.probe`).
    """
    from .probe import danger

    try:
        compiled = regex.compile(source, flags)
    except regex.error as exc:
        raise ValueError(f"bad regular expression {source!r}: {exc}") from None
    reason = danger(compiled, timeout)
    if reason is not None:
        raise ValueError(f"{source!r} can backtrack without bound on hostile text: {reason}")
    return UserPattern(compiled, timeout)


# Characters whose case-insensitive matching ``str.lower`` does not reproduce,
# in ``re`` (cue terms) or ``regex`` (patterns): the micro sign, the dotless
# and dotted i, the long s, Greek and Cyrillic letters with several cases,
# ligatures, and the capital sigma, which ``str.lower`` turns into σ or ς
# by the letters around it. Text holding one is matched the slow, exact way.
# tests/test_patterns.py checks the list against both engines.
CASE_UNSAFE = re.compile(
    "[\u00b5\u0130\u0131\u017f\u0345\u0390\u03a3\u03b0\u03b2\u03b5\u03b8\u03b9\u03ba\u03bc\u03c0"
    "\u03c1\u03c2\u03c3\u03c6\u03d0\u03d1\u03d5\u03d6\u03f0\u03f1\u03f5\u0432\u0434\u043e"
    "\u0441\u0442\u044a\u0463\u1c80-\u1c88\u1e61\u1e9b\u1fbe\u1fd3\u1fe3\ua64b\ufb05\ufb06]"
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
