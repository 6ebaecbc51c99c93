"""Shared test helpers: paths, input builders, settings, the feed store read as a file.

Fixtures are in ``conftest.py``; tests import these by name.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from briefer.models import Article, Origin
from briefer.settings import Settings, load_settings
from briefer.sources.feeds import FeedResult, FetchReport, store_path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CONFIG = ROOT / "config" / "briefer.toml"
SHARED = ROOT.parent / "shared"
CORPORA = SHARED / "corpora"
GOLDEN_AS_OF = "2026-01-02T07:00:00+00:00"

needs_corpora = pytest.mark.skipif(
    not CORPORA.is_dir(), reason="needs ../shared/corpora (not in a user's clone)"
)


def make_article(**kw: Any) -> Article:
    """An Article with sensible defaults; any field can be given."""
    paragraphs = kw.pop("paragraphs", None)
    if paragraphs is None:
        paragraphs = (kw.pop("text", "Hamas and Israel agreed a ceasefire in Gaza on Monday."),)
    defaults: dict[str, Any] = {
        "key": "a.txt",
        "paragraphs": tuple(paragraphs),
        "published": date(2025, 12, 29),
        "publisher": "Test News",
    }
    defaults.update(kw)
    return Article(**defaults)


# A feed day's headlines and summaries, one story each (fill and rules-key tests).
FEED_GAZA = [
    ("Israeli strikes kill 13 in Gaza despite ceasefire",
     "Gaza's civil defence agency said Israeli strikes killed 13 people, including five children."),
    ("US plans to start second phase of Gaza deal before Hamas disarms",
     "Washington hopes to unveil the Board of Peace for Gaza next week, officials said."),
    ("Israel bars aid groups from Gaza over staff lists",
     "Aid groups said Israel ordered 37 NGOs in Gaza to halt work unless they hand over staff."),
    ("Gaza's Orthodox Christians mark Christmas amid rubble",
     "Gaza's Christians marked Christmas in a damaged church, two years into the war and truce."),
]  # fmt: skip
FEED_IRAN = [
    ("Iran plunged into internet blackout as protests spread nationwide",
     "Iran was cut off from the internet on Thursday as protests against the regime spread."),
    ("Iran's security forces fire tear gas at protesters in Tehran bazaar",
     "Iranian security forces fired tear gas at protesters in Tehran as the crackdown widened."),
]  # fmt: skip


# Four paragraphs of one Gaza story: a long article's opening, to which a
# test adds the paragraph it is about.
GAZA_PARAGRAPHS = (
    "Hamas and Israel agreed to extend the Gaza ceasefire by two weeks on Monday.",
    "Mediators from Qatar and Egypt will hold a new round of hostage talks in Doha.",
    "Palestinian officials said 600 prisoners would be released in the first phase.",
    "Another round of talks on the second phase is planned for next month in Cairo.",
)


@dataclass(frozen=True)
class Told:
    """A bullet of a brief as the engine tests read it: its sources as article keys."""

    text: str
    section: str
    story: int
    sources: tuple[str, ...]  # article keys, the worded one first
    sentence_index: int  # in its article's body; negative for a headline
    detail: bool

    @property
    def headline(self) -> bool:
        return self.sentence_index < 0


@dataclass(frozen=True)
class Summary:
    """A brief's chosen texts, for the engine tests."""

    bottom_line: tuple[Told, ...]
    sections: tuple[tuple[str, tuple[Told, ...]], ...]
    decisions: tuple
    stories: int


def summarize(articles, rules=None, budget: int = 700, explain: bool = True) -> Summary:
    """The brief of ``articles`` (bundled rules by default), its bullets by article key."""
    import tempfile

    from briefer.brief import build_brief
    from briefer.rules import load_rules

    with tempfile.TemporaryDirectory() as tmp:
        # Budgets below what settings allow test the fill's edge cases.
        settings = make_settings(Path(tmp)).model_copy(update={"budget_words": budget})
        brief = build_brief(
            settings,
            articles=articles,
            explain=explain,
            rules=rules or load_rules(ROOT / "config" / "rules.toml"),
        )
    keys = {s.number: s.article_key for s in brief.sources}

    def told(item) -> Told:
        sources = tuple(keys[n] for n in item.sources)
        return Told(item.text, item.section, item.story, sources, item.sentence_index,
                    item.detail)  # fmt: skip

    return Summary(
        tuple(told(i) for i in brief.bottom_line),
        tuple((s.key, tuple(told(i) for i in s.items)) for s in brief.sections),
        brief.decisions,
        brief.stories,
    )


def bullets_of(selection: Summary) -> list[Told]:
    """Every bullet of a selection: the bottom line, then the sections."""
    return [*selection.bottom_line, *(b for _, bs in selection.sections for b in bs)]


def rules_file(
    tmp_path: Path, section: Mapping[str, Mapping[str, Any]] | None = None, **changes: Any
):
    """The bundled rules with top-level tables changed: ``rules_file(p, candidates={...})``.

    ``section`` changes keys of sections named by their key:
    ``rules_file(p, section={"gaza": {"limit": 1}})``.
    """
    from briefer.configfile import read_toml
    from briefer.rules import rules_from

    raw = read_toml(ROOT / "config" / "rules.toml", "rules")
    for table, values in changes.items():
        if isinstance(values, dict):
            raw.setdefault(table, {}).update(values)
        else:
            raw[table] = values
    for key, values in (section or {}).items():
        (found,) = [s for s in raw["sections"] if s["key"] == key]
        found.update(values)
    return rules_from(raw, tmp_path / "rules.toml")


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Settings with out/state in ``tmp_path`` and the project's rules and templates."""
    values: dict[str, Any] = {
        "seeds_dir": SEEDS,
        "out_dir": tmp_path / "out",
        "state_dir": tmp_path / "state",
        "as_of": GOLDEN_AS_OF,
        "timezone": "UTC",
    }
    values.update(overrides)
    return load_settings(CONFIG, **values)


FIXTURES = ROOT / "tests" / "fixtures" / "feeds"
JANUARY = CORPORA / "news-feeds-2026-01"
REAL_FEEDS = CORPORA / "real-feeds"
FEEDPARSER_TESTS = CORPORA / "feedparser-tests"

# Short limits so that fault tests finish in seconds.
FAST_FETCH: dict[str, Any] = {
    "connect_timeout": 1.0,
    "read_timeout": 1.5,
    "deadline": 3.0,
    "max_bytes": 2_000_000,
    "concurrency": 8,
}


def feed_settings(
    tmp_path: Path,
    feeds: Sequence[str | Mapping[str, Any]],
    *,
    fetch: Mapping[str, Any] | None = None,
    **overrides: Any,
) -> Settings:
    """Settings whose state lives in ``tmp_path``; ``feeds`` are URLs or tables.

    An empty settings file keeps a ``config/briefer.toml`` in the working
    folder out of the tests.
    """
    config = tmp_path / "empty.toml"
    if not config.exists():
        config.write_text("")
    tables = [{"url": f} if isinstance(f, str) else dict(f) for f in feeds]
    values: dict[str, Any] = {
        "state_dir": tmp_path / "state",
        "out_dir": tmp_path / "out",
        "timezone": "UTC",
        "feeds": tables,
        "fetch": {**FAST_FETCH, **(fetch or {})},
    }
    values.update(overrides)
    return load_settings(config, **values)


def by_url(report: FetchReport) -> dict[str, FeedResult]:
    return {r.url: r for r in report.results}


def stored_rows(settings: Settings, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """A read-only query on the feed store's SQLite file, as the sqlite3 tool would run it."""
    return query(store_path(settings), sql, *params)


def query(path: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """A read-only query on a SQLite file, on a connection of its own."""
    db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return list(db.execute(sql, params))
    finally:
        db.close()


def make_args(tmp_path: Path, seeds: Path, *extra: str) -> list[str]:
    """``briefer make`` arguments: the project's settings, ``seeds``, out in ``tmp_path``."""
    return [
        "make",
        "--config", str(CONFIG),
        "--seeds", str(seeds),
        "--out", str(tmp_path / "out"),
        "--as-of", GOLDEN_AS_OF,
        *extra,
    ]  # fmt: skip


def candidates_of(article: Article, rules) -> list:
    """The texts of one item that may become bullets (clean, topics, candidates)."""
    from briefer.rules import CueScanner
    from briefer.summarize.candidates import item_candidates
    from briefer.summarize.clean import prepare
    from briefer.summarize.segment import SPLITTERS
    from briefer.summarize.topics import item_topics

    prepared = prepare(article, rules)
    topics = item_topics(prepared, rules, CueScanner(rules))
    origin = Origin(0, article.key, article.publisher or article.key, article.published)
    found = item_candidates(prepared, topics, rules, origin, SPLITTERS["syntok"])
    return list(found.candidates)
