"""Story grouping against the labelled stories: pairwise precision and recall, meaning vs words.

For each labelled feed day, briefer reads the day's items as for the
morning edition and groups them into stories with its own stages
(:func:`briefer.brief.find_stories`, as :func:`briefer.brief.build_brief`
runs it). Every pair
of on-topic items (labelled ``gaza``, ``iran`` or ``normalization``) that
briefer kept is then scored: grouped in one story or not, against labelled
one story or not (an item with no ``story`` label is a story of its own).
Precision: of the pairs briefer put in one story, how many are one story;
recall: of the pairs labelled one story, how many briefer put in one.
Unlike ``days.py``'s grouping columns (the items the memo cites), this
counts every item briefer grouped, told in the memo or not.

The bundled rules are compared with the same rules grouping by words only
(``[stories] meaning = false``).

Run from the project root::

    .venv/bin/python bench/grouping.py                     # tuning days (3-9 January)
    .venv/bin/python bench/grouping.py --days 2026-01-10 --out /tmp/g.md
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "bench", ROOT / "bench" / "days"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import days  # noqa: E402
import items as day_items  # noqa: E402

TUNING = tuple(f"2026-01-{d:02d}" for d in range(3, 10))
RESULTS = ROOT / "bench" / "results" / "grouping.md"


def grouped_items(day: str, rules_path: Path, work: Path) -> dict[str, int]:
    """Each item briefer kept (by link) -> the number of the story it is in (its first)."""
    from briefer.brief import Reading, find_stories, gather_articles
    from briefer.rules import load_rules
    from briefer.summarize.rank import Scorer
    from briefer.text import safe_url

    settings = days.day_settings(day, 700, work, rules=rules_path)
    rules = load_rules(settings.rules_file)
    edition_time = settings.edition_time()
    reading = Reading(rules, settings.segmenter)
    links: dict[str, str] = {}
    for article in gather_articles(settings, edition_time):
        links[article.key] = safe_url(article.url or "") or article.url or article.key
        reading.add(article)
    dated = [a.published for a in reading.cited if a.published is not None]
    scorer = Scorer(rules, max(dated) if dated else None, reading.common_names(),
                    edition_time.date())  # fmt: skip
    stories = find_stories(reading, scorer, rules, settings.model_dir)
    story_of: dict[str, int] = {}
    for n, story in enumerate(stories):
        for origin in story.items:
            story_of.setdefault(links.get(origin.key, origin.key), n)
    return story_of


def pair_counts(day: str, story_of: dict[str, int]) -> tuple[int, int, int, int]:
    """(items, pairs grouped and labelled one, pairs grouped, pairs labelled one)."""
    from briefer.text import safe_url

    labels = day_items.load_labels(ROOT / "bench" / "days" / day / "labels.toml")
    rows = []
    for item in day_items.load_day(day):
        label = labels.get(item.link)
        if label is None or label.section not in day_items.TOPICS:
            continue
        found = story_of.get(safe_url(item.link) or item.link, story_of.get(item.link))
        if found is not None:
            rows.append((label.story or f"item:{item.id}", found))
    right = grouped = labelled = 0
    for (story_a, found_a), (story_b, found_b) in combinations(rows, 2):
        same, together = story_a == story_b, found_a == found_b
        right += same and together
        grouped += together
        labelled += same
    return len(rows), right, grouped, labelled


def _ratio(num: int, den: int) -> str:
    return f"{num / den:.2f} ({num}/{den})" if den else "- (0/0)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", default=",".join(TUNING), help="comma-separated days")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if not day_items.CORPUS.is_dir():
        print(f"{day_items.CORPUS}: corpus not found; nothing to measure", file=sys.stderr)
        return 0
    chosen = [d.strip() for d in args.days.split(",") if d.strip()]
    lines = [
        "# Story grouping",
        "",
        "Pairs of on-topic items briefer kept, grouped in one story against labelled one "
        "story (`bench/grouping.py`). By meaning: the bundled rules; by words: the same "
        "with `[stories] meaning = false`.",
        "",
        "| day | items | by meaning: precision | recall | by words: precision | recall |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    totals = {"meaning": [0, 0, 0], "words": [0, 0, 0]}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        words_only = work / "rules-words.toml"
        text = (ROOT / "config" / "rules.toml").read_text(encoding="utf-8")
        words_only.write_text(text.replace("\nmeaning = true\n", "\nmeaning = false\n", 1),
                              encoding="utf-8")  # fmt: skip
        for day in chosen:
            cells = []
            for name, rules_path in (("meaning", ROOT / "config" / "rules.toml"),
                                     ("words", words_only)):  # fmt: skip
                count, right, grouped, labelled = pair_counts(
                    day, grouped_items(day, rules_path, work / name)
                )
                for k, v in enumerate((right, grouped, labelled)):
                    totals[name][k] += v
                cells += [_ratio(right, grouped), _ratio(right, labelled)]
            lines.append(f"| {day} | {count} | " + " | ".join(cells) + " |")
    m, w = totals["meaning"], totals["words"]
    lines.append(f"| all | | {_ratio(m[0], m[1])} | {_ratio(m[0], m[2])} | "
                 f"{_ratio(w[0], w[1])} | {_ratio(w[0], w[2])} |")  # fmt: skip
    report = "\n".join(lines) + "\n"
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
