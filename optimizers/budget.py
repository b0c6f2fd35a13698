"""The work budget: what one page update may cost, stated before any heavy work starts.

Every heavy computation (a range test over several seeds, a sweep of fixed learning rates,
training a network, symbolic algebra, a certified bound) estimates its cost in CPU-seconds
on the reference machine (2 cores, the development box) *before* it runs. A page adds up
the estimates of what it is about to do and calls :func:`check`; above :data:`CAP_SECONDS`
the page refuses and says what to lower, instead of letting one visitor occupy the server.
The estimates are conservative fits of measured times; the pool's timeout
(:func:`timeout_for`) still stops anything that runs longer than its estimate allowed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["CAP_SECONDS", "BudgetExceeded", "Cost", "check", "timeout_for"]

#: CPU-seconds one page update may spend on heavy work.
CAP_SECONDS = 2.0
#: A task may run this many times its estimate (plus SLACK_SECONDS) before it is stopped.
TIMEOUT_FACTOR = 3.0
SLACK_SECONDS = 1.0
#: No task runs longer than this, whatever its estimate.
HARD_TIMEOUT_SECONDS = 2 * CAP_SECONDS + SLACK_SECONDS


@dataclass(frozen=True)
class Cost:
    """An estimate of heavy work: CPU-seconds, what it is, and what to lower to shrink it.

    Examples
    --------
    >>> total = Cost(0.4, "the range test", "fewer runs") + Cost(0.2, "the sweep", "a smaller batch")
    >>> round(total.seconds, 3), total.what
    (0.6, 'the range test and the sweep')
    """

    seconds: float
    what: str
    lower: str = ""

    def __add__(self, other: Cost) -> Cost:
        lower = ", ".join(dict.fromkeys(x for x in (self.lower, other.lower) if x))
        return Cost(self.seconds + other.seconds, f"{self.what} and {other.what}", lower)


class BudgetExceeded(ValueError):
    """The work asked for costs more than one page update may spend."""

    def __init__(self, cost: Cost, cap: float) -> None:
        self.cost, self.cap = cost, cap
        advice = f" Lower {cost.lower}." if cost.lower else ""
        super().__init__(
            f"These settings need about {cost.seconds:.1f} CPU-seconds ({cost.what}); one update may "
            f"use at most {cap:g}.{advice}"
        )


def check(*costs: Cost, cap: float = CAP_SECONDS) -> Cost:
    """The total of ``costs``, or BudgetExceeded when it is above ``cap``.

    Examples
    --------
    >>> check(Cost(0.5, "a range test")).seconds
    0.5
    >>> check(Cost(3.0, "a range test", "the number of runs"))
    Traceback (most recent call last):
    ...
    optimizers.budget.BudgetExceeded: These settings need about 3.0 CPU-seconds (a range test); one update may use at most 2. Lower the number of runs.
    """
    if not costs:
        return Cost(0.0, "nothing")
    total = costs[0]
    for c in costs[1:]:
        total = total + c
    if not math.isfinite(total.seconds) or total.seconds > cap:
        raise BudgetExceeded(total, cap)
    return total


def timeout_for(cost: Cost) -> float:
    """Seconds the pool lets a task with this estimate run before stopping it.

    >>> timeout_for(Cost(0.5, "x")), timeout_for(Cost(10, "x"))
    (2.5, 5.0)
    """
    return min(HARD_TIMEOUT_SECONDS, TIMEOUT_FACTOR * max(cost.seconds, 0.0) + SLACK_SECONDS)
