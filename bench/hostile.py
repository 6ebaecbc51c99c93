"""Hostile-input benchmark: time and peak memory of whole runs, each in its own process.

Cases (each one ``briefer make`` in a child process; time is wall time,
memory the child's peak RSS from ``wait4``):

- ``files-N``: N one-line on-topic files of the form ``Gaza ceasefire
  talks: <14 random words> {i}, mediators said.`` (1k, 4k, 8k, 20k);
- ``article-X MB``: one on-topic article of X MB of random on-topic
  sentences (0.5, 2, 9.5);
- ``slow-pages``: a feed of 200 items with ``full_text = true`` whose pages
  send one byte a second (tests/feedserver.py on loopback), against the
  run's fetch deadline (``fetch.run_deadline``).

A case still running after ``--timeout`` seconds, or above ``--max-rss``
MB, is killed and reported so. Targets (reported, not asserted): 20,000
one-line files under 30 s and 500 MB; a 9.5 MB article under 10 s; the 200
slow pages within the run deadline. The table is printed and written to
``bench/results/hostile.md``.

Run from the project root::

    .venv/bin/python bench/hostile.py
    .venv/bin/python bench/hostile.py --only files-1000 article-0.5 --timeout 120
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.feedserver import FeedServer, rfc822, rss  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "hostile.md"
AS_OF = "2026-01-06T07:00"
SLOW_PAGES = 200
RUN_DEADLINE = 20.0  # fetch.run_deadline for the slow-pages case (seconds)

WORDS = (
    "hostages prisoners Hamas Israel Gaza Qatar Egypt mediators truce phase envoy "
    "negotiators Doha Cairo Rafah aid trucks crossing withdrawal corridor talks deal "
    "exchange release families ministers officials delegation ceasefire proposal draft "
    "guarantees Netanyahu Witkoff humanitarian displaced enclave border security "
    "monitoring agreement stage second first timeline sources"
).split()


@dataclass(frozen=True)
class Case:
    name: str
    target: str
    prepare: Callable[[Path], tuple[list[str], dict[str, str], Callable[[], None]]]
    meets: Callable[[float, float], bool] | None = None


@dataclass(frozen=True)
class Result:
    case: Case
    seconds: float
    rss_mb: float
    outcome: str


def _config(folder: Path, extra: str = "") -> Path:
    config = folder / "briefer.toml"
    config.write_text(
        f'state_dir = "{folder / "state"}"\nout_dir = "{folder / "out"}"\n'
        f'seeds_dir = "{folder / "seeds"}"\ntimezone = "UTC"\n{extra}',
        encoding="utf-8",
    )
    return config


def _make_args(config: Path, fetch: bool = False) -> list[str]:
    return ["make", "--config", str(config), "--as-of", AS_OF, *([] if fetch else ["--no-fetch"])]


def one_line_files(count: int) -> Callable[[Path], tuple[list[str], dict[str, str], Callable]]:
    def prepare(folder: Path) -> tuple[list[str], dict[str, str], Callable[[], None]]:
        rng = random.Random(count)
        seeds = folder / "seeds"
        seeds.mkdir()
        for i in range(count):
            words = " ".join(rng.choice(WORDS) for _ in range(14))
            (seeds / f"{i:06d}.txt").write_text(
                f"Gaza ceasefire talks: {words} {i}, mediators said.\n", encoding="utf-8"
            )
        return _make_args(_config(folder)), {}, lambda: None

    return prepare


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(10, 24))]
    return f"The Gaza ceasefire {' '.join(words)}, mediators said."


def big_article(megabytes: float) -> Callable[[Path], tuple[list[str], dict[str, str], Callable]]:
    def prepare(folder: Path) -> tuple[list[str], dict[str, str], Callable[[], None]]:
        rng = random.Random(int(megabytes * 10))
        seeds = folder / "seeds"
        seeds.mkdir()
        target = int(megabytes * 1_000_000)
        parts: list[str] = ["date 2026-01-05\n\n"]
        size = 0
        while size < target:
            paragraph = " ".join(sentence(rng) for _ in range(rng.randint(2, 6))) + "\n\n"
            parts.append(paragraph)
            size += len(paragraph)
        (seeds / "article.txt").write_text("".join(parts)[:target], encoding="utf-8")
        return _make_args(_config(folder)), {}, lambda: None

    return prepare


def slow_pages(folder: Path) -> tuple[list[str], dict[str, str], Callable[[], None]]:
    server = FeedServer()
    server.add_faults()
    items = [
        {
            "title": f"Gaza ceasefire talks resume in Doha, day {n}",
            "link": server.url(f"/fault/trickle?page={n}"),
            "guid": f"urn:slow:{n}",
            "description": f"Mediators met again in Doha on day {n} to discuss the Gaza "
            "ceasefire and the release of hostages, officials said.",
            "pubDate": rfc822("2026-01-05T10:00"),
        }
        for n in range(SLOW_PAGES)
    ]
    url = server.add("/slow.xml", rss(items))
    server.start()
    (folder / "seeds").mkdir()
    config = _config(
        folder,
        f"[fetch]\nrun_deadline = {RUN_DEADLINE}\n\n"
        f'[[feeds]]\nurl = "{url}"\nname = "Slow News"\nfull_text = true\n',
    )
    return _make_args(config, fetch=True), {}, server.close


def cases() -> list[Case]:
    out = []
    for count in (1_000, 4_000, 8_000, 20_000):
        out.append(
            Case(
                f"files-{count}",
                "< 30 s, < 500 MB" if count == 20_000 else "",
                one_line_files(count),
                (lambda s, m: s < 30 and m < 500) if count == 20_000 else None,
            )
        )
    for megabytes in (0.5, 2, 9.5):
        out.append(
            Case(
                f"article-{megabytes:g}MB",
                "< 10 s" if megabytes == 9.5 else "",
                big_article(megabytes),
                (lambda s, m: s < 10) if megabytes == 9.5 else None,
            )
        )
    out.append(
        Case(
            f"slow-pages-{SLOW_PAGES}",
            f"within run_deadline {RUN_DEADLINE:g} s (+ build)",
            slow_pages,
            lambda s, m: s < RUN_DEADLINE + 15,
        )
    )
    return out


def run_case(case: Case, timeout: float, max_rss: float) -> Result:
    with tempfile.TemporaryDirectory(prefix="briefer-hostile-") as tmp:
        folder = Path(tmp)
        args, env_extra, cleanup = case.prepare(folder)
        env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFER_")}
        env.update(env_extra)
        started = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-m", "briefer", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        outcome = ""
        peak = 0.0
        try:
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    seconds = time.monotonic() - started
                    peak = usage.ru_maxrss / 1024
                    code = os.waitstatus_to_exitcode(status)
                    outcome = "ok" if code == 0 else f"exit {code}"
                    break
                seconds = time.monotonic() - started
                rss = _rss_mb(proc.pid)
                peak = max(peak, rss)
                if seconds > timeout or rss > max_rss:
                    why = (
                        f"killed after {seconds:.0f} s"
                        if seconds > timeout
                        else (f"killed at {rss:,.0f} MB")
                    )
                    os.killpg(proc.pid, signal.SIGKILL)
                    _, _, usage = os.wait4(proc.pid, 0)
                    peak = max(peak, usage.ru_maxrss / 1024)
                    outcome = why
                    break
                time.sleep(0.05)
        finally:
            cleanup()
            stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            if proc.stderr:
                proc.stderr.close()
        if outcome.startswith("exit"):
            outcome += ": " + (stderr.strip().splitlines() or [""])[-1][:120]
        if case.meets is not None and outcome == "ok":
            outcome += ", target met" if case.meets(seconds, peak) else ", target missed"
        return Result(case, seconds, peak, outcome)


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def table(results: list[Result], timeout: float, max_rss: float) -> str:
    lines = [
        "# Hostile inputs: time and peak memory",
        "",
        "`.venv/bin/python bench/hostile.py` (`make bench-hostile`): each case is one "
        f"`briefer make` in a child process (as of {AS_OF}); time is wall time, memory the "
        f"child's peak RSS. Cases still running after {timeout:g} s or above "
        f"{max_rss:,.0f} MB are killed.",
        "",
        "| case | time (s) | peak RSS (MB) | target | outcome |",
        "| --- | ---: | ---: | --- | --- |",
    ]
    for r in results:
        lines.append(
            f"| {r.case.name} | {r.seconds:.1f} | {r.rss_mb:,.0f} | {r.case.target or '-'} "
            f"| {r.outcome} |"
        )
    lines.append("")
    lines.append(
        f"slow-pages: {SLOW_PAGES} feed items with `full_text = true`, each page sending one "
        f"byte a second; `fetch.run_deadline = {RUN_DEADLINE:g}`, the other limits at their "
        "defaults (a page's own deadline 60 s, 8 at a time)."
    )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="case names to run (default: all)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per case")
    parser.add_argument("--max-rss", type=float, default=8_000.0, help="MB per case")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the table")
    args = parser.parse_args()
    chosen = [c for c in cases() if not args.only or c.name in args.only]
    results = []
    for case in chosen:
        print(f"{case.name} ...", file=sys.stderr, flush=True)
        result = run_case(case, args.timeout, args.max_rss)
        print(
            f"  {result.seconds:.1f} s, {result.rss_mb:,.0f} MB, {result.outcome}",
            file=sys.stderr,
            flush=True,
        )
        results.append(result)
    text = table(results, args.timeout, args.max_rss)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
