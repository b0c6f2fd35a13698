"""The Study-hours page in headless Chromium."""

import io

import pandas as pd
import pytest

from tests.e2e.helpers import download_csv, expect_metric, goto, metric, no_exception, press_slider, query

pytestmark = pytest.mark.e2e


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
