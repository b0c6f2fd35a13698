"""Imported once by the worker pool's forkserver (never by the app): load the heavy modules
and run each symbolic step once, so every worker forked from it starts warm (sympy builds
caches on first use: ~1 s here) and a visitor's time limit is spent on their formula."""

from optimizers import calculus, certify, expression, lr_finder, network, nn  # noqa: F401
from runtime import workpool
from runtime.blas import blas_one_thread

# A worker must not run the server's __main__ again (while Streamlit runs a script, that is app.py).
workpool.skip_main_module()

# One BLAS thread per worker, set once in the forkserver (every worker forked from it inherits
# it): the pool already runs one worker per core, and OpenBLAS threads on top oversubscribe.
# (numpy is already loaded by the package import, so OPENBLAS_NUM_THREADS would be too late.)
blas_one_thread()

expression.derive(expression.parse("x**2/(x + 1) + abs(x - 1) + sqrt(x + 2)"))
