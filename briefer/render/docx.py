"""Render a Brief to a Word document with python-docx.

The document starts from ``templates/reference.docx`` and uses only its
named styles (Title, Subtitle, Heading 1, List Bullet, List Number,
Hyperlink, ...), so a reader restyles every memo by editing that one file
in Word, as with pandoc's reference-doc.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, RenderError
from ..models import Brief, Item
from ..text import safe_url, xml_safe
from .common import as_of, changes_parts, cited, day, excerpt, page_stamp, prepared, stamp

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

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
# Characters a document property (title, keywords, ...) holds: python-docx
# refuses more, as Word does.
PROPERTY_LIMIT = 255
ELLIPSIS = "…"


def _t(text: str) -> str:
    return xml_safe(str(text))


def property_text(text: str, limit: int = PROPERTY_LIMIT) -> str:
    """``text`` as a document property: within ``limit`` characters, cut between words.

    A longer text ends with an ellipsis; a text without a space in its
    second half is cut inside its last word.
    """
    text = _t(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS) + 1]
    space = max(cut.rfind(c) for c in " \t\n")
    cut = cut[:space] if space > limit // 2 else cut[:-1]
    return cut.rstrip(" \t\n,;:-") + ELLIPSIS


def property_list(items: Sequence[str], limit: int = PROPERTY_LIMIT) -> str:
    """``items`` joined by commas as a document property: the whole items that fit.

    Items left out are shown by a closing ``…``; one item too long on its
    own is cut as :func:`property_text` cuts.
    """
    texts = [_t(item) for item in items]
    joined = ", ".join(texts)
    if len(joined) <= limit:
        return joined
    kept: list[str] = []
    for text in texts:
        if len(", ".join([*kept, text, ELLIPSIS])) > limit:
            break
        kept.append(text)
    if not kept:
        return property_text(joined, limit)
    return ", ".join([*kept, ELLIPSIS])


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
        lines = str(exc).strip().splitlines() or [type(exc).__name__]
        raise RenderError(f"cannot render the Word memo: {lines[0]}") from None
    return buffer.getvalue()


def _clear_body(doc: DocxDocument) -> None:
    body = doc.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)


def _properties(doc: DocxDocument, brief: Brief) -> None:
    props = doc.core_properties
    created = brief.edition_time.astimezone(UTC).replace(tzinfo=None)
    props.title = property_text(brief.title)
    props.subject = property_text(f"Briefing of {stamp(brief.edition_time)}")
    props.author = property_text(brief.author)
    props.last_modified_by = property_text(brief.author)
    props.created = created
    props.modified = created
    props.last_printed = datetime(1900, 1, 1)  # python-docx's template carries a 2013 date
    props.revision = 1
    props.keywords = property_list([s.title for s in brief.sections])
    props.comments = property_text(f"Prepared from {brief.articles} sources by briefer.")
    props.category = "Briefing"
    props.content_status = property_text(brief.marking or "")
    props.identifier = property_text(f"briefing-{brief.edition_time:%Y-%m-%d-%H%M}")
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
    if item.figures:  # figures that differ across sources, each with its own
        paragraph.add_run(_t(item.text) + ": ")
        link_style = doc.styles["Hyperlink"].style_id
        for n, (figure, number) in enumerate(item.figures):
            paragraph.add_run(("; " if n else "") + f"\u201c{_t(figure)}\u201d ")
            paragraph.add_run("[").italic = True
            _link(paragraph, str(number), link_style, anchor=bookmark(number)).italic = True
            paragraph.add_run("]").italic = True
        return
    if item.attribution:  # whose claim it is, before its words
        paragraph.add_run(_t(item.attribution) + ": ").italic = True
    paragraph.add_run(_t(excerpt(item)) + " ")
    _citation(doc, paragraph, item)


def bookmark(number: int) -> str:
    """The Word bookmark on source ``number``'s entry: ``src_3``."""
    return f"src_{number}"


def _citation(doc: DocxDocument, paragraph: Paragraph, item: Item) -> None:
    """``[1, 2]`` (ascending) in italics, each number a link to its entry in the source list."""
    link_style = doc.styles["Hyperlink"].style_id
    paragraph.add_run("[").italic = True
    for n, number in enumerate(cited(item)):
        if n:
            paragraph.add_run(", ").italic = True
        _link(paragraph, str(number), link_style, anchor=bookmark(number)).italic = True
    paragraph.add_run("]" + as_of(item)).italic = True


def _sources(doc: DocxDocument, brief: Brief) -> None:
    """The numbered source list, compact (the "Source" style), each entry a bookmark.

    Explicit numbers (not Word list numbering: they must match the
    citations), the title linked where a URL is known. The entry before
    the last keeps with the last, so the last page never holds a lone
    entry. Written with python-docx's calls: under 1 ms an entry
    (``bench/source_list.py``), links related through :class:`_Links`.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if not brief.sources:
        return
    _paragraph(doc, "Sources", "Heading 1")
    link_style = doc.styles["Hyperlink"].style_id
    links = _Links(doc.part)
    last = len(brief.sources) - 1
    for position, source in enumerate(brief.sources):
        paragraph = _paragraph(doc, "", "Source")
        if position == last - 1:
            paragraph.paragraph_format.keep_with_next = True
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(source.number))
        start.set(qn("w:name"), bookmark(source.number))
        paragraph._p.append(start)
        paragraph.add_run(f"[{source.number}]\t")
        if source.publisher:
            paragraph.add_run(_t(source.publisher) + ", ")
        url = safe_url(source.url)
        if url:
            _link(paragraph, _t(source.title), link_style, rel_id=links.rel_id(url))
        else:
            paragraph.add_run(_t(f"“{source.title}”"))
        paragraph.add_run(", " + (day(source.published) if source.published else "undated"))
        if source.also_published_by:
            paragraph.add_run(_t(f" (also: {', '.join(source.also_published_by)})"))
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(source.number))
        paragraph._p.append(end)


class _Links:
    """Relationship ids of external links: one per URL, found without a search.

    python-docx's ``relate_to`` scans every relationship of the part for each
    link, which makes a long source list quadratic (4,000 entries: 14.6 s).
    """

    def __init__(self, part: Any) -> None:
        self.part = part
        self.ids: dict[str, str] = {}
        self.taken = {rel.rId for rel in part.rels.values()}
        self.next = 1

    def rel_id(self, url: str) -> str:
        from docx.opc.constants import RELATIONSHIP_TYPE

        found = self.ids.get(url)
        if found is None:
            while f"rId{self.next}" in self.taken:
                self.next += 1
            found = f"rId{self.next}"
            self.taken.add(found)
            self.part.rels.add_relationship(RELATIONSHIP_TYPE.HYPERLINK, url, found, True)
            self.ids[url] = found
        return found


def _link(
    paragraph: Paragraph,
    text: str,
    style: str,
    *,
    rel_id: str | None = None,
    anchor: str | None = None,
) -> Run:
    """A run in the Hyperlink style inside a ``w:hyperlink`` to ``rel_id`` or ``anchor``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    link = OxmlElement("w:hyperlink")
    if rel_id is not None:
        link.set(qn("r:id"), rel_id)
    if anchor is not None:
        link.set(qn("w:anchor"), anchor)
        link.set(qn("w:history"), "1")
    run = paragraph.add_run(text)
    run._r.style = style  # the style id: python-docx's style= scans every style
    link.append(run._r)  # moves the run inside the hyperlink
    paragraph._p.append(link)
    return run
