"""Every word of the Split-a-budget page (``/allocate``), written from an
:class:`optimizers.allocate.AllocateReport`.

The page splits a budget (hours a week between subjects, dollars a week between ad channels)
so that the total value is as large as possible. At the best split every activity that gets
anything has the same marginal value λ, and λ is what one more unit of budget is worth. The
functions here turn the report into sentences, metric triples, table frames with their cell
formats and chart titles; numbers only through :mod:`explain.format` (and :func:`sig`, built on
it), names a visitor typed only through :func:`explain.format.plain`.

Examples
--------
The study example at its default 12 hours a week:

>>> from optimizers import allocate as al
>>> p = al.PRESETS["study"]
>>> r = al.analyse(p.table(), p.family, p.budget)
>>> u = UNITS["study"]
>>> [m[:2] for m in metrics(r, u)]
[('Best total', '54.78 points'), ('Value of one more hour', '2.19 points')]
>>> print(answer(r, u))
**Spend 5.66 h on Maths, 5.03 h on History and 1.31 h on French.** Each one's next hour is then worth the same, 2.19 points: were one worth more, moving time to it would raise the total.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from explain.format import DASH, general, num, percent, plain, quote
from explain.work import join
from optimizers import allocate as al

__all__ = [
    "PRESET_HELP",
    "TITLE",
    "UNITS",
    "Units",
    "allocation_table",
    "allowable",
    "answer",
    "budget_charts",
    "comparison",
    "inputs",
    "marginal_chart",
    "marginal_title",
    "metrics",
    "read_split",
    "sensitivity_table",
    "sensitivity_text",
    "sig",
    "split_table",
    "story",
    "table_problem",
    "unfunded",
    "wrappable",
]

TITLE = "Split a budget"
#: Help of the example picker (its option codes are URL values: ``?preset=ads``).
PRESET_HELP = (
    "study: hours a week between three subjects, value in points (curves M(1 − e^(−k·h))). "
    "ads: dollars a week between three ad channels, value in sign-ups (curves a·ln(1 + x/s)). "
    "Each example starts its own table; edit it or upload yours."
)
#: Columns of ``allocation.csv`` (a contract).
ALLOCATION_COLUMNS = ("activity", "amount", "marginal_value", "value")
#: Longest ``?current=`` text read (8 amounts of 20 characters and their separators).
MAX_SPLIT_CHARS = 200
#: Longest run of a name's characters without a place to wrap, in a table cell (a phone's column).
WRAP_CHARS = 10
_LONG_RUN = re.compile(rf"\S{{{WRAP_CHARS + 1},}}")
_NUMBER = re.compile(r"^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_SEPARATORS = re.compile(r"[\s:;,]+")


def sig(value: float, digits: int = 3) -> str:
    """``value`` to ``digits`` significant digits in fixed notation with thousands separators
    (scientific only below 1e-4 or from 1e15 up): the one format for amounts, values and λ,
    whose scale depends on the table.

    >>> sig(2.193969), sig(0.0634615), sig(1490.909), sig(12.0), sig(0.0), sig(-0.53140), sig(3.2e-7)
    ('2.19', '0.0635', '1,491', '12.0', '0', '−0.531', '3.2e−07')
    """
    if not (isinstance(value, int | float) and math.isfinite(value)):
        return DASH
    if value == 0:
        return "0"
    size = abs(value)
    if size < 1e-4 or size >= 1e15:
        return general(value, digits)
    return num(value, max(0, digits - 1 - math.floor(math.log10(size))))


def wrappable(name: str) -> str:
    """``name`` with a zero-width space after every WRAP_CHARS characters of a long unbroken run, so a
    table cell can wrap it on a phone instead of pushing the table past the screen.

    >>> wrappable("Maths"), wrappable("AAAAAAAAAAAAAAAAAAAAAAAAA").split("\u200b")
    ('Maths', ['AAAAAAAAAA', 'AAAAAAAAAA', 'AAAAA'])
    """
    return _LONG_RUN.sub(
        lambda m: "\u200b".join(m[0][i : i + WRAP_CHARS] for i in range(0, len(m[0]), WRAP_CHARS)), name
    )


@dataclass(frozen=True)
class Units:
    """How one example speaks: its budget unit, what it splits the budget between and what
    the value is counted in."""

    unit: str  # "hour"
    units: str  # "hours"
    symbol: str  # "h" (after the number) or "$" (before it)
    activity: str  # "subject"
    activities: str  # "subjects"
    value: str  # "points"
    example: str  # a split of the example table, for messages: "4:6:2"

    def amount(self, x: float) -> str:
        """'5.66 h' or '$1,491'."""
        return ("$" + sig(x)) if self.symbol == "$" else f"{sig(x)} {self.symbol}"

    def worth(self, v: float, digits: int = 3) -> str:
        """'2.19 points' (totals with 4 digits: '54.78 points')."""
        return f"{sig(v, digits)} {self.value}"

    @property
    def per(self) -> str:
        """'points per hour'."""
        return f"{self.value} per {self.unit}"

    @property
    def per_symbol(self) -> str:
        """'points per h' (axis titles stay on one line)."""
        return f"{self.value} per {self.symbol}"


UNITS = {
    "study": Units("hour", "hours", "h", "subject", "subjects", "points", "4:6:2"),
    "ads": Units("dollar", "dollars", "$", "channel", "channels", "sign-ups", "1000:1500:500"),
}


def story() -> str:
    """The paragraph under the title."""
    return (
        "You have a fixed budget — hours a week to study, dollars a week to advertise — and several "
        "things to spend it on, each with diminishing returns. At the best split every one that gets "
        "anything has the **same value for its next hour or dollar** (the equimarginal principle), and "
        "that common value λ is what **one more hour or dollar** of budget is worth: what Excel's "
        "Solver calls the shadow price."
    )


def inputs(u: Units, family: al.Family) -> dict[str, str]:
    """Labels and help of the inputs: ``budget``, ``budget_help``, ``budget_format`` (the slider's
    printf format), ``what``, ``upload_help``, ``current``, ``current_help``, ``table``."""
    first, second = al.PARAMETERS[family]
    table = {
        al.Family.DIMINISHING: f"**Your {u.activities}**, one row each: `ceiling` is the most {u.value} it can "
        f"still give, `rate` how fast (its first {u.unit} gives ceiling × rate).",
        al.Family.LOG: f"**Your {u.activities}**, one row each, giving `weight` × ln(1 + {u.units} / `scale`) "
        f"{u.value}: the first {u.unit} gives weight / scale, and at `scale` {u.units} the next gives half that.",
    }[family]
    return {
        "budget": f"{u.units.capitalize()} a week to split",
        "budget_help": f"The budget B. The best split, λ and every sentence are for this many {u.units}.",
        "budget_format": "$%d" if u.symbol == "$" else f"%.1f {u.symbol}",
        "table": table,
        "what": f"{u.activities} (name, {first}, {second})",
        "upload_help": f"Columns `name`, `{first}` and `{second}`, one row per {u.activity} "
        f"({al.MIN_ACTIVITIES} to {al.MAX_ACTIVITIES} rows); at most 5 MB.",
        "current": f"Your own split, in {u.units} (optional)",
        "current_help": f"One amount per row of the table, in order, separated by colons: {u.example}. "
        f"Its total is the budget it is compared at.",
    }


def table_problem(exc: Exception) -> str:
    """Why the table cannot be split (the engine's message, shown literally, with the one
    minus sign) and what to do.

    >>> print(table_problem(ValueError("row 2 ('History'): rate must be positive, got -0.2")))
    **This table cannot be split.** Row 2 \\(\\'History\\'\\)\\: rate must be positive\\, got −0\\.2. Fix the table, or press Reset to defaults to start over.
    """
    message = str(exc).replace("got nan", "got an empty or invalid number").replace("got inf", "got infinity")
    message = re.sub(r"(?<![\w.])-(?=[\d.])", "\u2212", message)
    message = message[:1].upper() + message[1:]
    return (
        f"**This table cannot be split.** {plain(message, max_chars=300)}. Fix the table, or press Reset to "
        "defaults to start over."
    )


def read_split(text: str, names: Sequence[str], u: Units) -> tuple[tuple[float, ...] | None, str]:
    """The visitor's own split typed as ``4:6:2`` (one amount per activity, in table order;
    colons, semicolons, commas or spaces between them), or None with a sentence saying what to
    fix. Empty text is no split and no message.

    >>> names = ["Maths", "History", "French"]
    >>> read_split("4:6:2", names, UNITS["study"]), read_split(" ", names, UNITS["study"])
    (((4.0, 6.0, 2.0), ''), (None, ''))
    >>> read_split("4:6", names, UNITS["study"])[1]
    'Your split has 2 amounts for 3 subjects (Maths, History and French): give one per row of the table, in order, like 4:6:2.'
    """
    text = (text or "").strip()
    if not text:
        return None, ""
    if len(text) > MAX_SPLIT_CHARS:
        return None, f"Your split is {len(text):,} characters long; at most {MAX_SPLIT_CHARS} are read."
    tokens = [t for t in _SEPARATORS.split(text) if t]
    for token in tokens:
        if not _NUMBER.match(token):
            return None, (
                f"Your split must be amounts of zero or more, like {u.example}; {quote(token, 20)} is not one."
            )
    amounts = tuple(float(t) for t in tokens)
    if len(amounts) != len(names):
        shown = join([plain(n) for n in names])
        return None, (
            f"Your split has {len(amounts)} amount{'s' * (len(amounts) != 1)} for {len(names)} {u.activities} "
            f"({shown}): give one per row of the table, in order, like {u.example}."
        )
    total = math.fsum(amounts)
    if not all(math.isfinite(a) for a in amounts) or total > al.MAX_BUDGET:
        return None, f"Your split adds up to more than {al.MAX_BUDGET:,.0f} {u.units}, the most this page splits."
    if total < al.MIN_BUDGET:
        return None, f"Your split adds up to 0 {u.units}: give at least one {u.activity} some {u.units}."
    return amounts, ""


def _funded(r: al.AllocateReport) -> tuple[list[al.Share], list[al.Share]]:
    shares = r.allocation.shares
    return (
        [s for s in shares if s.status is al.Status.FUNDED],
        [s for s in shares if s.status is al.Status.UNFUNDED],
    )


def metrics(r: al.AllocateReport, u: Units) -> list[tuple[str, str, str]]:
    """(label, value, help) of the page's metrics (the labels are a contract)."""
    a = r.allocation
    return [
        (
            "Best total",
            u.worth(a.value, 4),
            f"The most the {u.activities} can give together with {u.amount(a.budget)}.",
        ),
        (
            f"Value of one more {u.unit}",
            u.worth(a.lam),
            (
                f"λ = dV*/dB: how much the best total rises per extra {u.unit} of budget (the envelope "
                f"theorem), and the value every {u.activity} with budget has for its next {u.unit}. "
                f"Exactly {general(a.lam, 6)} {u.per}."
            ),
        ),
    ]


def answer(r: al.AllocateReport, u: Units) -> str:
    """The best split in one sentence, and why it is the best (equimarginal principle)."""
    a = r.allocation
    funded, _ = _funded(r)
    if len(funded) == 1:
        return (
            f"**Spend all {u.amount(a.budget)} on {plain(funded[0].name)}.** Its next {u.unit} is still worth "
            f"{u.worth(a.lam)}, no less than the first {u.unit} of any other {u.activity}."
        )
    parts = join([f"{u.amount(s.amount)} on {plain(s.name)}" for s in funded])
    return (
        f"**Spend {parts}.** Each one's next {u.unit} is then worth the same, {u.worth(a.lam)}: were one "
        f"worth more, moving {'time' if u.unit == 'hour' else 'money'} to it would raise the total."
    )


def split_table(r: al.AllocateReport, u: Units) -> tuple[pd.DataFrame, dict[str, Callable[[object], str]]]:
    """The best split as a small table (for ``ui.export.markdown_table``) and its cell formats."""
    a = r.allocation
    t = pd.DataFrame(
        {
            u.activity: [s.name for s in a.shares],
            u.units: [s.amount for s in a.shares],
            u.value: [s.value for s in a.shares],
            f"next {u.unit} worth": [s.marginal for s in a.shares],
        }
    )
    formats = {
        u.activity: lambda n: wrappable(str(n)),
        u.units: lambda x: u.amount(float(x)),
        u.value: lambda x: sig(float(x)),
        f"next {u.unit} worth": lambda x: sig(float(x)),
    }
    return t, formats


def allowable(r: al.AllocateReport, u: Units) -> str:
    """The budget range over which the same activities stay funded (Excel's allowable
    increase and decrease), in words.

    >>> from optimizers import allocate as al
    >>> p = al.PRESETS["study"]
    >>> print(allowable(al.analyse(p.table(), p.family, 8.0), UNITS["study"]))
    **Allowable range:** the same subjects (Maths and History) get time for any budget above 2.31 h and up to 9.61 h (Solver's allowable decrease: 5.69 h; allowable increase: 1.61 h).
    """
    a = r.allocation
    funded, _ = _funded(r)
    names = join([plain(s.name) for s in funded])
    which = f"the same {u.activities} ({names})" if len(funded) > 1 else f"{names} alone"
    verb = f"get{'s' * (len(funded) == 1)} {'time' if u.unit == 'hour' else 'money'}"
    if a.budget_low <= 0 and math.isinf(a.budget_high):
        where, limits = "at any budget", "no limit either way"
    elif a.budget_low <= 0:
        where = f"for any budget up to {u.amount(a.budget_high)}"
        limits = f"allowable increase: {u.amount(a.allowable_increase)}; no limit on the decrease"
    elif math.isinf(a.budget_high):
        where = f"for any budget above {u.amount(a.budget_low)}"
        limits = f"allowable decrease: {u.amount(a.allowable_decrease)}; no limit on the increase"
    else:
        where = f"for any budget above {u.amount(a.budget_low)} and up to {u.amount(a.budget_high)}"
        limits = (
            f"allowable decrease: {u.amount(a.allowable_decrease)}; "
            f"allowable increase: {u.amount(a.allowable_increase)}"
        )
    return f"**Allowable range:** {which} {verb} {where} (Solver's {limits})."


def unfunded(r: al.AllocateReport, u: Units) -> list[str]:
    """One sentence per activity the best split leaves out: how much more its first unit
    would have to be worth (the reduced gradient), and from which budget it gets some.

    >>> from optimizers import allocate as al
    >>> p = al.PRESETS["study"]
    >>> print(unfunded(al.analyse(p.table(), p.family, 8.0), UNITS["study"])[0])
    French would need 0.531 more points for its first hour to get any time: that hour is worth 2.50 points, one more hour elsewhere 3.03 (Solver's reduced gradient: −0.531). It gets time once the budget is above 9.61 h.
    """
    a = r.allocation
    _, left_out = _funded(r)
    words = "time" if u.unit == "hour" else "money"
    out = []
    for s in left_out:
        name = plain(s.name)
        if s.first_marginal >= a.lam or sig(-s.reduced_gradient) == "0":
            out.append(
                f"{name} is on the edge: its first {u.unit} is worth as much as one more {u.unit} elsewhere "
                f"({u.worth(s.first_marginal)}), so any more budget gives it {words}."
            )
            continue
        out.append(
            f"{name} would need {sig(-s.reduced_gradient)} more {u.value} for its first {u.unit} to get any "
            f"{words}: that {u.unit} is worth {u.worth(s.first_marginal)}, one more {u.unit} elsewhere "
            f"{sig(a.lam)} (Solver's reduced gradient: {sig(s.reduced_gradient)}). It gets {words} once the "
            f"budget is above {u.amount(s.entry_budget)}."
        )
    return out


def comparison(r: al.AllocateReport, u: Units) -> str | None:
    """The visitor's own split against the best split of the same total, and the best single
    move (None without a split).

    >>> from optimizers import allocate as al
    >>> p = al.PRESETS["study"]
    >>> print(comparison(al.analyse(p.table(), p.family, 12.0, amounts=[6, 6, 0]), UNITS["study"]))
    **Your split** (Maths 6.00 h, History 6.00 h, French 0 h) scores 54.35 points. The best split of the same 12.0 h scores 54.78 points, 0.425 more. The best single move: **moving 1.08 h from History to French gains 0.381 points**; after it both are worth 2.24 points for their next hour.
    """
    c = r.comparison
    if c is None:
        return None
    listed = ", ".join(f"{plain(s.name)} {u.amount(x)}" for s, x in zip(r.allocation.shares, c.amounts, strict=True))
    parts = [f"**Your split** ({listed}) scores {u.worth(c.value, 4)}."]
    if not math.isclose(c.budget, r.allocation.budget, rel_tol=1e-12):
        parts.append(
            f"It adds up to {u.amount(c.budget)}, not the {u.amount(r.allocation.budget)} budget, so it is "
            f"compared with the best split of {u.amount(c.budget)}."
        )
    if c.move is None:
        parts.append(f"That is as good as the best split of {u.amount(c.budget)} ({u.worth(c.best.value, 4)}).")
        return " ".join(parts)
    m = c.move
    parts.append(
        f"The best split of the same {u.amount(c.budget)} scores {u.worth(c.best.value, 4)}, {sig(c.gap)} more."
    )
    source, target = plain(m.source), plain(m.target)
    if m.kind is al.MoveKind.BALANCED:
        parts.append(
            f"The best single move: **moving {u.amount(m.amount)} from {source} to {target} gains "
            f"{u.worth(m.gain)}**; after it both are worth {u.worth(m.target_marginal)} for their next {u.unit}."
        )
    else:
        parts.append(
            f"The best single move: **moving all {u.amount(m.amount)} of {source} to {target} gains "
            f"{u.worth(m.gain)}**; after it {target}'s next {u.unit} is still worth {u.worth(m.target_marginal)}, "
            f"no less than {source}'s first ({sig(m.source_marginal)})."
        )
    return " ".join(parts)


#: Characters of the water-filling chart's title before the activities are counted instead of
#: named (three lines of ui.charts' 40-character wrap).
TITLE_CHARS = 120


def marginal_title(r: al.AllocateReport, u: Units) -> str:
    """The water-filling chart's title, true for every input: the line at λ crosses each funded
    curve at its amount, and an unfunded curve (its first unit worth less than λ) stays below it.

    >>> from optimizers import allocate as al
    >>> p = al.PRESETS["study"]
    >>> marginal_title(al.analyse(p.table(), p.family, 8.0), UNITS["study"])
    'The line at 3.03 crosses Maths and History at their best amounts; French stays below it'
    >>> marginal_title(al.analyse(p.table(), p.family, p.budget), UNITS["study"])
    'The line at 2.19 (one more hour) crosses each curve at its best amount'
    """
    lam = sig(r.allocation.lam)
    funded, left_out = _funded(r)
    if not left_out:
        return f"The line at {lam} (one more {u.unit}) crosses each curve at its best amount"
    below = f"{'stays' if len(left_out) == 1 else 'stay'} below it"
    if not funded:
        return f"Every curve stays below the line at {lam} (one more {u.unit})"
    crosses = "at its best amount" if len(funded) == 1 else "at their best amounts"
    named = f"The line at {lam} crosses {join([s.name for s in funded])} {crosses}; {join([s.name for s in left_out])} {below}"
    if len(named) <= TITLE_CHARS:
        return named
    curves = "curve" if len(funded) == 1 else "curves"
    return f"The line at {lam} crosses the {len(funded)} funded {curves} {crosses}; {len(left_out)} {below}"


def marginal_chart(r: al.AllocateReport, u: Units) -> dict:
    """Keyword arguments of ``ui.charts.lines_chart`` for the water-filling picture: every
    activity's marginal value against its amount, the line at λ, a dot where λ crosses each
    funded curve (the title says which, :func:`marginal_title`)."""
    a = r.allocation
    funded, _ = _funded(r)
    return {
        "data": r.curves,
        "x": "amount",
        "y": "marginal",
        "series": "name",
        "x_title": f"{u.units.capitalize()} a week on it ({u.symbol})",
        "y_title": f"Next {u.unit}'s value ({u.per_symbol})",
        "title": marginal_title(r, u),
        "x_format": ",.6~g",
        "y_format": ",.3~g",
        "rule_y": a.lam,
        "points": pd.DataFrame(
            {"amount": [s.amount for s in funded], "marginal": [a.lam] * len(funded), "name": [s.name for s in funded]}
        ),
    }


def budget_charts(r: al.AllocateReport, u: Units) -> tuple[dict, dict, str]:
    """Keyword arguments of ``ui.charts.lines_chart`` for λ against the budget (falling) and
    the best split against the budget (stacked), and the label of the current budget's marker."""
    x_title = f"{u.units.capitalize()} a week to split ({u.symbol})"
    lam = {
        # the x column is named "x": the Altair ui.charts draws markers at the "x" field of lines_chart data
        "data": r.sweep.curve.rename(columns={"budget": "x"}).assign(curve=f"value of one more {u.unit}"),
        "x": "x",
        "y": "lam",
        "series": "curve",
        "x_title": x_title,
        "y_title": f"λ: one more {u.unit} ({u.per_symbol})",
        "title": f"One more {u.unit} is worth less the more {u.units} you have",
        "x_format": ",.6~g",
        "y_format": ",.3~g",
        "height": 220,
    }
    split = {
        "data": r.sweep.amounts.rename(columns={"budget": "x"}),
        "x": "x",
        "y": "amount",
        "series": "name",
        "x_title": x_title,
        "y_title": f"{u.units.capitalize()} a week ({u.symbol})",
        "title": "The best split as the budget grows",
        "x_format": ",.6~g",
        "y_format": ",.6~g",
        "height": 220,
        "stacked_area": True,
    }
    return lam, split, f"now: {u.amount(r.allocation.budget)}"


def sensitivity_text(r: al.AllocateReport, u: Units) -> str:
    """The heading and the reading of "What moves the optimum": where one more unit of budget
    goes (dxᵢ*/dB) and what it adds (dV*/dB = λ)."""
    a = r.allocation
    funded, left_out = _funded(r)
    goes = join([f"{percent(s.amount_per_budget, 0)} to {plain(s.name)}" for s in funded])
    text = (
        f"One more {u.unit} of budget would go {goes} (dxᵢ*/dB), and raise the best total by "
        f"{u.worth(a.lam)} (dV*/dB = λ, the envelope theorem)."
    )
    if left_out:
        text += f" {join([plain(s.name) for s in left_out])} would get none of it."
    if left_out and a.allowable_increase <= 0:
        text += (
            f" This budget is exactly where {join([plain(s.name) for s in left_out], 'or')} starts to get some: "
            f"these rates hold just below it; above it the next {u.unit} is shared with it too."
        )
    return "### What moves the optimum\n\n" + text


def sensitivity_table(r: al.AllocateReport, u: Units) -> tuple[pd.DataFrame, dict[str, Callable[[object], str]]]:
    """The rounded sensitivity table (the CSV has the exact contract columns) and its formats."""
    t = r.allocation.sensitivity()
    shown = pd.DataFrame(
        {
            u.activity: [s.name for s in r.allocation.shares],
            f"best {u.units} move, per extra {u.unit}": t["optimum_change_per_unit"],
            f"best total moves, per extra {u.unit}": t["best_change_per_unit"],
            "% move per 1% of the budget": t["optimum_elasticity"],
        }
    )
    formats = dict.fromkeys(shown.columns[1:], lambda v: sig(float(v)))
    return shown, {u.activity: lambda n: wrappable(str(n)), **formats}


def allocation_table(r: al.AllocateReport) -> pd.DataFrame:
    """``allocation.csv``: columns exactly ``activity``, ``amount``, ``marginal_value``, ``value``.

    >>> from optimizers import allocate as al
    >>> p = al.PRESETS["ads"]
    >>> allocation_table(al.analyse(p.table(), p.family, p.budget)).round(2).values.tolist()[0]
    ['Search', 1490.91, 0.06, 186.4]
    """
    shares = r.allocation.shares
    return pd.DataFrame(
        {
            "activity": [s.name for s in shares],
            "amount": [s.amount for s in shares],
            "marginal_value": [s.marginal for s in shares],
            "value": [s.value for s in shares],
        },
        columns=list(ALLOCATION_COLUMNS),
    )
