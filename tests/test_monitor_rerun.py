"""A scheduled rerun with nothing new: a new run folder of its own saying nothing changed, without asking again
for what cannot have changed (pages rejected for their content, Apertium's installed packages) — and nothing
else taken for "nothing new": changed options, or a new article, make the run compare afresh."""

from __future__ import annotations

import json
import stat

import pytest

from comparators import history
from comparators.apertium import ApertiumEngine
from comparators.collect import collect_event
from tests._collect_helpers import article_page, documents, fast_options, make_event, rss
from tests._collect_helpers import site_fixture  # noqa: F401 (the `site` fixture)
from tests._serve_helpers import small_event


@pytest.fixture
def in_process_prefect(prefect_server, monkeypatch):
    from prefect.settings import PREFECT_API_URL, PREFECT_LOGGING_TO_API_ENABLED, temporary_settings

    monkeypatch.setenv("PREFECT_API_URL", prefect_server)
    with temporary_settings(updates={PREFECT_API_URL: prefect_server, PREFECT_LOGGING_TO_API_ENABLED: False}):
        yield


@pytest.mark.slow
@pytest.mark.prefect
def test_a_rerun_with_nothing_new_is_a_new_run_saying_nothing_changed(tmp_path, options, in_process_prefect):
    from flows.monitor import run_monitor

    corpus, reports = small_event(tmp_path / "corpora" / "calm", outlets=2), tmp_path / "reports"
    first = run_monitor(str(corpus), str(reports), options.as_dict())
    first_summary = (reports / "calm" / first["run_id"] / "run.json").read_text()

    again = run_monitor(str(corpus), str(reports), options.as_dict())

    runs = reports / "calm"
    assert again["run_id"] != first["run_id"] and again["reused_from"] == first["run_id"]
    assert (runs / first["run_id"] / "run.json").read_text() == first_summary, "the first run is left as it was"
    summary = json.loads((runs / again["run_id"] / "run.json").read_text())
    assert summary["run_id"] == again["run_id"] and summary["signature"] == first["signature"]
    assert summary["changes"] == {"previous_run_id": first["run_id"], "new_outlets": [], "new_claims": [],
                                  "dropped": [], "edited": []}
    report = (runs / again["run_id"] / "report.html").read_text()
    assert "Nothing changed" in report and first["run_id"] in report
    dataset = json.loads((runs / again["run_id"] / "dataset" / "datapackage.json").read_text())
    assert again["run_id"] in json.dumps(dataset["parallax"]), "the dataset names its own run"
    assert history.latest_run(runs) == runs / again["run_id"]
    assert [row["run_id"] for row in _history(runs)] == [first["run_id"], again["run_id"]]


@pytest.mark.slow
@pytest.mark.prefect
def test_changed_options_or_a_new_article_are_not_taken_for_nothing_new(tmp_path, options, in_process_prefect):
    from flows.monitor import run_monitor

    corpus, reports = small_event(tmp_path / "corpora" / "busy", outlets=2), tmp_path / "reports"
    first = run_monitor(str(corpus), str(reports), options.as_dict())
    changed = options.with_overrides({"align": {"floor": options.align.floor + 1.0}})

    with_other_options = run_monitor(str(corpus), str(reports), changed.as_dict())
    article = json.loads((corpus / "articles.jsonl").read_text().splitlines()[0])
    article.update(id="en-2", outlet="The Evening Post")
    with open(corpus / "articles.jsonl", "a", encoding="utf-8") as articles:
        articles.write(json.dumps(article) + "\n")
    with_new_article = run_monitor(str(corpus), str(reports), changed.as_dict())

    assert with_other_options["reused_from"] is None and with_other_options["signature"] != first["signature"]
    assert with_new_article["reused_from"] is None and with_new_article["new_outlets"] == 1
    assert with_new_article["articles"] == first["articles"] + 1


def test_a_page_rejected_for_its_content_is_not_asked_for_again_while_listed_the_same(site, tmp_path, options):
    short = site.add("/short.html", article_page(documents()[0][:2]))
    broken = site.add("/broken.html", status=503)
    feed = site.add("/feed.xml", rss([("short", short), ("broken", broken)]), content_type="application/rss+xml",
                    etag='"v1"')
    folder = make_event(tmp_path / "event", [{"type": "feed", "url": feed}])
    settings = fast_options(options, retries=0)
    first = collect_event(folder, options=settings)
    site.requests.clear()

    second = collect_event(folder, options=settings)
    third = collect_event(folder, options=settings.with_overrides({"collect": {"min_text_chars": 20}}))

    assert [failure.url for failure in first.failures] == [short, broken]
    assert [request.status for request in site.seen("/feed.xml")][:1] == [304]
    assert len(site.seen("/short.html")) == 1, "asked again only once the settings that rejected it changed"
    assert len(site.seen("/broken.html")) == 2, "a server error is asked again on every run"
    assert [failure.url for failure in second.failures] == [short, broken], "still reported as a failure"
    assert "not asked for again" in second.failures[0].reason
    assert third.new == 1


@pytest.mark.slow
@pytest.mark.prefect
def test_a_stealth_edit_and_a_removal_between_runs_are_told_by_the_next_run(site, tmp_path, options,
                                                                             in_process_prefect):
    from flows.monitor import run_monitor

    docs = documents()
    urls = [site.add(f"/story-{number}.html", article_page(docs[number])) for number in range(3)]
    site.add("/feed.xml", rss([(f"story {number}", url) for number, url in enumerate(urls)]),
             content_type="application/rss+xml")
    corpus = make_event(tmp_path / "corpora" / "watched", [{"type": "feed", "url": site.url("/feed.xml")}])
    reports, settings = tmp_path / "reports", fast_options(options).as_dict()
    first = run_monitor(str(corpus), str(reports), settings)
    site.add("/story-0.html", article_page([docs[0][0], "The toll was 4,711, officials said.", *docs[0][1:]]))
    site.add("/story-1.html", "gone", status=410, content_type="text/plain")

    again = run_monitor(str(corpus), str(reports), settings)

    summary = json.loads((reports / "watched" / again["run_id"] / "run.json").read_text())
    assert again["reused_from"] is None and again["articles"] == first["articles"] == 3
    assert again["edited"] == 1 and [url for _, url in summary["changes"]["edited"]] == [urls[0]]
    [edit] = [warning for warning in summary["warnings"] if "was edited since it was collected" in warning]
    assert urls[0] in edit
    [removal] = [warning for warning in summary["warnings"] if "was removed from its address" in warning]
    assert "HTTP 410 Gone" in removal and removal.endswith("it is compared as collected")


def test_apertium_installation_is_asked_once_until_it_changes(tmp_path):
    log, command = tmp_path / "starts.log", tmp_path / "apertium"
    command.write_text(f'#!/bin/sh\necho "$@" >> {log}\nexec /usr/bin/apertium "$@"\n')
    command.chmod(command.stat().st_mode | stat.S_IEXEC)
    model = ApertiumEngine(command=str(command)).model_for("pt")

    assert ApertiumEngine(command=str(command)).model_for("pt") == model
    assert log.read_text().splitlines() == ["-l"], "the second engine read what the first one found"
    command.touch()  # as an upgrade of the package would
    assert ApertiumEngine(command=str(command)).model_for("pt") == model
    assert log.read_text().splitlines() == ["-l", "-l"]
    assert "apertium-es-pt" in model and "apertium-eng-spa" in model


@pytest.mark.slow
@pytest.mark.prefect
@pytest.mark.parametrize("damaged", ["passages", "claims"])
def test_a_damaged_previous_run_is_compared_afresh_not_a_failure_of_every_run_after_it(
        tmp_path, options, in_process_prefect, damaged):
    from flows.monitor import run_monitor

    corpus, reports = small_event(tmp_path / "corpora" / "scarred", outlets=2), tmp_path / "reports"
    first = run_monitor(str(corpus), str(reports), options.as_dict())
    table = reports / "scarred" / first["run_id"] / "data" / f"{damaged}.parquet"
    table.write_bytes(table.read_bytes()[:100])
    # The passages are read to decide on reuse; the claims, with other options, to tell what changed.
    other = options.with_overrides({"align": {"floor": options.align.floor + 1}})
    changed = options if damaged == "passages" else other

    again = run_monitor(str(corpus), str(reports), changed.as_dict())

    runs = reports / "scarred"
    assert again["status"] == "complete" and again["reused_from"] is None
    assert history.latest_run(runs) == runs / again["run_id"]
    summary = json.loads((runs / again["run_id"] / "run.json").read_text())
    [warning] = [warning for warning in summary["warnings"] if "is damaged" in warning]
    assert f"run {first['run_id']} is damaged: {table} cannot be read" in warning
    assert warning.endswith("this run was compared afresh, and what changed since is not shown")


@pytest.mark.slow
@pytest.mark.prefect
def test_keep_runs_removes_older_run_folders_and_keeps_their_history(tmp_path, options, in_process_prefect):
    from flows.monitor import run_monitor

    corpus, reports = small_event(tmp_path / "corpora" / "kept", outlets=2), tmp_path / "reports"
    keeping = options.with_overrides({"serve": {"keep_runs": 2}}).as_dict()
    rows = [run_monitor(str(corpus), str(reports), keeping) for _ in range(3)]

    runs = reports / "kept"
    kept = sorted(path.name for path in runs.iterdir() if history.RUN_ID.fullmatch(path.name))
    assert kept == [rows[1]["run_id"], rows[2]["run_id"]]
    assert [row["run_id"] for row in _history(runs)] == [row["run_id"] for row in rows]
    assert history.latest_run(runs) == runs / rows[2]["run_id"]
    assert not [path.name for path in runs.iterdir() if path.name.endswith(".removing")]


def _history(event_reports):
    return history.read_history(event_reports).to_dicts()
