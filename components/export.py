"""Downloads: Excel workbooks and CSV files that Excel opens correctly.

Excel reads a UTF-8 CSV without a byte-order mark as garbage (DOMAIN.md §10), so CSVs are
written as UTF-8 with BOM. Workbooks are written with xlsxwriter: bold header row, frozen
header, columns sized to their content, numbers kept as numbers.

Text from data is never a formula or a link (issue 16): workbooks write every string as a
string cell (xlsxwriter's ``strings_to_formulas`` and ``strings_to_urls`` off), CSVs put an
apostrophe before text that a spreadsheet would run (``data_access.rules.export_cells``).
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd

from data_access.rules.export_cells import neutralise_csv_cell

CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with BOM (``utf-8-sig``), no index column, formula-like text neutralised."""
    # CRLF rows (RFC 4180): a field holding a bare CR is then quoted instead of breaking the row.
    return safe_csv_frame(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def safe_csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and headers) cannot run as formulas in a spreadsheet."""
    safe = frame.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]) and not pd.api.types.is_datetime64_any_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise_csv_cell)
    safe.columns = [neutralise_csv_cell(str(c)) for c in safe.columns]
    return safe


def to_excel_bytes(sheets: Mapping[str, pd.DataFrame], *, title: str | None = None) -> bytes:
    """An .xlsx workbook with one sheet per frame (sheet names cut to Excel's 31 characters).

    With ``title`` the first row of each sheet carries it (e.g. "2026年11月 服务部排名") and the
    table starts on row 3, as reports that get circulated usually look.
    """
    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        workbook = writer.book
        header_format = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        title_format = workbook.add_format({"bold": True, "font_size": 14})
        for sheet_name, frame in sheets.items():
            name = sheet_name[:31]
            start_row = 2 if title else 0
            frame.to_excel(writer, sheet_name=name, index=False, startrow=start_row)
            sheet = writer.sheets[name]
            if title:
                sheet.write_string(0, 0, title, title_format)
            for col, column in enumerate(frame.columns):
                sheet.write_string(start_row, col, str(column), header_format)
                values = frame[column].astype(str).fillna("").head(500)  # pandas 3 keeps NaN as NaN
                width = max([len(str(column)) * 2, *(len(v) for v in values)])
                sheet.set_column(col, col, min(max(width + 2, 8), 40))
            sheet.freeze_panes(start_row + 1, 0)
    return buffer.getvalue()
