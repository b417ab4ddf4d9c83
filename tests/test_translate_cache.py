"""The translation cache: keyed by text, engine and model version; survives a corrupt file and two writers."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import warnings

import pytest

from comparators.translation_cache import FILE_NAME, CacheCorruptWarning, TranslationCache
from tests.conftest import REPO


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
