"""Browser fixtures: one `streamlit run app.py` server and one headless Chromium per session.

Without Chromium (or the playwright package) these tests skip, unless REQUIRE_BROWSER=1,
which turns the skip into a failure: CI sets it so that browser tests cannot silently vanish.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.browser import Server, chromium_path, launch
from tests.e2e.browser import themed_server as _themed_server

REQUIRED = os.environ.get("REQUIRE_BROWSER") == "1"
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    """Every test here is in the browser tier (`pytestmark = pytest.mark.browser` in each file):
    a file that forgets it would slip into the fast tier and start Chromium there."""
    missing = [
        item.nodeid for item in items if HERE in Path(str(item.path)).parents and not item.get_closest_marker("browser")
    ]
    if missing:
        raise pytest.UsageError(f"browser tests without the browser marker: {missing[:5]}")


def _unavailable(reason: str):
    if REQUIRED:
        pytest.fail(f"browser tests are required (REQUIRE_BROWSER=1) but {reason}", pytrace=False)
    pytest.skip(f"{reason}; install it (see README) or set REQUIRE_BROWSER=1 to make this an error")


@pytest.fixture(scope="session")
def playwright_api():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    if chromium_path() is None:
        _unavailable("no Chromium was found (apt-get install -y chromium, or set $CHROMIUM)")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def app_server():
    with Server("app.py") as server:
        yield server


@pytest.fixture(scope="session")
def themed_server():
    """A second server whose app has a light and a dark theme (it follows the browser's scheme)."""
    with _themed_server() as server:
        yield server


@pytest.fixture(scope="session")
def browser(playwright_api):
    b = launch(playwright_api)
    yield b
    b.close()


@pytest.fixture
def page(browser, app_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1800}, accept_downloads=True)
    pg = context.new_page()
    pg.base_url = app_server.url
    yield pg
    context.close()
