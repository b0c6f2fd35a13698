"""The published two-variable test set: the engine's critical-point search against scipy's
``shgo`` and a plain multi-start, on every problem of ``optimizers/_testproblems2d.py``.

    python bench/multivariate.py             # table on stdout
    python bench/multivariate.py --markdown  # the table in docs/engine-2d.md
    python bench/multivariate.py --n 81      # a finer scan grid for the engine
    python bench/multivariate.py --certify   # what the certified search proves, per problem

For each problem (Jamil & Yang 2013, plus Himmelblau) it runs

* **engine**: ``multivariate.optimize(f, box, "min")`` (critical points from the grid scan,
  Newton on ∇f = 0, edges and corners compared; the complex-step gradient, no analytic
  derivatives, as for a function handed over as code);
* **shgo**: ``scipy.optimize.shgo(f, bounds)`` with its defaults (simplicial sampling of
  2^dim + 1 points, local minimisation by SLSQP), and with ``sampling_method="sobol", n=256``;
* **multi-start**: ``scipy.optimize.minimize(method="L-BFGS-B")`` with bounds from every start
  the engine used (the cells of the grid and of its dual grid whose winding number brackets a
  critical point, and the grid nodes where |∇f| is locally smallest), the best result kept.

and prints whether each found the global minimum (within FOUND_RTOL of the published f*,
relative to max(1, |f*|)), how many of the published minimisers it located (within
PLACE_RTOL of the box), the function evaluations and the CPU seconds (best of REPEATS runs).
The engine also reports its own completeness status; "incomplete" means it said so itself.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import minimize, shgo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from optimizers import expression, surface
from optimizers import multivariate as mv
from optimizers._testproblems2d import PROBLEMS, TestProblem2D

#: A result counts as the global minimum within this much of f* (relative to max(1, |f*|)).
FOUND_RTOL = 1e-6
#: shgo's second setting: Sobol sampling with 256 points (its defaults sample 2^dim + 1 = 5).
SHGO_SOBOL = {"sampling_method": "sobol", "n": 256}
#: A published minimiser counts as located within this share of the box's widths.
PLACE_RTOL = 1e-6
REPEATS = 3


class _Counted:
    def __init__(self, f):
        self.f, self.n = f, 0

    def __call__(self, x, y):
        self.n += np.size(x)
        return self.f(x, y)


def _found(value: float, p: TestProblem2D) -> bool:
    return abs(value - p.fun) <= FOUND_RTOL * max(1.0, abs(p.fun))


def _located(points, p: TestProblem2D) -> int:
    wx, wy = p.box[1] - p.box[0], p.box[3] - p.box[2]
    return sum(
        any(abs(x - mx) <= PLACE_RTOL * wx and abs(y - my) <= PLACE_RTOL * wy for x, y in points)
        for mx, my in p.minimizers
    )


def _timed(fn):
    best, out = float("inf"), None
    for _ in range(REPEATS):
        t = time.process_time()
        out = fn()
        best = min(best, time.process_time() - t)
    return out, best


def run_engine(p: TestProblem2D, n: int):
    def go():
        f = _Counted(p.f)
        with np.errstate(all="ignore"):
            best = mv.optimize(f, p.box, "min", n=n)
        return best, f.n

    (best, nfev), seconds = _timed(go)
    places = [(q.x, q.y) for q in best.places]
    return {
        "value": best.value, "found": _found(best.value, p), "located": _located(places, p),
        "nfev": nfev, "seconds": seconds, "status": best.status.value,
    }  # fmt: skip


def run_shgo(p: TestProblem2D, **options):
    def go():
        f = _Counted(p.f)
        with np.errstate(all="ignore"):
            res = shgo(lambda v: float(f(v[0], v[1])), [(p.box[0], p.box[1]), (p.box[2], p.box[3])], **options)
        return res, f.n

    (res, nfev), seconds = _timed(go)
    xl = getattr(res, "xl", None)
    xl = np.atleast_2d(xl) if xl is not None else np.atleast_2d(res.x)
    places = [(float(a), float(b)) for a, b in xl if abs(float(p.f(a, b)) - res.fun) <= 1e-9 * max(1, abs(res.fun))]
    return {
        "value": float(res.fun), "found": _found(float(res.fun), p), "located": _located(places, p),
        "nfev": nfev, "seconds": seconds,
    }  # fmt: skip


def engine_starts(p: TestProblem2D, n: int) -> np.ndarray:
    """The Newton starts the engine's scan chooses (for the multi-start to use the same)."""
    with np.errstate(all="ignore"):
        scan = mv._scan(p.f, mv.Box(*p.box), None, None, n)
        starts, _ = mv._start_points(scan)  # the same starts the engine uses
    return starts


def run_multistart(p: TestProblem2D, n: int):
    starts = engine_starts(p, n)
    bounds = [(p.box[0], p.box[1]), (p.box[2], p.box[3])]

    def go():
        f = _Counted(p.f)
        results = []
        with np.errstate(all="ignore"):
            for s in starts:
                r = minimize(lambda v: float(f(v[0], v[1])), s, method="L-BFGS-B", bounds=bounds)
                results.append((float(r.fun), float(r.x[0]), float(r.x[1])))
        return results, f.n

    (results, nfev), seconds = _timed(go)
    best = min(r[0] for r in results)
    places = [(x, y) for v, x, y in results if abs(v - best) <= 1e-9 * max(1, abs(best))]
    return {
        "value": best, "found": _found(best, p), "located": _located(places, p), "nfev": nfev,
        "seconds": seconds, "starts": len(starts),
    }  # fmt: skip


def certification_table(markdown: bool) -> None:
    """Each problem typed as on the surface page: what the certified search proves about the
    engine's minimum within the page's budget (cells from surface.certify_cost)."""
    header = ["problem", "status", "cells (cap)", "CPU s", "proved gap", "target", "improved"]
    lines = []
    for p in PROBLEMS:
        print(p.name, "...", file=sys.stderr, flush=True)
        parsed = expression.prepare_xy(p.text)
        r = surface.analyse(p.text, *p.box, "min", parsed=parsed)
        c = r.certificate
        _, cap = surface.certify_cost(parsed)
        lines.append(
            [p.name, c.status.value, f"{c.cells:,} ({cap:,})", f"{c.seconds:.2f}", f"{c.tol:.2g}", f"{c.target:.2g}",
             "yes" if c.improved else ""]
        )  # fmt: skip
    _print(header, lines, markdown)


def _print(header, lines, markdown: bool) -> None:
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for line in lines:
            print("| " + " | ".join(line) + " |")
        return
    widths = [max(len(str(r[i])) for r in [header, *lines]) for i in range(len(header))]
    for line in [header, *lines]:
        print("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print a markdown table")
    parser.add_argument("--n", type=int, default=mv.GRID_POINTS, help="the engine's grid points per side")
    parser.add_argument("--certify", action="store_true", help="the certified search's table instead")
    args = parser.parse_args(argv)
    if args.certify:
        certification_table(args.markdown)
        return 0
    rows = []
    for p in PROBLEMS:
        print(p.name, "...", file=sys.stderr, flush=True)
        rows.append((p, run_engine(p, args.n), run_shgo(p), run_shgo(p, **SHGO_SOBOL), run_multistart(p, args.n)))

    def cell(r):
        mark = "found" if r["found"] else "MISSED"
        return f"{mark} {r['located']}/{{m}} {r['nfev']:,} {r['seconds'] * 1e3:.0f} ms"

    header = [
        "problem", "f*", f"engine (n={args.n})", "engine status", "shgo (defaults)", "shgo (sobol, n=256)",
        "L-BFGS-B multi-start (engine's starts)",
    ]  # fmt: skip
    lines = []
    for p, e, s, s2, m in rows:
        k = len(p.minimizers)
        lines.append(
            [p.name, f"{p.fun:.10g}", cell(e).format(m=k), e["status"], cell(s).format(m=k), cell(s2).format(m=k),
             cell(m).format(m=k) + f" ({m['starts']} starts)"]
        )  # fmt: skip
    totals = [f"found (of {len(rows)})", "", str(sum(r[1]["found"] for r in rows))]
    totals.append(f"{sum(r[1]['status'] == 'complete' for r in rows)} complete")
    totals += [str(sum(r[i]["found"] for r in rows)) for i in (2, 3, 4)]
    lines.append(totals)
    _print(header, lines, args.markdown)
    if not args.markdown:
        print("\ncells: found/MISSED the global minimum, minimisers located/published, evaluations of f, CPU time")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
