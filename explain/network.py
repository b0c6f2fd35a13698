"""Every word of the Neural network page, from an :class:`optimizers.network.NetworkResult`.

The *Learning rate* metric is written as the URL writes it (``1.00e-04``,
:func:`explain.lr_finder.rate`), rates in sentences with the one minus sign (``1.45e−02``); the
measured ratios and check errors as the tutorial writes them (``9.5e-7``, ``1.5e-05``: plain
e-notation, so a reader can paste them into code).

Examples
--------
>>> print(vanishing_sentence({"sigmoid": 3.5e-6, "relu": 0.23}, 8))
Layer 1's gradient as a share of the output layer's: **sigmoid** 3.5e-06, **relu** 0.23. Between them lie 8 activation derivatives; with sigmoid their product is at most 0.25^8 = 1.5e-05 (the weights scale it too).
"""

from __future__ import annotations

import math
from urllib.parse import urlencode

import pandas as pd

from explain.format import MINUS, general, num, percent, sci
from explain.lr_finder import rate
from optimizers import lr_finder as lf
from optimizers import network

__all__ = [
    "CHECK_CAPTION",
    "CHECK_INTRO",
    "CHECK_TITLE",
    "DOWNLOAD",
    "FINDER_LINK",
    "SPINNER",
    "STORY",
    "TITLE",
    "VANISHING_TITLE",
    "check_sentences",
    "diverged",
    "finder_url",
    "history_charts",
    "metrics",
    "rate_caption",
    "vanishing_intro",
    "vanishing_sentence",
]

TITLE = "A simple neural network, trained"
STORY = (
    "The tutorial promises you will build a simple neural network. Here it is: a multilayer perceptron "
    "in numpy with hand-written backpropagation. Every weight moves against the derivative of the "
    "loss; below, watch it learn, see why deep sigmoid networks barely learn at all, and check the "
    "derivatives the way the tutorial's interview answer says to."
)
SPINNER = "Training…"
RATE_HELP = "'suggested' is the learning-rate finder's suggestion for these settings."
FINDER_LINK = "Check it on the Learning-rate finder"
VANISHING_TITLE = "Vanishing gradients at initialisation"
DOWNLOAD = "Download gradient norms (CSV)"
CHECK_TITLE = "Gradient check in float64 and float32"
CHECK_INTRO = (
    "Backprop's gradient against the centered difference (L(w + h) − L(w − h)) / 2h on a weight and a bias "
    "of every layer, for steps h from 1e-12 to 0.3, computed entirely in each precision. Too large an h: "
    "truncation error (∝ h²). Too small: rounding (∝ eps/h), and in float32 w + h is rounded to w."
)
CHECK_CAPTION = (
    "Filled dots pass, hollow dots fail. Dashed lines: pass thresholds (float64: 1e-6, the tutorial's; float32: "
    "1e-3, torch.autograd.gradcheck's rtol). ReLU at exactly 0 uses the subgradient 0, as PyTorch does."
)


def _g(value: float, digits: int) -> str:
    """``digits`` significant digits in plain e-notation ('3.5e-06', '0.23'), as code prints them."""
    return general(value, digits).replace(MINUS, "-")


def _e(value: float, digits: int = 0) -> str:
    """Scientific notation with an ASCII exponent ('1e-07'), as the tutorial writes steps h."""
    return f"{value:.{digits}e}"


def metrics(res: network.NetworkResult) -> list[tuple[str, str, str | None]]:
    """(label, value, help) of the three metrics."""
    run = res.run
    chance = f"Chance level: loss ln {num(res.classes, 0)} = {num(math.log(res.classes), 3)}."
    return [
        ("Training accuracy", percent(run.accuracy), None),
        ("Final loss", num(run.final_loss, 3) if not run.diverged else "diverged", None),
        ("Learning rate", rate(res.lr), chance),
    ]


def rate_caption(res: network.NetworkResult) -> str:
    """Where the rate comes from.

    >>> from optimizers import nn
    >>> r = network.analyse(nn.make_dataset("spirals", 512, seed=0), steps=50)
    >>> print(rate_caption(r))
    Rate 2.33e−01: the finder's suggestion for these settings (minimum/10, median of 3 range tests).
    """
    if res.source is network.RateSource.CHOSEN:
        where = "your choice"
    elif res.finder.verdict is lf.Verdict.CONFIRMED:
        where = f"the finder's suggestion for these settings ({lf.SUGGESTED}, median of {num(lf.RUNS, 0)} range tests)"
    elif res.finder.verdict is lf.Verdict.NOTHING_LEARNS:
        f = res.finder
        where = (
            f"the finder's check for these settings, though none of {num(len(f.check), 0)} fixed rates learns in "
            f"{num(f.steps, 0)} steps: the best reaches {percent(f.best.accuracy)}, and always answering the most "
            f"common class gives {percent(f.majority)}"
        )
    else:
        f = res.finder
        rates = f"the best of {num(len(f.check), 0)} fixed rates tried for {num(f.steps, 0)} steps"
        if f.candidate is None:
            why = "the range test gives no rate here"
        else:
            why = (
                f"the range test cannot tell here (its {lf.SUGGESTED}, {sci(f.candidate.lr, 2)}, trains to "
                f"{percent(f.candidate.accuracy)} in {num(f.steps, 0)} steps)"
            )
        where = f"the finder's check for these settings: {why}, so {rates} ({percent(f.best.accuracy)})"
    return f"Rate {sci(res.lr, 2)}: {where}."


def finder_url(dataset: str, activation: str, hidden: int, layers: int, optimizer: str, seed: int) -> str:
    """The Learning-rate finder with the same settings (a relative link: a fresh page load).

    >>> finder_url("spirals", "relu", 32, 1, "sgd-momentum", 0)
    'lr-finder?dataset=spirals&activation=relu&hidden=32&layers=1&optimizer=sgd-momentum&seed=0'
    """
    params = {"dataset": dataset, "activation": activation, "hidden": hidden, "layers": layers}
    return "lr-finder?" + urlencode({**params, "optimizer": optimizer, "seed": seed})


def diverged(res: network.NetworkResult) -> str | None:
    """The error shown when training diverged, or None."""
    if not res.run.diverged:
        return None
    return f"Training diverged at rate {sci(res.lr, 2)}: the loss became infinite. Choose a smaller rate."


def history_charts() -> list[dict]:
    """Keyword arguments of the two training charts (loss, accuracy per step), without data."""
    out = []
    for y, title, fmt, color, height in (
        ("loss", "Cross-entropy loss (whole data set)", ".2f", "#2563eb", 170),
        ("accuracy", "Accuracy", ".0%", "#16a34a", 150),
    ):
        out.append(
            {
                "x": "step",
                "y": y,
                "series": "curve",
                "x_title": "Step",
                "y_title": title,
                "x_format": ",.0f",
                "y_format": fmt,
                "height": height,
                "title": f"Training {y} per step",
                "colors": {y: color},
            }
        )
    return out


def vanishing_intro(res: network.NetworkResult) -> str:
    return (
        "The tutorial: *sigmoid′ = σ(1 − σ) is at most 0.25, so ten layers can shrink a gradient by 0.25¹⁰ ≈ "
        f"9.5e-7.* Measured here, at depth {num(res.layers, 0)}, before any training: the gradient norm of every "
        "layer, for each activation (each with its own initialisation: He for the ReLU family, Xavier for tanh "
        "and sigmoid)."
    )


def vanishing_sentence(ratios: dict[str, float], depth: int) -> str:
    """What the measured ratios say, next to the tutorial's bound for this depth (markdown)."""
    parts = ", ".join(f"**{a}** {_g(r, 2)}" for a, r in ratios.items() if math.isfinite(r))
    return (
        f"Layer 1's gradient as a share of the output layer's: {parts}. Between them {'lies' if depth == 1 else 'lie'} {num(depth, 0)} "
        f"activation derivative{'s' if depth > 1 else ''}; with sigmoid their product is at most "
        f"0.25^{depth} = {_g(0.25**depth, 2)} (the weights scale it too)."
    )


def check_sentences(curve: pd.DataFrame, mark_h: float = network.MARK_H) -> str:
    """Where each precision passes, and what happens at ``mark_h`` (markdown, from the data).

    >>> t = pd.DataFrame({"dtype": ["float64", "float32"], "h": [1e-7, 1e-7], "rel_error": [4e-9, 0.6],
    ...                   "passes": [True, False]})
    >>> print(check_sentences(t))
    float64 passes (error below 1e-06) at h = 1e-07 only; float32 (below 0.001) passes nowhere. At **h = 1e-07** float32's error is 0.6: it **fails**, although backprop is right — float64 passes at the same h (its error is 4e-09).
    """
    out = []
    for dtype in ("float64", "float32"):
        span = network.check_summary(curve, dtype)
        if not span:
            where = "passes nowhere"
        elif _e(span[0]) == _e(span[1]):
            where = f"passes at h = {_e(span[0])} only"
        else:
            where = f"passes for h from {_e(span[0])} to {_e(span[1])}"
        threshold = network.PASS_BELOW[dtype]
        if dtype == "float64":
            out.append(f"float64 {where.replace('passes', f'passes (error below {_e(threshold)})', 1)}")
        else:
            out.append(f"{dtype} (below {_g(threshold, 6)}) {where}")
    text = "; ".join(out) + "."
    at = network.check_at(curve, mark_h)
    if at is not None:
        (e64, ok64), (e32, ok32) = at["float64"], at["float32"]
        text += f" At **h = {_e(mark_h)}** float32's error is {_g(e32, 2)}: it **{'passes' if ok32 else 'fails'}**"
        if not ok32 and ok64:
            text += f", although backprop is right — float64 passes at the same h (its error is {_g(e64, 1)})."
        else:
            text += f"; float64's is {_g(e64, 1)} ({'passes' if ok64 else 'fails'})."
    return text
