"""Robustness of the loaders over generated files (issue 16, "Proof").

Hypothesis draws order-line files: encoding (UTF-8, UTF-8 with BOM, GBK), CSV separator
(comma, semicolon, tab) or XLSX, title and blank rows above the header, blank lines among
the rows, every accepted date spelling, numbers with and without thousands groups and in the
file's decimal style, and at most one planted fault (a two-digit year, a date outside the
window, an unquoted thousands separator, a row in another encoding, a 400-digit number, an
empty required cell, a huge text cell). Each file must either import exactly the intended
values, or be refused naming the faulty row as the user sees it, with the database dump
unchanged. Runs on one SQLite copy of the hand-built county (P1 ¥500, P2 ¥100 a carton).
"""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import text

from data_access.db import get_engine
from data_access.loaders import Source, run_import
from tests.actors import ADMIN
from tests.factories import build_tiny_county

TODAY = dt.date(2026, 12, 7)
RETAILERS = ("350802100001", "350802100002", "350802100003")
PRICES = {"P1": 500.0, "P2": 100.0}
FAULTS = (None, "two_digit_year", "out_of_window", "unquoted_thousands", "foreign_encoding", "huge_number",
          "empty_required", "huge_text")
DATE_SPELLINGS = ("{y:04d}-{m:02d}-{d:02d}", "{y}/{m}/{d}", "{y}.{m:02d}.{d:02d}", "{y}年{m}月{d}日",
                  "{y:04d}{m:02d}{d:02d}", "{y:04d}-{m:02d}-{d:02d} 00:00:00")


@dataclass(frozen=True)
class Line:
    day: dt.date
    retailer: str
    product: str
    cartons: float  # whole or with two decimals
    amount: float | None


@dataclass(frozen=True)
class Layout:
    fmt: str  # csv or xlsx
    encoding: str
    delimiter: str
    grouped: bool  # thousands separators in numbers >= 1000
    date_spelling: str
    title_rows: int
    blank_after: frozenset[int]  # data row indexes followed by a blank line
    with_amount: bool
    fault: str | None
    fault_row: int  # index into the lines
    crlf: bool


lines_strategy = st.lists(
    st.builds(
        Line,
        day=st.dates(min_value=dt.date(2010, 1, 1), max_value=TODAY),
        retailer=st.sampled_from(RETAILERS),
        product=st.sampled_from(tuple(PRICES)),
        cartons=st.one_of(st.integers(1, 2_000_000).map(float),
                          st.integers(1, 99_999_99).map(lambda cents: cents / 100)),
        amount=st.none() | st.integers(0, 10**9).map(lambda cents: cents / 100),
    ),
    min_size=1, max_size=12, unique_by=lambda line: (line.day, line.retailer, line.product),
)


@st.composite
def layouts(draw: st.DrawFn, count: int) -> Layout:
    fmt = draw(st.sampled_from(("csv", "csv", "csv", "xlsx")))
    fault = draw(st.sampled_from(FAULTS))
    delimiter = draw(st.sampled_from((",", ";", "\t")))
    encoding = draw(st.sampled_from(("utf-8", "utf-8-sig", "gbk")))
    if fmt == "xlsx" and fault in ("unquoted_thousands", "foreign_encoding"):
        fault = None
    if fault == "unquoted_thousands":
        delimiter = ","
    return Layout(
        fmt=fmt, encoding=encoding, delimiter=delimiter, grouped=draw(st.booleans()),
        date_spelling=draw(st.sampled_from(DATE_SPELLINGS)), title_rows=draw(st.integers(0, 2)),
        blank_after=frozenset(draw(st.sets(st.integers(0, max(0, count - 1)), max_size=3))),
        with_amount=draw(st.booleans()), fault=fault, fault_row=draw(st.integers(0, count - 1)),
        crlf=draw(st.booleans()),
    )


def number_text(value: float, layout: Layout) -> str:
    decimal, thousands = (",", ".") if layout.delimiter == ";" else (".", ",")
    whole, cents = divmod(round(value * 100), 100)
    digits = f"{whole:,}".replace(",", thousands) if layout.grouped else str(whole)
    text = digits + (f"{decimal}{cents:02d}" if cents else "")
    if layout.delimiter == "," and "," in text:
        text = f'"{text}"'
    return text


def render(lines: list[Line], layout: Layout) -> tuple[bytes, int | None, str | None]:
    """The file's bytes, and for a planted fault the row the user sees it on and its problem code."""
    header = ["订单日期", "许可证号", "卷烟编码", "数量(条)"] + (["金额"] if layout.with_amount else [])
    rows: list[list[object]] = [["2026年订单明细"] if layout.title_rows else []]
    rows = rows[: layout.title_rows] + [[]] * max(0, layout.title_rows - 1)
    rows.append(header)
    fault_line, code = None, None
    for index, line in enumerate(lines):
        date_text = layout.date_spelling.format(y=line.day.year, m=line.day.month, d=line.day.day)
        cartons = number_text(line.cartons, layout) if layout.fmt == "csv" else line.cartons
        amount = (number_text(line.amount, layout) if layout.fmt == "csv" else line.amount) \
            if line.amount is not None else ""
        row: list[object] = [date_text, line.retailer, line.product, cartons] + ([amount] if layout.with_amount else [])
        if layout.fmt == "xlsx" and layout.date_spelling.startswith("{y:04d}-") and index % 2:
            row[0] = dt.datetime.combine(line.day, dt.time())  # a real Excel date cell
        if layout.fault and index == layout.fault_row:
            code = {
                "two_digit_year": "bad_date", "out_of_window": "date_out_of_range",
                "unquoted_thousands": "too_many_fields", "foreign_encoding": "mixed_encoding",
                "huge_number": "not_number", "empty_required": "required", "huge_text": "unknown_retailer",
            }[layout.fault]
            if layout.fault == "two_digit_year":
                row[0] = f"{line.day.year % 100}-{line.day.month}-{line.day.day}"
            elif layout.fault == "out_of_window":
                row[0] = "2009-12-31" if index % 2 else "9999-12-31"
            elif layout.fault == "unquoted_thousands":
                row[3] = f"{int(line.cartons) // 1000 + 1},{int(line.cartons) % 1000:03d}"
            elif layout.fault == "foreign_encoding":
                row[0] = f"{line.day.year}年{line.day.month}月{line.day.day}日"
            elif layout.fault == "huge_number":
                row[3] = "9" * 400
            elif layout.fault == "empty_required":
                row[3] = ""
            elif layout.fault == "huge_text":
                row[1] = "许" * 100_000
            fault_line = len(rows) + 1
        rows.append(row)
        if index in layout.blank_after and index < len(lines) - 1:
            rows.append([])
    if layout.fmt == "xlsx":
        return xlsx(rows), fault_line, code
    newline = "\r\n" if layout.crlf else "\n"
    encoded = []
    for number, row in enumerate(rows, start=1):
        line_text = layout.delimiter.join(str(cell) for cell in row)
        encoding = "gbk" if layout.encoding == "gbk" else "utf-8"
        if layout.fault == "foreign_encoding" and number == fault_line:
            encoding = "utf-8" if encoding == "gbk" else "gbk"
        encoded.append(line_text.encode(encoding))
    data = newline.encode().join(encoded) + newline.encode()
    if layout.encoding == "utf-8-sig":
        data = b"\xef\xbb\xbf" + data
    return data, fault_line, code


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value != "":
                sheet.cell(number, column, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    path = Path(tmp_path_factory.mktemp("robust")) / "robust.sqlite"
    url = f"sqlite:///{path}"
    build_tiny_county(get_engine(url))
    return url, path


def dump(path: Path) -> list[str]:
    """Every statement of the database, minus the logs that record each attempt."""
    with sqlite3.connect(path) as conn:
        return [line for line in conn.iterdump()
                if not line.startswith(('INSERT INTO "import_log"', 'INSERT INTO "audit'))]


def stored(url: str, lines: list[Line]) -> list[tuple]:
    with get_engine(url).connect() as conn:
        return [tuple(conn.execute(text(
            "SELECT ol.cartons, ol.amount FROM order_line ol JOIN retailer r ON r.id = ol.retailer_id "
            "JOIN product p ON p.id = ol.product_id WHERE ol.order_date = :d AND r.licence_no = :r AND p.code = :p"),
            {"d": line.day.isoformat(), "r": line.retailer, "p": line.product}).one()) for line in lines]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_generated_files_import_exactly_or_are_refused_naming_the_row(county: tuple[str, Path], data) -> None:
    url, path = county
    lines = data.draw(lines_strategy)
    layout = data.draw(layouts(len(lines)))
    content, fault_line, code = render(lines, layout)
    before = dump(path)
    name = "orders.xlsx" if layout.fmt == "xlsx" else "orders.csv"
    result = run_import(Source.from_bytes(name, content), "orders", engine=get_engine(url), actor=ADMIN,
                        today=TODAY)
    if code is None:
        assert result.committed, (result.file_problem, result.issues[:3], layout)
        assert result.header_row == (layout.title_rows + 1 if layout.title_rows else 1)
        expected = [(line.cartons, line.amount if layout.with_amount and line.amount is not None
                     else line.cartons * PRICES[line.product]) for line in lines]
        assert stored(url, lines) == pytest.approx(expected, rel=1e-9, abs=1e-6)
        return
    assert not result.committed
    assert dump(path) == before  # nothing of a refused file was written
    if result.file_problem is not None:
        # a UTF-8 file with a BOM declares its encoding: a GBK row is then simply not valid UTF-8
        codes = {code, "bad_bytes_rows"} if code == "mixed_encoding" else {code}
        assert result.file_problem.code in codes and result.file_problem.params.get("rows") == str(fault_line)
    else:
        assert (fault_line, code) in {(issue.row, issue.code) for issue in result.issues}, (result.issues, layout)
