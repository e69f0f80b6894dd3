"""Fetch a web page by URL, and save it as a snapshot file that ingest then reads like any other.

One GET per page (and one per site for its robots.txt), with connect and read timeouts
(`web_timeout`), at most `web_max_redirects` redirects (a loop is named as one), the body streamed
and given up past `max_file_mb`, and only text/html, application/xhtml+xml and text/plain
accepted. Every failure is a `FetchError` whose message says why in a few words; the caller names
the URL. The snapshot keeps the bytes as served (an HTML page stays markup, so a citation's span
is a span of the snapshot and `kit verify` reads it back); a JSON sidecar beside it records the
URL, the final URL after redirects, the fetch time, the status and the content type. This module
does not chunk, embed or store anything, nor run JavaScript or send cookies.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import urllib.parse
import urllib.robotparser
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

from kit.config import Settings
from kit.errors import KitError
from kit.location import is_url
from kit.version import __version__

AGENT = "kit"  # the name robots.txt rules address
USER_AGENT = f"kit/{__version__} (document ingest; honours robots.txt)"
TEXT_TYPES = {"text/html": ".html", "application/xhtml+xml": ".html", "text/plain": ".txt"}
WEB_FOLDER = "web"  # in the store folder: web/<host>/<name>.html and its .json sidecar
# RFC 9309 asks crawlers to read at least 500 KiB of a robots.txt; more is ignored.
_ROBOTS_BYTES = 512 * 1024


class FetchError(KitError):
    """A page could not be fetched; the message says why (the caller names the URL)."""


@dataclass(frozen=True)
class Page:
    """A fetched page: what was asked for, where it was found, and its bytes."""

    url: str
    final_url: str
    status: int
    content_type: str
    fetched: str  # ISO 8601, UTC
    body: bytes = field(repr=False)

    @property
    def suffix(self) -> str:
        return TEXT_TYPES.get(self.content_type, ".html")

    def record(self) -> dict[str, object]:
        """The sidecar's content: everything but the body."""
        data = asdict(self)
        del data["body"]
        return data


def canonical(url: str) -> str:
    """`url` without its fragment: "#section" names a place in a page, not another page."""
    return urllib.parse.urldefrag(url).url


def check_url(url: str) -> str:
    """`url` if kit can fetch it; `FetchError` saying what is wrong otherwise."""
    try:
        host = urllib.parse.urlsplit(url).hostname
    except ValueError as exc:  # e.g. an unclosed [ of an IPv6 address
        raise FetchError(f"not a valid URL ({exc}); check how it is written") from None
    if not is_url(url) or not host:
        raise FetchError("not an http(s) URL with a host; give it as https://host/path")
    return url


def fetch(url: str, settings: Settings, client: httpx.Client | None = None) -> Page:
    """The page at `url`, redirects followed (each hop checked against robots.txt when
    `settings.web_robots`); `FetchError` for anything that keeps it from being ingested."""
    url = canonical(check_url(url))
    if client is None:
        with _client(settings) as own:
            return fetch(url, settings, own)
    robots: dict[str, urllib.robotparser.RobotFileParser] = {}
    seen: list[str] = []
    here = url
    while True:
        if settings.web_robots:
            _allowed(client, here, robots, settings)
        seen.append(here)
        with _request(client, here, settings) as response:
            if response.is_redirect:
                here = _next_hop(response, seen, settings)
                continue
            return _page(url, response, settings)


def _client(settings: Settings) -> httpx.Client:
    timeout = httpx.Timeout(settings.web_timeout)
    return httpx.Client(timeout=timeout, follow_redirects=False, headers={"User-Agent": USER_AGENT})


@contextmanager
def _request(client: httpx.Client, url: str, settings: Settings) -> Iterator[httpx.Response]:
    """A streamed GET whose transport failures are `FetchError`s; the response is closed after."""
    try:
        response = client.send(client.build_request("GET", url), stream=True)
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise FetchError(transport_reason(exc, settings)) from None
    try:
        yield response
    finally:
        response.close()


def transport_reason(exc: httpx.HTTPError | httpx.InvalidURL, settings: Settings) -> str:
    """Why a request failed, in a few words, with what to change when there is something."""
    if isinstance(exc, httpx.InvalidURL):
        return f"not a valid URL ({exc}); check how it is written"
    if isinstance(exc, httpx.TimeoutException):
        return (f"no answer within web_timeout={settings.web_timeout:g} s; try again later, or raise "
                "KIT_WEB_TIMEOUT")
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({exc or 'connection failed'}); check the address and your network"
    return f"the request failed ({type(exc).__name__}: {exc})"


def _next_hop(response: httpx.Response, seen: list[str], settings: Settings) -> str:
    target = response.headers.get("location", "")
    if not target:
        raise FetchError(f"HTTP {response.status_code} redirect without a Location")
    here = urllib.parse.urljoin(str(response.url), target)
    if here in seen:
        raise FetchError(f"redirect loop ({' -> '.join([*seen[seen.index(here):], here])})")
    if len(seen) > settings.web_max_redirects:
        raise FetchError(f"more than web_max_redirects={settings.web_max_redirects} redirects; last to {here}")
    check_url(here)
    return here


def _page(url: str, response: httpx.Response, settings: Settings) -> Page:
    if response.status_code != 200:
        raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}".rstrip())
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in TEXT_TYPES:
        raise FetchError(f"content type {kind or '(none given)'}, not a web page or text "
                         f"(kit reads {', '.join(sorted(TEXT_TYPES))}); skipped")
    body = _body(response, settings.max_bytes, settings)
    fetched = datetime.now(UTC).replace(microsecond=0).isoformat()
    return Page(url, str(response.url), response.status_code, kind, fetched, body)


def _body(response: httpx.Response, limit: int, settings: Settings) -> bytes:
    """The body, read until `limit` bytes and no further (a huge or endless page costs no more)."""
    declared = response.headers.get("content-length", "")
    too_big = (f"larger than max_file_mb={settings.max_file_mb:g}; raise KIT_MAX_FILE_MB to ingest it")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(too_big)
    parts: list[bytes] = []
    size = 0
    try:
        for part in response.iter_bytes():
            size += len(part)
            if size > limit:
                raise FetchError(too_big)
            parts.append(part)
    except httpx.HTTPError as exc:
        raise FetchError(transport_reason(exc, settings)) from None
    return b"".join(parts)


def _allowed(client: httpx.Client, url: str, robots: dict[str, urllib.robotparser.RobotFileParser],
             settings: Settings) -> None:
    parts = urllib.parse.urlsplit(url)
    site = f"{parts.scheme}://{parts.netloc}"
    if site not in robots:
        robots[site] = _robots(client, site, settings)
    if not robots[site].can_fetch(AGENT, url):
        raise FetchError(f"{site}/robots.txt disallows it; kit honours robots.txt (--ignore-robots, or "
                         "KIT_WEB_ROBOTS=false, for a site whose owner agrees)")


def _robots(client: httpx.Client, site: str, settings: Settings) -> urllib.robotparser.RobotFileParser:
    """The site's rules as RFC 9309 reads them: none found (4xx) allows everything, 401 or 403
    disallows everything, and a server error is a `FetchError` (nothing may be fetched for now)."""
    rules = urllib.robotparser.RobotFileParser(f"{site}/robots.txt")
    try:
        with client.stream("GET", f"{site}/robots.txt", follow_redirects=True) as response:
            status = response.status_code
            text = _head(response, _ROBOTS_BYTES).decode("utf-8", "replace") if status == 200 else ""
    except httpx.ConnectError as exc:  # the site itself is out of reach, not just its rules
        raise FetchError(transport_reason(exc, settings)) from None
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise FetchError(f"robots.txt: {transport_reason(exc, settings)}") from None
    if status >= 500:
        raise FetchError(f"{site}/robots.txt answered HTTP {status}: a site whose rules cannot be read is not "
                         "fetched (RFC 9309); try again later")
    if status in (401, 403):
        rules.parse(["User-agent: *", "Disallow: /"])
    else:
        rules.parse(text.splitlines())  # no rules (a 404): everything allowed
    return rules


def _head(response: httpx.Response, limit: int) -> bytes:
    data = b""
    for part in response.iter_bytes():
        data += part
        if len(data) >= limit:
            break
    return data[:limit]


def snapshot_path(store_dir: Path, url: str, suffix: str) -> Path:
    """Where the page fetched from `url` is saved: web/<host>/<path words>-<hash of the URL><suffix>.
    The hash keeps two URLs apart whose words read the same (a query, a case, a trailing slash)."""
    parts = urllib.parse.urlsplit(url)
    host = re.sub(r"[^a-z0-9.-]+", "_", parts.netloc.lower()).strip("._") or "host"
    path = re.sub(r"(?i)\.(html?|xhtml|txt)$", "", urllib.parse.unquote(parts.path))
    words = re.sub(r"[^A-Za-z0-9._-]+", "-", path).strip("-._")[:60] or "index"
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:10]
    return store_dir / WEB_FOLDER / host / f"{words}-{digest}{suffix}"


def save(page: Page, store_dir: Path) -> Path:
    """Write the page's snapshot and sidecar (each replaced atomically); the snapshot's path."""
    path = snapshot_path(store_dir, page.url, page.suffix)
    path.parent.mkdir(parents=True, exist_ok=True)
    _replace(path, page.body)
    _replace(path.with_suffix(".json"), json.dumps(page.record(), indent=1).encode("utf-8"))
    return path


def _replace(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
