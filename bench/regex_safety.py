"""Regex safety benchmark: which user patterns are refused, and how long one search can take.

For every pattern of ``DANGEROUS``, ``SLOW_ONLY_IN_RE`` and ``SAFE`` in
``tests/test_patterns.py``:

* **refused before**: what briefer's earlier check did (a static reading
  of Python's parse of the pattern, ``backtrack.py``, removed since): its
  tests held it to refuse every pattern of ``DANGEROUS`` and
  ``SLOW_ONLY_IN_RE`` (one list then) and none of ``SAFE``;
* **refused now**: what loading a rules file with the pattern does
  (``briefer.rules.probe``: hostile lines built from the pattern, searched
  with the bundled ``[regex] timeout``), and how long that took;
* **worst search**: the longest single search (CPU seconds) over hostile
  lines of 1,000 characters (the probe's own lines, plus runs of ``a``,
  digits, ``ab``, words, with and without a failing end), with Python's
  ``re`` (the engine briefer used before, with no timeout: each search runs
  in a child process, killed after ``--cap`` seconds) and with ``regex``
  (the engine now, stopped at ``--cap`` seconds);
* **at run time now**: what one search can cost in a build: the regex
  worst, cut at the timeout (beyond it the search counts as no match).

Then the same-meaning check: every pattern of ``config/rules.toml``,
``SAFE`` and ``SLOW_ONLY_IN_RE`` searched with ``re`` and ``regex`` on
every line of the seeds and of the corpora (when present); any text where
the two find a different match is listed.

Run from the project root::

    .venv/bin/python bench/regex_safety.py
    .venv/bin/python bench/regex_safety.py --cap 5 --no-corpora
"""

from __future__ import annotations

import argparse
import json
import os
import re
import select
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import regex  # noqa: E402

from briefer.rules import load_rules  # noqa: E402
from briefer.rules.patterns import FLAGS, MAX_TEXT  # noqa: E402
from briefer.rules.probe import danger, hostile_lines  # noqa: E402
from tests.test_patterns import DANGEROUS, SAFE, SLOW_ONLY_IN_RE  # noqa: E402

RULES = ROOT / "config" / "rules.toml"
CORPORA = ROOT.parent / "shared" / "corpora"
RESULTS = ROOT / "bench" / "results" / "regex-safety.md"

# A child that times re searches: reads (pattern, lines) as JSON, prints one time per line.
_CHILD = """
import json, re, sys, time
pattern, lines = json.loads(sys.stdin.read())
compiled = re.compile(pattern, re.IGNORECASE)
for line in lines:
    start = time.process_time()
    compiled.search(line)
    print(time.process_time() - start, flush=True)
"""


def lines_for(pattern: str) -> list[str]:
    """The probe's hostile lines and a few fixed ones, each MAX_TEXT characters."""

    def run(unit: str, end: str = "", before: str = "") -> str:
        size = MAX_TEXT - len(end) - len(before)
        return before + (unit * (size // len(unit) + 1))[:size] + end

    fixed = [run(u, e) for u in ("a", "1", "ab", "aaa ", "word ", "a1", " a") for e in ("", "!")]
    fixed += [run("a", "!x"), run("1", "!x"), run("a", before="x"), run("foo", "!", "bar")]
    fixed.append(run("x" * 89 + "a")[: 11 * 90] + "x" * (MAX_TEXT - 11 * 90))  # 11 a, apart
    return list(dict.fromkeys([*hostile_lines(pattern), *fixed]))


def worst_re(pattern: str, lines: list[str], cap: float) -> tuple[float, bool]:
    """The longest re search (CPU s) over ``lines``; True if one was still running at ``cap``.

    re has no timeout and a search cannot be interrupted, so the searches
    run in a child process, killed when one search takes ``cap`` seconds.
    """
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert child.stdin is not None and child.stdout is not None
    try:
        child.stdin.write(json.dumps([pattern, lines]).encode())
        child.stdin.close()
        worst, done, buffer = 0.0, 0, b""
        wait = cap + 2  # start-up, then the first search
        while done < len(lines):
            ready, _, _ = select.select([child.stdout], [], [], wait)
            if not ready:
                return cap, True
            chunk = os.read(child.stdout.fileno(), 65536)
            if not chunk:
                raise RuntimeError(f"the re child stopped after {done} searches of {pattern!r}")
            buffer += chunk
            *complete, buffer = buffer.split(b"\n")
            worst = max([worst, *map(float, complete)])
            done += len(complete)
            wait = cap
        return worst, False
    finally:
        child.kill()
        child.wait()


def worst_regex(pattern: str, lines: list[str], cap: float) -> tuple[float, bool]:
    compiled = regex.compile(pattern, FLAGS)
    worst = 0.0
    for line in lines:
        start = time.process_time()
        try:
            compiled.search(line, timeout=cap)
        except TimeoutError:
            return cap, True
        worst = max(worst, time.process_time() - start)
    return worst, False


def seconds(value: float, capped: bool) -> str:
    return f"> {value:g}" if capped else f"{value:.3f}"


def safety_table(cap: float, timeout: float) -> list[str]:
    rows = [
        "| pattern | list | refused before | refused now | load s | worst re s | "
        "worst regex s | at run time now s |",
        "|---|---|---|---|---:|---:|---:|---:|",
    ]
    lists = [("DANGEROUS", DANGEROUS), ("SLOW_ONLY_IN_RE", SLOW_ONLY_IN_RE), ("SAFE", SAFE)]
    for name, patterns in lists:
        for pattern in patterns:
            print(f"  {pattern}", file=sys.stderr, flush=True)
            before = "yes" if name != "SAFE" else "no"
            start = time.process_time()
            reason = danger(regex.compile(pattern, FLAGS), timeout)
            load = time.process_time() - start
            lines = lines_for(pattern)
            re_worst, re_capped = worst_re(pattern, lines, cap)
            rx_worst, rx_capped = worst_regex(pattern, lines, cap)
            at_run = "refused" if reason else f"{min(rx_worst, timeout):.3f}"
            shown = pattern.replace("|", "\\|")
            rows.append(
                f"| `{shown}` | {name} | {before} | {'yes' if reason else 'no'} | {load:.2f} | "
                f"{seconds(re_worst, re_capped)} | {seconds(rx_worst, rx_capped)} | "
                f"{at_run} |"
            )
    return rows


def texts(corpora: bool) -> list[str]:
    found = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        found += path.read_text(encoding="utf-8").splitlines()
    if corpora and CORPORA.is_dir():
        from briefer.sources.feedparse import parse_feed

        for path in sorted((CORPORA / "news-feeds-2026-01").glob("*/*.xml")):
            feed = parse_feed(path.read_bytes(), url="http://x.invalid/f", max_items=10_000)
            for item in feed.items:
                found += [item.title, *item.summary.split("\n\n")]
        for path in sorted((CORPORA / "bbc-news").glob("*/*.txt")):
            found += path.read_bytes().decode("utf-8", "replace").splitlines()
    return [t[:MAX_TEXT] for t in found if t.strip()]


def same_meaning(corpora: bool) -> list[str]:
    raw = tomllib.loads(RULES.read_text(encoding="utf-8"))
    cased = raw["candidates"].get("dateline")
    patterns = []
    for section in raw["sections"]:
        patterns += [*section.get("patterns", {}), *section.get("require_any", [])]
        patterns += section.get("exclude", [])
    patterns += raw["candidates"].get("junk", []) + raw["candidates"].get("headline_trim", [])
    pairs = [(p, re.IGNORECASE, FLAGS) for p in [*patterns, *SAFE, *SLOW_ONLY_IN_RE]]
    if cased:
        pairs.append((cased, 0, regex.V0))
    lines = texts(corpora)
    differ = []
    for pattern, old_flags, new_flags in pairs:
        old, new = re.compile(pattern, old_flags), regex.compile(pattern, new_flags)
        for line in lines:
            a, b = old.search(line), new.search(line)
            if (a and a.span()) != (b and b.span()):
                differ.append(f"- `{pattern}` on {line[:80]!r}: re {a}, regex {b}")
    where = "seeds and corpora" if corpora and CORPORA.is_dir() else "seeds"
    return [
        f"{len(pairs)} patterns x {len(lines):,} texts ({where}): {len(differ)} searches where "
        "re and regex find a different match.",
        *differ,
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cap", type=float, default=10.0, help="longest search timed (s)")
    parser.add_argument("--no-corpora", action="store_true", help="same-meaning check on seeds")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the tables")
    args = parser.parse_args()
    timeout = load_rules(RULES).dateline.timeout
    started = time.monotonic()
    print("timing patterns ...", file=sys.stderr)
    table = safety_table(args.cap, timeout)
    print("comparing re and regex ...", file=sys.stderr)
    meaning = same_meaning(not args.no_corpora)
    report = "\n".join(
        [
            "# Regex safety",
            "",
            f"`python bench/regex_safety.py` (cap {args.cap:g} s, bundled `[regex] timeout` "
            f"{timeout:g} s), {time.monotonic() - started:.0f} s in all. Times are CPU seconds of "
            f"one search on a line of {MAX_TEXT:,} characters; what each column means: the "
            "docstring of `bench/regex_safety.py`.",
            "",
            *table,
            "",
            "## Same meaning under re and regex",
            "",
            *meaning,
            "",
        ]
    )
    print(report)
    args.out.write_text(report, encoding="utf-8")
    print(f"written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
