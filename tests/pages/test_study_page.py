"""The Study-hours page in AppTest."""

import pytest

from tests.pages.conftest import metrics, open_page, shown


def test_defaults_show_the_seed_numbers():
    at = open_page("study")
    m = metrics(at)
    assert m["Optimal study hours"] == "9.03 h"
    assert m["Best effective score"] == "75.3"
    assert m["Score at your hours"] == "68.9"
    assert m["Points lost"] == "6.4"
    assert "ln(15)/0.3 = 9.0268 h" in at.caption[0].value
    assert "Study less" in at.success[0].value


def test_url_fatigue():
    m = metrics(open_page("study", fatigue="3"))
    assert m["Optimal study hours"] == "7.68 h"  # ln(100 * 0.3 / 3) / 0.3 = 7.675


@pytest.mark.parametrize("params", [{"fatigue": "abc"}, {"k": "-1"}, {"hours": "1e999"}, {"model": "cubic"}])
def test_junk_url_values_fall_back(params):
    assert metrics(open_page("study", **params))["Optimal study hours"] == "9.03 h"


def test_boundary_cases_are_said_plainly():
    at = open_page("study", fatigue="20", k="1.5", max_score="10")  # M k = 15 <= c = 20
    assert metrics(at)["Optimal study hours"] == "0.00 h"
    assert "every hour costs more than it earns" in shown(at.warning[0].value)
    at = open_page("study", k="0.05")  # ln(2.5)/0.05 = 18.3 h > 16 h
    assert metrics(at)["Optimal study hours"] == "16.00 h"
    assert "on that boundary" in shown(at.warning[0].value)


def test_quadratic_model():
    at = open_page("study", model="quadratic")
    m = metrics(at)
    assert m["Optimal study hours"] == "6.00 h"
    assert m["Best effective score"] == "56.0"


def test_slider_moves_update_the_metrics():
    at = open_page("study")
    at.slider(key="hours").set_value(9.0).run()
    assert metrics(at)["Points lost"] == "0.0"
    assert "Good plan" in at.success[0].value
