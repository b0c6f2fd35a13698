"""Every word the Compounding page shows, written from :class:`optimizers.compounding.CompoundingResult`
(growth, doubling, the rate needed, the comparison) and :class:`~optimizers.compounding.SaleResult`
(when to sell).

Each function returns markdown (numbers through :mod:`explain.format`, anything a visitor typed
through :func:`explain.format.plain`); metric rows are (label, value, help) triples.

"Doubling time" is ln 2 / δ: how long money left alone takes to double, whatever else the
visitor adds (docs/pages/compounding.md). With monthly additions the page also says, in the
metric's help and the caption, when the balance is twice what was put in.

Examples
--------
>>> from optimizers import compounding as cm
>>> g = cm.analyse(10_000, 0.05, 10)
>>> [m[:2] for m in metrics(g)][:4]
[('Value after 10 years', '$16,487.21'), ("In today's money", '$16,487.21'), ('Growth rate now, per year', '$824.36'), ('Doubling time', '13.86 years')]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from explain.format import MINUS, general, money, num, percent, plain, signed
from optimizers import compounding as cm
from optimizers import goalseek as gs

__all__ = [
    "COMPARISON_DOWNLOAD",
    "HELP",
    "INPUTS",
    "SCHEDULE",
    "SELL",
    "STORY",
    "TARGET",
    "TITLE",
    "Charts",
    "band_text",
    "big_money",
    "charts",
    "comparison",
    "error",
    "metrics",
    "notes",
    "nothing_invested",
    "rates_warning",
    "sale_chart",
    "sale_marker",
    "sale_metrics",
    "sale_notes",
    "sensitivity_axis",
    "sensitivity_gap",
    "target_text",
]

TITLE = "How does money compound?"
STORY = (
    "A balance that earns interest grows in proportion to itself: dV/dt = r·V. The derivative is "
    "how fast your money is growing *right now*; at a positive rate it rises every year, which is "
    "why doubling takes the same time whatever you start with."
)
#: Each input's label and display format (printf-style, as Streamlit takes it; None: no format).
INPUTS: dict[str, tuple[str, str | None]] = {
    "principal": ("Principal ($)", "%.0f"),
    "rate": ("Annual rate (%)", "%.2f%%"),
    "years": ("Years", "%g"),
    "frequency": ("Compounding", None),
    "contribution": ("Added every month ($)", "%.0f"),
    "timing": ("Added at the … of each month", None),
    "inflation": ("Inflation (% a year)", "%.1f%%"),
    "target_multiple": ("Grow my money ×", "%.1f×"),
    "target_years": ("in years", "%d years"),
    "rates": ("Rates to compare (%)", None),
    "asset_growth": ("Asset growth g (per √year)", None),
    "target": ("Reach a target balance ($)", "%.0f"),
    "rate_spread": ("Range of rates (± percentage points)", "±%.2f"),
}
#: Help of the inputs that have one.
HELP = {
    "target": "The page finds when the balance equals this amount within your years. 0: no target.",
    "rate_spread": (
        "investor.gov's range of interest rates: the balance at your rate minus and plus this many percentage "
        "points, drawn as a band. 0: no range."
    ),
}
TARGET = "**What rate do I need?**"
SELL = (
    "### When to sell\n\n"
    "A tree, a wine or a business grows ever more slowly: V(t) = P·e^(g√t), from the principal P today. "
    "Money in the bank earns the rate above. Selling is best when the asset's growth rate V′/V has fallen "
    "to the bank's rate — there the present value V(t)·e^(−rt) has zero derivative."
)
COMPARISON_DOWNLOAD = "Download comparison (CSV)"
#: The schedule's table section: (title, download label).
SCHEDULE = ("Year-by-year schedule", "Download schedule (CSV)")
#: "compounded …" and "… compounding" for each frequency of ``optimizers.compounding.FREQUENCIES``.
ADVERB = {
    "continuous": "continuously",
    "annually": "annually",
    "quarterly": "quarterly",
    "monthly": "monthly",
    "daily": "daily",
}
ADJECTIVE = {
    "continuous": "continuous",
    "annually": "annual",
    "quarterly": "quarterly",
    "monthly": "monthly",
    "daily": "daily",
}
#: Rates a table shows side by side: more would run off a 390 px phone.
TABLE_RATES = 3
#: The longest wait the page computes a doubling for (optimizers.compounding.MAX_MULTIPLE_YEARS).
LONGEST = f"{num(cm.MAX_MULTIPLE_YEARS, 0)} years"
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


# --- numbers ------------------------------------------------------------------------------------


def big_money(value: float, decimals: int = 2) -> str:
    """:func:`explain.format.money` (kept for this module's callers): a power of ten from a
    quadrillion up, never e-notation.

    >>> big_money(16487.2127), big_money(1.0686e28)
    ('$16,487.21', '$1.07 × 10²⁸')
    """
    return money(value, decimals)


def _short_money(value: float) -> str:
    """A table cell: whole dollars below a million, then three significant digits in words
    ('$1.05 million'), so a cell stays narrow or wraps at its spaces.

    >>> _short_money(12840.25), _short_money(1_051_271.1), _short_money(2.5e13), _short_money(3e20)
    ('$12,840', '$1.05 million', '$25 trillion', '$3.00 × 10²⁰')
    """
    if abs(value) < 999_999.5:
        return money(value, 0)
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= size * 0.9995 and abs(value) < 1e15:
            return f"${general(value / size, 3)} {word}".replace("$" + MINUS, MINUS + "$")
    return big_money(value)


def _number(value: float, decimals: int = 2) -> str:
    """A number the visitor set, without trailing zeros: '10', '2.5', '1,000'.

    >>> _number(10.0), _number(2.5), _number(1000.0), _number(0.125, 4)
    ('10', '2.5', '1,000', '0.125')
    """
    text = num(value, decimals)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _years(value: float) -> str:
    """'10 years', '1 year', '2.5 years'."""
    return f"{_number(value)} {'year' if _number(value) == '1' else 'years'}"


def _duration(years: float, decimals: int = 2) -> str:
    """A time the page computed: '13.86 years', or 'over 1,000 years' past the longest wait."""
    if not years <= cm.MAX_MULTIPLE_YEARS:
        return f"over {LONGEST}"
    return num(years, decimals, "years")


def _rate(percent_a_year: float) -> str:
    """A rate the visitor typed, in % ('5%', '7.5%', '−5%')."""
    return _number(percent_a_year, 4) + "%"


def _markdown_table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A right-aligned markdown table of display strings (escaped with :func:`plain`)."""
    lines = [
        "| " + " | ".join(plain(c, None) for c in columns) + " |",
        "| " + " | ".join("---:" for _ in columns) + " |",
    ]
    lines += ["| " + " | ".join(plain(c, None) for c in row) + " |" for row in rows]
    return "\n".join(lines)


# --- growth -------------------------------------------------------------------------------------


def _doubling(g: cm.CompoundingResult) -> tuple[str, str, str]:
    """The doubling-time metric: ln 2 / δ, the time money left alone takes to double (halve)."""
    if g.rate == 0:
        return "Doubling time", "never", "At 0% money does not grow"
    grows = g.rate > 0
    label, verb, twice = ("Doubling time", "double", "twice") if grows else ("Half-life", "halve", "half")
    alone = _duration(abs(g.doubling_years))
    help_ = (
        f"ln 2 / |δ|: how long money left alone takes to {verb}, whatever the amount "
        f"(δ = {general(g.delta, 4)}, the force of interest)."
    )
    if g.contribution:
        t = g.contribution_doubling_years
        with_additions = f"after {_duration(t)}" if t <= cm.MAX_MULTIPLE_YEARS else f"never within {LONGEST}"
        help_ += (
            f" Money left alone {verb}s in {alone}. With your additions, the balance is {twice} what was put in "
            f"(the principal plus the additions so far) {with_additions}."
        )
    return label, alone, help_


def metrics(g: cm.CompoundingResult) -> list[tuple[str, str, str | None]]:
    """The six metrics (label, value, help), in two rows of three.

    >>> g = cm.analyse(10_000, 0.07, 10, "monthly", 100)
    >>> [m[:2] for m in metrics(g)]
    [('Value after 10 years', '$37,405.09'), ("In today's money", '$37,405.09'), ('Growth rate now, per year', '$3,810.75'), ('Doubling time', '9.93 years'), ('Rate needed', '6.95%'), ('Put in', '$22,000.00')]
    """
    additions = f" plus {big_money(12 * g.contribution)} a year of additions" if g.contribution else ""
    target = f"{_number(g.target_multiple)}× in {_years(g.target_years)}, compounded {ADVERB[g.frequency]}"
    return [
        (f"Value after {_years(g.years)}", big_money(g.value), None),
        (
            "In today's money",
            big_money(g.real_value),
            f"The value divided by (1 + {_number(100 * g.inflation)}%)^{_number(g.years)}: what it buys at today's prices",
        ),
        (
            "Growth rate now, per year",
            big_money(g.growth_per_year),
            f"dV/dt at the end: δ·V from interest (δ = {general(g.delta, 4)}){additions}",
        ),
        _doubling(g),
        ("Rate needed", percent(g.rate_needed, 2), f"to grow {target}"),
        ("Put in", big_money(g.contributed), "The principal plus every monthly addition so far"),
    ]


def notes(g: cm.CompoundingResult) -> str:
    """The caption under the metrics: the pace a day, the rule of 72, doubling with additions,
    and when additions are made.

    >>> print(notes(cm.analyse(10_000, 0.05, 10)))
    Growing $824.36 a year is $2.26 a day. Rule of 72 for money left alone: 14.40 years (+0.54 years, +3.9% off the exact ln 2/δ with δ = 0.05).
    """
    pace = abs(g.growth_per_year)
    out = {
        cm.Trend.GROWING: f"Growing {big_money(pace)} a year is {big_money(pace / 365)} a day.",
        cm.Trend.SHRINKING: f"Shrinking {big_money(pace)} a year is {big_money(pace / 365)} a day.",
        cm.Trend.FLAT: "Not growing: $0.00 a year.",
    }
    parts = [out[g.trend]]
    if g.rate > 0 and g.doubling_years <= cm.MAX_MULTIPLE_YEARS:
        off = g.rule_of_72_years - g.doubling_years
        parts.append(
            f"Rule of 72 for money left alone: {num(g.rule_of_72_years, 2, 'years')} ({signed(off, 2)} years, "
            f"{signed(100 * off / g.doubling_years, 1)}% off the exact ln 2/δ with δ = {general(g.delta, 4)})."
        )
    elif g.rate > 0:
        parts.append(f"Money left alone takes over {LONGEST} to double at this rate.")
    elif g.rate == 0:
        parts.append("At 0% there is no doubling time: nothing compounds.")
    if g.contribution and g.rate != 0:
        twice, verb = ("twice", "doubles") if g.rate > 0 else ("half", "halves")
        t = g.contribution_doubling_years
        reached = (
            f"the balance is {twice} what you put in (principal plus additions so far) after {_duration(t)}"
            if t <= cm.MAX_MULTIPLE_YEARS
            else f"the balance is not {twice} what you put in within {LONGEST}"
        )
        alone = abs(g.doubling_years)
        left = (
            f"money left alone {verb} in {_duration(alone)}"
            if alone <= cm.MAX_MULTIPLE_YEARS
            else (f"money left alone takes {_duration(alone)} to {verb[:-1]}")
        )
        parts.append(f"With {big_money(g.contribution, 0)} added every month, {reached}; {left}.")
    if g.contribution:
        how = " (as investor.gov computes)" if g.timing == "end" else " (an annuity due: each earns a month more)"
        rate = ""
        if g.frequency != "monthly":
            rate = (
                f"; with {ADJECTIVE[g.frequency]} compounding each earns the equivalent monthly rate "
                f"e^(δ/12) {MINUS} 1 = {percent(math.expm1(g.delta / 12), 4)}"
            )
        parts.append(f"Additions are deposited at the {g.timing} of every month{how}{rate}.")
    return " ".join(parts)


def nothing_invested(g: cm.CompoundingResult) -> str:
    """An info when there is no money at all, else ""."""
    if g.principal == 0 and g.contribution == 0:
        return "Nothing is invested: set a principal or a monthly addition to see it grow."
    return ""


@dataclass(frozen=True)
class Charts:
    """Titles and formats of the balance chart (keyword arguments of ``ui.charts``); the page adds
    the data and the marker's position from the result."""

    balance: dict
    growth: dict
    now: str
    #: Draw the balance itself (with its rate band and target line) between the stack and its growth rate.
    objective: bool = False
    #: ``ui.charts.objective_chart``'s band, target and solutions for that row.
    marks: dict | None = None


def charts(g: cm.CompoundingResult) -> Charts:
    """The balance stacked by where it came from, over its growth rate dV/dt."""
    return Charts(
        balance={
            "x": "year",
            "y": "amount",
            "series": "part",
            "x_title": "Years",
            "y_title": "Balance ($)",
            "x_format": ",.0f",
            "y_format": "$,.2~f",
            "stacked_area": True,
            "title": "Balance: principal, contributions, interest",
            "colors": {"principal": "gray", "contributions": "blue", "interest": "green"},
            "height": 260,
        },
        growth={
            "x_title": "Years",
            "y_title": "Balance ($)",
            "marginal_title": "Growth rate dV/dt ($ per year)",
            "x_format": ",.0f",
            "y_format": "$,.2~f",
            "d_format": "$,.2~f",
        },
        now=f"year {_number(g.years)}",
        objective=(g.band is not None and g.years > 0) or g.goal is not None,
        marks={
            **({"band": g.band.curve} if g.band is not None else {}),
            **({"target": g.goal.target, "solutions": g.goal.x} if g.goal is not None else {}),
        },
    )


def _dollars(text: str) -> str:
    """Markdown that shows every $ as a dollar (two of them would start math in Streamlit)."""
    return text.replace("$", "\\$")


def band_text(g: cm.CompoundingResult) -> tuple[str, str]:
    """(markdown, warning): the balance at rate ± spread in words, or why it is not drawn.

    >>> text, _ = band_text(cm.analyse(10_000, 0.07, 10, "monthly", 100, rate_spread=0.02))
    >>> print(text.replace("\\\\", ""))  # doctest: +NORMALIZE_WHITESPACE
    **Range of rates.** At 5% and 9% a year (7% ± 2 points), the balance after 10 years is between
    $31,998.32 and $43,865.00; the shaded band around the balance, in the chart under the stacked
    one, is that range over time. A what-if range, not a probability.
    """
    if g.band_overflows:
        return "", (
            "The range of rates is not drawn: at the higher rate the balance would pass "
            f"{big_money(cm.MAX_BALANCE)}. Lower the rate, the range or the years."
        )
    b = g.band
    if b is None or b.years == 0:  # no horizon: every rate gives the principal, nothing to say
        return "", ""
    pts = _number(100 * b.rate_spread, 4)
    return (
        _dollars(
            f"**Range of rates.** At {_rate(100 * b.low_rate)} and {_rate(100 * b.high_rate)} a year "
            f"({_rate(100 * b.rate)} ± {pts} {'point' if pts == '1' else 'points'}), the balance after "
            f"{_years(b.years)} is between {big_money(b.value_low)} and {big_money(b.value_high)}; the shaded band "
            "around the balance, in the chart under the stacked one, is that range over time. A what-if range, not "
            "a probability."
        ),
        "",
    )


def _when(g: cm.CompoundingResult, t: float) -> str:
    if t == 0:
        return "at the start"
    return "at the end" if t == g.years else f"after {_duration(t)}"


def target_text(g: cm.CompoundingResult) -> str:
    """When the balance equals your target, or why it never does within your years ("" without one).

    >>> print(target_text(cm.analyse(10_000, 0.05, 30, target=20_000)).replace("\\\\", ""))
    **Target $20,000.** The balance reaches $20,000 after 13.86 years.
    >>> print(target_text(cm.analyse(10_000, 0.07, 10, "monthly", 100, target=40_000)).replace("\\\\", ""))
    **Target $40,000.** The balance does not reach $40,000 within 10 years: the most is $37,405.09, at the end ($2,594.91 short).
    """
    r = g.goal
    if not g.target:
        return ""
    t = big_money(g.target, 0 if float(g.target).is_integer() else 2)
    head = f"**Target {t}.** "
    if r is None:  # no horizon
        return _dollars(head + "Set the years above 0 to see when the balance reaches it.")
    if r.everywhere:
        return _dollars(head + f"The balance is {t} all along.")
    if r.status is gs.GoalStatus.ABOVE_MAXIMUM:
        return _dollars(
            head + f"The balance does not reach {t} within {_years(g.years)}: the most is {big_money(r.highest)}, "
            f"{_when(g, r.optimum_x)} ({big_money(r.margin)} short)."
        )
    if r.status is gs.GoalStatus.BELOW_MINIMUM:
        return _dollars(
            head + f"The balance never falls to {t} within {_years(g.years)}: the lowest is {big_money(r.lowest)}."
        )
    if r.status is gs.GoalStatus.TOUCHES:
        return _dollars(head + f"The balance reaches {t} only {_when(g, r.x[0])}: it is never higher.")
    if len(r.x) == 1:
        verb = {gs.Crossing.RISING: "reaches", gs.Crossing.FALLING: "falls to"}.get(r.crossings[0], "touches")
        if r.x[0] == 0:
            return _dollars(
                head + f"The balance is {t} at the start, and {'above' if verb == 'reaches' else 'below'} it after."
            )
        return _dollars(head + f"The balance {verb} {t} {_when(g, r.x[0])}.")
    shown = [_when(g, x) for x in r.x[:4]]
    more = f", and {len(r.x) - 4} more times" if len(r.x) > 4 else ""
    return _dollars(head + f"The balance is {t} {', '.join(shown[:-1])} and {shown[-1]}{more}.")


def comparison(g: cm.CompoundingResult) -> str:
    """ "Compound growth power": the principal left alone at each rate after 5 to 30 years, in
    tables of at most three rates (a phone shows four columns).

    >>> print(comparison(cm.analyse(10_000, 0.05, 10)).replace("\\\\", ""))
    ### Compound growth power
    <BLANKLINE>
    $10,000 left alone, compounded continuously:
    <BLANKLINE>
    | years | 5% | 7% | 10% |
    | ---: | ---: | ---: | ---: |
    | 5 | $12,840 | $14,191 | $16,487 |
    | 10 | $16,487 | $20,138 | $27,183 |
    | 20 | $27,183 | $40,552 | $73,891 |
    | 30 | $44,817 | $81,662 | $200,855 |
    """
    additions = " (without the monthly additions)" if g.contribution else ""
    head = f"### Compound growth power\n\n{plain(big_money(g.principal, 0), None)} left alone, compounded {ADVERB[g.frequency]}{additions}:"
    names = list(g.comparison.columns)
    rates = [i for i, c in enumerate(names) if c != "years"]
    # One array for the whole table: .loc row by row, or a list of columns, cost 8% and 4% of a
    # loaded server's rerun (docs/performance.md).
    values = g.comparison.to_numpy(dtype=float)
    years = values[:, names.index("years")].tolist()
    chunks = math.ceil(len(rates) / TABLE_RATES)
    size = math.ceil(len(rates) / chunks)
    tables = []
    for start in range(0, len(rates), size):
        columns = rates[start : start + size]
        labels = ["years", *(names[i].replace("-", MINUS) for i in columns)]
        rows = [
            [str(int(y)), *map(_short_money, row)] for y, row in zip(years, values[:, columns].tolist(), strict=True)
        ]
        tables.append(_markdown_table(labels, rows))
    return "\n\n".join([head, *tables])


def rates_warning(g: cm.CompoundingResult) -> str:
    """Why the visitor's rates are not compared (markdown, their text shown literally), or ""."""
    e = g.rates_error
    if e is None:
        return ""
    why = {
        cm.RatesStatus.EMPTY: "Enter one or more rates in percent, separated by commas (e.g. 5, 7, 10).",
        cm.RatesStatus.TOO_MANY: f"At most {e.limit} rates, got {e.count}.",
        cm.RatesStatus.NOT_A_RATE: f"'{e.piece}' is not a rate in percent.",
        cm.RatesStatus.OUT_OF_RANGE: f"Rates must be between {MINUS}50% and 100%, got '{e.piece}'.",
        cm.RatesStatus.OVERFLOW: f"at these rates the balances pass {big_money(cm.MAX_BALANCE)}.",
    }[e.status]
    shown = ", ".join(_rate(r) for r in g.comparison_rates[:-1]) + f" and {_rate(g.comparison_rates[-1])}"
    return plain(f"Rates to compare: {why} Showing {shown}.", None)


def error(exc: ValueError) -> str:
    """What the visitor reads when the page cannot compute (markdown)."""
    if isinstance(exc, cm.Overflow):
        where = f"balance after {_years(exc.years)}" if exc.what == "balance" else "comparison"
        why = (
            f"The {where} overflows: more than {big_money(cm.MAX_BALANCE)}, beyond anything a computer (or an "
            "economy) can represent meaningfully. Lower the rate, the years or the amounts."
        )
    else:
        why = str(exc)
    return plain(why, None)


# --- when to sell -------------------------------------------------------------------------------


def sale_metrics(s: cm.SaleResult) -> list[tuple[str, str, str | None]]:
    """The best time to sell and the present value then (no metrics without a best time).

    >>> [m[:2] for m in sale_metrics(cm.sell(10_000, 0.5, 5.0))]
    [('Best time to sell', '25.0 years'), ('Present value then', '$34,903.43')]
    """
    if s.report is None:
        return []
    r = s.report
    closed = r.closed_form
    formula = f"(g / 2r)² = {num(closed, 4)} years" if math.isfinite(closed) else "(g / 2r)² is beyond any horizon"
    return [
        ("Best time to sell", num(r.optimum.x, 1, "years"), formula),
        ("Present value then", big_money(r.present_value), "The sale, discounted at the bank's rate"),
    ]


def sale_notes(s: cm.SaleResult) -> tuple[str, str]:
    """(info, warning) of the section: no best time, no principal; the search's end. "" for none."""
    if s.status is cm.Sale.NEVER:
        return "With a rate of 0% or less, waiting never costs anything: there is no best time to sell.", ""
    info = ""
    if s.principal == 0:
        info = (
            "With no principal there is nothing to sell, so its present value is $0. The best time, (g/2r)², "
            f"does not depend on the amount: each $1 the asset is worth today is worth {big_money(s.report.per_dollar)} "
            "in today's money if sold then."
        )
    warning = ""
    if s.status is cm.Sale.BEYOND:
        warning = f"The best time is beyond {num(cm.MAX_SELL_YEARS, 0, 'years')}: the search stops there."
    return info, warning


def sale_chart(s: cm.SaleResult) -> dict:
    """Keyword arguments of the growth-rates chart (the page adds the data and the marker)."""
    return {
        "x": "year",
        "y": "rate",
        "series": "line",
        "x_title": "Years held",
        "y_title": "Growth rate (% per year)",
        "x_format": ",.0f",
        "y_format": ",.1f",
        "log_y": True,
        "dashed": ("alternative r",),
    }


def sale_marker(s: cm.SaleResult) -> str:
    return f"sell at {num(s.report.optimum.x, 1)} years"


def sensitivity_gap(s: cm.SaleResult) -> str:
    """Why "What moves the optimum" is not shown although there is a best time, or ""."""
    if s.report is None or s.problem is not None:
        return ""
    return (
        f"What moves the best time to sell: at {general(s.rate, 3)}% the best time to sell is far beyond "
        f"{num(cm.MAX_SELL_YEARS, 0)} years; the sensitivity needs a rate of at least "
        f"{general(cm.MIN_SENSITIVITY_RATE, 3)}%."
    )


def sensitivity_axis(s: cm.SaleResult) -> str:
    return "Best time to sell (years)"
