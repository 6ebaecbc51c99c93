"""Large-input paths give the same memo as the plain ones."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Cm
from lxml import etree

from briefer.models import Source
from briefer.render import docx as render_docx
from briefer.render.common import day
from briefer.sources.files import read_folder
from briefer.summarize import select as select_module
from briefer.summarize.rules import load_rules, needles
from briefer.summarize.segment import segment_all, split_sentences
from briefer.summarize.select import NOT_SPLIT, Selector, select
from briefer.text import safe_url

from .conftest import ROOT, SEEDS, make_article

RULES = load_rules(ROOT / "config" / "rules.toml")

OFF_TOPIC = (
    "Shares in the carmaker rose 4% on Monday. Analysts said sales could recover if demand "
    "holds. The firm did not comment.",
    "The club won 2-1 after extra time. Its manager said the result was unclear until the end.",
    "Ministers will meet on Tuesday to discuss aid for farmers hit by the floods.",
)


def _articles() -> list:
    articles = read_folder(SEEDS, 10_000_000)
    for n, text in enumerate(OFF_TOPIC):
        articles.append(
            make_article(key=f"off{n}.txt", paragraphs=(text, "A second paragraph here."))
        )
    articles.append(
        make_article(
            key="mixed.txt",
            paragraphs=(
                "The weather was mild across the region on Sunday.",
                "Hamas said the Gaza ceasefire would hold, but few details of the second "
                "phase have been confirmed.",
                "It is unclear whether talks will resume in Doha next week.",
            ),
            title="Gaza truce talks",
        )
    )
    # A join across paragraphs whose first paragraph has no cue of its own.
    articles.append(
        make_article(
            key="join.txt",
            paragraphs=(
                "The agreement was signed in Cairo on Monday by officials from both sides.",
                "It frees 20 hostages held in Gaza in exchange for 600 Palestinian prisoners.",
            ),
        )
    )
    # A headline under a title from metadata; the title meets Iran's require_any.
    articles.append(
        make_article(
            key="headline.txt",
            title="Iran: the week in review",
            headline="Protests and a crackdown spread as security forces fire on crowds",
            paragraphs=("Witnesses described the scenes to reporters by telephone on Thursday.",),
        )
    )
    return articles


def _memo(selection) -> list[tuple[str, str, float]]:
    items = [("bottom", c.text, c.score) for c in selection.bottom_line]
    for key, chosen in selection.sections:
        items += [(key, c.text, c.score) for c in chosen]
    return items


def test_pruned_split_gives_the_memo_of_a_full_split() -> None:
    articles = _articles()
    full = select(articles, segment_all(articles), RULES, 700)
    selector = Selector(RULES, "syntok")
    for article in articles:
        selector.add(article)
    pruned = selector.finish(700)
    assert _memo(pruned) == _memo(full)
    assert pruned.candidates == full.candidates
    kept = [(d.article_key, d.sentence_index, d.reason) for d in full.decisions if d.kept]
    assert [(d.article_key, d.sentence_index, d.reason) for d in pruned.decisions if d.kept] == kept
    # Both built cases above really give a bullet (else they test nothing).
    texts = [text for _, text, _ in _memo(full)]
    assert any(t.startswith("The agreement was signed in Cairo") for t in texts)
    assert "Protests and a crackdown spread as security forces fire on crowds" in texts


def test_without_explain_the_memo_is_the_same() -> None:
    articles = _articles()
    memos = []
    for explain in (True, False):
        selector = Selector(RULES, "syntok", explain=explain)
        for article in articles:
            selector.add(article)
        memos.append(_memo(selector.finish(700)))
    assert memos[0] == memos[1]


def test_unsplit_paragraph_is_one_decision_naming_why() -> None:
    article = make_article(key="off.txt", paragraphs=OFF_TOPIC[:1], title=None)
    selector = Selector(RULES, "syntok")
    selector.add(article)
    selection = selector.finish(700)
    (decision,) = selection.decisions
    assert decision.reason.startswith(NOT_SPLIT)
    assert decision.text == OFF_TOPIC[0] and not decision.kept
    assert selector.sentences == len(split_sentences(OFF_TOPIC[0], "fast"))


def test_indexed_overlap_matches_pairwise(monkeypatch: pytest.MonkeyPatch) -> None:
    articles = _articles()
    sentences = segment_all(articles)
    pairwise = select(articles, sentences, RULES, 700)
    monkeypatch.setattr(select_module, "PAIRWISE_LIMIT", 0)
    indexed = select(articles, sentences, RULES, 700)
    assert _memo(indexed) == _memo(pairwise)
    assert [d.reason for d in indexed.decisions] == [d.reason for d in pairwise.decisions]


@pytest.mark.parametrize(
    "text",
    [
        "Hamas and Israel agreed a ceasefire in Gaza on Monday. Hostages were freed.",
        "Iran’s nuclear talks with the IAEA have not been confirmed, officials said.",
        "The Saudi normalization of ties with Israel remains unclear. It is uncertain.",
        "Cease-fire talks: 33 hostages for 1,900 prisoners in the first phase.",
        "Gaza’s “truce” holds; Khan  Younis and Rafah saw aid.",
        "Ceaſefire in Gaza (long s), İstanbul talks on Iran.",
        "",
    ],
)
def test_paragraph_cues_bound_every_sentence(text: str) -> None:
    cues = RULES.paragraph_cues(text)
    sentences = split_sentences(text, "syntok") + split_sentences(text, "fast")
    for sentence in sentences:
        for i, section in enumerate(RULES.sections):
            assert section.score(sentence) <= cues.best[i]
    for splitter in ("syntok", "fast"):
        for i, section in enumerate(RULES.sections):
            total = sum(section.score(s) for s in split_sentences(text, splitter))
            assert total <= cues.total[i]


def test_needles_of_patterns() -> None:
    assert needles(r"\bphase\s+(1|2|one|two)\b") == frozenset({"phase"})
    assert needles(r"\b\d[\d,.]*\s+(hostages|people)\b") == frozenset({"hostages", "people"})
    assert needles(r"\bU\.S\.") == frozenset({"u.s"})  # a trimmed full stop may be added
    assert needles(r"\w+") is None
    assert needles(r"(a|\d)") is None


def test_fast_splitter_reads_the_word_before_the_stop() -> None:
    text = "He met Mr. Smith and the U.S. envoy... Then Gen. Jones left. It ended."
    assert split_sentences(text, "fast") == [
        "He met Mr. Smith and the U.S. envoy... Then Gen. Jones left.",
        "It ended.",
    ]


def _sources_one_run_at_a_time(doc, sources) -> None:
    """The source list as python-docx's own calls build it (the reference)."""
    doc.add_paragraph("Sources", style="Heading 1")
    for source in sources:
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(0.9)
        paragraph.paragraph_format.first_line_indent = Cm(-0.9)
        paragraph.add_run(f"[{source.number}]\t")
        if source.publisher:
            paragraph.add_run(render_docx._t(source.publisher) + ", ")
        url = safe_url(source.url)
        if url:
            render_docx._hyperlink(paragraph, url, render_docx._t(source.title))
        else:
            paragraph.add_run(render_docx._t(f"“{source.title}”"))
        paragraph.add_run(", " + (day(source.published) if source.published else "undated"))
        if source.also_published_by:
            paragraph.add_run(render_docx._t(f" (also: {', '.join(source.also_published_by)})"))


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
    render_docx._sources(got, brief)  # type: ignore[arg-type]
    assert etree.tostring(got.element.body) == etree.tostring(expected.element.body)

    def links(doc) -> dict[str, str]:
        return {
            r.rId: r.target_ref for r in doc.part.rels.values() if re.search("hyperlink", r.reltype)
        }

    assert links(got) == links(expected)


def test_negative_weights_do_not_lower_the_bounds(tmp_path: Path) -> None:
    from briefer.summarize.rules import RulesFile, compile_rules, read_toml

    raw = read_toml(ROOT / "config" / "rules.toml", "rules")
    raw["sections"][0]["terms"]["denied"] = -1.0
    raw["sections"][0]["patterns"][r"\bdenied\b"] = -1.0
    rules = compile_rules(RulesFile.model_validate(raw), tmp_path / "rules.toml")
    text = "The Gaza ceasefire held on Monday. Israel denied the report on Tuesday."
    bound = rules.paragraph_cues(text).best[0]
    first = rules.sections[0].score("The Gaza ceasefire held on Monday.")
    assert first > 0 and bound >= first
