"""Scenarios side by side: the "Add to comparison" button every decision page shows, and
/compare's state and its list of scenarios (rename, reorder, remove, open, add from a link).

The comparison lives in /compare's link (``?page=…&s1=…&s2=…``, see
:mod:`optimizers.scenarios`), so it can be shared. The session also remembers each page's
comparison (``st.session_state["_compare"]``; an internal key, so a page's "Reset to defaults"
keeps it), which is how a decision page's button adds to the comparison in progress and how
/compare, opened from the sidebar (a link without a comparison), shows the last one again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from explain import compare as ex
from optimizers import scenarios as sc
from ui import inputs, pages

__all__ = ["add_button", "add_from_link", "column_widths", "current", "editor", "page_links", "share_line"]

#: Session key: {"last": the page compared last, "lists": {page: [the sK values]}}.
MEMORY = "_compare"
#: The comparison's URL path (ui.pages), and Streamlit's own parameters (kept).
COMPARE = "compare"
_STREAMLIT_PARAMS = ("embed", "embed_options")
#: A problem with a pasted link, shown once in the next run.
_PROBLEM = "_compare_problem"


def _memory() -> dict:
    return st.session_state.setdefault(MEMORY, {"last": "", "lists": {}})


def _params(page: str, entries: Sequence[sc.Entry]) -> dict[str, str]:
    """The comparison's URL parameters."""
    if not page:
        return {}
    return {"page": page} | {f"s{k}": e.encode() for k, e in enumerate(entries, start=1)}


def _write(page: str, entries: Sequence[sc.Entry]) -> None:
    """Put the comparison in the link (only what changed) and in the session's memory."""
    want = _params(page, entries)
    for key in list(st.query_params.keys()):
        if key not in want and key not in _STREAMLIT_PARAMS:
            del st.query_params[key]
    for key, value in want.items():
        if inputs.url_value(key) != value:
            st.query_params[key] = value
    memory = _memory()
    if page:
        memory["last"] = page
        memory["lists"][page] = [e.encode() for e in entries]


def _named(entries: Sequence[sc.Entry]) -> list[sc.Entry]:
    """The entries with unique names (a rename to a name already taken gets " (2)")."""
    names = sc.unique_names([e.name for e in entries], ex.DEFAULT_NAME)
    return [e.renamed(n) if e.readable else e for e, n in zip(entries, names, strict=True)]


def current() -> tuple[str, list[sc.Entry]]:
    """(page, scenarios) of the comparison to show: the link's, or for a link without one (the
    sidebar's) the last comparison of this session. Puts its canonical form in the link."""
    values = [v for k in range(1, sc.MAX_SCENARIOS + 1) if (v := inputs.url_value(f"s{k}")) is not None]
    raw_page = inputs.url_value("page")
    if raw_page is None and not values:
        memory = _memory()
        raw_page, values = memory["last"], memory["lists"].get(memory["last"], [])
    entries = sc.decode_entries(values, ex.DEFAULT_NAME)
    page = sc.choose_page(raw_page, entries)
    _write(page, entries)
    return page, entries


def add_button(page: str, *leaves_out: str) -> None:
    """ "Add to comparison": opens /compare with this page's current scenario added to the
    comparison in progress (its link as the address bar holds it). Off when the comparison
    already holds four scenarios, or when the link leaves something out (``leaves_out``, the
    page's note: an uploaded table too big for a link), with a caption saying why."""
    entries = sc.decode_entries(_memory()["lists"].get(page, []), ex.DEFAULT_NAME)
    missing = "; ".join(s for s in leaves_out if s)
    full = len(entries) >= sc.MAX_SCENARIOS
    clicked = st.button(
        ex.ADD,
        key="add_to_comparison",
        icon=":material/compare_arrows:",
        help=ex.ADD_HELP,
        disabled=full or bool(missing),
    )
    if note := ex.add_note(full, missing):
        st.caption(note)
    if not clicked:
        return
    inputs.prune_link()
    query = sc.canonical_query(st.query_params.to_dict())
    if all(e.link != f"{page}?{query}" for e in entries):
        entries.append(sc.Entry(sc.free_name([e.name for e in entries], ex.DEFAULT_NAME), page, query))
    _memory()["lists"][page], _memory()["last"] = [e.encode() for e in entries], page
    st.switch_page(pages.by_path(COMPARE).file, query_params=_params(page, entries))


def column_widths(table: pd.DataFrame) -> dict[str, st.column_config.Column]:
    """Each scenario column of the comparison's table as wide as its longest text (8 px a
    character and 24 of padding, at least 64): left to itself the grid sized a column by some of
    its cells and cut "44.7 mph" to "44.7 mp" at 390 px.

    >>> column_widths(pd.DataFrame({"Now": ["44.7 mph", "—"]}))["Now"]["width"]
    88
    """
    return {
        str(name): st.column_config.TextColumn(width=max(64, 24 + 8 * max(len(str(v)) for v in [name, *table[name]])))
        for name in table.columns
    }


# --- /compare's list ---------------------------------------------------------------------------


def _rename(page: str, entries: list[sc.Entry], i: int, key: str) -> None:
    """Rename scenario ``i``; a name another scenario has gets " (2)" (the others keep theirs),
    and an empty one puts the old name back in the box."""
    name = sc.clean_name(st.session_state.get(key, ""))
    if not name:
        st.session_state[key] = entries[i].name
    else:
        others = [e.name for k, e in enumerate(entries) if k != i]
        name = sc.unique_names([*others, name], ex.DEFAULT_NAME)[-1]
        _write(page, _named([*entries[:i], entries[i].renamed(name), *entries[i + 1 :]]))


def _move(page: str, entries: list[sc.Entry], i: int, j: int) -> None:
    moved = list(entries)
    moved[i], moved[j] = moved[j], moved[i]
    _write(page, moved)


def _remove(page: str, entries: list[sc.Entry], i: int) -> None:
    _write(page, [e for k, e in enumerate(entries) if k != i])


def _key(what: str, i: int, entry: sc.Entry) -> str:
    """A widget key that changes with the entry, so a moved or renamed scenario's widgets start
    from its new value instead of keeping another's state."""
    return f"{what}_{i}_{hashlib.sha1(entry.encode().encode()).hexdigest()[:10]}"


def _open_link(entry: sc.Entry) -> None:
    """A link that opens the scenario on its page (a page of the app's registry only)."""
    try:
        file = pages.by_path(entry.path).file
    except KeyError:
        return
    params = dict(sc.read_params(entry.query))
    st.page_link(file, label=ex.OPEN, icon=":material/open_in_new:", query_params=params)


def editor(c: sc.Comparison | None, entries: list[sc.Entry]) -> None:
    """Each scenario in a box: its name (rename it), a link that opens it, move up and down,
    remove, and what is wrong with it (a broken link, another page's, a value not used)."""
    page = c.page if c is not None else ""
    last = len(entries) - 1
    for i, e in enumerate(entries):
        with st.container(border=True, key=_key("scenario", i, e)):
            with st.container(horizontal=True, vertical_alignment="center"):
                key = _key("name", i, e)
                st.text_input(
                    ex.NAME, e.name, max_chars=sc.MAX_NAME_CHARS, key=key, disabled=not e.readable,
                    on_change=_rename, args=(page, entries, i, key), width=240, label_visibility="collapsed",
                )  # fmt: skip
                with st.container(horizontal=True, vertical_alignment="center", width="content"):
                    for what, icon, help, j, off in (
                        ("up", ":material/arrow_upward:", ex.UP, i - 1, i == 0),
                        ("down", ":material/arrow_downward:", ex.DOWN, i + 1, i == last),
                    ):
                        st.button("", icon=icon, help=help, key=f"{what}_{i}", disabled=off, on_click=_move,
                                  args=(page, entries, i, j))  # fmt: skip
                    st.button("", icon=":material/delete:", help=ex.REMOVE, key=f"remove_{i}", on_click=_remove,
                              args=(page, entries, i))  # fmt: skip
                    if e.readable:
                        _open_link(e)
            for box, text in ex.scenario_notes(c, i) if c is not None else ():
                getattr(st, box)(text)


def page_links() -> None:
    """Links to the pages that can be compared."""
    with st.container(horizontal=True):
        for path in sc.PAGES:
            page = pages.by_path(path)
            st.page_link(page.file, label=page.title, icon=page.icon)


def _add_link(page: str, entries: list[sc.Entry], key: str) -> None:
    text = str(st.session_state.get(key, ""))
    st.session_state[key] = ""
    if not text.strip():
        return
    found = sc.read_link(text)
    if found is None or len(entries) >= sc.MAX_SCENARIOS:
        st.session_state[_PROBLEM] = ex.link_problem(text) or ex.add_note(True)
        return
    entry = sc.Entry(sc.free_name([e.name for e in entries], ex.DEFAULT_NAME), *found)
    _write(page or sc.choose_page(None, [entry]), [*entries, entry])


def add_from_link(page: str, entries: list[sc.Entry]) -> None:
    """A box to paste a scenario's link into (another page's link is added, and said to be so)."""
    key = "add_link"
    st.text_input(
        ex.ADD_LINK, key=key, max_chars=sc.MAX_ENTRY_CHARS, help=ex.ADD_LINK_HELP, on_change=_add_link,
        args=(page, entries, key), disabled=len(entries) >= sc.MAX_SCENARIOS,
    )  # fmt: skip
    if problem := st.session_state.pop(_PROBLEM, ""):
        st.warning(problem)


def share_line(page: str, entries: Sequence[sc.Entry]) -> None:
    """'Share this comparison' with the link that reproduces it (every sK, in order)."""
    if not page:
        return
    url = (st.context.url or "") + "?" + urlencode(_params(page, entries))
    st.caption(ex.SHARE)
    st.code(url, language=None, wrap_lines=True)
