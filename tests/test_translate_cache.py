"""The translation cache: keyed by text, engine and model version; survives a corrupt file and two writers."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
import threading
import warnings

import pytest

from comparators.translation_cache import FILE_NAME, CacheCorruptWarning, TranslationCache
from tests.conftest import REPO, mounted


def test_stored_translations_come_back_for_the_same_engine_and_model_only(tmp_path):
    with TranslationCache(tmp_path / FILE_NAME) as cache:
        cache.store([("Hola.", "Hello."), ("Adiós.", "Goodbye.")], engine="apertium", model="spa-eng 0.8.1")
        assert cache.lookup(["Hola.", "Adiós.", "Nuevo."], engine="apertium", model="spa-eng 0.8.1") == {
            "Hola.": "Hello.", "Adiós.": "Goodbye."}
        assert cache.lookup(["Hola."], engine="apertium", model="spa-eng 0.9.0") == {}
        assert cache.lookup(["Hola."], engine="argos", model="spa-eng 0.8.1") == {}
    with TranslationCache(tmp_path / FILE_NAME) as reopened:
        assert reopened.lookup(["Hola."], engine="apertium", model="spa-eng 0.8.1") == {"Hola.": "Hello."}
        assert reopened.notes == []


def test_a_cache_busy_through_many_batches_is_one_note_counting_them_all(tmp_path):
    # Another run holding the cache's write lock for longer than busy_seconds: each batch of the run went on
    # unstored, and each added a line of its own to the run's summary.
    with TranslationCache(tmp_path / FILE_NAME, busy_seconds=0.05) as cache:
        holder = sqlite3.connect(tmp_path / FILE_NAME, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            for batch in range(3):
                cache.store([(f"Frase {batch}.", f"Sentence {batch}."), (f"Otra {batch}.", f"Another {batch}.")],
                            engine="apertium", model="spa-eng 0.8.1")
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        [note] = cache.notes
        assert note.startswith("translation cache busy; 6 translation(s) not stored (")


def test_lookups_larger_than_one_sqlite_statement(tmp_path):
    texts = [f"frase {number}" for number in range(2500)]
    with TranslationCache(tmp_path / FILE_NAME) as cache:
        cache.store([(text, text.upper()) for text in texts], engine="e", model="m 1")
        found = cache.lookup(texts, engine="e", model="m 1")
    assert len(found) == 2500 and found["frase 2499"] == "FRASE 2499"


def test_a_corrupt_cache_is_set_aside_and_rebuilt_with_a_warning(tmp_path):
    path = tmp_path / FILE_NAME
    path.write_bytes(b"this is not an SQLite database, just bytes" * 100)
    with pytest.warns(CacheCorruptWarning, match="could not be read"):
        cache = TranslationCache(path)
    with cache:
        cache.store([("Hola.", "Hello.")], engine="apertium", model="m 1")
        assert cache.lookup(["Hola."], engine="apertium", model="m 1") == {"Hola.": "Hello."}
        assert len(cache.notes) == 1 and "starting a new one" in cache.notes[0]
    assert [p.name for p in tmp_path.glob(f"{FILE_NAME}.corrupt-*")]


def test_runs_finding_one_corrupt_cache_at_once_rebuild_it_once_and_keep_what_each_stores(tmp_path):
    """The compare flow translates its languages in parallel, each with its own cache connection: all of them
    meet the same corrupt file, and none may set aside the new cache another has just started."""
    path = tmp_path / FILE_NAME
    path.write_bytes(b"this is not an SQLite database, just bytes" * 100)
    runs, start = 6, threading.Barrier(6)
    notes: list[list[str]] = [[] for _ in range(runs)]

    def run(number: int) -> None:
        start.wait()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CacheCorruptWarning)
            with TranslationCache(path) as cache:
                cache.store([(f"run {number}", f"english {number}")], engine="e", model="m")
                notes[number] = cache.notes

    threads = [threading.Thread(target=run, args=(number,)) for number in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(list(tmp_path.glob(f"{FILE_NAME}.corrupt-*"))) == 1
    assert sum(len(run_notes) for run_notes in notes) == 1
    with TranslationCache(path) as cache:
        assert len(cache.lookup([f"run {n}" for n in range(runs)], engine="e", model="m")) == runs


def test_a_cache_with_damaged_pages_is_rebuilt(tmp_path):
    path = tmp_path / FILE_NAME
    with TranslationCache(path) as cache:
        cache.store([(f"frase {n}", "x") for n in range(500)], engine="e", model="m")
    with open(path, "r+b") as damaged:  # keep SQLite's header page, overwrite the table's pages
        damaged.seek(4096)
        damaged.write(b"\xff" * 8192)
    with pytest.warns(CacheCorruptWarning):
        cache = TranslationCache(path)
    with cache:
        assert cache.lookup(["frase 1"], engine="e", model="m") == {}
        cache.store([("Hola.", "Hello.")], engine="e", model="m")
        assert cache.lookup(["Hola."], engine="e", model="m") == {"Hola.": "Hello."}


WRITER = """
import sys
import threading
import warnings
from comparators.translation_cache import TranslationCache
cache = TranslationCache(sys.argv[1], busy_seconds=60)
for start in range(0, 3000, 100):
    cache.store([(f"{sys.argv[2]} {n}", f"english {n}") for n in range(start, start + 100)], engine="e", model="m")
    cache.lookup([f"{sys.argv[2]} {start}"], engine="e", model="m")
print(len(cache.notes))
"""


def test_two_processes_writing_at_once_lose_nothing_and_corrupt_nothing(tmp_path):
    path = tmp_path / FILE_NAME
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), name], cwd=REPO, stdout=subprocess.PIPE,
                                text=True) for name in ("first", "second")]
    outputs = [writer.communicate(timeout=120)[0].strip() for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0] and outputs == ["0", "0"]
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT count(*) FROM translations").fetchone() == (6000,)


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MiB filesystem of its own, so that filling it fills nothing else."""
    folder = tmp_path / "small"
    folder.mkdir()
    with mounted(folder, "-t", "tmpfs", "-o", "size=1m", "tmpfs"):
        yield folder


@pytest.fixture
def read_only_view(tmp_path):
    """`view(folder)`: the folder seen again through a read-only bind mount."""
    seen = []
    with contextlib.ExitStack() as mounts:
        def view(folder):
            seen.append(folder)
            target = tmp_path / f"read-only-{len(seen)}"
            target.mkdir()
            return mounts.enter_context(mounted(target, "--bind", "-o", "ro", str(folder)))

        yield view


def test_a_full_disk_keeps_the_cache_and_counts_what_it_could_not_store(small_disk):
    """A full disk is no corrupt cache: setting the file aside would lose every translation in it."""
    path = small_disk / FILE_NAME
    batches = [[(f"frase {batch} {n} " + "x" * 200, "english " * 30) for n in range(50)] for batch in range(100)]
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheCorruptWarning)
        with TranslationCache(path) as cache:
            for batch in batches:
                cache.store(batch, engine="e", model="m")
            assert cache.lookup([batches[0][0][0]], engine="e", model="m") == {batches[0][0][0]: batches[0][0][1]}
            notes = cache.notes
    assert not list(small_disk.glob(f"{FILE_NAME}.corrupt-*"))
    assert len(notes) == 1 and "could not be written (database or disk is full)" in notes[0]
    assert "make room on its disk" in notes[0] and " translation(s) not kept" in notes[0]
    assert 0 < int(notes[0].split("; ")[1].split()[0]) < 5000


def test_a_cache_on_a_full_disk_still_gives_what_it_holds(small_disk):
    path = small_disk / FILE_NAME
    with TranslationCache(path) as cache:
        cache.store([("Hola.", "Hello.")], engine="e", model="m")
    with open(small_disk / "filler", "wb") as filler:
        with pytest.raises(OSError):
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheCorruptWarning)
        with TranslationCache(path) as cache:
            assert cache.lookup(["Hola."], engine="e", model="m") == {"Hola.": "Hello."}
            cache.store([("Adiós.", "Goodbye.")], engine="e", model="m")
            assert len(cache.notes) == 1 and "1 translation(s) not kept" in cache.notes[0]
    (small_disk / "filler").unlink()
    with TranslationCache(path) as cache:
        assert cache.lookup(["Hola."], engine="e", model="m") == {"Hola.": "Hello."}
        assert cache.notes == []


def test_a_cache_in_a_read_only_folder_is_read_and_not_replaced(tmp_path, read_only_view):
    home = tmp_path / "home"
    with TranslationCache(home / FILE_NAME) as cache:
        cache.store([("Hola.", "Hello.")], engine="e", model="m")
    read_only = read_only_view(home)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheCorruptWarning)
        with TranslationCache(read_only / FILE_NAME) as cache:
            assert cache.lookup(["Hola."], engine="e", model="m") == {"Hola.": "Hello."}
            cache.store([("Adiós.", "Goodbye.")], engine="e", model="m")
            assert len(cache.notes) == 1 and "PARALLAX_HOME" in cache.notes[0]


def test_no_cache_in_a_read_only_folder_translates_without_one(tmp_path, read_only_view):
    (tmp_path / "empty").mkdir()
    read_only = read_only_view(tmp_path / "empty")
    with TranslationCache(read_only / FILE_NAME) as cache:
        assert cache.lookup(["Hola."], engine="e", model="m") == {}
        cache.store([("Hola.", "Hello.")], engine="e", model="m")
        assert len(cache.notes) == 1 and "1 translation(s) not kept" in cache.notes[0]
