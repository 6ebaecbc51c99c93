"""Route, step one: an item feeds a section only when it is on that topic as a whole."""

from __future__ import annotations

from briefer.rules import CueScanner, load_rules
from briefer.summarize.clean import prepare
from briefer.summarize.topics import item_topics

from .helpers import GAZA_PARAGRAPHS, ROOT, bullets_of, make_article, summarize

RULES = load_rules(ROOT / "config" / "rules.toml")
SCANNER = CueScanner(RULES)
KEYS = RULES.keys


def topics(headline: str | None, *paragraphs: str) -> list[str]:
    article = make_article(paragraphs=paragraphs, headline=headline, title=headline)
    found = item_topics(prepare(article, RULES), RULES, SCANNER)
    return [KEYS[k] for k in found.main]


def sections_used(headline: str | None, *paragraphs: str) -> set[str]:
    article = make_article(paragraphs=paragraphs, headline=headline, title=headline)
    return {b.section for b in bullets_of(summarize([article]))}


def test_no_paragraphs_and_no_cues() -> None:
    assert topics(None) == []
    assert topics("Arsenal and Liverpool draw", "The match ended 1-1 at the Emirates.") == []


def test_a_gaza_item_is_on_gaza() -> None:
    assert topics(
        "Israeli strikes kill 13 in Gaza despite ceasefire",
        "Gaza's civil defence agency said the strikes killed 13 people, including five children.",
    ) == ["gaza"]


def test_west_bank_news_is_not_gaza_news() -> None:
    assert (
        topics(
            "Israeli forces raid Birzeit University in the occupied West Bank",
            "Israeli forces raided the university near Ramallah, firing live ammunition; "
            "Palestinian officials said dozens were wounded.",
        )
        == []
    )


def test_a_headline_naming_gaza_before_the_west_bank_stays_gaza_news() -> None:
    assert topics(
        "UN chief Guterres calls on Israel to reverse NGO ban in Gaza, West Bank",
        "Guterres says pending ban targets groups 'indispensable to life-saving' work, "
        "undermines ceasefire progress.",
    ) == ["gaza"]
    # A sink's cue first does not take an item whose topic the headline says more of.
    assert topics(
        "Russia warns US against strikes on Iran as protests rage in Tehran",
        "Moscow said any US strike on Iran during the protests would be a grave mistake.",
    ) == ["iran"]
    # Gaza named in the body only: the headline leads with the West Bank.
    assert topics(
        "Israel grants 4G access to Palestinian West Bank cell companies after delay due to war",
        "Communications Ministry ratifies deals inked by Israeli, Palestinian telecom firms; "
        "move won't cover Gaza, where networks stuck on 2G.",
    ) == []


def test_a_ceasefire_elsewhere_is_not_gaza_news() -> None:
    for headline, body in (
        ("Israeli strikes on Lebanon kill two despite ceasefire",
         "The strikes hit the south a day before ceasefire monitors were due to meet."),
        ("UK and France ready to deploy troops to Ukraine after ceasefire",
         "The leaders signed a declaration on a multinational force after any truce with Russia."),
        ("Thai army says Cambodia border strike was an accident amid truce",
         "The ceasefire between Thailand and Cambodia has held since December."),
    ):  # fmt: skip
        assert "gaza" not in topics(headline, body)


def test_a_passing_mention_does_not_make_an_item_about_gaza() -> None:
    paragraphs = (
        "The Bank of Israel cut its key interest rate by a quarter point on Monday.",
        "Inflation has eased to 2.4 percent and the shekel has strengthened.",
        "The bank said growth had recovered since the ceasefire in Gaza took hold.",
        "Economists expect a further cut in the spring if inflation stays low.",
        "The next rate decision is due in February.",
    )
    assert topics("Bank of Israel cuts rates as inflation eases", *paragraphs) == []


def test_a_cue_in_the_headline_alone_does_not_make_the_body_on_topic() -> None:
    # "hostage" in the headline, a party-politics body: not Gaza ceasefire news.
    assert (
        topics(
            "Anti-government protest leaders, brother of murdered hostage join Democrats party",
            "Left-wing leader Yair Golan welcomes protest leaders, calling to transform activism "
            "into political action.",
        )
        == []
    )


def test_a_headline_with_no_body_is_judged_on_the_headline() -> None:
    assert topics(
        "Israel, Syria agree to dedicated communication line in US-brokered talks",
        "This is a breaking news story.",  # furniture: dropped
    ) == ["normalization"]


def test_a_sections_own_cue_never_opens_its_gate() -> None:
    # "normalise" is a normalization cue, but the subject (Israel) is not named.
    assert (
        topics(
            "China and Japan move to normalise relations after summit",
            "Beijing and Tokyo agreed to restore diplomatic relations and normalise trade ties.",
        )
        == []
    )


def test_the_subject_in_the_headline_counts_for_the_whole_item() -> None:
    assert topics(
        "Hamas delegation arrives in Cairo for ceasefire talks",
        "The delegation will discuss the second phase of the truce with Egyptian mediators.",
    ) == ["gaza"]


def test_a_strong_point_in_a_long_article_on_another_topic_still_counts() -> None:
    paragraphs = (
        *GAZA_PARAGRAPHS,
        "Trump will also press Israel to normalise relations with Saudi Arabia.",
    )
    assert topics(None, *paragraphs) == ["gaza"]
    assert sections_used(None, *paragraphs) >= {"normalization"}


def test_open_questions_need_an_item_on_a_topic() -> None:
    assert sections_used(
        "Questions remain over the Gaza ceasefire's second phase",
        "It is unclear whether Hamas will agree to disarm before the second phase of the truce.",
    ) & {"open_questions", "bottom_line"}
    assert not sections_used(
        "Football: cup final date unclear",
        "It is unclear whether the final will be played in March after the stadium flooded.",
    )


def test_a_sentence_naming_no_topic_follows_its_paragraph_not_the_articles_topic() -> None:
    paragraphs = (
        "Protests spread across Iran on Thursday as Khamenei warned rioters of a harsh response.",
        "Iran's security forces arrested hundreds of protesters in Tehran, rights groups said.",
        "The IRGC said it would not tolerate unrest, and Iran cut internet access nationwide.",
        "Khamenei accused the United States of stoking the protests in Iran.",
        "Israeli strikes killed 13 people in Gaza on Thursday despite the ceasefire, the civil "
        "defence agency said. Most of the dead were women and children from one family.",
    )
    article = make_article(paragraphs=paragraphs, headline="Iran protests spread",
                           title="Iran protests spread")  # fmt: skip
    placed = {b.text: b.section for b in bullets_of(summarize([article]))}
    family = [t for t in placed if t.startswith("Most of the dead")]
    assert family and {placed[t] for t in family} == {"gaza"}, placed
