"""Collect, fetching: robots.txt rules per host, read once per run and always honoured (RFC 9309)."""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser


# RobotFileParser reads only whole seconds and drops "Crawl-delay: 0.5"; rounded up, the site's wish is kept.
_CRAWL_DELAY = re.compile(r"^(\s*crawl-delay\s*:\s*)(\d*\.\d+)", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class RobotsAnswer:
    status: int | None  # None when the host could not be reached at all
    body: bytes = b""
    problem: str | None = None  # why it could not be reached

    @property
    def unreachable(self) -> str | None:
        """Why robots.txt counts as unreachable (everything disallowed), or None when it was read or is absent."""
        if self.status is None:
            return f"could not be fetched ({self.problem or 'connection failed'})"
        return f"answered HTTP {self.status}" if self.status >= 500 or self.status == 429 else None


class RobotsRules:
    """Whether our user agent may fetch an address, and the Crawl-delay it must keep, per scheme and host."""

    def __init__(self, *, user_agent: str, fetch_robots: Callable[[str], RobotsAnswer]):
        self.user_agent = user_agent
        self._fetch_robots = fetch_robots
        self._parsers: dict[str, RobotFileParser] = {}
        self._unreachable: dict[str, str | None] = {}
        self._lock = threading.Lock()

    def allows(self, url: str) -> bool:
        return self._parser(url).can_fetch(self.user_agent, url)

    def unreachable(self, url: str) -> str | None:
        """Why the robots.txt of `url`'s site could not be read, or None when it was read or is absent."""
        self._parser(url)
        parts = urlsplit(url)
        return self._unreachable.get(f"{parts.scheme}://{parts.netloc}")

    def refusal(self, url: str) -> str:
        """Why `url` may not be fetched: the site's rules, or a robots.txt that could not be read — which the
        user must not take for a site that bars crawlers, for it may answer next time."""
        parts = urlsplit(url)
        reason = self.unreachable(url)
        if reason:
            return (f"robots.txt of {parts.netloc} {reason}, so nothing there is fetched (RFC 9309); "
                    "collect again later")
        return f"robots.txt of {parts.netloc} disallows {url}"

    def crawl_delay(self, url: str) -> float:
        delay = self._parser(url).crawl_delay(self.user_agent)
        return float(delay) if delay else 0.0

    def _parser(self, url: str) -> RobotFileParser:
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        with self._lock:  # one robots.txt request per host, even with several workers asking at once
            if site not in self._parsers:
                answer = self._fetch_robots(f"{site}/robots.txt")
                self._parsers[site], self._unreachable[site] = _rules_from(answer), answer.unreachable
            return self._parsers[site]


def _rules_from(answer: RobotsAnswer) -> RobotFileParser:
    parser = RobotFileParser()
    if answer.status is not None and 200 <= answer.status < 300:
        text = answer.body.decode("utf-8", errors="replace")
        parser.parse(_CRAWL_DELAY.sub(lambda m: f"{m[1]}{math.ceil(float(m[2]))}", text).splitlines())
    elif answer.status is not None and 400 <= answer.status < 500 and answer.status != 429:
        parser.allow_all = True  # RFC 9309 2.3.1.3: no robots.txt (4xx) allows everything
    else:
        # RFC 9309 2.3.1.4: unreachable (5xx, network error) means disallow all. So does 429 Too Many Requests, as
        # Google reads it: a site asking to be left alone is not one without rules, to be fetched from freely.
        parser.disallow_all = True
    return parser
