"""Helpers for browser tests: wait for the app, fail on exception boxes, save screenshots."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import REPO_ROOT

SCREENSHOTS = REPO_ROOT / "tests" / "artifacts" / "screenshots"


def wait_for_app(browser_page: object, timeout_ms: int = 60_000) -> None:
    """Wait until Streamlit has finished running the script (no running indicator)."""
    browser_page.wait_for_selector("[data-testid='stApp']", timeout=timeout_ms)
    browser_page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.trim() === ''",
        timeout=timeout_ms,
    )
    browser_page.wait_for_timeout(1500)  # let charts draw


def assert_no_exception(browser_page: object) -> None:
    boxes = browser_page.locator("[data-testid='stException']")
    assert boxes.count() == 0, boxes.first.inner_text()


def screenshot(browser_page: object, name: str, *, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    browser_page.screenshot(path=str(path), full_page=full_page)
    return path

