"""Which Prefect API a run talks to, and the local Prefect server `parallax server start` keeps running.

A command with no configured API and no local server running starts the local server for the time it runs
(8–20 s) and stops it after. A long-lived local server, started once, makes every later run start at once; a
configured PREFECT_API_URL always wins.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from comparators.errors import ParallaxError
from comparators.paths import data_dir

QUIET_DEFAULTS = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "CRITICAL",
    # Not quiet, but set with the rest before Prefect is imported, and inherited by the flow runs' processes:
    # Prefect's console log shows outside text's control characters as escapes (flows/console_log.py).
    "PREFECT_LOGGING_HANDLERS_CONSOLE_CLASS": "flows.console_log.VisibleConsoleHandler",
}


class PrefectServerFailed(ParallaxError):
    hint = "see the server log named above; `parallax server stop` clears a stale server"


class PrefectServerUnreachable(ParallaxError):
    hint = "start that server, or unset PREFECT_API_URL to use `parallax server start`'s or a temporary one"


# Who started the local server: `parallax server start` keeps it; a server a command started for its run is stopped
# by the last command using it. ("serve": the value servers of earlier versions were recorded with.)
STARTED_FOR_COMMANDS = "serve"


def state_file() -> Path:
    return data_dir() / "prefect-server.json"


def _lock_file() -> Path:
    """Held while the local server is started, stopped, or its users counted: two commands starting it at once
    would both migrate its SQLite database, and one of the servers dies of it."""
    return data_dir() / "prefect-server.lock"


def _users_file() -> Path:
    """Every `parallax serve` using the local server holds a shared lock on it: the kernel drops the lock of a
    process that dies, so no count can go stale."""
    return data_dir() / "prefect-server.users"


def health_status(url: str, timeout: float = 2.0) -> int | None:
    """The HTTP status of a Prefect API's /health, or None when nothing answers (refused, unknown host, timed
    out, or not a URL at all)."""
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/health", timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (OSError, ValueError):
        return None


def healthy(url: str, timeout: float = 2.0) -> bool:
    return health_status(url, timeout) == 200


def running_local_server() -> dict | None:
    """The state of the local server (`parallax server start`'s, or one a `parallax serve` started), if it still
    answers."""
    state = _read_state()
    return state if state and healthy(state["url"]) else None


def configured_server() -> str | None:
    """$PREFECT_API_URL, if set; PrefectServerUnreachable if nothing answers there."""
    configured = os.environ.get("PREFECT_API_URL")
    # Any status is an answer: an error (such as Prefect Cloud's 401 without a key) Prefect reports in its words.
    if configured and health_status(configured, timeout=5.0) is None:
        raise PrefectServerUnreachable(f"nothing answers at PREFECT_API_URL={configured}")
    return configured or None


@contextmanager
def prefect_server_for_run(*, announce: Callable[[str], None] = lambda server: None) -> Iterator[str]:
    """Point Prefect at the best server available while a command runs, before prefect is imported; says which one
    to `announce` before a server is started (that takes seconds) and yields it. With none configured or running, the local server is started for the run, in a session of its own, and
    stopped after it unless another command still uses it. Prefect's own temporary server would run in this
    command's process group: a Ctrl-C, or the SIGTERM `timeout` and systemd send to the group, stopped it while
    the run still had to report its end to it, and that report retried for minutes before failing with a
    traceback."""
    for key, value in QUIET_DEFAULTS.items():
        os.environ.setdefault(key, value)
    # Prefect's own services log at ERROR when the server they report to has gone.
    os.environ.setdefault("PREFECT_INTERNAL_LOGGING_LEVEL", "CRITICAL")
    configured = configured_server()
    if configured:
        announce(f"configured server {configured}")
        yield f"configured server {configured}"
        return
    running = running_local_server()
    server = (f"local server {running['url']}" if running else
              "temporary server (start a lasting one with `parallax server start` for faster runs)")
    announce(server)
    with shared_local_server() as url, _prefect_api(url):
        yield server


@contextmanager
def _prefect_api(url: str) -> Iterator[None]:
    """PREFECT_API_URL set to `url` for Prefect, and for the flow runs' processes, until the context ends."""
    previous = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = url
    try:
        if "prefect.settings" in sys.modules:  # Prefect, imported already, no longer reads the environment
            from prefect.settings import PREFECT_API_URL, temporary_settings

            with temporary_settings(updates={PREFECT_API_URL: url}):
                yield
        else:
            yield
    finally:
        if previous is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = previous


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(*, home: Path, port: int | None = None, timeout: float = 90.0) -> tuple[subprocess.Popen, str]:
    """Start `prefect server start` (SQLite under `home`) on 127.0.0.1 and wait until it answers."""
    if port and not _port_free(port):  # Prefect would exit at once, its reason only in the log
        raise PrefectServerFailed(f"port {port} on 127.0.0.1 is in use",
                                  hint="choose another --port, or leave --port out for a free one")
    port = port or free_port()
    url = f"http://127.0.0.1:{port}/api"
    home.mkdir(parents=True, exist_ok=True)
    environment = {**os.environ, **QUIET_DEFAULTS, "PREFECT_HOME": str(home)}
    environment.pop("PREFECT_API_URL", None)
    log = open(home / "server.log", "ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=environment, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if healthy(url):
                return process, url
            if process.poll() is not None:
                break
            time.sleep(0.5)
    except BaseException:  # a Ctrl-C or SIGTERM while it starts: in a session of its own, nothing else stops it
        stop_process(process.pid)
        raise
    exited = process.poll()
    stop_process(process.pid)
    if exited is not None:
        raise PrefectServerFailed(f"the Prefect server exited at start with status {exited} "
                                  f"(log: {home / 'server.log'})")
    raise PrefectServerFailed(f"the Prefect server did not start within {timeout:.0f} s (log: {home / 'server.log'})")


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def stop_process(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        return
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def start_local_server(port: int | None = None) -> dict:
    """The running local server, else a new one; kept until `parallax server stop`, even one that a
    `parallax serve` started."""
    with _exclusively(_lock_file()):
        return _running_or_started(port, started_by=None)


@contextmanager
def shared_local_server() -> Iterator[str]:
    """The local server's URL while a command (`parallax serve`, or a run with no other server) uses it, starting
    the server if none runs. On leaving, the last command using a server that one of them started stops it; the
    others keep using it, and one `parallax server start` started is kept."""
    with open(_users_file(), "a") as using:
        with _exclusively(_lock_file()):
            url = _running_or_started(None, started_by=STARTED_FOR_COMMANDS)["url"]
            fcntl.flock(using, fcntl.LOCK_SH)
        try:
            yield url
        finally:
            with _exclusively(_lock_file()):
                fcntl.flock(using, fcntl.LOCK_UN)
                if _no_other_user() and (_read_state() or {}).get("started_by") == STARTED_FOR_COMMANDS:
                    stop_local_server()


def _running_or_started(port: int | None, *, started_by: str | None) -> dict:
    """Under the lock: the running server, else one started now. A server found running keeps who started it,
    unless `parallax server start` (started_by None) now asks to keep it."""
    state = running_local_server()
    if state is None:
        process, url = start_server(home=data_dir() / "prefect", port=port)
        state = {"pid": process.pid, "url": url}
        if started_by:
            state["started_by"] = started_by
    elif started_by is None:
        state.pop("started_by", None)
    state_file().write_text(json.dumps(state))
    return state


def _no_other_user() -> bool:
    with open(_users_file(), "a") as probe:
        try:
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
    return True


def _read_state() -> dict | None:
    try:
        return json.loads(state_file().read_text())
    except (OSError, ValueError):
        return None


@contextmanager
def _exclusively(path: Path):
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed
        yield


def stop_local_server() -> bool:
    state = _read_state()
    if state is None:
        return False
    stop_process(state["pid"])
    state_file().unlink(missing_ok=True)
    return True
