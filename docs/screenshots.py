"""Regenerate the README screenshots: start the app, open each page in headless Chromium.

python docs/screenshots.py            # docs/screenshot-<page>.png (1400 px) and -phone.png (390 px)
python docs/screenshots.py pricing    # only these pages
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright

from runtime.launch import Server
from tests.e2e.browser import launch, open_page

SHOTS = {
    "pricing": "/pricing",
    "study": "/study",
    "fuel": "/fuel?time_value=15",
    "compounding": "/compounding?contribution=100&frequency=monthly",
    "custom": "/custom?f=sin(x)%2B0.1x&lo=0&hi=20&goal=max",
    "lab": "/lab",
    "lr-finder": "/lr-finder",
    "network": "/network",
}


#: (suffix, viewport width, height): a desktop window and a 390 px phone.
SIZES = (("", 1400, 1500), ("-phone", 390, 2400))


def main() -> None:
    only = set(sys.argv[1:])
    with Server("app.py") as server, sync_playwright() as p:
        browser = launch(p)
        for suffix, width, height in SIZES:
            page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
            for name, path in SHOTS.items():
                if only and name not in only:
                    continue
                open_page(page, server.url + path)
                charts = page.get_by_test_id("stVegaLiteChart")
                charts.first.locator("svg.marks, canvas.marks").first.wait_for(timeout=60_000)
                for i in range(charts.count()):  # every chart drawn, not only the first
                    charts.nth(i).locator("svg.marks, canvas.marks").first.wait_for(timeout=60_000)
                page.wait_for_timeout(800)
                out = ROOT / "docs" / f"screenshot-{name}{suffix}.png"
                page.screenshot(path=str(out))
                print(out.relative_to(ROOT))
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
