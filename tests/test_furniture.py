"""Bylines and "Updated" lines: read as metadata, kept out of the body."""

from __future__ import annotations

from datetime import date

import pytest

from briefer.sources.files import SidecarEntry, parse_article
from briefer.sources.furniture import Byline, read_byline, read_updated

BODY = "Hamas and Israel agreed to resume Gaza ceasefire talks in Cairo, officials said."


@pytest.mark.parametrize(
    ("line", "author", "publisher"),
    [
        ("By Danny KEMP, AFP", "Danny KEMP", "AFP"),
        ("By Jane DOE and John ROE, Reuters", "Jane DOE and John ROE", "Reuters"),
        ("By Jane Doe, John Roe and Ann Poe, Reuters", "Jane Doe, John Roe and Ann Poe", "Reuters"),
        ("By Jane Doe, John Roe and Ann Poe", "Jane Doe, John Roe and Ann Poe", None),
        ("By JANE DOE AND JOHN ROE", "JANE DOE AND JOHN ROE", None),
        ("By Jane Doe | Times of Israel", "Jane Doe", "Times of Israel"),
        ("By Ali al Hashem - Al-Monitor", "Ali al Hashem", "Al-Monitor"),
        ("By Lazar Berman", "Lazar Berman", None),
    ],
)
def test_bylines_with_one_or_several_authors(line: str, author: str, publisher: str | None) -> None:
    assert read_byline(line) == Byline(author, publisher)


@pytest.mark.parametrize(
    "line",
    [
        "By Monday, Hamas had agreed to the terms.",
        "By the time the talks ended, the delegations had left Cairo.",
        "Byline",
        BODY,
    ],
)
def test_sentences_starting_with_by_are_not_bylines(line: str) -> None:
    assert read_byline(line) is None


@pytest.mark.parametrize(
    "line",
    [
        "Updated 8 Jan 2026",
        "Updated: January 8, 2026",
        "Updated Jan. 8, 2026, 3:04 p.m. ET",
        "Last updated on 8 January 2026, 14:32 GMT",
        "Updated: Thu 8 Jan 2026 at 09:00",
        "Updated 2026-01-08",
    ],
)
def test_update_lines(line: str) -> None:
    assert read_updated(line) == date(2026, 1, 8)


@pytest.mark.parametrize(
    "line",
    ["Updated guidance was issued on 8 January 2026.", "Updated 31 Feb 2026", "Updated recently"],
)
def test_not_update_lines(line: str) -> None:
    assert read_updated(line) is None


def test_an_article_with_a_headline_a_byline_of_two_and_an_update_line() -> None:
    text = (
        "Gaza ceasefire talks to resume in Cairo\n"
        "By Jane DOE and John ROE, Reuters\n"
        "Updated: January 8, 2026\n"
        f"{BODY}\n"
        "Qatar and Egypt will mediate the second phase, a diplomat said on Wednesday.\n"
    )
    article = parse_article("a.txt", text, SidecarEntry(published=date(2026, 1, 6)))
    assert article.headline == "Gaza ceasefire talks to resume in Cairo"
    assert article.author == "Jane DOE and John ROE"
    assert article.publisher == "Reuters"
    assert article.published == date(2026, 1, 8)  # the update is newer than the sidecar's date
    assert article.paragraphs[0] == BODY and len(article.paragraphs) == 2


def test_an_older_update_line_never_moves_the_date_back() -> None:
    text = f"{BODY}\nUpdated 8 Jan 2025\nBy Danny KEMP, AFP\n"
    article = parse_article("a.txt", text, SidecarEntry(published=date(2026, 1, 6)))
    assert article.published == date(2026, 1, 6)
    assert article.paragraphs == (BODY,)
    assert (article.author, article.publisher) == ("Danny KEMP", "AFP")


def test_an_update_line_dates_an_undated_file() -> None:
    article = parse_article("a.txt", f"Updated 8 Jan 2026\n{BODY}\n", SidecarEntry())
    assert article.published == date(2026, 1, 8)
    assert article.paragraphs == (BODY,)


def test_the_source_list_shows_the_files_own_headline_and_its_update(settings, tmp_path) -> None:
    from briefer.brief import build_brief

    seeds = tmp_path / "articles"
    seeds.mkdir()
    (seeds / "a.txt").write_text(
        "Gaza ceasefire talks to resume in Cairo\nBy Jane DOE and John ROE, Reuters\n"
        f"Updated: January 8, 2026\n{BODY}\n",
        encoding="utf-8",
    )
    (seeds / "sources.toml").write_text(
        '["a.txt"]\ntitle = "A title from the sidecar"\npublished = 2026-01-06\n'
        'url = "https://example.org/a"\n',
        encoding="utf-8",
    )
    brief = build_brief(settings(seeds_dir=seeds, as_of="2026-01-09T07:00:00+00:00"))
    [source] = brief.sources
    assert (source.publisher, source.title, source.published, source.url) == (
        "Reuters",
        "Gaza ceasefire talks to resume in Cairo",
        date(2026, 1, 8),
        "https://example.org/a",
    )
