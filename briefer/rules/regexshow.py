"""A part of a parsed regular expression written back as pattern text, for messages.

``show`` turns one item of Python's parse (``re._parser``) into text close
to what the user wrote (``\\w+``, ``(a|b)+``), so a refusal can name the
part of the pattern it is about.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

_CATEGORY_TEXT = {
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
}


_AT_TEXT = {
    "AT_BEGINNING": "^",
    "AT_BEGINNING_STRING": r"\A",
    "AT_END": "$",
    "AT_END_STRING": r"\Z",
    "AT_BOUNDARY": r"\b",
    "AT_NON_BOUNDARY": r"\B",
}


def show(item: tuple[object, object]) -> str:
    """A readable rendering of one parsed item (for messages)."""
    op, av = item
    if op is sre.LITERAL:
        return re.escape(chr(av))  # type: ignore[arg-type]
    if op is sre.NOT_LITERAL:
        return f"[^{re.escape(chr(av))}]"  # type: ignore[arg-type]
    if op is sre.ANY:
        return "."
    if op is sre.IN:
        parts = []
        negate = False
        for sub_op, sub_av in av:  # type: ignore[attr-defined]
            if sub_op is _parser.NEGATE:
                negate = True
            elif sub_op is sre.LITERAL:
                parts.append(re.escape(chr(sub_av)))
            elif sub_op is sre.RANGE:
                parts.append(f"{re.escape(chr(sub_av[0]))}-{re.escape(chr(sub_av[1]))}")
            elif sub_op is _parser.CATEGORY:
                parts.append(_CATEGORY_TEXT.get(str(sub_av), "?"))
        if len(parts) == 1 and not negate and parts[0].startswith("\\"):
            return parts[0]
        return "[" + ("^" if negate else "") + "".join(parts) + "]"
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, high, body = av  # type: ignore[misc]
        inner = show_seq(body)
        if len(body) != 1 or body[0][0] in (sre.BRANCH,):
            inner = f"({inner})"
        if (low, high) == (0, sre.MAXREPEAT):
            mark = "*"
        elif (low, high) == (1, sre.MAXREPEAT):
            mark = "+"
        elif (low, high) == (0, 1):
            mark = "?"
        elif high is sre.MAXREPEAT:
            mark = f"{{{low},}}"
        elif low == high:
            mark = f"{{{low}}}"
        else:
            mark = f"{{{low},{high}}}"
        mark += "?" if op is sre.MIN_REPEAT else "+" if op is sre.POSSESSIVE_REPEAT else ""
        return inner + mark
    if op is sre.SUBPATTERN:
        return f"({show_seq(av[3])})"  # type: ignore[index]
    if op is sre.ATOMIC_GROUP:
        return f"(?>{show_seq(av)})"  # type: ignore[arg-type]
    if op is sre.BRANCH:
        return "|".join(show_seq(b) for b in av[1])  # type: ignore[index]
    if op is sre.AT:
        return _AT_TEXT.get(str(av), "")
    return "..."


def show_seq(items: Sequence[tuple[object, object]]) -> str:
    return "".join(show(item) for item in items)
