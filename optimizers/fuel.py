"""Fuel: which speed gives the best fuel economy, and which makes a trip cheapest?

Two models of the fuel a car burns. Both work in any consistent units — speed v in distance
per hour, fuel in a volume — so the same code runs in miles and gallons or in km and litres.

* **The seed's**: fuel per hour g(v) = a v² + b (a: drag, b: idle), so fuel per distance is
  u(v) = g(v)/v = a v + b/v and MPG = v / g(v) peaks at v* = sqrt(b/a) (44.7 mph for the seed).
* **The physical one**: fuel per distance u(v) = k v² + r + i/v — air drag (a force ∝ v², so
  fuel per mile ∝ v²), rolling resistance (a constant force) and idling (i per hour, spread
  over v miles per hour) — lowest at v* = (i / 2k)^(1/3). The seed's a·v grows too slowly to
  bend MPG down above 50 mph the way measured cars do; k v² does.

Economy is miles per gallon 1/u (US units, maximised) or litres per 100 km 100·u (metric,
minimised): both are best at the same speed, where u′ = 0. A trip of D at fuel price P, with an
hour of your time worth T, costs D (P u(v) + T/v): cheapest at sqrt((b + T/P)/a) for the seed's
model and ((i + T/P) / 2k)^(1/3) for the physical one.

Calibration fits both models to (speed, economy) observations by linear least squares on fuel
per distance (linear in a, b and in k, r, i) and picks the one with the smaller residual
standard error sqrt(SSR / (n − p)), which charges the physical model for its third coefficient.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from optimizers.calculus import Optimum, marginal_curve, optimize
from optimizers.sensitivity import Param, Problem
from optimizers.tables import decode_table, encode_table, numeric_columns

__all__ = [
    "CALIBRATION_NOTE",
    "DEFAULTS",
    "EXAMPLE_OBSERVATIONS",
    "KM_PER_MILE",
    "LITRES_PER_GALLON",
    "SENSITIVITY_NOTE",
    "SLIDERS",
    "UNITS",
    "Calibration",
    "FuelModel",
    "FuelReport",
    "ModelFit",
    "PhysicalModel",
    "Slider",
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


@dataclass(frozen=True)
class Units:
    """How a unit system names and measures speed, distance, fuel and economy.

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

    @property
    def best_economy(self) -> str:
        return "Maximum MPG" if self.code == "us" else "Lowest consumption"

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
    """The seed's model: fuel per hour g(v) = drag v² + idle, per distance drag v + idle / v."""

    drag: float
    idle: float
    kind = "seed"

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

    # The seed's MPG and its derivatives (US units), as the seed writes them.
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

    def formula(self, units: str | Units = "us") -> str:
        u = _units(units)
        return f"fuel per hour = {self.drag:.4g}·v² + {self.idle:.4g} ({u.volume}s, v in {u.speed})"


@dataclass(frozen=True)
class PhysicalModel:
    """Fuel per distance u(v) = k v² + r + i / v: air drag, rolling resistance, idling.

    Needs k > 0 and i > 0 for a best speed (i/2k)^(1/3), and u > 0 there (a negative ``r``
    is allowed as a fitting artefact as long as fuel use stays positive).
    """

    k: float
    r: float
    i: float
    kind = "physical"

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

    def formula(self, units: str | Units = "us") -> str:
        u = _units(units)
        return (
            f"fuel per {u.distance[:-1] if u.code == 'us' else 'km'} = {self.k:.4g}·v² + {self.r:.4g} + "
            f"{self.i:.4g}/v ({u.volume}s, v in {u.speed})"
        ).replace("+ -", "− ")


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
    """An input in one unit system: its URL key, range, default, step, label and display
    format (printf-style, as Streamlit's slider takes it: whole numbers where the step is)."""

    key: str
    lo: float
    hi: float
    default: float
    step: float
    label: str = ""
    fmt: str = "%g"

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
        "speed": Slider("speed", 10.0, 100.0, 65.0, 1.0, "Your cruising speed (mph)", "%d mph"),
        "speed_limit": Slider("speed_limit", 30.0, 120.0, 80.0, 5.0, "Speed limit (mph)", "%d mph"),
        "fuel_price": Slider("fuel_price", 1.0, 10.0, 3.5, 0.05, "Fuel price ($ per gallon)", "$%.2f"),
        "distance": Slider("distance", 10.0, 2000.0, 300.0, 10.0, "Trip distance (miles)", "%,d miles"),
        "time_value": Slider("time_value", 0.0, 100.0, 0.0, 1.0, "What an hour of your time is worth ($)", "$%d"),
        "drag": Slider("drag", 0.0001, 0.005, 0.001, 0.0001, "Drag (a, gal/h per mph²)", "%.4f"),
        "idle": Slider("idle", 0.1, 10.0, 2.0, 0.1, "Idle burn (b, gallons per hour)", "%.1f gal/h"),
    },
    "metric": {
        "speed": Slider("speed_kmh", 15.0, 160.0, 105.0, 1.0, "Your cruising speed (km/h)", "%d km/h"),
        "speed_limit": Slider("speed_limit_kmh", 50.0, 200.0, 130.0, 5.0, "Speed limit (km/h)", "%d km/h"),
        "fuel_price": Slider("price_per_litre", 0.25, 3.0, 0.92, 0.01, "Fuel price ($ per litre)", "$%.2f"),
        "distance": Slider("distance_km", 10.0, 3200.0, 480.0, 10.0, "Trip distance (km)", "%,d km"),
        "time_value": Slider("time_value", 0.0, 100.0, 0.0, 1.0, "What an hour of your time is worth ($)", "$%d"),
        "drag": Slider("drag_kmh", 0.00015, 0.0075, 0.00146, 0.00001, "Drag (a, L/h per (km/h)²)", "%.5f"),
        "idle": Slider("idle_lph", 0.4, 38.0, 7.57, 0.01, "Idle burn (b, litres per hour)", "%.2f L/h"),
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
# The trip and the report


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
class FuelReport:
    """Everything the Fuel page shows (see :func:`analyse`); speeds, distances, volumes and
    economy are in ``units``."""

    model: Model
    units: Units
    speed: float
    speed_limit: float
    efficiency: Optimum
    cheapest: Optimum
    economy_at_speed: float
    economy_slope_at_speed: float
    trip_fuel: float
    trip_fuel_cost: float
    trip_time_cost: float
    trip_hours: float
    cheapest_fuel_cost: float
    cheapest_time_cost: float
    economy_curve: pd.DataFrame
    cost_curves: pd.DataFrame
    speed_table: pd.DataFrame
    trip_table: pd.DataFrame
    tradeoff: dict


def analyse(
    model: Model,
    *,
    speed: float,
    fuel_price: float,
    distance: float,
    time_value: float,
    speed_limit: float,
    units: str | Units = "us",
) -> FuelReport:
    """Most efficient speed, cheapest trip speed and the seed's tables.

    Every input is in ``units``: speeds in mph or km/h, the distance in miles or km, the fuel
    price per gallon or per litre, and ``model`` in the same units. Both optima are searched on
    [min speed, speed_limit] with the engine (analytic derivatives); one above the limit comes
    back on that boundary (``at_boundary``). In metric units the efficiency optimum is the
    *lowest* L/100 km, at the same speed as the highest MPG.

    Examples
    --------
    >>> r = analyse(FuelModel(0.001, 2), speed=65, fuel_price=3.5, distance=300, time_value=0, speed_limit=80)
    >>> round(r.efficiency.x, 1), round(r.efficiency.fun, 1), round(r.economy_at_speed, 2)
    (44.7, 11.2, 10.44)
    """
    u = _units(units)
    values = {"speed": speed, "fuel_price": fuel_price, "distance": distance, "speed_limit": speed_limit}
    for name, value in values.items():
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be positive, got {value}")
    if not (math.isfinite(time_value) and time_value >= 0):
        raise ValueError(f"time_value must be non-negative, got {time_value}")
    if speed_limit <= u.min_speed:
        raise ValueError(f"speed_limit must be above {u.min_speed:g} {u.speed}, got {speed_limit}")
    trip = _Trip(model, distance, fuel_price, time_value)
    econ = _Economy(model, u)
    eff = optimize(econ.f, u.min_speed, speed_limit, u.goal, df=econ.df, d2f=econ.d2f)
    cheap = optimize(trip.f, u.min_speed, speed_limit, "min", df=trip.df, d2f=trip.d2f)

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
    tradeoff = {
        "fast": float(u.fast),
        "slow": float(u.slow),
        "hours_saved": distance / u.slow - distance / u.fast,
        "extra_fuel_cost": float(trip.fuel_cost(u.fast) - trip.fuel_cost(u.slow)),
    }
    return FuelReport(
        model=model,
        units=u,
        speed=float(speed),
        speed_limit=float(speed_limit),
        efficiency=eff,
        cheapest=cheap,
        economy_at_speed=float(econ.f(speed)),
        economy_slope_at_speed=float(econ.df(speed)),
        trip_fuel=float(trip.fuel(speed)),
        trip_fuel_cost=float(trip.fuel_cost(speed)),
        trip_time_cost=float(trip.time_cost(speed)),
        trip_hours=distance / speed,
        cheapest_fuel_cost=float(trip.fuel_cost(cheap.x)),
        cheapest_time_cost=float(trip.time_cost(cheap.x)),
        economy_curve=marginal_curve(econ.f, economy_lo, speed_limit, n=CURVE_POINTS, df=econ.df),
        cost_curves=cost_curves,
        speed_table=speed_table,
        trip_table=trip_table,
        tradeoff=tradeoff,
    )


# ---------------------------------------------------------------------------------------------
# Calibration: fit both models to a car's observations

#: Shown under the Fuel page's inputs: why the default curve should not be trusted as is.
CALIBRATION_NOTE = (
    "The seed's default curve is much flatter at highway speeds than measured cars: it loses "
    "3.6% of its MPG from 50 to 60 mph, while light-duty vehicles tested by Oak Ridge National "
    'Laboratory lost about 12% on average (Thomas, Hwang, West & Huff, "Predicting Light-Duty '
    'Vehicle Fuel Economy as a Function of Highway Speed", SAE Int. J. Passenger Cars 6(2), 2013). '
    "Calibrate to your car before trusting the numbers."
)
#: Example observations for "calibrate to your car" (synthetic, rounded, with noise): MPG
#: drops about 12% from 50 to 60 mph, like the ORNL 2013 average, unlike the seed's default.
EXAMPLE_OBSERVATIONS = pd.DataFrame(
    {"speed": [30.0, 40.0, 50.0, 60.0, 70.0, 80.0], "mpg": [38.0, 34.4, 29.8, 26.5, 23.3, 21.1]}
)
#: What each model's least squares needs: coefficient names, and the columns of the design
#: matrix for fuel per distance u(v).
_DESIGNS = {
    "seed": (("drag", "idle"), lambda v: np.column_stack([v, 1 / v])),
    "physical": (("k", "r", "i"), lambda v: np.column_stack([v * v, np.ones_like(v), 1 / v])),
}
_MODEL_NAMES = {"seed": "seed: fuel per hour a·v² + b", "physical": "physical: fuel per distance k·v² + r + i/v"}


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


@dataclass(frozen=True)
class ModelFit:
    """One model fitted to the observations.

    ``model`` is None when the fitted coefficients describe no car with a best speed
    (``problem`` says why); ``residual_error`` is sqrt(SSR / (n − p)) of fuel per distance
    (NaN when the fit has no spare observation, n = p); ``r2`` is of the economy entered.
    """

    kind: str
    coefficients: dict[str, float]
    model: Model | None
    residual_error: float
    r2: float
    problem: str = ""

    @property
    def name(self) -> str:
        return _MODEL_NAMES[self.kind]

    @property
    def best_speed(self) -> float:
        return self.model.best_speed() if self.model is not None else math.nan

    def per_distance(self, v):
        names, design = _DESIGNS[self.kind]
        return design(np.atleast_1d(np.asarray(v, dtype=float))) @ np.array([self.coefficients[n] for n in names])


@dataclass(frozen=True)
class Calibration:
    """Both fits to a car's observations, and the one the page uses (``chosen``)."""

    units: Units
    speeds: np.ndarray
    economy: np.ndarray
    fits: tuple[ModelFit, ...]
    chosen: ModelFit
    why: str = field(default="")

    @property
    def model(self) -> Model:
        return self.chosen.model

    @property
    def r2(self) -> float:
        return self.chosen.r2

    @property
    def observed(self) -> tuple[float, float]:
        return float(self.speeds.min()), float(self.speeds.max())

    def outside(self, optima: dict[str, float]) -> str:
        """One warning for every fitted optimum (name -> speed) outside the observed speeds, or "".

        Examples
        --------
        >>> cal = fit_observations(EXAMPLE_OBSERVATIONS)
        >>> cal.outside({"best speed": 23.1, "cheapest trip speed": 45.0})[:72]
        'The fitted best speed (23.1 mph) is below the slowest speed you observed'
        """
        lo, hi = self.observed
        unit = self.units.speed
        below = [f"{what} ({x:.1f} {unit})" for what, x in optima.items() if x < lo]
        above = [f"{what} ({x:.1f} {unit})" for what, x in optima.items() if x > hi]
        if not below and not above:
            return ""
        parts = []
        for names, side, edge in ((below, "below the slowest", lo), (above, "above the fastest", hi)):
            if names:
                verb = "is" if len(names) == 1 else "are"
                parts.append(f"{' and '.join(names)} {verb} {side} speed you observed ({edge:g} {unit})")
        peak = "where the MPG peaks" if self.units.code == "us" else "where the consumption is lowest"
        more = " and ".join(
            f"{word} than {edge:g} {unit}"
            for names, word, edge in ((below, "slower", lo), (above, "faster", hi))
            if names
        )
        return (
            f"The fitted {'; the fitted '.join(parts)}: the curve there is an extrapolation, and your "
            f"observations do not show {peak}. Add observations {more}."
        )

    def curve(self, n: int = 120) -> pd.DataFrame:
        """Each fit's economy over the observed speeds ± 10% (points with fuel use ≤ 0 left out).

        Columns ``speed``, ``mpg`` or ``l_per_100km`` (as the observations), ``fit``.
        """
        lo, hi = self.observed
        v = np.linspace(max(lo - 0.1 * (hi - lo), 1.0), hi + 0.1 * (hi - lo), n)
        parts = []
        for fit in self.fits:
            if not fit.coefficients:
                continue
            per = fit.per_distance(v)
            ok = per > 0
            label = f"{fit.kind} fit{' (used)' if fit is self.chosen else ''}"
            economy = self.units.economy_of(per[ok])
            parts.append(pd.DataFrame({"speed": v[ok], self.units.economy_column: economy, "fit": label}))
        return pd.concat(parts, ignore_index=True)

    def table(self) -> pd.DataFrame:
        """One row per model: coefficients, residual error, R², best speed, used or not."""
        rows = []
        for fit in self.fits:
            rows.append(
                {
                    "model": fit.name,
                    "coefficients": ", ".join(f"{k} = {v:.4g}" for k, v in fit.coefficients.items()) or "—",
                    "residual_error": fit.residual_error,
                    "r2": fit.r2,
                    "best_speed": fit.best_speed,
                    "used": fit is self.chosen,
                    "note": fit.problem,
                }
            )
        return pd.DataFrame(rows)


def _fit(kind: str, v: np.ndarray, per: np.ndarray, economy: np.ndarray, units: Units) -> ModelFit:
    names, design = _DESIGNS[kind]
    p = len(names)
    if np.unique(v).size < p:
        need = {2: "two", 3: "three"}[p]
        return ModelFit(kind, {}, None, math.nan, math.nan, f"needs observations at {need} or more different speeds")
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
    try:
        model = FuelModel(**coefficients) if kind == "seed" else PhysicalModel(**coefficients)
        problem = ""
    except ValueError as exc:
        model = None
        if kind == "seed":
            problem = (
                f"drag a = {coefficients['drag']:.3g} and idle b = {coefficients['idle']:.3g}; both must be "
                "positive for the economy to improve and then worsen with speed"
            )
        else:
            problem = str(exc)
    return ModelFit(kind, coefficients, model, residual_error, r2, problem)


def fit_observations(table: pd.DataFrame, units: str | Units = "us") -> Calibration:
    """Fit the seed's and the physical model to (speed, economy) rows; use the better one.

    Both are linear least squares on fuel per distance u = 1/MPG (or L/100 km ÷ 100):
    u = a v + b/v, and u = k v² + r + i/v. The better fit is the one with the smaller
    residual standard error sqrt(SSR/(n − p)) among those that describe a car with a best
    speed; with no spare observation to judge by (n = p), the one with fewer coefficients.

    Raises
    ------
    ValueError
        Fewer than 2 rows, non-numeric or non-positive values, one distinct speed, or
        neither model giving a best speed.

    Examples
    --------
    >>> s = np.array([30.0, 50.0, 70.0])
    >>> fit = fit_observations(pd.DataFrame({"speed": s, "mpg": s / (0.001 * s**2 + 2)}))
    >>> fit.chosen.kind, round(fit.model.drag, 12), round(fit.model.idle, 9)
    ('seed', 0.001, 2.0)
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
    if np.unique(v).size < 2:
        raise ValueError("All observations are at the same speed: measure at two or more speeds.")
    per = u.per_distance_of(economy)
    fits = tuple(_fit(kind, v, per, economy, u) for kind in ("seed", "physical"))
    usable = [f for f in fits if f.model is not None]
    if not usable:
        raise ValueError(
            "Neither model describes these observations as a car with a best speed. Seed model: "
            f"{fits[0].problem}. Physical model: {fits[1].problem}. Add observations over a wider range of speeds."
        )
    judged = [f for f in usable if math.isfinite(f.residual_error)]
    if judged:
        chosen = min(judged, key=lambda f: f.residual_error)
        others = [f for f in fits if f is not chosen]
        why = f"the {chosen.kind} model fits better (residual error {chosen.residual_error:.3g} vs " + (
            f"{others[0].residual_error:.3g})" if math.isfinite(others[0].residual_error) else "no spare observation)"
        )
        if others[0].model is None and others[0].coefficients:
            why = f"the {chosen.kind} model is used: the {others[0].kind} fit has no best speed ({others[0].problem})"
    else:
        chosen = min(usable, key=lambda f: len(f.coefficients))
        why = f"the {chosen.kind} model is used: with {len(v)} observations no fit has a spare one to judge by"
    return Calibration(u, v, economy, fits, chosen, why)


# ---------------------------------------------------------------------------------------------
# What moves the cheapest trip speed

#: Which optimum the sensitivity section explains, and why not the other (by model).
SENSITIVITY_NOTE = {
    "seed": (
        "This section explains the **cheapest trip speed**, which depends on every input below. The most "
        "efficient speed, √(b/a), depends only on the car: 1% more drag a lowers it 0.5%, 1% more idle b "
        "raises it 0.5%, and nothing else moves it."
    ),
    "physical": (
        "This section explains the **cheapest trip speed**, which depends on every input below. The most "
        "efficient speed, (i/2k)^(1/3), depends only on the car: 1% more air drag k lowers it 1/3%, 1% more "
        "idling i raises it 1/3%, and rolling r does not move it."
    ),
}


class _TripObjective:
    """Trip cost D (P u(v) + T/v) as f(v, **θ), with θ named by the page's URL keys (picklable).

    ``coef`` maps the model's coefficient names to θ names; ``names`` maps "fuel_price",
    "time_value", "distance" to θ names.
    """

    def __init__(self, kind: str, coef: dict[str, str], names: dict[str, str]) -> None:
        self.kind, self.coef, self.names = kind, coef, names

    def _u(self, v, th, order):
        c = {k: th[n] for k, n in self.coef.items()}
        if self.kind == "seed":
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
        for name in ("drag", "idle") if model.kind == "seed" else ("k", "r", "i"):
            key = {"drag": "a", "idle": "b"}.get(name, name)
            value = float(getattr(model, name))
            lo, hi = _fitted_range(value)
            params.append(Param(key, value, lo, hi, "fitted " + labels[name]))
            coef[name] = key
    else:
        if model.kind != "seed":
            raise ValueError("only the seed's model has drag and idle sliders; pass calibrated=True")
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
