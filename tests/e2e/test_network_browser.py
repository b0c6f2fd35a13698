"""The Neural network page in headless Chromium."""

import io

import pandas as pd
import pytest

from optimizers import nn
from tests.e2e.helpers import download_csv, goto, metric, no_exception, query

pytestmark = pytest.mark.browser


def test_loads_trains_and_downloads_the_gradient_norms(page):
    goto(page, "/network?layers=4")
    no_exception(page)
    assert metric(page, "Training accuracy").endswith("%")
    assert metric(page, "Final loss")
    table = pd.read_csv(io.BytesIO(download_csv(page, "network_gradients.csv")))
    assert list(table.columns) == ["activation", "layer", "grad_norm"]
    assert set(table.activation) == set(nn.ACTIVATIONS)
    assert sorted(set(table.layer)) == [1, 2, 3, 4, 5]  # 1 = nearest the input, 5 = the output layer
    sigmoid = table[table.activation == "sigmoid"].sort_values("layer").grad_norm.to_numpy()
    assert sigmoid[0] < sigmoid[-1] / 10  # vanishing toward the input


def test_the_finder_link_carries_the_settings(page):
    goto(page, "/network?activation=tanh&layers=2&lr=1.0e-01&steps=100")
    href = page.get_by_test_id("stLinkButton").locator("a").get_attribute("href")
    assert href.startswith("lr-finder?")
    goto(page, "/" + href)
    params = query(page)
    assert params["activation"] == "tanh"
    assert params["layers"] == "2"
    no_exception(page)


def test_the_issues_links_run_to_a_result(page):
    """Issue 19: /network?activation=sigmoid&layers=4 and layers=8 (the page's "watch sigmoid
    gradients vanish layer by layer" demonstration) were refused; each now trains and shows
    every section."""
    for link in ("/network?activation=sigmoid&layers=4", "/network?activation=sigmoid&layers=8"):
        page.goto(page.base_url + link)
        page.get_by_test_id("stMetricValue").first.wait_for(timeout=120_000)
        page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=120_000)
        no_exception(page)
        assert metric(page, "Training accuracy").endswith("%")
        assert page.get_by_text("Layer 1's gradient as a share of the output layer's").count() == 1
