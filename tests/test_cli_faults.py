"""The command line as a user meets it: the real CLI in a subprocess, exact messages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .clirun import run_briefer
from .helpers import CONFIG, GOLDEN_AS_OF, ROOT, SEEDS


def config_for(tmp_path: Path, extra: str = "") -> Path:
    config = tmp_path / "briefer.toml"
    config.write_text(
        f'seeds_dir = "{SEEDS}"\nout_dir = "out"\nstate_dir = "state"\n'
        f'rules_file = "{ROOT / "config" / "rules.toml"}"\n'
        f'templates_dir = "{ROOT / "templates"}"\ntimezone = "UTC"\n{extra}',
        encoding="utf-8",
    )
    return config


def test_global_options_are_accepted_after_the_command(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.toml")
    before = ["--debug", "make", "--config", missing]
    for args in (before, ["make", "--config", missing, "--debug"]):
        done = run_briefer(*args, cwd=tmp_path, timeout=60)
        assert done.returncode == 2
        assert "Traceback" in done.stderr
        assert done.stderr.endswith(f"Error: {missing}: config file not found\n")
    # A group's own commands take them too.
    done = run_briefer("feeds", "list", "--config", str(CONFIG), "--debug", cwd=tmp_path)
    assert done.returncode == 0, done.stderr


def test_quiet_make_prints_nothing_on_success_and_errors_still(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    for n, args in enumerate((["make", "--quiet"], ["--quiet", "make"], ["make", "-q"])):
        as_of = f"2026-01-0{n + 2}T07:00"
        done = run_briefer(*args, "--config", str(config), "--as-of", as_of, cwd=tmp_path)
        assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert len(list((tmp_path / "out").glob("briefing-*.docx"))) == 3
    done = run_briefer("make", "--quiet", "--config", str(config), "--as-of", "yesterday")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "Error: --as-of: 'yesterday' is not a date and time; use 2026-01-06T07:00\n"
    )


def test_make_prints_the_change_line(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    first = run_briefer("make", "--config", str(config), "--as-of", GOLDEN_AS_OF, cwd=tmp_path)
    assert "since" not in first.stdout.lower()
    second = run_briefer("make", "--config", str(config), "--as-of", "2026-01-03T07:00")
    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines()[2] == "Nothing new since Fri 2 Jan 07:00."


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    # Enough articles that explain writes far more than a pipe holds (64 kB).
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    texts = sorted(SEEDS.glob("*.txt"))
    for n in range(40):
        source = texts[n % len(texts)]
        (seeds / f"{n:02d}-{source.name}").write_text(
            source.read_text(encoding="utf-8") + f"\nCopy {n} of the article.\n", encoding="utf-8"
        )
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefer", "explain", "--config", str(CONFIG), "--seeds",
         str(seeds)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    head = [proc.stdout.readline() for _ in range(3)]
    proc.stdout.close()  # as `| head -3` does
    err = proc.stderr.read()
    proc.wait(timeout=120)
    assert head[1].startswith("== ")
    assert proc.returncode in (0, 141)
    assert err == ""


def test_an_error_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    read, write = os.pipe()
    os.close(read)  # nobody will read what the error says
    with os.fdopen(write, "w") as closed:
        done = subprocess.run(
            [sys.executable, "-m", "briefer", "make", "--bogus"],
            cwd=tmp_path, stdout=closed, stderr=closed, timeout=60,
        )  # fmt: skip
    assert done.returncode == 141


def test_reference_generator_has_a_real_help_and_writes_nothing(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "briefer.render.reference", "--help"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("usage: python -m briefer.render.reference [-h] [path]")
    assert list(tmp_path.iterdir()) == []
    target = tmp_path / "ref" / "reference.docx"
    done = subprocess.run(
        [sys.executable, "-m", "briefer.render.reference", str(target)],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0 and done.stdout == f"Wrote {target}\n"
    assert target.is_file()


def test_make_without_settings_names_what_it_looked_for_and_leaves_nothing(
    tmp_path: Path,
) -> None:
    done = run_briefer("make", cwd=tmp_path, timeout=60)
    assert done.returncode == 2
    assert done.stderr == (
        "Error: seeds: seeds folder not found (no settings file: no --config given, "
        f"$BRIEFER_CONFIG not set and no config/briefer.toml in {tmp_path}; the defaults "
        "were used)\n"
    )
    assert list(tmp_path.iterdir()) == []  # no stray state/ or out/
    done = run_briefer("status", cwd=tmp_path, timeout=60)
    assert done.returncode == 0 and list(tmp_path.iterdir()) == []


def test_every_rules_mistake_is_reported_at_once(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(
        "[candidates]\nmax_word = 3\n"
        '[[sections]]\nkey = "gaza"\ntitle = "Gaza"\nmin_score = "high"\n'
        '[sections.terms]\n"gaza" = 1\n[sections.patterns]\n"[unclosed" = 1\n'
        '"(\\\\w+\\\\s?)+$" = 2\n'
        '[[sections]]\nkey = "gaza"\ntitle = "Iran"\nexclude = ["(x"]\n'
        '[sections.terms]\n"iran" = 1\n',
        encoding="utf-8",
    )
    config = config_for(tmp_path, f'rules_file = "{rules}"\n'.replace("\\", "\\\\"))
    config.write_text(
        config.read_text().replace(f'rules_file = "{ROOT / "config" / "rules.toml"}"\n', "")
    )
    for command in ("check", "make"):
        done = run_briefer(command, "--config", str(config), cwd=tmp_path, timeout=60)
        assert done.returncode == 2
        lines = done.stderr.splitlines()
        assert lines[0] == (
            f"Error: {rules}: candidates.max_word: unknown key (did you mean 'max_words'?)"
        )
        assert lines[1].startswith(f"Error: {rules}: section 'gaza': min_score: Input should be")
        assert lines[2] == (
            f"Error: {rules}: section 'gaza': patterns: bad regular expression '[unclosed': "
            "unterminated character set at position 9"
        )
        assert lines[3].startswith(
            f"Error: {rules}: section 'gaza': patterns: '(\\\\w+\\\\s?)+$' can backtrack"
        )
        assert lines[4] == (
            f"Error: {rules}: section 'gaza': exclude: bad regular expression '(x': "
            "missing ) at position 2"
        )
        assert lines[5] == f"Error: {rules}: section keys must be unique: gaza"
        assert len(lines) == 6
    assert not (tmp_path / "state").exists()


def test_check_shows_the_schedule_and_the_delivery_never_the_password(tmp_path: Path) -> None:
    config = config_for(
        tmp_path,
        '[schedule]\ncron = "0 7 * * *"\ntimezone = "Europe/London"\n'
        '[delivery]\nsmtp_host = "mail.example.org"\nsmtp_port = 587\nuser = "bot"\n'
        'password_env = "SMTP_PASSWORD"\nsender = "b@example.org"\n'
        'to = ["a@example.org", "c@example.org"]\nbcc = ["d@example.org"]\n',
    )
    done = run_briefer("check", "--config", str(config), env={"SMTP_PASSWORD": "hunter2-xyz"})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    schedule = next(line for line in lines if line.startswith("OK: schedule "))
    assert schedule.startswith("OK: schedule cron '0 7 * * *' in Europe/London, next run 20")
    assert schedule.endswith((" 07:00 GMT", " 07:00 BST"))
    assert lines[-1] == (
        "OK: delivery via mail.example.org:587 (starttls, login as bot) to 3 recipients, "
        "with briefer send only"
    )
    assert "hunter2" not in done.stdout + done.stderr
    assert run_briefer("check", "--config", str(config), "--quiet",
                       env={"SMTP_PASSWORD": "x"}).stdout == ""  # fmt: skip


def test_flag_errors_name_the_flag_and_the_accepted_form(tmp_path: Path) -> None:
    config = str(config_for(tmp_path))
    done = run_briefer("explain", "--config", config, "--as-of", "2026-13-01", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == (
        "Error: --as-of: '2026-13-01' is not a date and time; use 2026-01-06T07:00\n"
    )
    done = run_briefer("make", "--config", config, "--budget", "10", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (
        2,
        "Error: --budget: Input should be greater than or equal to 50 (got 10)\n",
    )
    assert not (tmp_path / "state").exists()


def test_out_of_range_dates_are_clear_errors_in_settings_and_harmless_in_articles(
    tmp_path: Path,
) -> None:
    config = config_for(tmp_path, "as_of = 0001-01-01T00:00:00\n")
    done = run_briefer("make", "--config", str(config), cwd=tmp_path, timeout=60)
    assert (done.returncode, done.stderr) == (
        2,
        f"Error: {config}: as_of: '0001-01-01T00:00:00' is out of range; use a time between "
        "the years 1900 and 9000\n",
    )
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    text = "Hamas and Israel agreed to resume Gaza ceasefire talks in Cairo, officials said.\n"
    (seeds / "a.txt").write_text("date 0001-01-01 " + text)
    (seeds / "b.txt").write_text(text.replace("Cairo", "Doha") + "Updated 31 Dec 9999\n")
    (seeds / "c.txt").write_text(text.replace("Cairo", "Gaza City"))
    (seeds / "sources.toml").write_text('["c.txt"]\npublished = 9999-12-31\n')
    config = config_for(tmp_path)  # the same settings without the as_of
    done = run_briefer(
        "make", "--config", str(config), "--seeds", str(seeds), "--as-of", GOLDEN_AS_OF,
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "unexpected" not in done.stderr


def test_a_command_line_mistake_is_one_line_naming_the_option(tmp_path: Path) -> None:
    cases = {
        ("make", "--budget", "abc"): "Error: Invalid value for '--budget': 'abc' is not a valid "
        "integer range (see 'briefer make --help')",
        ("make", "--nope"): "Error: No such option '--nope'. Did you mean '--no-fetch'? "
        "(see 'briefer make --help')",
        ("nosuch",): "Error: No such command 'nosuch' (see 'briefer --help')",
    }
    for args, line in cases.items():
        done = run_briefer(*args, cwd=tmp_path, timeout=60)
        assert (done.returncode, done.stdout, done.stderr) == (2, "", line + "\n"), args
    assert not any(tmp_path.iterdir())
    bare = run_briefer(cwd=tmp_path, timeout=60)  # no command: the help, as before
    assert "Commands:" in bare.stdout + bare.stderr


def test_many_sections_and_a_long_title_still_make_an_edition(tmp_path: Path) -> None:
    # A Word document property holds at most 255 characters: the section
    # titles joined as keywords, or a long memo.title, once stopped every
    # edition although `check` said OK.
    from docx import Document

    names = [
        "Lebanon and the northern front", "Syria's political transition",
        "Yemen and the Red Sea shipping lanes", "Iraq's militias and politics",
        "Egypt's economy and Sinai", "Jordan and the border", "Turkey's role in the region",
        "Gulf diplomacy and mediation", "Oil markets and OPEC output",
        "Humanitarian access and aid",
    ]  # fmt: skip
    rules = tmp_path / "rules.toml"
    rules.write_text(
        (ROOT / "config" / "rules.toml").read_text(encoding="utf-8")
        + "".join(
            f'\n[[sections]]\nkey = "extra{n}"\ntitle = "{name}"\nmin_score = 2.5\n'
            f'[sections.terms]\n"{name.split()[0].strip(",")}" = 3.0\n'
            for n, name in enumerate(names)
        ),
        encoding="utf-8",
    )
    title = " ".join(f"Regional security briefing part {n}" for n in range(1, 11))
    assert len(title) > 300
    config = tmp_path / "briefer.toml"
    config.write_text(
        f'seeds_dir = "{SEEDS}"\nrules_file = "rules.toml"\n'
        f'templates_dir = "{ROOT / "templates"}"\ntimezone = "UTC"\n'
        f'[memo]\ntitle = "{title}"\n',
        encoding="utf-8",
    )
    check = run_briefer("check", "--config", str(config), cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    done = run_briefer("make", "--config", str(config), "--as-of", GOLDEN_AS_OF, cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    (docx,) = (tmp_path / "out").glob("briefing-*.docx")
    doc = Document(str(docx))
    assert doc.paragraphs[0].text == title  # the memo itself keeps the whole title
    props = doc.core_properties
    texts = {
        name: getattr(props, name)
        for name in ("title", "subject", "author", "keywords", "comments", "category",
                     "identifier", "last_modified_by", "content_status", "language")
    }  # fmt: skip
    assert all(len(text) <= 255 for text in texts.values()), texts
    # The title is cut between two words, with an ellipsis.
    assert props.title.endswith("…")
    assert (title + " ").startswith(props.title.removesuffix("…").rstrip() + " ")
    # The keywords hold whole section titles, as many as fit, in memo order.
    assert props.keywords.endswith(", …")
    keywords = props.keywords.removesuffix(", …").split(", ")
    shown = ["Gaza ceasefire", "Iran", "Regional normalization", "Open questions", *names]
    assert len(keywords) < len(shown) and ", ".join(shown).startswith(", ".join(keywords))
    assert props.subject and props.identifier and props.comments
