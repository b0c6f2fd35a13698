"""Regenerate the README screenshots: start the app, open each page in headless Chromium.

python docs/screenshots.py            # writes docs/screenshot-<page>.png
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright

from tests.e2e.browser import Server, launch, open_page

SHOTS = {
    "pricing": "/pricing",
    "study": "/study",
    "fuel": "/fuel?time_value=15",
    "compounding": "/compounding?contribution=100&frequency=monthly",
    "custom": "/custom?f=sin(x)%2B0.1x&lo=0&hi=20&goal=max",
    "lab": "/lab",
    "lr-finder": "/lr-finder",
}


def main() -> None:
    only = set(sys.argv[1:])
    with Server("app.py") as server, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1500}, device_scale_factor=1)
        for name, path in SHOTS.items():
            if only and name not in only:
                continue
            open_page(page, server.url + path)
            page.get_by_test_id("stVegaLiteChart").last.locator("canvas, svg").first.wait_for()
            page.wait_for_timeout(800)
            out = ROOT / "docs" / f"screenshot-{name}.png"
            page.screenshot(path=str(out))
            print(out.relative_to(ROOT))
        browser.close()


if __name__ == "__main__":
    main()
