"""Any function a user types: its derivatives, every critical point and the global optimum.

Parsing and symbolic work live in :mod:`optimizers.expression` and depend on the formula
alone; this module does the numbers for one interval: where f is undefined, has a pole or a
kink (from the sub-expressions that decide it, found numerically, so a new interval never
needs sympy), the engine's optimum, the curve and the table. Parts of the interval where f
is undefined or not continuous are reported instead of optimised (or plotted) across; f
finite with an infinite slope (sqrt(x) at 0, a cusp) is a candidate like any other point.

A formula may use one parameter, a (:func:`optimizers.expression.parse`): its value is
substituted numerically, and :func:`sensitivity_problem` says how the optimum moves with
it (and with the end of the interval that holds a boundary optimum).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy.optimize import brentq, minimize_scalar

from optimizers import sensitivity as sn
from optimizers.calculus import GRID_POINTS, CriticalPoint, Optimum, optimize
from optimizers.cost import Cost
from optimizers.expression import ExpressionError, ParsedFunction, prepare

__all__ = [
    "A_LIMIT",
    "CustomReport",
    "analyse",
    "analyse_function",
    "breaks",
    "sensitivity_cost",
    "sensitivity_problem",
    "tidy",
    "why_no_sensitivity",
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


@dataclass(frozen=True)
class CustomReport:
    """Everything the "Your own function" page shows.

    ``gaps`` are the parts of [lo, hi] where f is undefined or not continuous ((a, a) for a
    point); ``kinks`` where abs, max or min switch branch; ``x_scale`` and ``f_scale`` are the
    sizes against which rounding noise is judged (:meth:`shown_x`, :meth:`shown_f`); ``a``
    is the parameter's value (None when f has no a); ``solve_seconds`` the CPU time the
    engine took (the price of each re-solve when a is swept).
    """

    text: str
    lo: float
    hi: float
    goal: str
    latex: tuple[str, str, str]
    optimum: Optimum | None
    points: tuple[CriticalPoint, ...]
    problem: str
    kinks: tuple[float, ...]
    curve: pd.DataFrame
    table: pd.DataFrame
    gaps: tuple[tuple[float, float], ...] = ()
    x_scale: float = 1.0
    f_scale: float = 1.0
    a: float | None = None
    solve_seconds: float = 0.0

    def shown_x(self, value: float) -> float:
        """x as the page shows it (0 when it is rounding noise at the interval's scale)."""
        return tidy(value, self.x_scale)

    def shown_f(self, value: float) -> float:
        """f as the page shows it (0 when it is rounding noise at f's scale)."""
        return tidy(value, self.f_scale)


def _fmt(v: float) -> str:
    return f"{v:.6g}"


def _describe_gaps(gaps) -> str:
    parts = [f"x = {_fmt(a)}" if a == b else f"{_fmt(a)} ≤ x ≤ {_fmt(b)}" for a, b in gaps]
    return ", ".join(parts)


def _suggest(gaps, lo: float, hi: float) -> str:
    """The widest stretch of [lo, hi] between the gaps, moved 1% off every break."""
    edges = [(lo, False)] + [(v, True) for ab in gaps for v in ab] + [(hi, False)]
    pieces = [(edges[i], edges[i + 1]) for i in range(0, len(edges) - 1, 2)]
    (a, a_break), (b, b_break) = max(pieces, key=lambda p: p[1][0] - p[0][0])
    if b - a <= 0:
        return ""
    pad = 0.01 * (b - a)
    a2 = a + pad if a_break else a
    b2 = b - pad if b_break else b
    return f" Try the interval [{_fmt(a2)}, {_fmt(b2)}]."


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


def analyse_function(text: str, lo: float, hi: float, goal: str = "min", a: float = 1.0) -> CustomReport:
    """Parse ``text`` (which may use the parameter a), differentiate it, and optimise it on
    [lo, hi] at this value of a (:func:`analyse`).

    Raises
    ------
    ExpressionError
        The text is not an accepted formula, or the interval is bad.

    Examples
    --------
    The seed's ad-spend cost C(x) = x^2 - 10x + 100 is lowest at x = 5, where C = 75:

    >>> r = analyse_function("x^2 - 10x + 100", 0, 10, "min")
    >>> r.optimum.x, r.optimum.fun, r.latex[1]
    (5.0, 75.0, '2 x - 10')

    With the parameter a, x² − a·x is lowest at x = a/2:

    >>> analyse_function("x^2 - a*x", 0, 10, "min", a=3).optimum.x
    1.5
    """
    _check(lo, hi, goal, a)
    return analyse(prepare(text, parameter=True), lo, hi, goal, a)


def _check(lo: float, hi: float, goal: str, a: float = 1.0) -> None:
    if goal not in ("max", "min"):
        raise ExpressionError(f"goal must be max or min, got {goal!r}")
    if not (math.isfinite(lo) and math.isfinite(hi) and hi > lo):
        raise ExpressionError(f"the interval needs lo < hi, got lo={lo:g}, hi={hi:g}")
    if not (isinstance(a, int | float) and math.isfinite(a) and abs(a) <= A_LIMIT):
        raise ExpressionError(f"the parameter a must be a number within ±{A_LIMIT:g}, got {a!r}")


def analyse(parsed: ParsedFunction, lo: float, hi: float, goal: str = "min", a: float = 1.0) -> CustomReport:
    """The numbers for one interval, from a formula already parsed and differentiated.

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
    """
    _check(lo, hi, goal, a)
    lo, hi, a = float(lo), float(hi), float(a) + 0.0
    f, df, d2f = parsed.callables(a)
    gaps, kinks = breaks(parsed, lo, hi, a)

    x = np.linspace(lo, hi, CURVE_POINTS)
    value, slope = _values(f, x), _values(df, x)
    finite = np.isfinite(value)
    problem = ""
    if gaps:
        problem = (
            f"f is undefined or not continuous at {_describe_gaps(gaps)} inside [{_fmt(lo)}, {_fmt(hi)}] "
            "(a logarithm or square root of a negative number, or a division by zero), so there is no "
            "single optimum to compare across it." + _suggest(gaps, lo, hi)
        )
    elif not finite.all():
        # Every condition for f to exist holds, yet floating point gives inf or nan: overflow.
        xs = x[~finite]
        where = [(float(xs.min()), float(xs.max()))] if xs.size > 1 else [(float(xs[0]), float(xs[0]))]
        problem = (
            f"f is too large for floating point (overflow) at {_describe_gaps(where)}: no optimum is reported."
            + _suggest(where, lo, hi)
        )
        gaps = tuple(where)

    optimum, points = None, ()
    started = time.thread_time()
    if not problem:
        try:
            optimum = optimize(f, lo, hi, goal, df=df, d2f=d2f)
            points = optimum.critical_points
        except ValueError as exc:
            problem = _engine_problem(str(exc), lo, hi)

    bad = ~finite | ~np.isfinite(slope)
    if gaps:
        margin = POLE_MARGIN * (hi - lo)
        for a, b in gaps:
            bad |= (x >= a - margin) & (x <= b + margin)
    curve = pd.DataFrame({"x": x, "value": np.where(bad, np.nan, value), "derivative": np.where(bad, np.nan, slope)})
    f_scale = float(np.abs(value[finite]).max()) if finite.any() else 1.0
    x_scale = max(abs(lo), abs(hi))
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
        x_scale=x_scale,
        f_scale=f_scale,
        a=a if parsed.has_param else None,
        solve_seconds=time.thread_time() - started,
    )
    return _with_table(report, f, df, d2f)


def _engine_problem(message: str, lo: float, hi: float) -> str:
    if message.startswith("f'"):
        return (
            f"f′ is too large for floating point (overflow) on part of [{_fmt(lo)}, {_fmt(hi)}] ({message}), "
            "so the sign of f′ cannot be read there: no optimum is reported. Try a narrower interval."
        )
    return f"f cannot be evaluated everywhere on [{_fmt(lo)}, {_fmt(hi)}]: {message}."


def _with_table(report: CustomReport, f, df, d2f) -> CustomReport:
    """The x, f, f', f'' table: an even grid plus every critical point and the optimum."""
    grid = np.linspace(report.lo, report.hi, TABLE_POINTS)
    opt = report.optimum
    if opt is not None:
        grid = np.unique(np.concatenate([grid, [p.x for p in report.points], [opt.x]]))
    f_val = _values(f, grid)
    cols = {"f": f_val, "f_prime": _values(df, grid), "f_second": _values(d2f, grid)}
    table = pd.DataFrame(
        {
            "x": [report.shown_x(v) for v in grid],
            "f": [report.shown_f(v) for v in cols["f"]],
            "f_prime": cols["f_prime"],
            "f_second": cols["f_second"],
            "note": [_note(g, report.points, opt) for g in grid],
        }
    )
    table.loc[table.f.isna(), ["f_prime", "f_second"]] = np.nan
    return replace(report, table=table)


def _note(x: float, points, optimum: Optimum | None) -> str:
    notes = [p.label for p in points if p.x == x]
    if optimum is not None and optimum.x == x:
        notes.insert(0, f"global {optimum.kind}")
    return ", ".join(dict.fromkeys(notes))


# --- the certified search, as the page runs and shows it ----------------------------------


def certification_inputs(report: CustomReport) -> tuple[float, float, float]:
    """(x0, f0, scale) for :func:`optimizers.certify.certify`: the engine's answer and f's
    scale on the interval (the larger of |f*| and f's range on the curve)."""
    opt = report.optimum
    values = report.curve["value"].to_numpy()
    finite = values[np.isfinite(values)]
    spread = float(finite.max() - finite.min()) if finite.size else 0.0
    return float(opt.x), float(opt.fun), max(abs(float(opt.fun)), spread)


def _shown(v: float, scale: float) -> str:
    return f"{tidy(v, scale):.6g}"


def _round_up(v: float) -> str:
    """v with 2 significant digits, rounded up (a tolerance must not shrink when shown)."""
    if v <= 0 or not math.isfinite(v):
        return f"{v:.2g}"
    step = 10.0 ** (math.floor(math.log10(v)) - 1)
    return f"{math.ceil(v / step * (1 - 1e-12)) * step:.2g}"


def _claim(cert, report: CustomReport) -> str:
    """ "nothing in [lo, hi] is below f* − tol" about the number the page shows: the tolerance
    is measured from the shown f* (rounding noise shown as 0 moves it by a few ulps)."""
    sign = 1.0 if cert.goal == "min" else -1.0
    shown = tidy(cert.fun, report.f_scale)
    tol = cert.tol + sign * (shown - cert.fun)
    side, op = ("below", "−") if cert.goal == "min" else ("above", "+")
    where = f"nothing in [{report.lo:.6g}, {report.hi:.6g}] is {side} {shown:.6g}"
    return where if tidy(tol, report.f_scale) <= 0 else f"{where} {op} {_round_up(tol)}"


@dataclass(frozen=True)
class Verdict:
    """What the page says about the optimum once the certified search has run (or not).

    ``x``, ``fun`` and ``at_boundary`` are the answer shown (the search's point when it
    found a better one than the engine); ``message`` explains it; ``certified``, ``badge``
    and ``detail`` are the certificate's badge and its fine print.
    """

    x: float
    fun: float
    at_boundary: bool
    message: str
    certified: bool
    badge: str
    detail: str


def verdict(report: CustomReport, cert) -> Verdict:
    """The answer and the certificate in words: ``cert`` is a Certificate, the reason (text)
    why there is none, or None when no search was run (a flat function).

    >>> from optimizers.certify import Certificate
    >>> r = analyse_function("x^2 - 10x + 100", 0, 10, "min")
    >>> verdict(r, Certificate(True, "min", 5.0, 75.0, 7e-8, 1e-7, 59, 0.01)).badge
    'Certified: nothing in [0, 10] is below 75 − 7e-08'
    """
    opt = report.optimum
    x, fun, edge = opt.x, opt.fun, opt.at_boundary
    message = opt.message.replace("f''", "f″").replace("f'", "f′")
    if cert is None:
        return Verdict(x, fun, edge, message, False, "", "")
    if isinstance(cert, str):
        return Verdict(x, fun, edge, message, False, "Not certified", f"Not certified: {cert}.")
    how = f"Interval arithmetic (mpmath iv): {cert.cells:,} cell{'s' if cert.cells != 1 else ''}, {cert.seconds:.2f} s of CPU."
    if cert.improved:
        x, fun, edge = cert.x, cert.fun, cert.x in (report.lo, report.hi)
        message = (
            f"Global {'minimum' if cert.goal == 'min' else 'maximum'} at x = {_shown(x, report.x_scale)}, found by the "
            f"certified search: a feature narrower than the grid's cells, which the scan of f′ stepped over (the scan's "
            f"best was f = {_shown(opt.fun, report.f_scale)} at x = {_shown(opt.x, report.x_scale)})."
        )
    claim = _claim(cert, report)
    if cert.certified:
        return Verdict(x, fun, edge, message, True, f"Certified: {claim}", how)
    proved = f" What it did prove: {claim}." if math.isfinite(cert.tol) else ""
    detail = f"Not certified to {cert.target:.1g}: {cert.reason}. {how}{proved}"
    return Verdict(x, fun, edge, message, False, "Not certified", detail)


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


def points_markdown(report: CustomReport, limit: int = 40) -> str:
    """The critical points as a markdown table (numbers only: nothing the user typed), at
    most ``limit`` rows; rounding noise near zero is shown as 0.

    >>> print(points_markdown(analyse_function("x^2 - 10x + 100", 0, 10, "min")))
    | x | f(x) | kind | decided by |
    | ---: | ---: | :--- | :--- |
    | 5 | 75 | min | second-derivative |
    """
    rows = ["| x | f(x) | kind | decided by |", "| ---: | ---: | :--- | :--- |"]
    for p in report.points[:limit]:
        rows.append(f"| {report.shown_x(p.x):.10g} | {report.shown_f(p.fun):.10g} | {p.label} | {p.test} |")
    if len(report.points) > limit:
        rows.append(f"| … | | {len(report.points) - limit} more in the CSV table | |")
    return "\n".join(rows)


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


def why_no_sensitivity(parsed: ParsedFunction, report: CustomReport, shown_x: float) -> str:
    """Why "What moves the optimum" cannot be shown for this report ("" when it can).

    ``shown_x`` is where the page says the optimum is (the certified search's point when
    it found a better one than the engine, which re-solving would not see).

    >>> parsed = prepare("x^2 - a*x", parameter=True)
    >>> why_no_sensitivity(parsed, analyse(parsed, 0, 10, "min", a=3), 1.5)
    ''
    """
    opt = report.optimum
    if report.a is None or opt is None:
        return "What moves the optimum needs a formula with the parameter a and an optimum."
    if opt.flat:
        return "What moves the optimum is not shown: f is flat, so there is no single optimum to move."
    near = 1e-8 * max(1.0, report.x_scale)
    at_kink = any(abs(opt.x - k) <= near for k in report.kinks)
    if at_kink or opt.feature or not math.isfinite(opt.derivative) or not math.isfinite(opt.second_derivative):
        return (
            "What moves the optimum is not shown: the optimum is at a kink, cusp or vertical tangent of f, where f′ or f″ does not "
            "exist, so the implicit function theorem (which divides by f″) does not apply there."
        )
    if not opt.at_boundary and opt.second_derivative == 0:
        return (
            "What moves the optimum is not shown: f″ = 0 at the optimum, so the implicit function theorem "
            "(dx*/da = −f_xa / f″) gives no finite rate there."
        )
    if shown_x != opt.x:
        return (
            "What moves the optimum is not shown here: the optimum lies in a well narrower than the engine's "
            "grid, found only by the certified search, and re-solving at nearby values of a would not see it."
        )
    return ""
