"""``briefer explain``: why each sentence was kept or dropped."""

from __future__ import annotations

from pathlib import Path

import click

from ..models import Brief
from .options import build_options, settings_from


def print_decisions(brief: Brief, kept_only: bool = False) -> None:
    """One block per article: every sentence with its scores and the verdict."""
    names = {
        s.article_key: " · ".join(p for p in (s.publisher, s.title) if p) for s in brief.sources
    }
    kinds = {key: f"{kind}: {why}" for key, kind, why in brief.kinds}
    current = None
    for d in brief.decisions:
        if kept_only and not d.kept:
            continue
        if d.article_key != current:
            current = d.article_key
            name = names.get(current)
            kind = kinds.get(current)
            click.echo(
                f"\n== {current}" + (f" ({name})" if name else "") + (f" [{kind}]" if kind else "")
            )
        scores = " ".join(f"{k}={v:g}" for k, v in d.section_scores if v)
        mark = "KEEP" if d.kept else "drop"
        text = d.text if len(d.text) <= 100 else d.text[:99] + "…"
        where = "head" if d.sentence_index < 0 else f"#{d.sentence_index:<3}"
        click.echo(f"{mark} {where} score={d.score:<6g} {d.reason}")
        click.echo(f"     cues: {scores or '-'}")
        click.echo(f"     {text}")


@click.command("explain")
@build_options
@click.option("--kept", is_flag=True, help="Show only the sentences that became bullets.")
def command(
    config: Path | None,
    seeds: Path | None,
    out: Path | None,
    as_of: str | None,
    budget: int | None,
    kept: bool,
) -> None:
    """Show, for every sentence, its section scores, final score and verdict.

    Nothing is written. Use it to see what a change to the rules does.

    \b
    Examples:
      briefer explain
      briefer explain --kept --config config/briefer.toml
    """
    from ..brief import build_brief

    brief = build_brief(settings_from(config, seeds, out, as_of, budget), explain=True)
    print_decisions(brief, kept_only=kept)
