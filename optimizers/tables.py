"""Reading and checking small numeric tables that users type or upload.

Every message names the problem in the user's terms (which column, which row, what value),
because it is shown on the page as is.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd

__all__ = ["MAX_UPLOAD_BYTES", "numeric_columns", "read_csv_bytes"]

#: Uploads larger than this are refused before parsing (the server refuses them too).
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: More rows than this is not a table of weekly experiments; refuse instead of plotting it.
MAX_ROWS = 10_000


def read_csv_bytes(data: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES) -> pd.DataFrame:
    """Parse an uploaded CSV into a DataFrame of strings-or-numbers, or raise ValueError.

    Examples
    --------
    >>> read_csv_bytes(b"price,units\\n50,800\\n").to_dict("list")
    {'price': [50], 'units': [800]}
    """
    if len(data) > max_bytes:
        raise ValueError(f"The file is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB.")
    if not data.strip():
        raise ValueError("The file is empty.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError("The file is not UTF-8 text; save it as CSV (UTF-8) and try again.") from exc
    if "\x00" in text:
        raise ValueError("The file looks binary, not like a CSV text file.")
    try:
        first = text.lstrip().splitlines()[0] if text.strip() else ""
        sep = max(",;\t", key=first.count) if any(c in first for c in ",;\t") else ","
        df = pd.read_csv(io.StringIO(text), sep=sep, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as exc:
        raise ValueError(f"Could not read the file as CSV: {exc}") from exc
    if len(df) > MAX_ROWS:
        raise ValueError(f"The file has {len(df):,} rows; at most {MAX_ROWS:,} are accepted.")
    df.columns = [str(c).strip().lower() for c in df.columns]
    return df


def numeric_columns(
    df: pd.DataFrame,
    columns: dict[str, str],
    *,
    min_rows: int,
    positive: tuple[str, ...] = (),
    non_negative: tuple[str, ...] = (),
) -> dict[str, np.ndarray]:
    """Pull named numeric columns out of a user table, with messages a user can act on.

    Parameters
    ----------
    df : DataFrame
        The table as typed or uploaded. Column names are matched case-insensitively.
    columns : dict
        Column name -> what it means (used in messages), e.g. ``{"price": "price in $"}``.
    min_rows : int
        Fewest complete rows needed.
    positive, non_negative : tuple of str
        Columns whose values must be > 0 or >= 0.

    Returns
    -------
    dict of name -> float array, rows with every cell empty dropped.

    Raises
    ------
    ValueError
        Missing columns, non-numeric or non-finite cells, sign violations, too few rows.

    Examples
    --------
    >>> df = pd.DataFrame({"Price": [50, 60, 70], "units": [800, 700, 600]})
    >>> numeric_columns(df, {"price": "price", "units": "units"}, min_rows=3)["price"]
    array([50., 60., 70.])
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame, got {type(df).__name__}")
    lower = {str(c).strip().lower(): c for c in df.columns}
    missing = [name for name in columns if name not in lower]
    if missing:
        have = ", ".join(repr(str(c)) for c in df.columns) or "none"
        need = ", ".join(repr(m) for m in columns)
        raise ValueError(f"Missing column(s) {', '.join(map(repr, missing))}: need {need}; found {have}.")
    table = df[[lower[name] for name in columns]].copy()
    table.columns = list(columns)
    blank = table.apply(lambda col: col.map(_is_blank)).all(axis=1)
    table = table[~blank.to_numpy()]
    out: dict[str, np.ndarray] = {}
    for name, meaning in columns.items():
        values = []
        for row, cell in zip(table.index, table[name], strict=True):
            number = _to_number(cell)
            if number is None:
                raise ValueError(f"Row {_row_label(row)}: {meaning} must be a number, got {_show(cell)}.")
            if name in positive and not number > 0:
                raise ValueError(f"Row {_row_label(row)}: {meaning} must be positive, got {number:g}.")
            if name in non_negative and number < 0:
                raise ValueError(f"Row {_row_label(row)}: {meaning} cannot be negative, got {number:g}.")
            values.append(number)
        out[name] = np.asarray(values, dtype=float)
    n = len(table)
    if n < min_rows:
        raise ValueError(f"Need at least {min_rows} complete rows, got {n}.")
    return out


def _is_blank(cell: object) -> bool:
    if cell is None:
        return True
    if isinstance(cell, float) and np.isnan(cell):
        return True
    return isinstance(cell, str) and not cell.strip()


def _to_number(cell: object) -> float | None:
    if isinstance(cell, bool | np.bool_):
        return None
    if isinstance(cell, str):
        text = cell.strip().replace(",", "").lstrip("$").strip()
        try:
            value = float(text)
        except ValueError:
            return None
    else:
        try:
            value = float(cell)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None
    return value if np.isfinite(value) else None


def _row_label(index: object) -> str:
    return str(index + 1) if isinstance(index, int | np.integer) else str(index)


def _show(cell: object) -> str:
    text = repr(cell) if isinstance(cell, str) else str(cell)
    return text if len(text) <= 40 else text[:37] + "..."
