"""Messy real-world files (issue 16): mixed encodings, locale numbers, shifted fields, title rows
above the header, blank lines, HTML tables saved as .xls.

Each case either imports exactly the intended values or is refused naming the rows the user
sees in the file. Reading is database-neutral, so these run on SQLite only (the hand-built
county of tests/factories.py; P1 ¥500 a carton, P2 ¥100).
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook
from sqlalchemy import text
from sqlalchemy.engine import Engine

from data_access.db import get_engine
from data_access.loaders import Source, layout_text, write_rejected
from tests.factories import build_tiny_county
from tests.test_loaders import R1, R3, load, snapshot

TODAY = dt.date(2026, 12, 7)
SHOP_HEADER = ["许可证号", "客户编码", "店名", "经度", "纬度", "经营业态", "市场类型", "档位", "星级", "客户经理编码"]


@pytest.fixture
def engine(tmp_path) -> Engine:
    eng = get_engine(f"sqlite:///{tmp_path / 'tiny.sqlite'}")
    build_tiny_county(eng)
    return eng


def shop_line(licence: str, code: str, name: str) -> str:
    return ",".join([licence, code, name, "117.02", "25.08", "食杂店", "城镇", "10", "3", "M1"])


def lines_bytes(lines: list[str], encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def order_rows(engine: Engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT ol.order_date, r.licence_no, p.code, ol.cartons, ol.amount FROM order_line ol "
            "JOIN retailer r ON r.id = ol.retailer_id JOIN product p ON p.id = ol.product_id "
            "WHERE ol.order_date >= '2026-11-09' ORDER BY ol.order_date, r.licence_no, p.code")).all()]


# --- encodings --------------------------------------------------------------------------------
def test_gbk_file_with_one_utf8_row_is_refused_naming_that_row(engine: Engine) -> None:
    # 5,000 GBK rows (past the first 256 KB the old code sniffed), then one UTF-8 row.
    header = ",".join(SHOP_HEADER).encode("gbk")
    rows = [shop_line(f"3508029{n:05d}", f"G{n}", "东门食杂店").encode("gbk") for n in range(5000)]
    rows += [shop_line("350802100008", "R8", "龙川杂货店新").encode("utf-8"),  # pasted from elsewhere
             shop_line("350802100009", "R9", "西门烟酒店").encode("gbk")]
    data = b"\r\n".join([header, *rows]) + b"\r\n"
    assert len(data) > 256 * 1024
    before = snapshot(engine)
    result = load(engine, "retailers", data, today=TODAY)
    assert result.file_problem is not None and result.file_problem.code == "mixed_encoding"
    assert result.file_problem.params["rows"] == "5002"
    assert snapshot(engine) == before  # no "榫欏窛鏉傝揣搴楁柊"


def test_utf8_file_with_one_gbk_row_is_refused_naming_that_row(engine: Engine) -> None:
    lines = [",".join(SHOP_HEADER).encode("utf-8"), shop_line("350802100007", "R7", "东门食杂店").encode("utf-8"),
             b"", shop_line("350802100008", "R8", "北门便利店").encode("gbk"),
             shop_line("350802100009", "R9", "西门烟酒店").encode("utf-8")]
    result = load(engine, "retailers", b"\n".join(lines) + b"\n", today=TODAY)
    assert (result.file_problem.code, result.file_problem.params["rows"]) == ("mixed_encoding", "4")
    assert "第 4 行" in layout_or_problem(result)


def layout_or_problem(result) -> str:
    from data_access.loaders import issue_text

    return issue_text(result.file_problem, "zh")


def test_a_whole_gbk_file_with_shop_names_imports_them_as_written(engine: Engine) -> None:
    data = lines_bytes([",".join(SHOP_HEADER), shop_line("350802100007", "R7", "龙川杂货店新")], "gbk")
    result = load(engine, "retailers", data, today=TODAY)
    assert result.committed and result.encoding == "gb18030"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT shop_name FROM retailer WHERE customer_code = 'R7'")).scalar() == "龙川杂货店新"


# --- numbers ----------------------------------------------------------------------------------
def test_semicolon_csv_with_decimal_commas_reads_522_00_as_522(engine: Engine) -> None:
    data = lines_bytes(["订单日期;许可证号;卷烟编码;数量;金额", f"2026-11-09;{R1};P2;5,00;522,00",
                        f"2026-11-10;{R3};P1;1.200;600.000,00"])
    result = load(engine, "orders", data, today=TODAY)
    assert result.committed, result.issues
    assert order_rows(engine) == [("2026-11-09", R1, "P2", 5.0, 522.0), ("2026-11-10", R3, "P1", 1200.0, 600000.0)]
    stated = layout_text(result, "zh", result.number_format)
    assert "分隔符 分号" in stated and "小数点为“,”，千位分隔符为“.”" in stated
    assert "decimal mark “,”" in layout_text(result, "en", result.number_format)


def test_unquoted_thousands_separator_shifts_fields_and_the_row_is_refused(engine: Engine) -> None:
    # "1,200" unquoted was stored as cartons 1, amount 200.
    before = snapshot(engine)
    data = lines_bytes(["订单日期,许可证号,卷烟编码,数量,金额", f"2026-11-09,{R1},P2,5,500", "",
                        f"2026-11-10,{R1},P2,1,200,120000"])
    result = load(engine, "orders", data, today=TODAY)
    assert [(i.row, i.code) for i in result.issues] == [(4, "too_many_fields")]
    assert not result.committed and snapshot(engine) == before


def test_quoted_thousands_separator_is_1200(engine: Engine) -> None:
    data = lines_bytes(["订单日期,许可证号,卷烟编码,数量,金额", f'2026-11-09,{R1},P2,"1,200","120,000.00"'])
    result = load(engine, "orders", data, today=TODAY)
    assert result.committed and order_rows(engine) == [("2026-11-09", R1, "P2", 1200.0, 120000.0)]


def test_a_number_against_the_files_rule_is_refused() -> None:
    import pandas as pd

    from data_access.loaders.numbers import NumberFormat, parse_numbers

    values = parse_numbers(pd.Series(["1,20", "1.2.3", "12", "1,234.5"]), NumberFormat(".", ","))
    assert [None if v != v else v for v in values] == [None, None, 12.0, 1234.5]


def test_amount_far_from_cartons_times_price_is_imported_with_a_warning(engine: Engine) -> None:
    # P2 is ¥100 a carton: 5 cartons ¥500 is right, ¥520 is within 5 %, ¥5,000 is not.
    data = lines_bytes(["订单日期,许可证号,卷烟编码,数量,金额", f"2026-11-09,{R1},P2,5,520", f"2026-11-10,{R1},P2,5,5000"])
    result = load(engine, "orders", data, today=TODAY)
    assert result.committed and not result.has_errors
    assert [(w.row, w.code, w.params["expected"]) for w in result.warnings] == [(3, "amount_mismatch", "500")]
    assert [r[4] for r in order_rows(engine)] == [520.0, 5000.0]


# --- header row and row numbers ---------------------------------------------------------------
def test_title_and_blank_row_above_the_header_are_skipped_and_rows_keep_their_numbers(engine: Engine) -> None:
    data = lines_bytes(["2026年11月订单明细,,,", ",,,", "订单日期,许可证号,卷烟编码,数量", "",
                        f"2026-11-09,{R1},P1,10", "", f"2026-11-10,{R1},P1,-5"])
    result = load(engine, "orders", data, today=TODAY, dry_run=True)
    assert result.header_row == 3
    assert [(i.row, i.code) for i in result.issues] == [(7, "not_positive")]
    assert "第 3 行为表头（上方 2 行为标题或空行，已跳过）" in layout_text(result, "zh")


def xlsx_bytes(rows: list[list[object]], merge: str | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(number, column, value)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_excel_with_title_and_merged_group_header_finds_the_header_row(engine: Engine) -> None:
    rows = [["2026年11月 订单明细"], [None], ["订单信息", None, None, "数量与金额", None],
            ["订单日期", "许可证号", "卷烟编码", "数量", "金额"], [None],
            ["2026-11-09", R1, "P1", 10, 5000], [None], ["2026-11-10", R1, "P1", "abc", 100]]
    data = xlsx_bytes(rows, merge="A3:C3")
    result = load(engine, "orders", data, name="订单.xlsx", today=TODAY, dry_run=True)
    assert result.header_row == 4
    assert [(i.row, i.code) for i in result.issues] == [(8, "not_number")]
    assert result.rows_added == 1


def test_vertically_merged_header_cells_take_the_header_above(engine: Engine) -> None:
    rows = [["订单日期", "许可证号", "订货", None], [None, None, "卷烟编码", "数量"], ["2026-11-09", R1, "P1", 10]]
    result = load(engine, "orders", xlsx_bytes(rows, merge="A1:A2"), name="o.xlsx", today=TODAY, dry_run=True)
    assert (result.header_row, result.rows_added, result.issues) == (2, 1, [])


def test_no_header_row_is_said_plainly_not_columns_missing(engine: Engine) -> None:
    data = lines_bytes(["客户,品名,件数", f"{R1},P1,10"])
    result = load(engine, "orders", data, today=TODAY)
    assert result.file_problem.code == "header_not_found"
    assert "没有找到表头" in layout_or_problem(result)
    partial = load(engine, "orders", lines_bytes(["标题", "订单日期,许可证号,数量", f"2026-11-09,{R1},10"]),
                   today=TODAY)
    assert (partial.file_problem.code, partial.file_problem.params["row"]) == ("missing_columns_at", 2)


def test_blank_lines_before_errors_count_in_csv_and_xlsx(engine: Engine) -> None:
    lines = ["订单日期,许可证号,卷烟编码,数量", "", "", f"2026-11-09,{R1},P1,x", "", f"2026-11-10,{R1},P9,1"]
    csv_result = load(engine, "orders", lines_bytes(lines), today=TODAY, dry_run=True)
    rows = [line.split(",") if line else [None] for line in lines]
    xlsx_result = load(engine, "orders", xlsx_bytes(rows), name="o.xlsx", today=TODAY, dry_run=True)
    expected = [(4, "not_number"), (6, "unknown_product")]
    assert sorted((i.row, i.code) for i in csv_result.issues) == expected
    assert sorted((i.row, i.code) for i in xlsx_result.issues) == expected


def test_rejected_rows_file_follows_the_header_row_found(engine: Engine) -> None:
    data = lines_bytes(["订单明细", "订单日期,许可证号,卷烟编码,数量", f"2026-11-09,{R1},P1,10", f"2026-11-10,{R1},P9,1"])
    result = load(engine, "orders", data, today=TODAY, accept_valid_rows=True)
    out = io.BytesIO()
    assert write_rejected(Source.from_bytes("o.csv", data), result.issues, result.rejected_rows, out,
                          header_row=result.header_row) == 1
    assert out.getvalue().decode("utf-8-sig").splitlines()[1].startswith(f"4,2026-11-10,{R1},P9,1,")


# --- HTML "Excel" and old .xls ----------------------------------------------------------------
def test_html_table_saved_as_xls_is_read_as_a_table(engine: Engine) -> None:
    page = (f"<html><head><meta charset='gbk'></head><body><table border=1>"
            f"<tr><td colspan=4>2026年11月订单</td></tr>"
            f"<tr><th>订单日期</th><th>许可证号</th><th>卷烟编码</th><th>数量</th></tr>"
            f"<tr><td>2026-11-09</td><td>{R1}</td><td>P1</td><td>10</td></tr>"
            f"<tr><td>2026-11-10</td><td>{R3}</td><td>P2</td><td>1,200</td></tr></table></body></html>")
    result = load(engine, "orders", page.encode("gbk"), name="订单导出.xls", today=TODAY)
    assert result.committed and (result.format, result.header_row) == ("html", 2)
    assert [(r[1], r[3]) for r in order_rows(engine)] == [(R1, 10.0), (R3, 1200.0)]
    assert "网页表格" in layout_text(result, "zh") and "web page" in layout_text(result, "en")


def test_html_without_a_table_and_binary_xls_say_what_they_are(engine: Engine) -> None:
    assert load(engine, "orders", b"<html><body>error 500</body></html>", name="x.xls").file_problem.code == (
        "html_without_table")
    old = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    assert load(engine, "orders", old, name="x.xls").file_problem.code == "old_xls"


def test_a_trailing_separator_on_every_row_is_no_shift_and_quoted_line_breaks_keep_row_numbers(
    engine: Engine
) -> None:
    data = lines_bytes(["订单日期,许可证号,卷烟编码,数量", f"2026-11-09,{R1},P1,10,", f"2026-11-10,{R1},P2,5,",
                        f'2026-11-11,{R1},"P1', 'P2",3,', f"2026-11-12,{R1},P1,x,"])
    result = load(engine, "orders", data, today=TODAY, dry_run=True)
    # the cell spanning lines 4-5 is one unknown product (row 4); the bad quantity is on line 6
    assert sorted((i.row, i.code) for i in result.issues) == [(4, "unknown_product"), (6, "not_number")]
    assert result.rows_added == 2
