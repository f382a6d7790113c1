"""Every day of 2025 and 2026 as "today" on the test county: the figures equal their definitions.

For each of the 730 days, the functions the overview and the sales page call (``feed_ends``,
``overview_kpis``, ``department_summary``, ``range_totals``, ``previous_range``,
``last_year_range``, ``comparison_covered``, ``metrics``) must give the completion, time
progress and growth DOMAIN.md §5 defines, recomputed here independently:

- sums straight from ``order_line`` (one GROUP BY per day, cumulated once in numpy), plans
  straight from ``department_plan``, working days straight from ``chinese_calendar``;
- comparison ranges by this file's own date arithmetic: YoY the same dates a year earlier;
  PoP the whole previous period when complete, the same elapsed days when running;
- a comparison shown only when its base starts on or after the first day with data.

Periods checked per day: the running month of the sales feed's last day and the last complete
month (the two candidates for the default view), plus the running quarter and year. Figures
depend on the day only through the sales feed's last day, so each distinct last day is
computed once (every day is still mapped to its own last day through ``feed_ends``).
"""

from __future__ import annotations

import datetime as dt
import math

import chinese_calendar
import numpy as np
import pandas as pd
import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session

from data_access.db import get_engine
from data_access.queries import feeds, overview
from data_access.queries import sales as sales_queries
from data_access.rules import metrics
from data_access.rules.sales_periods import DateRange, comparison_covered, last_year_range, previous_range

FIRST_TODAY, LAST_TODAY = dt.date(2025, 1, 1), dt.date(2026, 12, 31)
ORIGIN = dt.date(2023, 1, 1)  # the independent day index starts well before any comparison range


class Raw:
    """Independent sums over any date range from ``order_line`` and plans from ``department_plan``."""

    def __init__(self, url: str) -> None:
        engine = create_engine(url)
        with engine.connect() as conn:
            daily = pd.read_sql(text(
                "SELECT order_date AS day, SUM(cartons) AS cartons, SUM(amount) AS amount, SUM(cost) AS cost "
                "FROM order_line GROUP BY order_date"), conn)
            by_dept = pd.read_sql(text(
                "SELECT ol.order_date AS day, cm.department_id AS department_id, SUM(ol.cartons) AS cartons "
                "FROM order_line ol JOIN retailer r ON r.id = ol.retailer_id "
                "JOIN customer_manager cm ON cm.id = r.manager_id GROUP BY ol.order_date, cm.department_id"), conn)
            self.plans = pd.read_sql(text("SELECT month, department_id, planned_cases FROM department_plan"), conn)
        engine.dispose()
        days = pd.to_datetime(daily["day"]).dt.date
        self.sales_days = sorted(days)
        self.first_day = self.sales_days[0]
        size = (dt.date(2027, 12, 31) - ORIGIN).days + 1
        self.cum = {}
        for column in ("cartons", "amount", "cost"):
            values = np.zeros(size)
            np.add.at(values, [(d - ORIGIN).days for d in days], daily[column].to_numpy(dtype=float))
            self.cum[column] = np.concatenate([[0.0], np.cumsum(values)])
        self.dept_cum = {}
        dept_days = pd.to_datetime(by_dept["day"]).dt.date
        for dept, rows in by_dept.groupby("department_id"):
            values = np.zeros(size)
            np.add.at(values, [(d - ORIGIN).days for d in dept_days[rows.index]], rows["cartons"].to_numpy(float))
            self.dept_cum[int(dept)] = np.concatenate([[0.0], np.cumsum(values)])
        self.plans["month"] = pd.to_datetime(self.plans["month"]).dt.date
        workdays = chinese_calendar.get_workdays(ORIGIN, dt.date(2026, 12, 31))
        flags = np.zeros(size)
        flags[[(d - ORIGIN).days for d in workdays]] = 1.0
        self.workday_cum = np.concatenate([[0.0], np.cumsum(flags)])

    def total(self, column: str, start: dt.date, end: dt.date) -> float:
        return float(self.cum[column][(end - ORIGIN).days + 1] - self.cum[column][(start - ORIGIN).days])

    def dept_cartons(self, dept: int, start: dt.date, end: dt.date) -> float:
        cum = self.dept_cum.get(dept)
        return 0.0 if cum is None else float(cum[(end - ORIGIN).days + 1] - cum[(start - ORIGIN).days])

    def planned(self, first_month: dt.date, last_month: dt.date, dept: int | None = None) -> float | None:
        rows = self.plans[(self.plans["month"] >= first_month) & (self.plans["month"] <= last_month)]
        if dept is not None:
            rows = rows[rows["department_id"] == dept]
        return None if rows.empty else float(rows["planned_cases"].sum())

    def working_days(self, start: dt.date, end: dt.date) -> float:
        if end < start:
            return 0.0
        return float(self.workday_cum[(end - ORIGIN).days + 1] - self.workday_cum[(start - ORIGIN).days])

    def last_sales_day(self, today: dt.date) -> dt.date | None:
        before = [d for d in self.sales_days if d <= today]
        return before[-1] if before else None


# --- independent definitions ----------------------------------------------------------------------
def _months_back(day: dt.date, months: int) -> dt.date:
    return (pd.Timestamp(day) - pd.DateOffset(months=months)).date()


def _a_year_earlier(day: dt.date) -> dt.date:
    return (pd.Timestamp(day) - pd.DateOffset(years=1)).date()  # 29 Feb → 28 Feb


def _expected_previous(start: dt.date, end: dt.date, months: int, data_end: dt.date) -> tuple[dt.date, dt.date]:
    previous_start = _months_back(start, months)
    previous_last = start - dt.timedelta(days=1)
    if data_end >= end:  # complete: the whole previous period
        return previous_start, previous_last
    return previous_start, min(previous_last, previous_start + (data_end - start))


def _growth(now: float, base: float) -> float | None:
    return None if base == 0 else now / base - 1


def _same(actual: float | None, expected: float | None, what: str) -> None:
    if expected is None or (isinstance(expected, float) and math.isnan(expected)):
        assert actual is None or (isinstance(actual, float) and math.isnan(actual)), what
    else:
        assert actual == pytest.approx(expected, rel=1e-9, abs=1e-9), what


def _status(completion: float, progress: float) -> str:
    shown_c, shown_p = float(f"{completion * 100:.1f}"), float(f"{progress * 100:.1f}")
    return "ahead" if shown_c > shown_p else "on_pace" if shown_c == shown_p else "behind"


def _check_period(session: Session, raw: Raw, start: dt.date, end: dt.date, months: int, data_end: dt.date,
                  data_start: dt.date, *, departments: bool) -> None:
    label = f"{start}..{end} as of {data_end}"
    until = min(end, data_end)
    kpis = overview.overview_kpis(session=session, period_start=start, period_end=end, data_end=data_end)
    # Ranges: the page's functions against this file's definitions.
    yoy_range = (_a_year_earlier(start), _a_year_earlier(until))
    pop_range = _expected_previous(start, end, months, data_end)
    assert (kpis["last_year_range"].start, kpis["last_year_range"].end) == yoy_range, label
    assert (kpis["previous_range"].start, kpis["previous_range"].end) == pop_range, label
    sales_page_previous = previous_range(DateRange(start, end), until)
    sales_page_base = last_year_range(DateRange(start, until), "calendar")
    assert (sales_page_previous.start, sales_page_previous.end) == pop_range, label
    assert (sales_page_base.start, sales_page_base.end) == yoy_range, label
    # Sums: overview and sales page against order_line.
    now = {c: raw.total(c, start, until) for c in ("cartons", "amount", "cost")}
    base = {c: raw.total(c, *yoy_range) for c in ("cartons", "amount", "cost")}
    before = {c: raw.total(c, *pop_range) for c in ("cartons", "amount", "cost")}
    for part, expected, rng in (("current", now, (start, until)), ("last_year", base, yoy_range),
                                ("previous", before, pop_range)):
        page_sums = sales_queries.range_totals(session=session, start=rng[0], end=rng[1])
        for column in ("cartons", "amount", "cost"):
            assert kpis[part][column] == pytest.approx(expected[column], rel=1e-9, abs=1e-6), (label, part, column)
            assert page_sums[column] == pytest.approx(expected[column], rel=1e-9, abs=1e-6), (label, part, column)
    # Growth as shown: only when the base lies inside the data (one rule on both pages).
    yoy_shown, pop_shown = yoy_range[0] >= raw.first_day, pop_range[0] >= raw.first_day
    assert comparison_covered(kpis["last_year_range"], data_start) == yoy_shown, label
    assert comparison_covered(kpis["previous_range"], data_start) == pop_shown, label
    for column in ("cartons", "amount"):
        _same(metrics.growth(kpis["current"][column], kpis["last_year"][column]),
              _growth(now[column], base[column]), f"{label} YoY {column}")
        _same(metrics.growth(kpis["current"][column], kpis["previous"][column]),
              _growth(now[column], before[column]), f"{label} PoP {column}")
    if base["cartons"] and now["cartons"]:
        _same(metrics.growth(metrics.per_case_value(kpis["current"]["amount"], kpis["current"]["cartons"]),
                             metrics.per_case_value(kpis["last_year"]["amount"], kpis["last_year"]["cartons"])),
              (now["amount"] / (now["cartons"] / 250)) / (base["amount"] / (base["cartons"] / 250)) - 1,
              f"{label} YoY per-case value")
    if base["amount"] and now["amount"]:
        _same(metrics.gross_margin(kpis["current"]["amount"], kpis["current"]["cost"])
              - metrics.gross_margin(kpis["last_year"]["amount"], kpis["last_year"]["cost"]),
              (now["amount"] - now["cost"]) / now["amount"] - (base["amount"] - base["cost"]) / base["amount"],
              f"{label} YoY margin")
    # Completion and time progress (elapsed working days / working days of the period).
    progress = metrics.time_progress(start, end, data_end)
    expected_progress = raw.working_days(start, until) / raw.working_days(start, end)
    _same(progress, expected_progress, f"{label} time progress")
    planned = raw.planned(start, end.replace(day=1))
    completion = metrics.plan_completion(metrics.cases(kpis["current"]["cartons"]), kpis["planned_cases"])
    _same(completion, None if planned is None else now["cartons"] / 250 / planned, f"{label} completion")
    if completion is not None:
        assert metrics.pace(completion, progress).status == _status(completion, progress), label
    if departments:
        table = overview.department_summary(session=session, start=start, end=until, first_month=start,
                                            last_month=end.replace(day=1))
        for row in table.itertuples():
            dept = int(row.department_id)
            dept_plan = raw.planned(start, end.replace(day=1), dept)
            dept_completion = metrics.plan_completion(metrics.cases(float(row.cartons)), row.planned_cases)
            expected = None if dept_plan is None else raw.dept_cartons(dept, start, until) / 250 / dept_plan
            _same(None if pd.isna(dept_completion) else dept_completion, expected, f"{label} dept {row.code}")


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def test_every_day_of_2025_and_2026(sample_db_url: str) -> None:
    raw = Raw(sample_db_url)
    engine = get_engine(sample_db_url)
    checked: set[dt.date] = set()
    days_with_data = 0
    with Session(engine) as session:
        data_start = feeds.first_sales_day(session=session)
        assert data_start == raw.first_day
        today = FIRST_TODAY
        while today <= LAST_TODAY:
            data_end = feeds.feed_ends(session=session, today=today).sales
            assert data_end == raw.last_sales_day(today), today
            if data_end is not None:
                days_with_data += 1
            if data_end is not None and data_end not in checked:
                checked.add(data_end)
                month_start = data_end.replace(day=1)
                month_end = (pd.Timestamp(month_start) + pd.offsets.MonthEnd(0)).date()
                # The running month of the last sales day: never an empty default view.
                assert raw.total("cartons", month_start, data_end) > 0, data_end
                _check_period(session, raw, month_start, month_end, 1, data_end, data_start, departments=True)
                last_complete = _months_back(month_start, 1)
                if last_complete >= data_start.replace(day=1):
                    _check_period(session, raw, last_complete, month_start - dt.timedelta(days=1), 1, data_end,
                                  data_start, departments=False)
                if len(checked) % 7 == 1:  # quarters and years on a sample of the days (they move slowly)
                    quarter = _quarter_start(data_end)
                    _check_period(session, raw, quarter, (pd.Timestamp(quarter) + pd.offsets.QuarterEnd(0)).date(),
                                  3, data_end, data_start, departments=False)
                    _check_period(session, raw, dt.date(data_end.year, 1, 1), dt.date(data_end.year, 12, 31), 12,
                                  data_end, data_start, departments=False)
            today += dt.timedelta(days=1)
    # The test county: data from October 2025 to 20 November 2026; every later day sees 20 November.
    assert days_with_data == (LAST_TODAY - data_start).days + 1
    assert len(checked) > 200
