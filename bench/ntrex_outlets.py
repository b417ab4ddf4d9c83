"""Simulated outlets from NTREX, where the truth about coverage is known exactly; the pipeline run on them; the
scores against the truth.

Every NTREX document becomes an event; every language version becomes an outlet (English two or three times)
that keeps the headline and a random ~70% of the other sentences, in paragraphs of 1–3 sentences. Half the outlets
reorder their paragraphs, as real outlets do; the headline stays first. Each outlet records which source sentence it carries
at which character offsets, so the pipeline's passages, claims and coverage can be scored:

- pairwise precision, recall and F1 over passage pairs from different outlets: a true pair carries the same
  source sentence (a passage stands for the sentence it overlaps most); a predicted pair shares a claim_id;
- omitted-precision: the share of "omitted" verdicts where the outlet truly lacks the claim's sentence.

The benchmark (bench/coverage_benchmark.py) and the quality gate (tests/test_align_quality.py) both use this.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import polars as pl

from comparators.align import align_passages
from comparators.claims import group_claims
from comparators.corpus import Article
from comparators.coverage import compute_coverage
from comparators.options import Options
from comparators.prepare import prepare_article
from comparators.schema import frame
from comparators.translate import Engine, TranslationSummary, translate_passages

DOCUMENTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "ntrex-dev" / "documents.jsonl"
# NTREX's language names and the ISO 639-1 codes the pipeline uses.
LANGUAGES = {"eng": "en", "spa": "es", "fra": "fr", "por": "pt", "ita": "it", "cat": "ca", "glg": "gl",
             "deu": "de", "rus": "ru", "zho-CN": "zh", "jpn": "ja", "kor": "ko", "arb": "ar", "ukr": "uk"}
# Languages Apertium translates into English here; outlets in the others must never be called "omitted".
ENGINE_LANGUAGES = ("en", "es", "fr", "pt", "it", "ca", "gl")
NO_ENGINE_LANGUAGES = ("de", "ru", "zh", "ja", "ko", "ar", "uk")
# Chinese and Japanese write sentences without a space between them.
_NO_SPACE_BETWEEN_SENTENCES = {"zh", "ja"}


@dataclass(frozen=True)
class CarriedSentence:
    """One source sentence as an outlet carries it: its index in the document and its offsets in the text."""

    index: int
    start: int
    end: int


@dataclass(frozen=True)
class SimulatedOutlet:
    name: str
    language: str
    article: Article
    sentences: tuple[CarriedSentence, ...]
    reordered: bool

    @property
    def carried(self) -> frozenset[int]:
        return frozenset(sentence.index for sentence in self.sentences)


@dataclass(frozen=True)
class SimulatedEvent:
    doc_id: str
    n_sentences: int
    outlets: tuple[SimulatedOutlet, ...]

    @property
    def articles(self) -> list[Article]:
        return [outlet.article for outlet in self.outlets]


def load_documents(path: Path = DOCUMENTS) -> list[dict]:
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def simulate_event(document: dict, *, seed: int = 0, languages: tuple[str, ...] | None = None,
                   keep: float = 0.7) -> SimulatedEvent:
    """One event from one NTREX document: an outlet per language (two or three in English)."""
    rng = random.Random(f"{seed}:{document['doc_id']}")
    outlets = []
    for ntrex_name, language in LANGUAGES.items():
        if languages is not None and language not in languages:
            continue
        sentences = [sentence.strip() for sentence in document["sentences"][ntrex_name]]
        copies = rng.choice((2, 3)) if language == "en" else 1
        for copy in range(1, copies + 1):
            name = f"{language}-{copy}" if copies > 1 else language
            outlets.append(_simulate_outlet(document["doc_id"], name, language, sentences, rng, keep))
    return SimulatedEvent(document["doc_id"], len(document["sentences"]["eng"]), tuple(outlets))


def simulate_corpus(documents: list[dict], *, seed: int = 0, languages: tuple[str, ...] | None = None
                    ) -> list[SimulatedEvent]:
    return [simulate_event(document, seed=seed, languages=languages) for document in documents]


def _simulate_outlet(doc_id: str, name: str, language: str, sentences: list[str], rng: random.Random,
                     keep: float) -> SimulatedOutlet:
    body = list(range(1, len(sentences)))
    kept = sorted(rng.sample(body, round(keep * len(body))))
    paragraphs: list[list[int]] = []
    while kept:
        size = rng.randint(1, 3)
        paragraphs.append(kept[:size])
        kept = kept[size:]
    reordered = rng.random() < 0.5
    if reordered:
        rng.shuffle(paragraphs)
    joiner = "" if language in _NO_SPACE_BETWEEN_SENTENCES else " "
    text, carried = "", []
    for paragraph in [[0]] + paragraphs:
        if text:
            text += "\n\n"
        for position, index in enumerate(paragraph):
            if position:
                text += joiner
            carried.append(CarriedSentence(index, len(text), len(text) + len(sentences[index])))
            text += sentences[index]
    article = Article(id=f"{doc_id}/{name}", outlet=name, text=text, title=sentences[0], language=language,
                      source=f"ntrex {doc_id} {name}")
    return SimulatedOutlet(name, language, article, tuple(carried), reordered)


# Scoring ---------------------------------------------------------------------------------------------------

@dataclass
class Tally:
    """Counts behind the scores, summed over events; `add` merges another tally."""

    true_pairs: int = 0
    predicted_pairs: int = 0
    correct_pairs: int = 0
    omitted: int = 0
    omitted_correct: int = 0
    truly_absent: int = 0  # (claim, outlet) rows where the outlet lacks the claim's sentence
    statuses: Counter = field(default_factory=Counter)

    def add(self, other: "Tally") -> None:
        self.true_pairs += other.true_pairs
        self.predicted_pairs += other.predicted_pairs
        self.correct_pairs += other.correct_pairs
        self.omitted += other.omitted
        self.omitted_correct += other.omitted_correct
        self.truly_absent += other.truly_absent
        self.statuses.update(other.statuses)

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def omitted_precision(self) -> float:
        """Share of "omitted" verdicts that are right; 1.0 when there are none."""
        return self.omitted_correct / self.omitted if self.omitted else 1.0

    @property
    def omitted_recall(self) -> float:
        """Share of truly absent claims that were called "omitted" (the rest were partial, unknown or wrong)."""
        return self.omitted_correct / self.truly_absent if self.truly_absent else 1.0


def passage_sentences(event: SimulatedEvent, passages: pl.DataFrame) -> dict[str, int | None]:
    """passage_id -> index of the source sentence the passage overlaps most (None when it overlaps none)."""
    spans = {outlet.article.id: outlet.sentences for outlet in event.outlets}
    found = {}
    for passage_id, article_id, start, end in passages.select("passage_id", "article_id", "start", "end").iter_rows():
        overlaps = [(min(end, s.end) - max(start, s.start), s.index) for s in spans[article_id]]
        best = max(overlaps, default=(0, None))
        found[passage_id] = best[1] if best[0] > 0 else None
    return found


def score_event(event: SimulatedEvent, passages: pl.DataFrame, coverage: pl.DataFrame
                ) -> dict[str, Tally]:
    """Tallies for one event, keyed by group: "engine" (outlets in ENGINE_LANGUAGES, pairs among them), each
    engine language (pairs with at least one passage in it, the other from an engine outlet; its omitted
    verdicts), "no-engine" (pairs with a passage from a no-engine outlet: anchors' bonus; its statuses)."""
    sentence_of = passage_sentences(event, passages)
    language_of = {outlet.name: outlet.language for outlet in event.outlets}
    carried = {outlet.name: outlet.carried for outlet in event.outlets}
    rows = passages.select("passage_id", "outlet", "claim_id").rows()
    tallies: dict[str, Tally] = defaultdict(Tally)
    for (id_a, outlet_a, claim_a), (id_b, outlet_b, claim_b) in combinations(rows, 2):
        if outlet_a == outlet_b:
            continue
        same_sentence = sentence_of[id_a] is not None and sentence_of[id_a] == sentence_of[id_b]
        same_claim = claim_a is not None and claim_a == claim_b
        for group in _pair_groups(language_of[outlet_a], language_of[outlet_b]):
            tally = tallies[group]
            tally.true_pairs += same_sentence
            tally.predicted_pairs += same_claim
            tally.correct_pairs += same_sentence and same_claim
    claim_sentence = _claim_sentences(passages, sentence_of)
    for claim_id, outlet, status in coverage.select("claim_id", "outlet", "status").iter_rows():
        language = language_of[outlet]
        absent = claim_sentence.get(claim_id) not in carried[outlet]
        for group in (language, "engine" if language in ENGINE_LANGUAGES else "no-engine"):
            tally = tallies[group]
            tally.statuses[status] += 1
            tally.truly_absent += absent
            if status == "omitted":
                tally.omitted += 1
                tally.omitted_correct += absent
    return tallies


def score_events(results: list[tuple[SimulatedEvent, pl.DataFrame, pl.DataFrame]]) -> dict[str, Tally]:
    """Tallies summed over (event, passages with claim_id, coverage) results."""
    total: dict[str, Tally] = defaultdict(Tally)
    for event, passages, coverage in results:
        for group, tally in score_event(event, passages, coverage).items():
            total[group].add(tally)
    return dict(total)


def _pair_groups(language_a: str, language_b: str) -> list[str]:
    engine_a, engine_b = language_a in ENGINE_LANGUAGES, language_b in ENGINE_LANGUAGES
    if engine_a and engine_b:
        return ["engine", *sorted({language_a, language_b})]
    return ["no-engine"]


def _claim_sentences(passages: pl.DataFrame, sentence_of: dict[str, int | None]) -> dict[str, int | None]:
    """claim_id -> the source sentence most of its passages stand for."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for passage_id, claim_id in passages.select("passage_id", "claim_id").iter_rows():
        if claim_id is not None:
            votes[claim_id][sentence_of[passage_id]] += 1
    return {claim_id: counter.most_common(1)[0][0] for claim_id, counter in votes.items()}


# Running the pipeline ----------------------------------------------------------------------------------------

@dataclass
class SimulatedRun:
    """The pipeline's output for every event, and the time align, claims and coverage took (seconds)."""

    results: list[tuple[SimulatedEvent, pl.DataFrame, pl.DataFrame]]
    translation: TranslationSummary
    seconds: float


def compare_simulated(events: list[SimulatedEvent], *, options: Options, engines: list[Engine]) -> SimulatedRun:
    """Prepare, translate (all events at once, so each language goes to its engine in few batches), then align,
    group and compute coverage event by event, as `parallax compare` does."""
    rows = [passage for event in events for article in event.articles
            for passage in prepare_article(article, options=options)[1]]
    translated, summary = translate_passages(frame("passages_raw", rows), options=options, engines=engines)
    by_article = {article.id: event.doc_id for event in events for article in event.articles}
    translated = translated.with_columns(
        pl.col("article_id").replace_strict(by_article, return_dtype=pl.String).alias("event"))
    results, seconds = [], 0.0
    for event in events:
        passages = translated.filter(pl.col("event") == event.doc_id).drop("event")
        started = time.perf_counter()
        alignments = align_passages(passages, options=options)
        with_claims, claims = group_claims(passages, alignments, options=options)
        coverage = compute_coverage(with_claims, claims, alignments, options=options)
        seconds += time.perf_counter() - started
        results.append((event, with_claims, coverage))
    return SimulatedRun(results, summary, seconds)
