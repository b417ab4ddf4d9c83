"""Collecting from a local HTTP server that misbehaves, one way per test. Each failure is recorded with its
source and reason, the event's next source is still collected, and an article from an earlier run survives."""

from __future__ import annotations

import html
import json
import threading
import time
from datetime import datetime
from urllib.parse import quote

import pytest

from comparators.collect import collect_event, run
from comparators.collect.dedupe import DuplicateIndex
from comparators.collect.extract import extract_page, saved_page_text
from comparators.collect.feeds import parse_feed
from comparators.collect.fetch import RawResponse
from comparators.collect.warc import WarcArchive
from comparators.errors import SourcesFormatError
from tests._collect_helpers import article_page, documents, fast_options, make_event, read_articles, rss
from tests._collect_helpers import site_fixture  # noqa: F401 (the `site` fixture)

FEED_MAX_BYTES = 1_000_000
EARLIER = {"id": "earlier-1", "outlet": "Earlier Times", "language": "en",
           "text": "An article collected in an earlier run, which no later run may lose."}


@pytest.fixture
def collect(site, tmp_path, options):
    """collect(bad_source) runs an event whose first source is the bad one and whose second is a good page,
    in a folder already holding an article; checks the good page was collected and the old line kept."""
    good = site.add("/good.html", article_page(documents()[0]))
    runs = iter(range(100))

    def run(bad_source: dict, **collect_options):
        folder = make_event(tmp_path / f"event-{next(runs)}", [bad_source, {"type": "page", "url": good}])
        earlier = json.dumps(EARLIER) + "\n"
        (folder / "articles.jsonl").write_text(earlier, encoding="utf-8")
        summary = collect_event(folder, options=fast_options(options, **collect_options))
        articles = read_articles(folder)
        assert (folder / "articles.jsonl").read_text(encoding="utf-8").startswith(earlier)
        assert good in [article.get("url") for article in articles], summary.failures
        for failure in summary.failures:
            assert failure.source.startswith("sources[1] ")
        return summary, articles

    return run


def only_failure(summary):
    assert len(summary.failures) == 1, summary.failures
    assert summary.status == "partial"
    return summary.failures[0]


def test_404_is_recorded_with_its_source(site, collect):
    missing = site.url("/missing.html")
    failure = only_failure(collect({"type": "page", "url": missing})[0])
    assert failure.source == f"sources[1] page {missing}"
    assert failure.reason == "HTTP 404 Not Found"


def test_500_is_retried_then_recorded(site, collect):
    broken = site.add("/broken.html", "oops", status=500)
    failure = only_failure(collect({"type": "page", "url": broken}, retries=2)[0])
    assert failure.reason == "HTTP 500 Internal Server Error (3 attempts)"
    assert len(site.seen("/broken.html")) == 3


def test_timeout_is_recorded(site, collect):
    release = threading.Event()
    slow = site.add("/slow.html", respond=lambda handler: release.wait(10))
    try:
        summary, _ = collect({"type": "page", "url": slow}, timeout_seconds=0.3, retries=0)
    finally:
        release.set()
    assert only_failure(summary).reason == "timed out after 0.3 s (1 attempt)"


def test_redirect_loop_is_caught_at_its_first_repeat(site, collect):
    first = site.add("/loop-a", status=302, headers={"Location": "/loop-b"})
    second = site.add("/loop-b", status=302, headers={"Location": "/loop-a"})
    failure = only_failure(collect({"type": "page", "url": first})[0])
    assert failure.reason == f"redirect loop: {first} → {second} → {first}"
    assert len(site.seen("/loop-a")) == 1


def _redirect_chain(site, name: str, hops: int) -> str:
    """The first address of `hops` redirects ending at an article."""
    site.add(f"/{name}-{hops}", article_page(documents()[1]))
    for hop in range(hops):
        site.add(f"/{name}-{hop}", status=301, headers={"Location": f"/{name}-{hop + 1}"})
    return site.url(f"/{name}-0")


def test_a_chain_of_redirects_longer_than_max_redirects_fails_naming_the_setting(site, collect):
    # Trackers, http → https, www., a consent check and an edition: a genuine chain of 7 is followed by default.
    _, articles = collect({"type": "page", "url": _redirect_chain(site, "hop", 7)})
    assert site.url("/hop-7") in [article.get("url") for article in articles]
    long = _redirect_chain(site, "long", 3)
    failure = only_failure(collect({"type": "page", "url": long}, max_redirects=2)[0])
    assert failure.reason == f"more than 2 redirects from {long} ([collect] max_redirects = 2)"


def test_pages_redirected_to_a_consent_wall_fail_instead_of_one_becoming_an_article(site, collect):
    # A long consent page (its partners' purposes) passes for an article: the first story behind the wall would
    # be collected as it, and every other story as its duplicate.
    purposes = ("We and our 842 partners store and access information on your device, such as cookies, and process "
                "personal data, such as unique identifiers, for personalised advertising and content, advertising "
                "and content measurement, audience research and services development. ")
    site.add("/consent", f"<!doctype html><html lang='en'><head><title>Before you continue</title></head><body>"
                         f"<h1>Your privacy choices</h1>{f'<p>{purposes}</p>' * 3}<button>Accept all</button>"
                         "</body></html>")
    site.add("/login", article_page(documents()[6]))  # a wall with a whole story on it, as a teaser
    walls = {"/story-a.html": "/consent?continue={url}", "/story-b.html": "/consent?gl=GB&continue={path}",
             "/story-c.html": "/login?return_to={url}&m=1"}
    stories = {}
    for path, wall in walls.items():
        location = wall.format(url=quote(site.url(path), safe=""), path=path)
        stories[site.url(path)] = site.url(location)
        site.add(path, status=302, headers={"Location": location})
    summary, articles = collect({"type": "feed", "url": site.add("/feed.xml", rss(list(zip(walls, stories))),
                                                                 content_type="application/rss+xml")})
    assert [(failure.url, failure.reason) for failure in summary.failures] == [
        (story, f"redirected to {wall}, a consent or login wall that returns to the page afterwards; the page "
                "itself was not reached") for story, wall in stories.items()]
    assert summary.skipped == [] and [article["id"] for article in articles] == ["earlier-1", articles[1]["id"]]


def test_invalid_feed_xml_is_recorded(site, collect):
    feed = site.add("/invalid.xml", '<?xml version="1.0"?><rss version="2.0"><channel><item>'
                                    "<title>Broken</titel></item></channel></rss>", content_type="application/rss+xml")
    failure = only_failure(collect({"type": "feed", "url": feed})[0])
    assert failure.reason == "not a readable RSS or Atom feed (mismatched tag at line 1)"


@pytest.mark.parametrize("body", ["", "\n"], ids=["empty", "blank"])
def test_a_feed_answering_with_nothing_fails_alone(site, collect, body):
    feed = site.add("/empty.xml", body, content_type="application/rss+xml")
    failure = only_failure(collect({"type": "feed", "url": feed})[0])
    assert failure.reason == "an empty response, not an RSS or Atom feed"


def test_truncated_feed_keeps_the_items_before_the_cut(site, collect):
    docs = documents()
    first = site.add("/first.html", article_page(docs[2]))
    whole = rss([("First", first), ("Second", site.add("/second.html", article_page(docs[4])))])
    feed = site.add("/truncated.xml", whole[: whole.index("<title>Second") + 12], content_type="application/rss+xml")
    summary, articles = collect({"type": "feed", "url": feed})
    assert only_failure(summary).reason.startswith("feed XML is malformed (")
    assert only_failure(summary).reason.endswith("1 item(s) read before the fault")
    assert first in [article.get("url") for article in articles]
    assert not site.seen("/second.html")


@pytest.mark.parametrize("kind", ["feed", "sitemap"])
def test_blank_lines_before_the_xml_declaration_do_not_fail_the_listing(site, collect, kind):
    docs = documents()
    pages = [site.add("/before-1.html", article_page(docs[7])), site.add("/before-2.html", article_page(docs[8]))]
    listing = rss([("One", pages[0]), ("Two", pages[1])]) if kind == "feed" else (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<url><loc>{page}</loc></url>" for page in pages) + "</urlset>")
    url = site.add(f"/listing-{kind}.xml", "\ufeff\n\n" + listing, content_type="application/xml")
    summary, articles = collect({"type": kind, "url": url})
    assert summary.failures == [] and summary.status == "ok"
    assert set(pages) <= {article.get("url") for article in articles}


def test_feed_with_html_entities_and_cdata_is_read_whole(site, collect):
    docs = documents()
    pages = [site.add("/entities.html", article_page(docs[5], headline=False)),
             site.add("/cdata.html", article_page(docs[6], headline=False))]
    feed = site.add("/entities.xml", f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Entities &amp; CDATA</title>
<item><title>Kim &amp; Xi&rsquo;s parade: &eacute;t&eacute;&nbsp;2025</title><link>{pages[0]}</link>
<description><![CDATA[<p>Literal &eacute; & <b>markup</b> inside CDATA</p>]]></description></item>
<item><title><![CDATA[Putin & Kim <em>meet</em>]]></title><link>{pages[1]}</link></item>
</channel></rss>""", content_type="application/rss+xml")
    summary, articles = collect({"type": "feed", "url": feed})
    assert summary.failures == [] and summary.status == "ok"
    titles = {article.get("url"): article.get("title") for article in articles}
    assert titles[pages[0]] == "Kim & Xi’s parade: été 2025"  # the no-break space, like all spacing, is one space
    assert titles[pages[1]] == "Putin & Kim meet"


def test_feed_entities_become_characters_when_parsed_directly():
    listing = parse_feed(b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>a&nbsp;b &amp; '
                         b'&ccedil;a</title><link>http://x.test/1</link></item></channel></rss>', url="http://x.test/",
                         max_bytes=FEED_MAX_BYTES)
    assert listing.problem is None
    assert [(item.title, item.url) for item in listing.items] == [("a b & ça", "http://x.test/1")]


def test_non_html_content_type_is_not_extracted(site, collect):
    pdf = site.add("/report.pdf", b"%PDF-1.4\n" + b"\x00" * 2000, content_type="application/pdf")
    failure = only_failure(collect({"type": "page", "url": pdf})[0])
    assert failure.reason == "not an HTML page (content type application/pdf)"


def fifty_megabytes(sent: list[int], *, declare_length: bool):
    """A handler streaming 50 MB of page, generated as it goes; `sent` counts what the client took."""
    size, chunk = 50 * 1024 * 1024, b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"

    def respond(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        if declare_length:
            handler.send_header("Content-Length", str(size))
        handler.end_headers()
        try:
            while sent[0] < size:
                handler.wfile.write(chunk)
                sent[0] += len(chunk)
        except OSError:
            pass  # the client hung up, as it should

    return respond


@pytest.mark.parametrize("declare_length, reason", [
    (True, "response of 52,428,800 bytes is over max_bytes (1,048,576); not downloaded"),
    (False, "response passed max_bytes (1,048,576) and was cut off there"),
], ids=["declared-length", "streamed-without-length"])
def test_50_mb_response_is_cut_at_max_bytes_without_reading_it_all(site, collect, declare_length, reason):
    sent = [0]
    huge = site.add("/huge.html", respond=fifty_megabytes(sent, declare_length=declare_length))
    failure = only_failure(collect({"type": "page", "url": huge}, retries=0, max_bytes=1024 * 1024)[0])
    assert failure.reason == reason
    assert sent[0] < 20 * 1024 * 1024  # the client hung up long before the 50 MB were sent


def test_page_with_no_main_text_is_recorded(site, collect):
    index = site.add("/index.html", '<html><body><nav><a href="/a">World</a> <a href="/b">Sport</a></nav>'
                                    "<ul><li><a href='/c'>Parade</a></li></ul><footer>© Test</footer></body></html>")
    failure = only_failure(collect({"type": "page", "url": index})[0])
    assert failure.reason.startswith("no main text (")


def test_a_frameset_page_says_so_and_names_its_frames(site, collect):
    frameset = site.add("/frames/index.html", '<html><head><title>News</title></head><frameset cols="20%,80%">'
                                              '<frame src="menu.html"><frame src="/news/story.html" name="main">'
                                              "<noframes><p>Your browser does not support frames.</p></noframes>"
                                              "</frameset></html>")
    failure = only_failure(collect({"type": "page", "url": frameset})[0])
    assert failure.reason == (f"a frameset page: its text is in its frames ({site.url('/frames/menu.html')}, "
                              f"{site.url('/news/story.html')}); give the frame holding the article as a page source")


def test_page_in_another_language_is_kept_under_its_own_language_with_a_note(site, collect):
    english = site.add("/english.html", article_page(documents()[8]))
    summary, articles = collect({"type": "page", "url": english, "language": "es"})
    assert summary.failures == [] and summary.status == "ok"
    article = next(article for article in articles if article.get("url") == english)
    assert article["language"] == "en"
    assert article["language_note"].startswith("declared es, but the text reads as en")
    assert [(note.source, note.reason) for note in summary.notes] == [
        (f"sources[1] page {english}", article["language_note"])]


def test_file_urls_are_refused_wherever_they_appear(site, collect, tmp_path):
    secret = tmp_path / "secret.html"
    secret.write_text(article_page(documents()[9]))
    redirect = site.add("/to-file", status=302, headers={"Location": secret.as_uri()})
    feed = site.add("/files.xml", rss([("Local file", secret.as_uri()), ("Redirect", redirect)]),
                    content_type="application/rss+xml")
    summary, articles = collect({"type": "feed", "url": feed})
    refusal = "only http and https addresses are fetched, not 'file:"
    listed, redirected = summary.failures  # feedparser writes the listed file:/// address as file://
    assert listed.url.startswith("file:") and listed.reason.startswith(refusal)
    assert redirected.url == redirect and redirected.reason == f"{refusal}{secret.as_uri()[5:]}'"
    assert not any(article.get("url", "").startswith("file:") for article in articles)
    with pytest.raises(SourcesFormatError, match=f"'url': {refusal}"):  # a source's own: a typo named with its line
        collect({"type": "page", "url": secret.as_uri()})


def test_malformed_addresses_fail_alone_wherever_they_appear(site, collect):
    out_of_range = site.url("/x").replace(str(site.server.server_address[1]), "99999")
    claims_bad_canonical = site.add("/claims.html", article_page(documents()[3], canonical=out_of_range))
    redirect = site.add("/to-bad", status=302, headers={"Location": out_of_range})
    feed = site.add("/bad-links.xml", rss([("Port", "http://127.0.0.1:port/b"), ("Redirect", redirect),
                                           ("Good", claims_bad_canonical)]), content_type="application/rss+xml")
    summary, articles = collect({"type": "feed", "url": feed})
    assert [(failure.url, failure.reason) for failure in summary.failures] == [
        ("http://127.0.0.1:port/b",
         "malformed address (Port could not be cast to integer value as 'port'): 'http://127.0.0.1:port/b'"),
        (redirect, f"malformed address (Port out of range 0-65535): '{out_of_range}'")]
    assert claims_bad_canonical in [article.get("url") for article in articles]  # its own address stands
    sitemap = site.add("/bad-loc.xml", '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                                       "<url><loc>http://[::1/a</loc></url></urlset>", content_type="application/xml")
    failure = only_failure(collect({"type": "sitemap", "url": sitemap})[0])
    assert failure.reason == "malformed address (Invalid IPv6 URL): 'http://[::1/a'"


def test_an_html_page_given_as_a_feed_says_what_to_do(site, collect):
    page = site.add("/news/", "<!DOCTYPE html><html><head><title>News</title></head><body><p>Latest</p>"
                              "<br></body></html>")
    failure = only_failure(collect({"type": "feed", "url": page})[0])
    assert failure.reason == ("an HTML page, not an RSS or Atom feed: give the feed's own address (the page's "
                              '<link rel="alternate" type="application/rss+xml">), or make it type = "page"')


def test_feed_items_without_a_link_are_noted_not_dropped_silently(site, collect):
    page = site.add("/linked.html", article_page(documents()[4]))
    feed = site.add("/some-unlinked.xml", rss([("Linked", page), ("Live blog", ""), ("Photo", "")]),
                    content_type="application/rss+xml")
    summary, articles = collect({"type": "feed", "url": feed})
    assert summary.failures == [] and page in [article.get("url") for article in articles]
    assert [str(note) for note in summary.notes] == [f"sources[1] feed {feed}: 2 item(s) without a link passed over"]


def test_feed_dates_are_read_as_utc_whatever_the_local_zone(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        listing = parse_feed(b'<?xml version="1.0"?><rss version="2.0"><channel><item><link>http://x.test/1</link>'
                             b"<pubDate>Wed, 03 Sep 2025 06:33:00 +0200</pubDate></item></channel></rss>",
                             url="http://x.test/", max_bytes=FEED_MAX_BYTES)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert listing.items[0].published == datetime(2025, 9, 3, 4, 33)


def test_feed_dates_in_named_time_zones_are_read_in_their_zone_not_as_utc(site, tmp_path, options):
    # feedparser reads any zone name but North America's as UTC: 01:00 CEST on 1 September (31 August, 23:00 UTC)
    # passed the window, and 07:00 JST on 6 September (5 September, 22:00 UTC) was filtered out of it.
    dated = [("Mon, 01 Sep 2025 01:00:00 CEST", "cest"), ("Sat, 06 Sep 2025 07:00:00 JST", "jst"),
             ("Wed, 03 Sep 2025 10:00:00 IST", "ist")]
    pages = {name: site.add(f"/{name}.html", article_page(documents()[n])) for n, (_, name) in enumerate(dated)}
    entries = "".join(f"<item><title>{name}</title><link>{pages[name]}</link><pubDate>{date}</pubDate></item>"
                      for date, name in dated)
    feed = site.add("/zones.xml", f'<?xml version="1.0"?><rss version="2.0"><channel>{entries}</channel></rss>',
                    content_type="application/rss+xml")
    folder = make_event(tmp_path / "event", [{"type": "feed", "url": feed, "start": "2025-09-01",
                                              "end": "2025-09-05"}])
    summary = collect_event(folder, options=fast_options(options))
    published = {article["listed_url"]: article.get("published") for article in read_articles(folder)}
    # IST is India's, Ireland's or Israel's: the feed's date is not guessed at, the page's own (none here) stands.
    assert published == {pages["jst"]: "2025-09-05T22:00:00+00:00", pages["ist"]: None}
    assert [(skip.url, skip.reason) for skip in summary.skipped] == [
        (pages["cest"], "published 2025-08-31, outside the source's start/end window")]


def test_feed_dates_in_other_languages_and_without_a_zone_are_read_from_the_feed(site, tmp_path, options):
    # feedparser reads English RFC 822 dates with a zone only: these were left to the page's date (none here).
    dated = [("lun, 01 sept. 2025 10:00:00 +0200", "fr"), ("Mi, 03 Sep 2025 09:30:00 +0200", "de"),
             ("mié, 03 sep 2025 23:30:00 -0300", "es"), ("qua, 03 set 2025 08:00:00 +0100", "pt"),
             ("Gio, 04 Set 2025 12:00:00 +0200", "it"), ("Do, 04 Okt 2025", "de-day"),
             ("Thu, 04 Sep 2025 12:00:00", "no-zone"), ("Sun, 31 Aug 2025 20:00:00", "no-zone-late")]
    pages = {name: site.add(f"/{name}.html", article_page(documents()[n])) for n, (_, name) in enumerate(dated)}
    entries = "".join(f"<item><title>{name}</title><link>{pages[name]}</link><pubDate>{date}</pubDate></item>"
                      for date, name in dated)
    # The feed's own date names its zone (+0200): a date naming none is read in it.
    feed = site.add("/dates.xml", f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                                  f"<lastBuildDate>Fri, 05 Sep 2025 08:00:00 +0200</lastBuildDate>{entries}"
                                  f"</channel></rss>", content_type="application/rss+xml")
    folder = make_event(tmp_path / "event", [{"type": "feed", "url": feed, "start": "2025-09-01",
                                              "end": "2025-09-05"}])
    summary = collect_event(folder, options=fast_options(options))
    published = {article["listed_url"]: article.get("published") for article in read_articles(folder)}
    assert published == {
        pages["fr"]: "2025-09-01T08:00:00+00:00", pages["de"]: "2025-09-03T07:30:00+00:00",
        pages["es"]: "2025-09-04T02:30:00+00:00", pages["pt"]: "2025-09-03T07:00:00+00:00",
        pages["it"]: "2025-09-04T10:00:00+00:00", pages["no-zone"]: "2025-09-04T10:00:00+00:00",
        # 20:00 on 31 August in the feed's zone is outside the window in it, but within 14 hours of it, as a
        # date without a zone could be: kept rather than lost.
        pages["no-zone-late"]: "2025-08-31T18:00:00+00:00"}
    assert [(skip.url, skip.reason) for skip in summary.skipped] == [
        (pages["de-day"], "published 2025-10-03, outside the source's start/end window")]


def test_a_paywalled_page_is_kept_with_a_note_that_it_may_be_truncated(site, tmp_path, options):
    docs = documents()
    notice = "Subscribe to continue reading."
    pages = {
        "notice": article_page(docs[0]).replace("</article>", f"<p>{notice}</p></article>"),
        "json-ld": article_page(docs[2]).replace(
            "</head>", '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [{"@type": '
                       '"NewsArticle", "isAccessibleForFree": "False", "hasPart": {"@type": "WebPageElement", '
                       '"cssSelector": ".locked"}}]}</script></head>'),
        "class": article_page(docs[4]).replace("</article>", '<div class="article__paywall"></div></article>'),
        "data": article_page(docs[6]).replace("</article>", "<section data-paywall></section></article>"),
        "free": article_page(docs[8]).replace("</head>", '<script type="application/ld+json">'
                                                         '{"isAccessibleForFree": true}</script></head>'),
    }
    urls = {name: site.add(f"/{name}.html", page) for name, page in pages.items()}
    folder = make_event(tmp_path / "event", [{"type": "page", "url": url} for url in urls.values()])
    summary = collect_event(folder, options=fast_options(options))
    assert summary.failures == [] and summary.new == 5
    notes = {article["url"]: article.get("paywall_note") for article in read_articles(folder)}
    assert notes == {
        urls["notice"]: f"may be truncated: the page shows a paywall notice (\u201c{notice}\u201d)",
        urls["json-ld"]: "may be truncated: its JSON-LD says isAccessibleForFree: false",
        urls["class"]: 'may be truncated: its markup has a paywall (<div class="article__paywall">)',
        urls["data"]: "may be truncated: its markup has a paywall (<section data-paywall>)",
        urls["free"]: None}
    assert [(note.url, note.reason) for note in summary.notes] == [
        (url, note) for url, note in notes.items() if note]
    assert notice not in read_articles(folder)[0]["text"]


def amp_response(url: str, page: str) -> RawResponse:
    body = page.encode()
    return RawResponse(url=url, final_url=url, status=200, reason="OK", http_version="HTTP/1.1",
                       headers=(("Content-Type", "text/html; charset=utf-8"),), request_headers=(), raw_body=body,
                       body=body, fetched_at=datetime(2025, 9, 3))


@pytest.mark.parametrize("page_url, canonical, kept", [
    ("https://amp.example.com/story", "https://www.example.com/story", True),  # AMP copy of the article
    ("https://m.example.com/story", "https://example.com/story", True),
    ("https://www.example.com/amp/story", "https://example.com/story", True),
    ("https://blog.example.com/story", "https://example.com/story", False),  # another part of the site's domain
    ("https://amp.example.com/story", "https://other.com/story", False),
])
def test_an_amp_or_mobile_copy_takes_the_canonical_address_of_its_article(options, page_url, canonical, kept):
    page = article_page(documents()[0], canonical=canonical)
    extracted = extract_page(amp_response(page_url, page), declared_language="en", options=options)
    assert extracted.canonical_url == (canonical if kept else None)


@pytest.mark.parametrize("page_url, canonical, taken", [
    ("https://example.com/amp/story", "/story", "https://example.com/story"),  # relative, as many sites write it
    ("https://example.com/amp/story", "story", "https://example.com/amp/story"),
    ("https://example.com/2025/story.amp", "//www.example.com/2025/story", "https://www.example.com/2025/story"),
    ("https://amp.example.com/story", "/story", "https://amp.example.com/story"),
    # One host however written: a page on bücher.example, its canonical on xn--bcher-kva.example, and back.
    ("https://bücher.example/amp/story", "https://xn--bcher-kva.example/story", "https://xn--bcher-kva.example/story"),
    ("https://m.xn--bcher-kva.example/story", "https://bücher.example/story", "https://bücher.example/story"),
])
def test_a_canonical_address_is_read_relative_to_the_page_and_its_host_in_either_form(options, page_url, canonical,
                                                                                     taken):
    page = article_page(documents()[0], canonical=canonical)
    extracted = extract_page(amp_response(page_url, page), declared_language="en", options=options)
    assert extracted.canonical_url == taken


def test_html_in_feed_titles_is_read_as_text(site, tmp_path, options):
    # A page without a <title> or headline takes the feed's title: it read "Desfile en Pek&iacute;n &amp; m&aacute;s".
    docs = documents("spa")
    pages = [site.add(f"/{n}.html", article_page(docs[n], lang="es", headline=False)) for n in (0, 2)]
    feed = site.add("/feed.xml", '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                                 f"<item><title><![CDATA[<b>Desfile</b> en Pek&iacute;n &amp; m&aacute;s]]></title>"
                                 f"<link>{pages[0]}</link></item><item><title>Desfile en Pek&#237;n &amp;amp; m&#225;s"
                                 f"</title><link>{pages[1]}</link></item></channel></rss>",
                    content_type="application/rss+xml")
    folder = make_event(tmp_path / "event", [{"type": "feed", "url": feed}])
    summary = collect_event(folder, options=fast_options(options))
    assert summary.failures == []
    assert [article["title"] for article in read_articles(folder)] == ["Desfile en Pekín & más"] * 2


def test_an_index_page_of_teasers_is_not_taken_for_one_article(site, tmp_path, options):
    docs = documents()

    def teaser(n, href):
        return (f"<article><h3><a href=\"{href}\">{html.escape(docs[n][0])}</a></h3>"
                f"<p>{html.escape(' '.join(docs[n][1:4]))}</p></article>")

    section = "".join(teaser(n, f"/story-{n}.html") for n in range(6))
    index = site.add("/world/", f'<!doctype html><html lang="en"><head><title>World</title></head><body>'
                                f"<h1>World news</h1><main>{section}</main></body></html>")
    # An article with related-story cards, and a live blog whose updates link to themselves: articles both.
    related = "".join(teaser(n, f"/story-{n}.html") for n in (4, 5, 6, 7))
    story = site.add("/story.html", article_page(docs[0]).replace("</body>", f"<aside>{related}</aside></body>"))
    updates = "".join(teaser(n, f"#update-{n}") for n in range(8, 12))
    live = site.add("/live.html", f'<!doctype html><html lang="en"><head><title>Live</title></head><body>'
                                  f"<h1>Live: the day's news</h1><main>{updates}</main></body></html>")
    folder = make_event(tmp_path / "event", [{"type": "page", "url": url} for url in (index, story, live)])
    summary = collect_event(folder, options=fast_options(options))
    assert [article["url"] for article in read_articles(folder)] == [story, live]
    assert [(failure.url, failure.reason) for failure in summary.failures] == [
        (None, "an index page: 6 <article> teasers linking to other pages, not one article")]


def test_teasers_for_other_stories_in_classes_that_say_nothing_stay_out_of_the_story(site, tmp_path, options):
    docs = documents()
    story = docs[3]

    def card(n, href, *, wrapped=False):
        title, summary = html.escape(docs[n][0]), html.escape(docs[n][1])
        heading = f'<a href="{href}"><h3>{title}</h3></a>' if wrapped else f'<h3><a href="{href}">{title}</a></h3>'
        return f'<div class="css-1x2y3z">{heading}<p class="css-9q8w7e">{summary}</p></div>'

    cards = "".join(card(n, f"/news/{n}.html") for n in (10, 11, 12))
    wrapped = "".join(card(n, f"https://other.test/{n}", wrapped=True) for n in (13, 14))
    paragraphs = [" ".join(story[i:i + 3]) for i in range(1, len(story), 3)]
    body = "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs)
    page = (f'<!doctype html><html lang="en"><head><title>{html.escape(story[0])}</title></head><body>'
            f'<div class="css-a1"><h1>{html.escape(story[0])}</h1>{body}'
            f'<div class="css-b2"><h2>You may also like</h2>{cards}</div>{wrapped}</div></body></html>')
    url = site.add("/story.html", page)
    summary = collect_event(make_event(tmp_path / "event", [{"type": "page", "url": url}]),
                            options=fast_options(options))
    assert summary.failures == []
    [article] = read_articles(tmp_path / "event")
    lines = article["text"].split("\n\n")
    assert [line for line in lines if line in paragraphs] == paragraphs
    assert [line for line in lines if line not in paragraphs] in ([], [story[0]])  # the headline, if taken


def test_sections_headed_by_a_linked_name_or_date_are_the_story_not_teasers():
    # A who's who linking each name to a profile, and a timeline linking each date to past coverage, were taken for
    # lists of teasers and dropped whole: every outlet would then "omit" what they say.
    docs = documents()
    story = docs[3]
    intro = "".join(f"<p>{html.escape(' '.join(story[i:i + 3]))}</p>" for i in range(1, 7, 3))
    who = [("Xi Jinping", docs[10][1]), ("Vladimir Putin", docs[11][1]), ("Kim Jong Un", docs[12][1])]
    when = [("March 2018", docs[13][1]), ("12 June 2018", docs[14][1])]
    sections = "".join(f'<section><h3><a href="/people/{n}">{html.escape(name)}</a></h3><p>{html.escape(text)}</p>'
                       f"</section>" for n, (name, text) in enumerate(who))
    timeline = "".join(f'<li><h4><a href="/2018/{n}/story.html">{html.escape(date)}</a></h4><p>{html.escape(text)}'
                       f"</p></li>" for n, (date, text) in enumerate(when))
    teasers = "".join(f'<div><h3><a href="/news/{n}.html">{html.escape(docs[n][0])}</a></h3>'
                      f"<p>{html.escape(docs[n][1])}</p></div>" for n in (15, 16))
    page = (f'<!doctype html><html lang="en"><head><title>{html.escape(story[0])}</title></head><body><article>'
            f"<h1>{html.escape(story[0])}</h1>{intro}<div>{sections}</div><ol>{timeline}</ol><div>{teasers}</div>"
            f"</article></body></html>")
    text, _ = saved_page_text(page, url="https://news.test/story.html")
    assert all(line in text for _, line in who + when)
    assert not any(docs[n][1] in text for n in (15, 16))


def test_feed_dates_in_iso_form_keep_whole_seconds_and_their_zone():
    listing = parse_feed(b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
                         b'<entry><link href="http://x.test/1"/><published>2025-09-03T10:00:00.123+02:00</published>'
                         b'</entry><entry><link href="http://x.test/2"/><updated>2025-09-03T10:00:00</updated>'
                         b"</entry></feed>", url="http://x.test/", max_bytes=FEED_MAX_BYTES)
    assert [(item.published, item.zone_assumed) for item in listing.items] == [
        (datetime(2025, 9, 3, 8, 0), False), (datetime(2025, 9, 3, 8, 0), True)]  # the feed's zone, +02:00


def _fault_in_extraction(monkeypatch, url: str) -> None:
    real = run.extract_page

    def faulty(response, **kwargs):
        if response.final_url == url:
            raise ValueError("a parser fault")
        return real(response, **kwargs)

    monkeypatch.setattr(run, "extract_page", faulty)


def _fault_in_archiving(monkeypatch, url: str) -> None:
    real = WarcArchive.record

    def faulty(archive, response):
        if response.final_url == url:
            raise ValueError("a parser fault")
        return real(archive, response)

    monkeypatch.setattr(WarcArchive, "record", faulty)


def _fault_in_deduplication(monkeypatch, url: str) -> None:
    real = DuplicateIndex.duplicate

    def faulty(index, *, urls, text):
        if url in urls:
            raise ValueError("a parser fault")
        return real(index, urls=urls, text=text)

    monkeypatch.setattr(DuplicateIndex, "duplicate", faulty)


@pytest.mark.parametrize("inject", [_fault_in_extraction, _fault_in_archiving, _fault_in_deduplication])
def test_an_unexpected_error_on_one_page_is_its_failure_and_the_others_are_collected(site, tmp_path, options,
                                                                                     monkeypatch, inject):
    docs = documents()
    pages = [site.add(f"/story-{number}.html", article_page(docs[number])) for number in range(3)]
    feed = site.add("/feed.xml", rss([(f"Story {number}", page) for number, page in enumerate(pages)]),
                    content_type="application/rss+xml")
    folder = make_event(tmp_path / "event", [{"type": "feed", "url": feed}])
    with monkeypatch.context() as patch:
        inject(patch, pages[1])
        summary = collect_event(folder, options=fast_options(options))

    assert [article["url"] for article in read_articles(folder)] == [pages[0], pages[2]]
    [failure] = summary.failures
    assert (failure.url, summary.status) == (pages[1], "partial")
    assert failure.reason.startswith("unexpected ValueError: a parser fault (a fault in Parallax")
    log = (folder / ".collect-errors.log").read_text(encoding="utf-8")
    assert pages[1] in log and "Traceback (most recent call last)" in log and "in faulty" in log
    # Once the fault is fixed, the page is read again, not taken for one unchanged since.
    assert collect_event(folder, options=fast_options(options)).new == 1


def test_an_unexpected_error_reading_a_listing_fails_it_alone(site, collect, monkeypatch):
    feed = site.add("/feed.xml", rss([("Story", site.url("/story.html"))]), content_type="application/rss+xml")

    def faulty(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(run, "parse_feed", faulty)
    failure = only_failure(collect({"type": "feed", "url": feed})[0])
    assert failure.reason.startswith("unexpected RecursionError: maximum recursion depth exceeded")
