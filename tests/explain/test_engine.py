"""The engine's sentences (explain/engine.py): the words that used to live in Optimum.message,
CriticalPoint.label and Certificate.statement, and a property test that every sentence is
true for the numbers it is written from."""

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explain import engine
from explain.format import MINUS
from optimizers import certify, custom, optimize
from optimizers.calculus import Kind
from optimizers.expression import prepare
from tests.explain.formulas import read
from tests.optimizers.test_calculus import SEED_CASES, study


class TestOptimumSentence:
    @pytest.mark.parametrize(
        ("name", "f", "lo", "hi", "goal", "x_star", "f_star"), SEED_CASES, ids=[c[0] for c in SEED_CASES]
    )
    def test_interior(self, name, f, lo, hi, goal, x_star, f_star):
        text = engine.optimum_sentence(optimize(f, lo, hi, goal))
        assert text.startswith(f"Interior {'maximum' if goal == 'max' else 'minimum'} at x = ")
        assert (
            f"f″ = {engine.number(optimize(f, lo, hi, goal).second_derivative)} {'<' if goal == 'max' else '>'} 0"
            in text
        )

    def test_boundary(self):
        text = engine.optimum_sentence(optimize(lambda x: np.exp(-x), 0, 5))
        assert "boundary" in text
        assert "at the lower end x = 0" in text
        assert "f falls across the whole interval" in text

    def test_boundary_beats_interior(self):
        text = engine.optimum_sentence(optimize(lambda x: np.sin(x) + 0.1 * x, 0, 20))
        assert "beats the interior maxima at x = 1.67096, x = 7.95415 and x = 14.2373" in text

    def test_flat(self):
        assert "flat" in engine.optimum_sentence(optimize(lambda x: 5.0, 0, 3))

    def test_first_derivative_test(self):
        res = optimize(lambda x: -((x - 1) ** 4), 0, 3, goal="max", d2f=lambda x: -12 * (x - 1) ** 2)
        assert "first-derivative test" in engine.optimum_sentence(res)

    @pytest.mark.parametrize("a", [3e4, 1e6])
    def test_found_by_sampling(self, a):
        def f(x):
            return np.cos(x) - np.exp(-a * (x - 2) ** 2)

        text = engine.optimum_sentence(optimize(f, -10, 10, "min"))
        assert "found by sampling" in text.lower()
        assert "the grid sample at x = 2 " in text
        assert "may be incomplete" in text

    def test_unresolved(self):
        text = engine.optimum_sentence(optimize(lambda x: np.sin(1000 * x), 0, 10, "max"))
        assert "may be incomplete" in text
        assert "The grid of 801 points (spacing 0.0125)" in text

    def test_vertical_tangent_cusp_and_kink(self):
        assert "vertical tangent" in engine.optimum_sentence(
            optimize(np.sqrt, 0, 10, "min", df=lambda x: 0.5 / np.sqrt(x))
        )
        res = optimize(lambda x: np.abs(x) ** 0.5, -1, 1, "min", df=lambda x: 0.5 * np.sign(x) / np.abs(x) ** 0.5)
        assert "a cusp: f′ runs to −∞ on the left and +∞ on the right" in engine.optimum_sentence(res)
        assert engine.point_label(res.critical_points[0]) == "min (cusp)"
        res = optimize(lambda x: np.abs(x - 1.3), 0, 3, "min")
        assert "a kink: f′ jumps from −1 to 1" in engine.optimum_sentence(res)
        assert engine.point_label(res.critical_points[0]) == "min (kink)"

    def test_ties(self):
        """Issue 19, item 4: 'reached at x = −2 and x = 1', each place explained."""
        text = engine.optimum_sentence(optimize(lambda x: x**3 - 3 * x, -2, 3, "min"))
        assert text.startswith("The minimum −2 is reached at x = −2 and x = 1 (the values agree to rounding)")
        assert "at the lower end x = −2; at x = 1, where f′ = 0 and f″ = 6 > 0" in text
        text = engine.optimum_sentence(optimize(np.sin, 0, 100, "max"))
        assert "is reached at x = 1.5708, x = 7.85398," in text
        assert "each is an end of the interval or an interior maximum" in text

    def test_numbers(self):
        assert engine.number(-2.01e-16, 3.0) == "0"
        assert engine.number(-20.0) == f"{MINUS}20"
        assert engine.number(math.inf) == "+∞"
        assert engine.kind_word(Kind.MIN, plural=True) == "minima"


class TestCertificateWords:
    def _cert(self, text, lo, hi, goal="min", **kw):
        parsed = prepare(text)
        report = custom.analyse(parsed, lo, hi, goal)
        return certify.certify(parsed, lo, hi, goal, *custom.certification_inputs(report), **kw)

    def test_claim(self):
        c = self._cert("x^2 - 10x + 100", 0, 10)
        assert (
            engine.certificate_claim(c.goal, 0, 10, c.fun, c.tol)
            == f"nothing in [0, 10] is below 75 − {engine.round_up(c.tol)}"
        )
        c = self._cert("sin(x) + 0.1x", 0, 20, "max")
        assert "above" in engine.certificate_claim(c.goal, 0, 20, c.fun, c.tol)

    def test_stop_reason(self):
        c = self._cert("sin(x) + sin(10x/3)", 0, 1000, max_cells=20)
        assert engine.stop_reason(c) == "the search needs more than 20 cells: try a narrower interval"

    def test_refusals(self):
        assert "too long for interval arithmetic" in engine.not_certifiable(
            certify.NotCertifiable(certify.Refusal.TOO_LONG, per_cell=0.05)
        )
        assert "f is undefined at x = 0 inside the interval" in engine.not_certifiable(
            certify.NotCertifiable(certify.Refusal.SINGULAR, x=0.0)
        )

    def test_round_up_never_shrinks(self):
        for v in (7.41e-8, 1.0e-9, 9.99e-5, 0.123, 1.01):
            assert read(engine.round_up(v)) >= v


# --- every sentence true for every input ------------------------------------------------------

COEFFICIENTS = st.lists(st.integers(-5, 5), min_size=2, max_size=6)
TERMS = st.tuples(COEFFICIENTS, st.integers(0, 3), st.sampled_from([0.0, 0.5, 1.0]))
ENDS = st.tuples(st.integers(-6, 3), st.integers(1, 8))
_X = re.compile(r"x = ([−\-]?[\d.]*\d(?:e[+−\-]\d+)?)")


def _function(terms):
    """A polynomial plus an optional sine wave: kinks-free, quick, with every shape of answer
    (interior, boundary, ties, flat)."""
    coef, k, amp = terms

    def f(x):
        return np.polyval(np.array(coef, dtype=float), x) + amp * np.sin(k * x)

    return f


@settings(max_examples=150, deadline=None, derandomize=True)
@given(TERMS, ENDS, st.sampled_from(["min", "max"]))
def test_every_optimum_sentence_is_true(terms, ends, goal):
    f = _function(terms)
    lo, hi = float(ends[0]), float(ends[0] + ends[1])
    res = optimize(f, lo, hi, goal)
    text = engine.optimum_sentence(res)
    assert "nan" not in text
    assert "inf" not in text.replace("infinite", "")
    grid = np.linspace(lo, hi, 20001)
    values = f(grid)
    scale = max(1.0, float(np.abs(values).max()))
    sign = 1.0 if goal == "max" else -1.0
    if res.flat:
        assert "flat" in text
        assert np.ptp(values) <= 1e-9 * scale
        return
    # the answer is global: no sample beats it (beyond rounding)
    assert sign * (values.max() if goal == "max" else values.min()) <= sign * res.fun + 1e-9 * scale
    # every place named is where f takes the optimum's value
    named = {read(m) for m in _X.findall(text.split(":")[0])}
    for x in res.xs:
        assert float(f(np.float64(x))) == pytest.approx(res.fun, rel=1e-9, abs=1e-9 * scale)
        assert read(engine.number(x, max(abs(lo), abs(hi)))) in named
    if len(res.xs) > 1:
        assert f"is reached at {engine.places(res)}" in text
    elif not res.at_boundary:
        assert text.startswith("Interior")
        assert lo < res.x < hi
        if "f″ = " in text:
            curvature = read(re.search(r"f″ = (\S+)", text).group(1))
            assert (curvature < 0) == (goal == "max")
    else:
        end = "lower" if res.x == lo else "upper"
        assert f"at the {end} end x = " in text
        assert res.x in (lo, hi)
        if "rises across" in text or "falls across" in text:
            slope = np.gradient(values, grid)
            rising = "rises across" in text
            assert (values[-1] >= values[0]) == rising or abs(values[-1] - values[0]) <= 1e-9 * scale
            assert ((slope >= -1e-6 * scale) if rising else (slope <= 1e-6 * scale)).all()
        if "it beats the interior" in text:
            for p in res.critical_points:
                if p.kind == goal:
                    assert sign * res.fun >= sign * p.fun


def test_study_sentence_doctest_number():
    """The tutorial's study hours: an interior maximum at 9.02683 h."""
    assert engine.optimum_sentence(optimize(study, 0, 16)).startswith("Interior maximum at x = 9.02683:")
