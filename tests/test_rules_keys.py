"""Every key of the rules file matters: a test per key, on small built inputs.

Each test changes one key of the bundled ``config/rules.toml`` and shows the
outcome change the key's description promises (the bundled value on one
side, a changed value on the other). Each declares the key it covers with
:func:`covers`; :func:`test_every_key_of_the_rules_schema_has_a_test` fails
when a key of the schema has none.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

from briefer.brief import Reading, build_brief
from briefer.models import Article, Origin
from briefer.render.markdown import render_markdown
from briefer.rules import CueScanner, Rules, load_rules
from briefer.rules.schema import RulesFile, SectionRule
from briefer.summarize.candidates import Candidate
from briefer.summarize.clean import prepare
from briefer.summarize.fill import fill
from briefer.summarize.meaning import default_model_dir, load_encoder
from briefer.summarize.rank import Ranked, Scorer, rank
from briefer.summarize.stories import Point, Story, group, merge
from briefer.summarize.topics import ItemTopics, item_topics
from briefer.summarize.words import content_words, overlap

from .helpers import (
    FEED_GAZA,
    FEED_IRAN,
    GAZA_PARAGRAPHS,
    ROOT,
    bullets_of,
    candidates_of,
    make_article,
    rules_file,
    summarize,
)

BUNDLED = load_rules(ROOT / "config" / "rules.toml")
DAY = date(2026, 1, 8)
# Rank tests date their edition this long after the newest source, so that a
# development of the edition's day ([news_value] fresh) weighs on none of them.
LATER = timedelta(days=30)
GAZA_CONTEXT = "Hamas and Israel agreed to extend the Gaza ceasefire by two weeks on Monday."

# key ("table.key", "sections.key" for a [[sections]] key) -> the test covering it
COVERED: dict[str, str] = {}
F = TypeVar("F", bound=Callable[..., Any])


def covers(key: str) -> Callable[[F], F]:
    """Declare the rules key a test shows to matter."""

    def mark(test: F) -> F:
        assert key not in COVERED, f"{key} is covered twice"
        COVERED[key] = test.__name__
        return test

    return mark


def schema_keys() -> dict[str, Any]:
    """Every key of the rules tables (a [[sections]] key as 'sections.key'), with its field."""
    keys = {}
    for table, field in RulesFile.model_fields.items():
        model = field.annotation
        if table == "sections":
            (model,) = model.__args__  # list[SectionRule]
        for name, info in model.model_fields.items():
            keys[f"{table}.{name}"] = info
    return keys


def rule(key: str) -> SectionRule:
    """The bundled section of that key."""
    (found,) = [s.rule for s in BUNDLED.sections if s.rule.key == key]
    return found


def test_every_key_of_the_rules_schema_has_a_test() -> None:
    keys = schema_keys()
    assert len(keys) > 60  # the schema was read, not an empty set
    assert sorted(set(keys) - set(COVERED)) == []
    assert sorted(set(COVERED) - set(keys)) == []  # no test names a key that is gone


def test_every_key_of_the_bundled_rules_file_has_its_description_above_it() -> None:
    keys = schema_keys()
    assert [k for k, info in keys.items() if not info.description] == []
    lines = (ROOT / "config" / "rules.toml").read_text(encoding="utf-8").splitlines()
    table = None
    seen, bare = [], []
    for n, line in enumerate(lines):
        header = re.match(r"\[\[?([\w.]+)\]\]?\s*$", line)
        if header:
            table = header.group(1)
            continue
        found = re.match(r"(\w+)\s*=", line)
        if found is None or table not in RulesFile.model_fields:
            continue  # a line of a list, or a cue of [sections.terms] / [sections.patterns]
        key = f"{table}.{found.group(1)}"
        assert key in keys, f"{key}: not a key of the schema"
        seen.append(key)
        if not lines[n - 1].startswith("#"):
            bare.append(key)
    assert len(set(seen)) > 50  # the file was read
    assert bare == []


@covers("regex.timeout")
def test_regex_timeout_bounds_every_search_of_a_pattern(tmp_path: Path) -> None:
    def timeouts(rules: Rules) -> set[float]:
        found = {p.timeout for s in rules.sections for p, _ in s.patterns}
        found |= {p.timeout for p in rules.junk}
        return found

    import tomllib

    bundled = tomllib.loads((ROOT / "config" / "rules.toml").read_text(encoding="utf-8"))
    assert timeouts(BUNDLED) == {bundled["regex"]["timeout"]}
    assert timeouts(rules_file(tmp_path, regex={"timeout": 5.0})) == {5.0}


# -- the stages, on one built item ------------------------------------------


def topics_of(article: Article, rules: Rules) -> ItemTopics:
    """What one item is about (the topics stage)."""
    return item_topics(prepare(article, rules), rules, CueScanner(rules))


def on_topics(article: Article, rules: Rules) -> list[str]:
    """The keys of the sections the item as a whole is about."""
    return [rules.keys[k] for k in topics_of(article, rules).main]


def texts_of(article: Article, rules: Rules) -> list[str]:
    return [c.text for c in candidates_of(article, rules)]


def sections_of(article: Article, rules: Rules) -> dict[str, str]:
    """Each candidate's text -> the key of the section it is routed to."""
    return {c.text: rules.keys[c.section] for c in candidates_of(article, rules)}


def item(key: str, headline: str, *paragraphs: str, publisher: str = "", day: date = DAY):
    """A feed-like item: a headline and its text."""
    return make_article(
        key=key, publisher=publisher or key, headline=headline, title=headline,
        paragraphs=paragraphs, published=day,
    )  # fmt: skip


# -- [candidates] -----------------------------------------------------------


@covers("candidates.min_words")
def test_min_words_skips_shorter_sentences(tmp_path: Path) -> None:
    sentence = "Hamas and Israel agreed a Gaza truce on Monday."  # 9 words
    article = make_article(paragraphs=(sentence, GAZA_CONTEXT))
    assert BUNDLED.candidates.min_words <= 9
    assert sentence in texts_of(article, BUNDLED)
    assert sentence not in texts_of(article, rules_file(tmp_path, candidates={"min_words": 10}))


@covers("candidates.max_words")
def test_max_words_skips_longer_sentences(tmp_path: Path) -> None:
    sentence = "Hamas and Israel agreed a Gaza truce on Monday."  # 9 words
    article = make_article(paragraphs=(sentence, GAZA_CONTEXT))
    assert BUNDLED.candidates.max_words >= 9
    assert sentence in texts_of(article, BUNDLED)
    assert sentence not in texts_of(article, rules_file(tmp_path, candidates={"max_words": 8}))


@covers("candidates.headline_min_words")
def test_headline_min_words_skips_shorter_headlines(tmp_path: Path) -> None:
    headline = "Israeli strikes kill 13 in Gaza despite truce"  # 8 words
    article = item("a", headline, "Rescuers said the bodies of five children were among the")
    assert BUNDLED.candidates.headline_min_words <= 8
    assert texts_of(article, BUNDLED) == [headline]
    longer = rules_file(tmp_path, candidates={"headline_min_words": 9})
    assert texts_of(article, longer) == []


@covers("candidates.max_article_chars")
def test_max_article_chars_reads_only_the_start_of_a_long_body(tmp_path: Path) -> None:
    # A first paragraph too long to be a bullet, but on the topic, fills 1,000 characters.
    long = " ".join(["Hamas and Israel spoke of the Gaza truce and the hostages held there."] * 15)
    assert 1_000 <= len(long) < BUNDLED.candidates.max_article_chars
    late = "Mediators will hold a new round of Gaza talks in Doha next week."
    article = make_article(paragraphs=(long[:1_000], late))
    assert late in texts_of(article, BUNDLED)
    short = rules_file(tmp_path, candidates={"max_article_chars": 1_000})
    assert late not in texts_of(article, short)


@covers("candidates.source_title_words")
def test_source_title_words_name_a_source_without_a_headline(tmp_path: Path, settings) -> None:
    text = "Hamas and Israel agreed to extend the Gaza ceasefire by two weeks on Monday."
    article = make_article(key="untitled", paragraphs=(text,))
    words = text.split()

    def title(rules: Rules) -> str:
        (source,) = build_brief(settings(), articles=[article], rules=rules).sources
        return source.title

    most = BUNDLED.candidates.source_title_words
    assert most < len(words)
    assert title(BUNDLED) == " ".join(words[:most]) + "…"
    fewer = rules_file(tmp_path, candidates={"source_title_words": 3})
    assert title(fewer) == "Hamas and Israel…"


@covers("candidates.trim_leading")
def test_trim_leading_removes_a_leading_connective(tmp_path: Path) -> None:
    article = make_article(paragraphs=("But Hamas and Israel agreed a Gaza truce on Monday.",))
    assert "But" in BUNDLED.candidates.trim_leading
    assert texts_of(article, BUNDLED) == ["Hamas and Israel agreed a Gaza truce on Monday."]
    kept = rules_file(tmp_path, candidates={"trim_leading": []})
    assert texts_of(article, kept) == ["But Hamas and Israel agreed a Gaza truce on Monday."]


@covers("candidates.trim_trailing_attribution")
def test_trim_trailing_attribution_drops_a_closing_said_clause(tmp_path: Path) -> None:
    sentence = "Hamas will free 33 hostages in the first phase of the Gaza truce, officials said."
    article = make_article(paragraphs=(sentence,))
    # Off in the bundled file: an unconfirmed claim keeps its attribution.
    assert not BUNDLED.candidates.trim_trailing_attribution
    assert texts_of(article, BUNDLED) == [sentence]
    trimmed = rules_file(tmp_path, candidates={"trim_trailing_attribution": True})
    assert texts_of(article, trimmed) == [
        "Hamas will free 33 hostages in the first phase of the Gaza truce."
    ]


@covers("candidates.unresolved_starts")
def test_unresolved_starts_skip_a_sentence_that_needs_the_one_before(tmp_path: Path) -> None:
    sentence = "He said the Gaza truce would hold through the second phase of talks."
    article = make_article(paragraphs=(sentence, GAZA_CONTEXT))  # no sentence before it
    assert "He" in BUNDLED.candidates.unresolved_starts
    assert sentence not in texts_of(article, BUNDLED)
    resolved = rules_file(tmp_path, candidates={"unresolved_starts": []})
    assert sentence in texts_of(article, resolved)


@covers("candidates.standalone_starts")
def test_standalone_starts_keep_an_opening_that_stands_alone(tmp_path: Path) -> None:
    sentence = "It is unclear whether the Gaza truce will hold through the second phase."
    article = make_article(paragraphs=(GAZA_CONTEXT, sentence))
    no_join = {"join_previous": False}
    assert "It" in BUNDLED.candidates.unresolved_starts
    assert sentence in texts_of(article, rules_file(tmp_path, candidates=no_join))
    none = rules_file(tmp_path, candidates={**no_join, "standalone_starts": []})
    assert sentence not in texts_of(article, none)


@covers("candidates.headlines")
def test_headlines_let_a_headline_stand_in(tmp_path: Path) -> None:
    headline = "Israeli strikes kill 13 in Gaza despite the ceasefire"
    article = item("a", headline, "Rescuers said the bodies of five children were among the")
    assert BUNDLED.candidates.headlines
    assert [b.text for b in bullets_of(summarize([article]))] == [headline]
    off = rules_file(tmp_path, candidates={"headlines": False})
    assert bullets_of(summarize([article], off)) == []


@covers("candidates.join_previous")
def test_join_previous_keeps_a_sentence_with_the_one_before(tmp_path: Path) -> None:
    before = "Israel agreed to release 600 Palestinian prisoners in the first phase."
    after = "It will also allow aid trucks into northern Gaza from Monday."
    article = make_article(paragraphs=(before + " " + after,))
    assert BUNDLED.candidates.join_previous
    assert f"{before} {after}" in texts_of(article, BUNDLED)
    off = rules_file(tmp_path, candidates={"join_previous": False})
    assert not [t for t in texts_of(article, off) if after in t]


@covers("candidates.dateline")
def test_dateline_is_trimmed_from_a_paragraph(tmp_path: Path) -> None:
    text = "Hamas and Israel agreed to extend the Gaza ceasefire by two weeks on Monday."
    article = make_article(paragraphs=(f"GAZA CITY, Jan 7 (Reuters) - {text}",))
    assert texts_of(article, BUNDLED) == [text]
    never = rules_file(tmp_path, candidates={"dateline": "^NO DATELINE HERE$"})
    assert texts_of(article, never) == [f"GAZA CITY, Jan 7 (Reuters) - {text}"]


@covers("candidates.junk")
def test_junk_keeps_page_furniture_out(tmp_path: Path) -> None:
    furniture = "Watch: Hamas and Israel agree to extend the Gaza ceasefire by two weeks."
    article = make_article(paragraphs=(GAZA_CONTEXT, furniture))
    assert furniture not in texts_of(article, BUNDLED)
    assert furniture in texts_of(article, rules_file(tmp_path, candidates={"junk": []}))


@covers("candidates.headline_trim")
def test_headline_trim_removes_a_live_label(tmp_path: Path) -> None:
    headline = "Israeli strikes kill 13 in Gaza despite the ceasefire"
    article = item("a", f"Live updates: {headline}", "Rescuers said the bodies of five were")
    assert texts_of(article, BUNDLED) == [headline]
    untrimmed = rules_file(tmp_path, candidates={"headline_trim": []})
    assert texts_of(article, untrimmed) == [f"Live updates: {headline}"]


@covers("candidates.digest_separators")
def test_digest_separators_split_a_digest_line_into_its_items(tmp_path: Path) -> None:
    first = "Hamas freed 18 hostages under the Gaza truce on Monday"
    second = "Israel released 600 Palestinian prisoners in the first phase of the deal"
    article = make_article(paragraphs=(f"{first} * {second}",))
    assert " * " in BUNDLED.candidates.digest_separators
    assert texts_of(article, BUNDLED) == [first, second]
    whole = texts_of(article, rules_file(tmp_path, candidates={"digest_separators": []}))
    assert first not in whole and second not in whole


# -- [topics] ---------------------------------------------------------------

# Paragraphs that are on no section's topic.
NEUTRAL = (
    "The weather was mild across the city on Monday.",
    "Shops opened late after the long weekend.",
    "Traffic was light on the main roads in the morning.",
    "Schools reopened after the winter break.",
    "The market was busy in the afternoon.",
    "Buses ran on a reduced timetable.",
)


@covers("topics.headline_weight")
def test_topics_headline_weight_counts_the_headline_more(tmp_path: Path) -> None:
    # The headline alone (2.0: 'Gaza') is below min_score; counted twice, with the
    # body's 1.5, the item reaches item_factor x min_score.
    article = item("a", "Gaza officials speak", "Hamas officials spoke on Monday.")
    assert on_topics(article, BUNDLED) == ["gaza"]
    once = rules_file(tmp_path, topics={"headline_weight": 1.0})
    assert on_topics(article, once) == []


@covers("topics.headline_factor")
def test_headline_factor_lets_a_strong_headline_carry_a_body_without_cues(
    tmp_path: Path,
) -> None:
    # The headline scores 6.0 for Gaza; the body (a summary cut short) names no cue.
    article = item("a", "Hamas and Israel agree Gaza truce", "Officials spoke to reporters.")
    assert BUNDLED.topics.headline_factor * 2.5 <= 6.0
    assert on_topics(article, BUNDLED) == ["gaza"]
    stricter = rules_file(tmp_path, topics={"headline_factor": 3.0})  # 7.5 needed
    assert on_topics(article, stricter) == []


@covers("topics.item_factor")
def test_item_factor_is_the_cue_weight_an_item_needs(tmp_path: Path) -> None:
    # No headline: two paragraphs of 2.5 each, 5.0 in all (gaza's min_score is 2.5).
    article = make_article(
        paragraphs=("Hamas officials met in Doha on Monday.", "Hamas officials met in Doha again.")
    )
    assert BUNDLED.topics.item_factor * 2.5 <= 5.0
    assert on_topics(article, BUNDLED) == ["gaza"]
    assert on_topics(article, rules_file(tmp_path, topics={"item_factor": 2.5})) == []


@covers("topics.item_share")
def test_item_share_is_the_share_of_paragraphs_that_must_carry_cues(tmp_path: Path) -> None:
    # Two cue paragraphs of eight: a quarter of the item.
    cues = ("Hamas officials met in Doha on Monday.", "Hamas officials met in Doha again.")
    article = make_article(paragraphs=(*cues, *NEUTRAL))
    assert BUNDLED.topics.item_share <= 0.25
    assert on_topics(article, BUNDLED) == ["gaza"]
    assert on_topics(article, rules_file(tmp_path, topics={"item_share": 0.3})) == []


@covers("topics.point_factor")
def test_point_factor_makes_a_strong_paragraph_a_point_of_another_topic(
    tmp_path: Path,
) -> None:
    gaza = "Hamas agreed to a Gaza truce and a hostage release on Monday."  # 8.5 for gaza
    article = replace(item(
        "a", "Iran protests spread as the crackdown widens",
        "Protests spread across Iran on Monday as the crackdown widened.",
        gaza, *NEUTRAL[:3],
    ), summary=True)  # fmt: skip
    assert on_topics(article, BUNDLED) == ["iran"]  # one Gaza paragraph of five: not its topic
    assert BUNDLED.topics.point_factor * 2.5 <= 8.5
    assert sections_of(article, BUNDLED).get(gaza) == "gaza"
    stricter = rules_file(tmp_path, topics={"point_factor": 4.0})  # 10.0 needed
    assert gaza not in sections_of(article, stricter)


@covers("topics.article_point_factor")
def test_article_point_factor_lets_a_long_article_move_to_another_topic(
    tmp_path: Path,
) -> None:
    # Iran: 1.5 (Iran*) + 1.5 (protest*) + 1.0 (security forces) = 4.0, above its
    # min_score (3.0) but not twice it.
    iran = "Iran's security forces fired on protesters in several cities on Thursday."
    article = item(
        "a", "Gaza truce talks resume as Hamas weighs disarmament",
        "Hamas negotiators returned to Cairo on Monday for talks on the Gaza truce.",
        "Hostage families urged both sides to keep the ceasefire in Gaza.",
        iran, *NEUTRAL[:2],
    )  # fmt: skip
    assert on_topics(article, BUNDLED) == ["gaza"]
    factor = BUNDLED.topics.article_point_factor
    assert factor * 3.0 <= 4.0 < BUNDLED.topics.point_factor * 3.0
    assert sections_of(article, BUNDLED).get(iran) == "iran"
    as_summary = replace(article, summary=True)  # a feed summary tells one story
    assert iran not in sections_of(as_summary, BUNDLED)
    # So does a short article (no more paragraphs than single_story_sentences).
    short = replace(article, paragraphs=article.paragraphs[:3])
    assert len(short.paragraphs) <= BUNDLED.topics.single_story_sentences
    assert iran not in sections_of(short, BUNDLED)
    stricter = rules_file(tmp_path, topics={"article_point_factor": 2.0})
    assert iran not in sections_of(article, stricter)


@covers("topics.subject_paragraphs")
def test_subject_paragraphs_let_an_opening_name_the_subject_for_the_item(
    tmp_path: Path,
) -> None:
    # Gaza's subject (Hamas) is named in the second paragraph only; the third has
    # strong cues (truce, prisoner) but names no subject of its own.
    article = make_article(
        paragraphs=(
            "Officials spoke to reporters on Monday.",
            "Hamas officials spoke too.",
            "The truce and the prisoner deal held across the enclave.",
        )
    )
    assert BUNDLED.topics.subject_paragraphs >= 2
    assert on_topics(article, BUNDLED) == ["gaza"]
    one = rules_file(tmp_path, topics={"subject_paragraphs": 1})
    assert on_topics(article, one) == []


@covers("topics.thread_paragraphs")
def test_thread_paragraphs_end_a_long_articles_thread(tmp_path: Path) -> None:
    iran = (
        "Protests spread across Iran on Thursday as Khamenei warned rioters of a harsh response.",
        "Iran's security forces arrested hundreds of protesters in Tehran, rights groups said.",
        "The IRGC said it would not tolerate unrest, and Iran cut internet access nationwide.",
    )
    elsewhere = (  # no section's cue: the article has moved on
        "The central bank of Chile left its main interest rate unchanged on Thursday.",
        "Copper exports rose by 12 percent in the last quarter, the mining ministry said.",
        "The national football federation named a new coach for the World Cup qualifiers.",
        "A heatwave closed 40 schools in Santiago, the education ministry announced.",
        "The country's largest airline ordered 20 new aircraft for regional routes.",
    )
    article = make_article(paragraphs=(*iran, *elsewhere), headline="Iran protests spread",
                           title="Iran protests spread")  # fmt: skip
    depth = BUNDLED.topics.thread_paragraphs
    assert 1 <= depth <= 3
    found = item_topics(prepare(article, BUNDLED), BUNDLED, CueScanner(BUNDLED))
    assert found.on_thread == (True,) * (len(iran) + depth) + (False,) * (len(elsewhere) - depth)
    placed = sections_of(article, BUNDLED)
    far = elsewhere[depth:]
    assert not set(far) & set(placed), placed
    longer = rules_file(tmp_path, topics={"thread_paragraphs": len(elsewhere)})
    assert {sections_of(article, longer).get(text) for text in far} == {"iran"}


@covers("topics.single_story_sentences")
def test_single_story_sentences_make_a_short_article_one_story(tmp_path: Path) -> None:
    article = make_article(
        paragraphs=(
            "Hamas and Israel agreed to extend the Gaza ceasefire by two weeks on Monday.",
            "Mediators from Qatar and Egypt will hold hostage talks in Doha.",
            "Palestinian officials said 600 prisoners would be released in Gaza.",
        )
    )
    assert BUNDLED.topics.single_story_sentences >= 3
    assert summarize([article]).stories == 1
    per_point = rules_file(tmp_path, topics={"single_story_sentences": 2})
    assert summarize([article], per_point).stories == 3


# -- [stories] --------------------------------------------------------------


def point(
    n: int,
    body: str,
    head: str = "",
    single: bool = True,
    section: int = 0,
    day: date = DAY,
) -> Point:
    """A point of item ``n`` whose compared words are the given ones (space-separated)."""
    origin = Origin(n, f"item-{n}", f"publisher-{n}", day)
    candidate = Candidate(origin, 0, 0, f"text {n}", section, 3.0)
    return Point(section, (candidate,), (origin,), day, f"text {n}", True, single,
                 frozenset(head.split()), frozenset(body.split()))  # fmt: skip


def grouped(points: Sequence[Point], rules: Rules) -> list[set[int]]:
    """The stories of ``points`` (heaviest first: in the order given), as sets of items."""
    weights = [float(len(points) - n) for n in range(len(points))]
    return [{p.item for p in s.points} for s in group(points, weights, rules)]


@covers("stories.similarity")
def test_similarity_joins_single_story_items_that_share_words(tmp_path: Path) -> None:
    points = [point(0, "strike gaza kill children"), point(1, "strike gaza kill medics")]
    assert {0, 1} in grouped(points, BUNDLED)
    stricter = rules_file(tmp_path, stories={"similarity": 0.9})
    assert grouped(points, stricter) == [{0}, {1}]


@covers("stories.sentence_similarity")
def test_sentence_similarity_asks_more_of_a_sentence_of_a_longer_article(
    tmp_path: Path,
) -> None:
    points = [
        point(0, "strike gaza kill children"),
        point(1, "strike gaza kill medics", single=False),
    ]
    assert {0, 1} in grouped(points, BUNDLED)
    stricter = rules_file(tmp_path, stories={"sentence_similarity": 0.9})
    assert grouped(points, stricter) == [{0}, {1}]
    # Two single-story items need only `similarity`, which is unchanged.
    singles = [point(0, "strike gaza kill children"), point(1, "strike gaza kill medics")]
    assert {0, 1} in grouped(singles, stricter)


@covers("stories.headline_weight")
def test_stories_headline_weight_counts_headline_words_more(tmp_path: Path) -> None:
    # The two items share their headline words only.
    points = [
        point(0, "medic child rubble night", head="strike khan younis"),
        point(1, "tank road north school", head="strike khan younis"),
    ]
    assert BUNDLED.stories.headline_weight >= 2.0
    assert {0, 1} in grouped(points, BUNDLED)
    plain = rules_file(tmp_path, stories={"headline_weight": 0.0})
    assert grouped(points, plain) == [{0}, {1}]


@covers("stories.leader_similarity")
def test_leader_similarity_keeps_a_story_from_drifting_into_its_neighbour(
    tmp_path: Path,
) -> None:
    # 1 joins 0's story; 2 is close to what 0 and 1 say together, but shares
    # nothing with the story's first point (0).
    points = [
        point(0, "alpha bravo charlie delta"),
        point(1, "alpha bravo echo foxtrot"),
        point(2, "echo foxtrot golf hotel"),
    ]
    assert BUNDLED.stories.leader_similarity > 0
    assert grouped(points, BUNDLED) == [{0, 1}, {2}]
    drifting = rules_file(tmp_path, stories={"leader_similarity": 0.0})
    assert grouped(points, drifting) == [{0, 1, 2}]


@covers("stories.days")
def test_days_split_reports_further_apart_into_other_stories(tmp_path: Path) -> None:
    words = "strike gaza kill children"
    gap = int(BUNDLED.stories.days) + 1
    points = [point(0, words), point(1, words, day=DAY - timedelta(days=gap))]
    assert grouped(points, BUNDLED) == [{0}, {1}]
    wider = rules_file(tmp_path, stories={"days": gap})
    assert grouped(points, wider) == [{0, 1}]


@covers("stories.rare_words")
def test_rare_words_are_the_only_words_a_point_looks_up(tmp_path: Path) -> None:
    # Point 2 shares 'mike' and 'november' with story 0. Its rarest word
    # ('alpha', of point 1 in another section) leads nowhere.
    points = [
        point(0, "mike november oscar papa"),
        point(1, "alpha zulu", section=1),
        point(2, "alpha mike november quebec"),
    ]
    assert BUNDLED.stories.rare_words >= 3
    assert {0, 2} in grouped(points, BUNDLED)
    one = rules_file(tmp_path, stories={"rare_words": 1})
    assert {0, 2} not in grouped(points, one)


@covers("stories.common_words")
def test_common_words_find_no_story(tmp_path: Path) -> None:
    # 0 and 2 share only 'gaza' and 'truce', which three points carry.
    points = [
        point(0, "gaza truce kilo"),
        point(1, "gaza truce lima", section=1),
        point(2, "gaza truce mike"),
    ]
    assert BUNDLED.stories.common_words >= 3
    assert {0, 2} in grouped(points, BUNDLED)
    assert {0, 2} not in grouped(points, rules_file(tmp_path, stories={"common_words": 2}))


@covers("stories.compared_stories")
def test_compared_stories_bound_the_stories_a_point_is_compared_with(tmp_path: Path) -> None:
    # Point 2 shares three rare words with story 0, days away (not its story),
    # and two with story 1, its own: compared with one story only, it misses it.
    points = [
        point(0, "alpha bravo charlie", day=DAY - timedelta(days=10)),
        point(1, "delta echo"),
        point(2, "alpha bravo charlie delta echo"),
    ]
    assert BUNDLED.stories.compared_stories >= 2
    assert {1, 2} in grouped(points, BUNDLED)
    one = rules_file(tmp_path, stories={"compared_stories": 1})
    assert grouped(points, one) == [{0}, {1}, {2}]


def story(n: int, centroid: dict[str, float], section: int = 0) -> Story:
    return Story((point(n, " ".join(centroid), section=section),), centroid)


@covers("stories.merge_similarity")
def test_merge_similarity_joins_close_stories_of_a_section(tmp_path: Path) -> None:
    stories = [story(0, {"kilo": 1.0, "lima": 1.0, "mike": 1.0}),
               story(1, {"kilo": 1.0, "lima": 1.0, "oscar": 1.0, "papa": 1.0})]  # fmt: skip
    weights = [2.0, 1.0]
    assert 0 < BUNDLED.stories.merge_similarity <= 0.5
    assert len(merge(stories, weights, BUNDLED)) == 1
    off = rules_file(tmp_path, stories={"merge_similarity": 0.0})
    assert len(merge(stories, weights, off)) == 2


@covers("stories.merge_rare_words")
def test_merge_rare_words_are_the_words_a_story_is_found_by(tmp_path: Path) -> None:
    # Story 2's heaviest word ('hotel') leads to story 0, of another section; the
    # words it shares with story 1 are lighter.
    stories = [
        story(0, {"hotel": 1.0, "zulu": 1.0}, section=1),
        story(1, {"kilo": 1.0, "lima": 1.0, "mike": 1.0}),
        story(2, {"hotel": 5.0, "kilo": 1.0, "lima": 1.0}),
    ]
    weights = [3.0, 2.0, 1.0]

    def merged(rules: Rules) -> list[set[int]]:
        return [{p.item for p in s.points} for s in merge(stories, weights, rules)]

    assert BUNDLED.stories.merge_rare_words >= 3
    assert {1, 2} in merged(BUNDLED)
    assert {1, 2} not in merged(rules_file(tmp_path, stories={"merge_rare_words": 1}))


SAME_EVENT = [
    item("a", "At least 13 killed in Israeli strikes on Gaza, five of them children",
         "Gaza's civil defence agency said Israeli attacks on Thursday killed at least 13 people.",
         publisher="Alpha Wire"),
    item("b", "Israeli forces kill 13 in Gaza including 5 children",
         "Israeli strikes killed 13 Palestinians across the Gaza Strip on Thursday, medics said.",
         publisher="Bravo Post"),
    item("c", "Israeli strikes kill 13 Palestinians in Gaza, among them children",
         "The Gaza civil defence agency said 13 people were killed in Israeli strikes.",
         publisher="Charlie Times"),
]  # fmt: skip


@covers("stories.max_citations")
def test_max_citations_bound_the_sources_a_bullet_cites(tmp_path: Path) -> None:
    def cited(rules: Rules) -> set[int]:
        return {len(b.sources) for b in bullets_of(summarize(SAME_EVENT, rules))}

    assert BUNDLED.stories.max_citations >= 3
    assert cited(BUNDLED) == {3}
    assert cited(rules_file(tmp_path, stories={"max_citations": 2})) == {2}


def told_apart(first: str, second: str) -> list[Article]:
    """Two single-sentence items days apart: two stories, whatever their words."""
    gap = int(BUNDLED.stories.days) + 1
    return [
        make_article(key="first", paragraphs=(first,)),
        make_article(key="second", paragraphs=(second,),
                     published=date(2025, 12, 29) - timedelta(days=gap)),
    ]  # fmt: skip


def shown(articles: list[Article], rules: Rules) -> list[str]:
    return [b.text for b in bullets_of(summarize(articles, rules))]


@covers("stories.same_point_jaccard")
def test_same_point_jaccard_leaves_out_a_bullet_that_says_the_same(tmp_path: Path) -> None:
    # 8 content words in common of 15 (Jaccard 0.53); 8 of the shorter's 11 (0.73).
    first = (
        "Israeli strikes killed 13 people in Khan Younis in southern Gaza on Thursday, "
        "rescuers said."
    )
    second = (
        "Israeli strikes killed 13 people in Khan Younis overnight, Gaza medics reported "
        "after dawn."
    )
    articles = told_apart(first, second)
    no_bottom_line = {"bottom_line": {"max_items": 0}}
    jaccard, containment = overlap(content_words(first), content_words(second))
    assert containment < BUNDLED.stories.same_point_containment
    assert BUNDLED.stories.same_point_jaccard <= jaccard < 0.9
    assert len(shown(articles, rules_file(tmp_path, **no_bottom_line))) == 1
    stricter = rules_file(tmp_path, stories={"same_point_jaccard": 0.9}, **no_bottom_line)
    assert sorted(shown(articles, stricter)) == sorted([first, second])


@covers("stories.same_point_containment")
def test_same_point_containment_leaves_out_a_bullet_told_inside_another(
    tmp_path: Path,
) -> None:
    # 6 of the shorter's 7 content words are in the longer (0.86); Jaccard 0.38.
    short = "Hamas freed 18 hostages in Gaza on Monday morning."
    long = ("Under the Gaza truce, Hamas freed 18 hostages on Monday and Israel released 600 "
            "Palestinian prisoners from Ofer jail in convoys.")  # fmt: skip
    articles = told_apart(long, short)
    no_bottom_line = {"bottom_line": {"max_items": 0}}
    jaccard, containment = overlap(content_words(short), content_words(long))
    assert jaccard < BUNDLED.stories.same_point_jaccard
    assert BUNDLED.stories.same_point_containment <= containment < 0.9
    assert len(shown(articles, rules_file(tmp_path, **no_bottom_line))) == 1
    stricter = rules_file(tmp_path, stories={"same_point_containment": 0.9}, **no_bottom_line)
    assert sorted(shown(articles, stricter)) == sorted([short, long])


# -- [scoring] --------------------------------------------------------------


def text(
    n: int,
    words: str,
    cue: float = 2.5,
    day: date = DAY,
    publisher: str = "",
    index: int = 0,
    headline: bool = False,
) -> Candidate:
    """A Gaza candidate of item ``n`` (gaza's min_score is 2.5: ``cue`` 2.5 is one multiple)."""
    origin = Origin(n, f"item-{n}", publisher or f"publisher-{n}", day)
    at = -1 if headline else index
    return Candidate(origin, at, -1 if headline else 0, words, 0, cue)


def told(*texts: Candidate, lead: bool = False, also: Sequence[Origin] = ()) -> Point:
    """One point: these texts of one item, told also by the items ``also``."""
    origin = texts[0].origin
    return Point(0, texts, (origin, *also), origin.published, texts[0].text, lead, True)


def heaviest(rules: Rules, *stories: Sequence[Point]) -> int:
    """Which of the stories (each its points) weighs most (ties: the first)."""
    built = [Story(tuple(points), {}) for points in stories]
    newest = max(p.published for points in stories for p in points if p.published)
    ranked = rank(built, Scorer(rules, newest, frozenset(), newest + LATER))
    return min(ranked, key=lambda r: (-r.weight, r.number)).number


def chosen(rules: Rules, *points: Point) -> Scorer:
    """The ranked story of these points: its bullet and its bottom-line line."""
    newest = max(p.published for p in points if p.published)
    return Scorer(rules, newest, frozenset(), newest + LATER).ranked(0, Story(points, {}))


PLAIN = "The truce talks went on through the night in the enclave."  # no figure or name
SPECIFIC = "Talks resumed in Cairo, Doha and Amman on 3 January with Egypt."  # six


@covers("scoring.cue")
def test_cue_weighs_how_squarely_a_story_is_on_topic(tmp_path: Path) -> None:
    squarely = [told(text(0, PLAIN, cue=7.5))]  # three times min_score
    specific = [told(text(1, SPECIFIC, cue=2.5))]
    assert heaviest(BUNDLED, squarely, specific) == 0
    assert heaviest(rules_file(tmp_path, scoring={"cue": 0.0}), squarely, specific) == 1


@covers("scoring.cue_cap")
def test_cue_cap_bounds_the_multiples_of_min_score_counted(tmp_path: Path) -> None:
    five = [told(text(0, PLAIN, cue=12.5))]  # five times min_score
    three = [told(text(1, "The truce talks went on in Doha through the night.", cue=7.5))]
    assert BUNDLED.scoring.cue_cap <= 3
    assert heaviest(BUNDLED, five, three) == 1  # capped alike; a name more
    assert heaviest(rules_file(tmp_path, scoring={"cue_cap": 10.0}), five, three) == 0


@covers("scoring.publishers")
def test_publishers_make_a_story_told_by_more_of_them_heavier(tmp_path: Path) -> None:
    other = Origin(9, "item-9", "publisher-9", DAY)
    two = [told(text(0, PLAIN), also=[other])]
    one = [told(text(1, "The truce talks went on in Doha and Cairo through the night."))]
    assert heaviest(BUNDLED, two, one) == 0
    assert heaviest(rules_file(tmp_path, scoring={"publishers": 0.0}), two, one) == 1


@covers("scoring.recency")
def test_recency_makes_newer_stories_heavier(tmp_path: Path) -> None:
    new = [told(text(0, PLAIN))]
    old = [told(text(1, "The truce talks went on in Doha and Cairo through the night.",
                     day=DAY - timedelta(days=14)))]  # fmt: skip
    assert heaviest(BUNDLED, new, old) == 0
    assert heaviest(rules_file(tmp_path, scoring={"recency": 0.0}), new, old) == 1


@covers("scoring.recency_half_life_days")
def test_recency_half_life_is_how_fast_age_weighs(tmp_path: Path) -> None:
    # A week older, with two names more: a week is little at the bundled half-life.
    new = [told(text(0, PLAIN))]
    older = [told(text(1, "The truce talks went on in Doha and Cairo through the night.",
                       day=DAY - timedelta(days=7)))]  # fmt: skip
    assert BUNDLED.scoring.recency_half_life_days >= 14
    assert heaviest(BUNDLED, new, older) == 1
    fast = rules_file(tmp_path, scoring={"recency_half_life_days": 1.0})
    assert heaviest(fast, new, older) == 0


@covers("scoring.lead")
def test_lead_makes_a_story_an_item_opens_with_heavier(tmp_path: Path) -> None:
    opening = [told(text(0, PLAIN), lead=True)]
    later = [told(text(1, "The truce talks went on in Doha through the night."))]
    assert heaviest(BUNDLED, opening, later) == 0
    assert heaviest(rules_file(tmp_path, scoring={"lead": 0.0}), opening, later) == 1


@covers("scoring.specifics")
def test_specifics_make_a_bullet_with_figures_and_names_heavier(tmp_path: Path) -> None:
    specific = [told(text(0, SPECIFIC, day=DAY - timedelta(days=1)))]
    plain = [told(text(1, PLAIN))]  # a day newer
    assert heaviest(BUNDLED, specific, plain) == 0
    assert heaviest(rules_file(tmp_path, scoring={"specifics": 0.0}), specific, plain) == 1


@covers("scoring.specifics_cap")
def test_specifics_cap_bounds_the_figures_and_names_counted(tmp_path: Path) -> None:
    eight = [told(text(0, SPECIFIC.replace("Egypt", "Egypt, Qatar and Jordan"),
                       day=DAY - timedelta(days=1)))]  # fmt: skip
    four = [told(text(1, "Talks resumed in Cairo and Doha on 3 January."))]  # a day newer
    assert BUNDLED.scoring.specifics_cap <= 4
    assert heaviest(BUNDLED, eight, four) == 1
    assert heaviest(rules_file(tmp_path, scoring={"specifics_cap": 10}), eight, four) == 0


# What three sources of one story share, and a side detail with more names.
EXCHANGE = (
    "Mediators said 600 prisoners would be freed in the truce exchange.",
    "The truce exchange will free 600 prisoners, mediators said on Monday.",
    "Under the truce exchange, mediators expect 600 prisoners to be freed.",
)
SIDE = "Officials in Cairo and Doha reviewed budgets for the Rafah crossing."


@covers("scoring.centrality")
def test_centrality_picks_the_bullet_that_tells_what_the_sources_share(
    tmp_path: Path,
) -> None:
    points = [told(text(n, t)) for n, t in enumerate((*EXCHANGE, SIDE))]
    assert chosen(BUNDLED, *points).bullet.text in EXCHANGE
    none = rules_file(tmp_path, scoring={"centrality": 0.0})
    assert chosen(none, *points).bullet.text == SIDE  # the most names


@covers("scoring.core_texts")
def test_core_texts_count_the_shared_words_over_the_heaviest_texts(tmp_path: Path) -> None:
    # The heaviest point (two publishers) is the side detail.
    also = [Origin(9, "item-9", "publisher-9", DAY)]
    side = "Officials in Cairo reviewed budgets for the crossing on Monday."
    points = [told(text(0, side), also=also)]
    points += [told(text(n, t)) for n, t in enumerate(EXCHANGE, start=1)]
    assert BUNDLED.scoring.core_texts >= len(points)
    assert chosen(BUNDLED, *points).bullet.text in EXCHANGE
    first = rules_file(tmp_path, scoring={"core_texts": 1})
    assert chosen(first, *points).bullet.text == side


@covers("scoring.core_headline_weight")
def test_core_headline_weight_counts_headline_words_among_the_shared(
    tmp_path: Path,
) -> None:
    aid = "Israel ordered aid groups in Gaza to halt work over staff lists."
    points = [
        told(text(0, aid, index=3),
             text(0, "Israel bars aid groups from Gaza over staff lists", headline=True)),
        told(text(1, EXCHANGE[0], index=3)),
        told(text(2, "The truce exchange will free 600 prisoners, mediators said.", index=3)),
    ]  # fmt: skip
    assert BUNDLED.scoring.core_headline_weight >= 2
    assert chosen(BUNDLED, *points).bullet.text == aid  # the headline's words weigh
    plain = rules_file(tmp_path, scoring={"core_headline_weight": 0.0})
    assert chosen(plain, *points).bullet.text != aid


@covers("scoring.headline_penalty")
def test_headline_penalty_prefers_a_sentence_to_a_terse_headline(tmp_path: Path) -> None:
    sentence = "Israeli strikes killed people in Khan Younis, Gaza medics said on Thursday."
    headline = "Israeli strikes kill 13 people in Khan Younis, Gaza medics say on Thursday"
    points = [told(text(0, sentence, index=5), text(0, headline, headline=True))]
    assert chosen(BUNDLED, *points).bullet.text == sentence
    none = rules_file(tmp_path, scoring={"headline_penalty": 0.0})
    assert chosen(none, *points).bullet.text == headline  # it gives a figure more


AGREED = "Israel and Hamas agreed a Gaza truce deal in Doha on Monday, mediators said."
AGREED_TOO = "Hamas and Israel agreed the truce deal in Doha, Qatar said on Monday."


@covers("scoring.line_specifics")
def test_line_specifics_prefer_a_bottom_line_headline_with_names(tmp_path: Path) -> None:
    # The same words; the second headline writes its names as names.
    lower = "Israel and hamas agree gaza truce deal in doha"
    names = "Israel and Hamas agree Gaza truce deal in Doha"
    points = [
        told(text(0, AGREED), text(0, lower, headline=True)),
        told(text(1, AGREED_TOO), text(1, names, headline=True)),
    ]
    assert chosen(BUNDLED, *points).line.text == names
    none = rules_file(tmp_path, scoring={"line_specifics": 0.0})
    assert chosen(none, *points).line.text == lower  # a tie: the leading item's


@covers("scoring.line_specifics_cap")
def test_line_specifics_cap_bounds_the_names_counted(tmp_path: Path) -> None:
    four = "Israel and Hamas agree Gaza truce deal in Doha with Qatar and egypt"
    five = "Israel and Hamas agree Gaza truce deal in Doha with Qatar and Egypt"
    points = [
        told(text(0, AGREED), text(0, four, headline=True)),
        told(text(1, AGREED_TOO), text(1, five, headline=True)),
    ]
    assert BUNDLED.scoring.line_specifics_cap <= 4
    assert chosen(BUNDLED, *points).line.text == four  # a tie: the leading item's
    assert (
        chosen(rules_file(tmp_path, scoring={"line_specifics_cap": 6}), *points).line.text == five
    )


def reading(rules: Rules, *articles: Article) -> Reading:
    """The per-article stages of a brief, run on ``articles``."""
    done = Reading(rules)
    for article in articles:
        done.add(article)
    return done


NAMING = (
    "Israel said Netanyahu would meet Hamas mediators in Doha on the Gaza truce.",
    "The office of Netanyahu said Gaza truce talks with Hamas would resume in Cairo.",
    "Aides to Netanyahu said the Gaza truce would hold as Hamas freed hostages.",
    "Qatar said mediators would meet Hamas in Doha to discuss the Gaza truce.",
)


@covers("scoring.common_name_min_items")
def test_common_name_min_items_is_the_edition_size_that_has_main_actors(
    tmp_path: Path,
) -> None:
    articles = [make_article(key=f"n{n}", paragraphs=(t,)) for n, t in enumerate(NAMING[:2])]
    assert BUNDLED.scoring.common_name_min_items > 2
    assert reading(BUNDLED, *articles).common_names() == frozenset()
    two = rules_file(tmp_path, scoring={"common_name_min_items": 2})
    assert "netanyahu" in reading(two, *articles).common_names()


@covers("scoring.common_name_share")
def test_common_name_share_is_how_many_items_make_a_name_a_main_actor(
    tmp_path: Path,
) -> None:
    articles = [make_article(key=f"n{n}", paragraphs=(t,)) for n, t in enumerate(NAMING)]
    assert len(reading(BUNDLED, *articles).cited) == 4
    # Netanyahu is named by three items of four.
    assert BUNDLED.scoring.common_name_share < 0.75
    assert "netanyahu" in reading(BUNDLED, *articles).common_names()
    rarer = rules_file(tmp_path, scoring={"common_name_share": 0.8})
    assert "netanyahu" not in reading(rarer, *articles).common_names()
    assert "hamas" in reading(rarer, *articles).common_names()  # named by all four


@covers("scoring.max_details")
def test_max_details_bound_the_details_under_a_bullet(tmp_path: Path) -> None:
    article = make_article(paragraphs=GAZA_PARAGRAPHS)  # one story, four sentences

    def details(rules: Rules) -> int:
        return sum(b.detail for b in bullets_of(summarize([article], rules)))

    assert BUNDLED.scoring.max_details >= 2
    assert details(BUNDLED) == 2  # all it has beside its bullet and line
    assert details(rules_file(tmp_path, scoring={"max_details": 1})) == 1
    assert details(rules_file(tmp_path, scoring={"max_details": 0})) == 0


@covers("scoring.detail_novelty")
def test_detail_novelty_is_the_share_of_new_words_a_detail_needs(tmp_path: Path) -> None:
    bullet = text(0, "Hamas and Israel agreed to extend the Gaza ceasefire by two weeks on Monday.")
    line = text(0, "Palestinian officials said 600 prisoners would be released in the first phase.",
                index=1)  # fmt: skip
    # Three of its eight content words are new (0.375), and it names Qatar and Jordan.
    detail = text(0, "Under the extended ceasefire, 600 prisoners will be released as Qatar "
                  "and Jordan mediate.", index=2)  # fmt: skip
    story = Story((told(bullet, line, detail),), {})
    ranked = Ranked(0, story, 10.0, bullet, line, True, (bullet.origin,), DAY)

    def details(rules: Rules) -> list[str]:
        return [c.text for c in fill([ranked], rules, 700, DAY).details.get(0, ())]

    assert BUNDLED.scoring.detail_novelty > 0.375
    assert details(BUNDLED) == []
    looser = rules_file(tmp_path, scoring={"detail_novelty": 0.3})
    assert details(looser) == [detail.text]


# -- [bottom_line] ----------------------------------------------------------

# Six stories of a feed day, each an item with a headline (a bottom-line line).
FEED_DAY = (*FEED_GAZA, *FEED_IRAN)


def feed(stories: Sequence[tuple[str, str]], publisher: str = "", day: date = DAY,
         start: int = 0) -> list[Article]:  # fmt: skip
    """Feed items, one per story (each of its own publisher unless one is given)."""
    return [
        item(f"{publisher or 'p'}{n}", head, body, publisher=publisher or f"P{n}", day=day)
        for n, (head, body) in enumerate(stories, start=start)
    ]


def lines(articles: list[Article], rules: Rules, budget: int = 700) -> list[Any]:
    return list(summarize(articles, rules, budget=budget).bottom_line)


@covers("bottom_line.title")
def test_bottom_line_title_heads_the_block(tmp_path: Path, settings) -> None:
    def memo(rules: Rules) -> str:
        brief = build_brief(settings(), articles=feed(FEED_DAY), rules=rules)
        return render_markdown(brief, settings().templates_dir)

    assert f"## {BUNDLED.bottom_line.title}\n" in memo(BUNDLED)
    renamed = memo(rules_file(tmp_path, bottom_line={"title": "This morning"}))
    assert "## This morning\n" in renamed
    assert f"## {BUNDLED.bottom_line.title}\n" not in renamed


@covers("bottom_line.min_items")
def test_min_items_let_older_stories_fill_a_thin_bottom_line(tmp_path: Path) -> None:
    old = DAY - timedelta(days=int(BUNDLED.bottom_line.current_days) + 5)
    articles = feed(FEED_DAY[:1]) + feed(FEED_DAY[1:4], day=old, start=1)
    least = BUNDLED.bottom_line.min_items
    assert 1 < least <= len(articles)
    assert len(lines(articles, BUNDLED)) == least  # one current story, older ones after
    one = rules_file(tmp_path, bottom_line={"min_items": 1})
    assert [b.sources[0] for b in lines(articles, one)] == ["p0"]


@covers("bottom_line.max_items")
def test_max_items_bound_the_bottom_line(tmp_path: Path) -> None:
    articles = feed(FEED_DAY)
    most = BUNDLED.bottom_line.max_items
    assert 2 < most < len(FEED_DAY)
    assert len(lines(articles, BUNDLED)) == most
    assert len(lines(articles, rules_file(tmp_path, bottom_line={"max_items": 2}))) == 2


@covers("bottom_line.current_days")
def test_current_days_keep_older_stories_out_of_the_bottom_line(tmp_path: Path) -> None:
    days = int(BUNDLED.bottom_line.current_days) + 1
    # The heaviest story (three publishers) is a day too old to be current.
    older = [
        item(f"old{n}", *FEED_DAY[4], publisher=f"Old{n}", day=DAY - timedelta(days=days))
        for n in range(3)
    ]
    articles = feed(FEED_DAY[:4]) + older

    def current(rules: Rules) -> bool:
        return any(b.sources[0].startswith("old") for b in lines(articles, rules))

    assert not current(BUNDLED)
    assert current(rules_file(tmp_path, bottom_line={"current_days": days}))


@covers("bottom_line.max_per_source")
def test_max_per_source_bounds_the_lines_worded_by_one_source(tmp_path: Path) -> None:
    articles = feed(FEED_DAY, publisher="OnlySource")
    most = BUNDLED.bottom_line.max_per_source
    assert most < BUNDLED.bottom_line.max_items
    assert len(lines(articles, BUNDLED)) == most
    four = rules_file(tmp_path, bottom_line={"max_per_source": 4})
    assert len(lines(articles, four)) == 4


@covers("bottom_line.min_development")
def test_min_development_puts_the_days_developments_before_a_profile(
    tmp_path: Path, settings
) -> None:
    # A profile told by three publishers outweighs every single-source story
    # of the day, but states no decision, threat, plan or casualty.
    profile = ("Veteran Bulgarian diplomat, a Board of Peace pick, is admired by both sides",
               "Former colleagues describe the Bulgarian diplomat, a Board of Peace pick, as "
               "patient, discreet and admired by Palestinians.")  # fmt: skip
    articles = feed(FEED_DAY) + feed([profile] * 3, start=10)
    assert not BUNDLED.news_cues.development(" ".join(profile))
    developing = [s for s in FEED_DAY if BUNDLED.news_cues.development(" ".join(s))]
    assert len(developing) >= BUNDLED.bottom_line.max_items

    def led_by_profile(rules: Rules) -> bool:
        return any("Bulgarian" in b.text for b in lines(articles, rules))

    assert len(lines(articles, BUNDLED)) == BUNDLED.bottom_line.max_items
    assert not led_by_profile(BUNDLED)
    assert led_by_profile(rules_file(tmp_path, bottom_line={"min_development": 0}))
    # `briefer explain` says why the profile, the day's heaviest story, is not up there.
    brief = build_brief(settings(), articles=articles, rules=BUNDLED, explain=True)
    said = [d.reason for d in brief.decisions if "Bulgarian" in d.text]
    assert any("not in the bottom line: its headline names no development" in r for r in said)
    held = [d.text for d in brief.decisions if "not in the bottom line" in d.reason]
    assert not any(BUNDLED.news_cues.development(text) for text in held)
    assert not {b.text for b in brief.bottom_line} & set(held)
    # A line left over after the developments still goes to it, last.
    more = rules_file(tmp_path, bottom_line={"max_items": len(developing) + 1})
    told = lines(articles, more)
    assert len(told) == len(developing) + 1 and "Bulgarian" in told[-1].text
    assert not any("Bulgarian" in b.text for b in told[:-1])
    # Only a headline is held to it: a story told by its own sentence leads by weight.
    told_so = ("Former colleagues in Gaza describe the Bulgarian diplomat, the Board of Peace "
               "pick for Gaza, as patient, discreet and admired by Palestinians.")  # fmt: skip
    assert not BUNDLED.news_cues.development(told_so)
    sentences = [
        make_article(key=f"s{n}", publisher=f"S{n}", headline=None, title=None,
                     paragraphs=(told_so,), published=DAY)
        for n in range(3)
    ]  # fmt: skip
    assert any("Bulgarian" in b.text for b in lines(feed(FEED_DAY) + sentences, BUNDLED))


@covers("bottom_line.budget_share")
def test_budget_share_bounds_the_bottom_lines_words(tmp_path: Path) -> None:
    budget = 60
    share = BUNDLED.bottom_line.budget_share
    bottom = lines(feed(FEED_DAY), BUNDLED, budget)
    words = sum(len(b.text.split()) for b in bottom)
    assert 0 < words <= round(budget * share)
    whole = lines(feed(FEED_DAY), rules_file(tmp_path, bottom_line={"budget_share": 1.0}), budget)
    assert len(whole) > len(bottom)
    assert sum(len(b.text.split()) for b in whole) > round(budget * share)


# -- [[sections]] -----------------------------------------------------------

DOHA = ("Hamas officials met in Doha on Monday.", "Hamas officials met in Doha again.")


def section_keys(articles: list[Article], rules: Rules) -> list[str]:
    """The keys of the memo's sections that have bullets."""
    return [k for k, bullets in summarize(articles, rules).sections if bullets]


@covers("sections.key")
def test_section_key_names_the_section(tmp_path: Path) -> None:
    article = make_article(paragraphs=(GAZA_CONTEXT,))
    assert section_keys([article], BUNDLED) == ["gaza"]
    renamed = rules_file(tmp_path, section={"gaza": {"key": "ceasefire"}})
    assert section_keys([article], renamed) == ["ceasefire"]


@covers("sections.title")
def test_section_title_heads_the_section(tmp_path: Path, settings) -> None:
    article = make_article(paragraphs=(GAZA_CONTEXT,))

    def titles(rules: Rules) -> list[str]:
        brief = build_brief(settings(), articles=[article], rules=rules)
        return [s.title for s in brief.sections if s.items]

    assert titles(BUNDLED) == [rule("gaza").title]
    renamed = rules_file(tmp_path, section={"gaza": {"title": "Truce watch"}})
    assert titles(renamed) == ["Truce watch"]


@covers("sections.limit")
def test_section_limit_bounds_its_bullets(tmp_path: Path) -> None:
    articles = feed(FEED_DAY[:4])  # four Gaza stories
    no_bottom_line = {"bottom_line": {"max_items": 0}}

    def gaza(rules: Rules) -> int:
        return len(dict(summarize(articles, rules).sections)["gaza"])

    assert not rule("gaza").limit  # no limit: the budget decides
    assert gaza(rules_file(tmp_path, **no_bottom_line)) == 4
    one = rules_file(tmp_path, section={"gaza": {"limit": 1}}, **no_bottom_line)
    assert gaza(one) == 1


@covers("sections.min_score")
def test_min_score_is_the_cue_weight_a_sentence_needs(tmp_path: Path) -> None:
    unclear = "It is unclear whether the Gaza truce will hold through the second phase."
    article = make_article(paragraphs=(GAZA_CONTEXT, unclear))  # 5.5 for open questions
    assert sections_of(article, BUNDLED)[unclear] == "open_questions"
    higher = rules_file(tmp_path, section={"open_questions": {"min_score": 6.0}})
    assert sections_of(article, higher)[unclear] == "gaza"


@covers("sections.terms")
def test_terms_are_the_cue_words_of_a_section(tmp_path: Path) -> None:
    article = make_article(paragraphs=DOHA)  # 2.5 each: Hamas 1.5, Doha 1.0
    terms = dict(rule("gaza").terms)
    assert terms["Doha"] == 1.0
    assert on_topics(article, BUNDLED) == ["gaza"]
    del terms["Doha"]
    assert on_topics(article, rules_file(tmp_path, section={"gaza": {"terms": terms}})) == []


@covers("sections.patterns")
def test_patterns_add_their_weight_to_a_section(tmp_path: Path) -> None:
    # 'second phase' matches a Gaza pattern (2.0): 6.0 in all with it, 4.0 without.
    article = make_article(
        paragraphs=("Hamas said the second phase would start.", "Hamas officials spoke on Monday.")
    )
    assert on_topics(article, BUNDLED) == ["gaza"]
    assert on_topics(article, rules_file(tmp_path, section={"gaza": {"patterns": {}}})) == []


@covers("sections.require_any")
def test_require_any_needs_the_section_subject_named(tmp_path: Path) -> None:
    # Ceasefire cues, but neither Gaza nor Hamas nor any other subject of the section.
    article = make_article(
        paragraphs=("The ceasefire held on Monday as aid arrived in the enclave.",) * 2
    )
    assert on_topics(article, BUNDLED) == []
    anywhere = rules_file(tmp_path, section={"gaza": {"require_any": []}})
    assert on_topics(article, anywhere) == ["gaza"]


@covers("sections.exclude")
def test_exclude_keeps_a_text_out_of_a_section(tmp_path: Path) -> None:
    article = make_article(paragraphs=DOHA)
    assert on_topics(article, BUNDLED) == ["gaza"]
    kept_out = rules_file(tmp_path, section={"gaza": {"exclude": [r"\bDoha\b"]}})
    assert on_topics(article, kept_out) == []


@covers("sections.requires_topic")
def test_requires_topic_counts_only_items_on_another_topic(tmp_path: Path) -> None:
    # Uncertainty about nothing the memo is about.
    article = make_article(
        paragraphs=("Officials said it was unclear and uncertain whether talks would resume.",) * 2
    )
    assert on_topics(article, BUNDLED) == []
    alone = rules_file(tmp_path, section={"open_questions": {"requires_topic": False}})
    assert on_topics(article, alone) == ["open_questions"]


@covers("sections.takes_precedence")
def test_takes_precedence_routes_a_sentence_here_over_a_higher_score(tmp_path: Path) -> None:
    unclear = "Hamas and Israel said the Gaza truce and hostage deal was still unclear."
    article = make_article(paragraphs=(GAZA_CONTEXT, unclear))
    scores = dict(zip(BUNDLED.keys, BUNDLED.text_scores(unclear), strict=True))
    assert scores["gaza"] > scores["open_questions"] >= rule("open_questions").min_score
    assert sections_of(article, BUNDLED)[unclear] == "open_questions"
    plain = rules_file(tmp_path, section={"open_questions": {"takes_precedence": False}})
    assert sections_of(article, plain)[unclear] == "gaza"


@covers("sections.sink")
def test_sink_takes_an_item_out_of_the_memo(tmp_path: Path) -> None:
    # West Bank news that names the Gaza truce in passing.
    article = make_article(
        paragraphs=(
            "Israeli settlers attacked a village in the West Bank near Ramallah on Monday.",
            "The attack came as the Gaza truce held for a third week.",
        )
    )
    assert rule("elsewhere").sink
    assert section_keys([article], BUNDLED) == []
    shown = rules_file(tmp_path, section={"elsewhere": {"sink": False}})
    assert section_keys([article], shown) == ["elsewhere"]


# -- [stories] cite and merge, [bottom_line] attributed lines ----------------

EDITION = "2026-01-09T07:00:00+00:00"


def news_item(key: str, headline: str, text: str, url: str | None = None, **kw: Any) -> Article:
    """A feed item of DAY, the summary of a story."""
    kw.setdefault("publisher", key)
    day = kw.pop("day", DAY)
    return make_article(key=key, headline=headline, title=headline, paragraphs=(text,),
                        published=day, url=url, summary=True, **kw)  # fmt: skip


def brief_of(settings: Any, articles: Sequence[Article], rules: Rules, **kw: Any) -> Any:
    return build_brief(settings(as_of=EDITION), articles=articles, rules=rules, **kw)


THREAT = news_item("threat", "Trump warns Iran of strikes if protesters are killed",
              "US President Donald Trump warned Iran on Thursday that the US would strike if "
              "its security forces killed protesters.")  # fmt: skip
STRIKES = news_item("strikes", "Israeli strikes kill 13 in Gaza despite ceasefire",
               "Israeli strikes killed 13 people across Gaza on Thursday, including five "
               "children, the civil defence agency said.")  # fmt: skip


@covers("stories.cite_similarity")
def test_cite_similarity_cites_only_items_close_to_the_bullet(tmp_path: Path) -> None:
    # Two items of one story by its words, the second telling another side of it.
    a = news_item("a", "Iran cuts internet as protests spread to dozens of cities",
             "Iran cut the internet across the country on Thursday as protests spread to "
             "dozens of cities, monitors said.")  # fmt: skip
    b = news_item("b", "Iran protests: families of the dead seek news in cut-off cities",
             "Families of protesters killed in the unrest across Iran searched hospitals on "
             "Thursday with the internet cut off, monitors said.")  # fmt: skip
    loose = rules_file(tmp_path, stories={"cite_similarity": 0.0, "similarity": 0.05,
                                          "leader_similarity": 0.0})  # fmt: skip
    strict = rules_file(tmp_path, stories={"cite_similarity": 0.9, "similarity": 0.05,
                                           "leader_similarity": 0.0})  # fmt: skip

    def cited(rules: Rules) -> list[set[str]]:  # each section bullet's sources
        return [set(x.sources) for _, bs in summarize([a, b], rules).sections for x in bs]

    assert {"a", "b"} in cited(loose)  # one story, citing both
    assert cited(strict) and all(len(s) == 1 for s in cited(strict))


@covers("stories.merge_leader_similarity")
def test_merge_leader_similarity_keeps_stories_apart_through_their_leaders(
    tmp_path: Path,
) -> None:
    bazaar = news_item("a", "Iran security forces fire tear gas at Tehran bazaar protest",
                  "Iranian security forces fired tear gas at protesters in Tehran's grand "
                  "bazaar on Thursday as the unrest spread.")  # fmt: skip
    toll = news_item("b", "At least 35 killed in Iran unrest, rights group says",
                "At least 35 people have been killed in the unrest across Iran, a rights "
                "group said on Thursday, as protests spread.")  # fmt: skip
    # Grouped by their words (this key's merge), not by their meaning.
    merging = {"similarity": 0.9, "sentence_similarity": 0.9, "merge_similarity": 0.05,
               "meaning": False}  # fmt: skip
    loose = rules_file(tmp_path, stories={**merging, "merge_leader_similarity": 0.0})
    strict = rules_file(tmp_path, stories={**merging, "merge_leader_similarity": 0.9})
    assert len({b.story for b in bullets_of(summarize([bazaar, toll], loose))}) == 1
    assert len({b.story for b in bullets_of(summarize([bazaar, toll], strict))}) == 2


# One development in other words: they share no content word but "Iran" and "Thursday".
BLACKOUT = news_item("blackout", "Iran plunged into internet blackout as protests spread",
                     "Authorities cut internet access across the country on Thursday, "
                     "monitors said.")  # fmt: skip
OFFLINE = news_item("offline", "Iran cuts itself off from the world amid crackdown on protesters",
                    "NetBlocks reported that national connectivity had collapsed on Thursday "
                    "night.")  # fmt: skip
RAFAH = news_item("rafah", "Egypt reopens Rafah crossing for aid trucks into Gaza",
                  "The crossing opened on Thursday for the first time in weeks, officials "
                  "said.")  # fmt: skip


def stories_of(articles: Sequence[Article], rules: Rules) -> list[set[str]]:
    """Each story's cited items (by key), as the sections tell them."""
    selection = summarize(articles, rules)
    stories: dict[int, set[str]] = {}
    for _, bullets in selection.sections:
        for bullet in bullets:
            stories.setdefault(bullet.story, set()).update(bullet.sources)
    return sorted(stories.values(), key=sorted)


@covers("stories.meaning")
def test_meaning_groups_one_development_told_in_other_words(tmp_path: Path) -> None:
    assert {"blackout", "offline"} in stories_of([BLACKOUT, OFFLINE, RAFAH], BUNDLED)
    words = rules_file(tmp_path, stories={"meaning": False})
    assert {"blackout"} in stories_of([BLACKOUT, OFFLINE, RAFAH], words)
    assert {"offline"} in stories_of([BLACKOUT, OFFLINE, RAFAH], words)


@covers("stories.meaning_similarity")
def test_meaning_similarity_is_how_alike_in_meaning_one_story_is(tmp_path: Path) -> None:
    # Their embeddings' cosine is about 0.73.
    stricter = rules_file(tmp_path, stories={"meaning_similarity": 0.9})
    assert {"blackout"} in stories_of([BLACKOUT, OFFLINE], stricter)
    looser = rules_file(tmp_path, stories={"meaning_similarity": 0.6})
    assert {"blackout", "offline"} in stories_of([BLACKOUT, OFFLINE], looser)


@covers("stories.cite_meaning_similarity")
def test_cite_meaning_similarity_cites_an_item_told_in_other_words(tmp_path: Path) -> None:
    # Their embeddings' cosine is about 0.73; their words are far apart.
    assert {"blackout", "offline"} in stories_of([BLACKOUT, OFFLINE], BUNDLED)
    words = rules_file(tmp_path, stories={"cite_meaning_similarity": 0.0})
    # Still one story (no bullet of its own), but only its own words are cited.
    assert stories_of([BLACKOUT, OFFLINE], words) == [{"blackout"}]


@covers("stories.meaning_points")
def test_meaning_points_bounds_how_many_items_are_read_for_meaning(
    tmp_path: Path, settings: Any
) -> None:
    from briefer.brief import read_meaning

    points = [point(n, f"word{n}") for n in range(3)]
    points = [replace(p, gist=f"Item {n} of a story about Gaza.") for n, p in enumerate(points)]
    weights = [1.0, 3.0, 2.0]
    model = settings().model_dir or default_model_dir()
    near = read_meaning(points, weights, BUNDLED, model)
    assert near is not None and near.points == (1, 2, 0)  # every one, heaviest first
    two = rules_file(tmp_path, stories={"meaning_points": 2})
    near = read_meaning(points, weights, two, model)
    assert near is not None and near.points == (1, 2)  # the lightest by words
    assert near.similarity.shape == (2, 2)


@covers("stories.meaning_tokens")
def test_meaning_tokens_is_how_much_of_an_item_the_model_reads(settings: Any) -> None:
    model = settings().model_dir or default_model_dir()
    opening = "Israel and Hamas agreed on Monday to extend the ceasefire in Gaza by two weeks"
    texts = [f"{opening}, mediators said.", f"{opening}, while strikes on Iran resumed at dawn."]
    short = load_encoder(model, 16).encode(texts)
    assert float(short[0] @ short[1]) > 0.9999  # the same first 16 word pieces
    whole = load_encoder(model, BUNDLED.stories.meaning_tokens).encode(texts)
    assert float(whole[0] @ whole[1]) < 0.99


@covers("bottom_line.attributed_lines")
def test_attributed_lines_let_a_state_media_claim_lead(tmp_path: Path, settings: Any) -> None:
    claim = news_item("tt", "Iran says foreign agents set fires in Tehran during unrest",
                 "Iranian officials said foreign agents working for the US and Israel set "
                 "fires in Tehran during the unrest on Thursday.", state_media=True,
                 publisher="Tehran Times")  # fmt: skip
    lines = [i.article_key for i in brief_of(settings, [claim, THREAT], BUNDLED).bottom_line]
    assert "tt" not in lines
    allowed = rules_file(tmp_path, bottom_line={"attributed_lines": True})
    assert "tt" in [i.article_key for i in brief_of(settings, [claim, THREAT], allowed).bottom_line]


# -- [kinds] -------------------------------------------------------------------

OPINION = news_item("op", "Iran's regime is more vulnerable than ever",
               "Iran's regime is more vulnerable than ever, but it shows no sign of relenting "
               "on the protesters in the streets.",
               "https://www.aljazeera.com/opinions/2026/1/8/iran")  # fmt: skip
FEATURE = news_item("feat", "A Gaza scholar now bakes bread to feed his family",
               "A Gaza scholar who lost his university to Israel's war now bakes bread in a "
               "tent to feed his family and neighbours.",
               "https://example.com/features/gaza-baker")  # fmt: skip


def keys_shown(articles: Sequence[Article], rules: Rules) -> set[str]:
    return {key for b in bullets_of(summarize(articles, rules)) for key in b.sources[:1]}


@covers("kinds.leave_out")
def test_leave_out_keeps_a_kind_out_of_the_memo(tmp_path: Path) -> None:
    assert "op" not in keys_shown([OPINION, THREAT], BUNDLED)
    kept = rules_file(tmp_path, kinds={"leave_out": ["analysis"]})
    assert "op" in keys_shown([OPINION, THREAT], kept)


@covers("kinds.never_lead")
def test_never_lead_keeps_a_kind_from_wording_a_story(tmp_path: Path) -> None:
    assert "feat" not in keys_shown([FEATURE, THREAT], BUNDLED)
    leads = rules_file(tmp_path, kinds={"never_lead": ["media"]})
    assert "feat" in keys_shown([FEATURE, THREAT], leads)


@covers("kinds.apart")
def test_apart_shows_a_kind_attributed(tmp_path: Path, settings: Any) -> None:
    apart = rules_file(tmp_path, kinds={"leave_out": [], "apart": ["opinion"]})
    shown = [i for i in brief_of(settings, [OPINION, THREAT], apart).items if i.article_key == "op"]
    assert shown and shown[0].attribution == "Opinion (op)"
    plain = rules_file(tmp_path, kinds={"leave_out": [], "apart": []})
    shown = [i for i in brief_of(settings, [OPINION, THREAT], plain).items if i.article_key == "op"]
    assert shown and shown[0].attribution is None


@covers("kinds.apart_attribution")
def test_apart_attribution_is_what_opens_such_a_bullet(tmp_path: Path, settings: Any) -> None:
    apart = rules_file(tmp_path, kinds={"leave_out": [], "apart": ["opinion"],
                                        "apart_attribution": "Comment by {publisher}"})  # fmt: skip
    shown = [i for i in brief_of(settings, [OPINION, THREAT], apart).items if i.article_key == "op"]
    assert shown and shown[0].attribution == "Comment by op"


@covers("kinds.opening_chars")
def test_opening_chars_is_how_much_of_an_item_the_opening_rules_read(tmp_path: Path) -> None:
    from briefer.summarize.kinds import kind_of

    article = make_article(paragraphs=("Gaza news. " * 40 + "The report analyzes the truce.",))
    assert kind_of(article, BUNDLED).kind == "news"
    wide = rules_file(tmp_path, kinds={"opening_chars": 2000})
    assert kind_of(article, wide).kind == "analysis"


@covers("kinds.state_media_attribution")
def test_state_media_attribution_is_shown_before_its_words(tmp_path: Path, settings: Any) -> None:
    claim = news_item("tt", "Iran says foreign agents set fires in Tehran during unrest",
                 "Iranian officials said foreign agents set fires in Tehran during the unrest "
                 "on Thursday.", state_media=True, publisher="Tehran Times")  # fmt: skip
    said = rules_file(tmp_path, kinds={"state_media_attribution": "{publisher}, state-run"})
    for rules, shown in (
        (BUNDLED, "Tehran Times (state media)"),
        (said, "Tehran Times, state-run"),
    ):
        brief = brief_of(settings, [claim, THREAT], rules)
        items = [i for i in brief.items if i.article_key == "tt"]
        assert items and {i.attribution for i in items} == {shown}


@covers("kinds.rule")
def test_kind_rules_decide_an_items_kind(tmp_path: Path) -> None:
    from briefer.summarize.kinds import kind_of

    article = news_item(
        "a", "Gaza diary: a week in the tents", "Gaza news.", "https://e.com/diary/x"
    )
    assert kind_of(article, BUNDLED).kind == "news"
    diary = rules_file(tmp_path, kinds={"rule": [{"kind": "feature", "link": ["/diary/"]}]})
    assert kind_of(article, diary).kind == "feature"
    assert kind_of(OPINION, diary).kind == "news"  # the bundled rules are gone


# -- [news_value] --------------------------------------------------------------


def scorer(rules: Rules, day: date = DAY) -> Scorer:
    return Scorer(rules, DAY, frozenset(), day)


@covers("news_value.development")
def test_development_cues_make_a_story_heavier(tmp_path: Path) -> None:
    text = "Trump warned Iran and ordered strikes."
    assert scorer(BUNDLED).news_value([text], None) > scorer(BUNDLED).news_value(["A day."], None)
    off = rules_file(tmp_path, news_value={"development": 0.0})
    assert scorer(off).news_value([text], None) == scorer(off).news_value(["Trump said."], None)


@covers("news_value.development_cap")
def test_development_cap_bounds_the_cues_counted(tmp_path: Path) -> None:
    many = "Israel warned, threatened, ordered, approved and announced strikes that killed."
    cap = BUNDLED.news_value.development_cap
    assert scorer(BUNDLED).news_value([many], None) == BUNDLED.news_value.development * cap
    one = rules_file(tmp_path, news_value={"development_cap": 1.0})
    assert scorer(one).news_value([many], None) == BUNDLED.news_value.development


@covers("news_value.development_terms")
def test_development_terms_are_the_cues_of_a_development(tmp_path: Path) -> None:
    text = "The committee tabled its report."
    assert scorer(BUNDLED).news_value([text], None) == 0
    tabled = rules_file(tmp_path, news_value={"development_terms": {"tabled": 1}})
    assert scorer(tabled).news_value([text], None) == BUNDLED.news_value.development


@covers("news_value.actor")
def test_actor_makes_a_story_naming_a_principal_actor_heavier(tmp_path: Path) -> None:
    assert scorer(BUNDLED).news_value(["Khamenei spoke."], None) == BUNDLED.news_value.actor
    off = rules_file(tmp_path, news_value={"actor": 0.0})
    assert scorer(off).news_value(["Khamenei spoke."], None) == 0


@covers("news_value.actor_cap")
def test_actor_cap_bounds_the_actors_counted(tmp_path: Path) -> None:
    text = "Trump, Netanyahu, Khamenei, Guterres and Rubio spoke."
    value = BUNDLED.news_value
    assert scorer(BUNDLED).news_value([text], None) == value.actor * value.actor_cap
    one = rules_file(tmp_path, news_value={"actor_cap": 1.0})
    assert scorer(one).news_value([text], None) == value.actor


@covers("news_value.actor_terms")
def test_actor_terms_are_the_principal_actors(tmp_path: Path) -> None:
    assert scorer(BUNDLED).news_value(["Mladenov spoke."], None) == 0
    named = rules_file(tmp_path, news_value={"actor_terms": {"Mladenov": 1}})
    assert scorer(named).news_value(["Mladenov spoke."], None) == BUNDLED.news_value.actor


@covers("news_value.soft")
def test_soft_news_weighs_less(tmp_path: Path) -> None:
    visit = "Actress Angelina Jolie visits the Rafah crossing."
    assert scorer(BUNDLED).news_value([visit], None) < 0
    off = rules_file(tmp_path, news_value={"soft": 0.0})
    assert scorer(off).news_value([visit], None) == 0


@covers("news_value.soft_cap")
def test_soft_cap_bounds_the_soft_cues_counted(tmp_path: Path) -> None:
    text = "Actress Angelina Jolie visits a Christmas vigil in London."
    value = BUNDLED.news_value
    assert scorer(BUNDLED).news_value([text], None) == -value.soft * value.soft_cap
    one = rules_file(tmp_path, news_value={"soft_cap": 1.0})
    assert scorer(one).news_value([text], None) == -value.soft


@covers("news_value.soft_terms")
def test_soft_terms_are_the_cues_of_soft_news(tmp_path: Path) -> None:
    assert scorer(BUNDLED).news_value(["A fashion show."], None) == 0
    fashion = rules_file(tmp_path, news_value={"soft_terms": {"fashion": 1}})
    assert scorer(fashion).news_value(["A fashion show."], None) == -BUNDLED.news_value.soft


@covers("news_value.fresh")
def test_fresh_makes_a_story_of_the_editions_day_heavier(tmp_path: Path) -> None:
    today = scorer(BUNDLED, DAY).news_value(["A day."], DAY)
    assert today == BUNDLED.news_value.fresh > 0
    off = rules_file(tmp_path, news_value={"fresh": 0.0})
    assert scorer(off, DAY).news_value(["A day."], DAY) == 0


@covers("news_value.fresh_days")
def test_fresh_days_is_how_far_back_fresh_reaches(tmp_path: Path) -> None:
    later = DAY + timedelta(days=3)
    assert scorer(BUNDLED, later).news_value(["A day."], DAY) == 0
    wide = rules_file(tmp_path, news_value={"fresh_days": 3})
    assert scorer(wide, later).news_value(["A day."], DAY) == BUNDLED.news_value.fresh


# -- [questions] ---------------------------------------------------------------

UNCLEAR = news_item(
    "unclear", "Iran protests: exact toll unclear as internet blackout continues",
    "Rights groups say dozens have been killed in the crackdown on protests across Iran",
)  # fmt: skip
PENDING = news_item(
    "pending", "Israel plans new Gaza City operation in March",
    "Israel's military is drawing up plans for a new ground operation in Gaza City in March. "
    "Any such operation will need okay from Trump, officials said.",
)  # fmt: skip


def open_texts(settings: Any, articles: Sequence[Article], rules: Rules) -> list[str]:
    brief = brief_of(settings, articles, rules)
    return [i.text for s in brief.sections if s.key == "open_questions" for i in s.items]


@covers("questions.section")
def test_questions_section_is_where_they_are_shown(tmp_path: Path, settings: Any) -> None:
    assert open_texts(settings, [UNCLEAR, THREAT], BUNDLED)
    none = rules_file(tmp_path, questions={"section": "iran"})
    brief = brief_of(settings, [UNCLEAR, THREAT], none)
    assert not [i for s in brief.sections if s.key == "open_questions" for i in s.items]
    assert any("unclear" in i.text for i in brief.items)


@covers("questions.max_entries")
def test_max_entries_bounds_the_entries(tmp_path: Path, settings: Any) -> None:
    assert len(open_texts(settings, [UNCLEAR, PENDING, THREAT], BUNDLED)) == 2
    one = rules_file(tmp_path, questions={"max_entries": 1})
    assert len(open_texts(settings, [UNCLEAR, PENDING, THREAT], one)) == 1


@covers("questions.budget_share")
def test_budget_share_keeps_words_for_the_questions(tmp_path: Path) -> None:
    from briefer.summarize.questions import Question

    stories = []
    for n in range(5):  # 25 words a bullet, each its own words
        words = " ".join(f"w{n}x{i}" for i in range(24))
        bullet = text(n, f"Gaza {words}.", cue=5.0 - n * 0.1)
        stories.append(Ranked(n, Story((told(bullet),), {}), 10.0 - n, bullet, None, True,
                              (bullet.origin,), DAY))  # fmt: skip
    origin = Origin(9, "q", "q", DAY)
    asked = (Question("It is unclear whether the Gaza truce will hold.", (origin,), 0, -1, 1.0,
                      "states something unresolved"),)  # fmt: skip
    no_line = {"max_items": 0, "min_items": 0}

    def shown(share: float) -> tuple[int, ...]:
        rules = rules_file(tmp_path, questions={"budget_share": share}, bottom_line=no_line)
        return fill(stories, rules, 100, DAY, asked).questions

    assert BUNDLED.questions.budget_share >= 0.1
    assert shown(BUNDLED.questions.budget_share) == (0,)
    assert shown(0.0) == ()  # four bullets take the 100 words


@covers("questions.max_per_story")
def test_max_per_story_bounds_the_entries_of_one_story(tmp_path: Path, settings: Any) -> None:
    two = news_item("two", "Iran protests: toll unclear, and no official word on arrests",
               "It is unclear how many have died in the protests across Iran. Officials have "
               "not confirmed how many people were arrested in the crackdown.")  # fmt: skip
    assert len(open_texts(settings, [two, THREAT], BUNDLED)) == 2
    one = rules_file(tmp_path, questions={"max_per_story": 1})
    assert len(open_texts(settings, [two, THREAT], one)) == 1


@covers("questions.min_words")
def test_min_words_is_the_shortest_entry(tmp_path: Path, settings: Any) -> None:
    assert open_texts(settings, [UNCLEAR, THREAT], BUNDLED)
    long = rules_file(tmp_path, questions={"min_words": 30})
    assert not open_texts(settings, [UNCLEAR, THREAT], long)


@covers("questions.max_words")
def test_max_words_takes_the_cues_clause_of_a_long_sentence(tmp_path: Path, settings: Any) -> None:
    whole = UNCLEAR.headline
    assert whole in open_texts(settings, [UNCLEAR, THREAT], BUNDLED)
    short = rules_file(tmp_path, questions={"max_words": 8})
    assert "exact toll unclear as internet blackout continues" in open_texts(
        settings, [UNCLEAR, THREAT], short
    )


@covers("questions.pending")
def test_pending_makes_a_decision_pending_a_question(tmp_path: Path, settings: Any) -> None:
    asked = "Any such operation will need okay from Trump, officials said."
    assert asked in open_texts(settings, [PENDING, THREAT], BUNDLED)
    none = rules_file(tmp_path, questions={"pending": []})
    assert asked not in open_texts(settings, [PENDING, THREAT], none)


@covers("questions.figure")
def test_figures_that_differ_across_one_story_are_an_entry(tmp_path: Path, settings: Any) -> None:
    a = news_item("a", "At least 51 killed in Iran protests, rights group says",
             "At least 51 people have been killed in the protests across Iran, a rights group "
             "said on Thursday.")  # fmt: skip
    b = news_item("b", "At least 35 killed in Iran protests, rights group says",
             "At least 35 people have been killed in the protests across Iran, a rights group "
             "said on Thursday.")  # fmt: skip
    assert "Death toll" in open_texts(settings, [a, b], BUNDLED)
    none = rules_file(tmp_path, questions={"figure": []})
    assert "Death toll" not in open_texts(settings, [a, b], none)


@covers("questions.max_ratio")
def test_max_ratio_keeps_a_running_total_from_one_strikes_toll(
    tmp_path: Path, settings: Any
) -> None:
    strike = news_item("a", "Israeli strikes kill 13 in Gaza, civil defence says",
                  "Israeli strikes killed at least 13 people across Gaza on Thursday, the "
                  "civil defence agency said.")  # fmt: skip
    total = news_item("b", "Israeli strikes on Gaza go on as truce violations mount",
                 "Israeli strikes across Gaza on Thursday killed at least 425 Palestinians "
                 "since the ceasefire, the health ministry said.")  # fmt: skip
    ratio = BUNDLED.questions.max_ratio
    assert 1 < ratio < 425 / 13
    assert "Death toll" not in open_texts(settings, [strike, total], BUNDLED)
    wide = rules_file(tmp_path, questions={"max_ratio": 50.0})
    assert "Death toll" in open_texts(settings, [strike, total], wide)


@covers("questions.running_total")
def test_running_total_marks_a_toll_that_tells_another_event(tmp_path: Path, settings: Any) -> None:
    day = news_item("day", "Israeli strikes kill 3 in Gaza, civil defence agency says",
                    "Israeli strikes killed three Palestinians across Gaza on Thursday, the "
                    "civil defence agency said.")  # fmt: skip
    total = news_item("total", "Israeli strikes in Gaza have killed 414 Palestinians",
                      "Israeli strikes across Gaza have killed at least 414 Palestinians "
                      "since the ceasefire, the civil defence agency said.")  # fmt: skip

    def together(rules: Rules) -> bool:
        brief = brief_of(settings, [day, total], rules)
        number = {s.article_key: s.number for s in brief.sources}
        return any({number.get("day"), number.get("total")} <= set(i.sources)
                   for i in brief.items)  # fmt: skip

    assert not together(BUNDLED)
    assert together(rules_file(tmp_path, questions={"running_total": []}))


EGYPT = news_item("egypt", "Egypt to present Gaza committee names to PA",
             "Egypt is expected to present the Palestinian leadership with proposed names "
             "for a technocratic committee to administer Gaza.")  # fmt: skip


@covers("questions.move_bullets")
def test_move_bullets_tells_a_pending_story_among_the_open_questions(
    tmp_path: Path, settings: Any
) -> None:
    pending = EGYPT
    asked = pending.paragraphs[0]
    no_line = {"max_items": 0, "min_items": 0}

    def where(rules: Rules) -> list[str]:
        brief = brief_of(settings, [pending, THREAT, STRIKES], rules)
        return [s.key for s in brief.sections for i in s.items if i.text == asked]

    assert BUNDLED.questions.move_bullets
    assert where(rules_file(tmp_path, bottom_line=no_line)) == ["open_questions"]
    stays = rules_file(tmp_path, questions={"move_bullets": False}, bottom_line=no_line)
    assert where(stays) == ["gaza"]


@covers("questions.novelty")
def test_novelty_keeps_a_storys_second_entry_only_when_it_asks_something_else(
    tmp_path: Path, settings: Any
) -> None:
    one = EGYPT
    two = news_item("two", "Egypt expected to name Gaza technocrats for PA review",
               "Egypt is expected to present names for a Gaza technocratic committee to the "
               "Palestinian leadership this week, officials said.")  # fmt: skip

    def egypt(rules: Rules) -> list[str]:
        return [t for t in open_texts(settings, [one, two, THREAT], rules) if "Egypt" in t]

    assert 0 < BUNDLED.questions.novelty <= 0.5
    assert len(egypt(BUNDLED)) == 1
    assert len(egypt(rules_file(tmp_path, questions={"novelty": 0.0}))) == 2
