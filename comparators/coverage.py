"""Stage 7, coverage: for every claim and outlet, is the claim included, partly matched, omitted, or unknown?

"omitted" accuses an outlet of leaving something out, so it needs evidence of absence, not just a failed match:

- unknown: some of the outlet's text could not be translated; it may tell the claim in the part nobody read;
- included: one of the outlet's passages is in the claim;
- partial: the outlet could still tell it. Either one of its passages is in another claim that shares no outlet
  with this one (so the two claims could be one statement split in two) and some pair of passages across the two
  claims has a contrast of at least [align] partial; or the claim may be a piece of a sentence the outlet tells
  whole (claims.piece_of); or one of its passages is much longer than the claim's ([align] contain_length times
  their median) and holds most of the claim's keywords ([align] contain, for claims of at least [align]
  contain_min_keywords keywords): a sentence that tells two statements; or one of its passages is much longer
  than the other outlets' passages of its own claim ([align] merged_length times their median), so it tells
  something besides that claim, and holds a fair share of this claim's keywords ([align] merged_contain);
- omitted: otherwise. Every passage of the outlet then sits in a claim that shares an outlet with this one
  (an outlet tells a statement once) or has too little in common with it.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from .comparator import ContainmentComparator
from .normalize import keywords
from .options import Options

STATUSES = ("included", "partial", "omitted", "unknown")
COVERAGE_SCHEMA = {"claim_id": pl.String, "outlet": pl.String, "status": pl.String, "score": pl.Float64,
                   "evidence": pl.String, "passage_id": pl.String}


def compute_coverage(passages: pl.DataFrame, claims: pl.DataFrame, alignments: pl.DataFrame, *,
                     options: Options) -> pl.DataFrame:
    """One row per claim and outlet (columns of COVERAGE_SCHEMA)."""
    settings = options.align
    outlets = sorted(set(passages["outlet"]))
    fully_translated = set(passages.group_by("outlet").agg(pl.col("text_en").null_count().alias("missing"))
                           .filter(pl.col("missing") == 0)["outlet"])
    members = passages.filter(pl.col("claim_id").is_not_null())
    claim_members: dict[str, list[tuple[str, str, str | None]]] = {}
    for passage, claim, outlet, english in members.select("passage_id", "claim_id", "outlet", "text_en").iter_rows():
        claim_members.setdefault(claim, []).append((passage, outlet, english))
    passage_in = {claim: {outlet: passage for passage, outlet, _ in reversed(rows)}
                  for claim, rows in claim_members.items()}  # an outlet's first passage in the claim
    piece_of = dict(claims.filter(pl.col("piece_of").is_not_null()).select("claim_id", "piece_of").iter_rows())
    long_passages = _passages_by_outlet(passages)
    excess = _excess_length(claim_members)
    included = _included(members, alignments, settings.floor)
    related = _related_claims(members, alignments)
    rows = []
    for claim_id in claims["claim_id"]:
        mine = set(passage_in.get(claim_id, {}))
        partial = _partial_by_linkage(mine, related.get(claim_id, {}), claim_members, settings.partial)
        missing = [outlet for outlet in outlets
                   if outlet not in mine and outlet not in partial and outlet in fully_translated]
        claim_texts = [english for _, _, english in claim_members.get(claim_id, []) if english is not None]
        partial.update(_partial_by_containment(claim_texts, missing, long_passages, excess, options))
        whole = passage_in.get(piece_of.get(claim_id), {})
        partial.update({outlet: (None, "piece", passage) for outlet, passage in whole.items()
                        if outlet not in mine and outlet not in partial})
        for outlet in outlets:
            if outlet in mine:
                rows.append((claim_id, outlet, "included", *included[(claim_id, outlet)]))
            elif outlet not in fully_translated:
                rows.append((claim_id, outlet, "unknown", None, None, None))
            elif outlet in partial:
                rows.append((claim_id, outlet, "partial", *partial[outlet]))
            else:
                rows.append((claim_id, outlet, "omitted", None, None, None))
    return pl.DataFrame(rows, schema=COVERAGE_SCHEMA, orient="row")


def _passages_by_outlet(passages: pl.DataFrame) -> dict[str, list[tuple[str, str]]]:
    """outlet -> its translated (passage_id, text_en)."""
    found: dict[str, list[tuple[str, str]]] = {}
    for passage, outlet, english in passages.select("passage_id", "outlet", "text_en").iter_rows():
        if english is not None:
            found.setdefault(outlet, []).append((passage, english))
    return found


def _included(members: pl.DataFrame, alignments: pl.DataFrame, floor: float
              ) -> dict[tuple[str, str], tuple[float, str, str]]:
    """(claim, outlet) -> (score, evidence, passage) for every passage in a claim. Score: the passage's mean
    contrast with the claim's other translated passages (a missing pair counts as the floor); for a passage
    placed by its anchors, its mean anchor score with them."""
    claim_of = members.select("passage_id", "claim_id")
    pairs = (alignments.select("passage_a", "passage_b", "method", "score", "contrast")
             .join(claim_of.rename({"passage_id": "passage_a", "claim_id": "claim_a"}), on="passage_a")
             .join(claim_of.rename({"passage_id": "passage_b", "claim_id": "claim_b"}), on="passage_b")
             .filter(pl.col("claim_a") == pl.col("claim_b")))
    evidence = pl.when(pl.col("method") == "text").then(pl.col("contrast") - floor).otherwise(pl.col("score"))
    both_ways = pl.concat([
        pairs.select(pl.col("passage_a").alias("passage_id"), evidence.alias("value")),
        pairs.filter(pl.col("method") == "text").select(pl.col("passage_b").alias("passage_id"),
                                                         evidence.alias("value")),
    ])
    sums = dict(both_ways.group_by("passage_id").agg(pl.col("value").sum()).iter_rows())
    translated_size = dict(members.filter(pl.col("text_en").is_not_null()).group_by("claim_id").len().iter_rows())
    found = {}
    for passage, claim, outlet, english in members.select("passage_id", "claim_id", "outlet", "text_en").iter_rows():
        others = translated_size.get(claim, 0) - (english is not None)
        total = sums.get(passage, 0.0)
        if english is None:
            found[(claim, outlet)] = (round(total / others, 4) if others else None, "anchors", passage)
        elif (claim, outlet) not in found:  # an outlet that split the sentence: its first passage stands for it
            found[(claim, outlet)] = (round(floor + total / others, 4) if others else None, "text", passage)
    return found


def _related_claims(members: pl.DataFrame, alignments: pl.DataFrame) -> dict[str, dict[str, float]]:
    """claim -> {other claim: the highest contrast of a pair of their passages}, for claims with such a pair."""
    claim_of = members.filter(pl.col("text_en").is_not_null()).select("passage_id", "claim_id")
    pairs = (alignments.filter(pl.col("method") == "text").select("passage_a", "passage_b", "contrast")
             .join(claim_of.rename({"passage_id": "passage_a", "claim_id": "claim_a"}), on="passage_a")
             .join(claim_of.rename({"passage_id": "passage_b", "claim_id": "claim_b"}), on="passage_b")
             .filter(pl.col("claim_a") != pl.col("claim_b")))
    strongest = pairs.group_by("claim_a", "claim_b").agg(pl.col("contrast").max())
    related: dict[str, dict[str, float]] = {}
    for a, b, contrast in strongest.iter_rows():
        for one, other in ((a, b), (b, a)):
            links = related.setdefault(one, {})
            links[other] = max(links.get(other, contrast), contrast)
    return related


def _partial_by_linkage(mine: set[str], related: dict[str, float],
                        claim_members: dict[str, list[tuple[str, str, str | None]]], threshold: float
                        ) -> dict[str, tuple[float, str, str]]:
    """outlet -> (contrast, "text", its passage) for outlets whose passage is in a claim that shares no outlet with
    this one and has a pair of passages with it of at least `threshold` contrast."""
    found: dict[str, tuple[float, str, str]] = {}
    for other, link in related.items():
        theirs = claim_members[other]
        if link < threshold or any(outlet in mine for _, outlet, _ in theirs):
            continue
        for passage, outlet, _ in theirs:
            if outlet not in found or link > found[outlet][0]:
                found[outlet] = (round(link, 4), "text", passage)
    return found


def _excess_length(claim_members: dict[str, list[tuple[str, str, str | None]]]) -> dict[str, float]:
    """passage -> its length over the median length of the other outlets' translated passages in its claim, for
    passages in a claim with such passages: above 1, the passage tells more than its claim."""
    found = {}
    for rows in claim_members.values():
        for passage, outlet, english in rows:
            others = [len(text) for _, other, text in rows if other != outlet and text is not None]
            # An engine can give nothing back for a passage of signs ("¡" alone): such passages measure nothing.
            if english is not None and others and np.median(others) > 0:
                found[passage] = len(english) / float(np.median(others))
    return found


def _partial_by_containment(claim_texts: list[str], missing: list[str],
                            passages_by_outlet: dict[str, list[tuple[str, str]]], excess: dict[str, float],
                            options: Options) -> dict[str, tuple[float, str, str]]:
    """outlet -> (containment, "containment", passage) for outlets with a passage that holds the claim: one much
    longer than the claim's passages that holds most of it, or one that tells more than its own claim (`excess`)
    and holds a fair share of it."""
    settings = options.align
    if not missing or not claim_texts:
        return {}
    words = np.median([len(set(keywords(text, prefix=settings.keyword_prefix))) for text in claim_texts])
    if words < settings.contain_min_keywords:
        return {}  # a claim of a word or two is found inside many long passages by chance
    long_enough = settings.contain_length * float(np.median([len(text) for text in claim_texts]))
    candidates = [(passage, outlet, english) for outlet in missing
                  for passage, english in passages_by_outlet.get(outlet, [])
                  if len(english) >= long_enough or excess.get(passage, 0.0) >= settings.merged_length]
    if not candidates:
        return {}
    comparator = ContainmentComparator(prefix=settings.keyword_prefix)
    held = comparator.cdist(claim_texts, [english for _, _, english in candidates]).mean(axis=0)
    found: dict[str, tuple[float, str, str]] = {}
    for value, (passage, outlet, english) in zip(held, candidates):
        enough = ((len(english) >= long_enough and value >= settings.contain)
                  or (excess.get(passage, 0.0) >= settings.merged_length and value >= settings.merged_contain))
        if enough and (outlet not in found or value > found[outlet][0]):
            found[outlet] = (round(float(value), 4), "containment", passage)
    return found
