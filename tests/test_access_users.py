"""Built-in accounts: hashing, the password rule, lockout with an injected clock, one generic
failure, sessions (idle expiry, sign-out, deactivation), wall links and the SSO mapping."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlmodel import Session, select

from data_access.access import passwords
from data_access.access.permissions import SYSTEM, Actor, PermissionDenied, Role
from data_access.access.sessions import check_session, resolve_token, revoke_session, start_session, token_hash
from data_access.access.users import (
    UserError,
    active_demo_accounts_beside_real_data,
    authenticate,
    change_own_password,
    create_user,
    list_users,
    reset_password,
    set_active,
    sso_actor,
    update_user,
)
from data_access.access.wall_links import create_wall_link, resolve_wall_link, revoke_wall_link
from data_access.db import create_schema, get_engine
from data_access.models import CustomerManager, Department, ImportLog
from data_access.models.access import AppUser, AuditEntry, UserSession

T0 = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)
PASSWORD = "correct-horse-1"


@pytest.fixture
def db(tmp_path) -> Session:
    engine = get_engine(f"sqlite:///{tmp_path / 'users.sqlite'}")
    create_schema(engine)
    with Session(engine) as session:
        session.add(Department(id=1, code="D1", name="城区服务部"))
        session.add(Department(id=2, code="D2", name="郊区服务部"))
        session.flush()
        session.add(CustomerManager(id=7, code="M7", name="王五", department_id=1))
        session.commit()
        yield session


def _user(db: Session, login: str = "zhang", role: str = "leader", **kwargs) -> AppUser:
    user = create_user(db, SYSTEM, login=login, display_name=login.title(), role=role,
                       password=kwargs.pop("password", PASSWORD), now=T0, **kwargs)
    db.commit()
    return user


def _audit(db: Session, action: str) -> list[AuditEntry]:
    return list(db.exec(select(AuditEntry).where(AuditEntry.action == action)).all())


def _admin(db: Session) -> Actor:
    from data_access.access.sessions import actor_of

    return actor_of(_user(db, "boss", "admin"))


# --- hashing and the password rule --------------------------------------------------------

def test_password_is_stored_as_argon2id_never_in_clear(db: Session) -> None:
    user = _user(db)
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert passwords.verify_password(user.password_hash, PASSWORD)
    assert not passwords.verify_password(user.password_hash, PASSWORD + "x")
    everything = " ".join(f"{e.object} {e.before} {e.after}" for e in db.exec(select(AuditEntry)).all())
    assert PASSWORD not in everything and "$argon2" not in everything


@pytest.mark.parametrize(("password", "problem"), [
    ("short-1", "too_short"),
    ("1234567890123", "all_digits"),
    ("zhang.sanfeng", "is_login"),
    ("ZHANG.SANFENG", "is_login"),
    (" padded-password", "spaces"),
])
def test_password_rule_refuses(password: str, problem: str) -> None:
    assert problem in passwords.password_problems(password, "zhang.sanfeng")


def test_password_rule_accepts_ten_mixed_characters() -> None:
    assert passwords.password_problems("abcdefghi1", "zhang") == []


def test_create_user_refuses_a_weak_password_and_writes_nothing(db: Session) -> None:
    with pytest.raises(UserError) as refused:
        create_user(db, SYSTEM, login="li", display_name="Li", role="leader", password="123456789012", now=T0)
    assert refused.value.code == "pw.all_digits"
    db.rollback()
    assert db.exec(select(AppUser).where(AppUser.login == "li")).first() is None


# --- sign-in and lockout ------------------------------------------------------------------

def test_right_password_signs_in_and_is_audited(db: Session) -> None:
    _user(db)
    attempt = authenticate(db, "Zhang", PASSWORD, now=T0)  # logins are case-insensitive
    assert attempt.ok and attempt.actor.role is Role.LEADER and attempt.actor.login == "zhang"
    assert [e.user_name for e in _audit(db, "signin.ok")] == ["Zhang"]


def test_unknown_login_and_wrong_password_fail_alike(db: Session) -> None:
    _user(db)
    unknown = authenticate(db, "nobody", PASSWORD, now=T0)
    wrong = authenticate(db, "zhang", "not-the-password", now=T0)
    assert unknown.actor is None and wrong.actor is None
    assert (unknown.reason, wrong.reason) == ("unknown", "wrong_password")
    assert len(_audit(db, "signin.fail")) == 2


def test_five_wrong_passwords_lock_for_fifteen_minutes(db: Session) -> None:
    _user(db)
    for minute in range(5):
        assert not authenticate(db, "zhang", "wrong-password", now=T0 + dt.timedelta(minutes=minute)).ok
    db.commit()
    assert len(_audit(db, "signin.lockout")) == 1
    # Locked: even the right password fails, as an unknown login does.
    during = authenticate(db, "zhang", PASSWORD, now=T0 + dt.timedelta(minutes=4 + 14))
    assert during.actor is None and during.reason == "locked"
    after = authenticate(db, "zhang", PASSWORD, now=T0 + dt.timedelta(minutes=4 + 15, seconds=1))
    assert after.ok


def test_four_wrong_then_right_resets_the_count(db: Session) -> None:
    _user(db)
    for _ in range(4):
        authenticate(db, "zhang", "wrong-password", now=T0)
    assert authenticate(db, "zhang", PASSWORD, now=T0).ok
    for _ in range(4):
        authenticate(db, "zhang", "wrong-password", now=T0)
    assert authenticate(db, "zhang", PASSWORD, now=T0).ok  # not locked: the count started again


def test_lockout_is_configurable(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH_MAX_FAILED_ATTEMPTS", "2")
    monkeypatch.setenv("AUTH_LOCKOUT_MINUTES", "1")
    _user(db)
    authenticate(db, "zhang", "wrong-password", now=T0)
    authenticate(db, "zhang", "wrong-password", now=T0)
    assert authenticate(db, "zhang", PASSWORD, now=T0 + dt.timedelta(seconds=59)).reason == "locked"
    assert authenticate(db, "zhang", PASSWORD, now=T0 + dt.timedelta(seconds=61)).ok


def test_deactivated_user_cannot_sign_in(db: Session) -> None:
    admin = _admin(db)
    user = _user(db)
    set_active(db, admin, user.id, False, now=T0)
    assert authenticate(db, "zhang", PASSWORD, now=T0).reason == "inactive"


def test_audit_rows_never_hold_a_password(db: Session) -> None:
    _user(db)
    authenticate(db, "zhang", "typed-secret-9", now=T0)
    authenticate(db, "ghost", "typed-secret-8", now=T0)
    db.commit()
    dump = json.dumps([e.model_dump(mode="json") for e in db.exec(select(AuditEntry)).all()])
    assert "typed-secret" not in dump


# --- own password -------------------------------------------------------------------------

def test_change_own_password_needs_the_current_one(db: Session) -> None:
    from data_access.access.sessions import actor_of

    actor = actor_of(_user(db))
    with pytest.raises(UserError, match="wrong_current_password"):
        change_own_password(db, actor, "guess-guess-1", "brand-new-pass-2", now=T0)
    with pytest.raises(UserError, match=r"pw\.too_short"):
        change_own_password(db, actor, PASSWORD, "short", now=T0)
    change_own_password(db, actor, PASSWORD, "brand-new-pass-2", now=T0)
    db.commit()
    assert not authenticate(db, "zhang", PASSWORD, now=T0).ok
    assert authenticate(db, "zhang", "brand-new-pass-2", now=T0).ok
    assert len(_audit(db, "user.password_change")) == 1


# --- sessions -----------------------------------------------------------------------------

def test_session_token_is_stored_as_its_sha256(db: Session) -> None:
    user = _user(db)
    token, session_id = start_session(db, user.id, now=T0)
    db.commit()
    row = db.get(UserSession, session_id)
    assert row.token_hash == token_hash(token) and token not in row.token_hash
    assert len(token) >= 43  # 32 random bytes
    assert resolve_token(db, token, now=T0).actor.login == "zhang"
    assert resolve_token(db, token + "x", now=T0) is None


def test_session_ends_after_eight_idle_hours(db: Session) -> None:
    user = _user(db)
    token, session_id = start_session(db, user.id, now=T0)
    assert resolve_token(db, token, now=T0 + dt.timedelta(hours=7, minutes=59)) is not None  # touches last_seen
    db.commit()
    # 8 h after the last use, not after the sign-in:
    assert check_session(db, session_id, now=T0 + dt.timedelta(hours=15, minutes=58)) is not None
    db.commit()
    assert check_session(db, session_id, now=T0 + dt.timedelta(hours=23, minutes=59)) is None


def test_idle_timeout_is_configurable(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH_IDLE_HOURS", "1")
    user = _user(db)
    _, session_id = start_session(db, user.id, now=T0)
    assert check_session(db, session_id, now=T0 + dt.timedelta(minutes=61)) is None


def test_sign_out_revokes_the_session(db: Session) -> None:
    user = _user(db)
    token, session_id = start_session(db, user.id, now=T0)
    revoke_session(db, session_id, now=T0)
    db.commit()
    assert resolve_token(db, token, now=T0) is None


def test_deactivation_ends_every_session_of_the_user(db: Session) -> None:
    admin = _admin(db)
    user = _user(db)
    tokens = [start_session(db, user.id, now=T0)[0] for _ in range(2)]
    set_active(db, admin, user.id, False, now=T0)
    db.commit()
    assert [resolve_token(db, token, now=T0) for token in tokens] == [None, None]
    set_active(db, admin, user.id, True, now=T0)
    db.commit()
    assert [resolve_token(db, token, now=T0) for token in tokens] == [None, None]  # revoked stays revoked


def test_session_follows_role_changes_at_once(db: Session) -> None:
    admin = _admin(db)
    user = _user(db)
    _, session_id = start_session(db, user.id, now=T0)
    update_user(db, admin, user.id, display_name="Zhang", role="dept_head", department_id=2, manager_id=None, now=T0)
    db.commit()
    actor = check_session(db, session_id, now=T0).actor
    assert (actor.role, actor.department_id) == (Role.DEPT_HEAD, 2)


# --- administration -----------------------------------------------------------------------

def test_only_administrators_manage_users(db: Session) -> None:
    from data_access.access.sessions import actor_of

    leader = actor_of(_user(db))
    with pytest.raises(PermissionDenied):
        create_user(db, leader, login="x", display_name="X", role="leader", password=PASSWORD, now=T0)
    with pytest.raises(PermissionDenied):
        list_users(db, leader)
    with pytest.raises(PermissionDenied):
        reset_password(db, leader, leader.user_id, "another-pass-1", now=T0)


def test_admin_writes_are_audited_with_before_and_after(db: Session) -> None:
    admin = _admin(db)
    user = create_user(db, admin, login="li", display_name="李四", role="manager", manager_id=7,
                       password=PASSWORD, now=T0)
    update_user(db, admin, user.id, display_name="李四", role="dept_head", department_id=1, manager_id=None, now=T0)
    reset_password(db, admin, user.id, "reset-pass-123", now=T0)
    set_active(db, admin, user.id, False, now=T0)
    db.commit()
    created = _audit(db, "user.create")[-1]
    assert json.loads(created.after)["department_id"] == 1  # the manager's department
    updated = _audit(db, "user.update")[0]
    assert json.loads(updated.before)["role"] == "manager" and json.loads(updated.after)["role"] == "dept_head"
    assert updated.user_name == "Boss"
    assert len(_audit(db, "user.password_reset")) == 1 and len(_audit(db, "user.deactivate")) == 1
    assert all("password_hash" not in (e.after or "") for e in db.exec(select(AuditEntry)).all())


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"role": "dept_head"}, "department_required"),
    ({"role": "manager"}, "manager_required"),
    ({"role": "manager", "manager_id": 99}, "unknown_manager"),
    ({"role": "manager", "manager_id": 7, "department_id": 2}, "manager_not_in_department"),
    ({"role": "dept_head", "department_id": 42}, "unknown_department"),
    ({"role": "emperor"}, "unknown_role"),
])
def test_role_links_are_validated(db: Session, kwargs: dict, code: str) -> None:
    with pytest.raises(UserError) as refused:
        create_user(db, SYSTEM, login="li", display_name="Li", password=PASSWORD, now=T0, **kwargs)
    assert refused.value.code == code


def test_login_is_unique_regardless_of_case(db: Session) -> None:
    _user(db)
    with pytest.raises(UserError, match="login_taken"):
        create_user(db, SYSTEM, login="ZHANG", display_name="Z", role="leader", password=PASSWORD, now=T0)


def test_admin_cannot_lock_themselves_out(db: Session) -> None:
    admin = _admin(db)
    with pytest.raises(UserError, match="cannot_deactivate_self"):
        set_active(db, admin, admin.user_id, False, now=T0)
    with pytest.raises(UserError, match="cannot_demote_self"):
        update_user(db, admin, admin.user_id, display_name="Boss", role="leader", department_id=None,
                    manager_id=None, now=T0)


def test_reset_password_unlocks_and_ends_sessions(db: Session) -> None:
    admin = _admin(db)
    user = _user(db)
    token, _ = start_session(db, user.id, now=T0)
    for _ in range(5):
        authenticate(db, "zhang", "wrong-password", now=T0)
    reset_password(db, admin, user.id, "fresh-password-1", now=T0)
    db.commit()
    assert resolve_token(db, token, now=T0) is None
    assert authenticate(db, "zhang", "fresh-password-1", now=T0).ok


# --- wall links ---------------------------------------------------------------------------

def test_wall_link_opens_until_revoked(db: Session) -> None:
    admin = _admin(db)
    token, link = create_wall_link(db, admin, "三楼会议室", now=T0)
    db.commit()
    assert token not in link.token_hash
    assert resolve_wall_link(db, token).role is Role.WALL
    revoke_wall_link(db, admin, link.id, now=T0)
    db.commit()
    assert resolve_wall_link(db, token) is None
    assert [e.action for e in db.exec(select(AuditEntry).where(AuditEntry.action.like("wall_link%"))).all()] == [
        "wall_link.create", "wall_link.revoke"]
    assert all(token not in (e.after or "") + e.object for e in db.exec(select(AuditEntry)).all())


def test_only_administrators_create_wall_links(db: Session) -> None:
    from data_access.access.sessions import actor_of

    with pytest.raises(PermissionDenied):
        create_wall_link(db, actor_of(_user(db)), "hall", now=T0)


# --- single sign-on -----------------------------------------------------------------------

def test_sso_identity_maps_by_subject_or_email(db: Session) -> None:
    _user(db, "zhang", "dept_head", department_id=2, sso_subject="zhang@county.example")
    _user(db, "li", "leader", sso_subject="oidc|4711", password=None)
    by_email = sso_actor(db, email="Zhang@County.example", subject="something-else")
    assert (by_email.login, by_email.role, by_email.department_id) == ("zhang", Role.DEPT_HEAD, 2)
    assert sso_actor(db, email=None, subject="oidc|4711").login == "li"
    assert sso_actor(db, email="stranger@county.example", subject="oidc|0") is None


def test_sso_identity_of_a_deactivated_user_has_no_access(db: Session) -> None:
    admin = _admin(db)
    user = _user(db, "li", "leader", sso_subject="oidc|4711", password=None)
    set_active(db, admin, user.id, False, now=T0)
    assert sso_actor(db, email=None, subject="oidc|4711") is None
    assert authenticate(db, "li", "", now=T0).actor is None  # no password: never signs in with one


# --- demo accounts beside real data -------------------------------------------------------

def test_demo_warning_needs_an_active_demo_account_and_a_real_import(db: Session) -> None:
    admin = _admin(db)
    demo = _user(db, "demo", "admin", is_demo=True)
    assert not active_demo_accounts_beside_real_data(db)
    db.add(ImportLog(kind="orders", file_name="o.csv", file_sha256="0" * 64, imported_at=dt.datetime(2026, 11, 20),
                     dry_run=True))
    db.commit()
    assert not active_demo_accounts_beside_real_data(db)  # a check only is no import
    db.add(ImportLog(kind="orders", file_name="o.csv", file_sha256="0" * 64, imported_at=dt.datetime(2026, 11, 20)))
    db.commit()
    assert active_demo_accounts_beside_real_data(db)
    set_active(db, admin, demo.id, False, now=T0)
    db.commit()
    assert not active_demo_accounts_beside_real_data(db)
