"""Any function a user types: its derivatives, every critical point and the global optimum.

Parsing and symbolic work live in :mod:`optimizers.expression`; this module turns the result
into the numbers a page shows, and reports parts of the interval where f is undefined or
not continuous instead of optimising (or plotting) across them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimizers.calculus import CriticalPoint, Optimum, critical_points, optimize
from optimizers.expression import ExpressionError, prepare

__all__ = ["CustomReport", "analyse_function"]

CURVE_POINTS = 241
TABLE_POINTS = 21
#: Around a break, this share of the interval is left out of the plot (poles are tall).
POLE_MARGIN = 0.01


@dataclass(frozen=True)
class CustomReport:
    """Everything the "Your own function" page shows."""

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


def _fmt(v: float) -> str:
    return f"{v:.6g}"


def _describe_gaps(gaps, lo: float, hi: float) -> str:
    parts = [f"x = {_fmt(a)}" if a == b else f"{_fmt(a)} ≤ x ≤ {_fmt(b)}" for a, b in gaps]
    return ", ".join(parts)


def _suggest(gaps, lo: float, hi: float) -> str:
    """The widest stretch of [lo, hi] between the gaps, nudged off the edges."""
    edges = [lo] + [v for ab in gaps for v in ab] + [hi]
    pieces = [(edges[i], edges[i + 1]) for i in range(0, len(edges) - 1, 2)]
    a, b = max(pieces, key=lambda ab: ab[1] - ab[0])
    if b - a <= 0:
        return ""
    pad = 0.01 * (b - a)
    a2 = a + pad if a != lo else a
    b2 = b - pad if b != hi else b
    return f" Try the interval [{_fmt(a2)}, {_fmt(b2)}]."


def analyse_function(text: str, lo: float, hi: float, goal: str = "min") -> CustomReport:
    """Parse ``text``, differentiate it, and optimise it on [lo, hi].

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
    """
    if goal not in ("max", "min"):
        raise ExpressionError(f"goal must be max or min, got {goal!r}")
    parsed = prepare(text, lo, hi)
    sym = parsed.symbolic
    f, df, d2f = parsed.callables()
    latex = parsed.latex()

    x = np.linspace(lo, hi, CURVE_POINTS)
    with np.errstate(all="ignore"):
        value = np.asarray(f(x), dtype=complex if np.iscomplexobj(f(x)) else float)
        slope = np.asarray(df(x))
    real_value = np.where(np.isreal(value), np.real(value), np.nan).astype(float)
    bad = ~np.isfinite(real_value) | ~np.isfinite(np.real(slope))
    problem = ""
    gaps = list(sym.gaps)
    overflow = bad.any() and not gaps and bool(np.isinf(real_value[bad]).all() or np.isinf(np.real(slope[bad])).any())
    if bad.any() and not gaps:
        xs = x[bad]
        gaps = [(float(xs.min()), float(xs.max()))] if bad.sum() > 1 else [(float(xs[0]), float(xs[0]))]
    if overflow:
        problem = (
            f"f or its derivative is too large for floating point (overflow) at {_describe_gaps(gaps, lo, hi)}: "
            "no optimum is reported." + _suggest(gaps, lo, hi)
        )
    elif gaps:
        problem = (
            f"f is undefined or not continuous at {_describe_gaps(gaps, lo, hi)} inside [{_fmt(lo)}, {_fmt(hi)}] "
            "(a logarithm or square root of a negative number, or a division by zero), so there is no "
            "single optimum to compare across it." + _suggest(gaps, lo, hi)
        )
    if gaps:
        margin = POLE_MARGIN * (hi - lo)
        for a, b in gaps:
            bad |= (x >= a - margin) & (x <= b + margin)
    curve = pd.DataFrame(
        {
            "x": x,
            "value": np.where(bad, np.nan, real_value),
            "derivative": np.where(bad, np.nan, np.real(slope).astype(float)),
        }
    )

    optimum, points = None, ()
    if not problem:
        try:
            optimum = optimize(f, lo, hi, goal, df=df, d2f=d2f)
            points = tuple(critical_points(f, lo, hi, df=df, d2f=d2f))
        except ValueError as exc:
            problem = f"f cannot be evaluated everywhere on [{_fmt(lo)}, {_fmt(hi)}]: {exc}."

    grid = np.linspace(lo, hi, TABLE_POINTS)
    if optimum is not None:
        grid = np.unique(np.concatenate([grid, [p.x for p in points], [optimum.x]]))
    with np.errstate(all="ignore"):
        cols = [np.real_if_close(np.asarray(g(grid), dtype=complex)) for g in (f, df, d2f)]
    table = pd.DataFrame(
        {
            "x": grid,
            "f": [v if np.isreal(v) and math.isfinite(float(np.real(v))) else np.nan for v in cols[0]],
            "f_prime": np.real(cols[1]).astype(float),
            "f_second": np.real(cols[2]).astype(float),
            "note": [_note(g, points, optimum) for g in grid],
        }
    )
    table.loc[table.f.isna(), ["f_prime", "f_second"]] = np.nan
    return CustomReport(
        text=text,
        lo=float(lo),
        hi=float(hi),
        goal=goal,
        latex=latex,
        optimum=optimum,
        points=points,
        problem=problem,
        kinks=sym.kinks,
        curve=curve,
        table=table,
    )


def _note(x: float, points, optimum: Optimum | None) -> str:
    notes = [p.kind for p in points if p.x == x]
    if optimum is not None and optimum.x == x:
        notes.insert(0, f"global {optimum.kind}")
    return ", ".join(dict.fromkeys(notes))
