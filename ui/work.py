"""Heavy work from a page: budget first, then the shared worker pool, stopped when the
visitor leaves or moves a slider again.

    cost = lf.range_test_cost(...)                         # optimizers estimates it
    result = work.attempt(compute, data, cost=cost, ...)   # or an error on the page + st.stop()

``compute`` is usually an ``st.cache_data`` function that calls :func:`in_pool`. Streamlit
never caches an exception, so refusals, time-outs and cancellations are not remembered:
only successes are, and a link that timed out under load works again on an idle server.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from explain.work import too_much
from optimizers.expression import ExpressionTimeout
from runtime import budget
from runtime.workpool import Busy, Cancelled, WorkTimeout, default_pool
from ui import safe

__all__ = ["attempt", "cancel_check", "in_pool", "refusal", "warm_pool"]


@st.cache_resource(show_spinner=False)
def warm_pool() -> bool:
    """Start the shared pool's workers once per server process, in a background thread, so
    the first heavy request does not pay for importing numpy, scipy and sympy."""
    threading.Thread(target=default_pool().warm, name="warm-work-pool", daemon=True).start()
    return True


def cancel_check() -> Callable[[], bool]:
    """A callable that turns true when the current script run is no longer wanted: the
    visitor's browser disconnected, or Streamlit was asked to stop or rerun this session."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return lambda: False
    session_id, requests = ctx.session_id, ctx.script_requests

    def cancelled() -> bool:
        # ScriptRequests has no public accessor for its state; read it defensively.
        state = getattr(getattr(requests, "_state", None), "value", "CONTINUE")
        if state != "CONTINUE":
            return True
        return Runtime.exists() and not Runtime.instance().is_active_session(session_id)

    return cancelled


def refusal(*costs: budget.Cost) -> str | None:
    """Why ``costs`` together do not fit in one update, in words; None when they fit."""
    try:
        budget.check(*costs)
    except budget.BudgetExceeded as exc:
        return too_much(exc.cost, exc.cap)
    return None


def in_pool(fn: Callable, *args, cost: budget.Cost, **kwargs):
    """``fn(*args, **kwargs)`` in the shared pool, with a time limit from ``cost``.

    Raises the pool's Busy / WorkTimeout / Cancelled, or whatever ``fn`` raised.
    """
    return default_pool().run(fn, *args, timeout=budget.timeout_for(cost), cancelled=cancel_check(), **kwargs)


def attempt(fn: Callable, *args, cost: budget.Cost | None = None, where=st, **kwargs):
    """Check the budget, then call ``fn``; on a refusal show why and stop the page.

    ``fn`` runs in this thread (it is typically cached and calls :func:`in_pool`).
    """
    try:
        if cost is not None:
            budget.check(cost)
        return fn(*args, **kwargs)
    except budget.BudgetExceeded as exc:
        where.error(f"Too much work for one update. {too_much(exc.cost, exc.cap)}", icon=":material/speed:")
    except Busy:
        where.warning(
            "The server is busy with other visitors' heavy computations. Try again in a few seconds.",
            icon=":material/hourglass_top:",
        )
    except (WorkTimeout, TimeoutError, ExpressionTimeout) as exc:
        where.error(
            f"This computation took too long and was stopped ({safe.plain(exc)}). Lower the settings and try again.",
            icon=":material/timer_off:",
        )
    except Cancelled:
        pass  # the visitor left or asked for something else: nothing to show
    st.stop()
