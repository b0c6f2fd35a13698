"""How much work a computation would be, stated before it runs: numbers and names, no words.

A model module estimates its own heavy work (it knows its loops) as a :class:`Cost`:
CPU-seconds on the reference machine (2 cores, the development box), the task's identifier,
and the URL keys of the inputs that make it cheaper. What is allowed per visitor is policy
(``runtime.budget``); what a visitor reads about it is words (``explain``).

Examples
--------
>>> total = Cost(0.4, "range_test", ("runs", "num_it")) + Cost(0.2, "sweep", ("hidden", "runs"))
>>> round(total.seconds, 3), total.tasks, total.knobs
(0.6, ('range_test', 'sweep'), ('runs', 'num_it', 'hidden'))
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Cost"]


@dataclass(frozen=True)
class Cost:
    """An estimate: ``seconds`` of CPU for the tasks named in ``tasks``; ``knobs`` lowers it."""

    seconds: float
    tasks: tuple[str, ...] | str = ()
    knobs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.tasks, str):
            object.__setattr__(self, "tasks", (self.tasks,))

    def __add__(self, other: Cost) -> Cost:
        return Cost(
            self.seconds + other.seconds,
            tuple(dict.fromkeys((*self.tasks, *other.tasks))),
            tuple(dict.fromkeys((*self.knobs, *other.knobs))),
        )
