"""Render a Brief to a Word document with python-docx.

The document starts from ``templates/reference.docx`` and uses only its
named styles (Title, Subtitle, Heading 1, List Bullet, List Number,
Hyperlink, ...), so a reader restyles every memo by editing that one file
in Word, as with pandoc's reference-doc.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigError, RenderError
from ..models import Brief, Item
from ..text import clean_text, safe_url
from .common import brief_words, cite, day, prepared, stamp

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph

REFERENCE = "reference.docx"
REQUIRED_STYLES = ("Title", "Subtitle", "Heading 1", "List Bullet", "Hyperlink")


def _t(text: str) -> str:
    return clean_text(str(text))


def check_reference(templates_dir: Path) -> None:
    """Raise ConfigError if the reference document is missing or lacks a style."""
    path = templates_dir / REFERENCE
    if not path.is_file():
        raise ConfigError(f"{path}: reference document not found")
    from docx import Document

    try:
        doc = Document(str(path))
    except Exception as exc:  # python-docx raises several types for a bad file
        raise ConfigError(f"{path}: not a readable .docx: {exc}") from None
    names = {s.name for s in doc.styles}
    missing = [s for s in REQUIRED_STYLES if s not in names]
    if missing:
        raise ConfigError(f"{path}: missing style(s): {', '.join(missing)}")


def render_docx(brief: Brief, templates_dir: Path) -> bytes:
    """The memo as .docx bytes."""
    from docx import Document

    check_reference(templates_dir)
    doc = Document(str(templates_dir / REFERENCE))
    _clear_body(doc)
    try:
        _properties(doc, brief)
        _header_footer(doc, brief)
        _front(doc, brief)
        if brief.changes is not None:
            _changes(doc, brief)
        doc.add_paragraph(_t(brief.bottom_line_title), style="Heading 1")
        if brief.bottom_line:
            for item in brief.bottom_line:
                _bullet(doc, item)
        else:
            doc.add_paragraph("No point reached the bottom line in this edition.")
        for section in brief.sections:
            doc.add_paragraph(_t(section.title), style="Heading 1")
            if not section.items:
                doc.add_paragraph("Nothing in this edition's sources.")
            for item in section.items:
                _bullet(doc, item)
        _sources(doc, brief)
        buffer = io.BytesIO()
        doc.save(buffer)
    except (ValueError, KeyError) as exc:
        raise RenderError(f"cannot render the Word memo: {exc}") from None
    return buffer.getvalue()


def _clear_body(doc: DocxDocument) -> None:
    body = doc.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)


def _properties(doc: DocxDocument, brief: Brief) -> None:
    props = doc.core_properties
    created = brief.edition_time.astimezone(UTC).replace(tzinfo=None)
    props.title = _t(brief.title)
    props.subject = _t(f"Briefing of {stamp(brief.edition_time)}")
    props.author = _t(brief.author)
    props.last_modified_by = _t(brief.author)
    props.created = created
    props.modified = created
    props.last_printed = datetime(1900, 1, 1)  # python-docx's template carries a 2013 date
    props.revision = 1
    props.keywords = _t(", ".join(s.title for s in brief.sections))
    props.comments = _t(f"Prepared from {brief.articles} sources by briefer.")
    props.category = "Briefing"
    props.content_status = _t(brief.marking or "")
    props.identifier = _t(f"briefing-{brief.edition_time:%Y-%m-%d-%H%M}")
    props.language = "en"
    props.version = ""


def _header_footer(doc: DocxDocument, brief: Brief) -> None:
    section = doc.sections[0]
    header = section.header.paragraphs[0] if section.header.paragraphs else None
    if header is None:
        header = section.header.add_paragraph()
    header.text = _t(" · ".join(p for p in (brief.marking, brief.title) if p))
    footer = section.footer.paragraphs[0] if section.footer.paragraphs else None
    if footer is None:
        footer = section.footer.add_paragraph()
    footer.text = ""
    if brief.marking:
        footer.add_run(_t(brief.marking) + " · ")
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def _field(paragraph: Paragraph, code: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {code} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate, shown, end):
        run._r.append(element)


def _front(doc: DocxDocument, brief: Brief) -> None:
    doc.add_paragraph(_t(brief.title), style="Title")
    if brief.marking:
        marking = doc.add_paragraph(style="Subtitle")
        marking.add_run(_t(brief.marking)).bold = True
    fields = []
    if brief.to:
        fields.append(("To", brief.to))
    if brief.from_:
        fields.append(("From", brief.from_))
    fields.append(("Edition", stamp(brief.edition_time)))
    fields.append(("Prepared from", prepared(brief)))
    for label, value in fields:
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(_t(value))


def _changes(doc: DocxDocument, brief: Brief) -> None:
    changes = brief.changes
    assert changes is not None
    doc.add_paragraph(f"What's new since {stamp(changes.previous_time)}", style="Heading 1")
    for label, items in (("NEW", changes.new), ("UPDATED", changes.updated)):
        for item in items:
            _bullet(doc, item, label)
    if changes.dropped:
        n = len(changes.dropped)
        doc.add_paragraph(
            f"No longer in this edition: {n} earlier point{'s' if n != 1 else ''}:",
            style="List Bullet",
        )
        for text in changes.dropped[:5]:
            doc.add_paragraph(_t(brief_words(text)), style="List Bullet 2")
    if not changes.new and not changes.updated:
        doc.add_paragraph("Nothing new since the previous edition.", style="List Bullet")


def _bullet(doc: DocxDocument, item: Item, label: str | None = None) -> None:
    paragraph = doc.add_paragraph(style="List Bullet")
    label = label or (item.status.upper() if item.status else None)
    if label:
        paragraph.add_run(label + " ").bold = True
    paragraph.add_run(_t(item.text) + " ")
    paragraph.add_run(cite(item)).italic = True


def _sources(doc: DocxDocument, brief: Brief) -> None:
    from docx.shared import Cm

    doc.add_paragraph("Sources", style="Heading 1")
    for source in brief.sources:
        # Explicit numbers, not Word list numbering: they must match the citations.
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(0.9)
        paragraph.paragraph_format.first_line_indent = Cm(-0.9)
        paragraph.add_run(f"[{source.number}]\t")
        if source.publisher:
            paragraph.add_run(_t(source.publisher) + ", ")
        url = safe_url(source.url)
        if url:
            _hyperlink(paragraph, url, _t(source.title))
        else:
            paragraph.add_run(_t(f"“{source.title}”"))
        paragraph.add_run(", " + (day(source.published) if source.published else "undated"))
        if source.also_published_by:
            paragraph.add_run(_t(f" (also: {', '.join(source.also_published_by)})"))
        if not source.cited:
            paragraph.add_run(" (read, not cited)").italic = True


def _hyperlink(paragraph: Paragraph, url: str, text: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rel_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = paragraph.add_run(text, style="Hyperlink")
    link.append(run._r)  # moves the run inside the hyperlink
    paragraph._p.append(link)
