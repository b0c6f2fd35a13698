"""The words of the Neural network page: the sentences the model tests used to check (now
written by explain), and each sentence against the numbers it describes, across activations,
depths and rates."""

import functools
import math
import re

import pandas as pd
import pytest

from explain import network as ex
from explain.format import sci
from optimizers import lr_finder as lf
from optimizers import network, nn

DATA = nn.make_dataset(lf.DEFAULTS["dataset"], 512, seed=0)


@functools.cache
def analysed(**kw) -> network.NetworkResult:
    return network.analyse(DATA, **kw)


class TestVanishing:
    def test_sentence(self):
        text = ex.vanishing_sentence({"sigmoid": 3.5e-6, "relu": 0.23}, 8)
        assert "**sigmoid** 3.5e-06" in text
        assert "0.25^8 = 1.5e-05" in text

    @pytest.mark.parametrize("layers", range(1, nn.MAX_DEPTH + 1))
    def test_every_depth(self, layers):
        norms = network.gradient_norms(DATA, hidden=16, layers=layers)
        ratios = {a: network.vanishing_ratio(norms, a) for a in nn.ACTIVATIONS}
        text = ex.vanishing_sentence(ratios, layers)
        for a, r in ratios.items():
            shown = float(re.search(rf"\*\*{a}\*\* (\S+?)[,.](?:\s|$)", text + " ").group(1))
            assert shown == pytest.approx(r, rel=0.05)
        bound = float(re.search(rf"0\.25\^{layers} = (\S+) ", text).group(1))
        assert bound == pytest.approx(0.25**layers, rel=0.05)
        assert (f"{layers} activation derivatives;" in text) == (layers > 1)
        assert "0.25¹⁰ ≈ 9.5e-7" in ex.vanishing_intro(analysed(lr=0.1, steps=50, layers=2))


class TestCheck:
    def test_sentences(self):
        curve = network.gradient_check_curve(DATA, hidden=16, layers=1, activation="gelu")
        text = ex.check_sentences(curve)
        assert re.search(r"float64 passes \(error below 1e-06\) (for h from|at h = \S+ only)", text)
        assert "At **h = 1e-07** float32's error is" in text
        assert "**fails**, although backprop is right" in text
        both_fail = pd.DataFrame(
            {"dtype": ["float64", "float32"], "h": [1e-7, 1e-7], "rel_error": [1.0, 1.0], "passes": [False, False]}
        )
        assert "float64's is 1 (fails)" in ex.check_sentences(both_fail)

    @pytest.mark.parametrize("activation", nn.ACTIVATIONS)
    @pytest.mark.parametrize("layers", [1, 4])
    def test_the_ranges_named_are_where_it_passes(self, activation, layers):
        curve = network.gradient_check_curve(DATA, hidden=16, layers=layers, activation=activation)
        text = ex.check_sentences(curve)
        for dtype in ("float64", "float32"):
            span = network.check_summary(curve, dtype)
            found = re.search(
                rf"{dtype} [^;]*?(passes nowhere|for h from (\S+) to (\d[\d.e+-]*\d)|at h = (\S+) only)", text
            )
            if span is None:
                assert found.group(1) == "passes nowhere"
            else:
                lo, hi = (
                    (float(found.group(2)), float(found.group(3))) if found.group(2) else (float(found.group(4)),) * 2
                )
                assert (lo, hi) == pytest.approx(span, rel=0.5)  # one significant digit
        at = network.check_at(curve)
        word = "passes" if at["float32"][1] else "fails"
        assert f"it **{word}**" in text


class TestTraining:
    def test_the_finders_rate(self):
        res = analysed(steps=50)
        assert ex.rate_caption(res) == (
            "Rate 2.33e−01: the finder's suggestion for these settings (minimum/10, median of 3 range tests)."
        )
        m = {label: (value, help) for label, value, help in ex.metrics(res)}
        assert m["Learning rate"] == ("2.33e-01", "Chance level: loss ln 2 = 0.693.")
        assert float(m["Final loss"][0]) == pytest.approx(res.run.final_loss, abs=5e-4)
        assert float(m["Training accuracy"][0].rstrip("%")) == pytest.approx(100 * res.run.accuracy, abs=0.05)
        assert ex.diverged(res) is None

    def test_sigmoid(self):
        res = analysed(activation="sigmoid")
        assert ex.rate_caption(res) == (
            "Rate 1.00e+00: the finder's check for these settings: the range test cannot tell here (its minimum/10, "
            "1.45e−02, trains to 50.8% in 200 steps), so the best of 15 fixed rates tried for 200 steps (84.4%)."
        )

    def test_deep_sigmoid_learns_nothing_and_says_so(self):
        res = analysed(activation="sigmoid", layers=8, steps=50)
        assert ex.rate_caption(res) == (
            "Rate 1.00e−03: the finder's check for these settings, though none of 15 fixed rates learns in 200 "
            "steps: the best reaches 54.5%, and always answering the most common class gives 54.5%."
        )

    def test_a_chosen_rate_and_divergence(self):
        res = analysed(lr=1e4, steps=50)
        assert ex.rate_caption(res) == "Rate 1.00e+04: your choice."
        m = {label: value for label, value, _ in ex.metrics(res)}
        assert m["Final loss"] == "diverged"
        assert ex.diverged(res) == (
            "Training diverged at rate 1.00e+04: the loss became infinite. Choose a smaller rate."
        )

    @pytest.mark.parametrize("activation", nn.ACTIVATIONS)
    def test_where_the_rate_comes_from_is_true(self, activation):
        res = analysed(activation=activation, steps=50)
        caption = ex.rate_caption(res)
        f = res.finder
        assert ("cannot tell" in caption) == (f.verdict is lf.Verdict.CHECK_BEST and f.candidate is not None)
        assert ("none of 15 fixed rates learns" in caption) == (f.best.accuracy < f.majority + 0.02)
        assert f"Rate {sci(res.lr)}:" in caption
        if f.verdict is lf.Verdict.CHECK_BEST:
            assert res.lr == f.best.lr
            assert caption.endswith(f"({f.best.accuracy:.1%}).")
        chance = next(h for label, _, h in ex.metrics(res) if label == "Learning rate")
        assert chance.endswith(f"{math.log(res.classes):.3f}.")


def test_the_finder_link():
    assert ex.finder_url("moons", "tanh", 8, 2, "adam", 7) == (
        "lr-finder?dataset=moons&activation=tanh&hidden=8&layers=2&optimizer=adam&seed=7"
    )


def test_one_layer_has_one_derivative_between():
    """'Between them lies 1 activation derivative' (was 'lie 1 ... derivative')."""
    text = ex.vanishing_sentence({"sigmoid": 0.2, "relu": 0.9}, 1)
    assert "Between them lies 1 activation derivative;" in text
    assert "Between them lie 8 activation derivatives;" in ex.vanishing_sentence({"relu": 0.5}, 8)


def test_a_single_passing_step_is_named_once():
    """A span of one step reads 'at h = 1e-07 only', not 'from 1e-07 to 1e-07'."""
    t = pd.DataFrame(
        {"dtype": ["float64", "float32"], "h": [1e-7, 1e-7], "rel_error": [4e-9, 0.6], "passes": [True, False]}
    )
    text = ex.check_sentences(t)
    assert "float64 passes (error below 1e-06) at h = 1e-07 only;" in text
    assert "from 1e-07 to 1e-07" not in text
    assert text.endswith("float64 passes at the same h (its error is 4e-09).")
