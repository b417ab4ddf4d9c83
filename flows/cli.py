"""The `parallax` command line. Each command lives in flows/commands/<name>.py with `register(subparsers)`;
errors from the engine become one line that says what to do next."""

from __future__ import annotations

import argparse
import contextlib
import difflib
import importlib
import os
import pkgutil
import signal
import sys
import threading
import warnings
from typing import Callable

from comparators.errors import ParallaxError
from comparators.version import pipeline_version

from . import commands
from .terminal import say

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3
# As a process killed by SIGPIPE (128 + 13) or SIGINT (128 + 2) reports it to a shell.
EXIT_BROKEN_PIPE, EXIT_INTERRUPTED = 141, 130
INTERRUPTED = "parallax: interrupted; outputs already written are intact"
# Requests in flight, and Prefect's report of the interrupted run, can take a while to end.
STOPPING = "parallax: stopping (Ctrl-C again to stop at once)"
FINISHED_ANYWAY = "parallax: the work finished before it could stop; its output is complete"


GLOBAL_OPTIONS = ("--config", "--debug")


class CommandParser(argparse.ArgumentParser):
    """A parser whose commands refuse an argument they do not know themselves, with their own usage line. argparse
    leaves such arguments to the top-level parser, whose usage does not show the command's options."""

    def __init__(self, *args, command: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.command = command

    def parse_known_args(self, args=None, namespace=None):
        namespace, extras = super().parse_known_args(args, namespace)
        if extras and self.command:
            self.error(self.unrecognized(extras))
        return namespace, extras

    def unrecognized(self, extras: list[str]) -> str:
        message = f"unrecognized arguments: {' '.join(extras)}"
        known = [option for action in self._actions for option in action.option_strings]
        for extra in extras:
            name = extra.split("=", 1)[0]
            if name in GLOBAL_OPTIONS:
                # `parallax compare DIR --config FILE`: the options of parallax itself come before the command.
                option = f"{name} FILE" if name == "--config" else name
                command = self.prog.removeprefix("parallax ")
                return f"{message}; {name} goes before the command: parallax {option} {command} …"
            close = difflib.get_close_matches(name, known, n=1) if name.startswith("-") else []
            if close:
                return f"{message}; did you mean {close[0]}?"
        return message


def build_parser() -> argparse.ArgumentParser:
    parser = CommandParser(
        prog="parallax", description="Compare how one event is told across outlets and languages.", command=False)
    parser.add_argument("--version", action="version", version=f"parallax {pipeline_version()}")
    parser.add_argument("--config", metavar="FILE",
                        help="options file overriding the shipped defaults key by key (also $PARALLAX_CONFIG)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and Prefect's logs")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in sorted(pkgutil.iter_modules(commands.__path__), key=lambda info: info.name):
        importlib.import_module(f"{commands.__name__}.{module.name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from comparators.translation_cache import CacheCorruptWarning

    # The run's summary lists a rebuilt cache among its warnings; Python's own warning would say it twice.
    warnings.simplefilter("ignore", CacheCorruptWarning)
    interrupts, restore = _remember_interrupts()
    try:
        from comparators.options import load_options

        status = args.handler(args, load_options(args.config))
        if interrupts and status == EXIT_OK:
            # A Ctrl-C in the last moments that Prefect took in: the "stopping" line must not be the last word.
            say(FINISHED_ANYWAY, file=sys.stderr)
        return status
    except ParallaxError as error:
        if args.debug:
            raise
        hint = f" — {error.hint}" if error.hint else ""
        say(f"parallax: {error}{hint}", file=sys.stderr)
        return EXIT_ERROR
    except _interruptions():
        say(INTERRUPTED, file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`parallax translate … | head`): stop quietly, as other Unix tools do. Standard
        # output goes to /dev/null so that Python's flush at exit does not fail on the closed pipe again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except Exception as error:
        if args.debug:
            raise
        # On Ctrl-C Prefect reports the crash to its server; a temporary server stopped with the same Ctrl-C,
        # and the failed report's error replaces the interrupt.
        if interrupts:
            say(INTERRUPTED, file=sys.stderr)
            return EXIT_INTERRUPTED
        if not isinstance(error, OSError) or error.filename is None:
            raise
        # A path the system refuses where no stage expected it (a name over the system's length limit, a file this
        # user may not read): the path and the system's reason, in one line.
        path = str(error.filename)
        path = path if len(path) <= 120 else f"{path[:60]}…{path[-20:]} ({len(path)} characters)"
        say(f"parallax: {path}: {error.strerror} — check the path given, and that you may use it", file=sys.stderr)
        return EXIT_ERROR
    finally:
        restore()


def _interruptions() -> tuple[type[BaseException], ...]:
    """What a Ctrl-C or SIGTERM is raised as: KeyboardInterrupt, and, once Prefect is loaded, its TerminationSignal.
    During a flow run Prefect's own SIGTERM handler stands in for ours; the flow engine passes the signal on to ours,
    but one that comes while an asynchronous flow's event loop waits (`parallax serve --once`) escapes the engine."""
    prefect_exceptions = sys.modules.get("prefect.exceptions")
    return (KeyboardInterrupt, *((prefect_exceptions.TerminationSignal,) if prefect_exceptions else ()))


def _remember_interrupts() -> tuple[list[int], Callable[[], None]]:
    """Note a Ctrl-C (SIGINT) or a SIGTERM before raising KeyboardInterrupt as Python does for SIGINT, and end the
    process at a second one; and how to undo this. SIGTERM (kill, timeout, systemd, a scheduler) would otherwise
    end the process where it stands: a collection's articles taken since its last commit lost, and a temporary
    Prefect server left running with no one to stop it."""
    seen: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        return seen, lambda: None

    def note(signum, frame):
        if seen:  # a second signal: do not wait for requests in flight to end
            say(INTERRUPTED, file=sys.stderr)
            _end_child_processes()
            os._exit(EXIT_INTERRUPTED)
        seen.append(signum)
        say(STOPPING, file=sys.stderr)
        raise KeyboardInterrupt

    previous = {number: signal.signal(number, note) for number in (signal.SIGINT, signal.SIGTERM)}
    return seen, lambda: [signal.signal(number, handler) for number, handler in previous.items()]


def _end_child_processes() -> None:
    """Stop what this process started (a temporary Prefect server, Apertium pipelines) before it ends at once,
    so nothing is left running behind it."""
    import psutil

    children = psutil.Process().children(recursive=True)
    for child in children:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.terminate()
    for child in psutil.wait_procs(children, timeout=5)[1]:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()


if __name__ == "__main__":
    sys.exit(main())
