"""The words of the Learning-rate finder page: the sentences the model tests used to check
(now written by explain), and every sentence checked against the numbers it describes, for
every activation and data set and every position of the 1-D lesson's slider."""

import functools
import math
import re

import numpy as np
import pytest

from explain import lr_finder as ex
from explain.format import MINUS, sci
from optimizers import lr_finder as lf
from optimizers import nn

DATA = nn.make_dataset("spirals", 512, seed=0)


@functools.cache
def analysed(activation: str = "relu", name: str = "spirals", **kw) -> lf.FinderResult:
    return lf.analyse(nn.make_dataset(name, 512, seed=0), activation=activation, **dict(kw))


def grid():
    return [(a, d) for a in nn.ACTIVATIONS for d in nn.DATASETS]


class TestNotes:
    def test_still_falling(self):
        res = analysed(end_lr=1e-2, momentum=0.0)
        text = " ".join(ex.notes(res))
        assert "still falling at the largest rate tried (1e−02)" in text
        assert "Raise the end rate" in text

    def test_too_short(self):
        res = analysed(start_lr=1e-3, end_lr=1.0, num_it=12)
        assert ex.notes(res) == ["Only 6 usable points after trimming: run more iterations."]

    def test_the_defaults(self):
        notes = ex.notes(analysed())
        assert notes[0] == (
            "The runs (random starts) disagree by 1.12 decades on the range test's rate (2.5e−02 to 3.3e−01); the median is "
            "shown. Treat it as a range, or use more runs or a bigger batch."
        )
        assert notes[1].startswith("No clear steepest point: nowhere does the loss fall")

    @pytest.mark.parametrize(("activation", "name"), grid())
    def test_one_sentence_per_note_and_only_then(self, activation, name):
        res = analysed(activation, name)
        notes = ex.notes(res)
        assert len(notes) == len(res.tests.notes)
        assert any("disagree" in n for n in notes) == (lf.Note.SEEDS_DISAGREE in res.tests.notes)
        if lf.Note.SEEDS_DISAGREE in res.tests.notes:
            spread = float(re.search(r"disagree by ([\d.]+) decades", " ".join(notes)).group(1))
            assert spread == pytest.approx(res.tests.spread_decades[lf.SUGGESTED], abs=0.005)
            assert spread > lf.SPREAD_WARNING_DECADES


class TestMetrics:
    def test_the_defaults(self):
        m = {label: (value, help) for label, value, help in ex.metrics(analysed())}
        assert m["Suggested learning rate"][0] == "2.33e-01"
        assert "confirmed by the check below" in m["Suggested learning rate"][1]
        assert m["Spread across seeds"][0] == "1.12 decades"
        assert "random start" in m["Spread across seeds"][1]
        assert m["steepest"][0] == "none"

    @pytest.mark.parametrize(("activation", "name"), grid())
    def test_values_are_the_numbers_and_every_one_is_on_the_chart(self, activation, name):
        res = analysed(activation, name)
        m = {label: (value, help) for label, value, help in ex.metrics(res)}
        assert float(m["Suggested learning rate"][0]) == pytest.approx(res.suggested, rel=5e-3)
        for rule in ("valley", "steepest"):
            v = res.tests.median[rule]
            assert m[rule][0] == ("none" if v is None else f"{v:.2e}")
        legend = {f"{k}: {v:.2e}" for k, v in ex.markers(res).items() if v is not None}
        for label in ("Suggested learning rate", "valley", "steepest"):
            if m[label][0] != "none":
                assert any(entry.endswith(f": {m[label][0]}") for entry in legend)
        help_text = m["Suggested learning rate"][1]
        assert ("confirmed by the check" in help_text) == (res.verdict is lf.Verdict.CONFIRMED)
        assert MINUS not in m["Suggested learning rate"][0]  # written as the URL and legend write rates


class TestVerdict:
    def test_sigmoid_on_the_spirals(self):
        stands, text = ex.verdict(analysed("sigmoid"))
        assert not stands
        assert text == (
            "**The range test cannot tell here.** Its rate, 1.45e−02, trains to 50.8% accuracy in 200 steps; "
            "the best fixed rate, 1.00e+00, to 84.4%. The suggested rate is the check's best: 1.00e+00."
        )

    def test_nothing_learns(self):
        res = analysed("sigmoid", layers=8)
        stands, text = ex.verdict(res)
        assert not stands
        assert text == (
            "**No rate learns here in 200 steps.** The best fixed rate, 1.00e−03, reaches 54.5% accuracy, and "
            "always answering the most common class gives 54.5%. The suggested rate is the check's best, for "
            "what it is worth: 1.00e−03."
        )
        assert "no rate learns here" in ex.metrics(res)[0][2]
        assert ex.markers(res)[ex.CHECK_BEST_MARK] == res.suggested

    def test_no_range_test_rate(self):
        stands, text = ex.verdict(analysed(end_lr=1e-2, momentum=0.0))
        assert not stands
        assert text.startswith("**The range test cannot tell here:** it gives no rate")

    @pytest.mark.parametrize(("activation", "name"), grid())
    def test_true_for_every_activation_and_data_set(self, activation, name):
        res = analysed(activation, name)
        stands, text = ex.verdict(res)
        assert stands == (res.verdict is lf.Verdict.CONFIRMED)
        assert ("No rate learns" in text) == (res.best.accuracy < res.majority + 0.02)
        if stands:  # "comes within 2 points of the best fixed rate's accuracy"
            assert res.candidate.accuracy >= res.best.accuracy - 0.02
            assert f"**Suggested: {sci(res.suggested)}**" in text
        elif res.verdict is lf.Verdict.CHECK_BEST:
            assert "cannot tell" in text
            assert res.candidate is None or res.candidate.accuracy < res.best.accuracy - 0.02
            assert text.endswith(f"{sci(res.best.lr)}.")
        sentence = ex.check_sentence(res)
        assert sentence.startswith("A fresh network trained for 200 steps at each rate")
        named = float(re.search(r"The best fixed rate is \*\*([^*]+)\*\*", sentence).group(1).replace(MINUS, "-"))
        assert named == pytest.approx(res.best.lr, rel=5e-3)
        assert res.best.accuracy == res.check.accuracy.max()  # "best" is the most accurate
        if res.candidate is not None:
            decades = float(sentence.split(" is ")[-1].split(" decades")[0])  # as the page test reads it
            assert decades == pytest.approx(abs(math.log10(res.candidate.lr / res.best.lr)), abs=0.005)


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
        assert regime in ex.gd_sentence(lf.gd_lesson(rate))[1]

    def test_the_limit_is_named(self):
        converges, text = ex.gd_sentence(lf.gd_lesson(1.1))
        assert not converges
        assert "2/C'' = 1" in text

    @pytest.mark.parametrize("rate", [round(0.05 * k, 2) for k in range(1, 25)])
    def test_every_slider_position(self, rate):
        """What the sentence says happens is what gradient descent does (300 steps, no floor)."""
        lesson = lf.gd_lesson(rate)
        converges, text = ex.gd_sentence(lesson)
        distance = np.abs(lf.gd_path(rate, 0.0, 300, floor=None).x.to_numpy() - 5)
        assert converges == (distance[-1] < 1e-6)
        if "diverges" in text:
            assert distance[-1] > distance[0]
        if "forever" in text:
            np.testing.assert_allclose(distance, 5)
        factor = re.search(r"\(1 − 2·rate\) = (−?\d+(?:\.\d+)?)", text).group(1).replace(MINUS, "-")
        assert float(factor) == pytest.approx(1 - 2 * rate, abs=5e-3)
        blocked = ex.gd_blocked(lesson)
        assert (blocked is not None) == (len(lesson.path) <= 12)
        if blocked is not None:
            x = float(re.search(r"x = (\S+)\)", blocked).group(1).replace(MINUS, "-"))
            assert x < 0
            assert x == pytest.approx(lf.gd_step(float(lesson.path.x.iloc[-1]), rate), abs=0.051)  # one decimal


def test_the_gradient_check_caption():
    text = ex.gradient_caption(analysed())
    assert "below 1e-6 passes" in text
    err = float(re.search(r"relative error (\S+) ", text).group(1).replace(MINUS, "-"))
    assert err == pytest.approx(analysed().tests.gradient_error, rel=0.05)
    assert err < 1e-6
