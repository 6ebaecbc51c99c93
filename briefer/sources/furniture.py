"""Lines around an article's body that carry metadata: bylines and "Updated" dates.

* A byline: ``By Danny KEMP, AFP``, ``By Jane DOE and John ROE, Reuters``,
  ``By Jane Doe, John Roe and Ann Poe``, ``By Jane Doe | Reuters``: the
  authors (one or several) and, after the last separator, the publisher.
* An update line: ``Updated 8 Jan 2026``, ``Updated: January 8, 2026``,
  ``Last updated on 8 January 2026, 14:32 GMT``, ``Updated 2026-01-08``.

Each is recognised only as a whole line of the expected shape, so a
sentence of the body that starts with "By" or "Updated" stays body text.
Every pattern here reads a line in linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MAX_BYLINE_WORDS = 16
_BY = re.compile(r"\s*By\s+(?P<rest>\S.{0,200})", re.IGNORECASE)
# The publisher follows the last of these (dashes only between spaces: "Al-Monitor").
_PUBLISHER_SEP = re.compile(r"\s*(?:,|/|\|)\s*|\s+[-–—]\s+")
_AUTHOR_SEP = re.compile(r"\s*,\s*|\s+(?:and|&)\s+", re.IGNORECASE)
_PARTICLES = frozenset("al bin da de del der di du el la le van von".split())
_NAME_WORD = re.compile(r"[A-Z][\w.'’-]*|[A-Z]\.")
_PUBLISHER = re.compile(r"[A-Z0-9][\w&.'’ -]{0,39}")
_PUBLISHER_WORDS = frozenset("of the for and on de al el la le".split())

_MONTHS = {
    name: n
    for n, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
_UPDATED = re.compile(
    r"\s*(?:last\s+)?updated(?:\s+on)?\s*:?\s*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    r"(?P<date>.{6,40}?)\s*",
    re.IGNORECASE,
)
_DATE_FORMS = (
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?"),
    re.compile(r"(?P<d>\d{1,2})\s+(?P<mon>[a-z]{3,9})\.?,?\s+(?P<y>\d{4})", re.IGNORECASE),
    re.compile(r"(?P<mon>[a-z]{3,9})\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})", re.IGNORECASE),
)
# What may follow the date on its line: a time and a zone ("14:32 GMT", "3:04 p.m. ET").
_TIME_TAIL = re.compile(
    r"(?:[,\s]+(?:at\s+)?\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{1,5})?)?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Byline:
    """Who wrote an article, and for whom (when the line says)."""

    author: str  # one name, or several joined as written ("Jane DOE and John ROE")
    publisher: str | None


def read_byline(line: str) -> Byline | None:
    """The byline on ``line``, or None when the line is not one."""
    if len(line.split()) > MAX_BYLINE_WORDS:
        return None
    match = _BY.fullmatch(line)
    if match is None:
        return None
    rest = match.group("rest").strip()
    # "Names, Publisher": the publisher follows the last separator, unless
    # that part is the end of a list of names ("..., John Roe and Ann Poe").
    separators = list(_PUBLISHER_SEP.finditer(rest))
    if separators:
        last = separators[-1]
        authors, publisher = rest[: last.start()].strip(), rest[last.end() :].strip()
        listed = _AUTHOR_SEP.search(publisher) is not None
        if not listed and _is_publisher(publisher) and _names(authors):
            return Byline(author=authors, publisher=publisher)
    if _names(rest):
        return Byline(author=rest, publisher=None)
    return None


def _names(text: str) -> bool:
    """Whether ``text`` is one or more personal names ("Jane DOE and John ROE")."""
    names = [n for n in _AUTHOR_SEP.split(text) if n]
    return bool(names) and all(_is_name(n) for n in names)


def _is_publisher(text: str) -> bool:
    """A publisher's name: "AFP", "Times of Israel", "The New Arab" (no sentence)."""
    words = text.split()
    if not _PUBLISHER.fullmatch(text) or len(words) > 5 or text.endswith(("!", "?")):
        return False
    if text.endswith(".") and not re.search(r"\b(?:[A-Z]\.)+$|\b(?:Inc|Ltd|Co)\.$", text):
        return False
    return all(w[0].isupper() or w[0].isdigit() or w in _PUBLISHER_WORDS for w in words)


def _is_name(text: str) -> bool:
    words = text.split()
    if not 1 <= len(words) <= 5:
        return False
    if not _NAME_WORD.fullmatch(words[0]):
        return False
    return all(_NAME_WORD.fullmatch(w) or w.lower() in _PARTICLES for w in words[1:])


def read_updated(line: str) -> date | None:
    """The date of an "Updated ..." line, or None when the line is not one."""
    if len(line) > 80:
        return None
    match = _UPDATED.fullmatch(line)
    if match is None:
        return None
    text = match.group("date")
    for form in _DATE_FORMS:
        found = form.match(text)
        if found is None or not _TIME_TAIL.fullmatch(text[found.end() :]):
            continue
        month = found.groupdict().get("m")
        number = int(month) if month else _MONTHS.get(found.group("mon").lower())
        if number is None:
            return None
        try:
            return date(int(found.group("y")), number, int(found.group("d")))
        except ValueError:
            return None
    return None
