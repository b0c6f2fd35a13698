"""Measurements the two-decision pages' browser tests share: plot areas, overflow on a phone,
text against the chart's background (light and dark), and a server with both themes."""

from __future__ import annotations

from tests.e2e.browser import contrast, luminance, rgb, themed_server

__all__ = ["COLOURS", "OUTSIDE", "PLOT_AREAS", "contrast", "draw", "luminance", "rgb", "themed_server"]

#: Every plot area of every chart on the page: a single view's frame, or each row of a stack.
PLOT_AREAS = """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart] svg.marks')].flatMap((svg, i) =>
    [...svg.querySelectorAll('path.background')].filter(p => {
        const c = p.parentElement.parentElement.getAttribute('class') || '';
        return /role-frame root|role-scope concat_/.test(c); })
      .map(p => { const r = p.getBoundingClientRect(); return {chart: i, width: r.width, height: r.height}; })
      .filter(b => b.height > 0))"""

#: Texts of every chart that reach outside their chart element or the window.
OUTSIDE = """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')].flatMap(el => {
    const svg = el.querySelector('svg.marks'); const s = svg.getBoundingClientRect(); const e = el.getBoundingClientRect();
    return [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
        const r = t.getBoundingClientRect();
        return {text: t.textContent, out: r.left < Math.max(s.left, e.left, 0) - 1
                || r.right > Math.min(s.right, e.right, window.innerWidth) + 1}; })
      .filter(t => t.out).map(t => t.text); })"""

#: The first chart's background and the colours of its texts and of its marks by class.
COLOURS = """() => { const svg = document.querySelector('[data-testid=stVegaLiteChart] svg.marks');
    const sel = ['axis-label', 'axis-title', 'title-text', 'legend-label', 'legend-title'].map(r => `g.role-${r} text`);
    const texts = [...svg.querySelectorAll(sel.join(', '))]
        .filter(t => t.textContent.trim()).map(t => [t.textContent, getComputedStyle(t).fill]);
    const symbols = [...svg.querySelectorAll('g.mark-symbol.role-mark path')].map(p => [getComputedStyle(p).fill, getComputedStyle(p).stroke]);
    return {background: getComputedStyle(svg).backgroundColor, texts, symbols}; }"""


def draw(page) -> None:
    """Wait until every chart on the page is drawn."""
    charts = page.get_by_test_id("stVegaLiteChart")
    charts.first.locator("svg.marks").wait_for(timeout=60_000)
    for i in range(charts.count()):
        charts.nth(i).locator("svg.marks").wait_for(timeout=60_000)
    page.wait_for_timeout(400)
