"""How fast the report is built and how responsive it stays, with the matrix paged and, for comparison, not.

Side by side in one run, on synthetic comparisons (tests/_report_helpers.py), in Debian's headless Chromium:
  render   render_report in Python (numbers step included), and the page's size
  load     from navigation to the first matrix rows drawn
  redraw   one sort change: filter, sort, draw the rows and lay the page out (forced), in the page's own clock
Each at the shipped page size (100 claims a page) and with every claim on one page.

Usage: .venv/bin/python bench/report_benchmark.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from playwright.sync_api import sync_playwright  # noqa: E402

from comparators.options import load_options  # noqa: E402
from comparators.report import render_report  # noqa: E402
from tests._report_helpers import large_comparison  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
REDRAW = """() => {
  const sort = document.getElementById('f-sort'), start = performance.now();
  sort.value = sort.value === 'text:1' ? 'n:-1' : 'text:1';
  sort.dispatchEvent(new Event('change'));
  document.body.offsetHeight;
  return performance.now() - start;
}"""
SIZES = [(7, 50), (30, 400), (100, 1200)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    options = load_options(None)
    print(f"{'outlets × claims':<18}{'page':>6}{'render s':>10}{'MB':>6}{'load s':>8}{'redraw ms':>11}")
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as scratch:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for outlets, claims in SIZES:
            comparison = large_comparison(outlets, claims)
            redraws = {}
            for page_size in sorted({options.report.page_size, max(claims, options.report.page_size)}):
                settings = options.with_overrides({"report": {"page_size": page_size}})
                renders, loads, redraw = [], [], []
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    html = render_report(comparison, options=settings)
                    renders.append(time.perf_counter() - start)
                    path = Path(scratch) / "report.html"
                    path.write_text(html, encoding="utf-8")
                    page = browser.new_page(viewport={"width": 1280, "height": 900})
                    start = time.perf_counter()
                    page.goto(path.as_uri())
                    page.wait_for_selector("#matrix-table tbody tr", timeout=300_000)
                    loads.append(time.perf_counter() - start)
                    redraw.extend(page.evaluate(REDRAW) for _ in range(3))
                    page.close()
                redraws[page_size] = statistics.median(redraw)
                print(f"{outlets:>4} × {claims:<10}{page_size:>8}{statistics.median(renders):>10.2f}"
                      f"{len(html.encode()) / 1e6:>6.1f}{statistics.median(loads):>8.2f}{redraws[page_size]:>11.0f}")
            if claims > options.report.page_size:
                print(f"{'':<18}one page of all claims redraws "
                      f"{redraws[claims] / redraws[options.report.page_size]:.1f}× slower than paged")
        browser.close()


if __name__ == "__main__":
    main()
