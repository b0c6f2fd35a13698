"""The calculus engine: derivatives, critical points and global optima on an interval.

Every page of the dashboard reduces its decision to a function of one variable on an
interval and asks this module where the derivative is zero. The recipe is the one a
careful numerical analyst would use:

1. Evaluate f and f' on a grid in one vectorised call (analytic derivative when the caller
   has one, else the complex step, else central differences).
2. Every sign change of f' between neighbouring grid points brackets a root, which
   ``scipy.optimize.brentq`` refines to machine precision. Where |f'| dips towards zero
   without changing sign, f'' is solved for the bottom of the dip: if f' has the opposite
   sign there, a pair of roots hides inside one grid cell and both are refined; if f' is
   zero there up to its own rounding, the point is a touch (an inflection with f' = 0).
3. Each root is classified by f''; where f'' is zero there, by the sign of f' on each side
   (so (x - 1)**4 has a minimum at 1, not an "inflection"). Where f is finite but f' jumps
   (|x| at 0) or is infinite (sqrt(|x|) at 0), the point is a kink or a cusp, classified by
   the sign change of f'.
4. The global optimum compares every interior candidate with both endpoints, and is never
   worse than the best grid sample: a sample that beats every candidate means the grid
   missed a feature narrower than a cell, which is then searched for on the neighbouring
   cells (and the result says it was found by sampling).
5. A check that the sampled f' is the derivative of the sampled f (the trapezoid rule on
   every cell) tells when the grid cannot resolve f'; the result then says that the list of
   critical points may be incomplete and suggests a narrower interval.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import brentq, minimize_scalar

__all__ = [
    "COMPLEX_STEP",
    "GRID_POINTS",
    "TIE_ULPS",
    "Boundary",
    "CriticalPoint",
    "DerivativeEstimate",
    "DerivativeTest",
    "Feature",
    "FoundBy",
    "Kind",
    "Method",
    "NotFinite",
    "Optimum",
    "critical_points",
    "derivative",
    "marginal_curve",
    "optimize",
    "roots",
    "second_derivative",
    "tied_places",
]

Func = Callable[..., object]

#: Step of the complex-step derivative. Exact to machine precision for analytic code:
#: f'(x) = Im f(x + ih) / h has no subtraction, so h can be absurdly small.
COMPLEX_STEP = 1e-20
#: Grid points of the sign-change scan of f'. Roots closer together than
#: (hi - lo) / GRID_POINTS can be missed by the scan alone; dips of |f'| are searched for
#: hidden pairs, and a grid that cannot resolve f' is reported (``Optimum.complete``).
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
#: At the bottom of a dip of |f'|, f' counts as zero (a touch) when it is within this many
#: times what its rounding and the uncertainty of the dip's location explain.
TOUCH_SAFETY = 4.0
#: Grid points of the local search around a grid sample that beat every candidate, and how
#: many times that search may zoom in.
LOCAL_POINTS = 65
LOCAL_DEPTH = 4
#: A cell is unresolved when the trapezoid rule on f' misses f's change across it by more
#: than this share of the cell's own variation; the critical-point list is called possibly
#: incomplete when more than UNRESOLVED_SHARE of the cells (and at least UNRESOLVED_MIN) are.
TRAPEZOID_RTOL = 0.25
UNRESOLVED_SHARE = 0.02
#: The cells are checked one by one only when f's total variation on the grid and the
#: trapezoid rule on |f'| differ by more than this share (they agree when f' is resolved).
TOTAL_RTOL = 0.02
UNRESOLVED_MIN = 4
#: One-sided difference quotients at these fractions of a grid cell decide whether a root of
#: f' is smooth, a kink (f' jumps) or a cusp (|f'| grows without bound).
ONE_SIDED_STEPS = (1e-2, 1e-4)
#: f'' this many times its typical size on the interval (or non-finite) triggers that test.
SHARP_CURVATURE = 1e3
#: Places whose values of f differ by at most this many ulps of f's size near them are
#: ties: the optimum is reached at each of them (x**3 - 3x on [-2, 3] has its minimum -2 at
#: x = -2 and at x = 1).
TIE_ULPS = 64

_EPS = float(np.finfo(float).eps)
_CBRT_EPS = _EPS ** (1 / 3)
_QUARTIC_EPS = _EPS**0.25
# Irregular fractions of the interval where the complex step is checked, so that a
# symmetric function cannot hide behind a zero derivative.
_PROBE_FRACTIONS = np.array([0.0131, 0.1937, 0.3571, 0.5213, 0.6889, 0.8417, 0.9871])
_UNIT_GRIDS: dict[int, np.ndarray] = {}


class Kind(enum.StrEnum):
    """What a critical point is (and which optimum was asked for: ``MAX`` or ``MIN``).

    A ``StrEnum``: ``Kind.MAX == "max"``, so callers may compare with the plain strings.
    """

    MAX = "max"
    MIN = "min"
    INFLECTION = "inflection"


class DerivativeTest(enum.StrEnum):
    """Which test decided a critical point's kind."""

    SECOND_DERIVATIVE = "second-derivative"
    FIRST_DERIVATIVE = "first-derivative"  # the sign change of f' (f'' is zero or does not exist)


class Feature(enum.StrEnum):
    """How f looks at a critical point. ``SMOOTH`` is the empty string (falsy)."""

    SMOOTH = ""
    KINK = "kink"  # f' jumps (|x| at 0)
    CUSP = "cusp"  # |f'| is infinite and f' changes sign (sqrt(|x|) at 0)
    VERTICAL_TANGENT = "vertical tangent"  # |f'| is infinite and f' keeps its sign (cbrt(x) at 0)


class Method(enum.StrEnum):
    """How f' was computed."""

    ANALYTIC = "analytic"
    COMPLEX_STEP = "complex-step"
    CENTRAL_DIFFERENCE = "central-difference"


class FoundBy(enum.StrEnum):
    """How the optimum was found."""

    CRITICAL_POINT = "critical point"  # a root of f' (or a kink or cusp) beat both ends
    BOUNDARY = "boundary"  # an end of the interval beat every critical point
    SAMPLING = "sampling"  # a grid sample beat every candidate; its neighbouring cells were searched
    FLAT = "flat"  # f' = 0 throughout: every point is optimal


class Boundary(enum.Enum):
    """Why an optimum on an end of the interval is there (``Optimum.boundary``)."""

    BEATS_INTERIOR = "beats interior"  # interior optima of the goal's kind exist, the end beats them
    RISES = "rises"  # f' never changes sign and f rises across the whole interval
    FALLS = "falls"  # f' never changes sign and f falls across the whole interval
    NO_INTERIOR_OPTIMUM = "no interior optimum"  # critical points exist, none of the goal's kind


class NotFinite(ValueError):
    """f (``name == "f"``) or f' (``"f'"``) is not finite at ``x`` on the interval: ``value`` is
    what it gave there (nan, or an overflow to ±inf)."""

    def __init__(self, name: str, x: float, value: float) -> None:
        super().__init__(f"{name} is not finite at x={x:.6g}: {name}(x)={value}")
        self.name, self.x, self.value = name, float(x), float(value)

    def __reduce__(self):  # survives the trip back from a worker process
        return NotFinite, (self.name, self.x, self.value)


@dataclass(frozen=True)
class DerivativeEstimate:
    """A derivative value and how it was obtained (``method``); ``h`` is the step used (0 for
    analytic)."""

    value: float
    method: Method
    h: float


@dataclass(frozen=True)
class CriticalPoint:
    """A point in (lo, hi) where f' is zero, or where f is finite but has no derivative.

    ``kind`` is :class:`Kind` (``INFLECTION``: f' keeps its sign); ``test`` says which
    :class:`DerivativeTest` decided. ``feature`` is :attr:`Feature.SMOOTH` for a smooth point, else the
    kink, cusp or vertical tangent; ``left_slope`` and ``right_slope`` are the one-sided
    derivatives there (nan at a smooth point).
    """

    x: float
    fun: float
    kind: Kind
    second_derivative: float = math.nan
    test: DerivativeTest = DerivativeTest.SECOND_DERIVATIVE
    feature: Feature = Feature.SMOOTH
    left_slope: float = math.nan
    right_slope: float = math.nan


@dataclass(frozen=True)
class Optimum:
    """The global maximum or minimum of f over [lo, hi]: numbers and statuses
    (:mod:`explain.engine` says them in words).

    Attributes
    ----------
    x, fun : float
        Where the optimum is and the value of f there. When it is reached at several places
        (``xs``), ``x`` is an interior one if there is one.
    kind : Kind
        ``Kind.MAX`` or ``Kind.MIN`` (the goal that was asked for; equal to ``"max"``/``"min"``).
    at_boundary : bool
        True when ``x`` is an endpoint of the interval.
    derivative, second_derivative : float
        f'(x) and f''(x) at the optimum (nan where they do not exist: a kink or a cusp;
        infinite at an end with a vertical tangent).
    method : Method
        How the derivative was computed (roots of f' are refined by brentq).
    nfev : int
        Number of points at which f (or f') was evaluated.
    flat : bool
        True when f is constant on the interval (every point is optimal; ``x`` is lo).
    critical_points : tuple of CriticalPoint
        Every interior critical point that was compared.
    found_by : FoundBy
        A critical point, an end of the interval, sampling (a grid sample beat every critical
        point and its neighbouring cells were searched) or flat.
    feature : Feature
        The optimum's :attr:`CriticalPoint.feature`.
    complete : bool
        False when the grid could not resolve f' (it changes sign or shape faster than the
        grid spacing somewhere): critical points may be missing.
    suggestion : tuple of float or None
        A narrower interval to try when ``complete`` is False.
    lo, hi : float
        The interval.
    xs : tuple of float
        Every place in [lo, hi] where f reaches ``fun`` up to rounding (TIE_ULPS ulps of f's
        size), sorted; it holds ``x``. Empty for a flat f (every point is optimal).
    boundary : Boundary or None
        Why an optimum on an end is there (None for an interior one).
    sample_x : float
        The grid sample that beat every critical point the scan found (``found_by`` is
        SAMPLING); nan otherwise.
    grid_points : int
        Points of the grid that scanned f'.
    """

    x: float
    fun: float
    kind: Kind
    at_boundary: bool
    derivative: float
    second_derivative: float
    method: Method
    nfev: int
    flat: bool = False
    critical_points: tuple[CriticalPoint, ...] = ()
    found_by: FoundBy = FoundBy.CRITICAL_POINT
    feature: Feature = Feature.SMOOTH
    complete: bool = True
    suggestion: tuple[float, float] | None = None
    lo: float = math.nan
    hi: float = math.nan
    xs: tuple[float, ...] = ()
    boundary: Boundary | None = None
    sample_x: float = math.nan
    grid_points: int = GRID_POINTS

    @property
    def spacing(self) -> float:
        """The grid's spacing, (hi - lo) / (grid_points - 1)."""
        return (self.hi - self.lo) / (self.grid_points - 1)


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
        raise NotFinite(name, float(x.flat[i]), float(y.flat[i]))


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

    def __init__(self, f: Func, df: Func | None, method: Method) -> None:
        self.f = f
        self.df = df
        self.method = method

    @classmethod
    def choose(cls, f: Func, df: Func | None, probe: np.ndarray) -> _Deriv:
        if df is not None:
            return cls(f, df, Method.ANALYTIC)
        ok = _complex_step_ok(f, probe)
        return cls(f, None, Method.COMPLEX_STEP if ok else Method.CENTRAL_DIFFERENCE)

    @classmethod
    def on_grid(cls, f: Func, df: Func | None, x: np.ndarray):
        """(derivative object, f(x), f'(x)) on a grid, choosing the method on the way.

        The complex step is trusted only where it agrees
        with central differences at a few irregular grid points.
        """
        if df is not None:
            return cls(f, df, Method.ANALYTIC), _real(f, x), _real(df, x)
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
                return cls(f, None, Method.COMPLEX_STEP), _real(f, x), cs
        return cls(f, None, Method.CENTRAL_DIFFERENCE), _real(f, x), _central(f, x)

    def grid(self, x: np.ndarray) -> np.ndarray:
        """f' on an array, by the method chosen for the interval."""
        if self.method == Method.ANALYTIC:
            return _real(self.df, x)
        if self.method == Method.COMPLEX_STEP:
            z = _complex_values(self.f, x)
            if z is not None:
                return z.imag / COMPLEX_STEP
        return _central(self.f, x)

    def scalar(self, x: float) -> float:
        """f'(x) at one point."""
        if self.method == Method.ANALYTIC:
            return _real_scalar(self.df, x)
        if self.method == Method.COMPLEX_STEP:
            y = _scalar(self.f, complex(x, COMPLEX_STEP))
            if isinstance(y, complex):
                return y.imag / COMPLEX_STEP
        h = _CBRT_EPS * max(1.0, abs(x))
        return (_real_scalar(self.f, x + h) - _real_scalar(self.f, x - h)) / (2 * h)

    def second(self, x: float, d2f: Func | None) -> float:
        """f''(x): analytic, or the derivative of f' (complex step on df, else central)."""
        if d2f is not None:
            return _real_scalar(d2f, x)
        if self.method == Method.ANALYTIC:
            try:
                return float(derivative(self.df, x))
            except ValueError:  # f'' does not exist here (a cusp, or the end of f's domain)
                return math.nan
        if self.method == Method.COMPLEX_STEP:
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
    The tutorial's headphone profit (p - 20) * (1300 - 10p) rises $500 per $1 at p = 50:

    >>> round(derivative(lambda p: (p - 20) * (1300 - 10 * p), 50.0), 12)
    500.0
    >>> str(derivative(lambda p: (p - 20) * (1300 - 10 * p), 50.0, full_output=True).method)
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
            value, method, h = _real_scalar(df, x), Method.ANALYTIC, 0.0
        elif _complex_step_ok(f, xs):
            value = float(_complex_values(f, xs).imag[0]) / COMPLEX_STEP
            method, h = Method.COMPLEX_STEP, COMPLEX_STEP
        else:
            value = float(_central(f, xs)[0])
            method, h = Method.CENTRAL_DIFFERENCE, _CBRT_EPS * max(1.0, abs(x))
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
    """Sign of f' at the nearest grid point from i in direction step with f' finite and != 0."""
    j = i + step
    while 0 <= j < d.size:
        if d[j] != 0 and not math.isnan(d[j]):
            return float(np.sign(d[j]))
        j += step
    return 0.0


def _kind_from(f2: float, left: float, right: float, f2_scale: float) -> tuple[Kind, DerivativeTest]:
    """(kind, test): by f'' when it is clearly nonzero, else by the signs of f' on each side."""
    if math.isfinite(f2) and abs(f2) > ZERO_CURVATURE_RTOL * f2_scale:
        return (Kind.MAX if f2 < 0 else Kind.MIN), DerivativeTest.SECOND_DERIVATIVE
    return _kind_by_signs(left, right), DerivativeTest.FIRST_DERIVATIVE


def _kind_by_signs(left: float, right: float) -> Kind:
    if left > 0 > right:
        return Kind.MAX
    if left < 0 < right:
        return Kind.MIN
    return Kind.INFLECTION


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


def _finite_or_zero(func: Callable[[float], float]) -> Callable[[float], float]:
    """For brentq across a kink or cusp: nan where f' does not exist counts as the root."""

    def g(t: float) -> float:
        v = func(t)
        return v if not math.isnan(v) else 0.0

    return g


def _nfev(d: _Deriv) -> int:
    """Points at which f and f' were evaluated (both are _Counted inside _scan)."""
    return d.f.n + (d.df.n if d.df is not None else 0)


@dataclass
class _Scan:
    """What the grid scan saw: grid, f and f' on it, the classified points, and whether the
    grid resolved f'."""

    d: _Deriv
    x: np.ndarray
    fx: np.ndarray
    g: np.ndarray
    points: list[CriticalPoint] | None  # None when f is flat
    f_scale: float = 0.0
    f2_scale: float = 0.0
    unresolved: int = 0  # cells where sampled f' and f disagree (not explained by a kink)
    crowded: int = 0  # sign changes of f' in two neighbouring cells


def _one_sided(f: Func, r: float, lo: float, hi: float, cell: float, f_scale: float):
    """(feature, left slope, right slope) at r from one-sided difference quotients of f.

    Near a smooth root of f' the quotients shrink with the step; at a kink they tend to the
    two one-sided derivatives; at a cusp they grow without bound.
    """
    big, small = (s * cell for s in ONE_SIDED_STEPS)
    pts = np.array([r - big, r - small, r, r + small, r + big])
    fv = _real(f, np.clip(pts, lo, hi))
    fr = fv[2]
    noise = 16 * _EPS * max(abs(fr), f_scale) / small
    slopes = []
    for side, (i_big, i_small) in (("left", (0, 1)), ("right", (4, 3))):
        if (side == "left" and r - big < lo) or (side == "right" and r + big > hi):
            slopes.append((math.nan, math.nan))
            continue
        sgn = -1.0 if side == "left" else 1.0
        q_big = sgn * (fv[i_big] - fr) / big
        q_small = sgn * (fv[i_small] - fr) / small
        slopes.append((q_big, q_small))
    ratios = []
    for q_big, q_small in slopes:
        if not (math.isfinite(q_big) and math.isfinite(q_small)) or abs(q_small) <= 10 * noise:
            return Feature.SMOOTH, math.nan, math.nan
        ratios.append(abs(q_small) / max(abs(q_big), 1e-300))
    if min(ratios) < 0.3:  # the quotients shrink with the step: smooth
        return Feature.SMOOTH, math.nan, math.nan
    (_, left), (_, right) = slopes
    if max(ratios) <= 3:
        return Feature.KINK, left, right
    return (Feature.CUSP if left * right < 0 else Feature.VERTICAL_TANGENT), left, right


def _touch_or_pair(d: _Deriv, x: np.ndarray, g: np.ndarray, k: int, d2f: Func | None):
    """At a dip of |f'| around grid point k (no sign change on the grid): the events there.

    Solves f'' = 0 for the bottom r of the dip. f' of the opposite sign at r means two roots
    hide in the two cells: both are refined. f' zero at r up to what its rounding and the
    uncertainty of r explain is a touch (one event, f' keeps its sign). Anything else is a
    plain dip of |f'|: no event.
    """
    a, b = float(x[k - 1]), float(x[k + 1])
    try:
        r = _brentq(lambda t: d.second(t, d2f), a, b)
    except (ValueError, ZeroDivisionError, OverflowError):
        return []
    gr = d.scalar(r)
    if not math.isfinite(gr):
        return []
    side = float(np.sign(g[k]))
    ulp = np.spacing(abs(r)) if r != 0 else 5e-324
    near = [d.scalar(r + j * ulp) for j in (-2, -1, 1, 2)]
    near.append(gr)
    noise = max(near) - min(near) if all(map(math.isfinite, near)) else abs(gr)
    h = float(x[1] - x[0])
    f3 = abs(float(g[k + 1] - 2 * g[k] + g[k - 1])) / (h * h)
    delta = 2 * (BRENTQ_XTOL + 4 * BRENTQ_RTOL * abs(r))
    window = TOUCH_SAFETY * (f3 * delta * delta / 2 + noise)
    if abs(gr) <= window:
        return [(r, side, side)]
    if gr * side < 0:
        r1 = _brentq(d.scalar, a, r)
        r2 = _brentq(d.scalar, r, b)
        return [(r1, side, -side), (r2, -side, side)]
    return []


def _scan(f: Func, lo: float, hi: float, df: Func | None, d2f: Func | None, n: int) -> _Scan:
    """Grid scan + brentq + classification."""
    lo, hi = _check_interval(lo, hi)
    if int(n) < 3:
        raise ValueError(f"n must be at least 3, got {n}")
    fc = _Counted(f)
    dfc = _Counted(df) if df is not None else None
    x = _grid(lo, hi, int(n))
    d, fx, g = _Deriv.on_grid(fc, dfc, x)
    f_scale = float(np.abs(fx).max())
    if not math.isfinite(f_scale):
        _check_finite("f", x, fx)
    ag = np.abs(g)
    gmax = float(ag.max())
    singular = None
    if not math.isfinite(gmax):  # f' infinite or undefined somewhere: cusps, or overflow
        singular = ~np.isfinite(g)
        _check_singular(x, g, singular)
        gmax = float(ag[~singular].max(initial=0.0))
    if singular is None and gmax * (hi - lo) <= FLAT_RTOL * max(1.0, f_scale):
        return _Scan(d, x, fx, g, None, f_scale)

    # Sign events of f': (x, sign on the left, sign on the right).
    s = np.sign(g)
    last = x.size - 1
    events: list[tuple[float, float, float]] = []
    on_grid = s[1:last] == 0
    if singular is not None:
        on_grid |= singular[1:last]
    zeros = np.flatnonzero(on_grid) + 1
    run_start = 0
    for pos, i in enumerate(zeros):  # f' zero (or not finite) on the grid: a run is one point
        if pos + 1 < zeros.size and zeros[pos + 1] == i + 1:
            continue
        start = int(zeros[run_start])
        run_start = pos + 1
        mid = float(0.5 * (x[start] + x[i]))
        left, right = _sign_side(g, start, -1), _sign_side(g, int(i), +1)
        if left and right:  # else f' = 0 from here to an end: a flat stretch (or underflow), not a point
            events.append((mid, left, right))
    change = s[:-1] * s[1:] < 0  # sign changes between nonzero neighbours
    changes = np.flatnonzero(change)
    scalar = d.scalar if singular is None and d.method != Method.CENTRAL_DIFFERENCE else _finite_or_zero(d.scalar)
    for k in changes:
        root = _brentq(scalar, float(x[k]), float(x[k + 1]))
        events.append((root, float(s[k]), float(s[k + 1])))
    # |f'| dips to (almost) zero without changing sign, e.g. x**3 at 0: f'' has a root there.
    mid = ag[1:last]
    dips = 1 + np.flatnonzero(
        (mid < ag[: last - 1]) & (mid <= ag[2:]) & (s[: last - 1] == s[2:]) & (s[1:last] == s[2:])
    )
    for k in dips:
        events += _touch_or_pair(d, x, g, int(k), d2f)

    # Events closer than brentq's own tolerance are one point (e.g. a root of f' exactly on
    # the grid that the complex step's O(h**2) term splits into two sign changes).
    events.sort()
    merged: list[list[float]] = []
    for ev in events:
        if merged and ev[0] - merged[-1][0] <= 2 * (BRENTQ_XTOL + 4 * BRENTQ_RTOL * abs(ev[0])):
            merged[-1][2] = ev[2]
        else:
            merged.append(list(ev))

    finite_g = g if singular is None else g[~singular]
    f2_scale = float(finite_g.max() - finite_g.min()) / (hi - lo) if finite_g.size else 0.0
    cell = float(x[1] - x[0])
    points = [
        _classify(d, fc, xr, left, right, lo, hi, cell, f_scale, f2_scale, d2f)
        for xr, left, right in merged
        if lo < xr < hi
    ]
    scan = _Scan(d, x, fx, g, points, f_scale, f2_scale)
    scan.unresolved = _unresolved(x, fx, g, ag, singular, points, f_scale)
    if changes.size > UNRESOLVED_MIN:
        scan.crowded = int(np.count_nonzero(change[:-1] & change[1:]))
    return scan


def _check_singular(x: np.ndarray, g: np.ndarray, singular: np.ndarray) -> None:
    """f' may be infinite or undefined at isolated points where f is finite (a cusp or a
    vertical tangent); on a stretch of the grid it has overflowed, and that is an error."""
    run = np.diff(np.flatnonzero(np.diff(np.concatenate([[0], singular.astype(int), [0]]))))[::2]
    if run.size and run.max() > 2:
        _check_finite("f'", x, g)


def _classify(d, fc, xr, left, right, lo, hi, cell, f_scale, f2_scale, d2f) -> CriticalPoint:
    """One event as a CriticalPoint: f'' first; the first-derivative test (and the kink and
    cusp test) where f'' is zero, huge or does not exist."""
    f2 = float(d.second(xr, d2f))
    kind, test = _kind_from(f2, left, right, f2_scale)
    feature, lslope, rslope = Feature.SMOOTH, math.nan, math.nan
    if test == DerivativeTest.FIRST_DERIVATIVE or not abs(f2) <= SHARP_CURVATURE * max(f2_scale, 1e-300):
        feature, lslope, rslope = _one_sided(d.f, xr, lo, hi, cell, f_scale)
        if feature:
            kind, test, f2 = _kind_by_signs(left, right), DerivativeTest.FIRST_DERIVATIVE, math.nan
            if kind != Kind.INFLECTION:
                xr = _snap(fc, xr, kind, lo, hi)
    return CriticalPoint(xr, _real_scalar(fc, xr), kind, f2, test, feature, lslope, rslope)


def _snap(f: Func, r: float, kind: str, lo: float, hi: float) -> float:
    """At a kink or cusp brentq lands within ~1e-14 of the point, but f is not flat there:
    (sqrt|x| at 6e-15 is 8e-8). Try r rounded to fewer digits (cusps sit at round numbers
    more often than not) and keep whichever is best for ``kind``."""
    tries = {r, *(float(f"{r:.{k}g}") for k in range(1, 17))}
    if abs(r) < 1e-12:
        tries.add(0.0)
    near = sorted(t for t in tries if lo <= t <= hi and abs(t - r) <= 1e-12 * max(1.0, abs(r)))
    values = _real(f, np.array(near))
    ok = np.isfinite(values)
    if not ok.any():
        return r
    pick = np.argmax(values[ok]) if kind == "max" else np.argmin(values[ok])
    return float(np.array(near)[ok][pick])


def _unresolved(x, fx, g, ag, singular, points, f_scale) -> int:
    """Cells where the sampled f' does not integrate to the sampled f.

    On every cell the trapezoid rule h (f'_k + f'_k+1) / 2 should match f_k+1 - f_k up to
    h**3 f'''/12; where f' oscillates faster than the grid (aliasing) it misses by the
    whole variation. Cells holding a kink, cusp or singular point are not counted.
    """
    half = 0.5 * (x[1] - x[0])  # callers run under np.errstate(all="ignore")
    step = fx[1:] - fx[:-1]
    # First the totals: f's variation on the grid against the trapezoid rule on |f'|. They
    # agree to O(h**2) when the grid resolves f' (one reduction each, no per-cell arrays).
    f_variation = float(np.abs(step).sum())
    g_variation = float(half * (2 * ag.sum() - ag[0] - ag[-1]))
    if abs(f_variation - g_variation) <= TOTAL_RTOL * max(f_variation, g_variation) + 64 * _EPS * f_scale * step.size:
        return 0
    miss = np.abs(step - half * (g[1:] + g[:-1]))
    miss -= TRAPEZOID_RTOL * (np.abs(step) + half * (ag[1:] + ag[:-1]))
    bad = miss > 64 * _EPS * f_scale
    if not bad.any():
        return 0
    if singular is not None:
        bad &= ~(singular[:-1] | singular[1:])
    rough = [p.x for p in points if p.feature]
    if rough:
        for c in np.clip(np.searchsorted(x, rough) - 1, 0, bad.size - 1):
            bad[max(c - 1, 0) : c + 2] = False
    return int(np.count_nonzero(bad))


def critical_points(
    f: Func,
    lo: float,
    hi: float,
    df: Func | None = None,
    d2f: Func | None = None,
    *,
    n: int = GRID_POINTS,
) -> list[CriticalPoint]:
    """Every point in (lo, hi) where f' is zero (or f has a kink or cusp), classified.

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
        If lo >= hi, either is not finite, f is not finite on the interval, or f' is not
        finite on a stretch of it (isolated points where f' is infinite are cusps or
        vertical tangents, and are returned).

    Examples
    --------
    sin(x) + 0.1x turns six times on [0, 20]:

    >>> pts = critical_points(lambda x: np.sin(x) + 0.1 * x, 0, 20)
    >>> [str(p.kind) for p in pts]
    ['max', 'min', 'max', 'min', 'max', 'min']
    """
    with np.errstate(all="ignore"):
        scan = _scan(f, lo, hi, df, d2f, n)
    return [] if scan.points is None else scan.points


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
    boundary is found and reported (``at_boundary``), and the answer is never worse than
    the best grid sample (``found_by == "sampling"`` when a sample had to be refined). A
    function whose derivative is zero everywhere is reported as flat instead of inventing
    an optimum; a grid that cannot resolve f' is reported (``complete``, ``suggestion``).
    Places whose values agree to rounding are ties, all reported (``xs``).

    Examples
    --------
    The tutorial's headphone store: profit (p - 20)(1300 - 10p) peaks at $75 with $30,250.

    >>> best = optimize(lambda p: (p - 20) * (1300 - 10 * p), 20, 130)
    >>> best.x, best.fun, best.kind == "max", best.at_boundary
    (75.0, 30250.0, True, False)

    x**3 - 3x on [-2, 3] reaches its minimum -2 twice, at the lower end and at x = 1:

    >>> low = optimize(lambda x: x**3 - 3 * x, -2, 3, "min")
    >>> low.fun, low.xs
    (-2.0, (-2.0, 1.0))
    """
    if goal not in ("max", "min"):
        raise ValueError(f"goal must be 'max' or 'min', got {goal!r}")
    with np.errstate(all="ignore"):
        return _optimize(f, lo, hi, goal, df, d2f, n)


def _rounding(f: Func, x: float, value: float, lo: float, hi: float) -> float:
    """How far f(x) may be from the optimum's value by rounding alone: TIE_ULPS ulps of the
    value, plus, inside the interval (where x is a root brentq found to its tolerance), how
    much f changes over that tolerance."""
    noise = TIE_ULPS * _EPS * abs(value)
    if lo < x < hi:
        delta = 2 * (BRENTQ_XTOL + 4 * BRENTQ_RTOL * abs(x))
        near = _real(f, np.clip(np.array([x - delta, x + delta]), lo, hi))
        if np.isfinite(near).all():
            noise += float(np.abs(near - value).max())
    return noise


def tied_places(
    f: Func,
    places: list[tuple[float, float]],
    best_x: float,
    best_f: float,
    goal: str,
    lo: float,
    hi: float,
    scale: float = 0.0,
) -> tuple[float, ...]:
    """The x of every (x, f(x)) in ``places`` whose value ties with the best one, (best_x,
    best_f), up to rounding; sorted, holding best_x. ``scale`` is f's size on [lo, hi].

    Two values tie when they differ by no more than their rounding: TIE_ULPS ulps of each,
    and, for a place inside (lo, hi), the change of f over brentq's tolerance there (at a
    double root (x - 1)**2 that is ~1e-28, far more than an ulp of 0). Places further than a
    millionth of the values (or a billionth of ``scale``) are not examined: most optima have
    no rival, and cost no evaluation of f.

    >>> f = lambda x: x**3 - 3 * x
    >>> tied_places(f, [(-2.0, -2.0), (3.0, 18.0), (1.0, -2.0)], 1.0, -2.0, "min", -2.0, 3.0)
    (-2.0, 1.0)
    """
    sign = 1.0 if goal == "max" else -1.0
    near = 1e-6 * abs(best_f) + 1e-9 * scale
    rivals = [(px, pf) for px, pf in places if px != best_x and sign * (best_f - pf) <= near + 1e-6 * abs(pf)]
    if not rivals:
        return (best_x,)
    with np.errstate(all="ignore"):
        own = _rounding(f, best_x, best_f, lo, hi)
        tied = {px for px, pf in rivals if sign * (best_f - pf) <= own + _rounding(f, px, pf, lo, hi)}
    return tuple(sorted(tied | {best_x}))


def _search_near(scan: _Scan, k: int, goal: str, d2f: Func | None, lo: float, hi: float):
    """A grid sample x_k beat every candidate: search its two neighbouring cells.

    Zooms in (a finer grid of f and f' on [x_k-1, x_k+1], sign changes refined by brentq)
    until a critical point at least as good as every sample is found, or LOCAL_DEPTH zooms
    are used (then bounded Brent polishes the best sample). Returns (new critical points,
    the best of them or None, the polished point (x, f) when no critical point won).
    """
    d, sign = scan.d, (1.0 if goal == "max" else -1.0)
    a, b = float(scan.x[k - 1]), float(scan.x[k + 1])
    found: list[CriticalPoint] = []
    for _ in range(LOCAL_DEPTH):
        xs = _grid(a, b, LOCAL_POINTS)
        fs, gs = _real(d.f, xs), d.grid(xs)
        if not (np.isfinite(fs).all() and np.isfinite(gs).all()):
            break
        s = np.sign(gs)
        cell = float(xs[1] - xs[0])
        for j in np.flatnonzero(s[:-1] * s[1:] < 0):
            r = _brentq(d.scalar, float(xs[j]), float(xs[j + 1]))
            found.append(
                _classify(d, d.f, r, float(s[j]), float(s[j + 1]), lo, hi, cell, scan.f_scale, scan.f2_scale, d2f)
            )
        best = max((p for p in found if p.kind == goal), key=lambda p: sign * p.fun, default=None)
        j = int(np.argmax(sign * fs))
        noise = 4 * _EPS * max(scan.f_scale, abs(float(fs[j])))
        if best is not None and sign * best.fun >= sign * float(fs[j]) - noise:
            return found, best, None
        if not 0 < j < xs.size - 1:
            break
        a, b = float(xs[j - 1]), float(xs[j + 1])
    res = minimize_scalar(
        lambda t: -sign * _real_scalar(d.f, t), bounds=(a, b), method="bounded", options={"xatol": 1e-15}
    )
    xb = float(res.x)
    return found, None, (xb, _real_scalar(d.f, xb))


def _suggest(scan: _Scan, centre: float, lo: float, hi: float) -> tuple[float, float]:
    """A narrower interval around ``centre`` where the grid would resolve f': about 100
    periods of the fastest oscillation that f's range and max|f'| suggest, at most a
    quarter of [lo, hi]."""
    finite = scan.g[np.isfinite(scan.g)]
    gmax = float(np.abs(finite).max()) if finite.size else 0.0
    spread = float(scan.fx.max() - scan.fx.min())
    width = (hi - lo) / 4
    if gmax > 0 and spread > 0:
        width = min(width, 100 * math.pi * spread / gmax)
    a = min(max(lo, centre - width / 2), hi - width)
    return float(a), float(a + width)


def _optimize(f, lo, hi, goal, df, d2f, n) -> Optimum:
    scan = _scan(f, lo, hi, df, d2f, n)
    d, x, fx, g = scan.d, scan.x, scan.fx, scan.g
    lo, hi = float(x[0]), float(x[-1])
    kind = Kind(goal)
    sign = 1.0 if goal == "max" else -1.0
    common = {"kind": kind, "method": d.method, "lo": lo, "hi": hi, "grid_points": int(x.size)}

    if scan.points is None:
        return Optimum(
            x=lo,
            fun=float(fx[0]),
            at_boundary=True,
            derivative=0.0,
            second_derivative=0.0,
            nfev=_nfev(d),
            flat=True,
            found_by=FoundBy.FLAT,
            **common,
        )

    points = list(scan.points)
    inside = [p for p in points if p.kind == goal]
    candidates = [(float(fx[0]), 0, 0), (float(fx[-1]), 0, -1)]
    candidates += [(p.fun, 1, i) for i, p in enumerate(inside)]
    # best value first; among exact ties prefer an interior point
    best_f, interior, i = max(candidates, key=lambda c: (sign * c[0], c[1]))

    # Never worse than what was seen: a grid sample better than every candidate means the
    # scan missed something narrower than a cell around it.
    found_by = FoundBy.CRITICAL_POINT if interior else FoundBy.BOUNDARY
    k = int(fx.argmax() if goal == "max" else fx.argmin())
    polished, sample_x = None, math.nan
    if 0 < k < x.size - 1 and sign * float(fx[k]) > sign * best_f + 4 * _EPS * scan.f_scale:
        found, best_near, polished = _search_near(scan, k, goal, d2f, lo, hi)
        points = sorted({p.x: p for p in [*points, *found]}.values(), key=lambda p: p.x)
        inside = [p for p in points if p.kind == goal]
        found_by, sample_x = FoundBy.SAMPLING, float(x[k])
        if best_near is not None:
            best_f, interior, i = best_near.fun, 1, inside.index(best_near)
            polished = None
        elif polished is not None:
            best_f, interior = polished[1], 1

    feature, boundary = Feature.SMOOTH, None
    if polished is not None:
        best_x, best_f = polished
        slope, curv = d.scalar(best_x), float(d.second(best_x, d2f))
    elif interior:
        best = inside[i]
        best_x, curv, feature = best.x, best.second_derivative, best.feature
        slope = math.nan if feature else d.scalar(best.x)
    else:
        best_x, slope = float(x[i]), float(g[i])
        curv = float(d.second(best_x, d2f))
        if inside:
            boundary = Boundary.BEATS_INTERIOR
        elif not points:
            finite = g[np.isfinite(g) & (g != 0)]
            boundary = Boundary.RISES if finite.size and finite[0] > 0 else Boundary.FALLS
        else:
            boundary = Boundary.NO_INTERIOR_OPTIMUM

    # Every place where f reaches the optimum up to rounding: both ends, the interior points
    # of the goal's kind and the polished sample.
    places = [(lo, float(fx[0])), (hi, float(fx[-1]))] + [(p.x, p.fun) for p in inside]
    if polished is not None:
        places.append(polished)

    xs = tied_places(d.f, places, best_x, best_f, goal, lo, hi, scan.f_scale)

    complete, suggestion = True, None
    cells = x.size - 1
    limit = max(UNRESOLVED_MIN, UNRESOLVED_SHARE * cells)
    if scan.unresolved > limit or scan.crowded > limit or found_by == FoundBy.SAMPLING:
        complete = False
        suggestion = _suggest(scan, best_x, lo, hi)
    return Optimum(
        x=best_x,
        fun=best_f,
        at_boundary=not interior,
        derivative=slope,
        second_derivative=curv,
        nfev=_nfev(d),
        critical_points=tuple(points),
        found_by=found_by,
        feature=feature,
        complete=complete,
        suggestion=suggestion,
        xs=xs,
        boundary=boundary,
        sample_x=sample_x,
        **common,
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
