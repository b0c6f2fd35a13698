"""Text that came from a visitor, made safe to show inside Streamlit markdown.

Alerts, captions and ``st.markdown`` render markdown: a URL value such as
``![](//example.org/x)`` would make every visitor's browser fetch an outside image, and
``[Log in](//example.org)`` would render a link. Everything a user typed or uploaded
(URL values, formulas, CSV headers and cells, file names), and every message that quotes
it, passes through :func:`explain.format.plain` before it reaches markdown; the wrappers
here show a whole message that way.
"""

from __future__ import annotations

import streamlit as st

from explain.format import MAX_SHOWN, plain, quote

__all__ = ["MAX_SHOWN", "error", "info", "plain", "quote", "warning"]


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
