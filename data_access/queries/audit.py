"""The audit trail for the audit page: filtered, in time order (issue 12).

Times are stored in UTC (``access.audit.as_utc``); SQLite hands them back without a zone,
PostgreSQL with one: :func:`audit_entries` returns them aware in UTC either way, sorted by
that instant, so an entry at 02:34 UTC sorts after one at 08:00 China time (00:00 UTC) of
the same day, whatever the clock text says.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from data_access.access.audit import CHINA
from data_access.models.access import AuditEntry
from data_access.queries.sql import read_frame

COLUMNS = ["id", "at", "user_name", "action", "object", "before", "after"]
MAX_ROWS = 20_000


def _utc(values: pd.Series) -> pd.Series:
    stamps = pd.to_datetime(values, utc=False)
    if getattr(stamps.dt, "tz", None) is None:
        return stamps.dt.tz_localize("UTC")
    return stamps.dt.tz_convert("UTC")


def local_day_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[first 00:00, the day after last 00:00) China time, as UTC instants."""
    start = dt.datetime.combine(first, dt.time(), tzinfo=CHINA).astimezone(dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=CHINA).astimezone(dt.UTC)
    return start, end


def audit_entries(
    *, session: Session, user_name: str | None = None, action: str | None = None, first_day: dt.date | None = None,
    last_day: dt.date | None = None, object_text: str | None = None, limit: int = MAX_ROWS,
) -> pd.DataFrame:
    """Audit rows matching every given filter, oldest first (by the aware time, then id).

    ``action`` matches exactly or as a group prefix ("score" matches "score.enter" and
    "score.correct"); ``object_text`` is a plain substring (no wildcards); days are China
    calendar days. Columns: id, at (aware UTC), user_name, action, object, before, after.
    """
    stmt = select(AuditEntry.id, AuditEntry.at, AuditEntry.user_name, AuditEntry.action, AuditEntry.object,
                  AuditEntry.before, AuditEntry.after)
    if user_name:
        stmt = stmt.where(AuditEntry.user_name == user_name)
    if action:
        stmt = stmt.where((AuditEntry.action == action) | AuditEntry.action.startswith(f"{action}.", autoescape=True))
    if first_day is not None or last_day is not None:
        start, end = local_day_bounds(first_day or dt.date(1970, 1, 1), last_day or dt.date(9998, 12, 30))
        stmt = stmt.where(AuditEntry.at >= start, AuditEntry.at < end)
    if object_text:
        stmt = stmt.where(AuditEntry.object.contains(object_text, autoescape=True))
    stmt = stmt.order_by(AuditEntry.at, AuditEntry.id).limit(limit)
    frame = read_frame(session, stmt)
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype="datetime64[ns, UTC]" if c == "at" else object) for c in COLUMNS})
    frame["at"] = _utc(frame["at"])
    return frame[COLUMNS]


def audit_filter_options(*, session: Session) -> dict[str, list[str]]:
    """The user names and actions that occur, for the page's filters."""
    users = session.execute(select(AuditEntry.user_name).distinct().order_by(AuditEntry.user_name)).scalars().all()
    actions = session.execute(select(AuditEntry.action).distinct().order_by(AuditEntry.action)).scalars().all()
    return {"users": [u for u in users if u], "actions": list(actions)}
