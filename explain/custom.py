"""Every word of the "Your own function" page, written from :class:`optimizers.custom.CustomReport`
and :class:`optimizers.custom.Verdict` (numbers and statuses): the story, the answer and why, what
the certified search proved, why a formula gets no optimum, the table's notes and the chart's titles.

Examples
--------
>>> from optimizers.certify import Certificate
>>> from optimizers.custom import analyse_function, verdict
>>> r = analyse_function("x^2 - 10x + 100", 0, 10, "min")
>>> v = verdict(r, Certificate(True, "min", 5.0, 75.0, 7.41e-8, 1e-7, 59, 0.01))
>>> metrics(r, v)
[('Global minimum', '75', None), ('Reached at', 'x = 5', None), ('Critical points', '1', None)]
>>> badge(r, v)
('Certified: nothing in [0, 10] is below 75 − 7.5e−08', True)
>>> answer(r, v)
'Interior minimum at x = 5: f′ = 0 there and f″ = 2 > 0.'
"""

from __future__ import annotations

import math

import pandas as pd

from explain import engine
from explain.common import phone_table, share_cell
from explain.engine import kind_word, number, point_label
from explain.format import DASH, plain
from explain.work import join
from optimizers.custom import OVERFLOW_LIMIT, CustomReport, NoSensitivity, Problem, Verdict

__all__ = [
    "BUSY",
    "PRESETS_CAPTION",
    "STORY",
    "TABLE_TITLE",
    "TIMEOUT",
    "TITLE",
    "answer",
    "bad_interval",
    "badge",
    "cannot_use",
    "chart",
    "chart_caption",
    "detail",
    "kinks",
    "latex",
    "limits",
    "metrics",
    "no_sensitivity",
    "optimum_label",
    "overflow_note",
    "parameter_caption",
    "points_markdown",
    "points_title",
    "preset_caption",
    "problem",
    "table",
]

TITLE = "Your own function"
STORY = (
    "Type any f(x) with `+ - * / ^`, numbers, `pi`, `e` and `exp log ln sqrt sin cos tan abs`, "
    "`max(u, v)`, `min(u, v)`, `relu sigmoid tanh softplus erf`, and one parameter `a` (its value gets "
    "its own input). The page differentiates it symbolically, finds every point where f′(x) = 0 (or where "
    "f has a kink or cusp) on your interval, says which are maxima and minima, compares them with the two "
    "ends, and then proves with interval arithmetic that nothing in the interval beats the answer."
)
PRESETS_CAPTION = "Examples from the derivatives tutorial (the last with a parameter a), one click each:"
#: Why the certified search did not run, when the server could not run it now.
BUSY = "the server is busy with other visitors' computations; reload to try again"
TIMEOUT = "the search took too long on this busy server; reload to try again"
TABLE_TITLE = "Table of x, f, f′, f″"
#: Places named in the chart's label before "and N more".
SHOWN_PLACES = 3
#: Characters a metric's value shows at 1400 px (three to a row) and on a 390 px phone.
METRIC_CHARS = 16


def bad_interval(lo: float, hi: float) -> str:
    """The interval's ends in the wrong order.

    >>> bad_interval(5, 1)
    "The interval needs 'from' < 'to'; got from 5 to 1."
    """
    return f"The interval needs 'from' < 'to'; got from {number(lo)} to {number(hi)}."


def cannot_use(error: str) -> str:
    """The parser's reason, quoted safely (it may quote the visitor's text).

    >>> cannot_use("unknown name 'y'")
    "Cannot use this formula: unknown name \\\\'y\\\\'."
    """
    return f"Cannot use this formula: {plain(error, max_chars=None)}."


def parameter_caption() -> str:
    return "Your formula has the parameter a: change it and watch the optimum move."


def preset_caption(label: str, claimed: str, by_hand: bool, same: bool | None) -> str:
    """What the tutorial (or a hand calculation) gives for f′, and whether sympy agrees
    (``same`` None: it could not be checked right now). ``label`` and ``claimed`` are the
    app's own presets (optimizers.expression.PRESETS), never a visitor's text.

    >>> preset_caption("Chain rule: (3x + 1)⁵", "15 * (3*x + 1)^4", False, True)
    'Chain rule: (3x + 1)⁵: the tutorial gives f′(x) = 15 * (3*x + 1)^4 — the same, symbolically.'
    """
    verdict = {True: "the same, symbolically", False: "NOT the same", None: "could not check it right now"}[same]
    if same is None:
        verdict += " (the server is busy)"
    source = "by hand" if by_hand else "the tutorial gives"
    return f"{label}: {source} f′(x) = {claimed} — {verdict}."


def latex(report: CustomReport) -> tuple[tuple[str, ...], bool]:
    """(the LaTeX lines of f, f′ and f″, whether they fit side by side); one aligned block
    when a derivative is too long for a third of the width.

    >>> latex(__import__("optimizers.custom").custom.analyse_function("x^2", 0, 1))
    (('f(x) = x^{2}', "f'(x) = 2 x", "f''(x) = 2"), True)
    """
    f_tex, d1_tex, d2_tex = report.latex
    if max(map(len, report.latex)) <= 40:
        return (rf"f(x) = {f_tex}", rf"f'(x) = {d1_tex}", rf"f''(x) = {d2_tex}"), True
    return (rf"\begin{{aligned}} f(x) &= {f_tex} \\ f'(x) &= {d1_tex} \\ f''(x) &= {d2_tex} \end{{aligned}}",), False


def kinks(report: CustomReport) -> str:
    """'f has a kink (no derivative) at x = 1: there the sign of f′ decides.' ('' without kinks)"""
    if not report.kinks:
        return ""
    return f"f has a kink (no derivative) at {join([f'x = {number(k)}' for k in report.kinks])}: there the sign of f′ decides."


def limits(report: CustomReport) -> str:
    """The removable singularities whose limits are used ('' without any).

    >>> from optimizers.custom import analyse_function
    >>> limits(analyse_function("sin(x)/x", -10, 10, "max"))
    'f is undefined at x = 0; its limit there, 1, is used.'
    """
    return " ".join(
        f"f is undefined at x = {number(lim.x)}; its limit there, {number(lim.value)}, is used."
        for lim in report.limits
    )


def overflow_note(report: CustomReport) -> str:
    """The stretches left out because f overflows there away from the optimum ('' without any).

    >>> from optimizers.custom import analyse_function
    >>> overflow_note(analyse_function("x^100", 0, 1e6, "min"))
    'f is above 1.8e+302 (near the largest float, about 1.8e+308) for 1053.29 ≤ x ≤ 1e+06, so the minimum cannot be there: the search covers [0, 1053.29].'
    """
    if not report.overflow or report.optimum is None:
        return ""
    side = "above" if report.goal == "min" else "below"
    limit = OVERFLOW_LIMIT if report.goal == "min" else -OVERFLOW_LIMIT
    opt = report.optimum
    return (
        f"f is {side} {number(limit, digits=2)} (near the largest float, about {number(1.7976931348623157e308, digits=2)}) "
        f"for {_stretches(report.overflow)}, so the {kind_word(report.goal)} cannot be there: the search covers "
        f"[{number(opt.lo)}, {number(opt.hi)}]."
    )


def _stretches(gaps) -> str:
    return join([f"x = {number(a)}" if a == b else f"{number(a)} ≤ x ≤ {number(b)}" for a, b in gaps])


def problem(report: CustomReport) -> str:
    """Why no optimum is reported ('' when one is).

    >>> from optimizers.custom import analyse_function
    >>> problem(analyse_function("log(x)", -1, 2, "max"))
    'f is undefined or not continuous at −1 ≤ x ≤ 0 inside [−1, 2] (a logarithm or square root of a negative number, or a division by zero), so there is no single optimum to compare across it. Try the interval [0.02, 2].'
    """
    p = report.problem
    if p is None:
        return ""
    interval = f"[{number(report.lo)}, {number(report.hi)}]"
    try_ = (
        f" Try the interval [{number(report.suggestion[0])}, {number(report.suggestion[1])}]."
        if report.suggestion
        else ""
    )
    if p == Problem.UNDEFINED:
        return (
            f"f is undefined or not continuous at {_stretches(report.gaps)} inside {interval} (a logarithm or square "
            "root of a negative number, or a division by zero), so there is no single optimum to compare across it."
            + try_
        )
    if p == Problem.OVERFLOW:
        return (
            f"f is too large for floating point (overflow) at {_stretches(report.gaps)}, where the "
            f"{kind_word(report.goal)} may be: no optimum is reported." + try_
        )
    if p == Problem.DERIVATIVE_OVERFLOW:
        return (
            f"f′ is too large for floating point (overflow) near x = {number(report.problem_x)} on {interval}, so "
            "the sign of f′ cannot be read there: no optimum is reported. Try a narrower interval."
        )
    return (
        f"f cannot be evaluated everywhere on {interval}: it is not a finite number at x = {number(report.problem_x)}."
    )


def _place(report: CustomReport, x: float, edge_mark: bool = True) -> str:
    text = f"x = {number(x)}"
    if edge_mark and x in (report.shown_x(report.lo), report.shown_x(report.hi)):
        text += " (boundary)"
    elif report.limit_at(x) is not None:
        text += " (limit)"
    return text


def _places(report: CustomReport, v: Verdict) -> str:
    """Every place, tagged: 'x = −2 (boundary) and x = 1'."""
    xs = v.xs or (v.x,)
    if len(xs) == 1:
        return _place(report, xs[0], v.at_boundary or xs[0] in (report.lo, report.hi))
    return join([_place(report, x) for x in xs])


def _reached(report: CustomReport, v: Verdict) -> tuple[str, str | None]:
    """The "Reached at" metric's value and help. One place: 'x = 5', 'x = 0 (boundary)', 'x = 0
    (limit)'. Several: 'x = −2 and 1' when that fits a metric (METRIC_CHARS), else '16 places';
    the help names every place with its tags."""
    xs = v.xs or (v.x,)
    if len(xs) == 1:
        return _places(report, v), None
    compact = "x = " + join([number(x) for x in xs])
    value = compact if len(compact) <= METRIC_CHARS else f"{len(xs)} places"
    return value, f"Every place: {_places(report, v)}."


def metrics(report: CustomReport, v: Verdict | None) -> list[tuple[str, str, str | None]]:
    """(label, value, help) of the three metrics: the optimum, where it is reached, and how
    many critical points (a '+' when the grid could not resolve f′ everywhere)."""
    word = "Global minimum" if report.goal == "min" else "Global maximum"
    opt = report.optimum
    incomplete = opt is not None and not opt.complete
    help_points = (
        "At least this many: the grid cannot resolve f′ everywhere, so the list may be incomplete."
        if incomplete
        else None
    )
    points = ("Critical points", f"{len(report.points)}{'+' if incomplete else ''}", help_points)
    if v is None:
        return [(word, DASH, None), ("Reached at", DASH, None), points]
    return [(word, number(v.fun), None), ("Reached at", *_reached(report, v)), points]


def badge(report: CustomReport, v: Verdict, why: str = "") -> tuple[str, bool] | None:
    """(the certificate's badge text, certified?), or None when nothing was tried (a flat f);
    ``why`` is why the search did not run on this server now (busy, over budget)."""
    if v.certificate is None and v.refusal is None and not why:
        return None
    if not v.certified:
        return "Not certified", False
    claim = engine.certificate_claim(report.goal, report.lo, report.hi, v.claim_value, v.claim_tol)
    return f"Certified: {claim}", True


def detail(report: CustomReport, v: Verdict, why: str = "") -> str:
    """The certificate's fine print: how the search ran, or why it is not certified."""
    if v.refusal is not None:
        return f"Not certified: {engine.not_certifiable(v.refusal)}."
    if v.certificate is None:
        return f"Not certified: {why}." if why else ""
    c = v.certificate
    how = engine.certificate_detail(c)
    if c.certified:
        return how
    proved = (
        f" What it did prove: {engine.certificate_claim(c.goal, report.lo, report.hi, v.claim_value, v.claim_tol)}."
        if math.isfinite(v.claim_tol)
        else ""
    )
    return f"Not certified to {number(c.target, digits=1)}: {engine.stop_reason(c)}. {how}{proved}"


def answer(report: CustomReport, v: Verdict) -> str:
    """Why the answer is the optimum: the engine's sentence (with limits where f is undefined),
    or the certified search's better point."""
    opt = report.optimum
    if v.improved:
        return (
            f"Global {kind_word(report.goal)} at x = {number(v.x)}, found by the certified search: a feature "
            "narrower than the grid's cells, which the scan of f′ stepped over (the scan's best was "
            f"f = {number(report.shown_f(opt.fun))} at x = {number(report.shown_x(opt.x))})."
        )
    text = engine.optimum_sentence(opt, limits={lim.x for lim in report.limits})
    for lim in report.limits:
        if lim.x in (opt.xs or (opt.x,)):
            text += (
                f" At x = {number(lim.x)} f itself is undefined: {number(lim.value)} is its limit there, so f comes as "
                f"close to {number(lim.value)} as you like near x = {number(lim.x)} without reaching it there."
            )
    return text


def points_markdown(report: CustomReport, limit: int = 40) -> str:
    """The critical points as a markdown table (numbers only: nothing the user typed), at
    most ``limit`` rows; rounding noise near zero is shown as 0. The kind and the test that
    decided it share a column, so that 10-digit numbers fit a phone (explain.common.phone_table).

    >>> from optimizers.custom import analyse_function
    >>> print(points_markdown(analyse_function("x^2 - 10x + 100", 0, 10, "min")))
    | x | f(x) | kind; decided by |
    | ---: | ---: | :--- |
    | 5 | 75 | min; second-derivative |
    """
    rows = []
    for p in report.points[:limit]:
        label = point_label(p) + (" (limit)" if report.limit_at(p.x) is not None else "")
        x, fx = number(report.shown_x(p.x), digits=10), number(report.shown_f(p.fun), digits=10)
        rows.append([x, fx, share_cell(label, p.test)])
    if len(report.points) > limit:
        rows.append(["…", "", f"{len(report.points) - limit} more in the CSV table"])
    return phone_table(["x", "f(x)", "kind; decided by"], ["right", "right", "left"], rows)


def points_title(report: CustomReport) -> str:
    return f"Critical points ({len(report.points)})"


def table(report: CustomReport, v: Verdict | None = None) -> pd.DataFrame:
    """The CSV table (custom.csv): x, f, f_prime, f_second and a note naming the global
    optimum (at every place it is reached), each critical point and each limit used."""
    notes = []
    opt = report.optimum
    best = set(v.xs or (v.x,)) if v is not None else set()
    for x in report.table.x:
        note = [f"global {report.goal}"] if opt is not None and x in best else []
        note += [point_label(p) for p in report.points if report.shown_x(p.x) == x]
        note += ["limit (f undefined)" for lim in report.limits if report.shown_x(lim.x) == x]
        notes.append(", ".join(dict.fromkeys(note)))
    return report.table.assign(note=notes)


def chart(report: CustomReport, v: Verdict | None) -> dict:
    """Keyword arguments of ``ui.charts.show_objective`` except the curve and the markers:
    the titles and formats."""
    return {
        "x_title": "x",
        "y_title": "f(x)",
        "marginal_title": "f′(x)",
        "x_format": ",.4~g",
        "y_format": ",.4~g",
        "d_format": ",.4~g",
        "height": 280,
    }


def chart_caption(report: CustomReport) -> str:
    """What the chart leaves out ('' when it draws the whole interval): where f overflows away
    from the optimum, the curve covers only the range searched.

    >>> from optimizers.custom import analyse_function
    >>> chart_caption(analyse_function("x^100", 0, 1e6, "min"))
    'The curve is drawn for 0 ≤ x ≤ 1053.29, the range searched: for 1053.29 ≤ x ≤ 1e+06 f is too large for floating point.'
    """
    if not report.overflow or report.optimum is None:
        return ""
    opt = report.optimum
    return (
        f"The curve is drawn for {number(opt.lo)} ≤ x ≤ {number(opt.hi)}, the range searched: for "
        f"{_stretches(report.overflow)} f is too large for floating point."
    )


def optimum_label(report: CustomReport, v: Verdict) -> str:
    """The optimum marker's label: 'min at 5', 'min at −2 and 1', 'max at 0 (limit)'."""
    xs = v.xs or (v.x,)
    shown = [number(x, digits=4) for x in xs[:SHOWN_PLACES]]
    if len(xs) > SHOWN_PLACES:
        shown.append(f"{len(xs) - SHOWN_PLACES} more")
    limit = " (limit)" if len(xs) == 1 and report.limit_at(xs[0]) is not None else ""
    return f"{report.goal} at {join(shown)}{limit}"


def no_sensitivity(status: NoSensitivity | None, budget: str | None = None) -> str:
    """Why "What moves the optimum" is not shown ('' when it is): the theorems' reason
    (``status``), or the work budget's refusal (``budget``, words from explain.work) first.

    >>> no_sensitivity(NoSensitivity.FLAT)
    'What moves the optimum is not shown: f is flat, so there is no single optimum to move.'
    """
    if budget:
        return f"What moves the optimum is not shown: {budget}"
    if status is None:
        return ""
    return {
        NoSensitivity.NO_PARAMETER: "What moves the optimum needs a formula with the parameter a and an optimum.",
        NoSensitivity.FLAT: "What moves the optimum is not shown: f is flat, so there is no single optimum to move.",
        NoSensitivity.NOT_SMOOTH: (
            "What moves the optimum is not shown: the optimum is at a kink, cusp or vertical tangent of f, where f′ or "
            "f″ does not exist, so the implicit function theorem (which divides by f″) does not apply there."
        ),
        NoSensitivity.ZERO_CURVATURE: (
            "What moves the optimum is not shown: f″ = 0 at the optimum, so the implicit function theorem "
            "(dx*/da = −f_xa / f″) gives no finite rate there."
        ),
        NoSensitivity.NARROW_WELL: (
            "What moves the optimum is not shown here: the optimum lies in a well narrower than the engine's "
            "grid, found only by the certified search, and re-solving at nearby values of a would not see it."
        ),
        NoSensitivity.TIED: (
            "What moves the optimum is not shown: the optimum is reached at several places, and a small change of a "
            "can make either one the best, so the best x jumps instead of moving smoothly."
        ),
        NoSensitivity.SINGULAR: (
            "What moves the optimum is not shown: f is undefined at a point of the interval (its limit is used "
            "there) or too large for floating point on part of it, and re-solving at other values of a would "
            "evaluate f there."
        ),
    }[status]
