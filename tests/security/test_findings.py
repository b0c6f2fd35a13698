"""One regression test per finding of the attack run (issue #10), numbered as there.

Findings that need a running server (editor rows over the websocket, clear_cache, heavy
visitors against a light one) are in test_server_attacks.py.
"""

from __future__ import annotations

import os
import threading
import time

import pytest

from optimizers import expression as ex
from optimizers.expression import ExpressionTimeout
from runtime import symbolic, workpool
from tests.pages.conftest import metrics, open_page, shown


# 3. Markdown injection: user text is escaped wherever it is echoed.
@pytest.mark.parametrize(
    ("page", "params", "element"),
    [
        ("compounding", {"rates": "![](//example.org/x)"}, "warning"),
        ("compounding", {"rates": "[Log in](//example.org)"}, "warning"),
        ("custom", {"f": '"![](//example.org/x)"'}, "error"),
        ("lab", {"f": '"[Log in](//example.org)"'}, "error"),
    ],
)
def test_3_markdown_in_messages_is_escaped(page, params, element):
    at = open_page(page, **params)
    raw = getattr(at, element)[0].value
    assert "\\[" in raw  # escaped, so markdown shows the brackets instead of a link or image
    assert "](" not in raw.replace("\\]\\(", "")
    assert "example" in shown(raw)  # and the reader still sees what they typed


def test_3_csv_column_names_are_escaped():
    at = open_page("pricing", model="data")
    header = b"![](//example.org/x),[Log in](//example.org)\n1,2\n"
    at.file_uploader(key="sales_upload").set_value(("x.csv", header, "text/csv")).run()
    raw = at.error[0].value
    assert "Missing column" in shown(raw)
    assert "](" not in raw.replace("\\]\\(", "")


# 4. Cached failures: a time-out is never stored; the same link works once the server is idle.
def test_4_timeouts_are_not_cached(monkeypatch):
    real = ex.prepare
    calls = []

    def flaky(text, *args, **kwargs):
        calls.append(text)
        if len(calls) == 1:
            raise ExpressionTimeout("differentiating this formula took longer than 2 s; simplify it")
        return real(text, *args, **kwargs)

    monkeypatch.setattr(ex, "prepare", flaky)
    formula = "x**2 - 7*x + 1"  # a formula no other test caches
    first = open_page("custom", f=formula)
    assert "took too long" in shown(first.error[0].value)
    second = open_page("custom", f=formula)
    assert not second.error
    assert metrics(second)["Global minimum"] == "−11.25"  # the page's one minus sign (U+2212)
    assert len(calls) == 2


# 5. Bounded workers: symbolic work from many visitors shares one pool of at most
#    one process per core instead of forking a child each.
def test_5_symbolic_work_runs_in_the_bounded_pool():
    pids: set[int] = set()
    lock = threading.Lock()

    def visitor():
        pid = symbolic.run_with_timeout(os.getpid, (), 10)
        with lock:
            pids.add(pid)

    threads = [threading.Thread(target=visitor) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    pool = workpool.default_pool()
    assert os.getpid() not in pids
    assert 1 <= len(pids) <= pool.workers <= (os.cpu_count() or 1)


def test_5_queue_beyond_its_bound_is_refused_not_piled_up():
    pool = workpool.WorkPool(workers=1, max_waiting=0, queue_timeout=0.2)
    try:
        pool.warm()
        holder = threading.Thread(target=pool.run, args=(time.sleep, 1.0), kwargs={"timeout": 10})
        holder.start()
        time.sleep(0.2)
        t = time.monotonic()
        with pytest.raises(workpool.Busy):
            pool.run(os.getpid, timeout=10)
        assert time.monotonic() - t < 0.5
        holder.join()
    finally:
        pool.shutdown()


# 6. Tracebacks from a link.
@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("lr-finder", {"seed": "inf"}),
        ("lr-finder", {"seed": "-inf"}),
        ("lr-finder", {"seed": "1e309"}),
        ("lr-finder", {"activation": ""}),
        ("pricing", {"model": "data", "fit": ""}),
    ],
)
def test_6_no_traceback(page, params):
    open_page(page, **params)  # open_page asserts there is no exception element


# 7. Empty option values give the default, not a different answer.
@pytest.mark.parametrize(
    ("page", "params", "label", "value"),
    [
        ("study", {"model": ""}, "Optimal study hours", "9.03 h"),
        ("compounding", {"frequency": ""}, "Doubling time", "13.86 years"),
        ("custom", {"goal": ""}, "Global minimum", "75"),
    ],
)
def test_7_empty_option_is_the_default(page, params, label, value):
    at = open_page(page, **params)
    assert metrics(at)[label] == value
    assert not at.error


def test_7_empty_dataset_is_the_default():
    at = open_page("lr-finder", dataset="")
    assert at.segmented_control(key="dataset").value == "spirals"
    assert not at.error


# 8. Non-finite numbers and negative zero never reach the page.
def test_8_negative_zero_hours():
    at = open_page("study", hours="-0")
    assert metrics(at)["Score at your hours"] == "0.0"
    assert all("−0.00" not in m for m in metrics(at).values())


def test_8_tiny_rate_has_no_nan():
    at = open_page("compounding", rate="1e-320")
    assert all("nan" not in v for v in metrics(at).values())


# 9. Slow rejection: a 100,000-column CSV is refused at once with a short message.
def test_9_wide_csv_is_refused_quickly():
    at = open_page("pricing", model="data")
    wide = (",".join(f"c{i}" for i in range(100_000)) + "\n" + ",".join("1" * 100_000) + "\n").encode()
    t = time.perf_counter()
    at.file_uploader(key="sales_upload").set_value(("wide.csv", wide, "text/csv")).run()
    elapsed = time.perf_counter() - t
    message = shown(at.error[0].value)
    assert "100,000 columns; at most 50" in message
    assert len(message) < 200
    assert elapsed < 3.0  # the whole rerun, parsing refused before pandas sees the file
