"""Reuse: a scheduled rerun in which nothing changed takes the previous run's tables instead of recomputing them.

Every stage is a function of the articles, the options, the library versions and the translation engines chosen
for each language, and the reproducibility signature records exactly these. So when the signature this run
would carry equals the previous run's, recomputing would give the same tables; the run copies them and says so
in its history row (reused_from). Engines are chosen again, without translating, so a newly installed model, or
a language that failed to translate last time, makes the run compute afresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from .corpus import Event
from .options import Options
from .output import TABLE_FILES, read_run_table
from .signature import Signature, build_signature
from .translate import TranslationSummary, available_engines, choose_engine, untranslated_advice


@dataclass
class ReusedRun:
    run_id: str
    tables: dict[str, pl.DataFrame]
    translation: TranslationSummary
    signature: Signature


def reuse_previous_run(previous: Path, summary: dict, event: Event, *, options: Options) -> ReusedRun | None:
    """The previous run's tables when this run would reproduce them exactly, else None. `summary` is the
    previous run's run.json. RunIncomplete when its tables cannot be read."""
    if summary.get("status") != "complete":
        return None
    passages = read_run_table(previous, "passages", columns=["language"])
    translation = planned_translation(passages, options=options, reasons=summary.get("untranslated", {}))
    signature = build_signature(options=options, translation=translation, corpus_digest=event.digest())
    if str(signature) != summary.get("signature"):
        return None
    tables = {table: read_run_table(previous, table) for table in TABLE_FILES}
    return ReusedRun(run_id=summary["run_id"], tables=tables, translation=translation, signature=signature)


def planned_translation(passages: pl.DataFrame, *, options: Options, reasons: dict[str, str]
                        ) -> TranslationSummary:
    """The translation summary translate_passages would report for these passages' languages, had every engine
    it chooses succeeded. A language without an engine keeps the reason the previous run gave (`reasons`)."""
    engines = available_engines(options)
    summary = TranslationSummary()
    for (language,), group in passages.group_by("language", maintain_order=True):
        summary.passages[language or "?"] = group.height
        engine = choose_engine(language, engines, options) if language else None
        if engine is None:
            summary.untranslated[language or "?"] = reasons.get(language or "?", "no engine for this language")
            summary.advice[language or "?"] = untranslated_advice(language, options)
        else:
            summary.engines[language] = (engine.name, engine.model_for(language))
    return summary
