"""`parallax export`: runs, or events' runs, into one dataset researchers can cite and join."""

from __future__ import annotations

from flows.terminal import say


def register(subparsers) -> None:
    export = subparsers.add_parser(
        "export", help="export runs as a Frictionless data package (parquet, csv or jsonl) with provenance",
        description="Write one dataset into --to from RUN_OR_EVENT folders: data/<table>.<format> for articles, "
                    "passages, claims, coverage and alignments, and datapackage.json (field types and "
                    "descriptions, keys, licences, sources, provenance). A run folder must be complete; an event "
                    "folder of scheduled runs gives its latest run, or every complete run with --all-runs. "
                    "Columns are described in docs/DATA.md. Exit status: 0 dataset written; 1 nothing written (a "
                    "source that is no complete run, --to not usable).")
    export.add_argument("sources", nargs="+", metavar="RUN_OR_EVENT",
                        help="run folder written by `parallax compare`, or event folder of scheduled runs")
    export.add_argument("--to", metavar="DIR", required=True,
                        help="dataset folder to write; it must be new or empty unless --force")
    export.add_argument("--format", metavar="FORMAT", type=_format,
                        help="parquet, csv or jsonl (default: option [export] format, parquet)")
    export.add_argument("--force", action="store_true", help="replace the dataset an earlier export left in --to")
    export.add_argument("--all-runs", action="store_true",
                        help="from event folders, export every complete run instead of the latest only")
    export.set_defaults(handler=run_export)


def _format(text: str) -> str:
    """An unknown --format is a usage error (exit status 2), caught before any run is read."""
    import argparse

    from comparators.datapackage import FORMATS

    if text not in FORMATS:
        raise argparse.ArgumentTypeError(f"{text!r} is not an export format; use one of {', '.join(FORMATS)}")
    return text


def run_export(args, options) -> int:
    from comparators.export import export_dataset
    from flows.cli import EXIT_OK

    summary = export_dataset(args.sources, to=args.to, format=args.format, force=args.force,
                             all_runs=args.all_runs, options=options)
    events = sorted({event for event, _ in summary.runs})
    say(f"ok      {len(summary.runs)} run(s) of {len(events)} event(s) → {summary.folder / 'datapackage.json'} "
        f"({summary.format})")
    say("        " + ", ".join(f"{table} {rows:,}" for table, rows in summary.rows.items()))
    for reason in summary.skipped:
        say(f"        skipped: {reason}")
    for warning in summary.warnings:
        say(f"        warning: {warning}")
    return EXIT_OK
