"""The charts as a visitor's browser draws them (headless Chromium, Vega's SVG output):
no console warnings from Vega or the app, stacked rows on the same x pixels, nothing
clipped on a 390 px phone, and dark charts for a visitor whose system is dark."""

from __future__ import annotations

import re

import pytest

from tests.e2e.browser import brightness, open_page, wait_idle
from tests.e2e.helpers import goto, no_exception, press_slider

pytestmark = pytest.mark.browser

#: Every page with a chart, and a slider to move there (None: no slider to press).
CHART_PAGES = {
    "/pricing": "price",
    "/study": "hours",
    "/fuel?time_value=15": "speed",
    "/compounding?contribution=100": "rate",
    "/custom": None,
    "/lab": None,
    "/lr-finder": "gd_rate",
}
#: Console errors that are not the app's: Streamlit probing the page path for its health and
#: host-config endpoints (answered 404), and the page icon Streamlit fetches from Google's
#: font server (no internet where the tests run).
NOT_OURS = re.compile(r"/_stcore/(health|host-config)$|^https://fonts\.gstatic\.com/")
CHART = "[data-testid=stVegaLiteChart] svg.marks"


def draw(page) -> None:
    """Wait until every chart on the page has been drawn."""
    charts = page.get_by_test_id("stVegaLiteChart")
    charts.first.locator("svg.marks").wait_for(timeout=60_000)
    for i in range(charts.count()):
        charts.nth(i).locator("svg.marks").wait_for(timeout=60_000)
    page.wait_for_timeout(300)


def listen(page) -> list[str]:
    messages: list[str] = []

    def keep(msg) -> None:
        if msg.type in ("warning", "error") and not NOT_OURS.search(msg.location.get("url", "")):
            messages.append(f"{msg.type}: {msg.text}")

    page.on("console", keep)
    page.on("pageerror", lambda exc: messages.append(f"pageerror: {exc}"))
    return messages


@pytest.mark.parametrize("path", list(CHART_PAGES))
def test_no_console_warnings(page, path):
    messages = listen(page)
    goto(page, path)
    draw(page)
    if CHART_PAGES[path]:
        press_slider(page, CHART_PAGES[path], "ArrowRight", times=2)  # new data swapped into the charts
        draw(page)
    no_exception(page)
    assert messages == []


def plot_ranges(page, chart: int = 0) -> list[tuple[float, float]]:
    """Per row of a stacked chart: the left and right pixel of its plot area, read off its
    horizontal grid lines (they span the plot's whole width)."""
    return page.evaluate(
        """(i) => [...document.querySelectorAll('[data-testid=stVegaLiteChart] svg.marks')[i]
                  .querySelectorAll('g.role-scope')].filter(g => /concat_[0-9]+_group/.test(g.getAttribute('class')))
                  .map(row => {
            const boxes = [...row.querySelectorAll('g.role-axis-grid')].map(g => g.getBoundingClientRect());
            const widest = boxes.reduce((a, b) => (b.width > a.width ? b : a));
            return [widest.left, widest.right]; })""",
        chart,
    )


def curve_ranges(page, chart: int = 0) -> list[tuple[float, float]]:
    """Per row: the left and right pixel of its first line (the curve over the whole x range)."""
    return page.evaluate(
        """(i) => [...document.querySelectorAll('[data-testid=stVegaLiteChart] svg.marks')[i]
                  .querySelectorAll('g.role-scope')].filter(g => /concat_[0-9]+_group/.test(g.getAttribute('class')))
                  .map(row => {
            const r = row.querySelector('g.mark-line.role-mark').getBoundingClientRect();
            return [r.left, r.right]; })""",
        chart,
    )


@pytest.mark.parametrize(("path", "rows"), [("/pricing", 2), ("/study", 2), ("/fuel", 3)])
@pytest.mark.parametrize("width", [1400, 390])
def test_stacked_rows_share_the_x_pixels(page, path, rows, width):
    page.set_viewport_size({"width": width, "height": 1800})
    goto(page, path)
    draw(page)
    # The page's first chart is its objective section, all rows in one chart (a page may add
    # other sections below it, e.g. "What moves the optimum" with its own sweep chart).
    assert page.get_by_test_id("stVegaLiteChart").count() >= 1
    curves = curve_ranges(page)
    assert len(curves) == rows
    objective, marginal = curves[0], curves[1]  # the same curve's x range, row above row
    assert objective == pytest.approx(marginal, abs=0.5)
    # and every row's plot area spans the same pixels
    plots = plot_ranges(page)
    assert all(p == pytest.approx(plots[0], abs=0.5) for p in plots)
    # and the chart fits its column (Vega takes the y axis off the rows' width)
    chart = page.locator(CHART).first.bounding_box()
    column = page.get_by_test_id("stVegaLiteChart").first.bounding_box()
    assert chart["x"] + chart["width"] <= column["x"] + column["width"] + 1


@pytest.mark.parametrize(
    "path",
    [
        "/pricing?price=120",  # the "you" label near the right edge
        "/study?hours=0",  # ... and at the left edge
        "/fuel?time_value=15&speed=100",
        "/compounding?contribution=100",
        "/lr-finder",
        "/lab",
    ],
)
def test_nothing_is_clipped_on_a_phone(page, path):
    page.set_viewport_size({"width": 390, "height": 1200})
    goto(page, path)
    draw(page)
    no_exception(page)
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')].flatMap(el => {
            const svg = el.querySelector('svg.marks'); const s = svg.getBoundingClientRect();
            const e = el.getBoundingClientRect();
            const texts = [...svg.querySelectorAll('g.role-legend text, g.mark-text.role-mark text, g.role-title text')];
            return texts.filter(t => t.textContent.trim()).map(t => {
              const r = t.getBoundingClientRect();
              return {text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                      minX: Math.max(s.left, e.left, 0), maxX: Math.min(s.right, e.right, window.innerWidth),
                      minY: s.top, maxY: s.bottom}; }); })"""
    )
    assert boxes, "no legend or label found"
    clipped = [
        b["text"]
        for b in boxes
        if b["left"] < b["minX"] - 1
        or b["right"] > b["maxX"] + 1
        or b["top"] < b["minY"] - 1
        or b["bottom"] > b["maxY"] + 1
    ]
    assert clipped == []


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_charts_follow_a_dark_system_theme(browser, themed_server, scheme, tmp_path):
    context = browser.new_context(viewport={"width": 1400, "height": 1500}, color_scheme=scheme)
    page = context.new_page()
    try:
        open_page(page, themed_server.url + "/pricing")
        draw(page)
        wait_idle(page)
        colors = page.evaluate(
            """() => { const svg = document.querySelector('[data-testid=stVegaLiteChart] svg.marks');
                return {chart: getComputedStyle(svg).backgroundColor,
                        curve: getComputedStyle(svg.querySelector('g.mark-line.role-mark path')).stroke,
                        label: getComputedStyle(svg.querySelector('g.mark-text.role-mark text')).fill}; }"""
        )
        page.screenshot(path=str(tmp_path / f"pricing-{scheme}.png"))
    finally:
        context.close()
    chart, curve, label = (brightness(colors[k]) for k in ("chart", "curve", "label"))
    if scheme == "dark":
        assert chart < 0.2  # a dark chart background...
        assert curve > chart + 0.4  # ...with the curve and the labels drawn light on it
        assert label > chart + 0.3
    else:
        assert chart > 0.9
        assert curve < chart - 0.3
