"""``briefer send``: mail an edition (the latest by default) to its readers."""

from __future__ import annotations

from pathlib import Path

import click

from .flags import Flags, pass_flags
from .options import config_option, out_option, settings_from


@click.command("send")
@click.argument("edition", required=False)
@config_option
@out_option
@click.option(
    "--force", is_flag=True, help="Send again to recipients that already have the edition."
)
@pass_flags
def command(
    edition: str | None, config: Path | None, out: Path | None, force: bool, flags: Flags
) -> None:
    """Mail an edition (default: the latest) to the readers in [delivery].

    EDITION is an edition's name, like briefing-2026-01-02-0700, or the
    path to its .docx. A name is looked up in the out folder (--out) first:
    each out folder's editions are mailed, and remembered, as its own.

    Each recipient gets an edition once: recipients that already have it
    are skipped unless --force is given. Exit code 0 when sent (or nothing
    was left to send), 1 when the mail failed (the edition is then marked
    undelivered and the daemon tries again), 2 for a settings mistake.

    \b
    Examples:
      briefer send
      briefer send briefing-2026-01-02-0700 --config config/briefer.toml
      briefer send out/briefing-2026-01-02-0700.docx --force
      briefer send --out memos/            # the latest edition in memos/
    """
    from ..deliver import deliver, require_configured
    from ..outfolder import find_edition
    from ..state import StateStore

    settings = settings_from(config, out=out)
    require_configured(settings)
    with StateStore(settings.state_dir) as store:
        record = find_edition(settings, store, edition)
        result = deliver(settings, store, record, force=force)

    if not flags.quiet:
        click.echo(result.summary())
