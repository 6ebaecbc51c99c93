"""Open questions: what is unresolved in this edition's news, each entry cited and current."""

from __future__ import annotations

import io
from datetime import date

from briefer.brief import build_brief
from briefer.render.markdown import render_markdown
from briefer.rules import load_rules
from briefer.summarize.questions import _standalone

from .helpers import ROOT, make_article, rules_file

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
EGYPT = ("Egypt is expected to present the Palestinian leadership with proposed names for a "
         "technocratic committee to administer Gaza.")  # fmt: skip
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
        "and officials gave no figures.",
        True,  # cut from inside the sentence
    )
    assert shown[0] in text
    assert _standalone(text, None, 4, 25) is None  # no cue, no clause
    whole = "Exact toll unclear as internet blackout continues into 3rd day"
    assert _standalone(whole, whole.index("unclear"), 4, 25) == (whole, False)


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
    one = item("one", "Egypt to present Gaza committee names to PA", EGYPT)
    two = item("two", "Egypt expected to name Gaza technocrats for PA review",
               "Egypt is expected to present names for a Gaza technocratic committee to the "
               "Palestinian leadership this week, officials said.")  # fmt: skip
    brief = build_brief(settings(as_of=AS_OF), articles=[one, two, BLACKOUT])
    (moved,) = [e for e in entries(brief) if "technocratic committee" in e.text]
    assert len(moved.sources) == 2
    gaza = next(s for s in brief.sections if s.key == "gaza")
    assert not any("technocratic committee" in i.text for i in gaza.items)


STRIKES = item("strikes", "Israeli strikes kill 13 across Gaza despite ceasefire",
               "Israeli strikes killed 13 people across Gaza on Friday despite the ceasefire, "
               "the civil defence agency said.")  # fmt: skip
AID = item("aid", "Aid groups warn Gaza ban will halt winter deliveries",
           "Aid groups said Israel's ban on their work in Gaza would halt winter deliveries "
           "to displaced families sheltering in tents.")  # fmt: skip


def printed(brief) -> list[str]:
    return [i.text for i in brief.bottom_line] + [i.text for s in brief.sections for i in s.items]


def test_a_question_that_went_up_to_the_bottom_line_is_not_asked_again(settings) -> None:
    # Its headline is too short to be a line: the bullet itself goes up to the bottom line.
    plan = item("plan", "Gaza plan", EGYPT)
    brief = build_brief(settings(as_of=AS_OF), articles=[plan, BLACKOUT, STRIKES, AID])
    assert EGYPT in [i.text for i in brief.bottom_line]
    assert printed(brief).count(EGYPT) == 1


def test_a_story_waiting_for_its_question_is_never_lost(settings, tmp_path) -> None:
    # Told by three publishers, it is heavier than the aid story: whatever the
    # budget, it is told (in its section or among the questions) once.
    tellers = [
        item(f"egypt{n}", "Egypt to present Gaza committee names to Palestinian leaders",
             EGYPT, publisher=f"Publisher {n}")
        for n in range(3)
    ]  # fmt: skip
    no_line = rules_file(tmp_path, bottom_line={"max_items": 0, "min_items": 0})
    for budget in range(50, 130, 5):
        brief = build_brief(settings(as_of=AS_OF, budget_words=budget), rules=no_line,
                            articles=[*tellers, BLACKOUT, STRIKES, AID])  # fmt: skip
        assert printed(brief).count(EGYPT) == 1, budget


def test_a_running_total_is_not_set_against_one_days_tolls(settings) -> None:
    total = item("a", "Israeli strikes across Gaza kill Palestinians, truce violations go on",
                 "Israeli strikes across Gaza have killed at least 425 Palestinians since the "
                 "ceasefire began in October.", publisher="A")  # fmt: skip
    one = item("b", "Israeli strikes across Gaza kill 13 Palestinians on Friday",
               "Israeli strikes across Gaza killed at least 13 Palestinians on Friday, "
               "including five children, the civil defence agency said.",
               publisher="B")  # fmt: skip
    other = item("c", "Israeli strikes across Gaza kill 14 Palestinians on Friday",
                 "Israeli strikes across Gaza killed 14 Palestinians on Friday, including five "
                 "children, health officials said.", publisher="C")  # fmt: skip
    brief = build_brief(settings(as_of=AS_OF), articles=[total, one, other])
    (toll,) = [e for e in entries(brief) if e.text == "Death toll"]
    assert [figure for figure, _ in toll.figures] == ["at least 13", "14"]


def test_a_claim_of_responsibility_is_news_not_a_question(settings) -> None:
    claimed = item("houthi", "Militants fire at Israel from Gaza despite the ceasefire",
                   "The Houthi group claimed responsibility for the missile attack on Israel "
                   "and warned of more strikes if the war on Gaza resumed.")  # fmt: skip
    brief = build_brief(settings(as_of=AS_OF), articles=[claimed, BLACKOUT])
    assert not any("claimed responsibility" in e.text for e in entries(brief))


def test_a_storys_own_bullet_is_its_entry_before_another_sources_words(settings) -> None:
    # The first source read asks it in its headline; the story's bullet is the
    # second's sentence: that is the entry, and the paraphrase is not asked again.
    one = item("one", "Egypt expected to name Gaza technocrats for Palestinian review",
               "Cairo has held talks with Palestinian factions on the committee in recent "
               "weeks, officials said.")  # fmt: skip
    two = item("two", "Egypt to present Gaza committee names to Palestinian leaders", EGYPT)
    brief = build_brief(settings(as_of=AS_OF), articles=[one, two, STRIKES, BLACKOUT])
    egypt = [e for e in entries(brief) if "Egypt" in e.text]
    assert [e.text for e in egypt] == [EGYPT]
    assert len(egypt[0].sources) == 2


def test_a_storys_second_entry_asking_the_same_in_other_words_is_left_out(settings) -> None:
    # Two sources ask one thing (who will serve on the board) in other words.
    toi = item("pa", "Palestinian Authority VP meets diplomat expected to serve on Trump's Gaza "
               "Board of Peace", "The meeting in Ramallah lasted two hours, the Palestinian "
               "presidency said.")  # fmt: skip
    na = item("na", "Envoy tapped for Trump Gaza board meets PA official in Ramallah",
              "Palestinian vice president Hussein al-Sheikh met on Friday with former UN "
              "Middle East envoy Nickolay Mladenov, who is expected to head the Board of "
              "Peace.")  # fmt: skip
    brief = build_brief(settings(as_of=AS_OF), articles=[toi, na, STRIKES, BLACKOUT])
    board = [e for e in entries(brief) if "Board of Peace" in e.text]
    assert len(board) == 1, [e.text for e in board]


def test_two_questions_of_one_story_ending_on_their_cue_are_both_asked(settings) -> None:
    talks = item("talks", "Hamas disarmament talks stall in Cairo as mediators push plan",
                 "It remains unclear whether Hamas will hand over its heavy weapons under the "
                 "plan. Who will run Gaza's civil administration after an Israeli withdrawal "
                 "remains unclear.")  # fmt: skip
    brief = build_brief(settings(as_of=AS_OF), articles=[talks, STRIKES, BLACKOUT])
    texts = [e.text for e in entries(brief)]
    assert any("heavy weapons" in t for t in texts), texts
    assert any("civil administration" in t for t in texts), texts


def test_an_item_whose_summary_asks_still_tells_its_headlines_news(settings) -> None:
    toll = item(
        "toll", "Widespread Iran protests reach 13th day; rights group says at least 51 killed",
        "9 children said among those killed; security forces reportedly fire live rounds at "
        "protesters in several cities",
    )  # fmt: skip
    brief = build_brief(settings(as_of=AS_OF), articles=[toll, BLACKOUT])
    told = [i.text for i in brief.bottom_line] + [
        i.text for s in brief.sections if s.key == "iran" for i in s.items
    ]
    assert toll.headline in told  # the news, in its own section (or the bottom line)
    assert any("reportedly fire live rounds" in e.text for e in entries(brief))  # still asked


def test_an_entry_cut_from_mid_sentence_is_shown_after_an_ellipsis(settings) -> None:
    from docx import Document

    from briefer.render.docx import render_docx

    text = (
        "Security forces fired on crowds in several Iranian cities overnight, witnesses and "
        "rights groups said, and hospitals in Ilam, Kermanshah and Lorestan provinces in the "
        "west were overwhelmed with wounded protesters; the exact toll remains unclear as "
        "the internet blackout continues into a third day, and officials gave no figures."
    )
    most = load_rules(ROOT / "config" / "rules.toml").questions.max_words
    assert len(text.split()) > most  # longer than an entry may be: its clause is shown
    clause = text[text.index("the exact toll") :]
    settings_ = settings(as_of=AS_OF)
    brief = build_brief(settings_, articles=[item("gu", "Iran protests spread to the west", text)])
    assert clause in [e.text for e in entries(brief)]  # the source's words, as they are
    markdown = render_markdown(brief, settings_.templates_dir)
    assert f"- \u2026{clause}" in markdown
    assert f"- {clause}" not in markdown
    document = Document(io.BytesIO(render_docx(brief, settings_.templates_dir)))
    cut = [p.text for p in document.paragraphs if p.text.startswith("\u2026")]
    assert len(cut) == 1 and cut[0].startswith(f"\u2026{clause} [")
    # Whole sentences and headlines open as they are.
    bullets = [i.text for i in brief.bottom_line]
    bullets += [i.text for section in brief.sections for i in section.items]
    assert len(bullets) > 1
    assert sum(markdown.count(f"\u2026{text}") for text in bullets) == 1
