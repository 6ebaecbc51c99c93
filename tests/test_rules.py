"""The rules file: validation, compilation, and each rule's basic cases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefer.errors import ConfigError
from briefer.rules import load_rules
from briefer.rules.needles import NeedleIndex, needles

from .helpers import ROOT, make_article, summarize

RULES = ROOT / "config" / "rules.toml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


SIMPLE = """
[[sections]]
key = "gaza"
title = "Gaza"
min_score = 2
terms = { "truce" = 2, "hostage*" = 1 }
exclude = ['\\bcricket\\b']
"""


def test_bundled_rules_load_in_order() -> None:
    rules = load_rules(RULES)
    assert [s.rule.key for s in rules.sections] == [
        "gaza",
        "iran",
        "normalization",
        "open_questions",
        "elsewhere",
    ]
    assert [s.rule.key for s in rules.shown] == ["gaza", "iran", "normalization", "open_questions"]


def test_terms_count_once_and_prefix_matches(tmp_path: Path) -> None:
    rules = load_rules(write(tmp_path, SIMPLE))
    assert rules.section_scores("The truce, the truce, the truce.") == (2.0,)
    assert rules.section_scores("Hostages and a hostage deal.") == (1.0,)
    assert rules.section_scores("Truces are rare.") == (0.0,)  # whole word without *
    assert rules.section_scores("") == (0.0,)


def test_exclusion_vetoes_a_section(tmp_path: Path) -> None:
    rules = load_rules(write(tmp_path, SIMPLE))
    assert rules.section_scores("A truce in the cricket league.") == (0.0,)


def test_requires_topic_is_judged_on_the_item_not_the_sentence() -> None:
    # The rules score the text; whether its item is on a topic is the engine's
    # call (see test_topics.test_open_questions_need_an_item_on_a_topic).
    rules = load_rules(RULES)
    scores = dict(
        zip(
            rules.keys,
            rules.section_scores("It is unclear whether the Gaza truce holds."),
            strict=True,
        )
    )
    (questions,) = [s.rule for s in rules.sections if s.rule.key == "open_questions"]
    assert scores["open_questions"] >= questions.min_score
    assert [s.rule.key for s in rules.sections if s.rule.requires_topic] == ["open_questions"]


def test_user_can_add_a_section_by_editing_the_file(tmp_path: Path) -> None:
    text = RULES.read_text(encoding="utf-8") + (
        '\n[[sections]]\nkey = "lebanon"\ntitle = "Lebanon"\nlimit = 3\nmin_score = 2.0\n'
        '[sections.terms]\n"Lebanon" = 2.0\n"Hezbollah" = 2.0\n"Beirut" = 2.0\n'
    )
    rules = load_rules(write(tmp_path, text))
    assert rules.sections[-1].rule.title == "Lebanon"
    assert rules.section_scores("Strikes hit Beirut overnight.")[-1] == 2.0


def test_bad_regex_names_the_rule(tmp_path: Path) -> None:
    path = write(tmp_path, SIMPLE + "patterns = { '(unclosed' = 1 }\n")
    with pytest.raises(ConfigError) as err:
        load_rules(path)
    assert str(err.value).startswith(
        f"{path}: section 'gaza': patterns: bad regular expression '(unclosed': "
    )


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[sections]]\nkey = "gaza"\ntitle = "Gaza"\nterms = { "truce" = 2 }\ncolour = "red"\n'
        '[[sections]]\nkey = "iran"\ntitle = "Iran"\nlimit = -1\n',
    )
    with pytest.raises(ConfigError) as err:
        load_rules(path)
    assert err.value.lines == (
        f"{path}: section 'gaza': colour: unknown key",
        f"{path}: section 'iran': limit: Input should be greater than or equal to 0 (got -1)",
        f"{path}: section 'iran': needs at least one entry in terms or patterns",
    )


def test_mistakes_across_sections_come_with_the_fields_mistakes(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[sections]]\nkey = "gaza"\ntitle = "Gaza"\nsink = true\nlimit = "x"\n'
        "terms = { truce = 1 }\nexclude = ['(']\n"
        '[[sections]]\nkey = "gaza"\ntitle = " GAZA"\nrequires_topic = true\n',
    )
    with pytest.raises(ConfigError) as err:
        load_rules(path)
    assert err.value.lines == (
        f"{path}: section 'gaza': limit: Input should be a valid integer, unable to parse "
        "string as an integer (got 'x')",
        f"{path}: section 'gaza': exclude: bad regular expression '(': missing ) at position 1",
        f"{path}: section 'gaza': needs at least one entry in terms or patterns",
        f"{path}: section keys must be unique: gaza",
        f"{path}: section titles must be unique: ' GAZA', 'Gaza'",
        f"{path}: at least one section must be a shown topic section",
    )


def test_section_without_cues(tmp_path: Path) -> None:
    path = write(tmp_path, '[[sections]]\nkey = "iran"\ntitle = "Iran"\n')
    with pytest.raises(ConfigError) as err:
        load_rules(path)
    assert err.value.lines == (
        f"{path}: section 'iran': needs at least one entry in terms or patterns",
    )


def test_missing_and_invalid_files(tmp_path: Path) -> None:
    with pytest.raises(
        ConfigError, match=re.escape(f"{tmp_path / 'no.toml'}: rules file not found")
    ):
        load_rules(tmp_path / "no.toml")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_rules(write(tmp_path, "[[sections]\n"))
    with pytest.raises(ConfigError, match="sections: Field required"):
        load_rules(write(tmp_path, "[scoring]\nlead = 1\n"))


def test_duplicate_section_keys(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="section keys must be unique: gaza"):
        load_rules(write(tmp_path, SIMPLE + SIMPLE))


def test_a_minimal_rules_file_keeps_attribution_and_sets_no_quota(tmp_path: Path) -> None:
    rules = load_rules(
        write(tmp_path, '[[sections]]\nkey = "gaza"\ntitle = "Gaza"\nterms = { "truce" = 2 }\n')
    )
    said = "The truce in the south held through the night for a third week, officials said."
    stories = [
        ("Truce holds in the south", said),
        ("Truce monitors arrive in the capital",
         "Forty truce monitors from Norway arrived in the capital on Tuesday by plane."),
        ("Farmers return to fields under truce",
         "Farmers returned to olive groves near the border as the truce allowed harvests."),
        ("Schools reopen in twelve districts during truce",
         "Schools reopened in twelve districts during the truce, teachers reported on Monday."),
        ("Truce lets fishermen sail again",
         "Fishermen sailed beyond the harbour for the first time since the truce began."),
        ("Banks extend hours amid truce",
         "Banks extended opening hours in market towns as the truce brought shoppers back."),
    ]  # fmt: skip
    articles = [
        make_article(key=f"s{n}", headline=head, title=head, paragraphs=(text,))
        for n, (head, text) in enumerate(stories)
    ]
    (gaza,) = summarize(articles, rules).sections
    texts = [b.text for b in gaza[1]]
    assert said in texts  # the attribution stays: a claim is not stated as fact
    assert len(texts) == len(stories)  # no quota: every story that fits is shown


def test_retired_keys_say_what_replaced_them(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "[scoring]\ncorroboration = 1.5\nlimit_words = 450\nspecifcs = 1\n"
        '[[sections]]\nkey = "gaza"\ntitle = "Gaza"\nterms = { "truce" = 2 }\n',
    )
    with pytest.raises(ConfigError) as err:
        load_rules(path)
    text = "\n".join(err.value.lines)
    assert "scoring.corroboration: no longer used: use scoring.publishers" in text
    assert "scoring.limit_words: no longer used" in text
    assert "scoring.specifcs: unknown key (did you mean 'specifics'?)" in text


def test_knobs_that_did_nothing_are_retired(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "[scoring]\nvague_penalty = 0\nsection_decay = 1\nlength_penalty = 0\n"
        '[[sections]]\nkey = "gaza"\ntitle = "Gaza"\nterms = { "truce" = 2 }\n',
    )
    with pytest.raises(ConfigError) as err:
        load_rules(path)
    told = sorted(line.split(": ")[1] for line in err.value.lines)
    assert told == ["scoring.length_penalty", "scoring.section_decay", "scoring.vague_penalty"]
    assert all("no longer used: removed" in line for line in err.value.lines)


def test_weights_must_be_finite_and_titles_unique(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[sections]]\nkey = "gaza"\ntitle = "Gaza"\nmin_score = inf\nterms = { "truce" = nan }\n'
        '[[sections]]\nkey = "gaza2"\ntitle = "Gaza"\nterms = { "truce" = 1 }\n',
    )
    with pytest.raises(ConfigError) as err:
        load_rules(path)
    text = "\n".join(err.value.lines)
    assert "min_score: Input should be a finite number" in text
    assert "terms.truce: Input should be a finite number" in text
    twice = write(
        tmp_path,
        '[[sections]]\nkey = "gaza"\ntitle = "Gaza"\nterms = { "truce" = 1 }\n'
        '[[sections]]\nkey = "gaza2"\ntitle = "Gaza"\nterms = { "truce" = 1 }\n',
    )
    with pytest.raises(ConfigError, match="section titles must be unique: 'Gaza'"):
        load_rules(twice)


def test_new_scoring_fields_are_validated(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "[scoring]\nlength_penalty = 3\ncommon_name_share = 0\n"
        '[[sections]]\nkey = "gaza"\ntitle = "Gaza"\nterms = { "truce" = 2 }\n',
    )
    with pytest.raises(ConfigError) as err:
        load_rules(path)
    assert sorted(line.split(": ")[1] for line in err.value.lines) == [
        "scoring.common_name_share",
        "scoring.length_penalty",
    ]


def test_require_any_gates_a_section(tmp_path: Path) -> None:
    text = SIMPLE.replace("exclude = ", "require_any = ['\\bGaza\\b']\nexclude = ")
    rules = load_rules(write(tmp_path, text))
    assert rules.section_scores("The truce held in Gaza.") == (2.0,)
    assert rules.section_scores("The truce held in Sudan.") == (0.0,)
    bad = write(tmp_path, SIMPLE + "require_any = ['(']\n")
    with pytest.raises(ConfigError, match="section 'gaza': require_any: bad regular expression"):
        load_rules(bad)


def test_iran_needs_a_policy_cue_not_a_dateline() -> None:
    rules = load_rules(RULES)
    iran = [s.rule.key for s in rules.sections].index("iran")
    dateline = "TEHRAN – Iran’s rail cargo transport rose 12 percent in eight months."
    assert rules.section_scores(dateline)[iran] < rules.sections[iran].rule.min_score
    policy = "Iran expanded uranium enrichment at its nuclear sites, the IAEA said."
    assert rules.section_scores(policy)[iran] >= rules.sections[iran].rule.min_score
    other = "Kim underscores need to bolster the North's nuclear deterrent."
    assert rules.section_scores(other)[iran] == 0.0


def test_normalization_needs_israel_in_the_sentence() -> None:
    rules = load_rules(RULES)
    keys = [s.rule.key for s in rules.sections]
    norm = keys.index("normalization")
    yemen = "Saudi Arabia invites Yemen's southern factions to a dialogue in Riyadh."
    assert rules.section_scores(yemen)[norm] == 0.0
    ties = "Trump will press Israel to normalise relations with Saudi Arabia."
    assert rules.section_scores(ties)[norm] >= rules.sections[norm].rule.min_score


def test_needles_of_patterns() -> None:
    assert needles(r"\bphase\s+(1|2|one|two)\b") == frozenset({"phase"})
    assert needles(r"\b\d[\d,.]*\s+(hostages|people)\b") == frozenset({"hostages", "people"})
    assert needles(r"\bU\.S\.") == frozenset({"u.s"})  # a trimmed full stop may be added
    assert needles(r"\w+") is None
    assert needles(r"(a|\d)") is None
    assert needles(r"(?P<name>hostage)s?|captive") == frozenset({"hostage", "captive"})
    assert needles(r"(?<=the )truce") == frozenset({"truce"})  # a look-behind is not required text
    assert needles(r"[[:alpha:]]+ truce") == frozenset({" truce"})  # a POSIX class reads a letter
    # What is not read here has no needles, so it is searched everywhere: a fuzzy match
    # (regex reads "{e<=1}" as "with one error"), inline flags, back-references.
    assert needles(r"truce{e<=1}") is None
    assert needles(r"(?x) truce") is None
    assert needles(r"(truce) \1") is None


def test_only_patterns_whose_needles_a_text_holds_are_tried() -> None:
    junk = load_rules(RULES).junk
    index = NeedleIndex(junk)
    tried = index.worth_trying("Watch: the ceasefire explained")
    assert [junk[i].pattern[:12] for i in tried] == ["^(photos?|pi"]
    assert index.worth_trying("Hostages freed in Gaza") == []
    # Text that lower-casing cannot stand for (a long s) is tried with every pattern.
    assert index.worth_trying("Ceaſefire") == list(range(len(junk)))
