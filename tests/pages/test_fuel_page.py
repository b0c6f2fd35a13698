"""The Fuel page in AppTest."""

import pandas as pd
import pytest

from tests.pages.conftest import metrics, open_page, shown


def test_defaults_show_the_seed_numbers():
    at = open_page("fuel")
    m = metrics(at)
    assert m["Most efficient speed"] == "44.7 mph"
    assert m["Maximum MPG"] == "11.2 mpg"
    assert m["Cheapest trip speed"] == "44.7 mph"
    assert m["MPG at your speed"] == "10.4 mpg"
    assert m["Trip fuel cost"] == "$100.56"
    assert m["Trip time"] == "4.62 h"
    text = " ".join(md.value for md in at.markdown)
    assert "saves 1.45 hours" in text
    assert "Oak Ridge National Laboratory" in at.caption[0].value


def test_time_value_speeds_up_the_cheapest_trip():
    m = metrics(open_page("fuel", time_value="10", speed_limit="120"))
    assert m["Cheapest trip speed"] == "69.7 mph"  # sqrt((2 + 10/3.5) / 0.001) = 69.69


def test_speed_limit_clamps_with_a_message():
    at = open_page("fuel", time_value="20")
    assert metrics(at)["Cheapest trip speed"] == "80.0 mph"
    assert "clamped to 80 mph" in shown(at.warning[0].value)


@pytest.mark.parametrize("params", [{"drag": "0"}, {"idle": "x"}, {"speed": "-5"}, {"fuel_price": "nan"}])
def test_junk_url_values_fall_back(params):
    assert metrics(open_page("fuel", **params))["Most efficient speed"] == "44.7 mph"


def test_calibration_with_the_example_car():
    at = open_page("fuel", calibrate="true")
    assert at.dataframe(key="mpg_editor_0")
    assert metrics(at)["Most efficient speed"] == "23.1 mph"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"speed,mpg\n50,30\n", "at least 2 complete rows"),
        (b"speed,mpg\n50,30\n60,-1\n", "must be positive"),
        (b"speed,mpg\n50,30\nfast,25\n", "must be a number"),
        (b"speed,mpg\n40,20\n60,30\n80,45\n", "both must be positive"),
    ],
)
def test_bad_observations_give_a_message(content, message):
    at = open_page("fuel", calibrate="true")
    at.file_uploader(key="mpg_upload").set_value(("car.csv", content, "text/csv")).run()
    assert not at.exception
    assert message in shown(at.error[0].value)
    assert not at.metric


def test_uploaded_observations_are_used():
    at = open_page("fuel", calibrate="true")
    s = pd.Series([30.0, 50.0, 70.0])
    rows = pd.DataFrame({"speed": s, "mpg": s / (0.002 * s**2 + 1.8)})
    at.file_uploader(key="mpg_upload").set_value(("car.csv", rows.to_csv(index=False).encode(), "text/csv")).run()
    assert metrics(at)["Most efficient speed"] == "30.0 mph"  # sqrt(1.8 / 0.002)
