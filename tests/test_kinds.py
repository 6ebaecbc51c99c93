"""Kinds of item, news value and attribution: the memo tells reporting, not opinion, as news."""

from __future__ import annotations

from datetime import date

import pytest

from briefer.brief import build_brief
from briefer.models import BOTTOM_LINE
from briefer.render.markdown import render_markdown
from briefer.rules import load_rules
from briefer.summarize.kinds import kind_of

from .helpers import ROOT, bullets_of, make_article, rules_file, summarize

RULES = load_rules(ROOT / "config" / "rules.toml")
DAY = date(2026, 1, 8)
AS_OF = "2026-01-09T07:00:00+00:00"


def item(key: str, headline: str, text: str, url: str | None = None, **kw):
    kw.setdefault("publisher", f"Publisher {key}")
    published = kw.pop("published", DAY)
    return make_article(key=key, headline=headline, title=headline, paragraphs=(text,),
                        published=published, url=url, summary=True, **kw)  # fmt: skip


THREAT = item(
    "threat", "Trump warns Iran of strikes if protesters are killed",
    "US President Donald Trump warned Iran on Thursday that the US would strike if its security "
    "forces killed protesters.",
)  # fmt: skip


@pytest.mark.parametrize(
    ("url", "headline", "kind", "why"),
    [
        ("https://www.aljazeera.com/opinions/2026/1/8/x", "Iran at a crossroads", "opinion",
         "link matches"),
        ("https://www.theguardian.com/commentisfree/2026/jan/08/x", "A view", "opinion",
         "link matches"),
        ("https://example.com/video/newsfeed/x", "Crowds in Tehran", "media", "link matches"),
        ("https://example.com/news/x", "What to Know About the Protests in Iran", "explainer",
         "headline matches"),
        ("https://example.com/news/x", "Is a new war on Iran inevitable?", "analysis",
         "headline matches"),
        ("https://example.com/features/x", "Gaza's bakers hold on", "feature", "link matches"),
        ("https://example.com/liveblog/x", "Iran protests: latest", "live", "link matches"),
        ("https://example.com/news/2026/1/8/x", "Israel kills 13 in Gaza", "news",
         "no kind rule matched"),
        ("https://example.com/news/x", "How Gaza's Rafah crossing remains hostage to security",
         "explainer", "headline matches"),
        ("https://example.com/news/x", "Why Israel is divided over the inquiry", "explainer",
         "headline matches"),
        ("https://example.com/news/x", "Inside the protests: How a falling currency set off "
         "the unrest", "explainer", "headline matches"),
        ("https://example.com/news/x", "Rafah crossing: What changes for Gazans", "explainer",
         "headline matches"),
        # A colon that opens a quote, not the question the piece answers.
        ("https://example.com/news/x", "Netanyahu: 'Who decides is Israel'", "news",
         "no kind rule matched"),
        ("https://example.com/news/x", "Iran protests: death toll rises to 35", "news",
         "no kind rule matched"),
    ],
)  # fmt: skip
def test_each_item_gets_a_kind_and_the_rule_that_gave_it(url, headline, kind, why) -> None:
    found = kind_of(item("a", headline, "Some text about Gaza and Iran.", url), RULES)
    assert found.kind == kind
    assert found.why.startswith(why)


@pytest.mark.parametrize(
    ("opening", "kind"),
    [
        ("TEHRAN – Why are some Syrians betting on the Israeli regime and its risks?", "analysis"),
        ("Expert warns Washington should be careful if thinking of a similar attack.",
         "analysis"),
        ("The army said it fired warning shots at a vessel. Was it a warning?", "news"),
        ('"Where will we go?" asked Um Mohammed as Israeli strikes killed 13 in Gaza.', "news"),
        ("Trump threatened Iran on Friday. This declaration of intent was blatant.", "opinion"),
        ("Iran's foreign ministry said the new US sanctions were hypocritical.", "news"),
        ("The envoy told reporters it is crucial to keep the Rafah crossing open.", "news"),
        ("TEHRAN – The turmoil in Yemen underscores how regional rivalries shape it.",
         "analysis"),
    ],
)  # fmt: skip
def test_an_opening_that_asks_or_interprets_is_analysis(opening, kind) -> None:
    found = kind_of(item("a", "Syria and Israel", opening, "https://e.com/news/x"), RULES)
    assert found.kind == kind
    assert found.why.startswith("opening matches" if kind != "news" else "no kind rule")


def test_a_feeds_kind_setting_decides_for_every_item() -> None:
    article = item("a", "Israel kills 13 in Gaza", "Text.", "https://e.com/news/x",
                   feed_kind="opinion")  # fmt: skip
    assert kind_of(article, RULES).kind == "opinion"
    assert kind_of(article, RULES).why == "its feed's kind setting"


def test_opinion_is_never_stated_as_fact() -> None:
    opinion = item(
        "op", "Iran's regime is more vulnerable than ever", "Iran's regime is more vulnerable "
        "than ever, but it shows no sign of relenting on the protesters.",
        "https://www.aljazeera.com/opinions/2026/1/8/iran",
    )  # fmt: skip
    chosen = summarize([opinion, THREAT])
    texts = [b.text for b in bullets_of(chosen)]
    assert texts and not any("vulnerable" in t for t in texts)
    reasons = {d.article_key: d.reason for d in chosen.decisions}
    assert reasons["op"].startswith("item left out: opinion (link matches")


def test_opinion_shows_set_apart_when_a_desk_asks_for_it(tmp_path, settings) -> None:
    opinion = item(
        "op", "Iran's regime is more vulnerable than ever", "Iran's regime is more vulnerable "
        "than ever, but it shows no sign of relenting on the protesters.",
        "https://www.aljazeera.com/opinions/2026/1/8/iran", publisher="Al Jazeera",
    )  # fmt: skip
    rules = rules_file(tmp_path, kinds={"leave_out": ["analysis"], "apart": ["opinion"]})
    brief = build_brief(settings(as_of=AS_OF), articles=[opinion, THREAT], rules=rules)
    shown = [i for i in brief.items if i.article_key == "op"]
    assert shown and all(i.attribution == "Opinion (Al Jazeera)" for i in shown)
    assert all(i.section != BOTTOM_LINE for i in shown)


def test_a_feature_is_cited_but_a_news_item_words_the_story() -> None:
    feature = item(
        "feat", "Gaza strikes kill 13, among them five children at a tent school",
        "Israeli strikes across Gaza killed 13 people on Thursday, among them five children at "
        "a tent school in Khan Younis, medics said.", "https://example.com/features/gaza",
    )  # fmt: skip
    news = item(
        "news", "Israeli strikes kill 13 in Gaza", "Israeli strikes across Gaza killed 13 "
        "people on Thursday, including five children, medics said.",
    )  # fmt: skip
    told = [b for b in bullets_of(summarize([feature, news])) if "13" in b.text]
    assert told and all(b.sources[0] == "news" for b in told)


def test_a_story_only_a_feature_tells_is_not_shown() -> None:
    feature = item(
        "feat", "A Gaza scholar now bakes bread to feed his family",
        "A Gaza scholar who lost his university to Israel's war now bakes bread in a tent to "
        "feed his family and neighbours.", "https://example.com/features/gaza-baker",
    )  # fmt: skip
    chosen = summarize([feature, THREAT])
    assert not any("bread" in b.text for b in bullets_of(chosen))
    reasons = [d.reason for d in chosen.decisions if d.article_key == "feat"]
    assert any(r.startswith("told only by items that never lead a story (feature)")
               for r in reasons)  # fmt: skip


def test_state_media_claims_carry_their_attribution(settings) -> None:
    claim = item(
        "tt", "Iran says foreign agents set fires in Tehran", "Iranian officials said foreign "
        "agents working for the US and Israel set fires in Tehran during the protests.",
        publisher="Tehran Times", state_media=True,
    )  # fmt: skip
    brief = build_brief(settings(as_of=AS_OF), articles=[claim, THREAT])
    shown = [i for i in brief.items if i.article_key == "tt"]
    assert shown and all(i.attribution == "Tehran Times (state media)" for i in shown)
    assert all(i.section != BOTTOM_LINE for i in shown)  # a claim does not lead the memo
    markdown = render_markdown(brief, settings().templates_dir)
    assert "Tehran Times (state media): Iranian officials said" in markdown


def test_an_independent_report_words_a_story_state_media_tell_too(settings) -> None:
    state = item(
        "tt", "Iran executes convicted Mossad agent who was set to flee to UK",
        "Iran executed a man convicted of spying for Mossad on Wednesday, the judiciary's "
        "Mizan news agency said, adding that he had planned to flee to the UK with Mossad help.",
        publisher="Tehran Times", state_media=True,
    )  # fmt: skip
    wire = item(
        "wire", "Iran executes man convicted of spying for Mossad",
        "Iran executed a man convicted of spying for Mossad on Wednesday, the judiciary said, "
        "the latest in a string of executions since the June war.", publisher="Wire",
    )  # fmt: skip
    brief = build_brief(settings(as_of=AS_OF), articles=[state, wire, THREAT])
    iran = next(s for s in brief.sections if s.key == "iran")
    spy = [i for i in iran.items if "Mossad" in i.text and not i.detail]
    assert [i.article_key for i in spy] == ["wire"], [(i.article_key, i.text) for i in spy]
    assert len(spy[0].sources) == 2  # both cited


def test_soft_news_weighs_less_than_a_decision_or_threat(settings) -> None:
    visit = item(
        "visit", "Angelina Jolie visits Egyptian side of Gaza's Rafah crossing",
        "Actress Angelina Jolie visits the Egyptian side of the Rafah crossing into Gaza, where "
        "aid trucks wait to enter.", published=DAY,
    )  # fmt: skip
    brief = build_brief(settings(as_of=AS_OF), articles=[visit, THREAT])
    first = brief.bottom_line[0]
    assert first.article_key == "threat"


def test_a_fresh_story_outweighs_an_older_one_of_the_same_value(settings) -> None:
    old = item("old", "Trump warns Iran of strikes if protesters are killed",
               THREAT.paragraphs[0], published=date(2026, 1, 5))  # fmt: skip
    new = item(
        "new", "Iran cuts internet across the country as protests spread",
        "Iran cut internet access across the country on Thursday as protests spread to "
        "dozens of cities, monitors said.",
    )  # fmt: skip
    brief = build_brief(settings(as_of=AS_OF), articles=[old, new])
    assert brief.bottom_line[0].article_key == "new"


def test_an_updated_story_leads_with_what_is_new(settings) -> None:
    before = item("a", "Israeli strikes kill 13 in Gaza", "Israeli strikes across Gaza killed 13 "
                  "people on Thursday, including five children, medics said.")  # fmt: skip
    after = item("b", "Israeli strikes kill 14 in Gaza", "Israeli strikes across Gaza killed 14 "
                 "people on Thursday, including five children, medics said on Friday.")  # fmt: skip
    for seen, worded in ((frozenset({"a"}), "b"), (frozenset({"b"}), "a")):
        brief = build_brief(settings(as_of=AS_OF), articles=[before, after], seen=seen)
        numbers = {s.article_key: s.number for s in brief.sources}
        pair = {numbers.get("a"), numbers.get("b")}
        both = [i for s in brief.sections for i in s.items
                if not i.figures and pair <= set(i.sources)]  # fmt: skip
        assert both, "the two reports are one story"
        assert all(i.article_key == worded for i in both)


def test_a_feature_never_words_a_detail_either(settings) -> None:
    news = item("news", "Israeli strikes kill 13 in Gaza", "Israeli strikes across Gaza killed 13 "
                "people on Thursday, including five children, medics said.")  # fmt: skip
    explainer = item(
        "expl", "Israeli strikes kill 13 in Gaza: what to know",
        "Israeli strikes across Gaza killed 13 people on Thursday, including five children, "
        "medics said. The strikes hit Khan Younis and Rafah, where two medics were among the "
        "dead.",
    )  # fmt: skip
    brief = build_brief(settings(as_of=AS_OF), articles=[news, explainer])
    assert [i.article_key for i in brief.items if not i.detail and i.section == "gaza"] == ["news"]
    assert not [i for i in brief.items if i.article_key == "expl"]
