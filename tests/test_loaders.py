"""Loaders: real-looking exports (GBK CSV, XLSX, Chinese headers) into the hand-built county.

Every test runs on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL (a fresh schema
each time). Expected numbers are worked from tests/factories.py: P1 ¥500/carton cost ¥400,
P2 ¥100/carton cost ¥70; R1 = licence 350802100001 (manager M1, department D1).
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Callable, Iterator

import pytest
from openpyxl import Workbook
from sqlalchemy import MetaData, select, text
from sqlalchemy.engine import Engine

from data_access.db import drop_schema, get_engine
from data_access.loaders import ImportResult, Source, issues_frame, run_import, write_rejected
from data_access.loaders import merge as merge_module
from data_access.loaders.encodings import file_encoding
from tests.actors import ADMIN
from tests.factories import build_tiny_county

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
R1, R2, R3 = "350802100001", "350802100002", "350802100003"


@pytest.fixture(name="engine", params=["sqlite", "postgresql"])
def _engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """The tiny county, fresh for each test, on SQLite or PostgreSQL."""
    if request.param == "sqlite":
        eng = get_engine(f"sqlite:///{tmp_path / 'tiny.sqlite'}")
    else:
        if not PG_URL:
            pytest.skip("TEST_DATABASE_URL is not set (no PostgreSQL server to test against)")
        eng = get_engine(PG_URL)
        drop_schema(eng)
    build_tiny_county(eng)
    yield eng
    if request.param == "postgresql":
        drop_schema(eng)


def snapshot(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table except the import log and the audit trail (which record attempts too)."""
    meta = MetaData()
    meta.reflect(engine)
    with engine.connect() as conn:
        return {
            name: sorted(map(tuple, conn.execute(select(table)).all()), key=repr)
            for name, table in meta.tables.items() if name not in ("import_log", "audit_entry")
        }


def scalar(engine: Engine, sql: str, **params: object) -> object:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def csv_bytes(rows: list[list[object]], encoding: str = "gbk") -> bytes:
    return "\n".join(",".join(str(v) for v in row) for row in rows).encode(encoding) + b"\n"


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ORDERS_HEADER = ["订单日期", "许可证号", "卷烟编码", "数量(条)"]
GOOD_ORDERS = [ORDERS_HEADER, ["2026-11-09", R1, "P1", 10], ["2026/11/10", R3, "P2", 25]]


def load(engine: Engine, kind: str, data: bytes, name: str = "file.csv", **kwargs: object) -> ImportResult:
    return run_import(Source.from_bytes(name, data), kind, engine=engine, actor=ADMIN, **kwargs)


def test_gbk_csv_with_chinese_headers_imports_lines_headers_and_aggregate(engine: Engine) -> None:
    data = csv_bytes(GOOD_ORDERS, "gbk")
    assert file_encoding(Source.from_bytes("f.csv", data)) == "gb18030"  # GB18030 decodes every GBK file
    result = load(engine, "orders", data)
    assert result.committed and not result.has_errors
    assert (result.rows_read, result.rows_added, result.rows_updated, result.rows_unchanged) == (2, 2, 0, 0)
    # 10 cartons of P1 at ¥500 = ¥5,000, cost ¥4,000; 25 of P2 at ¥100 = ¥2,500, cost ¥1,750.
    with engine.connect() as conn:
        lines = conn.execute(text(
            "SELECT r.licence_no, p.code, ol.cartons, ol.amount, ol.cost FROM order_line ol "
            "JOIN retailer r ON r.id = ol.retailer_id JOIN product p ON p.id = ol.product_id "
            "WHERE ol.order_date >= :d ORDER BY r.licence_no"), {"d": dt.date(2026, 11, 9)}).all()
    assert [tuple(x) for x in lines] == [(R1, "P1", 10.0, 5000.0, 4000.0), (R3, "P2", 25.0, 2500.0, 1750.0)]
    assert scalar(engine, "SELECT COUNT(*) FROM retail_order WHERE order_date >= :d", d=dt.date(2026, 11, 9)) == 2
    # sales_daily follows: November now 550 + 35 = 585 cartons, ¥115,000 + 7,500.
    assert scalar(engine, "SELECT SUM(cartons) FROM sales_daily WHERE sale_date >= :d", d=dt.date(2026, 11, 1)) == 585
    assert scalar(engine, "SELECT SUM(amount) FROM sales_daily WHERE sale_date >= :d", d=dt.date(2026, 11, 1)) == 122_500
    assert scalar(engine, "SELECT version FROM data_version WHERE domain = 'sales'") == 2
    log = scalar(engine, "SELECT rows_added FROM import_log WHERE file_sha256 = :h", h=result.file_sha256)
    assert log == 2


def test_xlsx_with_chinese_headers_adds_and_updates_retailers(engine: Engine) -> None:
    header = ["许可证号", "客户编码", "客户名称", "经度", "纬度", "经营业态", "市场类型", "档位", "星级",
              "终端类型", "POS机", "客户经理编码", "发证日期"]
    rows = [
        header,
        # new retailer: licence as an Excel number, date as an Excel date
        [350802100004, "R4", "北门便利店", 117.05, 25.1, "便利店", "城镇", 12, 4, "现代终端", "是", "M2",
         dt.datetime(2019, 5, 6)],
        # R1 moves from grocery to tobacco-and-liquor shop, tier 10 -> 15
        [R1, "R1", "东城食杂店", 117.02, 25.08, "烟酒商店", "城镇", 15, 3, "普通", "否", "M1", None],
    ]
    result = load(engine, "retailers", xlsx_bytes(rows), name="零售户.xlsx")
    assert not result.has_errors, issues_frame(result.issues)
    assert (result.rows_added, result.rows_updated, result.rows_unchanged) == (1, 1, 0)
    with engine.connect() as conn:
        new = conn.execute(text(
            "SELECT r.business_format, r.market_type, r.tier, r.terminal_level, r.has_pos, r.licensed_on, m.code "
            "FROM retailer r JOIN customer_manager m ON m.id = r.manager_id WHERE licence_no = '350802100004'")).one()
        old = conn.execute(text(f"SELECT business_format, tier, has_pos FROM retailer WHERE licence_no = '{R1}'")).one()
    assert (new[0], new[1], new[2], new[3], bool(new[4]), str(new[5])[:10], new[6]) == (
        "convenience", "urban", 12, "modern", True, "2019-05-06", "M2")
    assert (old[0], old[1], bool(old[2])) == ("tobacco_liquor", 15, False)


@pytest.mark.parametrize(
    ("name", "data", "code", "row", "column"),
    [
        ("missing column", csv_bytes([["订单日期", "许可证号", "数量"], ["2026-11-09", R1, 5]]),
         "missing_columns_at", None, ""),
        ("bad date", csv_bytes([ORDERS_HEADER, ["2026-11-09", R1, "P1", 5], ["2026-13-45", R1, "P2", 5]]),
         "bad_date", 3, "订单日期"),
        ("negative cartons", csv_bytes([ORDERS_HEADER, ["2026-11-09", R1, "P1", -5]]), "not_positive", 2, "数量(条)"),
        ("unknown retailer", csv_bytes([ORDERS_HEADER, ["2026-11-09", "999999999999", "P1", 5]]),
         "unknown_retailer", 2, "许可证号"),
        ("duplicate row", csv_bytes([ORDERS_HEADER, ["2026-11-09", R1, "P1", 5], ["2026-11-09", R1, "P1", 7]]),
         "duplicate_row", 3, "订单日期 + 许可证号 + 卷烟编码"),
        ("empty file", b"", "empty_file", None, ""),
        ("header only", csv_bytes([ORDERS_HEADER]), "no_rows", None, ""),
        ("not a spreadsheet", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "not_spreadsheet", None, ""),
        ("a zip that is no workbook", b"PK\x03\x04" + b"\x00" * 40, "not_spreadsheet", None, ""),
    ],
)
def test_bad_input_names_the_problem_and_writes_nothing(
    engine: Engine, name: str, data: bytes, code: str, row: int | None, column: str
) -> None:
    before = snapshot(engine)
    result = load(engine, "orders", data)
    assert not result.committed
    problems = [result.file_problem] if result.file_problem else result.issues
    assert [(p.code, p.row, p.column) for p in problems] == [(code, row, column)], name
    assert snapshot(engine) == before
    # the attempt is logged, with nothing added
    assert scalar(engine, "SELECT rows_added FROM import_log ORDER BY id DESC LIMIT 1") == 0


def test_messages_name_row_column_and_problem_in_both_languages(engine: Engine) -> None:
    data = csv_bytes([ORDERS_HEADER, ["2026-11-09", R1, "P1", -5], ["2026-11-09", "123", "P1", 5]])
    result = load(engine, "orders", data)
    zh = issues_frame(result.issues, "zh").to_dict("records")
    en = issues_frame(result.issues, "en").to_dict("records")
    assert zh == [
        {"行号": 2, "列": "数量(条)", "问题": "-5 必须大于 0。"},
        {"行号": 3, "列": "许可证号", "问题": "许可证号“123”不存在（请先导入零售户）。"},
    ]
    assert en[1] == {"row": 3, "column": "许可证号", "problem": "Unknown licence number “123” (import the retailers first)."}


def test_row_numbers_count_blank_lines_as_the_file_does(engine: Engine) -> None:
    # Line 3 is empty and line 4 holds only separators (an Excel export's leftover row):
    # both are skipped, and the bad quantity on line 5 is reported as row 5, not row 3.
    lines = [",".join(ORDERS_HEADER), f"2026-11-09,{R1},P1,5", "", ",,,", f"2026-11-10,{R1},P1,-5", ""]
    result = load(engine, "orders", "\r\n".join(lines).encode("utf-8"))
    assert [(issue.row, issue.code) for issue in result.issues] == [(5, "not_positive")]
    assert result.rows_read == 2


def test_reimport_is_a_no_op_and_a_corrected_file_replaces(engine: Engine) -> None:
    data = csv_bytes(GOOD_ORDERS, "utf-8-sig")
    load(engine, "orders", data)
    before = snapshot(engine)
    again = load(engine, "orders", data)
    assert (again.rows_added, again.rows_updated, again.rows_unchanged) == (0, 0, 2)
    assert snapshot(engine) == before  # not even the cache version moved
    corrected = csv_bytes([ORDERS_HEADER, ["2026-11-09", R1, "P1", 12], ["2026-11-10", R3, "P2", 25]])
    fixed = load(engine, "orders", corrected)
    assert (fixed.rows_added, fixed.rows_updated, fixed.rows_unchanged) == (0, 1, 1)
    assert scalar(engine, "SELECT amount FROM order_line WHERE order_date = :d", d=dt.date(2026, 11, 9)) == 6000
    assert scalar(engine, "SELECT cartons FROM sales_daily WHERE sale_date = :d", d=dt.date(2026, 11, 9)) == 12


def test_a_corrected_order_channel_updates_the_order_header(engine: Engine) -> None:
    # R1's order of 2 November was placed online (tests/factories.py); the export says phone.
    header = [*ORDERS_HEADER, "订货方式"]
    fixed = load(engine, "orders", csv_bytes([header, ["2026-11-02", R1, "P1", 100, "电话"]], "utf-8"))
    assert (fixed.rows_added, fixed.rows_updated, fixed.rows_unchanged) == (0, 1, 0)
    assert scalar(engine, "SELECT channel FROM retail_order WHERE order_date = :d AND retailer_id = "
                          "(SELECT id FROM retailer WHERE licence_no = :r)", d=dt.date(2026, 11, 2), r=R1) == "phone"
    again = load(engine, "orders", csv_bytes([header, ["2026-11-02", R1, "P1", 100, "电话"]], "utf-8"))
    assert (again.rows_added, again.rows_updated, again.rows_unchanged) == (0, 0, 1)


@pytest.mark.parametrize("where", ["refresh", "second chunk"])
def test_crash_mid_import_rolls_everything_back(engine: Engine, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    before = snapshot(engine)
    if where == "refresh":  # after the lines and headers were written
        def crash(*_args: object, **_kwargs: object) -> None:
            raise RuntimeError("power cut")
        monkeypatch.setattr(merge_module, "refresh_sales_daily", crash)
    else:  # while staging the second chunk of a file read one row at a time
        real: Callable = merge_module.stage_rows
        calls = {"n": 0}

        def crash(*args: object) -> None:
            calls["n"] += 1
            if calls["n"] == 2:
                raise RuntimeError("power cut")
            real(*args)
        monkeypatch.setattr(merge_module, "stage_rows", crash)
    with pytest.raises(RuntimeError, match="power cut"):
        load(engine, "orders", csv_bytes(GOOD_ORDERS), chunk_size=1)
    assert snapshot(engine) == before
    assert scalar(engine, "SELECT COUNT(*) FROM import_log") == 0


def test_accept_valid_rows_imports_the_rest_and_returns_rejected_rows(engine: Engine) -> None:
    data = csv_bytes([ORDERS_HEADER, ["2026-11-09", R1, "P1", 10], ["2026-11-09", R2, "P9", 5],
                      ["2026-11-10", R3, "P2", "abc"]])
    result = load(engine, "orders", data, accept_valid_rows=True)
    assert result.committed and result.has_errors
    assert (result.rows_added, result.rows_rejected) == (1, 2)
    out = io.BytesIO()
    assert write_rejected(Source.from_bytes("x.csv", data), result.issues, result.rejected_rows, out) == 2
    lines = out.getvalue().decode("utf-8-sig").splitlines()
    assert lines[0] == "行号,订单日期,许可证号,卷烟编码,数量(条),问题"
    assert lines[1].startswith(f"3,2026-11-09,{R2},P9,5,卷烟编码: 卷烟编码“P9”不存在")
    assert lines[2].startswith(f"4,2026-11-10,{R3},P2,abc,数量(条): “abc”不是数字")
    assert scalar(engine, "SELECT rows_rejected FROM import_log ORDER BY id DESC LIMIT 1") == 2


def test_dry_run_counts_but_writes_nothing(engine: Engine) -> None:
    before = snapshot(engine)
    result = load(engine, "orders", csv_bytes(GOOD_ORDERS), dry_run=True)
    assert (result.rows_added, result.committed) == (2, False)
    assert snapshot(engine) == before
    assert scalar(engine, "SELECT dry_run FROM import_log") in (1, True)
