"""The published univariate global-optimisation test set: engine, certified search, bounded
Brent and shgo on each problem.

    python bench/univariate.py            # table on stdout
    python bench/univariate.py --markdown # the table in docs/engine.md

The set, its sources and its three corrections are described in optimizers/_testproblems.py.

For each problem it prints the published f*, what ``optimize`` found (the page's setting:
sympy's f' and f''), what the certified interval search proved, and what
``minimize_scalar(method="bounded")`` and ``shgo`` found, with CPU times (best of a few
runs). "found" means within 1e-5 (relative to max(1, |f*|)) of the published f*.
"""

from __future__ import annotations

import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import minimize_scalar, shgo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from explain.engine import not_certifiable, stop_reason
from optimizers import certify, custom, expression
from optimizers._testproblems import PROBLEMS, Problem, found
from optimizers.calculus import optimize


def _cpu(fn, reps: int = 3, calls: int = 1) -> float:
    best = math.inf
    for _ in range(reps):
        t0 = time.process_time()
        for _ in range(calls):
            fn()
        best = min(best, (time.process_time() - t0) / calls)
    return best


@dataclass(frozen=True)
class Row:
    problem: Problem
    engine: float
    engine_x: float
    engine_s: float
    certificate: certify.Certificate | str
    certify_s: float
    budget_s: float
    brent: float
    brent_s: float
    shgo: float
    shgo_s: float


def run(problem: Problem, *, timing: bool = True) -> Row:
    """Every method on one problem (the certified search in this process, not the pool)."""
    parsed = expression.prepare(problem.text)
    f, df, d2f = parsed.callables()
    lo, hi = problem.lo, problem.hi
    report = custom.analyse(parsed, lo, hi, "min")
    opt = report.optimum
    try:
        cost, cells = certify.certify_cost(parsed)
        x0, f0, scale = custom.certification_inputs(report)
        t0 = time.process_time()
        cert = certify.certify(parsed, lo, hi, "min", x0, f0, scale, max_cells=cells)
        cert_s = time.process_time() - t0
        budget_s = cost.seconds
    except certify.NotCertifiable as exc:
        cert, cert_s, budget_s = not_certifiable(exc), 0.0, 0.0

    def scalar(t):
        return float(np.asarray(f(np.float64(t))))

    brent = minimize_scalar(scalar, bounds=(lo, hi), method="bounded")
    glob = shgo(lambda v: scalar(v[0]), bounds=[(lo, hi)])
    reps = 3 if timing else 0
    return Row(
        problem,
        opt.fun,
        opt.x,
        _cpu(lambda: optimize(f, lo, hi, "min", df=df, d2f=d2f), reps, 5) if reps else math.nan,
        cert,
        cert_s,
        budget_s,
        float(brent.fun),
        _cpu(lambda: minimize_scalar(scalar, bounds=(lo, hi), method="bounded"), reps, 5) if reps else math.nan,
        float(glob.fun),
        _cpu(lambda: shgo(lambda v: scalar(v[0]), bounds=[(lo, hi)]), reps) if reps else math.nan,
    )


def _mark(ok: bool) -> str:
    return "yes" if ok else "**no**"


def _cert_cell(row: Row) -> str:
    c = row.certificate
    if isinstance(c, str):
        return f"not certified: {c}"
    if not c.certified:
        return f"not certified: {stop_reason(c)}"
    better = " (found a better point)" if c.improved else ""
    return f"{c.fun:.10g} − {c.tol:.1e}, {c.cells} cell{'s' if c.cells != 1 else ''}{better}"


def main(markdown: bool = False) -> None:
    rows = [run(p) for p in PROBLEMS]
    if markdown:
        print(
            "| # | f* (published) | `optimize` | certified: nothing below | bounded Brent | shgo | "
            "CPU: optimize / certify / Brent / shgo |"
        )
        print("| ---: | ---: | ---: | --- | ---: | ---: | ---: |")
        for r in rows:
            p = r.problem
            print(
                f"| {p.number} | {p.f_star:.7g} | {r.engine:.7g} {_mark(found(r.engine, p.f_star))} | {_cert_cell(r)} | "
                f"{r.brent:.7g} {_mark(found(r.brent, p.f_star))} | {r.shgo:.7g} {_mark(found(r.shgo, p.f_star))} | "
                f"{r.engine_s * 1e3:.1f} / {r.certify_s * 1e3:.0f} / {r.brent_s * 1e3:.1f} / {r.shgo_s * 1e3:.1f} ms |"
            )
    else:
        print(
            f"{'#':>3} {'f* published':>14} {'optimize':>14} ok {'certified':>38} {'opt ms':>7} {'cert ms':>8} "
            f"{'budget s':>8} {'brent':>12} ok {'brent ms':>8} {'shgo':>12} ok {'shgo ms':>8}"
        )
        for r in rows:
            p = r.problem
            print(
                f"{p.number:>3} {p.f_star:>14.7g} {r.engine:>14.7g} {'Y' if found(r.engine, p.f_star) else 'N':>2} "
                f"{_cert_cell(r)[:38]:>38} {r.engine_s * 1e3:>7.2f} {r.certify_s * 1e3:>8.0f} {r.budget_s:>8.2f} "
                f"{r.brent:>12.7g} {'Y' if found(r.brent, p.f_star) else 'N':>2} {r.brent_s * 1e3:>8.2f} "
                f"{r.shgo:>12.7g} {'Y' if found(r.shgo, p.f_star) else 'N':>2} {r.shgo_s * 1e3:>8.1f}"
            )
    n = len(rows)
    certified = sum(1 for r in rows if not isinstance(r.certificate, str) and r.certificate.certified)
    print()
    print(
        f"optimize {sum(found(r.engine, r.problem.f_star) for r in rows)}/{n}, certified {certified}/{n}, "
        f"bounded Brent {sum(found(r.brent, r.problem.f_star) for r in rows)}/{n}, "
        f"shgo {sum(found(r.shgo, r.problem.f_star) for r in rows)}/{n}"
    )


if __name__ == "__main__":
    main(markdown="--markdown" in sys.argv)
