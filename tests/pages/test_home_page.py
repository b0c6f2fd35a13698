"""Home links every page, and every page renders without an exception."""

import re
from pathlib import Path

import pytest

from tests.pages.conftest import ROOT, open_page

PAGES = sorted(re.findall(r'st\.Page\(\s*"app_pages/([\w-]+)\.py"', (ROOT / "app.py").read_text()))


def test_home_links_every_decision_page():
    at = open_page("home")
    links = {el.proto.page for el in at.get("page_link")}
    assert links == {p for p in PAGES if p != "home"}  # page links resolve to url paths
    assert len(PAGES) == 9


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(page):
    at = open_page(page)
    assert at.title
    assert Path(ROOT / "app_pages" / f"{page}.py").exists()
