"""A feed's publisher, as a memo names it: "The Guardian", not "World news | The Guardian".

A feed's title often carries the section it covers as well as who
publishes it ("BBC News - Middle East", "NYT > World News", "World News -
Sky News"). :func:`publisher_name` splits the title at its separators and
keeps the part that is a name: parts made only of section words ("World
news", "Middle East", "Top stories", "RSS") are furniture. When several
parts remain, the one that matches the site's host wins, else the first.
A title that is all furniture (or none) gives the site's host without
``www.``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Between the publisher and the section: " | ", " > ", " - ", " – ", " — ", " :: ", ": ".
_SEPARATORS = re.compile(r"\s+(?:\||>|»|›|::|-|–|—|·)\s+|\s*:\s+")
# Words that name a section or the feed itself, not a publisher.
FURNITURE_WORDS = frozenset(
    """
    news world international global latest top stories story headlines headline breaking
    home front page main rss feed feeds atom xml all middle east europe asia africa
    americas america us uk politics business sport sports opinion analysis technology
    tech science health culture environment climate video videos live region regional
    national local edition section updates update the and of &
    """.split()
)
# Feed words that may stand before or after a name ("Reuters RSS", "RSS: Reuters").
_FEED_WORDS = frozenset({"rss", "feed", "feeds", "atom", "xml"})
_WORD = re.compile(r"[^\W_]+|&", re.UNICODE)


def publisher_name(title: str | None, *urls: str | None) -> str | None:
    """The publisher named by a feed's ``title``, else the host of the first of ``urls``.

    ``urls``: the site's address (the feed's own link), then the feed's; the
    host of the first that has one stands in for a title that names no one.
    """
    for part in _name_parts(title or "", _host_label(*urls)):
        return part
    return host_name(*urls)


def host_name(*urls: str | None) -> str | None:
    """The host of the first of ``urls`` that has one, without ``www.``."""
    for url in urls:
        if not url:
            continue
        try:
            host = urlsplit(url).hostname
        except ValueError:
            continue
        if host:
            return host.removeprefix("www.")
    return None


def _name_parts(title: str, label: str) -> list[str]:
    """The parts of ``title`` that may be a name, the best first."""
    parts = []
    for raw in _SEPARATORS.split(" ".join(title.split())):
        part = _without_feed_words(raw.strip())
        words = [w.casefold() for w in _WORD.findall(part)]
        if words and not all(w in FURNITURE_WORDS for w in words):
            parts.append(part)
    if label:
        # "Latest from Example | Example Times" on exampletimes.com: the name is the host's.
        parts.sort(key=lambda p: _squashed(p).removeprefix("the") != label.removeprefix("the"))
    return parts


def _without_feed_words(part: str) -> str:
    words = part.split()
    while words and words[0].casefold().strip(":") in _FEED_WORDS:
        words.pop(0)
    while words and words[-1].casefold() in _FEED_WORDS:
        words.pop()
    return " ".join(words)


def _squashed(text: str) -> str:
    return "".join(_WORD.findall(text.casefold()))


def _host_label(*urls: str | None) -> str:
    """``theguardian`` for www.theguardian.com: the host's name before its suffix."""
    host = host_name(*urls) or ""
    labels = [x for x in host.split(".") if x]
    if not labels or labels[-1].isdigit():  # an IP address names no one
        return ""
    if len(labels) >= 3 and len(labels[-2]) <= 3:  # bbc.co.uk, abc.net.au
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else ""
