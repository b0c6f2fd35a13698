"""The Pricing page in Streamlit's AppTest: defaults, URL values, junk, the data path."""

import pandas as pd
import pytest

from tests.pages.conftest import metrics, open_page, shown


def test_defaults_show_the_seed_numbers():
    at = open_page("pricing")
    m = metrics(at)
    assert m["Optimal price"] == "$75.00"
    assert m["Maximum profit"] == "$30,250"
    assert m["Marginal profit"] == "$500 per $1"
    text = " ".join(md.value for md in at.markdown)
    assert "change +$490" in text  # the seed's +$1 experiment
    assert "f″ = -20 < 0" in text
    assert "maximum" in text
    assert "Raise your price" in at.success[0].value
    assert at.get("download_button")


def test_url_unit_cost():
    assert metrics(open_page("pricing", unit_cost="30"))["Optimal price"] == "$80.00"


@pytest.mark.parametrize(
    "params",
    [
        {"unit_cost": "abc"},
        {"unit_cost": "1e400"},
        {"unit_cost": "-5"},
        {"price": "NaN"},
        {"model": "quantum"},
        {"demand_slope": "0"},
        {"elasticity": "inf"},
    ],
)
def test_junk_url_values_fall_back_to_defaults(params):
    m = metrics(open_page("pricing", **params))
    assert m["Optimal price"] == "$75.00"
    assert m["Maximum profit"] == "$30,250"


def test_slider_moves_update_the_metric():
    at = open_page("pricing")
    at.slider(key="price").set_value(60.0).run()
    assert metrics(at)["Marginal profit"] == "$300 per $1"
    at.slider(key="price").set_value(90.0).run()
    assert metrics(at)["Marginal profit"] == "−$300 per $1"
    assert "Lower your price" in at.success[0].value


def test_elasticity_model():
    at = open_page("pricing", model="elasticity")
    assert metrics(at)["Optimal price"] == "$40.00"  # c e / (e - 1) = 20 * 2 / 1
    at = open_page("pricing", model="elasticity", elasticity="0.8")
    assert metrics(at)["Optimal price"] == "none"
    assert "no finite price maximises it" in shown(at.warning[0].value)


def test_cost_above_choke_price():
    at = open_page("pricing", unit_cost="150")
    assert metrics(at)["Optimal price"] == "none"
    assert "every sale loses money" in shown(at.warning[0].value)


def test_data_model_with_example_table():
    at = open_page("pricing", model="data")
    m = metrics(at)
    assert m["Optimal price"] == "$74.87"
    assert at.dataframe(key="sales_editor_0")  # the editable table is there
    at = open_page("pricing", model="data", fit="elasticity")
    assert metrics(at)["Optimal price"] != m["Optimal price"]


def _upload(at, content: bytes, name: str = "sales.csv"):
    at.file_uploader(key="sales_upload").set_value((name, content, "text/csv")).run()
    assert not at.exception
    return at


def test_upload_path():
    at = open_page("pricing", model="data")
    rows = pd.DataFrame({"price": [30, 60, 90], "units": [1000, 700, 400]})
    _upload(at, rows.to_csv(index=False).encode())
    assert metrics(at)["Optimal price"] == "$75.00"  # q = 1300 - 10p exactly


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"price,units\n50,800\n60,700\n", "at least 3 complete rows"),
        (b"price,units\n50,800\n50,700\n50,750\n", "same price"),
        (b"price,units\n50,800\nfifty,700\n70,600\n", "must be a number"),
        (b"price,units\n50,800\n-60,700\n70,600\n", "must be positive"),
        (b"cost,units\n50,800\n60,700\n70,600\n", "Missing column"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not UTF-8"),
        (b"", "empty"),
    ],
)
def test_bad_uploads_give_a_message(content, message):
    at = _upload(open_page("pricing", model="data"), content)
    assert at.error, "expected an error message on the page"
    assert message in shown(at.error[0].value)
    assert not at.metric  # nothing is computed from bad data
