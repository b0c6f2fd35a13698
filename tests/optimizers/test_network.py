"""The Neural network page's computations: training, vanishing gradients, the gradient check,
all of it in one analyse. (The sentences: tests/explain/test_network.py.)"""

import math

import numpy as np
import pandas as pd
import pytest

from explain.work import too_much
from optimizers import lr_finder as lf
from optimizers import network, nn
from runtime import budget

DATA = nn.make_dataset(lf.DEFAULTS["dataset"], 512, seed=0)


class TestTrainNetwork:
    def test_basic(self):
        run = network.train_network(DATA, lr=0.3, steps=network.STEPS, grid=20)
        assert list(run.history.columns) == ["step", "loss", "accuracy"]
        assert len(run.history) == network.STEPS + 1
        start = nn.init_params([2, 32, 2], "relu", 0)
        assert run.history.loss.iloc[0] == pytest.approx(nn.loss(start, DATA.X, DATA.y, "relu"), rel=1e-12)
        assert run.final_loss < math.log(2) / 2
        assert run.accuracy > 0.9
        assert run.history.loss.iloc[-1] == run.final_loss
        assert len(run.regions) == 400
        assert set(run.regions.predicted) <= {0, 1}
        assert run.regions.probability.between(0.5, 1).all()

    def test_regions_agree_with_the_network(self):
        run = network.train_network(DATA, lr=0.3, steps=100, grid=15)
        # the data points' predicted classes match the regions they fall in, mostly
        acc_on_data = run.accuracy
        assert acc_on_data > 0.7
        assert run.regions.x1.min() < DATA.X[:, 0].min()
        assert run.regions.x1.max() > DATA.X[:, 0].max()

    def test_divergence(self):
        run = network.train_network(DATA, lr=1e4, steps=200)
        assert run.diverged
        assert run.regions.empty
        assert run.history.loss.isna().iloc[-1]

    def test_input_validation(self):
        with pytest.raises(ValueError, match="layers must be 1 to 8"):
            network.train_network(DATA, lr=0.1, layers=9)
        five = nn.Dataset(np.zeros((20, 5)), np.arange(20) % 2, "x")
        with pytest.raises(ValueError, match="need 2 features"):
            network.train_network(five, lr=0.1)


class TestVanishingGradients:
    @pytest.mark.parametrize("name", nn.DATASETS)
    @pytest.mark.parametrize("seed", [0, 1])
    def test_sigmoid_vanishes_and_relu_does_not(self, name, seed):
        data = nn.make_dataset(name, 512, seed=seed)
        deep = network.gradient_norms(data, hidden=32, layers=8, seed=seed)
        ratio = {a: network.vanishing_ratio(deep, a) for a in nn.ACTIVATIONS}
        assert ratio["sigmoid"] < 1e-3
        for other in ("relu", "tanh", "gelu", "silu"):
            assert ratio[other] > 100 * ratio["sigmoid"]
        shallow = network.gradient_norms(data, hidden=32, layers=1, seed=seed)
        assert network.vanishing_ratio(shallow, "sigmoid") > 100 * ratio["sigmoid"]

    def test_table(self):
        t = network.gradient_norms(DATA, hidden=8, layers=3)
        assert list(t.columns) == ["activation", "layer", "grad_norm"]
        assert t.groupby("activation").layer.apply(list).to_dict() == {a: [1, 2, 3, 4] for a in nn.ACTIVATIONS}
        params = nn.init_params([2, 8, 8, 8, 2], "tanh", 0)
        _, grads = nn.loss_and_grads(params, DATA.X, DATA.y, "tanh")
        first = t[(t.activation == "tanh") & (t.layer == 1)].grad_norm.iloc[0]
        assert first == pytest.approx(np.linalg.norm(grads["W0"]), rel=1e-12)  # layer 1 = nearest the input


class TestGradientCheckCurve:
    def test_float64_passes_float32_fails_at_1e_7(self):
        curve = network.gradient_check_curve(DATA, hidden=32, layers=2, activation="tanh")
        assert set(curve.dtype) == {"float64", "float32"}
        at = curve[curve.h == 1e-7].set_index("dtype")
        assert at.passes["float64"]
        assert not at.passes["float32"]
        assert at.rel_error["float32"] > 0.1
        f32 = network.check_summary(curve, "float32")
        assert f32 is not None
        assert 1e-5 <= f32[0] <= 1e-3  # float32 needs a large step: the seed's 1e-3 .. 1e-4
        f64 = network.check_summary(curve, "float64")
        assert f64[0] <= 1e-8
        assert f64[1] >= 1e-4
        tiny = curve[(curve.dtype == "float32") & (curve.h <= 1e-9)]
        assert (tiny.rel_error == 1.0).all()  # w + h rounds to w: the difference is exactly 0

    @pytest.mark.parametrize("activation", nn.ACTIVATIONS)
    def test_every_activation_passes_somewhere_in_both(self, activation):
        curve = network.gradient_check_curve(DATA, hidden=16, layers=3, activation=activation)
        assert network.check_summary(curve, "float64") is not None
        assert network.check_summary(curve, "float32") is not None

    def test_check_at(self):
        curve = network.gradient_check_curve(DATA, hidden=16, layers=1, activation="gelu")
        at = network.check_at(curve)
        row = curve[(curve.h == network.MARK_H) & (curve.dtype == "float32")].iloc[0]
        assert at["float32"] == (row.rel_error, row.passes)
        assert network.check_at(curve, 0.123) is None


class TestAnalyse:
    def test_the_finders_rate(self):
        r = network.analyse(DATA, steps=100)
        assert r.source is network.RateSource.FINDER
        assert r.lr == r.finder.suggested
        alone = network.train_network(DATA, lr=r.lr, steps=100)
        pd.testing.assert_frame_equal(r.run.history, alone.history)
        assert r.ratios == {a: network.vanishing_ratio(r.norms, a) for a in nn.ACTIVATIONS}
        assert r.spans == {d: network.check_summary(r.check, d) for d in ("float64", "float32")}
        assert r.at_mark == network.check_at(r.check)
        assert (r.layers, r.classes) == (1, 2)

    def test_a_chosen_rate(self):
        r = network.analyse(DATA, lr=0.1, steps=50, layers=2, activation="tanh")
        assert r.source is network.RateSource.CHOSEN
        assert r.finder is None
        assert r.lr == 0.1
        assert sorted(set(r.norms.layer)) == [1, 2, 3]

    @pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
    def test_the_issues_deep_sigmoid_links_train_at_a_rate_that_learns(self, activation):
        """/network?activation=sigmoid trained at the range test's 1.45e-02 to 50.8% (chance);
        the page now trains at the check's best rate."""
        r = network.analyse(DATA, activation=activation)
        assert r.run.accuracy >= r.finder.best.accuracy - 0.03
        assert r.run.accuracy > 0.8


class TestCost:
    def test_defaults_fit_and_the_maximum_runs_in_the_background(self):
        default = network.analyse_cost(network.STEPS, 32, 1, suggest=True, activation="relu")
        assert budget.mode(default) is budget.Mode.FOREGROUND
        top = network.analyse_cost(600, 64, 8, suggest=True)  # every slider at its maximum, gelu
        assert budget.mode(top) is budget.Mode.BACKGROUND  # issue 19: no page position is refused
        assert "Lower the steps, width or depth" in too_much(top, budget.CAP_SECONDS)

    @pytest.mark.load
    def test_estimates_cover_the_work(self):
        """The estimate is above the CPU time actually used (cheap settings, measured here)."""
        import time

        data = nn.make_dataset("moons", 512, seed=0)
        t0 = time.process_time()
        network.analyse(data, lr=0.1, steps=100, hidden=16, layers=2)
        used = time.process_time() - t0
        assert network.analyse_cost(100, 16, 2, suggest=False).seconds > used
