"""Kinds of item: what the `[kinds]` rules decide against the labelled kinds of the feed days.

Each item of the labelled days (``bench/days/DAY/labels.toml``, field
``kind``) is read as briefer reads a feed item and given its kind by
:func:`briefer.summarize.kinds.kind_of`. Prints the confusion (labelled ->
decided), how many non-news items are read as news, how many news items as
another kind, and, with ``--misses``, the on-topic items read wrong.

Run from the project root::

    .venv/bin/python bench/kinds.py                       # tuning days (3-9 January)
    .venv/bin/python bench/kinds.py --days 2026-01-10 --misses
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for path in (ROOT, HERE / "days"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import items as day_items  # noqa: E402

TUNING = tuple(f"2026-01-{d:02d}" for d in range(3, 10))


def main(argv: Sequence[str] | None = None) -> int:
    from briefer.models import Article
    from briefer.rules import load_rules
    from briefer.summarize.kinds import kind_of

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", default=",".join(TUNING), help="comma-separated days")
    parser.add_argument("--rules", type=Path, default=ROOT / "config" / "rules.toml")
    parser.add_argument("--misses", action="store_true", help="list on-topic items read wrong")
    args = parser.parse_args(argv)
    if not day_items.CORPUS.is_dir():
        print(f"{day_items.CORPUS}: corpus not found; nothing to measure", file=sys.stderr)
        return 0
    rules = load_rules(args.rules)
    confusion: Counter[tuple[str, str]] = Counter()
    misses = []
    for day in [d.strip() for d in args.days.split(",") if d.strip()]:
        labels = day_items.load_labels(ROOT / "bench" / "days" / day / "labels.toml")
        for item in day_items.load_day(day):
            label = labels.get(item.link)
            if label is None or not label.kind:
                continue
            paragraphs = tuple(p for p in item.summary.split("\n\n") if p.strip())
            article = Article(key=item.link, paragraphs=paragraphs, title=item.title,
                              headline=item.title, url=item.link, summary=True)  # fmt: skip
            found = kind_of(article, rules)
            confusion[(label.kind, found.kind)] += 1
            if found.kind != label.kind and label.section in day_items.TOPICS:
                misses.append(f"{day} {item.id}: {label.kind} read as {found.kind} "
                              f"({found.why}): {item.title[:80]}")  # fmt: skip
    total = sum(confusion.values())
    as_news = sum(n for (label, found), n in confusion.items() if label != "news" == found)
    as_other = sum(n for (label, found), n in confusion.items() if label == "news" != found)
    print("| labelled | decided | items |\n|---|---|---:|")
    for (label, found), n in sorted(confusion.items()):
        print(f"| {label} | {found} | {n} |")
    print(f"\n{total} items; non-news read as news: {as_news}; news read as another kind: "
          f"{as_other}")  # fmt: skip
    if args.misses:
        print("\n".join(["", *misses]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
