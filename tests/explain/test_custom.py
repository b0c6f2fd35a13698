"""The words of "Your own function" (explain/custom.py): the sentences that used to live in
optimizers/custom.py and app_pages/custom.py, and property tests over formulas from the
page's grammar that check every sentence against the numbers."""

import math
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from explain import custom as ec
from explain.engine import number
from optimizers import certify
from optimizers.certify import Certificate, NotCertifiable, Refusal, Stop
from optimizers.custom import NoSensitivity, analyse, analyse_function, certification_inputs, holes, verdict
from optimizers.expression import ExpressionError, curvature_limits, limits, prepare
from tests.explain.formulas import FORMULAS, INTERVALS, read


class TestAnswer:
    def test_basic(self):
        r = analyse_function("x^2 - 10x + 100", 0, 10, "min")
        assert ec.answer(r, verdict(r)) == "Interior minimum at x = 5: f′ = 0 there and f″ = 2 > 0."
        assert ec.metrics(r, verdict(r))[:2] == [("Global minimum", "75", None), ("Reached at", "x = 5", None)]

    def test_cusp_and_kink(self):
        r = analyse_function("abs(x)^0.5", -1, 1, "min")
        assert "cusp" in ec.answer(r, verdict(r))
        r = analyse_function("abs(x)", -1, 1, "min")
        table = ec.table(r, verdict(r))
        assert table.loc[table.x == 0, "note"].item() == "global min, min (kink)"
        assert "| 0 | 0 | min (kink); first-derivative |" in ec.points_markdown(r)

    def test_rounding_noise_is_zero(self):
        """The quotient preset: brentq's x ~ -2e-16 is written 'x = 0'."""
        r = analyse_function("x^2 / (x + 1)", -0.5, 3, "min")
        assert "x = 0:" in ec.answer(r, verdict(r))
        table = ec.table(r, verdict(r))
        best = table.loc[table.note.str.contains("global min")]
        assert (best.x.item(), best.f.item()) == (0.0, 0.0)

    def test_boundary_optimum_note(self):
        r = analyse_function("sin(x) + 0.1x", 0, 20, "max")
        table = ec.table(r, verdict(r))
        assert table.loc[table.note.str.contains("global max")].x.tolist() == [20.0]
        assert ec.metrics(r, verdict(r))[1] == ("Reached at", "x = 20 (boundary)", None)

    def test_ties(self):
        """Issue 19, item 4."""
        r = analyse_function("x**3-3*x", -2, 3, "min")
        v = verdict(r)
        assert ec.metrics(r, v)[1] == ("Reached at", "x = −2 and 1", "Every place: x = −2 (boundary) and x = 1.")
        assert "reached at x = −2 and x = 1" in ec.answer(r, v)
        assert ec.optimum_label(r, v) == "min at −2 and 1"
        table = ec.table(r, v)
        assert table.loc[table.note.str.contains("global min")].x.tolist() == [-2.0, 1.0]

    def test_many_ties_are_counted(self):
        r = analyse_function("sin(x)", 0, 100, "max")
        _, value, help_ = ec.metrics(r, verdict(r))[1]
        assert value == "16 places"
        assert help_.startswith("Every place: x = 1.5708, x = 7.85398")

    def test_removable_singularity(self):
        """Issue 19, item 4: sin(x)/x on [−10, 10] is 1 at 0, in the limit."""
        r = analyse_function("sin(x)/x", -10, 10, "max")
        v = verdict(r)
        assert ec.limits(r) == "f is undefined at x = 0; its limit there, 1, is used."
        assert ec.metrics(r, v)[1] == ("Reached at", "x = 0 (limit)", None)
        text = ec.answer(r, v)
        assert "f′ tends to 0 and f″ to −0.333333 < 0 as x → 0" in text
        assert "comes as close to 1 as you like near x = 0 without reaching it there" in text
        assert ec.table(r, v).loc[lambda t: t.x == 0, "note"].item() == "global max, max, limit (f undefined)"

    def test_overflow_note(self):
        r = analyse_function("x**100", 0, 1e6, "min")
        assert ec.overflow_note(r).startswith("f is above 1.8e+302")
        assert "so the minimum cannot be there: the search covers [0, 1053.29]" in ec.overflow_note(r)


class TestProblems:
    def test_undefined(self):
        r = analyse_function("log(x)", -1, 2, "max")
        text = ec.problem(r)
        assert "−1 ≤ x ≤ 0" in text
        assert "Try the interval [0.02, 2]" in text
        assert "x = 1" in ec.problem(analyse_function("1/(x-1)", 0, 3, "min"))

    def test_overflow(self):
        assert "overflow" in ec.problem(analyse_function("exp(exp(exp(x)))", 0, 5, "max"))

    def test_derivative_overflow(self):
        text = ec.problem(analyse_function("1/(1 + exp(-x))", -1000, 0, "max"))
        assert "overflow" in text
        assert "not continuous" not in text

    def test_messages_for_the_visitor(self):
        assert ec.bad_interval(5, 1) == "The interval needs 'from' < 'to'; got from 5 to 1."
        with pytest.raises(ExpressionError) as info:
            analyse_function("y", 0, 1)
        assert ec.cannot_use(str(info.value)).startswith("Cannot use this formula: unknown name \\'y\\'")


class TestCertificate:
    def test_badge_and_detail(self):
        r = analyse_function("x^2 - 10x + 100", 0, 10, "min")
        v = verdict(r, Certificate(True, "min", 5.0, 75.0, 7e-8, 1e-7, 59, 0.01))
        assert ec.badge(r, v) == ("Certified: nothing in [0, 10] is below 75 − 7e−08", True)
        assert ec.detail(r, v) == "Interval arithmetic (mpmath iv): 59 cells, 0.01 s of CPU."

    def test_not_certified(self):
        r = analyse_function("sin(x) + sin(10x/3)", 0, 1000, "min")
        parsed = prepare("sin(x) + sin(10x/3)")
        from optimizers.custom import certification_inputs

        c = certify.certify(parsed, 0, 1000, "min", *certification_inputs(r), max_cells=20)
        v = verdict(r, c)
        assert ec.badge(r, v) == ("Not certified", False)
        text = ec.detail(r, v)
        assert "the search needs more than 20 cells: try a narrower interval" in text
        assert (
            "What it did prove: nothing in [0, 1,000] is below" in text
            or "What it did prove: nothing in [0, 1000] is below" in text
        )

    def test_refused_and_unavailable(self):
        r = analyse_function("sin(x)/x", -10, 10, "min")
        v = verdict(r, NotCertifiable(Refusal.SINGULAR, x=0.0))
        assert ec.badge(r, v) == ("Not certified", False)
        assert ec.detail(r, v).startswith("Not certified: f is undefined at x = 0 inside the interval")
        v = verdict(r)
        assert ec.badge(r, v) is None
        assert ec.badge(r, v, ec.BUSY) == ("Not certified", False)
        assert ec.detail(r, v, ec.BUSY) == f"Not certified: {ec.BUSY}."

    def test_a_well_found_by_the_search(self):
        r = analyse_function("cos(x) - exp(-1e6*(x - 2.0125)^2)", -10, 10, "min")
        c = Certificate(True, "min", 2.0125000004, -1.42748, 1e-10, 1e-9, 800, 0.5, improved=True)
        text = ec.answer(r, verdict(r, c))
        assert "found by the certified search" in text
        assert "(the scan's best was f = −1 at x = " in text

    def test_stop_words(self):
        c = Certificate(False, "min", 0.0, 0.0, math.inf, 1e-9, 3, 0.1, stop=Stop.UNBOUNDED)
        r = analyse_function("x^2", -1, 1, "min")
        assert "could not bound f at an end" in ec.detail(r, verdict(r, c))
        assert "What it did prove" not in ec.detail(r, verdict(r, c))


class TestSensitivityWords:
    @pytest.mark.parametrize(
        ("status", "words"),
        [
            (NoSensitivity.NOT_SMOOTH, "kink"),
            (NoSensitivity.ZERO_CURVATURE, "f″ = 0"),
            (NoSensitivity.FLAT, "flat"),
            (NoSensitivity.TIED, "reached at several places"),
            (NoSensitivity.SINGULAR, "its limit is used"),
            (NoSensitivity.NARROW_WELL, "narrower than the engine's grid"),
            (NoSensitivity.NO_PARAMETER, "needs a formula with the parameter a"),
        ],
    )
    def test_every_reason(self, status, words):
        assert words in ec.no_sensitivity(status)

    def test_budget_first(self):
        assert ec.no_sensitivity(NoSensitivity.TIED, "These settings need about 9.9 CPU-seconds").endswith(
            "CPU-seconds"
        )
        assert ec.no_sensitivity(None) == ""


def test_preset_caption_has_no_seed():
    """Issue 19, item 8."""
    text = ec.preset_caption("Ad spend", "2*x - 10", False, None) + ec.PRESETS_CAPTION + ec.STORY
    assert "seed" not in text.lower()
    assert "the tutorial gives f′(x) = 2*x - 10 — could not check it right now" in text


# --- every sentence true for every input ------------------------------------------------------

#: No shrinking: each example runs sympy, and a failure is printed as found.
PHASES = (Phase.explicit, Phase.reuse, Phase.generate)
_PLACE = re.compile(r"x = ([−\-]?[\d.]*\d(?:e[+−\-]\d+)?)( \((?:boundary|limit)\))?")


def _report(text, lo, hi, goal):
    try:
        parsed = prepare(text)
    except ExpressionError:
        return None, None
    found = limits(parsed, holes(parsed, lo, hi), lo, hi)
    return parsed, analyse(parsed, lo, hi, goal, limits=curvature_limits(parsed, found, lo, hi))


def _values(parsed, x):
    f = parsed.callables()[0]
    with np.errstate(all="ignore"):
        y = np.asarray(f(np.asarray(x, dtype=float)), dtype=complex)
    return np.where(np.abs(y.imag) <= 1e-12 * np.abs(y.real), y.real, np.nan)


def _outside(parsed, t) -> bool:
    """Is some point of t outside f's domain by the page's own rule (a log of a number <= 0, a
    root of a negative number, a division by 0), whatever floating point makes of f there?"""
    for kind, fn in parsed.watch_callables():
        with np.errstate(all="ignore"):
            u = np.real(np.asarray(fn(np.asarray(t, dtype=float)), dtype=complex))
        scale = np.abs(u).max(initial=1.0)
        if kind == "positive" and (u <= 1e-12 * scale).any():
            return True
        if kind == "nonnegative" and (u < 0).any():
            return True
        if kind == "nonzero" and (np.abs(u) <= 1e-12 * scale).any():
            return True
    return False


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow], phases=PHASES)
@given(FORMULAS, INTERVALS, st.sampled_from(["min", "max"]))
def test_every_sentence_of_the_page_is_true(text, interval, goal):
    check_page(text, *interval, goal)


@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow], phases=PHASES)
@given(FORMULAS, INTERVALS, st.sampled_from(["min", "max"]))
def test_every_certificate_the_page_states_is_true(text, interval, goal):
    check_page(text, *interval, goal, certified=True)


def _certificate(parsed, r, lo, hi, goal):
    try:
        _, cells = certify.certify_cost(parsed)
        args = (parsed, lo, hi, goal, *certification_inputs(r))
        return certify.certify(*args, max_cells=min(cells, 2000), seconds=0.5, limits=r.limit_points)
    except NotCertifiable as exc:
        return exc


def check_page(text, lo, hi, goal, certified=False):
    """Every sentence, metric and label the page writes for f on [lo, hi] is true (with the
    certified search's badge and fine print when ``certified``)."""
    parsed, r = _report(text, lo, hi, goal)
    if r is None:
        return
    cert = _certificate(parsed, r, lo, hi, goal) if certified and r.optimum is not None and not r.optimum.flat else None
    v = verdict(r, cert) if r.optimum is not None else None
    if cert is not None:
        _check_certificate(parsed, r, v, lo, hi, goal)
    words = [ec.problem(r), ec.limits(r), ec.overflow_note(r), ec.kinks(r)]
    metrics = ec.metrics(r, v)
    words += [m[1] for m in metrics] + [m[2] or "" for m in metrics]
    if v is not None:
        words += [ec.answer(r, v), ec.optimum_label(r, v), ec.points_markdown(r)]
    page = " ".join(words)
    assert "nan" not in page.lower().split()
    assert not re.search(r"\binf\b", page)
    assert not re.search(r"(?<![A-Za-z])-\d", page)  # numbers carry the one minus sign
    label, value, _ = metrics[0]
    assert label == ("Global minimum" if goal == "min" else "Global maximum")
    count = metrics[2][1]
    assert count.rstrip("+") == str(len(r.points))
    assert count.endswith("+") == (r.optimum is not None and not r.optimum.complete)

    if r.problem is not None:  # no optimum: the reason must hold
        assert value == "—"
        for a, b in r.gaps:  # f is undefined (or too large) there
            t = np.array([a, 0.5 * (a + b), b])
            y = _values(parsed, t)
            big = np.abs(np.where(np.isfinite(y), y, np.inf)).max() > 1e12  # a pole next to a float (cos(pi/2) = 6e-17)
            assert big or _outside(parsed, t) or "f′" in ec.problem(r), (text, a, b)
        if r.suggestion is not None:  # the suggested interval is clear of them
            p, q = r.suggestion
            assert lo <= p < q <= hi
        return

    # an optimum: its value, where it is reached, and that nothing beats it
    opt, sign = r.optimum, (1.0 if goal == "max" else -1.0)
    assert read(value) == pytest.approx(r.shown_f(v.fun), rel=1e-5, abs=1e-300)
    places = [(read(x), tag) for x, tag in _PLACE.findall(metrics[1][2] or metrics[1][1])]
    shown_xs = v.xs or (v.x,)
    assert [x for x, _ in places][: len(shown_xs)] == [pytest.approx(x, rel=1e-5, abs=1e-12) for x in shown_xs][
        : len(places)
    ]
    for (_, tag), exact_x in zip(places, shown_xs, strict=False):
        limit = r.limit_at(exact_x) is not None or any(abs(exact_x - lim.x) <= 1e-12 for lim in r.limits)
        edge = exact_x in (r.shown_x(lo), r.shown_x(hi))
        assert (tag == " (boundary)") == (edge and (len(shown_xs) > 1 or v.at_boundary))
        assert (tag == " (limit)") == (limit and not edge)
        y = (
            float(_values(parsed, exact_x))
            if not limit
            else next(lim.value for lim in r.limits if abs(lim.x - exact_x) <= 1e-12)
        )
        assert y == pytest.approx(opt.fun, rel=1e-9, abs=1e-9 * max(1.0, r.f_scale))
    if opt.complete and not r.overflow:
        grid = np.linspace(lo, hi, 4001)
        y = _values(parsed, grid)
        y = y[np.isfinite(y)]
        best = y.max() if goal == "max" else y.min()
        assert sign * best <= sign * opt.fun + 1e-7 * max(1.0, r.f_scale), (text, lo, hi, goal)
    answer = ec.answer(r, v)
    if opt.flat:
        assert "flat" in answer
    elif len(opt.xs) > 1:
        assert "is reached at" in answer
    elif answer.startswith("Interior"):
        assert lo < opt.x < hi
    elif "on the boundary" in answer:
        assert opt.x in (lo, hi)
        assert f"at the {'lower' if opt.x == lo else 'upper'} end" in answer
    for lim in r.limits:
        assert f"f is undefined at x = {number(lim.x)}; its limit there, {number(lim.value)}, is used." in ec.limits(r)
        for side in (-1.0, 1.0):  # f tends to the limit: closer and closer, from each side inside [lo, hi]
            t = lim.x + side * np.array([1e-3, 1e-6, 1e-9]) * max(1.0, abs(lim.x))
            if not (lo <= t[0] <= hi):
                continue
            gap = np.abs(_values(parsed, t) - lim.value)
            assert gap[-1] <= 1e-3 * max(1.0, abs(lim.value)), (text, lim)
            assert gap[-1] <= gap[0] + 1e-12


def _check_certificate(parsed, r, v, lo, hi, goal):
    """The badge says certified only with a claim that a dense grid cannot contradict; the
    answer shown is f's value where it is shown."""
    badge = ec.badge(r, v)
    text = " ".join([badge[0], ec.detail(r, v)])
    assert "nan" not in text.lower().split()
    if not badge[1]:
        assert badge[0] == "Not certified"
        return
    claim = re.search(r"is (below|above) (\S+)(?: ([−+]) (\S+))?$", badge[0])
    bound = read(claim.group(2))
    tol = read(claim.group(4)) if claim.group(4) else 0.0
    grid = np.linspace(lo, hi, 4001)
    y = _values(parsed, grid)
    y = y[np.isfinite(y)]
    slack = 1e-9 * max(1.0, abs(bound)) + 1e-6 * max(1.0, abs(bound)) * 0  # the claim's own 6 digits
    shown_digits = 10 ** (math.floor(math.log10(max(abs(bound), 1e-300))) - 5) if bound else 1e-300
    if claim.group(1) == "below":
        assert y.min() >= bound - tol - shown_digits - slack, (r.text, lo, hi)
    else:
        assert y.max() <= bound + tol + shown_digits + slack, (r.text, lo, hi)
    if v.improved:
        assert float(_values(parsed, v.x)) == pytest.approx(v.fun, rel=1e-9, abs=1e-12)
