"""Markdown tables on a 390 px phone: every table ends inside the main column (it ran 44-89 px
past it on Price & ads, the custom page and the lab, so the column scrolled sideways and numbers
were clipped). Two facts about a row share a cell (explain.common.share_cell / phone_table)."""

import pytest

from tests.e2e.helpers import goto, no_exception

pytestmark = pytest.mark.browser

#: The right edge of every markdown table and of the main column's content (inside its padding).
EDGES = """() => { const main = document.querySelector('[data-testid=stMainBlockContainer]');
    const right = main.getBoundingClientRect().right - parseFloat(getComputedStyle(main).paddingRight);
    const tables = [...main.querySelectorAll('[data-testid=stMarkdownContainer] table')]
        .map(t => [t.innerText.slice(0, 40), t.getBoundingClientRect().right]);
    return {right, tables, scroll: [main.scrollWidth, main.clientWidth]}; }"""


@pytest.mark.parametrize(
    "path",
    [
        "/price-ads",  # What moves the optimum: 418 px
        "/custom?f=sin(x)/x&lo=-10&hi=10&goal=max",  # critical points: 431 px
        "/custom?f=x*log(x)&lo=0&hi=1&goal=min",  # 422 px
        "/lab",  # the sigmoid's overflow: 463 px
    ],
)
def test_every_table_ends_inside_the_main_column(page, path):
    page.set_viewport_size({"width": 390, "height": 1800})
    goto(page, path)
    page.locator("[data-testid=stMarkdownContainer] table").first.wait_for()
    edges = page.evaluate(EDGES)
    assert edges["tables"]
    assert all(right <= edges["right"] + 0.5 for _, right in edges["tables"]), edges
    assert edges["scroll"][0] <= edges["scroll"][1], edges
    no_exception(page)
