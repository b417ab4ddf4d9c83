"""Stage 5, align: score translated passages of different outlets against each other with rapidfuzz.

Returns the passage pairs worth keeping: mutual best matches per pair of outlets, as "match" or "partial".
"""

from __future__ import annotations

import re
import unicodedata
from itertools import combinations

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process

from .options import Options

ALIGNMENT_SCHEMA = {"passage_a": pl.String, "passage_b": pl.String, "outlet_a": pl.String, "outlet_b": pl.String,
                    "score": pl.Float64, "verdict": pl.String}


def normalize(text: str) -> str:
    """Lower case, no diacritics, punctuation as spaces: what the scorers compare."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^\w]+", " ", stripped).split())


def align_passages(passages: pl.DataFrame, *, options: Options) -> pl.DataFrame:
    """Aligned passage pairs across outlets (columns of ALIGNMENT_SCHEMA)."""
    scorer = getattr(fuzz, options.align.scorer)
    translated = passages.filter(pl.col("text_en").is_not_null())
    by_outlet = {outlet[0]: group for outlet, group in translated.group_by("outlet", maintain_order=True)}
    rows = []
    for outlet_a, outlet_b in combinations(sorted(by_outlet), 2):
        a, b = by_outlet[outlet_a], by_outlet[outlet_b]
        scores = process.cdist([normalize(t) for t in a["text_en"]], [normalize(t) for t in b["text_en"]],
                               scorer=scorer, dtype=np.float32, workers=-1)
        best_b, best_a = scores.argmax(axis=1), scores.argmax(axis=0)
        for i, j in enumerate(best_b):
            score = float(scores[i, j])
            if best_a[j] == i and score >= options.align.partial:
                verdict = "match" if score >= options.align.match else "partial"
                rows.append((a["passage_id"][i], b["passage_id"][int(j)], outlet_a, outlet_b, round(score, 2), verdict))
    return pl.DataFrame(rows, schema=ALIGNMENT_SCHEMA, orient="row")


def signature(options: Options) -> str:
    return f"{options.align.scorer}+match={options.align.match:g}+partial={options.align.partial:g}"
