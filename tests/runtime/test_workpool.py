"""The shared worker pool: bounded workers, bounded queue, time limits, cancellation."""

import math
import os
import threading
import time

import pytest

from optimizers import progress
from runtime import workpool
from runtime.workpool import Busy, Cancelled, WorkPool, WorkTimeout


def spin(seconds: float) -> int:
    """Busy work that checks the stop flag between steps, like the range test does."""
    end = time.monotonic() + seconds
    steps = 0
    while time.monotonic() < end:
        progress.checkpoint()
        steps += 1
    return steps


def pid() -> int:
    return os.getpid()


@pytest.fixture
def pool():
    p = WorkPool(workers=1, max_waiting=1, queue_timeout=0.5)
    yield p
    p.shutdown()


class TestWorkPool:
    def test_basic(self, pool):
        assert pool.run(math.sqrt, 2.25, timeout=30) == 1.5
        assert pool.run(pid, timeout=30) != os.getpid()
        assert pool.stats().completed == 2

    def test_errors_come_back_as_raised(self, pool):
        with pytest.raises(ValueError, match="math domain error"):
            pool.run(math.sqrt, -1.0, timeout=30)

    @pytest.mark.load
    def test_timeout_stops_cooperative_work_without_killing(self, pool):
        first = pool.run(pid, timeout=30)
        t = time.monotonic()
        with pytest.raises(WorkTimeout):
            pool.run(spin, 30.0, timeout=0.5)
        # 0.5 CPU-seconds, or the wall-clock cap (WALL_FACTOR x 0.5 s) on a machine so busy that
        # the worker gets little CPU; then the cooperative stop. Far from the 30 s it asked for.
        assert time.monotonic() - t < 0.5 * workpool.WALL_FACTOR + 1.0
        assert pool.stats().killed == 0
        assert pool.run(pid, timeout=30) == first  # the same worker carries on

    def test_timeout_kills_work_that_cannot_stop(self, pool):
        first = pool.run(pid, timeout=30)
        with pytest.raises(WorkTimeout):
            pool.run(time.sleep, 30, timeout=0.3)
        assert pool.stats().killed == 1
        assert pool.run(pid, timeout=30) != first  # replaced on the next use

    @pytest.mark.load
    def test_cancel_stops_the_work(self, pool):
        flag = threading.Event()
        threading.Timer(0.3, flag.set).start()
        t = time.monotonic()
        with pytest.raises(Cancelled):
            pool.run(spin, 30.0, timeout=30, cancelled=flag.is_set)
        assert time.monotonic() - t < 2.0

    def test_queue_is_bounded(self, pool):
        pool.run(pid, timeout=30)  # warm up the worker
        errors: list[BaseException] = []

        def hold():
            try:
                pool.run(spin, 1.5, timeout=30)
            except BaseException as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)

        holder = threading.Thread(target=hold)
        holder.start()
        time.sleep(0.2)
        waiter = threading.Thread(target=hold)  # takes the one waiting place, times out after 0.5 s
        waiter.start()
        time.sleep(0.1)
        with pytest.raises(Busy, match="waiting"):
            pool.run(math.sqrt, 4.0, timeout=30)  # no place left in the queue: refused at once
        holder.join()
        waiter.join()
        assert len(errors) == 1
        assert isinstance(errors[0], Busy)
        assert pool.stats().refused == 2

    def test_input_validation(self, pool):
        with pytest.raises(ValueError, match="workers must be at least 1"):
            WorkPool(workers=0)
        with pytest.raises(ValueError, match="timeout must be positive"):
            pool.run(math.sqrt, 4.0, timeout=0)


def test_checkpoint_outside_a_worker_never_raises():
    progress.checkpoint(0.5)
    assert not workpool.stop_requested()


def report(steps: int) -> int:
    """Reports its progress at every step, slowly enough for the caller to see it."""
    for i in range(steps):
        time.sleep(0.06)
        progress.checkpoint((i + 1) / steps)
    return steps


def test_progress_reaches_the_caller(pool):
    seen: list[float] = []
    assert pool.run(report, 10, timeout=30, on_progress=seen.append) == 10
    assert len(seen) >= 3, seen  # polled every 50 ms while 10 steps of 60 ms ran
    assert seen == sorted(seen)
    assert 0 < seen[0] <= seen[-1] <= 1.0


def _main_ran(marker: str) -> bool:
    return os.path.exists(marker)


def test_a_worker_never_reruns_the_servers_main_script(tmp_path, monkeypatch):
    """While Streamlit runs a script, ``__main__`` is that script (app.py). A worker started
    then must not execute it again: it did, and app.py's warm-up started a second pool inside
    the worker (CI counted 10 processes for a pool of 2)."""
    import sys
    import types

    marker = tmp_path / "main-ran"
    script = tmp_path / "fake_app.py"
    script.write_text(f"open({str(marker)!r}, 'w').close()\n")
    fake_main = types.ModuleType("__main__")
    fake_main.__file__ = str(script)
    fake_main.__spec__ = None
    monkeypatch.setitem(sys.modules, "__main__", fake_main)
    p = WorkPool(workers=1)
    try:
        assert p.run(pid, timeout=30) != os.getpid()  # a worker started while __main__ was the script
        assert not p.run(_main_ran, str(marker), timeout=30)
    finally:
        p.shutdown()
    assert not marker.exists()


EXIT_DURING_WARM_UP = """
import sys, threading, time
from runtime.workpool import WorkPool
pool = WorkPool(workers=2)
threading.Thread(target=pool.warm, daemon=True).start()
time.sleep(float(sys.argv[1]))
"""


@pytest.mark.parametrize("delay", [1.0])
def test_a_process_exiting_while_workers_start_prints_no_traceback(delay):
    """Issue 18/19: with Event stop flags, a worker still unpickling its arguments when the
    server exited died with a FileNotFoundError traceback from multiprocessing/synchronize.py
    (seen at the end of every AppTest run that touched a pool page; this probe printed it for
    every delay from 0.2 s to 2 s here)."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", EXIT_DURING_WARM_UP, str(delay)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    time.sleep(0.5)  # a dying child writes to the inherited stderr after the parent returns
    assert done.returncode == 0
    assert "Traceback" not in done.stderr, done.stderr[-2000:]


class Interrupted(Exception):
    """What a Streamlit page raises from an element it draws when a rerun was requested."""


def test_a_progress_callback_that_raises_stops_the_task_first(pool):
    """The callback runs in the caller's thread; a page interrupted by a rerun raises from it.
    The task is stopped before the exception goes on: the worker never goes back to the idle
    queue still busy with it (the next caller would have received the old task's reply)."""
    first = pool.run(pid, timeout=30)

    def interrupt(_fraction: float) -> None:
        raise Interrupted

    with pytest.raises(Interrupted):
        pool.run(report, 50, timeout=30, on_progress=interrupt)
    assert pool.stats().cancelled == 1
    assert pool.run(math.sqrt, 2.25, timeout=30) == 1.5  # this caller's answer, not report's
    assert pool.run(pid, timeout=30) == first  # stopped cooperatively: the same worker


def test_long_tasks_leave_a_worker_for_short_work():
    """With two workers, long tasks take at most one: a second long task waits while short
    work still gets the other worker at once."""
    p = WorkPool(workers=2, max_waiting=4, queue_timeout=5)
    try:
        assert p.max_long == 1
        ended: list[workpool.Job] = []
        jobs = [workpool.Job(p, report, (20,), timeout=30, on_done=ended.append) for _ in range(2)]
        time.sleep(0.3)
        assert p.stats().long == 1
        t = time.monotonic()
        assert p.run(math.sqrt, 4.0, timeout=30) == 2.0  # the free worker, at once
        assert time.monotonic() - t < 1.0
        assert [j.started_at is not None for j in jobs].count(True) == 1  # the other long task waits
        assert all(j.wait(30) for j in jobs)
        assert [j.result() for j in jobs] == [20, 20]
        assert sorted(map(id, ended)) == sorted(map(id, jobs))  # on_done ran for each
        assert p.stats().long == 0
    finally:
        p.shutdown()


def test_a_job_outlives_its_caller_and_can_be_cancelled(pool):
    job = workpool.Job(pool, report, (20,), timeout=30)
    deadline = time.monotonic() + 20
    while job.progress is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert job.progress is not None  # reported while nobody waits for it
    assert not job.done()
    assert job.wait(30)
    assert job.result() == 20
    job = workpool.Job(pool, spin, (30.0,), timeout=60)
    time.sleep(0.3)
    job.cancel()
    assert job.wait(5)
    with pytest.raises(Cancelled):
        job.result()
    alive = threading.Event()
    alive.set()
    job = workpool.Job(pool, spin, (30.0,), timeout=60, alive=alive.is_set)
    time.sleep(0.3)
    alive.clear()  # the visitor left
    assert job.wait(5)
    with pytest.raises(Cancelled):
        job.result()
    with pytest.raises(ValueError, match="max_long must be at least 1"):
        WorkPool(workers=1, max_long=0)


def stacked_step_faults(steps: int = 10) -> int:
    """Minor page faults of ``steps`` stacked steps (7 networks, width 128, depth 2, batch 256),
    after two warm-up steps."""
    import resource

    from optimizers import nn

    data = nn.make_dataset("spirals", 512, seed=0)
    starts = [nn.init_params(nn.layer_sizes(data, 128, 2), "relu", s) for s in range(7)]
    stack = nn._Stack(starts, data, list(range(1, 8)), 256)
    stack.step(1e-3)
    stack.step(1e-3)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(steps):
        stack.step(1e-3)
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def test_workers_keep_their_heap_for_stacked_training(pool):
    """With glibc's defaults each of these steps took ~340 page faults (system time as large as the
    arithmetic); a worker's malloc keeps the temporaries' memory instead. Ten steps take 20-51 faults
    (seen in CI; a few come from elsewhere in the process): fewer than one default step's."""
    assert pool.run(stacked_step_faults, timeout=120) < 340
