"""The GC policy: postScriptGC off in the app's config, and the heap frozen once per server process."""

import ast
import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A freeze is process-wide, so the module is exercised in a fresh interpreter.
PROBE = """
import gc, json, sys
import runtime.gcpolicy as r
before = [r.apply(), gc.get_freeze_count()]
names = r.warm_up()
frozen = r.freeze_heap()
print(json.dumps({"before": before, "names": names, "frozen": frozen, "again": r.freeze_heap(),
                  "count": gc.get_freeze_count(), "sympy": "sympy" in sys.modules}))
"""


def test_the_app_turns_off_the_gc_after_every_rerun():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["postScriptGC"] is False
    calls = [n for n in ast.walk(ast.parse((ROOT / "app.py").read_text())) if isinstance(n, ast.Call)]
    assert any(ast.unparse(c.func) == "gcpolicy.apply" for c in calls)


def test_the_heap_is_frozen_once_after_warm_up_and_not_on_a_plain_import():
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=300, check=True
    )
    out = json.loads(done.stdout)
    assert out["before"] == [0, 0]  # no Streamlit runtime in this process: nothing frozen on import
    expected = {f"{pkg}.{p.stem}" for pkg in ("optimizers", "explain", "ui") for p in (ROOT / pkg).glob("[!_]*.py")}
    assert set(out["names"]) == expected
    assert out["sympy"]  # what the modules import comes along
    assert out["frozen"] > 50_000  # numpy, scipy, pandas, sympy, streamlit: hundreds of thousands
    assert out["again"] == out["frozen"] == out["count"]  # once
