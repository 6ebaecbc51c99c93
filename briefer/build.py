"""The one orchestrator: settings in, a finished :class:`Brief` out.

Reading, segmenting, selection and assembly run top to bottom; rendering
and delivery take the finished Brief and never reach back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

from .errors import ConfigError, SourceError
from .models import Article, Brief, Item, Section, Source
from .rules import Rules, load_rules
from .settings import Settings
from .summarize.engine import Bullet, Selection, Summarizer
from .text import safe_url

log = logging.getLogger("briefer.build")


def build_brief(
    settings: Settings,
    articles: Iterable[Article] | None = None,
    explain: bool = False,
    rules: Rules | None = None,
) -> Brief:
    """Build one edition from the seeds folder (and stored feed items, if any).

    Articles are read and scored one at a time; only what the memo can cite
    (the article without its body) is kept. ``explain`` keeps a verdict on
    every sentence in :attr:`Brief.decisions`. ``rules``: already loaded
    (default: read from ``settings.rules_file``).
    """
    if rules is None:
        problem = seeds_problem(settings)
        if problem is not None:
            raise ConfigError(problem)
        rules = load_rules(settings.rules_file)
    edition_time = settings.edition_time()
    if articles is None:
        articles = gather_articles(settings, edition_time)
    # One article at a time: judged, split where on topic, candidates kept.
    engine = Summarizer(rules, settings.segmenter, explain=explain)
    read: set[str] = set()  # every key, cited or not: the next edition compares with it
    for article in articles:
        read.add(article.key)
        engine.add(article)
    if not engine.read:
        raise SourceError(_why_empty(settings))
    selection = engine.finish(settings.budget_words)
    return assemble(
        settings, rules, engine.articles, engine.sentences, selection, edition_time,
        frozenset(read),
    )


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


def number_sources(selection: Selection) -> dict[str, int]:
    """Source numbers in order of first citation: bottom line first, then each section."""
    numbers: dict[str, int] = {}
    for bullet in (*selection.bottom_line, *(b for _, bs in selection.sections for b in bs)):
        for key in bullet.sources:
            numbers.setdefault(key, len(numbers) + 1)
    return numbers


def assemble(
    settings: Settings,
    rules: Rules,
    articles: Sequence[Article],
    sentence_count: int,
    selection: Selection,
    edition_time: datetime,
    read: frozenset[str],
) -> Brief:
    """Turn a selection into the Brief's sections, items and sources.

    Only cited articles become numbered sources: an article that gave no
    bullet (an off-topic feed item, say) is read but not listed.
    ``articles`` must hold every article the selection may cite (the on-topic
    ones); ``read`` is the key of every article read, cited or not (the next
    edition compares with it).
    """
    by_key = {a.key: a for a in articles}
    numbers = number_sources(selection)
    known = [by_key[k].published for k in numbers if by_key[k].published is not None]
    stale_days = settings.memo.stale_after_days
    edition_day = edition_time.date()

    def item(b: Bullet) -> Item:
        cited = tuple(numbers[k] for k in b.sources)
        # Old news carries its date: a reader never takes a 12-day-old
        # "will meet on Monday" for this week's.
        as_of = None
        if b.published is not None and (edition_day - b.published).days > stale_days:
            as_of = b.published
        return Item(
            text=b.text,
            section=b.section,
            article_key=b.article_key,
            sentence_index=b.sentence_index,
            sources=cited,
            published=by_key[b.article_key].published,
            score=b.weight,
            as_of=as_of,
            story=b.story,
            detail=b.detail,
        )

    titles = {s.rule.key: s.rule.title for s in rules.sections}
    sections = tuple(
        Section(key=key, title=titles[key], items=tuple(item(b) for b in chosen))
        for key, chosen in selection.sections
    )
    bottom = tuple(item(b) for b in selection.bottom_line)
    sources = tuple(
        Source(
            number=n,
            article_key=key,
            title=_title(by_key[key]),
            publisher=by_key[key].publisher,
            published=by_key[key].published,
            url=safe_url(by_key[key].url),
            also_published_by=by_key[key].also_published_by,
            summary=by_key[key].summary,
        )
        for key, n in sorted(numbers.items(), key=lambda kv: kv[1])
    )
    memo = settings.memo
    return Brief(
        title=memo.title,
        edition_time=edition_time,
        bottom_line=bottom,
        sections=sections,
        sources=sources,
        articles=len(read),
        sentences=sentence_count,
        newest=max(known) if known else None,
        oldest=min(known) if known else None,
        to=memo.to,
        from_=memo.from_,
        marking=memo.marking,
        author=memo.author,
        bottom_line_title=rules.bottom_line.title,
        decisions=selection.decisions,
        stories=selection.stories,
        on_topic=len(articles),
        read=read,
        paper=memo.paper,
    )


def _title(article: Article) -> str:
    """The article's own headline, else its title, else the opening words of its body."""
    if article.headline:
        return article.headline
    if article.title:
        return article.title
    if article.paragraphs:
        words = article.paragraphs[0].split()
        lead = " ".join(words[:12])
        return lead + ("…" if len(words) > 12 else "")
    return article.key
