"""Imported dates: only year-first four-digit-year spellings, inside the plausible window.

Issue 16: "11-03", "1103" and "26-11-3" were stored as 0001-11-03, 1103-01-01 and 2003-11-26.
Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL (fixture from test_loaders).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access.config import set_setting
from data_access.loaders import issues_frame
from data_access.loaders.dates import parse_dates
from tests.actors import ADMIN
from tests.test_loaders import ORDERS_HEADER, R1, _engine, csv_bytes, load, snapshot  # noqa: F401 - fixture

TODAY = dt.date(2026, 12, 7)  # a Monday; the default window is 2010-01-01 .. 2026-12-14


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("11-03", "bad_date"),  # was stored as 0001-11-03
        ("1103", "bad_date"),  # was 1103-01-01
        ("26-11-3", "bad_date"),  # was 2003-11-26
        ("3/11/26", "bad_date"),
        ("11/03/2026", "bad_date"),  # month-first or day-first: ambiguous
        ("261103", "bad_date"),
        ("Nov 3 2026", "bad_date"),
        ("46329", "bad_date"),  # an Excel serial number typed as text
        ("0001-11-03", "date_out_of_range"),
        ("9999-12-31", "date_out_of_range"),
        ("2009-12-31", "date_out_of_range"),  # before the first data year
        ("2026-12-15", "date_out_of_range"),  # more than 7 days after today
    ],
)
def test_dates_without_a_full_year_or_outside_the_window_are_refused_with_their_row(
    engine: Engine, spelling: str, code: str
) -> None:
    before = snapshot(engine)
    data = csv_bytes([ORDERS_HEADER, ["2026-11-09", R1, "P1", 5], [spelling, R1, "P2", 5]], "utf-8")
    result = load(engine, "orders", data, today=TODAY)
    assert not result.committed
    assert [(i.row, i.column, i.code) for i in result.issues] == [(3, "订单日期", code)]
    assert snapshot(engine) == before


def test_the_refusal_shows_the_accepted_spellings_and_the_window_in_both_languages(engine: Engine) -> None:
    data = csv_bytes([ORDERS_HEADER, ["11-03", R1, "P1", 5], ["9999-12-31", R1, "P2", 5]], "utf-8")
    result = load(engine, "orders", data, today=TODAY)
    zh = issues_frame(result.issues, "zh")["问题"].tolist()
    en = issues_frame(result.issues, "en")["problem"].tolist()
    assert zh == ["“11-03”不是可接受的日期（须写四位年份、年在前，如 2026-11-03、2026/11/03、2026年11月3日、20261103）。",
                  "“9999-12-31”不在合理的日期范围内（2010-01-01 至 2026-12-14）。"]
    assert en[1] == "“9999-12-31” is outside the plausible dates (2010-01-01 to 2026-12-14)."


def test_the_window_is_configuration_and_today_is_a_parameter(engine: Engine) -> None:
    data = csv_bytes([ORDERS_HEADER, ["2025-11-03", R1, "P1", 5]], "utf-8")
    assert load(engine, "orders", data, today=TODAY, dry_run=True).issues == []
    # the same file a year earlier: 2025-11-03 lies ahead of "today" 2024-12-07
    assert [i.code for i in load(engine, "orders", data, today=dt.date(2024, 12, 7), dry_run=True).issues] == [
        "date_out_of_range"]
    with Session(engine) as session:
        set_setting(session, "import_date_window", {"first_year": 2026, "future_days": 7, "plan_future_days": 400},
                    actor=ADMIN)
        session.commit()
    assert [i.code for i in load(engine, "orders", data, today=TODAY, dry_run=True).issues] == ["date_out_of_range"]


def test_plans_may_lie_ahead_and_licences_may_predate_the_data(engine: Engine) -> None:
    plans = csv_bytes([["月份", "服务部编码", "计划销量"], ["2027-06", "D1", 100], ["2028-06", "D1", 100]], "utf-8")
    result = load(engine, "plans", plans, today=TODAY, dry_run=True)
    assert [(i.row, i.code) for i in result.issues] == [(3, "date_out_of_range")]  # 2027-06 fine, 2028-06 not
    orders = csv_bytes([ORDERS_HEADER, ["2027-06-01", R1, "P1", 5]], "utf-8")
    assert [i.code for i in load(engine, "orders", orders, today=TODAY, dry_run=True).issues] == ["date_out_of_range"]
    header = ["许可证号", "客户编码", "店名", "经度", "纬度", "经营业态", "市场类型", "档位", "星级", "客户经理编码", "发证日期"]
    old_licence = [R1, "R1", "东城食杂店", 117.02, 25.08, "食杂店", "城镇", 10, 3, "M1", "1998-03-01"]
    result = load(engine, "retailers", csv_bytes([header, old_licence], "utf-8"), today=TODAY, dry_run=True)
    assert result.issues == []


def test_accepted_spellings_parse_to_the_same_day_and_midnight_is_allowed_on_a_date() -> None:
    text = pd.Series(["2026-11-03", "2026/11/3", "2026.11.03", "2026年11月3日", "20261103", "2026-11-03 00:00:00",
                      "2026-11-03 09:30", "2026-02-30"])
    parsed, problems = parse_dates(text, "date", (dt.date(2010, 1, 1), dt.date(2026, 12, 14)))
    assert [str(v)[:10] for v in parsed[:6]] == ["2026-11-03"] * 6
    bad = {code: mask.nonzero()[0].tolist() for code, mask, _ in problems}
    assert bad == {"bad_date": [6, 7], "date_out_of_range": []}  # a time of day on a date; no 30 February
