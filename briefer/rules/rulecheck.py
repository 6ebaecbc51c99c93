"""Every mistake of a rules file at once, before a build and in ``briefer check``.

The rules loader (:func:`briefer.rules.load.load_rules`) validates the
file's fields first and compiles its regular expressions only when they
hold, and checks that section keys and titles are unique only then; a file
with mistakes of both kinds would be fixed in two rounds. When the fields
fail, the loader asks this to compile the patterns found in the raw file
too and to name repeated keys and titles, so one run names every mistake.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .patterns import compile_user

# Lists of regular expressions in a section table, and in [candidates] (with
# the flags the loader compiles them with).
_SECTION_PATTERNS = ("patterns", "require_any", "exclude")
_CANDIDATE_PATTERNS = {"dateline": 0, "junk": None, "headline_trim": None}


def every_problem(path: Path, raw: dict[str, Any], lines: list[str]) -> list[str]:
    """``lines`` (what the loader found) and the mistakes it did not reach, each once."""
    lines = list(lines)
    told_unique = any("must be unique" in line for line in lines)
    for line in _more_problems(path, raw):
        if line not in lines and not (told_unique and "must be unique" in line):
            lines.append(line)
    return lines


def _more_problems(path: Path, raw: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    sections = raw.get("sections")
    tables = [s for s in sections if isinstance(s, dict)] if isinstance(sections, list) else []
    for number, table in enumerate(tables, start=1):
        key = table.get("key")
        where = f"{path}: section '{key}'" if isinstance(key, str) else f"{path}: section #{number}"
        for name in _SECTION_PATTERNS:
            for source in _strings(table.get(name)):
                compile_user(source, f"{where}: {name}", problems)
    candidates = raw.get("candidates")
    if isinstance(candidates, dict):
        for name, flags in _CANDIDATE_PATTERNS.items():
            for source in _strings(candidates.get(name)):
                where = f"{path}: candidates.{name}"
                if flags is None:
                    compile_user(source, where, problems)
                else:
                    compile_user(source, where, problems, flags)
    for field in ("key", "title"):
        values = [t.get(field) for t in tables if isinstance(t.get(field), str)]
        seen = [" ".join(v.casefold().split()) for v in values]
        twice = sorted({v for v, s in zip(values, seen, strict=True) if seen.count(s) > 1})
        if twice:
            problems.append(
                f"{path}: section {field}s must be unique: "
                + ", ".join(twice if field == "key" else map(repr, twice))
            )
    return problems


def _strings(value: object) -> list[str]:
    """The pattern texts of a list, or of a table's keys (patterns -> weight)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [k for k in value if isinstance(k, str)]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []
