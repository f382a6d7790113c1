"""The demo live feed (sample_data/live.py): replays a field day as today's rows, idempotently."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select
from sqlmodel import Session

from data_access.db import data_versions, get_engine
from data_access.models import CustomerManager, GpsPoint, Visit
from data_access.models.access import AuditEntry
from sample_data import live
from tests.meeting_factory import SOURCE, TODAY, build_field_day
from tests.meeting_factory import at as _at


@pytest.fixture
def field_db_url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'live.sqlite'}"
    build_field_day(url)
    return url


def _today(url: str) -> tuple[list[tuple], list[dt.datetime]]:
    with Session(get_engine(url)) as session:
        visits = session.execute(
            select(Visit.sign_in_at, Visit.sign_out_at).where(Visit.visit_date == TODAY).order_by(Visit.sign_in_at)
        ).all()
        fixes = session.execute(
            select(GpsPoint.recorded_at).where(GpsPoint.recorded_at >= _at(TODAY, "00:00")).order_by(GpsPoint.recorded_at)
        ).scalars().all()
    return [tuple(v) for v in visits], list(fixes)


def _run(url: str, start: str, **kwargs) -> dict[str, int]:
    return live.run(url=url, day=TODAY, start=dt.time.fromisoformat(start), log=lambda _: None, **kwargs)


def test_once_writes_what_is_due_and_a_rerun_writes_nothing(field_db_url: str) -> None:
    before = data_versions(get_engine(field_db_url))
    assert _run(field_db_url, "09:10", once=True) == {"visits": 1, "sign_outs": 0, "gps": 2}
    visits, fixes = _today(field_db_url)
    assert visits == [(_at(TODAY, "09:00"), None)]  # signed in, still at the shop at 09:10
    assert fixes == [_at(TODAY, "08:50"), _at(TODAY, "09:05")]
    after = data_versions(get_engine(field_db_url))
    assert after["visits"] == before["visits"] + 1 and after["gps"] == before["gps"] + 1
    assert _run(field_db_url, "09:10", once=True) == {"visits": 0, "sign_outs": 0, "gps": 0}  # idempotent
    # Later the same day: the sign-out updates the visit, the next visit and fixes are added.
    assert _run(field_db_url, "11:00", once=True) == {"visits": 1, "sign_outs": 1, "gps": 3}
    visits, fixes = _today(field_db_url)
    assert visits == [(_at(TODAY, "09:00"), _at(TODAY, "09:12")), (_at(TODAY, "10:30"), None)]
    assert len(fixes) == 5
    assert _run(field_db_url, "11:00", once=True) == {"visits": 0, "sign_outs": 0, "gps": 0}
    # Every batch written is in the audit trail, under the system actor; reruns add nothing.
    with Session(get_engine(field_db_url)) as session:
        feed = session.execute(select(AuditEntry.user_name, AuditEntry.action, AuditEntry.after)
                               .where(AuditEntry.action == "live.feed").order_by(AuditEntry.id)).all()
    assert [(name, action) for name, action, _ in feed] == [("system", "live.feed")] * len(feed) and feed
    assert sum(json.loads(after)["gps"] for _, _, after in feed) == 5


def test_replay_runs_on_an_injected_clock_and_stops_at_the_end_of_the_day(field_db_url: str) -> None:
    clock = {"t": 0.0}
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        clock["t"] += seconds

    # 60x: one wall second is one replayed minute; from 08:45 the last event (10:40) is due after 115 s.
    totals = live.run(url=field_db_url, day=TODAY, start=dt.time(8, 45), speed=60, tick_s=10,
                      monotonic=lambda: clock["t"], sleep=sleep, log=lambda _: None)
    assert totals == {"visits": 2, "sign_outs": 1, "gps": 5}
    assert len(sleeps) == 12  # 0, 10, ..., 120 s: stopped by itself once everything was written
    visits, _ = _today(field_db_url)
    assert visits[0] == (_at(TODAY, "09:00"), _at(TODAY, "09:12"))


def test_minutes_limit_stops_the_feed(field_db_url: str) -> None:
    clock = {"t": 0.0}

    def sleep(seconds: float) -> None:
        clock["t"] += seconds

    totals = live.run(url=field_db_url, day=TODAY, start=dt.time(8, 45), speed=1, minutes=1, tick_s=30,
                      monotonic=lambda: clock["t"], sleep=sleep, log=lambda _: None)
    assert totals == {"visits": 0, "sign_outs": 0, "gps": 0}  # at real speed nothing is due before 08:50
    assert clock["t"] == 60


def test_source_day_is_the_one_matching_todays_plan(field_db_url: str) -> None:
    with Session(get_engine(field_db_url)) as session:
        sources = live.choose_source_days(session, TODAY)
        m1 = session.execute(select(CustomerManager.id).where(CustomerManager.code == "M1")).scalar_one()
    assert sources == {m1: SOURCE}  # M2 has no visits to replay
