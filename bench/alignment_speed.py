"""Speed of alignment and grouping (stages 5 and 6) as events grow, side by side with pair-by-pair scoring.

    .venv/bin/python -m bench.alignment_speed [--outlets 50] [--per-outlet 20 40 100 200] [--repeat N]

One event of 50 outlets in the seven languages Apertium translates, each carrying 20, 40, 100 or 200 of a pool
of NTREX sentences (1,000 to 10,000 passages), ~70% of the pool, in reordered paragraphs for half the outlets.
Passages are translated first (the translation cache makes reruns quick) and are not timed; outlets that share a
language reword their English a little (a word dropped, two swapped), so that no two outlets are copies.

Each size runs in a child process of its own, which reports wall and CPU time (all threads) of `align_passages`
and `group_claims` (the fastest of --repeat runs), and its peak resident memory (the whole process: interpreter,
libraries, data). On a shared machine other work stretches wall time; CPU time does not move, and wall time on
an idle machine cannot be below CPU time / cores. Beside it, the CPU time of scoring the same pairs pair by pair
in Python (`fuzz.ratio` on the two prepared strings of each pair, as the text comparator does), measured on a
sample of pairs and scaled to all pairs: CPU against CPU; and, for the smallest size, the slow reference
implementation (comparators/reference.py) end to end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import polars as pl
from rapidfuzz import fuzz

from bench.ntrex_outlets import ENGINE_LANGUAGES, LANGUAGES, load_documents
from comparators import reference as slow
from comparators.align import align_passages
from comparators.apertium import ApertiumEngine
from comparators.claims import group_claims
from comparators.normalize import keyword_key, normalize
from comparators.options import load_options
from comparators.schema import frame
from comparators.translate import IdentityEngine, translate_passages

SAMPLE_PAIRS = 200_000
TARGETS = {2_000: 3.0, 10_000: 30.0}  # passages -> seconds allowed for align + claims
MEMORY_TARGET_MB = 2_048


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--outlets", type=int, default=50, help="outlets in the event")
    parser.add_argument("--per-outlet", type=int, nargs="+", default=[20, 40, 100, 200],
                        help="passages per outlet, one run each")
    parser.add_argument("--repeat", type=int, default=1,
                        help="time each size this many times and keep the fastest run (a shared machine)")
    parser.add_argument("--child", nargs=3, metavar=("PASSAGES_FILE", "RESULT_FILE", "REFERENCE"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return timed_child(Path(args.child[0]), Path(args.child[1]), reference=args.child[2] == "reference",
                           repeat=args.repeat)
    options = load_options().with_overrides({"translate": {"batch_size": 2000}})
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        rows = []
        for per_outlet in args.per_outlet:
            passages = translated_event(args.outlets, per_outlet, options)
            passages_file, result_file = Path(folder) / "passages.parquet", Path(folder) / "result.json"
            passages.write_parquet(passages_file)
            subprocess.run([sys.executable, "-m", "bench.alignment_speed", "--repeat", str(args.repeat), "--child",
                            str(passages_file), str(result_file), "reference" if not rows else "-"], check=True)
            result = json.loads(result_file.read_text())
            result["pair_by_pair"] = pair_by_pair_seconds(passages)
            rows.append(result)
    print_table(rows, args.outlets, load_before)


def translated_event(n_outlets: int, per_outlet: int, options) -> pl.DataFrame:
    """Passages (with text_en) of one event: `n_outlets` outlets with `per_outlet` passages each."""
    rng = random.Random(f"speed:{n_outlets}:{per_outlet}")
    pool_size = round(per_outlet / 0.7)
    pool = []
    for document in load_documents():
        pool.extend(zip(*(document["sentences"][name] for name in LANGUAGES if LANGUAGES[name] in ENGINE_LANGUAGES)))
        if len(pool) >= pool_size:
            break
    pool = pool[:pool_size]
    rows = []
    for number in range(n_outlets):
        column = number % len(ENGINE_LANGUAGES)
        language = ENGINE_LANGUAGES[column]
        kept = sorted(rng.sample(range(len(pool)), per_outlet))
        paragraphs = []
        while kept:
            size = rng.randint(1, 3)
            paragraphs.append(kept[:size])
            kept = kept[size:]
        if number % 2:
            rng.shuffle(paragraphs)
        for position, index in enumerate(index for paragraph in paragraphs for index in paragraph):
            text = pool[index][column].strip()
            rows.append({"passage_id": f"p{number}-{position}", "article_id": f"a{number}",
                         "outlet": f"outlet {number:02d}", "language": language, "position": position,
                         "start": 0, "end": len(text), "text": text})
    translated, _ = translate_passages(frame("passages_raw", rows), options=options,
                                       engines=[IdentityEngine(), ApertiumEngine()])
    return translated.with_columns(pl.Series("text_en", [
        reworded(text, rng) if int(outlet.split()[-1]) >= len(ENGINE_LANGUAGES) else text
        for text, outlet in translated.select("text_en", "outlet").iter_rows()]))


def reworded(text: str, rng: random.Random) -> str:
    """`text` with one word dropped and two neighbouring words swapped."""
    words = text.split()
    if len(words) < 4:
        return text
    del words[rng.randrange(len(words))]
    swap = rng.randrange(len(words) - 1)
    words[swap], words[swap + 1] = words[swap + 1], words[swap]
    return " ".join(words)


def timed_child(passages_file: Path, result_file: Path, *, reference: bool, repeat: int) -> None:
    passages = pl.read_parquet(passages_file)
    options = load_options()
    runs = []
    for _ in range(repeat):
        cpu_before = _cpu_seconds()
        started = time.perf_counter()
        alignments = align_passages(passages, options=options)
        aligned = time.perf_counter()
        _, claims = group_claims(passages, alignments, options=options)
        grouped = time.perf_counter()
        runs.append({"passages": passages.height, "pairs_kept": alignments.height, "claims": claims.height,
                     "align": aligned - started, "group": grouped - aligned, "cpu": _cpu_seconds() - cpu_before})
    # The fastest run is the one other work on the machine disturbed least.
    result = min(runs, key=lambda run: run["align"] + run["group"])
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if reference:
        cpu_before = _cpu_seconds()
        slow_alignments = slow.align_passages(passages, options=options)
        slow.group_claims(passages, slow_alignments, options=options)
        result["reference_cpu"] = _cpu_seconds() - cpu_before
    result_file.write_text(json.dumps(result))


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def pair_by_pair_seconds(passages: pl.DataFrame) -> float:
    """CPU seconds to score every cross-outlet pair with two `fuzz.ratio` calls from Python, from a sample."""
    texts, outlets = passages["text_en"].to_list(), passages["outlet"].to_list()
    wording = [normalize(text) for text in texts]
    keys = [keyword_key(text, prefix=load_options().align.keyword_prefix) for text in texts]
    n = len(texts)
    pairs = sum(1 for i in range(n) for j in range(i + 1, n) if outlets[i] != outlets[j])
    rng = random.Random(0)
    sample = [(rng.randrange(n), rng.randrange(n)) for _ in range(min(SAMPLE_PAIRS, pairs))]
    started = time.process_time()
    for i, j in sample:
        (fuzz.ratio(wording[i], wording[j]) + fuzz.ratio(keys[i], keys[j])) / 2
    return (time.process_time() - started) * pairs / len(sample)


def print_table(rows: list[dict], n_outlets: int, load_before: tuple[float, ...]) -> None:
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    before = ", ".join(f"{value:.1f}" for value in load_before)
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(f"## Alignment speed ({date.today()}, {os.cpu_count()} cores, {memory:.0f} GiB; load average "
          f"{before} at the start, {load} at the end)\n")
    print(f"One event, {n_outlets} outlets. Wall seconds, CPU seconds (all threads); peak memory of the whole "
          "child process.\n")
    print("| passages | align | claims | align + claims | CPU | target | CPU × previous | pairs kept | claims | "
          "peak memory | pair by pair in Python, CPU (scoring only) | CPU speed-up |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    previous = None
    for row in rows:
        total = row["align"] + row["group"]
        growth = f"{row['cpu'] / previous:.1f}" if previous else "–"
        target = TARGETS.get(row["passages"])
        verdict = f"≤ {target:g}: {'met' if total <= target else 'NOT met'}" if target else "–"
        print(f"| {row['passages']:,} | {row['align']:.2f} | {row['group']:.2f} | {total:.2f} | {row['cpu']:.1f} | "
              f"{verdict} | {growth} | {row['pairs_kept']:,} | {row['claims']:,} | "
              f"{row['peak_mb']:,.0f} MB | {row['pair_by_pair']:.1f} (est.) | "
              f"{row['pair_by_pair'] / row['cpu']:.1f}× |")
        previous = row["cpu"]
    print(f"\nPeak memory target ≤ {MEMORY_TARGET_MB:,} MB: "
          f"{'met' if max(row['peak_mb'] for row in rows) <= MEMORY_TARGET_MB else 'NOT met'}. On an idle machine "
          f"wall time cannot fall below CPU / {os.cpu_count()} cores: "
          + "; ".join(f"{row['passages']:,} passages ≥ {row['cpu'] / (os.cpu_count() or 1):.1f} s" for row in rows)
          + ".")
    first = rows[0]
    print(f"\nThe reference implementation (pair by pair with `TextComparator.score`, every mean recomputed) took "
          f"{first['reference_cpu']:.0f} CPU seconds for {first['passages']:,} passages, "
          f"{first['reference_cpu'] / first['cpu']:.0f}× the fast one.")


if __name__ == "__main__":
    main()
