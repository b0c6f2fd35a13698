"""The learning-rate finder page in AppTest."""

import pytest

from tests.pages.conftest import metrics, open_page, shown


def test_defaults():
    at = open_page("lr-finder")
    m = metrics(at)
    assert m["Suggested learning rate"] not in ("none", "")
    assert 1e-3 < float(m["Suggested learning rate"]) < 1.0
    assert m["Spread across seeds"].endswith("decades")
    assert "oscillates but converges" in at.success[0].value
    assert "below 1e-6 passes" in " ".join(c.value for c in at.caption)


def test_url_values_and_the_gd_lesson():
    at = open_page("lr-finder", gd_rate="1.1", dataset="moons", runs="1")
    assert "diverges" in shown(at.error[0].value)
    assert "2/C'' = 1" in shown(at.error[0].value)
    at = open_page("lr-finder", end_lr="1e-02", momentum="0.0")  # stops long before the loss turns up
    assert "never turns up" in shown(at.warning[0].value)
    assert metrics(at)["Suggested learning rate"] == "none"


@pytest.mark.parametrize("params", [{"hidden": "-3"}, {"activation": "gelu"}, {"start_lr": "abc"}, {"runs": "99"}])
def test_junk_url_values_fall_back(params):
    assert metrics(open_page("lr-finder", **params))["Suggested learning rate"] != "none"


def test_bad_csv_gives_a_message():
    at = open_page("lr-finder", dataset="csv")
    assert "Upload a CSV" in shown(at.info[0].value)
    at.file_uploader(key="nn_upload").set_value(("d.csv", b"a,b\n1,2\n", "text/csv")).run()
    assert "needs a 'label' column" in shown(at.error[0].value)
