"""Fuel: how fast should you drive for the best mileage, and for the cheapest trip?"""

import pandas as pd
import streamlit as st

from optimizers import fuel as fm
from ui import charts, components, inputs, safe
from ui.export import csv_download, shown_on_request
from ui.format import money, num

st.title("How fast should you drive?")
st.write(
    "Faster means more miles per hour but more fuel per hour: fuel use grows with the square of "
    "speed (air drag) on top of what the engine burns idling. Miles per gallon peaks where its "
    "derivative is zero — and when your time is worth money, the cheapest trip is faster."
)


@st.cache_data(max_entries=256, show_spinner=False)
def solve(drag: float, idle: float, **trip) -> fm.FuelReport:
    return fm.analyse(fm.FuelModel(drag, idle), **trip)


@st.cache_data(max_entries=64, show_spinner=False)
def fit(table: pd.DataFrame) -> fm.FuelFit:
    return fm.fit_observations(table)


D = fm.DEFAULTS
link_note = ""
left, right = st.columns([1, 2.3], gap="large")
with left, st.container(border=True):
    speed = inputs.slider("Your cruising speed (mph)", "speed", 10.0, 100.0, D["speed"], 1)
    limit = inputs.slider("Speed limit (mph)", "speed_limit", 30.0, 120.0, D["speed_limit"], 5)
    price = inputs.slider("Fuel price ($ per gallon)", "fuel_price", 1.0, 10.0, D["fuel_price"], 0.05, fmt="$%.2f")
    distance = inputs.slider("Trip distance (miles)", "distance", 10.0, 2000.0, D["distance"], 10)
    time_value = inputs.slider("What an hour of your time is worth ($)", "time_value", 0.0, 100.0, D["time_value"], 1)
    mine = st.toggle("Calibrate to your car", key="calibrate", bind="query-params")
    if not mine:
        drag = inputs.slider("Drag (a, gal/h per mph²)", "drag", 0.0001, 0.005, D["drag"], 0.0001, fmt="%.4f")
        idle = inputs.slider("Idle burn (b, gallons per hour)", "idle", 0.1, 10.0, D["idle"], 0.1)
    else:
        st.markdown("**Your observations**: `speed` (mph) and the `mpg` you measured there.")
        tab = components.data_table_input(
            fm.EXAMPLE_OBSERVATIONS, "mpg", what="(speed, mpg)", upload_help="Columns `speed` and `mpg`; at most 5 MB."
        )
        link_note = tab.link_note
        try:
            car = fit(tab.table) if tab.table is not None else None
        except ValueError as exc:
            car, tab = None, components.TableInput(None, tab.source, f"Cannot fit {tab.source}: {exc}")
        if car is None:
            safe.error(tab.problem)
            st.stop()
        drag, idle = car.model.drag, car.model.idle

r = solve(drag, idle, speed=speed, fuel_price=price, distance=distance, time_value=time_value, speed_limit=limit)
eff, cheap = r.efficiency, r.cheapest
with right:
    c1, c2, c3 = st.columns(3)
    c1.metric(
        "Most efficient speed", num(eff.x, 1, "mph"), help=f"sqrt(b/a) = {fm.most_efficient_speed(r.model):.4f} mph"
    )
    c2.metric("Maximum MPG", num(eff.fun, 1, "mpg"))
    c3.metric("Cheapest trip speed", num(cheap.x, 1, "mph"), help="Minimises fuel cost + the value of your time")
    c4, c5, c6 = st.columns(3)
    c4.metric("MPG at your speed", num(r.mpg_at_speed, 1, "mpg"))
    c5.metric("Trip fuel cost", money(r.trip_fuel_cost))
    c6.metric("Trip time", num(r.trip_hours, 2, "h"))
    for o, what in ((eff, "most efficient speed"), (cheap, "cheapest trip speed")):
        if o.at_boundary:
            st.warning(
                f"The {what} is above your speed limit: it is clamped to {num(o.x, 0, 'mph')} (on the boundary)."
            )
    st.markdown(components.second_derivative_sentence(eff, "speed", lambda s: num(s, 1, "mph")))
    st.markdown(
        f"**Cheapest trip:** {num(distance, 0, 'miles')} at {num(cheap.x, 1, 'mph')} costs "
        f"{money(cheap.fun)} — {money(r.cheapest_fuel_cost)} of fuel and {money(r.cheapest_time_cost)} of your "
        f"time. At your {num(speed, 0, 'mph')}: {money(r.trip_fuel_cost)} fuel + {money(r.trip_time_cost)} time."
    )
    st.caption(fm.CALIBRATION_NOTE)
    # One chart over speed: your data and the fit (when calibrating), MPG, its marginal, the trip cost.
    mpg_and_marginal = charts.objective_chart(
        r.mpg_curve,
        x_title="Speed (mph)",
        y_title="Fuel efficiency (miles per gallon)",
        marginal_title="d(MPG)/d(speed) (mpg per mph)",
        x_format=",.0f",
        y_format=",.1f",
        d_format=",.3f",
        optimum=charts.Marker(eff.x, eff.fun, f"best {num(eff.x, 1, 'mph')}"),
        current=charts.Marker(speed, r.mpg_at_speed, f"you: {num(speed, 0, 'mph')}"),
        current_slope=r.mpg_slope_at_speed,
        height=260,
    )
    trip_cost = charts.lines_chart(
        r.cost_curves,
        x="speed",
        y="cost",
        series="part",
        x_title="Speed (mph)",
        y_title=f"Cost of a {distance:,.0f}-mile trip ($)",
        x_format=",.0f",
        y_format="$,.0f",
        title="Trip cost: fuel vs your time",
        dashed=("fuel", "your time"),
        colors={"total": "gray", "fuel": "blue", "your time": "orange"},
        optimum=charts.Marker(cheap.x, cheap.fun, f"cheapest {num(cheap.x, 1, 'mph')}"),
        height=220,
    )
    fit_spec = ()
    if mine:
        fit_spec = (
            charts.fit_chart(
                pd.DataFrame({"speed": car.speeds, "mpg": car.mpgs}),
                car.curve(),
                x="speed",
                y="mpg",
                x_title="Speed (mph)",
                y_title="Miles per gallon",
                x_format=",.0f",
            ),
        )
    charts.show(charts.stack(*fit_spec, *mpg_and_marginal, trip_cost))

t = r.tradeoff
st.markdown(
    f"**Time vs money.** Driving {t['fast']:.0f} instead of {t['slow']:.0f} mph saves "
    f"{t['hours_saved']:.2f} hours on {num(distance, 0, 'miles')} but costs {money(t['extra_fuel_cost'])} more fuel"
    + (" (the seed's text says 1.3 hours; 300/55 − 300/75 is 1.45)." if distance == 300 else ".")
)
if shown_on_request("the seed's tables: speed vs MPG, and the trip at 45 / 55 / 75 mph", "fuel.csv"):
    st.dataframe(r.speed_table, hide_index=True, width="stretch")
    st.dataframe(r.trip_table, hide_index=True, width="stretch")
csv_download(r.speed_table, "fuel.csv")
inputs.share_line(link_note)
