"""Write editions into ``out/``: atomically, never over an earlier one.

Each file is written to a temporary file in the same folder, flushed to
disk, then hard-linked under its final name. A link fails if the name is
taken, so an existing edition is never replaced; a crash leaves at most a
``.tmp`` file, which the next run removes. ``latest.docx`` and
``latest.md`` are then swapped in with an atomic rename.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .errors import RenderError
from .models import Brief

PREFIX = "briefing-"
TMP_PREFIX = ".briefer-"
_NAME = re.compile(r"briefing-(\d{4}-\d{2}-\d{2}-\d{4})(?:-(\d+))?\.docx")


@dataclass(frozen=True, slots=True)
class EditionFiles:
    """The files one edition was written to."""

    stem: str
    docx: Path
    markdown: Path


def edition_stem(edition_time: datetime) -> str:
    """``briefing-2026-01-02-0700``."""
    return f"{PREFIX}{edition_time:%Y-%m-%d-%H%M}"


def write_edition(
    out_dir: Path, edition_time: datetime, docx: bytes, markdown: str
) -> EditionFiles:
    """Write both files of an edition; a taken name gets a ``-2``, ``-3`` ... suffix."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(out_dir)
        base = edition_stem(edition_time)
        payloads = {".docx": docx, ".md": markdown.encode("utf-8")}
        temps = {ext: _write_temp(out_dir, data) for ext, data in payloads.items()}
        try:
            for n in range(1, 1000):
                stem = base if n == 1 else f"{base}-{n}"
                finals = {ext: out_dir / f"{stem}{ext}" for ext in payloads}
                if any(p.exists() for p in finals.values()):
                    continue
                if _link_all(temps, finals):
                    break
            else:
                raise RenderError(f"{out_dir}: no free name for edition {base}")
        finally:
            for temp in temps.values():
                temp.unlink(missing_ok=True)
        for ext, final in finals.items():
            _replace_link(final, out_dir / f"latest{ext}")
    except OSError as exc:
        raise RenderError(f"{out_dir}: cannot write the edition: {exc.strerror or exc}") from None
    return EditionFiles(stem=stem, docx=finals[".docx"], markdown=finals[".md"])


def _write_temp(folder: Path, data: bytes) -> Path:
    fd, name = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=".tmp", dir=folder)
    try:
        # mkstemp makes 0600 files; memos are shared like any file the user writes.
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


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
    fd, name = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=".tmp", dir=link.parent)
    os.close(fd)
    temp = Path(name)
    try:
        temp.unlink()
        try:
            os.link(target, temp)
        except OSError:  # file systems without hard links
            shutil.copyfile(target, temp)
        os.replace(temp, link)
    finally:
        temp.unlink(missing_ok=True)


def remove_stale_temps(out_dir: Path, older_than: float = 600.0) -> None:
    """Remove temporary files a killed run left behind (not a running one's)."""
    now = time.time()
    for temp in out_dir.glob(f"{TMP_PREFIX}*.tmp"):
        try:
            if now - temp.stat().st_mtime > older_than:
                temp.unlink()
        except FileNotFoundError:
            pass


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


def publish(brief: Brief, out_dir: Path, templates_dir: Path) -> EditionFiles:
    """Render both formats in memory, then write them as one edition."""
    from .render.docx import render_docx
    from .render.markdown import render_markdown

    markdown = render_markdown(brief, templates_dir)
    docx = render_docx(brief, templates_dir)
    return write_edition(out_dir, brief.edition_time, docx, markdown)
