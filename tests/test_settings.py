"""Settings: file, environment, paths, and how mistakes are reported."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefer.errors import ConfigError
from briefer.settings import load_settings


def write(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "conf"
    folder.mkdir(exist_ok=True)
    path = folder / "briefer.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_paths_resolve_against_the_config_file(tmp_path: Path) -> None:
    path = write(tmp_path, 'seeds_dir = "../articles"\nout_dir = "memos"\nmodel_dir = "model"\n')
    settings = load_settings(path)
    assert settings.seeds_dir == (tmp_path / "articles").resolve()
    assert settings.out_dir == (tmp_path / "conf" / "memos").resolve()
    assert settings.model_dir == (tmp_path / "conf" / "model").resolve()
    assert settings.config_file == path.resolve()


def test_environment_overrides_file_and_nests(tmp_path: Path, monkeypatch) -> None:
    path = write(tmp_path, 'budget_words = 500\n[memo]\nto = "File desk"\n')
    monkeypatch.setenv("BRIEFER_BUDGET_WORDS", "900")
    monkeypatch.setenv("BRIEFER_MEMO__TO", "Env desk")
    settings = load_settings(path)
    assert settings.budget_words == 900
    assert settings.memo.to == "Env desk"


def test_command_line_overrides_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("BRIEFER_BUDGET_WORDS", "900")
    assert load_settings(write(tmp_path, ""), budget_words=300).budget_words == 300


def test_every_problem_reported_at_once_naming_file_and_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'budget_words = "lots"\ncolour = "red"\ntimezone = "Mars/Base"\n[memo]\nsubject = 1\n',
    )
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    assert set(err.value.lines) == {
        f"{path}: budget_words: Input should be a valid integer, unable to parse string as an "
        "integer (got 'lots')",
        f"{path}: colour: unknown key",
        f"{path}: timezone: unknown time zone 'Mars/Base'",
        f"{path}: memo.subject: unknown key",
    }


def test_environment_mistake_names_the_variable(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("BRIEFER_BUDGET_WORDS", "many")
    with pytest.raises(ConfigError) as err:
        load_settings(write(tmp_path, ""))
    assert err.value.lines[0].startswith("environment BRIEFER_BUDGET_WORDS: budget_words: ")


def test_explicit_missing_config_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "missing.toml")


def test_briefer_config_variable_is_used(tmp_path: Path, monkeypatch) -> None:
    path = write(tmp_path, "budget_words = 321\n")
    monkeypatch.setenv("BRIEFER_CONFIG", str(path))
    assert load_settings().budget_words == 321


def test_edition_time_from_as_of(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, ""), as_of="2026-01-06T07:00", timezone="UTC")
    assert settings.edition_time() == datetime(2026, 1, 6, 7, 0, tzinfo=UTC)


def test_every_field_has_a_description() -> None:
    from briefer.feedsettings import FeedSettings, FetchSettings
    from briefer.settings import MemoSettings, Settings

    for model in (Settings, MemoSettings, FeedSettings, FetchSettings):
        for name, field in model.model_fields.items():
            assert field.description, f"{model.__name__}.{name} has no description"
