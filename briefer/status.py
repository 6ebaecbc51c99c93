"""What a briefer folder is doing: ``briefer status`` and ``briefer check`` as functions.

:func:`read_status` reads the state folder (never creating one): the
latest edition, whether the daemon holds its lock, the next planned run,
the last failed run and undelivered mail. :func:`check_setup` validates
everything an edition needs (settings, rules, templates, seeds, mail) and
raises one :class:`~briefer.errors.ConfigError` naming every problem.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ConfigError, StateError

if TYPE_CHECKING:
    from .rules import Rules
    from .settings import Settings
    from .state import EditionRecord, RunRecord


@dataclass(frozen=True, slots=True)
class Status:
    """A briefer folder's state at one moment (see :func:`read_status`)."""

    daemon_running: bool | None  # None: cannot tell (its lock is not readable by this user)
    latest: EditionRecord | None  # the edition out/latest.* shows
    next_run: datetime | None  # None: no schedule, or none to come
    scheduled: bool  # a [schedule] is configured
    last_error: RunRecord | None  # the newest failed run
    failures: int  # failed runs since the last successful one
    undelivered: tuple[tuple[str, str], ...]  # (edition, last error) of the out folder


@dataclass(frozen=True, slots=True)
class Setup:
    """What :func:`check_setup` found in order."""

    rules: Rules
    schedule: str  # one line: the schedule and its next run, or why there is none
    delivery: str | None  # one line without secrets; None when mail is off


def read_status(settings: Settings, now: datetime | None = None) -> Status:
    """The state of ``settings``' folders; reads only, works with or without a daemon."""
    from filelock import FileLock, Timeout

    from .schedule import DAEMON_LOCK
    from .state import FILENAME, StateStore
    from .statedb import os_reason

    latest = None
    runs: list[RunRecord] = []
    failures = 0
    undelivered: list[tuple[str, str]] = []
    running: bool | None = False
    # Only read: a folder without briefer's state gets none made by asking.
    # A folder the user may not write (a daemon running as its own user) is
    # read as it is; one they may write is healed as a run would heal it.
    try:
        present = (settings.state_dir / FILENAME).is_file()
    except OSError as exc:
        raise StateError(
            f"{settings.state_dir}: cannot read briefer's state folder: {os_reason(exc)}"
        ) from None
    if present:
        writable = os.access(settings.state_dir, os.W_OK | os.X_OK)
        with StateStore(settings.state_dir, read_only=not writable) as store:
            latest = store.latest_edition(out_dir=settings.out_dir)
            runs = store.runs(limit=200)
            failures = store.consecutive_failures()
            undelivered = store.undelivered(out_dir=settings.out_dir)
        lock_path = settings.state_dir / DAEMON_LOCK
        if writable:
            lock = FileLock(str(lock_path))
            try:
                lock.acquire(timeout=0)
                lock.release()
            except Timeout:
                running = True
        else:
            running = _held(lock_path)
    next_run, scheduled = _next_run(settings, now)
    return Status(
        daemon_running=running,
        latest=latest,
        next_run=next_run,
        scheduled=scheduled,
        last_error=next((r for r in runs if r.ok is False), None),
        failures=failures,
        undelivered=tuple(undelivered),
    )


def _held(lock: Path) -> bool | None:
    """Whether another process holds ``lock`` (the daemon's), asked without writing it.

    None: the lock exists but this user may not read it, so cannot tell.
    """
    import fcntl

    try:
        fd = os.open(lock, os.O_RDONLY)
    except FileNotFoundError:
        return False  # no daemon has run here
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def _next_run(settings: Settings, now: datetime | None) -> tuple[datetime | None, bool]:
    from .schedule import Schedule

    try:
        schedule = Schedule(settings)
    except ConfigError:
        return None, False
    return schedule.next_after(now or datetime.now(schedule.zone)), True


def check_setup(settings: Settings) -> Setup:
    """Validate the rules, templates, seeds folder, mail settings and feed logins; build nothing.

    Raises ConfigError with every problem, one line each.
    """
    from .brief import seeds_problem
    from .deliver import check_delivery, delivery_wanted, outline
    from .render.docx import check_reference
    from .render.markdown import check_template
    from .rules import load_rules

    problems: list[str] = []
    rules = None
    try:
        rules = load_rules(settings.rules_file)
    except ConfigError as exc:
        problems.extend(exc.lines)
    for check in (check_template, check_reference):
        try:
            check(settings.templates_dir)
        except ConfigError as exc:
            problems.extend(exc.lines)
    seeds = seeds_problem(settings)
    if seeds is not None:
        problems.append(seeds)
    wanted = delivery_wanted(settings)
    if wanted:
        problems.extend(check_delivery(settings))
    problems.extend(feed_login_problems(settings))
    if problems or rules is None:
        raise ConfigError(*problems)
    return Setup(
        rules=rules,
        schedule=schedule_outline(settings),
        delivery=outline(settings) if wanted else None,
    )


def feed_login_problems(settings: Settings) -> list[str]:
    """A line for each feed whose login's password cannot be read (never the password)."""
    from .errors import FeedError
    from .sources.credentials import feed_login

    where = settings.config_file or "settings"
    problems = []
    for index, feed in enumerate(settings.feeds):
        try:
            feed_login(feed)
        except FeedError as exc:
            problems.append(f"{where}: feeds.{index}.{exc}")
    return problems


def schedule_outline(settings: Settings) -> str:
    """``cron '0 7 * * *' in Europe/London, next run 2026-01-10 07:00 GMT``, or why none."""
    from .schedule import Schedule
    from .zones import zone_name

    try:
        schedule = Schedule(settings)
    except ConfigError:
        return "none (set [schedule] cron or interval to run `briefer daemon`)"
    config = settings.schedule
    what = f"cron '{config.cron}'" if config.cron is not None else f"every {config.interval:g} s"
    nxt = schedule.next_after(datetime.now(schedule.zone))
    when = f"{nxt:%Y-%m-%d %H:%M %Z}" if nxt else "none"
    return f"{what} in {zone_name(schedule.zone)}, next run {when}"
