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
    baselines = np.zeros(len(texts), dtype=np.float32)
    prior = np.full((1, settings.baseline_prior_weight), settings.baseline_prior, dtype=np.float32)
    for start, end in _outlet_blocks(outlets):
        similarity[start:end, start:end] = np.nan
        others = np.concatenate([similarity[start:end, :start], similarity[start:end, end:],
                                 np.repeat(prior, end - start, axis=0)], axis=1)
        baselines[start:end] = np.median(others, axis=1)
    return similarity, baselines


def _text_pairs(translated: pl.DataFrame, options: Options) -> pl.DataFrame:
    ordered = translated.sort("outlet", maintain_order=True)
    outlets = ordered["outlet"].to_list()
    similarity, baselines = _text_contrast(ordered["text_en"].to_list(), outlets, options=options)
    rows_a, rows_b = [], []
    for start, end in _outlet_blocks(outlets):
        block = similarity[start:end, end:] - baselines[start:end, None] / 2 - baselines[None, end:] / 2
        rows, columns = np.nonzero(block >= options.align.floor)
        rows_a.append(rows + start)
        rows_b.append(columns + end)
    a, b = np.concatenate(rows_a or [np.array([], int)]), np.concatenate(rows_b or [np.array([], int)])
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
