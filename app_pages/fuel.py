"""Fuel: how fast should you drive for the best mileage, and for the cheapest trip?"""

import streamlit as st

from explain import fuel as words
from optimizers import fuel as fm
from optimizers import uncertainty as un
from ui import charts, components, inputs, layout, safe, scenarios, sensitivity, work
from ui.export import csv_download, shown_on_request
from ui.fuel import interval, solve

st.title(words.TITLE)
st.write(words.STORY)


def switch_units(units: str) -> None:
    """Keep the scenario across a units switch: the converted sliders and table go into the link,
    and the run starts again from it (setting widget state here made Streamlit warn)."""
    before = st.session_state.get("_fuel_units", units)
    st.session_state["_fuel_units"] = units
    if before == units:
        return
    shown = {s.key: st.session_state[s.key] for s in fm.SLIDERS[before].values() if s.key in st.session_state}
    defaults = {s.key: s.default for s in fm.SLIDERS[units].values()}
    for key, value in fm.convert_inputs(shown, before, units).items():
        st.session_state.pop(key, None)  # a value kept from an earlier visit to these units
        if value != defaults[key]:
            st.query_params[key] = f"{value:.10g}"
    raw = inputs.url_value("data")
    table = fm.convert_link_table(raw, before, units) if raw else None
    if table:
        st.query_params["data"] = table
    elif raw is not None:
        del st.query_params["data"]
    st.rerun()


link_note, source, car, boot, band = "", "", {}, None, None
left, right = layout.columns((1.15, 2.3))  # wide enough for the L/100 km table
with left:
    units = inputs.select(words.UNITS[0], "units", list(fm.UNITS), "us", help=words.UNITS[1])
    switch_units(units)

    def slider(name: str) -> float:
        s, (label, fmt) = fm.SLIDERS[units][name], words.INPUTS[units][name]
        return inputs.slider(label, s.key, s.lo, s.hi, s.default, s.step, fmt=fmt)

    trip = {name: slider(name) for name in ("speed", "speed_limit", "fuel_price", "distance", "time_value")}
    (label, fmt, help), (lo, hi, step) = words.TARGET, fm.TARGET_INPUT
    trip["target"] = inputs.number(label, "target", lo, hi, 0.0, step, fmt=fmt, help=help)
    if not st.toggle(words.CALIBRATE, key="calibrate", bind="query-params"):
        car = {"drag": slider("drag"), "idle": slider("idle")}
    else:
        intro, table_words = words.observations(units)
        st.markdown(intro)
        example = fm.example_observations(units)
        tab = components.data_table_input(example, "mpg" if units == "us" else "l100", **table_words)
        link_note, source, car = tab.link_note, tab.source, {"table": tab.table}
        if tab.table is None:
            safe.error(tab.problem)
            st.stop()
    try:
        r = solve(units, **car, **trip)
    except ValueError as exc:  # only observations can fail: the sliders' ranges are valid inputs
        st.error(words.cannot_fit(source, exc, units))
        st.stop()
    if r.calibration is not None:  # how sure: resample the observations (the worker pool, within the budget)
        need = un.speed_interval_cost(r.calibration.speeds.size, kind=r.calibration.chosen.kind.value)
        speeds = tuple(r.economy_curve["x"])
        boot, band = work.attempt(interval, tab.table, units, speeds, r.calibration, need, cost=need, where=right)

k = words.charts(r)
with right:
    shown = [layout.Metric(*m) for m in words.metrics(r, boot)]
    if boot is not None:  # "22.4 – 24.0 mph" is wide: the interval shares a row with the best speed only
        layout.metrics(shown[:2], per_row=2)
        shown = shown[2:]
    layout.metrics(shown)
    if warning := words.warnings(r):
        st.warning(warning)
    st.markdown(words.answer(r))
    if r.goal is not None:
        st.markdown(words.target_text(r))
    if r.calibration is not None:
        st.markdown(words.fits_table(r))
        st.markdown(words.interval_text(r, boot))
    else:
        st.caption(words.calibration_note(r))
    # One chart over speed: your data and the fits (when calibrating), economy, its marginal, the trip cost.
    eff, cheap = r.efficiency, r.cheapest
    rows = [charts.fit_chart(r.observed, words.fit_lines(r), **k.fit)] if k.fit else []
    rows += charts.objective_chart(
        r.economy_curve, **k.economy, optimum=charts.Marker(eff.x, eff.fun, k.best, at_boundary=eff.at_boundary),
        current=charts.Marker(r.speed, r.economy_at_speed, k.you), current_slope=r.economy_slope_at_speed, band=band,
    )  # fmt: skip
    cheapest = charts.Marker(cheap.x, cheap.fun, k.cheapest, at_boundary=cheap.at_boundary)
    rows.append(charts.lines_chart(r.cost_curves, **k.trip, optimum=cheapest, **words.trip_marks(r)))
    charts.show(charts.stack(*rows))

st.markdown(words.tradeoff(r))
if shown_on_request(words.tables_toggle(r), "fuel.csv"):
    st.dataframe(r.speed_table, hide_index=True, width="stretch")
    st.dataframe(r.trip_table, hide_index=True, width="stretch")
csv_download(r.speed_table, "fuel.csv")
st.caption(words.sensitivity_note(r))
sensitivity.section(r.problem, "fuel", x_title=words.sensitivity_axis(r), x_format=",.1f", extra_key=(units,))
scenarios.add_button("fuel", link_note)
inputs.share_line(link_note)
