"""Markdown (golden file) and Word (reopened and inspected) memos."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

from docx import Document

from briefer.brief import build_brief
from briefer.models import Source
from briefer.render.docx import render_docx
from briefer.render.markdown import md, render_markdown

from .golden import GOLDEN, seed_markdown
from .helpers import ROOT


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
    assert bullets and len(bullets) == len(brief.items)
    # Dates never break: "(as of 29 Dec 2025)" is joined by non-breaking spaces.
    cited = re.compile(r"\[\d+(, \d+)*\]( \(as\xa0of\xa0\d+\xa0\w{3}\xa0\d{4}\))?$")
    assert all(cited.search(b) for b in bullets)
    assert any(t.startswith("To: Desk") for _, t in styles)
    props = doc.core_properties
    assert props.title == "Middle East briefing"
    assert props.author == "briefer"
    assert props.created.year == 2026 and props.last_modified_by == "briefer"
    assert "python-docx" not in (props.author, props.last_modified_by, props.comments)
    header = doc.sections[0].header.paragraphs[0].text
    assert header == "INTERNAL · Middle East briefing · 2\xa0Jan\xa02026,\xa007:00\xa0UTC"
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


def test_docx_source_list_numbers_links_and_bookmarks(settings) -> None:
    from docx.oxml.ns import qn

    sources = (
        Source(1, "a", "Title & <x>\tTab", "AFP", date(2025, 2, 4), "https://e.org/a?x=1&y=2",
               ("Reuters",)),
        Source(2, "b", " leading space", None, None, None),
        Source(3, "c", "Same link", 'P "q"', date(2025, 1, 1), "https://e.org/a?x=1&y=2"),
        Source(4, "d", "line\nbreak", "X", None, "javascript:alert(1)"),
    )  # fmt: skip
    brief = replace(build_brief(settings()), sources=sources)
    doc = _docx(brief, settings().templates_dir)
    heading = next(i for i, p in enumerate(doc.paragraphs) if p.text == "Sources")
    entries = doc.paragraphs[heading + 1 :]
    assert [p.style.name for p in entries] == ["Source"] * 4
    assert [p.text for p in entries] == [
        "[1]\tAFP, Title & <x>\tTab, 4\u00a0Feb\u00a02025 (also: Reuters)",
        "[2]\t“ leading space”, undated",
        '[3]\tP "q", Same link, 1\u00a0Jan\u00a02025',
        "[4]\tX, “line\nbreak”, undated",  # not an http(s) link: no link
    ]
    links = [[(h.url, h.text) for h in p.hyperlinks] for p in entries]
    assert links == [
        [("https://e.org/a?x=1&y=2", "Title & <x>\tTab")], [],
        [("https://e.org/a?x=1&y=2", "Same link")], [],
    ]  # fmt: skip
    assert entries[0].hyperlinks[0].runs[0].style.name == "Hyperlink"
    external = [r for r in doc.part.rels.values() if r.is_external]
    assert [r.target_ref for r in external] == ["https://e.org/a?x=1&y=2"]  # one per URL
    marks = [[b.get(qn("w:name")) for b in p._p.iter(qn("w:bookmarkStart"))] for p in entries]
    assert marks == [["src_1"], ["src_2"], ["src_3"], ["src_4"]]
    keep = [p.paragraph_format.keep_with_next for p in entries]
    assert keep == [None, None, True, None]  # the last entry never alone on its page


def test_every_citation_links_to_its_source_entry(settings) -> None:
    from docx.oxml.ns import qn

    s = settings()
    brief = build_brief(s)
    doc = _docx(brief, s.templates_dir)
    body = doc.element.body
    anchors = [h.get(qn("w:anchor")) for h in body.iter(qn("w:hyperlink")) if h.get(qn("w:anchor"))]
    marks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    assert marks == {f"src_{s.number}" for s in brief.sources}
    cited = [n for item in brief.items for n in sorted(item.sources)]
    assert anchors == [f"src_{n}" for n in cited]
    markdown = render_markdown(brief, s.templates_dir)
    targets = re.findall(r"\]\(#(src-\d+)\)", markdown)
    assert targets == [f"src-{n}" for n in cited]
    assert set(re.findall(r'<a id="(src-\d+)"></a>', markdown)) == set(targets)


def test_source_list_is_compact_and_keeps_its_last_two_entries_together(settings) -> None:
    s = settings()
    brief = build_brief(s)
    doc = _docx(brief, s.templates_dir)
    entries = [p for p in doc.paragraphs if p.style.name == "Source"]
    assert len(entries) == len(brief.sources) >= 3
    assert doc.styles["Source"].font.size < doc.styles["Normal"].font.size
    keep = [p.paragraph_format.keep_with_next for p in entries]
    assert keep[-2] is True and not any(keep[:-2]) and not keep[-1]
    headline = next(s for s in brief.sources if s.article_key.startswith("003_"))
    assert headline.title.startswith("Netanyahu’s Upcoming Visit")  # the file's own headline


def test_page_comes_from_the_reference_unless_memo_paper_says(settings) -> None:
    s = settings()
    doc = _docx(build_brief(s), s.templates_dir)
    section = doc.sections[0]
    size = (round(section.page_width.mm), round(section.page_height.mm))
    assert size == (210, 297)  # the reference document's A4
    margins = (section.left_margin, section.top_margin)
    letter = settings(memo={"paper": "Letter"})
    section = _docx(build_brief(letter), letter.templates_dir).sections[0]
    assert (section.page_width.inches, section.page_height.inches) == (8.5, 11.0)
    assert (section.left_margin, section.top_margin) == margins


def test_a_reference_document_without_the_source_style_is_refused(tmp_path: Path) -> None:
    import shutil

    from briefer.errors import ConfigError
    from briefer.render.docx import check_reference

    shutil.copy(ROOT / "templates" / "briefing.md.j2", tmp_path)
    Document().save(str(tmp_path / "reference.docx"))  # python-docx's own: no "Source"
    try:
        check_reference(tmp_path)
    except ConfigError as exc:
        missing = (
            "missing style(s): Hyperlink, Source (add them in Word, or write a new reference "
            "document with python -m briefer.render.reference)"
        )
        assert exc.lines == (f"{tmp_path / 'reference.docx'}: {missing}",)
    else:
        raise AssertionError("a reference without the Source style was accepted")


def test_counts_read_as_english() -> None:
    from briefer.text import plural

    assert [plural(n, w) for n, w in [(1, "story"), (2, "story"), (3, "try"), (2, "day")]] == [
        "1 story", "2 stories", "3 tries", "2 days"
    ]  # fmt: skip
    assert plural(0, "new item") == "0 new items"


def test_document_properties_fit_their_limit() -> None:
    from briefer.render.docx import PROPERTY_LIMIT, property_list, property_text

    assert PROPERTY_LIMIT == 255
    assert property_text("") == ""
    assert property_text("Short title") == "Short title"
    exact = "word " * 50 + "wordy"
    assert len(exact) == 255 and property_text(exact) == exact
    longer = exact + "s"  # 256: the last word does not fit
    assert property_text(longer) == "word " * 49 + "word…"
    # The cut keeps the word that ends just before the limit.
    words = "a" * 253 + " bc"
    assert property_text(words) == "a" * 253 + "…"
    one_word = "x" * 400
    assert property_text(one_word) == "x" * 254 + "…"
    assert property_text("Title,\n" + "y" * 300).endswith("…")
    assert len(property_text("Title,\n" + "y" * 300)) == 255
    assert property_text("Memo\x0c " * 60).startswith("Memo Memo")  # cleaned, then cut
    # Lists: whole items, as many as fit, then an ellipsis.
    assert property_list([]) == ""
    assert property_list(["Gaza ceasefire"]) == "Gaza ceasefire"
    titles = [f"Section number {n:02d} of the memo" for n in range(12)]
    shown = property_list(titles)
    assert len(shown) <= 255 and shown.endswith(", …")
    kept = shown.removesuffix(", …").split(", ")
    assert kept == titles[: len(kept)] and len(kept) == 255 // len(titles[0] + ", ")
    assert property_list(["z" * 300, "Iran"]) == "z" * 254 + "…"


def test_long_memo_header_fields_still_render(settings) -> None:
    long = "Handling " * 40
    s = settings(memo={"title": "Title " * 60, "marking": long, "author": "Desk " * 70})
    doc = _docx(build_brief(s), s.templates_dir)
    props = doc.core_properties
    for text in (props.title, props.author, props.last_modified_by, props.content_status):
        assert 200 < len(text) <= 255 and text.endswith("…")
    assert doc.paragraphs[0].text == "Title " * 60  # the memo keeps it whole


def test_citations_are_shown_in_ascending_order(settings) -> None:
    s = settings()
    brief = build_brief(s)
    sources = tuple(
        Source(n, f"k{n}", f"Headline {n}", "Wire", date(2026, 1, 1), None) for n in range(1, 6)
    )
    # The worded source first in the data (2), the others as the story listed them.
    first = replace(brief.bottom_line[0], sources=(2, 3, 4, 5, 1), as_of=None)
    items = {i: replace(i, sources=(1,)) for i in brief.items}
    brief = replace(
        brief,
        sources=sources,
        bottom_line=(first, *(items[i] for i in brief.bottom_line[1:])),
        sections=tuple(
            replace(sec, items=tuple(items[i] for i in sec.items)) for sec in brief.sections
        ),
    )
    markdown = render_markdown(brief, s.templates_dir)
    line = next(x for x in markdown.splitlines() if x.startswith(f"- {md(first.text)}"))
    assert line.endswith(
        " [[1](#src-1), [2](#src-2), [3](#src-3), [4](#src-4), [5](#src-5)]"
    )
    doc = _docx(brief, s.templates_dir)
    bullet = next(p.text for p in doc.paragraphs if p.text.startswith(first.text))
    assert bullet.endswith(" [1, 2, 3, 4, 5]")
    assert first.sources[0] == 2  # the data keeps the worded source first


def test_links_are_shown_without_tracking_parameters(settings) -> None:
    s = settings()
    brief = build_brief(s)
    tracked = "https://e.org/a?id=7&utm_source=rss&CMP=share&traffic_source=rss#part"
    first = replace(brief.sources[0], url=tracked)
    brief = replace(brief, sources=(first, *brief.sources[1:]))
    doc = _docx(brief, s.templates_dir)
    links = [r.target_ref for r in doc.part.rels.values() if r.reltype.endswith("/hyperlink")]
    assert "https://e.org/a?id=7#part" in links
    assert not any("utm_" in x or "CMP" in x or "traffic_source" in x for x in links)
    markdown = render_markdown(brief, s.templates_dir)
    assert "(https://e.org/a?id=7#part)" in markdown
    assert "utm_source" not in markdown and "traffic_source" not in markdown
