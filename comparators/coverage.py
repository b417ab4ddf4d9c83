"""Stage 7, coverage: for every claim and outlet, is the claim included, partly matched, omitted, or unknown?

"omitted" accuses an outlet of leaving something out, so it is only said of outlets whose whole text was
translated; otherwise the verdict is "unknown".
"""

from __future__ import annotations

import polars as pl

from .options import Options

STATUSES = ("included", "partial", "omitted", "unknown")
COVERAGE_SCHEMA = {"claim_id": pl.String, "outlet": pl.String, "status": pl.String, "score": pl.Float64,
                   "passage_id": pl.String}


def compute_coverage(passages: pl.DataFrame, claims: pl.DataFrame, alignments: pl.DataFrame, *,
                     options: Options) -> pl.DataFrame:
    """One row per claim and outlet (columns of COVERAGE_SCHEMA)."""
    outlets = sorted(set(passages["outlet"]))
    fully_translated = {
        outlet for outlet, group in passages.group_by("outlet") for outlet in outlet
        if group["text_en"].null_count() == 0
    }
    claim_of = dict(passages.select("passage_id", "claim_id").iter_rows())
    outlet_of = dict(passages.select("passage_id", "outlet").iter_rows())
    best: dict[tuple[str, str], tuple[float, str, str]] = {}  # (claim, outlet) -> (score, verdict, passage)
    for a, b, score, verdict in alignments.select("passage_a", "passage_b", "score", "verdict").iter_rows():
        for mine, other in ((a, b), (b, a)):
            key = (claim_of.get(other), outlet_of[mine])
            if key[0] is None or claim_of.get(mine) not in (None, key[0]) and verdict == "partial":
                continue
            if key not in best or score > best[key][0]:
                best[key] = (score, verdict, mine)
    included = {(row[1], row[2]): row[0] for row in
                passages.filter(pl.col("claim_id").is_not_null()).select("passage_id", "claim_id", "outlet").iter_rows()}
    rows = []
    for claim_id in claims["claim_id"]:
        for outlet in outlets:
            score, verdict, passage = best.get((claim_id, outlet), (None, None, None))
            if (claim_id, outlet) in included:
                rows.append((claim_id, outlet, "included", score, included[(claim_id, outlet)]))
            elif verdict == "partial":
                rows.append((claim_id, outlet, "partial", score, passage))
            elif outlet in fully_translated:
                rows.append((claim_id, outlet, "omitted", None, None))
            else:
                rows.append((claim_id, outlet, "unknown", None, None))
    return pl.DataFrame(rows, schema=COVERAGE_SCHEMA, orient="row")
