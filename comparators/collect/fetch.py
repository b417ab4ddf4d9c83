"""Collect, fetching: the only network I/O of a collection. Returns raw responses; parsing happens elsewhere.

Every request: http/https only, robots.txt honoured, a rate limit per host, retries with backoff, a size cap
enforced while the body streams in, redirects followed by hand (so each hop is checked and loops are caught),
and conditional headers when the address was fetched before.
"""

from __future__ import annotations

import threading
import time
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, urljoin, urlsplit

import httpx

from .. import __version__
from ..errors import (BehindAWall, BlockedByRobots, FetchFailed, MalformedURL, PageGone, RedirectLoop,
                      ResponseTooLarge, RobotsUnreachable, TooManyRedirects, UnsupportedURL)
from ..options import Options
from .inflate import InflatesTooFar, inflate
from .robots import RobotsAnswer, RobotsRules

RETRIED_STATUSES = {429, 500, 502, 503, 504}
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
GONE_STATUSES = {404, 410}
# Only encodings we can decompress under the size cap; anything else is refused rather than guessed at.
ACCEPTED_ENCODINGS = "gzip, deflate"
# A Retry-After longer than this is not waited for: the request fails, and so does every later one to that host
# in the run without being sent, rather than press a site that asked for a pause.
MAX_RETRY_AFTER_SECONDS = 60.0


@dataclass(frozen=True)
class Validators:
    """What the last response of an address said about its version, for a conditional request."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True)
class RawResponse:
    url: str  # the address asked for
    final_url: str  # the address that answered, after redirects
    status: int
    reason: str
    http_version: str
    headers: tuple[tuple[str, str], ...]  # as received
    request_headers: tuple[tuple[str, str], ...]  # as sent for the final hop
    raw_body: bytes  # as on the wire (content-encoded), for the WARC record
    body: bytes  # decoded
    fetched_at: datetime

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((value for key, value in self.headers if key.lower() == name), None)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def media_type(self) -> str:
        return (self.header("content-type") or "").split(";")[0].strip().lower()

    @property
    def validators(self) -> Validators:
        return Validators(etag=self.header("etag"), last_modified=self.header("last-modified"))


def user_agent(options: Options) -> str:
    return options.collect.user_agent.replace("{version}", __version__)


class Fetcher:
    """One HTTP client for a whole collection; safe to share between worker threads. Use as a context manager."""

    def __init__(self, *, options: Options, clock=time.monotonic):
        self.settings = options.collect
        self.user_agent = user_agent(options)
        self._clock = clock
        self._stopped = threading.Event()
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.settings.timeout_seconds), follow_redirects=False,
            headers={"User-Agent": self.user_agent, "Accept-Encoding": ACCEPTED_ENCODINGS})
        self._next_slot: dict[str, float] = {}
        self._paused_until: dict[str, float] = {}  # host → when its Retry-After ends (clock time)
        self._slot_lock = threading.Lock()
        self.robots = RobotsRules(user_agent=self.user_agent, fetch_robots=self._fetch_robots)

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self._client.close()

    def stop(self) -> None:
        """End the collection's requests early: waits (rate limit, backoff) end at once and no request or retry
        starts. A response being read still runs to its end or to timeout_seconds of silence."""
        self._stopped.set()

    def _sleep(self, seconds: float) -> None:
        if self._stopped.wait(seconds):
            raise FetchFailed("the collection was stopped")

    def fetch(self, url: str, *, validators: Validators | None = None, min_interval: float = 0.0) -> RawResponse:
        """The 200 or 304 response for `url`. Anything else raises a FetchFailed naming the reason; a 200 from
        another page, reached through a redirect to one that offers to send the reader back to `url` (a cookie
        consent or login wall: consent.google.com/ml?continue=…), raises BehindAWall: that page is not the
        article, and every article behind the wall would otherwise be collected as one page, the rest as its
        duplicates."""
        headers = validators.headers() if validators else {}
        visited: list[str] = []
        current = url
        wall = None
        for _ in range(self.settings.max_redirects + 1):
            check_address(current)
            if current in visited:
                raise RedirectLoop(f"redirect loop: {' → '.join(visited + [current])}")
            visited.append(current)
            if not self.robots.allows(current):
                refused = RobotsUnreachable if self.robots.unreachable(current) else BlockedByRobots
                raise refused(self.robots.refusal(current))
            response = self._get_with_retries(url, current, headers, min_interval)
            location = response.header("location")
            if response.status in REDIRECT_STATUSES and location:
                current = urljoin(current, location.strip())
                wall = wall or (current if _returns_to(current, url) else None)
                continue
            if wall and response.status == 200 and _page(current) != _page(url):
                raise BehindAWall(f"redirected to {wall}, a consent or login wall that returns to the page "
                                  "afterwards; the page itself was not reached")
            if response.status in (200, 304):
                return response
            if response.status in GONE_STATUSES:
                raise PageGone(f"HTTP {response.status} {response.reason}".rstrip())
            raise FetchFailed(f"HTTP {response.status} {response.reason}".rstrip())
        raise TooManyRedirects(f"more than {self.settings.max_redirects} redirects from {url} ([collect] "
                               f"max_redirects = {self.settings.max_redirects})")

    def _get_with_retries(self, url: str, current: str, headers: dict, min_interval: float) -> RawResponse:
        attempts = self.settings.retries + 1
        for attempt in range(attempts):
            self._wait_turn(current, min_interval)
            if self._stopped.is_set():
                raise FetchFailed("the collection was stopped")
            wait = self.settings.backoff_seconds * 2 ** attempt
            try:
                response = self._get(url, current, headers)
            except httpx.TimeoutException:
                failure = f"timed out after {self.settings.timeout_seconds:g} s"
            except httpx.TransportError as error:
                failure = f"connection failed: {error or type(error).__name__}"
            else:
                if response.status not in RETRIED_STATUSES:
                    return response
                failure = f"HTTP {response.status} {response.reason}".rstrip()
                pause = _retry_after(response.header("retry-after"))
                self._pause_host(current, pause)
                wait = max(wait, pause)
            if attempt + 1 < attempts and wait <= MAX_RETRY_AFTER_SECONDS:
                self._sleep(wait)
            else:
                break
        raise FetchFailed(f"{failure} ({attempt + 1} attempt{'s' if attempt else ''})")

    def _get(self, url: str, current: str, headers: dict) -> RawResponse:
        limit = self.settings.max_bytes
        started = self._clock()
        with self._client.stream("GET", current, headers=headers) as response:
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise ResponseTooLarge(f"response of {int(declared):,} bytes is over max_bytes ({limit:,}); "
                                       "not downloaded")
            chunks, size = [], 0
            for chunk in response.iter_raw():
                size += len(chunk)
                if size > limit:
                    raise ResponseTooLarge(f"response passed max_bytes ({limit:,}) and was cut off there")
                if self._clock() - started > self.settings.total_timeout_seconds:
                    raise FetchFailed(f"response took over {self.settings.total_timeout_seconds:g} s; cut off")
                chunks.append(chunk)
            raw = b"".join(chunks)
            return RawResponse(
                url=url, final_url=current, status=response.status_code, reason=response.reason_phrase,
                http_version=response.http_version, headers=tuple(response.headers.multi_items()),
                request_headers=tuple(response.request.headers.multi_items()), raw_body=raw,
                body=_decode(raw, response.headers.get("content-encoding", ""), limit),
                fetched_at=datetime.now(timezone.utc))

    def _wait_turn(self, url: str, min_interval: float) -> None:
        """Reserve the host's next free slot, then sleep until it: however many workers ask, requests to one
        host start at least the interval apart, and none while the host's Retry-After lasts."""
        rate = self.settings.requests_per_second_per_host
        interval = max(1.0 / rate if rate > 0 else 0.0, self.robots.crawl_delay(url), min_interval)
        host = urlsplit(url).netloc
        while True:
            with self._slot_lock:
                now = self._clock()
                paused = self._paused_until.get(host, now) - now
                if paused > MAX_RETRY_AFTER_SECONDS:
                    raise FetchFailed(f"not requested: {host} asked for a pause (Retry-After) of {paused:.0f} s "
                                      f"more, longer than a collection waits ({MAX_RETRY_AFTER_SECONDS:g} s); "
                                      "collect again later")
                slot = max(now, self._next_slot.get(host, now), now + paused)
                self._next_slot[host] = slot + interval
            if slot > now:
                self._sleep(slot - now)
            with self._slot_lock:
                if self._paused_until.get(host, slot) <= self._clock():
                    return
            # A Retry-After came while this request waited for its turn: it takes a turn after the pause instead.

    def _pause_host(self, url: str, seconds: float) -> None:
        """Hold every worker's requests to the host of `url` for `seconds`, as its Retry-After asks."""
        if seconds <= 0:
            return
        host = urlsplit(url).netloc
        with self._slot_lock:
            until = self._clock() + seconds
            self._paused_until[host] = max(until, self._paused_until.get(host, until))

    def _fetch_robots(self, url: str) -> RobotsAnswer:
        started = self._clock()
        try:
            with self._client.stream("GET", url, follow_redirects=True) as response:
                body = b""
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > self.settings.max_bytes:
                        break  # RFC 9309 2.5: parse at least 500 KiB; a longer file is read up to the cap
                    if self._clock() - started > self.settings.total_timeout_seconds:
                        # A robots.txt trickling in would hold every request to its host, and the run, for days.
                        return RobotsAnswer(status=None, problem=f"took over "
                                            f"{self.settings.total_timeout_seconds:g} s; cut off")
                return RobotsAnswer(status=response.status_code, body=body[: self.settings.max_bytes])
        except httpx.TooManyRedirects:
            return RobotsAnswer(status=404)  # RFC 9309 2.3.1.2: unfollowable redirects count as no robots.txt
        except httpx.TimeoutException:
            return RobotsAnswer(status=None, problem=f"timed out after {self.settings.timeout_seconds:g} s")
        except httpx.HTTPError as error:
            return RobotsAnswer(status=None, problem=str(error) or type(error).__name__)


def check_address(url: str) -> None:
    """Raise MalformedURL or UnsupportedURL unless `url` is an http(s) address that parses: listings and
    redirects come from the web, and one bad address must fail alone, not end the run."""
    try:
        parts = urlsplit(url)
        parts.port  # a port is parsed only when read: "host:99999" or "host:x" raise here
        httpx.URL(url).host  # and an IDNA host ("xn--a.com") is decoded only when read
    except (ValueError, httpx.InvalidURL) as error:
        raise MalformedURL(f"malformed address ({error}): {url!r}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise UnsupportedURL(f"only http and https addresses are fetched, not {url!r}")


def _returns_to(address: str, page: str) -> bool:
    """Whether `address` carries `page` in its query (continue=, done=, callbackUrl=…), to send the reader back."""
    try:
        values = [value for _, value in parse_qsl(urlsplit(address).query) if value.strip()]
        return any(_page(urljoin(address, value)) == _page(page) for value in values)
    except ValueError:
        return False


def _page(address: str) -> str:
    """The address without its fragment, and without the scheme and a leading www.: http and https, bare and
    www. host, are the same page here."""
    parts = urlsplit(address)
    return f"{(parts.netloc or '').lower().removeprefix('www.')}{parts.path or '/'}?{parts.query}"


def _retry_after(value: str | None) -> float:
    if not value:
        return 0.0
    if value.strip().isdigit():
        return float(value)
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds())
    except (TypeError, ValueError):
        return 0.0


def _decode(raw: bytes, content_encoding: str, limit: int) -> bytes:
    """Undo gzip/deflate, never past `limit` bytes: a small compressed body may inflate enormously."""
    data = raw
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip().lower() not in ("", "identity")]
    for coding in reversed(codings):
        if coding not in ("gzip", "x-gzip", "deflate"):
            raise FetchFailed(f"unsupported content encoding {coding!r}")
        try:
            data = _inflate_coding(data, coding, limit)
        except zlib.error as error:
            raise FetchFailed(f"corrupt {coding} body: {error}") from None
        except InflatesTooFar:
            raise ResponseTooLarge(f"decompressed response passed max_bytes ({limit:,}) and was cut off "
                                   "there") from None
    return data


def _inflate_coding(data: bytes, coding: str, limit: int) -> bytes:
    """"deflate" is zlib-wrapped by RFC 9110, yet servers (IIS among them) send the bare deflate stream, which
    browsers read too: it is tried when the zlib header is missing."""
    try:
        return inflate(data, limit=limit)
    except zlib.error:
        if coding != "deflate":
            raise
    return inflate(data, limit=limit, headerless=True)
