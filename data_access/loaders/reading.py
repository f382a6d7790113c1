"""Reading import files: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030, UTF-16) and XLSX, in chunks.

Every cell is read as text; typing and validation happen in ``parsing``. Big CSVs stream
through ``pandas.read_csv(chunksize=...)`` and XLSX through openpyxl's read-only mode, so
memory stays bounded by the chunk size, not the file size.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pandas as pd

SAMPLE_BYTES = 256 * 1024
ROW_COLUMN = "_row"  # spreadsheet row number of each data row (header = row 1)


class FileProblem(Exception):
    """The file as a whole cannot be read; ``code`` names the problem (see messages)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Source:
    """An import file: a path on disk (CLI) or bytes (upload), with the name shown to users."""

    name: str
    path: Path | None = None
    data: bytes | None = None

    @classmethod
    def from_path(cls, path: str | Path) -> Source:
        path = Path(path)
        return cls(name=path.name, path=path)

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> Source:
        return cls(name=name, data=data)

    def open(self) -> BinaryIO:
        if self.path is not None:
            return open(self.path, "rb")
        return io.BytesIO(self.data or b"")

    def sha256(self) -> str:
        digest = hashlib.sha256()
        with self.open() as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()

    def head(self, size: int = SAMPLE_BYTES) -> bytes:
        with self.open() as stream:
            return stream.read(size)


_NOT_SPREADSHEET_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x7fELF", b"Rar!", b"\x1f\x8b", b"BM")


def detect_format(source: Source) -> str:
    """``xlsx`` or ``csv``; raises FileProblem for empty files and things that are no table."""
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
    return "csv"


def _decodes(sample: bytes, encoding: str) -> bool:
    # Incremental decoding: a multi-byte character cut at the end of the sample is fine.
    try:
        codecs.getincrementaldecoder(encoding)(errors="strict").decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(sample: bytes) -> str:
    """Encoding of a CSV from its first bytes: BOMs, then UTF-8, then GB18030 (⊃ GBK), then a guess."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample:
        raise FileProblem("not_spreadsheet")
    if _decodes(sample, "utf-8"):
        return "utf-8"
    if _decodes(sample, "gb18030"):
        return "gb18030"
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        raise FileProblem("unknown_encoding")
    return best.encoding


def _delimiter(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (",", "\t", ";", "|")}
    return max(counts, key=lambda sep: counts[sep]) if max(counts.values()) > 0 else ","


@dataclass
class OpenedFile:
    """A readable file: its headers and an iterator of text chunks with ``_row`` numbers."""

    format: str
    encoding: str | None
    headers: list[str]
    chunks: Iterator[pd.DataFrame]


def open_table(source: Source, *, chunk_size: int = 50_000) -> OpenedFile:
    """Open ``source`` for reading; raises FileProblem for files that are no readable table."""
    fmt = detect_format(source)
    if fmt == "xlsx":
        return _open_xlsx(source, chunk_size)
    return _open_csv(source, chunk_size)


def _open_csv(source: Source, chunk_size: int) -> OpenedFile:
    encoding = detect_encoding(source.head())
    stream = io.TextIOWrapper(source.open(), encoding=encoding, errors="strict", newline="")
    try:
        first_line = stream.readline()
    except UnicodeDecodeError as error:
        stream.close()
        raise FileProblem("unknown_encoding") from error
    delimiter = _delimiter(first_line)
    headers = next(csv.reader([first_line], delimiter=delimiter), [])
    headers = [h.strip() for h in headers]
    if not any(headers):
        stream.close()
        raise FileProblem("empty_file")

    def chunks() -> Iterator[pd.DataFrame]:
        next_row = 2
        try:
            reader = pd.read_csv(
                stream, sep=delimiter, header=None, names=headers, dtype=str, keep_default_na=False,
                # Blank lines are read (and dropped below) so row numbers stay the file's own.
                na_filter=False, chunksize=chunk_size, skip_blank_lines=False, engine="c",
                index_col=False,
            )
            for frame in reader:
                frame = frame.apply(lambda col: col.str.strip())
                frame.insert(0, ROW_COLUMN, range(next_row, next_row + len(frame)))
                next_row += len(frame)
                blank = frame.iloc[:, 1:].eq("").all(axis=1)
                if blank.any():
                    frame = frame[~blank]  # empty lines and rows of bare separators (",,,")
                if not frame.empty:
                    yield frame
        except UnicodeDecodeError as error:
            raise FileProblem("bad_bytes", row=next_row, encoding=encoding) from error
        except pd.errors.ParserError as error:
            raise FileProblem("malformed_csv", detail=str(error).strip()) from error
        finally:
            stream.close()

    return OpenedFile("csv", encoding, headers, chunks())


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


def _open_xlsx(source: Source, chunk_size: int) -> OpenedFile:
    from openpyxl import load_workbook

    stream = source.open()
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for damaged files
        stream.close()
        raise FileProblem("not_spreadsheet") from error
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    headers: list[str] = []
    header_row = 0
    for header_row, values in enumerate(rows, start=1):  # noqa: B007 - used after the loop
        texts = [_cell_text(v) for v in values]
        if any(texts):
            headers = texts
            break
    if not headers:
        workbook.close()
        stream.close()
        raise FileProblem("empty_file")
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)

    def chunks() -> Iterator[pd.DataFrame]:
        buffer: list[list[str]] = []
        numbers: list[int] = []
        try:
            for number, values in enumerate(rows, start=header_row + 1):
                texts = [_cell_text(v) for v in values[:width]]
                if not any(texts):
                    continue
                texts += [""] * (width - len(texts))
                buffer.append(texts)
                numbers.append(number)
                if len(buffer) >= chunk_size:
                    yield _frame(buffer, numbers, headers)
                    buffer, numbers = [], []
            if buffer:
                yield _frame(buffer, numbers, headers)
        finally:
            workbook.close()
            stream.close()

    return OpenedFile("xlsx", None, headers, chunks())


def _frame(buffer: list[list[str]], numbers: list[int], headers: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(buffer, columns=range(len(headers)), dtype=str)
    frame.columns = headers
    frame.insert(0, ROW_COLUMN, numbers)
    return frame
