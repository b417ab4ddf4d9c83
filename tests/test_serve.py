"""`parallax serve` against the session's real Prefect server: scheduled runs collect, translate and compare only
what is new and keep every run; a killed server leaves `latest` on the last good run; a failed run is recorded;
threads and Dask give the same tables."""

from __future__ import annotations

import asyncio
import contextvars
import json
import threading
import time
from datetime import datetime, timezone
from concurrent.futures import ThreadPoolExecutor

import polars as pl
import pytest

from comparators import history
from comparators.output import TABLE_FILES

from ._serve_helpers import (TEST_OPTIONS, article_page, history_rows, ntrex, rss, small_event, start_serving,
                             start_site, stop_serving, wait_for, watched_event)

pytestmark = [pytest.mark.slow, pytest.mark.prefect]

HOST_LIMIT = "parallax-host:127.0.0.1"  # every test site is on this host


@pytest.fixture
def site():
    site = start_site()
    yield site
    site.server.shutdown()
    site.server.server_close()


def passages_of(run_folder, outlet: str) -> int:
    return pl.read_parquet(run_folder / "data" / "passages.parquet").filter(pl.col("outlet") == outlet).height


def test_a_served_event_fetches_and_translates_only_what_is_new_and_survives_a_kill(
        tmp_path, site, prefect_server, parallax_home, in_process_prefect):
    from prefect.client.orchestration import get_client

    site.put("/gazette/1", article_page(ntrex(3, "eng")[4:], "en"), etag='"g1"')
    feed = site.put("/gazette.xml", rss([site.url("/gazette/1")]), etag='"v1"')
    watched_event(tmp_path / "corpora" / "watched", feed, interval=3)
    config, log = tmp_path / "options.toml", tmp_path / "serve.log"
    config.write_text(TEST_OPTIONS, encoding="utf-8")
    event_reports = tmp_path / "reports" / "watched"
    release = threading.Event()
    serving = start_serving(tmp_path / "corpora", tmp_path / "reports", prefect_server, parallax_home, config, log)
    try:
        first = wait_for(lambda: history_rows(event_reports), timeout=90, what="the first scheduled run",
                         process=serving, log=log)[0]
        # Coverage grows: the feed now lists a second page, in Catalan.
        change = len(site.seen)
        site.put("/gazette/2", article_page(ntrex(3, "cat"), "ca"))
        site.put("/gazette.xml", rss([site.url("/gazette/1"), site.url("/gazette/2")]), etag='"v2"')

        wait_for(lambda: [row for row in history_rows(event_reports)[1:] if row["fetched"]], timeout=90,
                 what="a run after the feed grew", process=serving, log=log)
        # Then a run stalls on a slow page, and the serving process is killed in the middle of it.
        site.put("/gazette/slow", article_page(ntrex(4, "eng"), "en"), hold=release)
        site.put("/gazette.xml", rss([site.url(f"/gazette/{page}") for page in (1, 2, "slow")]), etag='"v3"')
        wait_for(site.reached["/gazette/slow"].is_set, timeout=60, what="a run to stall on the slow page",
                 process=serving, log=log)
        stop_serving(serving, kill=True)
    finally:
        release.set()
        stop_serving(serving, kill=True)
        with get_client(sync_client=True) as client:  # the killed run's slot on the host would last a minute
            client.delete_global_concurrency_limit_by_name(HOST_LIMIT)

    rows = history_rows(event_reports)  # those written before the kill
    assert all(row["status"] == "complete" for row in rows), rows
    assert first["fetched"] == 2 and first["translated"] > 0 and first["cache_hits"] == 0, first
    grown = next(index for index, row in enumerate(rows) if index and row["fetched"])
    for quiet in rows[1:grown] + rows[grown + 1:]:  # any run with nothing new: the feed answered 304, reused
        assert quiet["fetched"] == 0 and quiet["translated"] == 0 and quiet["reused_from"], quiet

    growth = rows[grown]
    assert site.answers("/gazette/1", since=change) == [], \
        "an article collected within [collect] recheck_every_hours is not asked for again"
    assert site.answers("/gazette/2", since=change) == [200]
    assert growth["fetched"] == 2 and growth["reused_from"] is None  # the feed, and the new page
    run = event_reports / growth["run_id"]
    new_passages = passages_of(run, "Local Gazette") - passages_of(event_reports / first["run_id"], "Local Gazette")
    assert growth["translated"] == new_passages > 0, "only the new page is translated"
    assert growth["cache_hits"] == passages_of(run, "El Faro"), "the Spanish came from the cache"
    summary = json.loads((run / "run.json").read_text())
    assert summary["changes"]["new_claims"] and summary["work"]["translated"] == growth["translated"]
    assert "Since the previous run" in (run / "report.html").read_text()

    # The killed run left `latest` on the last complete run, no row, and no visible folder.
    assert history.latest_run(event_reports) == event_reports / rows[-1]["run_id"]
    visible = sorted(path.name for path in event_reports.iterdir() if not path.name.startswith("."))
    assert visible == sorted([row["run_id"] for row in rows] + [history.LATEST, history.HISTORY_FILE])
    for row in rows:
        assert json.loads((event_reports / row["run_id"] / "run.json").read_text())["status"] == "complete"
    assert (event_reports / rows[-1]["run_id"] / "dataset" / "datapackage.json").is_file()


@pytest.fixture
def in_process_prefect(prefect_server, monkeypatch):
    from prefect.settings import PREFECT_API_URL, PREFECT_LOGGING_TO_API_ENABLED, temporary_settings

    monkeypatch.setenv("PREFECT_API_URL", prefect_server)
    # Logs kept off the API: its log worker would otherwise still be sending when the session's server stops.
    with temporary_settings(updates={PREFECT_API_URL: prefect_server, PREFECT_LOGGING_TO_API_ENABLED: False}):
        yield


def test_a_rerun_with_nothing_new_fetches_nothing_and_reuses_the_last_run(tmp_path, site, options,
                                                                         in_process_prefect):
    from flows.monitor import run_monitor

    site.put("/quiet/1", article_page(ntrex(3, "eng")[4:], "en"), etag='"q1"')
    corpus = watched_event(tmp_path / "corpora" / "quiet", site.put("/quiet.xml", rss([site.url("/quiet/1")]),
                                                                    etag='"v1"'), interval=3600)
    settings = options.with_overrides({"collect": {"requests_per_second_per_host": 0.0}})
    first = run_monitor(str(corpus), str(tmp_path / "reports"), settings.as_dict())
    before = len(site.seen)

    again = run_monitor(str(corpus), str(tmp_path / "reports"), settings.as_dict())

    assert first["fetched"] == 2 and first["translated"] > 0 and first["reused_from"] is None
    asked = [seen for seen in site.seen[before:] if seen[0] != "/robots.txt"]
    # Its page was collected within [collect] recheck_every_hours: not asked for again yet.
    assert asked == [("/quiet.xml", 304)], "asked for the feed conditionally"
    assert again["fetched"] == 0 and again["unchanged"] == 1
    assert again["translated"] == 0 and again["reused_from"] == first["run_id"]
    assert (again["new_outlets"], again["new_claims"], again["dropped"]) == (0, 0, 0)
    runs = tmp_path / "reports" / "quiet"
    for table in TABLE_FILES:
        assert pl.read_parquet(runs / again["run_id"] / "data" / f"{table}.parquet").equals(
            pl.read_parquet(runs / first["run_id"] / "data" / f"{table}.parquet")), table
    assert json.loads((runs / again["run_id"] / "run.json").read_text())["reused_from"] == first["run_id"]
    assert history.latest_run(runs) == runs / again["run_id"]


def test_a_host_is_collected_by_one_run_at_a_time(tmp_path, site, options, in_process_prefect):
    from prefect.concurrency.sync import concurrency

    from flows.monitor import host_limits, run_monitor

    site.put("/busy/1", article_page(ntrex(3, "eng")[4:], "en"))
    corpus = watched_event(tmp_path / "corpora" / "busy", site.put("/busy.xml", rss([site.url("/busy/1")])),
                           interval=3600)
    settings = options.with_overrides({"collect": {"requests_per_second_per_host": 0.0}})
    with ThreadPoolExecutor(max_workers=1) as pool:  # this thread may run an event loop already (the whole suite)
        limits = pool.submit(contextvars.copy_context().run, asyncio.run, host_limits(str(corpus), settings))
    assert limits.result() == [HOST_LIMIT]
    finished = {}
    run = contextvars.copy_context().run  # the thread sees this test's Prefect server
    waiting = threading.Thread(target=run, args=(lambda: finished.update(
        row=run_monitor(str(corpus), str(tmp_path / "reports"), settings.as_dict())),))
    with concurrency(HOST_LIMIT, occupy=1, strict=True):  # another run is collecting from the same host
        waiting.start()
        time.sleep(5)
        assert site.answers("/busy.xml") == [], "the run waits for the host"
    waiting.join(timeout=120)
    assert finished["row"]["status"] == "complete" and site.answers("/busy.xml") == [200]


def test_serve_once_runs_every_scheduled_event_and_says_what_it_did(tmp_path, run_parallax):
    small_event(tmp_path / "corpora" / "alpha", outlets=2, interval=3600)
    small_event(tmp_path / "corpora" / "beta", outlets=1, interval=60)
    small_event(tmp_path / "corpora" / "by-hand", outlets=1)

    result = run_parallax("serve", "--once", cwd=tmp_path)  # the defaults: ./corpora and ./reports

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines if not line.startswith(" ")] == ["ok      alpha", "ok      beta"]
    assert "2 outlets" in lines[0] and "first run" in lines[1]
    assert sorted(path.name for path in (tmp_path / "reports").iterdir()) == ["alpha", "beta"]
    assert history.latest_run(tmp_path / "reports" / "alpha") is not None
    unreachable = run_parallax("serve", "--corpora", str(tmp_path / "corpora"), "--reports", str(tmp_path / "reports"),
                               "--once", PREFECT_API_URL="http://127.0.0.1:9/api")
    assert unreachable.returncode == 1 and len(unreachable.stderr.splitlines()) == 1
    assert unreachable.stderr.startswith("parallax: nothing answers at PREFECT_API_URL=http://127.0.0.1:9/api — ")


def test_serve_once_exits_3_when_a_collection_inside_missed_pages(tmp_path, site, run_parallax):
    site.put("/partly/1", article_page(ntrex(3, "eng")[4:], "en"))
    feed = site.put("/partly.xml", rss([site.url("/partly/1"), site.url("/partly/gone")]))
    watched_event(tmp_path / "corpora" / "partly", feed, interval=3600)
    small_event(tmp_path / "corpora" / "whole", outlets=1, interval=3600)
    (tmp_path / "options.toml").write_text(TEST_OPTIONS, encoding="utf-8")

    result = run_parallax("--config", str(tmp_path / "options.toml"), "serve", "--corpora", str(tmp_path / "corpora"),
                          "--reports", str(tmp_path / "reports"), "--once")

    assert result.returncode == 3, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert [line.split(":")[0] for line in lines] == ["partial partly", "ok      whole"]
    assert "1 failed" in result.stdout
    row = history_rows(tmp_path / "reports" / "partly")[0]
    assert row["status"] == "complete" and row["collect_failures"] == 1, "the run itself completed"
    assert history.latest_run(tmp_path / "reports" / "partly") == tmp_path / "reports" / "partly" / row["run_id"]


def test_the_log_of_a_run_shows_control_characters_in_a_failure_message_as_escapes(tmp_path, run_parallax):
    forged = "12:00:00.000 | INFO    | Flow run 'calm-otter' - Finished in state Completed()"
    hostile = f"erased\x1b[2K\rover\n{forged}\u202e.pdf"  # a name the failure message quotes as it is
    folder = tmp_path / "corpora" / "hostile"
    folder.mkdir(parents=True)
    (folder / "event.toml").write_text('title = "Shark attack"\n[schedule]\ninterval = 3600\n', encoding="utf-8")
    (folder / "manifest.csv").write_text(f'file,outlet,language\n"{hostile}",Gazette,en\n', encoding="utf-8")

    result = run_parallax("--debug", "serve", "--corpora", str(tmp_path / "corpora"), "--reports",
                          str(tmp_path / "reports"), "--once")

    assert result.returncode == 1, result.stdout + result.stderr
    log = result.stderr
    assert "Traceback" in log and "CorpusFormatError" in log, "Prefect logged the run's failure"
    assert not any(character in log for character in "\x1b\r\u202e")
    lines = log.split("\n")
    assert not any(line.startswith(forged) for line in lines), "a line forged in the log"
    shown = f"erased\\x1b[2K\\rover\\n{forged}\\u202e.pdf"
    assert any(line.startswith("comparators.errors.CorpusFormatError: ") and shown in line for line in lines), \
        "the traceback's last line: the message, escaped, on one line"
    assert any(line.startswith('  File "') for line in lines), "the traceback keeps its own lines"
    assert "failed  hostile: " in result.stdout and "\x1b" not in result.stdout


def test_a_failed_run_is_recorded_and_leaves_latest_where_it_was(tmp_path, options, in_process_prefect):
    from flows.monitor import run_monitor

    corpus = small_event(tmp_path / "corpora" / "small", outlets=1)
    reports = tmp_path / "reports"
    good = run_monitor(str(corpus), str(reports), options.as_dict())
    with open(corpus / "articles.jsonl", "a", encoding="utf-8") as articles:
        articles.write("{not json\n")

    with pytest.raises(Exception, match=r"articles.jsonl:2: not a JSON object"):
        run_monitor(str(corpus), str(reports), options.as_dict())

    event_reports = reports / "small"
    rows = history_rows(event_reports)
    assert [row["status"] for row in rows] == ["complete", "failed"]
    assert "articles.jsonl:2" in rows[1]["error"]
    assert history.latest_run(event_reports) == event_reports / good["run_id"]
    assert sorted(path.name for path in event_reports.iterdir()) == sorted(
        [good["run_id"], history.LATEST, history.HISTORY_FILE, history.LOCK_FILE, history.OWNER_FILE])


def test_an_interrupted_run_is_recorded_as_interrupted(tmp_path, options, in_process_prefect, monkeypatch):
    from flows import monitor

    corpus = small_event(tmp_path / "corpora" / "small", outlets=1)

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(monitor, "write_output", stopped)
    with pytest.raises(KeyboardInterrupt):
        monitor.run_monitor(str(corpus), str(tmp_path / "reports"), options.as_dict())
    [row] = history_rows(tmp_path / "reports" / "small")
    # Before: "KeyboardInterrupt: ", an interruption's message being empty.
    assert (row["status"], row["error"]) == ("failed", "interrupted (Ctrl-C or SIGTERM) before the run finished")


def test_a_run_on_a_full_disk_fails_with_its_own_error_and_leaves_the_history_and_latest(tmp_path, options,
                                                                                         in_process_prefect):
    from comparators.errors import OutputNotWritten
    from tests.conftest import files_limited_to

    from flows.monitor import run_monitor

    corpus = small_event(tmp_path / "corpora" / "full", outlets=1)
    reports = tmp_path / "reports"
    good = run_monitor(str(corpus), str(reports), options.as_dict())
    event_reports = reports / "full"
    before = (event_reports / history.HISTORY_FILE).read_bytes()

    # Neither the run's tables nor the history's failure row can be written.
    with files_limited_to(1024), pytest.raises(OutputNotWritten, match="could not write .*too large") as raised:
        run_monitor(str(corpus), str(reports), options.as_dict())

    assert type(raised.value) is OutputNotWritten, "the run's own error, not the history's"
    assert (event_reports / history.HISTORY_FILE).read_bytes() == before
    assert history.latest_run(event_reports) == event_reports / good["run_id"]
    assert sorted(path.name for path in event_reports.iterdir()) == sorted(
        [good["run_id"], history.LATEST, history.HISTORY_FILE, history.LOCK_FILE, history.OWNER_FILE])

    after = run_monitor(str(corpus), str(reports), options.as_dict())  # room again: the next run recovers
    assert after["reused_from"] == good["run_id"]
    assert [row["status"] for row in history_rows(event_reports)] == ["complete", "complete"]


def test_dask_and_threads_give_the_same_tables(tmp_path, options, in_process_prefect, monkeypatch):
    from flows.monitor import run_monitor

    outputs = {}
    for runner in ("threads", "dask"):
        monkeypatch.setenv("PARALLAX_HOME", str(tmp_path / runner / "home"))  # each translates afresh
        corpus = small_event(tmp_path / runner / "corpora" / "shark", outlets=5)
        settings = options.with_overrides({"serve": {"task_runner": runner, "dask_workers": 2,
                                                     "dask_processes": False, "articles_per_task": 2}})
        row = run_monitor(str(corpus), str(tmp_path / runner / "reports"), settings.as_dict())
        outputs[runner] = (tmp_path / runner / "reports" / "shark" / row["run_id"], row)

    (threads, by_threads), (dask, by_dask) = outputs["threads"], outputs["dask"]
    assert by_threads["translated"] == by_dask["translated"] > 0
    for table in TABLE_FILES:
        assert pl.read_parquet(threads / "data" / f"{table}.parquet").equals(
            pl.read_parquet(dask / "data" / f"{table}.parquet")), table

    def components(row):  # the options differ in [serve] task_runner alone
        return [part for part in row["signature"].split("|") if not part.startswith("options:")]

    assert components(by_threads) == components(by_dask)


def test_work_pool_mode_registers_a_deployment_per_event_for_workers(tmp_path, options, in_process_prefect):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate

    from flows.serve import register_on_work_pool, scheduled_events

    small_event(tmp_path / "corpora" / "pooled", outlets=1, interval=1800)
    events = scheduled_events(tmp_path / "corpora", min_interval=60)
    with get_client(sync_client=True) as client:
        client.create_work_pool(WorkPoolCreate(name="parallax-test", type="process"))
        register_on_work_pool(tmp_path / "corpora", events, tmp_path / "reports", options, "parallax-test")
        deployment = client.read_deployment_by_name(f"monitor-event/{events[0].deployment_name}")

    assert deployment.work_pool_name == "parallax-test"
    assert deployment.entrypoint == "flows.monitor.monitor_event", "workers import the flow from the package"
    assert deployment.parameters["event_dir"] == str((tmp_path / "corpora" / "pooled").resolve())
    assert deployment.parameters["reports_dir"] == str((tmp_path / "reports").resolve())
    assert deployment.parameters["options"] == options.as_dict()
    assert [schedule.schedule.interval.total_seconds() for schedule in deployment.schedules] == [1800]
    assert deployment.schedules[0].schedule.anchor_date == datetime(2020, 1, 1, tzinfo=timezone.utc)
    assert deployment.global_concurrency_limit.limit == 1, "one run of an event at a time, whichever worker"
    assert deployment.concurrency_options.collision_strategy == "CANCEL_NEW"


def test_two_serves_share_the_local_server_they_start_and_the_last_to_stop_stops_it(tmp_path, parallax_home):
    import os
    import subprocess
    import sys

    from flows.server import healthy
    from tests.conftest import REPO

    small_event(tmp_path / "corpora" / "shared", outlets=1, interval=3600)
    environment = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
    environment["PARALLAX_HOME"] = str(parallax_home)
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    serving = []
    for log in logs:  # at the same moment: neither finds a server running, and both would start one
        with open(log, "wb") as output:
            serving.append(subprocess.Popen(
                [sys.executable, "-m", "flows.cli", "serve", "--corpora", str(tmp_path / "corpora"), "--reports",
                 str(tmp_path / "reports")], cwd=REPO, env=environment, stdout=output, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True))
    state_file = parallax_home / "prefect-server.json"
    try:
        for process, log in zip(serving, logs):
            wait_for(lambda log=log: "Serving 1 event(s)" in log.read_text(), timeout=120,
                     what=f"{log.name} to serve", process=process, log=log)
        url = json.loads(state_file.read_text())["url"]
        assert all(url in log.read_text() for log in logs), "both serve from one server"

        stop_serving(serving[0])
        assert healthy(url) and serving[1].poll() is None, "the other serve still uses the server"
        stop_serving(serving[1])
        assert not healthy(url) and not state_file.exists(), "the last serve to stop stops the server it started"
    finally:
        for process in serving:
            stop_serving(process, kill=True)
        if state_file.exists():
            from flows.server import stop_process

            stop_process(json.loads(state_file.read_text())["pid"])


def test_work_pool_mode_names_a_pool_the_server_does_not_have(tmp_path, options, in_process_prefect):
    from flows.serve import WorkPoolNotFound, register_on_work_pool, scheduled_events

    small_event(tmp_path / "corpora" / "unpooled", outlets=1, interval=1800)
    with pytest.raises(WorkPoolNotFound, match="no work pool 'nowhere'") as raised:
        corpora = tmp_path / "corpora"
        register_on_work_pool(corpora, scheduled_events(corpora, min_interval=60), tmp_path / "reports", options,
                              "nowhere")
    assert raised.value.hint.startswith("create it with `prefect work-pool create nowhere --type process`")


def test_work_pool_mode_removes_the_deployment_of_an_event_no_longer_scheduled(tmp_path, options, capsys,
                                                                             in_process_prefect, monkeypatch):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectNotFound

    from flows.cli import main
    from flows.serve import register_on_work_pool, scheduled_events

    monkeypatch.setattr("flows.serve.DEPLOYMENTS_PAGE", 1)  # as if the pool held more than the server gives at once
    corpora = tmp_path / "corpora"
    small_event(corpora / "kept", outlets=1, interval=1800)
    small_event(corpora / "dropped", outlets=1, interval=1800)
    small_event(tmp_path / "elsewhere" / "other", outlets=1, interval=1800)  # another corpora folder, same pool
    named = {event.name: event.deployment_name.rsplit("-", 1)[1]
             for folder in (corpora, tmp_path / "elsewhere") for event in scheduled_events(folder, min_interval=60)}
    with get_client(sync_client=True) as client:
        client.create_work_pool(WorkPoolCreate(name="parallax-retire", type="process"))
        elsewhere = tmp_path / "elsewhere"
        register_on_work_pool(elsewhere, scheduled_events(elsewhere, min_interval=60), tmp_path / "reports",
                              options, "parallax-retire")
        assert register_on_work_pool(corpora, scheduled_events(corpora, min_interval=60), tmp_path / "reports",
                                     options, "parallax-retire") == []
        (corpora / "dropped" / "event.toml").write_text('title = "no longer watched"\n', encoding="utf-8")

        assert register_on_work_pool(corpora, scheduled_events(corpora, min_interval=60), tmp_path / "reports",
                                     options, "parallax-retire") == [f"dropped-{named['dropped']}"]

        with pytest.raises(ObjectNotFound):
            client.read_deployment_by_name(f"monitor-event/dropped-{named['dropped']}")
        assert client.read_deployment_by_name(f"monitor-event/kept-{named['kept']}").work_pool_name == "parallax-retire"
        assert client.read_deployment_by_name(f"monitor-event/other-{named['other']}").work_pool_name == \
            "parallax-retire"

        # The last schedule removed too: nothing left to register, but workers would go on running the event.
        (corpora / "kept" / "event.toml").write_text('title = "no longer watched either"\n', encoding="utf-8")
        assert main(["serve", "--corpora", str(corpora), "--reports", str(tmp_path / "reports"),
                     "--work-pool", "parallax-retire"]) == 0
        assert f"Removed from the pool (no longer scheduled, or named by an earlier version): kept-{named['kept']}" \
            in capsys.readouterr().out
        with pytest.raises(ObjectNotFound):
            client.read_deployment_by_name(f"monitor-event/kept-{named['kept']}")
        assert client.read_deployment_by_name(f"monitor-event/other-{named['other']}").work_pool_name == \
            "parallax-retire"


def test_work_pool_mode_gives_two_event_folders_of_one_name_a_deployment_each_and_keeps_their_names(
        tmp_path, options, in_process_prefect):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.client.schemas.filters import WorkPoolFilter, WorkPoolFilterName

    from flows.monitor import monitor_event
    from flows.serve import SYNC, register_on_work_pool, scheduled_events

    first, second = tmp_path / "a" / "corpora", tmp_path / "b" / "corpora"
    small_event(first / "parade", outlets=1, interval=1800)
    small_event(second / "parade", outlets=1, interval=3600)

    def pooled(client):
        return sorted((deployment.name, deployment.parameters["event_dir"]) for deployment in client.read_deployments(
            work_pool_filter=WorkPoolFilter(name=WorkPoolFilterName(any_=["parallax-twins"]))))

    with get_client(sync_client=True) as client:
        client.create_work_pool(WorkPoolCreate(name="parallax-twins", type="process"))
        # A deployment named by an earlier version, after the folder alone, of the first folder's event.
        monitor_event.to_deployment(name="parade", parameters={"event_dir": str((first / "parade").resolve())},
                                    tags=["parallax"], _sync=SYNC).apply(work_pool_name="parallax-twins", _sync=SYNC)
        assert register_on_work_pool(first, scheduled_events(first, min_interval=60), tmp_path / "reports-a", options,
                                     "parallax-twins") == ["parade"], "the old name would run the event twice"
        register_on_work_pool(second, scheduled_events(second, min_interval=60), tmp_path / "reports-b", options,
                              "parallax-twins")
        both = pooled(client)
        assert register_on_work_pool(first, scheduled_events(first, min_interval=60), tmp_path / "reports-a", options,
                                     "parallax-twins") == []
        assert pooled(client) == both, "a rerun keeps the names: no second deployment of an event"

        schedules = {deployment.parameters["event_dir"]: deployment.schedules[0].schedule.interval.total_seconds()
                     for deployment in client.read_deployments(
                         work_pool_filter=WorkPoolFilter(name=WorkPoolFilterName(any_=["parallax-twins"])))}

    assert sorted(event_dir for _, event_dir in both) == sorted(str((folder / "parade").resolve())
                                                          for folder in (first, second))
    assert len({name for name, _ in both}) == 2 and all(name.startswith("parade-") for name, _ in both)
    assert schedules == {str((first / "parade").resolve()): 1800, str((second / "parade").resolve()): 3600}


def test_a_run_into_a_reports_folder_of_another_event_folder_of_that_name_is_refused(tmp_path, options,
                                                                                    in_process_prefect):
    from comparators.errors import ReportsFolderTaken
    from flows.monitor import run_monitor

    ours, theirs = small_event(tmp_path / "a" / "parade", outlets=1), small_event(tmp_path / "b" / "parade", outlets=1)
    reports = tmp_path / "reports"
    good = run_monitor(str(ours), str(reports), options.as_dict())

    with pytest.raises(ReportsFolderTaken, match=f"holds the runs of the event folder {ours.resolve()}, not of "
                                                 f"{theirs.resolve()}"):
        run_monitor(str(theirs), str(reports), options.as_dict())

    assert [row["run_id"] for row in history_rows(reports / "parade")] == [good["run_id"]], "no row of theirs"


def test_serve_removes_the_served_deployment_of_an_event_no_longer_scheduled(tmp_path, options,
                                                                           in_process_prefect):
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    from flows.serve import SYNC, build_deployments, retire_deployments, scheduled_events

    corpora = tmp_path / "corpora"
    small_event(corpora / "kept", outlets=1, interval=1800)
    small_event(corpora / "dropped", outlets=1, interval=1800)
    small_event(tmp_path / "elsewhere" / "dropped", outlets=1, interval=1800)  # served by another serve
    everything = [*scheduled_events(corpora, min_interval=60), *scheduled_events(tmp_path / "elsewhere",
                                                                                 min_interval=60)]
    for deployment in build_deployments(everything, tmp_path / "reports", options):  # as a serve killed left them
        deployment.apply(_sync=SYNC)
    (corpora / "dropped" / "event.toml").write_text('title = "no longer watched"\n', encoding="utf-8")
    dropped, kept, elsewhere = (event.deployment_name for event in sorted(everything, key=lambda e: str(e.folder)))

    assert retire_deployments(corpora, scheduled_events(corpora, min_interval=60), None) == [dropped]

    with get_client(sync_client=True) as client:
        with pytest.raises(ObjectNotFound):
            client.read_deployment_by_name(f"monitor-event/{dropped}")
        assert client.read_deployment_by_name(f"monitor-event/{kept}").schedules
        assert client.read_deployment_by_name(f"monitor-event/{elsewhere}").schedules
