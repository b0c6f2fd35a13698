"""The "Your own surface" page in headless Chromium: typing and presets move the answer and the
link, the link reproduces it in a fresh browser, the critical points download as CSV, the chart
reads on the dark theme, and a 390 px phone neither scrolls sideways nor squeezes a plot."""

import io
from urllib.parse import quote

import pandas as pd
import pytest

from tests.e2e.browser import open_page, wait_idle
from tests.e2e.charts2d_checks import COLOURS, OUTSIDE, PLOT_AREAS, contrast, draw, rgb
from tests.e2e.helpers import download_csv, expect_metric, goto, metric, no_exception, query

pytestmark = pytest.mark.browser

LARSON = (
    "/surface?f=100%20x%5E0.75%20y%5E0.25&x_lo=0&x_hi=400&y_lo=0&y_hi=250&goal=max&g=150x%20%2B%20250y%20%3D%2050000"
)


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def type_into(page, key: str, text: str) -> None:
    box = page.locator(f".st-key-{key} input")
    box.fill(text)
    box.press("Enter")
    wait_idle(page)


def test_defaults_and_the_hessian_test(page):
    goto(page, "/surface")
    assert metric(page, "Global minimum") == "−1"
    assert metric(page, "Reached at") == "(−1, −1) and (1, 1)"
    assert metric(page, "Critical points") == "3"
    expect(page.get_by_text("H has eigenvalues 8 and 16, both positive: a minimum", exact=False)).to_be_visible()
    expect(page.get_by_text("Certified: nothing in the box is below −1 − ", exact=False)).to_be_visible()
    no_exception(page)


def test_typing_moves_the_answer_and_the_link_reproduces_it(page, browser):
    goto(page, "/surface")
    type_into(page, "f", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2")
    for key, value in (("x_lo", "-5"), ("x_hi", "5"), ("y_lo", "-5"), ("y_hi", "5")):
        type_into(page, key, value)
    expect_metric(page, "Critical points", "9")
    assert metric(page, "Global minimum") == "0"
    assert metric(page, "Reached at") == "4 places"
    page.wait_for_function("() => Number(new URLSearchParams(location.search).get('y_hi')) === 5")
    assert query(page)["f"] == "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"
    shown = {label: metric(page, label) for label in ("Global minimum", "Reached at", "Critical points")}
    fresh = browser.new_context(viewport={"width": 1400, "height": 1800})
    try:
        other = fresh.new_page()
        open_page(other, page.url)
        assert {label: metric(other, label) for label in shown} == shown
        no_exception(other)
    finally:
        fresh.close()


def test_a_preset_fills_the_inputs_and_the_link(page):
    goto(page, "/surface")
    page.locator(".st-key-preset_cobb_douglas button").first.click()
    wait_idle(page)
    expect_metric(page, "Lagrange multiplier", "0.33437")
    assert metric(page, "Global maximum") == "16,718.51"
    assert metric(page, "Reached at") == "(250, 50)"
    page.wait_for_function("() => new URLSearchParams(location.search).get('g') === '150x + 250y = 50000'")
    assert query(page)["goal"] == "max"
    no_exception(page)


def test_critical_points_csv(page):
    goto(page, "/surface?f=x%5E3%20-%203x%20%2B%20y%5E2%20-%202y&x_lo=-2&x_hi=2&y_lo=-2&y_hi=3")
    expect_metric(page, "Critical points", "2")
    table = pd.read_csv(io.BytesIO(download_csv(page, "surface_critical_points.csv")))
    assert list(table.columns) == ["x", "y", "value", "kind"]
    rows = sorted(map(tuple, table.to_numpy().tolist()))
    # f_x = 3x² − 3 = 0 at x = ±1, f_y = 2y − 2 = 0 at y = 1: a saddle at (−1, 1), a minimum at (1, 1)
    assert rows == [(-1.0, 1.0, 1.0, "saddle"), (1.0, 1.0, -3.0, "minimum")]
    assert set(table.kind) <= {"minimum", "maximum", "saddle", "degenerate"}


def test_a_start_point_in_the_link(page):
    goto(page, "/surface?x0=0.5&y0=0.5&method=newton")
    expect(page.get_by_text("Newton's method", exact=False).first).to_be_visible()
    text = page.get_by_test_id("stMarkdown").filter(has_text="Newton's method from (0.5, 0.5)").inner_text()
    assert "came to rest at (−1, −1)" in text
    assert "saddles included" in text


def test_hostile_links_are_messages(page):
    goto(page, "/surface?f=" + quote("__import__('os').system('touch /tmp/pwned-surface')"))
    no_exception(page)
    assert "Cannot use this formula" in page.get_by_test_id("stAlert").first.inner_text()
    assert page.get_by_test_id("stVegaLiteChart").count() == 0
    goto(page, "/surface?g=" + quote("x + y = = 1"))
    assert "Cannot use this constraint" in page.get_by_test_id("stAlert").first.inner_text()


@pytest.mark.parametrize("path", ["/surface", LARSON])
def test_a_phone_neither_scrolls_sideways_nor_squeezes_a_plot(page, path):
    page.set_viewport_size({"width": 390, "height": 1400})
    goto(page, path)
    draw(page)
    no_exception(page)
    width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1] == 390
    areas = page.evaluate(PLOT_AREAS)
    assert areas
    assert all(a["height"] >= 120 for a in areas), areas
    assert all(a["width"] >= 200 for a in areas), areas  # about square: the plot keeps its width too
    assert page.evaluate(OUTSIDE) == []


def test_plot_is_about_square_on_a_wide_screen(page):
    goto(page, "/surface")
    draw(page)
    (area,) = page.evaluate(PLOT_AREAS)
    assert 0.8 <= area["width"] / area["height"] <= 1.4


def test_the_chart_reads_on_both_themes(browser, themed_server):
    seen = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": 1400, "height": 1600}, color_scheme=scheme)
        try:
            page = context.new_page()
            open_page(page, themed_server.url + "/surface")
            draw(page)
            seen[scheme] = page.evaluate(COLOURS)
        finally:
            context.close()
    for scheme, colours in seen.items():
        background = colours["background"]
        assert (sum(rgb(background)) < 150) == (scheme == "dark")
        assert colours["texts"]
        for text, fill in colours["texts"]:
            assert contrast(fill, background) >= 3, (scheme, text, fill, background)
    # the markers' colours follow the theme (a CSS name in a mark property would not change)
    assert seen["light"]["symbols"] != seen["dark"]["symbols"]
    assert all("255, 0, 0" not in f + s for f, s in seen["dark"]["symbols"])  # never the CSS "red"


def test_the_heat_map_has_the_legends_colours(page):
    """The raster is made in Python; its band colours are the ones Vega's quantize scale gives the
    legend (viridis sampled at i / 11), read off the drawn legend."""
    from ui.charts2d import band_colours

    goto(page, "/surface")
    draw(page)
    fills = page.evaluate(
        """() => [...document.querySelector('[data-testid=stVegaLiteChart] svg.marks')
                 .querySelectorAll('g.role-legend path')].map(p => getComputedStyle(p).fill)
                 .filter(f => f.startsWith('rgb'))"""
    )
    assert [rgb(f) for f in fills][: len(band_colours())] == [tuple(c) for c in band_colours().tolist()]
    box = page.locator("[data-testid=stVegaLiteChart] svg.marks image").first.bounding_box()
    (plot,) = page.evaluate(PLOT_AREAS)
    assert (box["width"], box["height"]) == pytest.approx((plot["width"], plot["height"]), abs=1)


HIMMELBLAU = "/surface?f=" + quote("(x^2 + y - 11)^2 + (x + y^2 - 7)^2") + "&x_lo=-5&x_hi=5&y_lo=-5&y_hi=5"

_CUT = """el => { const v = el.querySelector('[data-testid=stMetricValue]'); const t = v.querySelector('div') || v;
            return [t.scrollWidth, t.clientWidth]; }"""


@pytest.mark.parametrize("width", [1400, 390])
@pytest.mark.parametrize("path", [HIMMELBLAU, "/surface?f=" + quote("x^3-3xy^2"), "/surface", LARSON])
def test_reached_at_is_never_cut(page, width, path):
    """Measured, not eyeballed: Himmelblau's '(−3.779, −3.283), (−2.805, 3.131) and 2 more' (645 px
    of text in a 303 px metric at 1400 px, 358 px at 390) and x³ − 3xy²'s '(2, −2) (a corner) and
    (2, 2) (a corner)' (542 px) ended in an ellipsis. Now '4 places' and '(2, −2) and (2, 2)', every
    place with its tags in the metric's help."""
    page.set_viewport_size({"width": width, "height": 1800})
    goto(page, path)
    for label in ("Reached at", "Global minimum" if path != LARSON else "Global maximum"):
        box = page.get_by_test_id("stMetric").filter(
            has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
        )
        scroll, client = box.evaluate(_CUT)
        assert scroll <= client, (label, metric(page, label), scroll, client)
    no_exception(page)


_BADGES = """() => [...document.querySelectorAll('.stMarkdownBadge')]
    .map(b => [b.innerText, b.scrollWidth, b.clientWidth])"""


@pytest.mark.parametrize("width", [1400, 390])
@pytest.mark.parametrize("path", ["/surface", LARSON])
def test_the_certificate_is_about_what_it_says(page, width, path):
    """With a constraint there is no green badge certifying f without it (it read 'Certified:
    without the constraint, nothing in the box is …', cut at 390 px, beside the constrained
    answer); the caption says the answer is checked by its KKT residuals. No badge is cut."""
    page.set_viewport_size({"width": width, "height": 1800})
    goto(page, path)
    badges = page.evaluate(_BADGES)
    assert all(scroll <= client for _, scroll, client in badges), badges
    if path == LARSON:
        assert not [text for text, _, _ in badges if "Certified" in text], badges
        caption = page.get_by_test_id("stCaptionContainer").filter(has_text="KKT residuals").inner_text()
        assert "checked by its KKT residuals, not by interval arithmetic: |∇f − λ∇g| = " in caption
        assert "Interval arithmetic looked at f without the constraint only: nothing in the box is above 35,565.59" in (
            caption
        )
        assert metric(page, "Global maximum") == "16,718.51"
        assert metric(page, "Lagrange multiplier") == "0.33437"
    else:
        assert [text for text, _, _ in badges if "Certified: nothing in the box is below −1" in text], badges
    no_exception(page)
