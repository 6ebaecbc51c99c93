"""`briefer init` on a full disk (a real small tmpfs) says so in one line, leaves
nothing behind, and a retry once there is room succeeds."""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefer.settings import load_settings

from .clirun import run_briefer


def _mount(where: Path, size: str) -> None:
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A 48 KB tmpfs: less than a settings folder (the Word reference alone is 37 KB)."""
    where = tmp_path / "disk"
    _mount(where, "48k")
    yield where
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _fill(disk: Path, keep: int) -> Path:
    """A file taking all but ``keep`` bytes of ``disk``'s free space."""
    ballast = disk / "ballast"
    stats = os.statvfs(disk)
    free = stats.f_bavail * stats.f_frsize
    ballast.write_bytes(b"\0" * max(free - keep, 0))
    return ballast


@pytest.mark.parametrize("where", ["new", "existing"], ids=["new-folder", "existing-folder"])
def test_init_on_a_full_disk_is_one_line_and_leaves_nothing(disk: Path, where: str) -> None:
    target = disk / "desk"
    if where == "existing":
        target.mkdir()
        (target / "notes.txt").write_text("mine\n", encoding="utf-8")
    before = _tree(disk)
    done = run_briefer("init", str(target))
    assert done.returncode == 1
    assert done.stderr == (
        f"Error: {target}: cannot write the settings folder: "
        "the disk is full (no space left on device)\n"
    )
    assert done.stdout == ""
    assert _tree(disk) == before  # no half-written folder, no temp folder

    # Room again (the disk grows): the same command now succeeds.
    subprocess.run(["mount", "-o", "remount,size=1m", str(disk)], check=True)
    again = run_briefer("init", str(target))
    assert again.returncode == 0, again.stderr
    assert (target / "templates" / "reference.docx").stat().st_size > 30_000
    assert load_settings(target / "config" / "briefer.toml").seeds_dir == target / "seeds"
    assert [p for p in _tree(disk) if ".briefer-" in p] == []
    if where == "existing":
        assert (target / "notes.txt").read_text(encoding="utf-8") == "mine\n"


def test_init_into_a_nearly_full_disk_fails_whatever_file_runs_out(disk: Path) -> None:
    # The space runs out at a different file each time; never a half folder.
    subprocess.run(["mount", "-o", "remount,size=1m", str(disk)], check=True)
    target = disk / "desk"
    for keep in (4096, 16384, 36864):
        ballast = _fill(disk, keep)
        before = _tree(disk)
        done = run_briefer("init", str(target))
        assert done.returncode == 1, done.stdout
        assert done.stderr.endswith(
            ": cannot write the settings folder: the disk is full (no space left on device)\n"
        )
        assert "None" not in done.stderr
        assert _tree(disk) == before
        ballast.unlink()
    assert run_briefer("init", str(target), "-q").returncode == 0


def test_init_makes_folders_with_the_usual_permissions(tmp_path: Path) -> None:
    target = tmp_path / "a" / "desk"
    done = run_briefer("init", str(target), "-q", preexec=lambda: os.umask(0o027))
    assert done.returncode == 0, done.stderr
    for folder in (tmp_path / "a", target, target / "config", target / "templates"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o750, folder
    assert stat.S_IMODE((target / "config" / "briefer.toml").stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.rglob(".briefer-*")] == []
