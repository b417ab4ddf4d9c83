"""`parallax collect`: the summary lists each failure with its source; exit 0 all collected, 3 partly, 1 nothing."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from comparators.collect import CollectSummary, Failure
from flows.commands.collect import print_summary
from tests._collect_helpers import article_page, documents, make_event, read_articles
from tests._collect_helpers import site_fixture  # noqa: F401 (the `site` fixture)
from tests.conftest import REPO


@pytest.fixture
def fast_config(tmp_path):
    config = tmp_path / "fast.toml"
    config.write_text("[collect]\nrequests_per_second_per_host = 0\nretries = 0\n")
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
    assert "1 new, 0 unchanged, 1 already collected" in second.stdout
    assert [article["url"] for article in read_articles(folder)] == [good, late]

