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
from .common import as_of, changes_parts, day, page_stamp, prepared, stamp

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph

REFERENCE = "reference.docx"
REQUIRED_STYLES = (
    "Title",
    "Subtitle",
    "Heading 1",
    "List Bullet",
    "List Bullet 2",
    "Hyperlink",
    "Source",
)
# Paper sizes of memo.paper, in twentieths of a point (width, height).
PAPER = {"A4": (11906, 16838), "Letter": (12240, 15840)}


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
        raise ConfigError(
            f"{path}: missing style(s): {', '.join(missing)} (add them in Word, or write a "
            "new reference document with python -m briefer.render.reference)"
        )
    return doc


def render_docx(brief: Brief, templates_dir: Path) -> bytes:
    """The memo as .docx bytes."""
    doc = _reference(templates_dir)
    _clear_body(doc)
    try:
        _properties(doc, brief)
        _page(doc, brief)
        _header_footer(doc, brief)
        _front(doc, brief)
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


def _page(doc: DocxDocument, brief: Brief) -> None:
    """Paper size from ``memo.paper``; otherwise (and margins always) the reference's."""
    if brief.paper is None:
        return
    from docx.enum.section import WD_ORIENT
    from docx.shared import Twips

    width, height = PAPER[brief.paper]
    for section in doc.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width = Twips(width)
        section.page_height = Twips(height)


def _header_footer(doc: DocxDocument, brief: Brief) -> None:
    """The header names the memo and its edition time, so a loose page can be dated."""
    section = doc.sections[0]
    header = section.header.paragraphs[0] if section.header.paragraphs else None
    if header is None:
        header = section.header.add_paragraph()
    parts = (brief.marking, brief.title, page_stamp(brief.edition_time))
    header.text = _t(" · ".join(p for p in parts if p))
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
    """One paragraph above the bottom line: what changed since the stream's previous edition."""
    parts = changes_parts(brief)
    if parts is None:
        return
    lead, rest = parts
    paragraph = doc.add_paragraph()
    paragraph.add_run(_t(lead)).bold = True
    if rest:
        paragraph.add_run(" " + _t(rest))


def _bullet(doc: DocxDocument, item: Item) -> None:
    paragraph = _paragraph(doc, "", "List Bullet 2" if item.detail else "List Bullet")
    if item.status:
        paragraph.add_run(item.status.upper() + " ").bold = True
    paragraph.add_run(_t(item.text) + " ")
    _citation(doc, paragraph, item)


def bookmark(number: int) -> str:
    """The Word bookmark on source ``number``'s entry: ``src_3``."""
    return f"src_{number}"


def _citation(doc: DocxDocument, paragraph: Paragraph, item: Item) -> None:
    """``[2, 1]`` in italics, each number a link to its entry in the source list."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    link_style = doc.styles["Hyperlink"].style_id
    pieces = [_run_xml("[", italic=True)]
    for n, number in enumerate(item.sources):
        if n:
            pieces.append(_run_xml(", ", italic=True))
        run = _run_xml(str(number), italic=True, style=link_style)
        target = bookmark(number)
        pieces.append(f'<w:hyperlink w:anchor="{target}" w:history="1">{run}</w:hyperlink>')
    pieces.append(_run_xml("]" + as_of(item), italic=True))
    block = parse_xml(f"<w:p {nsdecls('w')}>{''.join(pieces)}</w:p>")
    for child in list(block):
        paragraph._p.append(child)


def _sources(doc: DocxDocument, brief: Brief) -> None:
    """The numbered source list, compact (the "Source" style), each entry a bookmark.

    Built as XML text and parsed once: an edition may cite from tens of
    thousands of sources, and python-docx's per-run calls take a
    millisecond each. The paragraphs are those python-docx would make:
    explicit numbers (not Word list numbering: they must match the
    citations), the title linked where a URL is known. The entry before
    the last keeps with the last, so the last page never holds a lone
    entry.
    """
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    _paragraph(doc, "Sources", "Heading 1")
    style = doc.styles["Source"].style_id
    link_style = doc.styles["Hyperlink"].style_id
    part = doc.part
    rel_ids: dict[str, str] = {}
    taken = {rel.rId for rel in part.rels.values()}
    next_id = 1
    chunks = []
    last = len(brief.sources) - 1
    for position, source in enumerate(brief.sources):
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
        keep = "<w:keepNext/>" if position == last - 1 else ""
        mark = f'w:id="{source.number}"'
        chunks.append(
            f'<w:p><w:pPr><w:pStyle w:val="{xml_escape(style, _QUOTE)}"/>{keep}</w:pPr>'
            f'<w:bookmarkStart {mark} w:name="{bookmark(source.number)}"/>'
            + "".join(runs)
            + f"<w:bookmarkEnd {mark}/></w:p>"
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


_QUOTE = {'"': "&quot;"}


def _run_xml(text: str, italic: bool = False, style: str | None = None) -> str:
    """A ``w:r`` element as python-docx's ``add_run(text)`` writes it (tabs, breaks)."""
    props = ""
    if style is not None:
        props += f'<w:rStyle w:val="{xml_escape(style, _QUOTE)}"/>'
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
