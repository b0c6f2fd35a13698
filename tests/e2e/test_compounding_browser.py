"""The Compounding page in headless Chromium."""

import io

import pandas as pd
import pytest

from tests.e2e.helpers import download_csv, expect_metric, goto, metric, no_exception, press_slider, query
from tests.e2e.test_fuel_browser import clipped_texts

pytestmark = pytest.mark.browser


def test_loads_moves_and_shares(page):
    goto(page, "/compounding")
    no_exception(page)
    assert metric(page, "Value after 10 years") == "$16,487.21"
    press_slider(page, "rate", "ArrowRight", times=2)  # 5% -> 5.1%
    expect_metric(page, "Doubling time", "13.59 years")  # ln 2 / 0.051
    page.wait_for_function("() => location.search.includes('rate=5.1')")
    assert float(query(page)["rate"]) == pytest.approx(5.1)
    no_exception(page)


def test_url_reproduces_and_csv_parses(page):
    goto(page, "/compounding?rate=7&contribution=100&frequency=monthly")
    assert metric(page, "Value after 10 years") == "$37,405.09"
    schedule = pd.read_csv(io.BytesIO(download_csv(page, "compounding.csv")))
    assert list(schedule.columns) == ["year", "balance", "contributed", "interest_earned", "growth_per_year"]
    assert f"${schedule.balance.iloc[-1]:,.2f}" == "$37,405.09"
    assert schedule.contributed.iloc[-1] == 22_000


def test_principal_is_drawn_at_the_bottom(page):
    """The stacked balance as drawn: principal lowest, then contributions, interest on top."""
    from playwright.sync_api import expect

    goto(page, "/compounding?contribution=100")
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(2, timeout=60_000)  # no ?sweep=: no envelope
    page.get_by_test_id("stVegaLiteChart").first.locator("g.mark-area path").first.wait_for(timeout=60_000)
    drawn = page.evaluate(
        """() => {
          const svg = document.querySelector('[data-testid=stVegaLiteChart] svg.marks');
          const symbols = [...svg.querySelectorAll('g.role-legend g.role-legend-symbol path')];
          const labels = [...svg.querySelectorAll('g.role-legend g.role-legend-label text')];
          const color = Object.fromEntries(labels.map((t, i) => [symbols[i].getAttribute('fill'), t.textContent]));
          return [...svg.querySelectorAll('g.mark-area path')].map(p => {
            const r = p.getBoundingClientRect();
            return {series: color[p.getAttribute('fill')], top: r.top, bottom: r.bottom}; });
        }"""
    )
    area = {d["series"]: d for d in drawn}
    assert set(area) == {"principal", "contributions", "interest"}
    assert area["principal"]["bottom"] == max(d["bottom"] for d in drawn)  # on the x axis
    assert area["principal"]["top"] > area["contributions"]["top"] > area["interest"]["top"]  # y grows downwards


def test_sensitivity_download(page):
    goto(page, "/compounding?rate=8&asset_growth=1.2")
    assert float(metric(page, "Best time to sell").split()[0]) == pytest.approx(56.25, abs=0.05)  # (1.2 / 0.16)²
    table = pd.read_csv(io.BytesIO(download_csv(page, "compounding_sensitivity.csv")))
    assert list(table.columns) == ["parameter", "value", "optimum_change_per_unit", "best_change_per_unit",
                                   "optimum_elasticity"]  # fmt: skip
    rows = table.set_index("parameter")
    t_star = (1.2 / (2 * 0.08)) ** 2
    assert rows.loc["asset_growth", "optimum_change_per_unit"] == pytest.approx(2 * t_star / 1.2, rel=1e-9)
    assert rows.loc["rate", "optimum_elasticity"] == pytest.approx(-2, rel=1e-9)


def tick_labels(page, chart: int = 0) -> list[list[str]]:
    """Per y axis of a chart, its tick labels top to bottom."""
    return page.evaluate(
        """(i) => [...document.querySelectorAll('[data-testid=stVegaLiteChart] svg.marks')[i]
              .querySelectorAll('g.role-axis')].filter(a => (a.getAttribute('aria-label') || '').includes('Y-axis'))
              .map(a => [...a.querySelectorAll('g.role-axis-label text')].map(t => t.textContent))""",
        chart,
    )


def test_small_balances_have_distinct_ticks(page):
    """$0 to $1 used to read '$1 $1 $0 −$1 −$1' (a whole-dollar format on half-dollar ticks)."""
    goto(page, "/compounding?principal=1")
    page.get_by_test_id("stVegaLiteChart").first.locator("g.role-axis-label text").first.wait_for(timeout=60_000)
    axes = tick_labels(page)
    assert len(axes) == 2  # the balance and its growth rate
    for labels in axes:
        assert len(labels) >= 3
        assert len(set(labels)) == len(labels), labels


@pytest.mark.parametrize(
    "path",
    ["/compounding?contribution=100&frequency=monthly&sweep=rate", "/compounding?principal=0&sweep=asset_growth"],
)
def test_legends_not_clipped_on_a_phone(page, path):
    page.set_viewport_size({"width": 390, "height": 1200})
    goto(page, path)
    no_exception(page)
    assert clipped_texts(page, 3) == []  # balance over growth rate, when to sell, the sensitivity sweep (?sweep=)
    for legend in ("principal", "interest", "alternative r"):
        assert page.locator("g.role-legend text", has_text=legend).count() >= 1


@pytest.mark.parametrize(
    "path",
    [
        "/compounding?rates=1,2,3,4,5,6",
        "/compounding?rates=1,2,3,4,5,6&principal=1000000000",
        "/compounding?rates=100,50,30&principal=1000000000000000",
    ],
)
def test_comparison_fits_a_phone(page, path):
    """Issue 19: "Compound growth power" ran off a 390 px screen (six rates: 827 px wide). Its
    markdown tables do not scroll, so every one must end inside its column and the window."""
    page.set_viewport_size({"width": 390, "height": 1200})
    goto(page, path)
    no_exception(page)
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=stMarkdown] table')]
              .filter(t => t.querySelector('th').innerText.trim() === 'years')
              .map(t => [t.getBoundingClientRect().right,
                         t.closest('[data-testid=stMarkdown]').getBoundingClientRect().right, window.innerWidth])"""
    )
    assert len(boxes) >= 1
    for table_right, column_right, window in boxes:
        assert table_right <= column_right + 1
        assert table_right <= window


def test_principal_has_no_unformatted_limit(page):
    """Issue 19: typing more than the old maximum printed 'Please enter a value between 0 and
    1000000000000000' under the principal. There is no upper end now; the page formats what it gets."""
    from playwright.sync_api import expect

    goto(page, "/compounding")
    box = page.locator(".st-key-principal input")
    box.fill("2000000000000000")
    box.press("Enter")
    expect_metric(page, "Value after 10 years", "$3.30 × 10¹⁵")  # 2e15 e^0.5
    expect(page.locator(".st-key-principal")).not_to_contain_text("allowed range")
    assert "1000000000000000" not in page.locator(".st-key-principal").inner_text()
    no_exception(page)


HOVER = """([chart, fx, fy]) => {
    const svg = document.querySelectorAll('[data-testid=stVegaLiteChart] svg.marks')[chart];
    const r = svg.querySelector('path.background').getBoundingClientRect();
    return [r.x + r.width * fx, r.y + r.height * fy];
}"""


def hover_tooltip(page, chart: int, fx: float, fy: float = 0.25) -> dict[str, str]:
    """The tooltip shown with the pointer at (fx, fy) of a chart's first plot area, as
    {title: value} in the order shown."""
    page.get_by_test_id("stVegaLiteChart").nth(chart).scroll_into_view_if_needed()
    x, y = page.evaluate(HOVER, [chart, fx, fy])
    page.mouse.move(x, y)
    tip = page.locator("#vg-tooltip-element.visible")
    tip.wait_for(timeout=10_000)
    cells = tip.locator("td").all_inner_texts()
    return dict(zip(cells[::2], cells[1::2], strict=True))


def test_hover_lists_every_curve_at_one_x(page):
    """Anywhere above an x (not only on a curve), the tooltip lists every curve's value there,
    in the legend's order: the balance's principal, contributions and interest at one time."""
    goto(page, "/compounding?contribution=100")
    page.get_by_test_id("stVegaLiteChart").first.locator("g.mark-area path").first.wait_for(timeout=60_000)
    legend = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart] svg.marks')[0]
              .querySelectorAll('g.role-legend g.role-legend-label text')].map(t => t.textContent)"""
    )
    early, late = hover_tooltip(page, 0, 0.3), hover_tooltip(page, 0, 0.7, fy=0.9)
    for tip in (early, late):
        assert list(tip)[1:] == legend, (tip, legend)
        assert tip[legend[0]] == "$10,000"  # the principal stays what was put in
    money = {name: (float(early[name].strip("$").replace(",", "")), float(late[name].strip("$").replace(",", "")))
             for name in legend[1:]}  # fmt: skip
    for name, (before, after) in money.items():
        assert 0 < before < after, (name, before, after)  # contributions and interest both grow
    first_title = next(iter(early))
    assert float(early[first_title]) < float(late[first_title])  # the x it reads moved right
