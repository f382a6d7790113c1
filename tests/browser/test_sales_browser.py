"""The sales trends page in headless Chromium: screenshots (zh, en), exports, drill-down click."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from data_access.db import get_engine
from tests.browser.helpers import assert_no_exception, screenshot, wait_for_app

pytestmark = pytest.mark.browser
PERIOD = "2026-10"


def _open(page, url: str) -> None:
    """Go to ``url`` and wait for the page's charts (the first run on a loaded machine is slow).

    The app root is opened first: on a fresh server, Streamlit treats a ``pages/`` folder as
    a v1 multipage app until ``st.navigation`` has run once, and would run the page without
    the shell (no sidebar filters).
    """
    page.goto(url.split("/sales")[0] + "/")
    page.get_by_text("市场销售分析").first.wait_for(timeout=120_000)  # the shell's navigation has run
    page.goto(url)
    page.wait_for_selector("[data-testid='stVegaLiteChart']", timeout=120_000)
    wait_for_app(page)
    assert_no_exception(page)


def _raw_department_amounts(url: str) -> dict[str, float]:
    sql = """SELECT d.name AS name, SUM(ol.amount) AS amount FROM order_line ol
             JOIN retailer r ON r.id = ol.retailer_id JOIN customer_manager cm ON cm.id = r.manager_id
             JOIN department d ON d.id = cm.department_id
             WHERE ol.order_date BETWEEN :start AND :end GROUP BY d.name"""
    with get_engine(url).connect() as conn:
        frame = pd.read_sql(text(sql), conn, params={"start": dt.date(2026, 10, 1), "end": dt.date(2026, 10, 31)})
    return dict(zip(frame["name"], frame["amount"], strict=True))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sales_page_screenshots(page, app_server: str, lang: str) -> None:
    page.set_viewport_size({"width": 1600, "height": 2300})  # the whole page: KPIs, trend and the view
    _open(page, f"{app_server}/sales?lang={lang}&period=2026-11&s_grain=week")
    charts = page.locator("[data-testid='stVegaLiteChart']")
    assert charts.count() >= 2
    assert page.get_by_text("市场销售分析" if lang == "zh" else "Sales trends").first.is_visible()
    screenshot(page, f"sales-{lang}")
    _open(page, f"{app_server}/sales?lang={lang}&period={PERIOD}&s_view=plan&s_metric=plan_completion&s_grain=month")
    screenshot(page, f"sales-plan-{lang}")


def test_exports_hold_the_table_numbers(page, app_server: str, sample_db_url: str) -> None:
    _open(page, f"{app_server}/sales?period={PERIOD}")
    expected = _raw_department_amounts(sample_db_url)
    with page.expect_download() as info:
        page.get_by_role("button", name="导出 Excel").click()
    workbook = pd.read_excel(info.value.path(), header=2)
    assert "销售额（元）" in workbook.columns
    assert dict(zip(workbook["服务部"], workbook["销售额（元）"], strict=True)) == pytest.approx(expected)
    with page.expect_download() as info:
        page.get_by_role("button", name="导出 CSV").click()
    raw = Path(info.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the Chinese headers
    csv = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")
    assert dict(zip(csv["服务部"], csv["销售额（元）"], strict=True)) == pytest.approx(expected)


def test_clicking_a_department_bar_filters_the_page(page, app_server: str) -> None:
    _open(page, f"{app_server}/sales?period={PERIOD}")
    bars = page.locator("[data-testid='stVegaLiteChart']").nth(1)
    bars.scroll_into_view_if_needed()
    box = bars.bounding_box()
    # The top bar is the largest department: its bar starts at the axis and spans most of the width.
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + 18)
    page.wait_for_function("() => window.location.search.includes('dept=')", timeout=20_000)
    wait_for_app(page)
    assert_no_exception(page)
    assert page.get_by_role("button", name="取消服务部筛选").count() == 1 or page.get_by_text("取消服务部筛选").count() >= 1
