"""Price and advertising: the best price and weekly ad budget, chosen together.

Layout only: the numbers come from optimizers.price_ads (one cached call), every word from
explain.price_ads, the profit map from ui.charts2d and the slices from ui.charts.
"""

import streamlit as st

from explain import price_ads as words
from optimizers import price_ads as pa
from ui import charts, charts2d, inputs, layout
from ui.export import csv_download, markdown_table
from ui.price_ads import analyse, drawn


def slider(key: str) -> float:
    lo, hi, step = pa.RANGES[key]
    label, fmt, help = words.SLIDERS[key]
    default = getattr(pa, f"DEFAULT_{key.upper()}")
    return inputs.slider(label, key, lo, hi, default, step, fmt=fmt, help=help)


st.title(words.TITLE)
st.markdown(words.STORY)
left, right = layout.columns()
with left:
    cost, e, g = slider("unit_cost"), slider("price_elasticity"), slider("ad_elasticity")
    lo, hi, _ = pa.RANGES["scale"]
    label, fmt, help = words.SCALE_LABEL
    scale = inputs.number(label, "scale", lo, hi, pa.DEFAULT_SCALE, 10_000.0, fmt=fmt, help=help)
    st.caption(words.scale_caption(e, g, scale))
    fixed, price, ads = slider("fixed_cost"), slider("price"), slider("ad_spend")

r = analyse(cost, e, g, scale, fixed, price, ads)
profit_map, by_price, by_ads, csv = drawn(cost, e, g, scale, fixed, price, ads)
with right:
    layout.metrics([layout.Metric(*m) for m in words.metrics(r)], per_row=4)
    kind, text = words.advice(r)
    getattr(st, kind)(text)
    st.markdown(words.rules(r))
    st.markdown(words.hessian_text(r))

left, right = st.columns(2, gap="large")
with left:
    charts2d.show(profit_map)
    st.caption(words.path_text(r))
with right:
    charts.show(by_price)
    charts.show(by_ads)

st.markdown(words.sensitivity_text(r))
st.markdown(markdown_table(words.sensitivity_table(r)))
if st.toggle(words.EXACT_TOGGLE, key="price-ads_sensitivity_exact"):
    st.dataframe(r.sensitivity.table(), hide_index=True, width="stretch")
csv_download(csv, words.CSV_FILE, words.DOWNLOAD_LABEL)
inputs.share_line()
