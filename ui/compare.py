"""The comparison's cached evaluation of one scenario (app_pages/compare.py draws). Module-level,
so the decorator runs once per process rather than on every rerun (issue 23)."""

from __future__ import annotations

import streamlit as st

from optimizers import scenarios as sc

__all__ = ["evaluate"]


@st.cache_data(max_entries=64, show_spinner=False)
def evaluate(page: str, query: str) -> sc.Scenario:
    return sc.evaluate(page, query)
