"""The rooms of docs/architecture.md, enforced: who may import whom.

Two checks per rule: importing a package in a fresh interpreter pulls in nothing it must not
(what really happens at run time), and no source file names a forbidden module in any import
statement, including imports inside functions (what a reader of the code sees).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: package -> top-level modules it must never import (directly or through what it imports).
FORBIDDEN = {
    "optimizers": ("streamlit", "altair", "explain", "runtime", "ui", "multiprocessing"),
    "explain": ("streamlit", "altair", "runtime", "ui", "multiprocessing"),
    "runtime": ("streamlit", "altair", "explain", "ui"),
}
#: Modules a package's own source may not import even where a library it uses already does.
NO_PROCESSES = ("multiprocessing", "threading", "subprocess", "concurrent", "signal")

PROBE = """
import importlib, json, pkgutil, sys
package = importlib.import_module(sys.argv[1])
names = [m.name for m in pkgutil.iter_modules(package.__path__)]
for name in names:
    importlib.import_module(f"{sys.argv[1]}.{name}")
print(json.dumps({"modules": names, "loaded": sorted({n.split('.')[0] for n in sys.modules})}))
"""


def _imports(path: Path) -> set[str]:
    """Top-level names of every module an import statement in ``path`` names."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_importing_a_package_pulls_in_nothing_it_must_not(package):
    out = subprocess.run([sys.executable, "-c", PROBE, package], cwd=ROOT, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert len(result["modules"]) >= 2  # the loop really imported the package's modules
    bad = sorted(set(result["loaded"]) & set(FORBIDDEN[package]))
    assert not bad, f"importing {package} loads {bad}"


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_source_file_names_a_forbidden_module(package):
    forbidden = set(FORBIDDEN[package]) - ({"streamlit"} if package == "runtime" else set())
    bad = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & forbidden)
        for path in (ROOT / package).rglob("*.py")
        if _imports(path) & forbidden
    }
    assert not bad, bad


def test_the_numerical_library_starts_no_process_or_thread():
    bad = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & set(NO_PROCESSES))
        for path in (ROOT / "optimizers").rglob("*.py")
        if _imports(path) & set(NO_PROCESSES)
    }
    assert not bad, bad


def test_runtime_imports_streamlit_only_inside_functions():
    """gcpolicy asks whether a Streamlit runtime exists, at call time; nothing imports it at load."""
    for path in (ROOT / "runtime").rglob("*.py"):
        tree = ast.parse(path.read_text())
        top = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
        names = {a.name.split(".")[0] for n in top if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module.split(".")[0] for n in top if isinstance(n, ast.ImportFrom) and n.module}
        assert "streamlit" not in names, path


def test_tests_never_import_bench():
    """bench prints the tables in docs from the library and tests/support; tests never need it."""
    bad = [str(p.relative_to(ROOT)) for p in (ROOT / "tests").rglob("*.py") if "bench" in _imports(p)]
    assert not bad, bad


def test_the_layering_checks_can_fail(tmp_path):
    """The static check sees imports inside functions, and from-imports."""
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    import streamlit as st\n    from altair import Chart\n")
    assert _imports(sample) == {"streamlit", "altair"}


CACHES = ("cache_data", "cache_resource")


def _cached_functions(path: Path) -> list[str]:
    """Uses of ``st.cache_data`` / ``st.cache_resource`` in ``path``: decorated functions by
    name, a call such as ``f = st.cache_data(g)`` as ``call``, an import of either from
    streamlit as ``import``."""
    found = []
    tree = ast.parse(path.read_text(), str(path))
    decorators = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for d in node.decorator_list:
                decorators.add(id(d))
                target = d.func if isinstance(d, ast.Call) else d
                decorators.add(id(target))
                if (
                    isinstance(target, ast.Attribute | ast.Name)
                    and getattr(target, "attr", getattr(target, "id", "")) in CACHES
                ):
                    found.append(node.name)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("streamlit"):
            found += ["import" for alias in node.names if alias.name in CACHES]
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and id(node) not in decorators and id(node.func) not in decorators:
            f = node.func
            if isinstance(f, ast.Attribute) and f.attr in CACHES:
                found.append("call")
    return found


def test_page_scripts_define_no_cached_function():
    """A page script runs top to bottom on every rerun, so a cached function defined there is
    re-made (its decorator re-run) every time: they live in ui/<page>.py (docs/architecture.md)."""
    bad = {p.name: names for p in sorted((ROOT / "app_pages").glob("*.py")) if (names := _cached_functions(p))}
    assert not bad, bad


def test_the_cached_function_check_can_fail(tmp_path):
    sample = tmp_path / "page.py"
    sample.write_text(
        "import streamlit as st\nfrom streamlit import cache_data\n@st.cache_data(max_entries=4)\ndef a(): ...\n"
        "@st.cache_resource\ndef b(): ...\n@cache_data\ndef c(): ...\ng = st.cache_data(max_entries=2)(len)\n"
    )
    assert sorted(_cached_functions(sample)) == ["a", "b", "c", "call", "import"]
