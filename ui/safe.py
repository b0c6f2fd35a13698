"""Text that came from a visitor, made safe to show inside Streamlit markdown.

Alerts, captions and ``st.markdown`` render markdown: a URL value such as
``![](//example.org/x)`` would make every visitor's browser fetch an outside image, and
``[Log in](//example.org)`` would render a link. Everything a user typed or uploaded
(URL values, formulas, CSV headers and cells, file names), and every message that quotes
it, passes through :func:`plain` before it reaches markdown. :func:`plain` backslash-escapes
every ASCII punctuation character (CommonMark renders an escaped character literally, and
this also defeats Streamlit's ``:color[...]`` and ``:material/...:`` directives, ``$``
math, HTML entities and bare-URL autolinks), puts a line on one line, and bounds its length.
"""

from __future__ import annotations

import re

import streamlit as st

__all__ = ["MAX_SHOWN", "error", "info", "plain", "quote", "warning"]

#: Longest piece of user text shown in a message (the rest is cut with "…").
MAX_SHOWN = 120
_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
_SPACE = re.compile(r"\s+")


def plain(text: object, max_chars: int | None = MAX_SHOWN) -> str:
    """``text`` escaped so that markdown shows it literally, on one line, cut to ``max_chars``.

    >>> plain("![](//example.org/x)")
    '\\\\!\\\\[\\\\]\\\\(\\\\/\\\\/example\\\\.org\\\\/x\\\\)'
    >>> plain("a\\nb  c"), plain("x" * 5, max_chars=3)
    ('a b c', 'xxx…')
    """
    s = _SPACE.sub(" ", str(text)).strip()
    if max_chars is not None and len(s) > max_chars:
        s = s[:max_chars] + "…"
    return _PUNCT.sub(r"\\\1", s)


def quote(text: object, max_chars: int | None = MAX_SHOWN) -> str:
    """User text shown in typographic quotes: “…”.

    >>> quote("[x](y)")
    '“\\\\[x\\\\]\\\\(y\\\\)”'
    """
    return f"“{plain(text, max_chars)}”"


#: Longest whole message shown (messages quote user text, which is cut long before this).
MAX_MESSAGE = 600


def error(message: object, *, where=st, **kwargs) -> None:
    """``st.error`` of a message that may quote user text: the whole message is shown literally."""
    where.error(plain(message, max_chars=MAX_MESSAGE), **kwargs)


def warning(message: object, *, where=st, **kwargs) -> None:
    """``st.warning`` of a message that may quote user text, shown literally."""
    where.warning(plain(message, max_chars=MAX_MESSAGE), **kwargs)


def info(message: object, *, where=st, **kwargs) -> None:
    """``st.info`` of a message that may quote user text, shown literally."""
    where.info(plain(message, max_chars=MAX_MESSAGE), **kwargs)
