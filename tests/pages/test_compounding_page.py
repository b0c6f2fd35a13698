"""The Compounding page in AppTest."""

import pytest

from tests.pages.conftest import metrics, open_page, shown


def test_defaults_show_the_seed_numbers():
    at = open_page("compounding")
    m = metrics(at)
    assert m["Value after 10 years"] == "$16,487.21"
    assert m["Growth rate now"] == "$824.36/year"
    assert m["Doubling time"] == "13.86 years"
    assert m["Rate needed"] == "6.93%"
    assert m["Best time to sell"] == "25.0 years"
    caption = at.caption[0].value
    assert "$2.26 a day" in caption
    assert "Rule of 72: 14.40 years (+0.54 years" in caption


def test_url_values():
    m = metrics(open_page("compounding", rate="7", contribution="100", frequency="monthly"))
    assert m["Value after 10 years"] == "$37,405.09"  # investor.gov's example
    m = metrics(open_page("compounding", years="20", frequency="annually"))
    assert m["Value after 20 years"] == "$26,532.98"  # 10000 * 1.05**20
    assert m["Doubling time"] == "14.21 years"


def test_zero_and_negative_rates():
    at = open_page("compounding", rate="0")
    m = metrics(at)
    assert m["Doubling time"] == "never"
    assert "no doubling time" in at.caption[0].value
    assert "no best time to sell" in shown(at.info[0].value)
    m = metrics(open_page("compounding", rate="-5"))
    assert m["Half-life"] == "13.86 years"
    assert "Doubling time" not in m


def test_overflow_is_a_clear_message():
    at = open_page("compounding", principal="1000000000000000", rate="30", years="1000")
    assert "overflows" in shown(at.error[0].value)
    assert not at.metric
    page_text = " ".join(str(e.value) for e in at.main if hasattr(e, "value") and isinstance(e.value, str))
    assert "inf" not in page_text.replace("information", "")


@pytest.mark.parametrize(
    "params",
    [{"rate": "abc"}, {"years": "-3"}, {"frequency": "hourly"}, {"principal": "NaN"}, {"target_multiple": "0"}],
)
def test_junk_url_values_fall_back(params):
    assert metrics(open_page("compounding", **params))["Value after 10 years"] == "$16,487.21"


def test_bad_comparison_rates_warn():
    at = open_page("compounding", rates="5, seven")
    assert "'seven' is not a rate" in shown(at.warning[0].value)
    table = shown(next(md.value for md in at.markdown if "Compound growth power" in md.value))
    assert "| 5 | $12,840 | $14,191 | $16,487 |" in table  # the default comparison is still shown
