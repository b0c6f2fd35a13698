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
