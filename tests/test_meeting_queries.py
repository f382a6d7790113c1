"""Meeting queries on the hand-built tiny county (tests/factories.py), numbers worked by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session

from data_access.access.permissions import EVERYTHING
from data_access.db import data_versions, get_engine
from data_access.queries import meeting
from data_access.rules.meeting_slides import snapshot_payload
from tests.actors import ADMIN, person

NOV = dt.date(2026, 11, 1)


def test_headline_figures_of_november(tiny_db_url: str) -> None:
    with Session(get_engine(tiny_db_url)) as session:
        kpis = meeting.headline_kpis(session=session, period_start=NOV, period_end=dt.date(2026, 11, 30),
                                     data_end=dt.date(2026, 11, 4))
    figures = kpis["figures"]
    # 550 cartons = 2.2 cases; amount 115,000; cost 88,000; plan D1 2.0 + D2 1.0 = 3.0 cases.
    assert figures["volume_cases"] == pytest.approx(2.2)
    assert figures["amount"] == pytest.approx(115_000)
    assert figures["per_case_value"] == pytest.approx(115_000 / 2.2)
    assert figures["plan_completion"] == pytest.approx(2.2 / 3.0)
    # Working days 2, 3, 4 Nov elapsed of 21 in November 2026.
    assert figures["time_progress"] == pytest.approx(3 / 21)
    assert figures["gross_margin"] == pytest.approx(27_000 / 115_000)
    # Last year's same days (1–4 Nov 2025): 250 cartons, 25,000 yuan.
    assert figures["volume_yoy"] == pytest.approx(550 / 250 - 1)
    assert figures["amount_yoy"] == pytest.approx(115_000 / 25_000 - 1)
    assert figures["per_case_value_yoy"] == pytest.approx((115_000 / 2.2) / (25_000 / 1.0) - 1)


def test_daily_sales_against_the_same_days_last_year(tiny_db_url: str) -> None:
    with Session(get_engine(tiny_db_url)) as session:
        frame = meeting.daily_sales_vs_last_year(session=session, month_start=NOV, data_end=dt.date(2026, 11, 4))
        d1_only = meeting.daily_sales_vs_last_year(session=session, month_start=NOV, data_end=dt.date(2026, 11, 4),
                                                   department_id=2)
    assert frame["day"].tolist() == [1, 2, 3, 4]
    # 2 Nov: 100 + 150 cartons = 1.0 case; 3 Nov: 250 = 1.0; 4 Nov: 50 = 0.2. Last year Monday 3 Nov 2025:
    # 1.0, under Monday 2 Nov 2026 (364 days later, the same weekday), not under the 3rd.
    assert frame["cases"].tolist() == pytest.approx([0.0, 1.0, 1.0, 0.2])
    assert frame["cases_last_year"].tolist() == pytest.approx([0.0, 1.0, 0.0, 0.0])
    assert frame["cumulative_cases"].iloc[-1] == pytest.approx(2.2)
    assert frame["cumulative_cases_last_year"].iloc[-1] == pytest.approx(1.0)
    assert d1_only["cases"].tolist() == pytest.approx([0.0, 0.0, 0.0, 0.2])  # D2: R3's 50 cartons only
    with Session(get_engine(tiny_db_url)) as session:
        by_date = meeting.daily_sales_vs_last_year(session=session, month_start=NOV, data_end=dt.date(2026, 11, 4),
                                                   alignment="calendar")
    assert by_date["cases_last_year"].tolist() == pytest.approx([0.0, 0.0, 1.0, 0.0])  # the same date, 3 Nov


def test_daily_sales_before_the_month_starts_is_empty(tiny_db_url: str) -> None:
    with Session(get_engine(tiny_db_url)) as session:
        frame = meeting.daily_sales_vs_last_year(session=session, month_start=dt.date(2026, 12, 1),
                                                 data_end=dt.date(2026, 11, 4))
    assert frame.empty


def test_snapshots_save_and_the_previous_meeting_is_chosen_by_time(tmp_path) -> None:
    from tests.factories import build_tiny_county

    url = f"sqlite:///{tmp_path / 'snap.sqlite'}"
    build_tiny_county(get_engine(url))
    engine = get_engine(url)
    payload = snapshot_payload(period="2026-11", data_end=dt.date(2026, 11, 4), kpis={"volume_cases": 2.2})
    before = data_versions(engine).get(meeting.MEETING_DOMAIN, 0)
    with Session(engine) as session:
        first = meeting.save_snapshot(session=session, payload=payload, taken_at=dt.datetime(2026, 10, 8, 9, 30),
                                      actor=person("王主任"), title="10月经营分析会")
        second = meeting.save_snapshot(session=session, payload=payload, taken_at=dt.datetime(2026, 11, 6, 9, 0),
                                       actor=ADMIN, title="11月经营分析会")
        session.commit()
    assert data_versions(engine)[meeting.MEETING_DOMAIN] == before + 2  # caches see each save
    with Session(engine) as session:
        # On 6 Nov the meeting compares with October's snapshot, not the one it just took.
        found = meeting.previous_snapshot(session=session, before=dt.datetime(2026, 11, 6))
        assert found["id"] == first and found["taken_by"] == "王主任"
        assert found["payload"]["kpis"]["volume_cases"] == 2.2
        # At the December meeting, November's is the latest.
        assert meeting.previous_snapshot(session=session, before=dt.datetime(2026, 12, 4))["id"] == second
        assert meeting.previous_snapshot(session=session, before=dt.datetime(2026, 10, 1)) is None
        assert meeting.previous_snapshot(session=session, before=dt.datetime(2026, 10, 1), snapshot_id=second)["id"] == second
        assert meeting.previous_snapshot(session=session, before=dt.datetime(2026, 10, 1), snapshot_id=999) is None
        listing = meeting.snapshot_list(session=session)
    assert listing["title"].tolist() == ["11月经营分析会", "10月经营分析会"]


def test_visit_day_anomalies_of_a_finished_day(tmp_path) -> None:
    from data_access.rules.meeting_slides import wall_anomalies
    from tests.meeting_factory import SOURCE, at, build_field_day

    url = f"sqlite:///{tmp_path / 'field.sqlite'}"
    build_field_day(url)
    with Session(get_engine(url)) as session:
        found = meeting.visit_day_anomalies(session=session, scope=EVERYTHING, day=SOURCE)
    shown = wall_anomalies(found, live_until=None)
    # M1 visited both planned shops; the 10:30 visit at R2 was never signed out; fixes stand still.
    assert shown[["manager", "rule", "shop_name"]].values.tolist() == [["张伟", "missing_sign_out", "万家超市"]]
    assert shown["at"].iloc[0] == at(SOURCE, "10:30")
