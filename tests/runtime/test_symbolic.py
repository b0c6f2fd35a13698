"""sympy's work for a server: in the worker pool, under a time limit (runtime.symbolic)."""

import time

import pytest

from optimizers import expression as ex
from runtime import symbolic, workpool


class TestDerivativeMatches:
    @pytest.mark.parametrize("failure", [TimeoutError("stopped"), workpool.Busy("queue full")])
    def test_derivative_matches_says_when_it_could_not_check(self, monkeypatch, failure):
        """A busy server or a time-out means "could not check", never "not the same"."""

        def unavailable(*args, **kwargs):
            raise failure

        monkeypatch.setattr(symbolic, "run_with_timeout", unavailable)
        assert symbolic.derivative_matches("x^2", "2x") is None
        assert symbolic.derivative_matches("x^2", "3x") is None


class TestTimeLimit:
    def test_time_limit(self):
        with pytest.raises(TimeoutError):
            symbolic.run_with_timeout(time.sleep, (5,), 0.3)

    def test_worker_errors_are_reported(self):
        with pytest.raises(RuntimeError, match="ZeroDivisionError"):
            symbolic.run_with_timeout(divmod, (1, 0), 5)


class TestBusyIsNotAFormulaError:
    def test_busy_pool_is_raised_not_turned_into_a_message(self, monkeypatch):
        """A busy pool must reach the page as Busy (never cached), not as an ExpressionError
        that a page would cache as 'cannot use this formula'."""

        def busy(*args, **kwargs):
            raise workpool.Busy("queue full")

        monkeypatch.setattr(symbolic, "run_with_timeout", busy)
        with pytest.raises(workpool.Busy):
            symbolic.prepare("x^2")


def test_prepare_in_a_worker_equals_prepare_here():
    """The pool's derivation is the same object a notebook gets in-process."""
    assert symbolic.prepare("x^3 - a*x", parameter=True) == ex.prepare("x^3 - a*x", parameter=True)


def test_a_formula_sympy_cannot_finish_in_time_is_a_timeout_not_an_error(monkeypatch):
    def slow(*args, **kwargs):
        raise TimeoutError("stopped")

    monkeypatch.setattr(symbolic, "run_with_timeout", slow)
    with pytest.raises(ex.ExpressionTimeout, match="longer than"):
        symbolic.prepare("x^2")
