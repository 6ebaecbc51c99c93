"""A whole edition from real January feeds served on loopback, via the real CLI."""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from .helpers import CORPORA, ROOT, needs_corpora

DAY = CORPORA / "news-feeds-2026-01" / "2026-01-05"
TOPIC = re.compile(
    r"gaza|hamas|hostage|ceasefire|truce|israel|iran|tehran|nuclear|saudi|normali[sz]|"
    r"lebanon|hezbollah|syria|palestin|west bank|netanyahu|khamenei|tehran|irgc",
    re.IGNORECASE,
)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def day_server() -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(DAY))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@needs_corpora
def test_make_with_the_eight_january_feeds(tmp_path: Path, day_server: str) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    feeds = "".join(
        f'[[feeds]]\nurl = "{day_server}/{p.name}"\nname = "{p.stem}"\n\n'
        for p in sorted(DAY.glob("*.xml"))
    )
    broken = f'[[feeds]]\nurl = "{day_server}/missing.xml"\nname = "broken"\n'
    config = tmp_path / "briefer.toml"
    config.write_text(
        f'seeds_dir = "seeds"\nout_dir = "out"\nstate_dir = "state"\n'
        f'rules_file = "{ROOT / "config" / "rules.toml"}"\n'
        f'templates_dir = "{ROOT / "templates"}"\ntimezone = "UTC"\n'
        f"[fetch]\nconnect_timeout = 5\nread_timeout = 5\ndeadline = 20\n\n{feeds}{broken}",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFER_")}
    done = subprocess.run(
        [sys.executable, "-m", "briefer", "make", "--config", str(config), "--as-of",
         "2026-01-05T12:00"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "missing.xml" in done.stderr  # the bad feed is named, the edition goes on
    memo = (tmp_path / "out" / "latest.md").read_text(encoding="utf-8")
    body = memo.split("\n## Sources")[0]
    placeholder = "- Nothing in this edition's sources."
    bullets = [line for line in body.splitlines() if line.startswith("- ") and line != placeholder]
    assert len(bullets) >= 4
    for bullet in bullets:
        assert TOPIC.search(bullet), bullet
    sections = re.findall(r"^## (.+)$", body, re.MULTILINE)
    assert sections[:2] == ["Bottom line", "Gaza ceasefire"]
    filled = [s for s in body.split("\n## ")[1:] if "Nothing in this edition" not in s]
    assert len(filled) >= 2  # the bottom line and at least one section from real items
    gaza = body.split("## Gaza ceasefire")[1].split("\n## ")[0]
    assert "Nothing in this edition" not in gaza


_NEVER = datetime.max.replace(tzinfo=UTC)


def _links(folder: Path, until: datetime | None = None) -> set[str]:
    """Item links of a day's feeds as memos show them; with ``until``, those published by then."""
    import feedparser

    from briefer.text import safe_url

    links = set()
    for path in folder.glob("*.xml"):
        for entry in feedparser.parse(path.read_bytes()).entries:
            stamp = entry.get("published_parsed")
            late = stamp is not None and datetime(*stamp[:6], tzinfo=UTC) > (until or _NEVER)
            if until is not None and late:
                continue
            shown = safe_url(entry.get("link"))  # without tracking parameters
            if shown:
                links.add(shown)
    return links


@needs_corpora
def test_whats_new_lists_the_items_new_on_day_two(tmp_path: Path) -> None:
    import shutil

    served = tmp_path / "served"
    shutil.copytree(CORPORA / "news-feeds-2026-01" / "2026-01-05", served)
    handler = functools.partial(_Quiet, directory=str(served))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    (tmp_path / "seeds").mkdir()
    feeds = "".join(
        f'[[feeds]]\nurl = "{base}/{p.name}"\nname = "{p.stem}"\n\n'
        for p in sorted(served.glob("*.xml"))
    )
    config = tmp_path / "briefer.toml"
    config.write_text(
        f'seeds_dir = "seeds"\nout_dir = "out"\nstate_dir = "state"\ntimezone = "UTC"\n'
        f'rules_file = "{ROOT / "config" / "rules.toml"}"\n'
        f'templates_dir = "{ROOT / "templates"}"\n\n{feeds}',
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFER_")}

    def make(as_of: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "briefer", "make", "--config", str(config), "--as-of", as_of],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return (tmp_path / "out" / "latest.md").read_text(encoding="utf-8")

    try:
        first = make("2026-01-05T12:00")
        day_two = CORPORA / "news-feeds-2026-01" / "2026-01-06"
        for path in day_two.glob("*.xml"):
            shutil.copy(path, served / path.name)
        second = make("2026-01-06T12:00")
    finally:
        server.shutdown()
        server.server_close()
    assert "Since " not in first and "**NEW**" not in first  # no previous edition
    # The change line, above the bottom line; never a second copy of the memo.
    change = re.search(r"^\*\*Since Mon\xa05\xa0Jan\xa012:00:\*\* .*$", second, re.MULTILINE)
    assert change, second[:600]
    assert second.index(change.group(0)) < second.index("## Bottom line")
    link = re.compile(r"^(\d+)\. .*?\]\((http[^)]+)\)", re.MULTILINE)
    sources = dict(link.findall(second))
    # New on day 2: items the day-1 edition could not have read (not in the
    # day-1 feeds, or published after the day-1 edition time).
    day_one = CORPORA / "news-feeds-2026-01" / "2026-01-05"
    read_on_day_one = _links(day_one, until=datetime(2026, 1, 5, 12, 0, tzinfo=UTC))
    new_links = set(sources.values()) - read_on_day_one
    assert {url for _, url in link.findall(first)} <= read_on_day_one
    body = second.split("\n## Sources")[0].split("\n## ", 1)[1]
    marked = 0
    bullet = re.compile(r"^- (\*\*(NEW|UPDATED)\*\* )?.* \[((?:\[\d+\]\(#src-\d+\)(?:, )?)+)\]")
    for line in body.splitlines():
        cited = bullet.match(line)
        if not cited:
            continue
        numbers = re.findall(r"\[(\d+)\]", cited.group(3))
        fresh = [sources.get(n) in new_links for n in numbers]
        if cited.group(2) == "NEW":
            marked += 1
            assert all(fresh), f"NEW, but a source was read on day 1: {line}"
        if all(fresh):
            assert cited.group(1), f"a story only day 2 told is not marked: {line}"
    assert marked
