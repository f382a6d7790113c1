"""Users, sessions, wall links and the audit trail behave the same on PostgreSQL as on SQLite.

Needs TEST_DATABASE_URL (a PostgreSQL database this test may drop and recreate the schema of).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlmodel import Session, select

from data_access.access.permissions import SYSTEM, Role
from data_access.access.sessions import check_session, resolve_token, revoke_session, start_session
from data_access.access.users import (
    active_demo_accounts_beside_real_data,
    authenticate,
    create_user,
    set_active,
    sso_actor,
    update_user,
)
from data_access.access.wall_links import create_wall_link, resolve_wall_link, revoke_wall_link
from data_access.db import create_schema, get_engine
from data_access.models import CustomerManager, Department
from data_access.models.access import AuditEntry
from tests.postgres import POSTGRES_ONLY, build_twins

pytestmark = POSTGRES_ONLY

T0 = dt.datetime(2026, 11, 20, 2, 34, tzinfo=dt.UTC)  # 10:34 in China
PASSWORD = "parity-pass-2026"


def _build(url: str) -> None:
    engine = get_engine(url)
    create_schema(engine)
    with Session(engine) as session:
        session.add(Department(id=1, code="D1", name="城区服务部"))
        session.flush()
        session.add(CustomerManager(id=3, code="M3", name="王五", department_id=1))
        session.flush()
        create_user(session, SYSTEM, login="Zhang", display_name="张三", role="manager", manager_id=3,
                    password=PASSWORD, sso_subject="zhang@county.example", now=T0)
        create_user(session, SYSTEM, login="demo", display_name="演示", role="admin", password=PASSWORD,
                    is_demo=True, now=T0)
        session.commit()


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    return build_twins(tmp_path_factory.mktemp("access_twin"), _build)


def _scenario(url: str) -> dict:
    """Sign-in, lockout, sessions, deactivation, wall links: what a user would notice, as data."""
    with Session(get_engine(url)) as session:
        ok = authenticate(session, "zhang", PASSWORD, now=T0)
        _, session_id = start_session(session, ok.actor.user_id, now=T0)
        session.commit()
        later = T0 + dt.timedelta(hours=7)
        alive = check_session(session, session_id, now=later) is not None
        session.commit()
        idle = check_session(session, session_id, now=later + dt.timedelta(hours=8, seconds=1)) is None
        token2, session2 = start_session(session, ok.actor.user_id, now=T0)
        revoke_session(session, session2, now=T0)
        session.commit()
        revoked = resolve_token(session, token2, now=T0) is None
        fails = [authenticate(session, "zhang", f"wrong-{i}", now=T0 + dt.timedelta(minutes=1)).reason
                 for i in range(5)]
        locked = authenticate(session, "zhang", PASSWORD, now=T0 + dt.timedelta(minutes=15)).reason
        unlocked = authenticate(session, "zhang", PASSWORD, now=T0 + dt.timedelta(minutes=16, seconds=1)).reason
        session.commit()
        sso = sso_actor(session, email="ZHANG@county.example", subject=None)
        admin = authenticate(session, "demo", PASSWORD, now=T0).actor
        update_user(session, admin, ok.actor.user_id, display_name="张三", role="dept_head", department_id=1,
                    manager_id=None, now=T0)
        wall_token, link = create_wall_link(session, admin, "大屏", now=T0)
        session.commit()
        wall_before = resolve_wall_link(session, wall_token) is not None
        revoke_wall_link(session, admin, link.id, now=T0)
        token3, _ = start_session(session, ok.actor.user_id, now=T0)
        set_active(session, admin, ok.actor.user_id, False, now=T0)
        session.commit()
        after_deactivation = resolve_token(session, token3, now=T0)
        wall_after = resolve_wall_link(session, wall_token)
        session.commit()
        audit = session.exec(select(AuditEntry).order_by(AuditEntry.at, AuditEntry.id)).all()
        trail = [(e.action, e.object, e.user_name, e.at.astimezone(dt.UTC) if e.at.tzinfo else e.at.replace(tzinfo=dt.UTC),
                  json.loads(e.before) if e.before else None) for e in audit]
        return {
            "ok": (ok.actor.role, ok.actor.department_id, ok.actor.manager_id), "alive": alive, "idle": idle,
            "revoked": revoked, "fails": fails, "locked": locked, "unlocked": unlocked,
            "sso": (sso.login, sso.role), "wall": (wall_before, wall_after), "deactivated": after_deactivation,
            "demo_warning": active_demo_accounts_beside_real_data(session), "trail": trail,
        }


def test_sign_in_sessions_and_audit_identical(twins: tuple[str, str]) -> None:
    lite, pg = (_scenario(url) for url in twins)
    assert pg["ok"] == (Role.MANAGER, 1, 3)
    assert pg["alive"] and pg["idle"] and pg["revoked"]
    assert pg["fails"] == ["wrong_password"] * 5 and pg["locked"] == "locked" and pg["unlocked"] == "ok"
    assert pg["sso"] == ("Zhang", Role.MANAGER) and pg["wall"] == (True, None) and pg["deactivated"] is None
    assert pg["demo_warning"] is False  # no import yet
    assert lite == pg


def test_audit_time_keeps_its_time_zone(twins: tuple[str, str]) -> None:
    """An entry at 02:34 UTC sorts after one stamped 08:00 China time (00:00 UTC) of the same day."""
    china = dt.timezone(dt.timedelta(hours=8))
    for url in twins:
        with Session(get_engine(url)) as session:
            from data_access.access import audit

            audit.record(session, SYSTEM, "tz.check", "local 08:00", at=dt.datetime(2026, 11, 21, 8, 0, tzinfo=china))
            audit.record(session, SYSTEM, "tz.check", "utc 02:34", at=dt.datetime(2026, 11, 21, 2, 34, tzinfo=dt.UTC))
            session.commit()
            order = session.exec(select(AuditEntry.object).where(AuditEntry.action == "tz.check")
                                 .order_by(AuditEntry.at)).all()
        assert order == ["local 08:00", "utc 02:34"], url
