"""The learning-rate finder's cached data set (app_pages/lr-finder.py draws; the training runs
through ui.work). Module-level, so the decorator runs once per process rather than on every rerun
(issue 23)."""

from __future__ import annotations

import streamlit as st

from optimizers import nn

__all__ = ["dataset"]


@st.cache_data(max_entries=16, show_spinner=False)
def dataset(name: str, seed: int, upload: bytes | None) -> nn.Dataset:
    """A built-in data set of 512 points, or your CSV (ValueError: why it cannot be read)."""
    return nn.dataset_from_csv(upload) if upload is not None else nn.make_dataset(name, 512, seed=seed)
