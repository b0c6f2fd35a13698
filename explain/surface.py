"""Every word of the "Your own surface" page (``/surface``), written from an
:class:`optimizers.surface.SurfaceResult` (numbers and statuses), a path
(:class:`optimizers.multivariate.Path`) and the visitor's inputs.

Numbers go through :mod:`explain.format`; what a visitor typed (formulas, the parser's messages
quoting them) only through :func:`explain.format.plain` / :func:`explain.format.quote`.
Coordinates are shown to 4 significant digits and values to 6 (the CSV has them all), with
rounding noise shown as 0 (relative to the box's width, and to f's scale on the box).

Examples
--------
The default surface, Stewart's x⁴ + y⁴ − 4xy + 1 on [−2, 2]²:

>>> from optimizers import surface as sf
>>> r = sf.analyse()
>>> metrics(r)[:3]
[('Global minimum', '−1', 'The lowest value of f on the whole box, edges and corners included.'), ('Reached at', '(−1, −1) and (1, 1)', 'Every place where f reaches −1 (ties within rounding).'), ('Critical points', '3', 'Points strictly inside the box where ∇f = 0: 2 minima and 1 saddle.')]
>>> print(hessian_test(r.critical_points[0]))
At (−1, −1), H has eigenvalues 8 and 16, both positive: a minimum.
>>> print(hessian_test(r.critical_points[1]))
At (0, 0), H has eigenvalues −4 and 4, one negative and one positive: a saddle.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from explain.format import DASH, MINUS, general, minus, plain, sci, tidy
from explain.work import join
from optimizers import multivariate as mv
from optimizers import surface as sf

__all__ = [
    "BUSY",
    "CHART_CAPTION",
    "CSV_FILE",
    "CSV_LABEL",
    "LABELS",
    "NUMBER_KEYS",
    "PRESETS_CAPTION",
    "PRESET_HELP",
    "PRESET_LABELS",
    "STORY",
    "TIMEOUT",
    "TITLE",
    "answer",
    "bad_box",
    "badge",
    "cannot_use",
    "chart",
    "clamp",
    "coordinates",
    "hessian_test",
    "latex",
    "marks",
    "metrics",
    "notes",
    "path_text",
    "points_caption",
    "points_table",
    "skipped",
    "undefined",
    "value",
]

TITLE = "Your own surface"
STORY = (
    "Type any f(x, y) with `+ - * / ^`, numbers, `pi`, `e` and `exp log ln sqrt sin cos tan abs`, "
    "`max(u, v)`, `min(u, v)`, `relu sigmoid tanh softplus erf` (`4xy` is 4·x·y). The page differentiates "
    "it symbolically, finds every point of your box where **both partial derivatives are zero** (∇f = 0), "
    "tells minima, maxima and saddles apart by the eigenvalues of the Hessian H (the matrix of second "
    "derivatives), compares them with the box's edges and corners, and proves with interval arithmetic "
    "that nothing in the box beats the answer. Add a constraint g(x, y) = 0 (or an equation such as "
    "`150x + 250y = 50000`) to find the best point on that curve, where ∇f = λ∇g."
)
PRESETS_CAPTION = "Surfaces worth seeing, one click each:"
#: The presets' names and what each shows (their numbers are optimizers.surface.PRESETS).
PRESET_LABELS = {
    "stewart": "x⁴ + y⁴ − 4xy + 1",
    "himmelblau": "Himmelblau",
    "camel": "Six-hump camel",
    "saddle": "Saddle x² − y²",
    "monkey": "Monkey saddle",
    "rosenbrock": "Rosenbrock's banana",
    "cobb_douglas": "Output on a budget",
}
PRESET_HELP = {
    "stewart": "A saddle at the origin and two minima of −1, a tie (Stewart, Calculus, §14.7).",
    "himmelblau": "Four minima of 0, four saddles and one maximum.",
    "camel": "Six minima (two of them global), two maxima and seven saddles.",
    "saddle": "The classic saddle: a minimum along x, a maximum along y.",
    "monkey": "x³ − 3xy²: a degenerate critical point, where the Hessian is zero and the test is silent.",
    "rosenbrock": "A curved valley where gradient descent crawls and Newton's method strides.",
    "cobb_douglas": (
        "Output 100x^0.75 y^0.25 from x units of labour at \\$150 and y of capital at \\$250 on a \\$50,000 "
        "budget (Larson, Calculus): the best split and what one more dollar is worth."
    ),
}
#: The number inputs' URL keys: the box (as optimizers.surface.DEFAULT_BOX), then the path's start.
NUMBER_KEYS = ("x_lo", "x_hi", "y_lo", "y_hi", "x0", "y0")
#: Each input's label and help, by URL key.
LABELS = {
    "f": ("f(x, y) =", None),
    "goal": ("Find the", None),
    "x_lo": ("x from", None),
    "x_hi": ("x to", None),
    "y_lo": ("y from", None),
    "y_hi": ("y to", None),
    "g": (
        "Constraint (optional)",
        "g(x, y), meaning g(x, y) = 0, or an equation left = right such as 150x + 250y = 50000. Empty: none.",
    ),
    "method": (
        "Path",
        (
            "gradient: steepest descent (for a minimum) or ascent (for a maximum), in steps scaled to the box. "
            "newton: full Newton steps, which head for a critical point of any kind (saddles included), not always the nearest."
        ),
    ),
    "x0": ("Path from x =", "Where the path starts; a point outside the box starts at the nearest point of the box."),
    "y0": ("and y =", None),
}
CSV_FILE = "surface_critical_points.csv"
CSV_LABEL = "Download the critical points (CSV)"
CHART_CAPTION = (
    "Colour: the value of f (yellow high, purple low). Grey arrows: the direction of steepest ascent, "
    "across the level curves. Triangles: minima (pointing down) and maxima (up); crosses: saddles; squares: "
    "degenerate points. Red rings: the answer. Orange: the path from your start point. Violet: the "
    "constraint g = 0."
)
#: Why the certified search did not run, when the server could not run it now.
BUSY = "the server is busy with other visitors' computations; reload to try again"
TIMEOUT = "the search took too long on this busy server; reload to try again"
#: Places listed in the "Reached at" metric's help and in the answer, and critical points in the
#: table, before "and N more" (a curve of optima has hundreds of places).
LISTED_PLACES = 8
SHOWN_POINTS = 12
#: Significant digits of f's values with a constraint, and of the Lagrange multiplier: Larson's
#: published answer is 16,718.51 with λ = 0.33437.
CONSTRAINED_DIGITS = 7
MULTIPLIER_DIGITS = 5
#: Characters a metric's value shows without an ellipsis, measured in Chromium (a coordinate
#: character is at most about 14.7 px wide): 303 px with three metrics to a row at 1400 px (358 px
#: on a 390 px phone); 223 px with four to a row (a constraint adds the multiplier).
METRIC_CHARS = 20
METRIC_CHARS_FOUR = 14

_PLURAL = {"minimum": "minima", "maximum": "maxima", "saddle": "saddles", "degenerate": "degenerate points"}
_SINGULAR = {"degenerate": "degenerate point"}


# --- numbers ----------------------------------------------------------------------------------


def value(v: float, scale: float = 1.0, digits: int = 6) -> str:
    """A value of f: ``digits`` significant digits with thousands separators, rounding noise
    (relative to ``scale``) as 0.

    >>> value(16718.50762441055), value(-1.0), value(3e-17, 49.0), value(float("nan")), value(-2.5e7)
    ('16,718.5', '−1', '0', '—', '−2.5e+07')
    >>> value(16718.50762441055, digits=CONSTRAINED_DIGITS)
    '16,718.51'
    """
    if not (isinstance(v, int | float) and math.isfinite(v)):
        return DASH
    return minus(f"{tidy(v, scale) + 0.0:,.{digits}g}")


def _value(r: sf.SurfaceResult, v: float) -> str:
    """A value of f on this page: 7 significant digits with a constraint (a budget's answer is
    read to the cent: 16,718.51), else 6."""
    return value(v, r.f_scale, CONSTRAINED_DIGITS if r.constraint_text else 6)


def coordinates(x: float, y: float, box: mv.Box | None = None) -> str:
    """'(x, y)' to 4 significant digits; noise relative to the box's widths is 0.

    >>> coordinates(250.0, 50.00000000000001), coordinates(-2.80511809, 3.13131252)
    ('(250, 50)', '(−2.805, 3.131)')
    """
    wx, wy = box.widths if box is not None else (1.0, 1.0)
    return f"({general(x, 4, scale=wx)}, {general(y, 4, scale=wy)})"


def _count(n: int, kind: str) -> str:
    return f"{n} {_SINGULAR.get(kind, kind) if n == 1 else _PLURAL[kind]}"


def _where(place: mv.Place) -> str:
    return {mv.Location.CORNER: " (a corner)", mv.Location.EDGE: " (an edge)"}.get(place.location, "")


def _list(items: Sequence[str], shown: int) -> str:
    """'a', 'a and b', or 'a, b and 3 more'."""
    if len(items) <= shown:
        return join(list(items))
    return f"{', '.join(items[:shown])} and {len(items) - shown} more"


# --- messages ---------------------------------------------------------------------------------


def bad_box(x_lo: float, x_hi: float, y_lo: float, y_hi: float) -> str | None:
    """What is wrong with the box, or None.

    >>> bad_box(2, -2, 0, 1)
    "The box needs 'x from' < 'x to'; got x from 2 to −2."
    """
    for name, lo, hi in (("x", x_lo, x_hi), ("y", y_lo, y_hi)):
        if not hi > lo:
            return f"The box needs '{name} from' < '{name} to'; got {name} from {general(lo)} to {general(hi)}."
    return None


def cannot_use(error: str, constraint: bool = False) -> str:
    """The parser's reason (it may quote the visitor's text), escaped.

    >>> cannot_use("unknown name 'z'")
    "Cannot use this formula: unknown name \\\\'z\\\\'."
    """
    what = "constraint" if constraint else "formula"
    return f"Cannot use this {what}: {plain(error, max_chars=None)}."


def undefined(r: sf.SurfaceResult) -> str | None:
    """Why the box cannot be analysed (f undefined, or a pole in it), or None."""
    if r.status is sf.SurfaceStatus.OK:
        return None
    where = coordinates(*r.undefined_at, r.box)
    if r.status is sf.SurfaceStatus.POLE:
        return (
            f"f has a pole in this box: a denominator changes sign near {where}, where f runs off to infinity. "
            "Choose a box that avoids it."
        )
    return (
        f"f is not defined at {where} in this box (a logarithm or root of a negative number, or a division "
        "by zero). Choose a box where it is defined."
    )


# --- the answer -------------------------------------------------------------------------------


def _answer_point(r: sf.SurfaceResult) -> tuple[float, tuple[mv.Place, ...]] | None:
    """The answer's value and places: the constrained optimum when there is a constraint,
    else the box optimum (the certified search's point when it found a better one)."""
    if r.constraint_text:
        c = r.constraint
        if c is None or c.status is mv.ConstraintStatus.INFEASIBLE or not math.isfinite(c.value):
            return None
        return c.value, c.places
    cert = r.certificate
    if cert.improved:
        return cert.value, (mv.Place(cert.x, cert.y, r.box.location(cert.x, cert.y), r.box.edges_at(cert.x, cert.y)),)
    opt = r.optimum
    return (opt.value, opt.places) if opt is not None else None


def metrics(r: sf.SurfaceResult) -> list[tuple[str, str, str | None]]:
    """(label, value, help) of every metric: the optimum, where, the count of critical points
    inside the box, and with a constraint the Lagrange multiplier."""
    word = "minimum" if r.goal == "min" else "maximum"
    label = f"Global {word}"
    answer = _answer_point(r)
    if r.constraint_text:
        help_value = f"The {'lowest' if r.goal == 'min' else 'highest'} value of f on the curve g(x, y) = 0 in the box."
    else:
        help_value = (
            f"The {'lowest' if r.goal == 'min' else 'highest'} value of f on the whole box, edges and corners included."
        )
    if answer is None:
        shown = [(label, DASH, help_value), ("Reached at", DASH, "The constraint's curve does not cross the box.")]
    else:
        best, places = answer
        reached, reached_help = _reached(r, best, places)
        shown = [(label, _value(r, best), help_value), ("Reached at", reached, reached_help)]
    shown.append(_count_metric(r))
    if r.constraint_text:
        shown.append(_multiplier_metric(r))
    return shown


def _reached(r: sf.SurfaceResult, best: float, places: Sequence[mv.Place]) -> tuple[str, str]:
    """The "Reached at" metric's value and help. The value fits a metric (METRIC_CHARS): one place
    with its tag, '(2, −2) (a corner)', or without it when that is too long; several places as
    '(−1, −1) and (1, 1)' when that fits, else '4 places'. The help names every place with its tags
    whenever the value leaves something out.

    >>> from optimizers import surface as sf
    >>> f, box, goal, g, _ = sf.PRESETS["himmelblau"]
    >>> label, shown, help_text = metrics(sf.analyse(f, *box, goal, g, certificate=False))[1]
    >>> shown
    '4 places'
    >>> print(help_text)
    Every place where f reaches 0 (ties within rounding): (−3.779, −3.283), (−2.805, 3.131), (3, 2) and (3.584, −1.848).
    """
    room = METRIC_CHARS_FOUR if r.constraint_text else METRIC_CHARS
    bare = [coordinates(p.x, p.y, r.box) for p in places]
    tagged = [spot + _where(p) for spot, p in zip(bare, places, strict=True)]
    full = join(tagged)
    if len(full) <= room:
        shown = full
    elif len(places) == 1:
        shown = bare[0]  # a single place is named even when it does not fit: "1 place" says nothing
    else:
        compact = join(bare)
        shown = compact if len(compact) <= room else f"{len(places):,} places"
    help_text = f"Every place where f reaches {_value(r, best)} (ties within rounding)"
    if shown == full:
        return shown, help_text + "."
    return shown, f"{help_text}: {_list(tagged, LISTED_PLACES)}."


def _count_metric(r: sf.SurfaceResult) -> tuple[str, str, str]:
    inside = [p for p in r.critical_points if p.location is mv.Location.INTERIOR]
    if r.search is mv.Search.FLAT:
        return ("Critical points", "every point", "f is constant on the box: ∇f = 0 everywhere.")
    if r.search is mv.Search.CURVE:
        return (
            "Critical points",
            "a curve",
            "The critical points fill a curve (f is constant along it); the list samples it.",
        )
    kinds = [k.value for k in mv.Kind]
    parts = [_count(n, k) for k in kinds if (n := sum(p.kind.value == k for p in inside))]
    what = f": {join(parts)}" if parts else ""
    if r.search is mv.Search.INCOMPLETE:
        return (
            "Critical points",
            f"{len(inside)}+",
            f"At least this many strictly inside the box{what}: the search may have missed some.",
        )
    return ("Critical points", str(len(inside)), f"Points strictly inside the box where ∇f = 0{what}.")


def _multiplier_metric(r: sf.SurfaceResult) -> tuple[str, str, str]:
    c = r.constraint
    lam = c.multiplier if c is not None else math.nan
    if not math.isfinite(lam):
        return ("Lagrange multiplier", DASH, "None here: the best point on the curve is not a point of tangency.")
    return ("Lagrange multiplier", general(lam, MULTIPLIER_DIGITS), "λ in ∇f = λ∇g: " + _lambda_meaning(r, lam))


def _lambda_meaning(r: sf.SurfaceResult, lam: float) -> str:
    """What one more unit of the constraint's right-hand side is worth, with λ's sign read as
    a rise or a fall (typed the other way round, ``50000 = 150x + 250y``, λ changes sign and the
    right-hand side is the spending).

    >>> from optimizers import surface as sf
    >>> f, box, goal, g, _ = sf.PRESETS["cobb_douglas"]
    >>> r = sf.analyse(f, *box, goal, g, certificate=False)
    >>> print(_lambda_meaning(r, r.constraint.multiplier))
    one more unit of the constraint's right-hand side (50000) raises the best value by about 0.33437.
    """
    size = general(abs(lam), MULTIPLIER_DIGITS, scale=1.0)
    moves = "leaves the best value unchanged" if size == "0" else f"{'raises' if lam > 0 else 'lowers'} the best value"
    by = "" if size == "0" else f" by about {size}"
    text = r.constraint_text or ""
    if text.count("=") == 1:
        right = text.split("=")[1].strip()
        return f"one more unit of the constraint's right-hand side ({plain(right, 40)}) {moves}{by}."
    would = "stay the same" if size == "0" else f"{'rise' if lam > 0 else 'fall'} by about {size}"
    return f"if g(x, y) = 0 became g(x, y) = 1, the best value would {would}."


def _critical(r: sf.SurfaceResult, place: mv.Place) -> mv.CriticalPoint | None:
    wx, wy = r.box.widths
    for p in r.critical_points:
        if abs(p.x - place.x) <= 1e-7 * wx and abs(p.y - place.y) <= 1e-7 * wy:
            return p
    return None


def hessian_test(p: mv.CriticalPoint, box: mv.Box | None = None) -> str:
    """The second-derivative test at a critical point, in words, with H's eigenvalues.

    >>> from optimizers.multivariate import CriticalPoint, Kind
    >>> print(hessian_test(CriticalPoint(0.0, 0.0, 0.0, Kind.DEGENERATE, (0.0, 0.0, 0.0), (0.0, 0.0), 0.0)))
    At (0, 0), H has eigenvalues 0 and 0: the second-derivative test is silent (a degenerate point).
    """
    lo, hi = p.eigenvalues
    where = coordinates(p.x, p.y, box)
    eig = f"H has eigenvalues {general(lo, 4)} and {general(hi, 4)}"
    verdict = {
        mv.Kind.MINIMUM: "both positive: a minimum",
        mv.Kind.MAXIMUM: "both negative: a maximum",
        mv.Kind.SADDLE: "one negative and one positive: a saddle",
    }.get(p.kind)
    if verdict is None:
        zero = "both are zero" if lo == hi == 0 else "one of them is zero to within rounding"
        if lo == hi == 0:
            return f"At {where}, {eig}: the second-derivative test is silent (a degenerate point)."
        return f"At {where}, {eig}: {zero}, so the second-derivative test is silent (a degenerate point)."
    return f"At {where}, {eig}, {verdict}."


def answer(r: sf.SurfaceResult) -> str:
    """The answer in words: where the optimum is, why, and the Hessian test there."""
    if r.constraint_text:
        return _constrained_answer(r)
    word = "minimum" if r.goal == "min" else "maximum"
    best, places = _answer_point(r)
    spots = _list([coordinates(p.x, p.y, r.box) + _where(p) for p in places], LISTED_PLACES)
    head = f"**The global {word} of f on the box is {value(best, r.f_scale)}, at {spots}.**"
    if r.certificate.improved:
        return (
            f"{head} The grid scan missed it: the certified interval search found this point (a feature "
            "narrower than a grid cell), so it is not in the list of critical points."
        )
    opt = r.optimum
    parts = [head]
    if opt.found_by is mv.FoundBy.FLAT:
        parts.append("f is constant on the box, so every point is as good as any other.")
    elif opt.found_by is mv.FoundBy.SAMPLING:
        parts.append(
            "It was refined from the best grid sample, not found as a critical point: the search may have "
            "missed critical points."
        )
    point = _critical(r, places[0])
    if point is not None and places[0].location is mv.Location.INTERIOR:
        parts.append(
            ("Inside the box ∇f = 0 there. " if len(places) == 1 else "Inside the box ∇f = 0 at each. ")
            + hessian_test(point, r.box)
        )
    if any(p.location is not mv.Location.INTERIOR for p in places):
        parts.append(
            "On the boundary ∇f need not be zero: there the box stops you, and f would "
            + ("fall" if r.goal == "min" else "rise")
            + " further outside it."
        )
    return " ".join(parts)


def _constrained_answer(r: sf.SurfaceResult) -> str:
    word = "minimum" if r.goal == "min" else "maximum"
    c = r.constraint
    free = r.optimum
    context = ""
    if free is not None:
        context = (
            f" Without the constraint, the global {word} on the box is {_value(r, free.value)} at "
            f"{_list([coordinates(p.x, p.y, r.box) + _where(p) for p in free.places], LISTED_PLACES)}."
        )
    if c is None:
        return "The constraint could not be used in this box." + context
    if c.status is mv.ConstraintStatus.INFEASIBLE or not math.isfinite(c.value):
        return (
            "**The curve g(x, y) = 0 does not cross the box** (no grid line of the box meets it), so there is "
            "nothing to optimise on it: widen the box or check the constraint." + context
        )
    spots = _list([coordinates(p.x, p.y, r.box) + _where(p) for p in c.places], LISTED_PLACES)
    head = f"**On the curve g(x, y) = 0, the {word} of f is {_value(r, c.value)}, at {spots}.**"
    if c.status is mv.ConstraintStatus.TANGENCY:
        body = (
            f" There the curve touches a level curve of f: ∇f = λ∇g with λ = {general(c.multiplier, MULTIPLIER_DIGITS)} "
            f"(Lagrange's condition). λ is what the constraint costs: {_lambda_meaning(r, c.multiplier)}"
        )
    elif c.status is mv.ConstraintStatus.ENDPOINT:
        body = (
            " That is where the curve meets the box's edge: there the box, not a point of tangency, decides, "
            "so there is no Lagrange multiplier."
        )
    else:
        body = (
            " It was refined from a sampled point of the curve, not found as a point of tangency: points of "
            "tangency may be missing."
        )
    return head + body + context


def notes(r: sf.SurfaceResult) -> list[tuple[str, str]]:
    """(kind, text) notes: "warning" or "info", about how complete and how smooth the answer is."""
    out = []
    if r.search is mv.Search.INCOMPLETE:
        out.append(
            (
                "warning",
                (
                    "The list of critical points may be incomplete: the grid could not account for every turn of ∇f "
                    "(a feature narrower than a grid cell, or more critical points than the search follows). A "
                    "smaller box helps."
                ),
            )
        )
    elif r.search is mv.Search.CURVE:
        out.append(
            (
                "info",
                "The critical points fill a curve (a valley or ridge along which f is constant): the list samples it.",
            )
        )
    elif r.search is mv.Search.FLAT:
        out.append(("info", "f is constant on the box: every point is critical, and every point is optimal."))
    if r.has_kinks:
        out.append(
            (
                "info",
                (
                    "f has kinks (abs, max or min): where its gradient jumps, ∇f = 0 cannot find a point. The edges, "
                    "the corners and the certified search still compare them."
                ),
            )
        )
    if r.constraint_text and r.constraint_undefined_at is not None:
        out.append(
            (
                "warning",
                (
                    f"The constraint is not defined at {coordinates(*r.constraint_undefined_at, r.box)} in this box, "
                    "so it is left out. Choose a box where it is defined."
                ),
            )
        )
    return out


# --- the certificate --------------------------------------------------------------------------


def badge(r: sf.SurfaceResult, why_skipped: str = "") -> tuple[str, str, bool]:
    """(badge, detail, certified): what the certified interval search proved about the box's
    global optimum of f. ``why_skipped`` says why it did not run.

    With a constraint the search is about f *without* it, not about the answer shown: then the
    badge is empty (the page shows none) and the detail says how the constrained optimum is
    checked (its KKT residuals) and, separately, what the search proved about the free f.

    >>> from optimizers import surface as sf
    >>> f, box, goal, g, _ = sf.PRESETS["cobb_douglas"]
    >>> head, detail, ok = badge(sf.analyse(f, *box, goal, g))
    >>> head, ok
    ('', False)
    >>> print(detail)  # doctest: +ELLIPSIS
    The best point on the curve is checked by its KKT residuals, not by interval arithmetic: |∇f − λ∇g| = 8e−17 ...
    """
    if r.constraint_text:
        return "", _constrained_detail(r, why_skipped), False
    c = r.certificate
    below, sign = ("below", MINUS) if r.goal == "min" else ("above", "+")
    if c.status is sf.CertificateStatus.CERTIFIED:
        margin = f" {sign} {sci(c.tol, 1)}" if c.tol > 0 else ""
        head = f"Certified: nothing in the box is {below} {value(c.value)}{margin}"
        beats = f"by more than {sci(c.tol, 1)}" if c.tol > 0 else "at all"
        detail = (
            f"Interval arithmetic over {_cells(c.cells)} of the box bounds f everywhere: no point beats the "
            f"box's {'minimum' if r.goal == 'min' else 'maximum'} {beats}."
        )
        if c.improved:
            detail += " The search also found a better point than the grid scan had."
        return head, detail, True
    if c.status is sf.CertificateStatus.BUDGET:
        return (
            "Not certified: out of budget",
            (
                f"The interval search used its whole budget ({c.cells:,} cells) before it could settle every part of "
                f"the box:{_proved_only(r)}."
            ),
            False,
        )
    return "Not certified", f"Not certified: {_not_certified(r, why_skipped)}.", False


def _cells(n: int) -> str:
    return f"{n:,} cell{'s' if n != 1 else ''}"


def _proved_only(r: sf.SurfaceResult) -> str:
    c = r.certificate
    below = "below" if r.goal == "min" else "above"
    if not math.isfinite(c.tol):
        return " it proved no bound"
    return (
        f" it proved only that nothing is {below} {_value(r, c.value - c.tol if r.goal == 'min' else c.value + c.tol)}"
    )


def _not_certified(r: sf.SurfaceResult, why_skipped: str) -> str:
    return {
        sf.CertificateStatus.UNBOUNDED: "interval arithmetic finds f unbounded in part of the box (a pole, or f "
        "undefined there)",
        sf.CertificateStatus.NOT_COVERED: "the formula uses a function the interval arithmetic here does not cover",
        sf.CertificateStatus.TOO_LONG: "the formula is too long for the certified search within one update",
        sf.CertificateStatus.ROUNDING: "cells as narrow as two neighbouring floating-point numbers could not be "
        "decided",
        sf.CertificateStatus.SKIPPED: why_skipped or "the certified search did not run",
    }[r.certificate.status]


def _constrained_detail(r: sf.SurfaceResult, why_skipped: str) -> str:
    """With a constraint: how its optimum is checked (KKT residuals), then what interval
    arithmetic proved, which is about f without the constraint."""
    k = r.constraint
    parts = []
    if k is not None and k.status is not mv.ConstraintStatus.INFEASIBLE and math.isfinite(k.value):
        residuals = []
        if math.isfinite(k.stationarity):
            residuals.append(f"|∇f − λ∇g| = {_residual(k.stationarity)}")
        if math.isfinite(k.feasibility):
            residuals.append(f"|g| = {_residual(k.feasibility)}")
        if residuals:
            parts.append(
                "The best point on the curve is checked by its KKT residuals, not by interval arithmetic: "
                f"{join(residuals)} there (relative to the sizes of f and g on the box; 0 would be exact)."
            )
        else:
            parts.append("The best point on the curve is not certified by interval arithmetic.")
    c = r.certificate
    above = "below" if r.goal == "min" else "above"
    sign = MINUS if r.goal == "min" else "+"
    if c.status is sf.CertificateStatus.CERTIFIED:
        margin = f" {sign} {sci(c.tol, 1)}" if c.tol > 0 else ""
        free = (
            f"nothing in the box is {above} {_value(r, c.value)}{margin} (over {_cells(c.cells)}), which bounds "
            "every point of the curve too, not its best point"
        )
    elif c.status is sf.CertificateStatus.BUDGET:
        free = f"out of budget ({c.cells:,} cells),{_proved_only(r)}"
    else:
        free = f"not certified, as {_not_certified(r, why_skipped)}"
    parts.append(f"Interval arithmetic looked at f without the constraint only: {free}.")
    return " ".join(parts)


def _residual(v: float) -> str:
    """A relative residual: '0' when exactly zero, else one significant digit ('8e−17')."""
    return "0" if v == 0 else minus(f"{v:.0e}").replace("e-0", "e−").replace("e−0", "e−")


def skipped(cost_seconds: float, cap: float) -> str:
    """Why the certified search was left out of this update.

    >>> skipped(2.3, 2.0)
    'with it this update would need about 2.3 CPU-seconds, and one update may use at most 2 (a shorter formula or no constraint leaves room for it)'
    """
    return (
        f"with it this update would need about {cost_seconds:.1f} CPU-seconds, and one update may use at most "
        f"{cap:g} (a shorter formula or no constraint leaves room for it)"
    )


# --- the path ---------------------------------------------------------------------------------


def clamp(box: mv.Box, x0: float, y0: float) -> tuple[float, float]:
    """The start point: (x0, y0), or the nearest point of the box when it is outside.

    >>> clamp(mv.Box(-2, 2, -2, 2), 5.0, 1.0)
    (2.0, 1.0)
    """
    return min(max(x0, box.x_lo), box.x_hi), min(max(y0, box.y_lo), box.y_hi)


def path_text(
    p: mv.Path | None,
    box: mv.Box,
    asked: tuple[float, float],
    goal: str,
    method: str,
    f_scale: float = 1.0,
    *,
    constrained: bool = False,
    why: str = "",
) -> str:
    """The path in words: where it started, where it stopped and why.

    >>> from optimizers import surface as sf
    >>> box = mv.Box(*sf.DEFAULT_BOX)
    >>> p = sf.path(sf.prepare_xy(sf.DEFAULT_FORMULA), box, sf.DEFAULT_START)
    >>> print(path_text(p, box, sf.DEFAULT_START, "min", "gradient", 49.0))
    **Gradient descent** from (−1.5, 1.2) came to rest at (−1, −1) after 16 steps, where f = −1.
    """
    start = clamp(box, *asked)
    lead = {"newton": "**Newton's method**", "min": "**Gradient descent**", "max": "**Gradient ascent**"}
    name = lead["newton" if method == "newton" else goal]
    moved = (
        ""
        if start == tuple(asked)
        else (
            f"Your start point {coordinates(*asked)} is outside the box: the path starts at the nearest point of the "
            f"box, {coordinates(*start, box)}. "
        )
    )
    if p is None:
        return f"{moved}{name} from {coordinates(*start, box)} was not drawn: {why}."
    at = coordinates(p.x, p.y, box)
    steps = f"{p.steps:,} step{'s' if p.steps != 1 else ''}"
    f_at = f"f = {value(p.value, f_scale)}"
    status = p.status
    if status is mv.PathStatus.CONVERGED:
        tail = (
            f"starts where ∇f = 0: it does not move ({f_at})."
            if p.steps == 0
            else f"came to rest at {at} after {steps}, where {f_at}."
        )
    elif status is mv.PathStatus.LEFT_BOX:
        tail = f"reached the box's boundary at {at} after {steps} ({f_at}): " + (
            "the next Newton step would leave the box." if method == "newton" else "the way on points out of the box."
        )
    elif status is mv.PathStatus.MAX_STEPS:
        tail = f"was still moving after {steps}, the most it may take, at {at} ({f_at})."
    elif status is mv.PathStatus.STALLED:
        tail = f"stopped at {at} after {steps} ({f_at}): no step along the gradient improves f any more."
    elif status is mv.PathStatus.SINGULAR:
        tail = f"stopped at {at} after {steps}: the Hessian is singular there, so there is no Newton step."
    else:
        tail = f"stopped at {at} after {steps}: f or its gradient is not defined there."
    extra = []
    if method == "newton":
        extra.append(
            "Newton's method heads for a critical point of any kind, saddles included, and not always the nearest one."
        )
    if constrained:
        extra.append("The path follows f alone, not the constraint.")
    return " ".join([f"{moved}{name} from {coordinates(*start, box)} {tail}", *extra])


# --- the chart and the tables -----------------------------------------------------------------


def chart(r: sf.SurfaceResult) -> dict:
    """The chart's titles (keyword arguments of ``ui.charts2d.surface_map``)."""
    return {
        "x_title": "x",
        "y_title": "y",
        "value_title": "f(x, y)",
        "title": "f(x, y) on the box",
        "subtitle": "with ∇f, the critical points and a path",
    }


def marks(r: sf.SurfaceResult, start: tuple[float, float]) -> list[tuple[float, float, str, str]]:
    """(x, y, role, tooltip) of the answer's places ("optimum") and of the path's start."""
    answer = _answer_point(r)
    out = [(*start, "start", "the path's start")]
    if answer is None:
        return out
    best, places = answer
    word = "minimum" if r.goal == "min" else "maximum"
    return [(p.x, p.y, "optimum", f"the {word}: {_value(r, best)}") for p in places] + out


def points_table(r: sf.SurfaceResult) -> pd.DataFrame:
    """The critical points as a small table of text (at most SHOWN_POINTS rows; the CSV has all)."""
    rows = [
        {
            "point": coordinates(p.x, p.y, r.box),
            "f": value(p.value, r.f_scale),
            "kind": p.kind.value,
            "H's eigenvalues": f"{general(p.eigenvalues[0], 4)}, {general(p.eigenvalues[1], 4)}",
        }
        for p in r.critical_points[:SHOWN_POINTS]
    ]
    return pd.DataFrame(rows, columns=["point", "f", "kind", "H's eigenvalues"])


def points_caption(r: sf.SurfaceResult) -> str:
    """What the table shows."""
    n = len(r.critical_points)
    if not n and r.search is mv.Search.COMPLETE:
        return "No critical points in the box: ∇f is never zero there, so f's optimum on the box is on its boundary."
    if not n:
        return "No critical points found in the box (the search may be incomplete)."
    more = f" (the first {SHOWN_POINTS}; all {n:,} are in the CSV)" if n > SHOWN_POINTS else ""
    return f"**Critical points**{more}: where ∇f = 0, with the eigenvalues of the Hessian there."


def latex(r: sf.SurfaceResult) -> str:
    """f and its two partial derivatives, one aligned LaTeX block."""
    f, fx, fy = r.latex
    return (
        rf"\begin{{aligned}} f(x, y) &= {f} \\ \frac{{\partial f}}{{\partial x}} &= {fx} \\ "
        rf"\frac{{\partial f}}{{\partial y}} &= {fy} \end{{aligned}}"
    )
