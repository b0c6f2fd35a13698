"""A typed function end to end: derivatives, critical points, optimum, undefined parts."""

import math

import pytest
from scipy.optimize import brentq
from scipy.special import ndtr

from optimizers.custom import analyse, analyse_function, breaks, tidy
from optimizers.expression import ExpressionError, prepare


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

    def test_breaks_are_found_without_sympy(self):
        """Gaps and kinks for a new interval come from the watch list, numerically."""
        parsed = prepare("log(x) + abs(x - 1) + 1/(x - 2.5)")
        assert breaks(parsed, -1, 3) == (((-1.0, 0.0), (2.5, 2.5)), (1.0,))
        assert breaks(parsed, 0.5, 2) == ((), (1.0,))
        assert breaks(prepare("tan(x)"), 0, 3)[0] == ((math.pi / 2, math.pi / 2),)
        assert breaks(prepare("log(x)"), 0, 2)[0] == ((0.0, 0.0),)  # log(0) is a pole at the end
        assert breaks(prepare("sqrt(x) + x^x"), 0, 2) == ((), ())  # defined at 0: not a gap
        assert breaks(prepare("1/(x^2 - 2x + 1)"), 0, 3)[0] == ((pytest.approx(1.0, abs=1e-7),) * 2,)

    @pytest.mark.parametrize(
        ("text", "lo", "hi", "x_star", "f_star"),
        [
            ("sqrt(x)", 0, 10, 0.0, 0.0),
            ("x^(1/3)", 0, 1, 0.0, 0.0),
            ("x^x", 0, 2, math.exp(-1), math.exp(-math.exp(-1))),
            ("abs(x)^0.5", -1, 1, 0.0, 0.0),
            ("abs(x)^0.5", -1, 2, 0.0, 0.0),
        ],
    )
    def test_infinite_slopes_are_candidates(self, text, lo, hi, x_star, f_star):
        """f finite, f' infinite: a vertical tangent or cusp, never 'undefined' or 'overflow'."""
        r = analyse_function(text, lo, hi, "min")
        assert r.problem == ""
        assert r.optimum.x == pytest.approx(x_star, rel=1e-12, abs=1e-300)
        assert r.optimum.fun == pytest.approx(f_star, rel=1e-12, abs=1e-300)

    def test_cusp_and_kink_labels(self):
        r = analyse_function("abs(x)^0.5", -1, 1, "min")
        assert [p.label for p in r.points] == ["min (cusp)"]
        assert "cusp" in r.optimum.message
        r = analyse_function("abs(x)", -1, 1, "min")
        assert [p.label for p in r.points] == ["min (kink)"]
        assert r.table.loc[r.table.x == 0, "note"].item() == "global min, min (kink)"

    def test_rounding_noise_is_shown_as_zero(self):
        """The quotient preset: brentq lands at x ~ -2e-16, f ~ 4e-32; the page shows 0 and 0."""
        r = analyse_function("x^2 / (x + 1)", -0.5, 3, "min")
        assert abs(r.optimum.x) < 1e-15  # the engine's own answer keeps its rounding
        assert (r.shown_x(r.optimum.x), r.shown_f(r.optimum.fun)) == (0.0, 0.0)
        assert "x = 0:" in r.optimum.message
        best = r.table.loc[r.table.note.str.contains("global min")]
        assert (best.x.item(), best.f.item()) == (0.0, 0.0)
        assert tidy(1e-13, 3.0) == 1e-13  # a few ulps of 3 (eps * 3 = 6.7e-16), not more
        assert tidy(-0.0, 1.0) == 0.0
        assert math.copysign(1.0, tidy(-0.0, 1.0)) == 1.0

    def test_gelu(self):
        """GELU x Phi(x), typed with erf: its minimum solves Phi(x) + x phi(x) = 0."""
        r = analyse_function("x * (1 + erf(x / sqrt(2))) / 2", -3, 1, "min")

        def slope(t):
            return ndtr(t) + t * math.exp(-t * t / 2) / math.sqrt(2 * math.pi)

        x_star = brentq(slope, -1, -0.5, xtol=1e-15)
        assert r.optimum.x == pytest.approx(x_star, rel=1e-10)
        assert r.optimum.fun == pytest.approx(x_star * ndtr(x_star), rel=1e-12)

    def test_naive_sigmoid_overflow_is_named(self):
        r = analyse_function("1/(1 + exp(-x))", -1000, 0, "max")
        assert r.optimum is None
        assert "overflow" in r.problem
        assert "not continuous" not in r.problem
        r = analyse_function("sigmoid(x)", -1000, 0, "max")  # the stable one has no trouble
        assert (r.optimum.x, r.optimum.fun) == (0.0, 0.5)

    def test_analyse_reuses_the_symbolic_work(self):
        parsed = prepare("sin(x) + 0.1x")
        a, b = analyse(parsed, 0, 20, "max"), analyse(parsed, 0, 5, "max")
        assert a.latex == b.latex
        assert len(a.points) == 6
        assert len(b.points) == 2

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
