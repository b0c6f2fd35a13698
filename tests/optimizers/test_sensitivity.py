"""Sensitivity of optima: implicit-function and envelope theorems against re-solving the model."""

import math
import re

import numpy as np
import pytest

from optimizers import fuel as fm
from optimizers.sensitivity import COLUMNS, NOISE, Boundary, End, Param, Problem, sensitivity, solve, sweep
from ui.export import table_to_csv


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
        assert (row["drag"].boundary, row["drag"].end) == (Boundary.LEAVES, End.UPPER)
        assert row["drag"].leaves_at == pytest.approx(2 / 1600, rel=1e-9)
        assert row["speed_limit"].boundary is Boundary.MOVES_END

    def test_special_cases_flat(self):
        flat = Problem(lambda x, a: 0 * x + a, 0.0, 1.0, "max", (Param("a", 1.0, 0, 2),))
        row = sensitivity(flat).rows[0]
        assert math.isnan(row.optimum_change_per_unit)
        assert row.boundary is Boundary.FLAT

    def test_largest(self):
        rep = sensitivity(fuel())
        assert rep.largest().parameter in {"drag", "idle"}  # both have elasticity ±1/2
        assert abs(rep.largest().optimum_elasticity) == pytest.approx(0.5, rel=1e-9)

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


def test_when_no_elasticity_exists_inputs_compare_per_unit():
    # f = x² − a·x on [−1, 1] at a = 0: x* = 0, so no percentage exists, but dx*/da = 1/2.
    p = Problem(lambda x, a: x**2 - a * x, -1, 1, "min", (Param("a", 0.0, -1.0, 1.0),))
    report = sensitivity(p)
    (row,) = report.rows
    assert row.optimum_change_per_unit == pytest.approx(0.5, rel=1e-6)
    assert report.largest() is None
    assert report.largest_per_unit() is row
    assert not str(report.table()["value"].iloc[0]).startswith("-")


def test_nothing_moves_only_when_nothing_does():
    p = Problem(lambda x, a: (x - 0.25) ** 2 + a, -1, 1, "min", (Param("a", 1.0, 0.0, 2.0),))
    report = sensitivity(p)
    assert report.largest() is None
    assert report.largest_per_unit() is None
    assert report.rows[0].best_change_per_unit == 1.0


class TestRoundingNoise:
    """Issue 19: Fuel's table showed +1.385e−15 and +1.616e−17 for inputs that cannot move the
    best speed (every cost is per mile, so neither the fuel price nor the distance moves it)."""

    @pytest.mark.parametrize("units", ["us", "metric"])
    def test_inputs_that_cannot_move_the_optimum_give_exactly_zero(self, units):
        s = {k: v.default for k, v in fm.SLIDERS[units].items()}
        problem = fm.sensitivity_problem(
            fm.FuelModel(s["drag"], s["idle"]),
            fuel_price=s["fuel_price"],
            distance=s["distance"],
            time_value=0.0,
            speed_limit=s["speed_limit"],
            units=units,
        )
        table = sensitivity(problem).table().set_index("parameter")
        price, distance = fm.SLIDERS[units]["fuel_price"].key, fm.SLIDERS[units]["distance"].key
        for name in (price, distance):
            assert table.loc[name, "optimum_change_per_unit"] == 0.0
            assert table.loc[name, "optimum_elasticity"] == 0.0
            assert table.loc[name, "best_change_per_unit"] > 0  # the trip's cost does move
        text = table_to_csv(table.reset_index()).decode()
        assert re.search(r"e-\d", text) is None

    def test_real_effects_are_kept(self):
        # a true elasticity of 1e-6 (far above NOISE) survives; one of 1e-13 is noise
        for eps, kept in ((1e-6, True), (1e-13, False)):
            p = Problem(lambda x, a, e=eps: -((x - 50 - e * a) ** 2), 0, 100, "max", (Param("a", 50.0, 0, 100),))
            (row,) = sensitivity(p).rows
            assert (row.optimum_change_per_unit != 0) is kept
            if kept:
                assert row.optimum_change_per_unit == pytest.approx(eps, rel=1e-6)
        assert NOISE < 1e-6
