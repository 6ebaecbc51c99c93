"""The ``briefer`` command: parse options, call one function, map errors.

Each command lives in its own module under ``briefer/commands``; heavy
libraries are imported there, only when the command runs, so ``--help``
stays instant. The global options (``--debug``, ``--quiet``) are accepted
before the command and after it (``briefer make --debug``).
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from datetime import datetime
from typing import Any, TextIO

import click

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


class _Formatter(logging.Formatter):
    def __init__(self, timestamps: bool = False) -> None:
        super().__init__()
        self.timestamps = timestamps

    def format(self, record: logging.LogRecord) -> str:
        line = f"{record.levelname.lower()}: {redacted(record.getMessage())}"
        if self.timestamps:
            when = datetime.fromtimestamp(record.created).astimezone()
            line = f"{when.isoformat(timespec='seconds')} {line}"
        return line


def setup_logging(debug: bool, quiet: bool = False, timestamps: bool = False) -> None:
    """Info and warnings (one line each) to stderr; errors only with --quiet; all with --debug.

    ``timestamps`` starts each line with its ISO 8601 time (the daemon's log).
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter(timestamps))
    root = logging.getLogger("briefer")
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if debug else logging.ERROR if quiet else logging.INFO)
    root.propagate = False


def flags(ctx: click.Context | None = None) -> dict[str, bool]:
    """The global options of this run: ``{"debug": ..., "quiet": ..., "timestamps": ...}``."""
    ctx = ctx or click.get_current_context(silent=True)
    root = ctx.find_root() if ctx is not None else None
    if root is None or not isinstance(root.obj, dict):
        return {"debug": False, "quiet": False, "timestamps": False}
    return root.obj


def quiet() -> bool:
    """Whether --quiet was given (commands then print nothing on success)."""
    return bool(flags().get("quiet"))


def _set_flag(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    state = flags(ctx)
    state[str(param.name)] = True
    setup_logging(state["debug"], state["quiet"], state["timestamps"])


DEBUG_HELP = "Show debug logs and full tracebacks."
QUIET_HELP = "Print nothing on success: only errors (for cron); exit codes are unchanged."
GLOBAL_OPTIONS = (("--debug", DEBUG_HELP), ("--quiet", QUIET_HELP))


def global_options() -> list[click.Option]:
    """--debug and --quiet as options of a command (the group has them too)."""
    return [
        click.Option(
            [name, "-q"] if name == "--quiet" else [name],
            is_flag=True,
            expose_value=False,
            is_eager=True,
            callback=_set_flag,
            help=text,
        )
        for name, text in GLOBAL_OPTIONS
    ]


class BrieferGroup(click.Group):
    """Turns BrieferError into ``Error: ...`` lines and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            super().invoke(ctx)
            return None  # a command's return value is never its exit code
        except BrieferError as exc:
            if flags(ctx).get("debug"):
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
            if flags(ctx).get("debug"):
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
    ctx.obj = {"debug": debug, "quiet": quiet, "timestamps": False}
    setup_logging(debug, quiet)


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
