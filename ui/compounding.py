"""The Compounding page's work, cached per set of inputs: the analysis and everything drawn from it
(metrics, sentences, the chart's spec), so a slider moved back to a value it had is a lookup.

``st.cache_resource``, not ``st.cache_data``: the views are shared, never pickled or copied (a
cache_data read unpickled the analysis' frames on every rerun), and nothing downstream mutates them:
``charts.show`` copies the spec's top level and Streamlit copies it again before it edits it.
The charts' datasets are kept as Arrow IPC bytes (``charts.frozen``), serialised once per view. The
functions live in a module, not in the page script, so they are not re-created on every rerun.
Profile and measurements: docs/performance.md (issue 23).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from explain import compounding as words
from optimizers import compounding as cm
from ui import charts

__all__ = ["Growth", "Sale", "growth", "sale"]


@dataclass(frozen=True)
class Growth:
    """The growth section: the analysis, its words and its one chart."""

    result: cm.CompoundingResult
    metrics: tuple
    notes: str
    nothing_invested: str
    band_text: str
    band_warning: str
    target_text: str
    chart: dict
    comparison: str
    rates_warning: str


@dataclass(frozen=True)
class Sale:
    """The when-to-sell section: the analysis, its words and its chart (None when there is none)."""

    result: cm.SaleResult
    metrics: tuple
    info: str
    warning: str
    chart: dict | None
    gap: str
    x_title: str | None


@st.cache_resource(max_entries=128, show_spinner=False)
def growth(
    principal, rate, years, frequency, contribution, timing, inflation, multiple, target_years, rates, target, spread
):
    """Rates in percent as the sliders give them; a ValueError (a balance beyond anything
    representable) is raised, never cached."""
    g = cm.analyse(
        principal, rate / 100, years, frequency, contribution, timing, inflation / 100,
        target_multiple=multiple, target_years=target_years, rates=rates, target=target, rate_spread=spread / 100,
    )  # fmt: skip
    # One chart: the balance stacked by where it came from (principal at the bottom), the balance with
    # its range of rates and target (when asked for), and its growth rate.
    k = words.charts(g)
    balance = charts.lines_chart(g.parts, **k.balance)
    now = charts.Marker(g.years, g.value, k.now)
    top, marginal = charts.objective_chart(g.curve, **k.growth, current=now, current_slope=g.growth_per_year, **k.marks)
    band_text, band_warning = words.band_text(g)
    return Growth(
        result=g,
        metrics=tuple(words.metrics(g)),
        notes=words.notes(g),
        nothing_invested=words.nothing_invested(g),
        band_text=band_text,
        band_warning=band_warning,
        target_text=words.target_text(g),
        chart=charts.frozen(charts.stack(balance, *([top] if k.objective else []), marginal)),
        comparison=words.comparison(g),
        rates_warning=words.rates_warning(g),
    )


@st.cache_resource(max_entries=128, show_spinner=False)
def sale(principal, growth, rate) -> Sale:
    s = cm.sell(principal, growth, rate)
    info, warning = words.sale_notes(s)
    chart = None
    if s.report is not None:
        best = charts.Marker(s.report.optimum.x, 100 * s.report.rate, words.sale_marker(s))
        chart = charts.frozen(charts.lines_chart(s.report.rates, **words.sale_chart(s), optimum=best))
    return Sale(
        result=s,
        metrics=tuple(words.sale_metrics(s)),
        info=info,
        warning=warning,
        chart=chart,
        gap=words.sensitivity_gap(s),
        x_title=words.sensitivity_axis(s) if s.problem is not None else None,
    )
