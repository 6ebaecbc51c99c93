"""Typed records passed between the stages of a build.

Every stage takes frozen objects and returns new ones; nothing is shared
and mutated. Slotted dataclasses keep large runs (tens of thousands of
articles) cheap in memory and construction time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, get_args

# What sort an item is (see the rules file's [kinds]); news unless a rule says otherwise.
Kind = Literal["news", "opinion", "analysis", "explainer", "feature", "live", "media"]
KINDS: tuple[str, ...] = get_args(Kind)

# The section key of the bottom line's items (the rules file's sections have their own).
BOTTOM_LINE = "bottom_line"


@dataclass(frozen=True, slots=True)
class Article:
    """One article as read from a file or a feed item, furniture removed.

    ``key`` is stable across runs (file name or feed item id) and is what
    provenance refers to. ``paragraphs`` hold the body text only: no
    headline, byline, date line or page boilerplate.
    """

    key: str
    paragraphs: tuple[str, ...]
    title: str | None = None
    publisher: str | None = None
    published: date | None = None
    url: str | None = None
    author: str | None = None
    content_hash: str = ""
    also_published_by: tuple[str, ...] = ()
    # The headline as printed in the source (a file's heading line, a feed
    # item's title); None when there is none or ``title`` came from metadata.
    headline: str | None = None
    # The text is a feed item's summary (not the article itself): it tells one story.
    summary: bool = False
    # What its feed (or the seeds' sidecar) says every item of it is (opinion, ...).
    feed_kind: str | None = None
    # Its publisher is state-affiliated media: its claims are attributed in the memo.
    state_media: bool = False
    # The categories its feed gives it (Opinion, Video, Middle East ...).
    categories: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Origin:
    """Who tells a text: the item it comes from, as the summarizing stages compare it.

    ``number`` is the item's place in reading order (ties between equally
    good texts go to the item read first); the other fields are the item's.
    """

    number: int
    key: str
    publisher: str  # the publisher's name, else the item's key
    published: date | None
    kind: str = "news"  # news, opinion, analysis, explainer, feature, live or media
    leads: bool = True  # its texts may word a story's bullet or line (not a feature, ...)
    attribution: str | None = None  # shown before its words ("Tehran Times (state media)")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of an article with its position (provenance)."""

    article_key: str
    index: int  # 0-based position of the sentence in the article body
    paragraph: int  # 0-based paragraph number
    text: str
    words: int


@dataclass(frozen=True, slots=True)
class Source:
    """A numbered entry of the memo's source list (only cited articles are listed)."""

    number: int
    article_key: str
    title: str
    publisher: str | None
    published: date | None
    url: str | None  # http(s) only; anything else is dropped before here
    also_published_by: tuple[str, ...] = ()
    summary: bool = False  # a feed item's summary: it tells one story, in every edition


@dataclass(frozen=True, slots=True)
class Item:
    """One bullet: a source sentence or headline (trimmed at most) and its citation.

    ``sources`` are the source numbers that tell this story, the primary
    source (whose words these are) first.
    """

    text: str
    section: str
    article_key: str
    sentence_index: int
    sources: tuple[int, ...]
    published: date | None
    score: float
    as_of: date | None = None  # shown when every cited source is old next to the edition
    status: str = ""  # "new" / "updated" relative to the previous edition (briefer.changes)
    story: int = -1  # the story's number in its edition (its section bullet and line share it)
    detail: bool = False  # a further sentence of the story, shown under its bullet
    # Who makes the claim, shown before the words ("Tehran Times (state media)"), or None.
    attribution: str | None = None
    # Figures that differ across a story's sources, each verbatim with its source number;
    # ``text`` is then what they count ("Death toll").
    figures: tuple[tuple[str, int], ...] = ()
    # Its words are a clause cut from inside a longer sentence (shown after an ellipsis).
    cut: bool = False


@dataclass(frozen=True, slots=True)
class Section:
    """A titled group of bullets, in the order of the rules file."""

    key: str
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Decision:
    """Why one candidate sentence was kept or dropped (for --explain)."""

    article_key: str
    sentence_index: int
    text: str
    section_scores: tuple[tuple[str, float], ...]
    section: str | None
    score: float
    kept: bool
    reason: str
    # A text that became a candidate: its verdict comes once the memo is filled.
    pending: bool = False


@dataclass(frozen=True, slots=True)
class Dropped:
    """A story of the previous edition that this one does not show: a short reference."""

    words: str  # the opening words of its bullet
    source: str | None  # who told it (publisher, else the source's key)


@dataclass(frozen=True, slots=True)
class Changes:
    """What differs from the previous edition of the same stream (see briefer.changes).

    Counts are of stories: a story's bottom-line line and its section
    bullet carry the same mark and count once.
    """

    previous_time: datetime
    previous_stem: str
    new: tuple[tuple[str, int], ...]  # (section title, stories marked NEW), in memo order
    updated: int  # stories marked UPDATED
    dropped: tuple[Dropped, ...]  # stories of the previous edition no source here carries
    # Stories of the previous edition whose sources this edition still read
    # but had no room for: not "no longer reported".
    left_out: tuple[Dropped, ...] = ()
    feeds_unchanged: bool = False  # every feed answered "not modified" to this edition's fetch

    @property
    def new_total(self) -> int:
        """Stories marked NEW."""
        return sum(n for _, n in self.new)

    @property
    def unchanged(self) -> bool:
        """Nothing new, nothing updated, nothing dropped or left out."""
        return not (self.new_total or self.updated or self.dropped or self.left_out)


@dataclass(frozen=True, slots=True)
class Brief:
    """A finished briefing, ready for any renderer."""

    title: str
    edition_time: datetime
    bottom_line: tuple[Item, ...]
    sections: tuple[Section, ...]
    sources: tuple[Source, ...]
    articles: int
    sentences: int  # sentences scored (with explain: every sentence read)
    newest: date | None
    oldest: date | None
    to: str | None = None
    from_: str | None = None
    marking: str | None = None
    author: str = "briefer"
    bottom_line_title: str = "Bottom line"
    decisions: tuple[Decision, ...] = field(default=(), repr=False)
    # For ``explain``: each item's key, its kind and the rule that decided it.
    kinds: tuple[tuple[str, str, str], ...] = field(default=(), repr=False)
    changes: Changes | None = None
    stories: int = 0  # stories the engine found (before the budget)
    on_topic: int = 0  # articles that gave a candidate (on a section's topic)
    # Keys of every article read (cited or not): what the next edition compares with.
    read: frozenset[str] = field(default=frozenset(), repr=False)
    paper: str | None = None  # "A4" or "Letter"; None: the reference document's page

    @property
    def items(self) -> tuple[Item, ...]:
        """Every bullet of the memo, bottom line first."""
        return self.bottom_line + tuple(i for s in self.sections for i in s.items)

    @property
    def body_words(self) -> int:
        """Words in bullets (the budget counts these)."""
        return sum(len(i.text.split()) for i in self.items)
