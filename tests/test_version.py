"""The pipeline version a run records: the release, and the commit when Parallax runs from a git checkout."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from comparators import __version__
from comparators.version import pipeline_version

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _git(folder: Path, *arguments: str) -> str:
    return subprocess.run(["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@t", *arguments],
                          capture_output=True, text=True, check=True).stdout.strip()


def _version(folder: Path) -> str:
    pipeline_version.cache_clear()
    try:
        return pipeline_version(folder)
    finally:
        pipeline_version.cache_clear()


def test_a_checkout_names_its_commit_and_whether_the_engine_was_edited(tmp_path):
    engine = tmp_path / "repo" / "comparators"
    engine.mkdir(parents=True)
    (engine / "__init__.py").write_text("x = 1\n")
    (tmp_path / "repo" / "README.md").write_text("docs\n")
    _git(tmp_path / "repo", "init", "-q")
    _git(tmp_path / "repo", "add", ".")
    _git(tmp_path / "repo", "commit", "-qm", "first")
    commit = _git(tmp_path / "repo", "rev-parse", "--short=12", "HEAD")
    assert _version(engine) == f"{__version__}+g{commit}"
    (tmp_path / "repo" / "README.md").write_text("other docs\n")
    (engine / "notes.txt").write_text("untracked\n")
    assert _version(engine) == f"{__version__}+g{commit}", "docs and untracked files change no output"
    (engine / "__init__.py").write_text("x = 2\n")
    assert _version(engine) == f"{__version__}+g{commit}.dirty"


def test_outside_a_checkout_or_untracked_in_one_it_is_the_release(tmp_path):
    assert _version(tmp_path) == __version__
    _git(tmp_path, "init", "-q")
    (tmp_path / "site-packages" / "comparators").mkdir(parents=True)
    (tmp_path / "site-packages" / "comparators" / "__init__.py").write_text("x = 1\n")
    (tmp_path / "tracked.txt").write_text("t\n")
    _git(tmp_path, "add", "tracked.txt")
    _git(tmp_path, "commit", "-qm", "first")
    assert _version(tmp_path / "site-packages" / "comparators") == __version__


def test_this_checkout_records_its_commit_in_the_signature(options):
    from comparators.signature import build_signature
    from comparators.translate import TranslationSummary

    try:
        commit = _git(Path(__file__).resolve().parents[1], "rev-parse", "--short=12", "HEAD")
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not run from a git checkout")
    signature = build_signature(options=options, translation=TranslationSummary(), corpus_digest="0" * 64)
    assert re.fullmatch(re.escape(f"{__version__}+g{commit}") + r"(\.dirty)?", signature.components["parallax"])
