"""Candidates: which texts stand alone as bullets, and where each sentence goes."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefer.errors import SourceError
from briefer.rules import CueScanner, load_rules
from briefer.summarize.candidates import Judged, standalone, trim_attribution
from briefer.summarize.clean import prepare
from briefer.summarize.topics import item_topics

from .helpers import (
    GAZA_PARAGRAPHS,
    ROOT,
    bullets_of,
    candidates_of,
    make_article,
    rules_file,
    summarize,
)

RULES = load_rules(ROOT / "config" / "rules.toml")


def verdicts(selection) -> dict[str, str]:
    return {d.text: d.reason for d in selection.decisions}


def test_nothing_on_topic_selects_nothing() -> None:
    weather = make_article(text="Heavy rain is expected across the north of England on Friday.")
    selection = summarize([weather])
    assert selection.bottom_line == () and all(not bs for _, bs in selection.sections)


def test_no_articles_at_all_is_a_source_error() -> None:
    with pytest.raises(SourceError):
        summarize([])


def test_a_single_on_topic_sentence_is_one_bullet() -> None:
    article = make_article(text="Hamas freed 18 hostages under the Gaza ceasefire on Monday.")
    kept = bullets_of(summarize([article]))
    # A story with one text gives it to the bottom line; it is printed once.
    assert [b.text for b in kept] == ["Hamas freed 18 hostages under the Gaza ceasefire on Monday."]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Hostages freed.", "too short"),
        ('Hamas said "the Gaza ceasefire will hold for the hostages.', "quote opened"),
        ("Will the Gaza ceasefire hold for the remaining hostages?", "a question"),
        ("the Gaza ceasefire held for the remaining hostages on Monday.", "starts mid-sentence"),
        ("The Gaza ceasefire held for the remaining hostages and the talks ...", "no sentence end"),
        ("The announcement came as Gaza ceasefire talks on the hostages resumed.",
         "starts with unresolved 'The announcement'"),
        ("The post Gaza ceasefire and hostages appeared first on the site.",
         "starts with unresolved 'The post'"),
    ],
)  # fmt: skip
def test_texts_that_cannot_stand_alone(text: str, reason: str) -> None:
    assert standalone(text, RULES).problem.startswith(reason)


def test_texts_that_stand_alone() -> None:
    assert standalone("But the Gaza ceasefire held through Monday night.", RULES).text == (
        "The Gaza ceasefire held through Monday night."
    )
    unclear = "It is unclear whether the Gaza ceasefire will survive the week."
    assert standalone(unclear, RULES) == Judged(unclear)
    # A paragraph's last sentence without a full stop (feed summaries drop it).
    cut = "Israel says the Gaza truce holds despite the strikes on Khan Younis"
    assert standalone(cut, RULES, paragraph_end=True) == Judged(cut)
    # Headlines need no full stop and may open with "Another".
    assert standalone("Another infant dies of cold in Gaza", RULES, heading=True).problem == ""
    assert standalone("Israel kills 13 in Gaza", RULES, heading=True).problem == ""


def test_unresolved_sentence_joins_the_one_before(tmp_path: Path) -> None:
    article = make_article(
        paragraphs=(
            "Egypt hosted the Gaza ceasefire talks on Monday.",
            "He said the hostages would be freed under the first phase of the truce.",
        )
    )
    texts = [b.text for b in bullets_of(summarize([article]))]
    assert any(t.startswith("Egypt hosted") and "He said" in t for t in texts)
    off = rules_file(tmp_path, candidates={"join_previous": False})
    reasons = verdicts(summarize([article], off))
    assert reasons[article.paragraphs[1]] == "starts with unresolved 'He'"


def test_attribution_is_kept_unless_asked() -> None:
    text = "Talks on the Gaza truce resumed in Cairo, officials said."
    assert standalone(text, RULES).text == text
    assert trim_attribution(text) == "Talks on the Gaza truce resumed in Cairo."
    assert trim_attribution("It is over, officials said.", min_words=4) == (
        "It is over, officials said."
    )


def test_a_sentence_continuing_its_items_thread_follows_its_topic() -> None:
    article = make_article(
        paragraphs=(
            "Hamas and Israel agreed to extend the Gaza ceasefire by two weeks on Monday.",
            "Mediators from Qatar and Egypt will hold a new round of hostage talks in Doha.",
            "The delegation is expected to arrive in the Qatari capital on Wednesday evening.",
            "Palestinian officials said 600 prisoners would be released in the first phase.",
            "Another round of talks on the second phase is planned for next month in Cairo.",
        )
    )
    reasons = verdicts(summarize([article]))
    # No cue of its own, but its article is on Gaza: a candidate there.
    thread = "The delegation is expected to arrive in the Qatari capital on Wednesday evening."
    assert not reasons[thread].startswith(("no section", "item not"))


def test_a_passing_mention_of_another_topic_is_left_out() -> None:
    article = make_article(
        paragraphs=(
            *GAZA_PARAGRAPHS,
            "Separately, Iran's foreign minister met officials in Beirut on Monday.",
        )
    )
    reasons = verdicts(summarize([article]))
    passing = "Separately, Iran's foreign minister met officials in Beirut on Monday."
    assert reasons[passing].startswith("in passing about 'iran'")


def test_a_sentence_on_two_topics_goes_where_it_is_furthest_above_the_bar() -> None:
    # Gaza scores 3.0 (its min_score 2.5), Iran 3.5 (its min_score 3.0): the
    # Gaza toll is the sentence's news, the Iran clause its backdrop.
    sentence = (
        "Fourteen people, among them five children, were killed across the Gaza Strip "
        "on Thursday as demonstrations in Iran have spread nationwide."
    )
    gaza, iran = (RULES.keys.index(k) for k in ("gaza", "iran"))
    scores = RULES.text_scores(sentence, (False,) * len(RULES.keys))
    low = [s.rule.min_score for s in RULES.sections]
    assert scores[iran] > scores[gaza] and scores[gaza] / low[gaza] > scores[iran] / low[iran]
    article = make_article(
        headline="Over dozen killed across Gaza as Iran's Khamenei rejects protest",
        title="Over dozen killed across Gaza as Iran's Khamenei rejects protest",
        paragraphs=(sentence,),
        summary=True,
    )
    topics = item_topics(prepare(article, RULES), RULES, CueScanner(RULES))
    assert set(topics.main) == {gaza, iran}
    routed = {c.text: RULES.keys[c.section] for c in candidates_of(article, RULES)}
    assert routed[sentence] == "gaza"
