"""Built-in accounts: sign-in with lockout, own password change, and user administration.

Every function takes ``now`` (an aware datetime) so tests pin the clock, and the caller's
``Session``: the caller commits, so a write and its audit row land together. Administration
takes the acting :class:`Actor` and requires ``MANAGE_USERS``. Passwords and tokens never
reach an audit row or a log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from data_access.access import audit
from data_access.access.passwords import hash_password, password_problems, verify_password
from data_access.access.permissions import SYSTEM, Action, Actor, Role, require
from data_access.access.sessions import actor_of, now_utc, revoke_user_sessions, utc
from data_access.access.settings import auth_settings
from data_access.models import CustomerManager, Department, ImportLog
from data_access.models.access import AppUser


class UserError(ValueError):
    """A refused user change; ``code`` names the message (i18n ``auth.err.<code>``), safe to show."""

    def __init__(self, code: str, **values: Any) -> None:
        super().__init__(code)
        self.code = code
        self.values = values


@dataclass(frozen=True)
class SignInAttempt:
    """The outcome of one sign-in. Pages show one message for every failure, whatever the reason."""

    actor: Actor | None
    # internal only (audit, tests): "ok", "unknown", "wrong_password", "locked", "inactive", "no_password"
    reason: str

    @property
    def ok(self) -> bool:
        return self.actor is not None


def _user_by_login(session: Session, login: str) -> AppUser | None:
    return session.exec(select(AppUser).where(func.lower(AppUser.login) == login.strip().lower())).first()


def authenticate(session: Session, login: str, password: str, *, now: dt.datetime | None = None) -> SignInAttempt:
    """Check a login and password; count failures, lock after too many, audit every attempt.

    An unknown login, a wrong password, a locked or deactivated account all take one
    argon2 verification, so neither the message nor the time tells them apart.
    """
    now = now or now_utc()
    settings = auth_settings()
    user = _user_by_login(session, login) if login.strip() else None
    matches = verify_password(user.password_hash if user else None, password)
    target = f"login {login.strip()[:60]}"
    if user is None:
        audit.record(session, None, "signin.fail", target, after={"reason": "unknown"}, at=now)
        return SignInAttempt(None, "unknown")
    locked_until = utc(user.locked_until)
    if locked_until is not None and locked_until > now:
        reason = "locked"
    elif not user.active:
        reason = "inactive"
    elif user.password_hash is None:
        reason = "no_password"
    elif matches:
        user.failed_attempts, user.locked_until = 0, None
        session.add(user)
        actor = actor_of(user)
        audit.record(session, actor, "signin.ok", target, at=now)
        return SignInAttempt(actor, "ok")
    else:
        reason = "wrong_password"
        user.failed_attempts = (user.failed_attempts or 0) + 1
        if user.failed_attempts >= settings.max_failed_attempts:
            user.locked_until = now + settings.lockout
            user.failed_attempts = 0
            audit.record(session, None, "signin.lockout", target, at=now,
                         after={"user_id": user.id, "locked_until": user.locked_until.isoformat()})
        session.add(user)
    audit.record(session, None, "signin.fail", target, after={"reason": reason, "user_id": user.id}, at=now)
    return SignInAttempt(None, reason)


def _check_password(password: str, login: str) -> None:
    problems = password_problems(password, login)
    if problems:
        raise UserError(f"pw.{problems[0]}")


def change_own_password(session: Session, actor: Actor, current: str, new: str, *,
                        now: dt.datetime | None = None) -> None:
    """The signed-in user replaces their password; the current one must be given."""
    now = now or now_utc()
    user = session.get(AppUser, actor.user_id) if actor.user_id is not None else None
    if user is None or not user.active or not verify_password(user.password_hash, current):
        raise UserError("wrong_current_password")
    _check_password(new, user.login)
    user.password_hash, user.changed_at = hash_password(new), now
    session.add(user)
    audit.record(session, actor, "user.password_change", f"user {user.login}", at=now)


# --- administration -------------------------------------------------------------------------

_PUBLIC_FIELDS = ("id", "login", "display_name", "role", "department_id", "manager_id", "sso_subject", "active",
                  "is_demo", "failed_attempts", "locked_until", "created_at", "changed_at")


def _snapshot(user: AppUser) -> dict[str, Any]:
    """What the audit records of a user: never the password hash. Times as UTC ISO text on every database."""
    values = {name: getattr(user, name) for name in _PUBLIC_FIELDS if name not in ("failed_attempts",)}
    return {name: utc(value).isoformat() if isinstance(value, dt.datetime) else value for name, value in values.items()}


def list_users(session: Session, actor: Actor) -> list[dict[str, Any]]:
    require(actor, Action.MANAGE_USERS)
    users = session.exec(select(AppUser).order_by(AppUser.login)).all()
    return [{name: getattr(user, name) for name in _PUBLIC_FIELDS} for user in users]


def _validated_links(session: Session, role: str, department_id: int | None,
                     manager_id: int | None) -> tuple[Role, int | None, int | None]:
    try:
        role_value = Role(role)
    except ValueError:
        raise UserError("unknown_role") from None
    if department_id is not None and session.get(Department, department_id) is None:
        raise UserError("unknown_department")
    if manager_id is not None:
        manager = session.get(CustomerManager, manager_id)
        if manager is None:
            raise UserError("unknown_manager")
        if department_id is not None and department_id != manager.department_id:
            raise UserError("manager_not_in_department")
        department_id = manager.department_id
    if role_value is Role.DEPT_HEAD and department_id is None:
        raise UserError("department_required")
    if role_value is Role.MANAGER and manager_id is None:
        raise UserError("manager_required")
    if role_value not in (Role.DEPT_HEAD, Role.MANAGER):  # county-wide roles carry no scope links
        department_id, manager_id = None, None
    if role_value is Role.DEPT_HEAD:
        manager_id = None
    return role_value, department_id, manager_id


def _clean_text(value: str, field: str, limit: int) -> str:
    value = (value or "").strip()
    if not value or len(value) > limit:
        raise UserError(f"bad_{field}")
    return value


def create_user(session: Session, actor: Actor, *, login: str, display_name: str, role: str, password: str | None,
                department_id: int | None = None, manager_id: int | None = None, sso_subject: str | None = None,
                is_demo: bool = False, now: dt.datetime | None = None) -> AppUser:
    """A new account. ``password`` may be None only for single-sign-on users (``sso_subject``)."""
    require(actor, Action.MANAGE_USERS)
    now = now or now_utc()
    login = _clean_text(login, "login", 60)
    if any(ch.isspace() for ch in login):
        raise UserError("bad_login")
    display_name = _clean_text(display_name, "display_name", 60)
    if _user_by_login(session, login) is not None:
        raise UserError("login_taken")
    sso_subject = (sso_subject or "").strip() or None
    if sso_subject is not None and _user_by_sso(session, sso_subject) is not None:
        raise UserError("sso_taken")
    if password is None and sso_subject is None:
        raise UserError("password_required")
    if password is not None:
        _check_password(password, login)
    role_value, department_id, manager_id = _validated_links(session, role, department_id, manager_id)
    user = AppUser(login=login, display_name=display_name, role=role_value.value, department_id=department_id,
                   manager_id=manager_id, sso_subject=sso_subject, is_demo=is_demo,
                   password_hash=hash_password(password) if password is not None else None,
                   created_at=now, changed_at=now)
    session.add(user)
    session.flush()
    audit.record(session, actor, "user.create", f"user {login}", after=_snapshot(user), at=now)
    return user


def _get_user(session: Session, user_id: int) -> AppUser:
    user = session.get(AppUser, user_id)
    if user is None:
        raise UserError("unknown_user")
    return user


def update_user(session: Session, actor: Actor, user_id: int, *, display_name: str, role: str,
                department_id: int | None, manager_id: int | None, sso_subject: str | None = None,
                now: dt.datetime | None = None) -> AppUser:
    """Change a user's name, role and scope links (and single-sign-on identity)."""
    require(actor, Action.MANAGE_USERS)
    now = now or now_utc()
    user = _get_user(session, user_id)
    before = _snapshot(user)
    display_name = _clean_text(display_name, "display_name", 60)
    sso_subject = (sso_subject or "").strip() or None
    other = _user_by_sso(session, sso_subject) if sso_subject else None
    if other is not None and other.id != user.id:
        raise UserError("sso_taken")
    role_value, department_id, manager_id = _validated_links(session, role, department_id, manager_id)
    if user.id == actor.user_id and role_value is not Role.ADMIN:
        raise UserError("cannot_demote_self")
    user.display_name, user.role, user.sso_subject = display_name, role_value.value, sso_subject
    user.department_id, user.manager_id, user.changed_at = department_id, manager_id, now
    session.add(user)
    audit.record(session, actor, "user.update", f"user {user.login}", before=before, after=_snapshot(user), at=now)
    return user


def set_active(session: Session, actor: Actor, user_id: int, active: bool, *, now: dt.datetime | None = None) -> None:
    """Deactivate (every session of the user ends at once) or reactivate an account."""
    require(actor, Action.MANAGE_USERS)
    now = now or now_utc()
    user = _get_user(session, user_id)
    if not active and user.id == actor.user_id:
        raise UserError("cannot_deactivate_self")
    before = _snapshot(user)
    user.active, user.changed_at = active, now
    if active:
        user.failed_attempts, user.locked_until = 0, None
    session.add(user)
    ended = 0 if active else revoke_user_sessions(session, int(user.id), now=now)
    audit.record(session, actor, "user.reactivate" if active else "user.deactivate", f"user {user.login}",
                 before=before, after={**_snapshot(user), "sessions_ended": ended}, at=now)


def reset_password(session: Session, actor: Actor, user_id: int, new_password: str, *,
                   now: dt.datetime | None = None) -> None:
    """An administrator sets a new password (and unlocks); the user's sessions end."""
    require(actor, Action.MANAGE_USERS)
    now = now or now_utc()
    user = _get_user(session, user_id)
    _check_password(new_password, user.login)
    user.password_hash, user.changed_at = hash_password(new_password), now
    user.failed_attempts, user.locked_until = 0, None
    session.add(user)
    ended = revoke_user_sessions(session, int(user.id), now=now)
    audit.record(session, actor, "user.password_reset", f"user {user.login}", after={"sessions_ended": ended}, at=now)


def create_admin(session: Session, login: str, password: str, *, display_name: str | None = None,
                 now: dt.datetime | None = None) -> AppUser:
    """The first administrator, from the command line (audited as "system")."""
    return create_user(session, SYSTEM, login=login, display_name=display_name or login, role=Role.ADMIN.value,
                       password=password, now=now)


# --- single sign-on ---------------------------------------------------------------------------

def _user_by_sso(session: Session, identity: str) -> AppUser | None:
    return session.exec(select(AppUser).where(func.lower(AppUser.sso_subject) == identity.strip().lower())).first()


def sso_actor(session: Session, *, email: str | None, subject: str | None) -> Actor | None:
    """The active user an identity provider's subject (preferred) or e-mail maps to; None: no access."""
    for identity in (subject, email):
        if identity and identity.strip():
            user = _user_by_sso(session, identity)
            if user is not None:
                return actor_of(user) if user.active else None
    return None


# --- demo accounts beside real data ----------------------------------------------------------

def active_demo_accounts_beside_real_data(session: Session) -> bool:
    """True when a demo account is still active in a database that has had real data imported.

    The sample county is generated without any ``import_log`` row; a completed (not dry-run)
    import is what puts the company's own data into a database.
    """
    demo = session.exec(select(AppUser.id).where(AppUser.is_demo, AppUser.active).limit(1)).first()
    if demo is None:
        return False
    imported = session.exec(select(ImportLog.id).where(ImportLog.dry_run.is_(False)).limit(1)).first()
    return imported is not None
