"""Study hours: more study, higher score, with diminishing returns; fatigue costs points.

Numbers and statuses only: every sentence the Study page shows is written by
:mod:`explain.study` from what :func:`analyse` returns.

Two models from the derivatives tutorial this app grew from:

* diminishing returns, effective(h) = M(1 - e^(-k h)) - c h, with optimum
  h* = ln(M k / c) / k when M k > c (else the first hour already costs more than it earns);
* the quadratic score S(h) = a h^2 + b h + s0 (the tutorial: -h^2 + 12h + 20, best at 6 hours).

The best plan is looked for on [0, max_hours]. A plan beyond that limit is compared with it
honestly: "points lost" is never negative, and when the plan scores more only because it
breaks the limit, the result says so (:attr:`StudyResult.gain_beyond_limit`). The effective
score counts fatigue in points, so it can fall below zero. Both models expose their inputs to
:mod:`optimizers.sensitivity` (:func:`sensitivity_problem`; the result carries it).
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from optimizers.calculus import Optimum, marginal_curve, optimize
from optimizers.sensitivity import Param, Problem

if TYPE_CHECKING:  # goalseek imports this module; analyse imports it when first called
    from optimizers.goalseek import GoalSeek

__all__ = [
    "DEFAULTS",
    "GOOD_PLAN_POINTS",
    "MODELS",
    "QUADRATIC_DEFAULTS",
    "RANGES",
    "TARGET_INPUT",
    "Boundary",
    "StudyModel",
    "StudyResult",
    "Verdict",
    "analyse",
    "diminishing",
    "optimal_hours",
    "quadratic",
    "sensitivity_problem",
]

#: The tutorial: M = 100 points, k = 0.3 per hour, fatigue c = 2 points per hour.
DEFAULTS = {"max_score": 100.0, "k": 0.3, "fatigue": 2.0, "hours": 15.0, "max_hours": 16.0}
#: The tutorial's S(h) = -h^2 + 12h + 20.
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
#: The page's score models (``?model=``), the first is the default.
MODELS = ("diminishing", "quadratic")
#: A plan within the limit that loses fewer points than this is a good plan (the page shows one decimal).
GOOD_PLAN_POINTS = 0.05
CURVE_POINTS = 121
#: The "Reach a target score" input (``?target=``, points): (lo, hi, step); 0, the default, is none.
TARGET_INPUT = (-10_000.0, 10_000.0, 1.0)
#: Relative size below which a computed score or slope is rounding noise of its own terms.
_NOISE = 1e-12


def _tidy(value, scale):
    """``value`` with rounding noise (below _NOISE of ``scale``) set to exactly 0, elementwise.

    >>> _tidy(-7.1e-15, 100.0), _tidy(np.array([2e-14, -0.5]), 30.0).tolist()
    (0.0, [0.0, -0.5])
    """
    v, s = np.asarray(value, dtype=float), np.abs(np.asarray(scale, dtype=float))
    out = np.where(np.abs(v) <= _NOISE * s, 0.0, v) + 0.0
    return float(out) if out.ndim == 0 else out


class Boundary(enum.Enum):
    """Why the best plan is an end of [0, max_hours] (:attr:`StudyResult.boundary`)."""

    #: The score is the same at every number of hours.
    FLAT = "flat"
    #: Diminishing returns with M·k ≤ c: the first hour already costs more than it earns.
    NO_HOURS_COSTS = "no_hours_costs"
    #: The quadratic score falls (or stays level) at every hour of the range.
    NO_HOURS_FALLS = "no_hours_falls"
    #: A convex quadratic: the score dips, then rises, but never back above its value at 0 hours.
    NO_HOURS_DIP = "no_hours_dip"
    #: The score is still rising at the longest day; it would turn down later (a turning point beyond).
    LIMIT_TURNS_LATER = "limit_turns_later"
    #: The score is still rising at the longest day and never turns down (no fatigue, or a
    #: quadratic that does not bend down).
    LIMIT_KEEPS_RISING = "limit_keeps_rising"
    #: The best plan is the longest day and the marginal gain is exactly zero there.
    LIMIT_TURNS_THERE = "limit_turns_there"


class Verdict(enum.Enum):
    """What to do about your plan (:attr:`StudyResult.verdict`)."""

    #: Within the limit and fewer than GOOD_PLAN_POINTS from the best score.
    GOOD_PLAN = "good_plan"
    #: The best plan is longer than yours (and beats it by GOOD_PLAN_POINTS or more).
    STUDY_MORE = "study_more"
    #: The best plan is shorter than yours (and beats it by GOOD_PLAN_POINTS or more).
    STUDY_LESS = "study_less"
    #: Your plan breaks the limit and loses less than GOOD_PLAN_POINTS against the best plan
    #: within it: nothing to advise but the limit.
    NONE = "none"


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
    """effective(h) = max_score (1 - e^(-k h)) - fatigue h. Raises ValueError on bad values.

    >>> round(float(diminishing(100, 0.3, 2).f(9.0268)), 1)
    75.3
    """
    for name, value in (("max_score", max_score), ("k", k)):
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be positive, got {value}")
    if not (math.isfinite(fatigue) and fatigue >= 0):
        raise ValueError(f"fatigue must be non-negative, got {fatigue}")
    return StudyModel("diminishing", max_score=float(max_score), k=float(k), fatigue=float(fatigue))


def quadratic(a: float, b: float, c: float) -> StudyModel:
    """S(h) = a h^2 + b h + c. Raises ValueError on non-finite coefficients.

    >>> float(quadratic(-1, 12, 20).f(6.0))
    56.0
    """
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
class StudyResult:
    """Everything the Study page shows, from one call of :func:`analyse`: numbers and statuses.

    ``points_lost`` is how much the best plan within [0, max_hours] beats your plan, never
    negative. ``gain_beyond_limit`` is how much your plan beats it, which can only happen
    when your plan is longer than ``max_hours`` (and is then the reason nothing is lost).
    Values that are zero up to rounding are exactly 0.
    """

    model: StudyModel
    hours: float
    max_hours: float
    optimum: Optimum
    #: Why the best plan is an end of the range; None when it is an interior turning point.
    boundary: Boundary | None
    verdict: Verdict
    score_at_hours: float
    #: Score before fatigue and the fatigue cost at your hours (diminishing model; the
    #: quadratic's whole score is ``base_at_hours`` and its fatigue 0).
    base_at_hours: float
    fatigue_at_hours: float
    marginal_at_hours: float
    points_lost: float
    curve: pd.DataFrame
    table: pd.DataFrame
    #: The effective score as f(h; inputs) for :mod:`optimizers.sensitivity`; None when an
    #: input lies outside its slider's range (the sweep's range), which the page never sends.
    sensitivity: Problem | None
    gain_beyond_limit: float = 0.0
    #: Every number of hours in [0, max_hours] whose score equals the visitor's target
    #: (``analyse(target=...)``); None without a target (0).
    goal: GoalSeek | None = None

    @property
    def beyond_limit(self) -> bool:
        """Your plan is longer than the longest day you allowed."""
        return self.hours > self.max_hours

    @property
    def good_plan(self) -> bool:
        """Your plan is within the limit and within GOOD_PLAN_POINTS of the best score."""
        return self.verdict is Verdict.GOOD_PLAN


def _boundary(model: StudyModel, opt: Optimum, max_hours: float) -> Boundary | None:
    """Why the optimum is an end of [0, max_hours], read from the model's shape, not from wording."""
    if opt.flat:
        return Boundary.FLAT
    if not opt.at_boundary:
        return None
    if opt.x == 0.0:
        if model.kind == "diminishing":
            return Boundary.NO_HOURS_COSTS
        # f' = 2a·h + b is linear: it is ≤ 0 on the whole range iff it is at both ends
        falls = model.df(0.0) <= 0 and model.df(max_hours) <= 0
        return Boundary.NO_HOURS_FALLS if falls else Boundary.NO_HOURS_DIP
    slope = float(_tidy(model.df(max_hours), _slope_scale(model, max_hours)))
    if slope == 0:
        return Boundary.LIMIT_TURNS_THERE
    turns = model.fatigue > 0 if model.kind == "diminishing" else model.a < 0
    return Boundary.LIMIT_TURNS_LATER if turns else Boundary.LIMIT_KEEPS_RISING


def _slope_scale(model: StudyModel, h):
    """The size of the terms of f'(h): the yardstick for rounding noise in the marginal gain."""
    if model.kind == "diminishing":
        return model.max_score * model.k * np.exp(-model.k * np.asarray(h, dtype=float)) + model.fatigue
    return 2 * abs(model.a) * np.abs(np.asarray(h, dtype=float)) + abs(model.b)


def _score_scale(model: StudyModel, h):
    """The size of the terms of f(h)."""
    h = np.abs(np.asarray(h, dtype=float))
    if model.kind == "diminishing":
        return model.max_score + model.fatigue * h
    return abs(model.a) * h * h + abs(model.b) * h + abs(model.c)


def _verdict(hours: float, max_hours: float, opt: Optimum, lost: float) -> Verdict:
    if hours <= max_hours and lost < GOOD_PLAN_POINTS:
        return Verdict.GOOD_PLAN
    if lost < GOOD_PLAN_POINTS:
        return Verdict.NONE
    return Verdict.STUDY_LESS if hours > opt.x else Verdict.STUDY_MORE


def _sensitivity_or_none(model: StudyModel, max_hours: float) -> Problem | None:
    try:
        return sensitivity_problem(model, max_hours)
    except ValueError:  # an input outside its slider's range: no sweep range to read
        return None


def analyse(model: StudyModel, hours: float, max_hours: float, *, target: float = 0.0) -> StudyResult:
    """Optimise study hours on [0, max_hours] and describe the planned hours, in numbers and statuses.

    ``target`` is a score to reach (0: none): ``goal`` then holds every number of hours in
    [0, max_hours] that scores it (:func:`optimizers.goalseek.study_target`).

    Examples
    --------
    The tutorial: 9.03 hours for an effective score of 75.3; studying 15 hours loses 6.4 points,
    so study less.

    >>> r = analyse(diminishing(100, 0.3, 2), 15, 16)
    >>> round(r.optimum.x, 2), round(r.optimum.fun, 1), round(r.points_lost, 1), r.verdict
    (9.03, 75.3, 6.4, <Verdict.STUDY_LESS: 'study_less'>)

    Without fatigue the score keeps rising: 24 hours beats the best plan within a 16-hour limit,
    and that is reported as a gain beyond the limit, not as negative points lost.

    >>> r = analyse(diminishing(100, 0.3, 0), 24, 16)
    >>> r.points_lost, round(r.gain_beyond_limit, 1), r.boundary, r.verdict
    (0.0, 0.7, <Boundary.LIMIT_KEEPS_RISING: 'limit_keeps_rising'>, <Verdict.NONE: 'none'>)

    A score of 70 takes 5.56 or 14.32 hours (Lambert W, docs/intervals-and-goal-seek.md):

    >>> [round(h, 2) for h in analyse(diminishing(100, 0.3, 2), 15, 16, target=70).goal.x]
    [5.56, 14.32]
    """
    from optimizers import goalseek  # goalseek imports this module: imported when first needed

    hours, max_hours, target = float(hours), float(max_hours), float(target)
    if not math.isfinite(target):
        raise ValueError(f"target must be a finite number, got {target}")
    if not (math.isfinite(max_hours) and max_hours > 0):
        raise ValueError(f"max_hours must be positive, got {max_hours}")
    if not (math.isfinite(hours) and hours >= 0):
        raise ValueError(f"hours must be a non-negative number, got {hours}")
    opt = optimize(model.f, 0.0, max_hours, "max", df=model.df, d2f=model.d2f)
    score = float(_tidy(model.f(hours), _score_scale(model, hours)))
    grid = np.arange(0.0, max_hours + 0.5, 1.0)
    grid = grid[(grid <= max_hours) & (np.abs(grid - opt.x) > 1e-9 * max(opt.x, 1.0))]
    grid = np.sort(np.append(grid, opt.x))
    net = _tidy(model.df(grid), _slope_scale(model, grid))
    if not opt.at_boundary:
        net[grid == opt.x] = 0.0  # the derivative at the turning point (what a computer gets is noise)
    table = pd.DataFrame(
        {
            "hours": grid,
            "base_score": model.base(grid),
            "fatigue_cost": model.fatigue_cost(grid),
            "effective_score": _tidy(model.f(grid), _score_scale(model, grid)),
            "marginal_gain": model.base_marginal(grid),
            "net_marginal_gain": net,
            "note": ["optimal" if g == opt.x else "" for g in grid],
        }
    )
    curve = marginal_curve(model.f, 0.0, max_hours, n=CURVE_POINTS, df=model.df)
    curve["derivative"] = _tidy(curve["derivative"].to_numpy(), _slope_scale(model, curve["x"].to_numpy()))
    # within the limit the optimum beats every plan (a negative difference is rounding);
    # beyond it a plan can score more, and that is a gain from breaking the limit, not a loss.
    diff = float(_tidy(opt.fun - score, abs(opt.fun) + abs(score)))
    lost = max(diff, 0.0)
    gain = max(-diff, 0.0) if hours > max_hours else 0.0
    return StudyResult(
        model=model,
        hours=hours,
        max_hours=max_hours,
        optimum=opt,
        boundary=_boundary(model, opt, max_hours),
        verdict=_verdict(hours, max_hours, opt, lost),
        score_at_hours=score,
        base_at_hours=float(model.base(hours)),
        fatigue_at_hours=float(model.fatigue_cost(hours)),
        marginal_at_hours=float(_tidy(model.df(hours), _slope_scale(model, hours))),
        points_lost=lost,
        curve=curve,
        table=table,
        sensitivity=_sensitivity_or_none(model, max_hours),
        gain_beyond_limit=gain,
        goal=goalseek.study_target(model, max_hours, target) if target != 0 else None,
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
    The tutorial: one more point of fatigue per hour moves the best plan by −1/(c·k) = −1.67 h and
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
