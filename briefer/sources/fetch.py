"""HTTP downloads with hard limits, for feeds and the pages they link to.

One function, :func:`fetch`, does every download. Whatever the server
does, it returns within ``deadline`` seconds (headers included, a server
trickling one byte a second cannot hold it longer) and never holds more
than ``max_bytes`` of body in memory, counted both as received and after
decompression: the body is decompressed here, with a bound on each step,
so a gzip bomb stops at the limit instead of inflating first. Redirects
are followed by hand, at most ``max_redirects``, and only to http(s).
A feed's login goes only to the address's own origin (scheme, host and
port): a redirect elsewhere does not take it along. Every failure is a
:class:`FetchError` with a one-line message, and no message shows an
address's password.
"""

from __future__ import annotations

import asyncio
import ssl
import zlib
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from functools import cache
from urllib.parse import urljoin, urlsplit

import httpx

from ..errors import FeedError
from ..feedsettings import FetchSettings
from ..redact import redacted
from .credentials import Login

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Response headers worth keeping: parsing, caching and messages use them.
_KEPT_HEADERS = (
    "content-type",
    "content-language",
    "content-location",
    "etag",
    "last-modified",
)


class FetchError(FeedError):
    """A download failed; the message says why, in one line."""


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits of one download (see :class:`briefer.settings.FetchSettings`)."""

    connect_timeout: float
    read_timeout: float
    deadline: float
    max_bytes: int
    max_redirects: int
    user_agent: str

    @classmethod
    def from_settings(cls, fetch: FetchSettings) -> Limits:
        return cls(
            connect_timeout=fetch.connect_timeout,
            read_timeout=fetch.read_timeout,
            deadline=fetch.deadline,
            max_bytes=fetch.max_bytes,
            max_redirects=fetch.max_redirects,
            user_agent=fetch.user_agent,
        )


@dataclass(frozen=True, slots=True)
class Download:
    """A finished download: 200 with a body, or 304 Not Modified."""

    url: str  # after redirects
    status: int
    headers: dict[str, str]  # lower-case names, the ones in _KEPT_HEADERS
    body: bytes

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag") or None

    @property
    def last_modified(self) -> str | None:
        value = self.headers.get("last-modified")
        if not value:
            return None
        try:
            parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None  # a date the server could not parse back either
        return value


def make_client(limits: Limits, connections: int) -> httpx.AsyncClient:
    """An HTTP client for many downloads with these limits.

    Decompression and redirects are handled by :func:`fetch`, not httpx.
    """
    return httpx.AsyncClient(
        timeout=httpx.Timeout(
            connect=limits.connect_timeout,
            read=limits.read_timeout,
            write=limits.read_timeout,
            pool=None,  # waiting for a connection counts against the deadline
        ),
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
        follow_redirects=False,
        headers={"User-Agent": limits.user_agent, "Accept-Encoding": "gzip, deflate"},
        trust_env=False,
        verify=_tls(),
    )


@cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every client: loading the CA bundle takes ~0.1 s."""
    return httpx.create_ssl_context()


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    limits: Limits,
    *,
    accept: str = FEED_ACCEPT,
    etag: str | None = None,
    last_modified: str | None = None,
    login: Login | None = None,
) -> Download:
    """Download ``url`` within ``limits``; raise :class:`FetchError` on any failure.

    ``etag`` and ``last_modified`` make the request conditional; a 304
    answer comes back as a :class:`Download` with ``not_modified`` set.
    ``login`` is sent to ``url``'s origin only.
    """
    progress = _Progress()
    try:
        async with asyncio.timeout(limits.deadline):
            return await _follow(
                client, url, limits, accept, etag, last_modified, progress, login
            )
    except TimeoutError:
        got = f"{progress.raw:,} bytes of body received" if progress.raw else "no body received"
        raise FetchError(f"gave up after the {limits.deadline:g} s deadline ({got})") from None
    except httpx.ConnectTimeout:
        raise FetchError(f"connect timed out after {limits.connect_timeout:g} s") from None
    except (httpx.ReadTimeout, httpx.WriteTimeout):
        raise FetchError(f"read timed out after {limits.read_timeout:g} s") from None
    except httpx.ConnectError as exc:
        raise FetchError(f"cannot connect: {_reason(exc)}") from None
    except httpx.RemoteProtocolError as exc:
        raise FetchError(f"broken HTTP response: {_reason(exc)}") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"HTTP error: {_reason(exc)}") from None
    except httpx.InvalidURL as exc:
        raise FetchError(f"not a valid address: {_reason(exc)}") from None


@dataclass(slots=True)
class _Progress:
    raw: int = 0


async def _follow(
    client: httpx.AsyncClient,
    url: str,
    limits: Limits,
    accept: str,
    etag: str | None,
    last_modified: str | None,
    progress: _Progress,
    login: Login | None = None,
) -> Download:
    visited = [url]
    origin = _origin(url)
    auth = httpx.BasicAuth(login.user, login.password) if login is not None else None
    headers = {"Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    while True:
        _check_scheme(url)
        mine = auth if auth is not None and _origin(url) == origin else None
        async with client.stream("GET", url, headers=headers, auth=mine) as response:
            if response.status_code in _REDIRECTS:
                target = response.headers.get("location", "").strip()
                if not target:
                    raise FetchError(f"HTTP {response.status_code} redirect without a Location")
                try:
                    url = urljoin(url, target)
                    scheme = urlsplit(url).scheme.lower()
                except ValueError:
                    raise FetchError(
                        f"redirect to a malformed address: {redacted(target)[:200]}"
                    ) from None
                if scheme not in ("http", "https"):
                    raise FetchError(f"redirect to a non-http(s) address: {redacted(url)[:200]}")
                if url in visited:
                    loop = " -> ".join([*visited, url])
                    raise FetchError(f"redirect loop: {redacted(loop)[:300]}")
                visited.append(url)
                if len(visited) > limits.max_redirects + 1:
                    raise FetchError(f"too many redirects (more than {limits.max_redirects})")
                continue
            kept = {k: response.headers[k] for k in _KEPT_HEADERS if k in response.headers}
            if response.status_code == 304:
                return Download(url, 304, kept, b"")
            if response.status_code != 200:
                phrase = response.reason_phrase or ""
                raise FetchError(f"HTTP {response.status_code} {phrase}".rstrip())
            body = await _read_body(response, limits, progress)
            return Download(url, 200, kept, body)


def _check_scheme(url: str) -> None:
    try:
        parts = urlsplit(url)
    except ValueError:
        raise FetchError(f"not a valid address: {redacted(url)[:200]}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) address: {redacted(url)[:200]}")


def _origin(url: str) -> tuple[str, str | None, int | None]:
    """Scheme, host and port: where a login may be sent."""
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        return scheme, parts.hostname, parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:
        return "", None, None


async def _read_body(response: httpx.Response, limits: Limits, progress: _Progress) -> bytes:
    cap = limits.max_bytes
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise FetchError(f"body of {int(declared):,} bytes is over the {cap:,}-byte limit")
    decoder = _Decoder(response.headers.get("content-encoding", ""))
    body = bytearray()
    async for chunk in response.aiter_raw():
        progress.raw += len(chunk)
        if progress.raw > cap:
            raise FetchError(f"body is over the {cap:,}-byte limit")
        body += decoder.decode(chunk, cap + 1 - len(body))
        if len(body) > cap:
            raise FetchError(
                f"body is over the {cap:,}-byte limit after decompression "
                f"({progress.raw:,} bytes received)"
            )
    body += decoder.decode(b"", cap + 1 - len(body))
    if len(body) > cap:
        raise FetchError(f"body is over the {cap:,}-byte limit after decompression")
    return bytes(body)


class _Decoder:
    """Content-Encoding decoding with a bound on every output step."""

    def __init__(self, encoding: str) -> None:
        names = [n.strip().lower() for n in encoding.split(",") if n.strip()]
        names = [n for n in names if n != "identity"]
        if len(names) > 1:
            raise FetchError(f"unsupported Content-Encoding: {encoding}")
        self.name = names[0] if names else ""
        if self.name in ("gzip", "x-gzip"):
            self._wbits = zlib.MAX_WBITS | 16
        elif self.name == "deflate":
            self._wbits = zlib.MAX_WBITS
        elif self.name:
            raise FetchError(f"unsupported Content-Encoding: {self.name}")
        self._inflater = zlib.decompressobj(self._wbits) if self.name else None
        self._pending = b""
        self._started = False

    def decode(self, chunk: bytes, budget: int) -> bytes:
        """Decoded bytes for ``chunk``: at most ``budget`` of them."""
        if self._inflater is None:
            return chunk
        out = bytearray()
        data = self._pending + chunk
        while True:
            try:
                out += self._inflater.decompress(data, budget - len(out))
            except zlib.error as exc:
                if self.name == "deflate" and not self._started:
                    # Some servers send raw deflate without the zlib wrapper.
                    self._wbits = -zlib.MAX_WBITS
                    self._inflater = zlib.decompressobj(self._wbits)
                    self._started = True
                    continue
                raise FetchError(f"cannot decompress the {self.name} body: {exc}") from None
            self._started = True
            self._pending = self._inflater.unconsumed_tail
            rest = self._inflater.unused_data
            if not (self._inflater.eof and rest.startswith(b"\x1f\x8b") and len(out) < budget):
                # Done; bytes after the last gzip member that are not another
                # member (padding some servers add) are ignored.
                return bytes(out)
            # A gzip stream may hold several members, one after another.
            self._inflater = zlib.decompressobj(self._wbits)
            data = rest


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return redacted(text.splitlines()[0])[:200]
