"""``briefer init``: a settings folder a new desk can start from."""

from __future__ import annotations

from pathlib import Path

import click

from .flags import Flags, pass_flags


@click.command("init")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False), default=".")
@pass_flags
def command(folder: Path, flags: Flags) -> None:
    """Write a settings folder at FOLDER (default: here) to start from.

    It holds config/briefer.toml (every setting, commented, with its
    default), config/rules.toml (the bundled rules, to edit), templates/
    and an empty seeds/ folder. Nothing that exists is overwritten.

    \b
    Examples:
      briefer init desk && cd desk && briefer make
      briefer init /srv/briefer
    """
    from ..scaffold import init_folder

    written = init_folder(folder)
    if flags.quiet:
        return
    for path in written:
        click.echo(f"Wrote {path}")
    click.echo(
        f"Next: put articles in {folder / 'seeds'} or add a feed "
        f"(briefer feeds add URL), then run briefer make in {folder}."
    )
