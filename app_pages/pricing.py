"""Pricing: what price should you charge for your wireless headphones?

Layout only: the numbers come from optimizers.pricing (one cached call), every word from
explain.pricing.
"""

import streamlit as st

from explain import pricing as ex
from optimizers import pricing as pr
from optimizers import uncertainty as un
from ui import charts, components, inputs, layout, safe, scenarios, sensitivity, work
from ui import pricing as view
from ui.export import table_section
from ui.pricing import analyse_sales, interval, profit_chart


def slider(key: str) -> float:
    lo, hi, step = pr.RANGES[key]
    label, fmt, help = ex.SLIDERS[key]
    return inputs.slider(label, key, lo, hi, pr.DEFAULTS[key], step, fmt=fmt, help=help)


def draw(boxes) -> None:
    for kind, text in boxes:
        getattr(st, kind)(text)


st.title(ex.TITLE)
st.write(ex.STORY)
link_note, fits, boot, band, v = "", None, None, None, None
left, right = layout.columns()
with left:
    kind = inputs.select(ex.MODEL_LABEL, "model", pr.MODELS, "linear", help=ex.MODEL_HELP)
    cost, fixed, price = slider("unit_cost"), slider("fixed_cost"), slider("price")
    (label, fmt, help), (lo, hi, step) = ex.TARGET, pr.TARGET_INPUT
    target = inputs.number(label, "target", lo, hi, 0.0, step, fmt=fmt, help=help)
    if kind != "data":
        model = pr.linear_demand(slider("demand_intercept"), slider("demand_slope"))
    if kind == "elasticity":
        model = pr.elasticity_like_linear(slider("elasticity"), model.a, model.b)
        st.caption(ex.elasticity_caption(model))
    if kind == "data":
        st.markdown(ex.DATA_INTRO)
        tab = components.data_table_input(pr.EXAMPLE_SALES, "sales", what=ex.DATA_WHAT, upload_help=ex.UPLOAD_HELP)
        link_note = tab.link_note
        if tab.table is None:
            safe.error(tab.problem)
            st.stop()
        try:
            sales = analyse_sales(tab.table, cost, price, fixed, target)
        except ValueError as exc:
            st.error(ex.table_error(tab.source, str(exc)))
            st.stop()
        fits = sales.fits
        for warning in ex.fit_warnings(fits):
            st.warning(warning)
        if not sales.results:
            st.stop()
        choice = inputs.select(ex.FIT_LABEL, "fit", list(sales.results), next(iter(sales.results)))
        r = sales.results[choice]
        if r.optimum is not None:  # how sure: resample the weeks (the worker pool, within the work budget)
            need = un.price_interval_cost(fits.prices.size)
            prices = tuple(r.curve["x"])
            boot, band = work.attempt(
                interval, tab.table, choice, cost, fixed, prices, fits, need, cost=need, where=right
            )
    else:  # a model: everything on the right is one cached view
        v = view.view(model, cost, price, fixed, target)
        r = v.result

with right:
    if v is not None:
        layout.metrics(v.metrics)
        draw(v.answer)
        if v.target_text:
            st.markdown(v.target_text)
        charts.show(v.chart)
    else:  # your own sales: the fits and the bootstrap band with the profit and its marginal
        shown = ex.metrics(r, boot)
        if boot is not None:  # "$L – $H" is wide: the interval shares a row with the best price only
            layout.metrics(shown[:2], per_row=2)
            shown = shown[2:]
        layout.metrics(shown)
        draw(ex.answer(r))
        if target_text := ex.target_text(r):
            st.markdown(target_text)
        if boot is not None:
            draw(ex.interval_boxes(boot, r, fits.prices.size))
        fit_spec = charts.fit_chart(fits.points(), ex.fit_curves(fits), **ex.FIT_CHART)
        charts.show(charts.stack(fit_spec, *profit_chart(r, band)))

if r.sensitivity is not None:
    sensitivity.section(r.sensitivity, "pricing", **ex.SENSITIVITY, extra_key=(r.model,))
draw(ex.no_sensitivity(r))

columns = {name: st.column_config.NumberColumn(**spec) for name, spec in ex.TABLE_COLUMNS.items()}
table_section(r.table, "pricing.csv", ex.TABLE_TITLE, column_config=columns)
scenarios.add_button("pricing", link_note)
inputs.share_line(link_note)
