"""How long `parallax export` takes on runs of up to 1,000,000 passages, and how much memory it needs, against
an eager export that builds the same tables in memory before writing them.

Each run is synthesized in chunks (its generator never holds more than one chunk), then, each in a fresh
process, side by side:
  streaming   comparators.export.export_dataset: lazy frames sunk into the dataset's files
  read-ahead  the same with [export] row_group_prefetch = 0, polars' default read-ahead
  eager       the same lazy frames collected into memory, then written
  imports     Python, polars and the engine loading: the floor under every peak
Peak memory is the process's peak resident set (VmHWM). Streaming memory should not grow with the run.

Usage: .venv/bin/python bench/export_benchmark.py [--passages 250000,1000000] [--formats parquet,csv]
                                                  [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
import polars as pl  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from comparators.output import TABLE_FILES  # noqa: E402
from comparators.schema import TABLES  # noqa: E402

PASSAGES_PER_ARTICLE = 20
PASSAGES_PER_CLAIM = 4
OUTLETS = [f"Outlet {number:02d}" for number in range(40)]
LANGUAGES = ["en", "es", "fr", "de", "pt", "it", "ca", "zh"]
CHUNK_ARTICLES = 2_500  # 50,000 passages a chunk; a multiple of PASSAGES_PER_CLAIM, so claims stay in a chunk


def synthesize_run(folder: Path, passages: int, seed: int = 0) -> None:
    """A complete run folder with `passages` passages (of ~200 characters), 1/20 as many articles, 1/4 as many
    claims, 8 coverage rows and 3 alignments per claim, written chunk by chunk."""
    generator = np.random.default_rng(seed)
    vocabulary = np.array(generator.integers(97, 123, size=(2_000, 7)).astype(np.uint8).view("S7").ravel()
                          .astype(str))
    (folder / "data").mkdir(parents=True)
    writers: dict[str, pq.ParquetWriter] = {}
    articles = passages // PASSAGES_PER_ARTICLE
    for first in range(0, articles, CHUNK_ARTICLES):
        for table, frame in _chunk(first, min(CHUNK_ARTICLES, articles - first), vocabulary, generator).items():
            arrow = frame.to_arrow()
            if table not in writers:
                writers[table] = pq.ParquetWriter(folder / "data" / f"{table}.parquet", arrow.schema)
            writers[table].write_table(arrow)
    for writer in writers.values():
        writer.close()
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    (folder / "run.json").write_text(json.dumps({
        "status": "complete", "run_id": "bench-" + now, "started_at": now, "finished_at": now,
        "event": "synthetic", "title": "Synthetic event", "signature": "parallax:bench",
        "components": {"parallax": "bench", "align": "bench+match=80+partial=60", "corpus": "sha256:bench"},
        "corpus": {"path": None, "license": None},
    }), encoding="utf-8")


def _chunk(first: int, count: int, vocabulary, generator) -> dict[str, pl.DataFrame]:
    passage_count = count * PASSAGES_PER_ARTICLE
    words = vocabulary[generator.integers(0, len(vocabulary), size=(passage_count, 25))]
    texts = [" ".join(row) + "." for row in words]
    article_numbers = np.arange(first, first + count)
    outlets = [OUTLETS[number % len(OUTLETS)] for number in article_numbers]
    languages = [LANGUAGES[number % len(LANGUAGES)] for number in article_numbers]
    article_texts, starts, ends = [], [], []
    for index in range(count):
        own = texts[index * PASSAGES_PER_ARTICLE:(index + 1) * PASSAGES_PER_ARTICLE]
        offset = 0
        for text in own:
            starts.append(offset)
            ends.append(offset + len(text))
            offset += len(text) + 2
        article_texts.append("\n\n".join(own))
    passage_numbers = np.arange(first * PASSAGES_PER_ARTICLE, first * PASSAGES_PER_ARTICLE + passage_count)
    passage_ids = [f"p{number:016x}" for number in passage_numbers]
    article_ids = [f"a{number}" for number in article_numbers]
    of_article = np.repeat(np.arange(count), PASSAGES_PER_ARTICLE)
    # A claim joins the passages at one position of 4 consecutive articles, from 4 outlets.
    positions = np.tile(np.arange(PASSAGES_PER_ARTICLE), count)
    claim_numbers = (article_numbers[of_article] // PASSAGES_PER_CLAIM) * PASSAGES_PER_ARTICLE + positions
    claim_ids = [f"c{number:010x}" for number in claim_numbers]
    untranslated = [languages[article] == "zh" for article in of_article]
    frames = {
        "articles": pl.DataFrame({
            "article_id": article_ids, "outlet": outlets, "language": languages,
            "language_source": ["declared"] * count, "declared_language": languages,
            "title": [text[:60] for text in article_texts], "url": [f"https://example.org/{a}" for a in article_ids],
            "published": ["2025-09-03T08:00:00Z"] * count, "digest": [f"{number:064x}" for number in article_numbers],
            "n_passages": [PASSAGES_PER_ARTICLE] * count, "text": article_texts}),
        "passages": pl.DataFrame({
            "passage_id": passage_ids, "article_id": [article_ids[a] for a in of_article],
            "outlet": [outlets[a] for a in of_article], "language": [languages[a] for a in of_article],
            "position": positions, "start": starts, "end": ends,
            "text": texts, "text_en": [None if skip else text for text, skip in zip(texts, untranslated)],
            "engine": [None if skip else "apertium" for skip in untranslated],
            "model": [None if skip else "apertium-bench" for skip in untranslated],
            "claim_id": [None if skip else claim for claim, skip in zip(claim_ids, untranslated)]}),
    }
    claims = frames["passages"].group_by("claim_id", maintain_order=True).agg(
        pl.col("text_en").first(), pl.col("outlet").unique().sort().alias("outlets")).drop_nulls("claim_id")
    frames["claims"] = claims.with_columns(pl.col("outlets").list.len().cast(pl.Int64).alias("n_outlets"))
    present = claims.explode("outlets").rename({"outlets": "outlet"})
    absent = claims.select("claim_id", pl.lit(OUTLETS[:4]).alias("outlet")).explode("outlet")
    frames["coverage"] = pl.concat([
        present.select("claim_id", "outlet", pl.lit("included").alias("status"), pl.lit(100.0).alias("score"),
                       pl.lit(None, pl.String).alias("passage_id")),
        absent.select("claim_id", "outlet", pl.lit("omitted").alias("status"), pl.lit(None, pl.Float64).alias("score"),
                      pl.lit(None, pl.String).alias("passage_id")),
    ]).unique(["claim_id", "outlet"], keep="first", maintain_order=True)
    pairs = frames["passages"].drop_nulls("claim_id").select("passage_id", "outlet", "claim_id")
    frames["alignments"] = pairs.join(pairs, on="claim_id", suffix="_b").filter(
        pl.col("passage_id") < pl.col("passage_id_b")).select(
        pl.col("passage_id").alias("passage_a"), pl.col("passage_id_b").alias("passage_b"),
        pl.col("outlet").alias("outlet_a"), pl.col("outlet_b"), pl.lit(90.0).alias("score"),
        pl.lit("match").alias("verdict"))
    return {table: frames[table].select(  # columns the synthesizer does not know stay empty
        pl.col(column.name).cast(column.dtype) if column.name in frames[table].columns
        else pl.lit(None, column.dtype).alias(column.name) for column in TABLES[table]) for table in TABLE_FILES}


def eager_export(run: Path, to: Path, format: str) -> None:
    """The same tables as export_dataset, collected into memory and then written (datapackage.json left out)."""
    from comparators.export import complete_run, dataset_tables, lists_as_json

    (to / "data").mkdir(parents=True)
    for table, frame in dataset_tables([complete_run(run)], []).items():
        if format == "parquet":
            frame.collect().write_parquet(to / "data" / f"{table}.parquet")
        else:
            lists_as_json(frame).collect().write_csv(to / "data" / f"{table}.csv")


def child(mode: str, run: Path, to: Path, format: str) -> None:
    """Runs in its own process; prints seconds and peak memory as JSON."""
    from comparators.export import export_dataset
    from comparators.options import load_options

    options = load_options(None)
    start = time.perf_counter()
    if mode == "streaming":
        export_dataset([run], to=to, format=format, options=options)
    elif mode == "read-ahead":
        export_dataset([run], to=to, format=format,
                       options=options.with_overrides({"export": {"row_group_prefetch": 0}}))
    elif mode == "eager":
        eager_export(run, to, format)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "peak_mib": peak_rss_mib()}))


def peak_rss_mib() -> float:
    """This process's peak resident set. Not ru_maxrss: Linux carries that over from the parent through fork and
    exec, so a child would report at least the generator's peak."""
    status = Path("/proc/self/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1]) / 1024


def measure(mode: str, run: Path, to: Path, format: str) -> dict:
    shutil.rmtree(to, ignore_errors=True)
    result = subprocess.run([sys.executable, __file__, "--child", mode, str(run), str(to), format],
                            check=True, capture_output=True, text=True, cwd=REPO)
    return json.loads(result.stdout.splitlines()[-1])


def folder_mib(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 2**20


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]), sys.argv[5])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passages", default="250000,1000000", help="run sizes, comma separated")
    parser.add_argument("--formats", default="parquet,csv")
    parser.add_argument("--keep", metavar="DIR", help="write the runs and datasets here and keep them")
    args = parser.parse_args()
    scratch = Path(args.keep or tempfile.mkdtemp(prefix="export-bench-"))
    os.environ.setdefault("PARALLAX_HOME", str(scratch / "home"))
    modes = ("streaming", "read-ahead", "eager")
    results = {}
    try:
        for passages in [int(size) for size in args.passages.split(",")]:
            run = scratch / f"run-{passages}"
            start = time.perf_counter()
            shutil.rmtree(run, ignore_errors=True)
            synthesize_run(run, passages)
            rows = {table: pq.ParquetFile(run / "data" / f"{table}.parquet").metadata.num_rows
                    for table in TABLE_FILES}
            print(f"run of {passages:,} passages synthesized in {time.perf_counter() - start:.0f} s: "
                  f"{folder_mib(run / 'data'):,.0f} MiB of parquet, "
                  + ", ".join(f"{table} {count:,}" for table, count in rows.items()), flush=True)
            for format in args.formats.split(","):
                for mode in modes:
                    results[passages, format, mode] = measure(mode, run, scratch / f"{mode}-{format}", format)
                    results[passages, format, mode]["output_mib"] = folder_mib(scratch / f"{mode}-{format}")
            shutil.rmtree(run)
        imports = measure("imports", scratch, scratch / "none", "parquet")
        print(f"\nimports alone: {imports['peak_mib']:,.0f} MiB peak\n")
        print("| passages | format | export | time (s) | peak RSS (MiB) | output (MiB) |")
        print("|---:|---|---|---:|---:|---:|")
        for (passages, format, mode), result in results.items():
            print(f"| {passages:,} | {format} | {mode} | {result['seconds']:.1f} | {result['peak_mib']:,.0f} | "
                  f"{result['output_mib']:,.0f} |")
        print()
        for (passages, format, mode), result in results.items():
            if mode == "streaming":
                above = {other: results[passages, format, other]["peak_mib"] - imports["peak_mib"]
                         for other in modes}
                slower = result["seconds"] / results[passages, format, "eager"]["seconds"]
                print(f"{passages:,} passages, {format}: above the imports, eager needs "
                      f"{above['eager'] / above['streaming']:.1f}x and polars' read-ahead "
                      f"{above['read-ahead'] / above['streaming']:.1f}x the memory of streaming; streaming takes "
                      f"{slower:.2f}x the time of eager")
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
