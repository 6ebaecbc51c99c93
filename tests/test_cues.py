"""The cue scanner gives exactly the scores of the plain definition, on hand cases and corpora.

The definition, written here as the test's oracle: a text's score for a
section is the sum of the weights of the distinct terms and patterns found
in it by a plain search, zero when an ``exclude`` pattern matches or when
the section's subject is named neither in the text nor in its context.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from briefer.configfile import read_toml
from briefer.rules import CompiledSection, CueScanner, Rules, load_rules, rules_from
from briefer.sources.files import read_folder

from .helpers import CORPORA, ROOT, SEEDS, needs_corpora

RULES = load_rules(ROOT / "config" / "rules.toml")
SCANNER = CueScanner(RULES)


def plain_scores(rules: Rules, text: str) -> dict[bool, tuple[float, ...]]:
    """Every section's score of ``text`` by the definition, without (False) and with (True)
    its subject named in the context."""
    found = [_plain(section, text) for section in rules.sections]
    return {
        met: tuple(total if met or subject else 0.0 for subject, total in found)
        for met in (False, True)
    }


def _plain(section: CompiledSection, text: str) -> tuple[bool, float]:
    """Whether ``text`` names the section's subject, and its cue weight after exclusions."""
    subject = not section.require or any(p.search(text) for p in section.require)
    total = sum(t.weight for t in section.terms if t.pattern.search(text))
    total += sum(weight for p, weight in section.patterns if p.search(text))
    if total and any(p.search(text) for p in section.exclude):
        total = 0.0
    return subject, total


def same_as_plain(paragraphs: list[str], scanner: CueScanner = SCANNER) -> None:
    """The scanner's scores of the paragraphs together, and of each alone, are the plain ones."""
    rules = scanner.rules
    plain = [plain_scores(rules, p) for p in paragraphs]
    for met in (False, True):
        expected = [scores[met] for scores in plain]
        flags = (met,) * len(rules.sections)
        assert scanner.scores(paragraphs, flags) == expected
        assert [rules.text_scores(p, flags) for p in paragraphs] == expected


@pytest.mark.parametrize(
    "paragraphs",
    [
        ["Hamas and Israel agreed a ceasefire in Gaza on Monday. Hostages were freed."],
        ["Iran’s nuclear talks with the IAEA have not been confirmed, officials said."],
        ["The Saudi normalization of ties with Israel remains unclear.", "It is uncertain."],
        ["Cease-fire talks: 33 hostages for 1,900 prisoners in the first phase."],
        ["Gaza’s “truce” holds; Khan  Younis and Rafah saw aid.", "West Bank settlers."],
        ["Ceaſefire in Gaza (long s), İstanbul talks on Iran."],
        ["Iranians protest; the IRGC's crackdown and Iran's internet blackout."],
        ["", "hostage", "HOSTAGES in Gaza", "ceasefires, ceasefire-talks"],
        ["Gaza talks resumed in Khan", "Younis on Monday."],  # a term across paragraphs
        [],
    ],
)
def test_scanner_equals_plain_scores(paragraphs: list[str]) -> None:
    same_as_plain(paragraphs)


def test_negative_weights_and_unscannable_terms(tmp_path: Path) -> None:
    raw = read_toml(ROOT / "config" / "rules.toml", "rules")
    raw["sections"][0]["terms"]["denied"] = -1.0
    raw["sections"][0]["terms"]["U.S."] = 1.0
    raw["sections"][1]["terms"]["Zürich"] = 1.0  # a first word that is not ASCII
    raw["sections"][0]["patterns"][r"\bdenied\b"] = -1.0
    rules = rules_from(raw, tmp_path / "rules.toml")
    same_as_plain(
        [
            "The Gaza ceasefire held on Monday. Israel denied the report on Tuesday.",
            "The U.S. envoy met Iran's minister in Zürich over the nuclear talks.",
        ],
        CueScanner(rules),
    )


def test_scanner_on_the_seed_articles() -> None:
    for article in read_folder(SEEDS, 10_000_000):
        same_as_plain(list(article.paragraphs))


@needs_corpora
def test_scanner_on_whole_corpora() -> None:
    """Every paragraph of ten days of feeds and a sample of the BBC articles."""
    from briefer.sources.feedparse import parse_feed

    checked = 0
    for path in sorted((CORPORA / "news-feeds-2026-01").glob("*/*.xml")):
        for item in parse_feed(path.read_bytes(), url="http://x.invalid/f", max_items=10_000).items:
            paragraphs = [p for p in item.summary.split("\n\n") if p.strip()]
            same_as_plain([item.title, *paragraphs])
            checked += 1
    bbc = sorted((CORPORA / "bbc-news").glob("*/*.txt"))
    for path in random.Random(7).sample(bbc, 300):
        text = path.read_bytes().decode("utf-8", "replace")
        same_as_plain([line for line in text.splitlines() if line.strip()])
        checked += 1
    assert checked > 2000
