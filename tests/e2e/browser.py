"""Drive the app with Playwright + Chromium (the server itself starts through runtime.launch).

Used by the browser tests (through conftest fixtures), bench/latency.py and docs/screenshots.py.
"""

from __future__ import annotations

from runtime.launch import CHROMIUM_ARGS, Server, chromium_path

__all__ = ["CHROMIUM_ARGS", "IDLE", "Server", "chromium_path", "launch", "open_page", "wait_idle"]

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
