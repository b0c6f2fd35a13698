"""Compounding: how fast does money grow, when does it double, and when should you sell?"""

import streamlit as st

from explain import compounding as words
from optimizers import compounding as cm
from ui import charts, inputs, layout, scenarios, sensitivity
from ui import compounding as view
from ui.export import csv_download, table_section

st.title(words.TITLE)
st.write(words.STORY)


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
        v = view.growth(
            principal, rate, years, frequency, contribution, timing, inflation, multiple, target_years, rates,
            more["target"], more["spread"],
        )  # fmt: skip
    except ValueError as exc:  # a balance beyond anything representable
        st.error(words.error(exc))
        st.stop()
    g = v.result
    layout.metrics([layout.Metric(*m) for m in v.metrics])
    st.caption(v.notes)
    if v.nothing_invested:
        st.info(v.nothing_invested)
    for text in (v.band_text, v.target_text):
        if text:
            st.markdown(text)
    if v.band_warning:
        st.warning(v.band_warning)
    charts.show(v.chart)

st.markdown(words.SELL)
s = view.sale(principal, slider("asset_growth"), rate)
layout.metrics([layout.Metric(*m) for m in s.metrics], per_row=2)
if s.info:
    st.info(s.info)
if s.warning:
    st.warning(s.warning)
if s.chart is not None:
    charts.show(s.chart)
if s.gap:
    st.info(s.gap)
if s.result.problem is not None:
    sensitivity.section(s.result.problem, "compounding", x_title=s.x_title, x_format=",.1f", extra_key=(principal,))

st.markdown(v.comparison)
if v.rates_warning:
    st.warning(v.rates_warning)
csv_download(g.comparison, "compounding_comparison.csv", words.COMPARISON_DOWNLOAD)
table_section(g.schedule, "compounding.csv", words.SCHEDULE[0], label=words.SCHEDULE[1])
scenarios.add_button("compounding")
inputs.share_line()
