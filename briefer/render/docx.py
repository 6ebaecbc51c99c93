"""Render a Brief to a Word document with python-docx.

The document starts from ``templates/reference.docx`` and uses only its
named styles (Title, Subtitle, Heading 1, List Bullet, List Number,
Hyperlink, ...), so a reader restyles every memo by editing that one file
in Word, as with pandoc's reference-doc.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape as xml_escape

from ..errors import ConfigError, RenderError
from ..models import Brief, Item
from ..text import safe_url, xml_safe
from .common import brief_words, cite, day, prepared, stamp

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph

REFERENCE = "reference.docx"
REQUIRED_STYLES = ("Title", "Subtitle", "Heading 1", "List Bullet", "List Bullet 2", "Hyperlink")


def _t(text: str) -> str:
    return xml_safe(str(text))


def check_reference(templates_dir: Path) -> None:
    """Raise ConfigError if the reference document is missing or lacks a style."""
    _reference(templates_dir)


def _reference(templates_dir: Path) -> DocxDocument:
    """The reference document, opened and checked (ConfigError if unusable)."""
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
    return doc


def render_docx(brief: Brief, templates_dir: Path) -> bytes:
    """The memo as .docx bytes."""
    doc = _reference(templates_dir)
    _clear_body(doc)
    try:
        _properties(doc, brief)
        _header_footer(doc, brief)
        _front(doc, brief)
        if brief.changes is not None:
            _changes(doc, brief)
        _paragraph(doc, _t(brief.bottom_line_title), "Heading 1")
        if brief.bottom_line:
            for item in brief.bottom_line:
                _bullet(doc, item)
        else:
            doc.add_paragraph("No point reached the bottom line in this edition.")
        for section in brief.sections:
            _paragraph(doc, _t(section.title), "Heading 1")
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


def _paragraph(doc: DocxDocument, text: str, style: str):  # -> docx Paragraph
    """A new paragraph in the named style of the reference document.

    The style is set by its id: python-docx's own ``style=`` scans every
    style of the document for the default one on each call, which was most
    of the time spent writing a small memo.
    """
    paragraph = doc.add_paragraph(text)
    paragraph._p.style = doc.styles[style].style_id
    return paragraph


def _front(doc: DocxDocument, brief: Brief) -> None:
    _paragraph(doc, _t(brief.title), "Title")
    if brief.marking:
        marking = _paragraph(doc, "", "Subtitle")
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
    _paragraph(doc, f"What's new since {stamp(changes.previous_time)}", "Heading 1")
    for label, items in (("NEW", changes.new), ("UPDATED", changes.updated)):
        for item in items:
            _bullet(doc, item, label)
    if changes.dropped:
        n = len(changes.dropped)
        _paragraph(
            doc,
            f"No longer in this edition: {n} earlier point{'s' if n != 1 else ''}:",
            "List Bullet",
        )
        for text in changes.dropped[:5]:
            _paragraph(doc, _t(brief_words(text)), "List Bullet 2")
    if not changes.new and not changes.updated:
        _paragraph(doc, "Nothing new since the previous edition.", "List Bullet")


def _bullet(doc: DocxDocument, item: Item, label: str | None = None) -> None:
    paragraph = _paragraph(doc, "", "List Bullet 2" if item.detail else "List Bullet")
    label = label or (item.status.upper() if item.status else None)
    if label:
        paragraph.add_run(label + " ").bold = True
    paragraph.add_run(_t(item.text) + " ")
    paragraph.add_run(cite(item)).italic = True


def _sources(doc: DocxDocument, brief: Brief) -> None:
    """The numbered source list.

    Built as XML text and parsed once: an edition may cite from tens of
    thousands of sources, and python-docx's per-run calls take a
    millisecond each. The paragraphs are those python-docx would make:
    explicit numbers (not Word list numbering: they must match the
    citations), a hanging indent, the title linked where a URL is known.
    """
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.shared import Cm, Twips

    _paragraph(doc, "Sources", "Heading 1")
    indent = int(Cm(0.9)) * 1440 // 914400  # twips, as python-docx rounds them
    assert Twips(indent) <= Cm(0.9)
    link_style = doc.styles["Hyperlink"].style_id
    part = doc.part
    rel_ids: dict[str, str] = {}
    taken = {rel.rId for rel in part.rels.values()}
    next_id = 1
    chunks = []
    for source in brief.sources:
        runs = [_run_xml(f"[{source.number}]\t")]
        if source.publisher:
            runs.append(_run_xml(_t(source.publisher) + ", "))
        url = safe_url(source.url)
        if url:
            rel_id = rel_ids.get(url)
            if rel_id is None:
                while f"rId{next_id}" in taken:
                    next_id += 1
                rel_id = f"rId{next_id}"
                taken.add(rel_id)
                part.rels.add_relationship(
                    RELATIONSHIP_TYPE.HYPERLINK, url, rel_id, is_external=True
                )
                rel_ids[url] = rel_id
            link = _run_xml(_t(source.title), style=link_style)
            runs.append(f'<w:hyperlink r:id="{rel_id}">{link}</w:hyperlink>')
        else:
            runs.append(_run_xml(_t(f"“{source.title}”")))
        runs.append(_run_xml(", " + (day(source.published) if source.published else "undated")))
        if source.also_published_by:
            runs.append(_run_xml(_t(f" (also: {', '.join(source.also_published_by)})")))
        chunks.append(
            f'<w:p><w:pPr><w:ind w:left="{indent}" w:hanging="{indent}"/></w:pPr>'
            + "".join(runs)
            + "</w:p>"
        )
    if not chunks:
        return
    block = parse_xml(f"<w:body {nsdecls('w', 'r')}>{''.join(chunks)}</w:body>")
    body = doc.element.body
    end = body.find(qn("w:sectPr"))
    for paragraph in list(block):
        if end is None:
            body.append(paragraph)
        else:
            end.addprevious(paragraph)


def _run_xml(text: str, italic: bool = False, style: str | None = None) -> str:
    """A ``w:r`` element as python-docx's ``add_run(text)`` writes it (tabs, breaks)."""
    props = ""
    if style is not None:
        props += f'<w:rStyle w:val="{xml_escape(style, {chr(34): "&quot;"})}"/>'
    if italic:
        props += "<w:i/>"
    parts = [f"<w:rPr>{props}</w:rPr>"] if props else []
    for piece in _RUN_BREAKS.split(text):
        if piece == "\t":
            parts.append("<w:tab/>")
        elif piece in ("\n", "\r", "\r\n"):
            parts.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if piece != piece.strip() else ""
            parts.append(f"<w:t{space}>{xml_escape(piece)}</w:t>")
    return "<w:r>" + "".join(parts) + "</w:r>"


_RUN_BREAKS = re.compile(r"(\t|\r\n|\n|\r)")


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
