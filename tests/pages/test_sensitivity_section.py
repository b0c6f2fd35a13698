"""The "What moves the optimum" envelope chart on every decision page (issue 13).

The chart is drawn when a visitor picks an input (``?sweep=<input>``): the best choice as that
input moves over its slider's range, with the current value marked where the page's own
optimum is. At the defaults no input is picked and no envelope chart is drawn.
"""

import json

import pyarrow as pa
import pytest

from optimizers.sensitivity import COLUMNS
from tests.pages.conftest import open_page, sensitivity_table

#: page, extra URL parameters, the input to sweep, the chart's title and its x axis (with the unit)
CASES = [
    ("pricing", {}, "unit_cost", "The best price as unit cost varies", "unit cost ($ per unit)"),
    (
        "study",
        {"fatigue": "3"},
        "k",
        "The best study time as how fast returns fade (k) varies",
        "how fast returns fade (k) (per hour)",
    ),
    ("fuel", {}, "drag", "The best trip speed as drag a varies", "drag a (gal/h per mph²)"),
    ("compounding", {}, "asset_growth", "The best time to sell as asset growth g varies", "asset growth g (per √year)"),
    ("custom", {"f": "x**2-a*x", "a": "3"}, "a", "The best x as a varies", "a"),
]


def envelope_charts(at) -> list[tuple[dict, dict[str, list[dict]]]]:
    """(spec, rows of each named dataset) of every chart titled "The best … as … varies"."""
    out = []
    for c in at.get("vega_lite_chart"):
        spec = json.loads(c.proto.spec)
        if "varies" not in json.dumps(spec.get("title", "")):
            continue
        data = {d.name: pa.ipc.open_stream(d.data.data).read_all().to_pylist() for d in c.proto.datasets}
        out.append((spec, data))
    return out


@pytest.mark.parametrize(("page", "params", "name", "title", "axis"), CASES, ids=[c[0] for c in CASES])
def test_no_envelope_chart_until_an_input_is_picked(page, params, name, title, axis):
    at = open_page(page, **params)
    sweep = next(s for s in at.selectbox if s.key == "sweep")
    assert sweep.value == "none"
    assert sweep.options[0] == "none"
    assert name in sweep.options
    assert envelope_charts(at) == []


@pytest.mark.parametrize(("page", "params", "name", "title", "axis"), CASES, ids=[c[0] for c in CASES])
def test_the_envelope_of_optima_marks_the_current_value(page, params, name, title, axis):
    at = open_page(page, **params, sweep=name)
    table = sensitivity_table(at).set_index("parameter")
    assert list(table.reset_index().columns) == COLUMNS
    (spec, data), *others = envelope_charts(at)
    assert others == []
    text = spec["title"]["text"]
    assert (" ".join(text) if isinstance(text, list) else text) == title
    assert spec["layer"][0]["encoding"]["x"]["axis"]["title"] == axis
    curve = data["lines"]
    values = [r["value"] for r in curve]
    assert len(values) >= 20
    assert values == sorted(values)
    now = [r for r in data["marks"] if r.get("role") == "optimum"]
    assert len(now) == 1
    current = table.loc[name, "value"]
    assert now[0]["x"] == pytest.approx(current, rel=1e-12)
    assert min(values) <= current <= max(values)
    # the marked optimum lies on the envelope: the curve's neighbours of the current value bracket it
    below = max((r for r in curve if r["value"] <= current), key=lambda r: r["value"])
    above = min((r for r in curve if r["value"] >= current), key=lambda r: r["value"])
    lo, hi = sorted((below["optimum"], above["optimum"]))
    assert lo - 1e-9 * abs(hi) <= now[0]["y"] <= hi + 1e-9 * abs(hi)
    # and it moves as the table says: the envelope's slope at the current value is dx*/dθ
    if above["value"] > below["value"]:
        slope = (above["optimum"] - below["optimum"]) / (above["value"] - below["value"])
        assert slope == pytest.approx(table.loc[name, "optimum_change_per_unit"], rel=0.05, abs=1e-9)


def test_an_unknown_sweep_value_draws_no_chart():
    at = open_page("pricing", sweep="<img src=x>")
    assert not at.exception
    assert envelope_charts(at) == []
