"""The translation cache: English text stored by (hash of the source text, engine, model with its version).

One SQLite file under the data folder, in WAL mode so that two runs at once can read and write it. A file that
SQLite cannot read is moved aside and a new one started, with a warning: losing the cache costs time, never a run.
Connections that meet one unreadable file at once replace it once, one at a time (a lock file beside it).
A cache that cannot be written (a full disk, a read-only folder) is no corrupt one: it is kept as it is, read
where it can be, and the translations it could not keep are counted in the run's notes.
"""

from __future__ import annotations

import fcntl
import hashlib
import sqlite3
import time
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .paths import data_dir

FILE_NAME = "translations.sqlite3"
SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    source_hash TEXT NOT NULL,
    engine TEXT NOT NULL,
    model TEXT NOT NULL,
    text_en TEXT NOT NULL,
    PRIMARY KEY (source_hash, engine, model)
) WITHOUT ROWID
"""
# Extended result codes (sqlite_errorname) of a disk or folder that refuses writes: the file is sound, so it is not
# set aside as an unreadable one is.
UNWRITABLE_ERRORS = ("SQLITE_FULL", "SQLITE_READONLY", "SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_PERM")
# SQLite's limit on host parameters in one statement is 32766; stay well below it.
LOOKUP_CHUNK = 900


class CacheCorruptWarning(UserWarning):
    """The cache file could not be read and was replaced by an empty one."""


def source_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class TranslationCache:
    """Look up and store translations. `notes` collects what a reader of the run should know (a rebuilt cache)."""

    def __init__(self, path: Path | None = None, *, busy_seconds: float = 30.0):
        self.path = Path(path) if path else data_dir() / FILE_NAME
        self.busy_seconds = busy_seconds
        self._notes: list[str] = []
        self._unstored = 0
        self._busy_unstored = 0
        self._busy_error: Exception | None = None
        self._write_error: Exception | None = None
        self._read_only = False  # a cache that could not be opened for writing is never set aside either
        self._connection = self._open()

    @property
    def notes(self) -> list[str]:
        """One line per condition, however many batches met it."""
        notes = list(self._notes)
        if self._busy_unstored:
            notes.append(f"translation cache busy; {self._busy_unstored} translation(s) not stored "
                         f"({self._busy_error})")
        if self._write_error is not None:
            lost = (f"{self._unstored} translation(s) not kept, to be translated again by the next run"
                    if self._unstored else "this run's translations are not kept")
            notes.append(f"translation cache {self.path} could not be written ({self._write_error}); {lost}: "
                         f"make room on its disk, or set PARALLAX_HOME to a folder you may write")
        return notes

    def lookup(self, texts: list[str], *, engine: str, model: str) -> dict[str, str]:
        """English for those of `texts` already translated by this engine and model, keyed by source text."""
        by_hash = {source_hash(text): text for text in texts}
        found: dict[str, str] = {}
        hashes = list(by_hash)
        for start in range(0, len(hashes), LOOKUP_CHUNK):
            chunk = hashes[start:start + LOOKUP_CHUNK]
            rows = self._query(
                f"SELECT source_hash, text_en FROM translations WHERE engine = ? AND model = ? "
                f"AND source_hash IN ({','.join('?' * len(chunk))})", [engine, model, *chunk])
            found.update({by_hash[digest]: english for digest, english in rows})
        return found

    def store(self, pairs: list[tuple[str, str]], *, engine: str, model: str) -> None:
        """Keep (source text, English) pairs; one transaction, so a crash leaves all or none of them."""
        rows = [(source_hash(source), engine, model, english) for source, english in pairs]
        if self._read_only:
            self._unstored += len(rows)
            return
        try:
            with self._connection:
                self._connection.executemany("INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?)", rows)
        except sqlite3.DatabaseError as error:
            if isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
                self._busy_unstored += len(rows)
                self._busy_error = self._busy_error or error
                return
            if _unwritable(error):
                self._unstored += len(rows)
                self._write_error = self._write_error or error
                return
            self._rebuild(error)
            with self._connection:
                self._connection.executemany("INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?)", rows)

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> "TranslationCache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _query(self, sql: str, parameters: list) -> list[tuple]:
        try:
            return self._connection.execute(sql, parameters).fetchall()
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or _unwritable(error) or self._read_only:
                return []
            self._rebuild(error)
        except sqlite3.DatabaseError as error:
            if not self._read_only:
                self._rebuild(error)
        return []

    def _open(self) -> sqlite3.Connection:
        # Under the lock, so that no other connection of this or another run opens the file while one is setting
        # an unreadable file aside and starting the new one (the compare flow opens one per language at once).
        with self._lock():
            try:
                connection = self._connect()
            except sqlite3.DatabaseError as error:
                if _unwritable(error):
                    return self._connect_read_only(error)
                self._set_aside(error)
                connection = self._connect_or_read_only()
            self._identity = _identity(self.path)
            return connection

    def _connect_or_read_only(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except sqlite3.DatabaseError as error:
            if not _unwritable(error):
                raise
            return self._connect_read_only(error)

    def _connect_read_only(self, error: Exception) -> sqlite3.Connection:
        """The cache as it is, for lookups only; where even that fails, an empty one in memory for this run."""
        self._write_error = error
        self._identity = _identity(self.path)
        self._read_only = True
        # SQLite opens a WAL file read-only only where it may create the shared-memory file beside it; where it
        # may not (a read-only folder, a full disk), no other run can be adding to it either, so it may be read as
        # unchanging.
        for query in ("mode=ro", "mode=ro&immutable=1"):
            try:
                connection = sqlite3.connect(f"{self.path.as_uri()}?{query}", uri=True, timeout=self.busy_seconds)
            except sqlite3.DatabaseError:
                continue
            try:
                connection.execute("SELECT count(*) FROM translations LIMIT 1").fetchone()
                return connection
            except sqlite3.DatabaseError:
                connection.close()
        connection = sqlite3.connect(":memory:")
        connection.execute(SCHEMA)
        return connection

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=self.busy_seconds, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute(SCHEMA)
            connection.execute("SELECT count(*) FROM translations LIMIT 1").fetchone()
            connection.isolation_level = "DEFERRED"
        except sqlite3.DatabaseError:
            connection.close()
            raise
        return connection

    def _rebuild(self, error: Exception) -> None:
        self._connection.close()
        with self._lock():
            if _identity(self.path) == self._identity:  # else another run has already started a new file
                self._set_aside(error)
            self._connection = self._connect_or_read_only()
            self._identity = _identity(self.path)

    @contextmanager
    def _lock(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            handle = open(self.path.with_name(f"{self.path.name}.lock"), "a")
        except OSError:  # a read-only folder: no run can replace the file there, so there is nothing to order
            yield
            return
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed
            yield

    def _set_aside(self, error: Exception) -> None:
        first = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
        aside, number = first, 1
        while aside.exists():  # a second rebuild within the same second keeps the first one's file too
            number += 1
            aside = first.with_name(f"{first.name}-{number}")
        for suffix in ("", "-wal", "-shm"):
            part = Path(f"{self.path}{suffix}")
            if part.exists():
                part.replace(Path(f"{aside}{suffix}"))
        note = f"translation cache {self.path} could not be read ({error}); moved to {aside.name}, starting a new one"
        self._notes.append(note)
        warnings.warn(note, CacheCorruptWarning, stacklevel=3)


def _unwritable(error: sqlite3.DatabaseError) -> bool:
    """A disk or folder that refuses writes, as opposed to a damaged file."""
    return (getattr(error, "sqlite_errorname", "") or "").startswith(UNWRITABLE_ERRORS)


def _identity(path: Path) -> tuple[int, int] | None:
    """Which file is at `path` (device, inode): tells whether another run has replaced it."""
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    return found.st_dev, found.st_ino
