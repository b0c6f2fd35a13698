"""The shared inputs in real Chromium (issue 19): typed entries bound to the slider's URL
parameter, what a link value that is not used says, Reset and the Back button, and a phone
screen that nothing runs off (the typed entries and the "What moves the optimum" table)."""

import pytest

from tests.e2e.browser import open_page, wait_idle
from tests.e2e.helpers import expect_metric, goto, metric, no_exception, press_slider, query
from ui import pages

pytestmark = pytest.mark.browser

#: Every page, and each page with a "What moves the optimum" section, at 390 px.
PHONE_PAGES = ["/", *(f"/{p.path}" for p in pages.PAGES)]
SECTION_PAGES = ["/pricing", "/study", "/fuel", "/compounding", "/custom?f=x**2-a*x&a=3"]

#: Elements of the main area that reach past the right edge of the viewport, as [tag, test id,
#: right edge, text], whether an ancestor clips them (content cut off) or not (content that
#: needs a sideways scroll). Visually hidden elements (the 1 px clipped boxes of a slider's
#: range inputs, for screen readers) are not seen by anyone and are skipped.
PAST_THE_EDGE = """
(selector) => {
  const vw = document.documentElement.clientWidth;
  const root = document.querySelector(selector) || document.body;
  const hidden = (el) => {
    for (let a = el; a && a !== root; a = a.parentElement) {
      const s = getComputedStyle(a), r = a.getBoundingClientRect();
      if (s.clipPath === 'inset(50%)' || s.clip === 'rect(0px, 0px, 0px, 0px)' || (r.width <= 1 && r.height <= 1)) return true;
      if (s.visibility === 'hidden' || s.display === 'none') return true;
    }
    return false;
  };
  const out = [];
  for (const el of root.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= vw + 0.5 || hidden(el)) continue;
    out.push([el.tagName, el.getAttribute('data-testid') || '', Math.round(r.right), (el.innerText || '').slice(0, 60)]);
  }
  return out;
}
"""


def _type_exact_values(page) -> None:
    """Turn on the toggle that shows a typed entry beside every slider."""
    page.locator(".st-key-typed_values label").first.click()
    page.locator(
        ".st-key-typed_unit_cost input, .st-key-typed_price input, [data-testid=stNumberInputField]"
    ).first.wait_for()
    wait_idle(page)


def _phone(browser, app_server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.base_url = app_server.url
    return context, page


class TestTypedEntry:
    def test_typing_an_exact_value_puts_it_in_the_link(self, page, browser, app_server):
        """$23.49 was out of reach: the slider moves in $1 steps."""
        goto(page, "/pricing")
        assert page.locator(".st-key-typed_unit_cost").count() == 0  # until asked for
        _type_exact_values(page)
        entry = page.locator(".st-key-typed_unit_cost input")
        entry.fill("23.49")
        entry.press("Enter")
        page.wait_for_function("() => location.search.includes('unit_cost=23.49')")
        wait_idle(page)
        assert query(page)["unit_cost"] == "23.49"
        assert metric(page, "Optimal price") == "$76.75"  # (1300 + 10 × 23.49) / 20 = 76.745
        no_exception(page)
        # a fresh browser on that link shows 23.49 in both
        context = browser.new_context(viewport={"width": 1400, "height": 1800})
        fresh = context.new_page()
        open_page(fresh, app_server.url + "/pricing?unit_cost=23.49")
        assert fresh.locator(".st-key-typed_unit_cost input").input_value() == "23.49"
        assert fresh.locator(".st-key-unit_cost [data-testid=stSliderThumbValue]").inner_text() == "$23.49"
        assert metric(fresh, "Optimal price") == "$76.75"
        context.close()

    def test_the_entry_follows_the_slider(self, page):
        goto(page, "/pricing")
        _type_exact_values(page)
        press_slider(page, "price", "ArrowRight")
        expect_metric(page, "Marginal profit", "+$490")
        assert page.locator(".st-key-typed_price input").input_value() == "50.5"


class TestLinkValues:
    def test_an_ignored_value_is_said_in_one_line(self, page):
        goto(page, "/pricing?unit_cost=abc&price=301")
        no_exception(page)
        text = page.get_by_test_id("stMain").inner_text()
        assert "From the link: unit_cost=“abc” is not a number; the default $20 is used." in text
        assert "From the link: price=“301” is outside $1.00 to $300.00; the default $50.00 is used." in text
        assert metric(page, "Optimal price") == "$75.00"
        assert "unit_cost" not in query(page)

    def test_a_repeated_value_keeps_the_last(self, page):
        goto(page, "/pricing?unit_cost=25&unit_cost=30")
        no_exception(page)
        assert metric(page, "Optimal price") == "$80.00"  # c = 30
        assert "unit_cost is given 2 times; the last one, “30”, is used." in page.get_by_test_id("stMain").inner_text()


class TestHistory:
    def test_reset_adds_at_most_one_back_step(self, page):
        goto(page, "/pricing?model=elasticity&elasticity=1.5&unit_cost=30&fixed_cost=5000&price=60")
        before = page.evaluate("history.length")
        page.get_by_role("button", name="Reset to defaults").click()
        expect_metric(page, "Optimal price", "$75.00")
        page.wait_for_function("() => location.search === ''")
        page.wait_for_timeout(500)
        assert page.evaluate("history.length") <= before + 1  # it was one step per parameter (5)
        # and Back returns to the scenario that was reset
        page.go_back()
        page.wait_for_function("() => location.search.includes('unit_cost=30')")
        wait_idle(page)
        assert metric(page, "Optimal price") == "$90.00"

    def test_slider_moves_add_no_back_step(self, page):
        goto(page, "/pricing")
        before = page.evaluate("history.length")
        press_slider(page, "price", "ArrowRight", times=3)
        expect_metric(page, "Marginal profit", "+$470")  # 1500 − 20 × 51.5
        assert page.evaluate("history.length") == before


@pytest.mark.parametrize("path", PHONE_PAGES)
def test_nothing_runs_off_a_phone(browser, app_server, path):
    """390 px: no element of the main area extends past the right edge, with and without the
    typed entries beside the sliders."""
    context, page = _phone(browser, app_server)
    try:
        goto(page, path)
        no_exception(page)
        assert page.evaluate(PAST_THE_EDGE, "[data-testid=stMain]") == []
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        if page.locator(".st-key-typed_values").count():  # and with a typed entry beside every slider
            page.locator(".st-key-typed_values label").first.click()
            page.get_by_test_id("stNumberInputField").first.wait_for()
            wait_idle(page)
            assert page.evaluate(PAST_THE_EDGE, "[data-testid=stMain]") == []
    finally:
        context.close()


@pytest.mark.parametrize("path", SECTION_PAGES)
def test_the_sensitivity_table_fits_a_phone(browser, app_server, path):
    """Issue 19 item 5: at 390 px the table ran 8-41 px off the right edge (Fuel, Compounding)."""
    context, page = _phone(browser, app_server)
    try:
        goto(page, path)
        table = page.get_by_test_id("stMarkdown").filter(has_text="% move per 1% of the input").locator("table")
        table.wait_for()
        box = table.bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 390 + 0.5
        assert table.evaluate("t => t.scrollWidth <= t.clientWidth + 1")
    finally:
        context.close()
