"""Hostile article folders: link loops, pathological Markdown, UTF-16 files."""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from briefer.sources.files import read_folder

from .clirun import run_briefer
from .helpers import make_args

GOOD = "Hamas freed 18 hostages under the Gaza ceasefire, officials said on Monday.\n"


@contextmanager
def hang_guard(seconds: int) -> Iterator[None]:
    """Fail instead of hanging (a guard, not a timing assertion)."""

    def expire(*_: object) -> None:
        raise AssertionError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_symlink_loop_is_skipped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "good.txt").write_text(GOOD)
    os.symlink("b.txt", tmp_path / "a.txt")
    os.symlink("a.txt", tmp_path / "b.txt")
    os.symlink("missing.txt", tmp_path / "c.txt")
    with caplog.at_level(logging.WARNING, logger="briefer"):
        articles = read_folder(tmp_path, 10_000_000)
    assert [a.key for a in articles] == ["good.txt"]
    warnings = sorted(r.getMessage() for r in caplog.records)
    assert warnings == [
        f"{tmp_path / 'a.txt'}: skipped: a link that leads nowhere (a loop of symbolic links)",
        f"{tmp_path / 'b.txt'}: skipped: a link that leads nowhere (a loop of symbolic links)",
        f"{tmp_path / 'c.txt'}: skipped: a link that leads nowhere (no such file or directory)",
    ]


def test_symlink_loop_does_not_fail_the_edition(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "good.txt").write_text(GOOD)
    os.symlink("b.txt", seeds / "a.txt")
    os.symlink("a.txt", seeds / "b.txt")
    done = run_briefer(
        *make_args(tmp_path, seeds), env={"BRIEFER_STATE_DIR": str(tmp_path / "state")}
    )
    assert done.returncode == 0, done.stderr
    assert "loop of symbolic links" in done.stderr
    assert "unexpected failure" not in done.stderr
    assert (tmp_path / "out" / "latest.md").is_file()


@pytest.mark.parametrize(
    "line",
    ["[" * 200_000, "[a](" * 50_000, "](" * 100_000, "[a](x" * 40_000, "![" * 100_000],
    ids=["brackets", "open-links", "closers", "unclosed-addresses", "images"],
)
def test_markdown_link_stripping_is_linear(tmp_path: Path, line: str) -> None:
    (tmp_path / "a.md").write_text(f"{line} and the ceasefire held.\n", encoding="utf-8")
    with hang_guard(10):
        articles = list(read_folder(tmp_path, 10_000_000))
    assert sum(len(p) for a in articles for p in a.paragraphs) <= len(line) + 40


def _body(tmp_path: Path, text: str) -> str:
    (tmp_path / "a.md").write_text(text + "\n", encoding="utf-8")
    (article,) = read_folder(tmp_path, 10_000_000)
    return " ".join(article.paragraphs)


def test_markdown_links_keep_their_text(tmp_path: Path) -> None:
    link = "See [the report](https://x.org/a_(b)) now that the ceasefire held."
    assert _body(tmp_path, link) == "See the report now that the ceasefire held."
    image = 'A [link](http://a.b/c "t") and ![img](i.png) showed the ceasefire held.'
    assert _body(tmp_path, image) == "A link and img showed the ceasefire held."
    bold = "**Bold** [x](u) said the ceasefire held."
    assert _body(tmp_path, bold) == "Bold x said the ceasefire held."


def test_a_line_of_brackets_in_an_article_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD + "\n" + "[" * 200_000 + "\n")
    with hang_guard(30):
        articles = read_folder(tmp_path, 10_000_000)
    assert len(articles) == 1


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_files_with_a_bom_are_read(tmp_path: Path, codec: str) -> None:
    bom = {"utf-16-be": b"\xfe\xff"}.get(codec, b"")
    (tmp_path / "a.txt").write_bytes(bom + ("Café talks: " + GOOD).encode(codec))
    articles = read_folder(tmp_path, 10_000_000)
    assert [a.paragraphs for a in articles] == [("Café talks: " + GOOD.strip(),)]


def test_utf16_without_a_bom_is_still_binary(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "a.txt").write_bytes(GOOD.encode("utf-16-le"))
    with caplog.at_level(logging.WARNING, logger="briefer"):
        assert read_folder(tmp_path, 10_000_000) == []
    assert "binary file" in caplog.text
