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
