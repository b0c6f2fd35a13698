"""Compounding: how money grows, how fast it grows right now, and when to sell.

The seed: V(t) = P e^(r t), so dV/dt = r V(t) — the growth rate is proportional to what
you have — and the doubling time is ln 2 / r. For compounding n times a year the
balance is P (1 + r/n)^(n t), whose force of interest is delta = n ln(1 + r/n), so the
doubling time is ln 2 / delta exactly.

Monthly contributions follow the SEC's investor.gov compound interest calculator: a
deposit at the end of every month, each growing for the time left.

"When to sell": an asset worth V(t) = P exp(g sqrt(t)) grows ever more slowly; against an
alternative earning r its present value V(t) e^(-r t) peaks where V'(t)/V(t) = r, at
t* = (g / (2 r))^2.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimizers.calculus import Optimum, optimize, roots

__all__ = [
    "DEFAULTS",
    "FREQUENCIES",
    "GrowthReport",
    "SellReport",
    "analyse",
    "best_time_to_sell",
    "comparison_from_text",
    "comparison_table",
    "doubling_time",
    "force_of_interest",
    "parse_rates",
    "rate_needed",
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
}
COMPARISON_YEARS = (5, 10, 20, 30)
CURVE_POINTS = 121
#: Larger balances are not money any more; refuse them instead of printing 'inf'.
MAX_BALANCE = 1e100
#: Upper end of the search for the best time to sell, in years.
MAX_SELL_YEARS = 1000.0


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


def _check_finite_money(values, what: str) -> None:
    arr = np.asarray(values, dtype=float)
    if not np.all(np.isfinite(arr)) or np.any(np.abs(arr) > MAX_BALANCE):
        raise ValueError(
            f"The {what} overflows: more than $1e100, beyond anything a computer (or an economy) "
            "can represent meaningfully. Lower the rate, the years or the amounts."
        )


def balance(principal: float, delta: float, contribution: float, t) -> np.ndarray:
    """P e^(delta t) plus a contribution at the end of every month, each grown for the time left."""
    t = np.asarray(t, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        value = principal * _growth(delta, t)
        if contribution:
            months = np.floor(12 * t + 1e-9)
            q = math.exp(delta / 12)  # one month of growth
            # sum_{j=0}^{M-1} q^j, grown from the last deposit to t
            series = months if abs(q - 1) < 1e-15 else np.expm1(months * delta / 12) / (q - 1)
            value = value + contribution * series * _growth(delta, t - months / 12)
    return value


@dataclass(frozen=True)
class GrowthReport:
    """Everything the Compounding page shows about growth (see :func:`analyse`)."""

    principal: float
    rate: float
    years: float
    frequency: str
    contribution: float
    delta: float
    value: float
    contributed: float
    growth_per_year: float
    interest_per_year: float
    doubling_years: float
    rule_of_72_years: float
    curve: pd.DataFrame
    parts: pd.DataFrame
    schedule: pd.DataFrame


def analyse(principal: float, rate: float, years: float, frequency: str = "continuous", contribution: float = 0.0):
    """Balance after ``years``, its growth rate then, doubling time, curves and schedule.

    ``rate`` is a fraction (0.05 for 5%). The growth rate at time t is dV/dt = delta V(t)
    from interest plus 12 C a year from contributions.

    Examples
    --------
    The seed: $10,000 at 5% continuously for 10 years is $16,487.21, growing $824.36 a year.

    >>> r = analyse(10_000, 0.05, 10)
    >>> round(r.value, 2), round(r.growth_per_year, 2), round(r.doubling_years, 2)
    (16487.21, 824.36, 13.86)
    >>> round(analyse(10_000, 0.07, 10, "monthly", 100).value, 2)  # investor.gov
    37405.09
    """
    for name, value in (("principal", principal), ("contribution", contribution)):
        if not (math.isfinite(value) and value >= 0):
            raise ValueError(f"{name} must be a non-negative amount, got {value}")
    if not (math.isfinite(years) and years >= 0):
        raise ValueError(f"years must be a non-negative number, got {years}")
    if not math.isfinite(rate):
        raise ValueError(f"rate must be a finite number, got {rate}")
    delta = force_of_interest(rate, frequency)
    t_end = float(years)
    value = float(balance(principal, delta, contribution, t_end))
    _check_finite_money([value, delta * value], f"balance after {years:g} years")
    contributed = principal + contribution * math.floor(12 * t_end + 1e-9)
    interest_rate = delta * value

    t = np.linspace(0.0, max(t_end, 1e-9), CURVE_POINTS)
    v = balance(principal, delta, contribution, t)
    _check_finite_money(v, "balance")
    paid = principal + contribution * np.floor(12 * t + 1e-9)
    curve = pd.DataFrame({"x": t, "value": v, "derivative": delta * v + 12 * contribution})
    parts = pd.concat(
        [
            pd.DataFrame({"year": t, "amount": np.full_like(t, principal), "part": "principal"}),
            pd.DataFrame({"year": t, "amount": paid - principal, "part": "contributions"}),
            pd.DataFrame({"year": t, "amount": v - paid, "part": "interest"}),
        ],
        ignore_index=True,
    )
    marks = np.unique(np.concatenate([np.arange(0.0, math.floor(t_end) + 1), [t_end]]))
    sv = balance(principal, delta, contribution, marks)
    spaid = principal + contribution * np.floor(12 * marks + 1e-9)
    schedule = pd.DataFrame(
        {
            "year": marks,
            "balance": sv,
            "contributed": spaid,
            "interest_earned": sv - spaid,
            "growth_per_year": delta * sv + 12 * contribution,
        }
    )
    return GrowthReport(
        principal=float(principal),
        rate=float(rate),
        years=t_end,
        frequency=frequency,
        contribution=float(contribution),
        delta=delta,
        value=value,
        contributed=contributed,
        growth_per_year=interest_rate + 12 * contribution,
        interest_per_year=interest_rate,
        doubling_years=doubling_time(rate, frequency),
        rule_of_72_years=math.inf if rate == 0 else 72 / (100 * rate),
        curve=curve,
        parts=parts,
        schedule=schedule,
    )


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
    """'5, 7, 10' -> [5.0, 7.0, 10.0] (percent). Raises ValueError naming the bad piece.

    >>> parse_rates("5, 7.5;10%")
    [5.0, 7.5, 10.0]
    """
    pieces = [p.strip().rstrip("%").strip() for p in str(text).replace(";", ",").split(",")]
    pieces = [p for p in pieces if p]
    if not pieces:
        raise ValueError("Enter one or more rates in percent, separated by commas (e.g. 5, 7, 10).")
    if len(pieces) > limit:
        raise ValueError(f"At most {limit} rates, got {len(pieces)}.")
    rates = []
    for p in pieces:
        try:
            value = float(p)
        except ValueError:
            raise ValueError(f"'{p[:20]}' is not a rate in percent.") from None
        if not (math.isfinite(value) and -50 <= value <= 100):
            raise ValueError(f"Rates must be between -50% and 100%, got '{p[:20]}'.")
        rates.append(value + 0.0)  # "-0" is 0%, not "−0%"
    return rates


def comparison_table(principal: float, rates_percent: list[float], frequency: str = "continuous") -> pd.DataFrame:
    """The seed's table: the balance at 5, 10, 20, 30 years for each rate."""
    table = {"years": list(COMPARISON_YEARS)}
    for rate in rates_percent:
        delta = force_of_interest(rate / 100, frequency)
        with np.errstate(over="ignore"):
            values = principal * _growth(delta, COMPARISON_YEARS)
        _check_finite_money(values, "comparison table")
        table[f"{rate:g}%"] = values
    return pd.DataFrame(table)


def comparison_from_text(principal: float, text: str, frequency: str = "continuous"):
    """(comparison table, message): the user's rates, or the seed's 5/7/10% with the reason.

    >>> table, message = comparison_from_text(10_000, "5, seven")
    >>> list(table.columns), message
    (['years', '5%', '7%', '10%'], "'seven' is not a rate in percent.")
    """
    try:
        return comparison_table(principal, parse_rates(text), frequency), ""
    except ValueError as exc:
        return comparison_table(principal, [5.0, 7.0, 10.0], frequency), str(exc)


@dataclass(frozen=True)
class SellReport:
    """When to sell an asset worth P exp(g sqrt(t)) when the alternative earns r."""

    growth: float
    rate: float
    optimum: Optimum
    closed_form: float
    curve: pd.DataFrame
    rates: pd.DataFrame


def best_time_to_sell(principal: float, growth: float, rate: float) -> SellReport:
    """Maximise the present value P exp(g sqrt(t) - r t): t* = (g / (2 r))^2.

    Examples
    --------
    >>> r = best_time_to_sell(10_000, 0.5, 0.05)
    >>> round(r.optimum.x, 9), r.closed_form
    (25.0, 25.0)
    """
    if not (math.isfinite(growth) and growth > 0):
        raise ValueError(f"asset growth g must be positive, got {growth}")
    if not (math.isfinite(rate) and rate > 0):
        raise ValueError(f"the alternative must earn a positive rate to make selling worth it, got {rate:.2%}")
    t_star = (growth / (2 * rate)) ** 2
    lo, hi = 1e-6, min(max(3 * t_star, 10.0), MAX_SELL_YEARS)

    def pv(t):
        return principal * np.exp(growth * np.sqrt(t) - rate * t)

    def dpv(t):
        return pv(t) * (growth / (2 * np.sqrt(t)) - rate)

    def d2pv(t):
        s = growth / (2 * np.sqrt(t)) - rate
        return pv(t) * (s * s - growth / (4 * t**1.5))

    opt = optimize(pv, lo, hi, "max", df=dpv, d2f=d2pv)
    t = np.linspace(max(lo, min(t_star, hi) / 50), hi, CURVE_POINTS)  # V'/V is infinite at t = 0
    rel = growth / (2 * np.sqrt(t))
    curve = pd.DataFrame({"x": t, "value": pv(t), "derivative": dpv(t)})
    rates = pd.concat(
        [
            pd.DataFrame({"year": t, "rate": 100 * rel, "line": "asset's growth rate V'/V"}),
            pd.DataFrame({"year": t, "rate": np.full_like(t, 100 * rate), "line": "alternative r"}),
        ],
        ignore_index=True,
    )
    return SellReport(growth=growth, rate=rate, optimum=opt, closed_form=t_star, curve=curve, rates=rates)
