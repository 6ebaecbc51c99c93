"""Sentence splitting on the cases that trip naive splitters."""

from __future__ import annotations

import pytest

from briefer.summarize.segment import SPLITTERS, segment, split_sentences

from .conftest import make_article

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
