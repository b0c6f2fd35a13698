"""Study-hours models against their closed forms and the tutorial's numbers; plans beyond the
limit, scores below zero, what moves the optimum, and the statuses the page's words are
written from (the words: tests/explain/test_study.py)."""

import math

import numpy as np
import pytest

from explain.sensitivity import note as sensitivity_note
from optimizers import study as sm
from optimizers.sensitivity import sensitivity, solve, sweep


class TestAnalyse:
    def test_basic(self):
        """The tutorial: ln(15)/0.3 = 9.0268 hours, effective score 75.3, 15 hours loses 6.4 points."""
        r = sm.analyse(sm.diminishing(100, 0.3, 2), 15, 16)
        exact = math.log(15) / 0.3
        assert r.optimum.x == pytest.approx(exact, rel=1e-12)
        assert r.optimum.fun == pytest.approx(100 * (1 - 1 / 15) - 2 * exact, rel=1e-12)
        assert round(r.optimum.fun, 1) == 75.3
        assert r.score_at_hours == pytest.approx(100 * (1 - math.exp(-4.5)) - 30, rel=1e-12)
        assert round(r.points_lost, 1) == 6.4
        assert r.optimum.kind == "max"
        assert not r.optimum.at_boundary
        assert r.boundary is None
        assert r.verdict is sm.Verdict.STUDY_LESS

    @pytest.mark.parametrize(("m", "k", "c"), [(100, 0.3, 3), (80, 0.5, 1), (150, 0.1, 2.5), (60, 1.7, 0.4)])
    def test_closed_form(self, m, k, c):
        r = sm.analyse(sm.diminishing(m, k, c), 1, 24)
        assert r.optimum.x == pytest.approx(math.log(m * k / c) / k, rel=1e-10)
        assert sm.optimal_hours(sm.diminishing(m, k, c), 24) == pytest.approx(r.optimum.x, rel=1e-10)

    def test_quadratic_seed(self):
        r = sm.analyse(sm.quadratic(-1, 12, 20), 10, 16)
        assert r.optimum.x == pytest.approx(6.0, rel=1e-12)
        assert r.optimum.fun == pytest.approx(56.0, rel=1e-12)
        assert r.optimum.second_derivative == -2.0

    def test_special_cases(self):
        # M k <= c: the first hour already costs more than it earns -> 0 hours, on the boundary
        r = sm.analyse(sm.diminishing(100, 0.3, 30), 5, 16)
        assert r.optimum.x == 0.0
        assert r.optimum.at_boundary
        assert r.boundary is sm.Boundary.NO_HOURS_COSTS
        # the optimum lies beyond max_hours -> clamped to it, said plainly
        r = sm.analyse(sm.diminishing(100, 0.05, 2), 5, 16)
        assert r.optimum.x == 16.0
        assert r.optimum.at_boundary
        assert r.boundary is sm.Boundary.LIMIT_TURNS_LATER
        assert r.verdict is sm.Verdict.STUDY_MORE
        # a convex quadratic has its best at an end, and past the far end it never turns down
        r = sm.analyse(sm.quadratic(1, -4, 0), 1, 10)
        assert r.optimum.x == 10.0
        assert r.optimum.at_boundary
        assert r.boundary is sm.Boundary.LIMIT_KEEPS_RISING
        # ... or at 0 hours when it dips and never climbs back within the limit
        assert sm.analyse(sm.quadratic(1, -4, 0), 1, 3).boundary is sm.Boundary.NO_HOURS_DIP
        assert sm.analyse(sm.quadratic(-1, -2, 0), 1, 10).boundary is sm.Boundary.NO_HOURS_FALLS
        # no fatigue: the score never turns down
        assert sm.analyse(sm.diminishing(100, 0.3, 0), 1, 16).boundary is sm.Boundary.LIMIT_KEEPS_RISING
        # the turning point is the limit itself: h* = 12/2 = 6 = max_hours
        r = sm.analyse(sm.quadratic(-1, 12, 20), 1, 6)
        assert r.optimum.x == 6.0
        assert r.boundary is sm.Boundary.LIMIT_TURNS_THERE
        # a flat score: every plan is as good
        r = sm.analyse(sm.quadratic(0, 0, 5), 3, 10)
        assert r.boundary is sm.Boundary.FLAT
        assert r.verdict is sm.Verdict.GOOD_PLAN

    def test_table(self):
        r = sm.analyse(sm.diminishing(100, 0.3, 2), 15, 16)
        t = r.table
        assert list(t.columns) == [
            "hours",
            "base_score",
            "fatigue_cost",
            "effective_score",
            "marginal_gain",
            "net_marginal_gain",
            "note",
        ]
        # the seed's diminishing-returns table: marginal gain 30 e^(-0.3 h) points per hour
        row = t.loc[t.hours == 4].iloc[0]
        assert row.base_score == pytest.approx(100 * (1 - math.exp(-1.2)), rel=1e-12)
        assert row.marginal_gain == pytest.approx(30 * math.exp(-1.2), rel=1e-12)
        best = t.loc[t.effective_score.idxmax()]
        assert best.note == "optimal"
        assert best.hours == r.optimum.x == pytest.approx(9.026834, abs=1e-6)
        assert best.net_marginal_gain == 0.0  # the turning point itself, not rounding noise
        np.testing.assert_allclose(t.effective_score, t.base_score - t.fatigue_cost)

    def test_input_validation(self):
        with pytest.raises(ValueError, match="k must be positive, got 0"):
            sm.diminishing(100, 0, 2)
        with pytest.raises(ValueError, match="fatigue must be non-negative, got -1"):
            sm.diminishing(100, 0.3, -1)
        with pytest.raises(ValueError, match="a must be a finite number, got nan"):
            sm.quadratic(float("nan"), 1, 1)
        with pytest.raises(ValueError, match="max_hours must be positive"):
            sm.analyse(sm.diminishing(100, 0.3, 2), 1, 0)
        with pytest.raises(ValueError, match="hours must be a non-negative number"):
            sm.analyse(sm.diminishing(100, 0.3, 2), -1, 16)


class TestPlansAndScores:
    def test_plan_beyond_the_limit_loses_nothing(self):
        """/study?fatigue=0&hours=24: the score still rises at 16 h, the plan of 24 h beats it."""
        r = sm.analyse(sm.diminishing(100, 0.3, 0), 24, 16)
        assert r.optimum.x == 16.0
        assert r.optimum.at_boundary
        assert r.beyond_limit
        assert r.points_lost == 0.0  # was -0.7
        assert r.gain_beyond_limit == pytest.approx(100 * (math.exp(-4.8) - math.exp(-7.2)), rel=1e-12)
        assert round(r.gain_beyond_limit, 1) == 0.7
        assert not r.good_plan
        assert r.verdict is sm.Verdict.NONE

    def test_plan_beyond_the_limit_that_scores_less(self):
        r = sm.analyse(sm.diminishing(100, 0.3, 2), 20, 16)
        expected = r.optimum.fun - (100 * (1 - math.exp(-6)) - 40)
        assert r.points_lost == pytest.approx(expected, rel=1e-12)
        assert r.gain_beyond_limit == 0.0
        assert r.beyond_limit
        assert r.verdict is sm.Verdict.STUDY_LESS

    @pytest.mark.parametrize("fatigue", [0.0, 0.5, 2.0, 20.0])
    @pytest.mark.parametrize("hours", [0.0, 0.25, 9.0, 15.0, 16.0, 16.25, 24.0])
    @pytest.mark.parametrize("max_hours", [1.0, 16.0, 24.0])
    def test_points_lost_is_never_negative(self, fatigue, hours, max_hours):
        r = sm.analyse(sm.diminishing(100, 0.3, fatigue), hours, max_hours)
        assert r.points_lost >= 0.0
        assert r.gain_beyond_limit >= 0.0
        assert r.points_lost * r.gain_beyond_limit == 0.0  # one or the other
        assert r.points_lost - r.gain_beyond_limit == pytest.approx(r.optimum.fun - r.score_at_hours, abs=1e-9)
        if hours <= max_hours:
            assert r.gain_beyond_limit == 0.0

    def test_score_below_zero(self):
        r = sm.analyse(sm.diminishing(100, 0.3, 20), 24, 24)
        assert r.score_at_hours == pytest.approx(100 * (1 - math.exp(-7.2)) - 480, rel=1e-12)
        assert round(r.score_at_hours, 1) == -380.1
        assert r.fatigue_at_hours == 480.0
        assert r.base_at_hours == pytest.approx(100 * (1 - math.exp(-7.2)), rel=1e-12)
        r = sm.analyse(sm.quadratic(-1, 0, -20), 5, 16)
        assert (r.score_at_hours, r.optimum.fun) == (-45.0, -20.0)

    @pytest.mark.parametrize("hours", [9.0, 9.25, 8.75])
    def test_good_plan_is_within_the_points(self, hours):
        r = sm.analyse(sm.diminishing(100, 0.3, 2), hours, 16)
        assert (r.verdict is sm.Verdict.GOOD_PLAN) == (r.points_lost < sm.GOOD_PLAN_POINTS)

    def test_sensitivity_is_carried(self):
        r = sm.analyse(sm.diminishing(100, 0.3, 2), 15, 16)
        assert solve(r.sensitivity).x == pytest.approx(r.optimum.x, rel=1e-12)
        assert sm.analyse(sm.diminishing(100, 0.3, 30), 15, 16).sensitivity is None  # c outside its slider


def resolved(problem, name, rel_step=1e-4):
    v = problem.theta()[name]
    d = rel_step * max(abs(v), 1.0)
    up, down = solve(problem, **{name: v + d}), solve(problem, **{name: v - d})
    return (up.x - down.x) / (2 * d), (up.fun - down.fun) / (2 * d)


class TestSensitivityProblem:
    def test_basic_closed_forms(self):
        """h* = ln(Mk/c)/k: dh*/dc = -1/(c k), dV*/dc = -h*, dh*/dM = 1/(M k),
        dh*/dk = (1 - k h*)/k^2, dV*/dM = 1 - c/(M k); the longest day does not bind."""
        m, k, c = 100.0, 0.3, 2.0
        rep = sensitivity(sm.sensitivity_problem(sm.diminishing(m, k, c), 16))
        rows = {r.parameter: r for r in rep.rows}
        h = math.log(m * k / c) / k
        assert list(rows) == ["max_score", "k", "fatigue", "max_hours"]
        assert rep.optimum.x == pytest.approx(h, rel=1e-12)
        assert rows["fatigue"].optimum_change_per_unit == pytest.approx(-1 / (c * k), rel=1e-10)
        assert rows["fatigue"].best_change_per_unit == pytest.approx(-h, rel=1e-10)
        assert rows["max_score"].optimum_change_per_unit == pytest.approx(1 / (m * k), rel=1e-10)
        assert rows["max_score"].best_change_per_unit == pytest.approx(1 - c / (m * k), rel=1e-10)
        assert rows["k"].optimum_change_per_unit == pytest.approx((1 - k * h) / k**2, rel=1e-10)
        assert rows["max_hours"].optimum_change_per_unit == 0.0
        assert rows["max_hours"].best_change_per_unit == 0.0

    def test_max_hours_is_the_end_of_the_interval(self):
        """Without fatigue the best plan is the longest day: it moves one for one with it."""
        rep = sensitivity(sm.sensitivity_problem(sm.diminishing(100, 0.3, 0), 16))
        rows = {r.parameter: r for r in rep.rows}
        assert rep.optimum.at_boundary
        assert rows["max_hours"].optimum_change_per_unit == 1.0
        assert rows["max_hours"].best_change_per_unit == pytest.approx(30 * math.exp(-4.8), rel=1e-10)
        assert rows["fatigue"].optimum_change_per_unit == 0.0
        assert rows["fatigue"].best_change_per_unit == pytest.approx(-16.0, rel=1e-10)
        # 30 e^(-0.3 h) = c at h = 16 when c = 30 e^(-4.8): the best plan leaves the end there
        assert f"leaves the upper end when fatigue cost (c) reaches {30 * math.exp(-4.8):.4g}" in sensitivity_note(
            rows["fatigue"]
        )

    def test_quadratic_closed_forms(self):
        """h* = -b/(2a): dh*/da = b/(2a^2), dh*/db = -1/(2a); dV*/dc = 1."""
        a, b = -1.0, 12.0
        rows = {r.parameter: r for r in sensitivity(sm.sensitivity_problem(sm.quadratic(a, b, 20), 16)).rows}
        assert rows["quad_a"].optimum_change_per_unit == pytest.approx(b / (2 * a * a), rel=1e-10)
        assert rows["quad_b"].optimum_change_per_unit == pytest.approx(-1 / (2 * a), rel=1e-10)
        assert rows["quad_c"].optimum_change_per_unit == pytest.approx(0.0, abs=1e-12)
        assert rows["quad_c"].best_change_per_unit == pytest.approx(1.0, rel=1e-12)
        assert rows["quad_a"].best_change_per_unit == pytest.approx(36.0, rel=1e-10)  # h*^2

    @pytest.mark.parametrize(
        ("model", "max_hours"),
        [
            (sm.diminishing(100, 0.3, 2), 16),
            (sm.diminishing(150, 0.1, 2.5), 24),
            (sm.diminishing(60, 1.7, 0.4), 12),
            (sm.diminishing(100, 0.05, 2), 16),  # on the upper end
            (sm.quadratic(-1, 12, 20), 16),
            (sm.quadratic(-0.5, 3, -10), 9.5),
        ],
    )
    def test_matches_re_solving(self, model, max_hours):
        problem = sm.sensitivity_problem(model, max_hours)
        assert solve(problem).x == pytest.approx(sm.analyse(model, 1, max_hours).optimum.x, rel=1e-12)
        for row in sensitivity(problem).rows:
            dx, dv = resolved(problem, row.parameter)
            assert row.optimum_change_per_unit == pytest.approx(dx, rel=1e-6, abs=1e-9), row
            assert row.best_change_per_unit == pytest.approx(dv, rel=1e-6, abs=1e-9), row

    def test_sweep(self):
        s = sweep(sm.sensitivity_problem(sm.diminishing(100, 0.3, 2), 16), "fatigue")
        inside = s[(s.value > 0) & ~s.at_boundary]
        np.testing.assert_allclose(inside.optimum, np.log(30 / inside.value) / 0.3, rtol=1e-10)
        assert s.loc[s.value == 0, "optimum"].item() == 16.0  # no fatigue: the longest day
