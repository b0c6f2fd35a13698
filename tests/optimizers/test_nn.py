"""The numpy network: data, activations, backpropagation against centered differences, the
optimizers against hand-computed PyTorch steps, training."""

import math

import numpy as np
import pytest

from optimizers import lr_finder as lf
from optimizers import nn


class TestData:
    @pytest.mark.parametrize("name", nn.DATASETS)
    def test_basic(self, name):
        d = nn.make_dataset(name, 200, seed=4)
        assert d.X.shape == (200, 2)
        np.testing.assert_allclose(d.X.mean(axis=0), 0, atol=1e-12)
        np.testing.assert_allclose(d.X.std(axis=0), 1, atol=1e-12)
        assert d.classes == (3 if name == "blobs" else 2)
        again = nn.make_dataset(name, 200, seed=4)
        assert np.array_equal(d.X, again.X)

    def test_csv(self):
        rows = "\n".join(f"{i},{i % 7},{'a' if i % 2 else 'b'}" for i in range(30))
        d = nn.dataset_from_csv(f"f1,f2,label\n{rows}\n".encode())
        assert d.X.shape == (30, 2)
        assert d.classes == 2

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"f1,f2\n1,2\n", "needs a 'label' column"),
            (b"f1,label\n1,a\n2,b\n", "at least 10 rows"),
            (b"label\n" + b"a\n" * 12, "at least one numeric feature"),
            (b"f1,label\n" + b"1,a\n" * 11 + b"x,b\n", "Row 12: column 'f1' must be a number"),
            (b"f1,label\n" + b"1,a\n" * 12, "2 to 10 classes"),
            (b"\x00\x01", "not UTF-8|binary"),
        ],
    )
    def test_input_validation(self, content, message):
        with pytest.raises(ValueError, match=message):
            nn.dataset_from_csv(content)


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


#: The activations written out independently, one scalar at a time, with the math module.
REFERENCE = {
    "relu": lambda z: max(z, 0.0),
    "tanh": math.tanh,
    "sigmoid": _sigmoid,
    "gelu": lambda z: 0.5 * z * (1 + math.erf(z / math.sqrt(2))),
    "silu": lambda z: z * _sigmoid(z),
    "softplus": lambda z: math.log1p(math.exp(z)) if z < 30 else z + math.log1p(math.exp(-z)),
}


class TestActivations:
    Z = np.array([-40.0, -5.0, -1.3, -0.2, 0.3, 1.7, 4.0, 40.0])

    @pytest.mark.parametrize("name", nn.ACTIVATIONS)
    def test_values_match_the_formulas(self, name):
        expected = [REFERENCE[name](float(z)) for z in self.Z]
        np.testing.assert_allclose(nn.activation(self.Z, name), expected, rtol=1e-13, atol=1e-300)

    @pytest.mark.parametrize("name", nn.ACTIVATIONS)
    def test_derivative_matches_central_differences(self, name):
        z = self.Z[(self.Z != 0) & (np.abs(self.Z) < 10)]
        h = np.cbrt(np.finfo(float).eps) * np.maximum(1, np.abs(z))
        f = REFERENCE[name]
        numeric = np.array([(f(float(a + b)) - f(float(a - b))) / (2 * b) for a, b in zip(z, h, strict=True)])
        analytic = nn.activation_grad(z, nn.activation(z, name), name)
        np.testing.assert_allclose(analytic, numeric, rtol=1e-8, atol=1e-10)

    def test_relu_at_zero_uses_the_subgradient_zero(self):
        assert nn.activation_grad(np.array([0.0]), np.array([0.0]), "relu")[0] == 0.0

    def test_the_seeds_bounds(self):
        z = np.linspace(-20, 20, 4001)
        assert nn.activation_grad(z, nn.activation(z, "sigmoid"), "sigmoid").max() == pytest.approx(0.25, abs=1e-12)
        assert nn.activation_grad(z, nn.activation(z, "tanh"), "tanh").max() == pytest.approx(1.0, abs=1e-12)

    @pytest.mark.parametrize("name", nn.ACTIVATIONS)
    def test_no_overflow(self, name):
        with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
            z = np.array([-1000.0, 1000.0])
            assert np.isfinite(nn.activation(z, name)).all()
            assert np.isfinite(nn.activation_grad(z, nn.activation(z, name), name)).all()

    def test_input_validation(self):
        with pytest.raises(ValueError, match="activation must be one of"):
            nn.activation(np.zeros(2), "swish")
        with pytest.raises(ValueError, match="activation must be one of"):
            nn.init_params([2, 4, 2], "elu")


class TestGradients:
    @pytest.mark.parametrize("activation", nn.ACTIVATIONS)
    @pytest.mark.parametrize("layers", range(1, nn.MAX_DEPTH + 1))
    def test_backprop_passes_the_check_at_every_depth(self, activation, layers):
        d = nn.make_dataset("spirals", 64, seed=5)
        params = nn.init_params([2, *[16] * layers, 2], activation, seed=5)
        assert nn.gradient_check(params, d.X, d.y, activation, seed=layers) < 1e-6

    def test_check_catches_a_wrong_gradient(self):
        d = nn.make_dataset("moons", 64, seed=1)
        params = nn.init_params([2, 8, 2], "tanh", seed=1)
        original = nn._loss_grads

        def broken(Ws, bs, X, y, activation):
            value, dW, db = original(Ws, bs, X, y, activation)
            return value, [-g for g in dW], [-g for g in db]  # the sign error of the seed's story

        nn._loss_grads = broken
        try:
            assert nn.gradient_check(params, d.X, d.y, "tanh") > 1.0
        finally:
            nn._loss_grads = original

    def test_check_catches_a_wrong_first_layer(self):
        d = nn.make_dataset("moons", 64, seed=1)
        params = nn.init_params([2, 8, 8, 2], "tanh", seed=1)
        original = nn._loss_grads

        def broken(Ws, bs, X, y, activation):
            value, dW, db = original(Ws, bs, X, y, activation)
            return value, [dW[0] * 1.01, *dW[1:]], db  # a 1% mistake in one layer's chain rule

        nn._loss_grads = broken
        try:
            assert nn.gradient_check(params, d.X, d.y, "tanh") > 1e-4
        finally:
            nn._loss_grads = original

    def test_log_sum_exp_does_not_overflow(self):
        params = nn.init_params([2, 4, 2], "relu", seed=0)
        params = {k: v * 1e4 for k, v in params.items()}
        value, grads = nn.loss_and_grads(params, np.ones((3, 2)) * 100, np.array([0, 1, 0]), "relu")
        assert np.isfinite(value)
        assert all(np.isfinite(g).all() for g in grads.values())

    def test_float32_runs_in_float32(self):
        d = nn.make_dataset("moons", 32, seed=0)
        params = nn.init_params([2, 4, 2], "gelu", seed=0, dtype=np.float32)
        _, grads = nn.loss_and_grads(params, d.X, d.y, "gelu")
        assert all(g.dtype == np.float32 for g in grads.values())


class TestOptimizers:
    """Three steps by hand, with a different rate each step (as in a range test)."""

    G = (0.5, -0.2, 0.1)
    LR = (0.1, 0.2, 0.4)

    def _run(self, step, state=None, **kw):
        p = {"w": np.array([1.0])}
        out = []
        for g, lr in zip(self.G, self.LR, strict=True):
            p, state = step(p, {"w": np.array([g])}, state, lr, **kw)
            out.append(float(p["w"][0]))
        return out, state

    def test_sgd_momentum_is_torch_sgd(self):
        # torch.optim.SGD: buf = g on the first step, then buf = 0.9 buf + g; p -= lr * buf
        buf1 = 0.5
        p1 = 1.0 - 0.1 * buf1  # 0.95
        buf2 = 0.9 * buf1 - 0.2  # 0.25
        p2 = p1 - 0.2 * buf2  # 0.90
        buf3 = 0.9 * buf2 + 0.1  # 0.325
        p3 = p2 - 0.4 * buf3  # 0.77
        got, buf = self._run(nn.sgd_step, momentum=0.9)
        assert got == pytest.approx([p1, p2, p3], rel=1e-15)
        assert got[-1] == pytest.approx(0.77, rel=1e-14)
        assert float(buf["w"][0]) == pytest.approx(buf3, rel=1e-15)
        # The old accumulation v = 0.9 v - lr g, p += v gives another path when the rate changes.
        v1 = -0.1 * 0.5
        v2 = 0.9 * v1 - 0.2 * -0.2
        assert got[1] != pytest.approx(1.0 + v1 + v2, rel=1e-6)  # 0.945

    def test_plain_sgd(self):
        got, buf = self._run(nn.sgd_step, momentum=0.0)
        assert got == pytest.approx([0.95, 0.99, 0.95], rel=1e-15)
        assert buf is None

    def test_adam_is_torch_adam(self):
        b1, b2, eps = 0.9, 0.999, 1e-8
        p, m, v, expected = 1.0, 0.0, 0.0, []
        for t, (g, lr) in enumerate(zip(self.G, self.LR, strict=True), start=1):
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
            p = p - lr * m_hat / (math.sqrt(v_hat) + eps)
            expected.append(p)
        got, state = self._run(nn.adam_step)
        assert got == pytest.approx(expected, rel=1e-14)
        assert state.step == 3
        assert got[0] == pytest.approx(0.9, abs=1e-7)  # Adam's first step moves by lr

    def test_inputs_are_not_modified(self):
        p, g = {"w": np.array([1.0, 2.0])}, {"w": np.array([0.5, 0.5])}
        _, buf = nn.sgd_step(p, g, None, 0.1, 0.9)
        nn.sgd_step(p, g, buf, 0.1, 0.9)
        nn.adam_step(p, g, None, 0.1)
        assert p["w"].tolist() == [1.0, 2.0]
        assert buf["w"].tolist() == [0.5, 0.5]

    @pytest.mark.parametrize("optimizer", nn.OPTIMIZERS)
    def test_the_training_loops_use_exactly_these_steps(self, optimizer):
        """The range test (rate changing every step) equals a loop over the public steps."""
        d = nn.make_dataset("moons", 128, seed=3)
        params = nn.init_params([2, 8, 8, 2], "tanh", seed=3)
        r = lf.lr_range_test(d, params, activation="tanh", optimizer=optimizer, num_it=30, start_lr=1e-3, seed=3)
        lrs = lf.schedule(1e-3, 10.0, 30)
        batches = nn._batches(128, 32, np.random.default_rng(4))
        p, state, raw = params, None, []
        for lr in lrs[: len(r.raw_losses)]:
            idx = next(batches)
            value, grads = nn.loss_and_grads(p, d.X[idx], d.y[idx], "tanh")
            raw.append(value)
            if optimizer == "adam":
                p, state = nn.adam_step(p, grads, state, float(lr))
            else:
                p, state = nn.sgd_step(p, grads, state, float(lr), 0.9)
        assert np.array_equal(r.raw_losses, np.array(raw))


class TestTraining:
    def test_training_reduces_the_loss_and_does_not_mutate(self):
        d = nn.make_dataset("moons", 256, seed=2)
        start = nn.init_params([2, 16, 2], "tanh", seed=2)
        snapshot = {k: v.copy() for k, v in start.items()}
        before = nn.loss(start, d.X, d.y, "tanh")
        res = nn.train(start, d, 0.1, 300, 32, 0.9, "tanh", seed=2)
        assert res.final_loss < 0.5 * before
        assert all(np.array_equal(start[k], snapshot[k]) for k in start)

    def test_adam_learns(self):
        d = nn.make_dataset("moons", 256, seed=2)
        res = nn.train(nn.init_params([2, 16, 2], "gelu", seed=2), d, 0.01, 300, activation="gelu", optimizer="adam")
        assert res.final_loss < 0.2
        assert nn.accuracy(res.params, d.X, d.y, "gelu") > 0.9

    def test_record(self):
        d = nn.make_dataset("blobs", 128, seed=2)
        res = nn.train(nn.init_params([2, 8, 3], "silu", seed=2), d, 0.05, 40, activation="silu", record=True)
        assert len(res.losses) == len(res.accuracies) == 41
        assert res.losses[0] == pytest.approx(nn.loss(nn.init_params([2, 8, 3], "silu", seed=2), d.X, d.y, "silu"))
        assert res.losses[-1] == res.final_loss

    def test_divergence_is_inf_not_nan(self):
        d = nn.make_dataset("moons", 128, seed=2)
        res = nn.train(nn.init_params([2, 16, 2], "relu", 0), d, 1e4, 50, 32, 0.9, "relu", 0)
        assert res.final_loss == np.inf
        assert res.diverged

    def test_input_validation(self):
        d = nn.make_dataset("moons", 64, seed=2)
        p = nn.init_params([2, 4, 2], "relu", 0)
        with pytest.raises(ValueError, match="optimizer must be one of"):
            nn.train(p, d, 0.1, 5, optimizer="rmsprop")
        with pytest.raises(ValueError, match="lr must be a finite number"):
            nn.train(p, d, float("nan"), 5)


class TestCost:
    def test_grows_with_every_setting(self):
        base = nn.step_seconds(32, 1, 32)
        assert nn.step_seconds(64, 1, 32) > base
        assert nn.step_seconds(32, 2, 32) > base
        assert nn.step_seconds(32, 1, 64) > base
        assert nn.forward_seconds(32, 1, 512) > nn.forward_seconds(32, 1, 64)
