"""Home: what the dashboard does and where each decision lives."""

import streamlit as st

st.title("Set the derivative to zero")
st.write(
    "Every page here turns a real decision into a curve and finds where its slope — the "
    "**derivative** — is zero: that is where the curve peaks or bottoms out. Move the "
    "sliders, watch the optimum move, and share the link in your address bar: it "
    "reproduces exactly what you see."
)

CARDS = [
    (
        "pricing",
        ":material/sell:",
        "Pricing",
        "What price maximises profit? The seed's headphones: $75 for $30,250 a week. Fit your own price tests.",
    ),
    (
        "study",
        ":material/school:",
        "Study hours",
        "How long to study when returns fade and fatigue costs points: 9.03 hours for a score of 75.3.",
    ),
    (
        "fuel",
        ":material/local_gas_station:",
        "Fuel",
        "The speed with the best mileage (44.7 mph), the cheapest trip when your time has a price, and a fit to your car.",
    ),
    (
        "compounding",
        ":material/savings:",
        "Compounding",
        "How fast money grows right now (dV/dt = rV), when it doubles (13.86 years at 5%), and when to sell.",
    ),
    (
        "lr-finder",
        ":material/model_training:",
        "Learning-rate finder",
        "A numpy neural network, the learning-rate range test done right, and step size on x² − 10x + 100.",
    ),
    (
        "network",
        ":material/hub:",
        "Neural network",
        "Train the seed's simple network, watch sigmoid gradients vanish layer by layer, and check backprop in float64 and float32.",
    ),
    (
        "custom",
        ":material/function:",
        "Your own function",
        "Type any f(x): f′ and f″ symbolically, every critical point, the global optimum, the seed's exercises.",
    ),
    (
        "lab",
        ":material/science:",
        "Derivative lab",
        "Why h = 1e-15 gives a wrong derivative and the complex step does not; sigmoid overflow; gradient check.",
    ),
]

cols = st.columns(3)
for i, (page, icon, title, blurb) in enumerate(CARDS):
    with cols[i % 3], st.container(border=True):
        st.page_link(f"app_pages/{page}.py", label=title, icon=icon)
        st.caption(blurb)

st.divider()
st.markdown(
    "**How it finds optima.** f′ is evaluated on a fine grid (exact analytic or complex-step "
    "derivatives where possible), every sign change is refined with Brent's method to "
    "machine precision, each point is classified by f″ (or by the sign of f′ on either "
    "side when f″ = 0), and interior candidates are compared with both ends of the range."
)
