"""Speed benchmark: briefer's whole build against the floor and LexRank, at scale.

Inputs are generated into a temporary folder (or ``--data DIR``, kept and
reused):

* ``news``: the BBC News dataset (``../shared/corpora/bbc-news``, 2,225
  articles in five topics, one file not valid UTF-8) replicated to each size.
  The first copy of an article is the original file; every later copy is
  lightly changed (sentences of each paragraph shuffled, every number shifted,
  if need be two words swapped) so that it is not the same text and briefer
  does not count it once.
* ``on-topic``: the seed articles plus the items of the January 2026 feed
  snapshots (``../shared/corpora/news-feeds-2026-01``: title, date and
  description of each item) replicated the same way, so most articles hit
  the rules.

For every corpus and size, each measurement runs in its own process, pinned
to one CPU core, and the parent records wall time (process start to exit, so
interpreter start and imports count), CPU time (user + system) and peak
resident memory (``ru_maxrss`` of that child):

* ``briefer``: the whole build: read, segment, rules, select, and both
  formats rendered and written (``build_brief`` + ``publish``), with the
  configured segmenter (``syntok``);
* ``floor``: the same files read and decoded, and every line split into
  sentences with the same segmenter and into words, nothing else;
* ``lexrank``: sumy's LexRank over the same articles (syntok sentences, the
  tokenizer of ``bench/quality.py``), at 300 articles by default
  (``--lexrank-sizes``); a run over 10 minutes is stopped and reported so;
* ``briefer-fast`` / ``floor-fast``: the same pair with ``segmenter =
  "fast"``, to show briefer's own overhead over a cheap segmenter.

It also times ``briefer make`` on the five seeds in a fresh process and
``briefer --help`` (median of 5 each), prints one table and writes it, with
the ratios and growth factors, to ``bench/results/speed.md``.

Run from the project root::

    .venv/bin/python bench/speed.py                       # everything (~25 min)
    .venv/bin/python bench/speed.py --quick               # smoke run, 300 articles
    .venv/bin/python bench/speed.py --sizes 300,1000 --corpora news
    .venv/bin/python bench/speed.py --lexrank-sizes 300,1000
    .venv/bin/python bench/speed.py --data /tmp/briefer-speed   # keep inputs
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
BBC = CORPORA / "bbc-news"
FEEDS = CORPORA / "news-feeds-2026-01"
SEEDS = ROOT / "seeds"
CONFIG = ROOT / "config" / "briefer.toml"
RESULTS = ROOT / "bench" / "results" / "speed.md"
BIN = Path(sys.executable).parent
AS_OF = "2026-01-11T07:00:00+00:00"

DEFAULT_SIZES = (300, 1_000, 10_000, 50_000)
QUICK_SIZES = (300,)
CORPUS_NAMES = ("news", "on-topic", "seed-copies")
LEXRANK_TIMEOUT = 600.0
CHILD_TIMEOUT = 3_600.0

# The bar of the speed issue.
MAX_GROWTH_50K = 5.5
MAX_WALL_50K = 60.0
MAX_RSS_50K_MB = 1_500.0
MAX_FLOOR_RATIO_10K = 3.0
MIN_LEXRANK_RATIO_300 = 100.0
MAX_MAKE_SEEDS = 1.5
MAX_HELP = 0.3


# ------------------------------------------------------------------ inputs


@dataclass(frozen=True)
class BaseArticle:
    """One article of a corpus before replication."""

    name: str
    text: str
    encoding: str = "utf-8"  # cp1252 keeps the BBC file that is not UTF-8 that way
    published: date | None = None
    publisher: str | None = None


def bbc_pool() -> list[BaseArticle]:
    """The BBC articles, topics interleaved so that any prefix mixes them."""
    topics = sorted(p for p in BBC.iterdir() if p.is_dir())
    lists = [sorted(t.glob("*.txt")) for t in topics]
    pool = []
    for i in range(max(len(files) for files in lists)):
        for topic, files in zip(topics, lists, strict=True):
            if i < len(files):
                raw = files[i].read_bytes()
                try:
                    text, encoding = raw.decode("utf-8"), "utf-8"
                except UnicodeDecodeError:
                    text, encoding = raw.decode("cp1252", errors="replace"), "cp1252"
                pool.append(BaseArticle(f"{topic.name}-{files[i].stem}", text, encoding))
    return pool


_TAG = re.compile(r"<[^>]+>")


def feed_items() -> list[BaseArticle]:
    """Items of the January feed snapshots as articles: title, date, description."""
    seen: set[tuple[str, str]] = set()
    items = []
    for path in sorted(FEEDS.glob("*/*.xml")):
        channel = ET.parse(path).getroot().find("channel")
        if channel is None:
            continue
        publisher = (channel.findtext("title") or path.stem).strip()
        for item in channel.iter("item"):
            title = _plain(item.findtext("title") or "")
            body = _plain(item.findtext("description") or "")
            if not title or len(body.split()) < 5 or (title, body) in seen:
                continue
            seen.add((title, body))
            if not re.search(r"""[.!?…]["'”’)\]]*$""", body):
                body += "."  # a description is one sentence, often without its stop
            published = None
            if item.findtext("pubDate"):
                try:
                    published = parsedate_to_datetime(item.findtext("pubDate") or "").date()
                except (TypeError, ValueError):
                    published = None
            name = f"{path.parent.name}-{path.stem}-{len(items):04d}"
            items.append(BaseArticle(name, f"{title}\n\n{body}\n", "utf-8", published, publisher))
    return items


def _plain(text: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", html.unescape(text))).split())


def seed_pool() -> list[BaseArticle]:
    """The seed articles with the dates and publishers of their sidecar."""
    sidecar = tomllib.loads((SEEDS / "sources.toml").read_text(encoding="utf-8"))
    pool = []
    for path in sorted(SEEDS.glob("*.txt")):
        meta = sidecar.get(path.name, {})
        pool.append(
            BaseArticle(
                path.stem,
                path.read_text(encoding="utf-8"),
                published=meta.get("published"),
                publisher=meta.get("publisher"),
            )
        )
    return pool


def ontopic_pool() -> list[BaseArticle]:
    """Seeds first, then the feed items."""
    return seed_pool() + feed_items()


def seed_copies(size: int) -> Iterator[tuple[str, BaseArticle]]:
    """Nine news articles, then a seed with its paragraphs in another order, and again.

    At 10,000 articles: 9,000 BBC articles (replicated as for ``news``) and
    1,000 copies of the seeds whose paragraphs are shuffled, the same
    sentences told again and again, which must not make memory grow.
    """
    seeds = seed_pool()
    news = replicate(bbc_pool(), size - size // 10)
    for n in range(size):
        if n % 10 == 9:
            seed = seeds[(n // 10) % len(seeds)]
            lines = seed.text.split("\n")
            body = [line for line in lines[1:] if line.strip()]
            random.Random(n).shuffle(body)
            text = "\n".join([lines[0], *body]) + "\n"
            yield f"{n:06d}-{seed.name}.txt", BaseArticle(
                seed.name, text, "utf-8", seed.published, seed.publisher
            )
        else:
            _, article = next(news)
            yield f"{n:06d}-{article.name}.txt", article


POOLS: dict[str, Callable[[], list[BaseArticle]]] = {"news": bbc_pool, "on-topic": ontopic_pool}

_ROUGH_SENTENCE = re.compile(r"""(?:(?<=[.!?])|(?<=[.!?]["'”’]))\s+(?=["'“‘]?[A-Z])""")
_NUMBER = re.compile(r"\d+")
_DATE_LINE = re.compile(r"^\s*date[:\s]+\d{4}-\d{2}-\d{2}\b", re.IGNORECASE)


def vary(text: str, copy: int, rng: random.Random) -> str:
    """A light change of an article: shuffled sentences, shifted numbers.

    The first line (the headline) and a leading ``date`` line stay as they
    are; copy 0 is the original.
    """
    if copy == 0:
        return text
    lines = text.split("\n")
    head = 1
    if lines and _DATE_LINE.match(lines[0]):
        head = 2
    body = []
    for line in lines[head:]:
        parts = _ROUGH_SENTENCE.split(line)
        if len(parts) > 1:
            rng.shuffle(parts)
        line = " ".join(parts)
        line = _NUMBER.sub(lambda m: str(int(m.group(0)) + copy), line)
        body.append(line)
    return "\n".join(lines[:head] + body)


def _swap_words(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    spots = [i for i, line in enumerate(lines) if i > 0 and len(line.split()) > 3]
    if not spots:
        return text
    i = rng.choice(spots)
    words = lines[i].split(" ")
    j = rng.randrange(len(words) - 1)
    words[j], words[j + 1] = words[j + 1], words[j]
    lines[i] = " ".join(words)
    return "\n".join(lines)


def _body_hash(text: str) -> str:
    body = text.split("\n", 1)[1] if "\n" in text else text
    return hashlib.sha1(" ".join(body.split()).lower().encode("utf-8")).hexdigest()


def replicate(pool: Sequence[BaseArticle], size: int) -> Iterator[tuple[str, BaseArticle]]:
    """``size`` articles: the pool in order, then changed copies of it."""
    seen: set[str] = set()
    for n in range(size):
        base = pool[n % len(pool)]
        copy = n // len(pool)
        rng = random.Random(f"{base.name}/{copy}")
        text = vary(base.text, copy, rng)
        for _ in range(20):  # the rare article with no number and one sentence
            digest = _body_hash(text)
            if digest not in seen:
                break
            text = _swap_words(text, rng)
        seen.add(_body_hash(text))
        yield (
            f"{n:06d}-{base.name}.txt",
            BaseArticle(base.name, text, base.encoding, base.published, base.publisher),
        )


def write_corpus(name: str, size: int, folder: Path) -> Path:
    """Write corpus ``name`` at ``size`` articles into ``folder/name-size`` (once)."""
    target = folder / f"{name}-{size}"
    stamp = target / ".complete"
    if stamp.exists():
        return target
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    sidecar = []
    articles = seed_copies(size) if name == "seed-copies" else replicate(POOLS[name](), size)
    for filename, article in articles:
        data = article.text.encode(article.encoding, errors="replace")
        (target / filename).write_bytes(data)
        fields = []
        if article.published is not None:
            fields.append(f"published = {article.published.isoformat()}")
        if article.publisher:
            fields.append(f"publisher = {json.dumps(article.publisher)}")
        if fields:
            sidecar.append(f"[{json.dumps(filename)}]\n" + "\n".join(fields) + "\n")
    if sidecar:
        (target / "sources.toml").write_text("\n".join(sidecar), encoding="utf-8")
    stamp.touch()
    return target


# ------------------------------------------------------------------ children


def child_build(folder: Path, out: Path, segmenter: str) -> dict[str, Any]:
    """briefer's whole build: read, segment, rules, select, both formats written."""
    from briefer.brief import build_brief
    from briefer.outfolder import publish
    from briefer.settings import load_settings

    settings = load_settings(
        CONFIG,
        seeds_dir=folder,
        out_dir=out / "out",
        state_dir=out / "state",
        as_of=AS_OF,
        timezone="UTC",
        segmenter=segmenter,
        feeds=(),
    )
    brief = build_brief(settings)
    files = publish(brief, settings.out_dir, settings.templates_dir)
    return {
        "articles": brief.articles,
        "sentences": brief.sentences,
        "bullets": len(brief.items),
        "docx_bytes": files.docx.stat().st_size,
    }


def _texts(folder: Path) -> Iterator[str]:
    """The text of every .txt file in ``folder``, by name; not UTF-8 read as cp1252."""
    for path in sorted(folder.iterdir()):
        if path.suffix != ".txt":
            continue
        raw = path.read_bytes()
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            yield raw.decode("cp1252", errors="replace")


def child_floor(folder: Path, segmenter: str) -> dict[str, Any]:
    """The same files read, and split into sentences and words; nothing else."""
    from briefer.summarize.segment import split_sentences

    articles = sentences = words = 0
    for text in _texts(folder):
        articles += 1
        for line in text.split("\n"):
            line = line.strip()
            if not line:
                continue
            for sentence in split_sentences(line, segmenter):
                sentences += 1
                words += len(sentence.split())
    return {"articles": articles, "sentences": sentences, "words": words}


def child_lexrank(folder: Path) -> dict[str, Any]:
    """sumy's LexRank over every article as one document, 10 sentences out."""
    sys.path.insert(0, str(ROOT / "bench"))
    from quality import SyntokTokenizer
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    blocks = []
    for text in _texts(folder):
        blocks.extend(line.strip() for line in text.split("\n") if line.strip())
    parser = PlaintextParser.from_string("\n\n".join(blocks), SyntokTokenizer())
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    summary = summarizer(parser.document, 10)
    return {"sentences": len(parser.document.sentences), "summary": len(summary)}


def run_child(argv: Sequence[str]) -> int:
    args = argparse.Namespace(**json.loads(argv[0]))
    folder = Path(args.folder)
    if args.what == "briefer":
        result = child_build(folder, Path(args.out), args.segmenter)
    elif args.what == "floor":
        result = child_floor(folder, args.segmenter)
    elif args.what == "lexrank":
        result = child_lexrank(folder)
    else:
        raise SystemExit(f"unknown system {args.what!r}")
    print(json.dumps(result))
    return 0


# ------------------------------------------------------------------ measuring


@dataclass
class Run:
    """One measured process."""

    corpus: str
    size: int
    system: str
    wall: float | None = None
    cpu: float | None = None
    rss_mb: float | None = None
    result: dict[str, Any] = field(default_factory=dict)
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.wall is not None


def _pin() -> None:
    """Run the child on one core (the last one) so a run uses one core only."""
    try:
        cores = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cores[-1]})
    except (AttributeError, OSError):
        pass


def measure(cmd: Sequence[str], timeout: float) -> tuple[float, float, float, str, str, int]:
    """Wall, CPU seconds and peak RSS (MB) of one child process, plus its output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, preexec_fn=_pin, cwd=ROOT)
        deadline = started + timeout
        status = None
        usage = None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                _, status, usage = os.wait4(proc.pid, 0)
                status = -9
                break
            time.sleep(0.01)
        wall = time.perf_counter() - started
        proc.returncode = 0  # reaped above; keep Popen from waiting again
        out.seek(0)
        err.seek(0)
        code = status if status == -9 else os.waitstatus_to_exitcode(status)
        return (
            wall,
            usage.ru_utime + usage.ru_stime,
            usage.ru_maxrss / 1024,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            code,
        )


def measure_system(
    corpus: str, size: int, system: str, folder: Path, work: Path, timeout: float
) -> Run:
    """Run one system on one input in a fresh process."""
    segmenter = "fast" if system.endswith("-fast") else "syntok"
    what = system.removesuffix("-fast")
    out = work / f"out-{corpus}-{size}-{system}"
    spec = {"what": what, "folder": str(folder), "out": str(out), "segmenter": segmenter}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec)]
    wall, cpu, rss, stdout, stderr, code = measure(cmd, timeout)
    shutil.rmtree(out, ignore_errors=True)
    run = Run(corpus, size, system)
    if code == -9:
        run.note = f"stopped after {timeout / 60:.0f} min"
        return run
    if code != 0:
        tail = stderr.strip().splitlines()[-1:] or ["no output"]
        run.note = f"failed (exit {code}): {tail[0][:120]}"
        return run
    run.wall, run.cpu, run.rss_mb = wall, cpu, rss
    run.result = json.loads(stdout.strip().splitlines()[-1])
    return run


def median_run(runs: Sequence[Run]) -> Run:
    """Of several runs of one system on one input, the one of median wall time (the
    lower middle one of an even count), noting the fastest and slowest; a failed or
    stopped run is reported as such."""
    failed = next((r for r in runs if not r.ok), None)
    if failed is not None or len(runs) == 1:
        return failed or runs[0]
    ordered = sorted(runs, key=lambda r: r.wall or 0.0)
    middle = ordered[(len(ordered) - 1) // 2]
    spread = f"median of {len(runs)} ({_fmt(ordered[0].wall)} to {_fmt(ordered[-1].wall)} s)"
    return replace(middle, note=spread)


def median_wall(cmd: Sequence[str], times: int = 5, env: dict[str, str] | None = None) -> float:
    """Median wall time of ``cmd`` run ``times`` times (each a fresh process)."""
    walls = []
    for _ in range(times):
        started = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)
        walls.append(time.perf_counter() - started)
    return statistics.median(walls)


def cli_timings(work: Path) -> dict[str, float]:
    """``briefer make`` on the seeds in a fresh process, and ``briefer --help``."""
    briefer = str(BIN / "briefer")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFER_")}
    env["BRIEFER_STATE_DIR"] = str(work / "cli-state")
    make = [briefer, "make", "--seeds", str(SEEDS), "--out", str(work / "cli-out")]
    make += ["--config", str(CONFIG), "--as-of", AS_OF, "--no-fetch"]
    return {
        "make_seeds": median_wall(make, env=env),
        "help": median_wall([briefer, "--help"], env=env),
    }


# ------------------------------------------------------------------ report


def _fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _get(runs: Sequence[Run], corpus: str, size: int, system: str) -> Run | None:
    for run in runs:
        if (run.corpus, run.size, run.system) == (corpus, size, system) and run.ok:
            return run
    return None


def _stopped(runs: Sequence[Run], corpus: str, size: int, system: str) -> bool:
    return any(
        (r.corpus, r.size, r.system) == (corpus, size, system) and r.note.startswith("stopped")
        for r in runs
    )


def _ratio(a: Run | None, b: Run | None) -> float | None:
    if a is None or b is None or not b.wall:
        return None
    return (a.wall or 0.0) / b.wall


def format_table(runs: Sequence[Run]) -> str:
    lines = [
        "Sentences: split by the floor and LexRank; read by briefer (the sentences of "
        "items on a section's topic; the others are never split).",
        "",
        "| corpus | articles | system | wall s | CPU s | peak RSS MB | sentences | note |",
        "|---|---:|---|---:|---:|---:|---:|---|",
    ]
    for r in runs:
        sentences = r.result.get("sentences")
        lines.append(
            f"| {r.corpus} | {r.size:,} | {r.system} | {_fmt(r.wall)} | {_fmt(r.cpu)} "
            f"| {_fmt(r.rss_mb, 0)} | {'-' if sentences is None else f'{sentences:,}'} "
            f"| {'; '.join(n for n in (_note(r), r.note) if n)} |"
        )
    return "\n".join(lines)


def _note(run: Run) -> str:
    res = run.result
    if "bullets" in res:
        return f"{res['articles']:,} articles used, {res['bullets']} bullets"
    return ""


def format_ratios(runs: Sequence[Run], corpora: Sequence[str], sizes: Sequence[int]) -> str:
    lines = [
        "| corpus | articles | briefer / floor | briefer-fast / floor-fast | LexRank / briefer |",
        "|---|---:|---:|---:|---:|",
    ]
    for corpus in corpora:
        for size in sizes:
            b = _get(runs, corpus, size, "briefer")
            lines.append(
                f"| {corpus} | {size:,} | {_fmt(_ratio(b, _get(runs, corpus, size, 'floor')))} "
                f"| {_fmt(_ratio(_get(runs, corpus, size, 'briefer-fast'), _get(runs, corpus, size, 'floor-fast')))} "  # noqa: E501
                f"| {_fmt(_ratio(_get(runs, corpus, size, 'lexrank'), b), 0)} |"
            )
    return "\n".join(lines)


def format_growth(runs: Sequence[Run], corpora: Sequence[str]) -> str:
    lines = [
        "| corpus | system | time(10k) / time(1k) | time(50k) / time(10k) |",
        "|---|---|---:|---:|",
    ]
    for corpus in corpora:
        for system in ("briefer", "floor", "briefer-fast", "floor-fast"):
            one = _get(runs, corpus, 1_000, system)
            ten = _get(runs, corpus, 10_000, system)
            fifty = _get(runs, corpus, 50_000, system)
            if ten is None:
                continue
            lines.append(
                f"| {corpus} | {system} | {_fmt(_ratio(ten, one))} | {_fmt(_ratio(fifty, ten))} |"
            )
    return "\n".join(lines)


def bar_checks(
    runs: Sequence[Run], corpora: Sequence[str], cli: dict[str, float] | None
) -> list[tuple[str, bool | None, str]]:
    """Each line of the bar: (what, met or None if not measured, the numbers)."""
    checks: list[tuple[str, bool | None, str]] = []
    for corpus in corpora:
        b10 = _get(runs, corpus, 10_000, "briefer")
        b50 = _get(runs, corpus, 50_000, "briefer")
        growth = _ratio(b50, b10)
        checks.append(
            (
                f"{corpus}: time(50k) / time(10k) <= {MAX_GROWTH_50K}",
                None if growth is None else growth <= MAX_GROWTH_50K,
                _fmt(growth),
            )
        )
        checks.append(
            (
                f"{corpus}: 50,000 articles < {MAX_WALL_50K:.0f} s wall, peak RSS "
                f"< {MAX_RSS_50K_MB:,.0f} MB",
                None
                if b50 is None
                else (b50.wall or 0) < MAX_WALL_50K and (b50.rss_mb or 0) < MAX_RSS_50K_MB,
                "-" if b50 is None else f"{_fmt(b50.wall)} s, {_fmt(b50.rss_mb, 0)} MB",
            )
        )
        floor = _ratio(b10, _get(runs, corpus, 10_000, "floor"))
        checks.append(
            (
                f"{corpus}: briefer / floor at 10,000 <= {MAX_FLOOR_RATIO_10K}",
                None if floor is None else floor <= MAX_FLOOR_RATIO_10K,
                _fmt(floor),
            )
        )
        b300 = _get(runs, corpus, 300, "briefer")
        lex = _ratio(_get(runs, corpus, 300, "lexrank"), b300)
        shown = _fmt(lex, 0)
        if lex is None and b300 is not None and _stopped(runs, corpus, 300, "lexrank"):
            # Stopped at the time limit: the limit over briefer's time is a lower bound.
            lex = LEXRANK_TIMEOUT / (b300.wall or 1.0)
            shown = f"> {lex:,.0f} (LexRank stopped at {LEXRANK_TIMEOUT / 60:.0f} min)"
        checks.append(
            (
                f"{corpus}: LexRank / briefer at 300 >= {MIN_LEXRANK_RATIO_300:.0f}",
                None if lex is None else lex >= MIN_LEXRANK_RATIO_300,
                shown,
            )
        )
    if cli is not None:
        checks.append(
            (
                f"`briefer make` on the seeds, fresh process < {MAX_MAKE_SEEDS} s",
                cli["make_seeds"] < MAX_MAKE_SEEDS,
                f"{cli['make_seeds']:.2f} s",
            )
        )
        checks.append(
            (f"`briefer --help` < {MAX_HELP} s", cli["help"] < MAX_HELP, f"{cli['help']:.3f} s")
        )
    return checks


def format_checks(checks: Sequence[tuple[str, bool | None, str]]) -> str:
    marks = {True: "met", False: "NOT MET", None: "not measured"}
    lines = ["| bar | result | measured |", "|---|---|---:|"]
    lines += [f"| {what} | {marks[ok]} | {value} |" for what, ok, value in checks]
    return "\n".join(lines)


def machine() -> str:
    import platform

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores (each run pinned to one), "
        f"Python {platform.python_version()}"
    )


# ------------------------------------------------------------------ main


def _sizes(text: str) -> tuple[int, ...]:
    sizes = []
    for part in text.replace(" ", "").split(","):
        if part:
            value = int(part.replace("_", "").lower().replace("k", "000"))
            if value <= 0:
                raise argparse.ArgumentTypeError(f"size must be positive: {part}")
            sizes.append(value)
    return tuple(sizes)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=_sizes, default=None, help="article counts, e.g. 300,1000 (default: all)"
    )
    parser.add_argument(
        "--corpora",
        default=",".join(CORPUS_NAMES),
        help="news, on-topic, seed-copies (default: all three)",
    )
    parser.add_argument(
        "--systems",
        default="briefer,floor,lexrank,briefer-fast,floor-fast",
        help="which of briefer, floor, lexrank, briefer-fast, floor-fast to run",
    )
    parser.add_argument(
        "--lexrank-sizes",
        type=_sizes,
        default=(300,),
        help="sizes at which LexRank runs (default: 300; each run stops after 10 min)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: 300 articles, no CLI timings"
    )
    parser.add_argument(
        "--no-cli", action="store_true", help="skip the briefer make/--help timings"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run each system this many times per input and report the median-wall run "
        "(the machine's speed can wander by 20%% between runs; LexRank runs once)",
    )
    parser.add_argument(
        "--data", type=Path, default=None, help="keep generated inputs here and reuse them"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help=f"results file (default: {RESULTS.relative_to(ROOT)})",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.child:
        return run_child([args.child])
    if not BBC.is_dir() or not FEEDS.is_dir():
        print(f"needs the shared corpora in {CORPORA}", file=sys.stderr)
        return 2
    sizes = args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES)
    corpora = [c for c in args.corpora.split(",") if c]
    systems = [s for s in args.systems.split(",") if s]
    for name in corpora:
        if name not in CORPUS_NAMES:
            print(f"unknown corpus {name!r} ({', '.join(CORPUS_NAMES)})", file=sys.stderr)
            return 2
    started = time.perf_counter()
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="briefer-speed-") as tmp:
        work = Path(tmp)
        data = args.data or work / "data"
        for corpus in corpora:
            for size in sizes:
                t0 = time.perf_counter()
                folder = write_corpus(corpus, size, data)
                print(f"{corpus} {size:,}: inputs in {time.perf_counter() - t0:.1f} s", flush=True)
                for system in systems:
                    if system == "lexrank" and size not in args.lexrank_sizes:
                        runs.append(Run(corpus, size, system, note="not run (see --lexrank-sizes)"))
                        continue
                    timeout = LEXRANK_TIMEOUT if system == "lexrank" else CHILD_TIMEOUT
                    repeat = 1 if system == "lexrank" else args.repeat
                    run = median_run(
                        [measure_system(corpus, size, system, folder, work, timeout)
                         for _ in range(repeat)]
                    )  # fmt: skip
                    runs.append(run)
                    print(
                        f"  {system:<13} wall {_fmt(run.wall):>8} s  cpu {_fmt(run.cpu):>8} s  "
                        f"rss {_fmt(run.rss_mb, 0):>6} MB  "
                        f"{'; '.join(n for n in (_note(run), run.note) if n)}",
                        flush=True,
                    )
        cli = None
        if not args.quick and not args.no_cli:
            cli = cli_timings(work)
            print(f"briefer make (seeds, fresh process): {cli['make_seeds']:.2f} s (median of 5)")
            print(f"briefer --help: {cli['help']:.3f} s (median of 5)")

    shown = [r for r in runs if r.ok or r.note]
    shown_sizes = sorted({r.size for r in runs})
    report = [
        "# Speed and scale",
        "",
        f"`{' '.join(['python bench/speed.py', *(argv or sys.argv[1:])]).strip()}` on "
        f"{machine()}; {time.perf_counter() - started:,.0f} s in all. Wall time counts the "
        "whole process (interpreter start and imports included); peak RSS is the "
        "process's `ru_maxrss`. What each system does: the docstring of `bench/speed.py`.",
        "",
        format_table(shown),
        "",
        "## Ratios",
        "",
        format_ratios(runs, corpora, shown_sizes),
        "",
        "## Growth",
        "",
        format_growth(runs, corpora),
        "",
    ]
    if cli is not None:
        report += [
            "## Command line",
            "",
            f"- `briefer make` on the five seeds, fresh process: {cli['make_seeds']:.2f} s "
            "(median of 5)",
            f"- `briefer --help`: {cli['help']:.3f} s (median of 5)",
            "",
        ]
    report += ["## The bar", "", format_checks(bar_checks(runs, corpora, cli)), ""]
    text = "\n".join(report)
    print()
    print(text)
    out = args.out or (RESULTS if not args.quick else None)
    if out is not None:
        previous = out.read_text(encoding="utf-8") if out.exists() else ""
        notes = previous.split(PROFILE_MARK, 1)[1] if PROFILE_MARK in previous else ""
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + (PROFILE_MARK + notes if notes else ""), encoding="utf-8")
        print(f"\nwritten to {out}")
    return 0


# Text below this line in the results file (the profile notes) is kept when
# the table above it is rewritten.
PROFILE_MARK = "\n<!-- notes: kept when bench/speed.py rewrites the tables above -->\n"


if __name__ == "__main__":
    sys.exit(main())
