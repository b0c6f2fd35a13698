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


#: The link of issue 10 (134 s before the budget, then refused): now a background job of
#: roughly 10-30 CPU-seconds, long enough to watch.
HEAVY = "/lr-finder?hidden=128&layers=2&batch_size=256&num_it=500&runs=7"


def _progress(page) -> float:
    """The background job's progress bar value (0..100)."""
    bar = page.get_by_test_id("stProgress").locator("[role=progressbar]")
    return float(bar.get_attribute("aria-valuenow") or 0)


def test_a_background_job_shows_progress_and_stops(page):
    """Issue 19: work above one update's budget runs in the background with a progress bar and
    a Stop button instead of being refused; Stop ends it and offers to run it again."""
    from playwright.sync_api import expect

    page.goto(page.base_url + HEAVY)
    bar = page.get_by_test_id("stProgress")
    expect(bar).to_be_visible(timeout=60_000)
    expect(bar).to_contain_text("Computing the range test and the check-it sweep", timeout=10_000)
    stop = page.locator(".st-key-work_stop_finder button")
    expect(stop).to_be_visible()
    page.wait_for_function(
        "() => Number(document.querySelector('[data-testid=stProgress] [role=progressbar]')"
        "?.getAttribute('aria-valuenow') || 0) > 0",
        timeout=60_000,
    )
    before = _progress(page)
    page.wait_for_timeout(2000)
    assert _progress(page) >= before  # it moves on while the visitor reads
    no_exception(page)
    stop.click()
    stopped = page.get_by_text("You stopped this computation.")
    expect(stopped).to_be_visible(timeout=30_000)
    expect(bar).to_have_count(0)
    again = page.locator(".st-key-work_restart_finder button")
    expect(again).to_be_visible()
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=30_000)
    no_exception(page)
    again.click()
    expect(bar).to_be_visible(timeout=30_000)
    page.locator(".st-key-work_stop_finder button").click()  # leave the server idle
    expect(page.get_by_text("You stopped this computation.")).to_be_visible(timeout=30_000)


def test_the_issues_links_run_to_a_result(page):
    """Issue 19: refused before; each now shows its suggestion."""
    for link in ("/lr-finder?layers=2", "/lr-finder?layers=4&hidden=64"):
        page.goto(page.base_url + link)
        page.get_by_test_id("stMetricValue").first.wait_for(timeout=120_000)
        page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=120_000)
        no_exception(page)
        assert float(metric(page, "Suggested learning rate")) > 0
        assert page.get_by_test_id("stProgress").count() == 0


LEGEND = """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart] svg.marks')[0]
    .querySelectorAll('g.role-legend g.role-legend-label text')].map(t => t.textContent)"""


def test_the_legend_names_each_rule_with_the_rate_the_metrics_show(page):
    """The range test's legend reads each rule's label from the chart's data (the spec stays the
    same between steps, issue 23): after a step it must show the new rates, as the metrics do."""
    from playwright.sync_api import expect

    goto(page, "/lr-finder")
    page.get_by_test_id("stVegaLiteChart").first.locator("g.role-legend-label text").first.wait_for(timeout=60_000)
    for _ in range(2):
        valley = metric(page, "valley")
        page.wait_for_function(f"() => ({LEGEND})().includes('valley: {valley}')", timeout=30_000)
        entries = page.evaluate(LEGEND)
        assert entries[:2] == ["raw loss", "smoothed loss"], entries
        assert {e.split(": ")[0] for e in entries[2:]} <= {"minimum/10", "valley", "steepest", "check's best"}
        press_slider(page, "momentum", "ArrowLeft", times=5)  # 0.9 -> 0.85: other rates
        label = page.get_by_test_id("stMetricLabel").get_by_text("valley", exact=True)
        shown = page.get_by_test_id("stMetric").filter(has=label).get_by_test_id("stMetricValue")
        expect(shown).not_to_have_text(valley, timeout=30_000)
