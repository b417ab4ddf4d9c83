"""Deduplication: by canonical address, by content hash, and by near-identical text across syndicated copies."""

from __future__ import annotations

import re

import pytest

from comparators.collect import collect_event
from comparators.collect.dedupe import article_id, canonical_url
from comparators.collect.store import append_articles, read_collected
from tests._collect_helpers import article_page, documents, fast_options, make_event, read_articles, rss
from tests._collect_helpers import site_fixture  # noqa: F401 (the `site` fixture)


def test_canonical_url_drops_what_does_not_name_the_article():
    assert (canonical_url("HTTP://News.Example.COM:80/World/a?utm_source=rss&b=2&fbclid=x&a=1#comments")
            == "http://news.example.com/World/a?a=1&b=2")
    assert canonical_url("https://example.com") == "https://example.com/"
    assert canonical_url("https://example.com:8443/a") == "https://example.com:8443/a"


def test_article_ids_are_stable_across_address_variants_and_distinct_across_articles():
    same = {article_id(url) for url in ("http://www.example.com/a?utm_medium=feed", "https://example.com/a",
                                         "https://EXAMPLE.com/a#top")}
    assert len(same) == 1 and re.fullmatch(r"example-com-[0-9a-f]{12}", same.pop())
    assert article_id("https://example.com/a") != article_id("https://example.com/b")


def test_an_address_is_one_article_however_its_unicode_is_written(site, tmp_path, options):
    # A feed lists a slug as written, the sitemap of the same outlet percent-encoded (as the protocol requires),
    # a third listing with its escapes in small letters: one article, requested once.
    encoded = [site.add(path, article_page(documents()[0])) for path in ("/caf%C3%A9-parade", "/caf%c3%a9-parade")]
    sitemap = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               + "".join(f"<url><loc>{url}</loc></url>" for url in encoded) + "</urlset>")
    folder = make_event(tmp_path / "event", [
        {"type": "feed", "url": site.add("/feed.xml", rss([("Café", site.url("/café-parade"))]),
                                         content_type="application/rss+xml")},
        {"type": "sitemap", "url": site.add("/sitemap.xml", sitemap, content_type="application/xml")}])
    summary = collect_event(folder, options=fast_options(options))
    assert (summary.new, summary.known, summary.duplicates, summary.failures) == (1, 1, 0, [])
    assert len(site.seen("/caf%C3%A9-parade") + site.seen("/caf%c3%a9-parade")) == 1
    assert article_id("http://bücher.example/café") == article_id("https://www.xn--bcher-kva.example/caf%c3%a9")


def syndicated(sentences: list[str]) -> list[str]:
    """A wire copy as another outlet runs it: its own byline, two words changed."""
    copy = list(sentences)
    copy[1] = "By our correspondent, with agencies. " + copy[1]
    copy[3] = copy[3].replace(" the ", " that ", 2)
    return copy


def test_duplicates_by_address_content_and_near_identical_text(site, tmp_path, options):
    docs = documents()
    original = site.add("/original.html", article_page(docs[0]))
    pages = {
        "tracking": original + "?utm_source=rss&utm_medium=feed",
        "copy": site.add("/copy.html", article_page(docs[0])),
        "canonical": site.add("/amp/original.html", article_page(docs[0][:-2], canonical=original)),
        "syndicated": site.add("/wire.html", article_page(syndicated(docs[0]))),
        "other": site.add("/other.html", article_page(docs[2])),
    }
    feed = site.add("/feed.xml", rss([("original", original)] + list(pages.items())),
                    content_type="application/rss+xml")
    folder = make_event(tmp_path / "event", [{"type": "feed", "url": feed}])
    summary = collect_event(folder, options=fast_options(options))

    assert summary.failures == []
    assert [article["url"] for article in read_articles(folder)] == [original, pages["other"]]
    assert len(site.seen("/original.html")) == 1  # the tracking variant is the same address: not fetched
    reasons = {skip.url: skip.reason for skip in summary.skipped}
    first = article_id(original)
    assert reasons[pages["copy"]] == f"duplicate of {first}: same text"
    assert reasons[pages["canonical"]] == f"duplicate of {first}: same canonical address"
    assert reasons[pages["syndicated"]].startswith(f"duplicate of {first}: near-identical text (ratio 9")
    assert (summary.new, summary.duplicates) == (2, 3)


def test_near_duplicates_are_found_against_earlier_runs_too(site, tmp_path, options):
    docs = documents()
    folder = make_event(tmp_path / "event", [{"type": "page", "url": site.add("/first.html", article_page(docs[0]))}])
    assert collect_event(folder, options=fast_options(options)).new == 1
    make_event(folder, [{"type": "page", "url": site.add("/later.html", article_page(syndicated(docs[0])))}])
    summary = collect_event(folder, options=fast_options(options))
    assert (summary.new, summary.duplicates) == (0, 1)


def test_articles_holding_line_separators_are_read_back_whole(tmp_path):
    # append_articles leaves U+2028 and U+0085 unescaped; reading back must not cut such a record apart, or its
    # address and text would be missing from the index and the article collected again on the next run.
    path = tmp_path / "articles.jsonl"
    records = [{"id": "a", "url": "https://x.test/a", "text": "Kim arrived.\u2028The parade began.\x85End."},
               {"id": "b", "url": "https://x.test/b", "text": "Second."}]
    append_articles(path, records)
    assert read_collected(path) == records


def test_threshold_decides_what_counts_as_a_copy(site, tmp_path, options):
    docs = documents()
    folder = make_event(tmp_path / "event", [
        {"type": "page", "url": site.add("/first.html", article_page(docs[0]))},
        {"type": "page", "url": site.add("/wire.html", article_page(syndicated(docs[0])))}])
    summary = collect_event(folder, options=fast_options(options, near_duplicate_ratio=99.5))
    assert (summary.new, summary.duplicates) == (2, 0)


def test_another_address_of_an_article_is_remembered_and_not_asked_for_again(site, tmp_path, options):
    page = article_page(documents()[0])
    story, slashed = site.add("/story", page), site.add("/story/", page)
    wire = site.add("/wire.html", article_page(syndicated(documents()[0])))
    feed = site.add("/feed.xml", rss([("Story", story), ("Story", slashed), ("Wire", wire)]),
                    content_type="application/rss+xml")
    folder = make_event(tmp_path / "event", [{"type": "feed", "url": feed}])
    settings = fast_options(options, recheck_days=0)  # rechecks of collected pages: test_collect_recheck.py
    first = collect_event(folder, options=settings)
    assert (first.new, first.duplicates) == (1, 2)

    second = collect_event(folder, options=settings)
    assert (second.new, second.known, second.unchanged, second.failures) == (0, 2, 1, [])
    assert len(site.seen("/story/")) == 1  # the same text: another address of the article
    assert len(site.seen("/wire.html")) == 2  # a copy, another outlet's article: asked again

    (folder / "articles.jsonl").unlink()  # its article gone, the address is no longer known
    collect_event(folder, options=settings)
    assert len(site.seen("/story/")) == 2
