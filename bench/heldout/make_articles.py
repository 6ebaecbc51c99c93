"""Build the held-out article folder from one day of the January 2026 feeds.

Reads the feed snapshots of one day in ``news-feeds-2026-01/`` (one RSS file
per publisher), takes the items listed in ``selection.toml`` (by link), and
writes for each one a ``.txt`` file to ``articles/``: the headline on the
first line, a blank line, then the description as plain text, one paragraph
per line with a blank line between paragraphs. Beside them go
``sources.toml`` (publisher, published, url, title per file) and, next to
``articles/``, ``offtopic.txt`` (the files labelled off-topic).

HTML is reduced to text with the standard library: tags dropped, entities
decoded, whitespace collapsed. Feed furniture that is not part of the
description is dropped: "Continue reading..." links, "The post ... appeared
first on ..." footers, images, and paragraphs made mostly of link text
(newsletter and live-blog plugs). Nothing else is changed: descriptions that
the feed cut mid-sentence stay cut.

The output depends only on the feed files and the selection, so running the
script again gives the same bytes. Run from the project root::

    .venv/bin/python bench/heldout/make_articles.py
    .venv/bin/python bench/heldout/make_articles.py --corpus PATH --day 2026-01-08
    .venv/bin/python bench/heldout/make_articles.py --day 2026-01-10 \
        --selection bench/heldout-2026-01-10/selection.toml --out bench/heldout-2026-01-10

By default the selection is ``selection.toml`` next to this script and the
output (``articles/`` and ``offtopic.txt``) goes next to it too; ``--selection``
and ``--out`` build another day's set in its own folder.

When the corpus is absent the script says so and exits 0, leaving the
committed folder as it is.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "news-feeds-2026-01"
DEFAULT_DAY = "2026-01-08"
SELECTION = HERE / "selection.toml"
OUT = HERE  # receives articles/ and offtopic.txt

# Publisher names for the feed files (the citation shows these).
PUBLISHERS = {
    "aljazeera": "Al Jazeera",
    "bbc-middle-east": "BBC News",
    "guardian-world": "The Guardian",
    "newarab": "The New Arab",
    "nyt-world": "The New York Times",
    "skynews-world": "Sky News",
    "tehrantimes": "Tehran Times",
    "timesofisrael": "The Times of Israel",
}

MAX_SLUG_WORDS = 8
LINK_SHARE = 0.5  # a paragraph with at least this share of its letters in links is a plug

_SKIP = frozenset({"figure", "figcaption", "script", "style", "iframe", "video", "audio"})
_BLOCK = frozenset(
    {"p", "div", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr"}
)
_FURNITURE = (
    re.compile(r"^The post .+ appeared first on .+$", re.S),
    re.compile(r"^(Continue|Keep) reading\b.{0,20}$", re.I),
)
_UNFINISHED_TAG = re.compile(r"<[^>]*\Z")
_SPACE = re.compile(r"\s+")


# ------------------------------------------------------------------ HTML


class _Blocks(HTMLParser):
    """Text of an HTML fragment in blocks, with the letters inside links counted."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, float]] = []  # (text, share of letters in links)
        self._parts: list[str] = []
        self._linked = 0
        self._letters = 0
        self._in_link = 0
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
        elif tag == "a":
            self._in_link += 1
        elif tag in _BLOCK:
            self.flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag == "a":
            self._in_link = max(0, self._in_link - 1)
        elif tag in _BLOCK:
            self.flush()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self._parts.append(data)
        letters = sum(ch.isalnum() for ch in data)
        self._letters += letters
        if self._in_link:
            self._linked += letters

    def flush(self) -> None:
        text = _SPACE.sub(" ", "".join(self._parts)).strip()
        if text:
            self.blocks.append((text, self._linked / max(self._letters, 1)))
        self._parts, self._linked, self._letters = [], 0, 0


def html_paragraphs(fragment: str) -> list[str]:
    """Plain-text paragraphs of a feed's HTML fragment, furniture dropped."""
    parser = _Blocks()
    parser.feed(_UNFINISHED_TAG.sub("", fragment))
    parser.close()
    parser.flush()
    out = []
    for text, linked in parser.blocks:
        if linked >= LINK_SHARE or any(f.match(text) for f in _FURNITURE):
            continue
        out.append(unicodedata.normalize("NFC", text))
    return out


def inline_text(fragment: str) -> str:
    """A title as one line of plain text."""
    return " ".join(html_paragraphs(fragment))


# ------------------------------------------------------------------ items


@dataclass(frozen=True)
class Choice:
    feed: str
    link: str
    label: str  # "on" or "off"
    topic: str


@dataclass(frozen=True)
class Item:
    choice: Choice
    title: str
    paragraphs: tuple[str, ...]
    published: date
    link: str

    @property
    def text(self) -> str:
        return self.title + "\n\n" + "\n\n".join(self.paragraphs) + "\n"


def load_selection(path: Path) -> list[Choice]:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    choices = []
    problems = []
    seen: set[str] = set()
    for n, entry in enumerate(data.get("item", []), start=1):
        link, label = entry.get("link"), entry.get("label")
        if not link or not entry.get("feed") or label not in ("on", "off"):
            problems.append(f"{path}: item {n}: needs feed, link and label 'on' or 'off'")
            continue
        if link in seen:
            problems.append(f"{path}: item {n}: {link} listed twice")
        seen.add(link)
        choices.append(Choice(entry["feed"], link, label, str(entry.get("topic", ""))))
    if problems:
        raise ValueError("\n".join(problems))
    return choices


def read_items(day_dir: Path, choices: Sequence[Choice]) -> list[Item]:
    """The selected entries of the day's feed files, in selection order."""
    import feedparser

    wanted: dict[str, list[Choice]] = {}
    for choice in choices:
        wanted.setdefault(choice.feed, []).append(choice)
    found: dict[str, Item] = {}
    missing = []
    for feed, feed_choices in sorted(wanted.items()):
        path = day_dir / f"{feed}.xml"
        if not path.is_file():
            missing.extend(f"{feed}: no feed file {path}" for _ in feed_choices[:1])
            continue
        parsed = feedparser.parse(path.read_bytes())
        entries = {}
        for entry in parsed.entries:
            for key in (entry.get("link"), entry.get("id")):
                if key:
                    entries.setdefault(key, entry)
        for choice in feed_choices:
            entry = entries.get(choice.link)
            if entry is None:
                missing.append(f"{feed}: no item with link {choice.link}")
                continue
            stamp = entry.get("published_parsed") or entry.get("updated_parsed")
            found[choice.link] = Item(
                choice=choice,
                title=inline_text(entry.get("title", "")),
                paragraphs=tuple(html_paragraphs(entry.get("summary", ""))),
                published=date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday),
                link=entry.get("link") or choice.link,
            )
    if missing:
        raise LookupError("\n".join(missing))
    return [found[c.link] for c in choices]


def slug(text: str) -> str:
    text = re.sub(r"['\u2019]", "", text)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words[:MAX_SLUG_WORDS]) or "item"


def file_names(items: Sequence[Item]) -> list[str]:
    names: list[str] = []
    for item in items:
        base = f"{item.choice.feed}-{slug(item.title)}"
        name, n = f"{base}.txt", 2
        while name in names:
            name, n = f"{base}-{n}.txt", n + 1
        names.append(name)
    return names


# ------------------------------------------------------------------ output


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in escaped) + '"'


def sources_toml(items: Sequence[Item], names: Sequence[str], corpus: Path, day: str) -> str:
    lines = [
        "# Metadata for the held-out articles, one table per file.",
        f"# Generated by bench/heldout/make_articles.py from {corpus.name}/{day}/",
        "# (RSS snapshots); publisher is the feed's publisher, published the",
        "# item's publication date, url its link, title its headline.",
        "",
    ]
    for name, item in sorted(zip(names, items, strict=True)):
        lines += [
            f"[{_toml_string(name)}]",
            f"published = {item.published.isoformat()}",
            f"publisher = {_toml_string(PUBLISHERS.get(item.choice.feed, item.choice.feed))}",
            f"url = {_toml_string(item.link)}",
            f"title = {_toml_string(item.title)}",
            "",
        ]
    return "\n".join(lines)


def offtopic_list(items: Sequence[Item], names: Sequence[str]) -> str:
    lines = [
        "# Held-out files labelled off-topic in selection.toml (one per line).",
        "# bench/heldout/offtopic.py reports any memo bullet taken from them.",
    ]
    pairs = sorted(zip(names, items, strict=True))
    off = [(name, item) for name, item in pairs if item.choice.label == "off"]
    lines += [f"{name}  # {item.choice.topic}" for name, item in off]
    return "\n".join(lines) + "\n"


def _shown(path: Path) -> str:
    """``path`` relative to the project root when it lies inside it."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def write(
    day_dir: Path, corpus: Path, day: str, selection: Path = SELECTION, out: Path = OUT
) -> int:
    articles, offtopic = out / "articles", out / "offtopic.txt"
    choices = load_selection(selection)
    items = read_items(day_dir, choices)
    names = file_names(items)
    empty = [n for n, i in zip(names, items, strict=True) if not i.paragraphs]
    if empty:
        raise ValueError("items with no description text: " + ", ".join(empty))
    articles.mkdir(parents=True, exist_ok=True)
    keep = set(names) | {"sources.toml"}
    for old in articles.iterdir():
        if old.is_file() and old.name not in keep and old.suffix in (".txt", ".md"):
            old.unlink()
    for name, item in zip(names, items, strict=True):
        (articles / name).write_text(item.text, encoding="utf-8")
    (articles / "sources.toml").write_text(
        sources_toml(items, names, corpus, day), encoding="utf-8"
    )
    offtopic.write_text(offtopic_list(items, names), encoding="utf-8")
    on = sum(1 for i in items if i.choice.label == "on")
    size = sum(p.stat().st_size for p in articles.iterdir())
    print(
        f"wrote {len(items)} articles ({on} on-topic, {len(items) - on} off-topic), "
        f"{size / 1024:.0f} KB, to {_shown(articles)}/"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--corpus", type=Path, default=DEFAULT_CORPUS, help="the news-feeds-2026-01 folder"
    )
    parser.add_argument("--day", default=DEFAULT_DAY, help="day folder (default: %(default)s)")
    parser.add_argument(
        "--selection",
        type=Path,
        default=SELECTION,
        help="selection file (default: selection.toml next to this script)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=OUT,
        help="folder receiving articles/ and offtopic.txt (default: this script's folder)",
    )
    args = parser.parse_args(argv)
    day_dir = args.corpus / args.day
    if not day_dir.is_dir():
        print(
            f"corpus not found: {day_dir} is not a folder; skipping "
            f"(the committed {_shown(args.out / 'articles')}/ is left as it is)"
        )
        return 0
    try:
        return write(day_dir, args.corpus, args.day, args.selection, args.out)
    except (ValueError, LookupError, OSError, tomllib.TOMLDecodeError) as exc:
        print(exc, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
