"""Feed benchmark: many feeds on loopback, some of them faulty, polled twice.

A local server (tests/feedserver.py, in its own process so that only
briefer is measured here) serves N feeds: copies of the January 2026 news
corpus (``../shared/corpora/news-feeds-2026-01``, one file per publisher
per day, cycled), half of them gzip-compressed, and a share of faulty
endpoints (never answers, 1 byte a second, 50 MB, gzip bomb, 404, 500,
redirect loop, HTML page, empty body, truncated XML, mis-declared
encoding, XXE, billion laughs, quadratic blowup, ...). briefer fetches
them all into a fresh store, then fetches again: every healthy feed must
answer 304. Printed: wall time, peak memory (RSS) of this process, items
stored, errors recorded, per-status counts, and the time to turn the
stored items into articles for one edition.

Run from the project root::

    .venv/bin/python bench/feeds.py
    .venv/bin/python bench/feeds.py --feeds 1000 --faulty 0.2 --concurrency 64
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefer.settings import load_settings  # noqa: E402
from briefer.sources.feeditems import feed_articles  # noqa: E402
from briefer.sources.feeds import FetchReport, fetch_all, store_path  # noqa: E402
from tests.feedserver import FeedServer  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "news-feeds-2026-01"
FAULT_KINDS = (
    "hang", "trickle", "trickle-headers", "huge", "huge-unannounced", "gzip-bomb",
    "bad-gzip", "404", "500", "loop-a", "hops-6", "to-file", "html", "empty",
    "truncated", "misdeclared", "short-body", "xxe", "billion-laughs", "quadratic",
)  # fmt: skip
EDITION = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


def plan(feeds: int, faulty: float) -> list[tuple[str, str]]:
    """(path, what) for every feed: a corpus file name or a fault kind."""
    files = sorted(str(p.relative_to(CORPUS)) for p in CORPUS.glob("*/*.xml"))
    bad = round(feeds * faulty)
    every = feeds / bad if bad else feeds + 1
    faulty_at = {int(n * every) for n in range(bad)}
    out = []
    fault_no = 0
    for n in range(feeds):
        if n in faulty_at:
            kind = FAULT_KINDS[fault_no % len(FAULT_KINDS)]
            fault_no += 1
            path = f"/f{n}/fault/{kind}"
            out.append((path, "fault:" + kind))
        else:
            out.append((f"/feed/{n}.xml", files[n % len(files)]))
    return out


def serve(feeds: list[tuple[str, str]], conn: Connection) -> None:
    """The server process: register every feed, report the port, serve until told."""
    with FeedServer() as server:
        server.add_faults()  # absolute redirect targets (/fault/loop-b)
        for n, (path, what) in enumerate(feeds):
            if what.startswith("fault:"):
                # Every fault under this feed's own prefix: redirect chains
                # (hops-6 -> hops-5 -> ...) stay inside it.
                server.add_faults(path.rsplit("/", 1)[0] + "/")
            else:
                body = (CORPUS / what).read_bytes()
                server.add(path, body, gzip=n % 2 == 0)
        conn.send(server.port)
        conn.recv()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def current_rss_mb() -> float:
    try:
        import psutil
    except ImportError:
        return float("nan")
    return psutil.Process().memory_info().rss / 2**20


def describe(report: FetchReport) -> str:
    counts = Counter(r.status for r in report.results)
    return ", ".join(f"{counts[s]} {s}" for s in ("ok", "not_modified", "partial", "error"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=500, help="feeds to serve (default 500)")
    parser.add_argument("--faulty", type=float, default=0.1, help="share of faulty feeds")
    parser.add_argument("--concurrency", type=int, default=32, help="feeds fetched at once")
    parser.add_argument("--connect-timeout", type=float, default=2.0)
    parser.add_argument("--read-timeout", type=float, default=3.0)
    parser.add_argument("--deadline", type=float, default=6.0)
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"needs {CORPUS} (the shared corpora)", file=sys.stderr)
        return 2

    feeds = plan(args.feeds, args.faulty)
    ours, theirs = multiprocessing.Pipe()
    server = multiprocessing.get_context("fork").Process(target=serve, args=(feeds, theirs))
    server.start()
    port = ours.recv()
    base = f"http://127.0.0.1:{port}"
    fetch: dict[str, Any] = {
        "concurrency": args.concurrency,
        "connect_timeout": args.connect_timeout,
        "read_timeout": args.read_timeout,
        "deadline": args.deadline,
    }
    try:
        with tempfile.TemporaryDirectory() as tmp:
            empty = Path(tmp) / "empty.toml"
            empty.write_text("")
            settings = load_settings(
                empty,
                state_dir=Path(tmp) / "state",
                out_dir=Path(tmp) / "out",
                timezone="UTC",
                feeds=[{"url": base + path} for path, _ in feeds],
                fetch=fetch,
            )
            faults = sum(what.startswith("fault:") for _, what in feeds)
            print(f"{len(feeds)} feeds on loopback ({faults} faulty), concurrency "
                  f"{args.concurrency}, connect/read timeout {args.connect_timeout:g}/"
                  f"{args.read_timeout:g} s, deadline {args.deadline:g} s, "
                  f"max {settings.fetch.max_bytes:,} bytes")  # fmt: skip
            before = current_rss_mb()
            started = time.perf_counter()
            first = fetch_all(settings, progress=False)
            first_wall = time.perf_counter() - started
            peak_first = peak_rss_mb()
            db = sqlite3.connect(store_path(settings))
            items = db.execute("SELECT count(*) FROM items").fetchone()[0]
            errors = db.execute("SELECT count(*) FROM feeds WHERE last_status = 'error'")
            recorded = errors.fetchone()[0]
            db.close()

            started = time.perf_counter()
            second = fetch_all(settings, progress=False)
            second_wall = time.perf_counter() - started

            started = time.perf_counter()
            articles = feed_articles(settings, EDITION)
            articles_wall = time.perf_counter() - started

            healthy = [r for r, (_, what) in zip(second.results, feeds, strict=True)
                       if not what.startswith("fault:")]  # fmt: skip
            unchanged = sum(r.status == "not_modified" for r in healthy)
            print(f"first poll:  {first_wall:6.2f} s wall; {describe(first)}")
            print(f"             {items:,} items stored, {recorded} feed errors recorded")
            print(f"             peak RSS {peak_first:.0f} MB ({before:.0f} MB before the poll)")
            print(f"second poll: {second_wall:6.2f} s wall; {describe(second)}; "
                  f"{unchanged} of {len(healthy)} healthy feeds answered 304")  # fmt: skip
            print(f"articles:    {len(articles):,} stories for the edition of "
                  f"{EDITION:%Y-%m-%d %H:%M} in {articles_wall:.2f} s "
                  f"({sum(bool(a.also_published_by) for a in articles):,} carried by "
                  f"several feeds)")  # fmt: skip
            print(f"peak RSS over the whole run: {peak_rss_mb():.0f} MB")
            sick = [(r.url.removeprefix(base), r.error)
                    for r, (_, what) in zip(first.results, feeds, strict=True)
                    if r.status == "error" and not what.startswith("fault:")]  # fmt: skip
            if sick:
                print(f"healthy feeds that failed in the first poll: {len(sick)}, e.g. {sick[0]}")
            slow = sorted(first.results, key=lambda r: -r.seconds)[:3]
            print("slowest feeds: " + "; ".join(
                f"{r.url.removeprefix(base)} {r.seconds:.1f} s ({r.error or r.status})"
                for r in slow
            ))  # fmt: skip
            return 0 if unchanged == len(healthy) else 1
    finally:
        ours.send("stop")
        server.join(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
