"""Feeds that misbehave cost that feed, never the fetch: one run against every fault."""

from __future__ import annotations

import asyncio
import logging
import socket
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefer.settings import Settings
from briefer.sources.feeditems import feed_articles
from briefer.sources.feeds import FeedResult, FetchReport, fetch_all
from briefer.sources.fetch import FetchError, Limits, fetch, make_client

from .feedserver import FeedServer, sample_feed
from .helpers import FAST_FETCH, by_url, feed_settings, stored_rows

GOOD = ("/good/one.xml", "/good/two.xml")



class FaultRun:
    """One fetch of every fault endpoint plus two good feeds, shared by this module."""

    def __init__(
        self,
        server: FeedServer,
        settings: Settings,
        report: FetchReport,
        records: list[logging.LogRecord],
        closed: str,
    ) -> None:
        self.server = server
        self.closed = closed
        self.settings = settings
        self.report = report
        self.records = records
        self.results = by_url(report)

    def result(self, name: str) -> FeedResult:
        return self.results[self.server.url(f"/fault/{name}")]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultRun]:
    server = FeedServer()
    server.start()
    faults = server.add_faults()
    for index, path in enumerate(GOOD):
        server.add(path, sample_feed(4, prefix=f"good{index}", title=f"Good {index}"))
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/feed.xml"
    urls = [*faults.values(), *(server.url(p) for p in GOOD), closed]
    settings = feed_settings(
        tmp_path_factory.mktemp("faults"), urls, fetch={"concurrency": len(urls)}
    )
    handler = _Collect()
    logger = logging.getLogger("briefer.feeds")
    logger.addHandler(handler)
    try:
        report = fetch_all(settings, progress=False)
    finally:
        logger.removeHandler(handler)
    yield FaultRun(server, settings, report, handler.records, closed)
    server.close()


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("hang", "read timed out after 1.5 s"),
        ("trickle", "gave up after the 3 s deadline ("),
        ("trickle-headers", "gave up after the 3 s deadline (no body received)"),
        ("huge", "body of 52,428,800 bytes is over the 2,000,000-byte limit"),
        ("huge-unannounced", "body is over the 2,000,000-byte limit"),
        ("gzip-bomb", "body is over the 2,000,000-byte limit after decompression"),
        ("bad-gzip", "cannot decompress the gzip body"),
        ("404", "HTTP 404 Not Found"),
        ("500", "HTTP 500 Internal Server Error"),
        ("loop-a", "redirect loop: "),
        ("hops-6", "too many redirects (more than 5)"),
        ("to-file", "redirect to a non-http(s) address: file:///etc/passwd"),
        ("bad-redirect", "redirect to a malformed address: http://[not-an-address"),
        ("brotli", "unsupported Content-Encoding: br"),
        ("html", "got an HTML page, not a feed ('Welcome to Example News')"),
        ("empty", "empty body"),
        ("short-body", "broken HTTP response"),
        ("xxe", "unsafe XML rejected: declares an external entity (&xxe;)"),
        ("billion-laughs", "unsafe XML rejected: entity &lol1; refers to &lol0;"),
        ("quadratic", "unsafe XML rejected: entity expansion would exceed 2,000,000"),
    ],
)
def test_fault_is_a_recorded_error(run: FaultRun, fault: str, message: str) -> None:
    result = run.result(fault)
    assert result.status == "error"
    assert result.error is not None and result.error.startswith(message), result.error
    assert (result.items_seen, result.items_new) == (0, 0)
    rows = stored_rows(
        run.settings,
        "SELECT last_status, last_error, consecutive_failures FROM feeds WHERE url = ?",
        result.url,
    )
    assert rows == [("error", result.error, 1)]
    assert stored_rows(
        run.settings, "SELECT count(*) FROM items WHERE feed_url = ?", result.url
    ) == [(0,)]


def test_truncated_xml_is_partial_with_the_complete_items(run: FaultRun) -> None:
    result = run.result("truncated")
    assert result.status == "partial"
    assert result.error is not None and result.error.startswith("XML error at line")
    query = "SELECT title FROM items WHERE feed_url = ? ORDER BY title"
    titles = [t for (t,) in stored_rows(run.settings, query, result.url)]
    assert titles == [
        f"Sample News story {n} about the Gaza ceasefire talks (truncated)" for n in range(4)
    ]


def test_misdeclared_encoding_is_partial_and_text_is_right(run: FaultRun) -> None:
    result = run.result("misdeclared")
    assert result.status == "partial"
    assert result.error is not None and "mis-declared encoding" in result.error
    assert "declared as utf-8" in result.error
    rows = stored_rows(
        run.settings, "SELECT title, summary FROM items WHERE feed_url = ?", result.url
    )
    assert rows == [
        (
            "Café owners in Zürich protest déjà vu rules",
            "Crème brûlée sellers say the rules are naïve.",
        )
    ]


def test_a_feed_served_as_text_plain_is_read(run: FaultRun) -> None:
    result = run.result("text-plain")
    assert (result.status, result.items_new, result.error) == ("ok", 2, None)


def test_five_redirects_are_followed(run: FaultRun) -> None:
    result = run.result("hops-5")
    assert (result.status, result.items_new) == ("ok", 2)


def test_connection_refused(run: FaultRun) -> None:
    result = run.results[run.closed]
    assert result.status == "error"
    assert result.error is not None and result.error.startswith("cannot connect: ")


def test_good_feeds_are_stored_despite_the_faults(run: FaultRun) -> None:
    for path in GOOD:
        result = run.results[run.server.url(path)]
        assert (result.status, result.items_seen, result.items_new) == ("ok", 4, 4)
    articles = feed_articles(run.settings, datetime(2026, 1, 6, 7, tzinfo=UTC))
    good = [a for a in articles if a.publisher in ("Good 0", "Good 1")]
    assert len(good) == 8
    assert all(a.paragraphs for a in good)


def test_the_whole_run_is_bounded_by_the_deadline(run: FaultRun) -> None:
    # Everything ran at once: the slowest feed costs one deadline, not the sum.
    assert run.report.seconds < FAST_FETCH["deadline"] + 3
    assert max(r.seconds for r in run.report.results) < FAST_FETCH["deadline"] + 1


def test_each_failed_feed_logs_one_warning_naming_it(run: FaultRun) -> None:
    warnings = [r for r in run.records if r.levelno == logging.WARNING]
    for result in run.report.results:
        prefix = f"feed {result.url}:"
        mine = [r.getMessage() for r in warnings if r.getMessage().startswith(prefix)]
        if result.status == "ok":
            assert mine == []
        else:
            assert len(mine) == 1, (result.url, mine)
            assert result.error is not None and result.error in mine[0]
    assert run.report.summary_line().startswith(f"Fetched {len(run.report.results)} feeds in ")
    assert f"{run.report.errors} failed" in run.report.summary_line()


def test_requests_carry_the_user_agent(run: FaultRun) -> None:
    agents = {h.headers.get("user-agent") for h in run.server.hits}
    assert agents == {run.settings.fetch.user_agent}


def test_external_dtd_and_entities_are_never_fetched(run: FaultRun) -> None:
    assert not any("passwd" in h.path for h in run.server.hits)
    rows = stored_rows(run.settings, "SELECT title || summary FROM items")
    assert rows  # the good feeds' items were stored and are read here
    for (value,) in rows:
        assert "root:" not in value


def test_gzip_bomb_stays_within_memory(feed_server: FeedServer) -> None:
    url = feed_server.add_faults()["gzip-bomb"]
    limits = Limits(1.0, 2.0, 10.0, 2_000_000, 5, "test")

    async def go() -> None:
        async with make_client(limits, 2) as client:
            await fetch(client, url, limits)

    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match="after decompression"):
            asyncio.run(go())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * limits.max_bytes


def test_gzip_and_deflate_bodies_are_read(feed_server: FeedServer, tmp_path: Path) -> None:
    url = feed_server.add("/zipped.xml", sample_feed(3), gzip=True)
    report = fetch_all(feed_settings(tmp_path, [url]), progress=False)
    assert (report.results[0].status, report.results[0].items_new) == ("ok", 3)
    assert feed_server.hits[-1].headers["accept-encoding"] == "gzip, deflate"


def test_unchanged_feed_answers_304_and_is_not_parsed(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    url = feed_server.add("/feed.xml", sample_feed(3))
    settings = feed_settings(tmp_path, [url])
    first = fetch_all(settings, progress=False)
    second = fetch_all(settings, progress=False)
    assert [r.status for r in first.results] == ["ok"]
    assert [(r.status, r.items_seen, r.items_new) for r in second.results] == [
        ("not_modified", 0, 0)
    ]
    assert feed_server.statuses("/feed.xml") == [200, 304]
    conditional = feed_server.hits[-1].headers
    assert conditional["if-none-match"].startswith('"')
    assert "if-modified-since" in conditional
    assert second.summary_line().endswith(": no feed has changed since the last fetch; 0 new items")


def test_failures_count_up_and_reset(feed_server: FeedServer, tmp_path: Path) -> None:
    url = feed_server.url("/later.xml")
    settings = feed_settings(tmp_path, [url])
    fetch_all(settings, progress=False)
    fetch_all(settings, progress=False)
    query = "SELECT last_status, consecutive_failures, last_success IS NULL FROM feeds"
    assert stored_rows(settings, query) == [("error", 2, 1)]
    feed_server.add("/later.xml", sample_feed(1))
    fetch_all(settings, progress=False)
    assert stored_rows(settings, query) == [("ok", 0, 0)]
