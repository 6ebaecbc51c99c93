"""``briefer feeds``: add a feed after checking it, or list the feeds and their health."""

from __future__ import annotations

from pathlib import Path

import click

from .flags import Flags, pass_flags
from .options import config_option


@click.group("feeds")
def command() -> None:
    """Add a feed to the settings file, or list the feeds with their health.

    \b
    Examples:
      briefer feeds add https://www.example.org/world/rss.xml --name "Example News"
      briefer feeds list
    """


@command.command("add")
@config_option
@click.argument("url")
@click.option("--name", help="Publisher name shown in citations (default: the feed's title).")
@click.option("--user", help="User name, for a feed behind a login (HTTP Basic).")
@click.option(
    "--password-env",
    metavar="VARIABLE",
    help="Environment variable holding the login's password (its name is saved, not the password).",
)
@click.option(
    "--password-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="File whose first line is the login's password (its path is saved).",
)
@pass_flags
def add(
    config: Path | None,
    url: str,
    name: str | None,
    user: str | None,
    password_env: str | None,
    password_file: Path | None,
    flags: Flags,
) -> None:
    """Fetch URL once, say what it holds, and add it to the settings file.

    The fetch has the limits of a run (timeouts, size, redirects). A URL
    that is not an RSS or Atom feed is not added. The settings file keeps
    its comments. A URL never holds a password (user:password@ is refused):
    a feed behind a login takes --user and --password-env or --password-file.

    \b
    Examples:
      briefer feeds add https://www.example.org/world/rss.xml
      briefer feeds add https://feeds.example.net/mideast.atom --name "Example Net"
      briefer feeds add https://intranet.example/desk.xml --user desk --password-env DESK_FEED_PW
    """
    from ..errors import ConfigError
    from ..redact import redacted
    from ..settings import load_settings
    from ..sources.subscriptions import add_feed, check_feed, new_feed

    feed = new_feed(
        url, name, user=user, password_env=password_env, password_file=password_file
    )
    settings = load_settings(config)
    if settings.config_file is None:
        raise ConfigError(
            "no settings file to add the feed to (briefer init makes one; or --config FILE)"
        )
    found = check_feed(settings, feed)
    newest = f", newest {found.newest:%Y-%m-%d %H:%M} UTC" if found.newest else ""
    title = f"{found.title!r}" if found.title else "a feed without a title"
    if not flags.quiet:
        click.echo(f"Found {title}: {found.items} items{newest}")
    if found.problem and not flags.quiet:
        click.echo(redacted(f"warning: {url}: {found.problem}"), err=True)
    add_feed(settings.config_file, feed)
    if not flags.quiet:
        click.echo(f"Added to {settings.config_file}")


@command.command("list")
@config_option
def list_feeds(config: Path | None) -> None:
    """Each configured feed with its health: last success, last error, items kept.

    \b
    Examples:
      briefer feeds list
      briefer feeds list --config /srv/briefer/config/briefer.toml
    """
    from ..redact import redacted
    from ..settings import load_settings
    from ..sources.subscriptions import feed_health

    settings = load_settings(config)
    feeds = feed_health(settings)
    if not feeds:
        click.echo("No feeds configured (briefer feeds add URL adds one).")
        return
    for feed in feeds:
        name = f" ({feed.name})" if feed.name else ""
        click.echo(redacted(f"{feed.url}{name}"))
        if feed.last_success is None and feed.last_error is None:
            click.echo("  never fetched")
            continue
        click.echo(f"  last success: {feed.last_success or 'never'}; items kept: {feed.items}")
        if feed.last_error:
            count = feed.consecutive_failures
            failures = f" ({count} in a row)" if count else ""
            click.echo(redacted(f"  last error: {feed.last_error}{failures}"))
