"""Every page opened in real Chromium, in Chinese and English: no exception box, a screenshot."""

from __future__ import annotations

import pytest

from tests.browser.helpers import assert_no_exception, screenshot, wait_for_app

pytestmark = pytest.mark.browser

# The overview is the default page: it lives at the root URL ("/overview" is not a page).
PAGES = ["", "sales", "terminals", "routes", "teams", "meeting", "data_import"]
TITLES = {"zh": "精益营销看板", "en": "Lean Marketing Dashboard"}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_page_opens_without_exception(page, app_server: str, path: str, lang: str) -> None:
    page.goto(f"{app_server}/{path}?lang={lang}", wait_until="domcontentloaded")
    wait_for_app(page)
    assert_no_exception(page)
    assert page.locator("[role='dialog']").count() == 0, page.locator("[role='dialog']").first.inner_text()
    shot = screenshot(page, f"page-{path or 'overview'}-{lang}")
    assert shot.stat().st_size > 10_000  # a rendered page, not a blank one


def test_overview_shows_kpis_in_chinese(page, app_server: str) -> None:
    page.goto(f"{app_server}/", wait_until="domcontentloaded")
    wait_for_app(page)
    labels = page.locator("[data-testid='stMetricLabel']").all_inner_texts()
    assert {"销量", "销售额", "单箱值", "毛利率", "完成率", "时间进度"} <= {label.strip() for label in labels}
    assert "数据截至" in page.locator("[data-testid='stCaptionContainer']").first.inner_text()


@pytest.mark.parametrize("path", ["data_import", "meeting"])
def test_deep_link_right_after_server_start(chromium_browser, fresh_app_server: str, path: str) -> None:
    # A wall PC's bookmark opened before anyone loaded the root: the page must still run
    # under the shell (filters, language), with no "page not found" dialog.
    context = chromium_browser.new_context(viewport={"width": 1600, "height": 1000})
    browser_page = context.new_page()
    browser_page.goto(f"{fresh_app_server}/{path}?lang=en", wait_until="domcontentloaded")
    wait_for_app(browser_page)
    assert_no_exception(browser_page)
    assert browser_page.locator("[role='dialog']").count() == 0
    body = browser_page.locator("[data-testid='stMain']").inner_text()
    assert "Data up to" in body or "Data up to" in browser_page.content()
    context.close()
