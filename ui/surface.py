"""The surface page's cached work (app_pages/surface.py draws): sympy's derivatives of f and g,
every critical point in the box with the certificate, and a path, each in the worker pool under
the work budget. Module-level, so the decorators run once per process rather than on every rerun
(issue 23)."""

from __future__ import annotations

import streamlit as st

from optimizers import expression as ex
from optimizers import multivariate as mv
from optimizers import surface as sf
from runtime import budget
from runtime.symbolic import constraint_surface, prepare_xy
from ui import work

__all__ = ["analyse", "path", "plan", "symbolic"]


@st.cache_data(max_entries=256, show_spinner="Differentiating…")
def symbolic(text: str, constraint: bool = False):
    """sympy's work, cached on the text alone; a timeout or a busy server raises (not cached).
    (parsed, "") or (None, why the formula cannot be used)."""
    try:
        return (constraint_surface if constraint else prepare_xy)(text), ""
    except ex.ExpressionTimeout:
        raise
    except ex.ExpressionError as exc:
        return None, str(exc)


def plan(f: str, g: str) -> tuple[budget.Cost, budget.Cost]:
    """The work with the certificate and without it (each with a Newton path)."""
    parsed, parsed_g = symbolic(f)[0], symbolic(g, True)[0] if g else None
    path = sf.path_cost(parsed, "newton")
    return sf.cost(parsed, parsed_g) + path, sf.cost(parsed, parsed_g, certificate=False) + path


@st.cache_data(max_entries=128, show_spinner="Finding every critical point…")
def analyse(f: str, g: str, box: tuple, goal: str, certificate: bool):
    parsed, parsed_g = symbolic(f)[0], symbolic(g, True)[0] if g else None
    cost = sf.cost(parsed, parsed_g, certificate=certificate)
    r = work.in_pool(sf.analyse, f, *box, goal, g or None, certificate=certificate, parsed=parsed, parsed_g=parsed_g, cost=cost)  # fmt: skip
    return r, sf.constraint_curve(parsed_g, box) if parsed_g is not None and r.constraint is not None else None


@st.cache_data(max_entries=256, show_spinner=False)
def path(f: str, box: tuple, start: tuple, goal: str, method: str) -> mv.Path:
    parsed = symbolic(f)[0]
    return work.in_pool(sf.path, parsed, box, start, goal, method, cost=sf.path_cost(parsed, method))
