"""A run where every feed answered "not modified" says so: on the command line and in the memo."""

from __future__ import annotations

from pathlib import Path

from briefer.sources.feeds import fetch_all

from .clirun import run_briefer
from .feedserver import FeedServer, sample_feed
from .helpers import ROOT, feed_settings

FIRST = "2026-01-05T12:00"
NEXT = "2026-01-06T07:00"


def desk(tmp_path: Path, *urls: str) -> Path:
    """A settings file reading ``urls`` (and an empty seeds folder)."""
    (tmp_path / "seeds").mkdir()
    feeds = "".join(f'[[feeds]]\nurl = "{u}"\n\n' for u in urls)
    config = tmp_path / "briefer.toml"
    config.write_text(
        f'seeds_dir = "seeds"\nout_dir = "out"\nstate_dir = "state"\n'
        f'rules_file = "{ROOT / "config" / "rules.toml"}"\n'
        f'templates_dir = "{ROOT / "templates"}"\ntimezone = "UTC"\n'
        f"[fetch]\nconnect_timeout = 5\nread_timeout = 5\ndeadline = 20\n\n{feeds}",
        encoding="utf-8",
    )
    return config


def test_the_fetch_line_says_no_feed_has_changed(feed_server: FeedServer, tmp_path: Path) -> None:
    urls = [feed_server.add(f"/{n}.xml", sample_feed(3, prefix=str(n))) for n in range(2)]
    settings = feed_settings(tmp_path, urls)
    first = fetch_all(settings, progress=False)
    second = fetch_all(settings, progress=False)
    assert not first.unchanged
    assert second.unchanged
    assert second.summary_line().endswith(": no feed has changed since the last fetch; 0 new items")
    assert first.summary_line().endswith(": 2 ok, 0 unchanged, 0 partial, 0 failed; 6 new items")


def test_fetch_and_make_say_no_feed_has_changed(feed_server: FeedServer, tmp_path: Path) -> None:
    urls = [feed_server.add(f"/{n}.xml", sample_feed(3, prefix=str(n))) for n in range(2)]
    config = desk(tmp_path, *urls)
    made = run_briefer("make", "--config", str(config), "--as-of", FIRST, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert ": 2 ok, 0 unchanged, 0 partial, 0 failed; 6 new items" in made.stderr
    fetched = run_briefer("fetch", "--config", str(config), cwd=tmp_path)
    assert fetched.returncode == 0, fetched.stderr
    assert fetched.stdout.startswith("Fetched 2 feeds in ")
    assert fetched.stdout.endswith(": no feed has changed since the last fetch; 0 new items\n")
    again = run_briefer("make", "--config", str(config), "--as-of", NEXT, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    line = "No feed has changed since the last fetch; nothing new since Mon 5 Jan 12:00."
    assert again.stdout.splitlines()[2] == line
    assert "no feed has changed since the last fetch; 0 new items" in again.stderr
    memo = (tmp_path / "out" / "latest.md").read_text(encoding="utf-8")
    glued = line.replace("Mon 5 Jan 12:00", "Mon\xa05\xa0Jan\xa012:00")
    assert f"\n**{glued}**\n" in memo

