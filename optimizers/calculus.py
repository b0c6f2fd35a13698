"""The calculus engine: derivatives, critical points and global optima on an interval.

Every page of the dashboard reduces its decision to a function of one variable on an
interval and asks this module where the derivative is zero. The recipe is the one a
careful numerical analyst would use:

1. Evaluate f' on a grid in one vectorised call (analytic derivative when the caller
   has one, else the complex step, else central differences).
2. Every sign change of f' between neighbouring grid points brackets a root, which
   ``scipy.optimize.brentq`` refines to machine precision.
3. Each root is classified by f''; where f'' is zero there, by the sign of f' on each
   side (so (x - 1)**4 has a minimum at 1, not an "inflection").
4. The global optimum compares every interior candidate with both endpoints.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import brentq

__all__ = [
    "COMPLEX_STEP",
    "GRID_POINTS",
    "CriticalPoint",
    "DerivativeEstimate",
    "Optimum",
    "critical_points",
    "derivative",
    "marginal_curve",
    "optimize",
    "roots",
    "second_derivative",
]

Func = Callable[..., object]

#: Step of the complex-step derivative. Exact to machine precision for analytic code:
#: f'(x) = Im f(x + ih) / h has no subtraction, so h can be absurdly small.
COMPLEX_STEP = 1e-20
#: Grid points of the sign-change scan of f'. Roots closer together than
#: (hi - lo) / GRID_POINTS can be missed; every model here is far smoother than that.
GRID_POINTS = 801
#: brentq tolerances: absolute and relative (4 eps is the smallest brentq accepts).
BRENTQ_XTOL = 2e-14
BRENTQ_RTOL = 4 * np.finfo(float).eps
BRENTQ_MAXITER = 500
#: Complex step and central difference must agree this well (relative) before the
#: complex step is trusted; code with abs(), comparisons or float() fails this check.
COMPLEX_AGREEMENT_RTOL = 1e-5
#: f is called flat when |f'| * (hi - lo) stays below this fraction of |f|.
FLAT_RTOL = 1e-12
#: f'' counts as zero when smaller than this fraction of f''s typical size on the interval.
ZERO_CURVATURE_RTOL = 1e-6
#: A touch of zero by f' without a sign change counts when |f'| is this small (relative).
TOUCH_RTOL = 1e-8
#: Roots of f' closer than this fraction of (hi - lo) are one critical point.
MERGE_RTOL = 1e-9

_EPS = float(np.finfo(float).eps)
_CBRT_EPS = _EPS ** (1 / 3)
_QUARTIC_EPS = _EPS**0.25
# Irregular fractions of the interval where the complex step is checked, so that a
# symmetric function cannot hide behind a zero derivative.
_PROBE_FRACTIONS = np.array([0.0131, 0.1937, 0.3571, 0.5213, 0.6889, 0.8417, 0.9871])
_UNIT_GRIDS: dict[int, np.ndarray] = {}


@dataclass(frozen=True)
class DerivativeEstimate:
    """A derivative value and how it was obtained.

    ``method`` is ``"analytic"``, ``"complex-step"`` or ``"central-difference"``;
    ``h`` is the step used (0 for analytic).
    """

    value: float
    method: str
    h: float


@dataclass(frozen=True)
class CriticalPoint:
    """A point in (lo, hi) where f' is zero.

    ``kind`` is ``"max"``, ``"min"`` or ``"inflection"`` (f' is zero but keeps its sign);
    ``test`` says which test decided: ``"second-derivative"`` or ``"first-derivative"``
    (used when f'' is zero at the point).
    """

    x: float
    fun: float
    kind: str
    second_derivative: float = math.nan
    test: str = "second-derivative"


@dataclass(frozen=True)
class Optimum:
    """The global maximum or minimum of f over [lo, hi].

    Attributes
    ----------
    x, fun : float
        Where the optimum is and the value of f there.
    kind : str
        ``"max"`` or ``"min"`` (the goal that was asked for).
    at_boundary : bool
        True when the optimum is an endpoint of the interval.
    derivative, second_derivative : float
        f'(x) and f''(x) at the optimum.
    method : str
        How the derivative was computed and the root refined.
    nfev : int
        Number of points at which f (or f') was evaluated.
    message : str
        One sentence a user can read: why this point is the optimum.
    flat : bool
        True when f is constant on the interval (every point is optimal; ``x`` is lo).
    critical_points : tuple of CriticalPoint
        Every interior critical point that was compared.
    """

    x: float
    fun: float
    kind: str
    at_boundary: bool
    derivative: float
    second_derivative: float
    method: str
    nfev: int
    message: str
    flat: bool = False
    critical_points: tuple[CriticalPoint, ...] = ()


class _Counted:
    """Wrap f so that every evaluated point is counted."""

    def __init__(self, f: Func) -> None:
        self.f = f
        self.n = 0

    def __call__(self, x):
        self.n += x.size if isinstance(x, np.ndarray) else 1
        return self.f(x)


def _call(f: Func, x: np.ndarray) -> np.ndarray:
    """Evaluate f on an array, tolerating scalar-only and constant functions."""
    try:
        y = f(x)
        if isinstance(y, np.ndarray) and y.shape == x.shape:
            return y
        y = np.asarray(y)
        if y.shape == x.shape:
            return y
        if y.ndim == 0:
            return np.broadcast_to(y, x.shape).copy()
    except (TypeError, ValueError):
        pass
    return np.array([_scalar(f, v) for v in x.tolist()])


def _scalar(f: Func, x: complex) -> float | complex:
    """Evaluate f at one point and return a Python number."""
    try:
        y = f(x)
    except (TypeError, ValueError, IndexError):
        y = f(np.array([x]))
    if isinstance(y, float | int | complex):
        return y
    arr = np.asarray(y)
    if arr.size != 1:
        raise ValueError(f"f must return one number per x, got shape {arr.shape} at x={x}")
    return arr.reshape(()).item()


def _real(f: Func, x: np.ndarray) -> np.ndarray:
    y = _call(f, x)
    if np.iscomplexobj(y):
        y = y.real
    return np.asarray(y, dtype=float)


def _real_scalar(f: Func, x: float) -> float:
    y = _scalar(f, x)
    return float(y.real) if isinstance(y, complex) else float(y)


def _check_interval(lo: float, hi: float) -> tuple[float, float]:
    try:
        lo, hi = float(lo), float(hi)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"lo and hi must be numbers, got lo={lo!r}, hi={hi!r}") from exc
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError(f"lo and hi must be finite, got lo={lo}, hi={hi}")
    if not hi > lo:
        raise ValueError(f"hi must be greater than lo, got lo={lo}, hi={hi}")
    return lo, hi


def _check_finite(name: str, x: np.ndarray, y: np.ndarray) -> None:
    bad = ~np.isfinite(y)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"{name} is not finite at x={x.flat[i]:.6g}: {name}(x)={y.flat[i]}")


def _central(f: Func, x: np.ndarray) -> np.ndarray:
    """Central difference with h = cbrt(eps) * max(1, |x|), in one call of f."""
    h = _CBRT_EPS * np.maximum(1.0, np.abs(x))
    y = _real(f, np.concatenate([x + h, x - h]))
    return (y[: x.size] - y[x.size :]) / (2 * h)


def _complex_values(f: Func, x: np.ndarray) -> np.ndarray | None:
    """f(x + ih) on an array, or None when f rejects complex input or drops the imaginary part."""
    try:
        z = _call(f, x + 1j * COMPLEX_STEP)
    except (TypeError, ValueError, OverflowError, ZeroDivisionError, AttributeError):
        return None
    if not np.iscomplexobj(z) or z.shape != x.shape:
        return None
    return z


def _complex_step_ok(f: Func, xs: np.ndarray) -> bool:
    """True when the complex step works for f and agrees with central differences at xs."""
    z = _complex_values(f, xs)
    if z is None or not np.all(np.isfinite(z)):
        return False
    cs = z.imag / COMPLEX_STEP
    cd = _central(f, xs)
    if not np.all(np.isfinite(cd)):
        return False
    fx = np.abs(z.real) / np.maximum(1.0, np.abs(xs))
    scale = np.maximum(np.maximum(np.abs(cd), np.abs(cs)), np.maximum(fx, 1e-300))
    return bool(np.all(np.abs(cs - cd) <= COMPLEX_AGREEMENT_RTOL * scale))


def _grid(lo: float, hi: float, n: int) -> np.ndarray:
    """n evenly spaced points from lo to hi with both ends exact (cheaper than linspace)."""
    unit = _UNIT_GRIDS.get(n)
    if unit is None:
        unit = _UNIT_GRIDS[n] = np.linspace(0.0, 1.0, n)
    x = lo + (hi - lo) * unit
    x[-1] = hi
    return x


class _Deriv:
    """f' as a callable, with the method chosen once for the whole interval."""

    def __init__(self, f: Func, df: Func | None, method: str) -> None:
        self.f = f
        self.df = df
        self.method = method

    @classmethod
    def choose(cls, f: Func, df: Func | None, probe: np.ndarray) -> _Deriv:
        if df is not None:
            return cls(f, df, "analytic")
        ok = _complex_step_ok(f, probe)
        return cls(f, None, "complex-step" if ok else "central-difference")

    @classmethod
    def on_grid(cls, f: Func, df: Func | None, x: np.ndarray):
        """(derivative object, f(x), f'(x)) on a grid, choosing the method on the way.

        The complex step is trusted only where it agrees
        with central differences at a few irregular grid points.
        """
        if df is not None:
            return cls(f, df, "analytic"), _real(f, x), _real(df, x)
        z = _complex_values(f, x)
        if z is not None and np.isfinite(z).all():
            cs = z.imag / COMPLEX_STEP
            idx = (_PROBE_FRACTIONS * (x.size - 1)).astype(int)
            cd = _central(f, x[idx])
            fx = np.abs(z.real[idx]) / np.maximum(1.0, np.abs(x[idx]))
            scale = np.maximum(np.maximum(np.abs(cd), np.abs(cs[idx])), np.maximum(fx, 1e-300))
            if (np.abs(cs[idx] - cd) <= COMPLEX_AGREEMENT_RTOL * scale).all():
                # f itself from a real call: Re f(x + ih) is off by O(h**2) and, worse,
                # finite where f is not (log(0 + ih) is a finite complex number).
                return cls(f, None, "complex-step"), _real(f, x), cs
        return cls(f, None, "central-difference"), _real(f, x), _central(f, x)

    def scalar(self, x: float) -> float:
        """f'(x) at one point."""
        if self.method == "analytic":
            return _real_scalar(self.df, x)
        if self.method == "complex-step":
            y = _scalar(self.f, complex(x, COMPLEX_STEP))
            if isinstance(y, complex):
                return y.imag / COMPLEX_STEP
        h = _CBRT_EPS * max(1.0, abs(x))
        return (_real_scalar(self.f, x + h) - _real_scalar(self.f, x - h)) / (2 * h)

    def second(self, x: float, d2f: Func | None) -> float:
        """f''(x): analytic, or the derivative of f' (complex step on df, else central)."""
        if d2f is not None:
            return _real_scalar(d2f, x)
        if self.method == "analytic":
            return float(derivative(self.df, x))
        if self.method == "complex-step":
            h = _CBRT_EPS * max(1.0, abs(x))
            return (self.scalar(x + h) - self.scalar(x - h)) / (2 * h)
        h = _QUARTIC_EPS * max(1.0, abs(x))
        f = self.f
        mid = _real_scalar(f, x)
        return (_real_scalar(f, x + h) - 2 * mid + _real_scalar(f, x - h)) / (h * h)


def derivative(f: Func, x: float, df: Func | None = None, *, full_output: bool = False) -> float | DerivativeEstimate:
    """The derivative f'(x), as exactly as the function allows.

    Parameters
    ----------
    f : callable
        f(x) -> float. numpy-friendly code lets the complex step be used.
    x : float
        Where to differentiate.
    df : callable, optional
        The analytic derivative; used as is when given.
    full_output : bool
        Return a :class:`DerivativeEstimate` (value, method, step) instead of a float.

    Returns
    -------
    float or DerivativeEstimate

    Raises
    ------
    ValueError
        If x is not finite or f' is not finite at x.

    Notes
    -----
    Without ``df``, the complex step Im f(x + ih)/h with h = 1e-20 is used when f accepts
    complex input and agrees with a central difference at x (it is then exact to machine
    precision); otherwise the central difference with h = cbrt(eps) * max(1, |x|), whose
    truncation and rounding errors balance at about eps**(2/3).

    Examples
    --------
    The seed's headphone profit (p - 20) * (1300 - 10p) rises $500 per $1 at p = 50:

    >>> round(derivative(lambda p: (p - 20) * (1300 - 10 * p), 50.0), 12)
    500.0
    >>> derivative(lambda p: (p - 20) * (1300 - 10 * p), 50.0, full_output=True).method
    'complex-step'
    """
    try:
        x = float(x)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"x must be a number, got {x!r}") from exc
    if not math.isfinite(x):
        raise ValueError(f"x must be finite, got {x}")
    xs = np.array([x])
    with np.errstate(all="ignore"):
        if df is not None:
            value, method, h = _real_scalar(df, x), "analytic", 0.0
        elif _complex_step_ok(f, xs):
            value = float(_complex_values(f, xs).imag[0]) / COMPLEX_STEP
            method, h = "complex-step", COMPLEX_STEP
        else:
            value = float(_central(f, xs)[0])
            method, h = "central-difference", _CBRT_EPS * max(1.0, abs(x))
    if not math.isfinite(value):
        raise ValueError(f"f' is not finite at x={x}: got {value}")
    return DerivativeEstimate(value, method, h) if full_output else value


def second_derivative(f: Func, x: float, df: Func | None = None, d2f: Func | None = None) -> float:
    """f''(x): analytic ``d2f`` if given, else the derivative of f' (see :func:`derivative`).

    Examples
    --------
    >>> round(second_derivative(lambda p: (p - 20) * (1300 - 10 * p), 75.0), 6)
    -20.0
    """
    x = float(x)
    span = max(1.0, abs(x))
    with np.errstate(all="ignore"):
        d = _Deriv.choose(f, df, x + span * np.array([-0.013, 0.0, 0.017]))
        return float(d.second(x, d2f))


def _sign_side(d: np.ndarray, i: int, step: int) -> float:
    """Sign of f' at the nearest grid point from i in direction step with f' != 0."""
    j = i + step
    while 0 <= j < d.size:
        if d[j] != 0:
            return float(np.sign(d[j]))
        j += step
    return 0.0


def _kind_from(f2: float, left: float, right: float, f2_scale: float) -> tuple[str, str]:
    """(kind, test): by f'' when it is clearly nonzero, else by the signs of f' on each side."""
    if math.isfinite(f2) and abs(f2) > ZERO_CURVATURE_RTOL * f2_scale:
        return ("max" if f2 < 0 else "min"), "second-derivative"
    if left > 0 > right:
        return "max", "first-derivative"
    if left < 0 < right:
        return "min", "first-derivative"
    return "inflection", "first-derivative"


def _brentq(func: Callable[[float], float], a: float, b: float) -> float:
    """brentq to machine precision. Multiple roots (f' = 4(x - 1)**3) converge slowly, so
    allow many iterations and accept the last bracket: it still holds the sign change."""
    root, _ = brentq(
        func,
        a,
        b,
        xtol=BRENTQ_XTOL,
        rtol=BRENTQ_RTOL,
        maxiter=BRENTQ_MAXITER,
        full_output=True,
        disp=False,
    )
    return float(root)


def _nfev(d: _Deriv) -> int:
    """Points at which f and f' were evaluated (both are _Counted inside _scan)."""
    return d.f.n + (d.df.n if d.df is not None else 0)


def _scan(f: Func, lo: float, hi: float, df: Func | None, d2f: Func | None, n: int):
    """Grid scan + brentq.

    Returns (critical points or None when flat, derivative object, grid, f(grid), f'(grid),
    nfev).
    """
    lo, hi = _check_interval(lo, hi)
    if int(n) < 3:
        raise ValueError(f"n must be at least 3, got {n}")
    fc = _Counted(f)
    dfc = _Counted(df) if df is not None else None
    x = _grid(lo, hi, int(n))
    d, fx, g = _Deriv.on_grid(fc, dfc, x)
    _check_finite("f", x, fx)
    _check_finite("f'", x, g)

    ag = np.abs(g)
    gmax = float(ag.max())
    if gmax * (hi - lo) <= FLAT_RTOL * max(1.0, float(np.abs(fx).max())):
        return None, d, x, fx, g, _nfev(d)

    # Sign events of f': (x, sign on the left, sign on the right).
    s = np.sign(g)
    last = x.size - 1
    events: list[tuple[float, float, float]] = []
    zeros = np.flatnonzero(s[1:last] == 0) + 1
    run_start = 0
    for pos, i in enumerate(zeros):  # f' exactly zero on the grid: a run of zeros is one point
        if pos + 1 < zeros.size and zeros[pos + 1] == i + 1:
            continue
        start = int(zeros[run_start])
        run_start = pos + 1
        mid = float(0.5 * (x[start] + x[i]))
        events.append((mid, _sign_side(g, start, -1), _sign_side(g, int(i), +1)))
    for k in np.flatnonzero(s[:-1] * s[1:] < 0):  # sign changes between nonzero neighbours
        root = _brentq(d.scalar, float(x[k]), float(x[k + 1]))
        events.append((root, float(s[k]), float(s[k + 1])))
    # |f'| dips to (almost) zero without changing sign, e.g. x**3 at 0: f'' has a root there.
    mid = ag[1:last]
    dips = 1 + np.flatnonzero(
        (mid < ag[: last - 1]) & (mid <= ag[2:]) & (s[: last - 1] == s[2:]) & (s[1:last] == s[2:])
    )
    for k in dips:
        try:
            root = _brentq(lambda t: d.second(t, d2f), float(x[k - 1]), float(x[k + 1]))
        except ValueError:  # f'' keeps its sign: a plain dip of |f'|, not a stationary point
            continue
        if abs(d.scalar(root)) <= TOUCH_RTOL * gmax:
            events.append((root, float(s[k]), float(s[k])))

    # Events closer than rounding are one point (e.g. a root of f' exactly on the grid that
    # the complex step's O(h**2) term splits into two sign changes).
    events.sort()
    merged: list[list[float]] = []
    for ev in events:
        if merged and ev[0] - merged[-1][0] <= MERGE_RTOL * (hi - lo):
            merged[-1][2] = ev[2]
        else:
            merged.append(list(ev))

    f2_scale = float(g.max() - g.min()) / (hi - lo)
    points = []
    for xr, left, right in merged:
        if not lo < xr < hi:
            continue
        f2 = float(d.second(xr, d2f))
        kind, test = _kind_from(f2, left, right, f2_scale)
        points.append(CriticalPoint(xr, _real_scalar(fc, xr), kind, f2, test))
    return points, d, x, fx, g, _nfev(d)


def critical_points(
    f: Func,
    lo: float,
    hi: float,
    df: Func | None = None,
    d2f: Func | None = None,
    *,
    n: int = GRID_POINTS,
) -> list[CriticalPoint]:
    """Every point in (lo, hi) where f' is zero, classified.

    Parameters
    ----------
    f : callable
        The objective; numpy-vectorised code is fastest, scalar code also works.
    lo, hi : float
        The interval, lo < hi, both finite.
    df, d2f : callable, optional
        Analytic first and second derivatives.
    n : int
        Grid points of the sign-change scan.

    Returns
    -------
    list of CriticalPoint
        Sorted by x. Empty for a flat or strictly monotone function.

    Raises
    ------
    ValueError
        If lo >= hi, either is not finite, or f/f' is not finite on the interval.

    Examples
    --------
    sin(x) + 0.1x turns six times on [0, 20]:

    >>> pts = critical_points(lambda x: np.sin(x) + 0.1 * x, 0, 20)
    >>> [p.kind for p in pts]
    ['max', 'min', 'max', 'min', 'max', 'min']
    """
    with np.errstate(all="ignore"):
        points, *_ = _scan(f, lo, hi, df, d2f, n)
    return [] if points is None else points


def roots(f: Func, lo: float, hi: float, *, n: int = GRID_POINTS) -> list[float]:
    """Every x in [lo, hi] where f changes sign, refined with brentq to machine precision.

    The same grid scan as :func:`critical_points`, applied to f itself: used where a page
    asks "which input gives this output?" (the rate that doubles money in 10 years).

    Raises
    ------
    ValueError
        On a bad interval or f not finite on the grid.

    Examples
    --------
    >>> [round(r, 12) for r in roots(lambda r: np.exp(10 * r) - 2, -1, 1)]
    [0.069314718056]
    """
    lo, hi = _check_interval(lo, hi)
    x = _grid(lo, hi, int(n))
    with np.errstate(all="ignore"):
        y = _real(f, x)
        _check_finite("f", x, y)
        s = np.sign(y)
        found = [float(v) for v in x[s == 0]]
        for k in np.flatnonzero(s[:-1] * s[1:] < 0):
            found.append(_brentq(lambda t: _real_scalar(f, t), float(x[k]), float(x[k + 1])))
    return sorted(found)


def _fmt(v: float) -> str:
    return f"{v:.6g}"


def optimize(
    f: Func,
    lo: float,
    hi: float,
    goal: str = "max",
    df: Func | None = None,
    d2f: Func | None = None,
    *,
    n: int = GRID_POINTS,
) -> Optimum:
    """The global maximum (or minimum) of f over [lo, hi], found where f' = 0.

    Parameters
    ----------
    f : callable
        The objective.
    lo, hi : float
        The interval.
    goal : {"max", "min"}
        Which optimum to find.
    df, d2f : callable, optional
        Analytic first and second derivatives.
    n : int
        Grid points of the sign-change scan.

    Returns
    -------
    Optimum

    Raises
    ------
    ValueError
        On a bad interval, a bad goal, or f/f' not finite on the interval.

    Notes
    -----
    Every interior critical point is compared with both endpoints, so an optimum on the
    boundary is found and reported (``at_boundary``). A function whose derivative is zero
    everywhere is reported as flat instead of inventing an optimum.

    Examples
    --------
    The seed's headphone store: profit (p - 20)(1300 - 10p) peaks at $75 with $30,250.

    >>> best = optimize(lambda p: (p - 20) * (1300 - 10 * p), 20, 130)
    >>> best.x, best.fun, best.kind, best.at_boundary
    (75.0, 30250.0, 'max', False)
    """
    if goal not in ("max", "min"):
        raise ValueError(f"goal must be 'max' or 'min', got {goal!r}")
    with np.errstate(all="ignore"):
        return _optimize(f, lo, hi, goal, df, d2f, n)


def _optimize(f, lo, hi, goal, df, d2f, n) -> Optimum:
    points, d, x, fx, g, nfev = _scan(f, lo, hi, df, d2f, n)
    lo, hi = float(x[0]), float(x[-1])
    method = f"brentq on f' ({d.method})"
    sign = 1.0 if goal == "max" else -1.0
    word = "maximum" if goal == "max" else "minimum"
    word_pl = "maxima" if goal == "max" else "minima"

    if points is None:
        return Optimum(
            x=lo,
            fun=float(fx[0]),
            kind=goal,
            at_boundary=True,
            derivative=0.0,
            second_derivative=0.0,
            method=method,
            nfev=nfev,
            message=(
                f"f is flat on [{_fmt(lo)}, {_fmt(hi)}] (f' = 0 throughout): every point gives "
                f"f = {_fmt(float(fx[0]))}, so there is no single {word}."
            ),
            flat=True,
        )

    inside = [p for p in points if p.kind == goal]
    candidates = [(float(fx[0]), 0, 0), (float(fx[-1]), 0, -1)]
    candidates += [(p.fun, 1, i) for i, p in enumerate(inside)]
    # best value first; among exact ties prefer an interior point
    best_f, interior, i = max(candidates, key=lambda c: (sign * c[0], c[1]))
    if interior:
        best = inside[i]
        best_x, slope, curv = best.x, d.scalar(best.x), best.second_derivative
        if best.test == "second-derivative":
            test = f"f'' = {_fmt(curv)} {'<' if curv < 0 else '>'} 0"
        else:
            test = "f'' = 0 there, and f' changes sign (the first-derivative test)"
        message = f"Interior {word} at x = {_fmt(best_x)}: f' = 0 there and {test}."
    else:
        best_x, slope = float(x[i]), float(g[i])
        curv = float(d.second(best_x, d2f))
        end = "lower" if i == 0 else "upper"
        if inside:
            why = f"it beats the interior {word_pl if len(inside) > 1 else word} at {', '.join(_fmt(p.x) for p in inside)}"
        elif not points:
            direction = "rises" if g[g != 0][0] > 0 else "falls"
            why = f"f' never changes sign, so f {direction} across the whole interval"
        else:
            why = f"no interior point is a {word}"
        message = (
            f"The {word} is on the boundary, at the {end} end x = {_fmt(best_x)} (f' = {_fmt(slope)} there): {why}."
        )
    return Optimum(
        x=best_x,
        fun=best_f,
        kind=goal,
        at_boundary=not interior,
        derivative=slope,
        second_derivative=curv,
        method=method,
        nfev=_nfev(d),
        message=message,
        critical_points=tuple(points),
    )


def marginal_curve(f: Func, lo: float, hi: float, n: int = 241, df: Func | None = None) -> pd.DataFrame:
    """f and f' on an even grid, for charts and CSV export.

    Returns
    -------
    pandas.DataFrame
        Columns ``x``, ``value``, ``derivative``; n rows from lo to hi.

    Raises
    ------
    ValueError
        On a bad interval or non-finite values.

    Examples
    --------
    >>> curve = marginal_curve(lambda p: (p - 20) * (1300 - 10 * p), 20, 130, n=111)
    >>> round(curve.loc[curve.x == 50, "derivative"].item(), 12)
    500.0
    """
    lo, hi = _check_interval(lo, hi)
    if int(n) < 2:
        raise ValueError(f"n must be at least 2, got {n}")
    x = _grid(lo, hi, int(n))
    with np.errstate(all="ignore"):
        _, value, slope = _Deriv.on_grid(f, df, x)
    _check_finite("f", x, value)
    _check_finite("f'", x, slope)
    return pd.DataFrame({"x": x, "value": value, "derivative": slope})
