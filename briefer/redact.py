"""Passwords in addresses are never shown: ``http://user:***@host/feed.xml``.

Every line briefer prints or logs that may hold an address goes through
:func:`redacted`: the log formatter, the ``Error:`` lines, the settings
file's error messages, feed errors kept in the feed store, ``feeds list``,
and every link briefer writes into a memo. It works on any text, so an
address inside a message (a redirect's target, an error from the HTTP
library) is caught as well as one on its own.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MASK = "***"

# scheme://user:password@ — the password runs to the authority's last "@"
# (before any "/", "?" or "#"), as URL parsers read it, so a password
# holding "@" or ":" is masked whole.
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://[^/?#\s:]*):[^/?#\s]+@")


def redacted(text: str) -> str:
    """``text`` with the password of every address in it replaced by ``***``."""
    if "@" not in text:
        return text
    return _USERINFO.sub(lambda m: f"{m.group(1)}:{MASK}@", text)


def has_password(url: str) -> bool:
    """Whether ``url`` (or any address in it) carries a password."""
    if redacted(url) != url:
        return True
    try:
        return bool(urlsplit(url).password)
    except ValueError:  # a malformed port: the address is refused elsewhere
        return False
