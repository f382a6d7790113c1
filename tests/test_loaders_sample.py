"""Round trip on the generated sample county: its own data, exported, imports as a no-op.

If the loaders wrote dates, times or numbers differently from how the rest of the app
stores them, these rows would count as changed (or be duplicated) instead of unchanged.
"""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import text

from data_access.db import get_engine
from data_access.loaders import Source, run_import
from data_access.loaders.docs import DOC, render
from tests.actors import ADMIN

EXPORTS = {
    "visits": ("SELECT m.code AS 客户经理编码, r.licence_no AS 许可证号, v.sign_in_at AS 签到时间, "
               "v.sign_in_lon AS 签到经度, v.sign_in_lat AS 签到纬度, v.sign_out_at AS 签退时间, "
               "v.sign_out_lon AS 签退经度, v.sign_out_lat AS 签退纬度 FROM visit v "
               "JOIN customer_manager m ON m.id = v.manager_id JOIN retailer r ON r.id = v.retailer_id "
               "ORDER BY v.id LIMIT 300"),
    "orders": ("SELECT ol.order_date AS 订单日期, r.licence_no AS 许可证号, p.code AS 卷烟编码, ol.cartons AS 数量, "
               "ol.amount AS 金额, ol.cost AS 成本 FROM order_line ol JOIN retailer r ON r.id = ol.retailer_id "
               "JOIN product p ON p.id = ol.product_id ORDER BY ol.id DESC LIMIT 500"),
    "retailers": ("SELECT r.licence_no AS 许可证号, r.customer_code AS 客户编码, r.shop_name AS 店名, r.longitude AS 经度, "
                  "r.latitude AS 纬度, r.business_format AS 经营业态, r.market_type AS 市场类型, r.tier AS 档位, "
                  "r.star_rating AS 星级, m.code AS 客户经理编码 FROM retailer r "
                  "JOIN customer_manager m ON m.id = r.manager_id ORDER BY r.id LIMIT 200"),
}


@pytest.mark.parametrize("kind", sorted(EXPORTS))
def test_exported_sample_rows_reimport_unchanged(sample_db_url: str, kind: str) -> None:
    engine = get_engine(sample_db_url)
    with engine.connect() as conn:
        frame = pd.read_sql(text(EXPORTS[kind]), conn)
    assert len(frame) > 50
    data = frame.to_csv(index=False).encode("gb18030")
    result = run_import(Source.from_bytes(f"{kind}.csv", data), kind, engine=engine, dry_run=True, actor=ADMIN)
    assert not result.has_errors, result.issues[:3]
    assert (result.rows_added, result.rows_updated, result.rows_unchanged) == (0, 0, len(frame))


def test_import_formats_doc_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), "run: python -m data_access.loaders.docs"
