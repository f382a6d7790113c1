"""Writes that meet another writer's lock (a long import's final merge on SQLite).

SQLite has one write lock for the whole database. An import holds it only for its final
merge (``data_access.loaders.importer``), but a department score saved in that moment
used to wait 30 s and then fail with a raw ``OperationalError`` ("database is locked"),
losing the entry. :func:`write_with_retry` waits a little at a time instead, tells the
caller what is running (the import marker) between attempts, and in the end raises
:class:`WriteBusy`, which pages turn into a plain message while the form keeps what the
user typed. Nothing is written by a failed attempt (each runs in its own transaction).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from data_access.loaders.marker import ImportMarker, current_import

T = TypeVar("T")

ATTEMPTS = 6
ATTEMPT_WAIT_MS = 2_000  # SQLite busy_timeout for one attempt
PAUSE_S = 0.5
NORMAL_BUSY_TIMEOUT_MS = 30_000  # data_access.db's default, restored after each attempt


class WriteBusy(Exception):
    """The database stayed locked by another writer; ``marker`` says which import, if one."""

    def __init__(self, marker: ImportMarker | None, attempts: int) -> None:
        super().__init__("database is busy")
        self.marker = marker
        self.attempts = attempts


def is_lock_error(error: BaseException) -> bool:
    """SQLite "database is locked" / "busy" (PostgreSQL lock timeouts say "lock timeout")."""
    text = str(getattr(error, "orig", error)).lower()
    return isinstance(error, OperationalError) and ("locked" in text or "busy" in text or "lock timeout" in text)


def _busy_timeout(session: Session, milliseconds: int) -> None:
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA busy_timeout={int(milliseconds)}")


def write_with_retry(
    engine: Engine,
    write: Callable[[Session], T],
    *,
    attempts: int | None = None,
    attempt_wait_ms: int | None = None,
    pause_s: float | None = None,
    on_wait: Callable[[ImportMarker | None, int], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run ``write(session)`` (which commits) in a fresh session; retry while the database is locked.

    Other errors (validation, constraint) propagate at once. After ``attempts`` locked tries
    raises :class:`WriteBusy` with the running import's marker. Defaults: the module's
    ``ATTEMPTS``, ``ATTEMPT_WAIT_MS`` and ``PAUSE_S`` (read at call time).
    """
    attempts = attempts or ATTEMPTS
    attempt_wait_ms = attempt_wait_ms or ATTEMPT_WAIT_MS
    pause_s = PAUSE_S if pause_s is None else pause_s
    for attempt in range(1, attempts + 1):
        with Session(engine) as session:
            try:
                _busy_timeout(session, attempt_wait_ms)
                return write(session)
            except OperationalError as error:
                if not is_lock_error(error):
                    raise
                session.rollback()
            finally:
                try:
                    _busy_timeout(session, NORMAL_BUSY_TIMEOUT_MS)
                    session.commit()
                except Exception:
                    session.rollback()
        if attempt < attempts:
            if on_wait is not None:
                on_wait(current_import(engine), attempt)
            sleep(pause_s)
    raise WriteBusy(current_import(engine), attempts)
