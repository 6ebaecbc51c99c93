"""How much the feed-day figures move when the ranking weights move a little.

A change to the rules is judged by a handful of labelled days. This bench
says how large a difference has to be before it is more than the noise of
the weights: it builds each day's edition with the rules as bundled, then
again with every ranking weight (``[scoring]`` and ``[news_value]``: the
weights only, no cap, threshold or term list) multiplied by its own random
factor in ``1 ± --spread`` (seeded, so a run can be repeated), and reports
per day the bundled figure beside the lowest and highest of the perturbed
runs:

- weighted recall of the day's facts;
- bottom-line key stories (lines whose story is labelled key);
- bullets whose first source is not news (labelled kind), whole memo;
- story repeats.

Run from the project root (about 20 s per perturbed run of 7 days)::

    .venv/bin/python bench/stability.py                  # tuning days, 10 runs, ±10%
    .venv/bin/python bench/stability.py --runs 20 --spread 0.05
    .venv/bin/python bench/stability.py --spread 0 --drop-terms 3   # term-list edits
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for path in (ROOT, HERE, HERE / "days"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import items as day_items  # noqa: E402
import quality  # noqa: E402
from days import build_day, score_day  # noqa: E402

RULES = ROOT / "config" / "rules.toml"
RESULTS = ROOT / "bench" / "results" / "stability.md"
TUNING = tuple(f"2026-01-{d:02d}" for d in range(3, 10))
# The tables whose plain numbers are ranking weights (their term lists are not).
WEIGHTED = ("scoring", "news_value")
TERM_LISTS = ("news_value.development_terms", "news_value.actor_terms", "news_value.soft_terms")
_TABLE = re.compile(r"^\[([\w.]+)\]\s*$")
_TERM = re.compile(r'^"[^"]+" = ')
_NUMBER = re.compile(r"^(\w+) = (\d+(?:\.\d+)?)\s*$")
# Numbers of those tables that are not weights (caps, counts, shares, days): left as they are.
NOT_WEIGHTS = {"cue_cap", "specifics_cap", "line_specifics_cap", "development_cap", "actor_cap",
               "soft_cap", "core_texts", "max_details", "common_name_min_items",
               "common_name_share", "detail_novelty", "fresh_days",
               "recency_half_life_days"}  # fmt: skip


@dataclass(frozen=True)
class Figures:
    recall: float
    bottom_key: int
    not_news: int
    repeats: int


def perturbed(text: str, rng: random.Random, spread: float, drop: int = 0) -> tuple[str, int]:
    """The rules file ``text`` with each ranking weight scaled; and how many were.

    ``drop``: that many terms of the news-value lists (development, actor,
    soft) are left out at random, as a small edit of a term list would.
    """
    table = ""
    changed = 0
    lines = []
    terms = []
    for line in text.splitlines(keepends=True):
        if match := _TABLE.match(line):
            table = match.group(1)
        elif table in WEIGHTED and (match := _NUMBER.match(line)):
            key, value = match.groups()
            if key not in NOT_WEIGHTS:
                factor = 1 + rng.uniform(-spread, spread)
                line = f"{key} = {float(value) * factor:.4f}\n"
                changed += 1
        elif table in TERM_LISTS and _TERM.match(line):
            terms.append(len(lines))
        lines.append(line)
    for n in rng.sample(terms, min(drop, len(terms))):
        lines[n] = ""
    return "".join(lines), changed


def figures(day: str, budget: int, work: Path, rules: Path) -> Figures:
    brief, items = build_day(day, budget, work, rules=rules)
    folder = ROOT / "bench" / "days" / day
    scores = score_day(day, budget, brief, items, folder)
    facts = quality.load_facts(folder / "facts.toml")
    recall = quality.weighted_recall(quality.memo_bullets(brief), facts)
    return Figures(recall, scores.bottom_key, scores.not_news, scores.repeats)


def report(days: Sequence[str], base: dict[str, Figures], runs: list[dict[str, Figures]],
           spread: float, changed: int, seed: int, drop: int = 0) -> str:  # fmt: skip
    lines = [
        "# Stability of the feed-day figures",
        "",
        f"Built by `bench/stability.py`: each day's edition with the bundled rules, then "
        f"{len(runs)} times with each of the {changed} ranking weights of `[scoring]` and "
        f"`[news_value]` scaled by its own random factor in 1 ± {spread:g}"
        + (f" and {drop} of the news-value terms left out at random" if drop else "")
        + f" (seed {seed}). Each cell: the bundled figure, then the lowest and highest of "
        "the perturbed runs.",
        "",
        "| day | recall | bottom-line key stories | not news (memo) | repeats |",
        "|---|---:|---:|---:|---:|",
    ]
    for day in days:
        row = [f"| {day}"]
        for name, fmt in (("recall", "{:.3f}"), ("bottom_key", "{}"), ("not_news", "{}"),
                          ("repeats", "{}")):  # fmt: skip
            values = [getattr(r[day], name) for r in runs]
            shown = fmt.format(getattr(base[day], name))
            row.append(f"{shown} ({fmt.format(min(values))}–{fmt.format(max(values))})")
        lines.append(" | ".join(row) + " |")
    recall = [sum(r[d].recall for d in days) / len(days) for r in runs]
    mean = sum(base[d].recall for d in days) / len(days)
    lines += [
        "",
        f"Mean recall over the days: {mean:.3f} bundled; {min(recall):.3f} to "
        f"{max(recall):.3f} perturbed.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", default=",".join(TUNING), help="comma-separated days")
    parser.add_argument("--budget", type=int, default=700)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--spread", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--drop-terms", type=int, default=0,
                        help="also leave out this many news-value terms per run")  # fmt: skip
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if not day_items.CORPUS.is_dir():
        print(f"{day_items.CORPUS}: corpus not found; nothing to measure", file=sys.stderr)
        return 0
    days = [d.strip() for d in args.days.split(",") if d.strip()]
    rng = random.Random(args.seed)
    text = RULES.read_text(encoding="utf-8")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="briefer-stability-") as tmp:
        work = Path(tmp)
        base = {day: figures(day, args.budget, work, RULES) for day in days}
        runs = []
        changed = 0
        for n in range(args.runs):
            rules_text, changed = perturbed(text, rng, args.spread, args.drop_terms)
            rules = work / f"rules-{n}.toml"
            rules.write_text(rules_text, encoding="utf-8")
            runs.append({day: figures(day, args.budget, work, rules) for day in days})
            print(f"run {n + 1}/{args.runs}: mean recall "
                  f"{sum(f.recall for f in runs[-1].values()) / len(days):.3f}",
                  file=sys.stderr)  # fmt: skip
    text_out = report(days, base, runs, args.spread, changed, args.seed, args.drop_terms)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text_out, encoding="utf-8")
    print(text_out)
    print(f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
