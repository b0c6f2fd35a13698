"""Pricing: which price maximises profit = (price − unit cost) × customers(price) − fixed costs?

Two demand curves, both from the seed module and the economics it leans on:

* linear, q(p) = max(0, a − b·p) (the seed: 1300 − 10p customers). Above the choke price a/b
  nobody buys: there are no negative customers, profit is −(fixed costs) at every such price
  and its slope is zero there. The optimum is p* = (a + b·c)/(2b) when c < a/b;
* constant elasticity, q(p) = A·p^−e, with optimum p* = c·e/(e − 1) when e > 1
  (for e ≤ 1 revenue never falls as price rises, so no finite price is best).

Fixed costs F ($ per week) lower every profit by F and move no price. The break-even prices,
where profit is zero, come from the engine's root finder (:func:`optimizers.roots`). At an
interior optimum the unit margin (p − c)/p equals 1/ε, the inverse of the price elasticity of
demand ε = −p·q′/q there (the Lerner rule); under q = A·p^−e, ε = e at every price.

Both curves can be fitted to a user's weekly (price, units sold) experiments, and every
model exposes its inputs to :mod:`optimizers.sensitivity` (:func:`sensitivity_problem`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimizers.calculus import Optimum, marginal_curve, optimize, roots
from optimizers.sensitivity import Param, Problem, solve
from optimizers.tables import numeric_columns

__all__ = [
    "BREAK_EVEN_CAP",
    "DEFAULT_DEMAND_INTERCEPT",
    "DEFAULT_DEMAND_SLOPE",
    "DEFAULT_ELASTICITY",
    "DEFAULT_FIXED_COST",
    "DEFAULT_PRICE",
    "DEFAULT_UNIT_COST",
    "EXAMPLE_SALES",
    "MAX_FIT_ELASTICITY",
    "MAX_UNITS",
    "PRICE_LIMITS",
    "RANGES",
    "DemandFit",
    "DemandModel",
    "Margins",
    "PricingReport",
    "SalesFits",
    "analyse",
    "break_even_prices",
    "elasticity_demand",
    "elasticity_like_linear",
    "fit_elasticity",
    "fit_linear",
    "fit_sales",
    "linear_demand",
    "optimal_price",
    "sensitivity_problem",
]

DEFAULT_DEMAND_INTERCEPT = 1300.0
DEFAULT_DEMAND_SLOPE = 10.0
DEFAULT_UNIT_COST = 20.0
DEFAULT_PRICE = 50.0
DEFAULT_ELASTICITY = 2.0
DEFAULT_FIXED_COST = 0.0
#: (lo, hi, step) of every input's slider: the page draws them, the sensitivity sweeps them.
RANGES = {
    "unit_cost": (0.0, 200.0, 1.0),
    "price": (1.0, 300.0, 0.5),
    "demand_intercept": (100.0, 5000.0, 50.0),
    "demand_slope": (0.5, 50.0, 0.5),
    "elasticity": (0.5, 5.0, 0.05),
    "fixed_cost": (0.0, 100_000.0, 500.0),
}
#: Points on the profit curve sent to the chart.
CURVE_POINTS = 121
#: Rows (about) in the exported price table.
TABLE_ROWS = 24
#: Break-even prices are looked for up to this price. Under q = A·p^−e with e just above 1,
#: profit falls toward −F so slowly that the upper break-even price can be astronomical.
BREAK_EVEN_CAP = 1e100
#: A fitted parameter's sensitivity sweep runs from this fraction of its value to its inverse.
FIT_SWEEP = 0.5
#: Weekly price tests are fitted only within these bounds ($): real prices, finite profits.
PRICE_LIMITS = (0.01, 1_000_000.0)
#: ... and at most this many units sold a week.
MAX_UNITS = 1e9
#: A fitted elasticity above this is refused (a 1% price rise losing more than 20% of customers).
MAX_FIT_ELASTICITY = 20.0
_MAX_SCALE = 1e200

#: Ten weeks of headphone sales at different prices (the seed's "you experiment with
#: different prices over several weeks"): close to 1300 - 10p with week-to-week noise.
EXAMPLE_SALES = pd.DataFrame(
    {
        "price": [40.0, 45.0, 50.0, 55.0, 60.0, 65.0, 70.0, 80.0, 90.0, 100.0],
        "units": [915.0, 838.0, 812.0, 730.0, 716.0, 628.0, 611.0, 493.0, 418.0, 290.0],
    }
)


def _usd(value: float, decimals: int = 2) -> str:
    """'$30,250.00', '−$1.00' (one minus sign style; the page's explain.format.money agrees)."""
    if not math.isfinite(value):
        return "—"
    if abs(value) >= 1e15:
        return ("−" if value < 0 else "") + f"${abs(value):.2e}"
    text = f"${abs(value):,.{decimals}f}"
    return ("−" + text) if value < 0 and round(abs(value), decimals) != 0 else text


def _signed_usd(value: float, decimals: int = 2) -> str:
    """'+$490', '−$300', and '$0' for a change that rounds to nothing."""
    return ("+" if value > 0 and round(value, decimals) != 0 else "") + _usd(value, decimals)


@dataclass(frozen=True)
class DemandModel:
    """Customers per week as a function of price.

    ``kind`` is ``"linear"`` (q = max(0, a − b·p)) or ``"elasticity"`` (q = A·p^−e).
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

    @property
    def choke_price(self) -> float | None:
        """The price at which demand reaches zero (a/b), or None when it never does.

        >>> linear_demand(1300, 10).choke_price
        130.0
        """
        return self.a / self.b if self.kind == "linear" else None

    def price_elasticity(self, p: float) -> float:
        """ε(p) = −p·q′(p)/q(p): the % of customers lost per 1% on the price (nan where nobody buys).

        >>> linear_demand(1300, 10).price_elasticity(75.0)  # 10 × 75 / 550
        1.3636363636363635
        """
        if self.kind == "linear":
            q = self.a - self.b * p
            return self.b * p / q if q > 0 else math.nan
        return self.elasticity

    def describe(self) -> str:
        if self.kind == "linear":
            return f"customers = {self.a:,.4g} − {self.b:,.4g} × price"
        return f"customers = {self.scale:,.4g} × price^−{self.elasticity:.3g}"


def linear_demand(a: float, b: float) -> DemandModel:
    """q(p) = max(0, a − b·p). Raises ValueError unless a > 0 and b > 0."""
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


def _matched_scale(elasticity, a, b):
    """A such that A·p^−e meets the line a − b·p at its midpoint a/(2b) (complex-safe)."""
    return (a / 2) * (a / (2 * b)) ** elasticity


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
    return elasticity_demand(elasticity, _matched_scale(elasticity, line.a, line.b))


def optimal_price(model: DemandModel, unit_cost: float) -> float | None:
    """The closed-form profit-maximising price, or None when no finite price is best.

    Fixed costs do not enter: they lower every profit by the same amount.

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
    """Profit, marginal profit and curvature for one model, unit cost and fixed cost (picklable).

    Linear demand is clipped at zero, so past the choke price profit is −F, flat: its
    derivative there is 0. At the choke price itself, where profit has a kink, the slope is the
    one just below (where a price cut starts selling again), so the marginal curve ends where
    the quadratic does.
    """

    def __init__(self, model: DemandModel, c: float, fixed: float = 0.0) -> None:
        self.m, self.c, self.fixed = model, c, fixed

    def _selling(self, p):
        """Up to and including the choke price a/b (to rounding)."""
        return self.m.a - self.m.b * p >= -1e-12 * self.m.a

    def f(self, p):
        m = self.m
        if m.kind == "linear":
            return (p - self.c) * np.maximum(m.a - m.b * p, 0.0) - self.fixed
        return m.scale * (p - self.c) * p ** (-m.elasticity) - self.fixed

    def df(self, p):
        m = self.m
        if m.kind == "linear":
            return np.where(self._selling(p), m.a - 2 * m.b * p + m.b * self.c, 0.0)
        e = m.elasticity
        return m.scale * p ** (-e - 1) * (e * self.c - (e - 1) * p)

    def d2f(self, p):
        m = self.m
        if m.kind == "linear":
            return np.where(self._selling(p), -2 * m.b, 0.0)
        e = m.elasticity
        return m.scale * e * p ** (-e - 2) * ((e - 1) * p - self.c * (e + 1))


@dataclass(frozen=True)
class Margins:
    """Unit margin, markup and the Lerner check at one price.

    ``elasticity`` is the price elasticity of demand ε = −p·q′/q there. At an interior
    optimum ``margin`` = (p − c)/p equals ``lerner`` = 1/ε.
    """

    price: float
    unit_cost: float
    customers: float
    elasticity: float

    @property
    def margin(self) -> float:
        """(p − c)/p: the share of each sale's price that is profit before fixed costs."""
        return (self.price - self.unit_cost) / self.price

    @property
    def markup(self) -> float:
        """(p − c)/c: how far the price is above cost, relative to cost (nan at zero cost)."""
        return (self.price - self.unit_cost) / self.unit_cost if self.unit_cost > 0 else math.nan

    @property
    def lerner(self) -> float:
        """1/ε, the margin the Lerner rule predicts at an optimum."""
        return 1.0 / self.elasticity if self.elasticity > 0 else math.nan

    def lerner_text(self, constant: bool = False) -> str:
        """The Lerner check in words; ``constant`` when ε is the model's e at every price.

        >>> print(Margins(75.0, 20.0, 550.0, 75 / 55).lerner_text())  # doctest: +ELLIPSIS
        Lerner check: at the best price the margin (p − c)/p = 73.3% equals 1/ε = 1/1.364 = 73.3%, ...
        """
        inverse = f"1/e = 1/{self.elasticity:.2f}" if constant else f"1/ε = 1/{self.elasticity:.4g}"
        return (
            f"Lerner check: at the best price the margin (p − c)/p = {_pct(self.margin)} equals {inverse} = "
            f"{_pct(self.lerner)}, where ε = −p·q′/q is the price elasticity of demand there. It holds at every "
            "interior optimum: there, the sales a 1% higher price loses exactly cancel what it adds to each sale."
        )


def _pct(v: float) -> str:
    return f"{100 * v:,.1f}%".replace("-", "−") if math.isfinite(v) else "—"


def _margins(model: DemandModel, c: float, p: float) -> Margins:
    return Margins(p, c, float(model.demand(p)), float(model.price_elasticity(p)))


@dataclass(frozen=True)
class PricingReport:
    """Everything the Pricing page shows, computed in one call (see :func:`analyse`).

    ``lo``/``hi`` is where the optimum was looked for (for linear demand up to the choke
    price); ``curve`` and ``table`` reach further when your price is above it.
    """

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
    fixed_cost: float = 0.0
    customers_at_price: float = math.nan
    choke_price: float | None = None
    kink_note: str = ""
    plus_one_text: str = ""
    break_even: tuple[float, ...] = ()
    break_even_text: str = ""
    margins: Margins | None = None

    @property
    def plus_one_change(self) -> float:
        """Profit at price + $1 minus profit at price (the seed's experiment)."""
        return self.profit_plus_one - self.profit_at_price

    def advice(self) -> tuple[str, str]:
        """(what to do, why) about your price, or ("", "") when no price is best.

        >>> analyse(linear_demand(1300, 10), 20, 200).advice()[1]  # doctest: +ELLIPSIS
        'toward $75.00: nobody buys at $200.00, so a small change does nothing, and profit rises by $30,250 ...'
        """
        opt, p = self.optimum, self.price
        if opt is None:
            return "", ""
        if abs(opt.x - p) < 0.005:
            return "Keep your price.", f"{_usd(p)} is the optimum: marginal profit is zero."
        rise = f"profit rises by {_usd(self.gain_to_optimum, 0)} when you get there."
        if self.choke_price is not None and p > self.choke_price:
            return "Lower your price", (
                f"toward {_usd(opt.x)}: nobody buys at {_usd(p)}, so a small change does nothing, and {rise}"
            )
        return ("Raise" if opt.x > p else "Lower") + " your price", (
            f"toward {_usd(opt.x)}: marginal profit at {_usd(p)} is {_signed_usd(self.marginal_at_price, 0)} "
            f"per $1, and {rise}"
        )

    @property
    def gain_to_optimum(self) -> float:
        """How much weekly profit rises from your price to the best price (never negative)."""
        return max(self.optimum.fun - self.profit_at_price, 0.0) if self.optimum else math.nan


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
    notes: dict[float, str] = {}
    if p_star is not None:
        notes[round(p_star, 6)] = "optimal price"
    if lo <= price <= hi:
        notes[round(price, 6)] = "your price" + (" (optimal)" if round(price, 6) in notes else "")
    choke = profit.m.choke_price
    if choke is not None and lo <= choke <= hi:
        key = round(choke, 6)
        notes[key] = "; ".join(filter(None, [notes.get(key, ""), "demand reaches zero: nobody buys from here up"]))
    prices = np.unique(np.concatenate([np.round(grid, 6), list(notes)]))
    customers = profit.m.demand(prices)
    revenue = prices * customers
    cost = profit.c * customers + profit.fixed
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


def _log_roots(g, lo: float, hi: float) -> list[float]:
    """Prices in [lo, hi] where g changes sign, scanned on a log grid (prices span decades)."""
    if not (0 < lo < hi):
        return []
    with np.errstate(all="ignore"):
        found = roots(lambda u: g(np.exp(u)), math.log(lo), math.log(hi))
    return [math.exp(u) for u in found]


def break_even_prices(model: DemandModel, unit_cost: float, fixed_cost: float = 0.0) -> tuple[float, ...]:
    """The prices at which weekly profit is zero while someone still buys, in increasing order.

    Found with the engine's root finder (:func:`optimizers.roots`, brentq on sign changes)
    on each side of the best price, where profit is monotone, so none is missed: none, one
    or two prices. Profit is positive between two break-even prices.

    Parameters
    ----------
    model : DemandModel
    unit_cost : float
        c, $ per unit (>= 0).
    fixed_cost : float
        F, $ per week (>= 0).

    Returns
    -------
    tuple of float
        Empty when no price makes a profit. Linear demand with F = 0 has its upper
        break-even price at the choke price a/b (profit is 0 there and above: nobody buys).
        Under q = A·p^−e with F = 0 the only one is p = c (profit stays positive above it).

    Raises
    ------
    ValueError
        For a negative or non-finite cost.

    Notes
    -----
    For linear demand (p − c)(a − b·p) = F is a quadratic with roots
    p* ± √(p*² − (a·c + F)/b); the tests hold the root finder to it.

    Examples
    --------
    The seed's store breaks even at its unit cost and at the price where nobody buys:

    >>> [round(p, 9) for p in break_even_prices(linear_demand(1300, 10), 20)]
    [20.0, 130.0]
    >>> [round(p, 6) for p in break_even_prices(linear_demand(1300, 10), 20, 20_250)]
    [43.377223, 106.622777]
    """
    c, fixed = float(unit_cost), float(fixed_cost)
    if not (math.isfinite(c) and c >= 0):
        raise ValueError(f"unit cost must be a non-negative number, got {unit_cost}")
    if not (math.isfinite(fixed) and fixed >= 0):
        raise ValueError(f"fixed cost must be a non-negative number, got {fixed_cost}")
    p_star = optimal_price(model, c)
    found: list[float] = []
    if model.kind == "linear":
        if p_star is None:
            return ()
        a, b = model.a, model.b
        choke = a / b

        def g(p):  # the unclipped quadratic: equal to profit wherever anyone buys
            return (p - c) * (a - b * p) - fixed

        # each side of p* is monotone; the right side is scanned a little past the choke price so
        # that its root at a/b (F = 0) is a sign change, not a rounding-dependent touch.
        found = roots(g, 0.0, p_star) + roots(g, p_star, choke * 1.01 + 1.0)
        found = [min(p, choke) for p in found if p <= choke * (1 + 1e-12)]
    else:
        e, scale = model.elasticity, model.scale

        def g(p):
            return scale * (p - c) * p ** (-e) - fixed

        if c == 0:
            # profit = A·p^(1−e) − F is monotone: one crossing, at (A/F)^(1/(e−1)), if any.
            if fixed > 0 and e != 1:
                r = (scale / fixed) ** (1 / (e - 1))
                found = _log_roots(g, r / 4, min(4 * r, BREAK_EVEN_CAP))
        else:
            # below c profit is negative, so the lowest break-even price is at or above c.
            lo = c * (1 - 1e-3)
            if e > 1:
                # profit < A·p^(1−e) − F, below zero beyond (A/F)^(1/(e−1)); with F = 0 it stays
                # above zero at every price above c, so there is nothing to find beyond p*.
                top = min((scale / fixed) ** (1 / (e - 1)) * 1.01, BREAK_EVEN_CAP) if fixed > 0 else p_star
            elif e < 1:
                # for p ≥ 2c, profit ≥ A·p^(1−e)/2 − F, above zero beyond (2F/A)^(1/(1−e)).
                top = min(max(2 * c, (2 * fixed / scale) ** (1 / (1 - e))) * 1.01 + 1.0, BREAK_EVEN_CAP)
            else:  # e = 1: profit = A(1 − c/p) − F rises toward A − F
                top = min(c / (1 - fixed / scale) * 1.01 + 1.0, BREAK_EVEN_CAP) if fixed < scale else 0.0
            if p_star is not None and lo < p_star < top:
                found = _log_roots(g, lo, p_star) + _log_roots(g, p_star, top)
            elif top > lo:
                found = _log_roots(g, lo, top)
    out: list[float] = []
    for p in sorted(found):
        if not out or abs(p - out[-1]) > 1e-9 * max(1.0, abs(p)):
            out.append(p)
    return tuple(out)


def _break_even_text(model: DemandModel, c: float, fixed: float, prices: tuple[float, ...], opt) -> str:
    """One true sentence about where profit is above zero."""
    choke = model.choke_price
    if not prices:
        if opt is None:
            probe = 2 * max(c, 1.0)  # profit has one sign at every price: read it anywhere
            if _Profit(model, c, fixed).f(probe) > 0:
                return "Profit is above zero at every price: there is no break-even price."
            return "No price makes a profit."
        return (
            f"No price breaks even: the most the store earns before fixed costs is {_usd(opt.fun + fixed, 0)} "
            f"a week, less than your fixed costs of {_usd(fixed, 0)}."
        )
    if len(prices) == 2:
        low, high = prices
        if choke is not None and fixed == 0 and abs(high - choke) <= 1e-9 * choke:
            return (
                f"Break-even prices: {_usd(low)} and {_usd(high)}. Profit is above zero between them; "
                f"from {_usd(high)} up nobody buys and profit is $0."
            )
        return f"Break-even prices: {_usd(low)} and {_usd(high)}. Profit is above zero only between them."
    (only,) = prices
    if opt is not None and abs(only - opt.x) <= 1e-6 * max(1.0, opt.x):
        return f"Break-even price: {_usd(only)}, the best price itself: profit is zero there and below zero elsewhere."
    if model.kind == "elasticity":
        if c == 0:
            side = "only below it" if model.elasticity > 1 else "at every higher price"
            return f"Break-even price: {_usd(only)}. Profit is above zero {side}."
        if fixed == 0:
            return (
                f"Break-even price: {_usd(only)}, your unit cost. Profit is above zero at every higher price: "
                "customers = A·price^−e never reaches zero."
            )
        if opt is not None:
            return (
                f"Break-even price: {_usd(only)}. Profit is above zero above it, and stays so up to at least "
                f"{_usd(BREAK_EVEN_CAP)}."
            )
        return f"Break-even price: {_usd(only)}. Profit is above zero at every higher price."
    return f"Break-even price: {_usd(only)}."


def _kink_note(model: DemandModel, profit: _Profit, price: float) -> str:
    """What the slope means at or past the price where linear demand reaches zero."""
    choke = model.choke_price
    if choke is None or price < choke:
        return ""
    if profit.fixed > 0:
        flat = f"you lose your fixed costs, {_usd(profit.fixed, 0)} a week, whatever you charge"
    else:
        flat = "profit is $0 whatever you charge"
    if price > choke:
        return (
            f"Nobody buys at {_usd(price)}: demand reaches zero at {_usd(choke)}. Above that price {flat}, "
            "so marginal profit is $0 per $1."
        )
    left = model.a - 2 * model.b * price + model.b * profit.c
    return (
        f"At {_usd(price)} demand just reaches zero: profit has a kink here. Just below, it changes by "
        f"{_signed_usd(left, 0)} per $1 (the marginal profit shown); just above, nobody buys and {flat}, "
        "so the slope there is $0."
    )


def _plus_one_text(model: DemandModel, r_price: float, f0: float, f1: float, d1: float, d2: float) -> str:
    """The seed's +$1 experiment, and why the change is (or is not) the derivative."""
    p = r_price
    head = f"Profit at {_usd(p)}: {_usd(f0, 0)}; at {_usd(p + 1)}: {_usd(f1, 0)}; change {_signed_usd(f1 - f0, 0)}."
    choke = model.choke_price
    if choke is not None and p >= choke:
        tail = ": its slope here is $0 per $1." if p > choke else "."
        return f"{head} Nobody buys at either price, so profit does not move{tail}"
    if choke is not None and p + 1 > choke:
        return (
            f"{head} The step crosses {_usd(choke)}, where demand reaches zero and the profit curve has a kink, "
            f"so the slope at {_usd(p)} ({_signed_usd(d1, 0)} per $1) does not predict it."
        )
    return (
        f"{head} Not {_signed_usd(d1, 0)}, because the derivative is the slope at {_usd(p)} and profit bends "
        f"({_usd(d2, 0)} per $1²) over the step: change ≈ f′ + f″/2 = {_signed_usd(d1 + d2 / 2, 0)}."
    )


def analyse(model: DemandModel, unit_cost: float, price: float, fixed_cost: float = 0.0) -> PricingReport:
    """Optimise price for a demand model and describe the current price.

    Parameters
    ----------
    model : DemandModel
        Linear or constant-elasticity demand.
    unit_cost : float
        What one unit costs you, in $ (>= 0).
    price : float
        Your current price, in $ (> 0).
    fixed_cost : float
        Costs that do not depend on sales, in $ per week (>= 0). They lower every profit
        by the same amount: the best price does not move, the break-even prices do.

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
    >>> r.break_even, round(r.margins.margin, 4), round(r.margins.lerner, 4)
    ((20.0, 130.0), 0.7333, 0.7333)
    """
    c, price, fixed = float(unit_cost), float(price), float(fixed_cost)
    if not (math.isfinite(c) and c >= 0):
        raise ValueError(f"unit cost must be a non-negative number, got {unit_cost}")
    if not (math.isfinite(price) and price > 0):
        raise ValueError(f"price must be a positive number, got {price}")
    if not (math.isfinite(fixed) and fixed >= 0):
        raise ValueError(f"fixed cost must be a non-negative number, got {fixed_cost}")
    profit = _Profit(model, c, fixed)
    p_star = optimal_price(model, c)
    lo, hi = _domain(model, c, price, p_star)
    choke = model.choke_price

    optimum, reason = None, ""
    if model.kind == "linear" and p_star is None:
        reason = (
            f"Your unit cost ({_usd(c)}) is at or above {_usd(hi)}, the price at which demand "
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

    # past the choke price the chart and table go on to your price: the flat stretch where nobody buys
    view_hi = hi if choke is None or price < hi else price + 0.1 * (hi - lo)
    curve = marginal_curve(profit.f, lo, view_hi, n=CURVE_POINTS, df=profit.df)
    f0, f1 = float(profit.f(price)), float(profit.f(price + 1.0))
    d1, d2 = float(profit.df(price)), float(profit.d2f(price))
    prices = break_even_prices(model, c, fixed) if optimum is not None or model.kind == "elasticity" else ()
    return PricingReport(
        model=model,
        unit_cost=c,
        price=price,
        lo=lo,
        hi=hi,
        optimum=optimum,
        no_optimum=reason,
        profit_at_price=f0,
        marginal_at_price=d1,
        curvature_at_price=d2,
        profit_plus_one=f1,
        curve=curve,
        table=_price_table(profit, lo, view_hi, price, p_star),
        fixed_cost=fixed,
        customers_at_price=float(model.demand(price)),
        choke_price=choke,
        kink_note=_kink_note(model, profit, price),
        plus_one_text=_plus_one_text(model, price, f0, f1, d1, d2),
        break_even=prices,
        break_even_text=_break_even_text(model, c, fixed, prices, optimum),
        margins=_margins(model, c, optimum.x) if optimum is not None else None,
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
    if -slope > MAX_FIT_ELASTICITY:
        raise ValueError(
            f"The fitted elasticity is {-slope:.3g}: a 1% higher price would lose {-slope:.3g}% of customers. "
            f"That is no demand curve to price with (this page accepts up to {MAX_FIT_ELASTICITY:g})."
        )
    if not intercept < math.log(_MAX_SCALE):
        raise ValueError("The fitted curve's numbers are too large to compute with.")
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
    lo, hi = PRICE_LIMITS
    outside = p[(p < lo) | (p > hi)]
    if outside.size:
        raise ValueError(f"Prices must be between {_usd(lo)} and {_usd(hi, 0)}; got ${outside[0]:,.6g}.")
    if q.max() > MAX_UNITS:
        raise ValueError(f"Units sold must be at most {MAX_UNITS:,.0f} a week; got {q.max():,.6g}.")
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


# --- What moves the optimum -------------------------------------------------------------------


class _LinearObjective:
    """Profit (p − c)(a − b·p) − F with a and b named as the page names them.

    The quadratic is the page's profit wherever anyone buys, which includes the best price
    p* = (a + b·c)/(2b) < a/b and everything the theorems read there; past the choke price
    it is lower than the true −F, so it moves no optimum (and, unlike the clipped curve, it has
    no flat stretch where f′ = 0 would hide the sign change of f′ from the grid scan).
    Raises ValueError where no price makes a profit (c ≥ a/b), so that a sweep leaves those
    values out instead of plotting a meaningless "best" price.
    """

    def __init__(self, a: str, b: str) -> None:
        self.a, self.b = a, b

    def _coefficients(self, th):
        c, a, b = th["unit_cost"], th[self.a], th[self.b]
        if not (c.real if isinstance(c, complex) else c) < (a / b).real:
            raise ValueError("no price makes a profit: the unit cost is at or above the price where demand ends")
        return c, a, b, th["fixed_cost"]

    def f(self, p, **th):
        c, a, b, fixed = self._coefficients(th)
        return (p - c) * (a - b * p) - fixed

    def df(self, p, **th):
        c, a, b, _ = self._coefficients(th)
        return a - 2 * b * p + b * c

    def d2f(self, p, **th):
        _, _, b, _ = self._coefficients(th)
        return -2 * b + 0 * p


class _ElasticityObjective:
    """Profit A·(p − c)·p^−e − F; A is a parameter (a fit) or matched to the line (a, b).

    Raises ValueError where no finite price is best (e ≤ 1 or c ≤ 0) or where the best
    price would leave the interval searched.
    """

    def __init__(self, e: str, scale: str | None, p_max: float) -> None:
        self.e, self.scale, self.p_max = e, scale, p_max

    def _coefficients(self, th):
        c, e = th["unit_cost"], th[self.e]
        cr, er = c.real, e.real  # real parts: the complex step perturbs one input at a time
        if not (er > 1 and cr > 0):
            raise ValueError("no finite price is best: needs elasticity e > 1 and a unit cost above $0")
        if cr * er / (er - 1) > 0.9 * self.p_max:
            raise ValueError("the best price lies beyond the prices searched")
        scale = th[self.scale] if self.scale else _matched_scale(e, th["demand_intercept"], th["demand_slope"])
        return c, e, scale, th["fixed_cost"]

    def f(self, p, **th):
        c, e, scale, fixed = self._coefficients(th)
        return scale * (p - c) * p ** (-e) - fixed

    def df(self, p, **th):
        c, e, scale, _ = self._coefficients(th)
        return scale * p ** (-e - 1) * (e * c - (e - 1) * p)

    def d2f(self, p, **th):
        c, e, scale, _ = self._coefficients(th)
        return scale * e * p ** (-e - 2) * ((e - 1) * p - c * (e + 1))


def _param(name: str, value: float, label: str, unit: str = "") -> Param:
    lo, hi, _ = RANGES[name]
    return Param(name, float(value), lo, hi, label, unit)


def _fitted(name: str, value: float, label: str) -> Param:
    return Param(name, float(value), FIT_SWEEP * value, value / FIT_SWEEP, label)


def sensitivity_problem(
    model: DemandModel,
    unit_cost: float,
    fixed_cost: float = 0.0,
    *,
    line: tuple[float, float] | None = None,
    fitted: bool = False,
) -> Problem | None:
    """Profit as f(price; inputs) for :mod:`optimizers.sensitivity`, one Param per input the user controls.

    Parameters
    ----------
    model : DemandModel
        The demand curve the page optimises with.
    unit_cost, fixed_cost : float
        c ($ per unit) and F ($ per week).
    line : (a, b), optional
        For the page's elasticity model: the line q = a − b·p it is matched to, whose a and
        b the user sets (they move A, so they are inputs too).
    fitted : bool
        The model was fitted to the user's data: its coefficients are inputs named
        ``fit_intercept``/``fit_slope`` or ``fit_elasticity``/``fit_scale``, swept from half
        to twice their fitted values.

    Returns
    -------
    Problem or None
        None where there is no interior best price to differentiate: no finite optimum, or
        one so close to the point where demand ends (or to e = 1) that a step in an input
        would cross it.

    Examples
    --------
    The seed's store: a $1 higher unit cost moves the best price up 50¢ and the best profit
    down $550, the 550 customers served at $75.

    >>> from optimizers.sensitivity import sensitivity
    >>> rows = {r.parameter: r for r in sensitivity(sensitivity_problem(linear_demand(1300, 10), 20)).rows}
    >>> round(rows["unit_cost"].optimum_change_per_unit, 12), round(rows["unit_cost"].best_change_per_unit, 9)
    (0.5, -550.0)
    """
    if model.kind == "elasticity" and not fitted and line is None:
        raise ValueError("the elasticity model needs line=(a, b), the line its scale is matched to")
    try:  # numbers a hostile table can produce must not reach the page as a traceback
        problem = _sensitivity_problem(model, float(unit_cost), float(fixed_cost), line, fitted)
        best = solve(problem) if problem is not None else None
    except (ValueError, OverflowError, ZeroDivisionError):
        return None
    if best is None or best.at_boundary or not math.isfinite(best.fun):
        return None
    return problem


def _sensitivity_problem(model, c, fixed, line, fitted) -> Problem | None:
    if optimal_price(model, c) is None:
        return None
    cost = _param("unit_cost", c, "unit cost", "$ per unit")
    fixed_param = _param("fixed_cost", fixed, "fixed costs", "$ per week")
    if model.kind == "linear":
        choke = model.a / model.b
        if choke - c <= 1e-4 * choke:
            return None
        if fitted:
            a_p = _fitted("fit_intercept", model.a, "fitted customers at $0 (a)")
            b_p = _fitted("fit_slope", model.b, "fitted customers lost per $1 (b)")
        else:
            a_p = _param("demand_intercept", model.a, "customers at $0 (a)", "per week")
            b_p = _param("demand_slope", model.b, "customers lost per $1 (b)")
        # wide enough for the best price anywhere on each input's sweep (p* < a/b)
        p_max = max(a_p.hi / b_p.value, a_p.value / b_p.lo, cost.hi)
        obj = _LinearObjective(a_p.name, b_p.name)
        params = (cost, a_p, b_p, fixed_param)
    else:
        e = model.elasticity
        if e - 1 <= 1e-3:
            return None
        p_max = 4 * cost.hi * e / (e - 1)
        if fitted:
            e_p = _fitted("fit_elasticity", e, "fitted elasticity (e)")
            params = (cost, e_p, _fitted("fit_scale", model.scale, "fitted scale (A)"), fixed_param)
            obj = _ElasticityObjective(e_p.name, "fit_scale", p_max)
        else:
            e_p = _param("elasticity", e, "elasticity (e)")
            a_p = _param("demand_intercept", line[0], "customers at $0 (a)", "per week")
            b_p = _param("demand_slope", line[1], "customers lost per $1 (b)")
            params = (cost, e_p, a_p, b_p, fixed_param)
            obj = _ElasticityObjective(e_p.name, None, p_max)
    lo = 0.0 if model.kind == "linear" else "unit_cost"
    return Problem(
        obj.f,
        lo,
        p_max,
        "max",
        params,
        df=obj.df,
        d2f=obj.d2f,
        x_name="price",
        passes=frozenset({"unit_cost"}),
    )
