"""The Pricing page's work for a demand model, cached per set of inputs: the analysis and what is
drawn from it (metrics, the answer's boxes, the chart's spec), so a slider moved back to a value it
had is a lookup. Your own sales (the bootstrap band under the curve) are drawn by the page.

As ui/compounding.py: ``st.cache_resource`` (shared, never pickled; nothing downstream mutates a
view), charts kept as Arrow IPC bytes (``charts.frozen``), and the model's fields as the key (a
dataclass argument is deep-copied by Streamlit's hasher). docs/performance.md (issue 23).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import streamlit as st

from explain import pricing as ex
from optimizers import pricing as pr
from ui import charts

__all__ = ["View", "marker", "view"]


@dataclass(frozen=True)
class View:
    """The answer for one model and one set of sliders."""

    result: pr.PricingResult
    metrics: tuple
    answer: tuple
    target_text: str
    chart: dict


def marker(point) -> charts.Marker | None:
    return charts.Marker(*point) if point else None


def view(model: pr.DemandModel, cost: float, price: float, fixed: float, target: float) -> View:
    return _view(dataclasses.astuple(model), model, cost, price, fixed, target)


@st.cache_resource(max_entries=256, show_spinner=False)
def _view(key: tuple, _model: pr.DemandModel, cost: float, price: float, fixed: float, target: float) -> View:
    r = pr.analyse(_model, cost, price, fixed, target=target)
    best, you = ex.markers(r)
    profit_and_marginal = charts.objective_chart(
        r.curve, **ex.CHART, optimum=marker(best), current=marker(you), current_slope=r.marginal_at_price,
        **ex.goal_marks(r),
    )  # fmt: skip
    return View(
        result=r,
        metrics=tuple(ex.metrics(r)),
        answer=tuple(ex.answer(r)),
        target_text=ex.target_text(r),
        chart=charts.frozen(charts.stack(*profit_and_marginal)),
    )
