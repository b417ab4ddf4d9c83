"""The collect flow: gather an event's coverage from the web into its articles.jsonl.

Call `collect_event_flow(event_dir, options)` with the event folder and `Options.as_dict()`; it returns a
`CollectSummary` (`.status` is "ok", "partial" or "failed"; `.to_dict()` for logs) and raises only for a bad
event.toml (SourcesFormatError, NoSources). Rerunning it is safe: it appends only what is new.

One task runs the whole collection. Per-URL Prefect tasks would have to re-create, outside the engine, what
the engine's fetcher already does per request and per host — retries with backoff, a rate limit per host,
robots.txt, conditional requests — at the cost of a task-run round trip per page; and a task-level retry of
the collection would repeat requests the engine has already retried. The engine keeps network I/O (fetch.py)
and parsing (feeds, gdelt, extract) apart, and commits after every source, and what the source in progress
gave when a Ctrl-C or a fault ends it.
"""

from __future__ import annotations

import sys

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from comparators.collect import CollectSummary, collect_event
from comparators.options import Options

from .progress import ProgressLine


@task(name="collect coverage", cache_policy=NO_CACHE)
def collect_task(event_dir: str, options: Options) -> CollectSummary:
    return collect_event(event_dir, options=options, on_progress=ProgressLine() if sys.stderr.isatty() else None)


@flow(name="collect-event", validate_parameters=False)
def collect_event_flow(event_dir: str, options: dict) -> CollectSummary:
    """Collect the [[sources]] of EVENT_DIR/event.toml into EVENT_DIR/articles.jsonl."""
    return collect_task(str(event_dir), Options(options))
