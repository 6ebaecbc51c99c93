"""Feed-day benchmark: what a memo built from a whole day of real feeds says.

For each labelled day of ``bench/days/`` (see its README), every item of
the day's RSS snapshots is stored as if fetched from its feed, and briefer
builds the next morning's edition (07:00 UTC) from the feeds alone. Each
bullet is traced to the items it cites (by link) and scored against the
day's labels: placement precision, leaked bullets, key-story coverage,
story repeats, bottom-line key stories, wrong citations and words. Weighted
recall of the day's key facts is compared with Lead and sumy's
summarizers at the same length, given the same items as text (headline,
blank line, description), once over all the day's items and once over its
on-topic items only (a stronger bar: the topic filter for free).

Run from the project root::

    .venv/bin/python bench/days.py                      # tuning days, 700 words
    .venv/bin/python bench/days.py --days 2026-01-07 --budgets 400,700,1000
    .venv/bin/python bench/days.py --show               # print each memo's bullets
    .venv/bin/python bench/days.py --seeds              # the bundled seeds beside the feeds

Results go to ``bench/results/days.md`` (or ``--out``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "bench" / "days"))

import items as day_items  # noqa: E402
import quality  # noqa: E402

TUNING = ("2026-01-06", "2026-01-08")
BLIND = ("2026-01-03", "2026-01-07", "2026-01-09", "2026-01-04", "2026-01-05")
# Labelled before any change they measure, and run once at the end: never tuned to.
HELD_OUT = ("2026-01-01", "2026-01-02", "2026-01-10")
# Kinds that may lead a bullet: reporting, and a live blog's news.
NEWS_KINDS = ("news", "live")
OPEN_SECTION = "open_questions"
LABELS_OF: dict[int, Path] = {}  # a loaded labels mapping -> its file (for its conflicts)
# Feeds a desk marks as state-affiliated media (their claims are attributed).
STATE_MEDIA = ("/tehrantimes.xml",)
RESULTS = ROOT / "bench" / "results" / "days.md"
TOPICS = day_items.TOPICS


@dataclass
class DayScores:
    """The memo metrics of one day at one budget."""

    day: str
    budget: int
    placed: int = 0
    placed_right: int = 0
    leaked: int = 0
    leaked_accepted: int = 0  # of those, items whose `also` lists where they went
    key_stories: int = 0
    key_covered: int = 0
    repeats: int = 0
    details: int = 0
    bottom_key: int = 0
    bottom_lines: int = 0
    not_news_bottom: int = 0  # bottom-line lines whose first source is not news
    not_news: int = 0  # bullets (bottom line included) whose first source is not news
    pairs_same: int = 0  # cited item pairs briefer tells as one story (one bullet)
    pairs_same_right: int = 0  # ... of them, labelled one story
    pairs_labelled: int = 0  # cited item pairs labelled one story
    pairs_labelled_found: int = 0  # ... of them, told in one bullet
    open_spans: int = 0  # labelled open-question spans of the day's on-topic items
    open_carried: int = 0  # ... carried by an Open questions entry
    open_entries: int = 0  # entries in Open questions
    open_not_questions: int = 0  # ... that carry no labelled open question
    open_stale: int = 0  # ... whose sources are all older than the memo's stale threshold
    wrong_citations: int = 0
    citations: int = 0
    words: int = 0
    recall: float = 0.0
    baselines: dict[str, float] = field(default_factory=dict)  # name -> recall
    # The same baselines given as many words as the memo's scored bullets hold.
    scored_words: int = 0
    baselines_at_length: dict[str, float] = field(default_factory=dict)
    oracle: float = 0.0
    notes: list[str] = field(default_factory=list)
    bullets: list[tuple[str, str, str]] = field(default_factory=list)  # section, item id, text

    @property
    def precision(self) -> float:
        return self.placed_right / self.placed if self.placed else 0.0

    @property
    def coverage(self) -> float:
        return self.key_covered / self.key_stories if self.key_stories else 0.0

    @property
    def grouping(self) -> tuple[float, float]:
        """Pairwise precision and recall of "same story" among the cited items."""
        precision = self.pairs_same_right / self.pairs_same if self.pairs_same else 1.0
        recall = self.pairs_labelled_found / self.pairs_labelled if self.pairs_labelled else 1.0
        return precision, recall


def store_day(day: str, state_dir: Path, now: datetime) -> list[tuple[str, str]]:
    """Store every item of ``day`` as fetched at ``now``; return (feed url, name) pairs."""
    from briefer.sources.feedparse import parse_feed
    from briefer.sources.feeds import STORE_NAME
    from briefer.sources.store import FeedStore

    feeds = []
    state_dir.mkdir(parents=True, exist_ok=True)
    with FeedStore.open(state_dir / STORE_NAME) as store:
        for path in sorted((day_items.CORPUS / day).glob("*.xml")):
            url = day_items.feed_url(day, path.stem)
            parsed = parse_feed(path.read_bytes(), url=url, max_items=10_000)
            name = day_items.PUBLISHERS.get(path.stem, path.stem)
            store.save_feed(
                url, parsed.items, now=now, title=parsed.title, publisher=name, status="ok",
                error=None, etag=None, last_modified=None,
            )  # fmt: skip
            feeds.append((url, name))
    return feeds


def build_day(
    day: str, budget: int, work: Path, seeds: bool = False, rules: Path | None = None
) -> tuple[object, list[day_items.DayItem]]:
    """Briefer's morning edition for ``day`` (and the items it was built from)."""
    from briefer.brief import build_brief

    settings = day_settings(day, budget, work, seeds, rules)
    return build_brief(settings), day_items.load_day(day)


def day_settings(
    day: str, budget: int, work: Path, seeds: bool = False, rules: Path | None = None
):
    """Settings of the morning edition for ``day``, its items stored as fetched from its feeds."""
    from briefer.settings import load_settings

    edition = datetime.fromisoformat(day).replace(tzinfo=UTC) + timedelta(days=1, hours=7)
    state = work / f"state-{day}"
    if not state.exists():
        feeds = store_day(day, state, edition)
    else:
        feeds = [
            (day_items.feed_url(day, p.stem), day_items.PUBLISHERS.get(p.stem, p.stem))
            for p in sorted((day_items.CORPUS / day).glob("*.xml"))
        ]
    empty = work / "no-seeds"
    empty.mkdir(exist_ok=True)
    return load_settings(
        ROOT / "config" / "briefer.toml",
        budget_words=budget,
        seeds_dir=ROOT / "seeds" if seeds else empty,
        state_dir=state,
        out_dir=work / "out",
        as_of=edition.isoformat(),
        timezone="UTC",
        rules_file=rules or ROOT / "config" / "rules.toml",
        feeds=[
            {"url": url, "name": name, "state_media": url.endswith(STATE_MEDIA)}
            for url, name in feeds
        ],
    )


def score_day(
    day: str, budget: int, brief, items: list[day_items.DayItem], folder: Path
) -> DayScores:
    labels = day_items.load_labels(folder / "labels.toml")
    LABELS_OF[id(labels)] = folder / "labels.toml"
    from briefer.text import safe_url

    # Links as the memo shows them (tracking parameters dropped) and as fed.
    by_link = {i.link: i for i in items}
    by_link.update({safe_url(i.link) or i.link: i for i in items})
    scores = DayScores(day, budget)
    number_item = {}
    for source in brief.sources:
        item = by_link.get(source.url or "")
        if item is not None:
            number_item[source.number] = item

    def story_of(item) -> str:
        return labels[item.link].story if item.link in labels else f"?{item.id}"

    told: set[str] = set()
    covered: set[str] = set()
    for section_key, bullets in (
        ("bottom_line", brief.bottom_line),
        *((s.key, s.items) for s in brief.sections),
    ):
        for bullet in bullets:
            scores.words += len(bullet.text.split())
            primary = number_item.get(bullet.sources[0])
            if primary is None:  # a seed article (with --seeds)
                scores.bullets.append((section_key, "seed", bullet.text))
                continue
            label = labels[primary.link]
            scores.bullets.append((section_key, primary.id, bullet.text))
            story = label.story
            covered.add(story)
            if label.section not in TOPICS:
                scores.leaked += 1
                if set(label.also) & ({section_key} if section_key in TOPICS else set(TOPICS)):
                    scores.leaked_accepted += 1
                scores.notes.append(f"leak [{section_key}] {primary.id} ({label.section}): "
                                    f"{bullet.text[:90]}")
            for n in bullet.sources[1:]:
                other = number_item.get(n)
                if other is None:
                    continue
                scores.citations += 1
                if story_of(other) != story:
                    scores.wrong_citations += 1
                    scores.notes.append(
                        f"wrong citation: {primary.id} cites {other.id} ({story} / "
                        f"{story_of(other)})"
                    )
            if section_key == "bottom_line":
                scores.bottom_lines += 1
                if label.key:
                    scores.bottom_key += 1
                continue
            scores.placed += 1
            accepted = {label.section, *label.also}
            right = section_key in accepted or (
                section_key == "open_questions" and accepted & set(TOPICS)
            )
            if right:
                scores.placed_right += 1
            elif label.section in TOPICS:
                scores.notes.append(f"misplaced [{section_key}] {primary.id} ({label.section}): "
                                    f"{bullet.text[:90]}")
            if getattr(bullet, "detail", False):
                scores.details += 1
            elif section_key == OPEN_SECTION:
                pass  # an open question belongs to a story told elsewhere: not a repeat
            elif story in told:
                scores.repeats += 1
                scores.notes.append(f"repeat [{section_key}] {primary.id} ({story}): "
                                    f"{bullet.text[:90]}")
            if not getattr(bullet, "detail", False):
                told.add(story)
    _kinds_and_pairs(brief, labels, number_item, scores)
    _open_questions(brief, labels, number_item, items, scores)
    keys = {label.story for label in labels.values() if label.key}
    scores.key_stories = len(keys)
    scores.key_covered = len(keys & covered)
    for story in sorted(keys - covered):
        scores.notes.append(f"key story missing: {story}")
    on_topic = {label.story for label in labels.values() if label.section in TOPICS}
    for story in sorted(on_topic - covered - keys):
        scores.notes.append(f"on-topic story not told: {story}")
    bottom_stories = set()
    for bullet in brief.bottom_line:
        primary = number_item.get(bullet.sources[0])
        if primary is not None and labels[primary.link].key:
            bottom_stories.add(labels[primary.link].story)
    scores.bottom_key = len(bottom_stories)
    return scores


def _kinds_and_pairs(brief, labels, number_item, scores: DayScores) -> None:
    """Bullets led by a source that is not news; pairwise grouping of the cited items."""
    from itertools import combinations

    bullets = [("bottom_line", b) for b in brief.bottom_line]
    bullets += [(s.key, b) for s in brief.sections for b in s.items]
    bullet_of: dict[str, int] = {}  # item link -> the first section bullet citing it
    for n, (section, bullet) in enumerate(bullets):
        primary = number_item.get(bullet.sources[0])
        if primary is not None:
            kind = labels[primary.link].kind
            if kind and kind not in NEWS_KINDS:
                scores.not_news += 1
                scores.not_news_bottom += section == "bottom_line"
                scores.notes.append(f"{kind} leads [{section}] {primary.id}: {bullet.text[:80]}")
        if section == "bottom_line" or getattr(bullet, "detail", False):
            continue
        for number in bullet.sources:
            item = number_item.get(number)
            if item is not None:
                bullet_of.setdefault(item.link, n)
    cited = sorted(bullet_of)
    for a, b in combinations(cited, 2):
        same_label = labels[a].story == labels[b].story
        same_bullet = bullet_of[a] == bullet_of[b]
        scores.pairs_same += same_bullet
        scores.pairs_same_right += same_bullet and same_label
        scores.pairs_labelled += same_label
        scores.pairs_labelled_found += same_label and same_bullet
        if same_bullet and not same_label:
            scores.notes.append(f"merged: {labels[a].id} ({labels[a].story}) with "
                                f"{labels[b].id} ({labels[b].story})")
        elif same_label and not same_bullet:
            scores.notes.append(f"split: {labels[a].id} and {labels[b].id} ({labels[a].story})")


def _fold(text: str) -> str:
    return day_items._fold(text).casefold()


def _carries(entry: str, span: str) -> bool:
    """Whether an entry's text carries a labelled span (verbatim, or most of its words)."""
    from briefer.summarize.words import content_words

    a, b = _fold(entry), _fold(span)
    if b in a or a in b:
        return True
    words = content_words(span)
    return bool(words) and len(words & content_words(entry)) >= 0.8 * len(words)


def _open_questions(brief, labels, number_item, items, scores: DayScores) -> None:
    """Labelled open questions carried by the section; entries that are not questions."""
    spans = [(i.link, s) for i in items for s in labels[i.link].open
             if labels[i.link].section in TOPICS]  # fmt: skip
    scores.open_spans = len(spans)
    section = next((s for s in brief.sections if s.key == OPEN_SECTION), None)
    entries = list(section.items) if section is not None else []
    scores.open_entries = len(entries)
    conflicts = {c.story for c in day_items.load_conflicts(LABELS_OF[id(labels)])}
    scores.open_spans += len(conflicts)
    carried = set()
    figures_carried = set()
    for entry in entries:
        cited = [number_item.get(n) for n in entry.sources]
        links = {i.link for i in cited if i is not None}
        if getattr(entry, "figures", ()):
            stories = {labels[link].story for link in links}
            if stories & conflicts:
                figures_carried |= stories & conflicts
            else:
                scores.open_not_questions += 1
                scores.notes.append(f"figures entry on no labelled conflict: {entry.text}")
            continue
        hits = [n for n, (link, span) in enumerate(spans)
                if (link in links or not links) and _carries(entry.text, span)]  # fmt: skip
        carried.update(hits)
        if not hits:
            scores.open_not_questions += 1
            scores.notes.append(f"open entry without a labelled question: {entry.text[:90]}")
        if entry.as_of is not None:
            scores.open_stale += 1
    scores.open_carried = len(carried) + len(figures_carried)
    for n, (_, span) in enumerate(spans):
        if n not in carried:
            scores.notes.append(f"open question not carried: {span[:90]}")


def recall_rows(
    day: str, budget: int, brief, items: list[day_items.DayItem], folder: Path, scores: DayScores
) -> None:
    facts_path = folder / "facts.toml"
    if not facts_path.is_file():
        return
    facts = quality.load_facts(facts_path)
    labels = day_items.load_labels(folder / "labels.toml")
    everything = [quality.SourceArticle(i.id, i.text) for i in items]
    on_topic = [
        quality.SourceArticle(i.id, i.text)
        for i in items
        if i.link in labels and labels[i.link].section in TOPICS
    ]
    memo = quality.memo_score(brief, facts, everything)
    scores.recall, scores.scored_words = memo.recall, memo.words
    scores.notes.extend(memo.missed)
    for length, table in ((budget, scores.baselines),
                          (scores.scored_words, scores.baselines_at_length)):  # fmt: skip
        for name, articles in (("all", everything), ("on-topic", on_topic)):
            lead = quality.lead_baseline(articles, length)
            table[f"lead/{name}"] = quality.weighted_recall(lead, facts)
            for system in quality.SUMY_SYSTEMS:
                ranking = _ranking(day, name, system, articles)
                chosen = [(quality.NO_SECTION, s) for s in quality.fill_budget(ranking, length)]
                table[f"{system}/{name}"] = quality.weighted_recall(chosen, facts)
    oracle = quality.oracle_bullets(on_topic, facts, budget, clauses=False)
    scores.oracle = quality.weighted_recall(oracle, facts)


_RANKINGS: dict[tuple[str, str, str], list[str]] = {}


def _ranking(day: str, name: str, system: str, articles) -> list[str]:
    key = (day, name, system)
    if key not in _RANKINGS:
        _RANKINGS[key] = quality.sumy_ranking(system, articles)
    return _RANKINGS[key]


def format_report(rows: Sequence[DayScores], seeds: bool) -> str:
    lines = [
        "# Feed days",
        "",
        "Each labelled day of `bench/days/`, built as the next morning's edition (07:00 UTC) "
        "from the day's feeds" + (" with the bundled seeds beside them" if seeds else "")
        + ". Metrics are defined in `bench/days/README.md`. Best baseline, same items: "
        "the highest recall of Lead, LexRank, TextRank, LSA and Luhn given all the day's "
        "items, as briefer is, at the same length; best baseline: the same, given all the "
        "items or only the on-topic ones (the topic filter for free). Oracle: whole "
        "sentences chosen knowing the facts. Leaked: in brackets, how many of the leaked "
        "bullets come from items whose labels accept the section they went to (`also`).",
        "",
        "| day | budget | placement | leaked | key stories | repeats | details "
        "| bottom line key | wrong cites | words | recall | best baseline, same items "
        "| best baseline | oracle |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        best = max(r.baselines.items(), key=lambda kv: kv[1]) if r.baselines else ("-", 0.0)
        same = [kv for kv in r.baselines.items() if kv[0].endswith("/all")]
        fair = max(same, key=lambda kv: kv[1]) if same else ("-", 0.0)
        lines.append(
            f"| {r.day} ({_role(r.day)}) | {r.budget} "
            f"| {r.precision:.2f} ({r.placed_right}/{r.placed}) "
            f"| {r.leaked} ({r.leaked_accepted}) | {r.coverage:.2f} "
            f"({r.key_covered}/{r.key_stories}) | {r.repeats} "
            f"| {r.details} "
            f"| {r.bottom_key}/{r.bottom_lines} | {r.wrong_citations}/{r.citations} "
            f"| {r.words} | {r.recall:.3f} | {fair[1]:.3f} ({fair[0]}) "
            f"| {best[1]:.3f} ({best[0]}) | {r.oracle:.3f} |"
        )
    lines += [
        "",
        "Editing: bullets led by a source that is not news (opinion, analysis, explainer, "
        "feature, media; labelled `kind`), in the bottom line and in the whole memo; "
        "grouping of the items the memo cites (pairs told in one bullet against pairs "
        "labelled one story); Open questions: labelled open-question spans and conflicting "
        "figures carried, entries carrying none, entries dated as stale.",
        "",
        "| day | budget | not news (bottom line) | not news (memo) | grouping precision "
        "| grouping recall | open questions carried | open entries | not questions | stale |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        precision, recall = r.grouping
        lines.append(
            f"| {r.day} ({_role(r.day)}) | {r.budget} | {r.not_news_bottom} | {r.not_news} "
            f"| {precision:.2f} ({r.pairs_same_right}/{r.pairs_same}) "
            f"| {recall:.2f} ({r.pairs_labelled_found}/{r.pairs_labelled}) "
            f"| {r.open_carried}/{r.open_spans} | {r.open_entries} | {r.open_not_questions} "
            f"| {r.open_stale} |"
        )
    if any(r.baselines_at_length for r in rows):
        lines += [
            "",
            "At the memo's own length: the memo often stops short of its budget (every "
            "story told, nothing left to add), so the baselines above had more words than "
            "it used. Here each is given as many words as the memo's scored bullets hold "
            "(bottom line, section bullets and Open questions).",
            "",
            "| day | budget | memo words scored | recall | best baseline, same items "
            "| Lead, on-topic items | best baseline |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for r in rows:
            if not r.baselines_at_length:
                continue
            table = r.baselines_at_length
            best = max(table.items(), key=lambda kv: kv[1])
            fair = max((kv for kv in table.items() if kv[0].endswith("/all")), key=lambda kv: kv[1])
            lines.append(
                f"| {r.day} ({_role(r.day)}) | {r.budget} | {r.scored_words} | {r.recall:.3f} "
                f"| {fair[1]:.3f} ({fair[0]}) | {table['lead/on-topic']:.3f} "
                f"| {best[1]:.3f} ({best[0]}) |"
            )
    return "\n".join(lines) + "\n"


def _role(day: str) -> str:
    # The days once blind (BLIND) have shaped changes since: they are tuning days now.
    return "held out" if day in HELD_OUT else "tuning"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", default=",".join(TUNING), help="comma-separated days")
    parser.add_argument("--budgets", default="700")
    parser.add_argument("--show", action="store_true", help="print each memo's bullets")
    parser.add_argument("--notes", action="store_true", help="print leaks, repeats, misses")
    parser.add_argument("--seeds", action="store_true", help="the seeds beside the feeds")
    parser.add_argument("--no-recall", action="store_true", help="skip facts and baselines")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--rules", type=Path, default=None, help="another rules file")
    args = parser.parse_args(argv)
    if not day_items.CORPUS.is_dir():
        print(f"{day_items.CORPUS}: corpus not found; nothing to measure", file=sys.stderr)
        return 0
    days = [d.strip() for d in args.days.split(",") if d.strip()]
    budgets = [int(b) for b in args.budgets.split(",")]
    rows = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="briefer-days-") as tmp:
        work = Path(tmp)
        for day in days:
            folder = ROOT / "bench" / "days" / day
            for budget in budgets:
                brief, items = build_day(day, budget, work, seeds=args.seeds, rules=args.rules)
                scores = score_day(day, budget, brief, items, folder)
                if not args.no_recall:
                    recall_rows(day, budget, brief, items, folder, scores)
                rows.append(scores)
                if args.show:
                    print(f"\n## {day} @ {budget}")
                    for section, ident, text in scores.bullets:
                        print(f"[{section}] {ident}: {text}")
                if args.notes or args.show:
                    for note in scores.notes:
                        print("  " + note)
                    baselines = ", ".join(
                        f"{k} {v:.3f}" for k, v in sorted(scores.baselines.items())
                    )
                    print(f"  recall {scores.recall:.3f}; baselines: {baselines}")
    report = format_report(rows, args.seeds)
    print()
    print(report)
    out = args.out or (RESULTS if not args.show else None)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(report, encoding="utf-8")
        print(f"written to {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    print(f"{time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
