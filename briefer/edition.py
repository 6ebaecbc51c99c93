"""The edition, stage by stage, as ``briefer make`` and the daemon run it.

settle what a killed run left -> fetch feeds -> build the Brief -> compare
with the previous edition -> record the edition (pending) -> write both
files -> mark it published -> (optionally) mail it.

Builds that share a state folder take a lock, so ``briefer make`` during a
daemon run waits for it instead of racing it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DeliveryError, LockedError, StateError
from .models import Brief
from .settings import Settings
from .statedb import folder_problem

if TYPE_CHECKING:
    from .rules import Rules

log = logging.getLogger("briefer.edition")

BUILD_LOCK = "build.lock"
TEMPLATE_CACHE = "cache"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one edition run produced."""

    brief: Brief
    docx: Path
    markdown: Path
    stem: str
    delivery_summary: str | None = None
    delivery_error: str | None = None


class Stopped(Exception):
    """The run was asked to stop before it wrote anything."""


def build_lock(settings: Settings):  # -> filelock.FileLock
    """The lock every edition build on this state folder takes."""
    from filelock import FileLock

    try:
        settings.state_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StateError(folder_problem(settings.state_dir, exc)) from None
    return FileLock(str(settings.state_dir / BUILD_LOCK))


def make_edition(
    settings: Settings,
    *,
    fetch: bool = True,
    send: bool = False,
    wait: float = 600.0,
    stop: threading.Event | None = None,
    publishing: threading.Lock | None = None,
    after_write: Callable[[str], None] | None = None,
    explain: bool = False,
) -> Outcome:
    """Run one edition; raises BrieferError subclasses on user-facing failures.

    ``explain`` keeps a verdict on every sentence (``brief.decisions``).

    ``stop`` is checked between stages: a stop before writing writes
    nothing. ``publishing`` is held while files are written and recorded
    (and while ``after_write`` runs with the edition's stem), so a caller
    that stops the process can wait for a write in progress to complete.

    The edition is recorded (pending) before its files take their names and
    marked published after: a state database that cannot be written stops
    the run before anything is published.
    """
    from filelock import Timeout

    from .brief import build_brief
    from .changes import compare, remembered_bullets
    from .outfolder import (
        Journal,
        check_latest,
        publish,
        reconcile,
        remove_stale_temps,
        restore_latest,
    )
    from .state import StateStore
    from .streams import stream_key

    # Mistakes in what the edition reads stop it before the state folder is made,
    # and so does something in the place of latest.* (before anything is recorded).
    rules = check_inputs(settings)
    check_latest(settings.out_dir)
    stream = stream_key(settings)
    lock = build_lock(settings)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log.warning("another briefer build is running on %s; waiting", settings.state_dir)
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise LockedError(
                f"{settings.state_dir}: another briefer build still running after {wait:.0f} s"
            ) from None
    except OSError as exc:
        raise StateError(folder_problem(settings.state_dir, exc)) from None
    try:
        delivered = None
        delivery_error = None
        with StateStore(settings.state_dir) as store:
            # The lock is ours: pending editions and temp files are a killed run's.
            reconcile(store, settings.out_dir)
            if settings.out_dir.is_dir():
                remove_stale_temps(settings.out_dir)
            feeds_unchanged = False  # every feed answered "not modified" (the change line says so)
            if fetch and settings.feeds:
                from .sources.feeds import fetch_all

                report = fetch_all(settings)
                log.info("%s", report.summary_line())
                feeds_unchanged = report.unchanged
            _check(stop)
            # The stream's previous edition: an updated story leads with what is new.
            previous = store.latest_edition(until=settings.edition_time(), stream=stream)
            seen = previous.articles if previous is not None else frozenset()
            brief = build_brief(settings, explain=explain, rules=rules, seen=seen)
            _check(stop)
            brief = compare(brief, previous, rules.stories, feeds_unchanged=feeds_unchanged)
            # latest.* is the newest edition of the folder by edition time: a
            # rebuilt past edition never takes its place.
            newest = store.latest_edition(out_dir=settings.out_dir)
            is_latest = newest is None or newest.edition_time <= brief.edition_time
            _check(stop)
            journal = Journal(
                reserve=lambda f: store.record_edition(
                    f.stem,
                    brief.edition_time,
                    f.docx,
                    f.markdown,
                    remembered_bullets(brief),
                    articles=brief.read,
                    published=False,
                    stream=stream,
                    out_dir=settings.out_dir,
                ),
                release=lambda f: store.forget_edition(f.stem, out_dir=settings.out_dir),
                published=lambda f: store.mark_published(f.stem, out_dir=settings.out_dir),
            )
            with publishing or nullcontext():
                files = publish(
                    brief,
                    settings.out_dir,
                    settings.templates_dir,
                    journal,
                    cache_dir=settings.state_dir / TEMPLATE_CACHE,
                    latest=is_latest,
                )
                if not is_latest and newest is not None:
                    restore_latest(settings.out_dir, newest.docx, newest.markdown)
                if after_write is not None:
                    after_write(files.stem)
            if send:
                from .deliver import deliver

                record = store.edition(files.stem, settings.out_dir)
                assert record is not None
                try:
                    delivered = deliver(settings, store, record).summary()
                except DeliveryError as exc:
                    # The edition is written and recorded as undelivered: report, don't lose it.
                    delivery_error = str(exc)
    finally:
        lock.release()
    return Outcome(
        brief=brief,
        docx=files.docx,
        markdown=files.markdown,
        stem=files.stem,
        delivery_summary=delivered,
        delivery_error=delivery_error,
    )


def check_inputs(settings: Settings) -> Rules:
    """The rules, or a ConfigError naming every mistake in the seeds folder and rules file."""
    from .brief import seeds_problem
    from .errors import ConfigError
    from .rules import load_rules

    problems = []
    seeds = seeds_problem(settings)
    if seeds is not None:
        problems.append(seeds)
    try:
        rules = load_rules(settings.rules_file)
    except ConfigError as exc:
        problems.extend(exc.lines)
    if problems:
        raise ConfigError(*problems)
    return rules


def _check(stop: threading.Event | None) -> None:
    if stop is not None and stop.is_set():
        raise Stopped()

