"""Files written whole or not at all: a temp file beside the target, then a rename.

A temp file gets the permissions any file the user writes gets (``mkstemp``
makes 0600 files) and is flushed to disk before it takes its name, so a
crash leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

TMP_PREFIX = ".briefer-"


def write_temp(folder: Path, data: bytes) -> Path:
    """A new temp file in ``folder`` holding ``data`` (the caller renames or removes it)."""
    fd, name = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=".tmp", dir=folder)
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def replace_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, replacing what was there."""
    temp = write_temp(path.parent, data)
    try:
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
