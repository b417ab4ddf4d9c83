"""`parallax translate` and `parallax models` as a user runs them (no Prefect involved)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import zipfile

from tests._argos_helpers import argos_files  # noqa: F401 (fixture)
from tests.conftest import DEMO, REPO


def parallax(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=REPO, env=dict(os.environ), input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_translate_prints_the_english_and_names_the_engine():
    done = parallax("translate", "--from", "es", "El presidente habló ayer en Madrid.")
    assert done.returncode == 0, done.stderr
    assert "president" in done.stdout.lower() and "Madrid" in done.stdout
    assert "engine: apertium" in done.stderr and "apertium-eng-spa" in done.stderr
    piped = parallax("translate", "--from", "fr", "-", stdin="Le président a parlé hier.\nIl pleut.\n")
    assert piped.returncode == 0 and len(piped.stdout.splitlines()) == 2 and "president" in piped.stdout.lower()


def test_translate_without_an_engine_names_the_install_command():
    done = parallax("translate", "--from", "de", "Guten Tag")
    assert done.returncode == 1 and done.stdout == ""
    assert "parallax models install de-en" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_apertium_picked_for_a_language_it_lacks_says_an_argos_model_needs_another_engine():
    done = parallax("translate", "--from", "de", "--engine", "apertium", "Guten Tag")
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1
    assert "apertium, the engine picked for it, has no mode" in done.stderr
    assert "an Argos model is used only with engine 'auto' or 'argos'" in done.stderr
    # Installing the model alone would change nothing: the fix named must undo what picked Apertium.
    assert done.stderr.endswith(" — leave out --engine apertium; install a model with: parallax models install de-en\n")


def test_apertium_picked_in_the_options_file_names_the_setting_to_change(tmp_path):
    config = tmp_path / "mine.toml"
    config.write_text('[translate]\ndefault_engine = "apertium"\n')
    done = parallax("--config", str(config), "translate", "--from", "de", "Guten Tag")
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1
    assert done.stderr.endswith(' — set [translate] engines.de = "auto" in your options file, then install a model '
                                'with: parallax models install de-en\n')


def test_text_that_is_not_utf8_is_refused_in_one_line():
    for args, stdin in [(["-"], b"Adi\xf3s\n"), (["Adi\udcf3s"], b"")]:
        done = subprocess.run([sys.executable, "-m", "flows.cli", "translate", "--from", "es", *args], cwd=REPO,
                              env=dict(os.environ), input=stdin, capture_output=True, timeout=120)
        assert done.returncode == 1 and done.stdout == b"", done.stderr
        assert done.stderr.decode().strip().splitlines() == [done.stderr.decode().strip()]
        assert "not UTF-8" in done.stderr.decode() and "0xf3" in done.stderr.decode()


def test_a_reader_that_stops_early_ends_the_output_quietly():
    command = f"{sys.executable} -m flows.cli translate --from en - | head -1"
    done = subprocess.run(command, shell=True, cwd=REPO, env=dict(os.environ), input="Hello there.\n" * 20000,
                          capture_output=True, text=True, timeout=120)
    assert done.stdout == "Hello there.\n"
    assert done.stderr.strip() == "engine: identity, model: identity"


def test_removing_a_pivots_second_leg_says_which_package_it_strands(argos_files):
    for pair in ("de-es", "es-en"):
        assert parallax("models", "install", str(argos_files[pair])).returncode == 0
    removed = parallax("models", "remove", "es-en")
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout.splitlines()[1:] == [
        "note: de-es no longer reaches English without es-en; install es-en again, or de-en"]
    assert parallax("models", "remove", "de-es").stdout.splitlines() == ["removed translate-de_es 1.0 (de-es)"]


def test_models_install_list_remove_and_a_refused_package(argos_files, tmp_path):
    installed = parallax("models", "install", str(argos_files["de-en"]))
    assert installed.returncode == 0 and "installed translate-de_en 1.9" in installed.stdout
    listing = parallax("models", "list")
    assert "de-en" in listing.stdout and "1.9" in listing.stdout and "apertium  es-en" in listing.stdout
    evil = tmp_path / "evil.argosmodel"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("translate-xx_en/../../outside.txt", "x")
    refused = parallax("models", "install", str(evil))
    assert refused.returncode == 1 and "outside the package folder" in refused.stderr
    assert "Traceback" not in refused.stderr
    removed = parallax("models", "remove", "de-en")
    assert removed.returncode == 0 and "removed translate-de_en 1.9" in removed.stdout
    assert "no packages installed" in parallax("models", "list").stdout


def test_a_package_that_cannot_be_loaded_is_named_with_its_reinstall_command(argos_files, parallax_home):
    for pair in ("de-es", "es-en"):
        assert parallax("models", "install", str(argos_files[pair])).returncode == 0
    next((parallax_home / "argos-packages").glob("translate-es_en-*/model/model.bin")).write_bytes(b"damaged")
    spanish = parallax("translate", "--from", "es", "El presidente habló ayer.")
    assert spanish.returncode == 0 and "president" in spanish.stdout.lower()
    warning, engine = spanish.stderr.splitlines()
    assert warning.startswith("warning: 'es': translate-es_en 1.1 cannot be loaded")
    assert "parallax models install es-en" in warning and engine.startswith("engine: apertium")
    german = parallax("translate", "--from", "de", "Der Präsident sprach gestern.")
    assert german.returncode == 1 and german.stdout == ""
    assert "cannot be loaded" in german.stderr and "reinstall it: parallax models install es-en" in german.stderr


def test_an_engine_name_or_batch_size_no_engine_can_use_is_refused_before_any_work(tmp_path):
    scheduled = tmp_path / "corpora" / "parade"
    shutil.copytree(DEMO, scheduled)
    with (scheduled / "event.toml").open("a") as event:
        event.write("\n[schedule]\ninterval = 3600\n")
    for setting, named in [('engines = { es = "apertum" }', "'translate.engines.es' is 'apertum'"),
                           ('default_engine = "none"', "'translate.default_engine' is 'none'"),
                           ("batch_size = 0", "'translate.batch_size' is 0, out of range"),
                           ('engines = { ES = "apertium" }', "'translate.engines' names 'ES'")]:
        config = tmp_path / "mine.toml"
        config.write_text(f"[translate]\n{setting}\n")
        for command in (["translate", "--from", "es", "Hola."],
                        ["compare", str(DEMO), "--out", str(tmp_path / "out")],
                        ["serve", "--once", "--corpora", str(tmp_path / "corpora"), "--reports", str(tmp_path / "out")]):
            done = parallax("--config", str(config), *command)
            assert done.returncode == 1 and done.stdout == "", done.stderr
            assert done.stderr.startswith("parallax: ") and f"option {named}" in done.stderr
            assert len(done.stderr.splitlines()) == 1
            assert not (tmp_path / "out").exists()


def test_reading_a_terminal_says_how_to_end_the_text():
    import pty

    controller, terminal = pty.openpty()
    with subprocess.Popen([sys.executable, "-m", "flows.cli", "translate", "--from", "es"], cwd=REPO,
                          env=dict(os.environ), stdin=terminal, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True) as process:
        os.write(controller, b"Hola.\n\x04")
        stdout, stderr = process.communicate(timeout=120)
    os.close(controller)
    os.close(terminal)
    assert process.returncode == 0 and stdout == "Hello.\n"
    assert stderr.startswith("reading the text from standard input; end it with Ctrl-D\n")


def test_a_data_folder_that_cannot_be_made_is_one_line(tmp_path, monkeypatch):
    taken = tmp_path / "home"
    taken.write_text("a file where the data folder should be")
    monkeypatch.setenv("PARALLAX_HOME", str(taken))
    for command in (["translate", "--from", "es", "Hola."], ["models", "list"],
                    ["compare", str(DEMO), "--out", str(tmp_path / "out")]):
        done = parallax(*command)
        assert done.returncode == 1 and done.stdout == "", done.stderr
        assert done.stderr == (f"parallax: the Parallax data folder {taken} cannot be used (File exists) — set "
                               "PARALLAX_HOME to a folder you may write\n")


# Control characters a hostile text carries through Apertium: erase the line and go back to its start, write the
# clipboard (OSC 52), an 8-bit CSI, and a right-to-left override.
HOSTILE = "Hola \x1b[2K\rmundo \x1b]52;c;ZXZpbA==\x07 \u009b31m \u202eal revés"
CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def on_a_terminal(*args: str) -> tuple[int, str, str]:
    """`parallax ARGS` with standard output on a terminal: its status, what the terminal got, standard error."""
    import pty

    controller, terminal = pty.openpty()
    with subprocess.Popen([sys.executable, "-m", "flows.cli", *args], cwd=REPO, env=dict(os.environ),
                          stdin=subprocess.DEVNULL, stdout=terminal, stderr=subprocess.PIPE) as process:
        os.close(terminal)
        shown = b""
        with contextlib.suppress(OSError):  # EIO once the command has ended and closed the terminal
            while chunk := os.read(controller, 4096):
                shown += chunk
        stderr = process.stderr.read()
    os.close(controller)
    return process.returncode, shown.decode(), stderr.decode()


def test_control_characters_in_the_english_are_shown_on_a_terminal_and_kept_exactly_in_a_pipe():
    piped = parallax("translate", "--from", "es", HOSTILE)
    assert piped.returncode == 0, piped.stderr
    assert "\x1b[2K" in piped.stdout and "\x1b]52;c;ZXZpbA==\x07" in piped.stdout and "\u202e" in piped.stdout

    status, shown, stderr = on_a_terminal("translate", "--from", "es", HOSTILE)
    assert status == 0, stderr
    line = shown.removesuffix("\r\n")  # the terminal ends a line with both
    assert CONTROL.search(line) is None, repr(line)
    for escape in ("\\x1b[2K", "\\x1b]52;c;ZXZpbA==\\x07", "\\x9b31m", "\\u202e"):
        assert escape in line
