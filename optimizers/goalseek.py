"""Goal seek: every x where an objective equals a target, or how far out of reach the target is.

A page that shows the best price also gets asked the reverse question: *which prices make
$25,000 a week?* The answer is found with the engine's root finder
(:func:`optimizers.calculus.roots`: a grid scan for sign changes of f − target, each refined
by brentq to machine precision) on every stretch between the objective's critical points,
where f is monotone: on each side of the optimum and anywhere else f crosses the target.
A critical point or an end of the interval whose value equals the target (within
:data:`GOAL_RTOL` of f's size) is a solution too, so a target equal to the maximum is
reached exactly at the optimum instead of at two points a rounding error apart.

:func:`goal_seek` takes any f on [lo, hi]; the page adapters build it from the models'
public functions: :func:`pricing_target` (weekly profit), :func:`study_target` (score),
:func:`fuel_target` (economy or trip cost) and :func:`compounding_target` (balance).

Examples
--------
The seed's store, q = 1300 − 10p at unit cost $20: $25,000 a week at $52.09 or $97.91
(10p² − 1500p + 51,000 = 0), the break-even prices (target $0) at $20 and $130.

>>> from optimizers import pricing
>>> res = pricing_target(pricing.linear_demand(1300, 10), 20, 0, 25_000)
>>> res.status.name, [round(p, 2) for p in res.x], [c.name for c in res.crossings]
('REACHED', [52.09, 97.91], ['RISING', 'FALLING'])
>>> [round(p, 9) for p in pricing_target(pricing.linear_demand(1300, 10), 20, 0, 0).x]
[20.0, 130.0]
"""

from __future__ import annotations

import dataclasses
import enum
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from optimizers import compounding, fuel, pricing
from optimizers.calculus import BRENTQ_RTOL, BRENTQ_XTOL, GRID_POINTS, Optimum, optimize, roots
from optimizers.study import StudyModel

__all__ = [
    "GOAL_RTOL",
    "Crossing",
    "GoalSeek",
    "GoalStatus",
    "compounding_target",
    "fuel_target",
    "goal_seek",
    "pricing_target",
    "study_target",
]

#: f equals the target "within rounding" when they differ by at most this share of f's size
#: on the interval (the largest |f| at the ends, the optimum and the grid).
GOAL_RTOL = 1e-12

Func = Callable[..., object]


class GoalStatus(enum.Enum):
    """Whether some x reaches the target."""

    #: f equals the target at every x in ``GoalSeek.x``.
    REACHED = "reached"
    #: The target equals the best value (within rounding): reached only at the optimum (or
    #: optima, when several points share the best value).
    TOUCHES = "touches"
    #: No x reaches it: the target is above the highest value of f on [lo, hi].
    ABOVE_MAXIMUM = "above_maximum"
    #: No x reaches it: the target is below the lowest value of f on [lo, hi].
    BELOW_MINIMUM = "below_minimum"


class Crossing(enum.Enum):
    """How f meets the target at a solution, reading x from left to right."""

    #: f rises through the target (below it just left of x, above just right).
    RISING = "rising"
    #: f falls through the target.
    FALLING = "falling"
    #: f touches the target and turns back (an interior maximum or minimum equal to it).
    TOUCH = "touch"


@dataclass(frozen=True)
class GoalSeek:
    """Where f(x) = target on [lo, hi] (see :func:`goal_seek`).

    Attributes
    ----------
    status : GoalStatus
    target : float
    x : tuple of float
        Every solution, increasing (empty when the target is out of reach). When f equals
        the target on the whole interval (``everywhere``), ``(lo, hi)``.
    crossings : tuple of Crossing
        One per solution: RISING, FALLING or TOUCH. At an end of the interval, the direction
        in which f meets the target from inside.
    goal : {"max", "min"}
        Which optimum the objective has.
    optimum_x, optimum_fun : float
        The optimum and f there.
    highest, lowest : float
        The largest and smallest values of f on [lo, hi] (at the ends, critical points or grid).
    margin : float
        How far out of reach the target is: target − highest (ABOVE_MAXIMUM, > 0) or
        target − lowest (BELOW_MINIMUM, < 0); 0 when it is reached.
    lo, hi : float
        The interval searched.
    everywhere : bool
        f is constant and equal to the target.
    """

    status: GoalStatus
    target: float
    x: tuple[float, ...]
    crossings: tuple[Crossing, ...]
    goal: str
    optimum_x: float
    optimum_fun: float
    highest: float
    lowest: float
    margin: float
    lo: float
    hi: float
    everywhere: bool = False


def _values(f: Func, x: np.ndarray) -> np.ndarray:
    """f on an array as real floats (scalar-only f is called point by point)."""
    try:
        y = np.asarray(f(x))
        if y.shape != x.shape:
            y = np.broadcast_to(y, x.shape) if y.ndim == 0 else None
    except (TypeError, ValueError):
        y = None
    if y is None:
        y = np.array([np.asarray(f(float(v))).reshape(()) for v in x])
    return np.asarray(np.real(y), dtype=float)


def _value(f: Func, x: float) -> float:
    return float(_values(f, np.array([x]))[0])


def _interval(lo, hi) -> tuple[float, float]:
    try:
        lo, hi = float(lo), float(hi)
    except (TypeError, ValueError):
        raise ValueError(f"lo and hi must be numbers, got lo={lo!r}, hi={hi!r}") from None
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError(f"lo and hi must be finite, got lo={lo}, hi={hi}")
    if not hi > lo:
        raise ValueError(f"hi must be greater than lo, got lo={lo}, hi={hi}")
    return lo, hi


def _finite(name: str, value) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a finite number, got {value!r}") from None
    if not math.isfinite(v):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return v


def _side(g: Func, x: float, lo: float, hi: float, h: float, tol: float) -> tuple[float, float]:
    """Signs of g = f − target just left and just right of x (0 within tol or outside [lo, hi])."""
    out = []
    for t in (x - h, x + h):
        if not lo <= t <= hi:
            out.append(0.0)
            continue
        v = _value(g, t)
        out.append(0.0 if abs(v) <= tol else math.copysign(1.0, v))
    return out[0], out[1]


def _roots(g: Func, a: float, b: float, n: int) -> list[float]:
    """:func:`optimizers.calculus.roots` of g on [a, b]; when a root falls on a grid node where
    g's vector and scalar values round to opposite signs (brentq then finds no sign change),
    the scan is repeated on a grid one point finer, which puts no node there."""
    try:
        return roots(g, a, b, n=n)
    except ValueError:
        return roots(g, a, b, n=n + 1)


def _crossing(left: float, right: float) -> Crossing:
    """From the signs of f − target either side (0: at the target, or outside the interval)."""
    if left <= 0 <= right and left != right:
        return Crossing.RISING
    if left >= 0 >= right and left != right:
        return Crossing.FALLING
    return Crossing.TOUCH


def goal_seek(
    f: Func,
    lo: float,
    hi: float,
    target: float,
    *,
    goal: str = "max",
    df: Func | None = None,
    d2f: Func | None = None,
    optimum: Optimum | float | None = None,
    breaks: Sequence[float] | None = None,
    n: int = GRID_POINTS,
    scale: Func | None = None,
) -> GoalSeek:
    """Every x in [lo, hi] where f(x) = target, or the status and margin when there is none.

    Parameters
    ----------
    f : callable
        The objective (numpy-vectorised is fastest).
    lo, hi : float
        The interval, lo < hi.
    target : float
        The value sought.
    goal : {"max", "min"}
        The objective's kind of optimum: decides whether a target equal to the highest or
        the lowest value is TOUCHES.
    df, d2f : callable, optional
        Analytic derivatives, used to find the optimum and the critical points.
    optimum : Optimum or float, optional
        The optimum from :func:`optimizers.calculus.optimize` (its critical points split the
        interval), or its x; found here with ``df``/``d2f`` when not given.
    breaks : sequence of float, optional
        Points splitting [lo, hi] into stretches where f is monotone (default: the optimum's
        critical points). A step function gives its steps.
    n : int
        Grid points of the root finder's scan on each stretch.
    scale : callable, optional
        The size of f's terms at x (e.g. revenue + cost for a profit): f equals the target
        "within rounding" at x when they differ by at most ``GOAL_RTOL * scale(x)``. Default:
        the largest |f| on the interval, which is too coarse where f spans many decades (a
        profit over prices from a cent to a googol).

    Returns
    -------
    GoalSeek

    Raises
    ------
    ValueError
        On a bad interval, goal or target, or f not finite on the grid.

    Notes
    -----
    On each stretch between consecutive points of {lo, optimum, breaks, hi},
    :func:`optimizers.calculus.roots` finds the sign changes of f − target and refines each
    with brentq. A break point or an end whose value equals the target within
    ``GOAL_RTOL`` × (size of f) is a solution itself, and the roots within rounding of it
    (f stays within that tolerance between them) are the same solution. Where f jumps across
    the target (a deposit), the jump is the solution.

    Examples
    --------
    sin on [0, 2π]: 0.5 at π/6 and 5π/6; 1 only at the maximum π/2; 2 is out of reach by 1.

    >>> r = goal_seek(np.sin, 0, 2 * np.pi, 0.5, df=np.cos)
    >>> r.status.name, [round(x / np.pi, 12) for x in r.x]
    ('REACHED', [0.166666666667, 0.833333333333])
    >>> r = goal_seek(np.sin, 0, 2 * np.pi, 1.0, df=np.cos)
    >>> r.status.name, [round(x / np.pi, 9) for x in r.x], r.crossings[0].name
    ('TOUCHES', [0.5], 'TOUCH')
    >>> r = goal_seek(np.sin, 0, 2 * np.pi, 2.0, df=np.cos)
    >>> r.status.name, r.x, round(r.margin, 12)
    ('ABOVE_MAXIMUM', (), 1.0)
    """
    lo, hi = _interval(lo, hi)
    target = _finite("target", target)
    if goal not in ("max", "min"):
        raise ValueError(f"goal must be 'max' or 'min', got {goal!r}")
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 3:
        raise ValueError(f"n must be a whole number of at least 3 grid points, got {n!r}")
    flat = False
    if optimum is None:
        optimum = optimize(f, lo, hi, goal, df=df, d2f=d2f)
    if isinstance(optimum, Optimum):
        if optimum.kind != goal:
            raise ValueError(f"the optimum is a {optimum.kind}imum but goal is {goal!r}")
        x_opt, flat = float(optimum.x), optimum.flat
        default_breaks = [p.x for p in optimum.critical_points]
    else:
        x_opt = _finite("optimum", optimum)
        default_breaks = []
    if not lo <= x_opt <= hi:
        raise ValueError(f"the optimum must lie in [lo, hi], got {x_opt} outside [{lo}, {hi}]")
    cuts = default_breaks if breaks is None else [_finite("break", b) for b in breaks]
    points = sorted({lo, hi, x_opt, *(b for b in cuts if lo < b < hi)})

    with np.errstate(all="ignore"):
        at = _values(f, np.array(points))
        f_opt = float(at[points.index(x_opt)])
        grids = [np.linspace(a, b, n) for a, b in itertools.pairwise(points)]
        sampled = _values(f, np.concatenate(grids))
    every = np.concatenate([at, sampled])
    if not np.all(np.isfinite(every)):
        raise ValueError("f is not finite everywhere on the interval")
    where = np.concatenate([points, *grids])
    top, bottom = int(np.argmax(every)), int(np.argmin(every))
    highest, lowest = float(every[top]), float(every[bottom])
    tiny = np.finfo(float).tiny
    if scale is None:
        size = max(abs(highest), abs(lowest), tiny)

        def tol_at(x: float) -> float:
            return GOAL_RTOL * size
    else:

        def tol_at(x: float) -> float:
            return GOAL_RTOL * max(abs(_value(scale, x)), tiny)

    tol_hi, tol_lo = tol_at(float(where[top])), tol_at(float(where[bottom]))
    common = {"goal": goal, "optimum_x": x_opt, "optimum_fun": f_opt, "highest": highest, "lowest": lowest}
    common |= {"lo": lo, "hi": hi, "target": target}

    if target > highest + tol_hi:
        return GoalSeek(GoalStatus.ABOVE_MAXIMUM, x=(), crossings=(), margin=target - highest, **common)
    if target < lowest - tol_lo:
        return GoalSeek(GoalStatus.BELOW_MINIMUM, x=(), crossings=(), margin=target - lowest, **common)
    if flat or highest - lowest <= max(tol_hi, tol_lo):
        return GoalSeek(
            GoalStatus.REACHED,
            x=(lo, hi),
            crossings=(Crossing.TOUCH, Crossing.TOUCH),
            margin=0.0,
            everywhere=True,
            **common,
        )

    def g(x):
        return _values(f, np.asarray(x, dtype=float)) - target if np.ndim(x) else _value(f, float(x)) - target

    # break points and ends at the target (within rounding) are solutions themselves
    exact = [(p, v) for p, v in zip(points, at, strict=True) if abs(v - target) <= tol_at(p)]
    found: list[float] = [p for p, _ in exact]
    with np.errstate(all="ignore"):
        for a, b in itertools.pairwise(points):
            for r in _roots(g, a, b, n):
                near = [p for p, _ in exact if p in (a, b)]
                # a root within rounding of a solution at the stretch's end is that solution
                if any(
                    np.all(np.abs(g(np.linspace(min(p, r), max(p, r), 17))) <= max(tol_at(p), tol_at(r))) for p in near
                ):
                    continue
                found.append(r)
    found.sort()
    merged: list[float] = []
    for r in found:
        if merged and r - merged[-1] <= 2 * (BRENTQ_XTOL + 4 * BRENTQ_RTOL * abs(r)):
            continue
        merged.append(r)
    cell = (hi - lo) / (n - 1) / 4
    crossings = []
    for r in merged:
        h = min(cell, *(abs(r - s) / 2 for s in merged if s != r)) if len(merged) > 1 else cell
        left, right = _side(g, r, lo, hi, h, tol_at(r))
        crossings.append(_crossing(left, right))
    best, tol_best = (highest, tol_hi) if goal == "max" else (lowest, tol_lo)
    status = GoalStatus.TOUCHES if abs(target - best) <= tol_best else GoalStatus.REACHED
    return GoalSeek(status, x=tuple(merged), crossings=tuple(crossings), margin=0.0, **common)


# --- the pages' objectives ----------------------------------------------------------------------


def _in_prices(res: GoalSeek) -> GoalSeek:
    """A goal seek run in u = log(price), mapped back to prices."""
    return dataclasses.replace(
        res,
        x=tuple(math.exp(u) for u in res.x),
        optimum_x=math.exp(res.optimum_x),
        lo=math.exp(res.lo),
        hi=math.exp(res.hi),
    )


def _power(base: float, exponent: float) -> float:
    """base**exponent within [1/BREAK_EVEN_CAP, BREAK_EVEN_CAP], computed in logarithms: an
    elasticity a hair above 1 makes 1/(e − 1) huge, and the power would overflow.

    >>> _power(4.0, 0.5), _power(100.0, 1e6), _power(0.0, 2.0)
    (2.0, 1e+100, 0.0)
    """
    cap = pricing.BREAK_EVEN_CAP
    if base <= 0:
        return 0.0
    log = math.log(base) * exponent
    if log >= math.log(cap):
        return cap
    return 1 / cap if log <= -math.log(cap) else math.exp(log)


def _elasticity_prices(model: pricing.DemandModel, c: float, fixed: float, target: float) -> tuple[float, float]:
    """The prices searched for ``target`` under q = A·p^−e: an interval that holds every solution
    and the best price, chosen from where profit + F = A(p − c)p^−e must equal need = target + F.

    Above c that is positive; below c it rises from −∞ (as p → 0) to 0 at c. So a target below
    −F (need < 0) is met once, below c; any other target at or above c, and not beyond where
    A(p − c)p^−e is surely below need (e > 1) or above it (e < 1). With c = 0 profit is
    A·p^(1−e) − F, monotone: its one solution is (A/need)^(1/(e−1)) in closed form, and with
    need <= 0 there is none (the prices a page considers, :data:`optimizers.pricing.PRICE_LIMITS`,
    are searched to say how far the target is).
    """
    scale, e, cap = model.scale, model.elasticity, pricing.BREAK_EVEN_CAP
    need = target + fixed
    p_star = pricing.optimal_price(model, c)
    if c == 0:
        if need <= 0 or e == 1:
            return pricing.PRICE_LIMITS
        root = _power(scale / need, 1 / (e - 1))
        return max(root / 2, 1 / cap), min(2 * root, cap)
    if need < 0:  # A(c − p)p^−e > −need for every p below this: the solution lies above it
        return min(c / 2, 0.99 * _power(scale * c / (-2 * need), 1 / e)), c
    if e > 1:  # A(p − c)p^−e < A·p^(1−e): below need beyond (A/need)^(1/(e−1))
        hi = _power(scale / need, 1 / (e - 1)) * 1.01 if need > 0 else p_star
    elif e < 1:  # for p >= 2c, A(p − c)p^−e >= A·p^(1−e)/2: above need beyond (2·need/A)^(1/(1−e))
        hi = max(2 * c, _power(2 * need / scale, 1 / (1 - e))) * 1.01 + 1.0
    else:  # e = 1: A(1 − c/p) rises toward A, reaching need at c/(1 − need/A)
        hi = c / (1 - need / scale) * 1.01 + 1.0 if need < scale else cap
    return c, min(max(hi, 3 * p_star if p_star is not None else 3 * c), cap)


def pricing_target(model: pricing.DemandModel, unit_cost: float, fixed_cost: float, target: float) -> GoalSeek:
    """The prices at which weekly profit (p − c)·q(p) − F equals ``target`` ($ a week).

    Linear demand is searched on the Pricing page's interval, $0 to the choke price a/b (from
    there up nobody buys and profit is −F). Constant elasticity is searched in log(price), as
    prices span decades there, on an interval that holds every solution
    (:func:`_elasticity_prices`), with "equal within rounding" judged against the size of
    revenue, costs and the target at each price. ``target = 0`` gives the break-even prices
    (:func:`optimizers.pricing.break_even_prices` is this call).

    Raises
    ------
    ValueError
        For a negative or non-finite cost or a non-finite target.

    Examples
    --------
    >>> from optimizers import pricing
    >>> r = pricing_target(pricing.linear_demand(1300, 10), 20, 0, 30_250)  # the best profit
    >>> r.status.name, r.x
    ('TOUCHES', (75.0,))
    >>> r = pricing_target(pricing.linear_demand(1300, 10), 20, 0, 31_000)
    >>> r.status.name, r.margin
    ('ABOVE_MAXIMUM', 750.0)
    """
    c, fixed, target = float(unit_cost), float(fixed_cost), _finite("target", target)
    if not (math.isfinite(c) and c >= 0):
        raise ValueError(f"unit cost must be a non-negative number, got {unit_cost}")
    if not (math.isfinite(fixed) and fixed >= 0):
        raise ValueError(f"fixed cost must be a non-negative number, got {fixed_cost}")
    if model.kind == "linear":
        a, b = model.a, model.b

        def f(p):
            return (p - c) * np.maximum(a - b * p, 0.0) - fixed

        def df(p):
            return np.where(a - b * p > 0, a - 2 * b * p + b * c, 0.0)

        def d2f(p):
            return np.where(a - b * p > 0, -2 * b, 0.0) + 0 * p

        return goal_seek(f, 0.0, a / b, target, goal="max", df=df, d2f=d2f)
    scale, e = model.scale, model.elasticity
    lo, hi = _elasticity_prices(model, c, fixed, target)

    def fu(u):
        p = np.exp(u)
        with np.errstate(over="ignore"):
            return scale * (p - c) * p ** (-e) - fixed

    def dfu(u):
        p = np.exp(u)
        return scale * p ** (-e) * (e * c - (e - 1) * p)  # d/du = p d/dp

    def size(u):  # revenue + cost + F + |target|: what cancels in profit − target
        p = np.exp(u)
        with np.errstate(over="ignore"):
            return scale * (p + c) * p ** (-e) + fixed + abs(target)

    return _in_prices(goal_seek(fu, math.log(lo), math.log(hi), target, goal="max", df=dfu, scale=size))


def study_target(model: StudyModel, max_hours: float, target: float) -> GoalSeek:
    """The study hours in [0, ``max_hours``] at which the effective score equals ``target`` points.

    Examples
    --------
    The seed's quadratic S(h) = −h² + 12h + 20 scores 52 at h = 6 ± 2.

    >>> from optimizers import study
    >>> [round(h, 12) for h in study_target(study.quadratic(-1, 12, 20), 16, 52).x]
    [4.0, 8.0]
    """
    h = _finite("max_hours", max_hours)
    if not h > 0:
        raise ValueError(f"max_hours must be positive, got {max_hours}")
    return goal_seek(model.f, 0.0, h, target, goal="max", df=model.df, d2f=model.d2f)


def fuel_target(
    model: fuel.FuelModel | fuel.PhysicalModel,
    target: float,
    *,
    objective: str = "economy",
    speed_limit: float,
    units: str = "us",
    fuel_price: float | None = None,
    distance: float | None = None,
    time_value: float = 0.0,
) -> GoalSeek:
    """The speeds in [min speed, ``speed_limit``] at which economy or trip cost equals ``target``.

    ``objective="economy"``: MPG (US, best at its maximum) or L/100 km (metric, best at its
    minimum). ``objective="trip_cost"``: D (P u(v) + T/v) in $, best at its minimum; needs
    ``fuel_price`` and ``distance``. Everything in ``units``, as :func:`optimizers.fuel.analyse`.

    Examples
    --------
    The seed's car, MPG = s/(0.001 s² + 2): 10 MPG at 27.64 and 72.36 mph
    (0.01 s² − s + 20 = 0).

    >>> from optimizers import fuel
    >>> [round(s, 2) for s in fuel_target(fuel.FuelModel(0.001, 2), 10, speed_limit=80).x]
    [27.64, 72.36]
    """
    u = fuel.UNITS[units] if isinstance(units, str) and units in fuel.UNITS else None
    if u is None:
        raise ValueError(f"units must be one of {', '.join(fuel.UNITS)}, got {units!r}")
    limit = _finite("speed_limit", speed_limit)
    if not limit > u.min_speed:
        raise ValueError(f"speed_limit must be above {u.min_speed:g} {u.speed}, got {speed_limit}")
    m = model
    if objective == "economy":
        return goal_seek(
            lambda v: u.economy_of(m.per_distance(v)),
            u.min_speed,
            limit,
            target,
            goal=u.goal,
            df=lambda v: u.d_economy(m.per_distance(v), m.d_per_distance(v)),
            d2f=lambda v: u.d2_economy(m.per_distance(v), m.d_per_distance(v), m.d2_per_distance(v)),
        )
    if objective != "trip_cost":
        raise ValueError(f"objective must be 'economy' or 'trip_cost', got {objective!r}")
    for name, value in (("fuel_price", fuel_price), ("distance", distance)):
        if value is None or not (math.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be positive for the trip cost, got {value}")
    if not (math.isfinite(time_value) and time_value >= 0):
        raise ValueError(f"time_value must be non-negative, got {time_value}")
    d, p, t = float(distance), float(fuel_price), float(time_value)
    return goal_seek(
        lambda v: d * (p * m.per_distance(v) + t / v),
        u.min_speed,
        limit,
        target,
        goal="min",
        df=lambda v: d * (p * m.d_per_distance(v) - t / (v * v)),
        d2f=lambda v: d * (p * m.d2_per_distance(v) + 2 * t / (v * v * v)),
    )


def compounding_target(
    principal: float,
    rate: float,
    years: float,
    target: float,
    frequency: str = "continuous",
    contribution: float = 0.0,
    timing: str = "end",
) -> GoalSeek:
    """The times in [0, ``years``] at which the balance equals ``target`` ($).

    The balance of :func:`optimizers.compounding.analyse` (same frequency, monthly
    contributions and deposit timing; ``rate`` a fraction a year). It only grows when the rate
    is not negative, so there is at most one time, and with contributions it may be a
    deposit that lifts the balance past the target. With a negative rate and contributions
    the balance falls between deposits and jumps at each, and every crossing is returned.
    The best value is the highest balance (``goal="max"``); a target above the balance at
    the horizon is ABOVE_MAXIMUM by the difference.

    Examples
    --------
    $10,000 at 5% continuously reaches $20,000 at ln 2 / 0.05 = 13.86 years.

    >>> round(compounding_target(10_000, 0.05, 30, 20_000).x[0], 4)
    13.8629
    """
    for name, value in (("principal", principal), ("contribution", contribution)):
        if not (math.isfinite(value) and value >= 0):
            raise ValueError(f"{name} must be a non-negative amount, got {value}")
    y = _finite("years", years)
    if not y > 0:
        raise ValueError(f"years must be positive, got {years}")
    delta = compounding.force_of_interest(_finite("rate", rate), frequency)
    compounding.deposits(0.0, timing)  # validates timing

    def f(t):
        return compounding.balance(principal, delta, contribution, t, timing)

    if contribution and delta < 0:
        return _sawtooth(f, delta, y, target)
    best = y if delta >= 0 else 0.0
    return goal_seek(f, 0.0, y, target, goal="max", optimum=best, breaks=[])


def _sawtooth(f: Func, delta: float, years: float, target: float) -> GoalSeek:
    """A balance that falls between monthly deposits (delta < 0) and jumps up at each.

    Between deposits j/12 and (j+1)/12 the balance is V(m) e^(delta (t − m)), m the middle of
    the month: that continuous piece, extended to both ends, gives the limits either side of
    every deposit exactly (however the deposit schedule rounds t = j/12 itself). f − target
    on each piece is monotone: its root, by the engine's root finder, is a FALLING solution; a
    deposit that lifts the balance from below the target to above it is a RISING one.
    """
    ends = np.unique(np.concatenate([np.arange(0.0, 12 * years, 1.0) / 12, [years]]))
    a, b = ends[:-1], ends[1:]
    mid = 0.5 * (a + b)
    v_mid = np.asarray(f(mid), dtype=float)
    start, stop = v_mid * np.exp(delta * (a - mid)), v_mid * np.exp(delta * (b - mid))  # right and left limits
    v_end = float(f(years))  # with the deposit made at the horizon itself, if one is
    highest, lowest = max(float(start.max()), v_end), float(stop.min())
    tol = GOAL_RTOL * max(abs(highest), abs(lowest))
    x_best = years if v_end > start.max() else float(a[int(np.argmax(start))])
    common = {"goal": "max", "optimum_x": x_best, "optimum_fun": highest, "highest": highest}
    common |= {"lowest": lowest, "lo": 0.0, "hi": years, "target": target}
    if target > highest + tol:
        return GoalSeek(GoalStatus.ABOVE_MAXIMUM, x=(), crossings=(), margin=target - highest, **common)
    if target < lowest - tol:
        return GoalSeek(GoalStatus.BELOW_MINIMUM, x=(), crossings=(), margin=target - lowest, **common)
    found: list[tuple[float, Crossing]] = []
    for j in range(a.size):
        if j and stop[j - 1] < target - tol and start[j] >= target - tol:  # the deposit at a[j] lifts it past
            found.append((float(a[j]), Crossing.RISING))
        if abs(start[j] - target) <= tol and (j == 0 or stop[j - 1] >= target - tol):
            found.append((float(a[j]), Crossing.TOUCH if j else Crossing.FALLING))
            continue
        if start[j] > target + tol >= stop[j] - 2 * tol:
            v0, t0 = float(v_mid[j]), float(mid[j])
            piece = roots(lambda t, v0=v0, t0=t0: v0 * np.exp(delta * (t - t0)) - target, float(a[j]), float(b[j]))
            found += [(r, Crossing.FALLING) for r in piece if r < b[j]]
    if stop[-1] < target - tol and v_end >= target - tol:  # the deposit at the horizon lifts it past
        found.append((years, Crossing.RISING))
    found.sort()
    status = GoalStatus.TOUCHES if abs(target - highest) <= tol else GoalStatus.REACHED
    return GoalSeek(status, x=tuple(x for x, _ in found), crossings=tuple(c for _, c in found), margin=0.0, **common)
