"""The calculus engine in two variables: every critical point in a box, the global optimum on
the box, an equality constraint, gradient and Newton paths, and the sensitivity of an optimum.

The recipe is the one-variable engine's (:mod:`optimizers.calculus`), one dimension up:

1. **Grid scan.** f and ∇f on an n × n grid of the box in one vectorised call each (analytic
   gradient and Hessian when the caller has them, else the complex step, else central
   differences; the method is chosen once per box and checked at irregular probe points).
2. **Brackets.** In one variable a sign change of f' brackets a root. In two, a grid cell
   around which the direction of ∇f turns a whole number of times (its *winding number*, the
   sum of the indices of the critical points inside: +1 for an extremum, −1 for a saddle)
   brackets a critical point. Cells with a nonzero winding number and the grid nodes where
   |∇f| is locally smallest (which also catch a pair of points hiding in one cell, whose
   indices cancel) are the starts.
3. **Refine.** Newton's method on ∇f = 0 from every start, damped (Levenberg–Marquardt in
   box-scaled coordinates, with a trust radius), all starts at once. A point is kept when
   |∂f/∂x|·width_x and |∂f/∂y|·width_y are below ``GRAD_RTOL`` of f's own scale on the box
   (the size of ∇f relative to f's own scale); points closer than ``DEDUP_RTOL`` of the box
   are one point. A bracket cell that no point explains (no point in it, or indices that do
   not add up to its winding number) is searched again on a finer grid of starts; if it is
   still unexplained, the search says it may be incomplete.
4. **Classify** by the eigenvalues of the Hessian (computed in box-scaled units): both
   positive, a minimum; both negative, a maximum; opposite signs, a saddle; an eigenvalue
   zero within ``ZERO_RTOL`` of the Hessian's scale, *degenerate*: the second-derivative test
   cannot decide (x³ − 3xy² at the origin, a monkey saddle), and the result says so rather
   than guess.
5. **Global optimum on the box.** Every interior critical point is compared with the four
   edges (each a one-variable problem for :func:`optimizers.calculus.optimize`, including the
   critical points inside each edge) and the four corners. Ties within rounding are all
   reported (``places``), a constant edge is reported as a whole (``flat_edges``), and the
   answer is never worse than the best grid sample (a sample that beats every candidate is
   refined, and the result says it was found by sampling and may be incomplete).

A constraint g(x, y) = 0 is handled by the method of Lagrange multipliers: Newton on
∇f = λ∇g, g = 0 from points on the curve g = 0 (found on the grid's lines), compared with the
ends of the curve on the box's boundary. Sign convention: **λ is the rate at which the best
value changes when the constraint's right-hand side rises**, i.e. for g(x, y) = c,
dV*/dc = λ at c = 0 (Larson's budget 150x + 250y − 50,000 = 0 gives λ = 0.334 output per
dollar).

Everything here returns numbers and enums, never sentences. Long loops call
:func:`optimizers.progress.checkpoint`.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import brentq, minimize, minimize_scalar

from optimizers import calculus
from optimizers.progress import checkpoint
from optimizers.sensitivity import COLUMNS, Param, parameter_step

__all__ = [
    "COMPLEX_STEP",
    "DEDUP_RTOL",
    "GRAD_RTOL",
    "GRID_POINTS",
    "MAX_STARTS",
    "PATH_STEPS",
    "SENSITIVITY_COLUMNS",
    "TIE_RTOL",
    "ZERO_RTOL",
    "Box",
    "BoxAnalysis",
    "BoxOptimum",
    "ConstrainedOptimum",
    "ConstrainedPoint",
    "ConstraintStatus",
    "CriticalPoint",
    "CriticalSearch",
    "Edge",
    "EdgePoint",
    "FoundBy",
    "Kind",
    "Location",
    "Method",
    "NotFinite",
    "Path",
    "PathMethod",
    "PathStatus",
    "Place",
    "Problem",
    "Search",
    "Sensitivity",
    "SensitivityTable",
    "analyse_box",
    "classify",
    "constrained",
    "critical_points",
    "gradient",
    "gradient_field",
    "grid",
    "hessian",
    "log_coordinates",
    "optimize",
    "path",
    "sensitivity",
    "solve",
]

Func = Callable[..., object]

#: Step of the complex-step derivative (as in the one-variable engine).
COMPLEX_STEP = calculus.COMPLEX_STEP
#: Points per side of the scan grid. Critical points closer together than a cell can share
#: a bracket; the finer search of unexplained cells and the |∇f| minima catch most of them.
GRID_POINTS = 41
#: At most this many Newton starts (the bracket cells first, then the |∇f| minima by size);
#: a search that had more is called incomplete.
MAX_STARTS = 1000
#: Newton iterations per start. Quadratic convergence needs a handful; a degenerate point
#: (∇f vanishing to second order, x³ − 3xy²) converges linearly and needs about 50.
NEWTON_MAXITER = 100
#: A point is critical when max(|f_x|·width_x, |f_y|·width_y) is at most this fraction of f's
#: scale on the box (max of |f| and f's range on the grid); central differences are looser.
GRAD_RTOL = 1e-8
GRAD_RTOL_CENTRAL = 1e-6
#: Critical points closer than this fraction of the box (in each coordinate) are one point.
DEDUP_RTOL = 1e-7
#: An eigenvalue of the box-scaled Hessian smaller than this fraction of the Hessian's scale
#: on the box counts as zero: the second-derivative test cannot decide (``Kind.DEGENERATE``).
ZERO_RTOL = 1e-6
#: Values within this fraction of f's scale are a tie (the optimum is reached at each place).
TIE_RTOL = 1e-12
#: f is flat when |∇f| (box-scaled) stays below this fraction of max(1, |f|) on the grid.
FLAT_RTOL = 1e-12
#: Critical points listed at most (a curve of critical points is sampled, not listed whole).
MAX_POINTS = 500
#: Degenerate points at least this many, or one from whose null direction Newton reaches
#: another degenerate point a cell away: the critical points fill a curve (``Search.CURVE``).
CURVE_MIN = 8
#: The scan grid is called unresolved when more than this share of its edges (and at least
#: UNRESOLVED_MIN) fail the trapezoid check (sampled ∇f does not integrate to sampled f): a
#: miss above TRAPEZOID_RTOL of the edge's own variation and above TRAPEZOID_FLOOR of f's
#: range per cell.
TRAPEZOID_RTOL = 0.25
TRAPEZOID_FLOOR = 1e-3
UNRESOLVED_SHARE = 0.02
UNRESOLVED_MIN = 4
#: Starts per side of the finer search in a bracket cell that no point explained.
REFINE_POINTS = 5
#: Constraint: the KKT residuals (relative, see ConstrainedPoint) a point must meet.
KKT_RTOL = 1e-8
#: Paths: default and largest number of steps; Armijo's sufficient-increase constant.
PATH_STEPS = 200
MAX_PATH_STEPS = 10_000
ARMIJO = 1e-4
#: A path has converged when its box-scaled gradient is this small relative to f's scale.
PATH_RTOL = 1e-8
#: Newton converges quadratically: its paths stop at this (or when a step no longer moves).
NEWTON_PATH_RTOL = 1e-13
#: A gradient path has also converged when its last step moved less than PATH_XTOL of the box
#: and changed f by less than PATH_FTOL of f's scale (zig-zagging in a narrow valley, where
#: the gradient test alone would need hundreds of invisible steps).
PATH_XTOL = 1e-6
PATH_FTOL = 1e-12
#: Irregular fractions of the box where the complex step is checked against central differences.
_PROBE = np.array([[0.0131, 0.7717], [0.1937, 0.3119], [0.3571, 0.9413], [0.5213, 0.0607], [0.6889, 0.5471]])
_COMPLEX_AGREEMENT_RTOL = 1e-5

_EPS = float(np.finfo(float).eps)
_CBRT_EPS = _EPS ** (1 / 3)
_QUARTIC_EPS = _EPS**0.25

#: The sensitivity table's columns: the one-variable contract (optimizers.sensitivity.COLUMNS)
#: and then ``coordinate`` (which optimum coordinate the row's optimum columns are about).
SENSITIVITY_COLUMNS = [*COLUMNS, "coordinate"]


# --- statuses ---------------------------------------------------------------------------------


class Kind(enum.Enum):
    """What a critical point is, by the eigenvalues of the Hessian there."""

    MINIMUM = "minimum"
    MAXIMUM = "maximum"
    SADDLE = "saddle"
    #: An eigenvalue is zero within rounding: the second-derivative test cannot decide.
    DEGENERATE = "degenerate"


class Location(enum.Enum):
    """Where on the box a point lies."""

    INTERIOR = "interior"
    EDGE = "edge"
    CORNER = "corner"


class Edge(enum.Enum):
    """The four edges of a box: LEFT is x = x_lo, RIGHT x = x_hi, BOTTOM y = y_lo, TOP y = y_hi."""

    LEFT = "left"
    RIGHT = "right"
    BOTTOM = "bottom"
    TOP = "top"


class Method(enum.Enum):
    """How derivatives were computed."""

    ANALYTIC = "analytic"
    COMPLEX_STEP = "complex-step"
    CENTRAL_DIFFERENCE = "central-difference"


class Search(enum.Enum):
    """How complete the list of critical points is."""

    #: Every bracket cell is explained by the points found, and the grid resolves ∇f.
    COMPLETE = "complete"
    #: Some bracket cell is unexplained, the grid does not resolve ∇f, or a grid sample beat
    #: every candidate: critical points may be missing (try a smaller box or a finer grid).
    INCOMPLETE = "incomplete"
    #: The critical points fill a curve (a valley or ridge of constant height, x² at x = 0):
    #: at least CURVE_MIN degenerate points, or Newton along a degenerate point's null
    #: direction reaches another one a cell away. The list samples the curve.
    CURVE = "curve"
    #: f is constant on the box: every point is critical and optimal.
    FLAT = "flat"


class FoundBy(enum.Enum):
    """Where the global optimum came from."""

    CRITICAL_POINT = "critical point"
    EDGE = "edge"
    CORNER = "corner"
    #: A grid sample beat every candidate and was refined locally (not a verified critical point).
    SAMPLING = "sampling"
    FLAT = "flat"


class ConstraintStatus(enum.Enum):
    """The outcome of the constrained search."""

    #: The optimum is a point of tangency, ∇f = λ∇g, inside the box.
    TANGENCY = "tangency"
    #: The optimum is an end of the constraint curve on the box's boundary (λ is nan there).
    ENDPOINT = "endpoint"
    #: g(x, y) = 0 has no point in the box.
    INFEASIBLE = "infeasible"
    #: A sampled point of the curve beat every candidate: the answer is that sample, refined,
    #: and points of tangency may be missing.
    INCOMPLETE = "incomplete"


class PathMethod(enum.Enum):
    """Which path to follow from a start point."""

    ASCENT = "ascent"
    DESCENT = "descent"
    NEWTON = "newton"


class PathStatus(enum.Enum):
    """Why a path stopped."""

    CONVERGED = "converged"
    #: The next step would leave the box; the path ends where it meets the boundary.
    LEFT_BOX = "left the box"
    MAX_STEPS = "max steps"
    #: No step improves f any more (ascent/descent), though ∇f is not small.
    STALLED = "stalled"
    #: Newton only: the Hessian is singular at the current point.
    SINGULAR = "singular Hessian"
    #: f or ∇f is not finite at the current point.
    NOT_FINITE = "not finite"


# --- the box ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """The rectangle [x_lo, x_hi] × [y_lo, y_hi].

    >>> Box(-5, 5, -5, 5).widths
    (10.0, 10.0)
    >>> Box(5, 2, 0, 1)
    Traceback (most recent call last):
    ...
    ValueError: x_hi must be greater than x_lo, got x_lo=5.0, x_hi=2.0
    """

    x_lo: float
    x_hi: float
    y_lo: float
    y_hi: float

    def __post_init__(self) -> None:
        for name in ("x_lo", "x_hi", "y_lo", "y_hi"):
            value = getattr(self, name)
            try:
                v = float(value)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"{name} must be a number, got {value!r}") from exc
            if not math.isfinite(v):
                raise ValueError(f"{name} must be finite, got {name}={v}")
            object.__setattr__(self, name, v + 0.0)
        for v in ("x", "y"):
            lo, hi = getattr(self, f"{v}_lo"), getattr(self, f"{v}_hi")
            if not hi > lo:
                raise ValueError(f"{v}_hi must be greater than {v}_lo, got {v}_lo={lo}, {v}_hi={hi}")

    @property
    def widths(self) -> tuple[float, float]:
        return self.x_hi - self.x_lo, self.y_hi - self.y_lo

    def contains(self, x: float, y: float) -> bool:
        return self.x_lo <= x <= self.x_hi and self.y_lo <= y <= self.y_hi

    def corners(self) -> tuple[tuple[float, float], ...]:
        """(x_lo, y_lo), (x_hi, y_lo), (x_lo, y_hi), (x_hi, y_hi)."""
        return ((self.x_lo, self.y_lo), (self.x_hi, self.y_lo), (self.x_lo, self.y_hi), (self.x_hi, self.y_hi))

    def edges_at(self, x: float, y: float) -> tuple[Edge, ...]:
        """The edges a point lies on (two at a corner, none inside)."""
        out = []
        if x == self.x_lo:
            out.append(Edge.LEFT)
        if x == self.x_hi:
            out.append(Edge.RIGHT)
        if y == self.y_lo:
            out.append(Edge.BOTTOM)
        if y == self.y_hi:
            out.append(Edge.TOP)
        return tuple(out)

    def location(self, x: float, y: float) -> Location:
        n = len(self.edges_at(x, y))
        return Location.INTERIOR if n == 0 else Location.EDGE if n == 1 else Location.CORNER


def _as_box(box) -> Box:
    if isinstance(box, Box):
        return box
    try:
        x_lo, x_hi, y_lo, y_hi = box
    except (TypeError, ValueError) as exc:
        raise ValueError(f"box must be a Box or (x_lo, x_hi, y_lo, y_hi), got {box!r}") from exc
    return Box(x_lo, x_hi, y_lo, y_hi)


def _check_goal(goal: str) -> str:
    if goal not in ("max", "min"):
        raise ValueError(f"goal must be 'max' or 'min', got {goal!r}")
    return goal


class NotFinite(ValueError):
    """f (or g) is not finite at a grid point of the box: ``x``, ``y`` say where."""

    def __init__(self, name: str, x: float, y: float, value: float) -> None:
        super().__init__(f"{name} is not finite at x={x:.6g}, y={y:.6g}: {name}={value}")
        self.name, self.x, self.y, self.value = name, float(x), float(y), value


# --- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriticalPoint:
    """A point inside the box (or on its boundary) where ∇f = 0.

    ``hessian`` is (f_xx, f_xy, f_yy) and ``eigenvalues`` its eigenvalues, smallest first (in
    f's units per unit² of x and y; the classification uses the box-scaled Hessian, which has
    the same signs). ``residual`` is max(|f_x|·width_x, |f_y|·width_y) / f_scale there: how
    far from exactly critical, relative to f's own scale. ``index`` is +1 for an extremum,
    −1 for a saddle and 0 for a degenerate point.
    """

    x: float
    y: float
    value: float
    kind: Kind
    hessian: tuple[float, float, float]
    eigenvalues: tuple[float, float]
    residual: float
    location: Location = Location.INTERIOR

    @property
    def index(self) -> int:
        return {Kind.MINIMUM: 1, Kind.MAXIMUM: 1, Kind.SADDLE: -1}.get(self.kind, 0)


@dataclass(frozen=True)
class CriticalSearch:
    """Every critical point found in the box and how complete the search is.

    ``unresolved`` counts the bracket cells no point explains, plus the grid edges where the
    sampled gradient does not integrate to the sampled f (beyond the allowed share), plus 1
    when there were more starts than MAX_STARTS;
    ``truncated`` the critical points left out beyond MAX_POINTS; ``f_scale`` the scale
    residuals and ties are judged against; ``nfev`` the points at which f (or ∇f, ∇²f) was
    evaluated.
    """

    points: tuple[CriticalPoint, ...]
    status: Search
    method: Method
    nfev: int
    f_scale: float
    unresolved: int = 0
    truncated: int = 0
    starts: int = 0

    @property
    def complete(self) -> bool:
        return self.status in (Search.COMPLETE, Search.FLAT)


@dataclass(frozen=True)
class Place:
    """One place where an optimum is reached: a point and where on the box it lies
    (``edges`` names the edges it is on: one on an edge, two at a corner)."""

    x: float
    y: float
    location: Location
    edges: tuple[Edge, ...] = ()


@dataclass(frozen=True)
class EdgePoint:
    """A critical point of f restricted to one edge (a one-variable problem): ``kind`` is
    MINIMUM or MAXIMUM along the edge, DEGENERATE for an inflection (f' = 0, no sign change)."""

    x: float
    y: float
    value: float
    edge: Edge
    kind: Kind


@dataclass(frozen=True)
class BoxOptimum:
    """The global maximum or minimum of f on the box.

    Attributes
    ----------
    goal : str
        ``"max"`` or ``"min"``.
    value : float
        The optimal value.
    x, y : float
        The first place (interior places first).
    places : tuple of Place
        Every place where the value is reached within rounding (TIE_RTOL of f's scale).
    location : Location
        Where the first place lies.
    kind : Kind or None
        The first place's kind when it is an interior critical point, else None.
    gradient : tuple of float
        (f_x, f_y) at the first place (nonzero on the boundary: the direction the box stops;
        nan or inf where f has no derivative there, x^0.75 at x = 0).
    hessian : tuple of float
        (f_xx, f_xy, f_yy) there (nan or inf likewise).
    found_by : FoundBy
    status : Search
        The completeness of the search behind this answer (INCOMPLETE when a grid sample had
        to be refined or an edge's one-variable search was incomplete).
    flat_edges : tuple of Edge
        Edges on which f is constant and equal to the optimum (every point on them is optimal).
    """

    goal: str
    value: float
    x: float
    y: float
    places: tuple[Place, ...]
    location: Location
    kind: Kind | None
    gradient: tuple[float, float]
    hessian: tuple[float, float, float]
    found_by: FoundBy
    status: Search
    flat_edges: tuple[Edge, ...] = ()


@dataclass(frozen=True)
class BoxAnalysis:
    """Critical points, edge points and both global optima of f on a box (one scan)."""

    box: Box
    search: CriticalSearch
    edge_points: tuple[EdgePoint, ...]
    minimum: BoxOptimum
    maximum: BoxOptimum
    nfev: int

    @property
    def critical_points(self) -> tuple[CriticalPoint, ...]:
        return self.search.points

    def optimum(self, goal: str) -> BoxOptimum:
        return self.maximum if _check_goal(goal) == "max" else self.minimum


@dataclass(frozen=True)
class ConstrainedPoint:
    """A candidate of the constrained problem: a point of tangency (∇f = λ∇g, g = 0) or an
    end of the constraint curve on the box's boundary.

    ``multiplier`` is λ (nan at an end). ``kind`` is MINIMUM or MAXIMUM of f *along the curve*
    (by the sign of the second derivative of f along it, tᵀ(∇²f − λ∇²g)t for the unit
    tangent t), DEGENERATE when that is zero within rounding, None at an end.
    ``stationarity`` = max(|f_x − λg_x|·width_x, |f_y − λg_y|·width_y) / f_scale and
    ``feasibility`` = |g| / g_scale are the KKT residuals, relative to the scales of f and g on
    the box (at an end, stationarity is nan: the box's own constraint is active there).
    """

    x: float
    y: float
    value: float
    multiplier: float
    kind: Kind | None
    location: Location
    stationarity: float
    feasibility: float
    curvature: float = math.nan


@dataclass(frozen=True)
class ConstrainedOptimum:
    """The best value of f on the curve g(x, y) = 0 inside the box.

    Attributes
    ----------
    goal : str
    status : ConstraintStatus
    value, x, y : float
        The optimum (nan when infeasible); the first place.
    multiplier : float
        λ at the optimum, with ∇f = λ∇g: raising the constraint's right-hand side by one unit
        (g = c, c from 0 to 1) changes the best value by about λ. nan at an end of the curve.
    places : tuple of Place
        Every candidate within rounding of the optimum.
    points : tuple of ConstrainedPoint
        Every point of tangency found (any kind).
    ends : tuple of ConstrainedPoint
        Where the curve meets the box's boundary.
    stationarity, feasibility : float
        The KKT residuals at the optimum (see ConstrainedPoint).
    f_scale, g_scale : float
        The scales the residuals are relative to.
    """

    goal: str
    status: ConstraintStatus
    value: float
    x: float
    y: float
    multiplier: float
    places: tuple[Place, ...]
    points: tuple[ConstrainedPoint, ...]
    ends: tuple[ConstrainedPoint, ...]
    stationarity: float
    feasibility: float
    f_scale: float
    g_scale: float
    nfev: int = 0


@dataclass(frozen=True)
class Path:
    """A gradient or Newton path: ``points`` has columns step, x, y, value, gradient_norm
    (|∇f| in f's units per unit of x and y) from the start (step 0) to where it stopped."""

    method: PathMethod
    status: PathStatus
    points: pd.DataFrame
    x: float
    y: float
    value: float
    steps: int


# --- evaluating f, ∇f and ∇²f ---------------------------------------------------------------


def _call2(f: Func, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """f on arrays of equal shape, tolerating scalar-only and constant functions."""
    try:
        z = f(x, y)
        z = np.asarray(z) if not isinstance(z, np.ndarray) else z
        if z.shape == x.shape:
            return z
        if z.ndim == 0:
            return np.broadcast_to(z, x.shape).copy()
    except (TypeError, ValueError):
        pass
    flat = [f(a, b) for a, b in zip(x.ravel().tolist(), y.ravel().tolist(), strict=True)]
    return np.array([np.asarray(v).reshape(()).item() for v in flat]).reshape(x.shape)


def _call_pair(fn: Func, x: np.ndarray, y: np.ndarray, k: int) -> list[np.ndarray]:
    """A user's grad (k = 2) or hess (k = 3) on arrays: each component broadcast to x's shape."""
    try:
        out = fn(x, y)
        parts = [np.asarray(p) for p in out]
        if len(parts) == k and all(p.shape in (x.shape, ()) for p in parts):
            return [np.broadcast_to(p, x.shape) if p.shape == () else p for p in parts]
    except (TypeError, ValueError):
        pass
    rows = [fn(a, b) for a, b in zip(x.ravel().tolist(), y.ravel().tolist(), strict=True)]
    return [np.array([np.asarray(r[i]).reshape(()).item() for r in rows]).reshape(x.shape) for i in range(k)]


def _real(z: np.ndarray) -> np.ndarray:
    return np.asarray(z.real if np.iscomplexobj(z) else z, dtype=float)


class _Surface:
    """f with ∇f and ∇²f by the best available method, chosen once per box; counts points."""

    def __init__(self, f: Func, grad: Func | None, hess: Func | None, box: Box) -> None:
        self.f, self.grad_fn, self.hess_fn, self.box = f, grad, hess, box
        self.n = 0
        self.wx, self.wy = box.widths
        px = box.x_lo + _PROBE[:, 0] * self.wx
        py = box.y_lo + _PROBE[:, 1] * self.wy
        if grad is not None:
            self.method = Method.ANALYTIC
            self.hess_method = Method.ANALYTIC if hess is not None else self._grad_complex_ok(px, py)
        elif self._complex_ok(px, py):
            self.method = Method.COMPLEX_STEP
            self.hess_method = Method.CENTRAL_DIFFERENCE  # of the complex-step gradient
        else:
            self.method = Method.CENTRAL_DIFFERENCE
            self.hess_method = Method.CENTRAL_DIFFERENCE

    # steps relative to the point and to the box (a price near 40, an ad budget near 5,000)
    def _hx(self, x, base=_CBRT_EPS):
        return base * np.maximum(np.abs(x), self.wx)

    def _hy(self, y, base=_CBRT_EPS):
        return base * np.maximum(np.abs(y), self.wy)

    def _complex_ok(self, px: np.ndarray, py: np.ndarray) -> bool:
        try:
            with np.errstate(all="ignore"):
                zx = _call2(self.f, px + 1j * COMPLEX_STEP, py.astype(complex))
                zy = _call2(self.f, px.astype(complex), py + 1j * COMPLEX_STEP)
        except (TypeError, ValueError, OverflowError, ZeroDivisionError, AttributeError):
            return False
        if not (np.iscomplexobj(zx) and np.iscomplexobj(zy)):
            return False
        if not (np.isfinite(zx).all() and np.isfinite(zy).all()):
            return False
        with np.errstate(all="ignore"):
            cx, cy = self._central_gradient(px, py)
        if not (np.isfinite(cx).all() and np.isfinite(cy).all()):
            return False
        size = np.abs(zx.real) / np.maximum(np.abs(px), self.wx) + np.abs(zx.real) / np.maximum(np.abs(py), self.wy)
        for z, c in ((zx, cx), (zy, cy)):
            cs = z.imag / COMPLEX_STEP
            scale = np.maximum(np.maximum(np.abs(cs), np.abs(c)), np.maximum(size, 1e-300))
            if not (np.abs(cs - c) <= _COMPLEX_AGREEMENT_RTOL * scale).all():
                return False
        return True

    def _grad_complex_ok(self, px: np.ndarray, py: np.ndarray) -> Method:
        """The Hessian from an analytic gradient: by the complex step when grad takes complex
        input and agrees with central differences of itself, else central differences."""
        try:
            with np.errstate(all="ignore"):
                gx = _call_pair(self.grad_fn, px + 1j * COMPLEX_STEP, py.astype(complex), 2)
                gy = _call_pair(self.grad_fn, px.astype(complex), py + 1j * COMPLEX_STEP, 2)
                central = self._hessian_central_of_grad(px, py)
        except (TypeError, ValueError, OverflowError, ZeroDivisionError, AttributeError):
            return Method.CENTRAL_DIFFERENCE
        if not all(np.iscomplexobj(p) and np.isfinite(p).all() for p in (*gx, *gy)):
            return Method.CENTRAL_DIFFERENCE
        cs = (gx[0].imag / COMPLEX_STEP, gy[0].imag / COMPLEX_STEP, gy[1].imag / COMPLEX_STEP)
        size = max(float(np.max(np.abs(c))) for c in (*cs, *central))
        for a, b in zip(cs, central, strict=True):
            if not (np.abs(a - b) <= _COMPLEX_AGREEMENT_RTOL * max(size, 1e-300)).all():
                return Method.CENTRAL_DIFFERENCE
        return Method.COMPLEX_STEP

    def value(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        self.n += x.size
        return _real(_call2(self.f, x, y))

    def _central_gradient(self, x, y):
        hx, hy = self._hx(x), self._hy(y)
        k = x.size
        xs = np.concatenate([x + hx, x - hx, x, x])
        ys = np.concatenate([y, y, y + hy, y - hy])
        v = _real(_call2(self.f, xs, ys))
        self.n += xs.size
        return (v[:k] - v[k : 2 * k]) / (2 * hx), (v[2 * k : 3 * k] - v[3 * k :]) / (2 * hy)

    def gradient(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(f_x, f_y) on arrays of equal shape."""
        shape = x.shape
        x, y = x.ravel(), y.ravel()
        if self.method is Method.ANALYTIC:
            self.n += x.size
            gx, gy = _call_pair(self.grad_fn, x, y, 2)
            return _real(gx).reshape(shape), _real(gy).reshape(shape)
        if self.method is Method.COMPLEX_STEP:
            k = x.size
            xs = np.concatenate([x + 1j * COMPLEX_STEP, x.astype(complex)])
            ys = np.concatenate([y.astype(complex), y + 1j * COMPLEX_STEP])
            z = _call2(self.f, xs, ys)
            self.n += xs.size
            if np.iscomplexobj(z):
                return (z.imag[:k] / COMPLEX_STEP).reshape(shape), (z.imag[k:] / COMPLEX_STEP).reshape(shape)
        gx, gy = self._central_gradient(x, y)
        return gx.reshape(shape), gy.reshape(shape)

    def _hessian_central_of_grad(self, x, y):
        hx, hy = self._hx(x), self._hy(y)
        k = x.size
        xs = np.concatenate([x + hx, x - hx, x, x])
        ys = np.concatenate([y, y, y + hy, y - hy])
        gx, gy = self.gradient(xs, ys)
        fxx = (gx[:k] - gx[k : 2 * k]) / (2 * hx)
        fyy = (gy[2 * k : 3 * k] - gy[3 * k :]) / (2 * hy)
        # the mixed partial both ways, averaged (the two agree to O(h²))
        fxy = 0.5 * ((gy[:k] - gy[k : 2 * k]) / (2 * hx) + (gx[2 * k : 3 * k] - gx[3 * k :]) / (2 * hy))
        return fxx, fxy, fyy

    def hessian(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(f_xx, f_xy, f_yy) on arrays of equal shape."""
        shape = x.shape
        x, y = x.ravel(), y.ravel()
        if self.hess_method is Method.ANALYTIC:
            self.n += x.size
            parts = _call_pair(self.hess_fn, x, y, 3)
            return tuple(_real(p).reshape(shape) for p in parts)
        if self.method is Method.ANALYTIC and self.hess_method is Method.COMPLEX_STEP:
            self.n += 2 * x.size
            gx = _call_pair(self.grad_fn, x + 1j * COMPLEX_STEP, y.astype(complex), 2)
            gy = _call_pair(self.grad_fn, x.astype(complex), y + 1j * COMPLEX_STEP, 2)
            fxx, fyy = gx[0].imag / COMPLEX_STEP, gy[1].imag / COMPLEX_STEP
            fxy = 0.5 * (gx[1].imag + gy[0].imag) / COMPLEX_STEP
            return fxx.reshape(shape), fxy.reshape(shape), fyy.reshape(shape)
        if self.method is not Method.CENTRAL_DIFFERENCE:
            return tuple(p.reshape(shape) for p in self._hessian_central_of_grad(x, y))
        # second differences of f, h = eps**(1/4) (truncation and rounding balance there)
        hx, hy = self._hx(x, _QUARTIC_EPS), self._hy(y, _QUARTIC_EPS)
        k = x.size
        xs = np.concatenate([x, x + hx, x - hx, x, x, x + hx, x + hx, x - hx, x - hx])
        ys = np.concatenate([y, y, y, y + hy, y - hy, y + hy, y - hy, y + hy, y - hy])
        v = _real(_call2(self.f, xs, ys)).reshape(9, k)
        self.n += xs.size
        fxx = (v[1] - 2 * v[0] + v[2]) / (hx * hx)
        fyy = (v[3] - 2 * v[0] + v[4]) / (hy * hy)
        fxy = (v[5] - v[6] - v[7] + v[8]) / (4 * hx * hy)
        return fxx.reshape(shape), fxy.reshape(shape), fyy.reshape(shape)

    def scalar_hessian(self, x: float, y: float) -> tuple[float, float, float]:
        h = self.hessian(np.array([x]), np.array([y]))
        return tuple(float(p[0]) for p in h)

    def scalar_gradient(self, x: float, y: float) -> tuple[float, float]:
        g = self.gradient(np.array([x]), np.array([y]))
        return float(g[0][0]), float(g[1][0])

    def scalar_value(self, x: float, y: float) -> float:
        return float(self.value(np.array([x]), np.array([y]))[0])


def _point(x, y) -> tuple[float, float]:
    try:
        px, py = float(x), float(y)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"x and y must be numbers, got x={x!r}, y={y!r}") from exc
    if not (math.isfinite(px) and math.isfinite(py)):
        raise ValueError(f"x and y must be finite, got x={px}, y={py}")
    return px, py


def _local_box(x: float, y: float) -> Box:
    return Box(x - max(1.0, abs(x)), x + max(1.0, abs(x)), y - max(1.0, abs(y)), y + max(1.0, abs(y)))


def gradient(f: Func, x: float, y: float, grad: Func | None = None) -> tuple[float, float]:
    """∇f(x, y) = (f_x, f_y), as exactly as f allows (analytic, complex step, central).

    Examples
    --------
    >>> gradient(lambda x, y: x**2 * y + np.sin(y), 2.0, 0.0)
    (0.0, 5.0)
    """
    x, y = _point(x, y)
    with np.errstate(all="ignore"):
        s = _Surface(f, grad, None, _local_box(x, y))
        g = s.scalar_gradient(x, y)
    if not all(map(math.isfinite, g)):
        raise ValueError(f"the gradient is not finite at x={x}, y={y}: got {g}")
    return g


def hessian(
    f: Func, x: float, y: float, grad: Func | None = None, hess: Func | None = None
) -> tuple[float, float, float]:
    """The Hessian of f at (x, y) as (f_xx, f_xy, f_yy).

    Examples
    --------
    >>> [round(v, 6) for v in hessian(lambda x, y: x**2 * y + np.sin(y), 2.0, 0.0)]
    [0.0, 4.0, 0.0]
    """
    x, y = _point(x, y)
    with np.errstate(all="ignore"):
        s = _Surface(f, grad, hess, _local_box(x, y))
        h = s.scalar_hessian(x, y)
    if not all(map(math.isfinite, h)):
        raise ValueError(f"the Hessian is not finite at x={x}, y={y}: got {h}")
    return h


def classify(hess: Sequence[float], scale: float | None = None) -> Kind:
    """The kind of a critical point from its Hessian (f_xx, f_xy, f_yy).

    An eigenvalue with |λ| ≤ ZERO_RTOL × ``scale`` is zero (default scale: the largest
    |eigenvalue|, so only an exactly or nearly singular Hessian is degenerate).

    Examples
    --------
    >>> classify((2.0, 0.0, 2.0)), classify((2.0, 0.0, -2.0)), classify((0.0, 0.0, 0.0))
    (<Kind.MINIMUM: 'minimum'>, <Kind.SADDLE: 'saddle'>, <Kind.DEGENERATE: 'degenerate'>)
    """
    fxx, fxy, fyy = (float(v) for v in hess)
    lo, hi = _eig2(fxx, fxy, fyy)
    if scale is None:
        scale = max(abs(lo), abs(hi))
    return _kind_from_eigs(lo, hi, ZERO_RTOL * scale)


def _eig2(a: float, b: float, c: float) -> tuple[float, float]:
    """Eigenvalues of [[a, b], [b, c]], smallest first.

    The one of larger magnitude is mean ± radius with the mean's sign (no cancellation); the
    other is det / that one. (mean − radius for both lost a small eigenvalue next to a large one
    entirely: diag(−925,792, −9.8e−14), the price-and-advertising Hessian at a $5·10¹² ad budget,
    gave 0.)

    >>> _eig2(12.0, -4.0, 12.0), _eig2(0.0, -4.0, 0.0), _eig2(-925791.97, 0.0, -9.82e-14)
    ((8.0, 16.0), (-4.0, 4.0), (-925791.97, -9.82e-14))
    """
    mean = 0.5 * (a + c)
    rad = math.hypot(0.5 * (a - c), b)
    big = mean + math.copysign(rad, mean)
    det = a * c - b * b
    if big == 0 or not (math.isfinite(big) and math.isfinite(det)):
        return mean - rad, mean + rad
    other = det / big
    return (other, big) if other <= big else (big, other)


def _kind_from_eigs(lo: float, hi: float, zero: float) -> Kind:
    if not (math.isfinite(lo) and math.isfinite(hi)) or abs(lo) <= zero or abs(hi) <= zero:
        return Kind.DEGENERATE
    if lo > 0:
        return Kind.MINIMUM
    if hi < 0:
        return Kind.MAXIMUM
    return Kind.SADDLE


# --- the scan ---------------------------------------------------------------------------------


@dataclass
class _Scan:
    s: _Surface
    box: Box
    xs: np.ndarray
    ys: np.ndarray
    F: np.ndarray
    GX: np.ndarray
    GY: np.ndarray
    f_scale: float
    h_scale: float
    flat: bool
    capped: bool = False
    search: CriticalSearch | None = None


def _grid_axis(lo: float, hi: float, n: int) -> np.ndarray:
    v = np.linspace(lo, hi, n)
    v[0], v[-1] = lo, hi
    return v


def _check_n(n) -> int:
    try:
        n = int(n)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"n must be an integer, got {n!r}") from exc
    if n < 5:
        raise ValueError(f"n must be at least 5, got {n}")
    return n


def _scan(f: Func, box: Box, grad, hess, n: int) -> _Scan:
    s = _Surface(f, grad, hess, box)
    xs, ys = _grid_axis(box.x_lo, box.x_hi, n), _grid_axis(box.y_lo, box.y_hi, n)
    X, Y = np.meshgrid(xs, ys)  # rows: y, columns: x
    F = s.value(X, Y)
    bad = ~np.isfinite(F)
    if bad.any():
        j, i = np.unravel_index(int(np.argmax(bad)), F.shape)
        raise NotFinite("f", xs[i], ys[j], F[j, i])
    GX, GY = s.gradient(X, Y)
    f_range = float(F.max() - F.min())
    f_scale = max(float(np.abs(F).max()), f_range)
    TX, TY = GX * s.wx, GY * s.wy
    mag = np.hypot(TX, TY)
    finite = np.isfinite(mag)
    gmax = float(mag[finite].max()) if finite.any() else math.inf
    flat = bool(finite.all() and gmax <= FLAT_RTOL * max(1.0, f_scale) and f_range <= FLAT_RTOL * max(1.0, f_scale))
    h_scale = max(f_range, gmax if math.isfinite(gmax) else 0.0, 1e-300)
    return _Scan(s, box, xs, ys, F, GX, GY, max(f_scale, 1e-300), h_scale, flat)


def _scaled_gradient(s: _Surface, P: np.ndarray) -> np.ndarray:
    gx, gy = s.gradient(P[:, 0], P[:, 1])
    return np.stack([gx * s.wx, gy * s.wy], axis=1)


def _scaled_hessian(s: _Surface, P: np.ndarray) -> np.ndarray:
    hxx, hxy, hyy = s.hessian(P[:, 0], P[:, 1])
    H = np.empty((P.shape[0], 2, 2))
    H[:, 0, 0] = hxx * s.wx * s.wx
    H[:, 0, 1] = H[:, 1, 0] = hxy * s.wx * s.wy
    H[:, 1, 1] = hyy * s.wy * s.wy
    return H


def _newton(s: _Surface, P0: np.ndarray, box: Box, radius0: float, progress: Callable[[float], None] | None = None):
    """Damped Newton (Levenberg–Marquardt with a trust radius) on ∇f = 0 from every row of P0,
    all at once, in box-scaled coordinates. Returns (points, scaled |∇f| there)."""
    P = P0.astype(float).copy()
    k = P.shape[0]
    D = np.array([s.wx, s.wy])
    lo = np.array([box.x_lo, box.y_lo]) - 0.05 * D
    hi = np.array([box.x_hi, box.y_hi]) + 0.05 * D
    g = _scaled_gradient(s, P)
    r = np.linalg.norm(g, axis=1)
    radius = np.full(k, radius0)
    mu = np.zeros(k)
    active = np.isfinite(r) & (r > 0)
    for it in range(NEWTON_MAXITER):
        if progress is not None:
            progress(it / NEWTON_MAXITER)
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        H = _scaled_hessian(s, P[idx])
        ok = np.isfinite(H).all(axis=(1, 2))
        if not ok.all():
            active[idx[~ok]] = False
            idx, H = idx[ok], H[ok]
            if idx.size == 0:
                break
        w, V = np.linalg.eigh(H)
        gq = np.einsum("kji,kj->ki", V, g[idx])
        wmax = np.abs(w).max(axis=1, keepdims=True)
        m = mu[idx][:, None]
        denom = w * w + m
        tiny = np.abs(w) <= 1e-14 * np.maximum(wmax, 1e-300)
        with np.errstate(all="ignore"):
            coef = np.where(tiny & (m == 0), 0.0, w / np.where(denom == 0, 1.0, denom))
        step = -np.einsum("kij,kj->ki", V, coef * gq)
        length = np.linalg.norm(step, axis=1)
        too_long = length > radius[idx]
        step[too_long] *= (radius[idx][too_long] / length[too_long])[:, None]
        trial = P[idx] + step * D
        # stay within the slightly enlarged box: shorten the step to its edge
        with np.errstate(all="ignore"):
            over = np.maximum((trial - hi) / np.where(step * D > 0, step * D, np.inf), 0)
            under = np.maximum((lo - trial) / np.where(step * D < 0, -step * D, np.inf), 0)
        cut = np.clip(1 - np.maximum(over, under).max(axis=1), 0, 1)
        step *= cut[:, None]
        trial = P[idx] + step * D
        length = np.linalg.norm(step, axis=1)
        g_t = _scaled_gradient(s, trial)
        r_t = np.linalg.norm(g_t, axis=1)
        better = np.isfinite(r_t) & (r_t < r[idx])
        acc, rej = idx[better], idx[~better]
        P[acc], g[acc], r[acc] = trial[better], g_t[better], r_t[better]
        radius[acc] = np.maximum(radius[acc], 2 * length[better])
        mu[acc] /= 4
        radius[rej] = length[~better] / 4
        mu[rej] = np.maximum(4 * mu[rej], 1e-12 * (wmax[~better, 0] ** 2))
        done = np.zeros(k, bool)
        done[acc] = (r[acc] == 0) | (length[better] <= 4 * _EPS)
        done[rej] = radius[rej] <= 4 * _EPS
        active &= ~done
    return P, r


def _windings(s: _Surface, GX: np.ndarray, GY: np.ndarray) -> np.ndarray:
    """The winding number of ∇f around every cell of a lattice of nodes (0 where undefined:
    ∇f zero or not finite at a corner)."""
    TX, TY = GX * s.wx, GY * s.wy
    theta = np.arctan2(TY, TX)
    finite = np.isfinite(theta) & (np.hypot(TX, TY) > 0)
    a, b = theta[:-1, :-1], theta[:-1, 1:]
    c, d = theta[1:, 1:], theta[1:, :-1]

    def wrap(v):
        return (v + np.pi) % (2 * np.pi) - np.pi

    with np.errstate(invalid="ignore"):
        total = wrap(b - a) + wrap(c - b) + wrap(d - c) + wrap(a - d)
    defined = finite[:-1, :-1] & finite[:-1, 1:] & finite[1:, 1:] & finite[1:, :-1]
    return np.where(defined, np.rint(np.nan_to_num(total) / (2 * np.pi)), 0).astype(int)


@dataclass
class _Lattice:
    """Cells between nodes at xe × ye, and the winding number of ∇f around each."""

    xe: np.ndarray
    ye: np.ndarray
    winding: np.ndarray


def _start_points(scan: _Scan) -> tuple[np.ndarray, list[_Lattice]]:
    """Newton starts, at most MAX_STARTS (``scan.capped`` says when some were left out):

    * the centres of bracket cells (nonzero winding of ∇f) of the grid, and of the dual grid
      whose nodes are the grid's cell centres (a point on a grid line, where the winding of both
      neighbouring cells is undefined, is inside a dual cell);
    * the grid nodes where |∇f| is a local minimum, smallest first.

    Also returns both lattices with their winding numbers."""
    s, xs, ys = scan.s, scan.xs, scan.ys
    primary = _Lattice(xs, ys, _windings(s, scan.GX, scan.GY))
    xc, yc = 0.5 * (xs[1:] + xs[:-1]), 0.5 * (ys[1:] + ys[:-1])
    XC, YC = np.meshgrid(xc, yc)
    GXc, GYc = s.gradient(XC, YC)
    dual = _Lattice(xc, yc, _windings(s, GXc, GYc))
    starts = []
    for lat in (primary, dual):
        starts += [
            ((lat.xe[i] + lat.xe[i + 1]) / 2, (lat.ye[j] + lat.ye[j + 1]) / 2) for j, i in np.argwhere(lat.winding != 0)
        ]
    # local minima of |∇f| (non-strict, over the 3 × 3 neighbourhood)
    mag = np.hypot(scan.GX * s.wx, scan.GY * s.wy)
    padded = np.pad(np.where(np.isfinite(mag), mag, np.inf), 1, constant_values=np.inf)
    n0, n1 = mag.shape
    is_min = np.isfinite(mag)
    above = np.zeros_like(is_min)  # some neighbour is larger: not a plateau of constant |∇f|
    for dj in (-1, 0, 1):
        for di in (-1, 0, 1):
            if dj or di:
                neighbour = padded[1 + dj : 1 + dj + n0, 1 + di : 1 + di + n1]
                is_min &= mag <= neighbour
                above |= np.isfinite(neighbour) & (neighbour > mag)
    js, is_ = np.nonzero(is_min & above)
    order = np.argsort(mag[js, is_], kind="stable")
    starts += [(xs[is_[o]], ys[js[o]]) for o in order]
    scan.capped = len(starts) > MAX_STARTS  # starts left out: points may be missing
    return np.array(starts[:MAX_STARTS], dtype=float).reshape(-1, 2), [primary, dual]


def _inside(points: np.ndarray, box: Box) -> np.ndarray:
    """Which rows (x, y) lie in the box, closed, up to 1e-12 of its widths."""
    slack = 1e-12 * np.array(box.widths)
    lo, hi = np.array([box.x_lo, box.y_lo]) - slack, np.array([box.x_hi, box.y_hi]) + slack
    return ((points >= lo) & (points <= hi)).all(axis=1)


def _dedup(P: np.ndarray, r: np.ndarray, box: Box) -> list[int]:
    """Indices of distinct points, best residual first."""
    tol = DEDUP_RTOL * np.array(box.widths)
    keep: list[int] = []
    kept = np.empty((0, 2))
    for i in np.argsort(r, kind="stable"):
        if kept.shape[0] and (np.abs(kept - P[i]) <= tol).all(axis=1).any():
            continue
        keep.append(int(i))
        kept = P[keep]
    return keep


def _verify(scan: _Scan, P: np.ndarray, r: np.ndarray) -> list[CriticalPoint]:
    """The Newton results that are critical points of f in the closed box, classified."""
    s, box = scan.s, scan.box
    tol = GRAD_RTOL_CENTRAL if s.method is Method.CENTRAL_DIFFERENCE else GRAD_RTOL
    lo, hi = np.array([box.x_lo, box.y_lo]), np.array([box.x_hi, box.y_hi])
    inside = _inside(P, box)
    P = np.clip(P, lo, hi)
    ok = inside & np.isfinite(r)
    if not ok.any():
        return []
    P, r = P[ok], r[ok]
    g = _scaled_gradient(s, P)
    res = np.abs(g).max(axis=1) / scan.f_scale
    good = np.isfinite(res) & (res <= tol)
    P, res = P[good], res[good]
    if P.shape[0] == 0:
        return []
    keep = _dedup(P, res, box)
    P, res = P[keep], res[keep]
    values = s.value(P[:, 0], P[:, 1])
    hxx, hxy, hyy = s.hessian(P[:, 0], P[:, 1])
    out = []
    for i in range(P.shape[0]):
        h = (float(hxx[i]), float(hxy[i]), float(hyy[i]))
        lo_e, hi_e = _eig2(h[0] * s.wx * s.wx, h[1] * s.wx * s.wy, h[2] * s.wy * s.wy)
        kind = _kind_from_eigs(lo_e, hi_e, ZERO_RTOL * scan.h_scale)
        x, y = float(P[i, 0]), float(P[i, 1])
        out.append(CriticalPoint(x, y, float(values[i]), kind, h, _eig2(*h), float(res[i]), box.location(x, y)))
    return out


def _cell_of(lat: _Lattice, x: float, y: float, slack: float = 1e-6) -> list[tuple[int, int]]:
    """The cells (j, i) of a lattice a point lies in (several when it is on a cell's side;
    none when it is outside the lattice)."""
    dx, dy = lat.xe[1] - lat.xe[0], lat.ye[1] - lat.ye[0]
    n, m = lat.xe.size - 1, lat.ye.size - 1
    fi, fj = (x - lat.xe[0]) / dx, (y - lat.ye[0]) / dy
    ii = {math.floor(fi + t) for t in (-slack, slack)} & set(range(n))
    jj = {math.floor(fj + t) for t in (-slack, slack)} & set(range(m))
    return [(j, i) for j in jj for i in ii]


def _unexplained(lat: _Lattice, points: list[CriticalPoint]) -> list[tuple[int, int]]:
    """Bracket cells that the points found do not explain: no point in them, or (all points
    strictly inside and nondegenerate) indices that do not add up to the winding number."""
    members: dict[tuple[int, int], list[CriticalPoint]] = {}
    shared: set[tuple[int, int]] = set()
    for p in points:
        cells = _cell_of(lat, p.x, p.y)
        for c in cells:
            members.setdefault(c, []).append(p)
        if len(cells) > 1:
            shared.update(cells)
    bad = []
    for j, i in np.argwhere(lat.winding != 0):
        cell = (int(j), int(i))
        inside = members.get(cell, [])
        # no point in it, or (all points strictly inside and nondegenerate) indices that do
        # not add up to its winding number
        if not inside or (
            cell not in shared
            and all(p.kind is not Kind.DEGENERATE for p in inside)
            and sum(p.index for p in inside) != int(lat.winding[j, i])
        ):
            bad.append(cell)
    return bad


def _singular_nodes(scan: _Scan) -> np.ndarray:
    """Grid nodes where ∇f is not finite, or (on the box's boundary) where it disagrees with
    central differences: a derivative infinite at the boundary (x^0.75 at x = 0), which the
    complex step reports as a finite number."""
    s = scan.s
    bad = ~(np.isfinite(scan.GX) & np.isfinite(scan.GY))
    edge = np.zeros_like(bad)
    edge[0, :] = edge[-1, :] = edge[:, 0] = edge[:, -1] = True
    X, Y = np.meshgrid(scan.xs, scan.ys)
    idx = edge & ~bad
    cx, cy = s._central_gradient(X[idx], Y[idx])
    for g, c, w in ((scan.GX[idx], cx, s.wx), (scan.GY[idx], cy, s.wy)):
        agree = np.abs(g - c) <= 1e-4 * (np.abs(g) + np.abs(c)) + 1e-8 * scan.f_scale / w
        sub = bad[idx]
        sub |= ~agree
        bad[idx] = sub
    return bad


def _unresolved_edges(scan: _Scan) -> int:
    """Grid edges where the trapezoid rule on the sampled ∇f misses f's change by more than
    TRAPEZOID_RTOL of the edge's own variation (the grid cannot resolve ∇f there). Edges with
    an end where ∇f is singular (:func:`_singular_nodes`) are not counted: they fail at every
    grid size."""
    F, GX, GY = scan.F, scan.GX, scan.GY
    hx, hy = scan.xs[1] - scan.xs[0], scan.ys[1] - scan.ys[0]
    # misses below a thousandth of f's typical change per cell do not matter (x⁴ near 0, where
    # the trapezoid rule on a cubic f' is off by 100% of almost nothing)
    noise = max(64 * _EPS * scan.f_scale, TRAPEZOID_FLOOR * float(F.max() - F.min()) / (scan.xs.size - 1))
    singular = _singular_nodes(scan)
    bad = 0
    with np.errstate(all="ignore"):
        along_x = (F[:, 1:] - F[:, :-1], GX[:, :-1], GX[:, 1:], hx, singular[:, :-1] | singular[:, 1:])
        along_y = (F[1:, :] - F[:-1, :], GY[:-1, :], GY[1:, :], hy, singular[:-1, :] | singular[1:, :])
        for step, g0, g1, h, skip in (along_x, along_y):
            trap = 0.5 * h * (g0 + g1)
            miss = np.abs(step - trap) - TRAPEZOID_RTOL * (np.abs(step) + 0.5 * h * (np.abs(g0) + np.abs(g1)))
            bad += int(np.count_nonzero(np.isfinite(miss) & (miss > noise) & ~skip))
    total = 2 * (scan.xs.size - 1) * scan.ys.size
    return bad if bad > max(UNRESOLVED_MIN, UNRESOLVED_SHARE * total) else 0


#: The adaptive boundary sampling of a cell stops after this many evaluations of ∇f, or when a
#: boundary segment shorter than this fraction of the cell's perimeter still turns too fast.
WINDING_MAX_POINTS = 20_000
WINDING_MIN_SEGMENT = 1e-12


def _winding_fine(s: _Surface, x0: float, x1: float, y0: float, y1: float) -> int | None:
    """The winding number of ∇f around the cell [x0, x1] × [y0, y1], its boundary sampled
    adaptively: segments along which the direction of ∇f turns a quarter turn or more are
    bisected until none does (None when ∇f vanishes or is not finite on the boundary, or the
    sampling limits are reached)."""

    def at(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Points of the boundary, counter-clockwise, for t in [0, 4) (one unit per side)."""
        side, u = np.floor(t).astype(int) % 4, t - np.floor(t)
        bx = np.choose(side, [x0 + u * (x1 - x0), np.full_like(u, x1), x1 - u * (x1 - x0), np.full_like(u, x0)])
        by = np.choose(side, [np.full_like(u, y0), y0 + u * (y1 - y0), np.full_like(u, y1), y1 - u * (y1 - y0)])
        return bx, by

    def angles(t: np.ndarray) -> np.ndarray | None:
        gx, gy = s.gradient(*at(t))
        gx, gy = gx * s.wx, gy * s.wy
        if not (np.isfinite(gx).all() and np.isfinite(gy).all()) or (np.hypot(gx, gy) == 0).any():
            return None
        return np.arctan2(gy, gx)

    t = np.arange(64) / 16.0
    theta = angles(t)
    used = t.size
    while theta is not None:
        ends = np.append(t[1:], 4.0)
        d = (np.diff(np.append(theta, theta[0])) + np.pi) % (2 * np.pi) - np.pi
        fast = np.abs(d) >= np.pi / 2
        if not fast.any():
            return int(np.rint(d.sum() / (2 * np.pi)))
        if (ends[fast] - t[fast]).min() < 4 * WINDING_MIN_SEGMENT or used + int(fast.sum()) > WINDING_MAX_POINTS:
            return None
        mid = 0.5 * (t[fast] + ends[fast])
        new = angles(mid)
        if new is None:
            return None
        used += mid.size
        order = np.argsort(np.concatenate([t, mid]), kind="stable")
        t, theta = np.concatenate([t, mid])[order], np.concatenate([theta, new])[order]
    return None


def _search(scan: _Scan, progress: Callable[[float], None] | None = None) -> CriticalSearch:
    s = scan.s
    if scan.flat:
        return CriticalSearch((), Search.FLAT, s.method, s.n, scan.f_scale)
    starts, lattices = _start_points(scan)
    n = scan.xs.size
    radius = 2.0 / (n - 1)
    points: list[CriticalPoint] = []
    if starts.shape[0]:
        P, r = _newton(s, starts, scan.box, radius, progress)
        points = _verify(scan, P, r)

    def unexplained() -> list[tuple[_Lattice, int, int]]:
        return [(lat, j, i) for lat in lattices for j, i in _unexplained(lat, points)]

    bad = unexplained()
    if bad:  # the coarse winding number may be wrong where ∇f turns fast: sample the cell's boundary finely
        for lat, j, i in bad:
            w = _winding_fine(s, lat.xe[i], lat.xe[i + 1], lat.ye[j], lat.ye[j + 1])
            if w is not None:
                lat.winding[j, i] = w
        bad = unexplained()
    if bad:  # search the unexplained cells again, from a finer grid of starts in each
        t = (np.arange(REFINE_POINTS) + 0.5) / REFINE_POINTS
        more = []
        for lat, j, i in bad[: max(1, MAX_STARTS // REFINE_POINTS**2)]:
            gx = lat.xe[i] + t * (lat.xe[i + 1] - lat.xe[i])
            gy = lat.ye[j] + t * (lat.ye[j + 1] - lat.ye[j])
            mx, my = np.meshgrid(gx, gy)
            more.append(np.stack([mx.ravel(), my.ravel()], axis=1))
        extra = np.concatenate(more)
        P2, r2 = _newton(s, extra, scan.box, radius / REFINE_POINTS)
        found = _verify(scan, P2, r2)
        points = _merge_points(points, found, scan.box)
        bad = unexplained()
        starts = np.concatenate([starts, extra])
    unresolved = len(bad) + _unresolved_edges(scan) + int(scan.capped)
    points.sort(key=lambda p: (p.x, p.y))
    degenerate = [p for p in points if p.kind is Kind.DEGENERATE]
    status = Search.COMPLETE
    if unresolved:
        status = Search.INCOMPLETE
    elif len(degenerate) >= CURVE_MIN or _on_a_curve(scan, degenerate):
        status = Search.CURVE
    truncated = max(0, len(points) - MAX_POINTS)
    return CriticalSearch(
        tuple(points[:MAX_POINTS]), status, s.method, s.n, scan.f_scale, unresolved, truncated, int(starts.shape[0])
    )


def _on_a_curve(scan: _Scan, degenerate: list[CriticalPoint]) -> bool:
    """Does a degenerate point sit on a curve of critical points? Newton from a cell's width
    away along the Hessian's null direction stops at another degenerate critical point nearby
    (from beside a monkey saddle, Newton comes back to the saddle itself)."""
    s, box = scan.s, scan.box
    D = np.array(box.widths)
    step = D / (scan.xs.size - 1)
    starts, origins = [], []
    for p in degenerate[:CURVE_MIN]:
        h = p.hessian
        H = np.array([[h[0] * D[0] ** 2, h[1] * D[0] * D[1]], [h[1] * D[0] * D[1], h[2] * D[1] ** 2]])
        if not np.isfinite(H).all():
            continue
        w, V = np.linalg.eigh(H)
        v = V[:, int(np.argmin(np.abs(w)))] * step
        for sign in (1.0, -1.0):
            q = np.array([p.x, p.y]) + sign * v
            if _inside(q[None, :], box)[0]:
                starts.append(q)
                origins.append((p.x, p.y))
    if not starts:
        return False
    P, _ = _newton(s, np.array(starts), box, 0.5 / (scan.xs.size - 1))
    tol = GRAD_RTOL_CENTRAL if s.method is Method.CENTRAL_DIFFERENCE else GRAD_RTOL
    res = np.abs(_scaled_gradient(s, P)).max(axis=1) / scan.f_scale
    hxx, hxy, hyy = s.hessian(P[:, 0], P[:, 1])
    for k, (ox, oy) in enumerate(origins):
        moved = max(abs(P[k, 0] - ox) / step[0], abs(P[k, 1] - oy) / step[1])
        if not (res[k] <= tol and 0.25 <= moved <= 2.0):
            continue
        lo, hi = _eig2(hxx[k] * D[0] ** 2, hxy[k] * D[0] * D[1], hyy[k] * D[1] ** 2)
        if _kind_from_eigs(lo, hi, ZERO_RTOL * scan.h_scale) is Kind.DEGENERATE:
            return True
    return False


def _merge_points(a: list[CriticalPoint], b: list[CriticalPoint], box: Box) -> list[CriticalPoint]:
    D = np.array(box.widths)
    out = list(a)
    for p in b:
        if not any(abs(p.x - q.x) <= DEDUP_RTOL * D[0] and abs(p.y - q.y) <= DEDUP_RTOL * D[1] for q in out):
            out.append(p)
    return out


def critical_points(
    f: Func,
    box,
    *,
    grad: Func | None = None,
    hess: Func | None = None,
    n: int = GRID_POINTS,
) -> CriticalSearch:
    """Every point of the box where ∇f = 0, classified by the Hessian's eigenvalues.

    Parameters
    ----------
    f : callable
        ``f(x, y)``, numpy-vectorised (arrays of equal shape in, one array out) for speed;
        scalar code works too. Complex-safe code lets the complex step be used.
    box : Box or (x_lo, x_hi, y_lo, y_hi)
    grad, hess : callable, optional
        ``grad(x, y) -> (f_x, f_y)`` and ``hess(x, y) -> (f_xx, f_xy, f_yy)`` when known.
    n : int
        Grid points per side of the scan.

    Returns
    -------
    CriticalSearch
        ``points`` sorted by x then y; ``status`` says whether the list is complete.

    Raises
    ------
    ValueError
        On a bad box or n, or f not finite somewhere on the grid.

    Examples
    --------
    Himmelblau's function has nine critical points in [−5, 5]²:

    >>> def himmelblau(x, y):
    ...     return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2
    >>> found = critical_points(himmelblau, (-5, 5, -5, 5))
    >>> sorted(k.value for k in {p.kind for p in found.points}), len(found.points), found.status.value
    (['maximum', 'minimum', 'saddle'], 9, 'complete')
    """
    box = _as_box(box)
    n = _check_n(n)
    with np.errstate(all="ignore"):
        scan = _scan(f, box, grad, hess, n)
        return _search(scan)


# --- the global optimum on the box ------------------------------------------------------------


def _edge_problem(s: _Surface, box: Box, edge: Edge):
    """(f along the edge as a function of t, its derivative, its second derivative, lo, hi, point(t))."""
    if edge in (Edge.LEFT, Edge.RIGHT):
        x0 = box.x_lo if edge is Edge.LEFT else box.x_hi

        def at(t):
            t = np.asarray(t, dtype=float)
            return np.full(t.shape, x0), t

        def d1(t):
            x, y = at(t)
            return s.gradient(np.atleast_1d(x), np.atleast_1d(y))[1].reshape(np.shape(t))

        def d2(t):
            x, y = at(t)
            return s.hessian(np.atleast_1d(x), np.atleast_1d(y))[2].reshape(np.shape(t))

        lo, hi = box.y_lo, box.y_hi
    else:
        y0 = box.y_lo if edge is Edge.BOTTOM else box.y_hi

        def at(t):
            t = np.asarray(t, dtype=float)
            return t, np.full(t.shape, y0)

        def d1(t):
            x, y = at(t)
            return s.gradient(np.atleast_1d(x), np.atleast_1d(y))[0].reshape(np.shape(t))

        def d2(t):
            x, y = at(t)
            return s.hessian(np.atleast_1d(x), np.atleast_1d(y))[0].reshape(np.shape(t))

        lo, hi = box.x_lo, box.x_hi

    def fn(t):
        x, y = at(t)
        return s.value(np.atleast_1d(x), np.atleast_1d(y)).reshape(np.shape(t))

    return fn, d1, d2, lo, hi, at


@dataclass
class _EdgeResult:
    edge: Edge
    points: list[EdgePoint]
    best: dict  # goal -> (value, x, y, complete, flat)


def _edges(s: _Surface, box: Box, goals: Sequence[str]) -> list[_EdgeResult]:
    out = []
    kinds = {"max": Kind.MAXIMUM, "min": Kind.MINIMUM, "inflection": Kind.DEGENERATE}
    for edge in Edge:
        fn, d1, d2, lo, hi, at = _edge_problem(s, box, edge)
        res = _EdgeResult(edge, [], {})
        for goal in goals:
            checkpoint()
            try:
                opt = calculus.optimize(fn, lo, hi, goal, df=d1, d2f=d2)
            except ValueError:  # f' not finite on a stretch of the edge: sample the edge instead
                opt = _sampled_edge(fn, lo, hi, goal)
            x, y = (float(v) for v in at(opt.x))
            res.best[goal] = (opt.fun, x, y, opt.complete, opt.flat or _flat_edge(fn, lo, hi))
            known = {(p.x, p.y) for p in res.points}  # both goals' scans list the same points
            for p in opt.critical_points:
                px, py = (float(v) for v in at(p.x))
                if (px, py) not in known:
                    res.points.append(EdgePoint(px, py, p.fun, edge, kinds[p.kind]))
        out.append(res)
    return out


def _flat_edge(fn, lo: float, hi: float) -> bool:
    """f is constant along the edge (sampled as densely as the one-variable engine's grid): the
    one-variable engine cannot say so when f' is undefined at an end (x^0.75 y^0.25 at 0)."""
    v = fn(np.linspace(lo, hi, calculus.GRID_POINTS))
    v = v[np.isfinite(v)]
    return bool(v.size and v.max() - v.min() <= FLAT_RTOL * max(1.0, float(np.abs(v).max())))


def _sampled_edge(fn, lo: float, hi: float, goal: str) -> calculus.Optimum:
    """The best of a dense sample of the edge, polished by bounded Brent on its neighbours
    (where f' does not exist on a stretch of the edge); marked incomplete."""
    t = np.linspace(lo, hi, calculus.GRID_POINTS)
    v = fn(t)
    sign = 1.0 if goal == "max" else -1.0
    k = int(np.nanargmax(sign * v))
    a, b = t[max(k - 1, 0)], t[min(k + 1, t.size - 1)]
    res = minimize_scalar(lambda u: -sign * float(fn(np.array([u]))[0]), bounds=(a, b), method="bounded")
    x, val = (float(res.x), float(fn(np.array([res.x]))[0])) if sign * -res.fun > sign * v[k] else (t[k], v[k])
    flat = bool(np.nanmax(v) - np.nanmin(v) <= FLAT_RTOL * max(1.0, float(np.nanmax(np.abs(v)))))
    return calculus.Optimum(
        x=float(x), fun=float(val), kind=goal, at_boundary=x in (lo, hi), derivative=math.nan,
        second_derivative=math.nan, method="sampling", nfev=t.size, message="", flat=flat,
        found_by="sampling", complete=False,
    )  # fmt: skip


def _box_optimum(scan: _Scan, search: CriticalSearch, edges: list[_EdgeResult], goal: str) -> BoxOptimum:
    s, box = scan.s, scan.box
    sign = 1.0 if goal == "max" else -1.0
    if search.status is Search.FLAT:
        x, y = box.x_lo, box.y_lo
        return BoxOptimum(
            goal, float(scan.F[0, 0]), x, y, (Place(x, y, Location.CORNER, box.edges_at(x, y)),), Location.CORNER,
            None, (0.0, 0.0), (0.0, 0.0, 0.0), FoundBy.FLAT, Search.FLAT, tuple(Edge),
        )  # fmt: skip
    # candidates: (value, x, y, found_by, kind)
    cands: list[tuple[float, float, float, FoundBy, Kind | None]] = []
    for p in search.points:
        where = FoundBy.CRITICAL_POINT if p.location is Location.INTERIOR else FoundBy.EDGE
        cands.append((p.value, p.x, p.y, where, p.kind if p.location is Location.INTERIOR else None))
    complete = search.status in (Search.COMPLETE, Search.CURVE)
    flat_edges = []
    kind_goal = Kind.MAXIMUM if goal == "max" else Kind.MINIMUM
    for e in edges:
        value, x, y, edge_complete, flat = e.best[goal]
        complete &= edge_complete
        loc = box.location(x, y)
        cands.append((value, x, y, FoundBy.CORNER if loc is Location.CORNER else FoundBy.EDGE, None))
        for p in e.points:
            if p.kind is kind_goal:
                cands.append((p.value, p.x, p.y, FoundBy.EDGE, None))
        if flat:
            flat_edges.append((e.edge, value))
    for x, y in box.corners():
        cands.append((s.scalar_value(x, y), x, y, FoundBy.CORNER, None))
    tie = TIE_RTOL * scan.f_scale
    best = max(c[0] * sign for c in cands) * sign
    # never worse than the best grid sample
    k = int(np.argmax(sign * scan.F))
    j, i = np.unravel_index(k, scan.F.shape)
    if sign * (float(scan.F[j, i]) - best) > tie + 4 * _EPS * scan.f_scale:
        x, y, v = _polish_sample(scan, float(scan.xs[i]), float(scan.ys[j]), goal)
        cands.append((v, x, y, FoundBy.SAMPLING, None))
        best = max(c[0] * sign for c in cands) * sign
        complete = False
    winners = [c for c in cands if abs(c[0] - best) <= tie]
    # interior critical points first, then edges, then corners; one place per point
    order = {FoundBy.CRITICAL_POINT: 0, FoundBy.SAMPLING: 1, FoundBy.EDGE: 2, FoundBy.CORNER: 3}
    winners.sort(key=lambda c: (order[c[3]], c[1], c[2]))
    places: list[Place] = []
    D = np.array(box.widths)
    for c in winners:
        if any(abs(c[1] - p.x) <= DEDUP_RTOL * D[0] and abs(c[2] - p.y) <= DEDUP_RTOL * D[1] for p in places):
            continue
        places.append(Place(c[1], c[2], box.location(c[1], c[2]), box.edges_at(c[1], c[2])))
    top = winners[0]
    found_by = top[3]
    x, y = places[0].x, places[0].y
    value = top[0]
    flat = tuple(edge for edge, v in flat_edges if abs(v - value) <= tie)
    grad_xy = s.scalar_gradient(x, y)
    hess_xy = s.scalar_hessian(x, y)
    status = Search.COMPLETE if complete else Search.INCOMPLETE
    if complete and search.status is Search.CURVE:
        status = Search.CURVE
    return BoxOptimum(
        goal, float(value), x, y, tuple(places), places[0].location, top[4], grad_xy, hess_xy, found_by, status, flat
    )


def _polish_sample(scan: _Scan, x: float, y: float, goal: str) -> tuple[float, float, float]:
    """A grid sample beat every candidate: the best point of its neighbouring cells (bounded
    L-BFGS-B from the sample), and that point's value."""
    s, box = scan.s, scan.box
    sign = 1.0 if goal == "max" else -1.0
    dx, dy = scan.xs[1] - scan.xs[0], scan.ys[1] - scan.ys[0]
    bounds = [(max(box.x_lo, x - dx), min(box.x_hi, x + dx)), (max(box.y_lo, y - dy), min(box.y_hi, y + dy))]

    def fun(v):
        return -sign * s.scalar_value(float(v[0]), float(v[1]))

    def jac(v):
        g = s.scalar_gradient(float(v[0]), float(v[1]))
        return -sign * np.array(g)

    res = minimize(
        fun, np.array([x, y]), jac=jac, method="L-BFGS-B", bounds=bounds, options={"ftol": 1e-15, "gtol": 1e-12}
    )
    px, py = float(np.clip(res.x[0], *bounds[0])), float(np.clip(res.x[1], *bounds[1]))
    v0, v1 = s.scalar_value(x, y), s.scalar_value(px, py)
    return (px, py, v1) if sign * v1 >= sign * v0 else (x, y, v0)


def analyse_box(
    f: Func,
    box,
    *,
    grad: Func | None = None,
    hess: Func | None = None,
    n: int = GRID_POINTS,
) -> BoxAnalysis:
    """Every critical point, the critical points of every edge, and both global optima of f
    on the box, from one scan.

    Parameters are those of :func:`critical_points`.

    Returns
    -------
    BoxAnalysis

    Examples
    --------
    Stewart's x⁴ + y⁴ − 4xy + 1 on [−2, 2]²: a saddle at the origin, two minima of −1 (a tie,
    both reported) and the maximum 49 at two corners.

    >>> res = analyse_box(lambda x, y: x**4 + y**4 - 4 * x * y + 1, (-2, 2, -2, 2))
    >>> [(p.x, p.y, p.kind.value) for p in res.critical_points]
    [(-1.0, -1.0, 'minimum'), (0.0, 0.0, 'saddle'), (1.0, 1.0, 'minimum')]
    >>> res.minimum.value, [(p.x, p.y) for p in res.minimum.places]
    (-1.0, [(-1.0, -1.0), (1.0, 1.0)])
    >>> res.maximum.value, [(p.x, p.y, p.location.value) for p in res.maximum.places]
    (49.0, [(-2.0, 2.0, 'corner'), (2.0, -2.0, 'corner')])
    """
    box = _as_box(box)
    n = _check_n(n)
    with np.errstate(all="ignore"):
        checkpoint(0.0)
        scan = _scan(f, box, grad, hess, n)
        search = _search(scan, lambda t: checkpoint(0.1 + 0.6 * t))
        checkpoint(0.7)
        edges = _edges(scan.s, box, ("min", "max"))
        edge_points = tuple(p for e in edges for p in e.points)
        checkpoint(0.9)
        minimum = _box_optimum(scan, search, edges, "min")
        maximum = _box_optimum(scan, search, edges, "max")
        checkpoint(1.0)
    return BoxAnalysis(box, search, edge_points, minimum, maximum, scan.s.n)


def optimize(
    f: Func,
    box,
    goal: str = "max",
    *,
    grad: Func | None = None,
    hess: Func | None = None,
    n: int = GRID_POINTS,
) -> BoxOptimum:
    """The global maximum (or minimum) of f on the box, with every place it is reached.

    Interior critical points are compared with the critical points of each edge and the four
    corners; see :func:`analyse_box` (which also returns the other optimum and the lists).

    Raises
    ------
    ValueError
        On a bad box, goal or n, or f not finite on the grid.

    Examples
    --------
    Himmelblau's maximum on [−5, 5]² is 890, at the corner (5, 5):

    >>> best = optimize(lambda x, y: (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2, (-5, 5, -5, 5), "max")
    >>> best.value, (best.x, best.y), best.location.value, best.found_by.value
    (890.0, (5.0, 5.0), 'corner', 'corner')
    """
    goal = _check_goal(goal)
    box = _as_box(box)
    n = _check_n(n)
    with np.errstate(all="ignore"):
        scan = _scan(f, box, grad, hess, n)
        search = _search(scan)
        edges = _edges(scan.s, box, (goal,))
        return _box_optimum(scan, search, edges, goal)


# --- a constraint g(x, y) = 0 -----------------------------------------------------------------


def _curve_samples(sg: _Surface, box: Box, n: int) -> np.ndarray:
    """Points of g = 0 on the grid's lines (sign changes refined by brentq), at most MAX_STARTS
    of them, evenly thinned."""
    xs, ys = _grid_axis(box.x_lo, box.x_hi, n), _grid_axis(box.y_lo, box.y_hi, n)
    X, Y = np.meshgrid(xs, ys)
    G = sg.value(X, Y)
    pts = [(float(X[j, i]), float(Y[j, i])) for j, i in np.argwhere(G == 0)]
    sgn = np.sign(G)
    for j, i in np.argwhere(sgn[:, :-1] * sgn[:, 1:] < 0):  # along x
        y0 = float(ys[j])
        r = brentq(lambda t, y0=y0: sg.scalar_value(t, y0), xs[i], xs[i + 1], xtol=1e-15 * sg.wx, rtol=4 * _EPS)
        pts.append((float(r), y0))
    for j, i in np.argwhere(sgn[:-1, :] * sgn[1:, :] < 0):  # along y
        x0 = float(xs[i])
        r = brentq(lambda t, x0=x0: sg.scalar_value(x0, t), ys[j], ys[j + 1], xtol=1e-15 * sg.wy, rtol=4 * _EPS)
        pts.append((x0, float(r)))
    P = np.array(pts, dtype=float).reshape(-1, 2)
    if P.shape[0] > MAX_STARTS:
        P = P[np.linspace(0, P.shape[0] - 1, MAX_STARTS).astype(int)]
    return P


def _lagrange_newton(sf: _Surface, sg: _Surface, P0: np.ndarray, box: Box, f_scale: float, g_scale: float):
    """Levenberg–Marquardt on (f_x − λg_x, f_y − λg_y, g) = 0 from every start, in scaled
    variables (x/width_x, y/width_y, λ·g_scale/f_scale). Returns (points, λ, residual norms)."""
    k = P0.shape[0]
    D = np.array([sf.wx, sf.wy])
    lam_unit = f_scale / g_scale
    P = P0.copy()

    def parts(P):
        fx, fy = sf.gradient(P[:, 0], P[:, 1])
        gx, gy = sg.gradient(P[:, 0], P[:, 1])
        gv = sg.value(P[:, 0], P[:, 1])
        return fx, fy, gx, gy, gv

    fx, fy, gx, gy, gv = parts(P)
    with np.errstate(all="ignore"):
        lam = (fx * gx * D[0] ** 2 + fy * gy * D[1] ** 2) / (gx * gx * D[0] ** 2 + gy * gy * D[1] ** 2)
    lam = np.where(np.isfinite(lam), lam, 0.0)

    def residual(fx, fy, gx, gy, gv, lam):
        return np.stack([(fx - lam * gx) * D[0] / f_scale, (fy - lam * gy) * D[1] / f_scale, gv / g_scale], axis=1)

    R = residual(fx, fy, gx, gy, gv, lam)
    r = np.linalg.norm(R, axis=1)
    mu = np.zeros(k)
    radius = np.full(k, 0.1)
    active = np.isfinite(r) & (r > 0)
    lo = np.array([box.x_lo, box.y_lo]) - 0.05 * D
    hi = np.array([box.x_hi, box.y_hi]) + 0.05 * D
    for _ in range(NEWTON_MAXITER):
        checkpoint()
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        Pi, li = P[idx], lam[idx]
        hf = sf.hessian(Pi[:, 0], Pi[:, 1])
        hg = sg.hessian(Pi[:, 0], Pi[:, 1])
        gxi, gyi = sg.gradient(Pi[:, 0], Pi[:, 1])
        J = np.empty((idx.size, 3, 3))
        J[:, 0, 0] = (hf[0] - li * hg[0]) * D[0] * D[0] / f_scale
        J[:, 0, 1] = J[:, 1, 0] = (hf[1] - li * hg[1]) * D[0] * D[1] / f_scale
        J[:, 1, 1] = (hf[2] - li * hg[2]) * D[1] * D[1] / f_scale
        J[:, 0, 2] = -gxi * D[0] / g_scale
        J[:, 1, 2] = -gyi * D[1] / g_scale
        J[:, 2, 0] = gxi * D[0] / g_scale
        J[:, 2, 1] = gyi * D[1] / g_scale
        J[:, 2, 2] = 0.0
        ok = np.isfinite(J).all(axis=(1, 2))
        if not ok.all():
            active[idx[~ok]] = False
            idx, J = idx[ok], J[ok]
            if idx.size == 0:
                break
        Ri = R[idx]
        JT = np.transpose(J, (0, 2, 1))
        A = JT @ J
        diag = np.einsum("kii->ki", A)
        A = A + (mu[idx][:, None] * np.maximum(diag, 1e-300))[:, :, None] * np.eye(3)
        b = -np.einsum("kij,kj->ki", JT, Ri)
        try:
            step = np.linalg.solve(A, b[:, :, None])[:, :, 0]
        except np.linalg.LinAlgError:
            step = np.stack([np.linalg.lstsq(A[m], b[m], rcond=None)[0] for m in range(idx.size)])
        length = np.linalg.norm(step, axis=1)
        long = length > radius[idx]
        step[long] *= (radius[idx][long] / length[long])[:, None]
        length = np.linalg.norm(step, axis=1)
        trial = P[idx] + step[:, :2] * D
        trial = np.clip(trial, lo, hi)
        lam_t = lam[idx] + step[:, 2] * lam_unit
        parts_t = parts(trial)
        R_t = residual(*parts_t, lam_t)
        r_t = np.linalg.norm(R_t, axis=1)
        better = np.isfinite(r_t) & (r_t < r[idx])
        acc, rej = idx[better], idx[~better]
        P[acc], lam[acc], R[acc], r[acc] = trial[better], lam_t[better], R_t[better], r_t[better]
        mu[acc] /= 4
        radius[acc] = np.maximum(radius[acc], 2 * length[better])
        mu[rej] = np.maximum(4 * mu[rej], 1e-12)
        radius[rej] = length[~better] / 4
        done = np.zeros(k, bool)
        done[acc] = (r[acc] == 0) | (length[better] <= 4 * _EPS)
        done[rej] = radius[rej] <= 4 * _EPS
        active &= ~done
    return P, lam, R


def constrained(
    f: Func,
    g: Func,
    box,
    goal: str = "max",
    *,
    grad: Func | None = None,
    hess: Func | None = None,
    g_grad: Func | None = None,
    g_hess: Func | None = None,
    n: int = GRID_POINTS,
) -> ConstrainedOptimum:
    """The best value of f(x, y) on the curve g(x, y) = 0 inside the box (Lagrange multipliers).

    Newton's method on ∇f = λ∇g, g = 0 starts from points of the curve found on the scan
    grid's lines; every solution inside the box is kept (deduplicated, KKT residuals checked)
    and compared with the ends of the curve on the box's boundary.

    Parameters
    ----------
    f, g : callable
        ``f(x, y)`` and ``g(x, y)`` (the constraint is g = 0), numpy-vectorised.
    box : Box or (x_lo, x_hi, y_lo, y_hi)
    goal : {"max", "min"}
    grad, hess, g_grad, g_hess : callable, optional
        Analytic derivatives of f and g (as in :func:`critical_points`).
    n : int
        Grid points per side of the scan for the curve.

    Returns
    -------
    ConstrainedOptimum
        λ (``multiplier``) with the convention ∇f = λ∇g: dV*/dc = λ for g(x, y) = c at c = 0.

    Raises
    ------
    ValueError
        On a bad box, goal or n, or f or g not finite on the grid.

    Examples
    --------
    Larson's Cobb–Douglas example: 100 x^0.75 y^0.25 with the budget 150x + 250y = 50,000.

    >>> best = constrained(
    ...     lambda x, y: 100 * x**0.75 * y**0.25, lambda x, y: 150 * x + 250 * y - 50_000, (1, 400, 1, 250)
    ... )
    >>> round(best.x, 9), round(best.y, 9), round(best.value, 2), round(best.multiplier, 5), best.status.value
    (250.0, 50.0, 16718.51, 0.33437, 'tangency')
    """
    goal = _check_goal(goal)
    box = _as_box(box)
    n = _check_n(n)
    with np.errstate(all="ignore"):
        return _constrained(f, g, box, goal, grad, hess, g_grad, g_hess, n)


def _constrained(f, g, box, goal, grad, hess, g_grad, g_hess, n) -> ConstrainedOptimum:
    sf = _Surface(f, grad, hess, box)
    sg = _Surface(g, g_grad, g_hess, box)
    xs, ys = _grid_axis(box.x_lo, box.x_hi, n), _grid_axis(box.y_lo, box.y_hi, n)
    X, Y = np.meshgrid(xs, ys)
    F, G = sf.value(X, Y), sg.value(X, Y)
    for name, V in (("f", F), ("g", G)):
        bad = ~np.isfinite(V)
        if bad.any():
            j, i = np.unravel_index(int(np.argmax(bad)), V.shape)
            raise NotFinite(name, xs[i], ys[j], V[j, i])
    f_scale = max(float(np.abs(F).max()), float(F.max() - F.min()), 1e-300)
    g_scale = max(float(np.abs(G).max()), float(G.max() - G.min()), 1e-300)
    sign = 1.0 if goal == "max" else -1.0
    samples = _curve_samples(sg, box, n)
    nan = math.nan
    if samples.shape[0] == 0:
        return ConstrainedOptimum(
            goal, ConstraintStatus.INFEASIBLE, nan, nan, nan, nan, (), (), (), nan, nan, f_scale, g_scale, sf.n + sg.n
        )
    checkpoint(0.2)
    P, lam, R = _lagrange_newton(sf, sg, samples, box, f_scale, g_scale)
    checkpoint(0.8)
    D = np.array(box.widths)
    lo, hi = np.array([box.x_lo, box.y_lo]), np.array([box.x_hi, box.y_hi])
    inside = _inside(P, box)
    stat = np.abs(R[:, :2]).max(axis=1)
    feas = np.abs(R[:, 2])
    good = inside & np.isfinite(stat) & (stat <= KKT_RTOL) & (feas <= KKT_RTOL)
    P, lam, stat, feas = np.clip(P[good], lo, hi), lam[good], stat[good], feas[good]
    keep = _dedup(P, stat + feas, box) if P.shape[0] else []
    points = []
    for i in keep:
        x, y = float(P[i, 0]), float(P[i, 1])
        curv, kind = _curve_kind(sf, sg, x, y, float(lam[i]), f_scale, g_scale)
        points.append(
            ConstrainedPoint(
                x,
                y,
                sf.scalar_value(x, y),
                float(lam[i]),
                kind,
                box.location(x, y),
                float(stat[i]),
                float(feas[i]),
                curv,
            )
        )
    points.sort(key=lambda p: (p.x, p.y))
    ends = _curve_ends(sf, sg, box, g_scale)
    cands = [(p.value, p) for p in points] + [(e.value, e) for e in ends]
    status = None
    # never worse than the best sampled point of the curve
    sv = sf.value(samples[:, 0], samples[:, 1])
    k = int(np.argmax(sign * sv))
    tie = TIE_RTOL * f_scale
    best = max((sign * c[0] for c in cands), default=-math.inf) * sign
    if not cands or sign * (float(sv[k]) - best) > tie + 4 * _EPS * f_scale:
        x, y = float(samples[k, 0]), float(samples[k, 1])
        sample = ConstrainedPoint(
            x, y, float(sv[k]), nan, None, box.location(x, y), nan, abs(sg.scalar_value(x, y)) / g_scale
        )
        cands.append((sample.value, sample))
        best = float(sv[k])
        status = ConstraintStatus.INCOMPLETE
    winners = [c[1] for c in cands if abs(c[0] - best) <= tie]
    winners.sort(key=lambda p: (p.location is not Location.INTERIOR, math.isnan(p.multiplier)))
    places: list[Place] = []
    for p in winners:
        if not any(abs(p.x - q.x) <= DEDUP_RTOL * D[0] and abs(p.y - q.y) <= DEDUP_RTOL * D[1] for q in places):
            places.append(Place(p.x, p.y, box.location(p.x, p.y), box.edges_at(p.x, p.y)))
    top = winners[0]
    if status is None:
        status = ConstraintStatus.TANGENCY if math.isfinite(top.multiplier) else ConstraintStatus.ENDPOINT
    return ConstrainedOptimum(
        goal, status, top.value, top.x, top.y, top.multiplier, tuple(places), tuple(points), tuple(ends),
        top.stationarity, top.feasibility, f_scale, g_scale, sf.n + sg.n,
    )  # fmt: skip


def _curve_kind(sf: _Surface, sg: _Surface, x, y, lam, f_scale, g_scale) -> tuple[float, Kind]:
    """The second derivative of f along the curve g = 0 at a point of tangency, tᵀ(∇²f − λ∇²g)t
    for the unit tangent t (in x and y units), and what it makes the point along the curve."""
    gx, gy = sg.scalar_gradient(x, y)
    hf, hg = sf.scalar_hessian(x, y), sg.scalar_hessian(x, y)
    norm = math.hypot(gx, gy)
    if norm == 0 or not math.isfinite(norm):
        return math.nan, Kind.DEGENERATE
    tx, ty = -gy / norm, gx / norm
    L = [hf[i] - lam * hg[i] for i in range(3)]
    curv = L[0] * tx * tx + 2 * L[1] * tx * ty + L[2] * ty * ty
    # judged in box-scaled units: the tangent scaled to the box, relative to f's scale
    sx, sy = tx * sf.wx, ty * sf.wy
    scaled = (L[0] * sx * sx + 2 * L[1] * sx * sy + L[2] * sy * sy) / f_scale
    size = (abs(L[0]) * sx * sx + 2 * abs(L[1] * sx * sy) + abs(L[2]) * sy * sy) / f_scale
    zero = ZERO_RTOL * max(size, 1e-300)
    if not math.isfinite(scaled) or abs(scaled) <= zero:
        return curv, Kind.DEGENERATE
    return curv, Kind.MINIMUM if scaled > 0 else Kind.MAXIMUM


def _curve_ends(sf: _Surface, sg: _Surface, box: Box, g_scale: float) -> list[ConstrainedPoint]:
    """Where g = 0 meets the box's boundary (roots of g along each edge, and corners where g = 0)."""
    out: dict[tuple[float, float], ConstrainedPoint] = {}
    for edge in Edge:
        fn, _, _, lo, hi, at = _edge_problem(sg, box, edge)
        try:
            ts = calculus.roots(fn, lo, hi)
        except ValueError:
            continue
        for t in ts:
            x, y = (float(v) for v in at(t))
            out[(x, y)] = ConstrainedPoint(
                x,
                y,
                sf.scalar_value(x, y),
                math.nan,
                None,
                box.location(x, y),
                math.nan,
                abs(fn(np.array([t]))[0]) / g_scale,
            )
    for x, y in box.corners():
        if sg.scalar_value(x, y) == 0 and (x, y) not in out:
            out[(x, y)] = ConstrainedPoint(x, y, sf.scalar_value(x, y), math.nan, None, Location.CORNER, math.nan, 0.0)
    return sorted(out.values(), key=lambda p: (p.x, p.y))


# --- paths ------------------------------------------------------------------------------------


def path(
    f: Func,
    start: tuple[float, float],
    box,
    method: PathMethod | str = PathMethod.ASCENT,
    *,
    grad: Func | None = None,
    hess: Func | None = None,
    max_steps: int = PATH_STEPS,
    coordinates: str = "box",
) -> Path:
    """The path of gradient ascent, gradient descent or Newton's method from ``start``.

    Gradient steps are taken in box-scaled coordinates (x/width_x, y/width_y), so a price in
    dollars and an ad budget in thousands move at comparable speeds, with a line search (the
    top of a parabola fitted along the step, then Armijo's sufficient-change test). With
    ``coordinates="log"`` the steps are taken in log x and log y (percentages: the natural
    units of quantities whose effects are elasticities; needs a box in x, y > 0); the path is
    still reported in x and y. Newton steps are full steps x ← x − H⁻¹∇f (they head for the nearest
    critical point of any kind, saddles included). A gradient step stops at the boundary and the
    path then slides along it (projected gradient); it stops, LEFT_BOX, where the climb points
    out of the box. A Newton step that would leave the box is cut where it meets the boundary,
    and the path stops there (LEFT_BOX).

    Parameters
    ----------
    f : callable
    start : (float, float)
        A point of the box.
    box : Box or (x_lo, x_hi, y_lo, y_hi)
    method : PathMethod or {"ascent", "descent", "newton"}
    grad, hess : callable, optional
    max_steps : int
        At most this many steps (1 to MAX_PATH_STEPS).
    coordinates : {"box", "log"}
        The coordinates the steps are taken in (see above).

    Returns
    -------
    Path
        ``status``: CONVERGED (box-scaled |∇f| below PATH_RTOL of f's scale, NEWTON_PATH_RTOL
        for Newton, or a gradient step that moved less than PATH_XTOL of the box and changed f
        by less than PATH_FTOL of its scale), LEFT_BOX,
        MAX_STEPS, STALLED, SINGULAR (Newton) or NOT_FINITE.

    Raises
    ------
    ValueError
        On a bad box, method or max_steps, or a start outside the box.

    Examples
    --------
    Newton's method finds the minimum of a quadratic in one step (and a second, of 1e-11, to
    remove the rounding of the Hessian from central differences of the complex-step gradient):

    >>> p = path(lambda x, y: (x - 1) ** 2 + 3 * (y + 2) ** 2, (0.0, 0.0), (-5, 5, -5, 5), "newton")
    >>> p.status.value, p.steps, (round(p.x, 12), round(p.y, 12))
    ('converged', 2, (1.0, -2.0))
    """
    box = _as_box(box)
    try:
        method = PathMethod(method)
    except ValueError:
        raise ValueError(f"method must be one of 'ascent', 'descent', 'newton', got {method!r}") from None
    x, y = _point(*start)
    if not box.contains(x, y):
        raise ValueError(f"start must be inside the box, got x={x}, y={y} for {box}")
    if not isinstance(max_steps, int | np.integer) or not 1 <= max_steps <= MAX_PATH_STEPS:
        raise ValueError(f"max_steps must be an integer from 1 to {MAX_PATH_STEPS}, got {max_steps!r}")
    if coordinates not in ("box", "log"):
        raise ValueError(f"coordinates must be 'box' or 'log', got {coordinates!r}")
    if coordinates == "box":
        with np.errstate(all="ignore"):
            return _path(f, (x, y), box, method, grad, hess, int(max_steps))
    if not (box.x_lo > 0 and box.y_lo > 0):
        raise ValueError(f"coordinates='log' needs a box with x_lo > 0 and y_lo > 0, got {box}")
    fl, gl, hl = _log_coordinates(f, grad, hess)
    log_box = Box(math.log(box.x_lo), math.log(box.x_hi), math.log(box.y_lo), math.log(box.y_hi))
    with np.errstate(all="ignore"):
        res = _path(fl, (math.log(x), math.log(y)), log_box, method, gl, hl, int(max_steps))
    pts = res.points.copy()
    pts["x"], pts["y"] = np.exp(pts["x"]), np.exp(pts["y"])
    # |∇f| in x and y: from the log-coordinate gradient (x·f_x, y·f_y)
    pts["gradient_norm"] = [math.hypot(*_plain_gradient(f, grad, a, b)) for a, b in zip(pts.x, pts.y, strict=True)]
    pts.loc[0, ["x", "y"]] = [x, y]  # exactly the start, not exp(log(start))
    last = pts.iloc[-1]
    return Path(res.method, res.status, pts, float(last.x), float(last.y), res.value, res.steps)


def _plain_gradient(f: Func, grad: Func | None, x: float, y: float) -> tuple[float, float]:
    with np.errstate(all="ignore"):
        return _Surface(f, grad, None, _local_box(x, y)).scalar_gradient(x, y)


def log_coordinates(f: Func, grad: Func | None = None, hess: Func | None = None):
    """f, ∇f and ∇²f as functions of (u, v) = (log x, log y), for x, y > 0 (the chain rule on
    the analytic ones; None stays None). Critical points correspond one to one (exp is smooth
    and invertible) and keep their kind; a grid even in log x resolves features at very
    different scales (a $1.25 price and a $300 one in the same box).

    Examples
    --------
    >>> fl, gl, hl = log_coordinates(lambda x, y: x * y, lambda x, y: (y, x), lambda x, y: (0 * x, 1 + 0 * x, 0 * x))
    >>> round(float(fl(0.0, np.log(3.0))), 12), [float(v) for v in gl(0.0, 0.0)], [float(v) for v in hl(0.0, 0.0)]
    (3.0, [1.0, 1.0], [1.0, 1.0, 1.0])
    """
    return _log_coordinates(f, grad, hess)


def _log_coordinates(f: Func, grad: Func | None, hess: Func | None):
    """f, ∇f and ∇²f as functions of (u, v) = (log x, log y) (chain rule on the analytic ones)."""

    def fl(u, v):
        return f(np.exp(u), np.exp(v))

    gl = hl = None
    if grad is not None:

        def gl(u, v):
            x, y = np.exp(u), np.exp(v)
            gx, gy = grad(x, y)
            return x * gx, y * gy

        if hess is not None:

            def hl(u, v):
                x, y = np.exp(u), np.exp(v)
                gx, gy = grad(x, y)
                hxx, hxy, hyy = hess(x, y)
                return x * x * hxx + x * gx, x * y * hxy, y * y * hyy + y * gy

    return fl, gl, hl


def _f_scale_coarse(s: _Surface, box: Box) -> float:
    xs, ys = _grid_axis(box.x_lo, box.x_hi, 11), _grid_axis(box.y_lo, box.y_hi, 11)
    X, Y = np.meshgrid(xs, ys)
    F = s.value(X, Y)
    F = F[np.isfinite(F)]
    return max(float(np.abs(F).max()), float(F.max() - F.min()), 1e-300) if F.size else 1.0


def _line_search(s: _Surface, p, v, sign, d, slope, t1, t_max, lo, hi) -> float | None:
    """A step t along p + t·d: the maximum (for sign = 1) of the parabola through f(p), the slope
    there and f(p + t1·d) when f curves back within 4·t1 (and t_max, the boundary), else t1;
    then halved until Armijo's sufficient increase holds (None when no step of at least 1e-12
    does)."""

    def phi(t):
        return sign * s.scalar_value(*np.clip(p + t * d, lo, hi))

    base = sign * v
    f1 = phi(t1)
    t = t1
    if math.isfinite(f1):
        bend = 2 * (base + slope * t1 - f1) / (t1 * t1)  # minus the parabola's second derivative
        t = min(slope / bend, 4 * t1, t_max) if bend > 0 else t1
    while t >= 1e-12:
        ft = f1 if t == t1 else phi(t)
        if math.isfinite(ft) and ft - base >= ARMIJO * t * slope:
            return t
        t /= 2
    return None


def _path(f, start, box, method, grad, hess, max_steps) -> Path:
    s = _Surface(f, grad, hess, box)
    f_scale = _f_scale_coarse(s, box)
    D = np.array(box.widths)
    lo, hi = np.array([box.x_lo, box.y_lo]), np.array([box.x_hi, box.y_hi])
    p = np.array(start, dtype=float)
    rows = []
    sign = -1.0 if method is PathMethod.DESCENT else 1.0
    t = 0.05  # the first gradient step moves about 5% of the box
    status = PathStatus.MAX_STEPS

    def record(i, p, v, g):
        rows.append((i, float(p[0]), float(p[1]), float(v), float(math.hypot(*g))))

    v = s.scalar_value(*p)
    g = np.array(s.scalar_gradient(*p))
    record(0, p, v, g)
    for i in range(1, max_steps + 1):
        checkpoint(i / max_steps)
        if not (math.isfinite(v) and np.isfinite(g).all()):
            status = PathStatus.NOT_FINITE
            break
        gs = g * D  # box-scaled gradient
        if np.abs(gs).max() <= (NEWTON_PATH_RTOL if method is PathMethod.NEWTON else PATH_RTOL) * f_scale:
            status = PathStatus.CONVERGED
            break
        if method is PathMethod.NEWTON:
            h = s.scalar_hessian(*p)
            det = h[0] * h[2] - h[1] * h[1]
            size = max(abs(h[0]) * D[0] ** 2, abs(h[2]) * D[1] ** 2, abs(h[1]) * D[0] * D[1])
            if not math.isfinite(det) or abs(det) * D[0] ** 2 * D[1] ** 2 <= 1e-14 * size * size:
                status = PathStatus.SINGULAR
                break
            step = -np.array([h[2] * g[0] - h[1] * g[1], -h[1] * g[0] + h[0] * g[1]]) / det
            if (np.abs(step) <= 4 * _EPS * np.maximum(np.abs(p), D)).all():
                status = PathStatus.CONVERGED  # the step no longer moves the point
                break
            new = p + step
        else:
            # projected gradient: on a face of the box, a component pointing out is dropped
            climb = sign * gs
            out = ((p <= lo) & (climb < 0)) | ((p >= hi) & (climb > 0))
            climb = np.where(out, 0.0, climb)
            slope = float(np.linalg.norm(climb))
            if slope <= PATH_RTOL * f_scale:  # on the boundary, and the climb points out of the box
                status = PathStatus.LEFT_BOX
                break
            d = climb / slope * D
            with np.errstate(all="ignore"):
                reach = np.where(d > 0, (hi - p) / d, np.where(d < 0, (lo - p) / d, np.inf))
            t_max = float(reach.min())  # the step that reaches the boundary
            tt = _line_search(s, p, v, sign, d, slope, min(t * 2, 1.0, t_max), t_max, lo, hi)
            if tt is None:
                status = PathStatus.STALLED
                break
            t = tt
            new = np.clip(p + tt * d, lo, hi)
        if not ((new >= lo) & (new <= hi)).all():
            # cut the step where it meets the boundary
            d = new - p
            with np.errstate(all="ignore"):
                frac = np.where(d > 0, (hi - p) / d, np.where(d < 0, (lo - p) / d, np.inf))
            new = np.clip(p + float(np.clip(frac.min(), 0, 1)) * d, lo, hi)
            v, g = s.scalar_value(*new), np.array(s.scalar_gradient(*new))
            p = new
            record(i, p, v, g)
            status = PathStatus.LEFT_BOX
            break
        if np.array_equal(new, p):
            status = PathStatus.CONVERGED if method is PathMethod.NEWTON else PathStatus.STALLED
            break
        moved = np.abs(new - p) / D
        p, v_old = new, v
        v, g = s.scalar_value(*p), np.array(s.scalar_gradient(*p))
        record(i, p, v, g)
        if method is not PathMethod.NEWTON and moved.max() <= PATH_XTOL and abs(v - v_old) <= PATH_FTOL * f_scale:
            status = PathStatus.CONVERGED
            break
    else:
        gs = g * D
        rtol = NEWTON_PATH_RTOL if method is PathMethod.NEWTON else PATH_RTOL
        if np.isfinite(gs).all() and np.abs(gs).max() <= rtol * f_scale:
            status = PathStatus.CONVERGED
    frame = pd.DataFrame(rows, columns=["step", "x", "y", "value", "gradient_norm"])
    last = rows[-1]
    return Path(method, status, frame, last[1], last[2], last[3], int(last[0]))


# --- grids for charts ---------------------------------------------------------------------------


def grid(f: Func, box, nx: int = 61, ny: int | None = None) -> pd.DataFrame:
    """f on an nx × ny grid of the box, long format for a contour or heat map.

    Returns
    -------
    pandas.DataFrame
        Columns ``x``, ``y``, ``value``; x varies fastest. Non-finite values are NaN.

    Examples
    --------
    >>> g = grid(lambda x, y: x * y, (0, 1, 0, 2), nx=3)
    >>> g.shape, float(g.value.max())
    ((9, 3), 2.0)
    """
    box = _as_box(box)
    ny = nx if ny is None else ny
    for name, v in (("nx", nx), ("ny", ny)):
        if not isinstance(v, int | np.integer) or v < 2:
            raise ValueError(f"{name} must be an integer of at least 2, got {v!r}")
    xs, ys = _grid_axis(box.x_lo, box.x_hi, int(nx)), _grid_axis(box.y_lo, box.y_hi, int(ny))
    X, Y = np.meshgrid(xs, ys)
    with np.errstate(all="ignore"):
        V = _real(_call2(f, X, Y))
    V = np.where(np.isfinite(V), V, np.nan)
    return pd.DataFrame({"x": X.ravel(), "y": Y.ravel(), "value": V.ravel()})


def gradient_field(f: Func, box, n: int = 15, *, grad: Func | None = None) -> pd.DataFrame:
    """∇f sampled on an n × n grid of the box (for arrows).

    Returns
    -------
    pandas.DataFrame
        Columns ``x``, ``y``, ``dx``, ``dy`` (f_x and f_y there) and ``norm`` (|∇f|).

    Examples
    --------
    >>> field = gradient_field(lambda x, y: x**2 + y**2, (-1, 1, -1, 1), n=3)
    >>> field.loc[(field.x == 1) & (field.y == 0), ["dx", "dy"]].values.tolist()
    [[2.0, 0.0]]
    """
    box = _as_box(box)
    if not isinstance(n, int | np.integer) or n < 2:
        raise ValueError(f"n must be an integer of at least 2, got {n!r}")
    xs, ys = _grid_axis(box.x_lo, box.x_hi, int(n)), _grid_axis(box.y_lo, box.y_hi, int(n))
    X, Y = np.meshgrid(xs, ys)
    with np.errstate(all="ignore"):
        s = _Surface(f, grad, None, box)
        gx, gy = s.gradient(X.ravel(), Y.ravel())
    gx = np.where(np.isfinite(gx), gx, np.nan) + 0.0
    gy = np.where(np.isfinite(gy), gy, np.nan) + 0.0
    return pd.DataFrame({"x": X.ravel(), "y": Y.ravel(), "dx": gx, "dy": gy, "norm": np.hypot(gx, gy)})


# --- sensitivity of a two-variable optimum ------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """f(x, y; θ) to optimise over a box, and the inputs θ the user controls.

    ``f(x, y, **theta)``, ``grad(x, y, **theta) -> (f_x, f_y)`` and
    ``hess(x, y, **theta) -> (f_xx, f_xy, f_yy)`` (grad and hess optional); ``names`` are the
    two decision variables' names, used in the table's ``coordinate`` column.
    """

    f: Callable
    box: Box
    goal: str
    params: tuple[Param, ...]
    grad: Callable | None = None
    hess: Callable | None = None
    names: tuple[str, str] = ("x", "y")

    def theta(self, **override: float) -> dict[str, float]:
        values = {p.name: p.value for p in self.params}
        values.update(override)
        return values

    def bound(self, theta: Mapping[str, float]):
        """(f, grad, hess) as functions of (x, y) at these values of θ."""
        f = self.f
        grad = self.grad
        hess = self.hess
        return (
            (lambda x, y: f(x, y, **theta)),
            (lambda x, y: grad(x, y, **theta)) if grad is not None else None,
            (lambda x, y: hess(x, y, **theta)) if hess is not None else None,
        )


@dataclass(frozen=True)
class Sensitivity:
    """How one coordinate of the optimum and the best value respond to one input."""

    parameter: str
    label: str
    value: float
    coordinate: str
    optimum_change_per_unit: float
    best_change_per_unit: float
    optimum_elasticity: float


@dataclass(frozen=True)
class SensitivityTable:
    """Every input's effect on the optimum (x*, y*) and on the best value.

    ``rows`` holds two rows per input, one per coordinate (``names``), in the order of the
    problem's params; ``best_change_per_unit`` is the same in both rows of an input (the best
    value has one sensitivity). ``location`` says where the optimum lies; on an edge the
    coordinate held by the edge does not move (0), at a corner neither does.
    """

    optimum: BoxOptimum
    rows: tuple[Sensitivity, ...]
    names: tuple[str, str]
    location: Location

    def table(self) -> pd.DataFrame:
        """The contract columns of the one-variable pages (``optimizers.sensitivity.COLUMNS``),
        then ``coordinate``: one row per (input, coordinate)."""
        return pd.DataFrame(
            [
                {
                    "parameter": r.parameter,
                    "value": r.value + 0.0,
                    "optimum_change_per_unit": r.optimum_change_per_unit + 0.0,
                    "best_change_per_unit": r.best_change_per_unit + 0.0,
                    "optimum_elasticity": r.optimum_elasticity + 0.0,
                    "coordinate": r.coordinate,
                }
                for r in self.rows
            ],
            columns=SENSITIVITY_COLUMNS,
        )


def solve(problem: Problem, *, n: int = GRID_POINTS, **override: float) -> BoxOptimum:
    """The optimum of ``problem`` at its parameters' values (or ``override``).

    Examples
    --------
    >>> pr = Problem(lambda x, y, a: (x - a) ** 2 + y**2, Box(-5, 5, -5, 5), "min", (Param("a", 1.0, -2, 2),))
    >>> best = solve(pr, a=2.0)
    >>> round(best.x, 12), round(best.y, 12)
    (2.0, 0.0)
    """
    f, grad, hess = problem.bound(problem.theta(**override))
    return optimize(f, problem.box, problem.goal, grad=grad, hess=hess, n=n)


def _theta_partial(fn: Callable, theta: dict[str, float], name: str) -> np.ndarray:
    """∂fn/∂θ_name (fn(theta) -> array): complex step when it agrees with central differences."""
    v = theta[name]
    h = parameter_step(v)
    with np.errstate(all="ignore"):
        up = np.real(np.asarray(fn({**theta, name: v + h}), dtype=complex))
        down = np.real(np.asarray(fn({**theta, name: v - h}), dtype=complex))
        central = (up - down) / (2 * h)
        try:
            z = np.asarray(fn({**theta, name: complex(v, COMPLEX_STEP)}))
        except (TypeError, ValueError, OverflowError, ZeroDivisionError, AttributeError):
            return central
        if not np.iscomplexobj(z):
            return central
        cs = z.imag / COMPLEX_STEP
    size = np.maximum(np.abs(cs), np.abs(central))
    if np.isfinite(cs).all() and (np.abs(cs - central) <= 1e-6 * np.maximum(size, 1e-300) + 1e-7 * h).all():
        return cs
    return central


def sensitivity(problem: Problem, optimum: BoxOptimum | None = None) -> SensitivityTable:
    """d(x*, y*)/dθ and dV*/dθ for every input of ``problem``.

    Interior optimum (implicit function theorem on ∇f = 0): d(x*, y*)/dθ = −H⁻¹·∂∇f/∂θ; the
    envelope theorem gives dV*/dθ = ∂f/∂θ at the optimum. On an edge the coordinate the edge
    fixes does not move and the other follows its one-variable rule −f_tθ/f_tt; at a corner
    neither moves. The elasticity of a coordinate is its change per unit × θ / coordinate (nan
    at a coordinate of 0 that moves; 0 when it does not move).

    Returns
    -------
    SensitivityTable

    Examples
    --------
    Minimise (x − a)² + (y − 2a)²: the minimum (a, 2a) moves 1 and 2 per unit of a.

    >>> pr = Problem(lambda x, y, a: (x - a) ** 2 + (y - 2 * a) ** 2, Box(-5, 5, -5, 5), "min", (Param("a", 1.0, -2, 2),))
    >>> t = sensitivity(pr).table()
    >>> t[["parameter", "coordinate"]].values.tolist(), [round(v, 9) for v in t.optimum_change_per_unit]
    ([['a', 'x'], ['a', 'y']], [1.0, 2.0])
    """
    opt = solve(problem) if optimum is None else optimum
    theta = problem.theta()
    x, y = opt.x, opt.y
    f, grad, hess = problem.bound(theta)
    with np.errstate(all="ignore"):
        s = _Surface(f, grad, hess, problem.box)
        h = s.scalar_hessian(x, y)
    edges = problem.box.edges_at(x, y)
    fix_x = any(e in (Edge.LEFT, Edge.RIGHT) for e in edges)
    fix_y = any(e in (Edge.BOTTOM, Edge.TOP) for e in edges)
    rows = []
    for p in problem.params:
        dv = float(_theta_partial(lambda th: problem.f(x, y, **th), theta, p.name))

        def grad_at(th):
            if problem.grad is not None:
                return np.asarray(problem.grad(x, y, **th))
            fb = problem.bound(th)[0]
            return np.array(_Surface(fb, None, None, problem.box).scalar_gradient(x, y))

        gt = _theta_partial(grad_at, theta, p.name)
        dx = dy = 0.0
        if opt.status is Search.FLAT:
            dx = dy = dv = math.nan
        elif not fix_x and not fix_y:
            det = h[0] * h[2] - h[1] * h[1]
            if det != 0 and math.isfinite(det):
                dx = -(h[2] * gt[0] - h[1] * gt[1]) / det
                dy = -(-h[1] * gt[0] + h[0] * gt[1]) / det
            else:
                dx = dy = math.nan
        elif not fix_x:
            dx = -float(gt[0]) / h[0] if h[0] != 0 else math.nan
        elif not fix_y:
            dy = -float(gt[1]) / h[2] if h[2] != 0 else math.nan
        for name, change, at in ((problem.names[0], dx, x), (problem.names[1], dy, y)):
            change = float(change)
            if change == 0:
                elasticity = 0.0
            elif at != 0 and math.isfinite(change):
                elasticity = change * p.value / at
            else:
                elasticity = math.nan
            rows.append(Sensitivity(p.name, p.title, p.value, name, change, dv, elasticity))
    return SensitivityTable(opt, tuple(rows), problem.names, problem.box.location(x, y))
