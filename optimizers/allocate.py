"""Split a budget between activities with diminishing returns: the equimarginal principle.

Maximise the total value V = Σ vᵢ(xᵢ) subject to Σ xᵢ = B and xᵢ ≥ 0, where every vᵢ is concave
and increasing (hours of study per subject, dollars per ad channel). The Karush–Kuhn–Tucker
conditions say what the best split looks like: there is one number λ, the value of the last
unit of budget, such that

* every funded activity (xᵢ > 0) has the same marginal value, vᵢ′(xᵢ) = λ, and
* no unfunded activity's first unit is worth more: vᵢ′(0) ≤ λ where xᵢ = 0.

So the problem is solved exactly, without a general optimiser ("water-filling"): for a trial
λ every xᵢ(λ) is known (where vᵢ′ = λ, or 0 when vᵢ′(0) ≤ λ), and Σ xᵢ(λ) = B is one
equation in λ that falls as λ rises. The funded set only changes at the λ values vᵢ′(0); the
total Σ xᵢ is evaluated there first, which finds the segment holding B and, with it, the
budget range over which the same activities stay funded (Excel Solver's allowable increase
and decrease). On that segment the equation is smooth and ``scipy.optimize.brentq`` solves it
with the engine's tolerances (:mod:`optimizers.calculus`). The unknown is not λ but
w = ln vⱼ′(0) − ln λ, how far λ lies below the smallest first marginal value among the funded
activities: λ keeps its relative precision wherever it is (10⁻³⁰⁰ or 10²⁴), and the newest
activity's amount, however small, is not lost to rounding. Newton steps then make Σ xᵢ = B to
rounding however small B is. Work: O(rows² + rows × root-finder iterations), rows ≤ 8.

By the envelope theorem the best total value rises by λ per extra unit of budget (dV*/dB = λ),
and differentiating Σ xᵢ(λ) = B gives each activity's share of an extra unit,
dxᵢ*/dB = (1/vᵢ″(xᵢ)) / Σⱼ (1/vⱼ″(xⱼ)) over the funded activities.

Two curve families, each with its value, first and second derivatives in closed form:

* :class:`Diminishing` — v(x) = M(1 − e^(−k x)) (the Study page's curve): ceiling M, rate k;
  funded xᵢ = ln(Mᵢkᵢ/λ)/kᵢ.
* :class:`Log` — v(x) = a·ln(1 + x/s) (ad channels): weight a, scale s; funded xᵢ = aᵢ/λ − sᵢ.

Results carry numbers and enum statuses only; ``explain`` writes the sentences.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import quote, unquote

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from optimizers import tables
from optimizers.calculus import BRENTQ_MAXITER, BRENTQ_RTOL, BRENTQ_XTOL
from optimizers.sensitivity import COLUMNS

__all__ = [
    "CURVE_POINTS",
    "MAX_ACTIVITIES",
    "MAX_BUDGET",
    "MAX_NAME_CHARS",
    "MAX_PARAMETER",
    "MAX_TABLE_ROWS",
    "MIN_ACTIVITIES",
    "MIN_BUDGET",
    "MIN_PARAMETER",
    "OPTIMAL_RTOL",
    "PARAMETERS",
    "PRESETS",
    "SENSITIVITY_PARAMETER",
    "SHARE_COLUMNS",
    "SWEEP_POINTS",
    "Activity",
    "AllocateReport",
    "Allocation",
    "BudgetSweep",
    "Comparison",
    "Diminishing",
    "Family",
    "Log",
    "Move",
    "MoveKind",
    "Preset",
    "Share",
    "Status",
    "Verdict",
    "activities_table",
    "allocate",
    "analyse",
    "budget_sweep",
    "columns",
    "compare",
    "decode_activities",
    "encode_activities",
    "make_curve",
    "marginal_curves",
    "validate_table",
]

#: Fewest and most activities in one split (a table of 500 rows is refused before any work).
MIN_ACTIVITIES = 2
MAX_ACTIVITIES = 8
#: Most rows of a table read at all, blank ones (a data editor's spare rows) included; a
#: longer table is refused before any cell is read.
MAX_TABLE_ROWS = 3 * MAX_ACTIVITIES
#: Every curve parameter lies in [MIN_PARAMETER, MAX_PARAMETER] and the budget in
#: [MIN_BUDGET, MAX_BUDGET]: wide enough for hours, dollars and points at any sensible scale,
#: narrow enough that every intermediate (1/rate, ln λ, rate × budget, each amount) is a finite,
#: normal double, so every solve stays finite and Σ xᵢ = B holds to rounding. (λ itself may
#: underflow to 0 where every curve is saturated; ``Allocation.log_lam`` stays exact.)
MIN_PARAMETER = 1e-12
MAX_PARAMETER = 1e12
MIN_BUDGET = 1e-12
MAX_BUDGET = 1e12
#: Longest activity name, in characters (a name is a label, and it travels in the link).
MAX_NAME_CHARS = 40
#: Budgets sampled by :func:`budget_sweep` (plus the breakpoints in range), and its ceiling.
SWEEP_POINTS = 121
MAX_SWEEP_POINTS = 2001
#: Points per activity in :func:`marginal_curves`, and its ceiling.
CURVE_POINTS = 121
MAX_CURVE_POINTS = 2001
#: Newton steps after brentq (each one squares the relative error of Σ xᵢ = B; two suffice).
NEWTON_STEPS = 4
#: A split whose value is within this share of the best value is called the best.
OPTIMAL_RTOL = 1e-9
#: The input named by the sensitivity table's rows ("budget:Maths", see Allocation.sensitivity).
SENSITIVITY_PARAMETER = "budget"
#: Columns of :meth:`Allocation.table` (a contract: the CSV download reads them).
SHARE_COLUMNS = (
    "name",
    "status",
    "amount",
    "share",
    "value",
    "marginal",
    "first_marginal",
    "reduced_gradient",
    "amount_per_budget",
    "entry_budget",
)

_EPS = float(np.finfo(float).eps)
_LOG_MAX = math.log(float(np.finfo(float).max)) - 1.0


class Family(enum.Enum):
    """A curve family; the value is its name in a link (``?curve=log``)."""

    DIMINISHING = "diminishing"
    LOG = "log"


#: The table's parameter columns for each family, in order.
PARAMETERS: dict[Family, tuple[str, str]] = {
    Family.DIMINISHING: ("ceiling", "rate"),
    Family.LOG: ("weight", "scale"),
}


class Status(enum.Enum):
    """Whether the best split gives an activity any budget."""

    FUNDED = "funded"
    UNFUNDED = "unfunded"


class Verdict(enum.Enum):
    """How a visitor's split compares with the best one (see :func:`compare`)."""

    BEST = "best"  # within OPTIMAL_RTOL of the best value
    IMPROVABLE = "improvable"


class MoveKind(enum.Enum):
    """How the best single move ends (see :class:`Move`)."""

    BALANCED = "balanced"  # the two marginal values meet
    ALL = "all"  # the whole of the source moves and the target is still worth more per unit


def columns(family: Family | str) -> tuple[str, str, str]:
    """The activities table's columns for ``family``: ``name`` and its two parameters.

    Examples
    --------
    >>> columns("diminishing"), columns(Family.LOG)
    (('name', 'ceiling', 'rate'), ('name', 'weight', 'scale'))
    """
    return ("name", *PARAMETERS[_family(family)])


def _family(family: Family | str) -> Family:
    if isinstance(family, Family):
        return family
    try:
        return Family(family)
    except ValueError:
        known = ", ".join(repr(f.value) for f in Family)
        raise ValueError(f"unknown curve family {family!r}; use one of {known}") from None


# --- Curves -----------------------------------------------------------------------------------


def _shape(family: Family, p1: float, p2: float) -> str:
    """What a curve with these (possibly non-positive) parameters would look like on x ≥ 0."""
    if family is Family.DIMINISHING:  # v′ = M k e^(−kx), v″ = −M k² e^(−kx)
        if p1 == 0 or p2 == 0:
            return "flat (it returns nothing)"
        problems = []
        if p1 * p2 < 0:
            problems.append("decreasing")
        if p1 < 0:
            problems.append("not concave (its returns grow)")
        return " and ".join(problems)
    if p2 <= 0:  # ln(1 + x/s) with s ≤ 0
        return "undefined (ln(1 + x/scale) needs a positive scale)"
    if p1 == 0:
        return "flat (it returns nothing)"
    return "decreasing and not concave (its returns grow)"  # a < 0: v′ = a/(s + x) < 0, v″ > 0


def _check_parameters(family: Family, p1: float, p2: float) -> tuple[float, float]:
    names = PARAMETERS[family]
    values = []
    for name, v in zip(names, (p1, p2), strict=True):
        if isinstance(v, bool | np.bool_):
            raise TypeError(f"{name} must be a number, got {v!r}")
        try:
            v = float(v)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be a number, got {v!r}") from None
        if not math.isfinite(v):
            raise ValueError(f"{name} must be a finite number, got {v}")
        values.append(v)
    for name, v in zip(names, values, strict=True):
        if v <= 0:
            raise ValueError(
                f"{name} must be positive, got {v:g}: the curve would be {_shape(family, *values)}; "
                "returns must be increasing and concave"
            )
    for name, v in zip(names, values, strict=True):
        if not MIN_PARAMETER <= v <= MAX_PARAMETER:
            raise ValueError(f"{name} must be between {MIN_PARAMETER:g} and {MAX_PARAMETER:g}, got {v:g}")
    return values[0], values[1]


@dataclass(frozen=True)
class Diminishing:
    """v(x) = ceiling · (1 − e^(−rate · x)): at most ``ceiling``, approached at ``rate`` per unit.

    The first unit is worth ceiling × rate; each unit after it is worth e^(−rate) times the one
    before (half as much after ln 2 / rate units).

    Examples
    --------
    >>> c = Diminishing(40.0, 0.3)
    >>> float(c.marginal(0.0)), round(float(c.value(10.0)), 4), round(c.amount(math.log(6.0)), 12)
    (12.0, 38.0085, 2.310490601866)
    """

    ceiling: float
    rate: float
    family: ClassVar[Family] = Family.DIMINISHING

    def __post_init__(self) -> None:
        m, k = _check_parameters(Family.DIMINISHING, self.ceiling, self.rate)
        object.__setattr__(self, "ceiling", m)
        object.__setattr__(self, "rate", k)

    @property
    def parameters(self) -> tuple[float, float]:
        return (self.ceiling, self.rate)

    @property
    def log_first_marginal(self) -> float:
        """ln v′(0) = ln(ceiling · rate) (the product is finite and normal inside the parameter
        box, and equal products give equal logarithms, so tied activities enter together)."""
        return math.log(self.ceiling * self.rate)

    def value(self, x):
        """v(x) = −M · expm1(−k x) (no cancellation for small x)."""
        return -self.ceiling * np.expm1(-self.rate * np.asarray(x, dtype=float))

    def gap(self, x):
        """ln v′(0) − ln v′(x) = k x: how far below its first unit the marginal value has fallen."""
        return self.rate * np.asarray(x, dtype=float)

    def log_marginal(self, x):
        """ln v′(x) = ln(M k) − k x."""
        return self.log_first_marginal - self.gap(x)

    @property
    def first_marginal(self) -> float:
        """v′(0) = ceiling · rate, the value of the first unit."""
        return self.ceiling * self.rate

    def marginal(self, x):
        """v′(x) = M k e^(−k x)."""
        return self.ceiling * self.rate * np.exp(-self.rate * np.asarray(x, dtype=float))

    def second(self, x):
        """v″(x) = −k · v′(x)."""
        return -self.rate * self.marginal(x)

    def gain(self, x: float, delta: float) -> float:
        """v(x + delta) − v(x), without cancellation or overflow: M e^(−k lo) · (1 − e^(−k |delta|))
        with lo the smaller of x and x + delta, signed like delta."""
        k = self.rate
        if delta >= 0:
            return float(-self.ceiling * math.exp(-k * x) * math.expm1(-k * delta))
        return float(self.ceiling * math.exp(-k * (x + delta)) * math.expm1(k * delta))

    def amount_at_gap(self, g: float) -> float:
        """The inverse of :meth:`gap`: g / k (0 for g ≤ 0)."""
        return g / self.rate if g > 0 else 0.0

    def amount_per_gap(self, x: float) -> float:
        """d amount / d gap at amount x: 1/k (= −v′/v″)."""
        return 1.0 / self.rate

    def amount(self, log_lam: float) -> float:
        """Where v′(x) = e^log_lam: (ln(M k) − ln λ) / k, or 0 when v′(0) ≤ λ."""
        return self.amount_at_gap(self.log_first_marginal - log_lam)


@dataclass(frozen=True)
class Log:
    """v(x) = weight · ln(1 + x / scale): the first unit is worth weight / scale, and at
    x = scale one unit is worth half as much as the first.

    Examples
    --------
    >>> c = Log(120.0, 400.0)
    >>> float(c.marginal(0.0)), float(c.marginal(400.0)), round(c.amount(math.log(0.15)), 9)
    (0.3, 0.15, 400.0)
    """

    weight: float
    scale: float
    family: ClassVar[Family] = Family.LOG

    def __post_init__(self) -> None:
        a, s = _check_parameters(Family.LOG, self.weight, self.scale)
        object.__setattr__(self, "weight", a)
        object.__setattr__(self, "scale", s)

    @property
    def parameters(self) -> tuple[float, float]:
        return (self.weight, self.scale)

    @property
    def log_first_marginal(self) -> float:
        """ln v′(0) = ln(a / s)."""
        return math.log(self.weight / self.scale)

    def value(self, x):
        """v(x) = a · log1p(x / s)."""
        return self.weight * np.log1p(np.asarray(x, dtype=float) / self.scale)

    def gap(self, x):
        """ln v′(0) − ln v′(x) = log1p(x / s)."""
        return np.log1p(np.asarray(x, dtype=float) / self.scale)

    def log_marginal(self, x):
        """ln v′(x) = ln a − ln(s + x)."""
        return math.log(self.weight) - np.log(self.scale + np.asarray(x, dtype=float))

    @property
    def first_marginal(self) -> float:
        """v′(0) = weight / scale, the value of the first unit."""
        return self.weight / self.scale

    def marginal(self, x):
        """v′(x) = a / (s + x)."""
        return self.weight / (self.scale + np.asarray(x, dtype=float))

    def second(self, x):
        """v″(x) = −a / (s + x)²."""
        t = self.scale + np.asarray(x, dtype=float)
        return -(self.weight / t) / t

    def gain(self, x: float, delta: float) -> float:
        """v(x + delta) − v(x) = a · ln((s + x + delta) / (s + x)): log1p of the ratio's excess
        for small moves, the difference of logarithms when nearly all of s + x is taken away."""
        r = delta / (self.scale + x)
        if r > -0.5:
            return float(self.weight * math.log1p(r))
        return float(self.weight * (math.log(self.scale + (x + delta)) - math.log(self.scale + x)))

    def amount_at_gap(self, g: float) -> float:
        """The inverse of :meth:`gap`: s · expm1(g) (0 for g ≤ 0, inf where it overflows)."""
        if g <= 0:
            return 0.0
        return self.scale * math.expm1(g) if g < _LOG_MAX else math.inf

    def amount_per_gap(self, x: float) -> float:
        """d amount / d gap at amount x: s + x (= −v′/v″)."""
        return self.scale + x

    def amount(self, log_lam: float) -> float:
        """Where v′(x) = e^log_lam: s · expm1(ln(a/s) − ln λ) = a/λ − s, or 0 when v′(0) ≤ λ."""
        return self.amount_at_gap(self.log_first_marginal - log_lam)


Curve = Diminishing | Log
_CURVES: dict[Family, type] = {Family.DIMINISHING: Diminishing, Family.LOG: Log}


def make_curve(family: Family | str, p1: float, p2: float) -> Curve:
    """The curve of ``family`` with its two parameters in :data:`PARAMETERS` order.

    Raises
    ------
    ValueError
        Unknown family; a parameter that is not a finite number, not positive (the message says
        what the curve would be: decreasing, not concave, flat) or outside
        [MIN_PARAMETER, MAX_PARAMETER].

    Examples
    --------
    >>> make_curve("log", 120, 400)
    Log(weight=120.0, scale=400.0)
    >>> make_curve("diminishing", 40, -0.3)
    Traceback (most recent call last):
    ...
    ValueError: rate must be positive, got -0.3: the curve would be decreasing; returns must be increasing and concave
    """
    return _CURVES[_family(family)](p1, p2)


@dataclass(frozen=True)
class Activity:
    """One thing the budget can go to: a name (non-empty, at most MAX_NAME_CHARS) and its curve."""

    name: str
    curve: Curve

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"an activity's name must be non-empty text, got {self.name!r}")
        if len(self.name.strip()) > MAX_NAME_CHARS:
            raise ValueError(f"an activity's name has at most {MAX_NAME_CHARS} characters, got {len(self.name):,}")
        if not isinstance(self.curve, Diminishing | Log):
            raise TypeError(f"an activity's curve must be Diminishing or Log, got {type(self.curve).__name__}")
        object.__setattr__(self, "name", self.name.strip())


def _check_activities(activities: Sequence[Activity]) -> tuple[Activity, ...]:
    if isinstance(activities, pd.DataFrame):
        raise TypeError("pass validate_table(table, family) (a tuple of Activity), not the DataFrame")
    acts = tuple(activities)
    if not MIN_ACTIVITIES <= len(acts) <= MAX_ACTIVITIES:
        raise ValueError(f"a split needs between {MIN_ACTIVITIES} and {MAX_ACTIVITIES} activities, got {len(acts):,}")
    seen: dict[str, int] = {}
    for i, a in enumerate(acts, start=1):
        if not isinstance(a, Activity):
            raise TypeError(f"activity {i} must be an Activity, got {type(a).__name__}")
        key = a.name.casefold()
        if key in seen:
            raise ValueError(f"activities {seen[key]} and {i} have the same name {a.name!r}; names must be unique")
        seen[key] = i
    return acts


def _check_budget(budget: float, what: str = "budget") -> float:
    if isinstance(budget, bool | np.bool_):
        raise TypeError(f"{what} must be a number, got {budget!r}")
    try:
        b = float(budget)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a number, got {budget!r}") from None
    if not math.isfinite(b):
        raise ValueError(f"{what} must be a finite number, got {b}")
    if b <= 0:
        raise ValueError(f"{what} must be positive, got {b:g}")
    if not MIN_BUDGET <= b <= MAX_BUDGET:
        raise ValueError(f"{what} must be between {MIN_BUDGET:g} and {MAX_BUDGET:g}, got {b:g}")
    return b


# --- The activities table: validate, encode for a link, decode ----------------------------------


def _blank(cell: object) -> bool:
    if cell is None:
        return True
    if isinstance(cell, float) and math.isnan(cell):
        return True
    return isinstance(cell, str) and not cell.strip()


def _row(index: object) -> str:
    return str(index + 1) if isinstance(index, int | np.integer) else str(index)


def validate_table(table: pd.DataFrame, family: Family | str) -> tuple[Activity, ...]:
    """The activities in a table a visitor typed, uploaded or opened from a link.

    Parameters
    ----------
    table : DataFrame
        Columns :func:`columns` (``name`` and the family's two parameters), matched
        case-insensitively; other columns are ignored and rows with every cell blank (the data
        editor's empty row) are dropped. Rows are numbered from 1 in messages.
    family : Family or str
        ``"diminishing"`` (ceiling, rate) or ``"log"`` (weight, scale).

    Returns
    -------
    tuple of Activity
        In table order.

    Raises
    ------
    ValueError
        Naming the problem: more than MAX_TABLE_ROWS rows (checked before any cell is read),
        more than MAX_ACTIVITIES or fewer than MIN_ACTIVITIES non-blank rows; a missing column; an empty, too long or duplicate name
        (case-insensitive); a missing or non-numeric cell; a parameter that is not finite, not
        positive (the message says the curve would be decreasing, not concave or flat) or
        outside [MIN_PARAMETER, MAX_PARAMETER].

    Examples
    --------
    >>> t = pd.DataFrame({"name": ["Maths", "French"], "ceiling": [40, 25], "rate": [0.3, 0.1]})
    >>> [(a.name, a.curve.ceiling) for a in validate_table(t, "diminishing")]
    [('Maths', 40.0), ('French', 25.0)]
    >>> validate_table(t.assign(name=["Maths", "maths"]), "diminishing")
    Traceback (most recent call last):
    ...
    ValueError: rows 1 and 2 have the same name 'maths'; names must be unique
    """
    fam = _family(family)
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame, got {type(table).__name__}")
    if len(table) > MAX_TABLE_ROWS:
        # refused before any cell is read: a stranger's 500-row table costs nothing
        raise ValueError(f"the table has {len(table):,} rows; at most {MAX_ACTIVITIES} activities are allowed")
    cols = columns(fam)
    lower = {str(c).strip().lower(): c for c in table.columns}
    missing = [c for c in cols if c not in lower]
    if missing:
        raise ValueError(
            f"missing column(s) {', '.join(map(repr, missing))}: a {fam.value} table needs "
            f"{', '.join(map(repr, cols))}; found {tables.name_some(table.columns)}"
        )
    t = table[[lower[c] for c in cols]]
    t.columns = list(cols)
    t = t[~t.apply(lambda col: col.map(_blank)).all(axis=1).to_numpy()]
    if not MIN_ACTIVITIES <= len(t) <= MAX_ACTIVITIES:
        raise ValueError(
            f"the table has {len(t):,} activities; between {MIN_ACTIVITIES} and {MAX_ACTIVITIES} are allowed"
        )
    out: list[Activity] = []
    seen: dict[str, str] = {}
    for index, row in zip(t.index, t.itertuples(index=False), strict=True):
        label = _row(index)
        raw = row[0]
        name = "" if _blank(raw) else str(raw).strip()
        if not name:
            raise ValueError(f"row {label}: the name is empty")
        if len(name) > MAX_NAME_CHARS:
            raise ValueError(
                f"row {label}: the name has {len(name):,} characters; at most {MAX_NAME_CHARS} are allowed"
            )
        where = f"row {label} ({tables.name_some([name])})"
        if name.casefold() in seen:
            raise ValueError(
                f"rows {seen[name.casefold()]} and {label} have the same name {name!r}; names must be unique"
            )
        seen[name.casefold()] = label
        params = []
        for column, cell in zip(cols[1:], row[1:], strict=True):
            if _blank(cell):
                raise ValueError(f"{where}: {column} is missing")
            number = _number(cell)
            if number is None:
                shown = repr(cell) if isinstance(cell, str) else str(cell)
                raise ValueError(f"{where}: {column} must be a number, got {shown[:40]}")
            params.append(number)
        try:
            curve = make_curve(fam, *params)
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
        out.append(Activity(name, curve))
    return tuple(out)


def _number(cell: object) -> float | None:
    """A cell as a float (strings like "1,200" or "$400" too), or None when it is not a number."""
    if isinstance(cell, bool | np.bool_):
        return None
    if isinstance(cell, str):
        cell = cell.strip().replace(",", "").lstrip("$").strip()
    try:
        return float(cell)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def activities_table(activities: Sequence[Activity]) -> pd.DataFrame:
    """The table of ``activities`` (all of one family), in :func:`columns` order.

    Examples
    --------
    >>> activities_table(PRESETS["ads"].activities()).columns.tolist()
    ['name', 'weight', 'scale']
    """
    acts = _check_activities(activities)
    families = {a.curve.family for a in acts}
    if len(families) != 1:
        raise ValueError(
            "a table holds one curve family; these activities mix " + " and ".join(sorted(f.value for f in families))
        )
    fam = families.pop()
    return pd.DataFrame([(a.name, *a.curve.parameters) for a in acts], columns=list(columns(fam)))


def encode_activities(table: pd.DataFrame, family: Family | str) -> str | None:
    """The table as compact link text: ``Maths:40:0.3,History:30:0.2``, or None when it cannot go
    into a link.

    Names are percent-escaped (``,`` ``:`` ``%`` and non-ASCII; spaces stay), the numbers are
    written by :func:`optimizers.tables.encode_table` (10 significant digits, blanks stay blank),
    so an invalid table being edited still travels and reproduces its error. None when a column
    is missing, a cell is neither a number nor blank, or the text would be longer than
    ``tables.MAX_LINK_CHARS`` or hold more than ``tables.MAX_LINK_ROWS`` rows.

    Examples
    --------
    >>> encode_activities(PRESETS["study"].table(), "diminishing")
    'Maths:40:0.3,History:30:0.2,French:25:0.1'
    >>> encode_activities(pd.DataFrame({"name": ["A, b"], "weight": [1], "scale": [None]}), "log")
    'A%2C b:1:'
    """
    cols = columns(family)
    if not isinstance(table, pd.DataFrame) or any(c not in table.columns for c in cols):
        return None
    numbers = tables.encode_table(table, cols[1:])
    if numbers is None:
        return None
    names = ["" if _blank(v) else quote(str(v), safe=" ") for v in table["name"]]
    rows = numbers.split(",") if len(table) else []
    text = ",".join(f"{n}:{r}" for n, r in zip(names, rows, strict=True))
    return text if len(text) <= tables.MAX_LINK_CHARS else None


def decode_activities(text: str, family: Family | str) -> pd.DataFrame:
    """The table from :func:`encode_activities` text (not yet validated: see
    :func:`validate_table`), or ValueError saying what is wrong with the link.

    Examples
    --------
    >>> decode_activities("Maths:40:0.3,A%2C b:25:", "diminishing").to_dict("list")
    {'name': ['Maths', 'A, b'], 'ceiling': [40.0, 25.0], 'rate': [0.3, nan]}
    """
    cols = columns(family)
    if not isinstance(text, str):
        raise TypeError(f"the table in the link must be text, got {type(text).__name__}")
    if len(text) > tables.MAX_LINK_CHARS:
        raise ValueError(
            f"the table in the link is {len(text):,} characters long; at most {tables.MAX_LINK_CHARS:,} are read"
        )
    rows = text.split(",") if text else []
    if len(rows) > tables.MAX_LINK_ROWS:
        raise ValueError(f"the table in the link has {len(rows):,} rows; a link carries at most {tables.MAX_LINK_ROWS}")
    names, cells = [], []
    for i, row in enumerate(rows, start=1):
        name, sep, rest = row.partition(":")
        if not sep:
            raise ValueError(f"row {i} of the table in the link has no numbers")
        names.append(unquote(name))
        cells.append(rest)
    numbers = tables.decode_table(",".join(cells), cols[1:])
    out = pd.DataFrame({"name": pd.Series(names, dtype=object)})
    for c in cols[1:]:
        out[c] = numbers[c].to_numpy(dtype=float) if len(numbers) else np.array([], dtype=float)
    return out


# --- Presets ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preset:
    """A ready-made split: its family, rows (name and parameters), default budget, the
    budget slider's (lo, hi, step) and short unit labels."""

    family: Family
    rows: tuple[tuple[str, float, float], ...]
    budget: float
    budget_range: tuple[float, float, float]
    budget_unit: str
    value_unit: str

    def table(self) -> pd.DataFrame:
        """A fresh DataFrame (the page may edit it)."""
        return pd.DataFrame([list(r) for r in self.rows], columns=list(columns(self.family)))

    def activities(self) -> tuple[Activity, ...]:
        return tuple(Activity(name, make_curve(self.family, p1, p2)) for name, p1, p2 in self.rows)


#: ``study``: points gained per subject from hours of study a week, v = M(1 − e^(−k h)).
#: Maths can still gain 40 points and is learned fast (k = 0.3/h, first hour worth 12 points);
#: History 30 points at 0.2/h (first hour 6); French 25 points but slowly, 0.1/h (first hour
#: 2.5). French gets no time below 9.61 h a week; at the default 12 h it gets 1.3 h.
#: ``ads``: sign-ups a week per channel from dollars a week, v = a·ln(1 + x/s). Search: weight
#: 120, scale $400 (the first dollar brings 0.3 sign-ups, one every $3.33); Social: 150, $1,000
#: (0.15); Display: 60, $800 (0.075). Display gets nothing below $2,200 a week; at the default
#: $3,000 it gets $145.
PRESETS: dict[str, Preset] = {
    "study": Preset(
        Family.DIMINISHING,
        (("Maths", 40.0, 0.3), ("History", 30.0, 0.2), ("French", 25.0, 0.1)),
        budget=12.0,
        budget_range=(1.0, 40.0, 0.5),
        budget_unit="h/week",
        value_unit="points",
    ),
    "ads": Preset(
        Family.LOG,
        (("Search", 120.0, 400.0), ("Social", 150.0, 1000.0), ("Display", 60.0, 800.0)),
        budget=3000.0,
        budget_range=(100.0, 10000.0, 100.0),
        budget_unit="$/week",
        value_unit="sign-ups/week",
    ),
}


# --- The exact solve --------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    """One activity in the best split.

    Attributes
    ----------
    name : str
    status : Status
        FUNDED when the best split gives it budget.
    amount : float
        xᵢ* (0 when unfunded).
    value : float
        vᵢ(xᵢ*).
    marginal : float
        vᵢ′(xᵢ*): λ when funded, vᵢ′(0) when not.
    first_marginal : float
        vᵢ′(0), the value of its first unit (the λ below which it is funded).
    reduced_gradient : float
        vᵢ′(0) − λ when unfunded (≤ 0: its first unit would have to be worth this much more to
        deserve budget), 0 when funded (Excel Solver's reduced gradient).
    amount_per_budget : float
        dxᵢ*/dB: how much of one more unit of budget it gets (0 when unfunded; they sum to 1).
    entry_budget : float
        The budget at which it gets its first unit (0 for the activity with the highest vᵢ′(0)).
    """

    name: str
    status: Status
    amount: float
    value: float
    marginal: float
    first_marginal: float
    reduced_gradient: float
    amount_per_budget: float
    entry_budget: float


@dataclass(frozen=True)
class Allocation:
    """The best split of ``budget`` (see :func:`allocate`).

    Attributes
    ----------
    budget : float
    lam : float
        λ = dV*/dB, the value of one more unit of budget (the marginal value every funded
        activity has). ``log_lam`` is ln λ, finite even where λ underflows to 0 (a budget of
        10¹² hours on curves that saturate within a second).
    value : float
        V* = Σ vᵢ(xᵢ*).
    shares : tuple of Share
        In the order of the activities given.
    budget_low, budget_high : float
        The same activities stay funded for budgets in (budget_low, budget_high]; budget_high
        is inf when every activity is funded. These are exact: the budgets at which λ reaches
        the next vᵢ′(0).
    lam_low, lam_high : float
        λ over that range: λ(budget_high) = lam_low (the largest vᵢ′(0) of an unfunded
        activity, 0 when none) and λ → lam_high (the smallest vᵢ′(0) of a funded one) as the
        budget falls to budget_low.
    lam_per_budget : float
        dλ/dB (negative: each unit of budget is worth less than the one before).
    iterations : int
        brentq iterations plus Newton steps.
    """

    budget: float
    lam: float
    log_lam: float
    value: float
    shares: tuple[Share, ...]
    budget_low: float
    budget_high: float
    lam_low: float
    lam_high: float
    lam_per_budget: float
    iterations: int

    @property
    def allowable_increase(self) -> float:
        """How far the budget may rise with the same activities funded (inf when all are)."""
        return self.budget_high - self.budget

    @property
    def allowable_decrease(self) -> float:
        """How far the budget may fall (strictly less than this) with the same activities funded."""
        return self.budget - self.budget_low

    @property
    def amounts(self) -> np.ndarray:
        return np.array([s.amount for s in self.shares])

    @property
    def funded(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.shares if s.status is Status.FUNDED)

    def table(self) -> pd.DataFrame:
        """One row per activity, columns :data:`SHARE_COLUMNS` (``status`` as its enum value,
        ``share`` = amount / budget)."""
        rows = [
            {
                "name": s.name,
                "status": s.status.value,
                "amount": s.amount + 0.0,
                "share": s.amount / self.budget + 0.0,
                "value": s.value + 0.0,
                "marginal": s.marginal,
                "first_marginal": s.first_marginal,
                "reduced_gradient": s.reduced_gradient + 0.0,
                "amount_per_budget": s.amount_per_budget + 0.0,
                "entry_budget": s.entry_budget + 0.0,
            }
            for s in self.shares
        ]
        return pd.DataFrame(rows, columns=list(SHARE_COLUMNS))

    def sensitivity(self) -> pd.DataFrame:
        """How the best split responds to the budget, in the contract columns
        ``optimizers.sensitivity.COLUMNS``: one row per activity.

        * ``parameter``: ``"budget:<name>"`` — the input (the budget) and, after the first
          colon, the activity whose amount is the row's optimum;
        * ``value``: the budget B (the input's value; the same on every row);
        * ``optimum_change_per_unit``: dxᵢ*/dB (0 when unfunded; the rows sum to 1);
        * ``best_change_per_unit``: dV*/dB = λ (envelope theorem; the same on every row);
        * ``optimum_elasticity``: (dxᵢ*/dB)·B/xᵢ*, the % change of the activity's amount per
          1% more budget (0 when unfunded, as for any optimum that does not move).

        At a budget where the funded set changes (allowable_increase = 0) the rates are those
        of the funded set, i.e. the budget's left derivative.
        """
        rows = []
        for s in self.shares:
            dx = s.amount_per_budget
            elasticity = dx * self.budget / s.amount if s.amount > 0 else 0.0
            rows.append(
                {
                    "parameter": f"{SENSITIVITY_PARAMETER}:{s.name}",
                    "value": self.budget,
                    "optimum_change_per_unit": dx + 0.0,
                    "best_change_per_unit": self.lam + 0.0,
                    "optimum_elasticity": elasticity + 0.0,
                }
            )
        return pd.DataFrame(rows, columns=COLUMNS)


class _Solver:
    """The activities' breakpoints, computed once; :meth:`solve` then splits any budget.

    The unknown is w = ln vⱼ′(0) − ln λ ≥ 0, measured down from the smallest first marginal
    value among the funded activities, not ln λ itself: the newest funded activity then gets
    exactly amount_at_gap(w), however small, where (ln vⱼ′(0) − ln λ) would be all rounding.
    """

    def __init__(self, acts: tuple[Activity, ...]) -> None:
        self.acts = acts
        self.curves = [a.curve for a in acts]
        self.lt = np.array([c.log_first_marginal for c in self.curves])
        # distinct ln vᵢ′(0), highest first, and the total Σ xᵢ at each: the breakpoints
        self.levels = np.unique(self.lt)[::-1]
        self.totals = np.array(
            [
                math.fsum(c.amount_at_gap(float(t - u)) for c, t in zip(self.curves, self.lt, strict=True) if t > u)
                for u in self.levels
            ]
        )

    def entry_budgets(self) -> np.ndarray:
        index = {float(u): b for u, b in zip(self.levels, self.totals, strict=True)}
        return np.array([index[float(u)] for u in self.lt])

    def solve(self, budget: float) -> tuple[float, np.ndarray, np.ndarray, int, int]:
        """(w, funded mask, offsets ln vᵢ′(0) − ln vⱼ′(0), segment j, iterations) for one budget."""
        # segment j: totals[j] < B <= totals[j + 1] (totals[p] = inf: all funded below levels[-1])
        j = int(np.searchsorted(self.totals, budget, side="left")) - 1
        level = float(self.levels[j])
        funded = self.lt >= level
        offsets = np.where(funded, self.lt - level, 0.0)
        pairs = [(c, float(d)) for c, d, f in zip(self.curves, offsets, funded, strict=True) if f]

        def excess(w: float) -> float:  # Σ xᵢ − B, rising with w; −(totals[j] − B) > 0 at w = 0
            return math.fsum(c.amount_at_gap(d + w) for c, d in pairs) - budget

        if j + 1 < len(self.levels):
            hi = level - float(self.levels[j + 1])
        else:
            # the first w at which one funded activity alone takes the whole budget (there every
            # other one takes at most B); step further out while rounding leaves Σ xᵢ a hair short
            hi = min(float(c.gap(budget)) - d for c, d in pairs)
            step = hi
            for _ in range(64):
                if excess(hi) >= 0:
                    break
                hi, step = hi + step, 2 * step
        iterations = 0
        if excess(hi) <= 0:  # B is the next breakpoint (to rounding): its activity gets 0
            w = hi
        else:
            w, info = brentq(
                excess,
                0.0,
                hi,
                xtol=BRENTQ_XTOL,
                rtol=BRENTQ_RTOL,
                maxiter=BRENTQ_MAXITER,
                full_output=True,
                disp=False,
            )
            iterations = info.iterations
        for _ in range(NEWTON_STEPS):  # Σ xᵢ = B to rounding, relative to B however small B is
            r = excess(w)
            if abs(r) <= 2 * _EPS * budget:
                break
            slope = math.fsum(c.amount_per_gap(c.amount_at_gap(d + w)) for c, d in pairs)
            step = min(max(w - r / slope, 0.0), hi)
            iterations += 1
            if step == w:
                break
            w = step
        return float(w), funded, offsets, j, iterations


def allocate(activities: Sequence[Activity], budget: float) -> Allocation:
    """The best split of ``budget`` between ``activities``: maximise Σ vᵢ(xᵢ), Σ xᵢ = B, xᵢ ≥ 0.

    Parameters
    ----------
    activities : sequence of Activity
        MIN_ACTIVITIES to MAX_ACTIVITIES, unique names (from :func:`validate_table` or a
        :class:`Preset`); families may be mixed.
    budget : float
        B, in [MIN_BUDGET, MAX_BUDGET].

    Returns
    -------
    Allocation

    Raises
    ------
    ValueError
        Too few or too many activities, duplicate names, a budget that is not a positive finite
        number in [MIN_BUDGET, MAX_BUDGET].

    Notes
    -----
    Exact water-filling (see the module docstring): the breakpoints Σ xᵢ at λ = vᵢ′(0) locate the
    funded set, brentq over that segment (engine tolerances) on w = ln vⱼ′(0) − ln λ, measured from
    the smallest funded first marginal value, then Newton steps until |Σ xᵢ − B| ≤ 2 eps B. KKT then holds to rounding: every funded vᵢ′(xᵢ) = λ, every unfunded
    vᵢ′(0) ≤ λ.

    Examples
    --------
    The study preset at 12 hours a week: one more hour is worth 2.19 points, and French, whose
    first hour is worth only 2.5 points, gets 1.3 hours (and 55% of any extra hour).

    >>> a = allocate(PRESETS["study"].activities(), 12)
    >>> round(a.lam, 4), [round(s.amount, 3) for s in a.shares], round(a.value, 2)
    (2.194, [5.664, 5.03, 1.306], 54.78)
    >>> round(a.budget_low, 4), a.budget_high, [round(s.amount_per_budget, 4) for s in a.shares]
    (9.6061, inf, [0.1818, 0.2727, 0.5455])

    At 8 hours French gets nothing: its first hour (2.5 points) is worth 0.53 less than λ, and
    it stays unfunded for 1.61 more hours.

    >>> a = allocate(PRESETS["study"].activities(), 8)
    >>> a.funded, round(a.shares[2].reduced_gradient, 4), round(a.allowable_increase, 4)
    (('Maths', 'History'), -0.5314, 1.6061)
    """
    acts = _check_activities(activities)
    b = _check_budget(budget)
    solver = _Solver(acts)
    return _allocation(solver, b)


def _allocation(solver: _Solver, budget: float) -> Allocation:
    w, funded, offsets, j, iterations = solver.solve(budget)
    level = float(solver.levels[j])
    # λ = vⱼ′(0) e^(−w) from the first unit's value itself (exact at w = 0, no exp(log()) drift)
    lam = max(c.first_marginal for c, t in zip(solver.curves, solver.lt, strict=True) if t == level) * math.exp(-w)
    amounts = [
        c.amount_at_gap(float(d) + w) if f else 0.0 for c, d, f in zip(solver.curves, offsets, funded, strict=True)
    ]
    # dxᵢ/dB = (dxᵢ/dw) / Σⱼ (dxⱼ/dw); dλ/dB = −λ / Σⱼ (dxⱼ/dw)
    slopes = [c.amount_per_gap(x) if f else 0.0 for c, x, f in zip(solver.curves, amounts, funded, strict=True)]
    total_slope = math.fsum(slopes)
    entry = solver.entry_budgets()
    shares = []
    for a, x, f, slope, e in zip(solver.acts, amounts, funded, slopes, entry, strict=True):
        c = a.curve
        first = c.first_marginal
        shares.append(
            Share(
                name=a.name,
                status=Status.FUNDED if f else Status.UNFUNDED,
                amount=x,
                value=float(c.value(x)),
                marginal=float(c.marginal(x)),
                first_marginal=first,
                reduced_gradient=0.0 if f else first - lam,
                amount_per_budget=slope / total_slope + 0.0,
                entry_budget=float(e),
            )
        )
    totals = solver.totals
    last = j + 1 >= len(solver.levels)
    firsts = [s.first_marginal for s in shares]
    return Allocation(
        budget=budget,
        lam=lam,
        log_lam=level - w,
        value=math.fsum(s.value for s in shares),
        shares=tuple(shares),
        budget_low=float(totals[j]),
        budget_high=math.inf if last else float(totals[j + 1]),
        lam_low=max((m for m, f in zip(firsts, funded, strict=True) if not f), default=0.0),
        lam_high=min(m for m, f in zip(firsts, funded, strict=True) if f),
        lam_per_budget=-lam / total_slope,
        iterations=iterations,
    )


# --- Curves for charts ------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetSweep:
    """The best split as the budget grows (see :func:`budget_sweep`).

    ``curve``: columns ``budget``, ``lam``, ``value``, ``funded`` (count), one row per budget,
    ascending; λ falls. ``amounts``: long form, columns ``budget``, ``name``, ``amount``.
    """

    curve: pd.DataFrame
    amounts: pd.DataFrame


def budget_sweep(activities: Sequence[Activity], lo: float, hi: float, n: int = SWEEP_POINTS) -> BudgetSweep:
    """λ, V* and the split for budgets from ``lo`` to ``hi``: the chart of λ(B), falling.

    ``n`` evenly spaced budgets plus every breakpoint (entry budget) inside the range, so the
    chart's kinks are exact. A budget of 0 (allowed as ``lo``) is the limit B → 0: nothing
    spent, λ = the largest vᵢ′(0), no activity funded.

    Raises
    ------
    ValueError
        lo < 0, hi <= lo, hi > MAX_BUDGET, n outside [2, MAX_SWEEP_POINTS], bad activities.

    Examples
    --------
    >>> s = budget_sweep(PRESETS["study"].activities(), 0, 20, n=5)
    >>> s.curve.budget.round(4).tolist()
    [0.0, 2.3105, 5.0, 9.6061, 10.0, 15.0, 20.0]
    >>> bool(s.curve.lam.is_monotonic_decreasing), s.curve.funded.tolist()
    (True, [0, 1, 2, 2, 3, 3, 3])
    """
    acts = _check_activities(activities)
    try:
        lo, hi = float(lo), float(hi)
    except (TypeError, ValueError):
        raise ValueError(f"lo and hi must be numbers, got lo={lo!r}, hi={hi!r}") from None
    if not (math.isfinite(lo) and lo >= 0):
        raise ValueError(f"lo must be a finite number >= 0, got {lo}")
    if not hi > lo:
        raise ValueError(f"hi must be greater than lo, got lo={lo:g}, hi={hi:g}")
    _check_budget(hi, "hi")
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or not 2 <= n <= MAX_SWEEP_POINTS:
        raise ValueError(f"n must be an integer from 2 to {MAX_SWEEP_POINTS}, got {n!r}")
    solver = _Solver(acts)
    breaks = solver.totals[(solver.totals > lo) & (solver.totals < hi)]
    grid = np.unique(np.concatenate([np.linspace(lo, hi, int(n)), breaks]))
    curve, long = [], []
    for b in grid.tolist():
        if b == 0:
            curve.append((0.0, max(c.first_marginal for c in solver.curves), 0.0, 0))
            long.extend((0.0, a.name, 0.0) for a in acts)
            continue
        alloc = _allocation(solver, b)
        curve.append((b, alloc.lam, alloc.value, len(alloc.funded)))
        long.extend((b, s.name, s.amount) for s in alloc.shares)
    return BudgetSweep(
        pd.DataFrame(curve, columns=["budget", "lam", "value", "funded"]),
        pd.DataFrame(long, columns=["budget", "name", "amount"]),
    )


def marginal_curves(activities: Sequence[Activity], hi: float, n: int = CURVE_POINTS) -> pd.DataFrame:
    """Each activity's value and marginal value for amounts 0..hi, long form: columns ``name``,
    ``amount``, ``value``, ``marginal`` (the water-filling picture: a horizontal line at λ
    crosses every funded curve at its amount).

    Examples
    --------
    >>> m = marginal_curves(PRESETS["ads"].activities(), 1000, n=3)
    >>> m[m.name == "Search"].marginal.round(4).tolist()
    [0.3, 0.1333, 0.0857]
    """
    acts = _check_activities(activities)
    hi = _check_budget(hi, "hi")
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or not 2 <= n <= MAX_CURVE_POINTS:
        raise ValueError(f"n must be an integer from 2 to {MAX_CURVE_POINTS}, got {n!r}")
    x = np.linspace(0.0, hi, int(n))
    frames = [
        pd.DataFrame({"name": a.name, "amount": x, "value": a.curve.value(x), "marginal": a.curve.marginal(x)})
        for a in acts
    ]
    return pd.concat(frames, ignore_index=True)


# --- A visitor's own split --------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """The single most valuable move: ``amount`` from ``source`` to ``target`` gains ``gain``.

    ``kind`` is BALANCED when the two marginal values meet after the move (found exactly on
    that pair), ALL when the whole of the source moves and the target is still worth more per
    unit. ``source_marginal``/``target_marginal`` are the marginal values after the move.
    """

    source: str
    target: str
    source_index: int
    target_index: int
    amount: float
    gain: float
    kind: MoveKind
    source_marginal: float
    target_marginal: float


@dataclass(frozen=True)
class Comparison:
    """A visitor's split against the best split of the same total (see :func:`compare`).

    ``budget`` is the split's total; ``values`` and ``marginals`` are per activity at the
    visitor's amounts; ``gap`` = best.value − value (≥ 0); ``move`` is None when the verdict is
    BEST.
    """

    budget: float
    amounts: tuple[float, ...]
    values: tuple[float, ...]
    marginals: tuple[float, ...]
    value: float
    best: Allocation
    gap: float
    verdict: Verdict
    move: Move | None


def _pair_move(cs: Curve, ct: Curve, xs: float, xt: float) -> tuple[float, MoveKind]:
    """How much to move from s to t (t's marginal value is higher): where they meet, exactly."""

    def h(d: float) -> float:  # ln vₜ′(xₜ + d) − ln vₛ′(xₛ − d): falls as d grows
        return float(ct.log_marginal(xt + d)) - float(cs.log_marginal(xs - d))

    if h(xs) >= 0:
        return xs, MoveKind.ALL
    d = brentq(h, 0.0, xs, xtol=BRENTQ_XTOL, rtol=BRENTQ_RTOL, maxiter=BRENTQ_MAXITER)
    return float(d), MoveKind.BALANCED


def compare(activities: Sequence[Activity], amounts: Sequence[float]) -> Comparison:
    """Compare a visitor's split with the best split of the same total.

    Parameters
    ----------
    activities : sequence of Activity
    amounts : sequence of float
        The visitor's amount per activity, in the same order: finite, ≥ 0, total positive and at
        in [MIN_BUDGET, MAX_BUDGET]. The total is the budget.

    Returns
    -------
    Comparison
        The value difference and, unless the split is within OPTIMAL_RTOL of the best, the
        single most valuable move: over every pair (source with budget, target with a higher
        marginal value), the amount that maximises the pair's value, found exactly (brentq on
        ln vₜ′(xₜ + d) = ln vₛ′(xₛ − d), or the whole source), and the move that gains most. Usually
        that is from the activity with the lowest marginal value to the one with the highest;
        it differs when the lowest has little to give.

    Examples
    --------
    Six hours of Maths, six of History and none of French: moving 1.08 h from History to French
    gains 0.38 points; the best split of the same 12 hours is 0.43 points better.

    >>> c = compare(PRESETS["study"].activities(), [6, 6, 0])
    >>> c.verdict.value, round(c.gap, 2), c.move.source, c.move.target, round(c.move.amount, 2), round(c.move.gain, 2)
    ('improvable', 0.43, 'History', 'French', 1.08, 0.38)
    """
    acts = _check_activities(activities)
    try:
        x = [float(v) for v in amounts]
    except (TypeError, ValueError):
        raise ValueError(f"amounts must be numbers, got {amounts!r}") from None
    if len(x) != len(acts):
        raise ValueError(f"amounts has {len(x)} values for {len(acts)} activities")
    for a, v in zip(acts, x, strict=True):
        if not math.isfinite(v) or v < 0:
            raise ValueError(f"the amount for {a.name!r} must be a finite number >= 0, got {v:g}")
    budget = _check_budget(math.fsum(x), "the total of the amounts")
    best = allocate(acts, budget)
    values = tuple(float(a.curve.value(v)) for a, v in zip(acts, x, strict=True))
    marginals = tuple(float(a.curve.marginal(v)) for a, v in zip(acts, x, strict=True))
    value = math.fsum(values)
    gap = max(best.value - value, 0.0)
    if gap <= OPTIMAL_RTOL * abs(best.value):
        return Comparison(budget, tuple(x), values, marginals, value, best, gap, Verdict.BEST, None)
    logm = [float(a.curve.log_marginal(v)) for a, v in zip(acts, x, strict=True)]
    move = None
    for s, (a_s, xs) in enumerate(zip(acts, x, strict=True)):
        if xs <= 0:
            continue
        for t, (a_t, xt) in enumerate(zip(acts, x, strict=True)):
            if t == s or logm[t] <= logm[s]:
                continue
            d, kind = _pair_move(a_s.curve, a_t.curve, xs, xt)
            gain = a_t.curve.gain(xt, d) + a_s.curve.gain(xs, -d)
            if gain > 0 and (move is None or gain > move.gain):
                move = Move(
                    a_s.name,
                    a_t.name,
                    s,
                    t,
                    d,
                    gain,
                    kind,
                    float(a_s.curve.marginal(xs - d)),
                    float(a_t.curve.marginal(xt + d)),
                )
    verdict = Verdict.IMPROVABLE if move is not None else Verdict.BEST
    return Comparison(budget, tuple(x), values, marginals, value, best, gap, verdict, move)


# --- One call for the page --------------------------------------------------------------------


@dataclass(frozen=True)
class AllocateReport:
    """Everything the Split-a-budget page shows (see :func:`analyse`)."""

    family: Family
    activities: tuple[Activity, ...]
    allocation: Allocation
    sweep: BudgetSweep
    curves: pd.DataFrame
    comparison: Comparison | None


def analyse(
    table: pd.DataFrame,
    family: Family | str,
    budget: float,
    *,
    amounts: Sequence[float] | None = None,
    budget_range: tuple[float, float] | None = None,
    n: int = SWEEP_POINTS,
) -> AllocateReport:
    """Validate the table, split the budget, sweep it, and compare the visitor's split.

    Parameters
    ----------
    table, family
        As for :func:`validate_table`.
    budget : float
    amounts : sequence of float, optional
        The visitor's own split (its total is the budget it is compared at; see :func:`compare`).
    budget_range : (lo, hi), optional
        The sweep's range; default (0, 2 × budget) capped at MAX_BUDGET.
    n : int
        Points of the sweep and of each marginal curve (whose amounts run from 0 to
        max(budget, largest amount)).

    Examples
    --------
    >>> p = PRESETS["ads"]
    >>> r = analyse(p.table(), p.family, p.budget, amounts=[1000, 1000, 1000])
    >>> round(r.allocation.lam, 5), r.comparison.move.source, r.comparison.move.target
    (0.06346, 'Display', 'Search')
    """
    fam = _family(family)
    acts = validate_table(table, fam)
    b = _check_budget(budget)
    lo, hi = budget_range if budget_range is not None else (0.0, min(2 * b, MAX_BUDGET))
    comparison = compare(acts, amounts) if amounts is not None else None
    top = max([b, *(comparison.amounts if comparison is not None else ())])
    return AllocateReport(
        family=fam,
        activities=acts,
        allocation=allocate(acts, b),
        sweep=budget_sweep(acts, lo, hi, n),
        curves=marginal_curves(acts, top, min(n, MAX_CURVE_POINTS)),
        comparison=comparison,
    )
