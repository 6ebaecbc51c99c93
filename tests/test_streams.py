"""Editions in streams, and latest.*: real builds of the seeds into a real state folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from briefer.edition import make_edition
from briefer.state import StateStore
from briefer.streams import stream_key

from .clirun import run_briefer
from .helpers import SEEDS


def memo(outcome) -> str:
    return outcome.markdown.read_text(encoding="utf-8")


def test_the_same_seeds_twice_say_nothing_new_in_one_line(settings) -> None:
    first = make_edition(settings(), fetch=False)
    second = make_edition(settings(as_of="2026-01-03T07:00:00+00:00"), fetch=False)
    assert first.brief.changes is None and "Since" not in memo(first)
    assert second.brief.changes is not None and second.brief.changes.unchanged
    assert "**NEW**" not in memo(second) and "**UPDATED**" not in memo(second)
    extra = set(memo(second).splitlines()) - set(memo(first).splitlines())
    # The edition line, the header date and the one change line; no bullet twice.
    assert [line for line in extra if line.startswith("**Nothing new since ")] == [
        "**Nothing new since Fri\xa02\xa0Jan\xa007:00.**"
    ]
    assert len(memo(second).splitlines()) <= len(memo(first).splitlines()) + 2  # + line, blank
    assert second.brief.body_words == first.brief.body_words


def test_a_budget_change_alone_marks_nothing(settings) -> None:
    make_edition(settings(budget_words=300), fetch=False)
    bigger = make_edition(settings(as_of="2026-01-03T07:00:00+00:00"), fetch=False)
    assert len(bigger.brief.items) > 10
    assert {i.status for i in bigger.brief.items} == {""}
    assert bigger.brief.changes is not None and bigger.brief.changes.new == ()


def test_another_folder_is_another_stream(settings, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(SEEDS, other)
    (other / "000_09775761999368d4.txt").unlink()
    default = make_edition(settings(), fetch=False)
    elsewhere = settings(seeds_dir=other, out_dir=tmp_path / "memos",
                         as_of="2026-01-03T07:00:00+00:00")  # fmt: skip
    assert stream_key(elsewhere) != stream_key(settings())
    first_of_its_stream = make_edition(elsewhere, fetch=False)
    assert first_of_its_stream.brief.changes is None  # never compared with the default stream
    again = make_edition(settings(as_of="2026-01-04T07:00:00+00:00"), fetch=False)
    assert again.brief.changes is not None
    assert again.brief.changes.previous_stem == default.stem
    with StateStore(tmp_path / "state") as store:
        streams = {e.stem: e.stream for e in store.editions()}
    assert streams[default.stem] == streams[again.stem] == stream_key(settings())


def test_a_past_edition_never_repoints_latest_and_status_agrees(settings, tmp_path: Path) -> None:
    newer = make_edition(settings(as_of="2026-01-05T07:00:00+00:00"), fetch=False)
    past = make_edition(settings(as_of="2026-01-02T07:00:00+00:00"), fetch=False)
    out = tmp_path / "out"
    assert past.docx.is_file() and past.stem == "briefing-2026-01-02-0700"
    assert (out / "latest.md").read_text() == newer.markdown.read_text()
    assert (out / "latest.docx").read_bytes() == newer.docx.read_bytes()
    assert past.brief.changes is None  # nothing of its stream before it
    env = {"BRIEFER_STATE_DIR": str(tmp_path / "state"), "BRIEFER_OUT_DIR": str(out)}
    done = run_briefer("status", env=env, timeout=60)
    assert f"last edition: {newer.stem} (edition time 2026-01-05 07:00:00" in done.stdout
    # A latest.* that went missing comes back as the newest edition, not the past one.
    (out / "latest.md").unlink()
    make_edition(settings(as_of="2026-01-03T07:00:00+00:00"), fetch=False)
    assert (out / "latest.md").read_text() == newer.markdown.read_text()
    later = make_edition(settings(as_of="2026-01-06T07:00:00+00:00"), fetch=False)
    assert (out / "latest.md").read_text() == later.markdown.read_text()
    assert later.brief.changes is not None and later.brief.changes.previous_stem == newer.stem
