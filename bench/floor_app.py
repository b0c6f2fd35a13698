"""The floor for bench/latency.py: one slider, one metric, one 200-point Altair line.

Whatever a page costs above this is the page's own work; the rest is Streamlit itself.
"""

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
