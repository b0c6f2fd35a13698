"""The Neural network page in AppTest."""

import math
import time

import pytest

from optimizers import network
from runtime import budget
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


@pytest.mark.load
def test_the_heaviest_link_is_refused_and_the_rest_fits():
    """Every slider at its maximum: training is refused, naming what to lower; the gradient
    norms and the check still fit together, run, and stay inside the budget."""
    heavy = {"hidden": "64", "layers": "8", "steps": "600"}
    before = default_pool().stats()
    t0 = time.perf_counter()
    at = open_page("network", **heavy)
    wall = time.perf_counter() - t0
    after = default_pool().stats()
    message = shown(at.error[0].value)
    assert "Too much work to train in one update" in message
    assert "Lower the steps, width or depth. Or choose a learning rate" in message
    assert "Training accuracy" not in metrics(at)
    assert "it **fails**, although backprop is right" in text(at)
    assert after.completed - before.completed <= 2  # the gradient norms and the check, nothing else
    assert after.timed_out == before.timed_out
    ran = network.gradient_norms_cost(64, 8) + network.gradient_check_cost(64, 8, activation="relu")
    assert ran.seconds <= budget.CAP_SECONDS
    assert wall < 3 * budget.CAP_SECONDS + 10


def test_sections_that_do_not_fit_are_left_out_and_say_so():
    at = open_page("network", layers="3", steps="400")  # training fits, the gradient check does not
    assert metrics(at)["Final loss"]
    assert "is left out of this update" in " ".join(shown(i.value) for i in at.info)


@pytest.mark.load
def test_a_link_just_under_the_cap_finishes_inside_it():
    layers, steps = 8, 600
    while network.page_cost(steps, 32, layers, suggest=True, activation="relu").seconds > budget.CAP_SECONDS:
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
