"""Helpers for the `parallax serve` tests: a local news site whose feed and pages a test changes while a served
event watches it, event folders with a [schedule], and the serving process."""

from __future__ import annotations

import html
import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import polars as pl

from comparators.history import HISTORY_FILE
from tests.conftest import REPO, SHARED

# Collection without politeness delays and with a timeout longer than any test waits: the site is local.
TEST_OPTIONS = """
[collect]
requests_per_second_per_host = 0.0
retries = 0
timeout_seconds = 60.0
[serve]
articles_per_task = 2
min_interval = 1
"""


@dataclass
class Page:
    body: bytes
    etag: str | None = None
    content_type: str = "text/html; charset=utf-8"
    hold: threading.Event | None = None  # answer only once this is set: a page that stalls a run


@dataclass
class Site:
    """A news site on 127.0.0.1 answering conditional requests with 304, and the requests it saw."""

    pages: dict[str, Page] = field(default_factory=dict)
    seen: list[tuple[str, int]] = field(default_factory=list)  # (path, status answered)
    reached: dict[str, threading.Event] = field(default_factory=dict)
    server: ThreadingHTTPServer | None = None

    def url(self, path: str) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def put(self, path: str, body: str, *, etag: str | None = None, hold: threading.Event | None = None) -> str:
        self.reached[path] = threading.Event()
        self.pages[path] = Page(body.encode(), etag=etag, hold=hold,
                                content_type="application/rss+xml" if path.endswith(".xml") else Page.content_type)
        return self.url(path)

    def answers(self, path: str, since: int = 0) -> list[int]:
        return [status for seen_path, status in self.seen[since:] if seen_path == path]


def start_site(host: str = "127.0.0.1") -> Site:
    """A site on `host`, a loopback address; the benchmark gives each outlet its own (127.0.0.2, …)."""
    site = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            page = site.pages.get(self.path)
            if page is None:
                self._answer(404, b"not here", "text/plain")
                return
            site.reached[self.path].set()
            if page.hold is not None:
                page.hold.wait(timeout=120)
            if page.etag and self.headers.get("If-None-Match") == page.etag:
                self._answer(304, b"", page.content_type, page.etag)
            else:
                self._answer(200, page.body, page.content_type, page.etag)

        def _answer(self, status: int, body: bytes, content_type: str, etag: str | None = None) -> None:
            site.seen.append((self.path, status))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            if etag:
                self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    site.server = ThreadingHTTPServer((host, 0), Handler)
    site.server.daemon_threads = True
    threading.Thread(target=site.server.serve_forever, daemon=True).start()
    return site


def ntrex(document: int, language: str) -> list[str]:
    with open(SHARED / "data" / "ntrex-dev" / "documents.jsonl", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number == document:
                return json.loads(line)["sentences"][language]
    raise IndexError(document)


def paragraphs(sentences: list[str]) -> str:
    return "\n\n".join(" ".join(sentences[start:start + 2]) for start in range(0, len(sentences), 2))


def article_page(sentences: list[str], language: str) -> str:
    body = "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs(sentences[1:]).split("\n\n"))
    return (f'<!doctype html><html lang="{language}"><head><meta charset="utf-8"><title>{html.escape(sentences[0])}'
            f"</title></head><body><nav><a href='/'>Home</a></nav><article><h1>{html.escape(sentences[0])}</h1>"
            f"{body}</article><footer><p>© 2025 Local Gazette</p></footer></body></html>")


def rss(links: list[str]) -> str:
    items = "".join(f"<item><title>Story {number}</title><link>{html.escape(link)}</link></item>"
                    for number, link in enumerate(links))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Local Gazette</title>'
            f"{items}</channel></rss>")


# Outlets of one NTREX story (a shark attack), each telling part of it in its own language.
OUTLETS = [("Harbour Ledger", "en", "eng", slice(0, 10)), ("El Faro", "es", "spa", slice(0, 8)),
           ("Diari del Port", "ca", "cat", slice(3, 12)), ("Le Courrier", "fr", "fra", slice(0, 6)),
           ("Jornal da Praia", "pt", "por", slice(5, 14))]


def small_event(folder: Path, *, outlets: int = 2, sources: str = "", interval: float | None = None) -> Path:
    """An event whose first `outlets` outlets' articles are already collected; `sources` adds TOML (e.g.
    [[sources]]) to its event.toml, and `interval` a [schedule]."""
    folder.mkdir(parents=True)
    schedule = f"\n[schedule]\ninterval = {interval}\n" if interval else ""
    (folder / "event.toml").write_text(f'title = "Shark attack in California"\n{sources}{schedule}',
                                       encoding="utf-8")
    seeds = [{"id": f"{code}-1", "outlet": outlet, "language": code, "text": paragraphs(ntrex(3, ntrex_code)[part])}
             for outlet, code, ntrex_code, part in OUTLETS[:outlets]]
    (folder / "articles.jsonl").write_text("".join(json.dumps(seed) + "\n" for seed in seeds), encoding="utf-8")
    return folder


def watched_event(folder: Path, feed_url: str, *, interval: float) -> Path:
    """Two outlets already collected (English, and Spanish for Apertium to translate), a feed of a third outlet
    on the local site, and a short schedule."""
    return small_event(folder, interval=interval, sources=(
        f'\n[[sources]]\ntype = "feed"\nurl = "{feed_url}"\n\n[outlets."127.0.0.1"]\nname = "Local Gazette"\n'))


def start_serving(corpora: Path, reports: Path, prefect_url: str, home: Path, config: Path,
                  log: Path) -> subprocess.Popen:
    """`parallax serve` in its own process group, polling for scheduled runs every second."""
    environment = {**os.environ, "PREFECT_API_URL": prefect_url, "PARALLAX_HOME": str(home),
                   "PREFECT_RUNNER_POLL_FREQUENCY": "1", "PREFECT_LOGGING_LEVEL": "INFO"}
    with open(log, "ab") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "flows.cli", "--config", str(config), "serve", "--corpora", str(corpora),
             "--reports", str(reports)], cwd=REPO, env=environment, stdout=output, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True)


def stop_serving(process: subprocess.Popen, *, kill: bool = False) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL if kill else signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def history_rows(event_reports: Path) -> list[dict]:
    path = event_reports / HISTORY_FILE
    return pl.read_parquet(path).to_dicts() if path.exists() else []


def wait_for(condition, *, timeout: float, what: str, process: subprocess.Popen | None = None, log: Path | None = None):
    """Poll `condition` until it returns something truthy; fail naming `what` (and the serving log) if it does
    not within `timeout` seconds, or if the serving process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        if process is not None and process.poll() is not None:
            break
        time.sleep(0.5)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}\n--- serve log ---\n{tail}")
