"""The login of a feed behind one (HTTP Basic authentication).

The user name is the feed's ``user``; the password comes from the
environment variable named by ``password_env`` or the first line of
``password_file``, never from the settings file and never from the feed's
address (a ``user:password@`` address is refused when settings are read).
Messages name the key and the variable or file, never the password.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..errors import FeedError
from ..feedsettings import FeedSettings


@dataclass(frozen=True, slots=True)
class Login:
    """A user name and its password (left out of ``repr``)."""

    user: str
    password: str = field(repr=False)


def feed_login(feed: FeedSettings) -> Login | None:
    """The feed's login, or None when it needs none; :class:`FeedError` if unreadable."""
    if feed.user is None:
        return None
    if feed.password_env:
        value = os.environ.get(feed.password_env)
        if value:
            return Login(feed.user, value)
        if not feed.password_file:
            raise FeedError(f"password_env: environment variable {feed.password_env} is not set")
    if feed.password_file:
        path = feed.password_file
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise FeedError(f"password_file: {path}: cannot read: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise FeedError(f"password_file: {path}: not UTF-8 text") from None
        if not lines or not lines[0]:
            raise FeedError(f"password_file: {path}: the first line is empty")
        return Login(feed.user, lines[0])
    raise FeedError("user: set, but neither password_env nor password_file is")
