"""Compounding: closed forms at rel 1e-10, investor.gov, rate needed, best time to sell, bad input."""

import math

import numpy as np
import pytest

from optimizers import compounding as cm


class TestAnalyse:
    def test_basic(self):
        """The seed: $10,000 at 5% for 10 years -> $16,487.21, growing $824.36/year, doubling in 13.86 years."""
        r = cm.analyse(10_000, 0.05, 10)
        assert r.value == pytest.approx(10_000 * math.exp(0.5), rel=1e-12)
        assert r.growth_per_year == pytest.approx(0.05 * 10_000 * math.exp(0.5), rel=1e-12)
        assert round(r.value, 2) == 16487.21
        assert round(r.growth_per_year, 2) == 824.36
        assert r.doubling_years == pytest.approx(math.log(2) / 0.05, rel=1e-12)
        assert r.rule_of_72_years == pytest.approx(14.4)

    @pytest.mark.parametrize(("freq", "n"), [("annually", 1), ("quarterly", 4), ("monthly", 12), ("daily", 365)])
    def test_discrete_closed_forms(self, freq, n):
        r = cm.analyse(2_500, 0.07, 13, freq)
        assert r.value == pytest.approx(2_500 * (1 + 0.07 / n) ** (n * 13), rel=1e-10)
        assert r.doubling_years == pytest.approx(math.log(2) / (n * math.log(1 + 0.07 / n)), rel=1e-12)
        assert r.growth_per_year == pytest.approx(n * math.log1p(0.07 / n) * r.value, rel=1e-12)

    def test_investor_gov_example(self):
        """$10,000 plus $100/month for 10 years at 7% compounded monthly is $37,405.09."""
        r = cm.analyse(10_000, 0.07, 10, "monthly", 100)
        assert round(r.value, 2) == 37405.09
        annuity = 100 * ((1 + 0.07 / 12) ** 120 - 1) / (0.07 / 12)
        assert r.value == pytest.approx(10_000 * (1 + 0.07 / 12) ** 120 + annuity, rel=1e-12)
        assert r.contributed == 10_000 + 120 * 100
        assert r.schedule.iloc[-1].balance == pytest.approx(r.value, rel=1e-12)

    def test_curves_and_schedule(self):
        r = cm.analyse(10_000, 0.05, 10, "continuous", 50)
        np.testing.assert_allclose(r.curve.derivative, 0.05 * r.curve.value + 600, rtol=1e-12)
        parts = r.parts.pivot(index="year", columns="part", values="amount")
        np.testing.assert_allclose(parts.sum(axis=1), r.curve.set_index("x").value, rtol=1e-12)
        assert r.schedule.year.tolist() == list(range(11))

    def test_special_cases(self):
        zero = cm.analyse(10_000, 0.0, 10)
        assert zero.value == 10_000
        assert zero.doubling_years == math.inf
        assert zero.rule_of_72_years == math.inf
        shrink = cm.analyse(10_000, -0.05, 10)
        assert shrink.doubling_years == pytest.approx(-math.log(2) / 0.05)  # minus the half-life
        assert shrink.growth_per_year < 0

    def test_overflow_is_a_message(self):
        with pytest.raises(ValueError, match="overflows"):
            cm.analyse(1e12, 1.0, 1000)
        with pytest.raises(ValueError, match="overflows"):
            cm.comparison_table(1e300, [100])

    def test_input_validation(self):
        with pytest.raises(ValueError, match="principal must be a non-negative amount"):
            cm.analyse(-1, 0.05, 10)
        with pytest.raises(ValueError, match="rate must be a finite number"):
            cm.analyse(1, float("nan"), 10)
        with pytest.raises(ValueError, match="frequency must be one of"):
            cm.analyse(1, 0.05, 10, "hourly")
        with pytest.raises(ValueError, match="wipes out the balance"):
            cm.force_of_interest(-1.5, "annually")


class TestRateNeeded:
    @pytest.mark.parametrize(("m", "t"), [(2, 10), (3, 7), (0.5, 4), (10, 30)])
    def test_closed_forms(self, m, t):
        assert cm.rate_needed(m, t) == pytest.approx(math.log(m) / t, rel=1e-10)
        for freq, n in (("annually", 1), ("monthly", 12)):
            assert cm.rate_needed(m, t, freq) == pytest.approx(n * (m ** (1 / (n * t)) - 1), rel=1e-10)

    def test_default(self):
        assert round(100 * cm.rate_needed(2, 10), 2) == 6.93

    def test_input_validation(self):
        with pytest.raises(ValueError, match="target multiple must be positive"):
            cm.rate_needed(0, 10)
        with pytest.raises(ValueError, match="target years must be positive"):
            cm.rate_needed(2, 0)


class TestBestTimeToSell:
    @pytest.mark.parametrize(("g", "r"), [(0.5, 0.05), (1.0, 0.07), (0.3, 0.02), (2.0, 0.1)])
    def test_closed_form(self, g, r):
        s = cm.best_time_to_sell(10_000, g, r)
        assert s.optimum.x == pytest.approx((g / (2 * r)) ** 2, rel=1e-10)
        assert s.closed_form == pytest.approx((g / (2 * r)) ** 2, rel=1e-15)
        assert s.optimum.kind == "max"
        assert not s.optimum.at_boundary
        # V'/V = g / (2 sqrt t) crosses r exactly there
        assert g / (2 * math.sqrt(s.optimum.x)) == pytest.approx(r, rel=1e-10)

    def test_beyond_the_horizon(self):
        s = cm.best_time_to_sell(1, 3.0, 0.001)  # t* = 2.25 million years
        assert s.optimum.at_boundary
        assert s.optimum.x == cm.MAX_SELL_YEARS

    def test_input_validation(self):
        with pytest.raises(ValueError, match="positive rate"):
            cm.best_time_to_sell(1, 0.5, 0)


class TestParseRates:
    def test_basic(self):
        assert cm.parse_rates(" 5,7 , 10% ") == [5.0, 7.0, 10.0]

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("", "Enter one or more"),
            ("5, x", "'x' is not a rate"),
            ("500", "between -50% and 100%"),
            ("1,2,3,4,5,6,7", "At most 6"),
            ("nan", "between"),
            ("__import__('os')", "is not a rate"),
        ],
    )
    def test_input_validation(self, text, message):
        with pytest.raises(ValueError, match=message):
            cm.parse_rates(text)
