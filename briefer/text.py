"""Small text helpers shared by readers and renderers."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from .redact import redacted

# Characters XML 1.0 (and so Word) cannot hold: C0 controls but tab and
# newline, DEL and C1 controls, lone surrogates, U+FFFE and U+FFFF.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def plural(count: int, noun: str) -> str:
    """``1 story``, ``2 stories``, ``3 tries``, ``2 recipients``."""
    if count == 1:
        return f"{count} {noun}"
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        return f"{count} {noun[:-1]}ies"
    return f"{count} {noun}s"


def fold(text: str) -> str:
    """``text`` for comparing: one space between words, case folded."""
    return " ".join(text.split()).casefold()


def xml_safe(text: str) -> str:
    """``text`` with line ends normalised and the characters XML cannot carry dropped.

    Not :func:`briefer.sources.text.clean_text`, which also folds whitespace
    and paragraphs for feed text.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Printable text but for line ends and tabs holds nothing to drop (a quick C check).
    if text.replace("\n", "").replace("\t", "").isprintable():
        return text
    return _ILLEGAL.sub("", text)


# Longer addresses are tracking junk or an attack, not a citation.
MAX_LINK = 2048

# Query parameters that only tell a publisher where a reader came from (a
# campaign, a feed, a click): dropped from every link briefer shows. Names
# compare without regard to case; a trailing "*" matches any ending.
TRACKING_PARAMETERS = (
    "utm_*",  # Google Analytics campaigns (utm_source, utm_medium, ...)
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid",  # click ids
    "mc_cid", "mc_eid",  # Mailchimp
    "traffic_source",  # Al Jazeera
    "cmp",  # The Guardian
    "at_medium", "at_campaign*", "at_custom*", "at_link*", "at_format", "at_ptr_name",
    "at_bbc_team", "ito", "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname", "ns_fee",  # BBC
    "smid",  # The New York Times
)  # fmt: skip
_TRACKING_EXACT = frozenset(p for p in TRACKING_PARAMETERS if not p.endswith("*"))
_TRACKING_PREFIXES = tuple(p[:-1] for p in TRACKING_PARAMETERS if p.endswith("*"))


def without_tracking(url: str) -> str:
    """``url`` without its :data:`TRACKING_PARAMETERS`; other parameters stay as written."""
    head, hash_mark, fragment = url.partition("#")
    base, question, query = head.partition("?")
    if not question:
        return url
    fields = query.split("&")
    kept = [f for f in fields if not _tracking(f)]
    if len(kept) == len(fields):
        return url
    return base + ("?" + "&".join(kept) if any(kept) else "") + hash_mark + fragment


def _tracking(field: str) -> bool:
    name = unquote(field.partition("=")[0]).strip().casefold()
    return name in _TRACKING_EXACT or (bool(name) and name.startswith(_TRACKING_PREFIXES))


def safe_url(url: str | None) -> str | None:
    """``url`` as a memo may show it: a plain absolute http(s) address, else None.

    :func:`checked_url`, then the :data:`TRACKING_PARAMETERS` dropped. The
    one check for every link briefer writes.
    """
    checked = checked_url(url)
    return None if checked is None else without_tracking(checked)


def checked_url(url: str | None) -> str | None:
    """``url`` if it is a plain absolute http(s) address, else None (as written otherwise).

    Rejects other schemes (``javascript:``, ``data:``, ``file:``, ...),
    addresses without a host, embedded whitespace or control characters,
    and over-long values. A password in it is masked (``user:***@``), never
    handed to a memo's readers.
    """
    if not url:
        return None
    url = url.strip()
    if not url or len(url) > MAX_LINK or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    if _ILLEGAL.search(url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return redacted(url)
