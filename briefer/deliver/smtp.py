"""One SMTP session, what its failures mean, and which are worth another try."""

from __future__ import annotations

import base64
import smtplib
import socket
import ssl
from collections.abc import Callable, Sequence
from email.message import EmailMessage

from ..settings import Settings
from .config import clean_header_text, relative_to_config


def transient(exc: BaseException) -> bool:
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


class Masker:
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
    cafile = str(relative_to_config(settings, d.ca_file)) if d.ca_file else None
    return ssl.create_default_context(cafile=cafile)


def send_once(
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
