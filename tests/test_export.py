"""parallax export: complete runs of several events into one Frictionless data package that validates, joins
across runs, carries its provenance, and never overwrites or exports what it should not."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path
from types import SimpleNamespace

import frictionless
import pandas
import polars as pl
import pyarrow.parquet as pq
import pytest

from comparators.version import pipeline_version
from comparators.corpus import load_event
from comparators.data_dictionary import COMMAND, render_data_dictionary
from comparators.datapackage import EXPORTED_TABLES, PROVENANCE, PUBLISHERS_COPYRIGHT
from comparators.errors import OutputExists, RunIncomplete, RunNotFound
from comparators.export import export_dataset
from comparators.options import load_options
from comparators.output import TABLE_FILES
from flows.cli import main

from .conftest import files_limited_to
from ._export_helpers import ntrex_documents, paragraphs, write_corpus, write_run
from ._serve_helpers import small_event
from .engine_run import write_small_corpus

REPO = Path(__file__).resolve().parents[1]


# Where the Welsh corpus says its coverage came from, as `parallax collect` reads it.
SOURCES = """
[[sources]]
type = "feed"
url = "https://alpha.example/rss.xml"

[[sources]]
type = "gdelt"
keywords = { es = ["asamblea galesa", "diputados"], en = ["Welsh assembly"] }
"""


@pytest.fixture(scope="module")
def runs(tmp_path_factory, shared_dir):
    """Two runs of one event (welsh-names, CC BY-SA) and one run of another (second-story, no licence). Both
    events hold the same Alpha Wire article."""
    root = tmp_path_factory.mktemp("export")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PARALLAX_HOME", str(root / "home"))
        options = load_options(None)
        first, second = ntrex_documents(shared_dir, 2)
        english, spanish, other = first["sentences"]["eng"], first["sentences"]["spa"], second["sentences"]["eng"]
        shared = {"id": "alpha-1", "outlet": "Alpha Wire", "language": "en", "title": english[0],
                  "text": paragraphs(english)}
        welsh = write_corpus(root / "welsh-names", "Welsh assembly names", [
            shared,
            {"id": "beta-1", "outlet": "Beta Daily", "language": "en", "text": paragraphs(english[:8])},
            {"id": "gamma-1", "outlet": "Gamma Diario", "language": "es", "text": paragraphs(spanish)},
        ], license="CC-BY-SA-4.0", sources=SOURCES)
        story = write_corpus(root / "second-story", "A second story", [
            shared,
            {"id": "alpha-2", "outlet": "Alpha Wire", "language": "en", "text": paragraphs(other)},
            {"id": "delta-1", "outlet": "Delta News", "language": "en", "text": paragraphs(other[:6])},
        ])
        paths = {name: root / "runs" / name for name in ("a1", "a2", "b")}
        records = {"a1": write_run(welsh, paths["a1"], options), "a2": write_run(welsh, paths["a2"], options),
                   "b": write_run(story, paths["b"], options)}
    return SimpleNamespace(root=root, options=options, welsh=welsh, story=story, paths=paths, records=records)


@pytest.fixture(scope="module")
def datasets(runs):
    """The three runs exported in every format: format -> (folder, summary)."""
    exported = {}
    for format in ("parquet", "csv", "jsonl"):
        folder = runs.root / "datasets" / format
        exported[format] = folder, export_dataset(list(runs.paths.values()), to=folder, format=format,
                                                  options=runs.options)
    return exported


def read_table(datasets, table: str) -> pl.DataFrame:
    return pl.read_parquet(datasets["parquet"][0] / "data" / f"{table}.parquet")


@pytest.mark.parametrize("format", ["csv", "jsonl", "parquet"])
def test_dataset_passes_frictionless_validation(format, datasets):
    folder, summary = datasets[format]
    report = frictionless.validate(folder / "datapackage.json")
    assert report.valid, report.flatten(["type", "note"])[:5]
    assert {task.name: task.stats["rows"] for task in report.tasks} == summary.rows
    assert all(summary.rows[table] > 0 for table in EXPORTED_TABLES), summary.rows


def test_parquet_list_cells_hold_the_same_outlets_as_the_csv(datasets):
    csv_outlets = pl.read_csv(datasets["csv"][0] / "data" / "claims.csv")["outlets"].to_list()
    assert read_table(datasets, "claims")["outlets"].to_list() == [json.loads(cell) for cell in csv_outlets]


def test_declared_foreign_keys_are_enforced_by_the_validator(datasets, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(datasets["csv"][0], broken)
    articles = broken / "data" / "articles.csv"
    articles.write_bytes(pl.read_csv(articles).filter(pl.col("article_id") != "beta-1").write_csv().encode())
    report = frictionless.validate(broken / "datapackage.json")
    assert {(task.name, error.type) for task in report.tasks for error in task.errors} == {
        ("passages", "foreign-key")}


def test_every_field_has_a_type_and_a_description_and_every_table_a_primary_key_the_validator_enforces(
        datasets, tmp_path):
    package = json.loads((datasets["csv"][0] / "datapackage.json").read_text(encoding="utf-8"))
    schemas = {resource["name"]: resource["schema"] for resource in package["resources"]}
    assert list(schemas) == list(EXPORTED_TABLES)
    for table, schema in schemas.items():
        assert schema["primaryKey"], table
        assert [field["name"] for field in schema["fields"] if not field.get("type")
                or not field.get("description", "").strip()] == [], table
    assert {field["name"] for field in schemas["alignments"]["fields"]} >= {"passage_a", "passage_b", "score"}
    broken = tmp_path / "broken"
    shutil.copytree(datasets["csv"][0], broken)
    claims = broken / "data" / "claims.csv"
    table = pl.read_csv(claims)
    claims.write_bytes(pl.concat([table, table.head(1)]).write_csv().encode())
    report = frictionless.validate(broken / "datapackage.json")
    assert {(task.name, error.type) for task in report.tasks for error in task.errors} == {("claims", "primary-key")}


def test_same_texts_have_the_same_ids_across_runs_and_events(datasets, runs):
    passages, articles = read_table(datasets, "passages"), read_table(datasets, "articles")
    run_ids = {name: record["run_id"] for name, record in runs.records.items()}
    ids = {name: set(passages.filter(pl.col("run_id") == run_id)["passage_id"]) for name, run_id in run_ids.items()}
    assert ids["a1"] == ids["a2"] and len(ids["a1"]) == runs.records["a1"]["counts"]["passages"]

    shared = articles.filter(pl.col("article_id") == "alpha-1")
    assert shared["event"].to_list() == ["welsh-names", "welsh-names", "second-story"]
    assert shared["digest"].n_unique() == 1

    in_welsh = passages.filter((pl.col("run_id") == run_ids["a1"]) & (pl.col("article_id") == "alpha-1"))
    in_story = passages.filter(pl.col("run_id") == run_ids["b"])
    joined = in_welsh.join(in_story, on="passage_id", suffix="_story")
    assert joined.height == in_welsh.height == shared["n_passages"][0] > 0
    assert joined["text"].to_list() == joined["text_story"].to_list()
    assert ids["b"] - ids["a1"], "the second event's own articles have passages of their own"

    coverage, claims = read_table(datasets, "coverage"), read_table(datasets, "claims")
    assert coverage.join(claims, on=["run_id", "claim_id"]).height == coverage.height


def test_provenance_is_in_the_package_and_the_parquet_metadata(datasets, runs):
    folder, _ = datasets["parquet"]
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    provenance = package["parallax"]
    assert provenance["version"] == pipeline_version() and provenance["format"] == "parquet"
    by_run = {run["run_id"]: run for run in provenance["runs"]}
    assert list(by_run) == [runs.records[name]["run_id"] for name in ("a1", "a2", "b")]

    record = runs.records["a1"]
    run = by_run[record["run_id"]]
    assert list(run) == list(PROVENANCE)
    assert (run["event"], run["started_at"], run["finished_at"]) == (
        "welsh-names", record["started_at"], record["finished_at"])
    assert run["parallax_version"] == pipeline_version() and run["signature"] == record["signature"]
    assert any("passage(s) in 'es' not translated" in warning for warning in run["warnings"]), run["warnings"]
    digest = load_event(runs.welsh, options=runs.options).digest()
    assert run["corpus_digest"] == f"sha256:{digest[:16]}"
    assert run["scorer"] == f"rapidfuzz-{version('rapidfuzz')}+text{runs.options.align.keyword_prefix}"
    assert (run["thresholds"]["match"], run["thresholds"]["partial"]) == (runs.options.align.match,
                                                                          runs.options.align.partial)
    assert run["options"] == runs.options.shaping_results() and run["options"]["align"]["match"] == \
        runs.options.align.match
    languages = pl.read_parquet(runs.paths["a1"] / "data" / "passages.parquet")["language"].value_counts()
    counts = dict(languages.iter_rows())
    assert run["translation"] == [
        {"pair": "en-en", "engine": "identity", "model": "identity", "passages": counts["en"]},
        {"pair": "es-en", "engine": None, "model": None, "passages": counts["es"]},
    ]

    assert package["licenses"] == [{"name": "CC-BY-SA-4.0"}, PUBLISHERS_COPYRIGHT]
    assert package["sources"] == [
        {"title": "Welsh assembly names (event welsh-names)"},
        {"title": "Welsh assembly names: feed", "path": "https://alpha.example/rss.xml"},
        {"title": "Welsh assembly names: gdelt search (es: asamblea galesa, diputados; en: Welsh assembly)"},
        {"title": "A second story (event second-story)"},
    ]
    # Where the exporting machine kept its corpora is not the reader's business, nor of any use to them.
    assert str(runs.root) not in (folder / "datapackage.json").read_text(encoding="utf-8")
    assert run["corpus"] == {"license": "CC-BY-SA-4.0",
                             "sources": [{"type": "feed", "url": "https://alpha.example/rss.xml"},
                                         {"type": "gdelt", "keywords": {"es": ["asamblea galesa", "diputados"],
                                                                        "en": ["Welsh assembly"]}}]}
    for table in EXPORTED_TABLES:
        metadata = pl.read_parquet_metadata(folder / "data" / f"{table}.parquet")
        assert json.loads(metadata["parallax:provenance"]) == provenance
        # As docs/DATA.md tells pyarrow and pandas users to read it.
        footer = pq.read_metadata(folder / "data" / f"{table}.parquet").metadata
        assert json.loads(footer[b"parallax:provenance"]) == provenance
        assert json.loads(metadata["parallax:licenses"]) == package["licenses"]


def test_a_licence_table_in_event_toml_is_the_datasets_licence(runs, shared_dir, tmp_path):
    english = ntrex_documents(shared_dir, 1)[0]["sentences"]["eng"]
    corpus = write_corpus(tmp_path / "licensed", "Licensed", [
        {"id": "alpha-1", "outlet": "Alpha Wire", "language": "en", "text": paragraphs(english)},
        {"id": "beta-1", "outlet": "Beta Daily", "language": "en", "text": paragraphs(english[:8])},
    ])
    license = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
               "title": "Creative Commons Attribution 4.0"}
    (corpus / "event.toml").write_text('title = "Licensed"\nlicense = { name = "CC-BY-4.0", path = '
                                       '"https://creativecommons.org/licenses/by/4.0/", title = "Creative Commons '
                                       'Attribution 4.0" }\n', encoding="utf-8")
    write_run(corpus, tmp_path / "run", runs.options)
    summary = export_dataset([tmp_path / "run"], to=tmp_path / "dataset", options=runs.options)
    package = json.loads((tmp_path / "dataset" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"] == [license] and summary.warnings == []


def test_csv_keeps_awkward_text_exactly_and_offsets_slice_it_in_code_points(runs, tmp_path):
    text = ("🎉 The minister said, \"We will build 3,000 homes\" on Tuesday.\r\nPrices rose by 5%\tin the capital, "
            "officials said.\r\n\r\nThe family emoji 👨\u200d👩\u200d👧 appeared; café e\u0301 naïve.\n\n"
            "قال الوزير إننا سنبني 3000 منزل يوم الثلاثاء.\n\n"
            "=HYPERLINK(\"http://x.test\") 阅兵持续了七十分钟，𠀀𠀁 五万名士兵参加了阅兵式。")
    corpus = write_corpus(tmp_path / "awkward", "Awkward", [
        {"id": "a,\"1\"", "outlet": "The \"Quoted\", Outlet", "language": "en", "title": "One\ntwo", "text": text},
        {"id": "b-1", "outlet": "Beta Daily", "language": "en", "title": "NA",
         "text": text.replace("Tuesday", "Monday")},
        # Cells a spreadsheet would run as formulas are kept as written (docs/DATA.md, csv).
        {"id": "c-1", "outlet": "@Gamma", "language": "en", "title": "+3% in a year", "text": "-" + text},
    ])
    write_run(corpus, tmp_path / "run", runs.options)
    export_dataset([tmp_path / "run"], to=tmp_path / "dataset", format="csv", options=runs.options)

    def rows(table):
        with open(tmp_path / "dataset" / "data" / f"{table}.csv", newline="", encoding="utf-8") as file:
            return list(csv.DictReader(file))

    articles = {row["article_id"]: row for row in rows("articles")}
    assert articles['a,"1"']["text"] == text and articles['a,"1"']["title"] == "One\ntwo"
    assert (articles["c-1"]["outlet"], articles["c-1"]["title"], articles["c-1"]["text"]) == (
        "@Gamma", "+3% in a year", "-" + text)
    passages = rows("passages")
    assert any(row["text"].startswith("=HYPERLINK") for row in passages)
    assert passages and all(articles[row["article_id"]]["text"][int(row["start"]):int(row["end"])] == row["text"]
                            for row in passages)
    # As docs/DATA.md tells polars users to slice: code points there too.
    joined = pl.read_csv(tmp_path / "dataset" / "data" / "passages.csv").join(
        pl.read_csv(tmp_path / "dataset" / "data" / "articles.csv").select("article_id", article="text"),
        on="article_id")
    sliced = joined.select(pl.col("article").str.slice(pl.col("start"), pl.col("end") - pl.col("start")))
    assert sliced.to_series().to_list() == joined["text"].to_list()


def test_csv_whose_texts_quote_words_between_semicolons_validates_as_comma_separated(runs, tmp_path):
    # Without a dialect in datapackage.json, frictionless guesses each file's delimiter from its first lines,
    # and these texts make it guess ';'.
    texts = ['The votes, counted: "yes"; "no"; "abstain"; "void"; "absent".',
             'Ballots, as printed: "yes"; "no"; "abstain"; "void"; "absent".',
             'Officials listed the answers, "yes"; "no"; "abstain"; "void"; "absent".']
    corpus = write_corpus(tmp_path / "votes", "Votes", [
        {"id": f"v-{index}", "outlet": f"Outlet {index}", "language": "en", "text": text}
        for index, text in enumerate(texts)])
    write_run(corpus, tmp_path / "run", runs.options)
    summary = export_dataset([tmp_path / "run"], to=tmp_path / "dataset", format="csv", options=runs.options)
    report = frictionless.validate(tmp_path / "dataset" / "datapackage.json")
    assert report.valid, report.flatten(["type", "note"])[:5]
    package = frictionless.Package(tmp_path / "dataset" / "datapackage.json")
    articles = package.get_resource("articles").read_rows()
    assert sorted(row["text"] for row in articles) == sorted(texts) and len(articles) == summary.rows["articles"]


def test_csv_read_as_docs_data_md_shows_keeps_ids_that_look_like_numbers_and_text_that_looks_like_null(
        runs, tmp_path):
    texts = ["The parade in Beijing lasted seventy minutes, officials said.",
             "Officials said the parade in Beijing lasted seventy minutes.",
             "Seventy minutes: that is how long the parade in Beijing lasted."]
    corpus = write_corpus(tmp_path / "2025", "Numbers", [
        {"id": "007", "outlet": "1864", "language": "en", "title": "NA", "text": texts[0]},
        {"id": 7, "outlet": "Beta", "language": "en", "title": "2025", "text": texts[1]},
        {"id": "0x1A", "outlet": "Gamma", "language": "en", "title": "null", "text": texts[2]},
    ])
    write_run(corpus, tmp_path / "run", runs.options)
    folder = tmp_path / "dataset"
    export_dataset([tmp_path / "run"], to=folder, format="csv", options=runs.options)
    [recipe] = re.findall(r"```python\n(.*?)```", (REPO / "docs" / "DATA.md").read_text(encoding="utf-8"), re.S)
    names = {}
    exec(recipe.replace('"DIR"', repr(str(folder))), names)
    expected = {"article_id": ["007", "7", "0x1A"], "outlet": ["1864", "Beta", "Gamma"],
                "title": ["NA", "2025", "null"], "event": ["2025"] * 3, "url": [None] * 3}
    polars_articles = names["read_polars"]("articles")
    pandas_articles = names["read_pandas"]("articles")
    for column, values in expected.items():
        assert polars_articles[column].to_list() == values, column
        assert [None if value is pandas.NA else value for value in pandas_articles[column]] == values, column
    assert polars_articles["n_passages"].dtype == pl.Int64 and str(pandas_articles["n_passages"].dtype) == "Int64"
    parquet = tmp_path / "parquet"
    export_dataset([tmp_path / "run"], to=parquet, format="parquet", options=runs.options)
    for table in EXPORTED_TABLES:  # the same values and types as the Parquet dataset's
        read = names["read_polars"](table)
        if table == "claims":
            read = read.with_columns(pl.col("outlets").str.json_decode(pl.List(pl.String)))
        assert read.equals(pl.read_parquet(parquet / "data" / f"{table}.parquet")), table


def test_jsonl_read_as_docs_data_md_says_when_a_column_is_null_for_its_first_hundred_lines(runs, shared_dir,
                                                                                            tmp_path):
    documents = ntrex_documents(shared_dir, 9)
    # Untranslated Spanish first: over 100 passages whose text_en is null, then English ones with text_en.
    spanish = [{"id": f"es-{index}", "outlet": f"Diario {index}", "language": "es",
                "text": "\n\n".join(document["sentences"]["spa"])} for index, document in enumerate(documents[:8])]
    english = {"id": "en-1", "outlet": "Wire", "language": "en", "text": paragraphs(documents[8]["sentences"]["eng"])}
    corpus = write_corpus(tmp_path / "late", "Late", [*spanish, english])
    write_run(corpus, tmp_path / "run", runs.options)
    for format in ("jsonl", "parquet"):
        export_dataset([tmp_path / "run"], to=tmp_path / format, format=format, options=runs.options)
    path = tmp_path / "jsonl" / "data" / "passages.jsonl"
    parquet = pl.read_parquet(tmp_path / "parquet" / "data" / "passages.parquet")
    assert parquet["text_en"].head(101).null_count() == 101 and parquet["text_en"].drop_nulls().len() > 0
    with pytest.raises(pl.exceptions.ComputeError, match="NULL-typed column"):
        pl.read_ndjson(path)
    # The calls docs/DATA.md gives.
    documented = (REPO / "docs" / "DATA.md").read_text(encoding="utf-8")
    [polars_call] = re.findall(r"`(pl\.read_ndjson\(path.*?)`", documented, re.S)
    [pandas_call] = re.findall(r"`(pandas\.read_json\(path.*?)`", documented, re.S)
    assert eval(polars_call, {"pl": pl, "path": path}).equals(parquet)
    frame = eval(pandas_call, {"pandas": pandas, "path": path})
    assert frame["text_en"].tolist()[-1] == parquet["text_en"][-1] and frame["start"].dtype == "int64"


def test_publication_times_written_any_iso_8601_way_export_in_one_form(runs, tmp_path):
    given = {"z": "2025-09-03T08:00Z", "basic": "20250903T1000+0200", "week": "2025-W36-3",
             "space": "2025-09-03 10:00", "day": "2025-09-03", "micro": "2025-09-03T10:00:00.250000-03:00"}
    corpus = write_corpus(tmp_path / "times", "Times", [
        {"id": name, "outlet": f"Outlet {name}", "language": "en", "published": published,
         "text": f"The parade in Beijing lasted seventy minutes, outlet {name} said."}
        for name, published in given.items()])
    write_run(corpus, tmp_path / "run", runs.options)
    export_dataset([tmp_path / "run"], to=tmp_path / "dataset", format="csv", options=runs.options)
    articles = pl.read_csv(tmp_path / "dataset" / "data" / "articles.csv")
    assert dict(articles.select("article_id", "published").iter_rows()) == {
        "z": "2025-09-03T08:00:00+00:00", "basic": "2025-09-03T10:00:00+02:00", "week": "2025-09-03",
        "space": "2025-09-03T10:00:00", "day": "2025-09-03", "micro": "2025-09-03T10:00:00.250000-03:00"}
    zoned = articles.filter(pl.col("published").str.len_chars() > 19)
    instants = zoned.select(pl.col("published").str.to_datetime(time_zone="UTC"))["published"]
    assert instants.dt.hour().to_list() == [8, 8, 13]


@pytest.mark.parametrize("format", ["csv", "jsonl", "parquet"])
def test_articles_say_when_collected_how_often_edited_and_when_removed_so_researchers_can_filter_them(
        format, runs, shared_dir, tmp_path):
    english = ntrex_documents(shared_dir, 1)[0]["sentences"]["eng"]
    collected = {"listed_url": "https://alpha.example/story", "collected_from": "sources[1] feed",
                 "warc": "warc/2025-09-05.warc.gz#urn:uuid:3", "collected_at": "2025-09-05T10:00:00+00:00"}
    corpus = write_corpus(tmp_path / "monitored", "Monitored", [
        {"id": "edited", "outlet": "Alpha Wire", "language": "en", "text": paragraphs(english), **collected,
         "first_collected_at": "2025-09-03T08:00:00+00:00",
         "earlier_versions": [{"collected_at": "2025-09-03T08:00:00+00:00", "warc": "warc/a#1", "title": "One"},
                              {"collected_at": "2025-09-04T08:00:00+00:00", "warc": "warc/b#2", "title": "Two"}]},
        {"id": "removed", "outlet": "Beta Daily", "language": "en", "text": paragraphs(english[:8]), **collected,
         "removed_on": "2025-09-06", "removed_note": "was removed from its address: on 2025-09-06 it answered "
                                                     "404 Not Found"},
        {"id": "by-hand", "outlet": "Gamma Post", "language": "en", "text": paragraphs(english[2:10])},
    ])
    write_run(corpus, tmp_path / "run", runs.options)

    export_dataset([tmp_path / "run"], to=tmp_path / "dataset", format=format, options=runs.options)

    path = tmp_path / "dataset" / "data" / f"articles.{format}"
    articles = {"csv": pl.read_csv, "jsonl": pl.read_ndjson, "parquet": pl.read_parquet}[format](path)
    columns = ("first_collected_at", "collected_at", "n_earlier_versions", "removed_on", "removed_note")
    rows = {row["article_id"]: row for row in articles.select("article_id", *columns).to_dicts()}
    assert rows["edited"] == {"article_id": "edited", "first_collected_at": "2025-09-03T08:00:00+00:00",
                              "collected_at": "2025-09-05T10:00:00+00:00", "n_earlier_versions": 2,
                              "removed_on": None, "removed_note": None}
    assert (rows["removed"]["removed_on"], rows["removed"]["n_earlier_versions"]) == ("2025-09-06", 0)
    assert "404" in rows["removed"]["removed_note"]
    assert all(rows["by-hand"][column] is None for column in columns), "not collected: nothing known, not 0"
    stealth_edited = articles.filter(pl.col("n_earlier_versions") > 0)["article_id"].to_list()
    assert stealth_edited == ["edited"]
    report = frictionless.validate(tmp_path / "dataset" / "datapackage.json")
    assert report.valid, report.flatten(["type", "note"])[:5]


def test_a_removal_seen_since_the_last_run_changes_the_corpus_digest_so_its_tables_are_not_reused(runs, tmp_path):
    article = {"id": "alpha-1", "outlet": "Alpha Wire", "language": "en", "text": "The parade lasted an hour.",
               "collected_at": "2025-09-05T10:00:00+00:00"}
    before = load_event(write_corpus(tmp_path / "before", "E", [article]), options=runs.options).digest()
    removed = dict(article, removed_on="2025-09-06", removed_note="was removed from its address")
    after = load_event(write_corpus(tmp_path / "after", "E", [removed]), options=runs.options).digest()
    assert before != after


def test_a_removal_noted_before_removed_on_was_written_still_gives_its_day(runs, tmp_path):
    noted = {"id": "alpha-1", "outlet": "Alpha Wire", "language": "en", "text": "The parade lasted an hour.",
             "collected_at": "2025-09-05T10:00:00+00:00",
             "removed_note": "was removed from its address: on 2025-09-06 it answered HTTP 404 Not Found"}
    [article] = load_event(write_corpus(tmp_path / "noted", "E", [noted]), options=runs.options).articles
    assert (article.removed_on, article.earlier_versions) == ("2025-09-06", 0)


def test_folders_with_spaces_accents_and_brackets_export_and_name_the_package_in_ascii(runs, shared_dir, tmp_path):
    english = ntrex_documents(shared_dir, 1)[0]["sentences"]["eng"]
    corpus = write_corpus(tmp_path / "córpora x" / "Désfile Pekín 2025", "Desfile", [
        {"id": "alpha-1", "outlet": "Alpha Wire", "language": "en", "text": paragraphs(english)},
        {"id": "beta-1", "outlet": "Beta Daily", "language": "en", "text": paragraphs(english[:8])},
    ])
    run = tmp_path / "out put [v2] *?" / "désfile"  # polars would read '[', '*' and '?' as a pattern
    write_run(corpus, run, runs.options)
    folder = tmp_path / "data sets ü"
    assert main(["export", str(run), "--to", str(folder), "--format", "csv"]) == 0
    report = frictionless.validate(folder / "datapackage.json")
    assert report.valid, report.flatten(["type", "note"])[:5]
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert package["name"] == "parallax-desfile-pekin-2025" and package["sources"] == [
        {"title": "Desfile (event Désfile Pekín 2025)"}]
    assert set(pl.read_csv(folder / "data" / "articles.csv")["event"]) == {"Désfile Pekín 2025"}


def test_an_article_an_outlet_repeats_word_for_word_is_skipped_and_keys_stay_unique(runs, shared_dir, tmp_path):
    english = ntrex_documents(shared_dir, 1)[0]["sentences"]["eng"]
    article = {"id": "alpha-1", "outlet": "Alpha Wire", "language": "en", "text": paragraphs(english)}
    corpus = write_corpus(tmp_path / "repeats", "Repeats", [
        article, dict(article, id="alpha-1-mirror"),
        {"id": "beta-1", "outlet": "Beta Daily", "language": "en", "text": paragraphs(english[:8])},
    ])
    record = write_run(corpus, tmp_path / "run", runs.options)
    assert any("'alpha-1-mirror' repeats article 'alpha-1' of Alpha Wire" in note for note in record["warnings"])

    export_dataset([tmp_path / "run"], to=tmp_path / "dataset", format="csv", options=runs.options)
    report = frictionless.validate(tmp_path / "dataset" / "datapackage.json")
    assert report.valid, report.flatten(["type", "note"])[:5]
    articles = pl.read_csv(tmp_path / "dataset" / "data" / "articles.csv")
    assert sorted(articles["article_id"]) == ["alpha-1", "beta-1"]


@pytest.mark.parametrize("status, word", [(None, "unfinished"), ("running", "unfinished"), ("failed", "failed")])
def test_unfinished_or_failed_run_is_refused(status, word, runs, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(runs.paths["a1"], run)
    record = dict(runs.records["a1"], status=status, error="translation crashed")
    if status is None:
        (run / "run.json").unlink()
    else:
        (run / "run.json").write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(RunIncomplete, match=f"is {word}") as caught:
        export_dataset([runs.paths["b"], run], to=tmp_path / "dataset", options=runs.options)
    assert str(run) in str(caught.value)
    assert (status != "failed") or "translation crashed" in str(caught.value)
    assert not (tmp_path / "dataset").exists()


@pytest.mark.parametrize("table", ["passages", "alignments"])
def test_run_whose_table_is_damaged_past_the_footer_is_refused_by_name(table, runs, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(runs.paths["a1"], run)
    damaged = run / "data" / f"{table}.parquet"
    footer = pq.read_metadata(damaged).serialized_size
    data = bytearray(damaged.read_bytes())
    for index in range(8, len(data) - footer - 100):  # the data pages; the footer still reads
        data[index] ^= 0x5A
    damaged.write_bytes(data)
    with pytest.raises(RunIncomplete, match=f"run {runs.records['a1']['run_id']} is damaged: {damaged} cannot be "
                                            f"read"):
        export_dataset([runs.paths["b"], run], to=tmp_path / "dataset", options=runs.options)
    assert not (tmp_path / "dataset").exists()


@pytest.mark.parametrize("format", ["csv", "parquet"])
def test_a_refused_write_says_so_in_one_line_and_keeps_the_previous_dataset(format, runs, tmp_path, capsys):
    folder = tmp_path / "dataset"
    export_dataset([runs.paths["a1"]], to=folder, format=format, options=runs.options)
    before = (folder / "datapackage.json").read_text(encoding="utf-8")
    with files_limited_to(2048):
        status = main(["export", str(runs.paths["b"]), "--to", str(folder), "--format", format, "--force"])
    err = capsys.readouterr().err
    assert status == 1 and err.count("\n") == 1, err
    assert err.startswith(f"parallax: could not write {folder / 'data'}") and "is damaged" not in err, err
    assert (folder / "datapackage.json").read_text(encoding="utf-8") == before
    assert [path.name for path in tmp_path.iterdir()] == ["dataset"], "no staging folder is left behind"


def test_the_folder_you_are_in_is_not_replaced_from_inside(runs, tmp_path, monkeypatch):
    # Replacing it renames it away: the shell would be left in a deleted folder, its `ls` empty.
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    with pytest.raises(OutputExists, match="is the folder you are in") as error:
        export_dataset([runs.paths["a1"]], to=".", options=runs.options)
    assert "./dataset" in error.value.hint and not any(empty.iterdir())
    summary = export_dataset([runs.paths["a1"]], to="dataset", options=runs.options)
    assert (summary.folder / "datapackage.json").is_file() and os.path.samefile(os.getcwd(), empty)

    monkeypatch.chdir(summary.folder / "data")  # inside an earlier dataset: replacing it, even with --force
    before = (summary.folder / "datapackage.json").read_text(encoding="utf-8")
    with pytest.raises(OutputExists, match="is the folder you are in"):
        export_dataset([runs.paths["b"]], to="..", force=True, options=runs.options)
    assert (summary.folder / "datapackage.json").read_text(encoding="utf-8") == before


def test_a_link_to_a_dataset_is_written_through_and_kept(runs, tmp_path):
    real = tmp_path / "datasets" / "2025-09"
    export_dataset([runs.paths["a1"]], to=real, format="csv", options=runs.options)
    link = tmp_path / "current"
    link.symlink_to(real, target_is_directory=True)
    export_dataset([runs.paths["b"]], to=link, format="jsonl", force=True, options=runs.options)
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert (real / "data" / "passages.jsonl").is_file() and not (real / "data" / "passages.csv").exists()
    assert [path.name for path in (tmp_path / "datasets").iterdir()] == ["2025-09"], "nothing left beside it"


def test_existing_dataset_is_replaced_only_with_force(runs, tmp_path):
    folder = tmp_path / "dataset"
    export_dataset([runs.paths["a1"]], to=folder, format="csv", options=runs.options)
    before = (folder / "datapackage.json").read_text(encoding="utf-8")
    with pytest.raises(OutputExists, match="not overwriting"):
        export_dataset([runs.paths["b"]], to=folder, format="csv", options=runs.options)
    assert (folder / "datapackage.json").read_text(encoding="utf-8") == before

    export_dataset([runs.paths["b"]], to=folder, format="jsonl", force=True, options=runs.options)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert [run["run_id"] for run in package["parallax"]["runs"]] == [runs.records["b"]["run_id"]]
    assert sorted(path.name for path in (folder / "data").iterdir()) == sorted(
        f"{table}.jsonl" for table in EXPORTED_TABLES)
    assert [path.name for path in tmp_path.iterdir()] == ["dataset"], "no staging folder is left behind"


def test_a_run_or_a_dataset_a_killed_writer_had_set_aside_is_put_back(runs, tmp_path):
    ended = subprocess.Popen([sys.executable, "-c", ""])
    ended.wait(timeout=60)
    # `parallax compare` killed between its two renames: only the run it was replacing, set aside, is left.
    run = tmp_path / "run"
    shutil.copytree(runs.paths["a1"], tmp_path / f".run.old-{ended.pid}")
    folder = tmp_path / "dataset"
    summary = export_dataset([run], to=folder, options=runs.options)
    assert summary.runs == [("welsh-names", runs.records["a1"]["run_id"])]

    # An export killed the same way: the dataset comes back, and is replaced only with --force, as ever.
    os.rename(folder, tmp_path / f".dataset.old-{ended.pid}")
    with pytest.raises(OutputExists, match="not overwriting"):
        export_dataset([runs.paths["b"]], to=folder, options=runs.options)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["dataset", "run"]


def test_force_never_replaces_a_folder_that_is_not_a_dataset(runs, tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "thesis.md").write_text("three years of work", encoding="utf-8")
    with pytest.raises(OutputExists, match="not a Parallax dataset"):
        export_dataset([runs.paths["a1"]], to=notes, force=True, options=runs.options)
    assert (notes / "thesis.md").read_text(encoding="utf-8") == "three years of work"


def test_event_folder_gives_its_latest_run_or_every_complete_run(runs, tmp_path):
    event = tmp_path / "reports" / "welsh-names"
    for name in ("a1", "a2"):
        shutil.copytree(runs.paths[name], event / runs.records[name]["run_id"])
    running = event / "29990101T000000Z-abcdef"
    shutil.copytree(runs.paths["a1"], running)
    (running / "run.json").write_text(json.dumps(dict(runs.records["a1"], status="running",
                                                      run_id=running.name)), encoding="utf-8")

    with pytest.raises(RunIncomplete, match="latest is missing"):
        export_dataset([event], to=tmp_path / "none", options=runs.options)
    (event / "latest").symlink_to(runs.records["a2"]["run_id"])
    latest = export_dataset([event], to=tmp_path / "latest", options=runs.options)
    assert latest.runs == [("welsh-names", runs.records["a2"]["run_id"])] and latest.skipped == []

    every = export_dataset([event], to=tmp_path / "all", all_runs=True, options=runs.options)
    assert {run_id for _, run_id in every.runs} == {runs.records[name]["run_id"] for name in ("a1", "a2")}
    assert len(every.skipped) == 1 and f"{running.name} is unfinished" in every.skipped[0]

    # A dataset kept beside the runs is neither a run nor an unfinished one.
    export_dataset([event], to=event / "dataset", all_runs=True, options=runs.options)
    again = export_dataset([event], to=event / "dataset", all_runs=True, force=True, options=runs.options)
    assert again.runs == every.runs and again.skipped == every.skipped


def test_column_an_older_run_lacks_is_exported_empty_with_a_warning(runs, tmp_path):
    old = tmp_path / "old-run"
    shutil.copytree(runs.paths["a1"], old)
    alignments = old / "data" / "alignments.parquet"
    pl.read_parquet(alignments).drop("verdict").write_parquet(alignments)
    articles = old / "data" / "articles.parquet"
    before_rechecks = ["first_collected_at", "collected_at", "n_earlier_versions", "removed_on", "removed_note"]
    pl.read_parquet(articles).drop(before_rechecks).write_parquet(articles)
    summary = export_dataset([old], to=tmp_path / "dataset", options=runs.options)
    assert any("alignments has no column verdict" in warning for warning in summary.warnings), summary.warnings
    verdicts = pl.read_parquet(tmp_path / "dataset" / "data" / "alignments.parquet")["verdict"]
    assert verdicts.len() == runs.records["a1"]["counts"]["alignments"] > 0 and verdicts.null_count() == verdicts.len()
    assert any(f"articles has no column {', '.join(before_rechecks)}" in warning for warning in summary.warnings)
    exported = pl.read_parquet(tmp_path / "dataset" / "data" / "articles.parquet")
    assert exported.height == 3 and exported.select(before_rechecks).null_count().sum_horizontal().item() == 3 * 5


def test_cli_exports_and_refuses_in_one_line(runs, tmp_path, capsys):
    folder = tmp_path / "dataset"
    assert main(["export", str(runs.paths["a1"]), str(runs.paths["b"]), "--to", str(folder), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "2 run(s) of 2 event(s)" in out and str(folder / "datapackage.json") in out

    assert main(["export", str(runs.paths["a1"]), "--to", str(folder)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("parallax: ") and "--force" in err


@pytest.mark.parametrize("setting, refusal", [
    ('format = "xml"', "unknown export format 'xml'"),
    ('parquet_compression = "zip"', "unknown [export] parquet_compression 'zip'"),
])
def test_serve_refuses_an_export_setting_that_is_none_before_any_run(setting, refusal, tmp_path):
    small_event(tmp_path / "corpora" / "alpha", outlets=1, interval=3600)
    (tmp_path / "mine.toml").write_text(f"[export]\n{setting}\n", encoding="utf-8")
    # No Prefect server answers here: the setting is refused before anything would need one.
    done = subprocess.run([sys.executable, "-m", "flows.cli", "--config", str(tmp_path / "mine.toml"), "serve",
                           "--corpora", str(tmp_path / "corpora"), "--reports", str(tmp_path / "reports"), "--once"],
                          cwd=REPO, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PREFECT_API_URL": "http://127.0.0.1:9/api"})
    assert done.returncode == 1 and len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith(f"parallax: {refusal} — use one of ")
    assert not (tmp_path / "reports").exists()


def test_data_dictionary_is_generated_from_the_schema():
    assert set(EXPORTED_TABLES) == set(TABLE_FILES), "every table a run writes has keys in comparators/schema.py"
    written = (REPO / "docs" / "DATA.md").read_text(encoding="utf-8")
    assert written == render_data_dictionary(), f"docs/DATA.md is out of date; regenerate it: {COMMAND}"


def test_docs_data_md_installs_the_frictionless_the_tests_validate_every_format_with():
    test_extra = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"]["test"]
    [frictionless_requirement] = [requirement for requirement in test_extra if requirement.startswith("frictionless")]
    installed = re.match(r"[\w\[\],-]+", frictionless_requirement).group()
    assert f'pip install "{installed}"' in (REPO / "docs" / "DATA.md").read_text(encoding="utf-8")


def test_fields_a_parquet_package_types_otherwise_are_named_in_docs_data_md(datasets):
    def types(format):
        package = json.loads((datasets[format][0] / "datapackage.json").read_text(encoding="utf-8"))
        return {(resource["name"], field["name"]): field["type"]
                for resource in package["resources"] for field in resource["schema"]["fields"]}

    csv_types, parquet_types = types("csv"), types("parquet")
    differing = {key: parquet_types[key] for key in csv_types if parquet_types[key] != csv_types[key]}
    assert differing, "claims.outlets is an array in csv, any in parquet"
    [parquet_paragraph] = re.findall(r"^- \*\*parquet\*\*:.*?(?=^- )",
                                     (REPO / "docs" / "DATA.md").read_text(encoding="utf-8"), re.S | re.M)
    for (table, name), type in differing.items():
        assert re.search(rf"`{table}\.{name}`[^.]*declared `{type}`", parquet_paragraph), (table, name)


def test_package_names_of_events_in_other_scripts_tell_them_apart():
    from comparators.datapackage import package_name

    parade, summit = package_name("parallax-阅兵式-2025"), package_name("parallax-峰会-2025")
    assert parade != summit
    for name in (parade, summit):
        assert re.fullmatch(r"parallax-2025-[0-9a-f]{8}", name), name
    assert package_name("parallax-阅兵式-2025") == parade, "the same event, the same name"
    assert package_name("parallax-Désfile Pekín 2025") == "parallax-desfile-pekin-2025"


def test_force_never_replaces_a_dataset_holding_another(runs, tmp_path):
    datasets = tmp_path / "datasets"
    export_dataset([runs.paths["a1"]], to=datasets, format="csv", options=runs.options)
    export_dataset([runs.paths["b"]], to=datasets / "b", format="csv", options=runs.options)
    with pytest.raises(OutputExists, match=r"holding other outputs \(.*datasets/b\)"):
        export_dataset([runs.paths["a1"]], to=datasets, format="csv", force=True, options=runs.options)
    assert (datasets / "b" / "datapackage.json").is_file()


def test_a_missing_folder_or_an_event_corpus_is_named_as_such(runs, tmp_path):
    with pytest.raises(RunNotFound, match=r"nowhere does not exist$"):
        export_dataset([tmp_path / "nowhere"], to=tmp_path / "dataset", options=runs.options)
    corpus = write_small_corpus(tmp_path / "parade")
    with pytest.raises(RunNotFound, match=r"parade is an event corpus, not a run$") as error:
        export_dataset([corpus], to=tmp_path / "dataset", options=runs.options)
    assert error.value.hint.startswith(f"compare it first (parallax compare {corpus} --out reports/parade)")
    assert not (tmp_path / "dataset").exists()
