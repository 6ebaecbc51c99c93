"""``briefer daemon``: editions on a schedule, in the foreground."""

from __future__ import annotations

from pathlib import Path

import click

from .flags import Flags, pass_flags
from .options import config_option


@click.command("daemon")
@config_option
@pass_flags
def command(config: Path | None, flags: Flags) -> None:
    """Build an edition at every planned slot until stopped (SIGTERM/Ctrl-C).

    The schedule is the [schedule] table of the settings (cron or interval,
    timezone). Missed slots give one catch-up edition at start; runs never
    overlap; a second daemon on the same state folder is refused. Meant
    for systemd or a container (see the README for a unit file).

    \b
    Examples:
      briefer daemon --config config/briefer.toml
      BRIEFER_SCHEDULE__INTERVAL=3600 briefer daemon
    """
    from ..logs import setup_logging
    from ..schedule import Daemon
    from ..settings import load_settings

    # A long-running log: every line says when.
    setup_logging(flags.debug, flags.quiet, timestamps=True)
    Daemon(load_settings(config)).serve()
