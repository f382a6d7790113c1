"""Import page queries: the import history (import_log)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from data_access.config import get_setting
from data_access.models import ImportLog
from data_access.queries.sql import read_frame


def import_history(*, session: Session, limit: int = 50) -> pd.DataFrame:
    """The latest imports, newest first: who, when, kind, file, hash and row counts."""
    stmt = (
        select(
            ImportLog.id, ImportLog.imported_at, ImportLog.imported_by, ImportLog.kind, ImportLog.file_name,
            ImportLog.file_sha256, ImportLog.rows_added, ImportLog.rows_updated, ImportLog.rows_unchanged,
            ImportLog.rows_rejected, ImportLog.dry_run,
        )
        .order_by(ImportLog.id.desc())
        .limit(limit)
    )
    frame = read_frame(session, stmt)
    frame["imported_at"] = pd.to_datetime(frame["imported_at"])
    frame["dry_run"] = frame["dry_run"].astype(bool)
    return frame


def display_rubric(*, session: Session) -> dict:
    """The county's display rubric (its parts are columns of the inspection import)."""
    return get_setting(session, "display_rubric")
