"""Words about heavy work: what a computation is called, what makes it cheaper, and why an
update left it out (the work budget's refusal), written once for every page.

Examples
--------
>>> from optimizers.cost import Cost
>>> too_much(Cost(1.5, "range_test", ("runs", "num_it", "hidden")) + Cost(1.0, "sweep", ("hidden",)), 2.0)
'These settings need about 2.5 CPU-seconds (the range test and the check-it sweep); one update may use at most 2. Lower the runs, iterations or width.'
"""

from __future__ import annotations

from optimizers.cost import Cost

__all__ = ["KNOBS", "TASKS", "join", "too_much"]

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
