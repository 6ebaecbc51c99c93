"""Formatting shared by the Markdown and Word renderers."""

from __future__ import annotations

from datetime import date, datetime

from ..models import Brief, Item


def day(value: date) -> str:
    """``4 Feb 2025``."""
    return f"{value.day} {value:%b %Y}"


def stamp(value: datetime) -> str:
    """``Friday 2 January 2026, 07:00 UTC`` (the zone's abbreviation when known)."""
    zone = value.tzname() or ""
    return f"{value:%A} {value.day} {value:%B %Y}, {value:%H:%M}" + (f" {zone}" if zone else "")


def prepared(brief: Brief) -> str:
    """``5 sources, newest dated 29 Dec 2025 (11 days before this edition), oldest ...``.

    With articles that gave no bullet: ``12 sources cited, of 233 articles read, ...``.
    """
    cited = len(brief.sources)
    text = f"{cited} source{'s' if cited != 1 else ''}"
    if brief.articles != cited:
        text += f" cited, of {brief.articles} article{'s' if brief.articles != 1 else ''} read"
    if brief.newest:
        text += f", newest dated {day(brief.newest)}"
        lag = (brief.edition_time.date() - brief.newest).days
        if lag > 2:
            text += f" ({lag} days before this edition)"
    if brief.oldest and brief.oldest != brief.newest:
        text += f", oldest {day(brief.oldest)}"
    return text


def brief_words(text: str, limit: int = 12) -> str:
    """The first ``limit`` words of a text, with an ellipsis if cut."""
    words = text.split()
    return " ".join(words[:limit]) + ("…" if len(words) > limit else "")


def cite(item: Item) -> str:
    """``[1]`` or ``[1, 3]``, then ``(as of 4 Feb 2025)`` for old news."""
    text = "[" + ", ".join(str(n) for n in item.sources) + "]"
    if item.as_of is not None:
        text += f" (as of {day(item.as_of)})"
    return text
