"""Mail delivery against a real SMTP server on 127.0.0.1 (aiosmtpd, started here)."""

from __future__ import annotations

import email
import io
import logging
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner
from docx import Document

from briefer.brief import build_brief
from briefer.cli import cli
from briefer.deliver import DOCX_TYPE, check_delivery, compose, deliver, retry_undelivered
from briefer.errors import DeliveryError
from briefer.models import Brief
from briefer.outfolder import EditionFiles, find_edition, publish
from briefer.settings import Settings
from briefer.state import EditionRecord, StateStore

from .helpers import ROOT, make_settings

STEM = "briefing-2026-01-02-0700"
PASSWORD = "s3cret-Pa55word"
SENDER = "Briefings <briefings@example.org>"
TO = "Regional Desk <desk@example.org>"
BCC = "hidden@example.net"


# -- a real SMTP server ---------------------------------------------------


@dataclass
class Received:
    """One message as the server got it."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    def parsed(self) -> EmailMessage:
        message = email.message_from_bytes(self.data, policy=policy.default)
        assert isinstance(message, EmailMessage)
        return message


@dataclass
class Handler:
    """Accepts mail, or answers with the replies queued in ``data_replies``/``refuse``."""

    messages: list[Received] = field(default_factory=list)
    data_replies: list[str] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    transactions: int = 0

    async def handle_MAIL(self, server, session, envelope, address, options) -> str:
        self.transactions += 1
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options) -> str:
        reply = self.refuse.get(address) or self.refuse.get("*")
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.data_replies:
            return self.data_replies.pop(0)
        self.messages.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
        )
        return "250 2.0.0 queued"


@dataclass
class Server:
    handler: Handler
    port: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Servers:
    """Starts aiosmtpd controllers on 127.0.0.1 and stops them after the test."""

    def __init__(self) -> None:
        self.controllers: list[Controller] = []

    def start(self, handler: Handler | None = None, port: int | None = None, **kw: Any) -> Server:
        handler = handler or Handler()
        port = port or free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port, **kw)
        controller.start()
        self.controllers.append(controller)
        return Server(handler, port)

    def stop(self) -> None:
        for controller in self.controllers:
            controller.stop()


@pytest.fixture
def servers() -> Iterator[Servers]:
    started = Servers()
    yield started
    started.stop()


def check_login(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == b"desk-bot"
        and auth_data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False)


# -- an edition -----------------------------------------------------------


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> tuple[Brief, EditionFiles]:
    """One real edition of the seeds, built once for this module."""
    tmp = tmp_path_factory.mktemp("edition")
    settings = make_settings(tmp)
    brief = build_brief(settings)
    return brief, publish(brief, settings.out_dir, settings.templates_dir)


def mail_settings(tmp_path: Path, out_dir: Path, port: int, **delivery: Any) -> Settings:
    values: dict[str, Any] = {
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "security": "none",
        "sender": SENDER,
        "to": [TO],
        "bcc": [BCC],
        "timeout": 5,
        "retry_wait": 0.01,
        "retry_wait_max": 0.05,
    }
    values.update(delivery)
    return make_settings(tmp_path, out_dir=out_dir, delivery=values)


@dataclass
class Setup:
    settings: Settings
    store: StateStore
    record: EditionRecord
    files: EditionFiles


@pytest.fixture
def setup(tmp_path: Path, edition: tuple[Brief, EditionFiles]) -> Iterator[Any]:
    """Factory: settings for a server port, a fresh state store with the edition recorded."""
    brief, files = edition
    stores: list[StateStore] = []

    def make(port: int, **delivery: Any) -> Setup:
        settings = mail_settings(tmp_path, files.docx.parent, port, **delivery)
        store = StateStore(settings.state_dir)
        stores.append(store)
        store.record_edition(
            files.stem, brief.edition_time, files.docx, files.markdown, brief.items
        )
        record = store.edition(files.stem)
        assert record is not None
        return Setup(settings, store, record, files)

    yield make
    for store in stores:
        store.close()


def briefer_logs(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("briefer"))


# -- the message ----------------------------------------------------------


def test_delivered_message_parses_back_with_the_docx_intact(servers: Servers, setup) -> None:
    server = servers.start()
    s = setup(server.port)
    result = deliver(s.settings, s.store, s.record)

    assert result.sent_to == ("desk@example.org", "hidden@example.net")
    assert result.attempts == 1 and result.ok
    [got] = server.handler.messages
    assert got.mail_from == "briefings@example.org"
    assert got.rcpt_tos == ["desk@example.org", "hidden@example.net"]
    message = got.parsed()
    assert message["Subject"] == "Briefing: 2 Jan 2026"
    assert message["From"] == SENDER
    assert message["To"] == TO
    assert message["List-Id"] == "<briefer.briefings.invalid>"
    assert message["Message-ID"] == result.message_id
    assert result.message_id.startswith("<") and result.message_id.endswith("@example.org>")
    assert message["Date"].datetime is not None
    header_block = got.data.split(b"\r\n\r\n", 1)[0]
    assert b"hidden" not in header_block and message["Bcc"] is None

    text = message.get_body(("plain",))
    assert text is not None
    sent_text = text.get_content().replace("\r\n", "\n")
    assert sent_text == s.files.markdown.read_text(encoding="utf-8")
    page = message.get_body(("html",))
    assert page is not None
    html = page.get_content()
    assert "<h1>Middle East briefing</h1>" in html and "<li>" in html

    [attachment] = message.iter_attachments()
    assert (attachment.get_content_maintype(), attachment.get_content_subtype()) == DOCX_TYPE
    assert attachment.get_filename() == f"{STEM}.docx"
    data = attachment.get_content()
    assert data == s.files.docx.read_bytes()
    paragraphs = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    assert "Middle East briefing" in paragraphs

    got_it = s.store.delivered_to(STEM, out_dir=s.settings.out_dir)
    assert got_it == {"desk@example.org", "hidden@example.net"}
    assert s.store.undelivered() == []


def test_markdown_attachment_subject_fields_and_title(tmp_path: Path, setup) -> None:
    s = setup(
        25,
        attach=["docx", "md"],
        subject="{title}: {edition_date} ({edition_time})",
        to=[],
        list_id="gaza.briefings.example.org",
    )
    message = compose(s.settings, s.record, title="Morning note")
    assert message["Subject"] == "Morning note: 2 Jan 2026 (Friday 2 January 2026, 07:00 UTC)"
    assert message["To"] == "undisclosed-recipients:;"
    assert message["List-Id"] == "<gaza.briefings.example.org>"
    assert message["Auto-Submitted"] == "auto-generated"
    docx, md = message.iter_attachments()
    assert docx.get_filename() == f"{STEM}.docx"
    assert md.get_content_type() == "text/markdown"
    assert md.get_content_charset() == "utf-8"
    assert md.get_filename() == f"{STEM}.md"
    assert md.get_content().replace("\r\n", "\n") == s.files.markdown.read_text(encoding="utf-8")


def test_html_part_shows_markup_in_the_memo_as_text(tmp_path: Path, setup) -> None:
    s = setup(25)
    markdown = tmp_path / "evil.md"
    markdown.write_text(
        "# Memo\n\n- <script>alert(1)</script> [x](javascript:alert(1)) [ok](https://example.org)\n"
    )
    record = replace(s.record, markdown=markdown)
    html = compose(s.settings, record).get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert '<a href="https://example.org">ok</a>' in html


def test_header_injection_through_title_or_subject_adds_no_header(servers: Servers, setup) -> None:
    server = servers.start()
    s = setup(server.port, subject="Briefing\r\nBcc: evil@x.org {edition_date}")
    message = compose(s.settings, s.record, title="Gaza\r\nBcc: evil@x.org\nX-Evil: 1")
    assert message["Subject"] == "Briefing Bcc: evil@x.org 2 Jan 2026"
    deliver(s.settings, s.store, s.record)
    [got] = server.handler.messages
    assert got.rcpt_tos == ["desk@example.org", "hidden@example.net"]
    assert got.parsed()["Subject"] == "Briefing Bcc: evil@x.org 2 Jan 2026"
    assert got.parsed()["Bcc"] is None

    s = setup(25, subject="{title}")
    message = compose(s.settings, s.record, title="Gaza\r\nBcc: evil@x.org\nX-Evil: 1\x00\u2028")
    assert message["Subject"] == "Gaza Bcc: evil@x.org X-Evil: 1"
    raw = message.as_bytes()
    headers = raw.split(b"\r\n\r\n", 1)[0]
    assert b"\r\nBcc:" not in headers and b"\r\nX-Evil" not in headers
    assert message["Bcc"] is None and message["X-Evil"] is None


def test_addresses_with_line_breaks_are_rejected_before_any_header(servers: Servers, setup) -> None:
    server = servers.start()
    s = setup(server.port, to=["desk@example.org\r\nBcc: evil@x.org"], sender="a@b.org\nX: y")
    problems = check_delivery(s.settings)
    where = f"{s.settings.config_file}: delivery"
    assert problems == [
        f"{where}.sender: contains a line break or control character (got 'a@b.org\\nX: y')",
        f"{where}.to: contains a line break or control character "
        "(got 'desk@example.org\\r\\nBcc: evil@x.org')",
    ]
    with pytest.raises(DeliveryError) as caught:
        deliver(s.settings, s.store, s.record)
    assert caught.value.lines == tuple(f"mail not sent: {p}" for p in problems)
    assert server.handler.transactions == 0
    assert s.store.undelivered() == [(STEM, f"mail not sent: {problems[0]}")]


def test_settings_problems_are_listed_at_once(setup) -> None:
    s = setup(25, sender="not an address", to=["ok@example.org", "x@"], subject="{date}")
    where = f"{s.settings.config_file}: delivery"
    assert check_delivery(s.settings) == [
        f"{where}.sender: not an email address (got 'not an address')",
        f"{where}.to: not an email address (got 'x@')",
        f"{where}.subject: unknown field {{date}} (known: {{edition_date}}, {{edition_time}}, "
        "{title})",
    ]


# -- retries and failures -------------------------------------------------


def test_a_421_reply_is_retried_and_one_message_arrives(
    servers: Servers, setup, caplog: pytest.LogCaptureFixture
) -> None:
    server = servers.start(Handler(data_replies=["421 4.3.2 try again later"]))
    s = setup(server.port)
    result = deliver(s.settings, s.store, s.record)
    assert result.attempts == 2
    assert len(server.handler.messages) == 1
    assert server.handler.transactions == 2
    assert (
        f"mail to 127.0.0.1:{server.port}: try 1 of 4 failed: 421 4.3.2 try again later; "
        "trying again in 0.01 s"
    ) in briefer_logs(caplog)
    assert s.store.undelivered() == []


def test_a_refused_connection_is_retried_until_the_server_is_up(servers: Servers, setup) -> None:
    port = free_port()
    s = setup(port, attempts=12, retry_wait=0.05, retry_wait_max=0.2)
    holder: list[Server] = []
    timer = threading.Timer(0.2, lambda: holder.append(servers.start(port=port)))
    timer.start()
    try:
        result = deliver(s.settings, s.store, s.record)
    finally:
        timer.join()
    assert result.attempts >= 2
    assert len(holder[0].handler.messages) == 1


def test_no_server_at_all_gives_up_after_the_bounded_tries(setup) -> None:
    port = free_port()
    s = setup(port, attempts=3)
    with pytest.raises(DeliveryError) as caught:
        deliver(s.settings, s.store, s.record)
    message = f"mail to 127.0.0.1:{port} failed after 3 tries: connection refused"
    assert str(caught.value) == message
    assert s.store.undelivered() == [(STEM, message)]


def test_a_550_fails_fast_is_recorded_and_keeps_the_edition(servers: Servers, setup) -> None:
    server = servers.start(Handler(refuse={"*": "550 5.1.1 mailbox unavailable"}))
    s = setup(server.port)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (s.files.docx, s.files.markdown)}
    with pytest.raises(DeliveryError) as caught:
        deliver(s.settings, s.store, s.record)
    message = f"mail to 127.0.0.1:{server.port} failed: 550 5.1.1 mailbox unavailable"
    assert str(caught.value) == message
    assert server.handler.transactions == 1
    assert s.store.undelivered() == [(STEM, message)]
    assert s.store.delivered_to(STEM, out_dir=s.settings.out_dir) == set()
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in before} == before


def test_one_refused_recipient_does_not_resend_to_the_others(servers: Servers, setup) -> None:
    handler = Handler(refuse={"hidden@example.net": "550 5.1.1 no such user"})
    server = servers.start(handler)
    s = setup(server.port)
    with pytest.raises(DeliveryError) as caught:
        deliver(s.settings, s.store, s.record)
    assert str(caught.value) == (
        f"mail to 127.0.0.1:{server.port} failed: 550 5.1.1 no such user (1 recipient did get it)"
    )
    assert s.store.delivered_to(STEM, out_dir=s.settings.out_dir) == {"desk@example.org"}
    handler.refuse.clear()
    result = deliver(s.settings, s.store, s.record)
    assert result.sent_to == ("hidden@example.net",)
    assert result.skipped == ("desk@example.org",)
    assert [m.rcpt_tos for m in handler.messages] == [["desk@example.org"], ["hidden@example.net"]]
    assert s.store.undelivered() == []


def test_a_permanent_failure_is_retried_by_the_next_daemon_run(servers: Servers, setup) -> None:
    handler = Handler(data_replies=["554 5.6.0 message rejected"])
    server = servers.start(handler)
    s = setup(server.port, enabled=True)
    with pytest.raises(DeliveryError):
        deliver(s.settings, s.store, s.record)
    assert handler.transactions == 1
    assert retry_undelivered(replace_enabled(s.settings, False), s.store) == []
    assert handler.transactions == 1
    [result] = retry_undelivered(s.settings, s.store)
    assert result.ok and result.summary() == (
        f"Sent {STEM} to 2 recipients via 127.0.0.1:{server.port}"
    )
    assert len(handler.messages) == 1
    assert s.store.undelivered() == []
    assert retry_undelivered(s.settings, s.store) == []


def test_retry_undelivered_logs_and_never_raises(setup, caplog: pytest.LogCaptureFixture) -> None:
    port = free_port()
    s = setup(port, enabled=True, attempts=1)
    out = s.settings.out_dir
    s.store.mark_undelivered(STEM, "earlier failure", 1, out_dir=out)
    s.store.mark_undelivered("briefing-2020-01-01-0700", "pruned since", 1, out_dir=out)
    [result] = retry_undelivered(s.settings, s.store)
    assert result.error == f"mail to 127.0.0.1:{port} failed: connection refused"
    logs = briefer_logs(caplog)
    assert "mail for briefing-2020-01-01-0700 not retried" in logs
    assert f"{STEM}: mail to 127.0.0.1:{port} failed: connection refused" in logs
    assert s.store.undelivered() == [(STEM, result.error)]


def replace_enabled(settings: Settings, enabled: bool) -> Settings:
    return settings.model_copy(
        update={"delivery": settings.delivery.model_copy(update={"enabled": enabled})}
    )


def test_starttls_refused_by_a_plain_server_is_permanent(servers: Servers, setup) -> None:
    server = servers.start()
    s = setup(server.port, security="starttls")
    with pytest.raises(DeliveryError) as caught:
        deliver(s.settings, s.store, s.record)
    assert str(caught.value) == (
        f"mail to 127.0.0.1:{server.port} failed: the server does not offer STARTTLS "
        "(security = 'starttls')"
    )
    assert server.handler.messages == []


# -- exactly once ---------------------------------------------------------


def test_a_restart_after_a_send_sends_nothing_more(servers: Servers, setup) -> None:
    server = servers.start()
    s = setup(server.port)
    deliver(s.settings, s.store, s.record)
    s.store.close()

    with StateStore(s.settings.state_dir) as store:
        record = store.edition(STEM)
        assert record is not None
        result = deliver(s.settings, store, record)
        assert result.sent_to == ()
        assert result.summary() == (
            f"Nothing to send: every recipient (2) already has {STEM} "
            "(use --force to send it again)"
        )
        assert len(server.handler.messages) == 1

        more = mail_settings(
            s.settings.state_dir.parent,
            s.files.docx.parent,
            server.port,
            to=[TO, "new@example.org"],
        )
        result = deliver(more, store, record)
        assert result.sent_to == ("new@example.org",)
        assert server.handler.messages[-1].rcpt_tos == ["new@example.org"]

        result = deliver(s.settings, store, record, force=True)
        assert result.sent_to == ("desk@example.org", "hidden@example.net")
        assert len(server.handler.messages) == 3


def test_deliveries_at_the_same_time_send_one_message(servers: Servers, setup) -> None:
    server = servers.start()
    s = setup(server.port)
    results: list[Any] = []

    def send() -> None:
        with StateStore(s.settings.state_dir) as store:
            record = store.edition(STEM)
            assert record is not None
            results.append(deliver(s.settings, store, record))

    threads = [threading.Thread(target=send) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(server.handler.messages) == 1
    assert sorted(len(r.sent_to) for r in results) == [0, 0, 2]


# -- secrets --------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_the_password_never_shows_in_logs_or_errors(
    servers: Servers,
    setup,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="briefer")
    server = servers.start(authenticator=check_login, auth_require_tls=False, auth_required=True)
    monkeypatch.setenv("SMTP_PASSWORD", "wrong-" + PASSWORD)
    s = setup(server.port, user="desk-bot", password_env="SMTP_PASSWORD")
    with pytest.raises(DeliveryError) as caught:
        deliver(s.settings, s.store, s.record)
    message = (
        f"mail to 127.0.0.1:{server.port} failed: login refused: "
        "535 5.7.8 Authentication credentials invalid"
    )
    assert str(caught.value) == message
    assert server.handler.transactions == 0

    secret_file = tmp_path / "smtp-password"
    secret_file.write_text(PASSWORD + "\n")
    s = setup(server.port, user="desk-bot", password_file=str(secret_file))
    result = deliver(s.settings, s.store, s.record)
    assert result.ok and len(server.handler.messages) == 1

    seen = [briefer_logs(caplog), message, *(e for _, e in s.store.undelivered())]
    assert not any(PASSWORD in text for text in seen)


def test_missing_password_source_is_a_clear_error(setup, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMTP_PASSWORD", raising=False)
    s = setup(25, user="desk-bot", password_env="SMTP_PASSWORD")
    where = f"{s.settings.config_file}: delivery"
    assert check_delivery(s.settings) == [
        f"{where}.password_env: environment variable SMTP_PASSWORD is not set"
    ]
    s = setup(25, user="desk-bot", smtp_host="mail.example.org")
    assert check_delivery(s.settings) == [
        f"{where}.security: 'none' would send the password unencrypted to mail.example.org; "
        "use 'starttls' or 'tls'",
        f"{where}.user: set, but neither delivery.password_env nor delivery.password_file is",
    ]


def test_a_password_in_the_settings_file_is_refused_and_not_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "briefer.toml"
    config.write_text('[delivery]\nsender = "a@example.org"\npassword = "hunter2"\n')
    result = invoke("check", "--config", str(config))
    assert result.exit_code == 2
    assert "hunter2" not in result.output
    assert result.stderr == (
        f"Error: {config}: delivery.password: a password is not read from the "
        "settings file; put it in an environment variable named by delivery.password_env, "
        "or in delivery.password_file\n"
    )
    config.write_text('[delivery]\nsender = "a@example.org"\n')
    result = invoke("check", "--config", str(config), env={"BRIEFER_DELIVERY__PASSWORD": "hunter2"})
    assert result.exit_code == 2
    assert "hunter2" not in result.output
    assert result.stderr.startswith("Error: environment BRIEFER_DELIVERY__PASSWORD: ")


def test_check_shows_delivery_without_the_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMTP_PASSWORD", PASSWORD)
    config = write_config(
        tmp_path,
        tmp_path / "out",
        2525,
        'user = "desk-bot"\npassword_env = "SMTP_PASSWORD"\nenabled = true\n',
    )
    result = invoke("check", "--config", str(config))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "OK: delivery via 127.0.0.1:2525 (none, login as desk-bot) to 2 recipients, every edition"
    )
    assert PASSWORD not in result.output
    monkeypatch.delenv("SMTP_PASSWORD")
    result = invoke("check", "--config", str(config))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {config}: delivery.password_env: environment variable SMTP_PASSWORD is not set\n"
    )


# -- TLS ------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (skips without the openssl tool)."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


def test_starttls_then_login(
    servers: Servers, setup, certificate, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = servers.start(
        tls_context=server_context(certificate),
        require_starttls=True,
        authenticator=check_login,
        auth_required=True,
    )
    monkeypatch.setenv("SMTP_PASSWORD", PASSWORD)
    s = setup(
        server.port,
        security="starttls",
        ca_file=str(certificate[0]),
        user="desk-bot",
        password_env="SMTP_PASSWORD",
    )
    assert deliver(s.settings, s.store, s.record).ok
    assert len(server.handler.messages) == 1


def test_implicit_tls(servers: Servers, setup, certificate) -> None:
    server = servers.start(ssl_context=server_context(certificate))
    s = setup(server.port, security="tls", ca_file=str(certificate[0]))
    assert deliver(s.settings, s.store, s.record).ok
    assert len(server.handler.messages) == 1


def test_an_untrusted_certificate_fails_at_once(servers: Servers, setup, certificate) -> None:
    server = servers.start(ssl_context=server_context(certificate))
    s = setup(server.port, security="tls")
    with pytest.raises(DeliveryError) as caught:
        deliver(s.settings, s.store, s.record)
    assert str(caught.value).startswith(
        f"mail to 127.0.0.1:{server.port} failed: TLS certificate not accepted: "
    )
    assert "tries" not in str(caught.value)


# -- which edition --------------------------------------------------------


def test_find_edition_by_name_path_latest_link_and_unrecorded_files(tmp_path: Path, setup) -> None:
    s = setup(25)
    out = s.files.docx.parent
    assert find_edition(s.settings, s.store).stem == STEM
    assert find_edition(s.settings, s.store, STEM) == s.record
    assert find_edition(s.settings, s.store, str(s.files.docx)) == s.record
    assert find_edition(s.settings, s.store, str(out / "latest.docx")) == s.record
    with StateStore(tmp_path / "empty-state") as empty:
        found = find_edition(s.settings, empty)
        assert (found.stem, found.docx, found.markdown) == (STEM, s.files.docx, s.files.markdown)
        assert found.edition_time.isoformat() == "2026-01-02T07:00:00+00:00"
        assert find_edition(s.settings, empty, str(out / "latest.md")).stem == STEM
        with pytest.raises(DeliveryError) as caught:
            find_edition(s.settings, empty, "briefing-1999-01-01-0000")
        assert str(caught.value) == (
            f"unknown edition 'briefing-1999-01-01-0000': not recorded in "
            f"{s.settings.state_dir} and no briefing-1999-01-01-0000.docx in {out}"
        )


# -- the command line -----------------------------------------------------


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def write_config(tmp_path: Path, out_dir: Path, port: int, extra: str = "") -> Path:
    config = tmp_path / "briefer.toml"
    delivery = (
        f'smtp_host = "127.0.0.1"\nsmtp_port = {port}\nsecurity = "none"\n'
        f'sender = "{SENDER}"\nto = ["{TO}"]\nbcc = ["{BCC}"]\n'
        "retry_wait = 0.01\nattempts = 2\n" + extra
    )
    config.write_text(
        f'seeds_dir = "{ROOT / "seeds"}"\nout_dir = "{out_dir}"\nstate_dir = "state"\n'
        f'rules_file = "{ROOT / "config" / "rules.toml"}"\n'
        f'templates_dir = "{ROOT / "templates"}"\ntimezone = "UTC"\n'
        f"\n[delivery]\n{delivery}"
    )
    return config


def test_cli_send_output_and_exit_codes(
    servers: Servers, tmp_path: Path, edition: tuple[Brief, EditionFiles]
) -> None:
    _, files = edition
    handler = Handler()
    server = servers.start(handler)
    config = write_config(tmp_path, files.docx.parent, server.port)
    via = f"via 127.0.0.1:{server.port}"

    result = invoke("send", "--config", str(config))
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        f"Sent {STEM} to 2 recipients {via}\n",
        "",
    )
    result = invoke("send", STEM, "--config", str(config))
    assert (result.exit_code, result.stdout) == (
        0,
        f"Nothing to send: every recipient (2) already has {STEM} (use --force to send it again)\n",
    )
    result = invoke("send", str(files.docx), "--force", "--config", str(config))
    assert (result.exit_code, result.stdout) == (0, f"Sent {STEM} to 2 recipients {via}\n")
    assert len(handler.messages) == 2

    result = invoke("send", "briefing-1999-01-01-0000", "--config", str(config))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: unknown edition 'briefing-1999-01-01-0000': not recorded in "
        f"{tmp_path / 'state'} and no briefing-1999-01-01-0000.docx in {files.docx.parent}\n"
    )

    handler.refuse["*"] = "550 5.1.1 mailbox unavailable"
    result = invoke("send", "--force", "--config", str(config))
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        f"Error: mail to 127.0.0.1:{server.port} failed: 550 5.1.1 mailbox unavailable\n",
    )
    assert len(handler.messages) == 2


def test_cli_send_without_delivery_settings_or_editions(tmp_path: Path) -> None:
    config = write_config(tmp_path, tmp_path / "out", 2525)
    result = invoke("send", "--config", str(config))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: no edition yet in {tmp_path / 'out'}; run `briefer make` first\n"
    )

    config.write_text(config.read_text().split("[delivery]")[0])
    result = invoke("send", "--config", str(config))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: delivery is not configured: set sender and to in the [delivery] table "
        f"of {config}\n"
    )

    config.write_text(config.read_text() + '[delivery]\nto = ["desk@example.org"]\n')
    result = invoke("send", "--config", str(config))
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: {config}: delivery.sender: not set (the From address)\n",
    )


class SlowRefusal:
    """A raw SMTP server that answers AUTH with 535 after a delay (or not at all), then hangs up."""

    def __init__(self, delay: float, answer: bool = True) -> None:
        self.delay = delay
        self.answer = answer
        self.logins = 0
        self.sessions = 0
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.done.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.sessions += 1
            with conn, conn.makefile("rwb") as stream:
                stream.write(b"220 slow.example ESMTP\r\n")
                stream.flush()
                for line in stream:
                    verb = line.split()[0].upper() if line.split() else b""
                    if verb == b"EHLO":
                        stream.write(b"250-slow.example\r\n250 AUTH PLAIN LOGIN\r\n")
                    elif verb == b"AUTH":
                        self.logins += 1
                        time.sleep(self.delay)
                        if self.answer:
                            stream.write(b"535 5.7.8 Authentication credentials invalid\r\n")
                            stream.flush()
                        break  # and hang up, as servers that slow down bad logins do
                    elif verb == b"QUIT":
                        stream.write(b"221 bye\r\n")
                        stream.flush()
                        break
                    else:
                        stream.write(b"250 OK\r\n")
                    stream.flush()

    def close(self) -> None:
        self.done.set()
        self.sock.close()


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (True, "login refused: 535 5.7.8 Authentication credentials invalid"),
        (False, "login failed: the server closed the connection during the login"),
    ],
    ids=["delayed-535", "hang-up"],
)
def test_a_delayed_535_is_a_refused_login_tried_once(
    setup, monkeypatch: pytest.MonkeyPatch, answer: bool, expected: str
) -> None:
    server = SlowRefusal(delay=0.5, answer=answer)
    try:
        monkeypatch.setenv("SMTP_PASSWORD", PASSWORD)
        s = setup(server.port, user="desk-bot", password_env="SMTP_PASSWORD", attempts=4)
        with pytest.raises(DeliveryError) as caught:
            deliver(s.settings, s.store, s.record)
    finally:
        server.close()
    assert str(caught.value) == f"mail to 127.0.0.1:{server.port} failed: {expected}"
    assert server.logins == 1 and server.sessions == 1  # no fresh login on a retry
    assert PASSWORD not in str(caught.value)


def test_the_daemon_logs_one_info_line_per_mail_without_addresses(
    servers: Servers, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from datetime import UTC, datetime

    from briefer.schedule import Daemon

    server = servers.start()
    settings = mail_settings(
        tmp_path, tmp_path / "out", server.port, enabled=True
    ).model_copy(update={"schedule": make_settings(tmp_path, schedule={"interval": 3600}).schedule})
    daemon = Daemon(settings, clock=lambda: datetime(2026, 1, 2, 7, 30, tzinfo=UTC))
    with caplog.at_level(logging.INFO, logger="briefer"):
        result = daemon.run_slot()
    assert result is not None and result.ok
    sent = [r for r in caplog.records if r.getMessage().startswith("Sent ")]
    assert [(r.levelname, r.getMessage()) for r in sent] == [
        ("INFO", f"Sent {result.edition} to 2 recipients via 127.0.0.1:{server.port}")
    ]
    info = " ".join(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)
    assert "example.org" not in info and "example.net" not in info
    assert len(servers.controllers[0].handler.messages) == 1
