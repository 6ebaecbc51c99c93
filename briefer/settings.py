"""Settings: one typed schema, read from a TOML file plus ``BRIEFER_*``.

Precedence, highest first: command-line options, environment variables
(``BRIEFER_BUDGET_WORDS``, nested with ``__`` as in ``BRIEFER_MEMO__TO``),
the TOML file, the defaults below. Relative paths in the TOML file resolve
against the file's folder; relative paths from the environment or the
command line resolve against the working directory.
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from .configfile import Loc, Strict, describe, read_toml
from .errors import ConfigError
from .feedsettings import FeedSettings, FetchSettings
from .redact import redacted

ENV_PREFIX = "BRIEFER_"
DEFAULT_CONFIG = Path("config") / "briefer.toml"
AS_OF_RANGE = (1900, 9000)
AS_OF_EXAMPLE = "2026-01-06T07:00"
# Settings that command-line options override, and the option.
_OPTIONS = {
    "as_of": "--as-of",
    "budget_words": "--budget",
    "seeds_dir": "--seeds",
    "out_dir": "--out",
}


def bundled(name: str) -> Path:
    """A file shipped with briefer: in the wheel's data, else the checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "_data" / name
    return packaged if packaged.exists() else here.parent / name


def parse_as_of(value: object) -> object:
    """An edition time from text (ISO 8601) or a TOML date/time, within :data:`AS_OF_RANGE`.

    Messages show the value and the accepted form; anything else is left to
    the field's own validation.
    """
    if isinstance(value, str):
        text = value.strip()
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a date and time; use {AS_OF_EXAMPLE}") from None
        shown = text
    elif isinstance(value, datetime | date):
        shown = value.isoformat()
    else:
        return value
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, datetime.min.time())
    # Edition times are shifted by zones and windows of days: far from the
    # limits of what Python can represent.
    low, high = AS_OF_RANGE
    if not low <= value.year <= high:
        raise ValueError(
            f"{shown!r} is out of range; use a time between the years {low} and {high}"
        )
    return value


def _check_zone(value: str | None) -> str | None:
    if value is not None:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
    return value


class MemoSettings(Strict):
    """The memo's header fields."""

    title: str = Field("Middle East briefing", description="Title at the top of every memo.")
    to: str | None = Field(None, description="Optional TO line (the readers).")
    from_: str | None = Field(
        None, alias="from", description="Optional FROM line (the desk that prepares it)."
    )
    marking: str | None = Field(
        None,
        description="Optional handling marking (e.g. 'INTERNAL - DO NOT FORWARD'), shown "
        "under the title and in the Word header.",
    )
    author: str = Field("briefer", description="Author written into the document properties.")
    stale_after_days: int = Field(
        2,
        ge=0,
        description="A bullet whose sources are all older than this many days before the "
        "edition shows its date, so old news never reads as current.",
    )
    paper: Literal["A4", "Letter"] | None = Field(
        None,
        description="Paper size of the Word memo: 'A4' or 'Letter'. Default: the page of "
        "templates/reference.docx (size and margins); with a size set, the reference "
        "document's margins are kept.",
    )

    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False
    )


class ScheduleSettings(Strict):
    """When ``briefer daemon`` builds editions: a cron expression or an interval."""

    cron: str | None = Field(
        None, description="5-field cron expression, e.g. '0 7 * * *' for 07:00 daily."
    )
    interval: float | None = Field(
        None, gt=0, description="Seconds between editions (instead of cron)."
    )
    timezone: str | None = Field(
        None,
        description="IANA time zone of the schedule, and of the daemon's editions unless "
        "the top-level timezone is set (default: the top-level timezone, else the machine's).",
    )
    keep_days: int = Field(
        90,
        ge=1,
        le=36500,
        description="Editions older than this many days are pruned (never the newest).",
    )

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, value: str | None) -> str | None:
        if value is not None:
            from apscheduler.triggers.cron import CronTrigger

            try:
                CronTrigger.from_crontab(value)
            except ValueError:
                raise ValueError(f"invalid cron expression {value!r}") from None
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        return _check_zone(value)

    @model_validator(mode="after")
    def _one_of(self) -> ScheduleSettings:
        if self.cron is not None and self.interval is not None:
            raise ValueError("give either cron or interval, not both")
        return self


class DeliverySettings(Strict):
    """Mail each edition to its readers."""

    enabled: bool = Field(False, description="Mail every edition the daemon writes.")
    smtp_host: str = Field("localhost", description="SMTP server host name.")
    smtp_port: int = Field(25, ge=1, le=65535, description="SMTP server port.")
    security: Literal["starttls", "tls", "none"] = Field(
        "starttls",
        description="'starttls' (upgrade on port 587), 'tls' (implicit TLS, port 465) or "
        "'none' (a local relay only).",
    )
    user: str | None = Field(None, description="SMTP user name, if the server needs a login.")
    password_env: str | None = Field(
        None, description="Name of the environment variable holding the SMTP password."
    )
    password_file: Path | None = Field(
        None, description="File holding the SMTP password (first line); never the TOML itself."
    )
    sender: str | None = Field(None, description="From address, e.g. 'Briefings <b@example.org>'.")
    to: tuple[str, ...] = Field((), description="Recipients shown in To.")
    bcc: tuple[str, ...] = Field((), description="Recipients not shown in the message.")
    subject: str = Field(
        "Briefing: {edition_date}",
        description="Subject template; fields: {edition_date}, {edition_time}, {title}.",
    )
    attach: tuple[Literal["docx", "md"], ...] = Field(
        ("docx",), description="Which files of the edition to attach."
    )
    list_id: str = Field(
        "briefer.briefings.invalid", description="List-Id header value, for readers' filters."
    )
    timeout: float = Field(30.0, gt=0, description="Seconds per SMTP operation.")
    attempts: int = Field(4, ge=1, le=20, description="Tries for a transient failure.")
    retry_wait: float = Field(
        5.0,
        ge=0,
        description="Seconds before the first retry of a transient failure; doubles with "
        "each further retry, up to retry_wait_max.",
    )
    retry_wait_max: float = Field(
        120.0, ge=0, description="Longest wait between two tries, in seconds."
    )
    ca_file: Path | None = Field(
        None,
        description="PEM file of CA certificates to trust for the server (a private relay), "
        "instead of the system's.",
    )
    password: None = Field(
        None,
        description="Not accepted: the password is read from the variable named by "
        "password_env or from password_file, never from the settings file.",
    )

    @field_validator("password", mode="before")
    @classmethod
    def _no_password_here(cls, value: object) -> None:
        if value is not None:
            raise ValueError(
                "a password is not read from the settings file; put it in an environment "
                "variable named by delivery.password_env, or in delivery.password_file"
            )
        return None


class Settings(BaseSettings):
    """Everything a build needs. Every field can be set in the TOML file."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        allow_inf_nan=False,
    )

    config_file: Path | None = Field(
        None, description="The settings file these settings came from (set by briefer)."
    )
    seeds_dir: Path = Field(Path("seeds"), description="Folder of article files (.txt, .md).")
    out_dir: Path = Field(Path("out"), description="Folder the memos are written to.")
    state_dir: Path = Field(
        Path("state"), description="Folder for briefer's state (feed store, edition log, locks)."
    )
    rules_file: Path = Field(
        default_factory=lambda: bundled("config/rules.toml"),
        description="Summarization rules (sections, cues, weights).",
    )
    templates_dir: Path = Field(
        default_factory=lambda: bundled("templates"),
        description="Folder holding briefing.md.j2 and reference.docx.",
    )
    budget_words: int = Field(
        700, ge=50, le=20_000, description="Word budget for the memo body (all bullets)."
    )
    max_article_bytes: int = Field(
        10_000_000, gt=0, description="Article files larger than this are skipped."
    )
    segmenter: Literal["syntok", "fast"] = Field(
        "syntok",
        description="Sentence splitter: 'syntok' (careful) or 'fast' (regex, for very large runs).",
    )
    model_dir: Path | None = Field(
        None,
        description="Folder of the sentence-embedding model that groups feed items by "
        "meaning ([stories] meaning). Default: the one `make run` installs, "
        "<virtual environment>/share/briefer/all-MiniLM-L6-v2.",
    )
    as_of: datetime | None = Field(
        None,
        description="Edition time (ISO 8601). Default: now. Set it to rebuild a past edition.",
    )
    timezone: str | None = Field(
        None, description="IANA time zone for edition times (default: the machine's)."
    )
    memo: MemoSettings = Field(default_factory=MemoSettings, description="Memo header fields.")
    fetch: FetchSettings = Field(default_factory=FetchSettings, description="Feed fetch limits.")
    feeds: tuple[FeedSettings, ...] = Field((), description="RSS/Atom feeds, one table each.")
    schedule: ScheduleSettings = Field(
        default_factory=ScheduleSettings, description="When the daemon builds editions."
    )
    delivery: DeliverySettings = Field(
        default_factory=DeliverySettings, description="Mailing editions to readers."
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        return _check_zone(value)

    @field_validator("as_of", mode="before")
    @classmethod
    def _sensible_time(cls, value: object) -> object:
        return parse_as_of(value)

    def zone(self) -> tzinfo:
        """The zone of edition times: ``timezone``, else the machine's (see :mod:`.zones`)."""
        from .zones import machine_zone

        return ZoneInfo(self.timezone) if self.timezone else machine_zone()

    def edition_time(self) -> datetime:
        """The edition's time: ``as_of`` if set, else now; timezone-aware."""
        zone = self.zone()
        if self.as_of is None:
            return datetime.now(zone).replace(microsecond=0)
        if self.as_of.tzinfo is None:
            return self.as_of.replace(tzinfo=zone).astimezone(zone)
        return self.as_of.astimezone(zone)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _DataSource(settings_cls, _FILE_DATA.get({})))


class _DataSource(PydanticBaseSettingsSource):
    """Values already read from the TOML file (paths resolved)."""

    def __init__(self, settings_cls: type[BaseSettings], data: dict[str, Any]) -> None:
        super().__init__(settings_cls)
        self._data = data

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return self._data.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(self._data)


# The TOML data of the load in progress; a context variable keeps loads in
# different threads apart without a class per load.
_FILE_DATA: ContextVar[dict[str, Any]] = ContextVar("briefer_file_data")

_PATH_KEYS = ("seeds_dir", "out_dir", "state_dir", "rules_file", "templates_dir", "model_dir")


def find_config(explicit: Path | None) -> Path | None:
    """The settings file to use: ``--config``, ``BRIEFER_CONFIG`` or ./config/briefer.toml.

    An explicit file that does not exist is an error, never a silent default.
    """
    if explicit is None and os.environ.get(ENV_PREFIX + "CONFIG"):
        explicit = Path(os.environ[ENV_PREFIX + "CONFIG"])
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: config file not found")
        return explicit
    return DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None


def no_settings_file() -> str:
    """What was looked for when no settings file was found (for messages)."""
    return (
        f"no settings file: no --config given, ${ENV_PREFIX}CONFIG not set and no "
        f"{DEFAULT_CONFIG} in {Path.cwd()}; the defaults were used"
    )


def load_settings(config: str | os.PathLike[str] | None = None, **overrides: Any) -> Settings:
    """Read settings from ``config`` (see :func:`find_config`), env and overrides.

    ``overrides`` are settings keys (``budget_words=500``, ``out_dir=...``);
    None means "not given".

    Every problem is reported at once in one :class:`ConfigError`, a line
    per problem naming the file (or variable) and the key.
    """
    path = find_config(Path(config) if config is not None else None)
    data: dict[str, Any] = {}
    if path is not None:
        data = read_toml(path)
        if "config_file" in data:
            data.pop("config_file")
            raise ConfigError(f"{path}: config_file: unknown key (set by briefer itself)")
        base = path.resolve().parent
        for key in _PATH_KEYS:
            value = data.get(key)
            if isinstance(value, str):
                data[key] = str((base / Path(value).expanduser()).resolve())
        delivery = data.get("delivery")
        feeds = data.get("feeds")
        tables = [delivery, *(feeds if isinstance(feeds, list) else [])]
        for table in tables:
            if isinstance(table, dict) and isinstance(table.get("password_file"), str):
                table["password_file"] = str((base / table["password_file"]).resolve())
    given = {k: v for k, v in overrides.items() if v is not None}
    token = _FILE_DATA.set(data)
    try:
        return Settings(config_file=path.resolve() if path else None, **given)
    except ValidationError as exc:
        raise ConfigError(*_describe(exc, path, given)) from None
    finally:
        _FILE_DATA.reset(token)


def _describe(
    exc: ValidationError, path: Path | None, given: dict[str, Any] | None = None
) -> list[str]:
    def where(loc: Loc) -> tuple[str, Loc]:
        names = [str(p) for p in loc]
        if names and given and names[0] in given:
            # A flag's mistake is blamed on the flag: "--as-of: 'yesterday' is not ...".
            return _OPTIONS.get(names[0], names[0]), ()
        top_env = ENV_PREFIX + names[0].upper() if names else ""
        if top_env and any(name.startswith(top_env) for name in os.environ):
            return f"environment {ENV_PREFIX + '__'.join(names).upper()}", loc
        return (str(path) if path else "settings"), loc

    # A password in an address is never shown (a feed's, a mail server's).
    return [redacted(line) for line in describe(exc, Settings, where, hidden=_hidden)]


def _hidden(name: str, field: FieldInfo) -> bool:
    """Keys not offered as suggestions: set by briefer itself, or not accepted."""
    return name == "config_file" or (field.description or "").startswith("Not accepted")
