"""Chinese working days, Spring Festival dates and reporting periods.

Working days follow the State Council holiday schedule (``chinesecalendar``), including
make-up working days on weekends. For a year the library does not know yet (schedules are
published each November for the next year) we fall back to Monday–Friday and say so via
:func:`schedule_is_official`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar
from lunardate import LunarDate


def schedule_is_official(year: int) -> bool:
    """True when the official holiday schedule of ``year`` is known."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=4096)
def is_working_day(day: dt.date) -> bool:
    """Official working day (holidays off, make-up weekend days on)."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Working days in the inclusive range ``start``..``end``."""
    days = []
    day = start
    while day <= end:
        if is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def count_working_days(start: dt.date, end: dt.date) -> int:
    return len(working_days(start, end)) if end >= start else 0


def default_month(data_end: dt.date, *, min_working_days: int) -> dt.date:
    """First day of the month a page opens on, given the sales feed's last day.

    The month of ``data_end``, unless it is still running and holds fewer than
    ``min_working_days`` working days of data: then the last complete month (on 1 December
    with sales to 1 December, November, not a one-day December).
    """
    start = month_start(data_end)
    if data_end >= month_end(data_end) or count_working_days(start, data_end) >= min_working_days:
        return start
    return add_months(start, -1)


@lru_cache(maxsize=64)
def spring_festival(year: int) -> dt.date:
    """Date of the Spring Festival (lunar new year's day, 正月初一) in ``year``."""
    return LunarDate(year, 1, 1).to_solar_date()


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    # monthrange, not "first of next month - 1": December 9999 has no next month.
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """First day of the month ``months`` after the month of ``day``."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def shift_year(day: dt.date, years: int) -> dt.date:
    """Same calendar day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Period:
    """A reporting period: a month (``2026-11``), a quarter (``2026-Q4``) or a year (``2026``).

    ``start``/``end`` are the full calendar bounds; the data may end earlier (partial period).
    """

    kind: str  # "month" | "quarter" | "year"
    start: dt.date
    end: dt.date

    @property
    def token(self) -> str:
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}"

    def previous(self) -> Period:
        """The period just before (环比 base): previous month, quarter or year."""
        months = {"month": 1, "quarter": 3, "year": 12}[self.kind]
        start = add_months(self.start, -months)
        return Period(self.kind, start, add_months(start, months) - dt.timedelta(days=1))

    def last_year(self) -> Period:
        """The same period one year earlier (同比 base)."""
        start = shift_year(self.start, -1)
        months = {"month": 1, "quarter": 3, "year": 12}[self.kind]
        return Period(self.kind, start, add_months(start, months) - dt.timedelta(days=1))

    def clipped_end(self, data_end: dt.date) -> dt.date:
        """Last day with data inside the period."""
        return min(self.end, data_end)

    def is_partial(self, data_end: dt.date) -> bool:
        return self.start <= data_end < self.end

    def is_future(self, data_end: dt.date) -> bool:
        return self.start > data_end


_PERIOD_RE = re.compile(r"^(\d{4})(?:-(\d{2})|-Q([1-4]))?$")


def parse_period(token: str) -> Period:
    """Parse ``YYYY-MM``, ``YYYY-Qn`` or ``YYYY``; raises ``ValueError`` on anything else."""
    match = _PERIOD_RE.match(token.strip())
    if not match:
        raise ValueError(f"not a period: {token!r}")
    year = int(match.group(1))
    if not 2000 <= year <= 2100:
        raise ValueError(f"year out of range: {token!r}")
    if match.group(2):
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"month out of range: {token!r}")
        start = dt.date(year, month, 1)
        return Period("month", start, month_end(start))
    if match.group(3):
        quarter = int(match.group(3))
        start = dt.date(year, 3 * quarter - 2, 1)
        return Period("quarter", start, add_months(start, 3) - dt.timedelta(days=1))
    return Period("year", dt.date(year, 1, 1), dt.date(year, 12, 31))


def month_period(day: dt.date) -> Period:
    start = month_start(day)
    return Period("month", start, month_end(start))
