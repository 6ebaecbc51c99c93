"""When the out folder gets in the way: something other than a file where
``latest.*`` goes, a file system without hard links. The edition, ``latest.*``
and ``briefer status`` never disagree; an earlier edition is never overwritten."""

from __future__ import annotations

import errno
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefer.edition import make_edition
from briefer.errors import RenderError
from briefer.outfolder import TMP_PREFIX, Journal, list_editions, write_edition
from briefer.state import FILENAME, StateStore

from .clirun import run_briefer
from .helpers import GOLDEN_AS_OF, query
from .test_cli_faults import config_for

WHEN = datetime(2026, 1, 2, 7, 0, tzinfo=UTC)
FIRST = "briefing-2026-01-02-0700"
SECOND = "briefing-2026-01-03-0700"


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def status_line(tmp_path: Path, config: Path) -> str:
    done = run_briefer("status", "--config", str(config), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()[1]


# -- something other than a file in the place of latest.* ----------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [("latest.docx", "folder"), ("latest.md", "folder"), ("latest.md", "pipe")],
)
def test_something_in_the_place_of_latest_stops_the_edition_before_anything_is_written(
    tmp_path: Path, name: str, kind: str
) -> None:
    config = config_for(tmp_path)
    out = tmp_path / "out"
    first = run_briefer("make", "--config", str(config), "--as-of", GOLDEN_AS_OF, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    (out / name).unlink()
    if kind == "folder":
        (out / name).mkdir()
    else:
        os.mkfifo(out / name)
    before = names(out)
    shown = status_line(tmp_path, config)
    assert shown.startswith(f"last edition: {FIRST} ")

    done = run_briefer("make", "--config", str(config), "--as-of", "2026-01-03T07:00", cwd=tmp_path)
    what = "a folder" if kind == "folder" else "not a file"
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        f"Error: {out / name}: is {what}, in the place briefer keeps the newest edition; "
        "move it away or remove it, then run again\n"
    )
    assert names(out) == before  # no edition, no temp file, latest.* as they were
    assert query(tmp_path / "state" / FILENAME, "SELECT stem FROM editions") == [(FIRST,)]
    assert status_line(tmp_path, config) == shown

    # Once it is out of the way, the next run writes and shows the new edition.
    (out / name).rmdir() if kind == "folder" else (out / name).unlink()
    done = run_briefer("make", "--config", str(config), "--as-of", "2026-01-03T07:00", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert status_line(tmp_path, config).startswith(f"last edition: {SECOND} ")
    for ext in (".docx", ".md"):
        assert (out / f"latest{ext}").read_bytes() == (out / f"{SECOND}{ext}").read_bytes()


def test_a_folder_where_latest_goes_is_refused_by_write_edition_too(tmp_path: Path) -> None:
    calls: list[str] = []
    journal = Journal(
        reserve=lambda f: calls.append("reserve"),
        release=lambda f: calls.append("release"),
        published=lambda f: calls.append("published"),
    )
    (tmp_path / "latest.docx").mkdir()
    with pytest.raises(RenderError, match=r"latest\.docx: is a folder, in the place briefer keeps"):
        write_edition(tmp_path, WHEN, b"d", "m", journal)
    assert calls == [] and names(tmp_path) == ["latest.docx"]


def test_a_folder_appearing_where_latest_goes_takes_the_edition_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check passed, then the folder came: the edition is withdrawn, not half shown."""
    first = write_edition(tmp_path, WHEN, b"docx-1", "md-1")
    calls: list[str] = []
    journal = Journal(
        reserve=lambda f: calls.append("reserve " + f.stem),
        release=lambda f: calls.append("release " + f.stem),
        published=lambda f: calls.append("published " + f.stem),
    )
    monkeypatch.setattr("briefer.outfolder.check_latest", lambda out_dir: None)
    (tmp_path / "latest.docx").unlink()
    (tmp_path / "latest.docx").mkdir()
    with pytest.raises(RenderError) as caught:
        write_edition(tmp_path, WHEN, b"docx-2", "md-2", journal)
    assert str(caught.value) == f"{tmp_path}: cannot write the edition: Is a directory"
    assert calls == [f"reserve {first.stem}-2", f"release {first.stem}-2"]
    assert names(tmp_path) == [f"{first.stem}.docx", f"{first.stem}.md", "latest.docx", "latest.md"]
    assert (tmp_path / "latest.md").read_text() == "md-1"


# -- a file system without hard links (os.link fails as it does there) --------

# EPERM: FAT, and FUSE mounts without a link operation; EOPNOTSUPP (= ENOTSUP):
# SMB and 9p mounts; EXDEV and ENOSYS: some FUSE and network file systems.
NO_LINKS = [errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV, errno.ENOSYS]


@pytest.fixture(params=NO_LINKS, ids=["EPERM", "EOPNOTSUPP", "EXDEV", "ENOSYS"])
def no_hard_links(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """os.link fails as on such a file system; returns the names it was asked for."""
    asked: list[str] = []

    def link(src: object, dst: object, *args: object, **kw: object) -> None:
        asked.append(Path(str(dst)).name)
        raise OSError(request.param, os.strerror(request.param), str(src), None, str(dst))

    monkeypatch.setattr(os, "link", link)
    return asked


def test_editions_are_written_without_hard_links_and_never_over_another(
    tmp_path: Path, no_hard_links: list[str]
) -> None:
    first = write_edition(tmp_path, WHEN, b"docx-1", "md-1")
    assert no_hard_links  # the link was tried, and failed
    assert (first.docx.read_bytes(), first.markdown.read_text()) == (b"docx-1", "md-1")
    (tmp_path / f"{FIRST}-2.md").write_text("someone else's")
    second = write_edition(tmp_path, WHEN, b"docx-3", "md-3")
    assert second.stem == f"{FIRST}-3"
    assert first.docx.read_bytes() == b"docx-1"
    assert (tmp_path / f"{FIRST}-2.md").read_text() == "someone else's"
    assert not (tmp_path / f"{FIRST}-2.docx").exists()
    assert (tmp_path / "latest.docx").read_bytes() == b"docx-3"
    assert (tmp_path / "latest.md").read_text() == "md-3"
    assert [p.name for p in list_editions(tmp_path)] == [f"{FIRST}.docx", f"{FIRST}-3.docx"]
    assert not list(tmp_path.glob(f"{TMP_PREFIX}*"))


def test_make_without_hard_links_records_and_shows_each_edition(
    settings, no_hard_links: list[str]
) -> None:
    first = make_edition(settings(), fetch=False)
    second = make_edition(settings(as_of="2026-01-03T07:00:00+00:00"), fetch=False)
    out = first.docx.parent
    for ext in (".docx", ".md"):
        assert (out / f"latest{ext}").read_bytes() == (out / f"{SECOND}{ext}").read_bytes()
    assert second.brief.changes is not None  # compared with the first
    with StateStore(settings().state_dir) as store:
        assert [e.stem for e in store.editions()] == [FIRST, SECOND]
        assert store.latest_edition(out_dir=out).stem == SECOND
        assert store.pending_editions() == []
    assert not list(out.glob(f"{TMP_PREFIX}*"))


def test_other_link_failures_still_stop_the_edition(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def link(src: object, dst: object, *args: object, **kw: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "link", link)
    with pytest.raises(RenderError) as caught:
        write_edition(tmp_path, WHEN, b"d", "m")
    assert str(caught.value) == f"{tmp_path}: cannot write the edition: No space left on device"
    assert names(tmp_path) == []


def test_a_name_claimed_but_never_filled_is_removed_by_the_next_run(settings) -> None:
    """A run killed between claiming the names and moving the content in left empty files."""
    s = settings()
    out = s.out_dir
    out.mkdir()
    with StateStore(s.state_dir) as store:
        store.record_edition(
            FIRST, WHEN, out / f"{FIRST}.docx", out / f"{FIRST}.md", (), published=False
        )
    (out / f"{FIRST}.docx").write_bytes(b"")
    (out / f"{FIRST}.md").write_bytes(b"")
    made = make_edition(settings(as_of="2026-01-03T07:00:00+00:00"), fetch=False)
    assert names(out) == sorted([made.docx.name, made.markdown.name, "latest.docx", "latest.md"])
    with StateStore(s.state_dir) as store:
        assert [e.stem for e in store.editions()] == [SECOND]
        assert store.pending_editions() == []
