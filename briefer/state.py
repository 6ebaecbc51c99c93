"""briefer's own state: editions written, daemon runs, mail deliveries.

One SQLite file (``state_dir/state.sqlite3``, WAL mode) that any briefer
process can read, whether or not the daemon runs. Each write is one
transaction, so a crash leaves the state as it was before that write.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .models import Item

FILENAME = "state.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS editions (
    stem TEXT PRIMARY KEY,
    edition_time TEXT NOT NULL,
    written_at TEXT NOT NULL,
    docx TEXT NOT NULL,
    markdown TEXT NOT NULL,
    items TEXT NOT NULL,
    articles TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slot TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    ok INTEGER,
    error TEXT,
    edition TEXT
);
CREATE TABLE IF NOT EXISTS deliveries (
    edition TEXT NOT NULL,
    recipient TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    message_id TEXT NOT NULL,
    PRIMARY KEY (edition, recipient)
);
CREATE TABLE IF NOT EXISTS delivery_failures (
    edition TEXT PRIMARY KEY,
    failed_at TEXT NOT NULL,
    error TEXT NOT NULL,
    attempts INTEGER NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class StoredItem:
    """A bullet as remembered for comparing editions."""

    section: str
    text: str
    article_key: str
    sentence_index: int
    sources: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class EditionRecord:
    """One written edition."""

    stem: str
    edition_time: datetime
    written_at: datetime
    docx: Path
    markdown: Path
    items: tuple[StoredItem, ...]
    articles: frozenset[str] = frozenset()  # keys of every article the edition read


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One daemon run (or a failed attempt)."""

    id: int
    slot: datetime
    started_at: datetime
    finished_at: datetime | None
    ok: bool | None
    error: str | None
    edition: str | None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class StateStore:
    """Access to the state file; cheap to open, safe across processes."""

    def __init__(self, state_dir: Path) -> None:
        state_dir.mkdir(parents=True, exist_ok=True)
        self.path = state_dir / FILENAME
        self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=30000")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- editions -------------------------------------------------------

    def record_edition(
        self,
        stem: str,
        edition_time: datetime,
        docx: Path,
        markdown: Path,
        items: tuple[Item, ...],
        articles: Iterable[str] = (),
    ) -> None:
        """Remember a written edition, its bullets and the articles it read."""
        payload = json.dumps(
            [[i.section, i.text, i.article_key, i.sentence_index, list(i.sources)] for i in items]
        )
        read = json.dumps(sorted(set(articles)))
        with self._tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO editions VALUES (?, ?, ?, ?, ?, ?, ?)",
                (stem, edition_time.isoformat(), _now(), str(docx), str(markdown), payload, read),
            )

    def _edition(self, row: tuple) -> EditionRecord:
        stem, when, written, docx, markdown, payload, read = row
        items = tuple(
            StoredItem(section=s, text=t, article_key=k, sentence_index=n, sources=tuple(src))
            for s, t, k, n, src in json.loads(payload)
        )
        return EditionRecord(
            stem=stem,
            edition_time=datetime.fromisoformat(when),
            written_at=datetime.fromisoformat(written),
            docx=Path(docx),
            markdown=Path(markdown),
            items=items,
            articles=frozenset(json.loads(read)),
        )

    def latest_edition(self, until: datetime | None = None) -> EditionRecord | None:
        """The newest edition (by edition time), optionally at or before ``until``."""
        rows = self._db.execute("SELECT * FROM editions").fetchall()
        editions = [self._edition(r) for r in rows]
        if until is not None:
            editions = [e for e in editions if e.edition_time <= until]
        return max(editions, key=lambda e: (e.edition_time, e.written_at), default=None)

    def edition(self, stem: str) -> EditionRecord | None:
        """The edition with this file stem, if recorded."""
        row = self._db.execute("SELECT * FROM editions WHERE stem = ?", (stem,)).fetchone()
        return self._edition(row) if row else None

    def editions(self) -> list[EditionRecord]:
        """Every recorded edition, oldest first."""
        rows = self._db.execute("SELECT * FROM editions").fetchall()
        return sorted((self._edition(r) for r in rows), key=lambda e: e.edition_time)

    def forget_edition(self, stem: str) -> None:
        """Drop a pruned edition from the record."""
        with self._tx() as db:
            db.execute("DELETE FROM editions WHERE stem = ?", (stem,))

    # -- daemon runs ----------------------------------------------------

    def start_run(self, slot: datetime) -> int:
        """Record that the run for ``slot`` started; returns its id."""
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO runs (slot, started_at) VALUES (?, ?)", (slot.isoformat(), _now())
            )
            return int(cur.lastrowid or 0)

    def finish_run(
        self, run_id: int, ok: bool, error: str | None = None, edition: str | None = None
    ) -> None:
        """Record how a run ended."""
        with self._tx() as db:
            db.execute(
                "UPDATE runs SET finished_at = ?, ok = ?, error = ?, edition = ? WHERE id = ?",
                (_now(), int(ok), error, edition, run_id),
            )

    def runs(self, limit: int = 50) -> list[RunRecord]:
        """The latest runs, newest first."""
        rows = self._db.execute(
            "SELECT id, slot, started_at, finished_at, ok, error, edition FROM runs "
            "ORDER BY id DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [
            RunRecord(
                id=r[0],
                slot=datetime.fromisoformat(r[1]),
                started_at=datetime.fromisoformat(r[2]),
                finished_at=_time(r[3]),
                ok=None if r[4] is None else bool(r[4]),
                error=r[5],
                edition=r[6],
            )
            for r in rows
        ]

    def last_slot_done(self) -> datetime | None:
        """The latest slot whose run completed successfully."""
        row = self._db.execute("SELECT slot FROM runs WHERE ok = 1").fetchall()
        slots = [datetime.fromisoformat(r[0]) for r in row]
        return max(slots, default=None)

    def consecutive_failures(self) -> int:
        """Failed runs since the last successful one."""
        count = 0
        for run in self.runs(limit=1000):
            if run.ok is None:
                continue
            if run.ok:
                break
            count += 1
        return count

    # -- deliveries -----------------------------------------------------

    def mark_delivered(self, edition: str, recipients: list[str], message_id: str) -> None:
        """Record that ``edition`` went to ``recipients`` (one message)."""
        with self._tx() as db:
            now = _now()
            db.executemany(
                "INSERT OR IGNORE INTO deliveries VALUES (?, ?, ?, ?)",
                [(edition, r.lower(), now, message_id) for r in recipients],
            )
            db.execute("DELETE FROM delivery_failures WHERE edition = ?", (edition,))

    def delivered_to(self, edition: str) -> set[str]:
        """Recipients (lower-cased) that already have ``edition``."""
        rows = self._db.execute(
            "SELECT recipient FROM deliveries WHERE edition = ?", (edition,)
        ).fetchall()
        return {r[0] for r in rows}

    def mark_undelivered(self, edition: str, error: str, attempts: int) -> None:
        """Record a failed delivery; the edition stays in out/ and is retried later."""
        with self._tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO delivery_failures VALUES (?, ?, ?, ?)",
                (edition, _now(), error, attempts),
            )

    def forget_undelivered(self, edition: str) -> None:
        """Stop retrying ``edition`` (it was pruned, or is no longer wanted)."""
        with self._tx() as db:
            db.execute("DELETE FROM delivery_failures WHERE edition = ?", (edition,))

    def undelivered(self) -> list[tuple[str, str]]:
        """(edition, last error) of editions whose delivery failed, oldest first."""
        rows = self._db.execute(
            "SELECT edition, error FROM delivery_failures ORDER BY edition"
        ).fetchall()
        return [(r[0], r[1]) for r in rows]
