"""Sources and fetching rules: event.toml validation, outlet names, GDELT, sitemaps, keyword and date filters,
robots.txt, the rate limit per host, retries, the user agent and compressed bodies."""

from __future__ import annotations

import gzip
import io
import json
import socket
import time
import zlib
from urllib.parse import parse_qs, urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from comparators import __version__
from comparators.collect import collect_event
from comparators.collect.feeds import parse_sitemap
from comparators.collect.fetch import Fetcher
from comparators.collect.sources import Outlet, read_plan
from comparators.errors import CorpusNotFound, NoSources, SourcesFormatError
from tests._collect_helpers import article_page, documents, fast_options, make_event, read_articles, rss
from tests._collect_helpers import site_fixture  # noqa: F401 (the `site` fixture)


@pytest.mark.parametrize("source, message", [
    ({"type": "fed", "url": "https://x.test/rss"}, "'type' must be one of feed, page, sitemap, gdelt, not 'fed'"),
    ({"type": "feed"}, "a feed source needs 'url'"),
    ({"type": "page", "url": "https://x.test/", "lang": "en"}, "unknown key(s) lang"),
    ({"type": "gdelt", "start": "2025-09-01"}, "a gdelt source needs 'keywords'"),
    ({"type": "feed", "url": "https://x.test/", "keywords": {"xx": ["a"]}}, "unknown language code 'xx'"),
    ({"type": "page", "url": "https://x.test/", "start": "2025-09-05", "end": "2025-09-01"}, "is after 'end'"),
    ({"type": "feed", "url": "elpais.com/rss.xml"}, "'url': only http and https addresses are fetched, not "
                                                    "'elpais.com/rss.xml'; write the whole address, starting with"),
    ({"type": "page", "url": "file:///home/me/story.html"}, "not 'file:///home/me/story.html'; write the whole"),
    ({"type": "sitemap", "url": "https://x.test:port/sitemap.xml"}, "'url': malformed address (Port could not"),
])
def test_bad_sources_name_event_toml_and_the_line(tmp_path, source, message):
    folder = make_event(tmp_path / "event", [{"type": "page", "url": "https://x.test/ok"}, source])
    with pytest.raises(SourcesFormatError) as error:
        read_plan(folder)
    text = (folder / "event.toml").read_text().splitlines()
    line = [number for number, content in enumerate(text, 1) if content == "[[sources]]"][1]
    assert str(error.value).startswith(f"{folder / 'event.toml'}:{line}: [[sources]] number 2: ")
    assert message in str(error.value)


def test_its_event_toml_named_instead_of_the_folder_says_to_pass_the_folder(tmp_path):
    folder = make_event(tmp_path / "event", [{"type": "page", "url": "https://x.test/ok"}])
    with pytest.raises(CorpusNotFound, match="event.toml is a file, not an event folder") as error:
        read_plan(folder / "event.toml")
    assert error.value.hint == f"pass the folder holding it: parallax collect {folder}"


def test_an_event_without_sources_says_how_to_add_them(tmp_path):
    folder = make_event(tmp_path / "event", [])
    with pytest.raises(NoSources, match="declares no \\[\\[sources\\]\\]") as error:
        read_plan(folder)
    assert "[[sources]]" in error.value.hint


def test_outlets_are_named_from_the_domain_or_the_mapping(tmp_path):
    folder = make_event(tmp_path / "event", [{"type": "page", "url": "https://x.test/"}],
                        outlets={"elpais.com": {"name": "El País", "country": "ES", "language": "es"}})
    plan = read_plan(folder)
    assert plan.outlet_for("https://english.elpais.com/international/x.html") == Outlet("El País", "ES", "es")
    assert plan.outlet_for("https://www.elpais.com/x") == Outlet("El País", "ES", "es")
    assert plan.outlet_for("https://www.lemonde.fr/international/x.html") == Outlet("lemonde.fr")
    assert plan.outlet_for("https://notelpais.com/x") == Outlet("notelpais.com")


def test_an_outlet_key_with_a_path_names_one_edition_of_a_site(tmp_path):
    folder = make_event(tmp_path / "event", [{"type": "page", "url": "https://x.test/"}],
                        outlets={"dw.com": {"name": "DW"}, "dw.com/es/": {"name": "DW Español", "language": "es"},
                                 "www.DW.com/pt-br": {"name": "DW Brasil", "language": "pt"}})
    plan = read_plan(folder)
    assert plan.outlet_for("https://www.dw.com/es/desfile/a-1") == Outlet("DW Español", None, "es")
    assert plan.outlet_for("https://amp.dw.com/es/desfile/a-1") == Outlet("DW Español", None, "es")
    assert plan.outlet_for("https://www.dw.com/pt-br/desfile/a-1") == Outlet("DW Brasil", None, "pt")
    assert plan.outlet_for("https://www.dw.com/de/parade/a-1") == Outlet("DW")
    assert plan.outlet_for("https://www.dw.com/espanol/x") == Outlet("DW")  # a prefix is whole folders


def test_an_outlet_key_that_is_an_address_is_refused(tmp_path):
    folder = make_event(tmp_path / "event", [{"type": "page", "url": "https://x.test/"}],
                        outlets={"https://dw.com/es": {"name": "DW"}})
    with pytest.raises(SourcesFormatError, match="name a domain, optionally with a path"):
        read_plan(folder)


def test_unmapped_language_editions_of_one_site_are_separate_outlets_or_noted(site, tmp_path, options):
    pages = {"es": site.add("/es/a.html", article_page(documents("spa")[0], lang="es")),
             "de": site.add("/de/b.html", article_page(documents("deu")[2], lang="de")),
             "uk": site.add("/uk/c.html", article_page(documents()[4], lang="en")),  # a UK edition, in English
             "mundo": site.add("/mundo/d.html", article_page(documents("spa")[6], lang="es"))}
    feed = site.add("/feed.xml", rss(list(pages.items()), language=""), content_type="application/rss+xml")
    folder = make_event(tmp_path / "event", [{"type": "feed", "url": feed}])
    summary = collect_event(folder, options=fast_options(options))
    assert summary.failures == []
    outlets = {article["listed_url"]: article["outlet"] for article in read_articles(folder)}
    assert outlets == {pages["es"]: "127.0.0.1/es", pages["de"]: "127.0.0.1/de", pages["uk"]: "127.0.0.1",
                       pages["mundo"]: "127.0.0.1"}
    # A folder that is not a language code (bbc.com/mundo) cannot be told apart: the merge is not silent.
    assert [str(note) for note in summary.notes] == [
        f"[outlets]: outlet 127.0.0.1 holds articles in en ({pages['uk']}), es ({pages['mundo']}): if these are "
        f'separate editions, name each in event.toml with its path, e.g. [outlets."127.0.0.1/uk"]']


def test_a_page_declares_its_own_language_over_its_feed_and_the_user_over_both(site, tmp_path, options):
    # Galician pages in a Spanish feed: langdetect, which knows no Galician, reads their text as Spanish, so only
    # what the page says of itself keeps them from the Spanish translator.
    galician = documents("glg")

    def page(number, *, lang="", head=""):
        return article_page(galician[number], lang=lang).replace("</title>", "</title>" + head)

    pages = {"html lang": site.add("/a.html", page(3, lang="gl")),
             "og:locale": site.add("/b.html", page(4, head='<meta property="og:locale" content="gl_ES">')),
             "header": site.add("/c.html", page(5), headers={"Content-Language": "gl"}),
             "meta": site.add("/d.html", page(0, head='<meta http-equiv="Content-Language" content="gl-ES">')),
             "nothing": site.add("/e.html", page(2))}
    mislabelled = site.add("/user/f.html", page(7, lang="es"))  # a CMS's default, which the user corrects
    feed = site.add("/feed.xml", rss(list(pages.items()), language="es"), content_type="application/rss+xml")
    folder = make_event(tmp_path / "event", [{"type": "feed", "url": feed},
                                             {"type": "page", "url": mislabelled, "language": "gl"}])
    summary = collect_event(folder, options=fast_options(options))
    assert summary.failures == []
    articles = read_articles(folder)
    assert [article for article in articles if "language_note" in article] == []
    languages = {article["listed_url"]: article["language"] for article in articles}
    assert languages == {pages["html lang"]: "gl", pages["og:locale"]: "gl", pages["header"]: "gl",
                         pages["meta"]: "gl", pages["nothing"]: "es", mislabelled: "gl"}


def gdelt_answer(articles_by_language: dict[str, list[dict]], queries: list[dict]):
    def respond(handler):
        query = parse_qs(urlsplit(handler.path).query)
        queries.append(query)
        language = query["query"][0].rsplit("sourcelang:", 1)[1]
        body = json.dumps({"articles": articles_by_language.get(language, [])}).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    return respond


def test_gdelt_query_per_language_within_the_window_filtered_by_keywords(site, tmp_path, options):
    english, spanish = documents("eng"), documents("spa")
    welsh = site.add("/welsh.html", article_page(english[0]))
    unrelated = site.add("/bells.html", article_page(english[2]))
    gales = site.add("/gales.html", article_page(spanish[0], lang="es"))
    queries: list[dict] = []
    site.add("/gdelt", respond=gdelt_answer({
        "english": [{"url": welsh, "title": "Welsh AMs", "seendate": "20250903T101500Z", "language": "English",
                     "sourcecountry": "United Kingdom"},
                    {"url": unrelated, "seendate": "20250903T101500Z", "language": "English"}],
        "spanish": [{"url": gales, "seendate": "20250904T080000Z", "language": "Spanish", "sourcecountry": "Spain"}],
    }, queries))
    folder = make_event(tmp_path / "event", [{
        "type": "gdelt", "keywords": {"en": ["Welsh Parliament", "AMs"], "es": ["galés"]},
        "start": "2025-09-01", "end": "2025-09-05"}])
    summary = collect_event(folder, options=fast_options(options, gdelt_base_url=site.url("/gdelt")))

    assert [query["query"] for query in queries] == [['("Welsh Parliament" OR AMs) sourcelang:english'],
                                                     ["galés sourcelang:spanish"]]
    for query in queries:
        assert (query["mode"], query["format"]) == (["ArtList"], ["json"])
        assert (query["startdatetime"], query["enddatetime"]) == (["20250901000000"], ["20250905235959"])
    assert summary.failures == []
    collected = {article["url"]: article for article in read_articles(folder)}
    assert set(collected) == {welsh, gales}
    assert collected[welsh]["published"] == "2025-09-03T10:15:00+00:00"
    assert (collected[welsh]["country"], collected[gales]["language"]) == ("United Kingdom", "es")
    assert [(skip.url, skip.reason) for skip in summary.skipped] == [(unrelated, "holds none of the keywords for en")]


def test_keywords_match_inside_unspaced_scripts_and_before_korean_particles(site, tmp_path, options):
    chinese, japanese, korean = documents("zho-CN")[8], documents("jpn")[3], documents("kor")[3]
    pages = {"zh": site.add("/zh.html", article_page(chinese, lang="zh")),
             "ja": site.add("/ja.html", article_page(japanese, lang="ja")),
             "ko": site.add("/ko.html", article_page(korean, lang="ko")),
             "off": site.add("/ja-off.html", article_page(documents("jpn")[8], lang="ja"))}
    feed = site.add("/feed.xml", rss([(name, url) for name, url in pages.items()]), content_type="application/rss+xml")
    keywords = {"zh": ["利物浦"], "ja": ["ロブスター"], "ko": ["엔시니타스"]}  # the text has 利物浦对阵, 엔시니타스의
    folder = make_event(tmp_path / "event", [{"type": "feed", "url": feed, "keywords": keywords}])
    summary = collect_event(folder, options=fast_options(options))
    assert summary.failures == []
    assert sorted(article["url"] for article in read_articles(folder)) == sorted(
        [pages["zh"], pages["ja"], pages["ko"]])
    assert [(skip.url, skip.reason) for skip in summary.skipped] == [(pages["off"], "holds none of the keywords for ja")]


def test_arabic_keywords_match_after_the_words_joined_to_their_front(site, tmp_path, options):
    contractors, other = documents("arb")[2], documents("arb")[8]
    assert "والمقاولين" in " ".join(contractors) and "مقاولين" not in " ".join(other)
    pages = {"on": site.add("/ar.html", article_page(contractors, lang="ar")),
             "off": site.add("/ar-off.html", article_page(other, lang="ar"))}
    feed = site.add("/feed.xml", rss(list(pages.items())), content_type="application/rss+xml")
    folder = make_event(tmp_path / "event", [{"type": "feed", "url": feed, "keywords": {"ar": ["مقاولين"]}}])
    summary = collect_event(folder, options=fast_options(options))
    assert summary.failures == []
    assert [article["url"] for article in read_articles(folder)] == [pages["on"]]
    assert [(skip.url, skip.reason) for skip in summary.skipped] == [(pages["off"], "holds none of the keywords for ar")]


def test_gdelt_error_text_is_recorded(site, tmp_path, options):
    site.add("/gdelt", "Your search contained a keyword that was too short.", content_type="text/plain")
    folder = make_event(tmp_path / "event", [{"type": "gdelt", "keywords": {"en": ["AM"]}}])
    summary = collect_event(folder, options=fast_options(options, gdelt_base_url=site.url("/gdelt")))
    [failure] = summary.failures
    assert failure.reason == "GDELT did not answer JSON: 'Your search contained a keyword that was too short.'"
    assert summary.status == "failed"


def test_a_json_feed_is_read_like_rss_within_the_window_and_one_that_is_not_fails_alone(site, tmp_path, options):
    docs = documents()
    inside = site.add("/news/inside.html", article_page(docs[1]))
    outside = site.add("/news/outside.html", article_page(docs[2]))
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Test", "language": "en", "items": [
        {"id": "1", "url": "inside.html", "title": "Inside", "date_published": "2025-09-03T10:00:00+02:00"},
        {"id": "2", "url": outside, "title": "Outside", "date_published": "2025-08-01T10:00:00Z"},
        {"id": "3", "content_text": "A status update without a page"}]}
    json_feed = site.add("/news/feed.json", json.dumps(feed), content_type="application/feed+json")
    not_a_feed = site.add("/api.json", '{"status": "ok", "results": []}', content_type="application/json")
    folder = make_event(tmp_path / "event", [
        {"type": "feed", "url": json_feed, "start": "2025-09-01", "end": "2025-09-05"},
        {"type": "feed", "url": not_a_feed}])
    summary = collect_event(folder, options=fast_options(options))
    [article] = read_articles(folder)
    assert (article["url"], article["published"]) == (inside, "2025-09-03T08:00:00+00:00")
    assert [(skip.url, skip.reason) for skip in summary.skipped] == [
        (outside, "published 2025-08-01, outside the source's start/end window")]
    assert [str(note) for note in summary.notes] == [
        f"sources[1] feed {json_feed}: 1 item(s) without a link passed over"]
    assert [str(failure) for failure in summary.failures] == [
        f"sources[2] feed {not_a_feed}: JSON, but not a JSON Feed (no jsonfeed.org version and items)"]
    assert not site.seen("/news/outside.html")


def test_sitemap_index_news_sitemap_and_date_window(site, tmp_path, options):
    docs = documents()
    recent = site.add("/recent.html", article_page(docs[0]))
    old = site.add("/old.html", article_page(docs[2]))
    news = site.add("/news-sitemap.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url><loc>{recent}</loc><image:image><image:loc>{site.url('/photo.jpg')}</image:loc></image:image>
    <news:news><news:publication><news:language>en</news:language></news:publication>
    <news:publication_date>2025-09-03T08:00:00+02:00</news:publication_date><news:title>Recent</news:title>
    </news:news></url>
  <url><loc>{old}</loc><lastmod>2024-01-01</lastmod></url>
</urlset>""", content_type="application/xml")
    archive = site.url("/sitemap-2023-01.xml")
    index = site.add("/sitemap.xml", f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                                     f'sitemap/0.9"><sitemap><loc>{news}</loc></sitemap><sitemap><loc>{archive}</loc>'
                                     f"<lastmod>2023-01-31</lastmod></sitemap></sitemapindex>",
                     content_type="application/xml")
    folder = make_event(tmp_path / "event", [{"type": "sitemap", "url": index, "start": "2025-09-01"}])
    summary = collect_event(folder, options=fast_options(options))
    assert summary.failures == []
    [article] = read_articles(folder)
    assert (article["url"], article["published"]) == (recent, "2025-09-03T06:00:00+00:00")
    assert not site.seen("/old.html") and not site.seen("/photo.jpg") and not site.seen("/sitemap-2023-01.xml")
    assert summary.filtered == 1


def test_a_sitemap_date_without_a_zone_is_not_held_to_the_window_to_the_hour(site, tmp_path, options):
    docs = documents()
    late = site.add("/late.html", article_page(docs[0]))  # still the 5th in UTC if it was written east of UTC+5
    early = site.add("/early.html", article_page(docs[2]))  # a day before the window whatever its zone
    exact = site.add("/exact.html", article_page(docs[4]))  # its offset says it is outside
    entries = [(late, "2025-09-06T05:00:00"), (early, "2025-08-30"), (exact, "2025-09-06T01:00:00+00:00")]
    news = site.add("/news.xml", '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
                    'schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + "".join(
                        f"<url><loc>{url}</loc><news:news><news:publication_date>{date}</news:publication_date>"
                        "</news:news></url>" for url, date in entries) + "</urlset>",
                    content_type="application/xml")
    folder = make_event(tmp_path / "event", [{"type": "sitemap", "url": news, "start": "2025-09-01",
                                              "end": "2025-09-05"}])
    summary = collect_event(folder, options=fast_options(options))
    assert [article["url"] for article in read_articles(folder)] == [late]
    assert summary.filtered == 2 and not site.seen("/early.html") and not site.seen("/exact.html")


def test_a_gzip_compressed_sitemap_is_read_and_one_that_inflates_too_far_is_refused(site, tmp_path, options):
    page = site.add("/story.html", article_page(documents()[0]))
    compressed = gzip.compress(f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                               f'<url><loc>{page}</loc></url></urlset>'.encode())
    sitemap = site.add("/sitemap.xml.gz", compressed, content_type="application/x-gzip")
    bomb = site.add("/huge.xml.gz", gzip.compress(b"<urlset>" + b" " * 60_000_000), content_type="application/gzip")
    folder = make_event(tmp_path / "event", [{"type": "sitemap", "url": sitemap}, {"type": "sitemap", "url": bomb}])

    summary = collect_event(folder, options=fast_options(options))

    assert [article["url"] for article in read_articles(folder)] == [page]
    [failure] = summary.failures
    assert failure.source.endswith(f"sitemap {bomb}") and "inflates past 52,428,800 bytes" in failure.reason


def test_a_gzip_compressed_feed_is_read_and_one_that_inflates_past_max_bytes_is_refused(site, tmp_path, options):
    page = site.add("/story.html", article_page(documents()[0]))
    feed = site.add("/feed.xml.gz", gzip.compress(rss([("Story", page)]).encode()), content_type="application/gzip")
    bomb = site.add("/huge.xml.gz", gzip.compress(b"<rss>" + b" " * 2_000_000), content_type="application/gzip")
    folder = make_event(tmp_path / "event", [{"type": "feed", "url": feed}, {"type": "feed", "url": bomb}])

    summary = collect_event(folder, options=fast_options(options, max_bytes=1_000_000))

    assert [article["url"] for article in read_articles(folder)] == [page]
    [failure] = summary.failures
    assert failure.source.endswith(f"feed {bomb}")
    assert failure.reason == "gzip-compressed feed inflates past 1,000,000 bytes, [collect] max_bytes"


def test_an_index_of_many_sitemaps_is_read_only_until_it_gives_the_pages_a_run_takes(site, tmp_path, options):
    docs = documents()
    sitemaps = []
    for number in range(3):
        pages = [site.add(f"/{number}-{page}.html", article_page(docs[page])) for page in range(2)]
        sitemaps.append(site.add(f"/sitemap-{number}.xml", '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.'
                                 'org/schemas/sitemap/0.9">' + "".join(f"<url><loc>{page}</loc></url>"
                                                                       for page in pages) + "</urlset>",
                                 content_type="application/xml"))
    index = site.add("/sitemap.xml", '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                     'sitemap/0.9">' + "".join(f"<sitemap><loc>{url}</loc></sitemap>" for url in sitemaps)
                     + "</sitemapindex>", content_type="application/xml")
    folder = make_event(tmp_path / "event", [{"type": "sitemap", "url": index}])

    summary = collect_event(folder, options=fast_options(options, max_pages_per_source=3))

    assert site.seen("/sitemap-1.xml") and not site.seen("/sitemap-2.xml")
    assert [note.reason for note in summary.notes] == [
        "lists more than 3 new pages; only the first 3 are taken ([collect] max_pages_per_source)"]


def test_a_sitemap_is_read_up_to_the_protocols_limit_of_entries():
    entries = "".join(f"<url><loc>https://x.test/{number}</loc></url>" for number in range(50_001))
    listing = parse_sitemap(f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'.encode(),
                            url="https://x.test/sitemap.xml")
    assert len(listing.items) == 50_000 and listing.items[-1].url == "https://x.test/49999"
    assert listing.problem == ("sitemap lists more than 50,000 entries, the sitemap protocol's limit; only the "
                               "first 50,000 were read")


def test_robots_txt_is_honoured(site, tmp_path, options):
    docs = documents()
    site.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    private = site.add("/private/a.html", article_page(docs[0]))
    public = site.add("/public/b.html", article_page(docs[2]))
    folder = make_event(tmp_path / "event", [{"type": "page", "url": private}, {"type": "page", "url": public}])
    summary = collect_event(folder, options=fast_options(options))
    assert [str(failure) for failure in summary.failures] == [
        f"sources[1] page {private}: robots.txt of {urlsplit(private).netloc} disallows {private}"]
    assert not site.seen("/private/a.html")
    assert [article["url"] for article in read_articles(folder)] == [public]


@pytest.mark.parametrize("status", [503, 429])
def test_unreachable_robots_txt_disallows_everything_and_says_so(site, tmp_path, options, status):
    site.add("/robots.txt", "overloaded", status=status)
    page = site.add("/a.html", article_page(documents()[0]))
    summary = collect_event(make_event(tmp_path / "event", [{"type": "page", "url": page}]),
                            options=fast_options(options))
    assert [failure.reason for failure in summary.failures] == [
        f"robots.txt of {urlsplit(page).netloc} answered HTTP {status}, so nothing there is fetched (RFC 9309); "
        "collect again later"]
    assert not site.seen("/a.html")


def test_a_robots_txt_trickling_in_is_cut_off_at_the_total_timeout_and_counts_as_unreachable(site, tmp_path, options):
    def trickle(handler):  # "User-agent: *" and nothing barred, a byte every tenth of a second
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain")
        handler.end_headers()
        try:
            for byte in "User-agent: *\nDisallow:\n# " + "." * 40:
                handler.wfile.write(byte.encode())
                handler.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass  # the client hung up, as it should

    site.add("/robots.txt", respond=trickle)
    page = site.add("/a.html", article_page(documents()[0]))
    summary = collect_event(make_event(tmp_path / "event", [{"type": "page", "url": page}]),
                            options=fast_options(options, total_timeout_seconds=1.0))
    assert [failure.reason for failure in summary.failures] == [
        f"robots.txt of {urlsplit(page).netloc} could not be fetched (took over 1 s; cut off), so nothing there is "
        "fetched (RFC 9309); collect again later"]
    assert not site.seen("/a.html")


def test_a_host_that_does_not_answer_is_not_said_to_bar_crawlers(tmp_path, options):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        page = f"http://127.0.0.1:{probe.getsockname()[1]}/a.html"
    summary = collect_event(make_event(tmp_path / "event", [{"type": "page", "url": page}]),
                            options=fast_options(options))
    [failure] = summary.failures
    assert failure.reason.startswith(f"robots.txt of {urlsplit(page).netloc} could not be fetched (")
    assert "disallows" not in failure.reason and summary.status == "failed"


@pytest.mark.parametrize("rate, robots, pages, gap", [
    (10.0, "", 4, 0.1),
    (0.0, "User-agent: *\nCrawl-delay: 0.5\n", 1, 1.0),  # robotparser reads whole seconds: 0.5 is rounded up
])
def test_requests_to_one_host_keep_the_rate_limit_or_crawl_delay(site, tmp_path, options, rate, robots, pages, gap):
    if robots:
        site.add("/robots.txt", robots, content_type="text/plain")
    docs = documents()
    pages = [site.add(f"/{n}.html", article_page(docs[n])) for n in range(0, 2 * pages, 2)]
    feed = site.add("/feed.xml", rss([(str(n), page) for n, page in enumerate(pages)]),
                    content_type="application/rss+xml")
    folder = make_event(tmp_path / "event", [{"type": "feed", "url": feed}])
    summary = collect_event(folder, options=fast_options(options, requests_per_second_per_host=rate, workers=4))
    assert summary.new == len(pages)
    times = sorted(request.at for request in site.requests if request.path != "/robots.txt")
    # Spaced sends can arrive a little bunched on a loaded machine: the span, not each gap, is the sure bound.
    assert times[-1] - times[0] >= 0.8 * gap * (len(times) - 1)


def test_a_passing_failure_is_retried_with_backoff_and_collected(site, tmp_path, options, monkeypatch):
    page = article_page(documents()[0]).encode()
    answers = iter([(503, b"busy"), (503, b"busy"), (200, page)])

    def flaky(handler):
        status, body = next(answers)
        handler.send_response(status)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    url = site.add("/flaky.html", respond=flaky)
    folder = make_event(tmp_path / "event", [{"type": "page", "url": url}])
    waits = []
    monkeypatch.setattr(Fetcher, "_sleep", lambda fetcher, seconds: waits.append(seconds))
    summary = collect_event(folder, options=fast_options(options, retries=2, backoff_seconds=0.5))
    assert (summary.new, summary.failures) == (1, [])
    assert len(site.seen("/flaky.html")) == 3
    assert waits == [0.5, 1.0], "the wait before each retry doubles"
    expected = options.collect.user_agent.replace("{version}", __version__)
    assert all(request.headers["user-agent"] == expected for request in site.requests)


def rate_limited(seconds: str, page: bytes, *, times: int, refused: list | None = None):
    """An answer that is HTTP 429 with Retry-After: `seconds` the first `times` times (noted in `refused`, with
    the moment it is sent), then the page."""
    answers = iter([(429, b"slow down")] * times)

    def respond(handler):
        status, body = next(answers, (200, page))
        if status == 429 and refused is not None:
            refused.append(time.monotonic())
        handler.send_response(status)
        handler.send_header("Content-Type", "text/html")
        if status == 429:
            handler.send_header("Retry-After", seconds)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    return respond


def test_a_retry_after_holds_every_workers_requests_to_that_host(site, tmp_path, options):
    docs = documents()
    refused = []
    pages = [site.add("/0.html", respond=rate_limited("1", article_page(docs[0]).encode(), times=1, refused=refused))]
    pages += [site.add(f"/{n}.html", article_page(docs[n])) for n in (2, 4, 6)]
    feed = site.add("/feed.xml", rss([(str(n), page) for n, page in enumerate(pages)]),
                    content_type="application/rss+xml")
    folder = make_event(tmp_path / "event", [{"type": "feed", "url": feed}])
    # Requests 0.1 s apart, so each other page is asked for after the 429 arrived, not on its heels.
    summary = collect_event(folder, options=fast_options(options, workers=4, retries=1,
                                                         requests_per_second_per_host=10.0))
    assert (summary.new, summary.failures) == (4, [])
    later = [request.at - refused[0] for request in site.requests if request.at > refused[0]]
    assert len(later) == 4 and min(later) >= 0.9  # the retry and the three other pages, all after the pause


def test_a_retry_after_too_long_to_wait_leaves_the_hosts_other_pages_unrequested(site, tmp_path, options):
    docs = documents()
    pages = [site.add("/0.html", respond=rate_limited("3600", article_page(docs[0]).encode(), times=1))]
    pages += [site.add(f"/{n}.html", article_page(docs[n])) for n in (2, 4)]
    feed = site.add("/feed.xml", rss([(str(n), page) for n, page in enumerate(pages)]),
                    content_type="application/rss+xml")
    folder = make_event(tmp_path / "event", [{"type": "feed", "url": feed}])
    summary = collect_event(folder, options=fast_options(options, workers=1, retries=1))
    host = urlsplit(feed).netloc
    assert [(failure.url, failure.reason) for failure in summary.failures] == [
        (pages[0], "HTTP 429 Too Many Requests (1 attempt)"),
        *((page, f"not requested: {host} asked for a pause (Retry-After) of 3600 s more, longer than a collection "
                 "waits (60 s); collect again later") for page in pages[1:])]
    assert [request.path for request in site.requests if request.path != "/robots.txt"] == ["/feed.xml", "/0.html"]


def test_gzip_bodies_are_read_and_kept_compressed_in_the_warc(site, tmp_path, options):
    page = gzip.compress(article_page(documents()[0]).encode())
    url = site.add("/gzipped.html", page, headers={"Content-Encoding": "gzip"})
    folder = make_event(tmp_path / "event", [{"type": "page", "url": url}])
    assert collect_event(folder, options=fast_options(options)).new == 1
    [article] = read_articles(folder)
    with open(folder / article["warc"].split("#")[0], "rb") as stream:
        kept = [(r.http_headers.get_header("Content-Encoding"), r.raw_stream.read())
                for r in ArchiveIterator(stream) if r.rec_type == "response"]
    assert kept == [("gzip", page)]


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib-wrapped", "bare"])
def test_deflate_bodies_are_read_with_or_without_their_zlib_wrapper(site, tmp_path, options, wbits):
    # RFC 9110's deflate is zlib-wrapped, but servers (IIS among them) send the bare stream, which browsers read.
    deflater = zlib.compressobj(wbits=wbits)
    body = deflater.compress(article_page(documents()[0]).encode()) + deflater.flush()
    url = site.add("/deflated.html", body, headers={"Content-Encoding": "deflate"})
    folder = make_event(tmp_path / "event", [{"type": "page", "url": url}])
    summary = collect_event(folder, options=fast_options(options))
    assert summary.failures == [] and [article["url"] for article in read_articles(folder)] == [url]


def test_a_deflate_body_that_is_neither_wrapped_nor_bare_deflate_fails_as_corrupt(site, tmp_path, options):
    url = site.add("/not-deflated.html", article_page(documents()[0]), headers={"Content-Encoding": "deflate"})
    summary = collect_event(make_event(tmp_path / "event", [{"type": "page", "url": url}]),
                            options=fast_options(options))
    [failure] = summary.failures
    assert failure.url is None and failure.reason.startswith("corrupt deflate body: ")


def test_a_small_gzip_body_inflating_past_max_bytes_is_cut(site, tmp_path, options):
    bomb = io.BytesIO()
    with gzip.GzipFile(fileobj=bomb, mode="wb") as file:
        file.write(b"<p>" + b"a" * (20 * 1024 * 1024) + b"</p>")
    url = site.add("/bomb.html", bomb.getvalue(), headers={"Content-Encoding": "gzip"})
    assert len(bomb.getvalue()) < 100_000
    folder = make_event(tmp_path / "event", [{"type": "page", "url": url}])
    summary = collect_event(folder, options=fast_options(options, max_bytes=1024 * 1024, retries=0))
    assert summary.failures[0].reason == "decompressed response passed max_bytes (1,048,576) and was cut off there"


def test_pages_a_feed_lists_but_robots_txt_bars_are_counted_apart_not_failed(site, tmp_path, options):
    docs = documents()
    site.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    private = site.add("/private/a.html", article_page(docs[0]))
    public = site.add("/public/b.html", article_page(docs[2]))
    feed = site.add("/feed.xml", rss([("a", private), ("b", public)]), content_type="application/rss+xml")
    folder = make_event(tmp_path / "event", [{"type": "feed", "url": feed}])
    summary = collect_event(folder, options=fast_options(options))
    assert summary.failures == [] and summary.status == "ok"
    assert [str(barred) for barred in summary.barred] == [
        f"sources[1] feed {feed}: {private}: robots.txt of {urlsplit(private).netloc} disallows {private}"]
    assert not site.seen("/private/a.html")
    assert [article["url"] for article in read_articles(folder)] == [public]


def test_a_listed_page_behind_an_unreadable_robots_txt_is_a_failure_to_retry(site, tmp_path, options):
    def robots(handler):  # two sites on one server: the feed's (127.0.0.1) answers, the page's (localhost) fails
        status = 503 if handler.headers["Host"].startswith("localhost") else 404
        handler.send_response(status)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    site.add("/robots.txt", respond=robots)
    page = site.add("/a.html", article_page(documents()[0])).replace("127.0.0.1", "localhost")
    feed = site.add("/feed.xml", rss([("a", page)]), content_type="application/rss+xml")
    summary = collect_event(make_event(tmp_path / "event", [{"type": "feed", "url": feed}]),
                            options=fast_options(options))
    assert summary.barred == []
    assert [failure.url for failure in summary.failures] == [page]
    assert "answered HTTP 503" in summary.failures[0].reason and "collect again later" in summary.failures[0].reason
    assert not site.seen("/a.html")


def test_an_outlets_language_is_taken_over_its_pages_and_a_sources_over_the_outlets(site, tmp_path, options):
    # A Galician edition whose CMS labels every page Spanish: the user's [outlets] entry corrects it; and a page
    # the user declares on its own source is read in that language whatever the outlet's entry says.
    galician, spanish = documents("glg"), documents("spa")
    listed = site.add("/gl/a.html", article_page(galician[3], lang="es"))
    feed = site.add("/feed.xml", rss([("a", listed)], language="es"), content_type="application/rss+xml")
    declared = site.add("/gl/b.html", article_page(spanish[4], lang="gl"))
    folder = make_event(tmp_path / "event", [{"type": "feed", "url": feed},
                                             {"type": "page", "url": declared, "language": "es"}],
                        outlets={"127.0.0.1/gl/": {"name": "Galician edition", "language": "gl"}})
    summary = collect_event(folder, options=fast_options(options))
    assert summary.failures == []
    articles = {article["listed_url"]: article for article in read_articles(folder)}
    assert {url: (article["outlet"], article["language"], article.get("language_note"))
            for url, article in articles.items()} == {listed: ("Galician edition", "gl", None),
                                                      declared: ("Galician edition", "es", None)}


def test_a_page_gives_its_title_and_the_date_its_metadata_states_not_a_year_in_its_footer(site, tmp_path, options):
    story = documents()[5]
    dated = site.add("/dated.html", article_page(story).replace(
        "</title>", '</title><meta property="article:published_time" content="2025-09-03T10:15:00+02:00">'))
    undated = site.add("/undated.html", article_page(documents()[6]))  # only its footer's "© 2025"
    folder = make_event(tmp_path / "event", [{"type": "page", "url": dated}, {"type": "page", "url": undated}])
    assert collect_event(folder, options=fast_options(options)).failures == []
    articles = {article["url"]: article for article in read_articles(folder)}
    assert (articles[dated]["title"], articles[dated]["published"]) == (story[0], "2025-09-03")
    assert articles[undated].get("published") is None
