"""Entry point: `streamlit run app.py`. Page config and the navigation, nothing else."""

import streamlit as st

from runtime import gcpolicy
from ui.pages import HOME, sections
from ui.work import warm_pool

gcpolicy.apply()  # no post-script GC; the warmed-up heap frozen once per server process

st.set_page_config(page_title="Optimizer dashboard", page_icon="📈", layout="wide")

# The default page is always served at "/" (Streamlit ignores its url_path), so Home is the
# default and every other page keeps its documented path (/pricing, /study, ...). Page files
# live in app_pages/, not pages/ (docs/decisions/app-pages-folder.md).
navigation = {
    section: [st.Page(p.file, title=p.title, icon=p.icon, url_path=p.path, default=p is HOME) for p in pages]
    for section, pages in sections().items()
}

warm_pool()  # start the shared worker processes once per server, in the background
st.navigation(navigation).run()
