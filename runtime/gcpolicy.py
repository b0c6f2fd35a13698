"""Process-wide GC policy for the server, applied once per process by app.py (``gcpolicy.apply()``).

Garbage collection. By default Streamlit runs ``gc.collect(2)`` after every rerun
(``runner.postScriptGC``): a full collection walks every object in the process, and with numpy,
scipy, pandas, sympy and pyarrow loaded that is most of a rerun's server time, holding the GIL.
The app turns that off in ``.streamlit/config.toml``, and this module freezes the warmed-up heap:
it imports every public module of ``optimizers``, ``explain`` and ``ui`` (the libraries the pages use come with them),
collects once, and calls ``gc.freeze()``. Frozen objects are never scanned again, so Python's
own generational collector, which still runs, only walks what reruns and sessions allocate:
its full collections stay cheap and frequent, and memory stays flat (``python bench/soak.py``).

The freeze happens once per process, and only where a Streamlit runtime exists: under
``streamlit run`` (and in AppTest, whose test process it then freezes too, harmlessly). A plain
import, from a notebook or pytest's doctest collection, changes nothing.
"""

from __future__ import annotations

import gc
import importlib
import pkgutil

__all__ = ["PACKAGES", "apply", "freeze_heap", "warm_up"]

#: What the server imports before freezing: the app's own packages (their libraries come along).
PACKAGES = ("optimizers", "explain", "ui")


def warm_up(packages: tuple[str, ...] = PACKAGES) -> list[str]:
    """Import every public module of ``packages``; return their names.

    Private modules (``_name``) are left out.
    """
    names = []
    for name in packages:
        package = importlib.import_module(name)
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            if not info.name.rsplit(".", 1)[1].startswith("_"):
                importlib.import_module(info.name)
                names.append(info.name)
    return names


_frozen = 0


def freeze_heap() -> int:
    """Warm up, collect, and ``gc.freeze()`` everything alive; once. Returns the frozen object count."""
    global _frozen
    if not _frozen:
        warm_up()
        gc.collect()
        gc.freeze()
        _frozen = gc.get_freeze_count()
    return _frozen


def _in_streamlit_runtime() -> bool:
    from streamlit import runtime

    return runtime.exists()


def apply() -> int:
    """Freeze the warmed-up heap when running under Streamlit (once); return the frozen count
    (0 outside a Streamlit runtime: a notebook or a doctest run is left alone)."""
    return freeze_heap() if _in_streamlit_runtime() else 0
