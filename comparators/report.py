"""Stage 9, report: one self-contained HTML page per event (no network, everything escaped)."""

from __future__ import annotations

from html import escape

import polars as pl

from .comparison import Comparison

_STYLE = """
body{font-family:system-ui,"Noto Sans","Noto Sans CJK SC",sans-serif;margin:2rem;color:#1d1d1f;max-width:80rem}
table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;vertical-align:top}
.included{background:#cdeccd}.partial{background:#fbeec1}.omitted{background:#f6caca}.unknown{background:#e4e4e4}
code{font-size:.8rem;word-break:break-all}
"""


def render_report(comparison: Comparison) -> str:
    """The report page as one HTML string."""
    outlets = comparison.outlets
    status = {(row["claim_id"], row["outlet"]): row["status"] for row in comparison.coverage.iter_rows(named=True)}
    passages = comparison.passages.filter(pl.col("claim_id").is_not_null())
    evidence: dict[str, list[dict]] = {}
    for row in passages.iter_rows(named=True):
        evidence.setdefault(row["claim_id"], []).append(row)
    head = "".join(f"<th>{escape(outlet)}</th>" for outlet in outlets)
    rows = []
    for claim in comparison.claims.iter_rows(named=True):
        cells = "".join(
            f'<td class="{status.get((claim["claim_id"], outlet), "")}">{status.get((claim["claim_id"], outlet), "")}</td>'
            for outlet in outlets)
        quotes = "".join(
            f"<li><b>{escape(p['outlet'])}</b> ({escape(p['language'] or '?')}): {escape(p['text'])}"
            + (f"<br><i>{escape(p['text_en'])}</i>" if p["language"] != "en" else "") + "</li>"
            for p in evidence.get(claim["claim_id"], []))
        rows.append(f"<tr><td><details><summary>{escape(claim['text_en'] or '')}</summary><ul>{quotes}</ul>"
                    f"</details></td>{cells}</tr>")
    warnings = "".join(f"<li>{escape(note)}</li>" for note in comparison.warnings())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(comparison.title)} — Parallax</title><style>{_STYLE}</style></head>
<body><h1>{escape(comparison.title)}</h1><p>{escape(comparison.description)}</p>
<p>{len(outlets)} outlets, {comparison.claims.height} claims, {comparison.passages.height} passages.</p>
{f'<h2>Warnings</h2><ul>{warnings}</ul>' if warnings else ''}
<h2>Coverage</h2><table><thead><tr><th>Claim</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>
<h2>Reproducibility</h2><p><code>{escape(str(comparison.signature))}</code></p>
</body></html>
"""
