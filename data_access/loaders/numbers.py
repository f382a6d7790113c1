"""Numbers in import files: one rule per file, with the decimal mark detected and stated.

A semicolon CSV from a European-locale Excel writes "522,00" for 522.00 and "1.200" for
1200; a Chinese export writes "1,200" (quoted in a comma CSV) for 1200. Each file gets one
:class:`NumberFormat`, decided once from the numeric cells of its first rows:

- a comma followed by other than three digits ("522,00", "1,5") or after dot groups
  ("1.234,5") shows a decimal comma; the same with a point shows a decimal point;
- with no such evidence the separator decides: ";" means decimal comma, anything else point.

Every numeric cell must then follow that rule exactly: thousands groups of three digits,
at most one decimal mark. "1,20" in a decimal-point file is refused, never read as 120.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]")
_CURRENCY = re.compile(r"^[¥￥]|元$")


@dataclass(frozen=True)
class NumberFormat:
    """Decimal mark and thousands separator of one file (``evidence``: detected or by the separator)."""

    decimal: str = "."
    thousands: str = ","
    detected: bool = False

    def pattern(self) -> str:
        d, t = re.escape(self.decimal), re.escape(self.thousands)
        exponent = r"(?:[eE][+-]?\d+)?" if self.decimal == "." else ""
        return rf"[+-]?(?:\d{{1,3}}(?:{t}\d{{3}})+|\d+)(?:{d}\d+)?{exponent}|[+-]?{d}\d+"


_COMMA_DECIMAL = re.compile(r"^[+-]?(?:\d+,(?:\d{1,2}|\d{4,})|\d{1,3}(?:\.\d{3})+,\d+|\d{1,3}(?:\.\d{3}){2,})$")
_POINT_DECIMAL = re.compile(r"^[+-]?(?:\d+\.(?:\d{1,2}|\d{4,})|\d{1,3}(?:,\d{3})+\.\d+|\d{1,3}(?:,\d{3}){2,})$")


def _clean(text: pd.Series) -> pd.Series:
    return text.str.replace(_SPACES, "", regex=True).str.replace(_CURRENCY, "", regex=True)


def detect_number_format(values: Iterable[str], delimiter: str | None) -> NumberFormat:
    """The file's number rule from sample numeric cells and the CSV separator (None for Excel)."""
    comma = point = 0
    for value in values:
        text = _SPACES.sub("", _CURRENCY.sub("", str(value)))
        if _COMMA_DECIMAL.match(text):
            comma += 1
        elif _POINT_DECIMAL.match(text):
            point += 1
    if comma and not point:
        return NumberFormat(",", ".", detected=True)
    if point and not comma:
        return NumberFormat(".", ",", detected=True)
    if delimiter == ";":
        return NumberFormat(",", ".", detected=False)
    return NumberFormat(".", ",", detected=False)


def parse_numbers(text: pd.Series, rule: NumberFormat) -> pd.Series:
    """Numbers under ``rule``; NaN where a non-empty cell does not follow it."""
    if rule.decimal == ".":
        fast = pd.to_numeric(text, errors="coerce")  # plain "10", "5000.5": no separators at all
        todo = fast.isna().to_numpy() & (text != "").to_numpy()
        if not todo.any():
            return fast.astype(float)
    else:
        fast = pd.Series(np.nan, index=text.index, dtype=float)
        todo = (text != "").to_numpy()
    rest = _clean(text[todo])
    valid = rest.str.fullmatch(rule.pattern()).fillna(False)
    plain = rest.str.replace(rule.thousands, "", regex=False)
    if rule.decimal != ".":
        plain = plain.str.replace(rule.decimal, ".", regex=False)
    parsed = pd.to_numeric(plain.where(valid), errors="coerce")
    out = fast.astype(float).copy()
    out[todo] = parsed.to_numpy(dtype=float)
    return out
