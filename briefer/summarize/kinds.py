"""Kinds: whether an item is news, or opinion, analysis, an explainer, a feature, live or media.

Decided by ``[kinds]`` in the rules file, never by code: the first rule
whose link path, headline, opening or one of the item's feed categories
matches decides; an item no rule matches is news. A feed (or a seed
file's sidecar) may say what all its items are. What a kind may do in
the memo is ``[kinds]`` too: some kinds are left out (opinion and
analysis are never stated as fact), and some may be cited for a story
but never word its bullet or the bottom line (features, explainers,
media).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from ..models import Article
from ..rules import Rules

NEWS = "news"


@dataclass(frozen=True, slots=True)
class ItemKind:
    """An item's kind and the rule that decided it (for ``briefer explain``)."""

    kind: str
    why: str


def kind_of(article: Article, rules: Rules) -> ItemKind:
    """The kind of ``article`` (see the module docstring)."""
    if article.feed_kind:
        return ItemKind(article.feed_kind, "its feed's kind setting")
    path = urlsplit(article.url).path if article.url else ""
    title = " ".join((article.headline or article.title or "").split())
    opening = article.paragraphs[0][: rules.kinds.opening_chars] if article.paragraphs else ""
    for rule in rules.kind_rules:
        for where, text in (("link", path), ("headline", title), ("opening", opening)):
            found = rule.first_match(where, text) if text else None
            if found is not None:
                return ItemKind(rule.kind, f"{where} matches '{found.pattern}'")
        for category in article.categories:
            found = rule.first_match("category", category)
            if found is not None:
                return ItemKind(rule.kind, f"category {category!r} matches '{found.pattern}'")
    return ItemKind(NEWS, "no kind rule matched")
