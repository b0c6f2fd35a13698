"""The Pricing page in Streamlit's AppTest: defaults, URL values, junk, the data path."""

import re

import pandas as pd
import pytest

from tests.pages.conftest import metrics, open_page, sensitivity_table, shown


def test_defaults_show_the_seed_numbers():
    at = open_page("pricing")
    m = metrics(at)
    assert m["Optimal price"] == "$75.00"
    assert m["Maximum profit"] == "$30,250"
    assert m["Marginal profit"] == "+$500"
    text = shown(" ".join(md.value for md in at.markdown))
    assert "change +$490" in text  # the seed's +$1 experiment
    assert "Not +$500, because the derivative is the slope at $50.00" in text
    assert "f″ = −20 < 0" in text  # one minus sign style on every page
    assert "maximum" in text
    assert "Raise your price" in at.success[0].value
    assert "profit rises by $6,250" in shown(at.success[0].value)
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
    assert metrics(at)["Marginal profit"] == "+$300"
    at.slider(key="price").set_value(90.0).run()
    assert metrics(at)["Marginal profit"] == "−$300"
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


def test_marginal_profit_metric_is_short_and_says_its_unit():
    at = open_page("pricing", price="1", demand_intercept="5000", demand_slope="50", unit_cost="200")
    m = next(x for x in at.metric if x.label == "Marginal profit")
    assert m.value == "+$14,900"  # 5000 - 2*50*1 + 50*200
    assert "per $1" in m.proto.help


def test_no_negative_customers_past_the_choke_price():
    """/pricing?price=200: nobody buys, and every number on the page agrees."""
    at = open_page("pricing", price="200")
    m = metrics(at)
    assert m["Optimal price"] == "$75.00"
    assert m["Maximum profit"] == "$30,250"
    assert m["Marginal profit"] == "$0"
    page_text = shown(" ".join(e.value for e in [*at.markdown, *at.success, *at.info, *at.caption]))
    assert "2,500" not in page_text
    assert "156,250" not in page_text
    assert "profit rises by $30,250" in shown(at.success[0].value)
    assert "Nobody buys at $200.00" in shown(at.info[0].value)
    assert "Nobody buys at either price" in page_text


@pytest.mark.parametrize(
    ("fixed", "best", "lo", "hi"), [("0", "$30,250", "$20.00", "$130.00"), ("20250", "$10,000", "$43.38", "$106.62")]
)
def test_fixed_costs_and_break_even(fixed, best, lo, hi):
    at = open_page("pricing", fixed_cost=fixed)
    m = metrics(at)
    assert m["Optimal price"] == "$75.00"
    assert m["Maximum profit"] == best
    text = shown(" ".join(e.value for e in at.markdown))
    assert f"Break-even prices: {lo} and {hi}" in text


def test_fixed_costs_above_the_best_profit():
    at = open_page("pricing", fixed_cost="40000")
    assert metrics(at)["Maximum profit"] == "−$9,750"
    text = shown(" ".join(e.value for e in at.markdown))
    assert "No price breaks even" in text


def test_margin_markup_and_lerner():
    m = metrics(open_page("pricing"))
    assert m["Margin at the best price"] == "73.3%"  # 55 / 75
    assert m["Markup at the best price"] == "275.0%"  # 55 / 20
    at = open_page("pricing", model="elasticity")
    m = metrics(at)
    assert m["Margin at the best price"] == "50.0%"  # 1/e
    text = shown(" ".join(e.value for e in at.caption))
    assert "Lerner check" in text
    assert "(p − c)/p = 50.0% equals 1/e = 1/2.00 = 50.0%" in text


def _sensitivity(at):
    """The 'What moves the optimum' table (AppTest does not expose a dataframe's key)."""
    return sensitivity_table(at).set_index("parameter")


def test_what_moves_the_optimum_at_the_defaults():
    at = open_page("pricing")
    t = _sensitivity(at)
    assert list(t.index) == ["unit_cost", "demand_intercept", "demand_slope", "fixed_cost"]
    assert t.loc["unit_cost", "optimum_change_per_unit"] == pytest.approx(0.5, rel=1e-12)
    assert t.loc["unit_cost", "best_change_per_unit"] == pytest.approx(-550, rel=1e-12)  # -q* = -(1300 - 750)
    assert any(d.proto.id.endswith("download_pricing_sensitivity_csv") for d in at.get("download_button"))


def test_what_moves_the_optimum_at_a_non_default_url():
    t = _sensitivity(open_page("pricing", unit_cost="30", fixed_cost="1000"))
    assert t.loc["unit_cost", "optimum_change_per_unit"] == pytest.approx(0.5, rel=1e-12)
    assert t.loc["unit_cost", "best_change_per_unit"] == pytest.approx(-(1300 - 800), rel=1e-12)
    assert t.loc["fixed_cost", "best_change_per_unit"] == pytest.approx(-1, rel=1e-12)
    t = _sensitivity(open_page("pricing", model="elasticity"))
    assert t.loc["unit_cost", "optimum_change_per_unit"] == pytest.approx(2.0, rel=1e-10)  # e/(e - 1)
    t = _sensitivity(open_page("pricing", model="data"))
    assert "fit_intercept" in t.index


def test_no_sensitivity_without_an_optimum():
    at = open_page("pricing", unit_cost="150")
    assert sensitivity_table(at) is None
    assert "What moves the optimum" not in [h.value for h in at.subheader]


def test_slider_labels_show_counts_without_decimals():
    at = open_page("pricing")
    fmt = {s.key: s.proto.format for s in at.slider}
    assert fmt["demand_intercept"] == "%.0f"  # customers, not "1300.00 customers"
    assert fmt["unit_cost"] == "$%.0f"
    assert fmt["fixed_cost"] == "$%.0f"
    assert fmt["price"] == "$%.2f"


def test_plus_one_experiment_where_nothing_changes_says_0_not_plus_0():
    text = shown(" ".join(e.value for e in open_page("pricing", price="200").markdown))
    assert "change $0. Nobody buys at either price" in text


# --- issue 19: what a newcomer saw -------------------------------------------------------------


def _everything(at) -> str:
    """Every element's text as a reader sees it, widget labels and help included."""
    return shown(" ".join(str(node.proto) for node in _walk(at._tree) if getattr(node, "proto", None) is not None))


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def _said(at) -> str:
    return shown(" ".join(e.value for e in [*at.markdown, *at.success, *at.info, *at.warning, *at.caption]))


def test_a_loss_making_shop_is_told_so():
    """/pricing?fixed_cost=40000 showed a green "Raise your price" box and never said that the
    shop loses money at every price."""
    at = open_page("pricing", fixed_cost="40000")
    assert not at.success
    advice = shown(next(w.value for w in at.warning if "Raise your price" in w.value)).replace("**", "")
    assert "You lose money at every price: at best, at $75.00, you lose $9,750 a week." in advice
    assert "profit rises" not in advice


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"model": "elasticity"},
        {"model": "data"},
        {"unit_cost": "150"},
        {"price": "200", "fixed_cost": "5000"},
        {"model": "elasticity", "elasticity": "5", "demand_intercept": "5000", "demand_slope": "0.5", "price": "1"},
    ],
)
def test_no_seed_no_scientific_dollars_no_signed_zero(params):
    """The page names no "seed"; no dollar amount in scientific notation (the last URL made
    "Maximum profit $4.00e+15"); no "+$0"."""
    at = open_page("pricing", **params)
    assert "seed" not in _everything(at).lower()
    said = _said(at) + " ".join(m.value for m in at.metric)
    assert not re.search(r"\$[\d.,]+[eE][+\-−]?\d", said), said
    assert not re.search(r"\+\$0(?![.,\d])|\+\$0\.0+(?!\d)", said), said


def test_free_units_under_inelastic_demand_are_not_called_elastic():
    """e = 0.8 and a $0 unit cost: profit rises with the price; the page said it "keeps growing
    as the price falls toward $0"."""
    at = open_page("pricing", model="elasticity", elasticity="0.8", unit_cost="0")
    warning = shown(at.warning[0].value)
    assert "as the price falls" not in warning
    assert "Profit keeps growing as the price rises" in warning


# --- issue 22: reach a target, and how sure a fitted best price is -------------------------------


def _dataset(at, name: str) -> pd.DataFrame | None:
    """The table a chart draws under ``name`` (Arrow IPC in the spec), or None."""
    import pyarrow as pa

    for chart in at.get("vega_lite_chart"):
        for d in chart.proto.datasets:
            if d.name == name:
                return pa.ipc.open_stream(d.data.data).read_all().to_pandas()
    return None


def test_target_from_a_link_says_both_prices_and_marks_them():
    at = open_page("pricing", target="25000")
    assert at.number_input(key="target").value == 25_000
    text = shown(" ".join(md.value for md in at.markdown))
    assert "Profit is $25,000 at $52.09 and at $97.91" in text
    target = _dataset(at, "target")
    d = (1500**2 - 40 * 51_000) ** 0.5  # 10p² − 1500p + 51,000 = 0
    solutions = target[target["kind"] == "solution"]
    assert list(solutions["x"]) == pytest.approx([(1500 - d) / 20, (1500 + d) / 20], rel=1e-10)
    assert set(target["y"]) == {25_000.0}
    assert (target["kind"] == "line").sum() == 1
    assert _dataset(at, "band") is None  # no interval on the tutorial's model: nothing is fitted


def test_no_target_no_target_line():
    at = open_page("pricing")
    assert _dataset(at, "target") is None
    assert "Target" not in shown(" ".join(md.value for md in at.markdown))


@pytest.mark.parametrize("value", ["abc", "nan", "inf", "1e999", "<b>x</b>", "25000;drop"])
def test_junk_target_falls_back_with_a_note(value):
    at = open_page("pricing", target=value)
    assert at.number_input(key="target").value == 0
    assert "Target" not in shown(" ".join(md.value for md in at.markdown))
    assert any("target" in c.value for c in at.caption)


def test_target_above_the_best_profit_says_by_how_much():
    at = open_page("pricing", target="31000")
    text = shown(" ".join(md.value for md in at.markdown))
    assert "No price makes $31,000: the most is $30,250, at $75.00 ($750 short)." in text


def test_interval_on_the_example_weeks():
    at = open_page("pricing", model="data")
    m = metrics(at)
    assert m["Optimal price"] == "$74.87"
    assert m["Best price, 90% interval"] == "$73.62 – $76.49"
    text = shown(" ".join(md.value for md in at.markdown))
    assert "Resampling your 10 weeks 1,000 times" in text
    assert "Pricing at $50.00 instead of $74.87 loses" in text
    assert any("right shape" in c.value for c in at.caption)
    band = _dataset(at, "band")
    assert len(band) > 50
    assert (band["low"] <= band["high"]).all()
    curve = _dataset(at, "curve")  # the profit curve fitted to all weeks: the band is around it
    assert list(band["x"]) == pytest.approx(list(curve["x"]), rel=1e-12)
    best = curve["value"].idxmax()
    assert band["low"][best] <= curve["value"][best] <= band["high"][best]


def test_interval_follows_the_fit_and_a_target_with_data():
    at = open_page("pricing", model="data", fit="elasticity", target="20000")
    m = metrics(at)
    assert "Best price, 90% interval" in m
    text = shown(" ".join(md.value for md in at.markdown))
    assert "Target $20,000 a week." in text
    assert "could not be used" in text  # a quarter of the resamples have e ≤ 1: counted, not dropped
    assert any("rough range" in w.value for w in at.warning)


def test_no_interval_without_data():
    for model in ("linear", "elasticity"):
        assert not any("interval" in label for label in metrics(open_page("pricing", model=model)))


def test_moving_your_price_or_the_target_reuses_the_interval(monkeypatch):
    """The bootstrap runs in the worker pool once per weeks, fit and costs: a price step or a new
    target takes it (and its band) from the cache; a new unit cost computes a new one."""
    import ui.work

    calls = []
    real = ui.work.in_pool

    def counted(fn, *args, **kwargs):
        calls.append(fn.__name__)
        return real(fn, *args, **kwargs)

    monkeypatch.setattr(ui.work, "in_pool", counted)
    at = open_page("pricing", model="data", unit_cost="21")
    before = len(calls)
    assert before <= 1  # 0 when an earlier test already computed this interval
    at.slider(key="price").set_value(60.0).run()
    at.slider(key="price").set_value(70.0).run()
    at.number_input(key="target").set_value(20_000.0).run()
    assert not at.exception
    assert len(calls) == before
    assert metrics(at)["Best price, 90% interval"].count("$") == 2
    at.slider(key="unit_cost").set_value(30.0).run()
    assert calls[before:] == ["price_interval"]
