"""Compounding: closed forms at rel 1e-10, investor.gov, rate needed, best time to sell, bad input."""

import math

import numpy as np
import pytest

from explain.sensitivity import note as sensitivity_note
from optimizers import compounding as cm
from optimizers.sensitivity import sensitivity, solve


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

    def test_start_of_month_is_an_annuity_due(self):
        """Deposits at the start of each month earn one month more: the annuity's value × (1 + i)."""
        i = 0.07 / 12
        end = cm.analyse(10_000, 0.07, 10, "monthly", 100)
        start = cm.analyse(10_000, 0.07, 10, "monthly", 100, "start")
        annuity = 100 * ((1 + i) ** 120 - 1) / i
        assert start.value == pytest.approx(10_000 * (1 + i) ** 120 + annuity * (1 + i), rel=1e-12)
        assert round(start.value, 2) == 37506.06
        assert start.contributed == end.contributed == 22_000  # 120 deposits either way
        assert start.schedule.iloc[-1].balance == pytest.approx(start.value, rel=1e-12)
        # one month in: the start-of-month saver has made 2 deposits, the end-of-month saver 1
        assert cm.paid_in(0, 100, 1 / 12 + 0.001, "start") == 200
        assert cm.paid_in(0, 100, 1 / 12 + 0.001, "end") == 100

    @pytest.mark.parametrize("freq", ["continuous", "annually", "daily"])
    def test_contributions_earn_the_equivalent_monthly_rate(self, freq):
        delta = cm.force_of_interest(0.06, freq)
        q = math.exp(delta / 12)  # one month of growth at the equivalent monthly rate q - 1
        r = cm.analyse(0, 0.06, 2, freq, 50)
        assert r.value == pytest.approx(sum(50 * q**k for k in range(24)), rel=1e-12)

    def test_inflation(self):
        r = cm.analyse(10_000, 0.05, 10, inflation=0.03)
        assert r.real_value == pytest.approx(10_000 * math.exp(0.5) / 1.03**10, rel=1e-12)
        assert r.value == pytest.approx(10_000 * math.exp(0.5), rel=1e-12)
        assert cm.analyse(10_000, 0.05, 10).real_value == r.value  # 0% inflation: today's money

    def test_parts_stack_principal_contributions_interest(self):
        r = cm.analyse(10_000, 0.05, 10, "monthly", 100)
        assert list(dict.fromkeys(r.parts.part)) == ["principal", "contributions", "interest"]
        assert r.parts.groupby("part").order.first().to_dict() == {"principal": 0, "contributions": 1, "interest": 2}

    def test_doubling_with_contributions(self):
        r = cm.analyse(10_000, 0.07, 10, "monthly", 100)
        assert r.doubling_years == pytest.approx(math.log(2) / (12 * math.log1p(0.07 / 12)), rel=1e-12)
        assert r.contribution_doubling_years == pytest.approx(13.445435490874, rel=1e-10)
        assert cm.analyse(10_000, 0.07, 10, "monthly").contribution_doubling_years == r.doubling_years

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
        with pytest.raises(ValueError, match="timing must be one of end, start"):
            cm.analyse(1, 0.05, 10, timing="late")
        with pytest.raises(ValueError, match="inflation must be a finite rate above -100%"):
            cm.analyse(1, 0.05, 10, inflation=-1.0)


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


class TestTimeToMultiple:
    def test_hand_checked(self):
        """$100 at the end of every month at 7% compounded monthly (i = 0.07/12), nothing else.

        After 216 deposits (18 years) the balance is 100((1+i)^216 - 1)/i = $43,072.10 for
        $21,600 put in (1.994×); a month later, before the 217th deposit, it is 43,072.10 ×
        (1+i) = $43,323.35 > $43,200. In between it grows as e^(δ(t - 18)) with
        δ = 12 ln(1+i) = 0.0697974, so t = 18 + ln(43,200 / 43,072.10) / δ = 18.04248 years.
        """
        delta = cm.force_of_interest(0.07, "monthly")
        t = cm.time_to_multiple(0, delta, 100)
        assert t == pytest.approx(18.04248024628839, rel=1e-10)
        assert float(cm.balance(0, delta, 100, t)) == pytest.approx(2 * float(cm.paid_in(0, 100, t)), rel=1e-12)

    def test_with_principal_and_both_timings(self):
        delta = cm.force_of_interest(0.07, "monthly")
        i = 0.07 / 12
        # end of month: first m with B_m (1 + i) >= 2 paid_m, then solve inside month m + 1 by hand
        for timing, extra in (("end", 0), ("start", 1)):
            m = 0
            while True:
                b = 10_000 * (1 + i) ** m + 100 * ((1 + i) ** (m + extra) - 1) / i
                paid = 10_000 + 100 * (m + extra)
                if b * (1 + i) >= 2 * paid:
                    break
                m += 1
            expected = m / 12 + math.log(2 * paid / b) / delta
            assert cm.time_to_multiple(10_000, delta, 100, timing) == pytest.approx(expected, rel=1e-10)

    @pytest.mark.parametrize("delta", [0.05, 0.003, -0.04])
    def test_without_contributions_is_ln2_over_delta(self, delta):
        assert cm.time_to_multiple(5_000, delta, 0) == pytest.approx(math.log(2) / abs(delta), rel=1e-10)

    def test_later_than_money_left_alone(self):
        assert cm.time_to_multiple(10_000, 0.05, 100) > math.log(2) / 0.05
        # a stream alone, continuously: e^x - 1 = 2x at x = 1.2564, so about 1.2564 / delta
        assert cm.time_to_multiple(0, 0.05, 100) == pytest.approx(1.2564 / 0.05, rel=0.01)

    def test_half_life_with_contributions(self):
        t = cm.time_to_multiple(0, -0.05, 100)
        assert float(cm.balance(0, -0.05, 100, t)) == pytest.approx(0.5 * float(cm.paid_in(0, 100, t)), rel=1e-12)
        assert t == pytest.approx(1.5936 / 0.05, rel=0.01)  # 1 - e^-x = x/2

    def test_special_cases(self):
        assert cm.time_to_multiple(10_000, 0.0, 100) == math.inf
        assert cm.time_to_multiple(0, 0.05, 0) == math.inf
        assert cm.time_to_multiple(10_000, 1e-300, 100) == math.inf  # beyond 1,000 years

    def test_input_validation(self):
        with pytest.raises(ValueError, match="timing must be one of end, start, got 'middle'"):
            cm.time_to_multiple(1, 0.05, 1, "middle")
        with pytest.raises(ValueError, match="contribution must be a non-negative amount"):
            cm.time_to_multiple(1, 0.05, -1)


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

    def test_no_principal(self):
        """The best time does not depend on the amount; with $0 there is $0 to sell."""
        s = cm.best_time_to_sell(0, 0.5, 0.05)
        assert s.optimum.x == pytest.approx(25.0, rel=1e-10)
        assert s.present_value == 0
        assert s.per_dollar == pytest.approx(math.exp(0.5 * 5 - 0.05 * 25), rel=1e-12)  # $3.49 per $1
        assert cm.best_time_to_sell(10_000, 0.5, 0.05).present_value == pytest.approx(10_000 * s.per_dollar)

    def test_beyond_the_horizon(self):
        s = cm.best_time_to_sell(1, 3.0, 0.001)  # t* = 2.25 million years
        assert s.optimum.at_boundary
        assert s.optimum.x == cm.MAX_SELL_YEARS

    def test_input_validation(self):
        with pytest.raises(ValueError, match="positive rate"):
            cm.best_time_to_sell(1, 0.5, 0)


class TestSellSensitivity:
    @pytest.mark.parametrize(("g", "r"), [(0.5, 5.0), (1.0, 7.0), (0.3, 2.0), (2.0, 10.0)])
    def test_closed_forms(self, g, r):
        rep = sensitivity(cm.sell_sensitivity_problem(10_000, g, r))
        rows = {row.parameter: row for row in rep.rows}
        t_star = (g / (2 * r / 100)) ** 2
        assert rep.optimum.x == pytest.approx(t_star, rel=1e-10)
        assert rows["asset_growth"].optimum_change_per_unit == pytest.approx(2 * t_star / g, rel=1e-9)
        assert rows["rate"].optimum_change_per_unit == pytest.approx(-2 * t_star / r, rel=1e-9)
        assert rows["asset_growth"].optimum_elasticity == pytest.approx(2, rel=1e-9)
        assert rows["rate"].optimum_elasticity == pytest.approx(-2, rel=1e-9)
        # envelope: dV*/dg = V* sqrt(t*), dV*/dR = -V* t* / 100 (R in %)
        v_star = 10_000 * math.exp(g * math.sqrt(t_star) - r / 100 * t_star)
        assert rows["asset_growth"].best_change_per_unit == pytest.approx(v_star * math.sqrt(t_star), rel=1e-9)
        assert rows["rate"].best_change_per_unit == pytest.approx(-v_star * t_star / 100, rel=1e-9)

    def test_matches_re_solving(self):
        problem = cm.sell_sensitivity_problem(2_500, 0.8, 6.0)
        for row in sensitivity(problem).rows:
            v = problem.theta()[row.parameter]
            d = 1e-4 * v
            up, down = solve(problem, **{row.parameter: v + d}), solve(problem, **{row.parameter: v - d})
            assert row.optimum_change_per_unit == pytest.approx((up.x - down.x) / (2 * d), rel=1e-6)
            assert row.best_change_per_unit == pytest.approx((up.fun - down.fun) / (2 * d), rel=1e-6)

    def test_beyond_the_horizon(self):
        rep = sensitivity(cm.sell_sensitivity_problem(10_000, 0.5, 0.05))  # t* = 250,000 years
        rows = {row.parameter: row for row in rep.rows}
        assert rep.optimum.at_boundary
        assert rep.optimum.x == cm.MAX_SELL_YEARS
        assert rows["rate"].optimum_change_per_unit == 0
        # (g / 2r)^2 = 1000 at r = g / (2 sqrt(1000)) = 0.791%: there t* leaves the end
        assert "leaves the upper end when rate r (%) reaches 0.7906" in sensitivity_note(rows["rate"])

    def test_no_principal_is_per_dollar(self):
        rep = sensitivity(cm.sell_sensitivity_problem(0, 0.5, 5.0))
        assert rep.optimum.x == pytest.approx(25.0, rel=1e-10)
        assert rep.optimum.fun == pytest.approx(math.exp(1.25), rel=1e-12)

    def test_input_validation(self):
        with pytest.raises(ValueError, match=r"needs a positive rate, got 0\.0%"):
            cm.sell_sensitivity_problem(1, 0.5, 0.0)
        with pytest.raises(ValueError, match="far beyond 1,000 years"):
            cm.sell_sensitivity_problem(1, 0.5, 1e-320)  # a subnormal rate from a link


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


class TestResult:
    """The page's one result for growth: statuses and the numbers the words need."""

    def test_rate_needed_and_comparison(self):
        r = cm.analyse(10_000, 0.05, 10, target_multiple=3.0, target_years=7.0, rates="4, 8")
        assert r.rate_needed == pytest.approx(math.log(3) / 7, rel=1e-10)
        assert list(r.comparison.columns) == ["years", "4%", "8%"]
        assert r.comparison["8%"].tolist() == pytest.approx([10_000 * math.exp(0.08 * y) for y in (5, 10, 20, 30)])
        assert r.rates_status is cm.RatesStatus.OK
        assert r.rates_error is None
        assert r.comparison_rates == (4.0, 8.0)

    @pytest.mark.parametrize(
        ("text", "status", "piece"),
        [
            ("5, seven", cm.RatesStatus.NOT_A_RATE, "seven"),
            ("", cm.RatesStatus.EMPTY, ""),
            ("1,2,3,4,5,6,7", cm.RatesStatus.TOO_MANY, ""),
            ("5, 500", cm.RatesStatus.OUT_OF_RANGE, "500"),
        ],
    )
    def test_unreadable_rates_fall_back(self, text, status, piece):
        r = cm.analyse(10_000, 0.05, 10, rates=text)
        assert r.rates_status is status
        assert r.rates_error.piece == piece
        assert r.comparison_rates == cm.DEFAULT_RATES
        assert list(r.comparison.columns) == ["years", "5%", "7%", "10%"]

    def test_comparison_overflow_falls_back(self):
        """1e88 at 100% for 30 years passes $1e100; the default rates do not."""
        r = cm.analyse(1e88, 0.05, 10, rates="100")
        assert r.rates_status is cm.RatesStatus.OVERFLOW
        assert r.comparison_rates == cm.DEFAULT_RATES

    def test_repeated_rates_once(self):
        r = cm.analyse(10_000, 0.05, 10, rates="5, 5.0, 7")
        assert list(r.comparison.columns) == ["years", "5%", "7%"]
        assert r.comparison_rates == (5.0, 7.0)

    @pytest.mark.parametrize(
        ("args", "trend"),
        [
            ((10_000, 0.05, 10), cm.Trend.GROWING),
            ((10_000, -0.05, 10), cm.Trend.SHRINKING),
            ((10_000, 0.0, 10), cm.Trend.FLAT),
            ((0, 0.05, 10), cm.Trend.FLAT),
            ((10_000, -0.05, 10, "monthly", 1_000), cm.Trend.GROWING),  # the additions outpace the loss
        ],
    )
    def test_trend(self, args, trend):
        assert cm.analyse(*args).trend is trend

    def test_overflow_says_what(self):
        with pytest.raises(cm.Overflow, match="overflows") as caught:
            cm.analyse(1e12, 1.0, 1000)
        assert (caught.value.what, caught.value.years) == ("balance", 1000.0)
        assert isinstance(caught.value, ValueError)

    def test_no_interest_is_exactly_zero(self):
        """Balance minus what was put in is rounding noise at 0% and before any interest."""
        for timing in cm.TIMINGS:
            r = cm.analyse(10_000, 0.0, 10, "monthly", 100, timing)
            assert (r.schedule.interest_earned == 0).all()
            assert (r.parts[r.parts.part == "interest"].amount == 0).all()
        assert cm.analyse(10_000, 0.05, 10, "monthly", 100).schedule.interest_earned.iloc[0] == 0

    @pytest.mark.parametrize("delta", [1e-12, 1e-9, 1e-6])
    def test_tiny_rates_earn_tiny_interest(self, delta):
        """Issue 19 (rounding noise): at δ = 1e-12 the schedule showed $9.60 of interest on $12,000 of
        additions, and −$0.0009 at 1e-9 (q − 1 = e^(δ/12) − 1 lost its digits to cancellation). The exact
        interest of 120 end-of-month deposits of $100 is 100 Σ_k (e^(δk/12) − 1), k = 0..119."""
        r = cm.analyse(0, delta, 10, "continuous", 100)
        exact = 100 * math.fsum(math.expm1(delta * k / 12) for k in range(120))
        assert r.schedule.interest_earned.iloc[-1] == pytest.approx(exact, rel=1e-6)
        assert r.value - r.contributed == pytest.approx(exact, rel=1e-3, abs=1e-9)


class TestSell:
    def test_statuses(self):
        assert cm.sell(10_000, 0.5, 5.0).status is cm.Sale.BEST_TIME
        assert cm.sell(10_000, 3.0, 0.05).status is cm.Sale.BEYOND  # (3 / 0.001)² = 9 million years
        for rate in (0.0, -5.0):
            s = cm.sell(10_000, 0.5, rate)
            assert s.status is cm.Sale.NEVER
            assert s.report is None
            assert s.problem is None

    def test_sensitivity_problem_needs_a_rate(self):
        s = cm.sell(10_000, 0.5, 1e-320)  # a subnormal rate from a link
        assert s.report is not None
        assert s.problem is None
        assert cm.sell(10_000, 0.5, cm.MIN_SENSITIVITY_RATE).problem is not None

    def test_rate_is_in_percent_unrounded(self):
        """The section's sensitivity table shows the slider's 7, not 100 × 0.07 = 7.000000000000001."""
        assert cm.sell(10_000, 0.5, 7.0).problem.theta()["rate"] == 7.0
        assert cm.sell(10_000, 0.5, 7.0).report.rate == pytest.approx(0.07, rel=1e-15)

    def test_input_validation(self):
        with pytest.raises(ValueError, match="rate must be a finite number"):
            cm.sell(1, 0.5, float("nan"))
