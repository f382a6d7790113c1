"""Every write in data_access checks the actor and leaves one audit row in its transaction.

The refusals are tested on ``data_access`` directly (not through hidden buttons): a role
that may not write gets ``PermissionDenied`` and the database is unchanged, audit included.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access.access.audit import CHINA
from data_access.access.permissions import SYSTEM, Actor, PermissionDenied, Role
from data_access.config import DEFAULTS, SETTING_ACTIONS, get_setting, set_setting
from data_access.db import get_engine
from data_access.loaders import Source, run_import
from data_access.models import DepartmentGroupScoreAudit
from data_access.models.access import AuditEntry
from data_access.queries import meeting, teams
from data_access.queries import terminals as terminal_queries
from data_access.rules.meeting_slides import snapshot_payload
from data_access.rules.terminal_scoring import Weights
from data_access.team_entry import save_group_scores
from tests.team_factory import NOV, competition_database

WHEN = dt.datetime(2026, 12, 2, 10, 30, tzinfo=CHINA)


def person(role: Role, name: str, department_id: int | None = None, manager_id: int | None = None) -> Actor:
    return Actor(user_id=None, login=name, display_name=name, role=role, department_id=department_id,
                 manager_id=manager_id)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return get_engine(competition_database(tmp_path))


def _dept(engine: Engine, code: str) -> int:
    with Session(engine) as session:
        data = teams.competition_data(session=session, month=NOV, data_end=dt.date(2026, 11, 30))
    return int(data["departments"].set_index("code").loc[code, "id"])


def _everything(engine: Engine) -> dict[str, list[tuple]]:
    meta = MetaData()
    meta.reflect(engine)
    with engine.connect() as conn:
        return {name: sorted(map(tuple, conn.execute(select(table)).all()), key=repr)
                for name, table in meta.tables.items()}


def _audit(engine: Engine) -> list[AuditEntry]:
    with Session(engine) as session:
        return list(session.exec(select(AuditEntry).order_by(AuditEntry.id)).scalars())


def _refused_and_nothing_written(engine: Engine, write) -> PermissionDenied:
    before = _everything(engine)
    with pytest.raises(PermissionDenied) as refused, Session(engine) as session:
        write(session)
        session.commit()
    assert _everything(engine) == before
    return refused.value


# --- department scores -------------------------------------------------------------------------------
def test_score_entry_names_the_signed_in_user_in_both_histories(engine: Engine) -> None:
    dept_c = _dept(engine, "C")
    admin = Actor(user_id=None, login="wang", display_name="王主任", role=Role.ADMIN)
    with Session(engine) as session:
        save_group_scores(session, month=NOV, department_id=dept_c, scores={"innovation": 85.0}, actor=admin,
                          now=WHEN)
        save_group_scores(session, month=NOV, department_id=dept_c, scores={"innovation": 88.0}, actor=admin,
                          reason="补充材料", now=WHEN + dt.timedelta(hours=1))
    entries = _audit(engine)
    assert [(e.user_name, e.action, e.object) for e in entries] == [
        ("王主任", "score.enter", "C 2026-11"), ("王主任", "score.correct", "C 2026-11")]
    assert json.loads(entries[1].before) == {"innovation": 85.0}
    assert json.loads(entries[1].after) == {"innovation": 88.0, "reason": "补充材料"}
    # stored in UTC: 11:30 China time is 03:30 UTC
    assert entries[1].at.replace(tzinfo=None) == dt.datetime(2026, 12, 2, 3, 30)
    with Session(engine) as session:
        names = session.exec(select(DepartmentGroupScoreAudit.entered_by)).scalars().all()
    assert names == ["王主任", "王主任"]


@pytest.mark.parametrize("role", [Role.LEADER, Role.DEPT_HEAD, Role.MANAGER, Role.WALL])
def test_score_entry_is_refused_for_every_role_but_the_administrator(engine: Engine, role: Role) -> None:
    dept_c, dept_a = _dept(engine, "C"), _dept(engine, "A")
    who = person(role, "someone", department_id=dept_a)
    _refused_and_nothing_written(engine, lambda s: save_group_scores(
        s, month=NOV, department_id=dept_c, scores={"innovation": 85.0}, actor=who, now=WHEN))


def test_a_head_allowed_to_enter_scores_still_cannot_score_their_own_department(engine: Engine) -> None:
    dept_c, dept_a = _dept(engine, "C"), _dept(engine, "A")
    with Session(engine) as session:
        matrix = get_setting(session, "role_permissions")
        matrix["dept_head"] = [*matrix["dept_head"], "score_entry"]
        set_setting(session, "role_permissions", matrix, actor=SYSTEM)
        session.commit()
    head = person(Role.DEPT_HEAD, "A主任", department_id=dept_a)
    refused = _refused_and_nothing_written(engine, lambda s: save_group_scores(
        s, month=NOV, department_id=dept_a, scores={"innovation": 99.0}, actor=head, now=WHEN))
    assert refused.reason == "own_department"
    with Session(engine) as session:  # another department: the county allowed it
        assert save_group_scores(session, month=NOV, department_id=dept_c, scores={"innovation": 70.0},
                                 actor=head, now=WHEN) == 1
    assert _audit(engine)[-1].user_name == "A主任"


# --- configuration -----------------------------------------------------------------------------------
@pytest.mark.parametrize("key", sorted(DEFAULTS))
def test_every_setting_is_audited_with_before_and_after(engine: Engine, key: str) -> None:
    with Session(engine) as session:
        before = get_setting(session, key)
        after = {"leader": ["view_county"]} if key == "role_permissions" else {"changed": True}
        set_setting(session, key, after, actor=person(Role.ADMIN, "管理员"), now=WHEN)
        session.commit()
    entry = _audit(engine)[-1]
    assert (entry.user_name, entry.action, entry.object) == ("管理员", f"config.{key}", key)
    assert json.loads(entry.before) == json.loads(json.dumps(before)) and json.loads(entry.after) == after


@pytest.mark.parametrize("key", sorted(DEFAULTS))
@pytest.mark.parametrize("role", [Role.LEADER, Role.DEPT_HEAD, Role.MANAGER, Role.WALL])
def test_every_setting_is_refused_for_every_role_but_the_administrator(engine: Engine, key: str, role: Role) -> None:
    who = person(role, "someone", department_id=1)
    refused = _refused_and_nothing_written(engine, lambda s: set_setting(s, key, {"x": 1}, actor=who))
    assert refused.action is SETTING_ACTIONS[key]


def test_terminal_weights_are_audited_and_refused_for_a_leader(engine: Engine) -> None:
    leader = person(Role.LEADER, "县局领导")
    _refused_and_nothing_written(engine, lambda s: terminal_queries.save_terminal_weights(
        session=s, weights=Weights(0.2, 0.6, 0.2), actor=leader))
    with Session(engine) as session:
        terminal_queries.save_terminal_weights(session=session, weights=Weights(0.2, 0.6, 0.2),
                                               actor=person(Role.ADMIN, "管理员"))
        session.commit()
    entry = _audit(engine)[-1]
    assert entry.action == "config.terminal_weights" and json.loads(entry.before)["display"] == 0.5
    assert json.loads(entry.after) == {"display": 0.2, "pos_accuracy": 0.6, "brand_cultivation": 0.2}


# --- meeting snapshots ---------------------------------------------------------------------------------
def test_snapshots_are_saved_by_leaders_and_admins_only(engine: Engine) -> None:
    payload = snapshot_payload(period="2026-11", data_end=dt.date(2026, 11, 30), kpis={})
    for role in (Role.DEPT_HEAD, Role.MANAGER, Role.WALL):
        _refused_and_nothing_written(engine, lambda s, role=role: meeting.save_snapshot(
            session=s, payload=payload, taken_at=dt.datetime(2026, 12, 2, 9), actor=person(role, "x", 1, 1)))
    with Session(engine) as session:
        meeting.save_snapshot(session=session, payload=payload, taken_at=dt.datetime(2026, 12, 2, 9),
                              actor=person(Role.LEADER, "李局长"), title="12月调度会")
        session.commit()
    entry = _audit(engine)[-1]
    assert (entry.user_name, entry.action) == ("李局长", "snapshot.save") and "12月调度会" in entry.object


# --- imports ---------------------------------------------------------------------------------------------
PLAN_CSV = "月份,服务部编码,计划销量(箱)\n2026-12,A,3\n".encode()


@pytest.mark.parametrize("role", [Role.LEADER, Role.DEPT_HEAD, Role.MANAGER, Role.WALL])
def test_imports_are_refused_before_anything_is_read(engine: Engine, role: Role) -> None:
    before = _everything(engine)
    with pytest.raises(PermissionDenied):
        run_import(Source.from_bytes("plan.csv", PLAN_CSV), "plans", engine=engine,
                   actor=person(role, "x", department_id=2))
    assert _everything(engine) == before  # not even the import log


def test_an_import_is_audited_in_its_transaction(engine: Engine) -> None:
    result = run_import(Source.from_bytes("plan.csv", PLAN_CSV), "plans", engine=engine,
                        actor=person(Role.ADMIN, "信息员"))
    assert result.committed, result.issues or result.file_problem
    entry = _audit(engine)[-1]
    assert (entry.user_name, entry.action, entry.object) == ("信息员", "import.commit", "plans plan.csv")
    assert json.loads(entry.after)["added"] == 1


def test_naive_audit_times_are_refused() -> None:
    from data_access.access.audit import as_utc

    with pytest.raises(ValueError):
        as_utc(dt.datetime(2026, 12, 2, 8))
    assert as_utc(dt.datetime(2026, 12, 2, 8, tzinfo=CHINA)) == dt.datetime(2026, 12, 2, 0, tzinfo=dt.UTC)

