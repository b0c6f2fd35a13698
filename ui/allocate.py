"""The budget split's cached analysis (app_pages/allocate.py draws). Module-level, so the
decorator runs once per process rather than on every rerun (issue 23)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from optimizers import allocate as al

__all__ = ["solve"]


@st.cache_data(max_entries=256, show_spinner=False)
def solve(table: pd.DataFrame, family: str, budget: float, amounts: tuple | None, top: float) -> al.AllocateReport:
    return al.analyse(table, family, budget, amounts=amounts, budget_range=(0.0, top))
