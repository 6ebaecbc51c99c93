"""``briefer send``: mail an edition (the latest by default) to its readers."""

from __future__ import annotations

from pathlib import Path

import click

from .options import config_option


@click.command("send")
@click.argument("edition", required=False)
@config_option
@click.option(
    "--force", is_flag=True, help="Send again to recipients that already have the edition."
)
def command(edition: str | None, config: Path | None, force: bool) -> None:
    """Mail an edition (default: the latest) to the readers in [delivery].

    EDITION is an edition's name, like briefing-2026-01-02-0700, or the
    path to its .docx.

    Each recipient gets an edition once: recipients that already have it
    are skipped unless --force is given. Exit code 0 when sent (or nothing
    was left to send), 1 when the mail failed (the edition is then marked
    undelivered and the daemon tries again), 2 for a settings mistake.

    \b
    Examples:
      briefer send
      briefer send briefing-2026-01-02-0700 --config config/briefer.toml
      briefer send out/briefing-2026-01-02-0700.docx --force
    """
    from ..deliver import deliver, require_configured
    from ..editions import find_edition
    from ..settings import load_settings
    from ..state import StateStore

    settings = load_settings(config)
    require_configured(settings)
    with StateStore(settings.state_dir) as store:
        record = find_edition(settings, store, edition)
        result = deliver(settings, store, record, force=force)
    from ..cli import quiet

    if not quiet():
        click.echo(result.summary())
