"""Dates in import files: the accepted spellings and the plausible window (docs/hardening.md).

Only spellings with a four-digit year are accepted, year first: ``2026-11-03``,
``2026/11/03``, ``2026.11.03``, ``2026年11月3日``, ``20261103`` (and for months ``2026-11``,
``2026/11``, ``2026年11月``, ``202611``); datetimes add ``09:05`` or ``09:05:00``. Anything
else ("11-03", "1103", "26-11-3", "3/11/26", "Nov 3") is refused rather than guessed.

Every parsed date must then lie in a window: not before the company's first data year and
not after "today" plus a few days (configuration ``import_date_window``; "today" is a
parameter). Plan and forecast months may lie further ahead; licence dates further back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from data_access import clock

# What the messages show as accepted spellings.
DATE_EXAMPLES = "2026-11-03、2026/11/03、2026年11月3日、20261103"
MONTH_EXAMPLES = "2026-11、2026/11、2026年11月、202611"
DATETIME_EXAMPLES = "2026-11-03 09:05、2026-11-03 09:05:00"
EXAMPLES = {"date": DATE_EXAMPLES, "month": MONTH_EXAMPLES, "datetime": DATETIME_EXAMPLES}

# Windows a column may use (ColumnSpec.window): facts (orders, visits, GPS, scores) may not
# lie ahead; plans and forecasts may; a licence may predate the first data year.
WINDOWS = ("fact", "plan", "history")
HISTORY_FIRST_YEAR = 1949


@dataclass(frozen=True)
class DateWindow:
    """Earliest and latest acceptable day for each kind of window, from configuration and today."""

    first_year: int
    today: dt.date
    future_days: int
    plan_future_days: int

    @classmethod
    def from_config(cls, config: Mapping[str, Any], today: dt.date | None = None) -> DateWindow:
        return cls(first_year=int(config["first_year"]), today=clock.today(today),
                   future_days=int(config["future_days"]), plan_future_days=int(config["plan_future_days"]))

    def bounds(self, window: str) -> tuple[dt.date, dt.date]:
        first = HISTORY_FIRST_YEAR if window == "history" else self.first_year
        ahead = self.plan_future_days if window == "plan" else self.future_days
        return dt.date(first, 1, 1), self.today + dt.timedelta(days=ahead)


_CANONICAL = {
    "date": r"\d{4}-\d{1,2}-\d{1,2}",
    "month": r"\d{4}-\d{1,2}(?:-\d{1,2})?",
    "datetime": r"\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?",
}
_FORMATS = {
    "date": ("%Y-%m-%d",),
    "month": ("%Y-%m", "%Y-%m-%d"),
    "datetime": ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S.%f"),
}


def _normalise(text: pd.Series, kind: str) -> pd.Series:
    """Year-first spellings rewritten as ``YYYY-M-D[ H:MM[:SS]]``; other text left as it is."""
    norm = (
        text.str.strip()
        .str.replace(r"^(\d{4})\s*[./年-]\s*(\d{1,2})\s*[./月-]\s*(\d{1,2})(?:\s*日)?", r"\1-\2-\3", regex=True)
        .str.replace(r"^(\d{4})\s*[./年-]\s*(\d{1,2})\s*月?$", r"\1-\2", regex=True)
        .str.replace(r"^(\d{4})(\d{2})(\d{2})(?=$|[ T])", r"\1-\2-\3", regex=True)
        .str.replace(r"^(\d{4}-\d{1,2}-\d{1,2})T", r"\1 ", regex=True)
        .str.replace(r"\s+", " ", regex=True)
    )
    if kind == "month":
        norm = norm.str.replace(r"^(\d{4})(\d{2})$", r"\1-\2", regex=True)
    if kind in ("date", "month"):  # Excel writes dates as midnight datetimes
        norm = norm.str.replace(r"^(\d{4}-\d{1,2}-\d{1,2}) 0{1,2}:00(:00(\.0+)?)?$", r"\1", regex=True)
    return norm


def parse_dates(text: pd.Series, kind: str, bounds: tuple[dt.date, dt.date]) -> tuple[pd.Series, list]:
    """Parsed values (NaT where refused) and the problems: (code, row mask, params).

    ``bad_{kind}``: not an accepted spelling or not a calendar date; ``date_out_of_range``:
    outside ``bounds`` (inclusive). Months are compared by their first day.
    """
    empty = (text == "").to_numpy()
    norm = _normalise(text, kind)
    spelled = norm.str.fullmatch(_CANONICAL[kind]).fillna(False).to_numpy() & ~empty
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    todo = pd.Series(spelled, index=text.index)
    for fmt in _FORMATS[kind]:
        if not todo.any():
            break
        attempt = pd.to_datetime(norm[todo], format=fmt, errors="coerce")
        parsed[todo] = attempt.astype("datetime64[us]")
        todo = todo & parsed.isna()
    if kind == "month":
        parsed = parsed.dt.to_period("M").dt.to_timestamp().astype("datetime64[us]")
    earliest, latest = (pd.Timestamp(b) for b in bounds)
    known = parsed.notna().to_numpy()
    day = parsed.dt.normalize()
    outside = known & ((day < earliest) | (day > latest)).fillna(False).to_numpy()
    # A well-spelled date pandas cannot hold (year 1, 9999) is out of the window too.
    years = pd.to_numeric(norm.str[:4], errors="coerce").to_numpy()
    impossible_year = spelled & ~known & ((years < earliest.year) | (years > latest.year))
    outside |= impossible_year
    bad = ~empty & ~known & ~impossible_year
    window = {"earliest": earliest.strftime("%Y-%m-%d"), "latest": latest.strftime("%Y-%m-%d")}
    problems = [
        (f"bad_{kind}", bad, {"examples": EXAMPLES[kind]}),
        ("date_out_of_range", outside, window),
    ]
    parsed = parsed.where(~pd.Series(outside, index=parsed.index))
    return parsed, problems
