"""Small text helpers shared by readers and renderers."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Characters XML 1.0 (and so Word) cannot hold: C0 controls but tab and
# newline, DEL and C1 controls, lone surrogates, U+FFFE and U+FFFF.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Normalise line ends and drop characters that XML cannot carry."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _ILLEGAL.sub("", text)


def safe_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) link with a host, else None."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(c in url for c in "\r\n\t ") or _ILLEGAL.search(url):
        return None
    return url
