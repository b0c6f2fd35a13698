"""Which chart specs a slider step changes, and how long the step's rerun takes (AppTest).

    python bench/spec_steps.py                       # the pages with slider steps
    python bench/spec_steps.py fuel allocate         # some pages

For each page (opened through app.py with its defaults) every slider moves one step, in the
order the page shows them, each from where the previous step left the page. Printed per slider:
``key:changed/charts(ms)``, the number of charts whose spec text changed (a new spec is rebuilt by
Altair on the server and compiled again by Vega in the browser; 0 means only data was swapped)
and the rerun's wall time in AppTest, server side only. docs/decisions/chart-specs-hold-no-numbers.md
quotes it; tests/pages/test_chart_specs_stay.py asserts the zeros.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.pages.conftest import open_page

PAGES = ["pricing", "study", "fuel", "compounding", "lr-finder", "price-ads", "allocate", "network"]


def main() -> None:
    logging.disable(logging.WARNING)  # AppTest's "missing ScriptRunContext" noise
    for page in sys.argv[1:] or PAGES:
        at = open_page(page)
        before = [c.proto.spec for c in at.get("vega_lite_chart")]
        out = []
        for key in [s.key for s in at.slider if s.key]:
            (slider,) = [s for s in at.slider if s.key == key]
            if isinstance(slider.value, tuple):
                continue  # a range slider
            up = slider.value + slider.step
            slider.set_value(up if up <= slider.max else slider.value - slider.step)
            started = time.perf_counter()
            at.run()
            ms = (time.perf_counter() - started) * 1000
            specs = [c.proto.spec for c in at.get("vega_lite_chart")]
            changed = sum(a != b for a, b in zip(before, specs, strict=False)) + abs(len(before) - len(specs))
            out.append(f"{key}:{changed}/{len(specs)}({ms:.0f}ms)")
            before = specs
        print(page, " ".join(out), flush=True)


if __name__ == "__main__":
    main()
