"""The settings of feeds: each feed's ``[[feeds]]`` table and the ``[fetch]`` limits.

Part of the settings schema (:mod:`briefer.settings`), kept apart because
the feed sources read them on their own.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator, model_validator

from .configfile import Strict
from .models import Kind
from .redact import has_password

FEED_PASSWORD_HELP = (
    "a feed address never holds its password; set the feed's user, and password_env "
    "(the environment variable holding it) or password_file"
)


class FeedSettings(Strict):
    """One RSS or Atom feed to read for each edition."""

    url: str = Field(description="Feed address (http or https).")
    name: str | None = Field(None, description="Publisher name shown in citations.")
    full_text: bool = Field(
        False, description="Fetch each item's page and extract the article body."
    )
    max_items: int = Field(200, ge=1, description="Read at most this many items per fetch.")
    kind: Kind | None = Field(
        None,
        description="What every item of this feed is (an opinion feed: 'opinion'); "
        "default: each item's kind by the rules file's [kinds].",
    )
    state_media: bool = Field(
        False,
        description="The publisher is state-affiliated media: its claims carry their "
        "attribution in the memo ('Tehran Times (state media): ...').",
    )
    user: str | None = Field(
        None, description="User name, for a feed behind a login (HTTP Basic authentication)."
    )
    password_env: str | None = Field(
        None, description="Name of the environment variable holding the feed's password."
    )
    password_file: Path | None = Field(
        None, description="File holding the feed's password (first line); never the TOML itself."
    )
    password: None = Field(
        None,
        description="Not accepted: the password is read from the variable named by "
        "password_env or from password_file, never from the settings file.",
    )

    @field_validator("url")
    @classmethod
    def _http_only(cls, value: str) -> str:
        if not value.lower().startswith(("http://", "https://")):
            raise ValueError(f"feed url must start with http:// or https:// (got {value!r})")
        if has_password(value):
            raise ValueError(FEED_PASSWORD_HELP)
        return value

    @field_validator("password", mode="before")
    @classmethod
    def _no_password_here(cls, value: object) -> None:
        if value is not None:
            raise ValueError(f"a password is not read from the settings file; {FEED_PASSWORD_HELP}")
        return None

    @model_validator(mode="after")
    def _login_complete(self) -> FeedSettings:
        has_source = self.password_env is not None or self.password_file is not None
        if self.user is not None and not has_source:
            raise ValueError("user: set, but neither password_env nor password_file is")
        if self.user is None and has_source:
            raise ValueError("password_env or password_file: set, but user is not")
        return self


class FetchSettings(Strict):
    """Limits that apply to every feed fetch."""

    connect_timeout: float = Field(10.0, gt=0, description="Seconds to open a connection.")
    read_timeout: float = Field(20.0, gt=0, description="Seconds to wait for each read.")
    deadline: float = Field(60.0, gt=0, description="Seconds for one whole feed download.")
    run_deadline: float = Field(
        300.0,
        gt=0,
        description="Seconds for all of a run's fetching together (every feed and every "
        "full-text page); what is not done by then is cut, with a warning naming it.",
    )
    max_bytes: int = Field(
        10_000_000, gt=0, description="Largest feed accepted, after decompression."
    )
    max_redirects: int = Field(5, ge=0, le=20, description="Redirects followed per request.")
    concurrency: int = Field(8, ge=1, le=128, description="Feeds fetched at the same time.")
    window_days: float = Field(
        7.0,
        gt=0,
        le=3650,
        description="Feed items older than this before the edition time are left out.",
    )
    user_agent: str = Field(
        "briefer/0.1 (+https://example.invalid/briefer)",
        description="User-Agent header sent with every request.",
    )
    keep_days: float = Field(
        90.0,
        gt=0,
        le=36500,
        description="Stored feed items that no feed has carried for this many days are "
        "deleted from the feed store.",
    )
