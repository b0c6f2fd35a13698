"""Fuel: which speed gives the best fuel economy, and which makes a trip cheapest?

Two models of the fuel a car burns. Both work in any consistent units — speed v in distance
per hour, fuel in a volume — so the same code runs in miles and gallons or in km and litres.

* **The textbook model** (the tutorial's): fuel per hour g(v) = a v² + b (a: drag, b: idle),
  so fuel per distance is u(v) = g(v)/v = a v + b/v and MPG = v / g(v) peaks at
  v* = sqrt(b/a) (44.7 mph for the tutorial's car, a = 0.001 and b = 2).
* **The physical model**: fuel per distance u(v) = k v² + r + i/v — air drag (a force ∝ v²,
  so fuel per mile ∝ v²), rolling resistance (a constant force) and idling (i per hour,
  spread over v miles per hour) — lowest at v* = (i / 2k)^(1/3). The textbook a·v grows too
  slowly to bend MPG down above 50 mph the way measured cars do; k v² does.

Economy is miles per gallon 1/u (US units, maximised) or litres per 100 km 100·u (metric,
minimised): both are best at the same speed, where u′ = 0. A trip of D at fuel price P, with an
hour of your time worth T, costs D (P u(v) + T/v): cheapest at sqrt((b + T/P)/a) for the
textbook model and ((i + T/P) / 2k)^(1/3) for the physical one.

Calibration fits both models to (speed, economy) observations by linear least squares on fuel
per distance (linear in a, b and in k, r, i) and picks the one with the smaller residual
standard error sqrt(SSR / (n − p)), which charges the physical model for its third coefficient.

Everything here is numbers and statuses (:class:`Kind`, :class:`Limit`, :class:`Side`,
:class:`FitStatus`, :class:`Choice`); ``explain.fuel`` turns them into sentences.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from optimizers.calculus import Optimum, marginal_curve, optimize
from optimizers.sensitivity import Param, Problem
from optimizers.tables import decode_table, encode_table, numeric_columns

if TYPE_CHECKING:  # goalseek imports this module; analyse imports it when first called
    from optimizers.goalseek import GoalSeek

__all__ = [
    "DEFAULTS",
    "EXAMPLE_OBSERVATIONS",
    "HIGHWAY_SPEEDS",
    "KM_PER_MILE",
    "LITRES_PER_GALLON",
    "MEASURED_HIGHWAY_LOSS",
    "SLIDERS",
    "TARGET_INPUT",
    "UNITS",
    "Calibration",
    "Choice",
    "FitStatus",
    "FuelModel",
    "FuelResult",
    "Kind",
    "Limit",
    "ModelFit",
    "NoBestSpeed",
    "PhysicalModel",
    "Side",
    "Slider",
    "Tradeoff",
    "Units",
    "analyse",
    "cheapest_speed",
    "convert_inputs",
    "convert_link_table",
    "convert_observations",
    "example_observations",
    "fit_observations",
    "most_efficient_speed",
    "sensitivity_problem",
]

#: Exact by definition (international mile, US liquid gallon).
KM_PER_MILE = 1.609344
LITRES_PER_GALLON = 3.785411784
CURVE_POINTS = 121
#: The highway speeds (mph) between which Oak Ridge National Laboratory measured light-duty
#: vehicles losing about 12% of their MPG on average (Thomas, Hwang, West & Huff, "Predicting
#: Light-Duty Vehicle Fuel Economy as a Function of Highway Speed", SAE Int. J. Passenger Cars
#: 6(2), 2013), and that loss.
HIGHWAY_SPEEDS = (50.0, 60.0)
MEASURED_HIGHWAY_LOSS = 0.12
#: A difference below this share of the amounts it compares is rounding noise: shown as 0.
NOISE = 1e-12


def _tidy(value: float, scale: float) -> float:
    """``value``, or 0.0 when it is rounding noise relative to ``scale``."""
    return 0.0 if abs(value) <= NOISE * max(abs(scale), 1.0) else float(value)


#: The "Reach a target trip cost" input (``?target=``, $ in either unit system): (lo, hi, step);
#: hi None is no upper end; 0, the default, is none.
TARGET_INPUT = (0.0, None, 10.0)


class Kind(enum.Enum):
    """Which model of fuel use: the tutorial's textbook model or the physical one."""

    TEXTBOOK = "textbook"
    PHYSICAL = "physical"


class Limit(enum.Enum):
    """Where an optimum sits in the searched speeds: inside, or held at one of their ends."""

    NONE = "none"
    #: Above the speed limit: held at the limit.
    SPEED_LIMIT = "speed_limit"
    #: Below the slowest speed considered (``Units.min_speed``): held there.
    MIN_SPEED = "min_speed"


class Side(enum.Enum):
    """A fitted optimum against the speeds the observations cover."""

    INSIDE = "inside"
    BELOW = "below"
    ABOVE = "above"


@dataclass(frozen=True)
class Units:
    """How a unit system measures speed, distance, fuel and economy (unit symbols only).

    ``speed_per_mph`` converts a US speed (or distance) to this system's, ``volume_per_gallon``
    a US volume. Economy is MPG (higher is better) or L/100 km (lower is better).
    """

    code: str
    speed: str
    distance: str
    volume: str
    economy: str
    economy_unit: str
    economy_column: str
    speed_per_mph: float
    volume_per_gallon: float
    #: Lowest speed considered (fuel per distance blows up as speed -> 0).
    min_speed: float
    #: The cost chart starts at half the cheapest speed, but no higher than this.
    chart_floor: float
    table_speeds: tuple[float, ...]
    trip_speeds: tuple[float, ...]
    fast: float
    slow: float

    @property
    def goal(self) -> str:
        """ "max" for MPG, "min" for L/100 km: both at the speed where fuel per distance is lowest."""
        return "max" if self.code == "us" else "min"

    def economy_of(self, u):
        """Economy from fuel per distance u: MPG = 1/u, or L/100 km = 100 u."""
        return 1 / u if self.code == "us" else 100 * u

    def per_distance_of(self, e):
        """Fuel per distance from economy (the inverse of :meth:`economy_of`)."""
        return 1 / e if self.code == "us" else e / 100

    def d_economy(self, u, du):
        return -du / (u * u) if self.code == "us" else 100 * du

    def d2_economy(self, u, du, d2u):
        return (2 * du * du - u * d2u) / (u * u * u) if self.code == "us" else 100 * d2u


UNITS = {
    "us": Units(
        "us", "mph", "miles", "gallon", "MPG", "mpg", "mpg", 1.0, 1.0, 5.0, 25.0, (35, 45, 55, 65, 75, 85), (45, 55, 75),
        75, 55
    ),
    "metric": Units(
        "metric", "km/h", "km", "litre", "L/100 km", "L/100 km", "l_per_100km", KM_PER_MILE, LITRES_PER_GALLON, 8.0,
        40.0, (50, 70, 90, 110, 130, 150), (70, 90, 120), 120, 90
    ),
}  # fmt: skip


def _units(units: str | Units) -> Units:
    if isinstance(units, Units):
        return units
    if units not in UNITS:
        raise ValueError(f"units must be one of {', '.join(UNITS)}, got {units!r}")
    return UNITS[units]


# ---------------------------------------------------------------------------------------------
# The two models


@dataclass(frozen=True)
class FuelModel:
    """The textbook model: fuel per hour g(v) = drag v² + idle, per distance drag v + idle / v."""

    drag: float
    idle: float
    kind = Kind.TEXTBOOK

    def __post_init__(self) -> None:
        if not (math.isfinite(self.drag) and self.drag > 0):
            raise ValueError(f"drag must be positive, got {self.drag}")
        if not (math.isfinite(self.idle) and self.idle > 0):
            raise ValueError(f"idle must be positive, got {self.idle}")

    def per_hour(self, v):
        return self.drag * v * v + self.idle

    def per_distance(self, v):
        return self.drag * v + self.idle / v

    def d_per_distance(self, v):
        return self.drag - self.idle / (v * v)

    def d2_per_distance(self, v):
        return 2 * self.idle / (v * v * v)

    # The tutorial's MPG and its derivatives (US units), as the tutorial writes them.
    def gallons_per_hour(self, s):
        return self.per_hour(s)

    def mpg(self, s):
        return s / (self.drag * s * s + self.idle)

    def dmpg(self, s):
        """d(MPG)/ds by the quotient rule: (idle - drag s^2) / g(s)^2."""
        g = self.drag * s * s + self.idle
        return (self.idle - self.drag * s * s) / (g * g)

    def d2mpg(self, s):
        g = self.drag * s * s + self.idle
        return (2 * self.drag * s * (self.drag * s * s - 3 * self.idle)) / (g * g * g)

    def best_speed(self) -> float:
        """sqrt(idle / drag): where u′(v) = drag − idle/v² is zero."""
        return math.sqrt(self.idle / self.drag)

    def cheapest(self, fuel_price: float, time_value: float) -> float:
        """sqrt((idle + time_value / fuel_price) / drag)."""
        return math.sqrt((self.idle + time_value / fuel_price) / self.drag)

    def converted(self, to: str | Units, frm: str | Units = "us") -> FuelModel:
        """The same car in another unit system: g is volume per hour, v speed."""
        c, vol = _factors(frm, to)
        return FuelModel(self.drag * vol / (c * c), self.idle * vol)


@dataclass(frozen=True)
class PhysicalModel:
    """Fuel per distance u(v) = k v² + r + i / v: air drag, rolling resistance, idling.

    Needs k > 0 and i > 0 for a best speed (i/2k)^(1/3), and u > 0 there (a negative ``r``
    is allowed as a fitting artefact as long as fuel use stays positive).
    """

    k: float
    r: float
    i: float
    kind = Kind.PHYSICAL

    def __post_init__(self) -> None:
        for name in ("k", "r", "i"):
            if not math.isfinite(getattr(self, name)):
                raise ValueError(f"{name} must be finite, got {getattr(self, name)}")
        if not self.k > 0:
            raise ValueError(f"air drag k must be positive, got {self.k:.3g}")
        if not self.i > 0:
            raise ValueError(f"idling i must be positive, got {self.i:.3g}")
        if not self.per_distance(self.best_speed()) > 0:
            raise ValueError(f"rolling r = {self.r:.3g} would make fuel use negative at speed {self.best_speed():.3g}")

    def per_hour(self, v):
        return self.k * v * v * v + self.r * v + self.i

    def per_distance(self, v):
        return self.k * v * v + self.r + self.i / v

    def d_per_distance(self, v):
        return 2 * self.k * v - self.i / (v * v)

    def d2_per_distance(self, v):
        return 2 * self.k + 2 * self.i / (v * v * v)

    def mpg(self, s):
        return 1 / self.per_distance(s)

    def best_speed(self) -> float:
        """(i / 2k)^(1/3): where u′(v) = 2kv − i/v² is zero."""
        return (self.i / (2 * self.k)) ** (1 / 3)

    def cheapest(self, fuel_price: float, time_value: float) -> float:
        """((i + time_value / fuel_price) / 2k)^(1/3)."""
        return ((self.i + time_value / fuel_price) / (2 * self.k)) ** (1 / 3)

    def converted(self, to: str | Units, frm: str | Units = "us") -> PhysicalModel:
        """The same car in another unit system (u is volume per distance)."""
        c, vol = _factors(frm, to)
        return PhysicalModel(self.k * vol / c**3, self.r * vol / c, self.i * vol)


Model = FuelModel | PhysicalModel


def _factors(frm: str | Units, to: str | Units) -> tuple[float, float]:
    """(speed factor, volume factor) from one unit system to another."""
    a, b = _units(frm), _units(to)
    return b.speed_per_mph / a.speed_per_mph, b.volume_per_gallon / a.volume_per_gallon


def most_efficient_speed(model: Model) -> float:
    """The closed form: sqrt(idle / drag), or (i / 2k)^(1/3) for the physical model.

    >>> round(most_efficient_speed(FuelModel(0.001, 2)), 2)
    44.72
    """
    return model.best_speed()


def cheapest_speed(model: Model, fuel_price: float, time_value: float) -> float:
    """The closed form of the cheapest trip speed.

    >>> round(cheapest_speed(FuelModel(0.001, 2), 3.5, 0), 2)
    44.72
    >>> round(cheapest_speed(FuelModel(0.001, 2), 3.5, 20), 2)
    87.83
    """
    return model.cheapest(fuel_price, time_value)


# ---------------------------------------------------------------------------------------------
# Inputs: slider ranges in each unit system, and converting between them


@dataclass(frozen=True)
class Slider:
    """An input in one unit system: its URL key, range, default and step (its label and display
    format are words: ``explain.fuel.INPUTS``)."""

    key: str
    lo: float
    hi: float
    default: float
    step: float

    def snap(self, value: float) -> float:
        """The nearest value the slider can show (on its step grid, inside its range)."""
        steps = round((value - self.lo) / self.step)
        v = min(max(self.lo + steps * self.step, self.lo), self.hi)
        return round(v, 10) + 0.0


#: What one US unit of each input is in metric units (speed and distance ×1.609344 km per
#: mile, a price per gallon ÷3.785 litres, drag a (volume/h per speed²) ×L/c², idle ×L).
_TO_METRIC = {
    "speed": KM_PER_MILE,
    "speed_limit": KM_PER_MILE,
    "distance": KM_PER_MILE,
    "fuel_price": 1 / LITRES_PER_GALLON,
    "time_value": 1.0,
    "drag": LITRES_PER_GALLON / KM_PER_MILE**2,
    "idle": LITRES_PER_GALLON,
}
#: Every input in each unit system. The URL keeps values in the chosen unit, under keys that
#: say the unit (``speed`` is mph, ``speed_kmh`` km/h), so a link never means two things.
SLIDERS: dict[str, dict[str, Slider]] = {
    "us": {
        "speed": Slider("speed", 10.0, 100.0, 65.0, 1.0),
        "speed_limit": Slider("speed_limit", 30.0, 120.0, 80.0, 5.0),
        "fuel_price": Slider("fuel_price", 1.0, 10.0, 3.5, 0.05),
        "distance": Slider("distance", 10.0, 2000.0, 300.0, 10.0),
        "time_value": Slider("time_value", 0.0, 100.0, 0.0, 1.0),
        "drag": Slider("drag", 0.0001, 0.005, 0.001, 0.0001),
        "idle": Slider("idle", 0.1, 10.0, 2.0, 0.1),
    },
    "metric": {
        "speed": Slider("speed_kmh", 15.0, 160.0, 105.0, 1.0),
        "speed_limit": Slider("speed_limit_kmh", 50.0, 200.0, 130.0, 5.0),
        "fuel_price": Slider("price_per_litre", 0.25, 3.0, 0.92, 0.01),
        "distance": Slider("distance_km", 10.0, 3200.0, 480.0, 10.0),
        "time_value": Slider("time_value", 0.0, 100.0, 0.0, 1.0),
        "drag": Slider("drag_kmh", 0.00015, 0.0075, 0.00146, 0.00001),
        "idle": Slider("idle_lph", 0.4, 38.0, 7.57, 0.01),
    },
}
DEFAULTS = {name: s.default for name, s in SLIDERS["us"].items()}
#: Units of the inputs "What moves the optimum" sweeps, for its chart's axis.
_AXIS_UNITS = {
    "us": {
        "drag": "gal/h per mph²",
        "idle": "gal/h",
        "fuel_price": "$ per gallon",
        "time_value": "$ per hour",
        "distance": "miles",
        "speed_limit": "mph",
    },
    "metric": {
        "drag": "L/h per (km/h)²",
        "idle": "L/h",
        "fuel_price": "$ per litre",
        "time_value": "$ per hour",
        "distance": "km",
        "speed_limit": "km/h",
    },
}


def convert_inputs(values: dict[str, float], frm: str, to: str) -> dict[str, float]:
    """Slider values (by URL key) from one unit system to the other, snapped to the new sliders.

    Used when a visitor switches units: the scenario stays the same, to the sliders' steps.
    Inputs whose key is the same in both systems (the value of time) need no conversion and
    are left out.

    Examples
    --------
    >>> convert_inputs({"speed": 65.0, "distance": 300.0, "fuel_price": 3.5}, "us", "metric")
    {'speed_kmh': 105.0, 'price_per_litre': 0.92, 'distance_km': 480.0}
    """
    a, b = _units(frm).code, _units(to).code
    out = {}
    for name, slider in SLIDERS[a].items():
        if slider.key not in values:
            continue
        target = SLIDERS[b][name]
        if target.key == slider.key:
            continue
        factor = _TO_METRIC[name] if b == "metric" else 1 / _TO_METRIC[name]
        out[target.key] = target.snap(float(values[slider.key]) * factor)
    return out


def convert_link_table(text: str, frm: str, to: str) -> str | None:
    """The observations carried by a link (``?data=``, see ``optimizers.tables``), converted
    to the other unit system; None when the text is not a table of observations.

    >>> convert_link_table("30:38,40:34.4", "us", "metric")
    '48.3:6.19,64.4:6.84'
    """
    a, b = _units(frm), _units(to)
    try:
        table = decode_table(text, ("speed", a.economy_column))
    except ValueError:
        return None
    return encode_table(convert_observations(table, a, b), ("speed", b.economy_column))


# ---------------------------------------------------------------------------------------------
# Calibration: fit both models to a car's observations

#: Example observations for "calibrate to your car" (synthetic, rounded, with noise): MPG
#: drops about 12% from 50 to 60 mph, like the ORNL 2013 average, unlike the textbook car.
EXAMPLE_OBSERVATIONS = pd.DataFrame(
    {"speed": [30.0, 40.0, 50.0, 60.0, 70.0, 80.0], "mpg": [38.0, 34.4, 29.8, 26.5, 23.3, 21.1]}
)
#: What each model's least squares needs: coefficient names, and the columns of the design
#: matrix for fuel per distance u(v).
_DESIGNS = {
    Kind.TEXTBOOK: (("drag", "idle"), lambda v: np.column_stack([v, 1 / v])),
    Kind.PHYSICAL: (("k", "r", "i"), lambda v: np.column_stack([v * v, np.ones_like(v), 1 / v])),
}


def convert_observations(table: pd.DataFrame, frm: str, to: str) -> pd.DataFrame:
    """(speed, economy) rows from one unit system to the other, rounded to 0.1 km/h or mph and
    0.01 MPG or L/100 km (what a person would type).

    >>> convert_observations(EXAMPLE_OBSERVATIONS.head(2), "us", "metric").to_dict("list")
    {'speed': [48.3, 64.4], 'l_per_100km': [6.19, 6.84]}
    """
    a, b = _units(frm), _units(to)
    speed = pd.to_numeric(table["speed"], errors="coerce")
    economy = pd.to_numeric(table[a.economy_column], errors="coerce")
    c, vol = _factors(a, b)
    per = a.per_distance_of(economy) * vol / c
    with np.errstate(divide="ignore"):
        out = pd.DataFrame({"speed": (speed * c).round(1), b.economy_column: b.economy_of(per).round(2)})
    return out.replace([np.inf, -np.inf], np.nan)


def example_observations(units: str = "us") -> pd.DataFrame:
    """The example car in ``units`` (the US example converted)."""
    u = _units(units)
    return EXAMPLE_OBSERVATIONS.copy() if u.code == "us" else convert_observations(EXAMPLE_OBSERVATIONS, "us", u)


class FitStatus(enum.Enum):
    """Whether a fitted model describes a car with a best speed, and if not, why."""

    OK = "ok"
    #: Fewer different speeds than the model has coefficients.
    TOO_FEW_SPEEDS = "too_few_speeds"
    #: Textbook model: drag a or idle b is not positive (the economy never peaks).
    NOT_A_CAR = "not_a_car"
    #: Physical model: air drag k is not positive.
    NO_DRAG = "no_drag"
    #: Physical model: idling i is not positive.
    NO_IDLING = "no_idling"
    #: Physical model: rolling r so negative that fuel use is negative at the best speed.
    NEGATIVE_FUEL = "negative_fuel"


class Choice(enum.Enum):
    """Why the calibration uses the model it uses (the other one is ``Calibration.other``)."""

    #: Both fits have a spare observation; the chosen one has the smaller residual error.
    BETTER_FIT = "better_fit"
    #: The other fit is exact with no spare observation to judge it by (n = p).
    OTHER_UNJUDGED = "other_unjudged"
    #: The other fit describes no car with a best speed (its ``status`` says why).
    OTHER_NOT_A_CAR = "other_not_a_car"
    #: The other model needs more different speeds than the observations have.
    OTHER_TOO_FEW_SPEEDS = "other_too_few_speeds"


def _fit_status(kind: Kind, c: dict[str, float]) -> FitStatus:
    """The status of fitted coefficients: OK exactly when the model can be built from them."""
    if not all(math.isfinite(v) for v in c.values()):
        return FitStatus.NOT_A_CAR
    if kind is Kind.TEXTBOOK:
        return FitStatus.OK if c["drag"] > 0 and c["idle"] > 0 else FitStatus.NOT_A_CAR
    if not c["k"] > 0:
        return FitStatus.NO_DRAG
    if not c["i"] > 0:
        return FitStatus.NO_IDLING
    v = (c["i"] / (2 * c["k"])) ** (1 / 3)
    return FitStatus.OK if c["k"] * v * v + c["r"] + c["i"] / v > 0 else FitStatus.NEGATIVE_FUEL


@dataclass(frozen=True)
class ModelFit:
    """One model fitted to the observations.

    ``model`` is None when the fitted coefficients describe no car with a best speed
    (``status`` says why); ``residual_error`` is sqrt(SSR / (n − p)) of fuel per distance
    (NaN when the fit has no spare observation, n = p); ``r2`` is of the economy entered.
    """

    kind: Kind
    coefficients: dict[str, float]
    model: Model | None
    residual_error: float
    r2: float
    status: FitStatus = FitStatus.OK

    @property
    def best_speed(self) -> float:
        return self.model.best_speed() if self.model is not None else math.nan

    @property
    def turning_speed(self) -> float:
        """Where u′ = 0 when the drag and idling terms are both positive, whether or not fuel
        use is positive there (NaN otherwise): sqrt(b/a) or (i/2k)^(1/3)."""
        c = self.coefficients
        if self.kind is Kind.TEXTBOOK and c and c["drag"] > 0 and c["idle"] > 0:
            return math.sqrt(c["idle"] / c["drag"])
        if self.kind is Kind.PHYSICAL and c and c["k"] > 0 and c["i"] > 0:
            return (c["i"] / (2 * c["k"])) ** (1 / 3)
        return math.nan

    def per_distance(self, v):
        names, design = _DESIGNS[self.kind]
        return design(np.atleast_1d(np.asarray(v, dtype=float))) @ np.array([self.coefficients[n] for n in names])


@dataclass(frozen=True)
class Calibration:
    """Both fits to a car's observations, the one used (``chosen``) and why (``choice``)."""

    units: Units
    speeds: np.ndarray
    economy: np.ndarray
    fits: tuple[ModelFit, ...]
    chosen: ModelFit
    choice: Choice

    @property
    def model(self) -> Model:
        return self.chosen.model

    @property
    def other(self) -> ModelFit:
        return next(f for f in self.fits if f is not self.chosen)

    @property
    def r2(self) -> float:
        return self.chosen.r2

    @property
    def observed(self) -> tuple[float, float]:
        return float(self.speeds.min()), float(self.speeds.max())

    @property
    def table(self) -> pd.DataFrame:
        """The observations fitted: columns ``speed`` and ``mpg`` or ``l_per_100km``."""
        return pd.DataFrame({"speed": self.speeds, self.units.economy_column: self.economy})

    def side(self, speed: float) -> Side:
        """Is ``speed`` inside the observed speeds, below the slowest or above the fastest?

        >>> cal = fit_observations(EXAMPLE_OBSERVATIONS)
        >>> cal.side(23.1), cal.side(45.0), cal.side(95.0)
        (<Side.BELOW: 'below'>, <Side.INSIDE: 'inside'>, <Side.ABOVE: 'above'>)
        """
        lo, hi = self.observed
        return Side.BELOW if speed < lo else Side.ABOVE if speed > hi else Side.INSIDE

    def curve(self, n: int = 120) -> pd.DataFrame:
        """Each fit's economy over the observed speeds ± 10% (points with fuel use ≤ 0 left out).

        Columns ``speed``, ``mpg`` or ``l_per_100km`` (as the observations), ``fit`` (the
        :class:`Kind`'s value) and ``used`` (whether it is the chosen fit).
        """
        lo, hi = self.observed
        v = np.linspace(max(lo - 0.1 * (hi - lo), 1.0), hi + 0.1 * (hi - lo), n)
        parts = []
        for fit in self.fits:
            if not fit.coefficients:
                continue
            per = fit.per_distance(v)
            ok = per > 0
            economy = self.units.economy_of(per[ok])
            parts.append(
                pd.DataFrame(
                    {
                        "speed": v[ok],
                        self.units.economy_column: economy,
                        "fit": fit.kind.value,
                        "used": fit is self.chosen,
                    }
                )
            )
        return pd.concat(parts, ignore_index=True)


class NoBestSpeed(ValueError):
    """Neither model describes the observations as a car with a best speed (``fits`` say why)."""

    def __init__(self, fits: tuple[ModelFit, ...], speeds: int) -> None:
        self.fits, self.speeds = fits, speeds
        super().__init__(
            f"neither model has a best speed for observations at {speeds} different speed(s): "
            + ", ".join(f"{f.kind.value} {f.status.value}" for f in fits)
        )

    def __reduce__(self):
        return (NoBestSpeed, (self.fits, self.speeds))


def _fit(kind: Kind, v: np.ndarray, per: np.ndarray, economy: np.ndarray, units: Units) -> ModelFit:
    names, design = _DESIGNS[kind]
    p = len(names)
    if np.unique(v).size < p:
        return ModelFit(kind, {}, None, math.nan, math.nan, FitStatus.TOO_FEW_SPEEDS)
    a = design(v)
    coef, *_ = np.linalg.lstsq(a, per, rcond=None)
    coefficients = {n: float(c) for n, c in zip(names, coef, strict=True)}
    fitted = a @ coef
    ssr = float(np.sum((per - fitted) ** 2))
    residual_error = math.sqrt(ssr / (len(v) - p)) if len(v) > p else math.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        fitted_economy = units.economy_of(fitted)
    ss_tot = float(np.sum((economy - economy.mean()) ** 2))
    r2 = 1 - float(np.sum((economy - fitted_economy) ** 2)) / ss_tot if ss_tot > 0 and np.all(fitted > 0) else math.nan
    status = _fit_status(kind, coefficients)
    model = None
    if status is FitStatus.OK:
        model = FuelModel(**coefficients) if kind is Kind.TEXTBOOK else PhysicalModel(**coefficients)
    return ModelFit(kind, coefficients, model, residual_error, r2, status)


def fit_observations(table: pd.DataFrame, units: str | Units = "us") -> Calibration:
    """Fit the textbook and the physical model to (speed, economy) rows; use the better one.

    Both are linear least squares on fuel per distance u = 1/MPG (or L/100 km ÷ 100):
    u = a v + b/v, and u = k v² + r + i/v. The better fit is the one with the smaller
    residual standard error sqrt(SSR/(n − p)) among those that describe a car with a best
    speed; with no spare observation to judge the other by (n = p), the judged one.

    Raises
    ------
    ValueError
        Fewer than 2 rows, non-numeric or non-positive values (messages from
        ``optimizers.tables``, naming the row and column).
    NoBestSpeed
        Neither model gives a best speed (all observations at one speed, or coefficients
        that describe no car); its ``fits`` carry each model's :class:`FitStatus`.

    Examples
    --------
    >>> s = np.array([30.0, 50.0, 70.0])
    >>> fit = fit_observations(pd.DataFrame({"speed": s, "mpg": s / (0.001 * s**2 + 2)}))
    >>> fit.chosen.kind, round(fit.model.drag, 12), round(fit.model.idle, 9), fit.choice
    (<Kind.TEXTBOOK: 'textbook'>, 0.001, 2.0, <Choice.OTHER_UNJUDGED: 'other_unjudged'>)
    """
    u = _units(units)
    label = f"{u.economy} ({u.economy_unit})" if u.code == "metric" else "MPG"
    cols = numeric_columns(
        table,
        {"speed": f"speed ({u.speed})", u.economy_column: label},
        min_rows=2,
        positive=("speed", u.economy_column),
    )
    v, economy = cols["speed"], cols[u.economy_column]
    per = u.per_distance_of(economy)
    fits = tuple(_fit(kind, v, per, economy, u) for kind in Kind)
    usable = [f for f in fits if f.model is not None]
    if not usable:
        raise NoBestSpeed(fits, int(np.unique(v).size))
    judged = [f for f in usable if math.isfinite(f.residual_error)] or usable
    chosen = min(
        judged, key=lambda f: (f.residual_error if math.isfinite(f.residual_error) else 0, len(f.coefficients))
    )
    other = next(f for f in fits if f is not chosen)
    if other.status is FitStatus.TOO_FEW_SPEEDS:
        choice = Choice.OTHER_TOO_FEW_SPEEDS
    elif other.model is None:
        choice = Choice.OTHER_NOT_A_CAR
    elif not math.isfinite(other.residual_error):
        choice = Choice.OTHER_UNJUDGED
    else:
        choice = Choice.BETTER_FIT
    return Calibration(u, v, economy, fits, chosen, choice)


# ---------------------------------------------------------------------------------------------
# What moves the cheapest trip speed


class _TripObjective:
    """Trip cost D (P u(v) + T/v) as f(v, **θ), with θ named by the page's URL keys (picklable).

    ``coef`` maps the model's coefficient names to θ names; ``names`` maps "fuel_price",
    "time_value", "distance" to θ names.
    """

    def __init__(self, kind: Kind, coef: dict[str, str], names: dict[str, str]) -> None:
        self.kind, self.coef, self.names = kind, coef, names

    def _u(self, v, th, order):
        c = {k: th[n] for k, n in self.coef.items()}
        if self.kind is Kind.TEXTBOOK:
            a, b = c["drag"], c["idle"]
            return (a * v + b / v, a - b / (v * v), 2 * b / (v * v * v))[order]
        k, r, i = c["k"], c["r"], c["i"]
        return (k * v * v + r + i / v, 2 * k * v - i / (v * v), 2 * k + 2 * i / (v * v * v))[order]

    def _trip(self, th):
        return th[self.names["distance"]], th[self.names["fuel_price"]], th[self.names["time_value"]]

    def f(self, v, **th):
        d, p, t = self._trip(th)
        return d * (p * self._u(v, th, 0) + t / v)

    def df(self, v, **th):
        d, p, t = self._trip(th)
        return d * (p * self._u(v, th, 1) - t / (v * v))

    def d2f(self, v, **th):
        d, p, t = self._trip(th)
        return d * (p * self._u(v, th, 2) + 2 * t / (v * v * v))


def _fitted_range(value: float) -> tuple[float, float]:
    """A sweep range for a fitted coefficient: half to twice its value."""
    if value == 0:
        return -1e-9, 1e-9
    return (value / 2, 2 * value) if value > 0 else (2 * value, value / 2)


def sensitivity_problem(
    model: Model,
    *,
    fuel_price: float,
    distance: float,
    time_value: float,
    speed_limit: float,
    units: str = "us",
    calibrated: bool = False,
) -> Problem:
    """The cheapest trip speed as an optimisation problem over every input (for
    :func:`optimizers.sensitivity.sensitivity`).

    The inputs are the model's (the drag and idle sliders, or the fitted coefficients when
    ``calibrated``: a and b, or k, r and i, each swept from half to twice its value), the fuel
    price, the value of your time, the trip distance and the speed limit, which is the upper
    end of the interval. Names are the page's URL keys in ``units``.

    Examples
    --------
    >>> from optimizers.sensitivity import sensitivity
    >>> p = sensitivity_problem(FuelModel(0.001, 2), fuel_price=3.5, distance=300, time_value=0, speed_limit=80)
    >>> rows = {r.parameter: r for r in sensitivity(p).rows}
    >>> round(rows["drag"].optimum_elasticity, 9), round(rows["idle"].optimum_elasticity, 9)
    (-0.5, 0.5)
    """
    u = _units(units)
    sliders = SLIDERS[u.code]
    names = {n: sliders[n].key for n in ("fuel_price", "time_value", "distance")}
    trip_values = {"fuel_price": fuel_price, "time_value": time_value, "distance": distance}
    trip_labels = {"fuel_price": "fuel price", "time_value": "value of your time", "distance": "trip distance"}
    unit = _AXIS_UNITS[u.code]
    params: list[Param] = []
    if calibrated:
        labels = {"drag": "drag a", "idle": "idle b", "k": "air drag k", "r": "rolling r", "i": "idling i"}
        coef = {}
        for name in ("drag", "idle") if model.kind is Kind.TEXTBOOK else ("k", "r", "i"):
            key = {"drag": "a", "idle": "b"}.get(name, name)
            value = float(getattr(model, name))
            lo, hi = _fitted_range(value)
            params.append(Param(key, value, lo, hi, "fitted " + labels[name]))
            coef[name] = key
    else:
        if model.kind is not Kind.TEXTBOOK:
            raise ValueError("only the textbook model has drag and idle sliders; pass calibrated=True")
        coef = {"drag": sliders["drag"].key, "idle": sliders["idle"].key}
        for name, label in (("drag", "drag a"), ("idle", "idle b")):
            s = sliders[name]
            params.append(Param(s.key, float(getattr(model, name)), s.lo, s.hi, label, unit[name]))
    for name in ("fuel_price", "time_value", "distance"):
        s = sliders[name]
        params.append(Param(s.key, float(trip_values[name]), s.lo, s.hi, trip_labels[name], unit[name]))
    s = sliders["speed_limit"]
    params.append(Param(s.key, float(speed_limit), s.lo, s.hi, "speed limit", unit["speed_limit"]))
    objective = _TripObjective(model.kind, coef, names)
    return Problem(
        objective.f,
        u.min_speed,
        s.key,
        "min",
        tuple(params),
        df=objective.df,
        d2f=objective.d2f,
        x_name="trip speed",
    )


# ---------------------------------------------------------------------------------------------
# The trip and the result


class _Trip:
    """Trip cost as a function of speed (picklable): D (P u(v) + T / v)."""

    def __init__(self, model: Model, distance: float, fuel_price: float, time_value: float) -> None:
        self.m, self.d, self.p, self.t = model, distance, fuel_price, time_value

    def fuel(self, v):
        return self.d * self.m.per_distance(v)

    def fuel_cost(self, v):
        return self.d * self.p * self.m.per_distance(v)

    def time_cost(self, v):
        return self.d * self.t / v

    def f(self, v):
        return self.d * (self.p * self.m.per_distance(v) + self.t / v)

    def df(self, v):
        return self.d * (self.p * self.m.d_per_distance(v) - self.t / (v * v))

    def d2f(self, v):
        return self.d * (self.p * self.m.d2_per_distance(v) + 2 * self.t / (v * v * v))


class _Economy:
    """MPG or L/100 km as a function of speed, with analytic derivatives (picklable)."""

    def __init__(self, model: Model, units: Units) -> None:
        self.m, self.u = model, units

    def f(self, v):
        return self.u.economy_of(self.m.per_distance(v))

    def df(self, v):
        return self.u.d_economy(self.m.per_distance(v), self.m.d_per_distance(v))

    def d2f(self, v):
        return self.u.d2_economy(self.m.per_distance(v), self.m.d_per_distance(v), self.m.d2_per_distance(v))


@dataclass(frozen=True)
class Tradeoff:
    """The tutorial's comparison: driving ``fast`` instead of ``slow`` over ``distance`` saves
    ``hours_saved`` and costs ``extra_fuel_cost`` more fuel (negative: it saves fuel too; 0
    when the difference is rounding noise)."""

    fast: float
    slow: float
    distance: float
    hours_saved: float
    extra_fuel_cost: float


@dataclass(frozen=True)
class FuelResult:
    """Everything the Fuel page shows (see :func:`analyse`); speeds, distances, volumes and
    economy are in ``units``.

    ``calibration`` is the fit to the observations (None for the sliders' model);
    ``efficiency_limit``/``cheapest_limit`` say whether an optimum is held at an end of the
    searched speeds, ``efficiency_side``/``cheapest_side`` whether a fitted optimum inside them
    lies outside the observed speeds (always ``Side.INSIDE`` without a calibration).
    ``closed_form`` is the most efficient speed of the model before any limit;
    ``highway_loss`` the share of its fuel economy the car loses from 50 to 60 mph (negative:
    it gains). ``problem`` is the cheapest trip speed for ``optimizers.sensitivity`` (the
    fitted coefficients are its inputs for a calibration or a physical model; None when an
    input lies outside the page's slider ranges).
    With a calibration, ``observed`` holds the observations used (columns ``speed`` and the
    economy column) and ``fit_curve`` both fits (:meth:`Calibration.curve`).
    """

    model: Model
    units: Units
    calibration: Calibration | None
    speed: float
    speed_limit: float
    fuel_price: float
    distance: float
    time_value: float
    efficiency: Optimum
    cheapest: Optimum
    efficiency_limit: Limit
    cheapest_limit: Limit
    efficiency_side: Side
    cheapest_side: Side
    closed_form: float
    economy_at_speed: float
    economy_slope_at_speed: float
    trip_fuel: float
    trip_fuel_cost: float
    trip_time_cost: float
    trip_hours: float
    cheapest_fuel_cost: float
    cheapest_time_cost: float
    highway_loss: float
    economy_curve: pd.DataFrame
    cost_curves: pd.DataFrame
    speed_table: pd.DataFrame
    trip_table: pd.DataFrame
    tradeoff: Tradeoff
    problem: Problem | None
    observed: pd.DataFrame | None = None
    fit_curve: pd.DataFrame | None = None
    #: Every speed in [min speed, speed limit] at which the trip costs the visitor's target
    #: ($, fuel plus time: ``analyse(target=...)``); None without a target (0).
    goal: GoalSeek | None = None


def _limit(opt: Optimum, lo: float, hi: float) -> Limit:
    if not opt.at_boundary:
        return Limit.NONE
    return Limit.SPEED_LIMIT if opt.x == hi else Limit.MIN_SPEED if opt.x == lo else Limit.NONE


def analyse(
    model: Model | None = None,
    *,
    speed: float,
    fuel_price: float,
    distance: float,
    time_value: float,
    speed_limit: float,
    units: str | Units = "us",
    observations: pd.DataFrame | None = None,
    target: float = 0.0,
) -> FuelResult:
    """Most efficient speed, cheapest trip speed, the tutorial's tables, and (with
    ``observations``) the fit to your car that gives the model.

    ``target`` is a trip cost to reach, in $ (fuel plus the value of your time; 0: none):
    ``goal`` then holds every speed at which the trip costs that
    (:func:`optimizers.goalseek.fuel_target` with ``objective="trip_cost"``). Dollars mean
    the same in both unit systems, so a link's target survives the units switch.

    Every input is in ``units``: speeds in mph or km/h, the distance in miles or km, the fuel
    price per gallon or per litre, and ``model`` (or the ``observations``' columns ``speed``
    and ``mpg`` or ``l_per_100km``) in the same units. Both optima are searched on
    [min speed, speed_limit] with the engine (analytic derivatives); one beyond an end comes
    back on that end (``at_boundary``, and the ``*_limit`` status says which). In metric units
    the efficiency optimum is the *lowest* L/100 km, at the same speed as the highest MPG.

    Raises
    ------
    ValueError
        A non-positive input, a speed limit at or below the slowest speed considered, neither
        or both of ``model`` and ``observations``, or observations that cannot be fitted
        (:func:`fit_observations`; :class:`NoBestSpeed` when neither model has a best speed).

    Examples
    --------
    The tutorial's car: 44.7 mph gives the best mileage, 11.2 MPG; at 65 mph it does 10.44.

    >>> r = analyse(FuelModel(0.001, 2), speed=65, fuel_price=3.5, distance=300, time_value=0, speed_limit=80)
    >>> round(r.efficiency.x, 1), round(r.efficiency.fun, 1), round(r.economy_at_speed, 2)
    (44.7, 11.2, 10.44)
    >>> round(r.tradeoff.hours_saved, 2), round(r.tradeoff.extra_fuel_cost, 2)  # 75 vs 55 mph over 300 miles
    (1.45, 10.82)

    The 300-mile trip costs $100 of fuel at 31.26 and 63.98 mph (1.05 v² − 100 v + 2,100 = 0):

    >>> r = analyse(FuelModel(0.001, 2), speed=65, fuel_price=3.5, distance=300, time_value=0, speed_limit=80,
    ...             target=100)
    >>> [round(v, 2) for v in r.goal.x]
    [31.26, 63.98]
    """
    from optimizers import goalseek  # goalseek imports this module: imported when first needed

    u = _units(units)
    if not math.isfinite(target):
        raise ValueError(f"target must be a finite number, got {target}")
    if (model is None) == (observations is None):
        raise ValueError("pass either a model or observations to fit one")
    values = {"speed": speed, "fuel_price": fuel_price, "distance": distance, "speed_limit": speed_limit}
    for name, value in values.items():
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be positive, got {value}")
    if not (math.isfinite(time_value) and time_value >= 0):
        raise ValueError(f"time_value must be non-negative, got {time_value}")
    if speed_limit <= u.min_speed:
        raise ValueError(f"speed_limit must be above {u.min_speed:g} {u.speed}, got {speed_limit}")
    calibration = None if observations is None else fit_observations(observations, u)
    if calibration is not None:
        model = calibration.model
    trip = _Trip(model, distance, fuel_price, time_value)
    econ = _Economy(model, u)
    eff = optimize(econ.f, u.min_speed, speed_limit, u.goal, df=econ.df, d2f=econ.d2f)
    cheap = optimize(trip.f, u.min_speed, speed_limit, "min", df=trip.df, d2f=trip.d2f)
    limits = [_limit(o, u.min_speed, speed_limit) for o in (eff, cheap)]
    sides = [
        calibration.side(o.x) if calibration is not None and lim is Limit.NONE else Side.INSIDE
        for o, lim in zip((eff, cheap), limits, strict=True)
    ]

    # from half the cheapest speed (at most 25 mph): near 0 the cost explodes and flattens the view
    s = np.linspace(max(u.min_speed, min(u.chart_floor, 0.5 * cheap.x)), speed_limit, CURVE_POINTS)
    cost_curves = pd.concat(
        [
            pd.DataFrame({"speed": s, "cost": trip.fuel_cost(s), "part": "fuel"}),
            pd.DataFrame({"speed": s, "cost": trip.time_cost(s), "part": "your time"}),
            pd.DataFrame({"speed": s, "cost": trip.f(s), "part": "total"}),
        ],
        ignore_index=True,
    )
    # MPG falls to 0 towards 0 mph and shows its rise whole; L/100 km explodes there and would flatten
    # the view of its minimum, so it starts like the cost (but never after your speed)
    economy_lo = u.min_speed if u.goal == "max" else max(u.min_speed, min(u.chart_floor, 0.5 * eff.x, speed))
    speeds = np.array(u.table_speeds, dtype=float)
    per = model.per_distance(speeds)
    if u.code == "us":
        economy_cols = {
            "speed_mph": speeds,
            "mpg": 1 / per,
            "gallons_per_100mi": 100 * per,
            "trip_gallons": distance * per,
        }
    else:
        economy_cols = {"speed_kmh": speeds, "l_per_100km": 100 * per, "trip_litres": distance * per}
    speed_table = pd.DataFrame(
        {
            **economy_cols,
            "trip_fuel_cost": trip.fuel_cost(speeds),
            "trip_hours": distance / speeds,
            "trip_time_cost": trip.time_cost(speeds),
            "trip_total_cost": trip.f(speeds),
        }
    )
    trips = np.array(u.trip_speeds, dtype=float)
    speed_col = "speed_mph" if u.code == "us" else "speed_kmh"
    trip_table = pd.DataFrame({speed_col: trips, "fuel_cost": trip.fuel_cost(trips), "hours": distance / trips})
    fast, slow = float(trip.fuel_cost(u.fast)), float(trip.fuel_cost(u.slow))
    tradeoff = Tradeoff(
        fast=float(u.fast),
        slow=float(u.slow),
        distance=float(distance),
        hours_saved=distance / u.slow - distance / u.fast,
        extra_fuel_cost=_tidy(fast - slow, slow),
    )
    try:  # the page's inputs are always in range; a notebook's model need not be
        problem = sensitivity_problem(
            model,
            fuel_price=fuel_price,
            distance=distance,
            time_value=time_value,
            speed_limit=speed_limit,
            units=u,
            calibrated=calibration is not None or model.kind is not Kind.TEXTBOOK,
        )
    except ValueError:
        problem = None
    c = u.speed_per_mph
    highway = model.per_distance(HIGHWAY_SPEEDS[0] * c) / model.per_distance(HIGHWAY_SPEEDS[1] * c)
    return FuelResult(
        model=model,
        units=u,
        calibration=calibration,
        speed=float(speed),
        speed_limit=float(speed_limit),
        fuel_price=float(fuel_price),
        distance=float(distance),
        time_value=float(time_value),
        efficiency=eff,
        cheapest=cheap,
        efficiency_limit=limits[0],
        cheapest_limit=limits[1],
        efficiency_side=sides[0],
        cheapest_side=sides[1],
        closed_form=model.best_speed(),
        economy_at_speed=float(econ.f(speed)),
        economy_slope_at_speed=float(econ.df(speed)),
        trip_fuel=float(trip.fuel(speed)),
        trip_fuel_cost=float(trip.fuel_cost(speed)),
        trip_time_cost=float(trip.time_cost(speed)),
        trip_hours=distance / speed,
        cheapest_fuel_cost=float(trip.fuel_cost(cheap.x)),
        cheapest_time_cost=float(trip.time_cost(cheap.x)),
        highway_loss=_tidy(1 - highway, 1.0),
        economy_curve=marginal_curve(econ.f, economy_lo, speed_limit, n=CURVE_POINTS, df=econ.df),
        cost_curves=cost_curves,
        speed_table=speed_table,
        trip_table=trip_table,
        tradeoff=tradeoff,
        problem=problem,
        observed=None if calibration is None else calibration.table,
        fit_curve=None if calibration is None else calibration.curve(),
        goal=None
        if target == 0
        else goalseek.fuel_target(
            model,
            target,
            objective="trip_cost",
            speed_limit=speed_limit,
            units=u.code,
            fuel_price=fuel_price,
            distance=distance,
            time_value=time_value,
        ),
    )
