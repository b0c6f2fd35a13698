"""Sensitivity of optima: implicit-function and envelope theorems against re-solving the model."""

import math

import numpy as np
import pytest

from optimizers.sensitivity import COLUMNS, Param, Problem, sensitivity, solve, sweep


def profit(p, c, a, b):
    return (p - c) * (a - b * p)


def profit_dp(p, c, a, b):
    return a - 2 * b * p + b * c


def pricing(c=20.0, a=1300.0, b=10.0, analytic=True):
    return Problem(
        lambda p, unit_cost, a, b: profit(p, unit_cost, a, b),
        0.0,
        130.0,
        "max",
        (Param("unit_cost", c, 0, 60, "unit cost"), Param("a", a, 1000, 2000), Param("b", b, 5, 20)),
        df=(lambda p, unit_cost, a, b: profit_dp(p, unit_cost, a, b)) if analytic else None,
        x_name="price",
    )


def study(c=2.0, k=0.3, m=100.0, max_hours=16.0):
    return Problem(
        lambda h, max_score, k, fatigue: max_score * (1 - np.exp(-k * h)) - fatigue * h,
        0.0,
        "max_hours",
        "max",
        (
            Param("max_score", m, 10, 200),
            Param("k", k, 0.01, 2.0),
            Param("fatigue", c, 0.0, 20.0),
            Param("max_hours", max_hours, 1.0, 24.0),
        ),
        x_name="study time",
    )


def fuel(a=0.001, b=2.0):
    return Problem(
        lambda s, drag, idle: s / (drag * s * s + idle),
        10.0,
        "speed_limit",
        "max",
        (Param("drag", a, 0.0001, 0.005), Param("idle", b, 0.1, 10.0), Param("speed_limit", 80.0, 30, 120)),
        x_name="speed",
    )


def resolved(problem, name, rel_step=1e-4):
    """dx*/dθ and dV*/dθ by re-solving at θ ± δ (central difference of the optimum itself)."""
    v = problem.theta()[name]
    d = rel_step * max(abs(v), 1e-3)
    up, down = solve(problem, **{name: v + d}), solve(problem, **{name: v - d})
    return (up.x - down.x) / (2 * d), (up.fun - down.fun) / (2 * d)


class TestSensitivity:
    def test_basic_pricing_closed_forms(self):
        rep = sensitivity(pricing())
        row = {r.parameter: r for r in rep.rows}["unit_cost"]
        assert row.optimum_change_per_unit == pytest.approx(0.5, rel=1e-10)
        q_star = 1300 - 10 * 75
        assert row.best_change_per_unit == pytest.approx(-q_star, rel=1e-10)
        assert row.optimum_elasticity == pytest.approx(0.5 * 20 / 75, rel=1e-10)
        assert list(rep.table().columns) == COLUMNS

    @pytest.mark.parametrize("analytic", [True, False])
    @pytest.mark.parametrize("make", [pricing, study, fuel])
    def test_matches_re_solving(self, make, analytic):
        problem = make() if make is not pricing else make(analytic=analytic)
        rep = sensitivity(problem)
        for row in rep.rows:
            dx, dv = resolved(problem, row.parameter)
            assert row.optimum_change_per_unit == pytest.approx(dx, rel=1e-6, abs=1e-9), row
            assert row.best_change_per_unit == pytest.approx(dv, rel=1e-6, abs=1e-9), row

    def test_study_closed_forms(self):
        k, c = 0.3, 2.0
        rep = sensitivity(study(c=c, k=k))
        row = {r.parameter: r for r in rep.rows}
        h_star = math.log(100 * k / c) / k
        assert rep.optimum.x == pytest.approx(h_star, rel=1e-12)
        assert row["fatigue"].optimum_change_per_unit == pytest.approx(-1 / (c * k), rel=1e-10)
        assert row["fatigue"].best_change_per_unit == pytest.approx(-h_star, rel=1e-10)
        assert row["max_hours"].optimum_change_per_unit == 0  # interior: the longest day does not bind

    def test_fuel_elasticity_is_minus_half(self):
        rep = sensitivity(fuel())
        row = {r.parameter: r for r in rep.rows}
        assert rep.optimum.x == pytest.approx(math.sqrt(2000), rel=1e-12)
        assert row["drag"].optimum_elasticity == pytest.approx(-0.5, rel=1e-9)
        assert row["idle"].optimum_elasticity == pytest.approx(0.5, rel=1e-9)

    def test_special_cases_boundary(self):
        # A limit of 40 mph binds (the best speed would be 44.7): x* moves one for one with it.
        problem = fuel()
        params = tuple(Param(p.name, 40.0, p.lo, p.hi) if p.name == "speed_limit" else p for p in problem.params)
        bound = Problem(problem.f, problem.lo, problem.hi, "max", params)
        rep = sensitivity(bound)
        row = {r.parameter: r for r in rep.rows}
        assert rep.optimum.at_boundary
        assert row["speed_limit"].optimum_change_per_unit == 1.0
        dx, dv = resolved(bound, "speed_limit")
        assert row["speed_limit"].best_change_per_unit == pytest.approx(dv, rel=1e-6)
        assert row["drag"].optimum_change_per_unit == 0.0
        dx, dv = resolved(bound, "drag")
        assert dx == pytest.approx(0.0, abs=1e-9)
        assert row["drag"].best_change_per_unit == pytest.approx(dv, rel=1e-6)
        # s* = sqrt(b/a) reaches 40 when a = 2/1600 = 0.00125: there the optimum leaves the limit.
        assert "leaves the upper end when drag reaches 0.00125" in row["drag"].note

    def test_special_cases_flat(self):
        flat = Problem(lambda x, a: 0 * x + a, 0.0, 1.0, "max", (Param("a", 1.0, 0, 2),))
        row = sensitivity(flat).rows[0]
        assert math.isnan(row.optimum_change_per_unit)
        assert "flat" in row.note

    def test_headline(self):
        assert sensitivity(fuel()).headline().startswith("Your best speed is most sensitive to")

    def test_input_validation(self):
        with pytest.raises(ValueError, match="outside"):
            Param("c", 500, 0, 100)
        with pytest.raises(ValueError, match="unknown parameter 'zz'"):
            sweep(pricing(), "zz")


class TestSweep:
    def test_basic(self):
        s = sweep(pricing(), "unit_cost", n=13)
        assert np.allclose(s.optimum, (1300 + 10 * s.value) / 20, rtol=1e-12)
        assert 20.0 in s.value.to_list()  # the current value is always a point

    def test_boundary_marked(self):
        s = sweep(fuel(), "speed_limit", n=10)
        assert s.loc[s.value < 44, "at_boundary"].all()
        assert not s.loc[s.value > 45, "at_boundary"].any()


def test_headline_when_no_elasticity_exists_compares_per_unit():
    # f = x² − a·x on [−1, 1] at a = 0: x* = 0, so no percentage exists, but dx*/da = 1/2.
    p = Problem(lambda x, a: x**2 - a * x, -1, 1, "min", (Param("a", 0.0, -1.0, 1.0),))
    report = sensitivity(p)
    (row,) = report.rows
    assert row.optimum_change_per_unit == pytest.approx(0.5, rel=1e-6)
    assert report.largest() is None
    assert "moves most with a" in report.headline()
    assert "+0.5" in report.headline()
    assert not str(report.table()["value"].iloc[0]).startswith("-")


def test_headline_says_nothing_moves_only_when_nothing_does():
    p = Problem(lambda x, a: (x - 0.25) ** 2 + a, -1, 1, "min", (Param("a", 1.0, 0.0, 2.0),))
    assert sensitivity(p).headline().startswith("No input moves the best")
