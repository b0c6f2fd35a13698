"""Pricing model: closed forms, the tutorial's numbers, fits to sales data and bad data, demand
that stops at zero, fixed costs, break-even prices, margins and the Lerner rule, what moves the
optimum, and the statuses the page's words are written from (the words: tests/explain)."""

import io
import math

import numpy as np
import pandas as pd
import pytest

from optimizers import pricing as pr
from optimizers.sensitivity import COLUMNS, sensitivity, solve, sweep
from ui.export import table_to_csv

SEED = pr.linear_demand(1300, 10)


class TestAnalyse:
    def test_basic(self):
        """The tutorial: $75, $30,250; at $50 profit $24,000, +$1 gives $24,490 (+$490)."""
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
        assert inelastic.no_optimum is pr.NoOptimum.INELASTIC
        free = pr.analyse(pr.elasticity_like_linear(2.0, 1300, 10), 0, 50)
        assert free.optimum is None
        assert free.no_optimum is pr.NoOptimum.FREE_ELASTIC
        losing = pr.analyse(pr.linear_demand(1300, 10), 150, 50)
        assert losing.optimum is None
        assert losing.no_optimum is pr.NoOptimum.COST_ABOVE_CHOKE
        # e = 1: revenue is the same at every price; with a unit cost profit rises toward A − F
        unit = pr.elasticity_like_linear(1.0, 1300, 10)
        assert pr.analyse(unit, 20, 50).no_optimum is pr.NoOptimum.UNIT_ELASTIC
        assert pr.analyse(unit, 0, 50).no_optimum is pr.NoOptimum.FLAT
        # with a $0 cost and e < 1 profit RISES with the price: not the free-and-elastic case
        assert pr.analyse(pr.elasticity_like_linear(0.8, 1300, 10), 0, 50).no_optimum is pr.NoOptimum.INELASTIC
        for r in (inelastic, free, losing):
            assert r.advice is None
            assert r.margins is None
            assert r.sensitivity is None

    def test_table(self):
        r = pr.analyse(pr.linear_demand(1300, 10), 20, 50)
        t = r.table
        assert list(t.columns) == ["price", "customers", "revenue", "cost", "profit", "marginal_profit", "note"]
        best = t.loc[t.profit.idxmax()]
        assert (best.price, best.profit, best.note) == (75.0, 30250.0, "optimal price")
        assert t.loc[t.price == 50, "note"].item() == "your price"
        np.testing.assert_allclose(t.profit, (t.price - 20) * t.customers)
        selling = t.price < 130
        np.testing.assert_allclose(t.marginal_profit[selling], 1500 - 20 * t.price[selling])
        # at $130 demand reaches zero: the slope there is the one just below (a price cut sells again),
        # so the marginal column ends where the quadratic does; the note says demand ends there
        choke = t.loc[t.price == 130].iloc[0]
        assert (choke.customers, choke.profit, choke.marginal_profit) == (0.0, 0.0, 1500.0 - 20 * 130)
        assert "demand reaches zero" in choke.note

    def test_input_validation(self):
        with pytest.raises(ValueError, match="unit cost must be a non-negative number, got -1"):
            pr.analyse(pr.linear_demand(1300, 10), -1, 50)
        with pytest.raises(ValueError, match="price must be a positive number, got nan"):
            pr.analyse(pr.linear_demand(1300, 10), 20, float("nan"))
        with pytest.raises(ValueError, match="demand slope b must be positive"):
            pr.linear_demand(1300, 0)
        with pytest.raises(ValueError, match="elasticity must be positive"):
            pr.elasticity_demand(-2, 1)
        with pytest.raises(ValueError, match="fixed cost must be a non-negative number, got -5"):
            pr.analyse(SEED, 20, 50, -5)
        with pytest.raises(ValueError, match="fixed cost must be a non-negative number, got inf"):
            pr.analyse(SEED, 20, 50, math.inf)


def profit_of(model, c, fixed, p):
    """Weekly profit straight from the definition: (p - c) * customers(p) - F, customers >= 0."""
    return (p - c) * float(model.demand(p)) - fixed


class TestNoNegativeCustomers:
    """Past a/b nobody buys: every number agrees with demand = max(0, a - b p)."""

    @pytest.mark.parametrize("fixed", [0.0, 5000.0])
    def test_price_past_the_choke_price(self, fixed):
        r = pr.analyse(SEED, 20, 200, fixed)
        assert r.choke_price == 130.0
        assert r.customers_at_price == 0.0
        assert r.profit_at_price == -fixed
        assert r.marginal_at_price == 0.0  # profit is -F at every price above $130: slope 0
        assert r.curvature_at_price == 0.0
        assert r.plus_one_change == 0.0
        # the issue: "profit rises by $156,250" -- the real gain is $30,250 (+F - F)
        assert r.gain_to_optimum == pytest.approx(30250.0, rel=1e-12)
        assert r.optimum.x == pytest.approx(75.0, rel=1e-12)
        assert r.demand is pr.Demand.NO_SALES
        assert r.step is pr.Step.NO_SALES
        assert r.advice is pr.Advice.LOWER_FROM_NO_SALES

    def test_curve_and_table_reach_your_price(self):
        r = pr.analyse(SEED, 20, 200, 1000)
        curve = r.curve
        assert len(curve) == pr.CURVE_POINTS
        assert curve.x.max() >= 200
        past = curve[curve.x > 130]
        assert (past.value == -1000).all()
        assert (past.derivative == 0).all()
        t = r.table
        assert t.loc[t.price == 200, "note"].item() == "your price"
        past = t[t.price > 130]
        assert (past.customers == 0).all()
        assert (past.profit == -1000).all()
        assert (past.marginal_profit == 0).all()
        np.testing.assert_allclose(t.profit, t.revenue - t.cost)
        np.testing.assert_allclose(t.cost, 20 * t.customers + 1000)

    def test_kink_at_the_choke_price(self):
        r = pr.analyse(SEED, 20, 130)
        left = 1300 - 2 * 10 * 130 + 10 * 20  # a - 2bp + bc, the slope just below
        assert r.marginal_at_price == left == -1100
        assert r.demand is pr.Demand.ENDS_HERE
        assert r.step is pr.Step.NO_SALES

    def test_plus_one_step_across_the_kink(self):
        r = pr.analyse(SEED, 20, 129.5)
        assert r.plus_one_change == pytest.approx(0 - 109.5 * 5, rel=1e-12)
        assert r.step is pr.Step.CROSSES_CHOKE
        assert r.demand is pr.Demand.SELLING

    @pytest.mark.parametrize("price", [1.0, 20.0, 50.0, 75.0, 129.0, 129.5, 130.0, 131.0, 300.0])
    @pytest.mark.parametrize("fixed", [0.0, 2500.0])
    def test_every_number_agrees_with_the_definition(self, price, fixed):
        r = pr.analyse(SEED, 20, price, fixed)
        assert r.profit_at_price == pytest.approx(profit_of(SEED, 20, fixed, price), abs=1e-9)
        assert r.profit_plus_one == pytest.approx(profit_of(SEED, 20, fixed, price + 1), abs=1e-9)
        assert r.customers_at_price == max(0.0, 1300 - 10 * price)
        if price <= 130:  # at the kink itself: the slope just below
            assert r.marginal_at_price == pytest.approx(1500 - 20 * price, abs=1e-9)
        else:
            assert r.marginal_at_price == 0.0
        assert r.gain_to_optimum >= 0
        assert r.gain_to_optimum == pytest.approx(r.optimum.fun - profit_of(SEED, 20, fixed, price), abs=1e-9)


class TestAdvice:
    @pytest.mark.parametrize(
        ("price", "advice", "gain"),
        [
            (50, pr.Advice.RAISE, 6250.0),
            (90, pr.Advice.LOWER, 2250.0),
            (75, pr.Advice.KEEP, 0.0),
            (75.004, pr.Advice.KEEP, pytest.approx(10 * 0.004**2, rel=1e-6)),  # the same price to the cent
            (130, pr.Advice.LOWER, 30250.0),
            (131, pr.Advice.LOWER_FROM_NO_SALES, 30250.0),
        ],
    )
    def test_basic(self, price, advice, gain):
        r = pr.analyse(SEED, 20, price)
        assert r.advice is advice
        assert r.gain_to_optimum == gain

    def test_special_cases(self):
        assert pr.analyse(SEED, 150, 50).advice is None


class TestFixedCosts:
    @pytest.mark.parametrize("fixed", [0.0, 1000.0, 30250.0, 50000.0])
    def test_basic(self, fixed):
        r = pr.analyse(SEED, 20, 50, fixed)
        assert r.optimum.x == pytest.approx(75.0, rel=1e-12)  # fixed costs move no price
        assert r.optimum.fun == pytest.approx(30250.0 - fixed, rel=1e-12, abs=1e-9)
        assert r.profit_at_price == 24000.0 - fixed
        assert r.plus_one_change == 490.0
        assert r.fixed_cost == fixed

    def test_elasticity_model(self):
        model = pr.elasticity_like_linear(2.0, 1300, 10)
        free, costly = pr.analyse(model, 20, 50), pr.analyse(model, 20, 50, 3000)
        assert costly.optimum.x == pytest.approx(free.optimum.x, rel=1e-12)
        assert costly.optimum.fun == pytest.approx(free.optimum.fun - 3000, rel=1e-12)


class TestBreakEven:
    @pytest.mark.parametrize(
        ("a", "b", "c", "fixed"),
        [(1300, 10, 20, 20250), (1300, 10, 20, 1000), (2000, 7.5, 0, 100), (500, 0.5, 99, 12000), (1e4, 33, 120, 1)],
    )
    def test_linear_closed_form(self, a, b, c, fixed):
        p_star = (a + b * c) / (2 * b)
        half = math.sqrt(p_star**2 - (a * c + fixed) / b)
        found = pr.break_even_prices(pr.linear_demand(a, b), c, fixed)
        assert len(found) == 2
        assert found[0] == pytest.approx(p_star - half, rel=1e-12)
        assert found[1] == pytest.approx(p_star + half, rel=1e-12)

    def test_basic_no_fixed_costs(self):
        """Profit (p - 20)(1300 - 10p) is zero at the unit cost and where nobody buys."""
        assert pr.break_even_prices(SEED, 20) == (20.0, 130.0)
        r = pr.analyse(SEED, 20, 50)
        assert r.break_even == (20.0, 130.0)
        assert r.break_even_kind is pr.BreakEven.TWO_UP_TO_CHOKE
        assert pr.analyse(SEED, 20, 50, 1000).break_even_kind is pr.BreakEven.TWO

    def test_special_cases(self):
        # profit touches zero only at the optimum: one break-even price, the best price
        assert pr.break_even_prices(SEED, 20, 30250) == (75.0,)
        r = pr.analyse(SEED, 20, 50, 30250)
        assert r.break_even_kind is pr.BreakEven.AT_OPTIMUM
        assert r.optimum.fun == 0.0
        # fixed costs above the best operating profit: none
        r = pr.analyse(SEED, 20, 50, 40000)
        assert r.break_even == ()
        assert r.break_even_kind is pr.BreakEven.NONE_LOSS
        assert (r.operating_profit, r.fixed_cost, r.optimum.fun) == (30250.0, 40000.0, -9750.0)
        # no price makes a profit at all
        r = pr.analyse(SEED, 150, 50)
        assert r.break_even == ()
        assert r.break_even_kind is pr.BreakEven.NO_PROFIT

    @pytest.mark.parametrize(("c", "fixed"), [(20, 1000), (20, 20000), (5, 30000), (60, 100)])
    def test_elasticity_closed_form(self, c, fixed):
        """e = 2: A(p - c)/p^2 = F  <=>  F p^2 - A p + A c = 0."""
        model = pr.elasticity_like_linear(2.0, 1300, 10)
        big_a = model.scale
        disc = math.sqrt(big_a**2 - 4 * fixed * big_a * c)
        found = pr.break_even_prices(model, c, fixed)
        assert found[0] == pytest.approx((big_a - disc) / (2 * fixed), rel=1e-12)
        assert found[1] == pytest.approx((big_a + disc) / (2 * fixed), rel=1e-12)

    def test_elasticity_special_cases(self):
        model = pr.elasticity_like_linear(2.0, 1300, 10)
        # F = 0: profit is zero at the unit cost and above zero at every higher price
        (only,) = pr.break_even_prices(model, 20)
        assert only == pytest.approx(20.0, rel=1e-12)
        assert pr.analyse(model, 20, 50).break_even_kind is pr.BreakEven.AT_COST
        # e = 1: profit A(1 - c/p) - F rises toward A - F; zero at c / (1 - F/A)
        unit = pr.elasticity_like_linear(1.0, 1300, 10)
        (only,) = pr.break_even_prices(unit, 20, 1000)
        assert only == pytest.approx(20 / (1 - 1000 / unit.scale), rel=1e-12)
        assert pr.break_even_prices(unit, 20, unit.scale * 2) == ()
        # e just above 1: the upper break-even price is astronomical, and still found
        slow = pr.elasticity_like_linear(1.05, 1300, 10)
        low, high = pr.break_even_prices(slow, 20, 1000)
        assert high > 1e30
        for p in (low, high):
            assert profit_of(slow, 20, 1000, p) == pytest.approx(0.0, abs=1e-6 * 1000)

    @pytest.mark.parametrize(
        "model",
        [
            SEED,
            pr.linear_demand(800, 3),
            pr.elasticity_like_linear(0.8, 1300, 10),
            pr.elasticity_like_linear(1.6, 1300, 10),
        ],
        ids=["seed", "line", "inelastic", "elastic"],
    )
    @pytest.mark.parametrize("c", [0.0, 20.0, 90.0])
    @pytest.mark.parametrize("fixed", [0.0, 700.0, 15000.0])
    def test_none_is_missed(self, model, c, fixed):
        """Profit changes sign on a fine grid exactly at the break-even prices found."""
        found = pr.break_even_prices(model, c, fixed)
        grid = np.geomspace(0.01, 5000, 200_001)
        with np.errstate(all="ignore"):
            g = (grid - c) * model.demand(grid) - fixed
        sign = np.sign(g)
        selling = model.demand(grid) > 0
        changes = grid[1:][(sign[1:] != sign[:-1]) & selling[:-1] & (sign[1:] != 0) & (sign[:-1] != 0)]
        choke = model.choke_price or math.inf  # with F = 0 profit reaches 0 there and stays 0: no sign change
        inside = [p for p in found if 0.01 < p < 5000 and not math.isclose(p, choke, rel_tol=1e-9)]
        assert len(changes) == len(inside), (found, changes)
        for p, q in zip(inside, changes, strict=True):
            assert p == pytest.approx(q, rel=1e-3)
        for p in found:
            assert profit_of(model, c, fixed, p) == pytest.approx(0.0, abs=1e-7 * max(1.0, fixed, p))

    def test_input_validation(self):
        with pytest.raises(ValueError, match="fixed cost must be a non-negative number, got -1"):
            pr.break_even_prices(SEED, 20, -1)
        with pytest.raises(ValueError, match="unit cost must be a non-negative number, got nan"):
            pr.break_even_prices(SEED, math.nan)


class TestMargins:
    @pytest.mark.parametrize(("a", "b", "c"), [(1300, 10, 20), (1300, 10, 30), (2000, 7.5, 5), (500, 0.5, 99)])
    def test_lerner_rule_linear(self, a, b, c):
        """At the optimum (p - c)/p = 1/elasticity, with elasticity b p / (a - b p) there."""
        r = pr.analyse(pr.linear_demand(a, b), c, 50)
        m = r.margins
        p = (a + b * c) / (2 * b)
        assert m.price == pytest.approx(p, rel=1e-12)
        assert m.margin == pytest.approx((p - c) / p, rel=1e-12)
        assert m.markup == pytest.approx((p - c) / c, rel=1e-12)
        assert m.elasticity == pytest.approx(b * p / (a - b * p), rel=1e-12)
        assert m.margin == pytest.approx(m.lerner, rel=1e-12)
        assert m.customers == pytest.approx(a - b * p, rel=1e-12)

    @pytest.mark.parametrize("e", [1.2, 2.0, 3.5, 5.0])
    def test_lerner_rule_elasticity(self, e):
        """For q = A p^-e the margin at the optimum is exactly 1/e."""
        r = pr.analyse(pr.elasticity_like_linear(e, 1300, 10), 20, 50, 1000)
        assert r.margins.elasticity == e
        assert r.margins.margin == pytest.approx(1 / e, rel=1e-12)
        assert r.margins.markup == pytest.approx(1 / (e - 1), rel=1e-12)  # p*/c - 1 = e/(e-1) - 1

    def test_basic(self):
        m = pr.analyse(SEED, 20, 50).margins
        assert (m.margin, m.markup) == (pytest.approx(55 / 75, rel=1e-15), pytest.approx(55 / 20, rel=1e-15))

    def test_special_cases(self):
        assert math.isnan(pr.analyse(SEED, 0, 50).margins.markup)  # no markup on a zero cost
        assert pr.analyse(SEED, 0, 50).margins.margin == 1.0
        assert pr.analyse(SEED, 150, 50).margins is None
        assert math.isnan(SEED.price_elasticity(130.0))


def resolved(problem, name, rel_step=1e-4):
    """dx*/dθ and dV*/dθ by re-solving at θ ± δ."""
    v = problem.theta()[name]
    d = rel_step * max(abs(v), 1.0)
    up, down = solve(problem, **{name: v + d}), solve(problem, **{name: v - d})
    return (up.x - down.x) / (2 * d), (up.fun - down.fun) / (2 * d)


FITS = pr.fit_sales(pr.EXAMPLE_SALES)
PROBLEMS = {
    "linear": lambda: pr.sensitivity_problem(SEED, 20),
    "linear_fixed": lambda: pr.sensitivity_problem(pr.linear_demand(2000, 7.5), 35, 4000),
    "elasticity": lambda: pr.sensitivity_problem(pr.elasticity_like_linear(2.0, 1300, 10), 20, 1000, line=(1300, 10)),
    "elasticity_steep": lambda: pr.sensitivity_problem(pr.elasticity_like_linear(3.5, 900, 4), 12, line=(900, 4)),
    "data_linear": lambda: pr.sensitivity_problem(FITS.linear.model, 20, fitted=True),
    "data_elasticity": lambda: pr.sensitivity_problem(FITS.elasticity.model, 20, 500, fitted=True),
}


class TestSensitivityProblem:
    def test_basic_seed(self):
        """At the defaults: +$0.50 per $1 of unit cost, and -$550 = -q* of profit."""
        rep = sensitivity(pr.sensitivity_problem(SEED, 20))
        rows = {r.parameter: r for r in rep.rows}
        q_star = pr.analyse(SEED, 20, 50).margins.customers
        assert rows["unit_cost"].optimum_change_per_unit == pytest.approx(0.5, rel=1e-12)
        assert rows["unit_cost"].best_change_per_unit == pytest.approx(-q_star, rel=1e-12)
        assert q_star == 550
        assert list(rows) == ["unit_cost", "demand_intercept", "demand_slope", "fixed_cost"]
        assert list(rep.table().columns) == COLUMNS
        # closed forms: p* = (a + b c)/(2b), V* = (a - b c)^2/(4b) - F
        a, b, c = 1300, 10, 20
        assert rows["demand_intercept"].optimum_change_per_unit == pytest.approx(1 / (2 * b), rel=1e-12)
        assert rows["demand_slope"].optimum_change_per_unit == pytest.approx(-a / (2 * b * b), rel=1e-12)
        assert rows["demand_intercept"].best_change_per_unit == pytest.approx((a - b * c) / (2 * b), rel=1e-12)
        assert rows["demand_slope"].best_change_per_unit == pytest.approx(
            -((a - b * c) ** 2) / (4 * b * b) - c * (a - b * c) / (2 * b), rel=1e-12
        )
        assert rows["fixed_cost"].optimum_change_per_unit == 0.0
        assert rows["fixed_cost"].best_change_per_unit == pytest.approx(-1.0, rel=1e-12)

    @pytest.mark.parametrize("which", sorted(PROBLEMS))
    def test_matches_re_solving(self, which):
        problem = PROBLEMS[which]()
        rep = sensitivity(problem)
        for row in rep.rows:
            dx, dv = resolved(problem, row.parameter)
            assert row.optimum_change_per_unit == pytest.approx(dx, rel=1e-6, abs=1e-9), row
            assert row.best_change_per_unit == pytest.approx(dv, rel=1e-6, abs=1e-9), row

    @pytest.mark.parametrize("which", sorted(PROBLEMS))
    def test_same_optimum_as_the_page(self, which):
        problem = PROBLEMS[which]()
        th = problem.theta()
        if which.startswith("data"):
            model = FITS.linear.model if which == "data_linear" else FITS.elasticity.model
        elif which.startswith("elasticity"):
            model = pr.elasticity_like_linear(th["elasticity"], th["demand_intercept"], th["demand_slope"])
        else:
            model = pr.linear_demand(th["demand_intercept"], th["demand_slope"])
        page = pr.analyse(model, th["unit_cost"], 50, th["fixed_cost"]).optimum
        best = solve(problem)
        assert best.x == pytest.approx(page.x, rel=1e-10)
        assert best.fun == pytest.approx(page.fun, rel=1e-10)

    def test_elasticity_closed_forms(self):
        """p* = c e/(e - 1): dp*/dc = e/(e - 1), dp*/de = -c/(e - 1)^2; A moves no price."""
        e, c = 2.0, 20.0
        rows = {r.parameter: r for r in sensitivity(PROBLEMS["elasticity"]()).rows}
        assert rows["unit_cost"].optimum_change_per_unit == pytest.approx(e / (e - 1), rel=1e-10)
        assert rows["elasticity"].optimum_change_per_unit == pytest.approx(-c / (e - 1) ** 2, rel=1e-10)
        assert rows["demand_intercept"].optimum_change_per_unit == pytest.approx(0.0, abs=1e-12)
        assert rows["demand_slope"].optimum_change_per_unit == pytest.approx(0.0, abs=1e-12)
        q_star = pr.analyse(pr.elasticity_like_linear(e, 1300, 10), c, 50).margins.customers
        assert rows["unit_cost"].best_change_per_unit == pytest.approx(-q_star, rel=1e-10)  # envelope: -q*
        assert rows["unit_cost"].optimum_elasticity == pytest.approx(1.0, rel=1e-10)

    def test_data_fit_parameters(self):
        problem = PROBLEMS["data_linear"]()
        names = [p.name for p in problem.params]
        assert names == ["unit_cost", "fit_intercept", "fit_slope", "fixed_cost"]
        fit = FITS.linear.model
        assert problem.theta()["fit_intercept"] == fit.a
        rows = {r.parameter: r for r in sensitivity(problem).rows}
        assert rows["fit_intercept"].optimum_change_per_unit == pytest.approx(1 / (2 * fit.b), rel=1e-10)
        names = [p.name for p in PROBLEMS["data_elasticity"]().params]
        assert names == ["unit_cost", "fit_elasticity", "fit_scale", "fixed_cost"]

    def test_sweep_leaves_out_prices_nobody_can_profit_from(self):
        s = sweep(pr.sensitivity_problem(SEED, 20), "unit_cost")
        assert s.value.max() < 130  # from c = $130 up no price makes a profit
        assert not s.at_boundary.any()
        np.testing.assert_allclose(s.optimum, (1300 + 10 * s.value) / 20, rtol=1e-12)
        s = sweep(PROBLEMS["elasticity"](), "elasticity")
        assert s.value.min() > 1  # no finite best price for e <= 1
        np.testing.assert_allclose(s.optimum, 20 * s.value / (s.value - 1), rtol=1e-10)

    def test_special_cases(self):
        assert pr.sensitivity_problem(SEED, 150) is None  # no optimum
        assert pr.sensitivity_problem(pr.elasticity_like_linear(0.8, 1300, 10), 20, line=(1300, 10)) is None
        assert pr.sensitivity_problem(pr.linear_demand(1300, 10), 129.99999) is None  # a step would cross a/b
        # a fitted coefficient whose sweep range would not be finite: no section, no traceback
        assert pr.sensitivity_problem(pr.linear_demand(1.5e308, 1e300), 20, fitted=True) is None
        huge = pr.sensitivity_problem(pr.elasticity_demand(1.5, 1e300), 20, fitted=True)
        assert all(math.isfinite(r.optimum_change_per_unit) for r in sensitivity(huge).rows)

    def test_input_validation(self):
        with pytest.raises(ValueError, match="needs line"):
            pr.sensitivity_problem(pr.elasticity_demand(2.0, 2.7e6), 20)

    def test_the_result_carries_it(self):
        """analyse returns the same Problem the page differentiates (the elasticity model's line
        comes from the model: elasticity_like_linear keeps it)."""
        r = pr.analyse(pr.elasticity_like_linear(2.0, 1300, 10), 20, 50, 1000)
        assert r.sensitivity is not None
        assert [p.name for p in r.sensitivity.params] == [p.name for p in PROBLEMS["elasticity"]().params]
        assert solve(r.sensitivity).x == pytest.approx(r.optimum.x, rel=1e-10)
        assert pr.analyse(pr.linear_demand(1300, 10), 129.99999, 50).sensitivity is None
        data = pr.analyse_sales(pr.EXAMPLE_SALES, 20, 50).results["linear"]
        assert [p.name for p in data.sensitivity.params] == ["unit_cost", "fit_intercept", "fit_slope", "fixed_cost"]


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
        assert best.x == pytest.approx(75, abs=1.0)  # the example data is the tutorial's store

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

    @pytest.mark.parametrize(
        ("table", "message"),
        [
            (
                {"price": [1, 2, 1e300], "units": [3, 2, 1]},
                r"Prices must be between \$0.01 and \$1,000,000; got \$1e\+300",
            ),
            ({"price": [1e-300, 1, 2], "units": [3, 2, 1]}, r"got \$1e-300"),
            ({"price": [1, 2, 3], "units": [1e308, 5e307, 1]}, r"Units sold must be at most 1,000,000,000 a week"),
        ],
    )
    def test_numbers_no_store_has_are_refused(self, table, message):
        with pytest.raises(ValueError, match=message):
            pr.fit_sales(pd.DataFrame(table))

    def test_absurd_elasticity_is_refused_per_fit(self):
        """Prices 1% apart, sales falling a millionfold: e = 1389, not a curve to price with."""
        fits = pr.fit_sales(pd.DataFrame({"price": [100, 101, 100.5], "units": [1e9, 1e3, 3e5]}))
        assert fits.elasticity is None
        assert fits.elasticity_failure.problem is pr.FitProblem.TOO_ELASTIC
        assert fits.elasticity_failure.value > pr.MAX_FIT_ELASTICITY
        assert fits.linear is not None
        r = pr.analyse(fits.linear.model, 20, 50)  # the line still gives finite answers
        assert math.isfinite(r.optimum.fun)

    def test_rising_demand_is_refused_per_fit(self):
        fits = pr.fit_sales(pd.DataFrame({"price": [40, 50, 60], "units": [500, 600, 700]}))
        assert fits.linear is None
        assert fits.linear_failure.problem is pr.FitProblem.NOT_FALLING
        assert fits.linear_failure.value == pytest.approx(10.0, rel=1e-12)  # units per $1
        assert fits.elasticity is None
        assert fits.elasticity_failure.problem is pr.FitProblem.NOT_FALLING
        with pytest.raises(ValueError, match="units sold do not fall as the price rises"):
            pr.fit_linear([40, 50, 60], [500, 600, 700])

    def test_zero_units_only_stop_the_log_fit(self):
        fits = pr.fit_sales(pd.DataFrame({"price": [40, 80, 120, 130], "units": [900, 500, 100, 0]}))
        assert fits.linear is not None
        assert fits.elasticity is None
        assert fits.elasticity_failure.problem is pr.FitProblem.ZERO_UNITS
        with pytest.raises(ValueError, match="units > 0"):
            pr.fit_elasticity([40, 80, 130], [900, 500, 0])

    def test_blank_rows_are_ignored(self):
        table = pd.DataFrame({"price": [40, None, 60, 80], "units": [900, None, 700, 500]})
        fits = pr.fit_sales(table)
        assert fits.prices.tolist() == [40, 60, 80]
        assert math.isclose(fits.linear.model.b, 10)


class TestRoundingNoise:
    """Issue 19, item 7: pricing.csv showed a marginal profit of −5.77e−14 at the optimum
    (/pricing?model=elasticity&elasticity=1.3&unit_cost=30) and −5e−06 at a best price rounded
    to six decimals (demand_slope=7.5): at the optimum it is exactly 0, and nowhere is a value
    rounding noise of its own terms."""

    @staticmethod
    def exported(r) -> pd.DataFrame:
        return pd.read_csv(io.BytesIO(table_to_csv(r.table)), keep_default_na=False)

    @pytest.mark.parametrize("model", ["linear", "elasticity", "data"])
    @pytest.mark.parametrize("c", [0.0, 1.0, 20.0, 30.0, 57.0, 120.0])
    @pytest.mark.parametrize(
        "shape", [(1300.0, 10.0, 1.3), (1300.0, 7.5, 2.35), (5000.0, 3.5, 1.05), (250.0, 0.5, 4.0)]
    )
    def test_the_optimum_row_says_zero(self, model, c, shape):
        a, b, e = shape
        if model == "linear":
            demand = pr.linear_demand(a, b)
        elif model == "elasticity":
            demand = pr.elasticity_like_linear(e, a, b)
        else:
            demand = FITS.elasticity.model if e > 2 else FITS.linear.model
        r = pr.analyse(demand, c, 50, 1000)
        t = self.exported(r)
        best = t[t.note.str.contains("optimal")]
        if r.optimum is None:  # c = 0 under q = A·p^−e, or c above the choke price: no row says optimal
            assert best.empty
        else:
            assert len(best) == 1
            assert best.marginal_profit.item() == 0.0
            assert best.price.item() == pytest.approx(r.optimum.x, rel=1e-9)  # the exact price, not a rounded one
        terms = t.price * t.customers + t.cost  # the size of what a profit is computed from
        for column in ("marginal_profit", "profit"):
            noise = t[(t[column] != 0) & (t[column].abs() < 1e-9 * terms)]
            assert noise.empty, noise

    def test_the_issue_example(self):
        r = pr.analyse(pr.elasticity_like_linear(1.3, 1300, 10), 30, 50)
        t = self.exported(r)
        assert t.loc[t.note == "optimal price", "marginal_profit"].item() == 0.0


class TestBreakEvenEdgeCases:
    """Found by the sentence sweep (tests/explain/test_pricing.py); each raised on the previous code."""

    def test_a_free_unit_under_elastic_demand(self):
        """/pricing?model=elasticity&unit_cost=0&fixed_cost=100000&demand_slope=12.5&elasticity=1.7
        raised "f(a) and f(b) must have different signs": the root, (A/F)^(1/(e − 1)), fell on the
        root finder's grid node, where numpy's vector and scalar powers round to opposite signs."""
        model = pr.elasticity_like_linear(1.7, 1300, 12.5)
        (only,) = pr.break_even_prices(model, 0, 100_000)
        assert only == pytest.approx((model.scale / 100_000) ** (1 / 0.7), rel=1e-12)
        assert pr.analyse(model, 0, 1, 100_000).break_even_kind is pr.BreakEven.ONLY_BELOW

    def test_a_fitted_elasticity_a_hair_above_one(self):
        """A fitted e = 1.00076 made (A/F)^(1/(e − 1)) overflow (OverflowError on the page)."""
        table = pd.DataFrame({"price": [1.0, 1.5, 1.5, 1.5, 6.0, 1.0], "units": [888, 584.5, 584.5, 584.5, 139.9, 777]})
        result = pr.analyse_sales(table, 1.0, 1.0, 500.0).results["elasticity"]
        assert result.model.elasticity == pytest.approx(1.0, abs=1e-3)
        assert result.break_even_kind is pr.BreakEven.HIGHER_UP_TO_CAP
        (low,) = result.break_even
        assert profit_of(result.model, 1.0, 500.0, low) == pytest.approx(0.0, abs=1e-6)
