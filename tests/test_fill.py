"""Rank and fill: the budget goes to the heaviest stories; the bottom line is the day's news."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from briefer.brief import build_brief
from briefer.rules import load_rules

from .helpers import (
    FEED_GAZA,
    FEED_IRAN,
    GAZA_PARAGRAPHS,
    ROOT,
    bullets_of,
    make_article,
    rules_file,
    summarize,
)

RULES = load_rules(ROOT / "config" / "rules.toml")
DAY = date(2026, 1, 8)

GAZA = FEED_GAZA
IRAN = FEED_IRAN


def feed_items(pairs, publisher: str, start: int = 0, day: date = DAY) -> list:
    return [
        make_article(key=f"{publisher}-{n}", publisher=publisher, headline=h, title=h,
                     paragraphs=(t,), published=day)
        for n, (h, t) in enumerate(pairs, start=start)
    ]  # fmt: skip


def test_the_budget_is_never_exceeded() -> None:
    articles = feed_items(GAZA, "A") + feed_items(IRAN, "B")
    for budget in (20, 60, 120, 700):
        selection = summarize(articles, budget=budget)
        assert sum(len(b.text.split()) for b in bullets_of(selection)) <= budget


def test_a_thin_day_uses_every_story_that_fits() -> None:
    selection = summarize(feed_items(GAZA, "A") + feed_items(IRAN, "B"), budget=700)
    assert len({b.story for b in bullets_of(selection)}) == len(GAZA) + len(IRAN)


def test_every_section_with_a_story_gets_one_before_the_rest_fill_by_weight(
    tmp_path: Path, settings
) -> None:
    # Each Gaza story is told by two publishers: all of them outweigh Iran's.
    articles = feed_items(GAZA, "A") + feed_items(GAZA, "B", start=5) + feed_items(IRAN, "C")
    rules = rules_file(tmp_path, bottom_line={"max_items": 0})

    def sections(budget: int) -> dict[str, list[tuple[float, str]]]:
        """Each section's bullets: (story weight, text), in memo order."""
        chosen = settings().model_copy(update={"budget_words": budget})
        brief = build_brief(chosen, articles=articles, rules=rules)
        return {s.key: [(i.score, i.text) for i in s.items] for s in brief.sections}

    def words(text: str) -> int:
        return len(text.split())

    every = sections(700)  # every story fits: their weights
    assert len(every["gaza"]) == len(GAZA) and len(every["iran"]) == len(IRAN)
    budget = 40
    # By weight alone, the budget would go to Gaza stories only.
    by_weight, used = [], 0
    for _weight, key, text in sorted(
        ((score, key, text) for key, items in every.items() for score, text in items),
        reverse=True,
    ):
        if used + words(text) <= budget:
            by_weight.append(key)
            used += words(text)
    assert by_weight and "iran" not in by_weight
    tight = sections(budget)
    # Its heaviest story (of equal weights, either), and only it.
    assert len(tight["iran"]) == 1 and tight["iran"][0] in every["iran"]
    assert tight["iran"][0][0] == max(every["iran"])[0]
    # The rest by weight: Gaza's heaviest stories in order, as many as fit beside it.
    gaza = tight["gaza"]
    assert gaza and gaza == every["gaza"][: len(gaza)]
    used = sum(words(text) for items in tight.values() for _, text in items)
    assert used <= budget
    assert used + words(every["gaza"][len(gaza)][1]) > budget  # the next one does not fit


def test_bottom_line_is_distinct_current_stories_one_line_each() -> None:
    # Six current stories from three sources: as many lines as the rules allow.
    articles = feed_items(GAZA[:2], "A") + feed_items(GAZA[2:], "C", start=5)
    selection = summarize(articles + feed_items(IRAN, "B"))
    bottom = selection.bottom_line
    assert RULES.bottom_line.max_items <= 3 * RULES.bottom_line.max_per_source
    assert len(bottom) == RULES.bottom_line.max_items < len(GAZA) + len(IRAN)
    assert len({b.story for b in bottom}) == len(bottom)
    body = {b.text for _, bs in selection.sections for b in bs}
    assert not body & {b.text for b in bottom}  # no text twice
    # Each bottom-line story keeps its fuller bullet in its section.
    stories = {b.story for _, bs in selection.sections for b in bs}
    assert {b.story for b in bottom if b.headline} <= stories


def test_bottom_line_takes_at_most_max_per_source_lines_from_one_source() -> None:
    selection = summarize(feed_items(GAZA + IRAN, "OnlySource"))
    most = RULES.bottom_line.max_per_source
    assert most < RULES.bottom_line.max_items  # the bound, not max_items, decides here
    assert len(selection.bottom_line) == most


def test_old_news_stays_out_of_the_bottom_line_when_fresh_news_exists() -> None:
    old = feed_items(GAZA, "Old", day=DAY - timedelta(days=12))
    fresh = feed_items(IRAN, "Fresh") + feed_items(GAZA[2:3], "Other", start=9)
    selection = summarize(old + fresh)
    assert selection.bottom_line
    assert all(not key.startswith("Old") for b in selection.bottom_line for key in b.sources[:1])


def test_a_section_is_never_emptied_by_the_bottom_line() -> None:
    article = make_article(
        paragraphs=(
            *GAZA_PARAGRAPHS,
            "Trump will also press Israel to normalise relations with Saudi Arabia.",
        )
    )
    selection = summarize([article])
    sections = dict(selection.sections)
    assert sections["gaza"] and sections["normalization"]


def test_a_long_sentence_with_more_facts_is_not_ranked_down_for_its_length(tmp_path: Path) -> None:
    short = "Israel and Hamas said the Gaza truce holds."
    long = (
        "Under the Gaza ceasefire's 42-day first phase, Hamas is to free 33 hostages in "
        "exchange for about 1,900 Palestinian prisoners, with a second phase due on February 3."
    )
    articles = [
        make_article(key="s", paragraphs=(short,)),
        make_article(key="l", paragraphs=(long,)),
    ]
    no_bottom_line = rules_file(tmp_path, bottom_line={"max_items": 0})
    selection = summarize(articles, no_bottom_line, budget=35)
    assert [b.text for b in bullets_of(selection)] == [long]


def test_more_publishers_make_a_story_heavier(tmp_path: Path) -> None:
    told_twice = feed_items(GAZA[3:4], "A") + feed_items(GAZA[3:4], "B", start=5)
    told_once = feed_items(GAZA[2:3], "C", start=7)
    selection = summarize(
        told_twice + told_once, rules_file(tmp_path, bottom_line={"max_items": 0})
    )
    first = dict(selection.sections)["gaza"][0]
    assert "Christmas" in first.text and len(first.sources) == 2


def test_old_bullets_show_their_date_fresh_ones_do_not(settings) -> None:
    fresh = feed_items(IRAN[:1], "Fresh", day=date(2026, 1, 1))
    old = feed_items(GAZA[:1], "Old", day=date(2025, 12, 20))
    brief = build_brief(settings(as_of="2026-01-02T07:00:00+00:00"), articles=fresh + old)
    keys = {item.article_key[:3] for item in brief.items}
    assert keys == {"Fre", "Old"}  # both kinds are in the memo
    for item in brief.items:
        if item.article_key.startswith("Old"):
            assert item.as_of == date(2025, 12, 20)
        else:
            assert item.as_of is None


def test_a_bullet_saying_what_another_storys_bottom_line_says_is_left_out() -> None:
    # One event told three days apart: two stories (stories.days), one point.
    first = make_article(key="early", publisher="A", published=DAY - timedelta(days=3),
                         paragraphs=("Hamas freed 18 hostages under the Gaza ceasefire on "
                                     "Monday, officials said.",))  # fmt: skip
    again = make_article(key="late", publisher="B", published=DAY,
                         paragraphs=("Hamas has freed 18 hostages under the Gaza ceasefire, "
                                     "officials said on Monday.",))  # fmt: skip
    told = [b for b in bullets_of(summarize([first, again])) if "18 hostages" in b.text]
    assert len(told) == 1
