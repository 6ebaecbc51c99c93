"""User regexes cannot hang a run: dangerous ones are refused, searches are bounded."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
import regex

from briefer.errors import ConfigError
from briefer.rules import load_rules
from briefer.rules.needles import NeedleIndex
from briefer.rules.patterns import (
    CASE_UNSAFE,
    CASED,
    FLAGS,
    MAX_TEXT,
    UserPattern,
    compile_pattern,
    lowered,
)
from briefer.rules.probe import danger, hostile_lines

from .clirun import run_briefer
from .helpers import ROOT

RULES = ROOT / "config" / "rules.toml"
TIMEOUT = load_rules(RULES).dateline.timeout  # the bundled rules' [regex] timeout

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
    r"(a*)*$",
    r"(?=(a+)+$)",
    r"(?>(a+)+b)",
    r"\w+\w+x",
    r"\d+\s*\d+x",
    r"\w+a\w+!",
    r"\w+(a\w+)?x",
]
# Slow in Python's re, not in the regex module (it gives up early on them), so
# no hostile line shows them slow and they are kept; a search of theirs is
# still cut off by the timeout.
SLOW_ONLY_IN_RE = [
    r"(.*a){12}",
    r".*foo.*bar",
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


def refusal(source: str) -> str | None:
    return danger(regex.compile(source, FLAGS), TIMEOUT)


@pytest.mark.parametrize("source", DANGEROUS)
def test_dangerous_patterns_are_named(source: str) -> None:
    reason = refusal(source)
    assert reason is not None
    assert "possessive" in reason  # the message says how to keep the pattern


@pytest.mark.parametrize("source", SAFE + SLOW_ONLY_IN_RE)
def test_safe_patterns_pass(source: str) -> None:
    assert refusal(source) is None


def test_hostile_lines_are_as_long_as_a_search_reads() -> None:
    lines = list(hostile_lines(r"\bfoo(\w+\s?)+$"))
    assert {len(line) for line in lines} == {MAX_TEXT}
    assert "a" * (MAX_TEXT - 1) + "!" in lines  # a run of what \w reads, then a failure
    assert any(line.startswith("foo") for line in lines)  # the literal that reaches the loop
    assert list(hostile_lines(r"\bGaza\b")) == []  # nothing repeats: nothing to backtrack


def test_bundled_rules_have_no_dangerous_pattern() -> None:
    assert len(bundled_patterns()) > 40
    for source, _, flags in bundled_patterns():
        assert danger(regex.compile(source, flags), TIMEOUT) is None


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
    pattern = UserPattern(regex.compile(r"needle", FLAGS), TIMEOUT)
    assert pattern.pattern == "needle"
    assert pattern.search("x" * (MAX_TEXT - 10) + "needle")
    assert pattern.search("x" * MAX_TEXT + "needle") is None
    assert pattern.search("a needle") and pattern.match("needle") and pattern.fullmatch("needle")


def test_a_search_over_the_timeout_counts_as_no_match_with_one_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A pattern that slipped past the probe (built here without it) on a hostile line."""
    where = "rules.toml: section 'gaza': patterns"
    pattern = UserPattern(regex.compile(r"(a+)+$", FLAGS), 0.05, where)
    line = "a" * (MAX_TEXT - 1) + "!"  # seconds for one search: far over 0.05 s
    with caplog.at_level(logging.WARNING, logger="briefer.rules"):
        assert pattern.search(line) is None
        assert pattern.match(line) is None
        assert pattern.search("aaa").group() == "aaa"  # a short text matches as ever
    assert [r.getMessage() for r in caplog.records] == [
        f"{where}: '(a+)+$' took over 0.05 s on a text and counted as no match there "
        "(said once per run)"
    ]


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
        assert refusal(pattern) is not None, pattern


def test_lower_casing_is_case_insensitive_matching_outside_case_unsafe() -> None:
    """Where neither character is in CASE_UNSAFE, re and regex match two characters
    case-insensitively exactly when their lower cases are equal (so a lowered text can
    be searched for a lowered needle or term)."""
    linked: dict[str, set[str]] = {}
    for code in range(0x110000):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        if len(char.lower()) != 1:
            assert CASE_UNSAFE.search(char), f"U+{code:04X} lowers to {len(char.lower())}"
            continue
        for other in (char.lower(), char.upper(), char.title(), char.casefold()):
            if len(other) == 1 and other != char:
                linked.setdefault(char, set()).add(other)
                linked.setdefault(other, set()).add(char)
    # Case classes: the characters linked by lower, upper, title and fold cases.
    seen: set[str] = set()
    for start in linked:
        if start in seen:
            continue
        group, todo = set(), [start]
        while todo:
            char = todo.pop()
            if char not in group:
                group.add(char)
                todo.extend(linked.get(char, ()))
        seen |= group
        safe = [c for c in group if not CASE_UNSAFE.search(c)]
        for a in safe:
            for b in safe:
                same = a.lower() == b.lower()
                assert bool(re.fullmatch(re.escape(a), b, re.IGNORECASE)) == same, (a, b)
                assert bool(regex.fullmatch(regex.escape(a), b, FLAGS)) == same, (a, b)


def test_a_capital_sigma_makes_text_case_unsafe() -> None:
    """``str.lower`` reads a capital sigma by its neighbours (σ inside a word, ς at
    its end), so a lowered text need not hold a lowered needle that matches it."""
    pattern = "ΣΑΣ"
    text = "Hamas said ΣΑΣΑ talks resumed"
    assert pattern.lower() not in text.lower()  # "σας" against "σασα"
    assert regex.search(pattern, text, FLAGS)
    assert lowered(text) is None and lowered(pattern) is None
    # So a pattern holding it is tried on such a text, not skipped for want of a needle.
    assert NeedleIndex([compile_pattern(pattern, TIMEOUT)]).worth_trying(text) == [0]
    rules = load_rules(RULES)
    scanned = rules.scanner.scores([text, "No sigma here."])
    assert scanned == [rules.text_scores(text), rules.text_scores("No sigma here.")]


def bundled_patterns() -> list[tuple[str, int, int]]:
    """Every pattern of the bundled rules: (source, its re flags, its regex flags)."""
    rules = load_rules(RULES)
    found = [(rules.dateline.pattern, 0, CASED)]
    sources = [*rules.junk, *rules.headline_trim]
    for section in rules.sections:
        sources += [p for p, _ in section.patterns] + [*section.require, *section.exclude]
    return found + [(p.pattern, re.IGNORECASE, FLAGS) for p in sources]


# Texts where the engines could part: other scripts, case folding, word edges.
EDGES = [
    "غزة: وقف إطلاق النار",
    "İstanbul talks on IRAN and Iran's nuclear programme; ISRAEL and Israel’s cabinet",
    "Hamas-run, Gaza’s, U.S.-brokered, hostages' families, 1,900 prisoners",
    "Watch: video | Related coverage: Gaza – live",
    "JERUSALEM (AP) — Israel said; GAZA CITY, Jan 7 (Reuters) - talks",
    "The ceasefire has not been finalised; it hasn’t been finalized.",
]


def test_patterns_mean_what_they_meant_under_re() -> None:
    """The bundled and test patterns find the same match with regex as with Python's re,
    on every line of the seeds and the test feeds and on edge cases."""
    lines = list(EDGES)
    for folder in (ROOT / "seeds", ROOT / "tests" / "fixtures" / "feeds"):
        for path in sorted(folder.iterdir()):
            lines += path.read_bytes().decode("utf-8", "replace").splitlines()
    lines = [line[:MAX_TEXT] for line in lines if line.strip()]
    tested = [*bundled_patterns(), *((s, re.IGNORECASE, FLAGS) for s in SAFE + SLOW_ONLY_IN_RE)]
    for source, old_flags, new_flags in tested:
        old, new = re.compile(source, old_flags), regex.compile(source, new_flags)
        for line in lines:
            a, b = old.search(line), new.search(line)
            assert (a and a.span()) == (b and b.span()), (source, line)
    assert len(lines) > 500


def test_possessive_and_atomic_parts_keep_their_meaning() -> None:
    for source in (r"(\w++\s?)+$", r"(?>\w+\s?)+$", r"\w++x", r"(?>a|ab)c"):
        for text in ("two words", "wordx", "abc", "ac", "a b c!"):
            a = re.compile(source, re.IGNORECASE).search(text)
            b = regex.compile(source, FLAGS).search(text)
            assert (a and a.span()) == (b and b.span()), (source, text)


def test_a_combining_accent_belongs_to_its_word() -> None:
    """Where regex parts from re: in "Hamás" written with a combining accent, the accent
    is part of the word, so \\bHamas\\b does not match inside it (re saw an edge there)."""
    text = "Hamas\u0301 officials"
    assert re.search(r"\bHamas\b", text, re.IGNORECASE)
    assert not regex.search(r"\bHamas\b", text, FLAGS)
    assert regex.search(r"\bofficials\b", text, FLAGS)


def test_loaded_patterns_name_their_place_and_take_the_files_timeout(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(
        "[regex]\ntimeout = 2.5\n[candidates]\njunk = ['^watch:']\n"
        + SECTION
        + "patterns = { 'cease-?fire' = 1.0 }\nrequire_any = ['\\bGaza']\n"
    )
    rules = load_rules(path)
    (pattern, _), gate = rules.sections[0].patterns[0], rules.sections[0].require[0]
    assert pattern.where == f"{path}: section 'gaza': patterns"
    assert gate.where == f"{path}: section 'gaza': require_any"
    assert rules.junk[0].where == f"{path}: candidates.junk"
    assert rules.dateline.where == f"{path}: candidates.dateline"
    assert {p.timeout for p in (pattern, gate, rules.junk[0], rules.dateline)} == {2.5}


@pytest.mark.parametrize("value", ["0", "-1", "'fast'", "61"])
def test_the_timeout_must_be_a_sensible_number(tmp_path: Path, value: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(f"[regex]\ntimeout = {value}\n" + SECTION + "exclude = ['(']\n")
    with pytest.raises(ConfigError) as err:
        load_rules(path)
    first, second = err.value.lines
    assert first.startswith(f"{path}: regex.timeout: Input should be ")
    assert second.startswith(f"{path}: section 'gaza': exclude: bad regular expression '('")
