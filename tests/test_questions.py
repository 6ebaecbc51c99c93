"""Open questions: what is unresolved in this edition's news, each entry cited and current."""

from __future__ import annotations

from datetime import date

from briefer.brief import build_brief
from briefer.render.markdown import render_markdown
from briefer.summarize.questions import _standalone

from .helpers import make_article

DAY = date(2026, 1, 10)
AS_OF = "2026-01-11T07:00:00+00:00"


def item(key: str, headline: str, text: str, published: date = DAY, **kw):
    kw.setdefault("publisher", f"Publisher {key}")
    return make_article(key=key, headline=headline, title=headline, paragraphs=(text,),
                        published=published, summary=True, **kw)  # fmt: skip


def entries(brief) -> list:
    (section,) = [s for s in brief.sections if s.key == "open_questions"]
    return list(section.items)


BLACKOUT = item(
    "toi", "Iran protests: exact toll unclear as internet blackout continues into 3rd day",
    "Rights groups say dozens have been killed in the crackdown on protests across Iran",
)  # fmt: skip
PLAN = item(
    "plan", "Israel plans new Gaza City operation in March",
    "Israel's military is drawing up plans for a new ground operation in Gaza City in March. "
    "Any such operation will need okay from Trump, Israeli officials told reporters.",
)  # fmt: skip


def test_a_headline_stating_uncertainty_is_an_entry_though_it_has_no_full_stop(settings) -> None:
    brief = build_brief(settings(as_of=AS_OF), articles=[BLACKOUT, PLAN])
    texts = [e.text for e in entries(brief)]
    assert "Iran protests: exact toll unclear as internet blackout continues into 3rd day" in texts


def test_the_uncertain_clause_of_a_long_sentence_is_taken_verbatim() -> None:
    text = (
        "Security forces fired on crowds in several cities overnight and hospitals in the west "
        "were overwhelmed with wounded protesters; the exact toll remains unclear as the "
        "internet blackout continues into a third day, and officials gave no figures."
    )
    shown = _standalone(text, text.index("unclear"), 4, 25)
    assert shown == (
        "the exact toll remains unclear as the internet blackout continues into a third day, "
        "and officials gave no figures."
    )
    assert shown in text
    assert _standalone(text, None, 4, 25) is None  # no cue, no clause


def test_a_decision_pending_is_an_entry_and_stays_in_its_section(settings) -> None:
    brief = build_brief(settings(as_of=AS_OF), articles=[BLACKOUT, PLAN])
    asked = [e for e in entries(brief) if e.article_key == "plan"]
    assert [e.text for e in asked] == [
        "Any such operation will need okay from Trump, Israeli officials told reporters."
    ]
    gaza = next(s for s in brief.sections if s.key == "gaza")
    assert any("drawing up plans" in i.text for i in gaza.items)


def test_conflicting_figures_are_one_entry_each_figure_cited(settings) -> None:
    toi = item("toi", "At least 51 killed in Iran protests, rights group says",
               "At least 51 people have been killed in the protests across Iran, a rights "
               "group said on Saturday.", publisher="The Times of Israel")  # fmt: skip
    bbc = item("bbc", "At least 35 killed in Iran protests, rights group says",
               "At least 35 people have been killed in the protests across Iran, a rights "
               "group said on Saturday.", publisher="BBC News")  # fmt: skip
    settings_ = settings(as_of=AS_OF)
    brief = build_brief(settings_, articles=[toi, bbc])
    (toll,) = [e for e in entries(brief) if e.figures]
    assert toll.text == "Death toll"
    numbers = {s.article_key: s.number for s in brief.sources}
    assert dict(toll.figures) == {
        "At least 51 people have been killed": numbers["toi"],
        "At least 35 people have been killed": numbers["bbc"],
    }
    markdown = render_markdown(brief, settings_.templates_dir)
    assert (
        f'Death toll: "At least 51 people have been killed" [[{numbers["toi"]}]'
        in markdown.replace("\\", "")
    )


def test_one_figure_told_alike_is_no_question(settings) -> None:
    a = item("a", "At least 35 killed in Iran protests", "At least 35 people have been killed "
             "in the protests across Iran, a rights group said.")  # fmt: skip
    b = item("b", "Iran protests: 35 killed, rights group says", "At least 35 people have been "
             "killed across Iran since the protests began, the rights group said.")  # fmt: skip
    brief = build_brief(settings(as_of=AS_OF), articles=[a, b])
    assert not [e for e in entries(brief) if e.figures]


def test_a_question_from_last_july_is_not_open_this_morning(settings) -> None:
    old = item(
        "old", "Witkoff to travel to Qatar for Gaza truce talks",
        "Witkoff will now travel to Qatar for ceasefire negotiations, but his office said the "
        "trip hasn't been finalized.", published=date(2025, 7, 8),
    )  # fmt: skip
    brief = build_brief(settings(as_of=AS_OF), articles=[old, BLACKOUT, PLAN])
    assert not [e for e in entries(brief) if e.article_key == "old"]


def test_an_old_question_of_a_story_still_in_the_news_shows_its_date(settings) -> None:
    old = item(
        "old", "Few details confirmed about the Gaza Board of Peace",
        "Few details have been publicly confirmed about the Board of Peace that would oversee "
        "Gaza's governance.", published=date(2026, 1, 5),
    )  # fmt: skip
    fresh = item(
        "new", "Trump to name the Gaza Board of Peace members next week",
        "Trump will name the members of the Gaza Board of Peace overseeing Gaza's governance "
        "next week, officials said.", published=DAY,
    )  # fmt: skip
    brief = build_brief(settings(as_of=AS_OF, memo={"stale_after_days": 2}), articles=[old])
    kept = [e for e in entries(brief) if e.article_key == "old"]
    assert kept and kept[0].as_of == date(2026, 1, 5)  # the story is the edition's news
    brief = build_brief(settings(as_of=AS_OF), articles=[old, fresh, BLACKOUT])
    assert not [e for e in entries(brief) if e.article_key == "old" and e.as_of is None]


def test_the_section_never_repeats_a_printed_bullet(settings) -> None:
    brief = build_brief(settings(as_of=AS_OF), articles=[BLACKOUT, PLAN])
    printed = [i.text for s in brief.sections if s.key != "open_questions" for i in s.items]
    printed += [i.text for i in brief.bottom_line]
    assert not set(printed) & {e.text for e in entries(brief)}


def test_explain_says_why_an_entry_was_taken(settings) -> None:
    brief = build_brief(settings(as_of=AS_OF), articles=[BLACKOUT, PLAN], explain=True)
    reasons = [d.reason for d in brief.decisions if d.section == "open_questions" and d.kept]
    assert any("states something unresolved ('toll'" in r for r in reasons)
    assert any("a decision or event pending ('will'" in r for r in reasons)


def test_a_long_articles_paragraph_on_other_news_asks_nothing_of_the_memo(settings) -> None:
    roundup = make_article(
        key="roundup", publisher="Roundup", published=DAY, headline="Middle East roundup",
        paragraphs=(
            "Israeli strikes killed three Palestinians in Gaza on Saturday despite the truce.",
            "Hamas said the ceasefire was at risk after the strikes in Gaza.",
            "A Haifa court reportedly ordered a retrial of the businessman on Sunday.",
            "Iran's security forces fired on protesters in Tehran; the exact toll is unclear.",
            "Protests spread to more Iranian cities as the crackdown on protesters widened.",
        ),
    )  # fmt: skip
    texts = [e.text for e in entries(build_brief(settings(as_of=AS_OF), articles=[roundup]))]
    assert any("toll is unclear" in t for t in texts)
    assert not any("retrial" in t for t in texts)


def test_a_story_whose_bullet_is_a_question_is_told_there_citing_every_source(settings) -> None:
    text = ("Egypt is expected to present the Palestinian leadership with proposed names for "
            "a technocratic committee to administer Gaza.")  # fmt: skip
    one = item("one", "Egypt to present Gaza committee names to PA", text)
    two = item("two", "Egypt expected to name Gaza technocrats for PA review",
               "Egypt is expected to present names for a Gaza technocratic committee to the "
               "Palestinian leadership this week, officials said.")  # fmt: skip
    brief = build_brief(settings(as_of=AS_OF), articles=[one, two, BLACKOUT])
    (moved,) = [e for e in entries(brief) if "technocratic committee" in e.text]
    assert len(moved.sources) == 2
    gaza = next(s for s in brief.sections if s.key == "gaza")
    assert not any("technocratic committee" in i.text for i in gaza.items)
