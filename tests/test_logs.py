"""Log lines: one line each; with --debug, an unexpected failure keeps its traceback."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from briefer.logs import setup_logging

SECRET_URL = "https://reader:hunter2@feeds.example.org/rss"


@pytest.fixture
def restore_loggers() -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in ("briefer", "apscheduler")]
    saved = [(lg.handlers[:], lg.level, lg.propagate) for lg in loggers]
    yield
    for lg, (handlers, level, propagate) in zip(loggers, saved, strict=True):
        lg.handlers[:], lg.level, lg.propagate = handlers, level, propagate


def log_a_failure() -> None:
    log = logging.getLogger("briefer.sources")
    try:
        raise ValueError(f"bad answer from {SECRET_URL}")
    except ValueError:
        log.warning("feed %s: unexpected failure", SECRET_URL, exc_info=True)


def test_without_debug_a_failure_is_one_masked_line(capsys, restore_loggers) -> None:
    setup_logging(debug=False)
    log_a_failure()
    lines = capsys.readouterr().err.splitlines()
    assert lines == ["warning: feed https://reader:***@feeds.example.org/rss: unexpected failure"]


def test_with_debug_the_traceback_follows_indented_and_masked(capsys, restore_loggers) -> None:
    setup_logging(debug=True)
    log_a_failure()
    err = capsys.readouterr().err
    first, *trace = err.splitlines()
    assert first == "warning: feed https://reader:***@feeds.example.org/rss: unexpected failure"
    assert trace[0] == "    Traceback (most recent call last):"
    assert all(line.startswith("    ") for line in trace)
    assert trace[-1] == "    ValueError: bad answer from https://reader:***@feeds.example.org/rss"
    assert "hunter2" not in err
