"""Words about heavy work: what a computation is called, what makes it cheaper, and why an
update left it out (the work budget's refusal), written once for every page.

Examples
--------
>>> from optimizers.cost import Cost
>>> too_much(Cost(1.5, "range_test", ("runs", "num_it", "hidden")) + Cost(1.0, "sweep", ("hidden",)), 2.0)
'These settings need about 2.5 CPU-seconds (the range test and the check-it sweep); one update may use at most 2. Lower the runs, iterations or width.'
"""

from __future__ import annotations

from explain.format import count, percent, plain
from optimizers.cost import Cost

__all__ = [
    "BUSY",
    "KNOBS",
    "RESTART",
    "STOP",
    "STOPPED",
    "TASKS",
    "TOO_MUCH",
    "join",
    "running",
    "too_much",
    "took_too_long",
]

#: What each task identifier of optimizers.cost.Cost is called on a page.
TASKS = {
    "range_test": "the range test",
    "sweep": "the check-it sweep",
    "training": "training the network",
    "gradient_norms": "the gradient norms",
    "gradient_check": "the gradient check",
    "certify": "the certified search",
    "analysis": "the analysis of f on the interval",
    "sensitivity": "re-solving f at many values of a",
    "symbolic": "the exact derivative",
    "bootstrap": "the resampled fits",
    "surface": "the search for critical points",
}
#: What each knob (a URL parameter) is called when a visitor is asked to lower it.
KNOBS = {
    "runs": "runs",
    "num_it": "iterations",
    "hidden": "width",
    "layers": "depth",
    "batch_size": "batch size",
    "steps": "steps",
    "f": "the formula's length",
    "interval": "the interval's width",
}


def join(words: list[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'.

    >>> join(["a"]), join(["a", "b"]), join(["a", "b", "c"], "or")
    ('a', 'a and b', 'a, b or c')
    """
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def too_much(cost: Cost, cap: float) -> str:
    """Why an update does not run ``cost``: its size, the cap, and what to lower (each once)."""
    tasks = join([TASKS.get(t, t.replace("_", " ")) for t in cost.tasks])
    knobs = list(dict.fromkeys(KNOBS.get(k, k.replace("_", " ")) for k in cost.knobs))
    advice = f" Lower the {join(knobs, 'or')}." if knobs else ""
    return (
        f"These settings need about {cost.seconds:.1f} CPU-seconds ({tasks}); one update may use at most "
        f"{cap:g}.{advice}"
    )


#: Before :func:`too_much`, when a page refuses work.
TOO_MUCH = "Too much work for one update."
#: The pool's queue is full, or no worker became free in time.
BUSY = "The server is busy with other visitors' heavy computations. Try again in a few seconds."
#: The label of the button that stops a background job, and what the page says afterwards.
STOP = "Stop"
STOPPED = "You stopped this computation. Change a setting, or run it again."
RESTART = "Run it again"


def took_too_long(detail: object) -> str:
    """A task stopped by its time limit (``detail``: the pool's message, shown literally)."""
    return f"This computation took too long and was stopped ({plain(detail)}). Lower the settings and try again."


def running(cost: Cost, fraction: float | None, waiting: bool = False) -> str:
    """The progress bar's text for a background job.

    >>> running(Cost(12.3, ("range_test", "sweep")), 0.4)
    'Computing the range test and the check-it sweep: 40% of about 12 CPU-seconds. Stop ends it; a new setting starts over.'
    >>> running(Cost(12.3, "training"), None, waiting=True)
    'Waiting for a free worker for training the network (about 12 CPU-seconds; the server runs few long computations at once).'
    """
    tasks = join([TASKS.get(t, t.replace("_", " ")) for t in cost.tasks]) or "this computation"
    seconds = count(max(cost.seconds, 1.0))
    if waiting:
        return (
            f"Waiting for a free worker for {tasks} (about {seconds} CPU-seconds; the server runs few long "
            "computations at once)."
        )
    done = f"{percent(fraction, 0)} of about" if fraction is not None else "about"
    return f"Computing {tasks}: {done} {seconds} CPU-seconds. Stop ends it; a new setting starts over."
