"""Slider-to-rerun latency of a page against a floor app, in headless Chromium.

    python bench/latency.py                 # Pricing vs the floor, 25 presses each
    python bench/latency.py --page /study --slider hours --presses 40

Starts `streamlit run app.py` and `streamlit run bench/floor_app.py` side by side, focuses
a slider on each, presses ArrowRight/ArrowLeft alternately, and times each press from the
keydown (in the page) until the page has settled: the rerun finished (stApp's
data-test-script-state is notRunning) and its last change reached the DOM. Presses alternate between the two
apps so machine noise hits both. Prints medians and the ratio page / floor.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright

from tests.e2e.browser import Server, launch, open_page

# Times each key press from its keydown until the page settles: the last DOM change in the
# app after the keydown, once Streamlit reports the run finished and nothing has changed for
# QUIET_MS. This covers the rerun and the drawing of its result (charts, tables, metrics),
# which is what a user waits for; watching only the script-state attribute misses runs so
# fast that React never paints the "running" state.
QUIET_MS = 400
PROBE = """
() => {
  window.__lat = {down: null, last: null};
  document.addEventListener('keydown', () => {
    window.__lat.down = performance.now(); window.__lat.last = null;
  }, true);
  const app = document.querySelector('[data-testid=stApp]');
  new MutationObserver(() => {
    if (window.__lat.down !== null) window.__lat.last = performance.now();
  }).observe(app, {attributes: true, childList: true, subtree: true, characterData: true});
}
"""
SETTLED = """
([quiet]) => {
  const L = window.__lat;
  const idle = document.querySelector('[data-testid=stApp]').getAttribute('data-test-script-state') === 'notRunning';
  return L.last !== null && idle && performance.now() - L.last > quiet;
}
"""


def press_and_time(page, slider: str, key: str) -> float:
    page.locator(f".st-key-{slider} input[type=range]").press(key)
    page.wait_for_function(SETTLED, arg=[QUIET_MS], timeout=30_000, polling=50)
    return page.evaluate("() => window.__lat.last - window.__lat.down")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--app", default="app.py", help="script to run (default: the app)")
    ap.add_argument("--page", default="/pricing", help="path of the page under test")
    ap.add_argument("--slider", default="price", help="key of the slider to press on that page")
    ap.add_argument("--presses", type=int, default=25)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--json", help="also write the results to this file")
    args = ap.parse_args()

    with Server(args.app) as app, Server("bench/floor_app.py") as floor, sync_playwright() as p:
        browser = launch(p)
        pages = {}
        for name, url, slider in (("page", app.url + args.page, args.slider), ("floor", floor.url, "x")):
            pg = browser.new_page(viewport={"width": 1400, "height": 1800})
            open_page(pg, url)
            pg.wait_for_timeout(1000)
            pg.evaluate(PROBE)
            pg.locator(f".st-key-{slider} input[type=range]").focus()
            pages[name] = (pg, slider)
        times: dict[str, list[float]] = {"page": [], "floor": []}
        for i in range(args.warmup + args.presses):
            key = "ArrowRight" if i % 2 == 0 else "ArrowLeft"
            for name, (pg, slider) in pages.items():
                ms = press_and_time(pg, slider, key)
                if i >= args.warmup:
                    times[name].append(ms)
        browser.close()

    med = {k: statistics.median(v) for k, v in times.items()}
    result = {
        "page": args.page,
        "presses": args.presses,
        "median_ms": {k: round(v, 1) for k, v in med.items()},
        "ratio": round(med["page"] / med["floor"], 2),
    }
    print(
        f"page {args.page}: median {med['page']:.1f} ms   floor: median {med['floor']:.1f} ms   "
        f"ratio {result['ratio']:.2f}x  ({args.presses} presses each)"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
