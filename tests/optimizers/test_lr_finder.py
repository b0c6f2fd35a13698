"""The learning-rate range test: schedule, determinism, suggestions on known curves, the sweep."""

import math

import numpy as np
import pytest

from optimizers import lr_finder as lf
from optimizers import nn

DATA = nn.make_dataset("spirals", 512, seed=0)
DEFAULTS = {"activation": "tanh", "hidden": 32, "batch_size": 32, "momentum": 0.9}


class TestSchedule:
    def test_basic(self):
        s = lf.schedule(1e-7, 10, 100)
        assert s[0] == 1e-7
        assert s[-1] == 10.0
        np.testing.assert_allclose(np.diff(np.log(s)), math.log(1e8) / 99, rtol=1e-12)

    def test_input_validation(self):
        with pytest.raises(ValueError, match="need 0 < start_lr < end_lr"):
            lf.schedule(1, 0.1)
        with pytest.raises(ValueError, match="num_it must be at least 2"):
            lf.schedule(1e-3, 1, 1)


class TestRangeTest:
    def test_same_seed_is_bit_identical_and_inputs_are_not_mutated(self):
        params = nn.init_params([2, 32, 2], "tanh", seed=9)
        snapshot = {k: v.copy() for k, v in params.items()}
        a = lf.lr_range_test(DATA, params, **DEFAULTS, seed=3)
        b = lf.lr_range_test(DATA, params, **DEFAULTS, seed=3)
        assert np.array_equal(a.raw_losses, b.raw_losses)
        assert np.array_equal(a.losses, b.losses)
        assert a.suggestions == b.suggestions
        assert all(np.array_equal(params[k], snapshot[k]) for k in params)
        c = lf.lr_range_test(DATA, params, **DEFAULTS, seed=4)
        assert not np.array_equal(a.raw_losses, c.raw_losses)

    def test_smoothing_is_the_debiased_ema(self):
        r = lf.lr_range_test(DATA, **DEFAULTS, seed=0)
        avg = 0.0
        for i, raw in enumerate(r.raw_losses):
            avg = 0.98 * avg + 0.02 * raw
            assert r.losses[i] == pytest.approx(avg / (1 - 0.98 ** (i + 1)), rel=1e-12)

    def test_stops_on_divergence(self):
        r = lf.lr_range_test(DATA, **DEFAULTS, end_lr=100.0, seed=0)
        assert r.stopped_early
        assert len(r.lrs) < 100
        assert r.losses[-1] > 4 * r.losses.min() or not np.isfinite(r.raw_losses).all()

    def test_speed(self):
        """3 runs x 100 steps with the defaults in well under a second."""
        import time

        t0 = time.perf_counter()
        lf.stable_suggestion(DATA, runs=3, **DEFAULTS)
        assert time.perf_counter() - t0 < 1.0


class TestSuggest:
    def test_noisy_parabola(self):
        lrs = lf.schedule(1e-5, 10, 120)
        x = np.log10(lrs)
        rng = np.random.default_rng(0)
        losses = 1 + (x + 1) ** 2 / 10 + rng.normal(0, 0.002, x.size)
        s, warns, _ = lf.suggest(lrs, losses)
        assert warns == ()
        assert abs(math.log10(s["minimum/10"]) - (-2)) < 0.3  # lowest near 1e-1, so 1e-2
        assert s["steepest"] < 10**-1.0  # descending side only
        assert s["valley"] < 10**-0.9

    def test_steepest_uses_log_lr(self):
        # loss = -log10(lr) for lr < 1e-2, then up: against log lr every point before the minimum
        # descends at the same rate; against raw lr the last points would look steepest.
        lrs = lf.schedule(1e-6, 1, 100)
        x = np.log10(lrs)
        losses = np.where(x < -2, -x, 2 + 5 * (x + 2))
        s, _, slopes = lf.suggest(lrs, losses)
        np.testing.assert_allclose(slopes[20:60], -1 / math.log(10), rtol=1e-9)
        assert s["steepest"] <= 1e-2

    def test_nan_in_the_middle(self):
        r = lf.lr_range_test(DATA, **DEFAULTS, seed=0)
        losses = r.losses.copy()
        losses[50] = np.nan
        s, _, _ = lf.suggest(r.lrs, losses, r.stopped_early)
        assert all(v is None or np.isfinite(v) for v in s.values())

    def test_too_short(self):
        s, warns, _ = lf.suggest(lf.schedule(1e-3, 1, 12), np.linspace(2, 1, 12))
        assert s == {"valley": None, "minimum/10": None, "steepest": None}
        assert "usable points" in warns[0]

    def test_never_turns_up(self):
        lrs = lf.schedule(1e-6, 1, 100)
        s, warns, _ = lf.suggest(lrs, np.linspace(2, 0.5, 100))
        assert set(s.values()) == {None}
        assert "never turns up" in warns[0]


class TestStability:
    def test_median_and_spread(self):
        st = lf.stable_suggestion(DATA, runs=3, **DEFAULTS)
        values = [r.suggestions["valley"] for r in st.runs]
        assert st.median["valley"] == pytest.approx(sorted(values)[1], rel=1e-12)
        assert st.spread_decades["valley"] == pytest.approx(math.log10(max(values) / min(values)))


class TestSweep:
    def test_suggestion_lands_near_the_best_fixed_rate(self):
        """On the default data set the suggestion is within half a decade of the sweep's best."""
        st = lf.stable_suggestion(DATA, runs=3, seed=0, **DEFAULTS)
        sweep = lf.lr_sweep(DATA, 10 ** np.arange(-4, 1.01, 0.25), seed=0, **DEFAULTS)
        best = sweep.lr[sweep.final_loss.idxmin()]
        assert abs(math.log10(st.median["valley"] / best)) <= 0.5


class TestGradientDescentLesson:
    @pytest.mark.parametrize(
        ("rate", "regime"),
        [
            (0.25, "converges smoothly"),
            (0.5, "one step"),
            (0.75, "oscillates but converges"),
            (1.0, "oscillates forever"),
            (1.1, "diverges"),
        ],
    )
    def test_regimes(self, rate, regime):
        assert regime in lf.gd_regime(rate)[0]
        path = lf.gd_path(rate, 0.0, 30)
        distance = np.abs(path.x.to_numpy() - 5)
        if rate < 1:
            assert distance[-1] < 1e-3
        elif rate == 1:
            np.testing.assert_allclose(distance, 5)
        else:
            assert distance[-1] > 100
        if 0.5 < rate < 1:
            assert (np.sign(path.x[1:6] - 5).diff().dropna() != 0).all()  # it jumps across 5
