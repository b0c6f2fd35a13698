"""ui.work: the shared results, the three budget modes, the session's one background job."""

import math
import time

import pytest
from streamlit.testing.v1 import AppTest

from runtime import budget
from runtime.workpool import Cancelled, Job, WorkPool
from tests.pages.conftest import shown
from ui import work


def spin(seconds: float) -> float:
    from optimizers import progress

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        progress.checkpoint()
    return seconds


class TestResults:
    def test_least_recently_used_goes_first(self):
        r = work._Results(size=2)
        r.put("a", 1)
        r.put("b", 2)
        assert r.get("a") == 1  # a is now the most recent
        r.put("c", 3)
        assert r.get("b") is work._MISSING
        assert (r.get("a"), r.get("c")) == (1, 3)

    def test_keys(self):
        assert work._key(math.sqrt, (2.0,), {}) == work._key(math.sqrt, (2.0,), {})
        assert work._key(math.sqrt, (2.0,), {}) != work._key(math.sqrt, (3.0,), {})
        assert work._key(math.sqrt, (), {"a": 1, "b": 2}) == work._key(math.sqrt, (), {"b": 2, "a": 1})


class TestJobs:
    def test_one_job_per_session(self):
        pool = WorkPool(workers=1)
        jobs = work._Jobs()
        try:
            first = jobs.start("s1", "k1", lambda: Job(pool, spin, (30.0,), timeout=60))
            assert jobs.start("s1", "k1", lambda: Job(pool, spin, (0.1,), timeout=60)) is first  # picked up again
            assert jobs.get("s1", "k1") is first
            assert jobs.get("s1", "k2") is None
            second = jobs.start("s1", "k2", lambda: Job(pool, spin, (0.1,), timeout=60))
            assert second is not first
            assert first.wait(10)  # asking for another job stopped the first
            with pytest.raises(Cancelled):
                first.result()
            assert second.wait(30)
            assert second.result() == 0.1
            jobs.forget("s1", second)
            assert jobs.get("s1", "k2") is None
        finally:
            pool.shutdown()


def _page():
    import math

    import streamlit as st

    from runtime.budget import Cost
    from ui import work

    seconds = {"fg": 0.1, "bg": 5.0, "no": 500.0}[st.query_params.get("mode", "fg")]
    value = work.compute(math.sqrt, float(st.query_params.get("x", "2.25")), cost=Cost(seconds, "training", ("steps",)))
    st.write(f"result {value}")


def _open(**params) -> AppTest:
    at = AppTest.from_function(_page, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


class TestCompute:
    def test_within_the_update_then_from_the_shared_results(self):
        at = _open(mode="fg", x="6.25")
        assert [m.value for m in at.markdown] == ["result 2.5"]
        before = work.default_pool().stats().completed
        at = _open(mode="fg", x="6.25")  # another visitor, same settings
        assert [m.value for m in at.markdown] == ["result 2.5"]
        assert work.default_pool().stats().completed == before  # not computed again

    def test_background(self):
        at = _open(mode="bg", x="12.25")
        assert [m.value for m in at.markdown] == ["result 3.5"]
        assert not at.get("progress")  # the bar and the Stop button are gone once it is done
        assert not at.button

    def test_refused_above_the_background_cap(self):
        at = _open(mode="no", x="20.25")
        message = shown(at.error[0].value)
        assert message.startswith("Too much work for one update. These settings need about 500.0 CPU-seconds")
        assert f"one update may use at most {budget.BACKGROUND_CAP_SECONDS:g}. Lower the steps." in message
        assert not at.markdown

    def test_a_stopped_job_waits_for_run_it_again(self):
        at = AppTest.from_function(_page, default_timeout=60)
        at.query_params["mode"], at.query_params["x"] = "bg", "30.25"
        at.session_state["_work_stopped"] = [work._key(math.sqrt, (30.25,), {})]
        at.run()
        assert "You stopped this computation" in at.info[0].value
        assert not at.markdown
        at.button(key="work_restart_work").click().run()
        assert [m.value for m in at.markdown] == ["result 5.5"]
        assert at.session_state["_work_stopped"] == []
