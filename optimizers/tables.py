"""Reading and checking small numeric tables that users type or upload.

Every message names the problem in the user's terms (which column, which row, what value),
because it is shown on the page as is.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd

__all__ = [
    "MAX_COLUMNS",
    "MAX_LINK_ROWS",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "decode_table",
    "encode_table",
    "name_some",
    "numeric_columns",
    "read_csv_bytes",
]

#: Uploads larger than this are refused before parsing (the server refuses them too).
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: Most rows in a table a user types or uploads. Ten years of weekly experiments fit; the
#: limit also bounds what a data editor may cost the server: Streamlit applies rows added
#: in the browser one by one (about 1.5 ms each here), so 500 rows stay under a second.
MAX_ROWS = 500
#: Most columns read from an uploaded file; the header is checked before parsing.
MAX_COLUMNS = 50
#: Column names quoted in one message.
NAMED_AT_MOST = 5


def read_csv_bytes(
    data: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES, max_rows: int = MAX_ROWS, max_columns: int = MAX_COLUMNS
) -> pd.DataFrame:
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
    first = (text.lstrip().splitlines() or [""])[0]
    sep = max(",;\t", key=first.count) if any(c in first for c in ",;\t") else ","
    try:
        width = next(csv.reader([first], delimiter=sep), [])
    except csv.Error:
        width = first.split(sep)
    if len(width) > max_columns:
        raise ValueError(f"The file has {len(width):,} columns; at most {max_columns} are accepted.")
    lines = text.count("\n") + 1
    if lines > 2 * max_rows + 2:  # cheap ceiling before parsing (blank lines are allowed)
        raise ValueError(f"The file has about {lines:,} lines; at most {max_rows:,} rows are accepted.")
    try:
        df = pd.read_csv(io.StringIO(text), sep=sep, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error, ValueError) as exc:
        raise ValueError(f"Could not read the file as CSV: {exc}") from exc
    if len(df) > max_rows:
        raise ValueError(f"The file has {len(df):,} rows; at most {max_rows:,} are accepted.")
    df.columns = [str(c).strip().lower() for c in df.columns]
    return df


def name_some(names, limit: int = NAMED_AT_MOST) -> str:
    """Quote the first few names and count the rest: a message never lists 100,000 columns.

    >>> name_some(["a", "b"]), name_some([f"c{i}" for i in range(9)], limit=2)
    ("'a', 'b'", "'c0', 'c1' and 7 more")
    """
    names = list(names)
    if not names:
        return "none"
    shown = ", ".join(_show(str(n)) for n in names[:limit])
    return shown + (f" and {len(names) - limit:,} more" if len(names) > limit else "")


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
        have = name_some(df.columns)
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


#: Most rows a share link carries (``?data=40:900,50:800,…``); bigger tables stay out of it.
MAX_LINK_ROWS = 48
#: Longest ``?data=`` value read from a link, in characters.
MAX_LINK_CHARS = 1500


def encode_table(df: pd.DataFrame, columns: tuple[str, ...]) -> str | None:
    """A small numeric table as compact link text: rows split by ``,``, cells by ``:``.

    None when it cannot go into a link: more than MAX_LINK_ROWS rows, a missing column, or
    a cell that is neither a finite number nor blank. Blank cells stay blank.

    >>> encode_table(pd.DataFrame({"price": [40, 50.5], "units": [900, None]}), ("price", "units"))
    '40:900,50.5:'
    """
    if any(c not in df.columns for c in columns) or len(df) > MAX_LINK_ROWS:
        return None
    rows = []
    for values in df[list(columns)].itertuples(index=False):
        cells = []
        for v in values:
            if _is_blank(v):
                cells.append("")
                continue
            number = _to_number(v)
            if number is None:
                return None
            cells.append(f"{number:.10g}")
        rows.append(":".join(cells))
    return ",".join(rows)


def decode_table(text: str, columns: tuple[str, ...]) -> pd.DataFrame:
    """The table from :func:`encode_table` text, or ValueError saying what is wrong.

    >>> decode_table("40:900,50.5:", ("price", "units")).to_dict("list")
    {'price': [40.0, 50.5], 'units': [900.0, nan]}
    """
    if len(text) > MAX_LINK_CHARS:
        raise ValueError(f"the table in the link is {len(text):,} characters long; at most {MAX_LINK_CHARS:,} are read")
    rows = text.split(",") if text else []
    if len(rows) > MAX_LINK_ROWS:
        raise ValueError(f"the table in the link has {len(rows):,} rows; a link carries at most {MAX_LINK_ROWS}")
    out = []
    for i, row in enumerate(rows, start=1):
        cells = row.split(":")
        if len(cells) != len(columns):
            raise ValueError(f"row {i} of the table in the link has {len(cells)} cells, not {len(columns)}")
        values = []
        for cell in cells:
            if not cell.strip():
                values.append(np.nan)
                continue
            number = _to_number(cell)
            if number is None:
                raise ValueError(f"row {i} of the table in the link has {_show(cell)}, not a number")
            values.append(number)
        out.append(values)
    return pd.DataFrame(out, columns=list(columns), dtype=float)
