"""The derivative lab: the Goldilocks zone, sigmoid overflow and the gradient check."""

import math

import numpy as np
import pytest

from optimizers import difflab as lab
from optimizers.difflab import Domain, Exact, Status
from optimizers.expression import parse, prepare


class TestStepErrors:
    def test_basic(self):
        """The tutorial's x**2 at 3: forward differences approach 6 as h shrinks, then fall apart."""
        t = lab.step_errors(lambda x: x**2, 6.0, 3.0, steps=[0.1, 0.01, 0.001, 0.0001])
        fwd = t[t.method == "forward"].estimate.to_numpy()
        np.testing.assert_allclose(fwd, [6.1, 6.01, 6.001, 6.0001], rtol=1e-9)

    def test_goldilocks(self):
        t = lab.step_errors(np.sin, math.cos(1.0), 1.0)
        by = {m: g.set_index("h").error for m, g in t.groupby("method")}
        # each finite difference is best near its textbook step and bad at both extremes
        for method, best_h in lab.best_steps(1.0).items():
            errors = by[method]
            h_min = errors.idxmin()
            assert best_h / 30 <= h_min <= best_h * 30
            assert errors.iloc[0] > 1e3 * errors.min()  # h = 1e-16: cancellation
            assert errors.iloc[-1] > 1e3 * errors.min()  # h = 0.1: truncation
        # the complex step has no cancellation: exact to machine precision at every tiny h
        assert by["complex step"].loc[by["complex step"].index < 1e-8].max() <= 2e-16

    def test_catastrophic_cancellation_at_1e_15(self):
        t = lab.step_errors(lambda x: x**2, 6.0, 3.0, steps=[1e-15]).set_index("method")
        assert t.loc["forward", "error"] > 0.05
        assert t.loc["complex step", "estimate"] == 6.0


class TestSigmoid:
    def test_basic(self):
        t = lab.sigmoid_table().set_index("x")
        assert t.loc[-1000.0, "overflow"]
        assert not t.loc[0.0, "overflow"]
        assert t.loc[0.0, "derivative"] == 0.25
        np.testing.assert_allclose(t.stable, t.naive, atol=1e-300)  # same values, no overflow
        xs = np.linspace(-50, 50, 101)
        np.testing.assert_allclose(lab.sigmoid_stable(xs), 1 / (1 + np.exp(-xs)), rtol=1e-15)


class TestGradientCheck:
    def test_basic(self):
        assert lab.gradient_check(6.0, 6.0) == 0.0
        assert lab.gradient_check(1.0, 1.1) == pytest.approx(0.1 / 1.1)
        assert lab.gradient_check(-1.0, 1.0) == 2.0


def typed(text):
    parsed = prepare(text)
    f, df, _ = parsed.callables()
    return f, df, parsed.watch_callables()


def examine(text, x):
    f, df, watch = typed(text)
    return lab.examine(f, df, x, watch)


class TestExamine:
    def test_basic(self):
        """The tutorial's x^2 at 3: smooth, f' = 6, the check passes with a relative error."""
        r = examine("x**2", 3.0)
        assert (r.status, r.exact, r.passes) == (Status.SMOOTH, 6.0, True)
        assert not r.probe.absolute
        assert r.probe.relative_error < 1e-9

    @pytest.mark.parametrize(
        ("text", "x", "left", "right"),
        [
            ("abs(x)", 0.0, -1.0, 1.0),
            ("(x + abs(x))/2", 0.0, 0.0, 1.0),
            ("relu(x)", 0.0, 0.0, 1.0),
            ("abs(x - 2)", 2.0, -1.0, 1.0),
        ],
    )
    def test_kinks(self, text, x, left, right):
        f, df, watch = typed(text)
        r = lab.examine(f, df, x, watch)
        assert (r.status, r.left, r.right) == (Status.KINK, left, right)
        assert math.isnan(r.exact)
        assert r.passes is None  # the gradient check does not apply

    def test_relu_convention_is_named(self):
        f, df, watch = typed("relu(x)")
        assert float(df(np.array([0.0]))[0]) == 0.0  # PyTorch's ReLU'(0)
        assert lab.examine(f, df, 0.0, watch).convention == 0.0

    def test_a_smooth_product_with_abs_is_not_a_kink(self):
        # x |x| has f' = 2|x|: continuous, so f'(0) = 0 exists
        f, df, watch = typed("x*abs(x)")
        r = lab.examine(f, df, 0.0, watch)
        assert (r.status, r.exact) == (Status.SMOOTH, 0.0)

    @pytest.mark.parametrize(
        ("text", "x", "why"),
        [("log(x)", -1.0, Domain.LOG), ("sqrt(x)", -4.0, Domain.ROOT), ("1/x", 0.0, Domain.DIVISION)],
    )
    def test_undefined(self, text, x, why):
        r = examine(text, x)
        assert (r.status, r.domain) == (Status.UNDEFINED, why)
        assert r.passes is None

    def test_vertical_tangent(self):
        """sqrt at 0: undefined on the left, unbounded on the right (issue 19, item 7: never
        158113.883, f' 1e-11 away, as "the" derivative)."""
        r = examine("sqrt(x)", 0.0)
        assert r.status == Status.VERTICAL
        assert math.isnan(r.left)
        assert r.right == math.inf
        r = examine("abs(x)^0.5", 0.0)  # a cusp
        assert (r.left, r.right) == (-math.inf, math.inf)
        r = examine("x^(1/3) + x", 1.0)
        assert r.status == Status.SMOOTH

    def test_constant_and_zero_derivative(self):
        """f = 1 has f' = 0 (no nan anywhere); where f'(x) = 0 the errors are absolute."""
        for text, x in (("1", 3.0), ("x**2", 0.0), ("x^3 - 3x", 1.0)):
            r = examine(text, x)
            assert (r.status, r.exact, r.passes) == (Status.SMOOTH, 0.0, True), text
            assert r.probe.absolute
            assert np.isfinite(r.probe.errors.error).all()
            assert np.isfinite(r.probe.at_1e15.estimate).all()
            assert r.probe.errors.error.max() < 1  # no 1e+285 from dividing by 1e-300

    def test_overflow_is_explained_as_overflow(self):
        """The naive sigmoid at -800: f' is defined; computing it as written overflows."""
        text = "1/(1 + exp(-x))"
        r = examine(text, -800.0)
        assert r.status == Status.OVERFLOW
        # e^-800 / (1 + e^-800)^2 = e^-800 = 3.66787e-348 (mpmath: 800 log10(e) = 347.44)
        assert lab.exact_derivative(prepare(text).symbolic.d1, -800.0) == Exact(3.66787, -348)
        assert lab.analyse(prepare(text), -800.0).true == Exact(3.66787, -348)
        # the stable sigmoid has no such trouble
        assert examine("sigmoid(x)", -800.0).status == Status.SMOOTH

    def test_underflow_is_named(self):
        """The stable sigmoid at -800: f' computes to 0, but is 3.66787e-348 (below the smallest
        float); x**2 at 0 is really 0 (issue 19, item 7)."""
        r = lab.analyse(prepare("sigmoid(x)"), -800.0)
        assert (r.status, r.exact, r.true) == (Status.SMOOTH, 0.0, Exact(3.66787, -348))
        assert r.true.tiny
        assert lab.analyse(prepare("x**2"), 0.0).true is None

    def test_a_wide_enclosure_gives_no_exact_value(self):
        """sin of a huge argument: mpmath encloses it in [-1, 1]; its midpoint 0 is not a value."""
        assert lab.exact_derivative(parse("sin(x^100)"), 1e6) is None
        assert lab.exact_derivative(parse("exp(x)"), 1.0) == Exact(2.71828, 0)

    def test_estimates_at_a_kink(self):
        t = lab.estimates(np.abs, 0.0, steps=[1e-6, 1e-3])
        by = {m: g.estimate.tolist() for m, g in t.groupby("method")}
        assert by["forward"] == [1.0, 1.0]
        assert by["central"] == [0.0, 0.0]
        assert "complex step" not in by  # abs() drops the imaginary part: no estimate
