"""sympy's work for a server: in the shared worker pool, under a time limit.

Symbolic algebra has no safe point to stop at, so a formula that makes sympy think for
minutes would hold a web server thread (and the GIL) that long. Here the parse happens in the
caller (it is bounded by the parser's size limits) and the differentiation or equality test
runs in a worker that is killed after :data:`optimizers.expression.TIME_LIMIT` seconds.
Workers are forked from a forkserver that has already differentiated one formula
(:mod:`runtime.preload`), so the limit measures the visitor's formula only.
"""

from __future__ import annotations

from collections.abc import Callable

from optimizers import expression as ex
from runtime import workpool

__all__ = ["constraint_surface", "derivative_matches", "limits", "prepare", "prepare_xy", "run_with_timeout"]


def run_with_timeout(fn: Callable, args: tuple, seconds: float, cancelled: Callable[[], bool] | None = None):
    """``fn(*args)`` in the shared worker pool, stopped after ``seconds``.

    Raises
    ------
    TimeoutError
        The work did not finish in time (its worker is stopped).
    workpool.Busy, workpool.Cancelled
        No worker was free, or the caller left.
    RuntimeError
        The work failed (the message names the error) or its worker died.
    """
    try:
        return workpool.default_pool().run(fn, *args, timeout=seconds, cancelled=cancelled)
    except (TimeoutError, workpool.Busy, workpool.Cancelled):
        raise
    except RecursionError as exc:
        raise RuntimeError(f"RecursionError: {exc}") from None
    except Exception as exc:  # sympy can raise anything; report it by name
        if isinstance(exc, RuntimeError):
            raise
        raise RuntimeError(f"{type(exc).__name__}: {exc}") from None


def prepare(text: str, *, parameter: bool = False, timeout: float = ex.TIME_LIMIT, cancelled=None) -> ex.ParsedFunction:
    """:func:`optimizers.expression.prepare` with sympy's part in a worker, under ``timeout``.

    Raises
    ------
    ExpressionError
        The text is not a formula the parser accepts, or sympy failed on it.
    ExpressionTimeout
        sympy ran out of time (may work on a quieter server: do not cache).
    workpool.Busy, workpool.Cancelled
        No worker was free, or the caller left (do not cache).
    """
    parsed = ex.parse(text, parameter)
    try:
        derived = run_with_timeout(ex.derive, (parsed,), timeout, cancelled)
    except TimeoutError:
        raise ex.ExpressionTimeout(
            f"differentiating this formula took longer than {timeout:g} s; simplify it"
        ) from None
    except (workpool.Busy, workpool.Cancelled):
        raise  # a busy server is not a property of the formula: callers must not cache it
    except RuntimeError as exc:
        raise ex.ExpressionError(f"could not differentiate the formula ({exc})") from None
    return ex.prepare(text, parameter=parameter, derived=derived)


def _derive_in_worker(fn: Callable, expr, timeout: float, cancelled):
    try:
        return run_with_timeout(fn, (expr,), timeout, cancelled)
    except TimeoutError:
        raise ex.ExpressionTimeout(
            f"differentiating this formula took longer than {timeout:g} s; simplify it"
        ) from None
    except (workpool.Busy, workpool.Cancelled):
        raise
    except RuntimeError as exc:
        raise ex.ExpressionError(f"could not differentiate the formula ({exc})") from None


def prepare_xy(text: str, *, timeout: float = ex.TIME_LIMIT, cancelled=None) -> ex.ParsedSurface:
    """:func:`optimizers.expression.prepare_xy` with sympy's part in a worker, under ``timeout``
    (raises as :func:`prepare` does)."""
    derived = _derive_in_worker(ex.derive_xy, ex.parse_xy(text), timeout, cancelled)
    return ex.prepare_xy(text, derived=derived)


def constraint_surface(text: str, *, timeout: float = ex.TIME_LIMIT, cancelled=None) -> ex.ParsedSurface:
    """:func:`optimizers.surface.constraint_surface` with sympy's part in a worker."""
    from optimizers import surface

    derived = _derive_in_worker(ex.derive_xy, surface.constraint_expr(text), timeout, cancelled)
    return surface.constraint_surface(text, derived=derived)


def derivative_matches(text: str, claimed: str, timeout: float = ex.TIME_LIMIT) -> bool | None:
    """Is d/dx ``text`` equal to ``claimed``? None when it could not be checked (busy, time)."""
    f, g = ex.parse(text, parameter=True), ex.parse(claimed, parameter=True)
    try:
        return bool(run_with_timeout(ex.matches, (f, g), timeout))
    except (TimeoutError, RuntimeError, workpool.Busy, workpool.Cancelled):
        return None


def limits(
    parsed: ex.ParsedFunction,
    points: tuple[float, ...],
    lo: float,
    hi: float,
    a: float = 1.0,
    *,
    timeout: float = ex.TIME_LIMIT,
    cancelled=None,
) -> tuple[ex.Limit, ...] | None:
    """The removable singularities among ``points`` (:func:`optimizers.expression.limits`),
    then the limits of f'' there (:func:`optimizers.expression.curvature_limits`), each in a
    worker under ``timeout``. None when the first runs out of time or fails (the caller may
    try again later: do not cache it); the limits without f'' when only the second does.

    Raises
    ------
    workpool.Busy, workpool.Cancelled
        No worker was free, or the caller left (do not cache).
    """
    if not points:
        return ()
    try:
        found = run_with_timeout(ex.limits, (parsed, tuple(points), lo, hi, a), timeout, cancelled)
    except (TimeoutError, RuntimeError):
        return None
    try:
        return run_with_timeout(ex.curvature_limits, (parsed, found, lo, hi, a), timeout, cancelled) if found else ()
    except (TimeoutError, RuntimeError):
        return found
