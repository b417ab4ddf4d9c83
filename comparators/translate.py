"""Stage 4, translate: every passage to English through one engine interface, a language at a time, in batches.

An engine that cannot handle a language leaves its passages untranslated (text_en null): coverage then says
"unknown" for that outlet instead of accusing it of omissions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol

import polars as pl

from .errors import TranslationFailed
from .options import Options

TARGET = "en"


class Engine(Protocol):
    """What every translation engine offers. `model_for` names the model (with version) used for a language,
    or returns None when the engine cannot translate it."""

    name: str

    def model_for(self, source: str) -> str | None: ...

    def translate(self, texts: list[str], *, source: str) -> list[str]: ...


class IdentityEngine:
    """English passes through unchanged."""

    name = "identity"

    def model_for(self, source: str) -> str | None:
        return "identity" if source == TARGET else None

    def translate(self, texts: list[str], *, source: str) -> list[str]:
        return list(texts)


@dataclass
class TranslationSummary:
    """Per language: how many passages, by which engine and model, and what could not be translated."""

    passages: dict[str, int] = field(default_factory=dict)
    engines: dict[str, tuple[str, str]] = field(default_factory=dict)  # language -> (engine, model)
    untranslated: dict[str, str] = field(default_factory=dict)  # language -> reason
    cache_hits: int = 0

    @property
    def failed_passages(self) -> int:
        return sum(self.passages[language] for language in self.untranslated)


def available_engines(options: Options) -> list[Engine]:
    """The engines this machine can use, in the order `auto` tries them."""
    return [IdentityEngine()]


def choose_engine(language: str, engines: list[Engine], options: Options) -> Engine | None:
    if language == TARGET:
        return next(engine for engine in engines if engine.name == "identity")
    wanted = options.translate.engines.get(language, options.translate.default_engine)
    for engine in engines:
        if (wanted in ("auto", engine.name)) and engine.name != "identity" and engine.model_for(language):
            return engine
    return None


def translate_passages(
    passages: pl.DataFrame,
    *,
    options: Options,
    engines: list[Engine] | None = None,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> tuple[pl.DataFrame, TranslationSummary]:
    """Add text_en, engine and model to `passages` (columns passage_id, language, text)."""
    engines = available_engines(options) if engines is None else engines
    summary = TranslationSummary()
    translated: dict[str, tuple[str | None, str | None, str | None]] = {}
    for language, group in passages.group_by("language", maintain_order=True):
        language = language[0]
        ids, texts = group["passage_id"].to_list(), group["text"].to_list()
        summary.passages[language or "?"] = len(ids)
        engine = choose_engine(language, engines, options) if language else None
        if engine is None:
            summary.untranslated[language or "?"] = "no engine installed for this language"
            translated.update({pid: (None, None, None) for pid in ids})
            continue
        model = engine.model_for(language)
        try:
            english = _in_batches(engine, texts, language, options.translate.batch_size, on_progress)
        except TranslationFailed as error:
            summary.untranslated[language] = str(error)
            translated.update({pid: (None, None, None) for pid in ids})
            continue
        summary.engines[language] = (engine.name, model)
        translated.update({pid: (text, engine.name, model) for pid, text in zip(ids, english)})
    columns = list(zip(*(translated[pid] for pid in passages["passage_id"]))) or [[], [], []]
    return passages.with_columns(
        pl.Series("text_en", columns[0], dtype=pl.String),
        pl.Series("engine", columns[1], dtype=pl.String),
        pl.Series("model", columns[2], dtype=pl.String),
    ), summary


def _in_batches(engine: Engine, texts: list[str], language: str, size: int, on_progress) -> list[str]:
    english: list[str] = []
    for start in range(0, len(texts), size):
        english.extend(engine.translate(texts[start:start + size], source=language))
        if on_progress:
            on_progress(language, len(english), len(texts))
    return english


def signature(summary: TranslationSummary) -> str:
    pairs = [f"{language}-en:{engine}={model}" for language, (engine, model) in sorted(summary.engines.items())]
    pairs += [f"{language}-en:none" for language in sorted(summary.untranslated)]
    return ",".join(pairs)
