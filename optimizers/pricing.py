"""Pricing: which price maximises profit = (price - unit cost) * customers(price)?

Two demand curves, both from the seed module and the economics it leans on:

* linear, q(p) = a - b*p (the seed: 1300 - 10p customers), with optimum
  p* = (a + b*c) / (2b);
* constant elasticity, q(p) = A * p**-e, with optimum p* = c*e / (e - 1) when e > 1
  (for e <= 1 revenue never falls as price rises, so no finite price is best).

Both can be fitted to a user's weekly (price, units sold) experiments.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimizers.calculus import Optimum, marginal_curve, optimize
from optimizers.tables import numeric_columns

__all__ = [
    "DEFAULT_DEMAND_INTERCEPT",
    "DEFAULT_DEMAND_SLOPE",
    "DEFAULT_ELASTICITY",
    "DEFAULT_PRICE",
    "DEFAULT_UNIT_COST",
    "EXAMPLE_SALES",
    "DemandFit",
    "DemandModel",
    "PricingReport",
    "SalesFits",
    "analyse",
    "elasticity_demand",
    "elasticity_like_linear",
    "fit_elasticity",
    "fit_linear",
    "fit_sales",
    "linear_demand",
    "optimal_price",
]

DEFAULT_DEMAND_INTERCEPT = 1300.0
DEFAULT_DEMAND_SLOPE = 10.0
DEFAULT_UNIT_COST = 20.0
DEFAULT_PRICE = 50.0
DEFAULT_ELASTICITY = 2.0
#: Points on the profit curve sent to the chart.
CURVE_POINTS = 121
#: Rows (about) in the exported price table.
TABLE_ROWS = 24

#: Ten weeks of headphone sales at different prices (the seed's "you experiment with
#: different prices over several weeks"): close to 1300 - 10p with week-to-week noise.
EXAMPLE_SALES = pd.DataFrame(
    {
        "price": [40.0, 45.0, 50.0, 55.0, 60.0, 65.0, 70.0, 80.0, 90.0, 100.0],
        "units": [915.0, 838.0, 812.0, 730.0, 716.0, 628.0, 611.0, 493.0, 418.0, 290.0],
    }
)


@dataclass(frozen=True)
class DemandModel:
    """Customers per week as a function of price.

    ``kind`` is ``"linear"`` (q = a - b*p, clipped at 0) or ``"elasticity"`` (q = A*p**-e).
    """

    kind: str
    a: float = math.nan
    b: float = math.nan
    scale: float = math.nan
    elasticity: float = math.nan

    def demand(self, p):
        p = np.asarray(p, dtype=float)
        if self.kind == "linear":
            return np.maximum(self.a - self.b * p, 0.0)
        with np.errstate(divide="ignore", over="ignore"):
            return self.scale * p ** (-self.elasticity)

    def describe(self) -> str:
        if self.kind == "linear":
            return f"customers = {self.a:,.4g} − {self.b:,.4g} × price"
        return f"customers = {self.scale:,.4g} × price^−{self.elasticity:.3g}"


def linear_demand(a: float, b: float) -> DemandModel:
    """q(p) = a - b*p. Raises ValueError unless a > 0 and b > 0."""
    if not (math.isfinite(a) and a > 0):
        raise ValueError(f"demand intercept a must be positive, got a={a}")
    if not (math.isfinite(b) and b > 0):
        raise ValueError(f"demand slope b must be positive (demand falls as price rises), got b={b}")
    return DemandModel("linear", a=float(a), b=float(b))


def elasticity_demand(elasticity: float, scale: float) -> DemandModel:
    """q(p) = scale * p**-elasticity. Raises ValueError unless both are positive."""
    if not (math.isfinite(elasticity) and elasticity > 0):
        raise ValueError(f"elasticity must be positive, got {elasticity}")
    if not (math.isfinite(scale) and scale > 0):
        raise ValueError(f"demand scale A must be positive, got {scale}")
    return DemandModel("elasticity", scale=float(scale), elasticity=float(elasticity))


def elasticity_like_linear(elasticity: float, a: float, b: float) -> DemandModel:
    """Constant-elasticity demand that agrees with the line a - b*p at its midpoint.

    At p = a/(2b) the line sells a/2 customers (and has elasticity exactly 1), so both
    models describe the same store there and their optima can be compared.

    Examples
    --------
    >>> m = elasticity_like_linear(2.0, 1300, 10)
    >>> float(m.demand(65.0))
    650.0
    """
    line = linear_demand(a, b)
    p_mid = line.a / (2 * line.b)
    return elasticity_demand(elasticity, (line.a / 2) * p_mid**elasticity)


def optimal_price(model: DemandModel, unit_cost: float) -> float | None:
    """The closed-form profit-maximising price, or None when no finite price is best.

    Examples
    --------
    >>> optimal_price(linear_demand(1300, 10), 20)
    75.0
    >>> optimal_price(elasticity_demand(2.0, 1e6), 20)
    40.0
    >>> optimal_price(elasticity_demand(0.8, 1e6), 20) is None
    True
    """
    c = float(unit_cost)
    if model.kind == "linear":
        if c >= model.a / model.b:
            return None
        return (model.a + model.b * c) / (2 * model.b)
    e = model.elasticity
    if e <= 1 or c <= 0:
        return None
    return c * e / (e - 1)


class _Profit:
    """Profit, marginal profit and curvature for one model and unit cost (picklable)."""

    def __init__(self, model: DemandModel, c: float) -> None:
        self.m, self.c = model, c

    def f(self, p):
        m = self.m
        if m.kind == "linear":
            return (p - self.c) * (m.a - m.b * p)
        return m.scale * (p - self.c) * p ** (-m.elasticity)

    def df(self, p):
        m = self.m
        if m.kind == "linear":
            return m.a - 2 * m.b * p + m.b * self.c
        e = m.elasticity
        return m.scale * p ** (-e - 1) * (e * self.c - (e - 1) * p)

    def d2f(self, p):
        m = self.m
        if m.kind == "linear":
            return -2 * m.b + 0 * p
        e = m.elasticity
        return m.scale * e * p ** (-e - 2) * ((e - 1) * p - self.c * (e + 1))


@dataclass(frozen=True)
class PricingReport:
    """Everything the Pricing page shows, computed in one call (see :func:`analyse`)."""

    model: DemandModel
    unit_cost: float
    price: float
    lo: float
    hi: float
    optimum: Optimum | None
    no_optimum: str
    profit_at_price: float
    marginal_at_price: float
    curvature_at_price: float
    profit_plus_one: float
    curve: pd.DataFrame
    table: pd.DataFrame

    @property
    def plus_one_change(self) -> float:
        """Profit at price + $1 minus profit at price (the seed's experiment)."""
        return self.profit_plus_one - self.profit_at_price


def _domain(model: DemandModel, c: float, price: float, p_star: float | None) -> tuple[float, float]:
    if model.kind == "linear":
        return 0.0, model.a / model.b
    lo = c if c > 0 else 0.01
    hi = max(3 * p_star if p_star else 5 * max(c, 1.0), 1.5 * price, lo + 10)
    return lo, hi


def _nice_step(span: float, rows: int) -> float:
    raw = span / rows
    mag = 10 ** math.floor(math.log10(raw))
    return next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)


def _price_table(profit: _Profit, lo: float, hi: float, price: float, p_star: float | None):
    step = _nice_step(hi - lo, TABLE_ROWS)
    grid = np.arange(math.ceil(lo / step) * step, hi + step / 2, step)
    notes = {}
    if p_star is not None:
        notes[round(p_star, 6)] = "optimal price"
    if lo <= price <= hi:
        notes[round(price, 6)] = "your price" + (" (optimal)" if round(price, 6) in notes else "")
    prices = np.unique(np.concatenate([np.round(grid, 6), list(notes)]))
    customers = profit.m.demand(prices)
    revenue = prices * customers
    cost = profit.c * customers
    return pd.DataFrame(
        {
            "price": prices,
            "customers": customers,
            "revenue": revenue,
            "cost": cost,
            "profit": revenue - cost,
            "marginal_profit": profit.df(prices),
            "note": [notes.get(p, "") for p in prices],
        }
    )


def analyse(model: DemandModel, unit_cost: float, price: float) -> PricingReport:
    """Optimise price for a demand model and describe the current price.

    Parameters
    ----------
    model : DemandModel
        Linear or constant-elasticity demand.
    unit_cost : float
        What one unit costs you, in $ (>= 0).
    price : float
        Your current price, in $ (> 0).

    Returns
    -------
    PricingReport
        ``optimum`` is None (and ``no_optimum`` says why) when no finite price is best.

    Raises
    ------
    ValueError
        For a negative or non-finite cost or a non-positive price.

    Examples
    --------
    The seed's headphones: at $50 the marginal profit is $500 per $1, the +$1 experiment
    gains $490, and the best price is $75 with $30,250 profit.

    >>> r = analyse(linear_demand(1300, 10), 20, 50)
    >>> r.optimum.x, r.optimum.fun, r.marginal_at_price, r.plus_one_change
    (75.0, 30250.0, 500.0, 490.0)
    """
    c, price = float(unit_cost), float(price)
    if not (math.isfinite(c) and c >= 0):
        raise ValueError(f"unit cost must be a non-negative number, got {unit_cost}")
    if not (math.isfinite(price) and price > 0):
        raise ValueError(f"price must be a positive number, got {price}")
    profit = _Profit(model, c)
    p_star = optimal_price(model, c)
    lo, hi = _domain(model, c, price, p_star)

    optimum, reason = None, ""
    if model.kind == "linear" and p_star is None:
        reason = (
            f"Your unit cost (${c:,.2f}) is at or above ${hi:,.2f}, the price at which demand "
            "reaches zero: every sale loses money, so no price makes a profit."
        )
    elif model.kind == "elasticity" and p_star is None:
        e = model.elasticity
        if c <= 0:
            reason = (
                "With a unit cost of $0 and elastic demand, profit keeps growing as the price "
                "falls toward $0: set your unit cost to find a best price."
            )
        else:
            reason = (
                f"With elasticity {e:.2f} ≤ 1, demand is inelastic: a 1% higher price loses "
                f"only {e:.2f}% of customers, so revenue rises with price while costs fall. "
                "Profit keeps growing as the price rises and no finite price maximises it. "
                "Real demand becomes elastic at some price; fit your own data to find where."
            )
    else:
        optimum = optimize(profit.f, lo, hi, "max", df=profit.df, d2f=profit.d2f)

    curve = marginal_curve(profit.f, lo, hi, n=CURVE_POINTS, df=profit.df)
    return PricingReport(
        model=model,
        unit_cost=c,
        price=price,
        lo=lo,
        hi=hi,
        optimum=optimum,
        no_optimum=reason,
        profit_at_price=float(profit.f(price)),
        marginal_at_price=float(profit.df(price)),
        curvature_at_price=float(profit.d2f(price)),
        profit_plus_one=float(profit.f(price + 1.0)),
        curve=curve,
        table=_price_table(profit, lo, hi, price, p_star),
    )


@dataclass(frozen=True)
class DemandFit:
    """A demand model fitted to (price, units) data; ``r2`` is R² of units sold."""

    model: DemandModel
    r2: float


@dataclass(frozen=True)
class SalesFits:
    """Both fits of one data set; a fit that is impossible is None with a reason."""

    prices: np.ndarray
    units: np.ndarray
    linear: DemandFit | None
    linear_error: str
    elasticity: DemandFit | None
    elasticity_error: str

    def usable(self) -> list[str]:
        """Names of the fits that worked, line first."""
        return [k for k in ("linear", "elasticity") if getattr(self, k) is not None]

    def points(self) -> pd.DataFrame:
        return pd.DataFrame({"price": self.prices, "units": self.units})

    def curves(self, n: int = 120) -> pd.DataFrame:
        """Each usable fit over the observed prices (10% margin): columns price, units, fit."""
        lo, hi = float(self.prices.min()), float(self.prices.max())
        grid = np.linspace(max(lo - 0.1 * (hi - lo), 0.01), hi + 0.1 * (hi - lo), n)
        parts = []
        for name in self.usable():
            fit = getattr(self, name)
            label = f"{fit.model.describe()} (R² {fit.r2:.3f})"
            parts.append(pd.DataFrame({"price": grid, "units": fit.model.demand(grid), "fit": label}))
        return pd.concat(parts, ignore_index=True)


def _r2(y: np.ndarray, y_hat: np.ndarray) -> float:
    ss_tot = float(np.sum((y - y.mean()) ** 2))
    ss_res = float(np.sum((y - y_hat) ** 2))
    return 1.0 - ss_res / ss_tot if ss_tot > 0 else math.nan


def fit_linear(prices, units) -> DemandFit:
    """Least-squares q = a - b*p. Raises ValueError if demand does not fall with price.

    Examples
    --------
    >>> fit = fit_linear([40, 60, 80], [900, 700, 500])
    >>> round(fit.model.a, 9), round(fit.model.b, 9), fit.r2
    (1300.0, 10.0, 1.0)
    """
    p, q = np.asarray(prices, dtype=float), np.asarray(units, dtype=float)
    slope, intercept = np.polyfit(p, q, 1)
    if not slope < 0:
        raise ValueError(
            f"In this data more is sold at higher prices (slope {slope:+.3g} units per $1), "
            "so a falling demand line does not fit: no best price can be derived."
        )
    if not intercept > 0:
        raise ValueError(f"The fitted line sells {intercept:.3g} units at $0; it cannot be used.")
    model = linear_demand(intercept, -slope)
    return DemandFit(model, _r2(q, intercept + slope * p))


def fit_elasticity(prices, units) -> DemandFit:
    """Least squares in logs: log q = log A - e*log p. Needs units > 0 in every row.

    Examples
    --------
    >>> fit = fit_elasticity([10, 20, 40], [400, 100, 25])
    >>> round(fit.model.elasticity, 9), round(fit.model.scale, 6)
    (2.0, 40000.0)
    """
    p, q = np.asarray(prices, dtype=float), np.asarray(units, dtype=float)
    if np.any(q <= 0):
        raise ValueError("The elasticity fit works in logarithms, so every week needs units > 0.")
    slope, intercept = np.polyfit(np.log(p), np.log(q), 1)
    if not slope < 0:
        raise ValueError(
            f"In this data more is sold at higher prices (log-log slope {slope:+.3g}): "
            "a constant-elasticity demand curve does not fit."
        )
    model = elasticity_demand(-slope, math.exp(intercept))
    return DemandFit(model, _r2(q, model.demand(p)))


def fit_sales(table: pd.DataFrame) -> SalesFits:
    """Check a (price, units) table and fit both demand models.

    Raises
    ------
    ValueError
        Missing columns, non-numeric cells, prices <= 0, negative units, fewer than 3 rows,
        or a single distinct price.
    """
    cols = numeric_columns(
        table,
        {"price": "price ($)", "units": "units sold"},
        min_rows=3,
        positive=("price",),
        non_negative=("units",),
    )
    p, q = cols["price"], cols["units"]
    if np.unique(p).size < 2:
        raise ValueError(
            f"Every row has the same price (${p[0]:g}): try at least two different prices to see how demand responds."
        )
    results = {}
    for name, fit in (("linear", fit_linear), ("elasticity", fit_elasticity)):
        try:
            results[name], results[name + "_error"] = fit(p, q), ""
        except ValueError as exc:
            results[name], results[name + "_error"] = None, str(exc)
    return SalesFits(prices=p, units=q, **results)
