"""Compounding: how fast does money grow, when does it double, and when should you sell?"""

import streamlit as st

from explain import compounding as words
from optimizers import compounding as cm
from ui import charts, inputs, layout, scenarios, sensitivity
from ui.export import csv_download, table_section

st.title(words.TITLE)
st.write(words.STORY)


@st.cache_data(max_entries=128, show_spinner=False)
def solve(principal, rate, years, frequency, contribution, timing, inflation, multiple, target_years, rates, **more):
    return cm.analyse(
        principal, rate / 100, years, frequency, contribution, timing, inflation / 100,
        target_multiple=multiple, target_years=target_years, rates=rates,
        target=more["target"], rate_spread=more["spread"] / 100,
    )  # fmt: skip


@st.cache_data(max_entries=128, show_spinner=False)
def sell(principal, growth, rate):
    return cm.sell(principal, growth, rate)


D = cm.DEFAULTS


def number(key: str) -> float:
    (label, fmt), (lo, hi, step) = words.INPUTS[key], cm.INPUTS[key]
    return inputs.number(label, key, lo, hi, D[key], step, fmt=fmt, help=words.HELP.get(key))


def slider(key: str) -> float:
    (label, fmt), (lo, hi, step) = words.INPUTS[key], cm.INPUTS[key]
    return inputs.slider(label, key, lo, hi, D[key], step, fmt=fmt, help=words.HELP.get(key))


left, right = layout.columns()
with left:
    principal, rate, years = number("principal"), slider("rate"), number("years")
    frequency = inputs.select(words.INPUTS["frequency"][0], "frequency", list(cm.FREQUENCIES), D["frequency"])
    contribution, timing = number("contribution"), D["timing"]
    if contribution:
        timing = inputs.select(words.INPUTS["timing"][0], "timing", list(cm.TIMINGS), D["timing"])
    inflation = slider("inflation")
    more = {"spread": slider("rate_spread"), "target": number("target")}
    st.markdown(words.TARGET)
    multiple, target_years = slider("target_multiple"), slider("target_years")
    rates = inputs.text(words.INPUTS["rates"][0], "rates", D["rates"], max_chars=60)

with right:
    try:
        g = solve(
            principal, rate, years, frequency, contribution, timing, inflation, multiple, target_years, rates, **more
        )
    except ValueError as exc:  # a balance beyond anything representable
        st.error(words.error(exc))
        st.stop()
    layout.metrics([layout.Metric(*m) for m in words.metrics(g)])
    st.caption(words.notes(g))
    if note := words.nothing_invested(g):
        st.info(note)
    band_text, band_warning = words.band_text(g)
    for text in (band_text, words.target_text(g)):
        if text:
            st.markdown(text)
    if band_warning:
        st.warning(band_warning)
    # One chart: the balance stacked by where it came from (principal at the bottom), the balance with
    # its range of rates and target (when asked for), and its growth rate.
    k = words.charts(g)
    balance = charts.lines_chart(g.parts, **k.balance)
    now = charts.Marker(g.years, g.value, k.now)
    top, marginal = charts.objective_chart(g.curve, **k.growth, current=now, current_slope=g.growth_per_year, **k.marks)
    charts.show(charts.stack(balance, *([top] if k.objective else []), marginal))

st.markdown(words.SELL)
s = sell(principal, slider("asset_growth"), rate)
info, warning = words.sale_notes(s)
layout.metrics([layout.Metric(*m) for m in words.sale_metrics(s)], per_row=2)
if info:
    st.info(info)
if warning:
    st.warning(warning)
if s.report is not None:
    best = charts.Marker(s.report.optimum.x, 100 * s.report.rate, words.sale_marker(s))
    charts.show(charts.lines_chart(s.report.rates, **words.sale_chart(s), optimum=best))
if gap := words.sensitivity_gap(s):
    st.info(gap)
if s.problem is not None:
    x_title = words.sensitivity_axis(s)
    sensitivity.section(s.problem, "compounding", x_title=x_title, x_format=",.1f", extra_key=(principal,))

st.markdown(words.comparison(g))
if warning := words.rates_warning(g):
    st.warning(warning)
csv_download(g.comparison, "compounding_comparison.csv", words.COMPARISON_DOWNLOAD)
table_section(g.schedule, "compounding.csv", words.SCHEDULE[0], label=words.SCHEDULE[1])
scenarios.add_button("compounding")
inputs.share_line()
