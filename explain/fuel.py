"""Every word the Fuel page shows, written from a :class:`optimizers.fuel.FuelResult`.

Each function returns markdown (numbers through :mod:`explain.format`, anything a visitor
typed through :func:`explain.format.plain`); metric rows are (label, value, help) triples.

Examples
--------
>>> from optimizers import fuel as fm
>>> r = fm.analyse(fm.FuelModel(0.001, 2), speed=65, fuel_price=3.5, distance=300, time_value=0, speed_limit=80)
>>> metrics(r)[0][:2], metrics(r)[1][:2]
(('Most efficient speed', '44.7 mph'), ('Maximum MPG', '11.2 mpg'))
>>> print(tradeoff(r))
**Time vs money.** Driving 75 mph instead of 55 mph saves 1.45 hours on 300 miles but costs $10.82 more fuel (the tutorial's text says 1.3 hours; 300/55 − 300/75 is 1.45).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from explain.format import MINUS, count, general, money, num, percent, plain
from optimizers import fuel as fm
from optimizers import goalseek as gs
from optimizers import uncertainty as un
from optimizers.calculus import Optimum

__all__ = [
    "CALIBRATE",
    "INPUTS",
    "STORY",
    "TARGET",
    "TITLE",
    "UNITS",
    "Charts",
    "answer",
    "calibration_note",
    "cannot_fit",
    "charts",
    "fit_lines",
    "fits_table",
    "interval",
    "interval_metric",
    "interval_text",
    "metrics",
    "observations",
    "sensitivity_axis",
    "sensitivity_note",
    "tables_toggle",
    "target_text",
    "tradeoff",
    "trip_marks",
    "warnings",
]

TITLE = "How fast should you drive?"
STORY = (
    "Faster means more miles per hour but more fuel per hour: fuel use grows with the square of "
    "speed (air drag) on top of what the engine burns idling. Fuel economy is best where its "
    "derivative is zero — and when your time is worth money, the cheapest trip is faster (up to your speed limit)."
)
#: The unit switch: (label, help).
UNITS = ("Units", "mph and MPG, or km/h and litres per 100 km")
CALIBRATE = "Calibrate to your car"
#: The "Reach a target" input's (label, format, help); its range is optimizers.fuel.TARGET_INPUT.
#: A trip cost, not an MPG: dollars mean the same in both unit systems (docs/pages/fuel.md).
TARGET = (
    "Reach a target trip cost ($)",
    "%.2f",
    (
        "The page finds every speed, up to your speed limit, at which the trip costs this much: fuel plus the "
        "value of your time. 0: no target."
    ),
)
#: Each slider's label and display format (printf-style, as Streamlit takes it: whole numbers
#: where the step is whole), by unit system and by the names of ``optimizers.fuel.SLIDERS``.
INPUTS: dict[str, dict[str, tuple[str, str]]] = {
    "us": {
        "speed": ("Your cruising speed (mph)", "%d mph"),
        "speed_limit": ("Speed limit (mph)", "%d mph"),
        "fuel_price": ("Fuel price ($ per gallon)", "$%.2f"),
        "distance": ("Trip distance (miles)", "%,d miles"),
        "time_value": ("What an hour of your time is worth ($)", "$%d"),
        "drag": ("Drag (a, gal/h per mph²)", "%.4f"),
        "idle": ("Idle burn (b, gallons per hour)", "%.1f gal/h"),
    },
    "metric": {
        "speed": ("Your cruising speed (km/h)", "%d km/h"),
        "speed_limit": ("Speed limit (km/h)", "%d km/h"),
        "fuel_price": ("Fuel price ($ per litre)", "$%.2f"),
        "distance": ("Trip distance (km)", "%,d km"),
        "time_value": ("What an hour of your time is worth ($)", "$%d"),
        "drag": ("Drag (a, L/h per (km/h)²)", "%.5f"),
        "idle": ("Idle burn (b, litres per hour)", "%.2f L/h"),
    },
}
#: What each model is called on the page, and its formula.
MODELS = {
    fm.Kind.TEXTBOOK: "textbook: fuel per hour a·v² + b",
    fm.Kind.PHYSICAL: "physical: fuel per distance k·v² + r + i/v",
}
#: The study behind the "measured cars" comparison (optimizers.fuel.MEASURED_HIGHWAY_LOSS).
ORNL = (
    'Thomas, Hwang, West & Huff, "Predicting Light-Duty Vehicle Fuel Economy as a Function of Highway '
    'Speed", SAE Int. J. Passenger Cars 6(2), 2013'
)
WHAT = {"efficiency": "most efficient speed", "cheapest": "cheapest trip speed"}


# --- numbers in the page's units ----------------------------------------------------------------


def _speed(r: fm.FuelResult, v: float, decimals: int = 1) -> str:
    """'44.7 mph'."""
    return num(v, decimals, r.units.speed)


def _whole(r: fm.FuelResult, v: float) -> str:
    """A speed the visitor set: '65 mph', or '65.5 mph' when it is not whole."""
    return _speed(r, v, 0 if float(v).is_integer() else 1)


def _economy(r: fm.FuelResult, v: float) -> str:
    """'11.2 mpg'; in L/100 km the unit is in the metric's label, or the value would not fit."""
    return num(v, 1, r.units.economy_unit if r.units.code == "us" else "")


def _coefficient(v: float, digits: int = 4) -> str:
    """A fitted coefficient in ``digits`` significant digits: '0.0005492', '−1.389e−05'."""
    return general(v, digits)


def _markdown_table(columns: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool]) -> str:
    """A markdown table of display strings (escaped with :func:`plain`), right-aligned where asked."""
    lines = [
        "| " + " | ".join(plain(c, None) for c in columns) + " |",
        "| " + " | ".join("---:" if r else "---" for r in right) + " |",
    ]
    lines += ["| " + " | ".join(plain(c, None) for c in row) + " |" for row in rows]
    return "\n".join(lines)


# --- the answer ---------------------------------------------------------------------------------


def metrics(r: fm.FuelResult, boot: un.SpeedBootstrap | None = None) -> list[tuple[str, str, str | None]]:
    """The six metrics (label, value, help), in two rows of three; with a calibration's
    bootstrap, the interval of the most efficient speed after it.

    >>> r = fm.analyse(fm.FuelModel(0.001, 2), speed=65, fuel_price=3.5, distance=300, time_value=0, speed_limit=80)
    >>> [m[:2] for m in metrics(r)][2:]
    [('Cheapest trip speed', '44.7 mph'), ('MPG at your speed', '10.4 mpg'), ('Trip fuel cost', '$100.56'), ('Trip time', '4.62 h')]
    >>> metrics(r)[0][2]
    'Closed form √(b/a): 44.7214 mph'
    """
    u, eff, cheap = r.units, r.efficiency, r.cheapest
    per_100 = "" if u.code == "us" else f" ({u.economy_unit})"
    formula = "√(b/a)" if r.model.kind is fm.Kind.TEXTBOOK else "(i/2k)^(1/3)"
    closed = f"Closed form {formula}: {num(r.closed_form, 4, u.speed)}"
    if r.efficiency_limit is fm.Limit.SPEED_LIMIT:
        closed += ", above your speed limit"
    elif r.efficiency_limit is fm.Limit.MIN_SPEED:
        closed += f", below {_whole(r, u.min_speed)}, the slowest speed considered"
    return [
        ("Most efficient speed", _speed(r, eff.x), closed),
        *([interval_metric(r, boot)] if boot is not None else []),
        (("Maximum MPG" if u.code == "us" else "Lowest consumption") + per_100, _economy(r, eff.fun), None),
        ("Cheapest trip speed", _speed(r, cheap.x), "Minimises fuel cost + the value of your time"),
        ("MPG at your speed" if u.code == "us" else f"At your speed{per_100}", _economy(r, r.economy_at_speed), None),
        ("Trip fuel cost", money(r.trip_fuel_cost), None),
        ("Trip time", num(r.trip_hours, 2, "h"), None),
    ]


def _outside(r: fm.FuelResult, items: Sequence[tuple[str, float, fm.Side]]) -> str:
    """The extrapolation warning for fitted optima (what, speed, side) outside the observed speeds."""
    lo, hi = r.calibration.observed
    unit = r.units.speed
    below = [f"{what} ({_speed(r, x)})" for what, x, side in items if side is fm.Side.BELOW]
    above = [f"{what} ({_speed(r, x)})" for what, x, side in items if side is fm.Side.ABOVE]
    if not below and not above:
        return ""
    parts = []
    for names, where, edge in ((below, "below the slowest", lo), (above, "above the fastest", hi)):
        if names:
            verb = "is" if len(names) == 1 else "are"
            parts.append(f"{' and '.join(names)} {verb} {where} speed you observed ({general(edge)} {unit})")
    more = " and ".join(
        f"{word} than {general(edge)} {unit}"
        for names, word, edge in ((below, "slower", lo), (above, "faster", hi))
        if names
    )
    peak = ""
    if any(what == WHAT["efficiency"] and side is not fm.Side.INSIDE for what, _, side in items):
        peak = ", and your observations do not show " + (
            "where the MPG peaks" if r.units.code == "us" else "where the consumption is lowest"
        )
    return (
        f"The fitted {'; the fitted '.join(parts)}: the curve there is an extrapolation{peak}. Add observations {more}."
    )


def warnings(r: fm.FuelResult) -> str:
    """One warning paragraph: optima held at an end of the searched speeds, and fitted optima
    outside the observed speeds; "" when there is nothing to warn about.

    >>> r = fm.analyse(fm.FuelModel(0.001, 2), speed=65, fuel_price=3.5, distance=300, time_value=20, speed_limit=80)
    >>> warnings(r)
    'The cheapest trip speed is above your speed limit: it is clamped to 80 mph (on the boundary).'
    """
    out = []
    for key, opt, limit in (
        ("efficiency", r.efficiency, r.efficiency_limit),
        ("cheapest", r.cheapest, r.cheapest_limit),
    ):
        if limit is fm.Limit.SPEED_LIMIT:
            out.append(
                f"The {WHAT[key]} is above your speed limit: it is clamped to {_whole(r, opt.x)} (on the boundary)."
            )
        elif limit is fm.Limit.MIN_SPEED:
            out.append(
                f"The {WHAT[key]} is below {_whole(r, opt.x)}, the slowest speed this page considers: it is "
                "clamped there (on the boundary)."
            )
    if r.calibration is not None:
        items = [
            (WHAT["efficiency"], r.efficiency.x, r.efficiency_side),
            (WHAT["cheapest"], r.cheapest.x, r.cheapest_side),
        ]
        out.append(_outside(r, items))
    return " ".join(w for w in out if w)


def _curvature(r: fm.FuelResult, opt: Optimum) -> str:
    """The second-derivative test at the most efficient speed, or why it does not apply."""
    where = f"at speed = {_speed(r, opt.x)}"
    slope = opt.derivative
    if opt.at_boundary and abs(slope) > 1e-9 * max(abs(opt.fun) / opt.x, 1e-300):
        return (
            f"The best speed is on the edge of the allowed range ({_speed(r, opt.x)}): the slope there is "
            f"{general(slope)}, not zero, so it is the limit, not a turning point."
        )
    f2 = opt.second_derivative
    if f2 < 0:
        return (
            f"Second-derivative test: f″ = {general(f2)} < 0 {where}. The curve bends down, so this is a **maximum**."
        )
    if f2 > 0:
        return f"Second-derivative test: f″ = {general(f2)} > 0 {where}. The curve bends up, so this is a **minimum**."
    return (
        f"f″ = 0 {where}, so the second-derivative test is silent; the slope changes sign there, so by the "
        f"first-derivative test this is a **{'maximum' if opt.kind == 'max' else 'minimum'}**."
    )


def _cents(v: float) -> float:
    return float(f"{v:.2f}")


def answer(r: fm.FuelResult) -> str:
    """Under the metrics: the second-derivative test and the cheapest trip in words (one markdown).

    >>> r = fm.analyse(fm.FuelModel(0.001, 2), speed=65, fuel_price=3.5, distance=300, time_value=10, speed_limit=120)
    >>> print(answer(r).split("\\n\\n")[1])
    **Cheapest trip:** 300 miles at 69.7 mph costs $146.36 — $103.31 of fuel and $43.05 of your time. At your 65 mph: $100.56 fuel + $46.15 time.
    """
    u, cheap = r.units, r.cheapest
    fuel, time = _cents(r.cheapest_fuel_cost), _cents(r.cheapest_time_cost)  # the total is the sum shown
    trip = (
        f"**Cheapest trip:** {num(r.distance, 0, u.distance)} at {_speed(r, cheap.x)} costs {money(fuel + time)} — "
        f"{money(fuel)} of fuel and {money(time)} of your time. At your {_whole(r, r.speed)}: "
        f"{money(r.trip_fuel_cost)} fuel + {money(r.trip_time_cost)} time."
    )
    parts = [_curvature(r, r.efficiency), trip]
    if u.code == "metric":
        parts.insert(
            0, "Lowest consumption (L/100 km) is at the same speed as the highest MPG: where fuel per km is lowest."
        )
    return "\n\n".join(parts)


def tradeoff(r: fm.FuelResult) -> str:
    """The tutorial's time-vs-money comparison, true whichever speed burns more fuel."""
    t, u = r.tradeoff, r.units
    fuel = _cents(t.extra_fuel_cost)
    if fuel > 0:
        cost = f"but costs {money(fuel)} more fuel"
    elif fuel < 0:
        cost = f"and saves {money(-fuel)} of fuel too"
    else:
        cost = "for the same fuel, to the cent"
    note = ""
    if u.code == "us" and t.distance == 300 and (t.fast, t.slow) == (75, 55):
        note = f" (the tutorial's text says 1.3 hours; 300/55 {MINUS} 300/75 is 1.45)"
    return (
        f"**Time vs money.** Driving {_whole(r, t.fast)} instead of {_whole(r, t.slow)} saves "
        f"{num(t.hours_saved, 2)} hours on {num(t.distance, 0, u.distance)} {cost}{note}."
    )


def tables_toggle(r: fm.FuelResult) -> str:
    """What the tables' toggle shows ("Show …").

    >>> tables_toggle(fm.analyse(fm.FuelModel(0.001, 2), speed=65, fuel_price=3.5, distance=300, time_value=0, speed_limit=80))
    "the tutorial's tables: speed vs MPG, and the trip at 45 / 55 / 75 mph"
    """
    u = r.units
    trips = " / ".join(general(v) for v in u.trip_speeds)
    return f"the tutorial's tables: speed vs {u.economy}, and the trip at {trips} {u.speed}"


# --- calibration --------------------------------------------------------------------------------


def observations(units: str) -> tuple[str, dict[str, str]]:
    """(the line above the table, the keyword arguments of ``ui.components.data_table_input``)."""
    u = fm.UNITS[units]
    intro = f"**Your observations**: `speed` ({u.speed}) and the `{u.economy_column}` you measured there."
    return intro, {
        "what": f"(speed, {u.economy_column})",
        "upload_help": f"Columns `speed` and `{u.economy_column}`; at most 5 MB.",
    }


def _reason(fit: fm.ModelFit, units: fm.Units) -> str:
    """Why a fit describes no car with a best speed."""
    c, s = fit.coefficients, fit.status
    if s is fm.FitStatus.TOO_FEW_SPEEDS:
        return f"needs observations at {'two' if fit.kind is fm.Kind.TEXTBOOK else 'three'} or more different speeds"
    if s is fm.FitStatus.NO_DRAG:
        return f"air drag k must be positive, got {_coefficient(c['k'], 3)}"
    if s is fm.FitStatus.NO_IDLING:
        return f"idling i must be positive, got {_coefficient(c['i'], 3)}"
    if s is fm.FitStatus.NEGATIVE_FUEL:
        return (
            f"rolling r = {_coefficient(c['r'], 3)} would make fuel use negative at its best speed, "
            f"{num(fit.turning_speed, 1, units.speed)}"
        )
    if fit.kind is fm.Kind.TEXTBOOK and c:
        return (
            f"drag a = {_coefficient(c['drag'], 3)} and idle b = {_coefficient(c['idle'], 3)}; both must be positive "
            "for the economy to improve and then worsen with speed"
        )
    return "its coefficients describe no car"


def cannot_fit(source: str, exc: ValueError, units: str = "us") -> str:
    """Why the observations cannot be used (markdown; ``source`` and the message shown literally).

    >>> s = fm.example_observations().assign(speed=50.0)
    >>> try:
    ...     fm.fit_observations(s)
    ... except fm.NoBestSpeed as exc:
    ...     print(cannot_fit("the table", exc).replace("\\\\", ""))
    Cannot fit the table: all observations are at the same speed: measure at two or more speeds.
    """
    if isinstance(exc, fm.NoBestSpeed):
        if exc.speeds < 2:
            why = "all observations are at the same speed: measure at two or more speeds."
        else:
            u = fm.UNITS[units]
            reasons = " ".join(f"{f.kind.value.capitalize()} model: {_reason(f, u)}." for f in exc.fits)
            why = (
                f"neither model describes these observations as a car with a best speed. {reasons} "
                "Add observations over a wider range of speeds."
            )
    else:
        why = str(exc)
    return plain(f"Cannot fit {source}: {why}", None)


def _why(cal: fm.Calibration, r: fm.FuelResult) -> str:
    chosen, other = cal.chosen, cal.other
    a, b = chosen.kind.value, other.kind.value
    if cal.choice is fm.Choice.BETTER_FIT:
        return (
            f"the {a} model fits better (residual error {general(chosen.residual_error, 3)} vs "
            f"{general(other.residual_error, 3)})"
        )
    if cal.choice is fm.Choice.OTHER_UNJUDGED:
        return (
            f"the {a} model is used (residual error {general(chosen.residual_error, 3)}): the {b} fit passes "
            "through every observation, with no spare one to judge it by"
        )
    if cal.choice is fm.Choice.OTHER_TOO_FEW_SPEEDS:
        return f"the {a} model is used: the {b} model {_reason(other, r.units)}"
    return f"the {a} model is used: the {b} fit has no best speed ({_reason(other, r.units)})"


def fits_table(r: fm.FuelResult) -> str:
    """Both fitted models and why one is used: a sentence over a four-column table (it fits a
    phone: the model's cell says its best speed and whether it is used)."""
    cal, u = r.calibration, r.units
    error = f"residual error ({'gal/mi' if u.code == 'us' else 'L/km'})"
    rows = []
    for fit in cal.fits:
        best = _speed(r, fit.best_speed) if math.isfinite(fit.best_speed) else "none"
        used = " (used)" if fit is cal.chosen else ""
        if math.isfinite(fit.residual_error):
            residual = _coefficient(fit.residual_error, 3)
        else:
            residual = "— (not fitted)" if fit.status is fm.FitStatus.TOO_FEW_SPEEDS else "— (no spare row)"
        rows.append(
            (
                f"{MODELS[fit.kind]}: best {best}{used}",
                ", ".join(f"{k} = {_coefficient(v)}" for k, v in fit.coefficients.items()) or "—",
                residual,
                num(fit.r2, 4),
            )
        )
    table = _markdown_table(("model", "coefficients", error, "R²"), rows, (False, False, True, True))
    return plain(f"Fitted models: {_why(cal, r)}.", None) + "\n\n" + table


def fit_lines(r: fm.FuelResult):
    """The fitted curves with their legend labels ('textbook fit (used)') in the ``fit`` column."""
    curve = r.fit_curve
    labels = [f"{k} fit{' (used)' if used else ''}" for k, used in zip(curve.fit, curve.used, strict=True)]
    return curve[["speed", r.units.economy_column]].assign(fit=labels)


def calibration_note(r: fm.FuelResult) -> str:
    """Why the sliders' curve should not be trusted as is: how much MPG it loses from 50 to
    60 mph against the 12% measured cars lost.

    >>> r = fm.analyse(fm.FuelModel(0.001, 2), speed=65, fuel_price=3.5, distance=300, time_value=0, speed_limit=80)
    >>> calibration_note(r)[:51]
    'This curve loses 3.6% of its MPG from 50 to 60 mph,'
    """
    loss, measured = r.highway_loss, fm.MEASURED_HIGHWAY_LOSS
    lo, hi = fm.HIGHWAY_SPEEDS
    if r.units.code == "us":
        what, span = "its MPG", f"from {general(lo)} to {general(hi)} mph"
    else:
        c = r.units.speed_per_mph
        what = "its fuel economy (km per litre)"
        span = f"from {num(lo * c, 0)} to {num(hi * c, 0)} km/h ({general(lo)} to {general(hi)} mph)"
    if loss > 0:
        change = f"loses {percent(loss)} of {what} {span}"
    elif loss < 0:
        change = f"gains {percent(-loss)} in {what} {span}"
    else:
        change = f"keeps {what} {span}"
    if loss <= 0:
        shape = "this curve does not fall at highway speeds, where measured cars' economy does"
    elif loss < measured / 2:
        shape = "this curve is much flatter at highway speeds than measured cars"
    elif loss < measured - 0.02:
        shape = "this curve is flatter at highway speeds than measured cars"
    elif loss <= measured + 0.02:
        shape = "this curve falls about as fast at highway speeds as measured cars"
    else:
        shape = "this curve is steeper at highway speeds than measured cars"
    return (
        f"This curve {change}, while light-duty vehicles tested by Oak Ridge National Laboratory lost about "
        f"{percent(measured, 0)} on average ({ORNL}): {shape}. Calibrate to your car before "
        "trusting the numbers."
    )


# --- charts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Charts:
    """Titles, formats and marker labels of the page's charts (keyword arguments of
    ``ui.charts``); the page adds the data and the markers' positions from the result."""

    economy: dict
    trip: dict
    fit: dict | None
    best: str
    you: str
    cheapest: str


def charts(r: fm.FuelResult) -> Charts:
    """The words and formats of the economy, trip-cost and (when calibrating) fit charts."""
    u = r.units
    speed_axis = f"Speed ({u.speed})"
    fit = None
    if r.calibration is not None:
        fit = {
            "x": "speed",
            "y": u.economy_column,
            "x_title": speed_axis,
            "y_title": u.economy,
            "x_format": ",.0f",
        }
    return Charts(
        economy={
            "x_title": speed_axis,
            "y_title": "Fuel economy (miles per gallon)" if u.code == "us" else "Fuel consumption (L/100 km)",
            "marginal_title": f"d({u.economy})/d(speed)",
            "x_format": ",.0f",
            "y_format": ",.1f",
            "d_format": ",.3f",
            "height": 260,
        },
        trip={
            "x": "speed",
            "y": "cost",
            "series": "part",
            "x_title": speed_axis,
            # no distance in the title: a title that changes with a slider makes a new chart spec
            # (rebuilt and recompiled) on every step; the distance is the slider's (issue 23)
            "y_title": "Cost of the whole trip ($)",
            "x_format": ",.0f",
            "y_format": "$,.0f",
            "title": "Trip cost: fuel vs your time",
            "dashed": ("fuel", "your time"),
            "colors": {"total": "gray", "fuel": "blue", "your time": "orange"},
            "height": 220,
        },
        fit=fit,
        best=f"best {_speed(r, r.efficiency.x)}",
        you=f"you: {_whole(r, r.speed)}",
        cheapest=f"cheapest {_speed(r, r.cheapest.x)}",
    )


# --- what moves the optimum ---------------------------------------------------------------------


def sensitivity_note(r: fm.FuelResult) -> str:
    """Which optimum the sensitivity section explains, and how the other one moves (true also when
    the most efficient speed is held at an end of the searched speeds).

    >>> r = fm.analyse(fm.FuelModel(0.001, 2), speed=65, fuel_price=3.5, distance=300, time_value=0, speed_limit=80)
    >>> sensitivity_note(r).split("√(b/a), ")[1]
    'depends only on the car: 1% more drag a lowers it 0.5%, 1% more idle b raises it 0.5%, and nothing else moves it.'
    """
    if r.model.kind is fm.Kind.TEXTBOOK:
        formula, moves = "√(b/a)", "1% more drag a lowers it 0.5%, 1% more idle b raises it 0.5%"
        rest = "nothing else moves it"
    else:
        formula, moves = "(i/2k)^(1/3)", "1% more air drag k lowers it 1/3%, 1% more idling i raises it 1/3%"
        rest = "rolling r does not move it"
    head = (
        "This section explains the **cheapest trip speed**: how each input below moves it. The most efficient "
        f"speed, {formula}, depends only on the car"
    )
    if r.efficiency_limit is fm.Limit.SPEED_LIMIT:
        return f"{head} ({moves}); here it is above your speed limit, so the page shows the limit."
    if r.efficiency_limit is fm.Limit.MIN_SPEED:
        return f"{head} ({moves}); here it is below {_whole(r, r.efficiency.x)}, so the page shows that speed."
    return f"{head}: {moves}, and {rest}."


def sensitivity_axis(r: fm.FuelResult) -> str:
    return f"Cheapest trip speed ({r.units.speed})"


# --- how sure: the interval of a calibrated car's most efficient speed (optimizers.uncertainty) --


def interval(r: fm.FuelResult, boot: un.SpeedBootstrap) -> un.Interval:
    """The interval of the most efficient speed the page shows: held, like it, within the
    slowest speed considered and your speed limit (exact: see :meth:`Interval.within`)."""
    return boot.interval.within(r.units.min_speed, r.speed_limit)


def interval_metric(r: fm.FuelResult, boot: un.SpeedBootstrap) -> tuple[str, str, str]:
    """ "Most efficient speed, 90% interval": "22.4 – 24.0 mph".

    >>> r = fm.analyse(speed=65, fuel_price=3.5, distance=300, time_value=0, speed_limit=80,
    ...                observations=fm.EXAMPLE_OBSERVATIONS)
    >>> interval_metric(r, un.speed_interval(r.calibration))[:2]
    ('Most efficient speed, 90% interval', '22.4 – 24.0 mph')
    """
    iv = interval(r, boot)
    level = percent(iv.level, 0)
    value = f"{num(iv.low, 1)} – {_speed(r, iv.high)}" if math.isfinite(iv.low) else "—"
    return (
        f"Most efficient speed, {level} interval",
        value,
        (
            f"The middle {level} of the most efficient speeds of {count(iv.n_resamples)} resamples of your "
            f"observations, each refitted (a bootstrap that draws the same resamples every time, so this link gives "
            "the same interval)"
        ),
    )


_FAILURE_WORDS = {
    un.Failure.FEW_VALUES: "too few different speeds for the model",
    un.Failure.NO_OPTIMUM: "no car with a best speed",
}


def interval_text(r: fm.FuelResult, boot: un.SpeedBootstrap) -> str:
    """The interval in words: how it was found, what was left out, and what it does not cover.

    >>> r = fm.analyse(speed=65, fuel_price=3.5, distance=300, time_value=0, speed_limit=80,
    ...                observations=fm.EXAMPLE_OBSERVATIONS)
    >>> print(interval_text(r, un.speed_interval(r.calibration)).split(";")[0])
    **How sure is 23.1 mph?** Resampling your 6 observations 1,000 times (with replacement) and refitting the textbook model to each puts the most efficient speed between 22.4 and 24.0 mph in 90% of them
    """
    iv, raw = interval(r, boot), boot.interval
    level, model = percent(iv.level, 0), f"{boot.kind} model"
    head = (
        f"**How sure is {_speed(r, iv.estimate)}?** Resampling your {count(boot.calibration.speeds.size)} observations "
        f"{count(iv.n_resamples)} times (with replacement) and refitting the {model} to each"
    )
    economy = "MPG" if r.units.code == "us" else "L/100 km"
    if iv.status is un.IntervalStatus.EXACT:
        said = (
            f"{head} gives {_speed(r, iv.estimate)} every time: your observations lie exactly on the {model}, so the "
            "interval has zero width."
        )
    elif not iv.n_fitted:
        said = f"{head} gives no best speed at all: none of the resamples could be used."
    else:
        said = (
            f"{head} puts the most efficient speed between {num(iv.low, 1)} and {_speed(r, iv.high)} in {level} of them; "
            f"the shaded band on the economy chart holds the middle {level} of their {economy} curves."
        )
    if (iv.low, iv.high) != (raw.low, raw.high):
        said += (
            f" Like the answer, the speeds are held between {_whole(r, r.units.min_speed)} and your speed limit "
            f"({_whole(r, r.speed_limit)})."
        )
    if iv.n_failed:
        why = "; ".join(f"{count(n)} {_FAILURE_WORDS.get(f, f.value)}" for f, n in iv.failures)
        said += f" {count(iv.n_failed)} of the {count(iv.n_resamples)} resamples could not be used ({why}) and were left out."
        if iv.status is un.IntervalStatus.UNSTABLE and iv.n_fitted:
            said += (
                " That is more than one tail of the interval holds: had they been fitted, either end could move, so "
                "read it as a rough range."
            )
    said += (
        f" It measures how much your observations move the {model}'s best speed, not whether that model is the "
        "right shape for your car, nor what happens outside the speeds you observed."
    )
    return said


# --- reach a target trip cost: every speed where the trip costs it (optimizers.goalseek) -------


def _speeds(r: fm.FuelResult, xs) -> str:
    shown = [_speed(r, x) for x in xs]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and at " + shown[-1]


def target_text(r: fm.FuelResult) -> str:
    """Every speed at which the trip costs your target, or why none does ("" without a target).

    >>> r = fm.analyse(fm.FuelModel(0.001, 2), speed=65, fuel_price=3.5, distance=300, time_value=0,
    ...                speed_limit=80, target=100)
    >>> print(target_text(r))
    **Target $100.00.** The 300-mile trip costs $100.00 at 31.3 mph and at 64.0 mph, and less between them.
    """
    g, u = r.goal, r.units
    if g is None:
        return ""
    t = money(g.target)
    trip = f"{num(r.distance, 0)}-{u.distance.removesuffix('s')} trip"
    head = f"**Target {t}.** "
    limit = f"your speed limit ({_whole(r, r.speed_limit)})"
    if g.everywhere:
        return head + f"The {trip} costs {t} at every speed."
    if g.status is gs.GoalStatus.BELOW_MINIMUM:
        cheap = r.cheapest
        return head + (
            f"No speed up to {limit} gets the {trip} down to {t}: the cheapest is {money(cheap.fun)}, at "
            f"{_speed(r, cheap.x)} ({money(-g.margin)} more)."
        )
    if g.status is gs.GoalStatus.ABOVE_MAXIMUM:
        return head + (
            f"The {trip} costs less than {t} at every speed from {_whole(r, u.min_speed)} up to {limit}: "
            f"at most {money(g.highest)}."
        )
    if g.status is gs.GoalStatus.TOUCHES:
        return head + f"Only the cheapest speed, {_speed(r, r.cheapest.x)}, gets the {trip} down to {t}."
    said = f"The {trip} costs {t} at {_speeds(r, g.x)}"
    c = g.crossings
    if c == (gs.Crossing.FALLING, gs.Crossing.RISING):
        said += ", and less between them"
    elif c == (gs.Crossing.FALLING,):
        said += f", and less at every faster speed up to {limit}"
    elif c == (gs.Crossing.RISING,):
        said += f", and less at every slower speed down to {_whole(r, u.min_speed)}"
    return head + said + "."


def trip_marks(r: fm.FuelResult) -> dict:
    """The target on the trip-cost chart (``ui.charts.lines_chart``'s ``rule_y`` and ``points``):
    the line unless it lies farther from the total cost than the curve's own height (it would
    flatten the curves), and the speeds on the chart's range; {} without a target."""
    g = r.goal
    if g is None:
        return {}
    total = r.cost_curves[r.cost_curves["part"] == "total"]
    lo, hi = float(total["cost"].min()), float(total["cost"].max())
    span = hi - lo if hi > lo else max(abs(hi), 1.0)
    marks: dict = {"rule_y": g.target} if lo - span <= g.target <= hi + span else {}
    v_lo, v_hi = float(total["speed"].min()), float(total["speed"].max())
    on = [x for x in g.x if v_lo <= x <= v_hi]
    if on:
        marks["points"] = pd.DataFrame({"speed": on, "cost": g.target, "part": "total"})
    return marks
