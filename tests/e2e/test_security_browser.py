"""Hostile links in a real browser: injected markdown shows as text, never as an image or a link,
and the page never asks an outside host for anything."""

from urllib.parse import quote, urlparse

import pytest

from tests.e2e.helpers import goto, no_exception

pytestmark = pytest.mark.e2e

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
    page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).hostname != "localhost" else None)
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
