"""Argos Translate models, run in batches.

`argostranslate.translate` translates one text at a time and re-splits it into sentences with a sentence
splitter that downloads its model on first use. Parallax's passages already are sentences, so this engine loads
the package's CTranslate2 model and tokenizer itself and translates a whole batch in one `translate_batch`
call, with argostranslate's decoding settings (beam size, length penalty, length limits, unknown-token
replacement, detokenization), so both give the same words. The stage's batches are queued for CTranslate2's
workers one ahead, so the workers keep decoding while a finished batch is stored. A language with no package into
English goes through another installed language (de → es → en), as argostranslate does.
"""

from __future__ import annotations

import os
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from .argos_models import ModelPackage, installed_models
from .errors import ModelUnloadable, TranslationFailed

TARGET = "en"
# argostranslate's apply_packaged_translation uses these; they are not settings there either.
LENGTH_PENALTY = 0.2
# Stage batches queued for the workers beyond the one being collected: one keeps them busy (bench/RESULTS.md).
BATCHES_AHEAD = 1


@dataclass
class _Submitted:
    """A batch handed to CTranslate2's workers: what is needed to collect its English."""

    package: ModelPackage
    lines: list[list[str]]  # each text's lines; blank lines are not sent
    results: list[Any]  # ctranslate2.AsyncTranslationResult, one per sent line
    tokenizer: Any
    prefix: str


class ArgosEngine:
    """Translate with installed Argos packages. `model_for` names the package(s) and version(s) used."""

    name = "argos"

    def __init__(self, *, beam_size: int = 4, max_decoding_length: int = 256, max_input_length: int = 1024,
                 batch_size: int = 16, workers: int = 0, packages: list[ModelPackage] | None = None):
        self.beam_size = beam_size
        self.max_decoding_length = max_decoding_length
        self.max_input_length = max_input_length
        self.batch_size = batch_size
        self.workers = workers or _usable_cores()
        self._packages = packages
        self._loaded: dict[Path, tuple] = {}

    @property
    def packages(self) -> list[ModelPackage]:
        if self._packages is None:
            self._packages = installed_models()
        return self._packages

    def route(self, source: str) -> list[ModelPackage] | None:
        """The packages from `source` to English: one when direct, two through another language; None if none."""
        if source == TARGET:
            return None
        by_pair = {(package.from_code, package.to_code): package for package in self.packages}
        if (source, TARGET) in by_pair:
            return [by_pair[source, TARGET]]
        for (first_from, middle), first in sorted(by_pair.items()):
            if first_from == source and (middle, TARGET) in by_pair:
                return [first, by_pair[middle, TARGET]]
        return None

    def model_for(self, source: str) -> str | None:
        route = self.route(source)
        return " → ".join(package.model_id for package in route) if route else None

    def translate(self, texts: list[str], *, source: str) -> list[str]:
        return next(self.translate_batches([texts], source=source))

    def translate_batches(self, batches: Iterable[list[str]], *, source: str) -> Iterator[list[str]]:
        """English for each batch, in order. Each batch goes to the workers before the one ahead of it is
        collected, so they do not wait at batch boundaries while the caller stores and reports a batch."""
        route = self.route(source)
        if not route:
            raise TranslationFailed(f"no Argos package from {source!r} into English")
        stream = iter(batches)
        for package in route:
            stream = self._pipeline(package, stream)
        return stream

    def _pipeline(self, package: ModelPackage, batches: Iterator[list[str]]) -> Iterator[list[str]]:
        pending: deque[_Submitted] = deque()
        for texts in batches:
            pending.append(self._submit(package, texts))
            if len(pending) > BATCHES_AHEAD:
                yield self._collect(pending.popleft())
        while pending:
            yield self._collect(pending.popleft())

    def _submit(self, package: ModelPackage, texts: list[str]) -> _Submitted:
        # argostranslate translates each line of a text on its own and joins them with newlines: so does this.
        lines = [text.split("\n") for text in texts]
        sentences = [line for text_lines in lines for line in text_lines if line.strip()]
        translator, tokenizer, prefix = self._load(package)
        tokens = [tokenizer.encode(sentence) for sentence in sentences]
        try:
            results = translator.translate_batch(
                tokens, target_prefix=[[prefix]] * len(tokens) if prefix else None, replace_unknowns=True,
                max_batch_size=even_sub_batch(len(tokens), most=self.batch_size, workers=self.workers),
                beam_size=self.beam_size, num_hypotheses=1,
                length_penalty=LENGTH_PENALTY, max_input_length=self.max_input_length,
                max_decoding_length=self.max_decoding_length, asynchronous=True) if tokens else []
        except (RuntimeError, ValueError) as error:
            raise TranslationFailed(f"{package.label} failed: {error}") from None
        return _Submitted(package, lines, results, tokenizer, prefix)

    @staticmethod
    def _collect(submitted: _Submitted) -> list[str]:
        try:
            hypotheses = [result.result().hypotheses[0] for result in submitted.results]
        except (RuntimeError, ValueError) as error:
            raise TranslationFailed(f"{submitted.package.label} failed: {error}") from None
        english = iter(_detokenize(submitted.tokenizer, tokens, submitted.prefix) for tokens in hypotheses)
        return ["\n".join(next(english) if line.strip() else "" for line in text_lines)
                for text_lines in submitted.lines]

    def _load(self, package: ModelPackage) -> tuple:
        if package.path not in self._loaded:
            import ctranslate2
            from argostranslate.package import Package

            try:
                metadata = Package(package.path)
                # One single-threaded worker per core, each decoding its own sub-batch: on CPU this does more
                # per CPU-second than one batch spread over the cores (bench/RESULTS.md, Translation).
                translator = ctranslate2.Translator(str(package.path / "model"), device="cpu",
                                                    inter_threads=self.workers, intra_threads=1, compute_type="auto")
            except (OSError, RuntimeError, ValueError) as error:
                raise ModelUnloadable(f"{package.label} cannot be loaded: {error}",
                                        hint=f"reinstall it: parallax models install {package.pair}") from None
            self._loaded[package.path] = (translator, metadata.tokenizer, metadata.target_prefix)
        return self._loaded[package.path]


def even_sub_batch(count: int, *, most: int, workers: int) -> int:
    """The sub-batch size that cuts `count` passages into a multiple of `workers` sub-batches of at most `most`,
    as even as can be: 58 passages for 2 workers go 15, 15, 15, 13 rather than 16, 16, 16, 10, and 20 go 10, 10
    rather than 16, 4, so that no worker idles while another finishes a larger share."""
    rounds = max(1, -(-count // (most * workers)))
    return max(1, -(-count // (rounds * workers)))


def _usable_cores() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):  # Linux
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _detokenize(tokenizer, tokens: list[str], prefix: str) -> str:
    """As argostranslate's apply_packaged_translation does it."""
    value = tokenizer.decode(tokens)
    if prefix and value.startswith(prefix):
        value = value[len(prefix):]
    return value[1:] if value.startswith(" ") else value
