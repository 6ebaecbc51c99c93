"""The items of one feed day, as briefer reads them, for labelling and measuring.

A *day* is one folder of ``../shared/corpora/news-feeds-2026-01`` (one RSS
snapshot per publisher, every item published that day). Items are parsed
with briefer's own feed parser (:func:`briefer.sources.feedparse.parse_feed`),
so the text labelled here is the text briefer builds its memo from:
headline, then the description reduced to plain paragraphs.

Run from the project root::

    .venv/bin/python bench/days/items.py show 2026-01-07            # every item, numbered
    .venv/bin/python bench/days/items.py skeleton 2026-01-07 > bench/days/2026-01-07/labels.toml
    .venv/bin/python bench/days/items.py check 2026-01-07           # labels and facts are sound

``check`` reads ``bench/days/DAY/labels.toml`` and ``facts.toml``: every
item labelled once and only once, known sections, and every fact found in
some sentence (or headline) of an on-topic item. It never runs briefer.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "news-feeds-2026-01"

for path in (ROOT, ROOT / "bench" / "heldout"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

# Publisher names for the feed files (what the memo's citations show).
from make_articles import PUBLISHERS  # noqa: E402

PREFIX = {
    "aljazeera": "aj",
    "bbc-middle-east": "bbc",
    "guardian-world": "gu",
    "newarab": "na",
    "nyt-world": "nyt",
    "skynews-world": "sky",
    "tehrantimes": "tt",
    "timesofisrael": "toi",
}
SECTIONS = ("gaza", "iran", "normalization", "other_me", "off")
TOPICS = ("gaza", "iran", "normalization")
KINDS = ("news", "opinion", "analysis", "explainer", "feature", "live", "media")


@dataclass(frozen=True)
class DayItem:
    """One feed item of a day, as briefer parses it."""

    id: str  # short label id: feed prefix and position in the feed ("toi-07")
    feed: str  # feed file stem ("timesofisrael")
    publisher: str
    link: str
    title: str
    summary: str  # plain text, paragraphs separated by a blank line
    published: datetime | None
    url: str  # the feed URL the bench serves this file under

    @property
    def text(self) -> str:
        """Headline, blank line, description: what a baseline summarizer is given."""
        return f"{self.title}\n\n{self.summary}".strip()


def feed_url(day: str, feed: str) -> str:
    """A stable URL for a corpus file (never fetched: the bench stores items directly)."""
    return f"http://feeds.bench.invalid/{day}/{feed}.xml"


def load_day(day: str, corpus: Path = CORPUS) -> list[DayItem]:
    """Every item of ``day``, feed by feed (file name order), in feed order."""
    from briefer.sources.feedparse import parse_feed

    folder = corpus / day
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such day in the corpus")
    items: list[DayItem] = []
    for path in sorted(folder.glob("*.xml")):
        feed = path.stem
        url = feed_url(day, feed)
        parsed = parse_feed(path.read_bytes(), url=url, max_items=10_000)
        for n, item in enumerate(parsed.items, start=1):
            items.append(
                DayItem(
                    id=f"{PREFIX.get(feed, feed)}-{n:02d}",
                    feed=feed,
                    publisher=PUBLISHERS.get(feed, feed),
                    link=item.link or item.item_id,
                    title=item.title,
                    summary=item.summary,
                    published=item.published,
                    url=url,
                )
            )
    return items


# ------------------------------------------------------------------ labels


@dataclass(frozen=True)
class Label:
    """What an analyst says about one item (see bench/days/README.md)."""

    id: str
    link: str
    section: str  # one of SECTIONS
    also: tuple[str, ...]  # other sections an analyst would also accept
    key: bool
    story: str  # story id; items with the same id tell the same story
    kind: str = ""  # one of KINDS ("" while a day's kinds are not labelled yet)
    open: tuple[str, ...] = ()  # verbatim spans an analyst would list as open questions


@dataclass(frozen=True)
class Conflict:
    """Figures for one thing that differ across the items of one story."""

    story: str
    what: str  # the thing counted: "death toll", "arrests", ...
    figures: tuple[tuple[str, str], ...]  # (item id, the figure verbatim from that item)


def load_conflicts(path: Path) -> list[Conflict]:
    """The ``[[conflict]]`` entries of a labels file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out = []
    for entry in data.get("conflict", []):
        figures = tuple((str(f["item"]), str(f["figure"])) for f in entry.get("figures", []))
        out.append(Conflict(str(entry.get("story", "")), str(entry.get("what", "")), figures))
    return out


def load_labels(path: Path) -> dict[str, Label]:
    """Labels by item link; a malformed entry is a ValueError naming it."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    labels: dict[str, Label] = {}
    problems: list[str] = []
    for n, entry in enumerate(data.get("item", []), start=1):
        ident = str(entry.get("id", f"#{n}"))
        where = f"{path}: item {ident}"
        section = entry.get("section", "")
        if section not in SECTIONS:
            problems.append(f"{where}: section must be one of {', '.join(SECTIONS)}")
        also = tuple(entry.get("also", ()))
        if any(a not in SECTIONS for a in also):
            problems.append(f"{where}: also must hold sections of {', '.join(SECTIONS)}")
        story = str(entry.get("story", "")).strip() or f"item:{ident}"
        kind = str(entry.get("kind", ""))
        if kind and kind not in KINDS:
            problems.append(f"{where}: kind must be one of {', '.join(KINDS)}")
        spans = entry.get("open", [])
        if not isinstance(spans, list) or not all(isinstance(s, str) and s for s in spans):
            problems.append(f"{where}: open must be a list of verbatim spans")
            spans = []
        link = str(entry.get("link", ""))
        if link in labels:
            problems.append(f"{where}: link labelled twice")
        labels[link] = Label(
            ident, link, section, also, bool(entry.get("key", False)), story, kind, tuple(spans)
        )
    if problems:
        raise ValueError("\n".join(problems))
    return labels


# ------------------------------------------------------------------ commands


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _comment(text: str, width: int = 96) -> list[str]:
    words = " ".join(text.split()).split(" ")
    lines, line = [], "#   "
    for word in words:
        if len(line) + len(word) + 1 > width and line.strip() != "#":
            lines.append(line.rstrip())
            line = "#   "
        line += word + " "
    if line.strip() != "#":
        lines.append(line.rstrip())
    return lines


def skeleton(day: str) -> str:
    """A labels file with every item of ``day`` and empty labels."""
    items = load_day(day)
    out = [
        f"# Labels for the feed day {day} ({len(items)} items). See bench/days/README.md.",
        "# section: gaza | iran | normalization | other_me | off; also: other accepted sections;",
        "# key: one of the day's key items; story: shared id for items telling the same story.",
        "",
    ]
    for item in items:
        out.append("[[item]]")
        out.append(f"id = {_toml_string(item.id)}")
        out.append(f"link = {_toml_string(item.link)}")
        out.append(f"# {item.publisher}: {item.title}")
        out.extend(_comment(item.summary[:700]))
        out.append('section = ""')
        out.append("key = false")
        out.append('story = ""')
        out.append('kind = ""')
        out.append("")
    return "\n".join(out)


def show(day: str) -> str:
    lines = []
    for item in load_day(day):
        lines.append(f"[{item.id}] {item.publisher}: {item.title}")
        for paragraph in item.summary.split("\n\n"):
            if paragraph.strip():
                lines.append(f"    {paragraph}")
    return "\n".join(lines)


def sentences_of(item: DayItem) -> list[str]:
    """The headline and the description's sentences (syntok), for fact checks."""
    from briefer.summarize.segment import split_sentences

    out = [item.title] if item.title else []
    for paragraph in item.summary.split("\n\n"):
        if paragraph.strip():
            out.extend(split_sentences(paragraph.strip()))
    return out


def _fold(text: str) -> str:
    """Whitespace collapsed and curly quotes straightened, for verbatim checks."""
    table = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
    return " ".join(text.translate(table).split())


def _verbatim(span: str, item: DayItem) -> bool:
    return _fold(span) in _fold(item.title) or _fold(span) in _fold(item.summary)


def check(day: str, folder: Path) -> int:
    """Labels cover every item once; every fact is found in an on-topic item."""
    items = load_day(day)
    problems: list[str] = []
    labels_path = folder / "labels.toml"
    labels = load_labels(labels_path)
    links = {i.link for i in items}
    for item in items:
        label = labels.get(item.link)
        if label is None:
            problems.append(f"{labels_path}: item {item.id} ({item.link}) has no label")
    for link, label in labels.items():
        if link not in links:
            problems.append(f"{labels_path}: item {label.id}: link not in the day's feeds")
    by_id = {i.id: i for i in items}
    for item in items:
        label = labels.get(item.link)
        if label is None:
            continue
        if not label.kind:
            problems.append(f"{labels_path}: item {item.id} has no kind")
        for span in label.open:
            if not _verbatim(span, item):
                problems.append(f"{labels_path}: item {item.id}: open span not in its text: {span}")
    for conflict in load_conflicts(labels_path):
        for ident, figure in conflict.figures:
            item = by_id.get(ident)
            if item is None or not _verbatim(figure, item):
                problems.append(
                    f"{labels_path}: conflict {conflict.what!r}: {figure!r} not in item {ident}"
                )
            elif labels.get(item.link) and labels[item.link].story != conflict.story:
                problems.append(f"{labels_path}: conflict {conflict.what!r}: {ident} is not "
                                f"of story {conflict.story}")
    facts_path = folder / "facts.toml"
    if facts_path.is_file():
        sys.path.insert(0, str(ROOT / "bench"))
        import quality

        facts = quality.load_facts(facts_path)
        on_topic = [i for i in items if i.link in labels and labels[i.link].section in TOPICS]
        sentences = [(i.id, s) for i in on_topic for s in sentences_of(i)]
        for fact in facts:
            found = [ident for ident, s in sentences if fact.matches(s)]
            if not found:
                problems.append(f"{facts_path}: fact {fact.id} matches no on-topic sentence")
        off = [(i.id, s) for i in items if i not in on_topic for s in sentences_of(i)]
        for fact in facts:
            stray = sorted({ident for ident, s in off if fact.matches(s)})
            if stray:
                print(f"note: fact {fact.id} also matches off-topic item(s) {', '.join(stray)}")
        print(f"{len(facts)} facts, weight {sum(f.weight for f in facts):g}")
    counts = {s: sum(1 for label in labels.values() if label.section == s) for s in SECTIONS}
    stories = {label.story for label in labels.values() if label.section in TOPICS}
    keys = {label.story for label in labels.values() if label.key}
    print(f"{day}: {len(items)} items; " + ", ".join(f"{s} {n}" for s, n in counts.items()))
    print(f"{len(stories)} on-topic stories, {len(keys)} key stories")
    kinds = {k: sum(1 for label in labels.values() if label.kind == k) for k in KINDS}
    print("kinds: " + ", ".join(f"{k} {n}" for k, n in kinds.items() if n))
    spans = sum(len(label.open) for label in labels.values())
    print(f"{spans} open-question spans, {len(load_conflicts(labels_path))} conflicting figures")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("show", "skeleton", "check"))
    parser.add_argument("day", help="e.g. 2026-01-07")
    args = parser.parse_args(argv)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", args.day):
        parser.error("day must look like 2026-01-07")
    if not CORPUS.is_dir():
        print(f"{CORPUS}: corpus not found", file=sys.stderr)
        return 2
    if args.command == "show":
        print(show(args.day))
    elif args.command == "skeleton":
        print(skeleton(args.day))
    else:
        return check(args.day, HERE / args.day)
    return 0


if __name__ == "__main__":
    sys.exit(main())
