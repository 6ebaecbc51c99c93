"""The state file's tables, and how an older state file is brought up to date.

:mod:`briefer.state` reads and writes the file; :class:`briefer.statedb.HealingDatabase`
runs :data:`MIGRATIONS` once, in one transaction, on a file of an older version.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

# An edition is known by its out folder (resolved) and its name: two folders
# on one state folder each have a briefing-2026-01-02-0700 of their own.
EDITIONS = """editions (
    stem TEXT NOT NULL,
    edition_time TEXT NOT NULL,
    written_at TEXT NOT NULL,
    docx TEXT NOT NULL,
    markdown TEXT NOT NULL,
    items TEXT NOT NULL,
    articles TEXT NOT NULL DEFAULT '[]',
    published INTEGER NOT NULL DEFAULT 1,
    stream TEXT NOT NULL DEFAULT '',
    out_dir TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (out_dir, stem)
)"""
DELIVERIES = """deliveries (
    edition TEXT NOT NULL,
    recipient TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    message_id TEXT NOT NULL,
    out_dir TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (out_dir, edition, recipient)
)"""
FAILURES = """delivery_failures (
    edition TEXT NOT NULL,
    failed_at TEXT NOT NULL,
    error TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    out_dir TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (out_dir, edition)
)"""
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {EDITIONS};
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slot TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    ok INTEGER,
    error TEXT,
    edition TEXT
);
CREATE TABLE IF NOT EXISTS {DELIVERIES};
CREATE TABLE IF NOT EXISTS {FAILURES};
"""
SCHEMA_VERSION = 1  # 1: editions and mail records keyed by out folder and name
EDITION_COLUMNS = (
    "stem, edition_time, written_at, docx, markdown, items, articles, stream, out_dir"
)
# Columns added since the first state files, and how to add them to an older one.
ADDED_COLUMNS = {
    "published": "published INTEGER NOT NULL DEFAULT 1",  # pending editions
    "stream": "stream TEXT NOT NULL DEFAULT ''",  # the edition's stream (briefer.streams)
    "out_dir": "out_dir TEXT NOT NULL DEFAULT ''",  # the folder its files were written to
}


def keyed_by_folder(db: sqlite3.Connection) -> None:
    """Schema 1: editions, deliveries and failed deliveries keyed by out folder and name.

    Version 0 keyed them by name alone. Editions recorded without their
    folder get the folder of their .docx; a mail record gets its edition's
    folder; a failed delivery of an edition no longer recorded is dropped
    (its retry would drop it too).
    """
    if not _has_folder_key(db, "editions"):
        rows = db.execute("SELECT rowid, docx FROM editions WHERE out_dir = ''").fetchall()
        for rowid, docx in rows:
            folder = str(Path(docx).parent.resolve())
            db.execute("UPDATE editions SET out_dir = ? WHERE rowid = ?", (folder, rowid))
        _rebuild(db, "editions", EDITIONS, f"{EDITION_COLUMNS}, published")
    if not _has_folder_key(db, "deliveries"):
        folder = _folder_of("deliveries")
        columns = "edition, recipient, sent_at, message_id"
        _rebuild(db, "deliveries", DELIVERIES, columns, f"COALESCE({folder}, '')")
    if not _has_folder_key(db, "delivery_failures"):
        folder = _folder_of("delivery_failures")
        columns = "edition, failed_at, error, attempts"
        _rebuild(db, "delivery_failures", FAILURES, columns, folder, f"{folder} IS NOT NULL")


def _folder_of(table: str) -> str:
    """SQL: the out folder of the edition a version-0 row of ``table`` names (names were unique)."""
    return f"(SELECT e.out_dir FROM editions e WHERE e.stem = {table}.edition LIMIT 1)"


def _has_folder_key(db: sqlite3.Connection, table: str) -> bool:
    return any(row[1] == "out_dir" and row[5] for row in db.execute(f"PRAGMA table_info({table})"))


def _rebuild(
    db: sqlite3.Connection,
    table: str,
    definition: str,
    columns: str,
    out_dir: str | None = None,
    where: str | None = None,
) -> None:
    """Copy ``table`` into a table of the new ``definition`` and put it in its place.

    ``out_dir``: an SQL expression for the new column (when the old table has none).
    """
    new = f"{table}_v{SCHEMA_VERSION}"
    db.execute(f"DROP TABLE IF EXISTS {new}")
    db.execute("CREATE TABLE " + definition.replace(table, new, 1))
    target = f"{columns}, out_dir" if out_dir else columns
    source = f"{columns}, {out_dir}" if out_dir else columns
    filtered = f" WHERE {where}" if where else ""
    db.execute(f"INSERT INTO {new} ({target}) SELECT {source} FROM {table}{filtered}")
    db.execute(f"DROP TABLE {table}")
    db.execute(f"ALTER TABLE {new} RENAME TO {table}")


# Version -> the step that brings a file of the version before up to it.
MIGRATIONS = {1: keyed_by_folder}
