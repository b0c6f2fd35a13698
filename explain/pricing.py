"""Every word the Pricing page shows, written from an :class:`optimizers.pricing.PricingResult`.

Where does "Raise your price toward $75.00" come from? From :func:`advice`, here:

>>> from optimizers import pricing as pr
>>> r = pr.analyse(pr.linear_demand(1300, 10), 20, 50)  # the tutorial's store, your price $50
>>> print(advice_text(r))
Raise your price toward $75.00: marginal profit at $50.00 is +$500 per $1, and profit rises by $6,250 when you get there.

Functions named after a sentence (:func:`advice`, :func:`break_even_text`, ...) return plain
text; :func:`answer`, :func:`metrics` and the other page-facing functions return what the page
draws: markdown with every ``$`` and every visitor-typed character escaped
(:func:`explain.format.plain`), so nothing renders as math or as a link. Every number goes
through :mod:`explain.format`; the only formats added here are :func:`usd` (dollars without
scientific notation, however large), :func:`amount` and :func:`change` (dollar amounts that
may be tiny) and :func:`number` (significant digits without scientific notation).
"""

from __future__ import annotations

import math

import pandas as pd

from explain.common import Box, Metric
from explain.format import (
    DASH,
    NAMED_FROM,
    amount,
    change,
    count,
    num,
    number,
    percent,
    plain,
)
from explain.format import literal as _md
from explain.format import money_words as usd
from explain.format import shown as _shown  # noqa: F401 - the doctests read what a visitor sees
from optimizers import goalseek as gs
from optimizers import pricing as pr
from optimizers import uncertainty as un

__all__ = [
    "CHART",
    "DATA_INTRO",
    "DATA_WHAT",
    "FIT_CHART",
    "FIT_LABEL",
    "MODEL_HELP",
    "MODEL_LABEL",
    "SENSITIVITY",
    "SLIDERS",
    "STORY",
    "TABLE_COLUMNS",
    "TABLE_TITLE",
    "TARGET",
    "TITLE",
    "UPLOAD_HELP",
    "Box",
    "Metric",
    "advice",
    "advice_box",
    "advice_text",
    "amount",
    "answer",
    "break_even_text",
    "change",
    "curvature_text",
    "customers",
    "demand_formula",
    "elasticity_caption",
    "fit_curves",
    "fit_problem",
    "fit_warnings",
    "goal_marks",
    "interval_boxes",
    "interval_metric",
    "kink_note",
    "lerner_text",
    "loses_everywhere",
    "loss_text",
    "markers",
    "metrics",
    "no_optimum_text",
    "no_sensitivity",
    "number",
    "plus_one_text",
    "table_error",
    "target_text",
    "usd",
]


# --- this page's counts (money and numbers are explain.format's) -------------------------


def customers(value: float) -> str:
    """A number of customers: a count, with a scale word from a billion.

    >>> customers(550), customers(8e14)
    ('550', '800 trillion')
    """
    return count(value) if abs(value) < NAMED_FROM else number(value, 3)


def _elasticity(e: float) -> str:
    """An elasticity in two decimals, with more where two would read as exactly 1."""
    if e == 1 or round(e, 2) != 1:
        return num(e, 2)
    return num(e, 1 - math.floor(math.log10(abs(e - 1))))


# --- the page's fixed words ---------------------------------------------------------------------

TITLE = "What price should you charge?"
STORY = _md(
    "You just launched an online store selling wireless headphones. Every $1 on the price earns more on "
    "each pair but loses some customers."
) + (
    " **Marginal profit** — "
    + _md("how much profit changes per $1 of price — tells you which way to move; the best price is where it is zero.")
)
MODEL_LABEL = "Demand model"
MODEL_HELP = (
    "linear: customers = a − b·price. elasticity: customers = A·price^−e. "
    "data: fit either curve to your own weekly price tests."
)
_FIXED_HELP = (
    "Rent, salaries, software: costs that do not depend on sales. They lower every profit equally: "
    "they move the break-even prices, not the best price."
)
#: Each slider's (label, format, help), by its URL key.
SLIDERS = {
    "unit_cost": ("Unit cost ($)", "$%.0f", None),
    "fixed_cost": ("Fixed costs ($ per week)", "$%.0f", _FIXED_HELP),
    "price": ("Your current price ($)", "$%.2f", None),
    "demand_intercept": ("Customers at $0 (a)", "%.0f", None),
    "demand_slope": ("Customers lost per $1 (b)", "%.1f", None),
    "elasticity": ("Price elasticity (e)", "%.2f", None),
}
#: The "Reach a target" input's (label, format, help); its range is optimizers.pricing.TARGET_INPUT.
TARGET = (
    "Reach a target profit ($ a week)",
    "%.0f",
    (
        "The page finds every price at which weekly profit (after fixed costs) equals this amount; a loss is "
        "negative. $0 is the break-even prices, which the page always shows."
    ),
)
FIT_LABEL = "Optimise with the fit"
DATA_INTRO = "**Your weekly price tests**: the `price` you charged and the `units` sold."
DATA_WHAT = "weekly (price, units)"
UPLOAD_HELP = "Columns `price` and `units`; at most 5 MB."
#: Titles and formats of the profit-and-marginal chart (ui.charts.objective_chart).
CHART = {
    "x_title": "Price ($)",
    "y_title": "Weekly profit ($)",
    "marginal_title": "Marginal profit ($ per $1)",
    "x_format": "$,.0f",
    "y_format": "$,.0f",
    "d_format": "$,.0f",
}
#: Titles and formats of the data-and-fits chart (ui.charts.fit_chart).
FIT_CHART = {
    "x": "price",
    "y": "units",
    "x_title": "Price ($)",
    "y_title": "Units sold per week",
    "x_format": "$,.0f",
    "y_format": ",.0f",
}
#: The "What moves the optimum" section's axis (ui.sensitivity.section).
SENSITIVITY = {"x_title": "Best price ($)", "x_format": "$,.2f"}
_NO_SENSITIVITY = (
    "What moves the optimum is not shown: the best price sits too close to where the model changes "
    "(demand running out, or an elasticity near 1) for a small change of an input to keep it interior."
)
TABLE_TITLE = "Profit over a price grid"
#: st.column_config.NumberColumn arguments of each column of pricing.csv, as the page shows them.
TABLE_COLUMNS = {
    "price": {"label": "price ($)", "format": "dollar"},
    "customers": {"label": "customers / week", "format": "localized", "step": 1},
    "revenue": {"label": "revenue ($)", "format": "dollar"},
    "cost": {"label": "cost incl. fixed ($)", "format": "dollar"},
    "profit": {"label": "profit ($)", "format": "dollar"},
    "marginal_profit": {"label": "marginal profit ($ per $1)", "format": "dollar"},
}


# --- the inputs ---------------------------------------------------------------------------------


def demand_formula(model: pr.DemandModel) -> str:
    """The demand curve in words and numbers.

    >>> demand_formula(pr.linear_demand(1300, 10)), demand_formula(pr.elasticity_like_linear(2, 1300, 10))
    ('customers = 1,300 − 10 × price', 'customers = 2,746,000 × price^−2')
    """
    if model.kind == "linear":
        return f"customers = {number(model.a)} − {number(model.b)} × price"
    return f"customers = {number(model.scale)} × price^−{number(model.elasticity, 3)}"


def elasticity_caption(model: pr.DemandModel) -> str:
    """The caption under the elasticity slider (markdown).

    >>> print(_shown(elasticity_caption(pr.elasticity_like_linear(2, 1300, 10))))
    customers = 2,746,000 × price^−2: a 1% higher price loses 2.00% of customers; scaled to meet the line at $65.00.
    """
    a, b = model.line
    return _md(
        f"{demand_formula(model)}: a 1% higher price loses {_elasticity(model.elasticity)}% of customers; "
        f"scaled to meet the line at {usd(a / (2 * b))}."
    )


def fit_problem(name: str, failure: pr.FitFailure) -> str:
    """Why one fit cannot be used, in the visitor's terms.

    >>> print(fit_problem("elasticity", pr.FitFailure(pr.FitProblem.ZERO_UNITS)))
    The elasticity fit works in logarithms, so every week needs units > 0.
    """
    v, problem = failure.value, failure.problem
    if problem is pr.FitProblem.NOT_FALLING:
        trend = "more is sold at higher prices" if v > 0 else "units sold do not change with price"
        slope = ("+" if v > 0 else "") + number(v, 3)
        if name == "linear":
            return (
                f"In this data {trend} (slope {slope} units per $1), so a falling demand line does not fit: "
                "no best price can be derived."
            )
        return f"In this data {trend} (log-log slope {slope}): a constant-elasticity demand curve does not fit."
    if problem is pr.FitProblem.NO_CUSTOMERS_AT_ZERO:
        return f"The fitted line sells {number(v, 3)} units at $0; it cannot be used."
    if problem is pr.FitProblem.ZERO_UNITS:
        return "The elasticity fit works in logarithms, so every week needs units > 0."
    if problem is pr.FitProblem.TOO_ELASTIC:
        return (
            f"The fitted elasticity is {number(v, 3)}: a 1% higher price would lose {number(v, 3)}% of customers. "
            f"That is no demand curve to price with (this page accepts up to {number(pr.MAX_FIT_ELASTICITY)})."
        )
    return "The fitted curve's numbers are too large to compute with."


def fit_warnings(fits: pr.SalesFits) -> list[str]:
    """One warning (markdown) per fit that cannot be used, line first.

    >>> table = pd.DataFrame({"price": [40, 80, 120, 130], "units": [900, 500, 100, 0]})
    >>> print(_shown(fit_warnings(pr.fit_sales(table))[0]))
    Elasticity fit: The elasticity fit works in logarithms, so every week needs units > 0.
    """
    out = []
    for name in pr.FITS:
        failure = getattr(fits, f"{name}_failure")
        if failure is not None:
            out.append(_md(f"{name.capitalize()} fit: {fit_problem(name, failure)}"))
    return out


def table_error(source: str, message: str) -> str:
    """The error (markdown) when a sales table cannot be fitted at all; ``source`` and
    ``message`` may quote what the visitor typed, so all of it is shown literally.

    >>> print(_shown(table_error("“sales.csv”", "Row 2: price must be a number, got '[x](y)'.")))
    Cannot fit “sales.csv”: Row 2: price must be a number, got '[x](y)'.
    """
    return plain(f"Cannot fit {source}: {message}", max_chars=600)


def fit_curves(fits: pr.SalesFits) -> pd.DataFrame:
    """The fitted curves for the chart, each named by its formula and R² (the legend).

    >>> fit_curves(pr.fit_sales(pr.EXAMPLE_SALES))["fit"].iloc[0]
    'customers = 1,303 − 10.04 × price (R² 0.994)'
    """
    curves = fits.curves()
    labels = {
        name: f"{demand_formula(getattr(fits, name).model)} (R² {num(getattr(fits, name).r2, 3)})"
        for name in fits.usable()
    }
    return curves.assign(fit=curves["fit"].map(labels))


# --- the answer ---------------------------------------------------------------------------------


def _profit_if_nobody_buys(r: pr.PricingResult) -> str:
    if r.fixed_cost > 0:
        return f"you lose your fixed costs, {usd(r.fixed_cost, 0)} a week, whatever you charge"
    return "profit is $0 whatever you charge"


def _gain_clause(r: pr.PricingResult) -> str:
    gain = r.gain_to_optimum
    if gain == 0:
        return "profit changes by less than a computer can tell when you get there"
    if r.optimum.fun < 0:
        return f"you lose {amount(gain)} less a week when you get there"
    return f"profit rises by {amount(gain)} when you get there"


def advice(r: pr.PricingResult) -> tuple[str, str]:
    """(what to do, why) about your price, or ("", "") when no price is best.

    >>> print(*advice(pr.analyse(pr.linear_demand(1300, 10), 20, 200)))  # doctest: +NORMALIZE_WHITESPACE
    Lower your price toward $75.00: nobody buys at $200.00, so a small change does nothing,
    and profit rises by $30,250 when you get there.
    >>> advice(pr.analyse(pr.linear_demand(1300, 10), 20, 75))
    ('Keep your price.', '$75.00 is the optimum: marginal profit is zero.')
    """
    if r.advice is None:
        return "", ""
    p, opt = r.price, r.optimum
    if r.advice is pr.Advice.KEEP:
        if r.marginal_at_price == 0:
            return "Keep your price.", f"{usd(p)} is the optimum: marginal profit is zero."
        return "Keep your price.", (
            f"{usd(p)} is the optimum to the cent: marginal profit there is only {change(r.marginal_at_price)} per $1."
        )
    toward = f"toward {usd(opt.x)}"
    if r.advice is pr.Advice.LOWER_FROM_NO_SALES:
        return (
            "Lower your price",
            f"{toward}: nobody buys at {usd(p)}, so a small change does nothing, and {_gain_clause(r)}.",
        )
    verb = "Raise" if r.advice is pr.Advice.RAISE else "Lower"
    return f"{verb} your price", (
        f"{toward}: marginal profit at {usd(p)} is {change(r.marginal_at_price)} per $1, and {_gain_clause(r)}."
    )


def advice_text(r: pr.PricingResult) -> str:
    """:func:`advice` as one sentence ("" when no price is best).

    >>> advice_text(pr.analyse(pr.linear_demand(1300, 10), 150, 50))
    ''
    """
    return " ".join(advice(r)).strip()


def loses_everywhere(r: pr.PricingResult) -> bool:
    """Does the store lose money at every price? (The best profit, or the level profit
    approaches but never reaches, is below zero or reaches only zero.)

    >>> line = pr.linear_demand(1300, 10)
    >>> loses_everywhere(pr.analyse(line, 20, 50, 40_000)), loses_everywhere(pr.analyse(line, 20, 50, 30_250))
    (True, False)
    """
    if r.optimum is not None:
        return r.optimum.fun < 0
    if r.no_optimum is pr.NoOptimum.COST_ABOVE_CHOKE:
        return r.fixed_cost > 0  # at best −F, by selling nothing
    if r.no_optimum is pr.NoOptimum.UNIT_ELASTIC:
        return r.model.scale - r.fixed_cost <= 0  # profit rises toward A − F, never reaching it
    if r.no_optimum is pr.NoOptimum.FLAT:
        return r.model.scale - r.fixed_cost < 0
    return False  # profit grows without bound


def loss_text(r: pr.PricingResult) -> str:
    """How much the store loses at best, when it loses at every price ("" otherwise).

    >>> loss_text(pr.analyse(pr.linear_demand(1300, 10), 20, 50, 40_000))
    'You lose money at every price: at best, at $75.00, you lose $9,750 a week.'
    """
    if not loses_everywhere(r):
        return ""
    head = "You lose money at every price: "
    if r.optimum is not None:
        return head + f"at best, at {usd(r.optimum.x)}, you lose {amount(-r.optimum.fun)} a week."
    if r.no_optimum is pr.NoOptimum.COST_ABOVE_CHOKE:
        return head + f"at best your fixed costs, {usd(r.fixed_cost, 0)} a week, by selling nothing."
    level = r.model.scale - r.fixed_cost
    if r.no_optimum is pr.NoOptimum.FLAT:
        return head + f"{amount(-level)} a week, whatever you charge."
    if level == 0:
        return head + "the loss shrinks toward $0 as the price rises, but never reaches it."
    return head + f"more than {amount(-level)} a week, however high the price."


def no_optimum_text(r: pr.PricingResult) -> str:
    """Why no finite price is best ("" when one is).

    >>> print(no_optimum_text(pr.analyse(pr.elasticity_like_linear(0.8, 1300, 10), 20, 50)))
    ... # doctest: +NORMALIZE_WHITESPACE
    With elasticity 0.80 < 1, demand is inelastic: a 1% higher price loses only 0.80% of customers,
    so revenue rises with price, while costs fall as fewer units sell. Profit keeps growing as the
    price rises and no finite price maximises it. Real demand becomes elastic at some price:
    test higher prices to find where.
    """
    why, c, m = r.no_optimum, r.unit_cost, r.model
    if why is None:
        return ""
    if why is pr.NoOptimum.COST_ABOVE_CHOKE:
        text = (
            f"Your unit cost ({usd(c)}) is at or above {usd(r.choke_price)}, the price at which demand reaches "
            "zero: every sale loses money, so no price makes a profit."
        )
    elif why is pr.NoOptimum.FREE_ELASTIC:
        text = (
            f"With a unit cost of $0 and elastic demand (e = {_elasticity(m.elasticity)} > 1), profit keeps growing "
            "as the price falls toward $0: no price is best. Set your unit cost to find one."
        )
    elif why is pr.NoOptimum.INELASTIC:
        e = _elasticity(m.elasticity)
        costs = ", while costs fall as fewer units sell" if c > 0 else ""
        text = (
            f"With elasticity {e} < 1, demand is inelastic: a 1% higher price loses only {e}% of customers, so "
            f"revenue rises with price{costs}. Profit keeps growing as the price rises and no finite price "
            "maximises it. Real demand becomes elastic at some price: test higher prices to find where."
        )
    elif why is pr.NoOptimum.UNIT_ELASTIC:
        text = (
            "With elasticity 1, revenue is the same at every price (a 1% higher price loses 1% of customers) "
            "while costs fall as fewer units sell: profit keeps rising with the price toward "
            f"{usd(m.scale - r.fixed_cost, 0)} a week and never reaches it, so no finite price maximises it."
        )
    else:
        text = (
            f"With elasticity 1 and a unit cost of $0, revenue is {usd(m.scale, 0)} a week at every price, so "
            f"profit is the same at every price ({usd(m.scale - r.fixed_cost, 0)} a week): no price is better "
            "than another."
        )
    loss = loss_text(r)
    return f"{text} {loss}" if loss else text


def _two(a: float, b: float) -> tuple[str, str]:
    """Two dollar amounts in whole dollars, or in cents where whole dollars would read the same."""
    whole = usd(a, 0), usd(b, 0)
    return whole if whole[0] != whole[1] else (usd(a), usd(b))


def break_even_text(r: pr.PricingResult) -> str:
    """One true sentence about where profit is above zero.

    >>> break_even_text(pr.analyse(pr.linear_demand(1300, 10), 20, 50, 20_250))
    'Break-even prices: $43.38 and $106.62. Profit is above zero only between them.'
    >>> print(break_even_text(pr.analyse(pr.linear_demand(1300, 10), 20, 50, 40_000)))
    ... # doctest: +NORMALIZE_WHITESPACE
    No price breaks even: the most the store earns before fixed costs is $30,250 a week,
    less than your fixed costs of $40,000.
    """
    kind, prices, k = r.break_even_kind, [usd(p) for p in r.break_even], pr.BreakEven
    if kind is k.TWO:
        return f"Break-even prices: {prices[0]} and {prices[1]}. Profit is above zero only between them."
    if kind is k.TWO_UP_TO_CHOKE:
        return (
            f"Break-even prices: {prices[0]} and {prices[1]}. Profit is above zero between them; "
            f"from {prices[1]} up nobody buys and profit is $0."
        )
    if kind is k.NONE_LOSS:
        earns, fixed = _two(r.operating_profit, r.fixed_cost)
        return (
            f"No price breaks even: the most the store earns before fixed costs is {earns} a week, "
            f"less than your fixed costs of {fixed}."
        )
    if kind is k.NO_PROFIT:
        return "No price makes a profit."
    if kind is k.ALWAYS_PROFIT:
        return "Profit is above zero at every price: there is no break-even price."
    head = f"Break-even price: {prices[0]}"
    if kind is k.AT_OPTIMUM:
        return f"{head}, the best price itself: profit is zero there and below zero elsewhere."
    if kind is k.AT_COST:
        return (
            f"{head}, your unit cost. Profit is above zero at every higher price: customers = A·price^−e "
            "never reaches zero."
        )
    if kind is k.ONLY_BELOW:
        return f"{head}. Profit is above zero only below it."
    if kind is k.EVERY_HIGHER:
        return f"{head}. Profit is above zero at every higher price."
    if kind is k.HIGHER_UP_TO_CAP:
        return (
            f"{head}. Profit is above zero from there up to astronomical prices ({usd(pr.BREAK_EVEN_CAP)}, where "
            "the search stops); with fixed costs it turns negative again somewhere beyond."
        )
    return f"{head}."


def kink_note(r: pr.PricingResult) -> str:
    """What the slope means at or past the price where linear demand reaches zero ("" below it).

    >>> print(kink_note(pr.analyse(pr.linear_demand(1300, 10), 20, 200)))  # doctest: +NORMALIZE_WHITESPACE
    Nobody buys at $200.00: demand reaches zero at $130.00. Above that price profit is $0 whatever
    you charge, so marginal profit is $0 per $1.
    """
    flat = _profit_if_nobody_buys(r)
    if r.demand is pr.Demand.NO_SALES:
        return (
            f"Nobody buys at {usd(r.price)}: demand reaches zero at {usd(r.choke_price)}. Above that price {flat}, "
            "so marginal profit is $0 per $1."
        )
    if r.demand is pr.Demand.ENDS_HERE:
        return (
            f"At {usd(r.price)} demand just reaches zero: profit has a kink here. Just below, it changes by "
            f"{change(r.marginal_at_price)} per $1 (the marginal profit shown); just above, nobody buys and "
            f"{flat}, so the slope there is $0."
        )
    return ""


def plus_one_text(r: pr.PricingResult) -> str:
    """The tutorial's +$1 experiment, and why the change is (or is not) the derivative.

    >>> print(plus_one_text(pr.analyse(pr.linear_demand(1300, 10), 20, 50)))  # doctest: +NORMALIZE_WHITESPACE
    Profit at $50.00: $24,000; at $51.00: $24,490; change +$490. Not +$500, because the derivative
    is the slope at $50.00 and profit bends (−$20 per $1²) over the step: change ≈ f′ + f″/2 = +$490.
    """
    p, d1, d2 = r.price, r.marginal_at_price, r.curvature_at_price
    moved = change(r.plus_one_change)
    head = (
        f"Profit at {usd(p)}: {amount(r.profit_at_price)}; at {usd(p + 1)}: {amount(r.profit_plus_one)}; "
        f"change {moved}."
    )
    if r.step is pr.Step.NO_SALES:
        tail = ": its slope here is $0 per $1." if r.demand is pr.Demand.NO_SALES else "."
        return f"{head} Nobody buys at either price, so profit does not move{tail}"
    if r.step is pr.Step.CROSSES_CHOKE:
        return (
            f"{head} The step crosses {usd(r.choke_price)}, where demand reaches zero and the profit curve has a "
            f"kink, so the slope at {usd(p)} ({change(d1)} per $1) does not predict it."
        )
    if d2 == 0:
        return (
            f"{head} The marginal profit at {usd(p)} is {change(d1)} per $1, and profit does not bend there "
            "(an inflection point, f″ = 0): the slope alone predicts the step, up to how the bend grows over it."
        )
    if change(d1) == moved:
        return (
            f"{head} That is the marginal profit at {usd(p)} ({change(d1)} per $1) as shown: over a $1 step "
            f"profit bends too little to tell them apart ({amount(d2)} per $1²)."
        )
    return (
        f"{head} Not {change(d1)}, because the derivative is the slope at {usd(p)} and profit bends "
        f"({amount(d2)} per $1²) over the step: change ≈ f′ + f″/2 = {change(d1 + d2 / 2)}."
    )


def lerner_text(r: pr.PricingResult) -> str:
    """The Lerner check at the best price ("" without one).

    >>> print(lerner_text(pr.analyse(pr.linear_demand(1300, 10), 20, 50)))  # doctest: +ELLIPSIS
    Lerner check: at the best price the margin (p − c)/p = 73.3% equals 1/ε = 1/1.364 = 73.3%, ...
    """
    m = r.margins
    if m is None:
        return ""
    if r.model.kind == "elasticity":  # ε = e at every price
        e = num(m.elasticity, 2) if round(m.elasticity, 2) == m.elasticity else number(m.elasticity)
        inverse = f"1/e = 1/{e}"
    else:
        inverse = f"1/ε = 1/{number(m.elasticity)}"
    margin = percent(m.margin)
    # equal at an interior optimum: shown once, so a tie like 31.25% never reads 31.2% = 31.3%
    lerner = margin if math.isclose(m.margin, m.lerner, rel_tol=1e-9) else percent(m.lerner)
    return (
        f"Lerner check: at the best price the margin (p − c)/p = {margin} equals {inverse} = "
        f"{lerner}, where ε = −p·q′/q is the price elasticity of demand there. It holds at every "
        "interior optimum: there, the sales a 1% higher price loses exactly cancel what it adds to each sale."
    )


def curvature_text(r: pr.PricingResult) -> str:
    """The second-derivative test at the best price ("" without one).

    >>> curvature_text(pr.analyse(pr.linear_demand(1300, 10), 20, 50))
    'Second-derivative test: f″ = −20 < 0 at price = $75.00. The curve bends down, so this is a maximum.'
    """
    opt = r.optimum
    if opt is None:
        return ""
    f2 = opt.second_derivative
    if f2 < 0:
        return (
            f"Second-derivative test: f″ = {number(f2)} < 0 at price = {usd(opt.x)}. The curve bends down, "
            "so this is a maximum."
        )
    return (
        f"f″ = {number(f2)} at price = {usd(opt.x)}, so the second-derivative test is silent; the slope changes "
        "from rising to falling there, so this is a maximum."
    )


def _bold_last_word(text: str) -> str:
    """Markdown of ``text`` with its last word in bold ("... a **maximum**.")."""
    head, _, last = text.rstrip(".").rpartition(" ")
    return f"{_md(head)} **{_md(last)}**."


def advice_box(r: pr.PricingResult) -> Box | None:
    """The advice as the page shows it: a green box only when the best price makes a profit;
    a warning that says plainly that you lose money at every price when you do.

    >>> line = pr.linear_demand(1300, 10)
    >>> [advice_box(pr.analyse(line, 20, 50, fixed)).kind for fixed in (0, 30_250, 40_000)]
    ['success', 'info', 'warning']
    """
    head, why = advice(r)
    if not head:
        return None
    said = f"**{_md(head)}** {_md(why)}"
    if loses_everywhere(r):
        lead, _, rest = loss_text(r).partition(": ")
        return Box("warning", f"**{_md(lead)}:** {_md(rest)}\n\n{said}")
    if r.optimum.fun == 0:
        return Box("info", f"**At best you break even.** {said}")
    return Box("success", said)


def answer(r: pr.PricingResult) -> list[Box]:
    """Everything under the metrics and above the chart, in the page's order.

    >>> [box.kind for box in answer(pr.analyse(pr.linear_demand(1300, 10), 20, 50))]
    ['markdown', 'success', 'markdown', 'caption', 'markdown']
    >>> [box.kind for box in answer(pr.analyse(pr.linear_demand(1300, 10), 150, 200))]
    ['warning', 'info', 'markdown', 'markdown']
    """
    boxes = [Box("warning", _md(no_optimum_text(r)))] if r.optimum is None else []
    if r.optimum is not None:
        boxes += [Box("markdown", _bold_last_word(curvature_text(r))), advice_box(r)]
    if kink_note(r):
        boxes.append(Box("info", _md(kink_note(r))))
    boxes.append(Box("markdown", _md(break_even_text(r))))
    if r.margins is not None:
        boxes.append(Box("caption", _md(lerner_text(r))))
    boxes.append(Box("markdown", "**The +\\$1 experiment.** " + _md(plus_one_text(r))))
    return boxes


def metrics(r: pr.PricingResult, boot: un.PriceBootstrap | None = None) -> list[Metric]:
    """The metrics: the answer (with its interval, from your own sales), then (when a price is
    best) customers, margin and markup there.

    >>> [m.value for m in metrics(pr.analyse(pr.linear_demand(1300, 10), 20, 50))]
    ['$75.00', '$30,250', '+$500', '550', '73.3%', '275.0%']
    """
    opt, m = r.optimum, r.margins
    shown = [
        Metric("Optimal price", usd(opt.x) if opt else "none"),
        *([interval_metric(boot)] if boot is not None else []),
        Metric(
            "Maximum profit", usd(opt.fun, 0) if opt else DASH, "Weekly profit at the optimal price, after fixed costs"
        ),
        Metric(
            "Marginal profit",
            change(r.marginal_at_price),
            f"Change in weekly profit per $1 on the price, at {usd(r.price)}: d(profit)/d(price)",
        ),
    ]
    if m is not None:
        shown += [
            Metric("Customers at the best price", customers(m.customers), "Per week, at the optimal price"),
            Metric("Margin at the best price", percent(m.margin), "(price − unit cost) / price"),
            Metric("Markup at the best price", percent(m.markup), "(price − unit cost) / unit cost; none at a $0 cost"),
        ]
    return shown


def markers(r: pr.PricingResult) -> tuple[tuple[float, float, str] | None, tuple[float, float, str]]:
    """(x, y, label) of the best price (None without one) and of your price, for the chart.

    >>> markers(pr.analyse(pr.linear_demand(1300, 10), 20, 50))
    ((75.0, 30250.0, 'optimum $75.00'), (50.0, 24000.0, 'you: $50.00'))
    """
    opt = r.optimum
    best = (opt.x, opt.fun, f"optimum {usd(opt.x)}") if opt else None
    return best, (r.price, r.profit_at_price, f"you: {usd(r.price)}")


def no_sensitivity(r: pr.PricingResult) -> list[Box]:
    """Why "What moves the optimum" is missing, when a best price exists but cannot be differentiated.

    >>> no_sensitivity(pr.analyse(pr.linear_demand(1300, 10), 20, 50))
    []
    >>> [box.kind for box in no_sensitivity(pr.analyse(pr.linear_demand(1300, 10), 129.99999, 50))]
    ['caption']
    """
    return [Box("caption", _md(_NO_SENSITIVITY))] if r.optimum is not None and r.sensitivity is None else []


# --- how sure: the interval of a best price fitted to your sales (optimizers.uncertainty) -------


def _level(iv: un.Interval) -> str:
    return percent(iv.level, 0)


def interval_metric(boot: un.PriceBootstrap) -> Metric:
    """ "Best price, 90% interval": where the rows place the best price, "$L – $H".

    >>> boot = un.price_interval(pr.fit_sales(pr.EXAMPLE_SALES), 20.0)
    >>> interval_metric(boot)[:2]
    ('Best price, 90% interval', '$73.62 – $76.49')
    """
    iv = boot.interval
    value = f"{usd(iv.low)} – {usd(iv.high)}" if math.isfinite(iv.low) else DASH
    return Metric(
        f"Best price, {_level(iv)} interval",
        value,
        f"The middle {_level(iv)} of the best prices of {count(iv.n_resamples)} resamples of your weeks, each refitted "
        f"(a bootstrap that draws the same resamples every time, so this link gives the same interval)",
    )


_FAILURE_WORDS = {
    un.Failure.FEW_VALUES: "a single price",
    un.Failure.RISING_DEMAND: "demand not falling with price",
    un.Failure.NO_SALES: "a line that sells nothing at $0",
    un.Failure.TOO_ELASTIC: f"an elasticity above {number(pr.MAX_FIT_ELASTICITY)}",
    un.Failure.OVERFLOW: "numbers too large to compute with",
    un.Failure.NO_OPTIMUM: "no finite best price",
}


def _failures(iv: un.Interval, what: str) -> str:
    """How many resamples could not be used and why ("" when all could)."""
    if not iv.n_failed:
        return ""
    why = "; ".join(f"{count(n)} {words}" for words, n in ((_FAILURE_WORDS[f], n) for f, n in iv.failures))
    verb = "was" if iv.n_failed == 1 else "were"
    return (
        f"{count(iv.n_failed)} of the {count(iv.n_resamples)} resamples could not be used ({why}) and {verb} left "
        f"out of the {what}."
    )


def _interval_sentence(boot: un.PriceBootstrap, weeks: int) -> str:
    iv, curve = boot.interval, "line" if boot.fit == "linear" else "constant-elasticity curve"
    head = (
        f"Resampling your {count(weeks)} weeks {count(iv.n_resamples)} times "
        f"(with replacement) and refitting the {curve} to each"
    )
    if iv.status is un.IntervalStatus.EXACT:
        return (
            f"{head} gives {usd(iv.estimate)} every time: your weeks lie exactly on the {curve}, so every resample "
            "that can be fitted refits the same one and the interval has zero width."
        )
    if not iv.n_fitted:
        return f"{head} gives no best price at all: none of the resamples could be used."
    return (
        f"{head} puts the best price between {usd(iv.low)} and {usd(iv.high)} in {_level(iv)} of them; the shaded "
        f"band on the profit chart holds the middle {_level(iv)} of their profit curves."
    )


def _choice(boot: un.PriceBootstrap, price: float) -> str:
    """What your price costs across the resamples, and the price that loses least."""
    if not boot.optima.size:
        return ""
    cost, est = boot.choice(price), boot.interval.estimate
    at = f"Pricing at {usd(price)} instead of {usd(est)}" if usd(price) != usd(est) else f"Pricing at {usd(price)}"
    text = (
        f"{at} loses {amount(cost.expected_loss)} a week on average across the resamples (each against its own "
        f"best price), and {amount(cost.worst_loss)} at worst."
    )
    least = boot.least_loss_price
    if usd(least) != usd(est):
        text += (
            f" The price that loses least on average is {usd(least)} ({amount(boot.least_expected_loss)} a week, "
            f"against {amount(boot.estimate_expected_loss)} at {usd(est)})."
        )
    return text


def interval_boxes(boot: un.PriceBootstrap, r: pr.PricingResult, weeks: int) -> list[Box]:
    """The interval of a best price fitted to your weeks, in words: what it is, what was left
    out, what your price costs across the resamples, and what it does not cover.

    >>> boot = un.price_interval(pr.fit_sales(pr.EXAMPLE_SALES), 20.0)
    >>> r = pr.analyse_sales(pr.EXAMPLE_SALES, 20, 70).results["linear"]
    >>> print(_shown(interval_boxes(boot, r, 10)[1].text))  # doctest: +NORMALIZE_WHITESPACE
    **What your price costs.** Pricing at $70.00 instead of $74.87 loses $248 a week on average across the
    resamples (each against its own best price), and $714 at worst. The price that loses least on
    average is $74.89 ($8.63 a week, against $8.64 at $74.87).
    """
    iv = boot.interval
    said = " ".join(filter(None, [_interval_sentence(boot, weeks), _failures(iv, "interval")]))
    boxes = [Box("markdown", f"**How sure is {_md(usd(iv.estimate))}?** {_md(said)}")]
    if iv.status is un.IntervalStatus.UNSTABLE and iv.n_fitted:
        tail = math.floor((1 - iv.level) / 2 * iv.n_resamples)
        boxes.append(
            Box(
                "warning",
                _md(
                    f"More resamples could not be used ({count(iv.n_failed)}) than one tail of the interval holds "
                    f"({count(tail)}): had they been fitted, either end could move. Your weeks do not pin the best "
                    "price down; read the interval as a rough range."
                ),
            )
        )
    if choice := _choice(boot, r.price):
        boxes.append(Box("markdown", f"**What your price costs.** {_md(choice)}"))
    curve = "a line" if boot.fit == "linear" else "constant elasticity"
    boxes.append(
        Box(
            "caption",
            _md(
                f"The interval measures how much your weeks move the best price of {curve}; it does not say whether "
                f"{curve} is the right shape for your demand (the other fit can disagree by far more), nor does it "
                "allow for a trend, a season or a promotion week: resampling treats your weeks as interchangeable. "
                "How it is computed: docs/intervals-and-goal-seek.md."
            ),
        )
    )
    return boxes


# --- reach a target: every price where profit equals it (optimizers.goalseek) ----------------


def _prices(xs) -> str:
    prices = [usd(x) for x in xs]
    return prices[0] if len(prices) == 1 else ", ".join(prices[:-1]) + " and at " + prices[-1]


def target_text(r: pr.PricingResult) -> str:
    """Every price where weekly profit equals your target, or why none does ("" without a target).

    >>> r = pr.analyse(pr.linear_demand(1300, 10), 20, 50, target=25_000)
    >>> print(_shown(target_text(r)))
    **Target $25,000 a week.** Profit is $25,000 at $52.09 and at $97.91, and more between them.
    >>> print(_shown(target_text(pr.analyse(pr.linear_demand(1300, 10), 20, 50, target=31_000))))
    **Target $31,000 a week.** No price makes $31,000: the most is $30,250, at $75.00 ($750 short).
    """
    g = r.goal
    if g is None:
        return ""
    t, status, x = amount(g.target), g.status, g.x
    head = f"**Target {_md(t)} a week.** "
    if g.everywhere:
        return head + _md(f"Profit is {t} at every price.")
    if status is gs.GoalStatus.ABOVE_MAXIMUM:
        if r.optimum is not None:
            best = f"the most is {amount(r.optimum.fun)}, at {usd(r.optimum.x)}"
        elif r.no_optimum is pr.NoOptimum.COST_ABOVE_CHOKE:
            best = f"every sale loses money, so the most is {amount(-r.fixed_cost)} a week, selling nothing"
        elif r.no_optimum is pr.NoOptimum.UNIT_ELASTIC:
            best = f"profit rises toward {amount(r.model.scale - r.fixed_cost)} a week and never reaches it"
        else:
            best = f"the most is {amount(g.highest)}"
        return head + _md(f"No price makes {t}: {best} ({amount(g.margin)} short).")
    if status is gs.GoalStatus.BELOW_MINIMUM:
        if r.model.kind == "elasticity" and r.unit_cost == 0:
            return head + _md(
                f"No price brings profit down to {t}: with a unit cost of $0 you never lose more than your fixed "
                f"costs, {amount(r.fixed_cost)} a week."
            )
        return head + _md(f"No price brings profit down to {t}: the lowest it gets is {amount(g.lowest)}.")
    if status is gs.GoalStatus.TOUCHES:
        if r.optimum is None:  # every sale loses money: −F from the choke price up, selling nothing
            return head + _md(f"Profit is {t} from {usd(x[-1])} up, where nobody buys: the most it can be.")
        return head + _md(f"Profit reaches {t} only at {usd(x[0])}, the best price.")
    said = f"Profit is {t} at {_prices(x)}"
    c = g.crossings
    if c == (gs.Crossing.RISING, gs.Crossing.FALLING):
        said += ", and more between them"
    elif c == (gs.Crossing.RISING,):
        said += ", and more at every higher price"
    elif c == (gs.Crossing.FALLING,):
        said += ", and more at every lower price"
    choke = r.choke_price
    if choke is not None and math.isclose(x[-1], choke, rel_tol=1e-9):
        said += f"; from {usd(choke)} up nobody buys and profit stays {t}"
    return head + _md(said + ".")


def goal_marks(r: pr.PricingResult) -> dict:
    """The target line and its prices for the profit chart (``ui.charts.objective_chart``'s
    ``target`` and ``solutions``): the prices on the chart's price range; {} without a target.

    >>> goal_marks(pr.analyse(pr.linear_demand(1300, 10), 20, 50, target=25_000))["solutions"]
    (52.0871215252208, 97.9128784747792)
    """
    if r.goal is None:
        return {}
    lo, hi = float(r.curve["x"].min()), float(r.curve["x"].max())
    return {"target": r.goal.target, "solutions": tuple(x for x in r.goal.x if lo <= x <= hi)}
