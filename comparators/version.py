"""The pipeline version a run records: the release, and in a git checkout the commit it runs from, because two
commits of one release can give different passages, claims or numbers."""

from __future__ import annotations

import subprocess
from functools import lru_cache
from pathlib import Path

from . import __version__


@lru_cache(maxsize=None)
def pipeline_version(folder: Path = Path(__file__).resolve().parent) -> str:
    """'0.1.0' when installed from a release; '0.1.0+g1bf0075c1a2b' from a checkout, '.dirty' added when the
    engine's tracked files differ from that commit (edits to tests or docs change no output)."""
    try:
        if not _git(folder, "ls-files", "--", "__init__.py"):  # installed into a folder some other repository holds
            return __version__
        commit = _git(folder, "rev-parse", "--short=12", "HEAD")
        edited = _git(folder, "status", "--porcelain", "--untracked-files=no", "--", ".")
    except (OSError, subprocess.SubprocessError):
        return __version__
    return f"{__version__}+g{commit}{'.dirty' if edited else ''}"


def _git(folder: Path, *arguments: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *arguments], capture_output=True, text=True, check=True,
                          timeout=10).stdout.strip()
