"""Safe parsing of a function typed by a user, its symbolic derivatives, and numbers from them.

This is a public web page: every character is hostile. Nothing the user types reaches
``eval``, ``exec``, ``sympify``, ``parse_expr``, ``numexpr`` or ``lambdify`` of a string.
The text is capped in length, parsed by Python's ``ast`` in ``mode="eval"`` (which builds a
tree and runs nothing), checked node by node against a whitelist, bounded in size, depth
and exponents, and only then translated node by node into a sympy expression. Symbolic
work that could still take long (differentiation, simplification) runs in the shared worker
pool under a time limit. Numbers come from ``sympy.lambdify`` of the sympy *object*.

The symbolic work depends on the formula alone, never on the interval or the point a page
looks at, so pages cache it on the text and moving lo, hi or x never repeats it. Where f is
undefined, has a pole or a kink on a given interval is decided numerically from the list of
sub-expressions that govern it (:attr:`Derivatives.watch`: arguments of logarithms, bases
of fractional and negative powers, arguments of abs, max and min).

One named parameter, the symbol ``a``, may appear where a page allows it
(``parse(text, parameter=True)``): the symbolic work is still done once per formula, with
``a`` a symbol, and its value is substituted numerically (``callables(a)``). The partials
f_a and f_xa that the sensitivity of the optimum needs come from sympy exactly.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, reduce

import numpy as np
import scipy.special
import sympy as sp

__all__ = [
    "ARITY",
    "FUNCTIONS",
    "MAX_LENGTH",
    "PARAMETER",
    "PRESETS",
    "PRESET_A",
    "A",
    "Derivatives",
    "ExpressionError",
    "ExpressionTimeout",
    "Limit",
    "ParsedFunction",
    "ParsedSurface",
    "SurfaceDerivatives",
    "Y",
    "curvature_limits",
    "derivative_matches",
    "derivatives",
    "derivatives_xy",
    "derive",
    "derive_xy",
    "limits",
    "matches",
    "parse",
    "parse_xy",
    "prepare",
    "prepare_xy",
    "sigmoid",
    "softplus",
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
#: Derivatives longer than this (sympy's count_ops) are shown as differentiated, not factored.
TIDY_MAX_OPS = 60

X = sp.Symbol("x", real=True)
#: The one named parameter a formula may use (where the page allows it), and its symbol.
PARAMETER = "a"
A = sp.Symbol(PARAMETER, real=True)
#: The second variable of a two-variable formula (:func:`parse_xy`).
Y = sp.Symbol("y", real=True)


class sigmoid(sp.Function):  # lower case: named as the user types it
    """The logistic function σ(u) = 1 / (1 + e^(−u)); σ′ = σ(1 − σ).

    >>> sp.diff(sigmoid(X), X)
    (1 - sigmoid(x))*sigmoid(x)
    """

    nargs = 1

    @classmethod
    def eval(cls, arg):
        if arg.is_Number:
            return 1 / (1 + sp.exp(-arg))
        return None

    def fdiff(self, argindex=1):
        s = sigmoid(self.args[0])
        return s * (1 - s)

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_rewrite_as_exp(self, arg, **kwargs):
        return 1 / (1 + sp.exp(-arg))

    def _latex(self, printer, exp=None):
        power = f"^{{{exp}}}" if exp else ""
        return rf"\sigma{power}\left({printer._print(self.args[0])}\right)"


class softplus(sp.Function):  # lower case: named as the user types it
    """softplus(u) = ln(1 + e^u), a smooth ReLU; softplus′ = σ.

    >>> sp.diff(softplus(2 * X), X)
    2*sigmoid(2*x)
    """

    nargs = 1

    @classmethod
    def eval(cls, arg):
        if arg.is_Number:
            return sp.log(1 + sp.exp(arg))
        return None

    def fdiff(self, argindex=1):
        return sigmoid(self.args[0])

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_rewrite_as_exp(self, arg, **kwargs):
        return sp.log(1 + sp.exp(arg))

    def _latex(self, printer, exp=None):
        power = f"^{{{exp}}}" if exp else ""
        return rf"\operatorname{{softplus}}{power}\left({printer._print(self.args[0])}\right)"


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
    "max": sp.Max,
    "min": sp.Min,
    # ReLU is max(u, 0); its derivative at 0 is taken as 0, as PyTorch does (see derive).
    "relu": lambda u: sp.Max(u, 0),
    "sigmoid": sigmoid,
    "tanh": sp.tanh,
    "softplus": softplus,
    "erf": sp.erf,
}
#: Arguments each function takes (1 unless listed).
ARITY = {"max": 2, "min": 2}
CONSTANTS = {"pi": sp.pi, "e": sp.E}

#: The tutorial's exercises and rules examples: (label, f, lo, hi, goal, the derivative the tutorial gives).
PRESETS = {
    "ad_spend": ("Ad spend C(x) = x² − 10x + 100", "x^2 - 10*x + 100", 0.0, 10.0, "min", "2*x - 10"),
    "production": ("Production profit P(x) = −2x² + 40x − 100", "-2*x^2 + 40*x - 100", 0.0, 30.0, "max", "-4*x + 40"),
    "study": ("Study score S(h) = −h² + 12h + 20", "-x^2 + 12*x + 20", 0.0, 12.0, "max", "-2*x + 12"),
    "polynomial": ("Power rule: 3x⁴ − 2x³ + 5x − 7", "3*x^4 - 2*x^3 + 5*x - 7", -2.0, 2.0, "min", "12*x^3 - 6*x^2 + 5"),
    "product": ("Product rule: x² · eˣ", "x^2 * exp(x)", -4.0, 1.0, "min", "exp(x) * x * (x + 2)"),
    "quotient": ("Quotient rule: x² / (x + 1)", "x^2 / (x + 1)", -0.5, 3.0, "min", "(x^2 + 2*x) / (x + 1)^2"),
    "chain": ("Chain rule: (3x + 1)⁵", "(3*x + 1)^5", -1.0, 1.0, "min", "15 * (3*x + 1)^4"),
    "price": ("Profit at price a: a·x − 2x² − 100", "a*x - 2*x^2 - 100", 0.0, 30.0, "max", "a - 4*x"),
}
#: The value of the parameter a that a preset sets (the tutorial's production example sells at 40).
PRESET_A = {"price": 40.0}


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
# a word made of x and y only ("xy", "xxy"), read as their product by parse_xy
_XY_WORD = re.compile(r"\b[xy]{2,}\b")
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
        if node.id in ("x", PARAMETER, "y"):  # y: only in parse_xy (parse refuses it before this)
            return None
        return math.pi if node.id == "pi" else math.e
    if isinstance(node, ast.UnaryOp):
        v = _constant_value(node.operand)
        return None if v is None else (-v if isinstance(node.op, ast.USub) else v)
    if isinstance(node, ast.BinOp):
        a, b = _constant_value(node.left), _constant_value(node.right)
        if a is None or b is None:
            return None
        if isinstance(node.op, ast.Pow):
            _check_exponent(b, node)
            if a == 0 and b < 0:
                raise ExpressionError(f"{_describe(node)!r} divides by zero (zero to a negative power)")
        try:
            if isinstance(node.op, ast.Pow):
                value = math.pow(a, b) if a >= 0 or float(b).is_integer() else math.nan
            elif isinstance(node.op, ast.Div):
                value = a / b if b != 0 else math.inf
            else:
                value = _BINOPS[type(node.op)](a, b)
        except OverflowError:
            value = math.inf
        except (ValueError, ZeroDivisionError):  # math domain errors: not a real number
            value = math.nan
        if isinstance(value, complex):
            value = math.nan
        if math.isinf(value) and math.isfinite(a) and math.isfinite(b) and not isinstance(node.op, ast.Div):
            raise ExpressionError(f"the number {_describe(node)!r} is too large")
        return value
    if isinstance(node, ast.Call):
        args = [_constant_value(a) for a in node.args]
        return None if any(a is None for a in args) else math.nan  # a constant like sin(1): value not needed
    return None


def _check_exponent(value: float, node: ast.AST) -> None:
    if not math.isfinite(value) or abs(value) > MAX_EXPONENT:
        raise ExpressionError(
            f"exponent too large in {_describe(node)!r}: constant exponents must be within ±{MAX_EXPONENT}"
        )


def _check(tree: ast.Expression, parameter: bool = False, with_y: bool = False) -> None:
    # size first, without recursion: a long flat sum is "too long", not "too deep"
    if sum(isinstance(n, ast.expr) for n in ast.walk(tree.body)) > MAX_NODES:
        raise ExpressionError(f"the expression is too long: at most {MAX_NODES} parts")

    def visit(node: ast.AST, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise ExpressionError(f"the expression is nested too deeply: at most {MAX_DEPTH} levels")
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                allowed = "numbers, x and y" if with_y else "numbers and x"
                raise ExpressionError(f"only {allowed} are allowed, not {_describe(node)!r}")
            if not math.isfinite(float(node.value)) or abs(node.value) > MAX_LITERAL:
                raise ExpressionError(f"the number {_describe(node)!r} is too large (at most 1e15)")
            return
        if isinstance(node, ast.Name):
            if (node.id == PARAMETER and parameter) or (node.id == "y" and with_y):
                return
            if node.id != "x" and node.id not in CONSTANTS:
                if node.id in FUNCTIONS:
                    raise ExpressionError(f"{node.id} is a function: write {node.id}(x)")
                names = "x, the parameter a, pi, e" if parameter else "x, pi, e"
                if with_y:
                    names = "x, y, pi, e"
                raise ExpressionError(f"unknown name '{node.id}': use {names} and {', '.join(FUNCTIONS)}")
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
            name = node.func.id
            if name not in FUNCTIONS:
                raise ExpressionError(f"unknown function '{name}': use {', '.join(FUNCTIONS)}")
            if any(isinstance(a, ast.Starred) for a in node.args):
                raise ExpressionError("* arguments are not allowed")
            arity = ARITY.get(name, 1)
            if node.keywords or len(node.args) != arity:
                count = "exactly one argument" if arity == 1 else f"exactly {arity} arguments"
                raise ExpressionError(f"{name}() takes {count}")
            for a in node.args:
                visit(a, depth + 1)
            return
        raise ExpressionError(f"{_describe(node)!r} is not allowed in a formula")

    visit(tree.body, 0)


def _build(node: ast.AST) -> sp.Expr:
    if isinstance(node, ast.Constant):
        value = node.value
        return sp.Integer(value) if isinstance(value, int) else sp.Float(repr(value))
    if isinstance(node, ast.Name):
        if node.id == "y":  # only in parse_xy
            return Y
        return X if node.id == "x" else A if node.id == PARAMETER else CONSTANTS[node.id]
    if isinstance(node, ast.UnaryOp):
        inner = _build(node.operand)
        return -inner if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp):
        return _BINOPS[type(node.op)](_build(node.left), _build(node.right))
    if isinstance(node, ast.Call):
        return FUNCTIONS[node.func.id](*(_build(a) for a in node.args))
    raise ExpressionError(f"{_describe(node)!r} is not allowed")  # unreachable after _check


def parse(text: str, parameter: bool = False) -> sp.Expr:
    """Turn user text into a sympy expression in x, or raise ExpressionError saying why.

    With ``parameter=True`` the name ``a`` is accepted too (the symbol :data:`A`); any other
    name is still refused.

    Examples
    --------
    >>> parse("x^2 - 10x + 100")
    x**2 - 10*x + 100
    >>> parse("x * (1 + erf(x / sqrt(2))) / 2")  # GELU
    x*(erf(sqrt(2)*x/2) + 1)/2
    >>> parse("x^2 - a*x", parameter=True)
    -a*x + x**2
    >>> parse("__import__('os').system('ls')")
    Traceback (most recent call last):
    ...
    optimizers.expression.ExpressionError: only calls like sin(x) are allowed, not "__import__('os').system('ls')"
    """
    return _parse(text, parameter, with_y=False)


def _parse(text: str, parameter: bool, with_y: bool) -> sp.Expr:
    """parse and parse_xy: the text checks, the tree check and the translation."""
    if not isinstance(text, str):
        raise ExpressionError("the formula must be text")
    text = text.strip()
    if not text:
        raise ExpressionError(
            "type a formula in x and y, for example x^4 + y^4 - 4xy + 1"
            if with_y
            else "type a formula in x, for example x^2 - 10*x + 100"
        )
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the formula is {len(text)} characters long; at most {MAX_LENGTH} are allowed")
    if not text.isascii() or not text.isprintable():
        raise ExpressionError(
            f"use plain characters: digits, {'x, y' if with_y else 'x'}, + - * / ^ ( ) and function names"
        )
    # "^" means power, as users expect. Swapped in the text, not read as Python's XOR node:
    # XOR binds looser than + and -, so x^2 - 1 would become x ** (2 - 1).
    text = text.replace("^", "**")
    for pattern, repl in _IMPLICIT:
        text = pattern.sub(repl, text)
    if with_y:  # "4xy^2" means 4*x*y**2: a word of x's and y's is their product
        text = _XY_WORD.sub(lambda m: "*".join(m.group(0)), text)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        where = f" near position {exc.offset}" if exc.offset else ""
        raise ExpressionError(f"that is not a formula{where}: check the brackets and operators") from None
    except (ValueError, RecursionError, MemoryError):
        raise ExpressionError("that is not a formula we can read") from None
    _check(tree, parameter, with_y)
    try:
        expr = _build(tree.body)
    except (ZeroDivisionError, OverflowError, RecursionError, ValueError, TypeError) as exc:
        raise ExpressionError(f"the formula cannot be evaluated: {type(exc).__name__}") from None
    if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise ExpressionError("the formula divides by zero or is undefined everywhere")
    if expr.has(sp.I):
        raise ExpressionError("the formula is not a real number (a square root or log of a negative constant)")
    return expr


@dataclass(frozen=True)
class Derivatives:
    """f, f' and f'' as sympy expressions (simplified for display), and the sub-expressions
    that decide where f is defined and smooth.

    ``watch`` holds pairs (condition, expression): ``"positive"`` (a logarithm's argument
    must be > 0), ``"nonnegative"`` (the base of a fractional power, or of a power with a
    variable exponent, must be >= 0), ``"nonzero"`` (a denominator: zero is a pole) and
    ``"kink"`` (abs, max or min switch branches where it is zero: f' jumps there).
    ``powers`` holds (base, exponent) of powers whose exponent depends on the parameter a
    only: whether the base may be negative (or zero) depends on a's value
    (:meth:`ParsedFunction.watch_callables`). ``fa`` and ``fxa`` are ∂f/∂a and ∂²f/∂x∂a
    (0 when f has no a).
    """

    f: sp.Expr
    d1: sp.Expr
    d2: sp.Expr
    d1_display: sp.Expr
    d2_display: sp.Expr
    watch: tuple[tuple[str, sp.Expr], ...] = ()
    powers: tuple[tuple[sp.Expr, sp.Expr], ...] = ()
    fa: sp.Expr = sp.S.Zero
    fxa: sp.Expr = sp.S.Zero


def _tidy(expr: sp.Expr) -> sp.Expr:
    """A shorter equal form when one is found quickly (factor after together). Not
    ``sp.simplify``: on a sum of a few sines it takes seconds and rarely finds anything."""
    if expr.has(sp.Float) or sp.count_ops(expr) > TIDY_MAX_OPS:
        return expr  # factor() over floats can take minutes
    try:
        candidates = [expr, sp.factor(sp.together(expr))]
    except Exception:  # noqa: BLE001 - display only; keep the raw form
        return expr
    return min(candidates, key=sp.count_ops)


def _watch(expr: sp.Expr) -> tuple[tuple[tuple[str, sp.Expr], ...], tuple[tuple[sp.Expr, sp.Expr], ...]]:
    """The sub-expressions of f whose sign decides where f is defined, finite and smooth, and
    the (base, exponent) pairs whose exponent depends on the parameter a alone.

    A sub-expression in a but not x (log(a)) is watched too: for a value of a where it fails,
    f is undefined on the whole interval, and the page says so.
    """
    found: list[tuple[str, sp.Expr]] = []
    powers: list[tuple[sp.Expr, sp.Expr]] = []
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Pow):
            base, power = node.args
            if not base.has(X, A):
                continue
            if power.is_Number:
                if power.is_negative:
                    found.append(("nonzero", base))
                if not float(power).is_integer():
                    found.append(("nonnegative", base))
            elif power.has(X):  # u**v = exp(v log u): u < 0 is outside the reals, u = 0 may be fine (x**x)
                found.append(("nonnegative", base))
            elif power.has(A):  # x**a: decided by a's value (an integer a allows x < 0)
                powers.append((base, power))
        elif isinstance(node, sp.log) and node.args[0].has(X, A):
            found.append(("positive", node.args[0]))
        elif isinstance(node, sp.tan) and node.args[0].has(X, A):
            found.append(("nonzero", sp.cos(node.args[0])))
        elif isinstance(node, sp.Abs | sp.sign) and node.args[0].has(X, A):
            found.append(("kink", node.args[0]))
        elif isinstance(node, sp.Max | sp.Min):
            args = node.args
            found += [("kink", a - b) for i, a in enumerate(args) for b in args[i + 1 :] if (a - b).has(X, A)]
    return tuple(dict.fromkeys(found)), tuple(dict.fromkeys(powers))


def _display(expr: sp.Expr) -> sp.Expr:
    """The form shown to the user: tidied, with Heaviside(u, 0) written as Heaviside(u)."""
    if expr.has(sp.Heaviside):
        expr = expr.replace(sp.Heaviside, lambda *args: sp.Heaviside(args[0]))
    return _tidy(expr)


def _relu_convention(expr: sp.Expr) -> sp.Expr:
    """Heaviside(u) -> Heaviside(u, 0): the derivative of max(u, 0) at u = 0 is taken as 0
    (PyTorch's ReLU'(0)), not sympy's default 1/2."""
    if not expr.has(sp.Heaviside):
        return expr
    return expr.replace(sp.Heaviside, lambda *args: sp.Heaviside(args[0], 0))


def _drop_sign_derivatives(expr: sp.Expr) -> sp.Expr:
    """Derivative(sign(u), x) -> 0 (it is a delta at the kink, reported separately)."""
    if not expr.has(sp.Derivative):
        return expr
    return expr.replace(lambda e: isinstance(e, sp.Derivative) and isinstance(e.expr, sp.sign), lambda e: sp.S.Zero)


def derive(expr: sp.Expr) -> Derivatives:
    """The symbolic work (runs in the worker pool under a time limit)."""
    d1 = _relu_convention(sp.diff(expr, X))
    d2 = sp.diff(d1, X)
    # |u|'' has a DiracDelta at u = 0: the kink is reported separately, not plotted as a spike
    if d2.has(sp.DiracDelta):
        d2 = d2.replace(sp.DiracDelta, lambda *args: sp.Integer(0))
    d2 = _relu_convention(d2)
    # sign(u)' is 2 DiracDelta(u) u': zero off the kink, like |u|'' above; sympy leaves it unevaluated
    d1, d2 = (_drop_sign_derivatives(d) for d in (d1, d2))
    if d1.has(sp.Derivative) or d2.has(sp.Derivative):
        raise ExpressionError(
            "sympy could not differentiate this formula: rewrite it (for example without abs of a power)"
        )
    watch, powers = _watch(expr)
    fa = fxa = sp.S.Zero
    if expr.has(A):  # the partials the sensitivity of the optimum to a needs
        fa = _relu_convention(sp.diff(expr, A))
        fxa = sp.diff(d1, A)
        if fxa.has(sp.DiracDelta):
            fxa = fxa.replace(sp.DiracDelta, lambda *args: sp.Integer(0))
        fxa = _relu_convention(fxa)
    return Derivatives(expr, d1, d2, _display(d1), _display(d2), watch, powers, fa, fxa)


def derivatives(expr: sp.Expr) -> Derivatives:
    """f' and f'' of a parsed expression (sympy's work, in this process, without a time limit).

    A server runs :func:`derive` in a worker under a time limit instead
    (``runtime.symbolic``): sympy has no safe point to stop at.

    Examples
    --------
    >>> d = derivatives(parse("(3x + 1)^5"))
    >>> d.d1_display
    15*(3*x + 1)**4
    """
    return derive(expr)


def _np_sigmoid(u):
    """σ(u) without overflow for real u (the tutorial's stable form); the plain formula for
    complex u (the complex step needs it only at moderate u)."""
    u = np.asarray(u)
    if np.iscomplexobj(u):
        return 1 / (1 + np.exp(-u))
    e = np.exp(-np.abs(u))
    return np.where(u >= 0, 1 / (1 + e), e / (1 + e))


def _np_softplus(u):
    """ln(1 + e^u) without overflow for real u."""
    u = np.asarray(u)
    if np.iscomplexobj(u):
        return np.log1p(np.exp(u))
    return np.logaddexp(0.0, u)


_NUMPY = [
    {
        "Abs": np.abs,
        "sign": np.sign,
        "sigmoid": _np_sigmoid,
        "softplus": _np_softplus,
        "erf": scipy.special.erf,
        "reduce": reduce,
    },
    "numpy",
]


def _vectorised(fn: Callable) -> Callable:
    """lambdify of a constant returns a scalar: broadcast it so grids keep their shape (and
    their dtype: a constant has derivative 0, also by the complex step)."""

    def call(x):
        if isinstance(x, float | int | complex):  # numpy semantics (1/0 = inf), not Python's
            x = np.complex128(x) if isinstance(x, complex) else np.float64(x)
        with np.errstate(all="ignore"):
            y = fn(x)
        if np.ndim(y) == 0:
            return np.broadcast_to(y, np.shape(x)).astype(np.result_type(y, x, float))
        return y

    return call


@lru_cache(maxsize=128)
def _lambdify(expr: sp.Expr) -> Callable:
    return _vectorised(sp.lambdify(X, expr, modules=_NUMPY))


@lru_cache(maxsize=256)
def _lambdify_xa(expr: sp.Expr) -> Callable:
    """fn(x, a) from the sympy object (never from text), vectorised in x."""
    fn = sp.lambdify((X, A), expr, modules=_NUMPY)

    def call(x, a):
        a = np.float64(a) if isinstance(a, float | int) else a
        return _vectorised(lambda t: fn(t, a))(x)

    return call


def _bind(fn: Callable, a: float) -> Callable:
    """fn(x, a) as a function of x alone, at this value of a."""
    return lambda x: fn(x, a)


def _check_a(a) -> float:
    try:
        value = float(a)
    except (TypeError, ValueError):
        raise ExpressionError(f"the parameter a must be a number, got {a!r}") from None
    if not math.isfinite(value):
        raise ExpressionError(f"the parameter a must be finite, got {value}")
    return value + 0.0


@dataclass(frozen=True)
class ParsedFunction:
    """A user's function ready for the engine: numpy callables for f, f', f''.

    When f has the parameter a (:attr:`has_param`), every callable is built for a value of
    a; without it, ``a`` is ignored.
    """

    text: str
    symbolic: Derivatives

    @property
    def has_param(self) -> bool:
        """Does f depend on the parameter a?"""
        return A in self.symbolic.f.free_symbols

    def latex(self) -> tuple[str, str, str]:
        """f, f' and f'' in LaTeX (the display forms of the derivatives)."""
        s = self.symbolic
        return sp.latex(s.f), sp.latex(s.d1_display), sp.latex(s.d2_display)

    def callables(self, a: float = 1.0):
        """(f, f', f'') as numpy functions of x at this value of a, from sympy objects (never
        from text); compiled once per formula, a substituted numerically.

        >>> f, df, d2f = prepare("x^2 - a*x", parameter=True).callables(a=3.0)
        >>> float(f(2.0)), float(df(1.5)), float(d2f(0.0))
        (-2.0, 0.0, 2.0)
        """
        s = self.symbolic
        if not self.has_param:
            return tuple(_lambdify(e) for e in (s.f, s.d1, s.d2))
        a = _check_a(a)
        return tuple(_bind(_lambdify_xa(e), a) for e in (s.f, s.d1, s.d2))

    def param_callables(self) -> tuple[Callable, ...]:
        """(f, f_x, f_xx, f_a, f_xa) as numpy functions of (x, a): the exact partials the
        sensitivity of the optimum to a needs (implicit function and envelope theorems).

        >>> f, fx, fxx, fa, fxa = prepare("x^2 - a*x", parameter=True).param_callables()
        >>> float(fa(2.5, 5.0)), float(fxa(2.5, 5.0))
        (-2.5, -1.0)
        """
        s = self.symbolic
        return tuple(_lambdify_xa(e) for e in (s.f, s.d1, s.d2, s.fa, s.fxa))

    def watch_callables(self, a: float = 1.0) -> tuple[tuple[str, Callable], ...]:
        """(condition, numpy function of x) for each entry of :attr:`Derivatives.watch`, at
        this value of a; a power x**g(a) adds the conditions its exponent's value implies
        (a negative exponent: the base must not be 0; a non-integer one: not negative)."""
        s = self.symbolic
        if not self.has_param:
            return tuple((kind, _lambdify(e)) for kind, e in s.watch)
        a = _check_a(a)
        out = [(kind, _bind(_lambdify_xa(e), a)) for kind, e in s.watch]
        for base, power in s.powers:
            p = float(np.real(_lambdify_xa(power)(np.float64(0.0), a)))
            fn = _bind(_lambdify_xa(base), a)
            if p < 0:
                out.append(("nonzero", fn))
            if not (math.isfinite(p) and p.is_integer()):
                out.append(("nonnegative", fn))
        return tuple(out)


def matches(f: sp.Expr, claimed: sp.Expr) -> bool:
    """d/dx f - claimed is zero: cheap rewrites first, sympy's own equality test last."""
    difference = _relu_convention(sp.diff(f, X)) - claimed
    for rewrite in (sp.expand, sp.cancel):
        if rewrite(difference) == 0:
            return True
    return bool(difference.rewrite(sp.exp).equals(0))


def derivative_matches(text: str, claimed: str) -> bool:
    """Is the derivative of ``text`` symbolically equal to ``claimed``? (Both are parsed safely.)

    In this process and without a time limit; a server runs :func:`matches` in a worker
    under one (``runtime.symbolic.derivative_matches``, which returns None when it could not
    check: "could not check" is not "not the same").

    >>> derivative_matches("x^2/(x+1)", "(x^2 + 2*x) / (x + 1)^2")
    True
    >>> derivative_matches("(3x+1)^5", "5*(3*x + 1)^4")  # the chain rule forgotten
    False
    """
    return matches(parse(text, parameter=True), parse(claimed, parameter=True))


def prepare(
    text: str,
    lo: float | None = None,
    hi: float | None = None,
    *,
    parameter: bool = False,
    derived: Derivatives | None = None,
):
    """Parse and differentiate a user's function. Raises ExpressionError.

    The result depends on ``text`` alone; ``lo`` and ``hi``, when given, are only checked
    (kept for callers that validate an interval at the same time). ``parameter=True``
    accepts the parameter a (see :func:`parse`). ``derived`` is :func:`derive` of the parsed
    text when it was computed elsewhere (a server does it in a worker under a time limit).

    >>> prepare("x^2 - 10x + 100").latex()[1]
    '2 x - 10'
    >>> prepare("x^2 - a*x", parameter=True).symbolic.fxa
    -1
    """
    if lo is not None and hi is not None and not (math.isfinite(lo) and math.isfinite(hi) and hi > lo):
        raise ExpressionError(f"the interval needs lo < hi, got lo={lo:g}, hi={hi:g}")
    return ParsedFunction(text, derived if derived is not None else derive(parse(text, parameter)))


# --- two variables: f(x, y) -----------------------------------------------------------------


def parse_xy(text: str) -> sp.Expr:
    """Turn user text into a sympy expression in x and y, or raise ExpressionError saying why.

    The same checks as :func:`parse` (length, characters, the node whitelist, size, depth and
    exponent limits), with the name ``y`` accepted as a second variable. A word made of x's
    and y's only is their product, so ``4xy`` is 4·x·y and ``xy^2`` is x·y². The parameter a
    is not accepted.

    Examples
    --------
    >>> parse_xy("x^4 + y^4 - 4xy + 1")
    x**4 - 4*x*y + y**4 + 1
    >>> parse_xy("xy^2")
    x*y**2
    >>> parse_xy("x + z")
    Traceback (most recent call last):
    ...
    optimizers.expression.ExpressionError: unknown name 'z': use x, y, pi, e and exp, log, ln, sqrt, sin, cos, tan, abs, max, min, relu, sigmoid, tanh, softplus, erf
    """
    return _parse(text, parameter=False, with_y=True)


@dataclass(frozen=True)
class SurfaceDerivatives:
    """f(x, y), its gradient and its Hessian as sympy expressions, and the sub-expressions
    that decide where f is defined and smooth (``watch``, as :attr:`Derivatives.watch`)."""

    f: sp.Expr
    fx: sp.Expr
    fy: sp.Expr
    fxx: sp.Expr
    fxy: sp.Expr
    fyy: sp.Expr
    watch: tuple[tuple[str, sp.Expr], ...] = ()

    @property
    def has_kinks(self) -> bool:
        """Does f use abs, max or min of x or y (its gradient jumps across a curve)?"""
        return any(kind == "kink" for kind, _ in self.watch)


def _no_delta(expr: sp.Expr) -> sp.Expr:
    if expr.has(sp.DiracDelta):
        expr = expr.replace(sp.DiracDelta, lambda *args: sp.Integer(0))
    return _relu_convention(expr)


def _watch_xy(expr: sp.Expr) -> tuple[tuple[str, sp.Expr], ...]:
    """The sub-expressions of f(x, y) whose sign decides where f is defined and smooth."""
    found: list[tuple[str, sp.Expr]] = []
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Pow):
            base, power = node.args
            if not base.has(X, Y):
                continue
            if power.is_Number:
                if power.is_negative:
                    found.append(("nonzero", base))
                if not float(power).is_integer():
                    found.append(("nonnegative", base))
            else:
                found.append(("nonnegative", base))
        elif isinstance(node, sp.log) and node.args[0].has(X, Y):
            found.append(("positive", node.args[0]))
        elif isinstance(node, sp.tan) and node.args[0].has(X, Y):
            found.append(("nonzero", sp.cos(node.args[0])))
        elif isinstance(node, sp.Abs | sp.sign) and node.args[0].has(X, Y):
            found.append(("kink", node.args[0]))
        elif isinstance(node, sp.Max | sp.Min):
            args = node.args
            found += [("kink", a - b) for i, a in enumerate(args) for b in args[i + 1 :] if (a - b).has(X, Y)]
    return tuple(dict.fromkeys(found))


def derive_xy(expr: sp.Expr) -> SurfaceDerivatives:
    """The symbolic work for f(x, y); a server runs it in the worker pool under a time limit."""
    fx = _relu_convention(sp.diff(expr, X))
    fy = _relu_convention(sp.diff(expr, Y))
    fxx = _no_delta(sp.diff(fx, X))
    fxy = _no_delta(sp.diff(fx, Y))
    fyy = _no_delta(sp.diff(fy, Y))
    return SurfaceDerivatives(expr, fx, fy, fxx, fxy, fyy, _watch_xy(expr))


def derivatives_xy(expr: sp.Expr) -> SurfaceDerivatives:
    """The gradient and Hessian of a parsed f(x, y) (in this process, without a time limit).

    Examples
    --------
    >>> d = derivatives_xy(parse_xy("x^4 + y^4 - 4xy + 1"))
    >>> d.fx, d.fxy
    (4*x**3 - 4*y, -4)
    """
    return derive_xy(expr)


def _vectorised_xy(fn: Callable) -> Callable:
    """fn(x, y) that always returns an array of the broadcast shape of x and y."""

    def call(x, y):
        if isinstance(x, float | int | complex):
            x = np.complex128(x) if isinstance(x, complex) else np.float64(x)
        if isinstance(y, float | int | complex):
            y = np.complex128(y) if isinstance(y, complex) else np.float64(y)
        with np.errstate(all="ignore"):
            z = fn(x, y)
        shape = np.broadcast_shapes(np.shape(x), np.shape(y))
        if np.shape(z) != shape:
            return np.broadcast_to(z, shape).astype(np.result_type(z, x, y, float))
        return z

    return call


@lru_cache(maxsize=256)
def _lambdify_xy(expr: sp.Expr) -> Callable:
    """fn(x, y) from the sympy object (never from text), vectorised in x and y."""
    return _vectorised_xy(sp.lambdify((X, Y), expr, modules=_NUMPY, cse=True))


@lru_cache(maxsize=128)
def _lambdify_xy_many(exprs: tuple[sp.Expr, ...]) -> Callable:
    """fn(x, y) -> tuple of arrays, one per expression, their common parts computed once."""
    fn = sp.lambdify((X, Y), list(exprs), modules=_NUMPY, cse=True)

    def call(x, y):
        if isinstance(x, float | int | complex):
            x = np.complex128(x) if isinstance(x, complex) else np.float64(x)
        if isinstance(y, float | int | complex):
            y = np.complex128(y) if isinstance(y, complex) else np.float64(y)
        with np.errstate(all="ignore"):
            parts = fn(x, y)
        shape = np.broadcast_shapes(np.shape(x), np.shape(y))
        return tuple(
            p if np.shape(p) == shape else np.broadcast_to(p, shape).astype(np.result_type(p, x, y, float))
            for p in parts
        )

    return call


@dataclass(frozen=True)
class ParsedSurface:
    """A user's f(x, y) ready for the engine (:mod:`optimizers.multivariate`)."""

    text: str
    symbolic: SurfaceDerivatives

    def callables(self) -> tuple[Callable, Callable, Callable]:
        """(f, grad, hess) as numpy functions of (x, y): ``grad(x, y)`` returns (f_x, f_y) and
        ``hess(x, y)`` returns (f_xx, f_xy, f_yy), each broadcast to the shape of x and y.
        Compiled once per formula from sympy objects (never from text).

        >>> f, grad, hess = prepare_xy("x^4 + y^4 - 4xy + 1").callables()
        >>> float(f(1.0, 1.0)), [float(v) for v in grad(1.0, 1.0)], [float(v) for v in hess(0.0, 0.0)]
        (-1.0, [0.0, 0.0], [0.0, -4.0, 0.0])
        """
        s = self.symbolic
        return _lambdify_xy(s.f), _lambdify_xy_many((s.fx, s.fy)), _lambdify_xy_many((s.fxx, s.fxy, s.fyy))

    def latex(self) -> tuple[str, str, str]:
        """f, f_x and f_y in LaTeX."""
        s = self.symbolic
        return sp.latex(s.f), sp.latex(s.fx), sp.latex(s.fy)


def prepare_xy(text: str, *, derived: SurfaceDerivatives | None = None) -> ParsedSurface:
    """Parse and differentiate a user's f(x, y) (gradient and Hessian). Raises ExpressionError.

    ``derived`` is :func:`derive_xy` of the parsed text when it was computed elsewhere (a server
    does it in a worker under a time limit: ``runtime.symbolic.prepare_xy``).

    >>> prepare_xy("x^2 - y^2").symbolic.fyy
    -2
    """
    return ParsedSurface(text, derived if derived is not None else derive_xy(parse_xy(text)))
# --- removable singularities: f undefined at a point, with a finite limit there ------------------


@dataclass(frozen=True)
class Limit:
    """f is undefined at ``x`` but has the finite limit ``value`` there (from the side(s) of x
    inside the interval): a removable singularity, sin(x)/x at 0. ``slope_left`` and
    ``slope_right`` are the one-sided limits of f' (±inf allowed; nan on a side outside the
    interval or where sympy found none); ``curvature`` is the limit of f'' (nan when unknown:
    :func:`curvature_limits` computes it separately, it is the slow one).
    """

    x: float
    value: float
    slope_left: float = math.nan
    slope_right: float = math.nan
    curvature: float = math.nan


#: Relative distance within which a numerically found point is matched to an exact one.
EXACT_RTOL = 1e-12


def _exact_point(x0: float) -> sp.Expr:
    """The exact number a numerically found point stands for (0, 1, 1/3, pi, pi/2, e...)."""
    guess = sp.nsimplify(x0, [sp.pi, sp.E], tolerance=EXACT_RTOL * max(1.0, abs(x0)))
    return guess if abs(float(guess) - x0) <= EXACT_RTOL * max(1.0, abs(x0)) else sp.Rational(x0)


def _exact_a(a: float) -> sp.Expr:
    guess = sp.nsimplify(a)
    return guess if float(guess) == a else sp.Rational(a)


def _number(value) -> float:
    """A sympy limit as a float: ±inf for oo, nan for anything that is not a real number."""
    if value in (sp.oo, -sp.oo):
        return math.inf if value == sp.oo else -math.inf
    if value.is_real and value.is_number and not value.has(sp.Limit):
        return float(value)
    return math.nan


def _limit(expr: sp.Expr, point: sp.Expr, side: str) -> float:
    if not expr.has(sp.Abs, sp.sign, sp.Max, sp.Min, sp.Heaviside):
        expr = sp.cancel(sp.together(expr))  # rational functions: limit() is much faster after this
    expr = expr.rewrite(sigmoid, sp.exp).rewrite(softplus, sp.exp)
    try:
        return _number(sp.limit(expr, X, point, side))
    except Exception:  # noqa: BLE001 - sympy's limit raises anything (NotImplementedError for Max): no limit known
        return math.nan


def _sides(lo: float, hi: float, x0: float) -> tuple[str, ...]:
    return tuple(side for side, inside in (("-", x0 > lo), ("+", x0 < hi)) if inside)


def limits(parsed: ParsedFunction, xs: tuple[float, ...], lo: float, hi: float, a: float = 1.0) -> tuple[Limit, ...]:
    """The removable singularities among ``xs`` (points of [lo, hi] where f is undefined, found
    numerically): f's limit there, from each side inside [lo, hi], when it is finite and the
    same from both sides, and the one-sided limits of f'. sympy's work: a server runs it in a
    worker under the symbolic time limit (``runtime.symbolic.run_with_timeout``).

    A point counts only when a watched sub-expression (a denominator, a logarithm's argument)
    is exactly zero at the exact number the float stands for, so a pole next to a round
    number is never mistaken for a removable point.

    >>> lim = limits(prepare("sin(x)/x"), (0.0,), -10, 10)[0]
    >>> lim.x, lim.value, lim.slope_left, lim.slope_right
    (0.0, 1.0, 0.0, 0.0)
    >>> limits(prepare("x*log(x)"), (0.0,), 0, 1)[0].value
    0.0
    >>> limits(prepare("1/x"), (0.0,), -1, 1)
    ()
    """
    s = parsed.symbolic
    subs = {A: _exact_a(float(a))} if parsed.has_param else {}
    f, d1 = s.f.subs(subs), s.d1.subs(subs)
    watched = [e.subs(subs) for kind, e in s.watch if kind != "kink"]
    found = []
    for x0 in xs:
        point = _exact_point(float(x0))
        if not any(sp.simplify(e.subs(X, point)) == 0 for e in watched):
            continue
        sides = _sides(lo, hi, float(point))
        values = [_limit(f, point, side) for side in sides]
        if not values or not all(math.isfinite(v) for v in values) or max(values) != min(values):
            continue
        slopes = {side: _limit(d1, point, side) for side in sides}
        found.append(Limit(float(point), values[0], slopes.get("-", math.nan), slopes.get("+", math.nan)))
    return tuple(found)


def curvature_limits(parsed: ParsedFunction, found: tuple[Limit, ...], lo: float, hi: float, a: float = 1.0):
    """``found`` with the limit of f'' filled in where f' tends to 0 from both sides (the
    second-derivative test needs it there); sympy's slowest part, so a server runs it in its
    own worker call and keeps ``found`` as is when it runs out of time.

    >>> lim = curvature_limits(prepare("sin(x)/x"), limits(prepare("sin(x)/x"), (0.0,), -10, 10), -10, 10)[0]
    >>> round(lim.curvature, 15)
    -0.333333333333333
    """
    s = parsed.symbolic
    subs = {A: _exact_a(float(a))} if parsed.has_param else {}
    d2 = s.d2.subs(subs)
    out = []
    for lim in found:
        slopes = [v for v in (lim.slope_left, lim.slope_right) if not math.isnan(v)]
        if slopes and all(v == 0 for v in slopes):
            point = _exact_point(lim.x)
            values = [_limit(d2, point, side) for side in _sides(lo, hi, lim.x)]
            if values and all(math.isfinite(v) for v in values) and max(values) == min(values):
                lim = Limit(lim.x, lim.value, lim.slope_left, lim.slope_right, values[0])
        out.append(lim)
    return tuple(out)
