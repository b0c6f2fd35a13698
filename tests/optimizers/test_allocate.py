"""Splitting a budget: KKT, closed forms, breakpoints found by re-solving, the envelope theorem,
a general solver that never beats the exact one, and every validation message."""

import math
import string
from urllib.parse import quote

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, minimize, minimize_scalar

from optimizers import allocate as al
from optimizers import tables
from optimizers.calculus import BRENTQ_MAXITER
from optimizers.sensitivity import COLUMNS

STUDY = al.PRESETS["study"]
ADS = al.PRESETS["ads"]


# --- Independent oracles (written from the formulas, not from the module's methods) -------------


def v(act, x):
    """vᵢ(x) from the family's formula."""
    c = act.curve
    if isinstance(c, al.Diminishing):
        return c.ceiling * (1 - math.exp(-c.rate * x))
    return c.weight * math.log(1 + x / c.scale)


def dv(act, x):
    """vᵢ′(x) from the family's formula."""
    c = act.curve
    if isinstance(c, al.Diminishing):
        return c.ceiling * c.rate * math.exp(-c.rate * x)
    return c.weight / (c.scale + x)


def d2v(act, x):
    c = act.curve
    if isinstance(c, al.Diminishing):
        return -c.ceiling * c.rate**2 * math.exp(-c.rate * x)
    return -c.weight / (c.scale + x) ** 2


def closed_form(acts, budget):
    """λ and the split in closed form, trying every funded set (top j by vᵢ′(0)) until one is
    consistent: diminishing λ = exp((Σ ln(Mk)/k − B)/Σ 1/k), log λ = Σa/(B + Σs)."""
    order = sorted(range(len(acts)), key=lambda i: -dv(acts[i], 0.0))
    family = acts[0].curve.family
    assert all(a.curve.family is family for a in acts)
    for j in range(1, len(acts) + 1):
        funded = order[:j]
        cs = [acts[i].curve for i in funded]
        if family is al.Family.DIMINISHING:
            lam = math.exp(
                (sum(math.log(c.ceiling * c.rate) / c.rate for c in cs) - budget) / sum(1 / c.rate for c in cs)
            )
            x = {i: math.log(acts[i].curve.ceiling * acts[i].curve.rate / lam) / acts[i].curve.rate for i in funded}
        else:
            lam = sum(c.weight for c in cs) / (budget + sum(c.scale for c in cs))
            x = {i: acts[i].curve.weight / lam - acts[i].curve.scale for i in funded}
        nxt = dv(acts[order[j]], 0.0) if j < len(acts) else 0.0
        # consistent up to rounding (within an ulp of a breakpoint neither set is exactly)
        if all(xi >= -1e-13 * budget for xi in x.values()) and nxt <= lam * (1 + 1e-13):
            return lam, np.array([max(x.get(i, 0.0), 0.0) for i in range(len(acts))])
    raise AssertionError("no consistent funded set")


def assert_kkt(acts, a, rtol=1e-9):
    """Every funded marginal value equals λ, no unfunded one exceeds it, Σ x = B, all x ≥ 0."""
    x = a.amounts
    assert (x >= 0).all()
    assert x.sum() == pytest.approx(a.budget, rel=rtol)
    for act, s in zip(acts, a.shares, strict=True):
        if s.status is al.Status.FUNDED:
            assert s.amount > 0 or s.amount == pytest.approx(0.0, abs=rtol * a.budget)
            if a.lam > 1e-300:
                assert dv(act, s.amount) == pytest.approx(a.lam, rel=rtol)
            else:  # λ underflowed: compare logarithms (the curves are saturated)
                assert float(act.curve.log_marginal(s.amount)) == pytest.approx(a.log_lam, rel=rtol)
        else:
            assert s.amount == 0.0
            assert dv(act, 0.0) <= a.lam * (1 + rtol)


def random_problem(rng, family=None):
    """A valid table of 2–8 activities on natural scales, and a budget that funds some of them."""
    n = int(rng.integers(2, 9))
    fams = (
        [family or rng.choice(["diminishing", "log"])] * n
        if family != "mixed"
        else rng.choice(["diminishing", "log"], n)
    )
    acts = []
    for i, fam in enumerate(fams):
        if fam == "diminishing":
            p = (10 ** rng.uniform(0, 2), 10 ** rng.uniform(-2, 0.3))
        else:
            p = (10 ** rng.uniform(0, 3), 10 ** rng.uniform(0, 3))
        acts.append(al.Activity(f"a{i}", al.make_curve(str(fam), *p)))
    solver_scale = max(sum(al._Solver(tuple(acts)).totals), 1.0)
    budget = float(solver_scale * 10 ** rng.uniform(-2, 0.7))
    return tuple(acts), budget


# --- Curves -----------------------------------------------------------------------------------


class TestCurves:
    @pytest.mark.parametrize("curve", [al.Diminishing(40, 0.3), al.Log(120, 400), al.Diminishing(2, 7), al.Log(0.5, 3)])
    def test_basic(self, curve):
        """value, v′ and v″ against central differences; amount inverts v′; gain is a difference."""
        act = al.Activity("x", curve)
        for x in (0.0, 0.37, 2.0, 11.5):
            h = 1e-5 * max(1.0, x)
            assert float(curve.value(x)) == pytest.approx(v(act, x), rel=1e-13, abs=1e-300)
            assert float(curve.marginal(x)) == pytest.approx(dv(act, x), rel=1e-13)
            assert float(curve.second(x)) == pytest.approx(d2v(act, x), rel=1e-13)
            if x > 0:
                fd = (v(act, x + h) - v(act, x - h)) / (2 * h)  # rounding: eps·|v|/h
                assert float(curve.marginal(x)) == pytest.approx(fd, rel=1e-7, abs=1e-10 * abs(v(act, x)) / h)
                fd2 = (dv(act, x + h) - dv(act, x - h)) / (2 * h)
                assert float(curve.second(x)) == pytest.approx(fd2, rel=1e-7)
            assert math.exp(float(curve.log_marginal(x))) == pytest.approx(dv(act, x), rel=1e-13)
            assert curve.amount(float(curve.log_marginal(x))) == pytest.approx(x, rel=1e-12, abs=1e-12)
            assert curve.gain(x, 0.5) == pytest.approx(v(act, x + 0.5) - v(act, x), rel=1e-12)
            assert curve.gain(x, -x) == pytest.approx(v(act, 0.0) - v(act, x), rel=1e-12, abs=1e-300)
            assert curve.amount_per_gap(x) == pytest.approx(-dv(act, x) / d2v(act, x), rel=1e-13)
            assert curve.amount_at_gap(float(curve.gap(x))) == pytest.approx(x, rel=1e-13, abs=1e-300)
            assert float(curve.gap(x)) == pytest.approx(math.log(dv(act, 0.0) / dv(act, x)), rel=1e-12, abs=1e-15)
        assert curve.first_marginal == pytest.approx(dv(act, 0.0), rel=1e-15)
        assert curve.amount(curve.log_first_marginal + 1.0) == 0.0  # λ above v′(0): nothing

    def test_gain_does_not_overflow(self):
        """Taking 500 h from a fast-saturating curve: e^(k·500) alone would overflow."""
        c = al.Diminishing(3.0, 2.0)
        assert c.gain(500.0, -500.0) == pytest.approx(-3.0, rel=1e-15)
        assert c.gain(0.0, 500.0) == pytest.approx(3.0, rel=1e-15)

    def test_vectorised(self):
        x = np.linspace(0, 10, 5)
        c = al.Diminishing(40, 0.3)
        np.testing.assert_allclose(c.value(x), 40 * (1 - np.exp(-0.3 * x)), rtol=1e-14)

    @pytest.mark.parametrize(
        ("family", "p1", "p2", "message"),
        [
            (
                "diminishing",
                -40,
                0.3,
                r"ceiling must be positive, got -40: the curve would be decreasing and not concave",
            ),
            ("diminishing", 40, -0.3, r"rate must be positive, got -0.3: the curve would be decreasing;"),
            (
                "diminishing",
                -40,
                -0.3,
                r"ceiling must be positive, got -40: the curve would be not concave \(its returns",
            ),
            ("diminishing", 0, 0.3, r"ceiling must be positive, got 0: the curve would be flat"),
            ("diminishing", 40, 0, r"rate must be positive, got 0: the curve would be flat"),
            ("log", -120, 400, r"weight must be positive, got -120: the curve would be decreasing and not concave"),
            ("log", 120, 0, r"scale must be positive, got 0: the curve would be undefined"),
            ("log", 0, 400, r"weight must be positive, got 0: the curve would be flat"),
            ("diminishing", math.nan, 0.3, r"ceiling must be a finite number, got nan"),
            ("log", 120, math.inf, r"scale must be a finite number, got inf"),
            ("diminishing", 1e13, 0.3, r"ceiling must be between 1e-12 and 1e\+12, got 1e\+13"),
            ("log", 120, 1e-13, r"scale must be between 1e-12 and 1e\+12, got 1e-13"),
            ("diminishing", "abc", 0.3, r"ceiling must be a number, got 'abc'"),
            ("cubic", 1, 1, r"unknown curve family 'cubic'; use one of 'diminishing', 'log'"),
        ],
    )
    def test_input_validation(self, family, p1, p2, message):
        with pytest.raises(ValueError, match=message):
            al.make_curve(family, p1, p2)

    def test_activity_validation(self):
        with pytest.raises(ValueError, match="name must be non-empty text, got '  '"):
            al.Activity("  ", al.Log(1, 1))
        with pytest.raises(ValueError, match="at most 40 characters, got 41"):
            al.Activity("x" * 41, al.Log(1, 1))
        with pytest.raises(TypeError, match="must be Diminishing or Log, got tuple"):
            al.Activity("x", (1, 1))
        with pytest.raises(TypeError, match="ceiling must be a number, got True"):
            al.Diminishing(True, 1)
        assert al.Activity(" Maths ", al.Log(1, 1)).name == "Maths"


# --- The exact solve --------------------------------------------------------------------------


class TestAllocate:
    def test_basic(self):
        """The study preset at 12 h a week against the closed form, at rel=1e-10."""
        acts = STUDY.activities()
        a = al.allocate(acts, 12)
        lam, x = closed_form(acts, 12)
        assert a.lam == pytest.approx(lam, rel=1e-10)
        np.testing.assert_allclose(a.amounts, x, rtol=1e-10)
        assert a.funded == ("Maths", "History", "French")
        assert a.value == pytest.approx(sum(v(c, xi) for c, xi in zip(acts, x, strict=True)), rel=1e-12)
        assert a.log_lam == pytest.approx(math.log(lam), rel=1e-12)
        assert_kkt(acts, a)
        for act, s in zip(acts, a.shares, strict=True):
            assert s.value == pytest.approx(v(act, s.amount), rel=1e-12)
            assert s.marginal == pytest.approx(lam, rel=1e-10)
            assert s.first_marginal == pytest.approx(dv(act, 0.0), rel=1e-15)
            assert s.reduced_gradient == 0.0
        # ads at $3,000: λ = Σa / (B + Σs) = 330 / 5200
        a = al.allocate(ADS.activities(), 3000)
        assert a.lam == pytest.approx(330 / 5200, rel=1e-12)
        np.testing.assert_allclose(a.amounts, [120 / a.lam - 400, 150 / a.lam - 1000, 60 / a.lam - 800], rtol=1e-12)

    @pytest.mark.parametrize("seed", range(12))
    def test_closed_form(self, seed):
        """Funded xᵢ = ln(Mᵢkᵢ/λ)/kᵢ (and aᵢ/λ − sᵢ) at rel=1e-10 on random tables and budgets."""
        rng = np.random.default_rng(seed)
        for family in ("diminishing", "log"):
            acts, budget = random_problem(rng, family)
            a = al.allocate(acts, budget)
            lam, x = closed_form(acts, budget)
            assert a.lam == pytest.approx(lam, rel=1e-10)
            np.testing.assert_allclose(a.amounts, x, rtol=1e-10, atol=1e-12 * budget)
            assert [s.status is al.Status.FUNDED for s in a.shares] == [bool(xi > 0) for xi in x]
            for s, act in zip(a.shares, acts, strict=True):
                if s.status is al.Status.FUNDED and family == "diminishing":
                    c = act.curve
                    assert s.amount == pytest.approx(math.log(c.ceiling * c.rate / a.lam) / c.rate, rel=1e-10)

    def test_kkt_random(self):
        """KKT to 1e-9 on 300 random tables, one family or mixed."""
        rng = np.random.default_rng(20261203)
        for i in range(300):
            acts, budget = random_problem(rng, ("diminishing", "log", "mixed")[i % 3])
            a = al.allocate(acts, budget)
            assert_kkt(acts, a)
            assert a.iterations <= BRENTQ_MAXITER + al.NEWTON_STEPS

    def test_one_subject_gets_nothing_at_small_budgets(self):
        """The study preset: French (first hour worth 2.5 points) gets no time below 9.61 h a
        week; its reduced gradient is 2.5 − λ, how much its first hour would have to gain."""
        acts = STUDY.activities()
        entry = math.log(12 / 2.5) / 0.3 + math.log(6 / 2.5) / 0.2  # Σ xᵢ at λ = 2.5
        for budget in (1.0, 3.0, 5.0, 8.0, 9.5):
            a = al.allocate(acts, budget)
            french = a.shares[2]
            assert french.status is al.Status.UNFUNDED
            assert french.amount == 0.0
            assert french.marginal == pytest.approx(2.5, rel=1e-15)
            assert french.reduced_gradient == pytest.approx(2.5 - a.lam, rel=1e-12)
            assert french.reduced_gradient < 0
            assert french.entry_budget == pytest.approx(entry, rel=1e-12)
            assert_kkt(acts, a)
        assert al.allocate(acts, 1.0).funded == ("Maths",)  # below 2.31 h only Maths
        assert al.allocate(acts, 10.0).shares[2].status is al.Status.FUNDED
        assert 0 < al.allocate(acts, 12.0).shares[2].amount < 0.15 * 12  # and little at the default
        # ads: Display gets nothing below $2,200 = (120/0.075 − 400) + (150/0.075 − 1000)
        a = al.allocate(ADS.activities(), 2000)
        assert a.funded == ("Search", "Social")
        assert a.shares[2].entry_budget == pytest.approx(2200, rel=1e-12)
        assert a.budget_high == pytest.approx(2200, rel=1e-12)

    def test_allowable_range_by_resolving(self):
        """budget_low/high equal where the funded set changes, found independently by re-solving
        on a fine grid of budgets and bisecting each change (the funded set from the closed form
        when the table has one family, else from the amounts that are positive)."""

        def funded(acts, b):
            x = closed_form(acts, b)[1] if len({a.curve.family for a in acts}) == 1 else al.allocate(acts, b).amounts
            return tuple(bool(xi > 0) for xi in x)

        rng = np.random.default_rng(5)
        problems = [STUDY.activities(), ADS.activities()]
        problems += [random_problem(rng, f)[0] for f in ("diminishing", "log", "mixed")]
        for acts in problems:
            entries = sorted({s.entry_budget for s in al.allocate(acts, 1.0).shares} - {0.0})
            grid = np.geomspace(entries[0] / 10, 2 * entries[-1], 1000)
            sets = [funded(acts, b) for b in grid]
            found = []
            for k in range(len(grid) - 1):
                if sets[k] != sets[k + 1]:
                    lo, hi = grid[k], grid[k + 1]
                    for _ in range(200):  # bisection on "the funded set is still sets[k]"
                        mid = 0.5 * (lo + hi)
                        if mid in (lo, hi):
                            break
                        lo, hi = (mid, hi) if funded(acts, mid) == sets[k] else (lo, mid)
                    found.append(hi)
            assert found, "the grid saw no change of the funded set"
            for k, b in enumerate(grid[::25]):
                a = al.allocate(acts, b)
                below = [f for f in found if f < b]
                above = [f for f in found if f >= b]
                assert a.budget_low == pytest.approx(below[-1] if below else 0.0, rel=1e-9, abs=1e-12)
                if above:
                    assert a.budget_high == pytest.approx(above[0], rel=1e-9), (k, b)
                    # λ at budget_high is the next activity's first marginal value
                    assert al.allocate(acts, a.budget_high).lam == pytest.approx(a.lam_low, rel=1e-9)
                else:
                    assert a.budget_high == math.inf
                    assert a.lam_low == 0.0
                    assert a.allowable_increase == math.inf
                assert a.allowable_increase == pytest.approx(a.budget_high - b)
                assert a.allowable_decrease == pytest.approx(b - a.budget_low)
                assert a.lam_low <= a.lam < a.lam_high
            # the entry budgets are the same changes
            np.testing.assert_allclose(entries, found, rtol=1e-9)

    def test_envelope_and_rates_by_finite_differences(self):
        """dV*/dB = λ, dxᵢ*/dB and dλ/dB against re-solving at B ± δ."""
        rng = np.random.default_rng(11)
        problems = [(STUDY.activities(), 12.0), (STUDY.activities(), 6.0), (ADS.activities(), 3000.0)]
        problems += [random_problem(rng, f) for f in ("diminishing", "log", "mixed", "mixed")]
        for acts, budget in problems:
            a = al.allocate(acts, budget)
            if a.allowable_increase < 1e-3 * budget or a.allowable_decrease < 1e-3 * budget:
                budget = 0.5 * (a.budget_low + min(a.budget_high, 2 * budget))
                a = al.allocate(acts, budget)
            d = 1e-5 * budget
            up, down = al.allocate(acts, budget + d), al.allocate(acts, budget - d)
            assert (up.value - down.value) / (2 * d) == pytest.approx(a.lam, rel=1e-7)
            np.testing.assert_allclose(
                (up.amounts - down.amounts) / (2 * d), [s.amount_per_budget for s in a.shares], rtol=1e-6, atol=1e-9
            )
            assert (up.lam - down.lam) / (2 * d) == pytest.approx(a.lam_per_budget, rel=1e-6)
            assert sum(s.amount_per_budget for s in a.shares) == pytest.approx(1.0, rel=1e-12)

    def test_sensitivity_table(self):
        """The contract columns; dxᵢ/dB = (1/kᵢ)/Σ(1/kⱼ) for diminishing curves, aᵢ/Σaⱼ for log."""
        a = al.allocate(STUDY.activities(), 12)
        t = a.sensitivity()
        assert list(t.columns) == COLUMNS
        assert t.parameter.tolist() == ["budget:Maths", "budget:History", "budget:French"]
        assert (t.value == 12).all()
        inv = np.array([1 / 0.3, 1 / 0.2, 1 / 0.1])
        np.testing.assert_allclose(t.optimum_change_per_unit, inv / inv.sum(), rtol=1e-12)
        np.testing.assert_allclose(t.best_change_per_unit, a.lam, rtol=0)
        np.testing.assert_allclose(t.optimum_elasticity, t.optimum_change_per_unit * 12 / a.amounts, rtol=1e-14)
        # an unfunded activity: no change, elasticity 0, never −0
        t = al.allocate(ADS.activities(), 2000).sensitivity()
        np.testing.assert_allclose(t.optimum_change_per_unit, [120 / 270, 150 / 270, 0.0], rtol=1e-12)
        assert t.optimum_elasticity.iloc[2] == 0.0
        assert not np.signbit(t.optimum_change_per_unit.iloc[2])
        # the parameter splits back into the input and the activity at the first colon
        assert t.parameter.str.partition(":")[2].tolist() == ["Search", "Social", "Display"]

    def test_table(self):
        a = al.allocate(ADS.activities(), 2000)
        t = a.table()
        assert tuple(t.columns) == al.SHARE_COLUMNS
        assert t.status.tolist() == ["funded", "funded", "unfunded"]
        assert t.share.sum() == pytest.approx(1.0, rel=1e-12)
        assert t.reduced_gradient.iloc[2] == pytest.approx(0.075 - a.lam, rel=1e-12)

    def test_matches_trust_constr(self):
        """A general solver (scipy's trust-constr) agrees to its own tolerance and, projected onto
        the feasible set, is never better than the exact solve. (Its barrier keeps unfunded
        activities a little above 0: measured 4e-6·B on amounts, 1.1e-6 relative on value.)"""
        rng = np.random.default_rng(3)
        problems = [(STUDY.activities(), 12.0), (STUDY.activities(), 5.0), (ADS.activities(), 3000.0)]
        problems += [(ADS.activities(), 1500.0)]
        problems += [random_problem(rng, ("diminishing", "log", "mixed")[i % 3]) for i in range(9)]
        for acts, budget in problems:
            a = al.allocate(acts, budget)
            n = len(acts)
            r = minimize(
                lambda x, acts=acts: -sum(v(c, xi) for c, xi in zip(acts, x, strict=True)),
                np.full(n, budget / n),
                jac=lambda x, acts=acts: -np.array([dv(c, xi) for c, xi in zip(acts, x, strict=True)]),
                hess=lambda x, acts=acts: -np.diag([d2v(c, xi) for c, xi in zip(acts, x, strict=True)]),
                method="trust-constr",
                constraints=[LinearConstraint(np.ones((1, n)), budget, budget)],
                bounds=Bounds(np.zeros(n), np.full(n, np.inf)),
                options={"gtol": 1e-12, "xtol": 1e-16, "barrier_tol": 1e-12, "maxiter": 5000},
            )
            assert r.success
            np.testing.assert_allclose(r.x, a.amounts, atol=1e-4 * budget)
            assert -r.fun == pytest.approx(a.value, rel=1e-5)
            x = np.maximum(r.x, 0.0)
            x *= budget / x.sum()
            projected = sum(v(c, xi) for c, xi in zip(acts, x, strict=True))
            assert projected <= a.value + 4 * np.finfo(float).eps * abs(a.value)

    @pytest.mark.parametrize(
        ("family", "params", "budget"),
        [
            ("diminishing", [(1e-12, 1e12), (1e12, 1e-12), (1, 1)], 1e12),  # a huge budget, rates at both ends
            ("diminishing", [(1e12, 1e12), (1e-12, 1e-12)], 1e12),  # first units worth 1e24 and 1e-24
            ("diminishing", [(1e-12, 1e12)] * 3, 1e12),  # every curve saturated: λ underflows to 0
            ("diminishing", [(1, 1e-12), (2, 1e-12)], 1e12),  # tiny rates: returns nearly linear
            ("diminishing", [(1, 1)] * 8, 1e-12),  # the smallest budget, eight ties
            ("log", [(1e12, 1e-12), (1e-12, 1e12)], 1e12),
            ("log", [(1e-12, 1e-12), (1e12, 1e12)], 1e-12),
            ("log", [(1e-12, 1e12)] * 2, 1e12),
            ("log", [(1e12, 1e12), (1e12, 1e-12), (1e-12, 1e-12)], 1e-12),
        ],
    )
    def test_extremes(self, family, params, budget):
        """Corners of the valid box: finite results, KKT, bounded work."""
        acts = tuple(al.Activity(f"a{i}", al.make_curve(family, *p)) for i, p in enumerate(params))
        a = al.allocate(acts, budget)
        for number in (a.lam, a.log_lam, a.value, a.budget_low, a.lam_per_budget, *a.amounts):
            assert math.isfinite(number)
        assert all(math.isfinite(s.amount_per_budget) and math.isfinite(s.marginal) for s in a.shares)
        assert_kkt(acts, a)
        assert a.iterations <= BRENTQ_MAXITER + al.NEWTON_STEPS
        sweep = al.budget_sweep(acts, 0, budget, n=11)
        assert np.isfinite(sweep.curve[["lam", "value"]].to_numpy()).all()

    def test_special_cases(self):
        # identical activities split evenly; equal first marginal values enter together
        acts = (al.Activity("a", al.Log(10, 5)), al.Activity("b", al.Log(10, 5)), al.Activity("c", al.Log(20, 10)))
        a = al.allocate(acts, 30)
        np.testing.assert_allclose(a.amounts, [7.5, 7.5, 15.0], rtol=1e-12)  # λ = 40/(30 + 20) = 0.8
        assert a.budget_low == 0.0
        assert a.budget_high == math.inf
        # a budget exactly at a breakpoint: the entering activity has 0 and no allowable increase
        acts = STUDY.activities()
        entry = al.allocate(acts, 1.0).shares[1].entry_budget
        a = al.allocate(acts, entry)
        assert a.funded == ("Maths",)
        assert a.allowable_increase == 0.0
        assert a.lam == pytest.approx(6.0, rel=1e-12)
        assert a.shares[1].reduced_gradient == pytest.approx(0.0, abs=1e-12)
        # mixed families in one split
        acts = (al.Activity("study", al.Diminishing(40, 0.3)), al.Activity("ads", al.Log(120, 10)))
        assert_kkt(acts, al.allocate(acts, 20))

    @pytest.mark.parametrize(
        ("budget", "error", "message"),
        [
            (0, ValueError, r"budget must be positive, got 0"),
            (-5, ValueError, r"budget must be positive, got -5"),
            (math.nan, ValueError, r"budget must be a finite number, got nan"),
            (math.inf, ValueError, r"budget must be a finite number, got inf"),
            (2e12, ValueError, r"budget must be between 1e-12 and 1e\+12, got 2e\+12"),
            (1e-13, ValueError, r"budget must be between 1e-12 and 1e\+12, got 1e-13"),
            ("abc", ValueError, r"budget must be a number, got 'abc'"),
            (True, TypeError, r"budget must be a number, got True"),
        ],
    )
    def test_input_validation(self, budget, error, message):
        with pytest.raises(error, match=message):
            al.allocate(STUDY.activities(), budget)

    def test_activities_validation(self):
        one = al.Activity("a", al.Log(1, 1))
        with pytest.raises(ValueError, match="between 2 and 8 activities, got 1"):
            al.allocate([one], 1)
        with pytest.raises(ValueError, match="between 2 and 8 activities, got 9"):
            al.allocate([al.Activity(f"a{i}", al.Log(1, 1)) for i in range(9)], 1)
        with pytest.raises(ValueError, match="activities 1 and 2 have the same name 'A'"):
            al.allocate([one, al.Activity("A", al.Log(2, 1))], 1)
        with pytest.raises(TypeError, match="activity 2 must be an Activity, got tuple"):
            al.allocate([one, ("b", 1, 1)], 1)
        with pytest.raises(TypeError, match="pass validate_table"):
            al.allocate(STUDY.table(), 1)


# --- The table: validation, link encoding -----------------------------------------------------


class Counting:
    """A cell that counts how often it is read."""

    reads = 0

    def __float__(self):
        Counting.reads += 1
        return 1.0


class TestValidateTable:
    def test_basic(self):
        acts = al.validate_table(STUDY.table(), "diminishing")
        assert acts == STUDY.activities()
        # case-insensitive columns, extra columns ignored, blank rows dropped, "$1,200" read
        t = pd.DataFrame(
            {
                "Name": ["Search", None, " Social ", ""],
                "WEIGHT": ["120", None, 150, None],
                "scale": ["$1,200", None, 1000, math.nan],
                "note": ["x", "y", "z", "w"],
            }
        )
        acts = al.validate_table(t, al.Family.LOG)
        assert [(a.name, a.curve.weight, a.curve.scale) for a in acts] == [
            ("Search", 120.0, 1200.0),
            ("Social", 150.0, 1000.0),
        ]

    @pytest.mark.parametrize(
        ("rows", "message"),
        [
            ([("Maths", 40, 0.3)], r"the table has 1 activities; between 2 and 8 are allowed"),
            ([(f"s{i}", 40, 0.3) for i in range(9)], r"the table has 9 activities; between 2 and 8"),
            ([(f"s{i}", 40, 0.3) for i in range(500)], r"the table has 500 rows; at most 8 activities are allowed"),
            ([(f"s{i}", 40, 0.3) for i in range(25)], r"the table has 25 rows; at most 8 activities are allowed"),
            ([("Maths", 40, 0.3), ("maths", 30, 0.2)], r"rows 1 and 2 have the same name 'maths'"),
            ([("Maths", 40, 0.3), ("", 30, 0.2)], r"row 2: the name is empty"),
            ([("Maths", 40, 0.3), ("x" * 41, 30, 0.2)], r"row 2: the name has 41 characters; at most 40"),
            ([("Maths", 40, 0.3), ("History", None, 0.2)], r"row 2 \('History'\): ceiling is missing"),
            (
                [("Maths", 40, 0.3), ("History", "lots", 0.2)],
                r"row 2 \('History'\): ceiling must be a number, got 'lots'",
            ),
            ([("Maths", 40, 0.3), ("History", True, 0.2)], r"row 2 \('History'\): ceiling must be a number, got True"),
            (
                [("Maths", 40, 0.3), ("History", -30, 0.2)],
                r"row 2 \('History'\): ceiling must be positive, got -30: the curve would be decreasing and not concave",
            ),
            (
                [("Maths", 40, -0.3), ("History", 30, 0.2)],
                r"row 1 \('Maths'\): rate must be positive, got -0.3: the curve would be decreasing",
            ),
            (
                [("Maths", 40, 0.3), ("History", 30, math.inf)],
                r"row 2 \('History'\): rate must be a finite number, got inf",
            ),
            ([("Maths", 40, 0.3), ("History", 30, 0)], r"row 2 \('History'\): rate must be positive, got 0: .*flat"),
        ],
    )
    def test_input_validation(self, rows, message):
        with pytest.raises(ValueError, match=message):
            al.validate_table(pd.DataFrame(rows, columns=["name", "ceiling", "rate"]), "diminishing")

    def test_missing_columns_and_family(self):
        with pytest.raises(
            ValueError, match=r"missing column\(s\) 'rate': a diminishing table needs 'name', 'ceiling', 'rate'"
        ):
            al.validate_table(pd.DataFrame({"name": ["a"], "ceiling": [1]}), "diminishing")
        with pytest.raises(ValueError, match=r"missing column\(s\) 'weight', 'scale': a log table needs"):
            al.validate_table(STUDY.table(), "log")
        with pytest.raises(ValueError, match="unknown curve family 'exp'"):
            al.validate_table(STUDY.table(), "exp")
        with pytest.raises(TypeError, match="expected a pandas DataFrame, got list"):
            al.validate_table([["a", 1, 1]], "log")

    def test_big_table_refused_before_reading_cells(self):
        Counting.reads = 0
        t = pd.DataFrame(
            {"name": [f"s{i}" for i in range(500)], "weight": [Counting()] * 500, "scale": [Counting()] * 500}
        )
        with pytest.raises(ValueError, match="500 rows"):
            al.validate_table(t, "log")
        assert Counting.reads == 0
        # the counter works: a small table does read its cells
        al.validate_table(t.head(2), "log")
        assert Counting.reads == 4


class TestEncodeDecode:
    @pytest.mark.parametrize("preset", ["study", "ads"])
    def test_basic(self, preset):
        p = al.PRESETS[preset]
        text = al.encode_activities(p.table(), p.family)
        back = al.decode_activities(text, p.family)
        pd.testing.assert_frame_equal(back, p.table(), check_dtype=False)
        assert al.validate_table(back, p.family) == p.activities()
        assert al.encode_activities(back, p.family) == text

    def test_special_names_and_blanks(self):
        t = pd.DataFrame({"name": ["a,b:c", "100% Ünï", None], "weight": [1.5, None, 3], "scale": [2, 3, None]})
        text = al.encode_activities(t, "log")
        assert text == "a%2Cb%3Ac:1.5:2,100%25 %C3%9Cn%C3%AF::3,:3:"
        back = al.decode_activities(text, "log")
        assert back.name.tolist() == ["a,b:c", "100% Ünï", ""]
        assert back.weight.tolist()[::2] == [1.5, 3.0]
        assert math.isnan(back.weight[1])

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.text(alphabet=string.printable + "éß€☃,:%", min_size=1, max_size=40), min_size=1, max_size=8))
    def test_any_names_round_trip(self, names):
        """Any names travel, escaped (UTF-8, %XX) so that only the separators are bare; None
        exactly when the text would be longer than a link carries."""
        t = pd.DataFrame({"name": names, "ceiling": np.arange(1.0, len(names) + 1), "rate": 0.25})
        text = al.encode_activities(t, "diminishing")
        expected = ",".join(f"{quote(n, safe=' ') if n.strip() else ''}:{i}:0.25" for i, n in enumerate(names, start=1))
        if len(expected) > tables.MAX_LINK_CHARS:
            assert text is None
            return
        assert text == expected
        assert text.count(",") == len(names) - 1
        assert text.count(":") == 2 * len(names)
        back = al.decode_activities(text, "diminishing")
        assert back.name.tolist() == [n if n.strip() else "" for n in names]  # blank names stay blank
        np.testing.assert_array_equal(back.ceiling, t.ceiling)

    def test_cannot_encode(self):
        assert al.encode_activities(pd.DataFrame({"name": ["a"], "weight": ["lots"], "scale": [1]}), "log") is None
        assert al.encode_activities(STUDY.table(), "log") is None  # the wrong columns
        big = pd.DataFrame({"name": ["x" * 40] * 40, "ceiling": 1.0, "rate": 1.0})
        assert al.encode_activities(big, "diminishing") is None  # longer than a link carries

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("Maths", r"row 1 of the table in the link has no numbers"),
            ("Maths:40", r"row 1 of the table in the link has 1 cells, not 2"),
            ("Maths:40:0.3,History:x:1", r"row 2 of the table in the link has 'x', not a number"),
            ("a:1:1," * 400, r"characters long; at most 1,500 are read"),
            (",".join(["a:1:1"] * 49), r"has 49 rows; a link carries at most 48"),
        ],
    )
    def test_input_validation(self, text, message):
        with pytest.raises(ValueError, match=message):
            al.decode_activities(text, "diminishing")

    def test_empty_link_is_an_empty_table(self):
        t = al.decode_activities("", "log")
        assert list(t.columns) == ["name", "weight", "scale"]
        assert len(t) == 0
        with pytest.raises(ValueError, match="the table has 0 activities"):
            al.validate_table(t, "log")
        assert tables.MAX_LINK_ROWS >= al.MAX_ACTIVITIES


# --- Curves for charts ------------------------------------------------------------------------


class TestBudgetSweep:
    def test_basic(self):
        acts = STUDY.activities()
        s = al.budget_sweep(acts, 0, 30, n=31)
        c = s.curve
        assert list(c.columns) == ["budget", "lam", "value", "funded"]
        assert c.budget.is_monotonic_increasing
        assert c.lam.is_monotonic_decreasing
        assert (np.diff(c.lam) < 0).all()  # strictly falling
        assert (np.diff(c.value) > 0).all()
        entries = sorted({x.entry_budget for x in al.allocate(acts, 1).shares} - {0.0})
        for e in entries:  # the breakpoints are rows, so the kinks are exact
            assert (c.budget == e).any()
        assert c.iloc[0].tolist() == [0.0, 12.0, 0.0, 0]  # B → 0: λ is the best first unit
        for _, row in c.iloc[1:].iterrows():
            a = al.allocate(acts, row.budget)
            assert row.lam == a.lam
            assert row.value == a.value
            assert row.funded == len(a.funded)
        amounts = s.amounts.pivot(index="budget", columns="name", values="amount")
        np.testing.assert_allclose(amounts.sum(axis=1), amounts.index, rtol=1e-12)
        assert len(s.amounts) == 3 * len(c)

    def test_input_validation(self):
        acts = STUDY.activities()
        with pytest.raises(ValueError, match="lo must be a finite number >= 0, got -1"):
            al.budget_sweep(acts, -1, 10)
        with pytest.raises(ValueError, match="hi must be greater than lo, got lo=10, hi=5"):
            al.budget_sweep(acts, 10, 5)
        with pytest.raises(ValueError, match=r"hi must be between 1e-12 and 1e\+12, got 1e\+13"):
            al.budget_sweep(acts, 0, 1e13)
        with pytest.raises(ValueError, match="n must be an integer from 2 to 2001, got 100000"):
            al.budget_sweep(acts, 0, 10, n=100_000)


class TestMarginalCurves:
    def test_basic(self):
        acts = ADS.activities()
        m = al.marginal_curves(acts, 3000, n=7)
        assert list(m.columns) == ["name", "amount", "value", "marginal"]
        assert len(m) == 21
        for act in acts:
            part = m[m.name == act.name]
            np.testing.assert_allclose(part.marginal, [dv(act, x) for x in part.amount], rtol=1e-14)
            np.testing.assert_allclose(part.value, [v(act, x) for x in part.amount], rtol=1e-14)
        with pytest.raises(ValueError, match="n must be an integer from 2 to 2001, got 1"):
            al.marginal_curves(acts, 10, n=1)


# --- A visitor's split ------------------------------------------------------------------------


def brute_best_move(acts, x):
    """The best single move over all ordered pairs, by a bounded scalar search on each pair."""
    best = (0.0, None, None, 0.0)
    for s in range(len(acts)):
        for t in range(len(acts)):
            if s == t or x[s] <= 0:
                continue

            def loss(d, s=s, t=t):
                return -(v(acts[t], x[t] + d) - v(acts[t], x[t]) + v(acts[s], x[s] - d) - v(acts[s], x[s]))

            r = minimize_scalar(loss, bounds=(0, x[s]), method="bounded", options={"xatol": 1e-12 * x[s]})
            d = r.x if -loss(r.x) >= -loss(x[s]) else x[s]
            if -loss(d) > best[0]:
                best = (-loss(d), s, t, d)
    return best


class TestCompare:
    def test_basic(self):
        """Six hours of Maths and History, none of French: the move from History to French
        balances their marginal values, closed form d = (ln(Mₜkₜ) − ln(Mₛkₛ) + kₛxₛ − kₜxₜ)/(kₛ + kₜ)."""
        acts = STUDY.activities()
        c = al.compare(acts, [6, 6, 0])
        assert c.budget == 12.0
        assert c.value == pytest.approx(v(acts[0], 6) + v(acts[1], 6), rel=1e-14)
        assert c.gap == pytest.approx(al.allocate(acts, 12).value - c.value, rel=1e-12)
        assert c.verdict is al.Verdict.IMPROVABLE
        m = c.move
        assert (m.source, m.target, m.source_index, m.target_index) == ("History", "French", 1, 2)
        assert m.kind is al.MoveKind.BALANCED
        d = (math.log(2.5) - math.log(6) + 0.2 * 6 - 0.1 * 0) / (0.2 + 0.1)
        assert m.amount == pytest.approx(d, rel=1e-10)
        assert m.gain == pytest.approx(v(acts[2], d) + v(acts[1], 6 - d) - v(acts[1], 6), rel=1e-10)
        assert m.source_marginal == pytest.approx(m.target_marginal, rel=1e-12)
        assert c.marginals == pytest.approx((dv(acts[0], 6), dv(acts[1], 6), 2.5), rel=1e-14)
        # log curves: d = (aₜ(sₛ + xₛ) − aₛ(sₜ + xₜ)) / (aₜ + aₛ)
        c = al.compare(ADS.activities(), [500, 2000, 500])
        m = c.move
        assert (m.source, m.target) == ("Social", "Search")
        assert m.amount == pytest.approx((120 * (1000 + 2000) - 150 * (400 + 500)) / 270, rel=1e-10)

    def test_best_move_over_all_pairs(self):
        """The reported move is the most valuable single move (checked by brute force), also when
        the activity with the lowest marginal value has little to give."""
        acts = STUDY.activities()
        # French has the lowest marginal value (2.38) but only 0.5 h: moving all of it to Maths
        # (12 points an hour) gains less than moving 2.39 h from History (3.64) to Maths.
        c = al.compare(acts, [0, 2.5, 0.5])
        lowest = int(np.argmin(c.marginals))
        assert acts[lowest].name == "French"
        assert (c.move.source, c.move.target, c.move.kind) == ("History", "Maths", al.MoveKind.BALANCED)
        gain, s, t, _ = brute_best_move(acts, [0, 2.5, 0.5])
        assert (s, t) == (1, 0)
        assert c.move.gain == pytest.approx(gain, rel=1e-8)
        french_all = v(acts[0], 0.5) - v(acts[2], 0.5)
        assert c.move.gain > 2 * french_all > 0
        d = (math.log(12) - math.log(6) + 0.2 * 2.5) / (0.3 + 0.2)  # where the pair's marginals meet
        assert c.move.amount == pytest.approx(d, rel=1e-10)
        # random splits: always the brute-force best pair and gain
        rng = np.random.default_rng(17)
        for _ in range(20):
            acts, budget = random_problem(rng, "mixed")
            x = rng.dirichlet(np.ones(len(acts))) * budget
            x[rng.random(len(acts)) < 0.3] = 0.0
            if x.sum() <= 0:
                continue
            c = al.compare(acts, x)
            gain, s, t, d = brute_best_move(acts, x)
            if c.verdict is al.Verdict.BEST:
                assert gain <= 1e-8 * abs(c.best.value)
                continue
            assert c.move.gain == pytest.approx(gain, rel=1e-6)
            assert c.move.gain >= gain * (1 - 1e-12)
            assert c.gap >= c.move.gain * (1 - 1e-12)  # one move never beats the best split

    def test_special_cases(self):
        acts = STUDY.activities()
        # the best split itself: no move
        best = al.allocate(acts, 12)
        c = al.compare(acts, best.amounts)
        assert c.verdict is al.Verdict.BEST
        assert c.move is None
        assert c.gap == pytest.approx(0.0, abs=1e-12)
        # the whole source moves when the target stays worth more per unit
        c = al.compare(acts, [11.5, 0.5, 0])
        m = c.move
        assert (m.source, m.target, m.kind) == ("Maths", "History", al.MoveKind.BALANCED)
        c = al.compare((acts[0], acts[2]), [3, 0.2])
        assert (c.move.source, c.move.target, c.move.kind) == ("French", "Maths", al.MoveKind.ALL)
        assert c.move.amount == 0.2
        assert c.move.target_marginal > c.move.source_marginal == 2.5
        assert c.move.gain == pytest.approx(c.gap, rel=1e-12)  # with two activities, one move is the best

    @pytest.mark.parametrize(
        ("amounts", "message"),
        [
            ([1, 2], r"amounts has 2 values for 3 activities"),
            ([1, -2, 3], r"the amount for 'History' must be a finite number >= 0, got -2"),
            ([1, math.nan, 3], r"the amount for 'History' must be a finite number >= 0, got nan"),
            ([0, 0, 0], r"the total of the amounts must be positive, got 0"),
            ([1, "x", 3], r"amounts must be numbers"),
            ([1e12, 1e12, 0], r"the total of the amounts must be between 1e-12 and 1e\+12, got 2e\+12"),
        ],
    )
    def test_input_validation(self, amounts, message):
        with pytest.raises(ValueError, match=message):
            al.compare(STUDY.activities(), amounts)


# --- Presets and the page's one call ----------------------------------------------------------


class TestPresets:
    @pytest.mark.parametrize("key", ["study", "ads"])
    def test_basic(self, key):
        p = al.PRESETS[key]
        acts = al.validate_table(p.table(), p.family)
        assert acts == p.activities()
        lo, hi, step = p.budget_range
        assert lo <= p.budget <= hi
        assert step > 0
        a = al.allocate(acts, p.budget)
        assert len(a.funded) == 3  # the default funds all three, the last one a little
        assert min(a.amounts) < 0.15 * p.budget
        assert al.allocate(acts, lo).funded != a.funded  # the slider's low end leaves some out
        t = p.table()
        t.loc[0, "name"] = "changed"
        assert p.table().loc[0, "name"] != "changed"  # a fresh table every time


class TestAnalyse:
    def test_basic(self):
        r = al.analyse(STUDY.table(), "diminishing", 12, amounts=[6, 6, 0], n=21)
        assert r.family is al.Family.DIMINISHING
        assert r.activities == STUDY.activities()
        assert r.allocation == al.allocate(STUDY.activities(), 12)
        assert r.sweep.curve.budget.max() == 24
        assert r.sweep.curve.budget.min() == 0
        assert r.comparison == al.compare(STUDY.activities(), [6, 6, 0])
        assert r.curves.amount.max() == 12
        r = al.analyse(ADS.table(), "log", 3000, budget_range=(100, 5000))
        assert r.comparison is None
        assert r.sweep.curve.budget.iloc[[0, -1]].tolist() == [100, 5000]

    def test_input_validation(self):
        with pytest.raises(ValueError, match=r"row 2 \('History'\): ceiling must be positive"):
            al.analyse(STUDY.table().assign(ceiling=[40, -30, 25]), "diminishing", 12)
        with pytest.raises(ValueError, match="budget must be positive, got 0"):
            al.analyse(STUDY.table(), "diminishing", 0)
