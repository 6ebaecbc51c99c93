"""Settings and rules that must be refused, with one clear line each and exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefer.errors import ConfigError
from briefer.rules import load_rules
from briefer.settings import load_settings

from .clirun import run_briefer
from .helpers import ROOT

SECTION = """
[[sections]]
key = "{key}"
title = "{title}"
min_score = {min_score}
terms = {{ "truce" = {weight}, "hostage*" = 1 }}
"""


def section(key: str = "gaza", title: str = "Gaza", min_score: str = "2", weight: str = "2") -> str:
    return SECTION.format(key=key, title=title, min_score=min_score, weight=weight)


def config_for(tmp_path: Path, rules: Path | None = None, extra: str = "") -> Path:
    config = tmp_path / "briefer.toml"
    lines = [f"seeds_dir = '{ROOT / 'seeds'}'", f"state_dir = '{tmp_path / 'state'}'"]
    if rules is not None:
        lines.append(f"rules_file = '{rules}'")
    config.write_text("\n".join(lines) + "\n" + extra)
    return config


def test_settings_file_not_utf8(tmp_path: Path) -> None:
    config = tmp_path / "briefer.toml"
    config.write_bytes(b"[memo]\ntitle = 'Caf\xe9 briefing'\n")
    done = run_briefer("check", "--config", str(config), timeout=60)
    assert done.returncode == 2
    assert done.stderr == (
        f"Error: {config}: not UTF-8 text (byte 0xe9 at offset 19); save the config file as UTF-8\n"
    )


def test_rules_file_not_utf8(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_bytes(section(title="Caf\xe9").encode("utf-16"))
    done = run_briefer("check", "--config", str(config_for(tmp_path, rules)), timeout=60)
    assert done.returncode == 2
    assert done.stderr.startswith(f"Error: {rules}: not UTF-8 text (byte 0xff at offset 0)")
    assert len(done.stderr.splitlines()) == 1


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_weights_must_be_finite(tmp_path: Path, value: str) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(section(weight=value))
    with pytest.raises(ConfigError) as err:
        load_rules(rules)
    assert err.value.lines == (
        f"{rules}: section 'gaza': terms.truce: Input should be a finite number (got {value})",
    )


def test_min_score_inf_refused_by_check(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(section(min_score="inf") + "patterns = { 'cease' = nan }\n")
    done = run_briefer("check", "--config", str(config_for(tmp_path, rules)), timeout=60)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"Error: {rules}: section 'gaza': min_score: Input should be a finite number (got inf)",
        f"Error: {rules}: section 'gaza': patterns.cease: Input should be a finite number "
        "(got nan)",
    ]


def test_scoring_weights_must_be_finite(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text("[scoring]\nrecency = inf\n" + section())
    with pytest.raises(ConfigError, match=r"scoring\.recency: Input should be a finite number"):
        load_rules(rules)


def test_settings_numbers_must_be_finite(tmp_path: Path) -> None:
    config = config_for(tmp_path, extra="[fetch]\ndeadline = inf\n")
    with pytest.raises(ConfigError) as err:
        load_settings(config)
    assert err.value.lines == (
        f"{config}: fetch.deadline: Input should be a finite number (got inf)",
    )


def test_two_sections_with_the_same_title(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(section() + section(key="gaza2", title="gaza "))
    with pytest.raises(ConfigError) as err:
        load_rules(rules)
    assert err.value.lines == (
        f"{rules}: section titles must be unique: 'Gaza', 'gaza '",
    )


@pytest.mark.parametrize("as_of", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_as_of_out_of_range(tmp_path: Path, as_of: str) -> None:
    done = run_briefer("make", "--config", str(config_for(tmp_path)), "--as-of", as_of, timeout=60)
    assert done.returncode == 2
    assert done.stderr == (
        f"Error: --as-of: '{as_of}' is out of range; use a time between the years 1900 and 9000\n"
    )


def test_as_of_from_the_environment_names_the_variable(tmp_path: Path) -> None:
    done = run_briefer(
        "make",
        "--config",
        str(config_for(tmp_path)),
        env={"BRIEFER_AS_OF": "0001-01-01T00:00"},
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("Error: environment BRIEFER_AS_OF: as_of: ")


def test_debug_keeps_the_exit_code_of_a_config_error(tmp_path: Path) -> None:
    done = run_briefer("--debug", "make", "--config", str(tmp_path / "missing.toml"), timeout=60)
    assert done.returncode == 2
    assert "Traceback" in done.stderr
    assert done.stderr.endswith(f"Error: {tmp_path / 'missing.toml'}: config file not found\n")
