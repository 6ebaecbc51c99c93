"""A gate in front of the XML parser: entity declarations are checked first.

feedparser parses with expat (and, on ill-formed input, a forgiving SGML
parser). Both expand entities declared in a document's DOCTYPE. feedparser
already drops declarations it considers unsafe, but it finds them with a
line-anchored regular expression, and it keeps any internal entity whose
value is plain text, so one 10 KB entity used 10,000 times still expands to
100 MB. :func:`check_entities` therefore reads the prolog itself, before
any parser sees the bytes, and rejects a document that declares:

- an external entity (``SYSTEM`` or ``PUBLIC``): the XXE pattern;
- a parameter entity (``<!ENTITY % ...>``) or a parameter-entity reference;
- an entity whose value refers to another entity: the billion-laughs pattern;
- more than :data:`MAX_ENTITIES` entities, or entities whose references
  would expand the document past a byte limit: the quadratic-blowup pattern.

Small internal entities (``<!ENTITY id "tag:example.com,">``) still work.
A DOCTYPE's own external identifier (``<!DOCTYPE rss PUBLIC "..." "...dtd">``,
common in RSS 0.91) is allowed: no parser here ever fetches it.

The prolog is decoded the way an XML parser would see it (UTF-8 and other
ASCII supersets, UTF-16, UTF-32, EBCDIC), so declarations cannot hide in a
different encoding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import FeedError

MAX_ENTITIES = 64

_NAME = re.compile(r"[^\s\"'<>%&;/=\[\]]+")
# A reference inside an entity value that is harmless: a character
# reference or one of the five predefined entities.
_HARMLESS_REF = re.compile(r"&(#[0-9]+|#x[0-9a-fA-F]+|lt|gt|amp|apos|quot);")
# The part of a document feedparser treats as its head: up to the first
# element start tag.
_FIRST_ELEMENT = re.compile(r"<[A-Za-z0-9_]")
_ENTITY_DECL = re.compile(r"<!ENTITY", re.IGNORECASE)


class UnsafeXMLError(FeedError):
    """The document declares entities that could leak files or exhaust memory."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"unsafe XML rejected: {reason}")


@dataclass(frozen=True, slots=True)
class _Entity:
    name: str
    value: str


def check_entities(data: bytes, *, max_expansion: int) -> None:
    """Raise :class:`UnsafeXMLError` if ``data`` declares unsafe entities.

    ``max_expansion`` bounds the bytes that entity references may add when
    expanded (use the feed size limit). Documents without a DOCTYPE pass
    after a single search; the cost is linear in the document size.
    """
    text = _as_text(data)
    entities = _Prolog(text).entities()
    # A parser that recovers from errors (feedparser's fallback) reads any
    # declaration before the first element, even inside comments or a
    # broken DOCTYPE: check those too.
    entities.extend(_declared_in_head(text, _first_element(text)))
    names = {e.name for e in entities}
    if len(names) > MAX_ENTITIES:
        raise UnsafeXMLError(f"declares {len(names)} entities (at most {MAX_ENTITIES})")
    longest: dict[str, int] = {}
    for entity in entities:
        longest[entity.name] = max(longest.get(entity.name, 0), len(entity.value))
    total = 0
    for name, size in longest.items():
        uses = text.count(f"&{name};")
        total += uses * size
        if total > max_expansion:
            raise UnsafeXMLError(
                f"entity expansion would exceed {max_expansion:,} bytes "
                f"(&{name}; is {size:,} characters, used {uses:,} times)"
            )


def _declared_in_head(text: str, end: int) -> list[_Entity]:
    """Declarations starting before ``end``, each read to its own end."""
    found = []
    for match in _ENTITY_DECL.finditer(text, 0, end):
        reader = _Prolog(text)
        reader.pos = match.end()
        found.append(reader.entity())
    return found


def _first_element(text: str) -> int:
    match = _FIRST_ELEMENT.search(text)
    return match.start() if match else len(text)


def _as_text(data: bytes) -> str:
    """Decode enough of ``data`` to read markup (see XML 1.0 appendix F)."""
    head = data[:4]
    if head[:4] in (b"\x00\x00\xfe\xff", b"\x00\x00\x00<"):
        return data.decode("utf-32-be", "replace")
    if head[:4] in (b"\xff\xfe\x00\x00", b"<\x00\x00\x00"):
        return data.decode("utf-32-le", "replace")
    if head[:2] == b"\xfe\xff" or head == b"\x00<\x00?" or head[:3] == b"\x00<\x00":
        return data.decode("utf-16-be", "replace")
    if head[:2] == b"\xff\xfe" or head == b"<\x00?\x00" or head[:3] == b"<\x00!":
        return data.decode("utf-16-le", "replace")
    if head == b"\x4c\x6f\xa7\x94":  # "<?xm" in EBCDIC
        return data.decode("cp037", "replace")
    # Every other encoding an XML parser accepts is an ASCII superset: the
    # markup is readable byte for byte.
    return data.removeprefix(b"\xef\xbb\xbf").decode("latin-1")


class _Prolog:
    """A small reader for the prolog: XML declaration, comments, PIs, DOCTYPE."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def entities(self) -> list[_Entity]:
        """Entities declared in a DOCTYPE's internal subset."""
        text = self.text
        if text.startswith("\ufeff"):
            self.pos = 1
        while True:
            self._skip_space()
            if text.startswith("<?", self.pos):
                if not self._skip_past("?>"):
                    return []
            elif text.startswith("<!--", self.pos):
                if not self._skip_past("-->"):
                    return []
            elif text[self.pos : self.pos + 9].upper() == "<!DOCTYPE":
                self.pos += 9
                return self._doctype()
            else:
                return []

    def _doctype(self) -> list[_Entity]:
        text = self.text
        # The name and external identifier, up to the internal subset or the end.
        while self.pos < len(text) and text[self.pos] not in "[>":
            if text[self.pos] in "\"'":
                self._skip_quoted()
            else:
                self.pos += 1
        if self.pos >= len(text) or text[self.pos] == ">":
            return []
        self.pos += 1  # "["
        entities: list[_Entity] = []
        while True:
            self._skip_space()
            if self.pos >= len(text) or text[self.pos] == "]":
                return entities
            if text.startswith("<!--", self.pos):
                if not self._skip_past("-->"):
                    return entities
            elif text.startswith("<?", self.pos):
                if not self._skip_past("?>"):
                    return entities
            elif text[self.pos : self.pos + 8].upper() == "<!ENTITY":
                self.pos += 8
                entities.append(self.entity())
            elif text.startswith("<!", self.pos):
                self._skip_declaration()
            elif text[self.pos] == "%":
                raise UnsafeXMLError("DOCTYPE uses a parameter entity reference")
            else:
                # Not a DTD any parser accepts; check_entities still reads
                # the declarations a forgiving parser would.
                return entities

    def entity(self) -> _Entity:
        """Read one declaration, just after its ``<!ENTITY``."""
        text = self.text
        self._skip_space()
        if text.startswith("%", self.pos):
            raise UnsafeXMLError("declares a parameter entity")
        match = _NAME.match(text, self.pos)
        if not match:
            raise UnsafeXMLError("malformed entity declaration")
        name = match.group()
        self.pos = match.end()
        self._skip_space()
        if self.pos >= len(text) or text[self.pos] not in "\"'":
            word = text[self.pos : self.pos + 6].upper()
            if word.startswith(("SYSTEM", "PUBLIC")):
                raise UnsafeXMLError(f"declares an external entity (&{name};)")
            raise UnsafeXMLError(f"malformed entity declaration (&{name};)")
        value = self._skip_quoted()
        for ref in re.finditer(r"[&%][^;\s]*;?", value):
            if not _HARMLESS_REF.fullmatch(ref.group()):
                raise UnsafeXMLError(
                    f"entity &{name}; refers to {ref.group()} (nested entities are not accepted)"
                )
        self._skip_declaration()
        return _Entity(name, value)

    def _skip_space(self) -> None:
        text = self.text
        while self.pos < len(text) and text[self.pos] in " \t\r\n":
            self.pos += 1

    def _skip_past(self, end: str) -> bool:
        found = self.text.find(end, self.pos)
        if found < 0:
            self.pos = len(self.text)
            return False
        self.pos = found + len(end)
        return True

    def _skip_quoted(self) -> str:
        quote = self.text[self.pos]
        end = self.text.find(quote, self.pos + 1)
        if end < 0:
            end = len(self.text)
        value = self.text[self.pos + 1 : end]
        self.pos = end + 1
        return value

    def _skip_declaration(self) -> None:
        """Skip to the ``>`` that closes the current declaration."""
        text = self.text
        while self.pos < len(text) and text[self.pos] != ">":
            if text[self.pos] in "\"'":
                self._skip_quoted()
            else:
                self.pos += 1
        self.pos += 1
