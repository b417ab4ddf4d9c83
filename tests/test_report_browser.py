"""The report in a real browser: Debian's Chromium, headless, driven by Playwright.

One browser for the whole session; every test gets a fresh page that fails the test on any console error or
uncaught exception. Screenshots go to test-artifacts/report/ for a person to look at."""

import base64
import json
import re
from pathlib import Path

import polars as pl
import pytest
from playwright.sync_api import expect, sync_playwright

from comparators.output import write_output
from comparators.report import render_report
from comparators.signature import Signature
from comparators.translate import untranslated_advice
from tests._report_helpers import (SAMPLE_OUTLETS, Claim, flagged_comparison, large_comparison, make_comparison,
                                   sample_claims, sample_comparison)
from tests.engine_run import compare_without_prefect

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "corpora" / "beijing-parade-2025"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts" / "report"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium fonts-noto-cjk)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Page:
    """A page that records console errors, uncaught exceptions and dialogs."""

    def __init__(self, page):
        self.page, self.errors, self.dialogs = page, [], []
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))

    def open(self, comparison, folder: Path, *, timeout: float = 15_000):
        path = folder / "report.html"
        path.write_text(render_report(comparison), encoding="utf-8")
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("#matrix-table tbody tr", timeout=timeout)
        return self.page

    def shot(self, name: str, selector: str | None = None):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        target = self.page.locator(selector) if selector else self.page
        options = {} if selector else {"full_page": True}
        target.screenshot(path=str(ARTIFACTS / f"{name}.png"), **options)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    recorder = Page(context.new_page())
    yield recorder
    context.close()
    assert recorder.errors == [], f"console errors: {recorder.errors}"
    assert recorder.dialogs == [], f"dialogs opened: {recorder.dialogs}"


def _rows(page) -> list[str]:
    return page.locator("#matrix-table tbody tr:not(.evidence-row) .claim-text").all_inner_texts()


def test_matrix_renders_filters_sorts_and_opens_evidence(page, tmp_path):
    comparison = sample_comparison()
    view = page.open(comparison, tmp_path)
    assert _rows(view) == comparison.claims["text_en"].to_list()
    header = view.locator("#matrix-table thead th.outlet-col").all_inner_texts()
    assert header == ["Abendpost", "Courrier", "Faro", "Ledger"]
    train = view.locator("#matrix-table tbody tr", has_text="armoured train").locator("td.cell").all_inner_texts()
    assert train == ["?", "✓", "✓", "✓"]

    view.select_option("#f-outlet", label="Courrier")
    view.select_option("#f-status", value="O")
    assert sorted(_rows(view)) == ["Kim's daughter came along.", "The parade lasted 70 minutes."]
    view.click("#f-reset")
    view.fill("#f-text", "blindé")  # words of an original passage find its claim
    expect(view.locator("#matrix-table tbody tr")).to_have_count(1)
    assert _rows(view) == ["Kim travelled by armoured train."]
    view.click("#f-reset")
    view.check("#f-numbers")
    assert _rows(view) == ["26 foreign leaders attended."]
    view.click("#f-reset")

    view.click("#matrix-table thead button[data-outlet='1']")  # Courrier's status, included first
    assert sorted(_rows(view)[:2]) == ["26 foreign leaders attended.", "Kim travelled by armoured train."]
    view.click("#matrix-table thead button[data-sort='text']")
    assert _rows(view) == sorted(_rows(view))

    view.click("text=26 foreign leaders attended.")
    evidence = view.locator(".evidence")
    evidence.wait_for()
    assert view.locator("button.claim-toggle[aria-expanded=true]").count() == 1
    faro = evidence.locator(".evidence-item", has_text="Faro")
    assert faro.locator(".original .passage").inner_text() == "Asistieron 25 líderes extranjeros."
    assert faro.locator(".original .passage").get_attribute("lang") == "es"
    assert faro.locator(".english .passage").inner_text() == "25 foreign leaders attended."
    assert "text matches, 100.0 points above unrelated passages" in faro.inner_text() and "apertium" in faro.inner_text()
    assert evidence.locator(".numbers-differ").inner_text().count("Ledger") == 1
    assert "Abendpost (de): not translated" in evidence.inner_text()
    page.shot("evidence-small", ".matrix-wrap")


def test_a_claim_opens_with_enter_and_escape_closes_it(page, tmp_path):
    # Escape did nothing: a keyboard reader had to find the claim again to close its evidence.
    view = page.open(sample_comparison(), tmp_path)
    toggle = view.locator("button.claim-toggle").first
    toggle.focus()
    view.keyboard.press("Enter")
    expect(view.locator(".evidence")).to_have_count(1)
    view.keyboard.press("Escape")
    expect(view.locator(".evidence")).to_have_count(0)
    assert toggle.get_attribute("aria-expanded") == "false"
    assert toggle.evaluate("button => button === document.activeElement")


def test_each_evidence_says_what_supports_it(page, tmp_path):
    claims = sample_claims()
    claims[2].partial = {"Courrier": ("Le défilé de 70 minutes a suivi le discours.", "The parade followed.")}
    comparison = make_comparison(SAMPLE_OUTLETS, claims, untranslated=frozenset({"de"}))
    courrier_partial = (pl.col("outlet") == "Courrier") & (pl.col("status") == "partial")
    comparison.coverage = comparison.coverage.with_columns(
        pl.when(courrier_partial).then(pl.lit("piece")).when(pl.col("status") == "included").then(pl.lit("text"))
        .alias("evidence"),
        pl.when(courrier_partial).then(None).otherwise(pl.col("score")).alias("score"))
    view = page.open(comparison, tmp_path)
    view.locator("button.claim-toggle", has_text="70 minutes").click()
    courrier = view.locator(".evidence-item", has_text="Courrier").locator("header").inner_text()
    assert "partial" in courrier and "tells the whole sentence this claim is a piece of" in courrier
    assert "only outlet" not in courrier
    assert "text matches, 100.0 points above unrelated passages" in view.locator(".evidence-item", has_text="Ledger").locator("header").inner_text()
    view.locator("button.claim-toggle", has_text="daughter").click()
    alone = view.locator(".evidence", has_text="daughter").locator(".evidence-item header").inner_text()
    assert "no other translated passage to match" in alone


def test_evidence_from_an_article_removed_or_edited_since_says_so_above_its_passage(page, tmp_path):
    view = page.open(flagged_comparison(), tmp_path)
    view.locator("button.claim-toggle", has_text="armoured train").click()
    evidence = view.locator(".evidence", has_text="armoured train")
    faro = evidence.locator(".evidence-item", has_text="Faro").get_by_role("note")
    expect(faro).to_have_text("Article removed from its address on 2025-09-06; shown as collected")
    courrier = evidence.locator(".evidence-item", has_text="Courrier").get_by_role("note")
    expect(courrier).to_have_text("Article edited since first collected on 2025-09-03; shown as last collected, "
                                  "version 3")
    expect(evidence.locator(".evidence-item", has_text="Ledger").get_by_role("note")).to_have_count(0)
    page.shot("evidence-removed-and-edited", ".evidence")


def test_differing_numbers_are_marked_where_they_stand_not_inside_a_year(page, tmp_path):
    claim = Claim("In 2019, 20 people died and 140 were rescued.", {
        "Ledger": ("In 2019, 20 people died and 140 were rescued.", "In 2019, 20 people died and 140 were rescued."),
        "Faro": ("En 2019, murieron 19 personas y 150 fueron rescatadas.",
                 "In 2019, 19 people died and 150 were rescued."),
    })
    view = page.open(make_comparison({"Ledger": "en", "Faro": "es"}, [claim]), tmp_path)
    view.click("button.claim-toggle")
    faro = view.locator(".evidence-item", has_text="Faro")
    original = faro.locator(".original .passage")
    assert original.locator("mark").all_inner_texts() == ["19", "150"]
    assert original.evaluate("p => p.firstChild.textContent") == "En 2019, murieron "
    assert faro.locator(".english .passage mark").all_inner_texts() == ["19 people died", "150 were rescued"]
    ledger = view.locator(".evidence-item", has_text="Ledger").locator(".original .passage")
    assert ledger.locator("mark").all_inner_texts() == ["20", "140"]
    assert ledger.evaluate("p => p.firstChild.textContent") == "In 2019, "


def test_differing_numbers_in_the_evidence_name_their_units_and_ranges(page, tmp_path):
    # The evidence listed "85 — Ledger, 137 — Gazeta, 160 — Faro": 85 mph and 137 km/h, which agree, read as
    # differing, and "between 10 and 12" read as 12.
    wind = Claim("Rosa had winds of 85 mph.", {
        "Ledger": ("Rosa had winds of 85 mph.", "Rosa had winds of 85 mph."),
        "Gazeta": ("Rosa tuvo vientos de 137 km/h.", "Rosa had winds of 137 km/h."),
        "Faro": ("Rosa tuvo vientos de 160 km/h.", "Rosa had winds of 160 km/h.")})
    dead = Claim("Between 10 and 12 people died.", {
        "Ledger": ("Between 10 and 12 people died.", "Between 10 and 12 people died."),
        "Faro": ("Murieron 15 personas.", "15 people died.")})
    view = page.open(make_comparison({"Ledger": "en", "Gazeta": "es", "Faro": "es"}, [wind, dead]), tmp_path)
    view.locator("button.claim-toggle", has_text="Rosa").click()
    listed = view.locator(".evidence", has_text="Rosa").locator(".numbers-differ li").all_inner_texts()
    assert sorted(listed) == ["137 km/h — Gazeta", "160 km/h — Faro", "85 mph — Ledger"]
    view.locator("button.claim-toggle", has_text="Between").click()
    listed = view.locator(".evidence", has_text="Between").locator(".numbers-differ li").all_inner_texts()
    assert sorted(listed) == ["10–12 — Ledger", "15 — Faro"]


def test_a_differing_number_with_a_scale_word_is_marked_in_the_original_too(page, tmp_path):
    # Read as "1,5 million", the Spanish "1,5 millones" was marked in the English only, then by its figure alone.
    claim = Claim("The deal was worth 2 million euros.", {
        "Ledger": ("The deal was worth 2 million euros.", "The deal was worth 2 million euros."),
        "Faro": ("El acuerdo valía 1,5 millones de euros.", "The agreement was worth 1,5 million euros.")})
    view = page.open(make_comparison({"Ledger": "en", "Faro": "es"}, [claim]), tmp_path)
    view.click("button.claim-toggle")
    assert view.locator(".evidence-item", has_text="Faro").locator(".original .passage mark").all_inner_texts() \
        == ["1,5 millones"]


def test_a_search_with_plain_spaces_finds_numbers_written_with_no_break_spaces(page, tmp_path):
    claim = Claim("17,000 people were evacuated.", {
        "Courrier": ("17\u00a0000 personnes ont été évacuées.", "17,000 people were evacuated."),
        "Ledger": ("17,000 people were evacuated.", "17,000 people were evacuated.")})
    other = Claim("The airport reopened.", {"Ledger": ("The airport reopened.", "The airport reopened.")})
    view = page.open(make_comparison({"Ledger": "en", "Courrier": "fr"}, [claim, other]), tmp_path)
    view.fill("#f-text", "17 000 personnes")
    expect(view.locator("#matrix-count")).to_contain_text("of 1 matching")
    assert _rows(view) == ["17,000 people were evacuated."]


def test_the_search_finds_an_untranslated_passage_that_is_in_no_claim(page, tmp_path):
    view = page.open(sample_comparison(), tmp_path)  # Abendpost (de) is untranslated: its passages join no claim
    found = view.locator("#loose-passages")
    assert not found.is_visible()
    view.fill("#f-text", "panzerzug")
    expect(found).to_be_visible()
    assert "1 passage(s) in no claim match" in view.locator("#matrix-count").inner_text()
    expect(view.locator("#matrix-table")).to_be_hidden()  # no claim matches: no empty head of outlets above
    item = found.locator(".evidence-item")
    assert item.count() == 1 and "Abendpost" in item.locator("header").inner_text()
    original = item.locator(".original .passage")
    assert original.inner_text() == "Kim reiste im Panzerzug." and original.get_attribute("lang") == "de"
    assert "Not translated: install a model with: parallax models install de-en" in item.inner_text()
    assert found.inner_text().endswith("parallax models install de-en")
    view.select_option("#f-outlet", label="Faro")  # another outlet chosen: not its passage
    expect(found).to_be_hidden()
    view.click("#f-reset")
    view.fill("#f-text", "blindé")  # found in a claim's passage only
    expect(view.locator("#matrix-count")).to_contain_text("of 1 matching")
    assert not found.is_visible() and view.locator("#matrix-table").is_visible()
    page.shot("search-untranslated", "#matrix")


# Eight outlets as a real corpus names them, one name longer than a column head shows, with articles titled as
# news sites title them.
PHONE_OUTLETS = {"Diario del Green": "es", "El Forat Català": "ca", "Folha do Golfe": "pt",
                 "La Gazzetta della Buca e del Green": "it", "Le Parcours": "fr", "O Xornal Galego": "gl",
                 "Rheinischer Sportbote": "de", "The Fairway Courier": "en"}


def _phone_comparison():
    names = list(PHONE_OUTLETS)
    claims = [Claim(f"Claim {number}: Europe took a 10-6 lead into the final day of the Ryder Cup at Bethpage.",
                    {outlet: (f"[{PHONE_OUTLETS[outlet]}] claim {number}", f"Claim {number}.")
                     for outlet in names[number % 3:]}) for number in range(5)]
    titles = {outlet: "L’Europa con un vantaggio di 10-6 nella giornata finale della Ryder Cup" for outlet in names}
    return make_comparison(PHONE_OUTLETS, claims, untranslated=frozenset({"de"}), titles=titles)


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    recorder = Page(context.new_page())
    yield recorder
    context.close()
    assert recorder.errors == [], f"console errors: {recorder.errors}"


def test_on_a_phone_the_outlet_counts_titles_and_most_outlets_of_the_matrix_fit_the_screen(phone, tmp_path):
    # At 390 px the outlet table's counts were off the screen with no sign that it scrolled, its titles broke after
    # every word or two, and the matrix showed 3 of 8 outlets beside the claims.
    view = phone.open(_phone_comparison(), tmp_path)
    width = view.evaluate("document.documentElement.clientWidth")
    assert view.evaluate("document.documentElement.scrollWidth") <= width
    counts = view.locator("table.outlets td.num").evaluate_all(
        "cells => cells.map(cell => [cell.getBoundingClientRect().left, cell.getBoundingClientRect().right])")
    assert len(counts) == 6 * len(PHONE_OUTLETS)
    assert all(0 <= left and right <= width for left, right in counts), counts
    labels = view.locator("table.outlets tbody tr").first.locator("td.num").evaluate_all(
        "cells => cells.map(cell => getComputedStyle(cell, '::before').content)")
    assert labels == ['"Passages"', '"✓ included"', '"≈ partial"', '"✗ omitted"', '"? unknown"', '"Only it"']
    titles = view.locator("table.outlets td.o-titles").evaluate_all(
        "cells => cells.map(cell => cell.getBoundingClientRect().width)")
    assert min(titles) >= 0.9 * (width - 24), f"article titles squeezed into {min(titles)} px"
    row = view.locator("#matrix-table tbody tr").first
    beside, claim_width = row.evaluate("""row => {
        const screen = document.documentElement.clientWidth;
        const claim = row.querySelector('th.claim-col').getBoundingClientRect();
        return [[...row.querySelectorAll('td.cell')].filter(cell => {
            const box = cell.getBoundingClientRect();
            return box.left >= claim.right && box.right <= screen;
        }).length, claim.width];
    }""")
    phone.shot("phone-summary-and-matrix")
    assert beside >= 6, f"only {beside} outlet columns beside the claims before scrolling sideways"
    assert claim_width >= 160, "the claim text needs room to be read"
    assert row.locator("td.n-col").inner_text() == "7"

    view.set_viewport_size({"width": 1366, "height": 768})  # a desktop keeps the table and the "7/8" counts
    assert view.locator("table.outlets thead").is_visible()
    assert view.locator("table.outlets tbody tr").first.bounding_box()["height"] < 80
    assert view.locator("#matrix-table tbody td.n-col").first.inner_text() == "7/8"


def test_on_a_phone_a_cut_outlet_name_is_shown_whole_on_focus_and_tap(phone, tmp_path):
    view = phone.open(_phone_comparison(), tmp_path)
    long_name = "La Gazzetta della Buca e del Green"
    head = view.locator("#matrix-table thead button[data-outlet='3']")
    assert head.evaluate("button => button.scrollHeight > button.clientHeight"), "the name no longer needs cutting"
    note = view.locator("#matrix-column")
    expect(note).to_be_hidden()
    head.focus()
    expect(note).to_have_text(f"{long_name} (it): sort by its status.")
    box = note.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    head.tap()
    expect(note).to_have_text(f"Sorted by the status at {long_name} (it), ✓ included first.")
    assert long_name in head.get_attribute("aria-label")
    view.locator("#matrix-table thead button[data-sort='n']").tap()
    expect(note).to_be_hidden()


def test_on_a_phone_the_heads_of_the_matrix_leave_room_for_the_claims(phone, tmp_path):
    # The turned outlet names, pinned above the claims, were 178 px tall: a fifth of the screen.
    view = phone.open(_phone_comparison(), tmp_path)
    view.locator("#matrix-table").evaluate("table => table.parentElement.scrollIntoView()")
    head, rows = view.locator("#matrix-table").evaluate("""table => {
        const head = table.tHead.getBoundingClientRect(), wrap = table.parentElement.getBoundingClientRect();
        const bottom = Math.min(wrap.bottom, window.innerHeight);
        return [head.height, [...table.tBodies[0].rows].filter(row => {
            const box = row.getBoundingClientRect();
            return box.top >= head.bottom - 1 && box.bottom <= bottom;
        }).length];
    }""")
    assert head <= 120, f"the column heads are {head} px tall"
    assert rows >= 4, f"{rows} claim rows in view below the heads"


def test_at_320_px_the_filters_fit_the_screen(phone, tmp_path):
    # A small phone, or a desktop zoomed to 400 %: the 16rem search box and the outlet list (as wide as its
    # longest name) ran off the screen, and the whole page scrolled sideways.
    view = phone.open(_phone_comparison(), tmp_path)
    view.set_viewport_size({"width": 320, "height": 640})
    width = view.evaluate("document.documentElement.clientWidth")
    assert view.evaluate("document.documentElement.scrollWidth") <= width
    controls = view.locator(".controls input, .controls select, .controls button").evaluate_all(
        "nodes => nodes.map(node => [node.id, node.getBoundingClientRect().right])")
    assert [right for _, right in controls if right > width] == [], controls


def _stacked_tables_phone(browser, tmp_path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, java_script_enabled=False)
    view = context.new_page()
    path = tmp_path / "report.html"
    path.write_text(render_report(_phone_comparison()), "utf-8")
    view.goto(path.as_uri())
    return context, view


def test_on_a_phone_the_translation_and_widely_carried_claims_tables_fit_the_screen(browser, tmp_path):
    # Both scrolled sideways with no sign of it: the engines, models and the omitting outlets were off the screen.
    context, view = _stacked_tables_phone(browser, tmp_path)
    outside = view.locator("table.translation td, table.top-claims th, table.top-claims td").evaluate_all(
        "cells => cells.filter(cell => { const box = cell.getBoundingClientRect();"
        " return box.width > 0 && (box.left < 0 || box.right > document.documentElement.clientWidth); })"
        ".map(cell => cell.textContent)")
    labels = view.locator("table.translation tbody tr").first.locator("[data-label]").evaluate_all(
        "cells => cells.map(cell => getComputedStyle(cell, '::before').content)")
    context.close()
    assert outside == []
    assert labels == ['"Language"', '"Passages"', '"Engine"', '"Model"']


def test_on_a_phone_the_chart_and_signature_stay_within_the_screen_and_a_claim_is_cut_to_four_lines(phone, tmp_path):
    # At 390 px the sharing chart (766 px) and the reproducibility table (539 px) ran off the screen with no cue
    # that they scrolled, and a claim's text ran to some 8 lines, so 2 or 3 claims filled the screen.
    comparison = _phone_comparison()
    comparison.signature = Signature({**comparison.signature.components,
                                      "align": "rapidfuzz-3.14.6+text5+floor=6+match=15+join=10+partial=6+anchors=10"})
    view = phone.open(comparison, tmp_path)
    width = view.evaluate("innerWidth")
    assert view.evaluate("document.documentElement.scrollWidth") <= width
    boxes = view.evaluate("""() => ['#sharing .chart-scroll', '#reproducibility table', '#reproducibility code']
        .map(selector => [...document.querySelectorAll(selector)].map(element => {
            const box = element.getBoundingClientRect(); return [selector, box.left, box.right]; })).flat()""")
    assert [box for box in boxes if box[1] < 0 or box[2] > width] == [], boxes
    chart = view.locator("#sharing .chart-scroll")
    label = view.locator("svg.upset text.label").first
    assert label.evaluate("text => text.getBoundingClientRect().height") >= 11, "the chart was shrunk illegibly"
    assert chart.evaluate("box => box.scrollWidth > box.clientWidth")
    expect(view.locator("#sharing .scroll-cue")).to_be_visible()
    claim = view.locator("#matrix-table tbody .claim-text").first
    line = claim.evaluate("text => parseFloat(getComputedStyle(text).lineHeight)")
    assert claim.evaluate("text => text.scrollHeight") > 4.5 * line, "the claim no longer needs cutting"
    assert claim.bounding_box()["height"] <= 4 * line + 1
    toggle = view.locator("#matrix-table tbody button.claim-toggle").first
    toggle.focus()
    assert claim.bounding_box()["height"] > 4.5 * line, "a focused claim is shown whole"
    toggle.tap()
    expect(view.locator(".evidence")).to_be_visible()
    view.locator("#f-text").focus()
    assert claim.bounding_box()["height"] > 4.5 * line, "an opened claim is shown whole"

    view.set_viewport_size({"width": 1366, "height": 768})  # a desktop has no cue; the chart fits beside the text
    expect(view.locator("#sharing .scroll-cue")).to_be_hidden()


def test_on_a_phone_the_keyboard_reaches_and_scrolls_the_sharing_chart(phone, tmp_path):
    # The chart scrolled sideways in a box no key could reach: on a phone a keyboard reader saw a third of it.
    view = phone.open(_phone_comparison(), tmp_path)
    chart = view.locator("#sharing .chart-scroll")
    assert chart.evaluate("box => box.scrollWidth > box.clientWidth"), "the chart no longer needs scrolling"
    view.locator("#matrix-table tbody button.claim-toggle").last.focus()
    for _ in range(40):
        view.keyboard.press("Tab")
        if view.evaluate("document.activeElement.classList.contains('chart-scroll')"):
            break
    else:
        pytest.fail("Tab never reached the sharing chart")
    view.keyboard.press("ArrowRight")
    view.wait_for_function("() => document.querySelector('.chart-scroll').scrollLeft > 0")
    # Chromium lets the keyboard into any scrolling box; Safari only into one that says it takes the focus.
    assert chart.get_attribute("tabindex") == "0"

    view.set_viewport_size({"width": 1366, "height": 768})  # the chart fits: no Tab stop that scrolls nothing
    # The page hears of the new width in a resize event that may come after set_viewport_size returns.
    view.wait_for_function("() => !document.querySelector('#sharing .chart-scroll').hasAttribute('tabindex')", timeout=5000)


def test_printed_on_narrow_paper_the_summary_tables_stay_tables(browser, tmp_path):
    context, view = _stacked_tables_phone(browser, tmp_path)
    view.emulate_media(media="print")
    shown = view.locator("table.stacks tbody tr").evaluate_all("rows => rows.map(row => getComputedStyle(row).display)")
    context.close()
    assert set(shown) == {"table-row"}


def test_the_first_tab_reaches_a_skip_link_that_moves_the_focus_to_the_first_claim(phone, tmp_path):
    # It took some 27 presses of Tab, through every filter and column head, to reach the first claim.
    view = phone.open(_phone_comparison(), tmp_path)
    skip = view.locator("a.skip-link")
    assert skip.bounding_box()["y"] + skip.bounding_box()["height"] <= 0, "out of sight until focused"
    view.keyboard.press("Tab")
    assert view.evaluate("document.activeElement.className") == "skip-link"
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["x"] + box["width"] <= 390
    view.keyboard.press("Enter")
    focused = view.evaluate("document.activeElement.closest('tr') && document.activeElement.closest('tr')"
                            ".querySelector('.claim-text').textContent")
    assert focused == _rows(view)[0]
    view.keyboard.press("Enter")
    expect(view.locator(".evidence")).to_be_visible()


def test_paging_to_the_last_or_first_page_by_keyboard_keeps_the_focus_in_the_pager(page, tmp_path):
    # "Last »" pressed with Enter disabled itself and the focus fell to the page's start: the next Tab went to the
    # skip link, and a screen reader was left nowhere.
    comparison = make_comparison({"Ledger": "en", "Faro": "es"}, [
        Claim(f"Claim {number}.", {"Ledger": (f"Claim {number}.", f"Claim {number}.")}) for number in range(250)])
    view = page.open(comparison, tmp_path)
    view.locator(".pager button[data-page='last']").focus()
    view.keyboard.press("Enter")
    expect(view.locator(".page-label")).to_have_text("Page 3 of 3")
    assert view.evaluate("document.activeElement.getAttribute('data-page')") == "prev"
    view.keyboard.press("Enter")
    expect(view.locator(".page-label")).to_have_text("Page 2 of 3")
    view.locator(".pager button[data-page='first']").focus()
    view.keyboard.press("Enter")
    expect(view.locator(".page-label")).to_have_text("Page 1 of 3")
    assert view.evaluate("document.activeElement.getAttribute('data-page')") == "next"


def test_the_outlet_cards_headings_follow_the_page_outline_and_name_their_outlet(page, tmp_path):
    view = page.open(sample_comparison(), tmp_path)
    levels = view.locator("h1, h2, h3, h4, h5, h6").evaluate_all("hs => hs.map(h => Number(h.tagName[1]))")
    assert all(after <= before + 1 for before, after in zip(levels, levels[1:])), levels
    # Each card has the same two headings: a reader who lists them hears whose they are, a reader who sees them
    # has the card's name above.
    card = view.locator("#outlets h3").first
    assert card.evaluate("h => h.textContent") == "Courrier: Leaves out, though most others carry it (1)"
    assert card.locator(".visually-hidden").bounding_box()["width"] <= 1


def test_a_screen_reader_hears_numbers_differ_not_a_number_sign(page, tmp_path):
    # The "#" flag is a picture: a claim was read out as "26 foreign leaders attended. number sign".
    view = page.open(sample_comparison(), tmp_path)
    expect(view.get_by_role("button", name="26 foreign leaders attended. (numbers differ)", exact=True)).to_have_count(1)
    expect(view.get_by_role("button", name="Kim travelled by armoured train.", exact=True)).to_have_count(1)
    view.locator("button.claim-toggle", has_text="26 foreign").click()
    note = view.locator(".numbers-differ p").first
    assert "Numbers differ" in note.aria_snapshot() and "#" not in note.aria_snapshot()


def test_a_sorted_column_head_is_named_without_its_arrow(page, tmp_path):
    # The ▼ drawn after a sorted head was read as part of its name: "Outlets black down-pointing triangle".
    view = page.open(sample_comparison(), tmp_path)
    outlets = view.locator("#matrix-table thead th.n-col")
    assert outlets.get_attribute("aria-sort") == "descending"
    assert outlets.evaluate("head => getComputedStyle(head.querySelector('button'), '::after').content") != "none"
    expect(view.get_by_role("button", name="Outlets", exact=True)).to_have_count(1)
    view.get_by_role("button", name="Claim (English)", exact=True).click()
    expect(view.get_by_role("columnheader", name="Claim (English)", exact=True)).to_have_attribute(
        "aria-sort", "ascending")


def test_the_sort_control_names_a_column_sorted_the_other_way(page, tmp_path):
    view = page.open(sample_comparison(), tmp_path)
    shown = "s => s.selectedIndex < 0 ? '' : s.options[s.selectedIndex].textContent"
    for twice, label in (("button[data-sort='text']", "claim text Z–A"),
                         ("button[data-outlet='1']", "status at Courrier (? first)")):
        view.click(f"#matrix-table thead {twice}")
        view.click(f"#matrix-table thead {twice}")
        assert view.locator("#f-sort").evaluate(shown) == label
    assert sorted(_rows(view)[-2:]) == ["26 foreign leaders attended.", "Kim travelled by armoured train."]
    view.select_option("#f-sort", value="n:-1")
    assert view.locator("#f-sort").evaluate(shown) == "most outlets first"
    assert view.locator("#f-sort option", has_text="(? first)").count() == 0


def test_an_untranslated_passage_that_joined_a_claim_is_never_shown_as_translated(page, tmp_path):
    view = page.open(make_comparison(SAMPLE_OUTLETS, sample_claims(), untranslated=frozenset({"de"}),
                                     anchored=True), tmp_path)
    view.locator("button.claim-toggle", has_text="armoured train").click()
    german = view.locator(".evidence-item", has_text="Abendpost")
    assert german.locator(".original .passage").inner_text() == "Kim reiste im Panzerzug."
    english = german.locator(".english").inner_text()
    assert "Not translated: install a model with: parallax models install de-en" in english
    assert german.locator(".english code").inner_text() == "parallax models install de-en"
    assert german.locator(".english .passage").count() == 0


def test_where_apertium_is_forced_the_passage_says_which_setting_to_change(page, tmp_path, options):
    comparison = make_comparison(SAMPLE_OUTLETS, sample_claims(), untranslated=frozenset({"de"}), anchored=True)
    forced = options.with_overrides({"translate": {"engines": {"de": "apertium"}}})
    comparison.translation.advice["de"] = untranslated_advice("de", forced)
    view = page.open(comparison, tmp_path)
    view.locator("button.claim-toggle", has_text="armoured train").click()
    english = view.locator(".evidence-item", has_text="Abendpost").locator(".english")
    assert english.inner_text().endswith('Not translated: set [translate] engines.de = "auto" in your options file, '
                                         "then install a model with: parallax models install de-en")


XSS = {
    "script": "<script>window.__pwned = 'script'</script>",
    "img": "<img src=x onerror=\"window.__pwned='img'\">",
    "svg": "\"><svg onload=\"window.__pwned='svg'\">",
    "close": "</script><script>window.__pwned='close'</script>",
    "separator": "a\u2028b\u2029</ScRiPt ><script>window.__pwned='sep'</script>",
}


def test_hostile_text_titles_outlets_and_urls_run_nothing(page, tmp_path):
    outlets = {f"{XSS['img']} Outlet": "en", f"{XSS['svg']} Gazette": "es", "Plain": "ar"}
    names = list(outlets)
    claims = [Claim(payload, {names[0]: (payload, payload), names[1]: (XSS["close"], payload),
                              names[2]: (XSS["separator"], XSS["script"])}) for payload in XSS.values()]
    urls = {names[0]: "javascript:window.__pwned='url'", names[1]: "JAVASCRIPT:window.__pwned='url2'",
            names[2]: "data:text/html,<script>window.__pwned='data'</script>"}
    titles = {names[0]: XSS["script"], names[1]: XSS["img"], names[2]: XSS["close"]}
    comparison = make_comparison(outlets, claims, titles=titles, urls=urls, title=XSS["script"],
                                 description=XSS["img"])
    view = page.open(comparison, tmp_path)
    for toggle in view.locator("button.claim-toggle").all():
        toggle.click()
    view.locator("#matrix-table thead button[data-outlet='0']").hover()
    assert view.evaluate("window.__pwned") is None
    assert view.locator("a[href]:not([href^='#'])").evaluate_all("links => links.map(a => a.protocol)") == []
    assert view.locator("script").count() == 2
    assert view.locator("img, iframe, object, embed").count() == 0
    assert view.locator("svg").count() == 1  # the sharing chart only
    assert view.locator("h1").inner_text() == XSS["script"]
    assert sorted(view.locator(".claim-text").all_inner_texts()) == sorted(XSS.values())
    assert XSS["close"] in view.locator(".evidence").first.inner_text()
    page.shot("xss")


def test_cjk_cyrillic_and_arabic_render_in_their_fonts_and_direction(page, tmp_path):
    texts = {"zh": "金正恩乘坐装甲专列抵达北京。", "ja": "金正恩氏は装甲列車で北京に到着した。",
             "ko": "김정은은 장갑열차를 타고 베이징에 도착했다.", "ru": "Ким Чен Ын прибыл в Пекин на бронепоезде.",
             "ar": "وصل كيم جونغ أون إلى بكين بقطاره المدرع."}
    outlets = {f"Outlet {language}": language for language in texts} | {"Ledger": "en"}
    english = "Kim arrived in Beijing by armoured train."
    claim = Claim(english, {f"Outlet {language}": (text, english) for language, text in texts.items()}
                  | {"Ledger": (english, english)})
    view = page.open(make_comparison(outlets, [claim]), tmp_path)
    view.click("button.claim-toggle")
    session = view.context.new_cdp_session(view)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    fonts = {}
    for language in texts:
        selector = f".original .passage[lang='{language}']"
        assert view.locator(selector).inner_text() == texts[language]
        node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        used = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        fonts[language] = {font["familyName"]: font["glyphCount"] for font in used}
    assert set(fonts["zh"]) == {"Noto Sans CJK SC"}
    assert set(fonts["ja"]) == {"Noto Sans CJK JP"}
    assert set(fonts["ko"]) == {"Noto Sans CJK KR"}
    assert len(fonts["ru"]) == 1 and len(fonts["ar"]) == 1, f"one font covers each script, no fallback: {fonts}"
    arabic = view.locator(".original .passage[lang='ar']")
    assert arabic.evaluate("node => getComputedStyle(node).direction") == "rtl"
    assert view.locator(".original .passage[lang='ru']").evaluate("n => getComputedStyle(n).direction") == "ltr"
    page.shot("scripts", ".evidence")


# The width and height of the dark pixels of a PNG (base64), measured on a canvas.
_INK_SIZE = """async png => {
    const image = new Image();
    image.src = "data:image/png;base64," + png;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext("2d");
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, image.width, image.height).data;
    let left = Infinity, right = -1, top = Infinity, bottom = -1;
    for (let y = 0; y < image.height; y++) {
        for (let x = 0; x < image.width; x++) {
            const at = (y * image.width + x) * 4;
            if (pixels[at] + pixels[at + 1] + pixels[at + 2] < 384) {
                left = Math.min(left, x); right = Math.max(right, x);
                top = Math.min(top, y); bottom = Math.max(bottom, y);
            }
        }
    }
    return [right - left + 1, bottom - top + 1];
}"""


def test_a_chinese_outlet_name_in_a_column_head_is_turned_as_latin_names_are(page, tmp_path):
    # 一 ("one") is one horizontal stroke: turned as Latin letters are in the head, it runs along the column.
    english = "Kim arrived in Beijing."
    outlets = {"一": "zh", "Ledger": "en"}
    view = page.open(make_comparison(outlets, [Claim(english, {name: (english, english) for name in outlets})]),
                     tmp_path)
    head = view.locator("#matrix-table thead th.outlet-col", has_text="一").locator("bdi")
    png = base64.b64encode(head.screenshot()).decode()
    blank = view.context.new_page()
    width, height = blank.evaluate(_INK_SIZE, png)
    blank.close()
    assert height > 2 * width, f"the stroke of 一 lies across the column ({width}×{height} px): the glyph is upright"


_LEFT_OF_EACH = """(node, names) => names.map(name => {
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
        const at = text.data.indexOf(name);
        if (at >= 0) {
            const range = document.createRange();
            range.setStart(text, at);
            range.setEnd(text, at + name.length);
            return range.getBoundingClientRect().left;
        }
    }
    return null;
})"""


def test_two_right_to_left_outlet_names_in_a_list_keep_their_order(browser, page, tmp_path):
    hebrew, arabic = "הארץ", "الجزيرة"  # sorted: Hebrew letters come before Arabic ones
    english = "Kim arrived in Beijing by armoured train."
    claims = [Claim(english, {"Ledger": (english, english)}),
              Claim("The parade marked eighty years.", {name: ("x", "The parade marked eighty years.")
                                                        for name in ("Ledger", hebrew, arabic)})]
    comparison = make_comparison({"Ledger": "en", hebrew: "he", arabic: "ar"}, claims)
    view = page.open(comparison, tmp_path)
    view.locator("#matrix-table tbody tr", has_text=english).locator("button.claim-toggle").click()
    omitted = view.locator(".evidence p.absent").first
    assert omitted.inner_text().startswith("\u2717 omitted by")
    left = omitted.evaluate(_LEFT_OF_EACH, [hebrew, arabic])
    assert None not in left and left[0] < left[1], f"{hebrew} must stand left of {arabic} in 'by A, B': {left}"

    context = browser.new_context(java_script_enabled=False)
    static = context.new_page()
    static.goto((tmp_path / "report.html").as_uri())
    cell = static.locator("#top-claims tbody tr", has_text=english).locator("td").nth(3)
    left = cell.evaluate(_LEFT_OF_EACH, [hebrew, arabic])
    context.close()
    assert None not in left and left[0] < left[1], f"omitted-by cell reads {arabic}, {hebrew}: {left}"


def _sample_without_javascript(browser, tmp_path):
    """A browser context with JavaScript off, and a page of it showing the sample comparison's report."""
    context = browser.new_context(java_script_enabled=False)
    view = context.new_page()
    path = tmp_path / "report.html"
    path.write_text(render_report(sample_comparison()), "utf-8")
    view.goto(path.as_uri())
    return context, view


def test_without_javascript_the_summary_and_top_claims_remain(browser, tmp_path):
    context, view = _sample_without_javascript(browser, tmp_path)
    assert view.locator("#top-claims").is_visible() and view.locator("noscript").count() == 1
    assert "Kim travelled by armoured train." in view.locator("#top-claims").inner_text()
    assert view.locator("#summary").is_visible() and view.locator("#numbers").is_visible()
    context.close()


def test_without_javascript_each_widely_carried_claim_heads_its_row(browser, tmp_path):
    # Going down "Omitted by", a screen reader said the outlets but not which claim they omit.
    context, view = _sample_without_javascript(browser, tmp_path)
    heads = view.locator("#top-claims").get_by_role("rowheader")
    texts = heads.all_inner_texts()
    weight = heads.evaluate_all("heads => heads.map(head => getComputedStyle(head).fontWeight)")
    context.close()
    assert texts[:1] == ["Kim travelled by armoured train."] and len(texts) == sample_comparison().claims.height
    assert set(weight) == {"400"}, "a claim is text, not a heading in bold"


def test_print_shows_the_claim_list_and_hides_the_controls(page, tmp_path):
    view = page.open(sample_comparison(), tmp_path)
    assert not view.locator("#top-claims").is_visible()
    view.emulate_media(media="print")
    assert view.locator("#top-claims").is_visible() and not view.locator(".controls").is_visible()
    assert view.locator("#matrix-table").is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert view.pdf(path=str(ARTIFACTS / "print.pdf"))[:4] == b"%PDF"


# An A4 page less Chromium's default margins of 1 cm, in CSS pixels: the width print lays the report out in.
A4_PRINT_WIDTH = 718

# Outlets whose mark, or whose name (as the column head, or beside the mark when the matrix prints as a list),
# falls outside the page in the first row of the matrix.
_OFF_THE_PAGE = """(table, names) => {
    const page = document.documentElement.clientWidth;
    const onPage = node => {
        const box = node.getBoundingClientRect();
        return box.width > 0 && box.left >= 0 && box.right <= page;
    };
    const heads = [...table.querySelectorAll("thead th.outlet-col")];
    const cells = [...table.querySelector("tbody tr").querySelectorAll("td.cell")];
    return names.filter((name, index) => {
        const named = onPage(heads[index]) ? heads[index].innerText
            : getComputedStyle(cells[index], "::after").content;
        return !(onPage(cells[index]) && named.includes(name));
    });
}"""


@pytest.mark.parametrize("n_outlets", [7, 30])
def test_a_printed_matrix_holds_every_outlet_within_the_page(page, tmp_path, n_outlets):
    comparison = large_comparison(n_outlets, 40)
    view = page.open(comparison, tmp_path)
    view.set_viewport_size({"width": A4_PRINT_WIDTH, "height": 1000})
    view.emulate_media(media="print")
    table = view.locator("#matrix-table")
    assert table.evaluate(_OFF_THE_PAGE, comparison.outlets) == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    view.pdf(path=str(ARTIFACTS / f"print-{n_outlets}-outlets.pdf"), format="A4",
             margin={side: "1cm" for side in ("top", "right", "bottom", "left")})


def test_the_summary_tables_and_the_sharing_chart_print_within_the_page(page, tmp_path):
    view = page.open(large_comparison(30, 40), tmp_path)  # 20 combinations of outlets in the chart
    view.set_viewport_size({"width": A4_PRINT_WIDTH, "height": 1000})
    view.emulate_media(media="print")
    cut = view.locator(".scroll").evaluate_all(
        "boxes => boxes.filter(box => box.scrollWidth > box.clientWidth).map(box => box.firstElementChild.outerHTML"
        ".slice(0, 60))")
    assert cut == [], "paper cannot scroll: these are cut at the page's edge"


# Printing lays the page out at the paper's width without firing `resize`: a page whose resize events are stopped
# before its own listeners hear them, then narrowed, is laid out as on paper.
_NO_RESIZE_EVENTS = "window.addEventListener('resize', event => event.stopImmediatePropagation(), true);"


@pytest.mark.parametrize("n_outlets", [7, 30])
def test_evidence_opened_on_a_wide_screen_prints_within_the_page(page, tmp_path, n_outlets):
    page.page.add_init_script(_NO_RESIZE_EVENTS)
    view = page.open(large_comparison(n_outlets, 40), tmp_path)
    view.locator("button.claim-toggle").first.click()
    view.locator(".evidence").wait_for()
    view.set_viewport_size({"width": A4_PRINT_WIDTH, "height": 1000})
    view.emulate_media(media="print")
    rights = view.locator(".evidence, .evidence-item").evaluate_all(
        "nodes => nodes.map(node => node.getBoundingClientRect().right)")
    assert rights and max(rights) <= A4_PRINT_WIDTH, f"evidence reaches {max(rights)} px"


@pytest.mark.slow
def test_a_hundred_outlets_and_twelve_hundred_claims_stay_responsive(page, tmp_path):
    comparison = large_comparison(100, 1200)
    view = page.open(comparison, tmp_path, timeout=60_000)
    assert view.locator("#matrix-count").inner_text() == "Showing claims 1–100 of 1,200"
    assert view.locator("#matrix-table tbody tr").count() == 100, "a page of rows, not all 1,200"
    assert view.locator("#matrix-table tbody tr").first.locator("td.cell").count() == 100
    view.fill("#f-text", "claim 0042:")
    expect(view.locator("#matrix-count")).to_contain_text("of 1 matching", timeout=20_000)
    assert _rows(view) == [comparison.claims.filter(comparison.claims["text_en"].str.starts_with("Claim 0042:"))
                           ["text_en"][0]]
    view.click("#f-reset")
    view.select_option("#f-outlet", label="Outlet 003")
    view.select_option("#f-status", value="U")  # Outlet 003 is German, untranslated
    assert "of 1,200" in view.locator("#matrix-count").inner_text()
    view.click("#f-reset")
    view.click(".pager button[data-page='last']")
    assert view.locator(".page-label").inner_text() == "Page 12 of 12"
    view.locator("button.claim-toggle").first.click()
    view.locator(".evidence").wait_for()
    # Responsive: a script still runs promptly after all that (a frozen page would time out here).
    assert view.evaluate("new Promise(done => requestAnimationFrame(() => done(1)))") == 1
    page.shot("large", ".matrix-wrap")


@pytest.mark.slow
def test_demo_corpus_report(page, tmp_path, options):
    comparison = compare_without_prefect(DEMO, options)
    folder = write_output(comparison, tmp_path / "out")
    truth = json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))
    view = page.page
    view.goto((folder / "report.html").as_uri())
    view.wait_for_selector("#matrix-table tbody tr")
    assert len(_rows(view)) == comparison.claims.height
    outlets = view.locator("#matrix-table thead th.outlet-col").all_inner_texts()
    assert outlets == sorted(truth["outlets"])
    german = outlets.index("Rheinische Abendpost")
    statuses = view.locator(f"#matrix-table tbody tr td.cell:nth-of-type({german + 2})").all_inner_texts()
    assert "?" in statuses and "✗" not in statuses, "the untranslated German outlet is unknown, never omitted"
    assert "parallax models install de-en" in view.locator("#summary").inner_text()
    data = json.loads(view.locator("#parallax-data").inner_text())
    # Every differing number the report shows is one the corpus planted, with the planted values, and every
    # planted one is shown with each translated outlet's value.
    sentences = {(outlet, fact): sentence for outlet, record in truth["outlets"].items()
                 for fact, sentence in record["facts"].items()}
    planted = {item["fact"]: item["values"] for item in truth["discrepancies"]}
    shown = [claim for claim in data["claims"] if "d" in claim]
    found = {fact: {} for fact in planted}
    for claim in shown:
        for difference in claim["d"]:
            for outlet_index, value, _, _, passage_index, _ in difference["r"]:
                outlet, text = data["outlets"][outlet_index]["name"], data["passages"][passage_index][2]
                facts = [fact for (name, fact), sentence in sentences.items() if name == outlet and sentence in text]
                assert any(fact in planted and float(planted[fact][outlet]) == value for fact in facts), \
                    (outlet, value, text)
                for fact in facts:
                    found.setdefault(fact, {})[outlet] = value
    translated = set(truth["outlets"]) - {"Rheinische Abendpost"}
    assert {fact: found[fact] for fact in planted} == {
        fact: {outlet: float(value) for outlet, value in values.items() if outlet in translated}
        for fact, values in planted.items()}
    view.check("#f-numbers")
    assert len(_rows(view)) == len(shown)
    view.locator("button.claim-toggle").first.click()
    view.locator(".numbers-differ").wait_for()
    page.shot("demo-full")
    page.shot("demo-matrix", "#matrix")
    page.shot("demo-sharing", "#sharing")
    combinations = {tuple(claim["outlets"]) for claim in comparison.claims.to_dicts()}
    assert view.locator("svg.upset g.combo").count() == min(len(combinations), options.report.upset_combinations)


def test_chinese_and_japanese_outlet_names_in_lists_are_not_cut_in_two(page, tmp_path):
    english = "Kim arrived in Beijing."
    outlets = {"Ledger": "en", "Faro": "es", "新华社": "zh", "人民日报": "zh", "朝日新聞": "ja", "Courrier": "fr"}
    comparison = make_comparison(outlets, [Claim(english, {name: (english, english) for name in outlets})])
    view = page.open(comparison, tmp_path)
    view.emulate_media(media="print")  # the claim list of the page without JavaScript, as printed
    names = view.locator("#top-claims bdi")
    lines = {}
    for width in range(300, 560, 8):  # some width puts a line's end inside each name
        view.set_viewport_size({"width": width, "height": 900})
        for name, rects in names.evaluate_all("nodes => nodes.map(n => [n.textContent, n.getClientRects().length])"):
            lines[name] = max(lines.get(name, 0), rects)
    assert {name for name in outlets if not name.isascii()} <= set(lines)
    assert {name: count for name, count in lines.items() if count > 1} == {}


def test_printed_headings_stay_with_what_follows_and_long_evidence_may_cross_pages(page, tmp_path):
    view = page.open(sample_comparison(), tmp_path)
    view.locator("button.claim-toggle").first.click()
    view.locator(".evidence").wait_for()
    view.emulate_media(media="print")
    after = view.locator("h2, h3").evaluate_all("nodes => nodes.map(n => getComputedStyle(n).breakAfter)")
    assert after and set(after) == {"avoid"}
    assert view.locator("tr.evidence-row").evaluate("row => getComputedStyle(row).breakInside") == "auto"
    assert view.locator(".evidence-item").first.evaluate("item => getComputedStyle(item).breakInside") == "avoid"


def _fonts_of(view, selector: str) -> set[str]:
    """The font families Chromium draws the first element matching `selector` with."""
    session = view.context.new_cdp_session(view)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, f"nothing matches {selector}"
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    session.detach()
    return {font["familyName"] for font in fonts}


def test_an_outlets_name_is_drawn_and_read_in_its_language_wherever_it_stands(page, tmp_path):
    # Outlet names carried no language: 朝日新聞 was drawn with Simplified Chinese glyphs, and "الجزيرة (قطر)" ran
    # left to right, its closing parenthesis thrown to the far end.
    japanese, arabic = "朝日新聞", "الجزيرة (قطر)"
    outlets = {"Ledger": "en", japanese: "ja", arabic: "ar"}
    claims = [Claim("The parade lasted 70 minutes.", {"Ledger": ("x", "The parade lasted 70 minutes.")}),
              Claim("26 leaders attended.", {name: ("x", "26 leaders attended.") for name in outlets})]
    view = page.open(make_comparison(outlets, claims), tmp_path)
    view.locator("#matrix-table tbody tr", has_text="70 minutes").locator("button.claim-toggle").click()
    places = {
        "column head": "#matrix-table thead th.outlet-col bdi",
        "outlet table": "table.outlets th.o-name bdi",
        "outlet card": "details.outlet-card summary bdi",
        "omitted by, in the evidence": ".evidence p.absent bdi",
        "omitted by, in the widely carried claims": "#top-claims td bdi",
        "chart": "svg.upset text.label",
    }
    for place, selector in places.items():
        names = view.locator(selector).evaluate_all(
            # a name's own text: the chart's has a tooltip inside it
            "nodes => nodes.map(node => [[...node.childNodes].filter(child => child.nodeType === 3).map(text => "
            "text.data).join(''), node.closest('[lang]').getAttribute('lang'), getComputedStyle(node).direction])")
        found = {name: (language, direction) for name, language, direction in names}
        assert found.get(japanese, (None,))[0] == "ja", f"{place}: {names}"
        assert found.get(arabic) == ("ar", "rtl"), f"{place}: {names}"
        index = [name for name, *_ in names].index(japanese)
        fonts = view.locator(selector).nth(index).evaluate("node => getComputedStyle(node).fontFamily")
        assert fonts.startswith('"Noto Sans CJK JP"'), f"{place}: {fonts}"
    assert _fonts_of(view, "table.outlets th.o-name bdi[lang=ja]") == {"Noto Sans CJK JP"}
    # Right to left, the chart's Arabic name still ends where the other names end, at the dots.
    rights = view.locator("svg.upset text.label").evaluate_all(
        "labels => labels.map(label => { const box = label.getBBox(); return Math.round(box.x + box.width); })")
    assert len(set(rights)) == 1, f"the chart's names end at {rights}"


def test_each_filter_is_named_with_the_words_its_label_shows(page, tmp_path):
    # "Show claims where [outlet] has [status]" was named "Outlet" and "Status": a speech user saying "Show claims
    # where" reached nothing (WCAG 2.5.3, Label in Name).
    view = page.open(sample_comparison(), tmp_path)
    controls = view.locator("form.controls label > :is(input, select)")
    assert controls.count() == 6
    for index in range(controls.count()):
        control = controls.nth(index)
        shown = control.evaluate("control => [...control.parentElement.childNodes].filter(node => node.nodeType === 3)"
                                 ".map(node => node.data).join(' ')")
        words = shown.split()
        assert words, control.evaluate("control => control.outerHTML")
        every_word = "".join(rf"(?=.*\b{re.escape(word)}\b)" for word in words)
        expect(control).to_have_accessible_name(re.compile(every_word, re.IGNORECASE))


# Each text's colour and every colour behind it (its own background, a gradient's stops, or else the page's), as
# computed: "rgb(…)" strings.
_COLOURS = """nodes => nodes.map(node => {
    const style = getComputedStyle(node), page = getComputedStyle(document.documentElement).backgroundColor;
    const behind = [style.backgroundColor, ...(style.backgroundImage.match(/rgba?\\([^)]*\\)/g) || [])]
        .filter(colour => !/rgba\\(.*, 0\\)$/.test(colour));
    return [node.className || node.tagName, style.color, behind.length ? behind : [page]];
})"""


def _contrast(first: str, second: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(value) / 255 for value in re.findall(r"\d+(?:\.\d+)?", colour)[:3]]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_and_every_status_keep_their_contrast_in_either_colour_scheme(browser, tmp_path, scheme):
    # The report ignored a reader's dark scheme: a white page at night.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    view = Page(context.new_page()).open(sample_comparison(), tmp_path)
    page_colours = view.evaluate("() => { const s = getComputedStyle(document.documentElement); "
                                 "return [s.color, s.backgroundColor]; }")
    ink, paper = page_colours
    dark_page = _contrast(paper, "rgb(0, 0, 0)") < _contrast(paper, "rgb(255, 255, 255)")
    assert dark_page == (scheme == "dark"), f"{scheme} scheme, page {paper} with text {ink}"
    view.locator("button.claim-toggle").first.click()
    texts = view.locator(":is(.s-I, .s-P, .s-O, .s-U, .muted, main p, a, .claim-text)").evaluate_all(_COLOURS)
    statuses = {code for name, *_ in texts for code in re.findall(r"\bs-([IPOU])\b", name)}
    assert statuses == set("IPOU"), statuses
    low = [(name, colour, behind, round(_contrast(colour, colour_behind), 2)) for name, colour, behind in texts
           for colour_behind in behind if _contrast(colour, colour_behind) < 4.5]
    assert low == [], f"under 4.5:1 in the {scheme} scheme"
    view.emulate_media(media="print")
    printed = view.evaluate("() => getComputedStyle(document.documentElement).backgroundColor")
    context.close()
    assert printed == "rgb(255, 255, 255)", "paper stays light"


def test_the_sharing_chart_as_a_table_opens_from_the_keyboard_and_leaves_paper_to_the_chart(page, tmp_path):
    # The chart's counts per combination were in tooltips, which neither a keyboard nor a screen reader reaches.
    view = page.open(sample_comparison(), tmp_path)
    tables = view.locator("#sharing details.chart-data table")
    expect(tables.first).to_be_hidden()
    view.locator("#sharing details.chart-data summary").focus()
    view.keyboard.press("Enter")
    expect(tables.first).to_be_visible()
    combinations = view.get_by_role("table", name="Claims told by exactly these outlets")
    expect(combinations.get_by_role("row", name="Courrier, Faro, Ledger 2", exact=True)).to_have_count(1)
    view.emulate_media(media="print")
    expect(view.locator("#sharing details.chart-data")).to_be_hidden()
    expect(view.locator("#sharing svg.upset")).to_be_visible()
