"""A real HTTP server on 127.0.0.1 for feed tests and the feed benchmark.

It serves folders and byte strings with ETag / Last-Modified (answering
conditional requests with 304), and a set of misbehaving endpoints
(:data:`FAULTS`): a server that never answers, one that trickles a byte a
second, a 50 MB body, a gzip bomb, redirect loops, HTML instead of a feed,
entity attacks and so on. Every request is logged in :attr:`FeedServer.hits`.

    with FeedServer() as server:
        server.mount("/jan/", corpus / "2026-01-01")
        url = server.url("/jan/bbc-middle-east.xml")
"""

from __future__ import annotations

import calendar
import email.utils
import gzip
import hashlib
import re
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

Handler = Callable[["_RequestHandler"], None]

# A fixed time for byte strings served without one (Last-Modified).
FIXED_TIME = 1767225600.0  # 2026-01-01T00:00:00Z


@dataclass(frozen=True)
class Hit:
    """One request as the server saw it."""

    path: str
    status: int
    headers: Mapping[str, str]


@dataclass
class _Static:
    body: bytes
    content_type: str
    mtime: float
    headers: dict[str, str] = field(default_factory=dict)
    gzip: bool = False


def rss(
    items: Iterable[Mapping[str, str]],
    *,
    title: str = "Test Feed",
    link: str = "https://news.example/",
    encoding: str = "utf-8",
    declared: str | None = None,
) -> bytes:
    """An RSS 2.0 document. Item keys: title, link, guid, description, pubDate, category.

    Values are inserted as given (escape them yourself), so tests can put
    markup in. ``declared`` is the encoding named in the XML declaration
    (default: ``encoding``).
    """
    parts = [
        f'<?xml version="1.0" encoding="{declared or encoding}"?>\n'
        f'<rss version="2.0"><channel><title>{title}</title><link>{link}</link>\n'
    ]
    for item in items:
        parts.append("<item>")
        for key in ("title", "link", "guid", "description", "pubDate"):
            if key in item:
                parts.append(f"<{key}>{item[key]}</{key}>")
        for category in item.get("category", "").splitlines():  # one per line
            parts.append(f"<category>{category}</category>")
        parts.append("</item>\n")
    parts.append("</channel></rss>\n")
    return "".join(parts).encode(encoding)


def rfc822(when: str) -> str:
    """'2026-01-05T10:00' -> 'Mon, 05 Jan 2026 10:00:00 +0000' (UTC)."""
    seconds = calendar.timegm(time.strptime(when, "%Y-%m-%dT%H:%M"))
    return email.utils.formatdate(seconds).replace("-0000", "+0000")


def sample_feed(count: int = 5, *, prefix: str = "sample", title: str = "Sample News") -> bytes:
    """A small valid feed with ``count`` distinct items dated 2026-01-05."""
    return rss(
        (
            {
                "title": f"{title} story {n} about the Gaza ceasefire talks ({prefix})",
                "link": f"https://news.example/{prefix}/{n}",
                "guid": f"https://news.example/{prefix}/{n}",
                "description": f"Negotiators met again on day {n} to discuss the ceasefire.",
                "pubDate": rfc822(f"2026-01-05T{10 + n % 10:02d}:00"),
            }
            for n in range(count)
        ),
        title=title,
    )


@cache
def gzip_bomb(megabytes: int = 1024) -> bytes:
    """A valid gzip stream of ``megabytes`` MB of zeros, about 1 MB in size.

    Built from one compressed 1 MB block repeated: after a full flush the
    compressor starts afresh, so every block compresses to the same bytes.
    """
    zeros = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(zeros, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc, (megabytes << 20) & 0xFFFFFFFF)
    return header + block * megabytes + tail + trailer


def comment_headers(body: bytes) -> dict[str, str]:
    """``Header: Name: value`` lines of a feedparser test file's leading comment."""
    head = body[:2000].decode("latin-1")
    found = {}
    for name, value in re.findall(r"^Header:\s+([\w-]+):[ \t]*(.*?)\s*$", head, re.M):
        found[name] = value
    return found


class FeedServer:
    """A threaded HTTP server on 127.0.0.1 (port chosen by the OS)."""

    def __init__(self) -> None:
        self.statics: dict[str, _Static] = {}
        self.mounts: dict[str, tuple[Path, bool]] = {}
        self.handlers: dict[str, Handler] = {}
        self.hits: list[Hit] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _RequestHandler)
        self._server.feeds = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> FeedServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    # -- content ------------------------------------------------------------

    def add(
        self,
        path: str,
        body: bytes,
        *,
        content_type: str = "application/rss+xml",
        headers: Mapping[str, str] | None = None,
        mtime: float = FIXED_TIME,
        gzip: bool = False,
    ) -> str:
        """Serve ``body`` at ``path`` (with validators); return its URL."""
        self.statics[path] = _Static(body, content_type, mtime, dict(headers or {}), gzip)
        return self.url(path)

    def mount(self, prefix: str, folder: Path, *, file_headers: bool = False) -> None:
        """Serve the files of ``folder`` under ``prefix`` (replacing an earlier mount).

        ``file_headers``: send the ``Header:`` lines found in each file's
        leading comment (the feedparser test-suite convention).
        """
        self.mounts[prefix] = (folder, file_headers)

    def handle(self, path: str, handler: Handler) -> str:
        """Answer ``path`` with ``handler(request)``; return its URL."""
        self.handlers[path] = handler
        return self.url(path)

    def add_faults(self, prefix: str = "/fault/") -> dict[str, str]:
        """Register every endpoint of :data:`FAULTS`; return name -> URL."""
        gzip_bomb()  # built now, not while a client waits for it
        return {name: self.handle(prefix + name, handler) for name, handler in FAULTS.items()}

    def statuses(self, path: str) -> list[int]:
        """Status codes sent for ``path``, in order."""
        with self._lock:
            return [h.status for h in self.hits if h.path == path]

    def _record(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def _find(self, path: str) -> tuple[_Static | None, Mapping[str, str]]:
        static = self.statics.get(path)
        if static is not None:
            return static, static.headers
        for prefix, (folder, file_headers) in self.mounts.items():
            if path.startswith(prefix):
                relative = path[len(prefix) :]
                target = (folder / relative).resolve()
                if folder.resolve() not in target.parents or not target.is_file():
                    return None, {}
                body = target.read_bytes()
                extra = comment_headers(body) if file_headers else {}
                content_type = "application/rss+xml"
                for name in list(extra):
                    if name.lower() == "content-type":
                        content_type = extra.pop(name)
                return _Static(body, content_type, target.stat().st_mtime, dict(extra)), extra
        return None, {}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    feeds: FeedServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients hang up on purpose in these tests


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle's algorithm on,
    # the client's delayed ACK would add 40 ms to every request.
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    @property
    def feeds(self) -> FeedServer:
        return self.server.feeds

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        handler = self.feeds.handlers.get(path)
        if handler is not None:
            handler(self)
            return
        static, _ = self.feeds._find(path)
        if static is None:
            self.send_bytes(404, b"not found", "text/plain")
            return
        self.send_static(static)

    def send_static(self, static: _Static) -> None:
        etag = '"' + hashlib.sha1(static.body).hexdigest()[:16] + '"'
        modified = email.utils.formatdate(static.mtime, usegmt=True)
        validators = {"ETag": etag, "Last-Modified": modified}
        if self._fresh(etag, static.mtime):
            self.send_bytes(304, b"", None, validators)
            return
        body = static.body
        headers = {**validators, **static.headers}
        if static.gzip and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, 6)
            headers["Content-Encoding"] = "gzip"
        self.send_bytes(200, body, static.content_type, headers)

    def _fresh(self, etag: str, mtime: float) -> bool:
        if_none = self.headers.get("If-None-Match")
        if if_none is not None:
            return etag in [t.strip() for t in if_none.split(",")] or if_none.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return email.utils.parsedate_to_datetime(since).timestamp() >= int(mtime)
            except (TypeError, ValueError):
                return False
        return False

    def send_bytes(
        self,
        status: int,
        body: bytes,
        content_type: str | None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.record(status)
        if status != 304:
            self.wfile.write(body)

    def record(self, status: int) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.feeds._record(Hit(self.path.split("?", 1)[0], status, headers))

    def wait(self, seconds: float) -> bool:
        """Sleep; False when the server is shutting down."""
        return not self.feeds.stopping.wait(seconds)


# -- misbehaving endpoints ---------------------------------------------------


def _hang(request: _RequestHandler) -> None:
    """Read the request, then never answer."""
    request.record(0)
    request.wait(120)
    request.close_connection = True


def _trickle_body(request: _RequestHandler) -> None:
    """Headers at once, then the body one byte a second."""
    body = sample_feed(3)
    request.send_response(200)
    request.send_header("Content-Type", "application/rss+xml")
    request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    _drip(request, body)


def _trickle_headers(request: _RequestHandler) -> None:
    """The status line and headers one byte a second."""
    _drip(request, b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nX-Slow: " + b"a" * 200)


def _drip(request: _RequestHandler, data: bytes) -> None:
    """Send ``data`` one byte a second until done, the client leaves or the server stops."""
    request.record(200)
    request.close_connection = True
    for byte in data:
        try:
            request.wfile.write(bytes([byte]))
            request.wfile.flush()
        except OSError:
            return
        if not request.wait(1.0):
            return


def _stream(request: _RequestHandler, total: int, declare_length: bool) -> None:
    head = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title>'
    item = b"<item><title>Filler</title><description>" + b"x" * 4000 + b"</description></item>"
    request.send_response(200)
    request.send_header("Content-Type", "application/rss+xml")
    if declare_length:
        request.send_header("Content-Length", str(total))
    request.end_headers()
    request.record(200)
    request.close_connection = True
    sent = 0
    chunk = head + item * 16
    try:
        while sent < total and not request.feeds.stopping.is_set():
            piece = chunk[: total - sent]
            request.wfile.write(piece)
            sent += len(piece)
            chunk = item * 16
    except OSError:
        return


def _huge(request: _RequestHandler) -> None:
    """A 50 MB body, announced in Content-Length."""
    _stream(request, 50 << 20, declare_length=True)


def _huge_unannounced(request: _RequestHandler) -> None:
    """A 50 MB body without Content-Length (ends when the connection closes)."""
    _stream(request, 50 << 20, declare_length=False)


def _gzip_bomb(request: _RequestHandler) -> None:
    """1 MB of gzip that inflates to 1 GB."""
    body = gzip_bomb()
    request.send_bytes(200, body, "application/rss+xml", {"Content-Encoding": "gzip"})


def _bad_gzip(request: _RequestHandler) -> None:
    """Claims gzip, sends plain bytes."""
    request.send_bytes(200, sample_feed(2), "application/rss+xml", {"Content-Encoding": "gzip"})


def _status(code: int) -> Handler:
    def handler(request: _RequestHandler) -> None:
        request.send_bytes(code, f"<html><body>error {code}</body></html>".encode(), "text/html")

    handler.__doc__ = f"HTTP {code}."
    return handler


def _redirect(location: str, code: int = 302) -> Handler:
    def handler(request: _RequestHandler) -> None:
        request.send_bytes(code, b"", "text/plain", {"Location": location})

    handler.__doc__ = f"Redirects to {location}."
    return handler


def _hops(request: _RequestHandler) -> None:
    """/hops-N redirects to /hops-(N-1); /hops-0 is a feed."""
    path = request.path.split("?", 1)[0]
    base, _, count = path.rpartition("-")
    if int(count) <= 0:
        request.send_bytes(200, sample_feed(2, prefix="hops"), "application/rss+xml")
    else:
        request.send_bytes(301, b"", "text/plain", {"Location": f"{base}-{int(count) - 1}"})


def _bytes(body: bytes, content_type: str = "application/rss+xml", **headers: str) -> Handler:
    def handler(request: _RequestHandler) -> None:
        request.send_bytes(200, body, content_type, headers)

    return handler


def _short_body(request: _RequestHandler) -> None:
    """Announces 5,000 bytes, sends 100, hangs up."""
    request.send_response(200)
    request.send_header("Content-Type", "application/rss+xml")
    request.send_header("Content-Length", "5000")
    request.end_headers()
    request.record(200)
    request.close_connection = True
    request.wfile.write(sample_feed(3)[:100])
    request.wfile.flush()
    request.connection.shutdown(socket.SHUT_RDWR)


HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>Welcome to Example News</title></head>"
    b"<body><h1>Example News</h1><p>Our feeds have moved.</p></body></html>"
)
_TRUNCATED = sample_feed(6, prefix="truncated")
TRUNCATED_FEED = _TRUNCATED[: _TRUNCATED.index(b"<item>", _TRUNCATED.index(b"story 3")) + 40]
MISDECLARED_FEED = rss(
    [
        {
            "title": "Café owners in Zürich protest déjà vu rules",
            "link": "https://news.example/cafe",
            "guid": "https://news.example/cafe",
            "description": "Crème brûlée sellers say the rules are naïve.",
            "pubDate": rfc822("2026-01-05T09:00"),
        }
    ],
    encoding="latin-1",
    declared="utf-8",
)
XXE_FEED = (
    b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
    b'<rss version="2.0"><channel><title>Leak &xxe;</title><item><title>Item &xxe;</title>'
    b"<description>&xxe;</description><guid>https://news.example/xxe</guid></item>"
    b"</channel></rss>"
)
_LOLS = "".join(f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">\n' for n in range(1, 10))
BILLION_LAUGHS_FEED = (
    '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol0 "lol">\n' + _LOLS + "]>\n"
    '<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title>'
    "<guid>https://news.example/lol</guid></item></channel></rss>"
).encode()
QUADRATIC_FEED = (
    '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "' + "x" * 10_000 + '">\n]>\n'
    '<rss version="2.0"><channel><title>Blowup</title><item><title>Q</title><description>'
    + "&a;" * 10_000
    + "</description><guid>https://news.example/quad</guid></item></channel></rss>"
).encode()
BAD_LINKS_FEED = rss(
    [
        {
            "title": "Script &lt;b&gt;link&lt;/b&gt; &amp;amp; more",
            "link": "javascript:alert(document.cookie)",
            "guid": "urn:test:js",
            "description": "&lt;p&gt;Hello &lt;script&gt;alert(1)&lt;/script&gt;"
            "&lt;b&gt;world&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Second &amp;amp; last.&lt;/p&gt;",
            "pubDate": rfc822("2026-01-05T08:00"),
        },
        {
            "title": "Data link",
            "link": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
            "guid": "urn:test:data",
            "description": "A data URL.",
            "pubDate": rfc822("2026-01-05T08:05"),
        },
        {
            "title": "File link",
            "link": "file:///etc/passwd",
            "guid": "urn:test:file",
            "description": "A file URL.",
            "pubDate": rfc822("2026-01-05T08:10"),
        },
        {
            "title": "Good link",
            "link": "https://news.example/good",
            "guid": "urn:test:good",
            "description": "An ordinary link.",
            "pubDate": rfc822("2026-01-05T08:15"),
        },
    ]
)

FAULTS: dict[str, Handler] = {
    "hang": _hang,
    "trickle": _trickle_body,
    "trickle-headers": _trickle_headers,
    "huge": _huge,
    "huge-unannounced": _huge_unannounced,
    "gzip-bomb": _gzip_bomb,
    "bad-gzip": _bad_gzip,
    "404": _status(404),
    "500": _status(500),
    "loop-a": _redirect("/fault/loop-b"),
    "loop-b": _redirect("/fault/loop-a"),
    "hops-6": _hops,
    "hops-5": _hops,
    "hops-4": _hops,
    "hops-3": _hops,
    "hops-2": _hops,
    "hops-1": _hops,
    "hops-0": _hops,
    "to-file": _redirect("file:///etc/passwd"),
    "bad-redirect": _redirect("http://[not-an-address/feed.xml"),
    "brotli": _bytes(sample_feed(2), "application/rss+xml", **{"Content-Encoding": "br"}),
    "text-plain": _bytes(sample_feed(2, prefix="plain"), "text/plain"),
    "html": _bytes(HTML_PAGE, "text/html; charset=utf-8"),
    "empty": _bytes(b""),
    "truncated": _bytes(TRUNCATED_FEED),
    "misdeclared": _bytes(MISDECLARED_FEED, "application/rss+xml"),
    "short-body": _short_body,
    "xxe": _bytes(XXE_FEED),
    "billion-laughs": _bytes(BILLION_LAUGHS_FEED),
    "quadratic": _bytes(QUADRATIC_FEED),
    "bad-links": _bytes(BAD_LINKS_FEED),
}
