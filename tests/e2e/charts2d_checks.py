"""Measurements the two-decision pages' browser tests share: plot areas, overflow on a phone,
text against the chart's background (light and dark), and a server with both themes."""

from __future__ import annotations

import os
import re
from contextlib import contextmanager

from runtime.launch import Server

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


def rgb(css: str) -> tuple[int, int, int]:
    r, g, b = (int(float(v)) for v in re.findall(r"[\d.]+", css)[:3])
    return r, g, b


def luminance(css: str) -> float:
    """WCAG relative luminance of an rgb() colour."""

    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb(css))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def draw(page) -> None:
    """Wait until every chart on the page is drawn."""
    charts = page.get_by_test_id("stVegaLiteChart")
    charts.first.locator("svg.marks").wait_for(timeout=60_000)
    for i in range(charts.count()):
        charts.nth(i).locator("svg.marks").wait_for(timeout=60_000)
    page.wait_for_timeout(400)


@contextmanager
def themed_server():
    """The app with a light and a dark theme (as tests/e2e/test_charts_browser.py starts it), so
    that it follows the browser's colour scheme."""
    keys = ("STREAMLIT_THEME_LIGHT_PRIMARY_COLOR", "STREAMLIT_THEME_DARK_PRIMARY_COLOR")
    saved = {k: os.environ.get(k) for k in keys}
    os.environ.update(dict(zip(keys, ("#2563eb", "#60a5fa"), strict=True)))
    try:
        with Server("app.py") as server:
            yield server
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
