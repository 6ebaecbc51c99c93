"""The state store heals and explains: damaged files, a busy database, killed runs,
read-only and full folders. No edition ever exists unrecorded."""

from __future__ import annotations

import errno
import logging
import os
import queue
import shutil
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefer.edition import make_edition
from briefer.errors import StateError
from briefer.outfolder import TMP_PREFIX, Journal, write_edition
from briefer.state import FILENAME, StateStore

from .clirun import run_briefer, start_briefer
from .helpers import GOLDEN_AS_OF, SEEDS

WHEN = datetime(2026, 1, 2, 7, 0, tzinfo=UTC)
FULL = "cannot write briefer's state folder: the disk is full (no space left on device)"


def edition_files(out: Path) -> list[str]:
    return sorted(p.name for p in out.glob("briefing-*")) if out.is_dir() else []


def no_temps(out: Path) -> bool:
    return not list(out.glob(f"{TMP_PREFIX}*.tmp")) if out.is_dir() else True


@pytest.mark.parametrize(
    "damage", ["garbage", "damaged-page", "a-folder"], ids=["not-sqlite", "malformed", "folder"]
)
def test_a_damaged_state_file_is_moved_aside(
    tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    state = tmp_path / "state"
    with StateStore(state) as store:
        for _ in range(100):
            store.start_run(WHEN)
    path = state / FILENAME
    if damage == "garbage":
        path.write_bytes(b"not a database " * 500)
    elif damage == "damaged-page":
        data = bytearray(path.read_bytes())
        data[8192:12288] = b"\xff" * 4096
        path.write_bytes(bytes(data))
    else:
        path.unlink()
        path.mkdir()
    with caplog.at_level(logging.WARNING, logger="briefer"), StateStore(state) as store:
        assert store.runs() == []  # fresh state
        store.start_run(WHEN)
    aside = sorted(p.name for p in state.glob(f"{FILENAME}.corrupt-*") if "-wal" not in p.name)
    aside = [name for name in aside if not name.endswith("-shm")]
    assert len(aside) == 1
    [record] = [r for r in caplog.records if r.levelno == logging.WARNING]
    message = record.getMessage()
    assert message.startswith(f"{path}: not a usable database (")
    assert message.endswith(f"); moved aside to {aside[0]}, starting with fresh state")
    assert "\n" not in message


def test_make_and_status_go_on_after_a_corrupt_state_file(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / FILENAME).write_bytes(b"\x00garbage" * 100)
    env = {"BRIEFER_STATE_DIR": str(state)}
    out = tmp_path / "out"
    status = run_briefer("status", env=env)
    assert status.returncode == 0, status.stderr
    assert "not a usable database (file is not a database); moved aside to" in status.stderr
    assert "unexpected failure" not in status.stderr
    made = run_briefer("make", "--out", str(out), "--as-of", GOLDEN_AS_OF, env=env)
    assert made.returncode == 0, made.stderr
    assert made.stderr == ""  # healed once, by status
    assert edition_files(out) == ["briefing-2026-01-02-0700.docx", "briefing-2026-01-02-0700.md"]


@pytest.fixture
def held_lock(tmp_path: Path) -> Iterator[tuple[sqlite3.Connection, threading.Event]]:
    """Another process's write transaction on the state database, until the event is set."""
    with StateStore(tmp_path / "state"):
        pass
    holder = sqlite3.connect(tmp_path / "state" / FILENAME, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Event()
    yield holder, release
    if holder.in_transaction:
        holder.execute("COMMIT")
    holder.close()


def test_a_busy_database_is_waited_for_with_a_message(tmp_path: Path, held_lock) -> None:
    holder, _ = held_lock
    run = start_briefer(
        "make", "--out", str(tmp_path / "out"), "--as-of", GOLDEN_AS_OF,
        env={"BRIEFER_STATE_DIR": str(tmp_path / "state")},
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in run.stderr], daemon=True)
    reader.start()
    try:
        # The run says it waits for the write lock we hold (however slow it is to start).
        first = lines.get(timeout=120).rstrip("\n")
        assert first == (
            f"warning: {tmp_path / 'state' / FILENAME}: busy (another process is writing to it); "
            "waiting up to 600 s"
        )
        assert edition_files(tmp_path / "out") == []  # recorded first: nothing published yet
        holder.execute("COMMIT")
        assert run.wait(120) == 0
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    reader.join(10)
    assert lines.empty()  # nothing more said
    with StateStore(tmp_path / "state") as store:
        assert store.latest_edition() is not None


def test_a_database_locked_too_long_publishes_nothing(
    tmp_path: Path, held_lock, monkeypatch: pytest.MonkeyPatch, settings
) -> None:
    monkeypatch.setattr("briefer.state.BUSY_WAIT", 3.0)
    s = settings()
    with pytest.raises(StateError) as err:
        make_edition(s, fetch=False)
    assert str(err.value) == (
        f"{tmp_path / 'state' / FILENAME}: still locked by another process after 3 s"
    )
    assert edition_files(s.out_dir) == [] and no_temps(s.out_dir)


class Killed(BaseException):
    """Stands for the process dying at this point."""


def test_a_run_killed_after_writing_is_recorded_by_the_next(settings) -> None:
    s = settings()
    first = make_edition(s, fetch=False)
    later = settings(as_of="2026-01-03T07:00:00+00:00")
    with StateStore(s.state_dir) as store:
        store.record_edition(
            "briefing-2026-01-03-0700",
            later.edition_time(),
            s.out_dir / "briefing-2026-01-03-0700.docx",
            s.out_dir / "briefing-2026-01-03-0700.md",
            first.brief.items,
            published=False,
        )
    # The killed run had linked both files but not yet latest.* nor the record.
    shutil.copy(first.docx, s.out_dir / "briefing-2026-01-03-0700.docx")
    shutil.copy(first.markdown, s.out_dir / "briefing-2026-01-03-0700.md")
    (s.out_dir / f"{TMP_PREFIX}left.tmp").write_bytes(b"x")
    with StateStore(s.state_dir) as store:
        assert store.latest_edition().stem == first.stem  # pending: not yet shown
    make_edition(settings(as_of="2026-01-04T07:00:00+00:00"), fetch=False)
    with StateStore(s.state_dir) as store:
        stems = [e.stem for e in store.editions()]
    assert stems == [first.stem, "briefing-2026-01-03-0700", "briefing-2026-01-04-0700"]
    assert no_temps(s.out_dir)


def test_a_run_killed_before_its_files_were_complete_leaves_nothing(settings) -> None:
    s = settings()
    first = make_edition(s, fetch=False)
    with StateStore(s.state_dir) as store:
        store.record_edition(
            "briefing-2026-01-03-0700",
            WHEN,
            s.out_dir / "briefing-2026-01-03-0700.docx",
            s.out_dir / "briefing-2026-01-03-0700.md",
            (),
            published=False,
        )
    shutil.copy(first.docx, s.out_dir / "briefing-2026-01-03-0700.docx")  # the .md never came
    second = make_edition(settings(as_of="2026-01-04T07:00:00+00:00"), fetch=False)
    assert edition_files(s.out_dir) == sorted(
        [first.docx.name, first.markdown.name, second.docx.name, second.markdown.name]
    )
    with StateStore(s.state_dir) as store:
        assert [e.stem for e in store.editions()] == [first.stem, second.stem]
        assert store.pending_editions() == []


def test_an_interrupted_write_releases_its_record(tmp_path: Path, monkeypatch) -> None:
    calls: list[str] = []
    journal = Journal(
        reserve=lambda f: calls.append("reserve " + f.stem),
        release=lambda f: calls.append("release " + f.stem),
        published=lambda f: calls.append("published " + f.stem),
    )

    def killed(*_: object) -> bool:
        raise Killed()

    monkeypatch.setattr("briefer.outfolder._link_all", killed)
    with pytest.raises(Killed):
        write_edition(tmp_path, WHEN, b"d", "m", journal)
    assert calls == ["reserve briefing-2026-01-02-0700", "release briefing-2026-01-02-0700"]
    assert list(tmp_path.iterdir()) == []  # no edition, no temp file


def test_record_first_then_publish(tmp_path: Path) -> None:
    seen: list[list[str]] = []
    journal = Journal(
        reserve=lambda f: seen.append(sorted(p.name for p in tmp_path.iterdir())),
        release=lambda f: None,
        published=lambda f: seen.append(sorted(p.name for p in tmp_path.iterdir())),
    )
    write_edition(tmp_path, WHEN, b"d", "m", journal)
    assert not any(name.startswith("briefing-") for name in seen[0])  # recorded before shown
    assert "latest.md" in seen[1]


# -- read-only and full state folders (real file systems: a tmpfs mount) ---------


def _mount(where: Path, options: str) -> None:
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")


@pytest.fixture
def mounts() -> Iterator[list[Path]]:
    mounted: list[Path] = []
    yield mounted
    for where in reversed(mounted):
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def test_read_only_state_folder_is_one_clear_line(tmp_path: Path, mounts: list[Path]) -> None:
    disk = tmp_path / "ro"
    _mount(disk, "size=1m")
    mounts.append(disk)
    (disk / "state").mkdir()
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    for state in (disk / "state", disk / "new-state"):
        env = {"BRIEFER_STATE_DIR": str(state)}
        done = run_briefer("make", "--out", str(tmp_path / "out"), "--as-of", GOLDEN_AS_OF, env=env)
        assert done.returncode == 1
        assert done.stderr == (
            f"Error: {state}: cannot write briefer's state folder: read-only file system\n"
        )
        # status only reads: with no state yet, it says so and makes nothing.
        done = run_briefer("status", env=env)
        assert done.returncode == 0 and done.stderr == ""
        assert "last edition: none yet in " in done.stdout
    assert edition_files(tmp_path / "out") == []


@pytest.mark.parametrize("size", ["16k", "48k", "96k"])
def test_full_state_folder_is_one_clear_line(tmp_path: Path, mounts: list[Path], size: str) -> None:
    disk = tmp_path / "full"
    _mount(disk, f"size={size}")
    mounts.append(disk)
    out = tmp_path / "out"
    done = run_briefer(
        "make",
        "--out",
        str(out),
        "--as-of",
        GOLDEN_AS_OF,
        env={"BRIEFER_STATE_DIR": str(disk / "state")},
    )
    assert done.returncode == 1
    # Whatever SQLite calls it (a full database, or an I/O error growing its -shm file).
    assert done.stderr == f"Error: {disk / 'state'}: {FULL}\n"
    assert edition_files(out) == [] and no_temps(out)


def _fill(disk: Path) -> None:
    """Fill the file system of ``disk`` to the last byte."""
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)


def test_a_state_folder_that_fills_up_is_one_clear_line(
    tmp_path: Path, mounts: list[Path]
) -> None:
    disk = tmp_path / "full"
    _mount(disk, "size=2m")
    mounts.append(disk)
    out = tmp_path / "out"
    env = {"BRIEFER_STATE_DIR": str(disk / "state")}
    first = run_briefer("make", "--out", str(out), "--as-of", GOLDEN_AS_OF, env=env)
    assert first.returncode == 0, first.stderr
    written = edition_files(out)
    _fill(disk)
    done = run_briefer("make", "--out", str(out), "--as-of", "2026-01-03T07:00", env=env)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"Error: {disk / 'state'}: {FULL}\n"
    assert edition_files(out) == written and no_temps(out)
    done = run_briefer("status", "--out", str(out), env=env)
    assert (done.returncode, done.stderr) == (1, f"Error: {disk / 'state'}: {FULL}\n")
    (disk / "filler").unlink()  # room again: the next run goes on
    done = run_briefer("make", "--out", str(out), "--as-of", "2026-01-03T07:00", env=env)
    assert done.returncode == 0, done.stderr
    assert len(edition_files(out)) == 4


def test_full_output_disk_leaves_no_temp_file(tmp_path: Path, mounts: list[Path]) -> None:
    disk = tmp_path / "full"
    _mount(disk, "size=24k")  # less than the .docx
    mounts.append(disk)
    out = disk / "out"
    done = run_briefer(
        "make",
        "--out",
        str(out),
        "--seeds",
        str(SEEDS),
        "--as-of",
        GOLDEN_AS_OF,
        env={"BRIEFER_STATE_DIR": str(tmp_path / "state")},
    )
    assert done.returncode == 1
    assert done.stderr == f"Error: {out}: cannot write the edition: No space left on device\n"
    assert edition_files(out) == [] and no_temps(out)
    with StateStore(tmp_path / "state") as store:
        assert store.editions() == [] and store.pending_editions() == []


def test_template_cache_lives_in_the_state_folder(settings, monkeypatch, tmp_path) -> None:
    import tempfile

    elsewhere = tmp_path / "tmp"
    elsewhere.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(elsewhere))
    s = settings()
    make_edition(s, fetch=False)
    assert list((s.state_dir / "cache").glob("__briefer-*.cache"))
    assert list(elsewhere.iterdir()) == []
