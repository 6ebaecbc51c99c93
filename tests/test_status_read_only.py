"""``briefer status`` by a user who may read the state folder but not write it.

The daemon runs as its own user (``deploy/briefer.service``); an operator
asks ``briefer status`` beside it. The state file is then read as it is:
never healed, upgraded or written.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from filelock import FileLock

from briefer.errors import StateError
from briefer.schedule import DAEMON_LOCK
from briefer.state import FILENAME, StateStore

from .clirun import run_briefer
from .helpers import GOLDEN_AS_OF

WHEN = datetime(2026, 1, 2, 7, 0, tzinfo=UTC)
NOBODY = 65534
SETPRIV = shutil.which("setpriv")


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# -- the store opened read-only (any user) ------------------------------------


def test_a_read_only_store_reads_and_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    state = tmp_path / "state"
    with StateStore(state) as store:
        store.start_run(WHEN)
    before = files(state)
    with StateStore(state, read_only=True) as store:
        assert [r.slot for r in store.runs()] == [WHEN]
    assert files(state) == before  # no -wal, -shm or lock file made, nothing written


def test_a_read_only_store_reads_beside_a_writer_that_holds_the_file(tmp_path: Path) -> None:
    state = tmp_path / "state"
    with StateStore(state) as writer:
        writer.start_run(WHEN)  # the writer's -wal and -shm files exist while it is open
        with StateStore(state, read_only=True) as reader:
            assert len(reader.runs()) == 1


def test_a_read_only_store_never_heals_a_damaged_file(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / FILENAME).write_bytes(b"\x00garbage" * 100)
    with pytest.raises(StateError, match=r"cannot read briefer's state: "):
        StateStore(state, read_only=True)
    assert [p.name for p in state.iterdir()] == [FILENAME]  # not moved aside


def state_changed_by(folder: Path, sql: str) -> Path:
    """A fresh state folder whose file ``sql`` then changed behind briefer's back."""
    with StateStore(folder):
        pass
    db = sqlite3.connect(folder / FILENAME)
    db.execute(sql)
    db.commit()
    db.close()
    return folder


def test_a_read_only_store_says_an_older_file_needs_a_run_to_be_upgraded(tmp_path: Path) -> None:
    state = state_changed_by(tmp_path / "state", "PRAGMA user_version = 0")
    with pytest.raises(StateError, match=r"written by an earlier briefer \(schema 0\)"):
        StateStore(state, read_only=True)
    db = sqlite3.connect(state / FILENAME)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 0  # left as it was
    db.close()


def test_a_read_only_store_says_what_it_cannot_read_and_moves_nothing(tmp_path: Path) -> None:
    state = state_changed_by(tmp_path / "state", "DROP TABLE editions")
    with StateStore(state, read_only=True) as store, pytest.raises(StateError) as caught:
        store.latest_edition()
    assert str(caught.value) == (
        f"{state / FILENAME}: cannot read briefer's state: no such table: editions"
    )
    assert [p.name for p in state.iterdir()] == [FILENAME]


# -- the command, run as another user ------------------------------------------


def as_nobody(*command: str) -> list[str]:
    """``command`` run as the user nobody (no group, no capability kept)."""
    return [SETPRIV or "setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
            *command]  # fmt: skip


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder under /tmp that every user may read (pytest's own are private to root)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("needs root, to run briefer as a user who may not write the state folder")
    if SETPRIV is None:
        pytest.skip("setpriv (util-linux) is needed to run briefer as another user")
    probe = subprocess.run(as_nobody(sys.executable, "-c", "import briefer"),
                           cwd=Path(__file__).resolve().parent.parent, capture_output=True,
                           check=False)  # fmt: skip
    if probe.returncode != 0:
        pytest.skip(f"the user nobody cannot run {sys.executable}")
    folder = Path(tempfile.mkdtemp(prefix="briefer-status-", dir="/tmp"))
    os.chmod(folder, 0o755)
    yield folder
    shutil.rmtree(folder)


def status_as_nobody(state: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        as_nobody(sys.executable, "-m", "briefer", "status", "--out", str(out)),
        cwd=Path(__file__).resolve().parent.parent,
        env={k: v for k, v in os.environ.items() if not k.startswith("BRIEFER_")}
        | {"BRIEFER_STATE_DIR": str(state)},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def made_edition(folder: Path) -> tuple[Path, Path]:
    """(state, out) after one ``briefer make`` run by this user (root)."""
    state, out = folder / "state", folder / "out"
    made = run_briefer("make", "--out", str(out), "--as-of", GOLDEN_AS_OF,
                       env={"BRIEFER_STATE_DIR": str(state)})  # fmt: skip
    assert made.returncode == 0, made.stderr
    return state, out


def status_while_locked(state: Path, out: Path, mode: int) -> subprocess.CompletedProcess[str]:
    """Status as nobody while this process holds the daemon's lock (its file at ``mode``)."""
    with FileLock(str(state / DAEMON_LOCK)).acquire(timeout=5):
        os.chmod(state / DAEMON_LOCK, mode)
        return status_as_nobody(state, out)


def test_status_reads_a_state_folder_the_user_may_not_write(shared_folder: Path) -> None:
    state, out = made_edition(shared_folder)
    before = files(state)
    status = status_as_nobody(state, out)
    assert status.returncode == 0, status.stderr
    assert status.stderr == ""
    assert "last edition: briefing-2026-01-02-0700 " in status.stdout
    assert "daemon: not running" in status.stdout
    assert files(state) == before
    # The daemon (here, this process) holds its lock: status sees it without writing it.
    running = status_while_locked(state, out, 0o644)
    assert running.returncode == 0, running.stderr
    assert "daemon: running" in running.stdout


def test_status_says_what_another_users_folder_does_not_let_it_read(shared_folder: Path) -> None:
    state, out = made_edition(shared_folder)
    # A lock this user may not read: whether the daemon runs is unknown, not "no".
    unknown = status_while_locked(state, out, 0o600)
    assert unknown.returncode == 0, unknown.stderr
    assert "daemon: unknown (its lock is not readable)" in unknown.stdout
    # A state file, then a state folder, this user may not read: one line, no traceback.
    os.chmod(state / FILENAME, 0o600)
    denied = status_as_nobody(state, out)
    assert denied.returncode != 0
    assert denied.stderr == (
        f"Error: {state / FILENAME}: cannot read briefer's state: permission denied\n"
    )
    os.chmod(state / FILENAME, 0o644)
    os.chmod(state, 0o700)
    closed = status_as_nobody(state, out)
    assert closed.returncode != 0
    assert closed.stderr == (
        f"Error: {state}: cannot read briefer's state folder: permission denied\n"
    )
