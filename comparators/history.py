"""Run history of a monitored event: each run's folder under reports/<event>/, a `latest` pointer to the last
complete one, a table of every run, and what changed since the previous run.

A run is staged in a hidden folder and renamed into reports/<event>/<run id>/ whole; only then is its history
row appended and `latest` repointed. A run that fails or is killed therefore never moves `latest`, and a run
folder without a hidden name is always complete. Nothing is ever overwritten: run ids are unique.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import socket
import tempfile
import time
import uuid
import warnings
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import polars as pl

from .normalize import normalize
from .comparison import Comparison, RunChanges, now_iso
from .errors import HistoryNotWritten, ReportsFolderTaken
from .output import MARKER, UNOWNED_STAGING_SECONDS, read_run_table, untouched_for
from .paths import process_alive
from .schema import conform, frame

LATEST = "latest"
RUN_ID = re.compile(r"\d{8}T\d{6}Z-[0-9a-f]{6}")  # comparison.new_run_id
HISTORY_FILE = "history.parquet"
LOCK_FILE = ".history.lock"
OWNER_FILE = ".event-folder"
WORK_KEYS = ("flow_run_id", "translated", "cache_hits", "fetched", "unchanged", "collect_failures")


class HistoryCorruptWarning(UserWarning):
    """The history table could not be read; it was set aside and rebuilt from the event's complete runs."""


def claim_event_reports(event_reports: Path, event_dir: Path) -> None:
    """Make `event_reports` (reports/<event>/) the folder of the runs of the event folder `event_dir` (a resolved
    path), recorded in its OWNER_FILE by the first run or serve to come; ReportsFolderTaken when it is another
    event folder's: two corpora folders may each hold an event folder of that name, and their runs, history and
    `latest` must not mix."""
    event_reports.mkdir(parents=True, exist_ok=True)
    owner_file = event_reports / OWNER_FILE
    handle, temporary = tempfile.mkstemp(prefix=f"{OWNER_FILE}.", dir=event_reports)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as claim:
            claim.write(f"{event_dir}\n")
        os.link(temporary, owner_file)  # whole and exclusive: of two claiming at once, one wins, the other reads it
        return
    except FileExistsError:
        owner = owner_file.read_text(encoding="utf-8").strip()
    finally:
        os.unlink(temporary)
    if owner != str(event_dir):
        raise ReportsFolderTaken(
            f"{event_reports} holds the runs of the event folder {owner}, not of {event_dir}",
            hint=f"rename one of the two event folders, or give it its own --reports; if {owner} was moved to "
                 f"{event_dir}, delete {owner_file}")


def staging_folder(event_reports: Path, run_id: str) -> Path:
    """Where a run is written before it is published; hidden, so nothing reads it as a run. It names the machine
    and process writing it, so that a later run can tell a killed run's folder (remove_abandoned_runs)."""
    return event_reports / f".{run_id}.{socket.gethostname()}-{os.getpid()}.partial"


def remove_old_runs(event_reports: Path, *, keep: int) -> list[str]:
    """Remove the complete run folders older than the newest `keep` ([serve] keep_runs), never the one `latest`
    points at, and return their names; their history rows stay. Each is renamed hidden first, so that a removal
    cut short leaves no half run in sight."""
    runs = sorted(path for path in event_reports.iterdir() if RUN_ID.fullmatch(path.name) and path.is_dir()
                  and not path.is_symlink() and read_run_summary(path).get("status") == "complete")
    latest = latest_run(event_reports)
    removed = []
    for run in runs[:-keep] if keep else []:
        if run == latest:
            continue
        hidden = event_reports / f".{run.name}.removing"
        os.rename(run, hidden)
        shutil.rmtree(hidden, ignore_errors=True)
        removed.append(run.name)
    return removed


def remove_abandoned_runs(event_reports: Path) -> list[str]:
    """Remove what killed runs left in `event_reports`, and return the names: staging folders whose process on
    this machine is gone, with write_output's own staging folders for them (a run killed while writing its
    tables), and runs a removal (remove_old_runs) was cut short in. Another machine's are left alone, since its
    processes cannot be seen from here (a reports folder shared by workers), and so is this process's own: it
    may be writing one now. An older version's staging folders, which name no machine or process, are removed
    once nothing in them has changed for UNOWNED_STAGING_SECONDS."""
    removed = []
    for path in sorted(event_reports.iterdir()):
        if path.is_dir() and not path.is_symlink() and _abandoned(path.name, path):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    return removed


# With write_output's staging folder for one, named as atomic_folder named it then (with its PID, or without).
_UNOWNED = re.compile(rf"\.{RUN_ID.pattern}\.partial|\.\.{RUN_ID.pattern}\.partial\.(\d+-)?[a-z0-9_]+\.partial")
_REMOVING = re.compile(rf"\.{RUN_ID.pattern}\.removing")


def _abandoned(name: str, path: Path) -> bool:
    if _REMOVING.fullmatch(name):
        return True
    if _UNOWNED.fullmatch(name):
        return untouched_for(path, UNOWNED_STAGING_SECONDS)
    host = re.escape(socket.gethostname())
    # write_output's staging folder for a run's (output.atomic_folder's name: ".<folder>.<pid>-….partial") names
    # its writer, the run's own process.
    match = (re.fullmatch(rf"\.\..+\.{host}-\d+\.partial\.(\d+)-[a-z0-9_]+\.partial", name)
             or re.fullmatch(rf"\..+\.{host}-(\d+)\.partial", name))
    return bool(match) and int(match[1]) != os.getpid() and not process_alive(int(match[1]))


def publish_run(staging: Path, event_reports: Path, row: dict) -> Path:
    """Move a staged, complete run to reports/<event>/<run id>/, record it, and point `latest` at it."""
    folder = event_reports / row["run_id"]
    os.rename(staging, folder)
    try:
        append_history(event_reports, row)
    except BaseException:  # a full disk, say: a run is kept only once the history has its row
        os.rename(folder, staging)
        raise
    point_latest(event_reports, folder.name)
    return folder


def discard_run(staging: Path, event_reports: Path, row: dict) -> None:
    """Record a failed run and remove whatever it staged; `latest` stays where it was."""
    shutil.rmtree(staging, ignore_errors=True)
    append_history(event_reports, row)


def latest_run(event_reports: Path) -> Path | None:
    """The folder `latest` points at, when it holds a complete run."""
    link = event_reports / LATEST
    if not link.is_symlink():
        return None
    folder = link.resolve()
    return folder if read_run_summary(folder).get("status") == "complete" else None


def read_run_summary(folder: Path) -> dict:
    try:
        return json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def read_history(event_reports: Path) -> pl.DataFrame:
    path = event_reports / HISTORY_FILE
    # glob=False here and below: an event folder named "Parade [2025]" is a path, not a pattern to expand.
    return pl.read_parquet(path, glob=False) if path.exists() else frame("history", [])


def append_history(event_reports: Path, row: dict) -> None:
    """Add one row to the event's history table: rewritten whole into a temporary file and renamed over the
    old one, under a lock, so concurrent runs neither lose a row nor leave a torn file. A table that cannot be
    read is set aside and rebuilt (HistoryCorruptWarning); one written by an earlier version, with fewer
    columns, gains the new ones empty."""
    path = event_reports / HISTORY_FILE
    with _locked(event_reports / LOCK_FILE):
        try:
            earlier = read_history(event_reports)
        except (pl.exceptions.PolarsError, OSError) as error:  # damaged (a disk fault, a copy cut short)
            earlier = _rebuild_history(event_reports, error, adding=row["run_id"])
        updated = conform("history", pl.concat([earlier, frame("history", [row])], how="diagonal_relaxed"))
        handle, temporary = tempfile.mkstemp(prefix=f".{HISTORY_FILE}.", dir=event_reports)
        os.close(handle)
        try:
            updated.write_parquet(temporary)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except (OSError, pl.exceptions.PolarsError) as error:  # a full disk, say
            os.unlink(temporary)
            raise HistoryNotWritten(f"could not write {path}: {error}") from None
        except BaseException:
            os.unlink(temporary)
            raise


def _rebuild_history(event_reports: Path, error: Exception, *, adding: str) -> pl.DataFrame:
    """Under the history lock: move the unreadable table aside, where the rows of failed runs stay, and make a
    new one of the complete runs' own records (run.json), but for the run `adding` whose row comes next."""
    path = event_reports / HISTORY_FILE
    stamp = time.strftime("%Y%m%dT%H%M%S")
    aside, number = path.with_name(f"{HISTORY_FILE}.corrupt-{stamp}"), 1
    while aside.exists():  # a second rebuild within the same second keeps the first one's file too
        number += 1
        aside = path.with_name(f"{HISTORY_FILE}.corrupt-{stamp}-{number}")
    path.replace(aside)
    runs = [folder for folder in sorted(event_reports.iterdir()) if folder.is_dir() and not folder.is_symlink()
            and not folder.name.startswith(".") and folder.name != adding]
    rows = [_row_of_run(summary) for summary in map(read_run_summary, runs)
            if summary.get("status") == "complete" and "work" in summary]
    warnings.warn(f"history {path} could not be read ({error}); moved to {aside.name} (failed runs are listed "
                  f"only there) and rebuilt from the {len(rows)} complete run(s)", HistoryCorruptWarning,
                  stacklevel=3)
    return frame("history", sorted(rows, key=lambda row: row["started_at"] or ""))


def _row_of_run(summary: dict) -> dict:
    """A complete run's history row, from the run.json that record_in_run completed."""
    counts, changes = summary.get("counts", {}), summary.get("changes")
    return {"run_id": summary["run_id"], "status": "complete", "started_at": summary.get("started_at"),
            "finished_at": summary.get("finished_at"), "reused_from": summary.get("reused_from"),
            "signature": summary.get("signature"), "articles": counts.get("articles"),
            "outlets": len(summary.get("outlets", [])), "passages": counts.get("passages"),
            "claims": counts.get("claims"), **summary["work"],
            "new_outlets": len(changes["new_outlets"]) if changes else None,
            "new_claims": len(changes["new_claims"]) if changes else None,
            "dropped": len(changes["dropped"]) if changes else None,
            # A run.json written before edits were told has none to count.
            "edited": len(changes["edited"]) if changes and "edited" in changes else None, "error": None}


def point_latest(event_reports: Path, run_id: str) -> None:
    """Swap `latest` to the run in one step: a new relative symlink renamed over the old one."""
    temporary = event_reports / f".{LATEST}.{uuid.uuid4().hex}"
    os.symlink(run_id, temporary)
    try:
        os.replace(temporary, event_reports / LATEST)
    except BaseException:
        temporary.unlink()
        raise


def history_row(comparison: Comparison, *, flow_run_id: str | None, reused_from: str | None = None,
                fetched: int | None = None, unchanged: int | None = None, collect_failures: int | None = None
                ) -> dict:
    """The history row of a complete run; the collection counts stay null for an event without sources."""
    changes = comparison.changes
    translation = comparison.translation
    return {
        "run_id": comparison.run_id, "flow_run_id": flow_run_id, "status": "complete",
        "started_at": comparison.started_at, "finished_at": now_iso(), "reused_from": reused_from,
        "signature": str(comparison.signature), "articles": comparison.articles.height,
        "outlets": len(comparison.outlets), "passages": comparison.passages.height,
        "claims": comparison.claims.height,
        "translated": translation.translated, "cache_hits": translation.cache_hits,
        "fetched": fetched, "unchanged": unchanged, "collect_failures": collect_failures,
        "new_outlets": len(changes.new_outlets) if changes else None,
        "new_claims": len(changes.new_claims) if changes else None,
        "dropped": len(changes.dropped) if changes else None,
        "edited": len(changes.edited) if changes else None, "error": None,
    }


def record_in_run(folder: Path, row: dict, changes: RunChanges | None) -> None:
    """Add to a staged run's run.json whether it reused an earlier run, the work it did, and what changed since
    the previous run, so a run folder tells its own story."""
    summary = read_run_summary(folder)
    summary.update({"reused_from": row["reused_from"], "work": {key: row[key] for key in WORK_KEYS},
                    "changes": asdict(changes) if changes else None})
    handle, temporary = tempfile.mkstemp(prefix=f".{MARKER}.", dir=folder)
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        json.dump(summary, file, indent=2, ensure_ascii=False)
    os.chmod(temporary, 0o644)
    os.replace(temporary, folder / MARKER)


def failure_row(run_id: str, started_at: str, error: str, *, flow_run_id: str | None) -> dict:
    return {"run_id": run_id, "flow_run_id": flow_run_id, "status": "failed", "started_at": started_at,
            "finished_at": now_iso(), "error": error}


def changes_since(previous_run_folder: Path, comparison: Comparison) -> RunChanges:
    """New outlets, new claims, and claims an outlet dropped, since the run in `previous_run_folder`.

    Claim ids are given per run, so claims are matched across runs through their passages: the same passage id
    (the same text at the same place of the same article), or the same English wording. An outlet dropped a
    claim when it included it before and now omits it; an outlet that is missing from this run, or whose text
    could not be translated this time, dropped nothing we can tell. RunIncomplete when its tables cannot be read.
    """
    before = {table: read_run_table(previous_run_folder, table)
              for table in ("articles", "passages", "claims", "coverage")}
    previous_claim_of_passage = _claim_by(before["passages"], "passage_id")
    previous_claim_of_text = _claim_by(before["passages"], "text_en")
    current_of_previous: dict[str, set[str]] = {}
    matched_now: set[str] = set()
    for row in comparison.passages.filter(pl.col("claim_id").is_not_null()).iter_rows(named=True):
        for previous in (previous_claim_of_passage.get(row["passage_id"]),
                         previous_claim_of_text.get(normalize(row["text_en"] or ""))):
            if previous:
                current_of_previous.setdefault(previous, set()).add(row["claim_id"])
                matched_now.add(row["claim_id"])

    status_now = {(claim, outlet): status for claim, outlet, status in
                  comparison.coverage.select("claim_id", "outlet", "status").iter_rows()}
    fully_translated = {outlet for (outlet,), group in comparison.passages.group_by("outlet")
                        if group["text_en"].null_count() == 0}
    text_before = dict(before["claims"].select("claim_id", "text_en").iter_rows())
    outlets_now = set(comparison.outlets)
    dropped = []
    included_before = before["coverage"].filter(pl.col("status") == "included").sort("claim_id", "outlet")
    for claim, outlet in included_before.select("claim_id", "outlet").iter_rows():
        if outlet not in outlets_now:
            continue
        statuses = {status_now.get((current, outlet)) for current in current_of_previous.get(claim, ())}
        if statuses & {"included", "partial", "unknown"}:
            continue
        if statuses or outlet in fully_translated:
            dropped.append((outlet, text_before.get(claim) or ""))

    summary = read_run_summary(previous_run_folder)
    return RunChanges(
        previous_run_id=summary.get("run_id", previous_run_folder.name),
        new_outlets=sorted(outlets_now - set(before["articles"]["outlet"])),
        new_claims=[claim for claim in comparison.claims["claim_id"] if claim not in matched_now],
        dropped=dropped,
        edited=_edited_articles(before["articles"], comparison.articles),
    )


def _edited_articles(before: pl.DataFrame, now: pl.DataFrame) -> list[tuple[str, str]]:
    """(outlet, address, else id) of each article in both runs whose text or headline differs."""
    version = ("article_id", "outlet", "digest", "title", "url")
    joined = now.select(version).join(before.select("article_id", "digest", "title"), on="article_id",
                                      suffix="_before")
    changed = joined.filter((pl.col("digest") != pl.col("digest_before"))
                            | pl.col("title").ne_missing(pl.col("title_before")))
    return [(outlet, url or article_id) for article_id, outlet, url in
            changed.sort("outlet", "article_id").select("article_id", "outlet", "url").iter_rows()]


def _claim_by(passages: pl.DataFrame, key: str) -> dict[str, str]:
    """Previous run's claim of each passage id, or of each normalized English wording."""
    rows = passages.filter(pl.col("claim_id").is_not_null())
    if key == "text_en":  # an untranslated passage can join a claim by its anchors, and has no wording
        wordings = {normalize(text): claim for text, claim in
                    rows.filter(pl.col("text_en").is_not_null()).select("text_en", "claim_id").iter_rows()}
        wordings.pop("", None)  # punctuation alone says nothing
        return wordings
    return dict(rows.select(key, "claim_id").iter_rows())


@contextmanager
def _locked(path: Path):
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
