"""Injectable "today" and each feed's last day (issue 13, groundwork for findings 2, 3, 6 and 9).

The sample county (test scale, generated to 2026-11-20) has sales to 20 November, visits and
GPS fixes to 19 November, inspections and POS reconciliations to November. Pinning "today"
earlier cuts every feed there: one county serves every day of the calendar.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlmodel import Session

from data_access import clock
from data_access.db import get_engine
from data_access.queries.feeds import feed_ends, first_sales_day


def _ends(url: str, **kwargs):
    with Session(get_engine(url)) as session:
        return feed_ends(session=session, **kwargs)


def _scalar(url: str, sql: str, **params):
    with get_engine(url).connect() as conn:
        return conn.execute(text(sql), params).scalar()


def test_feed_ends_match_the_raw_tables(sample_db_url: str) -> None:
    ends = _ends(sample_db_url, today=dt.date(2026, 12, 7))
    assert ends.sales == dt.date(2026, 11, 20)
    assert ends.visits == dt.date(2026, 11, 19)
    assert ends.gps == dt.date(2026, 11, 19)
    assert str(ends.gps_at) == _scalar(sample_db_url, "SELECT MAX(recorded_at) FROM gps_point")[:19]
    assert ends.inspections == dt.date(2026, 11, 1)
    assert ends.pos == dt.date(2026, 11, 1)
    assert ends.differs_from_sales() == {"visits": dt.date(2026, 11, 19), "gps": dt.date(2026, 11, 19)}
    with Session(get_engine(sample_db_url)) as session:
        assert first_sales_day(session=session) == dt.date.fromisoformat(
            _scalar(sample_db_url, "SELECT MIN(sale_date) FROM sales_daily"))


def test_feeds_never_run_past_today(sample_db_url: str) -> None:
    today = dt.date(2026, 11, 1)  # a Sunday: orders and visits stop on Friday the 30th of October
    ends = _ends(sample_db_url, today=today)
    assert ends.today == today
    assert ends.sales == dt.date.fromisoformat(
        _scalar(sample_db_url, "SELECT MAX(sale_date) FROM sales_daily WHERE sale_date <= :d", d="2026-11-01"))
    assert ends.visits == dt.date.fromisoformat(
        _scalar(sample_db_url, "SELECT MAX(visit_date) FROM visit WHERE visit_date <= :d", d="2026-11-01"))
    assert ends.sales <= today and ends.visits <= today and ends.gps <= today
    # November's inspections count as they are entered; POS reconciles complete months only.
    assert ends.inspections == dt.date(2026, 11, 1) and ends.pos == dt.date(2026, 10, 1)
    assert _ends(sample_db_url, today=dt.date(2026, 10, 31)).pos == dt.date(2026, 9, 1)


def test_gps_feed_stops_at_now_at_night(sample_db_url: str) -> None:
    # 02:30 on 19 November: no fix of the 19th has been recorded yet, the last one is the 18th's.
    ends = _ends(sample_db_url, today=dt.date(2026, 11, 19), now=dt.datetime(2026, 11, 19, 2, 30))
    assert ends.gps == dt.date(2026, 11, 18)
    assert ends.gps_at == dt.datetime.fromisoformat(_scalar(
        sample_db_url, "SELECT MAX(recorded_at) FROM gps_point WHERE recorded_at < '2026-11-19'")[:19])


def test_clock_defaults_to_the_machine_and_is_pinned_by_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(clock.TODAY_ENV, raising=False)
    assert clock.today() == dt.date.today()
    assert not clock.is_pinned()
    monkeypatch.setenv(clock.TODAY_ENV, "2026-12-01")
    assert clock.today() == dt.date(2026, 12, 1)
    assert clock.now() == dt.datetime(2026, 12, 1, 23, 59, 59)  # a pinned date: the whole day is recorded
    assert clock.today(dt.date(2025, 1, 1)) == dt.date(2025, 1, 1)  # the parameter wins
    monkeypatch.setenv(clock.TODAY_ENV, "2026-12-01T02:30")
    assert clock.now() == dt.datetime(2026, 12, 1, 2, 30)
    assert clock.today() == dt.date(2026, 12, 1)
    monkeypatch.setenv(clock.TODAY_ENV, "first of December")
    assert clock.today() == dt.date.today() and not clock.is_pinned()


def test_pinned_today_moves_the_pages_data_end(app_factory, sample_db_url: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.TODAY_ENV, "2026-10-14")
    at = app_factory(sample_db_url)
    assert not at.exception
    last = _scalar(sample_db_url, "SELECT MAX(sale_date) FROM sales_daily WHERE sale_date <= '2026-10-14'")
    day = dt.date.fromisoformat(last)
    assert any(f"数据截至 {day.year}年{day.month}月{day.day}日" in c.value for c in at.caption)
    assert at.sidebar.selectbox[0].value == "2026-10"  # no November in the period list
    assert "2026-11" not in at.sidebar.selectbox[0].options
