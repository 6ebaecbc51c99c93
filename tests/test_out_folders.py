"""Two out folders on one state folder (``--out memos/`` beside ``out/``).

An edition is known by its out folder and its name: two editions of the
same minute in two folders share a name and are two records, each with its
own status, change line and mail. The real CLI in subprocesses, mail to a
real SMTP server on loopback.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefer.state import FILENAME, StateStore

from .clirun import run_briefer
from .helpers import GOLDEN_AS_OF, ROOT, SEEDS, query
from .test_mail import Handler, Servers

STEM = "briefing-2026-01-02-0700"
NEXT_DAY = "2026-01-03T07:00:00+00:00"
WHEN = datetime(2026, 1, 2, 7, 0, tzinfo=UTC)
DESKS = ("out", "memos")


@pytest.fixture
def servers() -> Iterator[Servers]:
    started = Servers()
    yield started
    started.stop()


def desk_config(tmp_path: Path, port: int | None = None) -> Path:
    """Settings shared by both desks: one state folder; mail to ``port`` if given."""
    config = tmp_path / "briefer.toml"
    text = (
        f'seeds_dir = "{SEEDS}"\nout_dir = "out"\nstate_dir = "state"\n'
        f'rules_file = "{ROOT / "config" / "rules.toml"}"\n'
        f'templates_dir = "{ROOT / "templates"}"\ntimezone = "UTC"\n'
    )
    if port is not None:
        text += (
            f'\n[delivery]\nsmtp_host = "127.0.0.1"\nsmtp_port = {port}\nsecurity = "none"\n'
            'sender = "briefings@example.org"\nto = ["desk@example.org"]\n'
            'retry_wait = 0.01\nsubject = "{title}: {edition_time}"\n'
        )
    config.write_text(text, encoding="utf-8")
    return config


def desk_env(desk: str) -> dict[str, str]:
    """Each desk titles its memo after itself, so a message tells which desk sent it."""
    return {"BRIEFER_MEMO__TITLE": f"Desk {desk}"}


def briefer(tmp_path: Path, config: Path, *args: str, desk: str = "out"):
    return run_briefer(
        *args, "--config", str(config), "--out", str(tmp_path / desk), cwd=tmp_path,
        env=desk_env(desk),
    )  # fmt: skip


def records(tmp_path: Path) -> list[tuple[str, str]]:
    """(out folder name, stem) of every published edition in the state file."""
    sql = "SELECT out_dir, stem FROM editions WHERE published = 1"
    rows = query(tmp_path / "state" / FILENAME, sql)
    return sorted((Path(folder).name, stem) for folder, stem in rows)


def mailed(handler: Handler) -> Counter[str]:
    """``desk/stem`` of each message the server accepted, by its subject and attachment."""
    seen: Counter[str] = Counter()
    for got in handler.messages:
        message = got.parsed()
        desk = str(message["Subject"]).split(":")[0].removeprefix("Desk ")
        [docx] = [a.get_filename() for a in message.iter_attachments()
                  if a.get_filename().endswith(".docx")]  # fmt: skip
        seen[f"{desk}/{docx.removesuffix('.docx')}"] += 1
    return seen


def test_editions_of_one_minute_in_two_folders_keep_their_own_records(tmp_path: Path) -> None:
    config = desk_config(tmp_path)
    for desk in DESKS:
        done = briefer(tmp_path, config, "make", "--as-of", GOLDEN_AS_OF, desk=desk)
        assert done.returncode == 0, done.stderr
    assert records(tmp_path) == [("memos", STEM), ("out", STEM)]
    for desk in DESKS:
        status = briefer(tmp_path, config, "status", desk=desk)
        assert status.returncode == 0, status.stderr
        assert status.stdout.splitlines()[1] == (
            f"last edition: {STEM} (edition time 2026-01-02 07:00:00, "
            f"{(tmp_path / desk / STEM).with_suffix('.docx')})"
        )
    # Each desk's next edition compares with its own previous one.
    for desk in DESKS:
        done = briefer(tmp_path, config, "make", "--as-of", NEXT_DAY, desk=desk)
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[2] == "Nothing new since Fri 2 Jan 07:00."
    assert len(records(tmp_path)) == 4


def test_each_desk_mails_its_own_edition_once(servers: Servers, tmp_path: Path) -> None:
    server = servers.start()
    config = desk_config(tmp_path, server.port)
    for desk in DESKS:
        done = briefer(tmp_path, config, "make", "--send", "--as-of", GOLDEN_AS_OF, desk=desk)
        assert done.returncode == 0, done.stderr
        assert f"Sent {STEM} to 1 recipient via 127.0.0.1:{server.port}" in done.stdout
    assert mailed(server.handler) == {f"out/{STEM}": 1, f"memos/{STEM}": 1}
    for desk in DESKS:
        done = briefer(tmp_path, config, "send", desk=desk)
        assert (done.returncode, done.stdout) == (
            0,
            f"Nothing to send: every recipient (1) already has {STEM} "
            "(use --force to send it again)\n",
        )
    done = briefer(tmp_path, config, "send", "--force", desk="memos")
    assert done.returncode == 0, done.stderr
    assert mailed(server.handler) == {f"out/{STEM}": 1, f"memos/{STEM}": 2}


def test_makes_started_at_once_on_two_folders_are_all_recorded_and_mailed_once(
    servers: Servers, tmp_path: Path
) -> None:
    server = servers.start()
    config = desk_config(tmp_path, server.port)
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFER_")}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "briefer", "make", "--send", "--no-fetch",
             "--as-of", GOLDEN_AS_OF, "--config", str(config), "--out", str(tmp_path / desk)],
            cwd=tmp_path, env={**clean, **desk_env(desk)}, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        for desk in ("out", "memos", "out", "memos")
    ]  # fmt: skip
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    both = [(desk, stem) for desk in DESKS for stem in (STEM, f"{STEM}-2")]
    assert records(tmp_path) == sorted(both)
    assert mailed(server.handler) == {f"{desk}/{stem}": 1 for desk, stem in both}


# -- a state file written before editions were known by their folder ----------

_OLD_SCHEMA = """
CREATE TABLE editions (
    stem TEXT PRIMARY KEY, edition_time TEXT NOT NULL, written_at TEXT NOT NULL,
    docx TEXT NOT NULL, markdown TEXT NOT NULL, items TEXT NOT NULL,
    articles TEXT NOT NULL DEFAULT '[]', published INTEGER NOT NULL DEFAULT 1,
    stream TEXT NOT NULL DEFAULT '', out_dir TEXT NOT NULL DEFAULT ''
);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, slot TEXT NOT NULL, started_at TEXT NOT NULL,
    finished_at TEXT, ok INTEGER, error TEXT, edition TEXT
);
CREATE TABLE deliveries (
    edition TEXT NOT NULL, recipient TEXT NOT NULL, sent_at TEXT NOT NULL,
    message_id TEXT NOT NULL, PRIMARY KEY (edition, recipient)
);
CREATE TABLE delivery_failures (
    edition TEXT PRIMARY KEY, failed_at TEXT NOT NULL, error TEXT NOT NULL,
    attempts INTEGER NOT NULL
);
"""
# The first state files had no published, stream or out_dir column.
_FIRST_EDITIONS = """
CREATE TABLE editions (
    stem TEXT PRIMARY KEY, edition_time TEXT NOT NULL, written_at TEXT NOT NULL,
    docx TEXT NOT NULL, markdown TEXT NOT NULL, items TEXT NOT NULL,
    articles TEXT NOT NULL DEFAULT '[]'
);
"""
_ITEM = '[["gaza", "A ceasefire was agreed.", "a.txt", 0, [1]]]'


def _old_state(state: Path, first: bool) -> None:
    state.mkdir()
    db = sqlite3.connect(state / FILENAME)
    schema = _OLD_SCHEMA
    if first:
        schema = _FIRST_EDITIONS + schema.split(");", 1)[1]
    db.executescript(schema)
    rows = [
        (STEM, "2026-01-02T07:00:00+00:00", state.parent / "out"),
        ("briefing-2026-01-01-0700", "2026-01-01T07:00:00+00:00", state.parent / "memos"),
    ]
    for stem, when, folder in rows:
        values = [stem, when, when, str(folder / f"{stem}.docx"), str(folder / f"{stem}.md"),
                  _ITEM, '["a.txt"]']  # fmt: skip
        if first:
            db.execute("INSERT INTO editions VALUES (?, ?, ?, ?, ?, ?, ?)", values)
        else:
            db.execute(
                "INSERT INTO editions VALUES (?, ?, ?, ?, ?, ?, ?, 1, 'k', ?)",
                [*values, str(folder)],
            )
    db.execute("INSERT INTO deliveries VALUES (?, 'desk@example.org', 'now', '<m1>')", (STEM,))
    db.execute("INSERT INTO delivery_failures VALUES (?, 'now', 'refused', 1)", (STEM,))
    db.execute("INSERT INTO delivery_failures VALUES ('briefing-1999-01-01-0700', 'now', 'x', 1)")
    db.commit()
    db.close()


@pytest.mark.parametrize("first", [False, True], ids=["with-folders", "first-files"])
def test_an_older_state_file_is_migrated_and_keeps_its_records(
    tmp_path: Path, first: bool
) -> None:
    state = tmp_path / "state"
    _old_state(state, first)
    out, memos = tmp_path / "out", tmp_path / "memos"
    with StateStore(state) as store:
        old = store.edition(STEM, out)
        assert old is not None and old.out_dir == out
        assert old.items[0].text == "A ceasefire was agreed."
        assert store.latest_edition(out_dir=memos).stem == "briefing-2026-01-01-0700"
        assert store.delivered_to(STEM, out_dir=out) == {"desk@example.org"}
        assert store.delivered_to(STEM, out_dir=memos) == set()
        assert store.undelivered(out_dir=out) == [(STEM, "refused")]
        # The same name in another folder is a record of its own now.
        store.record_edition(STEM, old.edition_time, memos / f"{STEM}.docx",
                             memos / f"{STEM}.md", old.items)  # fmt: skip
        assert store.edition(STEM, out) == old
        assert {e.out_dir for e in store.editions()} == {out, memos}
        assert len(store.editions()) == 3
    assert query(state / FILENAME, "PRAGMA user_version") == [(1,)]
    # Opened again (as every run does), nothing changes.
    with StateStore(state) as store:
        assert len(store.editions()) == 3


def test_an_edition_name_is_looked_up_in_the_out_folder_first(tmp_path: Path, settings) -> None:
    from briefer.errors import DeliveryError
    from briefer.outfolder import find_edition

    out, memos = tmp_path / "out", tmp_path / "memos"
    with StateStore(tmp_path / "state") as store:
        for folder in (out, memos):
            store.record_edition(STEM, WHEN, folder / f"{STEM}.docx", folder / f"{STEM}.md", ())
        assert find_edition(settings(out_dir=memos), store, STEM).out_dir == memos
        assert find_edition(settings(out_dir=out), store, STEM).out_dir == out
        store.forget_edition(STEM, out_dir=out)
        assert find_edition(settings(out_dir=tmp_path / "other"), store, STEM).out_dir == memos
        store.record_edition(STEM, WHEN, out / f"{STEM}.docx", out / f"{STEM}.md", ())
        with pytest.raises(DeliveryError) as caught:
            find_edition(settings(out_dir=tmp_path / "other"), store, STEM)
    assert str(caught.value) == (
        f"edition {STEM!r} is in several folders ({memos}, {out}) and not in "
        f"{tmp_path / 'other'}: give the path to its .docx"
    )
