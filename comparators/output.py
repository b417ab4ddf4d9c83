"""Stage 8, write: a run's report and tables into one folder, atomically.

Everything is written into a temporary sibling folder first and renamed into place at the end, so a failed
run leaves either the previous output or nothing, never half of one.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from .comparison import Comparison
from .datapackage import DESCRIPTOR
from .errors import OutputExists, OutputNotWritten, RunIncomplete
from .options import Options
from .paths import process_alive
from .report import render_report
from .schema import conform

MARKER = "run.json"
TABLE_FILES = ("articles", "passages", "claims", "coverage", "alignments")
# Parquet row groups of about this size: readers that stream a run (parallax export) hold a few at a time,
# where one group of a million passages would have to be read whole. And of no more rows than this: short rows
# take far more room in memory than in the file.
ROW_GROUP_BYTES = 32 * 2**20
ROW_GROUP_ROWS = 2**17
# Staging folders of Parallax versions that did not name their writer's PID yet (`.NAME.XXXXXXXX.partial`, a
# monitor run's `.<run id>.partial`): whether their writer lives cannot be told, so they are removed once nothing
# in them has changed for this long. A writer fills its staging folder within minutes, then renames it.
UNOWNED_STAGING_SECONDS = 24 * 3600


def write_output(comparison: Comparison, folder: str | Path, *, options: Options | None = None) -> Path:
    """Write report.html, data/*.parquet and run.json into `folder`, replacing an earlier Parallax output.
    `options` are the run's (the report's settings among them); None means the shipped defaults."""
    folder = Path(folder)
    with atomic_folder(folder) as staging:
        (staging / "data").mkdir()
        for table in TABLE_FILES:
            write_parquet(conform(table, getattr(comparison, table)), staging / "data" / f"{table}.parquet",
                          comparison)
        (staging / "report.html").write_text(render_report(comparison, options=options), encoding="utf-8")
        summary = {
            "status": "complete", "run_id": comparison.run_id, "started_at": comparison.started_at,
            "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "event": comparison.slug,
            "title": comparison.title, "signature": str(comparison.signature),
            "components": comparison.signature.components,
            "options": comparison.signature.settings, "outlets": comparison.outlets,
            "corpus": comparison.corpus,
            "counts": {table: getattr(comparison, table).height for table in TABLE_FILES},
            "untranslated": comparison.translation.untranslated, "warnings": comparison.warnings(),
        }
        (staging / MARKER).write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    return folder


def read_run_table(folder: Path, table: str, **read) -> pl.DataFrame:
    """A table of the run in `folder`; RunIncomplete, naming the file, when it is missing or cannot be read."""
    path = folder / "data" / f"{table}.parquet"
    try:
        # glob=False: a run folder named like "Parade [2025]" is a path, not a pattern to expand.
        return pl.read_parquet(path, glob=False, **read)
    except (pl.exceptions.PolarsError, OSError) as error:
        raise RunIncomplete(f"run {folder.name} is damaged: {path} cannot be read ({error})") from None


def write_parquet(data, path: Path, comparison: Comparison) -> None:
    table = data.to_arrow()
    metadata = dict(table.schema.metadata or {})
    metadata.update({b"parallax:signature": str(comparison.signature).encode(),
                     b"parallax:components": comparison.signature.to_json().encode()})
    pq.write_table(table.replace_schema_metadata(metadata), path,
                   row_group_size=row_group_rows(table.num_rows, table.nbytes))


def row_group_rows(rows: int, nbytes: int) -> int:
    """Rows per parquet row group for a table of `rows` rows and `nbytes` bytes: about ROW_GROUP_BYTES a group."""
    return max(1, min(rows, ROW_GROUP_ROWS, ROW_GROUP_BYTES * rows // max(nbytes, 1)))


def check_output_folder(folder: Path, *, marker: str = MARKER) -> None:
    """Raise OutputExists unless `folder` can take an output: it is new, empty, or an earlier output holding
    `marker`. The CLI calls this before a run too, so a bad --out is known before the work, not after it."""
    if folder.exists() and not folder.is_dir():
        raise OutputExists(f"{folder} is a file, not a folder")
    if folder.exists() and any(folder.iterdir()) and not (folder / marker).exists():
        raise OutputExists(f"{folder} exists and is not a Parallax output; not overwriting it")
    nested = _outputs_inside(folder)
    if nested:
        # `compare corpora/* --out reports/` matching one corpus writes into reports/ itself; when more corpora
        # later land in reports/<name>/, replacing reports/ would delete them along with it.
        shown = ", ".join(str(path) for path in nested[:3])
        shown += f" and {len(nested) - 3} more" if len(nested) > 3 else ""
        raise OutputExists(f"{folder} is a Parallax output holding other outputs ({shown}); replacing it would "
                           "delete them", hint="move them out of it first, or write to another folder")
    if folder.exists() and (folder.resolve() == Path.cwd() or folder.resolve() in Path.cwd().parents):
        # It is replaced by renaming: the shell it was given from would be left in a deleted folder, seeing nothing.
        raise OutputExists(f"{folder} is the folder you are in (or holds it); it cannot be replaced from inside",
                           hint="name a folder inside it (such as ./dataset), or run from its parent")
    nearest = next(parent for parent in folder.absolute().parents if parent.exists())
    if not nearest.is_dir():
        raise OutputExists(f"{nearest} is a file, so {folder} cannot be created in it")


def _outputs_inside(folder: Path) -> list[Path]:
    """Runs and datasets (folders holding run.json or datapackage.json) below `folder`, not counting itself."""
    if not folder.is_dir():
        return []
    found = []
    for parent, _folders, files in os.walk(folder):
        if Path(parent) != folder and {MARKER, DESCRIPTOR} & set(files):
            found.append(Path(parent))
    return sorted(found)


@contextmanager
def atomic_folder(folder: Path, *, marker: str = MARKER):
    """Yield an empty staging folder; on success it replaces `folder` (empty, or an earlier output holding
    `marker`), on failure it is removed. The system refusing a write (a full disk, say) is OutputNotWritten.

    The staging folder is `.NAME.PID-XXXXXXXX.partial` beside `folder`, and an output being replaced is set
    aside as `.NAME.old-PID` between two renames; a process killed meanwhile leaves them behind, and the next
    write (or export) puts that right (recover_folder).

    A symbolic link is written through: the folder it points to is replaced, and the link stays."""
    folder = Path(os.path.realpath(folder))
    recover_folder(folder)
    check_output_folder(folder, marker=marker)
    with _writing(folder):
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.{os.getpid()}-", suffix=".partial",
                                            dir=folder.parent))
        except OSError as error:
            raise OutputNotWritten(f"could not write {folder}: {error}") from None
        try:
            yield staging
            os.chmod(staging, 0o755)
            if folder.exists():
                retired = folder.with_name(f".{folder.name}.old-{os.getpid()}")
                os.rename(folder, retired)
                try:
                    os.rename(staging, folder)
                except BaseException:  # a Ctrl-C or SIGTERM too: the output stays where the user looks for it
                    os.rename(retired, folder)
                    raise
                shutil.rmtree(retired, ignore_errors=True)
            else:
                os.rename(staging, folder)
        except OSError as error:
            shutil.rmtree(staging, ignore_errors=True)
            raise OutputNotWritten(f"could not write {folder}: {error}") from None
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


def recover_folder(folder: Path) -> None:
    """Undo what a writer killed inside atomic_folder left beside `folder`. Killed between its two renames, it
    left no `folder` at all, only the previous output set aside: that is renamed back, since the replacement
    never landed. Set-aside outputs beside a `folder` that exists (killed while deleting one), and staging
    folders, are removed. Whatever a process still running left is not touched: it may be at work on it; nor is
    a staging folder of an older version, which names no process, until UNOWNED_STAGING_SECONDS have passed."""
    try:
        beside = list(folder.parent.iterdir())
    except OSError:  # no parent folder yet: nothing was left there
        return
    name = re.escape(folder.name)
    retired_name = re.compile(rf"\.{name}\.old-(\d+)")
    staging_name = re.compile(rf"\.{name}\.(\d+)-[a-z0-9_]+\.partial")
    unowned_name = re.compile(rf"\.{name}\.[a-z0-9_]{{8}}\.partial")  # tempfile.mkdtemp's, without a PID
    retired, staged = [], []
    for path in beside:
        if not path.is_dir() or path.is_symlink():
            continue
        for pattern, found in ((retired_name, retired), (staging_name, staged)):
            match = pattern.fullmatch(path.name)
            if match and not _at_work(int(match[1]), folder):
                found.append(path)
        if unowned_name.fullmatch(path.name) and untouched_for(path, UNOWNED_STAGING_SECONDS):
            staged.append(path)
    # Of several set-aside outputs (writers killed one after another), the one written last is the newest.
    retired.sort(key=_modified, reverse=True)
    if retired and _missing_or_empty(folder):
        # Another process recovering it at the same moment may have got there first.
        with contextlib.suppress(OSError):
            os.rename(retired.pop(0), folder)
    if _missing_or_empty(folder):  # not restored: keep every earlier output rather than lose them all
        retired = []
    for path in retired + staged:
        shutil.rmtree(path, ignore_errors=True)


# Folders this process is writing through atomic_folder now: its own PID on a leftover names them, or an
# earlier process that had the same PID (a restarted container hands the same PIDs out again).
_WRITING: set[Path] = set()
_WRITING_LOCK = threading.Lock()


@contextmanager
def _writing(folder: Path):
    key = Path(os.path.abspath(folder))
    with _WRITING_LOCK:
        _WRITING.add(key)
    try:
        yield
    finally:
        with _WRITING_LOCK:
            _WRITING.discard(key)


def _at_work(pid: int, folder: Path) -> bool:
    """Whether process `pid` may still be writing `folder`. Another process that holds a dead writer's PID is
    taken for the writer: its leftovers wait until it ends, never the other way round."""
    if pid == os.getpid():
        with _WRITING_LOCK:
            return Path(os.path.abspath(folder)) in _WRITING
    return process_alive(pid)


def untouched_for(path: Path, seconds: float) -> bool:
    """Whether nothing in the folder `path`, itself included, has changed for `seconds`. A folder changing or
    vanishing while it is read is taken for one in use."""
    try:
        newest = path.lstat().st_mtime
        for root, folders, files in os.walk(path, onerror=_raise):
            for name in folders + files:
                newest = max(newest, os.lstat(os.path.join(root, name)).st_mtime)
    except OSError:
        return False
    return newest < time.time() - seconds


def _raise(error: OSError) -> None:
    raise error


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed meanwhile by another process recovering the same folder
        return 0.0


def _missing_or_empty(folder: Path) -> bool:
    if not os.path.lexists(folder):
        return True
    try:
        return folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir())
    except OSError:
        return False
