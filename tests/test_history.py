"""Run history of a monitored event, without Prefect: publishing and discarding runs, the history table, the
`latest` pointer, what changed since the previous run, and reusing a run when nothing changed."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time

import polars as pl
import pytest

from comparators import history
from comparators.comparison import new_run_id
from comparators.corpus import load_event
from comparators.errors import HistoryNotWritten
from comparators.output import TABLE_FILES, write_output
from comparators.report import render_report
from comparators.reuse import reuse_previous_run
from comparators.schema import frame
from comparators.version import pipeline_version
from tests.conftest import files_limited_to
from tests.engine_run import compare_without_prefect, write_small_corpus

KIM = "Kim Jong Un arrived in Beijing by armoured train."
PARADE = "The parade lasted 70 minutes."
LEADERS = "26 foreign leaders attended the parade."
# No digits and no Latin script: nothing to align an untranslated passage by.
RUSSIAN = ("Ким Чен Ын прибыл в Пекин на бронепоезде.\n\n"
           "Двадцать шесть иностранных лидеров посетили парад, который длился семьдесят минут.")


def records(ledger: str, courier: str, courier_language: str = "en", extra: list[dict] = ()) -> list[dict]:
    return [{"id": "a", "outlet": "Ledger", "language": "en", "text": ledger},
            {"id": "b", "outlet": "Courier", "language": courier_language, "text": courier}, *extra]


def run_folder(tmp_path, name: str, options, articles: list[dict]):
    """Compare `articles` as corpus `name` and write the run into its own folder; (comparison, folder)."""
    corpus = write_small_corpus(tmp_path / "corpora" / name, articles)
    comparison = compare_without_prefect(corpus, options)
    return comparison, write_output(comparison, tmp_path / "runs" / name)


def claim_text(comparison, claim_id: str) -> str:
    return comparison.claims.filter(pl.col("claim_id") == claim_id)["text_en"][0]


def test_changes_name_new_outlets_new_claims_and_claims_an_outlet_dropped(tmp_path, options):
    _, before = run_folder(tmp_path, "before", options,
                           records(f"Kim in Beijing\n\n{KIM} {PARADE}", f"{KIM}\n\n{LEADERS}"))
    gazette = {"id": "c", "outlet": "Gazette", "language": "en",
               "text": f"{LEADERS}\n\nXi Jinping reviewed the troops."}
    now, _ = run_folder(tmp_path, "now", options,
                        records(f"Kim in Beijing\n\n{KIM}", f"{KIM}\n\n{LEADERS}", extra=[gazette]))

    changes = history.changes_since(before, now)

    assert changes.previous_run_id == json.loads((before / "run.json").read_text())["run_id"]
    assert changes.new_outlets == ["Gazette"]
    assert [claim_text(now, claim) for claim in changes.new_claims] == ["Xi Jinping reviewed the troops."]
    assert changes.dropped == [("Ledger", PARADE)]


def test_an_outlet_that_is_untranslated_or_missing_now_dropped_nothing_we_can_tell(tmp_path, options):
    _, before = run_folder(tmp_path, "before", options,
                           records(f"{KIM} {PARADE}", f"{KIM}\n\n{LEADERS}",
                                   extra=[{"id": "c", "outlet": "Gazette", "language": "en", "text": LEADERS}]))
    now, _ = run_folder(tmp_path, "now", options, records(f"{KIM} {PARADE}", RUSSIAN, courier_language="ru"))
    assert set(now.coverage.filter(pl.col("outlet") == "Courier")["status"]) == {"unknown"}, \
        "the test needs Courier's Russian to stay untranslated"

    changes = history.changes_since(before, now)

    assert changes.dropped == []
    assert changes.new_outlets == [] and changes.new_claims == []


def test_an_article_edited_at_its_address_is_named_even_when_no_claim_changes(tmp_path, options):
    courier = f"{KIM}\n\n{LEADERS} {PARADE}"
    _, before = run_folder(tmp_path, "before", options, records(f"Kim in Beijing\n\n{KIM} {PARADE}", courier))
    # A corrected number in a claim another outlet carries too: the claim stays the same claim, both outlets
    # still include it, and nothing but the article itself says that Ledger changed its story.
    now, _ = run_folder(tmp_path, "now", options,
                        records(f"Kim in Beijing\n\n{KIM} {PARADE.replace('70', '75')}", courier))
    same, _ = run_folder(tmp_path, "same", options, records(f"Kim in Beijing\n\n{KIM} {PARADE}", courier))

    changes = history.changes_since(before, now)

    assert (changes.new_outlets, changes.new_claims, changes.dropped) == ([], [], [])
    assert changes.edited == [("Ledger", "a")]
    now.changes = changes
    section = re.search(r'<section id="changes".*?</section>', render_report(now), re.S).group(0)
    assert "Nothing changed" not in section and "Articles edited since (1)" in section and "Ledger" in section
    assert history.changes_since(before, same).edited == []


def test_publish_moves_the_whole_run_into_place_records_it_and_repoints_latest(tmp_path, options):
    event_reports = tmp_path / "reports" / "small"
    event_reports.mkdir(parents=True)
    rows = []
    for number in range(2):
        comparison = compare_without_prefect(tmp_path / "corpus", options)
        staging = history.staging_folder(event_reports, comparison.run_id)
        write_output(comparison, staging)
        rows.append(history.history_row(comparison, flow_run_id=None))
        published = history.publish_run(staging, event_reports, rows[-1])
        assert history.latest_run(event_reports) == published == event_reports / comparison.run_id
        assert os.readlink(event_reports / history.LATEST) == comparison.run_id, "a relative link survives moves"

    assert history.read_history(event_reports)["run_id"].to_list() == [row["run_id"] for row in rows]
    assert sorted(path.name for path in event_reports.iterdir() if not path.name.startswith(".")) == sorted(
        [rows[0]["run_id"], rows[1]["run_id"], history.LATEST, history.HISTORY_FILE])


def test_a_failed_run_is_recorded_and_leaves_latest_and_no_folder(tmp_path, options):
    event_reports = tmp_path / "reports" / "small"
    event_reports.mkdir(parents=True)
    good = compare_without_prefect(tmp_path / "corpus", options)
    staging = history.staging_folder(event_reports, good.run_id)
    write_output(good, staging)
    history.publish_run(staging, event_reports, history.history_row(good, flow_run_id=None))
    failing = history.staging_folder(event_reports, "20990101T000000Z-failed")
    (failing / "data").mkdir(parents=True)  # what a run had written when it failed

    history.discard_run(failing, event_reports, history.failure_row(
        "20990101T000000Z-failed", "2099-01-01T00:00:00+00:00", "CorpusFormatError: articles.jsonl:3: bad",
        flow_run_id=None))

    assert not failing.exists()
    assert history.latest_run(event_reports) == event_reports / good.run_id
    rows = history.read_history(event_reports)
    assert rows["status"].to_list() == ["complete", "failed"]
    assert rows["error"][1] == "CorpusFormatError: articles.jsonl:3: bad"


def test_concurrent_appends_lose_no_row(tmp_path):
    event_reports = tmp_path / "event"
    event_reports.mkdir()

    def append(worker: int) -> None:
        for number in range(5):
            history.append_history(event_reports, history.failure_row(
                f"{worker}-{number}", "2025-01-01T00:00:00+00:00", "test", flow_run_id=None))

    threads = [threading.Thread(target=append, args=(worker,)) for worker in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(history.read_history(event_reports)["run_id"]) == sorted(
        f"{worker}-{number}" for worker in range(6) for number in range(5))
    assert not [path for path in event_reports.iterdir() if path.name.startswith(f".{history.HISTORY_FILE}")]


def test_latest_is_none_until_a_run_completes(tmp_path):
    event_reports = tmp_path / "event"
    event_reports.mkdir()
    assert history.latest_run(event_reports) is None
    (event_reports / "half").mkdir()
    (event_reports / "half" / "run.json").write_text('{"status": "running"}')
    history.point_latest(event_reports, "half")
    assert history.latest_run(event_reports) is None


def test_a_run_is_reused_only_when_it_would_be_reproduced_exactly(tmp_path, options):
    corpus = write_small_corpus(tmp_path / "corpus")
    comparison = compare_without_prefect(corpus, options)
    previous = write_output(comparison, tmp_path / "run")
    summary = json.loads((previous / "run.json").read_text())
    event = load_event(corpus, options=options)

    reused = reuse_previous_run(previous, summary, event, options=options)

    assert reused is not None and reused.run_id == comparison.run_id
    assert str(reused.signature) == str(comparison.signature)
    for table in TABLE_FILES:
        assert reused.tables[table].equals(getattr(comparison, table)), table
    assert reuse_previous_run(previous, summary, event, options=options.with_overrides(
        {"align": {"match": 90.0}})) is None, "other options make other tables"
    upgraded = {**summary, "signature": summary["signature"].replace(
        f"parallax:{pipeline_version()}|", "parallax:0.1.0+g000000000000|")}
    assert upgraded != summary and reuse_previous_run(previous, upgraded, event, options=options) is None, \
        "a run made by another commit of Parallax is not taken for this one's"
    with open(corpus / "articles.jsonl", "a") as articles:
        articles.write(json.dumps({"id": "z", "outlet": "Gazette", "language": "en", "text": LEADERS}) + "\n")
    assert reuse_previous_run(previous, summary, load_event(corpus, options=options), options=options) is None
    assert reuse_previous_run(previous, {**summary, "status": "failed"}, event, options=options) is None


def test_an_event_folder_named_with_glob_characters_keeps_its_history_changes_and_reuse(tmp_path, options):
    event_reports = tmp_path / "reports" / "Parade [2025] *?"
    event_reports.mkdir(parents=True)
    corpus = write_small_corpus(tmp_path / "corpus")
    published = []
    for _ in range(2):
        comparison = compare_without_prefect(corpus, options)
        staging = history.staging_folder(event_reports, comparison.run_id)
        write_output(comparison, staging)
        published.append(history.publish_run(staging, event_reports, history.history_row(comparison,
                                                                                            flow_run_id=None)))
    assert history.read_history(event_reports)["run_id"].to_list() == [folder.name for folder in published]
    assert history.changes_since(published[0], comparison).new_claims == []
    summary = json.loads((published[0] / "run.json").read_text())
    assert reuse_previous_run(published[0], summary, load_event(corpus, options=options), options=options)


@pytest.mark.parametrize("broken", ["", "not json", '{"status": "complete"'])
def test_an_unreadable_run_json_is_not_a_complete_run(tmp_path, broken):
    event_reports = tmp_path / "event"
    (event_reports / "run").mkdir(parents=True)
    (event_reports / "run" / "run.json").write_text(broken)
    history.point_latest(event_reports, "run")
    assert history.latest_run(event_reports) is None


def publish_runs(tmp_path, event_reports, options, count: int) -> list[dict]:
    """Compare the small corpus `count` times and publish each run as the monitor does; their history rows."""
    rows = []
    for _ in range(count):
        comparison = compare_without_prefect(tmp_path / "corpus", options)
        staging = history.staging_folder(event_reports, comparison.run_id)
        write_output(comparison, staging)
        rows.append(history.history_row(comparison, flow_run_id=f"flow-{len(rows)}", fetched=len(rows)))
        history.record_in_run(staging, rows[-1], None)
        history.publish_run(staging, event_reports, rows[-1])
    return rows


def test_a_damaged_history_is_set_aside_and_rebuilt_from_the_complete_runs(tmp_path, options):
    event_reports = tmp_path / "reports" / "small"
    event_reports.mkdir(parents=True)
    first, second = publish_runs(tmp_path, event_reports, options, 2)
    history.append_history(event_reports, history.failure_row("failed-run", "2099-01-01T00:00:00+00:00", "boom",
                                                              flow_run_id=None))
    damaged = (event_reports / history.HISTORY_FILE).read_bytes()[:-20]  # a copy cut short, a disk fault
    (event_reports / history.HISTORY_FILE).write_bytes(damaged)

    with pytest.warns(history.HistoryCorruptWarning, match=r"could not be read .* rebuilt from the 2 complete"):
        (third,) = publish_runs(tmp_path, event_reports, options, 1)

    # A rebuilt row's finished_at is when its run.json was written; runs of one second are in run id order.
    rebuilt = frame("history", [first, second]).sort("started_at", "run_id")
    assert history.read_history(event_reports).drop("finished_at").equals(
        pl.concat([rebuilt, frame("history", [third])]).drop("finished_at")), "the complete runs come back whole"
    (aside,) = event_reports.glob(f"{history.HISTORY_FILE}.corrupt-*")
    assert aside.read_bytes() == damaged, "the damaged table is kept, with the failed run's row"
    assert history.latest_run(event_reports) == event_reports / third["run_id"]


def test_a_history_written_before_a_column_existed_takes_new_rows(tmp_path):
    event_reports = tmp_path / "event"
    event_reports.mkdir()
    old = history.failure_row("old", "2025-01-01T00:00:00+00:00", "boom", flow_run_id=None)
    frame("history", [old]).drop("collect_failures").write_parquet(event_reports / history.HISTORY_FILE)

    history.append_history(event_reports, {**old, "run_id": "new"})

    rows = history.read_history(event_reports)
    assert rows.columns == frame("history", []).columns
    assert rows["run_id"].to_list() == ["old", "new"]


def test_a_run_whose_history_row_cannot_be_written_is_not_published(tmp_path, options):
    event_reports = tmp_path / "reports" / "small"
    event_reports.mkdir(parents=True)
    (good,) = publish_runs(tmp_path, event_reports, options, 1)
    comparison = compare_without_prefect(tmp_path / "corpus", options)
    staging = history.staging_folder(event_reports, comparison.run_id)
    write_output(comparison, staging)

    with files_limited_to(1024), pytest.raises(HistoryNotWritten, match="could not write .*history"):
        history.publish_run(staging, event_reports, history.history_row(comparison, flow_run_id=None))

    assert staging.is_dir() and not (event_reports / comparison.run_id).exists(), "left to be discarded"
    assert history.read_history(event_reports)["run_id"].to_list() == [good["run_id"]]
    assert history.latest_run(event_reports) == event_reports / good["run_id"]


@pytest.fixture
def ended_and_running():
    """A process that has ended and one still running, whose ids staging folders name."""
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield ended, running
    running.kill()
    running.wait()


def test_a_killed_runs_staging_folder_is_removed_by_a_later_run_on_the_same_machine(tmp_path, ended_and_running):
    event_reports = tmp_path / "parade"
    event_reports.mkdir()
    finished, running = ended_and_running
    host = socket.gethostname()
    names = {"killed": f".20250903T010000Z-a1.{host}-{finished.pid}.partial",
             "running": f".20250903T020000Z-b2.{host}-{running.pid}.partial",
             "this process": history.staging_folder(event_reports, "20250903T030000Z-c3").name,
             "another machine": f".20250903T040000Z-d4.worker-7-{finished.pid}.partial",
             "a run": "20250903T050000Z-e5"}
    for name in names.values():
        (event_reports / name / "data").mkdir(parents=True)
    assert history.remove_abandoned_runs(event_reports) == [names["killed"]]
    assert sorted(path.name for path in event_reports.iterdir()) == sorted(
        name for kind, name in names.items() if kind != "killed")
    running.kill()
    running.wait()
    assert history.remove_abandoned_runs(event_reports) == [names["running"]]


def test_leftovers_of_killed_writes_and_removals_and_an_older_versions_day_old_staging_are_removed(
        tmp_path, ended_and_running):
    event_reports = tmp_path / "parade"
    event_reports.mkdir()
    finished, running = ended_and_running
    day_old = time.time() - history.UNOWNED_STAGING_SECONDS - 60
    host = socket.gethostname()
    names = {
        # Killed while writing its tables: write_output's staging folder for the run's, and a live one's.
        "killed writing": f"..20250903T010000Z-a1a1a1.{host}-{finished.pid}.partial.{finished.pid}-k2j9.partial",
        "writing": f"..20250903T020000Z-b2b2b2.{host}-{running.pid}.partial.{running.pid}-k2j9.partial",
        "removal cut short": ".20250901T000000Z-c3c3c3.removing",
        # An older version's, naming no process: a day untouched, or touched since, or just begun.
        "old, untouched": ".20250902T010000Z-d4d4d4.partial",
        "old, untouched, writing": "..20250902T020000Z-e5e5e5.partial.k2j_9xq1.partial",
        "old, untouched, writing later": "..20250902T023000Z-e6e6e6.partial.4321-k2j_9xq1.partial",
        "old, touched since": ".20250902T030000Z-f6f6f6.partial",
        "fresh": ".20250903T040000Z-a7a7a7.partial",
        "not a run's": ".notes.partial"}
    for kind, name in names.items():
        (event_reports / name / "data").mkdir(parents=True)
        (event_reports / name / "data" / "claims.parquet").write_bytes(b"PAR1")
        if kind != "fresh":
            for path in (event_reports / name / "data" / "claims.parquet", event_reports / name / "data",
                         event_reports / name):
                os.utime(path, (day_old, day_old))
    os.utime(event_reports / names["old, touched since"] / "data" / "claims.parquet")
    removed = ["killed writing", "old, untouched, writing", "old, untouched, writing later", "removal cut short",
               "old, untouched"]
    assert history.remove_abandoned_runs(event_reports) == sorted(names[kind] for kind in removed)
    assert sorted(path.name for path in event_reports.iterdir()) == sorted(
        name for kind, name in names.items() if kind not in removed)


def test_runs_beyond_keep_runs_are_removed_oldest_first_never_the_latest(tmp_path):
    event_reports = tmp_path / "parade"
    ids = [f"2025090{day}T120000Z-abc12{day}" for day in range(1, 6)]
    for run_id in ids:
        (event_reports / run_id / "data").mkdir(parents=True)
        (event_reports / run_id / "run.json").write_text(json.dumps({"run_id": run_id, "status": "complete"}))
    (event_reports / "20250906T120000Z-notrun").mkdir()  # not a run id: not Parallax's to remove
    history.point_latest(event_reports, ids[1])  # an older run, as after runs that failed since

    assert history.remove_old_runs(event_reports, keep=0) == []
    assert history.remove_old_runs(event_reports, keep=2) == [ids[0], ids[2]]
    assert sorted(path.name for path in event_reports.iterdir()) == sorted(
        [ids[1], ids[3], ids[4], "20250906T120000Z-notrun", history.LATEST])
    assert history.latest_run(event_reports) == event_reports / ids[1]
    assert history.remove_old_runs(event_reports, keep=2) == []


def test_run_ids_sort_in_the_order_the_runs_started():
    # The suffix was random, so two runs in one second sorted at random and keep_runs could keep the older.
    ids = [new_run_id() for _ in range(200)]
    assert sorted(ids) == ids and len(set(ids)) == len(ids)
    assert all(history.RUN_ID.fullmatch(run_id) for run_id in ids)
