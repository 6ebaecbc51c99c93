"""``briefer make``: build one edition now."""

from __future__ import annotations

import time
from pathlib import Path

import click

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
def command(
    config: Path | None,
    seeds: Path | None,
    out: Path | None,
    as_of: str | None,
    budget: int | None,
    explain: bool,
    no_fetch: bool,
) -> None:
    """Build one briefing memo now, as .docx and .md in the out folder.

    \b
    Examples:
      briefer make
      briefer make --seeds articles/ --out memos/ --config config/briefer.toml
      briefer make --as-of 2026-01-06T07:00 --budget 500 --explain
    """
    from ..build import build_brief
    from ..editions import publish
    from .explain import print_decisions

    started = time.perf_counter()
    settings = settings_from(config, seeds, out, as_of, budget)
    if settings.feeds and not no_fetch:
        from ..sources.feeds import fetch_all

        report = fetch_all(settings)
        click.echo(report.summary_line(), err=True)
    brief = build_brief(settings)
    files = publish(brief, settings.out_dir, settings.templates_dir)
    if explain:
        print_decisions(brief)
    bullets = len(brief.items)
    sections = sum(1 for s in brief.sections if s.items)
    click.echo(f"Wrote {display(files.docx)}")
    click.echo(f"Wrote {display(files.markdown)}")
    click.echo(
        f"{brief.articles} article{'s' if brief.articles != 1 else ''}, "
        f"{brief.sentences} sentences -> {bullets} bullets in {sections} sections, "
        f"{display(files.docx)}, {time.perf_counter() - started:.1f} s"
    )
