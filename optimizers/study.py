"""Study hours: more study, higher score, with diminishing returns; fatigue costs points.

Two models from the seed module:

* diminishing returns, effective(h) = M(1 - e^(-k h)) - c h, with optimum
  h* = ln(M k / c) / k when M k > c (else the first hour already costs more than it earns);
* the quadratic score S(h) = a h^2 + b h + s0 (the seed: -h^2 + 12h + 20, best at 6 hours).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimizers.calculus import Optimum, marginal_curve, optimize

__all__ = [
    "DEFAULTS",
    "QUADRATIC_DEFAULTS",
    "StudyModel",
    "StudyReport",
    "analyse",
    "diminishing",
    "optimal_hours",
    "quadratic",
]

#: The seed: M = 100 points, k = 0.3 per hour, fatigue c = 2 points per hour.
DEFAULTS = {"max_score": 100.0, "k": 0.3, "fatigue": 2.0, "hours": 15.0, "max_hours": 16.0}
#: The seed's S(h) = -h^2 + 12h + 20.
QUADRATIC_DEFAULTS = {"quad_a": -1.0, "quad_b": 12.0, "quad_c": 20.0}
CURVE_POINTS = 121


@dataclass(frozen=True)
class StudyModel:
    """``kind`` "diminishing" uses (max_score, k, fatigue); "quadratic" uses (a, b, c)."""

    kind: str
    max_score: float = math.nan
    k: float = math.nan
    fatigue: float = math.nan
    a: float = math.nan
    b: float = math.nan
    c: float = math.nan

    def base(self, h):
        """Score before fatigue (the diminishing model) or the whole score (quadratic)."""
        h = np.asarray(h, dtype=float) if not isinstance(h, complex) else h
        if self.kind == "diminishing":
            return self.max_score * (1 - np.exp(-self.k * h))
        return self.a * h * h + self.b * h + self.c

    def fatigue_cost(self, h):
        return self.fatigue * h if self.kind == "diminishing" else 0.0 * h

    def f(self, h):
        """Effective score."""
        if self.kind == "diminishing":
            return self.max_score * (1 - np.exp(-self.k * h)) - self.fatigue * h
        return self.a * h * h + self.b * h + self.c

    def base_marginal(self, h):
        if self.kind == "diminishing":
            return self.max_score * self.k * np.exp(-self.k * h)
        return 2 * self.a * h + self.b

    def df(self, h):
        """Net marginal gain, points per extra hour."""
        if self.kind == "diminishing":
            return self.max_score * self.k * np.exp(-self.k * h) - self.fatigue
        return 2 * self.a * h + self.b

    def d2f(self, h):
        if self.kind == "diminishing":
            return -self.max_score * self.k**2 * np.exp(-self.k * h)
        return 2 * self.a + 0 * h


def diminishing(max_score: float, k: float, fatigue: float) -> StudyModel:
    """effective(h) = max_score (1 - e^(-k h)) - fatigue h. Raises ValueError on bad values."""
    for name, value in (("max_score", max_score), ("k", k)):
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be positive, got {value}")
    if not (math.isfinite(fatigue) and fatigue >= 0):
        raise ValueError(f"fatigue must be non-negative, got {fatigue}")
    return StudyModel("diminishing", max_score=float(max_score), k=float(k), fatigue=float(fatigue))


def quadratic(a: float, b: float, c: float) -> StudyModel:
    """S(h) = a h^2 + b h + c. Raises ValueError on non-finite coefficients."""
    for name, value in (("a", a), ("b", b), ("c", c)):
        if not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number, got {value}")
    return StudyModel("quadratic", a=float(a), b=float(b), c=float(c))


def optimal_hours(model: StudyModel, max_hours: float) -> float:
    """The closed-form best number of hours on [0, max_hours].

    Examples
    --------
    >>> round(optimal_hours(diminishing(100, 0.3, 2), 16), 4)
    9.0268
    >>> optimal_hours(quadratic(-1, 12, 20), 16)
    6.0
    >>> optimal_hours(diminishing(100, 0.3, 40), 16)  # M k <= c: do not study
    0.0
    """
    if model.kind == "diminishing":
        ratio = model.max_score * model.k / model.fatigue if model.fatigue > 0 else math.inf
        h = math.log(ratio) / model.k if ratio > 1 else 0.0
        return min(h, float(max_hours))
    if model.a < 0:
        return min(max(-model.b / (2 * model.a), 0.0), float(max_hours))
    f = model.f
    return 0.0 if f(0.0) >= f(float(max_hours)) else float(max_hours)


@dataclass(frozen=True)
class StudyReport:
    """Everything the Study page shows (see :func:`analyse`)."""

    model: StudyModel
    hours: float
    max_hours: float
    optimum: Optimum
    reason: str
    score_at_hours: float
    marginal_at_hours: float
    points_lost: float
    curve: pd.DataFrame
    table: pd.DataFrame


def _reason(model: StudyModel, opt: Optimum, max_hours: float) -> str:
    if opt.flat:
        return "The score does not depend on the hours here: every choice is as good."
    if not opt.at_boundary:
        return ""
    if opt.x == 0.0:
        if model.kind == "diminishing":
            return (
                f"The first hour earns at most M·k = {model.max_score * model.k:g} points but fatigue costs "
                f"{model.fatigue:g}: every hour costs more than it earns, so the best plan is 0 hours "
                "(on the boundary)."
            )
        return "The score only falls as hours grow: the best plan is 0 hours (on the boundary)."
    return (
        f"The score is still rising at {max_hours:g} hours, the longest day you would consider: the "
        f"optimum is on that boundary. Allow longer days to see where the marginal gain reaches zero."
    )


def analyse(model: StudyModel, hours: float, max_hours: float) -> StudyReport:
    """Optimise study hours on [0, max_hours] and describe the planned hours.

    Examples
    --------
    The seed: 9.03 hours for an effective score of 75.3; studying 15 hours loses 6.4 points.

    >>> r = analyse(diminishing(100, 0.3, 2), 15, 16)
    >>> round(r.optimum.x, 2), round(r.optimum.fun, 1), round(r.points_lost, 1)
    (9.03, 75.3, 6.4)
    """
    hours, max_hours = float(hours), float(max_hours)
    if not (math.isfinite(max_hours) and max_hours > 0):
        raise ValueError(f"max_hours must be positive, got {max_hours}")
    if not (math.isfinite(hours) and hours >= 0):
        raise ValueError(f"hours must be a non-negative number, got {hours}")
    opt = optimize(model.f, 0.0, max_hours, "max", df=model.df, d2f=model.d2f)
    score = float(model.f(hours))
    grid = np.unique(np.concatenate([np.arange(0.0, max_hours + 0.5, 1.0), [round(opt.x, 6)]]))
    grid = grid[grid <= max_hours]
    table = pd.DataFrame(
        {
            "hours": grid,
            "base_score": model.base(grid),
            "fatigue_cost": model.fatigue_cost(grid),
            "effective_score": model.f(grid),
            "marginal_gain": model.base_marginal(grid),
            "net_marginal_gain": model.df(grid),
            "note": ["optimal" if g == round(opt.x, 6) else "" for g in grid],
        }
    )
    return StudyReport(
        model=model,
        hours=hours,
        max_hours=max_hours,
        optimum=opt,
        reason=_reason(model, opt, max_hours),
        score_at_hours=score,
        marginal_at_hours=float(model.df(hours)),
        points_lost=opt.fun - score,
        curve=marginal_curve(model.f, 0.0, max_hours, n=CURVE_POINTS, df=model.df),
        table=table,
    )
