"""Collect: gather an event's coverage from the [[sources]] of its event.toml into its articles.jsonl.

Per source: list its pages (fetch and parse the feed, sitemap or GDELT answer), fetch the pages not collected
yet on worker threads, then — on this thread, in listing order so results repeat — keep each response in the
WARC file, extract and clean its text, filter and deduplicate it, and append what is new. Each source is
committed (articles.jsonl, then the state file) before the next one starts, and its articles every [collect]
commit_every_seconds while it runs; a source cut short (Ctrl-C, SIGTERM, a fault) still commits the articles it
gave. One page's unexpected error is that page's failure, not the run's end: its
traceback goes to EVENT_DIR/.collect-errors.log.

Then the pages collected in the last [collect] recheck_days are asked for again, conditionally: an outlet may
edit an article after publication without a new address, and a monitor must see it. An edited one replaces its
article's text (the earlier versions stay in the WARC files and are listed in the article's `earlier_versions`);
one that is gone (404, 410, redirected elsewhere, no article any more) keeps its article, with a `removed_note`.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import traceback
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import Callable, Iterable, Iterator
from urllib.parse import urlsplit

from ..version import pipeline_version
from ..corpus import ARTICLES_FILE
from ..errors import BlockedByRobots, FetchFailed, PageGone, PageRejected, UnreadableSource
from ..options import Options
from .dedupe import DuplicateIndex, article_id, canonical_url, content_hash, url_key
from .extract import Extracted, extract_page
from .feeds import Item, Listing, parse_feed, parse_sitemap
from .fetch import Fetcher, RawResponse, check_address
from .gdelt import gdelt_queries, parse_gdelt
from .sources import CollectPlan, Source, as_utc, read_plan
from .state import STATE_FILE, CollectState
from .store import append_articles, only_collection, read_collected, replace_articles
from .summary import CollectSummary, Failure
from .warc import WarcArchive

Progress = Callable[[str, int, int], None]
# What an article's record says of its page found gone; dropped when the page is there again.
_REMOVAL_KEYS = ("removed_on", "removed_note")
# Tracebacks of unexpected errors while reading one page or listing, for whoever fixes them: the summary names
# the page and the error, and the user's terminal stays free of tracebacks.
FAULT_LOG = ".collect-errors.log"


def collect_event(event_dir: str | Path, *, options: Options, on_progress: Progress | None = None) -> CollectSummary:
    """Collect every source of EVENT_DIR/event.toml. Fetch and page failures are recorded in the summary
    and the run goes on; a bad event.toml raises (SourcesFormatError, NoSources), and so does a second
    collection of the same event while one runs (CollectionRunning)."""
    folder = Path(event_dir)
    plan = read_plan(folder)
    signature = collect_signature(options)
    summary = CollectSummary(event_dir=str(folder), sources=len(plan.sources), signature=signature)
    today = datetime.now(timezone.utc).date()
    with (only_collection(folder), Fetcher(options=options) as fetcher,
          WarcArchive(folder, day=today, software=signature) as archive,
          _page_workers(fetcher, options.collect.workers) as pool):
        state, problem = CollectState.load(folder)
        if problem:
            summary.notes.append(Failure(STATE_FILE, None, problem))
        index = DuplicateIndex(options=options)
        earlier = []
        for record in read_collected(folder / ARTICLES_FILE):
            if record.get("id") is not None and isinstance(record.get("text"), str):
                urls = [record[key] for key in ("url", "listed_url") if isinstance(record.get(key), str)]
                index.add(str(record["id"]), urls=urls, text=record["text"])
                earlier.append(record)
        for url, identifier in state.addresses_of_articles().items():
            index.add_address(url, identifier)
        collection = _Collection(folder, plan, options, fetcher, archive, index, state, summary, pool, on_progress)
        new = []
        for source in plan.sources:
            records, committed, last_commit = [], 0, time.monotonic()
            try:
                for record in collection.collect(source):
                    records.append(record)
                    if time.monotonic() - last_commit >= options.collect.commit_every_seconds:
                        append_articles(folder / ARTICLES_FILE, records[committed:])
                        committed, last_commit = len(records), time.monotonic()
            except BaseException:
                # Articles taken are whole, and known by their address next time; the state is not saved, so
                # the page in progress is asked for afresh.
                append_articles(folder / ARTICLES_FILE, records[committed:])
                raise
            append_articles(folder / ARTICLES_FILE, records[committed:])
            state.save(signature=signature)
            summary.new += len(records)
            new += records
        revised = collection.recheck(earlier)
        replace_articles(folder / ARTICLES_FILE, revised)
        state.save(signature=signature)
        summary.notes += _merged_editions(plan, earlier, new)
        summary.warc = archive.name if archive.written else None
    return summary


@contextmanager
def _page_workers(fetcher: Fetcher, count: int) -> Iterator[ThreadPoolExecutor]:
    """Threads fetching pages. A collection ending early (Ctrl-C, an error) drops the pages not yet begun and
    stops the fetcher's waits, instead of fetching every page listed before it can stop."""
    pool = ThreadPoolExecutor(max_workers=max(1, count))
    try:
        yield pool
    except BaseException:
        fetcher.stop()
        pool.shutdown(cancel_futures=True)
        raise
    pool.shutdown()


def collect_signature(options: Options) -> str:
    """The collection's part of the reproducibility signature: extractor, language detector and options."""
    sections = {name: options.as_dict()[name] for name in ("collect", "clean", "language")}
    digest = hashlib.sha256(json.dumps(sections, sort_keys=True).encode()).hexdigest()[:12]
    return (f"parallax:{pipeline_version()}|extract:trafilatura-{version('trafilatura')}+precision"
            f"|lang:langdetect-{version('langdetect')}+seed{options.language.seed}|options:{digest}")


class _Collection:
    def __init__(self, folder: Path, plan: CollectPlan, options: Options, fetcher: Fetcher, archive: WarcArchive,
                 index: DuplicateIndex, state: CollectState, summary: CollectSummary, pool: ThreadPoolExecutor,
                 on_progress: Progress | None):
        self.folder, self.plan, self.options, self.fetcher, self.archive = folder, plan, options, fetcher, archive
        self.index, self.state, self.summary, self.pool = index, state, summary, pool
        self.on_progress = on_progress

    def collect(self, source: Source) -> Iterator[dict]:
        """The new article records of one source, each as soon as it is taken."""
        pending = self._to_fetch(source, self._listed_pages(source))
        label = f"sources[{source.number}] {source.type}"
        for done, (item, outcome) in enumerate(zip(pending, self.pool.map(self._fetch_page, pending)), 1):
            record = self._take_safely(source, item, outcome)
            if record:
                yield record
            if self.on_progress:
                self.on_progress(label, done, len(pending))

    # Listing: which pages a source names.

    def _listed_pages(self, source: Source) -> Iterator[Item]:
        """The pages the source lists, each listing fetched only when the pages before it are taken: an index of
        thousands of sitemaps is read only until it has given the pages a run takes."""
        if source.type == "page":
            yield Item(url=source.url, language=source.language)
        elif source.type == "feed":
            feed = partial(_feed, max_bytes=self.options.collect.max_bytes)
            yield from self._listing(source, source.url, feed).items
        elif source.type == "sitemap":
            listing = self._listing(source, source.url, _sitemap)
            yield from listing.items
            # An index of monthly sitemaps goes back years: those last changed before the window hold nothing new.
            children = [child for child in listing.sitemaps if not _changed_before(source, child)]
            for child in children[: self.options.collect.max_pages_per_source]:
                yield from self._listing(source, child.url, _sitemap).items
        else:
            for language, url in gdelt_queries(source, options=self.options):
                listing = self._listing(source, url, _gdelt,
                                        min_interval=self.options.collect.gdelt_seconds_between_queries)
                yield from (item if item.language else replace(item, language=language) for item in listing.items)

    def _listing(self, source: Source, url: str, parse, *, min_interval: float = 0.0) -> Listing:
        try:
            response = self.fetcher.fetch(url, validators=self.state.validators(url), min_interval=min_interval)
        except FetchFailed as error:
            self._fail(source, url, error)
            return Listing([])
        if response.not_modified:
            self.summary.unchanged += 1
            self.summary.listings += 1
            return self.state.listed(url)
        self.summary.fetched += 1
        try:
            self.archive.record(response)
            listing = parse(response)
        except UnreadableSource as error:
            self._fail(source, url, error)
            return Listing([])
        except Exception as error:  # a fault in Parallax: this listing fails, the others are read
            self._fault(source, url, error)
            return Listing([])
        self.summary.listings += 1
        if listing.problem:
            self._fail(source, url, listing.problem)
        if listing.unlinked:
            self.summary.notes.append(Failure(source.label, None if url == source.url else url,
                                              f"{listing.unlinked} item(s) without a link passed over"))
        self.state.remember(url, response)
        self.state.remember_listing(url, listing)
        return listing

    def _to_fetch(self, source: Source, items: Iterable[Item]) -> list[Item]:
        """Listed pages minus malformed addresses, repeats, pages outside the date window, pages collected
        before, and pages rejected for their content before and listed the same way since; at most
        [collect] max_pages_per_source of them, and no listed page is read past those."""
        cap = self.options.collect.max_pages_per_source
        seen, pending = set(), []
        for item in items:
            try:
                check_address(item.url)
            except FetchFailed as error:
                self._fail(source, item.url, error)
                continue
            if url_key(item.url) in seen:
                continue
            seen.add(url_key(item.url))
            outside = (_outside_window(source, item.published, assumed_zone=item.zone_assumed)
                       or _changed_before(source, item))
            if outside:
                self._skip(source, item.url, outside)
            elif self.index.known_url(item.url):
                self.summary.known += 1
            elif rejected := self.state.rejection(item.url, item, signature=self.summary.signature):
                self._fail(source, item.url, f"{rejected} (when last fetched; its listing entry is unchanged, so "
                                             "it was not asked for again)")
            elif len(pending) == cap:
                self.summary.notes.append(Failure(source.label, None, f"lists more than {cap} new pages; only the "
                                                  f"first {cap} are taken ([collect] max_pages_per_source)"))
                break
            else:
                pending.append(item)
        return pending

    # Pages: fetched on worker threads, then taken in on this one.

    def _fetch_page(self, item: Item) -> RawResponse | Exception:
        try:
            return self.fetcher.fetch(item.url, validators=self.state.validators(item.url))
        except Exception as error:  # FetchFailed, or a fault taken in on the main thread with the page's others
            return error

    def _take_safely(self, source: Source, item: Item, outcome: RawResponse | Exception) -> dict | None:
        """The page's record, or None; a fault while reading it is the page's failure, not the run's end."""
        try:
            if isinstance(outcome, Exception) and not isinstance(outcome, FetchFailed):
                raise outcome
            return self._take(source, item, outcome)
        except Exception as error:
            self.state.forget(item.url)  # what was remembered of it may claim a content never collected
            self._fault(source, item.url, error)
            return None

    def _take(self, source: Source, item: Item, outcome: RawResponse | FetchFailed) -> dict | None:
        if isinstance(outcome, BlockedByRobots) and source.type != "page":
            # The site's standing choice about a page its own listing names: a failure on every scheduled run
            # would bury real ones. An address the user listed as a page stays a failure: it is theirs to remove.
            self.summary.barred.append(Failure(source.label, item.url, str(outcome)))
            return None
        if isinstance(outcome, FetchFailed):
            self._fail(source, item.url, outcome)
            return None
        if outcome.not_modified:
            self.summary.unchanged += 1
            return None
        self.summary.fetched += 1
        reference = self.archive.record(outcome)
        mapped = self.plan.mapped_outlet(outcome.final_url)
        try:
            page = extract_page(outcome, options=self.options, listed_language=item.language,
                                declared_language=source.language or (mapped.language if mapped else None))
        except PageRejected as error:
            self.state.remember(item.url, outcome)
            self.state.remember_rejection(item.url, item, str(error), signature=self.summary.signature)
            self._fail(source, item.url, error)
            return None
        digest = content_hash(page.text)
        if self.state.content_hash(item.url) == digest:
            self.summary.unchanged += 1
            return None
        self.state.remember(item.url, outcome, content_hash=digest)
        url = canonical_url(page.canonical_url or outcome.final_url)
        published = item.published.isoformat() + "+00:00" if item.published else page.published
        urls = [item.url, outcome.final_url, url]
        excluded = (_outside_window(source, _moment(published), assumed_zone=item.zone_assumed)
                    or _lacks_keywords(source, page))
        duplicate = None if excluded else self.index.duplicate(urls=urls, text=page.text)
        if duplicate and duplicate.exact:
            # Kept for later runs, which would otherwise ask for it again (/story/ beside /story) every time.
            self.state.remember_address_of(item.url, duplicate.of)
            self.index.add_address(item.url, duplicate.of)
        if excluded or duplicate:
            self._skip(source, item.url, excluded or f"duplicate of {duplicate.of}: {duplicate.reason}",
                       duplicate=bool(duplicate))
            return None
        for note in (page.language_note, page.paywall_note):
            if note:
                self.summary.notes.append(Failure(source.label, item.url, note))
        outlet = self.plan.outlet_for(outcome.final_url, page_language=page.page_language)
        identifier = article_id(url)
        self.index.add(identifier, urls=urls, text=page.text)
        record = {
            "id": identifier, "outlet": outlet.name, "language": page.language, "title": page.title or item.title,
            "url": url, "published": published, "text": page.text, "country": outlet.country or item.country,
            "listed_url": item.url, "collected_from": source.label, "collected_at": outcome.fetched_at.isoformat(),
            "warc": reference, "language_note": page.language_note,
            "paywall_note": page.paywall_note, "signature": self.summary.signature}
        return {key: value for key, value in record.items() if value is not None}

    # Rechecks: pages collected on an earlier run, asked for again to catch edits and removals.

    def recheck(self, earlier: list[dict]) -> dict[str, dict]:
        """The earlier articles whose record changes (edited, or gone from the site), by id. Only articles this
        collection made (they name the address they were listed at), collected in the last recheck_days and
        neither collected nor rechecked in the last recheck_every_hours."""
        days, checked_at = self.options.collect.recheck_days, datetime.now(timezone.utc)
        now = as_utc(checked_at)
        since = now - timedelta(days=days)
        due = [record for record in earlier if days > 0 and isinstance(record.get("listed_url"), str)
               and (_moment(record.get("first_collected_at") or record.get("collected_at")) or since) > since
               and not self._rechecked_lately(record, now)]
        updated = {}
        for record, outcome in zip(due, self.pool.map(self._fetch_again, due)):
            self.summary.rechecked += 1
            if changed := self._compare_again_safely(record, outcome, checked_at):
                updated[str(record["id"])] = changed
            if self.on_progress:
                self.on_progress("recheck collected pages", self.summary.rechecked, len(due))
        return updated

    def _rechecked_lately(self, record: dict, now: datetime) -> bool:
        """Whether the page was fetched less than recheck_every_hours ago, collected or rechecked: a server
        without validators answers each recheck in full."""
        moments = [_moment(record.get("collected_at")), _moment(self.state.last_rechecked(record["listed_url"]))]
        last = max((moment for moment in moments if moment), default=None)
        return last is not None and now - last < timedelta(hours=self.options.collect.recheck_every_hours)

    def _fetch_again(self, record: dict) -> RawResponse | Exception:
        try:
            return self.fetcher.fetch(record["listed_url"], validators=self.state.validators(record["listed_url"]))
        except Exception as error:  # FetchFailed, or a fault reported on the main thread
            return error

    def _compare_again_safely(self, record: dict, outcome: RawResponse | Exception, checked_at: datetime
                              ) -> dict | None:
        """`_compare_again`, where a fault fails this page's recheck, not the run: an article still due would
        otherwise end every collection for recheck_days. A page that answered is not asked again for
        recheck_every_hours; one that could not be asked, or whose answer met a fault, is asked next time."""
        try:
            if isinstance(outcome, Exception) and not isinstance(outcome, FetchFailed):
                raise outcome
            if not isinstance(outcome, FetchFailed) or isinstance(outcome, PageGone):
                self.state.remember_recheck(record["listed_url"], checked_at)
            return self._compare_again(record, outcome)
        except Exception as error:
            label, listed = f"recheck of {record.get('outlet')}", record["listed_url"]
            self.state.forget(listed)  # what was remembered of it may claim a text never compared
            self.summary.failures.append(Failure(label, listed, self._logged_fault(label, listed, error)))
            return None

    def _compare_again(self, record: dict, outcome: RawResponse | FetchFailed) -> dict | None:
        """The article's new record when its page was edited or is gone; None when it is as collected (or could
        not be asked for this time: a timeout says nothing about the article)."""
        label, listed = f"recheck of {record.get('outlet')}", record["listed_url"]
        if isinstance(outcome, PageGone):
            return self._gone(record, label, f"answered {outcome}")
        if isinstance(outcome, FetchFailed):
            self.summary.notes.append(Failure(label, listed, f"not rechecked: {outcome}"))
            return None
        if outcome.not_modified:
            self.summary.unchanged += 1
            return self._back(record, label)
        self.summary.fetched += 1
        mapped = self.plan.mapped_outlet(outcome.final_url)
        try:
            page = extract_page(outcome, options=self.options, listed_language=record.get("language"),
                                declared_language=mapped.language if mapped else record.get("language"))
        except PageRejected as error:
            self.archive.record(outcome)
            return self._gone(record, label, f"no longer holds an article ({error})")
        same_text = content_hash(page.text) == content_hash(record["text"])
        same_title = not page.title or page.title == record.get("title")
        moved = url_key(canonical_url(page.canonical_url or outcome.final_url)) not in {
            url_key(address) for address in (record.get("url"), listed) if isinstance(address, str)}
        if moved and not same_text:
            self.archive.record(outcome)
            return self._gone(record, label, f"redirects to {outcome.final_url}, which holds another text")
        self.state.remember(listed, outcome, content_hash=content_hash(page.text))
        if same_text and same_title:
            self.summary.unchanged += 1
            return self._back(record, label)
        reference = self.archive.record(outcome)
        what = "text" if not same_text else "headline"
        self.summary.revised.append(Failure(label, record.get("url") or listed,
                                            f"its {what} was edited since it was collected on "
                                            f"{str(record.get('collected_at'))[:10]}; the article now holds the "
                                            f"new version, the earlier one is {record.get('warc')}"))
        earlier = {key: record[key] for key in ("collected_at", "warc", "title") if key in record}
        revised = {**record, "text": page.text, "title": page.title or record.get("title"),
                   "collected_at": outcome.fetched_at.isoformat(), "warc": reference,
                   "first_collected_at": record.get("first_collected_at") or record.get("collected_at"),
                   "earlier_versions": [*record.get("earlier_versions", []), earlier]}
        for key in _REMOVAL_KEYS:
            revised.pop(key, None)
        return {key: value for key, value in revised.items() if value is not None}

    def _gone(self, record: dict, label: str, reason: str) -> dict | None:
        """The article stays in the corpus, as collected, flagged: its coverage was published, and a removal
        is itself news. Said once, when first seen."""
        if record.get("removed_note"):
            return None
        now = datetime.now(timezone.utc)
        note = f"was removed from its address: on {now:%Y-%m-%d} it {reason}"
        self.summary.gone.append(Failure(label, record.get("url") or record["listed_url"],
                                         f"{note}; its article is kept as collected"))
        return {**record, "removed_on": f"{now:%Y-%m-%d}", "removed_note": note}

    def _back(self, record: dict, label: str) -> dict | None:
        """A page flagged as removed that is there again, as collected."""
        if not record.get("removed_note"):
            return None
        self.summary.notes.append(Failure(label, record.get("url"), "is back at its address, as collected"))
        return {key: value for key, value in record.items() if key not in _REMOVAL_KEYS}

    def _fail(self, source: Source, url: str | None, error: Exception | str) -> None:
        self.summary.failures.append(Failure(source.label, None if url == source.url else url, str(error)))

    def _fault(self, source: Source, url: str | None, error: Exception) -> None:
        self._fail(source, url, self._logged_fault(source.label, url, error))

    def _logged_fault(self, label: str, url: str | None, error: Exception) -> str:
        """The failure's line for a fault in Parallax, its traceback written to the event's fault log."""
        log = self.folder / FAULT_LOG
        with open(log, "a", encoding="utf-8") as file:
            file.write(f"{datetime.now(timezone.utc).isoformat(timespec='seconds')} {label}: {url}\n"
                       f"{''.join(traceback.format_exception(error))}\n")
        return (f"unexpected {type(error).__name__}: {error} (a fault in Parallax; please report it with its "
                f"traceback from {log})")

    def _skip(self, source: Source, url: str, reason: str, *, duplicate: bool = False) -> None:
        if duplicate:
            self.summary.duplicates += 1
        else:
            self.summary.filtered += 1
        self.summary.skipped.append(Failure(source.label, url, reason))


def _merged_editions(plan: CollectPlan, earlier: list[dict], new: list[dict]) -> list[Failure]:
    """A note for each outlet named for its domain alone that this run gave articles and that holds them in
    several languages: likely one site's language editions (bbc.com/mundo, bbc.com/russian) merged into one
    outlet, which only [outlets] entries with a path can tell apart."""
    languages: dict[str, dict[str, str]] = {}  # outlet → language → an address in it
    for record in [*earlier, *new]:
        url, outlet, language = record.get("url"), record.get("outlet"), record.get("language")
        if isinstance(url, str) and isinstance(language, str) and outlet and plan.mapped_outlet(url) is None:
            languages.setdefault(str(outlet), {}).setdefault(language, url)
    touched = {record["outlet"] for record in new}
    notes = []
    for outlet, examples in languages.items():
        if outlet in touched and len(examples) > 1:
            listed = ", ".join(f"{language} ({url})" for language, url in sorted(examples.items()))
            notes.append(Failure("[outlets]", None, f"outlet {outlet} holds articles in {listed}: if these are "
                                 f"separate editions, name each in event.toml with its path, e.g. "
                                 f"[outlets.\"{_edition_key(next(iter(examples.values())))}\"]"))
    return notes


def _edition_key(url: str) -> str:
    """An [outlets] key for the address's site and first folder: "dw.com/es"."""
    parts = urlsplit(url)
    first = next((segment for segment in parts.path.split("/") if segment), "")
    host = (parts.hostname or "").removeprefix("www.")
    return f"{host}/{first}" if first else host


def _feed(response: RawResponse, *, max_bytes: int) -> Listing:
    return parse_feed(response.body, url=response.final_url, max_bytes=max_bytes,
                      content_type=response.header("content-type"))


def _sitemap(response: RawResponse) -> Listing:
    return parse_sitemap(response.body, url=response.final_url)


def _gdelt(response: RawResponse) -> Listing:
    return Listing(parse_gdelt(response.body))


# Time zones span UTC-12 to UTC+14: a date whose zone was assumed is outside the window only when it is whatever
# its zone, rather than dropping a story written a few hours inside it.
_ZONE_SPAN = timedelta(hours=14)


def _outside_window(source: Source, moment: datetime | None, *, assumed_zone: bool = False) -> str | None:
    if moment is None or not (source.start or source.end):
        return None
    slack = _ZONE_SPAN if assumed_zone else timedelta(0)
    if (source.start and moment + slack < source.start) or (source.end and moment - slack > source.end):
        return f"published {moment:%Y-%m-%d}, outside the source's start/end window"
    return None


def _changed_before(source: Source, item: Item) -> str | None:
    if source.start and item.modified and item.modified < source.start:
        return f"last changed {item.modified:%Y-%m-%d}, before the source's start"
    return None


def _lacks_keywords(source: Source, page: Extracted) -> str | None:
    if not source.keywords:
        return None
    words = source.keywords.get(page.language or "")
    if not words:
        return f"in {page.language}, a language the source's keywords do not cover"
    haystack = " ".join(f"{page.title or ''} {page.text}".casefold().split())
    if any(re.search(_keyword_pattern(word), haystack) for word in words):
        return None
    return f"holds none of the keywords for {page.language}"


def _keyword_pattern(word: str) -> str:
    """Whole words only, so "AMs" does not match "programs" — except at an edge written in a script without
    spaces between words (Chinese, Japanese, Thai) or with particles joined on (Korean: 열병식을), where a
    word's edge is no word boundary, and after the Arabic and Hebrew words joined to the front of a word."""
    word = " ".join(word.casefold().split())
    before = "" if _unspaced(word[0]) else r"(?<!\w)" + _PROCLITICS.get(_script(word[0]), "")
    after = "" if _unspaced(word[-1]) else r"(?!\w)"
    return before + re.escape(word) + after


def _unspaced(char: str) -> bool:
    return unicodedata.name(char, "").startswith(_UNSPACED_SCRIPTS)


def _script(char: str) -> str:
    return unicodedata.name(char, "").partition(" ")[0]


# Words written joined to the next one: Arabic wa-, fa-, bi-, ka-, li- and al- ("والعرض", "and the parade"), Hebrew
# ve-, ha-, be-, ke-, le-, mi-, she- ("במצעד", "in the parade"). A keyword matches after them too.
_PROCLITICS = {"ARABIC": "(?:[وف]?(?:[بكل]?ال|لل|[بكل])?)", "HEBREW": "[ובהכלמש]{0,3}"}


_UNSPACED_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN")


def _moment(value: str | None) -> datetime | None:
    try:
        return as_utc(datetime.fromisoformat(value)) if value else None
    except ValueError:
        return None
