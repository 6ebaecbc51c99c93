"""Editions as a reader gets them, one a morning: what changed, and nothing twice.

A daemon-like sequence: the feed snapshots of consecutive days of
``../shared/corpora/news-feeds-2026-01`` are served in turn, at the same
addresses, from a loopback HTTP server, with the bundled seeds beside them;
each morning (07:00 UTC after the day) one edition is fetched, built and
written by the same code the daemon runs (:func:`briefer.edition.make_edition`)
into one out folder and state folder: one stream. For each edition: the
articles read, bullets, body words, bullets printed twice (must be 0),
near-duplicate bullet pairs (two stories telling the same point, by
:func:`briefer.summarize.words.same_point`), the marks, and the change line as the
memo prints it. Then the seeds alone, twice in a row: the second edition
must be no longer than the first plus one line, with no NEW mark.

Run from the project root::

    .venv/bin/python bench/editions.py                      # 2026-01-06, -07, -08
    .venv/bin/python bench/editions.py --days 2026-01-03,2026-01-04 --pages /tmp/pages

``--pages DIR`` also renders every page of each edition's .docx to PNG
(LibreOffice and pdftoppm; see docs/pages.py). Results go to
``bench/results/editions.md`` (or ``--out``).
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "docs"))
sys.path.insert(0, str(ROOT / "bench" / "heldout"))

# Publisher names of the feed files, as bench/days names them.
from make_articles import PUBLISHERS  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "news-feeds-2026-01"
DAYS = ("2026-01-06", "2026-01-07", "2026-01-08")
RESULTS = ROOT / "bench" / "results" / "editions.md"


@dataclass(frozen=True)
class Row:
    """One edition's figures."""

    name: str
    as_of: str
    read: int
    bullets: int
    words: int
    lines: int
    repeated: int
    near: int
    new: int
    updated: int
    dropped: int
    pages: int | None
    change: str


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """``folder`` over HTTP on 127.0.0.1 (Last-Modified and 304 as a web server does)."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def settings_for(work: Path, feeds: Sequence[tuple[str, str]], as_of: datetime, seeds: Path):
    """The settings of the stream: one out and state folder, the same seeds and feeds."""
    from briefer.settings import load_settings

    return load_settings(
        ROOT / "config" / "briefer.toml",
        seeds_dir=seeds,
        out_dir=work / "out",
        state_dir=work / "state",
        as_of=as_of,
        timezone="UTC",
        feeds=[{"url": url, "name": name} for url, name in feeds],
        fetch={"connect_timeout": 5, "read_timeout": 10, "deadline": 30},
    )


def row(name: str, outcome, pages: int | None) -> Row:
    from briefer.changes import NEW, UPDATED
    from briefer.render.common import changes_line
    from briefer.rules import load_rules
    from briefer.summarize.words import content_words, same_point

    brief = outcome.brief
    rule = load_rules(ROOT / "config" / "rules.toml").stories
    items = brief.items
    texts = [" ".join(i.text.split()).casefold() for i in items]
    repeated = len(texts) - len(set(texts))
    words = [(i.story, content_words(i.text)) for i in items if not i.detail]
    near = sum(
        1 for (s1, w1), (s2, w2) in combinations(words, 2) if s1 != s2 and same_point(w1, w2, rule)
    )
    stories = {(i.story, i.status) for i in items if i.status}
    change = changes_line(brief)
    return Row(
        name=name,
        as_of=f"{brief.edition_time:%Y-%m-%d %H:%M}",
        read=brief.articles,
        bullets=sum(1 for s in brief.sections for i in s.items if not i.detail),
        words=brief.body_words,
        lines=len(outcome.markdown.read_text(encoding="utf-8").splitlines()),
        repeated=repeated,
        near=near,
        new=sum(1 for _, status in stories if status == NEW),
        updated=sum(1 for _, status in stories if status == UPDATED),
        dropped=len(brief.changes.dropped) if brief.changes else 0,
        pages=pages,
        change=(change or "(first edition of the stream: no change line)").replace("\xa0", " "),
    )


def count_pages(docx: Path, folder: Path | None) -> int | None:
    """Pages of ``docx`` as LibreOffice lays them out (PNGs kept in ``folder``), or None."""
    if folder is None:
        return None
    import pages

    try:
        return len(pages.pages(docx, folder, dpi=60))
    except pages.MissingTool as exc:
        print(f"pages not rendered: {exc}", file=sys.stderr)
        return None


def feed_days(days: Sequence[str], work: Path, page_dir: Path | None) -> list[Row]:
    """One edition each morning after each day, from the feeds served at one address."""
    from briefer.edition import make_edition

    served = work / "served"
    served.mkdir()
    names = sorted({p.stem for day in days for p in (CORPUS / day).glob("*.xml")})
    seeds = ROOT / "seeds"
    rows = []
    with serve(served) as base:
        feeds = [(f"{base}/{n}.xml", PUBLISHERS.get(n, n)) for n in names]
        for day in days:
            for old in served.glob("*.xml"):
                old.unlink()
            as_of = datetime.fromisoformat(day).replace(tzinfo=UTC) + timedelta(days=1, hours=7)
            for path in sorted((CORPUS / day).glob("*.xml")):
                copy = Path(shutil.copy(path, served / path.name))
                # Modified at the day's end: each day's files are newer than the last
                # (Last-Modified, so not a 304), however fast the editions run.
                stamp = (as_of - timedelta(hours=7)).timestamp()
                os.utime(copy, (stamp, stamp))
            outcome = make_edition(settings_for(work, feeds, as_of, seeds))
            pages = count_pages(outcome.docx, page_dir)
            rows.append(row(f"feeds {day} + seeds", outcome, pages))
            print(f"{rows[-1].name}: {rows[-1].change}", file=sys.stderr)
    return rows


def seeds_twice(work: Path, page_dir: Path | None) -> list[Row]:
    """The bundled seeds, two mornings in a row: the second says nothing new, in one line."""
    from briefer.edition import make_edition

    rows = []
    for n, day in enumerate(("2026-01-02", "2026-01-03")):
        as_of = datetime.fromisoformat(day).replace(tzinfo=UTC) + timedelta(hours=7)
        outcome = make_edition(settings_for(work, [], as_of, ROOT / "seeds"), fetch=False)
        rows.append(row(f"seeds, run {n + 1}", outcome, count_pages(outcome.docx, page_dir)))
    return rows


def table(rows: Sequence[Row]) -> list[str]:
    lines = [
        "| edition | edition time | articles read | section bullets | body words | memo lines | "
        "printed twice | near-duplicate pairs | NEW | UPDATED | dropped | pages |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in rows:
        pages = "" if r.pages is None else str(r.pages)
        lines.append(
            f"| {r.name} | {r.as_of} | {r.read} | {r.bullets} | {r.words} | {r.lines} | "
            f"{r.repeated} | {r.near} | {r.new} | {r.updated} | {r.dropped} | {pages} |"
        )
    lines.append("")
    lines.append("Change lines, as printed above each memo's bottom line:")
    lines.append("")
    for r in rows:
        lines.append(f"- **{r.name}**: {r.change}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", default=",".join(DAYS), help="consecutive feed days")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--pages", type=Path, help="render every page to PNG in this folder")
    parser.add_argument("--keep", type=Path, help="keep the editions and state in this folder")
    args = parser.parse_args(argv)
    days = [d.strip() for d in args.days.split(",") if d.strip()]
    missing = [d for d in days if not (CORPUS / d).is_dir()]
    if missing:
        print(f"Error: {CORPUS}: no feed day {', '.join(missing)}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.keep is not None:
            shutil.rmtree(args.keep, ignore_errors=True)
            work = args.keep
        (work / "feeds").mkdir(parents=True)
        (work / "seeds").mkdir()
        feed_pages = args.pages / "feeds" if args.pages else None
        seed_pages = args.pages / "seeds" if args.pages else None
        feed_rows = feed_days(days, work / "feeds", feed_pages)
        seed_rows = seeds_twice(work / "seeds", seed_pages)
    first, second = seed_rows
    verdict = (
        "holds" if second.lines <= first.lines + 1 and second.new == 0 else "DOES NOT HOLD"
    )
    text = [
        "# Editions: what changed, nothing twice",
        "",
        f"`make bench-editions` (bench/editions.py): feed days {', '.join(days)} served in turn "
        "from one loopback address, with the bundled seeds beside them; an edition at 07:00 UTC "
        "the morning after each day, all in one stream (one out folder, one state folder). "
        "Budget 700 words (config/briefer.toml), default rules.",
        "",
        *table(feed_rows),
        "",
        "## The same seeds twice in a row",
        "",
        *table(seed_rows),
        "",
        f"Second run: {second.lines} memo lines against {first.lines} (at most one more "
        f"allowed), {second.new} NEW marks: {verdict}.",
        "",
    ]
    args.out.write_text("\n".join(text), encoding="utf-8")
    print("\n".join(text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
