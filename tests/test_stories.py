"""Stories: the same event from several sources is one bullet citing them all."""

from __future__ import annotations

from datetime import date

from briefer.models import Origin
from briefer.rules import load_rules
from briefer.summarize.candidates import Candidate
from briefer.summarize.stories import Point, group

from .helpers import ROOT, bullets_of, make_article, summarize

RULES = load_rules(ROOT / "config" / "rules.toml")


def item(key: str, publisher: str, headline: str, text: str, day: date = date(2026, 1, 8)):
    return make_article(
        key=key, publisher=publisher, headline=headline, title=headline, paragraphs=(text,),
        published=day,
    )  # fmt: skip


SAME_EVENT = [
    item("a", "Alpha Wire", "At least 13 killed in Israeli strikes on Gaza, five of them children",
         "Gaza's civil defence agency said Israeli attacks on Thursday killed at least 13 people."),
    item("b", "Bravo Post", "Israeli forces kill 13 in Gaza including 5 children",
         "Israeli strikes killed 13 Palestinians across the Gaza Strip on Thursday, medics said."),
    item("c", "Charlie Times", "Israeli strikes kill 13 Palestinians in Gaza, among them children",
         "The Gaza civil defence agency said 13 people were killed in Israeli strikes."),
]  # fmt: skip
OTHER_EVENT = item(
    "d", "Delta News", "US and mediators prepare to move Gaza ceasefire into phase two",
    "Hamas said it was prepared to move into the second phase of the ceasefire.",
)  # fmt: skip


def test_the_same_event_in_other_words_is_one_story_citing_every_source() -> None:
    selection = summarize([*SAME_EVENT, OTHER_EVENT])
    gaza = dict(selection.sections)["gaza"]
    told = [b for b in bullets_of(selection) if b.story == gaza[0].story or "13" in b.text]
    assert len({b.story for b in told}) == 1
    assert {b.story for b in gaza} == {b.story for b in bullets_of(selection)}
    cited = [set(b.sources) for b in bullets_of(selection) if "13" in b.text]
    assert cited and all(c >= {"a", "b", "c"} for c in cited)
    assert any("phase" in b.text for b in bullets_of(selection))


def test_a_bullet_never_cites_a_source_counting_another_toll() -> None:
    # The same words around a toll 30 times higher: the toll since the ceasefire.
    since = item("e", "Echo Daily", "Israeli strikes in Gaza have killed 414 Palestinians",
                 "Israeli strikes across the Gaza Strip have killed at least 414 Palestinians "
                 "since the ceasefire, the civil defence agency said on Thursday.")  # fmt: skip
    selection = summarize([*SAME_EVENT, since])
    cited = [set(b.sources) for b in bullets_of(selection) if "13" in b.text and not b.detail]
    assert cited and all(c >= {"a", "b", "c"} and "e" not in c for c in cited), cited


def test_an_age_or_a_toll_rising_during_the_day_is_still_one_story() -> None:
    body = ("An Israeli strike on a tent in Khan Younis killed a boy and his father on "
            "Thursday, Nasser hospital said.")  # fmt: skip
    age = item("f", "Foxtrot", "Israeli strike in Gaza kills 13-year-old boy and his father", body)
    two = item("g", "Golf", "Israeli strike in Gaza kills 2, a boy and his father", body)
    selection = summarize([age, two])
    assert len({b.story for b in bullets_of(selection)}) == 1
    early = item("h", "Hotel", "Israeli strikes on Gaza school shelter kill 4",
                 "Israeli strikes hit a school sheltering displaced families in Gaza City on "
                 "Thursday, the civil defence agency said.")  # fmt: skip
    later = item("i", "India", "Israeli strikes on Gaza school shelter kill 31",
                 "Israeli strikes hit a school sheltering displaced families in Gaza City on "
                 "Thursday, the civil defence agency said.")  # fmt: skip
    selection = summarize([early, later])
    assert len({b.story for b in bullets_of(selection)}) == 1


def test_a_story_is_told_once_in_its_section() -> None:
    selection = summarize([*SAME_EVENT, OTHER_EVENT])
    shown = [bullets for _, bullets in selection.sections if bullets]
    assert shown
    for bullets in shown:
        top = [b for b in bullets if not b.detail]  # details sit under their story's bullet
        assert len({b.story for b in top}) == len(top)
    texts = [b.text for b in bullets_of(selection)]
    assert len(texts) == len(set(texts))  # no text twice in one memo


def test_reports_days_apart_are_other_stories() -> None:
    early = item("e", "Echo", SAME_EVENT[0].headline or "", SAME_EVENT[0].paragraphs[0],
                 day=date(2026, 1, 1))  # fmt: skip
    selection = summarize([SAME_EVENT[0], early])
    assert len({b.story for b in bullets_of(selection)}) == 2


def test_the_same_words_in_two_items_are_one_point() -> None:
    copy = item("a2", "Alpha Wire (Middle East)", SAME_EVENT[0].headline or "",
                SAME_EVENT[0].paragraphs[0])  # fmt: skip
    selection = summarize([SAME_EVENT[0], copy])
    (bullet,) = {b.story: b for b in bullets_of(selection)}.values()
    assert set(bullet.sources) == {"a", "a2"}


def _point(n: int, words: set[str], section: int = 0) -> Point:
    origin = Origin(n, f"item-{n}", f"publisher-{n}", date(2026, 1, 8))
    candidate = Candidate(origin, 0, 0, f"text {n}", section, 3.0)
    return Point(section, (candidate,), (origin,), origin.published, f"text {n}", True, True,
                 body_words=frozenset(words))  # fmt: skip


def test_grouping_stays_near_linear_when_everything_looks_alike() -> None:
    # 20,000 points that all share the same six words and differ in three rare ones:
    # the shared words are too common to find a story, so no point is compared
    # with thousands of others.
    shared = {"gaza", "ceasefire", "talk", "mediator", "hamas", "israel"}
    points = [_point(n, shared | {f"w{n}", f"x{n % 5000}", f"y{n % 7000}"}) for n in range(20_000)]
    stories = group(points, [1.0] * len(points), RULES)  # time and memory: bench/hostile.py
    assert len(stories) > 1000
    assert max(len(s.points) for s in stories) < 50


def test_points_of_different_sections_are_never_one_story() -> None:
    a = _point(0, {"beirut", "talk", "araghchi"}, section=1)
    b = _point(1, {"beirut", "talk", "araghchi"}, section=2)
    assert len(group([a, b], [1.0, 1.0], RULES)) == 2
