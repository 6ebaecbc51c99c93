"""Writing editions: atomic, never overwriting, latest copies."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from briefer.outfolder import TMP_PREFIX, list_editions, remove_stale_temps, write_edition

WHEN = datetime(2026, 1, 2, 7, 0, tzinfo=UTC)


def test_names_are_dated_and_latest_points_at_newest(tmp_path: Path) -> None:
    files = write_edition(tmp_path, WHEN, b"docx-1", "md-1")
    assert files.docx.name == "briefing-2026-01-02-0700.docx"
    assert files.markdown.name == "briefing-2026-01-02-0700.md"
    assert (tmp_path / "latest.docx").read_bytes() == b"docx-1"
    assert (tmp_path / "latest.md").read_text() == "md-1"


def test_existing_edition_is_never_overwritten(tmp_path: Path) -> None:
    first = write_edition(tmp_path, WHEN, b"docx-1", "md-1")
    second = write_edition(tmp_path, WHEN, b"docx-2", "md-2")
    assert first.docx.read_bytes() == b"docx-1"
    assert second.docx.name == "briefing-2026-01-02-0700-2.docx"
    assert (tmp_path / "latest.md").read_text() == "md-2"
    assert [p.name for p in list_editions(tmp_path)] == [
        "briefing-2026-01-02-0700.docx",
        "briefing-2026-01-02-0700-2.docx",
    ]


def test_half_taken_name_moves_both_files_on(tmp_path: Path) -> None:
    (tmp_path / "briefing-2026-01-02-0700.md").write_text("someone else's")
    files = write_edition(tmp_path, WHEN, b"d", "m")
    assert files.docx.name == "briefing-2026-01-02-0700-2.docx"
    assert not (tmp_path / "briefing-2026-01-02-0700.docx").exists()
    assert (tmp_path / "briefing-2026-01-02-0700.md").read_text() == "someone else's"


def test_no_temp_files_left_and_a_crash_leftovers_removed(tmp_path: Path) -> None:
    # The build lock keeps other runs out: every temp file is a crash's leftover,
    # however fresh.
    old = tmp_path / f"{TMP_PREFIX}old.tmp"
    old.write_text("x")
    os.utime(old, (1, 1))
    fresh = tmp_path / f"{TMP_PREFIX}crashed.tmp"
    fresh.write_text("x")
    assert remove_stale_temps(tmp_path) == 2
    assert not old.exists() and not fresh.exists()
    fresh.write_text("x")
    write_edition(tmp_path, WHEN, b"d", "m")
    assert not list(tmp_path.glob("*.tmp"))
