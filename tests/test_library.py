"""The library face: ``from briefer import load_settings, build_brief, make_edition``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import briefer
from briefer import (
    ConfigError,
    Setup,
    build_brief,
    check_setup,
    load_settings,
    make_edition,
    read_status,
)

from .helpers import CONFIG, GOLDEN_AS_OF, SEEDS


def _settings(tmp_path: Path, **overrides: object):
    values: dict[str, object] = {
        "seeds_dir": SEEDS,
        "out_dir": tmp_path / "out",
        "state_dir": tmp_path / "state",
        "as_of": GOLDEN_AS_OF,
        "feeds": (),
    }
    # A plain string path works as well as a Path.
    return load_settings(str(CONFIG), **{**values, **overrides})


def test_every_exported_name_resolves_and_nothing_else_does() -> None:
    for name in briefer.__all__:
        assert getattr(briefer, name) is not None
    assert set(dir(briefer)) >= set(briefer.__all__)
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        briefer.nothing_here  # noqa: B018


def test_importing_briefer_loads_nothing_heavy() -> None:
    code = "import sys, briefer; print(sorted(m for m in sys.modules if m.split('.')[0] in "
    code += "('pydantic', 'docx', 'jinja2', 'feedparser', 'apscheduler', 'briefer')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['briefer']"


def test_build_then_make_then_status_then_check(tmp_path: Path) -> None:
    settings = _settings(tmp_path, budget_words=400)
    brief = build_brief(settings)
    assert brief.items and brief.sources
    assert not (tmp_path / "out").exists()  # building writes nothing
    assert read_status(settings).latest is None

    outcome = make_edition(settings, fetch=False)
    assert outcome.docx.is_file() and outcome.markdown.is_file()
    assert [i.text for i in outcome.brief.items] == [i.text for i in brief.items]
    status = read_status(settings)
    assert status.latest is not None and status.latest.stem == outcome.stem
    assert not status.daemon_running and status.last_error is None and not status.undelivered

    setup = check_setup(settings)
    assert isinstance(setup, Setup) and setup.delivery is None
    assert [s.rule.key for s in setup.rules.sections][:2] == ["gaza", "iran"]


def test_check_setup_names_every_problem(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[[sections]]\nkey = "x"\ntitle = "X"\npatterns = { "(unclosed" = 1 }\n')
    settings = _settings(tmp_path, rules_file=rules, seeds_dir=tmp_path / "missing")
    with pytest.raises(ConfigError) as caught:
        check_setup(settings)
    text = "\n".join(caught.value.lines)
    assert str(rules) in text and "(unclosed" in text
    assert str(tmp_path / "missing") in text


def test_all_and_the_export_table_agree() -> None:
    assert sorted(set(briefer.__all__) - {"__version__"}) == sorted(briefer._EXPORTS)
    from briefer import errors

    for name in ("SourceError", "DeliveryError", "StateError"):
        assert getattr(briefer, name) is getattr(errors, name)
