"""Run the real ``briefer`` command in a subprocess (for tests about CLI behaviour)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from .helpers import ROOT


def _environment(env: Mapping[str, str] | None) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFER_")}
    clean.update(env or {})
    return clean


def start_briefer(
    *args: str, cwd: Path = ROOT, env: Mapping[str, str] | None = None
) -> subprocess.Popen[str]:
    """``python -m briefer ARGS`` started, its output piped (the caller waits for it)."""
    return subprocess.Popen(
        [sys.executable, "-m", "briefer", *args],
        cwd=cwd,
        env=_environment(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_briefer(
    *args: str,
    cwd: Path = ROOT,
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
    preexec: Callable[[], None] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m briefer ARGS``; the caller's BRIEFER_* variables are left out."""
    return subprocess.run(
        [sys.executable, "-m", "briefer", *args],
        cwd=cwd,
        env=_environment(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=preexec,
    )
