"""Progress and cooperative stopping for long computations, without any process machinery.

Long loops in this library (training networks, range tests, multi-start searches, bootstraps)
call :func:`checkpoint` between steps. In a notebook nothing is installed and it does nothing.
The worker pool (``runtime.workpool``) installs a hook in each worker that reports the
fraction done to the page (a progress bar) and raises :class:`Stopped` when the visitor left
or asked for something else, so the loop ends at the next step instead of being killed.

Examples
--------
>>> checkpoint(0.5)  # no hook installed: nothing happens
>>> seen = []
>>> previous = install(seen.append)
>>> checkpoint(0.25); checkpoint()
>>> install(previous) == seen.append, seen
(True, [0.25, None])
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

__all__ = ["Stopped", "checkpoint", "install", "part", "scaled"]

Hook = Callable[[float | None], None]

_hook: Hook | None = None


class Stopped(RuntimeError):
    """Raised by a hook at a checkpoint: the caller no longer wants the result."""


def install(hook: Hook | None) -> Hook | None:
    """Make ``hook(fraction_or_None)`` run at every checkpoint; return the previous hook."""
    global _hook
    previous, _hook = _hook, hook
    return previous


def checkpoint(fraction: float | None = None) -> None:
    """A safe point to stop at; ``fraction`` (0..1) is how much of the work is done, if known."""
    if _hook is not None:
        _hook(fraction)


def scaled(start: float, stop: float) -> Callable[[float], None]:
    """A checkpoint for one part of a larger job, mapping its own 0..1 into ``start..stop``.

    >>> seen = []
    >>> previous = install(seen.append)
    >>> part = scaled(0.5, 1.0)
    >>> part(0.5)
    >>> _ = install(previous); seen
    [0.75]
    """

    def report(fraction: float) -> None:
        checkpoint(start + (stop - start) * min(max(fraction, 0.0), 1.0))

    return report


@contextlib.contextmanager
def part(start: float, stop: float) -> Iterator[None]:
    """Inside the block, checkpoints report their own 0..1 as ``start..stop`` of the hook
    installed outside it: one long job made of several loops shows one progress bar. A
    checkpoint without a fraction still reaches the hook (it may stop the job).

    >>> seen = []
    >>> previous = install(seen.append)
    >>> with part(0.5, 1.0):
    ...     checkpoint(0.5); checkpoint()
    >>> checkpoint(0.1)
    >>> _ = install(previous); seen
    [0.75, None, 0.1]
    """
    outer = _hook
    if outer is None:
        yield
        return

    def hook(fraction: float | None) -> None:
        outer(None if fraction is None else start + (stop - start) * min(max(fraction, 0.0), 1.0))

    install(hook)
    try:
        yield
    finally:
        install(outer)
