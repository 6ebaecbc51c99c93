"""A settings folder a new desk can start from (``briefer init``).

The folder mirrors briefer's own checkout, so ``briefer make`` run inside
it finds everything without options::

    DIR/config/briefer.toml   every setting, commented, with its default
    DIR/config/rules.toml     a copy of the bundled rules
    DIR/templates/            the Markdown template and the Word reference
    DIR/seeds/                where article files go

The settings file is written from the settings schema itself (each key's
description and default), so it never drifts from what briefer accepts.
Nothing that exists is ever overwritten, and a folder is written whole or not
at all.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import tomlkit
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .atomic import umask
from .errors import BrieferError, ConfigError
from .settings import DEFAULT_CONFIG, Settings, bundled
from .statedb import os_reason

CONFIG = DEFAULT_CONFIG
RULES = Path("config") / "rules.toml"
TEMPLATES = Path("templates")
SEEDS = Path("seeds")
_STAGING = ".briefer-init-"  # a folder being built, before it takes its name

# Where the new folder's own files are, relative to its settings file.
_PATHS = {
    "seeds_dir": "../seeds",
    "out_dir": "../out",
    "state_dir": "../state",
    "rules_file": "rules.toml",
    "templates_dir": "../templates",
}
# Set by briefer or by the command line, never in the file.
_SKIPPED = {"config_file", "as_of"}
_FEED_EXAMPLE = """\
# RSS or Atom feeds, one [[feeds]] table each (`briefer feeds add URL` adds one):
# [[feeds]]
# url = "https://www.example.org/world/rss.xml"
# name = "Example News"      # publisher shown in citations
# full_text = false          # true: fetch each item's page and extract the body
# max_items = 200
# user = "desk"              # a feed behind a login: the user name, and its password
# password_env = "DESK_FEED_PASSWORD"   # in this variable (or password_file = "...")
"""


def init_folder(target: Path) -> list[Path]:
    """Write a new settings folder at ``target``; return the files written.

    Raises :class:`ConfigError` naming every file that already exists; in
    that case nothing is written. The folder is built under a temporary
    name beside its place and moved there only when complete, so a failure
    (a full disk) leaves nothing behind: a retry starts afresh.
    """
    planned = [target / CONFIG, target / RULES, target / TEMPLATES, target / SEEDS]
    taken = [p for p in planned if p.exists()]
    if taken:
        raise ConfigError(
            *(f"{p}: already exists; `briefer init` never overwrites" for p in taken)
        )
    made: list[Path] = []  # folders made on the way, to remove on failure
    staging: Path | None = None
    try:
        made = _make_folders(target.parent)
        # Beside the target when it is new (one rename puts it in place),
        # inside it when it exists (its parts are moved in one by one).
        staging = Path(
            tempfile.mkdtemp(prefix=_STAGING, dir=target if target.is_dir() else target.parent)
        )
        os.chmod(staging, 0o777 & ~umask())  # mkdtemp's 0700 would stay with the folder
        _write_folder(staging)
        if target.is_dir():
            _move_parts(staging, target, made)
        else:
            os.rename(staging, target)
            staging = None
    except BaseException as exc:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        if isinstance(exc, OSError):
            raise BrieferError(
                f"{target}: cannot write the settings folder: {os_reason(exc)}"
            ) from None
        raise
    written = [target / CONFIG, target / RULES]
    written += sorted(p for p in (target / TEMPLATES).iterdir() if p.is_file())
    return [*written, target / SEEDS]


def _make_folders(folder: Path) -> list[Path]:
    """Make ``folder`` and its missing parents; return the ones made, outermost first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    made = []
    try:
        for path in reversed(missing):
            path.mkdir()
            made.append(path)
    except BaseException:
        for path in reversed(made):
            with contextlib.suppress(OSError):
                path.rmdir()
        raise
    return made


def _write_folder(root: Path) -> None:
    """Every file of a settings folder, under ``root``."""
    (root / CONFIG).parent.mkdir()
    (root / CONFIG).write_text(settings_text(), encoding="utf-8")
    shutil.copyfile(bundled("config/rules.toml"), root / RULES)
    # File by file rather than copytree: its error loses the errno (ENOSPC).
    source = bundled("templates")
    (root / TEMPLATES).mkdir()
    for path in sorted(source.rglob("*")):
        copy = root / TEMPLATES / path.relative_to(source)
        if path.is_dir():
            copy.mkdir()
        else:
            shutil.copyfile(path, copy)
    (root / SEEDS).mkdir()


def _move_parts(staging: Path, target: Path, made: list[Path]) -> None:
    """Move a built folder's parts into the existing folder ``target``.

    What was moved before a failure is moved back, so the folder is as it was.
    """
    moved: list[tuple[Path, Path]] = []
    try:
        if not (target / CONFIG).parent.is_dir():
            (target / CONFIG).parent.mkdir()
            made.append((target / CONFIG).parent)
        for part in (CONFIG, RULES, TEMPLATES, SEEDS):
            if (target / part).exists():  # made meanwhile by someone else
                raise FileExistsError(errno.EEXIST, "already exists", str(target / part))
            os.rename(staging / part, target / part)
            moved.append((target / part, staging / part))
    except BaseException:
        for placed, back in reversed(moved):
            with contextlib.suppress(OSError):
                os.rename(placed, back)
        raise
    shutil.rmtree(staging, ignore_errors=True)


def settings_text() -> str:
    """The settings file: every key with its description, defaults commented out."""
    lines = [
        "# briefer settings. Relative paths resolve against this file's folder.",
        "# Any key can be overridden from the environment: BRIEFER_BUDGET_WORDS=500,",
        '# nested keys with "__": BRIEFER_MEMO__TO="Desk". `briefer check` validates.',
        "# Lines starting with '# key = ' show the default; remove the '# ' to change it.",
        "",
    ]
    tables: list[tuple[str, FieldInfo]] = []
    for name, field in Settings.model_fields.items():
        if name in _SKIPPED or name == "feeds":
            continue
        if _is_model(field):
            tables.append((name, field))
            continue
        lines.extend(_describe(field))
        if name in _PATHS:
            lines.append(f"{name} = {_toml(_PATHS[name])}")
        else:
            lines.append(_default_line(name, field))
        lines.append("")
    lines.append(_FEED_EXAMPLE)
    for name, field in tables:
        lines.extend(_describe(field))
        lines.append(f"[{name}]")
        model = field.annotation
        assert isinstance(model, type) and issubclass(model, BaseModel)
        for key, sub in model.model_fields.items():
            lines.extend(_describe(sub))
            lines.append(_default_line(sub.alias or key, sub))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _is_model(field: FieldInfo) -> bool:
    annotation = field.annotation
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _describe(field: FieldInfo) -> Iterator[str]:
    text = " ".join((field.description or "").split())
    line = "#"
    for word in text.split(" "):
        if len(line) + len(word) + 1 > 78 and line != "#":
            yield line
            line = "#"
        line += " " + word
    if line != "#":
        yield line


def _default_line(key: str, field: FieldInfo) -> str:
    value = field.get_default(call_default_factory=True)
    if value is None or value == () or value == []:
        return f"# {key} ="
    return f"# {key} = {_toml(value)}"


def _toml(value: Any) -> str:
    if isinstance(value, Path):
        value = str(value)
    if isinstance(value, tuple):
        value = list(value)
    return tomlkit.item(value).as_string()
