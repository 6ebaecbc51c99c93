"""A settings folder a new desk can start from (``briefer init``).

The folder mirrors briefer's own checkout, so ``briefer make`` run inside
it finds everything without options::

    DIR/config/briefer.toml   every setting, commented, with its default
    DIR/config/rules.toml     a copy of the bundled rules
    DIR/templates/            the Markdown template and the Word reference
    DIR/seeds/                where article files go

The settings file is written from the settings schema itself (each key's
description and default), so it never drifts from what briefer accepts.
Nothing that exists is ever overwritten.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import tomlkit
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .errors import ConfigError
from .settings import DEFAULT_CONFIG, Settings, bundled

CONFIG = DEFAULT_CONFIG
RULES = Path("config") / "rules.toml"
TEMPLATES = Path("templates")
SEEDS = Path("seeds")

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
"""


def init_folder(target: Path) -> list[Path]:
    """Write a new settings folder at ``target``; return the files written.

    Raises :class:`ConfigError` naming every file that already exists; in
    that case nothing is written.
    """
    planned = [target / CONFIG, target / RULES, target / TEMPLATES, target / SEEDS]
    taken = [p for p in planned if p.exists()]
    if taken:
        raise ConfigError(
            *(f"{p}: already exists; `briefer init` never overwrites" for p in taken)
        )
    try:
        (target / CONFIG).parent.mkdir(parents=True, exist_ok=True)
        (target / CONFIG).write_text(settings_text(), encoding="utf-8")
        shutil.copyfile(bundled("config/rules.toml"), target / RULES)
        shutil.copytree(bundled("templates"), target / TEMPLATES)
        (target / SEEDS).mkdir()
    except OSError as exc:
        raise ConfigError(f"{target}: cannot write the settings folder: {exc.strerror}") from None
    written = [target / CONFIG, target / RULES]
    written += sorted(p for p in (target / TEMPLATES).iterdir() if p.is_file())
    return [*written, target / SEEDS]


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
