"""Figures a text gives (``[[questions.figure]]``: a death toll, arrests) and whether two agree.

Two sources of one event give its toll within a few times of each other
("at least 13", "14"); figures further apart than ``[questions] max_ratio``
count different things. Open questions set near figures against each
other. A running total (``[questions] running_total``: since the ceasefire)
far from another figure tells another event: the two are not one story,
and a bullet does not cite the other. Two figures of the day far apart may
be one toll that rose (4, then 31), and are not told apart.
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


Figures = dict[str, tuple[frozenset[int], bool]]  # label -> (values, a running total)


def counts(texts: Iterable[str], rules: Rules) -> Figures:
    """The precise figures each label finds in ``texts`` (vague ones left out), and
    whether a text giving them is a running total (``[questions] running_total``)."""
    found: dict[str, set[int]] = {}
    totals: set[str] = set()
    for text in texts:
        total: bool | None = None  # read once, when the text gives a figure
        for label, pattern in rules.figure_patterns(text):
            at = 0
            for _ in range(MAX_PER_TEXT):
                match = pattern.search(text, at)
                if match is None:
                    break
                value = value_of(match)
                if isinstance(value, int) and value > 0:
                    found.setdefault(label, set()).add(value)
                    if total is None:
                        total = any(p.search(text) for p in rules.running_total)
                    if total:
                        totals.add(label)
                at = max(match.end(), at + 1)
    return {label: (frozenset(values), label in totals) for label, values in found.items()}


def reported(head: Figures, body: Figures, ratio: float) -> Figures:
    """What an item reports: its headline's figure of a thing, else its body's.

    The headline's figure is a running total when it is, or when the body
    gives it (or one near it) as one ("killed 414" over "414 since the
    ceasefire"); the body's total beside the day's toll is context.
    """
    told = dict(body)
    for label, (values, total) in head.items():
        others, running = body.get(label, (frozenset(), False))
        near = any(comparable(a, b, ratio) for a in values for b in others)
        told[label] = (values, total or (running and near))
    return told


def disagree(mine: Figures, other: Figures, ratio: float) -> bool:
    """Whether two texts tell other events: for every thing both count, one at least
    gives a running total, and no two of their figures are within ``ratio`` of each
    other (3 killed today and 414 since the ceasefire; 232 fishermen and 55
    journalists since the war began). Two figures of the day far apart may be one
    toll that rose (4, then 31): not told apart."""
    shared: Sequence[str] = [label for label in mine if label in other]
    return bool(shared) and all(
        (mine[label][1] or other[label][1])
        and not any(
            comparable(a, b, ratio) for a in mine[label][0] for b in other[label][0]
        )
        for label in shared
    )
