"""Hostile links in a real browser: injected markdown shows as text, never as an image or a link,
and the page never asks an outside host for anything."""

from urllib.parse import quote, urlparse

import pytest

from tests.e2e.helpers import goto, no_exception

pytestmark = pytest.mark.browser

IMAGE = "![](//example.org/x)"
LINK = "[Log in](//example.org)"


@pytest.mark.parametrize(
    "path",
    [
        f"/compounding?rates={quote(IMAGE)}",
        f"/compounding?rates={quote(LINK)}",
        f"/custom?f={quote(chr(34) + IMAGE + chr(34))}",
        f"/lab?f={quote(chr(34) + LINK + chr(34))}",
        f"/pricing?model=data&data={quote(IMAGE)}",
        f"/pricing?{quote(IMAGE)}={quote(LINK)}",
    ],
)
def test_injected_markdown_renders_as_text(page, path):
    outside: list[str] = []
    app_host = urlparse(page.base_url).hostname  # the server under test (127.0.0.1)
    page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).hostname != app_host else None)
    goto(page, path)
    no_exception(page)
    app = page.get_by_test_id("stMain")
    assert app.locator("img[src*='example.org']").count() == 0
    assert app.locator("a[href*='example.org']").count() == 0
    assert outside == []
    if "rates" in path or "f=" in path:
        assert "//example" in app.inner_text()  # the visitor's text is shown, as text


def test_stray_parameters_leave_the_link(page):
    goto(page, f"/study?utm_source=x&{quote(IMAGE)}=1&hours=10")
    page.wait_for_function("() => !location.search.includes('utm_source')")
    assert "hours=10" in page.url
    assert "example.org" not in page.url


def test_visitors_get_no_deploy_button_or_developer_menu(page):
    # The server runs on localhost, where Streamlit's default toolbarMode ("auto") would show the
    # developer options; the app's config sets "viewer" for every visitor of a public demo.
    goto(page, "/pricing")
    no_exception(page)
    assert page.get_by_test_id("stAppDeployButton").count() == 0
    menu = page.get_by_test_id("stMainMenu")
    if menu.count():  # "viewer" keeps the menu only for viewer options (print, theme, ...)
        menu.click()
        popover = page.get_by_test_id("stMainMenuPopover")
        popover.wait_for(timeout=5_000)
        items = popover.inner_text()
        assert "Print" in items or "Settings" in items  # the menu really opened
        for developer_item in ("Clear cache", "Rerun", "Deploy"):
            assert developer_item not in items
