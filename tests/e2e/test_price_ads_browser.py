"""The Price-and-advertising page in headless Chromium: sliders move the plan and the link, the link
reproduces the page in a fresh browser, the sensitivity CSV has the contract columns, the profit
map reads on the dark theme, and a 390 px phone neither scrolls sideways nor squeezes a plot."""

import io

import pandas as pd
import pytest

from optimizers import multivariate as mv
from optimizers import price_ads as pa
from tests.e2e.browser import open_page
from tests.e2e.charts2d_checks import COLOURS, OUTSIDE, PLOT_AREAS, contrast, draw, rgb, themed_server
from tests.e2e.helpers import download_csv, expect_metric, goto, metric, no_exception, press_slider, query

pytestmark = pytest.mark.browser

LABELS = ("Optimal price", "Optimal ad spend", "Maximum profit", "Ad spend / revenue")


def test_defaults(page):
    goto(page, "/price-ads")
    assert [metric(page, label) for label in LABELS] == ["$40.00", "$4,494", "$40,449", "5.0%"]
    text = page.get_by_test_id("stAlert").first.inner_text()
    assert "Lower your price toward $40.00 and raise your ad spend toward $4,494 a week." in text
    # dollar amounts are text, never the ends of a formula
    assert page.locator("[data-testid=stMarkdown] .katex").count() == 0
    no_exception(page)


def test_sliders_move_the_plan_and_the_link_reproduces_it(page, browser):
    goto(page, "/price-ads")
    press_slider(page, "unit_cost", "ArrowRight", times=5)
    expect_metric(page, "Optimal price", "$50.00")  # 25 · 2 / (2 − 1)
    press_slider(page, "ad_elasticity", "ArrowRight", times=2)
    expect_metric(page, "Ad spend / revenue", "6.0%")  # 0.12 / 2
    page.wait_for_function("() => new URLSearchParams(location.search).get('ad_elasticity') === '0.12'")
    assert query(page)["unit_cost"] in ("25", "25.0")
    shown = {label: metric(page, label) for label in LABELS}
    fresh = browser.new_context(viewport={"width": 1400, "height": 1800})
    try:
        other = fresh.new_page()
        open_page(other, page.url)
        assert {label: metric(other, label) for label in LABELS} == shown
        no_exception(other)
    finally:
        fresh.close()


def test_sensitivity_csv(page):
    goto(page, "/price-ads")
    table = pd.read_csv(io.BytesIO(download_csv(page, "price-ads_sensitivity.csv")))
    assert list(table.columns) == mv.SENSITIVITY_COLUMNS
    assert table.coordinate.tolist() == ["price", "ad_spend"] * 5
    rows = table.set_index(["parameter", "coordinate"])
    assert rows.loc[("unit_cost", "price"), "optimum_change_per_unit"] == pytest.approx(2.0, rel=1e-8)
    assert rows.loc[("ad_elasticity", "price"), "optimum_change_per_unit"] == 0.0  # not 1e-14
    assert rows.loc[("fixed_cost", "ad_spend"), "best_change_per_unit"] == pytest.approx(-1.0, rel=1e-10)
    q = float(pa.customers(40.0, pa.optimal_ad_spend()))
    assert rows.loc[("unit_cost", "ad_spend"), "best_change_per_unit"] == pytest.approx(-q, rel=1e-8)


@pytest.mark.parametrize("path", ["/price-ads", "/price-ads?price=300&ad_spend=20000&price_elasticity=5"])
def test_a_phone_neither_scrolls_sideways_nor_squeezes_a_plot(page, path):
    page.set_viewport_size({"width": 390, "height": 1400})
    goto(page, path)
    draw(page)
    no_exception(page)
    width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1] == 390
    areas = page.evaluate(PLOT_AREAS)
    assert len(areas) == 5  # the profit map, and two rows in each slice
    assert all(a["height"] >= 120 for a in areas), areas
    assert page.evaluate(OUTSIDE) == []


@pytest.fixture(scope="module")
def themed():
    with themed_server() as server:
        yield server


def test_the_profit_map_reads_on_both_themes(browser, themed):
    seen = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": 1400, "height": 1600}, color_scheme=scheme)
        try:
            page = context.new_page()
            open_page(page, themed.url + "/price-ads")
            draw(page)
            seen[scheme] = page.evaluate(COLOURS)
        finally:
            context.close()
    for scheme, colours in seen.items():
        background = colours["background"]
        assert (sum(rgb(background)) < 150) == (scheme == "dark")
        assert colours["texts"]
        for text, fill in colours["texts"]:
            assert contrast(fill, background) >= 3, (scheme, text, fill, background)
    assert seen["light"]["symbols"] != seen["dark"]["symbols"]  # the optimum and your plan follow the theme
