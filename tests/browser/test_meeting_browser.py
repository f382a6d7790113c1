"""Meeting mode on a 1920×1080 wall in real Chromium: every slide fits, main figures are big."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from data_access.rules.meeting_slides import SLIDES
from tests.browser.helpers import assert_no_exception, screenshot, wait_for_app

pytestmark = pytest.mark.browser

WALL = {"width": 1920, "height": 1080}
MIN_KPI_PX = 48

OVERFLOW_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  return {
    doc: [document.documentElement.scrollHeight, window.innerHeight,
          document.documentElement.scrollWidth, window.innerWidth],
    main: main ? [main.scrollHeight, main.clientHeight, main.scrollWidth, main.clientWidth] : null,
    sidebar: !!document.querySelector('[data-testid="stSidebar"]')
             && getComputedStyle(document.querySelector('[data-testid="stSidebar"]')).display !== 'none',
    header: !!document.querySelector('[data-testid="stHeader"]')
            && getComputedStyle(document.querySelector('[data-testid="stHeader"]')).display !== 'none',
  };
}"""


@pytest.fixture
def wall(chromium_browser: object, app_server: str) -> Iterator[object]:
    context = chromium_browser.new_context(viewport=WALL, locale="zh-CN")
    browser_page = context.new_page()
    yield browser_page
    context.close()


def _open(wall: object, app_server: str, slide: str, lang: str) -> None:
    # A long interval keeps the slide still while it is measured.
    wall.goto(f"{app_server}/meeting?slides={slide}&interval=600&lang={lang}", wait_until="domcontentloaded")
    wait_for_app(wall)
    # "attached", not "visible": the slide area reruns every few seconds and software-rendered
    # maps can keep the page busy, which makes visibility checks race with re-renders.
    wall.wait_for_selector(".meeting-title", state="attached", timeout=60_000)
    if slide == "map":
        wall.wait_for_selector("[data-testid='stDeckGlJsonChart'] canvas", state="attached", timeout=60_000)
    if slide == "daily":
        wall.wait_for_selector("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg",
                               state="attached", timeout=60_000)
    wall.wait_for_timeout(2000)


def _assert_fits(wall: object, slide: str) -> None:
    sizes = wall.evaluate(OVERFLOW_JS)
    doc_height, inner_height, doc_width, inner_width = sizes["doc"]
    assert doc_height <= inner_height and doc_width <= inner_width, (slide, sizes)
    main_scroll_h, main_client_h, main_scroll_w, main_client_w = sizes["main"]
    assert main_scroll_h <= main_client_h and main_scroll_w <= main_client_w, (slide, sizes)
    assert not sizes["sidebar"] and not sizes["header"], (slide, sizes)


@pytest.mark.parametrize("slide", SLIDES)
def test_each_slide_fits_the_wall_in_chinese(wall: object, app_server: str, slide: str) -> None:
    _open(wall, app_server, slide, "zh")
    assert_no_exception(wall)
    _assert_fits(wall, slide)
    stamp = wall.locator(".meeting-sub").inner_text()
    assert "截至" in stamp
    screenshot(wall, f"meeting-{slide}-zh", full_page=False)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_kpi_figures_are_at_least_48px_and_whole(wall: object, app_server: str, lang: str) -> None:
    _open(wall, app_server, "kpi", lang)
    sizes = wall.eval_on_selector_all(
        ".meeting-kpi-value", "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert len(sizes) == 6 and min(sizes) >= MIN_KPI_PX, sizes
    # No figure cut off (the tiles end long figures with an ellipsis rather than overflow).
    clipped = wall.eval_on_selector_all(
        ".meeting-kpi-value", "els => els.filter(e => e.scrollWidth > e.clientWidth).map(e => e.innerText)"
    )
    assert clipped == [], clipped
    title_px = wall.eval_on_selector(".meeting-title", "e => parseFloat(getComputedStyle(e).fontSize)")
    assert title_px >= MIN_KPI_PX


@pytest.mark.parametrize("slide", ["kpi", "daily", "leaderboard", "anomalies"])
def test_slides_fit_in_english(wall: object, app_server: str, slide: str) -> None:
    _open(wall, app_server, slide, "en")
    assert_no_exception(wall)
    _assert_fits(wall, slide)
    assert "As of" in wall.locator(".meeting-sub").inner_text()
    screenshot(wall, f"meeting-{slide}-en", full_page=False)


def test_rotation_advances_on_its_own(wall: object, app_server: str) -> None:
    wall.goto(f"{app_server}/meeting?slides=kpi,daily&interval=5", wait_until="domcontentloaded")
    wall.wait_for_selector(".meeting-title", timeout=60_000)
    first = wall.locator(".meeting-title").inner_text()
    # No reload: the fragment reruns every 2 s and the clock moves the slide after 5 s.
    wall.wait_for_function(
        "first => { const e = document.querySelector('.meeting-title'); return e && e.innerText !== first; }",
        arg=first, timeout=20_000,
    )
    assert wall.locator(".meeting-title").inner_text() != first
