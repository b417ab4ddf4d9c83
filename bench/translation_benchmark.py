"""Translation speed, side by side in one run, each case in a fresh process (peak memory = its VmHWM):

  argos one by one   argostranslate.translate.translate(), passage after passage (its sentence splitter included)
  argos batched      comparators.translate.translate_passages with the ArgosEngine and the shipped [translate]
      settings: 64 passages a call, decoded 16 at a time by one single-threaded CTranslate2 worker per core
      on 1,000 German NTREX sentences and a random-weight model with the shape of a published Argos model
      (Transformer base: 6+6 layers, d_model 512, 8 heads, ffn 2048, int8, 32,000-token vocabulary), built
      offline by tests/_argos_helpers.py; both paths decode with the same limits (beam 4, 256 tokens). The
      outputs of the two paths are compared token for token; they are gibberish and never read as translations.
      The passages go in 4 chunks, the two paths taking turns (batched first, then one by one first, ...), so
      that a change in the machine's speed during the run touches both alike; the chunks' times are summed.
  apertium per passage   one `apertium` process per passage (ApertiumEngine called with one text at a time)
  apertium batched       one process per batch of 64 (the stage)
      on 1,000 Spanish NTREX sentences.
  first run / rerun  translate_passages on an event of 1,000 Spanish + 1,000 French passages (Apertium) with the
      translation cache: empty, then again with the cache the first run filled.

Peak memory is the Python process's own (VmHWM); Apertium's pipeline processes are not counted.

Usage: .venv/bin/python bench/translation_benchmark.py [--passages 1000] [--only argos,apertium,cache]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


ARGOS_CHUNKS = 4


def passages(language: str, count: int, first: int = 0) -> list[str]:
    from tests._argos_helpers import ntrex_sentences

    sentences = ntrex_sentences(language)
    return [sentences[number % len(sentences)] for number in range(first, first + count)]


def frame(texts: list[str], language: str, first: int = 0):
    import polars as pl

    return pl.DataFrame({"passage_id": [str(first + n) for n in range(len(texts))],
                         "language": [language] * len(texts), "text": texts})


# Each case runs in its own process and returns (seconds, details).

def case_argos_one_by_one(count: int, out: Path, first: int):
    from comparators.argos_models import configure_argostranslate

    configure_argostranslate()
    from argostranslate import translate

    texts = passages("deu", count, first)
    translate.translate(texts[0], "de", "en")  # load the model, as the batched path's first batch does
    start = time.perf_counter()
    english = [translate.translate(text, "de", "en") for text in texts]
    seconds = time.perf_counter() - start
    out.write_text(json.dumps(english))
    return seconds, {}


def case_argos_batched(count: int, out: Path, first: int):
    from comparators.options import load_options
    from comparators.translate import available_engines, translate_passages

    options = load_options(None).with_overrides({"translate": {"cache": False}})
    texts = passages("deu", count, first)
    engines = available_engines(options)
    next(engine for engine in engines if engine.name == "argos").translate(texts[:1], source="de")  # load the model
    start = time.perf_counter()
    translated, _ = translate_passages(frame(texts, "de"), options=options, engines=engines)
    seconds = time.perf_counter() - start
    out.write_text(json.dumps(translated["text_en"].to_list()))
    return seconds, {}


def case_apertium_per_passage(count: int, out: Path, first: int):
    from comparators.apertium import ApertiumEngine

    engine, texts = ApertiumEngine(), passages("spa", count, first)
    start = time.perf_counter()
    english = [engine.translate([text], source="es")[0] for text in texts]
    seconds = time.perf_counter() - start
    out.write_text(json.dumps(english))
    return seconds, {}


def case_apertium_batched(count: int, out: Path, first: int):
    from comparators.apertium import ApertiumEngine
    from comparators.options import load_options
    from comparators.translate import IdentityEngine, translate_passages

    options = load_options(None).with_overrides({"translate": {"cache": False}})
    start = time.perf_counter()
    translated, _ = translate_passages(frame(passages("spa", count, first), "es"), options=options,
                                       engines=[IdentityEngine(), ApertiumEngine()])
    seconds = time.perf_counter() - start
    out.write_text(json.dumps(translated["text_en"].to_list()))
    return seconds, {}


def case_event_run(count: int, out: Path, first: int):
    import polars as pl

    from comparators.apertium import ApertiumEngine
    from comparators.options import load_options
    from comparators.translate import IdentityEngine, translate_passages

    event = pl.concat([frame(passages("spa", count, first), "es"),
                       frame(passages("fra", count, first), "fr", first=count)])
    start = time.perf_counter()
    translated, summary = translate_passages(event, options=load_options(None),
                                             engines=[IdentityEngine(), ApertiumEngine()])
    seconds = time.perf_counter() - start
    out.write_text(json.dumps(translated["text_en"].to_list()))
    return seconds, {"cache_hits": summary.cache_hits, "translated": summary.translated}


def _identical(first: Path, second: Path) -> int:
    """How many outputs two cases share, position by position."""
    return sum(a == b for a, b in zip(json.loads(first.read_text()), json.loads(second.read_text())))


CASES = {name[len("case_"):]: function for name, function in globals().items() if name.startswith("case_")}


def run_case(name: str, count: int, out: Path, home: Path, first: int = 0) -> dict:
    """Run one case in a fresh process and return its figures."""
    environment = {**os.environ, "PARALLAX_HOME": str(home), "HOME": str(home)}
    done = subprocess.run([sys.executable, __file__, "--case", name, "--passages", str(count), "--first", str(first),
                           "--out", str(out)], env=environment, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child(name: str, count: int, out: Path, first: int) -> None:
    seconds, details = CASES[name](count, out, first)
    peak_kib = next(int(line.split()[1]) for line in Path("/proc/self/status").read_text().splitlines()
                    if line.startswith("VmHWM:"))
    print(json.dumps({"seconds": seconds, "peak_mib": peak_kib / 1024, **details}))


def _argos_in_turns(count: int, scratch: Path, home: Path) -> tuple[dict, dict]:
    """Both Argos paths over the same passages, chunk by chunk, taking turns; times summed, peaks the highest."""
    totals = {name: {"seconds": 0.0, "peak_mib": 0.0} for name in ("argos_one_by_one", "argos_batched")}
    ratios, identical = [], 0
    bounds = [count * chunk // ARGOS_CHUNKS for chunk in range(ARGOS_CHUNKS + 1)]
    for chunk, (first, last) in enumerate(zip(bounds, bounds[1:])):
        order = ["argos_batched", "argos_one_by_one"][::1 if chunk % 2 == 0 else -1]
        figures = {name: run_case(name, last - first, scratch / f"{name}.json", home, first) for name in order}
        for name, result in figures.items():
            totals[name]["seconds"] += result["seconds"]
            totals[name]["peak_mib"] = max(totals[name]["peak_mib"], result["peak_mib"])
        ratios.append(figures["argos_one_by_one"]["seconds"] / figures["argos_batched"]["seconds"])
        identical += _identical(scratch / "argos_batched.json", scratch / "argos_one_by_one.json")
    return totals["argos_one_by_one"], {**totals["argos_batched"], "ratios": ratios, "identical": identical}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=1000, help="passages per case (per language for the event)")
    parser.add_argument("--only", default="argos,apertium,cache",
                        help="comma-separated groups to run: argos (takes longest), apertium, cache")
    parser.add_argument("--case", choices=sorted(CASES), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--first", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        return child(args.case, args.passages, args.out, args.first)

    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        load = os.getloadavg()[0]
        groups = set(args.only.split(","))
        if "argos" in groups:
            from tests._argos_helpers import BASE, build_argosmodel

            home = scratch / "argos-home"
            environment = {**os.environ, "PARALLAX_HOME": str(home), "HOME": str(home)}
            package = build_argosmodel(scratch, from_code="de", to_code="en", shape=BASE)
            subprocess.run([sys.executable, "-m", "flows.cli", "models", "install", str(package)], cwd=REPO,
                           env=environment, check=True, capture_output=True)
            one_by_one, batched = _argos_in_turns(args.passages, scratch, home)
            rows += [("argos: argostranslate.translate one by one", one_by_one, ""),
                     ("argos: batched", batched,
                      f"{one_by_one['seconds'] / batched['seconds']:.2f}× faster (chunks: "
                      f"{', '.join(f'{ratio:.2f}×' for ratio in batched['ratios'])}); "
                      f"{batched['identical']}/{args.passages} outputs identical to one by one")]
        if "apertium" in groups:
            home = scratch / "apertium-home"
            per_passage = run_case("apertium_per_passage", args.passages, scratch / "ap1.json", home)
            batch = run_case("apertium_batched", args.passages, scratch / "apb.json", home)
            same = _identical(scratch / "ap1.json", scratch / "apb.json")
            rows += [("apertium: one process per passage", per_passage, ""),
                     ("apertium: one process per batch of 64", batch,
                      f"{per_passage['seconds'] / batch['seconds']:.1f}× faster; {same}/{args.passages} outputs "
                      f"identical")]
        if "cache" in groups:
            home = scratch / "event-home"
            first = run_case("event_run", args.passages, scratch / "first.json", home)
            rerun = run_case("event_run", args.passages, scratch / "rerun.json", home)
            same = _identical(scratch / "first.json", scratch / "rerun.json")
            rows += [(f"event of {2 * args.passages} es+fr passages: first run", first,
                      f"{first['translated']} translated, {first['cache_hits']} cache hits"),
                     ("same event: rerun", rerun,
                      f"{rerun['translated']} translated, {rerun['cache_hits']} cache hits; "
                      f"{first['seconds'] / rerun['seconds']:.0f}× faster; {same}/{2 * args.passages} identical")]

    print(f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, load average {load:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end; {args.passages} passages a case\n")
    print("| case | seconds | passages/s | peak MiB | notes |")
    print("|---|---:|---:|---:|---|")
    for name, figures, note in rows:
        count = 2 * args.passages if name.startswith(("event", "same event")) else args.passages
        seconds = f"{figures['seconds']:.1f}" if figures["seconds"] >= 1 else f"{figures['seconds']:.3f}"
        print(f"| {name} | {seconds} | {count / figures['seconds']:,.1f} | {figures['peak_mib']:.0f} "
              f"| {note} |")


if __name__ == "__main__":
    main()
