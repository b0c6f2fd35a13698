"""Reading and checking small numeric tables that users type or upload.

Every message names the problem in the user's terms (which column, which row, what value),
because it is shown on the page as is.
"""

from __future__ import annotations

import csv
import io
import re

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
    "require_columns",
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


#: A number written with a decimal comma, optionally with "." or a space between thousands:
#: "40,5", "-0,25", "1.234,5", "1 234,5".
_DECIMAL_COMMA = re.compile(r"^[+-]?(\d+|\d{1,3}([. \u00a0\u202f]\d{3})+),\d+$")
#: A number written with a decimal point: "40.5", "-.25", "1,234.5".
_DECIMAL_POINT = re.compile(r"^[+-]?(\d*|\d{1,3}(,\d{3})+)\.\d+$")


def read_csv_bytes(
    data: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES, max_rows: int = MAX_ROWS, max_columns: int = MAX_COLUMNS
) -> pd.DataFrame:
    """Parse an uploaded CSV into a DataFrame of strings-or-numbers, or raise ValueError.

    The separator is the one of ``,``, ``;`` and tab that the header line uses most. A file
    separated by ``;`` or tabs may write numbers with a decimal comma (``40,5``, with ``.``
    or spaces between thousands: ``1.234,5``), as spreadsheets set to most European locales
    save them; such a file is read with that convention. A file that mixes decimal commas and
    decimal points is refused, naming one of each, rather than guessed.

    Examples
    --------
    >>> read_csv_bytes(b"price,units\\n50,800\\n").to_dict("list")
    {'price': [50], 'units': [800]}
    >>> read_csv_bytes("price;units\\n40,5;900\\n1.234,5;2\\n".encode()).to_dict("list")
    {'price': [40.5, 1234.5], 'units': [900, 2]}
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
    if sep != ",":
        df = _decimal_commas(df)
    if len(df) > max_rows:
        raise ValueError(f"The file has {len(df):,} rows; at most {max_rows:,} are accepted.")
    df.columns = [str(c).strip().lower() for c in df.columns]
    return df


def _decimal_commas(df: pd.DataFrame) -> pd.DataFrame:
    """Columns of a ``;``/tab file whose numbers use decimal commas, as floats.

    Raises ValueError when the file writes some numbers with a decimal comma and others with
    a decimal point: "1.234" could then be either 1.234 or 1234.
    """
    comma = point = None
    for col in df.columns:
        if pd.api.types.is_numeric_dtype(df[col]):
            continue
        for cell in df[col]:
            if not isinstance(cell, str):
                continue
            text = cell.strip()
            if comma is None and _DECIMAL_COMMA.match(text):
                comma = text
            elif point is None and _DECIMAL_POINT.match(text):
                point = text
    if comma is None:
        return df
    if point is not None:
        raise ValueError(
            f"Some numbers have a decimal comma ({_show(comma)}) and others a decimal point ({_show(point)}); "
            "save the file with one of them."
        )
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_numeric_dtype(out[col]):
            continue
        cells = [c.strip() if isinstance(c, str) else c for c in out[col]]
        if all(not isinstance(c, str) or not c or _DECIMAL_COMMA.match(c) or _INTEGER.match(c) for c in cells):
            out[col] = [_from_decimal_comma(c) if isinstance(c, str) and c else c for c in cells]
    return out


_INTEGER = re.compile(r"^[+-]?\d+$")


def _from_decimal_comma(text: str) -> float:
    """'1.234,5' -> 1234.5 (the caller checked the pattern)."""
    return float(re.sub(r"[. \u00a0\u202f]", "", text).replace(",", "."))


def require_columns(df: pd.DataFrame, columns) -> None:
    """Raise ValueError naming the columns ``df`` lacks (names compared as given).

    >>> require_columns(pd.DataFrame({"price": [1]}), ("price", "units"))
    Traceback (most recent call last):
    ...
    ValueError: Missing column(s) 'units': need 'price', 'units'; found 'price'.
    """
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(
            f"Missing column(s) {', '.join(map(repr, missing))}: need {', '.join(map(repr, columns))}; "
            f"found {name_some(df.columns)}."
        )


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


#: Commas that group thousands: "1,234", "12,345.5".
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def _to_number(cell: object) -> float | None:
    """A cell as a float, or None. A comma is read as a thousands separator where it groups
    digits by three ("1,234"), and as a decimal comma where it cannot ("40,5" is 40.5, not 405).

    >>> _to_number("1,234"), _to_number("40,5"), _to_number(" $12.50 "), _to_number("4,5,6")
    (1234.0, 40.5, 12.5, None)
    """
    if isinstance(cell, bool | np.bool_):
        return None
    if isinstance(cell, str):
        text = cell.strip().lstrip("$").strip()
        if "," in text:
            if _THOUSANDS.match(text):
                text = text.replace(",", "")
            elif re.match(r"^[+-]?\d*,\d+$", text):
                text = text.replace(",", ".")
            else:
                return None
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
