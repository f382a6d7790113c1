"""Formula injection in exports (issue 16): text from data is text in every xlsx and CSV.

Cells beginning with = + - @ tab or CR are string cells in workbooks (never formulas or
links) and carry an apostrophe in CSVs; real negative numbers stay numbers.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components import export
from data_access.rules.export_cells import is_formula_like, neutralise_csv_cell
from tests.downloads import capture_downloads

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"点我\")", "=cmd|' /C calc'!A0", "+1+2", "-2+3", "@SUM(A1:A2)",
           "\t=1+1", "\r=1+1", "http://evil.example/x"]
FRAME = pd.DataFrame({"名称": [*HOSTILE, "城区服务部"], "销量": [-12.5, 3, -1, 0, 2, 1, 1, 1, 5],
                      "文本数": ["-12.5", "-3%", "+4", "1", "-", "2", "3", "4", "5"]})


def test_formula_like_text() -> None:
    assert all(is_formula_like(text) for text in [*HOSTILE[:7], "-", "-1+1", "+-"])
    assert not any(is_formula_like(text) for text in ["-12.5", "-3%", "+4", "1,200", "城区", "http://x", ""])
    assert neutralise_csv_cell("=1+1") == "'=1+1" and neutralise_csv_cell(-5) == -5


def _cells(book: bytes, sheet: str | None = None) -> list[openpyxl.cell.Cell]:
    workbook = openpyxl.load_workbook(io.BytesIO(book))
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    return [cell for row in worksheet.iter_rows() for cell in row if cell.value is not None]


def assert_no_formulas(book: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(book))
    for worksheet in workbook.worksheets:
        for row in worksheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (worksheet.title, cell.coordinate, cell.value)
                assert cell.hyperlink is None, (worksheet.title, cell.coordinate, cell.value)


def test_workbook_writes_hostile_text_as_text_and_numbers_as_numbers() -> None:
    book = export.to_excel_bytes({"表": FRAME}, title="=1+1 标题")
    assert_no_formulas(book)
    cells = {cell.coordinate: cell for cell in _cells(book)}
    assert cells["A1"].value == "=1+1 标题" and cells["A1"].data_type == "s"
    names = [cells[f"A{row}"] for row in range(4, 4 + len(HOSTILE))]
    assert [cell.value.replace("_x000D_", "\r") for cell in names] == HOSTILE  # xlsx stores CR as _x000D_
    assert all(cell.data_type == "s" for cell in names)
    assert cells["B4"].value == -12.5 and cells["B4"].data_type == "n"
    assert cells["B6"].value == -1 and cells["B6"].data_type == "n"


def test_csv_neutralises_formula_text_and_keeps_numbers() -> None:
    frame = pd.read_csv(io.BytesIO(export.to_csv_bytes(FRAME)), encoding="utf-8-sig", dtype=str)
    assert frame["名称"].tolist()[:7] == ["'" + text for text in HOSTILE[:7]]
    assert frame["名称"].tolist()[7:] == ["http://evil.example/x", "城区服务部"]
    assert frame["销量"].tolist()[:3] == ["-12.5", "3.0", "-1.0"]  # numeric column untouched
    assert frame["文本数"].tolist()[:5] == ["-12.5", "-3%", "+4", "1", "'-"]


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[bytes]]:
    """Every workbook and CSV the pages offer in this test, built as a click would build them."""
    files = capture_downloads(monkeypatch)

    class Built(dict):
        def __getitem__(self, kind: str) -> list[bytes]:
            return [make() for name, make in files.items() if name.endswith(f".{kind}")]

    return Built()


@pytest.mark.parametrize(("page", "params", "needle"), [
    ("pages/sales.py", {"period": "2026-11", "s_dim": "brand"}, "=HYPERLINK"),
    ("pages/sales.py", {"period": "2026-11", "s_dim": "department"}, "+cmd"),
    ("pages/teams.py", {"period": "2026-11"}, "@SUM"),
])
def test_page_exports_of_hostile_names(app_factory: Callable[..., AppTest], hostile_db_url: str,
                                       captured: dict[str, list[bytes]], page: str, params: dict[str, str],
                                       needle: str) -> None:
    at = app_factory(hostile_db_url, page=page, params=params)
    assert not at.exception, [e.value for e in at.exception]
    assert captured["xlsx"], "the page built no workbook"
    found = []
    for book in captured["xlsx"]:
        assert_no_formulas(book)
        workbook = openpyxl.load_workbook(io.BytesIO(book))
        found += [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row
                  if isinstance(cell.value, str) and cell.value.startswith(needle)]
    assert found and all(cell.data_type == "s" for cell in found)
    for data in captured["csv"]:
        text = data.decode("utf-8-sig")
        assert f",{needle}" not in text and f"\n{needle}" not in text and f'"{needle}' not in text
        assert f"'{needle}" in text
