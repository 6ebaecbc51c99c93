"""``briefer fetch``: fetch the configured feeds and store new items."""

from __future__ import annotations

from pathlib import Path

import click

from .flags import Flags, pass_flags
from .options import config_option


@click.command("fetch")
@config_option
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a TTY).")
@pass_flags
def command(config: Path | None, progress: bool | None, flags: Flags) -> None:
    """Fetch every configured feed and store its new items; build no memo.

    Unchanged feeds answer 304 and cost nothing (when all do, the line
    says no feed has changed since the last fetch); a feed that fails is
    recorded with its error and the others go on.

    \b
    Examples:
      briefer fetch
      briefer fetch --config config/briefer.toml --no-progress
    """
    from ..errors import ConfigError
    from ..settings import load_settings
    from ..sources.feeds import fetch_all

    settings = load_settings(config)
    if not settings.feeds:
        where = settings.config_file or "the settings"
        raise ConfigError(f"{where}: no [[feeds]] configured; nothing to fetch")

    report = fetch_all(settings, progress=False if flags.quiet else progress)
    if not flags.quiet:
        click.echo(report.summary_line())
