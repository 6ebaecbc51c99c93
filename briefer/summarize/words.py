"""Words of a text as the engine compares them: content words, figures and names."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Protocol

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_SPECIFIC = re.compile(
    r"\d+(?:[,.:]\d+)*|\b(January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
# A run of capitalized words (a name), "of" allowed inside: bounded pieces, no nesting.
_NAME = re.compile(r"(?<![\w’'])[A-Z][\w’'.-]{0,40}(?: (?:of )?[A-Z][\w’'.-]{0,40}){0,6}")
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself said says say told according would also its it's that's new""".split()
)
_SUFFIXES = ("ing", "ed", "es", "s")
# Numbers written out meet their figures: "phase two", "2nd phase", "second phase".
_NUMBERS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "first": "1", "second": "2",
    "third": "3", "1st": "1", "2nd": "2", "3rd": "3",
}  # fmt: skip


def stem(word: str) -> str:
    """A light fold of endings, so that kills/killed/killing meet ("kill")."""
    if len(word) <= 4 or word.isdigit():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            if suffix == "s" and word.endswith("ss"):
                return word
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> frozenset[str]:
    """Lower-cased content words, stop words out, endings folded: for comparing texts."""
    words = set()
    for word in _WORD.findall(text.lower()):
        word = word.replace("’", "'").removesuffix("'s")
        word = _NUMBERS.get(word, word)
        if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
            continue
        words.add(stem(word))
    return frozenset(words)


def overlap(a: frozenset[str], b: frozenset[str]) -> tuple[float, float]:
    """(Jaccard, containment of the smaller set) of two word sets."""
    if not a or not b:
        return 0.0, 0.0
    common = len(a & b)
    return common / len(a | b), common / min(len(a), len(b))


class SamePoint(Protocol):
    """The thresholds of :func:`same_point` (``[stories]`` in the rules file)."""

    @property
    def same_point_jaccard(self) -> float: ...

    @property
    def same_point_containment(self) -> float: ...


def same_point(a: frozenset[str], b: frozenset[str], rule: SamePoint) -> bool:
    """Whether two texts' content words say the same thing.

    Their Jaccard similarity, or the share of the shorter text's words
    found in the longer one, reaches the rule's threshold. Read by the
    memo's fill (a bullet that says what another says) and by the change
    line (a story that continues one of the last edition).
    """
    jaccard, containment = overlap(a, b)
    return jaccard >= rule.same_point_jaccard or containment >= rule.same_point_containment


def new_share(words: frozenset[str], seen: Iterable[frozenset[str]]) -> float:
    """The share of ``words`` that none of ``seen`` holds (0.0 when there are none)."""
    if not words:
        return 0.0
    return len(words.difference(*seen)) / len(words)


def cosine(
    a: Mapping[str, float], b: Mapping[str, float], norm_a: float = 0.0, norm_b: float = 0.0
) -> float:
    """Cosine similarity of two weighted word vectors (norms computed when not given)."""
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    dot = sum(v * large.get(w, 0.0) for w, v in small.items())
    norm_a = norm_a or math.sqrt(sum(v * v for v in a.values())) or 1.0
    norm_b = norm_b or math.sqrt(sum(v * v for v in b.values())) or 1.0
    return dot / (norm_a * norm_b)


def set_cosine(a: frozenset[str], b: frozenset[str]) -> float:
    """Cosine similarity of two word sets (each word counted once)."""
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def specific_parts(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(figures and dates, names) in ``text``, lower-cased.

    A name is a run of capitalized words not opening the sentence ("Prime
    Minister Benjamin Netanyahu" counts once).
    """
    figures = {m.group(0).lower() for m in _SPECIFIC.finditer(text)}
    names = set()
    body = text.lstrip("\"'“‘(")
    for match in _NAME.finditer(body):
        if match.start() == 0:
            rest = match.group(0).split(maxsplit=1)
            if len(rest) < 2:
                continue
            name = rest[1]
        else:
            name = match.group(0)
        names.add(name.rstrip(".").lower())
    return frozenset(figures), frozenset(names - figures)


def specifics(text: str, common: frozenset[str] = frozenset()) -> int:
    """Distinct figures, dates and names in ``text``, leaving out ``common`` names."""
    figures, names = specific_parts(text)
    return len(figures) + len(names - common)
