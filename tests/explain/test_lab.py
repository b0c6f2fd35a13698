"""The Derivative lab's words (explain/lab.py): the sentences that used to live in
LabReport.message and app_pages/lab.py, and a property test over formulas from the page's
grammar and points x that checks every sentence against the numbers."""

import math
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from explain import lab as el
from optimizers import difflab as lab
from optimizers.difflab import Exact, Status
from optimizers.expression import ExpressionError, prepare
from tests.explain.formulas import FORMULAS, read


def analyse(text, x):
    return lab.analyse(prepare(text), x)


class TestStatusMessages:
    @pytest.mark.parametrize(
        ("text", "x"), [("abs(x)", 0.0), ("(x + abs(x))/2", 0.0), ("relu(x)", 0.0), ("abs(x - 2)", 2.0)]
    )
    def test_kinks(self, text, x):
        message = el.status_message(analyse(text, x))
        assert "does not exist" in message
        assert "f has a kink at x = " in message

    def test_relu_convention_is_named(self):
        assert "PyTorch" in el.status_message(analyse("relu(x)", 0.0))

    @pytest.mark.parametrize(
        ("text", "x", "why"),
        [("log(x)", -1.0, "logarithm"), ("sqrt(x)", -4.0, "root"), ("1/x", 0.0, "division by zero")],
    )
    def test_undefined(self, text, x, why):
        message = el.status_message(analyse(text, x))
        assert why in message
        assert message.startswith(f"f is undefined at x = {el.general(x, 6)}")

    def test_vertical_tangent(self):
        r = analyse("sqrt(x)", 0.0)
        assert "vertical tangent" in el.status_message(r)
        assert "cusp" in el.status_message(analyse("abs(x)^0.5", 0.0))

    def test_overflow(self):
        r = analyse("1/(1 + exp(-x))", -800.0)
        text = el.status_message(r)
        assert "is defined" in text
        assert "overflow" in text
        assert "3.66787e−348" in el.true_value(r)
        assert r"\approx 3.66787 \times 10^{-348}" in el.latex(r, "f", "g")[0][2]  # not "does not exist"


class TestIssue7:
    def test_sigmoid_underflow(self):
        """The stable sigmoid at −800: no 'nan', no 'gives 0 instead of 0'."""
        r = analyse("sigmoid(x)", -800.0)
        text = el.cancellation(r) + el.true_value(r)
        assert "nan" not in text.lower().split()
        assert "instead of" not in text
        assert "gives 0, the same as the analytic f′(x) = 0 here" in text
        assert "below the smallest positive float" in text

    def test_unbounded_side(self):
        r = analyse("sqrt(x)", 0.0)
        (_, left, left_help), (_, right, right_help) = el.side_metrics(r)
        assert (left, right) == ("—", "+∞ (unbounded)")
        assert "undefined just left of x = 0" in left_help
        assert "grows without bound" in right_help
        r = analyse("abs(x)^0.5", 0.0)
        assert [m[1] for m in el.side_metrics(r)] == ["−∞ (unbounded)", "+∞ (unbounded)"]

    def test_finite_sides(self):
        r = analyse("abs(x)", 0.0)
        assert [m[1] for m in el.side_metrics(r)] == ["−1", "1"]


class TestCancellationAndCheck:
    def test_tutorial_example(self):
        r = analyse("x**2", 3.0)
        text = el.cancellation(r)
        assert "forward difference gives 5.32907 instead of 6" in text
        assert "the complex step, which subtracts nothing, 6" in text
        assert el.check_metrics(r)[0] == ("Analytic f′(x)", "6", None)
        assert el.check_verdict(r).startswith("The analytic derivative passes the check")

    def test_zero_derivative(self):
        r = analyse("x**2", 0.0)
        assert el.check_metrics(r)[2][0] == "Absolute error"
        assert "the errors are absolute" in el.cancellation(r)

    def test_not_applicable(self):
        assert el.not_applicable(analyse("log(x)", -1.0)) == "Not applicable at x = −1: f is undefined there."

    def test_sigmoid_table(self):
        text = el.sigmoid_markdown(lab.sigmoid_table())
        assert "| −1000 | 0; overflow | 0 | 0 |" in text
        assert "| −710 | 0; overflow | 4.48e−309 | 4.48e−309 |" in text  # σ(−710) = e^−710 / (1 + e^−710)
        assert "| 0 | 0.5 | 0.5 | 0.25 |" in text

    def test_exact(self):
        assert el.exact(Exact(3.66787, -348)) == "3.66787e−348"

    def test_no_seed(self):
        assert "seed" not in (el.STORY + el.SIGMOID_TEXT).lower()


# --- every sentence true for every input ------------------------------------------------------

POINTS = st.sampled_from([-800.0, -3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0, 10.0, 1e3])
_NUMBER = r"([−\-+]?[\d.]*\d(?:e[+−\-]\d+)?)"


def _f(parsed, x):
    f = parsed.callables()[0]
    with np.errstate(all="ignore"):
        y = complex(np.asarray(f(np.array([x], dtype=float)), dtype=complex).reshape(-1)[0])
    return y.real if abs(y.imag) <= 1e-12 * abs(y.real) else math.nan


def check_lab(text, x):
    """Every sentence and metric the lab writes for f at x is true."""
    try:
        parsed = prepare(text)
    except ExpressionError:
        return
    r = lab.analyse(parsed, x)
    words = [el.status_message(r), el.true_value(r)]
    if r.status == Status.SMOOTH:
        words += [el.cancellation(r), el.check_verdict(r)] + [" ".join(filter(None, m)) for m in el.check_metrics(r)]
    else:
        words.append(el.not_applicable(r))
    if r.status in (Status.KINK, Status.VERTICAL):
        words += [" ".join(filter(None, m)) for m in el.side_metrics(r)]
    page = " ".join(words)
    assert "nan" not in page.lower().split()
    assert not re.search(r"\binf\b", page)
    assert not re.search(r"(?<![A-Za-z\[(])-\d", page.replace("1e-15", ""))  # the one minus sign

    for a, b in re.findall(rf"gives {_NUMBER} instead of {_NUMBER}", page):
        assert a != b  # 'instead of' only for two different numbers
    if r.status == Status.UNDEFINED:
        assert not math.isfinite(_f(parsed, x)) or any(
            kind != "kink"
            and {"positive": lambda u: u <= 0, "nonnegative": lambda u: u < 0, "nonzero": lambda u: u == 0}[kind](
                float(np.real(np.asarray(fn(np.array([x])), dtype=complex))[0])
            )
            for kind, fn in parsed.watch_callables()
        )
        return
    fx = _f(parsed, x)
    for (label, value, _), side in zip(el.side_metrics(r), (-1.0, 1.0), strict=True):
        if r.status not in (Status.KINK, Status.VERTICAL):
            break
        h = np.array([1e-4, 1e-6, 1e-8]) * max(1.0, abs(x))
        ys = np.array([_f(parsed, x + side * t) for t in h])
        with np.errstate(all="ignore"):
            quotients = (ys - fx) / (side * h)
        if value == "—":
            assert not np.isfinite(ys).all(), (text, x, label)
        elif "unbounded" in value:
            assert abs(quotients[-1]) > abs(quotients[0]), (text, x, label)
            assert (value.startswith("+")) == (quotients[-1] > 0)
        else:
            assert read(value) == pytest.approx(quotients[1], rel=1e-3, abs=1e-3), (text, x, label)
    if r.status == Status.SMOOTH:
        assert read(el.check_metrics(r)[0][1]) == pytest.approx(r.exact, rel=1e-11, abs=1e-300)
        if r.passes:  # then f′ really is what the formula says: a Richardson central difference agrees
            h = 1e-3 * max(1.0, abs(x))
            d1 = (_f(parsed, x + h) - _f(parsed, x - h)) / (2 * h)
            d2 = (_f(parsed, x + h / 2) - _f(parsed, x - h / 2)) / h
            richardson = (4 * d2 - d1) / 3
            if math.isfinite(richardson):
                scale = max(abs(r.exact), abs(richardson), 1e-8 * max(1.0, abs(fx)))
                assert abs(richardson - r.exact) <= 1e-3 * scale + 1e-9, (text, x)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
)
@given(FORMULAS, POINTS)
def test_every_sentence_of_the_lab_is_true(text, x):
    check_lab(text, x)
