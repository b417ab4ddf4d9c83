"""Collect, step 1: read what to collect from event.toml — the [[sources]] tables and the [outlets] mapping."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..corpus import EVENT_FILE
from ..errors import CorpusFormatError, CorpusNotFound, FetchFailed, NoSources, SourcesFormatError
from ..language import normalize_language_code
from .fetch import check_address

SOURCE_TYPES = ("feed", "page", "sitemap", "gdelt")
SOURCE_KEYS = {"type", "url", "language", "keywords", "start", "end"}
OUTLET_KEYS = {"name", "country", "language"}


@dataclass(frozen=True)
class Source:
    number: int  # position among the [[sources]] tables, from 1, as the user counts them
    type: str
    url: str | None = None
    language: str | None = None  # declared language of what the source lists
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)  # language → words; an article must hold one
    start: datetime | None = None
    end: datetime | None = None

    @property
    def label(self) -> str:
        what = self.url or " ".join(f"{language}:{'|'.join(words)}" for language, words in self.keywords.items())
        return f"sources[{self.number}] {self.type} {what}"


@dataclass(frozen=True)
class Outlet:
    name: str
    country: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class CollectPlan:
    sources: list[Source]
    # "domain" or "domain/path" → outlet; a domain also covers its subdomains, a path the addresses under it
    outlets: dict[str, Outlet]

    def mapped_outlet(self, url: str) -> Outlet | None:
        """The [outlets] entry for the address: the most specific host, then the longest path prefix, wins."""
        host = _host(url)
        segments = [segment for segment in urlsplit(url).path.lower().split("/") if segment]
        labels = host.split(".")
        for start in range(len(labels) - 1):
            domain = ".".join(labels[start:])
            for length in range(len(segments), -1, -1):
                outlet = self.outlets.get("/".join([domain, *segments[:length]]))
                if outlet:
                    return outlet
        return None

    def outlet_for(self, url: str, *, page_language: str | None = None) -> Outlet:
        """The mapped outlet, else one named for the domain, or for the domain and the first folder of the path
        when that folder is the language the page declares (dw.com/es, dw.com/de): one site's language editions
        are separate outlets, not one."""
        mapped = self.mapped_outlet(url)
        if mapped:
            return mapped
        host = _host(url)
        first = next((segment for segment in urlsplit(url).path.split("/") if segment), "")
        if host and page_language and _EDITION.match(first) and normalize_language_code(first) == page_language:
            return Outlet(name=f"{host}/{first.lower()}")
        return Outlet(name=host or url)


# A path folder naming a language edition: "es", "pt-br", "zh-hans".
_EDITION = re.compile(r"^[A-Za-z]{2}(?:[-_][A-Za-z]{2,4})?$")


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def read_plan(event_dir: str | Path) -> CollectPlan:
    """The sources and outlet names declared in EVENT_DIR/event.toml. Bad tables raise naming file and line."""
    folder = Path(event_dir)
    if folder.is_file():  # its event.toml, named instead of the folder holding it
        raise CorpusNotFound(f"{folder} is a file, not an event folder",
                             hint=f"pass the folder holding it: parallax collect {folder.parent}")
    if not folder.is_dir():
        raise CorpusNotFound(f"event folder {folder} does not exist",
                             hint="create it with an event.toml declaring [[sources]]")
    path = folder / EVENT_FILE
    if not path.is_file():
        raise NoSources(f"{folder} has no {EVENT_FILE} declaring [[sources]]")
    try:
        text = path.read_text(encoding="utf-8-sig")
        settings = tomllib.loads(text)
    except UnicodeDecodeError:
        raise CorpusFormatError(path, None, "is not UTF-8 text", hint="save the file as UTF-8") from None
    except tomllib.TOMLDecodeError as error:
        raise CorpusFormatError(path, getattr(error, "lineno", None), f"not valid TOML: {error}") from None
    tables = settings.get("sources", [])
    if not isinstance(tables, list) or not all(isinstance(table, dict) for table in tables):
        raise SourcesFormatError(path, None, "'sources' must be [[sources]] tables")
    if not tables:
        raise NoSources(f"{path} declares no [[sources]]")
    lines = _header_lines(text, "sources")
    sources = [_read_source(table, number, path, lines.get(number)) for number, table in enumerate(tables, 1)]
    return CollectPlan(sources=sources, outlets=_read_outlets(settings.get("outlets", {}), path))


def _header_lines(text: str, name: str) -> dict[int, int]:
    """Line of the n-th [[name]] header, so errors can point at it (tomllib gives no positions)."""
    pattern = re.compile(rf"^\s*\[\[\s*{name}\s*\]\]")
    numbers = [line for line, content in enumerate(text.splitlines(), 1) if pattern.match(content)]
    return {number: line for number, line in enumerate(numbers, 1)}


def _read_source(table: dict[str, Any], number: int, path: Path, line: int | None) -> Source:
    def fail(message: str):
        raise SourcesFormatError(path, line, f"[[sources]] number {number}: {message}")

    unknown = set(table) - SOURCE_KEYS
    if unknown:
        fail(f"unknown key(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(SOURCE_KEYS))}")
    kind = table.get("type")
    if kind not in SOURCE_TYPES:
        fail(f"'type' must be one of {', '.join(SOURCE_TYPES)}, not {kind!r}")
    url = table.get("url")
    if kind == "gdelt":
        if url is not None:
            fail("a gdelt source takes 'keywords' per language, not 'url'")
    elif not isinstance(url, str) or not url.strip():
        fail(f"a {kind} source needs 'url', the address to fetch")
    else:
        # A typo here ("elpais.com/rss.xml") is the user's to fix, named with its line before anything is fetched.
        try:
            check_address(url.strip())
        except FetchFailed as error:
            fail(f"'url': {error}; write the whole address, starting with https:// or http://")
    language = table.get("language")
    if language is not None:
        language = normalize_language_code(str(language))
        if language is None:
            fail(f"unknown language code {table['language']!r}")
    keywords = _read_keywords(table.get("keywords", {}), fail)
    if kind == "gdelt" and not keywords:
        fail("a gdelt source needs 'keywords', e.g. keywords = { en = [\"military parade\"] }")
    start, end = _read_moment(table.get("start"), "start", fail), _read_moment(table.get("end"), "end", fail)
    if start and end and start > end:
        fail(f"'start' ({start.date()}) is after 'end' ({end.date()})")
    return Source(number=number, type=kind, url=url.strip() if url else None, language=language,
                  keywords=keywords, start=start, end=end)


def _read_keywords(value: Any, fail) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        fail("'keywords' must be a table of language = [words], e.g. keywords = { es = [\"desfile\"] }")
    keywords = {}
    for code, words in value.items():
        language = normalize_language_code(code)
        if language is None:
            fail(f"'keywords' has an unknown language code {code!r}")
        words = [words] if isinstance(words, str) else words
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
            fail(f"keywords.{code} must be a non-empty list of words")
        keywords[language] = tuple(word.strip() for word in words)
    return keywords


def _read_moment(value: Any, key: str, fail) -> datetime | None:
    """A TOML date or datetime (or an ISO 8601 string). A bare date is a whole day: 'start' at its first
    second, 'end' at its last, so end = 2025-09-05 includes the 5th."""
    if value is None:
        return None
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            fail(f"'{key}' must be a date such as 2025-09-03, not {value!r}")
    if isinstance(value, date) and not isinstance(value, datetime):
        day = datetime(value.year, value.month, value.day)
        return day + timedelta(days=1, seconds=-1) if key == "end" else day
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        fail(f"'{key}' must be a date such as 2025-09-03, not {value!r}")
    return as_utc(moment)


def as_utc(moment: datetime) -> datetime:
    """Naive UTC, so dates from TOML, feeds and GDELT compare with each other; a naive moment is taken as UTC."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None) if moment.tzinfo else moment


def _read_outlets(value: Any, path: Path) -> dict[str, Outlet]:
    if not isinstance(value, dict):
        raise SourcesFormatError(path, None, "'outlets' must be tables such as [outlets.\"elpais.com\"]")
    outlets = {}
    for domain, table in value.items():
        where = f"[outlets.\"{domain}\"]"
        if "://" in domain or not _outlet_key(domain).split("/")[0]:
            raise SourcesFormatError(path, None, f"{where}: name a domain, optionally with a path "
                                                 f"(\"dw.com\", \"dw.com/es\"), not an address")
        if not isinstance(table, dict) or not isinstance(table.get("name"), str) or not table["name"].strip():
            raise SourcesFormatError(path, None, f"{where} needs name = \"Outlet name\"")
        unknown = set(table) - OUTLET_KEYS
        if unknown:
            raise SourcesFormatError(path, None, f"{where}: unknown key(s) {', '.join(sorted(unknown))}; "
                                                 f"allowed: {', '.join(sorted(OUTLET_KEYS))}")
        language = table.get("language")
        if language is not None and normalize_language_code(str(language)) is None:
            raise SourcesFormatError(path, None, f"{where}: unknown language code {language!r}")
        outlets[_outlet_key(domain)] = Outlet(
            name=table["name"].strip(), country=table.get("country"),
            language=normalize_language_code(str(language)) if language else None)
    return outlets


def _outlet_key(domain: str) -> str:
    """"www.DW.com/es/" → "dw.com/es": hosts and paths compared as outlet_for splits an address."""
    host, _, path = domain.strip().lower().partition("/")
    return "/".join([host.removeprefix("www."), *[segment for segment in path.split("/") if segment]])
