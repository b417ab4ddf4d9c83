"""Shared fixtures: paths, options, an isolated data folder, and one real Prefect server for the session."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEMO = REPO / "corpora" / "beijing-parade-2025"

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


@contextmanager
def files_limited_to(nbytes: int):
    """The system refuses to write a file past `nbytes` (EFBIG), as a full disk refuses with ENOSPC: for this
    process, while the context is open."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    # Without this the kernel kills the process (SIGXFSZ) instead of failing the write.
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (nbytes, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


@contextmanager
def mounted(target: Path, *arguments: str):
    """`mount ARGUMENTS TARGET` while the context is open: a filesystem of its own to fill or to see read-only.
    Mounting needs root and, in a container, the right to mount: elsewhere the test is skipped, saying why."""
    if os.geteuid() != 0:
        pytest.skip("mounts a filesystem of its own, which needs root (CI runs as root)")
    done = subprocess.run(["mount", *arguments, str(target)], capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"mounts a filesystem of its own, which this machine refuses: {done.stderr.strip()}")
    try:
        yield target
    finally:
        subprocess.run(["umount", str(target)], check=True)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"shared material missing: expected {SHARED} beside the repository")
    return SHARED


@pytest.fixture(scope="session")
def seed_text(shared_dir) -> str:
    return next((shared_dir / "seeds").glob("*.txt")).read_text(encoding="utf-8")


@pytest.fixture
def options():
    from comparators.options import load_options

    return load_options(None)


@pytest.fixture(autouse=True)
def parallax_home(tmp_path_factory, monkeypatch) -> Path:
    """Every test gets its own data folder (translation cache, models, server state)."""
    home = tmp_path_factory.mktemp("parallax-home")
    monkeypatch.setenv("PARALLAX_HOME", str(home))
    monkeypatch.delenv("PARALLAX_CONFIG", raising=False)
    return home


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    """One real Prefect server (SQLite, 127.0.0.1) shared by every test that runs flows. Yields its API URL."""
    from flows.server import start_server, stop_process

    process, url = start_server(home=tmp_path_factory.mktemp("prefect-home"))
    yield url
    stop_process(process.pid)


@pytest.fixture
def run_parallax(prefect_server, parallax_home):
    """Run the `parallax` command against the shared Prefect server; returns the CompletedProcess."""

    def run(*args: str, cwd: Path | None = None, timeout: float = 300, **env: str) -> subprocess.CompletedProcess:
        environment = {**os.environ, "PREFECT_API_URL": prefect_server, "PARALLAX_HOME": str(parallax_home), **env}
        return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=cwd or REPO, env=environment,
                              capture_output=True, text=True, timeout=timeout)

    return run
