"""Collect, step 5: append new articles to EVENT_DIR/articles.jsonl without ever losing what is there.

The old lines are copied byte for byte (even ones the corpus loader would reject) into a temporary file,
the new lines follow, and the temporary file replaces the old one in one rename.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..errors import CollectionNotWritten, CollectionRunning

LOCK_FILE = ".collect.lock"


@contextmanager
def only_collection(event_dir: Path):
    """Hold the event's collection lock: two runs appending at once would each rewrite articles.jsonl from
    what they read, and the second would drop the first's articles."""
    with open(event_dir / LOCK_FILE, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CollectionRunning(f"another collection of {event_dir} is running") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_collected(path: Path) -> list[dict]:
    """The articles already in articles.jsonl, as records; lines that are not JSON objects are passed over
    here (the corpus loader reports them) and kept in the file untouched."""
    if not path.is_file():
        return []
    records = []
    # Only "\n" ends a line, as for the corpus loader: append_articles writes U+2028 and U+0085 unescaped.
    for line in path.read_bytes().decode("utf-8-sig", errors="replace").split("\n"):
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            records.append(record)
    return records


def append_articles(path: Path, records: list[dict]) -> None:
    if not records:
        return
    old = path.read_bytes() if path.is_file() else b""
    if old and not old.endswith(b"\n"):
        old += b"\n"
    new = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records).encode()
    write_atomically(path, old + new)


def replace_articles(path: Path, records: dict[str, dict]) -> None:
    """Put each record in place of the line holding the article of its id; every other line stays byte for
    byte."""
    if not records:
        return
    lines = path.read_bytes().split(b"\n")
    for number, line in enumerate(lines):
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and str(record.get("id")) in records:
            lines[number] = json.dumps(records[str(record["id"])], ensure_ascii=False).encode()
    write_atomically(path, b"\n".join(lines))


def write_atomically(path: Path, data: bytes) -> None:
    """Write into a temporary file beside `path`, flush it to disk, then rename it over `path`."""
    try:
        _write_atomically(path, data)
    except OSError as error:
        raise CollectionNotWritten(f"could not write {path}: {error.strerror or error}") from None


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.chmod(temporary, path.stat().st_mode & 0o777 if path.exists() else 0o644)  # mkstemp makes it 0600
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
