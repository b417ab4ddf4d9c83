"""`parallax serve`: watch events on their schedules, each run kept in reports/<event>/<run id>/."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from flows.terminal import say


def register(subparsers) -> None:
    serve = subparsers.add_parser(
        "serve", help="run every event that has a [schedule] on its schedule, keeping every run",
        description="Serve one Prefect deployment per event folder under --corpora whose event.toml has a "
                    "[schedule] table (interval = seconds, or cron = \"0 */6 * * *\"; timezone). A run collects "
                    "(when the event has [[sources]]), translates (cached), compares, reports and exports into "
                    "--reports/<event>/<run id>/, then points --reports/<event>/latest at it. Without "
                    "PREFECT_API_URL a local Prefect server is used, started if none runs and stopped on exit. "
                    "Exit status: 130 when serving is stopped; --once 0 all ok, 3 some partial or failed, 1 all "
                    "failed; --work-pool 0; 1 when it cannot start (options, a [schedule], or no event to serve "
                    "without --work-pool).")
    serve.add_argument("--corpora", metavar="DIR", default="corpora",
                       help="folder holding the event folders (default: ./corpora)")
    serve.add_argument("--reports", metavar="DIR", default="reports",
                       help="folder the runs are written into, one folder per event (default: ./reports)")
    mode = serve.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true",
                      help="run every scheduled event once now, print a summary and exit (for cron or a check): "
                           "status 3 when a run failed or its collection missed sources or pages")
    mode.add_argument("--work-pool", metavar="POOL",
                      help="register the deployments on this Prefect work pool and exit; "
                           "`prefect worker start --pool POOL` then runs them")
    serve.set_defaults(handler=run)


def run(args, options) -> int:
    from flows.server import QUIET_DEFAULTS, prefect_server_for_run

    for key, value in QUIET_DEFAULTS.items():
        os.environ.setdefault(key, value)
    if args.debug:
        os.environ["PREFECT_LOGGING_LEVEL"] = "INFO"
    if not (args.once or args.work_pool):  # each run's start, summary and end, for the journal
        os.environ.setdefault("PREFECT_LOGGING_LOGGERS_PREFECT_FLOW_RUNS_LEVEL", "INFO")
    from comparators.export import check_settings as check_export_settings
    from comparators.history import claim_event_reports
    from comparators.translate import check_settings
    from flows.monitor import build_task_runner
    from flows.serve import scheduled_events

    # A pool's workers go on running an event whose [schedule] was removed until its deployment is: with
    # --work-pool, the last schedule removed is not "nothing to serve" but all of that folder's to retire.
    events = scheduled_events(Path(args.corpora), min_interval=options.serve.min_interval,
                              required=not args.work_pool)
    build_task_runner(options)  # a bad [serve] task_runner fails now, not at the first run
    check_settings(options)  # so does a [translate] engine that is none
    check_export_settings(options)  # and an [export] format that is none, which would fail every run at its end
    for event in events:  # another corpora folder's event of the same name may have --reports/<event>/ already
        claim_event_reports(Path(args.reports).resolve() / event.name, event.folder)
    # Stopping by SIGTERM (systemd, kill) unwinds like Ctrl-C (flows/cli.py), so a server started here is stopped.
    with prefect_server_for_run():
        return _serve(events, Path(args.reports), args, options)


def _serve(events, reports: Path, args, options) -> int:
    from flows.cli import EXIT_INTERRUPTED, INTERRUPTED
    from flows.serve import register_on_work_pool, retire_deployments, serve_events

    if args.once:
        return _run_once(events, reports, options)
    if args.work_pool:
        retired = register_on_work_pool(Path(args.corpora), events, reports, options, args.work_pool)
        names = ", ".join(event.deployment_name for event in events)
        say(f"{len(events)} deployment(s) on work pool {args.work_pool!r}: "
            f"{names or f'no event under {args.corpora} has a [schedule]'}")
        if retired:
            say(f"Removed from the pool (no longer scheduled, or named by an earlier version): "
                f"{', '.join(retired)}")
        say(f"Start a worker with: PREFECT_API_URL={os.environ['PREFECT_API_URL']} "
            f"prefect worker start --pool {args.work_pool}")
        return 0
    retired = retire_deployments(Path(args.corpora), events, None)
    say(f"Serving {len(events)} event(s) from Prefect at {os.environ['PREFECT_API_URL']} "
        f"(Ctrl-C to stop):", flush=True)
    for event in events:
        say(f"  {event.deployment_name}: {_describe_schedule(event.schedule)} → {reports / event.name}/latest",
            flush=True)
    if retired:
        say(f"Removed, no longer scheduled or named by an earlier version: {', '.join(retired)}", flush=True)
    serve_events(events, reports, options)
    # Prefect's serve takes in the Ctrl-C or SIGTERM that stops it and returns: serving ends only so, and its
    # status must say it was stopped (130, which systemd units take as a clean stop: docs/DEPLOY.md).
    say(INTERRUPTED, file=sys.stderr)
    return EXIT_INTERRUPTED


def _run_once(events, reports: Path, options) -> int:
    from flows.cli import EXIT_ERROR, EXIT_OK, EXIT_PARTIAL
    from flows.monitor import describe_run, run_monitor

    failed = partial = 0
    for event in events:
        try:
            row = run_monitor(str(event.folder), str(reports.resolve()), options.as_dict())
        except Exception as error:  # one event failing must not stop the others; its history says why
            failed += 1
            hint = getattr(error, "hint", "")
            say(f"failed  {event.name}: {error}" + (f" — {hint}" if hint else ""))
            continue
        # A run whose collection missed sources or pages is complete, but compared less than the event asks
        # for: a check run from cron must see that in the status, as `parallax collect` shows it.
        partial += bool(row["collect_failures"])
        say(f"{'partial' if row['collect_failures'] else 'ok':<8}{event.name}: {row['outlets']} outlets, "
            f"{row['claims']} claims → {reports / event.name / row['run_id']}")
        say(f"        {describe_run(row)}")
    if failed == len(events):
        return EXIT_ERROR
    return EXIT_PARTIAL if failed or partial else EXIT_OK


def _describe_schedule(schedule) -> str:
    when = f"cron {schedule.cron!r}" if schedule.cron else f"every {schedule.interval.total_seconds():g} s"
    return f"{when} ({schedule.timezone})"
