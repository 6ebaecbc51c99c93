"""Stored feed items into articles, for one edition.

:func:`feed_articles` reads the stored items of the configured feeds
inside the edition's window and returns them as
:class:`~briefer.models.Article` objects, one per item. An item carried by
several feeds under one global id (a URL-like guid) is one article whose
``also_published_by`` names the other publishers; items that tell the same
story in their own words stay articles of their own, and the engine
groups them (:mod:`briefer.summarize.stories`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo

from ..models import Article
from ..settings import FeedSettings, Settings
from ..text import safe_url
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
    # A configured name, else the name the feed's title gives (stores written
    # before names were cleaned hold the whole title), else the feed's host.
    publishers = [
        names.get(r.feed_url) or publisher_name(r.publisher, r.feed_url) or r.feed_url
        for r in rows
    ]
    groups = _stories(rows, publishers)
    articles = []
    for members in groups:
        members.sort(key=lambda i: (rows[i].first_seen, order.get(rows[i].feed_url, 0), i))
        first = rows[members[0]]
        publisher = publishers[members[0]]
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
