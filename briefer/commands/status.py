"""``briefer status``: the last edition, the next run, the last error."""

from __future__ import annotations

from pathlib import Path

import click

from .options import config_option, out_option, settings_from


@click.command("status")
@config_option
@out_option
def command(config: Path | None, out: Path | None) -> None:
    """Show the latest edition, the next planned run and the last error.

    The latest edition is the one out/latest.docx shows: the newest by
    edition time in the out folder (a past edition rebuilt later is not).
    Out folders that share a state folder each have their own: see one
    with --out.

    Reads the state folder; works whether or not the daemon is running.

    \b
    Examples:
      briefer status
      briefer status --config config/briefer.toml
      briefer status --out memos/
    """
    from .. import read_status
    from ..redact import redacted

    settings = settings_from(config, out=out)
    status = read_status(settings)
    running = {True: "running", False: "not running", None: "unknown (its lock is not readable)"}[
        status.daemon_running
    ]
    click.echo(f"daemon: {running} (state {settings.state_dir})")
    latest = status.latest
    if latest:
        click.echo(
            f"last edition: {latest.stem} (edition time {latest.edition_time:%Y-%m-%d %H:%M:%S}, "
            f"{latest.docx})"
        )
    else:
        click.echo(f"last edition: none yet in {settings.out_dir}")
    if not status.scheduled:
        click.echo("next run: no [schedule] configured")
    else:
        nxt = status.next_run
        when = f"{nxt:%Y-%m-%d %H:%M:%S %Z}" if nxt else "none"
        suffix = " (if the daemon is started)" if status.daemon_running is False else ""
        click.echo(f"next run: {when}{suffix}")
    last = status.last_error
    if last:
        click.echo(redacted(f"last error: {last.started_at:%Y-%m-%d %H:%M} "
                            f"slot {last.slot:%Y-%m-%d %H:%M}: {last.error}"))  # fmt: skip
    else:
        click.echo("last error: none")
    if status.failures:
        click.echo(f"failing: {status.failures} run(s) in a row")
    for stem, error in status.undelivered:
        click.echo(redacted(f"undelivered: {stem}: {error}"))
