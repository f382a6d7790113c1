"""Date-range logic of the sales trends page (pure, no database): comparison ranges.

Year on year compares a range with "the same period last year". Two alignments:

- ``calendar``: the same calendar dates one year earlier (29 February becomes 28 February);
- ``festival``: the same days *relative to the Spring Festival*. The range is moved back by
  the distance between this year's festival and last year's, so "the 10 days before the
  festival" are compared with the 10 days before last year's festival. January and
  February year-on-year figures are meaningless otherwise (DOMAIN.md §4).

Period on period compares with the range just before: the previous whole months when the
range is made of whole months, otherwise the same number of days just before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from data_access.rules.calendar import add_months, month_end, shift_year, spring_festival

ALIGNMENTS = ("calendar", "festival")


@dataclass(frozen=True)
class DateRange:
    """An inclusive date range."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def festival_year(day_range: DateRange) -> int:
    """The year whose Spring Festival the range is aligned on: the festival nearest its middle."""
    middle = day_range.start + (day_range.end - day_range.start) / 2
    return min((middle.year - 1, middle.year, middle.year + 1), key=lambda y: abs((spring_festival(y) - middle).days))


def festival_shift_days(day_range: DateRange) -> int:
    """Days between the aligning year's Spring Festival and the previous year's (e.g. 2026: 19)."""
    year = festival_year(day_range)
    return (spring_festival(year) - spring_festival(year - 1)).days


def last_year_range(day_range: DateRange, alignment: str, *, festival_of: DateRange | None = None) -> DateRange:
    """The year-on-year base of ``day_range`` under ``alignment`` (``calendar`` or ``festival``).

    ``festival_of`` picks the festival year from another range (the nominal range when
    ``day_range`` is its part with data), so a partial range moves like the whole one.
    """
    if alignment == "festival":
        shift = dt.timedelta(days=festival_shift_days(festival_of or day_range))
        return DateRange(day_range.start - shift, day_range.end - shift)
    if alignment != "calendar":
        raise ValueError(f"unknown alignment: {alignment}")
    return DateRange(shift_year(day_range.start, -1), shift_year(day_range.end, -1))


def _whole_months(start: dt.date, end: dt.date) -> int | None:
    """Number of whole calendar months in ``start``..``end``, or None if it is not whole months."""
    if start.day != 1 or end != month_end(end):
        return None
    return (end.year - start.year) * 12 + end.month - start.month + 1


def previous_range(nominal: DateRange, compared_end: dt.date) -> DateRange:
    """Period-on-period base of ``nominal`` when data reaches ``compared_end`` (like for like).

    Whole months go back by their number of months; a partial last month compares the same
    number of days from the previous start. Other ranges go back by their own length.
    """
    months = _whole_months(nominal.start, nominal.end)
    if months is not None:
        start = add_months(nominal.start, -months)
        full_end = add_months(start, months) - dt.timedelta(days=1)
        return DateRange(start, min(full_end, start + (compared_end - nominal.start)))
    length = dt.timedelta(days=nominal.days)
    return DateRange(nominal.start - length, compared_end - length)


def months_touched(day_range: DateRange) -> tuple[dt.date, dt.date]:
    """First days of the first and last month the range touches (for monthly plans)."""
    return day_range.start.replace(day=1), day_range.end.replace(day=1)


def days_from_festival(day: dt.date) -> int:
    """Signed days from the Spring Festival of the same year (negative before it)."""
    return (day - spring_festival(day.year)).days
