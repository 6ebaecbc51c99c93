"""Mail an edition to its readers: one MIME message, at most once per recipient.

:func:`compose` builds the message (the Markdown memo as the text body, an
HTML rendering of it as the alternative, the edition's files attached).
:func:`deliver` sends it over SMTP to every recipient that does not have it
yet and records each acceptance in the state store at once, so a restart
never mails an edition twice. Transient failures (no connection, a timeout,
a 4xx reply) are retried with exponential backoff; permanent ones (a 5xx
reply, a refused login, a bad certificate) stop at the first try. A failed
delivery leaves the edition in ``out/`` and marks it undelivered;
:func:`retry_undelivered` tries those again on the daemon's next run.

Secrets: the SMTP password comes from an environment variable or a file,
never from the settings file, and is masked in every message this module
writes or raises.
"""

from __future__ import annotations

import base64
import html
import ipaddress
import logging
import os
import re
import smtplib
import socket
import ssl
import string
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address, Group
from email.message import EmailMessage
from email.policy import SMTP
from email.policy import default as default_policy
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import NoReturn

from .editions import PREFIX, list_editions
from .errors import BrieferError, ConfigError, DeliveryError
from .render.common import day, stamp
from .settings import Settings
from .state import EditionRecord, StateStore

log = logging.getLogger("briefer.mail")

DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
LOCK_FILE = "mail.lock"
LOCK_WAIT = 600.0
SUBJECT_FIELDS = ("edition_date", "edition_time", "title")
_LIST_ID = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+")
_ESCAPED_ANCHOR = re.compile(r"&lt;a id=&quot;(src-\d{1,9})&quot;&gt;&lt;/a&gt;")
_STEM = re.compile(r"briefing-(\d{4}-\d{2}-\d{2}-\d{4})(?:-\d+)?")


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    """What one delivery of an edition did."""

    edition: str
    server: str
    sent_to: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    message_id: str | None = None
    attempts: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True unless the delivery failed."""
        return self.error is None

    def summary(self) -> str:
        """One line for the user: what was sent, skipped, or why it failed."""
        if self.error is not None:
            return self.error
        if not self.sent_to:
            return (
                f"Nothing to send: every recipient ({len(self.skipped)}) already has "
                f"{self.edition} (use --force to send it again)"
            )
        line = f"Sent {self.edition} to {_plural(len(self.sent_to), 'recipient')} via {self.server}"
        if self.skipped:
            line += f"; {len(self.skipped)} already had it"
        return line


@dataclass(frozen=True, slots=True)
class _Plan:
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


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def server_name(settings: Settings) -> str:
    """``host:port`` of the configured SMTP server."""
    return f"{settings.delivery.smtp_host}:{settings.delivery.smtp_port}"


# -- settings checks -----------------------------------------------------


def delivery_wanted(settings: Settings) -> bool:
    """True when any of ``enabled``, ``sender``, ``to`` or ``bcc`` is set."""
    d = settings.delivery
    return d.enabled or bool(d.sender or d.to or d.bcc)


def outline(settings: Settings) -> str:
    """The delivery settings in one line, without secrets (for ``briefer check``)."""
    d = settings.delivery
    recipients = _plural(len(d.to) + len(d.bcc), "recipient")
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


def _template_problem(template: str) -> str | None:
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


def _relative_to_config(settings: Settings, path: Path) -> Path:
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
    problem = _template_problem(d.subject)
    if problem:
        problems.append(f"{where}.subject: {problem}")
    if not _LIST_ID.fullmatch(d.list_id):
        problems.append(
            f"{where}.list_id: not a dotted name like 'briefings.example.org' (got {d.list_id!r})"
        )
    if d.ca_file is not None and not _relative_to_config(settings, d.ca_file).is_file():
        problems.append(f"{where}.ca_file: {_relative_to_config(settings, d.ca_file)}: not found")
    if d.user:
        if d.security == "none" and not _is_loopback(d.smtp_host):
            problems.append(
                f"{where}.security: 'none' would send the password unencrypted to "
                f"{d.smtp_host}; use 'starttls' or 'tls'"
            )
        if need_password:
            try:
                _password(settings)
            except DeliveryError as exc:
                problems.append(exc.lines[0])
    elif d.password_env or d.password_file:
        key = "password_env" if d.password_env else "password_file"
        problems.append(f"{where}.{key}: set, but delivery.user is not (no login without a user)")
    return problems


def _password(settings: Settings) -> str:
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


def _plan(settings: Settings) -> _Plan:
    """Parsed addresses; DeliveryError listing every settings problem."""
    problems = check_delivery(settings, need_password=False)
    if problems:
        raise DeliveryError(*(f"mail not sent: {p}" for p in problems))
    d = settings.delivery
    return _Plan(
        sender=_addresses(d.sender or "")[0],
        to=tuple(a for value in d.to for a in _addresses(value)),
        bcc=tuple(a for value in d.bcc for a in _addresses(value)),
    )


# -- the message ---------------------------------------------------------


def subject(settings: Settings, record: EditionRecord, title: str | None = None) -> str:
    """The Subject line: the template filled in, as one line without control characters."""
    fields = {
        "edition_date": day(record.edition_time),
        "edition_time": stamp(record.edition_time),
        "title": clean_header_text(title if title is not None else settings.memo.title),
    }
    template = clean_header_text(settings.delivery.subject)
    problem = _template_problem(template)
    if problem:
        raise DeliveryError(f"mail not sent: delivery.subject: {problem}")
    return clean_header_text(template.format(**fields))


def render_html(markdown_text: str, title: str) -> str:
    """The Markdown memo as a small HTML page; HTML in the source is shown as text."""
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark", {"html": False}).render(markdown_text)
    # The memo's own source anchors (and nothing else) become anchors again.
    body = _ESCAPED_ANCHOR.sub(r'<a id="\1"></a>', body)
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DeliveryError(f"mail not sent: {path}: cannot read: {exc.strerror or exc}") from None


def _message_domain(sender: Address) -> str:
    try:
        return sender.domain.encode("idna").decode("ascii")
    except UnicodeError:
        return "briefer.invalid"


def compose(settings: Settings, record: EditionRecord, title: str | None = None) -> EmailMessage:
    """The message for an edition: text and HTML body, files attached, no Bcc header.

    ``title`` (default: ``memo.title`` from the settings) fills ``{title}``
    in the subject template. Raises DeliveryError if the settings are
    incomplete or an edition file cannot be read.
    """
    plan = _plan(settings)
    d = settings.delivery
    markdown_bytes = _read(record.markdown)
    markdown_text = markdown_bytes.decode("utf-8", errors="replace")
    line = subject(settings, record, title)

    message = EmailMessage(policy=SMTP)
    message["Subject"] = line
    message["From"] = plan.sender
    message["To"] = plan.to or (Group("undisclosed-recipients", ()),)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=_message_domain(plan.sender))
    message["List-Id"] = f"<{d.list_id}>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(markdown_text, subtype="plain")
    message.add_alternative(render_html(markdown_text, line), subtype="html")
    for kind in d.attach:
        if kind == "docx":
            maintype, subtype = DOCX_TYPE
            message.add_attachment(
                _read(record.docx), maintype=maintype, subtype=subtype, filename=record.docx.name
            )
        else:
            message.add_attachment(markdown_text, subtype="markdown", filename=record.markdown.name)
    return message


# -- sending -------------------------------------------------------------


def _transient(exc: BaseException) -> bool:
    """Worth another try: no connection, a timeout, a dropped line, a 4xx reply."""
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return False
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(exc, smtplib.SMTPException | ssl.SSLError | ssl.CertificateError):
        return False
    if isinstance(exc, socket.gaierror):
        return exc.errno == socket.EAI_AGAIN
    return isinstance(exc, OSError)


def _reply_text(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    return clean_header_text(f"{code} {text}")


def describe(exc: BaseException, settings: Settings) -> str:
    """The failure as the server said it, or what went wrong on the line; one line."""
    d = settings.delivery
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        replies: dict[str, list[str]] = {}
        for recipient, (code, text) in exc.recipients.items():
            replies.setdefault(_reply_text(code, text), []).append(recipient)
        if len(replies) == 1:
            return next(iter(replies))
        return "; ".join(f"{reply} ({', '.join(who)})" for reply, who in replies.items())
    if isinstance(exc, LoginFailed):
        return f"login failed: {exc.smtp_error!s}"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "login refused: " + _reply_text(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, smtplib.SMTPResponseException):
        return _reply_text(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        text = str(exc)
        if "STARTTLS" in text:
            return "the server does not offer STARTTLS (security = 'starttls')"
        return clean_header_text(text) or "the server does not support a needed extension"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "the server closed the connection"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate not accepted: {exc.verify_message or exc.reason}"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed: {exc.reason or exc}"
    if isinstance(exc, socket.gaierror):
        return f"cannot resolve {d.smtp_host}: {exc.strerror or exc}"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionResetError):
        return "connection reset"
    if isinstance(exc, TimeoutError):
        return f"no answer within {d.timeout:g} s"
    if isinstance(exc, OSError) and exc.strerror:
        return clean_header_text(exc.strerror)
    return clean_header_text(f"{type(exc).__name__}: {exc}")


class _Masker:
    """Replaces a password (and its base64 forms sent in AUTH) with ``***``."""

    def __init__(self, user: str | None, password: str | None) -> None:
        self.secrets: list[str] = []
        if password:
            forms = [password, base64.b64encode(password.encode()).decode()]
            if user:
                forms.append(base64.b64encode(f"\0{user}\0{password}".encode()).decode())
            self.secrets = sorted(set(forms), key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text


def _tls_context(settings: Settings) -> ssl.SSLContext:
    d = settings.delivery
    cafile = str(_relative_to_config(settings, d.ca_file)) if d.ca_file else None
    return ssl.create_default_context(cafile=cafile)


def _send_once(
    settings: Settings,
    message: EmailMessage,
    sender: str,
    recipients: Sequence[str],
    password: str | None,
    accepted: Callable[[list[str]], None],
) -> None:
    """One SMTP session: connect, secure, log in, send; ``accepted`` hears who got it.

    Raises SMTPRecipientsRefused for recipients the server refused, after
    the accepted ones were reported.
    """
    d = settings.delivery
    context = _tls_context(settings) if d.security != "none" else None
    smtp: smtplib.SMTP
    if d.security == "tls":
        smtp = smtplib.SMTP_SSL(d.smtp_host, d.smtp_port, timeout=d.timeout, context=context)
    else:
        smtp = smtplib.SMTP(d.smtp_host, d.smtp_port, timeout=d.timeout)
    try:
        smtp.ehlo()
        if d.security == "starttls":
            smtp.starttls(context=context)
            smtp.ehlo()
        if d.user and password is not None:
            _login(smtp, d.user, password, d.timeout)
        refused = smtp.send_message(message, from_addr=sender, to_addrs=list(recipients))
        got = [r for r in recipients if r not in refused]
        if got:
            accepted(got)
        if refused:
            raise smtplib.SMTPRecipientsRefused(refused)
    finally:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


class LoginFailed(smtplib.SMTPAuthenticationError):
    """The login got no answer: the server hung up or stayed silent after the credentials.

    Servers that slow down failed logins do this; trying again with the
    same password would only count as another failed login.
    """

    def __init__(self, why: str) -> None:
        super().__init__(0, why)


def _login(smtp: smtplib.SMTP, user: str, password: str, timeout: float) -> None:
    """Log in with one mechanism (the best the server offers), once.

    ``smtplib.login`` tries every offered mechanism in turn: after a refused
    login, the next try often meets a closed connection, and the refusal
    was lost ("server closed the connection", retried with a fresh login).
    """
    smtp.ehlo_or_helo_if_needed()
    if not smtp.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server.")
    offered = smtp.esmtp_features["auth"].upper().split()
    methods = {"CRAM-MD5": smtp.auth_cram_md5, "PLAIN": smtp.auth_plain, "LOGIN": smtp.auth_login}
    mechanism = next((m for m in methods if m in offered), None)
    if mechanism is None:
        raise smtplib.SMTPException("the server offers no login method briefer knows")
    smtp.user, smtp.password = user, password
    try:
        smtp.auth(mechanism, methods[mechanism], initial_response_ok=True)
    except smtplib.SMTPServerDisconnected:
        raise LoginFailed("the server closed the connection during the login") from None
    except TimeoutError:
        raise LoginFailed(f"no answer to the login within {timeout:g} s") from None


def deliver(
    settings: Settings, store: StateStore, record: EditionRecord, *, force: bool = False
) -> DeliveryResult:
    """Mail ``record`` to every configured recipient that does not have it yet.

    One message goes to all pending recipients; each acceptance is recorded
    in ``store`` before anything else happens, so a later call (or a
    restarted process) sends nothing twice. ``force`` sends to everyone
    again. On failure the edition is marked undelivered and DeliveryError
    is raised with one line naming the server and its reply.
    """
    from filelock import FileLock, Timeout
    from tenacity import (
        RetryCallState,
        Retrying,
        retry_if_exception,
        stop_after_attempt,
        wait_exponential,
    )

    d = settings.delivery
    server = server_name(settings)
    try:
        plan = _plan(settings)
        password = _password(settings) if d.user else None
    except DeliveryError as exc:
        lines = [
            line if line.startswith("mail ") else f"mail not sent: {line}" for line in exc.lines
        ]
        store.mark_undelivered(record.stem, lines[0], 0)
        raise DeliveryError(*lines) from None
    mask = _Masker(d.user, password)

    lock = FileLock(str(store.path.parent / LOCK_FILE))
    try:
        lock.acquire(timeout=LOCK_WAIT)
    except Timeout:
        raise DeliveryError(
            f"mail not sent: another briefer process is still mailing after {LOCK_WAIT:.0f} s"
        ) from None
    try:
        wanted = plan.recipients()
        had = set() if force else store.delivered_to(record.stem)
        skipped = tuple(r for r in wanted if r.lower() in had)
        pending = [r for r in wanted if r.lower() not in had]
        if not pending:
            log.debug("%s: every recipient has it already; nothing sent", record.stem)
            return DeliveryResult(edition=record.stem, server=server, skipped=skipped)
        try:
            message = compose(settings, record)
        except DeliveryError as exc:
            store.mark_undelivered(record.stem, exc.lines[0], 0)
            raise
        message_id = str(message["Message-ID"])
        done: list[str] = []
        tries = 0

        def record_accepted(recipients: list[str]) -> None:
            store.mark_delivered(record.stem, recipients, message_id)
            done.extend(recipients)

        def attempt() -> None:
            nonlocal tries
            tries += 1
            remaining = [r for r in pending if r not in done]
            _send_once(
                settings, message, plan.sender.addr_spec, remaining, password, record_accepted
            )

        def before_sleep(state: RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            wait = state.next_action.sleep if state.next_action else 0.0
            log.warning(
                "mail to %s: try %d of %d failed: %s; trying again in %.3g s",
                server,
                state.attempt_number,
                d.attempts,
                mask(describe(exc, settings)) if exc else "unknown error",
                wait,
            )

        retrying = Retrying(
            stop=stop_after_attempt(d.attempts),
            wait=wait_exponential(multiplier=d.retry_wait, max=d.retry_wait_max),
            retry=retry_if_exception(_transient),
            before_sleep=before_sleep,
            reraise=True,
        )
        try:
            retrying(attempt)
        except Exception as exc:
            after = f" after {tries} tries" if tries > 1 else ""
            error = mask(f"mail to {server} failed{after}: {describe(exc, settings)}")
            if done:
                error += f" ({_plural(len(done), 'recipient')} did get it)"
            store.mark_undelivered(record.stem, error, tries)
            raise DeliveryError(error) from None
        log.debug(
            "mailed %s to %s via %s in %s (%s)",
            record.stem,
            _plural(len(done), "recipient"),
            server,
            _plural(tries, "try"),
            message_id,
        )
        return DeliveryResult(
            edition=record.stem,
            server=server,
            sent_to=tuple(done),
            skipped=skipped,
            message_id=message_id,
            attempts=tries,
        )
    finally:
        lock.release()


def retry_undelivered(settings: Settings, store: StateStore) -> list[DeliveryResult]:
    """Try again every edition whose mail failed; logs, never raises.

    Does nothing unless ``delivery.enabled``: a user who turned mailing
    off does not want old editions to go out.
    """
    if not settings.delivery.enabled:
        return []
    server = server_name(settings)
    results: list[DeliveryResult] = []
    for stem, previous in store.undelivered():
        record = store.edition(stem)
        if record is None:
            log.warning("mail for %s not retried: the edition is no longer recorded", stem)
            store.forget_undelivered(stem)
            continue
        log.info("retrying mail for %s (it failed before: %s)", stem, previous)
        try:
            result = deliver(settings, store, record)
        except BrieferError as exc:
            error = exc.lines[0] if exc.lines else str(exc)
            log.warning("%s: %s", stem, error)
            result = DeliveryResult(edition=stem, server=server, error=error)
        except Exception as exc:  # a daemon run must go on
            error = f"mail for {stem} failed unexpectedly: {type(exc).__name__}"
            log.warning("%s", error)
            result = DeliveryResult(edition=stem, server=server, error=error)
        else:
            log.info("%s", result.summary())
        results.append(result)
    return results


# -- which edition -------------------------------------------------------


def _from_files(settings: Settings, docx: Path) -> EditionRecord:
    """A record for edition files that the state store does not know."""
    stem = docx.stem
    match = _STEM.fullmatch(stem)
    stat = docx.stat()
    if match:
        when = datetime.strptime(match.group(1), "%Y-%m-%d-%H%M")
        zone = settings.zone()
        when = when.replace(tzinfo=zone) if zone else when.astimezone()
    else:
        when = datetime.fromtimestamp(stat.st_mtime).astimezone()
    return EditionRecord(
        stem=stem,
        edition_time=when,
        written_at=datetime.fromtimestamp(stat.st_mtime).astimezone(),
        docx=docx,
        markdown=docx.with_suffix(".md"),
        items=(),
    )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def find_edition(settings: Settings, store: StateStore, name: str | None = None) -> EditionRecord:
    """The edition called ``name`` (a stem or a path to its .docx/.md), or the latest one.

    Recorded editions come first; edition files in ``out/`` that were never
    recorded (or a path to any edition's files) work too. Raises
    DeliveryError naming what was looked for.
    """
    if name is None:
        # The edition latest.* shows: the out folder's newest by edition time.
        record = store.latest_edition(out_dir=settings.out_dir)
        if record is not None:
            return record
        files = list_editions(settings.out_dir)
        if files:
            return _from_files(settings, files[-1])
        raise DeliveryError(f"no edition yet in {settings.out_dir}; run `briefer make` first")
    record = store.edition(name)
    if record is not None:
        return record
    path = Path(name).expanduser()
    if path.suffix in (".docx", ".md"):
        docx = path.with_suffix(".docx")
        if not docx.is_file():
            raise DeliveryError(f"{docx}: no such edition file")
        for known in store.editions():
            if _same_file(known.docx, docx):
                return known
        # latest.docx is a link to the newest edition: send it under its own name.
        for candidate in list_editions(docx.parent):
            if _same_file(candidate, docx):
                return _from_files(settings, candidate)
        return _from_files(settings, docx)
    if name.startswith(PREFIX) and (settings.out_dir / f"{name}.docx").is_file():
        return _from_files(settings, settings.out_dir / f"{name}.docx")
    raise DeliveryError(
        f"unknown edition {name!r}: not recorded in {settings.state_dir} "
        f"and no {name}.docx in {settings.out_dir}"
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
