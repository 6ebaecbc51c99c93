"""Feed categories: a feed that files an item under Opinion or Video says what kind it is."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from briefer.sources.feedparse import MAX_CATEGORIES, parse_feed
from briefer.sources.store import FeedStore, NewItem

from .clirun import run_briefer
from .feedserver import FeedServer, rfc822, rss

AS_OF = "2026-01-06T07:00:00+00:00"
NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)

ITEMS = [
    {
        "title": "Israel reopens Rafah crossing for medical evacuations",
        "link": "https://news.example/news/rafah",
        "guid": "https://news.example/news/rafah",
        "description": "Israel reopened the Rafah crossing on Monday for medical evacuations "
        "from Gaza, the army said, as ceasefire talks resumed in Cairo.",
        "pubDate": rfc822("2026-01-05T09:00"),
        "category": "Middle East",
    },
    {
        # Nothing in its link, headline or opening says it is comment: only its category.
        "title": "The Gaza ceasefire is failing its people",
        "link": "https://news.example/2026/jan/05/gaza-ceasefire-failing",
        "guid": "https://news.example/2026/jan/05/gaza-ceasefire-failing",
        "description": "The Gaza ceasefire has turned into a slow siege, and the mediators in "
        "Cairo are pretending otherwise while aid trucks wait at Rafah.",
        "pubDate": rfc822("2026-01-05T10:00"),
        "category": "World news\nOpinion",
    },
]


def test_a_feeds_category_decides_an_items_kind(tmp_path: Path, feed_server: FeedServer) -> None:
    url = feed_server.add("/world.xml", rss(ITEMS, title="World | Example News"))
    desk = tmp_path / "desk"
    assert run_briefer("init", str(desk), "-q").returncode == 0
    with (desk / "config" / "briefer.toml").open("a", encoding="utf-8") as handle:
        handle.write(f'\n[[feeds]]\nurl = "{url}"\n')
    made = run_briefer("make", "--as-of", AS_OF, cwd=desk)
    assert made.returncode == 0, made.stderr
    memo = (desk / "out" / "latest.md").read_text(encoding="utf-8")
    assert "reopened the Rafah crossing" in memo or "reopens Rafah crossing" in memo
    assert "slow siege" not in memo and "failing its people" not in memo
    explained = run_briefer("explain", "--as-of", AS_OF, cwd=desk)
    assert explained.returncode == 0, explained.stderr
    assert "[opinion: category 'Opinion' matches" in explained.stdout
    assert "item left out: opinion (category 'Opinion' matches" in explained.stdout
    assert "[news: no kind rule matched]" in explained.stdout


def test_categories_are_read_as_the_feed_names_them_and_bounded() -> None:
    many = "".join(f'<category term="t{n}" label="Label {n}"/>' for n in range(50))
    atom = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id>'
        "<updated>2026-01-05T09:00:00Z</updated>"
        '<entry><id>urn:a:1</id><title>One</title><updated>2026-01-05T09:00:00Z</updated>'
        '<category term="commentisfree" label="Opinion"/><summary>Text.</summary></entry>'
        f"<entry><id>urn:a:2</id><title>Two</title><updated>2026-01-05T09:00:00Z</updated>"
        f"{many}<summary>Text.</summary></entry>"
        "</feed>"
    ).encode()
    first, second = parse_feed(atom, url="https://news.example/atom").items
    assert first.categories == ("Opinion", "commentisfree")
    assert len(second.categories) == MAX_CATEGORIES
    assert second.categories[:2] == ("Label 0", "t0")
    plain = rss([{**ITEMS[1], "category": "  World   news \nOpinion"}])
    (item,) = parse_feed(plain, url="https://news.example/rss").items
    assert item.categories == ("World news", "Opinion")


def test_a_store_written_before_categories_gains_them(tmp_path: Path) -> None:
    path = tmp_path / "feeds.sqlite"
    with FeedStore.open(path) as store:
        store.save_feed("https://news.example/f", [_item(())], **_fetch())
    with sqlite3.connect(path) as db:  # as an earlier briefer wrote it: no categories column
        db.execute("ALTER TABLE items DROP COLUMN categories")
    with FeedStore.open(path) as store:
        (old,) = store.items_between(["https://news.example/f"], NOW.replace(day=1), NOW)
        assert old.categories == ()
        # The next fetch brings the item again, unchanged, now with its categories.
        assert store.save_feed("https://news.example/f", [_item(("Opinion",))], **_fetch()) == 0
        (again,) = store.items_between(["https://news.example/f"], NOW.replace(day=1), NOW)
    assert again.categories == ("Opinion",)


def _item(categories: tuple[str, ...]) -> NewItem:
    return NewItem(
        item_id="https://news.example/a", guid="https://news.example/a",
        link="https://news.example/a", title="A", summary="Text.", published=NOW,
        content_hash="same", categories=categories,
    )  # fmt: skip


def _fetch() -> dict:
    return {"now": NOW, "title": "F", "publisher": "F", "status": "ok", "error": None,
            "etag": None, "last_modified": None}  # fmt: skip


def test_an_older_store_opened_by_several_processes_at_once_opens_for_all(
    tmp_path: Path,
) -> None:
    path = tmp_path / "feeds.sqlite"
    with FeedStore.open(path) as store:
        store.save_feed("https://news.example/f", [_item(())], **_fetch())
    with sqlite3.connect(path) as db:
        db.execute("ALTER TABLE items DROP COLUMN categories")
    # Every process imports first, then all open the file at the same moment.
    script = (
        "import sys, time\nfrom pathlib import Path\nfrom briefer.sources.store import FeedStore\n"
        "time.sleep(max(0.0, float(sys.argv[2]) - time.time()))\n"
        "with FeedStore.open(Path(sys.argv[1])) as store:\n"
        "    print(store.count_items())\n"
    )
    start = str(time.time() + 1.5)
    command = [sys.executable, "-c", script, str(path), start]
    procs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(6)
    ]
    results = [(p.wait(timeout=60), *p.communicate()) for p in procs]
    assert [(code, out.strip()) for code, out, _ in results] == [(0, "1")] * 6, results
