"""Page building blocks shared by several pages: the editable / uploadable data table (and,
for the pages that still call it here, the second-derivative sentence of explain.common)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from explain import common as words
from optimizers import Optimum, tables
from ui import inputs, safe

__all__ = ["TableInput", "data_table_input", "second_derivative_sentence"]


def second_derivative_sentence(opt: Optimum, x_name: str, fmt_x) -> str:
    """'f″ = −20 < 0 at $75.00: the curve bends down, so this is a maximum.'

    The words live in :func:`explain.common.second_derivative_sentence`; this name stays while
    the pages move to calling explain directly.
    """
    return words.second_derivative_sentence(opt, x_name, fmt_x)


@dataclass(frozen=True)
class TableInput:
    """What :func:`data_table_input` hands the page.

    ``table`` is the data to use (None when it cannot be used, with ``problem`` saying why in
    plain text); ``source`` names it for messages (plain text, may quote a file name);
    ``link_note`` says what the share link leaves out, or is empty when the link carries it.
    """

    table: pd.DataFrame | None
    source: str
    problem: str = ""
    link_note: str = ""


def _editor_problem(state: object, rows: int, columns: tuple[str, ...]) -> str:
    """Why a data editor's edit state (sent by the browser, so by anyone) cannot be applied.

    Streamlit applies added rows one at a time in Python and trusts row numbers and column
    names; a forged state could cost seconds per rerun or raise. Checked before the editor
    is drawn, so nothing is applied unless it is small and well formed.
    """
    if not isinstance(state, dict):
        return ""
    added, edited, deleted = (
        state.get("added_rows") or [],
        state.get("edited_rows") or {},
        state.get("deleted_rows") or [],
    )
    if not (isinstance(added, list) and isinstance(edited, dict) and isinstance(deleted, list)):
        return "the edits were not understood"
    total = rows + len(added)
    if total > tables.MAX_ROWS:
        return f"it would have {total:,} rows; at most {tables.MAX_ROWS:,} are accepted"
    known = {*columns, "_index"}
    if any(not isinstance(r, dict) or not set(r) <= known for r in added):
        return "an added row had columns the table does not have"
    for row, cells in edited.items():
        if not (str(row).isdigit() and int(row) < total and isinstance(cells, dict) and set(cells) <= known):
            return "an edit pointed outside the table"
    if len(deleted) > total or any(not isinstance(r, int) or not 0 <= r < total for r in deleted):
        return "a deleted row was outside the table"
    return ""


def data_table_input(
    example: pd.DataFrame,
    key: str,
    *,
    what: str,
    upload_help: str,
    link_key: str = "data",
    codec: tuple[Callable[[pd.DataFrame], str | None], Callable[[str], pd.DataFrame]] | None = None,
) -> TableInput:
    """One table: pre-filled from the link (``?data=``) or ``example``, editable, replaced by an
    uploaded CSV. The data shown is the data used, and the link carries it when it is small.

    * The editor's rows live in the URL as ``?data=40:900,50:800,…`` (up to
      ``tables.MAX_LINK_ROWS`` rows), so a shared link reproduces an edited table. A table
      equal to ``example`` is left out of the URL, like any default.
    * An upload replaces the table's contents (once per file); its first ``columns`` are
      kept and it can be edited like a typed table.
    * Edits are checked before Streamlit applies them (:func:`_editor_problem`): at most
      ``tables.MAX_ROWS`` rows, known columns only; anything else resets the table with a
      message.

    ``codec`` is ``(encode, decode)`` for a table the default link text cannot carry (one
    with a text column, such as names): ``encode(table)`` gives the link text or None when
    the table does not fit in a link, ``decode(text)`` the table or ValueError saying why.
    The default writes and reads plain numbers (``tables.encode_table``/``decode_table``).
    """
    columns = tuple(example.columns)
    encode, decode = codec or (lambda t: tables.encode_table(t, columns), lambda s: tables.decode_table(s, columns))
    gen_key, base_key, file_key = f"{key}_gen", f"{key}_base", f"{key}_file"
    inputs.link_param(link_key, f"{key}_editor_")
    gen = st.session_state.setdefault(gen_key, 0)
    editor_key = f"{key}_editor_{gen}"
    notes: list[str] = []

    if editor_key not in st.session_state or base_key not in st.session_state:
        base = example
        raw = inputs.url_value(link_key)
        if raw is not None:
            try:
                base = decode(raw)
            except ValueError as exc:
                notes.append(words.link_table_unreadable(str(exc)))
        st.session_state[base_key] = base
    base = st.session_state[base_key]

    box = st.container()  # the table is drawn above the uploader, after an upload is read
    upload = st.file_uploader(
        words.upload_label(what),
        type=["csv", "txt"],
        key=f"{key}_upload",
        help=upload_help,
    )
    if upload is not None and st.session_state.get(file_key) != upload.file_id:
        st.session_state[file_key] = upload.file_id
        try:
            loaded = tables.read_csv_bytes(upload.getvalue())
            tables.require_columns(loaded, columns)
        except ValueError as exc:
            return TableInput(None, f"“{upload.name}”", words.upload_unusable(upload.name, str(exc)))
        base = st.session_state[base_key] = loaded[list(columns)].reset_index(drop=True)
        gen = st.session_state[gen_key] = gen + 1
        editor_key = f"{key}_editor_{gen}"

    problem = _editor_problem(st.session_state.get(editor_key), len(base), columns)
    if problem:
        notes.append(words.editor_reset(problem))
        gen = st.session_state[gen_key] = gen + 1
        editor_key = f"{key}_editor_{gen}"

    with box:
        for note in notes:
            safe.warning(note)
        edited = st.data_editor(base, num_rows="dynamic", key=editor_key, hide_index=True, width="stretch")

    encoded = encode(edited)
    if encoded is not None and encoded == encode(example):
        encoded = ""
    link_note = ""
    if encoded is None:
        link_note = words.table_left_out(len(edited), tables.MAX_LINK_ROWS)
    current = inputs.url_value(link_key)
    if not encoded and current is not None:
        del st.query_params[link_key]
    elif encoded and current != encoded:
        st.query_params[link_key] = encoded
    source = f"“{upload.name}”" if upload is not None else "the table"
    return TableInput(edited, source, "", link_note)
