"""Feed documents into items: feedparser on bytes, never on a URL.

feedparser has no timeout and no size limit of its own, so it is only
ever given a body already downloaded within limits. Before it parses,
:func:`~briefer.sources.safexml.check_entities` rejects entity tricks (XXE,
billion laughs, quadratic blowup), and a feed far longer than the items
kept is cut first (:func:`first_entries`). Item text leaves as plain
paragraphs (:mod:`briefer.sources.text`).
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import xml.sax
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import feedparser

from ..errors import FeedError
from ..text import checked_url, safe_url
from .safexml import check_entities
from .store import NewItem
from .text import (
    clean_text,
    html_to_text,
    inline_text,
    looks_like_markup,
    without_furniture,
)

log = logging.getLogger("briefer.feeds")

MAX_TITLE = 500
MAX_SUMMARY = 20_000
MAX_BODY = 200_000
MAX_CATEGORIES = 20  # an item's categories kept (a feed may tag an item with hundreds)
MAX_CATEGORY = 100  # characters of one category
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed document read into items."""

    title: str | None
    items: tuple[NewItem, ...]
    problem: str | None = None  # set when the items were recovered from a flawed document
    version: str = ""
    entries: int = field(default=0)  # entries in the document, before skipping empty ones
    site: str | None = None  # the site the feed belongs to (its own link), http(s) only


def parse_feed(
    body: bytes,
    *,
    url: str,
    headers: Mapping[str, str] | None = None,
    max_items: int = 200,
    max_bytes: int = 10_000_000,
) -> ParsedFeed:
    """Parse a feed document; raise :class:`FeedError` if it yields nothing usable.

    ``url`` is where the document came from (relative links resolve
    against it); ``headers`` are the response headers (the charset of
    ``content-type`` is honoured). Items come back in document order,
    without duplicates, at most ``max_items``.
    """
    if not body.strip():
        raise FeedError("empty body")
    check_entities(body, max_expansion=max_bytes)
    body = first_entries(body, 2 * max_items + 10)
    headers = headers or {}
    # feedparser's HTML sanitizing and link rewriting inside content are
    # skipped: briefer reduces all markup to plain text and never renders
    # feed HTML, and they cost about 40% of the parse time.
    parsed = feedparser.parse(
        io.BytesIO(body),
        response_headers=_parser_headers(url, headers),
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    problem = _describe(parsed.get("bozo_exception")) if parsed.get("bozo") else None
    entries = parsed.get("entries") or []
    title = inline_text(parsed.feed.get("title", ""), is_html=_is_html(parsed.feed, "title"))
    version = parsed.get("version") or ""
    if not entries:
        if not version:
            raise FeedError(_not_a_feed(body, headers, problem))
        if problem:
            raise FeedError(problem)
    items: dict[str, NewItem] = {}
    for entry in entries:
        item = _item(entry)
        if item is not None and item.item_id not in items:
            items[item.item_id] = item
            if len(items) >= max_items:
                break
    site = safe_url(str(parsed.feed.get("link") or ""))
    return ParsedFeed(
        title or None, tuple(items.values()), problem, version, len(entries), site=site
    )


# An item or entry start tag, namespace prefix allowed ("<item>", "<atom:entry ").
_ENTRY_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s/>]")
_TAG_NAME = re.compile(rb"[^\s/>]+")


def first_entries(body: bytes, keep: int) -> bytes:
    """The document cut after its first ``keep`` items, its open elements closed again.

    feedparser reads a whole document before ``max_items`` can apply: a feed
    of 100,000 items would be parsed whole to keep 200. The cut is made at
    the start tag of item ``keep + 1`` and the elements open around the
    first item (``<rss><channel>``, ``<feed>``, ``<rdf:RDF>``) are closed,
    so the rest still parses as a well-formed feed. Documents in UTF-16 or
    UTF-32, or whose head cannot be read simply, are returned as they are
    (they are bounded by the size limit all the same).
    """
    if body[:2] in (b"\xff\xfe", b"\xfe\xff") or body[:4] in (b"\x00\x00\x00<", b"<\x00\x00\x00"):
        return body
    starts = _ENTRY_START.finditer(body)
    open_elements = None
    for _, first in zip(range(10), starts, strict=False):
        # The first start tag outside comments and CDATA: where the head reads cleanly.
        open_elements = _open_elements(body[: first.start()])
        if open_elements is not None:
            break
    if open_elements is None:
        return body
    cut = None
    for count, match in enumerate(starts, start=2):
        if count > keep:
            cut = match.start()
            break
    if cut is None:
        return body
    closing = b"".join(b"</" + name + b">" for name in reversed(open_elements))
    return body[:cut] + closing


def _open_elements(head: bytes) -> list[bytes] | None:
    """Names of the elements open at the end of ``head``; None if it cannot be read simply."""
    stack: list[bytes] = []
    pos = 0
    while True:
        start = head.find(b"<", pos)
        if start < 0:
            return stack
        if head.startswith(b"<!--", start):
            end = head.find(b"-->", start + 4)
            pos = end + 3
        elif head.startswith(b"<![CDATA[", start):
            end = head.find(b"]]>", start + 9)
            pos = end + 3
        elif head.startswith((b"<?", b"<!"), start):
            end = head.find(b">", start)  # declarations; a DOCTYPE subset is read as one
            if head.startswith(b"<!DOCTYPE", start) and b"[" in head[start:end]:
                end = head.find(b"]>", start)
                end = end + 1 if end >= 0 else end
            pos = end + 1
        else:
            end = head.find(b">", start)
            if end < 0:
                return None
            tag = head[start + 1 : end]
            pos = end + 1
            if tag.startswith(b"/"):
                name = _TAG_NAME.match(tag, 1)
                if not stack or name is None or stack[-1] != name.group(0):
                    return None
                stack.pop()
            elif not tag.endswith(b"/"):
                name = _TAG_NAME.match(tag)
                if name is None:
                    return None
                stack.append(name.group(0))
        if end < 0:
            return None


def _parser_headers(url: str, headers: Mapping[str, str]) -> dict[str, str]:
    """The response headers feedparser should see.

    Content-Type is always ``application/xml``, with the server's charset
    when it gave one: a bare ``text/xml`` would make feedparser assume
    US-ASCII (RFC 3023) where every real server means "see the XML
    declaration", and what the server calls its media type says nothing
    about the bytes (HTML pages are recognized after parsing).
    """
    out = {"content-location": url, "content-type": "application/xml"}
    if headers.get("content-language"):
        out["content-language"] = headers["content-language"]
    charset = _charset(headers.get("content-type", ""))
    if charset:
        out["content-type"] = f"application/xml; charset={charset}"
    return out


def _charset(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", content_type, re.I)
    return match.group(1) if match else None


def _describe(exc: object) -> str:
    if isinstance(exc, xml.sax.SAXParseException):
        return f"XML error at line {exc.getLineNumber()}: {exc.getMessage()}"
    if isinstance(exc, feedparser.CharacterEncodingOverride):
        return f"mis-declared encoding: {exc}"
    if isinstance(exc, feedparser.CharacterEncodingUnknown):
        return f"unknown encoding: {exc}"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__


def _not_a_feed(body: bytes, headers: Mapping[str, str], problem: str | None) -> str:
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    start = body[:2048].lower()
    if "html" in content_type or re.search(rb"<(html|head|body|!doctype html)\b", start):
        match = re.search(rb"<title[^>]*>(.{1,200}?)</title>", body[:20000], re.I | re.S)
        title = inline_text(match.group(1).decode("utf-8", "replace")) if match else ""
        return "got an HTML page, not a feed" + (f" ({title!r})" if title else "")
    what = f" ({content_type})" if content_type else ""
    return f"not an RSS or Atom feed{what}" + (f": {problem}" if problem else "")


def _is_html(container: Mapping[str, Any], key: str) -> bool:
    detail = container.get(f"{key}_detail") or {}
    return detail.get("type", "text/html") in _HTML_TYPES


def _item(entry: Mapping[str, Any]) -> NewItem | None:
    title = inline_text(str(entry.get("title") or ""), is_html=_is_html(entry, "title"))
    title = title[:MAX_TITLE]
    summary = _text_of(str(entry.get("summary") or ""), _is_html(entry, "summary"), title)
    body = None
    for content in entry.get("content") or ():
        text = _text_of(
            str(content.get("value") or ""),
            content.get("type") in _HTML_TYPES or not content.get("type"),
            title,
        )
        # Feed-provided article text counts when it is more than the summary.
        if len(text) > max(2 * len(summary), len(summary) + 200):
            body = text[:MAX_BODY]
            break
    summary = _cut(summary, MAX_SUMMARY)
    # Kept as the feed wrote it (tracking parameters too): an item without a
    # guid is known by its link, and the store must know it again.
    link = checked_url(entry.get("link"))
    if link is None:
        for candidate in entry.get("links") or ():
            if candidate.get("rel", "alternate") == "alternate":
                link = checked_url(candidate.get("href"))
                if link:
                    break
    guid = str(entry.get("id") or "").strip()[:1000] or None
    if not (title or summary or body or link or guid):
        return None  # an empty <item/>
    fingerprint = hashlib.sha1(f"{title}\0{summary}\0{body or ''}".encode()).hexdigest()
    item_id = guid or link or f"sha1:{fingerprint}"
    author = inline_text(str(entry.get("author") or ""), is_html=False)[:200] or None
    return NewItem(
        item_id=item_id,
        guid=guid,
        link=link,
        title=title,
        summary=summary,
        published=_published(entry),
        content_hash=fingerprint,
        author=author,
        body=body,
        categories=_categories(entry),
    )


def _categories(entry: Mapping[str, Any]) -> tuple[str, ...]:
    """The item's categories as the feed names them (RSS <category>, Atom term or label)."""
    found: list[str] = []
    for tag in entry.get("tags") or ():
        if not isinstance(tag, Mapping):
            continue
        for key in ("label", "term"):
            name = inline_text(str(tag.get(key) or ""), is_html=False)[:MAX_CATEGORY]
            if name and name not in found:
                found.append(name)
        if len(found) >= MAX_CATEGORIES:
            break
    return tuple(found[:MAX_CATEGORIES])


def _text_of(markup: str, is_html: bool, title: str) -> str:
    if is_html or looks_like_markup(markup):
        text = html_to_text(markup, drop_link_blocks=True)
    else:
        text = clean_text(markup)
    return without_furniture(text, title)


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind("\n\n", 0, limit)
    return text[: cut if cut > 0 else limit]


def _published(entry: Mapping[str, Any]) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        # dict.get: FeedParserDict.get maps a missing "published_parsed" to
        # "updated_parsed" with a DeprecationWarning.
        value = dict.get(entry, key)
        if value:
            try:
                return datetime(*value[:6], tzinfo=UTC)
            except (TypeError, ValueError):
                continue
    return None
