"""Reading article files: furniture, metadata, bad files, duplicates."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest

from briefer.errors import ConfigError
from briefer.sources.files import SidecarEntry, parse_article, read_folder, read_sidecar

from .helpers import SEEDS

LIMIT = 10_000_000


def test_seed_furniture_goes_to_metadata() -> None:
    articles = {a.key: a for a in read_folder(SEEDS, LIMIT)}
    assert len(articles) == 5
    afp = articles["001_30012bab7c4b44cb.txt"]
    assert afp.author == "Danny KEMP"
    assert afp.publisher == "AFP"
    assert afp.paragraphs[-1].startswith("On Tuesday, the military said")
    assert "'No guarantees'" not in afp.paragraphs
    assert "Unrest in West Bank" not in afp.paragraphs
    dated = articles["002_fe643504d8637f7e.txt"]
    assert dated.published == date(2025, 1, 29)
    assert dated.paragraphs[0].startswith("Israeli Prime Minister Benjamin Netanyahu has been")
    assert "Ceasefire Deal and Continued Tensions" not in dated.paragraphs
    headline = articles["003_ab162cb01a602c56.txt"]
    assert headline.title is not None and headline.title.startswith("Netanyahu’s Upcoming Visit")
    assert not any(p.startswith("As Israeli") for p in headline.paragraphs)  # the standfirst
    assert headline.paragraphs[0].startswith("Israeli Prime Minister Benjamin Netanyahu is")


def test_date_line_without_sidecar() -> None:
    article = parse_article("x.txt", "date 2025-03-01\nA ceasefire held.", SidecarEntry())
    assert article.published == date(2025, 3, 1)
    assert article.paragraphs == ("A ceasefire held.",)


def test_sidecar_wins_over_file_and_extra_notes_are_allowed(tmp_path: Path) -> None:
    (tmp_path / "sources.toml").write_text(
        '["a.txt"]\npublished = 2025-01-02\npublisher = "Wire"\nbasis = "note"\n'
        'url = "https://example.org/a"\n',
        encoding="utf-8",
    )
    (tmp_path / "a.txt").write_text("date 2024-01-01 The truce held in Gaza today.\n")
    [article] = read_folder(tmp_path, LIMIT)
    assert article.published == date(2025, 1, 2)
    assert article.publisher == "Wire"
    assert article.url == "https://example.org/a"


def test_sidecar_unsafe_url_and_unknown_field_warn(tmp_path: Path, caplog) -> None:
    path = tmp_path / "sources.toml"
    path.write_text('["a.txt"]\nurl = "javascript:alert(1)"\ncolour = "red"\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="briefer"):
        entries = read_sidecar(path)
    assert entries["a.txt"].url is None
    assert "unknown field(s) ignored: colour" in caplog.text
    assert "only http(s) links are kept" in caplog.text


def test_broken_sidecar_is_a_warning(tmp_path: Path, caplog) -> None:
    (tmp_path / "sources.toml").write_text("not = [valid", encoding="utf-8")
    (tmp_path / "a.txt").write_text("The truce held in Gaza today, officials said.\n")
    with caplog.at_level(logging.WARNING, logger="briefer"):
        assert len(read_folder(tmp_path, LIMIT)) == 1
    assert "sources.toml: ignored, not readable TOML" in caplog.text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "skipped: empty file"),
        (b"   \n\n", "skipped: empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "skipped: binary file, not text"),
    ],
)
def test_unusable_files_are_skipped_with_a_warning(
    tmp_path: Path, caplog, content: bytes, message: str
) -> None:
    (tmp_path / "bad.txt").write_bytes(content)
    (tmp_path / "good.txt").write_text("The truce held in Gaza today, officials said.\n")
    with caplog.at_level(logging.WARNING, logger="briefer"):
        articles = read_folder(tmp_path, LIMIT)
    assert [a.key for a in articles] == ["good.txt"]
    assert f"bad.txt: {message}" in caplog.text


def test_huge_file_is_skipped(tmp_path: Path, caplog) -> None:
    (tmp_path / "huge.txt").write_bytes(b"word " * 2_200_000)  # 11 MB
    with caplog.at_level(logging.WARNING, logger="briefer"):
        assert read_folder(tmp_path, LIMIT) == []
    assert "huge.txt: skipped: 11.0 MB is over the 10.0 MB limit" in caplog.text


def test_bad_utf8_is_read_best_effort(tmp_path: Path, caplog) -> None:
    (tmp_path / "latin.txt").write_bytes(
        "The truce cost £5 million, officials said.".encode("cp1252")
    )
    with caplog.at_level(logging.WARNING, logger="briefer"):
        [article] = read_folder(tmp_path, LIMIT)
    assert article.paragraphs == ("The truce cost £5 million, officials said.",)
    assert (
        "latin.txt: not valid UTF-8 (byte 0xa3 at offset 15); read as Windows-1252" in caplog.text
    )


def test_control_characters_are_removed(tmp_path: Path, caplog) -> None:
    (tmp_path / "ctl.txt").write_text("The truce\x07 held in Gaza\ufffe today.\x0b\n")
    with caplog.at_level(logging.WARNING, logger="briefer"):
        [article] = read_folder(tmp_path, LIMIT)
    assert article.paragraphs == ("The truce held in Gaza today.",)
    assert "ctl.txt: control characters removed" in caplog.text


def test_identical_articles_count_once(tmp_path: Path, caplog) -> None:
    text = "The truce held in Gaza today, officials said.\n"
    (tmp_path / "a.txt").write_text(text)
    (tmp_path / "b.md").write_text(text.replace("  ", " "))
    with caplog.at_level(logging.WARNING, logger="briefer"):
        assert [a.key for a in read_folder(tmp_path, LIMIT)] == ["a.txt"]
    assert "b.md: same text as" in caplog.text


def test_markdown_files_lose_their_markup(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        "# Truce news\n\nThe **truce** held in [Gaza](https://x.org) today, officials said.\n"
    )
    [article] = read_folder(tmp_path, LIMIT)
    assert article.title == "Truce news"
    assert article.paragraphs == ("The truce held in Gaza today, officials said.",)


def test_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="seeds folder not found"):
        read_folder(tmp_path / "nope", LIMIT)


def test_links_out_of_the_folder_are_skipped(tmp_path: Path, caplog) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("The truce held in Gaza today, the secret file said.\n")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "good.txt").write_text("Hamas freed hostages under the truce, officials said.\n")
    (seeds / "inside.txt").symlink_to(seeds / "good.txt")
    (seeds / "link.txt").symlink_to(outside)
    with caplog.at_level(logging.WARNING, logger="briefer"):
        keys = [a.key for a in read_folder(seeds, LIMIT)]
    assert keys == ["good.txt"]  # the inside link is the same text: counted once
    assert f"{seeds / 'link.txt'}: skipped: a link to a file outside {seeds}" in caplog.text
