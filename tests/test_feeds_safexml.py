"""Entity attacks are rejected before any XML parser runs; honest entities still work."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from briefer.errors import FeedError
from briefer.sources.feedparse import parse_feed
from briefer.sources.safexml import UnsafeXMLError, check_entities

from .feedserver import BILLION_LAUGHS_FEED, QUADRATIC_FEED, XXE_FEED
from .helpers import FIXTURES

LIMIT = 10_000_000
PASSWD = Path("/etc/passwd")


def feed_with(doctype: str, body: str = "<title>t</title>") -> bytes:
    return (
        f'<?xml version="1.0"?>\n{doctype}\n<rss version="2.0"><channel>{body}'
        "<item><title>Item</title><guid>https://news.example/1</guid></item></channel></rss>"
    ).encode()


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (XXE_FEED, "declares an external entity (&xxe;)"),
        (BILLION_LAUGHS_FEED, "entity &lol1; refers to &lol0;"),
        (QUADRATIC_FEED, "entity expansion would exceed 10,000,000 bytes"),
        (feed_with('<!DOCTYPE rss [<!ENTITY x PUBLIC "-//X//EN" "http://127.0.0.1:9/x.ent">]>'),
         "declares an external entity"),
        (feed_with('<!DOCTYPE rss [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>'),
         "declares a parameter entity"),
        (feed_with('<!DOCTYPE rss [<!ENTITY a "x"> %b;]>'), "parameter entity reference"),
        (feed_with("<!DOCTYPE rss [<!ENTITY a 'x'><!ENTITY b '&a;&a;'>]>"), "refers to &a;"),
        # Declarations a forgiving parser would still read: in a comment of
        # the internal subset, or in a DOCTYPE that is not well-formed.
        (feed_with('<!DOCTYPE rss [\n<!--\n<!ENTITY a "' + "x" * 10_000 + '">\n-->\n]>',
                   "<title>" + "&a;" * 2_000 + "</title>"), "entity expansion would exceed"),
        (feed_with('<!DOCTYPE rss [ junk <!ENTITY x SYSTEM "file:///etc/passwd"> ]>'),
         "declares an external entity"),
        # The same attack in UTF-16 and in EBCDIC.
        (XXE_FEED.decode().replace('"1.0"?>', '"1.0" encoding="utf-16"?>').encode("utf-16"),
         "declares an external entity"),
        (XXE_FEED.decode().replace('"1.0"?>', '"1.0" encoding="cp037"?>').encode("cp037"),
         "declares an external entity"),
        (feed_with("<!DOCTYPE rss [" + "".join(f'<!ENTITY e{n} "x">' for n in range(70)) + "]>"),
         "declares 70 entities"),
        # A byte order mark first, and markup inside the entity value.
        (b"\xef\xbb\xbf" + feed_with('<!DOCTYPE rss [<!ENTITY a "<b>' + "x" * 10_000 + '</b>">]>',
                                     "<title>" + "&a;" * 2_000 + "</title>"),
         "entity expansion would exceed"),
    ],
)  # fmt: skip
def test_attacks_are_rejected(document: bytes, reason: str) -> None:
    with pytest.raises(UnsafeXMLError, match=r"^unsafe XML rejected: ") as caught:
        check_entities(document, max_expansion=LIMIT)
    assert reason in str(caught.value)
    with pytest.raises(FeedError):
        parse_feed(document, url="http://127.0.0.1/feed.xml", max_bytes=LIMIT)


@pytest.mark.parametrize(
    "document",
    [
        feed_with(""),
        feed_with('<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
                  '"http://my.netscape.com/publish/formats/rss-0.91.dtd">'),
        feed_with('<!DOCTYPE rss [<!ENTITY nbsp "&#160;"><!ENTITY amp2 "&amp;">]>'),
        feed_with("<!DOCTYPE rss [<!ELEMENT rss ANY><!ATTLIST rss version CDATA #IMPLIED>]>"),
        feed_with("", "<description><![CDATA[<!DOCTYPE x [<!ENTITY y SYSTEM 'z'>]>]]>"
                      "</description>"),
    ],
)  # fmt: skip
def test_honest_documents_pass(document: bytes) -> None:
    check_entities(document, max_expansion=LIMIT)
    assert parse_feed(document, url="http://127.0.0.1/feed.xml").items


@pytest.mark.parametrize("document", [BILLION_LAUGHS_FEED, QUADRATIC_FEED])
def test_rejection_is_fast_and_small(document: bytes) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(UnsafeXMLError):
            parse_feed(document, url="http://127.0.0.1/feed.xml", max_bytes=LIMIT)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < 10  # a guard, not a measurement: unguarded, it never ends
    assert peak < 4 * len(document) + 1_000_000


def test_external_dtd_is_never_read() -> None:
    # A DOCTYPE may name an external DTD (RSS 0.91 does); nothing reads it.
    document = feed_with(
        '<!DOCTYPE rss SYSTEM "file:///etc/passwd">', "<title>Leak? &passwd;</title>"
    )
    parsed = parse_feed(document, url="http://127.0.0.1/feed.xml")
    text = " ".join([parsed.title or "", *(i.title + i.summary for i in parsed.items)])
    assert "root:" not in text
    if PASSWD.exists():
        first_line = PASSWD.read_text(errors="replace").splitlines()[0]
        assert first_line not in text


def test_small_internal_entity_still_works() -> None:
    parsed = parse_feed((FIXTURES / "entity_in_doctype.xml").read_bytes(), url="http://x/")
    assert [i.guid for i in parsed.items] == ["tag:example.com,2006-05-04:/blog/"]
    assert parsed.problem is None


def test_netscape_doctype_feed_parses() -> None:
    parsed = parse_feed((FIXTURES / "rss_version_091_netscape.xml").read_bytes(), url="http://x/")
    assert parsed.version == "rss091n"


def test_parameter_entity_dtd_is_rejected() -> None:
    # An external parameter entity (an XHTML entity set here) is refused as a whole.
    with pytest.raises(UnsafeXMLError, match="parameter entity"):
        parse_feed((FIXTURES / "doctype_contains_entity_decl.xml").read_bytes(), url="http://x/")
