"""Every word /compare (and each decision page's "Add to comparison" button) shows, written
from :mod:`optimizers.scenarios`' numbers.

Input labels are the decision pages' own (``explain.pricing.SLIDERS``, ...), so a comparison
names an input exactly as the page does. Names and links a visitor typed are shown as plain
text: in markdown only through :func:`explain.format.plain`; the table and the chart show
them as data, never as markdown.
"""

from __future__ import annotations

import math

import pandas as pd

from explain import compounding as cw
from explain import fuel as fw
from explain import pricing as pw
from explain import study as sw
from explain.format import DASH, money, num, plain, quote
from optimizers import fuel as fm
from optimizers import pricing as pr
from optimizers import scenarios as sc
from optimizers.tables import encode_table

__all__ = [
    "ADD",
    "ADD_HELP",
    "ADD_LINK",
    "ADD_LINK_HELP",
    "DEFAULT_NAME",
    "DOWN",
    "DOWNLOAD",
    "EMPTY",
    "NAME",
    "OPEN",
    "PAGE_TITLES",
    "REMOVE",
    "SHARE",
    "STORY",
    "TITLE",
    "UP",
    "add_note",
    "chart",
    "input_label",
    "input_value",
    "link_problem",
    "marks",
    "result_labels",
    "scenario_notes",
    "table",
    "units_note",
    "verdict",
]

TITLE = "Compare scenarios"
STORY = (
    "Put up to four versions of one decision side by side: another price, another unit cost, "
    "another car. Press **Add to comparison** on Pricing, Study hours, Fuel or Compounding; go back, "
    "change something and add again. The link in your address bar holds the whole comparison."
)
EMPTY = (
    "Nothing to compare yet. Open one of the pages below, set it up, and press **Add to comparison** "
    "near the bottom of the page."
)
#: The decision pages' titles (as in the sidebar), by URL path.
PAGE_TITLES = {"pricing": "Pricing", "study": "Study hours", "fuel": "Fuel", "compounding": "Compounding"}
ADD = "Add to comparison"
ADD_HELP = "Open Compare scenarios with this scenario added: up to four scenarios of this page, side by side."
#: A scenario the visitor has not named is called this, numbered by its place in the list.
DEFAULT_NAME = "Scenario {}"
NAME = "Name"
OPEN = "Open this scenario"
UP, DOWN, REMOVE = "Move up", "Move down", "Remove"
ADD_LINK = "Add a scenario from a link"
ADD_LINK_HELP = (
    "Paste a link to Pricing, Study hours, Fuel or Compounding: what that page's address bar or its "
    "'Share this scenario' box shows. Press Enter to add it."
)
SHARE = "Share this comparison: this link reproduces it, names and order included."
DOWNLOAD = "Download scenarios (CSV)"

#: What each page's scenarios are compared on: the value at the visitor's own choice.
_OBJECTIVE = {
    "pricing": "weekly profit at your price",
    "study": "effective score at your hours",
    "fuel": "fuel economy at your speed",
    "compounding": "balance after your years",
}
#: How close two values are when they tie (the resolution the page shows them at).
_TIE = {
    "pricing": "to the cent",
    "study": "to a tenth of a point",
    "fuel": "to a hundredth of an MPG",
    "fuel/metric": "to a hundredth of a litre per 100 km",
    "compounding": "to the cent",
}
#: The unit after the value at your choice in the verdict (the table says it in its labels).
_UNIT = {"study": " points", "fuel": " MPG", "fuel/metric": " L/100 km"}
_UNREADABLE = "This link cannot be read: it is not a link to a page of this app, or it is too long. Remove it."
_RESULTS = {
    "pricing": ("Best price", "Profit at the best price (per week)", "Profit at your price (per week)"),
    "study": ("Best study hours", "Best effective score (points)", "Score at your hours (points)"),
    "fuel": ("Most efficient speed", "Best fuel economy (MPG)", "Fuel economy at your speed (MPG)"),
    "fuel/metric": ("Most efficient speed", "Lowest consumption (L/100 km)", "Consumption at your speed (L/100 km)"),
    "compounding": ("Best time to sell", "Present value then", "Balance after your years"),
}
_CHART = {
    "pricing": ("Weekly profit by price: each scenario's best price marked, its own price a dot", "Price ($)",
                "Weekly profit ($)", "$,.0f", "$,.0f"),
    "study": ("Effective score by study hours: each scenario's best plan marked, its own plan a dot",
              "Study hours per day (h)", "Effective score (points)", ",.1f", ",.1f"),
    "fuel": ("Fuel economy by speed: each scenario's best speed marked, its own speed a dot", "Speed (mph)",
             "Fuel economy (MPG)", ",.0f", ",.1f"),
    "fuel/metric": ("Fuel consumption by speed: each scenario's best speed marked, its own speed a dot",
                    "Speed (km/h)", "Fuel consumption (L/100 km)", ",.0f", ",.1f"),
    "compounding": ("Balance over the years, each scenario's balance after its years marked", "Years",
                    "Balance ($)", ",.0f", "$,.0f"),
}  # fmt: skip
#: Inputs that are amounts of money, and inputs in percent, by URL key.
_MONEY = {
    "unit_cost",
    "fixed_cost",
    "price",
    "fuel_price",
    "price_per_litre",
    "time_value",
    "principal",
    "contribution",
}
_PERCENT = {"rate", "inflation"}
#: Fuel's URL keys -> (unit system, slider name).
_FUEL_KEYS = {s.key: (u, name) for u in fm.UNITS for name, s in fm.SLIDERS[u].items()}
_EXAMPLES = {
    "pricing": encode_table(pr.EXAMPLE_SALES, ("price", "units")),
    **{f"fuel/{u}": encode_table(fm.example_observations(u), ("speed", fm.UNITS[u].economy_column)) for u in fm.UNITS},
}


def _kind(c: sc.Comparison) -> str:
    return "fuel/metric" if c.page == "fuel" and c.units == "metric" else c.page


def input_label(page: str, key: str) -> str:
    """What the page calls the input ``?key=`` (a parameter the page does not know: its key).

    >>> input_label("pricing", "unit_cost"), input_label("fuel", "speed_kmh"), input_label("study", "target")
    ('Unit cost ($)', 'Your cruising speed (km/h)', 'target')
    """
    if page == "pricing":
        extra = {"model": pw.MODEL_LABEL, "data": "Your weekly price tests", "fit": pw.FIT_LABEL}
        return extra.get(key) or pw.SLIDERS.get(key, (key,))[0]
    if page == "study":
        return sw.MODEL_LABEL if key == "model" else sw.SLIDERS.get(key, (key,))[0]
    if page == "fuel":
        extra = {"units": fw.UNITS[0], "calibrate": fw.CALIBRATE, "data": "Your car's observations"}
        if key in _FUEL_KEYS:
            units, name = _FUEL_KEYS[key]
            return fw.INPUTS[units][name][0]
        return extra.get(key, key)
    if page == "compounding":
        return cw.INPUTS.get(key, (key,))[0]
    return key


def _decimals(v: float, choices: tuple[int, ...]) -> int:
    """The fewest decimals (of ``choices``) that show ``v`` exactly, so that two inputs that differ
    never read the same."""
    return next((d for d in choices if round(v, d) == v), choices[-1])


def input_value(page: str, key: str, value: object, units: str = "us") -> str:
    """An input's value as the table shows it (plain text, never markdown).

    >>> input_value("pricing", "price", 60.0), input_value("pricing", "price", 59.995)
    ('$60', '$59.995')
    >>> input_value("compounding", "rate", 5.0), input_value("fuel", "calibrate", "true")
    ('5%', 'on')
    >>> input_value("pricing", "data", "40:915,45:838"), input_value("study", "k", None)
    ('2 weeks', '—')
    """
    if value is None:
        return DASH
    if isinstance(value, float):
        if key in _MONEY:
            return money(value, _decimals(value, (0, 2, 3, 4, 6, 8)))
        shown = num(value, _decimals(value, (0, 1, 2, 3, 4, 5, 6, 8)))
        return shown + "%" if key in _PERCENT else shown
    text = str(value)
    if key == "calibrate":
        return "on" if text == "true" else "off"
    if key == "data":
        rows = len(text.split(",")) if text else 0
        example = _EXAMPLES.get("pricing" if page == "pricing" else f"fuel/{units}")
        what = "weeks" if page == "pricing" else "observations"
        return f"the example ({rows} {what})" if text == example else f"{rows} {what}"
    return text


def result_labels(c: sc.Comparison) -> tuple[str, str, str]:
    """The table's labels of the three results (optimum, best value, value at your choice)."""
    return _RESULTS[_kind(c)]


def _results(c: sc.Comparison, s: sc.Scenario) -> tuple[str, str, str]:
    if s.status is not sc.Status.OK:
        return DASH, DASH, DASH
    kind = _kind(c)
    if c.page == "pricing":
        return money(s.optimum), money(s.best), money(s.at_choice)
    if c.page == "study":
        return num(s.optimum, 2, "h"), num(s.best, 1), num(s.at_choice, 1)
    if c.page == "fuel":
        speed = "km/h" if kind == "fuel/metric" else "mph"
        return num(s.optimum, 1, speed), num(s.best, 2), num(s.at_choice, 2)
    return num(s.optimum, 2, "years"), money(s.best), money(s.at_choice)


def table(c: sc.Comparison) -> pd.DataFrame:
    """The comparison's table: a row per input shown (those that differ) and per result, a column
    per scenario whose inputs were read, the scenario's name as its header. Every cell is text.

    >>> es = [sc.Entry("Now", "pricing", ""), sc.Entry("High", "pricing", "price=100")]
    >>> table(sc.compare("pricing", es))  # doctest: +NORMALIZE_WHITESPACE
                                             Now        High
    Your current price ($)                   $50        $100
    Best price                            $75.00      $75.00
    Profit at the best price (per week)  $30,250.00  $30,250.00
    Profit at your price (per week)      $24,000.00  $24,000.00
    """
    columns = {}
    for i in c.with_inputs:
        s = c.scenarios[i]
        values = [input_value(c.page, k, s.inputs.get(k, s.extras.get(k)), s.units or "us") for k in c.shown]
        columns[c.names[i]] = values + list(_results(c, s))
    index = [input_label(c.page, k) for k in c.shown] + list(result_labels(c))
    return pd.DataFrame(columns, index=index)


def _names(c: sc.Comparison, indices) -> str:
    quoted = [quote(c.names[i]) for i in indices]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def verdict(c: sc.Comparison) -> str:
    """Which scenario is best by the page's objective (markdown); "" with fewer than two computed.

    >>> es = [sc.Entry("Now", "pricing", ""), sc.Entry("Best", "pricing", "price=75")]
    >>> print(verdict(sc.compare("pricing", es)).replace("\\\\", ""))
    **Best: “Best”**, with the highest weekly profit at your price: $30,250.00.
    >>> es = [sc.Entry("Low", "pricing", ""), sc.Entry("High", "pricing", "price=100")]
    >>> print(verdict(sc.compare("pricing", es)).replace("\\\\", ""))
    **Tied for best: “Low” and “High”**, with the same weekly profit at your price to the cent: $24,000.00.
    """
    if len(c.computed) < 2 or not c.best:
        return ""
    kind, s = _kind(c), c.scenarios[c.best[0]]
    value = _results(c, s)[2] + _UNIT.get(kind, "")
    objective = _OBJECTIVE[c.page]
    if kind == "fuel/metric":
        objective = "fuel consumption at your speed"
    if len(c.best) == 1:
        extreme = "lowest" if c.goal == "min" else "highest"
        return f"**Best: {_names(c, c.best)}**, with the {extreme} {objective}: {value}."
    return f"**Tied for best: {_names(c, c.best)}**, with the same {objective} {_TIE[kind]}: {value}."


def scenario_notes(c: sc.Comparison, i: int) -> list[tuple[str, str]]:
    """(box, markdown) notes on scenario ``i`` for the list: why it is not compared, which values
    of its link the page could not use. Box is "error", "warning" or "caption"."""
    s, page = c.scenarios[i], PAGE_TITLES.get(c.page, c.page)
    if s.status is sc.Status.UNREADABLE:
        return [("error", _UNREADABLE)]
    if s.status is sc.Status.OTHER_PAGE:
        there = PAGE_TITLES.get(s.page) or "/" + plain(s.page)
        return [("warning", f"This is a link to {there}, not to {page}: it is not compared. Open it or remove it.")]
    notes = []
    if s.status is sc.Status.FAILED:
        notes.append(("error", _failure(c.page, s)))
    if s.ignored:
        keys = ", ".join(plain(input_label(c.page, k)) for k in s.ignored)
        notes.append(("caption", f"Not a usable value in the link, so the page's default is used: {keys}."))
    return notes


def _failure(page: str, s: sc.Scenario) -> str:
    exc = s.error if s.error is not None else ValueError("")
    if page == "pricing":
        return pw.table_error("the sales in the link", str(exc))
    if page == "fuel" and isinstance(exc, fm.NoBestSpeed):
        return fw.cannot_fit("the observations in the link", exc, s.units or "us")
    if page == "compounding":
        return "This scenario cannot be computed. " + cw.error(exc)
    return "This scenario cannot be computed: " + plain(exc, 300)


def units_note(c: sc.Comparison) -> str:
    """For Fuel: which units the results are in, and which scenarios were converted ("" otherwise)."""
    if c.page != "fuel":
        return ""
    other = [i for i in c.computed if c.scenarios[i].inputs.get("units") != c.units]
    if not other:
        return ""
    here, there = ("km/h and L/100 km", "mph and MPG") if c.units == "metric" else ("mph and MPG", "km/h and L/100 km")
    return f"Results are in {here}, the first scenario's units; {_names(c, other)} converted from {there}."


def chart(c: sc.Comparison) -> dict:
    """Keyword arguments of ``ui.charts.lines_chart`` for the comparison's objective curves."""
    title, x_title, y_title, x_format, y_format = _CHART[_kind(c)]
    return {
        "x": "x",
        "y": "y",
        "series": "scenario",
        "title": title,
        "x_title": x_title,
        "y_title": y_title,
        "x_format": x_format,
        "y_format": y_format,
        "points": c.choices,
    }


def marks(c: sc.Comparison) -> list[tuple[float, float, str]]:
    """(x, y, label) of every computed scenario's marked point: its name and where it is."""
    kind, out = _kind(c), []
    for i in c.computed:
        s = c.scenarios[i]
        if s.mark is None or not all(map(math.isfinite, s.mark)):
            continue
        x = s.mark[0]
        where = {
            "pricing": money(x),
            "study": num(x, 2, "h"),
            "fuel": num(x, 1, "mph"),
            "fuel/metric": num(x, 1, "km/h"),
            "compounding": num(x, 0 if x == round(x) else 1, "years"),
        }[kind]
        out.append((s.mark[0], s.mark[1], f"{c.names[i]}: {where}"))
    return out


def add_note(full: bool, leaves_out: str = "") -> str:
    """Why the "Add to comparison" button is off ("" when it is on; markdown)."""
    if leaves_out:
        return f"This scenario cannot be added to a comparison: {leaves_out}."
    if full:
        return (
            f"The comparison holds {sc.MAX_SCENARIOS} scenarios of this page, the most it can: remove one on "
            "Compare scenarios to add this one."
        )
    return ""


def link_problem(text: str) -> str:
    """Why a pasted link cannot be added (markdown; "" when it can: a link to another page is
    added, and the list says that it is not compared).

    >>> link_problem("https://example.org/pricing?price=60"), link_problem("[x](y)").replace("\\\\", "")
    ('', '“[x](y)” is not a link to a page of this app: nothing was added.')
    """
    if sc.read_link(text) is not None:
        return ""
    return f"{quote(text, 60)} is not a link to a page of this app: nothing was added."
