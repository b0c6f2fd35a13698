"""Per-rerun CPU cost of every chart the pages draw at their defaults: the hand-written
Vega-Lite dicts of commit 0d915c0 against the Altair specs built once per shape.

    python bench/charts.py [--reps 25] [--batch 20]

How: each page runs once in AppTest with the chart functions recorded (which function,
which arguments, which results went into ``stack``/``show``); every chart a page shows
is then rebuilt from those arguments by both versions in this one process, interleaved
(old, new, old, new, ...), ``--reps`` times ``--batch`` builds each; the table shows the
median CPU time of one build (``time.process_time``). The Altair column is with its spec
cache warm (the steady state of a server); "cold" is the first build of that shape after
clearing the cache (once per shape per server process).

The heap is frozen after the pages ran (``gc.freeze()``, as the server does after its
warm-up): otherwise a collection of the whole AppTest heap lands in whichever build
allocates when it is due. The old modules are read from git (``git show 0d915c0:ui/charts.py``) into temporary
modules, not kept in the tree. The same/different column compares what both versions
draw: mark types, titles, axis titles and formats, colours (the old hex colours mapped
to the theme names they meant), dataset names and row counts.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import importlib.util
import inspect
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BASE = "0d915c0"
#: Every page with charts at its defaults, and the envelope chart of the sensitivity section.
PAGES = [
    ("pricing", {}),
    ("study", {}),
    ("fuel", {}),
    ("compounding", {}),
    ("lr-finder", {}),
    ("network", {}),
    ("custom", {}),
    ("lab", {}),
    ("pricing", {"sweep": "unit_cost"}),
]
#: Hex colours of the old dicts and the theme colour names the new charts use for them.
OLD_HEX = {
    "#2563eb": "blue",
    "#7c3aed": "violet",
    "#dc2626": "red",
    "#ea580c": "orange",
    "#16a34a": "green",
    "#6b7280": "gray",
    "#111827": "gray",
    "#374151": "gray",
    "#94a3b8": "gray",
    "#cbd5e1": "gray",
    "#d97706": "orange",
    "#4e79a7": "blue",
    "#f28e2b": "orange",
    "#59a14f": "green",
    "#e15759": "red",
    "#76b7b2": "violet",
    "#edc948": "gray",
    "#b07aa1": "yellow",
}
RECORDED = {
    "charts": ["objective_chart", "objective_spec", "lines_chart", "fit_chart", "stack", "show", "show_objective"],
    "nn_charts": ["range_test_chart", "path_chart", "regions_chart", "norms_chart", "check_chart"],
}


def load_old() -> tuple[object, object]:
    """ui/charts.py and ui/nn_charts.py as they were at commit 0d915c0, as modules."""
    tmp = Path(tempfile.mkdtemp(prefix="charts-0d915c0-"))
    modules = []
    for name, text_fix in (("charts", None), ("nn_charts", ("from ui.charts import", "from _old_charts import"))):
        source = subprocess.run(
            ["git", "show", f"{BASE}:ui/{name}.py"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
        if text_fix:
            source = source.replace(*text_fix)
        path = tmp / f"_old_{name}.py"
        path.write_text(source)
        spec = importlib.util.spec_from_file_location(f"_old_{name}", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[f"_old_{name}"] = module
        spec.loader.exec_module(module)
        modules.append(module)
    return modules[0], modules[1]


@dataclasses.dataclass
class Call:
    module: str
    name: str
    args: tuple
    kwargs: dict


@dataclasses.dataclass(frozen=True)
class Ref:
    """The result (or one item of a tuple result) of an earlier recorded call."""

    call: int
    item: int | None = None


def record(page: str, params: dict) -> tuple[list[Call], list[Ref]]:
    """Run a page in AppTest and record its chart calls; returns the calls and what it showed."""
    from streamlit.testing.v1 import AppTest

    from ui import charts, nn_charts

    calls: list[Call] = []
    shown: list[Ref] = []
    ids: dict[int, Ref] = {}
    saved = {}

    def to_ref(value):
        if isinstance(value, (list, tuple)) and not isinstance(value, charts.Marker):
            return type(value)(to_ref(v) for v in value)
        return ids.get(id(value), value)

    def wrap(module_name, module, name):
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            index = len(calls)
            calls.append(Call(module_name, name, to_ref(args), {k: to_ref(v) for k, v in kwargs.items()}))
            if name in ("show", "show_objective"):
                shown.append(Ref(index))
                return None
            result = original(*args, **kwargs)
            ids[id(result)] = Ref(index)
            if isinstance(result, tuple):
                for i, item in enumerate(result):
                    ids[id(item)] = Ref(index, i)
            return result

        saved[(module, name)] = original
        setattr(module, name, wrapper)

    for module_name, names in RECORDED.items():
        module = {"charts": charts, "nn_charts": nn_charts}[module_name]
        for name in names:
            wrap(module_name, module, name)
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.switch_page(f"app_pages/{page}.py")
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    finally:
        for (module, name), original in saved.items():
            setattr(module, name, original)
    return calls, shown


def needed(calls: list[Call], ref: Ref) -> list[int]:
    """The recorded calls one shown chart is built from, in order."""
    out: set[int] = set()

    def visit(value):
        if isinstance(value, Ref):
            if value.call not in out:
                out.add(value.call)
                c = calls[value.call]
                for v in (*c.args, *c.kwargs.values()):
                    visit(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                visit(v)

    visit(ref)
    return sorted(out)


def builder(calls: list[Call], ref: Ref, modules: dict[str, object]):
    """A function that builds one shown chart with the given modules (old or new)."""
    steps = needed(calls, ref)
    marker = modules["charts"].Marker

    def convert(value, results):
        if isinstance(value, Ref):
            r = results[value.call]
            return r if value.item is None else r[value.item]
        if dataclasses.is_dataclass(value) and type(value).__name__ == "Marker":
            return marker(**dataclasses.asdict(value))
        if isinstance(value, (list, tuple)):
            return type(value)(convert(v, results) for v in value)
        return value

    plan = []
    for i in steps:
        c = calls[i]
        name = {"show": None, "show_objective": "objective_spec"}.get(c.name, c.name)
        fn = getattr(modules[c.module], name) if name else None
        accepted = inspect.signature(fn).parameters if fn else {}
        kwargs = {k: v for k, v in c.kwargs.items() if k in accepted or "kwargs" in accepted}
        plan.append((i, fn, c.args, kwargs))

    def build():
        results = {}
        for i, fn, args, kwargs in plan:
            a = convert(args, results)
            results[i] = a[0] if fn is None else fn(*a, **convert(kwargs, results))
        return results[steps[-1]]

    return build


def title_text(title) -> str:
    if isinstance(title, dict):
        text = title.get("text", "")
        sub = title.get("subtitle", "")
        join = lambda t: " ".join(t) if isinstance(t, list) else (t or "")
        return join(text) + (" · " + join(sub) if sub else "")
    return title or ""


def summary(spec: dict) -> dict:
    """What a chart draws, in terms both versions can be compared on."""
    rows = spec.get("vconcat", [spec])
    marks, titles, axes, colours = [], [], set(), set()

    def colour(value):
        if isinstance(value, str):
            colours.add(OLD_HEX.get(value.lower(), value))

    for row in rows:
        titles.append(title_text(row.get("title")))
        for layer in row.get("layer", [row]):
            mark = layer.get("mark", {})
            marks.append(mark if isinstance(mark, str) else mark.get("type"))
            if isinstance(mark, dict):
                colour(mark.get("color"))
            for channel, enc in layer.get("encoding", {}).items():
                if not isinstance(enc, dict):
                    continue
                if channel in ("x", "y") and isinstance(enc.get("axis"), dict):
                    a = enc["axis"]
                    axes.add((channel, enc.get("title", a.get("title")), a.get("format")))
                elif channel in ("x", "y") and "title" in enc:
                    axes.add((channel, enc["title"], None))
                if channel == "color":
                    colour(enc.get("value"))
                    for v in (enc.get("scale") or {}).get("range", []) or []:
                        colour(v)
    datasets = {k: v.num_rows for k, v in spec.get("datasets", {}).items()}
    return {
        "marks": sorted(marks),
        "titles": titles,
        "axes": sorted(axes, key=json.dumps),
        "colours": sorted(colours),
        "datasets": datasets,
    }


def differences(old: dict, new: dict) -> list[str]:
    a, b = summary(old), summary(new)
    return [k for k in a if a[k] != b[k]]


def cpu_ms(fn, batch: int) -> float:
    start = time.process_time()
    for _ in range(batch):
        fn()
    return (time.process_time() - start) / batch * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=25)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--verbose", action="store_true", help="print what differs between the two versions")
    opts = parser.parse_args()

    from ui import charts, nn_charts

    old_charts, old_nn = load_old()
    old = {"charts": old_charts, "nn_charts": old_nn}
    new = {"charts": charts, "nn_charts": nn_charts}
    cases = []
    for page, params in PAGES:
        calls, shown = record(page, params)
        label = page + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")
        for ref in shown:
            b_old, b_new = builder(calls, ref, old), builder(calls, ref, new)
            spec = b_new()
            title = title_text(spec.get("vconcat", [spec])[0].get("title"))
            if page == "pricing" and params:  # the sensitivity section: its envelope chart only
                if "varies" not in title:
                    continue
                label = "sensitivity (envelope)"
            cases.append((label, title, b_old, b_new))
    for _, _, b_old, b_new in cases:  # warm both: imports, the Altair spec cache
        b_old(), b_new()
    # As the server does after its warm-up (ui/runtime.py): the heap the pages loaded is
    # frozen, so that a collection triggered inside one build does not scan all of it.
    gc.collect()
    gc.freeze()
    cold = []
    for _, _, _, b_new in cases:
        charts._compose.cache_clear()
        start = time.process_time()
        b_new()
        cold.append((time.process_time() - start) * 1e3)
    for _, _, b_old, b_new in cases:
        b_old(), b_new()
    times = [([], []) for _ in cases]
    for _ in range(opts.reps):
        for (_, _, b_old, b_new), (t_old, t_new) in zip(cases, times, strict=True):
            t_old.append(cpu_ms(b_old, opts.batch))
            t_new.append(cpu_ms(b_new, opts.batch))
    print(f"Per-rerun CPU ms (median of {opts.reps} x {opts.batch} builds, interleaved; Altair cache warm)\n")
    print("| page | chart | dicts (0d915c0) | Altair, warm | ratio | Altair, cold (once per shape) | same chart |")
    print("| --- | --- | ---: | ---: | ---: | ---: | --- |")
    worst = 0.0
    for (label, title, b_old, b_new), (t_old, t_new), c in zip(cases, times, cold, strict=True):
        m_old, m_new = statistics.median(t_old), statistics.median(t_new)
        worst = max(worst, m_new / m_old)
        diff = differences(b_old(), b_new())
        same = "same" if not diff else "different: " + ", ".join(diff)
        print(f"| {label} | {title[:48]} | {m_old:.2f} | {m_new:.2f} | {m_new / m_old:.2f} | {c:.0f} | {same} |")
        if diff and opts.verbose:
            a, b = summary(b_old()), summary(b_new())
            for k in diff:
                print(f"    {k}:\n      old {a[k]}\n      new {b[k]}")
    total_old = sum(statistics.median(t[0]) for t in times)
    total_new = sum(statistics.median(t[1]) for t in times)
    print(
        f"\nAll charts: {total_old:.2f} ms (dicts) vs {total_new:.2f} ms (Altair, warm): {total_new / total_old:.2f}x;"
    )
    print(f"worst chart {worst:.2f}x; cold builds {sum(cold):.0f} ms in all, once per shape per server process.")


if __name__ == "__main__":
    main()
