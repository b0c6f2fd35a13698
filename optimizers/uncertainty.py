"""How sure is a fitted optimum? Bootstrap intervals, bands and the cost of a choice.

Where a page fits a curve to a visitor's rows (Pricing with ``model=data``, Fuel calibrated
to a car), the best price or speed is a function of the fit, and the fit of ten rows is not
the truth. This module resamples the rows with replacement, refits the *same* curve to every
resample, re-solves its optimum in closed form and reports the spread:

* a percentile interval (default 90%) from ``scipy.stats.bootstrap`` over resampled row
  indices (at least :data:`MIN_RESAMPLES` resamples, a fixed ``seed`` so that a link
  reproduces its interval). Resamples that cannot be fitted (one distinct price, demand
  rising with price, no finite optimum, ...) are counted by :class:`Failure` and left out
  of the percentiles; when they outnumber one tail of the interval the status says the
  interval cannot be trusted (:attr:`IntervalStatus.UNSTABLE`);
* the 5–95% envelope of the resampled curves over a grid (a band for the chart);
* for Pricing, what a choice costs: the expected and the worst loss of profit at a price
  against each resample's own optimum, and the price that loses least in expectation;
* for Compounding, a deterministic band: the balance at rate − spread and rate + spread.

The refits are closed-form least squares over all resamples at once (one batched solve per
batch of resamples, not one Python-level fit per resample). The delta method from the fit's
covariance (:func:`delta_interval`) is the cheap cross-check: on the same data both agree
within sampling error.

Nothing here says what a number means in words: results are frozen dataclasses of numbers
and enums; ``explain`` writes the sentences.

Examples
--------
The example sales, unit cost $20: the line's best price is $74.87, and the rows place it
between $73.62 and $76.49 (90%).

>>> from optimizers import pricing
>>> boot = price_interval(pricing.fit_sales(pricing.EXAMPLE_SALES), 20.0)
>>> iv = boot.interval
>>> round(iv.estimate, 2), round(iv.low, 2), round(iv.high, 2), iv.status.name, iv.n_failed
(74.87, 73.62, 76.49, 'OK', 0)
"""

from __future__ import annotations

import dataclasses
import enum
import math
import types
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from optimizers import compounding, pricing
from optimizers.calculus import optimize
from optimizers.cost import Cost
from optimizers.fuel import Calibration
from optimizers.progress import checkpoint

__all__ = [
    "BATCH",
    "DEFAULT_LEVEL",
    "DEFAULT_RESAMPLES",
    "DEFAULT_SEED",
    "ENVELOPE_QUANTILES",
    "MAX_RESAMPLES",
    "MIN_RESAMPLES",
    "BalanceBand",
    "ChoiceCost",
    "DeltaInterval",
    "Envelope",
    "Failure",
    "Interval",
    "IntervalStatus",
    "PriceBootstrap",
    "SpeedBootstrap",
    "balance_band",
    "balance_band_cost",
    "delta_interval",
    "price_interval",
    "price_interval_cost",
    "speed_interval",
    "speed_interval_cost",
]

#: Resamples by default, and the fewest accepted: below 1,000 the 5% and 95% percentiles
#: rest on fewer than 50 values each.
DEFAULT_RESAMPLES = 1000
MIN_RESAMPLES = 1000
#: The most accepted (memory: a resample of n rows is n integers, its curve a grid's floats).
MAX_RESAMPLES = 100_000
#: The interval's confidence level by default.
DEFAULT_LEVEL = 0.90
#: The seed of the resampling when none is given: the same rows give the same interval.
DEFAULT_SEED = 22
#: Resamples refitted per batched solve; :func:`optimizers.progress.checkpoint` runs after each.
BATCH = 250
#: The band drawn around a fitted curve: these quantiles of the resampled curves.
ENVELOPE_QUANTILES = (0.05, 0.95)
#: A fit whose residuals are below this share of the data's size is exact: every resample
#: that can be fitted reproduces it, and the interval has zero width.
EXACT_RTOL = 1e-9
#: Points on the default price or speed grid of an envelope (the pages' curves use 121).
CURVE_POINTS = 121
#: Grid of the engine's search for the least-loss price: the resamples' mean profit is smooth
#: between the smallest and the largest resampled optimum (brentq refines to machine precision).
LEAST_LOSS_GRID = 65
#: Share of the progress bar the resampling takes (the rest: the band and the least-loss price).
_RESAMPLING_SHARE = 0.9

# CPU seconds on the reference machine (2 cores, the development box, shared), fitted by least
# squares to process times of 1,000-16,000 resamples of 10-200 rows and rounded up; the command
# and its table are in docs/intervals-and-goal-seek.md, "Cost and speed".
# seconds = setup + resamples * (per_resample + per_row * rows)
_PRICE_COST = (0.003, 1e-6, 1e-8)
_SPEED_COST = {"textbook": (0.002, 1.5e-6, 1e-7), "physical": (0.002, 2e-6, 1.2e-7)}
_BAND_COST = 0.001


class IntervalStatus(enum.Enum):
    """How far an :class:`Interval` can be trusted."""

    #: Percentile interval of the resamples that could be fitted; failures (if any) are at
    #: most one tail's share of the resamples.
    OK = "ok"
    #: The rows lie exactly on the fitted curve: every resample that can be fitted gives the
    #: same optimum, and the interval has zero width.
    EXACT = "exact"
    #: More resamples could not be fitted than one tail of the interval holds ((1 − level)/2):
    #: had they been fitted, they could have moved either end. The rows do not pin the optimum.
    UNSTABLE = "unstable"


class Failure(enum.Enum):
    """Why a resample could not be refitted or has no optimum (counted, never dropped silently)."""

    #: Fewer distinct prices (speeds) than the curve has coefficients.
    FEW_VALUES = "few_values"
    #: Demand does not fall with price in the resample (slope >= 0).
    RISING_DEMAND = "rising_demand"
    #: The fitted line sells nothing at $0 (intercept <= 0).
    NO_SALES = "no_sales"
    #: The fitted elasticity exceeds :data:`optimizers.pricing.MAX_FIT_ELASTICITY`.
    TOO_ELASTIC = "too_elastic"
    #: The fitted constant-elasticity scale overflows.
    OVERFLOW = "overflow"
    #: The refitted curve has no finite optimum (unit cost above the choke price, elasticity
    #: <= 1, a car whose fitted fuel use has no best speed).
    NO_OPTIMUM = "no_optimum"


_FAILURES = tuple(Failure)  # code k > 0 in the batched refits is _FAILURES[k - 1]
_OK, _FEW, _RISING, _NO_SALES, _TOO_ELASTIC, _OVERFLOW, _NO_OPTIMUM = range(7)


@dataclass(frozen=True)
class Interval:
    """A bootstrap interval for a fitted optimum.

    Attributes
    ----------
    estimate : float
        The optimum of the curve fitted to all rows (what the page shows).
    low, high : float
        The percentile interval: the (1 − level)/2 and (1 + level)/2 quantiles of the fitted
        resamples' optima (equal to ``estimate`` when ``status`` is EXACT; nan when no
        resample could be fitted).
    level : float
        The confidence level, e.g. 0.9.
    status : IntervalStatus
    n_resamples, n_fitted : int
        Resamples drawn, and those that could be refitted and have an optimum.
    failures : tuple of (Failure, int)
        How many resamples failed, by reason (only reasons that occurred, in enum order).
    standard_error : float
        Standard deviation of the fitted resamples' optima (nan with fewer than two).
    seed : int
        The seed of the resampling: the same rows and seed give the same interval.
    """

    estimate: float
    low: float
    high: float
    level: float
    status: IntervalStatus
    n_resamples: int
    n_fitted: int
    failures: tuple[tuple[Failure, int], ...]
    standard_error: float
    seed: int

    @property
    def n_failed(self) -> int:
        """Resamples that could not be fitted or had no optimum."""
        return self.n_resamples - self.n_fitted

    @property
    def width(self) -> float:
        return self.high - self.low

    def within(self, lo: float, hi: float) -> Interval:
        """The interval of the optimum held within [lo, hi] (a speed limit, the slowest speed).

        Clipping is monotone and percentiles commute with monotone maps, so the interval of
        the clipped optimum is this one with its ends clipped: exact, not an approximation.

        >>> iv = Interval(23.1, 22.4, 24.0, 0.9, IntervalStatus.OK, 1000, 1000, (), 0.5, 22).within(5.0, 23.5)
        >>> iv.estimate, iv.low, iv.high
        (23.1, 22.4, 23.5)
        """
        if not hi >= lo:
            raise ValueError(f"hi must be at least lo, got lo={lo}, hi={hi}")

        def clip(v: float) -> float:
            return min(max(v, lo), hi) if math.isfinite(v) else v

        return dataclasses.replace(self, estimate=clip(self.estimate), low=clip(self.low), high=clip(self.high))


@dataclass(frozen=True)
class Envelope:
    """Quantiles of the resampled curves on a grid: a band for a chart.

    ``x`` is the grid (price in $, or speed); ``low``/``high`` the ``quantiles`` of the
    resampled curves at each x (profit in $ per week, or economy); ``estimate`` the curve
    fitted to all rows. :meth:`frame` gives the columns ``x``, ``low``, ``high``, ``estimate``.
    """

    x: np.ndarray
    low: np.ndarray
    high: np.ndarray
    estimate: np.ndarray
    quantiles: tuple[float, float]

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({"x": self.x, "low": self.low, "high": self.high, "estimate": self.estimate})


@dataclass(frozen=True)
class ChoiceCost:
    """What choosing ``price`` costs across the resamples, in $ of weekly profit.

    The loss in one resample is its profit at its own best price minus its profit at
    ``price`` (never negative). ``expected_loss`` is its mean over the fitted resamples,
    ``worst_loss`` its maximum, ``share_within`` the share of resamples whose own best
    price is within ``tolerance`` dollars of ``price``.
    """

    price: float
    expected_loss: float
    worst_loss: float
    share_within: float
    tolerance: float


@dataclass(frozen=True, eq=False)
class PriceBootstrap:
    """The bootstrap of a demand fit's best price (see :func:`price_interval`).

    Attributes
    ----------
    fit : {"linear", "elasticity"}
        The demand curve that was refitted.
    model : DemandModel
        The curve fitted to all rows.
    unit_cost, fixed_cost : float
    interval : Interval
        Of the best price.
    params : ndarray, shape (n_fitted, 2)
        Each fitted resample's coefficients: (a, b) of q = a − b·p, or (A, e) of q = A·p^−e.
    optima : ndarray, shape (n_fitted,)
        Each fitted resample's best price.
    best_profits : ndarray, shape (n_fitted,)
        Each fitted resample's profit at its own best price ($ per week, after fixed costs).
    least_loss_price : float
        The price whose expected loss across the resamples is smallest (it maximises the
        resamples' mean profit); it lies between the smallest and largest resampled optimum.
    least_expected_loss, estimate_expected_loss : float
        The expected loss at ``least_loss_price`` and at the point estimate.
    """

    fit: str
    model: pricing.DemandModel
    unit_cost: float
    fixed_cost: float
    interval: Interval
    params: np.ndarray
    optima: np.ndarray
    best_profits: np.ndarray
    least_loss_price: float
    least_expected_loss: float
    estimate_expected_loss: float

    def profits(self, prices) -> np.ndarray:
        """Each fitted resample's weekly profit at ``prices``: shape (n_fitted, len(prices))."""
        p = np.atleast_1d(np.asarray(prices, dtype=float))
        return _profit(self.fit, self.params, self.unit_cost, self.fixed_cost, p[..., None]).T

    def choice(self, price: float, tolerance: float = 1.0) -> ChoiceCost:
        """What choosing ``price`` costs: expected and worst loss against each resample's optimum.

        Parameters
        ----------
        price : float
            The price considered, in $ (> 0).
        tolerance : float
            ``share_within`` counts resampled optima within this many dollars of ``price``.

        Examples
        --------
        >>> from optimizers import pricing
        >>> boot = price_interval(pricing.fit_sales(pricing.EXAMPLE_SALES), 20.0)
        >>> cost = boot.choice(70.0)
        >>> round(cost.expected_loss, 2), round(cost.worst_loss, 2)
        (248.04, 713.51)
        """
        p = _positive("price", price)
        tol = float(tolerance)
        if not (math.isfinite(tol) and tol >= 0):
            raise ValueError(f"tolerance must be a non-negative number of dollars, got {tolerance}")
        loss = self.best_profits - self.profits([p])[:, 0]
        loss = np.maximum(loss, 0.0)  # a resample's optimum beats every price; below 0 is rounding
        return ChoiceCost(
            price=p,
            expected_loss=_mean(loss),
            worst_loss=float(loss.max()) if loss.size else math.nan,
            share_within=float(np.mean(np.abs(self.optima - p) <= tol)) if self.optima.size else math.nan,
            tolerance=tol,
        )

    def envelope(self, prices=None, quantiles: tuple[float, float] = ENVELOPE_QUANTILES) -> Envelope:
        """The band of the resampled profit curves (default 5–95%) over ``prices``.

        ``prices`` defaults to :data:`CURVE_POINTS` prices over the fitted curve's domain (the
        Pricing page's: $0 to the choke price for the line, the unit cost to 3× the best
        price for constant elasticity); pass the page's curve x to draw the band under it.
        """
        p = _default_prices(self) if prices is None else _grid("prices", prices, zero=self.fit == "linear")
        q = _quantiles(quantiles)
        curves = self.profits(p)
        low, high = _band(curves, q)
        point = _point_params(self.fit, self.model)
        estimate = _profit(self.fit, point, self.unit_cost, self.fixed_cost, p[..., None])[..., 0]
        return Envelope(p, low, high, estimate, q)


@dataclass(frozen=True, eq=False)
class SpeedBootstrap:
    """The bootstrap of a calibrated car's most efficient speed (see :func:`speed_interval`).

    ``kind`` is the refitted model ("textbook": u = a·v + b/v, or "physical": u = k·v² + r + i/v,
    u fuel per distance); ``params`` each fitted resample's coefficients in that order
    (shape (n_fitted, 2 or 3)), ``optima`` its most efficient speed, in the calibration's units.
    """

    kind: str
    calibration: Calibration
    interval: Interval
    params: np.ndarray
    optima: np.ndarray

    def envelope(self, speeds=None, quantiles: tuple[float, float] = ENVELOPE_QUANTILES) -> Envelope:
        """The band of the resampled economy curves (MPG or L/100 km) over ``speeds``.

        ``speeds`` defaults to :data:`CURVE_POINTS` speeds over the observed range ± 10%
        (as :meth:`optimizers.fuel.Calibration.curve`). A resample whose fuel use is not
        positive at a speed describes no car there and is left out of that speed's quantiles.
        """
        if speeds is None:
            lo, hi = self.calibration.observed
            v = np.linspace(max(lo - 0.1 * (hi - lo), 1.0), hi + 0.1 * (hi - lo), CURVE_POINTS)
        else:
            v = _grid("speeds", speeds)
        q = _quantiles(quantiles)
        units = self.calibration.units
        per = _design(self.kind, v) @ self.params.T  # (len(v), n_fitted)
        with np.errstate(divide="ignore"):
            economy = np.where(per > 0, units.economy_of(np.where(per > 0, per, 1.0)), np.nan)
        low, high = _band(economy.T, q)
        point = np.array([list(self.calibration.chosen.coefficients.values())])
        estimate = units.economy_of((_design(self.kind, v) @ point.T)[:, 0])
        return Envelope(v, low, high, estimate, q)


@dataclass(frozen=True)
class DeltaInterval:
    """A normal-approximation interval from the fit's covariance (the delta method).

    ``standard_error`` is sqrt(g' C g), g the gradient of the optimum in the fitted
    coefficients and C their covariance s²(X'X)⁻¹ (s² = SSR/(n − p)); ``low``/``high`` are
    ``estimate`` ∓ z·``standard_error`` with z the standard normal quantile of (1 + level)/2.
    """

    estimate: float
    standard_error: float
    low: float
    high: float
    level: float


@dataclass(frozen=True)
class BalanceBand:
    """The balance over time at rate − spread and rate + spread (deterministic, no sampling).

    ``curve`` has columns ``x`` (years, the Compounding page's grid), ``low``, ``value``,
    ``high`` (balances in $). ``value_low``/``value``/``value_high`` are the balances at the
    horizon. The balance rises with the rate, so every rate within ± spread gives a balance
    inside the band at every time.
    """

    rate: float
    rate_spread: float
    low_rate: float
    high_rate: float
    years: float
    value_low: float
    value: float
    value_high: float
    curve: pd.DataFrame


# --- validation ---------------------------------------------------------------------------------


def _positive(name: str, value) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a positive number, got {value!r}") from None
    if not (math.isfinite(v) and v > 0):
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return v


def _check_run(level, n_resamples, seed) -> tuple[float, int, int]:
    lv = float(level)
    if not (0 < lv < 1):
        raise ValueError(f"level must be between 0 and 1 (0.9 for 90%), got {level!r}")
    if isinstance(n_resamples, bool) or not isinstance(n_resamples, int | np.integer):
        raise TypeError(f"n_resamples must be a whole number, got {n_resamples!r}")
    if not MIN_RESAMPLES <= n_resamples <= MAX_RESAMPLES:
        raise ValueError(f"n_resamples must be between {MIN_RESAMPLES} and {MAX_RESAMPLES}, got {n_resamples}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a non-negative whole number, got {seed!r}")
    return lv, int(n_resamples), int(seed)


def _quantiles(q) -> tuple[float, float]:
    lo, hi = (float(v) for v in q)
    if not 0 <= lo < hi <= 1:
        raise ValueError(f"quantiles must satisfy 0 <= low < high <= 1, got {q!r}")
    return lo, hi


def _grid(name: str, values, *, zero: bool = False) -> np.ndarray:
    """A 1-D grid of finite values above 0 (or at least 0 where ``zero``)."""
    try:
        x = np.atleast_1d(np.asarray(values, dtype=float))
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be finite numbers, got {values!r}") from None
    ok = x.ndim == 1 and x.size and np.all(np.isfinite(x)) and np.all(x >= 0 if zero else x > 0)
    if not ok:
        raise ValueError(f"{name} must be finite numbers {'>= 0' if zero else 'above 0'}, got {values!r}")
    return x


# --- the bootstrap ---------------------------------------------------------------------------


def _mean(x: np.ndarray) -> float:
    return float(x.mean()) if x.size else math.nan


def _band(curves: np.ndarray, q: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """Quantiles over resamples (axis 0), ignoring nan (curves undefined at that x)."""
    if not curves.shape[0]:
        nan = np.full(curves.shape[1], math.nan)
        return nan, nan.copy()
    ok = np.isfinite(curves).any(axis=0)
    low, high = np.full(curves.shape[1], math.nan), np.full(curves.shape[1], math.nan)
    if ok.any():
        low[ok], high[ok] = np.nanquantile(curves[:, ok], q, axis=0)
    return low, high


Refit = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]]


def _resample(n_rows: int, refit: Refit, n_resamples: int, level: float, seed: int, estimate: float, exact: bool):
    """scipy.stats.bootstrap over row indices; returns (Interval, params, optima) of the fitted.

    ``refit(idx)`` takes resampled row indices, shape (batch, n_rows), and returns the
    coefficients (batch, k), the optima (batch,) and failure codes (batch,; 0 = fitted).
    """
    kept: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    done = 0

    def statistic(idx, axis=-1):
        nonlocal done
        idx = np.asarray(idx, dtype=np.intp)
        with np.errstate(all="ignore"):
            params, optima, codes = refit(idx)
        kept.append((params, optima, codes))
        done += idx.shape[0]
        checkpoint(_RESAMPLING_SHARE * done / n_resamples)
        return np.where(codes == _OK, optima, np.nan)

    rows = np.arange(n_rows)
    common = {"vectorized": True, "axis": -1, "confidence_level": level, "method": "percentile"}
    # Resamples that cannot be fitted are nan in this first distribution; scipy then warns that
    # its interval is nan. That interval is not used: it is recomputed below from the fitted
    # resamples alone, and the failures are counted and returned.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", stats.DegenerateDataWarning)
        first = stats.bootstrap(
            (rows,), statistic, n_resamples=n_resamples, batch=BATCH, rng=np.random.default_rng(seed), **common
        )
    params = np.concatenate([k[0] for k in kept])
    optima = np.concatenate([k[1] for k in kept])
    codes = np.concatenate([k[2] for k in kept])
    dist = first.bootstrap_distribution
    fitted = codes == _OK
    assert np.array_equal(np.isfinite(dist), fitted)  # scipy kept our order and count
    counts = np.bincount(codes, minlength=len(_FAILURES) + 1)
    failures = tuple((f, int(counts[k + 1])) for k, f in enumerate(_FAILURES) if counts[k + 1])
    n_fitted = int(fitted.sum())
    if exact:
        low = high = estimate
        status = IntervalStatus.EXACT
    elif n_fitted:
        # the percentile interval of the fitted resamples: scipy's, without resampling again
        again = stats.bootstrap(
            (rows,),
            statistic,
            n_resamples=0,
            bootstrap_result=types.SimpleNamespace(bootstrap_distribution=dist[fitted]),
            **common,
        )
        low, high = float(again.confidence_interval.low), float(again.confidence_interval.high)
        tail = (1 - level) / 2 * n_resamples
        status = IntervalStatus.UNSTABLE if n_resamples - n_fitted > tail else IntervalStatus.OK
    else:
        low = high = math.nan
        status = IntervalStatus.UNSTABLE
    se = float(np.std(optima[fitted], ddof=1)) if n_fitted > 1 else math.nan
    interval = Interval(
        estimate=float(estimate),
        low=low,
        high=high,
        level=level,
        status=status,
        n_resamples=n_resamples,
        n_fitted=n_fitted,
        failures=failures,
        standard_error=se,
        seed=seed,
    )
    return interval, params[fitted], optima[fitted]


def _line_batch(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Least squares y = intercept + slope·x on each row of (batch, n): (intercept, slope, one value)."""
    xm, ym = x.mean(axis=1, keepdims=True), y.mean(axis=1, keepdims=True)
    dx = x - xm
    slope = np.sum(dx * (y - ym), axis=1) / np.sum(dx * dx, axis=1)
    intercept = ym[:, 0] - slope * xm[:, 0]
    return intercept, slope, x.max(axis=1) == x.min(axis=1)


def _demand_refit(fit: str, prices: np.ndarray, units: np.ndarray, c: float) -> Refit:
    """Refit one demand curve to resampled rows, with optimizers.pricing's checks, in closed form."""
    log_p, log_q = (np.log(prices), np.log(units)) if fit == "elasticity" else (None, None)

    def refit(idx):
        codes = np.zeros(idx.shape[0], dtype=np.intp)
        if fit == "linear":
            a, slope, one = _line_batch(prices[idx], units[idx])
            b = -slope
            optima = (a + b * c) / (2 * b)
            codes[~(c < a / b)] = _NO_OPTIMUM
            codes[~(a > 0)] = _NO_SALES
            params = np.column_stack([a, b])
        else:
            log_a, slope, one = _line_batch(log_p[idx], log_q[idx])
            e = -slope
            optima = c * e / (e - 1)
            codes[~((e > 1) & (c > 0))] = _NO_OPTIMUM
            codes[~(log_a < math.log(_MAX_SCALE))] = _OVERFLOW
            codes[~(e <= pricing.MAX_FIT_ELASTICITY)] = _TOO_ELASTIC
            params = np.column_stack([np.exp(np.minimum(log_a, math.log(_MAX_SCALE))), e])
        codes[~(slope < 0)] = _RISING
        codes[one] = _FEW
        return params, optima, codes

    return refit


#: optimizers.pricing refuses a fitted scale A above this (its numbers overflow).
_MAX_SCALE = 1e200


def _point_params(fit: str, model: pricing.DemandModel) -> np.ndarray:
    return np.array([[model.a, model.b]]) if fit == "linear" else np.array([[model.scale, model.elasticity]])


def _profit(fit: str, params: np.ndarray, c: float, fixed: float, p: np.ndarray) -> np.ndarray:
    """Weekly profit of every parameter row at prices p (broadcast: p[..., None] against rows)."""
    if fit == "linear":
        a, b = params[:, 0], params[:, 1]
        return (p - c) * np.maximum(a - b * p, 0.0) - fixed
    scale, e = params[:, 0], params[:, 1]
    with np.errstate(over="ignore"):
        return scale * (p - c) * p ** (-e) - fixed


def _dprofit(fit: str, params: np.ndarray, c: float, p: np.ndarray) -> np.ndarray:
    if fit == "linear":
        a, b = params[:, 0], params[:, 1]
        return np.where(a - b * p > 0, a - 2 * b * p + b * c, 0.0)
    scale, e = params[:, 0], params[:, 1]
    return scale * p ** (-e - 1) * (e * c - (e - 1) * p)


def _d2profit(fit: str, params: np.ndarray, c: float, p: np.ndarray) -> np.ndarray:
    if fit == "linear":
        a, b = params[:, 0], params[:, 1]
        return np.where(a - b * p > 0, -2 * b, 0.0)
    scale, e = params[:, 0], params[:, 1]
    return scale * e * p ** (-e - 2) * ((e - 1) * p - c * (e + 1))


class _MeanProfit:
    """The resamples' mean profit as a function of price, with derivatives, for the engine."""

    def __init__(self, fit: str, params: np.ndarray, c: float, fixed: float) -> None:
        self.fit, self.params, self.c, self.fixed = fit, params, c, fixed

    def f(self, p):
        return _profit(self.fit, self.params, self.c, self.fixed, np.asarray(p, dtype=float)[..., None]).mean(-1)

    def df(self, p):
        return _dprofit(self.fit, self.params, self.c, np.asarray(p, dtype=float)[..., None]).mean(-1)

    def d2f(self, p):
        return _d2profit(self.fit, self.params, self.c, np.asarray(p, dtype=float)[..., None]).mean(-1)


def _least_loss_price(fit: str, params: np.ndarray, c: float, optima: np.ndarray, mean: _MeanProfit) -> float:
    """The price maximising the resamples' mean profit, i.e. minimising the expected loss.

    Each resample's profit rises up to its own optimum and falls after it, so the mean rises
    below the smallest optimum and falls above the largest: the answer lies between them. Where
    every resampled line still sells across that stretch (no choke price a/b inside it), the mean
    is the quadratic (p − c)(ā − b̄p) − F, best at (ā + b̄c)/(2b̄); otherwise the engine finds it.
    """
    lo, hi = float(optima.min()), float(optima.max())
    if not hi > lo:
        return lo
    if fit == "linear" and np.min(params[:, 0] / params[:, 1]) >= hi:
        a, b = params.mean(axis=0)
        return min(max((a + b * c) / (2 * b), lo), hi)
    return optimize(mean.f, lo, hi, "max", df=mean.df, d2f=mean.d2f, n=LEAST_LOSS_GRID).x


def _default_prices(boot: PriceBootstrap) -> np.ndarray:
    m, c = boot.model, boot.unit_cost
    if boot.fit == "linear":
        return np.linspace(0.0, m.a / m.b, CURVE_POINTS)
    lo = c if c > 0 else 0.01
    return np.linspace(lo, 3 * boot.interval.estimate, CURVE_POINTS)


def price_interval(
    sales: pricing.SalesFits | pd.DataFrame,
    unit_cost: float,
    fit: str = "linear",
    fixed_cost: float = 0.0,
    *,
    level: float = DEFAULT_LEVEL,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> PriceBootstrap:
    """A bootstrap interval for the best price of a demand curve fitted to weekly sales.

    Resamples the (price, units) rows with replacement, refits ``fit`` to every resample
    (closed-form least squares, all resamples of a batch at once, with the checks of
    :func:`optimizers.pricing.fit_sales`), and re-solves the best price: (a + b·c)/(2b) for
    the line, c·e/(e − 1) for constant elasticity.

    Parameters
    ----------
    sales : SalesFits or DataFrame
        From :func:`optimizers.pricing.fit_sales`, or a table with ``price`` and ``units``
        columns (then fitted here).
    unit_cost : float
        c, $ per unit (>= 0).
    fit : {"linear", "elasticity"}
        The curve the page optimises with (``SalesFits.usable()``).
    fixed_cost : float
        F, $ per week (>= 0): lowers every profit, moves no price and no loss.
    level : float
        Confidence level of the interval, in (0, 1).
    n_resamples : int
        Between :data:`MIN_RESAMPLES` and :data:`MAX_RESAMPLES`.
    seed : int
        Seed of the resampling (``np.random.default_rng(seed)``).

    Returns
    -------
    PriceBootstrap
        ``interval`` (an :class:`Interval`), the fitted resamples' coefficients, optima and
        best profits, and the least-expected-loss price; ``choice(price)`` and
        ``envelope(prices)`` work from these without resampling again.

    Raises
    ------
    ValueError
        Bad table (as fit_sales), an unknown or unusable ``fit`` (its reason), a fit with no
        finite best price at this unit cost, or bad ``level``/``n_resamples``/``seed``/costs.
    TypeError
        When ``n_resamples`` is not a whole number.

    Notes
    -----
    Calls :func:`optimizers.progress.checkpoint` after every :data:`BATCH` resamples. CPU
    cost: :func:`price_interval_cost`.

    Examples
    --------
    Ten rows exactly on q = 1300 − 10p: every resample refits the same line, and the
    interval has zero width.

    >>> import pandas as pd
    >>> rows = pd.DataFrame({"price": [40.0, 50, 60, 70, 80, 90, 100, 110, 45, 55]})
    >>> rows["units"] = 1300 - 10 * rows.price
    >>> iv = price_interval(rows, 20.0).interval
    >>> round(iv.estimate, 9), iv.width, iv.status.name
    (75.0, 0.0, 'EXACT')
    """
    fits = sales if isinstance(sales, pricing.SalesFits) else pricing.fit_sales(sales)
    if fit not in ("linear", "elasticity"):
        raise ValueError(f"fit must be 'linear' or 'elasticity', got {fit!r}")
    demand = getattr(fits, fit)
    if demand is None:
        raise ValueError(f"the {fit} fit is not available: {getattr(fits, fit + '_failure')}")
    c, fixed = float(unit_cost), float(fixed_cost)
    if not (math.isfinite(c) and c >= 0):
        raise ValueError(f"unit cost must be a non-negative number, got {unit_cost}")
    if not (math.isfinite(fixed) and fixed >= 0):
        raise ValueError(f"fixed cost must be a non-negative number, got {fixed_cost}")
    level, n_resamples, seed = _check_run(level, n_resamples, seed)
    model = demand.model
    estimate = pricing.optimal_price(model, c)
    if estimate is None:
        raise ValueError(f"the {fit} fit has no finite best price at a unit cost of {c:g}")
    p, q = np.asarray(fits.prices, dtype=float), np.asarray(fits.units, dtype=float)
    if fit == "linear":
        residuals, size = q - (model.a - model.b * p), np.abs(q).max()
    else:
        residuals = np.log(q) - (math.log(model.scale) - model.elasticity * np.log(p))
        size = max(np.abs(np.log(q)).max(), 1.0)
    exact = bool(np.abs(residuals).max() <= EXACT_RTOL * size)
    interval, params, optima = _resample(p.size, _demand_refit(fit, p, q, c), n_resamples, level, seed, estimate, exact)
    best = _profit(fit, params, c, fixed, optima)  # row by row: each resample at its own optimum
    mean = _MeanProfit(fit, params, c, fixed)
    least = _least_loss_price(fit, params, c, optima, mean) if optima.size else estimate
    checkpoint(1.0)
    best_mean = _mean(best)
    return PriceBootstrap(
        fit=fit,
        model=model,
        unit_cost=c,
        fixed_cost=fixed,
        interval=interval,
        params=params,
        optima=optima,
        best_profits=best,
        least_loss_price=float(least),
        least_expected_loss=max(best_mean - float(mean.f(least)), 0.0) if optima.size else math.nan,
        estimate_expected_loss=max(best_mean - float(mean.f(estimate)), 0.0) if optima.size else math.nan,
    )


# --- Fuel: the most efficient speed of a calibrated car ------------------------------------------


def _design(kind: str, v: np.ndarray) -> np.ndarray:
    """Columns of fuel per distance's least squares at speeds v (any shape; columns last)."""
    if kind == "textbook":
        return np.stack([v, 1 / v], axis=-1)
    return np.stack([v * v, np.ones_like(v), 1 / v], axis=-1)


def _speed_optima(kind: str, coef: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(most efficient speeds, ok) for coefficient rows, with optimizers.fuel's model checks."""
    if kind == "textbook":
        a, b = coef[:, 0], coef[:, 1]
        ok = (a > 0) & (b > 0) & np.isfinite(a) & np.isfinite(b)
        return np.sqrt(np.where(ok, b / a, 1.0)), ok
    k, r, i = coef[:, 0], coef[:, 1], coef[:, 2]
    ok = (k > 0) & (i > 0) & np.isfinite(coef).all(axis=1)
    v = np.cbrt(np.where(ok, i / (2 * k), 1.0))
    ok &= k * v * v + r + i / v > 0
    return v, ok


def _speed_refit(kind: str, v: np.ndarray, per: np.ndarray) -> Refit:
    """Refit one fuel model to resampled rows: batched QR least squares (columns scaled)."""
    x0 = _design(kind, v)
    scale = np.sqrt(np.sum(x0 * x0, axis=0))  # equal column norms: QR as well conditioned as the data allow
    n_coef = x0.shape[1]

    def refit(idx):
        vs = v[idx]
        distinct = 1 + np.count_nonzero(np.diff(np.sort(vs, axis=1), axis=1) > 0, axis=1)
        few = distinct < n_coef
        x = _design(kind, vs) / scale
        y = per[idx]
        x[few], y[few] = x0 / scale, per  # solvable stand-ins; these resamples are counted as failed
        qm, rm = np.linalg.qr(x)
        coef = np.linalg.solve(rm, np.matmul(np.swapaxes(qm, 1, 2), y[..., None]))[..., 0] / scale
        optima, ok = _speed_optima(kind, coef)
        codes = np.where(ok, _OK, _NO_OPTIMUM)
        codes[few] = _FEW
        return coef, optima, codes

    return refit


def speed_interval(
    calibration: Calibration,
    *,
    level: float = DEFAULT_LEVEL,
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> SpeedBootstrap:
    """A bootstrap interval for the most efficient speed of a car calibrated to its observations.

    Resamples the (speed, economy) rows with replacement, refits the model the calibration
    chose (the textbook u = a·v + b/v or the physical u = k·v² + r + i/v, u fuel per distance,
    least squares as :func:`optimizers.fuel.fit_observations`), and re-solves the most
    efficient speed √(b/a) or (i/2k)^(1/3). A resample with fewer distinct speeds than
    coefficients, or whose coefficients describe no car with a best speed, is counted as a
    :class:`Failure`.

    Parameters
    ----------
    calibration : Calibration
        From :func:`optimizers.fuel.fit_observations`; speeds and economy in its units.
    level, n_resamples, seed
        As :func:`price_interval`.

    Returns
    -------
    SpeedBootstrap
        ``interval`` (speed in the calibration's units), the fitted resamples' coefficients
        and optima; ``envelope(speeds)`` gives the band of economy curves.

    Raises
    ------
    ValueError
        For bad ``level``/``n_resamples``/``seed``.
    TypeError
        When ``calibration`` is not a Calibration, or ``n_resamples`` not a whole number.

    Notes
    -----
    Calls :func:`optimizers.progress.checkpoint` after every :data:`BATCH` resamples. CPU
    cost: :func:`speed_interval_cost`.

    Examples
    --------
    The Fuel page's example car: the seed's model fits it best, with its most efficient speed
    at 23.1 mph (below the slowest observation, 30 mph); the six rows place it at 22.4–24.0 mph.

    >>> from optimizers import fuel
    >>> iv = speed_interval(fuel.fit_observations(fuel.EXAMPLE_OBSERVATIONS)).interval
    >>> round(iv.estimate, 2), round(iv.low, 1), round(iv.high, 1), iv.status.name
    (23.12, 22.4, 24.0, 'OK')
    """
    if not isinstance(calibration, Calibration):
        raise TypeError(f"calibration must come from optimizers.fuel.fit_observations, got {type(calibration)}")
    level, n_resamples, seed = _check_run(level, n_resamples, seed)
    kind = calibration.chosen.kind.value
    v = np.asarray(calibration.speeds, dtype=float)
    per = np.asarray(calibration.units.per_distance_of(calibration.economy), dtype=float)
    coef = np.array(list(calibration.chosen.coefficients.values()))
    residuals = per - _design(kind, v) @ coef
    exact = bool(np.abs(residuals).max() <= EXACT_RTOL * np.abs(per).max())
    estimate = calibration.model.best_speed()
    interval, params, optima = _resample(v.size, _speed_refit(kind, v, per), n_resamples, level, seed, estimate, exact)
    checkpoint(1.0)
    return SpeedBootstrap(kind=kind, calibration=calibration, interval=interval, params=params, optima=optima)


# --- the delta method: the cross-check from the fit's covariance --------------------------------


def _delta(x: np.ndarray, y: np.ndarray, coef: np.ndarray, grad: np.ndarray, estimate: float, level: float):
    n, k = x.shape
    ssr = float(np.sum((y - x @ coef) ** 2))
    if n <= k:
        se = math.nan
    else:
        cov = ssr / (n - k) * np.linalg.inv(x.T @ x)
        se = math.sqrt(max(float(grad @ cov @ grad), 0.0))
    z = float(stats.norm.ppf(0.5 + level / 2))
    return DeltaInterval(float(estimate), se, estimate - z * se, estimate + z * se, level)


def delta_interval(
    fitted: pricing.SalesFits | Calibration,
    unit_cost: float | None = None,
    fit: str = "linear",
    *,
    level: float = DEFAULT_LEVEL,
) -> DeltaInterval:
    """The delta-method interval of a fitted optimum: the bootstrap's analytic cross-check.

    For Pricing (``fitted`` a SalesFits, ``unit_cost`` given): p* = (a + b·c)/(2b) from the
    line's intercept and slope, or p* = c·e/(e − 1) from the log-log slope −e. For Fuel
    (``fitted`` a Calibration): v* = √(b/a) or (i/2k)^(1/3) from the chosen model's
    coefficients. The coefficients' covariance is s²(X'X)⁻¹ of the least squares that fitted
    them (assuming equal, independent errors; the bootstrap of rows assumes neither).

    Examples
    --------
    >>> from optimizers import pricing
    >>> d = delta_interval(pricing.fit_sales(pricing.EXAMPLE_SALES), 20.0)
    >>> round(d.estimate, 2), round(d.standard_error, 2), round(d.low, 2), round(d.high, 2)
    (74.87, 0.95, 73.31, 76.43)
    """
    lv = float(level)
    if not 0 < lv < 1:
        raise ValueError(f"level must be between 0 and 1 (0.9 for 90%), got {level!r}")
    if isinstance(fitted, Calibration):
        kind = fitted.chosen.kind.value
        v = np.asarray(fitted.speeds, dtype=float)
        per = np.asarray(fitted.units.per_distance_of(fitted.economy), dtype=float)
        coef = np.array(list(fitted.chosen.coefficients.values()))
        s = fitted.model.best_speed()
        if kind == "textbook":
            grad = np.array([-s / (2 * coef[0]), s / (2 * coef[1])])
        else:
            grad = np.array([-s / (3 * coef[0]), 0.0, s / (3 * coef[2])])
        return _delta(_design(kind, v), per, coef, grad, s, lv)
    if not isinstance(fitted, pricing.SalesFits):
        raise TypeError(f"fitted must be a SalesFits or a Calibration, got {type(fitted)}")
    if fit not in ("linear", "elasticity"):
        raise ValueError(f"fit must be 'linear' or 'elasticity', got {fit!r}")
    demand = getattr(fitted, fit)
    if demand is None:
        raise ValueError(f"the {fit} fit is not available: {getattr(fitted, fit + '_failure')}")
    if unit_cost is None:
        raise ValueError("unit_cost is needed for a best price")
    c = float(unit_cost)
    m = demand.model
    estimate = pricing.optimal_price(m, c)
    if estimate is None:
        raise ValueError(f"the {fit} fit has no finite best price at a unit cost of {c:g}")
    p, q = np.asarray(fitted.prices, dtype=float), np.asarray(fitted.units, dtype=float)
    if fit == "linear":  # q = alpha + beta p, alpha = a, beta = -b: p* = -alpha/(2 beta) + c/2
        alpha, beta = m.a, -m.b
        x, y = np.column_stack([np.ones_like(p), p]), q
        grad = np.array([-1 / (2 * beta), alpha / (2 * beta * beta)])
    else:  # log q = lambda + beta log p, beta = -e: p* = c beta/(beta + 1)
        alpha, beta = math.log(m.scale), -m.elasticity
        x, y = np.column_stack([np.ones_like(p), np.log(p)]), np.log(q)
        grad = np.array([0.0, c / (beta + 1) ** 2])
    return _delta(x, y, np.array([alpha, beta]), grad, estimate, lv)


# --- Compounding: a rate spread ----------------------------------------------------------------


def balance_band(
    principal: float,
    rate: float,
    years: float,
    rate_spread: float,
    frequency: str = "continuous",
    contribution: float = 0.0,
    timing: str = "end",
) -> BalanceBand:
    """The balance over time at ``rate`` − ``rate_spread`` and ``rate`` + ``rate_spread``.

    investor.gov's "range of interest rates": the same principal, contributions, frequency
    and deposit timing as :func:`optimizers.compounding.analyse`, at two rates.

    Parameters
    ----------
    principal, contribution : float
        $ now, and $ deposited every month (>= 0).
    rate, rate_spread : float
        Fractions a year: 0.07 and 0.02 are 7% ± 2 percentage points (5% to 9%).
    years : float
        The horizon (>= 0).
    frequency, timing : str
        As :func:`optimizers.compounding.analyse`.

    Raises
    ------
    ValueError
        Negative amounts, years or spread, a non-finite rate, a low rate that wipes out the
        balance in one period, or a balance that overflows.

    Examples
    --------
    investor.gov's example, $10,000 plus $100 a month at 7% compounded monthly for 10 years
    ($37,405.09), with a ±2-point range: 5% and 9%.

    >>> band = balance_band(10_000, 0.07, 10, 0.02, "monthly", 100)
    >>> round(band.value_low, 2), round(band.value, 2), round(band.value_high, 2)
    (31998.32, 37405.09, 43865.0)
    """
    for name, value in (("principal", principal), ("contribution", contribution)):
        if not (math.isfinite(value) and value >= 0):
            raise ValueError(f"{name} must be a non-negative amount, got {value}")
    if not (math.isfinite(years) and years >= 0):
        raise ValueError(f"years must be a non-negative number, got {years}")
    if not math.isfinite(rate):
        raise ValueError(f"rate must be a finite number, got {rate}")
    if not (math.isfinite(rate_spread) and rate_spread >= 0):
        raise ValueError(f"rate_spread must be a non-negative fraction (0.02 for ±2 points), got {rate_spread}")
    rates = (rate - rate_spread, rate, rate + rate_spread)
    deltas = [compounding.force_of_interest(r, frequency) for r in rates]
    t = np.linspace(0.0, max(float(years), 1e-9), compounding.CURVE_POINTS)
    curves = [compounding.balance(principal, d, contribution, t, timing) for d in deltas]
    ends = [float(compounding.balance(principal, d, contribution, float(years), timing)) for d in deltas]
    for values in (*curves, ends):
        if not np.all(np.isfinite(values)) or np.any(np.abs(values) > compounding.MAX_BALANCE):
            raise ValueError(f"the balance at {rates[2]:.2%} overflows: lower the rate, the spread or the years")
    low, mid, high = curves
    return BalanceBand(
        rate=float(rate),
        rate_spread=float(rate_spread),
        low_rate=rates[0],
        high_rate=rates[2],
        years=float(years),
        value_low=ends[0],
        value=ends[1],
        value_high=ends[2],
        curve=pd.DataFrame({"x": t, "low": low, "value": mid, "high": high}),
    )


# --- what it costs ----------------------------------------------------------------------------


def _check_size(n_rows, n_resamples) -> tuple[int, int]:
    if isinstance(n_rows, bool) or not isinstance(n_rows, int | np.integer) or n_rows < 2:
        raise ValueError(f"n_rows must be a whole number >= 2, got {n_rows!r}")
    if isinstance(n_resamples, bool) or not isinstance(n_resamples, int | np.integer) or n_resamples < 1:
        raise ValueError(f"n_resamples must be a positive whole number, got {n_resamples!r}")
    return int(n_rows), int(n_resamples)


def price_interval_cost(n_rows: int, n_resamples: int = DEFAULT_RESAMPLES) -> Cost:
    """CPU seconds of :func:`price_interval` for ``n_rows`` weekly rows (reference machine).

    >>> cost = price_interval_cost(10)
    >>> cost.tasks, cost.knobs, cost.seconds < 0.1
    (('price_interval',), ('resamples',), True)
    """
    rows, resamples = _check_size(n_rows, n_resamples)
    setup, per_resample, per_row = _PRICE_COST
    return Cost(setup + resamples * (per_resample + per_row * rows), "price_interval", ("resamples",))


def speed_interval_cost(n_rows: int, n_resamples: int = DEFAULT_RESAMPLES, kind: str = "textbook") -> Cost:
    """CPU seconds of :func:`speed_interval` for ``n_rows`` observations (reference machine).

    ``kind`` is the calibration's chosen model (``calibration.chosen.kind``): the physical
    model has three coefficients to refit, the seed's two.

    >>> cost = speed_interval_cost(6)
    >>> cost.tasks, cost.knobs, cost.seconds < speed_interval_cost(6, kind="physical").seconds
    (('speed_interval',), ('resamples',), True)
    """
    rows, resamples = _check_size(n_rows, n_resamples)
    if kind not in _SPEED_COST:
        raise ValueError(f"kind must be 'seed' or 'physical', got {kind!r}")
    setup, per_resample, per_row = _SPEED_COST[kind]
    return Cost(setup + resamples * (per_resample + per_row * rows), "speed_interval", ("resamples",))


def balance_band_cost() -> Cost:
    """CPU seconds of :func:`balance_band` (three balances on the page's grid)."""
    return Cost(_BAND_COST, "balance_band", ())
