"""Where the browser's time goes in one slider step: a Chromium performance trace per page.

    python bench/trace.py                          # Pricing, Fuel and Compounding, 5 steps each
    python bench/trace.py --page /study --steps 8 --keep /tmp/traces   # and keep the trace files

For each page it opens the app in headless Chromium (one tab, 1400 px wide), focuses the page's
slider (bench/latency.py's PAGES), warms up with three key presses, then for ``--steps`` presses:

- records a **performance trace** (``browser.start_tracing``, the DevTools timeline categories)
  from the keydown until the page has settled (bench/latency.py's test: the rerun finished and
  nothing changed in the DOM for 400 ms), and sums the renderer main thread's *self* time per
  kind of work, as the DevTools Performance panel does: scripting, style and layout, paint and
  compositing, garbage collection, other (tasks' own time, parsing);
- records a **JavaScript CPU profile** of another press (CDP ``Profiler``, 100 µs samples) and
  sums self time per script file (the hashes in Streamlit's chunk names dropped): which part of
  the frontend runs (``ArrowVegaLiteChart``/vega, React's ``index``, the data grid, ...).

Prints a markdown table of medians per step. Only the renderer's main thread is counted: that
is what delays the next frame; rasterisation runs on other threads.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright

from bench.latency import PAGES, PROBE, QUIET_MS, SETTLED
from runtime.launch import Server
from tests.e2e.browser import launch, open_page

CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "v8.execute",
    "v8",
    "blink.user_timing",
]
#: Trace event names by kind of work (the DevTools Performance panel's grouping).
KINDS = {
    "scripting": (
        "FunctionCall",
        "EvaluateScript",
        "TimerFire",
        "EventDispatch",
        "FireAnimationFrame",
        "RunMicrotasks",
        "v8.run",
        "v8.compile",
        "V8.Execute",
        "v8.callFunction",
        "XHRReadyStateChange",
        "v8.evaluateModule",
        "V8.DeserializeContext",
        "FireIdleCallback",
        "v8.produceCache",
        "v8.compileModule",
        "CppGC.IncrementalSweep",
    ),
    "style and layout": (
        "UpdateLayoutTree",
        "Layout",
        "RecalculateStyles",
        "InvalidateLayout",
        "ScheduleStyleRecalculation",
        "HitTest",
        "ParseAuthorStyleSheet",
        "IntersectionObserverController::computeIntersections",
        "LocalFrameView::RunPostLifecycleSteps",
    ),
    "paint and composite": (
        "Paint",
        "PrePaint",
        "Layerize",
        "Commit",
        "UpdateLayer",
        "CompositeLayers",
        "PaintImage",
        "Decode Image",
        "ImageDecodeTask",
        "UpdateLayerTree",
        "PaintSetup",
        "RasterTask",
        "Animation Frame Fired",
    ),
    "gc": ("MajorGC", "MinorGC", "V8.GCScavenger", "V8.GCFinalizeMC", "BlinkGC.AtomicPhase", "V8.GC_MC_BACKGROUND"),
}
KIND_OF = {name: kind for kind, names in KINDS.items() for name in names}


def _kind(name: str) -> str:
    if name in KIND_OF:
        return KIND_OF[name]
    if "GC" in name:
        return "gc"
    if name.startswith(("v8.", "V8.")):
        return "scripting"
    return "other"


def main_thread_self_time(trace: dict) -> dict[str, float]:
    """Self time (ms) per kind of work on the busiest renderer main thread of a trace."""
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    mains = {
        (e["pid"], e["tid"]) for e in events if e.get("ph") == "M" and e.get("args", {}).get("name") == "CrRendererMain"
    }
    by_thread: dict[tuple, list] = collections.defaultdict(list)
    for e in events:
        if (e.get("pid"), e.get("tid")) in mains and e.get("ph") == "X" and "dur" in e:
            by_thread[(e["pid"], e["tid"])].append(e)
    if not by_thread:
        return {}
    busiest = max(by_thread.values(), key=lambda evs: sum(e["dur"] for e in evs if e["name"] == "RunTask"))
    busiest.sort(key=lambda e: (e["ts"], -e["dur"]))
    out: dict[str, float] = collections.defaultdict(float)
    stack: list[list] = []  # [end, kind, child time]

    def close(until: float) -> None:
        while stack and stack[-1][0] <= until:
            end, kind, start, child = stack.pop()
            out[kind] += (end - start - child) / 1000
            if stack:
                stack[-1][3] += end - start

    for e in busiest:
        close(e["ts"])
        name = e["name"]
        kind = stack[-1][1] if name in ("RunTask", "ThreadControllerImpl::RunTask") and stack else _kind(name)
        if stack and kind == "other" and stack[-1][1] != "other":
            kind = stack[-1][1]  # an unnamed slice inside scripting is scripting
        stack.append([e["ts"] + e["dur"], kind, e["ts"], 0.0])
    close(float("inf"))
    out["total"] = sum(v for k, v in out.items())
    return dict(out)


def js_self_time(profile: dict) -> dict[str, float]:
    """Self time (ms) per script file of a CDP CPU profile (chunk hashes dropped)."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    out: dict[str, float] = collections.defaultdict(float)
    for node_id, dt in zip(profile["samples"], profile["timeDeltas"], strict=True):
        frame = nodes[node_id]["callFrame"]
        url = frame.get("url", "")
        name = re.sub(r"\.[-\w]{8}\.js$", "", url.rsplit("/", 1)[-1]) if url else frame["functionName"] or "(native)"
        out[name] += dt / 1000
    for idle in ("(idle)", "(program)"):  # waiting, and the browser's own (non-JavaScript) work
        out.pop(idle, None)
    return dict(out)


def press(page, slider: str, key: str) -> None:
    page.locator(f".st-key-{slider} input[type=range]").press(key)
    page.wait_for_function(SETTLED, arg=[QUIET_MS], timeout=30_000, polling=50)


def trace_page(browser, url: str, slider: str, steps: int, keep: Path | None, name: str) -> tuple[dict, dict, float]:
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    open_page(page, url)
    page.locator(f".st-key-{slider} input[type=range]").wait_for(timeout=120_000)
    page.wait_for_timeout(1000)
    page.evaluate(PROBE)
    page.locator(f".st-key-{slider} input[type=range]").focus()
    for i in range(3):
        press(page, slider, "ArrowRight" if i % 2 == 0 else "ArrowLeft")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 100})
    timeline: list[dict] = []
    js: list[dict] = []
    latency: list[float] = []
    for i in range(steps):
        key = "ArrowRight" if i % 2 == 0 else "ArrowLeft"
        browser.start_tracing(page=page, categories=CATEGORIES)
        press(page, slider, key)
        raw = browser.stop_tracing()
        latency.append(page.evaluate("() => window.__lat.last - window.__lat.down"))
        trace = json.loads(raw)
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            (keep / f"{name}-{i}.json").write_bytes(raw)
        timeline.append(main_thread_self_time(trace))
        cdp.send("Profiler.start")
        press(page, slider, "ArrowLeft" if i % 2 == 0 else "ArrowRight")
        js.append(js_self_time(cdp.send("Profiler.stop")["profile"]))
    page.close()

    def medians(runs: list[dict]) -> dict[str, float]:
        keys = {k for r in runs for k in r}
        return {k: statistics.median(r.get(k, 0.0) for r in runs) for k in keys}

    return medians(timeline), medians(js), statistics.median(latency)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--page", action="append", help="page path (repeatable; default /pricing, /fuel, /compounding)")
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--keep", type=Path, help="write each trace here (open in chrome://tracing or DevTools)")
    ap.add_argument("--app-dir", type=Path, default=ROOT, help="checkout whose app.py is traced (default: this one)")
    args = ap.parse_args()
    pages = args.page or ["/pricing", "/fuel", "/compounding"]
    rows = []
    with Server("app.py", cwd=args.app_dir.resolve()) as app, sync_playwright() as p:
        browser = launch(p)
        for path in pages:
            timeline, js, lat = trace_page(browser, app.url + path, PAGES[path], args.steps, args.keep, path.strip("/"))
            rows.append((path, timeline, js, lat))
            print(f"{path}: {json.dumps({k: round(v, 1) for k, v in sorted(timeline.items())})}", flush=True)
        browser.close()
    kinds = ["scripting", "style and layout", "paint and composite", "gc", "other"]
    print()
    print("| page | key press → settled | main thread busy | " + " | ".join(kinds) + " |")
    print("| --- | --- | --- | " + " | ".join("---" for _ in kinds) + " |")
    for path, t, _, lat in rows:
        cells = " | ".join(f"{t.get(k, 0):.0f} ms" for k in kinds)
        print(f"| `{path}` | {lat:.0f} ms | {t.get('total', 0):.0f} ms | {cells} |")
    print()
    print("| page | JavaScript self time by file (median ms per step; the five largest) |")
    print("| --- | --- |")
    for path, _, js, _ in rows:
        top = sorted(js.items(), key=lambda kv: -kv[1])[:5]
        print(f"| `{path}` | " + ", ".join(f"{k} {v:.0f}" for k, v in top) + " |")


if __name__ == "__main__":
    main()
