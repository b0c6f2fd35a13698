"""What moves the optimum: how the best choice and the best value respond to every input.

For an objective f(x; θ) maximised (or minimised) over x in [lo, hi]:

* **How the best choice moves** — the implicit function theorem. At an interior optimum
  f_x(x*, θ) = 0 for every θ, so differentiating that identity gives
  dx*/dθ = −f_xθ / f_xx.
* **How the best value moves** — the envelope theorem. V*(θ) = f(x*(θ), θ), and
  dV*/dθ = f_θ + f_x · dx*/dθ = f_θ(x*, θ), because f_x = 0 at x*.
* **On a boundary** x* stays at its end (dx*/dθ = 0) as long as the slope there keeps
  pointing out of the interval, and dV*/dθ is still ∂f/∂θ. When θ *is* the end (a speed
  limit, the longest study day), x* moves one for one with it: dx*/dθ = 1 and
  dV*/dθ = f_θ + f_x at x*. The optimum leaves the boundary where f_x at that end reaches
  zero; :func:`sensitivity` finds that θ with the engine's root finder and reports it
  (:attr:`Sensitivity.leaves_at`, with the status :attr:`Boundary.LEAVES`).
* **Rounding noise** never reaches the table: an effect smaller than :data:`NOISE` of its own
  scale (the input's size, the optimum's, the objective's) is exactly 0. A parameter that
  cannot move the optimum (a trip's distance, when every cost is per mile) gives 0, not
  1.6e-17.

The module returns numbers and statuses only; ``explain.sensitivity`` words them.

For the tutorial's pricing model (p − c)(1300 − 10p) at c = $20 this gives dp*/dc = 1/2 and
dπ*/dc = −(1300 − 10·75) = −550: a $1 higher unit cost raises the best price 50¢ and
lowers the best profit by exactly the 550 customers served there.

Partial derivatives come from the model's analytic ``df``/``d2f`` when it has them, else the
complex step (exact to rounding for analytic code), else central differences with
h = cbrt(eps)·|θ| (relative to the parameter's own scale: a drag coefficient is 0.001, a
price 75); tests compare every formula with re-solving the model at θ ± δ.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from optimizers.calculus import COMPLEX_STEP, Optimum, optimize, roots

__all__ = [
    "COLUMNS",
    "NOISE",
    "Boundary",
    "End",
    "Param",
    "Problem",
    "Sensitivity",
    "SensitivityReport",
    "parameter_step",
    "sensitivity",
    "solve",
    "sweep",
]

#: The table's columns (a contract: the CSV download and the tests read them).
COLUMNS = ["parameter", "value", "optimum_change_per_unit", "best_change_per_unit", "optimum_elasticity"]
#: Points of the sweep of one parameter over its range.
SWEEP_POINTS = 41
_CBRT_EPS = float(np.finfo(float).eps) ** (1 / 3)
#: The complex step is trusted for a partial when it agrees with central differences this well.
_AGREE = 1e-6
#: An effect smaller than this fraction of its own scale is rounding noise, reported as 0.
#: Central differences (the fallback for models without an analytic or complex-safe form) are
#: accurate to about eps^(2/3) ~ 4e-11 of the terms they difference; 1e-9 stays above that and
#: far below anything a visitor could read (an elasticity of 0.000000001%).
NOISE = 1e-9


class Boundary(enum.Enum):
    """Where the optimum sits, as one input's row sees it.

    ``INTERIOR``: f_x = 0 inside the interval (the implicit function theorem applies).
    ``FLAT``: the objective is constant, no single optimum (every effect is nan).
    ``MOVES_END``: the optimum is at an end this input sets (x* moves one for one with it).
    ``LEAVES``: at a fixed end, and x* leaves it when this input reaches ``leaves_at``.
    ``STAYS``: at a fixed end over this input's whole range.
    ``HELD``: at a fixed end, and this input does not enter the objective (or where x* would
    leave the end could not be searched).
    """

    INTERIOR = "interior"
    FLAT = "flat"
    MOVES_END = "moves_end"
    LEAVES = "leaves"
    STAYS = "stays"
    HELD = "held"


class End(enum.Enum):
    """Which end of the interval a boundary optimum sits on."""

    LOWER = "lower"
    UPPER = "upper"


@dataclass(frozen=True)
class Param:
    """An input the user controls: its name (the URL key), value, slider range and label."""

    name: str
    value: float
    lo: float
    hi: float
    label: str = ""
    #: The input's unit, for a chart axis ("$ per unit"); empty when the label says it or it has none.
    unit: str = ""

    def __post_init__(self) -> None:
        for what, v in (("value", self.value), ("lo", self.lo), ("hi", self.hi)):
            if not math.isfinite(v):
                raise ValueError(f"{self.name}: {what} must be finite, got {v}")
        if not self.lo <= self.value <= self.hi:
            raise ValueError(f"{self.name}: value {self.value} is outside [{self.lo}, {self.hi}]")

    @property
    def title(self) -> str:
        return self.label or self.name

    @property
    def axis_title(self) -> str:
        """The title with its unit, for a chart axis: "unit cost ($ per unit)"."""
        return f"{self.title} ({self.unit})" if self.unit else self.title


@dataclass(frozen=True)
class Problem:
    """f(x; θ) to optimise over x in [lo, hi], and the inputs θ the user controls.

    Parameters
    ----------
    f : callable
        ``f(x, **theta)``, numpy-vectorised in x (complex-safe code lets the complex step be used).
    lo, hi : float or str
        The interval for x; a string names the parameter that sets that end (e.g. "max_hours").
    goal : {"max", "min"}
    params : tuple of Param
        Every input in the order the page shows them. Parameters f does not take (only an end)
        are allowed.
    df, d2f : callable, optional
        ``f_x(x, **theta)`` and ``f_xx(x, **theta)`` when known analytically.
    """

    f: Callable
    lo: float | str
    hi: float | str
    goal: str
    params: tuple[Param, ...]
    df: Callable | None = None
    d2f: Callable | None = None
    x_name: str = "x"
    passes: frozenset[str] = field(default_factory=frozenset)

    def theta(self, **override: float) -> dict[str, float]:
        values = {p.name: p.value for p in self.params}
        values.update(override)
        return values

    def interval(self, theta: Mapping[str, float]) -> tuple[float, float]:
        lo = theta[self.lo] if isinstance(self.lo, str) else self.lo
        hi = theta[self.hi] if isinstance(self.hi, str) else self.hi
        return float(lo), float(hi)

    def model_args(self, theta: Mapping[str, float]) -> dict[str, float]:
        """The parameters f takes: all but those that only set an end."""
        ends = {e for e in (self.lo, self.hi) if isinstance(e, str)} - set(self.passes)
        return {k: v for k, v in theta.items() if k not in ends}


@dataclass(frozen=True)
class Sensitivity:
    """One row of the table: how x* and V* respond to one input.

    ``boundary`` says where the optimum sits for this row (:class:`Boundary`); at a fixed end
    ``end`` names it and ``leaves_at`` is the value of this input where x* would leave it
    (nan when it does not, over the input's range).
    """

    parameter: str
    label: str
    value: float
    optimum_change_per_unit: float
    best_change_per_unit: float
    optimum_elasticity: float
    boundary: Boundary = Boundary.INTERIOR
    end: End | None = None
    leaves_at: float = math.nan


@dataclass(frozen=True)
class SensitivityReport:
    """Every input's effect at the optimum (one row per input, in the page's order)."""

    optimum: Optimum
    rows: tuple[Sensitivity, ...]
    x_name: str

    def table(self) -> pd.DataFrame:
        """The contract columns (``COLUMNS``), one row per input."""
        return pd.DataFrame(
            [
                {
                    "parameter": r.parameter,
                    "value": r.value + 0.0,  # + 0.0: never a −0 in the table or the CSV
                    "optimum_change_per_unit": r.optimum_change_per_unit + 0.0,
                    "best_change_per_unit": r.best_change_per_unit + 0.0,
                    "optimum_elasticity": r.optimum_elasticity + 0.0,
                }
                for r in self.rows
            ],
            columns=COLUMNS,
        )

    def largest(self) -> Sensitivity | None:
        """The input with the largest |elasticity| of x* (unit-free, so inputs compare)."""
        finite = [r for r in self.rows if math.isfinite(r.optimum_elasticity) and r.optimum_elasticity != 0]
        return max(finite, key=lambda r: abs(r.optimum_elasticity)) if finite else None

    def largest_per_unit(self) -> Sensitivity | None:
        """The input with the largest |dx*/dθ|: for when no elasticity exists (x* = 0, or no
        input moves x* by a percentage), so inputs can only be compared per unit."""
        moving = [r for r in self.rows if math.isfinite(r.optimum_change_per_unit) and r.optimum_change_per_unit != 0]
        return max(moving, key=lambda r: abs(r.optimum_change_per_unit)) if moving else None


def solve(problem: Problem, **override: float) -> Optimum:
    """The optimum of ``problem`` at its parameters' values (or ``override``).

    Examples
    --------
    >>> p = Problem(lambda x, c: (x - c) * (1300 - 10 * x), 0, 130, "max", (Param("c", 20, 0, 100),))
    >>> solve(p).x, solve(p, c=30).x
    (75.0, 80.0)
    """
    theta = problem.theta(**override)
    lo, hi = problem.interval(theta)
    args = problem.model_args(theta)
    f = _bind(problem.f, args)
    df = _bind(problem.df, args) if problem.df is not None else None
    d2f = _bind(problem.d2f, args) if problem.d2f is not None else None
    return optimize(f, lo, hi, problem.goal, df=df, d2f=d2f)


def _bind(fn: Callable, args: Mapping[str, float]) -> Callable:
    return lambda x: fn(x, **args)


def parameter_step(v: float) -> float:
    """The finite-difference step for a parameter of value ``v``: relative to its own scale
    (a drag of 0.001, a price of 75), and absolute (1 × eps^(1/3)) for 0 or a value so small that
    a relative step underflows (a link's unit cost of 1e-320 divided by zero before).

    >>> parameter_step(75.0) == 75.0 * _CBRT_EPS, parameter_step(0.0) == parameter_step(1e-320) == _CBRT_EPS
    (True, True)
    """
    h = _CBRT_EPS * abs(v)
    return h if h > 0 and v + h != v else _CBRT_EPS


def _partial(fn: Callable, x: float, theta: dict[str, float], name: str) -> float:
    """∂fn/∂θ_name at (x, θ): complex step when it agrees with central differences."""
    v = theta[name]
    h = parameter_step(v)
    with np.errstate(all="ignore"):
        up = float(np.real(fn(x, **{**theta, name: v + h})))
        down = float(np.real(fn(x, **{**theta, name: v - h})))
        central = (up - down) / (2 * h)
        try:
            z = fn(x, **{**theta, name: complex(v, COMPLEX_STEP)})
            cs = float(np.imag(z)) / COMPLEX_STEP
        except (TypeError, ValueError, OverflowError, ZeroDivisionError, AttributeError):
            return central
    if math.isfinite(cs) and abs(cs - central) <= _AGREE * max(abs(cs), abs(central), 1e-300) + 1e-7 * abs(h):
        return cs
    return central


def _fx(problem: Problem, x: float, theta: dict[str, float]) -> float:
    """f_x at (x, θ): analytic df, else complex step in x, else central differences."""
    if problem.df is not None:
        return float(np.real(problem.df(x, **theta)))
    h = _CBRT_EPS * max(1.0, abs(x))
    with np.errstate(all="ignore"):
        central = float(np.real(problem.f(x + h, **theta) - problem.f(x - h, **theta))) / (2 * h)
        try:
            cs = float(np.imag(problem.f(complex(x, COMPLEX_STEP), **theta))) / COMPLEX_STEP
        except (TypeError, ValueError, OverflowError, ZeroDivisionError, AttributeError):
            return central
    return cs if math.isfinite(cs) and abs(cs - central) <= 1e-5 * max(abs(cs), abs(central), 1.0) else central


def _fxx(problem: Problem, x: float, theta: dict[str, float]) -> float:
    if problem.d2f is not None:
        return float(np.real(problem.d2f(x, **theta)))
    h = _CBRT_EPS * max(1.0, abs(x))
    return (_fx(problem, x + h, theta) - _fx(problem, x - h, theta)) / (2 * h)


def _fxtheta(problem: Problem, x: float, theta: dict[str, float], name: str) -> float:
    """The mixed partial f_xθ: ∂/∂θ of f_x (complex step in θ through an analytic df)."""
    if problem.df is not None:
        return _partial(problem.df, x, theta, name)
    return _partial(lambda t, **th: _fx(problem, t, th), x, theta, name)


def sensitivity(problem: Problem, optimum: Optimum | None = None) -> SensitivityReport:
    """dx*/dθ, dV*/dθ and the elasticity of x* for every input of ``problem``.

    Parameters
    ----------
    problem : Problem
    optimum : Optimum, optional
        The optimum at the current values (solved here when not given).

    Returns
    -------
    SensitivityReport

    Notes
    -----
    Interior optimum: dx*/dθ = −f_xθ/f_xx (implicit function theorem), dV*/dθ = f_θ
    (envelope theorem). Boundary optimum at a fixed end: dx*/dθ = 0 and dV*/dθ = f_θ while the
    slope at that end keeps its sign; the row's ``leaves_at`` is the θ where it would stop (found
    by root-finding f_x at the end over θ's range). Optimum at an end set by θ: dx*/dθ = 1,
    dV*/dθ = f_θ + f_x. A flat objective has no unique optimum: every effect is NaN.

    Examples
    --------
    The tutorial's headphones: profit (p − c)(1300 − 10p), best at $75 for c = $20.

    >>> p = Problem(lambda x, c: (x - c) * (1300 - 10 * x), 0, 130, "max", (Param("c", 20, 0, 100, "unit cost"),))
    >>> row = sensitivity(p).rows[0]
    >>> round(row.optimum_change_per_unit, 9), round(row.best_change_per_unit, 6)
    (0.5, -550.0)
    """
    opt = solve(problem) if optimum is None else optimum
    theta = problem.theta()
    args = problem.model_args(theta)
    lo, hi = problem.interval(theta)
    x = float(opt.x)
    scale_x = max(abs(x), abs(hi - lo))
    scale_v = _objective_scale(problem, opt, args, lo, hi)
    x_is_zero = abs(x) <= NOISE * scale_x
    rows = []
    for p in problem.params:
        in_model = p.name in args
        f_theta = _partial(problem.f, x, args, p.name) if in_model else 0.0
        boundary, end, leaves_at = Boundary.INTERIOR, None, math.nan
        if opt.flat:
            dx = dv = math.nan
            boundary = Boundary.FLAT
        elif not opt.at_boundary:
            fxx = _fxx(problem, x, args)
            fxt = _fxtheta(problem, x, args, p.name) if in_model else 0.0
            dx = -fxt / fxx if fxx != 0 else math.nan
            dv = f_theta
        else:
            end = End.LOWER if abs(x - lo) <= abs(x - hi) else End.UPPER
            end_param = problem.lo if end is End.LOWER else problem.hi
            if end_param == p.name:
                dx = 1.0
                dv = f_theta + _fx(problem, x, args)
                boundary = Boundary.MOVES_END
            else:
                dx, dv = 0.0, f_theta
                boundary, leaves_at = _leaves_boundary(problem, p, end) if in_model else (Boundary.HELD, math.nan)
        scale_theta = _input_scale(p)
        dx = _tidy(dx, scale_x / scale_theta)
        dv = _tidy(dv, scale_v / scale_theta)
        if dx == 0:
            elasticity = 0.0
        elif x_is_zero or not math.isfinite(dx):
            elasticity = math.nan
        else:
            elasticity = _tidy(dx * p.value / x, 1.0)
        rows.append(Sensitivity(p.name, p.title, p.value, dx, dv, elasticity, boundary, end, leaves_at))
    return SensitivityReport(opt, tuple(rows), problem.x_name)


def _tidy(value: float, scale: float) -> float:
    """``value``, or 0.0 when it is below :data:`NOISE` of ``scale`` (never −0.0)."""
    if not math.isfinite(value):
        return value
    if value == 0 or (math.isfinite(scale) and abs(value) <= NOISE * abs(scale)):
        return 0.0
    return float(value)


def _input_scale(p: Param) -> float:
    """How big a change of ``p`` is: its value, or where it is 0 the size of its range."""
    return abs(p.value) or max(abs(p.lo), abs(p.hi)) or 1.0


def _objective_scale(problem: Problem, opt: Optimum, args: Mapping[str, float], lo: float, hi: float) -> float:
    """How big the objective is: the largest of |f| at the optimum and at both ends."""
    values = [abs(float(opt.fun))]
    with np.errstate(all="ignore"):
        for t in (lo, hi):
            try:
                values.append(abs(float(np.real(problem.f(t, **args)))))
            except (TypeError, ValueError, OverflowError, ZeroDivisionError, ArithmeticError):
                continue
    finite = [v for v in values if math.isfinite(v)]
    return max(finite) if finite else math.inf


def _leaves_boundary(problem: Problem, p: Param, end: End) -> tuple[Boundary, float]:
    """Where, over p's range, the slope at the optimum's end reaches zero (x* leaves the end):
    (LEAVES, the nearest such value), (STAYS, nan), or (HELD, nan) when it cannot be searched."""

    def slope_at_end(t: float) -> float:
        theta = problem.theta(**{p.name: t})
        lo, hi = problem.interval(theta)
        return _fx(problem, lo if end is End.LOWER else hi, problem.model_args(theta))

    try:
        found = roots(np.vectorize(slope_at_end), p.lo, p.hi, n=81)
    except ValueError:
        return Boundary.HELD, math.nan
    if not found:
        return Boundary.STAYS, math.nan
    return Boundary.LEAVES, float(min(found, key=lambda t: abs(t - p.value)))


def sweep(problem: Problem, name: str, n: int = SWEEP_POINTS) -> pd.DataFrame:
    """The optimum and the best value as ``name`` sweeps its range (the envelope of optima).

    Returns
    -------
    DataFrame with columns ``value``, ``optimum``, ``best``, ``at_boundary``; one row per point
    (points where the model cannot be solved are left out).

    Examples
    --------
    >>> p = Problem(lambda x, c: (x - c) * (1300 - 10 * x), 0, 130, "max", (Param("c", 20, 0, 100),))
    >>> s = sweep(p, "c", n=11)
    >>> s.loc[s.value == 20, "optimum"].item(), s.loc[s.value == 40, "optimum"].item()
    (75.0, 85.0)
    """
    param = next((p for p in problem.params if p.name == name), None)
    if param is None:
        raise ValueError(f"unknown parameter {name!r}; have {[p.name for p in problem.params]}")
    if n < 2:
        raise ValueError(f"n must be at least 2, got {n}")
    values = np.linspace(param.lo, param.hi, n)
    values = np.unique(np.append(values, param.value))
    out = []
    for v in values:
        try:
            o = solve(problem, **{name: float(v)})
        except ValueError:
            continue
        if o.flat:
            continue
        out.append({"value": float(v), "optimum": o.x, "best": o.fun, "at_boundary": o.at_boundary})
    return pd.DataFrame(out, columns=["value", "optimum", "best", "at_boundary"])
