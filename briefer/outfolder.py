"""The out folder's editions: written atomically, never over an earlier one.

Each file is written to a temporary file in the same folder, flushed to
disk, then hard-linked under its final name. A link fails if the name is
taken, so an existing edition is never replaced. On a file system without
hard links (some network and FUSE mounts) the name is claimed by creating
it exclusively (``O_EXCL``), and the temporary file then renamed over that
claim. ``latest.docx`` and ``latest.md`` are then swapped in with an atomic
rename; something other than a file in their place (a folder) stops the
edition before anything is written (:func:`check_latest`).

An edition is recorded in the state store (as pending) *before* its files
appear under their names, and marked published once they and ``latest.*``
are in place, so no edition exists unrecorded. A run killed in between
leaves a pending record, which :func:`reconcile` settles on the next run;
a crash leaves at most ``.tmp`` files, which the next run removes (runs on
one state folder hold its build lock, so none of them is a running
write's).
"""

from __future__ import annotations

import errno
import logging
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .atomic import TMP_PREFIX, write_temp
from .errors import DeliveryError, RenderError
from .models import Brief
from .state import EditionRecord

if TYPE_CHECKING:
    from .settings import Settings
    from .state import StateStore

log = logging.getLogger("briefer.outfolder")

PREFIX = "briefing-"
LATEST = ("latest.docx", "latest.md")
_NAME = re.compile(r"briefing-(\d{4}-\d{2}-\d{2}-\d{4})(?:-(\d+))?\.docx")
# What os.link raises on a file system without hard links: FAT and FUSE
# mounts say EPERM, SMB and 9p mounts EOPNOTSUPP (ENOTSUP), some EXDEV or ENOSYS.
_NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.ENOSYS}


@dataclass(frozen=True, slots=True)
class EditionFiles:
    """The files one edition was written to."""

    stem: str
    docx: Path
    markdown: Path


@dataclass(frozen=True, slots=True)
class Journal:
    """Where :func:`write_edition` records an edition around making it visible.

    ``reserve`` runs before the files get their names (it may refuse by
    raising: nothing is then published); ``release`` undoes it when the
    names could not be taken; ``published`` runs once the files and
    ``latest.*`` are in place.
    """

    reserve: Callable[[EditionFiles], None]
    release: Callable[[EditionFiles], None]
    published: Callable[[EditionFiles], None]


def edition_stem(edition_time: datetime) -> str:
    """``briefing-2026-01-02-0700``."""
    return f"{PREFIX}{edition_time:%Y-%m-%d-%H%M}"


def write_edition(
    out_dir: Path,
    edition_time: datetime,
    docx: bytes,
    markdown: str,
    journal: Journal | None = None,
    latest: bool = True,
) -> EditionFiles:
    """Write both files of an edition; a taken name gets a ``-2``, ``-3`` ... suffix.

    ``latest``: point ``latest.*`` at it (not for a past edition rebuilt
    after a newer one). A failure before ``latest.*`` changed takes the
    edition back (its files removed, its record released), so the edition,
    ``latest.*`` and the record never disagree.
    """
    check_latest(out_dir)
    payloads = {".docx": docx, ".md": markdown.encode("utf-8")}
    temps: list[Path] = []
    files: EditionFiles | None = None
    replaced = 0  # latest.* files pointed at the edition
    try:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            remove_stale_temps(out_dir)
            written = {ext: write_temp(out_dir, data) for ext, data in payloads.items()}
            temps.extend(written.values())
            files = _take_name(out_dir, edition_stem(edition_time), written, journal)
            if latest:
                # Both copies ready before either replaces its latest.* file.
                staged = [(_stage(path), out_dir / f"latest{path.suffix}")
                          for path in (files.docx, files.markdown)]  # fmt: skip
                temps.extend(temp for temp, _ in staged)
                for temp, link in staged:
                    os.replace(temp, link)
                    replaced += 1
        finally:
            for temp in temps:
                temp.unlink(missing_ok=True)
    except BaseException as exc:
        if files is not None:
            if replaced and journal is not None:
                journal.published(files)  # latest.docx shows it already; latest.md lags
            elif not replaced:
                _withdraw(files, journal)
        if isinstance(exc, OSError):
            why = exc.strerror or exc
            raise RenderError(f"{out_dir}: cannot write the edition: {why}") from None
        raise
    assert files is not None
    if journal is not None:
        journal.published(files)
    return files


def _take_name(
    out_dir: Path, base: str, temps: dict[str, Path], journal: Journal | None
) -> EditionFiles:
    """Put the temps under the first free name (``base``, ``base-2``, ...), reserved first."""
    for n in range(1, 1000):
        stem = base if n == 1 else f"{base}-{n}"
        finals = {ext: out_dir / f"{stem}{ext}" for ext in temps}
        if any(p.exists() for p in finals.values()):
            continue
        files = EditionFiles(stem=stem, docx=finals[".docx"], markdown=finals[".md"])
        if journal is not None:
            journal.reserve(files)
        try:
            taken = _link_all(temps, finals)
        except BaseException:
            if journal is not None:
                journal.release(files)
            raise
        if taken:
            return files
        if journal is not None:
            journal.release(files)
    raise RenderError(f"{out_dir}: no free name for edition {base}")


def _withdraw(files: EditionFiles, journal: Journal | None) -> None:
    """Take back an edition whose files are in place but not yet shown as latest."""
    for path in (files.docx, files.markdown):
        with suppress(OSError):
            path.unlink(missing_ok=True)
    if journal is not None:
        journal.release(files)


def _link_all(temps: dict[str, Path], finals: dict[str, Path]) -> bool:
    """Put every temp under its final name, or none of them; False if a name is taken.

    A name is claimed with a hard link (the temp's content appears whole at
    once), or where the file system has none, by creating it exclusively;
    the temps are renamed over those claims only once every name is ours.
    """
    claimed: list[Path] = []
    empty: list[str] = []  # claimed by an exclusive create, content still to come
    try:
        for ext, final in finals.items():
            how = _claim(temps[ext], final)
            if how is None:
                for path in claimed:
                    path.unlink(missing_ok=True)
                return False
            claimed.append(final)
            if not how:
                empty.append(ext)
        for ext in empty:
            os.replace(temps[ext], finals[ext])
    except BaseException:
        for path in claimed:
            path.unlink(missing_ok=True)
        raise
    return True


def _claim(temp: Path, final: Path) -> bool | None:
    """Take the name ``final``: True with ``temp``'s content, False empty, None if taken."""
    try:
        os.link(temp, final)
        return True
    except FileExistsError:
        return None
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
    try:
        os.close(os.open(final, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
    except FileExistsError:
        return None
    return False


def check_latest(out_dir: Path) -> None:
    """Raise RenderError if ``latest.docx`` or ``latest.md`` is something briefer cannot replace.

    Checked before an edition is recorded or written, so that the edition,
    ``latest.*`` and ``briefer status`` never disagree.
    """
    for name in LATEST:
        path = out_dir / name
        try:
            mode = path.lstat().st_mode
        except OSError:
            continue  # not there (yet): briefer makes it
        if stat.S_ISREG(mode) or stat.S_ISLNK(mode):
            continue
        what = "a folder" if stat.S_ISDIR(mode) else "not a file"
        raise RenderError(
            f"{path}: is {what}, in the place briefer keeps the newest edition; "
            "move it away or remove it, then run again"
        )


def _stage(target: Path) -> Path:
    """A temp file beside ``target`` with its content: a hard link, else a copy."""
    fd, name = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=".tmp", dir=target.parent)
    os.close(fd)
    temp = Path(name)
    try:
        temp.unlink()
        try:
            os.link(target, temp)
        except OSError:  # file systems without hard links
            shutil.copyfile(target, temp)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def _replace_link(target: Path, link: Path) -> None:
    """Point ``link`` at ``target``'s content with one atomic rename."""
    temp = _stage(target)
    try:
        os.replace(temp, link)
    finally:
        temp.unlink(missing_ok=True)


def restore_latest(out_dir: Path, docx: Path, markdown: Path) -> None:
    """Put back a missing ``latest.*`` as the given edition's files (when they exist)."""
    for target in (docx, markdown):
        link = out_dir / f"latest{target.suffix}"
        if not link.exists() and target.is_file():
            try:
                _replace_link(target, link)
            except OSError as exc:
                log.warning("%s: cannot restore: %s", link, exc.strerror or exc)


def remove_stale_temps(out_dir: Path) -> int:
    """Remove the temporary files a killed run left behind; returns how many.

    Call it holding the build lock: then no other run is writing here.
    """
    removed = 0
    for temp in out_dir.glob(f"{TMP_PREFIX}*.tmp"):
        try:
            temp.unlink()
            removed += 1
        except FileNotFoundError:
            pass
    return removed


def reconcile(store: StateStore, out_dir: Path) -> None:
    """Settle editions a killed run recorded as pending (call it holding the build lock).

    An edition whose two files are in place is marked published (and
    becomes ``latest.*`` if it is the newest written); one whose files are
    not both there was never shown: its partial file is removed and the
    record dropped.
    """
    for record in store.pending_editions():
        present = [p for p in (record.docx, record.markdown) if p.is_file()]
        # An empty file is a name claimed (on a file system without hard
        # links) whose content never came.
        if len(present) == 2 and all(p.stat().st_size for p in present):
            newest = store.latest_edition(out_dir=record.folder)
            store.mark_published(record.stem, out_dir=record.folder)
            if newest is None or record.edition_time >= newest.edition_time:
                for path in present:
                    _replace_link(path, path.parent / f"latest{path.suffix}")
            log.warning(
                "%s: written by a run that was stopped before recording it; recorded now",
                record.docx,
            )
        else:
            for path in present:
                if path.parent.resolve() == out_dir.resolve():
                    path.unlink(missing_ok=True)
            store.forget_edition(record.stem, out_dir=record.folder)
            log.warning("%s: left incomplete by a run that was stopped; removed", record.stem)


def list_editions(out_dir: Path) -> list[Path]:
    """Edition .docx files in ``out_dir``, oldest first (names sort by time)."""
    if not out_dir.is_dir():
        return []
    found = []
    for path in out_dir.glob(f"{PREFIX}*.docx"):
        match = _NAME.fullmatch(path.name)
        if match:
            found.append((match.group(1), int(match.group(2) or 1), path))
    return [path for _, _, path in sorted(found)]


def publish(
    brief: Brief,
    out_dir: Path,
    templates_dir: Path,
    journal: Journal | None = None,
    cache_dir: Path | None = None,
    latest: bool = True,
) -> EditionFiles:
    """Render both formats in memory, then write them as one edition.

    ``cache_dir`` keeps compiled templates between runs (in the state folder);
    ``latest``: point ``latest.*`` at this edition.
    """
    from .render.docx import render_docx
    from .render.markdown import render_markdown

    markdown = render_markdown(brief, templates_dir, cache_dir)
    docx = render_docx(brief, templates_dir)
    return write_edition(out_dir, brief.edition_time, docx, markdown, journal, latest)


# -- which edition -------------------------------------------------------


def _from_files(settings: Settings, docx: Path) -> EditionRecord:
    """A record for edition files that the state store does not know."""
    stem = docx.stem
    match = _NAME.fullmatch(stem + ".docx")
    status = docx.stat()
    if match:
        when = datetime.strptime(match.group(1), "%Y-%m-%d-%H%M")
        when = when.replace(tzinfo=settings.zone())
    else:
        when = datetime.fromtimestamp(status.st_mtime).astimezone()
    return EditionRecord(
        stem=stem,
        edition_time=when,
        written_at=datetime.fromtimestamp(status.st_mtime).astimezone(),
        docx=docx,
        markdown=docx.with_suffix(".md"),
        items=(),
        out_dir=docx.parent.resolve(),
    )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def find_edition(settings: Settings, store: StateStore, name: str | None = None) -> EditionRecord:
    """The edition called ``name`` (a stem or a path to its .docx/.md), or the latest one.

    Recorded editions come first; edition files in ``out/`` that were never
    recorded (or a path to any edition's files) work too. Raises
    DeliveryError naming what was looked for.
    """
    if name is None:
        # The edition latest.* shows: the out folder's newest by edition time.
        record = store.latest_edition(out_dir=settings.out_dir)
        if record is not None:
            return record
        files = list_editions(settings.out_dir)
        if files:
            return _from_files(settings, files[-1])
        raise DeliveryError(f"no edition yet in {settings.out_dir}; run `briefer make` first")
    record = store.edition(name, settings.out_dir)
    if record is not None:
        return record
    elsewhere = [e for e in store.editions() if e.stem == name]
    if len(elsewhere) == 1:
        return elsewhere[0]
    if elsewhere:
        folders = ", ".join(sorted(str(e.folder) for e in elsewhere))
        raise DeliveryError(
            f"edition {name!r} is in several folders ({folders}) and not in "
            f"{settings.out_dir}: give the path to its .docx"
        )
    path = Path(name).expanduser()
    if path.suffix in (".docx", ".md"):
        docx = path.with_suffix(".docx")
        if not docx.is_file():
            raise DeliveryError(f"{docx}: no such edition file")
        for known in store.editions():
            if _same_file(known.docx, docx):
                return known
        # latest.docx is a link to the newest edition: send it under its own name.
        for candidate in list_editions(docx.parent):
            if _same_file(candidate, docx):
                return _from_files(settings, candidate)
        return _from_files(settings, docx)
    if name.startswith(PREFIX) and (settings.out_dir / f"{name}.docx").is_file():
        return _from_files(settings, settings.out_dir / f"{name}.docx")
    raise DeliveryError(
        f"unknown edition {name!r}: not recorded in {settings.state_dir} "
        f"and no {name}.docx in {settings.out_dir}"
    )
