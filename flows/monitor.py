"""The scheduled run of one event: collect → compare (translations cached, or the previous run reused when
nothing changed) → report → export, into a new folder reports/<event>/<run id>/ that `latest` then points at.

Everything is written into a hidden staging folder first; the run is published (renamed into place, recorded in
the event's history, `latest` repointed) only when all of it succeeded. A failed run is recorded as failed and
leaves `latest` on the previous complete run; a killed one leaves nothing but its hidden staging folder.

The flow is asynchronous for one reason: Prefect's synchronous flow engine, on leaving a run, waits for the
run's heartbeat thread to wake from its one-second sleep, which adds up to a second to every run — most of a
rerun with nothing new. The asynchronous engine lets the thread end by itself. The run is still sequential: its
tasks call the engine directly (they block the run's event loop, on which nothing else runs), and the stages
1–7 of a run that has to compare run in a synchronous subflow on the task runner [serve] task_runner chose.
"""

from __future__ import annotations

import asyncio
import contextvars
import sys
import tomllib
import warnings
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.client.orchestration import get_client
from prefect.concurrency.asyncio import concurrency
from prefect.exceptions import ObjectAlreadyExists, TerminationSignal
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner

from comparators.collect import CollectSummary, collect_event
from comparators.collect.sources import read_plan
from comparators.comparison import Comparison, RunChanges, event_fields, new_run_id, now_iso
from comparators.corpus import EVENT_FILE, Event, Problem, load_event
from comparators.errors import OptionsError, RunIncomplete
from comparators.export import export_dataset
from comparators.history import (HISTORY_FILE, changes_since, claim_event_reports, discard_run, failure_row,
                                 history_row, latest_run, publish_run, read_run_summary, record_in_run,
                                 remove_abandoned_runs, remove_old_runs, staging_folder)
from comparators.options import Options
from comparators.output import write_output
from comparators.reuse import ReusedRun, reuse_previous_run

from .compare import compare_loaded_event, load_event_task
from .progress import ProgressLine

DATASET_FOLDER = "dataset"
TASK_RUNNERS = ("threads", "dask")


def build_task_runner(settings: Options):
    """Threads in this process, or a Dask cluster: the scheduler at [serve] dask_address, else a LocalCluster."""
    serve = settings.serve
    if serve.task_runner == "threads":
        return ThreadPoolTaskRunner()
    if serve.task_runner == "dask":
        from prefect_dask import DaskTaskRunner

        if serve.dask_address:
            return DaskTaskRunner(address=serve.dask_address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": serve.dask_workers, "processes": serve.dask_processes,
                                              "threads_per_worker": 1, "dashboard_address": "127.0.0.1:0"})
    raise OptionsError(f"[serve] task_runner must be one of {', '.join(TASK_RUNNERS)}, not {serve.task_runner!r}")


@task(name="collect coverage", cache_policy=NO_CACHE)
async def collect_task(event_dir: str, settings: Options) -> CollectSummary:
    return collect_event(event_dir, options=settings, on_progress=ProgressLine() if sys.stderr.isatty() else None)


@task(name="load corpus", cache_policy=NO_CACHE)
async def load_task(event_dir: str, settings: Options) -> Event:
    return load_event(event_dir, options=settings)


@task(name="reuse previous run", cache_policy=NO_CACHE)
async def reuse_task(previous: Path, event: Event, settings: Options) -> ReusedRun | None:
    return reuse_previous_run(previous, read_run_summary(previous), event, options=settings)


@task(name="changes since previous run", cache_policy=NO_CACHE)
async def changes_task(previous: Path, comparison: Comparison) -> RunChanges:
    return changes_since(previous, comparison)


@task(name="write report and tables", cache_policy=NO_CACHE)
async def write_task(comparison: Comparison, staging: Path, settings: Options) -> Path:
    return write_output(comparison, staging, options=settings)


@task(name="export dataset", cache_policy=NO_CACHE)
async def export_task(run_folder: Path, settings: Options):
    return export_dataset([run_folder], to=run_folder / DATASET_FOLDER, options=settings)


@flow(name="compare-event-tables", validate_parameters=False)
def compare_tables(event_dir: str, options: dict, run_id: str, started_at: str) -> Comparison:
    """Stages 1–7 of the event, on the task runner [serve] task_runner chose for this subflow. Synchronous, and
    so held open until its heartbeat thread wakes (up to 1 s): its many synchronous tasks cost more than that in
    an asynchronous flow (Prefect gives each its own API client there: a first run took 12 s, not 8, in a trial)."""
    settings = Options(options)
    return compare_loaded_event(load_event_task(event_dir, settings), settings, run_id=run_id,
                                started_at=started_at)


@task(name="publish run", cache_policy=NO_CACHE)
async def publish_task(staging: Path, event_reports: Path, row: dict) -> Path:
    with warnings_logged():
        return publish_run(staging, event_reports, row)


@contextmanager
def warnings_logged():
    """The engine's warnings (a history table rebuilt) into the run's log, where a monitor's keeper reads."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            for warning in caught:
                get_run_logger().warning(str(warning.message))


@flow(name="monitor-event", validate_parameters=False)
async def monitor_event(event_dir: str, reports_dir: str, options: dict) -> dict:
    """One scheduled run of the event in `event_dir`, published as reports_dir/<event>/<run id>/. Returns the
    run's history row. From synchronous code, call `run_monitor`."""
    settings = Options(options)
    run_id, started_at = new_run_id(), now_iso()
    event_reports = Path(reports_dir) / Path(event_dir).resolve().name
    claim_event_reports(event_reports, Path(event_dir).resolve())  # before any row: the folder may not be ours
    staging = staging_folder(event_reports, run_id)
    for abandoned in remove_abandoned_runs(event_reports):
        get_run_logger().info(f"removed {event_reports / abandoned}, left by a run that was killed")
    try:
        collected = None
        if declares_sources(event_dir):
            # A slot held by a killed run is freed when its lease runs out. Prefect renews the lease from a
            # thread of its own, which the collection blocking this loop cannot hold up.
            async with concurrency(await host_limits(event_dir, settings), occupy=1, strict=True,
                                   lease_duration=60):
                collected = await collect_task(event_dir, settings)
        event = await load_task(event_dir, settings)
        previous, reused, damaged = latest_run(event_reports), None, None
        try:
            reused = await reuse_task(previous, event, settings) if previous else None
        except RunIncomplete as error:  # a damaged previous run must not stop every run after it
            previous, damaged = None, error
        if reused:
            comparison = comparison_from(reused, event, run_id=run_id, started_at=started_at)
            # The same tables as the previous run's: nothing to compare them with.
            comparison.changes = RunChanges(previous_run_id=reused.run_id)
        else:
            comparison = compare_tables.with_options(task_runner=build_task_runner(settings))(
                event_dir, options, run_id, started_at)
            if previous:
                try:
                    comparison.changes = await changes_task(previous, comparison)
                except RunIncomplete as error:
                    damaged = error
        if damaged:
            comparison.problems = [*comparison.problems, Problem(
                "previous run", f"{damaged}: this run was compared afresh, and what changed since is not shown")]
        if collected is not None:
            # An edit at an article's address is said in the run that saw it; a removal, on every run after too
            # (the article's removed_note, which the corpus loader reports).
            comparison.problems = [*comparison.problems, *(Problem("collect", str(failure))
                                                           for failure in [*collected.failures, *collected.revised])]
        await write_task(comparison, staging, settings)
        await export_task(staging, settings)
        row = history_row(comparison, flow_run_id=flow_run.id, reused_from=reused.run_id if reused else None,
                          **(collection_counts(collected) if collected is not None else {}))
        record_in_run(staging, row, comparison.changes)
        await publish_task(staging, event_reports, row)
    except BaseException as error:  # record every ending, interruptions included, then let Prefect see it
        try:
            with warnings_logged():
                discard_run(staging, event_reports, failure_row(run_id, started_at, _describe(error),
                                                                flow_run_id=flow_run.id))
        except Exception as unrecorded:  # a full disk, say: the run's own error is still the one to raise
            get_run_logger().error(f"{event_reports / run_id} failed ({_describe(error)}) and could not be "
                                   f"recorded in {event_reports / HISTORY_FILE}: {_describe(unrecorded)}")
        raise
    get_run_logger().info(f"{event_reports / run_id}: {describe_run(row)}")
    for removed in remove_old_runs(event_reports, keep=settings.serve.keep_runs):
        get_run_logger().info(f"removed {event_reports / removed}: older than the {settings.serve.keep_runs} "
                              "newest runs [serve] keep_runs keeps")
    return row


def run_monitor(event_dir: str, reports_dir: str, options: dict) -> dict:
    """monitor_event, run to its end from synchronous code: in a thread of its own (with this one's context:
    Prefect's settings) when this thread already runs an event loop."""
    def run() -> dict:
        return asyncio.run(monitor_event(event_dir, reports_dir, options))

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return run()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(contextvars.copy_context().run, run).result()


def comparison_from(reused: ReusedRun, event: Event, **run) -> Comparison:
    """This run's comparison made of the previous run's tables; `run` gives run_id and started_at."""
    return Comparison(**event_fields(event), translation=reused.translation, signature=reused.signature,
                      **reused.tables, **run)


def declares_sources(event_dir: str) -> bool:
    """Whether the event asks to be collected; a broken event.toml is reported when the event is loaded."""
    try:
        return "sources" in tomllib.loads((Path(event_dir) / EVENT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False


async def host_limits(event_dir: str, settings: Options) -> list[str]:
    """The Prefect global concurrency limits of the hosts the event's sources are on, each allowing [serve]
    collections_per_host collections at once, across every served event and worker: the collection's own rate
    limit per host then holds for the host as a whole, not once per concurrent run."""
    plan = read_plan(event_dir)
    hosts = {urlsplit(source.url if source.url else settings.collect.gdelt_base_url).hostname
             for source in plan.sources}
    names = [f"parallax-host:{host}" for host in sorted(host for host in hosts if host)]
    async with get_client() as client:
        for name in names:
            try:
                await client.upsert_global_concurrency_limit_by_name(name, settings.serve.collections_per_host)
            except ObjectAlreadyExists:  # another run created it a moment ago
                pass
    return names


def collection_counts(collected: CollectSummary) -> dict:
    return {"fetched": collected.fetched, "unchanged": collected.unchanged,
            "collect_failures": len(collected.failures)}


def describe_run(row: dict) -> str:
    """One line on what a run did, from its history row."""
    work = (f"nothing changed: reused run {row['reused_from']}" if row["reused_from"] else
            f"{row['translated']} passage(s) translated, {row['cache_hits']} from the cache")
    if row["fetched"] is not None:
        work = (f"{row['fetched']} page(s) fetched, {row['unchanged']} unchanged, {row['collect_failures']} "
                f"failed; {work}")
    if row["new_outlets"] is None:
        return f"{work}; first run"
    return (f"{work}; since the previous run: {row['new_outlets']} new outlet(s), {row['new_claims']} new "
            f"claim(s), {row['dropped']} claim(s) dropped by an outlet, {row['edited']} article(s) edited")


def _describe(error: BaseException) -> str:
    if isinstance(error, (KeyboardInterrupt, TerminationSignal)):  # their message is empty
        return "interrupted (Ctrl-C or SIGTERM) before the run finished"
    hint = getattr(error, "hint", "")
    return f"{type(error).__name__}: {error}" + (f" — {hint}" if hint else "")
