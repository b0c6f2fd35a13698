"""Drive the app with Playwright + Chromium (the server itself starts through runtime.launch).

Used by the browser tests (through conftest fixtures), bench/latency.py and docs/screenshots.py.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager

from runtime.launch import CHROMIUM_ARGS, Server, chromium_path

__all__ = [
    "CHROMIUM_ARGS",
    "IDLE",
    "Server",
    "brightness",
    "chromium_path",
    "contrast",
    "launch",
    "luminance",
    "open_page",
    "rgb",
    "themed_server",
    "wait_idle",
]

#: The primary colours that give the app a light and a dark theme (a bare `[theme]` would pin the
#: light one), so that the visitor's system setting picks the theme.
THEME_COLOURS = {"STREAMLIT_THEME_LIGHT_PRIMARY_COLOR": "#2563eb", "STREAMLIT_THEME_DARK_PRIMARY_COLOR": "#60a5fa"}

#: Streamlit's own e2e suite waits on this to know a rerun has finished.
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"


def launch(playwright):
    exe = chromium_path()
    if exe is None:
        raise RuntimeError("no Chromium found: apt-get install -y chromium, or set $CHROMIUM")
    return playwright.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)


def wait_idle(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit reports that the script run finished."""
    page.wait_for_timeout(150)  # let a just-triggered rerun flip the state to "running"
    page.wait_for_selector(IDLE, timeout=timeout)


def open_page(page, url: str, timeout: float = 60_000) -> None:
    page.goto(url, timeout=timeout)
    page.wait_for_selector("[data-testid=stApp]", timeout=timeout)
    wait_idle(page, timeout)


@contextmanager
def themed_server() -> Iterator[Server]:
    """The app with a light and a dark theme, so that it follows the browser's colour scheme."""
    saved = {k: os.environ.get(k) for k in THEME_COLOURS}
    os.environ.update(THEME_COLOURS)
    try:
        with Server("app.py") as server:
            yield server
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def rgb(css: str) -> tuple[int, int, int]:
    """The red, green and blue of a CSS rgb()/rgba() colour."""
    r, g, b = (int(float(v)) for v in re.findall(r"[\d.]+", css)[:3])
    return r, g, b


def luminance(css: str) -> float:
    """WCAG 2 relative luminance of a CSS rgb() colour."""

    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb(css))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two CSS rgb() colours (1 to 21)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def brightness(css: str) -> float:
    """How light a CSS rgb() colour looks, 0 (black) to 1 (white): the channels weighted as the
    eye weighs them, without gamma (a dark/light check, not a contrast ratio)."""
    r, g, b = rgb(css)
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255
