"""The Fuel page in headless Chromium."""

import io
import math

import pandas as pd
import pytest

from tests.e2e.browser import Server, open_page, wait_idle
from tests.e2e.helpers import download_csv, edit_cell, expect_metric, goto, metric, no_exception, press_slider, query

pytestmark = pytest.mark.browser


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
    assert page.get_by_text("Fitted models: the textbook model is used").count() == 1


def test_an_edited_table_is_fitted_and_its_link_reproduces_it(page, browser, app_server):
    """Edit one observation: the fit uses it, the link carries it, and a fresh browser shows the same."""
    goto(page, "/fuel?calibrate=true")
    assert metric(page, "Most efficient speed") == "23.1 mph"
    assert page.get_by_test_id("stAlertContentWarning").count() == 1  # extrapolated below 30 mph
    # 30 mph: 38 -> 30 mpg, so the peak is now observed
    edit_cell(page, page.locator(".st-key-mpg_editor_0"), row=0, column=1, columns=2, old="38", new="30")
    page.wait_for_function("() => new URLSearchParams(location.search).has('data')", timeout=30_000)
    expect_metric(page, "Most efficient speed", "37.9 mph")
    assert page.get_by_test_id("stAlertContentWarning").count() == 0
    data = query(page)["data"]
    assert data == "30:30,40:34.4,50:29.8,60:26.5,70:23.3,80:21.1"
    shown = {label: metric(page, label) for label in ("Most efficient speed", "Maximum MPG", "Cheapest trip speed")}
    link = page.url

    fresh = browser.new_context(viewport={"width": 1400, "height": 1800})  # no cookies, no session: the URL only
    try:
        other = fresh.new_page()
        open_page(other, link)
        no_exception(other)
        assert {label: metric(other, label) for label in shown} == shown
        assert query(other)["data"] == data
        assert other.get_by_test_id("stAlertContentWarning").count() == 0
        # the fits table quotes the fitted data's best speed
        assert "37.9 mph" in other.get_by_text("Fitted models").locator("..").inner_text()
    finally:
        fresh.close()


def test_sensitivity_download(page):
    goto(page, "/fuel?time_value=10&speed_limit=120")
    table = pd.read_csv(io.BytesIO(download_csv(page, "fuel_sensitivity.csv")))
    assert list(table.columns) == ["parameter", "value", "optimum_change_per_unit", "best_change_per_unit",
                                   "optimum_elasticity"]  # fmt: skip
    rows = table.set_index("parameter")
    assert rows.loc["drag", "optimum_elasticity"] == pytest.approx(-0.5, rel=1e-9)
    v = math.sqrt((2 + 10 / 3.5) / 0.001)  # the cheapest speed, 69.7 mph
    assert rows.loc["time_value", "optimum_change_per_unit"] == pytest.approx(1 / (2 * v * 0.001 * 3.5), rel=1e-9)


def clipped_texts(page, n: int) -> list[str]:
    """Legend, label and title texts of every chart that stick out of their chart or the window
    (after waiting for ``n`` charts to be drawn: Streamlit mounts them after the run ends)."""
    from playwright.sync_api import expect

    charts = page.get_by_test_id("stVegaLiteChart")
    expect(charts).to_have_count(n, timeout=60_000)
    for i in range(n):
        charts.nth(i).locator("svg.marks").wait_for(timeout=60_000)
    page.wait_for_timeout(300)
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')].flatMap(el => {
            const svg = el.querySelector('svg.marks'); const s = svg.getBoundingClientRect();
            const e = el.getBoundingClientRect();
            return [...svg.querySelectorAll('g.role-legend text, g.mark-text.role-mark text, g.role-title text')]
              .filter(t => t.textContent.trim()).map(t => {
                const r = t.getBoundingClientRect();
                return {text: t.textContent, ok: r.left >= Math.max(s.left, e.left, 0) - 1
                        && r.right <= Math.min(s.right, e.right, window.innerWidth) + 1
                        && r.top >= s.top - 1 && r.bottom <= s.bottom + 1}; }); })"""
    )
    assert boxes, "no legend or label found"
    return [b["text"] for b in boxes if not b["ok"]]


@pytest.mark.parametrize(
    ("path", "legend"),
    [
        ("/fuel?calibrate=true&sweep=a", "textbook fit (used)"),  # your data and both fits, economy, trip cost, sweep
        ("/fuel?units=metric&time_value=20&sweep=time_value", "your time"),
    ],
)
def test_legends_not_clipped_on_a_phone(page, path, legend):
    page.set_viewport_size({"width": 390, "height": 1200})
    goto(page, path)
    no_exception(page)
    assert clipped_texts(page, 2) == []  # the page's chart and the sensitivity sweep
    assert page.locator("g.role-legend text", has_text=legend).count() >= 1


@pytest.mark.parametrize(
    "path",
    [
        "/fuel?calibrate=true&units=metric",
        "/fuel?calibrate=true",
        "/fuel?calibrate=true&data=50:30,60:26.28,70:22.6,80:19.12",  # the physical model is used
        "/fuel?calibrate=true&units=metric&data=40:30,60:25,80:20",  # no spare row: "— (no spare row)"
        "/fuel?calibrate=true&data=40:30,70:25",  # two rows: "— (not fitted)"
    ],
)
def test_fits_table_fits_a_phone(page, path):
    """The fitted-models table is plain markdown, which does not scroll: it must fit 390 px."""
    page.set_viewport_size({"width": 390, "height": 1200})
    goto(page, path)
    widths = page.evaluate(
        """() => { const t = [...document.querySelectorAll('[data-testid=stMarkdown] table')]
                     .find(t => t.innerText.includes('coefficients'));
                   return [t.getBoundingClientRect().right, t.closest('[data-testid=stMarkdown]').getBoundingClientRect().right,
                           window.innerWidth]; }"""
    )
    table_right, column_right, window = widths
    assert table_right <= column_right + 1
    assert table_right <= window


def test_switching_units_logs_nothing(browser):
    """Issue 19: switching to metric made the server log Streamlit's 'The widget with key
    "speed_kmh" was created with a default value but also had its value set via the Session
    State API' with a stack trace. A server of its own: Streamlit logs that once per process."""
    from playwright.sync_api import expect

    with Server("app.py") as server:
        context = browser.new_context(viewport={"width": 1400, "height": 1800})
        try:
            page = context.new_page()
            open_page(page, f"{server.url}/fuel?speed=70&calibrate=true&data=40:30,60:25,80:20")
            started = len(server.output())
            for units, key, value in (
                ("metric", "speed_kmh", "113"),
                ("us", "speed", "70"),
                ("metric", "speed_kmh", "113"),
            ):
                page.locator(".st-key-units button", has_text=units).click()
                wait_idle(page)
                expect(page.locator(f".st-key-{key} input[type=range]")).to_have_value(value)
                no_exception(page)
            assert query(page)["data"] == "64.4:7.84,96.6:9.41,128.7:11.76"
            assert server.output()[started:].strip() == ""
        finally:
            context.close()
