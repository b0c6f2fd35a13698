"""How the server runs the numbers: the worker pool, the work budget, what workers preload,
sympy under a time limit, the GC policy, and the one launcher of `streamlit run` that tests,
bench and deploy share. Imports optimizers (to preload it), never streamlit at import time."""
