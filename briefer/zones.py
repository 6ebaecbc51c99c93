"""Time zones: the configured one, or the machine's, read one way for everything.

Edition times, the daemon's slots and the folder listings all take the
machine's zone from :func:`machine_zone`, so a 07:00 slot always gives an
edition dated 07:00.
"""

from __future__ import annotations

import logging
import os
import warnings
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

log = logging.getLogger("briefer.zones")

MACHINE = "the machine's zone"
# The zone read for each value of TZ, and its IANA name if the machine gives
# one: a process reads it once (a test sets TZ).
_read: dict[str | None, tuple[tzinfo, str | None]] = {}


def machine_zone() -> tzinfo:
    """The machine's time zone, as ``tzlocal`` reads it.

    ``TZ`` (a name, ``:name`` or a zone file), else the system's settings:
    ``/etc/localtime`` whether a link (three-part names such as
    America/Argentina/Buenos_Aires too) or a copied file. A zone only the C
    library understands (``TZ=XST+5``) gives its current offset, with a
    warning.
    """
    return _machine()[0]


def _machine() -> tuple[tzinfo, str | None]:
    key = os.environ.get("TZ")
    found = _read.get(key)
    if found is None:
        found = _read[key] = _read_machine_zone(key)
    return found


def _read_machine_zone(tz: str | None) -> tuple[tzinfo, str | None]:
    from tzlocal import get_localzone_name, reload_localzone

    name = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            zone: tzinfo = reload_localzone()
            # A zone read from a file no name points at (a copied /etc/localtime,
            # TZ=:/path) has a made-up key, and tzlocal's name is another setting's.
            if getattr(zone, "key", None) == get_localzone_name():
                name = get_localzone_name()
        except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
            zone = _offset_now()
            what = (
                f"TZ={tz!r} is not an IANA zone name"
                if tz
                else f"cannot be read ({_first_line(exc)})"
            )
            log.warning(
                "the machine's time zone %s: using its offset now, %s, without "
                "daylight-saving changes; set timezone in the settings file (an IANA "
                "name such as Europe/London)",
                what,
                _offset_text(zone),
            )
    for warning in caught:  # tzlocal's own doubts, one line each
        log.warning("the machine's time zone: %s", _first_line(warning.message))
    return zone, name


def zone_name(zone: tzinfo) -> str:
    """The zone's IANA name for messages (``Europe/London``), else "the machine's zone"."""
    machine, name = _machine()
    if zone is machine:
        return name or MACHINE
    key = getattr(zone, "key", None)
    return key if isinstance(zone, ZoneInfo) and key else MACHINE


def _offset_now() -> tzinfo:
    """The C library's local offset at this moment (a fixed-offset zone)."""
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


def _offset_text(zone: tzinfo) -> str:
    """``UTC-05:00``."""
    offset = zone.utcoffset(None) or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(offset) // timedelta(minutes=1)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _first_line(message: object) -> str:
    lines = str(message).strip().splitlines()
    return lines[0].rstrip(" :.") if lines else type(message).__name__
