"""The custom page's work, cached: sympy's derivatives and limits, the engine's analysis and the
interval certificate, each in the worker pool under the work budget (app_pages/custom.py draws)."""

from __future__ import annotations

import streamlit as st

from explain import custom as ec
from optimizers import certify
from optimizers import custom as cf
from optimizers import expression as ex
from optimizers.cost import Cost
from runtime import budget
from runtime import symbolic as sy
from runtime.workpool import Busy, Cancelled, WorkTimeout
from ui import work

__all__ = ["ANALYSIS", "certificate", "removable", "solve", "symbolic", "tutorial_agrees"]

# The grid scan on one interval takes up to ~2 CPU-seconds for a long, oscillating formula: in the
# worker pool, not in the server's process, whose GIL every visitor's rerun needs (bench/load.py --heavy).
ANALYSIS = Cost(1.0, "analysis", ("interval", "f"))


@st.cache_data(max_entries=256, show_spinner="Differentiating…")
def symbolic(text: str):
    """sympy's work, cached on the formula alone: moving lo, hi, a or the goal never repeats it."""
    try:
        return sy.prepare(text, parameter=True), ""
    except ex.ExpressionTimeout:
        raise  # may work on a quieter server: never cached
    except ex.ExpressionError as exc:
        return None, str(exc)


@st.cache_data(max_entries=256, show_spinner="Taking limits…")
def limits(text: str, lo: float, hi: float, a: float) -> tuple:
    """sympy's limits where f is undefined on [lo, hi], in the pool; running out of time raises (not cached)."""
    parsed = symbolic(text)[0]
    found = sy.limits(parsed, cf.holes(parsed, lo, hi, a), lo, hi, a, cancelled=work.cancel_check())
    if found is None:
        raise TimeoutError("limits")
    return found


def removable(text: str, lo: float, hi: float, a: float) -> tuple:
    try:
        return limits(text, lo, hi, a)
    except TimeoutError:  # sympy ran out of time: no limits this run (a quieter server may find them)
        return ()


@st.cache_data(max_entries=256, show_spinner=False)
def solve(text: str, lo: float, hi: float, goal: str, a: float | None, found: tuple):
    parsed, _ = symbolic(text)
    return work.in_pool(cf.analyse, parsed, lo, hi, goal, 1.0 if a is None else a, limits=found, cost=ANALYSIS)


@st.cache_data(max_entries=64, show_spinner="Certifying the global optimum…")
def certified(text: str, lo: float, hi: float, goal: str, a: float | None, found: tuple):
    """The interval search in the pool; a refusal is returned (and cached), a failure to finish raises."""
    parsed, r = symbolic(text)[0], solve(text, lo, hi, goal, a, found)
    try:
        cost, cells = certify.certify_cost(parsed)
        budget.check(cost)
        wall = budget.timeout_for(cost) - 0.5  # report what was proved before the pool stops it
        args = (parsed, lo, hi, goal, *cf.certification_inputs(r))
        return work.in_pool(
            certify.certify, *args, max_cells=cells, wall_seconds=wall, a=a, limits=r.limit_points, cost=cost
        )
    except certify.NotCertifiable as exc:
        return exc


@st.cache_data(max_entries=32, show_spinner=False)
def _agrees(text: str, claimed: str) -> bool:
    same = sy.derivative_matches(text, claimed)
    if same is None:
        raise Busy("could not check")  # not cached: a quieter server can check it
    return same


def tutorial_agrees(text: str, claimed: str) -> bool | None:
    """Does sympy's derivative of a preset equal the one the tutorial wrote? None when the
    server could not check it now (busy, or the visitor moved on)."""
    try:
        return _agrees(text, claimed)
    except (Busy, Cancelled):
        return None


def certificate(text: str, lo: float, hi: float, goal: str, a: float | None, found: tuple, r) -> tuple:
    """(certificate or NotCertifiable or None, why it is missing: a sentence or "")."""
    cert, why = None, ""
    if r.optimum is not None and not r.optimum.flat:
        try:
            cert = certified(text, lo, hi, goal, a, found)
        except budget.BudgetExceeded as exc:
            why = work.refusal(exc.cost) or str(exc)
        except Busy:
            why = ec.BUSY
        except (WorkTimeout, TimeoutError):
            why = ec.TIMEOUT
        except Cancelled:
            st.stop()
    return cert, why
