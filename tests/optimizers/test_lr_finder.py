"""The learning-rate range test: schedule, determinism, suggestions against fastai's rules on
real runs, the turn-up and steepest rules on known curves, the defaults against the sweep."""

import math

import numpy as np
import pytest

from explain.work import too_much
from optimizers import lr_finder as lf
from optimizers import nn
from runtime import budget
from ui.work import refusal

DATA = nn.make_dataset("spirals", 512, seed=0)
NET = {k: v for k, v in lf.DEFAULTS.items() if k != "dataset"}
RANGE = {"start_lr": lf.START_LR, "end_lr": lf.END_LR, "num_it": lf.NUM_IT}


def fastai_valley(lrs, losses):
    """fastai.callback.schedule.valley, as fastai writes it (nested loops)."""
    n = len(losses)
    max_start, max_end = 0, 0
    lds = [1] * n
    for i in range(1, n):
        for j in range(i):
            if (losses[i] < losses[j]) and (lds[i] < lds[j] + 1):
                lds[i] = lds[j] + 1
            if lds[max_end] < lds[i]:
                max_end = i
                max_start = max_end - lds[max_end]
    sections = (max_end - max_start) / 3
    return float(lrs[max_start + int(sections) + int(sections / 2)])


def fastai_suggestions(lrs, losses, num_it):
    """What fastai's lr_find returns for valley and minimum on the same recorded curve."""
    lrs, losses = np.asarray(lrs)[num_it // 10 : -5], np.asarray(losses)[num_it // 10 : -5]
    return {"valley": fastai_valley(lrs, losses), "minimum/10": float(lrs[np.argmin(losses)] / 10)}


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
        a = lf.lr_range_test(DATA, params, activation="tanh", seed=3)
        b = lf.lr_range_test(DATA, params, activation="tanh", seed=3)
        assert np.array_equal(a.raw_losses, b.raw_losses)
        assert np.array_equal(a.losses, b.losses)
        assert a.suggestions == b.suggestions
        assert all(np.array_equal(params[k], snapshot[k]) for k in params)
        c = lf.lr_range_test(DATA, params, activation="tanh", seed=4)
        assert not np.array_equal(a.raw_losses, c.raw_losses)

    def test_smoothing_is_the_debiased_ema(self):
        r = lf.lr_range_test(DATA, **NET, seed=0)
        avg = 0.0
        for i, raw in enumerate(r.raw_losses):
            avg = 0.98 * avg + 0.02 * raw
            assert r.losses[i] == pytest.approx(avg / (1 - 0.98 ** (i + 1)), rel=1e-12)

    def test_stops_on_divergence(self):
        r = lf.lr_range_test(DATA, **NET, end_lr=100.0, seed=0)
        assert r.stopped_early
        assert len(r.lrs) < 100
        assert r.losses[-1] > 4 * r.losses.min() or not np.isfinite(r.raw_losses).all()


class TestAgainstFastai:
    """The issue's replay: on the same recorded losses, the finder answers whenever fastai's
    rules would, with fastai's numbers, except when the loss is really still falling."""

    @pytest.mark.parametrize("name", nn.DATASETS)
    @pytest.mark.parametrize("optimizer", nn.OPTIMIZERS)
    def test_replay(self, name, optimizer):
        data = nn.make_dataset(name, 512, seed=1)
        answered = 0
        for seed in range(4):
            for end_lr, num_it in ((10.0, 100), (1.0, 100), (10.0, 200)):
                kw = {**NET, "optimizer": optimizer}
                r = lf.lr_range_test(data, start_lr=1e-7, end_lr=end_lr, num_it=num_it, seed=seed, **kw)
                ours = r.suggestions
                theirs = fastai_suggestions(r.lrs, r.losses, num_it)
                if ours["valley"] is None:
                    # "none" only for a curve that never rises 5% above its lowest point
                    low = int(np.argmin(r.losses[num_it // 10 : len(r.losses) - 5])) + num_it // 10
                    assert not r.stopped_early
                    assert r.losses[low:].max() < 1.05 * r.losses[low]
                    assert "still falling" in " ".join(r.warnings)
                    continue
                answered += 1
                assert ours["valley"] == theirs["valley"]
                assert ours["minimum/10"] == theirs["minimum/10"]
        assert answered >= 6

    def test_a_rise_only_in_the_trimmed_tail_counts(self):
        """The issue's moons case: the lowest point of the trimmed window is its last point and
        the loss explodes in the 5 points after it; fastai answers, and so does the finder."""
        lrs = lf.schedule(1e-5, 10, 100)
        losses = np.concatenate([np.linspace(1.0, 0.4, 95), [0.6, 1.0, 2.0, 4.0, 8.0]])
        s, warns, _ = lf.suggest(lrs, losses)
        assert s["valley"] is not None
        assert s == {**fastai_suggestions(lrs, losses, 100), "steepest": s["steepest"]}
        assert not any("still falling" in w for w in warns)

    def test_still_falling_says_so(self):
        lrs = lf.schedule(1e-6, 1e-2, 100)
        s, warns, _ = lf.suggest(lrs, np.linspace(2, 0.5, 100))
        assert set(s.values()) == {None}
        assert "still falling at the largest rate tried (1e-02)" in warns[0]
        assert "Raise the end rate" in warns[0]

    def test_still_falling_on_a_real_run(self):
        r = lf.lr_range_test(DATA, **NET, start_lr=1e-7, end_lr=1e-3, num_it=100, seed=0)
        assert r.suggestions["valley"] is None
        assert "still falling" in r.warnings[0]


class TestSteepest:
    def test_noise_at_the_flat_start_is_not_steepest(self):
        """fastai's 'most negative slope' on a real run lands in the flat start, where the
        smoothed loss wiggles by noise (the issue's 2.8e-6); the finder's steepest is in the
        descent, where the loss falls by more than the raw losses' noise."""
        r = lf.lr_range_test(DATA, activation="tanh", start_lr=1e-7, end_lr=10, num_it=100, seed=2)
        lo, hi = 10, len(r.lrs) - 5
        low = int(np.argmin(r.losses[lo:hi]))
        unguarded = r.lrs[lo + int(np.argmin(r.slopes[lo:hi][: low + 1]))]
        assert unguarded < 1e-4  # in the flat start
        assert 1e-3 < r.suggestions["steepest"] < r.suggestions["minimum/10"] * 10

    def test_only_noise_gives_no_steepest(self):
        lrs = lf.schedule(1e-7, 10, 200)
        rng = np.random.default_rng(1)
        raw = 0.7 + rng.normal(0, 0.05, 200)
        raw[-20:] += np.linspace(0.1, 3, 20)  # it does turn up at the end
        ema, avg = [], 0.0
        for i, v in enumerate(raw):
            avg = 0.98 * avg + 0.02 * v
            ema.append(avg / (1 - 0.98 ** (i + 1)))
        s, warns, _ = lf.suggest(lrs, np.array(ema), raw_losses=raw)
        assert s["steepest"] is None
        assert "No clear steepest point" in " ".join(warns)

    def test_steepest_uses_log_lr(self):
        # loss = -log10(lr) for lr < 1e-2, then up: against log lr every point before the minimum
        # descends at the same rate; against raw lr the last points would look steepest.
        lrs = lf.schedule(1e-6, 1, 100)
        x = np.log10(lrs)
        losses = np.where(x < -2, -x, 2 + 5 * (x + 2))
        s, _, slopes = lf.suggest(lrs, losses)
        np.testing.assert_allclose(slopes[20:60], -1 / math.log(10), rtol=1e-9)
        assert s["steepest"] <= 1e-2


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

    def test_nan_in_the_middle(self):
        r = lf.lr_range_test(DATA, **NET, seed=0)
        losses = r.losses.copy()
        losses[50] = np.nan
        s, _, _ = lf.suggest(r.lrs, losses, r.stopped_early)
        assert all(v is None or np.isfinite(v) for v in s.values())

    def test_too_short(self):
        s, warns, _ = lf.suggest(lf.schedule(1e-3, 1, 12), np.linspace(2, 1, 12))
        assert s == {"valley": None, "minimum/10": None, "steepest": None}
        assert "usable points" in warns[0]


class TestStability:
    def test_median_and_spread(self):
        st = lf.stable_suggestion(DATA, runs=3, **NET, **RANGE)
        values = [r.suggestions[lf.SUGGESTED] for r in st.runs]
        assert st.median[lf.SUGGESTED] == pytest.approx(sorted(values)[1], rel=1e-12)
        assert st.spread_decades[lf.SUGGESTED] == pytest.approx(math.log10(max(values) / min(values)))


class TestDefaults:
    """The defaults are where the network really learns, and the suggestion lands near the
    best fixed rate on every built-in data set (the README's table)."""

    def test_the_default_sweep_learns_with_a_clear_best_rate(self):
        sweep = lf.lr_sweep(DATA, seed=0, **NET)
        losses = sweep.final_loss.to_numpy()
        i = int(np.argmin(losses))
        assert losses[i] < math.log(DATA.classes) / 2  # below half of chance
        assert 0 < i < len(losses) - 1  # an interior rate
        for neighbour in (losses[i - 1], losses[i + 1]):  # clearly worse on both sides
            assert neighbour > 1.5 * losses[i]
            assert neighbour > losses[i] + 0.02

    @pytest.mark.parametrize("name", nn.DATASETS)
    def test_suggestion_within_half_a_decade_of_the_sweep(self, name):
        data = nn.make_dataset(name, 512, seed=0)
        st = lf.stable_suggestion(data, runs=lf.RUNS, seed=0, **NET, **RANGE)
        sweep = lf.lr_sweep(data, seed=0, **NET)
        best = sweep.lr[sweep.final_loss.idxmin()]
        assert abs(math.log10(st.median[lf.SUGGESTED] / best)) <= 0.5


class TestCost:
    def test_the_issues_heavy_link_is_refused(self):
        """/lr-finder?hidden=128&layers=2&batch_size=256&num_it=500&runs=7 took 134 s."""
        cost = lf.range_test_cost(7, 500, 128, 2, 256) + lf.sweep_cost(128, 2, 256)
        with pytest.raises(budget.BudgetExceeded) as refused:
            budget.check(cost)
        assert "Lower the runs, iterations" in too_much(refused.value.cost, refused.value.cap)

    def test_the_defaults_fit(self):
        net = (NET["hidden"], NET["layers"], NET["batch_size"])
        cost = lf.range_test_cost(lf.RUNS, lf.NUM_IT, *net, activation=NET["activation"])
        assert budget.check(cost + lf.sweep_cost(*net, activation=NET["activation"])).seconds < 1.5

    def test_refusal_names_what_to_lower(self):
        assert refusal(lf.range_test_cost(3, 200, 32, 1, 32)) is None
        message = refusal(lf.range_test_cost(3, 200, 32, 1, 32), lf.sweep_cost(128, 8, 256))
        assert "the check-it sweep" in message
        assert message.endswith("Lower the runs, iterations, width, depth or batch size.")
        assert message.count("width") == 1  # each knob named once (issue 19: the advice repeated itself)

    @pytest.mark.load
    def test_estimates_cover_the_work(self):
        """Measured here: the estimates are above the CPU time the default work uses."""
        import time

        t0 = time.process_time()
        lf.stable_suggestion(DATA, runs=lf.RUNS, **NET, **RANGE)
        used = time.process_time() - t0
        net = (NET["hidden"], NET["layers"], NET["batch_size"])
        assert lf.range_test_cost(lf.RUNS, lf.NUM_IT, *net, activation=NET["activation"]).seconds > used
        t0 = time.process_time()
        lf.lr_sweep(DATA, **NET)
        used = time.process_time() - t0
        assert lf.sweep_cost(*net, activation=NET["activation"]).seconds > used


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
        path = lf.gd_path(rate, 0.0, 30, floor=None)
        distance = np.abs(path.x.to_numpy() - 5)
        if rate < 1:
            assert distance[-1] < 1e-3
        elif rate == 1:
            np.testing.assert_allclose(distance, 5)
        else:
            assert distance[-1] > 100
        if 0.5 < rate < 1:
            assert (np.sign(path.x[1:6] - 5).diff().dropna() != 0).all()  # it jumps across 5

    @pytest.mark.parametrize("rate", [0.05, 0.5, 0.75, 1.0, 1.05, 1.2])
    def test_no_negative_ad_spend(self, rate):
        path = lf.gd_path(rate)
        assert (path.x >= 0).all()
        assert lf.gd_curve(path).x.min() == 0.0
        blocked = lf.gd_blocked(path, rate)
        if rate > 1:
            assert blocked is not None
            assert blocked < 0
            assert blocked == pytest.approx(path.x.iloc[-1] - rate * (2 * path.x.iloc[-1] - 10))
        else:
            assert blocked is None
            assert len(path) == 13
