"""Helpers for browser tests: wait for the app, fail on exception boxes, save screenshots."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import REPO_ROOT

SCREENSHOTS = REPO_ROOT / "tests" / "artifacts" / "screenshots"


def wait_for_app(browser_page: object, timeout_ms: int = 90_000) -> None:
    """Wait until Streamlit has finished running the script and stays idle.

    ``stApp`` carries ``data-test-script-state`` (initial → running → notRunning), as in
    Streamlit's own e2e tests. A second run can follow at once (a deep link switching to
    navigation mode, a fragment), so idleness is checked a few times.
    """
    idle = "[data-testid='stApp'][data-test-script-state='notRunning']"
    browser_page.wait_for_selector(idle, timeout=timeout_ms)
    for _ in range(3):
        browser_page.wait_for_timeout(700)
        browser_page.wait_for_selector(idle, timeout=timeout_ms)
    browser_page.wait_for_timeout(1000)  # let charts and maps draw


def assert_no_exception(browser_page: object) -> None:
    boxes = browser_page.locator("[data-testid='stException']")
    assert boxes.count() == 0, boxes.first.inner_text()


def screenshot(browser_page: object, name: str, *, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    browser_page.screenshot(path=str(path), full_page=full_page)
    return path

