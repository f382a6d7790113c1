"""The audit trail: one row per write, with who, when (UTC, aware), what, before and after."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlmodel import Session

from data_access.access.permissions import Actor
from data_access.models.access import AuditEntry


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


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
    """Add an audit row to ``session`` (committed with the write it describes)."""
    entry = AuditEntry(
        at=at or dt.datetime.now(dt.UTC),
        user_id=actor.user_id if actor else None,
        user_name=(actor.display_name if actor else "")[:60],
        action=action,
        object=object[:200],
        before=_json(before),
        after=_json(after),
    )
    session.add(entry)
    return entry
