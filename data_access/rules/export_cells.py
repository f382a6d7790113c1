"""Formula injection ("CSV injection", OWASP) in exports: text from data never becomes a formula.

Spreadsheet programs treat a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in
some, tab or carriage return) as a formula: an imported shop name ``=HYPERLINK("http://…")``
or ``=cmd|' /C calc'!A0`` would run when a leader opens the export. In CSV such text is
prefixed with an apostrophe, which Excel and WPS show as plain text; a text cell that is a
plain number (``-12.5``, ``-3%``) is left alone, and numeric columns are never touched, so
real negative numbers stay numbers. Workbooks do not need this: ``components.export``
writes every string as a string cell.
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9][0-9,]*)?(?:\.[0-9]+)?%?")


def is_formula_like(text: str) -> bool:
    """Would a spreadsheet read this text cell as a formula?"""
    return text.startswith(FORMULA_TRIGGERS) and not (
        text[:1] in "+-" and any(c.isdigit() for c in text) and _PLAIN_NUMBER.fullmatch(text) is not None
    )


def neutralise_csv_cell(value: object) -> object:
    """``value`` with an apostrophe in front when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value
