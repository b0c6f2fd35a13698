"""The derivative lab's cached work (app_pages/lab.py draws): sympy's derivatives of the formula,
and the lab's numbers at x in the worker pool. Module-level, so the decorators run once per
process rather than on every rerun (issue 23)."""

from __future__ import annotations

import streamlit as st

from optimizers import difflab as lab
from optimizers import expression as ex
from optimizers.cost import Cost
from runtime.symbolic import prepare
from ui import work

__all__ = ["examine", "symbolic"]


@st.cache_data(max_entries=64, show_spinner="Differentiating…")
def symbolic(text: str):
    """sympy's work, cached on the formula alone: moving x never repeats it. (parsed, "") or
    (None, why the formula cannot be used)."""
    try:
        return prepare(text), ""
    except ex.ExpressionTimeout:
        raise  # may work on a quieter server: never cached
    except ex.ExpressionError as exc:
        return None, str(exc)


@st.cache_data(max_entries=64, show_spinner=False)
def examine(text: str, x: float) -> lab.LabReport:
    """The lab's numbers at x, in the pool: mpmath (f′ where floats cannot hold it) can be slow."""
    return work.in_pool(lab.analyse, symbolic(text)[0], x, cost=Cost(0.5, "symbolic"))
