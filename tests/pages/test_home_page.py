"""Home links every page, and every page renders without an exception."""

from pathlib import Path

import pytest

from tests.pages.conftest import ROOT, metrics, open_page
from ui import pages

PAGES = sorted(p.path for p in (pages.HOME, *pages.PAGES))


def test_home_links_every_decision_page():
    at = open_page("home")
    links = {el.proto.page for el in at.get("page_link")}
    assert links == {p for p in PAGES if p != "home"}  # page links resolve to url paths
    assert len(PAGES) == 12


def test_home_cards_come_in_the_registry_order_and_name_the_tutorial_once():
    at = open_page("home")
    assert [el.proto.page for el in at.get("page_link")] == [p.path for p in pages.PAGES]
    text = " ".join(m.value for m in at.markdown)
    assert text.count("the derivatives tutorial this app grew from") == 1


def test_app_builds_its_navigation_from_the_registry():
    source = (ROOT / "app.py").read_text()
    assert "st.Page(" in source
    assert "sections()" in source
    assert '"app_pages/' not in source  # no second list of page files


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(page):
    at = open_page(page)
    assert at.title
    assert Path(ROOT / "app_pages" / f"{page}.py").exists()


#: (page, metric label, what the page shows at its defaults, what Home's card says)
CLAIMS = [
    ("pricing", "Optimal price", "$75.00", "$75 for"),
    ("pricing", "Maximum profit", "$30,250", "$30,250 a week"),
    ("study", "Optimal study hours", "9.03 h", "9.03 hours"),
    ("study", "Best effective score", "75.3", "score of 75.3"),
    ("fuel", "Most efficient speed", "44.7 mph", "(44.7 mph)"),
    ("compounding", "Doubling time", "13.86 years", "13.86 years at 5%"),
    ("allocate", "Value of one more hour", "2.19 points", "one more hour is worth 2.19 points"),
]


@pytest.mark.parametrize(("page_name", "label", "value", "claim"), CLAIMS, ids=[f"{c[0]}-{c[1]}" for c in CLAIMS])
def test_every_number_on_home_is_what_the_page_shows(page_name, label, value, claim):
    home = open_page("home")
    cards = " ".join(c.value for c in home.caption)
    assert claim in cards
    assert metrics(open_page(page_name))[label] == value
