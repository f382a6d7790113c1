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
    "old_xls": ("不支持旧版 Excel .xls，请另存为 .xlsx 或 CSV 后再导入。", "Old Excel .xls files are not supported: save as .xlsx or CSV and import again."),
    "unknown_encoding": ("无法识别文件编码（支持 UTF-8、GBK、GB18030）。", "Cannot recognise the file's encoding (UTF-8, GBK and GB18030 are supported)."),
    "bad_bytes": ("第 {row} 行附近有无法按 {encoding} 解码的字符。", "Near row {row} there are bytes that are not valid {encoding}."),
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
}


def describe(code: str, lang: str = "zh", **params: object) -> str:
    """The message of ``code`` in ``lang`` with its parameters filled in."""
    zh, en = PROBLEMS[code]
    return (en if lang == "en" else zh).format(**params)
