"""Problems an import can report, in Chinese and English.

The loaders stay free of Streamlit, so the texts live here; the UI catalogue
(``components/i18n/imports.py``) includes them as ``imports.problem.<code>`` and the CLI
formats them directly with :func:`describe`.
"""

from __future__ import annotations

PROBLEMS: dict[str, tuple[str, str]] = {
    # whole file
    "empty_file": ("文件是空的。", "The file is empty."),
    "no_rows": ("文件只有表头，没有数据行。", "The file has a header but no data rows."),
    "not_spreadsheet": ("这不是表格文件（需要 CSV 或 Excel .xlsx）。", "This is not a spreadsheet (a CSV or an Excel .xlsx file is needed)."),
    "old_xls": ("这是旧版 Excel 97-2003 二进制 .xls 文件，暂不支持：请在 Excel 中另存为 .xlsx 或 CSV 后再导入（网页系统导出的“.xls”网页表格可以直接导入）。", "This is an old binary Excel 97-2003 .xls file, which is not supported: save it as .xlsx or CSV in Excel and import again (the “.xls” web-page tables of web systems import as they are)."),
    "unknown_encoding": ("无法识别文件编码（支持 UTF-8、GBK、GB18030）。", "Cannot recognise the file's encoding (UTF-8, GBK and GB18030 are supported)."),
    "bad_bytes": ("第 {row} 行附近有无法按 {encoding} 解码的字符。", "Near row {row} there are bytes that are not valid {encoding}."),
    "bad_bytes_rows": ("文件按 {encoding} 读取，但第 {rows} 行有无法解码的字符；未写入任何数据。", "The file reads as {encoding}, but rows {rows} hold bytes that are not valid {encoding}; nothing was written."),
    "mixed_encoding": ("文件编码不一致：大部分行是 {encoding}，第 {rows} 行却是 {other}（可能是从别处粘贴的）。请把整个文件另存为同一种编码后再导入；未写入任何数据。", "Mixed encodings: most rows are {encoding}, but rows {rows} are {other} (pasted from elsewhere?). Save the whole file in one encoding and import again; nothing was written."),
    "html_without_table": ("这是网页（HTML）文件，但里面没有表格。", "This is a web page (HTML) with no table in it."),
    "header_not_found": ("在文件的前 {rows} 行中没有找到表头：本类数据的表头须包含 {columns}。请检查所选数据类型是否正确。", "No header row found in the first {rows} rows: this kind's header must name {columns}. Check that the right kind of data is chosen."),
    "missing_columns_at": ("第 {row} 行像是表头，但缺少必填列：{columns}。本类数据需要的列见模板。", "Row {row} looks like the header but lacks required columns: {columns}. See the template for the columns this kind needs."),
    "malformed_csv": ("CSV 格式错误：{detail}", "Malformed CSV: {detail}"),
    "duplicate_headers": ("表头重复：{headers}", "Repeated column headers: {headers}"),
    "missing_columns": ("缺少必填列：{columns}。本类数据需要的列见模板。", "Missing required columns: {columns}. See the template for the columns this kind needs."),
    "unknown_kind": ("未知的数据类型：{kind}", "Unknown kind of data: {kind}"),
    # one cell or row
    "required": ("必填项为空。", "Required value is empty."),
    "too_long": ("“{value}”超过 {max_len} 个字符。", "“{value}” is longer than {max_len} characters."),
    "not_integer": ("“{value}”不是整数。", "“{value}” is not a whole number."),
    "not_number": ("“{value}”不是数字。", "“{value}” is not a number."),
    "too_small": ("{value} 小于允许的最小值 {min}。", "{value} is below the minimum {min}."),
    "too_large": ("{value} 大于允许的最大值 {max}。", "{value} is above the maximum {max}."),
    "not_positive": ("{value} 必须大于 0。", "{value} must be greater than 0."),
    "bad_date": ("“{value}”不是可接受的日期（须写四位年份、年在前，如 {examples}）。", "“{value}” is not an accepted date (a four-digit year first, e.g. {examples})."),
    "bad_month": ("“{value}”不是可接受的月份（须写四位年份、年在前，如 {examples}）。", "“{value}” is not an accepted month (a four-digit year first, e.g. {examples})."),
    "bad_datetime": ("“{value}”不是可接受的时间（须写四位年份、年在前，如 {examples}）。", "“{value}” is not an accepted date and time (a four-digit year first, e.g. {examples})."),
    "date_out_of_range": ("“{value}”不在合理的日期范围内（{earliest} 至 {latest}）。", "“{value}” is outside the plausible dates ({earliest} to {latest})."),
    "bad_bool": ("“{value}”应为 是/否。", "“{value}” should be yes or no."),
    "bad_choice": ("“{value}”不是可选值：{allowed}。", "“{value}” is not one of: {allowed}."),
    "unknown_department": ("服务部编码“{value}”不存在。", "Unknown department code “{value}”."),
    "unknown_manager": ("客户经理编码“{value}”不存在。", "Unknown customer manager code “{value}”."),
    "unknown_retailer": ("许可证号“{value}”不存在（请先导入零售户）。", "Unknown licence number “{value}” (import the retailers first)."),
    "unknown_product": ("卷烟编码“{value}”不存在（请先导入卷烟规格）。", "Unknown product code “{value}” (import the products first)."),
    "unknown_brand": ("品牌“{value}”不存在。", "Unknown brand family “{value}”."),
    "duplicate_row": ("与第 {first_row} 行重复（相同的 {key}）。", "Duplicates row {first_row} (same {key})."),
    "already_used": ("“{value}”已属于另一条记录（{other}）。", "“{value}” already belongs to another record ({other})."),
    "sign_out_before_sign_in": ("签退时间早于签到时间。", "Sign-out is before sign-in."),
    "valid_above_scanned": ("有效扫码量大于扫码量。", "Valid scanned cartons exceed scanned cartons."),
    "month_mismatch": ("检查日期不在所填月份内。", "The inspection date is not in the given month."),
    "too_many_fields": ("这一行比表头多出 {extra} 个字段，各列已错位（数字中的千位分隔符“,”没加引号？），整行未导入。", "This row has {extra} more fields than the header, so its columns are shifted (an unquoted thousands separator “,” in a number?); the row is not imported."),
    # warnings: reported, the row is imported
    "amount_mismatch": ("提示：金额 {value} 与 数量×批发价 {expected} 相差超过 {tolerance}%（已导入，请核对）。", "Note: amount {value} differs from cartons × wholesale price {expected} by more than {tolerance}% (imported; please check)."),
}

# How a file was read, stated above the report (not problems).
NOTES: dict[str, tuple[str, str]] = {
    "layout": ("读取方式：{format}，第 {row} 行为表头{skipped}。", "Read as {format}; row {row} is the header{skipped}."),
    "skipped": ("（上方 {count} 行为标题或空行，已跳过）", " (the {count} rows above, a title or blank, were skipped)"),
    "format_csv": ("CSV 文本（{encoding} 编码，分隔符 {delimiter}）", "CSV text ({encoding}, separated by {delimiter})"),
    "format_xlsx": ("Excel 工作簿（第一个工作表）", "Excel workbook (first sheet)"),
    "format_html": ("网页表格（HTML，{encoding} 编码）——文件名虽是 .xls，实际是网页", "web page table (HTML, {encoding}) - named .xls, but a web page"),
    "numbers": ("数字写法：小数点为“{decimal}”，千位分隔符为“{thousands}”（{how}）。", "Numbers: decimal mark “{decimal}”, thousands separator “{thousands}” ({how})."),
    "numbers_detected": ("按文件中的数字识别", "detected from the file's numbers"),
    "numbers_default": ("按分隔符推定", "assumed from the separator"),
    "delimiter_,": ("逗号", "comma"),
    "delimiter_;": ("分号", "semicolon"),
    "delimiter_\t": ("制表符", "tab"),
    "delimiter_|": ("竖线", "vertical bar"),
}


def describe(code: str, lang: str = "zh", **params: object) -> str:
    """The message (problem or note) of ``code`` in ``lang`` with its parameters filled in."""
    zh, en = PROBLEMS[code] if code in PROBLEMS else NOTES[code]
    return (en if lang == "en" else zh).format(**params)
