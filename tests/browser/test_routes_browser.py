"""Route maps in real Chromium: the track and numbered stops are drawn by deck.gl (software WebGL)."""

from __future__ import annotations

import pytest

from tests.browser.helpers import SCREENSHOTS, assert_no_exception, wait_for_app

pytestmark = pytest.mark.browser


def _open(page, app_server: str, query: str) -> None:
    # A deep link as the server's very first request runs the page without the shell
    # (Streamlit's pages/ v1 fallback), so open the root once first.
    page.goto(f"{app_server}/", wait_until="domcontentloaded")
    wait_for_app(page)
    page.goto(f"{app_server}/routes?{query}", wait_until="domcontentloaded")
    wait_for_app(page)


def _map_pixels(page) -> dict[str, int]:
    """Count coloured pixels of the map canvas: track and stops blue, shops by status colour."""
    return page.evaluate("""() => {
        const canvas = document.querySelector("[data-testid='stDeckGlJsonChart'] canvas");
        const copy = document.createElement('canvas');
        copy.width = canvas.width; copy.height = canvas.height;
        const ctx = copy.getContext('2d');
        ctx.drawImage(canvas, 0, 0);
        const px = ctx.getImageData(0, 0, copy.width, copy.height).data;
        let blue = 0, red = 0, green = 0, grey = 0;
        for (let i = 0; i < px.length; i += 4) {
            const [r, g, b, a] = [px[i], px[i + 1], px[i + 2], px[i + 3]];
            if (a < 100) continue;
            if (b > 140 && r < 120 && g < 160) blue++;
            if (r > 180 && g < 80 && b < 80) red++;
            if (g > 130 && r < 90 && b < 100) green++;
            if (Math.abs(r - g) < 12 && Math.abs(g - b) < 16 && r > 110 && r < 170) grey++;
        }
        return {blue, red, green, grey};
    }""")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_day_map_draws_track_and_stops(page, app_server: str, lang: str) -> None:
    _open(page, app_server, f"lang={lang}&period=2026-11")
    assert_no_exception(page)
    chart = page.locator("[data-testid='stDeckGlJsonChart']").first
    chart.wait_for(state="visible", timeout=60_000)
    page.wait_for_function(
        "() => document.querySelector(\"[data-testid='stDeckGlJsonChart'] canvas\") !== null", timeout=60_000
    )
    page.wait_for_timeout(8000)  # SwiftShader builds the CJK font atlas for town names
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    chart.screenshot(path=str(SCREENSHOTS / f"routes-day-map-{lang}.png"), timeout=60_000)
    page.screenshot(path=str(SCREENSHOTS / f"routes-day-{lang}.png"), full_page=True)
    pixels = _map_pixels(page)
    assert pixels["blue"] > 500, pixels  # the track (and blue stops) are drawn
    # the manager's shops are drawn, coloured by status (grey: visited recently, green: today,
    # red: planned but missed, orange: overdue); which colours appear depends on the day
    assert pixels["red"] + pixels["green"] + pixels["grey"] > 200, pixels


def test_now_view_draws_every_manager(page, app_server: str) -> None:
    _open(page, app_server, "period=2026-11&rt_view=now")
    assert_no_exception(page)
    chart = page.locator("[data-testid='stDeckGlJsonChart']").first
    chart.wait_for(state="visible", timeout=60_000)
    page.wait_for_timeout(8000)
    chart.screenshot(path=str(SCREENSHOTS / "routes-now-map-zh.png"), timeout=60_000)
    rows = page.locator("[data-testid='stDataFrame']").first
    assert rows.is_visible()
