"""Stage 5, align: score every passage against every passage of the other outlets, and keep the pairs that
could tell the same statement.

Translated passages are compared in English by the text comparator, all pairs at once (RapidFuzz `cdist`). A raw
similarity says little on its own: two unrelated English sentences of similar length already score about 40,
and long or formulaic passages score higher against everything. So each pair is judged by its contrast: its
similarity minus the mean of the two passages' baselines, a baseline being the median similarity of a passage
to the passages of the other outlets (almost all of which tell something else, since an outlet tells a
statement once). In a small event a passage has few others to learn its baseline from, so [align]
baseline_prior_weight typical values ([align] baseline_prior) join its sample. Pairs whose contrast reaches
[align] floor are kept; from [align] match on they are a "match".

Passages that could not be translated are compared with the translated ones by their language-free anchors
(numbers, Latin-script names) and kept from [align] anchor_floor on, with method "anchors".
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import polars as pl

from .comparator import AnchorComparator, TextComparator
from .options import Options
from .schema import frame


def align_passages(passages: pl.DataFrame, *, options: Options) -> pl.DataFrame:
    """Scored pairs of passages from different outlets (the `alignments` table)."""
    settings = options.align
    translated = passages.filter(pl.col("text_en").is_not_null())
    pairs = [_text_pairs(translated, options)]
    untranslated = passages.filter(pl.col("text_en").is_null())
    if untranslated.height and translated.height:
        pairs.append(_anchor_pairs(untranslated, translated, options))
    alignments = pl.concat(pairs)
    strong = pl.when(pl.col("method") == "anchors").then(pl.col("score") >= settings.anchor_match).otherwise(
        pl.col("contrast") >= settings.match)
    verdict = pl.when(strong).then(pl.lit("match")).otherwise(pl.lit("partial"))
    return alignments.with_columns(verdict.alias("verdict")).select(frame("alignments", []).columns)


def _text_contrast(texts: list[str], outlets: list[str], *, options: Options) -> tuple[np.ndarray, np.ndarray]:
    """(similarity matrix, baselines) of `texts`, grouped by outlet (equal outlets next to each other). Pairs
    within one outlet are set to NaN; the contrast of (i, j) is similarity[i, j] - (baseline[i] + baseline[j]) / 2."""
    settings = options.align
    comparator = TextComparator(prefix=settings.keyword_prefix)
    similarity = comparator.cdist(texts, texts, workers=settings.workers)
    blocks = _outlet_blocks(outlets)
    for start, end in blocks:
        similarity[start:end, start:end] = np.nan
    prior = np.full((1, settings.baseline_prior_weight), settings.baseline_prior, dtype=np.float32)

    def outlet_baselines(block: tuple[int, int]) -> np.ndarray:
        start, end = block
        return _median_of_rows(np.concatenate([similarity[start:end, :start], similarity[start:end, end:],
                                               np.repeat(prior, end - start, axis=0)], axis=1))

    baselines = np.zeros(len(texts), dtype=np.float32)
    for (start, end), values in zip(blocks, _map_blocks(outlet_baselines, blocks, settings.workers)):
        baselines[start:end] = values
    return similarity, baselines


def _median_of_rows(values: np.ndarray) -> np.ndarray:
    """np.median(values, axis=1), partitioning `values` in place instead of a copy of it."""
    middle = values.shape[1] // 2
    if values.shape[1] % 2:
        values.partition(middle, axis=1)
        return values[:, middle]
    values.partition([middle - 1, middle], axis=1)
    return np.mean(values[:, [middle - 1, middle]], axis=1)


def _map_blocks(function, blocks: list[tuple[int, int]], workers: int) -> list:
    """`function` over the outlet blocks, on `workers` threads (-1: every core): NumPy lets go of the GIL while it
    partitions and compares, so the blocks run side by side."""
    threads = (os.cpu_count() or 1) if workers == -1 else max(1, workers)
    if threads == 1 or len(blocks) < 2:
        return [function(block) for block in blocks]
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(function, blocks))


def _text_pairs(translated: pl.DataFrame, options: Options) -> pl.DataFrame:
    ordered = translated.sort("outlet", maintain_order=True)
    outlets = ordered["outlet"].to_list()
    similarity, baselines = _text_contrast(ordered["text_en"].to_list(), outlets, options=options)
    half = baselines / 2

    def kept_pairs(block: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
        start, end = block
        rows, columns = np.nonzero(similarity[start:end, end:] - half[start:end, None] - half[None, end:]
                                   >= options.align.floor)
        return rows + start, columns + end

    found = _map_blocks(kept_pairs, _outlet_blocks(outlets), options.align.workers)
    a = np.concatenate([rows for rows, _ in found] or [np.array([], int)])
    b = np.concatenate([columns for _, columns in found] or [np.array([], int)])
    score = similarity[a, b]
    contrast = score - (baselines[a] + baselines[b]) / 2
    ids, outlet_series = ordered["passage_id"], ordered["outlet"]
    return pl.DataFrame({
        "passage_a": ids.gather(a), "passage_b": ids.gather(b),
        "outlet_a": outlet_series.gather(a), "outlet_b": outlet_series.gather(b),
        "score": np.round(score.astype(np.float64), 4), "contrast": np.round(contrast.astype(np.float64), 4),
        "method": ["text"] * len(a),
    }, schema_overrides={"method": pl.String})


def _anchor_pairs(untranslated: pl.DataFrame, translated: pl.DataFrame, options: Options) -> pl.DataFrame:
    """Untranslated passages against translated ones of other outlets, by shared anchors."""
    comparator = AnchorComparator()
    # A translated passage's anchors come from both its wordings: names keep their spelling in either.
    choices = [f"{text}\n{english}" for text, english in translated.select("text", "text_en").iter_rows()]
    scores = comparator.cdist(untranslated["text"].to_list(), choices, workers=options.align.workers)
    same_outlet = untranslated["outlet"].to_numpy()[:, None] == translated["outlet"].to_numpy()[None, :]
    a, b = np.nonzero((scores >= options.align.anchor_floor) & ~same_outlet)
    return pl.DataFrame({
        "passage_a": untranslated["passage_id"].gather(a), "passage_b": translated["passage_id"].gather(b),
        "outlet_a": untranslated["outlet"].gather(a), "outlet_b": translated["outlet"].gather(b),
        "score": np.round(scores[a, b].astype(np.float64), 4), "contrast": pl.Series([None] * len(a), dtype=pl.Float64),
        "method": ["anchors"] * len(a),
    }, schema_overrides={"method": pl.String})


def _outlet_blocks(outlets: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each run of one outlet in `outlets`."""
    blocks, start = [], 0
    for index in range(1, len(outlets) + 1):
        if index == len(outlets) or outlets[index] != outlets[start]:
            blocks.append((start, index))
            start = index
    return blocks


def signature(options: Options) -> str:
    settings = options.align
    return (f"text{settings.keyword_prefix}+floor={settings.floor:g}+match={settings.match:g}"
            f"+join={settings.join:g}+partial={settings.partial:g}+anchors={settings.anchor_join:g}")
