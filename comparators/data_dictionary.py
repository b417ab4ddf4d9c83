"""docs/DATA.md, the data dictionary of exported datasets, rendered from the table schemas the export writes
into datapackage.json. Regenerate it with: python -m comparators.data_dictionary > docs/DATA.md
"""

from __future__ import annotations

from .datapackage import (DESCRIPTOR, EXPORTED_TABLES, FORMATS, PROVENANCE, PUBLISHERS_COPYRIGHT,
                          exported_columns, table_schema)
from .schema import KEYS

COMMAND = "python -m comparators.data_dictionary > docs/DATA.md"
# The frictionless that reads every export format: pyproject.toml's test extra validates the exports with it.
FRICTIONLESS = "frictionless[json,parquet,pandas]"

INTRODUCTION = f"""\
# Parallax data dictionary

<!-- Generated from comparators/schema.py by `{COMMAND}`; do not edit by hand. -->

`parallax export RUN_OR_EVENT... --to DIR --format {'|'.join(FORMATS)}` writes one dataset from one or more
runs, of one or more events: a [Frictionless Data Package](https://datapackage.org/) made of `{DESCRIPTOR}`
(every field with its type and description, primary and foreign keys, licences, sources and provenance) and
one file per table in `data/`.

Check it with `frictionless validate DIR/{DESCRIPTOR}`; when DIR's path holds `[`, `*` or `?`, which
frictionless reads as a pattern, run `frictionless validate {DESCRIPTOR}` from inside DIR. Install it
as `pip install "{FRICTIONLESS}"`: plain `frictionless` cannot read Parquet or JSONL
files, and fails on every table of such a dataset with `Please install "frictionless"` (the terminal's formatting
hides the extra it names).

## Joining runs and events

Every table starts with `event` and `run_id`: the rows of several runs stack in one table, and every primary
key includes `run_id`.

- **Passages join across runs by `passage_id`.** It is derived from the outlet, the article's text and the
  passage's offsets, so the same passage of the same article has the same id in every run and every event.
- **Articles join across runs by `digest`** (sha256 of outlet and text). `article_id` is the corpus's own id.
- **Claims are per run.** A claim id is derived from the claim's representative passage and often repeats
  between runs of one corpus, but the passages a claim groups can change: join claims, coverage and
  `passages.claim_id` on `run_id` and `claim_id` together.
- `passages.claim_id` and `coverage.passage_id` may be empty, so they are described but not declared as
  foreign keys (validators reject a composite key with an empty part).

## Passage offsets

`passages.start` and `passages.end` count Unicode code points, as Python's `str` and polars' `str.slice` do:
`articles.text[start:end] == passages.text` in Python, and in polars
`pl.col("text").str.slice(pl.col("start"), pl.col("end") - pl.col("start"))` on the joined article text. An
emoji or a CJK character outside the Basic Multilingual Plane (🎉, 𠀀) is one code point, but two UTF-16 units
(JavaScript, Java, .NET string indexes) and four UTF-8 bytes (Rust, C, Arrow byte offsets): convert before slicing
there.

## Formats

- **parquet**: types as listed below, but for two fields, since frictionless reads Parquet through pandas:
  `claims.outlets`, a list of strings, is declared `any` (pandas hands list cells over as arrays that the `array`
  type rejects), and `articles.n_earlier_versions`, an integer that may be null, is declared `number` (pandas
  turns an integer column holding a null into floats; the file holds 64-bit integers). Each
  file's key-value metadata repeats the provenance (`parallax:provenance`, JSON) and the licences
  (`parallax:licenses`, JSON): read it with `polars.read_parquet_metadata(path)` or
  `pyarrow.parquet.read_metadata(path).metadata`, not from a table's schema (pyarrow and pandas do not copy it
  there).
- **csv**: UTF-8, comma separated, with a header (each resource's `dialect` says so: validators otherwise guess
  it from a file's first lines); an empty cell is a null; array fields are JSON arrays
  (`["Outlet A","Outlet B"]`). Cells are written exactly as the texts have them, so a cell may begin with `=`,
  `+`, `-` or `@` (a headline "+3% in a year", an outlet's "@handle"): a spreadsheet opened on the file by
  double-click may run such a cell as a formula. Import the file instead, with every column as text (LibreOffice:
  the Text Import dialog; Excel: Data → From Text/CSV), or read it with code. They are not escaped: an escape
  would change the texts, and the passages' offsets and every join with them.
- **jsonl**: one JSON object per line. polars guesses a column's type from the first 100 lines, and fails on one
  that is null in all of them (`got non-null value for NULL-typed column`): read with
  `pl.read_ndjson(path, infer_schema_length=None)`. pandas keeps ids as text with
  `pandas.read_json(path, lines=True, dtype=False)`. Frictionless 5 cannot read an empty `.jsonl` file (a run
  without alignments, say): validate such a dataset in csv or parquet.

polars and pandas guess a CSV column's type from its cells, and guess wrong for text that looks like a number or
a null: the article id `007` becomes the number 7 (as does `7`: two articles, one id), the headline `NA` a null.
Read a table with the types `{DESCRIPTOR}` gives instead:

```python
import json

import pandas
import polars as pl

folder = "DIR"  # the dataset's folder
with open(f"{{folder}}/{DESCRIPTOR}", encoding="utf-8") as file:
    fields = {{resource["name"]: resource["schema"]["fields"] for resource in json.load(file)["resources"]}}


def read_polars(table):
    types = {{"integer": pl.Int64, "number": pl.Float64}}
    schema = {{field["name"]: types.get(field["type"], pl.String) for field in fields[table]}}
    return pl.read_csv(f"{{folder}}/data/{{table}}.csv", schema=schema)


def read_pandas(table):
    types = {{"integer": "Int64", "number": "Float64"}}
    dtype = {{field["name"]: types.get(field["type"], "string") for field in fields[table]}}
    return pandas.read_csv(f"{{folder}}/data/{{table}}.csv", dtype=dtype, keep_default_na=False, na_values=[""])
```

## Licence and sources

`licenses` states each event's licence from the optional `license` key of its corpus's `event.toml`: an
Open Definition or SPDX id (`license = "CC-BY-SA-4.0"`, as for corpora built from NTREX), or a table
(`license = {{ name = "CC-BY-4.0", path = "https://creativecommons.org/licenses/by/4.0/", title = "..." }}`).
An event without one is stated as `{PUBLISHERS_COPYRIGHT['name']}`: "{PUBLISHERS_COPYRIGHT['title']}"
`sources` names each event (its corpus folder's name; where the exporting machine kept it is not stated),
then each feed, sitemap, page or GDELT search its `event.toml` lists under `[[sources]]`, with the address as
`path`.

## Provenance

`{DESCRIPTOR}` → `parallax` holds the exporting Parallax `version`, `created`, `format` and `runs`, one entry
per run:

"""


def render_data_dictionary() -> str:
    lines = [INTRODUCTION.rstrip("\n"), ""]
    lines += [f"- `{key}`: {description}" for key, description in PROVENANCE.items()]
    lines += ["", "## Tables"]
    for table in EXPORTED_TABLES:
        lines += _render_table(table)
    return "\n".join(lines) + "\n"


def _render_table(table: str) -> list[str]:
    schema = table_schema(table, format="csv")  # list columns are "any" in a Parquet package, see field_type
    lines = ["", f"### {table}", "", KEYS[table].description, "",
             f"- Primary key: {', '.join(f'`{name}`' for name in schema['primaryKey'])}."]
    for key in schema["foreignKeys"]:
        reference = key["reference"]
        lines.append(f"- Foreign key: {', '.join(f'`{name}`' for name in key['fields'])} → "
                     f"`{reference['resource']}` ({', '.join(f'`{name}`' for name in reference['fields'])}).")
    lines += ["", "| column | type | polars type | description |", "|---|---|---|---|"]
    for field, column in zip(schema["fields"], exported_columns(table)):
        description = field["description"].replace("|", "\\|")  # a bare | would end the table cell
        lines.append(f"| `{field['name']}` | {field['type']} | {column.dtype} | {description} |")
    return lines


if __name__ == "__main__":
    print(render_data_dictionary(), end="")
