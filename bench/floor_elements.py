"""bench/floor_app.py plus paragraphs: what a page's element count alone costs a slider step.

    FLOOR_EXTRA=45 python bench/latency.py --app bench/floor_elements.py --page / --slider x --presses 15
    FLOOR_EXTRA=45 FLOOR_CHANGING=1 python bench/latency.py --app bench/floor_elements.py --page / --slider x

The floor's slider, metric and 200-point line, then ``FLOOR_EXTRA`` markdown paragraphs of the
pages' sentence length; with ``FLOOR_CHANGING=1`` each paragraph's number follows the slider (as
a page's metrics and sentences do), otherwise they are the same on every step. The ratio to the
fair floor in the same run is Streamlit's own price of that many elements, with no chart work
(docs/performance.md, issue 23).
"""

import os

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

x = st.slider("x", 0.0, 100.0, 50.0, 0.5, key="x")
st.metric("Value", f"{x:.2f}")
grid = np.linspace(0, 100, 200)
st.altair_chart(
    alt.Chart(pd.DataFrame({"x": grid, "y": (grid - x) ** 2})).mark_line().encode(x="x:Q", y="y:Q"),
    width="stretch",
)
changing = os.environ.get("FLOOR_CHANGING") == "1"
for i in range(int(os.environ.get("FLOOR_EXTRA", "45"))):
    v = x if changing else 50.0
    st.markdown(f"Paragraph {i}: **the value is {v + i:.2f}**, a sentence about as long as the pages' sentences.")
