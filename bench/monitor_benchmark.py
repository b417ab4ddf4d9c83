"""Scheduled monitoring: what a rerun with nothing new costs against the first run, and Dask against threads.

Four events, each the coverage of a few days: --stories NTREX documents (bench/ntrex_outlets.py), on each of
which every outlet publishes an article; an outlet per NTREX language (two or three in English), each article
keeping ~70% of the sentences. Apertium translates es, fr, pt, it, ca and gl; the other seven languages stay
untranslated (compared by anchors, else "unknown"). Every outlet publishes on its own local site (127.0.0.2,
127.0.0.3, …: outlets are told apart by host, as on the web), and each event watches one feed listing them all.
Each run is one `flows.monitor.run_monitor` call (the monitor-event flow), in this process, against a Prefect
server this script starts, with the shipped options:

  first      the first run: collect (feed and pages fetched, robots.txt read, 1 request/s per host),
             translate (empty translation cache), compare, report, export
  rerun      the next scheduled run with nothing new: the feed answers 304, the previous run is reused
  grown      a run after the feed listed one more outlet's articles: only their passages are translated, the
             rest come from the cache, and the whole comparison is made again

  engines    of a rerun: choosing engines and naming their models (Apertium's modes and package versions, read
             from the data folder once known), which a rerun needs to know it would reproduce the last run

Times are wall times of the call; "as Prefect records them" are the flow runs' durations on the server (from
Running to Completed: without the process start, as a served run would show them in the UI).

then the same four events' first runs under each task runner, from the same articles already collected (a fresh
translation cache each), and whether their tables are identical:

  threads    ThreadPoolTaskRunner (the default)
  dask-local DaskTaskRunner starting a LocalCluster of 2 worker processes for each run
  dask-addr  DaskTaskRunner on one LocalCluster of 2 worker processes started here ([serve] dask_address)

A served run also pays for its process: Prefect starts each run in a fresh Python process (`import` below).

Usage: .venv/bin/python bench/monitor_benchmark.py [--events 4] [--stories 4] [--no-runners]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.update(DO_NOT_TRACK="1", PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_LOGGING_LEVEL="ERROR",
                  PREFECT_LOGGING_TO_API_ENABLED="false")

from bench.ntrex_outlets import LANGUAGES, load_documents, simulate_event  # noqa: E402
from flows.server import start_server, stop_process  # noqa: E402
from tests._serve_helpers import rss, start_site  # noqa: E402

def page(text: str, language: str) -> str:
    title, *paragraphs = text.split("\n\n")
    body = "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs)
    return (f'<!doctype html><html lang="{language}"><head><meta charset="utf-8"><title>{html.escape(title)}'
            f"</title></head><body><article><h1>{html.escape(title)}</h1>{body}</article></body></html>")


class Outlets:
    """One local site per outlet of the simulated events, reused by every event."""

    def __init__(self):
        self.sites: dict[str, object] = {}

    def site(self, outlet: str):
        if outlet not in self.sites:
            self.sites[outlet] = start_site(f"127.0.0.{len(self.sites) + 2}")
        return self.sites[outlet]

    def close(self) -> None:
        for site in self.sites.values():
            site.server.shutdown()


def write_event(folder: Path, stories: list[dict], outlets: Outlets, key: str, *, late: bool = False) -> Path:
    """An event folder watching a feed of every outlet's article on each of `stories` (NTREX documents: the
    follow-ups of days of coverage), each outlet on its own site; Galician only when `late`."""
    links, hosts = [], {}
    for story, document in enumerate(stories):
        for outlet in simulate_event(document).outlets:
            if outlet.language == "gl" and not late:
                continue
            site = outlets.site(outlet.name)
            links.append(site.put(f"/{key}/{story}", page(outlet.article.text, outlet.language)))
            hosts[site.server.server_address[0]] = outlet.name
    feed = outlets.site("feeds").put(f"/{key}.xml", rss(links), etag=f'"{len(links)}"')
    folder.mkdir(parents=True, exist_ok=True)
    names = "".join(f'[outlets."{host}"]\nname = "{name}"\n\n' for host, name in hosts.items())
    (folder / "event.toml").write_text(f'title = "NTREX {stories[0]["doc_id"]}"\n\n[[sources]]\ntype = "feed"\n'
                                       f'url = "{feed}"\n\n{names}', encoding="utf-8")
    return folder


def write_articles(folder: Path, stories: list[dict]) -> Path:
    """The same event with its articles already collected: collection keeps whichever of two near-identical
    copies arrives first, so events collected twice may differ, whatever the task runner."""
    folder.mkdir(parents=True)
    (folder / "event.toml").write_text(f'title = "NTREX {stories[0]["doc_id"]}"\n', encoding="utf-8")
    records = [{"id": f"{story}-{outlet.article.id}", "outlet": outlet.name, "language": outlet.language,
                "text": outlet.article.text}
               for story, document in enumerate(stories) for outlet in simulate_event(document).outlets]
    (folder / "articles.jsonl").write_text("".join(json.dumps(record) + "\n" for record in records),
                                           encoding="utf-8")
    return folder


def timed_run(run_monitor, event: Path, reports: Path, options) -> tuple[float, dict]:
    start = time.perf_counter()
    row = run_monitor(str(event), str(reports), options.as_dict())
    return time.perf_counter() - start, row


def recorded_seconds(flow_run_id: str) -> float:
    """The flow run's duration as the Prefect server recorded it."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        flow_run = client.read_flow_run(flow_run_id)
    return (flow_run.end_time - flow_run.start_time).total_seconds()


def engine_lookup_seconds(options, languages: list[str]) -> float:
    from comparators.translate import available_engines, choose_engine

    start = time.perf_counter()
    engines = available_engines(options)
    for language in languages:
        engine = choose_engine(language, engines, options)
        if engine:
            engine.model_for(language)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=4)
    parser.add_argument("--stories", type=int, default=4,
                        help="NTREX documents per event: each outlet publishes one article on each")
    parser.add_argument("--no-runners", action="store_true", help="skip the task runner comparison")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="monitor-bench-"))
    server, url = start_server(home=scratch / "prefect")
    os.environ["PREFECT_API_URL"] = url
    outlets = Outlets()
    try:
        run(args, scratch, outlets)
    finally:
        outlets.close()
        stop_process(server.pid)
        shutil.rmtree(scratch, ignore_errors=True)


def run(args, scratch: Path, outlets: Outlets) -> None:
    from comparators.options import load_options
    from flows.monitor import run_monitor

    options = load_options(None)
    library = load_documents()
    events = [library[10 + number * args.stories:][:args.stories] for number in range(args.events)]
    os.environ["PARALLAX_HOME"] = str(scratch / "home-warm-up")
    timed_run(run_monitor, write_event(scratch / "warm-up" / "e", library[-1:], outlets, "warm-up"),
              scratch / "warm-up" / "reports", options)  # Prefect registers the flows and tasks once
    os.environ["PARALLAX_HOME"] = str(scratch / "home-rerun")
    print(f"Load average {_load()}; {os.cpu_count()} cores")
    print(f"Scheduled runs of {args.events} events of {args.stories} stories each (seconds per run)")
    print(f"  {'event':<24}{'articles':>9}{'passages':>9}{'first':>8}{'rerun':>8}{'grown':>8}{'engines':>9}"
          f"{'first/rerun':>13}")
    totals = {"first": 0.0, "rerun": 0.0, "grown": 0.0, "engines": 0.0}
    recorded = {"first": 0.0, "rerun": 0.0}
    per_event = []
    for number, stories in enumerate(events):
        event = write_event(scratch / "rerun" / f"event{number}", stories, outlets, f"rerun{number}")
        reports = scratch / "rerun" / "reports"
        first, row = timed_run(run_monitor, event, reports, options)
        rerun, again = timed_run(run_monitor, event, reports, options)
        assert again["reused_from"] == row["run_id"], again
        engines = engine_lookup_seconds(options, list(LANGUAGES.values()))
        write_event(event, stories, outlets, f"rerun{number}", late=True)
        grown, after = timed_run(run_monitor, event, reports, options)
        assert after["cache_hits"] > 0 and after["new_outlets"] == 1, after
        for name, value in (("first", first), ("rerun", rerun), ("grown", grown), ("engines", engines)):
            totals[name] += value
        recorded["first"] += recorded_seconds(row["flow_run_id"])
        recorded["rerun"] += recorded_seconds(again["flow_run_id"])
        per_event.append((first, rerun))
        print(f"  {stories[0]['doc_id']:<24}{row['articles']:>9}{row['passages']:>9}{first:>8.2f}{rerun:>8.2f}"
              f"{grown:>8.2f}{engines:>9.2f}{first / rerun:>12.1f}x")
    print(f"  {'all':<24}{'':>9}{'':>9}{totals['first']:>8.2f}{totals['rerun']:>8.2f}{totals['grown']:>8.2f}"
          f"{totals['engines']:>9.2f}{totals['first'] / totals['rerun']:>12.1f}x")
    ratio = totals["first"] / totals["rerun"]
    print(f"First run / rerun with nothing new, all events: {ratio:.1f}x (target at least 10x: "
          f"{'met' if ratio >= 10 else 'NOT met'}); worst event "
          f"{min(first / rerun for first, rerun in per_event):.1f}x")
    print(f"As Prefect records them (flow run durations): first {recorded['first']:.2f} s, rerun "
          f"{recorded['rerun']:.2f} s, {recorded['first'] / recorded['rerun']:.1f}x")
    starts = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import flows.monitor"], check=True, cwd=REPO)
        starts.append(time.perf_counter() - start)
    print(f"Process start of a served run (python -c 'import flows.monitor', 3 times): "
          f"{', '.join(f'{seconds:.2f}' for seconds in starts)} s; load average {_load()}")
    if args.no_runners:
        return

    from distributed import LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0")
    runners = {"threads": {"task_runner": "threads"},
               "dask-local": {"task_runner": "dask", "dask_workers": 2, "dask_processes": True},
               "dask-addr": {"task_runner": "dask", "dask_address": cluster.scheduler_address}}
    print(f"First runs of {args.events} events by task runner (seconds, fresh translation cache each)")
    runs: dict[int, list[Path]] = {}
    try:
        for name, serve in runners.items():
            os.environ["PARALLAX_HOME"] = str(scratch / f"home-{name}")
            settings = options.with_overrides({"serve": serve})
            start = time.perf_counter()
            for number, stories in enumerate(events):
                event = write_articles(scratch / name / f"event{number}", stories)
                _, row = timed_run(run_monitor, event, scratch / name / "reports", settings)
                runs.setdefault(number, []).append(scratch / name / "reports" / event.name / row["run_id"])
            print(f"  {name:<11}{time.perf_counter() - start:8.2f}")
    finally:
        cluster.close()
    print(f"  tables identical across runners: {all(_same_tables(folders) for folders in runs.values())}")
    print(f"Load average {_load()}")


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _same_tables(runs: list[Path]) -> bool:
    import polars as pl

    from comparators.output import TABLE_FILES

    return all(pl.read_parquet(runs[0] / "data" / f"{table}.parquet").equals(
        pl.read_parquet(run / "data" / f"{table}.parquet")) for run in runs[1:] for table in TABLE_FILES)


if __name__ == "__main__":
    main()
