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

Work above the per-update cap is not refused outright: up to :data:`BACKGROUND_CAP_SECONDS`
it runs as a *background job* (:func:`mode` says which), the per-visitor bound of issue 19:

* a background job shows a progress bar and a Stop button, and survives the visitor's other
  reruns (``ui.work.compute``); each browser session has **at most one** (asking for another
  stops the first);
* it runs in the shared pool as a *long* task, so it waits for one of the pool's
  ``max_long`` places (all workers but one: a worker always stays free for short work), at
  most ``queue_timeout`` seconds in the pool's bounded queue, and is stopped when the visitor
  leaves;
* its time limit is :func:`timeout_for` of its estimate, at most
  :data:`BACKGROUND_HARD_TIMEOUT_SECONDS` of CPU.

Above the background cap a page refuses before starting anything and names what to lower.
"""

from __future__ import annotations

import enum
import math

from optimizers.cost import Cost

__all__ = [
    "BACKGROUND_CAP_SECONDS",
    "BACKGROUND_HARD_TIMEOUT_SECONDS",
    "CAP_SECONDS",
    "HARD_TIMEOUT_SECONDS",
    "BudgetExceeded",
    "Cost",
    "Mode",
    "check",
    "mode",
    "timeout_for",
]

#: CPU-seconds one page update may spend on heavy work while the visitor waits.
CAP_SECONDS = 2.0
#: CPU-seconds one background job may cost (estimated before it starts): one per session.
BACKGROUND_CAP_SECONDS = 60.0
#: A task may run this many times its estimate (plus SLACK_SECONDS) before it is stopped.
TIMEOUT_FACTOR = 3.0
SLACK_SECONDS = 1.0
#: No task runs longer than this, whatever its estimate.
HARD_TIMEOUT_SECONDS = 2 * CAP_SECONDS + SLACK_SECONDS
#: No background job runs longer than this (CPU-seconds), whatever its estimate.
BACKGROUND_HARD_TIMEOUT_SECONDS = 2 * BACKGROUND_CAP_SECONDS + SLACK_SECONDS


class Mode(enum.Enum):
    """How a page runs work of a given estimate."""

    FOREGROUND = "foreground"  # within the update, behind a spinner (at most CAP_SECONDS)
    BACKGROUND = "background"  # a background job with progress and a Stop button
    REFUSED = "refused"  # above BACKGROUND_CAP_SECONDS: not started


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


def mode(cost: Cost) -> Mode:
    """Foreground up to CAP_SECONDS, background up to BACKGROUND_CAP_SECONDS, else refused.

    >>> mode(Cost(0.5)).name, mode(Cost(9.0)).name, mode(Cost(75.0)).name, mode(Cost(math.nan)).name
    ('FOREGROUND', 'BACKGROUND', 'REFUSED', 'REFUSED')
    """
    if not math.isfinite(cost.seconds) or cost.seconds > BACKGROUND_CAP_SECONDS:
        return Mode.REFUSED
    return Mode.FOREGROUND if cost.seconds <= CAP_SECONDS else Mode.BACKGROUND


def timeout_for(cost: Cost) -> float:
    """Seconds the pool lets a task with this estimate run before stopping it: 3x the
    estimate plus a second, at most HARD_TIMEOUT_SECONDS for work within one update and
    BACKGROUND_HARD_TIMEOUT_SECONDS for a background job.

    >>> timeout_for(Cost(0.5)), timeout_for(Cost(1.5)), timeout_for(Cost(10)), timeout_for(Cost(50))
    (2.5, 5.0, 31.0, 121.0)
    """
    hard = HARD_TIMEOUT_SECONDS if cost.seconds <= CAP_SECONDS else BACKGROUND_HARD_TIMEOUT_SECONDS
    return min(hard, TIMEOUT_FACTOR * max(cost.seconds, 0.0) + SLACK_SECONDS)
