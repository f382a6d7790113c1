"""One encoding per text file, decided on the whole file, and the rows that do not fit it.

A file whose first rows are GBK and a later row UTF-8 decodes "successfully" as GB18030
(UTF-8 bytes of Chinese text are valid GB18030 byte pairs) and stores mojibake
("榫欏窛鏉傝揣搴楁柊" for "龙川杂货店新"). So the whole file is checked, line by line when it
is not pure UTF-8: a line is UTF-8 when its bytes decode as UTF-8 and it has non-ASCII
characters; GBK text practically never does. A file holding both kinds of lines is refused
with the row numbers of the minority; a line that decodes in neither is refused too.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import BinaryIO

from data_access.loaders.source import FileProblem, Source

BLOCK = 1 << 20
SHOWN_ROWS = 20  # rows named in a message; the count says how many there are


def _decodes_whole(source: Source, encoding: str, skip: int = 0) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    with source.open() as stream:
        stream.read(skip)
        try:
            for block in iter(lambda: stream.read(BLOCK), b""):
                decoder.decode(block, final=False)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _lines(stream: BinaryIO) -> Iterator[bytes]:
    """Physical lines (rows as a spreadsheet numbers them), without their line ends."""
    pending = b""
    for block in iter(lambda: stream.read(BLOCK), b""):
        parts = (pending + block).split(b"\n")
        pending = parts.pop()
        yield from parts
    if pending:
        yield pending


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _rows_text(rows: list[int]) -> str:
    shown = "、".join(str(r) for r in rows[:SHOWN_ROWS])
    return shown + (f" … ({len(rows)})" if len(rows) > SHOWN_ROWS else "")


def file_encoding(source: Source) -> str:
    """The one encoding of a text file; raises FileProblem naming the rows that do not fit."""
    head = source.head(4)
    if head.startswith(codecs.BOM_UTF8):
        if _decodes_whole(source, "utf-8", skip=3):
            return "utf-8-sig"
        return _refuse_rows(source, "utf-8", skip=3)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if _decodes_whole(source, "utf-16"):
            return "utf-16"
        raise FileProblem("bad_bytes_rows", encoding="UTF-16", rows="?")
    if b"\x00" in source.head():
        raise FileProblem("not_spreadsheet")
    if _decodes_whole(source, "utf-8"):
        return "utf-8"
    return _classify_lines(source)


def _refuse_rows(source: Source, encoding: str, skip: int = 0) -> str:
    bad = []
    with source.open() as stream:
        stream.read(skip)
        for number, line in enumerate(_lines(stream), start=1):
            try:
                line.decode(encoding)
            except UnicodeDecodeError:
                bad.append(number)
    raise FileProblem("bad_bytes_rows", encoding=encoding.upper(), rows=_rows_text(bad))


def _classify_lines(source: Source) -> str:
    """Not UTF-8 as a whole: GB18030 (⊃ GBK, GB2312) unless lines of other encodings are mixed in."""
    utf8_rows: list[int] = []
    other_rows: list[int] = []  # non-ASCII lines that are not UTF-8
    broken_rows: list[int] = []  # neither UTF-8 nor GB18030
    with source.open() as stream:
        for number, line in enumerate(_lines(stream), start=1):
            if line.isascii():
                continue
            if _is_utf8(line):
                utf8_rows.append(number)
                continue
            other_rows.append(number)
            try:
                line.decode("gb18030")
            except UnicodeDecodeError:
                broken_rows.append(number)
    if utf8_rows and other_rows:
        # The majority of non-ASCII lines is the file's encoding; on a tie, the first such line's
        # (usually the header row).
        file_is_utf8 = len(utf8_rows) > len(other_rows) or (
            len(utf8_rows) == len(other_rows) and utf8_rows[0] < other_rows[0])
        if not file_is_utf8:
            raise FileProblem("mixed_encoding", encoding="GBK/GB18030", other="UTF-8", rows=_rows_text(utf8_rows))
        raise FileProblem("mixed_encoding", encoding="UTF-8", other="GBK", rows=_rows_text(other_rows))
    if broken_rows:
        if len(broken_rows) == len(other_rows):  # nothing decodes: not a Chinese text file at all
            from charset_normalizer import from_bytes

            best = from_bytes(source.head()).best()
            if best is not None and _decodes_whole(source, best.encoding):
                return best.encoding
            raise FileProblem("unknown_encoding")
        raise FileProblem("bad_bytes_rows", encoding="GB18030", rows=_rows_text(broken_rows))
    return "gb18030"
