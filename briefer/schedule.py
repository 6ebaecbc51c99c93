"""The daemon: an edition per planned slot, never missed, never doubled.

* Slots come from ``[schedule]`` (cron or interval) at start; nothing is
  pickled into a job store. The last slot done is kept in the state store.
* Down across planned slots? At start, exactly one catch-up edition runs
  (for the latest missed slot) and the number missed is logged.
* A late run still runs (no grace-time limit); runs never overlap (one
  instance of the job, and the build lock); a second daemon on the same
  state folder refuses to start.
* SIGTERM/SIGINT: a run that is writing its files finishes writing; a run
  that has not started writing writes nothing; the process exits.
* A failing run is logged, recorded, and the schedule goes on.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from .errors import BrieferError, ConfigError, LockedError, StateError
from .settings import Settings
from .text import plural
from .zones import zone_name

log = logging.getLogger("briefer.daemon")

DAEMON_LOCK = "daemon.lock"
_EPOCH = datetime(2000, 1, 1)
_MAX_WALK = 200_000

Clock = Callable[[], datetime]


class Schedule:
    """Planned slots of a ``[schedule]`` table, computed with APScheduler's triggers."""

    def __init__(self, settings: Settings) -> None:
        config = settings.schedule
        if config.cron is None and config.interval is None:
            raise ConfigError(
                f"{settings.config_file or 'settings'}: schedule: set cron or interval "
                "to run the daemon"
            )
        # Unless the schedule names its own zone, slots are in the zone editions
        # are dated in, so a 07:00 slot gives an edition dated 07:00.
        self.zone: tzinfo = ZoneInfo(config.timezone) if config.timezone else settings.zone()
        self.interval = config.interval
        if config.cron is not None:
            self.trigger = wall_clock_cron(config.cron, self.zone)
        else:
            from apscheduler.triggers.interval import IntervalTrigger

            self.trigger = IntervalTrigger(
                seconds=config.interval,
                start_date=_EPOCH.replace(tzinfo=self.zone),
                timezone=self.zone,
            )

    def next_after(self, moment: datetime) -> datetime | None:
        """The first slot strictly after ``moment``."""
        moment = moment.astimezone(self.zone)
        if self.interval is not None:
            anchor = _EPOCH.replace(tzinfo=self.zone)
            steps = int((moment - anchor).total_seconds() // self.interval) + 1
            return anchor + timedelta(seconds=steps * self.interval)
        return self.trigger.get_next_fire_time(moment, moment)

    def latest_until(self, now: datetime, since: datetime | None = None) -> datetime | None:
        """The last slot at or before ``now`` (searching from ``since`` for cron)."""
        now = now.astimezone(self.zone)
        if self.interval is not None:
            anchor = _EPOCH.replace(tzinfo=self.zone)
            steps = int((now - anchor).total_seconds() // self.interval)
            return anchor + timedelta(seconds=steps * self.interval)
        slots = self.between(since or now - timedelta(days=35), now)
        return slots[-1] if slots else None

    def between(self, after: datetime, until: datetime) -> list[datetime]:
        """Slots in (after, until], oldest first (bounded walk)."""
        out: list[datetime] = []
        current = after
        for _ in range(_MAX_WALK):
            nxt = self.next_after(current)
            if nxt is None or nxt > until:
                break
            out.append(nxt)
            current = nxt
        return out

    def missed(self, last_done: datetime | None, now: datetime) -> list[datetime]:
        """Planned slots after the last one done, up to now (none on a first start)."""
        if last_done is None:
            return []
        if self.interval is not None:
            latest = self.latest_until(now)
            if latest is None or latest <= last_done:
                return []
            count = int((latest - last_done).total_seconds() // self.interval)
            return [latest - timedelta(seconds=self.interval * k) for k in range(count)][::-1]
        return self.between(last_done, now)


def wall_clock_cron(expression: str, zone: tzinfo):  # -> apscheduler BaseTrigger
    """A cron trigger that reads the expression as wall-clock time in ``zone``.

    Each wall-clock time fires once: on a fall-back day the repeated 01:30
    fires at its first occurrence only, and on a spring-forward day a
    02:30 that does not exist fires once, at the first instant after the
    gap (03:30). APScheduler's own CronTrigger returns the repeated time
    again and again on a fall-back day, which would run an edition twice
    and can spin; this trigger always moves forward.
    """
    from datetime import UTC

    from apscheduler.triggers.base import BaseTrigger
    from apscheduler.triggers.cron import CronTrigger

    naive = CronTrigger.from_crontab(expression, timezone=UTC)

    class WallClockCron(BaseTrigger):
        def get_next_fire_time(
            self, previous_fire_time: datetime | None, now: datetime
        ) -> datetime | None:
            start = now
            if previous_fire_time is not None:
                start = max(now, previous_fire_time + timedelta(seconds=1))
            wall = start.astimezone(zone).replace(tzinfo=None)
            for _ in range(10):
                fire = naive.get_next_fire_time(None, wall.replace(tzinfo=UTC))
                if fire is None:
                    return None
                local = fire.replace(tzinfo=zone, fold=0)  # first occurrence; gaps move on
                if local.astimezone(UTC) >= start.astimezone(UTC):
                    return local.astimezone(UTC).astimezone(zone)
                wall = fire.replace(tzinfo=None) + timedelta(seconds=1)
            return None

        def __str__(self) -> str:
            return f"cron[{expression}] in {zone_name(zone)}"

    return WallClockCron()


@dataclass(frozen=True, slots=True)
class RunResult:
    """How one slot's run ended."""

    slot: datetime
    ok: bool
    edition: str | None = None
    error: str | None = None


class Daemon:
    """Runs editions on the schedule. ``clock`` is injectable for tests."""

    def __init__(self, settings: Settings, clock: Clock | None = None) -> None:
        self.settings = settings
        self.schedule = Schedule(settings)
        self.clock = clock or (lambda: datetime.now(self.schedule.zone))
        self.stop = threading.Event()
        self.publishing = threading.Lock()
        self._running: int | None = None  # id of the run in progress, until recorded finished
        self._runs = threading.Lock()

    # -- one run ----------------------------------------------------------

    def run_slot(self, slot: datetime | None = None) -> RunResult | None:
        """Build the edition for ``slot`` (default: the latest slot due now)."""
        from .edition import Stopped, make_edition
        from .state import StateStore

        try:
            with StateStore(self.settings.state_dir) as store:
                last = store.last_slot_done()
                if slot is None:
                    slot = self.schedule.latest_until(self.clock(), since=last)
                    if slot is None:
                        return None
                if last is not None and slot <= last:
                    log.info("slot %s already has its edition; nothing to do", _fmt(slot))
                    return None
                run_id = store.start_run(slot)
                with self._runs:
                    self._running = run_id
                if self.settings.delivery.enabled:
                    from .deliver import retry_undelivered

                    retry_undelivered(self.settings, store)
        except BrieferError as exc:  # the state folder: logged, the schedule goes on
            log.error("run for slot %s not started: %s", _fmt(slot), _describe(exc))
            return RunResult(slot, False, error=_describe(exc)) if slot else None
        update: dict[str, object] = {"as_of": slot}
        if self.settings.timezone is None and self.settings.schedule.timezone:
            # The edition of a 07:00 slot is dated 07:00 in the schedule's zone.
            update["timezone"] = self.settings.schedule.timezone
        settings = self.settings.model_copy(update=update)

        def done(stem: str) -> None:
            # Inside the publishing lock: the slot counts as done exactly
            # when its edition is written, and the log says so, even if
            # SIGTERM comes next (the stop waits for this lock, then exits).
            self._finish(run_id, True, edition=stem)
            log.info("edition %s written for slot %s", stem, _fmt(slot))

        try:
            outcome = make_edition(
                settings, stop=self.stop, publishing=self.publishing, send=False, after_write=done
            )
        except Stopped:
            self._finish(run_id, False, "stopped before the edition was written")
            log.info("run for slot %s stopped before writing", _fmt(slot))
            return RunResult(slot, False, error="stopped")
        except Exception as exc:  # a failed run never stops the schedule
            message = _describe(exc)
            self._finish(run_id, False, message)
            log.error("edition for slot %s failed: %s", _fmt(slot), message)
            return RunResult(slot, False, error=message)
        try:
            self._after_write(outcome.stem)
        except BrieferError as exc:  # mail and pruning never fail a written edition
            log.error("after edition %s: %s", outcome.stem, _describe(exc))
        return RunResult(slot, True, edition=outcome.stem)

    def _finish(
        self, run_id: int, ok: bool, error: str | None = None, edition: str | None = None
    ) -> None:
        from .state import StateStore

        with self._runs:
            if self._running == run_id:
                self._running = None
        try:
            with StateStore(self.settings.state_dir) as store:
                store.finish_run(run_id, ok, error, edition)
        except BrieferError as exc:
            log.error("run %d: cannot record how it ended: %s", run_id, _describe(exc))

    def _finish_stopped(self) -> None:
        """Record the run in progress (if any) as stopped: SIGTERM came before its edition."""
        with self._runs:
            run_id = self._running
        if run_id is not None:
            self._finish(run_id, False, "stopped before the edition was written")

    def _after_write(self, stem: str) -> None:
        """Hand the edition out and prune old ones; failures are logged, not fatal."""
        from .retention import prune
        from .state import StateStore

        with StateStore(self.settings.state_dir) as store:
            if self.settings.delivery.enabled:
                from .deliver import deliver

                record = store.edition(stem, self.settings.out_dir)
                try:
                    if record is not None:
                        # One line naming the edition and how many got it (never who).
                        log.info("%s", deliver(self.settings, store, record).summary())
                except BrieferError as exc:
                    log.error("%s (kept in %s; retried next run)", exc, self.settings.out_dir)
            prune(self.settings, store, self.clock())

    # -- the service --------------------------------------------------------

    def catch_up_slot(self) -> datetime | None:
        """The one slot to run at start if planned runs were missed."""
        from .state import StateStore

        with StateStore(self.settings.state_dir) as store:
            last = store.last_slot_done()
        missed = self.schedule.missed(last, self.clock())
        if missed:
            log.warning(
                "missed %s since %s; running one catch-up edition",
                plural(len(missed), "planned run"),
                _fmt(last) if last else "-",
            )
            return missed[-1]
        return None

    def serve(self) -> None:
        """Run in the foreground until SIGTERM or SIGINT."""
        from apscheduler.events import EVENT_JOB_MAX_INSTANCES
        from apscheduler.schedulers.blocking import BlockingScheduler
        from filelock import FileLock, Timeout

        from .statedb import folder_problem

        try:
            self.settings.state_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StateError(folder_problem(self.settings.state_dir, exc)) from None
        lock = FileLock(str(self.settings.state_dir / DAEMON_LOCK))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            raise LockedError(
                f"{self.settings.state_dir}: another briefer daemon is already running "
                "on this state folder"
            ) from None
        from .state import StateStore

        with StateStore(self.settings.state_dir) as store:
            # Runs of a daemon that died (SIGKILL, power cut) never finished.
            closed = store.close_unfinished("interrupted: briefer stopped during the run")
        if closed:
            log.warning("%d earlier run(s) had not finished; recorded as interrupted", closed)
        scheduler = BlockingScheduler(timezone=self.schedule.zone)

        def skipped(event: object) -> None:
            log.warning("previous edition still running; this slot's run waits for the next")

        scheduler.add_listener(skipped, EVENT_JOB_MAX_INSTANCES)
        scheduler.add_job(
            self.run_slot,
            self.schedule.trigger,
            id="edition",
            misfire_grace_time=None,
            coalesce=True,
            max_instances=1,
        )
        catch_up = self.catch_up_slot()
        if catch_up is not None:
            scheduler.add_job(self.run_slot, args=[catch_up], id="catch-up", max_instances=1)

        def on_signal(signum: int, frame: object) -> None:
            log.info("received %s; stopping", signal.Signals(signum).name)
            self.stop.set()
            scheduler.shutdown(wait=False)

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        nxt = self.schedule.next_after(self.clock())
        log.info("daemon started; next edition at %s", _fmt(nxt) if nxt else "-")
        try:
            scheduler.start()
        finally:
            # A write in progress completes; a run not yet writing is abandoned
            # (its thread is not joined: a slow feed must not delay the stop).
            with self.publishing:
                if self.stop.is_set():
                    self._finish_stopped()
                lock.release()
                if self.stop.is_set():
                    log.info("stopped")
                    logging.shutdown()
                    os._exit(0)


def _fmt(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment else "-"


def _describe(exc: Exception) -> str:
    """The failure in one line, as logged and kept in the state store (no password)."""
    from .redact import redacted

    if isinstance(exc, BrieferError):
        return redacted("; ".join(exc.lines) or str(exc))
    return redacted(f"{type(exc).__name__}: {exc}")
