"""The learning-rate finder in headless Chromium."""

import io

import pandas as pd
import pytest

from tests.e2e.helpers import download_csv, goto, metric, no_exception, press_slider, query

pytestmark = pytest.mark.browser


def test_loads_moves_and_downloads(page):
    from playwright.sync_api import expect  # imported here: without playwright the fixtures skip

    goto(page, "/lr-finder")
    no_exception(page)
    suggested = metric(page, "Suggested learning rate")
    table = pd.read_csv(io.BytesIO(download_csv(page, "lr_finder.csv")))
    assert list(table.columns) == ["lr", "raw_loss", "smoothed_loss", "slope"]
    assert table.lr.iloc[0] == pytest.approx(1e-5)
    assert suggested != "none"
    press_slider(page, "momentum", "ArrowLeft", times=90)  # 0.9 -> 0.0: a different curve
    page.wait_for_function("() => new URLSearchParams(location.search).get('momentum') !== null")
    expect(page.get_by_test_id("stMetricValue").first).not_to_have_text(suggested, timeout=30_000)
    assert float(query(page)["momentum"]) == 0.0
    no_exception(page)


def test_phone_width_nothing_is_cut_off(browser, app_server):
    """At 390 px the page does not scroll sideways and each chart fits its column; the
    suggestions are named in the legend, not in labels that could run off the plot."""
    context = browser.new_context(viewport={"width": 390, "height": 2400})
    page = context.new_page()
    page.base_url = app_server.url
    try:
        goto(page, "/lr-finder?gd_rate=1.2")
        no_exception(page)
        charts = page.get_by_test_id("stVegaLiteChart")
        charts.first.locator("canvas, svg").first.wait_for()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        for i in range(charts.count()):
            box = charts.nth(i).bounding_box()
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= 390
        assert "would need negative ad spend" in page.get_by_test_id("stCaptionContainer").all_inner_texts()[-2]
    finally:
        context.close()
