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
    assert done.stderr.splitlines()[-1] == line and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []
