"""Argos packages: installing (file, URL, index on a local server), refusing bad packages, and the batched engine
agreeing token for token with argostranslate. The packages carry random weights: no test reads their output as
a translation."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import zipfile
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from comparators.argos import ArgosEngine, even_sub_batch
from comparators.argos_models import (available_models, install_model, installed_models, packages_dir,
                                      remove_model)
from comparators.errors import (CorruptModel, ModelNotFound, NoRoomForModel, NotAnArgosPackage,
                                PackageIndexUnavailable, UnsafeModelPackage)
from tests._argos_helpers import argos_files, build_argosmodel, ntrex_sentences  # noqa: F401 (fixture)
from tests.conftest import REPO


@pytest.fixture
def index_server(tmp_path, argos_files, monkeypatch):
    """An Argos package index on 127.0.0.1 offering de-es and es-en (no direct de-en), plus the package files."""
    root = tmp_path / "index"
    root.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(root)))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    entries = []
    for pair in ("de-es", "es-en"):
        shutil.copy(argos_files[pair], root / argos_files[pair].name)
        with zipfile.ZipFile(argos_files[pair]) as archive:
            metadata = json.loads(next(archive.read(name) for name in archive.namelist()
                                       if name.endswith("/metadata.json")))
        entries.append({**metadata, "links": [base + argos_files[pair].name]})
    (root / "index.json").write_text(json.dumps(entries))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base)
    yield base
    server.shutdown()
    server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_install_from_file_lists_it_and_names_the_version(argos_files):
    [model] = install_model(str(argos_files["de-en"]))
    assert model.pair == "de-en" and model.path.parent == packages_dir()
    assert [(m.pair, m.version) for m in installed_models()] == [("de-en", "1.9")]
    assert re.fullmatch(r"translate-de_en 1\.9 #[0-9a-f]{12}", ArgosEngine().model_for("de"))
    assert ArgosEngine().model_for("fr") is None and ArgosEngine().model_for("en") is None


def test_reinstalling_a_pair_replaces_it(argos_files, tmp_path):
    install_model(str(argos_files["de-en"]))
    newer = build_argosmodel(tmp_path, from_code="de", to_code="en", version="2.0")
    install_model(str(newer))
    assert [(m.pair, m.version) for m in installed_models()] == [("de-en", "2.0")]


def test_a_package_rebuilt_under_the_same_version_is_another_model(argos_files, tmp_path):
    install_model(str(argos_files["de-en"]))
    first = ArgosEngine().model_for("de")
    install_model(str(argos_files["de-en"]))
    assert ArgosEngine().model_for("de") == first
    retrained = build_argosmodel(tmp_path, from_code="de", to_code="en", version="1.9", seed=7)
    install_model(str(retrained))
    assert [(m.pair, m.version) for m in installed_models()] == [("de-en", "1.9")]
    assert ArgosEngine().model_for("de") != first


def test_a_package_folder_named_like_the_set_aside_folder_installs_and_replaces(argos_files, tmp_path):
    # Installing sets the replaced package aside in a scratch folder: no package's own name may collide with it.
    renamed = _repack(argos_files["de-en"], tmp_path / "retired.argosmodel",
                      lambda name, data: [("retired/" + name.split("/", 1)[1], data)])
    install_model(str(argos_files["de-en"]))
    [model] = install_model(str(renamed))
    assert model.path == packages_dir() / "retired"
    assert [(m.pair, m.path.name) for m in installed_models()] == [("de-en", "retired")]
    install_model(str(renamed))  # over itself: the folder in place is the one set aside
    assert [(m.pair, m.path.name) for m in installed_models()] == [("de-en", "retired")]
    assert not any(packages_dir().parent.glob(".argos-incoming-*"))


def test_a_removal_interrupted_while_deleting_leaves_no_half_package(argos_files, monkeypatch):
    install_model(str(argos_files["de-en"]))

    def interrupted(path, *args, **kwargs):
        next(Path(path).rglob("model.bin")).unlink()  # part deleted, then the process is stopped
        raise KeyboardInterrupt

    monkeypatch.setattr(shutil, "rmtree", interrupted)
    with pytest.raises(KeyboardInterrupt):
        remove_model("de-en")
    assert installed_models() == [] and list(packages_dir().iterdir()) == []


def test_what_a_killed_install_or_removal_left_is_cleared_and_a_pair_it_left_without_package_gets_it_back(
        argos_files):
    # kill -9 while unpacking left the unpacked model (hundreds of MB) in the data folder for good; between setting
    # a pair's old package aside and moving the new one in, it left the pair with no package at all.
    install_model(str(argos_files["de-en"]))
    install_model(str(argos_files["es-en"]))
    paths = {model.pair: model.path for model in installed_models()}
    dead = int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True).stdout)
    killed = packages_dir().parent / f".argos-incoming-{dead}-k1ll3d"
    (killed / "unpacked").mkdir(parents=True)
    shutil.copytree(paths["es-en"], killed / "unpacked" / paths["es-en"].name)
    (killed / "retired").mkdir()
    paths["es-en"].replace(killed / "retired" / paths["es-en"].name)  # es-en now has no package
    shutil.copytree(paths["de-en"], killed / "retired" / "translate-de_en-older")  # de-en has one: stays aside
    removal = packages_dir().parent / f".argos-removed-{dead}-r3m0v3"
    shutil.copytree(paths["de-en"], removal / "translate-de_en-removed")
    running = packages_dir().parent / f".argos-incoming-{os.getpid()}-l1v1ng"  # a process still at work
    running.mkdir()
    try:
        install_model(str(argos_files["de-es"]))
        assert [(model.pair, model.path.name) for model in installed_models()] == [
            ("de-en", paths["de-en"].name), ("de-es", "translate-de_es-1_0"), ("es-en", paths["es-en"].name)]
        assert not killed.exists() and not removal.exists() and running.exists()
    finally:
        shutil.rmtree(running, ignore_errors=True)


def test_install_from_index_pivots_through_spanish_and_from_url(index_server, argos_files):
    assert [(m.pair, m.version) for m in available_models()] == [("de-es", "1.0"), ("es-en", "1.1")]
    installed = install_model("de-en")
    assert [m.pair for m in installed] == ["de-es", "es-en"]
    engine = ArgosEngine()
    assert [leg.pair for leg in engine.route("de")] == ["de-es", "es-en"]
    assert re.fullmatch(r"translate-de_es 1\.0 #[0-9a-f]{12} → translate-es_en 1\.1 #[0-9a-f]{12}",
                        engine.model_for("de"))
    remove_model("es-en")
    assert [m.pair for m in installed_models()] == ["de-es"]
    install_model(index_server + argos_files["es-en"].name)
    assert [m.pair for m in installed_models()] == ["de-es", "es-en"]


def test_installing_a_pair_takes_its_newest_version(index_server, argos_files, tmp_path):
    root = tmp_path / "index"
    entries = json.loads((root / "index.json").read_text())
    for version in ("1.10", "1.9"):
        package = build_argosmodel(root, from_code="de", to_code="en", version=version)
        entries.append({"type": "translate", "from_code": "de", "to_code": "en", "package_version": version,
                        "argos_version": "1.0", "links": [index_server + package.name]})
    (root / "index.json").write_text(json.dumps(entries))
    assert [m.version for m in available_models() if m.pair == "de-en"] == ["1.9", "1.10"]
    [installed] = install_model("de-en")
    assert installed.version == "1.10" and ArgosEngine().model_for("de").startswith("translate-de_en 1.10 #")


def test_the_index_may_be_named_by_its_index_json(index_server, monkeypatch):
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", index_server + "index.json")
    assert [m.pair for m in available_models()] == ["de-es", "es-en"]


def test_index_errors_are_clear(index_server, monkeypatch):
    with pytest.raises(ModelNotFound, match="ru-en"):
        install_model("ru-en")
    with pytest.raises(PackageIndexUnavailable, match="could not download"):
        install_model(index_server + "missing.argosmodel")
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", index_server + "nowhere/")
    with pytest.raises(PackageIndexUnavailable, match="index"):
        available_models()


def test_cli_refuses_a_url_in_one_line_naming_it(index_server, tmp_path):
    (tmp_path / "index" / "notes.argosmodel").write_text("not a zip")
    for name, says in [("missing.argosmodel", "could not download"), ("notes.argosmodel", "not a zip archive")]:
        done = subprocess.run([sys.executable, "-m", "flows.cli", "models", "install", index_server + name], cwd=REPO,
                              env=dict(os.environ), capture_output=True, text=True, timeout=120)
        assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert says in done.stderr and index_server + name in done.stderr and "download.argosmodel" not in done.stderr


def test_folders_in_the_packages_folder_that_are_no_package_are_skipped(argos_files):
    install_model(str(argos_files["de-en"]))
    for name, metadata in [("list", "[1]"), ("number", "3"), ("text", "{not json")]:
        (packages_dir() / name).mkdir()
        (packages_dir() / name / "metadata.json").write_text(metadata)
    (packages_dir() / "empty").mkdir()
    assert [model.pair for model in installed_models()] == ["de-en"]


def _repack(source: Path, target: Path, change) -> Path:
    """Copy a package zip, letting `change(name, data)` return the (name, data) pairs to write instead."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for item in original.infolist():
            for name, data in change(item.filename, original.read(item)):
                copy.writestr(name, data)
    return target


@pytest.mark.parametrize("evil", ["../escaped.txt", "/etc/escaped.txt", "translate-de_en-1_9/../../escaped.txt"])
def test_a_zip_whose_paths_leave_its_folder_is_refused(argos_files, tmp_path, evil):
    bad = _repack(argos_files["de-en"], tmp_path / "evil.argosmodel",
                  lambda name, data: [(name, data)] + ([(evil, b"x")] if name.endswith("metadata.json") else []))
    with pytest.raises(UnsafeModelPackage, match="outside the package folder"):
        install_model(str(bad))
    assert installed_models() == [] and not (tmp_path / "escaped.txt").exists()


def test_a_symbolic_link_in_the_zip_is_refused(argos_files, tmp_path):
    bad = tmp_path / "link.argosmodel"
    shutil.copy(argos_files["de-en"], bad)
    with zipfile.ZipFile(bad, "a") as archive:
        link = zipfile.ZipInfo("translate-de_en-1_9/model/evil")
        link.external_attr = (0o120777 << 16)
        archive.writestr(link, "/etc/passwd")
    with pytest.raises(UnsafeModelPackage, match="symbolic link"):
        install_model(str(bad))


def test_a_package_bigger_than_the_free_space_is_refused_before_it_is_unpacked(argos_files, monkeypatch):
    real_usage = shutil.disk_usage
    monkeypatch.setattr(shutil, "disk_usage", lambda path: real_usage(path)._replace(free=0))
    with pytest.raises(NoRoomForModel, match=r"unpacks to \d+ MiB, more than the 0 MiB free in "):
        install_model(str(argos_files["de-en"]))
    assert installed_models() == [] and not any(packages_dir().parent.glob(".argos-incoming-*"))


def test_files_that_are_no_argos_package_are_refused(argos_files, tmp_path):
    text = tmp_path / "notes.argosmodel"
    text.write_text("not a zip")
    with pytest.raises(NotAnArgosPackage, match="not a zip"):
        install_model(str(text))
    with pytest.raises(NotAnArgosPackage, match="a folder, not an .argosmodel file"):
        install_model(str(tmp_path))
    no_model = _repack(argos_files["de-en"], tmp_path / "nomodel.argosmodel",
                       lambda name, data: [] if "/model/" in name else [(name, data)])
    with pytest.raises(NotAnArgosPackage, match="model/model.bin"):
        install_model(str(no_model))
    two_folders = _repack(argos_files["de-en"], tmp_path / "two.argosmodel",
                          lambda name, data: [(name, data), ("other/" + name.split("/", 1)[1], data)])
    with pytest.raises(NotAnArgosPackage, match="exactly one folder"):
        install_model(str(two_folders))
    assert installed_models() == []


def test_a_corrupt_model_is_refused_and_nothing_is_installed(argos_files, tmp_path):
    corrupt = _repack(argos_files["de-en"], tmp_path / "corrupt.argosmodel",
                      lambda name, data: [(name, data[: len(data) // 3] if name.endswith("model.bin") else data)])
    with pytest.raises(CorruptModel, match="cannot be loaded"):
        install_model(str(corrupt))
    assert installed_models() == [] and [p.name for p in packages_dir().iterdir()] == []


def test_the_batched_path_handles_lines_and_empty_texts(argos_files):
    install_model(str(argos_files["de-en"]))
    engine = ArgosEngine(batch_size=4)
    sentences = ntrex_sentences("deu")[:6]
    single = engine.translate(sentences, source="de")
    together = engine.translate([f"{sentences[0]}\n{sentences[1]}", "", *sentences[2:]], source="de")
    assert len(together) == 6 and together[1] == ""
    assert together[0] == f"{single[0]}\n{single[1]}" and together[2:] == single[2:]


def test_parallel_workers_return_each_passage_its_own_translation(argos_files):
    install_model(str(argos_files["de-en"]))
    sentences = ntrex_sentences("deu")[:12]
    alone = ArgosEngine(batch_size=64, workers=1).translate(sentences, source="de")
    assert ArgosEngine(batch_size=2, workers=2).translate(sentences, source="de") == alone
    assert len(set(alone)) > 1


def test_batches_queued_ahead_come_back_in_order_each_its_own(argos_files):
    for pair in ("de-en", "de-es", "es-en"):
        install_model(str(argos_files[pair]))
    sentences = ntrex_sentences("deu")[:13]
    batches = [sentences[0:3], [f"{sentences[3]}\n{sentences[4]}", ""], sentences[5:9], sentences[9:13]]
    for route in ([("de", "en")], [("de", "es"), ("es", "en")]):  # direct, and the pivot chaining two queues
        packages = [package for package in installed_models() if (package.from_code, package.to_code) in route]
        one_at_a_time = [ArgosEngine(workers=1, packages=packages).translate(batch, source="de") for batch in batches]
        queued = ArgosEngine(batch_size=2, workers=2, packages=packages).translate_batches(iter(batches), source="de")
        assert list(queued) == one_at_a_time
        assert [len(english) for english in one_at_a_time] == [3, 2, 4, 4] and len(set(one_at_a_time[2])) > 1


@pytest.mark.parametrize("count, most, workers, size", [
    (64, 16, 2, 16), (58, 16, 2, 15), (20, 16, 2, 10), (33, 16, 2, 9), (1, 16, 2, 1), (100, 16, 1, 15), (3, 16, 4, 1)])
def test_sub_batches_share_a_batch_evenly_between_the_workers(count, most, workers, size):
    assert even_sub_batch(count, most=most, workers=workers) == size


def test_sub_batches_are_never_larger_than_asked_nor_more_rounds_than_needed():
    for count in range(1, 150):
        for most in (1, 4, 16, 32):
            for workers in (1, 2, 3):
                size = even_sub_batch(count, most=most, workers=workers)
                sub_batches = -(-count // size)
                rounds_needed = -(-count // (most * workers))
                assert size <= most and -(-sub_batches // workers) == rounds_needed
                assert count - (sub_batches - 1) * size > size - sub_batches  # the last is nearly as full


@pytest.fixture
def argostranslate_fresh():
    """argostranslate keeps loaded translations in module globals; start each test without them."""
    from argostranslate import translate

    translate.installed_translates.clear()
    translate.get_installed_languages.cache_clear()
    yield translate
    translate.installed_translates.clear()
    translate.get_installed_languages.cache_clear()


@pytest.mark.slow
@pytest.mark.parametrize("pairs", [["de-en"], ["de-es", "es-en"]], ids=["direct", "pivot"])
def test_batched_path_agrees_with_argostranslate_token_for_token(argos_files, argostranslate_fresh, pairs):
    for pair in pairs:
        install_model(str(argos_files[pair]))
    from comparators.argos_models import configure_argostranslate

    configure_argostranslate()  # argostranslate reads the packages folder from its settings
    sentences = ntrex_sentences("deu")[:12] + ["Ja.", "Der Präsident, der gestern sprach, sagte: „Nein!“"]
    batched = ArgosEngine(batch_size=8).translate(sentences, source="de")
    one_by_one = [argostranslate_fresh.translate(sentence, "de", "en") for sentence in sentences]
    assert batched == one_by_one
    assert all(batched) and len(set(batched)) > 1  # the model ran: non-empty outputs that depend on the input


def test_text_from_the_package_index_cannot_act_on_the_terminal(index_server, tmp_path):
    # An index is a page on the web: its versions and links reach the listing and the error line as it wrote them.
    index = tmp_path / "index" / "index.json"
    entries = json.loads(index.read_text())
    hostile = {**entries[0], "from_code": "ru", "to_code": "en", "package_version": "9.9\x1b]52;c;ZXZpbA==\x07",
               "links": ["http://127.0.0.1:9/ru-en\x1b[2K\r  installed translate-ru_en 9.9.argosmodel"]}
    index.write_text(json.dumps([*entries, hostile]))

    def parallax(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=REPO, env=dict(os.environ),
                              capture_output=True, text=True, timeout=120)

    listing, install = parallax("models", "available"), parallax("models", "install", "ru-en")
    assert listing.returncode == 0 and install.returncode == 1, listing.stderr + install.stderr
    assert "ru-en    9.9\\x1b]52;c;ZXZpbA==\\x07 parallax models install ru-en" in listing.stdout.splitlines()
    [line] = install.stderr.splitlines()
    assert "could not download http://127.0.0.1:9/ru-en\\x1b[2K\\r  installed translate-ru_en" in line
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", listing.stdout + install.stderr)
