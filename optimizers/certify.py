"""A certified global optimum for a typed formula: interval branch and bound.

The engine (:mod:`optimizers.calculus`) finds the optimum from samples of f and f'; it can
miss a feature narrower than its grid. A typed formula is symbolic, so it can be bounded
rigorously instead. With interval arithmetic (mpmath's ``iv``, outward-rounded), F(X)
encloses every value of f on a cell X = [a, b] and F'(X) every slope. Hansen's method for
one variable (E. R. Hansen, "Global optimization using interval analysis: the
one-dimensional case", JOTA 29, 1979) then deletes cells until nothing is left:

* a cell whose lower bound cannot beat the best value found so far (minus a tolerance) is
  dropped: nothing in it is better;
* a cell where 0 is not in F'(X) is monotone: its best point is an end, which belongs to
  the neighbouring cell (or is lo or hi, evaluated on its own), so it is dropped;
* every other cell is split in two, and its midpoint's value (an upper bound on the
  optimum) may improve the best value found.

Lower bounds use both the natural enclosure F(X) and the mean-value form
f(c) + F'(X)(X - c), which is much tighter on small cells. Cells are taken smallest bound
first. When no cell is left, nothing in [lo, hi] is below f* - tol (for a minimum); when
the cell cap or the time runs out first, the result says what was proved and why it
stopped. Maxima are minima of -f. The parameter a of a formula enters as a point interval
[a, a]: the proof is about f at the value of a the page shows.

Runs in the shared worker pool (:func:`certify_in_worker`); it checks
:func:`optimizers.progress.checkpoint` between cells so a cancelled search stops at once.
"""

from __future__ import annotations

import enum
import heapq
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import mpmath
import numpy as np
import sympy as sp
from mpmath import iv, libmp

from optimizers import progress
from optimizers.calculus import optimize
from optimizers.cost import Cost
from optimizers.expression import A, ParsedFunction, X, sigmoid, softplus

__all__ = [
    "CERT_RTOL",
    "CERT_SECONDS",
    "MAX_CELLS",
    "Certificate",
    "NotCertifiable",
    "Refusal",
    "Stop",
    "certify",
    "certify_cost",
    "certify_in_worker",
    "enclose",
]

#: The certificate's tolerance, relative to f's scale (max of |f*| and f's range on [lo, hi]).
CERT_RTOL = 1e-9
#: CPU-seconds the search may use (within the page's budget, see optimizers.budget).
CERT_SECONDS = 1.5
#: Wall-clock seconds after which the search stops and reports what it proved: on a busy
#: machine CPU time lags the clock; the worker pool stops a task at 5 s (runtime.budget.HARD_TIMEOUT_SECONDS).
WALL_SECONDS = 4.0
#: The most cells one search may examine, whatever the formula.
MAX_CELLS = 6000
#: Fewer cells than this within the budget: the formula is too long to certify here.
MIN_CELLS = 40
#: Estimated microseconds per interval operation on the reference machine (2 cores, busy),
#: measured with mpmath 1.3: sin/cos/tan are the slow ones.
OP_MICROSECONDS = {"trig": 110.0, "transcendental": 35.0, "special": 250.0, "power": 25.0, "arith": 12.0}
CELL_OVERHEAD_MICROSECONDS = 60.0


class Refusal(enum.Enum):
    """Why a formula cannot be certified here (:class:`NotCertifiable`)."""

    NOT_COVERED = "not covered"  # a function or constant interval arithmetic here does not cover (``what``)
    TOO_LONG = "too long"  # fewer than MIN_CELLS cells fit in the budget (``per_cell`` seconds each)
    SINGULAR = "singular"  # f is undefined at ``x`` inside the interval (a removable singularity)


class NotCertifiable(ValueError):
    """The formula uses something interval arithmetic here does not cover, is too long for the
    budget, or is undefined at a point inside the interval. ``refusal`` says which; ``what``,
    ``per_cell`` and ``x`` are the details (:func:`explain.engine.not_certifiable` words them)."""

    def __init__(self, refusal: Refusal, *, what: str = "", per_cell: float = math.nan, x: float = math.nan) -> None:
        super().__init__(f"not certifiable: {refusal.value} {what}".strip())
        self.refusal, self.what, self.per_cell, self.x = refusal, what, per_cell, x

    def __reduce__(self):  # keyword-only details survive the trip back from a worker
        return _not_certifiable, (self.refusal, self.what, self.per_cell, self.x)


def _not_certifiable(refusal: Refusal, what: str, per_cell: float, x: float) -> NotCertifiable:
    return NotCertifiable(refusal, what=what, per_cell=per_cell, x=x)


class Stop(enum.Enum):
    """Why the search stopped before every cell was decided."""

    NONE = "none"  # it did not: certified
    ROUNDING = "rounding"  # a cell of two adjacent floats could not be decided (``stuck_x``)
    CELLS = "cells"  # the cell cap (``max_cells``) was reached
    TIME = "time"  # the CPU or wall-clock limit was reached
    UNBOUNDED = "unbounded"  # f could not be bounded at an end of the interval


@dataclass(frozen=True)
class Certificate:
    """What the interval search proved about the global optimum of f on [lo, hi].

    Attributes
    ----------
    certified : bool
        True when every cell was decided: nothing in [lo, hi] is below ``fun - tol`` (for a
        minimum; above ``fun + tol`` for a maximum).
    goal : str
        ``"min"`` or ``"max"``.
    x, fun : float
        Where the best value found is, and that value (the engine's answer unless the search
        found a better point: ``improved``).
    tol : float
        The proved gap: no point of [lo, hi] is more than ``tol`` better than ``fun``. Also
        filled in when not certified (then it is larger than ``target``, or infinite).
    target : float
        The tolerance the search aimed at.
    cells, seconds : int, float
        Cells examined and CPU time used.
    improved : bool
        The search found a point better than the engine's answer by more than ``target``.
    stop : Stop
        Why it is not certified (``Stop.NONE`` when it is).
    stuck_x : float
        Where a cell could not be decided (``Stop.ROUNDING``); nan otherwise.
    max_cells : int
        The cell cap the search ran with.
    """

    certified: bool
    goal: str
    x: float
    fun: float
    tol: float
    target: float
    cells: int
    seconds: float
    improved: bool = False
    stop: Stop = Stop.NONE
    stuck_x: float = math.nan
    max_cells: int = 0


# --- interval evaluation of a sympy expression --------------------------------------------


class _Undefined(ArithmeticError):
    """The cell lies outside f's domain (cannot happen on an interval the page accepted)."""


_WHOLE = None  # set lazily: iv.mpf(["-inf", "inf"])


def _whole():
    global _WHOLE
    if _WHOLE is None:
        _WHOLE = iv.mpf(["-inf", "inf"])
    return _WHOLE


def _down(v) -> float:
    """The lower end of an interval as a float, rounded down (so still a lower bound)."""
    return libmp.to_float(v._mpi_[0], rnd=libmp.round_floor)


def _up(v) -> float:
    """The upper end of an interval as a float, rounded up."""
    return libmp.to_float(v._mpi_[1], rnd=libmp.round_ceiling)


def _clip_below(v, floor: int = 0):
    """v intersected with [floor, inf): the part of a root's or log's argument where f is
    defined (rounding may push an enclosure a hair below the domain's edge)."""
    if v.b < floor:
        raise _Undefined
    return v if v.a >= floor else iv.mpf([floor, v.b])


def _const(e: sp.Expr):
    if e is sp.pi:
        return iv.pi
    if e is sp.E:
        return iv.e
    if isinstance(e, sp.Integer):
        return iv.mpf(int(e))
    if isinstance(e, sp.Rational):
        return iv.mpf(int(e.p)) / int(e.q)
    if isinstance(e, sp.Float):
        return iv.mpf(mpmath.mpf(e._mpf_))
    raise NotCertifiable(Refusal.NOT_COVERED, what=f"the constant {e}")


def _monotone(fn: Callable, v, increasing: bool = True):
    """An increasing function of an interval from its ends, computed with 20 guard bits and
    widened outward by 2**-60 relative (covers mpmath's rounding of special functions)."""
    with mpmath.workprec(73):
        a, b = fn(v.a), fn(v.b)
        if not increasing:
            a, b = b, a
        pad, tiny = mpmath.mpf(2) ** -60, mpmath.mpf(2) ** -1074
        a, b = a - abs(a) * pad - tiny, b + abs(b) * pad + tiny
    return iv.mpf([a, b])  # rounded outward to iv's precision


def _u_log_u(v):
    """t log t on an interval of t >= 0 (0 at t = 0, decreasing to -1/e at t = 1/e, then
    increasing): an enclosure without the 0 * (-inf) of the plain product."""
    v = _clip_below(v)

    def g(t):
        return mpmath.mpf(0) if t == 0 else (t * mpmath.log(t) if t != mpmath.inf else mpmath.inf)

    with mpmath.workprec(73):
        ga, gb = g(v.a), g(v.b)
        inv_e = mpmath.exp(-1)
        lo_val = -inv_e if v.a < inv_e < v.b else min(ga, gb)
        hi_val = max(ga, gb)
        pad, tiny = mpmath.mpf(2) ** -60, mpmath.mpf(2) ** -1074
        lo_val, hi_val = lo_val - abs(lo_val) * pad - tiny, hi_val + abs(hi_val) * pad + tiny
    return iv.mpf([lo_val, hi_val])  # rounded outward to iv's precision


def _pow(base, e: sp.Expr, compiled_exp: Callable, same: bool):
    integer = int(e) if e.is_Number and float(e).is_integer() else None

    def run(env):
        b = base(env)
        if integer is not None:
            return b**integer
        if e.is_Number:
            b = _clip_below(b)
            return b ** compiled_exp(env)
        if same:  # u**u = exp(u log u)
            return iv.exp(_u_log_u(b))
        p = compiled_exp(env)
        if p.a == p.b and mpmath.isint(p.a):  # x**a at an integer a: defined for x < 0 too
            return b ** int(p.a)
        b = _clip_below(b)
        return iv.exp(p * iv.log(b)) if b.a > 0 else _whole() if b.b > 0 else _zero_power(p)

    return run


def _zero_power(p):
    if p.a > 0:
        return iv.mpf(0)
    raise _Undefined


def _sign(v):
    if v.a > 0:
        return iv.mpf(1)
    if v.b < 0:
        return iv.mpf(-1)
    if v.a == 0 and v.b == 0:
        return iv.mpf(0)
    return iv.mpf([-1, 1])


def _heaviside(v, at_zero):
    if v.a > 0:
        return iv.mpf(1)
    if v.b < 0:
        return iv.mpf(0)
    return iv.mpf([0, 1])


def _max(parts):
    def run(env):
        vals = [p(env) for p in parts]
        return iv.mpf([max(v.a for v in vals), max(v.b for v in vals)])

    return run


def _min(parts):
    def run(env):
        vals = [p(env) for p in parts]
        return iv.mpf([min(v.a for v in vals), min(v.b for v in vals)])

    return run


def _log(v):
    return iv.log(_clip_below(v)) if v.a <= 0 else iv.log(v)


def _sqrt(v):
    return iv.sqrt(_clip_below(v))


_UNARY: dict[type, Callable] = {
    sp.exp: iv.exp,
    sp.log: _log,
    sp.sin: iv.sin,
    sp.cos: iv.cos,
    sp.tan: iv.tan,
    sp.Abs: abs,
    sp.sign: _sign,
    sigmoid: lambda v: 1 / (1 + iv.exp(-v)),
    softplus: lambda v: iv.log(1 + iv.exp(v)),
    sp.tanh: lambda v: 1 - 2 / (iv.exp(2 * v) + 1),
    sp.erf: lambda v: _monotone(mpmath.erf, v),
}


def _compile(e: sp.Expr, slots: dict) -> Callable:
    """A closure env -> interval for e; ``slots`` maps shared sub-expressions (and x) to
    their index in env."""
    if e in slots:
        i = slots[e]
        return lambda env: env[i]
    if e.is_Number or e.is_NumberSymbol:  # sqrt(2), log(3) are compiled like any tree
        c = _const(e)
        return lambda env: c
    parts = [_compile(a, slots) for a in e.args]
    if isinstance(e, sp.Add):

        def add(env):
            total = parts[0](env)
            for p in parts[1:]:
                total = total + p(env)
            return total

        return add
    if isinstance(e, sp.Mul):

        def mul(env):
            total = parts[0](env)
            for p in parts[1:]:
                total = total * p(env)
            return total

        return mul
    if isinstance(e, sp.Pow):
        base, power = e.args
        return _pow(parts[0], power, parts[1], same=(base == power))
    if isinstance(e, sp.Heaviside):
        at_zero = e.args[1] if len(e.args) > 1 else sp.Rational(1, 2)
        return lambda env: _heaviside(parts[0](env), at_zero)
    if isinstance(e, sp.Max):
        return _max(parts)
    if isinstance(e, sp.Min):
        return _min(parts)
    for cls, fn in _UNARY.items():
        if isinstance(e, cls):
            inner = parts[0]
            return lambda env: fn(inner(env))
    raise NotCertifiable(Refusal.NOT_COVERED, what=type(e).__name__)


class _Program:
    """Straight-line interval evaluation of several expressions with shared parts."""

    def __init__(self, exprs: list[sp.Expr], a: float | None = None) -> None:
        replacements, reduced = sp.cse(exprs, optimizations=None)
        self.slots = {X: 0, A: 1}
        self.a = iv.mpf(a) if a is not None else _whole()  # a point interval: floats are exact
        self.steps = []
        for sym, sub in replacements:
            self.steps.append(_compile(sub, self.slots))
            self.slots[sym] = len(self.slots)
        self.outputs = [_compile(r, self.slots) for r in reduced]

    def __call__(self, x):
        env = [x, self.a]
        for step in self.steps:
            env.append(step(env))
        return [out(env) for out in self.outputs]


def _op_cost(e: sp.Expr, slots: dict | None = None) -> float:
    """Estimated microseconds to evaluate e once with intervals (shared parts counted once)."""
    total = 0.0
    for node in sp.preorder_traversal(e):
        if slots and node in slots:
            continue
        if isinstance(node, sp.sin | sp.cos | sp.tan):
            total += OP_MICROSECONDS["trig"]
        elif isinstance(node, sp.exp | sp.log | sigmoid | softplus | sp.tanh):
            total += OP_MICROSECONDS["transcendental"]
        elif isinstance(node, sp.erf):
            total += OP_MICROSECONDS["special"]
        elif isinstance(node, sp.Pow):
            total += OP_MICROSECONDS["power"]
        elif isinstance(node, sp.Add | sp.Mul | sp.Abs | sp.Max | sp.Min | sp.sign | sp.Heaviside):
            total += OP_MICROSECONDS["arith"] * max(1, len(node.args) - 1)
    return total


def enclose(expr: sp.Expr, lo: float, hi: float, a: float | None = None):
    """An interval that holds every value of ``expr`` for x in [lo, hi] (mpmath ``iv``), at
    this value of the parameter a (for every a when None).

    >>> from optimizers.expression import parse
    >>> box = enclose(parse("x^2 - 10x + 100"), 5, 5)
    >>> float(box.a), float(box.b)
    (75.0, 75.0)
    >>> box = enclose(parse("x^2 - a*x", parameter=True), 2, 2, a=3)
    >>> float(box.a), float(box.b)
    (-2.0, -2.0)
    """
    return _Program([expr], a)(iv.mpf([lo, hi]))[0]


# --- the search ---------------------------------------------------------------------------


def _tolerance(scale: float) -> float:
    return CERT_RTOL * max(scale, 1e-300)


def _cell_microseconds(parsed: ParsedFunction) -> float:
    """An upper estimate (no shared parts) of one cell: F and F' on the cell, f at its middle."""
    s = parsed.symbolic
    return 2 * _op_cost(s.f) + _op_cost(s.d1) + CELL_OVERHEAD_MICROSECONDS


def certify_cost(parsed: ParsedFunction) -> tuple[Cost, int]:
    """(the search's cost, its cell cap): as many cells as fit in CERT_SECONDS, at most
    MAX_CELLS. Raises NotCertifiable when fewer than MIN_CELLS fit (or f is not covered).

    >>> from optimizers.expression import prepare
    >>> cost, cells = certify_cost(prepare("x^2 - 10x + 100"))
    >>> cells == MAX_CELLS, cost.seconds <= CERT_SECONDS
    (True, True)
    """
    per_cell = _cell_microseconds(parsed) * 1e-6
    cells = min(MAX_CELLS, int(CERT_SECONDS / per_cell))
    if cells < MIN_CELLS:
        raise NotCertifiable(Refusal.TOO_LONG, per_cell=per_cell)
    return Cost(cells * per_cell, "certify", ("f",)), cells


def certify(
    parsed: ParsedFunction,
    lo: float,
    hi: float,
    goal: str,
    x0: float,
    f0: float,
    scale: float,
    *,
    max_cells: int = MAX_CELLS,
    seconds: float = CERT_SECONDS,
    wall_seconds: float = WALL_SECONDS,
    a: float | None = None,
    limits: tuple[tuple[float, float], ...] = (),
) -> Certificate:
    """Prove (or fail to prove) that no point of [lo, hi] beats f0 by more than a tolerance.

    Parameters
    ----------
    parsed : ParsedFunction
        The formula (from :func:`optimizers.expression.prepare`).
    lo, hi : float
        The interval; f must be defined on all of it.
    goal : {"min", "max"}
    x0, f0 : float
        The engine's answer: where the optimum is and its value.
    scale : float
        f's scale on [lo, hi] (the tolerance is CERT_RTOL times it).
    max_cells, seconds, wall_seconds : int, float, float
        The cell cap, the CPU-time budget and the wall-clock limit.
    a : float, optional
        The value of the parameter a (required when the formula has one); it enters the
        interval evaluation as the point interval [a, a].
    limits : tuple of (x, value)
        Points where f is undefined but has a finite limit (removable singularities, from
        sympy), and that limit. At lo or hi the limit is f's value there; inside the
        interval no cell around the point can be bounded, so the formula is refused.

    Returns
    -------
    Certificate
        ``certified`` only when every cell was decided and the proved gap ``tol`` is finite.

    Raises
    ------
    NotCertifiable
        The formula uses a function interval arithmetic here does not cover, or has a
        removable singularity inside the interval (``Refusal.SINGULAR``).
    ValueError
        A bad goal, or a formula with the parameter a and no finite value for it.

    Examples
    --------
    The tutorial's ad-spend cost: nothing in [0, 10] is below 75 (to 1e-9 of its scale).

    >>> from optimizers.expression import prepare
    >>> c = certify(prepare("x^2 - 10x + 100"), 0, 10, "min", 5.0, 75.0, 100.0)
    >>> c.certified, c.fun, c.tol <= 1e-7
    (True, 75.0, True)
    """
    if goal not in ("min", "max"):
        raise ValueError(f"goal must be 'max' or 'min', got {goal!r}")
    if parsed.has_param and (a is None or not math.isfinite(a)):
        raise ValueError(f"the formula has the parameter a: give it a finite value, got a={a!r}")
    param = float(a) if parsed.has_param else None  # (a and b name a cell's ends below)
    for t, _ in limits:
        if lo < t < hi:
            raise NotCertifiable(Refusal.SINGULAR, x=t)
    ends = {float(t): float(v) for t, v in limits}
    started = time.process_time()
    wall = time.monotonic()
    sign = 1 if goal == "min" else -1
    s = parsed.symbolic
    f_expr, d_expr = (s.f, s.d1) if sign == 1 else (-s.f, -s.d1)
    both, alone = _Program([f_expr, d_expr], param), _Program([f_expr], param)
    target = _tolerance(scale)

    def at(t: float):
        if t in ends:  # f is undefined here; its limit (exact from sympy, rounded to a float) is used
            v = sign * ends[t]
            return iv.mpf([v - abs(v) * 2.0**-52 - 2.0**-1074, v + abs(v) * 2.0**-52 + 2.0**-1074])
        try:
            return alone(iv.mpf(t))[0]
        except (_Undefined, ZeroDivisionError, ValueError):
            return _whole()

    # best_ub: an upper bound of min F, attained at the known point best_x.
    best_ub, best_x = _up(at(x0)), x0
    lower = math.inf  # the smallest lower bound of a dropped cell or of an end
    for t in (lo, hi):
        v = at(t)
        lower = min(lower, _down(v))
        if _up(v) < best_ub:
            best_ub, best_x = _up(v), t
    engine_ub = best_ub
    heap: list[tuple[float, float, float]] = [(-math.inf, lo, hi)]
    cells, stuck = 0, None
    while heap:
        progress.checkpoint()
        cpu, elapsed = time.process_time() - started, time.monotonic() - wall
        if cells >= max_cells or cpu > seconds or elapsed > wall_seconds:
            break
        key, a, b = heapq.heappop(heap)
        if key >= best_ub - target:  # the best value improved since this cell was queued
            lower = min(lower, key)
            continue
        cells += 1
        cell = iv.mpf([a, b])
        try:
            fx, dx = both(cell)
        except (_Undefined, ZeroDivisionError, ValueError):
            fx, dx = _whole(), _whole()
        if _down(dx) > 0 or _up(dx) < 0:
            continue  # monotone: its best point is an end, lo or hi (done) or a neighbour's
        c = 0.5 * (a + b)
        if not a < c < b:  # a cell of two adjacent floats that still cannot be decided
            stuck = a
            lower = min(lower, _down(fx))
            continue
        fc = at(c)
        if _up(fc) < best_ub:
            best_ub, best_x = _up(fc), c
        bound = _down(fx)
        if math.isfinite(_down(dx)) and math.isfinite(_up(dx)) and math.isfinite(_down(fc)):
            bound = max(bound, _down(fc + dx * (cell - c)))
        if bound >= best_ub - target:
            lower = min(lower, bound)
            continue
        heapq.heappush(heap, (bound, a, c))
        heapq.heappush(heap, (bound, c, b))
    seconds_used = time.process_time() - started
    proved = min([lower, best_ub, *(k for k, _, _ in heap)])
    improved = best_ub < engine_ub - target
    x_best, f_best = x0, f0
    if improved:
        x_best, f_best = _polish(parsed, lo, hi, goal, best_x, sign * best_ub, param)
    tol = max(sign * f_best - proved, 0.0) if math.isfinite(proved) else math.inf
    done = {"cells": cells, "seconds": seconds_used, "improved": improved, "max_cells": max_cells}
    if not heap and stuck is None and math.isfinite(tol):
        return Certificate(True, goal, x_best, f_best, tol, target, **done)
    if not heap and stuck is None:  # every cell decided, but an end's value could not be bounded
        stop = Stop.UNBOUNDED
    elif not heap:
        stop = Stop.ROUNDING
    elif cells >= max_cells:
        stop = Stop.CELLS
    else:
        stop = Stop.TIME
    stuck_x = float(stuck) if stuck is not None else math.nan
    return Certificate(False, goal, x_best, f_best, tol, target, stop=stop, stuck_x=stuck_x, **done)


def _polish(
    parsed: ParsedFunction, lo: float, hi: float, goal: str, x: float, value: float, param: float | None = None
) -> tuple[float, float]:
    """The search found a better point than the engine: refine it with the engine on a small
    interval around it, and keep whichever value is better."""
    f, df, d2f = parsed.callables(1.0 if param is None else param)
    width = max(1e-9 * (hi - lo), 1e-3 * (hi - lo))
    a, b = max(lo, x - width), min(hi, x + width)
    try:
        local = optimize(f, a, b, goal, df=df, d2f=d2f)
    except ValueError:
        return x, value
    better = local.fun < value if goal == "min" else local.fun > value
    return (local.x, local.fun) if better else (x, value)


def certify_in_worker(
    parsed: ParsedFunction,
    lo: float,
    hi: float,
    goal: str,
    x0: float,
    f0: float,
    scale: float,
    a: float | None = None,
    limits: tuple[tuple[float, float], ...] = (),
) -> Certificate | NotCertifiable:
    """:func:`certify` with the cell cap from :func:`certify_cost` (for the worker pool).
    Returns a Certificate, or the NotCertifiable (its ``refusal`` says why) when the formula
    cannot be certified here."""
    try:
        _, cells = certify_cost(parsed)
        return certify(parsed, lo, hi, goal, x0, f0, scale, max_cells=cells, a=a, limits=limits)
    except NotCertifiable as exc:
        return exc


def _scale_of(values: np.ndarray, f0: float) -> float:
    finite = values[np.isfinite(values)]
    spread = float(finite.max() - finite.min()) if finite.size else 0.0
    return max(abs(f0), spread)
