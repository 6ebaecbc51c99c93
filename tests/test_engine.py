"""The engine end to end on small inputs and on the seeds."""

from __future__ import annotations

from pathlib import Path

from briefer.brief import build_brief
from briefer.rules import load_rules
from briefer.sources.files import read_folder
from briefer.summarize.words import content_words, overlap

from .helpers import bullets_of, make_article, summarize


def test_seed_memo_properties(settings) -> None:
    brief = build_brief(settings())
    rules = load_rules(settings().rules_file)
    assert 2 <= len(brief.bottom_line) <= rules.bottom_line.max_items
    assert [s.title for s in brief.sections] == [
        "Gaza ceasefire",
        "Iran",
        "Regional normalization",
        "Open questions",
    ]
    assert all(s.items for s in brief.sections)
    assert brief.body_words <= settings().budget_words
    texts = [i.text for i in brief.items]
    assert len(texts) == len(set(texts))
    for item in brief.items:
        words = content_words(item.text)
        for other in brief.items:
            if other is not item:
                assert overlap(words, content_words(other.text))[0] < 0.6
        assert not item.text.startswith(("But ", "However", "He ", "It "))
    # Sources are numbered in order of first citation.
    cited: list[int] = []
    for item in brief.items:
        cited.extend(n for n in item.sources if n not in cited)
    assert cited == sorted(cited) == [s.number for s in brief.sources]


def test_every_bullet_is_the_sources_own_words(settings) -> None:
    brief = build_brief(settings())
    articles = read_folder(settings().seeds_dir, 10**7)
    bodies = {a.key: " ".join((*a.paragraphs, a.headline or "")) for a in articles}
    assert brief.items
    for item in brief.items:
        body = bodies[item.article_key]
        text = item.text
        assert text in body or (text[0].lower() + text[1:]) in body, text


def test_explain_gives_every_sentence_a_verdict(settings) -> None:
    brief = build_brief(settings(), explain=True)
    kept = [d for d in brief.decisions if d.kept]
    assert {(d.article_key, d.sentence_index) for d in kept} >= {
        (i.article_key, i.sentence_index) for i in brief.items
    }
    assert not [d for d in brief.decisions if d.reason == "candidate"]
    # One verdict per body sentence read, each saying why.
    body = [(d.article_key, d.sentence_index) for d in brief.decisions if d.sentence_index >= 0]
    assert brief.sentences > 0 and len(body) == len(set(body)) == brief.sentences
    assert all(d.reason for d in brief.decisions)
    assert any(d.reason.startswith("same story as") for d in brief.decisions)


def test_headline_stands_in_when_the_body_is_cut_short() -> None:
    article = make_article(
        headline="Israeli strikes kill 13 in Gaza despite the ceasefire, civil defence says",
        title="Israeli strikes kill 13 in Gaza despite the ceasefire, civil defence says",
        paragraphs=("Rescuers said the bodies of five children were among those pulled from the",),
    )
    kept = bullets_of(summarize([article]))
    assert [b.text for b in kept] == [
        "Israeli strikes kill 13 in Gaza despite the ceasefire, civil defence says"
    ]
    assert kept[0].headline and kept[0].sentence_index == -1


def test_a_title_from_metadata_is_not_a_headline(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "Israeli strikes kill 13 in Gaza despite the ceasefire\n\n"
        "Rescuers said the bodies of five children were among those pulled from the\n",
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text("Rescuers searched the rubble on Thursday.\n", encoding="utf-8")
    (tmp_path / "sources.toml").write_text('["b.txt"]\ntitle = "A title someone typed"\n')
    a, b = read_folder(tmp_path, 1_000_000)
    assert a.headline == a.title == "Israeli strikes kill 13 in Gaza despite the ceasefire"
    assert b.title == "A title someone typed" and b.headline is None


def test_off_topic_items_are_never_cited(settings) -> None:
    off = [
        make_article(key="fx", headline="Shares rise as markets rally",
                     paragraphs=("Shares in the carmaker rose 4% on Monday after strong sales.",)),
        make_article(key="sport", headline="Saudi-hosted Super Cup final set",
                     paragraphs=("Barcelona face Real Madrid in the final in Riyadh.",)),
    ]  # fmt: skip
    on = make_article(key="gaza", paragraphs=("Hamas freed 18 hostages under the Gaza truce.",))
    brief = build_brief(settings(), articles=[*off, on])
    assert {s.article_key for s in brief.sources} == {"gaza"}
    assert brief.articles == 3
