"""A password never shows: not from a feed address, a redirect, an item link.

A feed address never holds its password (`feeds add` and the settings
file refuse `user:password@`, saying where it goes: `user` and
`password_env` or `password_file`); the login goes to the feed's own
origin only; and every address briefer prints, logs, stores or writes into
a memo has its password masked (`user:***@`). Real CLI, real HTTP server
on loopback.
"""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
import time
import tomllib
import zipfile
from pathlib import Path

import pytest

from briefer.redact import has_password, redacted

from .clirun import run_briefer
from .feedserver import FeedServer, rss, sample_feed
from .helpers import ROOT

SECRET = "s3cret-Pa55"
AS_OF = "2026-01-05T18:00"
HELP = (
    "a feed address never holds its password; set the feed's user, and password_env "
    "(the environment variable holding it) or password_file"
)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("http://u:pw@h/x", "http://u:***@h/x"),
        ("https://u:p@ss:w@h:8443/f.xml", "https://u:***@h:8443/f.xml"),  # "@" in the password
        ("HTTP://:pw@h/", "HTTP://:***@h/"),
        ("loop: http://a:b@h/x -> http://c:d@h/y", "loop: http://a:***@h/x -> http://c:***@h/y"),
        ("'http://u:pw@h': HTTP 404", "'http://u:***@h': HTTP 404"),
        ("http://u@h/x", "http://u@h/x"),  # a user name alone is no secret
        ("http://h:8080/a@b?c=d@e", "http://h:8080/a@b?c=d@e"),  # "@" after the host
        ("http://[::1]:80/feed", "http://[::1]:80/feed"),
        ("write to desk@example.org: x", "write to desk@example.org: x"),
    ],
)
def test_redacted_masks_the_password_of_every_address(text: str, shown: str) -> None:
    assert redacted(text) == shown
    assert has_password(text) == (text != shown)


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def _login_required(body: bytes, user: str, password: str):
    def handler(request) -> None:
        if request.headers.get("Authorization") != _basic(user, password):
            request.send_bytes(401, b"login needed", "text/plain", {"WWW-Authenticate": "Basic"})
            return
        request.send_bytes(200, body, "application/rss+xml")

    return handler


def _redirect(location: str):
    def handler(request) -> None:
        request.send_bytes(302, b"", "text/plain", {"Location": location})

    return handler


def _desk(tmp_path: Path, feeds: str = "") -> Path:
    desk = tmp_path / "desk"
    assert run_briefer("init", str(desk), "-q").returncode == 0
    config = desk / "config" / "briefer.toml"
    with config.open("a", encoding="utf-8") as handle:
        handle.write(feeds)
    return desk


def _no_secret(*texts: str) -> None:
    for text in texts:
        assert SECRET not in text, text


def _no_secret_in_files(folder: Path) -> None:
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        assert SECRET.encode() not in data, path
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as docx:
                for name in docx.namelist():
                    assert SECRET.encode() not in docx.read(name), (path, name)


def test_feeds_add_refuses_an_address_holding_a_password(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    desk = _desk(tmp_path)
    config = desk / "config" / "briefer.toml"
    before = config.read_text(encoding="utf-8")
    url = feed_server.add("/private.xml", sample_feed(2))
    with_password = url.replace("http://", f"http://reader:{SECRET}@")
    done = run_briefer("feeds", "add", with_password, cwd=desk)
    assert done.returncode == 2
    assert done.stderr == (
        f"Error: {url.replace('http://', 'http://reader:***@')}: a feed address never holds "
        "its password; give --user NAME and --password-env VARIABLE (or --password-file FILE)\n"
    )
    assert done.stdout == ""
    assert feed_server.hits == []  # not even fetched
    assert config.read_text(encoding="utf-8") == before


@pytest.fixture
def hand_written(tmp_path: Path, feed_server: FeedServer) -> tuple[Path, str]:
    """A settings file written by hand with a password in a feed address."""
    url = feed_server.add("/private.xml", sample_feed(2))
    with_password = url.replace("http://", f"http://reader:{SECRET}@")
    desk = _desk(tmp_path, f'\n[[feeds]]\nurl = "{with_password}"\n')
    shown = url.replace("http://", "http://reader:***@")
    return desk, shown


@pytest.mark.parametrize(
    "command",
    [["make"], ["fetch"], ["feeds", "list"], ["check"], ["explain"], ["status"], ["daemon"]],
    ids=lambda c: "-".join(c),
)
def test_a_password_in_a_hand_written_feed_address_is_refused_unshown(
    hand_written: tuple[Path, str], feed_server: FeedServer, command: list[str]
) -> None:
    desk, shown = hand_written
    done = run_briefer(*command, cwd=desk)
    assert done.returncode == 2
    config = Path("config") / "briefer.toml"  # found in the working folder
    assert done.stderr == f"Error: {config}: feeds.0.url: {HELP} (got '{shown}')\n"
    _no_secret(done.stdout, done.stderr)
    assert feed_server.hits == []
    assert not (desk / "state").exists() and not (desk / "out").exists()


def test_a_password_in_the_environment_or_a_password_key_is_refused_unshown(
    tmp_path: Path,
) -> None:
    desk = _desk(tmp_path)
    address = f"https://reader:{SECRET}@feeds.example/desk.xml"
    done = run_briefer("check", cwd=desk, env={"BRIEFER_FEEDS": f'[{{"url": "{address}"}}]'})
    assert done.returncode == 2
    assert done.stderr == (
        "Error: environment BRIEFER_FEEDS__0__URL: feeds.0.url: "
        f"{HELP} (got 'https://reader:***@feeds.example/desk.xml')\n"
    )
    keyed = _desk(
        tmp_path / "keyed",
        f'\n[[feeds]]\nurl = "https://feeds.example/desk.xml"\npassword = "{SECRET}"\n',
    )
    done = run_briefer("check", cwd=keyed)
    assert done.returncode == 2
    assert done.stderr == (
        f"Error: {Path('config') / 'briefer.toml'}: feeds.0.password: "
        f"a password is not read from the settings file; {HELP}\n"
    )


def test_a_feed_behind_a_login_takes_its_password_from_the_environment(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    # Item links that carry a password (the publisher's) are masked in the memo too.
    items = [
        {
            "title": f"Gaza ceasefire talks resume in Cairo, round {n}",
            "link": f"https://reader:{SECRET}@news.example/gaza-{n}",
            "guid": f"https://news.example/gaza-{n}",
            "description": f"Negotiators met in Cairo on day {n} to discuss extending the "
            "Gaza ceasefire and the release of hostages.",
            "pubDate": f"Mon, 05 Jan 2026 1{n}:00:00 +0000",
        }
        for n in range(3)
    ]
    url = feed_server.handle(
        "/desk.xml", _login_required(rss(items, title="Desk"), "reader", SECRET)
    )
    desk = _desk(tmp_path)
    config = desk / "config" / "briefer.toml"
    env = {"DESK_FEED_PW": SECRET}
    added = run_briefer(
        "feeds", "add", url, "--user", "reader", "--password-env", "DESK_FEED_PW",
        cwd=desk, env=env,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("Found 'Desk': 3 items")
    assert tomllib.loads(config.read_text(encoding="utf-8"))["feeds"] == [
        {"url": url, "user": "reader", "password_env": "DESK_FEED_PW"}
    ]
    runs = [
        run_briefer("make", "--as-of", AS_OF, cwd=desk, env=env),
        run_briefer("feeds", "list", cwd=desk, env=env),
        run_briefer("check", cwd=desk, env=env),
        run_briefer("explain", "--as-of", AS_OF, cwd=desk, env=env),
    ]
    for done in runs:
        assert done.returncode == 0, done.stderr
        _no_secret(done.stdout, done.stderr)
    memo = (desk / "out" / "latest.md").read_text(encoding="utf-8")
    assert "Cairo" in memo
    assert "https://reader:***@news.example/gaza-" in memo
    _no_secret_in_files(desk)  # the settings file, the memo (.md and .docx), the state
    assert {h.headers.get("authorization") for h in feed_server.hits} == {
        _basic("reader", SECRET)
    }


def test_a_feed_whose_password_cannot_be_read_fails_alone(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    locked = feed_server.handle("/desk.xml", _login_required(sample_feed(2), "reader", SECRET))
    open_feed = feed_server.add("/open.xml", sample_feed(3, prefix="open"))
    desk = _desk(
        tmp_path,
        f'\n[[feeds]]\nurl = "{locked}"\nuser = "reader"\npassword_env = "DESK_FEED_PW"\n'
        f'\n[[feeds]]\nurl = "{open_feed}"\n',
    )
    made = run_briefer("make", "--as-of", AS_OF, cwd=desk)
    assert made.returncode == 0, made.stderr
    assert (
        f"warning: feed {locked}: password_env: environment variable DESK_FEED_PW is not set\n"
        in made.stderr
    )
    assert "1 ok, 0 unchanged, 0 partial, 1 failed" in made.stderr
    assert [h.path for h in feed_server.hits] == ["/open.xml"]
    checked = run_briefer("check", cwd=desk)
    assert checked.returncode == 2
    assert checked.stderr == (
        f"Error: {desk / 'config' / 'briefer.toml'}: feeds.0.password_env: "
        "environment variable DESK_FEED_PW is not set\n"
    )
    # From a file instead (relative to the settings file): read, and never shown.
    (desk / "config" / "feed-password").write_text(SECRET + "\n", encoding="utf-8")
    text = (desk / "config" / "briefer.toml").read_text(encoding="utf-8")
    text = text.replace('password_env = "DESK_FEED_PW"', 'password_file = "feed-password"')
    (desk / "config" / "briefer.toml").write_text(text, encoding="utf-8")
    fetched = run_briefer("fetch", cwd=desk)
    assert fetched.returncode == 0, fetched.stderr
    assert fetched.stdout.startswith("Fetched 2 feeds in ")
    assert ": 2 ok, " in fetched.stdout or ": 1 ok, 1 unchanged, " in fetched.stdout
    _no_secret(made.stdout, made.stderr, checked.stderr, fetched.stdout, fetched.stderr)


def test_a_login_is_never_sent_to_another_origin(tmp_path: Path, feed_server: FeedServer) -> None:
    elsewhere = feed_server.add("/elsewhere.xml", sample_feed(2)).replace(
        "127.0.0.1", "localhost"
    )  # another host name: another origin, though the same server
    moved = feed_server.handle("/moved.xml", _redirect(elsewhere))
    desk = _desk(
        tmp_path,
        f'\n[[feeds]]\nurl = "{moved}"\nuser = "reader"\npassword_env = "DESK_FEED_PW"\n',
    )
    done = run_briefer("fetch", cwd=desk, env={"DESK_FEED_PW": SECRET})
    assert done.returncode == 0, done.stderr
    assert "1 ok" in done.stdout
    sent = {h.path: h.headers.get("authorization") for h in feed_server.hits}
    assert sent == {"/moved.xml": _basic("reader", SECRET), "/elsewhere.xml": None}


def _daemon(config: Path, **settings: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFER_")}
    env.update(settings)
    return subprocess.Popen(
        [sys.executable, "-m", "briefer", "daemon", "--config", str(config)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


@pytest.fixture
def looping(tmp_path: Path, feed_server: FeedServer) -> tuple[Path, str]:
    """A feed redirected to an address with a password, which redirects to itself."""
    loop = feed_server.url("/loop.xml").replace("http://", f"http://other:{SECRET}@")
    feed_server.handle("/loop.xml", _redirect(loop))
    start = feed_server.handle("/start.xml", _redirect(loop))
    return _desk(tmp_path, f'\n[[feeds]]\nurl = "{start}"\n'), start


def test_a_password_from_a_redirect_is_never_shown(looping: tuple[Path, str]) -> None:
    desk, start = looping
    shown_loop = f"http://other:***@{start.split('//')[1].replace('/start.xml', '/loop.xml')}"
    fetched = run_briefer("fetch", cwd=desk)
    assert fetched.returncode == 0, fetched.stderr
    assert f"warning: feed {start}: redirect loop: {start} -> {shown_loop} -> {shown_loop}\n" in (
        fetched.stderr
    )
    listed = run_briefer("feeds", "list", cwd=desk)
    assert f"  last error: redirect loop: {start} -> {shown_loop}" in listed.stdout
    _no_secret(fetched.stdout, fetched.stderr, listed.stdout, listed.stderr)
    _no_secret_in_files(desk / "state")

    # The daemon's log, with an edition from the seeds (the feed still loops).
    daemon = _daemon(
        desk / "config" / "briefer.toml",
        BRIEFER_SEEDS_DIR=str(ROOT / "seeds"),
        BRIEFER_SCHEDULE__INTERVAL="2",
    )
    try:
        ends = time.monotonic() + 60
        while (
            not list((desk / "out").glob("briefing-*.md"))
            and daemon.poll() is None
            and time.monotonic() < ends
        ):
            time.sleep(0.1)
    finally:
        daemon.send_signal(signal.SIGTERM)
        _, log = daemon.communicate(timeout=30)
    assert " edition briefing-" in log, log
    assert f"warning: feed {start}: redirect loop: " in log
    assert "other:***@" in log
    _no_secret(log)
    status = run_briefer("status", cwd=desk)
    _no_secret(status.stdout, status.stderr)
