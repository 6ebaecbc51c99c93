"""`briefer init`, `briefer feeds add/list`: a new desk from nothing to its first memo."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from briefer.scaffold import settings_text
from briefer.settings import load_settings

from .clirun import run_briefer
from .feedserver import FeedServer, rfc822, rss


def _recent(hours: int) -> str:
    return (datetime.now(UTC) - timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def _items() -> list[dict[str, str]]:
    return [
        {
            "title": "Israeli strikes kill 13 in Gaza despite ceasefire",
            "link": "https://news.example/gaza-13",
            "guid": "https://news.example/gaza-13",
            "description": "Gaza's civil defence agency said Israeli strikes killed 13 people, "
            "including five children, despite the ceasefire.",
            "pubDate": rfc822(_recent(3)),
        },
        {
            "title": "Iran cut off from the internet as protests spread",
            "link": "https://news.example/iran-net",
            "guid": "https://news.example/iran-net",
            "description": "Iran was plunged into an internet blackout as protests against the "
            "regime spread to dozens of cities.",
            "pubDate": rfc822(_recent(2)),
        },
    ]


def test_init_then_feeds_add_then_make(tmp_path: Path, feed_server: FeedServer) -> None:
    desk = tmp_path / "desk"
    done = run_briefer("init", str(desk))
    assert done.returncode == 0, done.stderr
    assert (desk / "config" / "briefer.toml").is_file()
    url = feed_server.add("/wire.xml", rss(_items(), title="Wire"))
    before = (desk / "config" / "briefer.toml").read_text(encoding="utf-8")

    added = run_briefer("feeds", "add", url, "--name", "Wire", cwd=desk)
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("Found 'Wire': 2 items, newest ")
    after = (desk / "config" / "briefer.toml").read_text(encoding="utf-8")
    assert after.startswith(before.rstrip())  # every comment kept
    assert tomllib.loads(after)["feeds"] == [{"url": url, "name": "Wire"}]

    made = run_briefer("make", cwd=desk)
    assert made.returncode == 0, made.stderr
    memo = (desk / "out" / "latest.md").read_text(encoding="utf-8")
    assert "13 people" in memo and "internet" in memo

    listed = run_briefer("feeds", "list", cwd=desk)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[0] == f"{url} (Wire)"
    assert "items kept: 2" in listed.stdout


def test_init_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "briefer.toml").write_text("budget_words = 500\n", encoding="utf-8")
    done = run_briefer("init", str(tmp_path))
    assert done.returncode == 2
    assert "briefer.toml: already exists" in done.stderr
    assert (tmp_path / "config" / "briefer.toml").read_text() == "budget_words = 500\n"
    assert not (tmp_path / "templates").exists()


def test_the_settings_file_it_writes_is_valid_and_complete(tmp_path: Path) -> None:
    path = tmp_path / "briefer.toml"
    path.write_text(settings_text(), encoding="utf-8")
    settings = load_settings(path)
    assert settings.seeds_dir == (tmp_path / "../seeds").resolve()
    text = path.read_text(encoding="utf-8")
    for key in ("budget_words", "stale_after_days", "run_deadline", "password_env", "cron"):
        assert f"# {key} =" in text


def test_feeds_add_refuses_what_is_not_a_feed(tmp_path: Path, feed_server: FeedServer) -> None:
    run_briefer("init", str(tmp_path))
    page = feed_server.add(
        "/page.html", b"<html><head><title>Home</title></head><body>Hi</body></html>",
        content_type="text/html",
    )  # fmt: skip
    done = run_briefer("feeds", "add", page, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == f"Error: {page}: got an HTML page, not a feed ('Home')\n"
    assert "feeds" not in tomllib.loads((tmp_path / "config" / "briefer.toml").read_text())
    again = run_briefer("feeds", "add", "ftp://example.org/feed", cwd=tmp_path)
    assert "a feed address starts with http:// or https://" in again.stderr


def test_feeds_add_refuses_a_feed_listed_twice(tmp_path: Path, feed_server: FeedServer) -> None:
    run_briefer("init", str(tmp_path))
    url = feed_server.add("/wire.xml", rss(_items(), title="Wire"))
    assert run_briefer("feeds", "add", url, cwd=tmp_path).returncode == 0
    twice = run_briefer("feeds", "add", url, cwd=tmp_path)
    assert twice.returncode == 2 and f"{url} is already listed" in twice.stderr


def test_quiet_init_and_feeds_add_print_nothing(tmp_path: Path, feed_server: FeedServer) -> None:
    desk = tmp_path / "desk"
    done = run_briefer("init", str(desk), "--quiet")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert (desk / "config" / "briefer.toml").is_file()
    url = feed_server.add("/wire.xml", rss(_items(), title="Wire"))
    added = run_briefer("feeds", "add", url, "-q", cwd=desk)
    assert (added.returncode, added.stdout, added.stderr) == (0, "", "")
    assert url in (desk / "config" / "briefer.toml").read_text(encoding="utf-8")
