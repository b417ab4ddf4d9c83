"""The compare flow: one task per engine stage, one subflow per event. Retries and scheduling live here."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

import polars as pl
from prefect import flow, task, unmapped
from prefect.cache_policies import NO_CACHE

from comparators.align import align_passages
from comparators.claims import group_claims
from comparators.comparison import Comparison, event_fields
from comparators.corpus import Article, Event, load_event
from comparators.coverage import compute_coverage
from comparators.errors import ParallaxError
from comparators.options import Options
from comparators.output import write_output
from comparators.prepare import prepare_article
from comparators.schema import conform, frame
from comparators.signature import build_signature
from comparators.translate import TranslationSummary, translate_passages

from .progress import translation_progress


@dataclass
class EventResult:
    corpus: str
    out: str | None = None
    error: str | None = None
    hint: str = ""
    warnings: list[str] = field(default_factory=list)
    outlets: int = 0
    claims: int = 0
    translation: str = ""  # how many passages an engine translated and how many came from the translation cache

    @property
    def ok(self) -> bool:
        return self.error is None


@task(name="load corpus", cache_policy=NO_CACHE)
def load_event_task(corpus: str, options: Options) -> Event:
    return load_event(corpus, options=options)


@task(name="clean, detect language, split", cache_policy=NO_CACHE)
def prepare_task(articles: list[Article], options: Options) -> list[tuple[dict, list[dict]]]:
    return [prepare_article(article, options=options) for article in articles]


@task(name="translate", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=2)
def translate_task(passages, options: Options):
    with translation_progress(passages, options.translate.progress_min_passages) as progress:
        return translate_passages(passages, options=options, on_progress=progress)


@task(name="align", cache_policy=NO_CACHE)
def align_task(passages, options: Options):
    return align_passages(passages, options=options)


@task(name="group claims", cache_policy=NO_CACHE)
def claims_task(passages, alignments, options: Options):
    return group_claims(passages, alignments, options=options)


@task(name="coverage", cache_policy=NO_CACHE)
def coverage_task(passages, claims, alignments, options: Options):
    return compute_coverage(passages, claims, alignments, options=options)


@task(name="write report and tables", cache_policy=NO_CACHE)
def write_task(comparison: Comparison, out: str, options: Options) -> Path:
    return write_output(comparison, out, options=options)


def compare_loaded_event(event: Event, settings: Options, **run) -> Comparison:
    """Stages 1–7 of a loaded event as tasks of the calling flow. Groups of articles, and then languages, are
    submitted together so the flow's task runner (threads, or a Dask cluster) works on them in parallel.
    `run` passes run_id and started_at through to the Comparison."""
    size = settings.serve.articles_per_task
    groups = [event.articles[start:start + size] for start in range(0, len(event.articles), size)]
    prepared = [pair for group in prepare_task.map(groups, unmapped(settings)).result() for pair in group]
    articles = frame("articles", [row for row, _ in prepared])
    raw_passages = frame("passages_raw", [passage for _, rows in prepared for passage in rows])
    by_language = raw_passages.partition_by("language", maintain_order=True) or [raw_passages]
    translated, translation = merge_translations(
        raw_passages, translate_task.map(by_language, unmapped(settings)).result())
    alignments = align_task(translated, settings)
    passages, claims = claims_task(translated, alignments, settings)
    coverage = coverage_task(passages, claims, alignments, settings)
    return Comparison(
        **event_fields(event), articles=articles, passages=conform("passages", passages), alignments=alignments,
        claims=claims, coverage=coverage, translation=translation,
        signature=build_signature(options=settings, translation=translation, corpus_digest=event.digest()),
        **run)


def merge_translations(passages: pl.DataFrame, parts: list[tuple[pl.DataFrame, TranslationSummary]]
                       ) -> tuple[pl.DataFrame, TranslationSummary]:
    """One language's translation per part, back in the order of `passages` and under one summary."""
    summary = TranslationSummary()
    for item in fields(TranslationSummary):  # each field is a mapping by language, a count, or a list of notes
        for _, part in parts:
            value = getattr(part, item.name)
            if isinstance(value, dict):
                getattr(summary, item.name).update(value)
            else:
                setattr(summary, item.name, getattr(summary, item.name) + value)
    english = pl.concat([translated.select("passage_id", "text_en", "engine", "model") for translated, _ in parts])
    # An article given twice has its passage ids twice: one translation each, or the join would multiply rows.
    english = english.unique("passage_id", keep="first", maintain_order=True)
    return passages.join(english, on="passage_id", how="left", maintain_order="left"), summary


@flow(name="compare-event", validate_parameters=False)
def compare_event(corpus: str, out: str, options: dict) -> Comparison:
    """Compare one event folder and write its report and tables into `out`."""
    settings = Options(options)
    comparison = compare_loaded_event(load_event_task(corpus, settings), settings)
    write_task(comparison, out, settings)
    return comparison


@flow(name="compare", validate_parameters=False)
def compare_events(corpora: list[str], outs: list[str], options: dict) -> list[EventResult]:
    """Compare several events; one failing does not stop the others."""
    results = []
    for corpus, out in zip(corpora, outs):
        result = EventResult(corpus=corpus)
        try:
            comparison = compare_event(corpus, out, options)
        except ParallaxError as error:
            result.error, result.hint = str(error), error.hint
        except Exception as error:  # a bug must not hide the other events' results
            result.error = f"internal error: {type(error).__name__}: {error}"
            result.hint = "please report it with the corpus that caused it"
        else:
            result.out, result.warnings = out, comparison.warnings()
            result.outlets, result.claims = len(comparison.outlets), comparison.claims.height
            result.translation = comparison.translation.describe()
        results.append(result)
    return results
