"""``briefer make``: build one edition now."""

from __future__ import annotations

import time
from pathlib import Path

import click

from .flags import Flags, pass_flags
from .options import build_options, settings_from


def display(path: Path) -> str:
    """A path relative to the working directory when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@click.command("make")
@build_options
@click.option("--explain", is_flag=True, help="Also print why each sentence was kept or dropped.")
@click.option("--no-fetch", is_flag=True, help="Do not fetch feeds first; use what is stored.")
@click.option("--send", is_flag=True, help="Mail the edition as set in [delivery].")
@pass_flags
def command(
    config: Path | None,
    seeds: Path | None,
    out: Path | None,
    as_of: str | None,
    budget: int | None,
    explain: bool,
    no_fetch: bool,
    send: bool,
    flags: Flags,
) -> None:
    """Build one briefing memo now, as .docx and .md in the out folder.

    \b
    Examples:
      briefer make
      briefer make --seeds articles/ --out memos/ --config config/briefer.toml
      briefer make --as-of 2026-01-06T07:00 --budget 500 --explain
      briefer make --no-fetch --send
      briefer make --quiet                 # nothing printed unless it fails (cron)
    """
    from ..edition import make_edition
    from ..errors import DeliveryError
    from ..render.common import changes_line
    from ..text import plural
    from .explain import print_decisions

    started = time.perf_counter()
    settings = settings_from(config, seeds, out, as_of, budget)
    outcome = make_edition(settings, fetch=not no_fetch, send=send, explain=explain)
    brief = outcome.brief
    if explain:
        print_decisions(brief)
    if not flags.quiet:
        bullets = len(brief.items)
        sections = sum(1 for s in brief.sections if s.items)
        click.echo(f"Wrote {display(outcome.docx)}")
        click.echo(f"Wrote {display(outcome.markdown)}")
        change = changes_line(brief)
        if change is not None:
            click.echo(change.replace("\u00a0", " "))
        if outcome.delivery_summary:
            click.echo(outcome.delivery_summary)
        click.echo(
            f"{plural(brief.articles, 'article')} ({brief.on_topic} on topic), "
            f"{plural(brief.stories, 'story')} -> {plural(bullets, 'bullet')} in "
            f"{plural(sections, 'section')}, "
            f"{display(outcome.docx)}, {time.perf_counter() - started:.1f} s"
        )
    if outcome.delivery_error:
        kept = " (the edition is kept; `briefer send` retries)"
        raise DeliveryError(outcome.delivery_error + kept)
