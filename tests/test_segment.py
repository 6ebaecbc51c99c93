"""Sentence splitting on the cases that trip naive splitters."""

from __future__ import annotations

import pytest

from briefer.summarize.segment import SPLITTERS, segment, split_sentences

from .helpers import make_article

TRICKY = [
    ("The U.S. and the U.N. met Mr. Smith on Jan. 5. Then they left.", 2),
    ("Some 1,900 prisoners of 2.4 million people were freed. More followed.", 2),
    ('"We are ready," he said. "Is it over?" she asked.', 2),
    ("Gen. Jones met Dr. Amal in Washington on Monday. Talks went on.", 2),
    ("It rose 3.5% last year. Prices fell.", 2),
]


@pytest.mark.parametrize("splitter", sorted(SPLITTERS))
@pytest.mark.parametrize(("text", "count"), TRICKY)
def test_tricky_cases(splitter: str, text: str, count: int) -> None:
    sentences = split_sentences(text, splitter)
    assert len(sentences) == count, sentences
    assert " ".join(sentences) == text


def test_syntok_keeps_quoted_question_with_its_attribution() -> None:
    assert split_sentences('"Is it over?" she asked. Yes.', "syntok") == [
        '"Is it over?" she asked.',
        "Yes.",
    ]


def test_positions_run_across_paragraphs() -> None:
    article = make_article(paragraphs=("One truce. Two truces.", "Three truces here."))
    got = [(s.index, s.paragraph, s.text) for s in segment(article)]
    assert got == [(0, 0, "One truce."), (1, 0, "Two truces."), (2, 1, "Three truces here.")]


def test_empty_article_has_no_sentences() -> None:
    assert list(segment(make_article(paragraphs=()))) == []


def test_one_sentence_shortcut_gives_what_syntok_gives() -> None:
    from briefer.sources.files import read_folder
    from briefer.summarize.segment import _syntok, _syntok_analyze

    from .helpers import ROOT, SEEDS

    folders = [SEEDS, *sorted((ROOT / "bench").glob("heldout*/articles"))]
    paragraphs = [p for f in folders for a in read_folder(f, 10_000_000) for p in a.paragraphs]
    assert len(paragraphs) > 100
    paragraphs += [
        "TEHRAN - Residents of the city have launched a campaign",
        "GAZA CITY, Gaza - Israeli strikes killed 13 people on Thursday",
        "Residents said — and officials agreed — that the campaign will go on.",
        'US, Israel discuss Iran "options" as protests spread',
        "He said “we will not stop” and left!",
        "Plans include 126 housing units; Smotrich: we are advancing",
        "SHUSHTAR (Khuzestan province) - Residents launched a campaign",
        "  spaced   out   words  ",
        "",
    ]
    for paragraph in paragraphs:
        assert _syntok(paragraph) == _syntok_analyze(paragraph), paragraph


def test_fast_splitter_reads_the_word_before_the_stop() -> None:
    text = "He met Mr. Smith and the U.S. envoy... Then Gen. Jones left. It ended."
    assert split_sentences(text, "fast") == [
        "He met Mr. Smith and the U.S. envoy... Then Gen. Jones left.",
        "It ended.",
    ]
