"""Shared test helpers: input builders and paths."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from briefer.models import Article
from briefer.settings import Settings, load_settings

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


# Four paragraphs of one Gaza story: a long article's opening, to which a
# test adds the paragraph it is about.
GAZA_PARAGRAPHS = (
    "Hamas and Israel agreed to extend the Gaza ceasefire by two weeks on Monday.",
    "Mediators from Qatar and Egypt will hold a new round of hostage talks in Doha.",
    "Palestinian officials said 600 prisoners would be released in the first phase.",
    "Another round of talks on the second phase is planned for next month in Cairo.",
)


def summarize(articles, rules=None, budget: int = 700, explain: bool = True):
    """The engine's selection of ``articles`` (bundled rules by default)."""
    from briefer.summarize.engine import Summarizer
    from briefer.summarize.rules import load_rules

    engine = Summarizer(rules or load_rules(ROOT / "config" / "rules.toml"), explain=explain)
    for article in articles:
        engine.add(article)
    return engine.finish(budget)


def bullets_of(selection) -> list:
    """Every bullet of a selection: the bottom line, then the sections."""
    return [*selection.bottom_line, *(b for _, bs in selection.sections for b in bs)]


def rules_file(tmp_path: Path, **changes: Any):
    """The bundled rules with top-level tables changed: ``rules_file(p, candidates={...})``."""
    from briefer.configfile import read_toml
    from briefer.summarize.rules import RulesFile, compile_rules

    raw = read_toml(ROOT / "config" / "rules.toml", "rules")
    for table, values in changes.items():
        if isinstance(values, dict):
            raw.setdefault(table, {}).update(values)
        else:
            raw[table] = values
    return compile_rules(RulesFile.model_validate(raw), tmp_path / "rules.toml")


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


@pytest.fixture
def settings(tmp_path: Path):
    """Factory: ``settings(**overrides)``."""

    def factory(**overrides: Any) -> Settings:
        return make_settings(tmp_path, **overrides)

    return factory


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No BRIEFER_* variable from the caller's shell leaks into a test."""
    for name in list(os.environ):
        if name.startswith("BRIEFER_"):
            monkeypatch.delenv(name)
    yield


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of the seed folder."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target
