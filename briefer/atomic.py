"""Files written whole or not at all: a temp file beside the target, then a rename.

A new file gets the permissions any file the user writes gets (``mkstemp``
makes 0600 files); a file that replaces another keeps the permissions and,
where the user may set them, the owner and group of the one it replaces
(a settings file kept at 0640 stays 0640). The temp file is flushed to
disk before it takes its name, so a crash leaves either the old file or
the new one, never half of one.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

TMP_PREFIX = ".briefer-"


def write_temp(folder: Path, data: bytes, *, like: Path | None = None) -> Path:
    """A new temp file in ``folder`` holding ``data`` (the caller renames or removes it).

    ``like``: the file it is to replace; its mode, owner and group are copied
    when it exists.
    """
    fd, name = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=".tmp", dir=folder)
    try:
        _set_mode(fd, like)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def replace_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, replacing what was there (mode kept)."""
    temp = write_temp(path.parent, data, like=path)
    try:
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def _set_mode(fd: int, like: Path | None) -> None:
    try:
        old = os.stat(like) if like is not None else None
    except FileNotFoundError:
        old = None
    if old is None:
        os.fchmod(fd, 0o666 & ~umask())
        return
    # Owner first: a change of owner may clear set-id bits the mode then restores.
    for uid, gid in ((old.st_uid, old.st_gid), (-1, old.st_gid)):
        try:
            os.fchown(fd, uid, gid)
            break
        except OSError:  # another user's file: the group at least, if we are in it
            continue
    os.fchmod(fd, stat.S_IMODE(old.st_mode))


def umask() -> int:
    """The process's umask (the permissions new files and folders leave out)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
