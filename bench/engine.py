"""Accuracy and speed of optimizers.optimize against scipy's bounded Brent on the seed's models.

    python bench/engine.py

For each closed-form optimum in the seed module it prints the location error of
`optimize` (brentq on f') and of `minimize_scalar(method="bounded")`, and the CPU time of
each (best of 7 runs of 200 solves). CPU time of this process, not the wall clock: on a
shared machine the wall clock also counts everyone else's work.
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import minimize_scalar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from optimizers import optimize

CASES = [
    ("price (p-20)(1300-10p)", lambda p: (p - 20) * (1300 - 10 * p), 0, 130, "max", 75.0),
    ("study 100(1-e^-0.3h)-2h", lambda h: 100 * (1 - np.exp(-0.3 * h)) - 2 * h, 0, 16, "max", math.log(15) / 0.3),
    ("fuel s/(0.001s^2+2)", lambda s: s / (0.001 * s**2 + 2), 1, 120, "max", math.sqrt(2000)),
    ("ad spend x^2-10x+100", lambda x: x**2 - 10 * x + 100, 0, 10, "min", 5.0),
]


def best_of(fn, reps: int = 7, calls: int = 200) -> float:
    best = math.inf
    for _ in range(reps):
        t0 = time.process_time()
        for _ in range(calls):
            fn()
        best = min(best, (time.process_time() - t0) / calls)
    return best


def main() -> None:
    print(f"{'model':26} {'optimize error':>15} {'bounded error':>14} {'optimize':>10} {'bounded':>10} {'ratio':>6}")
    for name, f, lo, hi, goal, exact in CASES:
        sign = -1 if goal == "max" else 1
        ours = optimize(f, lo, hi, goal)
        theirs = minimize_scalar(lambda x, f=f, s=sign: s * f(x), bounds=(lo, hi), method="bounded")
        t_ours = best_of(lambda f=f, lo=lo, hi=hi, g=goal: optimize(f, lo, hi, g))
        t_theirs = best_of(
            lambda f=f, lo=lo, hi=hi, s=sign: minimize_scalar(lambda x: s * f(x), bounds=(lo, hi), method="bounded")
        )
        print(
            f"{name:26} {abs(ours.x - exact):15.1e} {abs(theirs.x - exact):14.1e} "
            f"{t_ours * 1e6:8.0f}us {t_theirs * 1e6:8.0f}us {t_ours / t_theirs:5.2f}x"
        )


if __name__ == "__main__":
    main()
