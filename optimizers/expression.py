"""Safe parsing of a function typed by a user, its symbolic derivatives, and numbers from them.

This is a public web page: every character is hostile. Nothing the user types reaches
``eval``, ``exec``, ``sympify``, ``parse_expr``, ``numexpr`` or ``lambdify`` of a string.
The text is capped in length, parsed by Python's ``ast`` in ``mode="eval"`` (which builds a
tree and runs nothing), checked node by node against a whitelist, bounded in size, depth
and exponents, and only then translated node by node into a sympy expression. Symbolic
work that could still take long (differentiation, simplification, finding where f is not
continuous) runs in a child process that is killed after a time limit. Numbers come from
``sympy.lambdify`` of the sympy *object*.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

from optimizers import workpool

__all__ = [
    "FUNCTIONS",
    "MAX_LENGTH",
    "PRESETS",
    "Derivatives",
    "ExpressionError",
    "ExpressionTimeout",
    "ParsedFunction",
    "derivative_matches",
    "derivatives",
    "parse",
    "prepare",
    "run_with_timeout",
]

#: Longest accepted expression, in characters.
MAX_LENGTH = 200
#: Most AST nodes and deepest nesting accepted.
MAX_NODES = 80
MAX_DEPTH = 40
#: Largest |constant exponent| and largest |number literal|.
MAX_EXPONENT = 100
MAX_LITERAL = 1e15
#: Seconds allowed for the symbolic work (the page update's whole budget is 2 CPU-seconds;
#: ordinary formulas take well under 0.1 s).
TIME_LIMIT = 2.0

X = sp.Symbol("x", real=True)
#: The functions a user may call, by the names they may use.
FUNCTIONS: dict[str, Callable] = {
    "exp": sp.exp,
    "log": sp.log,
    "ln": sp.log,
    "sqrt": sp.sqrt,
    "sin": sp.sin,
    "cos": sp.cos,
    "tan": sp.tan,
    "abs": sp.Abs,
}
CONSTANTS = {"pi": sp.pi, "e": sp.E}

#: The seed's exercises and rules examples: (label, f, lo, hi, goal, the derivative the seed gives).
PRESETS = {
    "ad_spend": ("Ad spend C(x) = x² − 10x + 100", "x^2 - 10*x + 100", 0.0, 10.0, "min", "2*x - 10"),
    "production": ("Production profit P(x) = −2x² + 40x − 100", "-2*x^2 + 40*x - 100", 0.0, 30.0, "max", "-4*x + 40"),
    "study": ("Study score S(h) = −h² + 12h + 20", "-x^2 + 12*x + 20", 0.0, 12.0, "max", "-2*x + 12"),
    "polynomial": ("Power rule: 3x⁴ − 2x³ + 5x − 7", "3*x^4 - 2*x^3 + 5*x - 7", -2.0, 2.0, "min", "12*x^3 - 6*x^2 + 5"),
    "product": ("Product rule: x² · eˣ", "x^2 * exp(x)", -4.0, 1.0, "min", "exp(x) * x * (x + 2)"),
    "quotient": ("Quotient rule: x² / (x + 1)", "x^2 / (x + 1)", -0.5, 3.0, "min", "(x^2 + 2*x) / (x + 1)^2"),
    "chain": ("Chain rule: (3x + 1)⁵", "(3*x + 1)^5", -1.0, 1.0, "min", "15 * (3*x + 1)^4"),
}


class ExpressionError(ValueError):
    """The text is not an expression we accept; the message says why, in user terms."""


class ExpressionTimeout(ExpressionError):
    """The symbolic work ran out of time. It may succeed on a quieter server, so callers
    that cache results must not cache this (re-raise it)."""


_BINOPS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}
_OP_TEXT = {
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.BitAnd: "&",
}
# digit followed by a letter or "(" (but not a 1e5 exponent), or ")" followed by one
_IMPLICIT = [
    (re.compile(r"(\d)\s*(?![eE][+-]?\d)([A-Za-z(])"), r"\1*\2"),
    (re.compile(r"\)\s*([A-Za-z0-9(])"), r")*\1"),
]


def _describe(node: ast.AST) -> str:
    try:
        text = ast.unparse(node)
    except Exception:  # noqa: BLE001 - only for the message
        text = type(node).__name__
    return text if len(text) <= 30 else text[:27] + "..."


def _constant_value(node: ast.AST) -> float | None:
    """The float value of a subtree without x, computed safely, or None if it has x."""
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        if node.id == "x":
            return None
        return math.pi if node.id == "pi" else math.e
    if isinstance(node, ast.UnaryOp):
        v = _constant_value(node.operand)
        return None if v is None else (-v if isinstance(node.op, ast.USub) else v)
    if isinstance(node, ast.BinOp):
        a, b = _constant_value(node.left), _constant_value(node.right)
        if a is None or b is None:
            return None
        try:
            if isinstance(node.op, ast.Pow):
                _check_exponent(b, node)
                value = math.pow(a, b) if a >= 0 or float(b).is_integer() else math.nan
            elif isinstance(node.op, ast.Div):
                value = a / b if b != 0 else math.inf
            else:
                value = _BINOPS[type(node.op)](a, b)
        except OverflowError:
            value = math.inf
        if not math.isfinite(value) and math.isfinite(a) and math.isfinite(b) and not isinstance(node.op, ast.Div):
            raise ExpressionError(f"the number {_describe(node)!r} is too large")
        return value
    if isinstance(node, ast.Call):
        arg = _constant_value(node.args[0])
        return None if arg is None else math.nan  # a constant like sin(1): value not needed
    return None


def _check_exponent(value: float, node: ast.AST) -> None:
    if not math.isfinite(value) or abs(value) > MAX_EXPONENT:
        raise ExpressionError(
            f"exponent too large in {_describe(node)!r}: constant exponents must be within ±{MAX_EXPONENT}"
        )


def _check(tree: ast.Expression) -> None:
    # size first, without recursion: a long flat sum is "too long", not "too deep"
    if sum(isinstance(n, ast.expr) for n in ast.walk(tree.body)) > MAX_NODES:
        raise ExpressionError(f"the expression is too long: at most {MAX_NODES} parts")

    def visit(node: ast.AST, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise ExpressionError(f"the expression is nested too deeply: at most {MAX_DEPTH} levels")
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                raise ExpressionError(f"only numbers and x are allowed, not {_describe(node)!r}")
            if not math.isfinite(float(node.value)) or abs(node.value) > MAX_LITERAL:
                raise ExpressionError(f"the number {_describe(node)!r} is too large (at most 1e15)")
            return
        if isinstance(node, ast.Name):
            if node.id != "x" and node.id not in CONSTANTS:
                if node.id in FUNCTIONS:
                    raise ExpressionError(f"{node.id} is a function: write {node.id}(x)")
                raise ExpressionError(f"unknown name '{node.id}': use x, pi, e and {', '.join(FUNCTIONS)}")
            return
        if isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.USub | ast.UAdd):
                raise ExpressionError(f"the operator in {_describe(node)!r} is not allowed")
            visit(node.operand, depth + 1)
            return
        if isinstance(node, ast.BinOp):
            if type(node.op) not in _BINOPS:
                op = _OP_TEXT.get(type(node.op), type(node.op).__name__)
                raise ExpressionError(f"the operator {op} is not allowed: use + - * / and ^ (or **) for powers")
            visit(node.left, depth + 1)
            visit(node.right, depth + 1)
            if isinstance(node.op, ast.Pow):
                exponent = _constant_value(node.right)
                if exponent is not None:
                    _check_exponent(exponent, node)
            _constant_value(node)  # rejects constants that overflow
            return
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name):
                raise ExpressionError(f"only calls like sin(x) are allowed, not {_describe(node)!r}")
            if node.func.id not in FUNCTIONS:
                raise ExpressionError(f"unknown function '{node.func.id}': use {', '.join(FUNCTIONS)}")
            if node.keywords or len(node.args) != 1:
                raise ExpressionError(f"{node.func.id}() takes exactly one argument")
            if isinstance(node.args[0], ast.Starred):
                raise ExpressionError("* arguments are not allowed")
            visit(node.args[0], depth + 1)
            return
        raise ExpressionError(f"{_describe(node)!r} is not allowed in a formula")

    visit(tree.body, 0)


def _build(node: ast.AST) -> sp.Expr:
    if isinstance(node, ast.Constant):
        value = node.value
        return sp.Integer(value) if isinstance(value, int) else sp.Float(repr(value))
    if isinstance(node, ast.Name):
        return X if node.id == "x" else CONSTANTS[node.id]
    if isinstance(node, ast.UnaryOp):
        inner = _build(node.operand)
        return -inner if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp):
        return _BINOPS[type(node.op)](_build(node.left), _build(node.right))
    if isinstance(node, ast.Call):
        return FUNCTIONS[node.func.id](_build(node.args[0]))
    raise ExpressionError(f"{_describe(node)!r} is not allowed")  # unreachable after _check


def parse(text: str) -> sp.Expr:
    """Turn user text into a sympy expression in x, or raise ExpressionError saying why.

    Examples
    --------
    >>> parse("x^2 - 10x + 100")
    x**2 - 10*x + 100
    >>> parse("__import__('os').system('ls')")
    Traceback (most recent call last):
    ...
    optimizers.expression.ExpressionError: only calls like sin(x) are allowed, not "__import__('os').system('ls')"
    """
    if not isinstance(text, str):
        raise ExpressionError("the formula must be text")
    text = text.strip()
    if not text:
        raise ExpressionError("type a formula in x, for example x^2 - 10*x + 100")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the formula is {len(text)} characters long; at most {MAX_LENGTH} are allowed")
    if not text.isascii() or not text.isprintable():
        raise ExpressionError("use plain characters: digits, x, + - * / ^ ( ) and function names")
    # "^" means power, as users expect. Swapped in the text, not read as Python's XOR node:
    # XOR binds looser than + and -, so x^2 - 1 would become x ** (2 - 1).
    text = text.replace("^", "**")
    for pattern, repl in _IMPLICIT:
        text = pattern.sub(repl, text)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        where = f" near position {exc.offset}" if exc.offset else ""
        raise ExpressionError(f"that is not a formula{where}: check the brackets and operators") from None
    except (ValueError, RecursionError, MemoryError):
        raise ExpressionError("that is not a formula we can read") from None
    _check(tree)
    try:
        expr = _build(tree.body)
    except (ZeroDivisionError, OverflowError, RecursionError) as exc:
        raise ExpressionError(f"the formula cannot be evaluated: {type(exc).__name__}") from None
    if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise ExpressionError("the formula divides by zero or is undefined everywhere")
    return expr


@dataclass(frozen=True)
class Derivatives:
    """f, f' and f'' as sympy expressions (simplified for display), the parts of [lo, hi]
    where f is not continuous (``gaps``: (a, a) for a point, (a, b) for a stretch) and the
    kinks of abs()."""

    f: sp.Expr
    d1: sp.Expr
    d2: sp.Expr
    d1_display: sp.Expr
    d2_display: sp.Expr
    gaps: tuple[tuple[float, float], ...]
    kinks: tuple[float, ...]


def _tidy(expr: sp.Expr) -> sp.Expr:
    """A shorter equal form when one is found quickly (factor after together)."""
    try:
        candidates = [expr, sp.factor(sp.together(expr)), sp.simplify(expr)]
    except Exception:  # noqa: BLE001 - display only; keep the raw form
        return expr
    return min(candidates, key=sp.count_ops)


def _points(values, lo: float, hi: float) -> tuple[float, ...]:
    out = []
    for v in values:
        try:
            fv = float(v)
        except (TypeError, ValueError):
            continue
        if lo <= fv <= hi:
            out.append(fv)
    return tuple(sorted(set(out)))


def _derive(expr: sp.Expr, lo: float, hi: float) -> Derivatives:
    """The symbolic work (runs in a child process under a time limit)."""
    d1 = sp.diff(expr, X)
    d2 = sp.diff(d1, X)
    # |u|'' has a DiracDelta at u = 0: the kink is reported separately, not plotted as a spike
    d2 = d2.replace(sp.DiracDelta, lambda *args: sp.Integer(0))
    interval = sp.Interval(lo, hi)
    gaps: list[tuple[float, float]] = []
    try:
        domain = sp.calculus.util.continuous_domain(expr, X, interval)
        if domain != interval:
            missing = interval - domain
            for part in missing.args if isinstance(missing, sp.Union) else [missing]:
                if isinstance(part, sp.FiniteSet):
                    gaps += [(float(p), float(p)) for p in part]
                elif isinstance(part, sp.Interval):
                    gaps.append((float(part.start), float(part.end)))
    except (NotImplementedError, TypeError, ValueError, AttributeError):
        gaps = []  # the numeric check on the grid still catches what sympy could not
    kinks = []
    for a in expr.atoms(sp.Abs):
        try:
            kinks += list(sp.solveset(a.args[0], X, interval))
        except (NotImplementedError, TypeError, ValueError):
            continue
    return Derivatives(expr, d1, d2, _tidy(d1), _tidy(d2), tuple(sorted(gaps)), _points(kinks, lo, hi))


def run_with_timeout(fn: Callable, args: tuple, seconds: float):
    """Run ``fn(*args)`` in the shared worker pool (:mod:`optimizers.workpool`); stop it after
    ``seconds``. Symbolic algebra has no safe point to stop at, so its worker is killed.

    Raises
    ------
    TimeoutError
        The work did not finish in time (its worker is stopped).
    workpool.Busy
        Every worker is taken and the queue is full: try again later.
    RuntimeError
        The work failed (the message names the error) or its worker died.
    """
    try:
        return workpool.default_pool().run(fn, *args, timeout=seconds)
    except (TimeoutError, workpool.Busy, workpool.Cancelled):
        raise
    except RecursionError as exc:
        raise RuntimeError(f"RecursionError: {exc}") from None
    except Exception as exc:  # sympy can raise anything; report it by name
        if isinstance(exc, RuntimeError):
            raise
        raise RuntimeError(f"{type(exc).__name__}: {exc}") from None


def derivatives(expr: sp.Expr, lo: float, hi: float, timeout: float = TIME_LIMIT) -> Derivatives:
    """f' and f'' of a parsed expression and f's breaks on [lo, hi], under a time limit.

    Examples
    --------
    >>> d = derivatives(parse("(3x + 1)^5"), -1, 1)
    >>> d.d1_display
    15*(3*x + 1)**4
    """
    try:
        return run_with_timeout(_derive, (expr, float(lo), float(hi)), timeout)
    except TimeoutError:
        raise ExpressionTimeout(f"differentiating this formula took longer than {timeout:g} s; simplify it") from None
    except RuntimeError as exc:
        raise ExpressionError(f"could not differentiate the formula ({exc})") from None


@dataclass(frozen=True)
class ParsedFunction:
    """A user's function ready for the engine: numpy callables for f, f', f''."""

    text: str
    symbolic: Derivatives

    def latex(self) -> tuple[str, str, str]:
        """f, f' and f'' in LaTeX (the display forms of the derivatives)."""
        s = self.symbolic
        return sp.latex(s.f), sp.latex(s.d1_display), sp.latex(s.d2_display)

    def callables(self):
        """(f, f', f'') as numpy functions, from sympy objects (never from text)."""
        mods = [{"Abs": np.abs, "sign": np.sign}, "numpy"]
        fns = [sp.lambdify(X, e, modules=mods) for e in (self.symbolic.f, self.symbolic.d1, self.symbolic.d2)]
        return tuple(_vectorised(fn) for fn in fns)


def _vectorised(fn: Callable) -> Callable:
    """lambdify of a constant returns a scalar: broadcast it so grids keep their shape."""

    def call(x):
        with np.errstate(all="ignore"):
            y = fn(x)
        return np.broadcast_to(y, np.shape(x)).astype(np.result_type(y, float)) if np.ndim(y) == 0 else y

    return call


def _matches(f: sp.Expr, claimed: sp.Expr) -> bool:
    return sp.simplify(sp.diff(f, X) - claimed) == 0


def derivative_matches(text: str, claimed: str, timeout: float = TIME_LIMIT) -> bool:
    """Is the derivative of ``text`` symbolically equal to ``claimed``? (Both are parsed safely.)

    >>> derivative_matches("x^2/(x+1)", "(x^2 + 2*x) / (x + 1)^2")
    True
    >>> derivative_matches("(3x+1)^5", "5*(3*x + 1)^4")  # the chain rule forgotten
    False
    """
    try:
        return run_with_timeout(_matches, (parse(text), parse(claimed)), timeout)
    except (TimeoutError, RuntimeError, workpool.Busy):
        return False


def prepare(text: str, lo: float, hi: float, timeout: float = TIME_LIMIT) -> ParsedFunction:
    """Parse, differentiate and check a user's function on [lo, hi]. Raises ExpressionError."""
    if not (math.isfinite(lo) and math.isfinite(hi) and hi > lo):
        raise ExpressionError(f"the interval needs lo < hi, got lo={lo:g}, hi={hi:g}")
    return ParsedFunction(text, derivatives(parse(text), lo, hi, timeout))
