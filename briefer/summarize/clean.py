"""An article's text made ready for bullets: furniture out, datelines off, digests split.

Runs before anything is scored, so neither topics nor candidates ever see
a caption, a "Watch:" line, a dateline or a live blog's digest line as
news. Everything here is driven by ``[candidates]`` in the rules file.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Article
from ..rules import Rules


@dataclass(frozen=True, slots=True)
class Prepared:
    """An article's headline and paragraphs as the engine reads them.

    ``paragraphs`` are what is left once furniture is dropped and digest
    lines are split into their items; ``dropped`` holds what went and why
    (for ``--explain``).
    """

    article: Article
    headline: str  # "" when the article has none usable
    paragraphs: tuple[str, ...]
    dropped: tuple[str, ...] = ()
    cut: bool = False  # the body was longer than max_article_chars
    # The headline's parts when it joins several items ("A; B"): each is judged alone.
    headlines: tuple[str, ...] = ()


def prepare(article: Article, rules: Rules) -> Prepared:
    """Drop furniture, trim datelines, split digest lines, cap the length.

    An item whose headline is furniture ("Watch: ...", "... – podcast") is a
    caption or a promo: nothing of it is read.
    """
    cand = rules.candidates
    headline = clean_headline(article.headline or "", rules)
    if article.headline and not headline:
        return Prepared(article, "", (), (article.headline, *article.paragraphs))
    budget = cand.max_article_chars
    paragraphs: list[str] = []
    dropped: list[str] = []
    cut = False
    for paragraph in article.paragraphs:
        if budget <= 0:
            cut = True
            break
        if len(paragraph) > budget:
            paragraph = paragraph[:budget]
            cut = True
        budget -= len(paragraph)
        for part in split_digest(paragraph, cand.digest_separators):
            text = trim_dateline(part, rules)
            if not text:
                continue
            if rules.is_junk(text):
                dropped.append(text)
                continue
            paragraphs.append(text)
    parts = [p for p in split_digest(headline, [*cand.digest_separators, "; "]) if p]
    # A digest headline's parts each open like a headline ("Syria announces
    # ceasefire in Aleppo; Israel kills 13 in Gaza"); a lower-case part
    # continues one headline ("... reach 13th day; rights group says 51 killed").
    if any(not _opens_headline(p) for p in parts[1:]):
        parts = [headline]
    headlines = tuple(parts) if len(parts) > 1 else ((headline,) if headline else ())
    return Prepared(article, headline, tuple(paragraphs), tuple(dropped), cut, headlines)


def _opens_headline(text: str) -> bool:
    first = text.lstrip("\"'“‘(")[:1]
    return first.isupper() or first.isdigit()


def split_digest(paragraph: str, separators: list[str]) -> list[str]:
    """A digest line ("A happened * B happened") as its items; else the paragraph."""
    for separator in separators:
        if separator in paragraph:
            parts = [p.strip() for p in paragraph.split(separator)]
            return [p for p in parts if p]
    return [paragraph]


def trim_dateline(text: str, rules: Rules) -> str:
    """``text`` without a leading dateline ("TEHRAN (AP) —") or a stray leading dash."""
    text = text.strip()
    match = rules.dateline.match(text)
    if match and match.end() < len(text):
        rest = text[match.end() :].lstrip()
        if rest[:1].isupper() or rest[:1] in "\"'“‘(":
            text = rest
    while text[:1] in ("—", "–") or text.startswith("- "):
        text = text[1:].lstrip()
    return text


def clean_headline(headline: str, rules: Rules) -> str:
    """A headline without its trimmings ("Live Updates: ", " – live"); "" if furniture."""
    text = " ".join(headline.split())
    for pattern in rules.headline_trim:
        found = pattern.search(text)
        if found:
            text = (text[: found.start()] + text[found.end() :]).strip()
    if not text or rules.is_junk(text):
        return ""
    return text
