"""Default period on the first days of a month (issue 13, finding 6), hand-worked.

Written before the fix: on the old code every page opened on the month of the last sales day,
so on 1 December the overview showed a one-day December (4.1 % completion) and routes "没有走访记录".
"""

from __future__ import annotations

import datetime as dt

import pytest

from data_access import clock
from data_access.rules.calendar import default_month


@pytest.mark.parametrize(("data_end", "expected"), [
    (dt.date(2026, 12, 1), dt.date(2026, 11, 1)),   # Tue 1 Dec: 1 working day < 3 → November
    (dt.date(2026, 12, 2), dt.date(2026, 11, 1)),   # 2 working days
    (dt.date(2026, 12, 3), dt.date(2026, 12, 1)),   # Thu 3 Dec: 3 working days → December
    (dt.date(2026, 11, 30), dt.date(2026, 11, 1)),  # a complete month is always itself
    (dt.date(2027, 1, 1), dt.date(2026, 12, 1)),    # New Year's Day: no working day yet → December
    (dt.date(2026, 10, 8), dt.date(2026, 9, 1)),    # after the National Day holiday: too few working days
    (dt.date(2026, 2, 28), dt.date(2026, 2, 1)),    # Spring Festival month, complete
])
def test_default_month(data_end: dt.date, expected: dt.date) -> None:
    assert default_month(data_end, min_working_days=3) == expected


def test_threshold_is_configurable() -> None:
    assert default_month(dt.date(2026, 12, 1), min_working_days=1) == dt.date(2026, 12, 1)


def _period_box(at):
    return next(box for box in at.sidebar.selectbox if box.key == "flt_period")


def test_overview_opens_on_the_last_complete_month_with_a_switch(app_factory, sample_db_url: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # Sample county: orders on Mon 2 and Tue 3 November 2026; today pinned to Tue 3 November.
    monkeypatch.setenv(clock.TODAY_ENV, "2026-11-03")
    at = app_factory(sample_db_url)
    assert not at.exception, at.exception
    assert _period_box(at).value == "2026-10"
    assert at.query_params["period"] == ["2026-10"] or at.query_params["period"] == "2026-10"
    switch = next(b for b in at.sidebar.button if b.key == "flt_running")
    assert "2026年11月" in switch.label
    switch.click().run()
    assert not at.exception, at.exception
    assert _period_box(at).value == "2026-11"
    assert not [b for b in at.sidebar.button if b.key == "flt_running"]  # switched: the button goes


def test_url_period_still_wins(app_factory, sample_db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.TODAY_ENV, "2026-11-03")
    at = app_factory(sample_db_url, params={"period": "2026-11"})
    assert _period_box(at).value == "2026-11"


def test_routes_open_on_the_latest_day_with_visits(app_factory, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    # tests/time_feeds_factory.py: sales to 1 December, visits to 30 November (MB at RB1). The
    # running month chosen on 1 December: the day view opens on MB's latest day with visits
    # (30 November) instead of "没有走访记录".
    from tests.time_feeds_factory import feeds_database

    url = feeds_database(tmp_path)
    monkeypatch.setenv(clock.TODAY_ENV, "2026-12-01")
    at = app_factory(url, page="pages/routes.py", params={"period": "2026-12", "rt_mgr": "MB"})
    assert not at.exception, at.exception
    day = next(box for box in at.selectbox if box.key == "rt_day")
    assert day.value == "2026-11-30"
    assert any("2026年12月还没有走访记录" in c.value and "2026年11月30日" in c.value for c in at.caption)


def test_wall_shows_last_months_final_result_beside_the_running_month(app_factory, tmp_path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # tests/time_feeds_factory.py: sales to Tue 1 December (RC1 250 cartons = 1.0 case; plans: A 2.0
    # cases in December) → the wall opens on November and adds December so far:
    # 1.0 case of a 2.0-case plan = 50.0 %.
    from tests.time_feeds_factory import feeds_database

    url = feeds_database(tmp_path)
    monkeypatch.setenv(clock.TODAY_ENV, "2026-12-01")
    at = app_factory(url, page="pages/meeting.py", params={"slides": "kpi"})
    assert not at.exception, at.exception
    text = " ".join(h.proto.body for h in at.get("html"))
    assert "2026年11月" in text
    assert "2026年12月（进行中，截至 2026年12月1日）：销量 1.0 箱，完成率 50.0%" in text
