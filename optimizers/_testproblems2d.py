"""Published two-variable test problems with their global minima, shared by the tests and
``bench/multivariate.py`` (as scipy keeps its own in ``optimize/_tstutils.py``).

The set is the smooth two-variable functions of M. Jamil and X.-S. Yang, "A literature survey
of benchmark functions for global optimization problems", Int. J. Mathematical Modelling and
Numerical Optimisation 4(2), 150–194 (2013), on the domains given there, plus Himmelblau's
function (D. M. Himmelblau, *Applied Nonlinear Programming*, 1972). Functions with a kink or a
cusp at or near the optimum (Ackley, Bukin 6, Cross-in-tray, Eggholder, Holder table, Schaffer
4) are left out: the engine looks for ∇f = 0, which has no solution at a kink (it still finds
such optima by sampling, but that is a different claim).

``fun`` and ``minimizers`` are the published optimum refined to 20 digits: Newton's method on
∇f = 0 in 40-digit arithmetic (``mpmath.findroot``) from the published point, or a closed
form where one exists (noted). ``published`` is the value as printed in the source, to its
own precision, for the tests that check the source too. Every function is numpy-vectorised and
complex-safe (so the complex step applies), and ``text`` is the same function for the safe
parser (:func:`optimizers.expression.parse_xy`) where it fits its limits.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["PROBLEMS", "TestProblem2D", "by_name"]


@dataclass(frozen=True)
class TestProblem2D:
    """One problem: f on box with its global minimum ``fun`` at each of ``minimizers``."""

    name: str
    f: Callable
    box: tuple[float, float, float, float]
    fun: float
    minimizers: tuple[tuple[float, float], ...]
    published: float
    text: str | None = None
    note: str = ""

    __test__ = False  # not a pytest class


def _adjiman(x, y):
    return np.cos(x) * np.sin(y) - x / (y**2 + 1)


def _beale(x, y):
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


def _bird(x, y):
    return np.sin(x) * np.exp((1 - np.cos(y)) ** 2) + np.cos(y) * np.exp((1 - np.sin(x)) ** 2) + (x - y) ** 2


def _booth(x, y):
    return (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2


_BRANIN = (1.0, 5.1 / (4 * math.pi**2), 5 / math.pi, 6.0, 10.0, 1 / (8 * math.pi))


def _branin(x, y):
    a, b, c, r, s, t = _BRANIN
    return a * (y - b * x**2 + c * x - r) ** 2 + s * (1 - t) * np.cos(x) + s


def _camel3(x, y):
    return 2 * x**2 - 1.05 * x**4 + x**6 / 6 + x * y + y**2


def _camel6(x, y):
    return (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2


def _dixon_price(x, y):
    return (x - 1) ** 2 + 2 * (2 * y**2 - x) ** 2


def _easom(x, y):
    return -np.cos(x) * np.cos(y) * np.exp(-((x - np.pi) ** 2) - (y - np.pi) ** 2)


def _goldstein_price(x, y):
    a = 1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x**2 - 14 * y + 6 * x * y + 3 * y**2)
    b = 30 + (2 * x - 3 * y) ** 2 * (18 - 32 * x + 12 * x**2 + 48 * y - 36 * x * y + 27 * y**2)
    return a * b


def _himmelblau(x, y):
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def _hosaki(x, y):
    return (1 - 8 * x + 7 * x**2 - 7 / 3 * x**3 + x**4 / 4) * y**2 * np.exp(-y)


def _leon(x, y):
    return 100 * (y - x**3) ** 2 + (1 - x) ** 2


def _matyas(x, y):
    return 0.26 * (x**2 + y**2) - 0.48 * x * y


def _mccormick(x, y):
    return np.sin(x + y) + (x - y) ** 2 - 1.5 * x + 2.5 * y + 1


def _rastrigin(x, y):
    return 20 + x**2 - 10 * np.cos(2 * np.pi * x) + y**2 - 10 * np.cos(2 * np.pi * y)


def _rosenbrock(x, y):
    return 100 * (y - x**2) ** 2 + (1 - x) ** 2


def _styblinski_tang(x, y):
    return 0.5 * (x**4 - 16 * x**2 + 5 * x + y**4 - 16 * y**2 + 5 * y)


def _treccani(x, y):
    return x**4 + 4 * x**3 + 4 * x**2 + y**2


def _trid(x, y):
    return (x - 1) ** 2 + (y - 1) ** 2 - x * y


def _zakharov(x, y):
    s = 0.5 * x + y
    return x**2 + y**2 + s**2 + s**4


def _zettl(x, y):
    return (x**2 + y**2 - 2 * x) ** 2 + 0.25 * x


_ST = -2.9035340277711770951  # the root of 4t³ − 32t + 5 near −2.9 (each coordinate of the minimum)

PROBLEMS: tuple[TestProblem2D, ...] = (
    TestProblem2D(
        "Adjiman", _adjiman, (-1.0, 2.0, -1.0, 1.0), -2.0218067833597869534, ((2.0, 0.10578346945171690647),),
        -2.02181, "cos(x)sin(y) - x/(y^2 + 1)", "the minimum is on the edge x = 2",
    ),
    TestProblem2D(
        "Beale", _beale, (-4.5, 4.5, -4.5, 4.5), 0.0, ((3.0, 0.5),), 0.0,
        "(1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2",
    ),
    TestProblem2D(
        "Bird", _bird, (-2 * math.pi, 2 * math.pi, -2 * math.pi, 2 * math.pi), -106.76453674926467478,
        ((4.7010431302495530234, 3.1529385037249300727), (-1.5821421769300334535, -3.1302468034546564042)),
        -106.764537, "sin(x)exp((1 - cos(y))^2) + cos(y)exp((1 - sin(x))^2) + (x - y)^2",
    ),
    TestProblem2D("Booth", _booth, (-10.0, 10.0, -10.0, 10.0), 0.0, ((1.0, 3.0),), 0.0, "(x + 2y - 7)^2 + (2x + y - 5)^2"),
    TestProblem2D(
        "Branin", _branin, (-5.0, 10.0, 0.0, 15.0), 5 / (4 * math.pi),
        ((-math.pi, 12.275), (math.pi, 2.275), (3 * math.pi, 2.475)), 0.397887,
        "(y - 5.1/(4pi^2) x^2 + 5x/pi - 6)^2 + 10(1 - 1/(8pi))cos(x) + 10", "closed form 5/(4π)",
    ),
    TestProblem2D(
        "Three-hump camel", _camel3, (-5.0, 5.0, -5.0, 5.0), 0.0, ((0.0, 0.0),), 0.0, "2x^2 - 1.05x^4 + x^6/6 + xy + y^2"
    ),
    TestProblem2D(
        "Six-hump camel", _camel6, (-5.0, 5.0, -5.0, 5.0), -1.0316284534898773504,
        ((0.089842013100318062422, -0.7126564030207396334), (-0.089842013100318062422, 0.7126564030207396334)),
        -1.0316, "(4 - 2.1x^2 + x^4/3)x^2 + xy + (-4 + 4y^2)y^2",
    ),
    TestProblem2D(
        "Dixon-Price", _dixon_price, (-10.0, 10.0, -10.0, 10.0), 0.0, ((1.0, math.sqrt(0.5)), (1.0, -math.sqrt(0.5))),
        0.0, "(x - 1)^2 + 2(2y^2 - x)^2",
    ),
    TestProblem2D(
        "Easom", _easom, (-100.0, 100.0, -100.0, 100.0), -1.0, ((math.pi, math.pi),), -1.0,
        "-cos(x)cos(y)exp(-(x - pi)^2 - (y - pi)^2)", "a needle: 1% of the box",
    ),
    TestProblem2D(
        "Goldstein-Price", _goldstein_price, (-2.0, 2.0, -2.0, 2.0), 3.0, ((0.0, -1.0),), 3.0,
        "(1 + (x + y + 1)^2(19 - 14x + 3x^2 - 14y + 6xy + 3y^2))(30 + (2x - 3y)^2(18 - 32x + 12x^2 + 48y - 36xy + 27y^2))",
    ),
    TestProblem2D(
        "Himmelblau", _himmelblau, (-5.0, 5.0, -5.0, 5.0), 0.0,
        ((3.0, 2.0), (-2.8051180869527448531, 3.1313125182505729658), (-3.7793102533777468919, -3.2831859912861694123),
         (3.5844283403304917449, -1.8481265269644035535)),
        0.0, "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
    ),
    TestProblem2D(
        "Hosaki", _hosaki, (0.0, 5.0, 0.0, 6.0), -52 / (3 * math.exp(2)), ((4.0, 2.0),), -2.3458,
        "(1 - 8x + 7x^2 - 7/3 x^3 + x^4/4) y^2 exp(-y)", "closed form −52/(3e²)",
    ),
    TestProblem2D("Leon", _leon, (-1.2, 1.2, -1.2, 1.2), 0.0, ((1.0, 1.0),), 0.0, "100(y - x^3)^2 + (1 - x)^2"),
    TestProblem2D("Matyas", _matyas, (-10.0, 10.0, -10.0, 10.0), 0.0, ((0.0, 0.0),), 0.0, "0.26(x^2 + y^2) - 0.48xy"),
    TestProblem2D(
        "McCormick", _mccormick, (-1.5, 4.0, -3.0, 3.0), -math.sqrt(3) / 2 - math.pi / 3,
        ((0.5 - math.pi / 3, -0.5 - math.pi / 3),), -1.9133, "sin(x + y) + (x - y)^2 - 1.5x + 2.5y + 1",
        "closed form −√3/2 − π/3 at x − y = 1, x + y = −2π/3",
    ),
    TestProblem2D(
        "Rastrigin", _rastrigin, (-5.12, 5.12, -5.12, 5.12), 0.0, ((0.0, 0.0),), 0.0,
        "20 + x^2 - 10cos(2pi*x) + y^2 - 10cos(2pi*y)", "121 local minima",
    ),
    TestProblem2D(
        "Rosenbrock", _rosenbrock, (-30.0, 30.0, -30.0, 30.0), 0.0, ((1.0, 1.0),), 0.0, "100(y - x^2)^2 + (1 - x)^2"
    ),
    TestProblem2D(
        "Styblinski-Tang", _styblinski_tang, (-5.0, 5.0, -5.0, 5.0), -78.332331407542830928, ((_ST, _ST),), -78.332,
        "(x^4 - 16x^2 + 5x + y^4 - 16y^2 + 5y)/2",
    ),
    TestProblem2D(
        "Treccani", _treccani, (-5.0, 5.0, -5.0, 5.0), 0.0, ((0.0, 0.0), (-2.0, 0.0)), 0.0, "x^4 + 4x^3 + 4x^2 + y^2"
    ),
    TestProblem2D("Trid", _trid, (-4.0, 4.0, -4.0, 4.0), -2.0, ((2.0, 2.0),), -2.0, "(x - 1)^2 + (y - 1)^2 - xy"),
    TestProblem2D(
        "Zakharov", _zakharov, (-5.0, 10.0, -5.0, 10.0), 0.0, ((0.0, 0.0),), 0.0,
        "x^2 + y^2 + (0.5x + y)^2 + (0.5x + y)^4",
    ),
    TestProblem2D(
        "Zettl", _zettl, (-5.0, 10.0, -5.0, 10.0), -0.0037912372204688979985, ((-0.029895985050660383482, 0.0),),
        -0.003791, "(x^2 + y^2 - 2x)^2 + 0.25x",
    ),
)  # fmt: skip


def by_name(name: str) -> TestProblem2D:
    """The problem called ``name``.

    >>> by_name("Branin").fun == 5 / (4 * math.pi)
    True
    """
    for p in PROBLEMS:
        if p.name == name:
            return p
    raise ValueError(f"no test problem named {name!r}; have {[p.name for p in PROBLEMS]}")
