"""The department competition page in Chromium over the generator's test county:
leaderboard, one department's KPI breakdown, and the print view, in Chinese and English."""

from __future__ import annotations

import pytest

from tests.browser.helpers import assert_no_exception, screenshot, wait_for_app

pytestmark = pytest.mark.browser

TITLE = {"zh": "服务部团队比拼", "en": "Department competition"}
CHARTS_DRAWN = (
    "() => document.querySelectorAll('[data-testid=stVegaLiteChart] canvas,"
    " [data-testid=stVegaLiteChart] svg.marks').length >= {count}"
)


@pytest.fixture(scope="module", autouse=True)
def _router_started(chromium_browser, app_server: str) -> None:
    """Open the app's root once: on a fresh server a deep link that arrives before the
    router (dashboard.py) has ever run is served as a bare pages/ script without the shell."""
    context = chromium_browser.new_context()
    first = context.new_page()
    first.goto(app_server, wait_until="domcontentloaded")
    wait_for_app(first)
    context.close()


def _open(page, url: str, charts: int = 0) -> None:
    page.goto(url, wait_until="domcontentloaded")
    wait_for_app(page)
    if charts:
        page.wait_for_function(CHARTS_DRAWN.format(count=charts), timeout=60_000)
        page.wait_for_timeout(1000)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_leaderboard(page, app_server: str, lang: str) -> None:
    _open(page, f"{app_server}/teams?lang={lang}&period=2026-10", charts=2)
    assert_no_exception(page)
    assert page.get_by_role("heading", name=TITLE[lang]).count() == 1
    assert page.locator("[data-testid='stDataFrame']").count() == 1
    assert page.locator("[data-testid='stVegaLiteChart']").count() == 2  # contributions, rank history
    weights = {"zh": "权重（配置）", "en": "Weights (configuration)"}[lang]
    assert page.get_by_text(weights).count() == 1
    screenshot(page, f"teams-leaderboard-{lang}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_kpi_breakdown_of_one_department(page, app_server: str, lang: str) -> None:
    _open(page, f"{app_server}/teams?lang={lang}&period=2026-10", charts=2)
    heading = page.get_by_role("heading", name={"zh": "KPI得分明细", "en": "KPI score breakdown"}[lang])
    heading.scroll_into_view_if_needed()
    table = page.locator("[data-testid='stTable']").first
    rows = table.locator("tbody tr")
    assert rows.count() == 5  # the five sub-indicators
    assert {"zh": "计划完成率", "en": "Plan completion"}[lang] in table.inner_text()
    assert_no_exception(page)
    table.screenshot(path=str(screenshot(page, f"teams-kpi-breakdown-{lang}", full_page=False)))


def test_print_view_hides_sidebar(page, app_server: str) -> None:
    _open(page, f"{app_server}/teams?period=2026-10&print=1", charts=1)
    assert_no_exception(page)
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    assert page.locator("[data-testid='stTable']").count() >= 2  # ranking + people per department
    screenshot(page, "teams-print-zh")
