"""Off-topic leakage: memo bullets that come from files labelled off-topic.

Builds briefer's memo from the held-out folder (state and output in a
temporary folder, nothing left behind) at each budget and lists every bullet,
bottom line included, that cites a file named in ``offtopic.txt``. A bullet
citing several sources counts when any of them is off-topic. Run from the
project root::

    .venv/bin/python bench/heldout/offtopic.py              # budgets 400, 700, 1000
    .venv/bin/python bench/heldout/offtopic.py --budgets 700 --show

Exit status: 0 when no off-topic file reaches the memo, 1 when one does.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ARTICLES = HERE / "articles"
OFFTOPIC = HERE / "offtopic.txt"
DEFAULT_BUDGETS = (400, 700, 1000)


def off_topic_files(path: Path = OFFTOPIC) -> set[str]:
    """File names listed in ``offtopic.txt`` (comments after ``#`` ignored)."""
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        name = line.split("#", 1)[0].strip()
        if name:
            names.add(name)
    return names


def build(budget: int, seeds: Path, work: Path) -> object:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from briefer.brief import build_brief
    from briefer.settings import load_settings

    settings = load_settings(
        ROOT / "config" / "briefer.toml",
        seeds_dir=seeds,
        out_dir=work / "out",
        state_dir=work / "state",
        budget_words=budget,
    )
    return build_brief(settings)


def bullets(brief: object) -> list[tuple[str, object]]:
    """``(section key, item)`` for every bullet, bottom line first."""
    out: list[tuple[str, object]] = [("bottom_line", i) for i in brief.bottom_line]  # type: ignore[attr-defined]
    for section in brief.sections:  # type: ignore[attr-defined]
        out.extend((section.key, item) for item in section.items)
    return out


def source_files(brief: object, item: object) -> list[str]:
    """The article files (keys) a bullet cites."""
    by_number = {s.number: s.article_key for s in brief.sources}  # type: ignore[attr-defined]
    files = [item.article_key]  # type: ignore[attr-defined]
    files += [by_number[n] for n in item.sources if n in by_number]  # type: ignore[attr-defined]
    return list(dict.fromkeys(files))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Report memo bullets from off-topic files.")
    parser.add_argument("--seeds", type=Path, default=ARTICLES, help="held-out articles folder")
    parser.add_argument("--offtopic", type=Path, default=OFFTOPIC, help="list of off-topic files")
    parser.add_argument(
        "--budgets",
        default=",".join(map(str, DEFAULT_BUDGETS)),
        help="comma-separated word budgets (default: %(default)s)",
    )
    parser.add_argument("--show", action="store_true", help="print every bullet with its files")
    parser.add_argument("--verbose", action="store_true", help="show briefer's warnings")
    args = parser.parse_args(argv)
    off = off_topic_files(args.offtopic)
    on_disk = {p.name for p in args.seeds.iterdir() if p.suffix in (".txt", ".md")}
    unknown = sorted(off - on_disk)
    if unknown:
        print(f"{args.offtopic}: not in {args.seeds}: {', '.join(unknown)}", file=sys.stderr)
        return 2
    budgets = [int(b) for b in args.budgets.replace(",", " ").split()]
    if not args.verbose:
        # Files with the same body (one story under two headlines) are
        # reported by briefer at every build; say it once, here.
        logging.getLogger("briefer").setLevel(logging.ERROR)
    leaked_any = False
    print(f"{len(off)} off-topic files of {len(on_disk)} in {args.seeds}")
    for budget in budgets:
        with tempfile.TemporaryDirectory(prefix="briefer-offtopic-") as tmp:
            brief = build(budget, args.seeds.resolve(), Path(tmp))
        items = bullets(brief)
        rows = [(key, item, source_files(brief, item)) for key, item in items]
        leaks = [(key, item, [f for f in files if f in off]) for key, item, files in rows]
        leaks = [leak for leak in leaks if leak[2]]
        used = {f for _, _, files in rows for f in files}
        leaked_any = leaked_any or bool(leaks)
        print(
            f"budget {budget}: {len(items)} bullets from {len(used)} files "
            f"({len(used & off)} off-topic); {len(leaks)} bullet(s) from off-topic files"
        )
        for key, item, files in rows if args.show else leaks:
            mark = "OFF " if any(f in off for f in files) else "    "
            print(f"  {mark}[{key}] {item.text}")  # type: ignore[attr-defined]
            print(f"         <- {', '.join(files)}")
    return 1 if leaked_any else 0


if __name__ == "__main__":
    sys.exit(main())
