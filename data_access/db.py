"""Engine and sessions.

The database URL comes from ``DATABASE_URL``. With none set, an embedded SQLite file under
``sample_data/`` is used; the app's start fills it with the deterministic sample county
(``sample_data.generate.ensure_sample_county``). PostgreSQL is the production database.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib import import_module
from pathlib import Path

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, create_engine, select

from data_access import models

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = REPO_ROOT / "sample_data" / "county.sqlite"
DATA_DOMAINS = ("sales", "plans", "terminals", "visits", "gps", "scores", "config", "master")

def database_url() -> str:
    """The configured database URL (``DATABASE_URL``), or the default SQLite file."""
    url = os.environ.get("DATABASE_URL", "").strip()
    return url or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def is_default_database(url: str | None = None) -> bool:
    return (url or database_url()) == f"sqlite:///{DEFAULT_SQLITE_PATH}"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record) -> None:
        cur = dbapi_conn.cursor()
        # WAL: readers (the app) are never blocked by a writer (import, live feed).
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA cache_size=-65536")  # 64 MB page cache
        cur.execute("PRAGMA temp_store=MEMORY")
        cur.execute("PRAGMA mmap_size=1073741824")
        cur.close()


def get_engine(url: str | None = None) -> Engine:
    """One engine per URL for the process (engines are thread-safe and pool connections).

    ``None`` means ``DATABASE_URL`` as it is now: the cache is keyed on the resolved URL, so a
    changed ``DATABASE_URL`` (tests point the app at their own databases) gets its own engine.
    """
    return _engine_for(url or database_url())


def _clear_engines() -> None:
    _engine_for.cache_clear()


get_engine.cache_clear = _clear_engines  # type: ignore[attr-defined]  # callers reset the engines


@lru_cache(maxsize=8)
def _engine_for(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        _configure_sqlite(engine)
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
    return engine


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with Session(get_engine(url)) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def _import_all_models() -> None:
    """Import every module of ``data_access/models/`` so all tables are registered.

    Areas keep their extra tables in their own ``models/<area>.py``.
    """
    for path in sorted((Path(__file__).parent / "models").glob("*.py")):
        if path.stem != "__init__":
            import_module(f"data_access.models.{path.stem}")


def create_schema(engine: Engine) -> None:
    """Create every table and index that does not exist yet (idempotent)."""
    _import_all_models()
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        existing = set(session.exec(select(models.DataVersion.domain)).all())
        for domain in DATA_DOMAINS:
            if domain not in existing:
                session.add(models.DataVersion(domain=domain, version=0, updated_at=dt.datetime.now()))
        session.commit()


def drop_schema(engine: Engine) -> None:
    _import_all_models()
    SQLModel.metadata.drop_all(engine)


def has_data(engine: Engine) -> bool:
    """True when the schema exists and holds at least one retailer."""
    if not inspect(engine).has_table("retailer"):
        return False
    with engine.connect() as conn:
        return conn.execute(text("SELECT 1 FROM retailer LIMIT 1")).first() is not None


def bump_data_version(session: Session, *domains: str) -> None:
    """Mark domains as changed so cached queries that depend on them are recomputed."""
    now = dt.datetime.now()
    for domain in domains:
        row = session.get(models.DataVersion, domain)
        if row is None:
            session.add(models.DataVersion(domain=domain, version=1, updated_at=now))
        else:
            row.version += 1
            row.updated_at = now
            session.add(row)


def data_versions(engine: Engine | None = None) -> dict[str, int]:
    """Current change counter of every data domain (one tiny query)."""
    engine = engine or get_engine()
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT domain, version FROM data_version")).all()
    return {domain: int(version) for domain, version in rows}


def _backfill_aggregates(engine: Engine) -> None:
    """Fill aggregate tables that a database made before they existed has left empty."""
    from data_access.aggregates import backfill_missing_aggregates, backfill_team_aggregates

    with engine.begin() as conn:
        filled = backfill_missing_aggregates(conn) + backfill_team_aggregates(conn)
        if filled:
            with Session(bind=conn) as session:
                bump_data_version(session, "sales")
                session.commit()
    from data_access.gps_summary import backfill_gps_day_summary

    with engine.begin() as conn:  # route statistics: gps_day_summary (data_access/models/routes.py)
        if backfill_gps_day_summary(conn):
            with Session(bind=conn) as session:
                bump_data_version(session, "gps")
                session.commit()


def ensure_database(url: str | None = None) -> Engine:
    """Return a ready engine: schema created or brought up to date, new aggregates backfilled.

    An empty default SQLite file is filled with the sample county by the caller first
    (``sample_data.generate.ensure_sample_county``): the data layer never generates data.
    """
    url = url or database_url()
    engine = get_engine(url)
    if has_data(engine):
        create_schema(engine)  # adds tables introduced since the file was made
        _backfill_aggregates(engine)
        return engine
    create_schema(engine)
    return engine
