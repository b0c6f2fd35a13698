"""Home: what the dashboard does and where each decision lives."""

import streamlit as st

from ui.pages import PAGES

st.title("Set the derivative to zero")
st.write(
    "Every page here turns a real decision into a curve and finds where its slope — the "
    "**derivative** — is zero: that is where the curve peaks or bottoms out. Move the "
    "sliders, watch the optimum move, and share the link in your address bar: it "
    "reproduces exactly what you see. The numbers start from the derivatives tutorial this "
    "app grew from: a $75 price for $30,250 a week, 9.03 study hours, 44.7 mph, money doubling in "
    "13.86 years."
)

# One row of three cards at a time: on a phone the rows stack, so the cards keep the sidebar's order.
for start in range(0, len(PAGES), 3):
    for col, page in zip(st.columns(3), PAGES[start : start + 3], strict=False):
        with col, st.container(border=True):
            st.page_link(page.file, label=page.title, icon=page.icon)
            st.caption(page.blurb)

st.divider()
st.markdown(
    "**How it finds optima.** f′ is evaluated on a fine grid (exact analytic or complex-step "
    "derivatives where possible), every sign change is refined with Brent's method to "
    "machine precision, each point is classified by f″ (or by the sign of f′ on either "
    "side when f″ = 0), and interior candidates are compared with both ends of the range."
)
