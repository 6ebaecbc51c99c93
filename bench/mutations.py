"""Mutation check: does the test suite notice when a selection rule stops mattering?

Each mutation sets one key of ``config/rules.toml`` to a value that turns
its rule off or bends it out of shape. For each, the script copies the
project (without ``.git`` and ``.venv``) to a temporary folder, writes the
mutated value into the copy's ``config/rules.toml`` (comments and the rest
of the file kept), runs the test suite there without the golden snapshot
test (``-k 'not golden'``), and counts the tests that fail; the golden
snapshot is run apart and reported in a column of its own. Failing tests
run a second time on the same copy; only those failing both times count
(a test that passes the second time is named as flaky). An unmutated copy
is run first: a test failing there fails for another reason, and is not
counted against any mutation. The project itself is never changed.

The copy is imported first (``PYTHONPATH``), also by the CLI subprocesses
the tests start, and finds ``../shared`` through a link, so the same tests
run as in the project.

Run from the project root::

    .venv/bin/python bench/mutations.py                   # all mutations
    .venv/bin/python bench/mutations.py --only compared_stories,core_texts
    .venv/bin/python bench/mutations.py --tree /tmp/base  # another checkout's tests
    .venv/bin/python bench/mutations.py -- tests/test_fill.py   # some tests only
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Mutation:
    """One key of the rules file set to a value that bends its rule."""

    name: str
    table: str
    key: str
    value: str  # as written in TOML
    what: str


MUTATIONS = (
    Mutation("budget_share", "bottom_line", "budget_share", "1.0",
             "the bottom line's share of the budget ignored (the whole budget)"),
    Mutation("compared_stories", "stories", "compared_stories", "1",
             "a point compared with one candidate story only (was most_common(16))"),
    Mutation("same_point_jaccard", "stories", "same_point_jaccard", "0.9",
             "two bullets are the same point only at Jaccard 0.9 (was 0.5)"),
    Mutation("core_texts", "scoring", "core_texts", "1",
             "a story's shared words counted over its first text only (was [:40])"),
    Mutation("line_specifics", "scoring", "line_specifics", "0",
             "no bonus for figures, dates and names in a bottom-line headline"),
)  # fmt: skip
# Mutations of rules that no longer exist, named in the table.
REMOVED = {"vague_penalty": "removed from the engine (scoring.vague_penalty is a retired key)"}


def mutate(text: str, mutation: Mutation) -> str:
    """``text`` (a rules file) with ``mutation``'s key set; exactly one line changes."""
    lines = text.splitlines(keepends=True)
    table = None
    for n, line in enumerate(lines):
        header = re.match(r"\s*\[\[?\s*([\w.]+)\s*\]\]?", line)
        if header:
            table = header.group(1)
            continue
        found = re.match(rf"(\s*){re.escape(mutation.key)}\s*=\s*[^#\n]*", line)
        if table == mutation.table and found:
            lines[n] = f"{found.group(1)}{mutation.key} = {mutation.value}\n"
            mutated = "".join(lines)
            wanted = tomllib.loads(f"v = {mutation.value}")["v"]
            assert tomllib.loads(mutated)[mutation.table][mutation.key] == wanted
            return mutated
    raise SystemExit(f"{mutation.table}.{mutation.key}: not found in the rules file")


def copy_tree(tree: Path, into: Path) -> Path:
    """A copy of ``tree`` in ``into``/tree, with ``into``/shared linked to the shared folder."""
    target = into / "tree"
    ignore = shutil.ignore_patterns(".git", ".venv", "__pycache__", ".pytest_cache", "out")
    shutil.copytree(tree, target, ignore=ignore, symlinks=True)
    shared = tree.parent / "shared"
    if shared.is_dir():
        (into / "shared").symlink_to(shared)
    return target


@dataclass(frozen=True)
class Outcome:
    """A run of the suite: the tests that failed twice (and once only), how many ran."""

    failed: frozenset[str]
    flaky: frozenset[str]  # failed, then passed when run again: not the mutation's doing
    total: int
    seconds: float
    golden: bool  # the golden snapshot test still passes


def run_suite(tree: Path, python: str, args: list[str], rules: str | None) -> Outcome:
    """The suite in a copy of ``tree`` (with ``rules`` as its rules file, if given).

    Failing tests run once more on the same copy: a test that then passes
    failed for a reason of its own (a slow machine), and is reported apart.
    """
    with tempfile.TemporaryDirectory(prefix="briefer-mutation-") as tmp:
        copy = copy_tree(tree, Path(tmp))
        if rules is not None:
            path = copy / "config" / "rules.toml"
            path.write_text(rules, encoding="utf-8")
        began = time.monotonic()
        failed, total = _pytest(copy, python, ["-k", "not golden", *args], Path(tmp) / "1.xml")
        again = failed
        if failed:
            again, _ = _pytest(copy, python, sorted(failed), Path(tmp) / "2.xml")
        seconds = time.monotonic() - began
        snapshot, _ = _pytest(copy, python, ["-k", "golden"], Path(tmp) / "golden.xml")
        return Outcome(
            frozenset(failed & again), frozenset(failed - again), total, seconds, not snapshot
        )


def _pytest(copy: Path, python: str, args: list[str], report: Path) -> tuple[set[str], int]:
    """Failing test ids and tests run, of pytest with ``args`` in ``copy``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFER_")}
    env["PYTHONPATH"] = str(copy)
    command = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}",
               *args]  # fmt: skip
    subprocess.run(command, cwd=copy, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)  # fmt: skip
    if not report.exists():
        raise SystemExit(f"{copy}: pytest wrote no report (run it there to see why)")
    failed, total = set(), 0
    for case in ET.parse(report).getroot().iter("testcase"):
        if case.find("skipped") is not None:
            continue
        total += 1
        if case.find("failure") is not None or case.find("error") is not None:
            module = (case.get("classname") or "").replace(".", "/")
            failed.add(f"{module}.py::{case.get('name')}")
    return failed, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, default=ROOT, help="project folder (default: this)")
    parser.add_argument("--python", default=sys.executable, help="interpreter with pytest")
    parser.add_argument("--only", default="", help="comma-separated mutation names")
    parser.add_argument("--list", action="store_true", help="name the failing tests")
    parser.add_argument("pytest_args", nargs="*", help="passed to pytest (after --)")
    options = parser.parse_args()
    tree = options.tree.resolve()
    chosen = [m for m in MUTATIONS if not options.only or m.name in options.only.split(",")]
    original = (tree / "config" / "rules.toml").read_text(encoding="utf-8")

    base = run_suite(tree, options.python, options.pytest_args, None)
    print(f"unmutated: {base.total} tests run, {len(base.failed)} failing, "
          f"{base.seconds:.0f} s", flush=True)  # fmt: skip
    for name in sorted(base.failed):
        print(f"  failing without a mutation (not counted): {name}")
    for name in sorted(base.flaky):
        print(f"  failed once, then passed (not counted): {name}")
    if not base.golden:
        print("  the golden snapshot fails without a mutation")
    rows = []
    for mutation in chosen:
        run = run_suite(tree, options.python, options.pytest_args, mutate(original, mutation))
        caught = sorted(run.failed - base.failed)
        rows.append((mutation, caught, run.golden))
        print(f"{mutation.table}.{mutation.key} = {mutation.value}: {len(caught)} failing "
              f"({run.seconds:.0f} s)", flush=True)  # fmt: skip
        if options.list:
            for name in caught:
                print(f"  {name}")
        for name in sorted(run.flaky):
            print(f"  failed once, then passed (not counted): {name}")
    print()
    print(f"| mutation | value | tests failing (of {base.total}, golden excluded) "
          "| golden snapshot |")  # fmt: skip
    print("|---|---|---|---|")
    for mutation, caught, golden in rows:
        print(f"| {mutation.table}.{mutation.key}: {mutation.what} | {mutation.value} "
              f"| {len(caught)} | {'passes' if golden else 'fails'} |")  # fmt: skip
    for name, why in REMOVED.items():
        print(f"| {name} | - | {why} | - |")


if __name__ == "__main__":
    main()
