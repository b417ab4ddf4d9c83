"""Stage 6, claims: group aligned passages into claims, one claim per statement told by one or more outlets."""

from __future__ import annotations

import hashlib

import polars as pl

from .options import Options

CLAIM_SCHEMA = {"claim_id": pl.String, "text_en": pl.String, "n_outlets": pl.Int64, "outlets": pl.List(pl.String)}


def group_claims(passages: pl.DataFrame, alignments: pl.DataFrame, *, options: Options
                 ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(passages with claim_id, claims). Every translated passage belongs to a claim, alone if nothing matched;
    untranslated passages join none (claim_id null)."""
    parent: dict[str, str] = {pid: pid for pid in passages.filter(pl.col("text_en").is_not_null())["passage_id"]}

    def root(pid: str) -> str:
        while parent[pid] != pid:
            parent[pid] = parent[parent[pid]]
            pid = parent[pid]
        return pid

    for a, b in alignments.filter(pl.col("verdict") == "match").select("passage_a", "passage_b").iter_rows():
        parent[root(a)] = root(b)

    members: dict[str, list[dict]] = {}
    for row in passages.iter_rows(named=True):
        if row["passage_id"] in parent:
            members.setdefault(root(row["passage_id"]), []).append(row)
    claim_of, claims = {}, []
    for group in members.values():
        representative = min(group, key=lambda row: (row["language"] != "en", row["article_id"], row["start"]))
        claim_id = "c" + hashlib.blake2b(representative["passage_id"].encode(), digest_size=5).hexdigest()
        outlets = sorted({row["outlet"] for row in group})
        claims.append((claim_id, representative["text_en"], len(outlets), outlets))
        claim_of.update({row["passage_id"]: claim_id for row in group})
    claims_frame = pl.DataFrame(claims, schema=CLAIM_SCHEMA, orient="row").sort(
        ["n_outlets", "claim_id"], descending=[True, False])
    with_claims = passages.with_columns(
        pl.col("passage_id").replace_strict(claim_of, default=None, return_dtype=pl.String).alias("claim_id"))
    return with_claims, claims_frame
