"""Figures a text gives (``[[questions.figure]]``: a death toll, arrests) and whether two agree.

Two sources of one event give its toll within a few times of each other
("at least 13", "14"); figures further apart than ``[questions] max_ratio``
count different things (one strike's toll and the toll since the
ceasefire). Open questions set near figures against each other; a bullet
does not cite a source whose figures of the same thing are all far from
its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..rules import Rules

NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "dozens": -24, "hundreds": -200, "thousands": -2000,
}  # fmt: skip  (negative: a vague count, compared as words)
MAX_PER_TEXT = 8  # figures of one pattern read in one text (bounds the work)


def value_of(match: re.Match[str]) -> object:
    """The number a figure gives (a word for a vague one: "hundreds")."""
    number = match.groupdict().get("number") or match.group("figure")
    digits = re.sub(r"[^\d]", "", number)
    if digits:
        return int(digits)
    word = number.strip().lower()
    return NUMBERS.get(word, word)


def comparable(value: object, anchor: object, ratio: float) -> bool:
    """Whether two figures may count the same thing: within ``ratio`` of each other.

    A vague count ("hundreds", kept as a word or a negative number) is
    compared with any figure.
    """
    if not isinstance(value, int) or not isinstance(anchor, int) or value <= 0 or anchor <= 0:
        return True
    return max(value, anchor) <= ratio * min(value, anchor)


def counts(texts: Iterable[str], rules: Rules) -> dict[str, frozenset[int]]:
    """The precise figures each label finds in ``texts`` (vague ones left out)."""
    found: dict[str, set[int]] = {}
    for text in texts:
        for label, pattern in rules.figures:
            at = 0
            for _ in range(MAX_PER_TEXT):
                match = pattern.search(text, at)
                if match is None:
                    break
                value = value_of(match)
                if isinstance(value, int) and value > 0:
                    found.setdefault(label, set()).add(value)
                at = max(match.end(), at + 1)
    return {label: frozenset(values) for label, values in found.items()}


def disagree(
    mine: dict[str, frozenset[int]], other: dict[str, frozenset[int]], ratio: float
) -> bool:
    """Whether two texts count one thing (a label both give) only far apart: other events."""
    shared: Sequence[str] = [label for label in mine if other.get(label)]
    return bool(shared) and all(
        not any(comparable(a, b, ratio) for a in mine[label] for b in other[label])
        for label in shared
    )
