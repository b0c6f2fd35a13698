"""Regenerate the README screenshots: start the app, open each page in headless Chromium.

python docs/screenshots.py                 # docs/screenshot-<page>.png (1400 px) and -phone.png (390 px)
python docs/screenshots.py pricing         # only these pages
python docs/screenshots.py --dark --out /tmp/shots   # also the dark theme (-dark.png), written elsewhere

The app runs with a light and a dark theme (tests.e2e.browser.themed_server), so the browser's
colour scheme picks one, as a visitor's system setting does.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright

from tests.e2e.browser import launch, open_page, themed_server

SHOTS = {
    "pricing": "/pricing",
    "study": "/study",
    "fuel": "/fuel?time_value=15",
    "compounding": "/compounding?contribution=100&frequency=monthly",
    "custom": "/custom?f=sin(x)%2B0.1x&lo=0&hi=20&goal=max",
    "lab": "/lab",
    "allocate": "/allocate",
    "price-ads": "/price-ads",
    "surface": "/surface",
    "lr-finder": "/lr-finder",
    "network": "/network",
}


#: (suffix, viewport width, height): a desktop window and a 390 px phone.
SIZES = (("", 1400, 1500), ("-phone", 390, 2400))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pages", nargs="*", help=f"page names (default: all of {', '.join(SHOTS)})")
    parser.add_argument("--dark", action="store_true", help="also take each shot in the dark theme")
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for the PNGs (default docs/)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    schemes = ("light", "dark") if args.dark else ("light",)
    with themed_server() as server, sync_playwright() as p:
        browser = launch(p)
        for scheme in schemes:
            for suffix, width, height in SIZES:
                context = browser.new_context(
                    viewport={"width": width, "height": height}, device_scale_factor=1, color_scheme=scheme
                )
                page = context.new_page()
                for name, path in SHOTS.items():
                    if args.pages and name not in args.pages:
                        continue
                    open_page(page, server.url + path)
                    charts = page.get_by_test_id("stVegaLiteChart")
                    charts.first.locator("svg.marks, canvas.marks").first.wait_for(timeout=60_000)
                    for i in range(charts.count()):  # every chart drawn, not only the first
                        charts.nth(i).locator("svg.marks, canvas.marks").first.wait_for(timeout=60_000)
                    page.wait_for_timeout(800)
                    dark = "-dark" if scheme == "dark" else ""
                    out = args.out / f"screenshot-{name}{suffix}{dark}.png"
                    page.screenshot(path=str(out))
                    print(out)
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
