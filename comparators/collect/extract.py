"""Collect, step 3 (parsing): a fetched page's title, date and main text (trafilatura, favouring precision),
then the cleaning stage, then a language check against the language the page was declared in.

A page's declared language is, first, the user's (the source's `language`, else its [outlets] entry's), then the
page's own word about itself (<html lang>, og:locale, Content-Language), and only then its listing's (a feed's
<language>, a news sitemap's, the GDELT query's): a listing speaks for a whole channel, often by a default, and a
multilingual outlet's feed links pages in several languages. A page whose text contradicts its declared language
is kept under the language its text is in, with a note saying so: dropping it would hide coverage, and keeping the
wrong label would send it to the wrong translator.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import trafilatura
from trafilatura.settings import set_date_params

from ..clean import clean_text, paywall_notice
from ..errors import FetchFailed, ListsArticles, NoMainText, NotAnHTMLPage
from ..language import detect_language, normalize_language_code
from ..options import Options
from .dedupe import ascii_host
from .fetch import RawResponse, check_address

HTML_MEDIA_TYPES = {"text/html", "application/xhtml+xml"}
_CHARSET_PARAMETER = re.compile(r""";\s*charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
# <meta charset="…"> or <meta http-equiv="Content-Type" content="…; charset=…">, near the top as HTML requires.
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_META_SCAN_BYTES = 4096
# As browsers read them (WHATWG Encoding Standard): pages labelled iso-8859-1 are written in windows-1252 (its
# ’ and “” are C1 control characters in Latin-1), Shift_JIS in its Windows superset (①), and so on.
_BROWSER_ENCODINGS = {"iso8859-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254", "tis-620": "cp874",
                      "iso8859-11": "cp874", "shift_jis": "cp932", "euc_kr": "cp949", "gb2312": "gb18030",
                      "gbk": "gb18030"}
_LABELS_PYTHON_LACKS = {"windows-874": "cp874", "windows-31j": "cp932", "x-sjis": "cp932"}


@dataclass(frozen=True)
class Extracted:
    text: str  # the cleaned story
    title: str | None
    published: str | None  # ISO 8601 date from the page's metadata
    language: str | None
    page_language: str | None  # the language the page declares of itself (<html lang>, og:locale, …)
    language_note: str | None  # set when the text contradicts the declared language
    paywall_note: str | None  # set when the page shows signs of a paywall: the text may be cut short
    canonical_url: str | None  # the page's own rel=canonical / og:url, when it points into the same site


def extract_page(response: RawResponse, *, declared_language: str | None, options: Options,
                 listed_language: str | None = None) -> Extracted:
    """Raises NotAnHTMLPage or NoMainText when the response holds no article. `declared_language` is the user's
    for the page, `listed_language` its listing's; the page's own declaration comes between the two."""
    media = response.media_type
    if media not in HTML_MEDIA_TYPES and not (media == "" and response.body.lstrip()[:1] == b"<"):
        raise NotAnHTMLPage(f"not an HTML page (content type {media or 'unknown'})")
    tree = trafilatura.load_html(_decoded(response))
    if tree is None:
        raise NoMainText("the page could not be parsed as HTML")
    page_language = _page_language(tree, response)
    declared = declared_language or page_language or listed_language
    teasers = _index_teasers(tree, response.final_url)
    if teasers:
        raise ListsArticles(f"an index page: {teasers} <article> teasers linking to other pages, not one article")
    # Read before extraction, which prunes the tree (scripts go first).
    paywall = _paywall_markup(tree)
    canonical = _canonical_link(tree, response.final_url)
    frames = _frames(tree, response.final_url)
    document = _main_text(tree, response.final_url)
    text = clean_text(document.text or "", options=options) if document else ""
    if len(text) < options.collect.min_text_chars and frames:
        raise NoMainText(f"a frameset page: its text is in its frames ({', '.join(frames)}); give the frame holding "
                         "the article as a page source")
    if len(text) < options.collect.min_text_chars:
        raise NoMainText(f"no main text ({len(text)} characters of story, under "
                         f"[collect] min_text_chars = {options.collect.min_text_chars})")
    guess = detect_language(text, declared=declared, options=options)
    note = None
    if declared and guess.language != declared:
        note = (f"declared {declared}, but the text reads as {guess.language} "
                f"(p = {guess.probability:.2f}): kept as {guess.language}")
    notice = paywall_notice(document.text or "")
    paywall = f"the page shows a paywall notice (\u201c{notice}\u201d)" if notice else paywall
    return Extracted(text=text, title=document.title or None, published=document.date or None,
                     language=guess.language, page_language=page_language, language_note=note,
                     paywall_note=f"may be truncated: {paywall}" if paywall else None,
                     canonical_url=_same_site(canonical or document.url, response.final_url))


def saved_page_text(html: str, *, url: str | None) -> tuple[str, str | None]:
    """The main text and title of a page saved by hand (a corpus's manifest.csv), extracted as a collected page's
    is, so the same page gives the same passages whichever way it came in."""
    tree = trafilatura.load_html(html)
    document = _main_text(tree, url or "") if tree is not None else None
    return (document.text or "", document.title or None) if document else ("", None)


def _main_text(tree, url: str):
    """trafilatura's document for the page's story (None when it finds none), teaser lists dropped first."""
    _drop_teaser_cards(tree, url)
    return trafilatura.bare_extraction(
        tree, url=url or None, favor_precision=True, include_comments=False, include_tables=False,
        with_metadata=True, date_extraction_params=_date_parameters())


def _page_language(tree, response: RawResponse) -> str | None:
    """The language the page declares of itself: <html lang>, else og:locale, else a Content-Language (meta, then
    header) naming a single language, else None."""
    candidates = [tree.get("lang"), *tree.xpath("//meta[@property='og:locale']/@content"),
                  *tree.xpath("//meta[translate(@http-equiv, 'CONTENT-LANGUAGE', 'content-language')"
                              "='content-language']/@content"),
                  response.header("content-language")]
    for candidate in candidates:
        if candidate and "," not in candidate and (language := normalize_language_code(candidate)):
            return language
    return None


# trafilatura takes a section or front page's teasers for one story. An index is this many <article> elements
# headed by a link to another page, holding most of the page's paragraph text: an article's own related-story
# cards hold little of it, and a live blog's updates link to the blog itself.
_INDEX_TEASERS = 3
_INDEX_TEXT_SHARE = 0.8
_HEADING_LINKS = "(.//h1|.//h2|.//h3|.//h4)//a/@href"


def _index_teasers(tree, page_url: str) -> int:
    """How many teasers the page lists when it is an index page, else 0."""
    here = urlsplit(page_url)._replace(fragment="", query="").geturl()
    teasers = [article for article in tree.iterfind(".//article")
               if any(_elsewhere(link, page_url, here) for link in article.xpath(_HEADING_LINKS))]
    if len(teasers) < _INDEX_TEASERS:
        return 0
    teaser_text = sum(len(p.text_content()) for article in teasers for p in article.iter("p"))
    all_text = sum(len(p.text_content()) for p in tree.iter("p"))
    return len(teasers) if all_text and teaser_text >= _INDEX_TEXT_SHARE * all_text else 0


# A card teasing another story: a heading linking to it, and perhaps a line of summary, in this many characters.
_CARD_CHARS = 400
# What a list of cards may hold besides them before the list goes whole: its heading ("You may also like").
_CARD_LIST_HEADING_CHARS = 80
_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
# A teaser is headed by its story's headline; a heading of a name or a date ("Xi Jinping", "March 2018") titles a
# section of this story (a who's who, a timeline), however it links to a profile or to past coverage.
_HEADLINE_WORDS = 4
_HEADLINE_CJK_CHARS = 8


def _drop_teaser_cards(tree, page_url: str) -> None:
    """Remove lists of teasers for other stories (related, most read, "you may also like") from the page, with
    their heading. trafilatura drops those whose class says what they are, but a class such as "css-1x2y3z"
    says nothing, and each teaser's headline and summary would join the story as statements it makes."""
    here = urlsplit(page_url)._replace(fragment="", query="").geturl()
    linked = {heading for heading in tree.iter(_HEADINGS) if _headline(heading.text_content())
              and any(_elsewhere(link, page_url, here) for link in heading.xpath(".//a/@href | ancestor::a/@href"))}
    lists: dict = {}
    for heading in linked:
        card = heading
        while (parent := card.getparent()) is not None and len(parent.text_content()) <= _CARD_CHARS \
                and sum(1 for inner in parent.iter(_HEADINGS) if inner in linked) == 1:
            card = parent
        if card.getparent() is not None:
            lists.setdefault(card.getparent(), []).append(card)
    for container, cards in lists.items():
        if len(cards) < 2 or any(len(card.text_content()) > _CARD_CHARS for card in cards):
            continue
        for card in cards:
            card.drop_tree()
        rest = container.text_content().strip()
        if len(rest) <= _CARD_LIST_HEADING_CHARS and container.getparent() is not None \
                and not container.xpath(".//p"):
            container.drop_tree()


def _headline(text: str) -> bool:
    return (len(text.split()) >= _HEADLINE_WORDS
            or sum(1 for char in text if "\u2e80" <= char <= "\ud7af") >= _HEADLINE_CJK_CHARS)


def _elsewhere(link: str, page_url: str, here: str) -> bool:
    try:
        target = urlsplit(urljoin(page_url, link))
    except ValueError:
        return False
    return target._replace(fragment="", query="").geturl() != here


# A class naming a paywall as a whole word of it: "paywall", "c-paywall", "article__paywall".
_PAYWALL_CLASS = re.compile(r"(?:^|[\s_-])paywall(?:$|[\s_-])", re.IGNORECASE)


def _paywall_markup(tree) -> str | None:
    """How the page's markup says its story is for subscribers (schema.org's isAccessibleForFree: false, as
    Google asks of paywalled pages, or a paywall element), else None."""
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        if _not_free(data):
            return "its JSON-LD says isAccessibleForFree: false"
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if element.get("data-paywall") is not None:
            return f"its markup has a paywall (<{element.tag} data-paywall>)"
        if _PAYWALL_CLASS.search(element.get("class") or ""):
            return f"its markup has a paywall (<{element.tag} class=\"{element.get('class')}\">)"
    return None


def _not_free(data) -> bool:
    """isAccessibleForFree false (or "False"), anywhere in the JSON-LD (an @graph, a hasPart)."""
    if isinstance(data, list):
        return any(_not_free(item) for item in data)
    if not isinstance(data, dict):
        return False
    free = data.get("isAccessibleForFree")
    if free is False or (isinstance(free, str) and free.strip().lower() == "false"):
        return True
    return any(_not_free(value) for value in data.values() if isinstance(value, (dict, list)))


def _date_parameters() -> dict:
    """htmldate's extensive search reads any year in the text ("© 2025" in a footer) as the publication
    date; a missing date is better than a wrong one, so only metadata, the URL and time elements count.
    Built per page: it carries today's date as the latest date allowed, and a monitor runs for days."""
    return set_date_params(extensive=False)


def _decoded(response: RawResponse) -> bytes | str:
    """The page as text. Servers often send a default charset (utf-8, iso-8859-1) for pages written in
    another, so the bytes have the last word: valid UTF-8 beyond ASCII is UTF-8 (text in a legacy charset
    almost never is), else the first of the header's and the page's <meta> charsets that decodes them
    cleanly, else the header's with the odd bad byte replaced; with neither, trafilatura guesses. A header of
    ISO-8859-1 (windows-1252 as read), HTTP's old default and Apache's AddDefaultCharset, fits any bytes, so
    they cannot contradict it: a <meta> naming another charset comes first then."""
    body = response.body
    if not body.isascii():
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            pass
    header = _charset(_CHARSET_PARAMETER.search(response.header("content-type") or ""))
    page = _charset(_META_CHARSET.search(body[:_META_SCAN_BYTES]))
    for charset in ((page, header) if header == "cp1252" else (header, page)):
        if charset:
            try:
                return body.decode(charset)
            except UnicodeDecodeError:
                continue
    return body.decode(header, errors="replace") if header else body


def _charset(match: re.Match | None) -> str | None:
    if not match:
        return None
    label = match.group(1)
    label = (label.decode("ascii") if isinstance(label, bytes) else label).lower()
    try:
        name = codecs.lookup(_LABELS_PYTHON_LACKS.get(label, label)).name
    except LookupError:
        return None
    return _BROWSER_ENCODINGS.get(name, name)


def _frames(tree, page_url: str) -> list[str]:
    """The addresses of a <frameset>'s frames, which hold the page's content: the page itself holds none."""
    addresses = []
    for frame in tree.iter("frame"):
        source = (frame.get("src") or "").strip()
        try:
            address = urljoin(page_url, source) if source else None
        except ValueError:
            address = source
        if address and address not in addresses:
            addresses.append(address)
    return addresses


def _canonical_link(tree, page_url: str) -> str | None:
    """The page's <link rel="canonical">, resolved against its address: trafilatura reads only an absolute one,
    yet a relative one ("/story") is common and valid."""
    for link in tree.iter("link"):
        href = (link.get("href") or "").strip()
        if href and "canonical" in (link.get("rel") or "").lower().split():
            try:
                return urljoin(page_url, href)
            except ValueError:
                return None
    return None


def _same_site(candidate: str | None, page_url: str) -> str | None:
    """A canonical address is believed only inside the page's own site: another site could claim anything. An
    AMP or mobile copy (amp.example.com, m.example.com) names its article on the main host: that counts, or
    the copy and the article would be two articles. Hosts compare in their ASCII form: a page on bücher.de may
    name its canonical on xn--bcher-kva.de."""
    if not candidate:
        return None
    try:
        check_address(candidate)
    except FetchFailed:
        return None  # the page's own address stands
    host = ascii_host(urlsplit(candidate).hostname or "").removeprefix("www.")
    page = ascii_host(urlsplit(page_url).hostname or "").removeprefix("www.")
    label, _, parent = page.partition(".")
    return candidate if host and (host == page or (label in _COPY_SUBDOMAINS and host == parent)) else None


_COPY_SUBDOMAINS = {"amp", "m", "mobile"}
