"""Every other kind: what lands in which table, with hand-checked values, and the CLI.

Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL (fixture from test_loaders).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access import load as cli
from data_access.loaders import SPECS, Source, run_import, template_frame
from data_access.models.access import AppUser
from tests.actors import ADMIN, person
from tests.test_loaders import R1, R2, _engine, csv_bytes, scalar, snapshot  # noqa: F401 - _engine is the fixture

NOV = dt.date(2026, 11, 1)


def _import(engine: Engine, kind: str, rows: list[list[object]], **kwargs: object):
    result = run_import(Source.from_bytes(f"{kind}.csv", csv_bytes(rows, "utf-8")), kind, engine=engine,
                        actor=person("办公室"), **kwargs)
    assert not result.has_errors, [(i.row, i.column, i.code, i.params) for i in result.issues] or result.file_problem
    return result


def _rows(engine: Engine, sql: str, **params: object) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params).all()]


def test_departments_managers_and_products_upsert_by_code(engine: Engine) -> None:
    _import(engine, "departments", [["服务部编码", "服务部名称", "英文名称"], ["D3", "山区服务部", "Hills"]])
    result = _import(engine, "managers", [["客户经理编码", "姓名", "服务部编码", "营销师等级"],
                                          ["M3", "陈静", "D3", "中级"], ["M2", "李娜", "D2", "高级营销师"]])
    assert (result.rows_added, result.rows_updated) == (1, 1)
    assert _rows(engine, "SELECT m.code, m.grade, d.code FROM customer_manager m JOIN department d "
                         "ON d.id = m.department_id ORDER BY m.code") == [
        ("M1", "senior", "D1"), ("M2", "senior", "D2"), ("M3", "intermediate", "D3")]
    _import(engine, "products", [["卷烟编码", "卷烟名称", "品牌", "价类", "批发价", "成本价", "建议零售价", "省内外"],
                                 ["P3", "七匹狼(纯境)", "七匹狼", "二类", "260", "210", "300", "省外"]])
    assert _rows(engine, "SELECT price_class, wholesale_price, is_provincial FROM product WHERE code = 'P3'") in (
        [(2, 260.0, 0)], [(2, 260.0, False)])


def test_making_a_product_a_key_brand_moves_its_cartons_into_key_brand_sales(engine: Engine) -> None:
    # P2 (双喜(硬), not a key brand): R1 took 150 cartons on 2026-11-02 beside 100 of the key brand
    # P1; the modern terminal R2 took 250 on 2026-11-03 and nothing else in November.
    from sqlmodel import Session

    from data_access.queries.terminals import terminal_sales

    def november_key_cartons() -> dict[int, float]:
        with Session(engine) as session:
            sales = terminal_sales(session=session, months=(NOV,))
        return dict(zip(sales["retailer_id"], sales["key_cartons"], strict=True))

    r2 = scalar(engine, "SELECT id FROM retailer WHERE customer_code = 'R2'")
    assert november_key_cartons() == {r2: 0.0}
    header = ["卷烟编码", "卷烟名称", "品牌", "价类", "批发价", "成本价", "建议零售价", "省内外", "重点品牌"]
    result = _import(engine, "products", [header, ["P2", "双喜(硬)", "双喜", "四类", "100", "70", "120", "省外", "是"]])
    assert result.rows_updated == 1
    assert november_key_cartons() == {r2: 250.0}
    assert _rows(engine, "SELECT sale_date, cartons, key_cartons FROM terminal_sales_daily t JOIN retailer r "
                         "ON r.id = t.retailer_id WHERE r.customer_code = 'R1' ORDER BY sale_date") in (
        [(dt.date(2025, 11, 3), 250.0, 250.0), (dt.date(2026, 10, 5), 125.0, 125.0), (dt.date(2026, 11, 2), 250.0, 250.0)],
        [("2025-11-03", 250.0, 250.0), ("2026-10-05", 125.0, 125.0), ("2026-11-02", 250.0, 250.0)],
    )


def test_moving_a_retailer_to_another_manager_moves_its_sales(engine: Engine) -> None:
    # R1 (licence ...001) belongs to M1/D1 and holds 250 + 125 + 250 cartons over three months.
    header = ["许可证号", "客户编码", "店名", "经度", "纬度", "经营业态", "市场类型", "档位", "星级", "客户经理编码"]
    result = _import(engine, "retailers", [header, [R1, "R1", "东城食杂店", 117.02, 25.08, "食杂店", "城镇", 10, 3, "M2"]])
    assert result.rows_updated == 1
    d2 = scalar(engine, "SELECT id FROM department WHERE code = 'D2'")
    assert scalar(engine, "SELECT SUM(cartons) FROM sales_daily WHERE department_id = :d", d=d2) == 50 + 625


def test_plans_forecasts_and_group_scores(engine: Engine) -> None:
    result = _import(engine, "plans", [["月份", "服务部编码", "计划销量(箱)"], ["2026年11月", "D1", "2.5"],
                                        ["202612", "D2", "3"]])
    assert (result.rows_added, result.rows_updated) == (1, 1)  # November D1 existed with 2.0
    assert _rows(engine, "SELECT planned_cases FROM department_plan ORDER BY month, department_id") == [
        (2.5,), (1.0,), (3.0,)]
    assert scalar(engine, "SELECT planned_cases FROM department_plan WHERE month = :m AND department_id = "
                          "(SELECT id FROM department WHERE code = 'D1')", m=NOV) == 2.5
    _import(engine, "forecasts", [["月份", "品牌", "预测销量"], ["2026-12", "七匹狼", "12"]])
    assert scalar(engine, "SELECT forecast_cases FROM brand_forecast") == 12
    bad = run_import(Source.from_bytes("f.csv", csv_bytes([["月份", "品牌", "预测销量"], ["2026-12", "中华", "5"]])),
                     "forecasts", engine=engine, actor=ADMIN)
    assert [i.code for i in bad.issues] == ["unknown_brand"]
    scores = [["月份", "服务部编码", "指标组", "得分"], ["2026-11", "D1", "6S现场管理", "92"], ["2026-11", "D2", "创新", "80"]]
    _import(engine, "group_scores", scores)
    again = _import(engine, "group_scores", scores)
    assert (again.rows_added, again.rows_updated, again.rows_unchanged) == (0, 0, 2)
    scores[1][3] = "95"
    _import(engine, "group_scores", scores)
    assert _rows(engine, "SELECT group_code, old_score, new_score, entered_by FROM department_group_score_audit "
                         "ORDER BY id") == [
        ("six_s", None, 92.0, "办公室"), ("innovation", None, 80.0, "办公室"), ("six_s", 92.0, 95.0, "办公室")]


def test_visits_gps_inspections_and_pos(engine: Engine) -> None:
    _import(engine, "visits", [
        ["客户经理编码", "许可证号", "签到时间", "签到经度", "签到纬度", "签退时间"],
        ["M1", R1, "2026-11-02 09:05:00", "117.0201", "25.0801", "2026/11/2 9:17"],
    ])
    assert _rows(engine, "SELECT visit_date, sign_in_at, sign_out_at FROM visit")[0][0] in (
        dt.date(2026, 11, 2), "2026-11-02")
    bad = run_import(Source.from_bytes("v.csv", csv_bytes([
        ["客户经理编码", "许可证号", "签到时间", "签到经度", "签到纬度", "签退时间"],
        ["M1", R1, "2026-11-03 09:05:00", "25.08", "117.02", "2026-11-03 09:01:00"]])), "visits", engine=engine, actor=ADMIN)
    assert sorted(i.code for i in bad.issues) == ["sign_out_before_sign_in", "too_large", "too_small"]
    gps = [["客户经理编码", "定位时间", "经度", "纬度", "速度(km/h)"],
           ["M1", "2026-11-02 09:00:00", "117.01", "25.07", "20"], ["M1", "2026-11-02 09:00:30", "117.02", "25.08", "0"]]
    _import(engine, "gps", gps)
    again = _import(engine, "gps", gps)  # gps_point has no unique constraint: the loader still upserts
    assert (again.rows_added, again.rows_unchanged) == (0, 2)
    assert scalar(engine, "SELECT COUNT(*) FROM gps_point") == 2
    inspection = [["月份", "许可证号", "检查日期", "显眼度", "整洁度", "丰富度", "规范度", "持续度"],
                  ["2026-11", R2, "2026-11-10", 18, 17, 19, 20, 15]]
    _import(engine, "inspections", inspection)
    assert scalar(engine, "SELECT SUM(points) FROM inspection_score") == 89
    inspection[1][4] = 12  # a corrected tidiness score: one row updated, the total follows
    fixed = _import(engine, "inspections", inspection)
    assert (fixed.rows_updated, fixed.rows_unchanged) == (1, 0)
    assert scalar(engine, "SELECT SUM(points) FROM inspection_score") == 84
    too_high = run_import(Source.from_bytes("i.csv", csv_bytes([inspection[0], ["2026-11", R2, "2026-11-10", 25, 17,
                                                                                  19, 20, 15]])), "inspections",
                          engine=engine, actor=ADMIN)
    assert [(i.column, i.code) for i in too_high.issues] == [("显眼度", "too_large")]
    _import(engine, "pos", [["月份", "许可证号", "期初库存", "进货量", "期末库存", "扫码量", "有效扫码量"],
                            ["2026-11", R2, 40, 120, 35, 118, 110]])
    assert _rows(engine, "SELECT opening_stock, delivered, closing_stock, scanned, scanned_valid "
                         "FROM pos_reconciliation") == [(40.0, 120.0, 35.0, 118.0, 110.0)]


@pytest.mark.parametrize("kind", sorted(SPECS))
def test_every_template_has_the_required_columns_and_maps_back(kind: str) -> None:
    from data_access.loaders.parsing import map_headers

    spec = SPECS[kind]
    for lang in ("zh", "en"):
        mapping = map_headers(spec, list(template_frame(spec, lang).columns))
        assert set(mapping) == {c.field for c in spec.columns}


def test_cli_dry_run_import_and_rejected_file(engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    url = engine.url.render_as_string(hide_password=False)
    good = tmp_path / "orders.csv"
    good.write_bytes(csv_bytes([["订单日期", "许可证号", "卷烟编码", "数量"], ["2026-11-09", R1, "P1", 10]]))
    with Session(engine) as session:
        session.add_all([AppUser(login="cli", display_name="信息员", role="admin"),
                         AppUser(login="mgr", display_name="客户经理", role="manager")])
        session.commit()
    before = snapshot(engine)
    # An unknown login and a role that may not import are refused before anything is read.
    assert cli.main([str(good), "--kind", "orders", "--database-url", url, "--user", "nobody"]) == 2
    assert cli.main([str(good), "--kind", "orders", "--database-url", url, "--user", "mgr"]) == 2
    assert "may not import" in capsys.readouterr().err
    assert snapshot(engine) == before
    assert cli.main([str(good), "--kind", "orders", "--dry-run", "--database-url", url, "--user", "cli"]) == 0
    assert "dry run; read 1, added 1" in capsys.readouterr().out
    assert snapshot(engine) == before
    assert cli.main([str(good), "--kind", "orders", "--database-url", url, "--user", "cli"]) == 0
    assert "imported; read 1, added 1" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([["订单日期", "许可证号", "卷烟编码", "数量"], ["2026-11-10", R1, "P1", 3],
                               ["2026-11-10", R1, "P2", -1]]))
    rejected = tmp_path / "rejected.csv"
    assert cli.main([str(bad), "--kind", "orders", "--database-url", url, "--accept-valid-rows",
                     "--rejected-out", str(rejected), "--lang", "en"]) == 1
    output = capsys.readouterr()
    assert "row 3 [数量] -1 must be greater than 0." in output.err
    assert "added 1, updated 0, unchanged 0, rejected 1" in output.out
    assert rejected.read_text(encoding="utf-8-sig").splitlines()[1].startswith(f"3,2026-11-10,{R1},P2,-1,")
    # Every run is in the audit trail under the user or the named system actor (OS login).
    audit = _rows(engine, "SELECT user_name, action FROM audit_entry ORDER BY id")
    assert audit[:2] == [("信息员", "import.dry_run"), ("信息员", "import.commit")]
    assert audit[2][0].startswith("system (") and audit[2][1] == "import.commit"


@pytest.mark.parametrize(
    ("kind", "spellings", "expected"),
    [
        ("date", ["2026-11-02", "2026/11/2", "2026.11.02", "20261102", "2026年11月2日", "2026-11-02 00:00:00"],
         "2026-11-02 00:00:00"),
        ("month", ["2026-11", "202611", "2026年11月", "2026/11", "2026-11-01"], "2026-11-01 00:00:00"),
        ("datetime", ["2026-11-02 09:05:00", "2026/11/2 9:05", "2026-11-02T09:05:00", "2026-11-02 09:05:00.000000",
                      "2026年11月2日 9:05"], "2026-11-02 09:05:00"),
    ],
)
def test_date_spellings_of_exports(kind: str, spellings: list[str], expected: str) -> None:
    import pandas as pd

    from data_access.loaders.dates import parse_dates

    bounds = (dt.date(2010, 1, 1), dt.date(2026, 12, 31))
    parsed, _ = parse_dates(pd.Series([*spellings, "2026-13-01", "昨天"]), kind, bounds)
    assert [str(v) for v in parsed] == [expected] * len(spellings) + ["NaT", "NaT"]


def test_the_columns_explained_say_choices_and_references_in_the_page_language() -> None:
    # The Chinese page showed "online/phone" and "须已存在：retailer" (issue 15).
    from data_access.loaders import columns_frame

    zh = " ".join(columns_frame(SPECS["orders"], "zh").astype(str).to_numpy().ravel())
    assert "网上、电话" in zh and "须已存在：零售户" in zh
    assert "online" not in zh and "retailer" not in zh
    en = " ".join(columns_frame(SPECS["orders"], "en").astype(str).to_numpy().ravel())
    assert "online/phone" in en and "must exist: retailer" in en
