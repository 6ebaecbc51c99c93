"""Stored feed items into articles, for one edition.

:func:`feed_articles` reads the stored items of the configured feeds
inside the edition's window and returns them as
:class:`~briefer.models.Article` objects, one per item. An item carried by
several feeds under one global id (a URL-like guid) is one article whose
``also_published_by`` names the other publishers, and one publisher's item
carried twice under two ids (links that differ by a typo or only by
tracking parameters, the same or nearly the same headline) is one article
too. Items that tell the same story in their own words stay articles of
their own, and the engine groups them (:mod:`briefer.summarize.stories`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from urllib.parse import urlsplit

from ..feedsettings import FeedSettings
from ..models import Article
from ..settings import Settings
from ..text import fold, safe_url
from .feeds import store_path, unique_feeds
from .publisher import publisher_name
from .store import FeedStore, StoredItem
from .text import (
    paragraphs_of,
)


def feed_articles(settings: Settings, edition_time: datetime) -> list[Article]:
    """Stored items of the configured feeds inside the edition's window, as articles.

    The window is ``settings.fetch.window_days`` before ``edition_time``
    (exclusive) up to ``edition_time`` (inclusive); an item's time is its
    published time, or when briefer first saw it if that is earlier or the
    item has no date. One item carried by several feeds (the same global
    id) is one article whose ``also_published_by`` names the other
    publishers. Newest first.
    """
    feeds = unique_feeds(settings.feeds)
    path = store_path(settings)
    if not feeds or not path.exists():
        return []
    if edition_time.tzinfo is None:
        edition_time = edition_time.astimezone()
    start = edition_time - timedelta(days=settings.fetch.window_days)
    with FeedStore.open(path) as store:
        rows = store.items_between([f.url for f in feeds], start, edition_time)
    return articles_from_items(rows, feeds, edition_time.tzinfo)


def articles_from_items(
    rows: Sequence[StoredItem], feeds: Sequence[FeedSettings], zone: tzinfo | None
) -> list[Article]:
    """One article per stored item (an item carried by several feeds: one article)."""
    rows = [r for r in rows if r.title or r.summary or r.body]  # nothing to say otherwise
    order = {feed.url: index for index, feed in enumerate(feeds)}
    names = {feed.url: feed.name for feed in feeds}
    settings_of = {feed.url: feed for feed in feeds}
    # A configured name, else the name the feed's title gives (stores written
    # before names were cleaned hold the whole title), else the feed's host.
    publishers = [
        names.get(r.feed_url) or publisher_name(r.publisher, r.feed_url) or r.feed_url for r in rows
    ]
    groups = _stories(rows, publishers)
    for members in groups:
        members.sort(key=lambda i: (rows[i].first_seen, order.get(rows[i].feed_url, 0), i))
    groups = merge_copies(rows, publishers, groups)
    articles = []
    for members in groups:
        first = rows[members[0]]
        publisher = publishers[members[0]]
        feed = settings_of.get(first.feed_url)
        others: list[str] = []
        for index in sorted(members[1:], key=lambda i: order.get(rows[i].feed_url, 0)):
            name = publishers[index]
            if name != publisher and name not in others:
                others.append(name)
        articles.append(
            Article(
                key="feed:" + hashlib.sha1(_identity(first).encode()).hexdigest()[:16],
                paragraphs=paragraphs_of(first.body or first.summary),
                title=first.title or None,
                publisher=publisher,
                published=first.dated.astimezone(zone).date(),
                url=safe_url(first.link),
                author=first.author,
                summary=not first.body,
                content_hash=first.content_hash,
                also_published_by=tuple(others),
                headline=first.title or None,
                feed_kind=feed.kind if feed is not None else None,
                state_media=feed.state_media if feed is not None else False,
                # Every category any copy of it was filed under (Opinion in one feed).
                categories=tuple(dict.fromkeys(c for i in members for c in rows[i].categories)),
            )
        )
    dated = {a.key: rows[g[0]].dated for a, g in zip(articles, groups, strict=True)}
    articles.sort(key=lambda a: (-dated[a.key].timestamp(), a.key))
    return articles


def _identity(row: StoredItem) -> str:
    """A story id: global for URL-like guids, else scoped to the feed."""
    if re.match(r"(https?|tag|urn):", row.item_id, re.I):
        return row.item_id
    return f"{row.feed_url}\n{row.item_id}"


def _stories(rows: Sequence[StoredItem], publishers: Sequence[str]) -> list[list[int]]:
    """Group row indexes that are one item carried by several feeds (the same global id).

    Only identity counts here: a guid that is a URL (or tag/urn) names one
    item wherever it appears. Items that tell the same story in their own
    words are grouped by the engine (:mod:`briefer.summarize.stories`), so
    each is cited as a source of its own; a link alone never merges two
    items, or one feed could get itself credited on another's story.
    """
    groups: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        groups.setdefault(_identity(row), []).append(index)
    return list(groups.values())


# -- one publisher's item carried twice ---------------------------------------

MAX_LINK_EDITS = 2  # a typo in a link's last segment
MIN_SEGMENT = 12  # shorter last segments are ids: one character apart is another item
MAX_HEADLINE_EDITS = 3  # a typo in a headline
MAX_BUCKET = 32  # members of one bucket compared with each other (see merge_copies)
_HEAD_WORDS = 3  # a headline's opening and closing words: the buckets it is in
_WORD = re.compile(r"\w+")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class _Copy:
    """What two items of one publisher are compared by."""

    host: str  # without www.
    folder: str  # the path up to its last segment
    segment: str  # the path's last segment
    query: str  # without tracking parameters
    words: tuple[str, ...]  # the headline's words, case folded
    numbers: tuple[str, ...]  # the numbers in the link's segment and the headline

    @property
    def headline(self) -> str:
        return " ".join(self.words)


def merge_copies(
    rows: Sequence[StoredItem], publishers: Sequence[str], groups: list[list[int]]
) -> list[list[int]]:
    """``groups`` with one publisher's copies of one item joined (each group's first leads).

    Two groups are one item when their first rows have the same publisher,
    near-identical links (the same host, folder and query once tracking
    parameters are dropped, and last segments of at least
    :data:`MIN_SEGMENT` characters within :data:`MAX_LINK_EDITS` edits, or
    equal), the same numbers, and the same headline or one within
    :data:`MAX_HEADLINE_EDITS` edits. Bounded work: only groups that share
    a bucket are compared (one publisher, and the same link, or the same
    opening or closing words of the headline; a typo leaves one of them
    whole); a bucket is compared within a window of :data:`MAX_BUCKET`.
    The joined group keeps the order of its parts, earliest first.
    """
    copies = [_copy(rows[members[0]]) for members in groups]
    buckets: dict[tuple[str, ...], list[int]] = {}
    for number, copy in enumerate(copies):
        if copy is None:
            continue
        publisher = publishers[groups[number][0]]
        keys = (
            ("link", copy.host, copy.folder, copy.segment, copy.query),
            ("opens", *copy.words[:_HEAD_WORDS]),
            ("closes", *copy.words[-_HEAD_WORDS:]),
        )
        for key in keys:
            buckets.setdefault((publisher, *key), []).append(number)
    joined = list(range(len(groups)))

    def root(n: int) -> int:
        while joined[n] != n:
            joined[n] = joined[joined[n]]
            n = joined[n]
        return n

    for bucket in buckets.values():
        if len(bucket) > MAX_BUCKET:
            # Many items open alike ("Live: ..."): neighbours by link only.
            bucket = sorted(bucket, key=lambda n: _link_order(copies[n]))
        for i, a in enumerate(bucket):
            for b in bucket[i + 1 : i + 1 + MAX_BUCKET]:
                first, second = root(a), root(b)
                if first != second and _same_item(copies[a], copies[b]):
                    joined[max(first, second)] = min(first, second)
    merged: dict[int, list[int]] = {}
    for number, members in enumerate(groups):
        merged.setdefault(root(number), []).extend(members)
    key = {i: (rows[i].first_seen, n) for n, members in enumerate(groups) for i in members}
    return [sorted(members, key=key.__getitem__) for members in merged.values()]


def _copy(row: StoredItem) -> _Copy | None:
    link = safe_url(row.link)
    words = tuple(_WORD.findall(fold(row.title)))
    if link is None or not words:
        return None
    try:
        parts = urlsplit(link)
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:
        return None
    path = parts.path.rstrip("/")
    folder, _, segment = path.rpartition("/")
    numbers = (*_DIGITS.findall(segment), "|", *_DIGITS.findall(" ".join(words)))
    return _Copy(host, folder, segment, parts.query, words, numbers)


def _link_order(copy: _Copy | None) -> tuple[str, ...]:
    assert copy is not None
    return (copy.host, copy.folder, copy.segment, copy.query)


def _same_item(a: _Copy | None, b: _Copy | None) -> bool:
    if a is None or b is None:
        return False
    if (a.host, a.folder, a.query, a.numbers) != (b.host, b.folder, b.query, b.numbers):
        return False
    if a.segment != b.segment and (
        min(len(a.segment), len(b.segment)) < MIN_SEGMENT
        or not within_edits(a.segment, b.segment, MAX_LINK_EDITS)
    ):
        return False
    return a.words == b.words or within_edits(a.headline, b.headline, MAX_HEADLINE_EDITS)


def within_edits(a: str, b: str, limit: int) -> bool:
    """Whether ``a`` becomes ``b`` in at most ``limit`` one-character edits (Levenshtein).

    Only a band of ``limit`` around the diagonal is computed: O(len * limit).
    """
    if abs(len(a) - len(b)) > limit:
        return False
    if a == b:
        return True
    far = limit + 1
    previous = [j if j <= limit else far for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        current = [far] * (len(b) + 1)
        if i <= limit:
            current[0] = i
        low, high = max(1, i - limit), min(len(b), i + limit)
        for j in range(low, high + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost, far)
        if min(current) > limit:
            return False
        previous = current
    return previous[len(b)] <= limit
