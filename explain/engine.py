"""The calculus engine's results in words: why a point is the optimum, what a critical point
is, what the certified search proved. Any page that shows an :class:`optimizers.calculus.Optimum`
(or a :class:`optimizers.certify.Certificate`) may use these sentences.

Numbers go through :mod:`explain.format` (6 significant digits, the one minus sign); a value
within a few ulps of zero at its quantity's scale (brentq's -2e-16 for a root at 0) is 0.

Examples
--------
>>> import numpy as np
>>> from optimizers.calculus import optimize
>>> optimum_sentence(optimize(lambda x: x**2 - 10 * x + 100, 0, 10, "min"))
'Interior minimum at x = 5: f′ = 0 there and f″ = 2 > 0.'
>>> optimum_sentence(optimize(lambda x: np.exp(-x), 0, 5, "max"))
'The maximum is on the boundary, at the lower end x = 0 (f′ = −1 there): f′ never changes sign, so f falls across the whole interval.'
>>> optimum_sentence(optimize(lambda x: x**3 - 3 * x, -2, 3, "min"))
'The minimum −2 is reached at x = −2 and x = 1 (the values agree to rounding): at the lower end x = −2; at x = 1, where f′ = 0 and f″ = 6 > 0.'
"""

from __future__ import annotations

import math
from collections.abc import Collection

import numpy as np

from explain.format import MINUS, general
from explain.work import join
from optimizers.calculus import Boundary, CriticalPoint, DerivativeTest, Feature, FoundBy, Kind, Optimum
from optimizers.certify import Certificate, NotCertifiable, Refusal, Stop

__all__ = [
    "DIGITS",
    "certificate_claim",
    "certificate_detail",
    "incomplete_sentence",
    "kind_word",
    "not_certifiable",
    "number",
    "optimum_sentence",
    "place",
    "places",
    "point_label",
    "round_up",
    "stop_reason",
]

#: Significant digits of every number in the engine's sentences.
DIGITS = 6
#: Places of a tie explained one by one; more are only listed.
MANY_PLACES = 3
#: A value within this many ulps of zero at its quantity's scale is shown as 0.
NOISE_ULPS = 8
_EPS = float(np.finfo(float).eps)


def number(value: float, scale: float = 0.0, digits: int = DIGITS) -> str:
    """``value`` in ``digits`` significant digits; rounding noise at ``scale`` is 0; ±∞ as ±∞.

    >>> number(-2.01e-16, 3.0), number(0.367879441), number(-float("inf")), number(1.5e-7)
    ('0', '0.367879', '−∞', '1.5e−07')
    """
    if math.isinf(value):
        return ("+" if value > 0 else MINUS) + "∞"
    if math.isfinite(value) and abs(value) <= NOISE_ULPS * _EPS * abs(scale):
        value = 0.0
    return general(value, digits)


def kind_word(kind: Kind | str, plural: bool = False) -> str:
    """'maximum', 'minimum' or 'inflection point' (plural: 'maxima', ...).

    >>> kind_word(Kind.MAX), kind_word("min", plural=True)
    ('maximum', 'minima')
    """
    words = {"max": ("maximum", "maxima"), "min": ("minimum", "minima"), "inflection": ("inflection point",) * 2}
    return words[str(kind)][plural]


def point_label(p: CriticalPoint) -> str:
    """``kind``, with the feature when there is one: ``"min (kink)"``.

    >>> point_label(CriticalPoint(0.0, 0.0, Kind.MIN, feature=Feature.KINK)), point_label(CriticalPoint(1.0, 2.0, Kind.MAX))
    ('min (kink)', 'max')
    """
    return f"{p.kind} ({p.feature})" if p.feature else str(p.kind)


def _why_limit(p: CriticalPoint) -> str:
    """Why a removable singularity (f undefined, its limits used) is a critical point of its kind."""
    x = number(p.x)
    if p.left_slope != p.right_slope and not (math.isnan(p.left_slope) or math.isnan(p.right_slope)):
        slope = f"f′ tends to {number(p.left_slope)} from the left and {number(p.right_slope)} from the right"
    else:
        slope = f"f′ tends to {number(next((s for s in (p.left_slope, p.right_slope) if not math.isnan(s)), math.nan))}"
    if p.test == DerivativeTest.SECOND_DERIVATIVE:
        curv = p.second_derivative
        return f"{slope} and f″ to {number(curv)} {'<' if curv < 0 else '>'} 0 as x → {x}"
    if p.kind == Kind.INFLECTION:
        return f"{slope} as x → {x}, and f is above its limit on one side and below it on the other"
    side = "below" if p.kind == Kind.MAX else "above"
    return f"{slope} as x → {x}, and f is {side} its limit on both sides (the first-derivative test)"


def _why_point(p: CriticalPoint, limits: Collection[float] = ()) -> str:
    """Why a critical point is of its kind: the test that decided, in words."""
    if p.x in limits:
        return _why_limit(p)
    if p.feature == Feature.KINK:
        return (
            f"a kink: f′ jumps from {number(p.left_slope)} to {number(p.right_slope)} there, so f has no derivative "
            "at that point and the sign change of f′ decides (the first-derivative test)"
        )
    if p.feature == Feature.CUSP:
        ends = "−∞ on the left and +∞ on the right" if p.left_slope < 0 else "+∞ on the left and −∞ on the right"
        return f"a cusp: f′ runs to {ends}, so the sign change of f′ decides (the first-derivative test)"
    if p.feature == Feature.VERTICAL_TANGENT:
        return "a vertical tangent: f′ is infinite there and keeps its sign"
    if p.test == DerivativeTest.SECOND_DERIVATIVE:
        curv = p.second_derivative
        return f"f′ = 0 there and f″ = {number(curv)} {'<' if curv < 0 else '>'} 0"
    return "f′ = 0 there, f″ = 0 there, and f′ changes sign (the first-derivative test)"


def _end(opt: Optimum, x: float) -> str:
    return "lower" if x == opt.lo else "upper"


def _slope_there(opt: Optimum) -> str:
    if math.isinf(opt.derivative):
        return "f′ is infinite there: a vertical tangent"
    if math.isnan(opt.derivative):
        return "f′ does not exist there"
    return f"f′ = {number(opt.derivative)} there"


def _point_at(opt: Optimum, x: float) -> CriticalPoint | None:
    return next((p for p in opt.critical_points if p.x == x), None)


def place(opt: Optimum, x: float) -> str:
    """``x = 5`` for one place where the optimum is reached (x tidied at the interval's scale).

    >>> from optimizers.calculus import optimize
    >>> place(optimize(lambda x: x**2 / (x + 1), -0.5, 3, "min"), -2.01e-16)
    'x = 0'
    """
    return f"x = {number(x, max(abs(opt.lo), abs(opt.hi)))}"


def places(opt: Optimum, xs: tuple[float, ...] | None = None) -> str:
    """Every place where the optimum is reached: 'x = −2 and x = 1'.

    >>> from optimizers.calculus import optimize
    >>> places(optimize(lambda x: x**3 - 3 * x, -2, 3, "min"))
    'x = −2 and x = 1'
    """
    return join([place(opt, x) for x in (opt.xs if xs is None else xs) or (opt.x,)])


def _tie_clause(opt: Optimum, x: float, limits: Collection[float] = ()) -> str:
    """One place of a tie: 'at the lower end x = −2' or 'at x = 1, where f′ = 0 and f″ = 6 > 0'."""
    if x in (opt.lo, opt.hi):
        return f"at the {_end(opt, x)} end {place(opt, x)}"
    p = _point_at(opt, x)
    if p is None:  # the polished sample of a search by sampling
        return f"at {place(opt, x)}, found by sampling"
    why = _why_point(p, limits)
    if why.startswith("f′ = 0 there"):
        return f"at {place(opt, x)}, where {why.replace(' there', '', 2)}"
    return f"at {place(opt, x)}, {why}"


def optimum_sentence(opt: Optimum, limits: Collection[float] = ()) -> str:
    """Why ``opt`` is the optimum, in one or two sentences (and, when the grid could not resolve
    f′, that the list of critical points may be incomplete: :func:`incomplete_sentence`).
    ``limits`` are the places where f is undefined and its limits stand in for f, f′ and f″.

    >>> from optimizers.calculus import optimize
    >>> optimum_sentence(optimize(lambda x: np.sin(x) + 0.1 * x, 0, 20, "max"))
    'The maximum is on the boundary, at the upper end x = 20 (f′ = 0.508082 there): it beats the interior maxima at x = 1.67096, x = 7.95415 and x = 14.2373.'
    >>> optimum_sentence(optimize(lambda x: 5.0, 0, 3))
    'f is flat on [0, 3] (f′ = 0 throughout): every point gives f = 5, so there is no single maximum.'
    """
    word = kind_word(opt.kind)
    if opt.flat:
        return (
            f"f is flat on [{number(opt.lo)}, {number(opt.hi)}] (f′ = 0 throughout): every point gives "
            f"f = {number(opt.fun)}, so there is no single {word}."
        )
    if len(opt.xs) > 1:
        if len(opt.xs) <= MANY_PLACES:
            clauses = "; ".join(_tie_clause(opt, x, limits) for x in opt.xs)
        else:
            clauses = f"each is an end of the interval or an interior {word}"
        text = f"The {word} {number(opt.fun)} is reached at {places(opt)} (the values agree to rounding): {clauses}."
    elif opt.found_by == FoundBy.SAMPLING and _point_at(opt, opt.x) is None:
        text = (
            f"Interior {word} at {place(opt, opt.x)}, found by sampling: the grid sample at x = "
            f"{number(opt.sample_x)} beat every critical point the scan of f′ found, and the best point of "
            f"its neighbouring cells is here (f′ = {number(opt.derivative)} there)."
        )
    elif not opt.at_boundary:
        text = f"Interior {word} at {place(opt, opt.x)}: {_why_point(_point_at(opt, opt.x), limits)}."
    else:
        inside = [p.x for p in opt.critical_points if p.kind == opt.kind]
        if opt.boundary == Boundary.BEATS_INTERIOR:
            why = f"it beats the interior {kind_word(opt.kind, len(inside) > 1)} at {join([place(opt, x) for x in inside])}"
        elif opt.boundary in (Boundary.RISES, Boundary.FALLS):
            direction = "rises" if opt.boundary == Boundary.RISES else "falls"
            why = f"f′ never changes sign, so f {direction} across the whole interval"
        else:
            why = f"no interior point is a {word}"
        text = f"The {word} is on the boundary, at the {_end(opt, opt.x)} end {place(opt, opt.x)} ({_slope_there(opt)}): {why}."
    if opt.found_by == FoundBy.SAMPLING and _point_at(opt, opt.x) is not None:
        text += (
            f" Found by sampling: the grid sample at x = {number(opt.sample_x)} beat every critical point the "
            "scan of f′ had found, so its neighbouring cells were searched."
        )
    if not opt.complete:
        text += " " + incomplete_sentence(opt)
    return text


def incomplete_sentence(opt: Optimum) -> str:
    """The grid could not resolve f′: the list of critical points may be incomplete.

    >>> from optimizers.calculus import optimize
    >>> incomplete_sentence(optimize(lambda x: np.sin(1000 * x), 0, 10, "max"))[:78]
    'The grid of 801 points (spacing 0.0125) cannot resolve f′ everywhere on this i'
    """
    lo, hi = opt.suggestion if opt.suggestion is not None else (opt.lo, opt.hi)
    return (
        f"The grid of {opt.grid_points} points (spacing {number(opt.spacing)}) cannot resolve f′ everywhere on "
        "this interval, so the list of critical points may be incomplete: try a narrower interval such as "
        f"[{number(lo)}, {number(hi)}]."
    )


# --- the certified search ------------------------------------------------------------------


def round_up(value: float) -> str:
    """A tolerance in 2 significant digits, rounded up (a bound must not shrink when shown).

    >>> round_up(7.41e-8), round_up(7.4e-8), round_up(0.0)
    ('7.5e−08', '7.4e−08', '0')
    """
    if value <= 0 or not math.isfinite(value):
        return general(value, 2)
    step = 10.0 ** (math.floor(math.log10(value)) - 1)
    return general(math.ceil(value / step * (1 - 1e-12)) * step, 2)


def certificate_claim(goal: Kind | str, lo: float, hi: float, value: float, tol: float) -> str:
    """'nothing in [0, 10] is below 75 − 7.5e−08' (the gap left out when it is 0).

    The value is written with as many digits as the gap needs (6 at least), and what
    rounding it moved is added to the gap, so the claim stays true as written.

    >>> certificate_claim("min", 0, 10, 75.0, 7.41e-8), certificate_claim("max", 0, 20, 2.9, 0.0)
    ('nothing in [0, 10] is below 75 − 7.5e−08', 'nothing in [0, 20] is above 2.9')
    >>> certificate_claim("min", -10, 10, -1.427480512345678, 1e-9)
    'nothing in [−10, 10] is below −1.4274805123 − 1.1e−09'
    """
    below = str(goal) == "min"
    side, op = ("below", "−") if below else ("above", "+")
    for digits in range(DIGITS, 18):
        shown = number(value, digits=digits)
        moved = _read(shown) - value
        if moved == 0 or abs(moved) <= 0.1 * tol:
            break
    gap = max(tol + (moved if below else -moved), 0.0)
    where = f"nothing in [{number(lo)}, {number(hi)}] is {side} {shown}"
    return where if gap <= 0 else f"{where} {op} {round_up(gap)}"


def _read(text: str) -> float:
    """A number as written here, back as a float."""
    return float(text.replace(MINUS, "-"))


def stop_reason(cert: Certificate) -> str:
    """Why the search stopped before it was certified.

    >>> stop_reason(Certificate(False, "min", 0.0, 0.0, 1.0, 1e-9, 20, 0.1, stop=Stop.CELLS, max_cells=20))
    'the search needs more than 20 cells: try a narrower interval'
    """
    if cert.stop == Stop.ROUNDING:
        return f"f could not be bounded tightly enough near x = {number(cert.stuck_x)} (rounding)"
    if cert.stop == Stop.CELLS:
        return f"the search needs more than {cert.max_cells:,} cells: try a narrower interval"
    if cert.stop == Stop.TIME:
        return f"the search ran out of time after {cert.cells:,} cells: try a narrower interval"
    if cert.stop == Stop.UNBOUNDED:
        return "interval arithmetic could not bound f at an end of the interval"
    return ""


def certificate_detail(cert: Certificate) -> str:
    """'Interval arithmetic (mpmath iv): 59 cells, 0.01 s of CPU.'

    >>> certificate_detail(Certificate(True, "min", 5.0, 75.0, 7e-8, 1e-7, 1, 0.004))
    'Interval arithmetic (mpmath iv): 1 cell, 0.00 s of CPU.'
    """
    cells = f"{cert.cells:,} cell{'s' if cert.cells != 1 else ''}"
    return f"Interval arithmetic (mpmath iv): {cells}, {cert.seconds:.2f} s of CPU."


def not_certifiable(exc: NotCertifiable) -> str:
    """Why a formula cannot be certified here.

    >>> not_certifiable(NotCertifiable(Refusal.TOO_LONG, per_cell=0.09))
    'f and f′ are too long for interval arithmetic within the budget (about 90 ms per cell)'
    """
    if exc.refusal == Refusal.TOO_LONG:
        return (
            "f and f′ are too long for interval arithmetic within the budget "
            f"(about {exc.per_cell * 1e3:.0f} ms per cell)"
        )
    if exc.refusal == Refusal.SINGULAR:
        return (
            f"f is undefined at x = {number(exc.x)} inside the interval (its limit is used there), and interval "
            "arithmetic cannot bound f on the cells around that point"
        )
    return f"interval arithmetic here does not cover {exc.what}"
