"""The numpy network: data, backpropagation against centered differences, training."""

import numpy as np
import pytest

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


class TestGradients:
    @pytest.mark.parametrize("activation", nn.ACTIVATIONS)
    @pytest.mark.parametrize("layers", [1, 2])
    def test_backprop_matches_centered_differences(self, activation, layers):
        d = nn.make_dataset("spirals", 64, seed=5)
        params = nn.init_params([2, *[16] * layers, 2], activation, seed=5)
        # relu's kink makes a centered difference wrong only if a unit sits within h of 0
        assert nn.gradient_check(params, d.X, d.y, activation, checks=40) < 1e-6

    def test_check_catches_a_wrong_gradient(self):
        d = nn.make_dataset("moons", 64, seed=1)
        params = nn.init_params([2, 8, 2], "tanh", seed=1)
        original = nn.loss_and_grads

        def broken(p, X, y, activation="relu"):
            value, grads = original(p, X, y, activation)
            return value, {k: -g for k, g in grads.items()}  # the sign error of the seed's story

        nn.loss_and_grads = broken
        try:
            assert nn.gradient_check(params, d.X, d.y, "tanh") > 1.0
        finally:
            nn.loss_and_grads = original

    def test_log_sum_exp_does_not_overflow(self):
        params = nn.init_params([2, 4, 2], "relu", seed=0)
        params = {k: v * 1e4 for k, v in params.items()}
        value, grads = nn.loss_and_grads(params, np.ones((3, 2)) * 100, np.array([0, 1, 0]), "relu")
        assert np.isfinite(value)
        assert all(np.isfinite(g).all() for g in grads.values())


class TestTraining:
    def test_training_reduces_the_loss_and_does_not_mutate(self):
        d = nn.make_dataset("moons", 256, seed=2)
        start = nn.init_params([2, 16, 2], "tanh", seed=2)
        snapshot = {k: v.copy() for k, v in start.items()}
        before = nn.loss(start, d.X, d.y, "tanh")
        _, after = nn.train(start, d, 0.1, 300, 32, 0.9, "tanh", seed=2)
        assert after < 0.5 * before
        assert all(np.array_equal(start[k], snapshot[k]) for k in start)

    def test_divergence_is_inf_not_nan(self):
        d = nn.make_dataset("moons", 128, seed=2)
        _, final = nn.train(nn.init_params([2, 16, 2], "relu", 0), d, 1e4, 50, 32, 0.9, "relu", 0)
        assert final == np.inf
