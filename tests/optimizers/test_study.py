"""Study-hours models against their closed forms and the seed's numbers."""

import math

import numpy as np
import pytest

from optimizers import study as sm


class TestAnalyse:
    def test_basic(self):
        """The seed: ln(15)/0.3 = 9.0268 hours, effective score 75.3, 15 hours loses 6.4 points."""
        r = sm.analyse(sm.diminishing(100, 0.3, 2), 15, 16)
        exact = math.log(15) / 0.3
        assert r.optimum.x == pytest.approx(exact, rel=1e-12)
        assert r.optimum.fun == pytest.approx(100 * (1 - 1 / 15) - 2 * exact, rel=1e-12)
        assert round(r.optimum.fun, 1) == 75.3
        assert r.score_at_hours == pytest.approx(100 * (1 - math.exp(-4.5)) - 30, rel=1e-12)
        assert round(r.points_lost, 1) == 6.4
        assert r.optimum.kind == "max"
        assert not r.optimum.at_boundary
        assert r.reason == ""

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
        assert "every hour costs more than it earns" in r.reason
        # the optimum lies beyond max_hours -> clamped to it, said plainly
        r = sm.analyse(sm.diminishing(100, 0.05, 2), 5, 16)
        assert r.optimum.x == 16.0
        assert r.optimum.at_boundary
        assert "still rising at 16 hours" in r.reason
        # a convex quadratic has its best at an end
        r = sm.analyse(sm.quadratic(1, -4, 0), 1, 10)
        assert r.optimum.x == 10.0
        assert r.optimum.at_boundary

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
        assert best.hours == pytest.approx(9.026834, abs=1e-6)
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
