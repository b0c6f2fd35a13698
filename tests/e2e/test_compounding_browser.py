"""The Compounding page in headless Chromium."""

import io

import pandas as pd
import pytest

from tests.e2e.helpers import download_csv, expect_metric, goto, metric, no_exception, press_slider, query

pytestmark = pytest.mark.e2e


def test_loads_moves_and_shares(page):
    goto(page, "/compounding")
    no_exception(page)
    assert metric(page, "Value after 10 years") == "$16,487.21"
    press_slider(page, "rate", "ArrowRight", times=2)  # 5% -> 5.1%
    expect_metric(page, "Doubling time", "13.59 years")  # ln 2 / 0.051
    page.wait_for_function("() => location.search.includes('rate=5.1')")
    assert float(query(page)["rate"]) == pytest.approx(5.1)
    no_exception(page)


def test_url_reproduces_and_csv_parses(page):
    goto(page, "/compounding?rate=7&contribution=100&frequency=monthly")
    assert metric(page, "Value after 10 years") == "$37,405.09"
    schedule = pd.read_csv(io.BytesIO(download_csv(page, "compounding.csv")))
    assert list(schedule.columns) == ["year", "balance", "contributed", "interest_earned", "growth_per_year"]
    assert f"${schedule.balance.iloc[-1]:,.2f}" == "$37,405.09"
    assert schedule.contributed.iloc[-1] == 22_000
