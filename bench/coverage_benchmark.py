"""The coverage benchmark: how right are claims and "omitted" verdicts on NTREX documents as simulated outlets?

    .venv/bin/python -m bench.coverage_benchmark [--documents N] [--seed S]

Every NTREX dev document becomes an event told by 16–17 outlets in 14 languages (bench/ntrex_outlets.py), which
go through the real pipeline: clean, split, translate with Apertium (translations kept in the translation cache of
the data folder, so reruns are quick), align, claims, coverage. Printed as Markdown, for bench/RESULTS.md:

- per language and for all outlets in languages Apertium translates: pairwise precision, recall and F1 over
  passage pairs from different outlets, and omitted-precision (the share of "omitted" verdicts where the outlet
  truly lacks the claim's sentence), with omitted-recall and the number of "partial" verdicts beside it, so that
  a run which hides its doubts in "partial" shows it;
- for outlets in languages with no engine: the pairs that language-free anchors found, and their statuses
  (never "omitted");
- the same on the even documents (which calibrated the thresholds) and the odd ones (held out);
- side by side, the plain approach the issue measured: RapidFuzz `ratio` over all pairs, mutual best match per
  pair of outlets, union of matches, "omitted" wherever an outlet is not in a claim.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from datetime import date

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process

from bench.ntrex_outlets import (ENGINE_LANGUAGES, NO_ENGINE_LANGUAGES, Tally, compare_simulated, load_documents,
                                 score_events, simulate_corpus)
from comparators.apertium import ApertiumEngine
from comparators.normalize import normalize
from comparators.options import load_options
from comparators.translate import IdentityEngine

# The plain approach keeps a mutual best match from this ratio on (the best threshold for it on these documents).
PLAIN_THRESHOLD = 60.0
# Issue 4: pair F1 and omitted-precision of outlets with an engine, together and per language.
TARGET = 0.95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=None, help="use only the first N documents")
    parser.add_argument("--seed", type=int, default=0, help="seed of the simulated outlets' choices")
    args = parser.parse_args()
    # Few, large batches: one Apertium process per language instead of one per 64 passages.
    options = load_options().with_overrides({"translate": {"batch_size": 2000}})
    events = simulate_corpus(load_documents()[:args.documents], seed=args.seed)
    started = time.perf_counter()
    run = compare_simulated(events, options=options, engines=[IdentityEngine(), ApertiumEngine()])
    total = time.perf_counter() - started
    outlets = sum(len(event.outlets) for event in events)
    passages = sum(frame.height for _, frame, _ in run.results)
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"## Coverage benchmark ({date.today()}, {platform.node() or 'this machine'}, {os.cpu_count()} cores, "
          f"{memory:.0f} GiB, load average {load})\n")
    print(f"{len(events)} NTREX documents as events, {outlets} outlets, {passages} passages; seed {args.seed}. "
          f"Translation (Apertium; {run.translation.cache_hits} passages from the cache) and everything else: "
          f"{total:.0f} s; align + claims + coverage: {run.seconds:.1f} s.\n")
    print("### All documents\n")
    tallies = score_events(run.results)
    print(quality_table(tallies))
    print("\n" + targets_line(tallies))
    for name, part in (("even documents (calibration)", 0), ("odd documents (held out)", 1)):
        print(f"\n### {name.capitalize()}\n")
        print(quality_table(score_events(run.results[part::2]), languages=False))
    plain = [(event, *plain_approach(frame.drop("claim_id"), PLAIN_THRESHOLD)) for event, frame, _ in run.results]
    print(f"\n### Plain approach, side by side (ratio ≥ {PLAIN_THRESHOLD:g}, mutual best, union)\n")
    print(quality_table(score_events(plain), languages=False))


def targets_line(tallies: dict[str, Tally]) -> str:
    """Whether every group with an engine reaches the targets, and no untranslated outlet is called "omitted"."""
    missed = [f"{group} (F1 {tallies[group].f1:.3f}, omitted-precision {tallies[group].omitted_precision:.3f})"
              for group in ("engine", *ENGINE_LANGUAGES)
              if min(tallies[group].f1, tallies[group].omitted_precision) < TARGET]
    untranslated = tallies["no-engine"].omitted if "no-engine" in tallies else 0
    reached = "met by all" if not missed else "NOT met by " + ", ".join(missed)
    return (f"Targets: pair F1 and omitted-precision ≥ {TARGET:g} for all outlets with an engine and for each of "
            f"{', '.join(ENGINE_LANGUAGES)}: {reached}; \"omitted\" against outlets with no engine: {untranslated} "
            f"(target 0).")


def quality_table(tallies: dict[str, Tally], *, languages: bool = True) -> str:
    header = ("| outlets | pair precision | pair recall | pair F1 | omitted | omitted-precision | omitted-recall "
              "| partial |\n|---|---|---|---|---|---|---|---|")
    groups = ["engine", *(ENGINE_LANGUAGES if languages else ())]
    lines = [header]
    for group in groups:
        tally = tallies[group]
        name = "all with an engine (" + ", ".join(ENGINE_LANGUAGES) + ")" if group == "engine" else group
        lines.append(f"| {name} | {tally.precision:.3f} | {tally.recall:.3f} | {tally.f1:.3f} | {tally.omitted} "
                     f"| {tally.omitted_precision:.3f} | {tally.omitted_recall:.3f} | {tally.statuses['partial']} |")
    bonus = tallies.get("no-engine")
    if bonus is not None:
        statuses = ", ".join(f"{status} {count}" for status, count in sorted(bonus.statuses.items()))
        lines.append(f"\nNo engine ({', '.join(NO_ENGINE_LANGUAGES)}): anchors found {bonus.predicted_pairs} pairs "
                     f"with another outlet, precision {bonus.precision:.3f}, recall {bonus.recall:.3f} "
                     f"(of {bonus.true_pairs}); statuses: {statuses}.")
    return "\n".join(lines)


def plain_approach(passages: pl.DataFrame, threshold: float) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(passages with claim_id, coverage) by the plain approach."""
    translated = passages.filter(pl.col("text_en").is_not_null())
    ids, outlets = translated["passage_id"].to_list(), translated["outlet"].to_list()
    texts = [normalize(text) for text in translated["text_en"]]
    parent = list(range(len(ids)))

    def root(index: int) -> int:
        while parent[index] != index:
            index = parent[index]
        return index

    by_outlet = {outlet: [i for i, name in enumerate(outlets) if name == outlet] for outlet in sorted(set(outlets))}
    names = list(by_outlet)
    for position, outlet_a in enumerate(names):
        for outlet_b in names[position + 1:]:
            a, b = by_outlet[outlet_a], by_outlet[outlet_b]
            scores = process.cdist([texts[i] for i in a], [texts[j] for j in b], scorer=fuzz.ratio, dtype=np.float32)
            best_b, best_a = scores.argmax(axis=1), scores.argmax(axis=0)
            for row, column in enumerate(best_b):
                if best_a[column] == row and scores[row, column] >= threshold:
                    parent[root(a[row])] = root(b[column])
    claim_of = {ids[i]: f"c{root(i)}" for i in range(len(ids))}
    with_claims = passages.with_columns(
        pl.col("passage_id").replace_strict(claim_of, default=None, return_dtype=pl.String).alias("claim_id"))
    fully_translated = {outlet for outlet in set(passages["outlet"])
                        if passages.filter(pl.col("outlet") == outlet)["text_en"].null_count() == 0}
    members: dict[str, set[str]] = {}
    for passage, outlet in zip(ids, outlets):
        members.setdefault(claim_of[passage], set()).add(outlet)
    rows = [(claim, outlet, "included" if outlet in present else "omitted" if outlet in fully_translated
             else "unknown") for claim, present in members.items() for outlet in sorted(set(passages["outlet"]))]
    return with_claims, pl.DataFrame(rows, schema=["claim_id", "outlet", "status"], orient="row")


if __name__ == "__main__":
    main()
