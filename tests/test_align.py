"""Stages 5–7 (align, claims, coverage): comparators against their reference, the fast implementation against the
slow reference one, and the rules a reader relies on: one passage per outlet and claim, split sentences, and no
"omitted" without a fully translated outlet."""

from __future__ import annotations

import random

import numpy as np
import polars as pl
import pytest

from bench.ntrex_outlets import load_documents
from comparators import reference
from comparators.align import align_passages
from comparators.anchors import anchors
from comparators.claims import group_claims
from comparators.comparator import AnchorComparator, ContainmentComparator, TextComparator
from comparators.coverage import compute_coverage
from comparators.normalize import keyword_key, keywords, normalize
from comparators.schema import TABLES

TEXTS = [
    "Kim Jong Un travelled to Beijing in his armoured special train.",
    "Kim Jong-un arrived in Beijing on an armoured train, officials said.",
    "The parade lasted about 70 minutes.",
    "26 foreign heads of state attended the 1,300 km journey's end.",
    "",
    "¡Árbol! ÉLAN — «quoted» 1.300 km",
    "FBI agent Brett Kavanaugh met KSWB-TV reporters at 5 a.m.",
    "the the the of of",
]


@pytest.mark.parametrize("comparator", [TextComparator(), TextComparator(prefix=3), ContainmentComparator(),
                                        AnchorComparator()], ids=lambda comparator: comparator.name)
def test_cdist_agrees_with_score_pair_by_pair(comparator):
    reversed_texts = TEXTS[::-1]
    for queries, choices in ((TEXTS, TEXTS), (TEXTS[:3], reversed_texts)):
        fast = comparator.cdist(queries, choices)
        slow = np.array([[comparator.score(a, b) for b in choices] for a in queries])
        assert fast.shape == (len(queries), len(choices))
        np.testing.assert_allclose(fast, slow, atol=1e-3)


def test_normalize_folds_case_accents_punctuation_and_digit_grouping():
    assert normalize("Él dijo: «1.300 km», o 1,300 KM!") == "el dijo 1300 km o 1300 km"
    assert normalize("3.5 million") == "3 5 million"
    assert keywords("The investigations were investigated by the FBI") == ["inves", "inves", "fbi"]
    assert keyword_key("train armoured Kim") == keyword_key("Kim armoured train")


def test_anchors_are_numbers_in_any_digits_and_latin_names():
    assert anchors("El tren recorre 1.300 km") == anchors("The train covers 1,300 km") == {"#1300"}
    assert "#13" in anchors("１３岁少年") and "#13" in anchors("صبي يبلغ ١٣ عاما")
    found = anchors("Der Richter Brett Kavanaugh sprach mit dem FBI.")
    assert {"brett", "kavanaugh", "fbi"} <= found and "der" not in found
    assert anchors("Путин встретился с Ким Чен Ыном") == frozenset()


# Small events without a translation engine: English sentences of NTREX reworded per outlet (words dropped,
# swapped, replaced), so that pairs score across the whole range; one outlet splits a sentence in two; one
# outlet is German and untranslated.

def reworded(sentence: str, rng: random.Random, vocabulary: list[str]) -> str:
    words = sentence.split()
    words = [word for word in words if rng.random() > 0.35] or words
    for _ in range(len(words) // 3):
        words[rng.randrange(len(words))] = rng.choice(vocabulary)
    position = rng.randrange(len(words))
    words[position:position + 2] = words[position:position + 2][::-1]
    return " ".join(words)


def small_event(document: dict, seed: int, *, outlets: int = 5) -> pl.DataFrame:
    rng = random.Random(seed)
    english, german = document["sentences"]["eng"], document["sentences"]["deu"]
    vocabulary = " ".join(english).split()
    rows = []
    for number in range(outlets + 1):
        untranslated = number == outlets
        kept = [0] + sorted(rng.sample(range(1, len(english)), round(0.7 * (len(english) - 1))))
        texts = []
        for index in kept:
            if untranslated:
                texts.append(german[index])
                continue
            words = reworded(english[index], rng, vocabulary).split()
            if number == 1 and index == kept[2] and len(words) > 8:  # this outlet splits a sentence in two
                texts += [" ".join(words[:len(words) // 2]), " ".join(words[len(words) // 2:])]
            else:
                texts.append(" ".join(words))
        for position, text in enumerate(texts):
            rows.append({"passage_id": f"p{seed}-{number}-{position}", "article_id": f"a{number}",
                         "outlet": f"outlet {number}", "language": "de" if untranslated else "en",
                         "position": position, "start": 0, "end": len(text), "text": text,
                         "text_en": None if untranslated else text, "engine": None, "model": None})
    return pl.DataFrame(rows)


@pytest.fixture(scope="module")
def events():
    documents = load_documents()
    return [small_event(documents[index], seed) for seed, index in enumerate((0, 5, 11))]


def test_fast_alignment_agrees_with_the_reference(events, options):
    for passages in events:
        fast = align_passages(passages, options=options)
        slow = reference.align_passages(passages, options=options)
        assert fast.columns == slow.columns == [column.name for column in TABLES["alignments"]]
        pairs = fast.join(slow, on=["passage_a", "passage_b"], how="full", suffix="_slow", coalesce=True)
        assert pairs["score"].null_count() == pairs["score_slow"].null_count() == 0, "same pairs kept"
        assert (pairs["score"] - pairs["score_slow"]).abs().max() < 1e-3
        text = pairs.filter(pl.col("method") == "text")
        assert (text["contrast"] - text["contrast_slow"]).abs().max() < 1e-3
        assert (pairs["verdict"] == pairs["verdict_slow"]).all()
        assert set(fast["method"]) == {"text", "anchors"}


def test_fast_grouping_agrees_with_the_reference(events, options):
    split_joined = anchored = 0
    for passages in events:
        alignments = align_passages(passages, options=options)
        fast_passages, fast_claims = group_claims(passages, alignments, options=options)
        slow_passages, slow_claims = reference.group_claims(passages, alignments, options=options)
        assert fast_passages["claim_id"].to_list() == slow_passages["claim_id"].to_list()
        assert fast_claims.equals(slow_claims)
        per_outlet = fast_passages.filter(pl.col("claim_id").is_not_null()).group_by("claim_id", "outlet").len()
        split_joined += per_outlet.filter(pl.col("len") > 1).height
        anchored += fast_passages.filter(pl.col("text_en").is_null() & pl.col("claim_id").is_not_null()).height
    assert split_joined and anchored, "the events exercise split sentences and anchors"


def test_a_claim_holds_one_passage_per_outlet_unless_the_outlet_split_a_sentence(events, options):
    for passages in events:
        with_claims, _ = group_claims(passages, align_passages(passages, options=options), options=options)
        for (_, _), group in with_claims.filter(pl.col("claim_id").is_not_null()).group_by("claim_id", "outlet"):
            positions = sorted(group["position"])
            assert positions == list(range(positions[0], positions[0] + len(positions)))


def test_a_sentence_split_in_two_joins_the_claim_of_the_whole_sentence(options):
    sentences = load_documents()[2]["sentences"]["eng"][:7]
    long = max(sentences[1:], key=len)
    words = long.split()
    halves = [" ".join(words[:len(words) // 2]), " ".join(words[len(words) // 2:])]
    split = [part for sentence in sentences for part in (halves if sentence == long else [sentence])]
    passages = english_event({"a": sentences, "b": sentences[::-1], "c": sentences[1:], "d": split})
    alignments = align_passages(passages, options=options)
    with_claims, claims = group_claims(passages, alignments, options=options)
    claim = with_claims.filter(pl.col("text") == long)["claim_id"].unique().to_list()
    assert set(with_claims.filter(pl.col("text").is_in(halves))["claim_id"]) == set(claim)
    assert claims.height == len(sentences)
    coverage = compute_coverage(with_claims, claims, alignments, options=options)
    assert set(coverage.filter(pl.col("claim_id") == claim[0])["status"]) == {"included"}


def test_untranslated_outlets_are_never_omitted(events, options):
    statuses = []
    for passages in events:
        alignments = align_passages(passages, options=options)
        with_claims, claims = group_claims(passages, alignments, options=options)
        coverage = compute_coverage(with_claims, claims, alignments, options=options)
        assert coverage.height == claims.height * passages["outlet"].n_unique()
        statuses += coverage.filter(pl.col("outlet") == "outlet 5").select("status", "evidence").rows()
    assert {status for status, _ in statuses} == {"unknown", "included"}
    assert {evidence for status, evidence in statuses if status == "included"} == {"anchors"}


def english_event(outlets: dict[str, list[str]]) -> pl.DataFrame:
    rows = [{"passage_id": f"{outlet}-{position}", "article_id": outlet, "outlet": outlet, "language": "en",
             "position": position, "start": 0, "end": len(text), "text": text, "text_en": text, "engine": "identity",
             "model": "identity"} for outlet, texts in outlets.items() for position, text in enumerate(texts)]
    return pl.DataFrame(rows)


def test_an_exclusive_claim_is_omitted_by_the_others_and_shared_ones_included(options):
    documents = load_documents()
    shared = documents[2]["sentences"]["eng"][:8]
    exclusive = documents[40]["sentences"]["eng"][3]
    passages = english_event({"a": shared + [exclusive], "b": shared[:6], "c": shared[1:], "d": shared[::2]})
    alignments = align_passages(passages, options=options)
    with_claims, claims = group_claims(passages, alignments, options=options)
    coverage = compute_coverage(with_claims, claims, alignments, options=options)
    status = {(text, outlet): value for text, outlet, value in coverage.join(
        with_claims.filter(pl.col("outlet") == "a").select("claim_id", "text"), on="claim_id").select(
        "text", "outlet", "status").iter_rows()}
    assert claims.height == 9
    assert [status[exclusive, outlet] for outlet in "abcd"] == ["included", "omitted", "omitted", "omitted"]
    for index, sentence in enumerate(shared):
        carriers = {"a", *("b" if index < 6 else ""), *("c" if index >= 1 else ""), *("d" if index % 2 == 0 else "")}
        for outlet in "abcd":
            assert status[sentence, outlet] == ("included" if outlet in carriers else "omitted"), (sentence, outlet)


def test_an_outlet_with_untranslated_text_is_unknown_where_it_does_not_include_the_claim(options):
    sentences = load_documents()[2]["sentences"]["eng"][:6]
    passages = english_event({"a": sentences, "b": sentences[:3], "c": sentences[:4]})
    passages = passages.with_columns(
        pl.when((pl.col("outlet") == "c") & (pl.col("position") == 3)).then(None).otherwise(pl.col("text_en"))
        .alias("text_en"))
    alignments = align_passages(passages, options=options)
    with_claims, claims = group_claims(passages, alignments, options=options)
    coverage = compute_coverage(with_claims, claims, alignments, options=options)
    outlet_c = dict(coverage.filter(pl.col("outlet") == "c").select("status").group_by("status").len().iter_rows())
    assert outlet_c == {"included": 3, "unknown": 3}
    assert set(coverage.filter(pl.col("outlet") == "b")["status"]) == {"included", "omitted"}


def test_an_event_with_nothing_translated_has_no_claims_and_keeps_every_passage(options):
    # Every outlet in a language without an engine (German and Japanese, say): nothing to group, no error.
    sentences = load_documents()[2]["sentences"]["eng"][:4]
    passages = english_event({"a": sentences, "b": sentences[:3]}).with_columns(
        pl.lit(None, pl.String).alias("text_en"))
    alignments = align_passages(passages, options=options)
    with_claims, claims = group_claims(passages, alignments, options=options)
    coverage = compute_coverage(with_claims, claims, alignments, options=options)
    assert (claims.height, coverage.height) == (0, 0)
    assert with_claims.height == 7 and with_claims["claim_id"].null_count() == 7


def test_a_passage_that_tells_more_than_its_claim_makes_the_other_statement_partial(options):
    # Outlet d tells the shortest sentence and the first words of the longest in one passage (a translator's
    # sentence cut at a comma, which the splitter cannot part): it sits in the claim of the shortest sentence and
    # holds too little of the longest for the containment rule, but is far longer than its claim's other passages.
    sentences = load_documents()[0]["sentences"]["eng"][:8]
    longest, shortest = max(sentences[1:], key=len), min(sentences[1:], key=len)
    words = longest.split()
    start = " ".join(words[:len(words) * 2 // 5])
    merged = f"{shortest.rstrip('.')}, {start[0].lower()}{start[1:]}"
    passages = english_event({"a": sentences, "b": sentences[::-1], "c": sentences,
                              "d": [sentence for sentence in sentences if sentence not in (longest, shortest)]
                              + [merged]})

    def status_of_d(options) -> tuple:
        alignments = align_passages(passages, options=options)
        with_claims, claims = group_claims(passages, alignments, options=options)
        coverage = compute_coverage(with_claims, claims, alignments, options=options)
        claim = with_claims.filter(pl.col("text") == longest)["claim_id"].unique().item()
        return coverage.filter((pl.col("claim_id") == claim) & (pl.col("outlet") == "d")).select(
            "status", "evidence", "passage_id").row(0)

    assert status_of_d(options) == ("partial", "containment", "d-6")
    assert status_of_d(options.with_overrides({"align": {"merged_length": 100.0}}))[0] == "omitted"


def test_a_sentence_an_outlet_repeats_is_one_claim_the_others_include(options):
    sentences = load_documents()[2]["sentences"]["eng"][:6]
    passages = english_event({"a": sentences + [sentences[2]], "b": sentences, "c": sentences[1:]})
    second_article = english_event({"a": [sentences[4]]}).with_columns(
        pl.lit("a-update").alias("article_id"), pl.lit("a-update-0").alias("passage_id"))
    passages = pl.concat([passages, second_article])
    alignments = align_passages(passages, options=options)
    with_claims, claims = group_claims(passages, alignments, options=options)
    slow_passages, slow_claims = reference.group_claims(passages, alignments, options=options)
    assert with_claims["claim_id"].to_list() == slow_passages["claim_id"].to_list() and claims.equals(slow_claims)
    assert claims.height == len(sentences)
    for repeated in (sentences[2], sentences[4]):
        assert with_claims.filter(pl.col("text") == repeated)["claim_id"].n_unique() == 1
    coverage = compute_coverage(with_claims, claims, alignments, options=options)
    assert set(coverage.filter(pl.col("outlet") != "c")["status"]) == {"included"}


def test_passages_an_engine_gave_no_english_for_do_not_stop_coverage(options):
    # Apertium turns a lone "¡" into "": two such passages of two outlets form a claim whose English is empty, and
    # measuring a passage against that claim's length divided by zero.
    sentences = load_documents()[2]["sentences"]["eng"][:4]
    passages = english_event({"a": sentences + ["¡"], "b": sentences + ["¡"]}).with_columns(
        pl.when(pl.col("text") == "¡").then(pl.lit("")).otherwise(pl.col("text_en")).alias("text_en"))
    alignments = align_passages(passages, options=options)
    with_claims, claims = group_claims(passages, alignments, options=options)
    coverage = compute_coverage(with_claims, claims, alignments, options=options)
    assert coverage.height == 2 * claims.height and set(coverage["status"]) == {"included"}
