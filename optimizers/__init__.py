"""Pure numpy/scipy optimisers behind the dashboard: no streamlit, no altair.

The calculus engine (:mod:`optimizers.calculus`) finds where a derivative is zero; each
model module (pricing, study, fuel, compounding, ...) turns a decision into a function
of one variable and asks the engine for its optimum.
"""

from optimizers.calculus import (
    CriticalPoint,
    DerivativeEstimate,
    Optimum,
    critical_points,
    derivative,
    marginal_curve,
    optimize,
    roots,
    second_derivative,
)

__all__ = [
    "CriticalPoint",
    "DerivativeEstimate",
    "Optimum",
    "critical_points",
    "derivative",
    "marginal_curve",
    "optimize",
    "roots",
    "second_derivative",
]
