"""Split article paragraphs into sentences that keep their position.

Two interchangeable splitters, chosen by name in settings: ``syntok`` (a
maintained rule-based segmenter that survives quotes, ``U.S.``, ``Mr.``,
``Jan.`` and numbers such as ``1,900``) and ``fast`` (a single regular
expression with an abbreviation guard, for very large runs).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from ..models import Article, Sentence

Splitter = Callable[[str], list[str]]


# Where syntok may end a sentence: its terminal marks, and brackets (it
# splits after some bracketed datelines). A paragraph with none of them but
# a final stop is one sentence; syntok is not asked (it gives the same).
_BREAKS = re.compile(
    "[()\\[\\].!?;\u203c\u203d\u2047\u2048\u2049\u3002\ufe52\ufe57\uff01\uff0e\uff1f\uff61]"
)


def _syntok(paragraph: str) -> list[str]:
    text = paragraph.strip()
    body = text.rstrip("\"'”’)]")
    if body.endswith((".", "!", "?")):
        body = body[:-1]
    if not _BREAKS.search(body):
        return [text] if text else []
    return _syntok_analyze(paragraph)


def _syntok_analyze(paragraph: str) -> list[str]:
    from syntok import segmenter

    out = []
    for para in segmenter.analyze(paragraph):
        for sentence in para:
            text = "".join(token.spacing + token.value for token in sentence).strip()
            if text:
                out.append(text)
    return out


# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen col lt sgt capt cmdr adm gov sen rep rev st jr sr mt no "
    "jan feb mar apr jun jul aug sep sept oct nov dec inc ltd co corp vs etc approx est".split()
)
_CANDIDATE = re.compile(r"""[.!?…]["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9])""")


def _fast(paragraph: str) -> list[str]:
    parts = []
    start = 0
    for match in _CANDIDATE.finditer(paragraph):
        if paragraph[match.start()] == ".":
            token = _last_word(paragraph, start, match.start())
            # "Mr." "Jan." "U.S." "J." are not sentence ends.
            initial = len(token) == 1 and token.isalpha()
            if token.lower() in _ABBREVIATIONS or "." in token or initial:
                continue
        end = match.end()
        parts.append(paragraph[start:end].strip())
        start = end
    parts.append(paragraph[start:].strip())
    return [p for p in parts if p]


def _last_word(text: str, start: int, end: int) -> str:
    """The run of word characters and dots just before ``text[end]`` (not before ``start``).

    Read backwards from the stop: searching for it from the start of the
    sentence made long paragraphs slow.
    """
    i = end
    while i > start and (text[i - 1].isalnum() or text[i - 1] in "._"):
        i -= 1
    return text[i:end]


SPLITTERS: dict[str, Splitter] = {"syntok": _syntok, "fast": _fast}


def split_sentences(text: str, splitter: str = "syntok") -> list[str]:
    """Sentences of one paragraph of text."""
    return SPLITTERS[splitter](text)


def segment(article: Article, splitter: str = "syntok") -> Iterator[Sentence]:
    """The article's body sentences, numbered in reading order."""
    split = SPLITTERS[splitter]
    index = 0
    for number, paragraph in enumerate(article.paragraphs):
        for text in split(paragraph):
            yield Sentence(
                article_key=article.key,
                index=index,
                paragraph=number,
                text=text,
                words=len(text.split()),
            )
            index += 1

