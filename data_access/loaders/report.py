"""What an import hands back to people: the problem report, the rejected rows, templates."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import BinaryIO

import pandas as pd

from data_access.loaders.messages import NOTES, describe
from data_access.loaders.numbers import NumberFormat
from data_access.loaders.parsing import Issue
from data_access.loaders.reading import EXTRA_COLUMN, ROW_COLUMN, OpenedFile, Source, is_blank_header, open_table
from data_access.loaders.specs import KindSpec

REPORT_HEADERS = {"zh": ("行号", "列", "问题"), "en": ("row", "column", "problem")}


def issue_text(issue: Issue, lang: str = "zh") -> str:
    return describe(issue.code, lang, **issue.params)


def issues_frame(issues: Iterable[Issue], lang: str = "zh") -> pd.DataFrame:
    """The problem report: spreadsheet row, column header and the problem, one line each."""
    row, column, problem = REPORT_HEADERS["en" if lang == "en" else "zh"]
    records = [
        {row: issue.row, column: issue.column, problem: issue_text(issue, lang)}
        for issue in sorted(issues, key=lambda i: -1 if i.row is None else i.row)
    ]
    frame = pd.DataFrame(records, columns=[row, column, problem])
    frame[row] = frame[row].astype("Int64")
    return frame


def write_rejected(source: Source, issues: Iterable[Issue], rejected_rows: set[int], out: BinaryIO,
                   *, lang: str = "zh", header_row: int | None = None) -> int:
    """Copy the rejected rows of ``source`` as they were, plus row number and problem, to ``out``.

    A second pass over the file (rows are streamed, only the rejected row numbers are held),
    written as UTF-8 with BOM so Excel opens it. ``header_row``: the row the import took as
    the header (``ImportResult.header_row``). Returns the number of rows written.
    """
    problems: dict[int, list[str]] = {}
    for issue in issues:
        if issue.row is not None:
            problems.setdefault(issue.row, []).append(f"{issue.column}: {issue_text(issue, lang)}")
    opened = open_table(source, header_row=header_row)
    row_header, _, problem_header = REPORT_HEADERS["en" if lang == "en" else "zh"]
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([row_header, *("" if is_blank_header(h) else h for h in opened.headers), problem_header])
    written = 0
    for chunk in opened.chunks:
        chosen = chunk[chunk[ROW_COLUMN].isin(rejected_rows)].drop(columns=[EXTRA_COLUMN], errors="ignore")
        for record in chosen.itertuples(index=False, name=None):
            row = int(record[0])
            writer.writerow([row, *record[1:], "；".join(problems.get(row, []))])
            written += 1
    text.flush()
    text.detach()
    return written


def template_frame(spec: KindSpec, lang: str = "zh") -> pd.DataFrame:
    """An empty-but-one-example table with the kind's headers (required ones marked ``*``)."""
    headers = [(c.zh if lang == "zh" else c.en) + ("*" if c.required else "") for c in spec.columns]
    return pd.DataFrame([[c.example for c in spec.columns]], columns=headers)


# What a reference column must name, in both languages (the table name was shown in Chinese).
REF_NAMES = {"department": ("服务部", "department"), "manager": ("客户经理", "manager"),
             "retailer": ("零售户", "retailer"), "product": ("卷烟", "product"), "brand": ("品牌", "brand")}


def columns_frame(spec: KindSpec, lang: str = "zh") -> pd.DataFrame:
    """The kind's columns explained: header zh/en, type, required, allowed range or values."""
    type_names = {
        "str": ("文本", "text"), "int": ("整数", "integer"), "float": ("数字", "number"),
        "date": ("日期", "date"), "month": ("月份", "month"), "datetime": ("日期时间", "date and time"),
        "bool": ("是/否", "yes/no"), "enum": ("可选值", "choice"),
    }
    en = lang == "en"
    rows = []
    for c in spec.columns:
        rule = []
        if c.positive:
            rule.append("> 0")
        if c.min is not None:
            rule.append(f"≥ {c.min:g}")
        if c.max is not None:
            rule.append(f"≤ {c.max:g}")
        if c.max_len:
            rule.append(("≤ {n} chars" if en else "≤ {n} 字").format(n=c.max_len))
        if c.choices:
            codes = list(dict.fromkeys(str(v) for v in c.choices.values()))
            # Chinese: each choice's first Chinese label ("网上、电话", not "online/phone").
            shown = codes if en else [next((k for k, v in c.choices.items() if v == code and not k.isascii()), code)
                                      for code in codes]
            rule.append(("/" if en else "、").join(shown))
        if c.ref:
            ref = REF_NAMES.get(c.ref, (c.ref, c.ref))[1 if en else 0]
            rule.append(("must exist: {ref}" if en else "须已存在：{ref}").format(ref=ref))
        note = c.note_en if en else c.note_zh
        rows.append({
            ("header (zh)" if en else "中文列名"): c.zh,
            ("header (en)" if en else "英文列名"): c.en,
            ("type" if en else "类型"): type_names[c.type][1 if en else 0],
            ("required" if en else "必填"): ("yes" if en else "是") if c.required else "",
            ("rule" if en else "规则"): "; ".join([*rule, note] if note else rule),
        })
    return pd.DataFrame(rows)


def preview(source: Source, spec: KindSpec, rows: int = 10) -> tuple[pd.DataFrame, dict[str, str], list[str], OpenedFile]:
    """The first ``rows`` rows as they are in the file, the header mapping, ignored headers, and
    how the file is read (format, header row; zh by default, see :func:`layout_text`).

    Raises FileProblem like an import would (empty, not a spreadsheet, no header, missing columns).
    """
    from data_access.loaders.parsing import SpecHeaders, map_headers

    opened = open_table(source, chunk_size=rows, matcher=SpecHeaders(spec))
    mapping = map_headers(spec, opened.headers)
    first = next(iter(opened.chunks), pd.DataFrame(columns=[ROW_COLUMN, *opened.headers]))
    opened.chunks.close()
    first = first.drop(columns=[EXTRA_COLUMN], errors="ignore")
    first = first[[c for c in first.columns if not is_blank_header(c)]]
    ignored = [h for h in opened.headers if not is_blank_header(h) and h not in mapping.values()]
    return first.head(rows), mapping, ignored, opened


def layout_text(layout: object, lang: str = "zh", number_format: NumberFormat | None = None) -> str:
    """How the file was read, in words: format, encoding, separator, header row, number rule.

    ``layout`` is an :class:`~data_access.loaders.reading.OpenedFile` or an ``ImportResult``
    (both carry format, encoding, delimiter and header_row).
    """
    fmt = getattr(layout, "format", None) or "csv"
    encoding = (getattr(layout, "encoding", None) or "").upper().replace("-SIG", " BOM")
    delimiter = getattr(layout, "delimiter", None)
    separator = describe(f"delimiter_{delimiter}", lang) if f"delimiter_{delimiter}" in NOTES else str(delimiter)
    row = getattr(layout, "header_row", None) or 1
    skipped = describe("skipped", lang, count=row - 1) if row > 1 else ""
    text = describe("layout", lang, format=describe(f"format_{fmt}", lang, encoding=encoding, delimiter=separator),
                    row=row, skipped=skipped)
    if number_format is not None:
        how = describe("numbers_detected" if number_format.detected else "numbers_default", lang)
        text += " " + describe("numbers", lang, decimal=number_format.decimal, thousands=number_format.thousands,
                               how=how)
    return text
