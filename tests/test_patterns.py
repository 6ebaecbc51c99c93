"""User regexes cannot hang a run: dangerous ones are refused, searches are bounded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefer.errors import ConfigError
from briefer.rules.backtrack import danger
from briefer.rules.load import load_rules
from briefer.rules.patterns import MAX_TEXT, UserPattern

from .clirun import run_briefer
from .helpers import ROOT

RULES = ROOT / "config" / "rules.toml"

SECTION = """
[[sections]]
key = "gaza"
title = "Gaza"
min_score = 2
terms = { "truce" = 2, "hostage*" = 1 }
"""

# Each backtracks exponentially, or at least cubically on a search, in Python's engine.
DANGEROUS = [
    r"(a+)+$",
    r"(\w+\s?)+$",
    r"(a|a)+$",
    r"(a|aa)+$",
    r"(?:a|ab|b)+$",
    r"(\s?\w+)+$",
    r"((ab)+c?)+$",
    r"(.*a){12}",
    r"(a*)*$",
    r"(?=(a+)+$)",
    r"(?>(a+)+b)",
    r"\w+\w+x",
    r"\d+\s*\d+x",
    r".*foo.*bar",
    r"\w+a\w+!",
    r"\w+(a\w+)?x",
]
# Ordinary patterns, and the safe forms of dangerous ones.
SAFE = [
    r"\bphase\s+(1|2|one|two)\b",
    r"\bnot\s+(been\s+)?(publicly\s+)?(confirmed|decided)\b",
    r"\b(has|have)(\s+not|n\S?t)\s+(been\s+)?finali[sz]ed\b",
    r"\b\d+(\.\d+)?\s*(km|miles)\b",
    r"\b(not|no)\b.*\bconfirmed\b",
    r".*\bpeace\b.*",
    r"(\s+\w+)+$",
    r"(\d{1,3},)+x",
    r"(\w+\b\s?)+$",
    r"(\w++\s?)+$",
    r"(?>\w+\s?)+$",
    r"\bغزة",
    r"colou?r",
]


@pytest.mark.parametrize("source", DANGEROUS)
def test_dangerous_patterns_are_named(source: str) -> None:
    reason = danger(source)
    assert reason is not None
    assert "possessive" in reason  # the message says how to keep the pattern


@pytest.mark.parametrize("source", SAFE)
def test_safe_patterns_pass(source: str) -> None:
    assert danger(source) is None


def test_bundled_rules_have_no_dangerous_pattern() -> None:
    rules = load_rules(RULES)
    for section in rules.sections:
        for pattern, _ in section.patterns:
            assert danger(pattern.pattern) is None
        for pattern in (*section.exclude, *section.require):
            assert danger(pattern.pattern) is None


def test_load_refuses_a_hanging_pattern_naming_file_section_and_key(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(SECTION + "patterns = { '(a+)+$' = 1.0 }\nexclude = ['(\\w+\\s?)+$']\n")
    with pytest.raises(ConfigError) as err:
        load_rules(path)
    first, second = err.value.lines
    assert first.startswith(f"{path}: section 'gaza': patterns: '(a+)+$' can backtrack ")
    assert second.startswith(f"{path}: section 'gaza': exclude: '(\\\\w+\\\\s?)+$' can backtrack ")


def test_check_reports_a_hanging_pattern_with_exit_2(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(SECTION + "require_any = ['(\\w+\\s?)+$']\n")
    config = tmp_path / "briefer.toml"
    config.write_text(f"rules_file = '{rules}'\nseeds_dir = '{ROOT / 'seeds'}'\n")
    done = run_briefer("check", "--config", str(config), timeout=60)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        f"Error: {rules}: section 'gaza': require_any: '(\\\\w+\\\\s?)+$' can backtrack"
    )
    assert "Traceback" not in done.stderr


def test_searches_read_a_bounded_length() -> None:
    pattern = UserPattern(re.compile(r"needle", re.I))
    assert pattern.pattern == "needle"
    assert pattern.search("x" * (MAX_TEXT - 10) + "needle")
    assert pattern.search("x" * MAX_TEXT + "needle") is None
    assert pattern.search("a needle") and pattern.match("needle") and pattern.fullmatch("needle")


def test_an_accepted_pattern_on_hostile_text_stays_fast(tmp_path: Path) -> None:
    """A quadratic pattern (one loop, retried at each start) on a huge sentence: bounded."""
    rules = tmp_path / "rules.toml"
    rules.write_text(SECTION + "patterns = { '\\w+ed\\b' = 1.0 }\n")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(
        "Hamas freed 18 hostages under the Gaza truce, officials said on Monday.\n\n"
        + "Truce "
        + "a" * 2_000_000
        + " hostages.\n"
    )
    config = tmp_path / "briefer.toml"
    config.write_text(f"rules_file = '{rules}'\nstate_dir = '{tmp_path / 'state'}'\n")
    done = run_briefer(
        "make",
        "--config",
        str(config),
        "--seeds",
        str(seeds),
        "--out",
        str(tmp_path / "out"),
        "--as-of",
        "2026-01-02T07:00",
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def test_the_readme_examples_of_refused_patterns_are_refused() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("Patterns run on feed text nobody vetted")
    paragraph = text[start : text.index("A possessive", start)]
    examples = re.findall(r"`([^`]+)`", paragraph)
    examples.remove("briefer check")
    assert len(examples) == 4
    for pattern in examples:
        assert danger(pattern) is not None, pattern
