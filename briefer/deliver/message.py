"""The message for an edition: the Markdown memo as text, an HTML rendering, the files attached."""

from __future__ import annotations

import html
import re
from email.headerregistry import Address, Group
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid
from pathlib import Path

from ..errors import DeliveryError
from ..render.common import day, stamp
from ..settings import Settings
from ..state import EditionRecord
from .config import Plan, clean_header_text, plan, template_problem

DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
_ESCAPED_ANCHOR = re.compile(r"&lt;a id=&quot;(src-\d{1,9})&quot;&gt;&lt;/a&gt;")


def subject(settings: Settings, record: EditionRecord, title: str | None = None) -> str:
    """The Subject line: the template filled in, as one line without control characters."""
    fields = {
        "edition_date": day(record.edition_time),
        "edition_time": stamp(record.edition_time),
        "title": clean_header_text(title if title is not None else settings.memo.title),
    }
    template = clean_header_text(settings.delivery.subject)
    problem = template_problem(template)
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


def compose(
    settings: Settings,
    record: EditionRecord,
    title: str | None = None,
    envelope: Plan | None = None,
) -> EmailMessage:
    """The message for an edition: text and HTML body, files attached, no Bcc header.

    ``title`` (default: ``memo.title`` from the settings) fills ``{title}``
    in the subject template; ``envelope``: the addresses, already checked
    (default: checked here). Raises DeliveryError if the settings are
    incomplete or an edition file cannot be read.
    """
    if envelope is None:
        envelope = plan(settings)
    d = settings.delivery
    markdown_bytes = _read(record.markdown)
    markdown_text = markdown_bytes.decode("utf-8", errors="replace")
    line = subject(settings, record, title)

    message = EmailMessage(policy=SMTP)
    message["Subject"] = line
    message["From"] = envelope.sender
    message["To"] = envelope.to or (Group("undisclosed-recipients", ()),)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=_message_domain(envelope.sender))
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
