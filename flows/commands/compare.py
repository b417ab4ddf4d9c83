"""`parallax compare` and `parallax demo`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from comparators.errors import CorpusNotFound, OutputsCollide
from flows.terminal import say

DEMO_CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "beijing-parade-2025"


def register(subparsers) -> None:
    compare = subparsers.add_parser(
        "compare", help="compare one or more event corpora and write reports and tables",
        description="Compare each CORPUS folder (event.toml + articles.jsonl, files + manifest.csv, or both). "
                    "One corpus writes into --out; several write --out/<corpus folder name>/ each. "
                    "Exit status: 0 all compared, 3 some failed, 1 all failed or nothing could start (options, output "
                    "folder).")
    compare.add_argument("corpora", nargs="+", metavar="CORPUS", help="event folder(s)")
    compare.add_argument("--out", metavar="DIR",
                         help="output folder (default: reports/<corpus folder name>, or reports/ for several)")
    compare.set_defaults(handler=run_compare)
    demo = subparsers.add_parser(
        "demo", help="compare the bundled demo event and print where its report is",
        description=f"Run the whole pipeline on the bundled demo event ({DEMO_CORPUS.name}). "
                    "Exit status: 0 compared, 1 failed.")
    demo.add_argument("--out", metavar="DIR", default=f"reports/{DEMO_CORPUS.name}",
                      help=f"output folder (default: reports/{DEMO_CORPUS.name})")
    demo.set_defaults(handler=run_demo)


def output_folders(corpora: list[str], out: str | None) -> list[str]:
    names = [Path(corpus).resolve().name for corpus in corpora]
    if len(corpora) == 1:
        return [out or os.path.join("reports", names[0])]
    return [os.path.join(out or "reports", name) for name in names]


def check_outputs(corpora: list[str], outs: list[str]) -> None:
    """Refuse, before any work, an output folder that cannot be written, and two corpora (such as a/event and
    b/event) whose outputs would land in one folder, where the second would silently replace the first."""
    from comparators.output import check_output_folder

    writers: dict[Path, str] = {}
    for corpus, out in zip(corpora, outs):
        folder = Path(out).resolve()
        if folder in writers:
            raise OutputsCollide(f"{writers[folder]} and {corpus} would both write {out}")
        writers[folder] = corpus
        check_output_folder(Path(out))


def compare(corpora: list[str], outs: list[str], options, *, debug: bool = False):
    from comparators.translate import check_settings
    from flows.server import prefect_server_for_run

    check_outputs(corpora, outs)
    check_settings(options)  # before the minutes of a run that would leave its languages untranslated
    unreadable = unreadable_corpora(corpora, options)
    readable = [(corpus, out) for corpus, out in zip(corpora, outs) if corpus not in unreadable]
    results = {}
    if readable:
        if debug:
            os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
        def announce(server: str) -> None:
            if debug or server.startswith("temporary"):  # say what the seconds of waiting are for
                say(f"prefect: {server}", file=sys.stderr)

        with prefect_server_for_run(announce=announce):
            from flows.compare import compare_events  # imports Prefect: after it is pointed at a server

            names, folders = zip(*readable)
            results = dict(zip(names, compare_events([str(corpus) for corpus in names], list(folders),
                                                     options.as_dict())))
    from flows.compare import EventResult

    for corpus, error in unreadable.items():
        results[corpus] = EventResult(corpus=str(corpus), error=str(error), hint=error.hint)
    return [results[corpus] for corpus in corpora]


def unreadable_corpora(corpora: list[str], options) -> dict:
    """Each corpus that cannot be loaded, with its error: found before Prefect starts (a temporary server takes
    8–20 s) and left out of the flow run."""
    from comparators.corpus import load_event
    from comparators.errors import ParallaxError

    unreadable = {}
    for corpus in corpora:
        try:
            load_event(corpus, options=options)
        except ParallaxError as error:
            unreadable[corpus] = error
    return unreadable


def print_summary(results) -> int:
    from flows.cli import EXIT_ERROR, EXIT_OK, EXIT_PARTIAL

    for result in results:
        if result.ok:
            say(f"ok      {result.corpus}: {_count(result.outlets, 'outlet')}, {_count(result.claims, 'claim')} → "
                f"{Path(result.out) / 'report.html'}")
            if result.translation:
                say(f"        translation: {result.translation}")
            for warning in result.warnings:
                say(f"        warning: {warning}")
        else:
            hint = f" — {result.hint}" if result.hint else ""
            say(f"failed  {result.corpus}: {result.error}{hint}")
    failed = sum(not result.ok for result in results)
    if len(results) > 1 or failed:
        say(f"{len(results) - failed} of {len(results)} event(s) compared, {failed} failed")
    if failed == 0:
        return EXIT_OK
    return EXIT_ERROR if failed == len(results) else EXIT_PARTIAL


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def run_compare(args, options) -> int:
    return print_summary(compare(args.corpora, output_folders(args.corpora, args.out), options, debug=args.debug))


def run_demo(args, options) -> int:
    if not DEMO_CORPUS.is_dir():
        raise CorpusNotFound(f"the demo corpus is not at {DEMO_CORPUS}", hint="run from a clone of the repository")
    code = print_summary(compare([str(DEMO_CORPUS)], [args.out], options, debug=args.debug))
    if code == 0:
        say(f"Open the report: {Path(args.out).resolve() / 'report.html'}")
    return code
