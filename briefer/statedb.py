"""A SQLite file that heals and explains rather than fail obscurely.

- A file that is not a usable database (damaged, not SQLite at all, or
  unreadable) is moved aside as ``<name>.corrupt-<time>`` with one
  warning naming it, and the caller goes on with a fresh one.
- A database another process is writing to is waited for (up to ``wait``
  seconds) with a warning saying so; then a
  :class:`~briefer.errors.StateError`.
- A read-only or full folder is a :class:`~briefer.errors.StateError`
  naming the folder, in one line ("the disk is full", also when SQLite
  reports the full disk as an I/O error).
- A file from an earlier briefer is brought up to date (its schema version
  in ``PRAGMA user_version``) in one write transaction, so a process that
  opens it at the same time finds it either as it was or upgraded.
- Opened ``read_only`` (a user who may read the folder but not write it:
  ``briefer status`` beside a daemon running as its own user), the file is
  read as it is: never healed, upgraded or written, and a file it cannot
  read as it is (damaged, unreadable, from another briefer) is a StateError.

Each write is one transaction (:meth:`HealingDatabase.transaction`), so a
crash leaves the file as it was before that write.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

from .errors import StateError

log = logging.getLogger("briefer.state")

BUSY_WAIT = 600.0  # seconds to wait for another process's write
_FIRST_WAIT = 2.0  # seconds before saying that we wait
# SQLite result codes (the low byte of an extended code).
_CORRUPT = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_FULL = 13  # SQLITE_FULL
_IOERR = 10  # SQLITE_IOERR: what a full disk gives when the -shm file cannot grow
_FULL_BELOW = 1 << 20  # bytes free under which an I/O error counts as a full disk
DISK_FULL = "the disk is full (no space left on device)"
_READ_TRIES = 5  # read-only opens of a file being written to before giving up

T = TypeVar("T")


class NewerFile(StateError):
    """The file was written by a newer briefer (its ``user_version`` is higher)."""


class HealingDatabase:
    """One SQLite file in WAL mode with ``schema``, opened (or healed) on construction.

    ``added_columns`` maps a table to the columns added since its first
    version (name -> column definition); an older file gets them added.
    ``version`` is the schema version kept in ``PRAGMA user_version``: a
    file with a higher one is refused (:class:`NewerFile`), never healed.
    ``migrations`` maps a version to the step that brings a file of the
    version before it up to it (run after the missing tables and columns
    are added; a step must leave tables already in the new form alone).
    ``pragmas`` run on every connection (``foreign_keys = ON``).
    """

    def __init__(
        self,
        path: Path,
        schema: str,
        *,
        added_columns: Mapping[str, Mapping[str, str]] | None = None,
        version: int = 0,
        migrations: Mapping[int, Callable[[sqlite3.Connection], None]] | None = None,
        pragmas: Sequence[str] = (),
        wait: float = BUSY_WAIT,
        read_only: bool = False,
    ) -> None:
        self.path = path
        self.read_only = read_only
        self.schema = schema
        self.added_columns = added_columns or {}
        self.version = version
        self.migrations = migrations or {}
        self.pragmas = pragmas
        self.wait = wait
        self._waited = False
        self._db = self._open()

    @property
    def connection(self) -> sqlite3.Connection:
        """The connection, for statements inside :meth:`transaction`."""
        return self._db

    def _open(self) -> sqlite3.Connection:
        if self.read_only:
            return self._connect_read_only()
        try:
            return self._connect()
        except sqlite3.DatabaseError as exc:
            if not self._unusable(exc):
                raise self._error(exc) from None
            self._move_aside(exc)
        try:
            return self._connect()
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from None

    def _connect(self) -> sqlite3.Connection:
        folder = self.path.parent
        if not os.access(folder, os.W_OK | os.X_OK):
            read_only = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
            why = "read-only file system" if read_only else "permission denied"
            raise StateError(f"{folder}: cannot write briefer's state folder: {why}")
        db = sqlite3.connect(self.path, timeout=_FIRST_WAIT, isolation_level=None)
        try:
            self._db = db
            self._run(lambda: db.execute("PRAGMA journal_mode=WAL").fetchone())
            for pragma in self.pragmas:
                db.execute(f"PRAGMA {pragma}")
            found = db.execute("PRAGMA user_version").fetchone()[0]
            if found > self.version:
                raise NewerFile(
                    f"{self.path}: written by a newer briefer "
                    f"(schema {found}, this one knows {self.version})"
                )
            if found < self.version:  # a new file, or one from an earlier briefer
                self._run(lambda: self._upgrade(db))
            else:
                self._run(lambda: db.executescript(self.schema))
                self._run(lambda: self._add_columns(db))
            check = db.execute("PRAGMA quick_check(1)").fetchone()[0]
            if check != "ok":
                raise sqlite3.DatabaseError("database disk image is malformed")
        except BaseException:
            db.close()
            raise
        return db

    def _upgrade(self, db: sqlite3.Connection) -> None:
        """Tables, columns and migrations up to :attr:`version`, in one write transaction."""
        db.execute("BEGIN IMMEDIATE")
        try:
            found = db.execute("PRAGMA user_version").fetchone()[0]
            if found < self.version:  # not done by another process meanwhile
                # One statement at a time: executescript would commit first.
                for statement in filter(None, (s.strip() for s in self.schema.split(";"))):
                    db.execute(statement)
                self._add_columns(db)
                for step in range(found + 1, self.version + 1):
                    if step in self.migrations:
                        self.migrations[step](db)
                db.execute(f"PRAGMA user_version = {self.version}")
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                with suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
            raise

    def _add_columns(self, db: sqlite3.Connection) -> None:
        """Columns added since a table's first version, added to an older file's table."""
        for table, added in self.added_columns.items():
            columns = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
            for column, definition in added.items():
                if column not in columns:
                    try:
                        db.execute(f"ALTER TABLE {table} ADD COLUMN {definition}")
                    except sqlite3.OperationalError as exc:
                        # Another process opening the same older file added it first.
                        if "duplicate column name" not in str(exc):
                            raise

    def _connect_read_only(self) -> sqlite3.Connection:
        """The file as it is, for reading only (see the module docstring).

        Beside a writer's ``-wal`` file, SQLite reads through it (``mode=ro``).
        Without one, the file's bytes are read into memory and queried
        there: a reader that may not create ``-wal`` and ``-shm`` files
        cannot open a WAL database in place, and a copy taken while the
        file did not change is consistent even if a writer comes next.
        """
        if not os.access(self.path, os.R_OK):
            raise StateError(f"{self.path}: cannot read briefer's state: permission denied")
        wal = self.path.with_name(self.path.name + "-wal")
        db = None
        try:
            for _ in range(_READ_TRIES):
                if wal.exists():
                    address = f"file:{quote(str(self.path))}?mode=ro"
                    try:
                        db = sqlite3.connect(
                            address, uri=True, timeout=_FIRST_WAIT, isolation_level=None
                        )
                        self._db = db
                        found = self._run(
                            lambda: self._db.execute("PRAGMA user_version").fetchone()[0]
                        )
                        break
                    except sqlite3.OperationalError:
                        if db is not None:
                            db.close()
                            db = None
                        if wal.exists():
                            raise
                        continue  # the writer closed it meanwhile: read the file itself
                copy = self._snapshot(wal)
                if copy is None:
                    continue  # written to while it was read: read it again
                db = sqlite3.connect(":memory:", isolation_level=None)
                db.deserialize(copy)
                self._db = db
                found = db.execute("PRAGMA user_version").fetchone()[0]
                break
            else:
                raise StateError(
                    f"{self.path}: cannot read briefer's state: it kept changing while read; "
                    "try again"
                )
            for pragma in self.pragmas:
                db.execute(f"PRAGMA {pragma}")
        except (sqlite3.DatabaseError, OSError) as exc:
            if db is not None:
                db.close()
            why = os_reason(exc) if isinstance(exc, OSError) else str(exc)
            raise StateError(f"{self.path}: cannot read briefer's state: {why}") from None
        if found != self.version:
            db.close()
            if found > self.version:
                raise NewerFile(
                    f"{self.path}: written by a newer briefer "
                    f"(schema {found}, this one knows {self.version})"
                )
            raise StateError(
                f"{self.path}: written by an earlier briefer (schema {found}); the next "
                "`briefer make` or daemon run by the folder's owner brings it up to date"
            )
        return db

    def _snapshot(self, wal: Path) -> bytes | None:
        """The file's bytes, if it did not change while read and no writer had it open.

        The copy says "rollback journal" where the file says "WAL" (header
        bytes 18 and 19): a database in memory has no WAL to read through.
        """
        before = os.stat(self.path)
        data = bytearray(self.path.read_bytes())
        after = os.stat(self.path)
        same = (before.st_ino, before.st_size, before.st_mtime_ns) == (
            after.st_ino,
            after.st_size,
            after.st_mtime_ns,
        )
        if not same or wal.exists() or len(data) != after.st_size:
            return None
        if len(data) >= 20 and data[18] == data[19] == 2:
            data[18] = data[19] = 1
        return bytes(data)

    def _unusable(self, exc: sqlite3.DatabaseError) -> bool:
        """Whether ``exc`` says the file itself is damaged or unreadable (not the folder)."""
        code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
        if code in _CORRUPT or "malformed" in str(exc) or "not a database" in str(exc):
            return True
        if self.path.exists() and not os.access(self.path, os.R_OK | os.W_OK):
            return True
        return self.path.is_dir()

    def _move_aside(self, exc: sqlite3.DatabaseError) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        name = self.path.name
        aside = self.path.with_name(f"{name}.corrupt-{stamp}")
        n = 1
        while aside.exists():  # never over an earlier one
            n += 1
            aside = self.path.with_name(f"{name}.corrupt-{stamp}-{n}")
        try:
            os.replace(self.path, aside)
            for suffix in ("-wal", "-shm"):
                extra = self.path.with_name(name + suffix)
                if extra.exists():
                    os.replace(extra, aside.with_name(aside.name + suffix))
        except FileNotFoundError:
            return  # another process moved it first
        except OSError as err:
            raise StateError(
                f"{self.path}: not a usable database ({exc}), and cannot move it aside: "
                f"{os_reason(err)}"
            ) from None
        log.warning(
            "%s: not a usable database (%s); moved aside to %s, starting with fresh state",
            self.path,
            " ".join(str(exc).split())[:200],
            aside.name,
        )

    def _error(self, exc: BaseException) -> StateError:
        if isinstance(exc, sqlite3.Error) and self._busy(exc):
            return StateError(
                f"{self.path}: still locked by another process after {self.wait:.0f} s"
            )
        if self.read_only:  # read as it is: neither healed nor written by this process
            return StateError(f"{self.path}: cannot read briefer's state: {exc}")
        if isinstance(exc, sqlite3.DatabaseError) and self._unusable(exc):
            return StateError(f"{self.path}: damaged database ({exc}); the next run moves it aside")
        why = DISK_FULL if self._disk_full(exc) else str(exc)
        return StateError(f"{self.path.parent}: cannot write briefer's state folder: {why}")

    def _disk_full(self, exc: BaseException) -> bool:
        """Whether ``exc`` comes from a full disk (SQLite may call that an I/O error)."""
        code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
        if code == _FULL:
            return True
        if code != _IOERR:
            return False
        try:
            found = os.statvfs(self.path.parent)
        except OSError:
            return False
        return found.f_bavail * found.f_frsize < _FULL_BELOW

    @staticmethod
    def _busy(exc: sqlite3.Error) -> bool:
        code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
        return code in _BUSY or "locked" in str(exc) or "busy" in str(exc)

    def _run(self, step: Callable[[], T]) -> T:
        """Run one statement, waiting for another process's write (with a message)."""
        started = time.monotonic()
        while True:
            try:
                return step()
            except sqlite3.OperationalError as exc:
                left = self.wait - (time.monotonic() - started)
                if not self._busy(exc) or left <= 0:
                    raise
                if not self._waited:
                    self._waited = True
                    log.warning(
                        "%s: busy (another process is writing to it); waiting up to %.0f s",
                        self.path,
                        self.wait,
                    )
                self._db.execute(f"PRAGMA busy_timeout = {int(min(left, 60) * 1000)}")

    def read(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple]:
        """The rows of one query (waiting for a writer; errors as StateError)."""
        try:
            return self._run(lambda: self._db.execute(sql, params).fetchall())
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from None

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT, rolled back on any error)."""
        try:
            self._run(lambda: self._db.execute("BEGIN IMMEDIATE"))
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from None
        try:
            yield self._db
            self._run(lambda: self._db.execute("COMMIT"))
        except BaseException as exc:
            if self._db.in_transaction:
                with suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.DatabaseError):
                raise self._error(exc) from None
            raise


def folder_problem(folder: Path, exc: OSError) -> str:
    """``<folder>: cannot write briefer's state folder: <why>``, in one line."""
    return f"{folder}: cannot write briefer's state folder: {os_reason(exc)}"


def os_reason(exc: OSError) -> str:
    """Why a folder or file could not be written, in lower case ("permission denied")."""
    if exc.errno == errno.EROFS:
        return "read-only file system"
    if exc.errno == errno.ENOSPC:
        return DISK_FULL
    return (exc.strerror or str(exc)).lower()
