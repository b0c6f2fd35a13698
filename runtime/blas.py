"""One BLAS thread per worker process."""

from __future__ import annotations

import ctypes
from pathlib import Path

import numpy as np

__all__ = ["blas_one_thread"]

_BLAS_PINNED = False


def blas_one_thread() -> bool:
    """Make numpy's OpenBLAS use one thread in this process (once; True if it could).

    The pages' heavy work runs in a pool of one worker per core. OpenBLAS starts a thread per
    core for every matrix product above ~262k multiply-adds (a 128-sample batch through a
    64-wide layer), so two busy workers on two cores run four spinning threads: measured here,
    a 64-wide, 4-deep training step took 52 ms of CPU with OpenBLAS's threads and 1.6 ms with
    one. The worker pool's forkserver calls this once (``runtime.preload``) and every worker
    inherits it; setting OPENBLAS_NUM_THREADS=1 before numpy is imported would do the same.
    """
    global _BLAS_PINNED
    if _BLAS_PINNED:
        return True
    libs = Path(np.__file__).parent.parent / "numpy.libs"
    for path in sorted(libs.glob("libscipy_openblas*.so*")):
        try:
            lib = ctypes.CDLL(str(path))  # the library numpy already loaded: same handle
        except OSError:
            continue
        for name in ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads", "openblas_set_num_threads"):
            setter = getattr(lib, name, None)
            if setter is not None:
                setter(1)
                _BLAS_PINNED = True
                return True
    return False
