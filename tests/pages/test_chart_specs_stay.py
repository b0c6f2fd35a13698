"""A slider step swaps a chart's data, never its spec (issue 23).

The browser compiles a new Vega view whenever a chart's spec text changes, and ui/charts.py
builds a spec once per shape (titles, formats, which layers): a number in a title or a legend
made a new shape on every step (Price and ads' slices ~1 s of Altair per new input, Fuel's
distance, the finder's suggestions in its legend). Here every slider of the pages with slider
steps moves one step from the page's defaults, and each chart's spec must come back
byte-identical; only its named datasets may change. A slider that changes which layers exist
(compounding's rate spread adds the comparison; the finder's width, layers or number of runs can
add a "steepest" rule)
is a new shape by design and is not listed.
"""

import pytest

from tests.pages.conftest import open_page

SLIDERS = {
    "pricing": ("price", "unit_cost", "fixed_cost", "demand_intercept", "demand_slope"),
    "study": ("hours", "max_score", "k", "fatigue", "max_hours"),
    "fuel": ("speed", "speed_limit", "fuel_price", "distance", "time_value", "drag", "idle"),
    "compounding": ("rate", "asset_growth"),  # inflation and the targets move words only
    "lr-finder": ("momentum", "num_it", "gd_rate"),
    "price-ads": ("price", "ad_spend", "unit_cost", "price_elasticity", "ad_elasticity", "fixed_cost"),
}


def specs(at) -> list[str]:
    return [chart.proto.spec for chart in at.get("vega_lite_chart")]


def datasets(at) -> list[bytes]:
    return [d.data.data for chart in at.get("vega_lite_chart") for d in chart.proto.datasets]


@pytest.mark.parametrize("page", sorted(SLIDERS))
def test_a_slider_step_keeps_every_chart_spec(page):
    at = open_page(page)
    before = specs(at)
    assert before, "the page draws no chart"
    for key in SLIDERS[page]:  # one step from the defaults, then back
        (slider,) = [s for s in at.slider if s.key == key]
        start = slider.value
        value = start + slider.step if start + slider.step <= slider.max else start - slider.step
        data = datasets(at)
        for moved in (value, start):
            (slider,) = [s for s in at.slider if s.key == key]
            slider.set_value(moved)
            at.run()
            assert not at.exception, [e.value for e in at.exception]
            assert specs(at) == before, f"{page}: moving {key} to {moved} changed a chart's spec"
            if moved == value:
                assert datasets(at) != data, f"{page}: moving {key} changed no chart's data (the check saw nothing)"
