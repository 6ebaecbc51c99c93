"""docs/pages.py (make readme-picture): a clear message when its programs are missing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import ROOT

SCRIPT = ROOT / "docs" / "pages.py"


def test_missing_programs_are_named_and_nothing_is_written(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(tmp_path)}  # neither soffice nor pdftoppm on it
    target = ROOT / "docs" / "seed-memo.png"
    before = target.stat().st_mtime_ns if target.exists() else None
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--seed-memo"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.startswith("Error: rendering pages needs soffice (LibreOffice")
    assert "pdftoppm (poppler's pdftoppm" in done.stderr and done.stderr.endswith("not found\n")
    assert (target.stat().st_mtime_ns if target.exists() else None) == before


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftoppm")),
    reason="needs LibreOffice (soffice) and pdftoppm",
)
def test_every_page_of_a_memo_becomes_a_picture(tmp_path: Path) -> None:
    from briefer.brief import build_brief
    from briefer.render.docx import render_docx

    from .helpers import make_settings

    settings = make_settings(tmp_path)
    docx = tmp_path / "memo.docx"
    docx.write_bytes(render_docx(build_brief(settings), settings.templates_dir))
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(docx), "--out", str(tmp_path / "png"), "--dpi", "30"],
        cwd=tmp_path, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    pictures = sorted((tmp_path / "png").glob("memo-*.png"))
    assert len(pictures) >= 2 and all(p.read_bytes().startswith(b"\x89PNG") for p in pictures)
