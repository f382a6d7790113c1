"""Reading import files: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030, UTF-16), XLSX and HTML tables.

Every cell is read as text; typing and validation happen in ``parsing``. Big CSVs stream
through ``pandas.read_csv(chunksize=...)`` and XLSX through openpyxl's read-only mode, so
memory stays bounded by the chunk size, not the file size.

Row numbers (``_row``) are the rows the user sees in the file: blank lines and any title
rows above the header count. The header is the first row (of the first ``HEADER_SCAN``)
that holds the kind's required columns (a :class:`HeaderMatcher` decides), so exports with
a title row, a blank row or a merged group-header row above the real header import as they
are; the report says which row was taken.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from data_access.loaders.encodings import file_encoding
from data_access.loaders.source import FileProblem, Source

__all__ = ["EXTRA_COLUMN", "ROW_COLUMN", "FileProblem", "HeaderMatcher", "OpenedFile", "Source", "open_table"]

ROW_COLUMN = "_row"  # spreadsheet row number of each data row
EXTRA_COLUMN = "_extra_fields"  # CSV: how many non-empty fields a row has beyond the header's
HEADER_SCAN = 30  # rows searched for the header
DELIMITERS = (",", "\t", ";", "|")
_BLANK_HEADER = "_blank_"

_NOT_SPREADSHEET_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x7fELF", b"Rar!", b"\x1f\x8b", b"BM")


class HeaderMatcher(Protocol):
    """Recognises a kind's header row (implemented in ``parsing`` from the kind's spec)."""

    def is_header(self, cells: list[str]) -> bool: ...

    def known(self, cell: str) -> bool: ...

    def problem(self, candidates: list[tuple[int, list[str]]]) -> FileProblem: ...


@dataclass
class OpenedFile:
    """A readable file: its layout, headers and an iterator of text chunks with ``_row`` numbers."""

    format: str  # csv, xlsx or html
    encoding: str | None
    headers: list[str]
    chunks: Iterator[pd.DataFrame]
    header_row: int = 1
    delimiter: str | None = None


def detect_format(source: Source) -> str:
    """``xlsx``, ``html`` or ``csv``; raises FileProblem for empty files and things that are no table."""
    head = source.head()
    if not head.strip():
        raise FileProblem("empty_file")
    if head.startswith(b"PK\x03\x04"):
        with source.open() as stream:
            try:
                names = zipfile.ZipFile(stream).namelist()
            except zipfile.BadZipFile as error:
                raise FileProblem("not_spreadsheet") from error
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise FileProblem("not_spreadsheet")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem("old_xls")
    if head.startswith(_NOT_SPREADSHEET_MAGIC):
        raise FileProblem("not_spreadsheet")
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"<"):  # a web page saved as .xls: the "Excel export" of many web systems
        if b"<table" in head.lower() or b"<tr" in head.lower():
            return "html"
        raise FileProblem("html_without_table")
    return "csv"


def open_table(source: Source, *, chunk_size: int = 50_000, matcher: HeaderMatcher | None = None,
               header_row: int | None = None) -> OpenedFile:
    """Open ``source`` for reading; raises FileProblem for files that are no readable table.

    The header is row ``header_row`` when given (a second pass over a file already read),
    else the first row ``matcher`` accepts, else (no matcher) the first non-empty row.
    """
    fmt = detect_format(source)
    if fmt == "xlsx":
        return _open_xlsx(source, chunk_size, matcher, header_row)
    if fmt == "html":
        return _open_html(source, chunk_size, matcher, header_row)
    return _open_csv(source, chunk_size, matcher, header_row)


def _find_header(rows: list[tuple[int, list[str]]], matcher: HeaderMatcher | None,
                 header_row: int | None) -> tuple[int, list[str]]:
    """(row number, header cells) among the first rows; blank header cells under a known header
    in the row above (a vertically merged cell) take that header."""
    if header_row is not None:
        for number, cells in rows:
            if number == header_row:
                return number, cells
        raise FileProblem("empty_file")
    previous: list[str] = []
    candidates = []
    for number, cells in rows:
        if not any(cells):
            previous = []
            continue
        if matcher is None:
            return number, cells
        merged = [cell or (previous[i] if i < len(previous) and matcher.known(previous[i]) else "")
                  for i, cell in enumerate(cells)]
        if matcher.is_header(merged):
            return number, merged
        candidates.append((number, merged))
        previous = cells
    if matcher is None or not candidates:
        raise FileProblem("empty_file")
    raise matcher.problem(candidates)


def _clean_headers(cells: list[str]) -> list[str]:
    headers = [str(c).strip() for c in cells]
    while headers and not headers[-1]:
        headers.pop()
    return [h or f"{_BLANK_HEADER}{i}" for i, h in enumerate(headers)]


def is_blank_header(header: str) -> bool:
    return header.startswith(_BLANK_HEADER)


# --- CSV ------------------------------------------------------------------------------------
def _open_csv(source: Source, chunk_size: int, matcher: HeaderMatcher | None,
              header_row: int | None) -> OpenedFile:
    encoding = file_encoding(source)
    with io.TextIOWrapper(source.open(), encoding=encoding, errors="strict", newline="") as stream:
        lines = [stream.readline() for _ in range(HEADER_SCAN)]
    lines = [line for line in lines if line]
    delimiter, number, header_cells = _csv_header(lines, matcher, header_row)
    header_fields = len(header_cells)
    headers = _clean_headers(header_cells)
    width = len(headers)

    def chunks() -> Iterator[pd.DataFrame]:
        # csv.reader rather than pandas: it gives each record's exact field count (an
        # unquoted "1,200" adds a field even where the shifted last field is empty) and the
        # physical line it starts on (quoted cells spanning lines keep later rows' numbers).
        stream = io.TextIOWrapper(source.open(), encoding=encoding, errors="strict", newline="")
        buffer: list[list[str]] = []
        numbers: list[int] = []
        counts: list[int] = []
        filled: list[bool] = []  # a non-empty field beyond the header
        usual: int | None = None
        line = 0
        try:
            for _ in range(number):
                stream.readline()
            reader = csv.reader(stream, delimiter=delimiter)
            for record in reader:
                start, line = number + line + 1, reader.line_num
                fields = len(record)
                extra_filled = False
                if fields != width:  # rare: pad short rows, look at what lies beyond the header
                    extra_filled = fields > header_fields and any(c.strip() for c in record[header_fields:])
                    record = record[:width] + [""] * (width - fields)
                buffer.append(record)
                numbers.append(start)
                counts.append(fields)
                filled.append(extra_filled)
                if len(buffer) >= chunk_size:
                    usual = usual or _usual(counts, header_fields)
                    frame = _csv_frame(buffer, numbers, counts, filled, headers, header_fields, usual)
                    buffer, numbers, counts, filled = [], [], [], []
                    if not frame.empty:
                        yield frame
            if buffer:
                usual = usual or _usual(counts, header_fields)
                frame = _csv_frame(buffer, numbers, counts, filled, headers, header_fields, usual)
                if not frame.empty:
                    yield frame
        except csv.Error as error:
            raise FileProblem("malformed_csv", detail=f"{number + line + 1}: {error}") from error
        finally:
            stream.close()

    return OpenedFile("csv", encoding, headers, chunks(), header_row=number, delimiter=delimiter)


def _usual(counts: list[int], header_fields: int) -> int:
    """Fields a row of this file usually has: the header's, or more when most rows (at least two)
    carry the same extra empty fields (a trailing separator on every row)."""
    if not counts:
        return header_fields
    mode = max(set(counts), key=counts.count)
    return max(header_fields, mode) if counts.count(mode) >= 2 and counts.count(mode) * 2 > len(counts) else header_fields


def _csv_frame(buffer: list[list[str]], numbers: list[int], counts: list[int], filled: list[bool],
               headers: list[str], header_fields: int, usual: int) -> pd.DataFrame:
    """A chunk, cells stripped, blank rows (empty lines, bare separators) dropped. ``EXTRA_COLUMN``
    counts the fields beyond the header of rows that have more fields than the file's rows
    usually have (a trailing separator on every row is not a shift) or a non-empty one."""
    frame = _frame(buffer, numbers, headers)
    frame[headers] = frame[headers].apply(lambda column: column.str.strip())
    frame[EXTRA_COLUMN] = [count - header_fields if (count > usual or nonempty) and count > header_fields else 0
                           for count, nonempty in zip(counts, filled, strict=True)]
    blank = frame[headers].eq("").all(axis=1) & frame[EXTRA_COLUMN].eq(0)
    return frame[~blank] if blank.any() else frame


def _csv_header(lines: list[str], matcher: HeaderMatcher | None,
                header_row: int | None) -> tuple[str, int, list[str]]:
    """Separator, header row number and header cells: the first separator under which a header is found."""
    text = "".join(lines)
    by_count = sorted(DELIMITERS, key=lambda sep: -text.count(sep))
    first_problem: FileProblem | None = None
    for delimiter in by_count:
        rows = [(n, next(csv.reader([line], delimiter=delimiter), [])) for n, line in enumerate(lines, start=1)]
        rows = [(n, [c.strip() for c in cells]) for n, cells in rows]
        try:
            number, headers = _find_header(rows, matcher, header_row)
        except FileProblem as problem:
            first_problem = first_problem or problem
            continue
        return delimiter, number, headers
    raise first_problem or FileProblem("empty_file")


# --- XLSX -----------------------------------------------------------------------------------
def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if value.time() != dt.time(0) else value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))  # Excel stores licence numbers and codes as numbers
    return str(value).strip()


def _open_xlsx(source: Source, chunk_size: int, matcher: HeaderMatcher | None,
               header_row: int | None) -> OpenedFile:
    from openpyxl import load_workbook

    stream = source.open()
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for damaged files
        stream.close()
        raise FileProblem("not_spreadsheet") from error
    rows = enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1)
    return _open_rows("xlsx", rows, chunk_size, matcher, header_row, closing=(workbook.close, stream.close))


def _open_rows(fmt: str, rows: Iterator[tuple[int, tuple]], chunk_size: int, matcher: HeaderMatcher | None,
               header_row: int | None, *, closing: tuple = (), encoding: str | None = None) -> OpenedFile:
    """Header search and chunking over numbered rows of cells (XLSX and HTML)."""
    def close() -> None:
        for action in closing:
            action()

    scanned: list[tuple[int, list[str]]] = []
    for number, values in rows:
        scanned.append((number, [_cell_text(v) for v in values]))
        if len(scanned) >= HEADER_SCAN:
            break
    try:
        number, header_cells = _find_header(scanned, matcher, header_row)
    except FileProblem:
        close()
        raise
    headers = _clean_headers(header_cells)
    width = len(headers)
    after = [(n, cells) for n, cells in scanned if n > number]

    def chunks() -> Iterator[pd.DataFrame]:
        buffer: list[list[str]] = []
        numbers: list[int] = []
        try:
            pending = ((n, cells) for n, cells in after)
            rest = ((n, [_cell_text(v) for v in values]) for n, values in rows)
            for source_rows in (pending, rest):
                for row_number, texts in source_rows:
                    texts = texts[:width]
                    if not any(texts):
                        continue
                    texts += [""] * (width - len(texts))
                    buffer.append(texts)
                    numbers.append(row_number)
                    if len(buffer) >= chunk_size:
                        yield _frame(buffer, numbers, headers)
                        buffer, numbers = [], []
            if buffer:
                yield _frame(buffer, numbers, headers)
        finally:
            close()

    return OpenedFile(fmt, encoding, headers, chunks(), header_row=number)


def _frame(buffer: list[list[str]], numbers: list[int], headers: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(buffer, columns=range(len(headers)), dtype=str)
    frame.columns = headers
    frame.insert(0, ROW_COLUMN, numbers)
    return frame


# --- HTML table saved as .xls -----------------------------------------------------------------
def _open_html(source: Source, chunk_size: int, matcher: HeaderMatcher | None,
               header_row: int | None) -> OpenedFile:
    """The largest <table> of a web page, one row per <tr> (row numbers as Excel shows them)."""
    import lxml.html

    encoding = file_encoding(source)
    with source.open() as stream:
        text = stream.read().decode(encoding)
    try:
        document = lxml.html.fromstring(text)
    except Exception as error:  # lxml raises several types for broken markup
        raise FileProblem("html_without_table") from error
    tables = document.xpath("//table")
    if not tables:
        raise FileProblem("html_without_table")
    table = max(tables, key=lambda tb: len(tb.xpath(".//tr")))

    def cells(row) -> list[str]:
        out: list[str] = []
        for cell in row.xpath("./td|./th"):
            out.append(" ".join(cell.text_content().split()))
            span = cell.get("colspan", "1")
            out += [""] * (int(span) - 1 if span.isdigit() and 1 < int(span) <= 100 else 0)
        return out

    rows = ((n, tuple(cells(tr))) for n, tr in enumerate(table.xpath(".//tr"), start=1))
    return _open_rows("html", rows, chunk_size, matcher, header_row, encoding=encoding)
