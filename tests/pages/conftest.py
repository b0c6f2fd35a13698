"""AppTest helpers: run a page through app.py (navigation and all) with URL parameters."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def open_page(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page(f"app_pages/{page}.py")
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.fixture
def page():
    return open_page


def shown(markdown: str) -> str:
    """What a reader sees of markdown that escapes user text (``ui.safe.plain``): the
    backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def sensitivity_table(at):
    """The "What moves the optimum" table with its exact numbers (the contract columns), or None
    when the page shows no such section. The page shows a rounded markdown table; the exact
    numbers are behind its "Show the exact numbers" toggle, which this turns on (and checks that
    the rounded table was there)."""
    import pandas as pd  # noqa: F401  (the value is a DataFrame)

    from optimizers.sensitivity import COLUMNS

    toggles = [t for t in at.toggle if (t.key or "").endswith("_sensitivity_exact")]
    if not toggles:
        return None
    assert any("% move per 1% of the input" in shown(m.value) for m in at.markdown), "no rounded table shown"
    if not toggles[0].value:
        toggles[0].set_value(True).run()
    tables = [d.value for d in at.dataframe if list(d.value.columns) == COLUMNS]
    assert len(tables) == 1
    return tables[0]
