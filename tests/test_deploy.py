"""The systemd units in deploy/ are valid (checked where systemd-analyze exists)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import ROOT

DEPLOY = ROOT / "deploy"
ANALYZE = shutil.which("systemd-analyze")
needs_systemd = pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze is not installed")


def installed(tmp_path: Path, *names: str) -> list[Path]:
    """The units as installed into ``tmp_path``: paths pointing at this checkout's briefer."""
    briefer = Path(sys.executable).with_name("briefer")
    out = []
    for name in names:
        text = (DEPLOY / name).read_text(encoding="utf-8")
        text = text.replace("/opt/briefer/.venv/bin/briefer", str(briefer))
        text = text.replace("/opt/briefer", str(tmp_path))
        (tmp_path / name).write_text(text, encoding="utf-8")
        out.append(tmp_path / name)
    return out


def verify(units: list[Path]) -> subprocess.CompletedProcess[str]:
    assert ANALYZE is not None
    return subprocess.run(
        [ANALYZE, "verify", "--man=no", *map(str, units)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


@needs_systemd
def test_daemon_unit_verifies(tmp_path: Path) -> None:
    done = verify(installed(tmp_path, "briefer.service"))
    assert done.returncode == 0, done.stderr


@needs_systemd
def test_timer_and_its_service_verify(tmp_path: Path) -> None:
    done = verify(installed(tmp_path, "briefer-make.service", "briefer-make.timer"))
    assert done.returncode == 0, done.stderr


def test_units_say_what_the_readme_promises() -> None:
    daemon = (DEPLOY / "briefer.service").read_text(encoding="utf-8")
    assert "Restart=on-failure" in daemon and "StateDirectory=briefer" in daemon
    assert "User=briefer" in daemon and " daemon " in daemon
    timer = (DEPLOY / "briefer-make.timer").read_text(encoding="utf-8")
    assert "Persistent=true" in timer
    oneshot = (DEPLOY / "briefer-make.service").read_text(encoding="utf-8")
    assert "make --quiet" in oneshot and "Type=oneshot" in oneshot
