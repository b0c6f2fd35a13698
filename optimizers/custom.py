"""Any function a user types: its derivatives, every critical point and the global optimum.

Parsing and symbolic work live in :mod:`optimizers.expression` and depend on the formula
alone; this module does the numbers for one interval: where f is undefined, has a pole or a
kink (from the sub-expressions that decide it, found numerically, so a new interval never
needs sympy), the engine's optimum, the curve and the table. Parts of the interval where f
is undefined or not continuous are reported instead of optimised (or plotted) across; f
finite with an infinite slope (sqrt(x) at 0, a cusp) is a candidate like any other point.

Two things that would hide an answer are handled instead of refused. A removable
singularity (sin(x)/x at 0: undefined, with a finite limit) is given its limit, which
sympy computes (:func:`optimizers.expression.limits`, in a worker on a server) and the
caller passes in: the engine then works on each side of the point. An overflow to +inf
cannot be a minimum (nor -inf a maximum): where f overflows that way only near the ends,
the engine searches the part where f is finite.

A formula may use one parameter, a (:func:`optimizers.expression.parse`): its value is
substituted numerically, and :func:`sensitivity_problem` says how the optimum moves with
it (and with the end of the interval that holds a boundary optimum).

Results are numbers and statuses (:class:`Problem`, :class:`NoSensitivity`); the words are
:mod:`explain.custom`'s.
"""

from __future__ import annotations

import enum
import itertools
import math
import time
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy.optimize import brentq, minimize_scalar

from optimizers import sensitivity as sn
from optimizers.calculus import (
    GRID_POINTS,
    Boundary,
    CriticalPoint,
    DerivativeTest,
    Feature,
    FoundBy,
    Kind,
    NotFinite,
    Optimum,
    optimize,
    tied_places,
)
from optimizers.certify import Certificate, NotCertifiable
from optimizers.cost import Cost
from optimizers.expression import ExpressionError, Limit, ParsedFunction, curvature_limits, limits, prepare

__all__ = [
    "A_LIMIT",
    "CustomReport",
    "NoSensitivity",
    "Problem",
    "Verdict",
    "analyse",
    "analyse_function",
    "breaks",
    "certification_inputs",
    "curve_through",
    "holes",
    "sensitivity_cost",
    "sensitivity_problem",
    "sensitivity_status",
    "tidy",
    "verdict",
]

#: The parameter a is accepted in [-A_LIMIT, A_LIMIT] (the page's input range).
A_LIMIT = 1e6

CURVE_POINTS = 241
TABLE_POINTS = 21
#: Grid on which the watched sub-expressions are scanned for sign changes and zeros.
SCAN_POINTS = 801
#: Around a break, this share of the interval is left out of the plot (poles are tall).
POLE_MARGIN = 0.01
#: A number within this many ulps of zero, at the scale of its quantity, is shown as 0.
TIDY_ULPS = 8
#: |f| above this (a millionth of the largest float, about 1.8e302) counts as overflow: the
#: engine's sums over the grid stay finite below it.
OVERFLOW_LIMIT = float(np.finfo(float).max) / 1e6


def tidy(value: float, scale: float) -> float:
    """``value``, or 0.0 when it is rounding noise at ``scale`` (a few ulps of it).

    brentq lands within ~1e-16 of a root at 0, so x**2/(x + 1) has its minimum "at
    x = -2.01e-16 with f = 4.05e-32"; at the scale of the interval that is 0.

    >>> tidy(-2.01186e-16, 3.0), tidy(4.0476e-32, 2.25), tidy(0.5, 3.0)
    (0.0, 0.0, 0.5)
    """
    if not math.isfinite(value):
        return value
    return 0.0 if abs(value) <= TIDY_ULPS * np.finfo(float).eps * abs(scale) else value + 0.0


class Problem(enum.Enum):
    """Why no optimum is reported for a formula on an interval."""

    UNDEFINED = "undefined"  # f is undefined or not continuous on ``gaps`` (a log or root of a negative, a pole)
    OVERFLOW = "overflow"  # f is too large for floating point on ``gaps``, where the optimum may be
    DERIVATIVE_OVERFLOW = "derivative overflow"  # f' is not finite near ``problem_x``: its sign cannot be read
    NOT_FINITE = "not finite"  # the engine found f not finite at ``problem_x``


@dataclass(frozen=True)
class CustomReport:
    """Everything the "Your own function" page shows, as numbers and statuses.

    ``gaps`` are the parts of [lo, hi] where f is undefined or not continuous ((a, a) for a
    point), or, with ``Problem.OVERFLOW``, too large for floating point; ``suggestion`` is a
    narrower interval free of them. ``limits`` are the removable singularities whose limits
    were used; ``overflow`` the stretches at the ends where f overflows away from the
    optimum (+inf for a minimum), left out of the search. ``kinks`` are where abs, max or min
    switch branch; ``x_scale`` and ``f_scale`` are the sizes against which rounding noise is
    judged (:meth:`shown_x`, :meth:`shown_f`); ``a`` is the parameter's value (None when f has
    no a); ``solve_seconds`` the CPU time the engine took (the price of each re-solve when a
    is swept). ``table`` has the columns x, f, f_prime, f_second (the page adds its notes).
    """

    text: str
    lo: float
    hi: float
    goal: str
    latex: tuple[str, str, str]
    optimum: Optimum | None
    points: tuple[CriticalPoint, ...]
    problem: Problem | None
    kinks: tuple[float, ...]
    curve: pd.DataFrame
    table: pd.DataFrame
    gaps: tuple[tuple[float, float], ...] = ()
    x_scale: float = 1.0
    f_scale: float = 1.0
    a: float | None = None
    solve_seconds: float = 0.0
    suggestion: tuple[float, float] | None = None
    problem_x: float = math.nan
    limits: tuple[Limit, ...] = ()
    overflow: tuple[tuple[float, float], ...] = ()

    def shown_x(self, value: float) -> float:
        """x as the page shows it (0 when it is rounding noise at the interval's scale)."""
        return tidy(value, self.x_scale)

    def shown_f(self, value: float) -> float:
        """f as the page shows it (0 when it is rounding noise at f's scale)."""
        return tidy(value, self.f_scale)

    @property
    def limit_points(self) -> tuple[tuple[float, float], ...]:
        """(x, limit) of each removable singularity (for :func:`optimizers.certify.certify`)."""
        return tuple((lim.x, lim.value) for lim in self.limits)

    def limit_at(self, x: float) -> Limit | None:
        """The removable singularity at x, if x is one."""
        return next((lim for lim in self.limits if lim.x == x), None)


def _suggest(gaps, lo: float, hi: float) -> tuple[float, float] | None:
    """The widest stretch of [lo, hi] between the gaps, moved 1% off every break."""
    edges = [(lo, False)] + [(v, True) for ab in gaps for v in ab] + [(hi, False)]
    pieces = [(edges[i], edges[i + 1]) for i in range(0, len(edges) - 1, 2)]
    (a, a_break), (b, b_break) = max(pieces, key=lambda p: p[1][0] - p[0][0])
    if b - a <= 1e-6 * (hi - lo):  # nothing worth suggesting between the gaps
        return None
    pad = 0.01 * (b - a)
    a2 = float(f"{a + pad:.6g}") if a_break else a
    b2 = float(f"{b - pad:.6g}") if b_break else b
    return (a2, b2) if a2 < b2 else None


def _values(fn, x: np.ndarray) -> np.ndarray:
    """Real values of fn on x; complex results (outside the reals) and errors are nan."""
    with np.errstate(all="ignore"):
        try:
            y = np.asarray(fn(x))
        except (ValueError, TypeError, ZeroDivisionError, OverflowError):
            return np.full(x.shape, np.nan)
    if np.iscomplexobj(y):
        y = np.where(np.abs(y.imag) <= 1e-12 * np.abs(y.real), y.real, np.nan)
    return np.broadcast_to(y, x.shape).astype(float)


def _root(fn, a: float, b: float, ok=np.isfinite) -> float:
    """Where fn changes between a and b: its zero (brentq) when it changes sign there, else
    the point where ``ok(fn)`` switches (bisection to machine precision)."""
    va, vb = _values(fn, np.array([a, b]))
    if np.isfinite(va) and np.isfinite(vb) and va * vb < 0:
        return float(brentq(lambda t: float(_values(fn, np.array([t]))[0]), a, b, xtol=1e-15, rtol=8.9e-16))
    good_a = bool(ok(va))
    for _ in range(80):
        m = 0.5 * (a + b)
        if not a < m < b:
            break
        if bool(ok(_values(fn, np.array([m]))[0])) == good_a:
            a = m
        else:
            b = m
    return b if good_a else a


def _zeros(fn, x: np.ndarray, v: np.ndarray) -> list[float]:
    """Where fn is zero on [x0, xn]: exact grid zeros, sign changes, and dips of |fn| that
    reach zero without a sign change ((x - 1)**2)."""
    found = [float(t) for t in x[v == 0]]
    s = np.sign(v)
    for k in np.flatnonzero(s[:-1] * s[1:] < 0):
        found.append(_root(fn, float(x[k]), float(x[k + 1])))
    a = np.abs(v)
    inner = a[1:-1]
    dips = 1 + np.flatnonzero((inner < a[:-2]) & (inner <= a[2:]) & (s[:-2] == s[2:]) & (s[1:-1] == s[2:]))
    scale = float(np.nanmax(a)) if np.isfinite(a).any() else 0.0
    for k in dips:
        res = minimize_scalar(
            lambda t: abs(float(_values(fn, np.array([t]))[0])),
            bounds=(float(x[k - 1]), float(x[k + 1])),
            method="bounded",
            options={"xatol": 1e-14},
        )
        if res.fun <= 1e-12 * scale:
            found.append(float(res.x))
    return sorted(found)


def _intervals(ok, x: np.ndarray, fn) -> list[tuple[float, float]]:
    """Stretches of the grid where ``ok(fn)`` fails, with their ends refined between samples."""
    bad = ~ok(_values(fn, x))
    out = []
    edges = np.flatnonzero(np.diff(np.concatenate([[0], bad.astype(int), [0]])))
    for start, stop in zip(edges[::2], edges[1::2], strict=True):
        a = float(x[start]) if start == 0 else _root(fn, float(x[start - 1]), float(x[start]), ok)
        b = float(x[stop - 1]) if stop == x.size else _root(fn, float(x[stop - 1]), float(x[stop]), ok)
        out.append((a, b))
    return out


def _positive(v):
    return np.asarray(v) > 0


def _nonnegative(v):
    return np.asarray(v) >= 0


def _merge(gaps: list[tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    merged: list[list[float]] = []
    for a, b in sorted(gaps):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return tuple((a, b) for a, b in merged)


def breaks(parsed: ParsedFunction, lo: float, hi: float, a: float = 1.0):
    """(gaps, kinks) of f on [lo, hi], found numerically from the watched sub-expressions.

    A logarithm's argument <= 0 or a fractional power's base < 0 is a gap (a stretch where
    f is undefined); a denominator's zero is a pole (a point gap); an abs/max/min argument's
    zero is a kink. No sympy: a new interval (or a new value of the parameter a) costs a few
    vectorised evaluations.

    >>> from optimizers.expression import prepare
    >>> breaks(prepare("log(x) + abs(x - 1)"), -1, 2)
    (((-1.0, 0.0),), (1.0,))
    """
    x = np.linspace(lo, hi, SCAN_POINTS)
    gaps: list[tuple[float, float]] = []
    kinks: list[float] = []
    for kind, fn in parsed.watch_callables(a):
        v = _values(fn, x)
        if kind == "kink":
            kinks += _zeros(fn, x, np.nan_to_num(v))
        elif kind == "nonzero":  # a pole where u = 0 (u = inf is overflow, judged on f itself)
            gaps += [(r, r) for r in _zeros(fn, x, np.where(np.isfinite(v), v, 1.0))]
        else:
            gaps += _intervals(_positive if kind == "positive" else _nonnegative, x, fn)
            if kind == "positive":  # log(u) at an isolated zero of u between samples
                gaps += [(r, r) for r in _zeros(fn, x, np.where(np.isfinite(v), v, 1.0))]
    gaps = [(max(a, lo), min(b, hi)) for a, b in gaps if b >= lo and a <= hi]
    kinks = sorted({k for k in kinks if lo <= k <= hi})
    return _merge(gaps), tuple(kinks)


def holes(parsed: ParsedFunction, lo: float, hi: float, a: float = 1.0) -> tuple[float, ...]:
    """The points of [lo, hi] where f is undefined (poles and isolated zeros of a logarithm's
    argument): the candidates for a removable singularity, whose limits sympy computes
    (:func:`optimizers.expression.limits`).

    >>> from optimizers.expression import prepare
    >>> holes(prepare("sin(x)/x"), -10, 10), holes(prepare("log(x)"), -1, 2)
    ((0.0,), ())
    """
    gaps, _ = breaks(parsed, lo, hi, a)
    return tuple(g for g, h in gaps if g == h)


def analyse_function(text: str, lo: float, hi: float, goal: str = "min", a: float = 1.0) -> CustomReport:
    """Parse ``text`` (which may use the parameter a), differentiate it, take its limits at
    any removable singularity, and optimise it on [lo, hi] at this value of a
    (:func:`analyse`). sympy runs in this process, without a time limit.

    Raises
    ------
    ExpressionError
        The text is not an accepted formula, or the interval is bad.

    Examples
    --------
    The tutorial's ad-spend cost C(x) = x^2 - 10x + 100 is lowest at x = 5, where C = 75:

    >>> r = analyse_function("x^2 - 10x + 100", 0, 10, "min")
    >>> r.optimum.x, r.optimum.fun, r.latex[1]
    (5.0, 75.0, '2 x - 10')

    With the parameter a, x² − a·x is lowest at x = a/2:

    >>> analyse_function("x^2 - a*x", 0, 10, "min", a=3).optimum.x
    1.5

    sin(x)/x is undefined at 0; its limit there, 1, is the maximum:

    >>> r = analyse_function("sin(x)/x", -10, 10, "max")
    >>> r.optimum.x, r.optimum.fun, r.limits[0].value
    (0.0, 1.0, 1.0)
    """
    _check(lo, hi, goal, a)
    parsed = prepare(text, parameter=True)
    found = limits(parsed, holes(parsed, lo, hi, a), lo, hi, a)
    return analyse(parsed, lo, hi, goal, a, limits=curvature_limits(parsed, found, lo, hi, a))


def _check(lo: float, hi: float, goal: str, a: float = 1.0) -> None:
    if goal not in ("max", "min"):
        raise ExpressionError(f"goal must be max or min, got {goal!r}")
    if not (math.isfinite(lo) and math.isfinite(hi) and hi > lo):
        raise ExpressionError(f"the interval needs lo < hi, got lo={lo:g}, hi={hi:g}")
    if not (isinstance(a, int | float) and math.isfinite(a) and abs(a) <= A_LIMIT):
        raise ExpressionError(f"the parameter a must be a number within ±{A_LIMIT:g}, got {a!r}")


def _extended(fn, at: dict[float, float]):
    """fn with the values ``at`` (x -> value) at those exact points: f, f' or f'' of a removable
    singularity given its limits."""
    if not at:
        return fn
    xs = np.array(list(at))
    vs = np.array(list(at.values()))

    def call(x):
        y = fn(x)
        xa = np.asarray(x)
        if np.iscomplexobj(xa):
            return y
        hit = xa[..., None] == xs
        if not hit.any():
            return y
        y = np.array(y, dtype=float, copy=True)
        if y.ndim == 0:
            return float(vs[hit.reshape(-1)][0])
        rows = hit.any(axis=-1)
        y[rows] = vs[np.argmax(hit[rows], axis=-1)]
        return y

    return call


def _edge(ok, a: float, b: float) -> float:
    """The last point from ``a`` toward ``b`` where ``ok`` holds (ok(a) holds, ok(b) does not),
    by bisection to machine precision."""
    for _ in range(1100):
        m = 0.5 * (a + b)
        if not (min(a, b) < m < max(a, b)):
            break
        a, b = (m, b) if ok(m) else (a, m)
    return a


def _overflow(f, lo: float, hi: float, goal: str) -> tuple[list[tuple[float, float]], tuple[float, float] | None]:
    """(stretches where f is not finite, or beyond OVERFLOW_LIMIT; the part left to search or None).

    Where f overflows to +inf (or passes OVERFLOW_LIMIT) it is larger than every value the
    rest of the interval takes, so a minimum cannot be there (nor a maximum where it falls
    below -OVERFLOW_LIMIT). When that happens only next to the ends, the part between is
    searched; nan, the other infinity or a stretch in the middle leaves None: no optimum can
    be reported."""
    x = np.linspace(lo, hi, SCAN_POINTS)
    v = _values(f, x)
    sign = 1.0 if goal == "min" else -1.0
    high = sign * v > OVERFLOW_LIMIT  # false for nan
    bad = ~np.isfinite(v) | (np.abs(v) > OVERFLOW_LIMIT)
    if not bad.any():
        return [], (lo, hi)

    def ok(t: float) -> bool:
        w = float(_values(f, np.array([t]))[0])
        return math.isfinite(w) and abs(w) <= OVERFLOW_LIMIT

    stretches = []
    for i, j in _runs(bad):  # each stretch's ends refined to the last point where f is still fine
        a = lo if i == 0 else _edge(ok, float(x[i - 1]), float(x[i]))
        b = hi if j == x.size else _edge(ok, float(x[j]), float(x[j - 1]))
        stretches.append((float(a), float(b)))
    good = np.flatnonzero(~bad)
    if good.size == 0 or np.any(bad & ~high) or np.any(bad[good[0] : good[-1] + 1]):
        return stretches, None
    a = stretches[0][1] if bad[0] else lo
    b = stretches[-1][0] if bad[-1] else hi
    return stretches, (a, b)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of each run of True in mask."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(int), [0]])))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def analyse(
    parsed: ParsedFunction,
    lo: float,
    hi: float,
    goal: str = "min",
    a: float = 1.0,
    *,
    limits: tuple[Limit, ...] = (),
) -> CustomReport:
    """The numbers for one interval, from a formula already parsed and differentiated.

    ``limits`` are the removable singularities on [lo, hi] (from
    :func:`optimizers.expression.limits`); a point where f is undefined without one is a gap.

    Raises
    ------
    ExpressionError
        On a bad interval or goal.

    Examples
    --------
    >>> from optimizers.expression import prepare
    >>> r = analyse(prepare("x^2 / (x + 1)"), -0.5, 3, "min")
    >>> r.shown_x(r.optimum.x), r.shown_f(r.optimum.fun)
    (0.0, 0.0)
    >>> r = analyse(prepare("x^100"), 0, 1e6, "min")  # +inf far from the minimum cannot hide it
    >>> r.optimum.x, r.optimum.fun, r.overflow[0][1]
    (0.0, 0.0, 1000000.0)
    """
    _check(lo, hi, goal, a)
    lo, hi, a = float(lo), float(hi), float(a) + 0.0
    f0, df0, d2f0 = parsed.callables(a)
    gaps, kinks = breaks(parsed, lo, hi, a)
    scale = max(abs(lo), abs(hi))
    used = tuple(lim for lim in limits if any(g == h and abs(g - lim.x) <= 1e-12 * max(1.0, scale) for g, h in gaps))
    gaps = tuple(
        g for g in gaps if not (g[0] == g[1] and any(abs(g[0] - u.x) <= 1e-12 * max(1.0, scale) for u in used))
    )
    f = _extended(f0, {u.x: u.value for u in used})
    df = _extended(df0, {u.x: _slope(u) for u in used})
    d2f = _extended(d2f0, {u.x: u.curvature for u in used})

    problem, suggestion, problem_x, overflow, span = None, None, math.nan, (), (lo, hi)
    if gaps:
        problem, suggestion = Problem.UNDEFINED, _suggest(gaps, lo, hi)
    else:
        stretches, span = _overflow(f, lo, hi, goal)
        if span is None:
            problem, gaps = Problem.OVERFLOW, tuple(stretches)
            suggestion = _suggest(gaps, lo, hi)
        else:
            overflow = tuple(stretches)

    optimum, points = None, ()
    started = time.thread_time()
    if problem is None:
        try:
            optimum = _optimize(f, df, d2f, span, goal, used, lo, hi)
        except NotFinite as exc:
            problem = Problem.DERIVATIVE_OVERFLOW if exc.name == "f'" else Problem.NOT_FINITE
            problem_x = exc.x
        else:
            if optimum is None:  # the best point found is next to where f overflows
                problem, gaps, suggestion = Problem.OVERFLOW, overflow, _suggest(overflow, lo, hi)
                overflow = ()
            else:
                points = optimum.critical_points

    # Where f overflows away from the optimum, the curve covers the searched span (f is finite
    # there): sampled on [lo, hi], x^100 on [0, 1e6] had one finite point and drew nothing.
    x = np.linspace(*(span if overflow else (lo, hi)), CURVE_POINTS)
    value, slope = _values(f, x), _values(df, x)
    finite = np.isfinite(value)
    bad = ~finite  # f's own values where they exist; f' only where it is finite too (not at a cusp)
    if gaps:
        margin = POLE_MARGIN * (hi - lo)
        for g, h in gaps:
            bad |= (x >= g - margin) & (x <= h + margin)
    curve = pd.DataFrame(
        {
            "x": x,
            "value": np.where(bad, np.nan, value),
            "derivative": np.where(bad | ~np.isfinite(slope), np.nan, slope),
        }
    )
    report = CustomReport(
        text=parsed.text,
        lo=lo,
        hi=hi,
        goal=goal,
        latex=parsed.latex(),
        optimum=optimum,
        points=tuple(points),
        problem=problem,
        kinks=kinks,
        curve=curve,
        table=pd.DataFrame(),
        gaps=tuple(gaps),
        x_scale=scale,
        f_scale=float(np.abs(value[finite]).max()) if finite.any() else 1.0,
        a=a if parsed.has_param else None,
        solve_seconds=time.thread_time() - started,
        suggestion=suggestion,
        problem_x=problem_x,
        limits=used,
        overflow=overflow,
    )
    return _with_table(report, f, df, d2f)


def _slope(lim: Limit) -> float:
    """f' of the extended f at a removable singularity: the limit of f', when both sides
    agree (an end has one side); nan when they differ (a kink)."""
    sides = [v for v in (lim.slope_left, lim.slope_right) if not math.isnan(v)]
    return sides[0] if sides and max(sides) == min(sides) else math.nan


def _optimize(f, df, d2f, span, goal, used: tuple[Limit, ...], lo: float, hi: float) -> Optimum | None:
    """The engine on [lo, hi] (or on ``span``, the part where f is finite), in pieces split at
    the removable singularities inside; the pieces' answers combined. None when the best
    point is an end of ``span`` that is not an end of [lo, hi] (next to an overflow)."""
    a, b = span
    cuts = sorted(u.x for u in used if a < u.x < b)
    ends = [a, *cuts, b]
    pieces = [optimize(f, p, q, goal, df=df, d2f=d2f) for p, q in itertools.pairwise(ends)]
    if len(pieces) == 1 and span == (lo, hi):
        return pieces[0]
    best = _combine(pieces, goal, [u for u in used if a < u.x < b], f, df, lo, hi)
    if best.x in (a, b) and best.x not in (lo, hi):
        return None
    return best


def _removable_point(lim: Limit, f, left: Optimum, right: Optimum) -> CriticalPoint | None:
    """A removable singularity inside the interval as a critical point, when it is one: the
    limit of f'' decides when f' tends to 0 and f'' to a nonzero value; else f's values on
    each side (the first-derivative test in values: the nearest point, from half a grid cell
    out, doubling, where f differs from the limit, never past a neighbouring critical point)."""
    x0 = lim.x
    signs = []
    for piece, side in ((left, -1.0), (right, 1.0)):
        others = [abs(p.x - x0) for p in piece.critical_points]
        reach = min([piece.hi - piece.lo, *(0.5 * d for d in others)])
        h, sgn = 0.5 * piece.spacing, 0.0
        while h <= reach:
            v = float(_values(f, np.array([x0 + side * min(h, reach)]))[0])
            if math.isfinite(v) and v != lim.value:
                sgn = float(np.sign(v - lim.value))  # f above the limit on this side: f' points away
                break
            h *= 2
        signs.append(sgn)
    slope, curv = _slope(lim), lim.curvature
    if slope == 0 and math.isfinite(curv) and curv != 0:
        kind, test = (Kind.MAX if curv < 0 else Kind.MIN), DerivativeTest.SECOND_DERIVATIVE
    elif signs[0] < 0 and signs[1] < 0:
        kind, test = Kind.MAX, DerivativeTest.FIRST_DERIVATIVE
    elif signs[0] > 0 and signs[1] > 0:
        kind, test = Kind.MIN, DerivativeTest.FIRST_DERIVATIVE
    elif slope == 0:
        kind, test = Kind.INFLECTION, DerivativeTest.FIRST_DERIVATIVE
    else:
        return None
    feature = Feature.KINK if math.isnan(slope) and kind != Kind.INFLECTION else Feature.SMOOTH
    curv = curv if test == DerivativeTest.SECOND_DERIVATIVE else math.nan
    return CriticalPoint(x0, lim.value, kind, curv, test, feature, lim.slope_left, lim.slope_right)


def _combine(pieces: list[Optimum], goal: str, cuts: list[Limit], f, df, lo: float, hi: float) -> Optimum:
    """One Optimum over [lo, hi] from the pieces' (split at removable singularities, or cut
    to where f is finite): every candidate of every piece compared, ties kept."""
    sign = 1.0 if goal == "max" else -1.0
    points = [p for piece in pieces for p in piece.critical_points]
    for lim, left, right in zip(cuts, pieces[:-1], pieces[1:], strict=True):
        p = _removable_point(lim, f, left, right)
        if p is not None:
            points.append(p)
    points.sort(key=lambda p: p.x)
    by_x = {p.x: p for p in points}
    places = [(x, q.fun, q) for q in pieces for x in (q.xs or (q.x,))]
    # interior to [lo, hi] first among exact ties, as the engine does
    best_x, best_f, best_piece = max(places, key=lambda c: (sign * c[1], c[0] not in (lo, hi)))
    scale = max(abs(v) for _, v, _ in places)
    xs = tied_places(f, [(x, v) for x, v, _ in places], best_x, best_f, goal, lo, hi, scale)
    interior = best_x not in (lo, hi)
    p = by_x.get(best_x)
    if best_x == best_piece.x and not (best_piece.at_boundary and interior):
        derivative, curvature, feature = best_piece.derivative, best_piece.second_derivative, best_piece.feature
        found_by = best_piece.found_by
    else:  # an end of a piece: a removable singularity inside [lo, hi], or an end of [lo, hi]
        lim = next((c for c in cuts if c.x == best_x), None)
        derivative = _slope(lim) if lim is not None else float(np.real(np.asarray(df(np.array([best_x]))))[0])
        curvature = lim.curvature if lim is not None else math.nan
        feature = p.feature if p is not None else Feature.SMOOTH
        found_by = FoundBy.CRITICAL_POINT if interior else FoundBy.BOUNDARY
    boundary = None
    if not interior:
        inside = [q for q in points if q.kind == goal]
        if inside:
            boundary = Boundary.BEATS_INTERIOR
        elif not points:
            boundary = best_piece.boundary if best_piece.boundary in (Boundary.RISES, Boundary.FALLS) else None
            boundary = boundary or Boundary.NO_INTERIOR_OPTIMUM
        else:
            boundary = Boundary.NO_INTERIOR_OPTIMUM
    incomplete = [q for q in pieces if not q.complete]
    return Optimum(
        x=best_x,
        fun=best_f,
        kind=Kind(goal),
        at_boundary=not interior,
        derivative=derivative,
        second_derivative=curvature,
        method=pieces[0].method,
        nfev=sum(q.nfev for q in pieces),
        critical_points=tuple(points),
        found_by=found_by,
        feature=feature,
        complete=not incomplete,
        suggestion=incomplete[0].suggestion if incomplete else None,
        lo=min(q.lo for q in pieces),
        hi=max(q.hi for q in pieces),
        xs=xs,
        boundary=boundary,
        sample_x=best_piece.sample_x,
        grid_points=pieces[0].grid_points,
    )


def _with_table(report: CustomReport, f, df, d2f) -> CustomReport:
    """The x, f, f', f'' table: an even grid plus every critical point, removable singularity
    and place where the optimum is reached."""
    grid = np.linspace(report.lo, report.hi, TABLE_POINTS)
    opt = report.optimum
    extra = [lim.x for lim in report.limits]
    if opt is not None:
        extra += [p.x for p in report.points] + [opt.x, *opt.xs]
    grid = np.unique(np.concatenate([grid, extra]))
    cols = {"f": _values(f, grid), "f_prime": _values(df, grid), "f_second": _values(d2f, grid)}
    table = pd.DataFrame(
        {
            "x": [report.shown_x(v) for v in grid],
            "f": [report.shown_f(v) for v in cols["f"]],
            "f_prime": cols["f_prime"],
            "f_second": cols["f_second"],
        }
    )
    table.loc[~np.isfinite(table.f), ["f", "f_prime", "f_second"]] = np.nan
    return replace(report, table=table)


# --- the certified search, as the page runs and shows it ----------------------------------


def certification_inputs(report: CustomReport) -> tuple[float, float, float]:
    """(x0, f0, scale) for :func:`optimizers.certify.certify`: the engine's answer and f's
    scale on the interval (the larger of |f*| and f's range on the curve)."""
    opt = report.optimum
    values = report.curve["value"].to_numpy()
    finite = values[np.isfinite(values)]
    spread = float(finite.max() - finite.min()) if finite.size else 0.0
    return float(opt.x), float(opt.fun), max(abs(float(opt.fun)), spread)


@dataclass(frozen=True)
class Verdict:
    """The answer the page shows once the certified search has run (or could not).

    ``x``, ``fun``, ``xs`` and ``at_boundary`` are the answer shown: the engine's, or the
    search's point when it found a better one (``improved``: a well narrower than the grid).
    ``certificate`` is the search's result (None when it did not run), ``refusal`` why the
    formula cannot be certified here. ``claim_value`` and ``claim_tol`` state what was proved
    about the value the page shows: nothing in [lo, hi] is below ``claim_value - claim_tol``
    (above ``claim_value + claim_tol`` for a maximum); ``claim_tol`` is 0 when the gap is
    rounding noise.
    """

    x: float
    fun: float
    xs: tuple[float, ...]
    at_boundary: bool
    improved: bool = False
    certificate: Certificate | None = None
    refusal: NotCertifiable | None = None
    claim_value: float = math.nan
    claim_tol: float = math.nan

    @property
    def certified(self) -> bool:
        return self.certificate is not None and self.certificate.certified


def verdict(report: CustomReport, cert: Certificate | NotCertifiable | None = None) -> Verdict:
    """The answer and what the certified search proved: ``cert`` is its Certificate, the
    NotCertifiable it raised, or None when no search ran (a flat function, a busy server).

    >>> from optimizers.certify import Certificate
    >>> r = analyse_function("x^2 - 10x + 100", 0, 10, "min")
    >>> v = verdict(r, Certificate(True, "min", 5.0, 75.0, 7e-8, 1e-7, 59, 0.01))
    >>> v.certified, v.x, v.claim_value, v.claim_tol
    (True, 5.0, 75.0, 7e-08)
    """
    opt = report.optimum
    x, fun, xs, edge = (
        report.shown_x(opt.x),
        report.shown_f(opt.fun),
        tuple(map(report.shown_x, opt.xs)),
        opt.at_boundary,
    )
    if isinstance(cert, NotCertifiable):
        return Verdict(x, fun, xs, edge, refusal=cert)
    if cert is None:
        return Verdict(x, fun, xs, edge)
    improved = cert.improved
    if improved:
        x, fun = report.shown_x(cert.x), report.shown_f(cert.fun)
        xs, edge = (x,), cert.x in (report.lo, report.hi)
    claim_tol = math.nan
    if math.isfinite(cert.tol):
        sign = 1.0 if cert.goal == "min" else -1.0
        claim_tol = cert.tol + sign * (fun - cert.fun)  # measured from the value shown
        claim_tol = 0.0 if tidy(claim_tol, report.f_scale) <= 0 else claim_tol
    return Verdict(x, fun, xs, edge, improved, cert, None, fun, claim_tol)


def curve_through(report: CustomReport, x: float, fun: float) -> pd.DataFrame:
    """The plotted curve with the optimum added as a point of it: a well narrower than the
    plot's spacing (found by the certified search) then shows as a spike down to its marker.

    >>> r = analyse_function("x^2 - 10x + 100", 0, 10, "min")
    >>> len(curve_through(r, 5.0, 75.0)) == len(r.curve), len(curve_through(r, 5.01, 75.0001)) - len(r.curve)
    (True, 1)
    """
    curve = report.curve
    if x in set(curve.x):
        return curve
    row = pd.DataFrame({"x": [x], "value": [fun], "derivative": [np.nan]})
    return pd.concat([curve, row], ignore_index=True).sort_values("x", ignore_index=True)


# --- what moves the optimum: the parameter a (and the end that holds a boundary optimum) ---


def _jet(value, d_x, d_a):
    """fn(x, a) = value(x, a) whose complex step in x or in a is exact: for x + i·hx and
    a + i·ha it returns value + i·(hx·d_x + ha·d_a), the first-order jet, with the partials
    from sympy. The complex step of :mod:`optimizers.sensitivity` then reads the exact
    partial, whatever the formula (abs or max have no complex extension to step through)."""

    def call(x, a):
        xr, xi = (x.real, x.imag) if np.iscomplexobj(x) else (x, 0.0)
        ar, ai = (float(np.real(a)), float(np.imag(a))) if isinstance(a, complex | np.complexfloating) else (a, 0.0)
        v = value(xr, ar)
        if not (np.any(xi) or ai):
            return v
        with np.errstate(all="ignore"):
            return v + 1j * (xi * d_x(xr, ar) + ai * d_a(xr, ar))

    return call


def _window(value: float, limit: float = A_LIMIT) -> tuple[float, float]:
    """The range a sweeps around its value: value ± max(1, |value|), inside ±limit."""
    w = max(1.0, abs(value))
    return max(-limit, value - w), min(limit, value + w)


def _sweep_range(parsed: ParsedFunction, report: CustomReport) -> tuple[float, float]:
    """The range the section sweeps a over (:func:`_window`, or :func:`_boundary_window`)."""
    opt, a = report.optimum, report.a
    if opt is not None and opt.at_boundary and not opt.flat:
        return _boundary_window(parsed.param_callables()[1], opt.x, a)
    return _window(a)


#: Values of a (each side of the current one, geometric offsets) scanned for where a boundary
#: optimum leaves its end.
LEAVE_SCAN = 400


def _boundary_window(fx, end: float, a: float, limit: float = A_LIMIT) -> tuple[float, float]:
    """The sweep's range for a when the optimum sits on an end: the usual window, widened to
    take in the nearest a at which f′(end) changes sign (where the optimum leaves the end),
    scanned over all of ±limit; the whole of ±limit when there is none, so "stays at the end
    over the whole range of a" is a statement about every a the page accepts."""
    offsets = np.geomspace(1e-6 * max(1.0, abs(a)), 2 * limit, LEAVE_SCAN)
    grid = np.unique(np.clip(np.concatenate([a - offsets, [a], a + offsets]), -limit, limit))
    with np.errstate(all="ignore"):
        g = np.real(np.broadcast_to(fx(end, grid), grid.shape)).astype(float)
    here = g[np.searchsorted(grid, a)]
    lo_w, hi_w = _window(a, limit)
    if not (np.isfinite(here) and here != 0):
        return lo_w, hi_w
    flipped = np.isfinite(g) & (np.sign(g) != np.sign(here))
    if not flipped.any():
        return -limit, limit
    t = float(grid[flipped][np.argmin(np.abs(grid[flipped] - a))])
    margin = 0.25 * abs(t - a)
    return max(-limit, min(lo_w, t - margin)), min(limit, max(hi_w, t + margin))


def sensitivity_problem(parsed: ParsedFunction, report: CustomReport) -> sn.Problem:
    """The optimum of f(x; a) on [lo, hi] as a :class:`optimizers.sensitivity.Problem`.

    The inputs are ``a`` (swept over a ± max(1, |a|), widened on a boundary to take in the
    value of a where the optimum leaves the end) and, when the optimum is on an end of
    the interval, that end (``lo`` or ``hi``, swept over half the interval's width either
    side): there x* moves one for one with the end and dV*/d(end) = f′(end). f, f_x, f_xx
    and the partials f_a, f_xa are compiled from sympy's exact derivatives; a complex step
    in x or a reads them exactly (:func:`_jet`), so dx*/da = −f_xa/f_xx and dV*/da = f_a.

    Raises
    ------
    ValueError
        f has no parameter a, or the report has no optimum.

    Examples
    --------
    x² − a·x is lowest at x* = a/2: dx*/da = 1/2, dV*/da = −x* (here a = 3).

    >>> from optimizers.sensitivity import sensitivity
    >>> parsed = prepare("x^2 - a*x", parameter=True)
    >>> row = sensitivity(sensitivity_problem(parsed, analyse(parsed, 0, 10, "min", a=3))).rows[0]
    >>> row.parameter, row.optimum_change_per_unit, row.best_change_per_unit
    ('a', 0.5, -1.5)
    """
    if not parsed.has_param or report.a is None:
        raise ValueError(f"the formula {parsed.text!r} has no parameter a")
    opt = report.optimum
    if opt is None:
        raise ValueError("the report has no optimum")
    f, fx, fxx, fa, fxa = parsed.param_callables()
    a, lo, hi = report.a, report.lo, report.hi
    lo_end: float | str = lo
    hi_end: float | str = hi
    half = 0.5 * (hi - lo)
    params = []
    if opt.at_boundary and not opt.flat:
        if abs(opt.x - lo) <= abs(opt.x - hi):
            params.append(sn.Param("lo", lo, lo - half, lo + half, "lo"))
            lo_end = "lo"
        else:
            params.append(sn.Param("hi", hi, hi - half, hi + half, "hi"))
            hi_end = "hi"
    params.insert(0, sn.Param("a", a, *_sweep_range(parsed, report), "a"))
    return sn.Problem(
        f=_jet(f, fx, fa),
        lo=lo_end,
        hi=hi_end,
        goal=report.goal,
        params=tuple(params),
        df=_jet(fx, fxx, fxa),
        d2f=lambda x, a: fxx(np.real(x), float(np.real(a))),
    )


#: Re-solves the section costs: the sweep's points and the current value, and the table's.
SENSITIVITY_SOLVES = sn.SWEEP_POINTS + 3
#: Values of a at which the cost estimate counts the sign changes of f′ the engine must refine.
COST_PROBES = 9


def _sign_changes(fx, x: np.ndarray, a: float) -> int:
    g = _values(lambda t: fx(t, a), x)
    s = np.sign(g[np.isfinite(g)])
    return int(np.count_nonzero(s[:-1] * s[1:] < 0))


def sensitivity_cost(parsed: ParsedFunction, report: CustomReport) -> Cost:
    """The estimated cost of "What moves the optimum", before it runs.

    The sweep re-solves f about SENSITIVITY_SOLVES times. One solve took
    ``report.solve_seconds`` here; the engine's time grows with the sign changes of f′ it
    refines, which can be far more at other values of a (sin(1000·a·x) at a = 1 puts its
    roots between the grid's points, at a = 1.3 there are 662), so the time is scaled by
    the most sign changes found at COST_PROBES values of a over the sweep's range (one
    vectorised evaluation of f′ each), and by 1.5 when an end of the interval is swept too.

    >>> parsed = prepare("x^2 - a*x", parameter=True)
    >>> sensitivity_cost(parsed, analyse(parsed, 0, 10, "min", a=3)).seconds < 1
    True
    """
    fx = parsed.param_callables()[1]
    x = np.linspace(report.lo, report.hi, GRID_POINTS)
    a = 1.0 if report.a is None else report.a
    now = _sign_changes(fx, x, a)
    most = max(_sign_changes(fx, x, float(t)) for t in np.linspace(*_sweep_range(parsed, report), COST_PROBES))
    factor = max(1.0, most / max(now, 1)) * (1.5 if report.optimum is not None and report.optimum.at_boundary else 1.0)
    return Cost(SENSITIVITY_SOLVES * report.solve_seconds * factor, "sensitivity", ("interval", "f"))


class NoSensitivity(enum.Enum):
    """Why "What moves the optimum" cannot be shown for a report."""

    NO_PARAMETER = "no parameter"  # f has no parameter a, or there is no optimum
    FLAT = "flat"  # f is flat: no single optimum to move
    NOT_SMOOTH = "not smooth"  # the optimum is at a kink, cusp or vertical tangent: no f' or f'' there
    ZERO_CURVATURE = "zero curvature"  # f'' = 0 at an interior optimum: dx*/da = -f_xa / f'' has no finite value
    NARROW_WELL = "narrow well"  # found only by the certified search: re-solving would not see it
    TIED = "tied"  # reached at several places: a small change of a can make either one the best
    SINGULAR = "singular"  # f's limit is used at a point, or f overflows: re-solving cannot evaluate f there


def sensitivity_status(report: CustomReport, shown_x: float) -> NoSensitivity | None:
    """Why "What moves the optimum" cannot be shown for this report (None when it can).

    ``shown_x`` is where the page says the optimum is (the certified search's point when
    it found a better one than the engine, which re-solving would not see).

    >>> parsed = prepare("x^2 - a*x", parameter=True)
    >>> sensitivity_status(analyse(parsed, 0, 10, "min", a=3), 1.5) is None
    True
    >>> sensitivity_status(analyse(prepare("x^4 - a*x", parameter=True), -1, 1, "min", a=0), 0.0)
    <NoSensitivity.ZERO_CURVATURE: 'zero curvature'>
    """
    opt = report.optimum
    if report.a is None or opt is None:
        return NoSensitivity.NO_PARAMETER
    if opt.flat:
        return NoSensitivity.FLAT
    if report.limits or report.overflow:
        return NoSensitivity.SINGULAR
    near = 1e-8 * max(1.0, report.x_scale)
    at_kink = any(abs(opt.x - k) <= near for k in report.kinks)
    if at_kink or opt.feature or not math.isfinite(opt.derivative) or not math.isfinite(opt.second_derivative):
        return NoSensitivity.NOT_SMOOTH
    if not opt.at_boundary and opt.second_derivative == 0:
        return NoSensitivity.ZERO_CURVATURE
    if report.shown_x(shown_x) != report.shown_x(opt.x):
        return NoSensitivity.NARROW_WELL
    if len(opt.xs) > 1:
        return NoSensitivity.TIED
    return None
