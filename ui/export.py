"""CSV export: a pure builder (unit-tested) and the Streamlit download button; tables that
are sent to the browser only when a visitor asks for them, and small tables as markdown."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from ui import safe

__all__ = ["csv_bytes", "csv_download", "markdown_table", "shown_on_request", "table_section", "table_to_csv"]


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


def csv_bytes(table: pd.DataFrame | bytes | Callable[[], bytes]) -> Callable[[], bytes]:
    """A callable that makes the CSV bytes of ``table`` (a frame, bytes already made by
    :func:`table_to_csv`, or a callable returning either) when it is called, not before.

    >>> make = csv_bytes(pd.DataFrame({"price": [75.0]}))
    >>> make()
    b'price\\n75.0\\n'
    >>> csv_bytes(b"a\\n1\\n")()
    b'a\\n1\\n'
    """
    if isinstance(table, bytes):
        return lambda: table
    if isinstance(table, pd.DataFrame):
        return lambda: table_to_csv(table)
    if callable(table):

        def make() -> bytes:
            made = table()
            return made if isinstance(made, bytes) else table_to_csv(made)

        return make
    raise ValueError(f"a CSV download needs a DataFrame, bytes or a callable, not {type(table).__name__}")


def csv_download(
    table: pd.DataFrame | bytes | Callable[[], pd.DataFrame | bytes],
    file_name: str,
    label: str = "Download table (CSV)",
) -> None:
    """A download button for ``table`` (a frame, CSV bytes already made by :func:`table_to_csv`,
    or a callable returning either); it does not rerun the page when clicked.

    The bytes are made when the button is clicked, not on every rerun: Streamlit 1.67 runs a
    callable ``data`` on click (``MediaFileManager.add_deferred``), on a worker thread. Built
    and stored on every rerun for a button nobody pressed, they were 22% of the Pricing
    script's time under load (docs/performance.md); bytes handed over as such were also
    hashed and stored per rerun.
    """
    st.download_button(
        label,
        data=csv_bytes(table),
        file_name=file_name,
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key=f"download_{file_name.replace('.', '_')}",
    )


def shown_on_request(what: str, key: str) -> bool:
    """A "Show …" toggle: True while the visitor wants ``what`` shown.

    Whatever a page draws under it is built and sent only then: a collapsed expander
    still ships its data grid on every rerun (3.7 KB for the price grid), a visible grid
    costs ~100 ms of browser time per rerun. The toggle is not bound to the URL.
    """
    return st.toggle(f"Show {what}", key=key)


def table_section(
    table: pd.DataFrame,
    file_name: str,
    title: str,
    *,
    column_config: dict | None = None,
    label: str = "Download table (CSV)",
) -> None:
    """A page's table behind a "Show the table" toggle, with its CSV download button below.

    The table is sent to the browser only while the toggle is on (:func:`shown_on_request`);
    its CSV is made when the download button is clicked (:func:`csv_download`). The toggle's key is ``show_<file name>``.
    """
    if shown_on_request(f"the table: {title}", f"show_{file_name.replace('.', '_')}"):
        st.caption(f"{len(table)} rows")
        st.dataframe(table, hide_index=True, width="stretch", column_config=column_config)
    csv_download(table, file_name, label)


def markdown_table(
    table: pd.DataFrame,
    formats: dict[str, Callable[[object], str]] | None = None,
    *,
    right: Sequence[str] = (),
) -> str:
    """A small table as one markdown string: cheaper for the browser than ``st.table`` or a
    data grid, and one element instead of several. Headers and cells pass ``safe.plain``.
    Numeric columns, and those named in ``right`` (numbers already written as text), are
    right-aligned.

    >>> print(markdown_table(pd.DataFrame({"years": [5], "5%": [12840.25]}), {"5%": "${:,.0f}".format}))
    | years | 5\\% |
    | ---: | ---: |
    | 5 | \\$12\\,840 |
    """
    formats = formats or {}

    def cell(col, value) -> str:
        return safe.plain(formats[col](value) if col in formats else str(value))

    numeric = [pd.api.types.is_numeric_dtype(table[c]) or c in set(right) for c in table.columns]
    lines = [
        "| " + " | ".join(cell(None, c) for c in table.columns) + " |",
        "| " + " | ".join("---:" if n else "---" for n in numeric) + " |",
    ]
    columns = [table[c].tolist() for c in table.columns]  # keeps ints ints (iterrows would not)
    for row in zip(*columns, strict=True):
        lines.append("| " + " | ".join(cell(c, v) for c, v in zip(table.columns, row, strict=True)) + " |")
    return "\n".join(lines)
