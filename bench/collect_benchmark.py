"""How fast `collect` turns news pages into articles: extraction alone, and a whole collection from a local
server with the rate limit off, with one fetching worker and with the default four.

200 pages are generated from the NTREX documents (eight Latin-script languages, headline plus paragraphs),
each wrapped in the junk of a real news page: menus, a share bar, reaction counters, "Powered by paypal",
related links, a footer, and ~20 KB of inline script and style. Side by side in one run:
  extract    extract_page on the 200 responses in memory (trafilatura, cleaning, language check)
  collect-1  collect_event over a sitemap of the 200 pages on 127.0.0.1, workers = 1
  collect-4  the same with workers = 4 (the default)
  +100ms     both again with each page answered after 100 ms, as a distant server would
Every collection includes robots.txt, the WARC file, deduplication and the atomic append; the rate limit is off.

Usage: .venv/bin/python bench/collect_benchmark.py [--pages 200] [--repeat 3] [--latency 0.1]
"""

from __future__ import annotations

import argparse
import html
import json
import multiprocessing
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from comparators.collect import collect_event  # noqa: E402
from comparators.collect.extract import extract_page  # noqa: E402
from comparators.collect.fetch import RawResponse  # noqa: E402
from comparators.options import load_options  # noqa: E402

DOCUMENTS = REPO.parent / "shared" / "data" / "ntrex-dev" / "documents.jsonl"
LANGUAGES = {"eng": "en", "spa": "es", "fra": "fr", "por": "pt", "ita": "it", "deu": "de", "cat": "ca", "glg": "gl"}
SCRIPT = "<script>" + "window.dataLayer=window.dataLayer||[];function t(){dataLayer.push(arguments)}" * 160 + "</script>"
STYLE = "<style>" + ".nav a{color:#333;margin:0 4px}.share button{border:0}" * 160 + "</style>"
JUNK = ("<div class='share'><button>Share</button><button>Tweet</button><button>WhatsApp</button></div>"
        "<div class='reactions'><h3>What's Your Reaction?</h3>" +
        "".join(f"<button>{r} {r} 0</button>" for r in ("Like", "Dislike", "Love", "Funny", "Angry", "Sad", "Wow")) +
        "</div><div>cards</div><div>Powered by paypal</div>")


def pages(count: int) -> list[tuple[str, str, str]]:
    """(path, language, html) for `count` distinct articles."""
    documents = [json.loads(line)["sentences"] for line in DOCUMENTS.read_text(encoding="utf-8").splitlines()]
    generated = []
    for number in range(count):
        code = list(LANGUAGES)[number % len(LANGUAGES)]
        sentences = documents[(number // len(LANGUAGES)) % len(documents)][code]
        paragraphs = "".join(f"<p>{html.escape(' '.join(sentences[i:i + 3]))}</p>"
                             for i in range(1, len(sentences), 3))
        title = html.escape(sentences[0])
        related = "".join(f"<li><a href='/related/{n}'>Related story {n}</a></li>" for n in range(8))
        generated.append((f"/news/{number}.html", LANGUAGES[code], (
            f"<!doctype html><html lang='{LANGUAGES[code]}'><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta property='article:published_time' content='2025-09-03T08:00:00Z'>{STYLE}</head><body>"
            "<nav class='nav'><a href='/'>Home</a><a href='/world'>World</a><a href='/sport'>Sport</a></nav>"
            f"<article><h1>{title}</h1>{JUNK}{paragraphs}{JUNK}</article>"
            f"<aside><h2>Related</h2><ul>{related}</ul></aside>"
            f"<footer><p>© 2025 Bench News</p></footer>{SCRIPT}</body></html>")))
    return generated


def serve(generated, ports: multiprocessing.Queue, latency) -> None:
    """The local news site, in a process of its own so it does not compete with the collector for the GIL.
    Each page answer waits `latency.value` seconds first, as a distant server would."""
    routes = {path: page.encode() for path, _, page in generated}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            if self.path.startswith("/news/"):
                time.sleep(latency.value)
            body = routes.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "application/xml" if self.path.endswith(".xml") else "text/html")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}"
    routes["/sitemap.xml"] = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' +
                              "".join(f"<url><loc>{base}{path}</loc></url>" for path, _, _ in generated) +
                              "</urlset>").encode()
    ports.put(base)
    server.serve_forever()


def time_extraction(generated, options) -> float:
    responses = [(language, RawResponse(
        url=f"http://bench.test{path}", final_url=f"http://bench.test{path}", status=200, reason="OK",
        http_version="HTTP/1.1", headers=(("Content-Type", "text/html; charset=utf-8"),), request_headers=(),
        raw_body=page.encode(), body=page.encode(), fetched_at=datetime.now(timezone.utc)))
        for path, language, page in generated]
    start = time.perf_counter()
    for language, response in responses:
        extract_page(response, declared_language=language, options=options)
    return time.perf_counter() - start


def time_collection(base: str, count: int, options, workers: int, scratch: Path) -> float:
    event = scratch / f"event-{workers}-{time.monotonic_ns()}"
    event.mkdir()
    (event / "event.toml").write_text(f'title = "bench"\n[[sources]]\ntype = "sitemap"\nurl = "{base}/sitemap.xml"\n')
    settings = options.with_overrides({"collect": {"workers": workers, "requests_per_second_per_host": 0,
                                                   "max_pages_per_source": count}})
    start = time.perf_counter()
    summary = collect_event(event, options=settings)
    elapsed = time.perf_counter() - start
    if summary.new != count or summary.failures:
        raise SystemExit(f"collection went wrong: {summary.new} new, failures {summary.failures[:3]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds each page waits in the delayed runs")
    args = parser.parse_args()
    options = load_options(None)
    generated = pages(args.pages)
    ports: multiprocessing.Queue = multiprocessing.Queue()
    latency = multiprocessing.Value("d", 0.0)
    server = multiprocessing.Process(target=serve, args=(generated, ports, latency), daemon=True)
    server.start()
    base = ports.get(timeout=30)
    time_extraction(generated[:5], options)  # warm-up: trafilatura, htmldate and langdetect load their data
    delayed = f"{args.latency * 1000:.0f}ms"
    times: dict[str, list[float]] = {name: [] for name in (
        "extract", "collect-1", "collect-4", f"collect-1+{delayed}", f"collect-4+{delayed}")}
    with tempfile.TemporaryDirectory() as scratch:
        for _ in range(args.repeat):
            times["extract"].append(time_extraction(generated, options))
            for wait, suffix in ((0.0, ""), (args.latency, f"+{delayed}")):
                latency.value = wait
                for workers in (1, 4):
                    times[f"collect-{workers}{suffix}"].append(
                        time_collection(base, args.pages, options, workers, Path(scratch)))
    server.terminate()
    size = sum(len(page) for _, _, page in generated) / len(generated) / 1024
    rate = {name: args.pages / statistics.median(values) for name, values in times.items()}
    print(f"{args.pages} generated pages (~{size:.0f} KB each), median of {args.repeat} runs")
    for name, value in rate.items():
        print(f"  {name:<10} {value:6.1f} pages/s   ({statistics.median(times[name]):.2f} s)")
    print(f"  collect-4 is {rate['collect-4'] / rate['collect-1']:.2f}x collect-1 on an instant server, "
          f"{rate[f'collect-4+{delayed}'] / rate[f'collect-1+{delayed}']:.2f}x with {delayed} per page; "
          f"a whole collection runs at {rate['collect-4'] / rate['extract']:.0%} of extraction alone")


if __name__ == "__main__":
    main()
