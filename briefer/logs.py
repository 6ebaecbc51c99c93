"""briefer's log lines on stderr, passwords in addresses masked: one line each by default.

With ``--debug``, a line logged with its exception (an unexpected failure
of one feed or page, a scheduled job that raised) is followed by the
traceback, indented and masked like the line: what a bug report needs.
Without it, the line stands alone.
"""

from __future__ import annotations

import logging
import sys
from datetime import datetime

from .redact import redacted


class _Formatter(logging.Formatter):
    def __init__(self, timestamps: bool = False, tracebacks: bool = False) -> None:
        super().__init__()
        self.timestamps = timestamps
        self.tracebacks = tracebacks

    def format(self, record: logging.LogRecord) -> str:
        line = f"{record.levelname.lower()}: {redacted(record.getMessage())}"
        if self.timestamps:
            when = datetime.fromtimestamp(record.created).astimezone()
            line = f"{when.isoformat(timespec='seconds')} {line}"
        if self.tracebacks and record.exc_info and record.exc_info[0] is not None:
            trace = redacted(self.formatException(record.exc_info))
            line += "".join(f"\n    {part}" for part in trace.splitlines())
        return line


def setup_logging(debug: bool, quiet: bool = False, timestamps: bool = False) -> None:
    """Info and warnings (one line each) to stderr; errors only with --quiet; all with --debug.

    ``timestamps`` starts each line with its ISO 8601 time (the daemon's log).
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter(timestamps, tracebacks=debug))
    root = logging.getLogger("briefer")
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if debug else logging.ERROR if quiet else logging.INFO)
    root.propagate = False
    # The scheduler's own lines go out as briefer's do (stamped, masked); a
    # skipped slot it warns of is said by the daemon in its own words.
    scheduler = logging.getLogger("apscheduler")
    scheduler.handlers[:] = [handler]
    scheduler.setLevel(logging.DEBUG if debug else logging.ERROR)
    scheduler.propagate = False
