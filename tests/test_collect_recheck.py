"""Rechecks of collected pages, for a media monitor: an outlet that edits an article at the same address (a
stealth edit) or removes it is seen on the next collection, whatever the server says of versions; an unchanged
page with validators is not downloaded again; the corpus keeps one article per page, the earlier versions in the
WARC, and a removed page's article stays, flagged."""

from __future__ import annotations

import html
import json
from datetime import datetime, timedelta, timezone

import pytest
from warcio.archiveiterator import ArchiveIterator

from comparators.collect import collect_event
from comparators.collect.warc import WarcArchive
from comparators.corpus import load_event
from tests._collect_helpers import article_page, documents, fast_options, make_event, read_articles, rss
from tests._collect_helpers import site_fixture  # noqa: F401 (the `site` fixture)

LAST_MODIFIED = "Wed, 03 Sep 2025 04:33:00 GMT"
EDITED_NUMBER = "4,711"

# How the server speaks of versions: nothing; an ETag or Last-Modified it changes with the page; or an ETag it
# sends but never honours (every request answered in full).
VERSIONING = {
    "no validators": ({}, {}),
    "etag": ({"etag": '"v1"'}, {"etag": '"v2"'}),
    "last-modified": ({"last_modified": LAST_MODIFIED}, {"last_modified": "Thu, 04 Sep 2025 09:00:00 GMT"}),
    "conditional requests ignored": ({"headers": {"ETag": '"same"'}}, {"headers": {"ETag": '"same"'}}),
}


def monitored(site, tmp_path, first_version: dict, *, outlets: int = 2):
    docs = documents()
    urls = [site.add(f"/story-{number}.html", article_page(docs[2 * number]), **(first_version if number == 0
                                                                                  else {}))
            for number in range(outlets)]
    feed = site.add("/feed.xml", rss([(f"story {number}", url) for number, url in enumerate(urls)]),
                    content_type="application/rss+xml")
    return make_event(tmp_path / "event", [{"type": "feed", "url": feed}]), urls


def edited(sentences: list[str]) -> list[str]:
    """The article with a number corrected in its second sentence and its last sentence removed."""
    return [sentences[0], f"{sentences[1]} The toll was {EDITED_NUMBER}.", *sentences[2:-1]]


@pytest.mark.parametrize("versioning", VERSIONING)
def test_an_article_edited_at_its_address_replaces_its_text_and_keeps_the_earlier_version(
        site, tmp_path, options, versioning):
    before, after = VERSIONING[versioning]
    folder, urls = monitored(site, tmp_path, before)
    settings = fast_options(options)
    collect_event(folder, options=settings)
    [first] = [article for article in read_articles(folder) if article["url"] == urls[0]]
    site.add("/story-0.html", article_page(edited(documents()[0])), **after)

    summary = collect_event(folder, options=settings)

    articles = read_articles(folder)
    assert len(articles) == 2, "the edited article is updated, not added a second time"
    [now] = [article for article in articles if article["url"] == urls[0]]
    assert now["id"] == first["id"] and EDITED_NUMBER in now["text"] and EDITED_NUMBER not in first["text"]
    assert now["earlier_versions"] == [{"collected_at": first["collected_at"], "warc": first["warc"],
                                        "title": first["title"]}]
    assert now["first_collected_at"] == first["collected_at"] and now["warc"] != first["warc"]
    [revised] = summary.revised
    assert revised.url == urls[0] and first["warc"] in revised.reason
    removed_sentence = documents()[0][-1]
    assert removed_sentence in first["text"] and removed_sentence not in now["text"]
    earlier_bytes, now_bytes = _warc_body(folder, first["warc"]), _warc_body(folder, now["warc"])
    assert removed_sentence[:40] in earlier_bytes and EDITED_NUMBER not in earlier_bytes, "both versions are kept"
    assert EDITED_NUMBER in now_bytes
    assert len(load_event(folder, options=options).articles) == 2


def test_an_unchanged_page_with_validators_is_asked_conditionally_and_not_downloaded(site, tmp_path, options):
    folder, urls = monitored(site, tmp_path, {"etag": '"v1"'})
    settings = fast_options(options)
    collect_event(folder, options=settings)
    articles = (folder / "articles.jsonl").read_bytes()
    site.requests.clear()

    summary = collect_event(folder, options=settings)

    [asked] = site.seen("/story-0.html")
    assert asked.headers.get("if-none-match") == '"v1"' and asked.status == 304
    assert (summary.rechecked, summary.revised, summary.gone) == (2, [], [])
    assert (folder / "articles.jsonl").read_bytes() == articles


@pytest.mark.parametrize("removal", ["404", "410", "redirected elsewhere", "no article any more"])
def test_a_removed_page_keeps_its_article_flagged_and_says_so_once(site, tmp_path, options, removal):
    folder, urls = monitored(site, tmp_path, {})
    settings = fast_options(options)
    collect_event(folder, options=settings)
    if removal in ("404", "410"):
        site.add("/story-0.html", "gone", status=int(removal), content_type="text/plain")
    elif removal == "redirected elsewhere":
        front = site.add("/front.html", article_page(documents()[8]))
        site.add("/story-0.html", status=301, headers={"Location": front})
    else:
        site.add("/story-0.html", article_page(["This article has been removed."]))

    summary = collect_event(folder, options=settings)
    again = collect_event(folder, options=settings)

    assert [gone.url for gone in summary.gone] == [urls[0]] and again.gone == []
    assert "its article is kept as collected" in summary.gone[0].reason
    [kept] = [article for article in read_articles(folder) if article["url"] == urls[0]]
    assert kept["removed_note"].startswith("was removed from its address")
    assert kept["removed_on"] == summary.gone[0].reason.split("on ", 1)[1][:10], "the day it was found gone"
    event = load_event(folder, options=options)
    assert len(event.articles) == 2, "its coverage does not turn into omissions"
    [warning] = [problem.message for problem in event.problems if "removed from its address" in problem.message]
    assert f"article {kept['id']!r}" in warning and warning.endswith("it is compared as collected")


def test_a_removed_page_that_comes_back_loses_its_flag(site, tmp_path, options):
    folder, urls = monitored(site, tmp_path, {})
    settings = fast_options(options)
    collect_event(folder, options=settings)
    page = site.routes["/story-0.html"]
    site.add("/story-0.html", "gone", status=404, content_type="text/plain")
    collect_event(folder, options=settings)
    site.routes["/story-0.html"] = page

    summary = collect_event(folder, options=settings)

    back = next(article for article in read_articles(folder) if article["url"] == urls[0])
    assert "removed_note" not in back and "removed_on" not in back
    assert [note.reason for note in summary.notes] == ["is back at its address, as collected"]


def test_a_page_its_feed_no_longer_lists_is_still_rechecked(site, tmp_path, options):
    folder, urls = monitored(site, tmp_path, {})
    settings = fast_options(options)
    collect_event(folder, options=settings)
    site.add("/feed.xml", rss([("story 1", urls[1])]), content_type="application/rss+xml")
    site.add("/story-0.html", article_page(edited(documents()[0])))

    summary = collect_event(folder, options=settings)

    assert [revised.url for revised in summary.revised] == [urls[0]]


def test_an_article_moved_to_a_new_address_with_the_same_text_is_neither_edited_nor_removed_nor_added(
        site, tmp_path, options):
    folder, urls = monitored(site, tmp_path, {})
    settings = fast_options(options)
    collect_event(folder, options=settings)
    moved = site.add("/2025/story-0.html", site.routes["/story-0.html"].body)
    site.add("/story-0.html", status=301, headers={"Location": moved})
    site.add("/feed.xml", rss([("story 0", moved), ("story 1", urls[1])]), content_type="application/rss+xml")

    summary = collect_event(folder, options=settings)

    assert (summary.new, summary.duplicates, summary.revised, summary.gone) == (0, 1, [], [])
    assert len(read_articles(folder)) == 2


def test_no_recheck_after_recheck_days(site, tmp_path, options):
    folder, urls = monitored(site, tmp_path, {})
    collect_event(folder, options=fast_options(options))
    site.add("/story-0.html", article_page(edited(documents()[0])))
    site.requests.clear()

    summary = collect_event(folder, options=fast_options(options, recheck_days=0))

    assert (summary.rechecked, site.seen("/story-0.html")) == (0, [])


def _warc_body(folder, reference: str) -> str:
    file, _, record_id = reference.partition("#")
    with open(folder / file, "rb") as stream:
        record = next(record for record in ArchiveIterator(stream)
                      if record.rec_headers.get_header("WARC-Record-ID") == f"<{record_id}>")
        return html.unescape(record.content_stream().read().decode("utf-8"))


def test_a_fault_rechecking_one_page_fails_that_recheck_and_the_others_go_on(site, tmp_path, options, monkeypatch):
    """A page still due for recheck_days would otherwise end every collection with the same traceback."""
    folder, urls = monitored(site, tmp_path, {})
    settings = fast_options(options)
    collect_event(folder, options=settings)
    site.add("/story-1.html", article_page(edited(documents()[2])))
    real = WarcArchive.record

    def faulty(archive, response):
        if response.final_url == urls[0]:
            raise ValueError("an archiving fault")
        return real(archive, response)

    with monkeypatch.context() as patch:
        patch.setattr(WarcArchive, "record", faulty)
        site.add("/story-0.html", article_page(edited(documents()[0])))
        summary = collect_event(folder, options=settings)

    [failure] = summary.failures
    assert (failure.url, summary.status) == (urls[0], "partial")
    assert failure.reason.startswith("unexpected ValueError: an archiving fault (a fault in Parallax")
    assert [edit.url for edit in summary.revised] == [urls[1]], "the other page's edit is still seen"
    assert urls[0] in (folder / ".collect-errors.log").read_text(encoding="utf-8")
    assert len(collect_event(folder, options=settings).revised) == 1, "once fixed, the edit is seen"


def _collected_hours_ago(folder, hours: float) -> None:
    moment = (datetime.now(timezone.utc) - timedelta(hours=hours)).isoformat()
    articles = [{**article, "collected_at": moment} for article in read_articles(folder)]
    (folder / "articles.jsonl").write_text("".join(json.dumps(article) + "\n" for article in articles),
                                           encoding="utf-8")


def test_a_page_is_rechecked_at_most_every_recheck_every_hours_however_often_the_event_is_collected(
        site, tmp_path, options):
    """A media monitor collecting every 10 minutes from a site without validators must not download each of its
    articles every 10 minutes."""
    folder, urls = monitored(site, tmp_path, {})
    settings = fast_options(options, recheck_every_hours=6.0)
    collect_event(folder, options=settings)
    site.requests.clear()

    soon = collect_event(folder, options=settings)

    assert (soon.rechecked, site.seen("/story-0.html"), site.seen("/story-1.html")) == (0, [], [])
    _collected_hours_ago(folder, 7)
    site.add("/story-1.html", "busy", status=503, content_type="text/plain")
    articles = (folder / "articles.jsonl").read_bytes()

    later = collect_event(folder, options=settings)

    assert later.rechecked == 2 and len(site.seen("/story-0.html")) == 1
    rechecked = json.loads((folder / ".collect-state.json").read_text(encoding="utf-8"))["rechecked"]
    assert list(rechecked) == [urls[0]], "a page that could not be asked is not taken for rechecked"
    assert (folder / "articles.jsonl").read_bytes() == articles, "the recheck time is the collection's, not data"
    site.requests.clear()

    again = collect_event(folder, options=settings)

    assert site.seen("/story-0.html") == [] and site.seen("/story-1.html"), "the page that failed is asked again"
    assert again.rechecked == 1
