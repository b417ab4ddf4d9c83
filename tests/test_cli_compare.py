"""`parallax compare` and `parallax demo` end to end, through a real Prefect server."""

import json
import random
import shutil
import subprocess

import polars as pl
import pytest

from comparators.options import shipped_defaults
from comparators.schema import TABLES
from comparators.translation_cache import FILE_NAME
from tests.conftest import DEMO

pytestmark = [pytest.mark.slow, pytest.mark.prefect]


def ntrex_corpus(shared_dir, folder, *, outlets=4, document=3, keep=0.7, seed=7):
    """English outlets of one NTREX document, each leaving out a random ~30% of the sentences."""
    lines = (shared_dir / "data" / "ntrex-dev" / "documents.jsonl").read_text().splitlines()
    sentences = json.loads(lines[document])["sentences"]["eng"]
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    (folder / "event.toml").write_text(f'title = "NTREX document {document}"\nlanguages = ["en"]\n')
    records = []
    for number in range(outlets):
        kept = [sentences[0]] + [s for s in sentences[1:] if rng.random() < keep]
        records.append({"id": f"o{number}", "outlet": f"Outlet {number}", "language": "en",
                        "text": "\n\n".join(kept)})
    (folder / "articles.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return folder, sentences, records


def test_compare_writes_all_four_tables_and_a_report(run_parallax, shared_dir, tmp_path):
    corpus, sentences, records = ntrex_corpus(shared_dir, tmp_path / "ntrex")
    result = run_parallax("compare", str(corpus), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "4 outlets" in result.stdout
    data = tmp_path / "out" / "data"
    for table in ("articles", "passages", "claims", "coverage"):
        frame = pl.read_parquet(data / f"{table}.parquet")
        assert frame.columns == [column.name for column in TABLES[table]]
    passages = pl.read_parquet(data / "passages.parquet")
    texts = {r["id"]: r["text"] for r in records}
    for row in passages.iter_rows(named=True):
        assert texts[row["article_id"]][row["start"]:row["end"]] == row["text"]
    coverage = pl.read_parquet(data / "coverage.parquet")
    claims = pl.read_parquet(data / "claims.parquet")
    assert coverage.height == claims.height * 4
    kept_by = {r["outlet"]: set(r["text"].split("\n\n")) for r in records}
    for sentence in sentences[1:6]:
        carriers = {outlet for outlet, kept in kept_by.items() if sentence in kept}
        rows = passages.filter(pl.col("text") == sentence)
        if not carriers:
            continue
        claim = rows["claim_id"][0]
        statuses = dict(coverage.filter(pl.col("claim_id") == claim).select("outlet", "status").iter_rows())
        assert {o for o, s in statuses.items() if s == "included"} == carriers
        assert {o for o, s in statuses.items() if s == "omitted"} == set(kept_by) - carriers


def test_report_opens_in_a_browser(run_parallax, shared_dir, tmp_path):
    chromium = shutil.which("chromium")
    assert chromium, "chromium is installed by .ci/setup"
    corpus, _, _ = ntrex_corpus(shared_dir, tmp_path / "ntrex", outlets=2)
    assert run_parallax("compare", str(corpus), "--out", str(tmp_path / "out")).returncode == 0
    dom = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
         (tmp_path / "out" / "report.html").as_uri()], capture_output=True, text=True, timeout=60).stdout
    assert "NTREX document 3" in dom and "Outlet 1" in dom


def test_several_corpora_some_failing(run_parallax, shared_dir, tmp_path):
    good, _, _ = ntrex_corpus(shared_dir, tmp_path / "good", outlets=2)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "articles.jsonl").write_text('{"id": "a", "outlet": "A", "text": "fine"}\n{oops\n')
    result = run_parallax("compare", str(good), str(bad), str(tmp_path / "missing"), "--out", str(tmp_path / "out"))
    assert result.returncode == 3, result.stdout + result.stderr
    assert "1 of 3 event(s) compared, 2 failed" in result.stdout
    assert "articles.jsonl:2: not a JSON object" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert (tmp_path / "out" / "good" / "report.html").is_file()
    assert not (tmp_path / "out" / "bad").exists()


def test_all_failing_is_exit_1_with_one_line_per_event(run_parallax, tmp_path):
    result = run_parallax("compare", str(tmp_path / "missing"))
    assert result.returncode == 1
    assert result.stdout.strip().splitlines()[0].startswith(f"failed  {tmp_path / 'missing'}: corpus folder")
    assert "Traceback" not in result.stdout + result.stderr


def test_corpora_that_cannot_be_loaded_are_refused_before_prefect_is_reached(run_parallax, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "articles.jsonl").write_text('{"id": "a", "outlet": "A", "text": "fine"}\n{oops\n')
    # Nothing answers here: reaching for Prefect would fail with a message about the server.
    result = run_parallax("compare", str(bad), str(tmp_path / "missing"), "--out", str(tmp_path / "out"),
                          PREFECT_API_URL="http://127.0.0.1:9/api")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "articles.jsonl:2: not a JSON object" in result.stdout
    assert f"failed  {tmp_path / 'missing'}: corpus folder" in result.stdout
    assert "0 of 2 event(s) compared, 2 failed" in result.stdout
    assert "prefect" not in (result.stdout + result.stderr).lower()


def test_single_outlet_is_reported_with_a_warning(run_parallax, tmp_path):
    corpus = tmp_path / "solo"
    corpus.mkdir()
    (corpus / "articles.jsonl").write_text(json.dumps(
        {"id": "a", "outlet": "Lonely Post", "language": "en", "text": "Kim went to Beijing. He watched a parade."}))
    result = run_parallax("compare", str(corpus), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "only one outlet (Lonely Post): nothing to compare" in result.stdout
    assert ": 1 outlet, 2 claims → " in result.stdout
    coverage = pl.read_parquet(tmp_path / "out" / "data" / "coverage.parquet")
    assert set(coverage["status"]) == {"included"} and coverage.height == 2


def test_bad_options_file_is_one_line(run_parallax, tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("[align]\nthreshold = 3\n")
    result = run_parallax("--config", str(config), "compare", str(DEMO))
    assert result.returncode == 1
    # No option is named like it, so the line lists those [align] has.
    assert result.stderr.strip() == (f"parallax: {config}:2: unknown option 'align.threshold' — [align] has "
                                     + ", ".join(shipped_defaults()["align"]))


def test_demo_prints_where_the_report_is_and_a_rebuilt_cache_once(run_parallax, parallax_home, tmp_path):
    (parallax_home / FILE_NAME).write_bytes(b"not a database" * 100)
    result = run_parallax("demo", "--out", str(tmp_path / "demo"))
    assert result.returncode == 0, result.stderr
    assert f"Open the report: {tmp_path / 'demo' / 'report.html'}" in result.stdout
    said = result.stdout + result.stderr
    assert said.count("could not be read") == 1 and "warning: translation cache" in result.stdout
    run = json.loads((tmp_path / "demo" / "run.json").read_text())
    assert len(run["outlets"]) == 7 and run["status"] == "complete"
