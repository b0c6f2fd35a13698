"""Time the learning-rate range test with the page's defaults (3 runs x 100 steps).

python bench/lr_finder.py
"""

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from optimizers import lr_finder as lf
from optimizers import nn

DEFAULTS = {"activation": "tanh", "hidden": 32, "layers": 1, "batch_size": 32, "momentum": 0.9}


def main() -> None:
    data = nn.make_dataset("spirals", 512, seed=0)
    times = []
    for _ in range(7):
        t0 = time.perf_counter()
        result = lf.stable_suggestion(data, runs=3, seed=0, **DEFAULTS)
        times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    lf.lr_sweep(data, 10 ** (-4 + 0.25 * np.arange(21)), seed=0, **DEFAULTS)
    sweep = time.perf_counter() - t0
    print(
        f"range test, 3 runs x 100 steps: median {statistics.median(times) * 1000:.0f} ms "
        f"(min {min(times) * 1000:.0f} ms); suggested {result.median['valley']:.3g}; "
        f"check-it sweep (21 rates x 150 steps): {sweep * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
