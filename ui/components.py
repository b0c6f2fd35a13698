"""Page building blocks shared by several pages: the verdict in words and the editable /
uploadable data table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from optimizers import Optimum
from optimizers.tables import read_csv_bytes

__all__ = ["data_table_input", "second_derivative_sentence"]


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
    upload = st.file_uploader(f"…or upload a CSV of {what}", type=["csv", "txt"], key=f"{key}_upload", help=upload_help)
    if upload is None:
        return edited, "the table above"
    try:
        return read_csv_bytes(upload.getvalue()), f"“{upload.name}”"
    except ValueError as exc:
        return None, f"Could not use “{upload.name}”: {exc}"
