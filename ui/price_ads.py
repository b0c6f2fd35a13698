"""The Price and ads page's cached work (app_pages/price-ads.py draws): the analysis and its three
charts' specs per set of inputs. Module-level, so the decorators run once per process rather than
on every rerun (issue 23)."""

from __future__ import annotations

import streamlit as st

from explain import price_ads as words
from optimizers import price_ads as pa
from ui import charts, charts2d
from ui.export import table_to_csv

__all__ = ["analyse", "drawn"]


@st.cache_data(max_entries=256, show_spinner=False)
def analyse(c: float, e: float, g: float, scale: float, fixed: float, price: float, ads: float) -> pa.PriceAdsResult:
    return pa.analyse(c, e, g, scale, fixed, price, ads)


@st.cache_data(max_entries=256, show_spinner=False)
def drawn(*inputs: float) -> tuple[dict, dict, dict, bytes]:
    """The three charts' specs and the sensitivity CSV, once per inputs."""
    r = analyse(*inputs)
    profit_map = charts2d.surface_map(
        r.grid, **words.contour(r), path=r.path.points, marks=[charts2d.Mark(*m) for m in words.marks(r)]
    )
    (price, ads), (best_price, best_ads) = words.slices(r), words.slice_markers(r)
    by_price = charts.stack(*charts.objective_chart(r.price_slice, **price, optimum=charts.Marker(*best_price)))
    by_ads = charts.stack(*charts.objective_chart(r.ad_slice, **ads, optimum=charts.Marker(*best_ads)))
    return profit_map, by_price, by_ads, table_to_csv(r.sensitivity.table())
