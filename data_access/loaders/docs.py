"""docs/import_formats.md is generated from the specs, so it cannot drift from the code.

Regenerate with ``python -m data_access.loaders.docs``; a test checks the file is current.
"""

from __future__ import annotations

from pathlib import Path

from data_access.loaders.report import columns_frame
from data_access.loaders.specs import SPECS, ColumnSpec

DOC = Path(__file__).resolve().parents[2] / "docs" / "import_formats.md"

INTRO = """# Import formats (数据导入格式)

Generated from `data_access/loaders/specs.py` by `python -m data_access.loaders.docs`; do not edit.

Import with the **Data import** page (数据导入) or the command line:

```
python -m data_access.load FILE --kind KIND [--dry-run] [--accept-valid-rows] [--rejected-out FILE] [--user NAME]
```

- **Files**: CSV in UTF-8, UTF-8 with BOM, GBK or GB18030 (also UTF-16 "Unicode text"), comma,
  tab, semicolon or bar separated; Excel `.xlsx` (first sheet); or a web page table saved with an
  `.xls` name (the "Excel export" of many web systems; the largest `<table>` is read). The
  encoding is decided on the whole file: a file mixing GBK and UTF-8 rows (a row pasted from
  elsewhere) is refused with those row numbers, never stored as mojibake. A real binary Excel
  97-2003 `.xls` must be saved as `.xlsx` or CSV first.
- **Header row**: the first row (of the first 30) naming every required column; title rows,
  blank rows and merged group-header rows above it are skipped, and a header cell merged
  down from the row above takes that header. The report says which row was the header; when no
  row qualifies it says so (or, for a row that names some columns, which required ones it lacks).
- **Row numbers** are the rows as the file shows them: title rows and blank lines count.
- **Numbers**: one rule per file, stated in the report. The decimal mark is detected from the
  numeric cells ("522,00" or "1.234,5" mean a decimal comma, "12.5" or "1,234.5" a decimal
  point); without such evidence a semicolon file uses a decimal comma, any other a point.
  Thousands separators must group three digits (`1,200` = 1200 in a point file, `1.200` = 1200
  in a comma file); anything else (`1,20`) is refused. In a comma-separated file a number with
  a thousands separator must be quoted (`"1,200"`): an unquoted one adds a field, and a row with
  more fields than the header is refused with its row number, never read shifted.
- **Plausibility**: an order line whose amount differs from cartons × the product's wholesale
  price by more than 5 % (configuration `import_checks.amount_tolerance`) is imported, and listed
  as a note to check (discounts and price changes are real; a wrong number format shows as a
  factor of 100 or 1000 and is caught by the number rule above).
- **Dates** need a four-digit year, written first: `2026-11-02`, `2026/11/2`, `2026.11.02`,
  `20261102`, `2026年11月2日` (a midnight time such as `2026-11-02 00:00:00` is allowed); months
  `2026-11`, `2026/11`, `202611`, `2026年11月` (or a full date); date-times add `09:05` or
  `09:05:00` (`2026-11-02T09:05:00` too); Excel date cells as they are. Two-digit years and
  day/month-first forms (`11-03`, `1103`, `26-11-3`, `3/11/26`, `11/03/2026`) are refused, never
  guessed. Every date must lie in the plausible window (configuration `import_date_window`): from
  1 January of the company's first data year (default 2010) to today + 7 days; plan and forecast
  months up to 400 days ahead; licence and upgrade dates from 1949.
- **Values**: yes/no `是/否`, `Y/N`, `1/0`, `有/无`;
  choices as the Chinese label or the stored English code. Coordinates are WGS-84 inside China
  (longitude 73–136, latitude 3–54).
- **References** use business keys: department code, customer manager code, licence number,
  product code, brand family. They must exist (import departments → managers → retailers and
  products first).
- **Validation before writing**: required columns and values, types, ranges, dates, unknown
  references, rows repeating the natural key inside the file, codes already used by another
  record. The report names row (spreadsheet row; header = row 1), column and problem. By
  default a file with any problem writes nothing; `--accept-valid-rows` (page: "只导入正确的行")
  imports the valid rows and writes the rejected ones, as they were plus the problem, to a file.
- **Idempotent**: rows are upserted on the natural key; importing the same file twice changes
  nothing, a corrected file updates what it corrects. Optional columns missing from the file
  keep their stored values on update.
- **One transaction** per import (staging, merge, `sales_daily` refresh, cache versions, log):
  an error or crash leaves the database as it was. Every attempt is logged in `import_log`
  (who, when, file name, SHA-256, rows added / updated / unchanged / rejected, dry run).
"""


def _also(column: ColumnSpec) -> str:
    """Header aliases, and for choices the labels accepted besides the codes."""
    words = list(column.aliases)
    if column.choices:
        words += [f"{label}→{code}" for label, code in column.choices.items()
                  if not label.isascii() and str(code) != label]
    return ", ".join(dict.fromkeys(words))


def render() -> str:
    parts = [INTRO]
    for kind, spec in SPECS.items():
        key = " + ".join(next(c.zh for c in spec.columns if c.column == k) for k in spec.key)
        parts.append(f"\n## `{kind}` — {spec.zh} / {spec.en}\n")
        parts.append(f"\nTable `{spec.table.name}`; natural key: {key}; refreshes: {', '.join(spec.domains)}.\n\n")
        frame = columns_frame(spec, "en")
        frame["also accepted"] = [_also(c) for c in spec.columns]
        header = "| " + " | ".join(frame.columns) + " |"
        rows = ["| " + " | ".join(str(v).replace("|", "\\|") for v in row) + " |" for row in frame.itertuples(index=False)]
        parts.append("\n".join([header, "|" + "---|" * len(frame.columns), *rows]) + "\n")
        if kind == "inspections":
            parts.append("\nOne points column per part of the county's display rubric (configuration "
                         "`display_rubric`); the default rubric is shown.\n")
        if kind == "orders":
            parts.append("\nEach (retailer, date) also gets its order header (`retail_order`); `sales_daily` is "
                         "rebuilt for the dates in the file inside the same transaction.\n")
        if kind == "group_scores":
            parts.append("\nEvery new or changed score also writes an audit row "
                         "(`department_group_score_audit`, old and new score, who, reason).\n")
    return "".join(parts)


if __name__ == "__main__":
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC}")
