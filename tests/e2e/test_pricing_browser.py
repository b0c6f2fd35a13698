"""The Pricing page in real headless Chromium against `streamlit run app.py`."""

import io

import pandas as pd
import pytest

from tests.e2e.helpers import download_csv, expect_metric, goto, metric, no_exception, press_slider, query

pytestmark = pytest.mark.e2e


def test_page_loads_with_the_seed_numbers(page):
    goto(page, "/pricing")
    no_exception(page)
    assert metric(page, "Optimal price") == "$75.00"
    assert metric(page, "Maximum profit") == "$30,250"
    assert metric(page, "Marginal profit") == "$500 per $1"
    charts = page.get_by_test_id("stVegaLiteChart")
    charts.first.locator("canvas.marks, svg.marks").wait_for()  # vega-embed draws after the run
    assert charts.count() == 1  # profit over marginal profit: one chart, one copy of the data


def test_keyboard_moves_the_price_and_the_url(page):
    goto(page, "/pricing")
    press_slider(page, "price", "ArrowRight")
    expect_metric(page, "Marginal profit", "$490 per $1")  # 1500 - 20 * 50.5
    page.wait_for_function("() => location.search.includes('price=50.5')")
    assert query(page)["price"] == "50.5"
    press_slider(page, "price", "ArrowLeft", times=3)
    expect_metric(page, "Marginal profit", "$520 per $1")  # at $49.00
    no_exception(page)


def test_a_shared_link_reproduces_the_scenario(page):
    goto(page, "/pricing?unit_cost=30&price=60")
    no_exception(page)
    assert metric(page, "Optimal price") == "$80.00"
    assert metric(page, "Marginal profit") == "$400 per $1"  # 1300 - 20*60 + 10*30
    assert "$60.00" in page.locator(".st-key-price").inner_text()
    share = page.get_by_test_id("stCode").last.inner_text()
    assert "unit_cost=30" in share
    assert "price=60" in share


def test_csv_download_matches_the_optimum(page):
    goto(page, "/pricing?unit_cost=30")
    shown = metric(page, "Optimal price")
    table = pd.read_csv(io.BytesIO(download_csv(page, "pricing.csv")), keep_default_na=False)
    best = table.loc[table.profit.idxmax()]
    assert f"${best.price:,.2f}" == shown == "$80.00"
    assert f"${best.profit:,.0f}" == metric(page, "Maximum profit")
    assert best.note == "optimal price"


def test_hostile_url_values_never_show_a_traceback(page):
    goto(page, "/pricing?unit_cost=%3Cscript%3E&price=1e999&model=../../etc&demand_slope=-1&elasticity=nan")
    no_exception(page)
    assert metric(page, "Optimal price") == "$75.00"
