"""How the batched Argos path should use the cores: the CTranslate2 set-ups side by side, on the same model.

    .venv/bin/python bench/argos_settings.py [--passages 256] [--rounds 2]

The model of bench/translation_benchmark.py (random weights, the shape of a published Argos model, int8), built
offline; German NTREX sentences sorted by length, as the translate stage sends them, 64 to a `translate_batch`
call, decoded with argostranslate's settings (beam 4, length penalty 0.2, 256-token limit, unknown-token
replacement). A call is either waited for before the next is made, or queued while the one before it still runs
(asynchronous `translate_batch`, as comparators.argos does with BATCHES_AHEAD = 1). Each set-up is timed `--rounds` times, the rounds interleaved so that a change in the machine's
load touches every set-up alike, and its fastest round is kept. The shipped one ([translate] argos_workers = 0,
one per core; argos_batch_size = 16; one call queued ahead) is marked. Then, on the shipped set-up, a language of
20 passages (one call): cut into sub-batches of 16 in order (16 + 4) against cut evenly (10 + 10), as
comparators.argos.even_sub_batch does.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import zipfile
from collections import deque
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CALL_SIZE = 64  # the shipped [translate] batch_size: passages per engine call
# (label, workers (inter_threads), threads per worker (intra_threads), passages a worker decodes at once,
#  calls queued beyond the one being waited for)
SETUPS = [
    ("one batch over all cores, each call waited for (the first set-up)", 1, 0, 64, 0),
    ("one worker per core, 16 a sub-batch, each call waited for", 0, 1, 16, 0),
    ("one worker per core, 8 a sub-batch, next call queued", 0, 1, 8, 1),
    ("one worker per core, 16 a sub-batch, next call queued (shipped)", 0, 1, 16, 1),
    ("one worker per core, 32 a sub-batch, next call queued", 0, 1, 32, 1),
    ("one worker per core, 16 a sub-batch, two calls queued", 0, 1, 16, 2),
]
SHIPPED = 3
# A language with few passages: its one call cut 16 + 4 leaves a worker idle; cut evenly, 10 + 10.
SMALL_LANGUAGE = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=256, help="sentences translated by each set-up")
    parser.add_argument("--rounds", type=int, default=2, help="rounds per set-up; the fastest is kept")
    args = parser.parse_args()

    import ctranslate2
    import sentencepiece

    from comparators.argos import even_sub_batch
    from tests._argos_helpers import BASE, build_argosmodel, ntrex_sentences

    cores = len(os.sched_getaffinity(0))
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as scratch:
        package = build_argosmodel(Path(scratch), from_code="de", to_code="en", shape=BASE)
        zipfile.ZipFile(package).extractall(scratch)
        root = Path(scratch) / package.stem
        tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(root / "sentencepiece.model"))
        sentences = sorted(ntrex_sentences("deu")[:args.passages], key=len)
        tokens = [tokenizer.encode(sentence, out_type=str) for sentence in sentences]
        translators = [ctranslate2.Translator(str(root / "model"), device="cpu", compute_type="auto",
                                              inter_threads=workers or cores, intra_threads=threads)
                       for _, workers, threads, _, _ in SETUPS]
        small_cuts = {"16 + 4 (in order)": 16,
                      "10 + 10 (even)": even_sub_batch(SMALL_LANGUAGE, most=16, workers=cores)}
        best: dict[int | str, tuple[float, float]] = {}
        for _ in range(args.rounds):
            runs = [(index, translator, sub_batch, ahead, tokens)
                    for index, (translator, (_, _, _, sub_batch, ahead)) in enumerate(zip(translators, SETUPS))]
            runs += [(cut, translators[SHIPPED], sub_batch, 0, tokens[:SMALL_LANGUAGE])
                     for cut, sub_batch in small_cuts.items()]
            for key, translator, sub_batch, ahead, passages in runs:
                translator.translate_batch(tokens[:2], beam_size=4)  # warm up
                wall, cpu = _timed(translator, passages, sub_batch, ahead)
                if key not in best or wall < best[key][0]:
                    best[key] = (wall, cpu)

    print(f"{time.strftime('%Y-%m-%d')}, {cores} cores, load average {load_before:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end; {args.passages} passages, {CALL_SIZE} a call, "
          f"fastest of {args.rounds} rounds\n")
    print("| set-up | seconds | passages/s | CPU seconds | against the first set-up |")
    print("|---|---:|---:|---:|---:|")
    for index, (label, *_rest) in enumerate(SETUPS):
        wall, cpu = best[index]
        print(f"| {label} | {wall:.1f} | {args.passages / wall:.1f} | {cpu:.1f} | {best[0][0] / wall:.2f}× |")
    print(f"\n| a language of {SMALL_LANGUAGE} passages, sub-batches | seconds | CPU seconds | against in order |")
    print("|---|---:|---:|---:|")
    in_order = best[next(iter(small_cuts))][0]
    for cut in small_cuts:
        wall, cpu = best[cut]
        print(f"| {cut} | {wall:.2f} | {cpu:.2f} | {in_order / wall:.2f}× |")


def _timed(translator, tokens: list[list[str]], sub_batch: int, ahead: int) -> tuple[float, float]:
    from comparators.argos import LENGTH_PENALTY
    from comparators.options import load_options

    settings = load_options(None).translate  # the shipped decoding settings, as the batched path uses them
    started, cpu_started = time.perf_counter(), time.process_time()
    pending: deque[list] = deque()
    for start in range(0, len(tokens), CALL_SIZE):
        pending.append(translator.translate_batch(
            tokens[start:start + CALL_SIZE], max_batch_size=sub_batch, beam_size=settings.beam_size,
            num_hypotheses=1, length_penalty=LENGTH_PENALTY, max_decoding_length=settings.max_decoding_length,
            replace_unknowns=True, asynchronous=True))
        if len(pending) > ahead:
            [result.result() for result in pending.popleft()]
    while pending:
        [result.result() for result in pending.popleft()]
    return time.perf_counter() - started, time.process_time() - cpu_started


if __name__ == "__main__":
    main()
