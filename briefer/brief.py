"""The brief, stage by stage: settings in, a finished :class:`Brief` out.

Articles are read one at a time, so memory grows with what the memo may
use, not with the text read. Each on-topic article goes through

    clean -> topics -> candidates -> points

and, once every article is read,

    stories -> rank -> fill -> the Brief (and, for ``explain``, verdicts)

Each stage is a module of :mod:`briefer.summarize` that takes plain values
and returns new ones. Rendering and delivery take the finished Brief and
never reach back. An item on no section's topic is never split into
sentences; only items that gave a candidate are kept (without their text):
no other can be cited.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ConfigError, SourceError
from .models import BOTTOM_LINE, Article, Brief, Decision, Item, Origin, Section, Source
from .rules import CueScanner, Rules, load_rules
from .settings import Settings
from .summarize.candidates import HEADLINE, Asked, Candidate, item_candidates
from .summarize.clean import prepare
from .summarize.fill import Filled, fill
from .summarize.kinds import ItemKind, kind_of
from .summarize.questions import Question, questions
from .summarize.rank import Ranked, Scorer, rank
from .summarize.segment import SPLITTERS
from .summarize.stories import (
    Point,
    Story,
    group,
    item_points,
    merge,
    signature_key,
    told_again,
)
from .summarize.topics import ItemTopics, item_topics
from .summarize.verdicts import verdicts
from .summarize.words import specific_parts
from .text import safe_url

if TYPE_CHECKING:  # NumPy and the model are loaded only when meaning is read
    from .summarize.meaning import Nearness

log = logging.getLogger("briefer.brief")


def build_brief(
    settings: Settings,
    articles: Iterable[Article] | None = None,
    explain: bool = False,
    rules: Rules | None = None,
    seen: frozenset[str] = frozenset(),
) -> Brief:
    """Build one edition from the seeds folder (and stored feed items, if any).

    ``explain`` keeps a verdict on every sentence in :attr:`Brief.decisions`.
    ``rules``: already loaded (default: read from ``settings.rules_file``).
    ``articles``: instead of the seeds folder and the stored feed items.
    ``seen``: the keys of the articles the stream's previous edition read; a
    story told again with new sources leads with a new source's words.
    """
    if rules is None:
        problem = seeds_problem(settings)
        if problem is not None:
            raise ConfigError(problem)
        rules = load_rules(settings.rules_file)
    edition_time = settings.edition_time()
    if articles is None:
        articles = gather_articles(settings, edition_time)
    reading = Reading(rules, settings.segmenter, explain)
    for article in articles:
        reading.add(article)
    if not reading.read:
        raise SourceError(_why_empty(settings))
    cited = reading.cited
    dated = [a.published for a in cited if a.published is not None]
    newest = max(dated) if dated else None
    scorer = Scorer(rules, newest, reading.common_names(), edition_time.date(), seen)
    ranked = rank(find_stories(reading, scorer, rules, settings.model_dir), scorer)
    asked = questions(
        ranked, reading.asked, rules, edition_time.date(), settings.memo.stale_after_days, newest
    )
    filled = fill(ranked, rules, settings.budget_words, newest, asked)
    decisions = verdicts(reading.decisions, ranked, filled, asked, rules) if explain else ()
    return assemble(settings, rules, reading, ranked, filled, asked, decisions, edition_time)


def find_stories(
    reading: Reading, scorer: Scorer, rules: Rules, model_dir: Path | None
) -> tuple[Story, ...]:
    """The stories of what ``reading`` kept: grouped by meaning or words, then merged."""
    points = tuple(reading.points.values())
    weights = [scorer.point_weight(p) for p in points]
    near = read_meaning(points, weights, rules, model_dir)
    grouped = group(points, weights, rules, near)
    return merge(grouped, [scorer.story_weight(s) for s in grouped], rules)


_unavailable: set[str] = set()  # why the model could not be used, each said once


def read_meaning(
    points: Sequence[Point], weights: Sequence[float], rules: Rules, model_dir: Path | None
) -> Nearness | None:
    """How alike the single-story points are in meaning (``[stories] meaning``), if it can be read.

    Without the model's files the stories are grouped by their words alone,
    and the run says so once (a warning, not an error: the memo stands).
    """
    config = rules.stories
    if not config.meaning or sum(1 for p in points if p.gist) < 2:
        return None
    from .summarize.meaning import ModelUnavailable, default_model_dir, load_encoder, nearness

    model_dir = model_dir or default_model_dir()
    try:
        encoder = load_encoder(model_dir, config.meaning_tokens)
        return nearness([p.gist for p in points], weights, encoder, config.meaning_points)
    except ModelUnavailable as exc:
        why = f"{exc} (`make run` installs it)"
    except Exception as exc:  # the model is an aid: whatever it fails on, words still group
        why = f"{model_dir}: the model failed ({type(exc).__name__}: {exc})"
    if why not in _unavailable:
        _unavailable.add(why)
        log.warning("stories grouped by their words only: %s", why)
    return None


class Reading:
    """The per-article stages, one article at a time: what the memo may use, kept."""

    def __init__(self, rules: Rules, splitter: str = "syntok", explain: bool = False) -> None:
        self.rules = rules
        self.split = SPLITTERS[splitter]
        self.explain = explain
        self.scanner = CueScanner(rules)
        self.cited: list[Article] = []  # items that gave a candidate, text dropped
        self.points: dict[tuple[int, str, date | None], Point] = {}  # by their words
        self.decisions: list[Decision] = []
        self.kinds: list[tuple[str, str, str]] = []  # (key, kind, why), for explain
        self.asked: list[Asked] = []  # texts that state something unresolved
        self.keys: set[str] = set()  # every article read, cited or not
        self.names: Counter[str] = Counter()  # name -> items naming it
        self.sentences = 0  # body sentences read (of on-topic items)
        self.candidates = 0
        self.read = 0

    def add(self, article: Article) -> None:
        """Read one article: clean, topics, candidates, points."""
        self.read += 1
        self.keys.add(article.key)
        rules = self.rules
        kind = kind_of(article, rules)
        if self.explain:
            self.kinds.append((article.key, kind.kind, kind.why))
        if kind.kind in rules.kinds.leave_out:
            if self.explain:
                self.decisions.append(_left_out(article, kind, rules))
            return
        prepared = prepare(article, rules)
        topics = item_topics(prepared, rules, self.scanner)
        if not topics.on_topic:
            if self.explain:
                self.decisions.append(_off_topic(article, topics, rules))
            return
        publisher = article.publisher or article.key
        attribution = None
        if kind.kind in rules.kinds.apart:  # shown set apart: never told as plain news
            attribution = rules.kinds.apart_attribution.format(
                kind=kind.kind.capitalize(), publisher=publisher
            )
        elif article.state_media:
            attribution = rules.kinds.state_media_attribution.format(publisher=publisher)
        origin = Origin(
            len(self.cited), article.key, publisher, article.published, kind.kind,
            kind.kind not in rules.kinds.never_lead, attribution,
        )  # fmt: skip
        found = item_candidates(prepared, topics, rules, origin, self.split, self.explain)
        self.sentences += found.sentences
        self.decisions.extend(found.decisions)
        self.asked.extend(found.asked)
        if not found.candidates:
            return
        self.cited.append(replace(article, paragraphs=article.paragraphs[:1]))
        self.candidates += len(found.candidates)
        names: set[str] = set()
        for candidate in found.candidates:
            names |= specific_parts(candidate.text)[1]
        self.names.update(names)
        one_story = article.summary or found.sentences <= rules.topics.single_story_sentences
        lead_text = " ".join(prepared.paragraphs[:1])
        for point in item_points(
            found.candidates, topics.main, one_story, prepared.headline, lead_text, rules
        ):
            key = signature_key(point)
            known = self.points.get(key)
            # The same words from another item: one point, told by one more item.
            self.points[key] = point if known is None else told_again(known, point)

    def common_names(self) -> frozenset[str]:
        """Names most items carry (the day's main actors): not counted as specifics."""
        scoring = self.rules.scoring
        total = len(self.cited)
        if scoring.common_name_share >= 1.0 or total < scoring.common_name_min_items:
            return frozenset()
        return frozenset(n for n, c in self.names.items() if c > scoring.common_name_share * total)


def gather_articles(settings: Settings, edition_time: datetime) -> Iterator[Article]:
    """Articles from the seeds folder, then feed items inside the window, one at a time."""
    from .sources.files import iter_folder

    yield from iter_folder(settings.seeds_dir, settings.max_article_bytes)
    if settings.feeds:
        from .sources.feeditems import feed_articles

        yield from feed_articles(settings, edition_time)


def seeds_problem(settings: Settings) -> str | None:
    """Why the seeds folder cannot be read, in one line (None when it can).

    Without a settings file the line says which ones were looked for: a
    missing ``seeds`` folder is then most often a run in the wrong folder.
    """
    from .settings import no_settings_file

    folder = settings.seeds_dir
    if folder.is_dir():
        return None
    what = "seeds folder not found" if not folder.exists() else "seeds folder is not a folder"
    if settings.config_file is None:
        return f"{folder}: {what} ({no_settings_file()})"
    return f"{folder}: {what}"


def _why_empty(settings: Settings) -> str:
    from .sources.files import iter_article_files

    files = sum(1 for _ in iter_article_files(settings.seeds_dir))
    where = settings.seeds_dir
    if files == 0 and not settings.feeds:
        return f"{where}: no article files (.txt or .md); nothing to brief"
    return f"{where}: none of the {files} article files could be used (see warnings above)"


def assemble(
    settings: Settings,
    rules: Rules,
    reading: Reading,
    ranked: Sequence[Ranked],
    filled: Filled,
    asked: Sequence[Question],
    decisions: Sequence[Decision],
    edition_time: datetime,
) -> Brief:
    """The Brief: the chosen texts as items, numbered sources, the memo's header facts.

    Only cited articles become numbered sources, numbered in order of first
    citation (the bottom line first, then each section): an article that
    gave no bullet (an off-topic feed item, say) is read but not listed.
    """
    keys = rules.keys
    limit = rules.stories.max_citations
    by_key = {a.key: a for a in reading.cited}
    # (section key, story, text, cited, detail), in memo order
    chosen: list[tuple[str, Ranked, Candidate, tuple[Origin, ...], bool]] = []
    for n in filled.bottom_line:
        story = ranked[n]
        line = story.shown_line
        chosen.append((BOTTOM_LINE, story, line, _cited(line, story, limit), False))
    for k, numbers in filled.sections:
        for n in numbers:
            story = ranked[n]
            bullet = story.bullet
            chosen.append((keys[k], story, bullet, _cited(bullet, story, limit), False))
            for detail in filled.details.get(n, ()):
                # A detail cites its own source only.
                chosen.append((keys[k], story, detail, (detail.origin,), True))
    shown_questions = [asked[n] for n in filled.questions]
    numbers: dict[str, int] = {}
    for *_, cited, _ in chosen:
        for origin in cited:
            numbers.setdefault(origin.key, len(numbers) + 1)
    for question in shown_questions:
        for origin in question.sources:
            numbers.setdefault(origin.key, len(numbers) + 1)
    stale_days = settings.memo.stale_after_days
    edition_day = edition_time.date()

    def item(section: str, story: Ranked, text: Candidate, cited: tuple[Origin, ...],
             detail: bool) -> Item:  # fmt: skip
        days = [o.published for o in cited if o.published is not None]
        newest = max(days) if days else None
        # Old news carries its date: a reader never takes a 12-day-old
        # "will meet on Monday" for this week's.
        as_of = newest if newest and (edition_day - newest).days > stale_days else None
        return Item(
            text=text.text,
            section=section,
            article_key=text.origin.key,
            sentence_index=text.index,
            sources=tuple(numbers[o.key] for o in cited),
            published=text.origin.published,
            score=round(story.weight, 3),
            as_of=as_of,
            story=story.number,
            detail=detail,
            attribution=text.origin.attribution,
        )

    items = [item(*entry) for entry in chosen]
    asks = rules.questions_section
    for question in shown_questions:
        first = question.sources[0]
        items.append(
            Item(
                text=question.text,
                section=keys[asks] if asks is not None else BOTTOM_LINE,
                article_key=first.key,
                sentence_index=question.index,
                sources=tuple(numbers[o.key] for o in question.sources),
                published=first.published,
                score=round(question.weight, 3),
                as_of=question.dated,
                story=question.story,
                attribution=None if question.figures else first.attribution,
                figures=tuple((f, numbers[o.key]) for f, o in question.figures),
                cut=question.cut,
            )
        )
    titles = {s.rule.key: s.rule.title for s in rules.sections}
    sections = tuple(
        Section(key=keys[k], title=titles[keys[k]],
                items=tuple(i for i in items if i.section == keys[k]))
        for k, _ in filled.sections
    )  # fmt: skip
    sources = tuple(
        Source(
            number=n,
            article_key=key,
            title=_title(by_key[key], rules),
            publisher=by_key[key].publisher,
            published=by_key[key].published,
            url=safe_url(by_key[key].url),
            also_published_by=by_key[key].also_published_by,
            summary=by_key[key].summary,
        )
        for key, n in numbers.items()
    )
    known = [by_key[k].published for k in numbers if by_key[k].published is not None]
    memo = settings.memo
    return Brief(
        title=memo.title,
        edition_time=edition_time,
        bottom_line=tuple(i for i in items if i.section == BOTTOM_LINE),
        sections=sections,
        sources=sources,
        articles=len(reading.keys),
        sentences=reading.sentences,
        newest=max(known) if known else None,
        oldest=min(known) if known else None,
        to=memo.to,
        from_=memo.from_,
        marking=memo.marking,
        author=memo.author,
        bottom_line_title=rules.bottom_line.title,
        decisions=tuple(decisions),
        kinds=tuple(reading.kinds),
        stories=len(ranked),
        on_topic=len(reading.cited),
        read=frozenset(reading.keys),
        paper=memo.paper,
    )


def _cited(text: Candidate, story: Ranked, limit: int) -> tuple[Origin, ...]:
    """The sources a story's text cites: its own first, then the story's others."""
    own = text.origin
    return (own, *(o for o in story.sources if o.number != own.number))[:limit]


def _left_out(article: Article, kind: ItemKind, rules: Rules) -> Decision:
    """One entry for an item of a kind the memo leaves out (opinion, analysis)."""
    text = article.headline or (article.paragraphs[0] if article.paragraphs else article.key)
    return Decision(
        article_key=article.key,
        sentence_index=HEADLINE,
        text=text,
        section_scores=tuple((k, 0.0) for k in rules.keys),
        section=None,
        score=0.0,
        kept=False,
        reason=f"item left out: {kind.kind} ({kind.why})",
    )


def _off_topic(article: Article, topics: ItemTopics, rules: Rules) -> Decision:
    """One entry for an item on no topic, naming its best section's weight."""
    keys = rules.keys
    if topics.sink is not None:
        reason = f"item left out: its topic is '{keys[topics.sink]}'"
    else:
        best = max(
            (k for k, s in enumerate(rules.sections) if not s.rule.sink),
            key=lambda k: topics.mass[k],
        )
        reason = (
            f"item not on any section's topic (best: '{keys[best]}' "
            f"{topics.mass[best]:g}, headline {topics.headline[best]:g})"
        )
    text = article.headline or (article.paragraphs[0] if article.paragraphs else article.key)
    return Decision(
        article_key=article.key,
        sentence_index=HEADLINE,
        text=text,
        section_scores=tuple(zip(keys, topics.mass, strict=True)),
        section=None,
        score=0.0,
        kept=False,
        reason=reason,
    )


def _title(article: Article, rules: Rules) -> str:
    """The article's own headline, else its title, else the opening words of its body."""
    if article.headline:
        return article.headline
    if article.title:
        return article.title
    if article.paragraphs:
        words = article.paragraphs[0].split()
        most = rules.candidates.source_title_words
        return " ".join(words[:most]) + ("…" if len(words) > most else "")
    return article.key
