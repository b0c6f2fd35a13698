"""The published univariate global-optimisation test set, shared by the tests and bench/ (scipy
keeps its own in ``optimize/_tstutils.py``).

The set: problems 1-20 of P. Hansen, B. Jaumard and S.-H. Lu, "Global optimization of
univariate Lipschitz functions: II. New algorithms and computational comparison",
Mathematical Programming 55 (1992) 273-292, as collected with problems 21-22 in A. Gavana's
univariate benchmark (infinity77.net/global_optimization/test_functions_1d.html) and in
scipy's ``benchmarks/go_benchmark_functions/go_funcs_univariate.py`` (which keeps 18 of
them). Every problem is a minimisation; the formulas are written in the grammar of the
"Your own function" page, so the page can certify each of them:

* problem 3 and 8 sum k = 1..5, as in Hansen et al. and in scipy's code (its docstring says 6);
* problem 16 is 2(x - 3)^2 + e^(x^2/2): the paper's sign of x^2 does not match its own optimum;
* problem 18 is (x - 2)^2 for x <= 3 and 2 ln(x - 2) + 1 above, written with min and max:
  (min(x, 3) - 2)^2 + 2 ln(max(x, 3) - 2).

>>> len(PROBLEMS), PROBLEMS[1].text, found(-1.8996, PROBLEMS[1].f_star)
(22, 'sin(x) + sin(10x/3)', True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["FOUND_RTOL", "PROBLEMS", "Problem", "found"]

#: A result counts as the global minimum within this much of the published f*.
FOUND_RTOL = 1e-5


@dataclass(frozen=True)
class Problem:
    """One test problem: its number, the formula as typed on /custom, the interval and the
    published global minimum."""

    number: int
    text: str
    lo: float
    hi: float
    f_star: float


PROBLEMS = [
    Problem(1, "x^6/6 - 52/25*x^5 + 39/80*x^4 + 71/10*x^3 - 79/20*x^2 - x + 1/10", -1.5, 11.0, -29763.233),
    Problem(2, "sin(x) + sin(10x/3)", 2.7, 7.5, -1.899599),
    Problem(3, "-(sin(2x+1) + 2sin(3x+2) + 3sin(4x+3) + 4sin(5x+4) + 5sin(6x+5))", -10.0, 10.0, -12.03124),
    Problem(4, "-(16x^2 - 24x + 5)*exp(-x)", 1.9, 3.9, -3.85045),
    Problem(5, "(3x - 1.4)*sin(18x)", 0.0, 1.2, -1.48907),
    Problem(6, "-(x + sin(x))*exp(-x^2)", -10.0, 10.0, -0.824239),
    Problem(7, "sin(x) + sin(10x/3) + log(x) - 0.84x + 3", 2.7, 7.5, -1.6013),
    Problem(8, "-(cos(2x+1) + 2cos(3x+2) + 3cos(4x+3) + 4cos(5x+4) + 5cos(6x+5))", -10.0, 10.0, -14.508),
    Problem(9, "sin(x) + sin(2x/3)", 3.1, 20.4, -1.90596),
    Problem(10, "-x*sin(x)", 0.0, 10.0, -7.916727),
    Problem(11, "2cos(x) + cos(2x)", -math.pi / 2, 2 * math.pi, -1.5),
    Problem(12, "sin(x)^3 + cos(x)^3", 0.0, 2 * math.pi, -1.0),
    Problem(13, "-x^(2/3) - (1 - x^2)^(1/3)", 0.001, 0.99, -1.5874),
    Problem(14, "-exp(-x)*sin(2pi*x)", 0.0, 4.0, -0.788685),
    Problem(15, "(x^2 - 5x + 6)/(x^2 + 1)", -5.0, 5.0, -0.03553),
    Problem(16, "2(x - 3)^2 + exp(x^2/2)", -3.0, 3.0, 7.515924),
    Problem(17, "x^6 - 15x^4 + 27x^2 + 250", -4.0, 4.0, 7.0),
    Problem(18, "(min(x, 3) - 2)^2 + 2*log(max(x, 3) - 2)", 0.0, 6.0, 0.0),
    Problem(19, "-x + sin(3x) - 1", 0.0, 6.5, -7.815674),
    Problem(20, "-(x - sin(x))*exp(-x^2)", -10.0, 10.0, -0.0634905),
    Problem(21, "x*sin(x) + x*cos(2x)", 0.0, 10.0, -9.50835),
    Problem(22, "exp(-3x) - sin(x)^3", 0.0, 20.0, math.exp(-27 * math.pi / 2) - 1),
]


def found(value: float, f_star: float) -> bool:
    """Is ``value`` the published global minimum (up to its published digits)?"""
    return value <= f_star + FOUND_RTOL * max(1.0, abs(f_star))
