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
#
# The st.Page objects are made once per session, not on every rerun: each one resolves its file
# (realpath: a syscall per path component, and a GIL hand-off under load), 13 of them were 4% of a
# loaded server's samples (docs/performance.md). They are not shared between sessions: st.navigation
# marks the one it returns as runnable, and two sessions' reruns would race on that flag.
if "_navigation" not in st.session_state:
    st.session_state["_navigation"] = {
        section: [st.Page(p.file, title=p.title, icon=p.icon, url_path=p.path, default=p is HOME) for p in pages]
        for section, pages in sections().items()
    }

warm_pool()  # start the shared worker processes once per server, in the background
st.navigation(st.session_state["_navigation"]).run()
