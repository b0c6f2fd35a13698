"""Every word of the Learning-rate finder page, from an :class:`optimizers.lr_finder.FinderResult`
(and the 1-D lesson's :class:`~optimizers.lr_finder.GDLesson`).

Numbers go through :mod:`explain.format`; in sentences a rate is ``sci`` (``1.45e−02``, with
the one minus sign, which also never breaks across lines). The metric values keep the form the
URL and the chart legends write, ``2.33e-01`` (:func:`rate`): tests and readers parse them as
numbers, and each must match its legend entry.

Examples
--------
>>> from optimizers import lr_finder as lf
>>> gd_sentence(lf.gd_lesson(0.75))[1]
"**Rate 0.75 oscillates but converges.** C'' = 2, so each step multiplies the distance to x = 5 by (1 − 2·rate) = −0.5: it jumps across x = 5, less each time."
"""

from __future__ import annotations

import math

from explain.format import DASH, MINUS, general, num, percent, plain, sci
from optimizers import lr_finder as lf

__all__ = [
    "CHECK_TITLE",
    "DOWNLOAD",
    "GD_TITLE",
    "SPINNER",
    "STORY",
    "TITLE",
    "UPLOAD",
    "bad_file",
    "check_chart",
    "check_sentence",
    "gd_blocked",
    "gd_sentence",
    "gradient_caption",
    "leaves_out",
    "markers",
    "metrics",
    "notes",
    "range_chart",
    "rate",
    "slope_chart",
    "verdict",
]

TITLE = "Which learning rate should you train with?"
STORY = (
    "Training moves every weight against the derivative of the loss, scaled by the learning rate. "
    "Too small and nothing happens; too large and it overshoots and diverges. The range test "
    "trains once while the rate grows exponentially and reads the answer off the loss curve: a "
    "tenth of the rate at its lowest point, where it falls fastest (**d(loss)/d(log lr)**), or "
    "fastai's valley. Then it checks the answer by training at fixed rates. A small network "
    "written in numpy does the work, with SGD and Adam exactly as PyTorch defines them."
)
SPINNER = "Running the range test and its check…"
UPLOAD = "Upload a CSV to use your own data."
CHECK_TITLE = "Check it: train at fixed rates"
DOWNLOAD = "Download range test (CSV)"
GD_TITLE = "The 1-D lesson: step size on C(x) = x² − 10x + 100"
#: The legend name of the check's best rate on the range-test chart, when it is the suggestion.
CHECK_BEST_MARK = "check's best"


def rate(value: float | None) -> str:
    """A learning rate as the URL and the chart legends write it; a dash when there is none.

    >>> rate(0.23272), rate(1.0), rate(None)
    ('2.33e-01', '1.00e+00', '—')
    """
    return sci(value, 2).replace(MINUS, "-")


def bad_file(exc: object) -> str:
    r"""Why an uploaded CSV cannot be used; the whole message is shown literally (it quotes
    the file).

    >>> print(bad_file("Row 2: got '*x*'."))
    Cannot use this file\: Row 2\: got \'\*x\*\'\.
    """
    return plain(f"Cannot use this file: {exc}", max_chars=600)


def leaves_out(uploaded: bool) -> str:
    """What the share link cannot carry."""
    return "the uploaded CSV is not in the link" if uploaded else ""


def _checked(c: lf.CheckedRate) -> str:
    return percent(c.accuracy)


def _suggested_help(res: lf.FinderResult) -> str:
    steps = num(res.steps, 0)
    if res.verdict is lf.Verdict.NOTHING_LEARNS:
        return (
            f"The check's best fixed rate, though no rate learns here in {steps} steps: it reaches "
            f"{_checked(res.best)}, and always answering the most common class gives {percent(res.majority)}."
        )
    if res.verdict is lf.Verdict.CONFIRMED:
        return (
            f"The range test's {lf.SUGGESTED} (a tenth of the rate at the lowest smoothed loss, median over the "
            f"runs), confirmed by the check below: trained for {steps} steps it reaches {_checked(res.candidate)} "
            f"accuracy, the best fixed rate {_checked(res.best)}."
        )
    if res.candidate is None:
        return (
            f"The check's best fixed rate ({_checked(res.best)} accuracy in {steps} steps): the range test gives none."
        )
    return (
        f"The check's best fixed rate: the range test's {lf.SUGGESTED}, {sci(res.candidate.lr, 2)}, trains to only "
        f"{_checked(res.candidate)} accuracy in {steps} steps, the best fixed rate to {_checked(res.best)}."
    )


def _or_none(value: float | None) -> str:
    return rate(value) if value is not None else "none"


def metrics(res: lf.FinderResult) -> list[tuple[str, str, str | None]]:
    """(label, value, help) of the four metrics, in the page's order."""
    spread = res.tests.spread_decades[lf.SUGGESTED]
    return [
        ("Suggested learning rate", rate(res.suggested), _suggested_help(res)),
        (
            "valley",
            _or_none(res.tests.median["valley"]),
            "fastai's default: 2/3 of the way down the longest descent. Made for one-cycle training.",
        ),
        (
            "steepest",
            _or_none(res.tests.median["steepest"]),
            "The fastest fall of the loss against log lr, where the fall beats the noise of the raw losses.",
        ),
        (
            "Spread across seeds",
            num(spread, 2, "decades") if spread is not None else DASH,
            "How far apart, in powers of ten, the suggested rates of the runs (each from its own random start) are.",
        ),
    ]


def _note(note: lf.Note, res: lf.FinderResult) -> str:
    tests = res.tests
    run = next((r for r in tests.runs if note in r.notes), tests.runs[0])
    if note is lf.Note.TOO_SHORT:
        return f"Only {num(run.usable, 0)} usable points after trimming: run more iterations."
    if note is lf.Note.NOT_FINITE:
        return "The loss is not a finite number anywhere: the range test cannot suggest a rate."
    if note is lf.Note.STILL_FALLING:
        return (
            f"The loss is still falling at the largest rate tried ({sci(run.lrs[-1], 0)}): it never turns up, so "
            "the range test cannot suggest a rate. Raise the end rate."
        )
    if note is lf.Note.NO_CLEAR_STEEPEST:
        return "No clear steepest point: nowhere does the loss fall by more than the noise of the raw losses."
    if note is lf.Note.NO_CLEAR_STEEPEST_MOST_RUNS:
        return "No clear steepest point in most runs: the loss does not fall by more than its noise there."
    low, high = tests.extremes[lf.SUGGESTED]
    return (
        f"The runs (random starts) disagree by {num(tests.spread_decades[lf.SUGGESTED], 2)} decades on the range test's rate "
        f"({sci(low, 1)} to {sci(high, 1)}); the median is shown. Treat it as a range, or use more runs or a "
        "bigger batch."
    )


def notes(res: lf.FinderResult) -> list[str]:
    """One warning per note of the range tests (the page shows each in a warning box)."""
    return [_note(n, res) for n in res.tests.notes]


def markers(res: lf.FinderResult) -> dict[str, float | None]:
    """The dashed lines of the range-test chart by their legend names, at the rates the metrics show."""
    out = {
        lf.SUGGESTED: res.tests.median[lf.SUGGESTED],
        "valley": res.tests.median["valley"],
        "steepest": res.tests.median["steepest"],
    }
    if res.verdict is not lf.Verdict.CONFIRMED:
        out[CHECK_BEST_MARK] = res.suggested
    return out


def range_chart(seed: int) -> dict[str, str]:
    """Title and subtitle of the range-test chart (it shows the first run)."""
    return {"title": f"Range test (random start {num(seed, 0)})", "subtitle": "Dashed lines: the suggestions above"}


#: The marginal's series name, axis titles and look (keyword arguments of ui.charts.lines_chart).
SLOPE_SERIES = "d(loss)/d(log lr)"


def slope_chart() -> dict:
    """Keyword arguments of the marginal chart (d loss / d log lr against lr)."""
    return {
        "x": "lr",
        "y": "slope",
        "series": "curve",
        "x_title": "Learning rate (log scale)",
        "y_title": SLOPE_SERIES,
        "x_format": ".0e",
        "y_format": ".3f",
        "log_x": True,
        "rule_y": 0.0,
        "height": 190,
        "title": "Marginal: how fast the loss falls",
        "colors": {SLOPE_SERIES: "#7c3aed"},
    }


#: The check chart's series name.
CHECK_SERIES = "final loss"
#: Marker labels.
STEEPEST, SUGGESTED_MARK = "steepest", "suggested"


def check_chart(res: lf.FinderResult) -> dict:
    """Keyword arguments of the check chart (loss after the check's steps against lr)."""
    return {
        "x": "lr",
        "y": "final_loss",
        "series": "curve",
        "x_title": "Learning rate (log scale)",
        "y_title": f"Loss after {num(res.steps, 0)} steps",
        "x_format": ".0e",
        "y_format": ".2f",
        "log_x": True,
        "height": 220,
        "colors": {CHECK_SERIES: "#111827"},
    }


def check_sentence(res: lf.FinderResult) -> str:
    """What the check trained and where the range test's rate lands (markdown).

    The page's tests read the distance after the last " is ".
    """
    best = res.best
    text = (
        f"A fresh network trained for {num(res.steps, 0)} steps at each rate, and at the range test's rate. "
        f"The best fixed rate is **{sci(best.lr, 2)}** ({percent(best.accuracy)} accuracy, loss {num(best.final_loss, 3)})"
    )
    if res.candidate is None:
        return text + "; the range test gives no rate."
    return (
        f"{text}; the range test's rate {sci(res.candidate.lr, 2)} reaches {percent(res.candidate.accuracy)}, and is "
        f"{num(res.decades, 2)} decades away."
    )


def verdict(res: lf.FinderResult) -> tuple[bool, str]:
    """(whether the range test's rate stands, the sentence saying which rate is suggested)."""
    steps = num(res.steps, 0)
    points = num(100 * lf.AGREE, 0)
    if res.verdict is lf.Verdict.CONFIRMED:
        return True, (
            f"**Suggested: {sci(res.suggested, 2)}**, the range test's rate: trained for {steps} steps it comes within "
            f"{points} points of the best fixed rate's accuracy."
        )
    if res.verdict is lf.Verdict.NOTHING_LEARNS:
        return False, (
            f"**No rate learns here in {steps} steps.** The best fixed rate, {sci(res.best.lr, 2)}, reaches "
            f"{percent(res.best.accuracy)} accuracy, and always answering the most common class gives "
            f"{percent(res.majority)}. The suggested rate is the check's best, for what it is worth: "
            f"{sci(res.suggested, 2)}."
        )
    if res.candidate is None:
        return False, (
            f"**The range test cannot tell here:** it gives no rate (see above). The suggested rate is the check's "
            f"best, {sci(res.suggested, 2)}: {percent(res.best.accuracy)} accuracy in {steps} steps."
        )
    return False, (
        f"**The range test cannot tell here.** Its rate, {sci(res.candidate.lr, 2)}, trains to "
        f"{percent(res.candidate.accuracy)} accuracy in {steps} steps; the best fixed rate, {sci(res.best.lr, 2)}, to "
        f"{percent(res.best.accuracy)}. The suggested rate is the check's best: {sci(res.suggested, 2)}."
    )


def gradient_caption(res: lf.FinderResult) -> str:
    return (
        f"Gradient check of the backpropagation on this network: relative error {sci(res.tests.gradient_error, 1)} "
        "(below 1e-6 passes). More on the Neural network page."
    )


# --- the 1-D lesson ---------------------------------------------------------------------------

_REGIME = {
    lf.Regime.STILL: ("does not move toward the minimum", "{factor} ≥ 1."),
    lf.Regime.SMOOTH: ("converges smoothly", "{factor}: a shrinking step from one side."),
    lf.Regime.ONE_STEP: ("lands on the minimum in one step", "0: the Newton step 1/C''."),
    lf.Regime.OSCILLATES: ("oscillates but converges", "{factor}: it jumps across x = 5, less each time."),
    lf.Regime.FOREVER: (
        "oscillates forever",
        f"{MINUS}1: it bounces between the same two points. The limit is 2/C'' = 1.",
    ),
    lf.Regime.DIVERGES: (
        "diverges",
        "{factor}, bigger than 1 in size: each jump overshoots more. Stay below 2/C'' = 1.",
    ),
}
PATH_AXES = {"x_title": "x (ad spend, $ thousands)", "y_title": "C(x)"}


def gd_sentence(lesson: lf.GDLesson) -> tuple[bool, str]:
    """(whether it converges, the regime in words with the factor 1 − 2·rate).

    >>> from optimizers import lr_finder as lf
    >>> gd_sentence(lf.gd_lesson(1.1))
    (False, "**Rate 1.10 diverges.** C'' = 2, so each step multiplies the distance to x = 5 by (1 − 2·rate) = −1.2, bigger than 1 in size: each jump overshoots more. Stay below 2/C'' = 1.")
    """
    name, why = _REGIME[lesson.regime]
    factor = general(lesson.factor, 3)
    why = why.format(factor=factor)
    text = (
        f"**Rate {num(lesson.rate, 2)} {name}.** C'' = 2, so each step multiplies the distance to x = 5 by "
        f"(1 − 2·rate) = {why}"
    )
    return lesson.converges, text


def gd_blocked(lesson: lf.GDLesson) -> str | None:
    """Why the path stops early (a step would need negative ad spend), or None.

    >>> from optimizers import lr_finder as lf
    >>> gd_blocked(lf.gd_lesson(1.2))
    'Step 2 would need negative ad spend (x = −4.8): spend cannot go below 0, so the path stops there.'
    """
    if lesson.blocked is None or not math.isfinite(lesson.blocked):
        return None
    return (
        f"Step {num(len(lesson.path), 0)} would need negative ad spend (x = {num(lesson.blocked, 1)}): spend cannot "
        "go below 0, so the path stops there."
    )
