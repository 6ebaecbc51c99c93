"""Long multi-topic articles: where a memo's words go when each source covers everything.

The project keeps no set of long real articles on its topics. This bench
builds one from the labelled feed days (``bench/days/``): each publisher's
Middle East news of the day becomes one long article, its items'
descriptions as paragraphs in feed order (Gaza, Iran, normalisation, the
West Bank, Syria, Yemen ... mixed, as in a long regional round-up). Every
word is the publisher's; the labels of the items say which section each
paragraph belongs to and which stories are the day's key ones.

Each bullet is traced to the item whose description holds its words. Per
day and budget, the report gives:

- per section (Gaza, Iran, normalisation): the memo's words there, the day's
  key stories there, and how many of them the memo tells;
- balance: how far the memo's split of words across the three sections is
  from the split of the day's key stories (total variation distance: 0 is
  the same split, 1 all words in a section with no key story);
- weighted recall of the day's facts (``DAY/facts.toml``) against Lead and
  sumy's summarizers given the same articles, and Lead given only the
  on-topic paragraphs.

Run from the project root::

    .venv/bin/python bench/digests.py                       # tuning days, 700 words
    .venv/bin/python bench/digests.py --days 2026-01-10 --show
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for path in (ROOT, HERE, HERE / "days"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import items as day_items  # noqa: E402
import quality  # noqa: E402
from days import HELD_OUT, TOPICS, _carries  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "digests.md"
RESULTS_ON_TOPIC = ROOT / "bench" / "results" / "digests-on-topic.md"
SECTIONS = ("gaza", "iran", "normalization")
REGION = (*SECTIONS, "other_me")
# The days the rules were tuned on (1, 2 and 10 January are held out).
TUNING = tuple(f"2026-01-{d:02d}" for d in range(3, 10))


@dataclass
class DigestScores:
    day: str
    budget: int
    words: Counter[str] = field(default_factory=Counter)  # section -> memo words
    keys: dict[str, set[str]] = field(default_factory=dict)  # section -> key stories
    told: dict[str, set[str]] = field(default_factory=dict)  # section -> key stories told
    untraced: int = 0  # bullets whose words no single item holds (across two items)
    placed: int = 0  # section bullets (not the bottom line nor open questions) traced
    placed_right: int = 0  # ... whose item is labelled with that section (or accepts it)
    open_spans: int = 0  # labelled open-question spans of the on-topic paragraphs
    open_carried: int = 0  # ... carried by an Open questions entry
    open_entries: int = 0
    open_not_questions: int = 0  # entries carrying no labelled span (figure entries apart)
    recall: float = 0.0
    baselines: dict[str, float] = field(default_factory=dict)
    # The same baselines given as many words as the memo's scored bullets hold.
    scored_words: int = 0
    baselines_at_length: dict[str, float] = field(default_factory=dict)
    bullets: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def balance(self) -> float:
        """Total variation distance between the memo's word split and the key stories'."""
        words = sum(self.words[s] for s in SECTIONS)
        keys = sum(len(self.keys.get(s, ())) for s in SECTIONS)
        if not words or not keys:
            return 0.0
        return sum(
            abs(self.words[s] / words - len(self.keys.get(s, ())) / keys) for s in SECTIONS
        ) / 2


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("’", "'").replace("‘", "'").split())


def digests(
    day: str, on_topic_only: bool = False
) -> tuple[list[day_items.DayItem], dict[str, list[str]]]:
    """The publisher's Middle East items of ``day``, and each publisher's paragraphs.

    An article holds the publisher's Middle East items of the day (labelled
    on one of the memo's topics or ``other_me``), as a long regional article
    would; world news, sport and culture are left out. ``on_topic_only``:
    only the items labelled on the memo's three topics (the topic filter
    given for free, as the "Lead, on-topic paragraphs" reference has it).
    """
    labels = day_items.load_labels(ROOT / "bench" / "days" / day / "labels.toml")
    wanted = SECTIONS if on_topic_only else REGION
    items = [i for i in day_items.load_day(day) if labels[i.link].section in wanted]
    paragraphs: dict[str, list[str]] = {}
    for item in items:
        paragraphs.setdefault(item.feed, []).extend(
            " ".join(p.split()) for p in item.summary.split("\n\n") if p.strip()
        )
    return items, paragraphs


def build(
    day: str, budget: int, work: Path, rules: Path | None = None, on_topic_only: bool = False
):
    """briefer's memo of ``day``'s long articles, and the articles as files for the baselines.

    briefer is given the articles as read (``Article`` values, one paragraph
    per item description): an article file's first line would be taken for
    its headline and short lines for subheads, which these articles have not.
    """
    from briefer.brief import build_brief
    from briefer.models import Article
    from briefer.settings import load_settings

    items, paragraphs = digests(day, on_topic_only)
    folder = work / f"digests-{day}"
    folder.mkdir(parents=True, exist_ok=True)
    published = date.fromisoformat(day)
    articles = []
    for feed, mine in sorted(paragraphs.items()):
        (folder / f"{day}-{feed}.txt").write_text("\n\n".join(mine) + "\n", encoding="utf-8")
        articles.append(
            Article(key=f"{day}-{feed}.txt", paragraphs=tuple(mine),
                    publisher=day_items.PUBLISHERS.get(feed, feed), published=published)
        )  # fmt: skip
    edition = datetime.fromisoformat(day).replace(tzinfo=UTC) + timedelta(days=1, hours=7)
    settings = load_settings(
        ROOT / "config" / "briefer.toml",
        budget_words=budget,
        seeds_dir=folder,
        state_dir=work / f"state-{day}-{budget}",
        out_dir=work / "out",
        as_of=edition.isoformat(),
        timezone="UTC",
        rules_file=rules or ROOT / "config" / "rules.toml",
        feeds=[],
    )
    return build_brief(settings, articles=articles), items, folder


def score(day: str, budget: int, brief, items, recall: bool, folder: Path) -> DigestScores:
    labels = day_items.load_labels(ROOT / "bench" / "days" / day / "labels.toml")
    scores = DigestScores(day, budget)
    for item in items:
        label = labels[item.link]
        if label.key and label.section in SECTIONS:
            scores.keys.setdefault(label.section, set()).add(label.story)
    texts = [(_fold(i.summary), i) for i in items]
    sections = [("bottom_line", brief.bottom_line), *((s.key, s.items) for s in brief.sections)]
    for key, bullets in sections:
        for bullet in bullets:
            if getattr(bullet, "figures", ()):
                continue  # conflicting figures: a label and several sources' words
            said = _fold(bullet.text)
            item = next((i for text, i in texts if said in text), None)
            if item is None:
                scores.untraced += 1
                scores.bullets.append((key, "?", bullet.text))
                continue
            label = labels[item.link]
            scores.bullets.append((key, item.id, bullet.text))
            if key in SECTIONS:
                scores.words[key] += len(bullet.text.split())
                scores.placed += 1
                right = key in (label.section, *label.also)
                scores.placed_right += right
                if not right:
                    scores.notes.append(f"misplaced [{key}] {item.id} ({label.section}): "
                                        f"{bullet.text[:90]}")
            if label.key and label.section in SECTIONS:
                scores.told.setdefault(label.section, set()).add(label.story)
    for section, keys in sorted(scores.keys.items()):
        for story in sorted(keys - scores.told.get(section, set())):
            scores.notes.append(f"key story not told [{section}]: {story}")
    spans = [s for i in items for s in labels[i.link].open if labels[i.link].section in TOPICS]
    scores.open_spans = len(spans)
    entries = [e for s in brief.sections if s.key == "open_questions" for e in s.items]
    scores.open_entries = len(entries)
    carried: set[int] = set()
    for entry in entries:
        if getattr(entry, "figures", ()):
            continue  # conflicting figures: their labels name items, not spans
        hits = {n for n, span in enumerate(spans) if _carries(entry.text, span)}
        carried |= hits
        scores.open_not_questions += not hits
    scores.open_carried = len(carried)
    if recall:
        facts_path = ROOT / "bench" / "days" / day / "facts.toml"
        facts = quality.load_facts(facts_path)
        articles = quality.load_articles(folder)
        # The same articles cut down to their on-topic paragraphs (the topic filter
        # for free) ...
        by_feed: dict[str, list[str]] = {}
        for i in items:
            if labels[i.link].section in TOPICS:
                by_feed.setdefault(i.feed, []).append(i.summary)
        on_topic = [quality.SourceArticle(f, "\n\n".join(p)) for f, p in by_feed.items()]
        # ... and every on-topic item on its own (knowing where each item starts).
        items_on_topic = [
            quality.SourceArticle(i.id, i.summary)
            for i in items
            if labels[i.link].section in TOPICS
        ]
        memo = quality.memo_score(brief, facts, articles)
        scores.recall, scores.scored_words = memo.recall, memo.words
        scores.notes.extend(memo.missed)
        for length, table in ((budget, scores.baselines),
                              (scores.scored_words, scores.baselines_at_length)):  # fmt: skip
            table["lead"] = quality.weighted_recall(quality.lead_baseline(articles, length), facts)
            table["lead/on-topic"] = quality.weighted_recall(
                quality.lead_baseline(on_topic, length), facts
            )
            table["lead/items"] = quality.weighted_recall(
                quality.lead_baseline(items_on_topic, length), facts
            )
            for system in quality.SUMY_SYSTEMS:
                table[system] = quality.weighted_recall(
                    quality.sumy_baseline(system, articles, length), facts
                )
    return scores


def _role(day: str) -> str:
    return "held out" if day in HELD_OUT else "tuning"


def report(rows: Sequence[DigestScores], recall: bool, on_topic_only: bool = False) -> str:
    what = "one article, its on-topic paragraphs only" if on_topic_only else "one article"
    only = (
        "The articles hold only the paragraphs labelled on the memo's three topics: "
        'briefer is given the topic filter for free, as the "Lead, on-topic paragraphs" '
        "reference is. What is left between the two is how the memo chooses and words, "
        "not how it routes."
    )
    lines = [
        f"# Long multi-topic articles (each publisher's Middle East day as {what})",
        "",
        *((only, "") if on_topic_only else ()),
        "Built by `bench/digests.py` from the labelled feed days: one article per "
        "publisher per day, its Middle East items' descriptions as paragraphs. Per "
        "section: the memo's words, then the day's key stories told / labelled. "
        "Placement: section bullets whose paragraph is labelled with that section. "
        "Open questions: labelled open-question spans carried by an entry, and entries "
        "(in brackets, those carrying none; figure entries are not counted). "
        "Balance: total variation distance between the memo's split of section words and "
        "the split of key stories (0 = the same split). Recall: weighted recall of the "
        "day's facts; best baseline: the best of Lead and sumy's LexRank, TextRank, LSA "
        "and Luhn given the same articles; Lead, on-topic paragraphs: Lead given the same "
        "articles cut down to their on-topic paragraphs (the topic filter for free); Lead, "
        "on-topic items: Lead given each on-topic item on its own (it also knows where "
        "each item starts inside the article: a reference, not a baseline).",
        "",
        "| day | budget | Gaza words (keys) | Iran words (keys) | normalization words (keys) "
        "| placement | balance | untraced | open questions carried | entries (not "
        "questions) | recall | best baseline | Lead, on-topic paragraphs | Lead, on-topic "
        "items |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        cells = []
        for section in SECTIONS:
            told = len(row.told.get(section, ()))
            keys = len(row.keys.get(section, ()))
            cells.append(f"{row.words[section]} ({told}/{keys})")
        if recall:
            others = {k: v for k, v in row.baselines.items() if "/" not in k}
            best = max(others, key=others.get) if others else "-"
            recall_cells = (f"{row.recall:.3f}", f"{others.get(best, 0):.3f} ({best})",
                            f"{row.baselines.get('lead/on-topic', 0):.3f}",
                            f"{row.baselines.get('lead/items', 0):.3f}")  # fmt: skip
        else:
            recall_cells = ("-", "-", "-", "-")
        lines.append(
            f"| {row.day} ({_role(row.day)}) | {row.budget} | " + " | ".join(cells)
            + f" | {row.placed_right}/{row.placed} | {row.balance:.2f} | {row.untraced} | "
            + f"{row.open_carried}/{row.open_spans} | {row.open_entries} "
            + f"({row.open_not_questions}) | "
            + " | ".join(recall_cells) + " |"
        )
    if recall and any(row.baselines_at_length for row in rows):
        lines += [
            "",
            "At the memo's own length: each baseline given as many words as the memo's "
            "scored bullets hold (bottom line, section bullets, Open questions), where the "
            "memo stops short of its budget.",
            "",
            "| day | budget | memo words scored | recall | best baseline | Lead, on-topic "
            "paragraphs | Lead, on-topic items |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for row in rows:
            table = row.baselines_at_length
            if not table:
                continue
            others = {k: v for k, v in table.items() if "/" not in k}
            best = max(others, key=others.get)
            lines.append(
                f"| {row.day} ({_role(row.day)}) | {row.budget} | {row.scored_words} "
                f"| {row.recall:.3f} | {others[best]:.3f} ({best}) "
                f"| {table['lead/on-topic']:.3f} | {table['lead/items']:.3f} |"
            )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", default=",".join(TUNING), help="comma-separated days")
    parser.add_argument("--budgets", default="700")
    parser.add_argument("--show", action="store_true", help="print each memo's bullets")
    parser.add_argument("--no-recall", action="store_true", help="skip facts and baselines")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--rules", type=Path, default=None, help="another rules file")
    parser.add_argument(
        "--on-topic-only",
        action="store_true",
        help="articles of the labelled on-topic paragraphs only (-> digests-on-topic.md)",
    )
    args = parser.parse_args(argv)
    if not day_items.CORPUS.is_dir():
        print(f"{day_items.CORPUS}: corpus not found; nothing to measure", file=sys.stderr)
        return 0
    started = time.perf_counter()
    rows = []
    with tempfile.TemporaryDirectory(prefix="briefer-digests-") as tmp:
        for day in [d.strip() for d in args.days.split(",") if d.strip()]:
            for budget in [int(b) for b in args.budgets.split(",")]:
                brief, items, folder = build(
                    day, budget, Path(tmp), args.rules, args.on_topic_only
                )
                row = score(day, budget, brief, items, not args.no_recall, folder)
                rows.append(row)
                if args.show:
                    print(f"\n## {day} @ {budget}")
                    for section, ident, text in row.bullets:
                        print(f"[{section}] {ident}: {text[:140]}")
                    for note in row.notes:
                        print("  " + note)
    text = report(rows, not args.no_recall, args.on_topic_only)
    print(text)
    default = RESULTS_ON_TOPIC if args.on_topic_only else RESULTS
    out = args.out or (default if not args.show else None)
    if out is not None:
        out.write_text(text, encoding="utf-8")
        print(f"written to {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    print(f"{time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
