"""A typed function end to end: derivatives, critical points, optimum, undefined parts."""

import math

import pytest

from optimizers.custom import analyse_function
from optimizers.expression import ExpressionError


class TestAnalyseFunction:
    def test_basic(self):
        """The seed's ad spend: C(x) = x^2 - 10x + 100 is lowest at x = 5 where C = 75."""
        r = analyse_function("x^2 - 10x + 100", 0, 10, "min")
        assert r.optimum.x == pytest.approx(5.0, rel=1e-12)
        assert r.optimum.fun == pytest.approx(75.0, rel=1e-12)
        assert not r.optimum.at_boundary
        assert [(p.kind, p.x) for p in r.points] == [("min", pytest.approx(5.0, rel=1e-12))]
        assert r.latex[1] == "2 x - 10"
        assert r.problem == ""

    @pytest.mark.parametrize(
        ("text", "lo", "hi", "goal", "x_star", "f_star"),
        [
            ("-2x^2 + 40x - 100", 0, 30, "max", 10.0, 100.0),
            ("-x^2 + 12x + 20", 0, 12, "max", 6.0, 56.0),
            ("100(1 - exp(-0.3x)) - 2x", 0, 16, "max", math.log(15) / 0.3, 100 * (1 - 1 / 15) - 2 * math.log(15) / 0.3),
            ("x/(0.001x^2 + 2)", 1, 120, "max", math.sqrt(2000), math.sqrt(2000) / 4),
            ("x^2 * exp(x)", -4, 1, "min", 0.0, 0.0),
        ],
    )
    def test_seed_optima(self, text, lo, hi, goal, x_star, f_star):
        r = analyse_function(text, lo, hi, goal)
        assert abs(r.optimum.x - x_star) <= 1e-10 * max(1, abs(x_star))
        assert r.optimum.fun == pytest.approx(f_star, rel=1e-10, abs=1e-12)

    def test_many_critical_points_and_a_boundary_optimum(self):
        r = analyse_function("sin(x) + 0.1x", 0, 20, "max")
        assert len(r.points) == 6
        assert r.optimum.x == 20.0
        assert r.optimum.at_boundary
        best = r.table.loc[r.table.note.str.contains("global max")]
        assert best.x.tolist() == [20.0]

    def test_undefined_parts_are_reported_not_optimised(self):
        r = analyse_function("log(x)", -1, 2, "max")
        assert r.optimum is None
        assert "-1 ≤ x ≤ 0" in r.problem
        assert "Try the interval [0.02, 2]" in r.problem
        assert r.curve.loc[r.curve.x <= 0, "value"].isna().all()
        r = analyse_function("1/(x-1)", 0, 3, "min")
        assert r.optimum is None
        assert "x = 1" in r.problem
        assert r.curve.value.abs().max() < 1e3  # the pole is left out, not plotted as a spike

    def test_overflow_is_reported(self):
        r = analyse_function("exp(exp(exp(x)))", 0, 5, "max")
        assert r.optimum is None
        assert "overflow" in r.problem

    def test_kinks(self):
        r = analyse_function("abs(x - 1) + 2", 0, 3, "min")
        assert r.kinks == (1.0,)
        assert r.optimum.x == pytest.approx(1.0, abs=1e-10)
        assert r.optimum.fun == pytest.approx(2.0, abs=1e-10)

    def test_flat_function(self):
        r = analyse_function("5", 0, 1, "max")
        assert r.optimum.flat
        assert r.latex[1] == "0"

    def test_input_validation(self):
        with pytest.raises(ExpressionError, match="unknown name 'y'"):
            analyse_function("y", 0, 1)
        with pytest.raises(ExpressionError, match="lo < hi"):
            analyse_function("x", 1, 1)
        with pytest.raises(ExpressionError, match="goal must be max or min"):
            analyse_function("x", 0, 1, "best")
