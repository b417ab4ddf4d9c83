"""The tables Parallax writes: every column with its type and meaning. Tables, the data package and
docs/DATA.md are all built from this one description."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Column:
    name: str
    dtype: pl.DataType
    description: str
    nullable: bool = False  # only read for integers: see datapackage.field_type


_PASSAGE_BASE = [
    Column("passage_id", pl.String, "Passage id, derived from the outlet, the article text and the offsets."),
    Column("article_id", pl.String, "Id of the article the passage comes from (articles.article_id)."),
    Column("outlet", pl.String, "Outlet that published the article."),
    Column("language", pl.String, "ISO 639-1 code of the passage's language (declared or detected)."),
    Column("position", pl.Int64, "Order of the passage within its article, from 0."),
    Column("start", pl.Int64, "Offset of the passage's first character in the article text, counted in Unicode "
                              "code points as Python and polars count (not UTF-16 units, not bytes)."),
    Column("end", pl.Int64, "Offset just past the passage's last character: text = article text[start:end]."),
    Column("text", pl.String, "The passage in its original language."),
]

TABLES: dict[str, list[Column]] = {
    "articles": [
        Column("article_id", pl.String, "Article id as given in the corpus."),
        Column("outlet", pl.String, "Outlet that published the article."),
        Column("language", pl.String, "ISO 639-1 code used for the article (declared unless the text contradicts it)."),
        Column("language_source", pl.String, "How the language was settled: declared, detected, script, or none."),
        Column("declared_language", pl.String, "Language declared in the corpus, if any."),
        Column("title", pl.String, "Headline as given in the corpus."),
        Column("url", pl.String, "Where the article was published."),
        Column("published", pl.String, "Publication time, ISO 8601 in one form: YYYY-MM-DD when the corpus gives "
                                       "only the day, else YYYY-MM-DDTHH:MM:SS (.ffffff when given) with the UTC "
                                       "offset it gives (Z as +00:00), or without one when it gives none (the zone "
                                       "is then unknown); null when not given."),
        Column("digest", pl.String, "sha256 of outlet and text: identifies the article's content across runs."),
        Column("n_passages", pl.Int64, "Number of passages the article was split into."),
        # From `parallax collect`, which rechecks an article's page for [collect] recheck_days after collecting it.
        Column("first_collected_at", pl.String, "When `parallax collect` first collected the article, ISO 8601 "
                                                "UTC; null for an article it did not collect (manifest.csv, or a "
                                                "record written by hand without collected_at)."),
        Column("collected_at", pl.String, "When the version compared (`text`, `title`) was collected: later than "
                                          "first_collected_at when the outlet edited the article at its address "
                                          "since. Null where first_collected_at is."),
        Column("n_earlier_versions", pl.Int64, "Earlier versions of the article an edit at its address replaced "
                                               "(their responses stay in the event's WARC files, listed in "
                                               "articles.jsonl's earlier_versions): 0 for an article collected "
                                               "and never seen edited; null where first_collected_at is.",
               nullable=True),
        Column("removed_on", pl.String, "Day (YYYY-MM-DD, UTC) a recheck found the article's page gone: it "
                                        "answered 404 or 410, redirected to another text, or held no article "
                                        "any more. The article is compared as collected. Null while its page "
                                        "is there, and for an article `parallax collect` did not collect."),
        Column("removed_note", pl.String, "How the page was found gone, as the collection worded it; null when "
                                          "removed_on is."),
        Column("text", pl.String, "Full article text as collected; passage offsets point into it."),
    ],
    "passages_raw": _PASSAGE_BASE,
    "passages": _PASSAGE_BASE + [
        Column("text_en", pl.String, "English translation of the passage; null when it could not be translated."),
        Column("engine", pl.String, "Translation engine (identity, apertium, argos); null when untranslated."),
        Column("model", pl.String, "Model the engine used for this language pair: for argos each package with "
               "its version and a digest of its files ('translate-de_en 1.9 #3f2a09c41b7e'); for apertium each "
               "mode with its Debian package and version, and the revision of Parallax's cleanup of its output."),
        Column("claim_id", pl.String, "Claim the passage belongs to; null when it joined no claim."),
    ],
    "alignments": [
        Column("passage_a", pl.String, "One passage of the aligned pair (passages.passage_id)."),
        Column("passage_b", pl.String, "The other passage, from another outlet (passages.passage_id)."),
        Column("outlet_a", pl.String, "Outlet of passage_a."),
        Column("outlet_b", pl.String, "Outlet of passage_b."),
        Column("score", pl.Float64, "Similarity, 0 to 100: of the English texts (method text), or of the "
                                    "anchors (method anchors)."),
        Column("contrast", pl.Float64, "Method text: score minus the mean of the two passages' baselines (their "
                                       "median similarity to other outlets' passages); null for anchors."),
        Column("method", pl.String, "text (both passages translated) or anchors (passage_a untranslated, "
                                    "compared by numbers and Latin-script names)."),
        Column("verdict", pl.String, "match (same statement) or partial (related, below the match threshold)."),
    ],
    "claims": [
        Column("claim_id", pl.String, "Claim id."),
        Column("text_en", pl.String, "A representative English wording of the claim."),
        Column("n_outlets", pl.Int64, "Number of outlets that include the claim."),
        Column("outlets", pl.List(pl.String), "Outlets that include the claim."),
        Column("piece_of", pl.String, "Claim this one may be a piece of: each of its passages sits right next to "
                                      "a passage of that claim in the same outlet, as when an outlet splits a "
                                      "sentence in two; the other outlets of that claim are then partial, not "
                                      "omitted, for this one. Null otherwise."),
    ],
    "coverage": [
        Column("claim_id", pl.String, "Claim (claims.claim_id)."),
        Column("outlet", pl.String, "Outlet."),
        Column("status", pl.String, "included, partial, omitted, or unknown (the outlet's text could not be translated)."),
        Column("score", pl.Float64, "Strength of the evidence for included or partial, read with `evidence`: "
                                    "text, the passage's mean contrast with the claim's other passages (included) "
                                    "or the best contrast with the related claim (partial); anchors, the mean "
                                    "anchor score 0–100; containment, the share of the claim's keywords 0–100; "
                                    "null for omitted and unknown, for piece, and for an included passage no "
                                    "other outlet's translated passage is compared with (a claim one outlet "
                                    "alone tells, or whose only other passages are untranslated)."),
        Column("evidence", pl.String, "What supports an included or partial status: text, anchors, containment "
                                      "or piece (see claims.piece_of); null for omitted and unknown."),
        Column("passage_id", pl.String, "The outlet's passage carrying the claim, when included or partial."),
    ],
    # reports/<event>/history.parquet: one row per scheduled run of the event (parallax serve), oldest first.
    "history": [
        Column("run_id", pl.String, "Run id; its folder is reports/<event>/<run_id>/ when the run completed."),
        Column("flow_run_id", pl.String, "Prefect flow run that made the run."),
        Column("status", pl.String, "complete, or failed (then `error` says why and no run folder was kept)."),
        Column("started_at", pl.String, "When the run started, ISO 8601 UTC."),
        Column("finished_at", pl.String, "When the run ended, ISO 8601 UTC."),
        Column("reused_from", pl.String, "Run whose tables were reused because nothing changed since; else null."),
        Column("signature", pl.String, "Reproducibility signature of the run's output; null when it failed."),
        Column("articles", pl.Int64, "Articles compared."),
        Column("outlets", pl.Int64, "Outlets compared."),
        Column("passages", pl.Int64, "Passages compared."),
        Column("claims", pl.Int64, "Claims found."),
        Column("translated", pl.Int64, "Passages a translation engine translated in this run (not from the cache)."),
        Column("cache_hits", pl.Int64, "Passages whose translation came from the translation cache."),
        Column("fetched", pl.Int64, "Pages downloaded by collection; null when the event has no sources."),
        Column("unchanged", pl.Int64, "Pages the server reported unchanged since the last collection; null "
                                      "when the event has no sources."),
        Column("collect_failures", pl.Int64, "Sources and pages collection could not fetch or read (listed in "
                                             "the run's warnings); null when the event has no sources."),
        Column("new_outlets", pl.Int64, "Outlets not in the previous complete run."),
        Column("new_claims", pl.Int64, "Claims matching no claim of the previous complete run."),
        Column("dropped", pl.Int64, "Claims an outlet carried in the previous complete run and now omits."),
        Column("edited", pl.Int64, "Articles of the previous complete run whose text or headline changed since (an "
                                   "edit at the same address)."),
        Column("error", pl.String, "Why the run failed; null when it completed."),
    ],
}

# Exported datasets (parallax export) stack several runs, of one or several events, in one table each.
# Every exported row starts with these columns, so keys below are unique across runs.
RUN_COLUMNS = [
    Column("event", pl.String, "Event the run compared (the slug of its corpus folder)."),
    Column("run_id", pl.String, "Run that produced the row (run.json run_id); rows of several runs stack."),
]


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    table: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Keys:
    """What an exported table is, and its keys. Links through a column that may be null (passages.claim_id,
    coverage.passage_id) are documented in the column, not declared: validators reject a composite key
    with a null part."""

    description: str
    primary: tuple[str, ...]
    foreign: tuple[ForeignKey, ...] = ()


KEYS: dict[str, Keys] = {
    "articles": Keys(
        "One row per article of a run. `digest` identifies the same article in other runs.",
        ("run_id", "article_id")),
    "passages": Keys(
        "One row per passage of an article, with its English translation. `passage_id` is derived from the "
        "article's content and the passage's offsets, so the same passage has the same id in every run.",
        ("run_id", "passage_id"),
        (ForeignKey(("run_id", "article_id"), "articles", ("run_id", "article_id")),)),
    "claims": Keys(
        "One row per claim: a statement told by one or more outlets. Claim ids are given per run: the same id "
        "in two runs need not group the same passages, so join claims on run_id and claim_id.",
        ("run_id", "claim_id")),
    "coverage": Keys(
        "One row per claim and outlet: whether the outlet includes, partly includes, omits the claim, or is "
        "unknown because its text could not be translated.",
        ("run_id", "claim_id", "outlet"),
        (ForeignKey(("run_id", "claim_id"), "claims", ("run_id", "claim_id")),)),
    "alignments": Keys(
        "One row per aligned pair of passages from two outlets, with the similarity score.",
        ("run_id", "passage_a", "passage_b"),
        (ForeignKey(("run_id", "passage_a"), "passages", ("run_id", "passage_id")),
         ForeignKey(("run_id", "passage_b"), "passages", ("run_id", "passage_id")))),
}


def frame(table: str, rows: list[dict]) -> pl.DataFrame:
    """A frame with exactly the table's columns, in order and typed, even when `rows` is empty."""
    schema = {column.name: column.dtype for column in TABLES[table]}
    return pl.DataFrame(rows, schema=schema)


def conform(table: str, data: pl.DataFrame) -> pl.DataFrame:
    """Select and cast `data` to the table's columns."""
    return data.select([pl.col(column.name).cast(column.dtype) for column in TABLES[table]])
