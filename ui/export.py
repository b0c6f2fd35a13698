"""CSV export: a pure builder (unit-tested) and the Streamlit download button."""

from __future__ import annotations

import pandas as pd
import streamlit as st

__all__ = ["csv_download", "table_section", "table_to_csv"]


def table_to_csv(table: pd.DataFrame, float_digits: int = 10) -> bytes:
    """UTF-8 CSV bytes of a table: no index, header row, floats to ``float_digits``
    significant digits (so 75.0 stays 75.0, not 74.99999999999999).

    >>> table_to_csv(pd.DataFrame({"price": [75.0], "profit": [30250.0]}))
    b'price,profit\\n75.0,30250.0\\n'
    """
    out = table.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].map(lambda v: float(f"{v:.{float_digits}g}"))
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")


def csv_download(table: pd.DataFrame, file_name: str, label: str = "Download table (CSV)") -> None:
    """A download button for ``table``; it does not rerun the page when clicked."""
    st.download_button(
        label,
        data=table_to_csv(table),
        file_name=file_name,
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key=f"download_{file_name.replace('.', '_')}",
    )


def table_section(
    table: pd.DataFrame,
    file_name: str,
    title: str,
    *,
    column_config: dict | None = None,
    label: str = "Download table (CSV)",
) -> None:
    """A page's table in a collapsed expander, with its CSV download button below.

    Collapsed on purpose: a visible data grid costs ~100 ms of browser time on every rerun.
    """
    with st.expander(f"{title} ({len(table)} rows)", icon=":material/table:"):
        st.dataframe(table, hide_index=True, width="stretch", column_config=column_config)
    csv_download(table, file_name, label)
