"""The Fuel page's cached work (app_pages/fuel.py draws): the analysis per set of inputs and the
bootstrap of your observations. Module-level, so the decorators run once per process rather than on
every rerun (issue 23)."""

from __future__ import annotations

import streamlit as st

from optimizers import fuel as fm
from optimizers import uncertainty as un
from ui import work

__all__ = ["interval", "solve"]


@st.cache_data(max_entries=256, show_spinner=False)
def solve(units: str, drag=None, idle=None, table=None, **trip) -> fm.FuelResult:
    """The car model (drag, idle) or the observations' fit, and the trip: ``fm.analyse``."""
    model = None if table is not None else fm.FuelModel(drag, idle)
    return fm.analyse(model, units=units, observations=table, **trip)


@st.cache_data(max_entries=64, show_spinner="Resampling your observations…")
def interval(table, units: str, speeds: tuple, _calibration: fm.Calibration, _work):
    """The bootstrap (in the worker pool) and its band under the economy curve, cached on the
    observations: the trip does not move them."""
    boot = work.in_pool(un.speed_interval, _calibration, cost=_work)
    return boot, boot.envelope(speeds).frame()
