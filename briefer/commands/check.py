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
    Also shows the schedule (the next run) and the mail delivery (server
    and number of recipients; never the password).

    \b
    Examples:
      briefer check
      briefer check --config config/briefer.toml
    """
    from ..build import seeds_problem
    from ..deliver import check_delivery, delivery_wanted, outline
    from ..errors import ConfigError
    from ..render.docx import check_reference
    from ..render.markdown import check_template
    from ..settings import load_settings, no_settings_file
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
    seeds = seeds_problem(settings)
    if seeds is not None:
        problems.append(seeds)
    if delivery_wanted(settings):
        problems.extend(check_delivery(settings))
    if problems:
        raise ConfigError(*problems)
    from ..cli import quiet

    if quiet():
        return
    where = settings.config_file or f"defaults ({no_settings_file()})"
    sections = ", ".join(s.rule.title for s in rules.sections) if rules else ""
    click.echo(f"OK: settings {where}")
    click.echo(f"OK: rules {settings.rules_file} ({sections})")
    click.echo(f"OK: templates {settings.templates_dir}")
    click.echo(f"OK: seeds {settings.seeds_dir}, feeds: {len(settings.feeds)}")
    click.echo(f"OK: schedule {schedule_outline(settings)}")
    if delivery_wanted(settings):
        click.echo(f"OK: delivery {outline(settings)}")
    else:
        click.echo("OK: delivery off (no [delivery] sender or recipients)")


def schedule_outline(settings) -> str:  # settings: briefer.settings.Settings
    """``cron '0 7 * * *' in Europe/London, next run 2026-01-10 07:00 GMT``, or why none."""
    from datetime import datetime

    from ..errors import ConfigError
    from ..schedule import Schedule

    try:
        schedule = Schedule(settings)
    except ConfigError:
        return "none (set [schedule] cron or interval to run `briefer daemon`)"
    config = settings.schedule
    what = f"cron '{config.cron}'" if config.cron is not None else f"every {config.interval:g} s"
    nxt = schedule.next_after(datetime.now(schedule.zone))
    when = f"{nxt:%Y-%m-%d %H:%M %Z}" if nxt else "none"
    return f"{what} in {schedule.zone.key}, next run {when}"
