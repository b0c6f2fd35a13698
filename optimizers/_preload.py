"""Imported once by the worker pool's forkserver (never by the app): load the heavy modules
and run each symbolic step once, so every worker forked from it starts warm (sympy builds
caches on first use: ~1 s here) and a visitor's time limit is spent on their formula."""

from optimizers import calculus, certify, expression, lr_finder, nn  # noqa: F401

expression._derive(expression.parse("x**2/(x + 1) + abs(x - 1) + sqrt(x + 2)"))
