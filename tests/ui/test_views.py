"""The cached views of Pricing and Compounding (ui/pricing.py, ui/compounding.py): a view drawn
from the cache sends exactly what the first computation of it sent, and drawing never changes
the shared view."""

from __future__ import annotations

import pyarrow as pa
import pytest

from tests.pages.conftest import metrics, open_page
from ui import charts
from ui import compounding as compounding_view
from ui import pricing as pricing_view


def sent(at) -> tuple:
    """Everything the page sent that a view produces: the charts (spec text and dataset bytes),
    the metrics and the text elements."""
    drawn = [(c.proto.spec, [(d.name, d.data.data) for d in c.proto.datasets]) for c in at.get("vega_lite_chart")]
    words = [e.value for e in (*at.markdown, *at.caption, *at.info, *at.success, *at.warning)]
    return drawn, metrics(at), words


@pytest.mark.parametrize(
    ("page", "params", "cached"),
    [
        ("compounding", {"principal": "12345", "rate": "7.3", "target_years": "12"}, compounding_view.growth),
        ("compounding", {"principal": "12345", "rate": "7.3", "asset_growth": "0.7"}, compounding_view.sale),
        ("pricing", {"unit_cost": "27", "price": "61", "demand_slope": "9.5"}, pricing_view._view),
    ],
)
def test_a_cache_hit_sends_what_the_first_run_sent(page, params, cached):
    cached.clear()
    first = open_page(page, **params)  # computed: the cache was empty
    again = open_page(page, **params)  # another session, the same inputs: from the cache
    assert sent(first)[0], "the page drew no chart"
    assert sent(again) == sent(first)


def test_drawing_leaves_the_shared_view_as_it_was():
    compounding_view.growth.clear()
    open_page("compounding", principal="23456", rate="6.1")
    open_page("compounding", principal="23456", rate="6.1")  # drawn twice from one view
    v = compounding_view.growth(23456.0, 6.1, 10.0, "continuous", 0.0, "end", 0.0, 2.0, 10.0, "5, 7, 10", 0.0, 0.0)
    # Streamlit takes the datasets out of its copy of the spec; the cached spec keeps them.
    assert sorted(v.chart["datasets"])
    assert all(isinstance(b, bytes) for b in v.chart["datasets"].values())
    assert v.chart["vconcat"], "the cached spec lost its rows"


def test_frozen_datasets_are_the_tables_as_arrow_ipc():
    import pandas as pd

    df = pd.DataFrame({"t": [0.0, 1.0, 2.0], "v": [1.0, float("inf"), 3.0], "s": ["a", "a", "a"]})
    spec = charts.lines_chart(df, x="t", y="v", series="s", x_title="t", y_title="v")
    frozen = charts.frozen(spec)
    assert frozen.keys() == spec.keys()
    assert frozen["layer"] is spec["layer"]
    for name, table in spec["datasets"].items():
        back = pa.ipc.open_stream(frozen["datasets"][name]).read_all()
        assert back.schema == table.schema
        # the same values, NaN (the infinite value's gap) included
        assert back.to_pandas().equals(table.to_pandas())
    assert isinstance(spec["datasets"]["lines"], pa.Table), "freezing changed the spec it was given"
