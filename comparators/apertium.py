"""Apertium: rule-based translation into English from Debian's packages, offline.

es, ca, gl and eu have a direct mode into English; fr, pt, it and ro go through Spanish. Each call runs one
`apertium` process per mode for the whole batch: the passages are joined with a marker line that Apertium
copies through untouched, and split back afterwards.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
import tempfile
from functools import cached_property
from pathlib import Path
from typing import Iterable, Iterator

from .errors import TranslationFailed
from .paths import data_dir

TARGET = "en"
PIVOT = "es"
# Apertium names a mode with either the two- or the three-letter code of each language.
THREE_LETTER = {"en": "eng", "es": "spa", "ca": "cat", "gl": "glg", "eu": "eus", "fr": "fra", "pt": "por",
                "it": "ita", "ro": "ron"}
MODES_DIR = "/usr/share/apertium/modes"
DPKG_STATUS = "/var/lib/dpkg/status"
# The installation as last seen, in the data folder: see ApertiumEngine._installation.
INSTALLATION_FILE = "apertium-installation.json"
# A line of its own that no Apertium mode translates. A batch's passages go between two, so that a passage that comes
# out empty (Apertium drops NUL and the soft hyphen) takes no marker's newline with it; a batch where a passage is
# this line itself gets one with more bars (see `_marker_for`).
MARKER = ".||."
# Apertium stops reading at this noncharacter and exits 0, so all after it, in every later passage, was lost.
END_OF_INPUT = "\uffff"
# With -u Apertium drops its "*" for unknown words; "#" (no generation) and "@" (no transfer) still prefix a word.
MARKED_WORD = re.compile(r"(?<!\w)[*#@]\w+")
# A handle or hashtag of the source is a name, not words, but Apertium translates its parts ("@elpais_es" became
# "@elpais_is", "#desfile" "#parade" and then "parade"). Each goes through as a placeholder that no mode changes
# (tried in every mode into English) and comes back as written.
SOURCE_TAG = re.compile(r"(?<!\w)[#@]\w+")
PLACEHOLDER = re.compile(r"ZZPH(\d+)ZZ")
# The revision of what Parallax does around Apertium (`_protect`, `_clean`, `_one_paragraph`, the batch split). It
# is part of the model string, so English made an older way is neither served from the translation cache nor
# claimed by the signature: raise it with every change to that output. 2: the source's @handles and #hashtags
# keep their sign. 3: they go through untranslated. 4: a batch's English no longer moves to the next passage after
# one that comes out empty or is the marker line, and U+FFFF no longer cuts the text short.
CLEANUP_REVISION = 4


class ApertiumEngine:
    """Translate with the `apertium` command. `model_for` names the Debian package (and version) of each mode,
    and the revision of Parallax's cleanup of the output."""

    name = "apertium"

    def __init__(self, *, command: str = "apertium", seconds_per_thousand_chars: float = 5.0):
        self.command = command
        self.seconds_per_thousand_chars = seconds_per_thousand_chars

    def model_for(self, source: str) -> str | None:
        route = self.route(source)
        if not route:
            return None
        packages = " → ".join(f"{mode} ({self._package_of(mode)})" for mode in route)
        return f"{packages} + parallax cleanup r{CLEANUP_REVISION}"

    def route(self, source: str) -> list[str] | None:
        """The modes that take `source` to English: one when direct, two through Spanish; None when missing."""
        if source == TARGET:
            return None
        direct = self._mode(source, TARGET)
        if direct:
            return [direct]
        first, second = self._mode(source, PIVOT), self._mode(PIVOT, TARGET)
        return [first, second] if first and second and source != PIVOT else None

    def translate_batches(self, batches: Iterable[list[str]], *, source: str) -> Iterator[list[str]]:
        return (self.translate(batch, source=source) for batch in batches)

    def translate(self, texts: list[str], *, source: str) -> list[str]:
        route = self.route(source)
        if not route:
            raise TranslationFailed(f"apertium has no mode from {source!r} into English")
        paragraphs = [_one_paragraph(text) for text in texts]
        wanted = [_protect(paragraph) for paragraph in paragraphs if paragraph]
        if not wanted:
            return ["" for _ in texts]
        marker = _marker_for([sent for sent, _ in wanted])
        english = self._split(self._run(route, f"\n\n{marker}\n\n".join(["", *(sent for sent, _ in wanted), ""])),
                              marker)
        if english is None or len(english) != len(wanted):
            # A passage that Apertium reshaped around the marker: fall back to one process per passage.
            english = [self._run(route, sent) for sent, _ in wanted]
        cleaned = iter(_restore(_clean(text, sent), tags) for text, (sent, tags) in zip(english, wanted))
        return [next(cleaned) if paragraph else "" for paragraph in paragraphs]

    @property
    def modes(self) -> frozenset[str]:
        """The modes installed, from `apertium -l`; empty when Apertium is not installed."""
        return frozenset(self._installation["modes"])

    def _mode(self, source: str, target: str) -> str | None:
        for left in (source, THREE_LETTER.get(source)):
            for right in (target, THREE_LETTER.get(target)):
                if left and right and f"{left}-{right}" in self.modes:
                    return f"{left}-{right}"
        return None

    def _run(self, route: list[str], text: str) -> str:
        timeout = 60 + self.seconds_per_thousand_chars * len(text) / 1000
        for mode in route:
            try:
                result = subprocess.run([self.command, "-u", mode], input=text, capture_output=True,
                                        text=True, encoding="utf-8", timeout=timeout)
            except (OSError, subprocess.TimeoutExpired) as error:
                raise TranslationFailed(f"apertium {mode} failed: {error}") from None
            if result.returncode != 0:
                raise TranslationFailed(f"apertium {mode} exited with {result.returncode}: {result.stderr.strip()[:200]}",
                                        hint="check the Apertium installation with `apertium -l`")
            text = result.stdout
        return text

    @staticmethod
    def _split(output: str, marker: str) -> list[str] | None:
        """The output of each passage, or None when it does not start and end with a marker line."""
        pieces = re.split(rf"(?:^|\n)[ \t]*{re.escape(marker)}[ \t]*(?:\n|$)", output.strip("\n"))
        if len(pieces) < 2 or pieces[0].strip() or pieces[-1].strip():
            return None
        return pieces[1:-1]

    def _package_of(self, mode: str) -> str:
        """'apertium-eng-spa 0.8.1-2' for the package that ships the mode; 'apertium <mode>' where dpkg cannot tell."""
        return self._installation["packages"].get(mode, f"apertium {mode}")

    @cached_property
    def _installation(self) -> dict:
        """{"modes": [...], "packages": {mode: "package version"}}. Asking `apertium -l` and dpkg takes ~0.2 s, a
        large part of a scheduled rerun with nothing new, which must name every engine's model to know it would
        reproduce the last run; so the answer is kept in the data folder, beside what it was read from (the
        command, the modes folder and dpkg's database: installing or removing a package changes one of them)."""
        path = shutil.which(self.command)
        if not path:
            return {"modes": [], "packages": {}}
        seen_from = [_stamp(os.path.realpath(path)), _stamp(MODES_DIR), _stamp(DPKG_STATUS)]
        kept = data_dir() / INSTALLATION_FILE
        try:
            saved = json.loads(kept.read_text(encoding="utf-8"))
            if saved.get("seen_from") == seen_from:
                return saved
        except (OSError, ValueError):
            pass
        modes = _list_modes(path)
        installation = {"seen_from": seen_from, "modes": sorted(modes),
                        "packages": _debian_packages(sorted(modes))}
        if modes:  # a failed `apertium -l` is asked again next time
            _write_atomically(kept, json.dumps(installation, indent=1))
        return installation


def _list_modes(command: str) -> frozenset[str]:
    try:
        listing = subprocess.run([command, "-l"], capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in listing.stdout.splitlines() if line.strip())


def _stamp(path: str) -> list:
    """The path and its modification time, or None for the time when it is missing."""
    try:
        return [path, os.stat(path).st_mtime_ns]
    except OSError:
        return [path, None]


def _write_atomically(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _debian_packages(modes: list[str]) -> dict[str, str]:
    """The package and version of each mode dpkg knows, asked in two calls for all modes at once: `dpkg-query -S`
    reads every installed package's file list, so one call per mode costs seconds on every run."""
    paths = {f"{MODES_DIR}/{mode}.mode": mode for mode in modes}
    if not paths:
        return {}
    try:
        # Exits 1 when a path has no package, and still names the packages of the others.
        owners = subprocess.run(["dpkg-query", "-S", *paths], capture_output=True, text=True, timeout=60)
        owner_of = {}
        for line in owners.stdout.splitlines():
            package, _, path = line.rpartition(": ")
            if path in paths and package and "," not in package:
                owner_of[paths[path]] = package.split(":")[0]
        if not owner_of:
            return {}
        listing = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${Version}\n", *sorted(set(owner_of.values()))],
                                 capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return {}
    version_of = dict(line.split(" ", 1) for line in listing.stdout.splitlines() if " " in line.strip())
    return {mode: f"{package} {version_of[package]}" for mode, package in owner_of.items() if version_of.get(package)}


def _one_paragraph(text: str) -> str:
    return " ".join(text.replace(END_OF_INPUT, "").split())


def _marker_for(paragraphs: list[str]) -> str:
    """MARKER, with as many more bars as it takes to differ from every paragraph: a paragraph that was the marker
    line would split the batch's output once more."""
    marker = MARKER
    while marker in paragraphs:
        marker = marker.replace("|", "||", 1)
    return marker


def _protect(paragraph: str) -> tuple[str, list[str]]:
    """The paragraph with each handle and hashtag replaced by a numbered placeholder, and those replaced, in order.
    A paragraph that holds a placeholder's shape itself goes as it is."""
    if PLACEHOLDER.search(paragraph):
        return paragraph, []
    tags = SOURCE_TAG.findall(paragraph)
    numbers = itertools.count()
    return SOURCE_TAG.sub(lambda tag: f"ZZPH{next(numbers)}ZZ", paragraph), tags


def _restore(text: str, tags: list[str]) -> str:
    """`text` with the placeholders of `_protect` back to the handles and hashtags they stand for."""
    if not tags:
        return text
    return PLACEHOLDER.sub(lambda found: tags[int(found[1])] if int(found[1]) < len(tags) else found[0], text)


def _clean(text: str, source: str) -> str:
    """Apertium's output without its marks; a marked word that `source` holds as it is was written so."""
    kept = set(MARKED_WORD.findall(source))
    return " ".join(MARKED_WORD.sub(lambda word: word[0] if word[0] in kept else word[0][1:], text).split())
