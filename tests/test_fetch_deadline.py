"""One deadline for a run's fetching, full-text pages included; what is cut is named."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from briefer.sources.feeds import fetch_all

from .feedserver import FeedServer, rfc822, rss
from .helpers import by_url, feed_settings, stored_rows


def slow_pages_feed(server: FeedServer, count: int) -> str:
    items = [
        {
            "title": f"Gaza ceasefire talks resume, day {n}",
            "link": server.url(f"/fault/trickle?page={n}"),  # one byte a second
            "guid": f"urn:slow:{n}",
            "description": f"Mediators met again on day {n} to discuss the Gaza ceasefire.",
            "pubDate": rfc822("2026-01-05T10:00"),
        }
        for n in range(count)
    ]
    return server.add("/slow-pages.xml", rss(items))


def test_full_text_pages_are_cut_at_the_run_deadline(
    fault_server: FeedServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = slow_pages_feed(fault_server, 40)
    hang = fault_server.url("/fault/hang")
    settings = feed_settings(
        tmp_path,
        [{"url": url, "full_text": True}, hang],
        fetch={"deadline": 60, "read_timeout": 60, "run_deadline": 3, "concurrency": 4},
    )
    started = time.monotonic()
    with caplog.at_level(logging.INFO, logger="briefer"):
        report = fetch_all(settings, progress=False)
    elapsed = time.monotonic() - started
    assert elapsed < 30  # a guard: without the run deadline this takes ten minutes
    results = by_url(report)
    assert results[url].status == "ok" and results[url].items_seen == 40
    # The feed is kept with its summaries; the cut is a warning naming the feed.
    assert len(stored_rows(settings, "SELECT summary FROM items WHERE body IS NULL")) == 40
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert (
        f"feed {url}: full text of 40 of 40 new items not fetched: the run's fetch deadline "
        "(3 s) was reached (their summaries are kept)"
    ) in warnings
    assert results[hang].status == "error"
    assert results[hang].error == "not fetched: the run's fetch deadline (3 s) was reached"
    assert f"feed {hang}: not fetched: the run's fetch deadline (3 s) was reached" in warnings


def test_feeds_waiting_for_a_slot_are_cut_too(fault_server: FeedServer, tmp_path: Path) -> None:
    hangs = [fault_server.url(f"/fault/hang?n={n}") for n in range(3)]
    settings = feed_settings(
        tmp_path,
        hangs,
        fetch={"deadline": 60, "read_timeout": 60, "run_deadline": 2, "concurrency": 1},
    )
    report = fetch_all(settings, progress=False)
    assert [r.error for r in report.results] == [
        "not fetched: the run's fetch deadline (2 s) was reached"
    ] * 3
    assert report.seconds < 30  # a guard, not a measurement
