"""The descriptor of an exported dataset: a Frictionless (tabular) Data Package built from comparators/schema.py,
with the runs' provenance, licences and sources.

The same table schemas give docs/DATA.md (comparators/data_dictionary.py), so the dictionary, the package
and the files cannot disagree.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import datetime, timezone

import polars as pl

from .version import pipeline_version
from .schema import KEYS, RUN_COLUMNS, TABLES, Column

DESCRIPTOR = "datapackage.json"
EXPORTED_TABLES = tuple(KEYS)

FORMATS = {  # format -> (file extension, media type)
    "parquet": ("parquet", "application/vnd.apache.parquet"),
    "csv": ("csv", "text/csv"),
    "jsonl": ("jsonl", "application/x-ndjson"),
}

# Table Schema types; a polars type missing here fails the export (and the tests) instead of mislabelling a field.
FIELD_TYPES = {pl.String: "string", pl.Int64: "integer", pl.Int32: "integer", pl.Float64: "number",
               pl.Float32: "number", pl.Boolean: "boolean", pl.Date: "date", pl.Datetime: "datetime"}

# How polars writes a CSV file. Declared, because a validator given no dialect guesses it from a file's first lines,
# and texts that quote words between semicolons make frictionless guess ';'.
CSV_DIALECT = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "lineTerminator": "\n", "header": True,
               "skipInitialSpace": False}

# Said when a corpus declares no licence: the texts were collected from their publishers.
PUBLISHERS_COPYRIGHT = {
    "name": "other-closed",
    "title": "Article texts remain the copyright of their publishers; this dataset is shared for research only.",
}


# What datapackage.json `parallax.runs[]` (and the parquet metadata) says about each run.
PROVENANCE = {
    "run_id": "Run id, as in the tables' run_id column.",
    "event": "Event slug, as in the tables' event column.",
    "title": "Event title.",
    "started_at": "When the run started (ISO 8601, UTC).",
    "finished_at": "When the run finished (ISO 8601, UTC).",
    "parallax_version": "Version of the Parallax pipeline that made the run; from a git checkout with its commit "
                        "(0.1.0+g1bf0075ca985, .dirty when the engine's files were edited).",
    "signature": "The run's reproducibility signature: one line, component by component.",
    "components": "The signature's components (language detection, splitting, translation, alignment, options, "
                  "corpus).",
    "translation": "Per language pair (such as es-en): engine, model and number of passages. Engine and model are "
                   "null for passages that could not be translated.",
    "scorer": "How alignment scored passage pairs, from the signature: the similarity library and its version, and "
              "the keyword prefix length (rapidfuzz-3.14.6+text5: keywords compared by their first 5 letters).",
    "thresholds": "Alignment settings from the signature, such as the match and partial score thresholds.",
    "options": "The settings that shape the results (options sections corpus, clean, language, passages, "
               "translate, align, numbers, without caching, progress and threads), as the run used them; the "
               "signature's options component is their hash.",
    "corpus_digest": "sha256 over the corpus as read (its first 16 hex digits).",
    "corpus": "The licence the corpus's event.toml declares and the sources it lists ([[sources]]: type with url, "
              "or with keywords per language for a search).",
    "counts": "Rows per table in the run.",
    "warnings": "What a reader must know before trusting the run: articles skipped, languages left untranslated "
                "and why, and the like.",
}


def exported_columns(table: str) -> list[Column]:
    return RUN_COLUMNS + TABLES[table]


def field_type(column: Column, *, format: str) -> str:
    dtype = column.dtype
    if isinstance(dtype, pl.List):
        # Frictionless reads Parquet through pandas, which hands list cells over as numpy arrays that its "array"
        # type rejects; "any" keeps the package valid, and the description says what the cells hold.
        return "any" if format == "parquet" else "array"
    if column.nullable and dtype.is_integer() and format == "parquet":
        # pandas reads an integer column holding a null as floats (2.0, NaN), which the "integer" type rejects.
        return "number"
    base = dtype.base_type()
    if base not in FIELD_TYPES:
        raise TypeError(f"no Table Schema type for polars {dtype}: add it to FIELD_TYPES")
    return FIELD_TYPES[base]


def table_schema(table: str, *, format: str) -> dict:
    """The Table Schema of an exported table: fields with type and description, primary and foreign keys."""
    keys = KEYS[table]
    fields = []
    for column in exported_columns(table):
        field = {"name": column.name, "type": field_type(column, format=format),
                 "description": column.description}
        if column.name in keys.primary or column in RUN_COLUMNS:
            field["constraints"] = {"required": True}
        fields.append(field)
    return {
        "fields": fields,
        "primaryKey": list(keys.primary),
        "foreignKeys": [{"fields": list(key.columns), "reference": {"resource": key.table,
                                                                    "fields": list(key.reference)}}
                        for key in keys.foreign],
        # Polars writes a null as an empty CSV cell.
        "missingValues": [""],
    }


def build_datapackage(runs: list[dict], *, format: str) -> dict:
    """The datapackage.json of a dataset holding `runs` (each run's provenance, see run_provenance)."""
    extension, mediatype = FORMATS[format]
    events = sorted({run["event"] for run in runs})
    titles = {run["event"]: run["title"] for run in runs}
    name = f"parallax-{events[0]}" if len(events) == 1 else f"parallax-{len(events)}-events"
    created = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return {
        "profile": "tabular-data-package",
        "name": package_name(name),
        "title": f"Parallax comparison data: {titles[events[0]]}" if len(events) == 1
                 else f"Parallax comparison data: {len(events)} events",
        "description": "How outlets in several languages told the same events: articles, passages with English "
                       "translations, aligned passage pairs, claims and which outlet carries each claim. "
                       "Runs: " + ", ".join(f"{run['event']} {run['run_id']}" for run in runs) + ".",
        "created": created,
        "licenses": _licenses(runs),
        "sources": _sources(runs, titles),
        "parallax": {"version": pipeline_version(), "created": created, "format": format, "runs": runs},
        "resources": [
            {
                "name": table,
                "path": f"data/{table}.{extension}",
                "profile": "tabular-data-resource",
                "format": format,
                "mediatype": mediatype,
                **({"encoding": "utf-8"} if format != "parquet" else {}),
                **({"dialect": CSV_DIALECT} if format == "csv" else {}),
                "description": KEYS[table].description,
                "schema": table_schema(table, format=format),
            }
            for table in EXPORTED_TABLES
        ],
    }


def package_name(text: str) -> str:
    """A Data Package name (lowercase letters, digits, '.', '_', '-') from an event's slug: accents are dropped,
    so "Désfile Pekín" is "desfile-pekin", not "d-sfile-pek-n"; other characters become '-'. Letters of other
    scripts cannot be written so: a hash of the slug then tells "parallax-阅兵" from "parallax-峰会"."""
    letters = "".join(char for char in unicodedata.normalize("NFKD", text.lower())
                      if not unicodedata.combining(char))
    name = re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9._-]+", "-", letters)).strip("-")
    if any(char.isalnum() and not char.isascii() for char in letters):
        name += "-" + hashlib.sha256(text.encode()).hexdigest()[:8]
    return name


def run_provenance(record: dict, translation: list[dict]) -> dict:
    """What produced one run (the keys of PROVENANCE), from its run.json and `translation`: rows of language,
    engine, model and passages, counted over its passages."""
    components = record.get("components") or {}
    corpus = record.get("corpus") or {}
    return {
        "run_id": record["run_id"],
        "event": record["event"],
        "title": record.get("title") or record["event"],
        "started_at": record.get("started_at"),
        "finished_at": record.get("finished_at"),
        "parallax_version": components.get("parallax"),
        "signature": record.get("signature"),
        "components": components,
        "translation": [{"pair": f"{row['language'] or '?'}-en", "engine": row["engine"], "model": row["model"],
                         "passages": row["passages"]} for row in translation],
        "scorer": scorer(components.get("align", "")),
        "thresholds": thresholds(components.get("align", "")),
        "options": record.get("options") or {},
        "corpus_digest": components.get("corpus"),
        # Not the corpus's path: it is the exporting machine's, of no use to a reader and not theirs to know (the
        # folder's name is the event).
        "corpus": {"license": corpus.get("license"), "sources": corpus.get("sources") or []},
        "counts": record.get("counts") or {},
        "warnings": record.get("warnings") or [],
    }


def scorer(align_component: str) -> str | None:
    """The pieces of the align signature component that are not name=value settings (e.g. rapidfuzz-3.14.6+text5);
    None for a run whose run.json has no align component."""
    return "+".join(piece for piece in align_component.split("+") if piece and "=" not in piece) or None


def thresholds(align_component: str) -> dict[str, float | str]:
    """The name=value settings inside the align signature component (e.g. match=80, partial=60)."""
    found: dict[str, float | str] = {}
    for piece in align_component.split("+"):
        name, equals, value = piece.partition("=")
        if equals:
            try:
                found[name] = float(value)
            except ValueError:
                found[name] = value
    return found


def corpus_license(declared) -> dict | None:
    """The package licence for an event.toml `license` (an id such as "CC-BY-SA-4.0", or a table with name,
    path, title); None when absent or malformed."""
    if isinstance(declared, str) and declared.strip():
        return {"name": declared.strip()}
    if isinstance(declared, dict) and (declared.get("name") or declared.get("path")):
        return {key: str(value) for key, value in declared.items() if key in ("name", "path", "title")}
    return None


def _licenses(runs: list[dict]) -> list[dict]:
    licenses = []
    for run in runs:
        license = corpus_license(run["corpus"]["license"]) or PUBLISHERS_COPYRIGHT
        if license not in licenses:
            licenses.append(license)
    return licenses


def _sources(runs: list[dict], titles: dict[str, str]) -> list[dict]:
    """Each event's corpus, then each feed, sitemap, page or search its coverage was collected from."""
    sources = []
    for run in runs:
        title = titles[run["event"]]
        found = [{"title": f"{title} (event {run['event']})"}]
        for declared in run["corpus"]["sources"]:
            if "url" in declared:
                found.append({"title": f"{title}: {declared['type']}", "path": declared["url"]})
            else:
                query = "; ".join(f"{language}: {', '.join(terms)}" for language, terms in declared["keywords"].items())
                found.append({"title": f"{title}: {declared['type']} search ({query})"})
        sources.extend(source for source in found if source not in sources)
    return sources
