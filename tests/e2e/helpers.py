"""Small page-reading helpers for the browser tests."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from tests.e2e.browser import open_page, wait_idle


def goto(page, path: str) -> None:
    open_page(page, page.base_url + path)


def metric(page, label: str) -> str:
    """The value of the st.metric whose label is exactly ``label``."""
    box = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    )
    return box.get_by_test_id("stMetricValue").inner_text().strip()


def expect_metric(page, label: str, value: str, timeout: float = 15_000) -> None:
    """Wait until the metric shows ``value`` (a key press may queue several reruns)."""
    from playwright.sync_api import expect

    box = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    )
    expect(box.get_by_test_id("stMetricValue")).to_have_text(value, timeout=timeout)
    wait_idle(page)


def query(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(page.url).query).items()}


def press_slider(page, key: str, key_name: str, times: int = 1) -> None:
    """Focus the slider bound to ``key`` and press an arrow key, waiting for each rerun."""
    thumb = page.locator(f".st-key-{key} input[type=range]")
    thumb.focus()
    for _ in range(times):
        thumb.press(key_name)
    wait_idle(page)


def no_exception(page) -> None:
    exceptions = page.get_by_test_id("stException")
    assert exceptions.count() == 0, exceptions.first.inner_text()


def download_csv(page, file_name: str) -> bytes:
    button = page.locator(f".st-key-download_{file_name.replace('.', '_')} button")
    with page.expect_download() as info:
        button.click()
    assert info.value.suggested_filename == file_name
    with open(info.value.path(), "rb") as fh:
        return fh.read()


def edit_cell(page, grid, row: int, column: int, columns: int, old: str, new: str) -> None:
    """Change a cell of a (canvas-drawn) data editor ``grid`` (a locator) from ``old`` to ``new``.

    A double click opens the grid's cell editor (an ``input.gdg-input`` holding the cell's
    value); that value is checked before typing, so an edit never lands in the wrong cell
    while the grid is still laying itself out, and a missed click is retried. Rows and the
    header are 35 px high; ``columns`` equal-width columns are assumed.
    """
    grid.locator("canvas").first.wait_for(timeout=30_000)
    grid.scroll_into_view_if_needed()
    editor = page.locator("input.gdg-input, textarea.gdg-input")
    for _ in range(10):
        box = grid.bounding_box()
        page.mouse.dblclick(box["x"] + box["width"] * (column + 0.5) / columns, box["y"] + 35 * (row + 1) + 35 / 2)
        page.wait_for_timeout(300)
        if editor.count() == 1 and editor.input_value() == old:
            break
        page.keyboard.press("Escape")
        page.wait_for_timeout(700)
    else:
        raise AssertionError(f"could not open the cell holding {old!r} in the data editor")
    editor.fill(new)
    page.keyboard.press("Enter")
    wait_idle(page)
