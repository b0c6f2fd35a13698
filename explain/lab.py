"""Every word of the Derivative lab, written from :class:`optimizers.difflab.LabReport`
(numbers and a status): what there is to measure at x, the catastrophic cancellation at
h = 1e−15, the gradient check and the sigmoid table.

Examples
--------
>>> from optimizers.difflab import analyse
>>> from optimizers.expression import prepare
>>> r = analyse(prepare("x**2"), 3.0)
>>> cancellation(r)[:97]
'**Catastrophic cancellation at h = 1e−15:** the forward difference gives 5.32907 instead of 6 (re'
>>> check_metrics(r)[0], check_verdict(r)
(('Analytic f′(x)', '6', None), 'The analytic derivative passes the check (relative error below 1e−06 of the size of f′).')
"""

from __future__ import annotations

import math

from explain.common import phone_table, share_cell
from explain.format import DASH, MINUS, general, plain, sci
from optimizers.difflab import ERROR_FLOOR, GRADIENT_RTOL, TINY, Domain, Exact, LabReport, Status, best_steps

__all__ = [
    "CHECK_TITLE",
    "SIGMOID_TEXT",
    "SIGMOID_TITLE",
    "STORY",
    "TITLE",
    "cancellation",
    "cannot_use",
    "check_metrics",
    "check_verdict",
    "errors_chart",
    "estimates_chart",
    "exact",
    "latex",
    "not_applicable",
    "side_metrics",
    "sigmoid_markdown",
    "status_message",
]

TITLE = "The derivative lab"
STORY = (
    "A computer can only approximate f′ with a step h. Too big and the slope of the secant is "
    "not the slope of the tangent (truncation); too small and f(x + h) − f(x) subtracts two nearly "
    "equal numbers and the digits cancel (rounding). Watch both on a log-log plot. (For x² the central "
    "difference has no truncation error at all — try `sin(x)` to see its V too.)"
)
CHECK_TITLE = "Gradient check"
SIGMOID_TITLE = "Sigmoid overflow"
SIGMOID_TEXT = (
    "The naive 1 / (1 + e^(−x)) computes e^(−x), which overflows for x below about −709. The stable form "
    "only ever exponentiates a non-positive number. σ′ = σ(1 − σ) peaks at 0.25: chained through many "
    "layers it vanishes. (Type `1/(1+exp(-x))` at x = −800 above to see the overflow, `sigmoid(x)` for the stable one.)"
)
#: The series colours of the lab's charts.
COLORS = {"forward": "#dc2626", "central": "#2563eb", "complex step": "#16a34a"}


def _x(x: float) -> str:
    return general(x, 6)


def cannot_use(error: str) -> str:
    """The parser's reason, quoted safely."""
    return f"Cannot use this formula: {plain(error, max_chars=None)}."


def _latex_number(value: float | Exact) -> str:
    """A number for LaTeX (ASCII minus: math mode typesets it as a minus sign)."""
    if isinstance(value, Exact):
        return rf"{value.mantissa:g} \times 10^{{{value.exponent}}}"
    return f"{value:.15g}"


def latex(report: LabReport, f_tex: str, d1_tex: str) -> tuple[tuple[str, ...], bool]:
    r"""(LaTeX lines of f, f′ and f′(x), whether they fit side by side): three columns (stacked on
    a phone), or one aligned block when one is too long for a third of the width.

    >>> from optimizers.difflab import analyse
    >>> from optimizers.expression import prepare
    >>> latex(analyse(prepare("sigmoid(x)"), -800.0), r"\sigma(x)", "...")[0][2]
    "f'(-800) \\approx 3.66787 \\times 10^{-348}"
    """
    at = rf"f'({report.x:g})"
    if report.true is not None and (report.true.tiny or report.true.huge or report.status == Status.OVERFLOW):
        value = rf"{at} \approx {_latex_number(report.true)}"
    elif report.status == Status.SMOOTH:
        value = f"{at} = {_latex_number(report.exact)}"
    elif report.status == Status.UNDEFINED:
        value = rf"{at} = \text{{undefined}}"
    elif report.status == Status.OVERFLOW:
        value = rf"{at} = \text{{too large for floating point}}"
    else:
        value = rf"{at} = \text{{does not exist}}"
    lines = (rf"f(x) = {f_tex}", rf"f'(x) = {d1_tex}", value)
    if max(len(f_tex), len(d1_tex)) <= 40:  # the value line renders short whatever its LaTeX length
        return lines, True
    rows = [
        line.replace(" = ", " &= ", 1) if " = " in line else line.replace(r" \approx", r" &\approx", 1)
        for line in lines
    ]
    return (r"\begin{aligned} " + r" \\ ".join(rows) + r" \end{aligned}",), False


_DOMAIN = {
    Domain.LOG: "the logarithm of a number that is not positive",
    Domain.ROOT: "a fractional power (a root) of a negative number",
    Domain.DIVISION: "a division by zero",
    Domain.NOT_REAL: "f has no real value there",
}


def exact(value: Exact) -> str:
    """An exact value of any size: '3.66787e−348'.

    >>> exact(Exact(3.66787, -348)), exact(Exact(-1.5, 400)), exact(Exact(2.0, 1))
    ('3.66787e−348', '−1.5e+400', '20')
    """
    if -5 <= value.exponent < 16:
        return general(value.mantissa * 10.0**value.exponent, 6)
    sign = "e+" if value.exponent >= 0 else "e" + MINUS
    return f"{general(value.mantissa, 6)}{sign}{abs(value.exponent)}"


def status_message(report: LabReport) -> str:
    """What there is to measure at x, when it is not a plain smooth point ('' for one).

    >>> from optimizers.difflab import analyse
    >>> from optimizers.expression import prepare
    >>> status_message(analyse(prepare("log(x)"), -1.0))
    'f is undefined at x = −1: the logarithm of a number that is not positive.'
    """
    x, s = _x(report.x), report.status
    if s == Status.UNDEFINED:
        return f"f is undefined at x = {x}: {_DOMAIN[report.domain]}."
    if s == Status.VERTICAL:
        cusp = " or cusp" if report.left * report.right < 0 else ""
        return (
            f"f′({x}) does not exist: the slope grows without bound as x approaches {x} "
            f"(a vertical tangent{cusp}), so there is nothing to approximate."
        )
    if s == Status.KINK:
        convention = (
            f" The formula for f′ gives {general(report.convention, 6)} at the kink itself: frameworks pick a value there "
            "by convention (PyTorch takes ReLU′(0) = 0)."
            if math.isfinite(report.convention)
            else ""
        )
        return (
            f"f has a kink at x = {x}: the derivative from the left is {general(report.left, 9)} and from the right "
            f"{general(report.right, 9)}, so f′({x}) does not exist. Each method still returns a number: the forward "
            "difference the right slope, the central difference their average." + convention
        )
    if s == Status.OVERFLOW:
        return (
            f"f′({x}) is defined (nothing here divides by zero or leaves f's domain), but floating point "
            "cannot compute it as written: an intermediate value passes the largest float, about 1.8e+308 "
            "(overflow), and ∞/∞ or ∞ − ∞ is not a number. That is the lesson of the sigmoid section below: "
            "rewrite the formula so that nothing large is ever computed."
        )
    return ""


def true_value(report: LabReport) -> str:
    """f′(x) from mpmath, when floating point cannot hold it ('' otherwise).

    >>> from optimizers.difflab import analyse
    >>> from optimizers.expression import prepare
    >>> true_value(analyse(prepare("1/(1+exp(-x))"), -800.0))
    'Computed with mpmath (no overflow there): f′(−800) ≈ 3.66787e−348 — below the smallest positive float (about 4.9e−324): in floating point the best answer is 0.'
    """
    t = report.true
    if t is None:
        return ""
    small = (
        f" — below the smallest positive float (about {sci(TINY, 1)}): in floating point the best answer is 0"
        if t.tiny
        else ""
    )
    large = " — above the largest float (about 1.8e+308): no float can hold it" if t.huge else ""
    return f"Computed with mpmath (no overflow there): f′({_x(report.x)}) ≈ {exact(t)}{small}{large}."


def _side(value: float, side: str, x: str) -> tuple[str, str | None]:
    if math.isnan(value):
        return DASH, f"f is undefined just {side} of x = {x}."
    if math.isinf(value):
        sign = "+" if value > 0 else MINUS
        return f"{sign}∞ (unbounded)", f"f′ grows without bound as x approaches {x} from the {side}: no finite number."
    return general(value, 9), None


def side_metrics(report: LabReport) -> list[tuple[str, str, str | None]]:
    """(label, value, help) of the one-sided derivatives at a kink or a vertical tangent: a
    number only where it is finite; unbounded sides say so.

    >>> from optimizers.difflab import analyse
    >>> from optimizers.expression import prepare
    >>> [m[:2] for m in side_metrics(analyse(prepare("sqrt(x)"), 0.0))]
    [('Derivative from the left', '—'), ('Derivative from the right', '+∞ (unbounded)')]
    """
    x = _x(report.x)
    return [
        ("Derivative from the left", *_side(report.left, "left", x)),
        ("Derivative from the right", *_side(report.right, "right", x)),
    ]


def _what(report: LabReport) -> str:
    return "Absolute" if report.probe.absolute else "Relative"


def errors_chart(report: LabReport) -> dict:
    """Keyword arguments of ``ui.charts.lines_chart`` for the h sweep (data and markers aside)."""
    return {
        "x": "h",
        "y": "error",
        "series": "method",
        "x_title": "Step h",
        "y_title": f"{_what(report)} error of f′",
        "x_format": ".0e",
        "y_format": ".0e",
        "log_x": True,
        "log_y": True,
        "title": "The Goldilocks zone for h",
        "colors": COLORS,
        "height": 340,
    }


def step_markers(report: LabReport) -> tuple[tuple[float, float, str], ...]:
    """(h, y, label) of the textbook steps marked on the chart."""
    best = best_steps(report.x)
    return ((best["forward"], 1e-8, "√eps"), (best["central"], 1e-11, "∛eps"))


def estimates_chart() -> dict:
    """Keyword arguments of ``ui.charts.lines_chart`` for what each method returns at a kink."""
    return {
        "x": "h",
        "y": "estimate",
        "series": "method",
        "x_title": "Step h",
        "y_title": "What each method returns",
        "x_format": ".0e",
        "y_format": ",.4~g",
        "log_x": True,
        "title": "No derivative to approximate: each method returns its own number",
        "colors": COLORS,
        "height": 300,
    }


def _estimate(value: float, digits: int = 6) -> str:
    return general(value, digits) if math.isfinite(value) else DASH


def cancellation(report: LabReport) -> str:
    """The forward, central and complex-step estimates at h = 1e−15, against f′(x): a number
    is said to differ from f′(x) only when it does, and a method that gives no number
    (the complex step through a formula that overflows for complex x) says so.

    >>> from optimizers.difflab import analyse
    >>> from optimizers.expression import prepare
    >>> print(cancellation(analyse(prepare("sigmoid(x)"), -800.0)))  # doctest: +NORMALIZE_WHITESPACE
    **Catastrophic cancellation at h = 1e−15:** the forward difference gives 0, the same as the analytic f′(x) = 0
    here; the central difference 0; the complex step gives no number here (the formula overflows or is not defined
    for complex x at this point). Best steps here: forward ≈ √eps·max(1,|x|) = 1.2e−05, central ≈ ∛eps·max(1,|x|) =
    4.8e−03. The analytic f′(x) is 0 here, so the errors are absolute: a relative error of an estimate of 0 means
    nothing. f′ itself is below the smallest positive float here (about 3.66787e−348), so every estimate that is 0
    is as close as floating point gets.
    """
    p = report.probe
    at, e = p.at_1e15, p.exact
    forward = float(at.loc["forward", "estimate"])
    error = float(at.loc["forward", "error"])
    if forward == e:
        fwd = f"gives {_estimate(forward)}, the same as the analytic f′(x) = {_estimate(e)} here"
    elif _estimate(forward) == _estimate(e):
        fwd = f"gives {_estimate(forward, 15)} instead of {_estimate(e, 15)} ({_what(report).lower()} error {sci(error, 1)})"
    else:
        shown = "0" if error <= ERROR_FLOOR else sci(error, 1)
        fwd = f"gives {_estimate(forward)} instead of {_estimate(e)} ({_what(report).lower()} error {shown})"
    step = float(at.loc["complex step", "estimate"])
    complex_step = (
        f"the complex step, which subtracts nothing, {_estimate(step, 15)}"
        if math.isfinite(step)
        else "the complex step gives no number here (the formula overflows or is not defined for complex x at this point)"
    )
    best = best_steps(report.x)
    text = (
        f"**Catastrophic cancellation at h = {general(1e-15)}:** the forward difference {fwd}; the central difference "
        f"{_estimate(float(at.loc['central', 'estimate']))}; {complex_step}. Best steps here: forward ≈ √eps·max(1,|x|) "
        f"= {sci(best['forward'], 1)}, central ≈ ∛eps·max(1,|x|) = {sci(best['central'], 1)}."
    )
    if p.absolute:
        text += " The analytic f′(x) is 0 here, so the errors are absolute: a relative error of an estimate of 0 means nothing."
    if report.true is not None and report.true.tiny:
        text += (
            f" f′ itself is below the smallest positive float here (about {exact(report.true)}), so every estimate "
            "that is 0 is as close as floating point gets."
        )
    return text


def not_applicable(report: LabReport) -> str:
    """Why the gradient check does not apply at x.

    >>> from optimizers.difflab import analyse
    >>> from optimizers.expression import prepare
    >>> not_applicable(analyse(prepare("abs(x)"), 0.0))
    'Not applicable at x = 0: there is no f′(x) to check.'
    """
    if report.status == Status.UNDEFINED:
        return f"Not applicable at x = {_x(report.x)}: f is undefined there."
    if report.status == Status.OVERFLOW:
        return f"Not applicable at x = {_x(report.x)}: floating point cannot compute f′(x) as written."
    return f"Not applicable at x = {_x(report.x)}: there is no f′(x) to check."


def check_metrics(report: LabReport) -> list[tuple[str, str, str | None]]:
    """(label, value, help) of the gradient check: analytic f′, the central difference at
    its textbook step, and the error between them."""
    p = report.probe
    h = best_steps(report.x)["central"]
    error = sci(p.relative_error, 1) if p.relative_error else "0"
    return [
        ("Analytic f′(x)", general(p.exact, 12), None),
        ("Central difference", _estimate(p.central, 12), f"h = ∛eps·max(1,|x|) = {sci(h, 2)}"),
        (f"{_what(report)} error", error, None),
    ]


def check_verdict(report: LabReport) -> str:
    """Whether the analytic derivative passes the gradient check, in words."""
    what = _what(report)
    if report.passes:
        return f"The analytic derivative passes the check ({what.lower()} error below {sci(GRADIENT_RTOL, 0)} of the size of f′)."
    return f"{what} error above {sci(GRADIENT_RTOL, 0)} of the size of f′: f is not smooth here, or f′ is wrong."


def sigmoid_markdown(table) -> str:
    """:func:`optimizers.difflab.sigmoid_table` as a markdown table; whether the naive formula
    overflowed shares its cell, and values have 3 significant digits (4.48e−309), so that the
    table fits a phone (explain.common.phone_table; it was 463 px wide at 390).

    >>> from optimizers.difflab import sigmoid_table
    >>> print(sigmoid_markdown(sigmoid_table((-800.0, 0.0))))
    | x | naive | stable | σ′ = σ(1 − σ) |
    | ---: | ---: | ---: | ---: |
    | −800 | 0; overflow | 0 | 0 |
    | 0 | 0.5 | 0.5 | 0.25 |
    """
    rows = [
        [
            general(r.x),
            share_cell(general(r.naive, 3), "overflow" if r.overflow else ""),
            general(r.stable, 3),
            general(r.derivative, 3),
        ]
        for r in table.itertuples()
    ]
    return phone_table(["x", "naive", "stable", "σ′ = σ(1 − σ)"], ["right"] * 4, rows)
