"""Price and advertising: two decisions at once.

Customers per week respond to the price p (constant elasticity e > 1, as on the Pricing page)
and to the weekly advertising budget A (constant elasticity 0 < γ < 1: each doubling of the
budget brings 2^γ times the customers, with diminishing returns):

    customers(p, A) = scale · p^(−e) · A^γ
    profit(p, A)    = (p − unit_cost) · customers(p, A) − A − fixed_cost

Setting both partial derivatives to zero gives closed forms, used as tests of the engine
(:mod:`optimizers.multivariate`), which finds the optimum on its own:

* ∂profit/∂p = 0  ⇔  p* = c·e/(e − 1), the markup rule of the Pricing page (whatever A is);
* ∂profit/∂A = 0  ⇔  A = γ·(p − c)·customers; at p* this is A*/revenue = γ/e, the
  Dorfman–Steiner condition (R. Dorfman and P. O. Steiner, "Optimal advertising and optimal
  quality", AER 44, 1954: the ad-to-sales ratio equals the ratio of the two elasticities);
* A* = [γ · scale · (p* − c) · p*^(−e)]^(1/(1−γ)) and, since (p* − c)·customers* = A*/γ,
  profit* = A*·(1 − γ)/γ − fixed_cost.

At (p*, A*) the Hessian is diagonal (∂²profit/∂p∂A = γ/A · ∂profit/∂p = 0 there), with
∂²/∂p² = −(e − 1)·customers*/p* and ∂²/∂A² = γ(γ − 1)·(p* − c)·customers*/A*², both negative:
a maximum.

The default ``scale`` makes the visitor's default starting point read like the Pricing page's
tutorial shop: at the tutorial's $75 with $1,000 a week of advertising the shop sells exactly
550 pairs a week (the tutorial's number at $75), so its profit there is 55 × 550 − 1,000 =
$29,250 (the tutorial's $30,250 less the ad budget). The best plan is then a $40 price (the
markup rule at e = 2) with about $4,494 a week of ads, selling about 2,247 pairs for about
$40,449 a week. See :func:`scale_for`.
"""

from __future__ import annotations

import dataclasses
import enum
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimizers import multivariate as mv
from optimizers.calculus import marginal_curve
from optimizers.sensitivity import Param

__all__ = [
    "DEFAULT_AD_ELASTICITY",
    "DEFAULT_AD_SPEND",
    "DEFAULT_FIXED_COST",
    "DEFAULT_PRICE",
    "DEFAULT_PRICE_ELASTICITY",
    "DEFAULT_SCALE",
    "DEFAULT_UNIT_COST",
    "INPUTS",
    "RANGES",
    "REFERENCE",
    "Move",
    "PriceAdsResult",
    "analyse",
    "analysis_box",
    "customers",
    "gradient",
    "hessian",
    "optimal_ad_spend",
    "optimal_price",
    "optimal_profit",
    "profit",
    "scale_for",
    "sensitivity_problem",
]

DEFAULT_UNIT_COST = 20.0
DEFAULT_PRICE_ELASTICITY = 2.0
DEFAULT_AD_ELASTICITY = 0.1
DEFAULT_FIXED_COST = 0.0
#: The visitor's default current plan: the tutorial's price and a round weekly ad budget.
DEFAULT_PRICE = 75.0
DEFAULT_AD_SPEND = 1000.0
#: (customers per week, price, weekly ad spend) that the default scale reproduces exactly.
REFERENCE = (550.0, 75.0, 1000.0)


def scale_for(
    customers_per_week: float, price: float, ad_spend: float, price_elasticity: float, ad_elasticity: float
) -> float:
    """The ``scale`` at which the shop sells ``customers_per_week`` at this price and ad spend.

    Examples
    --------
    The default: 550 pairs a week at $75 with $1,000 of ads (e = 2, γ = 0.1).

    >>> round(scale_for(550, 75, 1000, 2.0, 0.1), 3)
    1550548.004
    """
    for name, v in (("customers_per_week", customers_per_week), ("price", price), ("ad_spend", ad_spend)):
        if not (math.isfinite(v) and v > 0):
            raise ValueError(f"{name} must be a positive number, got {name}={v}")
    return float(customers_per_week * price**price_elasticity / ad_spend**ad_elasticity)


#: Customers per week at price 1 and ad spend 1 (scale_for(*REFERENCE, 2, 0.1) ≈ 1,550,548).
DEFAULT_SCALE = scale_for(*REFERENCE, DEFAULT_PRICE_ELASTICITY, DEFAULT_AD_ELASTICITY)

#: (lo, hi, step) of every slider, by URL key. The model's own inputs first, then the
#: visitor's current plan (price in $, ad spend in $ per week).
RANGES = {
    "unit_cost": (1.0, 100.0, 1.0),
    "price_elasticity": (1.1, 5.0, 0.05),
    "ad_elasticity": (0.01, 0.5, 0.01),
    "scale": (100_000.0, 10_000_000.0, 1.0),
    "fixed_cost": (0.0, 50_000.0, 500.0),
    "price": (1.0, 300.0, 0.5),
    "ad_spend": (50.0, 20_000.0, 50.0),
}
#: The model's inputs in the order of the sensitivity table: (URL key, label, unit).
INPUTS = (
    ("unit_cost", "unit cost", "$ per unit"),
    ("price_elasticity", "price elasticity", ""),
    ("ad_elasticity", "ad elasticity", ""),
    ("scale", "demand scale", "customers at $1 and $1 of ads"),
    ("fixed_cost", "fixed cost", "$ per week"),
)
#: Points on each slice through the optimum, and per side of the profit grid.
SLICE_POINTS = 121
GRID_SIDE = 41
#: An input moves an optimum coordinate by rounding noise when its effect, as a share of the
#: coordinate per unit of the input's own size (max(|value|, 1)), is below this: shown and
#: exported as 0 (the optimal price does not depend on advertising, but the implicit function
#: theorem's arithmetic gives about 1e-14 for it).
NOISE = 1e-12
#: The current plan counts as already optimal in a coordinate within this relative distance.
KEEP_RTOL = 0.005
#: The analysis box around the current plan and the optimum: this fraction below the smaller
#: and this multiple above the larger of the two, in each coordinate.
BOX_BELOW = 0.5
BOX_ABOVE = 1.5


class Move(enum.Enum):
    """Which way the current plan should move in one coordinate to reach the optimum."""

    RAISE = "raise"
    LOWER = "lower"
    KEEP = "keep"


def _check(unit_cost, price_elasticity, ad_elasticity, scale, fixed_cost) -> tuple[float, ...]:
    c, e, g, s, fc = (float(v) for v in (unit_cost, price_elasticity, ad_elasticity, scale, fixed_cost))
    if not (math.isfinite(c) and c > 0):
        raise ValueError(f"unit_cost must be a positive number, got unit_cost={unit_cost}")
    if not (math.isfinite(e) and e > 1):
        raise ValueError(
            f"price_elasticity must be greater than 1 (else no finite price is best), got price_elasticity={e}"
        )
    if not (math.isfinite(g) and 0 < g < 1):
        raise ValueError(f"ad_elasticity must be between 0 and 1 (exclusive), got ad_elasticity={g}")
    if not (math.isfinite(s) and s > 0):
        raise ValueError(f"scale must be a positive number, got scale={scale}")
    if not (math.isfinite(fc) and fc >= 0):
        raise ValueError(f"fixed_cost must be a non-negative number, got fixed_cost={fixed_cost}")
    return c, e, g, s, fc


# --- the model (numpy-vectorised, complex-safe in every argument) ------------------------------


def customers(
    price, ad_spend, price_elasticity=DEFAULT_PRICE_ELASTICITY, ad_elasticity=DEFAULT_AD_ELASTICITY, scale=DEFAULT_SCALE
):
    """Customers per week: scale · price^(−e) · ad_spend^γ.

    >>> round(float(customers(75.0, 1000.0)), 9)
    550.0
    """
    return scale * price ** (-price_elasticity) * ad_spend**ad_elasticity


def profit(
    price,
    ad_spend,
    unit_cost=DEFAULT_UNIT_COST,
    price_elasticity=DEFAULT_PRICE_ELASTICITY,
    ad_elasticity=DEFAULT_AD_ELASTICITY,
    scale=DEFAULT_SCALE,
    fixed_cost=DEFAULT_FIXED_COST,
):
    """Weekly profit: (price − unit_cost) · customers − ad_spend − fixed_cost.

    >>> round(float(profit(75.0, 1000.0)), 6)
    29250.0
    """
    q = customers(price, ad_spend, price_elasticity, ad_elasticity, scale)
    return (price - unit_cost) * q - ad_spend - fixed_cost


def gradient(
    price,
    ad_spend,
    unit_cost=DEFAULT_UNIT_COST,
    price_elasticity=DEFAULT_PRICE_ELASTICITY,
    ad_elasticity=DEFAULT_AD_ELASTICITY,
    scale=DEFAULT_SCALE,
    fixed_cost=DEFAULT_FIXED_COST,
):
    """(∂profit/∂price, ∂profit/∂ad_spend), analytic.

    >>> [round(float(v), 9) for v in gradient(40.0, optimal_ad_spend())]
    [0.0, 0.0]
    """
    q = customers(price, ad_spend, price_elasticity, ad_elasticity, scale)
    d_price = q * (1 - price_elasticity * (price - unit_cost) / price)
    d_ads = (price - unit_cost) * ad_elasticity * q / ad_spend - 1
    return d_price, d_ads


def hessian(
    price,
    ad_spend,
    unit_cost=DEFAULT_UNIT_COST,
    price_elasticity=DEFAULT_PRICE_ELASTICITY,
    ad_elasticity=DEFAULT_AD_ELASTICITY,
    scale=DEFAULT_SCALE,
    fixed_cost=DEFAULT_FIXED_COST,
):
    """(∂²/∂p², ∂²/∂p∂A, ∂²/∂A²) of profit, analytic."""
    e, g, c = price_elasticity, ad_elasticity, unit_cost
    q = customers(price, ad_spend, e, g, scale)
    pp = q * e * ((e - 1) * price - (e + 1) * c) / price**2
    pa = g / ad_spend * q * (1 - e * (price - c) / price)
    aa = g * (g - 1) * (price - c) * q / ad_spend**2
    return pp, pa, aa


# --- closed forms -----------------------------------------------------------------------------


def optimal_price(unit_cost=DEFAULT_UNIT_COST, price_elasticity=DEFAULT_PRICE_ELASTICITY) -> float:
    """p* = c·e/(e − 1), the markup rule (independent of advertising).

    >>> optimal_price(20, 2)
    40.0
    """
    c, e, *_ = _check(unit_cost, price_elasticity, 0.5, 1.0, 0.0)
    return c * e / (e - 1)


def optimal_ad_spend(
    unit_cost=DEFAULT_UNIT_COST,
    price_elasticity=DEFAULT_PRICE_ELASTICITY,
    ad_elasticity=DEFAULT_AD_ELASTICITY,
    scale=DEFAULT_SCALE,
) -> float:
    """A* = [γ · scale · (p* − c) · p*^(−e)]^(1/(1−γ)).

    >>> round(optimal_ad_spend(), 6)
    4494.29283
    """
    c, e, g, s, _ = _check(unit_cost, price_elasticity, ad_elasticity, scale, 0.0)
    p = c * e / (e - 1)
    # in logarithms: the power 1/(1 − γ) of a product can overflow where the answer does not
    return math.exp((math.log(g) + math.log(s) + math.log(p - c) - e * math.log(p)) / (1 - g))


def optimal_profit(
    unit_cost=DEFAULT_UNIT_COST,
    price_elasticity=DEFAULT_PRICE_ELASTICITY,
    ad_elasticity=DEFAULT_AD_ELASTICITY,
    scale=DEFAULT_SCALE,
    fixed_cost=DEFAULT_FIXED_COST,
) -> float:
    """profit* = A*·(1 − γ)/γ − fixed_cost.

    >>> round(optimal_profit(), 6)
    40448.635469
    """
    c, e, g, s, fc = _check(unit_cost, price_elasticity, ad_elasticity, scale, fixed_cost)
    return optimal_ad_spend(c, e, g, s) * (1 - g) / g - fc


# --- the analysis -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PriceAdsResult:
    """Everything the price-and-advertising page shows (numbers, tables, statuses).

    Attributes
    ----------
    unit_cost, price_elasticity, ad_elasticity, scale, fixed_cost : float
        The model's inputs.
    price, ad_spend : float
        The visitor's current plan.
    box : multivariate.Box
        The (price, ad_spend) rectangle analysed: x is price, y is ad spend.
    optimum : multivariate.BoxOptimum
        The engine's answer on the box (``x`` = best price, ``y`` = best ad spend), searched
        in log price and log ad spend and reported in dollars.
    optimal_price, optimal_ad_spend, optimal_profit : float
        The optimum (from the engine; equal to the closed forms to ~1e-12).
    optimal_customers, optimal_revenue, ad_to_revenue : float
        Customers per week and revenue at the optimum, and A*/revenue (= γ/e).
    hessian : tuple of float
        (∂²/∂p², ∂²/∂p∂A, ∂²/∂A²) at the optimum.
    eigenvalues : tuple of float
        Its eigenvalues, smallest first.
    kind : multivariate.Kind
        The classification of the optimum by the Hessian in log price and log ad spend
        (unit-free; MAXIMUM for every valid input).
    current_profit, current_customers : float
        At the current plan.
    current_gradient : tuple of float
        (∂profit/∂price, ∂profit/∂ad_spend) at the current plan: $ per $1 of price and
        $ per $1 of weekly ad budget.
    price_move, ad_move : Move
        Which way the current price and ad spend should move (KEEP within KEEP_RTOL).
    path : multivariate.Path
        Gradient ascent from the current plan, in steps of percentages of price and ad
        budget (``coordinates="log"``); columns step, x (price), y (ad spend), value
        (profit), gradient_norm.
    price_slice, ad_slice : pandas.DataFrame
        Profit against price at A*, and against ad spend at p*: columns x, value, derivative.
    grid : pandas.DataFrame
        Profit on a GRID_SIDE² grid of the box: columns x (price), y (ad spend), value.
    sensitivity : multivariate.SensitivityTable
        The 2-D sensitivity (``.table()`` gives the CSV frame: one row per input and
        coordinate, coordinate "price" or "ad_spend").
    """

    unit_cost: float
    price_elasticity: float
    ad_elasticity: float
    scale: float
    fixed_cost: float
    price: float
    ad_spend: float
    box: mv.Box
    optimum: mv.BoxOptimum
    optimal_price: float
    optimal_ad_spend: float
    optimal_profit: float
    optimal_customers: float
    optimal_revenue: float
    ad_to_revenue: float
    hessian: tuple[float, float, float]
    eigenvalues: tuple[float, float]
    kind: mv.Kind
    current_profit: float
    current_customers: float
    current_gradient: tuple[float, float]
    price_move: Move
    ad_move: Move
    path: mv.Path
    price_slice: pd.DataFrame
    ad_slice: pd.DataFrame
    grid: pd.DataFrame
    sensitivity: mv.SensitivityTable


def analysis_box(
    price: float,
    ad_spend: float,
    unit_cost=DEFAULT_UNIT_COST,
    price_elasticity=DEFAULT_PRICE_ELASTICITY,
    ad_elasticity=DEFAULT_AD_ELASTICITY,
    scale=DEFAULT_SCALE,
) -> mv.Box:
    """The (price, ad_spend) box analysed: from BOX_BELOW × the smaller to BOX_ABOVE × the
    larger of the current plan and the optimum, in each coordinate (so both are inside and the
    optimum is never on the boundary).

    >>> b = analysis_box(75, 1000)
    >>> b.x_lo, b.x_hi, b.y_lo, round(b.y_hi, 6)
    (20.0, 112.5, 500.0, 6741.439245)
    """
    p_star = optimal_price(unit_cost, price_elasticity)
    a_star = optimal_ad_spend(unit_cost, price_elasticity, ad_elasticity, scale)
    return mv.Box(
        BOX_BELOW * min(price, p_star), BOX_ABOVE * max(price, p_star),
        BOX_BELOW * min(ad_spend, a_star), BOX_ABOVE * max(ad_spend, a_star),
    )  # fmt: skip


def _move(current: float, best: float) -> Move:
    if abs(current - best) <= KEEP_RTOL * abs(best):
        return Move.KEEP
    return Move.RAISE if best > current else Move.LOWER


def sensitivity_problem(
    box: mv.Box,
    unit_cost=DEFAULT_UNIT_COST,
    price_elasticity=DEFAULT_PRICE_ELASTICITY,
    ad_elasticity=DEFAULT_AD_ELASTICITY,
    scale=DEFAULT_SCALE,
    fixed_cost=DEFAULT_FIXED_COST,
) -> mv.Problem:
    """The model as a :class:`multivariate.Problem` over ``box``, its inputs as Params (slider
    ranges from RANGES, widened to hold the value)."""
    values = dict(
        zip((k for k, _, _ in INPUTS), (unit_cost, price_elasticity, ad_elasticity, scale, fixed_cost), strict=True)
    )
    params = []
    for key, label, unit in INPUTS:
        lo, hi, _ = RANGES[key]
        v = float(values[key])
        params.append(Param(key, v, min(lo, v), max(hi, v), label, unit))
    return mv.Problem(profit, box, "max", tuple(params), grad=gradient, hess=hessian, names=("price", "ad_spend"))


def _optimize_in_logs(f, grad, hess, box: mv.Box) -> mv.BoxOptimum:
    """The engine's optimum, searched in log price and log ad spend (the model's natural
    units: a grid even in percentages resolves a $1.25 optimum and a $300 current price in one
    box, where an even grid in dollars cannot), reported in dollars."""
    fl, gl, hl = mv.log_coordinates(f, grad, hess)
    log_box = mv.Box(math.log(box.x_lo), math.log(box.x_hi), math.log(box.y_lo), math.log(box.y_hi))
    best = mv.optimize(fl, log_box, "max", grad=gl, hess=hl)

    def back(u: float, v: float, edges: tuple[mv.Edge, ...]) -> tuple[float, float]:
        x = box.x_lo if mv.Edge.LEFT in edges else box.x_hi if mv.Edge.RIGHT in edges else math.exp(u)
        y = box.y_lo if mv.Edge.BOTTOM in edges else box.y_hi if mv.Edge.TOP in edges else math.exp(v)
        return x, y

    places = tuple(mv.Place(*back(p.x, p.y, p.edges), p.location, p.edges) for p in best.places)
    x, y = places[0].x, places[0].y
    return mv.BoxOptimum(
        best.goal, float(f(x, y)), x, y, places, best.location, best.kind,
        tuple(float(v) for v in grad(x, y)), tuple(float(v) for v in hess(x, y)),
        best.found_by, best.status, best.flat_edges,
    )  # fmt: skip


def _tidy(table: mv.SensitivityTable) -> mv.SensitivityTable:
    """The table with rounding noise in the optimum's movements as exact zeros (see NOISE)."""
    rows = []
    for r in table.rows:
        at = abs(table.optimum.x if r.coordinate == table.names[0] else table.optimum.y)
        if (
            math.isfinite(r.optimum_change_per_unit)
            and abs(r.optimum_change_per_unit) * max(abs(r.value), 1.0) <= NOISE * at
        ):
            r = dataclasses.replace(r, optimum_change_per_unit=0.0, optimum_elasticity=0.0)
        rows.append(r)
    return dataclasses.replace(table, rows=tuple(rows))


def analyse(
    unit_cost: float = DEFAULT_UNIT_COST,
    price_elasticity: float = DEFAULT_PRICE_ELASTICITY,
    ad_elasticity: float = DEFAULT_AD_ELASTICITY,
    scale: float = DEFAULT_SCALE,
    fixed_cost: float = DEFAULT_FIXED_COST,
    price: float = DEFAULT_PRICE,
    ad_spend: float = DEFAULT_AD_SPEND,
) -> PriceAdsResult:
    """The best (price, ad spend), the profit surface around it, and the visitor's plan.

    Parameters
    ----------
    unit_cost : float
        $ per unit sold (> 0).
    price_elasticity : float
        e > 1: 1% on the price loses e% of customers.
    ad_elasticity : float
        0 < γ < 1: 1% more ad budget brings γ% more customers.
    scale : float
        Customers per week at a $1 price with $1 of ads (> 0); see :func:`scale_for`.
    fixed_cost : float
        $ per week (>= 0); moves no decision.
    price, ad_spend : float
        The visitor's current plan (> 0).

    Returns
    -------
    PriceAdsResult

    Raises
    ------
    ValueError
        Naming the bad input.

    Examples
    --------
    The defaults: 550 pairs at $75 with $1,000 of ads make $29,250 a week; the best plan is a
    $40 price with $4,494 of ads (5% of revenue = γ/e), making $40,449.

    >>> r = analyse()
    >>> round(r.current_customers, 9), round(r.current_profit, 6)
    (550.0, 29250.0)
    >>> round(r.optimal_price, 9), round(r.optimal_ad_spend, 3), round(r.optimal_profit, 3), round(r.ad_to_revenue, 12)
    (40.0, 4494.293, 40448.635, 0.05)
    >>> r.kind.value, r.price_move.value, r.ad_move.value, r.path.status.value
    ('maximum', 'lower', 'raise', 'converged')
    """
    c, e, g, s, fc = _check(unit_cost, price_elasticity, ad_elasticity, scale, fixed_cost)
    for name, v in (("price", price), ("ad_spend", ad_spend)):
        if not (isinstance(v, int | float | np.floating | np.integer) and math.isfinite(v) and v > 0):
            raise ValueError(f"{name} must be a positive number, got {name}={v!r}")
    p0, a0 = float(price), float(ad_spend)
    theta = {"unit_cost": c, "price_elasticity": e, "ad_elasticity": g, "scale": s, "fixed_cost": fc}
    box = analysis_box(p0, a0, c, e, g, s)
    problem = sensitivity_problem(box, c, e, g, s, fc)

    def f(p, a):
        return profit(p, a, **theta)

    def grad(p, a):
        return gradient(p, a, **theta)

    def hess(p, a):
        return hessian(p, a, **theta)

    best = _optimize_in_logs(f, grad, hess, box)
    p_star, a_star = best.x, best.y
    h = tuple(float(v) for v in hess(p_star, a_star))
    eig = mv._eig2(*h)
    q_star = float(customers(p_star, a_star, e, g, s))
    revenue = p_star * q_star
    current_gradient = tuple(float(v) for v in grad(p0, a0))
    # steps in percentages of price and ad budget: the model's natural units (its elasticities)
    ascent = mv.path(f, (p0, a0), box, mv.PathMethod.ASCENT, grad=grad, hess=hess, coordinates="log")
    price_slice = marginal_curve(
        lambda p: profit(p, a_star, **theta), box.x_lo, box.x_hi, SLICE_POINTS,
        df=lambda p: gradient(p, a_star, **theta)[0],
    )  # fmt: skip
    ad_slice = marginal_curve(
        lambda a: profit(p_star, a, **theta), box.y_lo, box.y_hi, SLICE_POINTS,
        df=lambda a: gradient(p_star, a, **theta)[1],
    )  # fmt: skip
    return PriceAdsResult(
        unit_cost=c,
        price_elasticity=e,
        ad_elasticity=g,
        scale=s,
        fixed_cost=fc,
        price=p0,
        ad_spend=a0,
        box=box,
        optimum=best,
        optimal_price=p_star,
        optimal_ad_spend=a_star,
        optimal_profit=best.value,
        optimal_customers=q_star,
        optimal_revenue=revenue,
        ad_to_revenue=a_star / revenue,
        hessian=h,
        eigenvalues=eig,
        # classified in percentages (the Hessian of profit in log p and log A): unit-free, so a
        # $0.00001 ad budget next to a $125 price is not "zero within rounding"
        kind=mv.classify((p_star**2 * h[0], p_star * a_star * h[1], a_star**2 * h[2])),
        current_profit=float(f(p0, a0)),
        current_customers=float(customers(p0, a0, e, g, s)),
        current_gradient=current_gradient,
        price_move=_move(p0, p_star),
        ad_move=_move(a0, a_star),
        path=ascent,
        price_slice=price_slice,
        ad_slice=ad_slice,
        grid=mv.grid(f, box, GRID_SIDE),
        sensitivity=_tidy(mv.sensitivity(problem, best)),
    )
