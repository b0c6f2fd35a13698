"""The work budget: what one page update may cost, decided before any heavy work starts.

Every heavy computation (a range test over several seeds, a sweep of fixed learning rates,
training a network, symbolic algebra, a certified bound, a bootstrap) estimates its cost in
CPU-seconds on the reference machine (2 cores, the development box) *before* it runs, as an
:class:`optimizers.cost.Cost` (the model modules know their own loops). This module is the
policy: a page adds up the estimates of what it is about to do and calls :func:`check`; above
:data:`CAP_SECONDS` the work is not started in the visitor's update. The estimates are
conservative fits of measured times; the pool's timeout (:func:`timeout_for`) still stops
anything that runs longer than its estimate allowed. What a visitor reads about it is in
``explain.work``.
"""

from __future__ import annotations

import math

from optimizers.cost import Cost

__all__ = ["CAP_SECONDS", "HARD_TIMEOUT_SECONDS", "BudgetExceeded", "Cost", "check", "timeout_for"]

#: CPU-seconds one page update may spend on heavy work.
CAP_SECONDS = 2.0
#: A task may run this many times its estimate (plus SLACK_SECONDS) before it is stopped.
TIMEOUT_FACTOR = 3.0
SLACK_SECONDS = 1.0
#: No task runs longer than this, whatever its estimate.
HARD_TIMEOUT_SECONDS = 2 * CAP_SECONDS + SLACK_SECONDS


class BudgetExceeded(ValueError):
    """The work asked for costs more than ``cap`` CPU-seconds (``cost`` says what and how to lower it)."""

    def __init__(self, cost: Cost, cap: float) -> None:
        self.cost, self.cap = cost, cap
        super().__init__(f"{cost.seconds:.1f} CPU-seconds of {', '.join(cost.tasks) or 'work'} > cap {cap:g}")


def check(*costs: Cost, cap: float = CAP_SECONDS) -> Cost:
    """The total of ``costs``, or BudgetExceeded when it is above ``cap``.

    Examples
    --------
    >>> check(Cost(0.5, "range_test")).seconds
    0.5
    >>> check(Cost(3.0, "range_test", ("runs",)))
    Traceback (most recent call last):
    ...
    runtime.budget.BudgetExceeded: 3.0 CPU-seconds of range_test > cap 2
    """
    total = Cost(0.0)
    for c in costs:
        total = total + c
    if not math.isfinite(total.seconds) or total.seconds > cap:
        raise BudgetExceeded(total, cap)
    return total


def timeout_for(cost: Cost) -> float:
    """Seconds the pool lets a task with this estimate run before stopping it.

    >>> timeout_for(Cost(0.5)), timeout_for(Cost(10))
    (2.5, 5.0)
    """
    return min(HARD_TIMEOUT_SECONDS, TIMEOUT_FACTOR * max(cost.seconds, 0.0) + SLACK_SECONDS)
