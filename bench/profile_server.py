"""Where a loaded server's time goes: py-spy samples of ``streamlit run app.py`` under bench/load.py's
visitors, grouped by what each sample was doing.

    python bench/profile_server.py                        # /pricing, /fuel, /compounding, 8 visitors, 15 s each
    python bench/profile_server.py --page /fuel --visitors 20 --seconds 20 --keep /tmp/fuel.txt

Each page gets its own server, started as the tests start it (runtime/launch.py, the app's own
config). One visitor, then ``--visitors`` for 3 s, warm it up (imports, the first build of each
chart shape: once per process, not per step); then ``py-spy record --pid PID --format raw --rate
250 --gil --nonblocking --duration SECONDS`` samples it while the visitors move sliders
(tests/support/loadgen.py: bench/load.py's scenario for /pricing and /compounding, the page's
latency slider otherwise). ``--gil``: only the thread holding the GIL is sampled (one process is
one core, so this is the time that decides throughput). ``--all-threads`` drops ``--gil``: every
busy thread is sampled, so time outside the GIL (Arrow, syscalls) shows, and so does the wait to
take the GIL back after each syscall.

Each sample is put in the first bucket whose test matches its stack, leaf upwards:

- inside the page script (Streamlit's ``code_to_exec``), by the leaf-most frame that belongs to one
  of: **CSV** (``ui/export.py``'s ``table_to_csv``),
  **cache lookups** (Streamlit's caching: hashing arguments, reading and copying results),
  **charts** (``ui/charts.py``), **Streamlit elements** (``streamlit/elements``, the delta
  generator, protobufs), **numbers** (``optimizers/``), **words** (``explain/``), **inputs and
  layout** (other ``ui/`` modules), **page code** (the rest);
- outside it: **sending** (forward messages, websocket, protobuf serialisation), **Streamlit
  runtime** (script runner, session, widgets' state), **other** (event loop, threads).
"""

from __future__ import annotations

import argparse
import collections
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.latency import PAGES as SLIDERS
from runtime.launch import Server
from tests.support.loadgen import PAGES as SCENARIOS
from tests.support.loadgen import run_load

#: Inside the page script, each sample goes to the owner of its leaf-most frame that has one.
BUCKETS = [
    ("CSV", lambda f: f.startswith("table_to_csv (ui/export.py")),
    ("cache lookups", lambda f: "streamlit/runtime/caching/" in f),
    ("charts", lambda f: "(ui/charts.py" in f or "(ui/charts2d.py" in f or "(ui/nn_charts.py" in f),
    ("Streamlit elements", lambda f: "streamlit/elements/" in f or "delta_generator" in f),
    ("numbers (optimizers)", lambda f: "(optimizers/" in f),
    ("words (explain)", lambda f: "(explain/" in f),
    ("inputs and layout (ui)", lambda f: "(ui/" in f),
    ("page code (app_pages)", lambda f: "(app_pages/" in f or "(app.py" in f),
]
#: Outside the page script, the first test that matches any frame of the sample.
OUTSIDE = [
    ("sending (messages, websocket)", lambda s: "forward_msg" in s or "websocket" in s or "SerializeToString" in s),
    ("Streamlit runtime", lambda s: "streamlit/" in s),
]


def classify(stack: str) -> str:
    """The bucket of one sample (a ``;``-joined stack, root first)."""
    if "code_to_exec" in stack:  # the page script
        for frame in reversed(stack.split(";")):
            for name, test in BUCKETS:
                if test(frame):
                    return name
        return "page code (app_pages)"
    for name, test in OUTSIDE:
        if test(stack):
            return name
    return "other (event loop, threads)"


def summarise(raw: str) -> dict[str, int]:
    """Samples per bucket of a py-spy ``--format raw`` file (``frame;frame;... count`` lines)."""
    out: dict[str, int] = collections.Counter()
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            out[classify(stack)] += int(count)
    return dict(out)


def profile(
    page: str, visitors: int, seconds: float, keep: Path | None, cwd: Path = ROOT, gil: bool = True
) -> tuple[dict[str, int], float]:
    """Samples per bucket of one server under ``visitors`` on ``page`` (warm: the first runs,
    imports and the first chart builds of every shape are not sampled), and the reruns/s."""
    out = keep or Path(tempfile.mkstemp(suffix=".txt")[1])
    query, widgets = SCENARIOS.get(page, ("", (SLIDERS[page],)))
    spy = Path(sys.executable).parent / "py-spy"
    with Server("app.py", cwd=cwd, timeout=120) as server:
        run_load(server.url, page, query, 3, 1, 30, widgets)  # imports, first builds, one at a time
        run_load(server.url, page, query, 1000, visitors, 3, widgets)  # warm up under load
        cmd = [str(spy), "record", "--format", "raw", "--rate", "250", "--nonblocking"] + (["--gil"] if gil else [])
        cmd += ["--duration", str(int(seconds)), "--pid", str(server.pid), "-o", str(out)]
        recorder = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(0.5)
        stats = run_load(server.url, page, query, 10_000, visitors, seconds + 2, widgets)
        try:
            recorder.wait(timeout=60)
        except subprocess.TimeoutExpired:
            recorder.send_signal(signal.SIGINT)
            recorder.wait(timeout=30)
    return summarise(out.read_text()), stats.throughput


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--page", action="append", help="page path (repeatable; default /pricing, /fuel, /compounding)")
    ap.add_argument("--visitors", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=15)
    ap.add_argument("--keep", type=Path, help="directory for the raw py-spy files (flame graphs: flamegraph.pl)")
    ap.add_argument("--app-dir", type=Path, default=ROOT, help="checkout whose app.py is profiled (default: this one)")
    ap.add_argument(
        "--all-threads",
        action="store_true",
        help="sample every thread on a CPU (not only the one holding the GIL): time outside the GIL shows too",
    )
    ap.add_argument("--summarise", type=Path, help="only summarise the raw files an earlier --keep wrote here")
    args = ap.parse_args()
    pages = args.page or ["/pricing", "/fuel", "/compounding"]
    results = {}
    for page in pages:
        if args.summarise:
            results[page] = (summarise((args.summarise / f"{page.strip('/')}.txt").read_text()), float("nan"))
            continue
        keep = None
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            keep = args.keep / f"{page.strip('/')}.txt"
        results[page] = profile(
            page, args.visitors, args.seconds, keep, args.app_dir.resolve(), gil=not args.all_threads
        )
        print(page, results[page], flush=True)
    names = [n for n, _ in BUCKETS] + [n for n, _ in OUTSIDE] + ["other (event loop, threads)"]
    print()
    what = "the samples of every busy thread" if args.all_threads else "the GIL-holding samples"
    print(f"| where (share of {what}) | " + " | ".join(f"`{p}`" for p in pages) + " |")
    print("| --- | " + " | ".join("---" for _ in pages) + " |")
    for name in names:
        cells = []
        for page in pages:
            counts, _ = results[page]
            total = sum(counts.values()) or 1
            cells.append(f"{100 * counts.get(name, 0) / total:.0f}%")
        print(f"| {name} | " + " | ".join(cells) + " |")
    print("| reruns/s while sampled | " + " | ".join(f"{results[p][1]:.1f}" for p in pages) + " |")


if __name__ == "__main__":
    main()
