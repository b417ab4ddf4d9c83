"""Outputs are written atomically: a failure leaves the previous output, or nothing, never half of one."""

import json
import os
import signal
import subprocess
import sys
import time

import polars as pl
import pyarrow.parquet as pq
import pytest

from comparators import output
from comparators.errors import OutputExists, OutputNotWritten
from tests.conftest import REPO, files_limited_to
from tests.engine_run import compare_without_prefect, write_small_corpus


def test_writes_report_tables_and_signature(tmp_path, options):
    comparison = compare_without_prefect(tmp_path / "corpus", options)
    folder = output.write_output(comparison, tmp_path / "out")
    assert (folder / "report.html").is_file() and (folder / "run.json").is_file()
    for table in output.TABLE_FILES:
        metadata = pq.read_schema(folder / "data" / f"{table}.parquet").metadata
        assert metadata[b"parallax:signature"].decode() == str(comparison.signature)
    record = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    assert record["options"] == options.shaping_results() and "export" not in record["options"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no staging folder left behind"


# The columns other tools rely on (the corpus and output contract): a table may gain columns, never lose these.
CONTRACT = {
    "articles": {"article_id", "outlet", "language", "title", "url", "published", "text"},
    "passages": {"passage_id", "article_id", "outlet", "language", "start", "end", "text", "text_en", "engine",
                 "claim_id"},
    "claims": {"claim_id", "text_en", "n_outlets", "outlets"},
    "coverage": {"claim_id", "outlet", "status", "score", "passage_id"},
}


def test_the_tables_keep_the_columns_of_the_output_contract(tmp_path, options):
    comparison = compare_without_prefect(tmp_path / "corpus", options)
    folder = output.write_output(comparison, tmp_path / "out")
    for table, columns in CONTRACT.items():
        assert columns <= set(pq.read_schema(folder / "data" / f"{table}.parquet").names), table
    coverage = pl.read_parquet(folder / "data" / "coverage.parquet")
    assert set(coverage["status"]) <= {"included", "partial", "omitted", "unknown"}


def test_an_outlet_whose_text_holds_no_sentence_is_named_and_never_omits(tmp_path, options):
    records = [{"id": "a", "outlet": "Ledger", "language": "en", "text": "Kim went to Beijing. He watched a parade."},
               {"id": "b", "outlet": "Herald", "language": "en", "text": "Kim went to Beijing by train."},
               {"id": "c", "outlet": "Tally", "text": "3 — 9 — 2025. 10.000 / 70 / 26 — 80."}]
    comparison = compare_without_prefect(tmp_path / "corpus", options, records)
    assert "Tally: no passage to compare (its text holds no sentence), so its coverage is 'unknown', not " \
           "'omitted'" in comparison.warnings()
    assert "Tally" not in set(comparison.coverage.filter(pl.col("status") == "omitted")["outlet"])


def test_a_failed_write_keeps_the_previous_output(tmp_path, options, monkeypatch):
    comparison = compare_without_prefect(tmp_path / "corpus", options)
    folder = output.write_output(comparison, tmp_path / "out")
    before = (folder / "run.json").read_text()

    def broken(_comparison, **_settings):
        raise RuntimeError("disk full")

    monkeypatch.setattr(output, "render_report", broken)
    with pytest.raises(RuntimeError):
        output.write_output(comparison, folder)
    assert (folder / "run.json").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "out"]


def test_a_write_the_system_refuses_is_named_and_keeps_the_previous_output(tmp_path, options):
    comparison = compare_without_prefect(tmp_path / "corpus", options)
    folder = output.write_output(comparison, tmp_path / "out")
    before = (folder / "run.json").read_text()
    with files_limited_to(1024), pytest.raises(OutputNotWritten, match=f"could not write {folder}: .*too large"):
        output.write_output(comparison, folder)
    assert (folder / "run.json").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "out"]


def test_refuses_to_replace_a_folder_that_is_not_an_output(tmp_path, options):
    comparison = compare_without_prefect(tmp_path / "corpus", options)
    precious = tmp_path / "thesis"
    precious.mkdir()
    (precious / "chapter1.tex").write_text("years of work")
    with pytest.raises(OutputExists):
        output.write_output(comparison, precious)
    assert (precious / "chapter1.tex").read_text() == "years of work"


def test_an_out_that_is_a_file_or_lies_under_one_is_refused_and_kept(tmp_path, options):
    comparison = compare_without_prefect(tmp_path / "corpus", options)
    notes = tmp_path / "notes.txt"
    notes.write_text("keep me")
    with pytest.raises(OutputExists, match="notes.txt is a file, not a folder"):
        output.write_output(comparison, notes)
    with pytest.raises(OutputExists, match=r"notes.txt is a file, so .*notes.txt/run/report cannot be created"):
        output.write_output(comparison, notes / "run" / "report")
    assert notes.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "notes.txt"]


def parallax_without_prefect(*args: str) -> subprocess.CompletedProcess:
    """The CLI with an unreachable Prefect API: whatever fails here failed before any flow ran."""
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PREFECT_API_URL": "http://127.0.0.1:9/api"})


def test_compare_refuses_a_bad_out_before_any_work(tmp_path):
    corpus = write_small_corpus(tmp_path / "corpus")
    (tmp_path / "thesis").mkdir()
    (tmp_path / "thesis" / "chapter1.tex").write_text("years of work")
    result = parallax_without_prefect("compare", str(corpus), "--out", str(tmp_path / "thesis"))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (f"parallax: {tmp_path / 'thesis'} exists and is not a Parallax output; not overwriting "
                             "it — choose an empty or new folder for --out\n")


def test_an_unreachable_prefect_server_is_one_line_and_writes_nothing(tmp_path):
    corpus = write_small_corpus(tmp_path / "corpus")
    result = parallax_without_prefect("compare", str(corpus), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and result.stdout == "" and not (tmp_path / "out").exists()
    assert result.stderr.splitlines() == [
        "parallax: nothing answers at PREFECT_API_URL=http://127.0.0.1:9/api — start that server, or unset "
        "PREFECT_API_URL to use `parallax server start`'s or a temporary one"]


def test_two_corpora_of_one_name_are_refused_instead_of_one_replacing_the_other(tmp_path):
    first, second = write_small_corpus(tmp_path / "a" / "event"), write_small_corpus(tmp_path / "b" / "event")
    result = parallax_without_prefect("compare", str(first), str(second), "--out", str(tmp_path / "reports"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"parallax: {first} and {second} would both write {tmp_path / 'reports' / 'event'}")
    assert not (tmp_path / "reports").exists()


def test_a_rebuilt_translation_cache_is_among_the_run_warnings(tmp_path, options, parallax_home):
    from comparators.translation_cache import FILE_NAME, CacheCorruptWarning

    (parallax_home / FILE_NAME).write_bytes(b"this is not a database" * 100)
    with pytest.warns(CacheCorruptWarning):
        comparison = compare_without_prefect(tmp_path / "corpus", options)
    assert any("starting a new one" in warning for warning in comparison.warnings())


KILLED_BETWEEN_RENAMES = """
import os, signal, sys
from pathlib import Path
from comparators.output import atomic_folder

folder = Path(sys.argv[1])
with atomic_folder(folder) as staging:
    (staging / "run.json").write_text('{"run_id": "first"}')
rename = os.rename

def killed_after_setting_aside(source, target):
    rename(source, target)
    if ".old-" in str(target):
        os.kill(os.getpid(), signal.SIGKILL)

os.rename = killed_after_setting_aside
with atomic_folder(folder) as staging:
    (staging / "run.json").write_text('{"run_id": "second"}')
"""


def leftovers(folder):
    return sorted(path.name for path in folder.parent.iterdir() if path.name.startswith(f".{folder.name}."))


def test_a_writer_killed_between_its_renames_is_put_right_by_the_next_write(tmp_path, options, monkeypatch):
    folder = tmp_path / "out"
    killed = subprocess.Popen([sys.executable, "-c", KILLED_BETWEEN_RENAMES, str(folder)], cwd=REPO)
    assert killed.wait(timeout=120) == -signal.SIGKILL
    assert not folder.exists() and leftovers(folder) == [_staged(folder, killed.pid), f".out.old-{killed.pid}"]

    # The next write restores the output that was set aside before it does anything else: even a write that
    # then fails leaves that output in place, and nothing beside it.
    comparison = compare_without_prefect(tmp_path / "corpus", options)
    monkeypatch.setattr(output, "render_report", lambda *_args, **_settings: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        output.write_output(comparison, folder)
    assert json.loads((folder / "run.json").read_text()) == {"run_id": "first"} and leftovers(folder) == []


def test_a_ctrl_c_between_the_renames_leaves_the_previous_output_in_place(tmp_path, monkeypatch):
    folder = tmp_path / "out"
    with output.atomic_folder(folder) as staging:
        (staging / "run.json").write_text('{"run_id": "first"}')
    rename = os.rename

    def interrupted_after_setting_aside(source, target):
        if str(source).endswith(".partial"):
            raise KeyboardInterrupt
        rename(source, target)

    monkeypatch.setattr(os, "rename", interrupted_after_setting_aside)
    with pytest.raises(KeyboardInterrupt):
        with output.atomic_folder(folder) as staging:
            (staging / "run.json").write_text('{"run_id": "second"}')
    monkeypatch.setattr(os, "rename", rename)
    # Before: no output at all until the next write put the one set aside back.
    assert json.loads((folder / "run.json").read_text()) == {"run_id": "first"} and leftovers(folder) == []


def test_leftovers_of_a_dead_writer_beside_an_output_are_removed_and_a_live_writers_kept(tmp_path, options):
    comparison = compare_without_prefect(tmp_path / "corpus", options)
    folder = output.write_output(comparison, tmp_path / "out")
    ended = subprocess.Popen([sys.executable, "-c", ""])
    ended.wait(timeout=60)
    dead = ended.pid
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]) as live:
        try:
            # A writer killed while deleting the output it replaced; one killed while staging; and a process
            # still at work on both. This process's own PID, on folders it is not writing, was a dead writer's
            # that had the same PID before (a restarted container).
            for pid in (dead, live.pid, os.getpid()):
                (tmp_path / f".out.old-{pid}").mkdir()
                (tmp_path / f".out.old-{pid}" / "report.html").write_text("older")
                staged = tmp_path / f".out.{pid}-k2j_9xq1.partial"
                staged.mkdir()
                (staged / "report.html").write_text("half")
            (tmp_path / ".out.old-notes").mkdir()  # not a name Parallax gives: never touched
            output.write_output(comparison, folder)
            assert leftovers(folder) == [f".out.{live.pid}-k2j_9xq1.partial", f".out.old-{live.pid}", ".out.old-notes"]
            assert (folder / "run.json").is_file()
        finally:
            live.kill()


def test_an_older_versions_staging_folder_without_a_pid_is_removed_once_a_day_untouched(tmp_path, options):
    comparison = compare_without_prefect(tmp_path / "corpus", options)
    folder = tmp_path / "out"
    day_old = time.time() - output.UNOWNED_STAGING_SECONDS - 60
    for name in (".out.k2j_9xq1.partial", ".out.abcd_123.partial"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "report.html").write_text("half")
    for path in (tmp_path / ".out.k2j_9xq1.partial" / "report.html", tmp_path / ".out.k2j_9xq1.partial"):
        os.utime(path, (day_old, day_old))
    output.write_output(comparison, folder)
    assert leftovers(folder) == [".out.abcd_123.partial"]  # an older writer may still be filling this one


def test_set_aside_outputs_that_cannot_be_restored_are_all_kept(tmp_path, monkeypatch):
    ended = subprocess.Popen([sys.executable, "-c", ""])
    ended.wait(timeout=60)
    for pid in (ended.pid, os.getpid()):
        (tmp_path / f".out.old-{pid}").mkdir()
        (tmp_path / f".out.old-{pid}" / "run.json").write_text("{}")

    def refused(source, target):
        raise PermissionError(13, "Permission denied", str(source))

    monkeypatch.setattr(os, "rename", refused)
    output.recover_folder(tmp_path / "out")
    assert leftovers(tmp_path / "out") == sorted(f".out.old-{pid}" for pid in (ended.pid, os.getpid()))


def _staged(folder, pid):
    names = [name for name in leftovers(folder) if name.startswith(f".{folder.name}.{pid}-")]
    assert len(names) == 1 and names[0].endswith(".partial"), leftovers(folder)
    return names[0]


def test_an_output_holding_other_outputs_is_not_replaced(tmp_path, options):
    """`compare corpora/* --out reports/` with one corpus writes reports/ itself; corpora compared into
    reports/<name>/ afterwards must survive the next such run."""
    comparison = compare_without_prefect(tmp_path / "corpus", options)
    reports = output.write_output(comparison, tmp_path / "reports")
    output.write_output(comparison, reports / "parade")
    before = (reports / "parade" / "run.json").read_text()
    with pytest.raises(OutputExists, match=r"reports is a Parallax output holding other outputs \(.*reports/parade\)"):
        output.write_output(comparison, reports)
    assert (reports / "parade" / "run.json").read_text() == before


def test_a_language_event_toml_names_but_no_article_is_in_is_a_warning(tmp_path, options):
    corpus = write_small_corpus(tmp_path / "corpus")
    (corpus / "event.toml").write_text('title = "Small event"\nlanguages = ["en", "ko", "ja"]\n')
    warnings = compare_without_prefect(corpus, options).warnings()
    assert "no article in 'ko', 'ja', which event.toml's languages name: collect that coverage, or take the " \
           "language out of the list" in warnings
    (corpus / "event.toml").write_text('title = "Small event"\nlanguages = ["en"]\n')
    assert not any("no article in" in warning for warning in compare_without_prefect(corpus, options).warnings())
