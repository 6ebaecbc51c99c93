"""``briefer check``: validate settings, rules and templates; build nothing."""

from __future__ import annotations

from pathlib import Path

import click

from .flags import Flags, pass_flags
from .options import config_option


@click.command("check")
@config_option
@pass_flags
def command(config: Path | None, flags: Flags) -> None:
    """Validate the settings, the rules file and the templates.

    Every problem is reported, one line each; nothing is built or fetched.
    Also shows the schedule (the next run) and the mail delivery (server
    and number of recipients; never the password).

    \b
    Examples:
      briefer check
      briefer check --config config/briefer.toml
    """
    from .. import check_setup, load_settings
    from ..settings import no_settings_file

    settings = load_settings(config)
    setup = check_setup(settings)
    if flags.quiet:
        return
    where = settings.config_file or f"defaults ({no_settings_file()})"
    sections = ", ".join(s.rule.title for s in setup.rules.sections)
    click.echo(f"OK: settings {where}")
    click.echo(f"OK: rules {settings.rules_file} ({sections})")
    click.echo(f"OK: templates {settings.templates_dir}")
    click.echo(f"OK: seeds {settings.seeds_dir}, feeds: {len(settings.feeds)}")
    if setup.rules.stories.meaning:
        from ..summarize.meaning import ModelUnavailable, check_files, default_model_dir

        model = settings.model_dir or default_model_dir()
        try:
            check_files(model)
            click.echo(f"OK: stories grouped by meaning, model {model}")
        except ModelUnavailable as exc:
            click.echo(f"Note: stories grouped by their words only: {exc}")
    click.echo(f"OK: schedule {setup.schedule}")
    if setup.delivery is not None:
        click.echo(f"OK: delivery {setup.delivery}")
    else:
        click.echo("OK: delivery off (no [delivery] sender or recipients)")
