"""The Study page's words (explain.study): the sentences the page has always shown, and every
sentence checked against the numbers over every slider's range and both score models."""

import math
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from explain import study as ex
from explain import study as ex_study
from explain.format import num
from optimizers import goalseek as gs
from optimizers import study as sm
from optimizers import study as sm_study

TUTORIAL = sm.diminishing(100, 0.3, 2)


def words(r: sm.StudyResult) -> str:
    """Every word the page shows about one result, as a reader sees it (escapes removed)."""
    shown = " ".join(text for _, text in ex.answer(r))
    shown += " " + " ".join(f"{m.label} {m.value} {m.help}" for m in ex.metrics(r))
    shown += " " + " ".join(label for *_, label in ex.markers(r))
    return re.sub(r"\\(.)", r"\1", shown.replace("**", ""))


class TestSentences:
    """The sentences the page showed before its words moved here, unchanged."""

    def test_the_tutorial(self):
        r = sm.analyse(TUTORIAL, 15, 16)
        assert ex.closed_form(r) == "Closed form: h* = ln(M·k/c)/k = ln(15)/0.3 = 9.0268 h."
        assert ex.verdict(r).startswith("Study less: at 15.00 h the next hour is worth −1.67 points (after fatigue).")
        assert ex.boundary_text(r) == ""
        assert "f″ = −0.6 < 0 at hours = 9.03 h" in ex.curvature_text(r)  # −M·k²·e^(−k·h*) = −9/15
        boxes = ex.answer(r)
        assert [kind for kind, _ in boxes] == ["caption", "markdown", "success"]
        assert boxes[-1].text.startswith("**Study less:**")

    def test_boundaries(self):
        assert "every hour costs more than it earns" in ex.boundary_text(
            sm.analyse(sm.diminishing(100, 0.3, 30), 5, 16)
        )
        assert "still rising at 16 hours" in ex.boundary_text(sm.analyse(sm.diminishing(100, 0.05, 2), 5, 16))

    def test_plan_beyond_the_limit(self):
        note = ex.plan_note(sm.analyse(sm.diminishing(100, 0.3, 0), 24, 16))
        assert "scores 0.7 points more than the best plan within that limit" in note
        assert "only because it breaks the limit" in note
        r = sm.analyse(TUTORIAL, 20, 16)
        assert ex.plan_note(r) == "You plan 20.00 h, more than the longest day you allowed (16.00 h)."

    def test_score_below_zero_is_said_in_words(self):
        note = ex.score_note(sm.analyse(sm.diminishing(100, 0.3, 20), 24, 24))
        assert "effective score is below zero (−380.1)" in note
        assert "fatigue costs 480.0 points, more than the 99.9 that studying earns" in note
        note = ex.score_note(sm.analyse(sm.quadratic(-1, 0, -20), 5, 16))
        assert "S(h) is below zero (−45.0)" in note
        assert "Even the best plan's score is below zero (−20.0)" in note
        assert ex.score_note(sm.analyse(TUTORIAL, 15, 16)) == ""

    def test_good_plan(self):
        r = sm.analyse(TUTORIAL, 9, 16)
        assert ex.verdict(r) == "Good plan. 9.00 h is within 0.05 points of the best score."
        assert ex.answer(r)[-1].text.startswith("**Good plan.**")


class TestIssue19:
    def test_the_quadratic_model_help_says_no_seed(self):
        """The model's help read "quadratic: the seed's S(h) = a·h² + b·h + c"."""
        assert "seed" not in ex.MODEL_HELP.lower()
        assert "S(h) = a·h² + b·h + c" in ex.MODEL_HELP

    @pytest.mark.parametrize(
        ("model", "max_hours"),
        [(sm.diminishing(100, 0.3, 0), 16), (sm.quadratic(1, -4, 0), 10), (sm.quadratic(0, 2, 0), 10)],
    )
    def test_no_turning_point_is_promised_where_there_is_none(self, model, max_hours):
        """Without fatigue (or with a score that never bends down) the marginal gain never
        reaches zero: "Allow longer days to see where the marginal gain reaches zero" was false."""
        text = ex.boundary_text(sm.analyse(model, 1, max_hours))
        assert "reaches zero" not in text
        assert "keeps rising without end" in text

    def test_a_dip_is_not_called_a_fall(self):
        """S(h) = h² − 4h on [0, 3]: best at 0 h, but the score rises again after 2 h; "only falls" was false."""
        text = ex.boundary_text(sm.analyse(sm.quadratic(1, -4, 0), 1, 3))
        assert "only falls" not in text
        assert "dips and then rises" in text


# --- every sentence against the numbers ---------------------------------------------------------


def slider(key: str):
    lo, hi, step = sm.RANGES[key]
    return st.integers(0, round((hi - lo) / step)).map(lambda k: round(lo + k * step, 10))


def check(r: sm.StudyResult) -> None:
    """Every sentence about ``r`` is true of its numbers."""
    shown, model, opt, h = words(r), r.model, r.optimum, r.hours
    assert not re.search(r"\d[eE][+\-−]?\d", shown), shown
    assert not re.search(r"[+−]0(?:\.0+)?(?![.\d])", shown), shown  # no signed zero
    assert "nan" not in shown
    assert "seed" not in shown.lower()

    # the metrics
    metric = {m.label: m.value for m in ex.metrics(r)}
    assert metric["Optimal study hours"] == num(opt.x, 2, "h")
    assert metric["Points lost"] == num(r.points_lost, 1)
    assert not metric["Points lost"].startswith("−")
    for label, value in (("Best effective score", opt.fun), ("Score at your hours", r.score_at_hours)):
        assert (metric[label] == "below 0") == (round(value, 1) < 0)

    # the verdict: "Good plan" only within 0.05 points, "Study more/less" in the right direction
    said = ex.verdict(r)
    lost = opt.fun - r.score_at_hours
    if "Good plan" in said:
        assert h <= r.max_hours
        assert lost < 0.05
    if said.startswith("Study more"):
        assert opt.x > h
        assert lost >= 0.05
        assert model.f(min(h + 1e-3, r.max_hours)) > model.f(h) or "dips before it rises" in said
    if said.startswith("Study less"):
        assert opt.x < h
        assert lost >= 0.05
        assert model.f(max(h - 1e-3, 0.0)) > model.f(h) or "dips before it rises" in said
    if said.startswith("Study"):
        assert f"gains {num(r.points_lost, 1)} points" in said
        worth = re.search(r"the next hour is worth ([+−]?[\d.,]+) points", said).group(1)
        assert worth.startswith("+") == (r.marginal_at_hours > 0)
        assert worth.startswith("−") == (r.marginal_at_hours < 0)
    if not said:
        assert h > r.max_hours
        assert lost < 0.05
    if h <= r.max_hours and lost < 0.05:
        assert said.startswith("Good plan")

    # why the best plan is an end of the range
    text = ex.boundary_text(r)
    grid = np.linspace(0, r.max_hours, 97)
    if "every hour costs more than it earns" in text:
        assert model.max_score * model.k <= model.fatigue
    if "only falls" in text:
        assert np.all(np.diff(model.f(grid)) <= 1e-12 * (1 + np.abs(model.f(grid[1:]))))
    if "dips and then rises" in text:
        values = model.f(grid)
        assert values.min() < values[0]
        assert values[-1] > values.min()
        assert values[-1] <= values[0]
    if "still rising at" in text:
        assert model.df(r.max_hours) > 0
        assert f"rising at {ex._number(r.max_hours)} hours" in text
    if "Allow longer days to see where the marginal gain reaches zero" in text:
        assert model.df(r.max_hours * 1e3 + 1e3) < 0  # it does turn down, later
    if "keeps rising without end" in text:
        far = r.max_hours + np.geomspace(1e-3, 100, 50)
        assert np.all(model.df(far) > 0)
    if "does not depend on the hours" in text:
        assert np.ptp(model.f(grid)) == 0
    if "reaches zero exactly there" in text:
        assert model.df(r.max_hours) == pytest.approx(0, abs=1e-9)
    if r.boundary is None:
        assert not opt.at_boundary
        assert "f″ = " in ex.curvature_text(r)
        assert opt.second_derivative < 0
        closed = ex.closed_form(r)
        if model.kind == "diminishing":
            assert math.log(model.max_score * model.k / model.fatigue) / model.k == pytest.approx(opt.x, rel=1e-9)
            assert closed.endswith(f"= {num(opt.x, 4)} h.")

    # scores below zero, and plans beyond the limit
    note = ex.score_note(r)
    if "the effective score is below zero" in note or "S(h) is below zero" in note:
        assert round(r.score_at_hours, 1) < 0
        assert f"({num(r.score_at_hours, 1)})" in note
    else:
        assert round(r.score_at_hours, 1) >= 0
    assert ("Even the best plan's score is below zero" in note) == (round(opt.fun, 1) < 0)
    plan = ex.plan_note(r)
    assert bool(plan) == (h > r.max_hours)
    if "points more than the best plan" in plan:
        assert r.score_at_hours - opt.fun >= 0.05


SWEEP = settings(
    max_examples=200, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)


@SWEEP
@given(
    m=slider("max_score"),
    k=slider("k"),
    c=slider("fatigue"),
    hours=slider("hours"),
    max_hours=slider("max_hours"),
)
@example(m=100.0, k=0.3, c=2.0, hours=15.0, max_hours=16.0)
@example(m=100.0, k=0.3, c=0.0, hours=24.0, max_hours=16.0)
@example(m=100.0, k=0.3, c=20.0, hours=24.0, max_hours=24.0)
@example(m=10.0, k=1.5, c=20.0, hours=5.0, max_hours=16.0)
@example(m=100.0, k=0.05, c=2.0, hours=5.0, max_hours=16.0)
@example(m=100.0, k=0.3, c=2.0, hours=9.0, max_hours=16.0)
def test_every_sentence_is_true_diminishing(m, k, c, hours, max_hours):
    check(sm.analyse(sm.diminishing(m, k, c), hours, max_hours))


@SWEEP
@given(
    a=slider("quad_a"),
    b=slider("quad_b"),
    c=slider("quad_c"),
    hours=slider("hours"),
    max_hours=slider("max_hours"),
)
@example(a=-1.0, b=12.0, c=20.0, hours=15.0, max_hours=16.0)
@example(a=-1.0, b=12.0, c=20.0, hours=1.0, max_hours=6.0)
@example(a=1.0, b=-4.0, c=0.0, hours=1.0, max_hours=3.0)
@example(a=1.0, b=-4.0, c=0.0, hours=1.0, max_hours=10.0)
@example(a=0.0, b=0.0, c=5.0, hours=3.0, max_hours=10.0)
@example(a=-1.0, b=2.0, c=-50.0, hours=15.0, max_hours=16.0)
@example(a=0.0, b=-0.5, c=0.0, hours=24.0, max_hours=1.0)
def test_every_sentence_is_true_quadratic(a, b, c, hours, max_hours):
    check(sm.analyse(sm.quadratic(a, b, c), hours, max_hours))


# --- issue 22: reach a target score -------------------------------------------------------------


def _read(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown).replace("**", "")


class TestTargetText:
    def test_quadratic_closed_form(self):
        """The seed's quadratic −h² + 12h + 20 scores 52 at h = 6 ± 2."""
        r = sm.analyse(sm.quadratic(-1, 12, 20), 5, 16, target=52)
        assert r.goal.x == pytest.approx((4.0, 8.0), rel=1e-10)
        assert (
            _read(ex.target_text(r))
            == "Target 52 points. The score is 52 at 4.00 h and at 8.00 h, and higher between them."
        )
        assert ex.goal_marks(r) == {"target": 52.0, "solutions": r.goal.x}

    @pytest.mark.parametrize("target", [40.0, 60.0, 70.0, 75.0])
    def test_diminishing_roots_score_the_target(self, target):
        r = sm.analyse(TUTORIAL, 5, 16, target=target)
        assert r.goal.status is gs.GoalStatus.REACHED
        text = _read(ex.target_text(r))
        for h in r.goal.x:
            assert float(r.model.f(h)) == pytest.approx(target, rel=1e-10)
            assert ex._h(h) in text

    def test_out_of_reach_says_by_how_much(self):
        r = sm.analyse(TUTORIAL, 5, 16, target=80)
        text = _read(ex.target_text(r))
        short = 80 - r.optimum.fun
        assert text.startswith("Target 80 points. No plan up to 16 h scores 80")
        assert f"({num(short, 2)} points short)" in text

    def test_no_target(self):
        r = sm.analyse(TUTORIAL, 5, 16)
        assert (r.goal, ex.target_text(r), ex.goal_marks(r)) == (None, "", {})


def test_one_point_is_singular():
    """'at most M·k = 1 point', not '1 points' (M = 10, k = 0.1: the first hour earns at most 1)."""
    text = ex_study.boundary_text(sm_study.analyse(sm_study.diminishing(10, 0.1, 5), 2.0, 12.0))
    assert "M·k = 1 point but fatigue costs 5" in text
    text = ex_study.boundary_text(sm_study.analyse(sm_study.diminishing(100, 0.3, 40), 2.0, 12.0))
    assert "M·k = 30 points but" in text
