"""Date-range logic of the sales trends page (pure, no database): comparison ranges.

Year on year compares a range with "the same period last year". Two alignments:

- ``calendar``: the same calendar dates one year earlier (29 February becomes 28 February);
- ``festival``: the same days *relative to the Spring Festival*. The range is moved back by
  the distance between this year's festival and last year's, so "the 10 days before the
  festival" are compared with the 10 days before last year's festival. January and
  February year-on-year figures are meaningless otherwise (DOMAIN.md §4).

A third alignment, ``weekday``, moves the range back 364 days (52 weeks), so every day is
compared with the same weekday last year. Retailers order weekly on fixed weekdays, so a
daily line aligned by calendar date zig-zags; at day grain weekday alignment is the default.

Period on period (环比, DOMAIN.md §5) compares with the period just before. A *complete*
period (its data reaches its last day) compares with the complete previous period: a
whole month with the whole previous month, a quarter with the previous quarter, a year
with the previous year. Only a *running* period (data ends inside it) compares the same
number of elapsed days from the previous period's start, and the page says so.

A comparison (YoY or PoP) is shown only when its base range lies wholly inside the data
(:func:`comparison_covered`): a base that starts before the first day with data would be
compared against a stub. The rules are written down in docs/time_conventions.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from data_access.rules.calendar import add_months, month_end, shift_year, spring_festival

ALIGNMENTS = ("weekday", "calendar", "festival")
WEEKDAY_SHIFT_DAYS = 364  # 52 weeks: the same weekday one year earlier


@dataclass(frozen=True)
class DateRange:
    """An inclusive date range."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def default_alignment(grain: str) -> str:
    """Weekday alignment at day grain (weekly ordering makes calendar days zig-zag), else calendar."""
    return "weekday" if grain == "day" else "calendar"


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
    if alignment == "weekday":
        shift = dt.timedelta(days=WEEKDAY_SHIFT_DAYS)
        return DateRange(day_range.start - shift, day_range.end - shift)
    if alignment != "calendar":
        raise ValueError(f"unknown alignment: {alignment}")
    return DateRange(shift_year(day_range.start, -1), shift_year(day_range.end, -1))


def _whole_months(start: dt.date, end: dt.date) -> int | None:
    """Number of whole calendar months in ``start``..``end``, or None if it is not whole months."""
    if start.day != 1 or end != month_end(end):
        return None
    return (end.year - start.year) * 12 + end.month - start.month + 1


def is_running(nominal: DateRange, compared_end: dt.date) -> bool:
    """True when the data ends inside ``nominal`` (a running period), False when it is complete."""
    return compared_end < nominal.end


def previous_range(nominal: DateRange, compared_end: dt.date) -> DateRange:
    """Period-on-period base of ``nominal`` when data reaches ``compared_end``.

    Complete period: the complete previous period. Whole months go back by their number
    of months (September → all of August, Q3 → Q2, a year → the previous year); other
    ranges go back by their own length. Running period: the same number of elapsed days
    from the previous period's start (1–20 November → 1–20 October), never past its end.
    """
    running = is_running(nominal, compared_end)
    months = _whole_months(nominal.start, nominal.end)
    if months is not None:
        start = add_months(nominal.start, -months)
        full_end = add_months(start, months) - dt.timedelta(days=1)
        if not running:
            return DateRange(start, full_end)
        return DateRange(start, min(full_end, start + (compared_end - nominal.start)))
    length = dt.timedelta(days=nominal.days)
    return DateRange(nominal.start - length, (compared_end if running else nominal.end) - length)


def comparison_covered(base: DateRange, data_start: dt.date) -> bool:
    """The one rule for YoY and PoP: shown only when the base range lies wholly inside the data.

    A base starting before the first day with data would compare a whole period with a
    stub of one, so the page shows "—" and says why instead.
    """
    return base.start >= data_start


def months_touched(day_range: DateRange) -> tuple[dt.date, dt.date]:
    """First days of the first and last month the range touches (for monthly plans)."""
    return day_range.start.replace(day=1), day_range.end.replace(day=1)


def days_from_festival(day: dt.date) -> int:
    """Signed days from the Spring Festival of the same year (negative before it)."""
    return (day - spring_festival(day.year)).days
