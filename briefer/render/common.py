"""Formatting shared by the Markdown and Word renderers."""

from __future__ import annotations

from datetime import date, datetime

from ..models import Item


def day(value: date) -> str:
    """``4 Feb 2025``."""
    return f"{value.day} {value:%b %Y}"


def stamp(value: datetime) -> str:
    """``Friday 2 January 2026, 07:00 UTC`` (the zone's abbreviation when known)."""
    zone = value.tzname() or ""
    return f"{value:%A} {value.day} {value:%B %Y}, {value:%H:%M}" + (f" {zone}" if zone else "")


def cite(item: Item) -> str:
    """``[1]`` or ``[1, 3]``, then ``(as of 4 Feb 2025)`` for old news."""
    text = "[" + ", ".join(str(n) for n in item.sources) + "]"
    if item.as_of is not None:
        text += f" (as of {day(item.as_of)})"
    return text
