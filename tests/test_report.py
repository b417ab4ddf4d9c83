"""The report page as HTML: self-contained, escaped, honest about what was not translated."""

import base64
import hashlib
import json
import re
from html import escape, unescape

import polars as pl
import pytest

from comparators.comparison import RunChanges
from comparators.options import load_options
from comparators.report import link_or_text, render_report, script_json
from comparators.translate import untranslated_advice
from tests._report_helpers import (SAMPLE_OUTLETS, Claim, flagged_comparison, large_comparison, make_comparison,
                                   sample_claims, sample_comparison)


def _numbers_section(html: str) -> str:
    """The section with its outlet names out of their <bdi> (test_outlet_names_carry_their_language checks those);
    a form quoted as written keeps its own."""
    section = re.search(r'<section id="numbers".*?</section>', html, re.S).group(0)
    return re.sub(r"(?<!“)<bdi[^>]*>([^<]*)</bdi>", r"\1", section)


def _listed_numbers(html: str) -> set[str]:
    """Every reading's label as the page's script lists it in a claim's evidence."""
    return {reading[5] for claim in _page_data(html)["claims"] for found in claim.get("d", [])
            for reading in found["r"]}


def _page_data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="parallax-data">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_page_is_self_contained_and_only_its_own_script_may_run():
    html = render_report(sample_comparison())
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", html.split("<main>")[0]), "no remote resources"
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert [attributes for attributes, _ in scripts] == [' type="application/json" id="parallax-data"', ""]
    policy = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))
    digest = base64.b64encode(hashlib.sha256(scripts[1][1].encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy and "default-src 'none'" in policy


def test_embedded_json_cannot_close_its_script_element():
    payload = "</script><script>alert(1)</script><!-- \u2028 & \u2029"
    text = script_json({"t": payload})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"t": payload}


def test_only_http_links_become_links():
    assert link_or_text("https://example.test/a?b=1&c=2", "T") == \
        '<a href="https://example.test/a?b=1&amp;c=2" rel="noopener noreferrer nofollow">T</a>'
    for url in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "data:text/html,x",
                "http://x.test/\"onmouseover=alert(1)", "//evil.test/", "vbscript:x"):
        linked = link_or_text(url, "<b>T</b>")
        assert "<a" not in linked or url.startswith("http://x.test"), url
        assert "<b>" not in linked
    assert 'href="http://x.test/&quot;onmouseover=alert(1)"' in link_or_text(
        'http://x.test/"onmouseover=alert(1)', "T")


def test_untranslated_outlets_are_unknown_with_the_command_that_fixes_it():
    html = render_report(sample_comparison())
    assert "parallax models install de-en" in html
    assert "Unknown is not omitted" in html
    data = _page_data(html)
    german = [outlet["name"] for outlet in data["outlets"]].index("Abendpost")
    assert {claim["c"][german] for claim in data["claims"]} == {"U"}
    assert all(data["passages"][entry[3]][3] is not None for claim in data["claims"] for entry in claim["e"]), \
        "evidence only shows translated passages as translated"


def test_summary_counts_signature_and_differing_numbers():
    comparison = sample_comparison()
    html = render_report(comparison)
    assert str(comparison.signature) in html
    summary = re.search(r'<ul class="tiles">(.*?)</ul>', html, re.S).group(1)
    tiles = dict((label, int(value.replace(",", ""))) for value, label in
                 re.findall(r'tile-n">([\d,]+)</span> <span class="tile-l">([^<]+)<', summary))
    assert tiles == {"outlets": 4, "languages": 4, "articles": 4, "passages": 10, "claims": 4,
                     "claims with differing numbers": 1}
    numbers = _numbers_section(html)
    assert re.search(r'class="value">25</span> <span class="outlets">Faro', numbers)
    assert re.search(r'class="value">26</span> <span class="outlets">Courrier, Ledger', numbers)
    assert [claim.get("d", [{}])[0].get("q") for claim in _page_data(html)["claims"]].count("foreign leaders") == 1


def test_a_number_written_with_either_kind_of_space_is_listed_once():
    english = "16,700 people were evacuated."
    claim = Claim(english, {"Ledger": ("17,000 people were evacuated.", "17,000 people were evacuated."),
                            "Courrier": ("16\u00a0700 personnes ont été évacuées.", english),
                            "Matin": ("16 700 personnes ont été évacuées.", english)})
    html = render_report(make_comparison({"Ledger": "en", "Courrier": "fr", "Matin": "fr"}, [claim]))
    numbers = _numbers_section(html)
    assert re.search(r'class="value">16,700</span> <span class="outlets">Courrier, Matin', numbers)
    assert numbers.count('(written “<bdi lang="fr">16\u00a0700</bdi>”)') == 1 and "16 700" not in numbers


def test_where_apertium_is_picked_for_an_untranslated_language_the_advice_names_the_setting_too(options):
    """An Argos model is used only with engine 'auto' or 'argos': advising the install alone would change nothing."""
    forced = options.with_overrides({"translate": {"engines": {"de": "apertium"}}})
    comparison = sample_comparison()
    comparison.translation.advice["de"] = untranslated_advice("de", forced)
    setting = 'set [translate] engines.de = "auto" in your options file, then install a model with: '
    assert any(warning.endswith(f"; {setting}parallax models install de-en") for warning in comparison.warnings())
    html = render_report(comparison)
    command = '<code class="command">parallax models install de-en</code>'
    shown = escape(setting) + command
    notice = re.search(r'<div class="notice".*?</div>', html, re.S).group(0)
    table = re.search(r"<h3>Languages and translation</h3>.*?</table>", html, re.S).group(0)
    card = re.search(r'<details class="outlet-card"[^>]*><summary><strong><bdi lang="de">Abendpost</bdi></strong>.*?</details>',
                     html, re.S).group(0)
    for part in (notice, table, card):
        assert shown in part and part.count(command) == part.count(shown), part
    assert untranslated_advice(None, options) == \
        "declare the articles' language (language in articles.jsonl or manifest.csv)"


def test_outlet_section_names_what_each_leaves_out_and_carries_alone():
    html = render_report(sample_comparison())
    cards = dict(re.findall(r'<details class="outlet-card"[^>]*><summary><strong><bdi[^>]*>([^<]+)</bdi></strong>'
                            r'(.*?)</details>', html, re.S))
    assert "The parade lasted 70 minutes." in cards["Courrier"].split("Only this outlet carries")[0]
    assert "Kim&#x27;s daughter came along." in cards["Faro"].split("Only this outlet carries")[1]
    assert "not translated: coverage unknown" in cards["Abendpost"]
    assert re.search(r"leaves out (no widely carried claims|1 widely carried claim|\d+ widely carried claims);",
                     cards["Faro"]), cards["Faro"]
    assert "claim(s)" not in html
    assert "parallax models install de-en" in cards["Abendpost"]


def test_the_static_claim_list_names_every_outlet_including_partial_ones():
    claims = sample_claims()
    claims[2].partial = {"Courrier": ("Le défilé a duré longtemps.", "The parade lasted long.")}
    html = render_report(make_comparison(SAMPLE_OUTLETS, claims, untranslated=frozenset({"de"})))
    table = re.search(r'<section id="top-claims".*?</section>', html, re.S).group(0)
    heads = re.findall(r"<th[^>]*>([^<]+)</th>", table)
    parade = re.search(r"<tr[^>]*><th[^>]*>The parade lasted 70 minutes\..*?</tr>", table, re.S).group(0)
    cells = dict(zip(heads[2:], [re.sub(r"<[^>]+>", "", cell)
                                 for cell in re.findall(r"<td[^>]*>(.*?)</td>", parade)[1:]]))
    assert cells == {"Included by": "Faro, Ledger", "Partly by": "Courrier", "Omitted by": "",
                     "Unknown for": "Abendpost"}


def test_the_widely_carried_claims_name_the_differing_numbers_flag_in_words():
    # A screen reader read the "#" flag as "number sign".
    html = render_report(sample_comparison())
    table = re.search(r'<table class="plain stacks top-claims".*?</table>', html, re.S).group(0)
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*26 foreign leaders attended\..*?</tr>", table, re.S).group(0)
    spoken = re.sub(r'<span class="num-flag"[^>]*aria-hidden="true">#</span>', "", row)
    assert "#" not in re.sub(r"<[^>]+>", "", spoken) and "(numbers differ)" in spoken


def test_sharing_chart_counts_claims_per_combination():
    html = render_report(make_comparison(SAMPLE_OUTLETS, sample_claims() + [Claim("Again Faro and Ledger.", {
        "Ledger": ("x", "Again Faro and Ledger."), "Faro": ("y", "Again Faro and Ledger.")})]))
    svg = re.search(r"<svg class=\"upset\".*?</svg>", html, re.S).group(0)
    combos = dict((names, int(count)) for count, names in
                  re.findall(r"<title>(\d+) claims? included by exactly: ([^<]+)</title>", svg))
    assert combos == {"Faro, Ledger": 2, "Courrier, Faro, Ledger": 1, "Abendpost, Courrier, Faro, Ledger": 1,
                      "Faro": 1}
    assert "All 4 combinations of outlets that include the same claim." in html


def _chart_as_tables(html: str) -> list[dict[str, int]]:
    """The sharing chart's text alternative: per table, each row's names (as read) → its count."""
    block = re.search(r'<details class="chart-data">.*?</details>', html, re.S).group(0)
    return [{unescape(re.sub(r"<[^>]+>", "", names)): int(count.replace(",", ""))
             for names, count in re.findall(r'<tr><th scope="row">(.*?)</th><td class="num">([\d,]+)</td></tr>', body)}
            for body in re.findall(r"<tbody>(.*?)</tbody>", block, re.S)]


@pytest.mark.parametrize("comparison_of", [sample_comparison, pytest.param(large_comparison, marks=pytest.mark.slow)],
                         ids=["small event", "100 outlets"])
def test_the_sharing_chart_gives_its_numbers_as_text_too(comparison_of):
    # The chart was one picture to a screen reader, its counts per combination in tooltips only a mouse shows.
    comparison = comparison_of()
    html = render_report(comparison)
    svg = re.search(r"<svg class=\"upset\".*?</svg>", html, re.S).group(0)
    drawn = {unescape(names): int(count.replace(",", "")) for count, names in
             re.findall(r"<title>([\d,]+) claims? included by exactly: ([^<]+)</title>", svg)}
    per_outlet = {unescape(name): int(count.replace(",", "")) for name, count in
                  re.findall(r"<title>([^<]+): includes ([\d,]+) claims</title>", svg)}
    combinations, outlets = _chart_as_tables(html)
    assert combinations == drawn and len(drawn) > 1
    assert outlets == {outlet: per_outlet.get(outlet, 0) for outlet in comparison.outlets}


def test_the_sharing_chart_box_takes_the_keyboard_focus_without_javascript():
    # On a phone the chart scrolls sideways in its box; a box that cannot take the focus cannot be scrolled by keys.
    html = render_report(sample_comparison())
    box = re.search(r'<div class="scroll chart-scroll"[^>]*>', html).group(0)
    assert 'tabindex="0"' in box and 'role="region"' in box and "aria-label=" in box


@pytest.mark.parametrize("top, says", [
    (1, "The most common combination of outlets that include the same claim (of 2 combinations)."),
    (5, "The one combination"),
])
def test_the_sharing_chart_counts_its_combinations_in_words_that_fit(top, says):
    claims = [Claim("Both say it.", {"Ledger": ("x", "Both say it."), "Faro": ("y", "Both say it.")})]
    if top == 1:
        claims.append(Claim("Only Faro.", {"Faro": ("z", "Only Faro.")}))
    comparison = make_comparison({"Ledger": "en", "Faro": "es"}, claims)
    options = load_options(None).with_overrides({"report": {"upset_combinations": top}})
    html = render_report(comparison, options=options)
    assert says in html and "(of 1 combinations)" not in html


def test_changes_since_the_previous_run_are_shown_only_when_known():
    comparison = make_comparison(SAMPLE_OUTLETS, sample_claims())
    assert 'id="changes"' not in render_report(comparison)
    new_claim = comparison.claims["claim_id"][0]
    comparison.changes = RunChanges(previous_run_id="20250902T100000Z-abc123", new_outlets=["Courrier"],
                                    new_claims=[new_claim], dropped=[("Faro", "Kim's daughter came along.")])
    section = re.search(r'<section id="changes".*?</section>', render_report(comparison), re.S).group(0)
    assert "20250902T100000Z-abc123" in section and "Courrier" in section
    assert unescape(comparison.claims["text_en"][0]) in unescape(section)
    assert '<strong><bdi lang="es">Faro</bdi></strong> dropped: Kim&#x27;s daughter came along.' in section


def test_an_empty_or_single_outlet_event_still_renders():
    empty = make_comparison({"Ledger": "en"}, [])
    html = render_report(empty)
    assert "nothing to compare" in html and _page_data(html)["claims"] == []
    assert 'id="sharing"' not in html, "no chart without claims"
    lonely = make_comparison({"Ledger": "en"}, [Claim("Alone.", {"Ledger": ("Alone.", "Alone.")})])
    assert _page_data(render_report(lonely))["claims"][0]["c"] == "I"


def test_articles_without_title_url_or_language_are_shown_plainly():
    comparison = make_comparison(SAMPLE_OUTLETS, sample_claims())
    comparison.articles = comparison.articles.with_columns(
        pl.lit(None, pl.String).alias("title"), pl.lit(None, pl.String).alias("url"),
        pl.lit(None, pl.String).alias("language"))
    outlets = re.search(r'<table class="plain stacks outlets"[^>]*>.*?</table>', render_report(comparison), re.S).group(0)
    assert outlets.count("(no title)") == 4 and "<a " not in outlets


def test_numbers_that_differ_in_different_units_name_their_units():
    # "85" against "160" said nothing of mph against km/h: the two looked like the same unit.
    claim = Claim("Rosa had winds of 85 mph.", {
        "Ledger": ("Rosa had winds of 85 mph.", "Rosa had winds of 85 mph."),
        "Faro": ("Rosa tuvo vientos de 160 km/h.", "Rosa had winds of 160 km/h.")})
    html = render_report(make_comparison({"Ledger": "en", "Faro": "es"}, [claim]))
    numbers = _numbers_section(html)
    assert re.search(r'class="value">85 <span class="unit">mph</span></span> <span class="outlets">Ledger',
                     numbers)
    assert re.search(r'class="value">160 <span class="unit">km/h</span></span> <span class="outlets">Faro',
                     numbers)


def test_units_are_listed_as_a_news_reader_writes_them():
    # "30 yard" and "1 metre" were listed as stored: a unit's identifier, singular whatever the figure.
    claim = Claim("The shot was from 30 yards.", {
        "Ledger": ("The shot was from 30 yards.", "The shot was from 30 yards."),
        "Faro": ("El disparo fue desde 1 metro.", "The shot was from 1 metre.")})
    html = render_report(make_comparison({"Ledger": "en", "Faro": "es"}, [claim]))
    numbers = _numbers_section(html)
    assert re.search(r'class="value">30 <span class="unit">yards</span></span> <span class="outlets">Ledger',
                     numbers)
    assert re.search(r'class="value">1 <span class="unit">metre</span></span> <span class="outlets">Faro', numbers)
    listed = _listed_numbers(html)
    assert listed == {"30 yards", "1 metre"}


def test_times_of_day_that_differ_are_listed_as_a_clock_shows_them():
    # 22:30 was listed as "22.3", and 10:05 as "10.05".
    claim = Claim("The parade began at 10:05 in Beijing.", {
        "Ledger": ("The parade began at 10:05 in Beijing.", "The parade began at 10:05 in Beijing."),
        "Faro": ("El desfile comenzó a las 22.30 en Pekín.", "The parade began to the 22.30 in Beijing.")})
    html = render_report(make_comparison({"Ledger": "en", "Faro": "es"}, [claim]))
    numbers = _numbers_section(html)
    assert re.search(r'class="value">10:05</span> <span class="outlets">Ledger', numbers)
    assert re.search(r'class="value">22:30</span> <span class="outlets">Faro', numbers)
    listed = _listed_numbers(html)
    assert listed == {"10:05", "22:30"}


def test_times_of_day_in_different_zones_are_listed_with_their_zones():
    # A zone was read as nothing: "12:55 ET" and "12:55 CET" would both be listed as a bare "12:55".
    claim = Claim("The rocket lifted off at 12:55 p.m. ET.", {
        "Ledger": ("It lifted off at 12:55 p.m. ET.", "It lifted off at 12:55 p.m. ET."),
        "Faro": ("Despegó a las 12:55 CET.", "It lifted off at 12:55 CET.")})
    html = render_report(make_comparison({"Ledger": "en", "Faro": "es"}, [claim]))
    numbers = _numbers_section(html)
    assert re.search(r'class="value">12:55 <span class="unit">ET</span></span> <span class="outlets">Ledger', numbers)
    assert re.search(r'class="value">12:55 <span class="unit">CET</span></span> <span class="outlets">Faro', numbers)


def test_scores_that_differ_are_listed_as_scores():
    # A score was read as its second number, or a range: "Chelsea 1-3 Liverpool" would have been listed as "1–3".
    claim = Claim("Liverpool won 3-1 at Chelsea.", {
        "Ledger": ("Chelsea 1-3 Liverpool", "Chelsea 1-3 Liverpool"),
        "Faro": ("El Liverpool ganó 2 a 2.", "The Liverpool won 2 to 2.")})
    html = render_report(make_comparison({"Ledger": "en", "Faro": "es"}, [claim]))
    numbers = _numbers_section(html)
    assert re.search(r'class="value">3–1</span> <span class="outlets">Ledger <span class="muted">'
                     r'\(written “<bdi lang="en">1-3</bdi>”\)', numbers)
    assert re.search(r'class="value">2–2</span> <span class="outlets">Faro '
                     r'<span class="muted">\(written “<bdi lang="es">2\u00a0a\u00a02</bdi>”\)', numbers)
    listed = _listed_numbers(html)
    assert listed == {"3–1", "2–2"}


def test_a_range_that_differs_is_listed_as_the_range():
    # "Between 10 and 12" was listed as 12, as if the outlet gave one figure.
    claim = Claim("Between 10 and 12 people died.", {
        "Ledger": ("Between 10 and 12 people died.", "Between 10 and 12 people died."),
        "Faro": ("Murieron 15 personas.", "15 people died.")})
    numbers = _numbers_section(render_report(make_comparison({"Ledger": "en", "Faro": "es"}, [claim])))
    assert re.search(r'class="value">10–12</span> <span class="outlets">Ledger', numbers)
    assert re.search(r'class="value">15</span> <span class="outlets">Faro</span></li>', numbers)


def test_a_number_is_said_written_only_as_the_original_writes_it():
    # "2800 billones" was listed as written "2800 trillion": Apertium's English shown as what the outlet wrote.
    claim = Claim("The debt is 2,700 trillion pesos.", {
        "Ledger": ("The debt is 2,700 trillion pesos.", "The debt is 2,700 trillion pesos."),
        "Faro": ("La deuda es de 2800 billones de pesos.", "The debt is of 2800 trillion pesos."),
        "Gazeta": ("La deuda es de entre 2600 y 2650 billones de pesos.",
                   "The debt is of between 2600 and 2650 trillion pesos.")})
    html = render_report(make_comparison({"Ledger": "en", "Faro": "es", "Gazeta": "es"}, [claim]))
    numbers = _numbers_section(html)
    assert re.search(r'"outlets">Faro <span class="muted">\(written “<bdi lang="es">2800\u00a0billones</bdi>”\)'
                     r'</span></span></li>', numbers)
    assert "2800\u00a0trillion" not in numbers
    assert re.search(r'"outlets">Gazeta</span></li>', numbers), "a range not in the original is listed with no written form"


def test_a_written_form_is_noted_beside_the_outlets_that_wrote_it():
    # "3–1 Ledger, Faro (written “3 a 1”)" said Ledger wrote "3 a 1" too; and "10-6" was noted beside "10–6".
    claim = Claim("Liverpool won 3-1 at Chelsea.", {
        "Ledger": ("Liverpool won 3-1 at Chelsea.", "Liverpool won 3-1 at Chelsea."),
        "Faro": ("El Liverpool ganó 3 a 1 en Chelsea.", "The Liverpool won 3 to 1 in Chelsea."),
        "Gazeta": ("El Liverpool ganó 2 a 2 en Chelsea.", "The Liverpool won 2 to 2 in Chelsea.")})
    html = render_report(make_comparison({"Ledger": "en", "Faro": "es", "Gazeta": "es"}, [claim]))
    numbers = _numbers_section(html)
    assert re.search(r'class="value">3–1</span> <span class="outlets">Ledger; Faro '
                     r'<span class="muted">\(written “<bdi lang="es">3\u00a0a\u00a01</bdi>”\)</span></span></li>',
                     numbers)
    assert ">3-1</bdi>" not in numbers


def test_a_number_as_written_is_quoted_in_its_language():
    # "(written “2800 billones”)" was read by an English voice, and Chinese or Arabic digits took the page's
    # fonts and direction.
    claim = Claim("The debt is 2,700 trillion pesos.", {
        "Ledger": ("The debt is 2,700 trillion pesos.", "The debt is 2,700 trillion pesos."),
        "Faro": ("La deuda es de 2800 billones de pesos.", "The debt is of 2800 trillion pesos."),
        "Sahifa": ("الدين ٢٦٠٠ تريليون بيزو.", "The debt is 2600 trillion pesos.")})
    numbers = _numbers_section(render_report(make_comparison({"Ledger": "en", "Faro": "es", "Sahifa": "ar"},
                                                             [claim])))
    assert '(written “<bdi lang="es">2800\u00a0billones</bdi>”)' in numbers
    assert '(written “<bdi lang="ar">٢٦٠٠\u00a0تريليون</bdi>”)' in numbers


def test_a_score_or_a_time_is_counted_as_one_not_as_words_in_parentheses():
    # "What is counted: “(score)”" on the page and "Numbers differ ((score)):" in the evidence.
    claim = Claim("Liverpool won 3-1 at Chelsea.", {
        "Ledger": ("Liverpool won 3-1 at Chelsea.", "Liverpool won 3-1 at Chelsea."),
        "Faro": ("El Liverpool ganó 2 a 2 en Chelsea.", "The Liverpool won 2 to 2 in Chelsea.")})
    html = render_report(make_comparison({"Ledger": "en", "Faro": "es"}, [claim]))
    numbers = _numbers_section(html)
    assert "What is counted: a score</p>" in numbers
    assert [found["q"] for claim in _page_data(html)["claims"] for found in claim.get("d", [])] == ["score"]


def test_numbers_a_translation_gives_in_words_are_noted_alike_whatever_the_language():
    # Courrier's "six" was listed "(written “six”)", Faro's "cinco" (Apertium's "five") with no note: the English
    # word happened to be spelt as the French one.
    claim = Claim("Four people died.", {
        "Ledger": ("4 people died.", "4 people died."),
        "Courrier": ("Six personnes sont mortes.", "Six people died."),
        "Faro": ("Murieron cinco personas.", "Five people died.")})
    numbers = _numbers_section(render_report(make_comparison({"Ledger": "en", "Courrier": "fr", "Faro": "es"},
                                                             [claim])))
    assert re.search(r'class="value">6</span> <span class="outlets">Courrier</span></li>', numbers)
    assert re.search(r'class="value">5</span> <span class="outlets">Faro</span></li>', numbers)
    assert "written" not in numbers


def test_an_article_removed_from_its_address_or_edited_since_is_said_so_where_its_claims_are_shown():
    html = render_report(flagged_comparison())

    removed, edited = ("removed from its address on 2025-09-06; shown as collected",
                       "edited since first collected on 2025-09-03; shown as last collected, version 3")
    cards = dict(re.findall(r'<details class="outlet-card"[^>]*><summary><strong><bdi[^>]*>([^<]+)</bdi></strong>'
                            r'(.*?)</details>', html, re.S))
    assert "; 1 article removed</span></summary>" in cards["Faro"], "said on a closed card too"
    assert re.search(rf'<p class="article-flag" role="note">Its article “<span lang="es"[^>]*>Faro on the event'
                     rf"</span>” was {removed}.</p>", cards["Faro"])
    assert "; 1 article edited</span></summary>" in cards["Courrier"] and f"was {edited}." in cards["Courrier"]
    assert "article-flag" not in cards["Ledger"] + cards["Abendpost"]
    outlets = re.search(r'<table class="plain stacks outlets".*?</table>', html, re.S).group(0)
    assert outlets.count(f'<span class="article-flag">({removed})</span>') == 1
    assert outlets.count(f'<span class="article-flag">({edited})</span>') == 1
    data = _page_data(html)
    faro, courrier = (data["outlets"].index(next(o for o in data["outlets"] if o["name"] == name))
                      for name in ("Faro", "Courrier"))
    notes = {passage[0]: passage[6:] for passage in data["passages"]}
    assert notes[faro] == [removed] and notes[courrier] == [edited]
    assert all(len(passage) == 6 for passage in data["passages"] if passage[0] not in (faro, courrier))


def test_a_run_whose_articles_say_nothing_of_their_collection_flags_no_article():
    comparison = sample_comparison()
    comparison.articles = comparison.articles.drop("removed_on", "first_collected_at", "n_earlier_versions")
    assert 'class="article-flag' not in render_report(comparison)
