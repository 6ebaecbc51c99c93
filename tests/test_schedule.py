"""The daemon's slot logic with an injected clock, and one-run behaviour."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from briefer.schedule import Daemon, Schedule
from briefer.state import StateStore

from .helpers import make_settings

NY = ZoneInfo("America/New_York")
UTC = ZoneInfo("UTC")


def schedule(tmp_path: Path, **table) -> Schedule:
    return Schedule(make_settings(tmp_path, schedule=table))


def test_daily_run_on_dst_days_runs_exactly_once(tmp_path: Path) -> None:
    spring = schedule(tmp_path, cron="30 2 * * *", timezone="America/New_York")
    # 2026-03-08: clocks jump 02:00 -> 03:00, so 02:30 does not exist that day.
    window = (datetime(2026, 3, 7, 12, tzinfo=NY), datetime(2026, 3, 9, 12, tzinfo=NY))
    slots = spring.between(*window)
    local = [s.astimezone(NY).strftime("%Y-%m-%d %H:%M %Z") for s in slots]
    assert local == ["2026-03-08 03:30 EDT", "2026-03-09 02:30 EDT"]
    fall = schedule(tmp_path, cron="30 1 * * *", timezone="America/New_York")
    # 2026-11-01: 01:30 happens twice; the edition must run once.
    window = (datetime(2026, 10, 31, 12, tzinfo=NY), datetime(2026, 11, 2, 12, tzinfo=NY))
    slots = fall.between(*window)
    local = [s.astimezone(NY).strftime("%Y-%m-%d %H:%M %Z") for s in slots]
    assert local == ["2026-11-01 01:30 EDT", "2026-11-02 01:30 EST"]


def test_interval_slots_and_missed_runs(tmp_path: Path) -> None:
    every = schedule(tmp_path, interval=3600, timezone="UTC")
    now = datetime(2026, 1, 5, 10, 20, tzinfo=UTC)
    assert every.latest_until(now) == datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    assert every.next_after(now) == datetime(2026, 1, 5, 11, 0, tzinfo=UTC)
    last = datetime(2026, 1, 5, 7, 0, tzinfo=UTC)
    assert every.missed(last, now) == [datetime(2026, 1, 5, h, 0, tzinfo=UTC) for h in (8, 9, 10)]
    assert every.missed(None, now) == []  # a first start has missed nothing
    assert every.missed(datetime(2026, 1, 5, 10, 0, tzinfo=UTC), now) == []


def test_cron_missed_runs_over_days(tmp_path: Path) -> None:
    daily = schedule(tmp_path, cron="0 7 * * *", timezone="UTC")
    last = datetime(2026, 1, 1, 7, 0, tzinfo=UTC)
    now = datetime(2026, 1, 4, 8, 0, tzinfo=UTC)
    assert [s.day for s in daily.missed(last, now)] == [2, 3, 4]


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def test_one_edition_per_slot_and_one_catch_up(tmp_path: Path) -> None:
    clock = Clock(datetime(2026, 1, 2, 7, 0, 30, tzinfo=UTC))
    settings = make_settings(tmp_path, schedule={"interval": 3600, "timezone": "UTC"})
    daemon = Daemon(settings, clock=clock)
    first = daemon.run_slot()
    assert first is not None and first.ok and first.edition == "briefing-2026-01-02-0700"
    assert daemon.run_slot() is None  # same slot again: never doubled
    assert daemon.catch_up_slot() is None
    clock.now += timedelta(hours=3)  # down across three slots
    slot = daemon.catch_up_slot()
    assert slot == datetime(2026, 1, 2, 10, 0, tzinfo=UTC)
    result = daemon.run_slot(slot)
    assert result is not None and result.ok
    assert daemon.catch_up_slot() is None
    with StateStore(settings.state_dir) as store:
        assert [e.stem for e in store.editions()] == [
            "briefing-2026-01-02-0700",
            "briefing-2026-01-02-1000",
        ]
        latest = store.latest_edition()
        assert latest is not None and latest.items


def test_failed_run_is_recorded_and_the_schedule_goes_on(tmp_path: Path) -> None:
    clock = Clock(datetime(2026, 1, 2, 7, 0, tzinfo=UTC))
    settings = make_settings(
        tmp_path, seeds_dir=tmp_path / "missing", schedule={"interval": 3600, "timezone": "UTC"}
    )
    daemon = Daemon(settings, clock=clock)
    for _ in range(2):
        result = daemon.run_slot()
        assert result is not None and not result.ok
        assert result.error == f"{tmp_path / 'missing'}: seeds folder not found"
        clock.now += timedelta(hours=1)
    with StateStore(settings.state_dir) as store:
        assert store.consecutive_failures() == 2
        assert store.last_slot_done() is None


def test_retention_keeps_newest_and_only_briefers_files(tmp_path: Path) -> None:
    from briefer.retention import prune

    settings = make_settings(tmp_path, schedule={"interval": 3600, "keep_days": 2})
    out = settings.out_dir
    out.mkdir(parents=True)
    (out / "notes.docx").write_text("mine")
    clock = Clock(datetime(2026, 1, 1, 7, 0, tzinfo=UTC))
    daemon = Daemon(settings, clock=clock)
    for _ in range(3):
        daemon.run_slot()
        clock.now += timedelta(days=2)
    # Each run prunes: the third (5 Jan) removed the edition of 1 Jan.
    assert not (out / "briefing-2026-01-01-0700.docx").exists()
    with StateStore(settings.state_dir) as store:
        removed = prune(settings, store, datetime(2026, 1, 30, tzinfo=UTC))
        assert removed == ["briefing-2026-01-03-0700"]
        assert [e.stem for e in store.editions()] == ["briefing-2026-01-05-0700"]
    assert (out / "notes.docx").exists()
    assert (out / "briefing-2026-01-05-0700.docx").exists()
    assert not (out / "briefing-2026-01-01-0700.docx").exists()


def test_the_edition_is_logged_before_a_stop_can_end_the_process(tmp_path: Path) -> None:
    # SIGTERM waits for the publishing lock and then exits at once: the line
    # naming the edition must be logged while that lock is still held.
    import logging

    clock = Clock(datetime(2026, 1, 2, 7, 0, 30, tzinfo=UTC))
    settings = make_settings(tmp_path, schedule={"interval": 3600, "timezone": "UTC"})
    daemon = Daemon(settings, clock=clock)
    held: list[tuple[str, bool]] = []

    class Watch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            held.append((record.getMessage(), daemon.publishing.locked()))

    watch = Watch()
    logger = logging.getLogger("briefer")
    logger.addHandler(watch)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        result = daemon.run_slot()
    finally:
        logger.removeHandler(watch)
        logger.setLevel(level)
    assert result is not None and result.ok
    lines = [locked for message, locked in held if message.startswith("edition briefing-")]
    assert lines == [True]


def test_the_schedulers_own_lines_are_stamped_and_a_skip_is_said_once(capsys) -> None:
    import logging
    import re

    from briefer.logs import setup_logging

    loggers = [logging.getLogger(name) for name in ("briefer", "apscheduler")]
    saved = [(lg.handlers[:], lg.level, lg.propagate) for lg in loggers]
    try:
        setup_logging(debug=False, timestamps=True)
        # What APScheduler says when a slot comes while the edition before is
        # still building (the daemon says it in its own words), and a job failing.
        logging.getLogger("apscheduler.scheduler").warning(
            "Execution of job \"Daemon.run_slot\" skipped: maximum number of running "
            "instances reached (1)"
        )
        logging.getLogger("apscheduler.executors.default").error("Job raised an exception")
    finally:
        for lg, (handlers, level, propagate) in zip(loggers, saved, strict=True):
            lg.handlers[:], lg.level, lg.propagate = handlers, level, propagate
    lines = capsys.readouterr().err.splitlines()
    stamped = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d error: Job raised")
    assert len(lines) == 1 and stamped.match(lines[0]), lines
