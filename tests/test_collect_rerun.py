"""Reruns: conditional requests, nothing unchanged fetched, only new articles appended, ids stable, every
article traceable to the bytes fetched, and an interrupted append losing nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading

import pytest
from warcio.archiveiterator import ArchiveIterator

from comparators.collect import collect_event
from comparators.collect.store import append_articles, only_collection
from comparators.corpus import load_event
from comparators.errors import CollectionNotWritten, CollectionRunning
from tests._collect_helpers import (article_page, articles_within, documents, fast_options, make_event,
                                   read_articles, rss)
from tests._collect_helpers import site_fixture  # noqa: F401 (the `site` fixture)
from tests.conftest import REPO, mounted

LAST_MODIFIED = "Wed, 03 Sep 2025 04:33:00 GMT"


def feed_event(site, tmp_path, pages: dict[str, int], **feed_validators):
    docs = documents()
    urls = [site.add(path, article_page(docs[number])) for path, number in pages.items()]
    feed = site.add("/feed.xml", rss([(path, url) for path, url in zip(pages, urls)]),
                    content_type="application/rss+xml", **feed_validators)
    return make_event(tmp_path / "event", [{"type": "feed", "url": feed}]), urls


@pytest.mark.parametrize("validator", [{"etag": '"feed-v1"'}, {"last_modified": LAST_MODIFIED}])
def test_rerun_asks_conditionally_gets_304_and_adds_nothing(site, tmp_path, options, validator):
    folder, urls = feed_event(site, tmp_path, {"/a.html": 0, "/b.html": 2}, **validator)
    settings = fast_options(options, recheck_days=0)  # rechecks of collected pages: test_collect_recheck.py
    first = collect_event(folder, options=settings)
    assert (first.new, first.failures) == (2, [])
    before = (folder / "articles.jsonl").read_bytes()
    site.requests.clear()

    second = collect_event(folder, options=settings)
    [feed_request] = site.seen("/feed.xml")
    assert feed_request.headers.get("if-none-match") == validator.get("etag")
    assert feed_request.headers.get("if-modified-since") == validator.get("last_modified")
    assert feed_request.status == 304
    assert not site.seen("/a.html") and not site.seen("/b.html")
    assert (second.new, second.unchanged, second.known, second.fetched) == (0, 1, 2, 0)
    assert (folder / "articles.jsonl").read_bytes() == before


def test_rerun_appends_only_the_new_item_and_keeps_ids(site, tmp_path, options):
    folder, urls = feed_event(site, tmp_path, {"/a.html": 0, "/b.html": 2}, etag='"v1"')
    settings = fast_options(options, recheck_days=0)
    collect_event(folder, options=settings)
    before = (folder / "articles.jsonl").read_text(encoding="utf-8")
    ids = [article["id"] for article in read_articles(folder)]
    new_page = site.add("/c.html", article_page(documents()[4]))
    site.add("/feed.xml", rss([("c", new_page), ("a", urls[0]), ("b", urls[1])]),
             content_type="application/rss+xml", etag='"v2"')
    site.requests.clear()

    summary = collect_event(folder, options=settings)
    assert (summary.new, summary.known) == (1, 2)
    assert [request.path for request in site.requests if request.path != "/robots.txt"] == ["/feed.xml", "/c.html"]
    after = (folder / "articles.jsonl").read_text(encoding="utf-8")
    assert after.startswith(before)
    assert [article["id"] for article in read_articles(folder)] == ids + [read_articles(folder)[-1]["id"]]
    assert len(load_event(folder, options=options).articles) == 3


def test_page_that_failed_is_tried_again_though_the_feed_is_unchanged(site, tmp_path, options):
    folder, urls = feed_event(site, tmp_path, {"/a.html": 0, "/b.html": 2}, etag='"v1"')
    site.add("/b.html", "down for maintenance", status=503)
    settings = fast_options(options, retries=0, recheck_days=0)
    first = collect_event(folder, options=settings)
    assert first.new == 1 and [failure.url for failure in first.failures] == [urls[1]]
    site.add("/b.html", article_page(documents()[2]))

    second = collect_event(folder, options=settings)
    assert (second.new, second.failures, second.unchanged) == (1, [], 1)
    assert sorted(article["url"] for article in read_articles(folder)) == sorted(urls)


def test_a_rejected_page_with_an_etag_is_read_again_in_full_when_the_settings_or_its_listing_change(
        site, tmp_path, options):
    # A 304 for a page rejected last time says only that it is as it was: with other settings it must be read
    # again to be judged by them, and listed another way it must be rejected again under its new listing entry.
    short = site.add("/short.html", article_page(documents()[0][:2]), etag='"short-v1"')
    empty = site.add("/empty.html", "<html><body><p>Soon.</p></body></html>", etag='"empty-v1"')
    site.add("/feed.xml", rss([("short", short), ("empty", empty)]), content_type="application/rss+xml")
    folder = make_event(tmp_path / "event", [{"type": "feed", "url": site.url("/feed.xml")}])
    settings = fast_options(options, retries=0, recheck_days=0)
    first = collect_event(folder, options=settings)
    assert (first.new, [failure.url for failure in first.failures]) == (0, [short, empty])

    laxer = collect_event(folder, options=settings.with_overrides({"collect": {"min_text_chars": 20}}))
    assert laxer.new == 1 and [article["url"] for article in read_articles(folder)] == [short]

    site.add("/feed.xml", rss([("short", short), ("empty, updated", empty)]), content_type="application/rss+xml")
    site.requests.clear()
    relisted = [collect_event(folder, options=settings) for _ in range(2)]
    assert len(site.seen("/empty.html")) == 1, "asked again once, for its new listing entry"
    assert [[failure.url for failure in run.failures] for run in relisted] == [[empty], [empty]]
    assert "not asked for again" in relisted[1].failures[0].reason


def test_every_article_traces_back_to_its_warc_record(site, tmp_path, options):
    folder, urls = feed_event(site, tmp_path, {"/a.html": 0, "/b.html": 2})
    collect_event(folder, options=fast_options(options))
    articles = read_articles(folder)
    assert len(articles) == 2
    for article in articles:
        file, _, record_id = article["warc"].partition("#")
        with open(folder / file, "rb") as stream:
            record = next(r for r in ArchiveIterator(stream)
                          if r.rec_headers.get_header("WARC-Record-ID") == f"<{record_id}>")
            assert record.rec_type == "response"
            assert record.rec_headers.get_header("WARC-Target-URI") == article["url"]
            assert record.http_headers.get_statuscode() == "200"
            body = record.content_stream().read().decode("utf-8")
        first_paragraph = article["text"].split("\n\n")[1]
        assert first_paragraph[:80] in body.replace("&#x27;", "'").replace("&quot;", '"')


def test_a_page_listed_by_an_address_in_unicode_is_collected_and_archived_as_requested(site, tmp_path, options):
    # Feeds of Spanish, Russian or Chinese outlets list their slugs as written, not percent-encoded.
    docs = documents()
    site.add("/caf%C3%A9-parade", article_page(docs[1]))
    site.add("/%E9%98%85%E5%85%B5", article_page(docs[2]))
    listed = [site.url("/café-parade"), site.url("/阅兵")]
    feed = site.add("/feed.xml", rss([("Café", listed[0]), ("阅兵", listed[1])]), content_type="application/rss+xml")
    folder = make_event(tmp_path / "event", [{"type": "feed", "url": feed}])
    summary = collect_event(folder, options=fast_options(options))
    assert summary.failures == [] and summary.new == 2
    assert [article["listed_url"] for article in read_articles(folder)] == listed
    with open(folder / "raw" / summary.warc[len("raw/"):], "rb") as stream:
        asked = [record.http_headers.statusline.split()[0] for record in ArchiveIterator(stream)
                 if record.rec_type == "request"]
    assert {"/caf%C3%A9-parade", "/%E9%98%85%E5%85%B5"} <= set(asked)


def test_interrupted_append_loses_nothing(site, tmp_path, options, monkeypatch):
    folder, urls = feed_event(site, tmp_path, {"/a.html": 0})
    earlier = json.dumps({"id": "earlier", "outlet": "Earlier", "text": "Collected before."}) + "\n"
    (folder / "articles.jsonl").write_text(earlier, encoding="utf-8")

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        collect_event(folder, options=fast_options(options))
    assert (folder / "articles.jsonl").read_text(encoding="utf-8") == earlier
    assert not [path.name for path in folder.iterdir() if path.name.startswith((".articles", ".collect-state"))]


def test_a_second_collection_of_the_same_event_is_refused_while_one_runs(site, tmp_path, options):
    folder, urls = feed_event(site, tmp_path, {"/a.html": 0})
    with only_collection(folder):
        with pytest.raises(CollectionRunning, match="another collection of .* is running"):
            collect_event(folder, options=fast_options(options))
    assert not site.requests and not (folder / "articles.jsonl").exists()
    assert collect_event(folder, options=fast_options(options)).new == 1


COLLECT_SHOWING_PROGRESS = """
import sys
from comparators.collect import collect_event
from comparators.options import load_options
options = load_options().with_overrides({"collect": {"requests_per_second_per_host": 0, "retries": 0,
                                                     "timeout_seconds": 120.0,
                                                     "commit_every_seconds": float(sys.argv[2])}})
collect_event(sys.argv[1], options=options, on_progress=lambda label, done, total: print(done, flush=True))
"""


def _collect_until_held(site, tmp_path, release: threading.Event, *, commit_every_seconds: float):
    """A collection, in a process of its own, of a feed listing two pages and then one held until `release`: the
    event folder, the two pages' addresses and the process, once it has taken both pages."""
    def held(handler):
        release.wait(60)
        handler.send_response(503)
        handler.end_headers()

    folder, urls = feed_event(site, tmp_path, {"/a.html": 0, "/b.html": 1})
    feed = rss([("a", urls[0]), ("b", urls[1]), ("held", site.add("/held.html", respond=held))])
    site.add("/feed.xml", feed, content_type="application/rss+xml")
    process = subprocess.Popen([sys.executable, "-c", COLLECT_SHOWING_PROGRESS, str(folder),
                                str(commit_every_seconds)],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert [process.stdout.readline() for _ in range(2)] == ["1\n", "2\n"], process.stderr.read()
    return folder, urls, process


def test_ctrl_c_in_the_middle_of_a_source_keeps_the_articles_it_gave(site, tmp_path, options):
    release = threading.Event()
    process = None
    try:
        folder, urls, process = _collect_until_held(site, tmp_path, release, commit_every_seconds=3600)
        process.send_signal(signal.SIGINT)  # while the third page is being waited for
        # The articles taken are written at once; only then does the collection wait for the page being read.
        articles_within(folder, 1, 60)
        release.set()
        _, errors = process.communicate(timeout=60)
    finally:
        release.set()
        if process:
            process.kill()
    assert "KeyboardInterrupt" in errors
    assert [article["url"] for article in read_articles(folder)] == urls
    summary = collect_event(folder, options=fast_options(options))
    assert (summary.new, summary.known) == (0, 2)


def test_a_collection_killed_outright_keeps_the_articles_of_its_last_commit(site, tmp_path, options):
    """kill -9 or a power cut leaves no time to commit: the articles taken are committed while the source runs,
    every [collect] commit_every_seconds (here 0: each one), not only when it ends."""
    release = threading.Event()
    process = None
    try:
        folder, urls, process = _collect_until_held(site, tmp_path, release, commit_every_seconds=0)
        articles_within(folder, 2, 30)  # the held page keeps the source from ending meanwhile
        assert process.poll() is None, "the source ended before it was killed"
        process.kill()
        process.wait(timeout=30)
    finally:
        release.set()
        if process:
            process.kill()
    assert [article["url"] for article in read_articles(folder)] == urls
    summary = collect_event(folder, options=fast_options(options))
    assert (summary.new, summary.known) == (0, 2)


def test_a_full_disk_leaves_the_articles_intact_and_says_so_in_one_error(tmp_path):
    folder = tmp_path / "small"
    folder.mkdir()
    with mounted(folder, "-t", "tmpfs", "-o", "size=256k", "tmpfs"):
        articles = folder / "articles.jsonl"
        append_articles(articles, [{"id": "first", "outlet": "o", "text": "kept"}])
        before = articles.read_bytes()
        with pytest.raises(CollectionNotWritten, match=f"could not write {articles}: No space left on device"):
            append_articles(articles, [{"id": "second", "outlet": "o", "text": "x" * 400_000}])
        assert articles.read_bytes() == before
        assert [path.name for path in folder.iterdir()] == ["articles.jsonl"]
