"""Feed markup to plain text, and which links survive."""

from __future__ import annotations

import pytest

from briefer.sources.text import (
    drop_furniture,
    html_to_text,
    inline_text,
    paragraphs_of,
)
from briefer.text import safe_url


def test_paragraphs_come_from_blocks_and_double_breaks() -> None:
    html = "<p>One <b>bold</b> line<br>continues.</p><div>Two</div>Three<br><br>Four"
    assert paragraphs_of(html_to_text(html)) == ("One bold line continues.", "Two", "Three", "Four")


def test_scripts_styles_and_figures_never_become_text() -> None:
    html = (
        "<p>Kept</p><script>alert(1)</script><style>p{}</style>"
        "<figure><img src=x><figcaption>Photo: AFP</figcaption></figure><p>Also kept</p>"
    )
    assert html_to_text(html) == "Kept\n\nAlso kept"


def test_entities_are_decoded_and_whitespace_tidied() -> None:
    html = "<p>AT&amp;T&nbsp;&#8217;s&#x20;deal\u200b  \n in   Gaza&hellip;</p>"
    assert html_to_text(html) == "AT&T ’s deal in Gaza…"


def test_link_blocks_are_dropped_when_asked() -> None:
    html = (
        "<p>The story itself, with <a href='/x'>a link</a> inside.</p>"
        "<ul><li><a href='/y'>Related: another story</a></li></ul>"
        "<p>Get our <a href='/n'>breaking news email</a>, <a href='/a'>free app</a></p>"
        " <a href='/z'>Continue reading...</a>"
    )
    assert html_to_text(html, drop_link_blocks=True) == "The story itself, with a link inside."
    assert "Related: another story" in html_to_text(html)


def test_summary_cut_inside_a_tag() -> None:
    assert html_to_text('<p>Albanese said he was "monitoring" after <a href="https://www.th') == (
        'Albanese said he was "monitoring" after'
    )


@pytest.mark.parametrize(
    ("markup", "is_html", "text"),
    [
        ("Script &lt;b&gt;x", True, "Script <b>x"),
        ("<b>Bold</b> &amp; <i>italic</i>", True, "Bold & italic"),
        ("Plain 5 < 6 and AT&T", False, "Plain 5 < 6 and AT&T"),
        ("Plain with a <script>tag</script> inside", False, "Plain with a inside"),
        ("  Two\n lines  ", False, "Two lines"),
        ("<p>One</p><p>Two</p>", True, "One Two"),
    ],
)
def test_inline_text(markup: str, is_html: bool, text: str) -> None:
    assert inline_text(markup, is_html=is_html) == text


def test_malformed_markup_degrades_to_text() -> None:
    assert html_to_text("<p>unclosed <b>bold <i>and <</p>") == "unclosed bold and <"
    assert html_to_text("<![CDATA[ x ]]> <!-- c --> <p>y") == "y"


def test_furniture_and_repeated_title_are_dropped() -> None:
    paragraphs = [
        "Israel planning new Gaza City op",
        "Officials said the plan needs approval.",
        "The post Israel planning new Gaza City op appeared first on The Times of Israel.",
        "Continue reading...",
    ]
    kept = drop_furniture(paragraphs, "Israel planning new Gaza City op")
    assert kept == ["Officials said the plan needs approval."]


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
        "vbscript:msgbox",
        "java\nscript:alert(1)",
        "//news.example/path",
        "/relative/path",
        "https://",
        "http://exa mple.com/",
        "https://news.example/\x00",
        "",
        None,
    ],
)
def test_unsafe_links_are_dropped(link: str | None) -> None:
    assert safe_url(link) is None


@pytest.mark.parametrize(
    "link", ["https://news.example/a?b=1&c=2#d", "http://127.0.0.1:8080/x", "HTTPS://NEWS.EXAMPLE/"]
)
def test_http_links_are_kept(link: str) -> None:
    assert safe_url(f"  {link} ") == link


@pytest.mark.parametrize(
    ("link", "shown"),
    [
        ("https://www.aljazeera.com/news/2026/1/6/x?traffic_source=rss",
         "https://www.aljazeera.com/news/2026/1/6/x"),
        ("https://e.org/a?id=7&utm_source=rss&utm_medium=feed#top", "https://e.org/a?id=7#top"),
        ("https://e.org/a?fbclid=X1&page=2&gclid=Y", "https://e.org/a?page=2"),
        ("https://www.theguardian.com/world/x?CMP=Share_iOSApp_Other",
         "https://www.theguardian.com/world/x"),
        ("https://www.bbc.com/news/x?at_medium=RSS&at_campaign=rss&ito=1&ns_mchannel=social",
         "https://www.bbc.com/news/x"),
        ("https://e.org/a?UTM_Campaign=x&q=gaza%20truce", "https://e.org/a?q=gaza%20truce"),
        # Other parameters stay as written, in their order.
        ("https://e.org/search?q=a+b&sort=new&&x", "https://e.org/search?q=a+b&sort=new&&x"),
        ("https://e.org/a?utm_foo", "https://e.org/a"),
    ],
)  # fmt: skip
def test_tracking_parameters_are_dropped_from_links(link: str, shown: str) -> None:
    assert safe_url(link) == shown
