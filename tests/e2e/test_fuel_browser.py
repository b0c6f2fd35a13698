"""The Fuel page in headless Chromium."""

import io

import pandas as pd
import pytest

from tests.e2e.helpers import download_csv, expect_metric, goto, metric, no_exception, press_slider, query

pytestmark = pytest.mark.e2e


def test_loads_moves_and_shares(page):
    goto(page, "/fuel")
    no_exception(page)
    assert metric(page, "Most efficient speed") == "44.7 mph"
    assert metric(page, "Maximum MPG") == "11.2 mpg"
    press_slider(page, "speed", "ArrowLeft", times=10)  # 65 -> 55 mph
    expect_metric(page, "MPG at your speed", "10.9 mpg")
    page.wait_for_function("() => location.search.includes('speed=55')")
    assert float(query(page)["speed"]) == 55.0
    no_exception(page)


def test_url_reproduces_and_csv_matches(page):
    goto(page, "/fuel?time_value=10&speed_limit=120")
    assert metric(page, "Cheapest trip speed") == "69.7 mph"
    table = pd.read_csv(io.BytesIO(download_csv(page, "fuel.csv")))
    assert table.speed_mph.tolist() == [35, 45, 55, 65, 75, 85]
    row = table.loc[table.speed_mph == 65].iloc[0]
    assert f"{row.mpg:.1f} mpg" == "10.4 mpg"
    assert row.trip_time_cost == pytest.approx(300 / 65 * 10, rel=1e-9)


def test_calibration_toggle_survives_a_shared_link(page):
    goto(page, "/fuel?calibrate=true")
    no_exception(page)
    assert metric(page, "Most efficient speed") == "23.1 mph"
    assert "Oak Ridge" in page.get_by_text("Oak Ridge").first.inner_text()
