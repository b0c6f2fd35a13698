"""The certified search: interval enclosures that hold, wells the grid cannot see, the
published test set certified within the budget, and a search that stops when asked."""

import math

import mpmath
import numpy as np
import pytest

from optimizers import certify, custom, optimize
from optimizers._testproblems import PROBLEMS, found
from optimizers.expression import curvature_limits, limits, parse, prepare
from runtime import budget, workpool


def certify_text(text, lo, hi, goal="min", **kw):
    parsed = prepare(text)
    report = custom.analyse(parsed, lo, hi, goal)
    x0, f0, scale = custom.certification_inputs(report)
    _, cells = certify.certify_cost(parsed)
    return report, certify.certify(parsed, lo, hi, goal, x0, f0, scale, **{"max_cells": cells, **kw})


class TestEnclose:
    @pytest.mark.parametrize(
        ("text", "exact"),
        [
            ("x^2 - 10x + 100", lambda t: t**2 - 10 * t + 100),
            ("sin(10x/3) + log(x) - 0.84x", lambda t: mpmath.sin(10 * t / 3) + mpmath.log(t) - mpmath.mpf("0.84") * t),
            (
                "sigmoid(x) + softplus(x) + tanh(x)",
                lambda t: 1 / (1 + mpmath.exp(-t)) + mpmath.log(1 + mpmath.exp(t)) + mpmath.tanh(t),
            ),
            ("erf(x) + relu(x - 1) + min(x, 2)", lambda t: mpmath.erf(t) + max(t - 1, 0) + min(t, 2)),
            ("x^x + abs(x - 1)^0.5", lambda t: t**t + abs(t - 1) ** mpmath.mpf("0.5")),
        ],
    )
    def test_basic(self, text, exact):
        """Every value of f on a cell, computed with 50 digits, lies inside the enclosure."""
        expr = parse(text)
        rng = np.random.default_rng(0)
        for a in rng.uniform(0.05, 3, 20):
            b = a + rng.uniform(0, 0.5)
            box = certify.enclose(expr, a, b)
            with mpmath.workdps(50):
                for t in np.linspace(a, b, 7):
                    value = exact(mpmath.mpf(float(t)))
                    assert box.a <= value <= box.b, (text, a, b, t)

    def test_u_log_u_at_zero(self):
        # x^x on [0, 0.1] is in [0.1^0.1, 1]: no 0 * (-inf) from x log x
        box = certify.enclose(parse("x^x"), 0, 0.1)
        assert float(box.a) == pytest.approx(0.1**0.1, rel=1e-12)
        assert float(box.b) == pytest.approx(1.0, rel=1e-12)


class TestCertify:
    def test_basic(self):
        """The tutorial's ad-spend cost: nothing in [0, 10] is below 75 (minus 1e-9 of its scale)."""
        _, c = certify_text("x^2 - 10x + 100", 0, 10)
        assert c.certified
        assert (c.x, c.fun, c.goal) == (5.0, 75.0, "min")
        assert 0 <= c.tol <= c.target
        assert c.target == pytest.approx(certify.CERT_RTOL * 75)  # scale: max(|f*|, f range 100 - 75)
        assert (c.improved, c.stop) == (False, certify.Stop.NONE)

    def test_maximum(self):
        _, c = certify_text("sin(x) + 0.1x", 0, 20, "max")
        assert c.certified
        assert c.x == 20.0
        assert c.fun == pytest.approx(math.sin(20) + 2, rel=1e-15)
        assert c.goal == "max"

    def test_a_well_between_grid_points_is_found(self):
        """A well 1/1000 wide, centred between two grid points (step 0.025): the grid sees
        cos(x) only and answers -1; the interval search finds the well."""
        text = "cos(x) - exp(-1e6*(x - 2.0125)^2)"
        report, c = certify_text(text, -10, 10)
        assert report.optimum.fun == pytest.approx(-1.0, abs=1e-12)  # the engine's answer
        assert c.certified
        assert c.improved
        shift = math.sin(2.0125) / 2e6  # to first order, where the well's bottom moves
        assert c.x == pytest.approx(2.0125 + shift, abs=1e-9)
        assert c.fun == pytest.approx(math.cos(c.x) - math.exp(-1e6 * (c.x - 2.0125) ** 2), rel=1e-15)
        assert c.fun < -1.42
        assert c.tol <= c.target

    @pytest.mark.parametrize(
        ("text", "lo", "hi", "f_star"),
        [
            ("sqrt(x)", 0, 10, 0.0),
            ("x^(1/3)", 0, 1, 0.0),
            ("x^x", 0, 2, math.exp(-math.exp(-1))),
            ("abs(x)^0.5", -1, 1, 0.0),
            ("abs(x - 1.3) + 2", 0, 3, 2.0),
        ],
    )
    def test_cusps_and_kinks(self, text, lo, hi, f_star):
        _, c = certify_text(text, lo, hi)
        assert c.certified
        assert c.fun == pytest.approx(f_star, rel=1e-12, abs=1e-300)

    def test_cell_cap_gives_a_reason_and_what_was_proved(self):
        _, c = certify_text("sin(x) + sin(10x/3)", 0, 1000, max_cells=20)
        assert not c.certified
        assert (c.stop, c.max_cells) == (certify.Stop.CELLS, 20)
        assert c.tol > c.target
        assert c.cells == 20

    def test_too_long_to_certify(self, monkeypatch):
        """Fewer than MIN_CELLS cells fit in the budget: refused before any work, saying why.
        (With the real budget that takes f' of sin nested ~24 deep; a smaller budget shows
        the same rule on a formula sympy differentiates quickly.)"""
        parsed = prepare("sin(sin(sin(sin(x))))")
        _, cells = certify.certify_cost(parsed)
        monkeypatch.setattr(certify, "CERT_SECONDS", certify.CERT_SECONDS * (certify.MIN_CELLS - 1) / cells)
        with pytest.raises(certify.NotCertifiable) as info:
            certify.certify_cost(parsed)
        assert info.value.refusal == certify.Refusal.TOO_LONG
        assert info.value.per_cell > certify.CERT_SECONDS / certify.MIN_CELLS

    def test_cost_fits_the_budget(self):
        for text in ("x^2 - 10x + 100", "x/(0.001x^2 + 2)", "(3x + 1)^5"):
            cost, cells = certify.certify_cost(prepare(text))
            assert budget.check(cost).seconds <= certify.CERT_SECONDS
            assert certify.MIN_CELLS <= cells <= certify.MAX_CELLS

    def test_a_cancelled_search_stops_between_cells(self):
        """In the pool, a search past its time limit stops at a checkpoint: its worker is
        asked to stop and answers, it is not killed."""
        parsed = prepare("sin(x) + sin(10x/3)")
        pool = workpool.WorkPool(workers=1)
        try:
            pool.run(certify.certify, parsed, 0, 1, "min", 0.0, 0.0, 2.0, timeout=30)  # a warm worker
            with pytest.raises(workpool.WorkTimeout):
                pool.run(
                    certify.certify, parsed, 0, 1e5, "min", 1.0, 0.0, 2.0, max_cells=10**6, seconds=60, timeout=0.5
                )
            stats = pool.stats()
            assert (stats.timed_out, stats.killed) == (1, 0)
        finally:
            pool.shutdown()


class TestPublishedSet:
    """Hansen, Jaumard & Lu (1992) problems 1-20 and Gavana's 21-22 (bench/univariate.py)."""

    @pytest.mark.parametrize("problem", PROBLEMS, ids=[f"P{p.number}" for p in PROBLEMS])
    def test_engine_and_certificate(self, problem):
        """optimize finds the published minimum, and the certified search proves it, within
        the budget of one page update."""
        parsed = prepare(problem.text)
        f, df, d2f = parsed.callables()
        res = optimize(f, problem.lo, problem.hi, "min", df=df, d2f=d2f)
        assert found(res.fun, problem.f_star)
        assert res.fun == pytest.approx(problem.f_star, rel=2e-5, abs=1e-5)
        report, c = certify_text(problem.text, problem.lo, problem.hi)
        assert report.problem is None
        assert c.certified, c.stop
        assert c.fun == pytest.approx(res.fun, rel=1e-12, abs=1e-300)
        assert c.tol <= c.target
        cost, _ = certify.certify_cost(parsed)
        assert cost.seconds <= budget.CAP_SECONDS
        assert c.seconds <= certify.CERT_SECONDS

    def test_all_22(self):
        assert len(PROBLEMS) == 22
        assert [p.number for p in PROBLEMS] == list(range(1, 23))


class TestParameter:
    """The parameter a enters the interval search as the point interval [a, a]."""

    def test_enclosure_at_a(self):
        box = certify.enclose(parse("x^2 - a*x", parameter=True), 2, 2, a=0.1)
        exact = mpmath.mpf(4) - 2 * mpmath.mpf(0.1)  # the float 0.1, exactly
        assert box.a <= exact <= box.b
        assert float(box.b - box.a) <= 1e-15

    @pytest.mark.parametrize("a", [-3.0, 1.0, 6.5])
    def test_certified_at_a(self, a):
        """x² − a·x on [-10, 10]: nothing is below −a²/4 (the optimum at a/2)."""
        parsed = prepare("x^2 - a*x", parameter=True)
        report = custom.analyse(parsed, -10, 10, "min", a)
        x0, f0, scale = custom.certification_inputs(report)
        c = certify.certify(parsed, -10, 10, "min", x0, f0, scale, a=a)
        assert c.certified
        assert c.fun == pytest.approx(-(a**2) / 4, rel=1e-12)
        assert c.fun - c.tol <= -(a**2) / 4

    def test_a_hidden_well_that_moves_with_a(self):
        """A well narrower than a grid cell, centred at a between two grid points: the search
        finds it at the current a, not at a fixed place."""
        parsed = prepare("cos(x) - exp(-1e6*(x - a)^2)", parameter=True)
        for a in (2.0125, -3.0125):
            report = custom.analyse(parsed, -10, 10, "min", a)
            x0, f0, scale = custom.certification_inputs(report)
            c = certify.certify(parsed, -10, 10, "min", x0, f0, scale, a=a, max_cells=certify.certify_cost(parsed)[1])
            assert c.improved
            assert c.x == pytest.approx(a, abs=1e-3)

    def test_integer_power_of_a_negative_base(self):
        """x**a at a = 2 is defined for x < 0: the search must not call [-1, 1] undefined."""
        parsed = prepare("x**a", parameter=True)
        report = custom.analyse(parsed, -1, 1, "min", 2.0)
        x0, f0, scale = custom.certification_inputs(report)
        c = certify.certify(parsed, -1, 1, "min", x0, f0, scale, a=2.0)
        assert c.certified
        assert c.fun == pytest.approx(0.0, abs=1e-12)

    def test_a_is_required(self):
        parsed = prepare("x^2 - a*x", parameter=True)
        with pytest.raises(ValueError, match="parameter a"):
            certify.certify(parsed, 0, 10, "min", 0.5, -0.25, 1.0)


class TestRemovableSingularities:
    """Where f is undefined with a finite limit (issue 19, item 4), the search either uses the
    limit (at an end) or says why it does not apply (inside the interval)."""

    @pytest.mark.parametrize(("goal", "f_star"), [("min", -math.exp(-1)), ("max", 0.0)])
    def test_limit_at_an_end(self, goal, f_star):
        """x·log(x) on [0, 1]: min -1/e at 1/e; max 0, the limit at 0 and the value at 1."""
        parsed = prepare("x*log(x)")
        found = curvature_limits(parsed, limits(parsed, (0.0,), 0, 1), 0, 1)
        report = custom.analyse(parsed, 0, 1, goal, limits=found)
        x0, f0, scale = custom.certification_inputs(report)
        c = certify.certify(parsed, 0, 1, goal, x0, f0, scale, limits=report.limit_points)
        assert c.certified, c.stop
        assert c.fun == pytest.approx(f_star, rel=1e-12, abs=1e-300)
        assert 0 <= c.tol <= c.target

    def test_an_end_that_cannot_be_bounded_is_not_certified(self):
        """Without the limit, f at 0 has no enclosure: every cell may be decided, but nothing is
        proved about the end, so it must not say certified."""
        parsed = prepare("x*log(x)")
        c = certify.certify(parsed, 0, 1, "max", 1.0, 0.0, 1.0)
        assert not c.certified
        assert c.stop == certify.Stop.UNBOUNDED
        assert math.isinf(c.tol)

    def test_a_limit_inside_is_refused(self):
        parsed = prepare("sin(x)/x")
        with pytest.raises(certify.NotCertifiable) as info:
            certify.certify(parsed, -10, 10, "max", 0.0, 1.0, 1.2, limits=((0.0, 1.0),))
        assert (info.value.refusal, info.value.x) == (certify.Refusal.SINGULAR, 0.0)

    def test_a_refusal_survives_the_worker_pool(self):
        """certify_in_worker returns the NotCertifiable; its details survive pickling."""
        import pickle

        exc = certify.certify_in_worker(prepare("sin(x)/x"), -10, 10, "max", 0.0, 1.0, 1.2, limits=((0.0, 1.0),))
        back = pickle.loads(pickle.dumps(exc))
        assert (back.refusal, back.x) == (certify.Refusal.SINGULAR, 0.0)


class TestOverflowLeftOut:
    def test_x_to_the_100(self):
        """The engine searched where f is finite; the interval search covers all of [0, 1e6]
        (mpmath has no overflow) and proves nothing is below 0."""
        report, c = certify_text("x**100", 0, 1e6)
        assert report.optimum.fun == 0.0
        assert c.certified
        assert c.fun == 0.0
