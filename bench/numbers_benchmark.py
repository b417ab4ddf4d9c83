"""The numbers benchmark: how many "numbers differ" alarms on NTREX are false?

    .venv/bin/python -m bench.numbers_benchmark [--documents N] [--list]

Every NTREX dev document becomes one event told by seven outlets: the English as written, and Apertium's English
of the Spanish, French, Portuguese, Italian, Catalan and Galician human translations, each keeping every sentence
(bench/ntrex_outlets.py). They go through the real pipeline (prepare, translate, align, claims, coverage; the
translations are kept in the translation cache of the data folder, so reruns are quick), then
`comparators.numbers.find_discrepancies`.

The translations are faithful, so nearly every alarm should be false; but NTREX's translators did change some
numbers (30 yards became 27, 30 or 25 metres, one Portuguese text gives millimetres for centimetres). Those are
listed below by document and sentence, with the outlets whose number truly differs from the English source. A
differing outlet pair is "known real" when its sentence is listed and one of the two outlets is listed there;
every other differing pair is "other". A discrepancy (and a claim) is known real when one of its pairs is; the
others, flagged by "other" pairs alone, are the false alarms to drive down, with the "other" pairs.

Printed as Markdown, for bench/RESULTS.md: discrepancies, claims flagged, differing outlet pairs (known real and
other), the pairs per language pair; with --list, each flagged claim with every outlet's numbers as it writes
them and as the English translation reads them, so a reader can judge each alarm.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations

from bench.ntrex_outlets import (ENGINE_LANGUAGES, LANGUAGES, SimulatedEvent, _simulate_outlet, compare_simulated,
                                 load_documents, passage_sentences)
from comparators.apertium import ApertiumEngine
from comparators.numbers import SCORE, Discrepancy, _differ, find_discrepancies
from comparators.options import load_options
from comparators.translate import IdentityEngine

# Real differences between NTREX's human translations: (document, sentence index) -> the outlets whose number
# there is not the English source's, and what they write.
KNOWN_REAL = {
    ("guardian.221754", 2): ({"es"}, "£2.8bn is \"2800 billones\" (2.8 × 10¹⁵) in Spanish"),
    ("upi.176249", 2): ({"fr", "pt", "it"}, "30 yards (27.4 m) is 30 m in French and Portuguese, 25 m in Italian"),
    ("newsweek.51331", 7): ({"pt"}, "a 550-pound hog (249 kg) is 227 kg in Portuguese"),
    ("abcnews.306815", 6): ({"pt"}, "10 inches of rain are 25 mm in Portuguese (25 cm elsewhere)"),
    ("abcnews.306815", 8): ({"pt"}, "1 to 4 inches are 2.5 to 10 mm in Portuguese"),
    ("abcnews.306815", 9): ({"pt", "it"}, "2 to 3 inches an hour are 5 to 7 mm in Portuguese, 2.5–7.5 cm in Italian"),
    ("abcnews.306815", 10): ({"pt"}, "2 to 4 inches are 5 to 10 mm in Portuguese"),
    ("abcnews.306815", 15): ({"es", "it", "ca"}, "over half an inch (1.3 cm) is 2 cm in Spanish, 1 cm in Italian, "
                                                 "50 mm in Catalan"),
    ("abcnews.306815", 22): ({"es"}, "a 20 °F difference (11 °C) is 7 degrees in Spanish"),
    ("abcnews.306815", 24): ({"ca", "pt"}, "the 80s (°F) are 26 degrees, 27 in Catalan, 27 to 30 in Portuguese"),
    ("abcnews.306815", 25): ({"es", "it", "gl"}, "10 °F above average (5.6 °C) is 12 degrees in Spanish, Italian, "
                                                 "Galician"),
    ("bbc.381679", 4): ({"es", "fr"}, "about a mile (1.6 km) is almost 2 km in Spanish, about 1.5 km in French"),
    ("newsweek.51338", 6): ({"pt", "gl"}, "2 to 4 inches are 5 to 10 mm in Portuguese, 50 to 10 l/m2 in Galician"),
    ("newsweek.51338", 7): ({"pt"}, "1 to 2 inches are 3 to 5 mm in Portuguese"),
    ("newsweek.51338", 16): ({"pt"}, "3 to 6 inches are 8 to 10 mm in Portuguese"),
    ("reuters.218921", 8): ({"es"}, "220 2/3 innings are \"2/3 en 220 entradas\" in Spanish, 220 innings as written"),
    ("upi.176251", 19): ({"ca"}, "12:55 p.m. is 18:55 h in Catalan (Central European time, unnamed)"),
    ("dailymail.co.uk.298692", 11): ({"es", "gl"}, "two feet (61 cm) are 60 cm in Spanish and Galician"),
    ("reuters.218923", 4): ({"gl"}, "two matches won are four in Galician"),
    ("scotsman.133791", 2): ({"pt"}, "the 4-1 triumph is 1-0 in Portuguese"),
}


@dataclass
class Alarm:
    """One discrepancy, where it is, and its differing outlet pairs, each known real or not."""

    doc_id: str
    sentences: tuple[int | None, ...]
    discrepancy: Discrepancy
    real_pairs: list[tuple[str, str]]
    other_pairs: list[tuple[str, str]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=None, help="use only the first N documents")
    parser.add_argument("--list", action="store_true", help="list every flagged claim with its outlets' numbers")
    args = parser.parse_args()
    # Few, large batches: one Apertium process per language instead of one per 64 passages.
    options = load_options().with_overrides({"translate": {"batch_size": 2000}})
    events = [faithful_event(document) for document in load_documents()[:args.documents]]
    run = compare_simulated(events, options=options, engines=[IdentityEngine(), ApertiumEngine()])
    alarms = []
    for event, passages, coverage in run.results:
        sentence_of = passage_sentences(event, passages)
        for discrepancy in find_discrepancies(passages, coverage, options=options):
            alarms.append(judge(event.doc_id, discrepancy, sentence_of, options.numbers.tolerance))
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"## Numbers benchmark ({datetime.now():%Y-%m-%d %H:%M}, {platform.node() or 'this machine'}, "
          f"{os.cpu_count()} cores, {memory:.0f} GiB, load average {load})\n")
    print(f"{len(events)} NTREX documents as events, each told by {', '.join(ENGINE_LANGUAGES)} "
          f"({sum(frame.height for _, frame, _ in run.results)} passages).\n")
    print(summary_table(alarms))
    print("\n" + language_pairs_table(alarms))
    if args.list:
        print("\n" + listing(alarms))


def faithful_event(document: dict) -> SimulatedEvent:
    """One event from one NTREX document: an outlet per language Apertium translates, each keeping every sentence
    in order, so that every claim is told by every outlet."""
    rng = random.Random(f"numbers:{document['doc_id']}")
    outlets = tuple(_simulate_outlet(document["doc_id"], language, language,
                                     [sentence.strip() for sentence in document["sentences"][ntrex_name]], rng, 1.0)
                    for ntrex_name, language in LANGUAGES.items() if language in ENGINE_LANGUAGES)
    return SimulatedEvent(document["doc_id"], len(document["sentences"]["eng"]), outlets)


def judge(doc_id: str, discrepancy: Discrepancy, sentence_of: dict[str, int | None], tolerance: float) -> Alarm:
    """The discrepancy's differing outlet pairs, split by whether KNOWN_REAL explains them."""
    sentences = tuple(sorted({sentence_of[reading.passage_id] for reading in discrepancy.readings},
                             key=lambda index: -1 if index is None else index))
    odd = set().union(*(KNOWN_REAL.get((doc_id, sentence), (set(), ""))[0] for sentence in sentences))
    real, other = [], []
    for pair in differing_pairs(discrepancy, tolerance):
        (real if odd & set(pair) else other).append(pair)
    return Alarm(doc_id, sentences, discrepancy, real, other)


def differing_pairs(discrepancy: Discrepancy, tolerance: float) -> list[tuple[str, str]]:
    """The outlet pairs whose numbers for the quantity differ, as find_discrepancies decides it."""
    values: dict[str, set[tuple[float, float, str | None]]] = {}
    for reading in discrepancy.readings:
        low = reading.value if reading.low is None else reading.low
        values.setdefault(reading.outlet, set()).add((low, reading.value, reading.unit))
    every_value = set().union(*values.values())
    pairs = []
    for a, b in combinations(sorted(values), 2):
        x, y = frozenset(values[a]), frozenset(values[b])
        if (not x & y) if discrepancy.quantity == SCORE else _differ(x, y, every_value, tolerance):
            pairs.append((a, b))
    return pairs


def summary_table(alarms: list[Alarm]) -> str:
    claims = {(alarm.doc_id, alarm.discrepancy.claim_id) for alarm in alarms}
    real_claims = {(alarm.doc_id, alarm.discrepancy.claim_id) for alarm in alarms if alarm.real_pairs}
    real_alarms = sum(bool(alarm.real_pairs) for alarm in alarms)
    real_pairs = sum(len(alarm.real_pairs) for alarm in alarms)
    other_pairs = sum(len(alarm.other_pairs) for alarm in alarms)
    return ("| | all | known real | other (false alarms) |\n|---|---:|---:|---:|\n"
            f"| discrepancies | {len(alarms)} | {real_alarms} | {len(alarms) - real_alarms} |\n"
            f"| claims flagged | {len(claims)} | {len(real_claims)} | {len(claims - real_claims)} |\n"
            f"| differing outlet pairs | {real_pairs + other_pairs} | {real_pairs} | {other_pairs} |")


def language_pairs_table(alarms: list[Alarm]) -> str:
    real = Counter(pair for alarm in alarms for pair in alarm.real_pairs)
    other = Counter(pair for alarm in alarms for pair in alarm.other_pairs)
    lines = ["| outlets | differing pairs | known real | other |", "|---|---:|---:|---:|"]
    for pair in sorted(real.keys() | other.keys(), key=lambda pair: (-real[pair] - other[pair], pair)):
        lines.append(f"| {' – '.join(pair)} | {real[pair] + other[pair]} | {real[pair]} | {other[pair]} |")
    return "\n".join(lines)


def listing(alarms: list[Alarm]) -> str:
    lines = []
    for alarm in alarms:
        discrepancy = alarm.discrepancy
        where = ", ".join("?" if index is None else str(index) for index in alarm.sentences)
        known = " ".join(KNOWN_REAL.get((alarm.doc_id, index), (set(), ""))[1] for index in alarm.sentences)
        verdict = "; ".join(part for part in (
            f"known real: {known.strip()}" if alarm.real_pairs else "",
            "other: " + " ".join("–".join(pair) for pair in alarm.other_pairs) if alarm.other_pairs else "") if part)
        lines.append(f"- {alarm.doc_id} sentence {where}, claim {discrepancy.claim_id}, "
                     f"\"{discrepancy.quantity}\": {verdict}")
        for reading in discrepancy.readings:
            written = reading.written or "(not in the original)"
            lines.append(f"    - {reading.outlet}: {written!s} — \"{reading.phrase}\"")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
