"""Entry point: `streamlit run app.py`. Page config and the navigation, nothing else."""

import streamlit as st

import ui.runtime  # noqa: F401  GC policy: freezes the warmed-up heap once per server process
from ui.work import warm_pool

st.set_page_config(
    page_title="Optimizer dashboard",
    page_icon="📈",
    layout="wide",
)

# The default page is always served at "/" (Streamlit ignores its url_path), so Home is the
# default and every decision page keeps its documented path (/pricing, /study, ...).
# Page files live in app_pages/, not pages/: Streamlit treats a pages/ folder beside the
# entry script as a legacy multipage app, and on a fresh server a deep link such as
# /pricing?unit_cost=30 would then run the page without app.py (no layout, wrong sidebar).
PAGES = {
    "": [
        st.Page("app_pages/home.py", title="Home", icon=":material/home:", url_path="home", default=True),
    ],
    "Business": [
        st.Page("app_pages/pricing.py", title="Pricing", icon=":material/sell:", url_path="pricing"),
    ],
    "Life": [
        st.Page("app_pages/study.py", title="Study hours", icon=":material/school:", url_path="study"),
        st.Page("app_pages/fuel.py", title="Fuel", icon=":material/local_gas_station:", url_path="fuel"),
    ],
    "Money": [
        st.Page("app_pages/compounding.py", title="Compounding", icon=":material/savings:", url_path="compounding"),
    ],
    # Page files are named after their URL paths (lr-finder.py for /lr-finder): AppTest's
    # switch_page finds a page by a hash of the url_path that Streamlit derives from the file name.
    "Machine learning": [
        st.Page(
            "app_pages/lr-finder.py",
            title="Learning-rate finder",
            icon=":material/model_training:",
            url_path="lr-finder",
        ),
        st.Page("app_pages/network.py", title="Neural network", icon=":material/hub:", url_path="network"),
    ],
    "Tools": [
        st.Page("app_pages/custom.py", title="Your own function", icon=":material/function:", url_path="custom"),
        st.Page("app_pages/lab.py", title="Derivative lab", icon=":material/science:", url_path="lab"),
    ],
}

warm_pool()  # start the shared worker processes once per server, in the background
st.navigation(PAGES).run()
