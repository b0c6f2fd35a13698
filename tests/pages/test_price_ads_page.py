"""The Price-and-advertising page in AppTest: the tutorial's shop, every URL parameter, slider
moves, the charts' data, and the sensitivity section (its exact numbers and CSV columns)."""

import json

import pyarrow as pa
import pytest

from explain import price_ads as words
from explain.format import money
from optimizers import multivariate as mv
from optimizers import price_ads as pd_
from tests.pages.conftest import metrics, open_page, shown


def page_text(at) -> str:
    return " ".join(shown(e.value) for e in [*at.markdown, *at.caption, *at.info, *at.success, *at.warning])


def datasets(at, i: int) -> dict[str, list[dict]]:
    chart = at.get("vega_lite_chart")[i]
    return {d.name: pa.ipc.open_stream(d.data.data).read_all().to_pylist() for d in chart.proto.datasets}


def test_defaults_are_the_tutorials_shop():
    at = open_page("price-ads")
    assert metrics(at) == {
        "Optimal price": "$40.00",
        "Optimal ad spend": "$4,494",
        "Maximum profit": "$40,449",
        "Ad spend / revenue": "5.0%",
    }
    text = page_text(at)
    assert "At $75 with $1,000 of ads a week, this scale sells 550 pairs a week." in text
    assert "Lower your price toward $40.00 and raise your ad spend toward $4,494 a week." in text
    assert "makes $29,250 a week; the best plan makes $40,449 a week, $11,199 more." in text
    assert "the Dorfman–Steiner rule" in text
    assert "markup rule of the Pricing page" in text
    assert "both negative: a maximum" in text
    assert "reaches the best plan after 19 steps" in text
    assert "### What moves the optimum" in " ".join(m.value for m in at.markdown)


def test_dollar_signs_never_read_as_math():
    at = open_page("price-ads")
    for el in [*at.markdown, *at.caption, *at.info]:
        assert "$" not in el.value.replace("\\$", ""), el.value


def test_url_parameters():
    at = open_page(
        "price-ads",
        unit_cost="30",
        price_elasticity="3",
        ad_elasticity="0.2",
        fixed_cost="5000",
        price="40",
        ad_spend="2000",
    )
    m = metrics(at)
    assert m["Optimal price"] == "$45.00"  # 30 · 3 / 2
    assert m["Ad spend / revenue"] == "6.7%"  # 0.2 / 3
    r = pd_.analyse(30, 3, 0.2, pd_.DEFAULT_SCALE, 5000, 40, 2000)
    assert m["Maximum profit"] == money(r.optimal_profit, 0)
    assert m["Optimal ad spend"] == money(r.optimal_ad_spend, 0)


def test_scale_parameter():
    at = open_page("price-ads", scale="3101096")  # twice the default: 1,100 pairs at $75 with $1,000 of ads
    assert "this scale sells 1,100 pairs a week" in page_text(at)
    expected = pd_.optimal_ad_spend(20, 2, 0.1, 3101096)
    assert metrics(at)["Optimal ad spend"] == money(expected, 0)


@pytest.mark.parametrize(
    "params", [{"price": "0"}, {"ad_elasticity": "1.5"}, {"price_elasticity": "1"}, {"scale": "-5"}]
)
def test_out_of_range_values_fall_back(params):
    assert metrics(open_page("price-ads", **params))["Optimal price"] == "$40.00"


def test_slider_moves():
    at = open_page("price-ads")
    at.slider(key="price").set_value(40.0).run()
    at.slider(key="ad_spend").set_value(4500.0).run()
    kind = at.success[0].value
    assert "already the best one" in kind
    at.slider(key="unit_cost").set_value(25.0).run()
    assert metrics(at)["Optimal price"] == "$50.00"
    assert "raise your price toward $50.00" in shown(at.info[0].value).lower()


def test_charts():
    at = open_page("price-ads")
    assert len(at.get("vega_lite_chart")) == 3
    profit_map = datasets(at, 0)
    assert profit_map["box"][0]["url"].startswith("data:image/png;base64,")
    assert (profit_map["box"][0]["x0"], profit_map["box"][0]["x1"]) == (20.0, 112.5)  # 0.5 · $40, 1.5 · $75
    marks = {m["role"]: (m["x"], m["y"]) for m in profit_map["marks"]}
    assert marks["start"] == (75.0, 1000.0)
    assert marks["optimum"][0] == pytest.approx(40.0, rel=1e-10)
    assert marks["optimum"][1] == pytest.approx(pd_.optimal_ad_spend(), rel=1e-10)
    assert (profit_map["path"][0]["x"], profit_map["path"][0]["y"]) == (75.0, 1000.0)
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert spec["layer"][0]["encoding"]["x"]["axis"]["title"] == "Price ($)"
    assert spec["layer"][0]["encoding"]["y"]["axis"]["title"] == "Weekly ad spend ($)"
    by_price, by_ads = datasets(at, 1), datasets(at, 2)
    assert len(by_price["curve"]) == len(by_ads["curve"]) == 121
    best = [m for m in by_price["marks"] if m["role"] == "optimum"]
    assert best[0]["x"] == pytest.approx(40.0, rel=1e-10)


def test_sensitivity_section():
    at = open_page("price-ads")
    table = next(shown(m.value) for m in at.markdown if "% per 1% of the input" in shown(m.value))
    assert "| unit cost = $20; price | +2 | +1.000 | −2,247 |" in table
    toggle = at.toggle(key="price-ads_sensitivity_exact")
    toggle.set_value(True).run()
    exact = at.dataframe[0].value
    assert list(exact.columns) == mv.SENSITIVITY_COLUMNS
    assert exact.coordinate.tolist() == ["price", "ad_spend"] * 5
    rows = exact.set_index(["parameter", "coordinate"])
    # dp*/dc = e/(e − 1) = 2 and dV*/dc = −q* (envelope theorem) at the defaults
    assert rows.loc[("unit_cost", "price"), "optimum_change_per_unit"] == pytest.approx(2.0, rel=1e-8)
    q = pd_.customers(40.0, pd_.optimal_ad_spend())
    assert rows.loc[("unit_cost", "price"), "best_change_per_unit"] == pytest.approx(-q, rel=1e-8)
    download = at.get("download_button")[0]
    assert download.proto.label == words.DOWNLOAD_LABEL
