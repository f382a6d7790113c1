"""The terminal rankings page in Chromium over the generator's test county: ranking and detail."""

from __future__ import annotations

import pytest

from tests.browser.helpers import assert_no_exception, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def open_terminals(page, app_server: str, lang: str) -> None:
    """Open the page by deep link and wait for the ranking grid (the first run on a fresh server is slow)."""
    page.goto(f"{app_server}/terminals?lang={lang}&period=2026-10", wait_until="domcontentloaded")
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=120_000)
    wait_for_app(page)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ranking_view(page, app_server: str, lang: str) -> None:
    open_terminals(page, app_server, lang)
    assert_no_exception(page)
    title = {"zh": "现代终端排名", "en": "Modern terminal rankings"}[lang]
    assert page.get_by_role("heading", name=title, exact=True).count() == 1
    assert page.locator("[data-testid='stDataFrame']").count() >= 1
    assert page.locator("[data-testid='stVegaLiteChart']").count() == 1  # display vs growth scatter
    basis = {"zh": "排名依据", "en": "Ranked with display rubric"}[lang]
    assert page.get_by_text(basis).count() == 1
    page.set_viewport_size({"width": 1600, "height": 1800})
    wait_for_app(page)
    screenshot(page, f"terminals-ranking-{lang}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_detail_view_selected_by_clicking_a_row(page, app_server: str, lang: str) -> None:
    open_terminals(page, app_server, lang)
    grid = page.locator("[data-testid='stDataFrame']").first
    box = grid.bounding_box()
    # The row selector column sits at the left edge of the grid; the first data row below the header.
    page.mouse.click(box["x"] + 8, box["y"] + 35 + 18)
    wait_for_app(page)
    assert_no_exception(page)
    assert "tm_shop=" in page.url
    archive = {"zh": "许可证号", "en": "Licence no."}[lang]
    assert page.get_by_text(archive).count() >= 1
    assert page.locator("[data-testid='stImage']").count() >= 3  # storefront, counter, display at the upgrade
    assert page.locator("[data-testid='stVegaLiteChart']").count() == 3  # scatter, score trend, volume trend
    page.locator("[data-testid='stImage'] img").first.wait_for(timeout=30_000)
    page.set_viewport_size({"width": 1600, "height": 3400})  # the whole detail view in one picture
    wait_for_app(page)
    screenshot(page, f"terminals-detail-{lang}")
