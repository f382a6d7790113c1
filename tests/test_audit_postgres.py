"""PostgreSQL parity of the audit trail: the same audited writes on SQLite and PostgreSQL give
the same rows in the same order, including the time-zone case of the issue (an entry at
02:34 UTC sorts after one stamped 08:00 China time, i.e. 00:00 UTC, of the same day)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from sqlmodel import Session, select

from data_access.access.audit import CHINA
from data_access.access.permissions import Actor, PermissionDenied, Role
from data_access.config import set_setting
from data_access.db import get_engine
from data_access.loaders import Source, run_import
from data_access.models import Department
from data_access.queries import audit as audit_queries
from data_access.queries import meeting
from data_access.queries import terminals as terminal_queries
from data_access.rules.meeting_slides import snapshot_payload
from data_access.rules.terminal_scoring import Weights
from data_access.team_entry import save_group_scores
from tests.factories import build_tiny_county
from tests.postgres import POSTGRES_ONLY, build_twins, on_both

pytestmark = POSTGRES_ONLY

ADMIN = Actor(None, "wang", "王主任", Role.ADMIN)
LEADER = Actor(None, "li", "李局长", Role.LEADER)
HEAD = Actor(None, "zhao", "赵主任", Role.DEPT_HEAD, department_id=1)
UTC = dt.UTC


def _writes(url: str) -> None:
    build_tiny_county(get_engine(url))
    engine = get_engine(url)
    with Session(engine) as session:
        d1 = session.exec(select(Department.id).where(Department.code == "D1")).one()
        # 02:34 UTC = 10:34 China time, written first ...
        save_group_scores(session, month=dt.date(2026, 11, 1), department_id=d1, scores={"six_s": 90.0},
                          actor=ADMIN, now=dt.datetime(2026, 12, 2, 2, 34, tzinfo=UTC))
        # ... 08:00 China time = 00:00 UTC, written second but earlier
        set_setting(session, "visit_rules", {"far_sign_in_m": 150}, actor=ADMIN,
                    now=dt.datetime(2026, 12, 2, 8, 0, tzinfo=CHINA))
        terminal_queries.save_terminal_weights(session=session, weights=Weights(0.2, 0.6, 0.2), actor=ADMIN)
        session.commit()
        with pytest.raises(PermissionDenied):  # refused: nothing in the trail
            save_group_scores(session, month=dt.date(2026, 11, 1), department_id=d1, scores={"six_s": 10.0},
                              actor=HEAD)
        meeting.save_snapshot(session=session, payload=snapshot_payload(
            period="2026-11", data_end=dt.date(2026, 11, 4), kpis={}), taken_at=dt.datetime(2026, 12, 2, 9),
            actor=LEADER, title="12月调度会", now=dt.datetime(2026, 12, 2, 1, 0, tzinfo=UTC))
        session.commit()
    run_import(Source.from_bytes("plan.csv", "月份,服务部编码,计划销量\n2026-12,D1,3\n".encode()), "plans",
               engine=engine, actor=ADMIN, now=dt.datetime(2026, 12, 1, 23, 59, tzinfo=UTC))


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    return build_twins(Path(tmp_path_factory.mktemp("audit_twins")), _writes)


def test_audit_trail_identical_and_in_aware_time_order(twins: tuple[str, str]) -> None:
    lite, pg = on_both(twins, audit_queries.audit_entries)
    # the weights row has no pinned time (now); compare it apart
    pinned = [frame[frame["action"] != "config.terminal_weights"].reset_index(drop=True) for frame in (lite, pg)]
    pd.testing.assert_frame_equal(pinned[0].drop(columns="id"), pinned[1].drop(columns="id"))
    assert pinned[1]["action"].tolist() == ["import.commit", "config.visit_rules", "snapshot.save", "score.enter"]
    assert [f"{v:%Y-%m-%d %H:%M}" for v in pinned[1]["at"]] == [
        "2026-12-01 23:59", "2026-12-02 00:00", "2026-12-02 01:00", "2026-12-02 02:34"]
    assert str(pg["at"].dt.tz) == "UTC" and str(lite["at"].dt.tz) == "UTC"
    for frame in (lite, pg):
        assert frame["action"].tolist()[-1] == "config.terminal_weights"  # written now, after December 2026
        assert "赵主任" not in frame["user_name"].tolist()


def test_filters_identical(twins: tuple[str, str]) -> None:
    for filters in ({"first_day": dt.date(2026, 12, 2), "last_day": dt.date(2026, 12, 2)},
                    {"action": "config"}, {"user_name": "李局长"}, {"object_text": "D1"}):
        lite, pg = (frame[frame["action"] != "config.terminal_weights"].reset_index(drop=True).drop(columns="id")
                    for frame in on_both(twins, audit_queries.audit_entries, **filters))
        pd.testing.assert_frame_equal(lite, pg, obj=str(filters))
        assert len(pg), filters
