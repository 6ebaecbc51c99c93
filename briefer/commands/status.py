"""``briefer status``: the last edition, the next run, the last error."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from .options import config_option


@click.command("status")
@config_option
def command(config: Path | None) -> None:
    """Show the latest edition, the next planned run and the last error.

    The latest edition is the one out/latest.docx shows: the newest by
    edition time in the out folder (a past edition rebuilt later is not).

    Reads the state folder; works whether or not the daemon is running.

    \b
    Examples:
      briefer status
      briefer status --config config/briefer.toml
    """
    from filelock import FileLock, Timeout

    from ..errors import ConfigError
    from ..schedule import DAEMON_LOCK, Schedule
    from ..settings import load_settings
    from ..state import FILENAME, StateStore

    settings = load_settings(config)
    latest = None
    runs: list = []
    failures = 0
    undelivered: list[tuple[str, str]] = []
    running = "not running"
    # Only read: a folder without briefer's state gets none made by asking.
    if (settings.state_dir / FILENAME).is_file():
        with StateStore(settings.state_dir) as store:
            # The edition latest.* shows: the folder's newest by edition time.
            latest = store.latest_edition(out_dir=settings.out_dir)
            runs = store.runs(limit=200)
            failures = store.consecutive_failures()
            undelivered = store.undelivered()
        lock = FileLock(str(settings.state_dir / DAEMON_LOCK))
        try:
            lock.acquire(timeout=0)
            lock.release()
        except Timeout:
            running = "running"
    click.echo(f"daemon: {running} (state {settings.state_dir})")
    if latest:
        click.echo(
            f"last edition: {latest.stem} (edition time {latest.edition_time:%Y-%m-%d %H:%M:%S}, "
            f"{latest.docx})"
        )
    else:
        click.echo(f"last edition: none yet in {settings.out_dir}")
    try:
        schedule = Schedule(settings)
    except ConfigError:
        click.echo("next run: no [schedule] configured")
    else:
        nxt = schedule.next_after(datetime.now(schedule.zone))
        when = f"{nxt:%Y-%m-%d %H:%M:%S %Z}" if nxt else "none"
        suffix = "" if running == "running" else " (if the daemon is started)"
        click.echo(f"next run: {when}{suffix}")
    errors = [r for r in runs if r.ok is False]
    if errors:
        last = errors[0]
        click.echo(f"last error: {last.started_at:%Y-%m-%d %H:%M} slot {last.slot:%Y-%m-%d %H:%M}: "
                   f"{last.error}")  # fmt: skip
    else:
        click.echo("last error: none")
    if failures:
        click.echo(f"failing: {failures} run(s) in a row")
    for stem, error in undelivered:
        click.echo(f"undelivered: {stem}: {error}")
