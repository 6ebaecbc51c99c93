"""Cleaning an item before it is scored: datelines, furniture, digests, headline trimmings."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefer.rules import load_rules
from briefer.summarize.clean import clean_headline, prepare, split_digest, trim_dateline

from .helpers import ROOT, make_article, rules_file

RULES = load_rules(ROOT / "config" / "rules.toml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("JERUSALEM — Israel said on Monday it would reopen the crossing.",
         "Israel said on Monday it would reopen the crossing."),
        ("TEHRAN (AP) — Iranian authorities cut the internet on Thursday.",
         "Iranian authorities cut the internet on Thursday."),
        ("GAZA CITY, Jan 7 (Reuters) - Israeli strikes killed 13 people.",
         "Israeli strikes killed 13 people."),
        ("TEHRAN - The Iranian Foreign Ministry condemned the visit.",
         "The Iranian Foreign Ministry condemned the visit."),
        ("TEHRAN—The extension of the metro line was opened.",
         "The extension of the metro line was opened."),
        ("— Iranian authorities said the protests were riots.",
         "Iranian authorities said the protests were riots."),
        # Not datelines: the rest is kept as it is.
        ("NATO-led forces stayed in the region.", "NATO-led forces stayed in the region."),
        ("US officials said the talks would resume.", "US officials said the talks would resume."),
        ("Hamas - the group that runs Gaza - said it was ready.",
         "Hamas - the group that runs Gaza - said it was ready."),
    ],
)  # fmt: skip
def test_datelines_are_trimmed_and_the_rest_kept(text: str, expected: str) -> None:
    assert trim_dateline(text, RULES) == expected


@pytest.mark.parametrize(
    "paragraph",
    [
        "Photo: Palestinians walk past rubble in Khan Younis on Monday.",
        "Watch: protests break out in Tehran as the currency collapses",
        "Video: the moment an Israeli strike hit a tent in Mawasi",
        "Listen: our correspondent on the Gaza ceasefire talks",
        "Related coverage: Gaza ceasefire, hostages, Hamas, Iran nuclear talks",
        "Read more",
        "Comments (12)",
        "This is a breaking news story.",
        "Sign up for our Middle East newsletter",
        "In this episode, our Gaza correspondent talks about the ceasefire.",
        "Ebrahim Raisi, left, and Nicolás Maduro delivering a joint statement in Caracas in 2023.",
    ],
)
def test_furniture_never_reaches_the_engine(paragraph: str) -> None:
    prepared = prepare(make_article(paragraphs=(paragraph, "Hamas freed two hostages.")), RULES)
    assert prepared.paragraphs == ("Hamas freed two hostages.",)
    assert prepared.dropped == (paragraph,)


def test_a_digest_line_is_split_into_its_items() -> None:
    line = (
        "15 injured in explosion in Nazareth, police say cause not clear * "
        "US military strike on suspected drug vessel kills 5"
    )
    assert split_digest(line, RULES.candidates.digest_separators) == [
        "15 injured in explosion in Nazareth, police say cause not clear",
        "US military strike on suspected drug vessel kills 5",
    ]
    prepared = prepare(make_article(paragraphs=(line,)), RULES)
    assert len(prepared.paragraphs) == 2


@pytest.mark.parametrize(
    ("headline", "parts"),
    [
        # A live blog's headline joining its items: each part opens like a headline.
        ("Syria announces ceasefire in Aleppo; Israel kills 13 in Gaza",
         ("Syria announces ceasefire in Aleppo", "Israel kills 13 in Gaza")),
        ("UN chief urges Israel to reverse NGO ban; ‘We will not yield,’ Khamenei says",
         ("UN chief urges Israel to reverse NGO ban", "‘We will not yield,’ Khamenei says")),
        # One headline in two clauses: the second does not stand on its own.
        ("Widespread Iran protests reach 13th day; rights group says at least 51 killed",
         ("Widespread Iran protests reach 13th day; rights group says at least 51 killed",)),
        ("At least 10 said killed in Iran unrest; official threatens to respond ‘without leniency’",
         ("At least 10 said killed in Iran unrest; official threatens to respond "
          "‘without leniency’",)),
    ],
)  # fmt: skip
def test_a_headline_is_split_only_into_parts_that_open_like_headlines(
    headline: str, parts: tuple[str, ...]
) -> None:
    prepared = prepare(make_article(headline=headline, title=headline, paragraphs=("x",)), RULES)
    assert prepared.headlines == parts


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        ("Live Updates: Trump Says U.S. Will Rebuild Venezuela",
         "Trump Says U.S. Will Rebuild Venezuela"),
        ("Maduro jailed in New York after audacious raid – live",
         "Maduro jailed in New York after audacious raid"),
        ("Trump ousts Venezuela's President – podcast", ""),
        ("Watch: Protests break out in Iranian capital Tehran", ""),
        ("Photos: Civilians flee Aleppo amid intensified fighting", ""),
        ("Photo of Maduro bound and blindfolded sparks condemnation",
         "Photo of Maduro bound and blindfolded sparks condemnation"),
    ],
)  # fmt: skip
def test_headline_trimmings_and_media_headlines(headline: str, expected: str) -> None:
    assert clean_headline(headline, RULES) == expected


def test_only_the_first_characters_of_a_huge_article_are_read(tmp_path: Path) -> None:
    rules = rules_file(tmp_path, candidates={"max_article_chars": 1000})
    paragraphs = tuple(
        f"Paragraph {n} about the Gaza ceasefire talks in Cairo." for n in range(500)
    )
    prepared = prepare(make_article(paragraphs=paragraphs), rules)
    assert prepared.cut
    assert sum(len(p) for p in prepared.paragraphs) <= 1000
    single = prepare(make_article(paragraphs=("x" * 50_000,)), rules)
    assert single.cut and len(single.paragraphs[0]) == 1000
