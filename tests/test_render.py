"""Markdown (golden file) and Word (reopened and inspected) memos."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

from docx import Document
from docx.shared import Cm
from lxml import etree

from briefer.build import build_brief
from briefer.models import Source
from briefer.render import docx as render_docx_module
from briefer.render.common import day
from briefer.render.docx import render_docx
from briefer.render.markdown import md, render_markdown
from briefer.text import safe_url

from .conftest import ROOT
from .golden import GOLDEN, seed_markdown


def test_seed_markdown_matches_golden() -> None:
    # After an intended change: `make golden`, then read the diff.
    assert seed_markdown() == GOLDEN.read_text(encoding="utf-8")


def test_markdown_escapes_markup() -> None:
    assert md("a *b* [c](d) <e> # f") == r"a \*b\* \[c\](d) \<e\> # f"
    assert md("# heading-like") == r"\# heading-like"


def _docx(brief, templates_dir):
    return Document(io.BytesIO(render_docx(brief, templates_dir)))


def test_docx_structure_citations_and_properties(settings) -> None:
    s = settings(memo={"marking": "INTERNAL", "to": "Desk", "from": "Analysts"})
    brief = build_brief(s)
    doc = _docx(brief, s.templates_dir)
    styles = [(p.style.name, p.text) for p in doc.paragraphs]
    assert styles[0] == ("Title", "Middle East briefing")
    assert ("Subtitle", "INTERNAL") in styles
    headings = [t for name, t in styles if name == "Heading 1"]
    assert headings == [
        "Bottom line",
        "Gaza ceasefire",
        "Iran",
        "Regional normalization",
        "Open questions",
        "Sources",
    ]
    bullets = [t for name, t in styles if name == "List Bullet"]
    assert len(bullets) == len(brief.items)
    assert all(re.search(r"\[\d+(, \d+)*\]( \(as of \d+ \w{3} \d{4}\))?$", b) for b in bullets)
    assert any(t.startswith("To: Desk") for _, t in styles)
    props = doc.core_properties
    assert props.title == "Middle East briefing"
    assert props.author == "briefer"
    assert props.created.year == 2026 and props.last_modified_by == "briefer"
    assert "python-docx" not in (props.author, props.last_modified_by, props.comments)
    header = doc.sections[0].header.paragraphs[0].text
    assert header == "INTERNAL · Middle East briefing"
    footer_xml = doc.sections[0].footer._element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml


def test_docx_links_are_http_only(settings) -> None:
    s = settings()
    brief = build_brief(s)
    good = replace(brief.sources[0], url="https://example.org/a?b=1&c=2")
    bad = replace(brief.sources[1], url="javascript:alert(1)")
    brief = replace(brief, sources=(good, bad, *brief.sources[2:]))
    doc = _docx(brief, s.templates_dir)
    links = [r.target_ref for r in doc.part.rels.values() if r.reltype.endswith("/hyperlink")]
    assert links == ["https://example.org/a?b=1&c=2"]
    assert "javascript" not in doc.element.xml


def test_text_word_cannot_hold_is_cleaned(settings) -> None:
    s = settings()
    brief = build_brief(s)
    dirty = Source(
        number=99,
        article_key="x",
        title="Bad\x00title\ufffe with \ud800 surrogate\x1b",
        publisher="P\x07ub",
        published=date(2025, 1, 1),
        url=None,
    )
    brief = replace(brief, title="Memo\x0c title", sources=(*brief.sources, dirty))
    doc = _docx(brief, s.templates_dir)
    assert doc.paragraphs[0].text == "Memo title"
    assert any("Badtitle with  surrogate" in p.text for p in doc.paragraphs)
    assert render_markdown(brief, s.templates_dir).startswith("# Memo\x0c title") is False


def test_markdown_survives_a_damaged_or_unusable_template_cache(settings, tmp_path) -> None:
    s = settings()
    brief = build_brief(s)
    cache = tmp_path / "state" / "cache"
    first = render_markdown(brief, s.templates_dir, cache)
    entries = list(cache.glob("__briefer-*.cache"))
    assert entries  # the compiled template was kept
    from jinja2.bccache import bc_magic

    for entry in entries:  # the right header, then a damaged body
        entry.write_bytes(bc_magic + b"\x80\x04damaged")
    assert render_markdown(brief, s.templates_dir, cache) == first
    # A file where the cache folder should be: no cache, same memo.
    for entry in cache.iterdir():
        entry.unlink()
    cache.rmdir()
    cache.write_text("in the way")
    assert render_markdown(brief, s.templates_dir, cache) == first


def _sources_one_run_at_a_time(doc, sources) -> None:
    """The source list as python-docx's own calls build it (the reference)."""
    doc.add_paragraph("Sources", style="Heading 1")
    for source in sources:
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(0.9)
        paragraph.paragraph_format.first_line_indent = Cm(-0.9)
        paragraph.add_run(f"[{source.number}]\t")
        if source.publisher:
            paragraph.add_run(render_docx_module._t(source.publisher) + ", ")
        url = safe_url(source.url)
        if url:
            render_docx_module._hyperlink(paragraph, url, render_docx_module._t(source.title))
        else:
            paragraph.add_run(render_docx_module._t(f"“{source.title}”"))
        paragraph.add_run(", " + (day(source.published) if source.published else "undated"))
        if source.also_published_by:
            paragraph.add_run(
                render_docx_module._t(f" (also: {', '.join(source.also_published_by)})")
            )


def test_docx_source_list_is_what_python_docx_writes() -> None:
    sources = (
        Source(1, "a", "Title & <x>\tTab", "AFP", date(2025, 2, 4), "https://e.org/a?x=1&y=2",
               ("Reuters",)),
        Source(2, "b", " leading space", None, None, None),
        Source(3, "c", "Same link", 'P "q"', date(2025, 1, 1), "https://e.org/a?x=1&y=2"),
        Source(4, "d", "line\nbreak", "X", None, "https://e.org/b"),
    )  # fmt: skip

    class Brief:
        pass

    brief = Brief()
    brief.sources = sources  # type: ignore[attr-defined]
    template = Path(ROOT / "templates" / "reference.docx")
    expected, got = Document(str(template)), Document(str(template))
    _sources_one_run_at_a_time(expected, sources)
    render_docx_module._sources(got, brief)  # type: ignore[arg-type]
    assert etree.tostring(got.element.body) == etree.tostring(expected.element.body)

    def links(doc) -> dict[str, str]:
        return {
            r.rId: r.target_ref for r in doc.part.rels.values() if re.search("hyperlink", r.reltype)
        }

    assert links(got) == links(expected)
