"""The audit trail: one row per write, with who, when (UTC, aware), what, before and after.

Times are stored in UTC: SQLite keeps no zone, so a row written with any other offset would
sort by its local wall-clock text. :func:`as_utc` is the one conversion; a naive time is a
programming error (it could be either zone) and raises.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from data_access.access.permissions import Actor
from data_access.models.access import AuditEntry

CHINA = ZoneInfo("Asia/Shanghai")  # the county's time zone: how people read audit times


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def as_utc(at: dt.datetime) -> dt.datetime:
    """``at`` in UTC; refuses naive times."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("audit times must be timezone-aware")
    return at.astimezone(dt.UTC)


def record(
    session: Session,
    actor: Actor | None,
    action: str,
    object: str = "",
    *,
    before: Any = None,
    after: Any = None,
    at: dt.datetime | None = None,
) -> AuditEntry:
    """Add an audit row to ``session`` (committed with the write it describes).

    ``at`` (aware; default now) is stored in UTC.
    """
    entry = AuditEntry(
        at=as_utc(at) if at is not None else dt.datetime.now(dt.UTC),
        user_id=actor.user_id if actor else None,
        user_name=(actor.display_name if actor else "")[:60],
        action=action,
        object=object[:200],
        before=_json(before),
        after=_json(after),
    )
    session.add(entry)
    return entry
