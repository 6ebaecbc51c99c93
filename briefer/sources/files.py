"""Read article files from a folder, with an optional ``sources.toml`` sidecar.

Real article files carry furniture around the body: a ``date YYYY-MM-DD``
line, a headline and standfirst, subheadings, a byline, page boilerplate
("Comments"). Metadata found there goes to the :class:`Article`; the rest is
dropped. A file that cannot be read is logged and skipped; the run goes on.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import logging
import os
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import ConfigError
from ..models import KINDS, Article
from ..text import safe_url, xml_safe
from .furniture import read_byline, read_updated

log = logging.getLogger("briefer.sources")

ARTICLE_SUFFIXES = (".txt", ".md")
SIDECAR = "sources.toml"
_SIDECAR_FIELDS = {"title", "publisher", "published", "url", "author", "kind", "state_media"}


_DATE_LINE = re.compile(r"^\s*date[:\s]+(\d{4}-\d{2}-\d{2})\b[ \t]*", re.IGNORECASE)
# Leading lines searched for a byline or an "Updated" line (headline, standfirst, byline, date).
_HEAD_LINES = 4
_BOILERPLATE = re.compile(
    r"^\s*(comments?|share( this( article)?)?|advertisement|read more|related( articles| stories)?|"
    r"sign up.*newsletter.*|follow us.*|subscribe.*|copyright .*|©.*|all rights reserved\.?|"
    r"tags?:.*|topics?:.*)\s*$",
    re.IGNORECASE,
)
_SENTENCE_STOPS = (".", "!", "?", "…")
_CLOSERS = "\"'”’)]"
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_NOISE = re.compile(r"(\*\*|__|`)")
# [text](address): the text holds no bracket and the address no unbalanced
# parenthesis (one level of pairs, as in Wikipedia links), so a failed
# attempt stops at the next bracket or parenthesis and the whole line is
# read in linear time (a line of 200,000 "[" took minutes with [^\]]*).
_MD_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()]*(?:\([^()]*\)[^()]*)*\)")
_MD_CHARS = re.compile(r"[#*_`\[]")
_MD_MARKS = ("#", "*", "_", "`", "[")  # the characters of _MD_CHARS


@dataclass(frozen=True, slots=True)
class SidecarEntry:
    """Metadata for one file from ``sources.toml``; every field optional."""

    title: str | None = None
    publisher: str | None = None
    published: date | None = None
    url: str | None = None
    author: str | None = None
    kind: str | None = None  # what the file is, when it is not news (opinion, ...)
    state_media: bool = False  # its publisher is state-affiliated media


def read_folder(folder: Path, max_bytes: int) -> list[Article]:
    """Every readable article in ``folder``, in file-name order, duplicates once.

    Raises :class:`ConfigError` only when the folder itself is unusable.
    """
    return list(iter_folder(folder, max_bytes))


def iter_folder(folder: Path, max_bytes: int) -> Iterator[Article]:
    """:func:`read_folder` one article at a time (only one article's text in memory).

    The folder and its ``sources.toml`` are checked before this returns.
    """
    if not folder.exists():
        raise ConfigError(f"{folder}: seeds folder not found")
    if not folder.is_dir():
        raise ConfigError(f"{folder}: seeds folder is not a folder")
    sidecar = read_sidecar(folder / SIDECAR)
    return _articles(folder, sidecar, max_bytes)


def _articles(folder: Path, sidecar: dict[str, SidecarEntry], max_bytes: int) -> Iterator[Article]:
    seen: dict[str, str] = {}
    for path in iter_article_files(folder):
        article = read_article(path, sidecar.get(path.name), max_bytes)
        if article is None:
            continue
        first = seen.get(article.content_hash)
        if first is not None:
            log.warning("%s: same text as %s; counted once", path, first)
            continue
        seen[article.content_hash] = str(path)
        yield article


def iter_article_files(folder: Path) -> Iterator[Path]:
    """Article files (``.txt``, ``.md``) directly in ``folder``, sorted by name."""
    # Sorted by name (what sorting the paths of one folder does), and the
    # directory entry's own type, which spares a stat call per file.
    with os.scandir(folder) as entries:
        found = sorted(
            (entry.name, entry)
            for entry in entries
            if entry.name.lower().endswith(ARTICLE_SUFFIXES) and _is_file(folder, entry)
        )
    root = folder.resolve()
    for _, entry in found:
        path = folder / entry.name
        # A link may point anywhere (/etc/passwd); only files inside the folder count.
        if entry.is_symlink():
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError) as exc:
                log.warning("%s: skipped: a link that leads nowhere (%s)", path, _why(exc))
                continue
            if not target.is_relative_to(root):
                log.warning("%s: skipped: a link to a file outside %s", path, folder)
                continue
        yield path


def _is_file(folder: Path, entry: os.DirEntry[str]) -> bool:
    """Whether ``entry`` is a file (or a link to one); a link loop is skipped with a warning."""
    try:
        if entry.is_file():
            return True
        if entry.is_symlink():
            os.stat(entry.path)  # a broken or looping link says why
    except OSError as exc:
        log.warning("%s: skipped: a link that leads nowhere (%s)", folder / entry.name, _why(exc))
    return False


def _why(exc: BaseException) -> str:
    if (isinstance(exc, OSError) and exc.errno == errno.ELOOP) or isinstance(exc, RuntimeError):
        return "a loop of symbolic links"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc).lower() or type(exc).__name__


def read_sidecar(path: Path) -> dict[str, SidecarEntry]:
    """Parse ``sources.toml``; a broken sidecar is a warning, not a failure."""
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        log.warning("%s: ignored, not readable TOML: %s", path, exc)
        return {}
    entries: dict[str, SidecarEntry] = {}
    for name, table in data.items():
        if not isinstance(table, dict):
            log.warning("%s: %s: expected a table of fields; ignored", path, name)
            continue
        unknown = sorted(
            k
            for k in table
            if k not in _SIDECAR_FIELDS and k != "basis" and not k.endswith("_basis")
        )
        if unknown:
            log.warning("%s: [%s]: unknown field(s) ignored: %s", path, name, ", ".join(unknown))
        published = table.get("published")
        if published is not None and not isinstance(published, date):
            try:
                published = date.fromisoformat(str(published)[:10])
            except ValueError:
                log.warning("%s: [%s]: published: not a date: %r", path, name, published)
                published = None
        url = table.get("url")
        if url is not None and safe_url(str(url)) is None:
            log.warning("%s: [%s]: url: only http(s) links are kept: %r", path, name, url)
            url = None
        kind = _str_or_none(table.get("kind"))
        if kind is not None and kind not in KINDS:
            log.warning("%s: [%s]: kind: one of %s, not %r; ignored", path, name,
                        ", ".join(KINDS), kind)  # fmt: skip
            kind = None
        state_media = table.get("state_media", False)
        if not isinstance(state_media, bool):
            log.warning("%s: [%s]: state_media: true or false, not %r; ignored", path, name,
                        state_media)  # fmt: skip
            state_media = False
        entries[name] = SidecarEntry(
            title=_str_or_none(table.get("title")),
            publisher=_str_or_none(table.get("publisher")),
            published=published,
            url=url,
            author=_str_or_none(table.get("author")),
            kind=kind,
            state_media=state_media,
        )
    return entries


def read_article(path: Path, meta: SidecarEntry | None, max_bytes: int) -> Article | None:
    """Read one file; log a warning naming it and return None if unusable."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                log.warning("%s: skipped: %s is over the %s limit", path, _mb(size), _mb(max_bytes))
                return None
            # No size argument: read(n) sets aside n bytes, for every file.
            raw = handle.read()
    except OSError as exc:
        log.warning("%s: skipped: cannot read: %s", path, exc.strerror)
        return None
    text = decode(raw, path)
    if text is None:
        return None
    cleaned = xml_safe(text)
    if cleaned != text.replace("\r\n", "\n").replace("\r", "\n"):
        log.warning("%s: control characters removed", path)
    return parse_article(path.name, cleaned, meta or SidecarEntry())


def decode(raw: bytes, path: Path) -> str | None:
    """Bytes to text: UTF-8, else a best-effort Windows-1252 read with a warning."""
    if not raw.strip():
        log.warning("%s: skipped: empty file", path)
        return None
    bom = _utf16_or_32(raw)
    if bom is not None:
        try:
            return raw.decode(bom)
        except UnicodeDecodeError as exc:
            log.warning(
                "%s: not valid %s (at offset %d); unreadable parts replaced",
                path,
                bom.upper(),
                exc.start,
            )
            return raw.decode(bom, errors="replace")
    head = raw[:8192]
    if b"\x00" in head or _binary_share(head) > 0.10:
        log.warning("%s: skipped: binary file, not text", path)
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        log.warning(
            "%s: not valid UTF-8 (byte 0x%02x at offset %d); read as Windows-1252",
            path,
            raw[exc.start],
            exc.start,
        )
        return raw.decode("cp1252", errors="replace")


def _utf16_or_32(raw: bytes) -> str | None:
    """The codec named by a UTF-16 or UTF-32 byte order mark at the start, if any."""
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def _binary_share(head: bytes) -> float:
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls / max(len(head), 1)


def parse_article(key: str, text: str, meta: SidecarEntry) -> Article:
    """Split raw article text into metadata and body paragraphs."""
    published = meta.published
    lines = text.split("\n")
    if any(mark in text for mark in _MD_MARKS):
        lines = [_strip_markdown(line) for line in lines]
    # A leading "date YYYY-MM-DD" token (sometimes on the same line as text).
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        match = _DATE_LINE.match(line)
        if match:
            found = _parse_date(match.group(1))
            published = published or found
            lines[i] = line[match.end() :]
        break

    # Blocks of non-empty lines; every line is its own paragraph candidate.
    paragraphs = [line.strip() for line in lines if line.strip()]
    author = meta.author
    publisher = meta.publisher
    updated: date | None = None

    def furniture(line: str) -> bool:
        """Take a byline's or an "Updated" line's metadata; True if ``line`` was one."""
        nonlocal author, publisher, updated
        byline = read_byline(line)
        if byline is not None:
            author = author or byline.author
            publisher = publisher or byline.publisher
            return True
        when = read_updated(line)
        if when is not None:
            updated = max(updated, when) if updated else when
            return True
        return False

    # Trailing page boilerplate, byline and update lines.
    while paragraphs and (_BOILERPLATE.match(paragraphs[-1]) or furniture(paragraphs[-1])):
        paragraphs.pop()
    # Bylines and update lines at the top: before, under or after a headline and standfirst.
    head = [n for n, p in enumerate(paragraphs[:_HEAD_LINES]) if furniture(p)]
    for n in reversed(head):
        paragraphs.pop(n)
    if updated is not None and (published is None or updated > published):
        published = updated  # an article updated since is as new as its update

    # Headline and standfirst: leading lines that are not sentences.
    title = None
    if len(paragraphs) > 1 and _is_heading(paragraphs[0], max_words=25):
        title = paragraphs.pop(0)
        if len(paragraphs) > 1 and not _ends_sentence(paragraphs[0]):
            paragraphs.pop(0)  # a standfirst: not a finished sentence
    # Subheadings anywhere in the body are dropped (they are not sentences).
    body = tuple(p for p in paragraphs if not _is_heading(p, max_words=12))
    digest = hashlib.sha1(_one_spaced(" ".join(body)).lower().encode("utf-8")).hexdigest()
    return Article(
        key=key,
        paragraphs=body,
        title=meta.title or title,
        publisher=publisher,
        published=published,
        url=meta.url,
        author=author,
        content_hash=digest,
        headline=title,
        feed_kind=meta.kind,
        state_media=meta.state_media,
    )


def _one_spaced(text: str) -> str:
    """``text`` with every run of whitespace one space, and none at either end."""
    # Printable text holds no whitespace but the space: often nothing to do.
    if text.isprintable() and "  " not in text and text == text.strip():
        return text
    return " ".join(text.split())


def _is_heading(line: str, max_words: int) -> bool:
    """A short line without sentence-ending punctuation: a headline or subhead."""
    return not _ends_sentence(line) and len(line.split()) <= max_words


def _ends_sentence(line: str) -> bool:
    """Whether ``line`` ends in a stop, perhaps followed by closing quotes or brackets."""
    return line.rstrip().rstrip(_CLOSERS).endswith(_SENTENCE_STOPS)


def _strip_markdown(line: str) -> str:
    if not _MD_CHARS.search(line):
        return line  # nothing for the three patterns below to change
    line = _MD_HEADING.sub("", line)
    line = _MD_LINK.sub(r"\1", line)
    return _MD_NOISE.sub("", line)


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _str_or_none(value: object) -> str | None:
    return str(value).strip() or None if value is not None else None


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
