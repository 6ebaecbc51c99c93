"""The global options (--debug, --quiet): given before or after a command, passed to it.

The group sets them on the root context as a frozen :class:`Flags`; a
command that needs them takes them as an argument (:func:`pass_flags`),
never by importing the command-line module.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import click

from ..logs import setup_logging

DEBUG_HELP = "Show debug logs and full tracebacks."
QUIET_HELP = "Print nothing on success: only errors (for cron); exit codes are unchanged."


@dataclass(frozen=True, slots=True)
class Flags:
    """This run's global options."""

    debug: bool = False
    quiet: bool = False  # commands print nothing on success


def current(ctx: click.Context | None = None) -> Flags:
    """The flags of the run ``ctx`` belongs to (defaults outside a run)."""
    ctx = ctx or click.get_current_context(silent=True)
    root = ctx.find_root() if ctx is not None else None
    found = root.obj if root is not None else None
    return found if isinstance(found, Flags) else Flags()


def start(ctx: click.Context, flags: Flags) -> None:
    """Set the run's flags (on its root context) and its logging to match."""
    ctx.find_root().obj = flags
    setup_logging(flags.debug, flags.quiet)


def _given(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        start(ctx, replace(current(ctx), **{str(param.name): True}))


def global_options() -> list[click.Option]:
    """--debug and --quiet as options of a command (the group has them too)."""
    return [
        click.Option(
            [name, *short],
            is_flag=True,
            expose_value=False,
            is_eager=True,
            callback=_given,
            help=text,
        )
        for name, short, text in (("--debug", [], DEBUG_HELP), ("--quiet", ["-q"], QUIET_HELP))
    ]


def pass_flags(func: Callable[..., Any]) -> Callable[..., Any]:
    """Give the command its run's flags as the ``flags`` argument."""

    @functools.wraps(func)
    def command(*args: Any, **kwargs: Any) -> Any:
        return func(*args, flags=current(), **kwargs)

    return command
