"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

config_option = click.option(
    "--config",
    "config",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Settings file (default: $BRIEFER_CONFIG, else ./config/briefer.toml if present).",
)


out_option = click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for the memos (overrides out_dir).",
)


def build_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--config, --seeds, --out, --as-of, --budget: what a build reads and where it writes."""
    for option in reversed(
        (
            config_option,
            click.option(
                "--seeds",
                type=click.Path(path_type=Path, file_okay=False),
                help="Folder of articles (overrides seeds_dir).",
            ),
            out_option,
            click.option(
                "--as-of",
                "as_of",
                metavar="TIME",
                help="Edition time, ISO 8601 (e.g. 2026-01-06T07:00); default now.",
            ),
            click.option(
                "--budget",
                type=click.IntRange(min=1),
                help="Word budget of the memo body (overrides budget_words).",
            ),
        )
    ):
        func = option(func)
    return func


def settings_from(
    config: Path | None,
    seeds: Path | None = None,
    out: Path | None = None,
    as_of: str | None = None,
    budget: int | None = None,
):  # -> Settings
    """Load settings with the command-line overrides on top."""
    from ..settings import load_settings

    return load_settings(
        config,
        seeds_dir=seeds.resolve() if seeds else None,
        out_dir=out.resolve() if out else None,
        as_of=as_of,
        budget_words=budget,
    )
