"""Page building blocks shared by several pages: the verdict in words, the editable /
uploadable data table, and the fitted-curve chart."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from optimizers import Optimum
from optimizers.tables import read_csv_bytes

__all__ = ["data_table_input", "fit_chart", "second_derivative_sentence"]


def second_derivative_sentence(opt: Optimum, x_name: str, fmt_x) -> str:
    """'f″ = −20 < 0 at $75.00: the curve bends down, so this is a maximum.'"""
    f2 = opt.second_derivative
    if opt.flat:
        return "The objective is flat here: every choice gives the same value."
    where = f"at {x_name} = {fmt_x(opt.x)}"
    if opt.at_boundary:
        return (
            f"The best {x_name} is on the edge of the allowed range ({fmt_x(opt.x)}): the slope "
            f"there is {opt.derivative:,.4g}, not zero, so it is the limit, not a turning point."
        )
    if f2 < 0:
        return f"Second-derivative test: f″ = {f2:,.4g} < 0 {where}. The curve bends down, so this is a **maximum**."
    if f2 > 0:
        return f"Second-derivative test: f″ = {f2:,.4g} > 0 {where}. The curve bends up, so this is a **minimum**."
    return (
        f"f″ = 0 {where}, so the second-derivative test is silent; the slope changes sign there, "
        f"so by the first-derivative test this is a **{'maximum' if opt.kind == 'max' else 'minimum'}**."
    )


def data_table_input(
    example: pd.DataFrame,
    key: str,
    *,
    what: str,
    upload_help: str,
) -> tuple[pd.DataFrame | None, str]:
    """An editable table (pre-filled with ``example``) or an uploaded CSV that replaces it.

    Returns (table, source) or (None, error message) when the upload cannot be read.
    """
    edited = st.data_editor(
        example,
        num_rows="dynamic",
        key=f"{key}_editor",
        hide_index=True,
        width="stretch",
    )
    upload = st.file_uploader(
        f"…or upload a CSV of {what}", type=["csv", "txt"], key=f"{key}_upload", help=upload_help
    )
    if upload is None:
        return edited, "the table above"
    try:
        return read_csv_bytes(upload.getvalue()), f"“{upload.name}”"
    except ValueError as exc:
        return None, f"Could not use “{upload.name}”: {exc}"


def fit_chart(
    points: pd.DataFrame,
    lines: pd.DataFrame,
    *,
    x: str,
    y: str,
    x_title: str,
    y_title: str,
    height: int = 280,
) -> alt.LayerChart:
    """Observed points with fitted curves (``lines`` in long format with a ``fit`` column)."""
    dots = (
        alt.Chart(points)
        .mark_circle(size=90, color="#111827", opacity=0.85)
        .encode(
            x=alt.X(f"{x}:Q", title=x_title, scale=alt.Scale(zero=False)),
            y=alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(zero=False)),
            tooltip=[alt.Tooltip(f"{x}:Q", title=x_title), alt.Tooltip(f"{y}:Q", title=y_title)],
        )
    )
    curves = (
        alt.Chart(lines)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=f"{x}:Q",
            y=f"{y}:Q",
            color=alt.Color("fit:N", title=None, legend=alt.Legend(orient="top")),
            tooltip=[
                alt.Tooltip("fit:N", title=" "),
                alt.Tooltip(f"{x}:Q", title=x_title, format=",.2f"),
                alt.Tooltip(f"{y}:Q", title=y_title, format=",.1f"),
            ],
        )
    )
    return alt.layer(curves, dots).properties(height=height, title="Your data and the fits")


def fit_grid(values: np.ndarray, pad: float = 0.1, n: int = 120) -> np.ndarray:
    """An x grid that covers the observed values with a margin on each side."""
    lo, hi = float(np.min(values)), float(np.max(values))
    span = hi - lo or abs(hi) or 1.0
    return np.linspace(max(lo - pad * span, 1e-9), hi + pad * span, n)
