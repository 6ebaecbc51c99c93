"""The one orchestrator: settings in, a finished :class:`Brief` out.

Reading, segmenting, selection and assembly run top to bottom; rendering
and delivery take the finished Brief and never reach back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime

from .errors import SourceError
from .models import Article, Brief, Item, Section, Source
from .settings import Settings
from .summarize.rules import Rules, load_rules
from .summarize.select import BOTTOM_LINE, Candidate, Selection, Selector
from .text import safe_url

log = logging.getLogger("briefer.build")


def build_brief(
    settings: Settings, articles: Iterable[Article] | None = None, explain: bool = False
) -> Brief:
    """Build one edition from the seeds folder (and stored feed items, if any).

    Articles are read and scored one at a time; only what the memo can cite
    (the article without its body) is kept. ``explain`` keeps a verdict on
    every sentence in :attr:`Brief.decisions`.
    """
    rules = load_rules(settings.rules_file)
    edition_time = settings.edition_time()
    if articles is None:
        articles = gather_articles(settings)
    # One article at a time: split (where it can matter), score, keep candidates.
    selector = Selector(rules, settings.segmenter, explain=explain)
    read = 0
    citable: list[Article] = []  # articles that gave a candidate: only they can be cited
    for article in articles:
        read += 1
        if selector.add(article):
            # _title may need the opening paragraph; the rest of the text is done with.
            citable.append(replace(article, paragraphs=article.paragraphs[:1]))
    if not read:
        raise SourceError(_why_empty(settings))
    selection = selector.finish(settings.budget_words)
    return assemble(
        settings, rules, citable, selector.sentences, selection, edition_time, read=read
    )


def gather_articles(settings: Settings) -> Iterator[Article]:
    """Articles from the seeds folder, then feed items inside the window, one at a time."""
    from .sources.files import iter_folder

    yield from iter_folder(settings.seeds_dir, settings.max_article_bytes)
    if settings.feeds:
        from .sources.feeds import feed_articles

        yield from feed_articles(settings, settings.edition_time())


def _why_empty(settings: Settings) -> str:
    from .sources.files import iter_article_files

    files = sum(1 for _ in iter_article_files(settings.seeds_dir))
    where = settings.seeds_dir
    if files == 0 and not settings.feeds:
        return f"{where}: no article files (.txt or .md); nothing to brief"
    return f"{where}: none of the {files} article files could be used (see warnings above)"


def number_sources(articles: Sequence[Article]) -> dict[str, int]:
    """Source numbers: newest first, undated last, then by key (stable)."""
    order = sorted(
        articles,
        key=lambda a: (a.published is None, -(a.published or date.min).toordinal(), a.key),
    )
    return {a.key: n for n, a in enumerate(order, start=1)}


def assemble(
    settings: Settings,
    rules: Rules,
    articles: Sequence[Article],
    sentence_count: int,
    selection: Selection,
    edition_time: datetime,
    read: int | None = None,
) -> Brief:
    """Turn a selection into the Brief's sections, items and sources.

    Only cited articles become numbered sources: an article that gave no
    bullet (an off-topic feed item, say) is read but not listed.
    ``articles`` must hold every article the selection may cite; ``read``
    is how many were read in all (default: ``len(articles)``).
    """
    by_key = {a.key: a for a in articles}
    chosen = [*selection.bottom_line, *(c for _, cs in selection.sections for c in cs)]
    used = {c.article_key for c in chosen} | {s.article_key for c in chosen for s in c.supporters}
    numbers = number_sources([by_key[k] for k in sorted(used)])
    known = [by_key[k].published for k in used if by_key[k].published is not None]
    newest = max(known) if known else None
    stale_days = settings.memo.stale_after_days
    edition_day = edition_time.date()

    def item(c: Candidate, section: str) -> Item:
        cited = [numbers[c.article_key]]
        for s in c.supporters:
            n = numbers[s.article_key]
            if n not in cited:
                cited.append(n)
        # Old news carries its date: against the edition, so a reader never takes
        # last year's "on Monday" for this week's.
        as_of = None
        if c.published and (edition_day - c.published).days > stale_days:
            as_of = c.published
        return Item(
            text=c.text,
            section=section,
            article_key=c.article_key,
            sentence_index=c.sentence.index,
            sources=(cited[0], *sorted(cited[1:])),
            published=c.published,
            score=round(c.score, 3),
            as_of=as_of,
        )

    titles = {s.rule.key: s.rule.title for s in rules.sections}
    sections = tuple(
        Section(key=key, title=titles[key], items=tuple(item(c, key) for c in chosen))
        for key, chosen in selection.sections
    )
    bottom = tuple(item(c, BOTTOM_LINE) for c in selection.bottom_line)
    sources = tuple(
        Source(
            number=n,
            article_key=key,
            title=_title(by_key[key]),
            publisher=by_key[key].publisher,
            published=by_key[key].published,
            url=safe_url(by_key[key].url),
            also_published_by=by_key[key].also_published_by,
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
        articles=len(articles) if read is None else read,
        sentences=sentence_count,
        newest=newest,
        oldest=min(known) if known else None,
        to=memo.to,
        from_=memo.from_,
        marking=memo.marking,
        author=memo.author,
        bottom_line_title=rules.bottom_line.title,
        decisions=selection.decisions,
    )


def _title(article: Article) -> str:
    """The article's title, else the opening words of its first paragraph."""
    if article.title:
        return article.title
    if article.paragraphs:
        words = article.paragraphs[0].split()
        lead = " ".join(words[:12])
        return lead + ("…" if len(words) > 12 else "")
    return article.key
