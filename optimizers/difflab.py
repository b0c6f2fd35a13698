"""The derivative lab: how the step h makes or breaks a numerical derivative, sigmoid
overflow, and the gradient check.

The seed: "smaller h is always better" is wrong. The forward difference's truncation error
shrinks like h while its rounding error grows like eps/h, so the best h is about sqrt(eps);
the central difference balances h**2 against eps/h at about cbrt(eps); the complex step
has no subtraction at all and stays exact down to absurdly small h.

:func:`examine` first decides what there is to measure at x: f may be undefined there (a
logarithm of a negative number), have no derivative (a kink: |x| at 0 has one-sided
derivatives -1 and 1; a vertical tangent), or have a perfectly good derivative that floating
point cannot compute as written (overflow: the naive sigmoid at -800). Only a smooth point
gets the h sweep and the gradient check; where f'(x) = 0 the errors are absolute, since a
relative error of an estimate of 0 means nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "EPS",
    "GRADIENT_RTOL",
    "STEPS",
    "LabReport",
    "Probe",
    "best_steps",
    "estimates",
    "exact_derivative",
    "examine",
    "gradient_check",
    "probe",
    "sigmoid_markdown",
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
    The seed's f(x) = x**2 at x = 3: at h = 1e-15 the forward difference is far off.

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
    """The seed's stable form: exp of a non-positive number only, so nothing overflows.

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


@dataclass(frozen=True)
class LabReport:
    """What the lab can say about a typed f at x.

    ``status`` is ``"smooth"`` (f'(x) exists: ``probe`` holds the h sweep and the gradient
    check), ``"kink"`` (one-sided derivatives ``left`` != ``right``: no derivative),
    ``"vertical"`` (f' is infinite at x), ``"undefined"`` (x is outside f's domain) or
    ``"overflow"`` (f and f' exist at x but floating point cannot compute them as written).
    ``passes`` is the gradient check's verdict, None where it does not apply. ``message``
    says what the page should say (empty for a smooth point).
    """

    x: float
    status: str
    value: float
    exact: float
    left: float = math.nan
    right: float = math.nan
    probe: Probe | None = None
    passes: bool | None = None
    message: str = ""


_REASONS = {
    "positive": "the logarithm of a number that is not positive",
    "nonnegative": "a fractional power (a root) of a negative number",
    "nonzero": "a division by zero",
}


def _at(fn: Callable, x: float) -> float:
    with np.errstate(all="ignore"):
        try:
            y = np.asarray(fn(np.array([x])))
        except (ValueError, TypeError, ZeroDivisionError, OverflowError):
            return math.nan
    y = complex(y.reshape(-1)[0])
    return y.real if abs(y.imag) <= 1e-12 * abs(y.real) else math.nan


def _outside(watch, x: float) -> str:
    """Why f is undefined at x, from the watched sub-expressions ("" when it is defined)."""
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
            return _REASONS[kind]
    return ""


def _is_kink(watch, x: float) -> bool:
    step = 8 * EPS * max(1.0, abs(x))
    for kind, fn in watch:
        if kind == "kink":
            a, m, b = (_at(fn, t) for t in (x - step, x, x + step))
            if m == 0 or (math.isfinite(a) and math.isfinite(b) and a * b < 0):
                return True
    return False


def _one_sided(df: Callable, x: float) -> tuple[float, float, bool]:
    """(left, right, grows): f' just left and right of x, and whether |f'| keeps growing
    towards x (an infinite one-sided derivative)."""
    near, nearer = 1e-9 * max(1.0, abs(x)), 1e-11 * max(1.0, abs(x))
    left, right = _at(df, x - nearer), _at(df, x + nearer)
    far_left, far_right = _at(df, x - near), _at(df, x + near)
    grows = any(
        math.isfinite(a) and math.isfinite(b) and abs(b) > 3 * abs(a) for a, b in ((far_left, left), (far_right, right))
    )
    return left, right, grows


def _round(v: float) -> float:
    """One-sided derivatives read 1e-11 away from x: round off the last digits."""
    return float(f"{v:.9g}") if math.isfinite(v) else v


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
    The seed's x**2 at 3 is smooth; |x| at 0 is a kink with one-sided derivatives -1 and 1:

    >>> examine(lambda x: x**2, lambda x: 2 * x, 3.0).status
    'smooth'
    >>> r = examine(np.abs, np.sign, 0.0, watch=(("kink", lambda x: x),))
    >>> r.status, r.left, r.right, r.passes
    ('kink', -1.0, 1.0, None)
    """
    x = float(x)
    value = _at(f, x)
    reason = _outside(watch, x)
    if reason or (math.isnan(value) and not watch):
        why = reason or "f has no real value there"
        return LabReport(x, "undefined", math.nan, math.nan, message=f"f is undefined at x = {x:g}: {why}.")
    exact = _at(df, x)
    if _is_kink(watch, x) or not math.isfinite(exact):
        left, right, grows = _one_sided(df, x)
        if grows or (math.isinf(exact) and math.isfinite(value)):
            return LabReport(
                x,
                "vertical",
                value,
                math.nan,
                left,
                right,
                message=(
                    f"f′({x:g}) does not exist: the slope grows without bound as x approaches {x:g} "
                    f"(a vertical tangent{' or cusp' if left * right < 0 else ''}), so there is nothing to approximate."
                ),
            )
        if math.isfinite(left) and math.isfinite(right) and not math.isclose(left, right, rel_tol=1e-6, abs_tol=1e-12):
            left, right = _round(left), _round(right)
            convention = (
                f" The formula for f′ gives {exact:g} at the kink itself: frameworks pick a value there by "
                "convention (PyTorch takes ReLU′(0) = 0)."
                if math.isfinite(exact)
                else ""
            )
            return LabReport(
                x,
                "kink",
                value,
                math.nan,
                left,
                right,
                message=(
                    f"f has a kink at x = {x:g}: the derivative from the left is {left:g} and from the right "
                    f"{right:g}, so f′({x:g}) does not exist. Each method still returns a number: the forward "
                    "difference the right slope, the central difference their average." + convention
                ),
            )
    if not (math.isfinite(value) and math.isfinite(exact)):
        return LabReport(
            x,
            "overflow",
            value,
            math.nan,
            message=(
                f"f′({x:g}) is defined (nothing here divides by zero or leaves f's domain), but floating point "
                "cannot compute it as written: an intermediate value passes the largest float, about 1.8e308 "
                "(overflow), and inf/inf or inf − inf gives nan. That is the lesson of the sigmoid section below: "
                "rewrite the formula so that nothing large is ever computed."
            ),
        )
    p = probe(f, exact, x)
    scale = abs(exact) if exact != 0 else _derivative_scale(df, x)
    passes = abs(p.central - exact) <= GRADIENT_RTOL * scale
    return LabReport(x, "smooth", value, exact, probe=p, passes=passes)


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


def exact_derivative(expr, x: float) -> tuple[str, bool] | None:
    """f'(x) from a sympy expression of f', evaluated with mpmath's interval arithmetic (its
    exponents are unbounded: no overflow): (the value to 6 digits, whether it is below the
    smallest positive float), or None when it cannot be evaluated. For the worker pool: a
    huge argument to sin can make mpmath slow.

    >>> from optimizers.expression import parse
    >>> exact_derivative(parse("exp(x)"), -800.0)
    ('3.66787e-348', True)
    """
    import mpmath

    from optimizers.certify import NotCertifiable, enclose

    try:
        box = enclose(expr, x, x)
    except (NotCertifiable, ArithmeticError, ValueError):
        return None
    mid = (box.a + box.b) / 2
    value = mpmath.mpf(mid.a)
    if not mpmath.isfinite(value):
        return None
    return mpmath.nstr(value, 6), bool(0 < abs(value) < mpmath.mpf(2) ** -1074)


def sigmoid_markdown() -> str:
    """:func:`sigmoid_table` as a markdown table (numbers only)."""
    rows = ["| x | naive | overflow | stable | σ′ = σ(1 − σ) |", "| ---: | ---: | :---: | ---: | ---: |"]
    for r in sigmoid_table().itertuples():
        rows.append(
            f"| {r.x:g} | {r.naive:.4g} | {'yes' if r.overflow else 'no'} | {r.stable:.4g} | {r.derivative:.4g} |"
        )
    return "\n".join(rows)
