"""The Split-a-budget page (/allocate) in headless Chromium: both examples, an edited table and a
split travelling in the link, the two CSV files, a 390 px phone and the dark theme (measured)."""

import io
from urllib.parse import quote

import pandas as pd
import pytest

from optimizers import allocate as al
from optimizers.sensitivity import COLUMNS
from tests.e2e.browser import brightness, open_page, wait_idle
from tests.e2e.helpers import download_csv, edit_cell, expect_metric, goto, metric, no_exception, press_slider, query

pytestmark = pytest.mark.browser

STUDY = al.PRESETS["study"]


def draw(page, n: int = 2) -> None:
    """Wait until the page's ``n`` charts are drawn (Streamlit mounts them after the run)."""
    from playwright.sync_api import expect

    charts = page.get_by_test_id("stVegaLiteChart")
    expect(charts).to_have_count(n, timeout=60_000)
    for i in range(n):
        charts.nth(i).locator("svg.marks").wait_for(timeout=60_000)
    page.wait_for_timeout(300)


def share_link(page) -> str:
    return page.get_by_test_id("stCode").last.inner_text().strip()


def test_both_examples(page):
    goto(page, "/allocate")
    no_exception(page)
    assert metric(page, "Best total") == "54.78 points"
    assert metric(page, "Value of one more hour") == "2.19 points"
    draw(page)
    # the current budget is marked (a dashed line through λ and the split, and its label)
    stacked = page.get_by_test_id("stVegaLiteChart").nth(1)
    dashed = stacked.evaluate(
        "el => [...el.querySelectorAll('g.mark-rule path, g.mark-rule line')]"
        ".filter(e => (e.getAttribute('stroke-dasharray') || '').length).length"
    )
    assert dashed >= 1
    assert stacked.locator("text", has_text="now: 12.0 h").count() == 1
    page.locator(".st-key-preset").get_by_role("radio", name="ads").click()
    expect_metric(page, "Value of one more dollar", "0.0635 sign-ups", timeout=60_000)
    assert metric(page, "Best total") == "325.5 sign-ups"
    for label in ("Best total", "Value of one more dollar"):  # the whole value shows, no ellipsis
        value = page.get_by_test_id("stMetric").filter(has=page.get_by_text(label, exact=True))
        cut = value.get_by_test_id("stMetricValue").evaluate(
            "el => [el, ...el.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth + 1)"
        )
        assert not cut, label
    assert "$3000" in page.locator(".st-key-budget").inner_text()
    page.wait_for_function("() => location.search.includes('preset=ads')")
    draw(page)
    no_exception(page)


def test_keyboard_moves_the_budget_and_the_link(page):
    goto(page, "/allocate")
    press_slider(page, "budget", "ArrowRight", times=2)  # 12 -> 13 hours
    a = al.allocate(STUDY.activities(), 13.0)
    expect_metric(page, "Value of one more hour", f"{a.lam:.2f} points")
    page.wait_for_function("() => location.search.includes('budget=13')")
    assert float(query(page)["budget"]) == 13.0
    no_exception(page)


def test_an_edited_table_and_a_split_travel_with_the_link(page, browser):
    """Maths' ceiling 40 -> 60 and a typed split 4:6:2: the link opened in a fresh browser context
    (no session, no cookies) shows the same table, numbers and comparison."""
    goto(page, "/allocate")
    grid = page.get_by_test_id("stDataFrame").first
    edit_cell(page, grid, row=0, column=1, columns=3, old="40", new="60")
    edited = STUDY.table().assign(ceiling=[60.0, 30.0, 25.0])
    a = al.allocate(al.validate_table(edited, "diminishing"), 12.0)
    expect_metric(page, "Best total", f"{a.value:.2f} points", timeout=60_000)
    box = page.locator(".st-key-current input")
    box.fill("4:6:2")
    box.press("Enter")
    wait_idle(page)
    page.wait_for_function("() => location.search.includes('current=') && location.search.includes('data=')")
    assert query(page)["data"] == "Maths:60:0.3,History:30:0.2,French:25:0.1"
    assert query(page)["current"] == "4:6:2"
    comparison = page.get_by_test_id("stAlert").filter(has_text="Your split").inner_text()
    assert "Your split (Maths 4.00 h, History 6.00 h, French 2.00 h)" in comparison
    link = share_link(page)
    assert "data=Maths%3A60%3A0.3" in link
    fresh = browser.new_context(viewport={"width": 1400, "height": 1800})
    try:
        other = fresh.new_page()
        open_page(other, link)
        expect_metric(other, "Best total", f"{a.value:.2f} points", timeout=60_000)
        assert metric(other, "Value of one more hour") == metric(page, "Value of one more hour")
        assert other.get_by_test_id("stAlert").filter(has_text="Your split").inner_text() == comparison
        assert query(other)["data"] == "Maths:60:0.3,History:30:0.2,French:25:0.1"
        assert share_link(other) == link
        no_exception(other)
    finally:
        fresh.close()


def test_the_csv_files(page):
    goto(page, "/allocate?budget=8")
    a = al.allocate(STUDY.activities(), 8.0)
    table = pd.read_csv(io.BytesIO(download_csv(page, "allocation.csv")))
    assert list(table.columns) == ["activity", "amount", "marginal_value", "value"]
    assert table.activity.tolist() == ["Maths", "History", "French"]
    assert table.amount.tolist() == pytest.approx([s.amount for s in a.shares], rel=1e-9)
    assert table.amount.sum() == pytest.approx(8.0, rel=1e-9)
    assert table.marginal_value.tolist() == pytest.approx([a.lam, a.lam, 2.5], rel=1e-9)  # French's first hour
    assert table.value.sum() == pytest.approx(a.value, rel=1e-9)
    sens = pd.read_csv(io.BytesIO(download_csv(page, "allocate_sensitivity.csv")))
    assert list(sens.columns) == COLUMNS
    assert sens.parameter.tolist() == ["budget:Maths", "budget:History", "budget:French"]
    # dxᵢ*/dB = (1/kᵢ)/Σ(1/kⱼ) over the funded (Maths, History); dV*/dB = λ (envelope theorem)
    assert sens.optimum_change_per_unit.tolist() == pytest.approx([0.4, 0.6, 0.0], rel=1e-9)
    assert sens.best_change_per_unit.tolist() == pytest.approx([a.lam] * 3, rel=1e-9)


LONG = [f"{c * 40}" for c in "ABCDEFGH"]  # eight names of 40 characters, no spaces to break at


def overflow(page) -> list[str]:
    """Elements of the main column whose right edge passes a 390 px window, and the page's sideways scroll."""
    found = page.evaluate(
        """() => {
            const out = [];
            if (document.documentElement.scrollWidth > 390) out.push('page scrolls sideways: ' + document.documentElement.scrollWidth);
            const sel = '[data-testid=stMain] [data-testid=stMarkdownContainer], [data-testid=stMain] [data-testid=stAlert],' +
                        '[data-testid=stMain] [data-testid=stVegaLiteChart], [data-testid=stMain] [data-testid=stMetric],' +
                        '[data-testid=stMain] [data-testid=stDataFrame], [data-testid=stMain] table';
            for (const el of document.querySelectorAll(sel)) {
                const b = el.getBoundingClientRect();
                if (b.width && (b.left < -0.5 || b.right > 390.5)) out.push(el.dataset.testid + ' ' + b.left + '..' + b.right + ' ' + el.innerText.slice(0, 60));
            }
            for (const el of document.querySelectorAll('[data-testid=stMain] table')) {
                const box = el.parentElement.getBoundingClientRect();
                if (el.scrollWidth > box.width + 1) out.push('table wider than its column: ' + el.innerText.slice(0, 60));
            }
            return out;
        }"""
    )
    return found


@pytest.mark.parametrize("path", ["/allocate?current=4:6:2&budget=8", "LONG"])
def test_a_phone_reads_without_sideways_scrolling(browser, app_server, path):
    if path == "LONG":
        table = pd.DataFrame(
            {"name": LONG, "ceiling": [40.0 + i for i in range(8)], "rate": [0.1 + 0.05 * i for i in range(8)]}
        )
        data = al.encode_activities(table, "diminishing")
        path = f"/allocate?budget=40&data={quote(data)}&current=" + ":".join(["5"] * 8)
    context = browser.new_context(viewport={"width": 390, "height": 2400})
    page = context.new_page()
    try:
        open_page(page, app_server.url + path)
        no_exception(page)
        draw(page)
        assert page.get_by_test_id("stAlert").filter(has_text="Your split").count() == 1
        assert overflow(page) == []
        # every chart's axis title sits above its plot, not over it
        clashes = page.evaluate(
            """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart] svg.marks')].flatMap(svg => {
                const plots = [...svg.querySelectorAll('path.background')].map(p => p.getBoundingClientRect());
                return [...svg.querySelectorAll('g.role-title-subtitle text')].filter(t => {
                    const b = t.getBoundingClientRect();
                    return plots.some(p => b.bottom > p.top + 1 && b.top < p.bottom && b.right > p.left && b.left < p.right);
                }).map(t => t.textContent);
            })"""
        )
        assert clashes == []
    finally:
        context.close()


def test_dark_theme(browser, themed_server, tmp_path):
    context = browser.new_context(viewport={"width": 1400, "height": 2600}, color_scheme="dark")
    page = context.new_page()
    try:
        open_page(page, themed_server.url + "/allocate?preset=ads&current=1000:1000:1000")
        draw(page)
        wait_idle(page)
        page.screenshot(path=str(tmp_path / "allocate-dark.png"))
        colors = page.evaluate(
            """() => {
                const style = e => getComputedStyle(e);
                const app = document.querySelector('[data-testid=stApp]');
                const svg = document.querySelector('[data-testid=stVegaLiteChart] svg.marks');
                return {
                    app: style(app).backgroundColor,
                    chart: style(svg).backgroundColor,
                    curve: style(svg.querySelector('g.mark-line.role-mark path')).stroke,
                    metric: style(document.querySelector('[data-testid=stMetricValue]')).color,
                    text: style(document.querySelector('[data-testid=stMain] [data-testid=stMarkdownContainer] p')).color,
                    cell: style(document.querySelector('[data-testid=stMain] table td')).color,
                };
            }"""
        )
    finally:
        context.close()
    lum = {k: brightness(v) for k, v in colors.items()}
    assert lum["app"] < 0.2
    assert lum["chart"] < 0.2
    for k in ("metric", "text", "cell"):
        assert lum[k] > lum["app"] + 0.6, (k, colors)
    # the curves use ui.charts' series palette (Tableau 10, meant for both themes), not the text colour
    assert lum["curve"] > lum["chart"] + 0.3, colors
