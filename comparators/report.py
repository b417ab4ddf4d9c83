"""Stage 9, report: one self-contained HTML page per event, readable offline and printable.

The page is built from the run's tables. What must be readable without JavaScript (summary, translation, the
sharing chart, each outlet's omissions and exclusives, numeric discrepancies, the most widely carried claims)
is rendered here, every value escaped. The coverage matrix and the evidence are drawn in the browser by
templates/report.js from JSON embedded in a non-executable script element, with textContent only; it pages the
claims so 100 outlets × thousands of claims stay responsive. A Content-Security-Policy allows only that one
script (by hash) and no network at all.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable
from html import escape
from importlib import resources

import polars as pl

from .comparison import Comparison
from .numbers import SCORE, TIME, Discrepancy, find_discrepancies, unit_name
from .options import Options, shipped_defaults

STATUS_CODES = {"included": "I", "partial": "P", "omitted": "O", "unknown": "U"}
STATUS_MARKS = {"included": "✓", "partial": "≈", "omitted": "✗", "unknown": "?"}
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv"})
_LINKABLE = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def render_report(comparison: Comparison, *, options: Options | None = None) -> str:
    """The report page as one HTML string."""
    options = options or Options(shipped_defaults())
    discrepancies = find_discrepancies(comparison.passages, comparison.coverage, options=options)
    facts = _Facts(comparison, discrepancies)
    script = _template("report.js")
    script_hash = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    policy = (f"default-src 'none'; script-src 'sha256-{script_hash}'; style-src 'unsafe-inline'; "
              "img-src data:; base-uri 'none'; form-action 'none'")
    title = f"{comparison.title} {options.report.title_suffix}"
    data = script_json(_page_data(comparison, facts, discrepancies, options))
    sections = [
        _summary(comparison, facts),
        _changes(comparison, facts),
        _matrix_shell(),
        _static_claims(facts, options.report.static_claims),
        _sharing(facts, options.report.upset_combinations),
        _outlets(facts, options.report.outlet_claims),
        _discrepancy_section(facts, discrepancies),
        _reproducibility(comparison),
    ]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Parallax {escape(comparison.signature.components.get('parallax', ''))}">
<link rel="icon" href="data:,">
<title>{escape(title)}</title>
<style>{_template("report.css")}</style></head>
<body><a class="skip-link" href="#matrix">Skip to the claims</a>
<main>
{''.join(section for section in sections if section)}
</main>
<script type="application/json" id="parallax-data">{data}</script>
<script>{script}</script>
</body></html>
"""


def script_json(data) -> str:
    """JSON that cannot end its <script> element early: <, >, & and the JavaScript line separators escaped."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda match: _SCRIPT_ESCAPES[match.group()], text)


def outlet_name(outlet: str, language: str | None) -> str:
    """`outlet` in a <bdi>, with its language and, for a right-to-left one, its direction."""
    if not language:
        return f"<bdi>{escape(outlet)}</bdi>"
    direction = ' dir="rtl"' if language in RTL_LANGUAGES else ""
    return f'<bdi lang="{escape(language)}"{direction}>{escape(outlet)}</bdi>'


def link_or_text(url: str | None, label: str) -> str:
    """An http(s) link to `url`, or `label` as plain text when the URL is anything else (javascript:, data:…)."""
    if url and _LINKABLE.fullmatch(url):
        return f'<a href="{escape(url)}" rel="noopener noreferrer nofollow">{escape(label)}</a>'
    return escape(label)


# Columns of the articles table `parallax collect` fills. A reused run's tables, written by an older Parallax of the
# same release, may lack them.
_HISTORY_COLUMNS = ("removed_on", "first_collected_at", "n_earlier_versions")


def _article_note(article: dict) -> str | None:
    """Said of an article found gone from its address, or edited there since it was first collected."""
    if article.get("removed_on"):
        return f"removed from its address on {article['removed_on']}; shown as collected"
    if article.get("n_earlier_versions"):
        return (f"edited since first collected on {str(article.get('first_collected_at'))[:10]}; shown as last "
                f"collected, version {article['n_earlier_versions'] + 1}")
    return None


class _Facts:
    """What the sections share, computed once from the tables."""

    def __init__(self, comparison: Comparison, discrepancies: list[Discrepancy]):
        self.outlets = comparison.outlets
        self.claims = comparison.claims.to_dicts()
        self.claim_text = {claim["claim_id"]: claim["text_en"] or "" for claim in self.claims}
        self.codes = _coverage_codes(comparison.coverage, self.outlets)
        articles = comparison.articles.select("article_id", "outlet", "language", "title", "url", *[
            name for name in _HISTORY_COLUMNS if name in comparison.articles.columns]).to_dicts()
        self.articles_of: dict[str, list[dict]] = {}
        # article id → what a reader must know before taking its claims as still published as shown.
        self.article_note: dict[str, str] = {}
        for article in articles:
            self.articles_of.setdefault(article["outlet"], []).append(article)
            if note := _article_note(article):
                self.article_note[article["article_id"]] = note
        passages = comparison.passages
        self.language_of = {outlet: sorted({a["language"] or "?" for a in rows}) for outlet, rows in
                            self.articles_of.items()}
        self.passage_count = Counter(passages["outlet"].to_list())
        self.counts = {outlet: Counter() for outlet in self.outlets}
        for outlet, status, count in comparison.coverage.group_by("outlet", "status").len().iter_rows():
            self.counts.setdefault(outlet, Counter())[status] = count
        self.discrepant_claims = {d.claim_id for d in discrepancies}
        read = {reading.passage_id for discrepancy in discrepancies for reading in discrepancy.readings}
        self.passage_language = dict(passages.filter(pl.col("passage_id").is_in(list(read)))
                                     .select("passage_id", "language").iter_rows())
        self.untranslated = set(comparison.translation.untranslated)
        self.translation = comparison.translation

    def claim_codes(self, claim_id: str) -> str:
        """One status code per outlet, in outlet order; a pair coverage does not mention is unknown."""
        return self.codes.get(claim_id) or "U" * len(self.outlets)

    def language_label(self, outlet: str) -> str:
        return ", ".join(self.language_of.get(outlet, ["?"]))

    def name(self, outlet: str) -> str:
        """An outlet's name as HTML: isolated from the text around it, and in the outlet's language when all its
        articles share one, so a Japanese name takes Japanese glyphs (not Chinese ones) and a screen reader's
        Japanese voice, and an Arabic name reads right to left without moving the punctuation beside it."""
        return outlet_name(outlet, self.outlet_language(outlet))

    def outlet_language(self, outlet: str) -> str | None:
        languages = self.language_of.get(outlet, [])
        return languages[0] if len(languages) == 1 and languages[0] != "?" else None


# --- sections rendered on the server (readable without JavaScript, printable) ---

def _summary(comparison: Comparison, facts: _Facts) -> str:
    languages = sorted({language for languages in facts.language_of.values() for language in languages})
    totals = Counter()
    for counts in facts.counts.values():
        totals.update(counts)
    tiles = [
        (len(facts.outlets), "outlets"), (len(languages), "languages"), (comparison.articles.height, "articles"),
        (comparison.passages.height, "passages"), (len(facts.claims), "claims"),
        (len(facts.discrepant_claims), "claims with differing numbers"),
    ]
    date = f'<span class="date">{escape(comparison.date)}</span> · ' if comparison.date else ""
    parts = [
        '<header class="page-head"><p class="kicker">Parallax comparison</p>',
        f"<h1>{escape(comparison.title)}</h1>",
        f'<p class="description">{escape(comparison.description)}</p>' if comparison.description else "",
        f'<p class="run">{date}run <code>{escape(comparison.run_id)}</code>, started '
        f"{escape(comparison.started_at)}</p></header>",
        '<section id="summary" aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2><ul class="tiles">',
        "".join(f'<li><span class="tile-n">{value:,}</span> <span class="tile-l">{escape(label)}</span></li>'
                for value, label in tiles),
        "</ul>",
        '<p class="status-totals">Coverage cells: '
        + " · ".join(f'<span class="badge s-{STATUS_CODES[status]}">{STATUS_MARKS[status]} {status}</span> '
                     f"{totals.get(status, 0):,}" for status in STATUS_CODES) + "</p>",
        _warnings(comparison),
        _translation_table(comparison),
        _outlet_table(facts),
        "</section>",
    ]
    return "".join(parts)


def _warnings(comparison: Comparison) -> str:
    notes = comparison.warnings()
    if not notes:
        return ""
    explanation = ""
    if comparison.translation.untranslated:
        advice = "; ".join(f"for '{escape(language)}', {_advice(comparison.translation, language)}"
                           for language in sorted(comparison.translation.untranslated))
        explanation = (
            '<p>Outlets with untranslated text are marked <span class="badge s-U">? unknown</span> for every claim '
            "their translated text does not carry. <strong>Unknown is not omitted</strong>: Parallax cannot tell "
            "whether they carry a claim until their text is translated. Untranslated passages are shown in their "
            f"original language only, never as a translation. To translate them: {advice}; then run the "
            "comparison again.</p>")
    return ('<div class="notice" role="note"><h3>Before you rely on this</h3><ul>'
            + "".join(f"<li>{escape(note)}</li>" for note in notes) + f"</ul>{explanation}</div>")


def _translation_table(comparison: Comparison) -> str:
    summary = comparison.translation
    rows = []
    for language in sorted(summary.passages):
        count = summary.passages[language]
        model_cell = '<td role="cell" class="t-model" data-label="Model">'
        if language in summary.engines:
            engine, model = summary.engines[language]
            how = (f'<td role="cell" class="t-engine" data-label="Engine">{escape(engine)}</td>'
                   f"{model_cell}{escape(model)}</td>")
        else:
            reason = summary.untranslated.get(language, "")
            how = ('<td role="cell" class="t-engine untranslated" data-label="Engine">not translated</td>'
                   f"{model_cell}{escape(reason)} — {_advice(summary, language)}</td>")
        rows.append(f'<tr role="row"><th role="rowheader" scope="row" class="t-lang" data-label="Language">'
                    f'{escape(language)}</th><td role="cell" class="num t-passages" data-label="Passages">{count:,}'
                    f"</td>{how}</tr>")
    # Stacked on a phone as the outlet table is (report.css), hence the roles.
    return ('<h3>Languages and translation</h3><div class="scroll"><table class="plain stacks translation" '
            'role="table"><thead role="rowgroup"><tr role="row"><th role="columnheader">Language</th>'
            '<th role="columnheader">Passages</th><th role="columnheader">Engine</th>'
            '<th role="columnheader">Model</th></tr></thead>'
            f"<tbody role=\"rowgroup\">{''.join(rows)}</tbody></table></div>")


def _advice(summary, language: str) -> str:
    """What would get `language` translated, as HTML with its command set apart."""
    return re.sub(r"parallax models install \S+", r'<code class="command">\g<0></code>',
                  escape(summary.advice[language]))


def _outlet_table(facts: _Facts) -> str:
    exclusives = Counter(claim["outlets"][0] for claim in facts.claims if claim["n_outlets"] == 1)
    rows = []
    for outlet in facts.outlets:
        articles = facts.articles_of.get(outlet, [])
        titles = "<br>".join(
            f'<span lang="{escape(a["language"] or "")}" dir="{_direction(a["language"])}">'
            f'{link_or_text(a["url"], a["title"] or a["url"] or "(no title)")}</span>'
            + ("" if not a["url"] or _LINKABLE.fullmatch(a["url"]) else
               f' <span class="bad-url" title="not an http(s) address, shown as text">{escape(a["url"])}</span>')
            + _article_flag(facts.article_note.get(a["article_id"]))
            for a in articles)
        counts = facts.counts.get(outlet, Counter())
        cells = "".join(f'<td role="cell" class="num o-{STATUS_CODES[s]}" data-label="{STATUS_MARKS[s]} {s}">'
                        f"{counts.get(s, 0):,}</td>" for s in STATUS_CODES)
        rows.append(f'<tr role="row"><th role="rowheader" scope="row" class="o-name">{facts.name(outlet)}</th>'
                    f'<td role="cell" class="o-lang" data-label="Language">{escape(facts.language_label(outlet))}</td>'
                    f'<td role="cell" class="o-titles">{titles}</td><td role="cell" class="num o-passages" '
                    f'data-label="Passages">{facts.passage_count.get(outlet, 0):,}</td>{cells}'
                    f'<td role="cell" class="num o-only" data-label="Only it">{exclusives.get(outlet, 0):,}</td></tr>')
    heads = "".join(f'<th role="columnheader"><span class="badge s-{STATUS_CODES[s]}">{STATUS_MARKS[s]} {s}</span></th>'
                    for s in STATUS_CODES)
    # On a phone each row is laid out as a block (report.css), which drops a table's meaning for screen readers
    # unless its roles are said outright.
    return ('<h3>Outlets</h3><div class="scroll"><table class="plain stacks outlets" role="table">'
            '<thead role="rowgroup"><tr role="row"><th role="columnheader">Outlet</th>'
            '<th role="columnheader">Language</th><th role="columnheader">Article</th>'
            f'<th role="columnheader">Passages</th>{heads}<th role="columnheader">Only it</th></tr></thead>'
            f"<tbody role=\"rowgroup\">{''.join(rows)}</tbody></table></div>")


def _article_flag(note: str | None) -> str:
    return f' <span class="article-flag">({escape(note)})</span>' if note else ""


def _changes(comparison: Comparison, facts: _Facts) -> str:
    changes = comparison.changes
    if changes is None:
        return ""
    parts = ['<section id="changes" aria-labelledby="changes-h"><h2 id="changes-h">Since the previous run</h2>',
             f'<p class="muted">Compared with run <code>{escape(changes.previous_run_id)}</code>.</p>']
    if not (changes.new_outlets or changes.new_claims or changes.dropped or changes.edited):
        parts.append("<p>Nothing changed: same outlets, same claims.</p>")
    if changes.new_outlets:
        parts.append("<h3>New outlets</h3><ul>" + "".join(f"<li>{facts.name(outlet)}</li>"
                                                          for outlet in changes.new_outlets) + "</ul>")
    if changes.new_claims:
        parts.append(f"<h3>New claims ({len(changes.new_claims):,})</h3><ul>" + "".join(
            f"<li>{escape(facts.claim_text.get(claim_id, claim_id))}</li>" for claim_id in changes.new_claims)
            + "</ul>")
    if changes.dropped:
        parts.append(f"<h3>Claims an outlet no longer carries ({len(changes.dropped):,})</h3><ul>" + "".join(
            f'<li><strong>{facts.name(outlet)}</strong> dropped: {escape(text)}</li>'
            for outlet, text in changes.dropped) + "</ul>")
    if changes.edited:
        parts.append(f"<h3>Articles edited since ({len(changes.edited):,})</h3><ul>" + "".join(
            f'<li><strong dir="auto">{escape(outlet)}</strong>: <span dir="auto">{escape(where)}</span></li>'
            for outlet, where in changes.edited) + "</ul>")
    parts.append("</section>")
    return "".join(parts)


def _legend() -> str:
    meanings = {
        "included": "the outlet carries the claim",
        "partial": "a related passage, below the match threshold",
        "omitted": "translated, but no passage carries it",
        "unknown": "not translated: cannot tell (not the same as omitted)",
    }
    return ('<ul class="legend" aria-label="Legend">' + "".join(
        f'<li><span class="cell s-{STATUS_CODES[status]}" aria-hidden="true">{STATUS_MARKS[status]}</span> '
        f"<strong>{status}</strong>: {escape(meaning)}</li>" for status, meaning in meanings.items())
        + '<li><span class="num-flag" aria-hidden="true">#</span> <strong>numbers differ</strong> between '
          "outlets</li></ul>")


def _matrix_shell() -> str:
    return (
        '<section id="matrix" aria-labelledby="matrix-h"><h2 id="matrix-h">Coverage: claims × outlets</h2>'
        + _legend()
        + '<noscript><p class="notice">JavaScript is off, so the interactive matrix cannot be shown. The most '
          "widely carried claims are listed below; the tables in <code>data/</code> hold every claim.</p></noscript>"
          '<div id="matrix-app" class="js-only"><p class="muted">Loading the matrix…</p></div></section>')


def _static_claims(facts: _Facts, limit: int) -> str:
    shown = facts.claims[:limit]
    rows = []
    for claim in shown:
        by_status: dict[str, list[str]] = {}
        for outlet, code in zip(facts.outlets, facts.claim_codes(claim["claim_id"])):
            by_status.setdefault(code, []).append(outlet)
        cells = "".join(f'<td role="cell" data-label="{head}">{_names(facts, by_status.get(STATUS_CODES[status], []))}</td>'
                        for status, head in _STATIC_HEADS.items())
        flag = (' <span class="num-flag" title="numbers differ" aria-hidden="true">#</span>'
                '<span class="visually-hidden">(numbers differ)</span>') \
            if claim["claim_id"] in facts.discrepant_claims else ""
        # The claim heads its row: a screen reader going down "Omitted by" hears which claim each cell is about.
        rows.append(f'<tr role="row"><th role="rowheader" scope="row" class="c-text">{escape(claim["text_en"] or "")}'
                    f"{flag}</th>"
                    f'<td role="cell" class="num" data-label="Outlets">{claim["n_outlets"]}/{len(facts.outlets)}'
                    f"</td>{cells}</tr>")
    heads = "".join(f'<th role="columnheader">{head}</th>' for head in _STATIC_HEADS.values())
    # Stacked on a phone as the outlet table is (report.css), hence the roles.
    return (
        '<section id="top-claims" class="static-only" aria-labelledby="top-claims-h">'
        f'<h2 id="top-claims-h">The {len(shown):,} most widely carried claims (of {len(facts.claims):,})</h2>'
        '<div class="scroll"><table class="plain stacks top-claims" role="table"><thead role="rowgroup">'
        '<tr role="row"><th role="columnheader">Claim (English)</th><th role="columnheader">Outlets</th>'
        f"{heads}</tr></thead><tbody role=\"rowgroup\">{''.join(rows)}</tbody></table></div></section>")


_STATIC_HEADS = {"included": "Included by", "partial": "Partly by", "omitted": "Omitted by", "unknown": "Unknown for"}


def _names(facts: _Facts, outlets: list[str]) -> str:
    """Outlet names for a comma list, each isolated so that two right-to-left names keep their order."""
    return ", ".join(facts.name(outlet) for outlet in outlets)


def _sharing(facts: _Facts, top: int) -> str:
    combinations = Counter(tuple(claim["outlets"]) for claim in facts.claims if claim["outlets"])
    if not combinations:
        return ""
    chosen = sorted(combinations.items(), key=lambda item: (-item[1], -len(item[0]), item[0]))[:top]
    set_sizes = Counter(outlet for claim in facts.claims for outlet in claim["outlets"])
    hidden = [outlet for outlet in facts.outlets if not any(outlet in combo for combo, _ in chosen)]
    note = (f'<p class="muted">Not in any of these combinations: {_names(facts, hidden)}.</p>'
            if hidden else "")
    if len(chosen) < len(combinations):
        most = "most common combination" if len(chosen) == 1 else f"{len(chosen)} most common combinations"
        shown = f"The {most} of outlets that include the same claim (of {len(combinations):,} combinations)."
    elif len(chosen) == 1:
        shown = "The one combination of outlets that include the same claim."
    else:
        shown = f"All {len(chosen)} combinations of outlets that include the same claim."
    return ('<section id="sharing" aria-labelledby="sharing-h"><h2 id="sharing-h">How claims are shared</h2>'
            f'<p class="muted">{shown} Bars on top: claims told by exactly that combination; '
            "bars on the right: all claims each outlet includes.</p>"
            '<p class="scroll-cue">The chart is wider than the screen: swipe it sideways for every combination '
            "and each outlet's count →</p>"
            # A box that scrolls must take the focus, or a keyboard cannot scroll it (report.js drops the stop
            # where the chart fits).
            '<div class="scroll chart-scroll" tabindex="0" role="region" aria-label="Sharing chart, scrolls sideways">'
            f"{upset_svg(chosen, set_sizes, facts.outlets, facts.outlet_language)}</div>{note}"
            f"{_sharing_table(facts, chosen, set_sizes)}</section>")


def _sharing_table(facts: _Facts, chosen: list[tuple[tuple[str, ...], int]], set_sizes: Counter) -> str:
    """The chart's numbers as text, which a screen reader cannot get from a picture, and a keyboard reader from its
    tooltips: each combination's claims, then each outlet's. Folded, as it repeats the chart; it does not print
    (the printed chart has its counts)."""
    combinations = "".join(f'<tr><th scope="row">{_names(facts, combo)}</th><td class="num">{count:,}</td></tr>'
                           for combo, count in chosen)
    outlets = "".join(f'<tr><th scope="row">{facts.name(outlet)}</th><td class="num">{set_sizes.get(outlet, 0):,}</td>'
                      "</tr>" for outlet in facts.outlets)
    return ('<details class="chart-data"><summary>The chart as a table</summary><div class="scroll">'
            '<table class="plain chart-table"><caption>Claims told by exactly these outlets</caption><thead><tr>'
            '<th scope="col">Outlets</th><th scope="col">Claims</th></tr></thead>'
            f"<tbody>{combinations}</tbody></table>"
            '<table class="plain chart-table"><caption>Claims per outlet</caption><thead><tr>'
            '<th scope="col">Outlet</th><th scope="col">Claims it includes</th></tr></thead>'
            f"<tbody>{outlets}</tbody></table></div></details>")


def upset_svg(combinations: list[tuple[tuple[str, ...], int]], set_sizes: Counter, outlets: list[str],
              language_of: Callable[[str], str | None] = lambda outlet: None) -> str:
    """An UpSet-style chart: one column per combination (bar = claims), one row per outlet (dot = member), each
    outlet's name in its language (`language_of`)."""
    rows = [outlet for outlet in outlets if any(outlet in combo for combo, _ in combinations)]
    label_w, col_w, row_h, bars_h, side_w, pad = 190, 28, 22, 130, 150, 6
    width = label_w + col_w * len(combinations) + side_w + pad
    top = bars_h + 20
    height = top + row_h * len(rows) + pad
    biggest = max(count for _, count in combinations)
    largest_set = max(set_sizes.values()) if set_sizes else 1
    parts = [f'<svg class="upset" role="img" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" aria-labelledby="upset-title">'
             '<title id="upset-title">Claims per combination of outlets</title>'
             f'<text class="axis-label" x="{label_w - 8}" y="{bars_h - 4}" text-anchor="end">claims told by</text>'
             f'<text class="axis-label" x="{label_w - 8}" y="{bars_h + 12}" text-anchor="end">exactly these ↓</text>'
             f'<text class="axis-label" x="{label_w + col_w * len(combinations) + pad}" y="{top - 6}">'
             "claims per outlet</text>"]
    for index, outlet in enumerate(rows):
        y = top + index * row_h
        if index % 2 == 0:
            parts.append(f'<rect class="stripe" x="0" y="{y}" width="{width}" height="{row_h}"/>')
        name = outlet if len(outlet) <= 26 else outlet[:25] + "…"
        language = language_of(outlet)
        # A right-to-left name keeps its "…" at its end, on the left; its end is then on the left too, so it is
        # anchored at its start to stay flush right.
        spoken = f' lang="{escape(language)}"' if language else ""
        anchor = ' direction="rtl" text-anchor="start"' if language in RTL_LANGUAGES else ' text-anchor="end"'
        parts.append(f'<text class="label" x="{label_w - 8}" y="{y + row_h / 2 + 4}"{spoken}{anchor}>'
                     f"<title>{escape(outlet)}</title>{escape(name)}</text>")
        size = set_sizes.get(outlet, 0)
        bar = (side_w - 50) * size / largest_set
        x0 = label_w + col_w * len(combinations) + pad
        parts.append(f'<rect class="set-bar" x="{x0}" y="{y + 5}" width="{bar:.1f}" height="{row_h - 10}">'
                     f"<title>{escape(outlet)}: includes {size:,} claims</title></rect>"
                     f'<text class="count" x="{x0 + bar + 4:.1f}" y="{y + row_h / 2 + 4}">{size:,}</text>')
    for column, (combo, count) in enumerate(combinations):
        cx = label_w + column * col_w + col_w / 2
        height_bar = (bars_h - 16) * count / biggest
        description = f"{_counted(count, 'claim')} included by exactly: {', '.join(combo)}"
        parts.append(f'<g class="combo"><title>{escape(description)}</title>'
                     f'<rect class="bar" x="{cx - 9}" y="{bars_h - height_bar:.1f}" width="18" '
                     f'height="{height_bar:.1f}"/><text class="count" x="{cx}" y="{bars_h - height_bar - 4:.1f}" '
                     f'text-anchor="middle">{count:,}</text>')
        members = [index for index, outlet in enumerate(rows) if outlet in combo]
        if len(members) > 1:
            parts.append(f'<line class="link" x1="{cx}" x2="{cx}" y1="{top + members[0] * row_h + row_h / 2}" '
                         f'y2="{top + members[-1] * row_h + row_h / 2}"/>')
        for index in range(len(rows)):
            kind = "on" if index in members else "off"
            parts.append(f'<circle class="dot {kind}" cx="{cx}" cy="{top + index * row_h + row_h / 2}" r="6"/>')
        parts.append("</g>")
    parts.append(f'<line class="axis" x1="{label_w}" x2="{label_w + col_w * len(combinations)}" '
                 f'y1="{bars_h}" y2="{bars_h}"/></svg>')
    return "".join(parts)


def _outlets(facts: _Facts, limit: int) -> str:
    carriers = {claim["claim_id"]: set(claim["outlets"]) for claim in facts.claims}
    codes = {claim["claim_id"]: facts.claim_codes(claim["claim_id"]) for claim in facts.claims}
    known = {claim_id: len(code) - code.count("U") for claim_id, code in codes.items()}
    cards = []
    for index, outlet in enumerate(facts.outlets):
        left_out = []
        for claim in facts.claims:
            claim_id = claim["claim_id"]
            if codes[claim_id][index] == "O":
                carried, known_others = len(carriers[claim_id] - {outlet}), known[claim_id] - 1
                if carried >= 2 and carried * 2 > known_others:
                    left_out.append(claim)
        alone = [claim for claim in facts.claims if claim["outlets"] == [outlet]]
        counts = facts.counts.get(outlet, Counter())
        if counts.get("unknown") and not counts.get("omitted"):
            line = f"not translated: coverage unknown for {_counted(counts['unknown'], 'claim')}"
            advice = "; ".join(_advice(facts.translation, language)
                               for language in facts.language_of.get(outlet, []) if language in facts.untranslated)
            body = ('<p>Not translated: what this outlet leaves out is <strong>unknown</strong>, not omitted.'
                    + (f" To translate it: {advice}, then run again." if advice else "") + "</p>"
                    + (_claim_list(facts.name(outlet), "Only this outlet carries",
                                   [(claim, "") for claim in alone], limit)
                       if alone else ""))
        else:
            line = f"leaves out {_counted(len(left_out), 'widely carried claim')}; carries {len(alone):,} alone"
            body = (_claim_list(facts.name(outlet), "Leaves out, though most others carry it", [
                        (claim, f"carried by {len(carriers[claim['claim_id']] - {outlet})} of the "
                                f"{known[claim['claim_id']] - 1} others with known coverage") for claim in left_out],
                        limit)
                    + _claim_list(facts.name(outlet), "Only this outlet carries",
                                  [(claim, "") for claim in alone], limit))
        flagged = [(article, facts.article_note[article["article_id"]])
                   for article in facts.articles_of.get(outlet, []) if article["article_id"] in facts.article_note]
        if flagged:
            # In the summary too: a closed card must not pass a removed article's claims off as still published.
            kinds = Counter(note.split(" ", 1)[0] for _, note in flagged)  # removed, edited
            line += "".join(f"; {_counted(count, 'article')} {kind}" for kind, count in sorted(kinds.items()))
            body = "".join(
                f'<p class="article-flag" role="note">Its article “<span lang="{escape(article["language"] or "")}" '
                f'dir="{_direction(article["language"])}">'
                f'{escape(article["title"] or article["url"] or article["article_id"])}</span>” was '
                f"{escape(note)}.</p>" for article, note in flagged) + body
        open_attr = " open" if len(facts.outlets) <= 12 else ""
        cards.append(
            f'<details class="outlet-card"{open_attr}><summary><strong>{facts.name(outlet)}</strong> '
            f'<span class="muted">({escape(facts.language_label(outlet))}) — {line}</span></summary>'
            f"{body}</details>")
    return ('<section id="outlets" aria-labelledby="outlets-h"><h2 id="outlets-h">Outlet by outlet</h2>'
            '<p class="muted">“Leaves out”: the outlet’s translated text has no passage for a claim that more than '
            "half of the other outlets with known coverage include.</p>" + "".join(cards) + "</section>")


def _claim_list(name: str, heading: str, claims: list[tuple[dict, str]], limit: int) -> str:
    """A heading of the outlet's card, which names the outlet (`name`, as HTML) for a reader who lists the page's
    headings: each card has the same two."""
    named = f'<span class="visually-hidden">{name}: </span>{escape(heading)}'
    if not claims:
        return f'<h3>{named}</h3><p class="muted">None.</p>'
    items = "".join(f'<li>{escape(claim["text_en"] or "")}'
                    + (f' <span class="muted">({escape(note)})</span>' if note else "") + "</li>"
                    for claim, note in claims[:limit])
    more = f'<p class="muted">… and {len(claims) - limit:,} more (use the matrix filters).</p>' \
        if len(claims) > limit else ""
    return f"<h3>{named} ({len(claims):,})</h3><ul>{items}</ul>{more}"


def _discrepancy_section(facts: _Facts, discrepancies: list[Discrepancy]) -> str:
    if not discrepancies:
        body = "<p>No claim carries different numbers for the same quantity across outlets.</p>"
    else:
        items = []
        for discrepancy in discrepancies:
            by_value: dict[tuple[str, str | None], list] = {}
            for reading in discrepancy.readings:
                by_value.setdefault(_reading_label(discrepancy, reading), []).append(reading)
            values = "".join(
                f'<li><span class="value">{escape(value)}'
                + (f' <span class="unit">{escape(unit)}</span>' if unit else "")
                + f'</span> <span class="outlets">'
                f"{_outlets_as_written(value, readings, facts)}</span></li>"
                for (value, unit), readings in sorted(by_value.items(), key=lambda item: -len(item[1])))
            items.append(f'<li><p class="claim-text">{escape(facts.claim_text.get(discrepancy.claim_id, ""))}</p>'
                         f'<p class="muted">What is counted: {escape(_what_is_counted(discrepancy.quantity))}</p>'
                         f'<ul class="values">{values}</ul></li>')
        body = f'<ol class="discrepancies">{"".join(items)}</ol>'
    return ('<section id="numbers" aria-labelledby="numbers-h"><h2 id="numbers-h">Numbers that differ</h2>'
            '<p class="muted">Claims whose outlets give different numbers for the same quantity, read from the '
            "original text (per language conventions) and described by the English translation.</p>"
            f"{body}</section>")


def _outlets_as_written(value: str, readings: list, facts: _Facts) -> str:
    """The outlets that give a value, grouped by the form their originals write it in where that is not the value
    as listed: "Ledger; Migdia (written “1300”)", as "Ledger, Migdia (written “1300”)" would be said of both. A
    form is quoted in its language where its writers share one ("2800 billones" read as Spanish words)."""
    written_by: dict[str, set[str]] = {}
    languages: dict[str, set[str]] = {}
    for reading in readings:
        written = _one_spacing(reading.written)
        # "10-6" is the listed "10–6" with a hyphen, no other form worth a note.
        shown = set() if written.replace("-", "–") in ("", value) else {written}
        written_by.setdefault(reading.outlet, set()).update(shown)
        for form in shown:
            languages.setdefault(form, set()).add(facts.passage_language.get(reading.passage_id) or "")
    groups: dict[tuple[str, ...], list[str]] = {}
    for outlet, forms in sorted(written_by.items()):
        groups.setdefault(tuple(sorted(forms)), []).append(outlet)
    return "; ".join(_names(facts, outlets) + "".join(
        f' <span class="muted">(written “{_quoted(form, languages[form])}”)</span>' for form in forms)
        for forms, outlets in sorted(groups.items()))


def _quoted(text: str, languages: set[str]) -> str:
    """Original text inside English: in its language (when one), for a screen reader's voice and a font's glyphs,
    and isolated, so that a right-to-left quote leaves the English around it in order."""
    language = next(iter(languages)) if len(languages) == 1 else ""
    return f'<bdi lang="{escape(language)}">{escape(text)}</bdi>' if language else f"<bdi>{escape(text)}</bdi>"


def _what_is_counted(quantity: str) -> str:
    """A time of day or a score is a kind of number, not the words that follow it in a translation."""
    return {TIME: "a time of day", SCORE: "a score"}.get(quantity, f"“{quantity}”")


def _reproducibility(comparison: Comparison) -> str:
    rows = "".join(f'<tr><th scope="row">{escape(name)}</th><td><code>{escape(value)}</code></td></tr>'
                   for name, value in comparison.signature.components.items())
    return ('<section id="reproducibility" aria-labelledby="repro-h"><h2 id="repro-h">Reproducibility</h2>'
            '<p>Every output of this run carries this signature; two runs with the same signature used the same '
            "versions, models, options and corpus.</p>"
            f'<pre class="signature">{escape(str(comparison.signature))}</pre>'
            f'<div class="scroll"><table class="plain repro"><tbody>{rows}</tbody></table></div></section>')


# --- data for the browser-side matrix ---

def _page_data(comparison: Comparison, facts: _Facts, discrepancies: list[Discrepancy], options: Options) -> dict:
    outlet_index = {outlet: index for index, outlet in enumerate(facts.outlets)}
    passage_rows = comparison.passages.select("passage_id", "article_id", "outlet", "language", "text", "text_en",
                                              "engine", "model", "claim_id").to_dicts()
    evidence: dict[str, dict[str, list[tuple[str, float | None, str, str | None]]]] = {}
    for claim_id, outlet, status, score, kind, passage_id in comparison.coverage.select(
            "claim_id", "outlet", "status", "score", "evidence", "passage_id").iter_rows():
        if status in ("included", "partial") and passage_id:
            evidence.setdefault(claim_id, {}).setdefault(outlet, []).append((passage_id, score, status, kind))
    for row in passage_rows:
        if row["claim_id"]:
            found = evidence.setdefault(row["claim_id"], {}).setdefault(row["outlet"], [])
            if all(passage_id != row["passage_id"] for passage_id, *_ in found):
                found.append((row["passage_id"], None, "included", "further"))
    used = {passage_id for outlets in evidence.values() for found in outlets.values()
            for passage_id, *_ in found}
    used |= {reading.passage_id for discrepancy in discrepancies for reading in discrepancy.readings}
    passages, passage_index, loose = [], {}, []
    for row in passage_rows:
        if row["passage_id"] not in used:
            # In no claim (an untranslated outlet's text joins none): the search must still find it.
            loose.append(len(passages))
        passage_index[row["passage_id"]] = len(passages)
        passages.append([outlet_index[row["outlet"]], row["language"], row["text"], row["text_en"],
                         row["engine"], row["model"]]
                        + ([note] if (note := facts.article_note.get(row["article_id"])) else []))
    numbers: dict[str, list] = {}
    for discrepancy in discrepancies:
        numbers.setdefault(discrepancy.claim_id, []).append({
            "q": discrepancy.quantity.strip("()"),  # the page shows it in parentheses: "(score)" read "((score))"
            "r": [[outlet_index[r.outlet], r.value, r.written, r.phrase, passage_index[r.passage_id],
                   " ".join(filter(None, _reading_label(discrepancy, r)))] for r in discrepancy.readings]})
    claims = []
    for claim in facts.claims:
        claim_id = claim["claim_id"]
        coverage = facts.claim_codes(claim_id)
        found = [[outlet_index[outlet], STATUS_CODES[status], score, passage_index[passage_id], kind]
                 for outlet, rows in sorted(evidence.get(claim_id, {}).items())
                 for passage_id, score, status, kind in rows]
        entry = {"id": claim_id, "t": claim["text_en"] or "", "n": claim["n_outlets"], "c": coverage, "e": found}
        if claim_id in numbers:
            entry["d"] = numbers[claim_id]
        claims.append(entry)
    return {
        "pageSize": int(options.report.page_size),
        # "l": the outlet's language, for its name, when all its articles share one.
        "outlets": [{"name": outlet, "lang": facts.language_label(outlet),
                     **({"l": language} if (language := facts.outlet_language(outlet)) else {})}
                    for outlet in facts.outlets],
        "rtl": sorted(RTL_LANGUAGES),
        "claims": claims,
        "passages": passages,
        "loose": loose,
        "advice": dict(facts.translation.advice),  # language ("?" when unknown) → what would get it translated
    }


def _coverage_codes(coverage: pl.DataFrame, outlets: list[str]) -> dict[str, str]:
    """claim_id → one status letter per outlet, in `outlets` order ("U" where coverage has no row)."""
    position = {outlet: index for index, outlet in enumerate(outlets)}
    codes: dict[str, list[str]] = {}
    for claim_id, outlet, status in coverage.select("claim_id", "outlet", "status").iter_rows():
        codes.setdefault(claim_id, ["U"] * len(outlets))[position[outlet]] = STATUS_CODES[status]
    return {claim_id: "".join(letters) for claim_id, letters in codes.items()}


def _direction(language: str | None) -> str:
    return "rtl" if language in RTL_LANGUAGES else "auto"


def _one_spacing(written: str) -> str:
    """One form for "16 700" written with a space or a no-break space, so a reader sees it listed once."""
    return re.sub(r"\s+", "\u00a0", written)


def _reading_label(discrepancy: Discrepancy, reading) -> tuple[str, str | None]:
    """How a reading is listed: its figure, or range ("10–12": 12 alone would hide the outlet's lower bound), and
    its unit when the discrepancy mixes units ("85 mph" against "137 km/h": 85 and 137 alone would seem to
    differ)."""
    shown = _format_clock if discrepancy.quantity == TIME else _format_number
    figure = shown(reading.value)
    if discrepancy.quantity == SCORE:
        figure = f"{figure}–{shown(reading.low)}"  # the winner's first, as "3-1" and "1-3" tell one match: 3–1
    elif reading.low is not None and reading.low != reading.value:
        figure = f"{shown(reading.low)}–{figure}"
    mixed = len({other.unit for other in discrepancy.readings}) > 1
    return figure, unit_name(reading.unit, reading.value) if mixed and reading.unit else None


def _counted(number: int, noun: str) -> str:
    """'no claims', '1 claim', '1,200 claims'."""
    if number == 0:
        return f"no {noun}s"
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _format_number(value: float) -> str:
    return f"{int(value):,}" if value.is_integer() else f"{value:,}"


def _format_clock(value: float) -> str:
    """A time of day, valued hours.minutes (22.3 for 22:30, numbers.TIME), as a clock shows it: '22:30'."""
    hours = int(value)
    return f"{hours}:{round((value - hours) * 100):02d}"


def _template(name: str) -> str:
    return resources.files("comparators").joinpath("templates", name).read_text(encoding="utf-8")
