"""Scenarios side by side: a decision page's link read into the page's inputs and headline
results, and up to four such scenarios of one page compared.

Numbers and statuses only: every word /compare shows is written by :mod:`explain.compare`.

The comparison's link
---------------------
``/compare?page=pricing&s1=…&s2=…&s3=…&s4=…``

* ``page`` is the decision page compared: one of :data:`PAGES`.
* ``s1`` … ``s4`` hold the scenarios in order (a missing number is skipped, ``s5`` and beyond
  are never read). Each is ``name|link``: the scenario's name, a ``|``, and its link relative to
  the app, the page's path and query string exactly as that page's address bar holds them
  (``Cheap|pricing?price=60&unit_cost=25``). The whole value is URL-encoded as a parameter of
  /compare. A name is plain text: at most :data:`MAX_NAME_CHARS` characters, no ``|``, no
  control or formatting characters, unique within the comparison.

Reading a stranger's link never raises (:func:`decode_entry`): a value that is too long
(:data:`MAX_ENTRY_CHARS`), has no ``|``, no page path or a query string that cannot be parsed is
an *unreadable* entry, kept as it came so that the visitor can see it and remove it.

A scenario's query string is read the way its page reads it (``ui.inputs``): a value that is
not a finite number inside the input's range, not one of its options, or a text too long gives
the input's default (the key is listed in :attr:`Scenario.ignored`); inputs the page does not
draw for the chosen model are left out. Parameters the page does not know are kept as text to
show (:attr:`Scenario.extras`: another input added to the page later, such as a goal-seek
``target``), up to :data:`MAX_EXTRAS` of them; they do not enter the numbers.

Headline results
----------------
Every page is compared on four numbers of its own objective (:class:`Scenario`): the optimum
(where the best value is), the best value, the visitor's current choice and the objective's
value there. The scenario that is best is the one whose value at the visitor's choice is best
by the page's goal: the highest profit at your price, score at your hours, MPG at your speed
(the lowest L/100 km), balance after your years. Values that are equal when rounded to what the
page shows (:data:`TIE_DECIMALS`: to the cent, a tenth of a point, a hundredth of an MPG) tie:
every tied scenario is best. For Compounding the optimum is the page's best time to sell and the
best value the present value then.
"""

from __future__ import annotations

import dataclasses
import enum
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

import numpy as np
import pandas as pd

from optimizers import compounding as cm
from optimizers import fuel as fm
from optimizers import pricing as pr
from optimizers import study as sm
from optimizers.tables import decode_table, encode_table

__all__ = [
    "IGNORED",
    "KNOWN",
    "MAX_ENTRY_CHARS",
    "MAX_EXTRAS",
    "MAX_NAME_CHARS",
    "MAX_SCENARIOS",
    "PAGES",
    "RESULTS",
    "SAME_POINT_RTOL",
    "TIE_DECIMALS",
    "Comparison",
    "Entry",
    "Scenario",
    "Status",
    "canonical_query",
    "choose_page",
    "clean_name",
    "compare",
    "decode_entries",
    "decode_entry",
    "evaluate",
    "free_name",
    "read_link",
    "read_params",
    "unique_names",
]

#: The decision pages that can be compared, by URL path.
PAGES = ("pricing", "study", "fuel", "compounding")
#: Most scenarios in one comparison (``s1`` … ``s4``).
MAX_SCENARIOS = 4
#: Longest name, in characters.
MAX_NAME_CHARS = 30
#: Longest ``name|link`` value read; a longer one is unreadable. A page link carries at most a
#: table of ``optimizers.tables.MAX_LINK_CHARS`` characters plus a few short inputs.
MAX_ENTRY_CHARS = 2500
#: Most query-string fields read from one scenario's link.
MAX_FIELDS = 40
#: Most parameters a page does not know that are kept to show, and their longest value.
MAX_EXTRAS = 6
MAX_EXTRA_CHARS = 60
#: Parameters that change what a page shows, not its inputs (the sensitivity sweep), and
#: Streamlit's own: never inputs, never shown.
IGNORED = frozenset({"sweep", "embed", "embed_options"})
#: Every parameter each page reads, in the order its inputs are drawn.
KNOWN: dict[str, tuple[str, ...]] = {
    "pricing": ("model", "unit_cost", "fixed_cost", "price", "demand_intercept", "demand_slope", "elasticity", "data",
                "fit"),
    "study": ("model", "max_score", "k", "fatigue", "quad_a", "quad_b", "quad_c", "hours", "max_hours"),
    "fuel": ("units", *dict.fromkeys(fm.SLIDERS[u][n].key for n in fm.SLIDERS["us"] if n not in ("drag", "idle")
                                     for u in fm.UNITS),
             "calibrate", *(fm.SLIDERS[u][n].key for n in ("drag", "idle") for u in fm.UNITS), "data"),
    "compounding": ("principal", "rate", "years", "frequency", "contribution", "timing", "inflation", "target_multiple",
                    "target_years", "rates", "asset_growth"),
}  # fmt: skip
#: CSV names of the three results (optimum, best value, value at your choice), by page (Fuel by units).
RESULTS: dict[str, tuple[str, str, str]] = {
    "pricing": ("best_price", "best_profit", "profit_at_price"),
    "study": ("best_hours", "best_score", "score_at_hours"),
    "fuel": ("best_speed_mph", "best_mpg", "mpg_at_speed"),
    "fuel/metric": ("best_speed_kmh", "best_l_per_100km", "l_per_100km_at_speed"),
    "compounding": ("best_time_to_sell_years", "present_value_then", "balance"),
}
#: Decimals to which values at the visitor's choice are compared (what the page shows): equal
#: when rounded, they tie.
TIE_DECIMALS = {"pricing": 2, "study": 1, "fuel": 2, "compounding": 2}
#: A scenario's own choice closer than this fraction of its curve's x and y spans to its marked
#: point is that point (no dot drawn over the mark).
SAME_POINT_RTOL = 1e-9
_PATH = re.compile(r"[a-z][a-z0-9-]{0,30}")
_EXTRA_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,31}")
#: L/100 km = this / MPG, and MPG = this / L/100 km.
_MPG_L100 = 100 * fm.LITRES_PER_GALLON / fm.KM_PER_MILE


class Status(enum.Enum):
    """What became of one scenario of a comparison (:attr:`Scenario.status`)."""

    #: Read and computed.
    OK = "ok"
    #: The ``sK`` value cannot be read as ``name|link`` (too long, no ``|``, no page, a bad query).
    UNREADABLE = "unreadable"
    #: A readable link to another page than the one compared.
    OTHER_PAGE = "other_page"
    #: The page's model refuses the inputs (a table that cannot be fitted, a balance beyond
    #: ``compounding.MAX_BALANCE``): :attr:`Scenario.error` says why, as the page would.
    FAILED = "failed"


@dataclass(frozen=True)
class Entry:
    """One scenario as the comparison's link carries it: a name and a link (``path?query``).

    An unreadable value keeps its text (``raw``, at most :data:`MAX_ENTRY_CHARS` + 1 characters)
    and has no path; it is written back into the link as it came.
    """

    name: str
    path: str
    query: str = ""
    raw: str = ""

    @property
    def readable(self) -> bool:
        return bool(self.path)

    @property
    def link(self) -> str:
        """``path?query``, relative to the app ("" when unreadable)."""
        return f"{self.path}?{self.query}" if self.path else ""

    def encode(self) -> str:
        """The ``sK`` value: ``name|path?query`` (an unreadable entry's own text).

        >>> Entry("Cheap", "pricing", "price=60").encode()
        'Cheap|pricing?price=60'
        """
        return f"{self.name}|{self.link}" if self.readable else self.raw

    def renamed(self, name: str) -> Entry:
        """The same link under another name (an unreadable entry cannot be renamed)."""
        return dataclasses.replace(self, name=name) if self.readable else self


def clean_name(text: object) -> str:
    """A name as plain text: no control or formatting characters (``\\u202e`` included), no ``|``,
    one space between words, at most :data:`MAX_NAME_CHARS` characters ("" when nothing is left).

    >>> clean_name("  Cheap | \\u202efast\\n headphones  "), len(clean_name("x" * 99))
    ('Cheap / fast headphones', 30)
    """
    s = "".join(" " if ch.isspace() else ch for ch in str(text) if unicodedata.category(ch)[0] != "C" or ch.isspace())
    s = " ".join(s.replace("|", "/").split())
    return s[:MAX_NAME_CHARS].strip()


def unique_names(names: Sequence[str], fallback: str = "Scenario {}") -> list[str]:
    """``names`` cleaned, an empty one replaced by ``fallback`` numbered by its position, and a name
    already taken followed by " (2)", " (3)", ...: unique, as a chart's series names must be.

    >>> unique_names(["A", "", "A", "a"])
    ['A', 'Scenario 2', 'A (2)', 'a']
    """
    out: list[str] = []
    for i, name in enumerate(names, start=1):
        base = clean_name(name) or clean_name(fallback.format(i))
        candidate, k = base, 2
        while candidate in out:
            suffix = f" ({k})"
            candidate, k = base[: MAX_NAME_CHARS - len(suffix)].rstrip() + suffix, k + 1
        out.append(candidate)
    return out


def free_name(taken: Sequence[str], fallback: str = "Scenario {}") -> str:
    """``fallback`` numbered with the first number from ``len(taken) + 1`` up that no name in
    ``taken`` has: the name of a scenario added to a list.

    >>> free_name(["Scenario 1", "Cheap"]), free_name(["Scenario 3", "Scenario 1"])
    ('Scenario 3', 'Scenario 4')
    """
    k = len(taken) + 1
    while clean_name(fallback.format(k)) in taken:
        k += 1
    return clean_name(fallback.format(k))


def read_link(text: str) -> tuple[str, str] | None:
    """(page path, query string) of a link to a page of this app, or None when it is not one.

    Takes what an address bar shows (``https://host/pricing?price=60``), a path
    (``/pricing?price=60``) or the comparison's own form (``pricing?price=60``); the path's last
    part names the page. Never raises.

    >>> read_link("https://example.org/app/pricing?price=60#top"), read_link("study"), read_link("x y")
    (('pricing', 'price=60'), ('study', ''), None)
    """
    if not isinstance(text, str) or len(text) > MAX_ENTRY_CHARS:
        return None
    text = text.strip()
    try:
        parts = urlsplit(text)
    except ValueError:  # an unbalanced "[" in what looks like a host
        return None
    path = parts.path.rstrip("/").rsplit("/", 1)[-1]
    if not _PATH.fullmatch(path):
        return None
    try:
        parse_qsl(parts.query, keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError:
        return None
    return path, parts.query


def decode_entry(text: object, position: int = 1, fallback: str = "Scenario {}") -> Entry:
    """One ``sK`` value read as ``name|link``; never raises.

    An empty name becomes ``fallback`` numbered by ``position``. Anything that cannot be read
    gives an unreadable :class:`Entry` that keeps (at most :data:`MAX_ENTRY_CHARS` + 1 characters
    of) the text.

    >>> decode_entry("Cheap|pricing?price=60")
    Entry(name='Cheap', path='pricing', query='price=60', raw='')
    >>> e = decode_entry("no separator", 2)
    >>> e.name, e.readable, e.encode()
    ('Scenario 2', False, 'no separator')
    """
    text = str(text)
    raw = text[: MAX_ENTRY_CHARS + 1]
    name, bar, link = text.partition("|")
    name = (clean_name(name) if bar else "") or clean_name(fallback.format(position))
    found = read_link(link) if bar and len(text) <= MAX_ENTRY_CHARS else None
    if found is None:
        return Entry(name, "", "", raw)
    return Entry(name, *found)


def decode_entries(values: Sequence[object], fallback: str = "Scenario {}") -> list[Entry]:
    """The first :data:`MAX_SCENARIOS` values decoded (:func:`decode_entry`), names made unique.

    >>> [e.name for e in decode_entries(["A|study?hours=9", "A|study", "|study?k=1"])]
    ['A', 'A (2)', 'Scenario 3']
    """
    entries = [decode_entry(v, i, fallback) for i, v in enumerate(list(values)[:MAX_SCENARIOS], start=1)]
    names = unique_names([e.name for e in entries], fallback)
    return [dataclasses.replace(e, name=n) for e, n in zip(entries, names, strict=True)]


def choose_page(page: object, entries: Sequence[Entry]) -> str:
    """The page compared: ``page`` when it is one of :data:`PAGES`, else the first entry's page
    that is; "" when there is none.

    >>> choose_page("nope", [Entry("A", "allocate"), Entry("B", "fuel")]), choose_page(None, [])
    ('fuel', '')
    """
    if page in PAGES:
        return str(page)
    return next((e.path for e in entries if e.path in PAGES), "")


def canonical_query(params: Mapping[str, str] | Sequence[tuple[str, str]]) -> str:
    """A query string of ``params`` (``:`` and ``,`` of a table left as they are).

    >>> canonical_query({"price": "60", "data": "40:915,45:838", "n": "a b&c"})
    'price=60&data=40:915,45:838&n=a+b%26c'
    """
    items = params.items() if isinstance(params, Mapping) else params
    return urlencode([(str(k), str(v)) for k, v in items], safe=":,")


# --- one scenario -----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Scenario:
    """One scenario read and computed (:func:`evaluate`), or why it was not.

    ``inputs`` are the values the page uses, by URL key in the page's order (numbers as
    floats; choices, the ``calibrate`` toggle as "true"/"false", texts and tables as the link's
    text). ``optimum`` is where the objective is best (nan when nothing is: Pricing with no best
    price), ``best`` the objective there, ``choice`` the visitor's own choice (the price, hours,
    speed or years) and ``at_choice`` the objective there. ``curve`` (columns ``x``, ``y``) is
    the objective over the page's range and ``mark`` the point the comparison's chart marks (the
    optimum; for Compounding the balance after your years). ``units`` is Fuel's unit system.
    """

    page: str
    status: Status
    inputs: Mapping[str, float | str] = dataclasses.field(default_factory=dict)
    extras: Mapping[str, str] = dataclasses.field(default_factory=dict)
    ignored: tuple[str, ...] = ()
    units: str = ""
    optimum: float = math.nan
    best: float = math.nan
    choice: float = math.nan
    at_choice: float = math.nan
    mark: tuple[float, float] | None = None
    curve: pd.DataFrame | None = None
    error: ValueError | None = None


class _Reader:
    """Reads a page's inputs from its query parameters the way ``ui.inputs`` does."""

    def __init__(self, params: Mapping[str, str]) -> None:
        self.params, self.inputs, self.ignored = params, {}, []

    def _raw(self, key: str) -> str | None:
        return self.params.get(key)

    def _keep(self, key: str, value, ok: bool):
        if not ok:
            self.ignored.append(key)
        self.inputs[key] = value
        return value

    def number(self, key: str, lo: float, hi: float | None, default: float) -> float:
        raw = self._raw(key)
        if raw is None:
            return self._keep(key, float(default), True)
        try:
            v = float(raw)
        except ValueError:
            v = math.nan
        ok = math.isfinite(v) and lo <= v <= (math.inf if hi is None else hi)
        return self._keep(key, v + 0.0 if ok else float(default), ok)

    def choice(self, key: str, options: Sequence[str], default: str) -> str:
        raw = self._raw(key)
        ok = raw is None or raw in options
        return self._keep(key, raw if raw is not None and ok else default, ok)

    def flag(self, key: str) -> bool:
        raw = self._raw(key)
        ok = raw is None or raw.lower() in ("true", "false")
        return self._keep(key, "true" if ok and raw is not None and raw.lower() == "true" else "false", ok) == "true"

    def text(self, key: str, default: str, max_chars: int) -> str:
        raw = self._raw(key)
        ok = raw is None or len(raw) <= max_chars
        return self._keep(key, raw if raw is not None and ok else default, ok)

    def table(self, key: str, columns: tuple[str, ...], example: pd.DataFrame) -> pd.DataFrame:
        raw, table, ok = self._raw(key), example, True
        if raw is not None:
            try:
                table = decode_table(raw, columns)
            except ValueError:
                ok = False
        self._keep(key, encode_table(table, columns) or "", ok)
        return table


def _curve(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"x": df["x"].to_numpy(dtype=float), "y": df["value"].to_numpy(dtype=float)})


def _pricing(read: _Reader) -> dict:
    kind = read.choice("model", pr.MODELS, pr.MODELS[0])

    def slider(key: str) -> float:
        lo, hi, _ = pr.RANGES[key]
        return read.number(key, lo, hi, pr.DEFAULTS[key])

    cost, fixed, price = slider("unit_cost"), slider("fixed_cost"), slider("price")
    if kind != "data":
        model = pr.linear_demand(slider("demand_intercept"), slider("demand_slope"))
        if kind == "elasticity":
            model = pr.elasticity_like_linear(slider("elasticity"), model.a, model.b)
        r = pr.analyse(model, cost, price, fixed)
    else:
        sales = pr.analyse_sales(read.table("data", ("price", "units"), pr.EXAMPLE_SALES), cost, price, fixed)
        if not sales.results:
            raise ValueError("neither demand curve can be fitted to the table")
        fits = list(sales.results)
        r = sales.results[read.choice("fit", fits, fits[0])]
    opt = r.optimum
    return {
        "optimum": opt.x if opt else math.nan,
        "best": opt.fun if opt else math.nan,
        "choice": price,
        "at_choice": r.profit_at_price,
        "mark": (opt.x, opt.fun) if opt else None,
        "curve": _curve(r.curve),
    }


def _study(read: _Reader) -> dict:
    defaults = sm.DEFAULTS | sm.QUADRATIC_DEFAULTS

    def slider(key: str) -> float:
        lo, hi, _ = sm.RANGES[key]
        return read.number(key, lo, hi, defaults[key])

    if read.choice("model", sm.MODELS, sm.MODELS[0]) == "diminishing":
        model = sm.diminishing(slider("max_score"), slider("k"), slider("fatigue"))
    else:
        model = sm.quadratic(slider("quad_a"), slider("quad_b"), slider("quad_c"))
    hours, max_hours = slider("hours"), slider("max_hours")
    r = sm.analyse(model, hours, max_hours)
    return {
        "optimum": r.optimum.x,
        "best": r.optimum.fun,
        "choice": hours,
        "at_choice": r.score_at_hours,
        "mark": (r.optimum.x, r.optimum.fun),
        "curve": _curve(r.curve),
    }


def _fuel(read: _Reader) -> dict:
    units = read.choice("units", list(fm.UNITS), "us")

    def slider(name: str) -> float:
        s = fm.SLIDERS[units][name]
        return read.number(s.key, s.lo, s.hi, s.default)

    trip = {name: slider(name) for name in ("speed", "speed_limit", "fuel_price", "distance", "time_value")}
    if not read.flag("calibrate"):
        r = fm.analyse(fm.FuelModel(slider("drag"), slider("idle")), units=units, **trip)
    else:
        columns = ("speed", fm.UNITS[units].economy_column)
        observations = read.table("data", columns, fm.example_observations(units))
        r = fm.analyse(units=units, observations=observations, **trip)
    eff = r.efficiency
    return {
        "units": units,
        "optimum": eff.x,
        "best": eff.fun,
        "choice": trip["speed"],
        "at_choice": r.economy_at_speed,
        "mark": (eff.x, eff.fun),
        "curve": _curve(r.economy_curve),
    }


def _compounding(read: _Reader) -> dict:
    d, rng = cm.DEFAULTS, cm.INPUTS

    def number(key: str) -> float:
        lo, hi, _ = rng[key]
        return read.number(key, lo, hi, d[key])

    principal, rate, years = number("principal"), number("rate"), number("years")
    frequency = read.choice("frequency", list(cm.FREQUENCIES), d["frequency"])
    contribution = number("contribution")
    timing = read.choice("timing", cm.TIMINGS, d["timing"]) if contribution else d["timing"]
    inflation, multiple, target_years = number("inflation"), number("target_multiple"), number("target_years")
    rates = read.text("rates", d["rates"], 60)
    growth = number("asset_growth")
    g = cm.analyse(
        principal, rate / 100, years, frequency, contribution, timing, inflation / 100,
        target_multiple=multiple, target_years=target_years, rates=rates,
    )  # fmt: skip
    sale = cm.sell(principal, growth, rate).report
    return {
        "optimum": sale.optimum.x if sale else math.nan,
        "best": sale.present_value if sale else math.nan,
        "choice": years,
        "at_choice": g.value,
        "mark": (years, g.value),
        "curve": _curve(g.curve),
    }


_EVALUATE: dict[str, Callable[[_Reader], dict]] = {
    "pricing": _pricing,
    "study": _study,
    "fuel": _fuel,
    "compounding": _compounding,
}


def read_params(query: str) -> dict[str, str]:
    """A query string's fields, the last value of a repeated key winning (as a page reads its
    link). ValueError for more than ``MAX_FIELDS`` fields.

    >>> read_params("price=60&price=70&data=40:915")
    {'price': '70', 'data': '40:915'}
    """
    return dict(parse_qsl(query, keep_blank_values=True, max_num_fields=MAX_FIELDS))


def _extras(page: str, params: Mapping[str, str]) -> dict[str, str]:
    out = {}
    for key, value in params.items():
        if key in KNOWN[page] or key in IGNORED or not _EXTRA_KEY.fullmatch(key):
            continue
        if len(out) == MAX_EXTRAS:
            break
        out[key] = value[:MAX_EXTRA_CHARS]
    return out


def evaluate(page: str, query: str) -> Scenario:
    """Read a page's query string as that page would and compute its headline results.

    Parameters
    ----------
    page : str
        One of :data:`PAGES`.
    query : str
        The page's query string, as in its address bar (``price=60&unit_cost=25``).

    Returns
    -------
    Scenario
        ``Status.OK``, ``Status.FAILED`` when the page's model refuses the inputs (``error``
        holds its ValueError), or ``Status.UNREADABLE`` when the query cannot be parsed (too
        long, too many fields).

    Raises
    ------
    ValueError
        For a page that is not one of :data:`PAGES`.

    Examples
    --------
    The tutorial's headphones at $60 instead of $50: the best price is still $75.00 with
    $30,250, and $60 makes $28,000.

    >>> s = evaluate("pricing", "price=60")
    >>> s.status, s.optimum, s.best, s.choice, s.at_choice
    (<Status.OK: 'ok'>, 75.0, 30250.0, 60.0, 28000.0)
    >>> s.inputs
    {'model': 'linear', 'unit_cost': 20.0, 'fixed_cost': 0.0, 'price': 60.0, 'demand_intercept': 1300.0, \
'demand_slope': 10.0}

    A value the page would not take gives the default, and a parameter the page does not know
    is kept to show:

    >>> s = evaluate("study", "hours=abc&target=70")
    >>> s.inputs["hours"], s.ignored, s.extras, round(s.at_choice, 2)
    (15.0, ('hours',), {'target': '70'}, 68.89)
    """
    if page not in PAGES:
        raise ValueError(f"page must be one of {', '.join(PAGES)}, got {page!r}")
    if not isinstance(query, str) or len(query) > MAX_ENTRY_CHARS:
        return Scenario(page, Status.UNREADABLE)
    try:
        params = read_params(query)
    except ValueError:
        return Scenario(page, Status.UNREADABLE)
    read = _Reader(params)
    try:
        found = _EVALUATE[page](read)
        status, error = Status.OK, None
    except ValueError as exc:  # a table that cannot be fitted, a balance beyond MAX_BALANCE
        found, status, error = {}, Status.FAILED, exc
    return Scenario(
        page, status, dict(read.inputs), _extras(page, params), tuple(dict.fromkeys(read.ignored)), error=error, **found
    )


# --- a comparison -----------------------------------------------------------------------------


def _economy(values, frm: str, to: str):
    """Fuel economy from one unit system to the other (MPG ↔ L/100 km: one is 235.2/the other)."""
    if frm == to:
        return values
    with np.errstate(divide="ignore"):
        return _MPG_L100 / np.asarray(values, dtype=float)


def _in_units(s: Scenario, units: str) -> Scenario:
    """A Fuel scenario's results (not its inputs) in ``units``."""
    if s.status is not Status.OK or s.units == units:
        return s
    c = fm.KM_PER_MILE if units == "metric" else 1 / fm.KM_PER_MILE
    econ = _economy(np.array([s.best, s.at_choice]), s.units, units)
    curve = pd.DataFrame({"x": s.curve["x"] * c, "y": _economy(s.curve["y"].to_numpy(), s.units, units)})
    return dataclasses.replace(
        s,
        optimum=s.optimum * c,
        best=float(econ[0]),
        choice=s.choice * c,
        at_choice=float(econ[1]),
        mark=(s.optimum * c, float(econ[0])),
        curve=curve,
    )


@dataclass(frozen=True, eq=False)
class Comparison:
    """Up to four scenarios of one page side by side (:func:`compare`).

    ``scenarios`` are in the list's order, one per entry, with ``names``. ``units`` is the unit
    system of Fuel's results (that of its first computed scenario; the others' results are
    converted), ``goal`` whether the value at your choice is best high or low. ``keys`` are
    every input of the scenarios that have inputs, in the page's order, then the parameters the
    page does not know; ``shown`` those the table shows: the ones that differ between them (all
    of them when fewer than two have inputs). ``best`` are the indices of the best computed
    scenarios (several on a tie, none when nothing was computed). ``table`` is the CSV:
    ``scenario``, the inputs, the results (:data:`RESULTS`), ``best``, ``status``, ``link``.
    ``curves`` is every computed scenario's objective (``x``, ``y``, ``scenario``) and ``choices``
    the point of each at the visitor's own choice, where it is not the marked point already.
    """

    page: str
    names: tuple[str, ...]
    scenarios: tuple[Scenario, ...]
    units: str
    goal: str
    keys: tuple[str, ...]
    shown: tuple[str, ...]
    best: tuple[int, ...]
    table: pd.DataFrame
    curves: pd.DataFrame
    choices: pd.DataFrame

    @property
    def computed(self) -> tuple[int, ...]:
        """Indices of the scenarios that were computed (``Status.OK``)."""
        return tuple(i for i, s in enumerate(self.scenarios) if s.status is Status.OK)

    @property
    def with_inputs(self) -> tuple[int, ...]:
        """Indices of the scenarios whose inputs were read (computed or refused by the model)."""
        return tuple(i for i, s in enumerate(self.scenarios) if s.status in (Status.OK, Status.FAILED))

    @property
    def results(self) -> tuple[str, str, str]:
        """CSV names of the three results."""
        return RESULTS["fuel/metric" if self.page == "fuel" and self.units == "metric" else self.page]


def _csv_text(value):
    """Text a visitor wrote, safe in a spreadsheet: a cell starting with ``=``, ``+``, ``-``, ``@``
    or a tab would be run as a formula, so it starts with ``'`` instead (numbers are left alone).

    >>> _csv_text("=HYPERLINK(1)"), _csv_text("Cheap"), _csv_text(-5.0)
    ("'=HYPERLINK(1)", 'Cheap', -5.0)
    """
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _span(values) -> float:
    """max - min of the finite values (1.0 when that is 0 or there are none)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    return float(v.max() - v.min()) or 1.0 if len(v) else 1.0


def _own_point(s: Scenario) -> bool:
    """Whether the chart draws a scenario's own choice as a dot: its value is finite and it is not
    the point already marked (the optimum, to :data:`SAME_POINT_RTOL` of the curve's spans)."""
    if not (math.isfinite(s.choice) and math.isfinite(s.at_choice)):
        return False
    if s.mark is None or not all(map(math.isfinite, s.mark)):
        return True
    dx, dy = (_span(s.curve[c]) if s.curve is not None else 1.0 for c in ("x", "y"))
    return abs(s.choice - s.mark[0]) > SAME_POINT_RTOL * dx or abs(s.at_choice - s.mark[1]) > SAME_POINT_RTOL * dy


def _best(page: str, goal: str, scenarios: Sequence[Scenario]) -> tuple[int, ...]:
    decimals = TIE_DECIMALS.get(page, 2)
    values = {
        i: round(s.at_choice, decimals)
        for i, s in enumerate(scenarios)
        if s.status is Status.OK and math.isfinite(s.at_choice)
    }
    if not values:
        return ()
    top = max(values.values()) if goal == "max" else min(values.values())
    return tuple(i for i, v in values.items() if v == top)


def compare(page: str, entries: Sequence[Entry], evaluate: Callable[[str, str], Scenario] = evaluate) -> Comparison:
    """Evaluate the first :data:`MAX_SCENARIOS` entries of ``page`` and line them up.

    ``evaluate`` computes one scenario (a page passes a cached :func:`evaluate`); it is called
    only for readable entries of ``page``, so at most :data:`MAX_SCENARIOS` times.

    Examples
    --------
    Three prices for the tutorial's headphones: $75 makes the most; only the price differs.

    >>> es = [Entry("Now", "pricing", ""), Entry("Best", "pricing", "price=75"), Entry("High", "pricing", "price=100")]
    >>> c = compare("pricing", es)
    >>> c.shown, [c.names[i] for i in c.best], c.table["profit_at_price"].tolist()
    (('price',), ['Best'], [24000.0, 30250.0, 24000.0])
    >>> list(c.table.columns)  # doctest: +NORMALIZE_WHITESPACE
    ['scenario', 'model', 'unit_cost', 'fixed_cost', 'price', 'demand_intercept', 'demand_slope',
     'best_price', 'best_profit', 'profit_at_price', 'best', 'status', 'link']

    The chart's dots: each scenario's own price, except where it is the best price already marked.

    >>> c.choices.values.tolist()
    [[50.0, 24000.0, 'Now'], [100.0, 24000.0, 'High']]
    """
    if page not in PAGES:
        raise ValueError(f"page must be one of {', '.join(PAGES)}, got {page!r}")
    entries = list(entries)[:MAX_SCENARIOS]
    found = []
    for e in entries:
        if not e.readable:
            found.append(Scenario(page, Status.UNREADABLE))
        elif e.path != page:
            found.append(Scenario(e.path, Status.OTHER_PAGE))
        else:
            found.append(evaluate(e.path, e.query))
    ok = [s for s in found if s.status is Status.OK]
    units = (ok[0].units if ok else "us") if page == "fuel" else ""
    found = [_in_units(s, units) for s in found] if page == "fuel" else found
    goal = "min" if units == "metric" else "max"
    names = tuple(e.name for e in entries)

    have = [i for i, s in enumerate(found) if s.status in (Status.OK, Status.FAILED)]
    extras = list(dict.fromkeys(k for i in have for k in found[i].extras))
    keys = tuple(k for k in KNOWN[page] if any(k in found[i].inputs for i in have)) + tuple(extras)

    def value(i: int, key: str):
        s = found[i]
        return s.inputs.get(key, s.extras.get(key))

    differ = tuple(k for k in keys if len({repr(value(i, k)) for i in have}) > 1)
    best = _best(page, goal, found)
    results = RESULTS["fuel/metric" if units == "metric" else page]
    rows = []
    for i, (e, s) in enumerate(zip(entries, found, strict=True)):
        row: dict[str, object] = {"scenario": _csv_text(e.name)}
        row |= {k: _csv_text(value(i, k)) if i in have else None for k in keys}
        row |= dict(zip(results, (s.optimum, s.best, s.at_choice), strict=True))
        row |= {"best": i in best, "status": s.status.value, "link": _csv_text(e.link or e.raw[:200])}
        rows.append(row)
    columns = ["scenario", *keys, *results, "best", "status", "link"]
    table = pd.DataFrame(rows, columns=columns)
    for col in results:
        table[col] = table[col].astype(float)
    computed = [i for i, s in enumerate(found) if s.status is Status.OK]
    curves = [found[i].curve.assign(scenario=names[i]) for i in computed if found[i].curve is not None]
    points = [(found[i].choice, found[i].at_choice, names[i]) for i in computed if _own_point(found[i])]
    return Comparison(
        page=page,
        names=names,
        scenarios=tuple(found),
        units=units,
        goal=goal,
        keys=keys,
        shown=differ if len(have) > 1 else keys,
        best=best,
        table=table,
        curves=pd.concat(curves, ignore_index=True) if curves else pd.DataFrame(columns=["x", "y", "scenario"]),
        choices=pd.DataFrame(points, columns=["x", "y", "scenario"]),
    )
