"""Signed-in sessions: a random token in an HttpOnly cookie, its SHA-256 in ``user_session``.

The token itself is never stored, logged or audited. A session ends on sign-out (revoked),
after the idle timeout (``last_seen_at`` too old), and when its user is deactivated.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, select

from data_access.access.permissions import Actor, actor_from_user
from data_access.access.settings import auth_settings
from data_access.models.access import AppUser, UserSession

# ``last_seen_at`` is written at most this often, so most reruns cost one read and no write.
TOUCH_EVERY = dt.timedelta(seconds=60)


def utc(value: dt.datetime | None) -> dt.datetime | None:
    """An aware UTC datetime (SQLite hands back naive values for timezone-aware columns)."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


actor_of = actor_from_user  # the Actor of a user row (role and department from the table)


@dataclass(frozen=True)
class SignedIn:
    """A valid session: who, and which ``user_session`` row (for sign-out and revalidation)."""

    actor: Actor
    session_id: int


def start_session(session: Session, user_id: int, *, now: dt.datetime | None = None) -> tuple[str, int]:
    """Create a session row for ``user_id``; returns the cookie token (shown to no one else) and row id."""
    now = now or now_utc()
    token = new_token()
    row = UserSession(token_hash=token_hash(token), user_id=user_id, created_at=now, last_seen_at=now)
    session.add(row)
    session.flush()
    return token, int(row.id)


def _check(session: Session, condition, *, now: dt.datetime | None) -> SignedIn | None:
    now = now or now_utc()
    found = session.exec(
        select(UserSession, AppUser).join(AppUser, AppUser.id == UserSession.user_id).where(condition)
    ).first()
    if found is None:
        return None
    row, user = found
    last_seen = utc(row.last_seen_at) or utc(row.created_at)
    if row.revoked_at is not None or not user.active or last_seen is None:
        return None
    if now - last_seen > auth_settings().idle_timeout:
        return None
    if now - last_seen >= TOUCH_EVERY:
        row.last_seen_at = now
        session.add(row)
    return SignedIn(actor=actor_of(user), session_id=int(row.id))


def resolve_token(session: Session, token: str | None, *, now: dt.datetime | None = None) -> SignedIn | None:
    """The session a cookie token belongs to, if it is still valid (touches ``last_seen_at``)."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    return _check(session, UserSession.token_hash == token_hash(token), now=now)


def check_session(session: Session, session_id: int, *, now: dt.datetime | None = None) -> SignedIn | None:
    """Re-validate a session already signed in on this browser tab (one indexed read per rerun)."""
    return _check(session, UserSession.id == session_id, now=now)


def revoke_session(session: Session, session_id: int, *, now: dt.datetime | None = None) -> None:
    session.exec(
        update(UserSession).where(UserSession.id == session_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=now or now_utc())
    )


def revoke_user_sessions(session: Session, user_id: int, *, now: dt.datetime | None = None) -> int:
    """Sign a user out everywhere (deactivation, password reset); returns how many sessions ended."""
    result = session.exec(
        update(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=now or now_utc())
    )
    return int(result.rowcount or 0)
