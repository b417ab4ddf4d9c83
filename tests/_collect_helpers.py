"""Helpers for the collection tests: a real HTTP server on 127.0.0.1 whose answers each test sets per path,
event folders declaring [[sources]], and article pages built from the shared NTREX documents."""

from __future__ import annotations

import html
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

import pytest

from tests.conftest import SHARED


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    respond: Callable | None = None  # writes the whole answer itself (slow, endless, redirecting)


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    status: int | None = None
    at: float = field(default_factory=time.monotonic)


class Site:
    """The routes a test serves and every request the server saw, in order."""

    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        self.server: ThreadingHTTPServer | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def add(self, path: str, body: bytes | str = b"", **route) -> str:
        self.routes[path] = Route(body=body.encode() if isinstance(body, str) else body, **route)
        return self.url(path)

    def seen(self, path: str) -> list[Seen]:
        return [request for request in self.requests if request.path == path]


def start_site() -> Site:
    site = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            seen = Seen(self.path, {k.lower(): v for k, v in self.headers.items()})
            site.requests.append(seen)
            route = site.routes.get(self.path) or site.routes.get(self.path.split("?")[0])
            if route is None:
                route = Route(b"not here", status=404, content_type="text/plain")
            if route.respond:
                seen.status = 200
                route.respond(self)
                return
            fresh = ((route.etag and seen.headers.get("if-none-match") == route.etag)
                     or (route.last_modified and seen.headers.get("if-modified-since") == route.last_modified))
            seen.status = 304 if fresh else route.status
            self.send_response(seen.status)
            for name, value in {"Content-Type": route.content_type, **route.headers}.items():
                self.send_header(name, value)
            if route.etag:
                self.send_header("ETag", route.etag)
            if route.last_modified:
                self.send_header("Last-Modified", route.last_modified)
            body = b"" if fresh else route.body
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    site.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.server.daemon_threads = True
    threading.Thread(target=site.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return site


@pytest.fixture(name="site")
def site_fixture():
    """A fresh local site for one test; test modules import this to get the `site` fixture."""
    site = start_site()
    yield site
    site.server.shutdown()
    site.server.server_close()


def fast_options(options, **collect):
    """No rate limit, quick timeouts and retries: the local server answers at once. Collected pages are rechecked
    on every collection, as a test's collections follow each other within seconds."""
    settings = {"timeout_seconds": 2.0, "retries": 1, "backoff_seconds": 0.01, "requests_per_second_per_host": 0,
                "gdelt_seconds_between_queries": 0.0, "recheck_every_hours": 0.0, **collect}
    return options.with_overrides({"collect": settings})


def toml_value(value) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key} = {toml_value(item)}" for key, item in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def make_event(folder: Path, sources: list[dict], *, outlets: dict[str, dict] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ['title = "Test event"', 'languages = ["en", "es"]', ""]
    for source in sources:
        lines += ["[[sources]]"] + [f"{key} = {toml_value(value)}" for key, value in source.items()] + [""]
    for domain, outlet in (outlets or {}).items():
        lines += [f'[outlets."{domain}"]'] + [f"{key} = {toml_value(value)}" for key, value in outlet.items()] + [""]
    (folder / "event.toml").write_text("\n".join(lines), encoding="utf-8")
    return folder


def documents(language: str = "eng") -> list[list[str]]:
    """The NTREX documents' sentences in one language: distinct real texts, one per test page."""
    lines = (SHARED / "data" / "ntrex-dev" / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["sentences"][language] for line in lines]


def article_page(sentences: list[str], *, lang: str = "en", canonical: str | None = None,
                 headline: bool = True) -> str:
    """A news page: the first sentence as headline (or, without one, as a paragraph), then paragraphs of three
    sentences each, inside menus and a footer."""
    paragraphs = [" ".join(sentences[i:i + 3]) for i in range(1, len(sentences), 3)]
    body = "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs)
    first = html.escape(sentences[0])
    head = f"<title>{first}</title>" if headline else ""
    if canonical:
        head += f'<link rel="canonical" href="{html.escape(canonical)}">'
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">{head}</head><body>'
            f'<nav><a href="/">Home</a> <a href="/world">World</a></nav>'
            f"<article>{f'<h1>{first}</h1>' if headline else f'<p>{first}</p>'}{body}</article>"
            f"<footer><p>© 2025 Test News</p></footer></body></html>")


def rss(items: list[tuple[str, str]], *, language: str = "en") -> str:
    """An RSS 2.0 feed of (title, link) items."""
    entries = "".join(f"<item><title>{html.escape(title)}</title><link>{html.escape(link)}</link></item>"
                      for title, link in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Test</title>'
            f"<language>{language}</language>{entries}</channel></rss>")


def read_articles(folder: Path) -> list[dict]:
    path = folder / "articles.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def articles_within(folder: Path, count: int, seconds: float) -> list[dict]:
    """The articles in folder/articles.jsonl once there are `count` of them, or as they are after `seconds`."""
    deadline = time.monotonic() + seconds
    while len(read_articles(folder)) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return read_articles(folder)
