"""Collect, step 2 (parsing): the pages an RSS, Atom or JSON feed or a sitemap lists, read from the bytes fetched."""

from __future__ import annotations

import html.entities
import json
import re
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urljoin

import feedparser
from lxml import etree

from ..errors import UnreadableSource
from ..language import normalize_language_code
from .feed_dates import UnknownZoneName, read_feed_date
from .inflate import InflatesTooFar, inflate
from .sources import as_utc

_CDATA = re.compile(rb"(<!\[CDATA\[.*?\]\]>)", re.S)
_NAMED_ENTITY = re.compile(rb"&([A-Za-z][A-Za-z0-9]{1,31});")
_TAG = re.compile(r"<[^>]+>")
_JSON_START = re.compile(rb"(?:\xef\xbb\xbf)?\s*\{")
_JSON_FEED_VERSION = "https://jsonfeed.org/version/"
_GZIP_MAGIC = b"\x1f\x8b"
_HTML_START = re.compile(rb"(?:\xef\xbb\xbf)?\s*<(?:!doctype\s+html|html)\b", re.I)
_XML_ENTITIES = {b"amp", b"lt", b"gt", b"quot", b"apos"}
_SPACE_BEFORE_DECLARATION = re.compile(rb"(\xef\xbb\xbf)?\s+(?=<\?xml\b)")
# feedparser flags these, yet the feed was read correctly.
_HARMLESS_FEED_PROBLEMS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
# sitemaps.org caps a sitemap at 50 MiB uncompressed: a sitemap.xml.gz inflating past that is refused unread,
# since a few kilobytes of gzip can inflate to gigabytes.
SITEMAP_MAX_BYTES = 52_428_800
# sitemaps.org's cap on the pages of one sitemap, and on the sitemaps of one index: the entries past it go unread.
SITEMAP_MAX_ENTRIES = 50_000
_SITEMAP_CHUNK_BYTES = 65_536


@dataclass(frozen=True)
class Item:
    """A page a source lists, with what the listing says about it."""

    url: str
    title: str | None = None
    published: datetime | None = None  # naive UTC
    zone_assumed: bool = False  # the feed's date named no zone (or no time): read in the feed's zone, else UTC
    modified: datetime | None = None  # a sitemap's lastmod: the page was published no later than this
    language: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class Listing:
    items: list[Item]
    sitemaps: list[Item] = field(default_factory=list)  # a sitemap index names further sitemaps (and their lastmod)
    problem: str | None = None  # the document was malformed and only partly read
    unlinked: int = 0  # feed entries without a link: nothing to fetch, but the user is told they were there


def parse_feed(body: bytes, *, url: str, max_bytes: int, content_type: str | None = None) -> Listing:
    """Items of an RSS, Atom or JSON feed. Malformed XML yields the items read before the fault, and says so. A
    feed.xml.gz served as a file (no Content-Encoding) is inflated, up to `max_bytes`."""
    if body[:2] == _GZIP_MAGIC:
        body = _gunzip(body, max_bytes, what="feed", limit_named="[collect] max_bytes")
    if not body.strip():
        raise UnreadableSource("an empty response, not an RSS or Atom feed")
    if _JSON_START.match(body):
        return _parse_json_feed(body, url=url)
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(_numeric_entities(_declaration_first(body)), response_headers=headers,
                              sanitize_html=False)
    language = normalize_language_code(str(parsed.feed.get("language") or ""))
    zone = _feed_zone([parsed.feed, *parsed.entries])
    items = []
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip()
        if link:
            published, assumed = _entry_moment(entry, zone)
            items.append(Item(url=_absolute(url, link), title=_text(entry.get("title")), published=published,
                              zone_assumed=assumed, language=language))
    problem = parsed.get("bozo_exception") if parsed.bozo else None
    if isinstance(problem, _HARMLESS_FEED_PROBLEMS):
        problem = None
    if not items and (problem or not parsed.version) and _is_html(body, content_type):
        raise UnreadableSource("an HTML page, not an RSS or Atom feed: give the feed's own address (the page's "
                               "<link rel=\"alternate\" type=\"application/rss+xml\">), or make it type = \"page\"")
    if not items and (problem or not parsed.version):
        reason = f" ({_describe(problem)})" if problem else ""
        raise UnreadableSource(f"not a readable RSS or Atom feed{reason}")
    unlinked = len(parsed.entries) - len(items)
    if problem:
        return Listing(items, problem=f"feed XML is malformed ({_describe(problem)}); "
                                      f"{len(items)} item(s) read before the fault", unlinked=unlinked)
    return Listing(items, unlinked=unlinked)


def _parse_json_feed(body: bytes, *, url: str) -> Listing:
    """Items of a JSON Feed (jsonfeed.org, 1.0 or 1.1): each item's `url`, title, date and language."""
    try:
        feed = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise UnreadableSource(f"not a readable JSON Feed ({error})") from None
    if not (isinstance(feed, dict) and str(feed.get("version")).startswith(_JSON_FEED_VERSION)
            and isinstance(feed.get("items"), list)):
        raise UnreadableSource("JSON, but not a JSON Feed (no jsonfeed.org version and items)")
    entries, language = feed["items"], feed.get("language")
    items = []
    for entry in entries:
        link = entry.get("url") if isinstance(entry, dict) else None
        if not isinstance(link, str) or not link.strip():
            continue
        written = entry.get("date_published") or entry.get("date_modified")
        written = written if isinstance(written, str) else None
        items.append(Item(url=_absolute(url, link.strip()), title=_text(entry.get("title")),
                          published=_iso_moment(written), zone_assumed=_names_no_zone(written),
                          language=normalize_language_code(str(entry.get("language") or language or ""))))
    return Listing(items, unlinked=len(entries) - len(items))


def _entry_moment(entry, feed_zone: timedelta | None) -> tuple[datetime | None, bool]:
    """When the entry was published (else last updated), in naive UTC, and whether its zone was assumed (the
    date named none: the feed's zone is taken, else UTC). None when its zone is a name with no single meaning."""
    for key in ("published", "updated"):
        # dict.get: FeedParserDict.get maps a missing "updated" to "published", with a DeprecationWarning.
        written = dict.get(entry, key)
        if not written:
            continue
        try:
            date = read_feed_date(written)
        except UnknownZoneName:
            return None, False
        if date and date.offset is not None:
            return date.wall - date.offset, False
        if date:
            return date.wall - (feed_zone or timedelta(0)), True
        stamp = dict.get(entry, f"{key}_parsed")  # feedparser's reading of other forms, a UTC struct_time
        if stamp:
            return datetime(*stamp[:6]), False
    return None, False


def _feed_zone(parts) -> timedelta | None:
    """The zone the feed writes its dates in: that of the first of its own or its entries' dates naming one."""
    for part in parts:
        for key in ("published", "updated"):
            try:
                date = read_feed_date(dict.get(part, key) or "")
            except UnknownZoneName:
                continue
            if date and date.offset is not None:
                return date.offset
    return None


def parse_sitemap(body: bytes, *, url: str) -> Listing:
    """Pages of a sitemap (with the news extension's title, date and language), or the sitemaps of an index."""
    if body[:2] == _GZIP_MAGIC:  # sitemap.xml.gz, served as a file rather than with Content-Encoding
        body = _gunzip(body, SITEMAP_MAX_BYTES, what="sitemap", limit_named="the sitemap protocol's limit")
    body = _declaration_first(body)
    problem = None
    try:
        root, entries, more = _sitemap_entries(body, recover=False)
    except etree.XMLSyntaxError as error:
        problem = f"sitemap XML is malformed ({error})"
        root, entries, more = _sitemap_entries(body, recover=True) if body.strip() else (None, [], False)
    if root is None or etree.QName(root).localname not in ("urlset", "sitemapindex"):
        raise UnreadableSource(problem or "not a sitemap (no <urlset> or <sitemapindex>)")
    items = [Item(url=_absolute(url, e["loc"]), title=e.get("title") or None,
                  published=_iso_moment(e.get("publication_date")), modified=_iso_moment(e.get("lastmod")),
                  zone_assumed=_names_no_zone(e.get("publication_date")),
                  language=normalize_language_code(e.get("language") or ""))
             for e in entries if e.get("loc")]
    if more:
        problem = (f"sitemap lists more than {SITEMAP_MAX_ENTRIES:,} entries, the sitemap protocol's limit; only "
                   f"the first {SITEMAP_MAX_ENTRIES:,} were read")
    elif problem and etree.QName(root).localname != "sitemapindex":
        problem = f"{problem}; {len(items)} page(s) read before the fault"
    if etree.QName(root).localname == "sitemapindex":
        return Listing([], sitemaps=items, problem=problem)
    return Listing(items, problem=problem)


def _sitemap_entries(body: bytes, *, recover: bool) -> tuple[etree._Element | None, list[dict[str, str]], bool]:
    """The sitemap's root element, the fields of its first SITEMAP_MAX_ENTRIES entries, and whether it holds
    more. Read as a stream and left there: a few megabytes of gzip listing a million pages would otherwise take a
    gigabyte and a minute to parse whole, for pages the run would never fetch."""
    # No entity expansion, no network, no DTDs: a sitemap is untrusted input.
    parser = etree.XMLPullParser(events=("start", "end"), recover=recover, resolve_entities=False,
                                 no_network=True, load_dtd=False, huge_tree=False)
    root, entries = None, []
    for start in range(0, len(body), _SITEMAP_CHUNK_BYTES):
        parser.feed(body[start:start + _SITEMAP_CHUNK_BYTES])
        for event, element in parser.read_events():
            if root is None:
                root = element
            elif event == "end" and isinstance(element.tag, str) and element.getparent() is root:
                if len(entries) == SITEMAP_MAX_ENTRIES:
                    return root, entries, True
                entries.append(_fields(element))
                element.clear()
    parser.close()
    return root, entries, False


def _is_html(body: bytes, content_type: str | None) -> bool:
    media = (content_type or "").split(";")[0].strip().lower()
    return media in ("text/html", "application/xhtml+xml") or bool(_HTML_START.match(body))


def _absolute(base: str, link: str) -> str:
    try:
        return urljoin(base, link)
    except ValueError:
        return link  # malformed ("http://[::1"): kept as listed, so the run reports it with its source


def _gunzip(body: bytes, limit: int, *, what: str, limit_named: str) -> bytes:
    try:
        return inflate(body, limit=limit)
    except zlib.error as error:
        raise UnreadableSource(f"gzip-compressed {what} is corrupt ({error})") from None
    except InflatesTooFar:
        raise UnreadableSource(f"gzip-compressed {what} inflates past {limit:,} bytes, {limit_named}") from None


def _fields(entry) -> dict[str, str]:
    """Child texts by local name; the first wins, so an <image:loc> cannot replace the page's <loc>."""
    fields: dict[str, str] = {}
    for child in entry.iter():
        if isinstance(child.tag, str):
            fields.setdefault(etree.QName(child).localname, (child.text or "").strip())
    return fields


def _declaration_first(data: bytes) -> bytes:
    """Blank lines before <?xml …?> (a CMS template or plugin printing a newline first) make a feed or sitemap
    malformed to the letter, yet every item is there: they are dropped, so such a document reads as whole."""
    match = _SPACE_BEFORE_DECLARATION.match(data)
    return (match.group(1) or b"") + data[match.end():] if match else data


def _numeric_entities(data: bytes) -> bytes:
    """HTML entities (&eacute; &nbsp;) are undefined in XML: write them as character references, outside
    CDATA, so a feed that uses them parses strictly and any remaining fault is a real one."""
    def replace(match: re.Match) -> bytes:
        name = match.group(1)
        codepoint = html.entities.name2codepoint.get(name.decode())
        return match.group(0) if name in _XML_ENTITIES or codepoint is None else b"&#%d;" % codepoint

    parts = _CDATA.split(data)
    return b"".join(part if index % 2 else _NAMED_ENTITY.sub(replace, part) for index, part in enumerate(parts))


def _describe(problem: Exception) -> str:
    line = getattr(problem, "getLineNumber", lambda: None)()
    message = getattr(problem, "getMessage", lambda: str(problem))()
    return f"{message} at line {line}" if line else str(message)


def _text(value) -> str | None:
    """A title as plain text. Feeds put HTML in titles (in CDATA, or escaped once more), which feedparser
    hands over as written: its tags go and its character references (&amp; &eacute;) are read."""
    text = " ".join(html.unescape(_TAG.sub(" ", str(value or ""))).split())
    return text or None


def _names_no_zone(value: str | None) -> bool:
    """A W3C date without a zone ("2025-09-03", or a time with no offset): read as UTC, which it may not be."""
    try:
        return bool(value) and datetime.fromisoformat(value).tzinfo is None
    except ValueError:
        return False


def _iso_moment(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return as_utc(datetime.fromisoformat(value))
    except ValueError:
        return None
