"""Bootstrap intervals on fitted optima: the vectorised refits against the library's own fits
resample by resample, an independent plain resampling, the delta method, exact data, counted
failures, the cost of a choice, bands, progress, the Compounding rate spread and the doc's numbers."""

import doctest
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from optimizers import compounding, fuel, pricing, progress
from optimizers import uncertainty as un
from optimizers.cost import Cost

ROOT = Path(__file__).resolve().parents[2]
SALES = pricing.fit_sales(pricing.EXAMPLE_SALES)
OUTLIER = pricing.EXAMPLE_SALES.assign(units=[2000.0, *pricing.EXAMPLE_SALES.units[1:]])  # Issue 12's edit: $63.67
CAR = fuel.fit_observations(fuel.EXAMPLE_OBSERVATIONS)


def scipy_indices(n_rows, n_resamples=un.DEFAULT_RESAMPLES, seed=un.DEFAULT_SEED):
    """The rows scipy.stats.bootstrap draws: rng.integers(0, n, (B, n)) from default_rng(seed).

    scipy draws them batch by batch; Generator.integers gives the same stream either way. If a
    scipy release changed how it draws, the resample-by-resample tests below say so.
    """
    return np.random.default_rng(seed).integers(0, n_rows, (n_resamples, n_rows))


def plain_prices(prices, units, idx, fit, c):
    """One Python-level fit per resample with optimizers.pricing: (optimum or None, params)."""
    fitter = pricing.fit_linear if fit == "linear" else pricing.fit_elasticity
    out = []
    for rows in idx:
        p, q = prices[rows], units[rows]
        if np.unique(p).size < 2:
            out.append((None, None))
            continue
        try:
            m = fitter(p, q).model
        except ValueError:
            out.append((None, None))
            continue
        out.append((pricing.optimal_price(m, c), m))
    return out


def synthetic_sales(n, seed=5, noise=15.0):
    rng = np.random.default_rng(seed)
    p = rng.uniform(40, 100, n)
    return pd.DataFrame({"price": p, "units": 1300 - 10 * p + rng.normal(0, noise, n)})


class TestPriceInterval:
    def test_basic(self):
        """Example sales at $20: the line's $74.87 inside a 90% interval, every resample fitted."""
        boot = un.price_interval(SALES, 20.0)
        iv = boot.interval
        assert iv.estimate == pytest.approx(pricing.optimal_price(SALES.linear.model, 20.0), rel=1e-15)
        assert iv.low < iv.estimate < iv.high
        assert (iv.status, iv.level, iv.n_resamples, iv.n_fitted, iv.failures, iv.seed) == (
            un.IntervalStatus.OK,
            0.9,
            1000,
            1000,
            (),
            un.DEFAULT_SEED,
        )
        assert boot.optima.shape == (1000,)
        assert boot.params.shape == (1000, 2)
        # the percentile interval of the resampled optima (scipy's quantile is numpy's 'linear')
        np.testing.assert_allclose([iv.low, iv.high], np.quantile(boot.optima, [0.05, 0.95]), rtol=1e-14)
        assert iv.standard_error == pytest.approx(np.std(boot.optima, ddof=1), rel=1e-14)

    def test_a_link_reproduces_its_interval(self):
        a, b = un.price_interval(SALES, 20.0, seed=7), un.price_interval(SALES, 20.0, seed=7)
        assert a.interval == b.interval
        np.testing.assert_array_equal(a.optima, b.optima)
        other = un.price_interval(SALES, 20.0, seed=8).interval
        assert (other.low, other.high) != (a.interval.low, a.interval.high)

    @pytest.mark.parametrize("fit", ["linear", "elasticity"])
    def test_every_resample_matches_the_library_fit(self, fit):
        """Resample by resample, the batched closed-form refit is pricing.fit_linear / fit_elasticity
        + optimal_price, and a resample those reject is exactly a counted failure."""
        boot = un.price_interval(SALES, 20.0, fit)
        plain = plain_prices(SALES.prices, SALES.units, scipy_indices(10), fit, 20.0)
        fitted = [(x, m) for x, m in plain if x is not None]
        assert len(fitted) == boot.interval.n_fitted
        assert sum(x is None for x, _ in plain) == boot.interval.n_failed
        np.testing.assert_allclose(boot.optima, [x for x, _ in fitted], rtol=1e-10)
        names = ("a", "b") if fit == "linear" else ("scale", "elasticity")
        np.testing.assert_allclose(boot.params, [[getattr(m, k) for k in names] for _, m in fitted], rtol=1e-10)

    def test_independent_plain_resampling(self):
        """Another generator, one Python-level fit per resample, numpy's percentiles: the same
        interval within Monte Carlo error. For B = 2,000 the 5% quantile of a normal sample has a
        standard error of sqrt(0.05·0.95/B)/φ(1.645)·σ = 0.047σ; two independent runs differ by
        0.067σ on average; 0.35σ is more than five of those."""
        boot = un.price_interval(SALES, 20.0, n_resamples=2000)
        rng = np.random.default_rng(12345)
        idx = rng.integers(0, 10, (2000, 10))
        optima = [x for x, _ in plain_prices(SALES.prices, SALES.units, idx, "linear", 20.0) if x is not None]
        low, high = np.quantile(optima, [0.05, 0.95])
        sigma = boot.interval.standard_error
        assert boot.interval.low == pytest.approx(low, abs=0.35 * sigma)
        assert boot.interval.high == pytest.approx(high, abs=0.35 * sigma)
        assert sigma == pytest.approx(np.std(optima, ddof=1), rel=0.1)

    def test_delta_method_agrees(self):
        """Same data, two methods. The example's ten rows: the classical s has 8 degrees of
        freedom, a relative sampling error of 1/sqrt(16) = 25%; 400 rows: 3.5% (and the bootstrap's
        Monte Carlo error with 2,000 resamples is 1.6%)."""
        boot, delta = un.price_interval(SALES, 20.0).interval, un.delta_interval(SALES, 20.0)
        assert delta.estimate == boot.estimate
        assert boot.standard_error == pytest.approx(delta.standard_error, rel=0.25)
        big = pricing.fit_sales(synthetic_sales(400))
        boot = un.price_interval(big, 20.0, n_resamples=2000).interval
        delta = un.delta_interval(big, 20.0)
        assert boot.standard_error == pytest.approx(delta.standard_error, rel=0.1)
        width = delta.high - delta.low
        assert boot.low == pytest.approx(delta.low, abs=0.1 * width)
        assert boot.high == pytest.approx(delta.high, abs=0.1 * width)

    def test_delta_method_elasticity_agrees(self):
        rng = np.random.default_rng(3)
        p = rng.uniform(20, 80, 400)
        rows = pd.DataFrame({"price": p, "units": 1e6 * p**-2.5 * np.exp(rng.normal(0, 0.05, 400))})
        fits = pricing.fit_sales(rows)
        boot = un.price_interval(fits, 20.0, "elasticity", n_resamples=2000).interval
        delta = un.delta_interval(fits, 20.0, "elasticity")
        assert delta.estimate == pytest.approx(
            20 * fits.elasticity.model.elasticity / (fits.elasticity.model.elasticity - 1)
        )
        assert boot.standard_error == pytest.approx(delta.standard_error, rel=0.1)
        assert boot.status is un.IntervalStatus.OK

    @pytest.mark.parametrize("fit", ["linear", "elasticity"])
    def test_exact_data_give_a_zero_width_interval(self, fit):
        p = np.array([40.0, 50, 60, 70, 80, 90, 100, 110, 45, 55])
        units = 1300 - 10 * p if fit == "linear" else 4e6 * p**-2.0
        boot = un.price_interval(pd.DataFrame({"price": p, "units": units}), 20.0, fit)
        iv = boot.interval
        expected = 75.0 if fit == "linear" else 40.0
        assert iv.estimate == pytest.approx(expected, rel=1e-12)
        assert (iv.low, iv.high, iv.width, iv.status) == (iv.estimate, iv.estimate, 0.0, un.IntervalStatus.EXACT)
        np.testing.assert_allclose(boot.optima, expected, rtol=1e-9)  # every resample refits the curve
        band = boot.envelope()
        np.testing.assert_allclose(band.low, band.high, rtol=1e-8, atol=1e-6)

    def test_failures_are_counted_not_dropped(self):
        """Three rows: 3 of the 27 equally likely resamples repeat one price (no slope), and the
        outlier makes demand rise with price in others; the counts match the library's fits, and
        with more failures than one tail holds (5%), the interval is UNSTABLE."""
        rows = pd.DataFrame({"price": [40.0, 60.0, 80.0], "units": [900.0, 500.0, 620.0]})
        fits = pricing.fit_sales(rows)
        boot = un.price_interval(fits, 20.0)
        iv = boot.interval
        counts = dict(iv.failures)
        idx = scipy_indices(3)
        one_price = int(np.sum(idx.max(axis=1) == idx.min(axis=1)))
        assert counts[un.Failure.FEW_VALUES] == one_price
        assert one_price == pytest.approx(1000 * 3 / 27, abs=4 * math.sqrt(1000 * (3 / 27) * (24 / 27)))
        assert counts[un.Failure.RISING_DEMAND] > 0
        plain = plain_prices(fits.prices, fits.units, idx, "linear", 20.0)
        assert iv.n_failed == sum(x is None for x, _ in plain) == sum(counts.values())
        assert iv.n_fitted + iv.n_failed == iv.n_resamples == 1000
        assert iv.status is un.IntervalStatus.UNSTABLE
        assert boot.optima.size == iv.n_fitted

    def test_no_optimum_in_resamples_is_a_failure(self):
        """The example's elasticity fit (e = 1.14): a quarter of the resamples have e <= 1, where no
        finite price is best."""
        iv = un.price_interval(SALES, 20.0, "elasticity").interval
        (reason, count), *_ = iv.failures
        assert reason is un.Failure.NO_OPTIMUM
        idx = scipy_indices(10)
        plain = plain_prices(SALES.prices, SALES.units, idx, "elasticity", 20.0)
        assert count == sum(x is None for x, _ in plain)
        assert iv.status is un.IntervalStatus.UNSTABLE
        assert iv.estimate == pytest.approx(20 * 1.1416522047135624 / 0.1416522047135624, rel=1e-12)

    def test_input_validation(self):
        with pytest.raises(ValueError, match="fit must be 'linear' or 'elasticity', got 'cubic'"):
            un.price_interval(SALES, 20.0, "cubic")
        zero = pricing.EXAMPLE_SALES.assign(units=[0.0, *pricing.EXAMPLE_SALES.units[1:]])
        with pytest.raises(ValueError, match=r"the elasticity fit is not available: .*ZERO_UNITS"):
            un.price_interval(zero, 20.0, "elasticity")
        with pytest.raises(ValueError, match="level must be between 0 and 1"):
            un.price_interval(SALES, 20.0, level=90)
        with pytest.raises(ValueError, match="n_resamples must be between 1000 and 100000, got 999"):
            un.price_interval(SALES, 20.0, n_resamples=999)
        with pytest.raises(TypeError, match=r"n_resamples must be a whole number, got 1000\.0"):
            un.price_interval(SALES, 20.0, n_resamples=1000.0)
        with pytest.raises(ValueError, match="seed must be a non-negative whole number, got -1"):
            un.price_interval(SALES, 20.0, seed=-1)
        with pytest.raises(ValueError, match="unit cost must be a non-negative number, got -1"):
            un.price_interval(SALES, -1)
        with pytest.raises(ValueError, match="fixed cost must be a non-negative number, got nan"):
            un.price_interval(SALES, 20.0, fixed_cost=math.nan)
        with pytest.raises(ValueError, match="no finite best price at a unit cost of 200"):
            un.price_interval(SALES, 200.0)
        with pytest.raises(ValueError, match="Every row has the same price"):
            un.price_interval(pd.DataFrame({"price": [5.0, 5, 5], "units": [1.0, 2, 3]}), 1.0)

    def test_progress_and_stopping(self):
        seen = []
        previous = progress.install(seen.append)
        try:
            un.price_interval(SALES, 20.0, n_resamples=2000)
        finally:
            progress.install(previous)
        batches = 2000 // un.BATCH
        assert len(seen) == batches + 1
        assert seen == sorted(seen)
        assert seen[-1] == 1.0
        assert seen[0] == pytest.approx(0.9 / batches)

        def stop(fraction):
            raise progress.Stopped

        previous = progress.install(stop)
        try:
            with pytest.raises(progress.Stopped):
                un.price_interval(SALES, 20.0)
        finally:
            progress.install(previous)


class TestChoiceCost:
    def test_basic(self):
        """Loss at a price, recomputed from the library's own fits resample by resample."""
        boot = un.price_interval(SALES, 20.0, fixed_cost=5000.0)
        models = [m for x, m in plain_prices(SALES.prices, SALES.units, scipy_indices(10), "linear", 20.0) if x]
        best = np.array([(m.a - m.b * 20) ** 2 / (4 * m.b) for m in models])  # closed-form best profit + F
        at70 = np.array([(70 - 20) * (m.a - m.b * 70) for m in models])
        cost = boot.choice(70.0)
        assert cost.expected_loss == pytest.approx(np.mean(best - at70), rel=1e-10)
        assert cost.worst_loss == pytest.approx(np.max(best - at70), rel=1e-10)
        assert cost.share_within == np.mean(np.abs(boot.optima - 70) <= 1.0)
        np.testing.assert_allclose(boot.best_profits, best - 5000.0, rtol=1e-10)

    def test_least_loss_price(self):
        """No resample's line reaches zero demand near the optima, so the resamples' mean profit is
        (p − c)(ā − b̄p) − F: the least-loss price is (ā + b̄c)/(2b̄)."""
        boot = un.price_interval(SALES, 20.0)
        a, b = boot.params.mean(axis=0)
        assert (boot.params[:, 0] / boot.params[:, 1]).min() > boot.optima.max()
        assert boot.least_loss_price == pytest.approx((a + b * 20) / (2 * b), rel=1e-10)
        assert boot.least_expected_loss == pytest.approx(boot.choice(boot.least_loss_price).expected_loss, rel=1e-12)
        assert boot.estimate_expected_loss == pytest.approx(
            boot.choice(boot.interval.estimate).expected_loss, rel=1e-12
        )
        for p in (70.0, 74.0, 74.87, 76.0, 80.0):
            assert boot.choice(p).expected_loss >= boot.least_expected_loss

    def test_issue_example(self):
        """The edited table of issue 12 ($63.67): $60 loses more in expectation than the price
        that loses least, which is not the point estimate."""
        boot = un.price_interval(OUTLIER, 20.0)
        assert boot.interval.estimate == pytest.approx(63.672287249352415, rel=1e-12)
        at60 = boot.choice(60.0)
        assert at60.expected_loss > boot.estimate_expected_loss > boot.least_expected_loss
        assert at60.worst_loss > at60.expected_loss
        assert abs(boot.least_loss_price - boot.interval.estimate) > 0.5
        assert boot.optima.min() <= boot.least_loss_price <= boot.optima.max()

    def test_input_validation(self):
        boot = un.price_interval(SALES, 20.0)
        with pytest.raises(ValueError, match="price must be a positive number, got 0"):
            boot.choice(0)
        with pytest.raises(ValueError, match="tolerance must be a non-negative number of dollars, got -1"):
            boot.choice(70.0, tolerance=-1)


class TestEnvelope:
    def test_basic(self):
        boot = un.price_interval(SALES, 20.0, fixed_cost=1000.0)
        models = [m for x, m in plain_prices(SALES.prices, SALES.units, scipy_indices(10), "linear", 20.0) if x]
        prices = np.array([30.0, 60.0, 75.0, 120.0, 140.0])
        band = boot.envelope(prices)
        curves = np.array([(prices - 20) * np.maximum(m.a - m.b * prices, 0) - 1000 for m in models])
        np.testing.assert_allclose(band.low, np.quantile(curves, 0.05, axis=0), rtol=1e-10)
        np.testing.assert_allclose(band.high, np.quantile(curves, 0.95, axis=0), rtol=1e-10)
        m = SALES.linear.model
        np.testing.assert_allclose(band.estimate, (prices - 20) * np.maximum(m.a - m.b * prices, 0) - 1000, rtol=1e-12)
        assert list(band.frame().columns) == ["x", "low", "high", "estimate"]
        default = boot.envelope()
        assert default.x[0] == 0.0
        assert default.x[-1] == pytest.approx(m.a / m.b, rel=1e-15)
        assert default.x.size == un.CURVE_POINTS
        assert np.all(default.low <= default.high)

    def test_input_validation(self):
        boot = un.price_interval(SALES, 20.0, "elasticity")
        with pytest.raises(ValueError, match="prices must be finite numbers above 0"):
            boot.envelope([0.0, 10.0])  # p^−e is infinite at $0
        with pytest.raises(ValueError, match="quantiles must satisfy 0 <= low < high <= 1"):
            boot.envelope(quantiles=(0.95, 0.05))


def observations(v, kind="textbook", noise=0.01, seed=1):
    """MPG of a car at speeds v, fuel per mile with equal, independent errors (``noise`` × its mean)."""
    rng = np.random.default_rng(seed)
    u = 0.0005 * v + 0.3 / v if kind == "textbook" else 3e-6 * v * v + 0.02 + 0.3 / v
    return pd.DataFrame({"speed": v, "mpg": 1 / (u + noise * u.mean() * rng.normal(size=v.size))})


class TestSpeedInterval:
    def test_basic(self):
        boot = un.speed_interval(CAR)
        iv = boot.interval
        assert boot.kind == "textbook"
        assert iv.estimate == pytest.approx(math.sqrt(CAR.model.idle / CAR.model.drag), rel=1e-15)
        assert iv.low < iv.estimate < iv.high
        assert (iv.status, iv.n_fitted) == (un.IntervalStatus.OK, 1000)
        np.testing.assert_allclose([iv.low, iv.high], np.quantile(boot.optima, [0.05, 0.95]), rtol=1e-14)

    @pytest.mark.parametrize("kind", ["textbook", "physical"])
    def test_every_resample_matches_least_squares(self, kind):
        """Batched QR against one np.linalg.lstsq per resample, the model the calibration chose."""
        v = np.linspace(30.0, 80.0, 8)
        cal = fuel.fit_observations(observations(v, kind))
        assert cal.chosen.kind.value == kind
        boot = un.speed_interval(cal)
        per = 1 / cal.economy
        coefs, speeds, no_car = [], [], 0
        for rows in scipy_indices(8):
            x = np.column_stack(
                [v[rows], 1 / v[rows]] if kind == "textbook" else [v[rows] ** 2, np.ones(8), 1 / v[rows]]
            )
            if np.unique(v[rows]).size < x.shape[1]:
                continue
            coef = np.linalg.lstsq(x, per[rows], rcond=None)[0]
            try:  # the library's own check that the coefficients describe a car with a best speed
                car = fuel.FuelModel(*coef) if kind == "textbook" else fuel.PhysicalModel(*coef)
            except ValueError:
                no_car += 1
                continue
            coefs.append(coef)
            speeds.append(fuel.most_efficient_speed(car))
        assert boot.interval.n_fitted == len(coefs)
        assert dict(boot.interval.failures).get(un.Failure.NO_OPTIMUM, 0) == no_car
        np.testing.assert_allclose(boot.params, coefs, rtol=1e-10)
        np.testing.assert_allclose(boot.optima, speeds, rtol=1e-10)

    def test_units_do_not_change_the_interval(self):
        """The same car in km/h and litres: the same resamples, speeds ×1.609344."""
        v = np.linspace(30.0, 80.0, 8)
        us = observations(v)
        per = 1 / us.mpg * fuel.LITRES_PER_GALLON / fuel.KM_PER_MILE
        metric = pd.DataFrame({"speed": v * fuel.KM_PER_MILE, "l_per_100km": 100 * per})
        a = un.speed_interval(fuel.fit_observations(us)).interval
        b = un.speed_interval(fuel.fit_observations(metric, "metric")).interval
        for x, y in ((a.estimate, b.estimate), (a.low, b.low), (a.high, b.high)):
            assert y == pytest.approx(x * fuel.KM_PER_MILE, rel=1e-10)

    def test_delta_method_agrees(self):
        v = np.random.default_rng(2).uniform(25.0, 85.0, 300)
        cal = fuel.fit_observations(observations(v, noise=0.02))
        boot = un.speed_interval(cal, n_resamples=2000).interval
        delta = un.delta_interval(cal)
        assert delta.estimate == boot.estimate
        assert boot.standard_error == pytest.approx(delta.standard_error, rel=0.1)
        # the example car: six rows, s with 4 degrees of freedom (sampling error 1/sqrt(8) = 35%)
        assert un.speed_interval(CAR).interval.standard_error == pytest.approx(
            un.delta_interval(CAR).standard_error, rel=0.5
        )

    def test_exact_and_few_speeds(self):
        v = np.array([30.0, 50.0, 70.0])
        exact = fuel.fit_observations(pd.DataFrame({"speed": v, "mpg": v / (0.001 * v**2 + 2)}))
        iv = un.speed_interval(exact).interval
        assert iv.status is un.IntervalStatus.EXACT
        assert iv.low == iv.high == iv.estimate == pytest.approx(math.sqrt(2000), rel=1e-12)
        # the seed's model needs two distinct speeds: resamples of one speed are counted
        idx = scipy_indices(3)
        assert dict(iv.failures)[un.Failure.FEW_VALUES] == int(np.sum(idx.max(axis=1) == idx.min(axis=1)))

    def test_envelope(self):
        boot = un.speed_interval(CAR)
        band = boot.envelope([30.0, 55.0, 80.0])
        u = np.array([[a * s + b / s for s in (30.0, 55.0, 80.0)] for a, b in boot.params])
        np.testing.assert_allclose(band.low, np.quantile(1 / u, 0.05, axis=0), rtol=1e-12)
        np.testing.assert_allclose(band.estimate, CAR.model.mpg(np.array([30.0, 55.0, 80.0])), rtol=1e-12)
        assert boot.envelope().x[0] == pytest.approx(25.0)  # the observed 30–80 mph ± 10%

    def test_input_validation(self):
        with pytest.raises(TypeError, match=r"calibration must come from optimizers\.fuel\.fit_observations"):
            un.speed_interval(fuel.EXAMPLE_OBSERVATIONS)
        with pytest.raises(ValueError, match="level must be between 0 and 1"):
            un.speed_interval(CAR, level=0)


class TestDeltaInterval:
    def test_basic(self):
        """Against numpy's polyfit covariance and a central-difference gradient of p*(α, β)."""
        (beta, alpha), cov = np.polyfit(SALES.prices, SALES.units, 1, cov=True)

        def p_star(al, be):
            return (al - be * 20) / (-2 * be)

        h = 1e-6
        grad = np.array(
            [
                (p_star(alpha, beta + h * abs(beta)) - p_star(alpha, beta - h * abs(beta))) / (2 * h * abs(beta)),
                (p_star(alpha + h * alpha, beta) - p_star(alpha - h * alpha, beta)) / (2 * h * alpha),
            ]
        )
        se = math.sqrt(grad @ cov @ grad)
        d = un.delta_interval(SALES, 20.0, level=0.95)
        assert d.standard_error == pytest.approx(se, rel=1e-7)
        assert d.high - d.estimate == pytest.approx(stats.norm.ppf(0.975) * se, rel=1e-7)

    def test_special_cases(self):
        v = np.array([30.0, 50.0])  # two rows, two coefficients: no residual degree of freedom
        cal = fuel.fit_observations(pd.DataFrame({"speed": v, "mpg": v / (0.001 * v**2 + 2)}))
        assert math.isnan(un.delta_interval(cal).standard_error)

    def test_input_validation(self):
        with pytest.raises(ValueError, match="unit_cost is needed for a best price"):
            un.delta_interval(SALES)
        with pytest.raises(TypeError, match="fitted must be a SalesFits or a Calibration"):
            un.delta_interval(pricing.EXAMPLE_SALES, 20.0)
        with pytest.raises(ValueError, match="level must be between 0 and 1"):
            un.delta_interval(SALES, 20.0, level=1.0)


def monthly(principal, rate, contribution, years):
    """investor.gov's formula: monthly compounding, deposits at the end of every month."""
    q, n = 1 + rate / 12, 12 * years
    return principal * q**n + contribution * (q**n - 1) / (rate / 12)


class TestBalanceBand:
    def test_basic(self):
        """investor.gov: $10,000 + $100 a month, 7% ± 2 points, monthly, 10 years."""
        band = un.balance_band(10_000, 0.07, 10, 0.02, "monthly", 100)
        assert band.value == pytest.approx(37_405.09451030982, rel=1e-12)
        assert band.value_low == pytest.approx(monthly(10_000, 0.05, 100, 10), rel=1e-10)
        assert band.value_high == pytest.approx(monthly(10_000, 0.09, 100, 10), rel=1e-10)
        assert (band.low_rate, band.high_rate) == pytest.approx((0.05, 0.09), rel=1e-15)
        page = compounding.analyse(10_000, 0.07, 10, "monthly", 100)
        np.testing.assert_array_equal(band.curve.x, page.curve.x)
        np.testing.assert_allclose(band.curve.value, page.curve.value, rtol=1e-15)
        assert np.all(band.curve.low <= band.curve.value)
        assert np.all(band.curve.value <= band.curve.high)
        assert band.curve.low.iloc[-1] == band.value_low

    @pytest.mark.parametrize(("rate", "spread", "years"), [(0.05, 0.01, 10), (0.03, 0.05, 25), (-0.02, 0.01, 7.5)])
    def test_closed_form_continuous(self, rate, spread, years):
        band = un.balance_band(1_000, rate, years, spread)
        assert band.value_low == pytest.approx(1_000 * math.exp((rate - spread) * years), rel=1e-12)
        assert band.value_high == pytest.approx(1_000 * math.exp((rate + spread) * years), rel=1e-12)

    def test_special_cases(self):
        band = un.balance_band(10_000, 0.05, 10, 0.0, "annually", 50, "start")
        assert band.value_low == band.value == band.value_high
        start = un.balance_band(10_000, 0.05, 0, 0.02)
        assert (start.value_low, start.value_high) == (10_000.0, 10_000.0)

    def test_input_validation(self):
        with pytest.raises(ValueError, match="rate_spread must be a non-negative fraction"):
            un.balance_band(10_000, 0.05, 10, -0.01)
        with pytest.raises(ValueError, match="wipes out the balance in one period"):
            un.balance_band(10_000, 0.05, 10, 1.1, "annually")
        with pytest.raises(ValueError, match="principal must be a non-negative amount, got -1"):
            un.balance_band(-1, 0.05, 10, 0.01)
        with pytest.raises(ValueError, match="frequency must be one of"):
            un.balance_band(1, 0.05, 10, 0.01, "weekly")
        with pytest.raises(ValueError, match="overflows"):
            un.balance_band(1e6, 0.3, 900, 0.2)


class TestCost:
    def test_basic(self):
        small, big = un.price_interval_cost(10), un.price_interval_cost(10, 10_000)
        assert isinstance(small, Cost)
        assert small.tasks == ("price_interval",)
        assert small.knobs == ("resamples",)
        assert 0 < small.seconds < big.seconds < un.price_interval_cost(200, 10_000).seconds
        assert un.speed_interval_cost(6, kind="physical").seconds > un.speed_interval_cost(6).seconds
        assert (un.balance_band_cost() + small).tasks == ("balance_band", "price_interval")

    def test_input_validation(self):
        with pytest.raises(ValueError, match="n_rows must be a whole number >= 2, got 1"):
            un.price_interval_cost(1)
        with pytest.raises(ValueError, match="n_resamples must be a positive whole number, got 0"):
            un.speed_interval_cost(5, 0)
        with pytest.raises(ValueError, match="kind must be 'seed' or 'physical', got 'quartic'"):
            un.speed_interval_cost(5, kind="quartic")


def test_every_number_in_the_doc():
    """docs/intervals-and-goal-seek.md: its >>> examples are the commands that made its numbers."""
    result = doctest.testfile(
        str(ROOT / "docs" / "intervals-and-goal-seek.md"),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert result.attempted > 10
    assert result.failed == 0
