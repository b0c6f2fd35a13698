"""Study hours: more study, higher score, with diminishing returns; fatigue costs points.

Two models from the seed module:

* diminishing returns, effective(h) = M(1 - e^(-k h)) - c h, with optimum
  h* = ln(M k / c) / k when M k > c (else the first hour already costs more than it earns);
* the quadratic score S(h) = a h^2 + b h + s0 (the seed: -h^2 + 12h + 20, best at 6 hours).

The best plan is looked for on [0, max_hours]. A plan beyond that limit is compared with it
honestly: "points lost" is never negative, and when the plan scores more only because it
breaks the limit, the report says so (:attr:`StudyReport.gain_beyond_limit`). The effective
score counts fatigue in points, so it can fall below zero; the report says that in words
instead of calling −380 a score. Both models expose their inputs to
:mod:`optimizers.sensitivity` (:func:`sensitivity_problem`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimizers.calculus import Optimum, marginal_curve, optimize
from optimizers.sensitivity import Param, Problem

__all__ = [
    "DEFAULTS",
    "QUADRATIC_DEFAULTS",
    "RANGES",
    "StudyModel",
    "StudyReport",
    "analyse",
    "diminishing",
    "optimal_hours",
    "quadratic",
    "sensitivity_problem",
]

#: The seed: M = 100 points, k = 0.3 per hour, fatigue c = 2 points per hour.
DEFAULTS = {"max_score": 100.0, "k": 0.3, "fatigue": 2.0, "hours": 15.0, "max_hours": 16.0}
#: The seed's S(h) = -h^2 + 12h + 20.
QUADRATIC_DEFAULTS = {"quad_a": -1.0, "quad_b": 12.0, "quad_c": 20.0}
#: (lo, hi, step) of every input's slider: the page draws them, the sensitivity sweeps them.
RANGES = {
    "max_score": (10.0, 200.0, 1.0),
    "k": (0.01, 2.0, 0.01),
    "fatigue": (0.0, 20.0, 0.1),
    "quad_a": (-5.0, 5.0, 0.1),
    "quad_b": (-50.0, 50.0, 0.5),
    "quad_c": (-100.0, 100.0, 1.0),
    "hours": (0.0, 24.0, 0.25),
    "max_hours": (1.0, 24.0, 0.5),
}
#: Points lost below this are "no points lost" (the page shows one decimal).
GOOD_PLAN_POINTS = 0.05
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
    """Everything the Study page shows (see :func:`analyse`).

    ``points_lost`` is how much the best plan within [0, max_hours] beats your plan, never
    negative. ``gain_beyond_limit`` is how much your plan beats it, which can only happen
    when your plan is longer than ``max_hours`` (and is then the reason nothing is lost).
    """

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
    gain_beyond_limit: float = 0.0
    plan_note: str = ""
    score_note: str = ""

    @property
    def beyond_limit(self) -> bool:
        """Your plan is longer than the longest day you allowed."""
        return self.hours > self.max_hours

    @property
    def good_plan(self) -> bool:
        """Your plan is within the limit and within GOOD_PLAN_POINTS of the best score."""
        return not self.beyond_limit and self.points_lost < GOOD_PLAN_POINTS


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


def _pts(v: float) -> str:
    return f"{v:,.1f}".replace("-", "−")


def _h(v: float) -> str:
    return f"{v:,.2f} h"


def _plan_note(hours: float, max_hours: float, opt: Optimum, score: float, gain: float) -> str:
    """What to say about a plan longer than the longest day allowed."""
    if hours <= max_hours:
        return ""
    if gain >= GOOD_PLAN_POINTS:
        return (
            f"You plan {_h(hours)}, more than the longest day you allowed ({_h(max_hours)}). It scores "
            f"{_pts(gain)} points more than the best plan within that limit ({_h(opt.x)}), only because it "
            "breaks the limit; no points are lost against that plan. Raise the limit to compare fairly."
        )
    return f"You plan {_h(hours)}, more than the longest day you allowed ({_h(max_hours)})."


def _score_note(model: StudyModel, hours: float, score: float, opt: Optimum) -> str:
    """Say in words when the model's effective score is below zero (it is not a test score)."""
    parts = []
    if score < 0:
        if model.kind == "diminishing":
            base, cost = float(model.base(hours)), float(model.fatigue_cost(hours))
            parts.append(
                f"At {_h(hours)} the effective score is below zero ({_pts(score)}): fatigue costs "
                f"{_pts(cost)} points, more than the {_pts(base)} that studying earns. No test scores below "
                "zero; read it as far worse than not studying at all (0 hours scores 0)."
            )
        else:
            parts.append(
                f"At {_h(hours)} the model's score S(h) is below zero ({_pts(score)}). No test scores below "
                "zero: these coefficients do not describe a real score there."
            )
    if opt.fun < 0:
        parts.append(f"Even the best plan's score is below zero ({_pts(opt.fun)}) with these inputs.")
    return " ".join(parts)


def analyse(model: StudyModel, hours: float, max_hours: float) -> StudyReport:
    """Optimise study hours on [0, max_hours] and describe the planned hours.

    Examples
    --------
    The seed: 9.03 hours for an effective score of 75.3; studying 15 hours loses 6.4 points.

    >>> r = analyse(diminishing(100, 0.3, 2), 15, 16)
    >>> round(r.optimum.x, 2), round(r.optimum.fun, 1), round(r.points_lost, 1)
    (9.03, 75.3, 6.4)

    Without fatigue the score keeps rising: 24 hours beats the best plan within a 16-hour limit,
    and that is reported as a gain beyond the limit, not as negative points lost.

    >>> r = analyse(diminishing(100, 0.3, 0), 24, 16)
    >>> r.points_lost, round(r.gain_beyond_limit, 1)
    (0.0, 0.7)
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
    # within the limit the optimum beats every plan (a negative difference is rounding);
    # beyond it a plan can score more, and that is a gain from breaking the limit, not a loss.
    lost = max(opt.fun - score, 0.0)
    gain = max(score - opt.fun, 0.0) if hours > max_hours else 0.0
    return StudyReport(
        model=model,
        hours=hours,
        max_hours=max_hours,
        optimum=opt,
        reason=_reason(model, opt, max_hours),
        score_at_hours=score,
        marginal_at_hours=float(model.df(hours)),
        points_lost=lost,
        curve=marginal_curve(model.f, 0.0, max_hours, n=CURVE_POINTS, df=model.df),
        table=table,
        gain_beyond_limit=gain,
        plan_note=_plan_note(hours, max_hours, opt, score, gain),
        score_note=_score_note(model, hours, score, opt),
    )


# --- What moves the optimum -------------------------------------------------------------------


def _diminishing_f(h, max_score, k, fatigue):
    return max_score * (1 - np.exp(-k * h)) - fatigue * h


def _diminishing_df(h, max_score, k, fatigue):
    return max_score * k * np.exp(-k * h) - fatigue


def _diminishing_d2f(h, max_score, k, fatigue):
    return -max_score * k * k * np.exp(-k * h)


def _quadratic_f(h, quad_a, quad_b, quad_c):
    return quad_a * h * h + quad_b * h + quad_c


def _quadratic_df(h, quad_a, quad_b, quad_c):
    return 2 * quad_a * h + quad_b


def _quadratic_d2f(h, quad_a, quad_b, quad_c):
    return 2 * quad_a + 0 * h


def _param(name: str, value: float, label: str, unit: str = "") -> Param:
    lo, hi, _ = RANGES[name]
    return Param(name, float(value), lo, hi, label, unit)


def sensitivity_problem(model: StudyModel, max_hours: float) -> Problem:
    """The effective score as f(h; inputs) on [0, max_hours] for :mod:`optimizers.sensitivity`.

    One Param per input the page's sliders set, named by its URL key: max_score, k, fatigue
    (or quad_a, quad_b, quad_c) and max_hours, which is the END of the interval (``hi``): while
    the best plan is interior it does not move it; when the best plan is the longest day
    allowed, it moves one for one with it.

    Examples
    --------
    The seed: one more point of fatigue per hour moves the best plan by −1/(c·k) = −1.67 h and
    the best score by −h* = −9.03 points.

    >>> from optimizers.sensitivity import sensitivity
    >>> rows = {r.parameter: r for r in sensitivity(sensitivity_problem(diminishing(100, 0.3, 2), 16)).rows}
    >>> round(rows["fatigue"].optimum_change_per_unit, 4), round(rows["fatigue"].best_change_per_unit, 4)
    (-1.6667, -9.0268)
    """
    hours_param = _param("max_hours", max_hours, "longest day", "h")
    if model.kind == "diminishing":
        params = (
            _param("max_score", model.max_score, "max score (M)", "points"),
            _param("k", model.k, "how fast returns fade (k)", "per hour"),
            _param("fatigue", model.fatigue, "fatigue cost (c)", "points per hour"),
            hours_param,
        )
        f, df, d2f = _diminishing_f, _diminishing_df, _diminishing_d2f
    else:
        params = (
            _param("quad_a", model.a, "a"),
            _param("quad_b", model.b, "b"),
            _param("quad_c", model.c, "c"),
            hours_param,
        )
        f, df, d2f = _quadratic_f, _quadratic_df, _quadratic_d2f
    return Problem(f, 0.0, "max_hours", "max", params, df=df, d2f=d2f, x_name="study time")
