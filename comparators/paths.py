"""Where Parallax keeps state that outlives a run: the translation cache, Argos models, the local Prefect server;
and whether the process that left a folder behind still runs."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import DataFolderUnusable


def data_dir() -> Path:
    """$PARALLAX_HOME, else $XDG_DATA_HOME/parallax, else ~/.local/share/parallax (created on first use)."""
    if os.environ.get("PARALLAX_HOME"):
        folder = Path(os.environ["PARALLAX_HOME"])
    else:
        base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
        folder = Path(base) / "parallax"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:  # a file of that name, or a folder this user may not write
        raise DataFolderUnusable(f"the Parallax data folder {folder} cannot be used ({error.strerror})") from None
    return folder


def process_alive(pid: int) -> bool:
    """Whether a process `pid` runs on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, but another user's
        return True
    return True
