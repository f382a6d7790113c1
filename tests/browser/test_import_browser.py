"""The Import page in Chromium: upload a GBK CSV with Chinese headers, check it, read the report.

Only the check (dry run) is clicked, so the shared sample database keeps its data.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from data_access.db import get_engine
from tests.browser.helpers import assert_no_exception, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def _orders_file(sample_db_url: str) -> bytes:
    with get_engine(sample_db_url).connect() as conn:
        licences = conn.execute(text("SELECT licence_no FROM retailer ORDER BY id LIMIT 3")).scalars().all()
        sku = conn.execute(text("SELECT code FROM product ORDER BY id LIMIT 1")).scalar_one()
    rows = ["订单日期,许可证号,卷烟编码,数量(条)"]
    rows += [f"2026-11-21,{licence},{sku},{5 + i}" for i, licence in enumerate(licences)]
    rows += [f"2026-11-21,{licences[0]},{sku},-3", "2026-13-01,000000000000,XX,2"]
    return ("\n".join(rows) + "\n").encode("gbk")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_upload_and_check_shows_counts_and_problems(page, app_server: str, sample_db_url: str, lang: str) -> None:
    page.goto(f"{app_server}/data_import?imp_kind=orders&lang={lang}", wait_until="domcontentloaded")
    wait_for_app(page)
    assert_no_exception(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        {"name": "订单.csv", "mimeType": "text/csv", "buffer": _orders_file(sample_db_url)}
    )
    wait_for_app(page)
    page.locator("[data-testid='stDataFrame']").last.wait_for(timeout=30_000)  # the preview is drawn
    wait_for_app(page)
    page.get_by_role("button", name="校验（不写入）" if lang == "zh" else "Check (write nothing)").click()
    wait_for_app(page)
    assert_no_exception(page)
    body = page.locator("[data-testid='stMain']").inner_text()
    if lang == "zh":
        assert "发现 4 个问题，涉及 2 行" in body
    else:
        assert "4 problems in 2 rows" in body
    screenshot(page, f"import-check-{lang}")
    labels = [m.strip() for m in page.locator("[data-testid='stMetricValue']").all_inner_texts()]
    assert labels[:2] == ["5", "3"]  # rows read, rows that would be added
