"""The audit page's table and its exports (xlsx/csv), safe to open in Excel.

A cell that starts with = + - @, a tab or a carriage return would be read by Excel as a
formula (CSV injection): in the CSV it gets a leading apostrophe, in the workbook it is
written as a text cell (never a formula) — either way it shows as the text it is.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pandas as pd

from components.i18n import CATALOGUE, t
from data_access.access.audit import CHINA

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def china_time(value: pd.Timestamp) -> str:
    """An aware instant as China local time with its zone: ``2026-12-02 08:00:00 UTC+08:00``."""
    local = value.tz_convert(CHINA)
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M:%S} UTC{offset[:3]}:{offset[3:]}"


def _field(key: str) -> str:
    return t(f"audit.field.{key}") if f"audit.field.{key}" in CATALOGUE else key


def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return t("audit.yes") if value else t("audit.no")
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)


def _compact(value: Any) -> str:
    """Before/after JSON as one readable line: field names in words, "—" for an empty value."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return ""
    try:
        data = json.loads(value)
    except (TypeError, ValueError):
        return str(value)
    if isinstance(data, dict):
        return "；".join(f"{_field(k)}: {_value(v)}" for k, v in data.items())
    return _value(data)


def action_label(code: str) -> str:
    """An audit action in words ("config.terminal_weights" -> 修改终端综合权重); a group code
    (the filter's "config") by its group name; an unknown code named as such, never bare."""
    if f"audit.act.{code}" in CATALOGUE:
        return t(f"audit.act.{code}")
    if f"audit.group.{code}" in CATALOGUE:
        return t(f"audit.group.{code}")
    return t("audit.act.other", code=code)


def audit_table(entries: pd.DataFrame) -> pd.DataFrame:
    """The rows as the page shows and exports them (all text)."""
    return pd.DataFrame({
        t("audit.col.time"): [china_time(v) for v in entries["at"]],
        t("audit.col.user"): entries["user_name"].fillna("").astype(str),
        t("audit.col.action"): [action_label(str(code)) for code in entries["action"]],
        t("audit.col.object"): entries["object"].fillna("").astype(str),
        t("audit.col.before"): [_compact(v) for v in entries["before"]],
        t("audit.col.after"): [_compact(v) for v in entries["after"]],
    })


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def neutralise_for_csv(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that Excel would run as formulas get a leading apostrophe."""
    return frame.map(lambda v: f"'{v}" if isinstance(v, str) and is_formula_like(v) else v)


def audit_csv_bytes(table: pd.DataFrame) -> bytes:
    """UTF-8 with BOM (Excel), formula-like cells neutralised."""
    return neutralise_for_csv(table).to_csv(index=False).encode("utf-8-sig")


def audit_xlsx_bytes(table: pd.DataFrame, *, sheet: str) -> bytes:
    """One sheet; every cell written as a text cell, so nothing is ever evaluated as a formula."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
    worksheet = workbook.add_worksheet(sheet[:31])
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    for col, name in enumerate(table.columns):
        worksheet.write_string(0, col, str(name), header)
        values = table[name].astype(str)
        for row, value in enumerate(values, start=1):
            worksheet.write_string(row, col, value)
        width = max([len(str(name)) * 2, *(len(v) for v in values.head(500))])
        worksheet.set_column(col, col, min(max(width + 2, 8), 60))
    worksheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()
