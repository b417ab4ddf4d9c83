"""Run the engine stages in order without Prefect, for tests that need a Comparison quickly."""

from __future__ import annotations

import json
from pathlib import Path

from comparators.align import align_passages
from comparators.claims import group_claims
from comparators.comparison import Comparison, event_fields
from comparators.corpus import load_event
from comparators.coverage import compute_coverage
from comparators.prepare import prepare_articles
from comparators.schema import conform
from comparators.signature import build_signature
from comparators.translate import translate_passages

SMALL_CORPUS = [
    {"id": "a", "outlet": "Ledger", "language": "en",
     "text": "Kim in Beijing\n\nKim Jong Un arrived in Beijing by armoured train. The parade lasted 70 minutes."},
    {"id": "b", "outlet": "Courier", "language": "en",
     "text": "Kim Jong Un came to Beijing on his armoured train.\n\n26 foreign leaders attended the parade."},
]


def write_small_corpus(folder: Path, records=SMALL_CORPUS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "event.toml").write_text('title = "Small event"\nlanguages = ["en"]\n')
    (folder / "articles.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return folder


def compare_without_prefect(folder: Path, options, records=SMALL_CORPUS) -> Comparison:
    if not (folder / "articles.jsonl").exists():
        write_small_corpus(folder, records)
    event = load_event(folder, options=options)
    articles, raw = prepare_articles(event, options=options)
    passages, translation = translate_passages(raw, options=options)
    alignments = align_passages(passages, options=options)
    passages, claims = group_claims(passages, alignments, options=options)
    coverage = compute_coverage(passages, claims, alignments, options=options)
    return Comparison(
        **event_fields(event), articles=articles,
        passages=conform("passages", passages), alignments=alignments, claims=claims, coverage=coverage,
        translation=translation,
        signature=build_signature(options=options, translation=translation, corpus_digest=event.digest()))
