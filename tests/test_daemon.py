"""The real daemon in a subprocess: editions in order, stop, catch-up, one instance.

A subprocess's scheduler runs on the real clock, so these tests wait for
what the daemon logs or records (never a fixed sleep) and keep its
intervals short. Where a test needs time to have passed (a daemon that was
down across planned slots), the earlier edition is written in-process by
:class:`Daemon` with an injected clock instead of waiting.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from briefer.schedule import Daemon
from briefer.settings import load_settings

from .helpers import ROOT


def write_config(tmp_path: Path, interval: float, extra: str = "") -> Path:
    config = tmp_path / "briefer.toml"
    config.write_text(
        f'seeds_dir = "{ROOT / "seeds"}"\nout_dir = "out"\nstate_dir = "state"\n'
        f'rules_file = "{ROOT / "config" / "rules.toml"}"\n'
        f'templates_dir = "{ROOT / "templates"}"\n{extra}\n'
        f'[schedule]\ninterval = {interval}\ntimezone = "UTC"\n',
        encoding="utf-8",
    )
    return config


@dataclass
class Running:
    """A daemon subprocess whose log (stderr) is read as it is written."""

    proc: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    reader: threading.Thread | None = None

    @property
    def log(self) -> str:
        return "\n".join(self.lines)

    def logged(self, text: str) -> Callable[[], bool]:
        return lambda: any(text in line for line in list(self.lines))


def start(config: Path) -> Running:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFER_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefer", "daemon", "--config", str(config)],
        cwd=config.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    running = Running(proc)

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            running.lines.append(line.rstrip("\n"))

    running.reader = threading.Thread(target=read, daemon=True)
    running.reader.start()
    return running


def editions(tmp_path: Path) -> list[str]:
    out = tmp_path / "out"
    return sorted(p.name for p in out.glob("briefing-*.docx")) if out.is_dir() else []


def wait_for(predicate: Callable[[], bool], timeout: float) -> bool:
    """Poll ``predicate`` until it holds; ``timeout`` only bounds a hung daemon."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def stop(running: Running, timeout: float = 10) -> tuple[float, str]:
    """SIGTERM, wait for the exit; how long the exit took, and the whole log."""
    began = time.monotonic()
    running.proc.send_signal(signal.SIGTERM)
    running.proc.wait(timeout=timeout)
    seconds = time.monotonic() - began
    _drain(running)
    return seconds, running.log


def kill(running: Running) -> None:
    running.proc.kill()
    running.proc.wait(timeout=10)
    _drain(running)


def _drain(running: Running) -> None:
    if running.reader is not None:
        running.reader.join(timeout=10)
    if running.proc.stderr is not None:
        running.proc.stderr.close()


def no_temp_files(tmp_path: Path) -> bool:
    return not list((tmp_path / "out").glob(".*.tmp")) if (tmp_path / "out").exists() else True


def edition_from_before(config: Path, hours: float) -> None:
    """The edition a daemon wrote ``hours`` ago, before it went down.

    Written in-process by the same :meth:`Daemon.run_slot`, with the clock
    set back: the state folder then holds what an earlier daemon left,
    without waiting for planned slots to pass. Feeds are left out (a test's
    silent feed would hang this run).
    """
    settings = load_settings(config, feeds=[])
    then = datetime.now(UTC) - timedelta(hours=hours)
    result = Daemon(settings, clock=lambda: then).run_slot()
    assert result is not None and result.ok, result


def test_editions_appear_in_order_and_sigterm_stops(tmp_path: Path) -> None:
    # The scheduler fires on the real clock, so this test waits for two slots.
    # The interval stays well above a build's time on a busy machine: a slot
    # that comes while the edition before is still building is skipped.
    daemon = start(write_config(tmp_path, interval=3))
    try:
        assert wait_for(lambda: len(editions(tmp_path)) >= 2, 40), daemon.log
    finally:
        seconds, err = stop(daemon)
    assert daemon.proc.returncode == 0
    assert seconds < 10
    assert "daemon started; next edition at" in err
    assert "received SIGTERM; stopping" in err
    # Every log line starts with its ISO 8601 time.
    stamped = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d (info|warning): ")
    assert err and all(stamped.match(line) for line in err.splitlines()), err
    written = [line for line in err.splitlines() if "written for slot" in line]
    # The stop may land between the last edition's write and its log line.
    assert len(written) >= len(editions(tmp_path)) - 1 >= 1
    # In order: each edition is written for a later slot than the one before.
    slots = [line.split("written for slot ")[1] for line in written]
    assert slots == sorted(slots) and len(set(slots)) == len(slots)
    assert no_temp_files(tmp_path)
    # Every edition but the first says what changed (the seeds do not change: nothing new).
    latest = (tmp_path / "out" / "latest.md").read_text(encoding="utf-8")
    assert "\n**Nothing new since " in latest


def test_second_daemon_is_refused(tmp_path: Path) -> None:
    config = write_config(tmp_path, interval=3600)
    first = start(config)
    try:
        # Logged once the first daemon holds its lock.
        assert wait_for(first.logged("daemon started"), 20), first.log
        second = subprocess.run(
            [sys.executable, "-m", "briefer", "daemon", "--config", str(config)],
            cwd=config.parent,
            env={k: v for k, v in os.environ.items() if not k.startswith("BRIEFER_")},
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert second.returncode == 3
        assert second.stderr.strip().endswith(
            f"Error: {(tmp_path / 'state').resolve()}: another briefer daemon is already "
            "running on this state folder"
        )
    finally:
        stop(first)


def test_restart_after_downtime_runs_one_catch_up(tmp_path: Path) -> None:
    config = write_config(tmp_path, interval=3600)
    edition_from_before(config, hours=3)  # then down across the slots since
    assert len(editions(tmp_path)) == 1
    started = datetime.now(UTC)
    daemon = start(config)
    try:
        # The catch-up run is recorded as done when its edition is written.
        assert wait_for(lambda: len([r for r in _runs(tmp_path) if r.ok]) == 2, 30), daemon.log
    finally:
        _, err = stop(daemon)
    # One catch-up run, not one per missed slot (a slot that comes during the
    # test, on the hour, is not a missed one).
    runs = [r for r in _runs(tmp_path) if r.slot <= started]
    assert len(runs) == 2 and all(r.ok for r in runs), err
    assert {f"{r.edition}.docx" for r in runs} <= set(editions(tmp_path))
    missed = [line for line in err.splitlines() if "missed" in line]
    assert len(missed) == 1 and "running one catch-up edition" in missed[0]
    count = int(missed[0].split("missed ")[1].split()[0])
    assert count >= 2


@dataclass
class Silent:
    """A server that accepts connections and never answers."""

    url: str
    accepted: list[socket.socket]


@pytest.fixture
def silent_server() -> Iterator[Silent]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    held: list[socket.socket] = []
    done = threading.Event()

    def accept() -> None:
        sock.settimeout(0.2)
        while not done.is_set():
            try:
                conn, _ = sock.accept()
                held.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield Silent(f"http://127.0.0.1:{sock.getsockname()[1]}/feed.xml", held)
    done.set()
    thread.join(timeout=5)
    for conn in held:
        conn.close()
    sock.close()


def silent_feed(server: Silent) -> str:
    return (
        f"[fetch]\nconnect_timeout = 60\nread_timeout = 60\ndeadline = 120\n"
        f'[[feeds]]\nurl = "{server.url}"\nname = "silent"\n'
    )


def test_sigterm_mid_run_writes_nothing_and_exits_fast(
    tmp_path: Path, silent_server: Silent
) -> None:
    daemon = start(write_config(tmp_path, interval=0.5, extra=silent_feed(silent_server)))
    try:
        # The first run hangs on the silent feed (its timeouts are long).
        assert wait_for(lambda: len(silent_server.accepted) >= 1, 20), daemon.log
    finally:
        seconds, err = stop(daemon)
    assert seconds < 10, err
    assert daemon.proc.returncode == 0
    assert editions(tmp_path) == []
    assert no_temp_files(tmp_path)


def test_sigterm_mid_fetch_leaves_no_run_unfinished(tmp_path: Path, silent_server: Silent) -> None:
    config = write_config(tmp_path, interval=0.5, extra=silent_feed(silent_server))

    def fetching(runs: int) -> Callable[[], bool]:
        # The run is recorded and its fetch has reached the silent feed.
        return lambda: len(_runs(tmp_path)) == runs and len(silent_server.accepted) >= runs

    daemon = start(config)
    try:
        assert wait_for(fetching(1), 20), daemon.log
    finally:
        stop(daemon)
    runs = _runs(tmp_path)
    assert runs and all(r.finished_at is not None and r.ok is False for r in runs)
    assert runs[0].error == "stopped before the edition was written"
    # A daemon killed outright (no handler runs) has its run closed at the next start.
    daemon = start(config)
    try:
        assert wait_for(fetching(2), 20), daemon.log
    finally:
        kill(daemon)
    assert _runs(tmp_path)[0].finished_at is None
    daemon = start(config)
    try:
        assert wait_for(lambda: len(_runs(tmp_path)) == 3, 20), daemon.log
    finally:
        _, err = stop(daemon)
    assert "1 earlier run(s) had not finished; recorded as interrupted" in err
    runs = _runs(tmp_path)
    assert runs[1].error == "interrupted: briefer stopped during the run"
    assert all(r.finished_at is not None for r in runs)


def _runs(tmp_path: Path):  # -> list[RunRecord]
    from briefer.state import StateStore

    if not (tmp_path / "state" / "state.sqlite3").exists():
        return []
    with StateStore(tmp_path / "state") as store:
        return store.runs()
