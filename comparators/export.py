"""Stage 9, export: complete runs, or the runs of event folders, into one dataset researchers can cite and
join: a Frictionless data package of parquet, csv or jsonl tables carrying the runs' provenance.

Tables stream from the runs' parquet files into the dataset's files (polars lazy frames and sinks), so the
size of a dataset is bounded by disk, not memory. The dataset is written into a temporary sibling folder and
renamed into place; an existing folder is replaced only with `force`, and only if it is an earlier export.
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from .corpus import ARTICLES_FILE, EVENT_FILE, MANIFEST_FILE
from .datapackage import (CSV_DIALECT, DESCRIPTOR, EXPORTED_TABLES, FORMATS, build_datapackage, corpus_license,
                          run_provenance)
from .history import LATEST
from .errors import OptionsError, OutputExists, OutputNotWritten, ParallaxError, RunIncomplete, RunNotFound
from .options import Options
from .output import MARKER, atomic_folder, recover_folder, row_group_rows
from .schema import RUN_COLUMNS, TABLES

# In an event folder of scheduled runs, `latest` links to the newest complete run.
PREFETCH_VARIABLE = "POLARS_ROW_GROUP_PREFETCH_SIZE"
PARQUET_COMPRESSIONS = ("zstd", "snappy", "gzip", "lz4", "brotli", "uncompressed")


@dataclass(frozen=True)
class Run:
    path: Path
    record: dict  # its run.json

    @property
    def run_id(self) -> str:
        return self.record["run_id"]

    def table(self, name: str) -> Path:
        return self.path / "data" / f"{name}.parquet"


@dataclass
class ExportSummary:
    folder: Path
    format: str
    runs: list[tuple[str, str]]  # (event, run_id), in the order they were exported
    rows: dict[str, int]  # table -> rows written
    skipped: list[str] = field(default_factory=list)  # runs of an event left out (unfinished, failed), and why
    warnings: list[str] = field(default_factory=list)


def export_dataset(sources: list[str | Path], *, to: str | Path, format: str | None = None, force: bool = False,
                   all_runs: bool = False, options: Options) -> ExportSummary:
    """Export run folders and event folders (their `latest` run, or with `all_runs` every complete run) into
    the dataset folder `to`: data/<table>.<format> for every table, and datapackage.json."""
    format = format or options.export.format
    check_settings(options, format=format)
    # Absolute, normalised and through links: '.' or '..' name no folder to stage beside and rename, and a link
    # to a dataset is kept, its dataset replaced.
    folder = Path(os.path.realpath(to))
    # Before the check: a dataset an export killed while replacing it had set aside is there again, and is
    # replaced only with `force`.
    recover_folder(folder)
    _check_target(folder, force=force)
    runs, skipped = find_runs(sources, all_runs=all_runs)
    warnings: list[str] = []
    tables = dataset_tables(runs, warnings)
    sizes = {table: [_size(run.table(table)) for run in runs] for table in EXPORTED_TABLES}
    rows = {table: sum(count for count, _ in sizes[table]) for table in EXPORTED_TABLES}
    nbytes = {table: sum(size for _, size in sizes[table]) for table in EXPORTED_TABLES}
    package = build_datapackage([_provenance(run, warnings) for run in runs], format=format)
    metadata = {"parallax:provenance": json.dumps(package["parallax"], ensure_ascii=False),
                "parallax:licenses": json.dumps(package["licenses"], ensure_ascii=False)}
    with _row_group_prefetch(options.export.row_group_prefetch), atomic_folder(folder, marker=DESCRIPTOR) as staging:
        (staging / "data").mkdir()
        for resource in package["resources"]:
            table = resource["name"]
            try:
                _sink(tables[table], staging / resource["path"], format=format, metadata=metadata,
                      row_group_size=row_group_rows(rows[table], nbytes[table]), options=options)
            except (pl.exceptions.PolarsError, OSError) as error:
                raise _sink_failure(runs, table, folder / resource["path"], error) from None
        (staging / DESCRIPTOR).write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
    return ExportSummary(folder=folder, format=format, runs=[(run.record["event"], run.run_id) for run in runs],
                         rows=rows, skipped=skipped, warnings=warnings)


def check_settings(options: Options, *, format: str | None = None) -> None:
    """Refuse an export format (`format`, else [export] format) or a parquet compression that is none. `parallax
    serve` calls this before any run, so a typo fails at once, not in the export at the end of every run."""
    format = format or options.export.format
    if format not in FORMATS:
        raise OptionsError(f"unknown export format {format!r}", hint=f"use one of {', '.join(FORMATS)}")
    if options.export.parquet_compression not in PARQUET_COMPRESSIONS:
        raise OptionsError(f"unknown [export] parquet_compression {options.export.parquet_compression!r}",
                           hint=f"use one of {', '.join(PARQUET_COMPRESSIONS)}")


def find_runs(sources: list[str | Path], *, all_runs: bool = False) -> tuple[list[Run], list[str]]:
    """(complete runs to export, runs of event folders left out and why). A run folder given directly must be
    complete; a run reached twice is exported once."""
    runs: dict[str, Run] = {}
    skipped: list[str] = []
    for source in sources:
        path = Path(source)
        # A run a `parallax compare` killed while replacing it had set aside is put back before it is looked for.
        recover_folder(Path(os.path.abspath(path)))
        if _is_event_folder(path) and not (path / MARKER).exists():
            found = _event_runs(path, all_runs=all_runs, skipped=skipped)
        elif _is_run_folder(path):
            found = [complete_run(path)]
        else:
            raise _not_a_run(path)
        for run in found:
            runs.setdefault(run.run_id, run)
    return list(runs.values()), skipped


def _not_a_run(path: Path) -> RunNotFound:
    if not path.exists():
        return RunNotFound(f"{path} does not exist")
    if any((path / name).is_file() for name in (EVENT_FILE, ARTICLES_FILE, MANIFEST_FILE)):
        # The event's corpus folder, given where the folder its comparison wrote was meant.
        return RunNotFound(f"{path} is an event corpus, not a run",
                           hint=f"compare it first (parallax compare {path} --out reports/{path.resolve().name}) "
                                "and export the folder that writes")
    return RunNotFound(f"{path} is neither a run folder (no {MARKER}) nor an event folder of runs")


def dataset_tables(runs: list[Run], warnings: list[str]) -> dict[str, pl.LazyFrame]:
    """Each exported table as one lazy frame over the runs' parquet files: nothing is read until it is sunk."""
    return {table: pl.concat([_scan(run, table, warnings) for run in runs], how="vertical")
            for table in EXPORTED_TABLES}


def lists_as_json(frame: pl.LazyFrame) -> pl.LazyFrame:
    """List columns as JSON array text: CSV has no lists, and Table Schema reads an "array" cell as JSON."""
    return frame.with_columns(_json_array(name) for name, dtype in frame.collect_schema().items()
                              if isinstance(dtype, pl.List))


def complete_run(path: Path) -> Run:
    """The run in `path`, or RunIncomplete saying why it cannot be exported."""
    marker = path / MARKER
    if not marker.is_file():
        raise RunIncomplete(f"run {path} is unfinished: it has no {MARKER}")
    try:
        record = json.loads(marker.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise RunIncomplete(f"{marker}:{error.lineno}: not valid JSON ({error.msg})") from None
    except UnicodeDecodeError:
        raise RunIncomplete(f"{marker}: not UTF-8 text") from None
    if not isinstance(record, dict):
        raise RunIncomplete(f"{marker}: not a JSON object")
    name = record.get("run_id") or path.name
    status = record.get("status")
    if status == "failed":
        reason = record.get("error") or f'{MARKER} says status "failed"'
        raise RunIncomplete(f"run {name} is failed: {reason} ({path})")
    if status != "complete":
        raise RunIncomplete(f"run {name} is unfinished: status is {status!r} ({path})")
    for key in ("run_id", "event"):
        if not isinstance(record.get(key), str) or not record[key]:
            raise RunIncomplete(f"{marker}: no {key}; the run was written by something other than Parallax")
    run = Run(path, record)
    missing = [table for table in EXPORTED_TABLES if not run.table(table).is_file()]
    if missing:
        raise RunIncomplete(f"run {name} is damaged: {run.table(missing[0])} is missing")
    return run


def _is_run_folder(path: Path) -> bool:
    """A run's folder, finished or not: a run writes run.json last. A dataset exported beside the runs has a
    data folder too, and is not one."""
    return ((path / MARKER).exists() or (path / "data").is_dir() or (path / "report.html").exists()) \
        and not _is_dataset(path)


def _is_event_folder(path: Path) -> bool:
    return path.is_dir() and ((path / LATEST).exists() or any(_run_folders(path)))


def _run_folders(event: Path) -> list[Path]:
    """The run folders of an event, oldest first (run ids start with their time). Hidden folders are runs
    being written or replaced, and `latest` repeats one of the runs."""
    return sorted(child for child in event.iterdir()
                  if child.is_dir() and not child.is_symlink() and not child.name.startswith(".")
                  and child.name != LATEST and _is_run_folder(child))


def _event_runs(event: Path, *, all_runs: bool, skipped: list[str]) -> list[Run]:
    if not all_runs:
        latest = event / LATEST
        if not latest.exists():
            raise RunIncomplete(f"event folder {event} has no complete run yet: {LATEST} is missing",
                                hint="export one of its run folders, or pass --all-runs to export every "
                                     "complete run")
        return [complete_run(latest.resolve())]
    runs = []
    for folder in _run_folders(event):
        try:
            runs.append(complete_run(folder))
        except RunIncomplete as error:
            skipped.append(str(error))
    if not runs:
        raise RunIncomplete(f"event folder {event} holds no complete run ({len(skipped)} unfinished or failed)")
    return runs


def _check_target(folder: Path, *, force: bool) -> None:
    """Refuse early, before any work, to write over something that is not ours to replace."""
    if folder.exists() and not folder.is_dir():
        raise OutputExists(f"{folder} is a file, not a folder", hint="choose a new folder for --to")
    if not folder.exists() or not any(folder.iterdir()):
        return
    if not _is_dataset(folder):
        raise OutputExists(f"{folder} exists and is not a Parallax dataset; not replacing it, even with --force",
                           hint="choose a new or empty folder for --to")
    if not force:
        raise OutputExists(f"{folder} already holds a Parallax dataset; not overwriting it",
                           hint="pass --force to replace it, or choose a new folder for --to")


def _is_dataset(folder: Path) -> bool:
    try:
        return "parallax" in json.loads((folder / DESCRIPTOR).read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        return False


def _scan(run: Run, table: str, warnings: list[str]) -> pl.LazyFrame:
    """The run's table, lazily, with the run's columns first and the current schema's columns: a column an
    older Parallax did not write is null."""
    # glob=False everywhere: polars reads '[', '*' and '?' in a path as a pattern, and a run folder such as
    # "parade [draft]" would then be taken for damaged.
    try:
        present = pl.scan_parquet(run.table(table), glob=False).collect_schema()
    except (pl.exceptions.PolarsError, OSError) as error:
        raise RunIncomplete(f"run {run.run_id} is damaged: {run.table(table)} cannot be read ({error})") from None
    run_values = {"event": run.record["event"], "run_id": run.run_id}
    missing = [column.name for column in TABLES[table] if column.name not in present]
    if missing:
        warnings.append(f"run {run.run_id}: {table} has no column {', '.join(missing)} (written by an older "
                        f"Parallax); exported as empty")
    return pl.scan_parquet(run.table(table), glob=False).select(
        *[pl.lit(run_values[column.name], column.dtype).alias(column.name) for column in RUN_COLUMNS],
        *[pl.col(column.name).cast(column.dtype) if column.name in present
          else pl.lit(None, column.dtype).alias(column.name) for column in TABLES[table]],
    )


def _provenance(run: Run, warnings: list[str]) -> dict:
    try:
        translation = (
            _scan(run, "passages", [])
            .group_by("language", "engine", "model").agg(pl.len().alias("passages"))
            .sort("language", "engine", nulls_last=True).collect(engine="streaming").to_dicts()
        )
    except pl.exceptions.PolarsError as error:  # a footer that reads, over damaged data pages
        raise RunIncomplete(f"run {run.run_id} is damaged: {run.table('passages')} cannot be read ({error})") from None
    declared = (run.record.get("corpus") or {}).get("license")
    if declared is not None and corpus_license(declared) is None:
        warnings.append(f"run {run.run_id}: licence {declared!r} from event.toml is not understood (give an id "
                        f'such as "CC-BY-SA-4.0", or a table with name, path and title); stated the publishers\' '
                        f"copyright instead")
    return run_provenance(run.record, translation)


def _sink(frame: pl.LazyFrame, path: Path, *, format: str, metadata: dict[str, str], row_group_size: int,
          options: Options) -> None:
    if format == "parquet":
        frame.sink_parquet(path, compression=options.export.parquet_compression, metadata=metadata,
                           row_group_size=row_group_size)
    elif format == "csv":
        lists_as_json(frame).sink_csv(path, separator=CSV_DIALECT["delimiter"], quote_char=CSV_DIALECT["quoteChar"],
                                      line_terminator=CSV_DIALECT["lineTerminator"])
    else:
        frame.sink_ndjson(path)


def _sink_failure(runs: list[Run], table: str, path: Path, error: Exception) -> ParallaxError:
    """Why writing `path` failed. polars words a damaged input and a full disk alike, so each run's table is
    read through once more (streaming, on this error path only): one that fails is named; if all read, the
    system refused the write."""
    for run in runs:
        try:
            _scan(run, table, []).select(pl.all().hash().sum()).collect(engine="streaming")
        except (pl.exceptions.PolarsError, OSError) as damage:
            return RunIncomplete(f"run {run.run_id} is damaged: {run.table(table)} cannot be read ({damage})",
                                 hint="compare its corpus again, or export without this run")
    return OutputNotWritten(f"could not write {path}: {error}")


@contextmanager
def _row_group_prefetch(row_groups: int):
    """Bound how far polars reads ahead while the tables are sunk (0 leaves polars' default). polars takes this
    setting from the environment at each query, and from nowhere else."""
    if not row_groups:
        yield
        return
    previous = os.environ.get(PREFETCH_VARIABLE)
    os.environ[PREFETCH_VARIABLE] = str(row_groups)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(PREFETCH_VARIABLE, None)
        else:
            os.environ[PREFETCH_VARIABLE] = previous


def _json_array(name: str) -> pl.Expr:
    # polars encodes structs, not lists, as JSON: encode {name: list} and cut the key off.
    prefix = len(json.dumps(name)) + len("{:")
    encoded = pl.struct(pl.col(name)).struct.json_encode().str.slice(prefix).str.strip_suffix("}")
    return pl.when(pl.col(name).is_null()).then(None).otherwise(encoded).alias(name)


def _size(path: Path) -> tuple[int, int]:
    """(rows, uncompressed bytes) of a parquet file, from its footer."""
    metadata = pq.read_metadata(path)
    return metadata.num_rows, sum(metadata.row_group(index).total_byte_size for index in range(metadata.num_row_groups))
