"""The cached views of Pricing and Compounding (ui/pricing.py, ui/compounding.py): a view drawn
from the cache sends exactly what the first computation of it sent, and drawing never changes
the shared view."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest

from optimizers import compounding as cm
from optimizers import pricing as pr
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


@pytest.fixture
def computed(monkeypatch):
    """Counts of the analyses the views run (a cache hit runs none)."""
    counts = {"growth": 0, "sale": 0, "pricing": 0}

    def counting(name, module, attr):
        real = getattr(module, attr)

        def wrapper(*args, **kwargs):
            counts[name] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, attr, wrapper)

    counting("growth", cm, "analyse")
    counting("sale", cm, "sell")
    counting("pricing", pr, "analyse")
    return counts


@pytest.mark.parametrize(
    ("page", "params", "cached", "name"),
    [
        ("compounding", {"principal": "12345", "rate": "7.3", "target_years": "12"}, compounding_view.growth, "growth"),
        ("compounding", {"principal": "12345", "rate": "7.3", "asset_growth": "0.7"}, compounding_view.sale, "sale"),
        ("pricing", {"unit_cost": "27", "price": "61", "demand_slope": "9.5"}, pricing_view._view, "pricing"),
    ],
)
def test_a_cache_hit_sends_what_the_first_run_sent(page, params, cached, name, computed):
    cached.clear()
    first = open_page(page, **params)  # computed: the cache was empty
    assert computed[name] == 1, "the page did not compute its view once"
    again = open_page(page, **params)  # another session, the same inputs: from the cache
    assert computed[name] == 1, "the second session's view was computed again, not read from the cache"
    assert sent(first)[0], "the page drew no chart"
    assert sent(again) == sent(first)


def snapshot(spec: dict) -> tuple[str, dict]:
    """The spec as text (without its datasets) and its datasets' bytes."""
    rest = {k: v for k, v in spec.items() if k != "datasets"}
    return json.dumps(rest, sort_keys=True), dict(spec["datasets"])


def test_drawing_leaves_the_shared_view_as_it_was(computed):
    compounding_view.growth.clear()
    open_page("compounding", principal="23456", rate="6.1")
    args = (23456.0, 6.1, 10.0, "continuous", 0.0, "end", 0.0, 2.0, 10.0, "5, 7, 10", 0.0, 0.0)
    v = compounding_view.growth(*args)
    assert computed["growth"] == 1, "these are not the arguments the page passed: the view was computed again"
    before = snapshot(v.chart)
    assert before[1], "the cached chart has no datasets"
    assert all(isinstance(b, bytes) for b in before[1].values())
    open_page("compounding", principal="23456", rate="6.1")  # drawn again, from the same view
    assert compounding_view.growth(*args) is v
    assert computed["growth"] == 1
    # Streamlit takes the datasets out of its own copy of the spec; the shared one is untouched,
    # and it is what a view computed afresh and never drawn holds (a change made by the first
    # drawing would be in both snapshots above).
    assert snapshot(v.chart) == before
    assert snapshot(compounding_view.growth.__wrapped__(*args).chart) == before


def test_frozen_datasets_are_the_tables_as_arrow_ipc():
    import pandas as pd
    from streamlit.dataframe_util import convert_anything_to_arrow_bytes

    df = pd.DataFrame({"t": [0.0, 1.0, 2.0], "v": [1.0, float("inf"), 3.0], "s": ["a", "a", "a"]})
    spec = charts.lines_chart(df, x="t", y="v", series="s", x_title="t", y_title="v")
    frozen = charts.frozen(spec)
    assert frozen.keys() == spec.keys()
    assert frozen["layer"] is spec["layer"]
    for name, table in spec["datasets"].items():
        # what Streamlit itself would have sent for the table, and the same values back
        assert frozen["datasets"][name] == convert_anything_to_arrow_bytes(table)
        back = pa.ipc.open_stream(frozen["datasets"][name]).read_all()
        assert back.schema == table.schema
        assert back.to_pandas().equals(table.to_pandas())  # NaN (the infinite value's gap) included
    assert isinstance(spec["datasets"]["lines"], pa.Table), "freezing changed the spec it was given"
