"""Collect, step 4: stable article ids, and deduplication by canonical URL, by content hash, and by
near-identical text (syndicated copies of one wire story), against everything already collected."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from rapidfuzz import fuzz, process

from ..options import Options

# Query parameters that say how a reader arrived, not which article it is.
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "_hs")
_TRACKING_NAMES = {"fbclid", "gclid", "dclid", "msclkid", "igshid", "ocid", "cmpid", "smid", "ref",
                   "ref_src", "ncid", "xtor", "at_medium", "at_campaign"}
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """The address with case, default port, fragment and tracking parameters normalised away."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    netloc = host if parts.port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{parts.port}"
    query = sorted((key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
                   if not key.lower().startswith(_TRACKING_PREFIXES) and key.lower() not in _TRACKING_NAMES)
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def url_key(url: str) -> str:
    """What makes two addresses the same article: http/https and a leading www. do not, nor how it is written
    (a feed lists /café and bücher.de, a sitemap /caf%C3%A9 and xn--bcher-kva.de, another page /caf%c3%a9)."""
    parts = urlsplit(canonical_url(url))
    host = ascii_host(parts.netloc.removeprefix("www."))
    return urlunsplit(("", host, _percent_encoded(parts.path), _percent_encoded(parts.query), "")).lstrip("/")


def ascii_host(netloc: str) -> str:
    """The host in its ASCII form (bücher.de is xn--bcher-kva.de), as DNS knows it."""
    try:
        return netloc.encode("idna").decode("ascii")
    except UnicodeError:
        return netloc  # not a valid IDN: compared as written


def _percent_encoded(text: str) -> str:
    """Characters beyond ASCII as UTF-8 escapes, and every escape in capitals, as a browser sends them."""
    text = _ESCAPE.sub(lambda match: match.group().upper(), text)
    return _NON_ASCII.sub(lambda match: quote(match.group(), safe=""), text)


_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def article_id(url: str) -> str:
    """Stable across runs and re-fetches: the site's name, then a hash of the address's key."""
    key = url_key(url)
    site = re.sub(r"[^a-z0-9]+", "-", key.split("/")[0].split(":")[0]).strip("-") or "page"
    return f"{site}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"


def content_hash(text: str) -> str:
    return hashlib.sha256(_normalized(text).encode()).hexdigest()


def _normalized(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class Duplicate:
    of: str  # the article id it duplicates
    reason: str
    exact: bool = True  # the same address or the same text: another address of that article, not a copy of it


class DuplicateIndex:
    """Everything collected so far (earlier runs included), asked before an article is added."""

    def __init__(self, *, options: Options):
        self.ratio = options.collect.near_duplicate_ratio
        self.prefix = options.collect.near_duplicate_prefix_chars
        self._by_url: dict[str, str] = {}
        self._by_hash: dict[str, str] = {}
        self._ids: list[str] = []
        self._known_ids: set[str] = set()
        self._prefixes: list[str] = []

    def add(self, article_id: str, *, urls: list[str], text: str) -> None:
        for url in urls:
            self._by_url.setdefault(url_key(url), article_id)
        self._by_hash.setdefault(content_hash(text), article_id)
        self._ids.append(article_id)
        self._known_ids.add(article_id)
        self._prefixes.append(_normalized(text)[: self.prefix])

    def add_address(self, url: str, article_id: str) -> None:
        """Another address of an article in the index (/story/ of /story): it is known, not fetched again."""
        if article_id in self._known_ids:  # an article removed from articles.jsonl leaves its addresses unknown
            self._by_url.setdefault(url_key(url), article_id)

    def known_url(self, url: str) -> str | None:
        return self._by_url.get(url_key(url))

    def duplicate(self, *, urls: list[str], text: str) -> Duplicate | None:
        for url in urls:
            if url_key(url) in self._by_url:
                return Duplicate(self._by_url[url_key(url)], "same canonical address")
        digest = content_hash(text)
        if digest in self._by_hash:
            return Duplicate(self._by_hash[digest], "same text")
        best = process.extractOne(_normalized(text)[: self.prefix], self._prefixes, scorer=fuzz.ratio,
                                  score_cutoff=self.ratio)
        if best:
            return Duplicate(self._ids[best[2]], f"near-identical text (ratio {best[1]:.0f})", exact=False)
        return None
