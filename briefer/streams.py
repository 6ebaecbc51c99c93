"""Streams: which earlier editions an edition follows.

A *stream* is the sequence of editions written to one output folder from
the same inputs: the same seeds folder and the same set of feeds. Its key
is a digest of the resolved ``out_dir``, the resolved ``seeds_dir`` and
the sorted feed URLs; it is stored with each edition in the state
database. An edition compares itself only with the previous edition of its
own stream, so a memo built from another folder (``--seeds other/ --out
memos/``) never reads as news against the default one. Budget, rules,
templates and memo fields are not part of the key: changing them keeps the
stream.
"""

from __future__ import annotations

import hashlib

from .settings import Settings


def stream_key(settings: Settings) -> str:
    """The stream of editions built with ``settings`` (16 hex digits)."""
    parts = [
        "out=" + str(settings.out_dir.resolve()),
        "seeds=" + str(settings.seeds_dir.resolve()),
        *sorted("feed=" + feed.url for feed in settings.feeds),
    ]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]
