"""Every page on the days leaders open the dashboard most (issue 13, "How to prove it").

Each day pins "today" (DASHBOARD_TODAY) on the one sample county, which cuts every feed there:
no exception, no error box, no empty default view, the overview opens on the default period
(last complete month while the running one is young) and its volume equals the raw order lines
(benchmarks/sweep_days.py holds the checks). A representative set keeps CI fast: 1 January,
Spring Festival week, 1st / 2nd / last day of months (weekend, holiday and working-day cases).
The every-day sweep is `python -m benchmarks.sweep_days` (docs/time_conventions.md).
"""

from __future__ import annotations

import datetime as dt

import pytest

from benchmarks.sweep_days import check_day

DAYS = [
    dt.date(2026, 1, 1),    # New Year's Day: a holiday 1st; December is the default
    dt.date(2026, 2, 18),   # Spring Festival week (festival 17 Feb 2026): no orders for days
    dt.date(2026, 3, 1),    # a Sunday 1st
    dt.date(2026, 3, 2),    # Monday 2nd: one working day of March → February by default
    dt.date(2026, 6, 30),   # the last day of a month
    dt.date(2026, 10, 1),   # National Day 1st (holiday to the 8th)
    dt.date(2026, 11, 2),   # Monday 2nd of the county's last month
]


@pytest.mark.parametrize("day", DAYS, ids=[d.isoformat() for d in DAYS])
def test_every_page_on_a_day_that_matters(sample_db_url: str, day: dt.date) -> None:
    assert check_day(sample_db_url, day) == []
