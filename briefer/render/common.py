"""Formatting shared by the Markdown and Word renderers.

Dates are joined with non-breaking spaces (:data:`NBSP`), so that "29 Dec
2025" or "07:00 UTC" never breaks across lines, in Word or in Markdown.
"""

from __future__ import annotations

from datetime import date, datetime

from ..models import Brief, Changes, Dropped, Item
from ..text import plural

NBSP = "\u00a0"
MAX_DROPPED = 3  # stories named in each list of the change line; the rest are counted


def _glue(text: str) -> str:
    return text.replace(" ", NBSP)


def day(value: date) -> str:
    """``4 Feb 2025`` (non-breaking)."""
    return _glue(f"{value.day} {value:%b %Y}")


def stamp(value: datetime) -> str:
    """``Friday 2 January 2026, 07:00 UTC`` (the zone's abbreviation when known; non-breaking)."""
    zone = value.tzname() or ""
    text = f"{value:%A} {value.day} {value:%B %Y}, {value:%H:%M}" + (f" {zone}" if zone else "")
    return _glue(text)


def short_stamp(value: datetime, edition_time: datetime | None = None) -> str:
    """``Fri 9 Jan 07:00`` (the year too when it is not the edition's; non-breaking)."""
    year = "" if edition_time is not None and edition_time.year == value.year else f" {value:%Y}"
    return _glue(f"{value:%a} {value.day} {value:%b}{year} {value:%H:%M}")


def page_stamp(value: datetime) -> str:
    """``2 Jan 2026, 07:00 UTC``: the edition time in the page header (non-breaking)."""
    zone = value.tzname() or ""
    return _glue(f"{value.day} {value:%b %Y}, {value:%H:%M}" + (f" {zone}" if zone else ""))


def prepared(brief: Brief) -> str:
    """``5 sources, newest dated 29 Dec 2025 (11 days before this edition), oldest ...``.

    With articles that gave no bullet: ``12 sources cited, of 233 articles read, ...``.
    """
    cited = len(brief.sources)
    text = plural(cited, "source")
    if brief.articles != cited:
        text += f" cited, of {plural(brief.articles, 'article')} read"
    if brief.newest:
        text += f", newest dated {day(brief.newest)}"
        lag = (brief.edition_time.date() - brief.newest).days
        if lag > 2:
            text += f" ({lag} days before this edition)"
    if brief.oldest and brief.oldest != brief.newest:
        text += f", oldest {day(brief.oldest)}"
    return text


def excerpt(item: Item) -> str:
    """An item's words as shown: a clause cut from inside a sentence after an ellipsis.

    An Open questions entry may be the clause of a long sentence that holds
    its cue ("…the exact toll remains unclear"): the source's words stay as
    they are, and the ellipsis says they are cut from a longer text.
    """
    return f"\u2026{item.text}" if item.cut else item.text


def cited(item: Item) -> tuple[int, ...]:
    """The source numbers of ``item`` as a memo shows them: ascending, each once.

    ``Item.sources`` names the worded source first (the data other stages
    rely on); a reader scans ``[1, 3, 7]`` faster than ``[3, 7, 1]``.
    """
    return tuple(sorted(set(item.sources)))


def cite(item: Item) -> str:
    """``[1]`` or ``[1, 3]`` (ascending), then ``(as of 4 Feb 2025)`` for old news."""
    return "[" + ", ".join(str(n) for n in cited(item)) + "]" + as_of(item)


def as_of(item: Item) -> str:
    """`` (as of 4 Feb 2025)`` for old news (non-breaking), else nothing."""
    return "" if item.as_of is None else " " + _glue(f"(as of {day(item.as_of)})")


def anchor(number: int) -> str:
    """The name of source ``number``'s entry: ``src-3`` (a Markdown anchor)."""
    return f"src-{number}"


def changes_parts(brief: Brief) -> tuple[str, str] | None:
    """The change line as (lead, rest), or None when there is no previous edition.

    ``("Since Fri 9 Jan 07:00:", "5 new stories (Gaza ceasefire 2, Iran 3), 1 updated;
    no longer reported: “Trump said the plan could…” (AFP).")``; an unchanged
    edition gives ``("Nothing new since Fri 9 Jan 07:00.", "")``. When every
    feed answered "not modified", the lead says so first: ``("No feed has
    changed since the last fetch; nothing new since Fri 9 Jan 07:00.", "")``.
    """
    changes = brief.changes
    if changes is None:
        return None
    since = short_stamp(changes.previous_time, brief.edition_time)
    lead = f"nothing new since {since}." if changes.unchanged else f"since {since}:"
    if changes.feeds_unchanged:
        lead = "No feed has changed since the last fetch; " + lead
    else:
        lead = lead[0].upper() + lead[1:]
    return lead, "" if changes.unchanged else _changes_text(changes)


def _changes_text(changes: Changes) -> str:
    parts = []
    total = changes.new_total
    if total:
        where = ", ".join(f"{title} {n}" for title, n in changes.new)
        parts.append(f"{plural(total, 'new story')} ({where})")
    if changes.updated:
        parts.append(f"{changes.updated} updated")
    text = ", ".join(parts) or "nothing new"
    if changes.dropped:
        text += "; no longer reported: " + _references(changes.dropped)
    if changes.left_out:
        text += "; not in this edition for space: " + _references(changes.left_out)
    return text + "."


def _references(stories: tuple[Dropped, ...]) -> str:
    """``“Trump said the plan could…” (AFP), “…” (BBC) and 2 more``."""
    refs = [
        f"“{d.words}”" + (f" ({d.source})" if d.source else "") for d in stories[:MAX_DROPPED]
    ]
    more = len(stories) - MAX_DROPPED
    return ", ".join(refs) + (f" and {more} more" if more > 0 else "")


def changes_line(brief: Brief) -> str | None:
    """The change line as one plain string (for the command line), or None."""
    parts = changes_parts(brief)
    if parts is None:
        return None
    return " ".join(p for p in parts if p)
