"""Heavy work from a page: budget first, then the shared worker pool, stopped when the
visitor leaves or (for work within one update) moves a slider again.

    cost = lf.analyse_cost(...)                                   # optimizers estimates it
    result = work.compute(lf.analyse, data, cost=cost, ...)       # or a message + st.stop()

:func:`compute` decides with :func:`runtime.budget.mode`:

* a result computed before (by any visitor) comes from a shared cache at once;
* up to ``budget.CAP_SECONDS`` the work runs within the update, behind a spinner;
* up to ``budget.BACKGROUND_CAP_SECONDS`` it runs as the session's background job
  (:class:`runtime.workpool.Job`): a progress bar and a Stop button; the job goes on across
  the visitor's other reruns (moving an unrelated slider picks it up again instead of starting
  over), a session has at most one (asking for another stops the first), and it stops when
  the visitor leaves or presses Stop;
* above that the page refuses before starting anything and names what to lower.

Only successes are cached: refusals, time-outs and cancellations are not remembered, so a
link that timed out under load works again on an idle server. The cache lives in
``st.cache_resource``, so Streamlit's "clear cache" empties it like any other.

The older pair :func:`attempt` / :func:`in_pool` (an ``st.cache_data`` function calling the
pool within the update) stays for the pages that use it.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable

import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from explain import work as words
from optimizers.expression import ExpressionTimeout
from runtime import budget
from runtime.workpool import Busy, Cancelled, Job, WorkTimeout, default_pool

__all__ = ["attempt", "cancel_check", "compute", "in_pool", "refusal", "warm_pool"]

#: Finished results kept for every visitor (like ``st.cache_data(max_entries=...)``).
RESULTS = 64
#: How often a page waiting for its background job redraws the progress bar (seconds).
POLL_SECONDS = 0.25


@st.cache_resource(show_spinner=False)
def warm_pool() -> bool:
    """Start the shared pool's workers once per server process, in a background thread, so
    the first heavy request does not pay for importing numpy, scipy and sympy."""
    threading.Thread(target=default_pool().warm, name="warm-work-pool", daemon=True).start()
    return True


def _session_id() -> str:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else "no-session"


def _session_alive(session_id: str) -> Callable[[], bool]:
    """True while the visitor's browser is connected (always, outside a real server)."""

    def alive() -> bool:
        return not Runtime.exists() or Runtime.instance().is_active_session(session_id)

    return alive


def cancel_check() -> Callable[[], bool]:
    """A callable that turns true when the current script run is no longer wanted: the
    visitor's browser disconnected, or Streamlit was asked to stop or rerun this session."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return lambda: False
    requests, alive = ctx.script_requests, _session_alive(ctx.session_id)

    def cancelled() -> bool:
        # ScriptRequests has no public accessor for its state; read it defensively.
        state = getattr(getattr(requests, "_state", None), "value", "CONTINUE")
        return state != "CONTINUE" or not alive()

    return cancelled


def refusal(*costs: budget.Cost) -> str | None:
    """Why ``costs`` together do not fit in one update, in words; None when they fit."""
    try:
        budget.check(*costs)
    except budget.BudgetExceeded as exc:
        return words.too_much(exc.cost, exc.cap)
    return None


def in_pool(fn: Callable, *args, cost: budget.Cost, **kwargs):
    """``fn(*args, **kwargs)`` in the shared pool, with a time limit from ``cost``.

    Raises the pool's Busy / WorkTimeout / Cancelled, or whatever ``fn`` raised.
    """
    return default_pool().run(fn, *args, timeout=budget.timeout_for(cost), cancelled=cancel_check(), **kwargs)


def _failed(exc: BaseException, where) -> None:
    """Say why the work did not finish (nothing when the visitor cancelled it), then stop."""
    if isinstance(exc, budget.BudgetExceeded):
        where.error(f"{words.TOO_MUCH} {words.too_much(exc.cost, exc.cap)}", icon=":material/speed:")
    elif isinstance(exc, Busy):
        where.warning(words.BUSY, icon=":material/hourglass_top:")
    elif isinstance(exc, WorkTimeout | TimeoutError | ExpressionTimeout):
        where.error(words.took_too_long(exc), icon=":material/timer_off:")
    elif not isinstance(exc, Cancelled):
        raise exc
    st.stop()


def attempt(fn: Callable, *args, cost: budget.Cost | None = None, where=st, **kwargs):
    """Check the budget, then call ``fn``; on a refusal show why and stop the page.

    ``fn`` runs in this thread (it is typically cached and calls :func:`in_pool`).
    """
    try:
        if cost is not None:
            budget.check(cost)
        return fn(*args, **kwargs)
    except (budget.BudgetExceeded, Busy, WorkTimeout, TimeoutError, ExpressionTimeout, Cancelled) as exc:
        _failed(exc, where)


# --- compute: the shared results, the work within an update, the background job ---------------


class _Results:
    """The last RESULTS finished results, shared by every visitor (thread-safe LRU)."""

    def __init__(self, size: int = RESULTS) -> None:
        self.size, self._lock, self._items = size, threading.Lock(), OrderedDict()

    def get(self, key: str):
        with self._lock:
            if key not in self._items:
                return _MISSING
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: str, value) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


_MISSING = object()


@st.cache_resource(show_spinner=False)
def _results() -> _Results:
    return _Results()


def _key(fn: Callable, args: tuple, kwargs: dict) -> str:
    """What identifies a computation: the function and its arguments' pickled bytes."""
    blob = pickle.dumps((args, sorted(kwargs.items())), protocol=5)
    return f"{fn.__module__}.{fn.__qualname__}:{hashlib.sha256(blob).hexdigest()}"


class _Jobs:
    """Each session's background job (at most one), with the key of what it computes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: dict[str, tuple[str, Job]] = {}

    def get(self, session: str, key: str) -> Job | None:
        with self._lock:
            held = self._jobs.get(session)
        return held[1] if held is not None and held[0] == key else None

    def start(self, session: str, key: str, make: Callable[[], Job]) -> Job:
        """The session's job for ``key``; any other job of the session is stopped first."""
        with self._lock:
            self._prune()
            held = self._jobs.get(session)
            if held is not None and held[0] == key:
                return held[1]
            if held is not None:
                held[1].cancel()  # one heavy job per session
            job = make()
            self._jobs[session] = (key, job)
            return job

    def forget(self, session: str, job: Job) -> None:
        with self._lock:
            if self._jobs.get(session, (None, None))[1] is job:
                del self._jobs[session]

    def _prune(self) -> None:
        """Drop finished jobs of sessions that are gone (lock held)."""
        for session, (_, job) in list(self._jobs.items()):
            if job.done() and not _session_alive(session)():
                del self._jobs[session]


_JOBS = _Jobs()
_STOPPED = "_work_stopped"  # session state: keys of computations the visitor stopped


def _stopped() -> list[str]:
    return st.session_state.setdefault(_STOPPED, [])


def _background(key: str, fn: Callable, args: tuple, kwargs: dict, cost: budget.Cost, where, name: str):
    session, results = _session_id(), _results()
    box = where.container()
    if key in _stopped():
        box.info(words.STOPPED, icon=":material/stop_circle:")
        if not box.button(words.RESTART, key=f"work_restart_{name}", icon=":material/play_arrow:"):
            st.stop()
        _stopped().remove(key)

    def make() -> Job:
        def remember(job: Job) -> None:
            with contextlib.suppress(BaseException):  # failures are shown to the page, never cached
                results.put(key, job.result())

        timeout = budget.timeout_for(cost)
        return Job(default_pool(), fn, args, kwargs, timeout=timeout, alive=_session_alive(session), on_done=remember)

    job = _JOBS.start(session, key, make)
    slot = box.empty()
    with slot.container():
        bar = st.progress(0.0, text=words.running(cost, job.progress, waiting=job.started_at is None))
        if st.button(words.STOP, key=f"work_stop_{name}", icon=":material/stop:"):
            job.cancel()
            _JOBS.forget(session, job)
            _stopped().append(key)
            del _stopped()[:-16]  # remember the last few only
            st.rerun()
    # Every redraw is also where Streamlit interrupts this run for a rerun: the job goes on.
    while not job.wait(POLL_SECONDS):
        bar.progress(job.progress or 0.0, text=words.running(cost, job.progress, waiting=job.started_at is None))
    slot.empty()
    _JOBS.forget(session, job)
    try:
        value = job.result()
    except BaseException as exc:  # noqa: BLE001 - shown, or raised again by _failed
        _failed(exc, where)
    results.put(key, value)
    return value


def compute(
    fn: Callable,
    *args,
    cost: budget.Cost,
    where=st,
    name: str = "work",
    spinner: str = "Computing…",
    **kwargs,
):
    """``fn(*args, **kwargs)`` computed in the shared pool as the budget allows (see the
    module docstring), or a message on the page and ``st.stop()``.

    ``name`` keys the background job's Stop button (one per page); ``spinner`` is shown while
    work within the update runs. ``fn`` must be an importable module-level function, its
    arguments picklable (they also identify the result in the shared cache).
    """
    key = _key(fn, args, kwargs)
    results = _results()
    value = results.get(key)
    if value is not _MISSING:
        return value
    mode = budget.mode(cost)
    if mode is budget.Mode.REFUSED:
        _failed(budget.BudgetExceeded(cost, budget.BACKGROUND_CAP_SECONDS), where)
    if mode is budget.Mode.BACKGROUND:
        return _background(key, fn, args, kwargs, cost, where, name)
    try:
        with st.spinner(spinner):
            value = in_pool(fn, *args, cost=cost, **kwargs)
    except (Busy, WorkTimeout, TimeoutError, Cancelled) as exc:
        _failed(exc, where)
    results.put(key, value)
    return value
