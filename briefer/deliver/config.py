"""The ``[delivery]`` settings checked: addresses, subject template, password.

:func:`check_delivery` lists every problem at once (``briefer check``);
:func:`plan` turns good settings into envelope addresses; the password
comes from an environment variable or a file, never from the settings
file, and no message names it.
"""

from __future__ import annotations

import ipaddress
import os
import re
import string
import unicodedata
from dataclasses import dataclass
from email.headerregistry import Address
from email.policy import default as default_policy
from pathlib import Path
from typing import NoReturn

from ..errors import ConfigError, DeliveryError
from ..settings import Settings
from ..text import plural

SUBJECT_FIELDS = ("edition_date", "edition_time", "title")
_LIST_ID = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+")


@dataclass(frozen=True, slots=True)
class Plan:
    """Delivery settings checked and parsed: addresses ready for the envelope."""

    sender: Address
    to: tuple[Address, ...]
    bcc: tuple[Address, ...]

    def recipients(self) -> list[str]:
        """Envelope recipients, To then Bcc, each once (addresses compare case-blind)."""
        seen: set[str] = set()
        out: list[str] = []
        for address in (*self.to, *self.bcc):
            key = address.addr_spec.lower()
            if key not in seen:
                seen.add(key)
                out.append(address.addr_spec)
        return out


def server_name(settings: Settings) -> str:
    """``host:port`` of the configured SMTP server."""
    return f"{settings.delivery.smtp_host}:{settings.delivery.smtp_port}"


def delivery_wanted(settings: Settings) -> bool:
    """True when any of ``enabled``, ``sender``, ``to`` or ``bcc`` is set."""
    d = settings.delivery
    return d.enabled or bool(d.sender or d.to or d.bcc)


def outline(settings: Settings) -> str:
    """The delivery settings in one line, without secrets (for ``briefer check``)."""
    d = settings.delivery
    recipients = plural(len(d.to) + len(d.bcc), "recipient")
    login = f", login as {d.user}" if d.user else ""
    when = "every edition" if d.enabled else "with briefer send only"
    return f"via {server_name(settings)} ({d.security}{login}) to {recipients}, {when}"


def _has_control(text: str) -> bool:
    return any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in text)


def clean_header_text(text: str) -> str:
    """``text`` as one header line: control characters and line breaks become spaces."""
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)
    return " ".join(text.split())


def _addresses(value: str) -> tuple[Address, ...]:
    """The addresses in one setting value; ValueError if it is not a clean address list."""
    if _has_control(value):
        raise ValueError("contains a line break or control character")
    try:
        header = default_policy.header_factory("To", value)
    except Exception:  # the parser raises on some malformed input
        raise ValueError("not an email address") from None
    if header.defects or not header.addresses:
        raise ValueError("not an email address")
    if any(group.display_name is not None for group in header.groups):
        raise ValueError("a group is not a recipient")
    for address in header.addresses:
        if not address.username or not address.domain:
            raise ValueError("not an email address")
    return tuple(header.addresses)


def template_problem(template: str) -> str | None:
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:
        return f"invalid template: {exc}"
    for _, field, spec, conversion in parts:
        if field is None:
            continue
        if field not in SUBJECT_FIELDS:
            known = ", ".join("{" + f + "}" for f in SUBJECT_FIELDS)
            return f"unknown field {{{field}}} (known: {known})"
        if spec or conversion:
            return f"field {{{field}}} takes no format or conversion"
    return None


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def relative_to_config(settings: Settings, path: Path) -> Path:
    if path.is_absolute() or settings.config_file is None:
        return path
    return settings.config_file.parent / path


def _where(settings: Settings) -> str:
    return f"{settings.config_file or 'settings'}: delivery"


def check_delivery(settings: Settings, *, need_password: bool = True) -> list[str]:
    """Every problem with the ``[delivery]`` settings, one line each; [] when ready to send.

    Secrets are never part of a line. With ``need_password`` the password
    source is checked too (the variable is set, the file is readable).
    """
    d = settings.delivery
    where = _where(settings)
    problems: list[str] = []
    if not d.sender:
        problems.append(f"{where}.sender: not set (the From address)")
    else:
        try:
            sender = _addresses(d.sender)
            if len(sender) != 1:
                problems.append(f"{where}.sender: give one address (got {d.sender!r})")
        except ValueError as exc:
            problems.append(f"{where}.sender: {exc} (got {d.sender!r})")
    if not (d.to or d.bcc):
        problems.append(f"{where}.to: no recipients (set delivery.to or delivery.bcc)")
    for key, values in (("to", d.to), ("bcc", d.bcc)):
        for value in values:
            try:
                _addresses(value)
            except ValueError as exc:
                problems.append(f"{where}.{key}: {exc} (got {value!r})")
    problem = template_problem(d.subject)
    if problem:
        problems.append(f"{where}.subject: {problem}")
    if not _LIST_ID.fullmatch(d.list_id):
        problems.append(
            f"{where}.list_id: not a dotted name like 'briefings.example.org' (got {d.list_id!r})"
        )
    if d.ca_file is not None and not relative_to_config(settings, d.ca_file).is_file():
        problems.append(f"{where}.ca_file: {relative_to_config(settings, d.ca_file)}: not found")
    if d.user:
        if d.security == "none" and not _is_loopback(d.smtp_host):
            problems.append(
                f"{where}.security: 'none' would send the password unencrypted to "
                f"{d.smtp_host}; use 'starttls' or 'tls'"
            )
        if need_password:
            try:
                password_of(settings)
            except DeliveryError as exc:
                problems.append(exc.lines[0])
    elif d.password_env or d.password_file:
        key = "password_env" if d.password_env else "password_file"
        problems.append(f"{where}.{key}: set, but delivery.user is not (no login without a user)")
    return problems


def password_of(settings: Settings) -> str:
    """The SMTP password from the environment or the password file.

    Errors name the settings key and the variable or file, never the password.
    """
    d = settings.delivery
    where = _where(settings)

    def fail(line: str) -> NoReturn:
        raise DeliveryError(f"{where}.{line}")

    if d.password_env:
        value = os.environ.get(d.password_env)
        if value:
            return value
        if not d.password_file:
            fail(f"password_env: environment variable {d.password_env} is not set")
    if d.password_file:
        path = d.password_file
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            fail(f"password_file: {path}: cannot read: {exc.strerror or exc}")
        except UnicodeDecodeError:
            fail(f"password_file: {path}: not UTF-8 text")
        lines = text.splitlines()
        if not lines or not lines[0]:
            fail(f"password_file: {path}: the first line is empty")
        return lines[0]
    fail("user: set, but neither delivery.password_env nor delivery.password_file is")


def plan(settings: Settings) -> Plan:
    """Parsed addresses; DeliveryError listing every settings problem."""
    problems = check_delivery(settings, need_password=False)
    if problems:
        raise DeliveryError(*(f"mail not sent: {p}" for p in problems))
    d = settings.delivery
    return Plan(
        sender=_addresses(d.sender or "")[0],
        to=tuple(a for value in d.to for a in _addresses(value)),
        bcc=tuple(a for value in d.bcc for a in _addresses(value)),
    )


def require_configured(settings: Settings) -> None:
    """ConfigError (exit code 2) unless the delivery settings are complete and valid."""
    where = settings.config_file or "the settings"
    if not settings.delivery.sender and not (settings.delivery.to or settings.delivery.bcc):
        raise ConfigError(
            f"delivery is not configured: set sender and to in the [delivery] table of {where}"
        )
    problems = check_delivery(settings)
    if problems:
        raise ConfigError(*problems)
