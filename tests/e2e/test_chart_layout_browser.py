"""Chart layout as Chromium draws it, measured (issue 19): every plot keeps its height
whatever its legend holds, no title is cut short on a phone, point labels overlap neither
each other nor the curves they label, and every title and label can be read on a light
and on a dark background.

Vega draws a view's plot area as the ``path.background`` of its group (the root frame of a
single view, ``concat_<i>_group`` for each row of a stacked chart); text boxes are the
text marks' client rectangles.
"""

from __future__ import annotations

import pytest

from tests.e2e.browser import contrast, open_page, wait_idle
from tests.e2e.helpers import no_exception

pytestmark = pytest.mark.browser

#: Every page that draws charts at its defaults (the network page with its later sections),
#: and the sensitivity section's envelope chart.
PAGES = [
    "/pricing",
    "/study",
    "/fuel",
    "/compounding",
    "/custom",
    "/lab",
    "/lr-finder",
    "/network",
    "/pricing?sweep=unit_cost",
]
WIDTHS = [1400, 390]
#: The smallest plot height a chart may be squeezed to by its titles and legend (px).
MIN_PLOT = 120
#: WCAG's contrast ratio for large text and graphics; chart titles and labels must reach it.
MIN_CONTRAST = 3.0

#: Per chart: each plot area's box, and its title, axis-title and legend texts.
MEASURE = """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart] svg.marks')].map(svg => {
    const cells = [...svg.querySelectorAll('g.mark-group')]
        .filter(g => /(^| )concat_[0-9]+_group( |$)/.test(g.getAttribute('class')));
    const groups = cells.length ? cells : [svg.querySelector('g.mark-group.role-frame.root')];
    const plots = groups.map(g => {
        const r = g.querySelector(':scope > g > path.background').getBoundingClientRect();
        return {width: r.width, height: r.height}; });
    const text = sel => [...svg.querySelectorAll(sel)].map(t => t.textContent).filter(t => t.trim());
    return {plots, titles: text('g.role-title text'), axes: text('g.role-axis-title text'),
            legend: text('g.role-legend-label text')}; })"""

#: Every text mark's box, and the points of every line drawn in the same plot (screen px).
LABELS = """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart] svg.marks')].map(svg => {
    const cell = el => el.closest('g.mark-group.role-scope[class*=concat_]') || svg;
    const texts = [...svg.querySelectorAll('g.mark-text.role-mark text')].filter(t => t.textContent.trim());
    return texts.map(t => {
        const r = t.getBoundingClientRect();
        const lines = [...cell(t).querySelectorAll('g.mark-line.role-mark path')].map(p => {
            const m = p.getScreenCTM(), n = p.getTotalLength(), pts = [];
            for (let s = 0; s <= n; s += 1.5) {
                const q = p.getPointAtLength(s);
                pts.push([m.a * q.x + m.c * q.y + m.e, m.b * q.x + m.d * q.y + m.f]);
            }
            return pts; });
        return {text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom, lines}; }); })"""

#: Every title, subtitle and text mark with its computed fill, and the colour behind the chart.
COLOURS = """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart] svg.marks')].flatMap(svg => {
    let bg = 'rgb(255, 255, 255)';
    for (let e = svg; e; e = e.parentElement) {
        const c = getComputedStyle(e).backgroundColor, v = c.match(/[0-9.]+/g);
        if (v && (v.length < 4 || +v[3] > 0.5)) { bg = c; break; }
    }
    return [...svg.querySelectorAll('g.role-title text, g.mark-text.role-mark text')]
        .filter(t => t.textContent.trim())
        .map(t => ({text: t.textContent, fill: getComputedStyle(t).fill, background: bg})); })"""


def draw(page) -> None:
    """Wait until every chart on the page has been drawn."""
    charts = page.get_by_test_id("stVegaLiteChart")
    charts.first.locator("svg.marks").wait_for(timeout=90_000)
    for i in range(charts.count()):
        charts.nth(i).locator("svg.marks").wait_for(timeout=90_000)
    page.wait_for_timeout(400)


def at_width(browser, server, path: str, width: int, scheme: str = "light"):
    context = browser.new_context(viewport={"width": width, "height": 2000}, color_scheme=scheme)
    page = context.new_page()
    open_page(page, server.url + path, timeout=120_000)
    draw(page)
    wait_idle(page)
    no_exception(page)
    return context, page


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PAGES)
def test_plots_keep_their_height_and_titles_are_whole(browser, app_server, path, width):
    context, page = at_width(browser, app_server, path, width)
    try:
        charts = page.evaluate(MEASURE)
    finally:
        context.close()
    assert charts, "no chart drawn"
    squeezed = [
        (c["titles"][:1], round(p["height"])) for c in charts for p in c["plots"] if p["height"] < MIN_PLOT - 0.5
    ]
    assert squeezed == []
    cut = [t for c in charts for t in (*c["titles"], *c["axes"]) if "…" in t]
    assert cut == []


def boxes_meet(a: dict, b: dict, slack: float = 0.5) -> bool:
    return (
        a["left"] < b["right"] - slack
        and b["left"] < a["right"] - slack
        and a["top"] < b["bottom"] - slack
        and b["top"] < a["bottom"] - slack
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "path", ["/pricing?price=74", "/study", "/fuel?speed=45", "/pricing", "/fuel", "/pricing?sweep=unit_cost"]
)
def test_point_labels_overlap_neither_each_other_nor_the_curves(browser, app_server, path, width):
    context, page = at_width(browser, app_server, path, width)
    try:
        charts = page.evaluate(LABELS)
    finally:
        context.close()
    labels = [label for chart in charts for label in chart]
    assert len(labels) >= 2, labels
    crossing = [
        (a["text"], b["text"])
        for chart in charts
        for i, a in enumerate(chart)
        for b in chart[i + 1 :]
        if boxes_meet(a, b)
    ]
    assert crossing == []
    on_a_curve = [
        label["text"]
        for label in labels
        if any(
            label["left"] + 1 < x < label["right"] - 1 and label["top"] + 1 < y < label["bottom"] - 1
            for line in label["lines"]
            for x, y in line
        )
    ]
    assert on_a_curve == []


def test_contrast_ratio():
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21.0)
    assert contrast("rgb(17, 24, 39)", "rgb(14, 17, 23)") < 1.2  # the old step numbers on the dark theme


@pytest.mark.parametrize("scheme", ["dark", "light"])
@pytest.mark.parametrize("path", PAGES)
def test_titles_and_labels_can_be_read(browser, themed_server, path, scheme):
    context, page = at_width(browser, themed_server, path, 1400, scheme)
    try:
        texts = page.evaluate(COLOURS)
    finally:
        context.close()
    assert texts, "no title or label found"
    faint = [
        (t["text"], t["fill"], t["background"]) for t in texts if contrast(t["fill"], t["background"]) < MIN_CONTRAST
    ]
    assert faint == []
