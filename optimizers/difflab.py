"""The derivative lab: how the step h makes or breaks a numerical derivative, sigmoid
overflow, and the gradient check.

The tutorial's point: "smaller h is always better" is wrong. The forward difference's truncation error
shrinks like h while its rounding error grows like eps/h, so the best h is about sqrt(eps);
the central difference balances h**2 against eps/h at about cbrt(eps); the complex step
has no subtraction at all and stays exact down to absurdly small h.

:func:`examine` first decides what there is to measure at x: f may be undefined there (a
logarithm of a negative number), have no derivative (a kink: |x| at 0 has one-sided
derivatives -1 and 1; a vertical tangent), or have a perfectly good derivative that floating
point cannot compute as written (overflow: the naive sigmoid at -800). Only a smooth point
gets the h sweep and the gradient check; where f'(x) = 0 the errors are absolute, since a
relative error of an estimate of 0 means nothing. Where floating point cannot hold f'(x) at
all (it overflows, or is below the smallest positive float), :func:`analyse` adds its exact
value from mpmath. Results are numbers and statuses; :mod:`explain.lab` words them.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

__all__ = [
    "EPS",
    "GRADIENT_RTOL",
    "STEPS",
    "TINY",
    "Domain",
    "Exact",
    "LabReport",
    "Probe",
    "Status",
    "analyse",
    "best_steps",
    "estimates",
    "exact_derivative",
    "examine",
    "gradient_check",
    "probe",
    "sigmoid_naive",
    "sigmoid_stable",
    "sigmoid_table",
    "step_errors",
]

EPS = float(np.finfo(float).eps)
#: h from 1e-16 to 1e-1, four per decade.
STEPS = np.logspace(-16, -1, 61)
#: Errors below this are shown at this floor on log axes (exact to machine precision).
ERROR_FLOOR = 1e-17
#: The gradient check passes when |analytic - central| is below this share of the size of
#: f' (|f'(x)|, or max |f'| near x where f'(x) = 0).
GRADIENT_RTOL = 1e-6
#: The smallest positive float (a subnormal): anything smaller rounds to 0.
TINY = 5e-324


def best_steps(x: float) -> dict[str, float]:
    """The textbook optimal steps at x: sqrt(eps)·max(1,|x|) and cbrt(eps)·max(1,|x|).

    >>> {k: f"{v:.1e}" for k, v in best_steps(3.0).items()}
    {'forward': '4.5e-08', 'central': '1.8e-05'}
    """
    scale = max(1.0, abs(float(x)))
    return {"forward": np.sqrt(EPS) * scale, "central": np.cbrt(EPS) * scale}


def step_errors(f: Callable, exact: float, x: float, steps=STEPS) -> pd.DataFrame:
    """Relative error of the forward, central and complex-step derivatives at x for each h
    (the absolute error where the exact derivative is 0).

    Returns a long table: h, method, estimate, error (floored at 1e-17 for log axes).

    Examples
    --------
    The tutorial's f(x) = x**2 at x = 3: at h = 1e-15 the forward difference is far off.

    >>> t = step_errors(lambda x: x**2, 6.0, 3.0, steps=[1e-15])
    >>> round(float(t.set_index("method").loc["forward", "estimate"]), 2)
    5.33
    """
    h = np.asarray(steps, dtype=float)
    with np.errstate(all="ignore"):
        forward = (f(x + h) - f(x)) / h
        central = (f(x + h) - f(x - h)) / (2 * h)
        z = f(x + 1j * h)
        complex_step = np.imag(z) / h if np.iscomplexobj(z) else np.full_like(h, np.nan)
    scale = abs(exact) if exact != 0 else 1.0  # f'(x) = 0: absolute errors
    rows = []
    for name, est in (("forward", forward), ("central", central), ("complex step", complex_step)):
        est = np.broadcast_to(np.asarray(est, dtype=float), h.shape)
        err = np.abs(est - exact) / scale
        rows.append(pd.DataFrame({"h": h, "method": name, "estimate": est, "error": np.maximum(err, ERROR_FLOOR)}))
    return pd.concat(rows, ignore_index=True)


@dataclass(frozen=True)
class Probe:
    """Everything the lab shows about f at x, given the exact derivative.

    ``relative_error`` is the gradient check's |analytic - central| / max(|analytic|,
    |central|); where f'(x) = 0 it is the absolute error instead (``absolute`` is True).
    """

    exact: float
    errors: pd.DataFrame
    at_1e15: pd.DataFrame
    central: float
    relative_error: float
    absolute: bool = False


def probe(f: Callable, exact: float, x: float) -> Probe:
    """The h sweep, the catastrophic-cancellation row at h = 1e-15, and the gradient check
    (central difference at its textbook step against the exact derivative).

    >>> p = probe(lambda x: x**2, 6.0, 3.0)
    >>> round(float(p.at_1e15.loc["forward", "estimate"]), 2), p.relative_error < 1e-9
    (5.33, True)
    """
    h = best_steps(x)["central"]
    extra = step_errors(f, exact, x, steps=[1e-15, h]).set_index(["method", "h"])
    central = float(extra.loc[("central", h), "estimate"])
    absolute = exact == 0
    return Probe(
        exact=float(exact),
        errors=step_errors(f, exact, x),
        at_1e15=extra.xs(1e-15, level="h"),
        central=central,
        relative_error=abs(central) if absolute else gradient_check(exact, central),
        absolute=absolute,
    )


def sigmoid_naive(x):
    """1 / (1 + exp(-x)): exp overflows for x below about -709."""
    return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))


def sigmoid_stable(x):
    """The tutorial's stable form: exp of a non-positive number only, so nothing overflows.

    >>> float(sigmoid_stable(-1000.0)), float(sigmoid_stable(0.0)), float(sigmoid_stable(1000.0))
    (0.0, 0.5, 1.0)
    """
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_table(xs=(-1000.0, -710.0, -30.0, 0.0, 30.0, 710.0, 1000.0)) -> pd.DataFrame:
    """Naive vs stable sigmoid, and whether the naive one overflowed, at each x."""
    rows = []
    for x in xs:
        with np.errstate(over="raise"):
            try:
                naive, overflow = float(sigmoid_naive(x)), False
            except FloatingPointError:
                overflow = True
        if overflow:
            with np.errstate(over="ignore"):
                naive = float(sigmoid_naive(x))
        stable = float(sigmoid_stable(x))
        rows.append(
            {"x": x, "naive": naive, "overflow": overflow, "stable": stable, "derivative": stable * (1 - stable)}
        )
    return pd.DataFrame(rows)


def gradient_check(analytic: float, numeric: float) -> float:
    """Relative error |a - n| / max(|a|, |n|): below ~1e-7 the analytic gradient is right.

    >>> f"{gradient_check(6.0, 6.000000000012):.1e}"
    '2.0e-12'
    """
    denom = max(abs(analytic), abs(numeric), 1e-300)
    return abs(analytic - numeric) / denom


# --- what there is to measure at x --------------------------------------------------------


class Status(enum.Enum):
    """What there is to measure at x."""

    SMOOTH = "smooth"  # f'(x) exists: the h sweep and the gradient check
    KINK = "kink"  # one-sided derivatives ``left`` != ``right``: no derivative
    VERTICAL = "vertical"  # |f'| grows without bound at x (a vertical tangent or a cusp)
    UNDEFINED = "undefined"  # x is outside f's domain (``domain`` says why)
    OVERFLOW = "overflow"  # f and f' exist at x, but floating point cannot compute them as written


class Domain(enum.Enum):
    """Why f is undefined at x."""

    LOG = "positive"  # the logarithm of a number that is not positive
    ROOT = "nonnegative"  # a fractional power (a root) of a negative number
    DIVISION = "nonzero"  # a division by zero
    NOT_REAL = "not real"  # f has no real value there (found numerically)


@dataclass(frozen=True)
class Exact:
    """f'(x) computed exactly (mpmath: exponents are unbounded), as ``mantissa`` × 10**``exponent``
    with 1 <= |mantissa| < 10 (6 significant digits), for values floating point cannot hold.

    >>> Exact(3.66787, -348).tiny, Exact(1.5, 400).huge
    (True, True)
    """

    mantissa: float
    exponent: int

    @property
    def tiny(self) -> bool:
        """Below the smallest positive float: in floating point the best answer is 0."""
        return self.mantissa != 0 and self.exponent < -323

    @property
    def huge(self) -> bool:
        """Above the largest float (about 1.8e308)."""
        return self.exponent > 307


@dataclass(frozen=True)
class LabReport:
    """What the lab can say about a typed f at x: numbers and a :class:`Status`.

    ``left`` and ``right`` are the one-sided derivatives at a kink or a vertical tangent: ±inf
    on a side where |f'| grows without bound, nan on a side where f is undefined. ``probe``
    holds the h sweep and the gradient check (smooth points); ``passes`` is the check's
    verdict (None where it does not apply). ``domain`` says why f is undefined;
    ``convention`` is what the formula for f' gives at a kink (frameworks pick a value
    there; nan when it gives none); ``true`` is f'(x) from mpmath where floating point
    cannot hold it (an overflow, or a value below the smallest positive float), else None.
    """

    x: float
    status: Status
    value: float
    exact: float
    left: float = math.nan
    right: float = math.nan
    probe: Probe | None = None
    passes: bool | None = None
    domain: Domain | None = None
    convention: float = math.nan
    true: Exact | None = None


_DOMAINS = {"positive": Domain.LOG, "nonnegative": Domain.ROOT, "nonzero": Domain.DIVISION}


def _at(fn: Callable, x: float) -> float:
    with np.errstate(all="ignore"):
        try:
            y = np.asarray(fn(np.array([x])))
        except (ValueError, TypeError, ZeroDivisionError, OverflowError):
            return math.nan
    y = complex(y.reshape(-1)[0])
    return y.real if abs(y.imag) <= 1e-12 * abs(y.real) else math.nan


def _outside(watch, x: float) -> Domain | None:
    """Why f is undefined at x, from the watched sub-expressions (None when it is defined)."""
    for kind, fn in watch:
        if kind == "kink":
            continue
        u = _at(fn, x)
        failed = {
            "positive": not u > 0,
            "nonnegative": not u >= 0,
            "nonzero": u == 0,
        }[kind]
        if failed:
            return _DOMAINS[kind]
    return None


def _is_kink(watch, x: float) -> bool:
    step = 8 * EPS * max(1.0, abs(x))
    for kind, fn in watch:
        if kind == "kink":
            a, m, b = (_at(fn, t) for t in (x - step, x, x + step))
            if m == 0 or (math.isfinite(a) and math.isfinite(b) and a * b < 0):
                return True
    return False


def _one_sided(df: Callable, x: float) -> tuple[float, float]:
    """(left, right): f' just left and right of x (1e-11 away, the last digits rounded off),
    ±inf on a side where |f'| keeps growing towards x (3x from 1e-9 to 1e-11 away), nan on a
    side where f' is not a finite number."""
    near, nearer = 1e-9 * max(1.0, abs(x)), 1e-11 * max(1.0, abs(x))
    sides = []
    for sgn in (-1.0, 1.0):
        far, close = _at(df, x + sgn * near), _at(df, x + sgn * nearer)
        if math.isfinite(far) and math.isfinite(close) and abs(close) > 3 * abs(far):
            sides.append(math.copysign(math.inf, close))
        else:  # nan where f' is not a finite number there (undefined, or an overflow: not a tangent)
            sides.append(float(f"{close:.9g}") if math.isfinite(close) else math.nan)
    return sides[0], sides[1]


def _derivative_scale(df: Callable, x: float) -> float:
    """max |f'| on [x - 1, x + 1] (scaled with |x|): the size against which an estimate of
    f'(x) = 0 is judged."""
    span = max(1.0, abs(x))
    with np.errstate(all="ignore"):
        values = np.abs(np.real(np.asarray(df(x + span * np.linspace(-1, 1, 101)), dtype=complex)))
    finite = values[np.isfinite(values)]
    return float(finite.max()) if finite.size and finite.max() > 0 else 1.0


def examine(f: Callable, df: Callable, x: float, watch=()) -> LabReport:
    """What there is to measure at x for f with analytic derivative df; ``watch`` is the
    parsed formula's (condition, function) list (:meth:`ParsedFunction.watch_callables`).

    Examples
    --------
    The tutorial's x**2 at 3 is smooth; |x| at 0 is a kink with one-sided derivatives -1 and 1:

    >>> examine(lambda x: x**2, lambda x: 2 * x, 3.0).status
    <Status.SMOOTH: 'smooth'>
    >>> r = examine(np.abs, np.sign, 0.0, watch=(("kink", lambda x: x),))
    >>> r.status, r.left, r.right, r.passes
    (<Status.KINK: 'kink'>, -1.0, 1.0, None)

    sqrt at 0: f is undefined on the left, and f' grows without bound on the right:

    >>> r = examine(np.sqrt, lambda x: 0.5 / np.sqrt(x), 0.0)
    >>> r.status, r.left, r.right
    (<Status.VERTICAL: 'vertical'>, nan, inf)
    """
    x = float(x)
    value = _at(f, x)
    domain = _outside(watch, x)
    if domain is not None or (math.isnan(value) and not watch):
        return LabReport(x, Status.UNDEFINED, math.nan, math.nan, domain=domain or Domain.NOT_REAL)
    exact = _at(df, x)
    if _is_kink(watch, x) or not math.isfinite(exact):
        left, right = _one_sided(df, x)
        if math.isinf(left) or math.isinf(right) or (math.isinf(exact) and math.isfinite(value)):
            return LabReport(x, Status.VERTICAL, value, math.nan, left, right)
        if math.isfinite(left) and math.isfinite(right) and not math.isclose(left, right, rel_tol=1e-6, abs_tol=1e-12):
            return LabReport(x, Status.KINK, value, math.nan, left, right, convention=exact)
    if not (math.isfinite(value) and math.isfinite(exact)):
        return LabReport(x, Status.OVERFLOW, value, math.nan)
    p = probe(f, exact, x)
    scale = abs(exact) if exact != 0 else _derivative_scale(df, x)
    passes = abs(p.central - exact) <= GRADIENT_RTOL * scale
    return LabReport(x, Status.SMOOTH, value, exact, probe=p, passes=passes)


def analyse(parsed, x: float) -> LabReport:
    """:func:`examine` for a parsed formula, with f'(x) from mpmath where floating point
    cannot hold it: an overflow, or a computed f'(x) = 0 that is really below the smallest
    positive float (the stable sigmoid at -800). For the worker pool: mpmath can be slow.

    >>> from optimizers.expression import prepare
    >>> r = analyse(prepare("sigmoid(x)"), -800.0)
    >>> r.status, r.exact, r.true
    (<Status.SMOOTH: 'smooth'>, 0.0, Exact(mantissa=3.66787, exponent=-348))
    >>> analyse(prepare("x^2"), 0.0).true is None
    True
    """
    f, df, _ = parsed.callables()
    r = examine(f, df, x, parsed.watch_callables())
    if r.status == Status.OVERFLOW or (r.status == Status.SMOOTH and r.exact == 0):
        true = exact_derivative(parsed.symbolic.d1, r.x)
        if true is not None and (r.status == Status.OVERFLOW or true.mantissa != 0):
            return replace(r, true=true)
    return r


def estimates(f: Callable, x: float, steps=STEPS) -> pd.DataFrame:
    """What each method returns at x for each h (where there is no exact value to compare
    with, e.g. at a kink): columns h, method, estimate; methods that cannot run (the complex
    step through abs()) are left out.

    >>> t = estimates(np.abs, 0.0, steps=[1e-3])
    >>> dict(zip(t.method, t.estimate))
    {'forward': 1.0, 'central': 0.0}
    """
    table = step_errors(f, 0.0, x, steps)[["h", "method", "estimate"]]
    return table[np.isfinite(table.estimate)].reset_index(drop=True)


def exact_derivative(expr, x: float) -> Exact | None:
    """f'(x) from a sympy expression of f', evaluated with mpmath's interval arithmetic (its
    exponents are unbounded: no overflow), to 6 significant digits; None when it cannot be
    evaluated or its enclosure is too wide to give them (sin of a huge argument).

    >>> from optimizers.expression import parse
    >>> exact_derivative(parse("exp(x)"), -800.0)
    Exact(mantissa=3.66787, exponent=-348)
    >>> exact_derivative(parse("sin(x^100)"), 1e6) is None
    True
    """
    import mpmath

    from optimizers.certify import NotCertifiable, enclose

    try:
        box = enclose(expr, x, x)
    except (NotCertifiable, ArithmeticError, ValueError):
        return None
    lo, hi = mpmath.mpf(box.a), mpmath.mpf(box.b)
    if not (mpmath.isfinite(lo) and mpmath.isfinite(hi)):
        return None
    mid = (lo + hi) / 2
    if mid == 0:
        return Exact(0.0, 0) if lo == hi else None
    if hi - lo > 1e-7 * abs(mid):
        return None
    exponent = int(mpmath.floor(mpmath.log10(abs(mid))))
    mantissa = float(mpmath.nstr(mid / mpmath.mpf(10) ** exponent, 6))
    if abs(mantissa) >= 10:  # 9.999996 rounds up
        mantissa, exponent = mantissa / 10, exponent + 1
    return Exact(mantissa, exponent)
