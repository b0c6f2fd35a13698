"""The Study-hours page in headless Chromium."""

import io
import math

import pandas as pd
import pytest

from tests.e2e.helpers import download_csv, expect_metric, goto, metric, no_exception, press_slider, query

pytestmark = pytest.mark.browser


def test_loads_moves_and_shares(page):
    goto(page, "/study")
    no_exception(page)
    assert metric(page, "Optimal study hours") == "9.03 h"
    assert metric(page, "Points lost") == "6.4"
    press_slider(page, "hours", "ArrowLeft", times=4)  # 15 -> 14 hours
    expect_metric(page, "Score at your hours", "70.5")
    page.wait_for_function("() => location.search.includes('hours=14')")
    assert float(query(page)["hours"]) == 14.0
    no_exception(page)


def test_url_reproduces_and_csv_matches(page):
    goto(page, "/study?fatigue=3")
    assert metric(page, "Optimal study hours") == "7.68 h"
    table = pd.read_csv(io.BytesIO(download_csv(page, "study.csv")), keep_default_na=False)
    best = table.loc[table.effective_score.idxmax()]
    assert f"{best.hours:.2f} h" == "7.68 h"
    assert best.note == "optimal"
    assert f"{best.effective_score:.1f}" == metric(page, "Best effective score")


def _boxes(page, test_id: str) -> list[dict]:
    items = page.get_by_test_id(test_id)
    return [b for b in (items.nth(i).bounding_box() for i in range(items.count())) if b]


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


@pytest.mark.parametrize("width", [1400, 390])
@pytest.mark.parametrize("url", ["/study?fatigue=0&hours=24&sweep=fatigue", "/study?fatigue=20&hours=24&sweep=k"])
def test_no_message_box_overlaps_a_chart(page, url, width):
    """Issue 12: an info box overlapped the chart title (the title is inside the chart's box)."""
    page.set_viewport_size({"width": width, "height": 1800})
    goto(page, url)
    no_exception(page)
    charts = page.get_by_test_id("stVegaLiteChart")
    charts.nth(1).wait_for(timeout=60_000)  # the objective section's chart and the sensitivity sweep
    for i in range(charts.count()):
        charts.nth(i).locator("svg.marks, canvas.marks").first.wait_for()
    page.get_by_test_id("stAlert").nth(1).wait_for()
    alerts, plots = _boxes(page, "stAlert"), _boxes(page, "stVegaLiteChart")
    assert len(alerts) >= 2  # the notes that used to collide: a boundary warning and the plan note
    assert len(plots) >= 2
    clashes = [(a, p) for a in alerts for p in plots if _overlap(a, p)]
    assert not clashes, clashes


def test_points_lost_and_a_score_below_zero_in_the_browser(page):
    goto(page, "/study?fatigue=0&hours=24")
    assert metric(page, "Points lost") == "0.0"  # was "−0.7"
    goto(page, "/study?fatigue=20&hours=24")
    assert metric(page, "Score at your hours") == "below 0"  # the model says −380.1
    assert "effective score is below zero (−380.1)" in page.get_by_test_id("stAlert").first.inner_text()


def test_sensitivity_csv_has_the_closed_forms(page):
    goto(page, "/study")
    table = pd.read_csv(io.BytesIO(download_csv(page, "study_sensitivity.csv"))).set_index("parameter")
    assert list(table.columns) == ["value", "optimum_change_per_unit", "best_change_per_unit", "optimum_elasticity"]
    c, k = 2.0, 0.3
    h_star = math.log(100 * k / c) / k
    assert table.loc["fatigue", "optimum_change_per_unit"] == pytest.approx(-1 / (c * k), rel=1e-9)  # CSV: 10 digits
    assert table.loc["fatigue", "best_change_per_unit"] == pytest.approx(-h_star, rel=1e-9)


def test_reset_to_defaults(page):
    goto(page, "/study?fatigue=3&max_hours=10&model=diminishing")
    assert metric(page, "Optimal study hours") == "7.68 h"
    page.get_by_role("button", name="Reset to defaults").click()
    expect_metric(page, "Optimal study hours", "9.03 h")
    page.wait_for_function("() => location.search === ''")
    assert page.get_by_test_id("stCode").last.inner_text().strip().endswith("/study")
    no_exception(page)
