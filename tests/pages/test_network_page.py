"""The Neural network page in AppTest."""

import math
import time

import pytest

from optimizers import network
from runtime import budget, workpool
from runtime.workpool import default_pool
from tests.pages.conftest import metrics, open_page, shown


def text(at) -> str:
    return " ".join(shown(x.value) for x in [*at.markdown, *at.caption])


def test_defaults_learn_with_the_finders_rate():
    at = open_page("network")
    m = metrics(at)
    assert float(m["Training accuracy"].rstrip("%")) > 90
    assert float(m["Final loss"]) < math.log(2) / 2
    page = text(at)
    assert "the finder's suggestion for these settings (minimum/10, median of 3 range tests)" in page
    link = at.get("link_button")[0].proto
    assert link.label == "Check it on the Learning-rate finder"
    assert link.url == "lr-finder?dataset=spirals&activation=relu&hidden=32&layers=1&optimizer=sgd-momentum&seed=0"
    names = [{d.name for d in c.proto.datasets} for c in at.get("vega_lite_chart")]
    assert any("grid" in n for n in names)  # the decision regions


def test_vanishing_gradients_and_the_check_are_shown():
    at = open_page("network", layers="8", lr="1.0e-01", steps="100")  # no range test: it all fits
    page = text(at)
    assert "0.25¹⁰ ≈ 9.5e-7" in page
    assert "0.25^8 = 1.5e-05" in page
    sig = float(page.split("**sigmoid** ")[1].split(",")[0])
    assert sig < 1e-3  # measured: sigmoid's first layer gets almost nothing
    assert "it **fails**, although backprop is right" in page
    assert "float64 passes (error below 1e-06) for h from" in page
    assert any(b.proto.label == "Download gradient norms (CSV)" for b in at.get("download_button"))


def test_a_chosen_rate():
    at = open_page("network", lr="1.0e-04", dataset="moons")
    assert "your choice" in text(at)
    assert metrics(at)["Learning rate"] == "1.00e-04"
    assert float(metrics(at)["Final loss"]) > 0.3  # far too small a rate: it barely moves


def test_too_large_a_rate():
    at = open_page("network", lr="3.2e+00")
    assert float(metrics(at)["Final loss"]) > 0.5  # it overshoots and learns nothing


@pytest.mark.parametrize(
    "params",
    [{"activation": ""}, {"dataset": "csv"}, {"lr": "abc"}, {"layers": "0"}, {"seed": "1e309"}, {"optimizer": "sgd"}],
)
def test_junk_url_values_fall_back(params):
    at = open_page("network", **params)
    assert metrics(at)["Training accuracy"].endswith("%")


@pytest.mark.parametrize("params", [{"activation": "sigmoid", "layers": "4"}, {"activation": "sigmoid", "layers": "8"}])
def test_the_issues_links_run_to_a_result(params):
    """Issue 19: refused before ("2.1" and "4.0 CPU-seconds"); the second is the page's "watch
    sigmoid gradients vanish layer by layer" demonstration."""
    at = open_page("network", **params)
    assert not at.error, [e.value for e in at.error]
    assert metrics(at)["Training accuracy"].endswith("%")
    page = text(at)
    assert f"0.25^{params['layers']} = " in page
    assert "although backprop is right" in page or "float32's error is" in page


def test_sigmoid_trains_at_a_rate_that_learns():
    """Issue 19: /network?activation=sigmoid trained at 1.45e-02 to 50.8% (chance) while 1.0
    reaches 84.4%; the page now trains at the finder's checked rate and says where it is from."""
    at = open_page("network", activation="sigmoid")
    assert metrics(at)["Learning rate"] == "1.00e+00"
    assert metrics(at)["Training accuracy"] == "84.4%"
    assert "the range test cannot tell here (its minimum/10, 1.45e−02, trains to 50.8% in 200 steps)" in text(at)


def test_every_section_is_shown():
    """Issue 19: sections were left out when the update's budget ran out; now all of them run."""
    at = open_page("network", layers="3", steps="400")
    assert metrics(at)["Final loss"]
    assert not at.info
    page = text(at)
    assert "Layer 1's gradient as a share of the output layer's" in page
    assert "float64 passes (error below 1e-06)" in page


@pytest.mark.load
def test_every_slider_at_its_maximum_runs_within_its_bound():
    """Every slider at its maximum was refused before; it is a background job now (under the
    background cap), and it runs to the end inside its time limit."""
    cost = network.analyse_cost(600, 64, 8, suggest=False, activation="relu")
    assert budget.mode(cost) is budget.Mode.BACKGROUND
    before = default_pool().stats()
    t0 = time.perf_counter()
    at = open_page("network", hidden="64", layers="8", steps="600", lr="1.0e-02")  # trains all 600 steps
    wall = time.perf_counter() - t0
    after = default_pool().stats()
    assert not at.error, [e.value for e in at.error]
    assert metrics(at)["Final loss"] != "diverged"
    assert after.timed_out == before.timed_out
    assert wall < workpool.WALL_FACTOR * budget.timeout_for(cost) + 10  # the pool's wall-clock limit


@pytest.mark.load
def test_a_link_just_under_the_cap_finishes_inside_it():
    layers, steps = 8, 600
    while network.analyse_cost(steps, 32, layers, suggest=True, activation="relu").seconds > budget.CAP_SECONDS:
        if steps > 50:
            steps -= 50
        else:
            layers -= 1
    t0 = time.perf_counter()
    at = open_page("network", layers=str(layers), steps=str(steps), seed="23")
    wall = time.perf_counter() - t0
    assert not at.error, [e.value for e in at.error]
    assert metrics(at)["Final loss"]
    assert wall < 3 * budget.CAP_SECONDS + 10
