"""``briefer check``: validate settings, rules and templates; build nothing."""

from __future__ import annotations

from pathlib import Path

import click

from .options import config_option


@click.command("check")
@config_option
def command(config: Path | None) -> None:
    """Validate the settings, the rules file and the templates.

    Every problem is reported, one line each; nothing is built or fetched.

    \b
    Examples:
      briefer check
      briefer check --config config/briefer.toml
    """
    from ..errors import ConfigError
    from ..mail import check_delivery, delivery_wanted, outline
    from ..render.docx import check_reference
    from ..render.markdown import check_template
    from ..settings import load_settings
    from ..summarize.rules import load_rules

    settings = load_settings(config)
    problems: list[str] = []
    rules = None
    for step in (
        lambda: load_rules(settings.rules_file),
        lambda: check_template(settings.templates_dir),
        lambda: check_reference(settings.templates_dir),
    ):
        try:
            result = step()
        except ConfigError as exc:
            problems.extend(exc.lines)
        else:
            rules = result if result is not None else rules
    if not settings.seeds_dir.is_dir():
        problems.append(f"{settings.seeds_dir}: seeds folder not found")
    if delivery_wanted(settings):
        problems.extend(check_delivery(settings))
    if problems:
        raise ConfigError(*problems)
    where = settings.config_file or "defaults (no settings file)"
    sections = ", ".join(s.rule.title for s in rules.sections) if rules else ""
    click.echo(f"OK: settings {where}")
    click.echo(f"OK: rules {settings.rules_file} ({sections})")
    click.echo(f"OK: templates {settings.templates_dir}")
    click.echo(f"OK: seeds {settings.seeds_dir}, feeds: {len(settings.feeds)}")
    if delivery_wanted(settings):
        click.echo(f"OK: delivery {outline(settings)}")
