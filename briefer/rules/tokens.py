"""A regular expression read as a list of tokens, for the two things briefer asks of one.

Neither the ``regex`` module nor Python's ``re`` offers its parse publicly,
and briefer needs little of it: the literal text a pattern requires
(:mod:`briefer.rules.needles`) and the characters its parts can read, to
build hostile texts for it (:mod:`briefer.rules.probe`). :func:`tokens`
reads a pattern left to right into characters, character classes,
anchors, groups, alternatives and repeats; whatever else it meets (a
back-reference, ``\\p{...}``, a fuzzy ``{e<=1}``, inline flags) is an
``other`` token, which the needle finder takes as "cannot say" and the
probe ignores.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A character each class escape reads (samples for hostile texts).
_CLASS_SAMPLES = {"w": "a", "W": "!", "d": "1", "D": "a", "s": " ", "S": "a"}
_CONTROL = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}
_REPEAT = re.compile(r"\{(\d+)(,(\d*))?\}|\{,(\d+)\}")
_GROUP = re.compile(r"\(\?(?::|>|P<\w+>|<\w+>|=|!|<=|<!)")
# Characters a negated class (``[^...]``) may read: the first it does not name.
_OUTSIDE = "a1 !."


@dataclass(frozen=True, slots=True)
class Token:
    """One part of a pattern.

    ``kind`` is ``char`` (``text`` is the character), ``class`` (``text``
    holds characters it reads), ``zero`` (an anchor), ``open`` (``text`` is
    the group's opening: ``(``, ``(?:``, ``(?>``, ``(?=``, ...), ``close``,
    ``alt``, ``repeat`` (``low``, ``high``; None: no upper bound), or
    ``other``.
    """

    kind: str
    text: str = ""
    low: int = 0
    high: int | None = None


def tokens(source: str) -> list[Token]:
    """``source`` as tokens (see the module docstring)."""
    out: list[Token] = []
    i = 0
    while i < len(source):
        c = source[i]
        if c == "\\":
            out.append(_escape(source[i + 1 : i + 2]))
            i += 2
        elif c == "[":
            end, token = _set(source, i)
            out.append(token)
            i = end
        elif c == "(":
            group = _GROUP.match(source, i)
            if group:
                out.append(Token("open", group.group(0)))
                i = group.end()
            elif source.startswith("(?", i):
                out.append(Token("other", "(?"))  # flags, comments, conditionals
                out.append(Token("open", "(?"))
                i += 2
            else:
                out.append(Token("open", "("))
                i += 1
        elif c in "*+?{":
            i = _repeat(source, i, out)
        else:
            kind = {")": "close", "|": "alt", "^": "zero", "$": "zero", ".": "class"}.get(c, "char")
            out.append(Token(kind, "a" if c == "." else c))
            i += 1
    return out


def _escape(e: str) -> Token:
    if e in _CLASS_SAMPLES:
        return Token("class", _CLASS_SAMPLES[e])
    if e in ("b", "B", "A", "Z"):
        return Token("zero", e)
    if e in _CONTROL:
        return Token("char", _CONTROL[e])
    if not e or (e.isascii() and e.isalnum()):
        return Token("other", e)  # a back-reference, \p{..}, \x41, \N{..}, ...
    return Token("char", e)


def _set(source: str, start: int) -> tuple[int, Token]:
    """The end of the character class opening at ``start``, and its token."""
    i = start + 1
    negated = source.startswith("^", i)
    i += negated
    members: list[str] = []
    first = True
    while i < len(source) and (source[i] != "]" or first):
        first = False
        c = source[i]
        if c == "\\" and i + 1 < len(source):
            e = source[i + 1]
            members.append(_CLASS_SAMPLES.get(e) or _CONTROL.get(e) or e)
            i += 2
            continue
        if c == "[" and source.startswith("[:", i):  # a POSIX class: [[:alpha:]]
            end = source.find(":]", i)
            i = end + 2 if end > 0 else len(source)
            members.append("a")
            continue
        members.append(c)
        i += 1
    if negated:
        members = [next((c for c in _OUTSIDE if c not in members), "\x00")]
    samples = "".join(dict.fromkeys(m for m in members if m not in "-"))[:4] or "a"
    return i + 1, Token("class", samples)


def _repeat(source: str, i: int, out: list[Token]) -> int:
    """Read the repeat at ``i`` into ``out``; where reading goes on."""
    c = source[i]
    if c == "{":
        found = _REPEAT.match(source, i)
        if not found:
            out.append(Token("other", "{"))  # a literal brace, or a fuzzy match
            return i + 1
        if found.group(4) is not None:
            low, high = 0, int(found.group(4))
        else:
            low = int(found.group(1))
            high = low if not found.group(2) else int(found.group(3)) if found.group(3) else None
        end = found.end()
    else:
        low, high = {"*": (0, None), "+": (1, None), "?": (0, 1)}[c]
        end = i + 1
    if source[end : end + 1] in ("?", "+"):  # lazy or possessive: the same text is required
        end += 1
    out.append(Token("repeat", source[i:end], low, high))
    return end
