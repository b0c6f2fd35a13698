"""The words of the dashboard: what each page says about its result, and how every number is
written (:mod:`explain.format`). No streamlit, no altair: a sentence can be unit-tested and
doctested like any function, and rewording a message never touches a solver."""
