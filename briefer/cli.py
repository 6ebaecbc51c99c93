"""The ``briefer`` command: parse options, call one function, map errors.

Each command lives in its own module under ``briefer/commands``; heavy
libraries are imported there, only when the command runs, so ``--help``
stays instant.
"""

from __future__ import annotations

import logging
import sys
import traceback
from typing import Any

import click

from .errors import BrieferError

EPILOG = """\b
Examples:
  briefer make                         # one memo from ./seeds into ./out
  briefer make --seeds articles/ --out memos/ --config my.toml
  briefer explain                      # why each sentence was kept or dropped
  briefer check --config config/briefer.toml
"""


class _Formatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        level = record.levelname.lower()
        return f"{level}: {record.getMessage()}"


def setup_logging(debug: bool) -> None:
    """Warnings (one line each) to stderr; everything with --debug."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    root = logging.getLogger("briefer")
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    root.propagate = False


class BrieferGroup(click.Group):
    """Turns BrieferError into ``Error: ...`` lines and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        debug = bool(ctx.params.get("debug"))
        try:
            return super().invoke(ctx)
        except BrieferError as exc:
            if debug:
                # The traceback, and the exit code the error has without --debug.
                traceback.print_exc()
            for line in exc.lines or (str(exc),):
                click.echo(f"Error: {line}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Error: interrupted", err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as exc:
            if debug:
                raise
            click.echo(
                f"Error: unexpected failure: {type(exc).__name__}: {exc} "
                "(run with --debug for the traceback)",
                err=True,
            )
            ctx.exit(1)


@click.group(
    cls=BrieferGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(package_name="briefer")
@click.option("--debug", is_flag=True, help="Show debug logs and full tracebacks.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn news articles and feeds into a cited briefing memo (Word and Markdown)."""
    setup_logging(debug)
    ctx.obj = {"debug": debug}


def _register() -> None:
    from .commands import check, daemon, explain, feeds, fetch, init, make, send, status

    for module in (make, fetch, send, daemon, status, check, explain, init, feeds):
        cli.add_command(module.command)


_register()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="briefer")
