"""The Neural network page's computations: training, vanishing gradients, the gradient check."""

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

    def test_sentence(self):
        text = network.vanishing_sentence({"sigmoid": 3.5e-6, "relu": 0.23}, 8)
        assert "**sigmoid** 3.5e-06" in text
        assert "0.25^8 = 1.5e-05" in text


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

    def test_sentences(self):
        curve = network.gradient_check_curve(DATA, hidden=16, layers=1, activation="gelu")
        text = network.check_sentences(curve)
        assert "float64 passes (error below 1e-06) for h from" in text
        assert "At **h = 1e-07** float32's error is" in text
        assert "**fails**, although backprop is right" in text
        both_fail = pd.DataFrame(
            {"dtype": ["float64", "float32"], "h": [1e-7, 1e-7], "rel_error": [1.0, 1.0], "passes": [False, False]}
        )
        assert "float64's is 1 (fails)" in network.check_sentences(both_fail)


class TestCost:
    def test_defaults_fit_and_the_maximum_is_named(self):
        default = network.page_cost(network.STEPS, 32, 1, suggest=True, activation="relu")
        assert budget.check(default).seconds < 1.5  # 0.9 s
        with pytest.raises(budget.BudgetExceeded) as refused:
            budget.check(network.page_cost(600, 64, 8, suggest=True))
        assert "Lower the steps, width or depth" in too_much(refused.value.cost, refused.value.cap)

    @pytest.mark.load
    def test_estimates_cover_the_work(self):
        """The estimate is above the CPU time actually used (a cheap setting, measured here)."""
        import time

        data = nn.make_dataset("moons", 512, seed=0)
        t0 = time.process_time()
        network.train_network(data, lr=0.1, steps=100, hidden=16, layers=2)
        used = time.process_time() - t0
        assert network.train_cost(100, 16, 2).seconds > used
