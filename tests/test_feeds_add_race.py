"""`briefer feeds add` run many times at once on one settings file keeps every feed,
and the settings file keeps its permissions."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

from .clirun import run_briefer
from .feedserver import FeedServer, sample_feed

WRITERS = 8


def _held_feed(body: bytes, barrier: threading.Barrier):
    """A feed answered only once every writer has asked for its own: all of them
    then read and rewrite the settings file at the same moment."""

    def handler(request) -> None:
        barrier.wait(timeout=120)
        request.send_bytes(200, body, "application/rss+xml")

    return handler


def test_concurrent_feeds_add_keeps_every_feed_and_the_mode(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    desk = tmp_path / "desk"
    assert run_briefer("init", str(desk), "-q").returncode == 0
    config = desk / "config" / "briefer.toml"
    config.chmod(0o640)
    barrier = threading.Barrier(WRITERS)
    urls = [
        feed_server.handle(f"/f{n}.xml", _held_feed(sample_feed(2, prefix=f"f{n}"), barrier))
        for n in range(WRITERS)
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFER_")}
    writers = [
        subprocess.Popen(
            [sys.executable, "-m", "briefer", "feeds", "add", url, "--config", str(config)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for url in urls
    ]
    results = [(w.communicate(timeout=180), w.returncode) for w in writers]
    for (out, err), code in results:
        assert code == 0, err
        assert out.splitlines()[-1] == f"Added to {config}"
    listed = [f["url"] for f in tomllib.loads(config.read_text(encoding="utf-8"))["feeds"]]
    assert sorted(listed) == sorted(urls)
    assert stat.S_IMODE(config.stat().st_mode) == 0o640
    assert sorted(p.name for p in config.parent.glob(".briefer-*")) == []  # no temp left


def test_feeds_add_keeps_a_private_settings_file_private(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    desk = tmp_path / "desk"
    assert run_briefer("init", str(desk), "-q").returncode == 0
    config = desk / "config" / "briefer.toml"
    for mode in (0o600, 0o640, 0o664):
        config.chmod(mode)
        url = feed_server.add(f"/m{mode:o}.xml", sample_feed(2, prefix=f"m{mode:o}"))
        done = run_briefer("feeds", "add", url, "-q", cwd=desk, preexec=lambda: os.umask(0o022))
        assert done.returncode == 0, done.stderr
        assert url in config.read_text(encoding="utf-8")
        assert stat.S_IMODE(config.stat().st_mode) == mode


def test_feeds_add_writes_through_a_symlinked_settings_file(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    # The settings file kept elsewhere (a dotfiles folder) and linked in.
    desk = tmp_path / "desk"
    assert run_briefer("init", str(desk), "-q").returncode == 0
    config = desk / "config" / "briefer.toml"
    kept = tmp_path / "dotfiles" / "briefer.toml"
    kept.parent.mkdir()
    kept.write_bytes(config.read_bytes())
    config.unlink()
    config.symlink_to(kept)
    url = feed_server.add("/linked.xml", sample_feed(2, prefix="linked"))
    done = run_briefer("feeds", "add", url, "-q", cwd=desk)
    assert done.returncode == 0, done.stderr
    assert config.is_symlink() and config.resolve() == kept.resolve()
    assert url in kept.read_text(encoding="utf-8")
    assert not [p for p in (*config.parent.iterdir(), *kept.parent.iterdir())
                if p.name.endswith(".tmp")]  # fmt: skip
