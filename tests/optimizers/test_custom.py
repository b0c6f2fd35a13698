"""A typed function end to end: derivatives, critical points, optimum, undefined parts."""

import math

import numpy as np
import pytest
from scipy.optimize import brentq
from scipy.special import ndtr

from explain.sensitivity import note as sensitivity_note
from optimizers import sensitivity as sn
from optimizers.calculus import Boundary, Feature, Kind
from optimizers.custom import (
    NoSensitivity,
    Problem,
    analyse,
    analyse_function,
    breaks,
    holes,
    sensitivity_cost,
    sensitivity_problem,
    sensitivity_status,
    tidy,
)
from optimizers.expression import ExpressionError, limits, prepare


class TestAnalyseFunction:
    def test_basic(self):
        """The tutorial's ad spend: C(x) = x^2 - 10x + 100 is lowest at x = 5 where C = 75."""
        r = analyse_function("x^2 - 10x + 100", 0, 10, "min")
        assert r.optimum.x == pytest.approx(5.0, rel=1e-12)
        assert r.optimum.fun == pytest.approx(75.0, rel=1e-12)
        assert not r.optimum.at_boundary
        assert [(p.kind, p.x) for p in r.points] == [("min", pytest.approx(5.0, rel=1e-12))]
        assert r.latex[1] == "2 x - 10"
        assert r.problem is None
        assert list(r.table.columns) == ["x", "f", "f_prime", "f_second"]

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
    def test_tutorial_optima(self, text, lo, hi, goal, x_star, f_star):
        r = analyse_function(text, lo, hi, goal)
        assert abs(r.optimum.x - x_star) <= 1e-10 * max(1, abs(x_star))
        assert r.optimum.fun == pytest.approx(f_star, rel=1e-10, abs=1e-12)

    def test_many_critical_points_and_a_boundary_optimum(self):
        r = analyse_function("sin(x) + 0.1x", 0, 20, "max")
        assert len(r.points) == 6
        assert r.optimum.x == 20.0
        assert r.optimum.at_boundary
        assert r.optimum.xs == (20.0,)
        assert r.optimum.boundary == Boundary.BEATS_INTERIOR
        assert 20.0 in r.table.x.tolist()

    def test_undefined_parts_are_reported_not_optimised(self):
        r = analyse_function("log(x)", -1, 2, "max")
        assert r.optimum is None
        assert r.problem == Problem.UNDEFINED
        assert r.gaps == ((-1.0, 0.0),)
        assert r.suggestion == (0.02, 2.0)
        assert r.curve.loc[r.curve.x <= 0, "value"].isna().all()
        r = analyse_function("1/(x-1)", 0, 3, "min")
        assert r.optimum is None
        assert (r.problem, r.gaps, r.limits) == (Problem.UNDEFINED, ((1.0, 1.0),), ())
        assert r.curve.value.abs().max() < 1e3  # the pole is left out, not plotted as a spike

    def test_overflow_is_reported(self):
        r = analyse_function("exp(exp(exp(x)))", 0, 5, "max")
        assert r.optimum is None
        assert r.problem == Problem.OVERFLOW
        (a, b), (lo, hi) = r.gaps[0], r.suggestion
        assert b == 5.0
        assert math.exp(math.exp(math.exp(a))) == pytest.approx(1.8e302, rel=0.01)  # where f passes the limit
        assert 0 <= lo < hi < a

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
        assert r.problem is None
        assert r.optimum.x == pytest.approx(x_star, rel=1e-12, abs=1e-300)
        assert r.optimum.fun == pytest.approx(f_star, rel=1e-12, abs=1e-300)

    def test_cusp_and_kink(self):
        r = analyse_function("abs(x)^0.5", -1, 1, "min")
        assert [(p.kind, p.feature) for p in r.points] == [(Kind.MIN, Feature.CUSP)]
        assert r.optimum.feature == Feature.CUSP
        r = analyse_function("abs(x)", -1, 1, "min")
        assert [(p.kind, p.feature) for p in r.points] == [(Kind.MIN, Feature.KINK)]

    def test_rounding_noise_is_shown_as_zero(self):
        """The quotient preset: brentq lands at x ~ -2e-16, f ~ 4e-32; the page shows 0 and 0."""
        r = analyse_function("x^2 / (x + 1)", -0.5, 3, "min")
        assert abs(r.optimum.x) < 1e-15  # the engine's own answer keeps its rounding
        assert (r.shown_x(r.optimum.x), r.shown_f(r.optimum.fun)) == (0.0, 0.0)
        best = r.table.loc[r.table.x == 0]
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
        assert r.problem == Problem.DERIVATIVE_OVERFLOW
        assert r.gaps == ()
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


# --- the parameter a and what moves the optimum ------------------------------------------


def _report(text, lo, hi, goal, a):
    parsed = prepare(text, parameter=True)
    return parsed, analyse(parsed, lo, hi, goal, a)


def _resolved(parsed, lo, hi, goal, a):
    """The optimum re-solved from scratch at this a (the page's own path)."""
    return analyse(parsed, lo, hi, goal, a).optimum


class TestParameter:
    @pytest.mark.parametrize("a", [-4.0, 0.5, 3.0, 7.25])
    def test_closed_form(self, a):
        """x² − a·x on [-10, 10]: x* = a/2, V* = −a²/4, dx*/da = 1/2, dV*/da = −x* = −a/2."""
        parsed, r = _report("x^2 - a*x", -10, 10, "min", a)
        assert r.optimum.x == pytest.approx(a / 2, rel=1e-12)
        assert r.optimum.fun == pytest.approx(-(a**2) / 4, rel=1e-12)
        row = sn.sensitivity(sensitivity_problem(parsed, r)).rows[0]
        assert row.parameter == "a"
        assert row.optimum_change_per_unit == pytest.approx(0.5, rel=1e-10)
        assert row.best_change_per_unit == pytest.approx(-a / 2, rel=1e-10)
        assert row.optimum_elasticity == pytest.approx(1.0, rel=1e-10)  # x* ∝ a

    def test_price_preset_closed_form(self):
        """P(x) = a·x − 2x² − 100 at a = 40 (the seed's production profit): x* = a/4 = 10,
        dx*/da = 1/4, dP*/da = x* = 10 (each unit of price earns the quantity produced)."""
        parsed, r = _report("a*x - 2*x^2 - 100", 0, 30, "max", 40.0)
        assert (r.optimum.x, r.optimum.fun) == (pytest.approx(10.0, rel=1e-12), pytest.approx(100.0, rel=1e-12))
        row = sn.sensitivity(sensitivity_problem(parsed, r)).rows[0]
        assert row.optimum_change_per_unit == pytest.approx(0.25, rel=1e-10)
        assert row.best_change_per_unit == pytest.approx(10.0, rel=1e-10)

    @pytest.mark.parametrize(
        ("text", "lo", "hi", "goal", "a"),
        [
            ("x^2 - a*x", 0, 10, "min", 3.0),
            ("a*x - x^3/3", 0, 5, "max", 4.0),
            ("exp(-a*x) + x^2", -2, 2, "min", 1.5),
            ("sin(a*x) + x/10", 0, 2, "max", 1.2),
            ("log(x + a) - x^2/8", 0.5, 10, "max", 0.7),
            ("sigmoid(a*(x - 2)) - x^2/20", -5, 5, "max", 2.0),
            ("(x - a)^2 * exp(x/5) + a*x", -3, 6, "min", 1.0),
        ],
    )
    def test_against_re_solving(self, text, lo, hi, goal, a):
        """dx*/da and dV*/da from the theorems agree with the central difference of the
        optimum itself, re-solved at a ± δ, to 1e-6 relative."""
        parsed, r = _report(text, lo, hi, goal, a)
        assert not r.optimum.at_boundary
        row = sn.sensitivity(sensitivity_problem(parsed, r)).rows[0]
        d = 1e-4 * max(1.0, abs(a))
        up, down = _resolved(parsed, lo, hi, goal, a + d), _resolved(parsed, lo, hi, goal, a - d)
        dx = (up.x - down.x) / (2 * d)
        dv = (up.fun - down.fun) / (2 * d)
        assert row.optimum_change_per_unit == pytest.approx(dx, rel=1e-6, abs=1e-9)
        assert row.best_change_per_unit == pytest.approx(dv, rel=1e-6, abs=1e-9)

    def test_boundary_optimum(self):
        """x² − a·x on [0, 10] at a = 30: x* = 10 (upper end). x* stays (dx*/da = 0) and
        dV*/da = −x* = −10; the end's row: dx*/dhi = 1, dV*/dhi = f′(10) = 20 − 30 = −10;
        the optimum leaves the end when a/2 = 10."""
        parsed, r = _report("x^2 - a*x", 0, 10, "min", 30.0)
        assert r.optimum.at_boundary
        assert r.optimum.x == 10.0
        problem = sensitivity_problem(parsed, r)
        rows = {row.parameter: row for row in sn.sensitivity(problem).rows}
        assert set(rows) == {"a", "hi"}
        assert rows["a"].optimum_change_per_unit == 0.0
        assert rows["a"].best_change_per_unit == pytest.approx(-10.0, rel=1e-10)
        assert rows["hi"].optimum_change_per_unit == 1.0
        assert rows["hi"].best_change_per_unit == pytest.approx(-10.0, rel=1e-10)
        assert sensitivity_note(rows["a"]) == "leaves the upper end when a reaches 20"
        for name in ("a", "hi"):  # and against re-solving the problem itself
            d = 1e-3
            up, down = (
                sn.solve(problem, **{name: rows[name].value + d}),
                sn.solve(problem, **{name: rows[name].value - d}),
            )
            assert rows[name].optimum_change_per_unit == pytest.approx((up.x - down.x) / (2 * d), rel=1e-6, abs=1e-9)
            assert rows[name].best_change_per_unit == pytest.approx((up.fun - down.fun) / (2 * d), rel=1e-6)

    def test_lower_end_optimum(self):
        """−x² + a·x maximised on [4, 10] at a = 2: x* = 4 (the lower end), dV*/dlo = f′(4) = 2 − 8."""
        parsed, r = _report("-x^2 + a*x", 4, 10, "max", 2.0)
        rows = {row.parameter: row for row in sn.sensitivity(sensitivity_problem(parsed, r)).rows}
        assert set(rows) == {"a", "lo"}
        assert (rows["lo"].optimum_change_per_unit, rows["lo"].best_change_per_unit) == (1.0, pytest.approx(-6.0))
        assert rows["a"].best_change_per_unit == pytest.approx(4.0, rel=1e-12)

    def test_a_changes_gaps_and_powers(self):
        """Where f is defined depends on a: log(x − a) on [0, 10] is undefined below a; x**a
        is defined for x < 0 at an integer a only."""
        parsed = prepare("log(x - a)", parameter=True)
        assert breaks(parsed, 0, 10, a=3.0)[0] == ((0.0, pytest.approx(3.0, abs=1e-12)),)
        assert breaks(parsed, 0, 10, a=-1.0)[0] == ()
        power = prepare("x**a", parameter=True)
        assert breaks(power, -1, 1, a=2.0) == ((), ())
        gaps, _ = breaks(power, -1, 1, a=0.5)
        assert gaps[0][0] == -1.0
        assert gaps[0][1] == pytest.approx(0.0, abs=1e-12)
        assert breaks(power, -1, 1, a=-1.0)[0] == ((0.0, 0.0),)  # a pole at 0
        assert analyse(parsed, 0, 10, "min", 3.0).problem == Problem.UNDEFINED

    def test_only_a_is_accepted(self):
        with pytest.raises(ExpressionError, match="unknown name 'b': use x, the parameter a"):
            prepare("x^2 - b*x", parameter=True)
        with pytest.raises(ExpressionError, match="unknown name 'a'"):
            prepare("x^2 - a*x")  # where the page does not allow it (the Lab)
        with pytest.raises(ExpressionError, match="within"):
            analyse_function("x^2 - a*x", 0, 10, "min", a=math.inf)

    def test_no_parameter_no_problem(self):
        parsed, r = _report("x^2", 0, 10, "min", 3.0)
        assert not parsed.has_param
        assert r.a is None
        with pytest.raises(ValueError, match="no parameter a"):
            sensitivity_problem(parsed, r)

    @pytest.mark.parametrize(
        ("text", "lo", "hi", "a", "status"),
        [
            ("abs(x - a) + 0.1*(x - 1)^2", -5, 5, 2.0, NoSensitivity.NOT_SMOOTH),
            ("x^4 - a*x", -1, 1, 0.0, NoSensitivity.ZERO_CURVATURE),
            ("a", 0, 1, 2.0, NoSensitivity.FLAT),
            ("x^2 - a*x", 0, 10, 3.0, None),
            ("x^3 - a*x", -2, 3, 3.0, NoSensitivity.TIED),  # min -2 at x = -2 and x = 1
            ("sin(a*x)/x", -5, 5, 1.0, NoSensitivity.SINGULAR),  # its limit 1 at 0 is used
        ],
    )
    def test_when_the_theorems_do_not_apply(self, text, lo, hi, a, status):
        """The theorems' reasons are statuses of the model (explain/custom.py words them)."""
        parsed, r = _report(text, lo, hi, "min", a)
        if status == NoSensitivity.SINGULAR:
            found = limits(parsed, holes(parsed, lo, hi, a), lo, hi, a)
            r = analyse(parsed, lo, hi, "min", a, limits=found)
        assert sensitivity_status(r, r.optimum.x) == status

    def test_the_budget_refuses_fast_oscillation(self):
        """sin(1000·a·x): the theorems apply, the work budget (runtime policy) does not allow it."""
        from ui.work import refusal

        parsed, r = _report("sin(1000*a*x)", 0, 10, "min", 1.0)
        assert "CPU-seconds" in refusal(sensitivity_cost(parsed, r))

    def test_cost_sees_oscillation_at_other_values_of_a(self):
        """sin(1000·a·x) at a = 1 puts the roots of f′ between the grid's points (a fast solve);
        at other values of a there are hundreds: the estimate must see them."""
        parsed, r = _report("sin(1000*a*x)", 0, 10, "min", 1.0)
        assert sensitivity_cost(parsed, r).seconds > 10 * 44 * r.solve_seconds
        parsed, r = _report("x^2 - a*x", 0, 10, "min", 3.0)
        assert sensitivity_cost(parsed, r).seconds == pytest.approx(44 * r.solve_seconds)

    @pytest.mark.parametrize(
        ("text", "a", "note", "a_range"),
        [
            # x* = a + 100 is past hi = 10 until a = -90, far outside a ± max(1, |a|)
            ("(x - a - 100)^2", 1.0, "leaves the upper end when a reaches −90", None),
            # f′ = 1 > 0 for every a: the optimum never leaves lo, over all the a the page accepts
            ("x + a", 3.0, "stays at the lower end over the whole range of a", (-1e6, 1e6)),
        ],
    )
    def test_where_a_boundary_optimum_leaves_its_end(self, text, a, note, a_range):
        """The note about leaving the end is true for every a the page accepts, not only
        inside the default sweep window."""
        parsed, r = _report(text, 0, 10, "min", a)
        problem = sensitivity_problem(parsed, r)
        assert sensitivity_note(sn.sensitivity(problem).rows[0]) == note
        if a_range is not None:
            assert (problem.params[0].lo, problem.params[0].hi) == a_range


class TestTies:
    """Issue 19, item 4: every place the optimum is reached, in the report and its table."""

    def test_boundary_tie(self):
        """/custom?f=x**3-3*x&lo=-2&hi=3&goal=min: -2 at x = -2 and at x = 1."""
        r = analyse_function("x**3-3*x", -2, 3, "min")
        assert (r.optimum.fun, r.optimum.xs) == (-2.0, (-2.0, 1.0))
        assert {-2.0, 1.0} <= set(r.table.x)

    def test_symmetric_minima_of_a_removable_singularity(self):
        """sin(x)/x on [-10, 10]: its minima -0.217234 at ±4.49341 (tan x = x) tie."""
        r = analyse_function("sin(x)/x", -10, 10, "min")
        x_star = brentq(lambda t: math.tan(t) - t, 4.4, 4.5, xtol=1e-15)
        assert r.optimum.xs == (pytest.approx(-x_star, rel=1e-12), pytest.approx(x_star, rel=1e-12))
        assert r.optimum.fun == pytest.approx(math.sin(x_star) / x_star, rel=1e-12)


class TestRemovableSingularities:
    """Issue 19, item 4: f undefined at a point with a finite limit there is given that limit
    (sympy's, from both sides) instead of being refused."""

    @pytest.mark.parametrize(
        ("text", "lo", "hi", "goal", "x_star", "f_star", "hole"),
        [
            ("sin(x)/x", -10, 10, "max", 0.0, 1.0, 0.0),  # 1 at 0, the limit
            ("sin(x)/x", -10, 9, "max", 0.0, 1.0, 0.0),  # 0 off the grid
            ("x*log(x)", 0, 1, "min", math.exp(-1), -math.exp(-1), 0.0),  # -1/e at 1/e
            ("(x**2-1)/(x-1)", 0, 2, "min", 0.0, 1.0, 1.0),  # x + 1: 1 at 0
            ("exp(-1/x**2)", -1, 1, "min", 0.0, 0.0, 0.0),  # infimum 0 as x -> 0
            ("(x - pi)/sin(x)", 3, 4, "max", math.pi, -1.0, math.pi),  # -1 at pi
        ],
    )
    def test_limits_are_used(self, text, lo, hi, goal, x_star, f_star, hole):
        r = analyse_function(text, lo, hi, goal)
        assert r.problem is None
        assert [lim.x for lim in r.limits] == [pytest.approx(hole, abs=1e-15)]
        assert r.optimum.x == pytest.approx(x_star, rel=1e-10, abs=1e-12)
        assert r.optimum.fun == pytest.approx(f_star, rel=1e-12, abs=1e-300)
        assert r.gaps == ()
        assert np.isfinite(r.curve.value).all()

    def test_the_kind_at_the_limit(self):
        """sin(x)/x has a maximum at 0 (f'' -> -1/3); exp(-1/x^2) a minimum (f above 0 on both sides)."""
        (p,) = [q for q in analyse_function("sin(x)/x", -10, 10, "max").points if q.x == 0]
        assert (p.kind, p.fun, p.second_derivative) == (Kind.MAX, 1.0, pytest.approx(-1 / 3, rel=1e-15))
        (p,) = analyse_function("exp(-1/x**2)", -1, 1, "min").points  # no phantom points of underflow
        assert (p.x, p.kind, p.fun) == (0.0, Kind.MIN, 0.0)

    def test_the_limit_at_an_end_can_tie(self):
        """x·log(x) on [0, 1]: its maximum 0 is the limit at 0 and the value at 1."""
        r = analyse_function("x*log(x)", 0, 1, "max")
        assert (r.optimum.fun, r.optimum.xs) == (0.0, (0.0, 1.0))

    def test_a_pole_is_still_refused(self):
        """1/x and sin(x)/x^2 have no finite limit at 0; a pole next to a round number (x = 1/3
        typed as a float) is not mistaken for a removable point."""
        for text in ("1/x", "sin(x)/x^2", "(x - 1/3)/(x - 0.3333333333333333)"):
            r = analyse_function(text, -1, 1, "min")
            assert (r.problem, r.limits) == (Problem.UNDEFINED, ()), text

    def test_without_the_limits_it_is_a_gap(self):
        """The page passes sympy's limits in; without them (sympy ran out of time) the point is a gap."""
        r = analyse(prepare("sin(x)/x"), -10, 10, "max")
        assert (r.problem, r.gaps) == (Problem.UNDEFINED, ((0.0, 0.0),))


class TestOverflow:
    """Issue 19, item 4: an overflow to +inf cannot be a minimum (nor -inf a maximum) and must
    not hide one."""

    def test_x_to_the_100(self):
        r = analyse_function("x**100", 0, 1e6, "min")
        assert (r.problem, r.optimum.x, r.optimum.fun) == (None, 0.0, 0.0)
        ((a, b),) = r.overflow
        assert b == 1e6
        assert a**100 == pytest.approx(1.8e302, rel=0.01)
        assert r.optimum.hi == a  # the engine searched where f is finite
        # and the curve covers that span, every point finite (on [0, 1e6] only x = 0 was)
        assert (r.curve.x.min(), r.curve.x.max()) == (0.0, a)
        assert np.isfinite(r.curve.value).all()

    def test_both_ends(self):
        r = analyse_function("exp(x^2) - 2x", -30, 30, "min")
        assert len(r.overflow) == 2
        assert r.optimum.x == pytest.approx(brentq(lambda t: 2 * t * math.exp(t * t) - 2, 0, 1, xtol=1e-15), rel=1e-10)

    def test_the_maximum_is_refused(self):
        """+inf is where the maximum is: no answer, and the suggested interval is finite."""
        r = analyse_function("x**100", 0, 1e6, "max")
        assert (r.problem, r.optimum) == (Problem.OVERFLOW, None)
        assert r.suggestion[1] ** 100 < 1.8e308

    def test_an_overflow_in_the_middle_is_refused(self):
        r = analyse_function("exp(1/(x^2 + 1e-4))", -1, 1, "min")
        assert r.problem == Problem.OVERFLOW
