"""Formulas from the grammar of "Your own function" and the Derivative lab, for property tests:
numbers, x, pi, + - * / ^ and the page's functions, nested a few levels, as a visitor types
them. Some are undefined on parts of an interval, overflow, have kinks, cusps or removable
singularities: the sentences must be true for those too."""

from __future__ import annotations

import math

from hypothesis import strategies as st

from explain.format import MINUS

NUMBERS = st.sampled_from(["1", "2", "3", "0.5", "10", "pi", "0.1", "5"])
UNARY = ["sin", "cos", "exp", "abs", "sqrt", "log", "tanh", "sigmoid", "softplus", "relu", "erf"]


def _leaf() -> st.SearchStrategy[str]:
    return st.one_of(st.just("x"), st.just("x"), NUMBERS)


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    unary = st.builds(lambda fn, u: f"{fn}({u})", st.sampled_from(UNARY), inner)
    binary = st.builds(lambda u, op, v: f"({u}) {op} ({v})", inner, st.sampled_from(["+", "-", "*", "/"]), inner)
    power = st.builds(lambda u, p: f"({u})^{p}", inner, st.sampled_from(["2", "3", "0.5", "-1", "4"]))
    pair = st.builds(lambda fn, u, v: f"{fn}({u}, {v})", st.sampled_from(["max", "min"]), inner, inner)
    return st.one_of(unary, binary, binary, power, pair)


#: Formulas in x, a few operations deep.
FORMULAS = st.recursive(_leaf(), _extend, max_leaves=5)

#: Intervals [lo, hi] as a visitor types them.
INTERVALS = st.tuples(
    st.sampled_from([-10.0, -5.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0]),
    st.sampled_from([0.5, 1.0, 2.0, 5.0, 10.0, 20.0]),
).map(lambda t: (t[0], t[0] + t[1]))


def read(number: str) -> float:
    """A number as the page writes it ('−1.5', '1e+06', '+∞') back as a float."""
    text = number.replace(MINUS, "-").replace("∞", "inf").replace(",", "")
    return float(text) if text not in ("inf", "+inf", "-inf") else math.copysign(math.inf, -1 if "-" in text else 1)
