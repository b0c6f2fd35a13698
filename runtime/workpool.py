"""A small, bounded pool of worker processes for heavy work, shared by every visitor.

A public demo cannot let one visitor's request run for minutes, nor let twenty visitors
start twenty processes. Heavy work (range tests, network training, symbolic algebra,
certified bounds) therefore runs here:

* at most ``workers`` processes (default: the number of cores), started lazily from a
  ``forkserver`` that has already imported numpy, scipy and the models (a fresh worker
  costs milliseconds, and forking never copies the web server's threads or locks);
* at most ``max_waiting`` callers queue for a worker, each for at most ``queue_timeout``
  seconds; beyond that :class:`Busy` is raised at once instead of piling up work;
* every task has a ``timeout``; a task that runs past it, or whose caller no longer wants
  it (``cancelled()`` turns true: the visitor left, or moved a slider again), is asked to
  stop through a flag that long loops check between steps (``optimizers.progress.checkpoint``), and its
  worker is killed if it does not stop within a short grace period. Killed workers are
  replaced on the next use;
* *long* tasks (``run(..., long=True)``: a visitor's background job, which may run far past
  one page update) take at most ``max_long`` workers at once (default: all but one), so a
  worker stays free for the short work of every other visitor. A :class:`Job` runs one in a
  thread of its own, so the page that asked may stop waiting and come back to it.

Functions sent to the pool must be importable module-level functions, and their arguments
and results picklable.

Nothing here imports streamlit: the page glue (``ui/work.py``) supplies ``cancelled`` and
``on_progress``. Tasks report progress and notice a stop request through
:mod:`optimizers.progress` (its hook is installed in every worker), so the numerical library
never imports this module.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from optimizers import progress

__all__ = [
    "DEFAULT_QUEUE_TIMEOUT",
    "WORKER_NICE",
    "Busy",
    "Cancelled",
    "Job",
    "PoolStats",
    "WorkPool",
    "WorkTimeout",
    "default_pool",
    "skip_main_module",
    "stop_requested",
    "tune_malloc",
]

#: Seconds a caller waits for a free worker before being told the server is busy.
DEFAULT_QUEUE_TIMEOUT = 15.0
#: Seconds a worker gets to stop by itself after being asked, before it is killed.
GRACE = 0.3
#: Modules the forkserver imports once, so that every worker starts warm.
PRELOAD = ["runtime.preload"]
#: A task stops after ``timeout`` CPU-seconds of its worker, or after this many times
#: ``timeout`` of wall-clock time, whichever comes first: on a busy machine a fair limit
#: counts the work done, not the time spent waiting for a core.
WALL_FACTOR = 4.0
#: How often a waiting caller checks its deadline and ``cancelled()``.
POLL = 0.05
#: Workers run at this niceness (0 is the server's): when the cores are contended, the web
#: server's threads, which answer every visitor, get the CPU before heavy work does. Time
#: limits count the worker's CPU time, so a niced task is not stopped sooner for waiting.
#: (python bench/load.py --heavy: at nice 0, ten heavy visitors took an ordinary /pricing
#: visitor's median rerun from 99 ms alone to 1,413 ms; see the README.)
WORKER_NICE = 10
#: glibc malloc in a worker: arrays up to 32 MB come from the heap (not a fresh mmap each), and
#: up to 64 MB of freed heap is kept for reuse instead of being returned to the system at once.
#: Stacked training (optimizers.nn._Stack) allocates the same few-MB temporaries every step;
#: with glibc's defaults a step of 7 networks of width 128, depth 2, batch 256 took ~3,400 page
#: faults and 8-10 ms of system time on top of 10 ms of arithmetic, and ran 2x slower than the
#: same 7 networks one at a time (whose temporaries are small). With these: no faults.
MALLOC_MMAP_THRESHOLD = 32 * 1024 * 1024
MALLOC_TRIM_THRESHOLD = 64 * 1024 * 1024


class Busy(RuntimeError):
    """Every worker is taken and the queue is full (or the wait was too long)."""


class Cancelled(RuntimeError):
    """The caller stopped wanting the result; the work was stopped."""


class WorkTimeout(TimeoutError):
    """The task ran past its time limit and was stopped."""


class _Flag:
    """A stop flag in shared memory (a byte), set by the server and read by the worker.

    Not a ``multiprocessing.Event``: an Event is a *named* semaphore that the child opens by
    name while it unpickles its arguments; when the server exits while a worker is still
    starting (an AppTest run ending, a server shutting down during warm-up), the name is
    already unlinked and the child dies printing a FileNotFoundError traceback from
    multiprocessing/synchronize.py. Shared memory travels as a file descriptor instead,
    duplicated while the parent starts the child, so there is nothing to look up later.
    """

    def __init__(self, ctx) -> None:
        self._value = ctx.RawValue("b", 0)

    def set(self) -> None:
        self._value.value = 1

    def clear(self) -> None:
        self._value.value = 0

    def is_set(self) -> bool:
        return bool(self._value.value)


# --- inside a worker ---------------------------------------------------------------------

_STOP: Any = None  # the worker's stop flag (a _Flag), None outside workers
_PROGRESS: Any = None  # the worker's progress (a shared double, 0..1; -1 when unknown)


def stop_requested() -> bool:
    """True inside a worker whose task was cancelled or timed out; always False elsewhere."""
    return _STOP is not None and _STOP.is_set()


def _hook(fraction: float | None) -> None:
    """The :mod:`optimizers.progress` hook inside a worker: publish progress, honour a stop."""
    if _STOP is not None and _STOP.is_set():
        raise Cancelled("stopped on request")
    if fraction is not None and _PROGRESS is not None:
        _PROGRESS.value = min(max(float(fraction), 0.0), 1.0)


def tune_malloc() -> bool:
    """Set MALLOC_MMAP_THRESHOLD and MALLOC_TRIM_THRESHOLD in this process (glibc only);
    whether it could. Every worker calls it when it starts."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    m_trim_threshold, m_mmap_threshold = -1, -3  # <malloc.h>
    return bool(libc.mallopt(m_mmap_threshold, MALLOC_MMAP_THRESHOLD)) and bool(
        libc.mallopt(m_trim_threshold, MALLOC_TRIM_THRESHOLD)
    )


def _worker_main(conn, stop, shared_progress) -> None:  # pragma: no cover - runs in the worker process
    global _STOP, _PROGRESS
    _STOP, _PROGRESS = stop, shared_progress
    tune_malloc()
    progress.install(_hook)
    with contextlib.suppress(OSError, AttributeError):  # AttributeError: no os.nice (Windows)
        os.nice(WORKER_NICE)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        fn, args, kwargs = task
        stop.clear()
        shared_progress.value = -1.0
        try:
            reply = ("ok", fn(*args, **kwargs))
        except progress.Stopped as exc:
            reply = ("error", Cancelled(str(exc)))
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the caller
            reply = ("error", exc)
        try:
            conn.send(reply)
        except Exception as exc:  # noqa: BLE001 - an unpicklable result or exception
            conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


def skip_main_module() -> None:
    """Called once in the forkserver (``runtime.preload``): workers never re-run the web
    server's ``__main__``.

    Before starting a process, multiprocessing records the parent's ``__main__`` and the child
    runs it again as ``__mp_main__`` (``multiprocessing.spawn.prepare``). While Streamlit runs
    a script, ``__main__`` *is* that script (``app.py``), so a worker started during a rerun
    executed the whole app: it imported streamlit, and ``app.py``'s warm-up started a second
    pool with its own forkserver inside the worker (a CI run counted 10 processes for a pool
    of 2). Tasks are module-level functions of importable modules (see the module docstring),
    so a worker needs the parent's ``sys.path`` and working directory, never its main module.
    """
    from multiprocessing import spawn

    if getattr(spawn.prepare, "skips_main", False):
        return
    prepare = spawn.prepare

    def prepare_without_main(data: dict) -> None:
        prepare({k: v for k, v in data.items() if k not in ("init_main_from_name", "init_main_from_path")})

    prepare_without_main.skips_main = True  # type: ignore[attr-defined]
    spawn.prepare = prepare_without_main


# --- in the server -----------------------------------------------------------------------


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used, from /proc; 0 where /proc is missing
    (the wall-clock limit still applies there)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS
    except (OSError, IndexError, ValueError):
        return 0.0


class _Worker:
    """One worker process with its pipe and stop flag, started on first use."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.proc = None
        self.conn = None
        self.stop = None
        self.progress = None

    def ensure(self) -> None:
        if self.proc is not None and self.proc.is_alive():
            return
        self.close()
        parent, child = self.ctx.Pipe()
        self.stop = _Flag(self.ctx)
        self.progress = self.ctx.RawValue("d", -1.0)
        self.proc = self.ctx.Process(target=_worker_main, args=(child, self.stop, self.progress), daemon=True)
        self.proc.start()
        child.close()
        self.conn = parent

    def kill(self) -> None:
        if self.proc is not None and self.proc.is_alive():
            self.proc.kill()
        self.close()

    def close(self) -> None:
        if self.proc is not None:
            with contextlib.suppress(AssertionError, ValueError):  # never started (shutting down mid-start)
                self.proc.join(timeout=1)
        if self.conn is not None:
            self.conn.close()
        self.proc = self.conn = self.stop = self.progress = None


@dataclass(frozen=True)
class PoolStats:
    """Counters since the pool was created (for logs and tests)."""

    workers: int
    busy: int
    waiting: int
    completed: int
    failed: int
    timed_out: int
    cancelled: int
    refused: int
    killed: int
    long: int = 0


class WorkPool:
    """At most ``workers`` processes, at most ``max_waiting`` callers queued.

    Parameters
    ----------
    workers : int, optional
        Worker processes (default: ``os.cpu_count()``, or ``$OPTIMIZER_WORKERS``).
    max_waiting : int, optional
        Callers allowed to wait for a worker (default: 4 per worker).
    queue_timeout : float
        Seconds a caller waits for a worker before :class:`Busy`.
    max_long : int, optional
        Workers that long tasks may take at once (default: ``workers - 1``, at least 1).

    Examples
    --------
    >>> import math
    >>> pool = WorkPool(workers=1)
    >>> pool.run(math.sqrt, 2.25, timeout=30)
    1.5
    >>> pool.shutdown()
    """

    def __init__(
        self,
        workers: int | None = None,
        max_waiting: int | None = None,
        queue_timeout: float = DEFAULT_QUEUE_TIMEOUT,
        max_long: int | None = None,
    ) -> None:
        if workers is None:
            workers = int(os.environ.get("OPTIMIZER_WORKERS", "0")) or os.cpu_count() or 1
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.workers = workers
        self.max_waiting = 4 * workers if max_waiting is None else max_waiting
        self.queue_timeout = queue_timeout
        self.max_long = max(1, workers - 1) if max_long is None else max_long
        if self.max_long < 1:
            raise ValueError(f"max_long must be at least 1, got {max_long}")
        self._long = 0
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._all = [_Worker(ctx) for _ in range(workers)]
        for w in self._all:
            self._idle.put(w)
        self._lock = threading.Lock()
        self._waiting = 0
        self._counts = dict.fromkeys(
            ("completed", "failed", "timed_out", "cancelled", "refused", "killed"),
            0,
        )
        self._closed = False

    def stats(self) -> PoolStats:
        with self._lock:
            return PoolStats(
                workers=self.workers,
                busy=self.workers - self._idle.qsize(),
                waiting=self._waiting,
                long=self._long,
                **self._counts,
            )

    def _count(self, name: str) -> None:
        with self._lock:
            self._counts[name] += 1

    def _take(self, long: bool) -> _Worker | None:
        """An idle worker, if one may be taken now (call with the lock held)."""
        if long and self._long >= self.max_long:
            return None
        try:
            worker = self._idle.get_nowait()
        except queue.Empty:
            return None
        if long:
            self._long += 1
        return worker

    def _acquire(self, cancelled: Callable[[], bool] | None, long: bool = False) -> _Worker:
        with self._lock:
            if self._closed:
                raise Busy("the work pool is shut down")
            worker = self._take(long)
            if worker is not None:
                return worker
            if self._waiting >= self.max_waiting:
                self._counts["refused"] += 1
                raise Busy(f"{self.workers} computations are running and {self._waiting} are waiting")
            self._waiting += 1
        try:
            deadline = time.monotonic() + self.queue_timeout
            while True:
                if cancelled is not None and cancelled():
                    self._count("cancelled")
                    raise Cancelled("the visitor no longer needs this result")
                left = deadline - time.monotonic()
                if left <= 0:
                    self._count("refused")
                    raise Busy(f"waited {self.queue_timeout:g} s for a free worker")
                with self._lock:
                    worker = self._take(long)
                if worker is not None:
                    return worker
                time.sleep(min(POLL, left))
        finally:
            with self._lock:
                self._waiting -= 1

    def _release(self, worker: _Worker, long: bool) -> None:
        with self._lock:
            if long:
                self._long -= 1
        self._idle.put(worker)

    def run(
        self,
        fn: Callable,
        *args,
        timeout: float,
        cancelled: Callable[[], bool] | None = None,
        on_progress: Callable[[float], None] | None = None,
        on_start: Callable[[], None] | None = None,
        long: bool = False,
        **kwargs,
    ):
        """``fn(*args, **kwargs)`` in a worker; its result, or its exception re-raised here.

        ``on_progress(fraction)`` is called in the caller's thread, about every ``POLL``
        seconds while the task runs, whenever the task has reported progress through
        :func:`optimizers.progress.checkpoint` since the last call. If it raises (a Streamlit
        page interrupted by a rerun raises from any element it draws), the task is stopped
        before the exception goes on. ``on_start()`` is called once a worker has taken the
        task. A ``long`` task waits for one of the ``max_long`` long-task places.

        Raises
        ------
        Busy
            No worker became free in time, or too many callers are waiting.
        WorkTimeout
            The task used more than ``timeout`` CPU-seconds, or ran longer than
            ``WALL_FACTOR * timeout`` seconds (it was stopped).
        Cancelled
            ``cancelled()`` turned true while waiting (the task was stopped).
        """
        if not timeout > 0:
            raise ValueError(f"timeout must be positive, got {timeout}")
        worker = self._acquire(cancelled, long)
        try:
            if on_start is not None:
                on_start()
            worker.ensure()  # a fresh worker is forked from the warm forkserver: milliseconds
            worker.conn.send((fn, args, kwargs))
            deadline = time.monotonic() + WALL_FACTOR * timeout
            cpu0 = _cpu_seconds(worker.proc.pid)
            reported = -1.0
            while not worker.conn.poll(POLL):
                if on_progress is not None and worker.progress is not None:
                    done = worker.progress.value
                    if done >= 0 and done != reported:
                        reported = done
                        try:
                            on_progress(done)
                        except BaseException:
                            self._stop(worker)  # never hand back a worker still busy with this task
                            self._count("cancelled")
                            raise
                if not worker.proc.is_alive():
                    worker.close()
                    self._count("failed")
                    raise RuntimeError("the worker process died")
                used = _cpu_seconds(worker.proc.pid) - cpu0
                if used > timeout or time.monotonic() > deadline:
                    self._stop(worker)
                    self._count("timed_out")
                    raise WorkTimeout(f"stopped after {timeout:g} CPU-seconds")
                if cancelled is not None and cancelled():
                    self._stop(worker)
                    self._count("cancelled")
                    raise Cancelled("the visitor no longer needs this result")
            try:
                status, value = worker.conn.recv()
            except (EOFError, OSError):
                worker.kill()
                self._count("failed")
                raise RuntimeError("the worker process died") from None
        finally:
            self._release(worker, long)
        if status == "ok":
            self._count("completed")
            return value
        self._count("failed")
        raise value

    def _stop(self, worker: _Worker) -> None:
        """Ask the task to stop; kill the worker if it has not answered after GRACE."""
        worker.stop.set()
        if worker.conn.poll(GRACE):
            try:
                worker.conn.recv()  # the task's answer (usually Cancelled): drop it
                return
            except (EOFError, OSError):
                pass
        worker.kill()
        self._count("killed")

    def warm(self) -> None:
        """Start the forkserver and every idle worker now (in the caller's thread), so that
        the first visitor's time limit is not spent importing numpy, scipy and sympy."""
        taken = []
        try:
            while True:
                taken.append(self._idle.get_nowait())
        except queue.Empty:
            pass
        try:
            for worker in taken:
                worker.ensure()
        except (OSError, EOFError, ValueError, AssertionError):
            pass  # the process is exiting; nothing to warm
        finally:
            for worker in taken:
                self._idle.put(worker)

    def shutdown(self) -> None:
        """Stop every worker (waits for none)."""
        with self._lock:
            self._closed = True
        for w in self._all:
            w.kill()


class Job:
    """``pool.run(fn, *args, long=True, **kwargs)`` in a thread of its own.

    A page waits for a job while showing its progress, and may stop waiting at any time (a
    rerun) and pick the same job up again later: the work goes on until it ends, fails, times
    out, is cancelled with :meth:`cancel`, or ``alive()`` turns false (the visitor left).
    ``on_done(job)`` is called in the job's thread when it has ended, however it ended.

    Examples
    --------
    >>> import math
    >>> pool = WorkPool(workers=1)
    >>> job = Job(pool, math.sqrt, (2.25,), timeout=30)
    >>> job.wait(30), job.result()
    (True, 1.5)
    >>> pool.shutdown()
    """

    def __init__(
        self,
        pool: WorkPool,
        fn: Callable,
        args: tuple = (),
        kwargs: dict | None = None,
        *,
        timeout: float,
        alive: Callable[[], bool] | None = None,
        on_done: Callable[[Job], None] | None = None,
    ) -> None:
        self._stop = threading.Event()
        self._done = threading.Event()
        self._alive = alive
        self._on_done = on_done
        self.progress: float | None = None
        self.started_at: float | None = None  # time.monotonic() when a worker took it
        self._value: Any = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._main, args=(pool, fn, args, kwargs or {}, timeout), name="work-job", daemon=True
        )
        self._thread.start()

    def _cancelled(self) -> bool:
        return self._stop.is_set() or (self._alive is not None and not self._alive())

    def _started(self) -> None:
        self.started_at = time.monotonic()

    def _progress(self, fraction: float) -> None:
        self.progress = fraction

    def _main(self, pool: WorkPool, fn: Callable, args: tuple, kwargs: dict, timeout: float) -> None:
        try:
            self._value = pool.run(
                fn,
                *args,
                timeout=timeout,
                cancelled=self._cancelled,
                on_progress=self._progress,
                on_start=self._started,
                long=True,
                **kwargs,
            )
        except BaseException as exc:  # noqa: BLE001 - every outcome goes back to whoever asks
            self._error = exc
        finally:
            self._done.set()
            if self._on_done is not None:
                with contextlib.suppress(Exception):
                    self._on_done(self)

    def cancel(self) -> None:
        """Ask the work to stop (it ends with :class:`Cancelled`)."""
        self._stop.set()

    @property
    def cancel_requested(self) -> bool:
        return self._stop.is_set()

    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait up to ``timeout`` seconds for the job to end; whether it has."""
        return self._done.wait(timeout)

    def result(self):
        """The task's result, or its exception raised here (the job must have ended)."""
        if not self._done.is_set():
            raise RuntimeError("the job is still running")
        if self._error is not None:
            raise self._error
        return self._value


_DEFAULT: WorkPool | None = None
_DEFAULT_LOCK = threading.Lock()


def default_pool() -> WorkPool:
    """The process-wide pool every page shares (created on first use)."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = WorkPool()
            atexit.register(_DEFAULT.shutdown)
        return _DEFAULT
