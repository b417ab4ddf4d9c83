"""Outputs are written atomically: a failure leaves the previous output, or nothing, never half of one."""

import pyarrow.parquet as pq
import pytest

from comparators import output
from comparators.errors import OutputExists
from tests.engine_run import compare_without_prefect


def test_writes_report_tables_and_signature(tmp_path, options):
    comparison = compare_without_prefect(tmp_path / "corpus", options)
    folder = output.write_output(comparison, tmp_path / "out")
    assert (folder / "report.html").is_file() and (folder / "run.json").is_file()
    for table in output.TABLE_FILES:
        metadata = pq.read_schema(folder / "data" / f"{table}.parquet").metadata
        assert metadata[b"parallax:signature"].decode() == str(comparison.signature)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no staging folder left behind"


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


def test_refuses_to_replace_a_folder_that_is_not_an_output(tmp_path, options):
    comparison = compare_without_prefect(tmp_path / "corpus", options)
    precious = tmp_path / "thesis"
    precious.mkdir()
    (precious / "chapter1.tex").write_text("years of work")
    with pytest.raises(OutputExists):
        output.write_output(comparison, precious)
    assert (precious / "chapter1.tex").read_text() == "years of work"


def test_a_rebuilt_translation_cache_is_among_the_run_warnings(tmp_path, options, parallax_home):
    from comparators.translation_cache import FILE_NAME, CacheCorruptWarning

    (parallax_home / FILE_NAME).write_bytes(b"this is not a database" * 100)
    with pytest.warns(CacheCorruptWarning):
        comparison = compare_without_prefect(tmp_path / "corpus", options)
    assert any("starting a new one" in warning for warning in comparison.warnings())
