"""Stage 4, translate: every passage to English through one engine interface, a language at a time, in batches.

Engines: `identity` (English), `argos` (installed Argos packages, batched CTranslate2), `apertium` (Debian's
rule-based pairs). Translations are kept in the translation cache by (source text, engine, model version), so a
rerun sends an engine only what it has not translated before. An engine that cannot handle a language leaves its
passages untranslated (text_en null): coverage then says "unknown" for that outlet instead of accusing it of
omissions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Protocol

import polars as pl

from .apertium import ApertiumEngine
from .argos import ArgosEngine
from .errors import ModelUnloadable, OptionsError, TranslationFailed
from .language import normalize_language_code, suggest_language_code
from .options import Options
from .translation_cache import TranslationCache

TARGET = "en"


class Engine(Protocol):
    """What every translation engine offers. `model_for` names the model (with version) used for a language,
    or returns None when the engine cannot translate it. An engine whose output Parallax reworks (Apertium's
    marks) names the revision of that rework too: the model string keys the cache and goes into the signature, so
    it must change whenever the English for the same input would."""

    name: str

    def model_for(self, source: str) -> str | None: ...

    def translate(self, texts: list[str], *, source: str) -> list[str]: ...

    def translate_batches(self, batches: Iterable[list[str]], *, source: str) -> Iterator[list[str]]:
        """`translate` for each batch in turn, yielded as each is done; an engine may start the next early."""
        ...


class IdentityEngine:
    """English passes through unchanged."""

    name = "identity"

    def model_for(self, source: str) -> str | None:
        return "identity" if source == TARGET else None

    def translate(self, texts: list[str], *, source: str) -> list[str]:
        return list(texts)

    def translate_batches(self, batches: Iterable[list[str]], *, source: str) -> Iterator[list[str]]:
        return (self.translate(batch, source=source) for batch in batches)


@dataclass
class TranslationSummary:
    """Per language: how many passages, by which engine and model, and what could not be translated."""

    passages: dict[str, int] = field(default_factory=dict)
    engines: dict[str, tuple[str, str]] = field(default_factory=dict)  # language -> (engine, model)
    untranslated: dict[str, str] = field(default_factory=dict)  # language -> reason
    advice: dict[str, str] = field(default_factory=dict)  # language -> what would get it translated
    cache_hits: int = 0  # passages whose English came from the translation cache
    translated: int = 0  # passages an engine translated in this run
    notes: list[str] = field(default_factory=list)  # e.g. a translation cache that had to be rebuilt

    @property
    def failed_passages(self) -> int:
        return sum(self.passages[language] for language in self.untranslated)

    def describe(self) -> str:
        """One line for the run summary, e.g. '71 passages into English: 0 by an engine, 71 from the cache'."""
        if set(self.passages) <= {"en"}:
            return "none needed: every passage is in English"
        return (f"{self.translated + self.cache_hits} passage(s) into English: {self.translated} by an engine, "
                f"{self.cache_hits} from the translation cache")


def available_engines(options: Options) -> list[Engine]:
    """The engines this machine can use, in the order `auto` tries them: identity, argos, apertium."""
    settings = options.translate
    argos = ArgosEngine(beam_size=settings.beam_size, max_decoding_length=settings.max_decoding_length,
                        max_input_length=settings.max_input_length, batch_size=settings.argos_batch_size,
                        workers=settings.argos_workers)
    return [IdentityEngine(), argos, ApertiumEngine()]


def choose_engine(language: str, engines: list[Engine], options: Options) -> Engine | None:
    """The engine that translates `language`, or None."""
    candidates = engine_candidates(language, engines, options)
    return candidates[0] if candidates else None


def engine_candidates(language: str, engines: list[Engine], options: Options) -> list[Engine]:
    """The engines able to translate `language` that [translate] allows, best first: the next one is used when
    an engine's model cannot be loaded."""
    if language == TARGET:
        return [engine for engine in engines if engine.name == "identity"][:1]
    wanted = options.translate.engines.get(language, options.translate.default_engine)
    return [engine for engine in engines
            if wanted in ("auto", engine.name) and engine.name != "identity" and engine.model_for(language)]


def translate_passages(
    passages: pl.DataFrame,
    *,
    options: Options,
    engines: list[Engine] | None = None,
    on_progress: Callable[[str, int, int], None] | None = None,
    cache: TranslationCache | None = None,
) -> tuple[pl.DataFrame, TranslationSummary]:
    """Add text_en, engine and model to `passages` (columns passage_id, language, text).

    `cache` defaults to the translation cache in the data folder when [translate] cache is on."""
    engines = available_engines(options) if engines is None else engines
    check_settings(options, engines)
    own_cache = cache is None and options.translate.cache
    cache = TranslationCache() if own_cache else cache
    summary = TranslationSummary()
    translated: dict[str, tuple[str | None, str | None, str | None]] = {}
    try:
        for language, group in passages.group_by("language", maintain_order=True):
            language = language[0]
            ids, texts = group["passage_id"].to_list(), group["text"].to_list()
            summary.passages[language or "?"] = len(ids)
            candidates = engine_candidates(language, engines, options) if language else []
            if not candidates:
                summary.untranslated[language or "?"] = _no_engine_reason(language, engines, options)
                summary.advice[language or "?"] = untranslated_advice(language, options)
                translated.update({pid: (None, None, None) for pid in ids})
                continue
            try:
                engine, model, english = _first_that_loads(candidates, language, texts, options, cache, summary,
                                                           on_progress)
            except TranslationFailed as error:
                # The hint names the fix: for a package that cannot be loaded, reinstalling it (maybe the pivot's
                # second leg, not `language`-en).
                summary.untranslated[language] = str(error)
                summary.advice[language] = error.hint or untranslated_advice(language, options)
                translated.update({pid: (None, None, None) for pid in ids})
                continue
            summary.engines[language] = (engine.name, model)
            translated.update({pid: (english[text], engine.name, model) for pid, text in zip(ids, texts)})
    finally:
        if cache is not None:
            summary.notes.extend(cache.notes)
            if own_cache:
                cache.close()
    columns = list(zip(*(translated[pid] for pid in passages["passage_id"]))) or [[], [], []]
    return passages.with_columns(
        pl.Series("text_en", columns[0], dtype=pl.String),
        pl.Series("engine", columns[1], dtype=pl.String),
        pl.Series("model", columns[2], dtype=pl.String),
    ), summary


def _first_that_loads(candidates: list[Engine], language: str, texts: list[str], options: Options,
                      cache: TranslationCache | None, summary: TranslationSummary, on_progress
                      ) -> tuple[Engine, str, dict[str, str]]:
    """(engine, model, English by text) from the first engine whose model loads; one whose model cannot be loaded
    hands the language to the next, and the summary notes it."""
    for engine, fallback in zip(candidates, [*candidates[1:], None]):
        model = engine.model_for(language)
        try:
            return engine, model, _translate_language(engine, model, language, texts, options, cache, summary,
                                                      on_progress)
        except ModelUnloadable as error:
            if fallback is None:
                raise
            summary.notes.append(f"'{language}': {error} ({error.hint}); translated with {fallback.name} instead")
    raise TranslationFailed(f"no engine can translate {language!r}")


def _translate_language(engine: Engine, model: str, language: str, texts: list[str], options: Options,
                        cache: TranslationCache | None, summary: TranslationSummary, on_progress) -> dict[str, str]:
    """English for each distinct text: from the cache where it is there, else from the engine in batches, each
    batch stored as soon as it is done so that an interrupted run keeps what it translated."""
    distinct = list(dict.fromkeys(texts))
    if engine.name == "identity":  # English passes through: nothing to count or keep
        return dict(zip(distinct, engine.translate(distinct, source=language)))
    english = cache.lookup(distinct, engine=engine.name, model=model) if cache is not None else {}
    hits = sum(text in english for text in texts)
    # Passages of like length batch together: less padding, and a batch's outputs end at about the same step.
    missing = sorted((text for text in distinct if text not in english), key=len)
    size = options.translate.batch_size
    batches = [missing[start:start + size] for start in range(0, len(missing), size)]
    done = len(distinct) - len(missing)
    if on_progress and missing:
        on_progress(language, done, len(distinct))  # the clock of the rate starts before the first batch
    for batch, result in zip(batches, engine.translate_batches(batches, source=language), strict=True):
        if len(result) != len(batch):
            raise TranslationFailed(f"{engine.name} returned {len(result)} translations for {len(batch)} passages")
        english.update(zip(batch, result))
        if cache is not None:
            cache.store(list(zip(batch, result)), engine=engine.name, model=model)
        done += len(batch)
        if on_progress:
            on_progress(language, done, len(distinct))
    summary.cache_hits += hits
    summary.translated += len(texts) - hits
    return english


def check_settings(options: Options, engines: list[Engine] | None = None) -> None:
    """Refuse a [translate] engine name that would otherwise leave a language untranslated, blaming a missing
    model, and a language an engine is picked for that no passage can be in. (Counts are held to their range when
    the options are read: options.RANGES.)"""
    settings = options.translate
    for language in settings.engines:
        if normalize_language_code(language) != language:
            code = normalize_language_code(language) or suggest_language_code(language)
            raise OptionsError(f"{options.where(f'translate.engines.{language}')}option 'translate.engines' names "
                               f"{language!r}, which is no passage's language",
                               hint=f"write {code!r}" if code else "use ISO 639-1 codes such as 'es' or 'de'")
    engines = available_engines(options) if engines is None else engines
    names = ["auto", *(engine.name for engine in engines if engine.name != IdentityEngine.name)]
    named = {"default_engine": settings.default_engine,
             **{f"engines.{language}": engine for language, engine in settings.engines.items()}}
    for key, engine in named.items():
        if engine not in names:
            raise OptionsError(f"{options.where(f'translate.{key}')}option 'translate.{key}' is {engine!r}, "
                               "which is no engine",
                               hint=f"use one of {', '.join(map(repr, names))}")


def _no_engine_reason(language: str | None, engines: list[Engine], options: Options) -> str:
    if not language:
        return "language unknown"
    wanted = options.translate.engines.get(language, options.translate.default_engine)
    if wanted == "auto":
        return "no engine installed for this language"
    if wanted == ApertiumEngine.name:  # else the fix named beside this reason, installing an Argos model, does nothing
        return "apertium, the engine picked for it, has no mode for this language; an Argos model is used only " \
               "with engine 'auto' or 'argos'"
    return f"{wanted} has no model for this language"


def untranslated_advice(language: str | None, options: Options) -> str:
    """What would get `language` translated. An Argos model does only where [translate] allows Argos for it, so
    where it picks Apertium the setting to change comes first."""
    if not language:
        return "declare the articles' language (language in articles.jsonl or manifest.csv)"
    install = f"install a model with: parallax models install {language}-en"
    if options.translate.engines.get(language, options.translate.default_engine) == ApertiumEngine.name:
        return f'set [translate] engines.{language} = "auto" in your options file, then {install}'
    return install


def signature(summary: TranslationSummary) -> str:
    pairs = [f"{language}-en:{engine}={model}" for language, (engine, model) in sorted(summary.engines.items())]
    pairs += [f"{language}-en:none" for language in sorted(summary.untranslated)]
    return ",".join(pairs)
