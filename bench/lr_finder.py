"""Time the learning-rate finder and the neural-network page, and fit their cost model.

python bench/lr_finder.py          # each page's analyse() and its parts at settings from the defaults
                                   # to the issue's links: CPU used against the estimate
python bench/lr_finder.py --fit    # measure steps and forward passes over a grid of settings and
                                   # print the cost constants for optimizers/nn.py
python bench/lr_finder.py --stack  # stacked networks against the same networks one at a time
python bench/lr_finder.py --table  # every activation x data set: the range test's rate, the check's
                                   # best rate, the verdict, the suggested rate
python bench/lr_finder.py --rerun  # each page at default settings through app.py: first run, reruns

Every measurement runs inside a worker of the shared pool (runtime.workpool), where the
pages' heavy work runs, and counts CPU time (``time.process_time``: all threads of the worker).
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from optimizers import lr_finder as lf
from optimizers import network, nn
from runtime import budget
from runtime.blas import blas_one_thread
from runtime.workpool import WorkPool

FINDER = {k: v for k, v in lf.DEFAULTS.items() if k != "dataset"}


def _cpu(fn, *args, **kwargs) -> float:
    t0 = time.process_time()
    fn(*args, **kwargs)
    return time.process_time() - t0


def measure_step(hidden, layers, batch, activation, optimizer, steps) -> float:
    """CPU-seconds per training step (median of 3 repeats)."""
    data = nn.make_dataset("spirals", 512, seed=0)
    params = nn.init_params(nn.layer_sizes(data, hidden, layers), activation, 0)
    times = [_cpu(nn.train, params, data, 1e-3, steps, batch, 0.9, activation, 0, optimizer) / steps for _ in range(3)]
    return statistics.median(times)


def measure_many(hidden, layers, batch, copies, activation, optimizer, steps) -> float:
    """CPU-seconds per step of a stack of ``copies`` networks, each with mini-batches of its
    own (the range tests'; the check shares one order, which costs a little less), median of 3."""
    data = nn.make_dataset("spirals", 512, seed=0)
    starts = [nn.init_params(nn.layer_sizes(data, hidden, layers), activation, s) for s in range(copies)]

    def run() -> None:
        stack = nn._Stack(starts, data, list(range(1, copies + 1)), batch, 0.9, activation, optimizer)
        with np.errstate(all="ignore"):
            for _ in range(steps):
                stack.step(1e-3)

    return statistics.median(_cpu(run) / steps for _ in range(3))


def measure_forward(hidden, layers, rows, activation, repeats) -> float:
    blas_one_thread()  # as every worker of the pool does (runtime.preload)
    data = nn.make_dataset("spirals", max(rows, 10), seed=0)
    params = nn.init_params(nn.layer_sizes(data, hidden, layers), activation, 0)
    X, y = data.X[:rows], data.y[:rows]
    times = [_cpu(lambda: [nn.loss(params, X, y, activation) for _ in range(repeats)]) / repeats for _ in range(3)]
    return statistics.median(times)


def features(hidden, layers, rows, copies=1) -> list[float]:
    """What a step's CPU time is fitted on: a fixed cost, a cost per layer, and per network
    (``copies`` of them) its multiply-adds, activation values and parameters."""
    macs = rows * (2 * hidden + (layers - 1) * hidden * hidden + hidden * 2)
    params = 2 * hidden + (layers - 1) * hidden * hidden + hidden * 2
    return [1.0, layers + 1.0, copies * macs, copies * rows * hidden * layers, copies * params]


#: The estimates are the central fit times this margin. The pool stops a task at 3x its
#: estimate + 1 s (runtime.budget.timeout_for), so a step up to 4.5x slower than the central
#: fit still finishes; the worst point measured is printed beside each fit.
MARGIN = 1.5


def fit(rows: list[tuple[list[float], float]]) -> tuple[list[float], float]:
    """Non-negative least squares on relative error, times MARGIN; also the worst ratio of a
    measured time to the central fit."""
    from scipy.optimize import nnls

    A = np.array([r[0] for r in rows])
    t = np.array([r[1] for r in rows])
    coef, _ = nnls(A / t[:, None], np.ones_like(t))
    ratio = float(np.max(t / (A @ coef)))
    return [float(c) * MARGIN for c in coef], ratio


GRID = list(itertools.product([8, 32, 64, 128], [1, 2, 4, 8], [8, 32, 128, 256]))
#: Stacked steps (range tests over seeds, the check's rates): stacks of 1 to 16 networks, the
#: slowest pairs only (gelu's erf with Adam's moments; sigmoid with SGD).
MANY_GRID = list(itertools.product([8, 32, 64, 128], [1, 2, 4, 8], [8, 32, 128, 256], [1, 3, 8, 16]))
WORST = list(itertools.product(["relu", "gelu", "sigmoid"], nn.OPTIMIZERS))
MANY_WORST = [("gelu", "adam"), ("sigmoid", "sgd-momentum")]
FWD_GRID = list(itertools.product([8, 32, 64, 128], [1, 2, 4, 8], [64, 512, 3600]))


def run_fit(pool: WorkPool, kinds: list[str], log: Path | None) -> None:
    """Measure (or read back from ``log``, the output of an earlier run) and fit."""
    lines = log.read_text().splitlines() if log else []
    if not log:
        for kind in kinds:
            grids = {"step": GRID, "many": MANY_GRID, "fwd": FWD_GRID}
            for point in grids[kind]:
                hidden, layers, n = point[:3]
                copies = point[3] if kind == "many" else 1
                work = hidden * hidden * layers * n * copies
                steps = max(3, min(40, int(4e6 / max(work, 1))))
                try:
                    if kind == "fwd":
                        t = max(pool.run(measure_forward, hidden, layers, n, a, 10, timeout=600) for a, _ in WORST[::2])
                    elif kind == "step":
                        t = max(pool.run(measure_step, hidden, layers, n, a, o, steps, timeout=600) for a, o in WORST)
                    else:
                        t = max(
                            pool.run(measure_many, hidden, layers, n, copies, a, o, steps, timeout=600)
                            for a, o in MANY_WORST
                        )
                except Exception as exc:  # noqa: BLE001 - a point lost to a busy machine is reported, not fatal
                    print(f"# {kind} h={hidden} L={layers} n={n} c={copies}: {exc}", flush=True)
                    continue
                line = f"{kind:5s} h={hidden:3d} L={layers} n={n:4d} c={copies:2d}: {t * 1e6:9.0f} µs"
                print(line, flush=True)
                lines.append(line)
    rows: dict[str, list] = {"step": [], "fwd": [], "many": []}
    for line in lines:
        parts = line.replace("=", " ").replace(":", " ").split()
        if len(parts) >= 11 and parts[0] in rows:
            hidden, layers, n, copies, us = int(parts[2]), int(parts[4]), int(parts[6]), int(parts[8]), float(parts[9])
            rows[parts[0]].append((features(hidden, layers, n, copies), us * 1e-6))
    names = {"step": "STEP_COSTS", "fwd": "FORWARD_COSTS", "many": "MANY_COSTS"}
    for kind, data in rows.items():
        if data:
            coef, ratio = fit(data)
            print(
                f"{names[kind]} = ({', '.join(f'{c:.3g}' for c in coef)})  # {len(data)} points, worst {ratio:.2f}x the central fit"
            )


#: (label, page, settings) measured by the default command: the defaults, the issue's links.
CASES = [
    ("finder, defaults", "finder", {}),
    ("finder, layers=2", "finder", {"layers": 2}),
    ("finder, layers=4, hidden=64", "finder", {"layers": 4, "hidden": 64}),
    (
        "finder, 7 runs x 500, width 128, depth 2, batch 256",
        "finder",
        {"runs": 7, "num_it": 500, "hidden": 128, "layers": 2, "batch_size": 256},
    ),
    ("network, defaults", "network", {}),
    ("network, sigmoid, layers=4", "network", {"activation": "sigmoid", "layers": 4}),
    ("network, sigmoid, layers=8", "network", {"activation": "sigmoid", "layers": 8}),
    ("network, every slider at its maximum, lr=1e-2", "network", {"hidden": 64, "layers": 8, "steps": 600, "lr": 0.01}),
]


def _finder_settings(kw: dict) -> dict:
    out = {"runs": lf.RUNS, "num_it": lf.NUM_IT, **{k: FINDER[k] for k in ("hidden", "layers", "batch_size")}}
    return {**out, "activation": FINDER["activation"], **kw}


def measure_case(page: str, kw: dict) -> float:
    """CPU-seconds of one page's analyse() (cold: nothing is cached inside a worker)."""
    data = nn.make_dataset(lf.DEFAULTS["dataset"], 512, seed=0)
    if page == "finder":
        return _cpu(lf.analyse, data, **_finder_settings(kw))
    net = {"activation": FINDER["activation"], "lr": None, **kw}
    return _cpu(network.analyse, data, **net)


def estimate_case(page: str, kw: dict) -> float:
    if page == "finder":
        s = _finder_settings(kw)
        shape = (s["runs"], s["num_it"], s["hidden"], s["layers"], s["batch_size"])
        return lf.analyse_cost(*shape, activation=s["activation"]).seconds
    s = {"steps": network.STEPS, "hidden": 32, "layers": 1, "activation": "relu", "lr": None, **kw}
    net = (s["steps"], s["hidden"], s["layers"])
    return network.analyse_cost(*net, suggest=s["lr"] is None, activation=s["activation"]).seconds


def estimates_table(pool: WorkPool, repeats: int = 3) -> None:
    print("| page and settings | CPU used (median) | estimated before it runs | mode |")
    print("| --- | --- | --- | --- |")
    for label, page, kw in CASES:
        est = estimate_case(page, kw)
        n = repeats if est < 5 else 1
        used = statistics.median(pool.run(measure_case, page, kw, timeout=600) for _ in range(n))
        mode = budget.mode(budget.Cost(est)).name.lower()
        print(f"| {label} | {used:.2f} s{'' if n > 1 else ' (once)'} | {est:.2f} s | {mode} |", flush=True)


def stack_speedup(hidden, layers, batch, runs, num_it) -> tuple[float, float, float, float]:
    """(range tests one by one, stacked, the check one by one, stacked): CPU-seconds, median of 3."""
    data = nn.make_dataset("spirals", 512, seed=0)
    net = {"hidden": hidden, "layers": layers, "batch_size": batch, "activation": "relu"}
    rng = {"start_lr": lf.START_LR, "end_lr": lf.END_LR, "num_it": num_it}

    def alone():
        for seed in range(runs):
            lf.lr_range_test(data, seed=seed, **rng, **net)

    def one_by_one():
        start = nn.init_params(nn.layer_sizes(data, hidden, layers), "relu", 0)
        for lr in (*lf.SWEEP_RATES, 0.1):
            nn.train(start, data, lr, lf.SWEEP_STEPS, batch, 0.9, "relu", 0)

    rates = [*lf.SWEEP_RATES, 0.1]
    out = []
    for fn, args in (
        (alone, ()),
        (lf.range_tests, (data, range(runs))),
        (one_by_one, ()),
        (lf.lr_sweep, (data, rates)),
    ):
        kw = {**rng, **net} if fn is lf.range_tests else ({**net} if fn is lf.lr_sweep else {})
        out.append(statistics.median(_cpu(fn, *args, **kw) for _ in range(3)))
    return tuple(out)


STACK_CASES = [
    (32, 1, 32, 3, 200),
    (32, 1, 32, 7, 500),
    (32, 4, 32, 3, 200),
    (64, 4, 32, 3, 200),
    (128, 2, 256, 7, 500),
]


def stack_table(pool: WorkPool) -> None:
    print(
        "| width, depth, batch; runs x iterations | range tests one by one | stacked | check (16 rates) one by one | stacked |"
    )
    print("| --- | --- | --- | --- | --- |")
    for case in STACK_CASES:
        a, b, c, d = pool.run(stack_speedup, *case, timeout=1200)
        h, L, batch, runs, num_it = case
        print(
            f"| {h}, {L}, {batch}; {runs} x {num_it} | {a * 1000:.0f} ms | {b * 1000:.0f} ms ({a / b:.1f}x) | "
            f"{c * 1000:.0f} ms | {d * 1000:.0f} ms ({c / d:.1f}x) |",
            flush=True,
        )


def suggestion_table(pool: WorkPool) -> None:
    print(
        "| activation | data set | range test's rate (accuracy) | check's best rate (accuracy) | verdict | suggested |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for activation in nn.ACTIVATIONS:
        for name in nn.DATASETS:
            print(pool.run(_table_row, activation, name, timeout=300), flush=True)


def _table_row(activation: str, name: str) -> str:
    r = lf.analyse(nn.make_dataset(name, 512, seed=0), activation=activation)
    c = r.candidate
    cand = f"{c.lr:.2e} ({c.accuracy:.1%})" if c else "none"
    best = f"{r.best.lr:.2e} ({r.best.accuracy:.1%})"
    return f"| {activation} | {name} | {cand} | {best} | {r.verdict.name} | {r.suggested:.2e} |"


def reruns(page: str, repeats: int = 5) -> tuple[float, float]:
    """(first run, median rerun) wall seconds of a page at default settings, through app.py in
    Streamlit's AppTest: the first run computes (in the pool), reruns hit the caches."""
    from streamlit.testing.v1 import AppTest

    root = Path(__file__).resolve().parents[1]
    at = AppTest.from_file(str(root / "app.py"), default_timeout=120)
    at.switch_page(f"app_pages/{page}.py")
    t0 = time.perf_counter()
    at.run()
    first = time.perf_counter() - t0
    assert not at.exception, [e.value for e in at.exception]
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
    return first, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", nargs="*", choices=["step", "fwd", "many"], help="measure and fit the cost model")
    parser.add_argument("--log", type=Path, help="with --fit: fit the measurements printed by an earlier run")
    parser.add_argument("--stack", action="store_true", help="stacked networks against one at a time")
    parser.add_argument("--table", action="store_true", help="the suggestion for every activation and data set")
    parser.add_argument("--rerun", action="store_true", help="wall time of each page's first run and reruns")
    args = parser.parse_args()
    pool = WorkPool(workers=1)
    try:
        if args.fit is not None:
            run_fit(pool, args.fit or ["step", "fwd", "many"], args.log)
        elif args.stack:
            stack_table(pool)
        elif args.table:
            suggestion_table(pool)
        elif args.rerun:
            for page in ("lr-finder", "network"):
                first, again = reruns(page)
                print(f"/{page}: first run {first * 1000:.0f} ms, rerun (median of 5) {again * 1000:.0f} ms")
        else:
            estimates_table(pool)
    finally:
        pool.shutdown()


if __name__ == "__main__":
    # The pool's workers never run __main__ (runtime.workpool.skip_main_module), so the
    # functions sent to them must belong to an importable module: this file, by its name
    # (the script's folder is on the workers' sys.path, as on ours).
    import importlib

    importlib.import_module(Path(__file__).stem).main()
