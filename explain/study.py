"""Every word the Study-hours page shows, written from an :class:`optimizers.study.StudyResult`.

Where does "Study less" come from? From :func:`verdict`, here:

>>> from optimizers import study as sm
>>> r = sm.analyse(sm.diminishing(100, 0.3, 2), 15, 16)  # the tutorial's student plans 15 hours
>>> print(verdict(r))
Study less: at 15.00 h the next hour is worth −1.67 points (after fatigue). Moving to 9.03 h gains 6.4 points.

Functions named after a sentence return plain text; :func:`answer` and :func:`metrics` return
what the page draws (markdown, every punctuation character escaped by
:func:`explain.format.plain`, so nothing renders as math). Every number goes through
:mod:`explain.format`; :func:`_number` adds significant digits without scientific notation.
"""

from __future__ import annotations

from explain.common import Box, Metric
from explain.format import literal as _md
from explain.format import num, signed
from explain.format import number as _number
from explain.format import shown as _shown  # noqa: F401 - the doctests read what a visitor sees
from optimizers import goalseek as gs
from optimizers import study as sm

__all__ = [
    "CHART",
    "MODEL_HELP",
    "MODEL_LABEL",
    "SENSITIVITY",
    "SLIDERS",
    "STORY",
    "TABLE_COLUMNS",
    "TABLE_TITLE",
    "TARGET",
    "TITLE",
    "Box",
    "Metric",
    "answer",
    "boundary_text",
    "closed_form",
    "curvature_text",
    "goal_marks",
    "markers",
    "metrics",
    "plan_note",
    "score",
    "score_note",
    "target_text",
    "verdict",
]


def _h(hours: float) -> str:
    return num(hours, 2, "h")


def _pts(value: float) -> str:
    return num(value, 1)


# --- the page's fixed words ---------------------------------------------------------------------

TITLE = "How many hours should you study?"
STORY = (
    _md("More study means a higher score, but with diminishing returns — and fatigue costs points every hour. The")
    + " **marginal gain** "
    + _md(
        "(points per extra hour) says whether one more hour helps; the best plan stops where it drops to zero, "
        "or at 0 hours or the longest day you allow when it does not cross zero in between."
    )
)
MODEL_LABEL = "Score model"
MODEL_HELP = (
    "diminishing: M(1 − e^(−k·h)) − c·h (returns fade, fatigue costs). "
    "quadratic: S(h) = a·h² + b·h + c, the tutorial's example (−h² + 12h + 20)."
)
#: Each slider's (label, format), by its URL key.
SLIDERS = {
    "max_score": ("Score you could reach (M, points)", "%.0f"),
    "k": ("How fast returns fade (k, per hour)", "%.2f"),
    "fatigue": ("Fatigue cost (c, points per hour)", "%.1f"),
    "quad_a": ("a (points per hour²)", "%.1f"),
    "quad_b": ("b (points per hour)", "%.1f"),
    "quad_c": ("c (points with no study)", "%.0f"),
    "hours": ("Hours you plan to study", "%.2f"),
    "max_hours": ("Longest day you would consider (h)", "%.1f"),
}
#: The "Reach a target" input's (label, format, help); its range is optimizers.study.TARGET_INPUT.
TARGET = (
    "Reach a target score (points)",
    "%.1f",
    "The page finds every number of hours, up to the longest day you would consider, that scores this. 0: no target.",
)
#: Titles and formats of the score-and-marginal chart (ui.charts.objective_chart).
CHART = {
    "x_title": "Study hours per day (h)",
    "y_title": "Effective score (points)",
    "marginal_title": "Marginal gain (points per hour)",
    "x_format": ",.1f",
    "y_format": ",.1f",
    "d_format": ",.2f",
}
#: The "What moves the optimum" section's axis (ui.sensitivity.section).
SENSITIVITY = {"x_title": "Best study time (h)", "x_format": ",.2f"}
TABLE_TITLE = "Diminishing returns, hour by hour"
#: st.column_config.NumberColumn arguments of each column of study.csv, as the page shows them.
TABLE_COLUMNS = {
    "hours": {"label": "hours", "format": "%.2f"},
    "base_score": {"label": "base score", "format": "%.1f"},
    "fatigue_cost": {"label": "fatigue cost", "format": "%.1f"},
    "effective_score": {"label": "effective score", "format": "%.1f"},
    "marginal_gain": {"label": "marginal gain (pts/h)", "format": "%.2f"},
    "net_marginal_gain": {"label": "net marginal (pts/h)", "format": "%.2f"},
}


# --- the answer ---------------------------------------------------------------------------------


def score(value: float) -> str:
    """A score as a metric shows it: the model's value to one decimal, or 'below 0' (no test
    scores below zero).

    >>> score(75.2959), score(-0.04), score(-380.1)
    ('75.3', '0.0', 'below 0')
    """
    return _pts(value) if round(value, 1) >= 0 else "below 0"


def _below_zero(value: float) -> bool:
    """Is the score shown as 'below 0' (see :func:`score`)?"""
    return round(value, 1) < 0


def metrics(r: sm.StudyResult) -> list[Metric]:
    """The four metrics.

    >>> [m.value for m in metrics(sm.analyse(sm.diminishing(100, 0.3, 2), 15, 16))]
    ['9.03 h', '75.3', '68.9', '6.4']
    """
    opt = r.optimum
    what = "effective score" if r.model.kind == "diminishing" else "score"
    after = " (points minus fatigue)" if r.model.kind == "diminishing" else ""
    return [
        Metric("Optimal study hours", _h(opt.x), f"exactly {num(opt.x, 4)} h"),
        Metric("Best effective score", score(opt.fun), f"{what} {num(opt.fun, 2)}{after}"),
        Metric("Score at your hours", score(r.score_at_hours), f"{num(r.score_at_hours, 2)} at {_h(r.hours)}"),
        Metric(
            "Points lost",
            _pts(r.points_lost),
            "How far the best plan within your longest day beats yours (never negative)",
        ),
    ]


def closed_form(r: sm.StudyResult) -> str:
    """The closed form of the best plan, for diminishing returns with an interior optimum ("" otherwise).

    >>> closed_form(sm.analyse(sm.diminishing(100, 0.3, 2), 15, 16))
    'Closed form: h* = ln(M·k/c)/k = ln(15)/0.3 = 9.0268 h.'
    """
    m = r.model
    if m.kind != "diminishing" or r.boundary is not None:
        return ""
    ratio = m.max_score * m.k / m.fatigue
    return f"Closed form: h* = ln(M·k/c)/k = ln({_number(ratio)})/{_number(m.k)} = {num(r.optimum.x, 4)} h."


def boundary_text(r: sm.StudyResult) -> str:
    """Why the best plan is an end of the range ("" when it is a turning point inside).

    >>> print(boundary_text(sm.analyse(sm.diminishing(100, 0.05, 2), 5, 16)))  # doctest: +NORMALIZE_WHITESPACE
    The score is still rising at 16 hours, the longest day you would consider: the optimum is on that
    boundary. Allow longer days to see where the marginal gain reaches zero.
    """
    b, m, limit = r.boundary, r.model, _number(r.max_hours)
    if b is None:
        return ""
    if b is sm.Boundary.FLAT:
        return "The score does not depend on the hours here: every choice is as good."
    if b is sm.Boundary.NO_HOURS_COSTS:
        return (
            f"The first hour earns at most M·k = {_number(m.max_score * m.k)} "
            f"point{'' if _number(m.max_score * m.k) == '1' else 's'} but fatigue costs "
            f"{_number(m.fatigue)}: every hour costs more than it earns, so the best plan is 0 hours (on the boundary)."
        )
    if b is sm.Boundary.NO_HOURS_FALLS:
        return "The score only falls as hours grow: the best plan is 0 hours (on the boundary)."
    if b is sm.Boundary.NO_HOURS_DIP:
        return (
            f"The score dips and then rises, but within the longest day you allow ({limit} hours) never back above "
            "its value at 0 hours: the best plan is 0 hours (on the boundary)."
        )
    rising = (
        f"The score is still rising at {limit} hours, the longest day you would consider: the optimum is on that "
        "boundary."
    )
    if b is sm.Boundary.LIMIT_TURNS_LATER:
        return f"{rising} Allow longer days to see where the marginal gain reaches zero."
    if b is sm.Boundary.LIMIT_KEEPS_RISING:
        return f"{rising} Past it the score keeps rising without end: a longer day would only move the best plan to it."
    return (
        f"The best plan is the longest day you would consider, {limit} hours, and the marginal gain reaches zero "
        "exactly there: it is the limit and the turning point at once."
    )


def curvature_text(r: sm.StudyResult) -> str:
    """The second-derivative test at a turning point inside the range ("" on a boundary).

    >>> curvature_text(sm.analyse(sm.quadratic(-1, 12, 20), 10, 16))
    'Second-derivative test: f″ = −2 < 0 at hours = 6.00 h. The curve bends down, so this is a maximum.'
    """
    if r.boundary is not None:
        return ""
    opt = r.optimum
    f2 = opt.second_derivative
    if f2 < 0:
        return (
            f"Second-derivative test: f″ = {_number(f2)} < 0 at hours = {_h(opt.x)}. The curve bends down, "
            "so this is a maximum."
        )
    return (
        f"f″ = {_number(f2)} at hours = {_h(opt.x)}, so the second-derivative test is silent; the marginal gain "
        "changes from positive to negative there, so this is a maximum."
    )


def _two(a: float, b: float) -> tuple[str, str]:
    """Two scores in one decimal, or two where one would read the same."""
    one = _pts(a), _pts(b)
    return one if one[0] != one[1] else (num(a, 2), num(b, 2))


def score_note(r: sm.StudyResult) -> str:
    """Say in words when a score the page shows is below zero (no test score is).

    >>> print(score_note(sm.analyse(sm.diminishing(100, 0.3, 20), 24, 24)))  # doctest: +NORMALIZE_WHITESPACE
    At 24.00 h the effective score is below zero (−380.1): fatigue costs 480.0 points, more than the
    99.9 that studying earns. No test scores below zero; read it as far worse than not studying at all
    (0 hours scores 0).
    """
    parts = []
    if _below_zero(r.score_at_hours):
        at = f"At {_h(r.hours)}"
        if r.model.kind == "diminishing":
            cost, base = _two(r.fatigue_at_hours, r.base_at_hours)
            parts.append(
                f"{at} the effective score is below zero ({_pts(r.score_at_hours)}): fatigue costs {cost} points, "
                f"more than the {base} that studying earns. No test scores below zero; read it as far worse than "
                "not studying at all (0 hours scores 0)."
            )
        else:
            parts.append(
                f"{at} the model's score S(h) is below zero ({_pts(r.score_at_hours)}). No test scores below "
                "zero: these coefficients do not describe a real score there."
            )
    if _below_zero(r.optimum.fun):
        parts.append(f"Even the best plan's score is below zero ({_pts(r.optimum.fun)}) with these inputs.")
    return " ".join(parts)


def plan_note(r: sm.StudyResult) -> str:
    """What to say about a plan longer than the longest day allowed ("" otherwise).

    >>> plan_note(sm.analyse(sm.diminishing(100, 0.3, 2), 20, 16))
    'You plan 20.00 h, more than the longest day you allowed (16.00 h).'
    """
    if not r.beyond_limit:
        return ""
    head = f"You plan {_h(r.hours)}, more than the longest day you allowed ({_h(r.max_hours)})."
    if r.gain_beyond_limit < sm.GOOD_PLAN_POINTS:
        return head
    return (
        f"{head} It scores {_pts(r.gain_beyond_limit)} points more than the best plan within that limit "
        f"({_h(r.optimum.x)}), only because it breaks the limit; no points are lost against that plan. "
        "Raise the limit to compare fairly."
    )


def _per_hour(value: float) -> str:
    """A marginal gain, signed, in two decimals (two significant digits when smaller)."""
    if value == 0 or abs(value) >= 0.005:
        return signed(value, 2)
    return ("+" if value > 0 else "") + _number(value, 2)


def verdict(r: sm.StudyResult) -> str:
    """What to do about your plan ("" when it breaks the limit and loses nothing worth saying).

    >>> verdict(sm.analyse(sm.diminishing(100, 0.3, 2), 9, 16))
    'Good plan. 9.00 h is within 0.05 points of the best score.'
    """
    v, h, m = r.verdict, _h(r.hours), r.marginal_at_hours
    if v is sm.Verdict.GOOD_PLAN:
        return f"Good plan. {h} is within {num(sm.GOOD_PLAN_POINTS, 2)} points of the best score."
    if v is sm.Verdict.NONE:
        return ""
    more = v is sm.Verdict.STUDY_MORE
    verb = "Study more" if more else "Study less"
    after = " (after fatigue)" if r.model.kind == "diminishing" else ""
    gains = f"Moving to {_h(r.optimum.x)} gains {_pts(r.points_lost)} points."
    if (m > 0) == more and m != 0:
        return f"{verb}: at {h} the next hour is worth {_per_hour(m)} points{after}. {gains}"
    return (
        f"{verb}: {gains} At {h} the next hour is worth {_per_hour(m)} points{after}, but the score dips "
        "before it rises."
    )


def _bold_lead(text: str, lead: str) -> str:
    """Markdown of ``text`` with its opening ``lead`` in bold."""
    return f"**{_md(lead)}**{_md(text[len(lead) :])}"


def answer(r: sm.StudyResult) -> list[Box]:
    """Everything between the metrics and the chart, in the page's order.

    >>> [box.kind for box in answer(sm.analyse(sm.diminishing(100, 0.3, 2), 15, 16))]
    ['caption', 'markdown', 'success']
    >>> [box.kind for box in answer(sm.analyse(sm.diminishing(100, 0.3, 0), 24, 16))]
    ['warning', 'info']
    """
    boxes = []
    if closed_form(r):
        boxes.append(Box("caption", _md(closed_form(r))))
    if r.boundary is not None:
        boxes.append(Box("warning", _md(boundary_text(r))))
    else:
        text = curvature_text(r)
        head, _, last = text.rstrip(".").rpartition(" ")
        boxes.append(Box("markdown", f"{_md(head)} **{_md(last)}**."))
    for note in (score_note(r), plan_note(r)):
        if note:
            boxes.append(Box("info", _md(note)))
    said = verdict(r)
    if said:
        lead = said[: said.index(".") + 1] if r.verdict is sm.Verdict.GOOD_PLAN else said[: said.index(":") + 1]
        boxes.append(Box("success", _bold_lead(said, lead)))
    return boxes


def markers(r: sm.StudyResult) -> tuple[tuple[float, float, str], tuple[float, float, str]]:
    """(x, y, label) of the best plan and of yours, for the chart.

    >>> best, you = markers(sm.analyse(sm.quadratic(-1, 12, 20), 10, 16))
    >>> best, you
    ((6.0, 56.0, 'best 6.00 h'), (10.0, 40.0, 'you: 10.00 h'))
    """
    opt = r.optimum
    return (opt.x, opt.fun, f"best {_h(opt.x)}"), (r.hours, r.score_at_hours, f"you: {_h(r.hours)}")


# --- reach a target: every number of hours that scores it (optimizers.goalseek) -------------


def _hours(xs) -> str:
    shown = [_h(x) for x in xs]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and at " + shown[-1]


def target_text(r: sm.StudyResult) -> str:
    """Every number of hours that scores your target, or why none does ("" without a target).

    >>> print(_shown(target_text(sm.analyse(sm.diminishing(100, 0.3, 2), 15, 16, target=70))))
    **Target 70 points.** The score is 70 at 5.56 h and at 14.32 h, and higher between them.
    >>> print(_shown(target_text(sm.analyse(sm.diminishing(100, 0.3, 2), 15, 16, target=80))))
    **Target 80 points.** No plan up to 16 h scores 80: the best, 9.03 h, scores 75.3 (4.72 points short).
    """
    g = r.goal
    if g is None:
        return ""
    t, limit = _number(g.target, 6), f"{_number(r.max_hours)} h"
    head = f"**Target {_md(t)} points.** "
    if g.everywhere:
        return head + _md(f"Every plan scores {t}: the score does not depend on the hours.")
    if g.status is gs.GoalStatus.ABOVE_MAXIMUM:
        opt = r.optimum
        return head + _md(
            f"No plan up to {limit} scores {t}: the best, {_h(opt.x)}, scores {_pts(opt.fun)} "
            f"({_number(g.margin, 3)} points short)."
        )
    if g.status is gs.GoalStatus.BELOW_MINIMUM:
        return head + _md(f"Every plan up to {limit} scores more than {t}: the lowest score is {_pts(g.lowest)}.")
    if g.status is gs.GoalStatus.TOUCHES:
        return head + _md(f"Only the best plan, {_h(r.optimum.x)}, scores {t}.")
    said = f"The score is {t} at {_hours(g.x)}"
    c = g.crossings
    if c == (gs.Crossing.RISING, gs.Crossing.FALLING):
        said += ", and higher between them"
    elif c == (gs.Crossing.RISING,):
        said += f", and higher at every longer plan up to {limit}"
    elif c == (gs.Crossing.FALLING,):
        said += ", and higher at every shorter plan"
    elif c == (gs.Crossing.FALLING, gs.Crossing.RISING):
        said += ", and lower between them"
    return head + _md(said + ".")


def goal_marks(r: sm.StudyResult) -> dict:
    """The target line and its hours for the score chart (``ui.charts.objective_chart``'s
    ``target`` and ``solutions``); {} without a target."""
    return {} if r.goal is None else {"target": r.goal.target, "solutions": r.goal.x}
