"""The derivative lab: the Goldilocks zone, sigmoid overflow and the gradient check."""

import math

import numpy as np
import pytest

from optimizers import difflab as lab


class TestStepErrors:
    def test_basic(self):
        """The seed's x**2 at 3: forward differences approach 6 as h shrinks, then fall apart."""
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
