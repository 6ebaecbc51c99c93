"""The ``briefer`` command: parse options, call one function, map errors.

Each command lives in its own module under ``briefer/commands``; heavy
libraries are imported there, only when the command runs, so ``--help``
stays instant. The global options (``--debug``, ``--quiet``) are accepted
before the command and after it (``briefer make --debug``).
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import Any, TextIO

import click

from .commands.flags import DEBUG_HELP, QUIET_HELP, Flags, current, global_options, start
from .errors import BrieferError
from .redact import redacted

EPILOG = """\b
Examples:
  briefer make                         # one memo from ./seeds into ./out
  briefer make --quiet                 # the same, silent unless something fails (cron)
  briefer make --seeds articles/ --out memos/ --config my.toml
  briefer explain                      # why each sentence was kept or dropped
  briefer check --config config/briefer.toml
"""
# Exit code of a command whose output was closed early (`briefer explain | head`),
# as a shell reports a process ended by SIGPIPE.
BROKEN_PIPE_EXIT = 141


class BrieferGroup(click.Group):
    """Turns BrieferError into ``Error: ...`` lines and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            super().invoke(ctx)
            return None  # a command's return value is never its exit code
        except BrieferError as exc:
            if current(ctx).debug:
                # The traceback, and the exit code the error has without --debug.
                traceback.print_exc()
            for line in exc.lines or (str(exc),):
                click.echo(redacted(f"Error: {line}"), err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Error: interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            _closed_output()
            ctx.exit(BROKEN_PIPE_EXIT)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as exc:
            if current(ctx).debug:
                raise
            click.echo(
                redacted(
                    f"Error: unexpected failure: {type(exc).__name__}: {exc} "
                    "(run with --debug for the traceback)"
                ),
                err=True,
            )
            ctx.exit(1)


def _closed_output(*streams: TextIO) -> None:
    """The reader of our output went away: say nothing, and flush nothing more into it."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        for stream in streams or (sys.stdout,):
            os.dup2(devnull, stream.fileno())
    except (OSError, ValueError):
        pass


@click.group(
    cls=BrieferGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(package_name="briefer")
@click.option("--debug", is_flag=True, help=DEBUG_HELP)
@click.option("--quiet", "-q", is_flag=True, help=QUIET_HELP)
@click.pass_context
def cli(ctx: click.Context, debug: bool, quiet: bool) -> None:
    """Turn news articles and feeds into a cited briefing memo (Word and Markdown).

    --debug and --quiet go before or after the command (briefer make --quiet).
    """
    start(ctx, Flags(debug=debug, quiet=quiet))


def _register() -> None:
    from .commands import check, daemon, explain, feeds, fetch, init, make, send, status

    for module in (make, fetch, send, daemon, status, check, explain, init, feeds):
        cli.add_command(_with_global_options(module.command))


def _with_global_options(command: click.Command) -> click.Command:
    """The command (and a group's subcommands) with --debug and --quiet of its own."""
    command.params.extend(global_options())
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _with_global_options(sub)
    return command


_register()


_NO_ARGS = getattr(click.exceptions, "NoArgsIsHelpError", ())


def main() -> None:
    """Console-script entry point.

    A mistake on the command line is one line too, with where to look:
    ``Error: Invalid value for '--budget': 'abc' is not a valid integer
    range (see 'briefer make --help')``, exit code 2.
    """
    try:
        code = _run()
    except BrokenPipeError:  # the reader went away while an error or the help was written
        _closed_output(sys.stdout, sys.stderr)
        code = BROKEN_PIPE_EXIT
    sys.exit(code)


def _run() -> int:
    """The command's exit code (only ``ctx.exit`` and errors set one)."""
    try:
        code = cli.main(prog_name="briefer", standalone_mode=False)
    except _NO_ARGS as exc:  # a bare `briefer` or `briefer feeds`: the help, as click shows it
        exc.show()
        return exc.exit_code
    except click.UsageError as exc:
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
        click.echo(f"Error: {exc.format_message().rstrip('.')}{hint}", err=True)
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        click.echo("Error: interrupted", err=True)
        return 130
    return code if isinstance(code, int) else 0
