"""The real daemon in a subprocess: editions in order, stop, catch-up, one instance."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

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


def start(config: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFER_")}
    return subprocess.Popen(
        [sys.executable, "-m", "briefer", "daemon", "--config", str(config)],
        cwd=config.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def editions(tmp_path: Path) -> list[str]:
    out = tmp_path / "out"
    return sorted(p.name for p in out.glob("briefing-*.docx")) if out.is_dir() else []


def wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def stop(proc: subprocess.Popen[str], timeout: float = 10) -> tuple[float, str]:
    began = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=timeout)
    return time.monotonic() - began, err


def no_temp_files(tmp_path: Path) -> bool:
    return not list((tmp_path / "out").glob(".*.tmp")) if (tmp_path / "out").exists() else True


def test_editions_appear_in_order_and_sigterm_stops(tmp_path: Path) -> None:
    proc = start(write_config(tmp_path, interval=2))
    try:
        assert wait_for(lambda: len(editions(tmp_path)) >= 2, 40), proc.stderr
    finally:
        seconds, err = stop(proc)
    assert proc.returncode == 0
    assert seconds < 10
    assert "daemon started; next edition at" in err
    assert "received SIGTERM; stopping" in err
    # Every log line starts with its ISO 8601 time.
    stamped = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d (info|warning): ")
    assert err and all(stamped.match(line) for line in err.splitlines()), err
    written = [line for line in err.splitlines() if "written for slot" in line]
    # The stop may land between the last edition's write and its log line.
    assert len(written) >= len(editions(tmp_path)) - 1 >= 1
    assert no_temp_files(tmp_path)
    # Every edition but the first says what changed (the seeds do not change: nothing new).
    latest = (tmp_path / "out" / "latest.md").read_text(encoding="utf-8")
    assert "\n**Nothing new since " in latest


def test_second_daemon_is_refused(tmp_path: Path) -> None:
    config = write_config(tmp_path, interval=3600)
    first = start(config)
    try:
        assert wait_for(lambda: (tmp_path / "state" / "daemon.lock").exists(), 20)
        time.sleep(0.5)
        second = start(config)
        _, err = second.communicate(timeout=30)
        assert second.returncode == 3
        assert err.strip().endswith(
            f"Error: {(tmp_path / 'state').resolve()}: another briefer daemon is already "
            "running on this state folder"
        )
    finally:
        stop(first)


def test_restart_after_downtime_runs_one_catch_up(tmp_path: Path) -> None:
    config = write_config(tmp_path, interval=3)
    proc = start(config)
    try:
        assert wait_for(lambda: len(editions(tmp_path)) >= 1, 30)
    finally:
        stop(proc)
    before = editions(tmp_path)
    time.sleep(7)  # at least two planned slots pass while it is down
    proc = start(config)
    try:
        appeared = wait_for(lambda: len(editions(tmp_path)) > len(before), 30)
        time.sleep(0.5)
    finally:
        _, err = stop(proc)
    assert appeared, err
    missed = [line for line in err.splitlines() if "missed" in line]
    assert len(missed) == 1 and "running one catch-up edition" in missed[0]
    count = int(missed[0].split("missed ")[1].split()[0])
    assert count >= 2


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections and never answers."""
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
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/feed.xml"
    done.set()
    for conn in held:
        conn.close()
    sock.close()


def test_sigterm_mid_run_writes_nothing_and_exits_fast(tmp_path: Path, silent_server: str) -> None:
    feed = (
        f"[fetch]\nconnect_timeout = 60\nread_timeout = 60\ndeadline = 120\n"
        f'[[feeds]]\nurl = "{silent_server}"\nname = "silent"\n'
    )
    proc = start(write_config(tmp_path, interval=2, extra=feed))
    try:
        # The first run hangs on the silent feed (its timeouts are long).
        assert wait_for(lambda: (tmp_path / "state" / "state.sqlite3").exists(), 20)
        time.sleep(3)
    finally:
        seconds, err = stop(proc)
    assert seconds < 10, err
    assert proc.returncode == 0
    assert editions(tmp_path) == []
    assert no_temp_files(tmp_path)


def test_sigterm_mid_fetch_leaves_no_run_unfinished(tmp_path: Path, silent_server: str) -> None:
    from briefer.state import StateStore

    feed = (
        f"[fetch]\nconnect_timeout = 60\nread_timeout = 60\ndeadline = 120\n"
        f'[[feeds]]\nurl = "{silent_server}"\nname = "silent"\n'
    )
    config = write_config(tmp_path, interval=2, extra=feed)
    proc = start(config)
    try:
        assert wait_for(lambda: len(_runs(tmp_path)) == 1, 20)
        time.sleep(1)  # the first run is fetching the silent feed
    finally:
        stop(proc)
    with StateStore(tmp_path / "state") as store:
        runs = store.runs()
    assert runs and all(r.finished_at is not None and r.ok is False for r in runs)
    assert runs[0].error == "stopped before the edition was written"
    # A daemon killed outright (no handler runs) has its run closed at the next start.
    proc = start(config)
    try:
        assert wait_for(lambda: len(_runs(tmp_path)) == 2, 20)
        time.sleep(0.5)
    finally:
        proc.kill()
        proc.communicate(timeout=10)
    assert _runs(tmp_path)[0].finished_at is None
    proc = start(config)
    try:
        assert wait_for(lambda: len(_runs(tmp_path)) == 3, 20)
    finally:
        _, err = stop(proc)
    assert "1 earlier run(s) had not finished; recorded as interrupted" in err
    runs = _runs(tmp_path)
    assert runs[1].error == "interrupted: briefer stopped during the run"
    assert all(r.finished_at is not None for r in runs)


def _runs(tmp_path: Path):  # -> list[RunRecord]
    from briefer.state import StateStore

    with StateStore(tmp_path / "state") as store:
        return store.runs()
