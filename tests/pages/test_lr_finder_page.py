"""The learning-rate finder page in AppTest."""

import json
import time
from pathlib import Path

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from optimizers import lr_finder as lf
from runtime import budget
from runtime.workpool import default_pool
from tests.pages.conftest import metrics, open_page, shown

ROOT = Path(__file__).resolve().parents[2]


def specs(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def test_defaults():
    at = open_page("lr-finder")
    m = metrics(at)
    assert m["Suggested learning rate"] not in ("none", "")
    assert 1e-3 < float(m["Suggested learning rate"]) < 1.0
    assert m["Spread across seeds"].endswith("decades")
    assert "oscillates but converges" in at.success[0].value
    assert "below 1e-6 passes" in " ".join(c.value for c in at.caption)
    sweep = next(md.value for md in at.markdown if md.value.startswith("A fresh network trained"))
    distance = float(sweep.split(" is ")[-1].split(" decades")[0])
    assert distance <= 0.5  # the suggestion lands near the best fixed rate


def legend_entries(at) -> list[str]:
    """The range test's legend as drawn: each name of the colour scale, or, for a rule, the
    label its marks row carries (the legend's labelExpr looks it up by name, so the rates are
    data and the spec stays the same between steps; the browser test checks the drawn text)."""
    chart = at.get("vega_lite_chart")[0]
    color = json.loads(chart.proto.spec)["layer"][0]["encoding"]["color"]
    names = color["scale"]["domain"]
    (marks,) = [d for d in chart.proto.datasets if d.name.startswith("marks")]
    assert f"data('{marks.name}')" in color["legend"]["labelExpr"]  # the labels drawn are these
    rows = pa.ipc.open_stream(marks.data.data).read_all().to_pylist()
    labels = {row["curve"]: row["label"] for row in rows}
    return [labels.get(name, name) for name in names]


def test_every_metric_agrees_with_its_marker():
    at = open_page("lr-finder")
    m = metrics(at)
    legend = legend_entries(at)
    for rule, label in (("minimum/10", "Suggested learning rate"), ("valley", "valley"), ("steepest", "steepest")):
        if m[label] == "none":
            assert not any(name.startswith(rule + ":") for name in legend)
        else:
            assert f"{rule}: {m[label]}" in legend


def test_marker_labels_live_in_the_legend():
    """No text marks on the range-test chart: the suggestions are named in a legend with one
    entry per row, so labels cannot overlap each other or run off a phone screen."""
    spec = specs(open_page("lr-finder"))[0]
    assert all(layer["mark"]["type"] != "text" for layer in spec["layer"])
    assert spec["layer"][0]["encoding"]["color"]["legend"]["columns"] == 1


def test_url_values_and_the_gd_lesson():
    at = open_page("lr-finder", gd_rate="1.1", dataset="moons", runs="1")
    assert "diverges" in shown(at.error[0].value)
    assert "2/C'' = 1" in shown(at.error[0].value)
    assert "would need negative ad spend" in " ".join(c.value for c in at.caption)
    charts = at.get("vega_lite_chart")
    path = next(json.loads(c.proto.spec) for c in charts if "segments" in {d.name for d in c.proto.datasets})
    assert path["layer"][0]["encoding"]["x"]["scale"]["domain"][0] == 0.0  # the x axis starts at 0
    at = open_page("lr-finder", end_lr="1e-02", momentum="0.0")  # stops long before the loss turns up
    assert "still falling" in shown(at.warning[0].value)
    # Issue 19: where the range test cannot tell, the page says so and suggests the check's best
    # rate (it said "none" before).
    assert "The range test cannot tell here" in shown(at.warning[1].value)
    assert metrics(at)["Suggested learning rate"] != "none"


def test_adam():
    at = open_page("lr-finder", optimizer="adam", activation="gelu", dataset="moons")
    assert 1e-4 < float(metrics(at)["Suggested learning rate"]) < 1.0


@pytest.mark.parametrize(
    "params",
    [
        {"hidden": "-3"},
        {"activation": "swish"},
        {"activation": ""},
        {"start_lr": "abc"},
        {"runs": "99"},
        {"seed": "inf"},
    ],
)
def test_junk_url_values_fall_back(params):
    assert metrics(open_page("lr-finder", **params))["Suggested learning rate"] != "none"


def test_bad_csv_gives_a_message():
    at = open_page("lr-finder", dataset="csv")
    assert "Upload a CSV" in shown(at.info[0].value)
    at.file_uploader(key="nn_upload").set_value(("d.csv", b"a,b\n1,2\n", "text/csv")).run()
    assert "needs a 'label' column" in shown(at.error[0].value)


@pytest.mark.load
def test_the_heaviest_link_is_refused_before_any_work():
    """Every slider at its maximum (the issue's link took 134 s): refused, naming what to
    lower, without sending anything to the worker pool."""
    heavy = {"hidden": "128", "layers": "8", "batch_size": "256", "num_it": "500", "runs": "7"}
    before = default_pool().stats()
    t0 = time.perf_counter()
    at = open_page("lr-finder", **heavy)
    wall = time.perf_counter() - t0
    after = default_pool().stats()
    message = shown(at.error[0].value)
    assert "Too much work for one update" in message
    assert "Lower the runs, iterations, width, depth or batch size" in message
    assert (after.completed, after.timed_out) == (before.completed, before.timed_out)
    assert wall < 2 * budget.CAP_SECONDS  # the page itself, not the work, measured


@pytest.mark.parametrize("params", [{"layers": "2"}, {"layers": "4", "hidden": "64"}])
def test_the_issues_links_run_to_a_result(params):
    """Issue 19: refused before ("about 2.2 CPU-seconds", "9.0"); now computed, within the
    update or as a background job."""
    at = open_page("lr-finder", **params)
    assert not at.error, [e.value for e in at.error]
    assert 1e-3 < float(metrics(at)["Suggested learning rate"]) < 10
    assert any(md.value.startswith("A fresh network trained") for md in at.markdown)


def test_sigmoid_gets_a_rate_that_trains():
    """Issue 19: the range test's 1.45e-02 trains sigmoid on the spirals to chance; the page says
    the range test cannot tell here and suggests the check's best rate."""
    at = open_page("lr-finder", activation="sigmoid")
    assert metrics(at)["Suggested learning rate"] == "1.00e+00"
    verdict = " ".join(shown(w.value) for w in at.warning)
    assert "The range test cannot tell here" in verdict
    assert "1.45e−02, trains to 50.8% accuracy in 200 steps" in verdict
    assert "the best fixed rate, 1.00e+00, to 84.4%" in verdict


@pytest.mark.load
def test_the_old_heavy_link_runs_in_the_background():
    """The link of issue 10 (134 s before the budget, then refused) is a background job now:
    estimated under the background cap, computed in the pool, shown."""
    cost = lf.analyse_cost(7, 500, 128, 2, 256, activation="relu")
    assert budget.mode(cost) is budget.Mode.BACKGROUND
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=4 * budget.timeout_for(cost))
    at.switch_page("app_pages/lr-finder.py")
    for key, value in {"hidden": "128", "layers": "2", "batch_size": "256", "num_it": "500", "runs": "7"}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert metrics(at)["Suggested learning rate"]


@pytest.mark.load
def test_a_link_just_under_the_cap_finishes_inside_it():
    """The most expensive range test that the budget allows at the default network runs to
    the end, and its measured CPU time is below its estimate."""
    net = (lf.DEFAULTS["hidden"], lf.DEFAULTS["layers"], lf.DEFAULTS["batch_size"])
    runs, num_it = 7, 500
    while lf.analyse_cost(runs, num_it, *net).seconds > budget.CAP_SECONDS:
        num_it -= 10
    before = time.process_time()
    t0 = time.perf_counter()
    at = open_page("lr-finder", runs=str(runs), num_it=str(num_it), seed="17")
    wall = time.perf_counter() - t0
    assert not at.error, [e.value for e in at.error]
    assert metrics(at)["Suggested learning rate"]
    assert time.process_time() - before < 10  # the work ran in the pool, not in the page
    assert wall < 3 * budget.CAP_SECONDS + 10  # the pool's limit is 3x the estimate + 1 s
