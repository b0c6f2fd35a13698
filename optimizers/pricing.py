"""Pricing: which price maximises profit = (price − unit cost) × customers(price) − fixed costs?

Numbers and statuses only: every sentence the Pricing page shows is written by
:mod:`explain.pricing` from what :func:`analyse` returns.

Two demand curves, from the derivatives tutorial this app grew from and the economics it
leans on:

* linear, q(p) = max(0, a − b·p) (the tutorial: 1300 − 10p customers). Above the choke price
  a/b nobody buys: there are no negative customers, profit is −(fixed costs) at every such
  price and its slope is zero there. The optimum is p* = (a + b·c)/(2b) when c < a/b;
* constant elasticity, q(p) = A·p^−e, with optimum p* = c·e/(e − 1) when e > 1
  (for e ≤ 1 revenue never falls as price rises, so no finite price is best).

Fixed costs F ($ per week) lower every profit by F and move no price. The prices where profit
is any target, the break-even prices (a target of $0) among them, come from the goal seek
(:func:`optimizers.goalseek.pricing_target`, the engine's root finder between turns). At an
interior optimum the unit margin (p − c)/p equals 1/ε, the inverse of the price elasticity of
demand ε = −p·q′/q there (the Lerner rule); under q = A·p^−e, ε = e at every price.

Both curves can be fitted to a visitor's weekly (price, units sold) experiments
(:func:`analyse_sales` fits them and analyses every fit that works), and every result carries
its inputs as a :class:`optimizers.sensitivity.Problem` (``sensitivity``).
"""

from __future__ import annotations

import dataclasses
import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from optimizers.calculus import Optimum, marginal_curve, optimize
from optimizers.sensitivity import Param, Problem, solve
from optimizers.tables import numeric_columns

if TYPE_CHECKING:  # goalseek imports this module; analyse imports it when first called
    from optimizers.goalseek import GoalSeek

__all__ = [
    "BREAK_EVEN_CAP",
    "DEFAULTS",
    "DEFAULT_DEMAND_INTERCEPT",
    "DEFAULT_DEMAND_SLOPE",
    "DEFAULT_ELASTICITY",
    "DEFAULT_FIXED_COST",
    "DEFAULT_PRICE",
    "DEFAULT_UNIT_COST",
    "EXAMPLE_SALES",
    "FITS",
    "KEEP_WITHIN",
    "MAX_FIT_ELASTICITY",
    "MAX_UNITS",
    "MODELS",
    "PRICE_LIMITS",
    "RANGES",
    "TARGET_INPUT",
    "Advice",
    "BreakEven",
    "Demand",
    "DemandFit",
    "DemandModel",
    "FitFailure",
    "FitProblem",
    "Margins",
    "NoOptimum",
    "PricingResult",
    "SalesFits",
    "SalesResult",
    "Step",
    "analyse",
    "analyse_sales",
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
#: Every input's default, by its URL key.
DEFAULTS = {
    "unit_cost": DEFAULT_UNIT_COST,
    "fixed_cost": DEFAULT_FIXED_COST,
    "price": DEFAULT_PRICE,
    "demand_intercept": DEFAULT_DEMAND_INTERCEPT,
    "demand_slope": DEFAULT_DEMAND_SLOPE,
    "elasticity": DEFAULT_ELASTICITY,
}
#: (lo, hi, step) of every input's slider: the page draws them, the sensitivity sweeps them.
RANGES = {
    "unit_cost": (0.0, 200.0, 1.0),
    "price": (1.0, 300.0, 0.5),
    "demand_intercept": (100.0, 5000.0, 50.0),
    "demand_slope": (0.5, 50.0, 0.5),
    "elasticity": (0.5, 5.0, 0.05),
    "fixed_cost": (0.0, 100_000.0, 500.0),
}
#: The page's demand models (``?model=``) and the fits of the data model (``?fit=``), first is default.
MODELS = ("linear", "elasticity", "data")
FITS = ("linear", "elasticity")
#: Points on the profit curve sent to the chart.
CURVE_POINTS = 121
#: Rows (about) in the exported price table.
TABLE_ROWS = 24
#: Your price is the best price when it is this close to it ($): the same price to the cent.
KEEP_WITHIN = 0.005
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
#: Relative size below which a computed profit or slope is rounding noise of its own terms.
_NOISE = 1e-12

#: Ten weeks of headphone sales at different prices (the tutorial's "you experiment with
#: different prices over several weeks"): close to 1300 - 10p with week-to-week noise.
EXAMPLE_SALES = pd.DataFrame(
    {
        "price": [40.0, 45.0, 50.0, 55.0, 60.0, 65.0, 70.0, 80.0, 90.0, 100.0],
        "units": [915.0, 838.0, 812.0, 730.0, 716.0, 628.0, 611.0, 493.0, 418.0, 290.0],
    }
)


def _tidy(value, scale):
    """``value`` with rounding noise (below _NOISE of ``scale``, the size of the terms it was
    computed from) set to exactly 0; works elementwise on arrays.

    >>> _tidy(-5.68e-14, 3000.0), _tidy(np.array([1e-13, 2.0]), np.array([1e3, 1e3])).tolist()
    (0.0, [0.0, 2.0])
    """
    v, s = np.asarray(value, dtype=float), np.abs(np.asarray(scale, dtype=float))
    out = np.where(np.abs(v) <= _NOISE * s, 0.0, v) + 0.0
    return float(out) if out.ndim == 0 else out


#: The "Reach a target profit" input (``?target=``, $ a week): (lo, hi, step); hi None is no upper
#: end. $0, the default, is the break-even prices, which the page always shows.
TARGET_INPUT = (-1e9, None, 1000.0)


class NoOptimum(enum.Enum):
    """Why no finite price maximises profit (:attr:`PricingResult.no_optimum`)."""

    #: Linear demand, unit cost at or above the choke price a/b: every sale loses money.
    COST_ABOVE_CHOKE = "cost_above_choke"
    #: q = A·p^−e with e > 1 and a unit cost of $0: profit grows as the price falls toward $0.
    FREE_ELASTIC = "free_elastic"
    #: e < 1: revenue rises with price, so profit grows without bound as the price rises.
    INELASTIC = "inelastic"
    #: e = 1 and a unit cost above $0: profit A(1 − c/p) − F rises toward A − F, never reaching it.
    UNIT_ELASTIC = "unit_elastic"
    #: e = 1 and a unit cost of $0: profit is A − F at every price.
    FLAT = "flat"


class Advice(enum.Enum):
    """Which way to move your price (:attr:`PricingResult.advice`)."""

    #: Your price is the best price (within :data:`KEEP_WITHIN`).
    KEEP = "keep"
    #: Marginal profit is above zero: a higher price earns more.
    RAISE = "raise"
    #: Marginal profit is below zero: a lower price earns more.
    LOWER = "lower"
    #: Nobody buys at your price (above the choke price): a small change does nothing, the best
    #: price is lower.
    LOWER_FROM_NO_SALES = "lower_from_no_sales"


class Demand(enum.Enum):
    """Whether anyone buys at your price (linear demand reaches zero at a/b)."""

    SELLING = "selling"
    #: Your price is the choke price: profit has a kink there.
    ENDS_HERE = "ends_here"
    #: Above the choke price: nobody buys, profit is −F and flat.
    NO_SALES = "no_sales"


class Step(enum.Enum):
    """The +$1 experiment at your price, and whether the slope predicts it."""

    #: Profit is smooth over [p, p + 1]: change ≈ f′ + f″/2 (exactly, for linear demand).
    SMOOTH = "smooth"
    #: The step crosses the choke price, where profit has a kink.
    CROSSES_CHOKE = "crosses_choke"
    #: Nobody buys at either price: profit does not move.
    NO_SALES = "no_sales"


class BreakEven(enum.Enum):
    """What the break-even prices (:attr:`PricingResult.break_even`) say about where profit is above zero."""

    #: Two prices; profit is above zero only between them.
    TWO = "two"
    #: Linear demand without fixed costs: the upper one is the choke price; from there up profit is $0.
    TWO_UP_TO_CHOKE = "two_up_to_choke"
    #: One price, the best price itself: profit is zero there and below zero elsewhere.
    AT_OPTIMUM = "at_optimum"
    #: q = A·p^−e without fixed costs: the unit cost; profit is above zero at every higher price.
    AT_COST = "at_cost"
    #: q = A·p^−e at a $0 unit cost (e > 1): profit is above zero only below it.
    ONLY_BELOW = "only_below"
    #: One price; profit is above zero at every higher price (e ≤ 1: profit keeps rising).
    EVERY_HIGHER = "every_higher"
    #: One price; profit is above zero above it up to at least :data:`BREAK_EVEN_CAP`.
    HIGHER_UP_TO_CAP = "higher_up_to_cap"
    #: One price, nothing more to say.
    ONE = "one"
    #: None: the best operating profit is below the fixed costs, so you lose money at every price.
    NONE_LOSS = "none_loss"
    #: None: no price makes a profit (profit is at most zero everywhere).
    NO_PROFIT = "no_profit"
    #: None: profit is above zero at every price.
    ALWAYS_PROFIT = "always_profit"


class FitProblem(enum.Enum):
    """Why a demand curve cannot be fitted to a sales table (:class:`FitFailure`)."""

    #: Units sold do not fall as the price rises (``value``: the fitted slope, units per $1,
    #: or the log-log slope).
    NOT_FALLING = "not_falling"
    #: The fitted line sells no one at $0 (``value``: its intercept).
    NO_CUSTOMERS_AT_ZERO = "no_customers_at_zero"
    #: A week with 0 units sold: the constant-elasticity fit works in logarithms.
    ZERO_UNITS = "zero_units"
    #: The fitted elasticity is above :data:`MAX_FIT_ELASTICITY` (``value``: the elasticity).
    TOO_ELASTIC = "too_elastic"
    #: The fitted curve's numbers are too large to compute with (``value``: log of its scale).
    TOO_LARGE = "too_large"


@dataclass(frozen=True)
class DemandModel:
    """Customers per week as a function of price.

    ``kind`` is ``"linear"`` (q = max(0, a − b·p)) or ``"elasticity"`` (q = A·p^−e, with
    ``scale`` A). An elasticity model made by :func:`elasticity_like_linear` keeps the line
    (a, b) its scale was matched to.
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

    @property
    def line(self) -> tuple[float, float] | None:
        """(a, b) of the line this model is (linear) or was matched to (elasticity), if any."""
        return (self.a, self.b) if math.isfinite(self.a) and math.isfinite(self.b) else None

    def price_elasticity(self, p: float) -> float:
        """ε(p) = −p·q′(p)/q(p): the % of customers lost per 1% on the price (nan where nobody buys).

        >>> linear_demand(1300, 10).price_elasticity(75.0)  # 10 × 75 / 550
        1.3636363636363635
        """
        if self.kind == "linear":
            q = self.a - self.b * p
            return self.b * p / q if q > 0 else math.nan
        return self.elasticity


def linear_demand(a: float, b: float) -> DemandModel:
    """q(p) = max(0, a − b·p). Raises ValueError unless a > 0 and b > 0.

    >>> float(linear_demand(1300, 10).demand(75.0)), float(linear_demand(1300, 10).demand(200.0))
    (550.0, 0.0)
    """
    if not (math.isfinite(a) and a > 0):
        raise ValueError(f"demand intercept a must be positive, got a={a}")
    if not (math.isfinite(b) and b > 0):
        raise ValueError(f"demand slope b must be positive (demand falls as price rises), got b={b}")
    return DemandModel("linear", a=float(a), b=float(b))


def elasticity_demand(elasticity: float, scale: float) -> DemandModel:
    """q(p) = scale * p**-elasticity. Raises ValueError unless both are positive.

    >>> float(elasticity_demand(2.0, 1e6).demand(40.0))
    625.0
    """
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
    models describe the same store there and their optima can be compared. The model keeps
    (a, b): they are inputs of its sensitivity problem.

    Examples
    --------
    >>> m = elasticity_like_linear(2.0, 1300, 10)
    >>> float(m.demand(65.0)), m.line
    (650.0, (1300.0, 10.0))
    """
    line = linear_demand(a, b)
    model = elasticity_demand(elasticity, _matched_scale(elasticity, line.a, line.b))
    return DemandModel("elasticity", a=line.a, b=line.b, scale=model.scale, elasticity=model.elasticity)


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


def _no_optimum(model: DemandModel, c: float) -> NoOptimum:
    """Why :func:`optimal_price` found no price (call only when it returned None)."""
    if model.kind == "linear":
        return NoOptimum.COST_ABOVE_CHOKE
    e = model.elasticity
    if e < 1:
        return NoOptimum.INELASTIC
    if e == 1:
        return NoOptimum.UNIT_ELASTIC if c > 0 else NoOptimum.FLAT
    return NoOptimum.FREE_ELASTIC


class _Profit:
    """Profit, marginal profit and curvature for one model, unit cost and fixed cost (picklable).

    Linear demand is clipped at zero, so past the choke price profit is −F, flat: its
    derivative there is 0. At the choke price itself, where profit has a kink, the slope is the
    one just below (where a price cut starts selling again), so the marginal curve ends where
    the quadratic does. ``*_scale`` are the sizes of the terms each value is computed from, the
    yardstick for rounding noise.
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

    def f_scale(self, p):
        q = self.m.demand(p)
        return np.abs(p) * q + self.c * q + self.fixed

    def df(self, p):
        m = self.m
        if m.kind == "linear":
            return np.where(self._selling(p), m.a - 2 * m.b * p + m.b * self.c, 0.0)
        e = m.elasticity
        return m.scale * p ** (-e - 1) * (e * self.c - (e - 1) * p)

    def df_scale(self, p):
        m = self.m
        if m.kind == "linear":
            return m.a + 2 * m.b * np.abs(p) + m.b * self.c
        e = m.elasticity
        return m.scale * p ** (-e - 1) * (e * self.c + abs(e - 1) * p)

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


def _margins(model: DemandModel, c: float, p: float) -> Margins:
    return Margins(p, c, float(model.demand(p)), float(model.price_elasticity(p)))


@dataclass(frozen=True)
class PricingResult:
    """Everything the Pricing page shows about one demand model, from one call of :func:`analyse`.

    Numbers and statuses; :mod:`explain.pricing` words them. ``lo``/``hi`` is where the
    optimum was looked for (for linear demand up to the choke price); ``curve`` and ``table``
    reach further when your price is above it. Values that are zero up to rounding are
    exactly 0 (a marginal profit of −5.68e−14 at the optimum is 0).
    """

    model: DemandModel
    unit_cost: float
    price: float
    fixed_cost: float
    lo: float
    hi: float
    #: The best price, or None (then ``no_optimum`` says why).
    optimum: Optimum | None
    no_optimum: NoOptimum | None
    #: Which way to move your price; None without an optimum.
    advice: Advice | None
    profit_at_price: float
    marginal_at_price: float
    curvature_at_price: float
    profit_plus_one: float
    customers_at_price: float
    choke_price: float | None
    demand: Demand
    step: Step
    break_even: tuple[float, ...]
    break_even_kind: BreakEven
    #: Margin, markup and the Lerner check at the best price; None without an optimum.
    margins: Margins | None
    curve: pd.DataFrame
    table: pd.DataFrame
    #: The profit as f(price; inputs) for :mod:`optimizers.sensitivity`; None where there is no
    #: interior best price to differentiate (see :func:`sensitivity_problem`), or for an
    #: elasticity model given by its scale alone (neither fitted nor matched to a line).
    sensitivity: Problem | None = None
    #: The model was fitted to sales data (its coefficients are the sensitivity inputs).
    fitted: bool = False
    #: Every price where weekly profit equals the visitor's target (``analyse(target=...)``);
    #: None for a target of $0, whose prices are ``break_even``.
    goal: GoalSeek | None = None

    @property
    def plus_one_change(self) -> float:
        """Profit at price + $1 minus profit at price (the tutorial's experiment), computed
        without the fixed costs, which cancel (so a large F leaves no rounding noise)."""
        c, p = self.unit_cost, self.price
        before = (p - c) * float(self.model.demand(p))
        after = (p + 1 - c) * float(self.model.demand(p + 1))
        return _tidy(after - before, abs(after) + abs(before))

    @property
    def gain_to_optimum(self) -> float:
        """How much weekly profit rises from your price to the best price (never negative)."""
        if self.optimum is None:
            return math.nan
        gain = _tidy(self.optimum.fun - self.profit_at_price, abs(self.optimum.fun) + abs(self.profit_at_price))
        return max(gain, 0.0)

    @property
    def operating_profit(self) -> float:
        """The best profit before fixed costs (nan without an optimum)."""
        return self.optimum.fun + self.fixed_cost if self.optimum is not None else math.nan


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


def _note(said: list[str]) -> str:
    """The table's note for one price ("your price (optimal)" when both are said)."""
    if "your price" in said and "optimal price" in said:
        said = ["your price (optimal)", *(s for s in said if s not in ("your price", "optimal price"))]
    return "; ".join(said)


def _price_table(profit: _Profit, lo: float, hi: float, price: float, p_star: float | None) -> pd.DataFrame:
    """A price grid with the best price, your price and the choke price at their exact values.

    Grid points within rounding of one of those are dropped (the exact value stays); the
    marginal profit at the best price is exactly 0 (the derivative at a stationary point;
    what a computer gets there is rounding noise), and every other value is tidied relative
    to its own terms.
    """
    step = _nice_step(hi - lo, TABLE_ROWS)
    grid = np.round(np.arange(math.ceil(lo / step) * step, hi + step / 2, step), 9)
    notes: dict[float, list[str]] = {}
    if p_star is not None:
        notes.setdefault(p_star, []).append("optimal price")
    if lo <= price <= hi:
        notes.setdefault(price, []).insert(0, "your price")
    choke = profit.m.choke_price
    if choke is not None and lo <= choke <= hi:
        notes.setdefault(choke, []).append("demand reaches zero: nobody buys from here up")
    special = np.array(sorted(notes))
    if special.size:
        near = np.abs(grid[:, None] - special[None, :]) <= 1e-9 * np.maximum(np.abs(special), 1.0)
        grid = grid[~near.any(axis=1)]
    prices = np.sort(np.concatenate([grid, special]))
    customers = profit.m.demand(prices)
    revenue = prices * customers
    cost = profit.c * customers + profit.fixed
    marginal = _tidy(profit.df(prices), profit.df_scale(prices))
    if p_star is not None:
        marginal[prices == p_star] = 0.0
    labels = [_note(notes.get(p, [])) for p in prices]
    return pd.DataFrame(
        {
            "price": prices,
            "customers": customers,
            "revenue": revenue,
            "cost": cost,
            "profit": _tidy(revenue - cost, revenue + cost),
            "marginal_profit": marginal,
            "note": labels,
        }
    )


def break_even_prices(model: DemandModel, unit_cost: float, fixed_cost: float = 0.0) -> tuple[float, ...]:
    """The prices at which weekly profit is zero while someone still buys, in increasing order.

    The goal seek for a profit of $0 (:func:`optimizers.goalseek.pricing_target` with
    ``target=0``: the engine's root finder on each stretch where profit is monotone, so none
    is missed): none, one or two prices. Profit is positive between two break-even prices.

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
    The tutorial's store breaks even at its unit cost and at the price where nobody buys:

    >>> [round(p, 9) for p in break_even_prices(linear_demand(1300, 10), 20)]
    [20.0, 130.0]
    >>> [round(p, 6) for p in break_even_prices(linear_demand(1300, 10), 20, 20_250)]
    [43.377223, 106.622777]
    """
    from optimizers import goalseek  # goalseek imports this module: imported when first needed

    c, fixed = float(unit_cost), float(fixed_cost)
    if not (math.isfinite(c) and c >= 0):
        raise ValueError(f"unit cost must be a non-negative number, got {unit_cost}")
    if not (math.isfinite(fixed) and fixed >= 0):
        raise ValueError(f"fixed cost must be a non-negative number, got {fixed_cost}")
    if model.kind == "linear" and optimal_price(model, c) is None:
        return ()  # every sale loses money: profit reaches zero only where nobody buys
    found = goalseek.pricing_target(model, c, fixed, 0.0)
    return () if found.everywhere else found.x


def _break_even_kind(
    model: DemandModel, profit: _Profit, prices: tuple[float, ...], optimum: Optimum | None
) -> BreakEven:
    """What the break-even prices say about where profit is above zero (see :class:`BreakEven`)."""
    c, fixed, choke = profit.c, profit.fixed, model.choke_price
    if not prices:
        if optimum is not None:
            return BreakEven.NONE_LOSS
        # no optimum and no crossing: profit has one sign at every price, read it anywhere
        return BreakEven.ALWAYS_PROFIT if profit.f(2 * max(c, 1.0)) > 0 else BreakEven.NO_PROFIT
    if len(prices) == 2:
        high = prices[1]
        if choke is not None and fixed == 0 and abs(high - choke) <= 1e-9 * choke:
            return BreakEven.TWO_UP_TO_CHOKE
        return BreakEven.TWO
    (only,) = prices
    if optimum is not None and abs(only - optimum.x) <= 1e-6 * max(1.0, optimum.x):
        return BreakEven.AT_OPTIMUM
    if model.kind == "linear":
        return BreakEven.ONE
    if c == 0:
        return BreakEven.ONLY_BELOW if model.elasticity > 1 else BreakEven.EVERY_HIGHER
    if fixed == 0:
        return BreakEven.AT_COST
    return BreakEven.HIGHER_UP_TO_CAP if optimum is not None else BreakEven.EVERY_HIGHER


def _advice(optimum: Optimum | None, price: float, choke: float | None) -> Advice | None:
    if optimum is None:
        return None
    if abs(optimum.x - price) < KEEP_WITHIN:
        return Advice.KEEP
    if choke is not None and price > choke:
        return Advice.LOWER_FROM_NO_SALES
    return Advice.RAISE if optimum.x > price else Advice.LOWER


def _demand(choke: float | None, price: float) -> Demand:
    if choke is None or price < choke:
        return Demand.SELLING
    return Demand.NO_SALES if price > choke else Demand.ENDS_HERE


def _step(choke: float | None, price: float) -> Step:
    if choke is None or price + 1 <= choke:
        return Step.SMOOTH
    return Step.NO_SALES if price >= choke else Step.CROSSES_CHOKE


def _best_price(model: DemandModel, c: float, fixed: float, lo: float, hi: float) -> Optimum:
    """The engine's optimum of the profit before fixed costs, then lowered by them.

    F moves no price, and subtracting it first would drown a small operating profit in the
    rounding of F (a $100,000 fixed cost over a profit of 2.6e−9 reads as a flat line).
    """
    operating = _Profit(model, c, 0.0)
    best = optimize(operating.f, lo, hi, "max", df=operating.df, d2f=operating.d2f)
    points = tuple(dataclasses.replace(cp, fun=cp.fun - fixed) for cp in best.critical_points)
    return dataclasses.replace(best, fun=best.fun - fixed, critical_points=points)


def analyse(
    model: DemandModel,
    unit_cost: float,
    price: float,
    fixed_cost: float = 0.0,
    *,
    fitted: bool = False,
    target: float = 0.0,
) -> PricingResult:
    """Optimise price for a demand model and describe your current price, in numbers and statuses.

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
    fitted : bool
        ``model`` was fitted to sales data: its coefficients become the inputs of the
        sensitivity problem (see :func:`sensitivity_problem`).
    target : float
        A weekly profit to reach, in $ (any finite amount; a loss is negative): ``goal``
        holds every price that makes it (:func:`optimizers.goalseek.pricing_target`). $0 is
        the break-even prices, always in ``break_even``, from the same goal seek.

    Returns
    -------
    PricingResult
        ``optimum`` is None (and ``no_optimum`` says why) when no finite price is best.

    Raises
    ------
    ValueError
        For a negative or non-finite cost or target, or a non-positive price.

    Examples
    --------
    The tutorial's headphones: at $50 the marginal profit is $500 per $1, the +$1 experiment
    gains $490, and the best price is $75 with $30,250 profit; raise your price.

    >>> r = analyse(linear_demand(1300, 10), 20, 50)
    >>> r.optimum.x, r.optimum.fun, r.marginal_at_price, r.plus_one_change, r.advice
    (75.0, 30250.0, 500.0, 490.0, <Advice.RAISE: 'raise'>)
    >>> r.break_even, r.break_even_kind, round(r.margins.margin, 4), round(r.margins.lerner, 4)
    ((20.0, 130.0), <BreakEven.TWO_UP_TO_CHOKE: 'two_up_to_choke'>, 0.7333, 0.7333)

    Fixed costs of $40,000 a week are more than the best price earns before them: no price
    breaks even, and you lose $9,750 a week at best.

    >>> r = analyse(linear_demand(1300, 10), 20, 50, 40_000)
    >>> r.optimum.fun, r.break_even, r.break_even_kind
    (-9750.0, (), <BreakEven.NONE_LOSS: 'none_loss'>)

    $25,000 a week is made at two prices, 10p² − 1500p + 51,000 = 0:

    >>> [round(p, 2) for p in analyse(linear_demand(1300, 10), 20, 50, target=25_000).goal.x]
    [52.09, 97.91]
    """
    from optimizers import goalseek  # goalseek imports this module: imported when first needed

    c, price, fixed = float(unit_cost), float(price), float(fixed_cost)
    if not (math.isfinite(c) and c >= 0):
        raise ValueError(f"unit cost must be a non-negative number, got {unit_cost}")
    if not (math.isfinite(price) and price > 0):
        raise ValueError(f"price must be a positive number, got {price}")
    if not (math.isfinite(fixed) and fixed >= 0):
        raise ValueError(f"fixed cost must be a non-negative number, got {fixed_cost}")
    if not math.isfinite(target):
        raise ValueError(f"target must be a finite number, got {target}")
    profit = _Profit(model, c, fixed)
    p_star = optimal_price(model, c)
    lo, hi = _domain(model, c, price, p_star)
    choke = model.choke_price
    if p_star is None:
        optimum, no_optimum = None, _no_optimum(model, c)
    else:
        optimum, no_optimum = _best_price(model, c, fixed, lo, hi), None

    # past the choke price the chart and table go on to your price: the flat stretch where nobody buys
    view_hi = hi if choke is None or price < hi else price + 0.1 * (hi - lo)
    curve = marginal_curve(profit.f, lo, view_hi, n=CURVE_POINTS, df=profit.df)
    curve["derivative"] = _tidy(curve["derivative"].to_numpy(), profit.df_scale(curve["x"].to_numpy()))
    prices = break_even_prices(model, c, fixed) if optimum is not None or model.kind == "elasticity" else ()
    # an elasticity model given by its scale alone (no line, not fitted) has no inputs to name
    named = fitted or model.kind == "linear" or model.line is not None
    problem = sensitivity_problem(model, c, fixed, fitted=fitted) if optimum is not None and named else None
    return PricingResult(
        model=model,
        unit_cost=c,
        price=price,
        fixed_cost=fixed,
        lo=lo,
        hi=hi,
        optimum=optimum,
        no_optimum=no_optimum,
        advice=_advice(optimum, price, choke),
        profit_at_price=_tidy(float(profit.f(price)), float(profit.f_scale(price))),
        marginal_at_price=_tidy(float(profit.df(price)), float(profit.df_scale(price))),
        curvature_at_price=float(profit.d2f(price)),
        profit_plus_one=_tidy(float(profit.f(price + 1.0)), float(profit.f_scale(price + 1.0))),
        customers_at_price=float(model.demand(price)),
        choke_price=choke,
        demand=_demand(choke, price),
        step=_step(choke, price),
        break_even=prices,
        break_even_kind=_break_even_kind(model, profit, prices, optimum),
        margins=_margins(model, c, optimum.x) if optimum is not None else None,
        curve=curve,
        table=_price_table(profit, lo, view_hi, price, p_star),
        sensitivity=problem,
        fitted=fitted,
        goal=goalseek.pricing_target(model, c, fixed, target) if target != 0 else None,
    )


# --- Fitting demand to a visitor's price tests ------------------------------------------------


@dataclass(frozen=True)
class DemandFit:
    """A demand model fitted to (price, units) data; ``r2`` is R² of units sold."""

    model: DemandModel
    r2: float


@dataclass(frozen=True)
class FitFailure:
    """Why one demand curve cannot be fitted, and the number that shows it (see :class:`FitProblem`)."""

    problem: FitProblem
    value: float = math.nan


@dataclass(frozen=True)
class SalesFits:
    """Both fits of one data set; a fit that is impossible is None, with its :class:`FitFailure`."""

    prices: np.ndarray
    units: np.ndarray
    linear: DemandFit | None
    linear_failure: FitFailure | None
    elasticity: DemandFit | None
    elasticity_failure: FitFailure | None

    def usable(self) -> list[str]:
        """Names of the fits that worked, line first."""
        return [k for k in FITS if getattr(self, k) is not None]

    def points(self) -> pd.DataFrame:
        return pd.DataFrame({"price": self.prices, "units": self.units})

    def curves(self, n: int = 120) -> pd.DataFrame:
        """Each usable fit over the observed prices (10% margin): columns price, units, fit (its name)."""
        lo, hi = float(self.prices.min()), float(self.prices.max())
        grid = np.linspace(max(lo - 0.1 * (hi - lo), 0.01), hi + 0.1 * (hi - lo), n)
        parts = [
            pd.DataFrame({"price": grid, "units": getattr(self, name).model.demand(grid), "fit": name})
            for name in self.usable()
        ]
        return pd.concat(parts, ignore_index=True)


def _r2(y: np.ndarray, y_hat: np.ndarray) -> float:
    ss_tot = float(np.sum((y - y.mean()) ** 2))
    ss_res = float(np.sum((y - y_hat) ** 2))
    return 1.0 - ss_res / ss_tot if ss_tot > 0 else math.nan


def _fit_linear(p: np.ndarray, q: np.ndarray) -> DemandFit | FitFailure:
    slope, intercept = np.polyfit(p, q, 1)
    if not slope < 0:
        return FitFailure(FitProblem.NOT_FALLING, float(slope))
    if not intercept > 0:
        return FitFailure(FitProblem.NO_CUSTOMERS_AT_ZERO, float(intercept))
    return DemandFit(linear_demand(intercept, -slope), _r2(q, intercept + slope * p))


def _fit_elasticity(p: np.ndarray, q: np.ndarray) -> DemandFit | FitFailure:
    if np.any(q <= 0):
        return FitFailure(FitProblem.ZERO_UNITS)
    slope, intercept = np.polyfit(np.log(p), np.log(q), 1)
    if not slope < 0:
        return FitFailure(FitProblem.NOT_FALLING, float(slope))
    if -slope > MAX_FIT_ELASTICITY:
        return FitFailure(FitProblem.TOO_ELASTIC, float(-slope))
    if not intercept < math.log(_MAX_SCALE):
        return FitFailure(FitProblem.TOO_LARGE, float(intercept))
    model = elasticity_demand(-slope, math.exp(intercept))
    return DemandFit(model, _r2(q, model.demand(p)))


#: What a programmer reads when fit_linear or fit_elasticity refuses (the page words it in explain).
_REFUSALS = {
    FitProblem.NOT_FALLING: "units sold do not fall as the price rises (slope {:+.3g})",
    FitProblem.NO_CUSTOMERS_AT_ZERO: "the fitted line sells {:.3g} units at $0",
    FitProblem.ZERO_UNITS: "every week needs units > 0 (logarithms)",
    FitProblem.TOO_ELASTIC: f"the fitted elasticity {{:.3g}} is above {MAX_FIT_ELASTICITY:g}",
    FitProblem.TOO_LARGE: "the fitted scale e^{:.3g} is too large to compute with",
}


def _or_raise(result: DemandFit | FitFailure, what: str) -> DemandFit:
    if isinstance(result, DemandFit):
        return result
    raise ValueError(f"cannot fit {what}: " + _REFUSALS[result.problem].format(result.value))


def fit_linear(prices, units) -> DemandFit:
    """Least-squares q = a - b*p.

    Raises
    ------
    ValueError
        If demand does not fall with price, or the line sells no one at $0.

    Examples
    --------
    >>> fit = fit_linear([40, 60, 80], [900, 700, 500])
    >>> round(fit.model.a, 9), round(fit.model.b, 9), fit.r2
    (1300.0, 10.0, 1.0)
    """
    p, q = np.asarray(prices, dtype=float), np.asarray(units, dtype=float)
    return _or_raise(_fit_linear(p, q), "a falling demand line")


def fit_elasticity(prices, units) -> DemandFit:
    """Least squares in logs: log q = log A - e*log p. Needs units > 0 in every row.

    Raises
    ------
    ValueError
        If a week sold 0 units, demand does not fall with price, the elasticity is above
        :data:`MAX_FIT_ELASTICITY` or the scale is too large to compute with.

    Examples
    --------
    >>> fit = fit_elasticity([10, 20, 40], [400, 100, 25])
    >>> round(fit.model.elasticity, 9), round(fit.model.scale, 6)
    (2.0, 40000.0)
    """
    p, q = np.asarray(prices, dtype=float), np.asarray(units, dtype=float)
    return _or_raise(_fit_elasticity(p, q), "a constant-elasticity demand curve")


def fit_sales(table: pd.DataFrame) -> SalesFits:
    """Check a (price, units) table and fit both demand models.

    Raises
    ------
    ValueError
        Missing columns, non-numeric cells, prices <= 0, negative units, fewer than 3 rows,
        a single distinct price, or numbers no store has (the message names the value).

    Examples
    --------
    >>> fits = fit_sales(EXAMPLE_SALES)
    >>> fits.usable(), round(fits.linear.r2, 3)
    (['linear', 'elasticity'], 0.994)
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
        raise ValueError(f"Prices must be between ${lo:,.2f} and ${hi:,.0f}; got ${outside[0]:,.6g}.")
    if q.max() > MAX_UNITS:
        raise ValueError(f"Units sold must be at most {MAX_UNITS:,.0f} a week; got {q.max():,.6g}.")
    if np.unique(p).size < 2:
        raise ValueError(
            f"Every row has the same price (${p[0]:g}): try at least two different prices to see how demand responds."
        )
    results = {}
    for name, fit in (("linear", _fit_linear), ("elasticity", _fit_elasticity)):
        found = fit(p, q)
        failed = isinstance(found, FitFailure)
        results[name], results[name + "_failure"] = (None, found) if failed else (found, None)
    return SalesFits(prices=p, units=q, **results)


@dataclass(frozen=True)
class SalesResult:
    """A sales table fitted both ways, and each fit that works analysed (:func:`analyse_sales`)."""

    fits: SalesFits
    #: One :class:`PricingResult` per usable fit, by name, line first (may be empty).
    results: Mapping[str, PricingResult]


def analyse_sales(
    table: pd.DataFrame, unit_cost: float, price: float, fixed_cost: float = 0.0, target: float = 0.0
) -> SalesResult:
    """Fit both demand curves to weekly (price, units) tests and analyse each fit that works.

    Every usable fit is analysed (each takes milliseconds), so that the page can offer exactly
    the fits that work and show the one the visitor picks without a second computation.

    Raises
    ------
    ValueError
        When the table cannot be fitted at all (see :func:`fit_sales`), or for bad costs or price.

    Examples
    --------
    The example weeks are close to the tutorial's store, 1300 − 10p:

    >>> s = analyse_sales(EXAMPLE_SALES, 20, 50)
    >>> list(s.results), round(s.results["linear"].optimum.x, 2)
    (['linear', 'elasticity'], 74.87)
    """
    fits = fit_sales(table)
    results = {
        name: analyse(getattr(fits, name).model, unit_cost, price, fixed_cost, fitted=True, target=target)
        for name in fits.usable()
    }
    return SalesResult(fits, results)


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
        b the user sets (they move A, so they are inputs too). Default: ``model.line``.
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
    The tutorial's store: a $1 higher unit cost moves the best price up 50¢ and the best profit
    down $550, the 550 customers served at $75.

    >>> from optimizers.sensitivity import sensitivity
    >>> rows = {r.parameter: r for r in sensitivity(sensitivity_problem(linear_demand(1300, 10), 20)).rows}
    >>> round(rows["unit_cost"].optimum_change_per_unit, 12), round(rows["unit_cost"].best_change_per_unit, 9)
    (0.5, -550.0)
    """
    if model.kind == "elasticity" and not fitted and line is None:
        line = model.line
        if line is None:
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
