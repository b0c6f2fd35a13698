"""Home in headless Chromium: every card's link opens its page, and the page runs cleanly."""

import re
from urllib.parse import urlparse

import pytest

from tests.e2e.browser import wait_idle
from tests.e2e.helpers import goto, no_exception
from ui import pages

pytestmark = pytest.mark.browser

#: (url path, title) of every page in the registry (app.py's navigation) but Home.
PAGES = [(p.path, p.title) for p in pages.PAGES]


def _cards(page):
    """The page links on Home itself (the sidebar has its own), once Home has drawn them all."""
    from playwright.sync_api import expect

    cards = page.get_by_test_id("stMain").get_by_test_id("stPageLink-NavLink")
    expect(cards).to_have_count(len(PAGES), timeout=30_000)
    return cards


def test_home_loads(page):
    goto(page, "/")
    no_exception(page)
    assert page.get_by_role("heading", level=1).first.inner_text().strip() == "Set the derivative to zero"
    assert len(PAGES) == 11  # every page but Home has a card
    assert sorted(_cards(page).evaluate_all("els => els.map(e => e.getAttribute('href'))")) == sorted(
        path for path, _ in PAGES
    )


@pytest.mark.parametrize(("path", "title"), PAGES, ids=[p for p, _ in PAGES])
def test_every_card_opens_its_page(page, path, title):
    goto(page, "/")
    card = _cards(page).and_(page.locator(f'[href="{path}"]'))
    assert card.count() == 1, f"no card links to /{path}"  # the others have other paths
    assert card.inner_text().strip().endswith(title)
    card.click()
    page.wait_for_url(re.compile(rf"/{re.escape(path)}(\?.*)?$"), timeout=30_000)
    wait_idle(page, 60_000)
    assert urlparse(page.url).path == f"/{path}"
    heading = page.get_by_test_id("stMain").get_by_role("heading", level=1).first
    heading.wait_for(timeout=30_000)
    assert heading.inner_text().strip(), f"/{path} shows no title"
    no_exception(page)


def test_cards_fit_a_phone(browser, app_server):
    """At 390 px every card's link sits inside the viewport, not cut off."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        pg = context.new_page()
        pg.base_url = app_server.url
        goto(pg, "/")
        no_exception(pg)
        cards = _cards(pg)
        assert cards.count() == len(PAGES)
        # Top to bottom on a phone, the cards come in the sidebar's order (issue 19: they did not).
        tops = [cards.nth(i).bounding_box()["y"] for i in range(cards.count())]
        hrefs = cards.evaluate_all("els => els.map(e => e.getAttribute('href'))")
        in_reading_order = [h for _, h in sorted(zip(tops, hrefs, strict=True))]
        sidebar = pg.get_by_test_id("stSidebarNavLink").evaluate_all(
            "els => els.map(e => new URL(e.href).pathname.slice(1))"
        )
        assert in_reading_order == [p for p in sidebar if p in {path for path, _ in PAGES}]
        assert in_reading_order == [path for path, _ in PAGES]
        for i in range(cards.count()):
            box = cards.nth(i).bounding_box()
            assert box is not None
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= 390 + 0.5, cards.nth(i).inner_text()
    finally:
        context.close()
