"""Fuel: how fast should you drive for the best mileage, and for the cheapest trip?"""

import math
import re

import pandas as pd
import streamlit as st

from explain.format import money, num
from optimizers import fuel as fm
from ui import charts, components, inputs, safe, sensitivity
from ui.export import csv_download, markdown_table, shown_on_request

st.title("How fast should you drive?")
st.write(
    "Faster means more miles per hour but more fuel per hour: fuel use grows with the square of "
    "speed (air drag) on top of what the engine burns idling. Fuel economy is best where its "
    "derivative is zero — and when your time is worth money, the cheapest trip is faster."
)


@st.cache_data(max_entries=256, show_spinner=False)
def solve(model: fm.FuelModel | fm.PhysicalModel, units: str, **trip) -> fm.FuelReport:
    return fm.analyse(model, units=units, **trip)


@st.cache_data(max_entries=64, show_spinner=False)
def fit(table: pd.DataFrame, units: str) -> fm.Calibration:
    return fm.fit_observations(table, units)


def switch_units(units: str) -> None:
    """Keep the scenario when the visitor switches units: convert every slider and the table.

    Each converted value goes into the widget's state and into the link (Streamlit writes a
    value set from code into the link only for a widget that existed in the previous run).
    """
    before = st.session_state.get("_fuel_units", units)
    st.session_state["_fuel_units"] = units
    if before == units:
        return
    shown = {s.key: st.session_state[s.key] for s in fm.SLIDERS[before].values() if s.key in st.session_state}
    defaults = {s.key: s.default for s in fm.SLIDERS[units].values()}
    for key, value in fm.convert_inputs(shown, before, units).items():
        st.session_state[key] = value
        if value != defaults[key]:
            st.query_params[key] = f"{value:.10g}"
    raw = inputs.url_value("data")
    table = fm.convert_link_table(raw, before, units) if raw else None
    if table:
        st.query_params["data"] = table
    elif raw is not None:
        del st.query_params["data"]


link_note = ""
left, right = st.columns([1.15, 2.3], gap="large")  # wide enough for the L/100 km table
with left, st.container(border=True):
    units = inputs.select("Units", "units", list(fm.UNITS), "us", help="mph and MPG, or km/h and litres per 100 km")
    switch_units(units)
    U, S = fm.UNITS[units], fm.SLIDERS[units]

    def slider(name: str) -> float:
        s = S[name]
        return inputs.slider(s.label, s.key, s.lo, s.hi, s.default, s.step, fmt=s.fmt)

    speed, limit, price, distance, time_value = map(
        slider, ("speed", "speed_limit", "fuel_price", "distance", "time_value")
    )
    mine = st.toggle("Calibrate to your car", key="calibrate", bind="query-params")
    if not mine:
        model = fm.FuelModel(slider("drag"), slider("idle"))
    else:
        st.markdown(f"**Your observations**: `speed` ({U.speed}) and the `{U.economy_column}` you measured there.")
        tab = components.data_table_input(
            fm.example_observations(units),
            "mpg" if units == "us" else "l100",
            what=f"(speed, {U.economy_column})",
            upload_help=f"Columns `speed` and `{U.economy_column}`; at most 5 MB.",
        )
        link_note = tab.link_note
        try:
            car = fit(tab.table, units) if tab.table is not None else None
        except ValueError as exc:
            car, tab = None, components.TableInput(None, tab.source, f"Cannot fit {tab.source}: {exc}")
        if car is None:
            safe.error(tab.problem)
            st.stop()
        model = car.model

r = solve(model, units, speed=speed, fuel_price=price, distance=distance, time_value=time_value, speed_limit=limit)
eff, cheap = r.efficiency, r.cheapest


def sp(v: float, decimals: int = 1) -> str:
    return num(v, decimals, U.speed)


def economy(v: float) -> str:
    """'11.2 mpg'; in L/100 km the unit is in the metric's label, or the value would not fit."""
    return num(v, 1, U.economy_unit if units == "us" else "")


def minus(text: str) -> str:
    """A model's coefficients and messages with the page's minus sign ("got −0.146")."""
    return re.sub(r"(?<=[\s(=])-(?=\d)", "−", text)


per_100 = "" if units == "us" else f" ({U.economy_unit})"


with right:
    c1, c2, c3 = st.columns(3)
    c1.metric("Most efficient speed", sp(eff.x), help=f"Closed form: {fm.most_efficient_speed(model):.4f} {U.speed}")
    c2.metric(U.best_economy + per_100, economy(eff.fun))
    c3.metric("Cheapest trip speed", sp(cheap.x), help="Minimises fuel cost + the value of your time")
    c4, c5, c6 = st.columns(3)
    c4.metric("MPG at your speed" if units == "us" else f"At your speed{per_100}", economy(r.economy_at_speed))
    c5.metric("Trip fuel cost", money(r.trip_fuel_cost))
    c6.metric("Trip time", num(r.trip_hours, 2, "h"))
    for o, what in ((eff, "most efficient speed"), (cheap, "cheapest trip speed")):
        if o.at_boundary:
            st.warning(f"The {what} is above your speed limit: it is clamped to {sp(o.x, 0)} (on the boundary).")
    fitted = {w: o.x for o, w in ((eff, "most efficient speed"), (cheap, "cheapest trip speed")) if not o.at_boundary}
    if mine and (warning := car.outside(fitted)):
        safe.warning(warning)
    if units == "metric":
        st.caption(
            "Lowest consumption (L/100 km) is at the same speed as the highest MPG: where fuel per km is lowest."
        )
    st.markdown(components.second_derivative_sentence(eff, "speed", sp))
    st.markdown(
        f"**Cheapest trip:** {num(distance, 0, U.distance)} at {sp(cheap.x)} costs "
        f"{money(cheap.fun)} — {money(r.cheapest_fuel_cost)} of fuel and {money(r.cheapest_time_cost)} of your "
        f"time. At your {sp(speed, 0)}: {money(r.trip_fuel_cost)} fuel + {money(r.trip_time_cost)} time."
    )
    if mine:
        fits = car.table()  # four columns, to fit a phone: the model's cell says its best speed and if it is used
        fits["model"] = [
            f"{m}: best {sp(v) if math.isfinite(v) else 'none'}{' (used)' if used else ''}"
            for m, v, used in zip(fits.model, fits.best_speed, fits.used, strict=True)
        ]
        fits = fits.drop(columns=["note", "used", "best_speed"])
        error = f"residual error ({'gal/mi' if units == 'us' else 'L/km'})"
        names = {"residual_error": error, "r2": "R²"}
        st.markdown(
            safe.plain(minus(f"Fitted models: {car.why}."), max_chars=None)
            + "\n\n"
            + markdown_table(
                fits.rename(columns=names),
                {
                    "coefficients": minus,
                    "R²": lambda v: num(v, 4),
                    error: lambda v: minus(f"{v:.3g}") if math.isfinite(v) else "— (no spare row)",
                },
            )
        )
    else:
        st.caption(fm.CALIBRATION_NOTE)
    # One chart over speed: your data and the fits (when calibrating), economy, its marginal, the trip cost.
    economy_rows = charts.objective_chart(
        r.economy_curve,
        x_title=f"Speed ({U.speed})",
        y_title="Fuel economy (miles per gallon)" if units == "us" else "Fuel consumption (L/100 km)",
        marginal_title=f"d({U.economy})/d(speed)",
        x_format=",.0f",
        y_format=",.1f",
        d_format=",.3f",
        optimum=charts.Marker(eff.x, eff.fun, f"best {sp(eff.x)}", at_boundary=eff.at_boundary),
        current=charts.Marker(speed, r.economy_at_speed, f"you: {sp(speed, 0)}"),
        current_slope=r.economy_slope_at_speed,
        height=260,
    )
    trip_cost = charts.lines_chart(
        r.cost_curves,
        x="speed",
        y="cost",
        series="part",
        x_title=f"Speed ({U.speed})",
        y_title=f"Cost of a {num(distance, 0)}-{U.distance.removesuffix('s')} trip ($)",
        x_format=",.0f",
        y_format="$,.0f",
        title="Trip cost: fuel vs your time",
        dashed=("fuel", "your time"),
        colors={"total": "gray", "fuel": "blue", "your time": "orange"},
        optimum=charts.Marker(cheap.x, cheap.fun, f"cheapest {sp(cheap.x)}", at_boundary=cheap.at_boundary),
        height=220,
    )
    fit_rows = ()
    if mine:
        observed = pd.DataFrame({"speed": car.speeds, U.economy_column: car.economy})
        fit_rows = (
            charts.fit_chart(
                observed,
                car.curve(),
                x="speed",
                y=U.economy_column,
                x_title=f"Speed ({U.speed})",
                y_title=U.economy,
                x_format=",.0f",
            ),
        )
    charts.show(charts.stack(*fit_rows, *economy_rows, trip_cost))

t = r.tradeoff
st.markdown(
    f"**Time vs money.** Driving {sp(t['fast'], 0)} instead of {sp(t['slow'], 0)} saves "
    f"{t['hours_saved']:.2f} hours on {num(distance, 0, U.distance)} but costs {money(t['extra_fuel_cost'])} more fuel"
    + (" (the seed's text says 1.3 hours; 300/55 − 300/75 is 1.45)." if units == "us" and distance == 300 else ".")
)
trips = " / ".join(f"{v:g}" for v in U.trip_speeds)
if shown_on_request(f"the seed's tables: speed vs {U.economy}, and the trip at {trips} {U.speed}", "fuel.csv"):
    st.dataframe(r.speed_table, hide_index=True, width="stretch")
    st.dataframe(r.trip_table, hide_index=True, width="stretch")
csv_download(r.speed_table, "fuel.csv")

st.caption(fm.SENSITIVITY_NOTE[model.kind])
problem = fm.sensitivity_problem(
    model, fuel_price=price, distance=distance, time_value=time_value, speed_limit=limit, units=units, calibrated=mine
)
sensitivity.section(problem, "fuel", x_title=f"Cheapest trip speed ({U.speed})", x_format=",.1f", extra_key=(units,))
inputs.share_line(link_note)
