"""Every word of the "Price and advertising" page (``/price-ads``), written from an
:class:`optimizers.price_ads.PriceAdsResult` (numbers and statuses).

Numbers go through :mod:`explain.format` (and :func:`amount`, built on it, for the sensitivity
table's per-unit effects). Functions whose text the page draws as markdown escape every ``$``
(:func:`_md`), so that two amounts never read as the ends of a formula; chart titles do not.

Examples
--------
The defaults: the headphone shop sells 550 pairs a week at $75 with $1,000 of ads.

>>> from optimizers import price_ads as pa
>>> r = pa.analyse()
>>> [m[:2] for m in metrics(r)]
[('Optimal price', '$40.00'), ('Optimal ad spend', '$4,494'), ('Maximum profit', '$40,449'), ('Ad spend / revenue', '5.0%')]
>>> print(advice(r)[1].replace(chr(92), ""))
**Lower your price toward $40.00 and raise your ad spend toward $4,494 a week.** Your plan ($75.00 with $1,000 of ads a week) makes $29,250 a week; the best plan makes $40,449 a week, $11,199 more.
>>> print(hessian_text(r))
At the best plan the Hessian of weekly profit has eigenvalues −56.18 and −0.0002003, both negative: a maximum (the second-derivative test).
"""

from __future__ import annotations

import math

import pandas as pd

from explain import format as fm
from explain.common import share_cell
from explain.format import DASH, count, general, minus, money, num, percent, signed
from optimizers import multivariate as mv
from optimizers import price_ads as pa

__all__ = [
    "CSV_FILE",
    "DOWNLOAD_LABEL",
    "EXACT_TOGGLE",
    "HEADING",
    "INPUT_LABELS",
    "SCALE_LABEL",
    "SLIDERS",
    "STORY",
    "TITLE",
    "advice",
    "amount",
    "contour",
    "headline",
    "hessian_text",
    "marks",
    "metrics",
    "path_text",
    "reading",
    "rules",
    "scale_caption",
    "sensitivity_table",
    "sensitivity_text",
    "slice_markers",
    "slices",
]

TITLE = "Price and advertising"
STORY = (
    "Your headphone shop again, now choosing two things at once: the **price** and the **weekly ad "
    "budget**. Customers come for a lower price and for more ads, each with diminishing returns: "
    "customers per week = scale · price^(−e) · ads^γ, and weekly profit = (price − unit cost) · customers "
    "− ads − fixed costs. The best plan is where profit stops rising in **both** directions: both partial "
    "derivatives are zero."
)
#: Each slider's label, format and help, by URL key.
SLIDERS = {
    "unit_cost": ("Unit cost ($)", "$%.0f", "What one more pair costs you."),
    "price_elasticity": ("Price elasticity (e)", "%.2f", "1% on the price loses e% of customers (more than 1)."),
    "ad_elasticity": ("Ad elasticity (γ)", "%.2f", "1% more ad budget brings γ% more customers (between 0 and 1)."),
    "fixed_cost": ("Fixed costs ($ per week)", "$%.0f", "Rent and salaries: they lower every plan's profit alike."),
    "price": ("Your current price ($)", "$%.2f", None),
    "ad_spend": ("Your weekly ad spend ($)", "$%.0f", None),
}
SCALE_LABEL = ("Demand scale", "%.0f", "Customers per week at a $1 price with $1 a week of ads.")
#: The inputs' names in the sensitivity table, by URL key.
INPUT_LABELS = {
    "unit_cost": "unit cost",
    "price_elasticity": "price elasticity",
    "ad_elasticity": "ad elasticity",
    "scale": "demand scale",
    "fixed_cost": "fixed costs",
}
_COORDINATE = {"price": "price", "ad_spend": "ad spend"}
HEADING = "What moves the optimum"
EXACT_TOGGLE = "Show the exact numbers"
DOWNLOAD_LABEL = "Download sensitivity (CSV)"
CSV_FILE = "price-ads_sensitivity.csv"


def dollars(v: float) -> str:
    """An ad budget: whole dollars, as the slider shows it, and cents or significant digits below
    $9.50, so a small best budget never reads "$0" (e = 5 at $300 with $20,000 of ads: $0.06).

    >>> dollars(4494.29), dollars(0.0599), dollars(0.0000171)
    ('$4,494', '$0.06', '$0.000017')
    """
    return money(v, 0) if abs(v) >= 9.5 else fm.amount(v)


def _md(text: str) -> str:
    """Markdown that shows every ``$`` as a dollar sign (Streamlit reads $…$ as math)."""
    return text.replace("$", r"\$")


def _value(key: str, v: float) -> str:
    """An input's value as the sliders show it."""
    if key in ("unit_cost", "fixed_cost"):
        return money(v, 0)
    if key == "scale":
        return count(v)
    return num(v, 2)


def scale_caption(price_elasticity: float, ad_elasticity: float, scale: float) -> str:
    """What the scale means in the shop's terms, at the page's reference plan.

    >>> print(scale_caption(2.0, 0.1, pa.DEFAULT_SCALE).replace(chr(92), ""))
    At $75 with $1,000 of ads a week, this scale sells 550 pairs a week.
    """
    _, price, ads = pa.REFERENCE
    q = float(pa.customers(price, ads, price_elasticity, ad_elasticity, scale))
    return _md(f"At {money(price, 0)} with {dollars(ads)} of ads a week, this scale sells {count(q)} pairs a week.")


def metrics(r: pa.PriceAdsResult) -> list[tuple[str, str, str | None]]:
    """(label, value, help) of the four metrics."""
    return [
        ("Optimal price", money(r.optimal_price), "The price of the best plan: c·e/(e − 1), whatever the ads."),
        ("Optimal ad spend", dollars(r.optimal_ad_spend), "The weekly ad budget of the best plan."),
        ("Maximum profit", money(r.optimal_profit, 0), "Weekly profit of the best plan, after ads and fixed costs."),
        (
            "Ad spend / revenue",
            percent(r.ad_to_revenue),
            (
                f"At the best plan: equal to γ/e = {num(r.ad_elasticity, 2)} / {num(r.price_elasticity, 2)} "
                "(the Dorfman–Steiner rule)."
            ),
        ),
    ]


def _move(move: pa.Move, what: str, best: str) -> str:
    return {
        pa.Move.RAISE: f"raise your {what} toward {best}",
        pa.Move.LOWER: f"lower your {what} toward {best}",
        pa.Move.KEEP: f"keep your {what} (within {percent(pa.KEEP_RTOL)} of the best, {best})",
    }[move]


def advice(r: pa.PriceAdsResult) -> tuple[str, str]:
    """(kind, markdown): what to do with the current plan ("success" when it is already the
    best, else "info"), with both plans' weekly profit."""
    best_price, best_ads = money(r.optimal_price), f"{dollars(r.optimal_ad_spend)} a week"
    plan = f"({money(r.price)} with {dollars(r.ad_spend)} of ads a week)"
    if r.price_move is pa.Move.KEEP and r.ad_move is pa.Move.KEEP:
        head = f"**Your plan {plan} is already the best one**, within {percent(pa.KEEP_RTOL)} on both."
        return "success", _md(f"{head} {_profit_words(r.optimal_profit, 'It')}.")
    todo = f"{_move(r.price_move, 'price', best_price)} and {_move(r.ad_move, 'ad spend', best_ads)}"
    gain = r.optimal_profit - r.current_profit
    more = f", {money(gain, 0)} more" if round(gain) > 0 else ""
    text = (
        f"**{todo[0].upper()}{todo[1:]}.** Your plan {plan} {_profit_words(r.current_profit, '')}; "
        f"the best plan {_profit_words(r.optimal_profit, '')}{more}."
    )
    return "info", _md(text.replace("  ", " ").replace(" ;", ";"))


def _profit_words(v: float, subject: str) -> str:
    """'makes $X a week' or 'loses $X a week' (after a subject, if any)."""
    verb = "loses" if round(v) < 0 else "makes"
    return f"{subject} {verb} {money(abs(v), 0)} a week".strip()


def rules(r: pa.PriceAdsResult) -> str:
    """The two rules the best plan obeys, with the numbers.

    >>> print(rules(pa.analyse()).replace(chr(92), ""))
    The best price, $40.00, is the markup rule of the Pricing page, unit cost × e/(e − 1) with e = 2.00: it does not depend on the ads, which bring customers at every price alike. At the best plan ads take 5.0% of revenue ($4,494 of $89,886 a week), which is the ad elasticity divided by the price elasticity, 0.10 / 2.00: the Dorfman–Steiner rule.
    """
    text = (
        f"The best price, {money(r.optimal_price)}, is the markup rule of the Pricing page, unit cost × e/(e − 1) "
        f"with e = {num(r.price_elasticity, 2)}: it does not depend on the ads, which bring customers at every "
        f"price alike. At the best plan ads take {percent(r.ad_to_revenue)} of revenue "
        f"({dollars(r.optimal_ad_spend)} of {money(r.optimal_revenue, 0)} a week), which is the ad elasticity "
        f"divided by the price elasticity, {num(r.ad_elasticity, 2)} / {num(r.price_elasticity, 2)}: the "
        "Dorfman–Steiner rule."
    )
    if r.optimal_profit < 0:
        text += (
            f" Even the best plan loses {money(-r.optimal_profit, 0)} a week: the fixed costs are more than the "
            "best plan's profit before them."
        )
    return _md(text)


def hessian_text(r: pa.PriceAdsResult) -> str:
    """The second-derivative test at the best plan, in words."""
    lo, hi = r.eigenvalues
    eig = f"eigenvalues {general(lo, 4)} and {general(hi, 4)}"
    verdict = {
        mv.Kind.MAXIMUM: "both negative: a maximum (the second-derivative test)",
        mv.Kind.MINIMUM: "both positive: a minimum",
        mv.Kind.SADDLE: "one negative and one positive: a saddle",
    }.get(r.kind, "one of them zero to within rounding: the second-derivative test is silent")
    return f"At the best plan the Hessian of weekly profit has {eig}, {verdict}."


def path_text(r: pa.PriceAdsResult) -> str:
    """Where gradient ascent from the current plan goes. It "reaches the best plan" only when it
    ends within KEEP_RTOL of it in both coordinates (a climb can also stall on a plateau where
    almost nobody buys, and the engine then calls its tiny steps converged).

    >>> print(path_text(pa.analyse()))
    Gradient ascent from your plan (orange), in steps of percentages of price and ad budget, reaches the best plan after 19 steps.
    """
    p = r.path
    end = f"{money(p.x)} with {dollars(p.y)} of ads"
    steps = f"{p.steps:,} step{'s' if p.steps != 1 else ''}"
    lead = "Gradient ascent from your plan (orange), in steps of percentages of price and ad budget,"
    arrived = all(abs(a - b) <= pa.KEEP_RTOL * abs(b) for a, b in ((p.x, r.optimal_price), (p.y, r.optimal_ad_spend)))
    if arrived and p.steps == 0:
        return f"{lead} does not move: your plan is already the best one."
    if arrived:
        return f"{lead} reaches the best plan after {steps}."
    if p.status is mv.PathStatus.MAX_STEPS:
        return f"{lead} is still climbing after {steps}, the most it may take, at {end}."
    if p.status is mv.PathStatus.LEFT_BOX:
        return f"{lead} reaches the edge of the map after {steps} at {end}, short of the best plan: profit still rises outward there."
    return (
        f"{lead} stops after {steps} at {end}, short of the best plan: there its steps change profit by almost "
        "nothing compared with the range of the map (a plateau)."
    )


def contour(r: pa.PriceAdsResult) -> dict:
    """The profit map's titles, formats and colour range (keyword arguments of
    ``ui.charts2d.surface_map``): profit below the map's median is drawn in the lowest colour,
    so that the colours resolve the hill around the best plan."""
    values = r.grid["value"].dropna()
    return {
        "shade_range": (float(values.median()), float(values.max())),
        "x_title": "Price ($)",
        "y_title": "Weekly ad spend ($)",
        "value_title": "Weekly profit ($)",
        "title": "Weekly profit",
        "subtitle": "over price and ad spend, and the climb from your plan",
        "height": 420,
        "x_format": "$,.4~g",
        "y_format": "$,.4~g",
        "value_format": "$,.4~s",
    }


def marks(r: pa.PriceAdsResult) -> list[tuple[float, float, str, str]]:
    """(x, y, role, tooltip) of the best plan and of yours."""
    return [
        (r.optimal_price, r.optimal_ad_spend, "optimum", f"best: {money(r.optimal_profit, 0)} a week"),
        (r.price, r.ad_spend, "start", f"your plan: {money(r.current_profit, 0)} a week"),
    ]


def slices(r: pa.PriceAdsResult) -> tuple[dict, dict]:
    """Keyword arguments of ``ui.charts.objective_chart`` for the two slices through the best
    plan (profit against price at the best ad spend, and against ad spend at the best price),
    without the markers, which the page adds (``marker`` gives them)."""
    # The titles name the held input, not its value: a title that changes with the inputs makes a
    # new chart spec (rebuilt by Altair, ~0.4 s, and recompiled by Vega) on every step; the values
    # are the other slice's "best" marker and the page's answer (docs/performance.md, issue 23).
    price = {
        "x_title": "Price ($)",
        "y_title": "Weekly profit at the best ad spend ($)",
        "marginal_title": "Marginal profit ($ per $1 of price)",
        "x_format": "$,.4~g",  # "$110", not "$110.00": two characters less past the last tick on a phone
        "y_format": "$,.0f",
        "d_format": "$,.0f",
        "height": 220,
        "marginal_height": 150,
    }
    ads = {
        "x_title": "Weekly ad spend ($)",
        "y_title": "Weekly profit at the best price ($)",
        "marginal_title": "Marginal profit ($ per $1 of ads)",
        "x_format": "$,.0f",
        "y_format": "$,.0f",
        "d_format": "$,.2f",
        "height": 220,
        "marginal_height": 150,
    }
    return price, ads


def slice_markers(r: pa.PriceAdsResult) -> tuple[tuple[float, float, str], tuple[float, float, str]]:
    """(x, y, label) of the best plan on each slice."""
    return (
        (r.optimal_price, r.optimal_profit, f"best {money(r.optimal_price)}"),
        (r.optimal_ad_spend, r.optimal_profit, f"best {dollars(r.optimal_ad_spend)}"),
    )


# --- what moves the optimum -------------------------------------------------------------------


def amount(v: float) -> str:
    """A per-unit effect: signed, 4 significant digits, thousands separators, never '−0'.

    >>> amount(-2247.146), amount(2.0), amount(0.0032214), amount(0.0), amount(-1.2e-7), amount(float("nan"))
    ('−2,247', '+2', '+0.003221', '0', '−1.200e−07', '—')
    """
    if not (isinstance(v, int | float) and math.isfinite(v)):
        return DASH
    if v == 0:
        return "0"
    if abs(v) >= 1e15 or abs(v) < 1e-6:
        return ("+" if v > 0 else "") + minus(f"{v:.3e}")
    if abs(v) >= 1000:
        return signed(v, 0)
    return ("+" if v > 0 else "") + general(v, 4)


def headline(r: pa.PriceAdsResult) -> str:
    """Which input moves which part of the best plan most, by elasticity (unit-free).

    >>> headline(pa.analyse())
    'Your best ad spend is most sensitive to price elasticity: 1% more price elasticity moves it −8.20%.'
    """
    rows = [s for s in r.sensitivity.rows if math.isfinite(s.optimum_elasticity) and s.optimum_elasticity != 0]
    if not rows:
        return "No input moves the best plan at these settings."
    top = max(rows, key=lambda s: abs(s.optimum_elasticity))
    name = INPUT_LABELS[top.parameter]
    return (
        f"Your best {_COORDINATE[top.coordinate]} is most sensitive to {name}: 1% more {name} moves it "
        f"{signed(top.optimum_elasticity, 2)}%."
    )


def reading() -> str:
    """How to read a row."""
    return (
        "Each row: if this input rises by one unit, how far the best price or ad spend moves (implicit "
        "function theorem, −H⁻¹·∂∇profit/∂θ) and how much the best profit changes (envelope theorem, "
        "∂profit/∂θ at the best plan). Fixed costs move no decision."
    )


def sensitivity_table(r: pa.PriceAdsResult) -> pd.DataFrame:
    """The rounded table as text, one row per (input, part of the plan), as the CSV. The input,
    its value and the part of the plan share the first column, so that four columns fit a phone
    (explain.common.PHONE_COLUMNS; five ran 44 px past a 390 px screen)."""
    rows = [
        {
            "input; best …": share_cell(
                f"{INPUT_LABELS[s.parameter]} = {_value(s.parameter, s.value)}", _COORDINATE[s.coordinate]
            ),
            "moves, per unit": amount(s.optimum_change_per_unit),
            "% per 1% of the input": "0" if s.optimum_elasticity == 0 else signed(s.optimum_elasticity, 3),
            "best profit moves, per unit": amount(s.best_change_per_unit),
        }
        for s in r.sensitivity.rows
    ]
    return pd.DataFrame(rows)


def sensitivity_text(r: pa.PriceAdsResult) -> str:
    """The section's heading, reading and headline as one markdown string."""
    return f"### {HEADING}\n\n{headline(r)} {reading()}"
