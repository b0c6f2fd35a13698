"""Slider-to-rerun latency of a page against two floor apps, in headless Chromium.

    python bench/latency.py                 # Pricing against both floors, 25 presses each
    python bench/latency.py --page /study --slider hours --presses 40
    python bench/latency.py --all           # every page with a slider, one run, a markdown table
    python bench/latency.py --all --baseline ../old-checkout   # and the same page on other code
    python bench/latency.py --page /price-ads --also /pricing    # two pages in one rotation

With ``--baseline DIR`` a fourth server runs the app from another checkout (e.g. ``git worktree
add ../old 2fe6d1e``) and its page joins the rotation: the ratio page / baseline is what a change
costs, measured in the same run on the same browser, so machine noise cancels.

Starts three servers side by side: ``streamlit run app.py``, and the floor app
(bench/floor_app.py: one slider, one metric, one 200-point Altair line) twice:

- the **fair floor** runs on the app's own settings (.streamlit/config.toml, e.g. the GC policy):
  what a page costs above it is the page's own work;
- the **stock floor** runs from an empty temporary directory, on Streamlit's defaults: what a
  user who compares with a plain Streamlit app sees.

It focuses a slider on each, presses ArrowRight/ArrowLeft alternately, and times each press
from the keydown (in the page) until the page has settled: the rerun finished (stApp's
data-test-script-state is notRunning) and its last change reached the DOM. Presses rotate
between the page and the two floors so machine noise hits all three. Prints medians and the
ratios page / floor.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright

from runtime.launch import Server
from tests.e2e.browser import launch, open_page

#: Every page with a slider, and the slider whose key presses are timed.
PAGES = {
    "/pricing": "price",
    "/study": "hours",
    "/fuel": "speed",
    "/compounding": "rate",
    "/lr-finder": "momentum",
    "/price-ads": "price",
}
FLOOR = "bench/floor_app.py"

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


def open_tab(browser, url: str, slider: str):
    pg = browser.new_page(viewport={"width": 1400, "height": 1800})
    open_page(pg, url)
    thumb = pg.locator(f".st-key-{slider} input[type=range]")
    thumb.wait_for(timeout=120_000)  # the slider's code loads lazily: slow on a busy machine
    pg.wait_for_timeout(1000)
    pg.evaluate(PROBE)
    thumb.focus()
    return pg, slider


def measure(tabs: dict, presses: int, warmup: int) -> dict[str, list[float]]:
    """Press each tab's slider in turn, ``warmup + presses`` times; keep the last ``presses``."""
    times: dict[str, list[float]] = {name: [] for name in tabs}
    for i in range(warmup + presses):
        key = "ArrowRight" if i % 2 == 0 else "ArrowLeft"
        for name, (pg, slider) in tabs.items():
            ms = press_and_time(pg, slider, key)
            if i >= warmup:
                times[name].append(ms)
    return times


def row(page: str, slider: str, times: dict[str, list[float]]) -> dict:
    med = {k: statistics.median(v) for k, v in times.items()}
    extra = {"ratio_baseline": round(med["page"] / med["baseline"], 3)} if "baseline" in med else {}
    if "also" in med:
        extra["ratio_also"] = round(med["page"] / med["also"], 3)
    return {
        **extra,
        "page": page,
        "slider": slider,
        "presses": len(times["page"]),
        "median_ms": {k: round(v, 1) for k, v in med.items()},
        "ratio_fair": round(med["page"] / med["fair floor"], 2),
        "ratio_stock": round(med["page"] / med["stock floor"], 2),
        "fair_vs_stock": round(med["fair floor"] / med["stock floor"], 2),
    }


def markdown(rows: list[dict]) -> str:
    lines = [
        "| page (slider) | median per key press | fair floor | page / fair | stock floor | page / stock |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    baseline = any("ratio_baseline" in r for r in rows)
    if baseline:
        lines[0] += " baseline | page / baseline |"
        lines[1] += " --- | --- |"
    for r in rows:
        m = r["median_ms"]
        lines.append(
            f"| `{r['page']}` (`{r['slider']}`) | {m['page']:.0f} ms | {m['fair floor']:.0f} ms | "
            f"{r['ratio_fair']:.2f}× | {m['stock floor']:.0f} ms | {r['ratio_stock']:.2f}× |"
        )
        if baseline:
            lines[-1] += f" {m['baseline']:.0f} ms | {r['ratio_baseline']:.2f}× |"
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--app", default="app.py", help="script to run (default: the app)")
    ap.add_argument("--page", default="/pricing", help="path of the page under test")
    ap.add_argument("--slider", default=None, help="key of the slider to press on that page (default: PAGES)")
    ap.add_argument("--all", action="store_true", help="every page with a slider (PAGES), one markdown table")
    ap.add_argument("--presses", type=int, default=25)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--json", help="also write the results to this file")
    ap.add_argument("--baseline", type=Path, help="another checkout of the app, timed in the same rotation")
    ap.add_argument("--also", help="another page of the app (path), timed in the same rotation (its PAGES slider)")
    args = ap.parse_args()
    targets = list(PAGES.items()) if args.all else [(args.page, args.slider or PAGES.get(args.page, "price"))]

    rows = []
    with (
        Server(args.app) as app,
        Server(FLOOR) as fair,
        Server(FLOOR, stock=True) as stock,
        Server(args.app, cwd=args.baseline.resolve()) if args.baseline else contextlib.nullcontext() as base,
        sync_playwright() as p,
    ):
        browser = launch(p)
        floors = {"fair floor": open_tab(browser, fair.url, "x"), "stock floor": open_tab(browser, stock.url, "x")}
        for page, slider in targets:
            tabs = {"page": open_tab(browser, app.url + page, slider)}
            if base is not None:
                tabs["baseline"] = open_tab(browser, base.url + page, slider)
            if args.also:
                tabs["also"] = open_tab(browser, app.url + args.also, PAGES.get(args.also, "price"))
            r = row(page, slider, measure({**tabs, **floors}, args.presses, args.warmup))
            for pg, _ in tabs.values():
                pg.close()
            rows.append(r)
            m = r["median_ms"]
            print(
                f"page {page}: median {m['page']:.1f} ms   fair floor {m['fair floor']:.1f} ms "
                f"({r['ratio_fair']:.2f}x)   stock floor {m['stock floor']:.1f} ms ({r['ratio_stock']:.2f}x)   "
                f"({args.presses} presses each)"
                + (f"   baseline {m['baseline']:.1f} ms (page/baseline {r['ratio_baseline']:.3f})" if base else "")
                + (f"   {args.also} {m['also']:.1f} ms (page/{args.also} {r['ratio_also']:.3f})" if args.also else ""),
                flush=True,
            )
        browser.close()
    print()
    print(markdown(rows))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
