"""briefer's own state: editions written, daemon runs, mail deliveries.

One SQLite file (``state_dir/state.sqlite3``, WAL mode) that any briefer
process can read, whether or not the daemon runs. Each write is one
transaction, so a crash leaves the state as it was before that write.

The store heals and explains rather than fail obscurely (see
:mod:`briefer.statedb`): a damaged file is moved aside as
``state.sqlite3.corrupt-<time>`` and the run goes on with fresh state; a
database another process writes to is waited for up to :data:`BUSY_WAIT`
seconds; a read-only or full state folder is one StateError line.

An edition is known by its out folder and its name (``briefing-2026-01-02-0700``):
editions of one minute written to two out folders are two records, each
with its own mail record.

An edition is recorded *before* its files appear under their names (as
pending), and marked published once they are in place; a run killed in
between leaves a pending record that the next run settles (see
:func:`briefer.outfolder.reconcile`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .errors import StateError
from .models import Item
from .statedb import BUSY_WAIT, HealingDatabase, folder_problem
from .stateschema import (
    ADDED_COLUMNS,
    EDITION_COLUMNS,
    MIGRATIONS,
    SCHEMA,
    SCHEMA_VERSION,
)

log = logging.getLogger("briefer.state")

FILENAME = "state.sqlite3"

@dataclass(frozen=True, slots=True)
class RememberedBullet:
    """A bullet as remembered for comparing editions.

    ``story`` is the story's number in its edition (a bottom-line line and
    its section bullet share it); ``source_keys`` are the cited articles'
    keys, ``story_keys`` those of them that tell one story only (a feed
    item's summary), and ``source_label`` names the bullet's own source.
    Editions recorded before these were kept read back with the defaults.
    """

    section: str
    text: str
    article_key: str
    sentence_index: int
    sources: tuple[int, ...] = ()
    story: int = -1
    detail: bool = False
    source_keys: tuple[str, ...] = ()
    source_label: str | None = None
    story_keys: tuple[str, ...] = ()  # cited sources that tell only this story (feed summaries)


@dataclass(frozen=True, slots=True)
class EditionRecord:
    """One written edition."""

    stem: str
    edition_time: datetime
    written_at: datetime
    docx: Path
    markdown: Path
    items: tuple[RememberedBullet, ...]
    # Keys of every article the edition read (editions recorded before
    # streams kept only the cited ones).
    articles: frozenset[str] = frozenset()
    stream: str = ""  # see briefer.streams; "" for editions recorded before streams
    out_dir: Path | None = None  # the folder the edition was written to

    @property
    def folder(self) -> Path:
        """The out folder of the edition (with its stem, what the state file knows it by)."""
        return self.out_dir or self.docx.parent


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

    def __init__(self, state_dir: Path, read_only: bool = False) -> None:
        """``read_only``: read an existing state file as it is (never heal or write it)."""
        self.path = state_dir / FILENAME
        if not read_only:
            try:
                state_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StateError(folder_problem(state_dir, exc)) from None
        self._db = HealingDatabase(
            self.path,
            SCHEMA,
            added_columns={"editions": ADDED_COLUMNS},
            version=SCHEMA_VERSION,
            migrations=MIGRATIONS,
            wait=BUSY_WAIT,
            read_only=read_only,
        )
        self._read = self._db.read
        self._tx = self._db.transaction

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- editions -------------------------------------------------------

    def record_edition(
        self,
        stem: str,
        edition_time: datetime,
        docx: Path,
        markdown: Path,
        items: Iterable[Item | RememberedBullet],
        articles: Iterable[str] = (),
        published: bool = True,
        stream: str = "",
        out_dir: Path | None = None,
    ) -> None:
        """Remember an edition, its bullets and the articles it read.

        An edition is known by its out folder and ``stem``: recording one
        again replaces it, one of the same name in another folder is another.
        ``published=False`` records it before its files are in place
        (see :meth:`mark_published`); until then the queries below skip it.
        ``stream`` and ``out_dir`` say which editions it follows (see
        :mod:`briefer.streams`); ``out_dir`` defaults to the folder of ``docx``.
        """
        payload = json.dumps([_stored(i) for i in items])
        read = json.dumps(sorted(set(articles)))
        folder = _key(out_dir or docx.parent)
        with self._tx() as db:
            db.execute(
                f"INSERT OR REPLACE INTO editions ({EDITION_COLUMNS}, published) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    stem,
                    edition_time.isoformat(),
                    _now(),
                    str(docx),
                    str(markdown),
                    payload,
                    read,
                    stream,
                    folder,
                    int(published),
                ),
            )

    def mark_published(self, stem: str, *, out_dir: Path) -> None:
        """The pending edition ``stem`` of ``out_dir`` has its files in place."""
        with self._tx() as db:
            db.execute(
                "UPDATE editions SET published = 1 WHERE out_dir = ? AND stem = ?",
                (_key(out_dir), stem),
            )

    def pending_editions(self) -> list[EditionRecord]:
        """Editions recorded but not marked published (a run stopped in between)."""
        rows = self._read(f"SELECT {EDITION_COLUMNS} FROM editions WHERE published = 0")
        return [self._edition(r) for r in rows]

    def _edition(self, row: tuple) -> EditionRecord:
        stem, when, written, docx, markdown, payload, read, stream, folder = row
        return EditionRecord(
            stem=stem,
            edition_time=datetime.fromisoformat(when),
            written_at=datetime.fromisoformat(written),
            docx=Path(docx),
            markdown=Path(markdown),
            items=tuple(_item(entry) for entry in json.loads(payload)),
            articles=frozenset(json.loads(read)),
            stream=stream,
            out_dir=Path(folder) if folder else Path(docx).parent,
        )

    def _published(self, where: str = "", params: tuple[object, ...] = ()) -> list[EditionRecord]:
        sql = f"SELECT {EDITION_COLUMNS} FROM editions WHERE published = 1 {where}"
        return [self._edition(r) for r in self._read(sql, params)]

    def latest_edition(
        self,
        until: datetime | None = None,
        *,
        stream: str | None = None,
        out_dir: Path | None = None,
    ) -> EditionRecord | None:
        """The newest edition by edition time (the later written of two at one time).

        Optionally only at or before ``until``, of one ``stream``, or
        written to ``out_dir``.
        """
        editions = self._published()
        if until is not None:
            editions = [e for e in editions if e.edition_time <= until]
        if stream is not None:
            editions = [e for e in editions if e.stream == stream]
        if out_dir is not None:
            folder = out_dir.resolve()
            editions = [e for e in editions if e.out_dir and _same_dir(e.out_dir, folder)]
        return max(editions, key=lambda e: (e.edition_time, e.written_at), default=None)

    def edition(self, stem: str, out_dir: Path | None = None) -> EditionRecord | None:
        """The edition of ``out_dir`` with this file stem, if recorded.

        Without ``out_dir``: the one edition of that name, None when no
        folder or several folders have one.
        """
        if out_dir is None:
            found = self._published("AND stem = ?", (stem,))
        else:
            found = self._published("AND out_dir = ? AND stem = ?", (_key(out_dir), stem))
        return found[0] if len(found) == 1 else None

    def editions(self) -> list[EditionRecord]:
        """Every recorded edition, oldest first."""
        return sorted(self._published(), key=lambda e: e.edition_time)

    def forget_edition(self, stem: str, *, out_dir: Path) -> None:
        """Drop a pruned edition (or a pending one that never got its files) from the record."""
        with self._tx() as db:
            db.execute("DELETE FROM editions WHERE out_dir = ? AND stem = ?", (_key(out_dir), stem))

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
        rows = self._read(
            "SELECT id, slot, started_at, finished_at, ok, error, edition FROM runs "
            "ORDER BY id DESC LIMIT ?",
            (limit,),
        )
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

    def close_unfinished(self, reason: str) -> int:
        """Record runs that never finished (their process died) as failed; returns how many."""
        with self._tx() as db:
            cur = db.execute(
                "UPDATE runs SET finished_at = ?, ok = 0, error = ? WHERE finished_at IS NULL",
                (_now(), reason),
            )
            return cur.rowcount

    def last_slot_done(self) -> datetime | None:
        """The latest slot whose run completed successfully."""
        row = self._read("SELECT slot FROM runs WHERE ok = 1")
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

    # Mail records are per edition, that is per out folder and name.

    def mark_delivered(
        self, edition: str, recipients: list[str], message_id: str, *, out_dir: Path
    ) -> None:
        """Record that ``edition`` of ``out_dir`` went to ``recipients`` (one message)."""
        folder = _key(out_dir)
        with self._tx() as db:
            now = _now()
            db.executemany(
                "INSERT OR IGNORE INTO deliveries (edition, recipient, sent_at, message_id, "
                "out_dir) VALUES (?, ?, ?, ?, ?)",
                [(edition, r.lower(), now, message_id, folder) for r in recipients],
            )
            db.execute(
                "DELETE FROM delivery_failures WHERE out_dir = ? AND edition = ?",
                (folder, edition),
            )

    def delivered_to(self, edition: str, *, out_dir: Path) -> set[str]:
        """Recipients (lower-cased) that already have ``edition`` of ``out_dir``."""
        rows = self._read(
            "SELECT recipient FROM deliveries WHERE out_dir = ? AND edition = ?",
            (_key(out_dir), edition),
        )
        return {r[0] for r in rows}

    def mark_undelivered(self, edition: str, error: str, attempts: int, *, out_dir: Path) -> None:
        """Record a failed delivery; the edition stays in its folder and is retried later."""
        with self._tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO delivery_failures "
                "(edition, failed_at, error, attempts, out_dir) VALUES (?, ?, ?, ?, ?)",
                (edition, _now(), error, attempts, _key(out_dir)),
            )

    def forget_undelivered(self, edition: str, *, out_dir: Path) -> None:
        """Stop retrying ``edition`` of ``out_dir`` (it was pruned, or is no longer wanted)."""
        with self._tx() as db:
            db.execute(
                "DELETE FROM delivery_failures WHERE out_dir = ? AND edition = ?",
                (_key(out_dir), edition),
            )

    def undelivered(self, out_dir: Path | None = None) -> list[tuple[str, str]]:
        """(edition, last error) of editions whose delivery failed, oldest first.

        Those of ``out_dir``; of every folder when it is None.
        """
        if out_dir is None:
            rows = self._read("SELECT edition, error FROM delivery_failures ORDER BY edition")
        else:
            rows = self._read(
                "SELECT edition, error FROM delivery_failures WHERE out_dir = ? ORDER BY edition",
                (_key(out_dir),),
            )
        return [(r[0], r[1]) for r in rows]


def _key(out_dir: Path) -> str:
    """An out folder as the state file keys editions by: its resolved path."""
    return str(out_dir.resolve())


def _same_dir(path: Path, folder: Path) -> bool:
    return path == folder or path.resolve() == folder


def _stored(item: Item | RememberedBullet) -> list[object]:
    """An item as the JSON list kept in the ``items`` column."""
    if not isinstance(item, RememberedBullet):
        item = RememberedBullet(item.section, item.text, item.article_key, item.sentence_index,
                          item.sources, item.story, item.detail)  # fmt: skip
    return [
        item.section,
        item.text,
        item.article_key,
        item.sentence_index,
        list(item.sources),
        item.story,
        item.detail,
        list(item.source_keys),
        item.source_label,
        list(item.story_keys),
    ]


def _item(entry: list) -> RememberedBullet:
    """A remembered bullet back from its JSON list (older editions kept the first five fields)."""
    section, text, key, index, sources, *rest = entry
    defaults = (-1, False, [], None, [])
    story, detail, keys, label, story_keys = (*rest, *defaults[len(rest) :])[:5]
    return RememberedBullet(
        section=section,
        text=text,
        article_key=key,
        sentence_index=index,
        sources=tuple(sources),
        story=story,
        detail=bool(detail),
        source_keys=tuple(keys),
        source_label=label,
        story_keys=tuple(story_keys),
    )
