"""Compounding: how money grows, how fast it grows right now, and when to sell.

The tutorial's example: V(t) = P e^(r t), so dV/dt = r V(t) — the growth rate is proportional
to what you have — and the doubling time is ln 2 / r. For compounding n times a year the
balance is P (1 + r/n)^(n t), whose force of interest is delta = n ln(1 + r/n), so the
doubling time is ln 2 / delta exactly.

Monthly contributions follow the SEC's investor.gov compound interest calculator: a
deposit at the end of every month, each growing for the time left ($10,000 plus $100 a month
at 7% compounded monthly is $37,405.09 after 10 years). ``timing="start"`` deposits at the
start of every month instead (an annuity due: every deposit earns one month more). Whatever
the compounding frequency, a deposit grows at the equivalent monthly rate e^(delta/12) - 1,
so monthly compounding gives exactly investor.gov's numbers and the others the same force
of interest delta. With contributions the balance doubles *what was put in* later than money
left alone does; :func:`time_to_multiple` finds when with the engine's root finder.

Inflation at i a year makes V worth V / (1 + i)^t in today's money.

"When to sell": an asset worth V(t) = P exp(g sqrt(t)) grows ever more slowly; against an
alternative earning r its present value V(t) e^(-r t) peaks where V'(t)/V(t) = r, at
t* = (g / (2 r))^2.

Everything here is numbers and statuses (:class:`Trend`, :class:`RatesStatus`, :class:`Sale`,
and the :class:`Overflow` and :class:`RatesError` errors that carry what went wrong);
``explain.compounding`` turns them into sentences.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from optimizers.calculus import Optimum, optimize, roots
from optimizers.sensitivity import Param, Problem

if TYPE_CHECKING:  # goalseek and uncertainty import this module; analyse imports them when called
    from optimizers.goalseek import GoalSeek
    from optimizers.uncertainty import BalanceBand

__all__ = [
    "DEFAULTS",
    "FREQUENCIES",
    "INPUTS",
    "PARTS",
    "TIMINGS",
    "CompoundingResult",
    "Overflow",
    "RatesError",
    "RatesStatus",
    "Sale",
    "SaleResult",
    "SellReport",
    "Trend",
    "analyse",
    "balance",
    "best_time_to_sell",
    "comparison_table",
    "deposits",
    "doubling_time",
    "force_of_interest",
    "paid_in",
    "parse_rates",
    "rate_needed",
    "sell",
    "sell_sensitivity_problem",
    "time_to_multiple",
]

#: Compounding periods per year; None is continuous.
FREQUENCIES: dict[str, int | None] = {
    "continuous": None,
    "annually": 1,
    "quarterly": 4,
    "monthly": 12,
    "daily": 365,
}
DEFAULTS = {
    "principal": 10_000.0,
    "rate": 5.0,
    "years": 10.0,
    "frequency": "continuous",
    "contribution": 0.0,
    "target_multiple": 2.0,
    "target_years": 10.0,
    "asset_growth": 0.5,
    "rates": "5, 7, 10",
    "timing": "end",
    "inflation": 0.0,
    "target": 0.0,
    "rate_spread": 0.0,
}
#: When monthly contributions are deposited: at the end of each month (investor.gov) or at
#: the start (an annuity due).
TIMINGS = ("end", "start")
#: The order in which the balance's parts stack, bottom first.
PARTS = ("principal", "contributions", "interest")
COMPARISON_YEARS = (5, 10, 20, 30)
CURVE_POINTS = 121
#: Larger balances are not money any more; refuse them instead of printing 'inf'.
MAX_BALANCE = 1e100
#: Upper end of the search for the best time to sell, in years.
MAX_SELL_YEARS = 1000.0
#: Longest wait :func:`time_to_multiple` looks at, in years.
MAX_MULTIPLE_YEARS = 1000.0
#: The slider range of the rate (% a year) and of the asset growth g, for the sensitivity sweep.
RATE_RANGE = (-20.0, 30.0)
GROWTH_RANGE = (0.05, 3.0)
#: Below this rate (% a year) t* is beyond any horizon and differences in r underflow.
MIN_SENSITIVITY_RATE = 1e-6
#: Each input's (lowest, highest, step) on the page (None: no upper end; the balance's own
#: limit, ``MAX_BALANCE``, stops what cannot be represented). Rate and inflation are in % a year.
INPUTS: dict[str, tuple[float, float | None, float]] = {
    "principal": (0.0, None, 500.0),
    "rate": (*RATE_RANGE, 0.05),
    "years": (0.0, 1000.0, 1.0),
    "contribution": (0.0, None, 50.0),
    "inflation": (0.0, 20.0, 0.1),
    "target_multiple": (1.1, 10.0, 0.1),
    "target_years": (1.0, 60.0, 1.0),
    "asset_growth": (*GROWTH_RANGE, 0.05),
    # a balance to reach ($; 0: none) and investor.gov's range of rates (± percentage points; 0: none)
    "target": (0.0, None, 1000.0),
    "rate_spread": (0.0, 10.0, 0.25),
}
#: A difference below this share of the amounts it compares is rounding noise: shown as 0.
NOISE = 1e-12
#: The rates compared when the visitor's cannot be read (% a year).
DEFAULT_RATES = (5.0, 7.0, 10.0)


class Trend(enum.Enum):
    """Whether the balance is growing, not moving or shrinking at the end (dV/dt)."""

    GROWING = "growing"
    FLAT = "flat"
    SHRINKING = "shrinking"


class RatesStatus(enum.Enum):
    """Whether the rates to compare could be read, and if not, why (:class:`RatesError`)."""

    OK = "ok"
    EMPTY = "empty"
    TOO_MANY = "too_many"
    NOT_A_RATE = "not_a_rate"
    OUT_OF_RANGE = "out_of_range"
    #: The balances at these rates pass ``MAX_BALANCE``.
    OVERFLOW = "overflow"


class RatesError(ValueError):
    """Rates that cannot be compared: ``status`` says why, ``piece`` is the text at fault
    (cut to 20 characters), ``count`` how many rates there were."""

    def __init__(self, status: RatesStatus, piece: str = "", count: int = 0, limit: int = 6) -> None:
        self.status, self.piece, self.count, self.limit = status, piece, count, limit
        messages = {
            RatesStatus.EMPTY: "Enter one or more rates in percent, separated by commas (e.g. 5, 7, 10).",
            RatesStatus.TOO_MANY: f"At most {limit} rates, got {count}.",
            RatesStatus.NOT_A_RATE: f"'{piece}' is not a rate in percent.",
            RatesStatus.OUT_OF_RANGE: f"Rates must be between -50% and 100%, got '{piece}'.",
            RatesStatus.OVERFLOW: "At these rates the comparison overflows: more than $1e100.",
        }
        super().__init__(messages[status])

    def __reduce__(self):
        return (RatesError, (self.status, self.piece, self.count, self.limit))


class Overflow(ValueError):
    """A balance beyond ``MAX_BALANCE``: ``what`` overflowed ("balance" after ``years``, or
    the "comparison" table)."""

    def __init__(self, what: str, years: float = math.nan) -> None:
        self.what, self.years = what, years
        where = f"balance after {years:g} years" if what == "balance" else what
        super().__init__(f"The {where} overflows: more than $1e100. Lower the rate, the years or the amounts.")

    def __reduce__(self):
        return (Overflow, (self.what, self.years))


def _tidy(values, scale):
    """``values`` with rounding noise relative to ``scale`` (elementwise) set to exactly 0."""
    values = np.asarray(values, dtype=float)
    limit = NOISE * np.maximum(np.abs(np.asarray(scale, dtype=float)), 1.0)
    return np.where(np.abs(values) <= limit, 0.0, values) + 0.0


def _periods(frequency: str) -> int | None:
    if frequency not in FREQUENCIES:
        raise ValueError(f"frequency must be one of {', '.join(FREQUENCIES)}, got {frequency!r}")
    return FREQUENCIES[frequency]


def force_of_interest(rate: float, frequency: str = "continuous") -> float:
    """delta such that the balance grows as e^(delta t): r, or n ln(1 + r/n).

    >>> round(force_of_interest(0.05, "annually"), 12)
    0.048790164169
    """
    n = _periods(frequency)
    if n is None:
        return float(rate)
    if rate <= -n:
        raise ValueError(f"a rate of {rate:.0%} compounded {frequency} wipes out the balance in one period")
    return n * math.log1p(rate / n)


def doubling_time(rate: float, frequency: str = "continuous") -> float:
    """Years to double: ln 2 / delta. Infinite at 0%; negative rates give -half-life.

    >>> round(doubling_time(0.05), 2)
    13.86
    >>> round(doubling_time(0.05, "annually"), 4)
    14.2067
    """
    delta = force_of_interest(rate, frequency)
    return math.inf if delta == 0 else math.log(2) / delta


def _growth(delta: float, t):
    return np.exp(delta * np.asarray(t, dtype=float))


def _check_finite_money(values, what: str, years: float = math.nan) -> None:
    arr = np.asarray(values, dtype=float)
    if not np.all(np.isfinite(arr)) or np.any(np.abs(arr) > MAX_BALANCE):
        raise Overflow(what, years)


def _check_timing(timing: str) -> int:
    """1 for end-of-month deposits (the first at 1/12 year), 0 for start-of-month (the first at 0)."""
    if timing not in TIMINGS:
        raise ValueError(f"timing must be one of {', '.join(TIMINGS)}, got {timing!r}")
    return 1 if timing == "end" else 0


def deposits(t, timing: str = "end") -> np.ndarray:
    """How many monthly contributions have been made by time t (years).

    End of month: at 1/12, 2/12, ... (floor(12 t)). Start of month: at 0, 1/12, ... but not
    at t itself, so after N whole years there are 12 N of them either way (ceil(12 t)).

    >>> deposits([0, 0.5, 1.0], "end").tolist(), deposits([0, 0.5, 1.0], "start").tolist()
    ([0.0, 6.0, 12.0], [0.0, 6.0, 12.0])
    >>> deposits(0.01, "end").item(), deposits(0.01, "start").item()
    (0.0, 1.0)
    """
    t = np.asarray(t, dtype=float)
    if _check_timing(timing):
        return np.floor(12 * t + 1e-9)
    return np.maximum(np.ceil(12 * t - 1e-9), 0.0)


def balance(principal: float, delta: float, contribution: float, t, timing: str = "end") -> np.ndarray:
    """P e^(delta t) plus every monthly contribution made by t, each grown for the time left."""
    t = np.asarray(t, dtype=float)
    shift = _check_timing(timing)
    with np.errstate(over="ignore", invalid="ignore"):
        value = principal * _growth(delta, t)
        if contribution:
            months = deposits(t, timing)
            q1 = math.expm1(delta / 12)  # one month of growth, q - 1, without cancellation
            # sum_{j=0}^{M-1} q^j = (q^M - 1) / (q - 1), grown from the last deposit, at (M - 1 + shift) / 12, to t
            series = months if abs(q1) < 1e-290 else np.expm1(months * delta / 12) / q1  # subnormal: M
            last = np.maximum(months - 1 + shift, 0) / 12
            value = value + contribution * series * _growth(delta, t - last)
    return value


def paid_in(principal: float, contribution: float, t, timing: str = "end") -> np.ndarray:
    """What was put in by time t: the principal plus the contributions made so far."""
    return principal + contribution * deposits(t, timing)


@dataclass(frozen=True)
class CompoundingResult:
    """Everything the Compounding page shows about growth (see :func:`analyse`).

    ``rate``, ``inflation`` and ``rate_needed`` are fractions a year; ``doubling_years`` is
    ln 2 / delta for money left alone (negative: minus the half-life; infinite at 0%);
    ``contribution_doubling_years`` when the balance is twice (half) what was put in, with the
    monthly additions. ``comparison`` is the balance of the principal left alone at
    ``comparison_rates`` (% a year) after 5, 10, 20 and 30 years: the visitor's rates, or
    ``DEFAULT_RATES`` when they cannot be read (``rates_status`` and ``rates_error`` say why).
    """

    principal: float
    rate: float
    years: float
    frequency: str
    contribution: float
    timing: str
    inflation: float
    delta: float
    value: float
    real_value: float
    contributed: float
    growth_per_year: float
    interest_per_year: float
    trend: Trend
    doubling_years: float
    contribution_doubling_years: float
    rule_of_72_years: float
    target_multiple: float
    target_years: float
    rate_needed: float
    comparison: pd.DataFrame
    comparison_rates: tuple[float, ...]
    rates_status: RatesStatus
    rates_error: RatesError | None
    curve: pd.DataFrame
    parts: pd.DataFrame
    schedule: pd.DataFrame
    #: The balance the visitor wants to reach ($; 0: none), and when the balance equals it in
    #: [0, years] (None without a target or a horizon, years = 0).
    target: float = 0.0
    goal: GoalSeek | None = None
    #: The balance at rate ± ``rate_spread`` (``analyse(rate_spread=...)``); None without a
    #: spread (0), or when the balance at the higher rate would pass ``MAX_BALANCE``
    #: (``band_overflows``).
    band: BalanceBand | None = None
    band_overflows: bool = False


def analyse(
    principal: float,
    rate: float,
    years: float,
    frequency: str = "continuous",
    contribution: float = 0.0,
    timing: str = "end",
    inflation: float = 0.0,
    *,
    target_multiple: float = 2.0,
    target_years: float = 10.0,
    rates: str = "5, 7, 10",
    target: float = 0.0,
    rate_spread: float = 0.0,
) -> CompoundingResult:
    """Balance after ``years``, its growth rate then, doubling time, curves and schedule; the
    rate that grows money ``target_multiple``-fold in ``target_years``; and the tutorial's
    comparison of ``rates`` (text, % a year: "5, 7, 10").

    ``rate`` and ``inflation`` are fractions a year (0.05 for 5%). The growth rate at time t
    is dV/dt = delta V(t) from interest plus 12 C a year from contributions. ``doubling_years``
    is ln 2 / delta (money left alone); with contributions, ``contribution_doubling_years`` is
    when the balance is twice what was put in (half, for a negative rate), by root finding.
    ``real_value`` is the balance in today's money, V / (1 + inflation)^years. Rounding noise
    in the interest earned (balance minus what was put in) is 0.

    ``target`` is a balance to reach, in $ (0: none): ``goal`` holds when the balance equals it
    within the horizon (:func:`optimizers.goalseek.compounding_target`). ``rate_spread`` (a
    fraction: 0.02 for ±2 percentage points; 0: none) gives ``band``, the balance at rate −
    spread and rate + spread (:func:`optimizers.uncertainty.balance_band`, investor.gov's
    range of interest rates).

    Raises
    ------
    ValueError
        A negative amount, negative or non-finite years, a non-finite rate, inflation at or
        below -100%, or an unknown frequency or timing; :class:`Overflow` when a balance would
        pass ``MAX_BALANCE``. Unreadable ``rates`` are not an error (``rates_status``).

    Examples
    --------
    The tutorial: $10,000 at 5% continuously for 10 years is $16,487.21, growing $824.36 a year,
    and doubles in 13.86 years; 6.93% doubles money in 10 years.

    >>> r = analyse(10_000, 0.05, 10)
    >>> round(r.value, 2), round(r.growth_per_year, 2), round(r.doubling_years, 2), round(100 * r.rate_needed, 2)
    (16487.21, 824.36, 13.86, 6.93)
    >>> round(analyse(10_000, 0.07, 10, "monthly", 100).value, 2)  # investor.gov
    37405.09
    >>> round(analyse(10_000, 0.05, 10, inflation=0.02).real_value, 2)  # 16487.21 / 1.02**10
    13525.26
    >>> analyse(10_000, 0.05, 10, rates="5, seven").rates_status
    <RatesStatus.NOT_A_RATE: 'not_a_rate'>
    >>> round(analyse(10_000, 0.05, 30, target=20_000).goal.x[0], 4)  # ln 2 / 0.05
    13.8629
    >>> b = analyse(10_000, 0.07, 10, "monthly", 100, rate_spread=0.02).band  # investor.gov: 5% to 9%
    >>> round(b.value_low, 2), round(b.value_high, 2)
    (31998.32, 43865.0)
    """
    from optimizers import goalseek, uncertainty  # both import this module: imported when first needed

    for name, value in (("target", target), ("rate_spread", rate_spread)):
        if not (math.isfinite(value) and value >= 0):
            raise ValueError(f"{name} must be a non-negative number, got {value}")
    for name, value in (("principal", principal), ("contribution", contribution)):
        if not (math.isfinite(value) and value >= 0):
            raise ValueError(f"{name} must be a non-negative amount, got {value}")
    if not (math.isfinite(years) and years >= 0):
        raise ValueError(f"years must be a non-negative number, got {years}")
    if not math.isfinite(rate):
        raise ValueError(f"rate must be a finite number, got {rate}")
    if not (math.isfinite(inflation) and inflation > -1):
        raise ValueError(f"inflation must be a finite rate above -100%, got {inflation}")
    _check_timing(timing)
    delta = force_of_interest(rate, frequency)
    t_end = float(years)
    value = float(balance(principal, delta, contribution, t_end, timing))
    _check_finite_money([value, delta * value], "balance", t_end)
    contributed = float(paid_in(principal, contribution, t_end, timing))
    interest_rate = delta * value

    t = np.linspace(0.0, max(t_end, 1e-9), CURVE_POINTS)
    v = balance(principal, delta, contribution, t, timing)
    _check_finite_money(v, "balance", t_end)
    paid = paid_in(principal, contribution, t, timing)
    curve = pd.DataFrame({"x": t, "value": v, "derivative": delta * v + 12 * contribution})
    amounts = {
        "principal": np.full_like(t, principal),
        "contributions": paid - principal,
        "interest": _tidy(v - paid, v),
    }
    # Long format, one block of rows per part (one frame: a frame per part and concat cost 3x more).
    parts = pd.DataFrame(
        {
            "year": np.tile(t, len(PARTS)),
            "amount": np.concatenate([amounts[p] for p in PARTS]),
            "part": np.repeat(np.array(PARTS, dtype=object), len(t)),
            "order": np.repeat(np.arange(len(PARTS)), len(t)),
        }
    )
    marks = np.unique(np.concatenate([np.arange(0.0, math.floor(t_end) + 1), [t_end]]))
    sv = balance(principal, delta, contribution, marks, timing)
    spaid = paid_in(principal, contribution, marks, timing)
    schedule = pd.DataFrame(
        {
            "year": marks,
            "balance": sv,
            "contributed": spaid,
            "interest_earned": _tidy(sv - spaid, sv),
            "growth_per_year": delta * sv + 12 * contribution,
        }
    )
    growth = float(_tidy(interest_rate + 12 * contribution, max(abs(interest_rate), 12 * contribution)))
    try:
        shown = tuple(dict.fromkeys(parse_rates(rates)))
        comparison, rates_error = comparison_table(principal, list(shown), frequency), None
    except RatesError as exc:
        shown, rates_error = DEFAULT_RATES, exc
    except Overflow:
        shown, rates_error = DEFAULT_RATES, RatesError(RatesStatus.OVERFLOW)
    if rates_error is not None:
        comparison = comparison_table(principal, list(shown), frequency)
    band, band_overflows = None, False
    if rate_spread:
        force_of_interest(rate - rate_spread, frequency)  # a low rate that wipes out the balance is an input error
        try:
            band = uncertainty.balance_band(principal, rate, t_end, rate_spread, frequency, contribution, timing)
        except ValueError:  # the balance at the higher rate is beyond MAX_BALANCE
            band_overflows = True
    return CompoundingResult(
        principal=float(principal),
        rate=float(rate),
        years=t_end,
        frequency=frequency,
        contribution=float(contribution),
        timing=timing,
        inflation=float(inflation),
        delta=delta,
        value=value,
        real_value=value / (1 + inflation) ** t_end,
        contributed=contributed,
        growth_per_year=growth,
        interest_per_year=interest_rate,
        trend=Trend.GROWING if growth > 0 else Trend.SHRINKING if growth < 0 else Trend.FLAT,
        doubling_years=doubling_time(rate, frequency),
        contribution_doubling_years=(
            time_to_multiple(principal, delta, contribution, timing) if contribution else doubling_time(rate, frequency)
        ),
        rule_of_72_years=math.inf if rate == 0 else 72 / (100 * rate),
        target_multiple=float(target_multiple),
        target_years=float(target_years),
        rate_needed=rate_needed(target_multiple, target_years, frequency),
        comparison=comparison,
        comparison_rates=shown,
        rates_status=RatesStatus.OK if rates_error is None else rates_error.status,
        rates_error=rates_error,
        curve=curve,
        parts=parts,
        schedule=schedule,
        target=float(target),
        goal=(
            goalseek.compounding_target(principal, rate, t_end, target, frequency, contribution, timing)
            if target and t_end > 0
            else None
        ),
        band=band,
        band_overflows=band_overflows,
    )


def time_to_multiple(principal: float, delta: float, contribution: float, timing: str = "end") -> float:
    """Years until the balance is twice what was put in (half of it when delta < 0).

    What was put in grows with every deposit, so this is later than ln 2 / delta. Between two
    deposits the balance moves smoothly, V(t) = V0 e^(delta (t - t0)), while what was put in
    stays Pi; at a deposit both jump by C, so V - 2 Pi jumps *down* (it can only cross zero
    upwards between deposits; downwards for a half-life). The first month where it crosses is
    found from the balances after every deposit (one vectorised pass), and the crossing inside
    it with the engine's root finder (grid scan + brentq). Infinite at delta = 0 and beyond
    ``MAX_MULTIPLE_YEARS``; with nothing put in yet (P = 0) the clock starts at the first deposit.

    Examples
    --------
    $100 at the end of every month at 7% compounded monthly, nothing else: the balance is
    twice the deposits after 18.04 years (at 18 years it is $43,072.10 for $21,600 put in).

    >>> round(time_to_multiple(0, force_of_interest(0.07, "monthly"), 100), 4)
    18.0425
    >>> round(time_to_multiple(10_000, 0.05, 0), 6) == round(math.log(2) / 0.05, 6)
    True
    """
    for name, value in (("principal", principal), ("contribution", contribution)):
        if not (math.isfinite(value) and value >= 0):
            raise ValueError(f"{name} must be a non-negative amount, got {value}")
    if not math.isfinite(delta):
        raise ValueError(f"delta must be finite, got {delta}")
    shift = _check_timing(timing)
    if delta == 0 or (principal == 0 and contribution == 0):
        return math.inf
    multiple = 2.0 if delta > 0 else 0.5
    # a bound on the answer: a stream alone doubles at delta t = 1.26 and halves at 1.59
    horizon = min(MAX_MULTIPLE_YEARS, 1.7 / abs(delta) + 1.0)
    j = np.arange(-1, math.ceil(12 * horizon) + 1, dtype=float)  # piece j starts with deposit j
    start = np.where(j < 0, 0.0, (j + shift) / 12)  # piece -1: before the first deposit
    end = (j + 1 + shift) / 12
    keep = end > start
    j, start, end = j[keep], start[keep], end[keep]
    with np.errstate(over="ignore", invalid="ignore"):
        v0 = balance(principal, delta, contribution, start, timing)
        if shift == 0:  # balance() counts a start-of-month deposit from just after it is made
            v0 = v0 + np.where(j >= 0, contribution, 0.0)
        pi = principal + contribution * (j + 1)
        v1 = v0 * np.exp(delta * (end - start))
        target = multiple * pi
        crossed = (pi > 0) & ((v1 >= target) if delta > 0 else (v1 <= target))
    if not crossed.any():
        return math.inf
    k = int(np.argmax(crossed))
    t0, t1, a, b = float(start[k]), float(end[k]), float(v0[k]), float(target[k])
    if (a - b) * (1 if delta > 0 else -1) >= 0:  # already there when the piece starts
        return t0
    found = roots(lambda t: a * np.exp(delta * (t - t0)) - b, t0, t1)
    return found[0] if found else t1


def rate_needed(multiple: float, years: float, frequency: str = "continuous") -> float:
    """The annual rate that grows money ``multiple``-fold in ``years``, by root finding.

    Solves log(growth factor at rate r) - log(multiple) = 0 with the engine's grid scan + brentq;
    the closed forms ln(m)/T and n (m^(1/(nT)) - 1) check it in the tests.

    Examples
    --------
    >>> round(rate_needed(2, 10), 6)
    0.069315
    """
    if not (math.isfinite(multiple) and multiple > 0):
        raise ValueError(f"target multiple must be positive, got {multiple}")
    if not (math.isfinite(years) and years > 0):
        raise ValueError(f"target years must be positive, got {years}")
    n = _periods(frequency)
    target = math.log(multiple)
    # In logs the growth factor is linear (continuous) or concave in r, with no overflow.
    hi = max(5.0, 4 * abs(target) / years)
    if n is None:
        lo = -hi

        def log_gap(r):
            return r * years - target
    else:
        lo = -0.999999 * n

        def log_gap(r):
            return n * years * np.log1p(r / n) - target

    found = roots(log_gap, lo, hi)
    if not found:
        raise ValueError(f"no rate between {lo:.0%} and {hi:.0%} grows money {multiple:g}x in {years:g} years")
    return found[0]


def parse_rates(text: str, limit: int = 6) -> list[float]:
    """'5, 7, 10' -> [5.0, 7.0, 10.0] (percent). Raises :class:`RatesError` (a ValueError)
    naming the bad piece.

    >>> parse_rates("5, 7.5;10%")
    [5.0, 7.5, 10.0]
    """
    pieces = [p.strip().rstrip("%").strip() for p in str(text).replace(";", ",").split(",")]
    pieces = [p for p in pieces if p]
    if not pieces:
        raise RatesError(RatesStatus.EMPTY, limit=limit)
    if len(pieces) > limit:
        raise RatesError(RatesStatus.TOO_MANY, count=len(pieces), limit=limit)
    rates = []
    for p in pieces:
        try:
            value = float(p)
        except ValueError:
            raise RatesError(RatesStatus.NOT_A_RATE, p[:20]) from None
        if not (math.isfinite(value) and -50 <= value <= 100):
            raise RatesError(RatesStatus.OUT_OF_RANGE, p[:20])
        rates.append(value + 0.0)  # "-0" is 0%, not "−0%"
    return rates


def comparison_table(principal: float, rates_percent: list[float], frequency: str = "continuous") -> pd.DataFrame:
    """The tutorial's table: the balance of ``principal`` left alone at 5, 10, 20 and 30 years
    for each rate (% a year); columns ``years`` and ``"<rate>%"`` (CSV column names).

    >>> comparison_table(10_000, [5.0]).round(2).to_dict("list")
    {'years': [5, 10, 20, 30], '5%': [12840.25, 16487.21, 27182.82, 44816.89]}
    """
    table = {"years": list(COMPARISON_YEARS)}
    for rate in rates_percent:
        delta = force_of_interest(rate / 100, frequency)
        with np.errstate(over="ignore"):
            values = principal * _growth(delta, COMPARISON_YEARS)
        _check_finite_money(values, "comparison")
        table.setdefault(f"{rate:g}%", values)  # 5 and 5.0000001 are both "5%": the first is shown
    return pd.DataFrame(table)


class _SellValue:
    """P exp(g sqrt(t) - (R/100) t) with analytic t-derivatives; g = ``asset_growth``, R =
    ``rate`` in % a year, as the page's URL keys name them (picklable, complex-safe)."""

    def __init__(self, scale: float) -> None:
        self.scale = scale

    def f(self, t, asset_growth, rate):
        return self.scale * np.exp(asset_growth * np.sqrt(t) - rate / 100 * t)

    def df(self, t, asset_growth, rate):
        return self.f(t, asset_growth, rate) * (asset_growth / (2 * np.sqrt(t)) - rate / 100)

    def d2f(self, t, asset_growth, rate):
        s = asset_growth / (2 * np.sqrt(t)) - rate / 100
        return self.f(t, asset_growth, rate) * (s * s - asset_growth / (4 * t**1.5))


#: The search for the best time to sell starts just after 0 (V'/V is infinite at t = 0).
_SELL_FROM = 1e-6


@dataclass(frozen=True)
class SellReport:
    """When to sell an asset worth P exp(g sqrt(t)) when the alternative earns r.

    ``optimum`` is of the present value *per dollar* the asset is worth today (the best time
    does not depend on the amount); ``present_value`` = P × ``per_dollar`` is the page's
    "Present value then" ($0 when there is no principal).
    """

    principal: float
    growth: float
    rate: float
    optimum: Optimum
    closed_form: float
    per_dollar: float
    present_value: float
    curve: pd.DataFrame
    rates: pd.DataFrame


def best_time_to_sell(principal: float, growth: float, rate: float) -> SellReport:
    """Maximise the present value P exp(g sqrt(t) - r t): t* = (g / (2 r))^2.

    Examples
    --------
    >>> r = best_time_to_sell(10_000, 0.5, 0.05)
    >>> round(r.optimum.x, 9), r.closed_form, round(r.present_value, 2)  # 10,000 e^1.25
    (25.0, 25.0, 34903.43)
    >>> best_time_to_sell(0, 0.5, 0.05).present_value
    0.0
    """
    if not (math.isfinite(principal) and principal >= 0):
        raise ValueError(f"principal must be a non-negative amount, got {principal}")
    if not (math.isfinite(growth) and growth > 0):
        raise ValueError(f"asset growth g must be positive, got {growth}")
    if not (math.isfinite(rate) and rate > 0):
        raise ValueError(f"the alternative must earn a positive rate to make selling worth it, got {rate:.2%}")
    t_star = (growth / (2 * rate)) ** 2
    lo, hi = _SELL_FROM, min(max(3 * t_star, 10.0), MAX_SELL_YEARS)
    unit = _SellValue(1.0)
    g, pct = growth, 100 * rate
    opt = optimize(
        lambda t: unit.f(t, g, pct), lo, hi, "max", df=lambda t: unit.df(t, g, pct), d2f=lambda t: unit.d2f(t, g, pct)
    )
    t = np.linspace(max(lo, min(t_star, hi) / 50), hi, CURVE_POINTS)  # V'/V is infinite at t = 0
    rel = growth / (2 * np.sqrt(t))
    curve = pd.DataFrame({"x": t, "value": principal * unit.f(t, g, pct), "derivative": principal * unit.df(t, g, pct)})
    rates = pd.concat(
        [
            pd.DataFrame({"year": t, "rate": 100 * rel, "line": "asset's growth rate V'/V"}),
            pd.DataFrame({"year": t, "rate": np.full_like(t, 100 * rate), "line": "alternative r"}),
        ],
        ignore_index=True,
    )
    return SellReport(
        principal=float(principal),
        growth=growth,
        rate=rate,
        optimum=opt,
        closed_form=t_star,
        per_dollar=opt.fun,
        present_value=principal * opt.fun,
        curve=curve,
        rates=rates,
    )


def sell_sensitivity_problem(principal: float, growth: float, rate_percent: float) -> Problem:
    """The best time to sell as an optimisation problem over g and r (for
    :func:`optimizers.sensitivity.sensitivity`).

    The inputs are the page's ``asset_growth`` (g, per sqrt(year)) and ``rate`` (r, % a year),
    each over its slider range (r only where it is positive). The best value is the present
    value in dollars, or per dollar of today's value when there is no principal.
    dt*/dg = 2 t*/g and dt*/dr = -2 t*/r.

    Examples
    --------
    >>> from optimizers.sensitivity import sensitivity
    >>> rows = sensitivity(sell_sensitivity_problem(10_000, 0.5, 5.0)).rows
    >>> [(r.parameter, round(r.optimum_change_per_unit, 6)) for r in rows]  # 2·25/0.5, -2·25/5
    [('asset_growth', 100.0), ('rate', -10.0)]
    """
    if not (math.isfinite(rate_percent) and rate_percent > 0):
        raise ValueError(f"the best time to sell needs a positive rate, got {rate_percent}%")
    if rate_percent < MIN_SENSITIVITY_RATE:
        raise ValueError(
            f"at {rate_percent:.3g}% the best time to sell is far beyond {MAX_SELL_YEARS:,.0f} years; the "
            f"sensitivity needs a rate of at least {MIN_SENSITIVITY_RATE:g}%"
        )
    value = _SellValue(principal if principal > 0 else 1.0)
    lo_g, hi_g = GROWTH_RANGE
    hi_r = RATE_RANGE[1]
    return Problem(
        value.f,
        _SELL_FROM,
        MAX_SELL_YEARS,
        "max",
        (
            Param("asset_growth", float(growth), min(lo_g, growth), max(hi_g, growth), "asset growth g", "per √year"),
            Param("rate", float(rate_percent), min(0.05, rate_percent), max(hi_r, rate_percent), "rate r (%)"),
        ),
        df=value.df,
        d2f=value.d2f,
        x_name="time to sell",
    )


class Sale(enum.Enum):
    """What the "when to sell" question has for an answer."""

    #: The best time (g / 2r)² lies inside the years searched.
    BEST_TIME = "best_time"
    #: It lies beyond ``MAX_SELL_YEARS``: the search stops there.
    BEYOND = "beyond"
    #: The alternative earns nothing or loses: waiting never costs anything, no best time.
    NEVER = "never"


@dataclass(frozen=True)
class SaleResult:
    """The "When to sell" section: ``report`` (None when ``status`` is ``Sale.NEVER``) and the
    best time as a sensitivity ``problem`` (None without a report, or when the rate is below
    ``MIN_SENSITIVITY_RATE`` % a year). ``rate`` is in % a year, as on the page."""

    status: Sale
    principal: float
    growth: float
    rate: float
    report: SellReport | None
    problem: Problem | None


def sell(principal: float, growth: float, rate_percent: float) -> SaleResult:
    """The page's "When to sell" section for an asset worth ``principal`` today growing as
    exp(g sqrt(t)), against an alternative earning ``rate_percent`` % a year.

    Examples
    --------
    >>> s = sell(10_000, 0.5, 5.0)
    >>> s.status, round(s.report.optimum.x, 9), [p.name for p in s.problem.params]
    (<Sale.BEST_TIME: 'best_time'>, 25.0, ['asset_growth', 'rate'])
    >>> sell(10_000, 0.5, 0.0).status, sell(10_000, 3.0, 0.05).status
    (<Sale.NEVER: 'never'>, <Sale.BEYOND: 'beyond'>)
    """
    if not math.isfinite(rate_percent):
        raise ValueError(f"rate must be a finite number, got {rate_percent}")
    if rate_percent <= 0:
        return SaleResult(Sale.NEVER, float(principal), float(growth), float(rate_percent), None, None)
    report = best_time_to_sell(principal, growth, rate_percent / 100)
    status = Sale.BEYOND if report.optimum.at_boundary else Sale.BEST_TIME
    problem = None
    if rate_percent >= MIN_SENSITIVITY_RATE:
        problem = sell_sensitivity_problem(principal, growth, rate_percent)
    return SaleResult(status, float(principal), float(growth), float(rate_percent), report, problem)
