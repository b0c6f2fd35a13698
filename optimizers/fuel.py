"""Fuel: which speed gives the most miles per gallon, and which makes a trip cheapest?

The seed's model: fuel use g(s) = a s^2 + b gallons per hour (a: drag, b: idle), so
efficiency(s) = s / g(s) miles per gallon, best at s* = sqrt(b / a) (44.7 mph for the seed).
Beyond the seed: when an hour of your time is worth T dollars, a trip of D miles at fuel
price P costs D P g(s)/s + D T / s, cheapest at s = sqrt((b + T/P) / a).

A car's own curve follows from two or more (speed, MPG) observations: 1/MPG = a s + b/s is
linear in a and b, so least squares fits it directly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimizers.calculus import Optimum, marginal_curve, optimize
from optimizers.tables import numeric_columns

__all__ = [
    "CALIBRATION_NOTE",
    "DEFAULTS",
    "EXAMPLE_OBSERVATIONS",
    "FuelFit",
    "FuelModel",
    "FuelReport",
    "analyse",
    "cheapest_speed",
    "fit_observations",
    "most_efficient_speed",
]

DEFAULTS = {
    "drag": 0.001,
    "idle": 2.0,
    "speed": 65.0,
    "fuel_price": 3.5,
    "distance": 300.0,
    "time_value": 0.0,
    "speed_limit": 80.0,
}
#: Lowest speed considered (the model's fuel per mile blows up as speed -> 0).
MIN_SPEED = 5.0
CURVE_POINTS = 121
#: The seed's comparison speeds.
TABLE_SPEEDS = (35, 45, 55, 65, 75, 85)
TRIP_SPEEDS = (45, 55, 75)

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


@dataclass(frozen=True)
class FuelModel:
    """g(s) = drag s^2 + idle gallons per hour."""

    drag: float
    idle: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.drag) and self.drag > 0):
            raise ValueError(f"drag must be positive, got {self.drag}")
        if not (math.isfinite(self.idle) and self.idle > 0):
            raise ValueError(f"idle must be positive, got {self.idle}")

    def gallons_per_hour(self, s):
        return self.drag * s * s + self.idle

    def mpg(self, s):
        return s / (self.drag * s * s + self.idle)

    def dmpg(self, s):
        """d(MPG)/ds by the quotient rule: (idle - drag s^2) / g(s)^2."""
        g = self.drag * s * s + self.idle
        return (self.idle - self.drag * s * s) / (g * g)

    def d2mpg(self, s):
        g = self.drag * s * s + self.idle
        return (2 * self.drag * s * (self.drag * s * s - 3 * self.idle)) / (g * g * g)


def most_efficient_speed(model: FuelModel) -> float:
    """sqrt(idle / drag): 44.72 mph for the seed.

    >>> round(most_efficient_speed(FuelModel(0.001, 2)), 2)
    44.72
    """
    return math.sqrt(model.idle / model.drag)


def cheapest_speed(model: FuelModel, fuel_price: float, time_value: float) -> float:
    """sqrt((idle + time_value / fuel_price) / drag): the speed with the lowest trip cost.

    >>> round(cheapest_speed(FuelModel(0.001, 2), 3.5, 0), 2)
    44.72
    >>> round(cheapest_speed(FuelModel(0.001, 2), 3.5, 20), 2)
    87.83
    """
    return math.sqrt((model.idle + time_value / fuel_price) / model.drag)


class _Trip:
    """Trip cost in dollars as a function of speed (picklable)."""

    def __init__(self, model: FuelModel, distance: float, fuel_price: float, time_value: float) -> None:
        self.m, self.d, self.p, self.t = model, distance, fuel_price, time_value

    def fuel_cost(self, s):
        return self.d * self.p * self.m.gallons_per_hour(s) / s

    def time_cost(self, s):
        return self.d * self.t / s

    def f(self, s):
        return self.d * (self.p * (self.m.drag * s + self.m.idle / s) + self.t / s)

    def df(self, s):
        return self.d * (self.p * (self.m.drag - self.m.idle / (s * s)) - self.t / (s * s))

    def d2f(self, s):
        return self.d * 2 * (self.p * self.m.idle + self.t) / (s * s * s)


@dataclass(frozen=True)
class FuelReport:
    """Everything the Fuel page shows (see :func:`analyse`)."""

    model: FuelModel
    speed: float
    speed_limit: float
    efficiency: Optimum
    cheapest: Optimum
    mpg_at_speed: float
    mpg_slope_at_speed: float
    trip_fuel_cost: float
    trip_time_cost: float
    trip_hours: float
    cheapest_fuel_cost: float
    cheapest_time_cost: float
    mpg_curve: pd.DataFrame
    cost_curves: pd.DataFrame
    speed_table: pd.DataFrame
    trip_table: pd.DataFrame
    tradeoff: dict


def analyse(
    model: FuelModel,
    *,
    speed: float,
    fuel_price: float,
    distance: float,
    time_value: float,
    speed_limit: float,
) -> FuelReport:
    """Most efficient speed, cheapest trip speed and the seed's tables.

    Both optima are searched on [MIN_SPEED, speed_limit]; one above the limit comes back on
    that boundary (``at_boundary``).

    Examples
    --------
    >>> r = analyse(FuelModel(0.001, 2), speed=65, fuel_price=3.5, distance=300, time_value=0, speed_limit=80)
    >>> round(r.efficiency.x, 1), round(r.efficiency.fun, 1), round(r.mpg_at_speed, 2)
    (44.7, 11.2, 10.44)
    """
    values = {"speed": speed, "fuel_price": fuel_price, "distance": distance, "speed_limit": speed_limit}
    for name, value in values.items():
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be positive, got {value}")
    if not (math.isfinite(time_value) and time_value >= 0):
        raise ValueError(f"time_value must be non-negative, got {time_value}")
    if speed_limit <= MIN_SPEED:
        raise ValueError(f"speed_limit must be above {MIN_SPEED} mph, got {speed_limit}")
    trip = _Trip(model, distance, fuel_price, time_value)
    eff = optimize(model.mpg, MIN_SPEED, speed_limit, "max", df=model.dmpg, d2f=model.d2mpg)
    cheap = optimize(trip.f, MIN_SPEED, speed_limit, "min", df=trip.df, d2f=trip.d2f)

    # from half the cheapest speed (at most 25 mph): near 0 mph the cost explodes and flattens the view
    s = np.linspace(max(MIN_SPEED, min(25.0, 0.5 * cheap.x)), speed_limit, CURVE_POINTS)
    cost_curves = pd.concat(
        [
            pd.DataFrame({"speed": s, "cost": trip.fuel_cost(s), "part": "fuel"}),
            pd.DataFrame({"speed": s, "cost": trip.time_cost(s), "part": "your time"}),
            pd.DataFrame({"speed": s, "cost": trip.f(s), "part": "total"}),
        ],
        ignore_index=True,
    )
    speeds = np.array(TABLE_SPEEDS, dtype=float)
    speed_table = pd.DataFrame(
        {
            "speed_mph": speeds,
            "mpg": model.mpg(speeds),
            "gallons_per_100mi": 100 / model.mpg(speeds),
            "trip_gallons": distance / model.mpg(speeds),
            "trip_fuel_cost": trip.fuel_cost(speeds),
            "trip_hours": distance / speeds,
            "trip_time_cost": trip.time_cost(speeds),
            "trip_total_cost": trip.f(speeds),
        }
    )
    trips = np.array(TRIP_SPEEDS, dtype=float)
    trip_table = pd.DataFrame({"speed_mph": trips, "fuel_cost": trip.fuel_cost(trips), "hours": distance / trips})
    fast, slow = 75.0, 55.0
    tradeoff = {
        "fast": fast,
        "slow": slow,
        "hours_saved": distance / slow - distance / fast,
        "extra_fuel_cost": float(trip.fuel_cost(fast) - trip.fuel_cost(slow)),
    }
    return FuelReport(
        model=model,
        speed=float(speed),
        speed_limit=float(speed_limit),
        efficiency=eff,
        cheapest=cheap,
        mpg_at_speed=float(model.mpg(speed)),
        mpg_slope_at_speed=float(model.dmpg(speed)),
        trip_fuel_cost=float(trip.fuel_cost(speed)),
        trip_time_cost=float(trip.time_cost(speed)),
        trip_hours=distance / speed,
        cheapest_fuel_cost=float(trip.fuel_cost(cheap.x)),
        cheapest_time_cost=float(trip.time_cost(cheap.x)),
        mpg_curve=marginal_curve(model.mpg, MIN_SPEED, speed_limit, n=CURVE_POINTS, df=model.dmpg),
        cost_curves=cost_curves,
        speed_table=speed_table,
        trip_table=trip_table,
        tradeoff=tradeoff,
    )


@dataclass(frozen=True)
class FuelFit:
    """A, b fitted to observations, with R² of MPG and the observations used."""

    model: FuelModel
    r2: float
    speeds: np.ndarray
    mpgs: np.ndarray

    def curve(self, n: int = 120) -> pd.DataFrame:
        lo, hi = float(self.speeds.min()), float(self.speeds.max())
        s = np.linspace(max(lo - 0.1 * (hi - lo), 1.0), hi + 0.1 * (hi - lo), n)
        label = f"fit: MPG = s / ({self.model.drag:.3g}·s² + {self.model.idle:.3g}) (R² {self.r2:.3f})"
        return pd.DataFrame({"speed": s, "mpg": self.model.mpg(s), "fit": label})


def fit_observations(table: pd.DataFrame) -> FuelFit:
    """Fit drag and idle to (speed, mpg) rows by least squares on 1/MPG = a s + b / s.

    Raises
    ------
    ValueError
        Fewer than 2 rows, non-numeric or non-positive values, one distinct speed, or a fit
        with a <= 0 or b <= 0 (the data do not have a most efficient speed).

    Examples
    --------
    >>> s = np.array([30.0, 50.0, 70.0])
    >>> fit = fit_observations(pd.DataFrame({"speed": s, "mpg": s / (0.001 * s**2 + 2)}))
    >>> round(fit.model.drag, 12), round(fit.model.idle, 9)
    (0.001, 2.0)
    """
    cols = numeric_columns(table, {"speed": "speed (mph)", "mpg": "MPG"}, min_rows=2, positive=("speed", "mpg"))
    s, mpg = cols["speed"], cols["mpg"]
    if np.unique(s).size < 2:
        raise ValueError("All observations are at the same speed: measure at two or more speeds.")
    design = np.column_stack([s, 1 / s])
    (a, b), *_ = np.linalg.lstsq(design, 1 / mpg, rcond=None)
    if not (a > 0 and b > 0):
        raise ValueError(
            f"The fit gives drag a = {a:.3g} and idle b = {b:.3g}; both must be positive for MPG to "
            "rise and then fall with speed. Add observations over a wider range of speeds."
        )
    model = FuelModel(float(a), float(b))
    fitted = model.mpg(s)
    ss_tot = float(np.sum((mpg - mpg.mean()) ** 2))
    r2 = 1 - float(np.sum((mpg - fitted) ** 2)) / ss_tot if ss_tot > 0 else math.nan
    return FuelFit(model, r2, s, mpg)
