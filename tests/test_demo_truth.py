"""The demo corpus against its truth (corpora/beijing-parade-2025/truth.json), through the real pipeline with
real Apertium: every fact is one claim across outlets, numbers that differ stay in that claim (the report shows
them as discrepancies), and "omitted" is said only of outlets that truly leave the fact out."""

from __future__ import annotations

import json

import polars as pl
import pytest

from comparators.align import align_passages
from comparators.apertium import ApertiumEngine
from comparators.claims import group_claims
from comparators.corpus import load_event
from comparators.coverage import compute_coverage
from comparators.datapackage import corpus_license
from comparators.options import load_options
from comparators.prepare import prepare_articles
from comparators.translate import IdentityEngine, translate_passages
from tests.conftest import DEMO

pytestmark = pytest.mark.slow
UNTRANSLATED = "Rheinische Abendpost"  # German: no engine here


@pytest.fixture(scope="module")
def demo():
    options = load_options(None).with_overrides({"translate": {"cache": False}})
    event = load_event(DEMO, options=options)
    articles, raw = prepare_articles(event, options=options)
    passages, _ = translate_passages(raw, options=options, engines=[IdentityEngine(), ApertiumEngine()])
    alignments = align_passages(passages, options=options)
    with_claims, claims = group_claims(passages, alignments, options=options)
    coverage = compute_coverage(with_claims, claims, alignments, options=options)
    truth = json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))
    texts = dict(articles.select("article_id", "text").iter_rows())
    claim_of = {}  # (fact, outlet) -> claims of the passages that hold the outlet's sentence
    for outlet, told in truth["outlets"].items():
        text = texts[told["article_id"]]
        for fact, sentence in told["facts"].items():
            start = text.index(sentence)
            holding = with_claims.filter((pl.col("article_id") == told["article_id"])
                                         & (pl.col("start") < start + len(sentence)) & (pl.col("end") > start))
            claim_of[fact, outlet] = set(holding["claim_id"])
    return truth, claim_of, coverage


def fact_claim(claim_of: dict, fact: str) -> str:
    claims = {claim for (told, outlet), found in claim_of.items() if told == fact and outlet != UNTRANSLATED
              for claim in found}
    assert len(claims) == 1, f"{fact} is told in {len(claims)} claims: {claims}"
    return claims.pop()


def test_each_fact_is_one_claim_across_the_translated_outlets(demo):
    truth, claim_of, _ = demo
    claims = [fact_claim(claim_of, fact) for fact in truth["facts"]]
    assert None not in claims and len(set(claims)) == len(truth["facts"]), "different facts, different claims"


def test_differing_numbers_stay_in_one_claim(demo):
    truth, claim_of, _ = demo
    assert {item["fact"] for item in truth["discrepancies"]} >= {"F06", "F12"}
    for item in truth["discrepancies"]:
        claim = fact_claim(claim_of, item["fact"])
        for outlet in item["values"]:
            if outlet != UNTRANSLATED:
                assert claim_of[item["fact"], outlet] == {claim}, (item["fact"], outlet)


def test_untranslated_passages_join_only_the_claim_of_their_own_fact(demo):
    truth, claim_of, coverage = demo
    joined = {fact: found for (fact, outlet), found in claim_of.items() if outlet == UNTRANSLATED and found != {None}}
    assert joined, "anchors place some German passages"
    for fact, found in joined.items():
        assert found == {fact_claim(claim_of, fact)}, fact
    assert set(coverage.filter(pl.col("outlet") == UNTRANSLATED)["status"]) == {"included", "unknown"}


def test_omitted_only_where_the_outlet_leaves_the_fact_out(demo):
    truth, claim_of, coverage = demo
    absent_statuses = []
    for fact in truth["facts"]:
        statuses = dict(coverage.filter(pl.col("claim_id") == fact_claim(claim_of, fact)).select(
            "outlet", "status").iter_rows())
        for outlet, told in truth["outlets"].items():
            if outlet == UNTRANSLATED:
                assert statuses[outlet] in ("included", "unknown")
            elif fact in told["facts"]:
                assert statuses[outlet] == "included", (fact, outlet)
            else:
                assert statuses[outlet] in ("omitted", "partial"), (fact, outlet)
                absent_statuses.append(statuses[outlet])
    assert absent_statuses.count("omitted") >= len(absent_statuses) / 2, "partial does not hide most omissions"


def test_the_demo_dataset_states_the_licence_of_its_invented_texts():
    """Its texts were written for Parallax, not collected: a dataset from it must not call them publishers'."""
    event = load_event(DEMO, options=load_options(None))
    assert corpus_license(event.settings.get("license"))["name"] == "MIT"
