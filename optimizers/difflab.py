"""The derivative lab: how the step h makes or breaks a numerical derivative, sigmoid
overflow, and the gradient check.

The seed: "smaller h is always better" is wrong. The forward difference's truncation error
shrinks like h while its rounding error grows like eps/h, so the best h is about sqrt(eps);
the central difference balances h**2 against eps/h at about cbrt(eps); the complex step
has no subtraction at all and stays exact down to absurdly small h.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "EPS",
    "STEPS",
    "Probe",
    "best_steps",
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


def best_steps(x: float) -> dict[str, float]:
    """The textbook optimal steps at x: sqrt(eps)·max(1,|x|) and cbrt(eps)·max(1,|x|).

    >>> {k: f"{v:.1e}" for k, v in best_steps(3.0).items()}
    {'forward': '4.5e-08', 'central': '1.8e-05'}
    """
    scale = max(1.0, abs(float(x)))
    return {"forward": np.sqrt(EPS) * scale, "central": np.cbrt(EPS) * scale}


def step_errors(f: Callable, exact: float, x: float, steps=STEPS) -> pd.DataFrame:
    """Relative error of the forward, central and complex-step derivatives at x for each h.

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
    scale = max(abs(exact), 1e-300)
    rows = []
    for name, est in (("forward", forward), ("central", central), ("complex step", complex_step)):
        est = np.broadcast_to(np.asarray(est, dtype=float), h.shape)
        err = np.abs(est - exact) / scale
        rows.append(pd.DataFrame({"h": h, "method": name, "estimate": est, "error": np.maximum(err, ERROR_FLOOR)}))
    return pd.concat(rows, ignore_index=True)


@dataclass(frozen=True)
class Probe:
    """Everything the lab shows about f at x, given the exact derivative."""

    exact: float
    errors: pd.DataFrame
    at_1e15: pd.DataFrame
    central: float
    relative_error: float


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
    return Probe(
        exact=float(exact),
        errors=step_errors(f, exact, x),
        at_1e15=extra.xs(1e-15, level="h"),
        central=central,
        relative_error=gradient_check(exact, central),
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
