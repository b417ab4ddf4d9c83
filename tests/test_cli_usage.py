"""A bad argument is a usage error, for every command alike: exit status 2 and one line naming what is
allowed, before any work."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO

FORMATS = "use one of parquet, csv, jsonl"


@pytest.mark.parametrize("args, line", [
    (["export", "{tmp}/run", "--to", "{tmp}/dataset", "--format", "xml"],
     f"parallax export: error: argument --format: 'xml' is not an export format; {FORMATS}"),
    (["export", "{tmp}/run", "--to", "{tmp}/dataset", "--format", ""],
     f"parallax export: error: argument --format: '' is not an export format; {FORMATS}"),
    (["translate", "--from", "xx", "hello"],
     "parallax translate: error: argument --from: 'xx' is not an ISO 639-1 language code; use e.g. es, fr or de"),
    (["translate", "--from", "spa", "hola"],
     "parallax translate: error: argument --from: 'spa' is not an ISO 639-1 language code; use es"),
    (["translate", "--from", "ger", "hallo"],
     "parallax translate: error: argument --from: 'ger' is not an ISO 639-1 language code; use de"),
    (["translate", "--from", "en", "--engine", "apertium", "hello"],
     "parallax translate: error: argument --engine: English is not translated, so --engine apertium would not be "
     "used; leave it out, or give --from the language of the text"),
    (["models", "remove", "german"],
     "parallax models remove: error: argument PAIR: 'german' is not a language pair; write a pair as FROM-TO, "
     "e.g. de-en"),
    (["server", "start", "--port", "http"],
     "parallax server: error: argument --port: 'http' is not a port (a number from 1 to 65535)"),
    (["compare", "{tmp}/corpus", "--outt", "{tmp}/out"],
     "parallax compare: error: unrecognized arguments: --outt {tmp}/out; did you mean --out?"),
    (["export", "{tmp}/run", "--to", "{tmp}/dataset", "--fromat", "csv"],
     "parallax export: error: unrecognized arguments: --fromat csv; did you mean --format?"),
    (["compare", "{tmp}/corpus", "--config", "mine.toml"],
     "parallax compare: error: unrecognized arguments: --config mine.toml; --config goes before the command: "
     "parallax --config FILE compare …"),
    (["models", "install", "de-en", "--debug"],
     "parallax models install: error: unrecognized arguments: --debug; --debug goes before the command: "
     "parallax --debug models install …"),
    (["translate", "--from", "es", "--engine", "deepl", "hola"],
     "parallax translate: error: argument --engine: invalid choice: 'deepl' (choose from 'auto', 'argos', "
     "'apertium')"),
])
def test_a_bad_argument_exits_2_with_one_line_saying_what_is_allowed(args, line, tmp_path):
    # No Prefect server answers here: a usage error is found before anything would need one.
    done = subprocess.run([sys.executable, "-m", "flows.cli", *[arg.format(tmp=tmp_path) for arg in args]],
                          cwd=REPO, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PREFECT_API_URL": "http://127.0.0.1:9/api"})
    assert done.returncode == 2 and done.stdout == "", done.stderr
    assert done.stderr.splitlines()[-1] == line.format(tmp=tmp_path) and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [["compare", "{long}"], ["collect", "{long}"], ["export", "{long}", "--to", "{tmp}/d"],
                                  ["serve", "--once", "--corpora", "{long}"], ["models", "install", "{long}"]])
def test_a_path_the_system_refuses_is_one_line_naming_it_and_why(args, tmp_path):
    """A name longer than the system allows (ENAMETOOLONG) fails when a stage first looks at it: one line, exit 1."""
    long = "a" * 5000
    done = subprocess.run([sys.executable, "-m", "flows.cli", *[arg.format(tmp=tmp_path, long=long) for arg in args]],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PREFECT_API_URL": "http://127.0.0.1:9/api"})
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert len(done.stderr.splitlines()) == 1 and "File name too long — check the path given" in done.stderr
    assert len(done.stderr) < 300


def test_a_ctrl_c_the_work_outlived_is_not_left_saying_it_is_stopping(monkeypatch, capsys):
    import signal

    from flows import cli
    from flows.commands import translate

    def finishes_anyway(args, options):
        try:
            signal.raise_signal(signal.SIGINT)
        except KeyboardInterrupt:  # taken in by a library, as Prefect does at a flow's end
            pass
        return cli.EXIT_OK

    monkeypatch.setattr(translate, "run", finishes_anyway)
    assert cli.main(["translate", "--from", "es", "Hola."]) == cli.EXIT_OK
    assert capsys.readouterr().err.splitlines() == [cli.STOPPING, cli.FINISHED_ANYWAY]


@pytest.fixture
def environment_restored():
    """serve sets Prefect's log levels in this process's environment, which later tests' subprocesses inherit."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.mark.parametrize("stop", ["SIGINT", "SIGTERM"])
def test_serve_stopped_by_ctrl_c_or_sigterm_exits_130_as_documented(stop, tmp_path, monkeypatch, capsys,
                                                                     environment_restored):
    import signal

    from flows import cli, serve, server
    from tests._serve_helpers import small_event

    small_event(tmp_path / "corpora" / "parade", outlets=1, interval=3600)
    # A configured server, so none is started; serving itself is Prefect's, stood in for below.
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    monkeypatch.setattr(server, "configured_server", lambda: "http://127.0.0.1:9/api")
    monkeypatch.setattr(serve, "retire_deployments", lambda corpora, events, work_pool: [])

    def served_until_stopped(events, reports, settings):
        try:
            signal.raise_signal(getattr(signal, stop))
        except KeyboardInterrupt:  # taken in by Prefect's serve, which then returns
            pass

    monkeypatch.setattr(serve, "serve_events", served_until_stopped)
    status = cli.main(["serve", "--corpora", str(tmp_path / "corpora"), "--reports", str(tmp_path / "reports")])
    assert status == cli.EXIT_INTERRUPTED
    errors = capsys.readouterr().err.splitlines()
    assert errors[-1] == cli.INTERRUPTED and cli.FINISHED_ANYWAY not in errors


@pytest.mark.prefect
def test_sigterm_while_an_asynchronous_flow_waits_is_an_interruption(prefect_server, monkeypatch, capsys):
    """`parallax serve --once` runs an asynchronous flow, during which Prefect's SIGTERM handler stands in for
    Parallax's. A SIGTERM that comes while the flow's event loop waits (on the Prefect server, say) is raised
    outside the flow engine, which would pass it on: it ended the command with a traceback and status 1."""
    import asyncio
    import signal
    import threading

    from prefect import flow
    from prefect.settings import PREFECT_API_URL, PREFECT_LOGGING_TO_API_ENABLED, temporary_settings

    from flows import cli
    from flows.commands import translate

    waiting = threading.Event()

    @flow
    async def waits():
        asyncio.get_running_loop().call_soon(waiting.set)  # called once this flow waits below
        await asyncio.sleep(60)

    def terminate_once_waiting():
        waiting.wait(60)
        os.kill(os.getpid(), signal.SIGTERM)

    def runs_the_flow(args, options):
        threading.Thread(target=terminate_once_waiting, daemon=True).start()
        asyncio.run(waits())
        return cli.EXIT_OK

    monkeypatch.setattr(translate, "run", runs_the_flow)
    with temporary_settings(updates={PREFECT_API_URL: prefect_server, PREFECT_LOGGING_TO_API_ENABLED: False}):
        assert cli.main(["translate", "--from", "es", "Hola."]) == cli.EXIT_INTERRUPTED
    assert capsys.readouterr().err.splitlines()[-1] == cli.INTERRUPTED
