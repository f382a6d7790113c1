"""Users, sign-in sessions and the audit trail (issue 12).

Times here are timezone-aware (stored as UTC): an audit row written at 02:34 UTC must sort
correctly against one written at 08:00 China time of the same day.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, DateTime, Index, Text
from sqlmodel import Field, SQLModel

from data_access.models import _big_id


def _aware() -> Column:
    return Column(DateTime(timezone=True), nullable=True)


class AppUser(SQLModel, table=True):
    """A person who signs in. Role and department decide what they see and may change."""

    __tablename__ = "app_user"
    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(unique=True, max_length=60)
    display_name: str = Field(max_length=60)
    role: str = Field(max_length=20)  # data_access.access.permissions.Role
    department_id: int | None = Field(default=None, foreign_key="department.id")
    manager_id: int | None = Field(default=None, foreign_key="customer_manager.id")
    # OIDC: the identity provider's e-mail or subject mapped to this row (None: built-in only).
    sso_subject: str | None = Field(default=None, max_length=200, unique=True)
    active: bool = True
    is_demo: bool = False  # created by the sample county; warned about beside real data
    password_hash: str | None = Field(default=None, max_length=200)  # argon2id; never the password
    failed_attempts: int = 0
    locked_until: dt.datetime | None = Field(default=None, sa_column=_aware())
    created_at: dt.datetime | None = Field(default=None, sa_column=_aware())
    changed_at: dt.datetime | None = Field(default=None, sa_column=_aware())


class UserSession(SQLModel, table=True):
    """A signed-in browser: the cookie holds a random token, the row holds its SHA-256."""

    __tablename__ = "user_session"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, max_length=64)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    created_at: dt.datetime | None = Field(default=None, sa_column=_aware())
    last_seen_at: dt.datetime | None = Field(default=None, sa_column=_aware())
    revoked_at: dt.datetime | None = Field(default=None, sa_column=_aware())


class AuditEntry(SQLModel, table=True):
    """One row per write: who (user id and the name at the time), when, what, before, after."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_at", "at"), Index("ix_audit_entry_action", "action"))
    id: int | None = Field(default=None, sa_column=_big_id())
    at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=False))
    user_id: int | None = Field(default=None, foreign_key="app_user.id")
    user_name: str = Field(default="", max_length=60)  # display name at the time (users get renamed)
    action: str = Field(max_length=60)  # e.g. "score.save", "weights.save", "signin.fail"
    object: str = Field(default="", max_length=200)  # e.g. "department D01 2026-11 six_s"
    before: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # JSON
    after: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # JSON


class WallLink(SQLModel, table=True):
    """An unguessable link that opens the meeting page on a wall screen (``/meeting?wall=TOKEN``).

    Only the token's SHA-256 is stored; the link is shown once, when it is created.
    """

    __tablename__ = "wall_link"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, max_length=64)
    label: str = Field(max_length=100)
    created_by: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: dt.datetime | None = Field(default=None, sa_column=_aware())
    revoked_at: dt.datetime | None = Field(default=None, sa_column=_aware())
