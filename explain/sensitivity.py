"""The words of the "What moves the optimum" section every decision page shows.

``optimizers.sensitivity`` computes the rows (numbers and a :class:`~optimizers.sensitivity.
Boundary` status each); this module says what they mean: the reading in one line, the notes on
a boundary optimum, the table's labels and cells, the envelope chart's title. ``ui.sensitivity``
draws them.

Numbers in the table have four significant digits and are never in scientific notation below a
quadrillion (``−22,361``, not ``−2.236e+04``); an effect the model computes as rounding noise is
already exactly 0 (``optimizers.sensitivity.NOISE``) and shows as ``0``.

Examples
--------
The tutorial's headphones: profit (p − c)(1300 − 10p), best at $75 for a unit cost of $20.

>>> from optimizers.sensitivity import Param, Problem, sensitivity
>>> p = Problem(lambda x, c: (x - c) * (1300 - 10 * x), 0, 130, "max", (Param("c", 20, 0, 100, "unit cost"),),
...             x_name="price")
>>> headline(sensitivity(p))
'Your best price is most sensitive to unit cost: 1% more unit cost moves it +0.13%.'
>>> shown_table(sensitivity(p)).iloc[0].tolist()
['unit cost = 20', '+0.5', '−550', '+0.133']
"""

from __future__ import annotations

import math

import pandas as pd

from explain.format import DASH, MINUS, minus, num, plain, signed
from optimizers.sensitivity import Boundary, End, Param, Sensitivity, SensitivityReport

__all__ = [
    "DOWNLOAD_LABEL",
    "EXACT_TOGGLE",
    "HEADING",
    "NO_OPTIMUM_ON_RANGE",
    "SWEEP_LABEL",
    "amount",
    "columns",
    "envelope_title",
    "headline",
    "markdown",
    "note",
    "notes",
    "now_label",
    "reading",
    "shown_table",
    "sweep_help",
]

#: The section's heading, its toggle and its download button (contracts: tests look for them).
HEADING = "What moves the optimum"
EXACT_TOGGLE = "Show the exact numbers"
DOWNLOAD_LABEL = "Download sensitivity (CSV)"
#: The select that draws the envelope chart (``?sweep=<input>``).
SWEEP_LABEL = "Sweep an input over its range"
#: Said instead of the envelope chart when no input value on the range has an optimum.
NO_OPTIMUM_ON_RANGE = "The optimum cannot be found anywhere on this input's range."

_WORDS = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def amount(value: float, *, sign: bool = True, digits: int = 4) -> str:
    """A per-unit effect in ``digits`` significant digits, never in scientific notation from a
    millionth to a quadrillion: thousands separators up to a million, then words.

    >>> amount(-22360.68), amount(46957.43), amount(0.5), amount(-550.0), amount(0.0012053)
    ('−22,361', '+46,957', '+0.5', '−550', '+0.001205')
    >>> amount(1.7453e8), amount(0.0, sign=True), amount(1300, sign=False), amount(float("nan"))
    ('+174.5 million', '0', '1,300', '—')
    """
    if not (isinstance(value, int | float) and math.isfinite(value)):
        return DASH
    if value == 0:
        return "0"
    size = abs(value)
    plus = "+" if sign and value > 0 else ""
    if size >= 1e15 or size < 1e-6:
        return plus + minus(f"{value:.{digits - 1}e}")
    for big, word in _WORDS:
        if size >= big:
            return plus + _fixed(value / big, digits) + " " + word
    if size >= 10 ** (digits - 1):
        return plus + num(value, 0)
    return plus + _fixed(value, digits)


def _fixed(value: float, digits: int) -> str:
    """``digits`` significant digits in fixed notation, trailing zeros dropped: 0.5, 11.18."""
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    text = num(value, decimals)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _elasticity(value: float) -> str:
    """'+0.133', '−0.500'; exactly 0 as '0'."""
    if not (isinstance(value, int | float) and math.isfinite(value)):
        return DASH
    if value == 0:
        return "0"
    return signed(value, 3) if abs(value) < 1000 else amount(value)


def headline(report: SensitivityReport) -> str:
    """The reading in one sentence (plain text): which input moves the best choice most.

    Inputs are compared by elasticity (unit-free); when none exists (x* is 0, or no input moves
    it by a percentage) they are compared per unit.

    >>> from optimizers.sensitivity import Param, Problem, sensitivity
    >>> flat_in_a = Problem(lambda x, a: (x - 0.25) ** 2 + a, -1, 1, "min", (Param("a", 1.0, 0.0, 2.0),))
    >>> headline(sensitivity(flat_in_a))
    'No input moves the best x at these settings.'
    """
    top = report.largest()
    if top is None:
        top = report.largest_per_unit()
        if top is None:
            return f"No input moves the best {report.x_name} at these settings."
        return (
            f"Your best {report.x_name} moves most with {top.label}: one unit more moves it "
            f"{amount(top.optimum_change_per_unit)}{_aside(top)}."
        )
    return (
        f"Your best {report.x_name} is most sensitive to {top.label}: 1% more {top.label} moves it "
        f"{signed(top.optimum_elasticity, 2)}%{_aside(top)}."
    )


def _aside(row: Sensitivity) -> str:
    text = note(row)
    return f" ({text})" if text else ""


def reading(x_name: str) -> str:
    """How to read a row (plain text)."""
    return (
        f"Each row: if this input rises by one unit, how far the best {x_name} moves (implicit function "
        f"theorem, {MINUS}f_xθ/f_xx) and how much the best value changes (envelope theorem, ∂f/∂θ at the optimum)."
    )


def note(row: Sensitivity) -> str:
    """What a boundary optimum means for this row (plain text), or "" for an interior one.

    >>> from optimizers.sensitivity import Sensitivity
    >>> note(Sensitivity("drag", "drag a", 0.001, 0.0, 84000.0, 0.0, Boundary.LEAVES, End.UPPER, 0.0012053))
    'leaves the upper end when drag a reaches 0.001205'
    """
    end = "lower" if row.end is End.LOWER else "upper"
    if row.boundary is Boundary.FLAT:
        return "the objective is flat: no single optimum"
    if row.boundary is Boundary.LEAVES:
        return f"leaves the {end} end when {row.label} reaches {amount(row.leaves_at, sign=False)}"
    if row.boundary is Boundary.STAYS:
        return f"stays at the {end} end over the whole range of {row.label}"
    return ""


def notes(report: SensitivityReport) -> str:
    """Every row's boundary note in one sentence (plain text), or "" when there is none."""
    found = [f"{r.label}: {note(r)}" for r in report.rows if note(r)]
    return "On the boundary — " + "; ".join(found) + "." if found else ""


def markdown(report: SensitivityReport) -> str:
    """The heading, the reading and the notes as one markdown string (literal text escaped)."""
    parts = [f"### {HEADING}", plain(f"{headline(report)} {reading(report.x_name)}", max_chars=None)]
    if text := notes(report):
        parts.append(plain(text, max_chars=None))
    return "\n\n".join(parts)


def columns(x_name: str) -> tuple[str, str, str, str]:
    """The shown table's column labels: four, so that the table fits a phone (390 px)."""
    return ("input", f"best {x_name} moves, per unit", "best value moves, per unit", "% move per 1% of the input")


def shown_table(report: SensitivityReport) -> pd.DataFrame:
    """The rounded table a visitor reads, as text cells (the exact numbers are in the CSV).

    One column per effect and the input with its value in the first (``unit cost = 20``): five
    columns ran off a 390 px phone screen.
    """
    first, per_unit, best, percent = columns(report.x_name)
    return pd.DataFrame(
        {
            first: [f"{r.label} = {amount(r.value, sign=False)}" for r in report.rows],
            per_unit: [amount(r.optimum_change_per_unit) for r in report.rows],
            best: [amount(r.best_change_per_unit) for r in report.rows],
            percent: [_elasticity(r.optimum_elasticity) for r in report.rows],
        },
        dtype=object,
    )


def envelope_title(x_name: str, param: Param) -> str:
    """The envelope chart's title: 'The best price as unit cost varies'."""
    return f"The best {x_name} as {param.title} varies"


def now_label(value: float) -> str:
    """The chart's label for the input's current value: 'now: 20'."""
    return f"now: {amount(value, sign=False)}"


def sweep_help(x_name: str) -> str:
    """The sweep select's tooltip."""
    return (
        f"Pick an input to chart the best {x_name} as that input moves over its slider's range, with its current "
        "value marked."
    )
