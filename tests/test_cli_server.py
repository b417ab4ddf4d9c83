"""`parallax server` refusing what it cannot do, at once and in one line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from flows.server import PrefectServerFailed, start_server
from tests.conftest import REPO


def parallax(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=REPO, env=dict(os.environ),
                          capture_output=True, text=True, timeout=60)


def test_a_port_in_use_is_named():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = parallax("server", "start", "--port", str(port))
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == (f"parallax: port {port} on 127.0.0.1 is in use — choose another --port, or leave "
                           "--port out for a free one\n")
    assert parallax("server", "status").returncode == 1


def test_a_port_out_of_range_is_a_usage_error():
    for port in ("99999", "0", "http"):
        done = parallax("server", "start", "--port", port)
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert done.stderr.splitlines()[-1] == (f"parallax server: error: argument --port: '{port}' is not a port "
                                                "(a number from 1 to 65535)")


def test_a_server_too_slow_to_answer_is_said_to_be_slow_not_to_have_exited(tmp_path):
    with pytest.raises(PrefectServerFailed, match=r"did not start within 0 s \(log: .*server\.log\)"):
        start_server(home=tmp_path / "prefect", timeout=0.01)


def test_a_run_says_which_server_before_it_waits_for_one_and_gives_prefect_its_address(monkeypatch):
    # The "temporary server" line came only after the seconds a server takes to start, which it was to explain.
    from contextlib import contextmanager

    from flows import server

    said = []

    @contextmanager
    def started():
        said.append("started")
        yield "http://127.0.0.1:4242/api"
        said.append("stopped")

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setattr(server, "running_local_server", lambda: None)
    monkeypatch.setattr(server, "shared_local_server", started)
    with server.prefect_server_for_run(announce=said.append) as which:
        assert os.environ["PREFECT_API_URL"] == "http://127.0.0.1:4242/api"
    assert said == [which, "started", "stopped"] and which.startswith("temporary server")
    assert "PREFECT_API_URL" not in os.environ
