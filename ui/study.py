"""The Study page's analysis, cached per set of inputs (app_pages/study.py draws).

Module-level, so the decorator runs once per process rather than on every rerun (issue 23), and
keyed by the model's fields as one ``repr`` string: Streamlit's hasher deep-copies a dataclass
argument (``dataclasses.asdict``) on every call. ``repr`` of a float round-trips, so two models
share an entry only when every field is the same float (or both NaN, the unused ones).
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from optimizers import study as sm

__all__ = ["analyse"]


@st.cache_data(max_entries=256, show_spinner=False)
def _analyse(key: str, _model: sm.StudyModel, hours: float, max_hours: float, target: float) -> sm.StudyResult:
    return sm.analyse(_model, hours, max_hours, target=target)


def analyse(model: sm.StudyModel, hours: float, max_hours: float, target: float) -> sm.StudyResult:
    """``optimizers.study.analyse(model, hours, max_hours, target=target)``, cached."""
    return _analyse(repr(dataclasses.astuple(model)), model, hours, max_hours, target)
