"""Meeting queries and the live feed give the same answers on PostgreSQL as on SQLite.

Needs TEST_DATABASE_URL (a PostgreSQL database this test may drop and recreate the schema of).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import select
from sqlmodel import Session

from data_access.db import get_engine
from data_access.models import GpsPoint, Visit
from data_access.queries import meeting
from data_access.rules.meeting_slides import snapshot_payload
from sample_data import live
from tests.actors import ADMIN
from tests.meeting_factory import TODAY, build_field_day
from tests.postgres import POSTGRES_ONLY, build_twins, on_both

pytestmark = POSTGRES_ONLY


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    return build_twins(tmp_path_factory.mktemp("meeting_twin"), build_field_day)


def test_headline_and_daily_sales_identical(twins: tuple[str, str]) -> None:
    lite, pg = on_both(twins, meeting.headline_kpis, period_start=dt.date(2026, 11, 1),
                     period_end=dt.date(2026, 11, 30), data_end=dt.date(2026, 11, 4))
    assert lite["figures"] == pytest.approx(pg["figures"])
    assert pg["figures"]["volume_cases"] == pytest.approx(2.2)
    lite, pg = on_both(twins, meeting.daily_sales_vs_last_year, month_start=dt.date(2026, 11, 1),
                     data_end=dt.date(2026, 11, 4))
    pd.testing.assert_frame_equal(lite, pg, check_dtype=False)


def test_snapshots_identical(twins: tuple[str, str]) -> None:
    payload = snapshot_payload(period="2026-11", data_end=dt.date(2026, 11, 4), kpis={"volume_cases": 2.2})
    for url in twins:
        with Session(get_engine(url)) as session:
            meeting.save_snapshot(session=session, payload=payload, taken_at=dt.datetime(2026, 11, 3, 9, 0, 5),
                                  actor=ADMIN, title="11月调度会")
            session.commit()
    lite, pg = on_both(twins, meeting.previous_snapshot, before=dt.datetime(2026, 11, 20))
    assert {k: v for k, v in lite.items() if k != "id"} == {k: v for k, v in pg.items() if k != "id"}
    assert pg["taken_at"] == dt.datetime(2026, 11, 3, 9, 0, 5) and pg["payload"] == payload


def test_live_feed_writes_the_same_rows_and_is_idempotent(twins: tuple[str, str]) -> None:
    rows = []
    for url in twins:
        first = live.run(url=url, day=TODAY, start=dt.time(9, 10), once=True, log=lambda _: None)
        again = live.run(url=url, day=TODAY, start=dt.time(11, 0), once=True, log=lambda _: None)
        assert first == {"visits": 1, "sign_outs": 0, "gps": 2}
        assert again == {"visits": 1, "sign_outs": 1, "gps": 3}
        with Session(get_engine(url)) as session:
            visits = session.execute(select(Visit.sign_in_at, Visit.sign_out_at).where(Visit.visit_date == TODAY)
                                     .order_by(Visit.sign_in_at)).all()
            fixes = session.execute(select(GpsPoint.recorded_at).where(GpsPoint.recorded_at >= dt.datetime(2026, 11, 20))
                                    .order_by(GpsPoint.recorded_at)).scalars().all()
        rows.append(([tuple(v) for v in visits], list(fixes)))
    assert rows[0] == rows[1]
