"""The command line: exact messages and exit codes, help, and a real run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefer.cli import cli

from .helpers import CONFIG, GOLDEN_AS_OF, ROOT, make_args

GOOD = "Hamas freed 18 hostages under the Gaza ceasefire, officials said on Monday.\n"


@pytest.fixture(autouse=True)
def _state_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the project's own state folder out of the tests."""
    monkeypatch.setenv("BRIEFER_STATE_DIR", str(tmp_path / "state"))


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def folder(tmp_path: Path, **files: bytes) -> Path:
    seeds = tmp_path / "in"
    seeds.mkdir()
    for name, data in files.items():
        (seeds / name.replace("_", ".")).write_bytes(data)
    return seeds


def test_make_on_seeds_writes_both_files(tmp_path: Path) -> None:
    result = invoke(*make_args(tmp_path, ROOT / "seeds"))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Wrote ") and lines[0].endswith("briefing-2026-01-02-0700.docx")
    assert lines[1].endswith("briefing-2026-01-02-0700.md")
    assert lines[2].startswith("5 articles (5 on topic), ")
    assert " bullets in 4 sections, " in lines[2]
    assert result.stderr == ""
    assert (tmp_path / "out" / "latest.docx").is_file()


def test_missing_seeds_folder(tmp_path: Path) -> None:
    result = invoke(*make_args(tmp_path, tmp_path / "nope"))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path / 'nope'}: seeds folder not found\n"
    assert not (tmp_path / "out").exists()


def test_empty_folder(tmp_path: Path) -> None:
    seeds = folder(tmp_path)
    result = invoke(*make_args(tmp_path, seeds))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {seeds}: no article files (.txt or .md); nothing to brief\n"
    assert not list((tmp_path / "out").glob("briefing-*")) if (tmp_path / "out").exists() else True


def test_only_a_binary_file(tmp_path: Path) -> None:
    seeds = folder(tmp_path, bin_txt=b"\x00\x01\x02binary\x00")
    result = invoke(*make_args(tmp_path, seeds))
    assert result.exit_code == 1
    assert result.stderr == (
        f"warning: {seeds / 'bin.txt'}: skipped: binary file, not text\n"
        f"Error: {seeds}: none of the 1 article files could be used (see warnings above)\n"
    )


def test_binary_file_beside_a_good_one_does_not_sink_the_edition(tmp_path: Path) -> None:
    seeds = folder(tmp_path, bin_txt=b"\x00\x01\x02binary\x00", good_txt=GOOD.encode())
    result = invoke(*make_args(tmp_path, seeds))
    assert result.exit_code == 0
    assert result.stderr == f"warning: {seeds / 'bin.txt'}: skipped: binary file, not text\n"
    assert result.stdout.splitlines()[-1].startswith("1 article (1 on topic), 1 story -> 1 bullet")


def test_bad_utf8_file_is_read_with_a_warning(tmp_path: Path) -> None:
    seeds = folder(tmp_path, latin_txt=GOOD.replace("officials", "offici\xe9ls").encode("cp1252"))
    result = invoke(*make_args(tmp_path, seeds))
    assert result.exit_code == 0
    assert result.stderr == (
        f"warning: {seeds / 'latin.txt'}: not valid UTF-8 (byte 0xe9 at offset 56); "
        "read as Windows-1252\n"
    )


def test_control_characters_warn_and_are_dropped(tmp_path: Path) -> None:
    seeds = folder(tmp_path, ctl_txt=GOOD.replace("Hamas", "Ha\x1bmas").encode())
    result = invoke(*make_args(tmp_path, seeds))
    assert result.exit_code == 0
    assert result.stderr == f"warning: {seeds / 'ctl.txt'}: control characters removed\n"
    assert "\x1b" not in (tmp_path / "out" / "latest.md").read_text()


def test_bad_rules_file(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(
        '[[sections]]\nkey = "gaza"\ntitle = "Gaza"\n[sections.patterns]\n"[unclosed" = 1\n'
    )
    config = tmp_path / "briefer.toml"
    config.write_text(f'rules_file = "rules.toml"\nseeds_dir = "{ROOT / "seeds"}"\n')
    result = invoke("make", "--config", str(config), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {rules}: section 'gaza': patterns: bad regular expression '[unclosed': "
        "unterminated character set at position 9\n"
    )
    assert not (tmp_path / "out").exists()


def test_unknown_config_key(tmp_path: Path) -> None:
    config = tmp_path / "briefer.toml"
    config.write_text("budget_word = 500\n[memo]\ntitel = 'x'\n")
    result = invoke("make", "--config", str(config))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {config}: memo.titel: unknown key (did you mean 'title'?)\n"
        f"Error: {config}: budget_word: unknown key (did you mean 'budget_words'?)\n"
    )


def test_missing_config(tmp_path: Path) -> None:
    result = invoke("make", "--config", str(tmp_path / "nope.toml"))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path / 'nope.toml'}: config file not found\n"


def test_check_reports_ok_and_problems(tmp_path: Path) -> None:
    result = invoke("check", "--config", str(CONFIG))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1].startswith("OK: rules ")
    config = tmp_path / "briefer.toml"
    config.write_text('templates_dir = "nowhere"\nseeds_dir = "none"\n')
    result = invoke("check", "--config", str(config))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {tmp_path / 'nowhere' / 'briefing.md.j2'}: template not found\n"
        f"Error: {tmp_path / 'nowhere' / 'reference.docx'}: reference document not found\n"
        f"Error: {tmp_path / 'none'}: seeds folder not found\n"
    )


def test_check_says_whether_stories_are_grouped_by_meaning(tmp_path: Path) -> None:
    from briefer.summarize.meaning import default_model_dir

    result = invoke("check", "--config", str(CONFIG))
    assert f"OK: stories grouped by meaning, model {default_model_dir()}" in result.stdout
    missing = tmp_path / "no-model"
    result = invoke("check", "--config", str(CONFIG), env={"BRIEFER_MODEL_DIR": str(missing)})
    assert result.exit_code == 0
    assert (
        f"Note: stories grouped by their words only: {missing / 'model.safetensors'}: not found"
        in result.stdout
    )


def test_explain_lists_every_sentence(tmp_path: Path) -> None:
    seeds = folder(tmp_path, good_txt=(GOOD + "The football season opens soon.\n").encode())
    result = invoke("explain", "--config", str(CONFIG), "--seeds", str(seeds))
    assert result.exit_code == 0
    assert "KEEP #0" in result.stdout
    assert "drop #1   score=0      too short (5 words)" in result.stdout


def _command_paths() -> list[str]:
    import click

    paths = []
    for name, command in sorted(cli.commands.items()):
        paths.append(name)
        if isinstance(command, click.Group):
            paths.extend(f"{name} {sub}" for sub in sorted(command.commands))
    return paths


@pytest.mark.parametrize("name", _command_paths())
def test_every_command_documents_an_example(name: str) -> None:
    result = invoke(*name.split(), "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout and f"briefer {name}" in result.stdout


def test_top_level_help_has_examples() -> None:
    result = invoke("--help")
    assert "Examples:" in result.stdout and "briefer make" in result.stdout


def test_real_cli_in_a_subprocess(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFER_")}
    env["BRIEFER_STATE_DIR"] = str(tmp_path / "state")
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "briefer", "make", "--out", str(out), "--as-of", GOLDEN_AS_OF],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].startswith("5 articles (5 on topic), ")
    assert sorted(p.name for p in out.iterdir()) == [
        "briefing-2026-01-02-0700.docx",
        "briefing-2026-01-02-0700.md",
        "latest.docx",
        "latest.md",
    ]
    bad = subprocess.run(
        [sys.executable, "-m", "briefer", "make", "--config", "missing.toml"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2
    assert bad.stderr == "Error: missing.toml: config file not found\n"
    assert "Traceback" not in bad.stderr


def test_commands_never_import_the_command_line_module() -> None:
    import ast

    from .helpers import ROOT

    modules = sorted((ROOT / "briefer" / "commands").glob("*.py"))
    assert len(modules) > 5
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                name = "." * node.level + (node.module or "")
                assert name not in ("..cli", "briefer.cli"), f"{path.name} imports {name}"
