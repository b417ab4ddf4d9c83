"""Corpora made from NTREX documents and complete runs written from them through the engine (no Prefect), for
the export tests."""

from __future__ import annotations

import json
from pathlib import Path

from comparators.align import align_passages
from comparators.claims import group_claims
from comparators.comparison import Comparison, event_fields
from comparators.corpus import load_event
from comparators.coverage import compute_coverage
from comparators.output import write_output
from comparators.prepare import prepare_articles
from comparators.schema import conform
from comparators.signature import build_signature
from comparators.translate import IdentityEngine, translate_passages


def ntrex_documents(shared_dir: Path, count: int) -> list[dict]:
    with open(shared_dir / "data" / "ntrex-dev" / "documents.jsonl", encoding="utf-8") as lines:
        return [json.loads(next(lines)) for _ in range(count)]


def paragraphs(sentences: list[str]) -> str:
    return "\n\n".join(" ".join(sentences[start:start + 2]) for start in range(0, len(sentences), 2))


def write_corpus(folder: Path, title: str, articles: list[dict], *, license: str | None = None,
                 sources: str = "") -> Path:
    folder.mkdir(parents=True)
    settings = f'title = "{title}"\n' + (f'license = "{license}"\n' if license else "") + sources
    (folder / "event.toml").write_text(settings, encoding="utf-8")
    (folder / "articles.jsonl").write_text("".join(json.dumps(article) + "\n" for article in articles),
                                           encoding="utf-8")
    return folder


def write_run(corpus: Path, out: Path, options) -> dict:
    """Compare `corpus` as the compare flow does, translating English only (Spanish stays untranslated, so its
    coverage is unknown), and write the run into `out`. Returns its run.json."""
    event = load_event(corpus, options=options)
    articles, raw = prepare_articles(event, options=options)
    translated, translation = translate_passages(raw, options=options, engines=[IdentityEngine()])
    alignments = align_passages(translated, options=options)
    passages, claims = group_claims(translated, alignments, options=options)
    coverage = compute_coverage(passages, claims, alignments, options=options)
    comparison = Comparison(
        slug=event.slug, title=event.title, description=event.description, date=event.date, articles=articles,
        passages=conform("passages", passages), alignments=alignments, claims=claims, coverage=coverage,
        translation=translation, problems=event.problems,
        corpus=event_fields(event)["corpus"],
        signature=build_signature(options=options, translation=translation, corpus_digest=event.digest()))
    write_output(comparison, out)
    return json.loads((out / "run.json").read_text(encoding="utf-8"))
