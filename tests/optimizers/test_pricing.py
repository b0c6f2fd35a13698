"""Pricing model: closed forms, the seed's numbers, fits to sales data and bad data."""

import math

import numpy as np
import pandas as pd
import pytest

from optimizers import pricing as pr


class TestAnalyse:
    def test_basic(self):
        """The seed: $75, $30,250; at $50 profit $24,000, +$1 gives $24,490 (+$490)."""
        r = pr.analyse(pr.linear_demand(1300, 10), 20, 50)
        assert r.optimum.x == pytest.approx(75.0, rel=1e-12)
        assert r.optimum.fun == pytest.approx(30250.0, rel=1e-12)
        assert r.optimum.kind == "max"
        assert not r.optimum.at_boundary
        assert r.optimum.second_derivative == -20.0
        assert r.profit_at_price == 24000.0
        assert r.profit_plus_one == 24490.0
        assert r.plus_one_change == 490.0
        assert r.marginal_at_price == 500.0
        assert r.curvature_at_price == -20.0

    @pytest.mark.parametrize(("a", "b", "c"), [(1300, 10, 30), (2000, 7.5, 0), (500, 0.5, 99), (1e4, 33, 120)])
    def test_linear_closed_form(self, a, b, c):
        r = pr.analyse(pr.linear_demand(a, b), c, 50)
        p_star = (a + b * c) / (2 * b)
        assert r.optimum.x == pytest.approx(p_star, rel=1e-12)
        assert r.optimum.fun == pytest.approx((p_star - c) * (a - b * p_star), rel=1e-12)
        assert pr.optimal_price(pr.linear_demand(a, b), c) == pytest.approx(p_star, rel=1e-15)

    @pytest.mark.parametrize(("e", "c"), [(1.2, 20), (2.0, 20), (3.5, 7), (5.0, 150)])
    def test_elasticity_closed_form(self, e, c):
        model = pr.elasticity_like_linear(e, 1300, 10)
        r = pr.analyse(model, c, 50)
        assert r.optimum.x == pytest.approx(c * e / (e - 1), rel=1e-12)
        assert r.optimum.kind == "max"
        assert not r.optimum.at_boundary

    def test_special_cases(self):
        inelastic = pr.analyse(pr.elasticity_like_linear(0.8, 1300, 10), 20, 50)
        assert inelastic.optimum is None
        assert "no finite price" in inelastic.no_optimum
        free = pr.analyse(pr.elasticity_like_linear(2.0, 1300, 10), 0, 50)
        assert free.optimum is None
        assert "unit cost of $0" in free.no_optimum
        losing = pr.analyse(pr.linear_demand(1300, 10), 150, 50)
        assert losing.optimum is None
        assert "every sale loses money" in losing.no_optimum

    def test_table(self):
        r = pr.analyse(pr.linear_demand(1300, 10), 20, 50)
        t = r.table
        assert list(t.columns) == ["price", "customers", "revenue", "cost", "profit", "marginal_profit", "note"]
        best = t.loc[t.profit.idxmax()]
        assert (best.price, best.profit, best.note) == (75.0, 30250.0, "optimal price")
        assert t.loc[t.price == 50, "note"].item() == "your price"
        np.testing.assert_allclose(t.profit, (t.price - 20) * t.customers)
        np.testing.assert_allclose(t.marginal_profit, 1500 - 20 * t.price)

    def test_input_validation(self):
        with pytest.raises(ValueError, match="unit cost must be a non-negative number, got -1"):
            pr.analyse(pr.linear_demand(1300, 10), -1, 50)
        with pytest.raises(ValueError, match="price must be a positive number, got nan"):
            pr.analyse(pr.linear_demand(1300, 10), 20, float("nan"))
        with pytest.raises(ValueError, match="demand slope b must be positive"):
            pr.linear_demand(1300, 0)
        with pytest.raises(ValueError, match="elasticity must be positive"):
            pr.elasticity_demand(-2, 1)


class TestFits:
    def test_linear_recovers_known_line(self):
        rng = np.random.default_rng(7)
        p = np.linspace(30, 110, 40)
        q = 1300 - 10 * p + rng.normal(0, 5, p.size)
        fit = pr.fit_linear(p, q)
        assert fit.model.a == pytest.approx(1300, rel=0.01)
        assert fit.model.b == pytest.approx(10, rel=0.02)
        assert fit.r2 > 0.99

    def test_elasticity_recovers_known_curve(self):
        p = np.array([10.0, 20, 30, 45, 60])
        fit = pr.fit_elasticity(p, 5e4 * p**-1.7)
        assert fit.model.elasticity == pytest.approx(1.7, rel=1e-12)
        assert fit.model.scale == pytest.approx(5e4, rel=1e-10)
        assert fit.r2 == pytest.approx(1.0, abs=1e-12)

    def test_example_data(self):
        fits = pr.fit_sales(pr.EXAMPLE_SALES)
        assert fits.linear.r2 > 0.98
        best = pr.analyse(fits.linear.model, 20, 50).optimum
        assert best.x == pytest.approx(75, abs=1.0)  # the example data is the seed's store

    @pytest.mark.parametrize(
        ("table", "message"),
        [
            (pd.DataFrame({"price": [50, 60], "units": [800, 700]}), "at least 3 complete rows"),
            (pd.DataFrame({"price": [50, 50, 50], "units": [800, 700, 750]}), "same price"),
            (pd.DataFrame({"price": [50, "abc", 70], "units": [800, 700, 600]}), "Row 2: price.*got 'abc'"),
            (pd.DataFrame({"price": [50, -60, 70], "units": [800, 700, 600]}), "must be positive, got -60"),
            (pd.DataFrame({"price": [50, 0, 70], "units": [800, 700, 600]}), "must be positive, got 0"),
            (pd.DataFrame({"price": [50, 60, 70], "units": [800, -7, 600]}), "cannot be negative"),
            (pd.DataFrame({"cost": [50, 60, 70], "units": [800, 700, 600]}), "Missing column.*'price'"),
            (pd.DataFrame({"price": [50, np.inf, 70], "units": [800, 700, 600]}), "must be a number"),
        ],
    )
    def test_input_validation(self, table, message):
        with pytest.raises(ValueError, match=message):
            pr.fit_sales(table)

    def test_rising_demand_is_refused_per_fit(self):
        fits = pr.fit_sales(pd.DataFrame({"price": [40, 50, 60], "units": [500, 600, 700]}))
        assert fits.linear is None
        assert "more is sold at higher prices" in fits.linear_error
        assert fits.elasticity is None

    def test_zero_units_only_stop_the_log_fit(self):
        fits = pr.fit_sales(pd.DataFrame({"price": [40, 80, 120, 130], "units": [900, 500, 100, 0]}))
        assert fits.linear is not None
        assert fits.elasticity is None
        assert "units > 0" in fits.elasticity_error

    def test_blank_rows_are_ignored(self):
        table = pd.DataFrame({"price": [40, None, 60, 80], "units": [900, None, 700, 500]})
        fits = pr.fit_sales(table)
        assert fits.prices.tolist() == [40, 60, 80]
        assert math.isclose(fits.linear.model.b, 10)
