"""The "Your own function" page in headless Chromium: typing, sharing, hostile URLs."""

import io

import pandas as pd
import pytest

from tests.e2e.browser import wait_idle
from tests.e2e.helpers import download_csv, goto, metric, no_exception, query

pytestmark = pytest.mark.e2e


def test_typing_a_function_updates_the_result_and_the_url(page):
    goto(page, "/custom?hi=30")
    assert metric(page, "Global minimum") == "75"
    box = page.locator(".st-key-f input")
    box.fill("-2x^2 + 40x - 100")
    box.press("Enter")
    wait_idle(page)
    page.locator(".st-key-goal button", has_text="max").click()
    wait_idle(page)
    page.wait_for_function("() => new URLSearchParams(location.search).get('goal') === 'max'")
    assert metric(page, "Global maximum") == "100"
    assert metric(page, "Reached at") == "x = 10"
    assert query(page)["f"] == "-2x^2 + 40x - 100"
    no_exception(page)
    table = pd.read_csv(io.BytesIO(download_csv(page, "custom.csv")), keep_default_na=False)
    best = table.loc[table.note.str.contains("global max")].iloc[0]
    assert (best.x, best.f) == (10.0, 100.0)


def test_hostile_expression_in_the_url_shows_only_an_error(page):
    goto(page, "/custom?f=__import__('os').system('touch%20/tmp/pwned-e2e')")
    no_exception(page)
    assert "Cannot use this formula" in page.get_by_test_id("stAlert").first.inner_text()
    assert page.get_by_test_id("stMetric").count() == 0
    assert page.get_by_test_id("stVegaLiteChart").count() == 0


def test_lab_loads(page):
    goto(page, "/lab?f=sin(x)&x=1")
    no_exception(page)
    assert metric(page, "Analytic f′(x)") == "0.540302305868"
