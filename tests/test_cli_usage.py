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
])
def test_a_bad_argument_exits_2_with_one_line_saying_what_is_allowed(args, line, tmp_path):
    # No Prefect server answers here: a usage error is found before anything would need one.
    done = subprocess.run([sys.executable, "-m", "flows.cli", *[arg.format(tmp=tmp_path) for arg in args]],
                          cwd=REPO, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PREFECT_API_URL": "http://127.0.0.1:9/api"})
    assert done.returncode == 2 and done.stdout == "", done.stderr
    assert done.stderr.splitlines()[-1] == line and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []
