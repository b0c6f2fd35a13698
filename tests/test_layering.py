"""optimizers/ is a plain numerical library: importing it must not pull in the UI."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_optimizers_does_not_import_streamlit_or_altair():
    code = (
        "import sys, pkgutil, importlib, optimizers\n"
        "for m in pkgutil.iter_modules(optimizers.__path__):\n"
        "    importlib.import_module('optimizers.' + m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('streamlit', 'altair'))\n"
        "print(len(list(pkgutil.iter_modules(optimizers.__path__))), bad)\n"
        "assert not bad, bad\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.split()[0]) >= 3  # the loop really imported the modules
