"""Text from feed markup: HTML reduced to paragraphs, links made safe.

Feed titles and summaries arrive as HTML fragments of every quality. What
leaves this module is plain text: paragraphs separated by one blank line,
no tags, entities decoded, whitespace collapsed, publisher furniture
("The post ... appeared first on ...") removed. Links are kept only when
they are plain http(s) addresses, so nothing downstream can render a
``javascript:``, ``data:`` or ``file:`` link.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

# Elements whose content is never article text.
_SKIP = frozenset(
    {
        "script", "style", "noscript", "template", "iframe", "object",
        "svg", "math", "figure", "figcaption", "head", "title", "select",
        "button", "form", "audio", "video", "canvas",
    }
)  # fmt: skip
# Elements that end a paragraph.
_BLOCK = frozenset(
    {
        "p", "div", "section", "article", "aside", "header", "footer", "main",
        "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd", "table", "tr",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "nav", "address", "details",
        "summary", "center",
    }
)  # fmt: skip
_VOID = frozenset(
    {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "area", "col", "embed", "track"}
)

# Characters that carry no text: controls (but newline and tab), zero-width
# marks and the byte order mark.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")

# Furniture that feeds append to summaries; a paragraph matching one of
# these is dropped.
_FURNITURE = (
    re.compile(r"^The post .{1,400} appeared first on .{1,200}$", re.S),
    re.compile(r"^(Continue|Keep) reading\b.{0,80}$", re.I),
    re.compile(r"^Read (more|the full (story|article))\b.{0,80}$", re.I),
    re.compile(r"^\[?(…|\.\.\.)\]?$"),
)

_OPEN_TAG_AT_END = re.compile(r"<[A-Za-z/!][^>]*\Z")
_LOOKS_LIKE_MARKUP = re.compile(r"<[A-Za-z/!]|&(#\d+|#x[0-9a-fA-F]+|[A-Za-z]\w*);")
# A block with at least this share of its letters inside links is navigation.
_LINK_SHARE = 0.7


class _TextCollector(HTMLParser):
    """Collect text in blocks (paragraph candidates); skip non-text elements.

    Each block counts the letters inside and outside links: blocks made
    mostly of link text are "related stories" lists, "Continue reading..."
    and newsletter plugs.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, bool]] = []
        self._parts: list[str] = []
        self._in_link = 0
        self._out_link = 0
        self._skipping: list[str] = []
        self._links = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self._void(tag)
        elif tag in _SKIP:
            self._skipping.append(tag)
        elif tag == "a":
            self._links += 1
        elif tag in _BLOCK and not self._skipping:
            self.end_block()
        elif tag in ("td", "th"):
            self._parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self._void(tag)

    def _void(self, tag: str) -> None:
        if self._skipping:
            return
        if tag == "br":
            self._parts.append("\n")
        elif tag == "hr":
            self.end_block()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            # Close the innermost open element of this kind (tolerates bad nesting).
            for index in range(len(self._skipping) - 1, -1, -1):
                if self._skipping[index] == tag:
                    del self._skipping[index:]
                    break
        elif tag == "a":
            self._links = max(0, self._links - 1)
        elif tag in _BLOCK and not self._skipping:
            self.end_block()

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        self._parts.append(data)
        letters = sum(ch.isalnum() for ch in data)
        if self._links:
            self._in_link += letters
        else:
            self._out_link += letters

    def end_block(self) -> None:
        text = "".join(self._parts)
        if text.strip():
            linked = self._in_link >= _LINK_SHARE * (self._in_link + self._out_link)
            self.blocks.append((text, linked and self._in_link > 0))
        self._parts = []
        self._in_link = self._out_link = 0


def clean_text(text: str) -> str:
    """Normalize plain text: NFC, no invisible characters, tidy whitespace.

    Paragraphs (blank-line separated) are kept; single line breaks inside a
    paragraph become spaces.
    """
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text.replace("\r\n", "\n")))
    paragraphs = []
    for block in _PARAGRAPH_BREAK.split(text):
        line = _SPACES.sub(" ", block.replace("\n", " ")).strip()
        if line:
            paragraphs.append(line)
    return "\n\n".join(paragraphs)


def html_to_text(markup: str, *, drop_link_blocks: bool = False) -> str:
    """Reduce an HTML fragment (or page) to plain-text paragraphs.

    Two line breaks (``<br><br>``) or any block element start a new
    paragraph; scripts, styles, figures and similar never contribute text.
    With ``drop_link_blocks``, blocks made mostly of link text
    (related-story lists, "Continue reading...") are dropped. Malformed markup degrades to
    its text, never to an exception.
    """
    if "<" not in markup and "&" not in markup:
        return clean_text(markup)
    # Feeds cut summaries at a length, often inside a tag ("<a href=\"https://www.th").
    markup = _OPEN_TAG_AT_END.sub("", markup)
    collector = _TextCollector()
    try:
        collector.feed(markup)
        collector.close()
        collector.end_block()
    except (AssertionError, ValueError):  # html.parser on pathological input
        return clean_text(re.sub(r"<[^>]*>", " ", markup))
    kept = (text for text, link_only in collector.blocks if not (drop_link_blocks and link_only))
    return clean_text("\n\n".join(kept))


def inline_text(markup: str, *, is_html: bool = True) -> str:
    """A one-line text (a title) from HTML or plain text.

    Plain text that contains tags is reduced all the same: feeds mislabel
    their content types, and no tag may reach a memo.
    """
    text = html_to_text(markup) if is_html or looks_like_markup(markup) else clean_text(markup)
    return " ".join(text.split())


def looks_like_markup(text: str) -> bool:
    """Whether ``text`` holds something an HTML renderer would interpret."""
    return _LOOKS_LIKE_MARKUP.search(text) is not None


def drop_furniture(paragraphs: list[str], title: str | None = None) -> list[str]:
    """Remove feed furniture and a leading repeat of the title."""
    kept = [p for p in paragraphs if not any(rule.match(p) for rule in _FURNITURE)]
    if title and kept and _fold(kept[0]) == _fold(title):
        kept = kept[1:]
    return kept


def without_furniture(text: str, title: str | None = None) -> str:
    """``text`` (blank-line separated paragraphs) after :func:`drop_furniture`."""
    return "\n\n".join(drop_furniture(list(paragraphs_of(text)), title))


def _fold(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def paragraphs_of(text: str | None) -> tuple[str, ...]:
    """Split stored text (blank-line separated) into paragraphs."""
    if not text:
        return ()
    return tuple(p for p in text.split("\n\n") if p.strip())


def extract_article(page: bytes, url: str | None = None) -> str | None:
    """The article body of an HTML page as paragraphs, or None.

    Uses trafilatura (precision over recall, no comments, no tables);
    bodies shorter than a short paragraph count as a failed extraction.
    """
    import trafilatura  # heavy import, only needed for full-text feeds

    try:
        extracted = trafilatura.extract(
            page,
            url=url,
            output_format="txt",
            include_comments=False,
            include_tables=False,
            favor_precision=True,
        )
    except Exception:  # trafilatura raises many kinds on hostile pages
        return None
    if not extracted:
        return None
    text = clean_text("\n\n".join(line for line in extracted.splitlines() if line.strip()))
    return text if len(text) >= 200 else None
