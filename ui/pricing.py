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
from optimizers import uncertainty as un
from ui import charts, work

__all__ = ["View", "analyse_sales", "interval", "profit_chart", "view"]


@dataclass(frozen=True)
class View:
    """The answer for one model and one set of sliders."""

    result: pr.PricingResult
    metrics: tuple
    answer: tuple
    target_text: str
    chart: dict


# Your own sales: module-level, so the cached functions are not re-created on every rerun (their
# decorators ran per rerun in the page script: 4% of a loaded Pricing rerun).
@st.cache_data(max_entries=64, show_spinner=False)
def analyse_sales(table, cost: float, price: float, fixed: float, target: float) -> pr.SalesResult:
    return pr.analyse_sales(table, cost, price, fixed, target)


@st.cache_data(max_entries=64, show_spinner="Resampling your weeks…")
def interval(table, fit: str, cost: float, fixed: float, prices: tuple, _fits: pr.SalesFits, _work):
    """The bootstrap (in the worker pool) and its band under the profit curve, cached on what
    moves them: your price does not (the band's quantiles alone took ~40 ms a rerun)."""
    boot = work.in_pool(un.price_interval, _fits, cost, fit, fixed, cost=_work)
    return boot, boot.envelope(prices).frame()


def _marker(point) -> charts.Marker | None:
    return charts.Marker(*point) if point else None


def profit_chart(r: pr.PricingResult, band=None) -> tuple[charts.Spec, charts.Spec]:
    """The profit curve (with the best price, your price and its tangent, the target, and the
    bootstrap ``band`` when there is one) above its marginal: two rows for ``charts.stack``."""
    best, you = ex.markers(r)
    return charts.objective_chart(
        r.curve, **ex.CHART, optimum=_marker(best), current=_marker(you), current_slope=r.marginal_at_price,
        band=band, **ex.goal_marks(r),
    )  # fmt: skip


def view(model: pr.DemandModel, cost: float, price: float, fixed: float, target: float) -> View:
    return _view(dataclasses.astuple(model), model, cost, price, fixed, target)


@st.cache_resource(max_entries=256, show_spinner=False)
def _view(key: tuple, _model: pr.DemandModel, cost: float, price: float, fixed: float, target: float) -> View:
    r = pr.analyse(_model, cost, price, fixed, target=target)
    return View(
        result=r,
        metrics=tuple(ex.metrics(r)),
        answer=tuple(ex.answer(r)),
        target_text=ex.target_text(r),
        chart=charts.frozen(charts.stack(*profit_chart(r))),
    )
