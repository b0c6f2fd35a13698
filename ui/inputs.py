"""Inputs bound to the URL: the key of each widget is its URL parameter, so the address
bar is always a link that reproduces what the user sees.

Every URL value is a stranger's input. Before a widget is created its URL value is checked
here (a finite number inside the widget's range, an integer where one is needed, one of the
options, text no longer than allowed); anything else is dropped so the widget starts from
its default, exactly as if the parameter were absent. Streamlit itself misses a few cases:
``?seed=inf`` crashes an integer number input, and an empty value (``?model=``) leaves a
segmented control with nothing selected. Returned numbers are never ``-0.0``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from urllib.parse import urlencode

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.state.session_state_proxy import get_session_state

__all__ = [
    "int_slider",
    "integer",
    "link_param",
    "log_slider",
    "number",
    "select",
    "share_line",
    "share_url",
    "slider",
    "text",
    "url_value",
]


def url_value(key: str) -> str | None:
    """The raw value of ``?key=`` in the URL this page was opened with (last one wins)."""
    values = st.query_params.get_all(key)
    return values[-1] if values else None


def _reject(key: str) -> None:
    """Forget ``?key=`` so the widget bound to it starts from its default.

    Streamlit seeds bound widgets from a snapshot of the URL taken when the run started,
    which ``st.query_params`` cannot change once a widget is bound; the snapshot is dropped
    through the same internal call Streamlit uses for values it rejects itself.
    """
    with get_session_state().query_params() as qp:
        initial = getattr(qp, "_initial_query_params", None)
        if isinstance(initial, dict):
            initial.pop(key, None)
        qp.remove_param(key)


def _check_number(key: str, lo: float, hi: float, *, integer: bool = False) -> None:
    raw = url_value(key)
    if raw is None:
        return
    try:
        v = float(raw)
    except ValueError:
        _reject(key)
        return
    if not (math.isfinite(v) and lo <= v <= hi) or (integer and v != int(v)):
        _reject(key)


def _check_choice(key: str, options: Sequence[str]) -> None:
    raw = url_value(key)
    if raw is not None and raw not in options:
        _reject(key)


def _unsigned_zero(v: float) -> float:
    return v + 0.0  # -0.0 + 0.0 is 0.0


def slider(
    label: str,
    key: str,
    lo: float,
    hi: float,
    default: float,
    step: float,
    *,
    fmt: str | None = None,
    help: str | None = None,
    where=st,
) -> float:
    """A float slider bound to ``?key=``."""
    _check_number(key, lo, hi)
    return _unsigned_zero(
        where.slider(
            label,
            min_value=float(lo),
            max_value=float(hi),
            value=float(default),
            step=float(step),
            format=fmt,
            key=key,
            help=help,
            bind="query-params",
        )
    )


def int_slider(
    label: str,
    key: str,
    lo: int,
    hi: int,
    default: int,
    step: int = 1,
    *,
    help: str | None = None,
    where=st,
) -> int:
    """An integer slider bound to ``?key=``."""
    _check_number(key, lo, hi, integer=True)
    return int(
        where.slider(
            label,
            min_value=lo,
            max_value=hi,
            value=default,
            step=step,
            key=key,
            help=help,
            bind="query-params",
        )
    )


def select(
    label: str,
    key: str,
    options: Sequence[str],
    default: str,
    *,
    horizontal: bool = True,
    help: str | None = None,
    where=st,
) -> str:
    """A choice among short option codes, bound to ``?key=``.

    The codes are shown as they are: Streamlit writes the *displayed* text into the URL,
    so a format_func would break the documented URL values. An empty or unknown URL value
    gives ``default``, shown selected.
    """
    _check_choice(key, options)
    if horizontal:
        value = where.segmented_control(
            label,
            options=list(options),
            default=default,
            key=key,
            help=help,
            bind="query-params",
            required=True,
        )
        return value if value in options else default
    value = where.selectbox(
        label,
        options=list(options),
        index=list(options).index(default),
        key=key,
        help=help,
        bind="query-params",
    )
    return value if value in options else default


def log_slider(
    label: str,
    key: str,
    options: Sequence[float],
    default: float,
    *,
    fmt: Callable[[float], str] = lambda v: f"{v:.0e}",
    help: str | None = None,
    where=st,
) -> float:
    """A select-slider over log-spaced values (Streamlit sliders have no log scale).

    The URL carries ``fmt(value)``, so ``fmt`` must give distinct, readable numbers.
    """
    _check_choice(key, [fmt(v) for v in options])
    return float(
        where.select_slider(
            label,
            options=list(options),
            value=default,
            format_func=fmt,
            key=key,
            help=help,
            bind="query-params",
        )
    )


def text(label: str, key: str, default: str, *, max_chars: int, help: str | None = None, where=st) -> str:
    """A text input bound to ``?key=``; a URL value longer than ``max_chars`` is ignored, and
    so is a longer value sent straight over the websocket (the browser enforces max_chars,
    a forged message need not)."""
    raw = url_value(key)
    if raw is not None and len(raw) > max_chars:
        _reject(key)
    value = where.text_input(label, value=default, max_chars=max_chars, key=key, help=help, bind="query-params")
    return value[:max_chars]


def number(
    label: str,
    key: str,
    lo: float,
    hi: float | None,
    default: float,
    step: float,
    *,
    fmt: str | None = None,
    help: str | None = None,
    where=st,
) -> float:
    """A float number input bound to ``?key=`` (finite, within [lo, hi]). ``hi=None`` sets no
    upper end: the browser then never shows its "enter a value between 0 and 1000000000000000"
    message, whose numbers Streamlit prints without separators."""
    _check_number(key, lo, math.inf if hi is None else hi)
    return _unsigned_zero(
        float(
            where.number_input(
                label,
                min_value=float(lo),
                max_value=None if hi is None else float(hi),
                value=float(default),
                step=float(step),
                format=fmt,
                key=key,
                help=help,
                bind="query-params",
            )
        )
    )


def integer(label: str, key: str, lo: int, hi: int, default: int, *, help: str | None = None, where=st) -> int:
    """An integer number input bound to ``?key=`` (``?seed=inf`` and ``?seed=2.5`` give the default)."""
    _check_number(key, lo, hi, integer=True)
    return int(where.number_input(label, lo, hi, default, 1, key=key, help=help, bind="query-params"))


#: Streamlit's own URL parameters (embedding), never pruned.
_STREAMLIT_PARAMS = {"embed", "embed_options"}
_OWNERS = "_link_param_owners"


def link_param(key: str, widget_prefix: str) -> None:
    """Declare ``?key=`` as carried by a helper rather than a bound widget (a table's
    ``?data=``): it stays in the link only in runs where a widget whose key starts with
    ``widget_prefix`` is on the page."""
    st.session_state.setdefault(_OWNERS, {})[key] = widget_prefix


def _rendered() -> tuple[Callable[[str], bool], list[str]]:
    """(is this widget key on the page in this run?, the session-state keys that are)."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return (lambda _k: True), []
    keys = ctx.shared.widget_user_keys_this_run
    return (lambda k: k in keys), [k for k in st.session_state if isinstance(k, str) and k in keys]


def prune_link() -> None:
    """Drop URL parameters that no longer apply: those of widgets not on the page in this
    run (switching Pricing from ``elasticity`` to ``data`` drops ``elasticity=``), tables
    whose editor is gone, and anything the app does not know. Call after every input."""
    on_page, drawn = _rendered()
    owners = st.session_state.get(_OWNERS, {})
    for key in list(st.query_params.keys()):
        if key in _STREAMLIT_PARAMS or on_page(key):
            continue
        if key in owners and any(k.startswith(owners[key]) for k in drawn):
            continue
        _reject(key)


def _reset() -> None:
    """Forget every input and every URL parameter: the page starts over from its defaults.

    Streamlit keeps the value of a keyed widget that is not on the page (the elasticity
    slider while the data model is shown), so every input's state is dropped, not only
    those drawn now; tables go back to their examples. Internal keys ("_…") stay.
    """
    for key in [k for k in st.session_state if isinstance(k, str) and not k.startswith("_")]:
        del st.session_state[key]
    for key in list(st.query_params.keys()):
        if key not in _STREAMLIT_PARAMS:
            _reject(key)


def share_url() -> str:
    """The page URL with every non-default input as a query parameter.

    ``st.context.url`` has no query string, so the bound widgets' values are added from
    ``st.query_params`` (which Streamlit keeps in sync with them). Call this after the
    page's inputs exist.
    """
    base = st.context.url or ""
    params = st.query_params.to_dict()
    return base + ("?" + urlencode(params) if params else "")


def share_line(*leaves_out: str) -> None:
    """'Share this scenario' with a copyable link that reproduces the page.

    ``leaves_out`` names what the link cannot carry (an uploaded table too big for a URL);
    the sentence then says so instead of promising an exact copy.
    """
    prune_link()
    url = share_url()
    missing = [s for s in leaves_out if s]
    if missing:
        st.caption(f"Share this scenario: this link reproduces what you see, except that {'; '.join(missing)}.")
    else:
        st.caption("Share this scenario: this link reproduces exactly what you see.")
    st.code(url or "(the link appears when the app runs in a browser)", language=None, wrap_lines=True)
    st.button(
        "Reset to defaults",
        key="reset_to_defaults",
        icon=":material/restart_alt:",
        help="Every input back to its default, and the link back to the plain page",
        on_click=_reset,
    )
