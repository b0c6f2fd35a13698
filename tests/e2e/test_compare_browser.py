"""/compare in real headless Chromium against `streamlit run app.py`: three Pricing scenarios built
through "Add to comparison", renamed and reordered, reloaded from the comparison's link in a fresh
browser, its scenarios.csv; the page at 1400 and 390 px."""

import io
import re
from urllib.parse import urlencode

import pandas as pd
import pytest

from tests.e2e.browser import open_page, wait_idle
from tests.e2e.helpers import download_csv, no_exception, press_slider, query

pytestmark = pytest.mark.browser

COLUMNS = [
    "scenario", "model", "unit_cost", "fixed_cost", "price", "demand_intercept", "demand_slope",
    "best_price", "best_profit", "profit_at_price", "best", "status", "link",
]  # fmt: skip


def add_to_comparison(page, scenarios: int) -> None:
    """Press the page's "Add to comparison" and wait for /compare to hold ``scenarios`` scenarios."""
    page.get_by_role("button", name="Add to comparison").click()
    page.wait_for_url(re.compile(rf"/compare\?.*s{scenarios}="), timeout=60_000)
    wait_idle(page, 60_000)
    no_exception(page)


def back_to_pricing(page) -> None:
    """Pricing from the sidebar (the same session: the comparison in progress is kept)."""
    page.locator('[data-testid=stSidebarNavLink][href$="/pricing"]').click()
    page.wait_for_url(re.compile(r"/pricing(\?|$)"), timeout=30_000)
    wait_idle(page)


def wait_for_names(page, expected: list[str]) -> None:
    """Wait until the name boxes show ``expected``, in order (a rename or move reruns the page)."""
    page.wait_for_function(
        "n => [...document.querySelectorAll('[data-testid=stMain] input[aria-label=Name]')].map(e => e.value)"
        ".join('|') === n",
        arg="|".join(expected),
        timeout=30_000,
    )


def test_three_pricing_scenarios_built_through_the_buttons_reload_from_their_link(page, browser):
    page.goto(page.base_url + "/pricing?price=60")
    page.wait_for_selector("[data-testid=stApp]")
    wait_idle(page, 60_000)
    add_to_comparison(page, 1)
    assert query(page) == {"page": "pricing", "s1": "Scenario 1|pricing?price=60"}

    back_to_pricing(page)  # the page keeps its price: the app remembers a page's inputs in a session
    press_slider(page, "unit_cost", "ArrowLeft", times=10)
    page.wait_for_function("() => location.search.includes('unit_cost=10')")
    add_to_comparison(page, 2)

    back_to_pricing(page)
    press_slider(page, "unit_cost", "ArrowRight", times=20)
    page.wait_for_function("() => location.search.includes('unit_cost=30')")
    add_to_comparison(page, 3)
    assert query(page) == {
        "page": "pricing",
        "s1": "Scenario 1|pricing?price=60",
        "s2": "Scenario 2|pricing?price=60&unit_cost=10",
        "s3": "Scenario 3|pricing?price=60&unit_cost=30",
    }
    best = page.get_by_test_id("stAlert").filter(has_text="Best:")
    assert best.inner_text().strip() == "Best: “Scenario 2”, with the highest weekly profit at your price: $35,000.00."

    # rename the third, then move it to the top
    box = page.get_by_test_id("stMain").get_by_label("Name", exact=True).nth(2)
    box.fill("Dear parts")
    box.press("Enter")
    wait_for_names(page, ["Scenario 1", "Scenario 2", "Dear parts"])
    page.locator(".st-key-up_2").get_by_role("button").first.click()
    wait_for_names(page, ["Scenario 1", "Dear parts", "Scenario 2"])
    page.locator(".st-key-up_1").get_by_role("button").first.click()
    wait_for_names(page, ["Dear parts", "Scenario 1", "Scenario 2"])
    page.wait_for_function("() => new URLSearchParams(location.search).get('s1').startsWith('Dear parts|')")
    no_exception(page)
    link = page.get_by_test_id("stCode").last.inner_text().strip()
    assert link.startswith(page.base_url + "/compare?page=pricing&s1=Dear+parts%7Cpricing")

    fresh = browser.new_context(viewport={"width": 1400, "height": 1800}, accept_downloads=True)
    try:
        other = fresh.new_page()
        open_page(other, link)
        no_exception(other)
        wait_for_names(other, ["Dear parts", "Scenario 1", "Scenario 2"])  # a cold session may take a moment
        assert query(other) == {
            "page": "pricing",
            "s1": "Dear parts|pricing?price=60&unit_cost=30",
            "s2": "Scenario 1|pricing?price=60",
            "s3": "Scenario 2|pricing?price=60&unit_cost=10",
        }
        other.get_by_test_id("stVegaLiteChart").first.locator("svg.marks, canvas.marks").wait_for()
        table = pd.read_csv(io.BytesIO(download_csv(other, "scenarios.csv")), keep_default_na=False)
        assert list(table.columns) == COLUMNS
        assert table.scenario.tolist() == ["Dear parts", "Scenario 1", "Scenario 2"]
        assert table.unit_cost.tolist() == [30.0, 20.0, 10.0]
        assert table.price.tolist() == [60.0, 60.0, 60.0]
        assert table.best_price.tolist() == [80.0, 75.0, 70.0]  # (a/b + c)/2
        assert table.profit_at_price.tolist() == [21000.0, 28000.0, 35000.0]  # (p − c)(1300 − 10p)
        assert table.best.tolist() == [False, False, True]
        assert table.status.tolist() == ["ok"] * 3
    finally:
        fresh.close()


FOUR = {
    "page": "pricing",
    "s1": "Now|pricing?",
    "s2": "Cheaper parts|pricing?unit_cost=10&price=60",
    "s3": "A rather long scenario name|pricing?unit_cost=35.5&price=99.5&fixed_cost=12000",
    "s4": "Study plan|study?hours=5",
}
#: Fuel in both unit systems: every input differs (a row each), the results converted.
FUEL = {
    "page": "fuel",
    "s1": "Sedan|fuel?speed=70",
    "s2": "Metric car|fuel?units=metric&speed_kmh=90",
    "s3": "Truck|fuel?drag=0.002&idle=3",
}
CASES = {
    "pricing": (FOUR, ["Now", "Cheaper parts", "A rather long scenario name", "Study plan"], "not to Pricing"),
    "fuel": (FUEL, ["Sedan", "Metric car", "Truck"], "converted from km/h"),
}

LAYOUT = """() => {
    const main = document.querySelector('[data-testid=stMain]');
    const width = document.documentElement.clientWidth, out = {cut: []};
    out.scroll = document.documentElement.scrollWidth - width;
    const sel = '[data-testid=stMarkdownContainer], [data-testid=stAlert], [data-testid=stVegaLiteChart],' +
                '[data-testid=stDataFrame], [data-testid=stTextInput], [data-testid=stButton], ' +
                '[data-testid=stPageLink], [data-testid=stDownloadButton], [data-testid=stCode]';
    for (const el of main.querySelectorAll(sel)) {
        const b = el.getBoundingClientRect();
        if (b.width && (b.left < -0.5 || b.right > width + 0.5)) out.cut.push(el.dataset.testid + ' ' + b.left + '..' + b.right);
    }
    for (const el of main.querySelectorAll('[data-testid=stMarkdownContainer] p, [data-testid=stAlert] p, button p'))
        if (el.scrollWidth > el.clientWidth + 1) out.cut.push('text wider than its box: ' + el.innerText.slice(0, 60));
    for (const svg of main.querySelectorAll('[data-testid=stVegaLiteChart] svg.marks')) {
        const right = svg.getBoundingClientRect().right;
        for (const t of svg.querySelectorAll('text'))  // legend entries, marker labels, axes
            if (t.textContent && t.getBoundingClientRect().right > right + 0.5) out.cut.push('chart text: ' + t.textContent);
    }
    out.plots = [...main.querySelectorAll('[data-testid=stVegaLiteChart] svg.marks')].map(svg => {
        const r = svg.querySelector('path.background').getBoundingClientRect();
        return [r.width, r.height];
    });
    const frame = main.querySelector('[data-testid=stDataFrame]'), grid = frame.getBoundingClientRect();
    out.grid = [grid.left, grid.right];
    const scroller = frame.querySelector('.dvn-scroller');
    out.grid_rows_hidden = scroller ? Math.max(0, scroller.scrollHeight - scroller.clientHeight - 1) : -1;
    return out;
}"""


@pytest.mark.parametrize(("width", "case"), [(1400, "pricing"), (390, "pricing"), (390, "fuel")])
def test_the_page_fits_a_desktop_and_a_phone(browser, app_server, width, case):
    params, expected, note = CASES[case]
    context = browser.new_context(viewport={"width": width, "height": 2400})
    try:
        page = context.new_page()
        open_page(page, app_server.url + "/compare?" + urlencode(params))
        wait_for_names(page, expected)
        no_exception(page)
        page.get_by_test_id("stVegaLiteChart").first.locator("svg.marks, canvas.marks").wait_for()
        wait_idle(page)
        page.wait_for_timeout(500)  # vega-embed lays out after the run
        page.screenshot(path=f"/tmp/compare_{width}{'' if case == 'pricing' else '_' + case}.png", full_page=True)
        found = page.evaluate(LAYOUT)
        assert found["scroll"] <= 0, "the page scrolls sideways"
        assert found["cut"] == []
        ((plot_width, plot_height),) = found["plots"]
        assert plot_height >= 120
        assert plot_width >= (800 if width == 1400 else 250)
        assert found["grid"][1] <= width  # the table scrolls inside its own frame on a phone
        assert found["grid_rows_hidden"] == 0  # every row of the table shows, none behind a scroll
        assert page.get_by_test_id("stMain").get_by_text(note).count() == 1
    finally:
        context.close()
