"""`parallax collect`: the summary lists each failure with its source; exit 0 all collected, 3 partly, 1 nothing."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable

import psutil
import pytest

from comparators.collect import CollectSummary, Failure
from flows.commands.collect import print_summary
from tests._collect_helpers import article_page, articles_within, documents, make_event, read_articles, rss
from tests._collect_helpers import site_fixture  # noqa: F401 (the `site` fixture)
from flows.cli import EXIT_INTERRUPTED, INTERRUPTED, STOPPING
from tests.conftest import REPO


@pytest.fixture
def fast_config(tmp_path):
    config = tmp_path / "fast.toml"
    config.write_text("[collect]\nrequests_per_second_per_host = 0\nretries = 0\nrecheck_every_hours = 0\n")
    return str(config)


@pytest.mark.parametrize("counts, failures, code, status", [
    ({"new": 2, "listings": 1}, [], 0, "ok"),
    ({"new": 1}, [Failure("sources[2] page http://x.test/a", None, "HTTP 404 Not Found")], 3, "partial"),
    ({}, [Failure("sources[1] feed http://x.test/rss", None, "timed out after 20 s (3 attempts)")], 1, "failed"),
])
def test_summary_lists_failures_with_their_source_and_sets_the_exit_code(capsys, counts, failures, code, status):
    summary = CollectSummary(event_dir="events/parade", sources=2, failures=failures, warc="raw/d.warc.gz", **counts)
    assert print_summary(summary) == code
    out = capsys.readouterr().out
    assert out.startswith(f"{status:<8}events/parade: ")
    for failure in failures:
        assert f"  failed  {failure.source}: {failure.reason}\n" in out


def test_bad_event_toml_is_one_line_without_starting_prefect(tmp_path):
    folder = make_event(tmp_path / "event", [{"type": "rss", "url": "https://x.test/rss"}])
    result = subprocess.run([sys.executable, "-m", "flows.cli", "collect", str(folder)], cwd=REPO,
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PREFECT_API_URL": "http://127.0.0.1:9/api"})
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"{folder / 'event.toml'}:4: [[sources]] number 1: 'type' must be one of" in result.stderr


def _slow_event(site, folder: Path, respond: Callable) -> tuple[Path, threading.Semaphore]:
    """An event whose feed lists 8 pages answered by `respond`, fetched two at a time with one retry and a minute
    of patience; the semaphore counts the requests for them."""
    asked = threading.Semaphore(0)

    def counted(handler):
        asked.release()
        respond(handler)

    pages = [(f"page {n}", site.add(f"/slow-{n}.html", respond=counted)) for n in range(8)]
    feed = site.add("/feed.xml", rss(pages), content_type="application/rss+xml")
    make_event(folder, [{"type": "feed", "url": feed}])
    (folder / "options.toml").write_text("[collect]\nrequests_per_second_per_host = 0\nretries = 1\nworkers = 2\n"
                                         "timeout_seconds = 60.0\n")
    return folder, asked


def _ctrl_c_when_pages_are_asked_for(folder: Path, asked: threading.Semaphore, environment: dict, *,
                                     pages: int = 2) -> subprocess.Popen:
    """Run `parallax collect` in a process group of its own; once `pages` pages are asked for, press Ctrl-C, which
    a terminal sends to the whole group (a temporary Prefect server too)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "--config", str(folder / "options.toml"), "collect", str(folder)],
        cwd=REPO, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    assert asked.acquire(timeout=120), "no page was asked for"
    assert all(asked.acquire(timeout=10) for _ in range(pages - 1)), f"{pages} pages were never asked for"
    os.killpg(process.pid, signal.SIGINT)
    return process


def _end(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def _retry_after_50_seconds(handler):
    handler.send_response(503)
    handler.send_header("Retry-After", "50")
    handler.send_header("Content-Length", "0")
    handler.end_headers()


def _no_answer_for_90_seconds(handler):
    time.sleep(90)


@pytest.mark.prefect
def test_ctrl_c_ends_the_waits_for_retries(prefect_server, site, tmp_path):
    folder, asked = _slow_event(site, tmp_path / "event", _retry_after_50_seconds)
    # The first answer's Retry-After holds the other worker's request too, unless it was already sent: one page
    # asked for, or two.
    process = _ctrl_c_when_pages_are_asked_for(folder, asked, {**os.environ, "PREFECT_API_URL": prefect_server},
                                               pages=1)
    try:
        _, errors = process.communicate(timeout=30)  # far sooner than the 50 s the server asked to wait
    finally:
        _end(process)
    assert (process.returncode, errors) == (EXIT_INTERRUPTED, f"{STOPPING}\n{INTERRUPTED}\n")
    asked_for = [seen.path for seen in site.requests if seen.path.startswith("/slow-")]
    assert len(asked_for) == len(set(asked_for)) <= 2, "nothing was retried"


@pytest.mark.slow
def test_a_second_ctrl_c_stops_at_once_and_leaves_no_temporary_prefect_server(site, tmp_path):
    """No server configured: Prefect starts a temporary one, which the same Ctrl-C stops, so Prefect's report of
    the interrupted run retries for a while and then fails: the second Ctrl-C ends both waits, in one line."""
    folder, asked = _slow_event(site, tmp_path / "event", _no_answer_for_90_seconds)
    environment = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
    process = _ctrl_c_when_pages_are_asked_for(folder, asked, environment)
    try:
        time.sleep(3)
        assert process.poll() is None, "the first Ctrl-C waits for the two answers being read"
        os.killpg(process.pid, signal.SIGINT)
        _, errors = process.communicate(timeout=30)  # far sooner than the 60 s those answers may take
    finally:
        _end(process)
    assert (process.returncode, errors) == (EXIT_INTERRUPTED, f"{STOPPING}\n{INTERRUPTED}\n")


def _prefect_servers(processes) -> list:
    found = []
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            command = " ".join(process.cmdline())
            if "prefect.server" in command or "prefect server start" in command:
                found.append(process)
    return found


@pytest.mark.slow
@pytest.mark.parametrize("to_whole_group", [False, True], ids=["kill", "timeout-or-systemd"])
def test_sigterm_stops_a_collection_as_ctrl_c_does_and_leaves_no_temporary_prefect_server(to_whole_group, site,
                                                                                          tmp_path):
    """`kill` sends SIGTERM to the process alone; `timeout` and systemd to its whole process group. Before,
    SIGTERM to the process ended it without unwinding (at once, or when Prefect's flow engine passed it on) and
    Prefect's temporary server ran on with no one to stop it; SIGTERM to the group stopped that server too,
    while the run still had to report its end to it: the report retried for minutes, then a traceback, status 1."""
    release = threading.Event()
    asked = threading.Semaphore(0)

    def held(handler):
        asked.release()
        release.wait(60)
        handler.send_response(503)
        handler.end_headers()

    taken = [site.add(f"/taken-{n}.html", article_page(sentences)) for n, sentences in enumerate(documents()[:2])]
    held_pages = [site.add(f"/held-{n}.html", respond=held) for n in range(2)]
    feed = site.add("/feed.xml", rss([(url, url) for url in [*taken, *held_pages]]),
                    content_type="application/rss+xml")
    folder = make_event(tmp_path / "event", [{"type": "feed", "url": feed}])
    # Each article committed as it is taken, so the test knows when both are (the commit SIGTERM makes of articles
    # not yet committed is the Ctrl-C one: tests/test_collect_rerun.py).
    (folder / "options.toml").write_text("[collect]\nrequests_per_second_per_host = 0\nretries = 0\nworkers = 1\n"
                                         "commit_every_seconds = 0\n")
    # No server configured nor kept running: the run must start one of its own.
    environment = {**{key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"},
                   "PARALLAX_HOME": str(tmp_path / "home")}
    process = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "--config", str(folder / "options.toml"), "collect", str(folder)],
        cwd=REPO, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    servers = []
    try:
        assert asked.acquire(timeout=120), "the held page was never asked for"
        articles_within(folder, 2, 30)
        servers = _prefect_servers(psutil.Process(process.pid).children(recursive=True))
        assert servers, "no temporary server"
        if to_whole_group:
            os.killpg(process.pid, signal.SIGTERM)
        else:
            os.kill(process.pid, signal.SIGTERM)
        _, errors = process.communicate(timeout=60)
        left = psutil.wait_procs(servers, timeout=20)[1]
    finally:
        release.set()
        _end(process)
        for server in servers:
            with contextlib.suppress(psutil.NoSuchProcess):
                server.kill()
    assert (process.returncode, errors) == (EXIT_INTERRUPTED, f"{STOPPING}\n{INTERRUPTED}\n")
    assert [article["url"] for article in read_articles(folder)] == taken
    assert not left, f"still running: {[' '.join(server.cmdline()) for server in left]}"


@pytest.mark.slow
@pytest.mark.prefect
def test_collect_end_to_end_partial_then_complete(run_parallax, site, tmp_path, fast_config):
    docs = documents()
    good = site.add("/good.html", article_page(docs[0]))
    late = site.url("/late.html")
    folder = make_event(tmp_path / "event", [{"type": "page", "url": good}, {"type": "page", "url": late}])

    first = run_parallax("--config", fast_config, "collect", str(folder))
    assert first.returncode == 3, first.stderr
    assert f"  failed  sources[2] page {late}: HTTP 404 Not Found" in first.stdout
    assert [article["url"] for article in read_articles(folder)] == [good]

    site.add("/late.html", article_page(docs[2]))
    second = run_parallax("--config", fast_config, "collect", str(folder))
    assert second.returncode == 0, second.stderr + second.stdout
    # The page collected the first time is asked for again (edits and removals), and found as it was.
    assert "1 new, 1 unchanged, 1 already collected" in second.stdout
    assert "0 edited and 0 removed of 1 rechecked" in second.stdout
    assert [article["url"] for article in read_articles(folder)] == [good, late]



def test_a_collection_on_a_terminal_shows_each_sources_pages_done_on_one_line(site, tmp_path, options, monkeypatch):
    from flows.collect import collect_task
    from tests._collect_helpers import fast_options
    from tests.test_translate_stage import Terminal, terminal_rows

    pages = [site.add(f"/story-{number}.html", article_page(sentences)) for number, sentences in
             enumerate(documents()[:3])]
    feed = site.add("/feed.xml", rss([(f"Story {number}", page) for number, page in enumerate(pages)]),
                    content_type="application/rss+xml")
    folder = make_event(tmp_path / "event", [{"type": "feed", "url": feed}])
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    summary = collect_task.fn(str(folder), fast_options(options))
    assert summary.new == 3
    assert any(text.startswith("\rsources[1] feed: 1/3") for text in terminal.writes), terminal.writes
    [done, after] = terminal_rows("".join(terminal.writes))
    assert done.startswith("sources[1] feed: 3/3") and after == ""


@pytest.mark.slow
@pytest.mark.prefect
def test_text_from_the_pages_cannot_forge_or_erase_lines_of_the_summary(run_parallax, site, tmp_path, fast_config):
    # The page's markup is quoted in a note (its paywall class), the feed's link in a failure: a newline there
    # would add a line of the page's own to the summary, an 8-bit CSI or a bidi override act on the terminal.
    markup = '<div class="paywall\n  failed  everything \u009b2K\u009b1A">Subscribe</div>'
    page = site.add("/walled.html", article_page(documents()[0]).replace("<body>", f"<body>{markup}"))
    hostile_link = site.url("/gone-\u202elmth.html")
    feed = site.add("/feed.xml", rss([("walled", page), ("gone", hostile_link)]), content_type="application/rss+xml")
    folder = make_event(tmp_path / "event", [{"type": "feed", "url": feed}])

    done = run_parallax("--config", fast_config, "collect", str(folder))

    assert done.returncode == 3, done.stderr + done.stdout
    lines = done.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["partial", "failed", "note", "Articles:"], done.stdout
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", done.stdout)
    assert '<div class="paywall\\n  failed  everything \\x9b2K\\x9b1A">' in lines[2]
    assert "gone-\\u202elmth.html: HTTP 404" in lines[1]
