"""The Compounding page in AppTest."""

import json
import math

import pandas as pd
import pytest

from tests.pages.conftest import metrics, open_page, shown
from tests.pages.conftest import sensitivity_table as conftest_sensitivity_table


def page_text(at) -> str:
    return " ".join(shown(e.value) for e in (*at.markdown, *at.caption, *at.info, *at.warning))


def sensitivity_table(at) -> pd.DataFrame:
    return conftest_sensitivity_table(at)


def test_defaults_show_the_seed_numbers():
    at = open_page("compounding")
    m = metrics(at)
    assert m["Value after 10 years"] == "$16,487.21"
    assert m["Growth rate now, per year"] == "$824.36"
    assert m["Doubling time"] == "13.86 years"
    assert m["Rate needed"] == "6.93%"
    assert m["Best time to sell"] == "25.0 years"
    assert m["Present value then"] == "$34,903.43"  # 10,000 e^(0.5·5 − 0.05·25)
    assert m["In today's money"] == "$16,487.21"  # no inflation by default
    caption = at.caption[0].value
    assert "$2.26 a day" in caption
    assert "Rule of 72 for money left alone: 14.40 years (+0.54 years" in caption


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
    page_text_ = " ".join(str(e.value) for e in at.main if hasattr(e, "value") and isinstance(e.value, str))
    assert "inf" not in page_text_.replace("information", "")


@pytest.mark.parametrize(
    "params",
    [
        {"rate": "abc"},
        {"years": "-3"},
        {"frequency": "hourly"},
        {"principal": "NaN"},
        {"target_multiple": "0"},
        {"timing": "middle", "contribution": "0"},
        {"inflation": "-50"},
    ],
)
def test_junk_url_values_fall_back(params):
    assert metrics(open_page("compounding", **params))["Value after 10 years"] == "$16,487.21"


def test_bad_comparison_rates_warn():
    at = open_page("compounding", rates="5, seven")
    assert "'seven' is not a rate" in shown(at.warning[0].value)
    table = shown(next(md.value for md in at.markdown if "Compound growth power" in md.value))
    assert "| 5 | $12,840 | $14,191 | $16,487 |" in table  # the default comparison is still shown


def test_nothing_invested_is_said():
    at = open_page("compounding", principal="0")
    assert "Nothing is invested" in shown(at.info[0].value)
    assert not [i for i in open_page("compounding").info if "Nothing is invested" in i.value]


def test_comparison_says_what_it_compares():
    at = open_page("compounding", contribution="100", frequency="monthly")
    heading = shown(next(md.value for md in at.markdown if "Compound growth power" in md.value))
    assert "$10,000 left alone, compounded monthly (without the monthly additions):" in heading
    assert "| 10 | $16,470 |" in heading  # 10,000 (1 + 0.05/12)^120, not the $31,998 with additions


def test_no_st_table_in_the_rerun_path():
    """st.table ships a heavy grid on every rerun; the page's tables are markdown or toggled grids."""
    for at in (open_page("compounding"), open_page("compounding", contribution="100", rates="3, 4, 5, 6")):
        assert not at.table


def test_amounts_show_no_decimals():
    at = open_page("compounding")
    formats = {n.key: n.proto.format for n in at.number_input}
    assert formats["principal"] == "%.0f"
    assert formats["contribution"] == "%.0f"
    assert formats["years"] == "%g"


class TestStackedBalance:
    def test_principal_at_the_bottom(self):
        at = open_page("compounding", contribution="100")
        specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
        rows = [row for s in specs for row in s.get("vconcat", [s])]
        area = next(row["layer"][0] for row in rows if row["layer"][0]["mark"].get("type") == "area")
        # stacked from the bottom in the order of the series: principal, contributions, interest
        assert area["encoding"]["order"] == {"field": "stack_order", "type": "quantitative"}
        assert area["encoding"]["color"]["scale"]["domain"] == ["principal", "contributions", "interest"]


class TestContributions:
    def test_doubling_time_with_contributions(self):
        at = open_page("compounding", rate="7", contribution="100", frequency="monthly")
        m = metrics(at)
        # Issue 19: "Doubling time" is always ln 2 / δ, money left alone (docs/pages/compounding.md); it
        # showed 13.45 years here, when the balance is 2 × (10,000 + 100 a month so far), which the help says
        assert m["Doubling time"] == "9.93 years"  # ln 2 / (12 ln(1 + 0.07/12))
        help_text = next(x.proto.help for x in at.metric if x.label == "Doubling time")
        assert "twice what was put in (the principal plus the additions so far) after 13.45 years" in help_text
        assert "Money left alone doubles in 9.93 years" in help_text
        assert "Rule of 72 for money left alone" in page_text(at)

    def test_doubling_with_contributions_in_words(self):
        text = page_text(open_page("compounding", rate="7", contribution="100", frequency="monthly"))
        assert (
            "With $100 added every month, the balance is twice what you put in (principal plus additions so far) "
            "after 13.45 years; money left alone doubles in 9.93 years." in text
        )
        text = page_text(open_page("compounding", rate="-5", contribution="100"))
        assert "the balance is half what you put in" in text
        assert "money left alone halves in 13.86 years" in text

    def test_start_of_month(self):
        at = open_page("compounding", rate="7", contribution="100", frequency="monthly", timing="start")
        m = metrics(at)
        assert m["Value after 10 years"] == "$37,506.06"  # the annuity due: each deposit earns a month more
        assert m["Put in"] == "$22,000.00"
        assert "start of every month" in page_text(at)

    def test_end_of_month_is_the_default_and_said(self):
        at = open_page("compounding", rate="7", contribution="100", frequency="monthly")
        assert "end of every month (as investor.gov computes)" in page_text(at)

    def test_other_frequencies_say_the_equivalent_monthly_rate(self):
        at = open_page("compounding", contribution="100")
        assert f"equivalent monthly rate e^(δ/12) − 1 = {math.expm1(0.05 / 12):.4%}" in page_text(at)

    def test_timing_only_applies_with_contributions(self):
        at = open_page("compounding", timing="start")
        assert not [s for s in at.segmented_control if s.key == "timing"]
        assert "timing" not in at.query_params

    def test_inflation(self):
        m = metrics(open_page("compounding", inflation="3"))
        assert m["In today's money"] == f"${10_000 * math.exp(0.5) / 1.03**10:,.2f}" == "$12,268.03"


class TestWhenToSell:
    def test_no_principal(self):
        at = open_page("compounding", principal="0")
        m = metrics(at)
        assert m["Best time to sell"] == "25.0 years"
        assert m["Present value then"] == "$0.00"  # not $3.49
        text = page_text(at)
        assert "With no principal there is nothing to sell" in text
        assert "each $1 the asset is worth today is worth $3.49" in text

    def test_sensitivity_table_at_defaults(self):
        table = sensitivity_table(open_page("compounding")).set_index("parameter")
        assert table.index.tolist() == ["asset_growth", "rate"]
        assert table.loc["asset_growth", "optimum_change_per_unit"] == pytest.approx(2 * 25 / 0.5, rel=1e-9)
        assert table.loc["rate", "optimum_change_per_unit"] == pytest.approx(-2 * 25 / 5, rel=1e-9)

    def test_sensitivity_table_at_a_non_default_url(self):
        at = open_page("compounding", rate="8", asset_growth="1.2")
        t_star = (1.2 / (2 * 0.08)) ** 2
        table = sensitivity_table(at).set_index("parameter")
        assert table.loc["asset_growth", "optimum_change_per_unit"] == pytest.approx(2 * t_star / 1.2, rel=1e-9)
        assert table.loc["rate", "optimum_change_per_unit"] == pytest.approx(-2 * t_star / 8, rel=1e-9)
        assert table.loc["rate", "optimum_elasticity"] == pytest.approx(-2, rel=1e-9)

    def test_no_section_without_a_positive_rate(self):
        at = open_page("compounding", rate="-2")
        assert sensitivity_table(at) is None
        assert sensitivity_table(open_page("compounding")) is not None  # the same check sees it at 5%

    def test_subnormal_rate_is_a_sentence(self):
        at = open_page("compounding", rate="1e-320", contribution="100")
        text = page_text(at)
        assert "nan" not in text.lower()
        assert "far beyond 1,000 years" in text
        assert metrics(at)["Doubling time"] == "over 1,000 years"


class TestIssue19:
    def test_compounded_continuously(self):
        """'compounded continuous' read wrong; every frequency reads 'compounded <adverb>'."""
        at = open_page("compounding")
        heading = shown(next(md.value for md in at.markdown if "Compound growth power" in md.value))
        assert "$10,000 left alone, compounded continuously:" in heading
        help_text = next(x.proto.help for x in at.metric if x.label == "Rate needed")
        assert help_text == "to grow 2× in 10 years, compounded continuously"
        annual = open_page("compounding", frequency="annually", contribution="100")
        assert "with annual compounding each earns the equivalent monthly rate" in page_text(annual)

    def test_amounts_have_no_upper_end_to_print(self):
        """The browser printed 'Please enter a value between 0 and 1000000000000000' for the principal
        (Streamlit formats the bounds with the input's %.0f): no upper end, so no such message."""
        at = open_page("compounding", contribution="100")
        for key in ("principal", "contribution"):
            assert not at.number_input(key=key).proto.has_max

    def test_big_amounts_are_not_in_e_notation(self):
        at = open_page("compounding", principal="1000000000000000")
        m = metrics(at)
        assert m["Value after 10 years"] == "$1.65 × 10¹⁵"  # was '$1.65e+15'
        assert m["Growth rate now, per year"] == "$82,436,063,535,006.42"  # below a quadrillion: every digit
        # this page's words; "What moves the optimum" (ui/sensitivity.py) formats its own table
        own = [shown(e.value) for e in (*at.markdown, *at.caption, *at.info) if "What moves the optimum" not in e.value]
        text = " ".join([*own, *m.values(), *(x.proto.help for x in at.metric)])
        assert "e+" not in text
        assert "$1.00 × 10¹⁵ left alone, compounded continuously:" in text

    def test_tiny_rates_show_no_rounding_noise(self):
        """At 1e-10 % a year the $10,000 and 120 additions of $100 earn 1.6e-7 dollars of interest in ten
        years; the schedule said $9.60 (e^(δ/12) − 1 lost its digits to cancellation)."""
        at = open_page("compounding", rate="0.0000000001", contribution="100")
        at.toggle(key="show_compounding_csv").set_value(True).run()
        schedule = next(d.value for d in at.dataframe if "interest_earned" in d.value.columns)
        d = 1e-12  # a year, continuously
        exact = 10_000 * math.expm1(10 * d) + 100 * math.fsum(math.expm1(d * k / 12) for k in range(120))
        assert schedule.interest_earned.iloc[-1] == pytest.approx(exact, rel=1e-3)
        assert (schedule.interest_earned >= 0).all()

    def test_one_year(self):
        assert "Value after 1 year" in metrics(open_page("compounding", years="1"))


# --- issue 22: a range of rates and a target balance from the link ---------------------------------


def _named(at, name: str) -> pd.DataFrame | None:
    import pyarrow as pa

    for chart in at.get("vega_lite_chart"):
        for d in chart.proto.datasets:
            if d.name == name:
                return pa.ipc.open_stream(d.data.data).read_all().to_pandas()
    return None


def test_rate_spread_and_target_from_a_link():
    at = open_page("compounding", rate_spread="2", target="15000")
    assert at.slider(key="rate_spread").value == 2
    low, high = 10_000 * math.exp(0.3), 10_000 * math.exp(0.7)  # 5% ± 2 points, continuous, 10 years
    text = page_text(at)
    assert f"the balance after 10 years is between ${low:,.2f} and ${high:,.2f}" in text
    assert f"The balance reaches $15,000 after {math.log(1.5) / 0.05:.2f} years." in text
    band = _named(at, "band")
    assert band["low"].iloc[-1] == pytest.approx(low, rel=1e-10)
    assert band["high"].iloc[-1] == pytest.approx(high, rel=1e-10)
    target = _named(at, "target")
    assert list(target.loc[target["kind"] == "solution", "x"]) == pytest.approx([math.log(1.5) / 0.05], rel=1e-10)


def test_no_spread_no_target_no_extra_chart():
    at = open_page("compounding")
    assert _named(at, "band") is None
    assert _named(at, "target") is None


@pytest.mark.parametrize(("key", "value"), [("target", "-5"), ("rate_spread", "99"), ("rate_spread", "x")])
def test_junk_is_said_not_used(key, value):
    at = open_page("compounding", **{key: value})
    assert _named(at, "band") is None
    notes = " ".join(shown(c.value) for c in at.caption)
    assert f"{key}=" in notes
    assert "inf" not in notes
