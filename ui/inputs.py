"""Inputs bound to the URL: the key of each widget is its URL parameter, so the address
bar is always a link that reproduces what the user sees. Streamlit drops values that
are out of range or of the wrong type and falls back to the default."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from urllib.parse import urlencode

import streamlit as st

__all__ = ["int_slider", "log_slider", "select", "share_line", "share_url", "slider", "text"]


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
    return float(
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
    so a format_func would break the documented URL values.
    """
    if horizontal:
        return where.segmented_control(
            label,
            options=list(options),
            default=default,
            key=key,
            help=help,
            bind="query-params",
            required=True,
        )
    return where.selectbox(
        label,
        options=list(options),
        index=list(options).index(default),
        key=key,
        help=help,
        bind="query-params",
    )


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
    """A text input bound to ``?key=``."""
    return where.text_input(label, value=default, max_chars=max_chars, key=key, help=help, bind="query-params")


def share_url() -> str:
    """The page URL with every non-default input as a query parameter.

    ``st.context.url`` has no query string, so the bound widgets' values are added from
    ``st.query_params`` (which Streamlit keeps in sync with them). Call this after the
    page's inputs exist.
    """
    base = st.context.url or ""
    params = st.query_params.to_dict()
    return base + ("?" + urlencode(params) if params else "")


def share_line() -> None:
    """'Share this scenario' with a copyable link that reproduces the page."""
    url = share_url()
    st.caption("Share this scenario: this link reproduces exactly what you see.")
    st.code(url or "(the link appears when the app runs in a browser)", language=None, wrap_lines=True)
