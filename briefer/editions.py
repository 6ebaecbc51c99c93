"""Write editions into ``out/``: atomically, never over an earlier one.

Each file is written to a temporary file in the same folder, flushed to
disk, then hard-linked under its final name. A link fails if the name is
taken, so an existing edition is never replaced. ``latest.docx`` and
``latest.md`` are then swapped in with an atomic rename.

An edition is recorded in the state store (as pending) *before* its files
appear under their names, and marked published once they and ``latest.*``
are in place, so no edition exists unrecorded. A run killed in between
leaves a pending record, which :func:`reconcile` settles on the next run;
a crash leaves at most ``.tmp`` files, which the next run removes (runs on
one state folder hold its build lock, so none of them is a running
write's).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable
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

log = logging.getLogger("briefer.editions")

PREFIX = "briefing-"
_NAME = re.compile(r"briefing-(\d{4}-\d{2}-\d{2}-\d{4})(?:-(\d+))?\.docx")


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
    after a newer one).
    """
    temps: dict[str, Path] = {}
    files: EditionFiles | None = None
    linked = False
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(out_dir)
        base = edition_stem(edition_time)
        payloads = {".docx": docx, ".md": markdown.encode("utf-8")}
        try:
            for ext, data in payloads.items():
                temps[ext] = write_temp(out_dir, data)
            for n in range(1, 1000):
                stem = base if n == 1 else f"{base}-{n}"
                finals = {ext: out_dir / f"{stem}{ext}" for ext in payloads}
                if any(p.exists() for p in finals.values()):
                    continue
                files = EditionFiles(stem=stem, docx=finals[".docx"], markdown=finals[".md"])
                if journal is not None:
                    journal.reserve(files)
                if _link_all(temps, finals):
                    linked = True
                    break
                if journal is not None:
                    journal.release(files)
                files = None
            else:
                raise RenderError(f"{out_dir}: no free name for edition {base}")
        finally:
            for temp in temps.values():
                temp.unlink(missing_ok=True)
        if latest:
            for ext, final in finals.items():
                _replace_link(final, out_dir / f"latest{ext}")
    except OSError as exc:
        if files is not None and journal is not None:
            if linked:
                journal.published(files)  # the edition is there; only latest.* lags
            else:
                journal.release(files)
        raise RenderError(f"{out_dir}: cannot write the edition: {exc.strerror or exc}") from None
    except BaseException:
        if files is not None and not linked and journal is not None:
            journal.release(files)
        raise
    assert files is not None
    if journal is not None:
        journal.published(files)
    return files


def _link_all(temps: dict[str, Path], finals: dict[str, Path]) -> bool:
    """Link every temp under its final name, or none of them."""
    done: list[Path] = []
    for ext, final in finals.items():
        try:
            os.link(temps[ext], final)
        except FileExistsError:
            for path in done:
                path.unlink(missing_ok=True)
            return False
        done.append(final)
    return True


def _replace_link(target: Path, link: Path) -> None:
    """Point ``link`` at ``target``'s content with one atomic rename."""
    temp: Path | None = None
    try:
        fd, name = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=".tmp", dir=link.parent)
        temp = Path(name)
        os.close(fd)
        temp.unlink()
        try:
            os.link(target, temp)
        except OSError:  # file systems without hard links
            shutil.copyfile(target, temp)
        os.replace(temp, link)
    finally:
        if temp is not None:
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
        if len(present) == 2:
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
    stat = docx.stat()
    if match:
        when = datetime.strptime(match.group(1), "%Y-%m-%d-%H%M")
        zone = settings.zone()
        when = when.replace(tzinfo=zone) if zone else when.astimezone()
    else:
        when = datetime.fromtimestamp(stat.st_mtime).astimezone()
    return EditionRecord(
        stem=stem,
        edition_time=when,
        written_at=datetime.fromtimestamp(stat.st_mtime).astimezone(),
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
