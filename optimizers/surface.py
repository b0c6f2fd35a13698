"""A surface f(x, y) a visitor types: every critical point, the global optimum on a box (with
every place it is reached), an optional constraint g(x, y) = 0, charts' data, and a
certificate for the optimum.

Parsing and symbolic differentiation are :func:`optimizers.expression.prepare_xy` (the safe
parser with a second variable: nothing typed reaches ``eval``); the numbers are the engine's
(:mod:`optimizers.multivariate`) with the exact gradient and Hessian.

**Certification.** A typed formula is a sympy tree, so it can be bounded rigorously: with
mpmath's outward-rounded interval arithmetic (``iv``) over the tree, F(X) encloses every value
of f on a cell X = [a, b] × [c, d], and ∂F/∂x(X), ∂F/∂y(X) every slope. Interval branch and
bound (Hansen's method, as in :mod:`optimizers.certify` for one variable) then deletes cells:

* a cell whose lower bound (the larger of F(X) and the mean-value form
  f(m) + F_x(X)(x − m_x) + F_y(X)(y − m_y)) cannot beat the best value found, less the
  tolerance, is dropped;
* a cell on which f is bounded (F(X) finite: no pole inside) and monotone in x (0 ∉ F_x(X))
  cannot hold the minimum inside: its best points lie on one side, which belongs to the
  neighbouring cell, or, on the box's boundary, to the edge, to which the cell is reduced (and
  so on to a corner);
* every other cell is split across its longer side (in box-scaled units), its middle's value
  possibly improving the best value.

When no cell is left, nothing in the box is better than the optimum by more than ``tol``. The
search runs within a budget estimated beforehand (:func:`cost`, an
:class:`optimizers.cost.Cost`) and reports a status when it could not certify: out of budget,
an enclosure that stays unbounded (a pole, or f undefined in part of the box), a function
interval arithmetic here does not cover, or a formula too long for the budget.

**Bounded work.** The parser caps the formula (200 characters, 80 nodes, depth 40, exponents
±100); the engine's grid (GRID_POINTS² points), Newton starts (MAX_STARTS) and iterations
(NEWTON_MAXITER) are fixed; the certification is capped in cells and CPU seconds. :func:`cost`
estimates the whole update from the formula's size before anything runs.
"""

from __future__ import annotations

import enum
import heapq
import math
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sympy as sp
from mpmath import iv
from scipy.optimize import minimize

from optimizers import certify as _c1
from optimizers import multivariate as mv
from optimizers.cost import Cost
from optimizers.expression import (
    ExpressionError,
    ParsedSurface,
    SurfaceDerivatives,
    X,
    Y,
    _lambdify_xy,
    derivatives_xy,
    parse_xy,
    prepare_xy,
)
from optimizers.progress import checkpoint

__all__ = [
    "CERT_RTOL",
    "CERT_SECONDS",
    "DEFAULT_BOX",
    "DEFAULT_FORMULA",
    "DEFAULT_GOAL",
    "DEFAULT_START",
    "FIELD_POINTS",
    "GRID_SIDE",
    "KNOBS",
    "MAX_CELLS",
    "PATH_METHODS",
    "PRESETS",
    "TABLE_COLUMNS",
    "Certificate",
    "CertificateStatus",
    "SurfaceResult",
    "SurfaceStatus",
    "analyse",
    "certify",
    "certify_cost",
    "constraint_curve",
    "constraint_expr",
    "constraint_surface",
    "cost",
    "path",
    "path_cost",
]

#: The default surface: Stewart, *Calculus*, §14.7 Example 3 — a saddle at the origin and two
#: minima of −1 at (1, 1) and (−1, −1) (a tie: both are reported), and on [−2, 2]² the
#: maximum 49 at two corners (another tie).
DEFAULT_FORMULA = "x^4 + y^4 - 4xy + 1"
DEFAULT_BOX = (-2.0, 2.0, -2.0, 2.0)
DEFAULT_GOAL = "min"
#: Where the default path starts: gradient descent from here curves down to (−1, −1).
DEFAULT_START = (-1.5, 1.2)
#: Surfaces worth trying: key -> (f, (x_lo, x_hi, y_lo, y_hi), goal, constraint or None, path
#: start). Their names are words, in ``explain.surface``.
PRESETS = {
    "stewart": (DEFAULT_FORMULA, DEFAULT_BOX, "min", None, DEFAULT_START),
    "himmelblau": ("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", (-5.0, 5.0, -5.0, 5.0), "min", None, (0.0, 0.0)),
    "camel": ("(4 - 2.1x^2 + x^4/3)x^2 + xy + (-4 + 4y^2)y^2", (-3.0, 3.0, -2.0, 2.0), "min", None, (-1.5, 1.2)),
    "saddle": ("x^2 - y^2", (-1.0, 1.0, -1.0, 1.0), "max", None, (0.5, 0.1)),
    "monkey": ("x^3 - 3xy^2", (-1.0, 1.0, -1.0, 1.0), "max", None, (0.5, 0.1)),
    "rosenbrock": ("100(y - x^2)^2 + (1 - x)^2", (-2.0, 2.0, -1.0, 3.0), "min", None, (0.0, 0.0)),
    "cobb_douglas": ("100 x^0.75 y^0.25", (0.0, 400.0, 0.0, 250.0), "max", "150x + 250y = 50000", (100.0, 100.0)),
}  # fmt: skip
#: Points per side of the contour grid, and of the gradient-field samples.
GRID_SIDE = 61
FIELD_POINTS = 15
#: The critical-point table's columns (the CSV download).
TABLE_COLUMNS = ["x", "y", "value", "kind"]
#: The certificate's tolerance, relative to f's scale on the box.
CERT_RTOL = 1e-9
#: CPU-seconds and cells the certified search may use.
CERT_SECONDS = 1.5
WALL_SECONDS = 4.0
MAX_CELLS = 20_000
#: Fewer cells than this fit in the budget: the formula is too long to certify here.
MIN_CELLS = 100
CELL_OVERHEAD_MICROSECONDS = 120.0
#: The per-cell estimate from the one-variable search's operation costs, scaled by what 2-D
#: cells measured (0.18 to 0.26 of it over seven formulas: shared sub-expressions are
#: evaluated once); see docs/engine-2d.md.
CELL_SCALE = 0.3
#: The engine's numeric work: seconds per evaluated point per operation of f, ∇f and ∇²f, and
#: a fixed part (fitted on this machine: 2 busy cores; see docs/engine-2d.md).
NUMERIC_SECONDS_FIXED = 0.15
NUMERIC_SECONDS_PER_OP = 1e-4
#: The URL keys whose values make the work cheaper (a narrower box).
KNOBS = ("x_lo", "x_hi", "y_lo", "y_hi")
#: The paths :func:`path` follows: "gradient" (descent for a minimum, ascent for a maximum)
#: or "newton" (full Newton steps: toward the nearest critical point of any kind).
PATH_METHODS = ("gradient", "newton")
#: A path's cost: a fixed part, and per step the line search's evaluations of f (at most
#: PATH_EVALS_PER_STEP: a step halved down to 1e-12 of the box) plus one of ∇f (and of ∇²f for
#: Newton), each EVAL_SECONDS plus EVAL_SECONDS_PER_OP per operation of its formula (measured
#: on this machine: 6-13 µs for f and ∇f of the presets, 271 µs for a 4,767-operation Hessian).
PATH_SECONDS_FIXED = 0.02
PATH_EVALS_PER_STEP = 42
EVAL_SECONDS = 5e-6
EVAL_SECONDS_PER_OP = 5e-8


class SurfaceStatus(enum.Enum):
    """Whether the analysis could run on the box."""

    OK = "ok"
    #: f is not finite at a point of the grid (``undefined_at``): choose a box where it is defined.
    UNDEFINED = "undefined"
    #: A denominator of f changes sign in the box (``undefined_at`` is near where): f has a pole.
    POLE = "pole"


class CertificateStatus(enum.Enum):
    """The outcome of the certified search."""

    CERTIFIED = "certified"
    #: The cell cap or the time ran out first (``tol`` is what was proved, or inf).
    BUDGET = "budget"
    #: An enclosure stayed unbounded (a pole, or f undefined in part of the box).
    UNBOUNDED = "unbounded"
    #: The formula uses a function interval arithmetic here does not cover.
    NOT_COVERED = "not covered"
    #: Fewer than MIN_CELLS cells fit in the budget.
    TOO_LONG = "too long"
    #: Cells of adjacent floating-point numbers could not be decided (rounding).
    ROUNDING = "rounding"
    #: Not attempted (not asked for, or no optimum to certify).
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Certificate:
    """What the interval search proved about the global optimum of f on the box.

    ``x``, ``y``, ``value``: the best point found (the engine's unless ``improved``: the
    search found a point better by more than ``target``). When ``status`` is CERTIFIED,
    nothing in the box is below ``value − tol`` (for a minimum; above ``value + tol`` for a
    maximum), with ``tol`` ≤ ``target`` = CERT_RTOL × f's scale. ``cells`` and ``seconds``
    are the work done.
    """

    status: CertificateStatus
    goal: str
    x: float
    y: float
    value: float
    tol: float
    target: float
    cells: int = 0
    seconds: float = 0.0
    improved: bool = False

    @property
    def certified(self) -> bool:
        return self.status is CertificateStatus.CERTIFIED


@dataclass(frozen=True)
class SurfaceResult:
    """Everything the surface page shows.

    Attributes
    ----------
    text, constraint_text : str, str or None
        The formulas as typed.
    box : multivariate.Box
    goal : str
    status : SurfaceStatus
    undefined_at : tuple of float or None
        A grid point where f is not finite (status UNDEFINED), or next to where a denominator
        changes sign (status POLE); None when the status is OK.
    latex : tuple of str
        f, f_x, f_y in LaTeX.
    critical_points : tuple of multivariate.CriticalPoint
        Every critical point found in the box.
    search : multivariate.Search
        How complete that list is (COMPLETE, INCOMPLETE, CURVE, FLAT).
    minimum, maximum : multivariate.BoxOptimum or None
        The global minimum and maximum on the box, each with every place it is reached.
    edge_points : tuple of multivariate.EdgePoint
        The critical points of f along each edge.
    constraint : multivariate.ConstrainedOptimum or None
        The optimum on g = 0 (for ``goal``) when a constraint was given (None when g is not
        finite somewhere on the grid: ``constraint_undefined_at`` says where).
    grid : pandas.DataFrame
        f on GRID_SIDE² points: x, y, value (NaN where undefined).
    field : pandas.DataFrame
        ∇f on FIELD_POINTS² points: x, y, dx, dy, norm.
    certificate : Certificate
        For the optimum of ``goal``. When ``certificate.improved`` is True the interval search
        found a better point than the engine's grid did (a feature narrower than a cell, such as
        Easom's needle): ``certificate.x``, ``.y``, ``.value`` are then the optimum, and the
        engine's ``optimum`` is not.
    has_kinks : bool
        f uses abs, max or min of the variables: its gradient jumps across curves, and points
        on them are not found by ∇f = 0 (the edges, corners and grid samples still are).
    f_scale : float
        f's scale on the box (rounding noise below ~1e-12 of it is zero).
    method : multivariate.Method
    nfev : int
    constraint_undefined_at : tuple of float or None
        A grid point where the constraint's g is not finite.
    """

    text: str
    constraint_text: str | None
    box: mv.Box
    goal: str
    status: SurfaceStatus
    undefined_at: tuple[float, float] | None
    latex: tuple[str, str, str]
    critical_points: tuple[mv.CriticalPoint, ...]
    search: mv.Search | None
    minimum: mv.BoxOptimum | None
    maximum: mv.BoxOptimum | None
    edge_points: tuple[mv.EdgePoint, ...]
    constraint: mv.ConstrainedOptimum | None
    grid: pd.DataFrame
    field: pd.DataFrame
    certificate: Certificate
    has_kinks: bool
    f_scale: float
    method: mv.Method | None
    nfev: int
    constraint_undefined_at: tuple[float, float] | None = None

    @property
    def optimum(self) -> mv.BoxOptimum | None:
        """The optimum asked for (``goal``)."""
        return self.maximum if self.goal == "max" else self.minimum

    def table(self) -> pd.DataFrame:
        """The critical points for the CSV download: columns exactly x, y, value, kind (the
        kind's value: "minimum", "maximum", "saddle" or "degenerate")."""
        return pd.DataFrame(
            [
                {"x": p.x + 0.0, "y": p.y + 0.0, "value": p.value + 0.0, "kind": p.kind.value}
                for p in self.critical_points
            ],
            columns=TABLE_COLUMNS,
        )


# --- the constraint ---------------------------------------------------------------------------


def constraint_expr(text: str):
    """The sympy expression g of a constraint typed as ``g(x, y)`` (meaning g = 0) or as
    ``left = right`` (meaning left − right = 0). Raises ExpressionError saying what is wrong.

    >>> constraint_expr("150x + 250y = 50000")
    150*x + 250*y - 50000
    """
    if not isinstance(text, str):
        raise ExpressionError("the constraint must be text")
    if text.count("=") > 1:
        raise ExpressionError("write the constraint with one '=' at most, e.g. 150x + 250y = 50000")
    if "=" not in text:
        return parse_xy(text)
    left, right = text.split("=")
    if not left.strip() or not right.strip():
        raise ExpressionError("write something on both sides of '=', e.g. 150x + 250y = 50000")
    return parse_xy(left) - parse_xy(right)


def constraint_surface(text: str, *, derived=None) -> ParsedSurface:
    """A constraint (see :func:`constraint_expr`), parsed and differentiated. With
    ``left = right`` the multiplier λ is the change of the best value per unit of ``right``
    (one more dollar of budget). ``derived`` is ``derive_xy`` of the expression when it was
    computed elsewhere (``runtime.symbolic.constraint_surface`` does it under a time limit).

    >>> constraint_surface("150x + 250y = 50000").symbolic.f
    150*x + 250*y - 50000
    """
    expr = constraint_expr(text)
    return ParsedSurface(text, derived if derived is not None else derivatives_xy(expr))


# --- certification ----------------------------------------------------------------------------


class _Program2:
    """Straight-line interval evaluation of expressions in x and y, with shared parts."""

    def __init__(self, exprs: list[sp.Expr]) -> None:
        replacements, reduced = sp.cse(exprs, optimizations=None)
        slots = {X: 0, Y: 1}
        self.steps = []
        for sym, sub in replacements:
            self.steps.append(_c1._compile(sub, slots))
            slots[sym] = len(slots)
        self.outputs = [_c1._compile(r, slots) for r in reduced]

    def __call__(self, x, y):
        env = [x, y]
        for step in self.steps:
            env.append(step(env))
        return [out(env) for out in self.outputs]


def _cell_microseconds(s: SurfaceDerivatives) -> float:
    """An upper estimate of one cell: F, F_x, F_y on the cell and f at its middle."""
    ops = 2 * _c1._op_cost(s.f) + _c1._op_cost(s.fx) + _c1._op_cost(s.fy)
    return CELL_SCALE * ops + CELL_OVERHEAD_MICROSECONDS


def _plan(parsed: ParsedSurface) -> tuple[CertificateStatus | None, int]:
    """(None, the cell cap) when the formula can be certified here, else (why not, 0)."""
    try:
        _Program2([parsed.symbolic.f, parsed.symbolic.fx, parsed.symbolic.fy])
    except _c1.NotCertifiable:
        return CertificateStatus.NOT_COVERED, 0
    cells = min(MAX_CELLS, int(CERT_SECONDS / (_cell_microseconds(parsed.symbolic) * 1e-6)))
    return (None, cells) if cells >= MIN_CELLS else (CertificateStatus.TOO_LONG, 0)


def certify_cost(parsed: ParsedSurface) -> tuple[Cost, int]:
    """(the certified search's cost, its cell cap): as many cells as fit in CERT_SECONDS, at
    most MAX_CELLS. Raises ``certify.NotCertifiable`` when the formula is not covered or fewer
    than MIN_CELLS fit.

    >>> c, cells = certify_cost(prepare_xy("x^4 + y^4 - 4xy + 1"))
    >>> c.tasks, c.seconds <= CERT_SECONDS, cells >= MIN_CELLS
    (('certify_2d',), True, True)
    """
    _Program2([parsed.symbolic.f, parsed.symbolic.fx, parsed.symbolic.fy])  # raises NotCertifiable
    per_cell = _cell_microseconds(parsed.symbolic) * 1e-6
    cells = min(MAX_CELLS, int(CERT_SECONDS / per_cell))
    if cells < MIN_CELLS:
        raise _c1.NotCertifiable(f"about {per_cell * 1e3:.0f} ms per cell")
    return Cost(cells * per_cell, "certify_2d", KNOBS), cells


def _split(xa, xb, ya, yb, wx, wy):
    """The two halves of a cell across its longer side in box-scaled units (None when that
    side is two adjacent floats)."""
    if (xb - xa) / wx >= (yb - ya) / wy:
        m = 0.5 * (xa + xb)
        if not xa < m < xb:
            return None
        return (xa, m, ya, yb), (m, xb, ya, yb)
    m = 0.5 * (ya + yb)
    if not ya < m < yb:
        return None
    return (xa, xb, ya, m), (xa, xb, m, yb)


def certify(
    parsed: ParsedSurface,
    box,
    goal: str,
    x0: float,
    y0: float,
    f0: float,
    scale: float,
    *,
    max_cells: int = MAX_CELLS,
    seconds: float = CERT_SECONDS,
    wall_seconds: float = WALL_SECONDS,
) -> Certificate:
    """Prove (or fail to prove) that no point of the box beats f0 by more than a tolerance.

    Parameters
    ----------
    parsed : ParsedSurface
        The formula (from :func:`optimizers.expression.prepare_xy`).
    box : Box or (x_lo, x_hi, y_lo, y_hi)
    goal : {"min", "max"}
    x0, y0, f0 : float
        The engine's answer.
    scale : float
        f's scale on the box (the tolerance is CERT_RTOL times it).
    max_cells, seconds, wall_seconds : int, float, float
        The cell cap, the CPU-time budget and the wall-clock limit.

    Returns
    -------
    Certificate
        Status NOT_COVERED when interval arithmetic here does not cover the formula.

    Examples
    --------
    Stewart's minimum: nothing in [−2, 2]² is below −1 (less 1e-9 of f's scale).

    >>> c = certify(prepare_xy("x^4 + y^4 - 4xy + 1"), (-2, 2, -2, 2), "min", 1.0, 1.0, -1.0, 49.0)
    >>> c.status.value, c.value, c.tol <= c.target
    ('certified', -1.0, True)
    """
    goal = mv._check_goal(goal)
    box = mv._as_box(box)
    target = CERT_RTOL * max(abs(scale), 1e-300)
    sign = 1 if goal == "min" else -1
    s = parsed.symbolic
    try:
        h_expr = s.f if sign == 1 else -s.f
        hx, hy = (s.fx, s.fy) if sign == 1 else (-s.fx, -s.fy)
        both, alone = _Program2([h_expr, hx, hy]), _Program2([h_expr])
    except _c1.NotCertifiable:
        return Certificate(CertificateStatus.NOT_COVERED, goal, x0, y0, f0, math.inf, target)
    started, wall = time.process_time(), time.monotonic()
    down, up, whole = _c1._down, _c1._up, _c1._whole
    errors = (_c1._Undefined, ZeroDivisionError, ValueError, OverflowError)

    def at(x: float, y: float):
        try:
            return alone(iv.mpf(x), iv.mpf(y))[0]
        except errors:
            return whole()

    best_ub, best_xy = up(at(x0, y0)), (x0, y0)
    lower = math.inf
    for cx, cy in box.corners():
        v = at(cx, cy)
        lower = min(lower, down(v))
        if up(v) < best_ub:
            best_ub, best_xy = up(v), (cx, cy)
    engine_ub = best_ub
    wx, wy = box.widths
    counter = 0
    heap: list = [(-math.inf, counter, box.x_lo, box.x_hi, box.y_lo, box.y_hi)]
    cells, stuck, unbounded = 0, False, False
    while heap:
        if cells % 64 == 0:
            checkpoint(min(cells / max_cells, 1.0))
        cpu, elapsed = time.process_time() - started, time.monotonic() - wall
        if cells >= max_cells or cpu > seconds or elapsed > wall_seconds:
            break
        key, _, xa, xb, ya, yb = heapq.heappop(heap)
        if key >= best_ub - target:
            lower = min(lower, key)
            continue
        cells += 1
        cx_iv, cy_iv = iv.mpf([xa, xb]), iv.mpf([ya, yb])
        try:
            F, GX, GY = both(cx_iv, cy_iv)
        except errors:
            F, GX, GY = whole(), whole(), whole()
        reduced = None
        bounded = math.isfinite(down(F)) and math.isfinite(up(F))
        if not bounded:  # a pole (or f undefined) in the cell: its slopes prove nothing; split it
            unbounded = True
        elif xa < xb and (down(GX) > 0 or up(GX) < 0):  # monotone in x: best points on one side
            side = xa if down(GX) > 0 else xb
            if side not in (box.x_lo, box.x_hi):
                continue  # that side belongs to the neighbouring cell
            reduced = (side, side, ya, yb)
        elif ya < yb and (down(GY) > 0 or up(GY) < 0):  # monotone in y
            side = ya if down(GY) > 0 else yb
            if side not in (box.y_lo, box.y_hi):
                continue
            reduced = (xa, xb, side, side)
        if reduced is not None:  # on the box's boundary: keep only the edge (or the corner)
            counter += 1
            heapq.heappush(heap, (key, counter, *reduced))
            continue
        mx, my = 0.5 * (xa + xb), 0.5 * (ya + yb)
        fc = at(mx, my)
        if up(fc) < best_ub:
            best_ub, best_xy = up(fc), (mx, my)
        bound = down(F)
        if bounded and all(math.isfinite(v) for v in (down(GX), up(GX), down(GY), up(GY), down(fc))):
            bound = max(bound, down(fc + GX * (cx_iv - mx) + GY * (cy_iv - my)))
        if bound >= best_ub - target:
            lower = min(lower, bound)
            continue
        halves = _split(xa, xb, ya, yb, wx, wy)
        if halves is None:
            stuck = True
            lower = min(lower, bound)
            continue
        for h in halves:
            counter += 1
            heapq.heappush(heap, (bound, counter, *h))
    used = time.process_time() - started
    proved = min([lower, best_ub, *(k[0] for k in heap)])
    improved = best_ub < engine_ub - target
    x_best, y_best, f_best = x0, y0, f0
    if improved:
        x_best, y_best, f_best = _polish(parsed, box, goal, *best_xy)
    tol = max(sign * f_best - proved, 0.0) if math.isfinite(proved) else math.inf
    if not heap and not stuck:
        status = CertificateStatus.CERTIFIED
    elif not heap:
        status = CertificateStatus.ROUNDING
    elif unbounded and not math.isfinite(proved):
        status = CertificateStatus.UNBOUNDED
    else:
        status = CertificateStatus.BUDGET
    return Certificate(status, goal, x_best, y_best, f_best, tol, target, cells, used, improved)


def _polish(parsed: ParsedSurface, box: mv.Box, goal: str, x: float, y: float) -> tuple[float, float, float]:
    """The search found a better point than the engine: refine it locally (bounded L-BFGS-B
    with the exact gradient) and keep whichever value is better."""
    f, grad, _ = parsed.callables()
    sign = 1.0 if goal == "min" else -1.0
    wx, wy = box.widths
    bounds = [(max(box.x_lo, x - 1e-3 * wx), min(box.x_hi, x + 1e-3 * wx)),
              (max(box.y_lo, y - 1e-3 * wy), min(box.y_hi, y + 1e-3 * wy))]  # fmt: skip
    with np.errstate(all="ignore"):
        res = minimize(
            lambda v: sign * float(f(v[0], v[1])),
            np.array([x, y]),
            jac=lambda v: sign * np.array([float(g) for g in grad(v[0], v[1])]),
            method="L-BFGS-B",
            bounds=bounds,
        )
        v0, v1 = float(f(x, y)), float(f(*res.x))
    if math.isfinite(v1) and sign * v1 < sign * v0:
        return float(res.x[0]), float(res.x[1]), v1
    return x, y, v0


# --- the analysis -----------------------------------------------------------------------------


def cost(parsed: ParsedSurface, constraint: ParsedSurface | None = None, *, certificate: bool = True) -> Cost:
    """The CPU-seconds one :func:`analyse` costs for this formula, before it runs: the engine's
    numeric work (fitted per operation of f, ∇f, ∇²f) plus the certification's cell budget.

    >>> c = cost(prepare_xy(DEFAULT_FORMULA))
    >>> c.tasks, 0 < c.seconds < 3
    (('surface_2d', 'certify_2d'), True)
    """
    ops = sum(_count_ops(e) for e in _exprs(parsed.symbolic))
    seconds = NUMERIC_SECONDS_FIXED + NUMERIC_SECONDS_PER_OP * ops
    if constraint is not None:  # the Lagrange search evaluates f's and g's derivatives again
        ops += sum(_count_ops(e) for e in _exprs(constraint.symbolic))
        seconds += NUMERIC_SECONDS_FIXED + NUMERIC_SECONDS_PER_OP * ops
    total = Cost(seconds, "surface_2d", ("f", "g"))
    status, cells = _plan(parsed) if certificate else (CertificateStatus.SKIPPED, 0)
    if status is None:
        total = total + Cost(cells * _cell_microseconds(parsed.symbolic) * 1e-6, "certify_2d", KNOBS)
    return total


def _exprs(s: SurfaceDerivatives) -> tuple[sp.Expr, ...]:
    return (s.f, s.fx, s.fy, s.fxx, s.fxy, s.fyy)


def _count_ops(e: sp.Expr) -> int:
    return max(1, int(sp.count_ops(e)))


def _pole(parsed: ParsedSurface, box: mv.Box) -> tuple[float, float] | None:
    """Where a denominator of f (or the cosine under a tangent) changes sign or is zero on the
    grid of the box: the grid point nearest the sign change with the smallest |denominator|."""
    xs = np.linspace(box.x_lo, box.x_hi, GRID_SIDE)
    ys = np.linspace(box.y_lo, box.y_hi, GRID_SIDE)
    gx, gy = np.meshgrid(xs, ys)
    for kind, expr in parsed.symbolic.watch:
        if kind != "nonzero":
            continue
        with np.errstate(all="ignore"):
            v = np.real(np.asarray(_lambdify_xy(expr)(gx, gy), dtype=complex))
        if not np.isfinite(v).all():
            continue
        sign = np.sign(v)
        near = sign == 0
        near[:, :-1] |= sign[:, :-1] * sign[:, 1:] < 0
        near[:, 1:] |= sign[:, :-1] * sign[:, 1:] < 0
        near[:-1, :] |= sign[:-1, :] * sign[1:, :] < 0
        near[1:, :] |= sign[:-1, :] * sign[1:, :] < 0
        if near.any():
            j, i = np.unravel_index(int(np.argmin(np.where(near, np.abs(v), np.inf))), v.shape)
            return float(gx[j, i]), float(gy[j, i])
    return None


def _check_inputs(x_lo, x_hi, y_lo, y_hi, goal) -> tuple[mv.Box, str]:
    return mv.Box(x_lo, x_hi, y_lo, y_hi), mv._check_goal(goal)


def analyse(
    text_f: str = DEFAULT_FORMULA,
    x_lo: float = DEFAULT_BOX[0],
    x_hi: float = DEFAULT_BOX[1],
    y_lo: float = DEFAULT_BOX[2],
    y_hi: float = DEFAULT_BOX[3],
    goal: str = DEFAULT_GOAL,
    text_g: str | None = None,
    *,
    certificate: bool = True,
    parsed: ParsedSurface | None = None,
    parsed_g: ParsedSurface | None = None,
) -> SurfaceResult:
    """Every critical point of a typed f(x, y) in the box, its global optima, the optimum on
    g(x, y) = 0 when ``text_g`` is given, chart data and a certificate for the optimum.

    Parameters
    ----------
    text_f : str
        The formula in x and y (see :func:`optimizers.expression.parse_xy`).
    x_lo, x_hi, y_lo, y_hi : float
        The box.
    goal : {"min", "max"}
        Which optimum the certificate and the constraint are about (both global optima are
        always returned).
    text_g : str, optional
        A constraint, ``g(x, y)`` (meaning g = 0) or ``left = right``.
    certificate : bool
        Run the certified interval search (within its budget, see :func:`cost`).
    parsed, parsed_g : ParsedSurface, optional
        The formulas already parsed (pages cache the symbolic work on the text).

    Returns
    -------
    SurfaceResult

    Raises
    ------
    ExpressionError
        The formula (or the constraint) is not one we accept; the message says why.
    ValueError
        A bad box or goal.

    Examples
    --------
    The default: Stewart's x⁴ + y⁴ − 4xy + 1 on [−2, 2]².

    >>> r = analyse()
    >>> r.table().values.tolist()
    [[-1.0, -1.0, -1.0, 'minimum'], [0.0, 0.0, 1.0, 'saddle'], [1.0, 1.0, -1.0, 'minimum']]
    >>> r.minimum.value, len(r.minimum.places), r.certificate.status.value
    (-1.0, 2, 'certified')
    """
    box, goal = _check_inputs(x_lo, x_hi, y_lo, y_hi, goal)
    parsed = prepare_xy(text_f) if parsed is None else parsed
    if text_g is not None and parsed_g is None:
        parsed_g = constraint_surface(text_g)
    f, grad, hess = parsed.callables()
    latex = parsed.latex()
    grid = mv.grid(f, box, GRID_SIDE)
    field = mv.gradient_field(f, box, FIELD_POINTS, grad=grad)
    has_kinks = parsed.symbolic.has_kinks
    skipped = Certificate(CertificateStatus.SKIPPED, goal, math.nan, math.nan, math.nan, math.inf, math.nan)
    bad = grid[~np.isfinite(grid.value)]
    pole = _pole(parsed, box) if not len(bad) else None
    if len(bad) or pole is not None:
        status, where = (
            (SurfaceStatus.UNDEFINED, (float(bad.x.iloc[0]), float(bad.y.iloc[0])))
            if len(bad)
            else (SurfaceStatus.POLE, pole)
        )
        return SurfaceResult(
            text_f, text_g, box, goal, status, where, latex,
            (), None, None, None, (), None, grid, field, skipped, has_kinks, math.nan, None, 0,
        )  # fmt: skip
    checkpoint(0.05)
    try:
        res = mv.analyse_box(f, box, grad=grad, hess=hess)
    except mv.NotFinite as exc:  # f finite on the plot grid but not on the engine's (a pole between)
        where = (exc.x, exc.y)
        return SurfaceResult(
            text_f, text_g, box, goal, SurfaceStatus.UNDEFINED, where, latex,
            (), None, None, None, (), None, grid, field, skipped, has_kinks, math.nan, None, 0,
        )  # fmt: skip
    checkpoint(0.4)
    constraint, constraint_undefined_at = None, None
    nfev = res.nfev
    if parsed_g is not None:
        g, g_grad, g_hess = parsed_g.callables()
        try:
            constraint = mv.constrained(f, g, box, goal, grad=grad, hess=hess, g_grad=g_grad, g_hess=g_hess)
            nfev += constraint.nfev
        except mv.NotFinite as exc:  # g undefined somewhere in the box
            constraint_undefined_at = (exc.x, exc.y)
    checkpoint(0.5)
    best = res.optimum(goal)
    # f's scale: the grid's, widened by the optima (a needle the grid's nodes never sampled)
    scale = max(
        res.search.f_scale, abs(res.minimum.value), abs(res.maximum.value), res.maximum.value - res.minimum.value
    )
    cert = skipped
    if certificate:
        status, cells = _plan(parsed)
        if status is None:
            cert = certify(parsed, box, goal, best.x, best.y, best.value, scale, max_cells=cells)
        else:
            cert = Certificate(status, goal, best.x, best.y, best.value, math.inf, CERT_RTOL * scale)
    checkpoint(1.0)
    return SurfaceResult(
        text=text_f,
        constraint_text=text_g,
        box=box,
        goal=goal,
        status=SurfaceStatus.OK,
        undefined_at=None,
        latex=latex,
        critical_points=res.critical_points,
        search=res.search.status,
        minimum=res.minimum,
        maximum=res.maximum,
        edge_points=res.edge_points,
        constraint=constraint,
        grid=grid,
        field=field,
        certificate=cert,
        has_kinks=has_kinks,
        f_scale=scale,
        method=res.search.method,
        nfev=nfev,
        constraint_undefined_at=constraint_undefined_at,
    )


# --- a path from a start point, and the constraint's curve (for the page's chart) ------------


def path_cost(parsed: ParsedSurface, method: str = "gradient", max_steps: int = mv.PATH_STEPS) -> Cost:
    """The CPU-seconds of :func:`path` at most, before it runs (see PATH_SECONDS_FIXED).

    >>> c = path_cost(prepare_xy(DEFAULT_FORMULA))
    >>> c.tasks, 0 < c.seconds < 0.2
    (('surface_path',), True)
    """
    s = parsed.symbolic

    def each(*exprs) -> float:
        return EVAL_SECONDS + EVAL_SECONDS_PER_OP * sum(_count_ops(e) for e in exprs)

    per_step = PATH_EVALS_PER_STEP * each(s.f) + each(s.fx, s.fy)
    if method == "newton":
        per_step += each(s.fxx, s.fxy, s.fyy)
    return Cost(PATH_SECONDS_FIXED + max_steps * per_step, "surface_path", ("f",))


def path(
    parsed: ParsedSurface,
    box,
    start: tuple[float, float],
    goal: str = DEFAULT_GOAL,
    method: str = "gradient",
    *,
    max_steps: int = mv.PATH_STEPS,
) -> mv.Path:
    """The path from ``start`` on the typed f: gradient descent (goal "min") or ascent
    ("max"), or Newton's method (``method="newton"``), with the exact gradient and Hessian.

    See :func:`optimizers.multivariate.path` (steps in box-scaled coordinates, statuses).

    Raises
    ------
    ValueError
        On a bad box, goal or method, or a start outside the box.

    Examples
    --------
    Gradient descent on the default surface from the default start reaches the minimum at
    (−1, −1):

    >>> p = path(prepare_xy(DEFAULT_FORMULA), DEFAULT_BOX, DEFAULT_START)
    >>> p.status.value, (round(p.x, 5), round(p.y, 5), round(p.value, 9))
    ('converged', (-1.0, -1.0, -1.0))
    """
    goal = mv._check_goal(goal)
    if method not in PATH_METHODS:
        raise ValueError(f"method must be one of {PATH_METHODS}, got {method!r}")
    f, grad, hess = parsed.callables()
    how = (
        mv.PathMethod.NEWTON if method == "newton" else mv.PathMethod.DESCENT if goal == "min" else mv.PathMethod.ASCENT
    )
    return mv.path(f, start, mv._as_box(box), how, grad=grad, hess=hess, max_steps=max_steps)


def constraint_curve(parsed_g: ParsedSurface, box, n: int = GRID_SIDE) -> pd.DataFrame:
    """The curve g(x, y) = 0 in the box as line segments, for a chart (marching squares on an
    n × n grid: in each cell whose corners' signs of g differ, the crossings of its sides,
    found by linear interpolation, are joined; a cell crossed twice is split by the sign of
    g's mean there). Cells where g is not finite are left out.

    Returns
    -------
    pandas.DataFrame
        Columns ``x``, ``y``, ``x2``, ``y2``: one segment per row (empty when g = 0 does not
        cross the grid).

    Examples
    --------
    Larson's budget line 150x + 250y = 50,000 on [0, 400] × [0, 250] runs from (0, 200) to
    (333.3, 0):

    >>> seg = constraint_curve(constraint_surface("150x + 250y = 50000"), (0, 400, 0, 250), n=5)
    >>> ends = seg[["x", "x2"]].to_numpy()
    >>> round(float(ends.min()), 6), round(float(ends.max()), 6)
    (0.0, 333.333333)
    """
    box = mv._as_box(box)
    g = mv.grid(parsed_g.callables()[0], box, n)
    xs, ys = np.unique(g.x.to_numpy()), np.unique(g.y.to_numpy())
    G = g.value.to_numpy().reshape(len(ys), len(xs))
    return pd.DataFrame(_zero_segments(xs, ys, G), columns=["x", "y", "x2", "y2"])


def _zero_segments(xs: np.ndarray, ys: np.ndarray, G: np.ndarray) -> list[tuple[float, float, float, float]]:
    """Marching squares for the level 0 of G (rows: y, columns: x)."""
    pos = G >= 0

    def cross(a, b, pa, pb):  # the point between pa and pb where the line through a and b is 0
        t = a / (a - b) if a != b else 0.5
        return pa[0] + t * (pb[0] - pa[0]), pa[1] + t * (pb[1] - pa[1])

    out = []
    for j in range(len(ys) - 1):
        for i in range(len(xs) - 1):
            v = (G[j, i], G[j, i + 1], G[j + 1, i + 1], G[j + 1, i])  # counter-clockwise from (x_i, y_j)
            if not all(math.isfinite(c) for c in v):
                continue
            s = (pos[j, i], pos[j, i + 1], pos[j + 1, i + 1], pos[j + 1, i])
            if all(s) or not any(s):
                continue
            p = ((xs[i], ys[j]), (xs[i + 1], ys[j]), (xs[i + 1], ys[j + 1]), (xs[i], ys[j + 1]))
            hits = [cross(v[k], v[(k + 1) % 4], p[k], p[(k + 1) % 4]) for k in range(4) if s[k] != s[(k + 1) % 4]]
            if len(hits) == 2:
                pairs = [(hits[0], hits[1])]
            elif (sum(v) / 4 >= 0) == s[0]:  # a saddle cell whose middle joins corners 0 and 2:
                pairs = [(hits[0], hits[1]), (hits[2], hits[3])]  # corners 1 and 3 are cut off
            else:  # the middle joins corners 1 and 3: corners 0 and 2 are cut off
                pairs = [(hits[3], hits[0]), (hits[1], hits[2])]
            out += [(float(a[0]), float(a[1]), float(b[0]), float(b[1])) for a, b in pairs]
    return out
