"""`parallax collect`: gather an event's coverage from the web into its articles.jsonl."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from flows.terminal import say


def register(subparsers) -> None:
    collect = subparsers.add_parser(
        "collect", help="gather an event's coverage from the feeds, pages, sitemaps and GDELT queries it lists",
        description="Fetch the [[sources]] declared in EVENT_DIR/event.toml and append the new articles to "
                    "EVENT_DIR/articles.jsonl, keeping the raw responses in EVENT_DIR/raw/<date>.warc.gz. "
                    "robots.txt is always honoured. A rerun asks conditionally and adds only what is new; pages "
                    "collected in the last [collect] recheck_days are asked for again, and an article edited or "
                    "removed there is updated in place. "
                    "Exit status: 0 all collected, 3 some sources or pages failed, 1 nothing could be collected.")
    collect.add_argument("event_dir", metavar="EVENT_DIR", help="event folder whose event.toml declares [[sources]]")
    collect.set_defaults(handler=run_collect)


def run_collect(args, options) -> int:
    from comparators.collect.sources import read_plan
    from flows.server import prefect_server_for_run

    # A typo in event.toml is reported here, in one line, before a Prefect server is started for nothing.
    read_plan(args.event_dir)
    if args.debug:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
    with prefect_server_for_run(announce=_announce if args.debug else lambda server: None):
        from flows.collect import collect_event_flow

        summary = collect_event_flow(args.event_dir, options.as_dict())
    return print_summary(summary)


def _announce(server: str) -> None:
    say(f"prefect: {server}", file=sys.stderr)


def print_summary(summary) -> int:
    from flows.cli import EXIT_ERROR, EXIT_OK, EXIT_PARTIAL

    counts = (f"{summary.new} new, {summary.unchanged} unchanged, {summary.known} already collected, "
              f"{summary.duplicates} duplicate(s), {summary.filtered} filtered out, "
              + (f"{len(summary.barred)} barred by robots.txt, " if summary.barred else "")
              + (f"{len(summary.revised)} edited and {len(summary.gone)} removed of {summary.rechecked} "
                 "rechecked, " if summary.rechecked else "")
              + f"{len(summary.failures)} failed "
              f"({summary.fetched} response(s) fetched from {summary.sources} source(s))")
    say(f"{summary.status:<8}{summary.event_dir}: {counts}")
    for failure in summary.failures:
        say(f"  failed  {failure}")
    for barred in summary.barred:
        say(f"  barred  {barred}")
    for revised in summary.revised:
        say(f"  edited  {revised}")
    for gone in summary.gone:
        say(f"  removed {gone}")
    for note in summary.notes:
        say(f"  note    {note}")
    if summary.new or summary.revised:
        say(f"Articles: {Path(summary.event_dir) / 'articles.jsonl'}; raw responses: "
            f"{Path(summary.event_dir) / summary.warc}")
    return {"ok": EXIT_OK, "partial": EXIT_PARTIAL}.get(summary.status, EXIT_ERROR)
